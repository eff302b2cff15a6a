/*
 * Lazy arithmetic flags.  Flag-setting ALU operations record their operands
 * and result in cpu.lf; CF PF AF ZF SF OF are derived only when something
 * reads them.  Operations with irregular flag rules (shifts, multiplies,
 * BCD...) write rflags eagerly and leave lf.op = LF_NONE.
 */
#include "cpu/cpu-priv.h"

const uint8_t parity_table[256] = {
#define P2(n) n, n ^ 1, n ^ 1, n
#define P4(n) P2(n), P2(n ^ 1), P2(n ^ 1), P2(n)
#define P6(n) P4(n), P4(n ^ 1), P4(n ^ 1), P4(n)
    P6(1), P6(0), P6(0), P6(1)
#undef P2
#undef P4
#undef P6
};

uint32_t flags_szp(uint64_t res, unsigned size)
{
    uint32_t f = 0;
    res &= size_mask(size);
    if (res == 0)
        f |= FL_ZF;
    if (res & sign_bit(size))
        f |= FL_SF;
    if (parity_table[res & 0xff])
        f |= FL_PF;
    return f;
}

static uint32_t flags_add(uint64_t d, uint64_t s, uint64_t r, unsigned size,
                          bool cin)
{
    uint64_t m = size_mask(size);
    uint32_t f = flags_szp(r, size);
    d &= m; s &= m; r &= m;
    if (r < d || (cin && r == d))
        f |= FL_CF;
    if (((d ^ s ^ r) & 0x10))
        f |= FL_AF;
    if ((~(d ^ s) & (d ^ r)) & sign_bit(size))
        f |= FL_OF;
    return f;
}

static uint32_t flags_sub(uint64_t d, uint64_t s, uint64_t r, unsigned size,
                          bool bin)
{
    uint64_t m = size_mask(size);
    uint32_t f = flags_szp(r, size);
    d &= m; s &= m; r &= m;
    if (d < s || (bin && d == s))
        f |= FL_CF;
    if (((d ^ s ^ r) & 0x10))
        f |= FL_AF;
    if (((d ^ s) & (d ^ r)) & sign_bit(size))
        f |= FL_OF;
    return f;
}

/* SHL/SHR/SAR by n (0 < n < width): the rules of ops-shift.c. */
static uint32_t flags_shift(unsigned kind, uint64_t d, uint64_t r,
                            unsigned n, unsigned size)
{
    unsigned w = size * 8;
    uint64_t m = size_mask(size);
    uint32_t f = flags_szp(r, size) | FL_AF;

    d &= m;
    r &= m;
    if (kind == LF_SHL) {
        bool cf = (d >> (w - n)) & 1;
        f |= cf ? FL_CF : 0;
        f |= (cf != ((r >> (w - 1)) & 1)) ? FL_OF : 0;
    } else if (kind == LF_SHR) {
        f |= ((d >> (n - 1)) & 1) ? FL_CF : 0;
        f |= ((r >> (w - 2)) & 1) ? FL_OF : 0;
    } else {
        f |= ((uint64_t)(sext(d, size) >> (n - 1)) & 1) ? FL_CF : 0;
    }
    return f;
}

uint32_t flags_compute(const struct cpu *c)
{
    unsigned kind = c->lf.op >> 2;
    unsigned size = 1u << (c->lf.op & 3);
    uint64_t r = c->lf.res, d = c->lf.dst, s = c->lf.src;

    switch (kind) {
    case LF_ADD: return flags_add(d, s, r, size, false);
    case LF_ADC: return flags_add(d, s, r, size, true);
    case LF_SUB: return flags_sub(d, s, r, size, false);
    case LF_SBB: return flags_sub(d, s, r, size, true);
    case LF_LOGIC: return flags_szp(r, size);
    case LF_INC:   /* src holds the preserved CF */
        return (flags_add(d, 1, r, size, false) & ~FL_CF) | (s ? FL_CF : 0);
    case LF_DEC:
        return (flags_sub(d, 1, r, size, false) & ~FL_CF) | (s ? FL_CF : 0);
    case LF_NEG:
        return flags_sub(0, d, r, size, false);
    case LF_SHL:
    case LF_SHR:
    case LF_SAR:
        return flags_shift(kind, d, r, (unsigned)s, size);
    default:
        return (uint32_t)c->rflags & FL_ARITH;
    }
}

bool flag_cf_slow(const struct cpu *c)
{
    unsigned kind = c->lf.op >> 2;
    uint64_t m = size_mask(1u << (c->lf.op & 3));

    switch (kind) {
    case LF_ADD: return (c->lf.res & m) < (c->lf.dst & m);
    case LF_SUB: return (c->lf.dst & m) < (c->lf.src & m);
    case LF_LOGIC: return false;
    case LF_INC:
    case LF_DEC: return c->lf.src != 0;     /* the CF they preserved */
    case LF_NONE: return c->rflags & FL_CF;
    default: return flags_compute(c) & FL_CF;
    }
}

void flags_set_eager(struct cpu *c, uint32_t flags, uint32_t mask)
{
    if ((mask & FL_ARITH) == FL_ARITH) {        /* nothing old survives */
        c->lf.op = LF_NONE << 2;
    } else if (c->lf.op >> 2 != LF_NONE) {
        c->rflags = (c->rflags & ~(uint64_t)FL_ARITH) | flags_compute(c);
        c->lf.op = LF_NONE << 2;
    }
    c->rflags = (c->rflags & ~(uint64_t)mask) | (flags & mask);
}

/* Condition codes 0..15 as in Jcc, from the materialised flags (the
 * cases cond_eval does not answer inline). */
bool cond_eval_slow(struct cpu *c, unsigned cc)
{
    uint32_t f = flags_compute(c);
    bool r;

    switch (cc >> 1) {
    case 0: r = f & FL_OF; break;
    case 1: r = f & FL_CF; break;
    case 2: r = f & FL_ZF; break;
    case 3: r = f & (FL_CF | FL_ZF); break;
    case 4: r = f & FL_SF; break;
    case 5: r = f & FL_PF; break;
    case 6: r = !(f & FL_SF) != !(f & FL_OF); break;
    default: r = (f & FL_ZF) || (!(f & FL_SF) != !(f & FL_OF)); break;
    }
    return (cc & 1) ? !r : r;
}

uint64_t cpu_get_rflags(struct cpu *c)
{
    uint64_t f = c->rflags & ~(uint64_t)FL_ARITH;
    return f | flags_compute(c) | 2;
}

void cpu_set_rflags(struct cpu *c, uint64_t v)
{
    c->rflags = (v & 0x3f7fd5) | 2;
    c->lf.op = LF_NONE << 2;
}
