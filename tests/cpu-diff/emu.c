/*
 * Emulated execution of a case in xenemu: a struct cpu over a small guest
 * RAM whose 4-level page tables map the code and data regions at the same
 * virtual addresses as on the host, in 64-bit (or compatibility) mode at
 * CPL 3 with Linux's user selectors.  Every ring-0 entry is an exit that
 * records the event, so a fault ends the case with its vector.
 *
 * Guest physical layout:
 *   0x1000 PML4   0x2000 PDPT   0x3000 PD   0x4000 PT (code)   0x5000 PT (data)
 *   0x6000 PDPT, 0x7000 PD, 0x8000 PT for the kernel half (system page)
 *   0x9000.. code region (2 frames, writable as the host's RWX mapping)
 *   0xb000.. data region (2 frames)
 *   0xd000 TSS, mapped supervisor-only at SYS_VA in the kernel half (where
 *   Linux keeps it too, out of reach of the tests' wild addresses).  As on
 *   Linux it grants no I/O ports (the I/O map base lies beyond the limit),
 *   so IN/OUT raise #GP.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include "cpu/cpu.h"
#include "mmu/mmu.h"
#include "cpu-diff.h"

#define GP_PML4 0x1000u
#define GP_PDPT 0x2000u
#define GP_PD   0x3000u
#define GP_PTC  0x4000u
#define GP_PTD  0x5000u
#define GP_SPDPT 0x6000u
#define GP_SPD  0x7000u
#define GP_SPT  0x8000u
#define GP_CODE 0x9000u
#define GP_DATA 0xb000u
#define GP_TSS  0xd000u
#define SYS_VA  0xfffffe0000000000ull
#define SEL_TSS 0x40
#define GUEST_RAM 0x10000u

/* A REP string instruction may retire in chunks: run until RIP leaves it. */
#define STEP_CAP 200000

#define ATTR_CODE (0xb | SEGA_S | 3u << 5 | SEGA_P | SEGA_G)
#define ATTR_DATA (0x3 | SEGA_S | 3u << 5 | SEGA_P | SEGA_G | SEGA_DB)

static struct mem mem;
static struct cpu cpu;
static bool cpu_live;
static bool need_reset = true;    /* first case, or the last one ended oddly */
static uint16_t host_sel[6];

static struct {
    bool hit;
    struct cpu_event ev;
} last_exit;

static void record_exit(void *opaque, struct cpu *c, const struct cpu_event *ev)
{
    (void)opaque;
    last_exit.hit = true;
    last_exit.ev = *ev;
    c->stop_request = true;
}

static void map_tables(void)
{
    phys_store(&mem, GP_PML4, 8, GP_PDPT | PTE_P | PTE_RW | PTE_US);
    phys_store(&mem, GP_PDPT, 8, GP_PD | PTE_P | PTE_RW | PTE_US);
    phys_store(&mem, GP_PD + 8 * (CD_CODE_BASE >> 21), 8, GP_PTC | PTE_P | PTE_RW | PTE_US);
    phys_store(&mem, GP_PD + 8 * (CD_DATA_BASE >> 21), 8, GP_PTD | PTE_P | PTE_RW | PTE_US);
    phys_store(&mem, GP_PML4 + 8 * ((SYS_VA >> 39) & 511), 8, GP_SPDPT | PTE_P | PTE_RW);
    phys_store(&mem, GP_SPDPT + 8 * ((SYS_VA >> 30) & 511), 8, GP_SPD | PTE_P | PTE_RW);
    phys_store(&mem, GP_SPD + 8 * ((SYS_VA >> 21) & 511), 8, GP_SPT | PTE_P | PTE_RW);
    phys_store(&mem, GP_SPT + 8 * ((SYS_VA >> 12) & 511), 8,
               GP_TSS | PTE_P | PTE_RW | PTE_XD);
    phys_store(&mem, GP_TSS + 0x66, 2, 0x68);         /* I/O map base */
    for (unsigned i = 0; i < CD_CODE_SIZE / PAGE_SIZE; i++)
        phys_store(&mem, GP_PTC + 8 * (((CD_CODE_BASE >> 12) & 511) + i), 8,
                   (GP_CODE + i * PAGE_SIZE) | PTE_P | PTE_RW | PTE_US);
    for (unsigned i = 0; i < CD_DATA_SIZE / PAGE_SIZE; i++)
        phys_store(&mem, GP_PTD + 8 * (((CD_DATA_BASE >> 12) & 511) + i), 8,
                   (GP_DATA + i * PAGE_SIZE) | PTE_P | PTE_RW | PTE_US | PTE_XD);
}

static int new_cpu(void)
{
    /* After a crash the old CPU is abandoned, not destroyed: its state may
     * be broken.  Only its TLB registration must go. */
    if (mem.nr_tlbs)
        mem_unregister_tlb(&mem, &cpu.tlb);
    if (cpu_init(&cpu, &mem) < 0)
        return -1;
    cpu.hooks.exit = record_exit;
    cpu.ring0_exits = true;
    cpu_live = true;
    return 0;
}

int cd_emu_init(void)
{
    if (mem_init(&mem, GUEST_RAM) < 0)
        return -1;
    map_tables();
    cd_native_selectors(host_sel);
    return new_cpu();
}

/* Long mode, CPL 3, Linux user segments; false if the CPU refuses. */
static bool enter_user_mode(struct cpu *c, bool compat)
{
    bool ok = true;

    /* A reset flushes the whole block cache, which costs more than the rest
     * of a case: only after a case that did not end normally. */
    if (need_reset)
        cpu_reset(c);
    need_reset = false;
    ok &= cpu_set_cr4(c, CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT);
    ok &= cpu_set_efer(c, EFER_SCE | EFER_LME | EFER_NXE);
    ok &= cpu_set_cr3(c, GP_PML4);
    /* Paging goes on from 32-bit code; then CS becomes the user segment. */
    cpu_set_seg(c, SEG_CS, 0x10, 0, 0xffffffff, ATTR_CODE | SEGA_DB);
    ok &= cpu_set_cr0(c, CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_AM | CR0_PG);
    if (compat)
        cpu_set_seg(c, SEG_CS, SEL_USER32_CS, 0, 0xffffffff, ATTR_CODE | SEGA_DB);
    else
        cpu_set_seg(c, SEG_CS, SEL_USER_CS, 0, 0xffffffff, ATTR_CODE | SEGA_L);
    cpu_set_seg(c, SEG_SS, SEL_USER_DS, 0, 0xffffffff, ATTR_DATA);
    for (int s = 0; s < 6; s++) {
        uint16_t sel = compat && (s == SEG_DS || s == SEG_ES) ? SEL_USER_DS : host_sel[s];
        if (s == SEG_CS || s == SEG_SS)
            continue;
        if (sel & ~3u)
            cpu_set_seg(c, s, sel, 0, 0xffffffff, ATTR_DATA);
        else
            cpu_set_seg(c, s, sel, 0, 0, 0);
    }
    c->tr = (struct seg){ SEL_TSS, 0xb | SEGA_P, 0x67, SYS_VA };
    cpu_update_mode(c);
    return ok && c->cpl == 3 && c->mode == (compat ? MODE_COMPAT32 : MODE_LONG64);
}

static uint64_t le_get(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static void le_put(uint8_t *p, uint64_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* The 2-bit tag FXRSTOR derives from a non-empty register's contents. */
static unsigned x87_tag(const struct x87reg *r)
{
    unsigned exp = r->se & 0x7fff;

    if (exp == 0x7fff)
        return 2;                               /* special: NaN, infinity */
    if (exp == 0)
        return r->mant ? 2 : 1;                 /* denormal / zero */
    return r->mant >> 63 ? 0 : 2;               /* valid / unnormal */
}

/* An FXSAVE image (64-bit format) into the CPU, as FXRSTOR would. */
static void fx_to_fpu(struct fpu *f, const uint8_t *fx)
{
    unsigned top;

    f->fcw = (uint16_t)le_get(fx + FX_FCW, 2);
    f->fsw = (uint16_t)le_get(fx + FX_FSW, 2);
    f->fop = (uint16_t)(le_get(fx + FX_FOP, 2) & 0x7ff);
    f->fip = le_get(fx + FX_FIP, 8);
    f->fdp = le_get(fx + FX_FDP, 8);
    f->fcs = f->fds = 0;
    f->mxcsr = (uint32_t)le_get(fx + FX_MXCSR, 4);
    top = (f->fsw >> 11) & 7;
    for (unsigned i = 0; i < 8; i++) {
        struct x87reg *r = &f->st[(top + i) & 7];
        r->mant = le_get(fx + FX_ST(i), 8);
        r->se = (uint16_t)le_get(fx + FX_ST(i) + 8, 2);
    }
    f->ftw = 0;
    for (unsigned p = 0; p < 8; p++) {
        unsigned tag = fx[FX_FTW] >> p & 1 ? x87_tag(&f->st[p]) : 3;
        f->ftw |= (uint16_t)(tag << (2 * p));
    }
    for (unsigned i = 0; i < 16; i++) {
        f->xmm[i].q[0] = le_get(fx + FX_XMM(i), 8);
        f->xmm[i].q[1] = le_get(fx + FX_XMM(i) + 8, 8);
    }
}

/* The CPU's x87/SSE state as FXSAVE (64-bit format) would store it. */
static void fpu_to_fx(const struct fpu *f, uint8_t *fx)
{
    unsigned top = (f->fsw >> 11) & 7;

    memset(fx, 0, FX_SIZE);
    le_put(fx + FX_FCW, f->fcw, 2);
    le_put(fx + FX_FSW, f->fsw, 2);
    for (unsigned p = 0; p < 8; p++)
        if ((f->ftw >> (2 * p) & 3) != 3)
            fx[FX_FTW] |= (uint8_t)(1u << p);
    le_put(fx + FX_FOP, f->fop, 2);
    le_put(fx + FX_FIP, f->fip, 8);
    le_put(fx + FX_FDP, f->fdp, 8);
    le_put(fx + FX_MXCSR, f->mxcsr, 4);
    for (unsigned i = 0; i < 8; i++) {
        const struct x87reg *r = &f->st[(top + i) & 7];
        le_put(fx + FX_ST(i), r->mant, 8);
        le_put(fx + FX_ST(i) + 8, r->se, 2);
    }
    for (unsigned i = 0; i < 16; i++) {
        le_put(fx + FX_XMM(i), f->xmm[i].q[0], 8);
        le_put(fx + FX_XMM(i) + 8, f->xmm[i].q[1], 8);
    }
}

static void load_case(struct cpu *c, const struct cd_case *k)
{
    phys_write(&mem, GP_CODE, k->code, CD_CODE_SIZE);
    phys_write(&mem, GP_DATA, k->data, CD_DATA_SIZE);   /* drops stale blocks */
    memcpy(c->r, k->in.r, sizeof(c->r));
    c->rip = k->in.rip;
    cpu_set_rflags(c, k->in.rflags);
    fx_to_fpu(&c->fpu, k->in.fx);
}

static void result_from_cpu(struct cpu *c, struct cd_result *out)
{
    memcpy(out->s.r, c->r, sizeof(out->s.r));
    out->s.rip = c->rip;
    out->s.rflags = cpu_get_rflags(c);
    fpu_to_fx(&c->fpu, out->s.fx);
}

void cd_emu_run(const struct cd_case *k, struct cd_result *out, bool strict)
{
    struct cpu *c = &cpu;
    unsigned long n;

    out->status = RES_OK;
    out->vector = -1;
    out->has_error = false;
    out->error = 0;
    out->cr2 = 0;
    memset(&out->s, 0, sizeof(out->s));
    memcpy(out->data, k->data, CD_DATA_SIZE);
    cd_emu_progress++;
    if (!cpu_live && new_cpu() < 0) {
        out->status = RES_SETUP;
        return;
    }
    cd_emu_signal = 0;
    if (sigsetjmp(cd_emu_jmp, 0)) {
        /* xenemu crashed or hung: drop this CPU (its state may be broken). */
        out->status = cd_emu_signal == SIGALRM ? RES_HANG : RES_CRASH;
        cpu_live = false;
        need_reset = true;
        return;
    }
    cd_emu_guard(true);
    if (!enter_user_mode(c, k->f->mode == 32)) {
        cd_emu_guard(false);
        out->status = RES_SETUP;
        return;
    }
    load_case(c, k);
    c->strict = strict;
    last_exit.hit = false;
    for (n = 0; n < STEP_CAP; n++) {
        enum cpu_stop why = cpu_run(c, 1);
        if (last_exit.hit)
            break;
        if (why == STOP_STRICT) {
            out->status = RES_UNIMPL;
            break;
        }
        if (why == STOP_HLT || why == STOP_TRIPLE_FAULT) {
            out->status = RES_SETUP;
            break;
        }
        if (c->rip != k->in.rip)
            break;
    }
    /* The host went on to fetch from where the instruction went: a landing
     * stub, or (bad target) a fault on the fetch.  Take one more step when
     * xenemu went anywhere but a stub, so both report the same. */
    if (!last_exit.hit && out->status == RES_OK && n < STEP_CAP &&
        c->rip != k->landing[0] && c->rip != k->landing[1])
        cpu_run(c, 1);
    cd_emu_guard(false);
    if (n == STEP_CAP)
        out->status = RES_HANG;
    need_reset = out->status != RES_OK;
    result_from_cpu(c, out);
    if (last_exit.hit) {
        const struct cpu_event *ev = &last_exit.ev;
        out->vector = ev->vector;
        out->has_error = ev->has_error;
        out->error = ev->has_error ? ev->error : 0;
        out->cr2 = ev->vector == EXC_PF ? ev->cr2 : 0;
        out->s.rip = ev->kind == EV_EXCEPTION ? ev->rip : ev->next_rip;
        if (ev->kind != EV_EXCEPTION && ev->kind != EV_SOFTINT) {
            out->status = RES_SETUP;
            need_reset = true;
        }
    }
    phys_read(&mem, GP_DATA, out->data, CD_DATA_SIZE);
}

/* The emulated model's CPUID, run as an instruction. */
static uint32_t cpuid_reg(unsigned leaf, int reg, bool *ok)
{
    static struct cd_case k;
    struct cd_result res;
    static struct cd_form f = { .name = "cpuid", .group = "probe", .mode = 64 };

    memset(&k, 0, sizeof(k));
    k.f = &f;
    memset(k.code, 0xcc, sizeof(k.code));
    k.insn[0] = 0x0f;
    k.insn[1] = 0xa2;
    k.len = 2;
    k.landing[0] = CD_INSN_ADDR + 2;
    memcpy(k.code + (CD_INSN_ADDR - CD_CODE_BASE), k.insn, 2);
    k.in.r[RAX] = leaf;
    k.in.rip = CD_INSN_ADDR;
    k.in.rflags = 0x202;
    cd_emu_run(&k, &res, true);
    if (res.status != RES_OK || res.vector >= 0 || res.s.rip != CD_INSN_ADDR + 2)
        *ok = false;
    return (uint32_t)res.s.r[reg];
}

uint32_t cd_emu_features(bool *known)
{
    uint32_t all = ~0u, c1, d1, b7, c81, max;
    bool ok = true;

    max = cpuid_reg(0, RAX, &ok);
    c1 = cpuid_reg(1, RCX, &ok);
    d1 = cpuid_reg(1, RDX, &ok);
    b7 = max >= 7 ? cpuid_reg(7, RBX, &ok) : 0;
    c81 = cpuid_reg(0x80000001, RCX, &ok);
    *known = ok;
    if (!ok)
        return all;
    uint32_t have = 0;
    for (uint32_t bit = 1; bit; bit <<= 1)
        if (cd_feature_bits(c1, d1, b7, c81, bit))
            have |= bit;
    return have;
}
