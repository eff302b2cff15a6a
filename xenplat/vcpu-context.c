/*
 * VCPUOP_initialise for a PV guest (xen/common/domain.c
 * default_initialise_vcpu, xen/arch/x86/domain.c arch_set_info_guest):
 * a secondary vCPU gets its first context from a vcpu_guest_context in
 * the guest's memory, 64-bit or compat layout (pub/arch-x86/xen.h), with
 * Xen's checks.  The vCPU stays down until VCPUOP_up (or VGCF_online).
 */
#include <string.h>
#include "xenemu/le.h"
#include "xenplat/guest.h"
#include "xenplat/mm.h"
#include "xenplat/sched.h"
#include "xenplat/traps.h"
#include "xenplat/xenmap.h"

enum {
    VGCF_I387_VALID = 1u << 0, VGCF_in_kernel = 1u << 2,
    VGCF_failsafe_disables_events = 1u << 3,
    VGCF_syscall_disables_events = 1u << 4, VGCF_online = 1u << 5,
};

/* fpu_ctxt, the FXSAVE image at offset 0 of both layouts, and Xen's
 * default state (FCW_DEFAULT, MXCSR_DEFAULT).  Byte 511 is the word size
 * Xen stores there when it saves: 4 or 2 select the 32-bit layout. */
enum {
    FX_IMAGE = 512, FX_FCW = 0, FX_MXCSR = 24, FX_WORD_SIZE = 511,
    FCW_DEFAULT = 0x037f, MXCSR_DEFAULT = 0x1f80,
};

/* Offsets in struct vcpu_guest_context: 64-bit, then compat. */
struct vgc_layout {
    unsigned size, ulong, flags, regs, trap, trap_size, ldt_base, ldt_ents;
    unsigned gdt_frames, gdt_ents, kernel_ss, kernel_sp, ctrlreg, debugreg;
    unsigned event_cs, event_ip, failsafe_cs, failsafe_ip, syscall_ip;
    unsigned fs_base, gs_base_kernel, gs_base_user;
    /* in cpu_user_regs */
    unsigned r_ip, r_cs, r_flags, r_sp, r_ss, r_es, r_ds, r_fs, r_gs;
};

static const struct vgc_layout vgc64 = {
    .size = 5168, .ulong = 8, .flags = 512, .regs = 520, .trap = 720,
    .trap_size = 16, .ldt_base = 4816, .ldt_ents = 4824,
    .gdt_frames = 4832, .gdt_ents = 4960, .kernel_ss = 4968,
    .kernel_sp = 4976, .ctrlreg = 4984, .debugreg = 5048,
    .event_ip = 5112, .failsafe_ip = 5120, .syscall_ip = 5128,
    .fs_base = 5144, .gs_base_kernel = 5152, .gs_base_user = 5160,
    .r_ip = 128, .r_cs = 136, .r_flags = 144, .r_sp = 152, .r_ss = 160,
    .r_es = 168, .r_ds = 176, .r_fs = 184, .r_gs = 192,
};

static const struct vgc_layout vgc32 = {
    .size = 2800, .ulong = 4, .flags = 512, .regs = 516, .trap = 584,
    .trap_size = 8, .ldt_base = 2632, .ldt_ents = 2636,
    .gdt_frames = 2640, .gdt_ents = 2704, .kernel_ss = 2708,
    .kernel_sp = 2712, .ctrlreg = 2716, .debugreg = 2748,
    .event_cs = 2780, .event_ip = 2784, .failsafe_cs = 2788,
    .failsafe_ip = 2792,
    .r_ip = 32, .r_cs = 36, .r_flags = 40, .r_sp = 44, .r_ss = 48,
    .r_es = 52, .r_ds = 56, .r_fs = 60, .r_gs = 64,
};

/* The 64-bit general registers in cpu_user_regs order, and the compat
 * ones (ebx ecx edx esi edi ebp eax). */
static const int regs64[15] = {
    R_R15, R_R14, R_R13, R_R12, R_BP, R_BX, R_R11, R_R10, R_R9, R_R8,
    R_AX, R_CX, R_DX, R_SI, R_DI,
};
static const int regs32[7] = { R_BX, R_CX, R_DX, R_SI, R_DI, R_BP, R_AX };

struct vgc {
    const struct vgc_layout *l;
    const uint8_t *b;
};

static uint64_t ul(const struct vgc *g, unsigned off)
{
    return g->l->ulong == 8 ? le64_load(g->b + off) : le32_load(g->b + off);
}

static uint64_t reg(const struct vgc *g, unsigned off)
{
    return ul(g, g->l->regs + off);
}

/* xen_cr3_to_pfn: 64-bit cr3 >> 12; compat folds the top bits in. */
static uint64_t cr3_to_mfn(const struct vgc *g, uint64_t cr3)
{
    if (g->l->ulong == 8)
        return cr3 >> 12;
    return ((uint32_t)cr3 >> 12) | (uint32_t)(cr3 << 20);
}

/* The checks that come before anything changes. */
static long vgc_check(const struct vcpu *t, const struct vgc *g)
{
    const struct vgc_layout *l = g->l;
    uint64_t ldt_base = ul(g, l->ldt_base), ldt_ents = ul(g, l->ldt_ents);
    unsigned i;

    if (l->ulong == 8) {
        const unsigned addrs[] = {
            l->regs + l->r_ip, l->event_ip, l->failsafe_ip, l->syscall_ip,
            l->ldt_base, l->fs_base, l->gs_base_kernel, l->gs_base_user,
        };
        for (i = 0; i < ARRAY_SIZE(addrs); i++)
            if (!is_canonical(le64_load(g->b + addrs[i])))
                return -XEN_EINVAL;
        for (i = 0; i < 256; i++)
            if (!is_canonical(le64_load(g->b + l->trap + i * 16 + 8)))
                return -XEN_EINVAL;
        /* User mode needs the user page tables. */
        if (!(le64_load(g->b + l->flags) & VGCF_in_kernel) &&
            !ul(g, l->ctrlreg + 1 * l->ulong))
            return -XEN_EINVAL;
    }
    if ((ldt_base & (PAGE_SIZE - 1)) || ldt_ents > 8192 ||
        (ldt_ents && !mm_addr_ok(t->d, ldt_base)))
        return -XEN_EINVAL;
    if (ul(g, l->gdt_ents) > FIRST_RESERVED_GDT_ENTRY)
        return -XEN_EINVAL;
    return 0;
}

/* The vCPU's processor as Xen runs every PV vCPU (the builder's vCPU 0
 * gets the same): long mode paging, CR4.OSXSAVE with XCR0 = x87|SSE when
 * the policy has XSAVE, Xen's GDT window, no IDT, no I/O bitmap. */
static void vcpu_processor_init(struct vcpu *t)
{
    struct cpu *c = &t->cpu;
    unsigned s;

    cpu_set_cr4(c, CR4_PAE | CR4_PGE | CR4_OSFXSR | CR4_OSXMMEXCPT |
                   (pv_policy_xsave(t) ? CR4_OSXSAVE : 0));
    c->xcr0 = pv_policy_xsave(t) ? 3 : 1;
    cpu_set_efer(c, EFER_SCE | EFER_LME | EFER_NXE);
    c->gdtr.base = xenmap_gdt_va(t);
    c->gdtr.limit = FIRST_RESERVED_GDT_BYTE + PAGE_SIZE - 1;
    c->idtr.base = 0;
    c->idtr.limit = 0;
    c->tr = (struct seg){ .sel = 0, .base = 0, .limit = 0,
                          .attr = 0xb | SEGA_P };
    for (s = 0; s <= FIRST_RESERVED_GDT_PAGE; s++)
        xenmap_map_gdt_frame(t, s, 0);
}

static void load_traps_and_callbacks(struct vcpu *t, const struct vgc *g,
                                     uint64_t flags)
{
    const struct vgc_layout *l = g->l;
    bool is64 = l->ulong == 8;
    unsigned i;

    for (i = 0; i < 256; i++) {
        const uint8_t *e = g->b + l->trap + i * l->trap_size;
        t->trap[i] = (struct trap_entry){
            .cs = pv_fixup_selector(t->d, le16_load(e + 2)),
            .flags = e[1],
            .address = is64 ? le64_load(e + 8) : le32_load(e + 4),
        };
    }
    t->cb[CB_EVENT] = (struct callback){
        .cs = is64 ? 0 : pv_fixup_selector(t->d, ul(g, l->event_cs)),
        .ip = ul(g, l->event_ip) };
    t->cb[CB_FAILSAFE] = (struct callback){
        .cs = is64 ? 0 : pv_fixup_selector(t->d, ul(g, l->failsafe_cs)),
        .ip = ul(g, l->failsafe_ip),
        .mask_events = flags & VGCF_failsafe_disables_events };
    if (is64)
        t->cb[CB_SYSCALL] = (struct callback){
            .ip = ul(g, l->syscall_ip),
            .mask_events = flags & VGCF_syscall_disables_events };
}

static void load_registers(struct vcpu *t, const struct vgc *g)
{
    const struct vgc_layout *l = g->l;
    struct cpu *c = &t->cpu;
    uint64_t rflags = reg(g, l->r_flags);
    unsigned i;

    if (l->ulong == 8)
        for (i = 0; i < 15; i++)
            c->r[regs64[i]] = reg(g, i * 8);
    else
        for (i = 0; i < 7; i++)
            c->r[regs32[i]] = reg(g, i * 4);
    c->rip = reg(g, l->r_ip);
    c->r[R_SP] = reg(g, l->r_sp);
    /* IOPL is virtual; real interrupts stay enabled; bit 1 is set. */
    t->iopl = (unsigned)(rflags >> 12) & 3;
    cpu_set_rflags(c, (rflags & ~(uint64_t)FL_IOPL) | FL_IF | 2);
    /* DS/ES/FS/GS load as at a switch-in (pv_load_segments); CS/SS as
     * Xen's return to the guest loads them. */
    c->seg[SEG_DS].sel = (uint16_t)reg(g, l->r_ds);
    c->seg[SEG_ES].sel = (uint16_t)reg(g, l->r_es);
    c->seg[SEG_FS].sel = (uint16_t)reg(g, l->r_fs);
    c->seg[SEG_GS].sel = (uint16_t)reg(g, l->r_gs);
    if (l->ulong == 8) {
        c->seg[SEG_FS].base = le64_load(g->b + l->fs_base);
        c->seg[SEG_GS].base = t->kernel_mode
            ? le64_load(g->b + l->gs_base_kernel)
            : le64_load(g->b + l->gs_base_user);
        c->kernel_gs_base = t->kernel_mode
            ? le64_load(g->b + l->gs_base_user)
            : le64_load(g->b + l->gs_base_kernel);
    }
    t->return_pending = true;
    t->return_sysret = false;
    t->return_cs = pv_fixup_selector(t->d, reg(g, l->r_cs));
    t->return_ss = pv_fixup_selector(t->d, reg(g, l->r_ss));
}

/* Page tables: the kernel (or compat L3) base and the 64-bit user one. */
static long load_page_tables(struct vcpu *t, const struct vgc *g)
{
    const struct vgc_layout *l = g->l;
    uint64_t cr3 = ul(g, l->ctrlreg + 3 * l->ulong);
    uint64_t ucr3 = l->ulong == 8 ? ul(g, l->ctrlreg + 1 * l->ulong) : 0;

    if (mm_new_baseptr(t, cr3_to_mfn(g, cr3)))
        return -XEN_EINVAL;
    if (ucr3 && mm_new_user_baseptr(t, cr3_to_mfn(g, ucr3)))
        return -XEN_EINVAL;
    return 0;
}

static long load_gdt_ldt(struct vcpu *t, const struct vgc *g)
{
    const struct vgc_layout *l = g->l;
    uint64_t frames[FIRST_RESERVED_GDT_PAGE];
    unsigned ents = (unsigned)ul(g, l->gdt_ents), i;

    for (i = 0; i < FIRST_RESERVED_GDT_PAGE; i++)
        frames[i] = ul(g, l->gdt_frames + i * l->ulong);
    if (mm_set_gdt(t, frames, ents))
        return -XEN_EINVAL;
    return mm_set_ldt(t, ul(g, l->ldt_base), (unsigned)ul(g, l->ldt_ents));
}

/* vcpu_setup_fpu (xen/arch/x86/i387.c): the image fx, or with fx NULL
 * the default state (x87 initialised with FCW 0x37f, MXCSR 0x1f80, XMM
 * registers zero).  Xen loads the image with XRSTOR (FXRSTOR without
 * XSAVE); when that faults on the MXCSR its fix-ups retry with a cleaned
 * image: XRSTOR's with x87 and SSE in their initial state and the MXCSR
 * masked, FXRSTOR's with the whole image zeroed. */
void vcpu_setup_fpu(struct vcpu *t, const uint8_t *fx)
{
    uint8_t img[FX_IMAGE];
    bool w64 = !fx || (fx[FX_WORD_SIZE] != 4 && fx[FX_WORD_SIZE] != 2);

    if (fx && cpu_fx_load(&t->cpu, fx, w64))
        return;
    memset(img, 0, sizeof(img));
    if (!fx || pv_policy_xsave(t)) {
        le16_store(img + FX_FCW, FCW_DEFAULT);
        le32_store(img + FX_MXCSR,
                   fx ? le32_load(fx + FX_MXCSR) & cpu_mxcsr_mask()
                      : MXCSR_DEFAULT);
    }
    cpu_fx_load(&t->cpu, img, true);
}

/* arch_set_info_guest() for a vCPU that has no context yet. */
long vcpu_set_context(struct vcpu *t, const uint8_t *ctx)
{
    struct vgc g = { is_pv32(t->d) ? &vgc32 : &vgc64, ctx };
    const struct vgc_layout *l = g.l;
    struct cpu *c = &t->cpu;
    uint64_t flags = ul(&g, l->flags);
    long rc;
    unsigned i;

    if ((rc = vgc_check(t, &g)))
        return rc;
    vcpu_processor_init(t);
    t->kernel_mode = l->ulong == 8 ? (flags & VGCF_in_kernel) != 0 : true;
    if ((rc = load_gdt_ldt(t, &g)))
        return rc;
    if ((rc = load_page_tables(t, &g))) {
        uint64_t none[FIRST_RESERVED_GDT_PAGE] = { 0 };
        mm_set_ldt(t, 0, 0);
        mm_set_gdt(t, none, 0);         /* destroy_gdt */
        return rc;
    }
    vcpu_setup_fpu(t, flags & VGCF_I387_VALID ? ctx : NULL);
    load_traps_and_callbacks(t, &g, flags);
    t->kernel_ss = pv_fixup_selector(t->d, ul(&g, l->kernel_ss));
    t->kernel_sp = ul(&g, l->kernel_sp);
    load_registers(t, &g);
    cpu_set_cr0(c, CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG);
    /* Only CR0.TS is the guest's. */
    pv_fpu_taskswitch(t, (ul(&g, l->ctrlreg) & CR0_TS) != 0);
    mm_load_cr3(t);
    cpu_update_mode(c);
    t->dr[6] = 0xffff0ff0;
    t->dr[7] = 0x400;
    for (i = 0; i < 8; i++)
        if (i != 4 && i != 5)
            pv_set_debugreg(t, i, ul(&g, l->debugreg + i * l->ulong));
    cpu_flush_code(c);
    t->initialised = true;
    if (flags & VGCF_online) {
        t->online = true;
        t->blocked = true;
        vcpu_unblock(t);
    }
    return 0;
}
