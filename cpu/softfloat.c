/*
 * Software floating point: the formats, unpacking, the shared rounding
 * routine with x86's underflow/overflow rules, NaN propagation, and the
 * basic arithmetic (add, subtract, multiply, divide, square root) for all
 * three formats.
 */
#include "cpu/softfloat-priv.h"

const struct sf_fmt sf_fmt32 = { 8, 23, 24, false };
const struct sf_fmt sf_fmt64 = { 11, 52, 53, false };
const struct sf_fmt sf_fmt80 = { 15, 63, 64, true };

/* The x87 wraps the exponent of a result it cannot represent by this much
 * when the overflow or underflow exception is unmasked. */
#define X87_WRAP 24576

struct sf_ctx sf_ctx_x87(uint16_t fcw)
{
    /* PC 01 is reserved; the host rounds to 64 bits there. */
    static const uint8_t prec[4] = { 24, 64, 53, 64 };
    struct sf_ctx c = { 0 };

    c.round = (fcw >> 10) & 3;
    c.prec = prec[(fcw >> 8) & 3];
    c.masks = fcw & SF_ALL;
    c.x87 = true;
    return c;
}

/* ---- 128-bit helpers without a native 128-bit type --------------------- */

u128 sf_mul64_portable(uint64_t a, uint64_t b)
{
    uint64_t al = (uint32_t)a, ah = a >> 32, bl = (uint32_t)b, bh = b >> 32;
    uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
    uint64_t mid = (ll >> 32) + (uint32_t)lh + (uint32_t)hl;

    return u128_make(hh + (lh >> 32) + (hl >> 32) + (mid >> 32),
                     (mid << 32) | (uint32_t)ll);
}

/* Long division in base 2^32 (Knuth's algorithm D for a two-digit
 * divisor): a.hi < d, so the quotient fits 64 bits. */
uint64_t sf_div128_portable(u128 a, uint64_t d, uint64_t *rem)
{
    const uint64_t b = 1ull << 32;
    unsigned s = clz64(d);
    uint64_t n32, n10, n1, n0, d1, d0, q1, q0, rhat, n21;

    d <<= s;
    n32 = s ? (a.hi << s) | (a.lo >> (64 - s)) : a.hi;
    n10 = a.lo << s;
    d1 = d >> 32;
    d0 = (uint32_t)d;
    n1 = n10 >> 32;
    n0 = (uint32_t)n10;

    q1 = n32 / d1;
    rhat = n32 - q1 * d1;
    while (q1 >= b || q1 * d0 > (rhat << 32) + n1) {
        q1--;
        rhat += d1;
        if (rhat >= b)
            break;
    }
    n21 = (n32 << 32) + n1 - q1 * d;

    q0 = n21 / d1;
    rhat = n21 - q0 * d1;
    while (q0 >= b || q0 * d0 > (rhat << 32) + n0) {
        q0--;
        rhat += d1;
        if (rhat >= b)
            break;
    }
    *rem = ((n21 << 32) + n0 - q0 * d) >> s;
    return (q1 << 32) | q0;
}

/* ---- packing and unpacking ------------------------------------------------- */

static void fields(const struct sf_fmt *f, fx80 v, bool *sign, uint32_t *bexp,
                   uint64_t *frac)
{
    if (f->x80) {
        *sign = v.se >> 15;
        *bexp = v.se & 0x7fff;
        *frac = v.mant;
        return;
    }
    *sign = (v.mant >> (f->ebits + f->fbits)) & 1;
    *bexp = (uint32_t)(v.mant >> f->fbits) & ((1u << f->ebits) - 1);
    *frac = v.mant & ((1ull << f->fbits) - 1);
}

static fx80 pack(const struct sf_fmt *f, bool sign, uint32_t bexp,
                 uint64_t frac)
{
    if (f->x80)
        return fx80_make((uint16_t)((unsigned)sign << 15 | bexp), frac);
    return raw((uint64_t)sign << (f->ebits + f->fbits) |
               (uint64_t)bexp << f->fbits | frac);
}

/* A finite value from a significand with its integer bit at bit 63. */
static fx80 pack_sig(const struct sf_fmt *f, bool sign, uint32_t bexp,
                     uint64_t sig)
{
    if (f->x80)
        return pack(f, sign, bexp, sig);
    return pack(f, sign, bexp,
                (sig >> (63 - f->fbits)) & ((1ull << f->fbits) - 1));
}

fx80 sf_pack_inf(const struct sf_fmt *f, bool sign)
{
    return pack(f, sign, (1u << f->ebits) - 1, f->x80 ? 1ull << 63 : 0);
}

fx80 sf_pack_zero(const struct sf_fmt *f, bool sign)
{
    return pack(f, sign, 0, 0);
}

fx80 sf_pack_default_nan(const struct sf_fmt *f)
{
    return pack(f, true, (1u << f->ebits) - 1,
                f->x80 ? 3ull << 62 : 1ull << (f->fbits - 1));
}

fx80 sf_pack_qnan(const struct sf_fmt *f, const struct sfu *a)
{
    uint32_t emax = (1u << f->ebits) - 1;

    if (f->x80)
        return pack(f, a->sign, emax, 3ull << 62 | a->sig >> 1);
    return pack(f, a->sign, emax,
                a->sig >> (64 - f->fbits) | 1ull << (f->fbits - 1));
}

struct sfu sf_unpack(const struct sf_fmt *f, fx80 v, bool daz)
{
    struct sfu u = { SF_ZERO, false, 0, 0 };
    uint32_t bexp, emax = (1u << f->ebits) - 1;
    uint64_t frac;
    int32_t bias = fmt_bias(f);
    unsigned n;

    fields(f, v, &u.sign, &bexp, &frac);
    if (!f->x80) {
        /* Give the narrow formats an explicit integer bit at bit 63. */
        frac <<= 63 - f->fbits;
        if (bexp != 0 && bexp != emax)
            frac |= 1ull << 63;
    }
    if (bexp == emax) {
        if (f->x80 && !(frac >> 63)) {
            u.cls = SF_UNSUPPORTED;          /* pseudo-NaN / pseudo-inf */
        } else if (!(frac << 1)) {
            u.cls = SF_INF;
        } else {
            u.sig = frac << 1;
            u.cls = (u.sig >> 63) ? SF_QNAN : SF_SNAN;
        }
    } else if (bexp == 0) {
        if (frac && !daz) {
            /* Denormal (or x87 pseudo-denormal): exponent as for 1. */
            n = clz64(frac);
            u.cls = SF_DENORMAL;
            u.sig = frac << n;
            u.exp = 1 - bias - (int32_t)n;
        }
    } else if (!(frac >> 63)) {
        u.cls = SF_UNSUPPORTED;              /* unnormal */
    } else {
        u.cls = SF_NORMAL;
        u.sig = frac;
        u.exp = (int32_t)bexp - bias;
    }
    return u;
}

/* ---- rounding -------------------------------------------------------------- */

bool sf_round_up(unsigned mode, bool sign, u128 rem, u128 half, bool odd)
{
    bool inexact = rem.hi | rem.lo;

    switch (mode) {
    case SF_RN:
        return u128_lt(half, rem) ||
               (rem.hi == half.hi && rem.lo == half.lo && odd);
    case SF_RU:
        return inexact && !sign;
    case SF_RD:
        return inexact && sign;
    default:
        return false;
    }
}

static fx80 overflow_masked(struct sf_ctx *c, const struct sf_fmt *f,
                            unsigned prec, bool sign, unsigned *fl)
{
    bool to_inf = c->round == SF_RN || (c->round == SF_RU && !sign) ||
                  (c->round == SF_RD && sign);

    *fl |= SF_OE | SF_PE;
    c->c1 = to_inf;
    if (to_inf)
        return sf_pack_inf(f, sign);
    return pack_sig(f, sign, (uint32_t)(2 * fmt_bias(f)), ~0ull << (64 - prec));
}

/* x86 detects tininess after rounding: a value below the smallest normal
 * number is not tiny when rounding it to prec bits (exponent unbounded)
 * carries it up to that number. */
static bool tiny_after_rounding(const struct sf_ctx *c, unsigned prec,
                                bool sign, int32_t exp, u128 v, int32_t emin)
{
    unsigned sh = 64 - prec;
    uint64_t rmask = sh ? ~0ull >> prec : 0;
    u128 rem = u128_make(v.hi & rmask, v.lo);
    u128 half = sh ? u128_make(1ull << (sh - 1), 0) : u128_make(0, 1ull << 63);

    if (exp != emin - 1 || (v.hi | rmask) != ~0ull)
        return true;
    return !sf_round_up(c->round, sign, rem, half, (v.hi >> sh) & 1);
}

fx80 sf_round_pack(struct sf_ctx *c, const struct sf_fmt *f, unsigned prec,
                   bool sign, int32_t exp, uint64_t sig, uint64_t ext,
                   unsigned *fl)
{
    int32_t bias = fmt_bias(f), emin = 1 - bias;
    unsigned sh = 64 - prec;
    u128 v = u128_make(sig, ext);
    bool denorm = false;
    unsigned wrapped_fault = 0;

    c->c1 = false;
    if (exp < emin && !tiny_after_rounding(c, prec, sign, exp, v, emin))
        exp = emin - 1;          /* rounds to the smallest normal number */
    else if (exp < emin) {
        if (!(c->masks & SF_UE) && f->x80) {
            if (exp + X87_WRAP < emin) {
                /* Too small even wrapped: a zero of the sign. */
                *fl |= SF_UE | SF_PE;
                return sf_pack_zero(f, sign);
            }
            exp += X87_WRAP;
            *fl |= SF_UE;
        } else if (!(c->masks & SF_UE)) {
            /* Not delivered (SSE #XM, x87 store): UE, and PE when the
             * significand alone is inexact (SSE only). */
            wrapped_fault = SF_UE;
        } else if (c->ftz) {
            *fl |= SF_UE | SF_PE;
            return sf_pack_zero(f, sign);
        } else {
            int64_t d = (int64_t)emin - exp;
            v = u128_shr_jam(v, d > 200 ? 200 : (unsigned)d);
            exp = emin;
            denorm = true;
        }
    }
    uint64_t rmask = sh ? ~0ull >> prec : 0;
    u128 rem = u128_make(v.hi & rmask, v.lo);
    u128 half = sh ? u128_make(1ull << (sh - 1), 0) : u128_make(0, 1ull << 63);
    bool inexact = rem.hi | rem.lo;
    bool inc = sf_round_up(c->round, sign, rem, half, (v.hi >> sh) & 1);
    uint64_t s = v.hi & ~rmask;

    if (inc) {
        s += 1ull << sh;
        if (s == 0) {
            s = 1ull << 63;
            exp++;
        }
    }
    c->c1 = inc;
    if (!f->x80 && (wrapped_fault || (exp > bias && !(c->masks & SF_OE)))) {
        *fl |= wrapped_fault ? wrapped_fault : SF_OE;
        if (inexact && !c->x87)
            *fl |= SF_PE;
        c->c1 = false;
        return sf_pack_inf(f, sign);
    }
    if (inexact)
        *fl |= SF_PE;
    if (denorm) {
        if (inexact)
            *fl |= SF_UE;
        return pack_sig(f, sign, (uint32_t)(s >> 63), s);
    }
    if (exp > bias) {
        if (f->x80 && !(c->masks & SF_OE) && exp - X87_WRAP <= bias) {
            exp -= X87_WRAP;
            *fl |= SF_OE;
        } else if (f->x80 && !(c->masks & SF_OE)) {
            /* Too large even wrapped: an infinity. */
            *fl |= SF_OE | SF_PE;
            c->c1 = true;
            return sf_pack_inf(f, sign);
        } else {
            return overflow_masked(c, f, prec, sign, fl);
        }
    }
    return pack_sig(f, sign, (uint32_t)(exp + bias), s);
}

fx80 sf_round_pack128(struct sf_ctx *c, const struct sf_fmt *f,
                      unsigned prec, bool sign, int32_t exp, u128 sig,
                      unsigned *fl)
{
    unsigned n = u128_clz(sig);

    sig = u128_shl(sig, n);
    return sf_round_pack(c, f, prec, sign, exp - (int32_t)n, sig.hi, sig.lo,
                         fl);
}

/* ---- NaNs ------------------------------------------------------------------ */

fx80 sf_nan1(const struct sf_fmt *f, const struct sfu *a, unsigned *fl)
{
    if (a->cls == SF_SNAN)
        *fl |= SF_IE;
    return sf_pack_qnan(f, a);
}

/*
 * Two operands, at least one a NaN.  SSE: the first NaN operand.  x87: a
 * QNaN over an SNaN, else the larger significand (the positive one on a
 * tie).
 */
fx80 sf_nan2(const struct sf_fmt *f, const struct sfu *a,
             const struct sfu *b, unsigned *fl)
{
    if (a->cls == SF_SNAN || b->cls == SF_SNAN)
        *fl |= SF_IE;
    if (!sfu_is_nan(a))
        return sf_pack_qnan(f, b);
    if (!sfu_is_nan(b) || !f->x80)
        return sf_pack_qnan(f, a);
    if (a->cls != b->cls)
        return sf_pack_qnan(f, a->cls == SF_QNAN ? a : b);
    if (a->sig != b->sig)
        return sf_pack_qnan(f, a->sig > b->sig ? a : b);
    return sf_pack_qnan(f, a->sign ? b : a);
}

/* Unsupported 80-bit encodings and NaNs: true when they decide the
 * result. */
static bool special2(const struct sf_fmt *f, const struct sfu *a,
                     const struct sfu *b, fx80 *r, unsigned *fl)
{
    if (a->cls == SF_UNSUPPORTED || b->cls == SF_UNSUPPORTED) {
        *fl |= SF_IE;
        *r = sf_pack_default_nan(f);
        return true;
    }
    if (sfu_is_nan(a) || sfu_is_nan(b)) {
        *r = sf_nan2(f, a, b, fl);
        return true;
    }
    return false;
}

/* Denormal operands of an operation that goes on to compute. */
static unsigned denormal2(const struct sf_ctx *c, const struct sfu *a,
                          const struct sfu *b)
{
    return a->cls == SF_DENORMAL || b->cls == SF_DENORMAL || c->denormal_src
               ? SF_DE : 0;
}

static fx80 invalid(const struct sf_fmt *f, unsigned *fl)
{
    *fl |= SF_IE;
    return sf_pack_default_nan(f);
}

/* ---- arithmetic -------------------------------------------------------------- */

fx80 sf_add(struct sf_ctx *c, const struct sf_fmt *f, unsigned prec,
            fx80 ra, fx80 rb, bool negb)
{
    struct sfu a = sf_unpack(f, ra, c->daz), b = sf_unpack(f, rb, c->daz);
    unsigned fl = 0;
    fx80 r = ra;

    c->c1 = false;
    if (special2(f, &a, &b, &r, &fl))
        goto out;
    b.sign ^= negb;
    fl |= denormal2(c, &a, &b);
    if (a.cls == SF_INF || b.cls == SF_INF) {
        if (a.cls == SF_INF && b.cls == SF_INF && a.sign != b.sign)
            r = invalid(f, &fl);
        else
            r = sf_pack_inf(f, a.cls == SF_INF ? a.sign : b.sign);
        goto out;
    }
    if (sf_stop(c, fl))
        goto out;
    if (a.cls == SF_ZERO && b.cls == SF_ZERO) {
        r = sf_pack_zero(f, a.sign == b.sign ? a.sign : c->round == SF_RD);
        goto out;
    }
    if (b.cls == SF_ZERO || a.cls == SF_ZERO) {
        const struct sfu *x = b.cls == SF_ZERO ? &a : &b;
        r = sf_round_pack(c, f, prec, x->sign, x->exp, x->sig, 0, &fl);
        goto out;
    }
    if (b.exp > a.exp || (b.exp == a.exp && b.sig > a.sig)) {
        struct sfu t = a;
        a = b;
        b = t;
    }
    /* One bit of headroom for the carry; |a| >= |b|. */
    int64_t d = (int64_t)a.exp - b.exp + 1;
    u128 x = u128_shr(u128_make(a.sig, 0), 1);
    u128 y = u128_shr_jam(u128_make(b.sig, 0), d > 200 ? 200 : (unsigned)d);
    u128 s = a.sign == b.sign ? u128_add(x, y) : u128_sub(x, y);

    if (!s.hi && !s.lo)
        r = sf_pack_zero(f, c->round == SF_RD);
    else
        r = sf_round_pack128(c, f, prec, a.sign, a.exp + 1, s, &fl);
out:
    c->flags |= fl;
    return r;
}

fx80 sf_mul(struct sf_ctx *c, const struct sf_fmt *f, unsigned prec,
            fx80 ra, fx80 rb)
{
    struct sfu a = sf_unpack(f, ra, c->daz), b = sf_unpack(f, rb, c->daz);
    unsigned fl = 0;
    fx80 r = ra;
    bool sign = a.sign ^ b.sign;

    c->c1 = false;
    if (special2(f, &a, &b, &r, &fl))
        goto out;
    fl |= denormal2(c, &a, &b);
    if (a.cls == SF_INF || b.cls == SF_INF) {
        if (a.cls == SF_ZERO || b.cls == SF_ZERO)
            r = invalid(f, &fl);
        else
            r = sf_pack_inf(f, sign);
        goto out;
    }
    if (sf_stop(c, fl))
        goto out;
    if (a.cls == SF_ZERO || b.cls == SF_ZERO) {
        r = sf_pack_zero(f, sign);
        goto out;
    }
    r = sf_round_pack128(c, f, prec, sign, a.exp + b.exp + 1,
                         sf_mul64(a.sig, b.sig), &fl);
out:
    c->flags |= fl;
    return r;
}

fx80 sf_div(struct sf_ctx *c, const struct sf_fmt *f, unsigned prec,
            fx80 ra, fx80 rb)
{
    struct sfu a = sf_unpack(f, ra, c->daz), b = sf_unpack(f, rb, c->daz);
    unsigned fl = 0;
    fx80 r = ra;
    bool sign = a.sign ^ b.sign;

    c->c1 = false;
    if (special2(f, &a, &b, &r, &fl))
        goto out;
    if (b.cls == SF_ZERO) {
        /* x / 0: no denormal operand exception */
        if (a.cls == SF_ZERO) {
            r = invalid(f, &fl);
        } else {
            if (a.cls != SF_INF)
                fl |= SF_ZE;
            r = sf_pack_inf(f, sign);
        }
        goto out;
    }
    fl |= denormal2(c, &a, &b);
    if (a.cls == SF_INF) {
        r = b.cls == SF_INF ? invalid(f, &fl) : sf_pack_inf(f, sign);
        goto out;
    }
    if (sf_stop(c, fl))
        goto out;
    if (b.cls == SF_INF || a.cls == SF_ZERO) {
        r = sf_pack_zero(f, sign);
        goto out;
    }
    /* Two 64-bit quotient digits of a.sig / b.sig, the first normalised
     * by halving the dividend when it is not below the divisor. */
    unsigned k = a.sig >= b.sig;
    u128 n = u128_shr(u128_make(a.sig, 0), k);
    uint64_t rem, q1 = sf_div128(n, b.sig, &rem);
    uint64_t q0 = sf_div128(u128_make(rem, 0), b.sig, &rem);

    r = sf_round_pack128(c, f, prec, sign, a.exp - b.exp - 1 + (int32_t)k,
                         u128_make(q1, q0 | (rem != 0)), &fl);
out:
    c->flags |= fl;
    return r;
}

/* floor(sqrt(sig * 2^sh)) for a radicand of up to 132 bits, digit by
 * digit; *exact says whether it was a perfect square. */
static u128 isqrt_shifted(uint64_t sig, int sh, bool *exact)
{
    u128 rem = u128_make(0, 0), root = u128_make(0, 0);

    for (int i = 65; i >= 0; i--) {
        unsigned pair = 0;
        for (int j = 1; j >= 0; j--) {
            int bit = 2 * i + j - sh;
            pair = pair << 1 | (bit >= 0 && bit < 64 ? (sig >> bit) & 1 : 0);
        }
        rem = u128_shl(rem, 2);
        rem.lo |= pair;
        u128 trial = u128_shl(root, 2);
        trial.lo |= 1;
        root = u128_shl(root, 1);
        if (!u128_lt(rem, trial)) {
            rem = u128_sub(rem, trial);
            root.lo |= 1;
        }
    }
    *exact = !rem.hi && !rem.lo;
    return root;
}

fx80 sf_sqrt(struct sf_ctx *c, const struct sf_fmt *f, unsigned prec,
             fx80 ra)
{
    struct sfu a = sf_unpack(f, ra, c->daz);
    unsigned fl = 0;
    fx80 r = ra;

    c->c1 = false;
    if (a.cls == SF_UNSUPPORTED) {
        r = invalid(f, &fl);
        goto out;
    }
    if (sfu_is_nan(&a)) {
        r = sf_nan1(f, &a, &fl);
        goto out;
    }
    if (a.cls == SF_ZERO) {
        r = sf_pack_zero(f, a.sign);
        goto out;
    }
    if (a.sign) {
        r = invalid(f, &fl);
        goto out;
    }
    if (a.cls == SF_DENORMAL)
        fl |= SF_DE;
    if (a.cls == SF_INF) {
        r = sf_pack_inf(f, false);
        goto out;
    }
    if (sf_stop(c, fl))
        goto out;
    /* value = sig * 2^(exp - 63) = R * 2^(exp - k - 130) with
     * R = sig * 2^(67 + k) and exp - k even: a 66-bit root. */
    int k = a.exp & 1;
    bool exact;
    u128 root = isqrt_shifted(a.sig, 67 + k, &exact);

    root.lo |= !exact;
    r = sf_round_pack128(c, f, prec, false, (a.exp - k - 130) / 2 + 127,
                         root, &fl);
out:
    c->flags |= fl;
    return r;
}

/* ---- fast paths for normal operands -----------------------------------------
 *
 * SSE arithmetic on two normal binary32/binary64 operands whose result is
 * normal too is by far the common case; it needs none of the special-case
 * machinery above.  These compute exactly what sf_add/sf_mul would (the
 * exact result, one rounding, PE the only possible flag) and decline,
 * returning false, whenever the result could be tiny or overflow, or the
 * context has x87 rules; the generic path then decides.
 */

struct fast_fmt {
    unsigned fbits, ebits;
};
static const struct fast_fmt fast32 = { 23, 8 }, fast64 = { 52, 11 };

static inline bool fast_normal(const struct fast_fmt *f, uint64_t v,
                               uint32_t *bexp)
{
    *bexp = (uint32_t)(v >> f->fbits) & ((1u << f->ebits) - 1);
    return *bexp != 0 && *bexp != (1u << f->ebits) - 1;
}

/* Round sig (integer bit at 63, sticky in bit 0) to the format with
 * biased exponent bexp; false if the result might not be normal. */
static inline bool fast_round(struct sf_ctx *c, const struct fast_fmt *f,
                              bool sign, int32_t bexp, uint64_t sig,
                              uint64_t *out)
{
    unsigned sh = 63 - f->fbits;
    uint64_t rem = sig & ((1ull << sh) - 1), half = 1ull << (sh - 1);
    uint64_t q = sig >> sh;
    bool inc;

    if (bexp < 1 || bexp >= (int32_t)(1u << f->ebits) - 2)
        return false;
    switch (c->round) {
    case SF_RN: inc = rem > half || (rem == half && (q & 1)); break;
    case SF_RU: inc = rem && !sign; break;
    case SF_RD: inc = rem && sign; break;
    default: inc = false; break;
    }
    q += inc;
    if (q >> (f->fbits + 1)) {
        q >>= 1;
        bexp++;
    }
    c->c1 = inc;
    if (rem)
        c->flags |= SF_PE;
    *out = (uint64_t)sign << (f->fbits + f->ebits) |
           (uint64_t)(uint32_t)bexp << f->fbits |
           (q & ((1ull << f->fbits) - 1));
    return true;
}

static inline bool fast_add(struct sf_ctx *c, const struct fast_fmt *f,
                            uint64_t a, uint64_t b, bool negb, uint64_t *out)
{
    unsigned top = f->fbits + f->ebits;
    uint64_t mag = (1ull << top) - 1, fmask = (1ull << f->fbits) - 1;
    uint32_t ea, eb;

    if (c->x87 || !fast_normal(f, a, &ea) || !fast_normal(f, b, &eb))
        return false;
    b ^= (uint64_t)negb << top;
    if ((b & mag) > (a & mag)) {
        uint64_t t = a;
        uint32_t te = ea;
        a = b, b = t, ea = eb, eb = te;
    }
    /* Significands with their integer bit at 61: |a| >= |b|. */
    unsigned k = 61 - f->fbits, d = ea - eb;
    uint64_t x = ((a & fmask) | (fmask + 1)) << k;
    uint64_t y = ((b & fmask) | (fmask + 1)) << k;
    bool sign = a >> top;

    y = d >= 63 ? 1 : (y >> d) | ((y << (63 - d) << 1) != 0);
    x = (sign == (bool)(b >> top)) ? x + y : x - y;
    if (!x) {
        c->c1 = false;
        *out = (uint64_t)(c->round == SF_RD) << top;
        return true;
    }
    unsigned n = clz64(x);
    return fast_round(c, f, sign, (int32_t)ea + 2 - (int32_t)n, x << n, out);
}

static inline bool fast_mul(struct sf_ctx *c, const struct fast_fmt *f,
                            uint64_t a, uint64_t b, uint64_t *out)
{
    unsigned top = f->fbits + f->ebits, k = 63 - f->fbits;
    uint64_t fmask = (1ull << f->fbits) - 1;
    uint32_t ea, eb;

    if (c->x87 || !fast_normal(f, a, &ea) || !fast_normal(f, b, &eb))
        return false;
    /* Both significands with their integer bit at 63: the product's is
     * at 127 or 126. */
    u128 p = sf_mul64(((a & fmask) | (fmask + 1)) << k,
                      ((b & fmask) | (fmask + 1)) << k);
    int32_t bexp = (int32_t)(ea + eb) - ((1 << (f->ebits - 1)) - 1);
    uint64_t sig = p.hi;

    if (sig >> 63) {
        bexp++;
    } else {
        sig = sig << 1 | p.lo >> 63;
        p.lo <<= 1;
    }
    return fast_round(c, f, (a ^ b) >> top & 1, bexp, sig | (p.lo != 0), out);
}

/* ---- the format wrappers ------------------------------------------------------ */

f32 f32_add(struct sf_ctx *c, f32 a, f32 b)
{
    uint64_t r;

    if (fast_add(c, &fast32, a, b, false, &r))
        return (f32)r;
    return (f32)sf_add(c, &sf_fmt32, 24, raw(a), raw(b), false).mant;
}
f32 f32_sub(struct sf_ctx *c, f32 a, f32 b)
{
    uint64_t r;

    if (fast_add(c, &fast32, a, b, true, &r))
        return (f32)r;
    return (f32)sf_add(c, &sf_fmt32, 24, raw(a), raw(b), true).mant;
}
f32 f32_mul(struct sf_ctx *c, f32 a, f32 b)
{
    uint64_t r;

    if (fast_mul(c, &fast32, a, b, &r))
        return (f32)r;
    return (f32)sf_mul(c, &sf_fmt32, 24, raw(a), raw(b)).mant;
}
f32 f32_div(struct sf_ctx *c, f32 a, f32 b)
{
    return (f32)sf_div(c, &sf_fmt32, 24, raw(a), raw(b)).mant;
}
f32 f32_sqrt(struct sf_ctx *c, f32 a)
{
    return (f32)sf_sqrt(c, &sf_fmt32, 24, raw(a)).mant;
}
f64 f64_add(struct sf_ctx *c, f64 a, f64 b)
{
    uint64_t r;

    if (fast_add(c, &fast64, a, b, false, &r))
        return (f64)r;
    return sf_add(c, &sf_fmt64, 53, raw(a), raw(b), false).mant;
}
f64 f64_sub(struct sf_ctx *c, f64 a, f64 b)
{
    uint64_t r;

    if (fast_add(c, &fast64, a, b, true, &r))
        return (f64)r;
    return sf_add(c, &sf_fmt64, 53, raw(a), raw(b), true).mant;
}
f64 f64_mul(struct sf_ctx *c, f64 a, f64 b)
{
    uint64_t r;

    if (fast_mul(c, &fast64, a, b, &r))
        return (f64)r;
    return sf_mul(c, &sf_fmt64, 53, raw(a), raw(b)).mant;
}
f64 f64_div(struct sf_ctx *c, f64 a, f64 b)
{
    return sf_div(c, &sf_fmt64, 53, raw(a), raw(b)).mant;
}
f64 f64_sqrt(struct sf_ctx *c, f64 a)
{
    return sf_sqrt(c, &sf_fmt64, 53, raw(a)).mant;
}
fx80 fx80_add(struct sf_ctx *c, fx80 a, fx80 b)
{
    return sf_add(c, &sf_fmt80, c->prec, a, b, false);
}
fx80 fx80_sub(struct sf_ctx *c, fx80 a, fx80 b)
{
    return sf_add(c, &sf_fmt80, c->prec, a, b, true);
}
fx80 fx80_mul(struct sf_ctx *c, fx80 a, fx80 b)
{
    return sf_mul(c, &sf_fmt80, c->prec, a, b);
}
fx80 fx80_div(struct sf_ctx *c, fx80 a, fx80 b)
{
    return sf_div(c, &sf_fmt80, c->prec, a, b);
}
fx80 fx80_sqrt(struct sf_ctx *c, fx80 a)
{
    return sf_sqrt(c, &sf_fmt80, c->prec, a);
}

static enum sf_class class_of(const struct sf_fmt *f, fx80 v)
{
    return (enum sf_class)sf_unpack(f, v, false).cls;
}

enum sf_class fx80_class(fx80 a) { return class_of(&sf_fmt80, a); }
enum sf_class f32_class(f32 a) { return class_of(&sf_fmt32, raw(a)); }
enum sf_class f64_class(f64 a) { return class_of(&sf_fmt64, raw(a)); }
