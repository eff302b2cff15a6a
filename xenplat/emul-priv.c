/*
 * Emulation of the privileged instructions Xen emulates for PV guests
 * (x86/pv/emul-priv-op.c, x86/pv/emul-inv-op.c).
 */
#include <string.h>
#include "xenplat/guest.h"
#include "xenplat/traps.h"

/* The instruction at CS:rip, up to 15 bytes (fewer at a mapping edge). */
static unsigned fetch_insn(struct vcpu *v, uint8_t *buf)
{
    struct cpu *c = &v->cpu;
    uint64_t la = c->seg[SEG_CS].base + c->rip;
    unsigned n;

    for (n = 0; n < 15; n++)
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

/* ud2; .ascii "xen"; cpuid */
bool pv_emulate_forced_invalid_op(struct vcpu *v)
{
    static const uint8_t sig[] = { 0x0f, 0x0b, 'x', 'e', 'n', 0x0f, 0xa2 };
    struct cpu *c = &v->cpu;
    uint8_t b[15];
    uint32_t out[4];

    if (fetch_insn(v, b) < sizeof(sig) || memcmp(b, sig, sizeof(sig)))
        return false;
    pv_cpuid(v, (uint32_t)c->r[R_AX], (uint32_t)c->r[R_CX], out);
    c->r[R_AX] = out[0];
    c->r[R_BX] = out[1];
    c->r[R_CX] = out[2];
    c->r[R_DX] = out[3];
    advance(v, sizeof(sig));
    return true;
}

/* Xen's iopl_ok(): the virtual IOPL against the guest's privilege. */
static bool iopl_ok(const struct vcpu *v)
{
    unsigned cpl = is_pv32(v->d) ? v->cpu.cpl : (v->kernel_mode ? 1 : 3);

    return cpl <= v->iopl;
}

/* Port access for a domU: no ports are granted, reads give all-ones. */
static void io_in(struct vcpu *v, unsigned size)
{
    struct cpu *c = &v->cpu;

    if (size == 4)
        c->r[R_AX] = 0xffffffffu;
    else
        c->r[R_AX] |= size == 1 ? 0xffu : 0xffffu;
}

bool pv_emulate_privileged_op(struct vcpu *v)
{
    uint8_t b[15];
    unsigned n = fetch_insn(v, b), i = 0, opsize = is_pv32(v->d) ? 4 : 4;
    struct cpu *c = &v->cpu;

    while (i < n && (b[i] == 0x66 || (b[i] & 0xf0) == 0x40)) {
        if (b[i] == 0x66)
            opsize = 2;
        if ((b[i] & 0xf0) == 0x40 && c->mode != MODE_LONG64)
            break;
        i++;
    }
    if (i >= n)
        return false;
    switch (b[i]) {
    case 0xe4: case 0xe5: case 0xec: case 0xed:        /* IN */
    case 0xe6: case 0xe7: case 0xee: case 0xef: {      /* OUT */
        unsigned size = (b[i] & 1) ? opsize : 1;
        unsigned len = i + ((b[i] & 8) ? 1 : 2);
        if (!iopl_ok(v) || len > n)
            return false;
        if (!(b[i] & 2))
            io_in(v, size);
        advance(v, len);
        return true;
    }
    case 0x0f:
        if (i + 1 >= n)
            return false;
        switch (b[i + 1]) {
        case 0x06:                                     /* CLTS */
            v->fpu_ts = false;
            cpu_set_cr0(c, c->cr0 & ~CR0_TS);
            advance(v, i + 2);
            return true;
        case 0x08: case 0x09:                          /* INVD, WBINVD */
            advance(v, i + 2);
            return true;
        default:
            return false;
        }
    default:
        return false;
    }
}
