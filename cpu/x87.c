/*
 * The x87 unit's machinery: register stack and tags, status word and the
 * exception rules, the checks at the start of each instruction, the last
 * instruction/data pointers, 80-bit memory operands.
 */
#include "cpu/x87.h"

unsigned x87_tag_of(fx80 v)
{
    unsigned exp = v.se & 0x7fff;

    if (exp == 0x7fff)
        return TAG_SPECIAL;
    if (exp == 0)
        return v.mant ? TAG_SPECIAL : TAG_ZERO;
    return (v.mant >> 63) ? TAG_VALID : TAG_SPECIAL;
}

void x87_set_tag(struct cpu *c, unsigned phys, unsigned tag)
{
    c->fpu.ftw = (uint16_t)((c->fpu.ftw & ~(3u << (2 * phys))) |
                            tag << (2 * phys));
}

void x87_put(struct cpu *c, unsigned i, fx80 v)
{
    unsigned p = x87_phys(c, i);

    c->fpu.st[p].mant = v.mant;
    c->fpu.st[p].se = v.se;
    x87_set_tag(c, p, x87_tag_of(v));
}

void x87_push(struct cpu *c, fx80 v)
{
    x87_set_top(c, x87_top(c) - 1);
    x87_put(c, 0, v);
}

void x87_pop(struct cpu *c)
{
    x87_set_tag(c, x87_phys(c, 0), TAG_EMPTY);
    x87_set_top(c, x87_top(c) + 1);
}

void x87_init(struct cpu *c)
{
    c->fpu.fcw = 0x037f;
    c->fpu.fsw = 0;
    c->fpu.ftw = 0xffff;
    c->fpu.fop = 0;
    c->fpu.fip = c->fpu.fdp = 0;
    c->fpu.fcs = c->fpu.fds = 0;
}

void x87_check(struct cpu *c, bool waiting)
{
    if (c->cr0 & (CR0_EM | CR0_TS))
        cpu_raise(c, EXC_NM, false, 0);
    /* With CR0.NE clear a PC would signal FERR# to the interrupt
     * controller; xenemu behaves as if IGNNE# were asserted. */
    if (waiting && (c->fpu.fsw & FSW_ES) && (c->cr0 & CR0_NE))
        cpu_raise(c, EXC_MF, false, 0);
}

void x87_begin(struct cpu *c, const struct insn *i)
{
    x87_check(c, true);
    c->fpu.fip = c->priv->insn_rip;
    c->fpu.fcs = c->seg[SEG_CS].sel;
    c->fpu.fop = (uint16_t)((i->def->op & 7) << 8 | i->modrm);
    if (i->mod != 3) {
        c->fpu.fdp = insn_ea(c, i);
        c->fpu.fds = c->seg[i->seg].sel;
    }
}

void x87_update_es(struct cpu *c)
{
    if (c->fpu.fsw & ~c->fpu.fcw & SF_ALL)
        c->fpu.fsw |= FSW_ES | FSW_B;
    else
        c->fpu.fsw &= (uint16_t)~(FSW_ES | FSW_B);
}

bool x87_flags(struct cpu *c, const struct sf_ctx *sc)
{
    unsigned fl = sc->flags & SF_ALL;

    c->fpu.fsw |= (uint16_t)fl;
    if (sc->c1)
        c->fpu.fsw |= FSW_C1;
    else
        c->fpu.fsw &= (uint16_t)~FSW_C1;
    x87_update_es(c);
    return !sf_unmasked(sc, fl & (SF_IE | SF_DE | SF_ZE));
}

bool x87_stack_fault(struct cpu *c, bool overflow)
{
    c->fpu.fsw |= SF_IE | FSW_SF;
    if (overflow)
        c->fpu.fsw |= FSW_C1;
    else
        c->fpu.fsw &= (uint16_t)~FSW_C1;
    x87_update_es(c);
    return c->fpu.fcw & SF_IE;
}

fx80 x87_read80(struct cpu *c, unsigned seg, uint64_t ea)
{
    uint64_t la = seg_linear(c, seg, ea, 10, false);
    uint64_t mant = lin_read(c, la, 8);

    return fx80_make((uint16_t)lin_read(c, la + 8, 2), mant);
}

void x87_write80(struct cpu *c, unsigned seg, uint64_t ea, fx80 v)
{
    uint64_t la = seg_linear(c, seg, ea, 10, true);

    lin_probe_write(c, la, 10, c->cpl);
    lin_write(c, la, 8, v.mant);
    lin_write(c, la + 8, 2, v.se);
}
