/*
 * Far control transfers: far JMP, CALL and RET, call gates (16-, 32- and
 * 64-bit) with their stack switches, and IRET in every mode.  Each one
 * reads and checks everything first, building the new stack through a
 * struct stk, and commits the registers only when nothing can fault.
 */
#include "cpu/cpu-priv.h"

/* ---- stacks not yet committed ---------------------------------------------- */

void stk_current(struct cpu *c, struct stk *s)
{
    const struct seg *ss = &c->seg[SEG_SS];

    s->base = ss->base;
    s->sp = c->r[R_SP];
    s->mask = size_mask(stack_size(c));
    s->limit = ss->limit;
    s->attr = ss->attr;
    s->flat = c->mode == MODE_LONG64;
    s->pl = c->cpl;
    s->vec = EXC_SS;
    s->err = 0;
}

static uint64_t stk_la(struct cpu *c, const struct stk *s, uint64_t off,
                       unsigned size)
{
    if (s->flat) {
        if (!is_canonical48(off) || !is_canonical48(off + size - 1))
            cpu_raise(c, s->vec, true, s->err);
        return off;
    }
    off &= s->mask;
    uint64_t last = off + size - 1;
    if (!(s->attr & 8) && (s->attr & 4)) {          /* expand-down */
        uint64_t top = (s->attr & SEGA_DB) ? 0xffffffffull : 0xffff;
        if (off <= s->limit || last > top)
            cpu_raise(c, s->vec, true, s->err);
    } else if (last > s->limit) {
        cpu_raise(c, s->vec, true, s->err);
    }
    return (s->base + off) & 0xffffffffull;
}

void stk_push(struct cpu *c, struct stk *s, unsigned size, uint64_t v)
{
    uint64_t sp = (s->sp - size) & s->mask;
    lin_write_pl(c, stk_la(c, s, sp, size), size, v & size_mask(size), s->pl);
    s->sp = (s->sp & ~s->mask) | sp;
}

uint64_t stk_peek(struct cpu *c, const struct stk *s, uint64_t off,
                  unsigned size)
{
    uint64_t sp = (s->sp + off) & s->mask;
    return lin_read_pl(c, stk_la(c, s, sp, size), size, s->pl);
}

uint64_t stk_pop(struct cpu *c, struct stk *s, unsigned size)
{
    uint64_t v = stk_peek(c, s, 0, size);
    s->sp = (s->sp & ~s->mask) | ((s->sp + size) & s->mask);
    return v;
}

void stk_commit_sp(struct cpu *c, const struct stk *s)
{
    c->r[R_SP] = (c->r[R_SP] & ~s->mask) | (s->sp & s->mask);
}

/* A stack described by a freshly checked SS descriptor. */
static void stk_from_desc(struct stk *s, const struct desc *d, uint64_t sp,
                          unsigned pl)
{
    s->base = desc_base(d, false);
    s->limit = desc_limit(d);
    s->attr = desc_attr(d);
    s->mask = (s->attr & SEGA_DB) ? 0xffffffffull : 0xffff;
    s->sp = sp;
    s->flat = false;
    s->pl = pl;
    s->vec = EXC_SS;
    s->err = 0;
}

/* A 64-bit stack (SS is null or ignored). */
static void stk_flat(struct stk *s, uint64_t sp, unsigned pl)
{
    *s = (struct stk){ .sp = sp, .mask = ~0ull, .limit = ~0u, .flat = true,
                       .pl = pl, .vec = EXC_SS, .err = 0 };
}

/* ---- the TSS's stack pointers ----------------------------------------------- */

static void tss_check(struct cpu *c, uint32_t last, unsigned ext)
{
    if (!(c->tr.attr & SEGA_P) || last > c->tr.limit)
        cpu_raise(c, EXC_TS, true, sel_err(c->tr.sel) | ext);
}

/* Legacy TSS: SS:ESP for privilege level pl (16- or 32-bit TSS). */
void tss_stack_legacy(struct cpu *c, unsigned pl, unsigned ext,
                      uint16_t *ss, uint64_t *sp)
{
    if (SEGA_TYPE(c->tr.attr) & 8) {
        uint32_t off = 4 + pl * 8;
        tss_check(c, off + 5, ext);
        *sp = sys_read(c, c->tr.base + off, 4);
        *ss = (uint16_t)sys_read(c, c->tr.base + off + 4, 2);
    } else {
        uint32_t off = 2 + pl * 4;
        tss_check(c, off + 3, ext);
        *sp = sys_read(c, c->tr.base + off, 2);
        *ss = (uint16_t)sys_read(c, c->tr.base + off + 2, 2);
    }
}

/* 64-bit TSS: RSPn (n = 0..2) or ISTn (n = 1..7, ist = true). */
uint64_t tss_rsp64(struct cpu *c, unsigned n, bool ist, unsigned ext)
{
    uint32_t off = ist ? 0x24 + (n - 1) * 8 : 4 + n * 8;
    tss_check(c, off + 7, ext);
    return sys_read(c, c->tr.base + off, 8);
}

/* ---- code-segment targets --------------------------------------------------- */

static bool is_long_code(const struct desc *d)
{
    return (d->hi & (1u << 21)) && !(d->hi & (1u << 22));
}

/* Load CS:RIP with the checked descriptor d at privilege level cpl. */
static void load_cs(struct cpu *c, uint16_t sel, struct desc *d,
                    unsigned cpl, uint64_t off)
{
    if ((c->efer & EFER_LMA) && is_long_code(d)) {
        if (!is_canonical48(off))
            raise_gp(c, 0);
    } else if (off > desc_limit(d)) {
        raise_gp(c, 0);
    }
    desc_set_accessed(c, d);
    seg_load_desc(c, SEG_CS, (uint16_t)((sel & ~3u) | cpl), d);
    c->rip = off;
    c->priv->stop_block = true;
}

/* Checks of a code segment reached directly by far JMP or CALL. */
static void check_direct_code(struct cpu *c, uint16_t sel,
                              const struct desc *d)
{
    unsigned dpl = desc_dpl(d);

    if (desc_conforming(d) ? dpl > c->cpl
                           : ((sel & 3) > c->cpl || dpl != c->cpl))
        raise_gp(c, sel_err(sel));
    if (!desc_p(d))
        cpu_raise(c, EXC_NP, true, sel_err(sel));
    if ((c->efer & EFER_LMA) && (d->hi & (1u << 21)) && (d->hi & (1u << 22)))
        raise_gp(c, sel_err(sel));
}

static void real_far(struct cpu *c, uint16_t sel, uint64_t off)
{
    if (off > c->seg[SEG_CS].limit)
        raise_gp(c, 0);
    c->seg[SEG_CS].sel = sel;
    c->seg[SEG_CS].base = (uint64_t)sel << 4;
    c->rip = off;
    c->priv->stop_block = true;
}

/* A call gate in d (selector gsel): check it and read its 16-byte form in
 * long mode; returns the gate's size in bits and the target descriptor. */
static unsigned call_gate(struct cpu *c, uint16_t gsel, struct desc *g,
                          struct desc *cd)
{
    unsigned type = desc_type(g), bits;

    if (desc_dpl(g) < c->cpl || desc_dpl(g) < (gsel & 3))
        raise_gp(c, sel_err(gsel));
    if (!desc_p(g))
        cpu_raise(c, EXC_NP, true, sel_err(gsel));
    if (c->efer & EFER_LMA) {
        if (type != 0xc)
            raise_gp(c, sel_err(gsel));
        desc_fetch(c, gsel, true, g, EXC_GP, 0);
        if ((g->hi3 >> 8) & 0x1f)
            raise_gp(c, sel_err(gsel));
        bits = 64;
    } else {
        bits = type == 0xc ? 32 : 16;
    }
    uint16_t tsel = gate_sel(g);
    if (sel_null(tsel))
        raise_gp(c, 0);
    desc_fetch(c, tsel, false, cd, EXC_GP, 0);
    if (!desc_is_code(cd) || desc_dpl(cd) > c->cpl)
        raise_gp(c, sel_err(tsel));
    if (!desc_p(cd))
        cpu_raise(c, EXC_NP, true, sel_err(tsel));
    if (bits == 64 && !is_long_code(cd))
        raise_gp(c, sel_err(tsel));
    return bits;
}

static bool is_gate_or_task(unsigned type, bool lma)
{
    if (lma)
        return type == 0xc;
    return type == 4 || type == 0xc || type == 5 || type == 1 || type == 9;
}

void far_jump(struct cpu *c, uint16_t sel, uint64_t off, unsigned opsz)
{
    struct desc d, cd;

    off &= size_mask(opsz);
    if (c->mode == MODE_REAL || (c->rflags & FL_VM)) {
        real_far(c, sel, off);
        return;
    }
    if (sel_null(sel))
        raise_gp(c, 0);
    desc_fetch(c, sel, false, &d, EXC_GP, 0);
    if (desc_is_code(&d)) {
        check_direct_code(c, sel, &d);
        load_cs(c, sel, &d, c->cpl, off);
        return;
    }
    if (desc_s(&d) || !is_gate_or_task(desc_type(&d), c->efer & EFER_LMA))
        raise_gp(c, sel_err(sel));
    if (desc_type(&d) != 4 && desc_type(&d) != 0xc) {
        task_switch_far(c, sel, &d, false);
        return;
    }
    unsigned bits = call_gate(c, sel, &d, &cd);
    if (!desc_conforming(&cd) && desc_dpl(&cd) != c->cpl)
        raise_gp(c, sel_err(gate_sel(&d)));
    load_cs(c, gate_sel(&d), &cd, c->cpl, gate_offset(&d, bits));
}

/* CALL through a gate to a more privileged non-conforming segment. */
static void call_inner(struct cpu *c, const struct desc *g, unsigned bits,
                       struct desc *cd)
{
    unsigned pl = desc_dpl(cd), sz = bits / 8;
    uint16_t tsel = gate_sel(g);
    struct stk s, old;
    struct desc ssd;
    uint16_t ss;
    uint64_t sp;

    stk_current(c, &old);
    if (bits == 64) {
        ss = (uint16_t)pl;
        stk_flat(&s, tss_rsp64(c, pl, false, 0), pl);
    } else {
        tss_stack_legacy(c, pl, 0, &ss, &sp);
        if (sel_null(ss))
            cpu_raise(c, EXC_TS, true, 0);
        ss_check(c, ss, pl, &ssd, EXC_TS, 0);
        stk_from_desc(&s, &ssd, sp, pl);
        s.err = sel_err(ss);
    }
    stk_push(c, &s, sz, c->seg[SEG_SS].sel);
    stk_push(c, &s, sz, c->r[R_SP]);
    for (unsigned k = bits == 64 ? 0 : g->hi & 0x1f; k > 0; k--)
        stk_push(c, &s, sz, stk_peek(c, &old, (k - 1) * sz, sz));
    stk_push(c, &s, sz, c->seg[SEG_CS].sel);
    stk_push(c, &s, sz, c->rip);

    uint64_t off = gate_offset(g, bits);
    load_cs(c, tsel, cd, pl, off);
    if (bits == 64) {
        seg_load_null(c, SEG_SS, ss);
    } else {
        desc_set_accessed(c, &ssd);
        seg_load_desc(c, SEG_SS, ss, &ssd);
    }
    stk_commit_sp(c, &s);
}

void far_call(struct cpu *c, uint16_t sel, uint64_t off, unsigned opsz)
{
    struct desc d, cd;
    struct stk s;

    off &= size_mask(opsz);
    stk_current(c, &s);
    if (c->mode == MODE_REAL || (c->rflags & FL_VM)) {
        stk_push(c, &s, opsz, c->seg[SEG_CS].sel);
        stk_push(c, &s, opsz, c->rip);
        real_far(c, sel, off);
        stk_commit_sp(c, &s);
        return;
    }
    if (sel_null(sel))
        raise_gp(c, 0);
    desc_fetch(c, sel, false, &d, EXC_GP, 0);
    if (desc_is_code(&d)) {
        check_direct_code(c, sel, &d);
        stk_push(c, &s, opsz, c->seg[SEG_CS].sel);
        stk_push(c, &s, opsz, c->rip);
        load_cs(c, sel, &d, c->cpl, off);
        stk_commit_sp(c, &s);
        return;
    }
    if (desc_s(&d) || !is_gate_or_task(desc_type(&d), c->efer & EFER_LMA))
        raise_gp(c, sel_err(sel));
    if (desc_type(&d) != 4 && desc_type(&d) != 0xc) {
        task_switch_far(c, sel, &d, true);
        return;
    }
    unsigned bits = call_gate(c, sel, &d, &cd);
    if (!desc_conforming(&cd) && desc_dpl(&cd) < c->cpl) {
        call_inner(c, &d, bits, &cd);
        return;
    }
    if (bits == 64)
        stk_flat(&s, c->r[R_SP], c->cpl);
    stk_push(c, &s, bits / 8, c->seg[SEG_CS].sel);
    stk_push(c, &s, bits / 8, c->rip);
    load_cs(c, gate_sel(&d), &cd, c->cpl, gate_offset(&d, bits));
    stk_commit_sp(c, &s);
}

/* ---- returns ---------------------------------------------------------------- */

/* Checks of the CS a far RET or IRET returns to. */
static void check_return_cs(struct cpu *c, uint16_t sel, struct desc *d)
{
    unsigned rpl = sel & 3;

    if (sel_null(sel))
        raise_gp(c, 0);
    desc_fetch(c, sel, false, d, EXC_GP, 0);
    if (rpl < c->cpl || !desc_is_code(d))
        raise_gp(c, sel_err(sel));
    if (desc_conforming(d) ? desc_dpl(d) > rpl : desc_dpl(d) != rpl)
        raise_gp(c, sel_err(sel));
    if (!desc_p(d))
        cpu_raise(c, EXC_NP, true, sel_err(sel));
    if ((c->efer & EFER_LMA) && (d->hi & (1u << 21)) && (d->hi & (1u << 22)))
        raise_gp(c, sel_err(sel));
}

/* The SS popped by a return to privilege rpl: d is filled unless the
 * selector is a null one 64-bit mode allows (returns false then). */
static bool check_return_ss(struct cpu *c, uint16_t sel, unsigned rpl,
                            const struct desc *cd, struct desc *d)
{
    if (sel_null(sel)) {
        if ((c->efer & EFER_LMA) && is_long_code(cd) && rpl != 3 &&
            (sel & 3) == rpl)
            return false;
        raise_gp(c, 0);
    }
    ss_check(c, sel, rpl, d, EXC_GP, 0);
    return true;
}

/* Commit a new SS:RSP after a return (ss_ok: d is a real descriptor). */
static void load_return_stack(struct cpu *c, uint16_t sel, bool ss_ok,
                              struct desc *d, uint64_t sp)
{
    if (ss_ok) {
        desc_set_accessed(c, d);
        seg_load_desc(c, SEG_SS, sel, d);
    } else {
        seg_load_null(c, SEG_SS, sel);
    }
    if (c->mode == MODE_LONG64)
        c->r[R_SP] = sp;
    else if (c->seg[SEG_SS].attr & SEGA_DB)
        c->r[R_SP] = (uint32_t)sp;
    else
        c->r[R_SP] = (c->r[R_SP] & ~0xffffull) | (sp & 0xffff);
}

void far_ret(struct cpu *c, unsigned opsz, unsigned imm)
{
    struct stk s;
    struct desc cd, sd;

    stk_current(c, &s);
    uint64_t off = stk_pop(c, &s, opsz);
    uint16_t sel = (uint16_t)stk_pop(c, &s, opsz);

    if (c->mode == MODE_REAL || (c->rflags & FL_VM)) {
        real_far(c, sel, off);
        s.sp = (s.sp & ~s.mask) | ((s.sp + imm) & s.mask);
        stk_commit_sp(c, &s);
        return;
    }
    check_return_cs(c, sel, &cd);
    unsigned rpl = sel & 3;
    s.sp = (s.sp & ~s.mask) | ((s.sp + imm) & s.mask);
    if (rpl == c->cpl) {
        load_cs(c, sel, &cd, rpl, off);
        stk_commit_sp(c, &s);
        return;
    }
    uint64_t sp = stk_pop(c, &s, opsz);
    uint16_t ss = (uint16_t)stk_pop(c, &s, opsz);
    bool ss_ok = check_return_ss(c, ss, rpl, &cd, &sd);
    load_cs(c, sel, &cd, rpl, off);
    load_return_stack(c, ss, ss_ok, &sd, sp + imm);
    seg_invalidate_outer(c);
}

/* RFLAGS after IRET/POPF: which bits of the popped value take effect. */
uint64_t flags_from_pop(struct cpu *c, uint64_t cur, uint64_t v,
                        unsigned opsz, bool iret)
{
    uint64_t m = FL_ARITH | FL_TF | FL_DF | FL_NT | FL_AC | FL_ID;
    unsigned iopl = (unsigned)(cur >> 12) & 3;

    if (c->cpl <= iopl || c->mode == MODE_REAL)
        m |= FL_IF;
    if (c->cpl == 0 || c->mode == MODE_REAL) {
        m |= FL_IOPL;
        if (iret)
            m |= FL_VIF | FL_VIP;
    }
    if (iret)
        m |= FL_RF;
    if (opsz == 2)
        m &= 0xffff;
    uint64_t r = (cur & ~m) | (v & m);
    if (!iret)
        r &= ~(uint64_t)FL_RF;
    return (r & ~(uint64_t)FL_VM) | 2;
}

static void iret_real(struct cpu *c, unsigned opsz)
{
    struct stk s;

    stk_current(c, &s);
    uint64_t ip = stk_pop(c, &s, opsz);
    uint16_t sel = (uint16_t)stk_pop(c, &s, opsz);
    uint64_t fl = stk_pop(c, &s, opsz);
    uint64_t nf = flags_from_pop(c, cpu_get_rflags(c), fl, opsz, true);
    real_far(c, sel, ip);
    stk_commit_sp(c, &s);
    cpu_set_rflags(c, nf);
}

void do_iret(struct cpu *c, unsigned opsz)
{
    struct stk s;
    struct desc cd, sd;
    bool lma = c->efer & EFER_LMA;

    if (c->mode == MODE_REAL) {
        iret_real(c, opsz);
        return;
    }
    if (c->rflags & FL_NT) {
        if (lma)
            raise_gp(c, 0);
        task_return(c);
        return;
    }
    stk_current(c, &s);
    uint64_t ip = stk_pop(c, &s, opsz);
    uint16_t sel = (uint16_t)stk_pop(c, &s, opsz);
    uint64_t fl = stk_pop(c, &s, opsz);

    check_return_cs(c, sel, &cd);
    unsigned rpl = sel & 3;
    bool pop_stack = c->mode == MODE_LONG64 || rpl != c->cpl;
    uint64_t sp = 0;
    uint16_t ss = 0;
    bool ss_ok = false;
    if (pop_stack) {
        sp = stk_pop(c, &s, opsz);
        ss = (uint16_t)stk_pop(c, &s, opsz);
        ss_ok = check_return_ss(c, ss, rpl, &cd, &sd);
    }
    if (!(lma && is_long_code(&cd)))
        ip &= opsz == 2 ? 0xffff : 0xffffffffull;
    uint64_t nf = flags_from_pop(c, cpu_get_rflags(c), fl, opsz, true);
    bool outer = rpl != c->cpl;

    load_cs(c, sel, &cd, rpl, ip);
    if (pop_stack)
        load_return_stack(c, ss, ss_ok, &sd, sp);
    else
        stk_commit_sp(c, &s);
    if (outer)
        seg_invalidate_outer(c);
    cpu_set_rflags(c, nf);
}
