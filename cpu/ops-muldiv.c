/*
 * Multiplication and division: MUL/IMUL/DIV/IDIV of group 3 (F6/F7 /4-/7),
 * the two- and three-operand IMUL (0F AF, 69, 6B).  Division faults (#DE)
 * on a zero divisor and on a quotient that does not fit, checked before any
 * host division so that the host never traps.  64-bit products and 128-bit
 * dividends use unsigned __int128 where the compiler has it and portable
 * 32-bit-limb code otherwise.
 *
 * Undefined flags as on AMD Zen (doc/cpu-model.md): MUL/IMUL leave SF ZF AF
 * PF unchanged; DIV/IDIV leave CF OF unchanged, clear SF ZF PF, set AF.
 */
#include "cpu/cpu-priv.h"

#if defined(__SIZEOF_INT128__) && !defined(XE_NO_INT128)
__extension__ typedef unsigned __int128 u128;
#define HAVE_U128 1
#endif

/* ---- 64-bit arithmetic helpers ---------------------------------------- */

/* a * b = *hi:lo */
static uint64_t umul64(uint64_t a, uint64_t b, uint64_t *hi)
{
#ifdef HAVE_U128
    u128 p = (u128)a * b;
    *hi = (uint64_t)(p >> 64);
    return (uint64_t)p;
#else
    uint64_t al = (uint32_t)a, ah = a >> 32, bl = (uint32_t)b, bh = b >> 32;
    uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
    uint64_t mid = (ll >> 32) + (uint32_t)lh + (uint32_t)hl;
    *hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
    return mid << 32 | (uint32_t)ll;
#endif
}

/* Signed product: the unsigned one corrected by the operands' signs. */
static uint64_t smul64(uint64_t a, uint64_t b, uint64_t *hi)
{
    uint64_t lo = umul64(a, b, hi);
    if ((int64_t)a < 0)
        *hi -= b;
    if ((int64_t)b < 0)
        *hi -= a;
    return lo;
}

/* hi:lo / d with hi < d (the quotient fits in 64 bits). */
static uint64_t udiv128(uint64_t hi, uint64_t lo, uint64_t d, uint64_t *rem)
{
#ifdef HAVE_U128
    u128 n = (u128)hi << 64 | lo;
    *rem = (uint64_t)(n % d);
    return (uint64_t)(n / d);
#else
    for (unsigned k = 0; k < 64; k++) {
        bool top = hi >> 63;
        hi = hi << 1 | lo >> 63;
        lo <<= 1;
        if (top || hi >= d) {
            hi -= d;
            lo |= 1;
        }
    }
    *rem = hi;
    return lo;
#endif
}

/* ---- flags ---------------------------------------------------------------- */

static void mul_flags(struct cpu *c, bool overflow)
{
    flags_set_eager(c, overflow ? FL_CF | FL_OF : 0, FL_CF | FL_OF);
}

static void div_flags(struct cpu *c)
{
    flags_set_eager(c, FL_AF, FL_SF | FL_ZF | FL_PF | FL_AF);
}

/* ---- one-operand MUL / IMUL: rDX:rAX = rAX * r/m ------------------------ */

/* The double-width product of two sz-byte values: *hi:return. */
static uint64_t wide_mul(unsigned sz, uint64_t a, uint64_t b, bool sign,
                         uint64_t *hi)
{
    if (sz == 8)
        return sign ? smul64(a, b, hi) : umul64(a, b, hi);
    uint64_t p = sign ? (uint64_t)(sext(a, sz) * sext(b, sz)) : a * b;
    *hi = (p >> (sz * 8)) & size_mask(sz);
    return p & size_mask(sz);
}

static void op_mul1(struct cpu *c, const struct insn *i)
{
    unsigned sz = i->opsz;
    bool sign = i->arg;
    uint64_t hi, lo = wide_mul(sz, reg_read(c, R_AX, sz), rm_read(c, i, sz),
                               sign, &hi);
    bool overflow = sign ? hi != (sext(lo, sz) < 0 ? size_mask(sz) : 0)
                         : hi != 0;

    if (sz == 1) {
        reg_write(c, R_AX, 2, hi << 8 | lo);
    } else {
        reg_write(c, R_AX, sz, lo);
        reg_write(c, R_DX, sz, hi);
    }
    mul_flags(c, overflow);
}

/* ---- IMUL r, r/m [, imm] ---------------------------------------------- */

static void imul_to_reg(struct cpu *c, const struct insn *i, uint64_t a,
                        uint64_t b)
{
    unsigned sz = i->opsz;
    uint64_t hi, lo = wide_mul(sz, a & size_mask(sz), b & size_mask(sz),
                               true, &hi);

    reg_write(c, i->reg, sz, lo);
    mul_flags(c, hi != (sext(lo, sz) < 0 ? size_mask(sz) : 0));
}

static void op_imul_GE(struct cpu *c, const struct insn *i)
{
    imul_to_reg(c, i, reg_read(c, i->reg, i->opsz), rm_read(c, i, i->opsz));
}

static void op_imul_GEI(struct cpu *c, const struct insn *i)
{
    imul_to_reg(c, i, rm_read(c, i, i->opsz), i->imm);
}

/* IMUL r, r/m [, imm] of size 4 or 8 with a register (r) or memory (m)
 * source: specialised at decode time. */
static XE_ALWAYS_INLINE void imul_sz(struct cpu *c, const struct insn *i,
                                     unsigned sz, uint64_t a, uint64_t b)
{
    uint64_t hi, lo;

    if (sz == 8) {
        lo = smul64(a, b, &hi);
        c->r[i->reg] = lo;
        mul_flags(c, hi != ((int64_t)lo < 0 ? ~0ull : 0));
    } else {
        int64_t p = sext(a, 4) * sext(b, 4);
        c->r[i->reg] = (uint32_t)p;
        mul_flags(c, p != sext((uint64_t)p, 4));
    }
}

#define IMUL_FAST(sz)                                                       \
static void op_imul_GEr##sz(struct cpu *c, const struct insn *i)            \
{ imul_sz(c, i, sz, c->r[i->reg], c->r[i->rm]); }                           \
static void op_imul_GEm##sz(struct cpu *c, const struct insn *i)            \
{ imul_sz(c, i, sz, c->r[i->reg], lin_read(c, insn_la(c, i, sz, false), sz)); } \
static void op_imul_GEIr##sz(struct cpu *c, const struct insn *i)           \
{ imul_sz(c, i, sz, c->r[i->rm], i->imm); }                                 \
static void op_imul_GEIm##sz(struct cpu *c, const struct insn *i)           \
{ imul_sz(c, i, sz, lin_read(c, insn_la(c, i, sz, false), sz), i->imm); }

IMUL_FAST(4)
IMUL_FAST(8)

/* [r/m, r/m + imm][register, memory][size 4, 8] */
static const insn_fn imul_fast[2][2][2] = {
    { { op_imul_GEr4, op_imul_GEr8 }, { op_imul_GEm4, op_imul_GEm8 } },
    { { op_imul_GEIr4, op_imul_GEIr8 }, { op_imul_GEIm4, op_imul_GEIm8 } },
};

static insn_fn muldiv_pick(const struct insn *i, unsigned dmode)
{
    unsigned sz = fast_size(i->opsz);

    (void)dmode;
    if (sz != 1 && sz != 2)
        return NULL;
    if (i->def->fn == op_imul_GE)
        return imul_fast[0][i->mod != 3][sz - 1];
    if (i->def->fn == op_imul_GEI)
        return imul_fast[1][i->mod != 3][sz - 1];
    return NULL;
}

/* ---- DIV / IDIV ------------------------------------------------------------ */

static XE_NORETURN void raise_de(struct cpu *c)
{
    cpu_raise(c, EXC_DE, false, 0);
}

/* Unsigned hi:lo / d for operands of sz bytes; #DE unless it fits. */
static uint64_t udiv(struct cpu *c, unsigned sz, uint64_t hi, uint64_t lo,
                     uint64_t d, uint64_t *rem)
{
    if (d == 0 || hi >= d)
        raise_de(c);
    if (sz == 8)
        return udiv128(hi, lo, d, rem);
    uint64_t n = hi << (sz * 8) | lo;
    *rem = n % d;
    return n / d;
}

/* Signed division on magnitudes: the host never sees INT_MIN / -1. */
static uint64_t idiv(struct cpu *c, unsigned sz, uint64_t hi, uint64_t lo,
                     uint64_t d, uint64_t *rem)
{
    uint64_t m = size_mask(sz);
    bool nneg = (hi >> (sz * 8 - 1)) & 1, dneg = sext(d, sz) < 0;
    uint64_t q;

    if (d == 0)
        raise_de(c);
    if (dneg)
        d = (0 - d) & m;
    if (nneg) {                         /* negate the double-width hi:lo */
        lo = (0 - lo) & m;
        hi = (~hi + (lo == 0)) & m;
    }
    if (hi >= d)
        raise_de(c);
    q = udiv(c, sz, hi, lo, d, rem);
    /* |quotient| must fit the signed range: 2^(n-1) only when negative. */
    if (q > sign_bit(sz) || (q == sign_bit(sz) && nneg == dneg))
        raise_de(c);
    if (nneg)
        *rem = (0 - *rem) & m;
    return nneg != dneg ? (0 - q) & m : q;
}

static void op_div(struct cpu *c, const struct insn *i)
{
    unsigned sz = i->opsz;
    uint64_t d = rm_read(c, i, sz), hi, lo, q, r;

    if (sz == 1) {
        hi = (c->r[R_AX] >> 8) & 0xff;
        lo = c->r[R_AX] & 0xff;
    } else {
        hi = reg_read(c, R_DX, sz);
        lo = reg_read(c, R_AX, sz);
    }
    q = i->arg ? idiv(c, sz, hi, lo, d, &r) : udiv(c, sz, hi, lo, d, &r);
    if (sz == 1) {
        reg_write(c, R_AX, 2, r << 8 | q);
    } else {
        reg_write(c, R_AX, sz, q);
        reg_write(c, R_DX, sz, r);
    }
    div_flags(c);
}

static const struct opdef defs[] = {
    { MAP_1B, 0xf6, 1, P_ANY, 4, M_ANY, -1, F_MODRM | F_BYTE, 0, 0, op_mul1, "mul" },
    { MAP_1B, 0xf7, 1, P_ANY, 4, M_ANY, -1, F_MODRM, 0, 0, op_mul1, "mul" },
    { MAP_1B, 0xf6, 1, P_ANY, 5, M_ANY, -1, F_MODRM | F_BYTE, 1, 0, op_mul1, "imul" },
    { MAP_1B, 0xf7, 1, P_ANY, 5, M_ANY, -1, F_MODRM, 1, 0, op_mul1, "imul" },
    { MAP_1B, 0xf6, 1, P_ANY, 6, M_ANY, -1, F_MODRM | F_BYTE, 0, 0, op_div, "div" },
    { MAP_1B, 0xf7, 1, P_ANY, 6, M_ANY, -1, F_MODRM, 0, 0, op_div, "div" },
    { MAP_1B, 0xf6, 1, P_ANY, 7, M_ANY, -1, F_MODRM | F_BYTE, 1, 0, op_div, "idiv" },
    { MAP_1B, 0xf7, 1, P_ANY, 7, M_ANY, -1, F_MODRM, 1, 0, op_div, "idiv" },
    { MAP_0F, 0xaf, 1, P_ANY, -1, M_ANY, -1, F_MODRM, 0, 0, op_imul_GE, "imul" },
    { MAP_1B, 0x69, 1, P_ANY, -1, M_ANY, -1, F_MODRM | F_IMMZ, 0, 0, op_imul_GEI, "imul" },
    { MAP_1B, 0x6b, 1, P_ANY, -1, M_ANY, -1, F_MODRM | F_IMM8S, 0, 0, op_imul_GEI, "imul" },
};
OPTABLE_PICK(optable_muldiv, defs, muldiv_pick);
