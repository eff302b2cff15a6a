/*
 * Model-specific registers the CPU models itself: one table row per MSR
 * with its storage and write rule.  Anything else goes to the machine's
 * rdmsr/wrmsr hooks, or is #GP(0).
 */
#include "cpu/cpu-priv.h"

enum {
    MSR_TSC = 0x10, MSR_APIC_BASE = 0x1b, MSR_SYSENTER_CS = 0x174,
    MSR_SYSENTER_ESP = 0x175, MSR_SYSENTER_EIP = 0x176,
    MSR_MISC_ENABLE = 0x1a0, MSR_PAT = 0x277, MSR_EFER = 0xc0000080,
    MSR_STAR = 0xc0000081, MSR_LSTAR = 0xc0000082, MSR_CSTAR = 0xc0000083,
    MSR_SFMASK = 0xc0000084, MSR_FS_BASE = 0xc0000100,
    MSR_GS_BASE = 0xc0000101, MSR_KERNEL_GS_BASE = 0xc0000102,
    MSR_TSC_AUX = 0xc0000103,
};

/* How a write is checked. */
enum { W_ANY, W_CANON, W_LOW32, W_PAT, W_SPECIAL };

struct msr_def {
    uint32_t msr;
    uint8_t rule;
    size_t field;           /* offsetof into struct cpu, or 0 for special */
};

#define F(m) offsetof(struct cpu, m)

static const struct msr_def msrs[] = {
    { MSR_TSC, W_SPECIAL, 0 },
    { MSR_APIC_BASE, W_ANY, F(apic_base) },
    { MSR_SYSENTER_CS, W_LOW32, F(sysenter_cs) },
    { MSR_SYSENTER_ESP, W_CANON, F(sysenter_esp) },
    { MSR_SYSENTER_EIP, W_CANON, F(sysenter_eip) },
    { MSR_MISC_ENABLE, W_ANY, F(misc_enable) },
    { MSR_PAT, W_PAT, F(pat) },
    { MSR_EFER, W_SPECIAL, 0 },
    { MSR_STAR, W_ANY, F(star) },
    { MSR_LSTAR, W_CANON, F(lstar) },
    { MSR_CSTAR, W_CANON, F(cstar) },
    { MSR_SFMASK, W_LOW32, F(sfmask) },
    { MSR_FS_BASE, W_SPECIAL, 0 },
    { MSR_GS_BASE, W_SPECIAL, 0 },
    { MSR_KERNEL_GS_BASE, W_CANON, F(kernel_gs_base) },
    { MSR_TSC_AUX, W_LOW32, F(tsc_aux) },
};

static const struct msr_def *find(uint32_t msr)
{
    for (size_t k = 0; k < ARRAY_SIZE(msrs); k++)
        if (msrs[k].msr == msr)
            return &msrs[k];
    return NULL;
}

static uint64_t *field(struct cpu *c, const struct msr_def *d)
{
    return (uint64_t *)((char *)c + d->field);
}

/* Each PAT entry must name a memory type: 0, 1, 4, 5, 6 or 7. */
static bool pat_valid(uint64_t v)
{
    for (unsigned k = 0; k < 8; k++) {
        unsigned t = (unsigned)(v >> (8 * k)) & 0xff;
        if (t == 2 || t == 3 || t > 7)
            return false;
    }
    return true;
}

bool msr_read(struct cpu *c, uint32_t msr, uint64_t *v)
{
    const struct msr_def *d = find(msr);

    cpu_icount_sync(c);              /* the TSC, and the machine's hooks */
    if (!d)
        return c->hooks.rdmsr && c->hooks.rdmsr(c->opaque, c, msr, v);
    switch (msr) {
    case MSR_TSC: *v = c->icount + c->tsc_offset; break;
    case MSR_EFER: *v = c->efer; break;
    case MSR_FS_BASE: *v = c->seg[SEG_FS].base; break;
    case MSR_GS_BASE: *v = c->seg[SEG_GS].base; break;
    default: *v = *field(c, d); break;
    }
    return true;
}

static bool write_special(struct cpu *c, uint32_t msr, uint64_t v)
{
    switch (msr) {
    case MSR_TSC:
        c->tsc_offset = v - c->icount;
        return true;
    case MSR_EFER:
        return cpu_set_efer(c, v);
    case MSR_FS_BASE:
    case MSR_GS_BASE:
        if (!is_canonical48(v))
            return false;
        c->seg[msr == MSR_FS_BASE ? SEG_FS : SEG_GS].base = v;
        return true;
    }
    return false;
}

bool msr_write(struct cpu *c, uint32_t msr, uint64_t v)
{
    const struct msr_def *d = find(msr);

    cpu_icount_sync(c);              /* the TSC, and the machine's hooks */
    if (!d)
        return c->hooks.wrmsr && c->hooks.wrmsr(c->opaque, c, msr, v);
    switch (d->rule) {
    case W_CANON:
        if (!is_canonical48(v))
            return false;
        break;
    case W_LOW32:
        if (v >> 32)
            return false;
        break;
    case W_PAT:
        if (!pat_valid(v))
            return false;
        tlb_flush_all(&c->tlb);
        break;
    case W_SPECIAL:
        return write_special(c, msr, v);
    }
    *field(c, d) = v;
    return true;
}
