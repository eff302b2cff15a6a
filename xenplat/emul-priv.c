/*
 * Emulation of what Xen emulates for a PV guest's #GP(0) and #UD
 * (x86/pv/emul-priv-op.c, x86/pv/emul-inv-op.c): port I/O under the virtual
 * IOPL and I/O bitmap, CLI/STI, CLTS, WBINVD, MOV CR/DR, RDMSR/WRMSR,
 * RDTSC(P) and CPUID when they fault, and the forced-emulation prefix.
 *
 * Xen's validate() admits only those instructions; anything else (INVD,
 * HLT, LMSW, ...) gets its #GP reflected.  Xen's emulator fakes CPL 0 in
 * guest kernel mode, so the privileged ones work there and raise #GP(0) in
 * guest user mode.
 */
#include <string.h>
#include "xenemu/le.h"
#include "xenplat/guest.h"
#include "xenplat/mm.h"
#include "xenplat/traps.h"

/* Xen's own CR0 (PE MP ET NE WP AM PG), of which a guest reads all but TS. */
#define XEN_HOST_CR0 0x80050033ull

/* PV CR4 (pv/domain.c): the guest controls TSD, DE, FSGSBASE and OSXSAVE
 * within its policy and sees Xen's PAE, MCE, OSFXSR and OSXMMEXCPT. */
#define PV_CR4_GUEST_MASK   (CR4_TSD | CR4_DE | CR4_FSGSBASE | CR4_OSXSAVE)
#define PV_CR4_VISIBLE      (CR4_PAE | CR4_MCE | CR4_OSFXSR | CR4_OSXMMEXCPT)

/* A decoded instruction: prefixes, then the opcode at op. */
struct insn {
    uint8_t b[15];
    unsigned n;                /* bytes fetched */
    unsigned op;               /* index of the opcode byte */
    unsigned opsize;           /* 2, 4, 8 */
    unsigned adsize;           /* 2, 4, 8 */
    bool rep;
    uint8_t rex;
    int seg;                   /* override, or SEG_DS */
};

/* ---- helpers ------------------------------------------------------------- */

static bool kernel_mode(const struct vcpu *v)
{
    return is_pv32(v->d) ? (v->cpu.seg[SEG_CS].sel & 3) == 1 : v->kernel_mode;
}

/* Bytes at rip; Xen reads through CS for the priv-op emulator. */
static unsigned fetch(struct vcpu *v, uint64_t la, uint8_t *buf, unsigned max)
{
    unsigned n;

    for (n = 0; n < max; n++)
        if (cpu_read_virt(&v->cpu, la + n, buf + n, 1, 0))
            break;
    return n;
}

static void advance(struct vcpu *v, unsigned len)
{
    struct cpu *c = &v->cpu;

    c->rip += len;
    if (c->mode != MODE_LONG64)
        c->rip = (uint32_t)c->rip;
}

/* pv_emul_instruction_done: single-stepping over an emulated instruction
 * still gives #DB. */
static void done(struct vcpu *v, unsigned len)
{
    advance(v, len);
    if (cpu_get_rflags(&v->cpu) & FL_TF) {
        v->dr[6] |= 1u << 14;                   /* BS */
        pv_inject_exception(v, EXC_DB, false, 0);
    }
}

static bool decode(struct vcpu *v, struct insn *in)
{
    struct cpu *c = &v->cpu;
    bool long64 = c->mode == MODE_LONG64;
    unsigned i;

    memset(in, 0, sizeof(*in));
    in->n = fetch(v, c->seg[SEG_CS].base + c->rip, in->b, sizeof(in->b));
    in->opsize = 4;
    in->adsize = long64 ? 8 : 4;
    in->seg = SEG_DS;
    for (i = 0; i < in->n; i++) {
        uint8_t p = in->b[i];
        if (p == 0x66)
            in->opsize = 2;
        else if (p == 0x67)
            in->adsize = long64 ? 4 : 2;
        else if (p == 0xf2 || p == 0xf3)
            in->rep = true;
        else if (p == 0x26 || p == 0x2e || p == 0x36 || p == 0x3e)
            in->seg = long64 ? SEG_DS : (p >> 3) & 3;
        else if (p == 0x64 || p == 0x65)
            in->seg = p - 0x64 + SEG_FS;
        else if (long64 && (p & 0xf0) == 0x40 && i + 1 < in->n) {
            in->rex = p;            /* must be the last prefix */
            if (p & 8)
                in->opsize = 8;
            i++;
            break;
        } else
            break;
    }
    in->op = i;
    return i < in->n;
}

/* ---- port I/O (guest_io_okay; a domU owns no ports) ------------------------ */

static bool iopl_ok(const struct vcpu *v)
{
    unsigned cpl = kernel_mode(v)
        ? (v->d->vm_assist & (1ul << 4) ? 0 : 1) : 3;

    return cpl <= v->iopl;
}

static bool io_okay(struct vcpu *v, unsigned port, unsigned bytes)
{
    uint8_t x[2] = { 0xff, 0xff };
    unsigned mask;
    bool toggled = false;

    if (iopl_ok(v))
        return true;
    if (port + bytes > v->iobmp_limit)
        return false;
    /* The bitmap is read with the kernel's page tables. */
    if (!is_pv32(v->d) && !v->kernel_mode) {
        pv_toggle_guest_mode(v);
        toggled = true;
    }
    if (get_guest_u8(v, v->iobmp + (port >> 3), &x[0]) == 0)
        get_guest_u8(v, v->iobmp + (port >> 3) + 1, &x[1]);
    if (toggled)
        pv_toggle_guest_mode(v);
    mask = ((1u << bytes) - 1) << (port & 7);
    return ((x[0] | (unsigned)x[1] << 8) & mask) == 0;
}

static void write_ax(struct cpu *c, unsigned size, uint64_t val)
{
    if (size == 4)
        c->r[R_AX] = (uint32_t)val;
    else if (size == 2)
        c->r[R_AX] = (c->r[R_AX] & ~0xffffull) | (val & 0xffff);
    else
        c->r[R_AX] = (c->r[R_AX] & ~0xffull) | (val & 0xff);
}

static uint64_t admask(unsigned adsize)
{
    return adsize == 8 ? ~0ull : (1ull << (adsize * 8)) - 1;
}

/* INS/OUTS, REP in chunks: a long count re-executes, as Xen's emulator
 * leaves rip alone when it stops early. */
#define REP_CHUNK 4096

static bool string_io(struct vcpu *v, const struct insn *in, bool is_in,
                      unsigned size, unsigned len)
{
    struct cpu *c = &v->cpu;
    uint64_t am = admask(in->adsize), count = in->rep ? c->r[R_CX] & am : 1;
    int ri = is_in ? R_DI : R_SI, seg = is_in ? SEG_ES : in->seg;
    int64_t step = (cpu_get_rflags(c) & FL_DF) ? -(int64_t)size : size;
    unsigned port = (uint16_t)c->r[R_DX], k;
    uint8_t ones[4] = { 0xff, 0xff, 0xff, 0xff }, tmp[4];

    if (!io_okay(v, port, size))
        return false;
    for (k = 0; k < REP_CHUNK && count; k++, count--) {
        uint64_t off = c->r[ri] & am, la = c->seg[seg].base + off;
        if (c->mode != MODE_LONG64)
            la = (uint32_t)la;
        if (is_in ? copy_to_guest(v, la, ones, size)
                  : copy_from_guest(v, la, tmp, size)) {
            pv_inject_page_fault(v, la, is_in ? PFEC_W : 0);
            return true;
        }
        c->r[ri] = (c->r[ri] & ~am) | ((off + (uint64_t)step) & am);
        if (in->rep)
            c->r[R_CX] = (c->r[R_CX] & ~am) | (count - 1);
    }
    if (!count)
        done(v, len);
    return true;
}

static bool port_io(struct vcpu *v, const struct insn *in)
{
    struct cpu *c = &v->cpu;
    uint8_t op = in->b[in->op];
    unsigned size = (op & 1) ? (in->opsize == 2 ? 2 : 4) : 1;
    unsigned len = in->op + 1, port;

    if (op >= 0x6c && op <= 0x6f)
        return string_io(v, in, op < 0x6e, size, len);
    if (!(op & 8)) {                       /* immediate port */
        if (len >= in->n)
            return false;
        port = in->b[len++];
    } else {
        port = (uint16_t)c->r[R_DX];
    }
    if (!io_okay(v, port, size))
        return false;
    if (!(op & 2))
        write_ax(c, size, ~0ull);          /* no device: all ones */
    done(v, len);
    return true;
}

/* ---- control and debug registers --------------------------------------------- */

uint64_t pv_read_cr4(const struct vcpu *v)
{
    return v->cr4_guest | PV_CR4_VISIBLE;
}

void pv_write_cr4(struct vcpu *v, uint64_t val)
{
    struct cpu *c = &v->cpu;
    uint64_t hw;

    /* Bits outside the policy are discarded (pv_fixup_guest_cr4).  The
     * real CR4.OSXSAVE stays as Xen set it: only the guest's view moves. */
    v->cr4_guest = val & PV_CR4_GUEST_MASK;
    if (!pv_policy_xsave(v))
        v->cr4_guest &= ~(uint64_t)CR4_OSXSAVE;
    hw = c->cr4 & ~(uint64_t)(CR4_TSD | CR4_DE | CR4_FSGSBASE);
    hw |= v->cr4_guest & (CR4_TSD | CR4_DE);
    if (v->cr4_guest & CR4_FSGSBASE || is_pv32(v->d))
        hw |= CR4_FSGSBASE;
    cpu_set_cr4(c, hw);
}

/* xen_pfn_to_cr3 / compat_pfn_to_cr3 and back. */
static uint64_t pfn_to_cr3(const struct vcpu *v, uint64_t pfn)
{
    if (is_pv32(v->d))
        return (uint32_t)(pfn << 12 | pfn >> 20);
    return pfn << 12;
}

static uint64_t cr3_to_pfn(const struct vcpu *v, uint64_t cr3)
{
    if (is_pv32(v->d))
        return (uint32_t)((uint32_t)cr3 >> 12 | (uint32_t)cr3 << 20);
    return cr3 >> 12;
}

static bool read_cr(struct vcpu *v, unsigned cr, uint64_t *val)
{
    switch (cr) {
    case 0:
        *val = XEN_HOST_CR0 | (v->fpu_ts ? CR0_TS : 0);
        return true;
    case 2:
        *val = v->cr2;
        return true;
    case 3:
        *val = pfn_to_cr3(v, is_pv32(v->d) ? v->guest_l3 : v->kernel_l4);
        return true;
    case 4:
        *val = pv_read_cr4(v);
        return true;
    default:
        return false;
    }
}

static bool write_cr(struct vcpu *v, unsigned cr, uint64_t val)
{
    struct page_info *pg;
    uint64_t mfn;

    switch (cr) {
    case 0:
        if ((val ^ XEN_HOST_CR0) & ~CR0_TS & (is_pv32(v->d) ? 0xffffffffu
                                                           : ~0ull))
            return false;
        pv_fpu_taskswitch(v, val & CR0_TS);
        return true;
    case 2:
        pv_set_cr2(v, val);
        return true;
    case 3:
        mfn = cr3_to_pfn(v, val);          /* PV: gfn == mfn */
        pg = mfn_page(v->d->x, mfn);
        if (!pg || pg->owner != v->d->domid)
            return false;
        return mm_new_baseptr(v, mfn) == 0;
    case 4:
        pv_write_cr4(v, val);
        return true;
    default:
        return false;
    }
}

/* MOV CR/DR: ModRM mod is ignored, reg = the control register. */
static bool mov_cr_dr(struct vcpu *v, const struct insn *in, unsigned len)
{
    struct cpu *c = &v->cpu;
    uint8_t op = in->b[in->op + 1], modrm;
    unsigned reg, rm;
    uint64_t val;
    bool ok;

    if (len >= in->n || !kernel_mode(v))
        return false;
    modrm = in->b[len++];
    reg = (modrm >> 3 & 7) | (in->rex & 4 ? 8 : 0);
    rm = (modrm & 7) | (in->rex & 1 ? 8 : 0);
    val = c->r[rm];
    if (c->mode != MODE_LONG64)
        val = (uint32_t)val;
    switch (op) {
    case 0x20: ok = read_cr(v, reg, &val); break;
    case 0x21: ok = reg < 8 && pv_get_debugreg(v, reg, &val) == 0; break;
    case 0x22: ok = write_cr(v, reg, val); break;
    default:   ok = reg < 8 && pv_set_debugreg(v, reg, val) == 0; break;
    }
    if (!ok)
        return false;
    if (!(op & 2))
        c->r[rm] = c->mode == MODE_LONG64 ? val : (uint32_t)val;
    done(v, len);
    return true;
}

/* ---- MSRs (pv/emul-priv-op.c read_msr/write_msr, msr.c guest_rdmsr) ------ */

enum {
    MSR_IA32_TSC = 0x10, MSR_IA32_PLATFORM_ID = 0x17, MSR_APIC_BASE = 0x1b,
    MSR_FEATURE_CONTROL = 0x3a, MSR_SPEC_CTRL = 0x48, MSR_PRED_CMD = 0x49,
    MSR_UCODE_REV = 0x8b, MSR_PLATFORM_INFO = 0xce, MSR_ARCH_CAPS = 0x10a,
    MSR_MISC_FEATURES = 0x140, MSR_MCG_CAP = 0x179, MSR_MCG_STATUS = 0x17a,
    MSR_MISC_ENABLE = 0x1a0, MSR_PAT = 0x277,
    MSR_EFER = 0xc0000080, MSR_STAR = 0xc0000081, MSR_FS_BASE = 0xc0000100,
    MSR_GS_BASE = 0xc0000101, MSR_SHADOW_GS_BASE = 0xc0000102,
    MSR_TSC_AUX = 0xc0000103,
    MSR_K7_EVNTSEL0 = 0xc0010000, MSR_K7_PERFCTR3 = 0xc0010007,
    MSR_K8_SYSCFG = 0xc0010010, MSR_K8_HWCR = 0xc0010015,
    MSR_AMD_PATCHLOADER = 0xc0010020, MSR_K7_FID_VID_CTL = 0xc0010041,
    MSR_K7_FID_VID_STATUS = 0xc0010042, MSR_K8_PSTATE_LIMIT = 0xc0010061,
    MSR_K8_PSTATE7 = 0xc001006b, MSR_FAM15H_EVNTSEL0 = 0xc0010200,
    MSR_FAM15H_PERFCTR5 = 0xc001020b, MSR_AMD64_NB_CFG = 0xc001001f,
    MSR_AMD64_DE_CFG = 0xc0011029,
};

#define EFER_LMA_BIT (1ull << 10)
#define EFER_NXE_BIT (1ull << 11)
#define XEN_MSR_PAT  0x0000050100070406ull
#define K8_HWCR_TSC_FREQ_SEL (1ull << 24)
#define DE_CFG_LFENCE_SERIALISE (1ull << 1)

/* guest_efer(): Xen's EFER without SVME; no long mode for 32-bit. */
static uint64_t guest_efer(const struct vcpu *v)
{
    uint64_t efer = EFER_SCE | EFER_LME | EFER_LMA_BIT | EFER_NXE_BIT;

    if (is_pv32(v->d))
        efer &= ~(EFER_LME | EFER_LMA_BIT);
    return efer;
}

static bool read_msr(struct vcpu *v, uint32_t msr, uint64_t *val)
{
    struct cpu *c = &v->cpu;
    bool is32 = is_pv32(v->d);

    *val = 0;
    switch (msr) {
    case MSR_FS_BASE:
        *val = c->seg[SEG_FS].base;
        return !is32;
    case MSR_GS_BASE:
        *val = c->seg[SEG_GS].base;
        return !is32;
    case MSR_SHADOW_GS_BASE:
        *val = c->kernel_gs_base;
        return !is32;
    case MSR_IA32_TSC:
        *val = xen_tsc(v->d->x, v);
        return true;
    case MSR_EFER:
        *val = guest_efer(v);
        return true;
    case MSR_PAT:
        *val = XEN_MSR_PAT;
        return true;
    case MSR_TSC_AUX:
        *val = c->tsc_aux;
        return true;
    case MSR_PLATFORM_INFO:
    case MSR_MISC_FEATURES:
        return true;                       /* no CPUID faulting to offer */
    case MSR_MCG_CAP:
        *val = 0x802;                      /* vMCE: MCG_TES_P, 2 banks */
        return true;
    case MSR_MCG_STATUS:
        return true;
    case MSR_K8_HWCR:
        *val = K8_HWCR_TSC_FREQ_SEL;
        return true;
    case MSR_AMD64_DE_CFG:
        *val = DE_CFG_LFENCE_SERIALISE;
        return true;
    case MSR_AMD64_NB_CFG:
        return true;
    case MSR_UCODE_REV:
        return true;
    default:
        /* P-state and performance-counter MSRs read as 0 (no vPMU). */
        return (msr >= MSR_K7_FID_VID_CTL && msr <= MSR_K7_FID_VID_STATUS) ||
               (msr >= MSR_K8_PSTATE_LIMIT && msr <= MSR_K8_PSTATE7) ||
               (msr >= MSR_K7_EVNTSEL0 && msr <= MSR_K7_PERFCTR3) ||
               (msr >= MSR_FAM15H_EVNTSEL0 && msr <= MSR_FAM15H_PERFCTR5);
    }
}

static bool write_msr(struct vcpu *v, uint32_t msr, uint64_t val)
{
    struct cpu *c = &v->cpu;
    bool is32 = is_pv32(v->d);

    switch (msr) {
    case MSR_FS_BASE:
    case MSR_GS_BASE:
    case MSR_SHADOW_GS_BASE:
        if (is32 || !is_canonical(val))
            return false;
        if (msr == MSR_FS_BASE)
            c->seg[SEG_FS].base = val;
        else if (msr == MSR_GS_BASE)
            c->seg[SEG_GS].base = val;
        else
            c->kernel_gs_base = val;
        return true;
    case MSR_EFER:
        return val == guest_efer(v);       /* Linux writes it back */
    case MSR_TSC_AUX:
        if (val >> 32)
            return false;
        c->tsc_aux = val;
        return true;
    case MSR_MISC_FEATURES:
        return val == 0;
    case MSR_PAT:
        return true;                       /* ignored */
    case MSR_K8_HWCR:
    case MSR_AMD64_NB_CFG:
    case MSR_AMD64_DE_CFG:
    case MSR_AMD_PATCHLOADER:
        return true;                       /* ignored for a domU */
    default:
        return (msr >= MSR_K7_FID_VID_CTL && msr <= MSR_K7_FID_VID_STATUS) ||
               (msr >= MSR_K8_PSTATE_LIMIT && msr <= MSR_K8_PSTATE7) ||
               (msr >= MSR_K7_EVNTSEL0 && msr <= MSR_K7_PERFCTR3) ||
               (msr >= MSR_FAM15H_EVNTSEL0 && msr <= MSR_FAM15H_PERFCTR5);
    }
}

static void edx_eax(struct cpu *c, uint64_t val)
{
    c->r[R_AX] = (uint32_t)val;
    c->r[R_DX] = val >> 32;
}

/* XSETBV (x86_emulate with the guest's CR4, then handle_xsetbv): #UD
 * without the guest's CR4.OSXSAVE; #GP for XCR != 0 or a value that is not
 * a valid XCR0 (x87 on, within the policy's components, AVX only with
 * SSE).  XCR0 is per vCPU: it lives in the vCPU's CPU state. */
#define XCR0_X87 1u
#define XCR0_SSE 2u
#define XCR0_YMM 4u

static bool xsetbv(struct vcpu *v, unsigned len)
{
    struct cpu *c = &v->cpu;
    uint64_t val = (uint32_t)c->r[R_AX] | c->r[R_DX] << 32, mask;
    uint32_t leaf_d[4];

    if (!kernel_mode(v))
        return false;
    if (!(v->cr4_guest & CR4_OSXSAVE)) {
        pv_inject_exception(v, EXC_UD, false, 0);
        return true;
    }
    pv_guest_cpuid(v, 0xd, 0, leaf_d);
    mask = leaf_d[0] | (uint64_t)leaf_d[3] << 32;
    if ((uint32_t)c->r[R_CX] != 0 || !(val & XCR0_X87) || (val & ~mask) ||
        ((val & XCR0_YMM) && !(val & XCR0_SSE)))
        return false;
    c->xcr0 = val;
    done(v, len);
    return true;
}

/* ---- the dispatcher ------------------------------------------------------------ */

static bool twobyte(struct vcpu *v, const struct insn *in)
{
    struct cpu *c = &v->cpu;
    unsigned len = in->op + 2;
    uint32_t out[4];
    uint64_t val;

    if (len > in->n)
        return false;
    switch (in->b[in->op + 1]) {
    case 0x06:                                     /* CLTS */
        if (!kernel_mode(v))
            return false;
        pv_fpu_taskswitch(v, false);
        break;
    case 0x09:                                     /* WBINVD: nothing to do */
        if (!kernel_mode(v))
            return false;
        break;
    case 0x20: case 0x21: case 0x22: case 0x23:
        return mov_cr_dr(v, in, len);
    case 0x30:                                     /* WRMSR */
        if (!kernel_mode(v) ||
            !write_msr(v, (uint32_t)c->r[R_CX],
                       (uint32_t)c->r[R_AX] | c->r[R_DX] << 32))
            return false;
        break;
    case 0x32:                                     /* RDMSR */
        if (!kernel_mode(v) || !read_msr(v, (uint32_t)c->r[R_CX], &val))
            return false;
        edx_eax(c, val);
        break;
    case 0x31:                                     /* RDTSC under CR4.TSD */
        if (!kernel_mode(v))
            return false;
        edx_eax(c, xen_tsc(v->d->x, v));
        break;
    case 0x01:                                     /* RDTSCP, XSETBV */
        if (len < in->n && in->b[len] == 0xd1)
            return xsetbv(v, len + 1);
        if (len >= in->n || in->b[len] != 0xf9 || !kernel_mode(v))
            return false;
        len++;
        edx_eax(c, xen_tsc(v->d->x, v));
        c->r[R_CX] = (uint32_t)c->tsc_aux;
        break;
    case 0xa2:                                     /* CPUID (faulting) */
        pv_guest_cpuid(v, (uint32_t)c->r[R_AX], (uint32_t)c->r[R_CX], out);
        edx_eax(c, 0);
        c->r[R_AX] = out[0];
        c->r[R_BX] = out[1];
        c->r[R_CX] = out[2];
        c->r[R_DX] = out[3];
        break;
    default:
        return false;
    }
    done(v, len);
    return true;
}

bool pv_emulate_privileged_op(struct vcpu *v)
{
    struct insn in;
    uint8_t op;

    if (!decode(v, &in))
        return false;
    op = in.b[in.op];
    switch (op) {
    case 0x6c: case 0x6d: case 0x6e: case 0x6f:
    case 0xe4: case 0xe5: case 0xe6: case 0xe7:
    case 0xec: case 0xed: case 0xee: case 0xef:
        return port_io(v, &in);
    case 0xfa: case 0xfb:
        /* With the virtual IOPL, CLI/STI do nothing: Xen deliberately
         * leaves the upcall mask alone. */
        if (!iopl_ok(v))
            return false;
        done(v, in.op + 1);
        return true;
    case 0x0f:
        return twobyte(v, &in);
    default:
        return false;
    }
}

/* emul-inv-op.c: ud2; .ascii "xen"; cpuid, read at the flat rip.  A fetch
 * that faults gives #PF(0) at the first missing byte. */
bool pv_emulate_forced_invalid_op(struct vcpu *v)
{
    static const uint8_t sig[7] = { 0x0f, 0x0b, 'x', 'e', 'n', 0x0f, 0xa2 };
    struct cpu *c = &v->cpu;
    uint8_t b[7];
    unsigned n = fetch(v, c->rip, b, 5);
    uint32_t out[4];

    if (n < 5) {
        pv_inject_page_fault(v, c->rip + n, 0);
        return true;
    }
    if (memcmp(b, sig, 5))
        return false;
    n = fetch(v, c->rip + 5, b + 5, 2);
    if (n < 2) {
        pv_inject_page_fault(v, c->rip + 5 + n, 0);
        return true;
    }
    if (memcmp(b + 5, sig + 5, 2))
        return false;
    pv_forced_cpuid(v, (uint32_t)c->r[R_AX], (uint32_t)c->r[R_CX],
                    kernel_mode(v), out);
    c->r[R_AX] = out[0];
    c->r[R_BX] = out[1];
    c->r[R_CX] = out[2];
    c->r[R_DX] = out[3];
    done(v, sizeof(sig));
    return true;
}
