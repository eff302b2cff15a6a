/*
 * Fast system calls: SYSCALL/SYSRET (AMD: also outside long mode) and
 * SYSENTER/SYSEXIT (AMD: legacy mode only).  Which vendor's rules apply
 * comes from the CPU model table (cpuid.c).
 *
 * SYSRET with a non-canonical RCX: AMD completes the return and the fetch
 * at the new RIP faults (#GP at CPL 3, user state); Intel raises #GP(0) at
 * CPL 0 before changing anything.  Both are modelled; AMD is the default.
 */
#include "cpu/cpu-priv.h"

/* Flat 4 GiB segments: code (64-bit or 32-bit) and data, for dpl. */
static void flat_code(struct cpu *c, uint16_t sel, unsigned dpl, bool l64)
{
    uint16_t attr = (uint16_t)(0x9b | dpl << 5 | SEGA_G |
                               (l64 ? SEGA_L : SEGA_DB));
    cpu_set_seg(c, SEG_CS, sel, 0, 0xffffffffu, attr);
}

static void flat_data(struct cpu *c, uint16_t sel, unsigned dpl)
{
    uint16_t attr = (uint16_t)(0x93 | dpl << 5 | SEGA_G | SEGA_DB);
    cpu_set_seg(c, SEG_SS, sel, 0, 0xffffffffu, attr);
}

static bool syscall_supported(struct cpu *c)
{
    if (!(c->efer & EFER_SCE))
        return false;
    return (c->efer & EFER_LMA) || cpu_model_of(c)->syscall_legacy;
}

void op_syscall(struct cpu *c, const struct insn *i)
{
    if (!syscall_supported(c) || c->mode == MODE_REAL)
        raise_ud(c);
    struct cpu_event ev = {
        .kind = EV_SYSCALL, .vector = 0, .rip = c->priv->insn_rip,
        .next_rip = c->rip, .insn_len = i->len,
    };
    cpu_event_src(c, &ev, SRC_HW);
}

void syscall_enter(struct cpu *c)
{
    uint16_t sel = (uint16_t)(c->star >> 32) & 0xfffc;
    uint64_t fl = cpu_get_rflags(c);

    if (c->efer & EFER_LMA) {
        uint64_t target = c->mode == MODE_LONG64 ? c->lstar : c->cstar;
        c->r[R_CX] = c->rip;
        c->r[R_R11] = fl & ~(uint64_t)FL_RF;
        flat_code(c, sel, 0, true);
        flat_data(c, (uint16_t)(sel + 8), 0);
        cpu_set_rflags(c, fl & ~(c->sfmask | FL_RF | FL_VM));
        c->rip = target;
    } else {
        c->r[R_CX] = (uint32_t)c->rip;
        flat_code(c, sel, 0, false);
        flat_data(c, (uint16_t)(sel + 8), 0);
        cpu_set_rflags(c, fl & ~(uint64_t)(FL_IF | FL_RF | FL_VM));
        c->rip = (uint32_t)c->star;
    }
    /* SFMASK normally clears TF: no single-step trap after SYSCALL then. */
    if (!(c->rflags & FL_TF))
        c->priv->event_taken = true;
    c->priv->stop_block = true;
}

void op_sysret(struct cpu *c, const struct insn *i)
{
    uint16_t base = (uint16_t)(c->star >> 48);
    bool to64 = i->opsz == 8;
    uint64_t rip = to64 ? c->r[R_CX] : (uint32_t)c->r[R_CX];

    if (!syscall_supported(c))
        raise_ud(c);
    if (c->mode == MODE_REAL || c->cpl != 0)
        raise_gp(c, 0);
    if (!(c->efer & EFER_LMA)) {
        flat_code(c, base | 3, 3, false);
        flat_data(c, (uint16_t)((base + 8) | 3), 3);
        c->rflags |= FL_IF;
        c->rip = rip;
        c->priv->stop_block = true;
        return;
    }
    if (to64 && !is_canonical48(rip) &&
        cpu_model_of(c)->sysret_gp_noncanonical)
        raise_gp(c, 0);
    flat_code(c, to64 ? (uint16_t)((base + 16) | 3) : base | 3, 3, to64);
    flat_data(c, (uint16_t)((base + 8) | 3), 3);
    cpu_set_rflags(c, c->r[R_R11] & ~(uint64_t)(FL_RF | FL_VM));
    c->rip = rip;
    c->priv->stop_block = true;
    if (!is_canonical48(rip)) {          /* AMD: the fetch faults at CPL 3 */
        c->priv->insn_rip = rip;
        raise_gp(c, 0);
    }
}

static bool sysenter_supported(struct cpu *c)
{
    return !(c->efer & EFER_LMA) || cpu_model_of(c)->sysenter_long;
}

void op_sysenter(struct cpu *c, const struct insn *i)
{
    if (!sysenter_supported(c))
        raise_ud(c);
    if (c->mode == MODE_REAL || sel_null((uint16_t)c->sysenter_cs))
        raise_gp(c, 0);
    struct cpu_event ev = {
        .kind = EV_SYSENTER, .vector = 0, .rip = c->priv->insn_rip,
        .next_rip = c->rip, .insn_len = i->len,
    };
    cpu_event_src(c, &ev, SRC_HW);
}

void sysenter_enter(struct cpu *c)
{
    uint16_t sel = (uint16_t)c->sysenter_cs & 0xfffc;
    bool lma = c->efer & EFER_LMA;

    flat_code(c, sel, 0, lma);
    flat_data(c, (uint16_t)(sel + 8), 0);
    c->rflags &= ~(uint64_t)(FL_IF | FL_RF | FL_VM);
    c->r[R_SP] = lma ? c->sysenter_esp : (uint32_t)c->sysenter_esp;
    c->rip = lma ? c->sysenter_eip : (uint32_t)c->sysenter_eip;
    c->priv->stop_block = true;
}

void op_sysexit(struct cpu *c, const struct insn *i)
{
    uint16_t base = (uint16_t)c->sysenter_cs;
    bool to64 = i->opsz == 8;

    if (!sysenter_supported(c))
        raise_ud(c);
    if (c->mode == MODE_REAL || c->cpl != 0 || sel_null(base))
        raise_gp(c, 0);
    if (to64 && (!is_canonical48(c->r[R_DX]) || !is_canonical48(c->r[R_CX])))
        raise_gp(c, 0);
    uint16_t cs = (uint16_t)((base + (to64 ? 32 : 16)) | 3);
    flat_code(c, cs, 3, to64);
    flat_data(c, (uint16_t)(cs + 8), 3);
    c->r[R_SP] = to64 ? c->r[R_CX] : (uint32_t)c->r[R_CX];
    c->rip = to64 ? c->r[R_DX] : (uint32_t)c->r[R_DX];
    c->priv->stop_block = true;
}
