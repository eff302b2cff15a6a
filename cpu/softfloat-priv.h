/*
 * Private to the softfloat files: 128-bit integer helpers, the unpacked
 * form every operation works on, the three formats' descriptions and the
 * one rounding routine they share.
 */
#ifndef XENEMU_SOFTFLOAT_PRIV_H
#define XENEMU_SOFTFLOAT_PRIV_H

#include "cpu/softfloat.h"

/* ---- 128-bit unsigned integers ------------------------------------------ */

typedef struct {
    uint64_t hi, lo;
} u128;

static inline u128 u128_make(uint64_t hi, uint64_t lo)
{
    u128 r = { hi, lo };
    return r;
}

static inline bool u128_lt(u128 a, u128 b)
{
    return a.hi < b.hi || (a.hi == b.hi && a.lo < b.lo);
}

static inline u128 u128_add(u128 a, u128 b)
{
    u128 r = { a.hi + b.hi, a.lo + b.lo };
    r.hi += r.lo < a.lo;
    return r;
}

static inline u128 u128_sub(u128 a, u128 b)
{
    u128 r = { a.hi - b.hi, a.lo - b.lo };
    r.hi -= a.lo < b.lo;
    return r;
}

static inline u128 u128_shl(u128 a, unsigned n)
{
    if (n == 0)
        return a;
    if (n >= 128)
        return u128_make(0, 0);
    if (n >= 64)
        return u128_make(a.lo << (n - 64), 0);
    return u128_make(a.hi << n | a.lo >> (64 - n), a.lo << n);
}

static inline u128 u128_shr(u128 a, unsigned n)
{
    if (n == 0)
        return a;
    if (n >= 128)
        return u128_make(0, 0);
    if (n >= 64)
        return u128_make(0, a.hi >> (n - 64));
    return u128_make(a.hi >> n, a.lo >> n | a.hi << (64 - n));
}

/* Shift right, ORing every bit shifted out into bit 0 (sticky). */
static inline u128 u128_shr_jam(u128 a, unsigned n)
{
    bool lost;

    if (n == 0)
        return a;
    if (n >= 128)
        return u128_make(0, (a.hi | a.lo) != 0);
    if (n >= 64)
        lost = a.lo != 0 || (n > 64 && (a.hi << (128 - n)) != 0);
    else
        lost = (a.lo << (64 - n)) != 0;
    a = u128_shr(a, n);
    a.lo |= lost;
    return a;
}

static inline unsigned clz64(uint64_t v)
{
#if defined(__GNUC__) || defined(__clang__)
    return v ? (unsigned)__builtin_clzll(v) : 64;
#else
    unsigned n = 0;
    if (!v)
        return 64;
    while (!(v >> 63)) {
        v <<= 1;
        n++;
    }
    return n;
#endif
}

static inline unsigned u128_clz(u128 a)
{
    return a.hi ? clz64(a.hi) : 64 + clz64(a.lo);
}

/* 64 x 64 -> 128 and 128 / 64 -> 64 (a.hi < d), with the portable
 * versions always compiled so the tests can hold them to the native
 * ones. */
u128 sf_mul64_portable(uint64_t a, uint64_t b);
uint64_t sf_div128_portable(u128 a, uint64_t d, uint64_t *rem);

static inline u128 sf_mul64(uint64_t a, uint64_t b)
{
#ifdef __SIZEOF_INT128__
    unsigned __int128 p = (unsigned __int128)a * b;
    return u128_make((uint64_t)(p >> 64), (uint64_t)p);
#else
    return sf_mul64_portable(a, b);
#endif
}

static inline uint64_t sf_div128(u128 a, uint64_t d, uint64_t *rem)
{
#ifdef __SIZEOF_INT128__
    unsigned __int128 n = (unsigned __int128)a.hi << 64 | a.lo;
    *rem = (uint64_t)(n % d);
    return (uint64_t)(n / d);
#else
    return sf_div128_portable(a, d, rem);
#endif
}

/* ---- formats and the unpacked form ------------------------------------- */

struct sf_fmt {
    uint8_t ebits;        /* exponent bits */
    uint8_t fbits;        /* stored fraction bits (x80: without the int bit) */
    uint8_t prec;         /* natural precision */
    bool x80;             /* explicit integer bit */
};

extern const struct sf_fmt sf_fmt32, sf_fmt64, sf_fmt80;

static inline int32_t fmt_bias(const struct sf_fmt *f)
{
    return (1 << (f->ebits - 1)) - 1;
}

/*
 * An unpacked operand.  Finite non-zero: sig normalised (bit 63 set),
 * value = sig * 2^(exp - 63).  NaN: sig = the fraction left-aligned, so
 * bit 63 is the quiet bit.  cls says what the encoding was (a denormal
 * keeps SF_DENORMAL after normalisation, for DE).
 */
struct sfu {
    uint8_t cls;
    bool sign;
    int32_t exp;
    uint64_t sig;
};

static inline bool sfu_is_nan(const struct sfu *a)
{
    return a->cls == SF_QNAN || a->cls == SF_SNAN;
}

static inline bool sfu_finite_nz(const struct sfu *a)
{
    return a->cls == SF_NORMAL || a->cls == SF_DENORMAL;
}

/* A packed value of any format: f32/f64 bits in mant (se unused). */
struct sfu sf_unpack(const struct sf_fmt *f, fx80 v, bool daz);
fx80 sf_pack_inf(const struct sf_fmt *f, bool sign);
fx80 sf_pack_zero(const struct sf_fmt *f, bool sign);
fx80 sf_pack_default_nan(const struct sf_fmt *f);
fx80 sf_pack_qnan(const struct sf_fmt *f, const struct sfu *a);

/*
 * Round the exact value (sig:ext) * 2^(exp - 63) (sig normalised, ext the
 * bits below with sticky in bit 0) to prec bits in format f, with x86's
 * underflow, overflow and x87 exponent-wrapping rules.  Raises into *fl and
 * sets c->c1.
 */
fx80 sf_round_pack(struct sf_ctx *c, const struct sf_fmt *f, unsigned prec,
                   bool sign, int32_t exp, uint64_t sig, uint64_t ext,
                   unsigned *fl);
/* The same for a 128-bit significand that needs normalising (non-zero). */
fx80 sf_round_pack128(struct sf_ctx *c, const struct sf_fmt *f,
                      unsigned prec, bool sign, int32_t exp, u128 sig,
                      unsigned *fl);

/* Whether rounding mode mode rounds the magnitude up, given the bits
 * below the last kept one (rem), their half-way value and whether the
 * last kept bit is odd. */
bool sf_round_up(unsigned mode, bool sign, u128 rem, u128 half, bool odd);
static inline bool round_up_rem(unsigned mode, bool sign, uint64_t frac,
                                bool odd)
{
    return sf_round_up(mode, sign, u128_make(0, frac),
                       u128_make(0, 1ull << 63), odd);
}

/* NaN operands: the result by the x87 or SSE rule, IE for an SNaN. */
fx80 sf_nan2(const struct sf_fmt *f, const struct sfu *a,
             const struct sfu *b, unsigned *fl);
fx80 sf_nan1(const struct sf_fmt *f, const struct sfu *a, unsigned *fl);

/* Record fl in the context; true when an unmasked pre-computation
 * exception means the operation stops here. */
static inline bool sf_stop(struct sf_ctx *c, unsigned fl)
{
    return sf_unmasked(c, fl & (SF_IE | SF_DE | SF_ZE)) != 0;
}

/* Generic arithmetic (softfloat.c) for the format wrappers. */
fx80 sf_add(struct sf_ctx *c, const struct sf_fmt *f, unsigned prec,
            fx80 a, fx80 b, bool negb);
fx80 sf_mul(struct sf_ctx *c, const struct sf_fmt *f, unsigned prec,
            fx80 a, fx80 b);
fx80 sf_div(struct sf_ctx *c, const struct sf_fmt *f, unsigned prec,
            fx80 a, fx80 b);
fx80 sf_sqrt(struct sf_ctx *c, const struct sf_fmt *f, unsigned prec,
             fx80 a);

static inline fx80 raw(uint64_t bits)
{
    return fx80_make(0, bits);
}

#endif
