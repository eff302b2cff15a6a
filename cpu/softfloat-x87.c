/*
 * Software floating point: the x87's own operations on the 80-bit format,
 * partial remainder (FPREM/FPREM1), FSCALE and FXTRACT.
 */
#include "cpu/softfloat-priv.h"

/* FPREM's partial reduction: an exponent difference of 64 or more is cut
 * down by D - N with N taken from the bits of D as the host CPU does (see
 * doc/cpu-model.md). */
#define FPREM_N_BASE 32

static unsigned fprem_cc(uint64_t q)
{
    return (unsigned)((q >> 2) & 1) << 8 |      /* C0 = Q2 */
           (unsigned)(q & 1) << 9 |             /* C1 = Q0 */
           (unsigned)((q >> 1) & 1) << 14;      /* C3 = Q1 */
}

/* Two operands' NaN and unsupported cases and DE: true when decided. */
static bool special(struct sf_ctx *c, const struct sfu *a, const struct sfu *b,
                    fx80 *r, unsigned *fl)
{
    (void)c;
    if (a->cls == SF_UNSUPPORTED || b->cls == SF_UNSUPPORTED) {
        *fl |= SF_IE;
        *r = fx80_default_nan();
        return true;
    }
    if (sfu_is_nan(a) || sfu_is_nan(b)) {
        *r = sf_nan2(&sf_fmt80, a, b, fl);
        return true;
    }
    return false;
}

static unsigned denormal2(const struct sfu *a, const struct sfu *b)
{
    return a->cls == SF_DENORMAL || b->cls == SF_DENORMAL ? SF_DE : 0;
}

fx80 fx80_rem(struct sf_ctx *c, fx80 ra, fx80 rb, bool ieee, uint16_t *cc)
{
    struct sfu a = sf_unpack(&sf_fmt80, ra, false);
    struct sfu b = sf_unpack(&sf_fmt80, rb, false);
    unsigned fl = 0;
    fx80 r = ra;

    c->c1 = false;
    *cc = 0;
    if (special(c, &a, &b, &r, &fl))
        goto out;
    if (a.cls == SF_INF || b.cls == SF_ZERO) {
        fl |= SF_IE;
        r = fx80_default_nan();
        goto out;
    }
    fl |= denormal2(&a, &b);
    if (sf_stop(c, fl))
        goto out;
    if (a.cls == SF_ZERO) {
        r = sf_pack_zero(&sf_fmt80, a.sign);
        goto out;
    }
    if (b.cls == SF_INF) {
        /* a itself, in its normalised encoding */
        r = sf_round_pack(c, &sf_fmt80, 64, a.sign, a.exp, a.sig, 0, &fl);
        goto out;
    }

    int32_t d = a.exp - b.exp;
    unsigned steps;
    int32_t rexp = b.exp;
    bool partial = d >= 64, sign = a.sign;
    uint64_t q = 0;
    u128 rem;

    if (d < 0) {
        /* |a| < |b|: quotient 0, or 1 for FPREM1 when |a| > |b| / 2. */
        if (ieee && d == -1 && a.sig > b.sig) {
            /* |b| - |a| = (2 b.sig - a.sig) * 2^(b.exp - 64) */
            q = 1;
            rem = u128_sub(u128_make(b.sig >> 63, b.sig << 1),
                           u128_make(0, a.sig));
            r = sf_round_pack128(c, &sf_fmt80, 64, !sign, b.exp + 63, rem,
                                 &fl);
        } else {
            r = sf_round_pack(c, &sf_fmt80, 64, a.sign, a.exp, a.sig, 0, &fl);
        }
        *cc = (uint16_t)fprem_cc(q);
        goto out;
    }
    steps = partial ? FPREM_N_BASE + (unsigned)((d - FPREM_N_BASE) % 32)
                    : (unsigned)d;
    if (partial)
        rexp = b.exp + (d - (int32_t)steps);
    /* Long division: rem = a.sig * 2^steps - q * b.sig, rem < b.sig. */
    rem = u128_make(0, a.sig);
    if (!u128_lt(rem, u128_make(0, b.sig))) {
        rem.lo -= b.sig;
        q = 1;
    }
    for (unsigned k = 0; k < steps; k++) {
        rem = u128_shl(rem, 1);
        q <<= 1;
        if (!u128_lt(rem, u128_make(0, b.sig))) {
            rem = u128_sub(rem, u128_make(0, b.sig));
            q |= 1;
        }
    }
    if (ieee && !partial) {
        u128 twice = u128_shl(rem, 1);
        u128 bs = u128_make(0, b.sig);
        if (u128_lt(bs, twice) ||
            (twice.hi == bs.hi && twice.lo == bs.lo && (q & 1))) {
            q++;
            rem = u128_sub(bs, rem);
            sign = !sign;
        }
    }
    if (!rem.hi && !rem.lo)
        r = sf_pack_zero(&sf_fmt80, a.sign);
    else
        r = sf_round_pack128(c, &sf_fmt80, 64, sign, rexp + 64, rem, &fl);
    *cc = (uint16_t)(partial ? 1u << 10 : fprem_cc(q));
out:
    c->c1 = false;
    c->flags |= fl;
    return r;
}

fx80 fx80_scale(struct sf_ctx *c, fx80 ra, fx80 rb)
{
    struct sfu a = sf_unpack(&sf_fmt80, ra, false);
    struct sfu b = sf_unpack(&sf_fmt80, rb, false);
    unsigned fl = 0;
    fx80 r = ra;

    c->c1 = false;
    if (special(c, &a, &b, &r, &fl))
        goto out;
    fl |= denormal2(&a, &b);
    if (b.cls == SF_INF) {
        bool up = !b.sign;
        if ((a.cls == SF_ZERO && up) || (a.cls == SF_INF && !up))
            r = sf_pack_default_nan(&sf_fmt80), fl |= SF_IE;
        else if (a.cls == SF_ZERO || a.cls == SF_INF)
            r = ra;
        else
            r = up ? sf_pack_inf(&sf_fmt80, a.sign)
                   : sf_pack_zero(&sf_fmt80, a.sign);
        goto out;
    }
    if (sf_stop(c, fl))
        goto out;
    if (a.cls == SF_ZERO || a.cls == SF_INF) {
        r = ra;
        goto out;
    }
    int32_t n = 0;
    if (b.cls != SF_ZERO && b.exp >= 0)
        n = b.exp > 20 ? 1 << 20 : (int32_t)(b.sig >> (63 - b.exp));
    if (b.sign)
        n = -n;
    r = sf_round_pack(c, &sf_fmt80, 64, a.sign, a.exp + n, a.sig, 0, &fl);
out:
    c->flags |= fl;
    return r;
}

fx80 fx80_extract(struct sf_ctx *c, fx80 ra, fx80 *exp)
{
    struct sfu a = sf_unpack(&sf_fmt80, ra, false);
    unsigned fl = 0;
    fx80 r = ra;

    c->c1 = false;
    switch (a.cls) {
    case SF_UNSUPPORTED:
        fl |= SF_IE;
        r = *exp = fx80_default_nan();
        break;
    case SF_QNAN:
    case SF_SNAN:
        r = *exp = sf_nan1(&sf_fmt80, &a, &fl);
        break;
    case SF_INF:
        *exp = sf_pack_inf(&sf_fmt80, false);
        break;
    case SF_ZERO:
        fl |= SF_ZE;
        *exp = sf_pack_inf(&sf_fmt80, true);
        break;
    default:
        if (a.cls == SF_DENORMAL)
            fl |= SF_DE;
        if (sf_stop(c, fl))
            break;
        *exp = i64_to_fx80(a.exp);
        r = fx80_make((uint16_t)(a.sign << 15 | 16383), a.sig);
        break;
    }
    c->flags |= fl;
    return r;
}
