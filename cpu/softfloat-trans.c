/*
 * Software floating point: the x87 transcendental instructions.
 *
 * They are computed in a 128-bit significand format (struct xf) with
 * truncating arithmetic, series on reduced arguments and constants to 128
 * bits, then rounded once to 64 bits: the result is the correctly rounded
 * one but for values within about 2^-120 of a rounding boundary, well
 * inside the one ulp real x87 units document.  The trigonometric argument
 * reduction is exact, but with the 66-bit approximation of pi the hardware
 * documents and uses (so FSIN of a large argument matches the host CPU,
 * not the true sine).  Precision control does not apply to these
 * instructions.  Outside their documented domains F2XM1 (|x| > 1) and
 * FYL2XP1 (x <= -1) return x, inexact, as the host does.
 */
#include "cpu/softfloat-priv.h"

/* value = sig * 2^(exp - 127); sig normalised (bit 127 set) or zero. */
struct xf {
    bool sign;
    int32_t exp;
    u128 sig;
};

#define XF(hi, lo, e) { false, (e), { (hi), (lo) } }

static const struct xf XF_PIO2 = XF(0xc90fdaa22168c234ull, 0xc4c6628b80dc1cd1ull, 0);
static const struct xf XF_TWO_OVER_PI = XF(0xa2f9836e4e441529ull, 0xfc2757d1f534ddc0ull, -1);
static const struct xf XF_LN2 = XF(0xb17217f7d1cf79abull, 0xc9e3b39803f2f6afull, -1);
static const struct xf XF_LOG2E = XF(0xb8aa3b295c17f0bbull, 0xbe87fed0691d3e88ull, 0);
static const struct xf XF_SQRT2 = XF(0xb504f333f9de6484ull, 0x597d89b3754abe9full, 0);
static const struct xf XF_ONE = XF(1ull << 63, 0, 0);
/* atan(k / 8), k = 1..8 */
static const struct xf XF_ATAN[8] = {
    XF(0xfeadd4d5617b6e32ull, 0xc897989f3e888ef7ull, -4),
    XF(0xfadbafc96406eb15ull, 0x6dc79ef5f7a217e5ull, -3),
    XF(0xb7b0ca0f26f78473ull, 0x8aa32122dcfe4483ull, -2),
    XF(0xed63382b0dda7b45ull, 0x6fe445ecbc3a8d03ull, -2),
    XF(0x8f005d5ef7f59f9bull, 0x5c835e1665c43747ull, -1),
    XF(0xa4bc7d1934f70924ull, 0x19a87f2a457dac9eull, -1),
    XF(0xb8053e2bc2319e73ull, 0xcb2da55210a4443dull, -1),
    XF(0xc90fdaa22168c234ull, 0xc4c6628b80dc1cd1ull, -1),
};
/* The x87's pi/2 (0xC90FDAA22168C234C * 2^-67) * 2^256, least
 * significant word first. */
static const uint64_t PIO2_FIX[5] = {
    0, 0, 0x8000000000000000ull, 0x921fb54442d18469ull, 0x1ull,
};

/* ---- the 128-bit format ------------------------------------------------------- */

static bool xf_zero(const struct xf *a)
{
    return !a->sig.hi && !a->sig.lo;
}

static struct xf xf_norm(bool sign, int32_t exp, u128 sig)
{
    struct xf r = { sign, exp, sig };
    unsigned n;

    if (!sig.hi && !sig.lo)
        return r;
    n = u128_clz(sig);
    r.sig = u128_shl(sig, n);
    r.exp = exp - (int32_t)n;
    return r;
}

static struct xf xf_from_sfu(const struct sfu *a)
{
    struct xf r = { a->sign, a->exp, u128_make(a->sig, 0) };
    if (a->cls == SF_ZERO)
        r.sig = u128_make(0, 0);
    return r;
}

static struct xf xf_int(int64_t v)
{
    uint64_t m = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    return xf_norm(v < 0, 127, u128_make(0, m));
}

static struct xf xf_neg(struct xf a)
{
    a.sign = !a.sign;
    return a;
}

static struct xf xf_add(struct xf a, struct xf b)
{
    if (xf_zero(&a))
        return b;
    if (xf_zero(&b))
        return a;
    if (b.exp > a.exp || (b.exp == a.exp && u128_lt(a.sig, b.sig))) {
        struct xf t = a;
        a = b;
        b = t;
    }
    int64_t d = (int64_t)a.exp - b.exp + 1;
    u128 x = u128_shr(a.sig, 1);
    u128 y = u128_shr_jam(b.sig, d > 200 ? 200 : (unsigned)d);
    u128 s = a.sign == b.sign ? u128_add(x, y) : u128_sub(x, y);
    return xf_norm(a.sign, a.exp + 1, s);
}

static struct xf xf_sub(struct xf a, struct xf b)
{
    return xf_add(a, xf_neg(b));
}

static struct xf xf_mul(struct xf a, struct xf b)
{
    u128 hh = sf_mul64(a.sig.hi, b.sig.hi), hl = sf_mul64(a.sig.hi, b.sig.lo);
    u128 lh = sf_mul64(a.sig.lo, b.sig.hi), ll = sf_mul64(a.sig.lo, b.sig.lo);
    u128 mid = u128_add(hl, u128_make(0, ll.hi));
    unsigned carry = u128_lt(mid, hl);
    u128 mid2 = u128_add(mid, lh);
    u128 r;

    carry += u128_lt(mid2, mid);
    r = u128_add(hh, u128_make(carry, mid2.hi));
    r.lo |= mid2.lo != 0 || ll.lo != 0;
    if (xf_zero(&a) || xf_zero(&b))
        return xf_norm(false, 0, u128_make(0, 0));
    return xf_norm(a.sign ^ b.sign, a.exp + b.exp + 1, r);
}

static struct xf xf_div(struct xf a, struct xf b)
{
    u128 r = a.sig, q = u128_make(0, 0);
    bool carry = false;

    if (xf_zero(&a))
        return a;
    for (int k = 0; k < 128; k++) {
        bool bit = carry || !u128_lt(r, b.sig);
        if (bit)
            r = u128_sub(r, b.sig);
        q = u128_shl(q, 1);
        q.lo |= bit;
        carry = r.hi >> 63;
        r = u128_shl(r, 1);
    }
    q.lo |= (r.hi | r.lo) != 0;
    return xf_norm(a.sign ^ b.sign, a.exp - b.exp, q);
}

static struct xf xf_div_small(struct xf a, uint32_t n)
{
    uint64_t rem, qh = sf_div128(u128_make(0, a.sig.hi), n, &rem);
    uint64_t ql = sf_div128(u128_make(rem, a.sig.lo), n, &rem);
    return xf_norm(a.sign, a.exp, u128_make(qh, ql | (rem != 0)));
}

static struct xf xf_ldexp(struct xf a, int32_t n)
{
    if (!xf_zero(&a))
        a.exp += n;
    return a;
}

/* Negligible next to ref: below it by more than 130 binary places. */
static bool xf_negligible(const struct xf *t, const struct xf *ref)
{
    return xf_zero(t) || t->exp < ref->exp - 130;
}

/* A series stopped at a negligible term t: move sum a little (far below
 * its 64 bits) towards t, so directed rounding sees which side of sum the
 * true value lies. */
static struct xf xf_nudge(struct xf sum, const struct xf *t)
{
    struct xf tiny = { t->sign, sum.exp - 119, u128_make(1ull << 63, 0) };

    if (xf_zero(t) || xf_zero(&sum))
        return sum;
    return xf_add(sum, tiny);
}

/* The final rounding.  The transcendentals detect tininess after
 * rounding, as the host does: no UE for a result that rounds to a normal
 * number. */
static fx80 xf_round_x(struct sf_ctx *c, struct xf a, bool exact,
                       unsigned *fl)
{
    struct sf_ctx m = *c;
    unsigned f = 0;
    fx80 r;

    if (xf_zero(&a))
        return sf_pack_zero(&sf_fmt80, a.sign);
    /* A transcendental result is inexact (the host reports PE even for
     * FYL2XP1(1, 1)); only an exact power-of-two logarithm keeps its
     * value exact. */
    if (!exact)
        a.sig.lo |= 1;
    f = SF_PE;
    m.masks |= SF_UE;
    r = sf_round_pack128(&m, &sf_fmt80, 64, a.sign, a.exp, a.sig, &f);
    if ((r.se & 0x7fff) != 0) {
        f &= ~(unsigned)SF_UE;
    } else if (exact && (c->masks & SF_UE)) {
        f |= SF_UE;              /* tiny counts as inexact here too */
    } else if (!(c->masks & SF_UE)) {
        f = SF_PE;
        r = sf_round_pack128(c, &sf_fmt80, 64, a.sign, a.exp, a.sig, &f);
        m.c1 = c->c1;
    }
    c->c1 = m.c1;
    *fl |= f;
    return r;
}

static fx80 xf_round(struct sf_ctx *c, struct xf a, unsigned *fl)
{
    return xf_round_x(c, a, false, fl);
}

/* ---- series --------------------------------------------------------------------- */

/* sin r and cos r for |r| <= pi/4 (plus a little). */
static void xf_sincos(struct xf r, struct xf *s, struct xf *co)
{
    struct xf r2 = xf_mul(r, r), t = r, sum = r;

    for (uint32_t n = 2; n < 80; n += 2) {
        t = xf_neg(xf_div_small(xf_mul(t, r2), n * (n + 1)));
        if (xf_negligible(&t, &sum)) {
            sum = xf_nudge(sum, &t);
            break;
        }
        sum = xf_add(sum, t);
    }
    *s = sum;
    t = XF_ONE;
    sum = XF_ONE;
    for (uint32_t n = 1; n < 80; n += 2) {
        t = xf_neg(xf_div_small(xf_mul(t, r2), n * (n + 1)));
        if (xf_negligible(&t, &sum)) {
            sum = xf_nudge(sum, &t);
            break;
        }
        sum = xf_add(sum, t);
    }
    *co = sum;
}

/* atan u for small |u|. */
static struct xf xf_atan_series(struct xf u)
{
    struct xf u2 = xf_mul(u, u), p = u, sum = u;

    for (uint32_t n = 3; n < 400; n += 2) {
        p = xf_neg(xf_mul(p, u2));
        struct xf t = xf_div_small(p, n);
        if (xf_negligible(&t, &sum)) {
            sum = xf_nudge(sum, &t);
            break;
        }
        sum = xf_add(sum, t);
    }
    return sum;
}

/* atan t for 0 <= t <= 1: atan(k/8) + atan((t - k/8) / (1 + t k/8)). */
static struct xf xf_atan01(struct xf t)
{
    struct xf t8 = xf_ldexp(t, 3);
    unsigned k = 0;

    if (!xf_zero(&t8) && t8.exp >= -1) {
        /* round(8t): t8 < 8.5 */
        u128 half = u128_make(0, 0);
        int32_t sh = 127 - t8.exp;
        half = u128_add(u128_shr(t8.sig, (unsigned)(sh - 1)), u128_make(0, 1));
        k = (unsigned)(half.lo >> 1);
        if (k > 8)
            k = 8;
    }
    if (!k)
        return xf_atan_series(t);
    struct xf c = xf_div_small(xf_int(k), 8);
    struct xf u = xf_div(xf_sub(t, c), xf_add(XF_ONE, xf_mul(t, c)));
    return xf_add(XF_ATAN[k - 1], xf_atan_series(u));
}

/* ln m for m near 1: 2 atanh(s), s = (m - 1) / (m + 1). */
static struct xf xf_atanh2(struct xf s)
{
    struct xf s2 = xf_mul(s, s), p = s, sum = s;

    for (uint32_t n = 3; n < 2000; n += 2) {
        p = xf_mul(p, s2);
        struct xf t = xf_div_small(p, n);
        if (xf_negligible(&t, &sum)) {
            sum = xf_nudge(sum, &t);
            break;
        }
        sum = xf_add(sum, t);
    }
    return xf_ldexp(sum, 1);
}

/* log2 x for x > 0; *exact when x is a power of two. */
static struct xf xf_log2(struct xf x, bool *exact)
{
    int32_t e = x.exp;
    struct xf m = x;

    *exact = x.sig.hi == 1ull << 63 && !x.sig.lo;

    m.exp = 0;
    if (!u128_lt(m.sig, XF_SQRT2.sig)) {
        m.exp = -1;
        e++;
    }
    struct xf s = xf_div(xf_sub(m, XF_ONE), xf_add(m, XF_ONE));
    return xf_add(xf_int(e), xf_mul(xf_atanh2(s), XF_LOG2E));
}

/* e^y - 1 for |y| <= 0.35 or so. */
static struct xf xf_expm1(struct xf y)
{
    struct xf t = y, sum = y;

    for (uint32_t n = 2; n < 200; n++) {
        t = xf_div_small(xf_mul(t, y), n);
        if (xf_negligible(&t, &sum)) {
            sum = xf_nudge(sum, &t);
            break;
        }
        sum = xf_add(sum, t);
    }
    return sum;
}

/* ---- argument reduction ------------------------------------------------------------ */

/* x - k pi/2 for 0 <= x < 2^63 with k = round(x 2/pi); *quad = k mod 4. */
static struct xf reduce_pio2(struct xf x, unsigned *quad)
{
    struct xf kf = xf_mul(x, XF_TWO_OVER_PI);
    uint64_t k = 0, f[5] = { 0 }, p[6] = { 0 };
    int sh;

    *quad = 0;
    if (xf_zero(&x) || x.exp < -1)
        return x;
    /* k = round(kf) */
    if (kf.exp >= -1) {
        u128 v = u128_shr(kf.sig, (unsigned)(126 - kf.exp));
        k = (v.lo + 1) >> 1;
    }
    *quad = (unsigned)(k & 3);
    /* x * 2^256 as a 320-bit integer: x.sig's top 64 bits hold all of x. */
    sh = x.exp + 193;                 /* 192..255 */
    f[sh / 64] = x.sig.hi << (sh % 64);
    if (sh % 64)
        f[sh / 64 + 1] = x.sig.hi >> (64 - sh % 64);
    /* p = k * PIO2_FIX */
    for (int w = 0; w < 5; w++) {
        u128 m = sf_mul64(k, PIO2_FIX[w]);
        u128 acc = u128_add(u128_make(0, p[w]), u128_make(0, m.lo));
        p[w] = acc.lo;
        p[w + 1] += m.hi + acc.hi;
    }
    /* d = f - p, as sign and magnitude */
    bool neg = false;
    for (int w = 4; w >= 0; w--) {
        if (f[w] != p[w]) {
            neg = f[w] < p[w];
            break;
        }
    }
    uint64_t d[5], borrow = 0;
    const uint64_t *hi = neg ? p : f, *lo = neg ? f : p;
    for (int w = 0; w < 5; w++) {
        uint64_t t = hi[w] - lo[w];
        uint64_t b2 = hi[w] < lo[w] || (t == 0 && borrow);
        d[w] = t - borrow;
        borrow = b2;
    }
    int top = 4;
    while (top > 0 && !d[top])
        top--;
    if (!d[top])
        return xf_norm(neg, 0, u128_make(0, 0));
    /* The 128 bits from the top word down, sticky below. */
    unsigned n = clz64(d[top]);
    u128 s = u128_make(d[top], top > 0 ? d[top - 1] : 0);
    uint64_t below = top > 1 ? d[top - 2] : 0;
    s = u128_shl(s, n);
    if (n)
        s.lo |= below >> (64 - n);
    s.lo |= (below << n) != 0 || (top > 2 && (d[top - 3] || (top > 3 && d[0])));
    /* value = s * 2^(64 top + 63 - n - 256 - 127) in xf terms */
    struct xf r = { neg, 64 * top + 63 - (int32_t)n - 256, s };
    return r;
}

/* ---- the instructions ---------------------------------------------------------------- */

static bool special1(struct sf_ctx *c, const struct sfu *a, fx80 *r,
                     unsigned *fl)
{
    (void)c;
    if (a->cls == SF_UNSUPPORTED) {
        *fl |= SF_IE;
        *r = fx80_default_nan();
        return true;
    }
    if (sfu_is_nan(a)) {
        *r = sf_nan1(&sf_fmt80, a, fl);
        return true;
    }
    if (a->cls == SF_DENORMAL)
        *fl |= SF_DE;
    return false;
}

static bool special2(const struct sfu *a, const struct sfu *b, fx80 *r,
                     unsigned *fl)
{
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

static fx80 invalid(unsigned *fl)
{
    *fl |= SF_IE;
    return fx80_default_nan();
}

static fx80 const_pi(struct sf_ctx *c, struct xf v, bool sign, unsigned *fl)
{
    v.sign = sign;
    return xf_round(c, v, fl);
}

/* The reduced argument of sin/cos/tan, or false when |a| >= 2^63. */
static bool trig_arg(const struct sfu *a, struct xf *r, unsigned *quad)
{
    if (a->exp >= 63)
        return false;
    struct xf x = xf_from_sfu(a);
    x.sign = false;
    *r = reduce_pio2(x, quad);
    return true;
}

bool fx80_sincos(struct sf_ctx *c, fx80 ra, fx80 *sin, fx80 *cos)
{
    struct sfu a = sf_unpack(&sf_fmt80, ra, false);
    unsigned fl = 0, quad;
    struct xf r, s, co, sv, cv;
    fx80 res = ra, one = fx80_make(0x3fff, 1ull << 63);

    c->c1 = false;
    if (special1(c, &a, &res, &fl))
        goto out;
    if (a.cls == SF_INF) {
        res = invalid(&fl);
        goto out;
    }
    if (a.cls == SF_ZERO || sf_stop(c, fl)) {
        if (cos)
            *cos = sf_stop(c, fl) ? ra : one;
        if (sin)
            *sin = ra;
        c->flags |= fl;
        return true;
    }
    if (!trig_arg(&a, &r, &quad))
        return false;
    xf_sincos(r, &s, &co);
    sv = (quad & 1) ? co : s;
    cv = (quad & 1) ? s : co;
    if (quad & 2)
        sv = xf_neg(sv);
    if ((quad + 1) & 2)
        cv = xf_neg(cv);
    if (a.sign)
        sv = xf_neg(sv);
    /* FSINCOS: the flags of both, C1 of the cosine (pushed last). */
    if (sin)
        *sin = xf_round(c, sv, &fl);
    if (cos)
        *cos = xf_round(c, cv, &fl);
    c->flags |= fl;
    return true;
out:
    if (sin)
        *sin = res;
    if (cos)
        *cos = res;
    c->flags |= fl;
    return true;
}

bool fx80_tan(struct sf_ctx *c, fx80 ra, fx80 *tan)
{
    struct sfu a = sf_unpack(&sf_fmt80, ra, false);
    unsigned fl = 0, quad;
    struct xf r, s, co, t;

    c->c1 = false;
    *tan = ra;
    if (special1(c, &a, tan, &fl))
        goto out;
    if (a.cls == SF_INF) {
        *tan = invalid(&fl);
        goto out;
    }
    if (a.cls == SF_ZERO || sf_stop(c, fl))
        goto out;
    if (!trig_arg(&a, &r, &quad))
        return false;
    xf_sincos(r, &s, &co);
    t = (quad & 1) ? xf_neg(xf_div(co, s)) : xf_div(s, co);
    if (a.sign)
        t = xf_neg(t);
    *tan = xf_round(c, t, &fl);
out:
    c->flags |= fl;
    return true;
}

fx80 fx80_atan2(struct sf_ctx *c, fx80 ry, fx80 rx)
{
    struct sfu y = sf_unpack(&sf_fmt80, ry, false);
    struct sfu x = sf_unpack(&sf_fmt80, rx, false);
    unsigned fl = 0;
    fx80 r = rx;
    struct xf v;

    c->c1 = false;
    if (special2(&x, &y, &r, &fl))
        goto out;
    fl |= denormal2(&x, &y);
    if (y.cls == SF_ZERO && x.cls != SF_INF) {
        bool left = x.sign;            /* x < 0 or x = -0 */
        r = left ? const_pi(c, xf_ldexp(XF_PIO2, 1), y.sign, &fl)
                 : sf_pack_zero(&sf_fmt80, y.sign);
        goto out;
    }
    if (y.cls == SF_INF || x.cls == SF_INF) {
        if (y.cls == SF_INF && x.cls == SF_INF)
            v = x.sign ? xf_mul(XF_PIO2, xf_div_small(xf_int(3), 2))
                       : xf_ldexp(XF_PIO2, -1);
        else if (y.cls == SF_INF)
            v = XF_PIO2;
        else if (x.sign)
            v = xf_ldexp(XF_PIO2, 1);
        else {
            r = sf_pack_zero(&sf_fmt80, y.sign);
            goto out;
        }
        r = const_pi(c, v, y.sign, &fl);
        goto out;
    }
    if (sf_stop(c, fl))
        goto out;
    if (x.cls == SF_ZERO) {
        r = const_pi(c, XF_PIO2, y.sign, &fl);
        goto out;
    }
    {
        struct xf ax = xf_from_sfu(&x), ay = xf_from_sfu(&y);
        bool swap;
        ax.sign = ay.sign = false;
        swap = ay.exp > ax.exp || (ay.exp == ax.exp && u128_lt(ax.sig, ay.sig));
        v = xf_atan01(swap ? xf_div(ax, ay) : xf_div(ay, ax));
        if (swap)
            v = xf_sub(XF_PIO2, v);
        if (x.sign)
            v = xf_sub(xf_ldexp(XF_PIO2, 1), v);
        v.sign = y.sign;
        r = xf_round(c, v, &fl);
    }
out:
    c->flags |= fl;
    return r;
}

fx80 fx80_2xm1(struct sf_ctx *c, fx80 ra)
{
    struct sfu a = sf_unpack(&sf_fmt80, ra, false);
    unsigned fl = 0;
    fx80 r = ra;

    c->c1 = false;
    if (special1(c, &a, &r, &fl))
        goto out;
    if (a.cls == SF_INF) {
        if (a.sign)
            r = fx80_make(0xbfff, 1ull << 63);
        goto out;
    }
    if (a.cls == SF_ZERO || sf_stop(c, fl))
        goto out;
    if (a.exp >= 0 && !(a.exp == 0 && a.sig == 1ull << 63)) {
        fl |= SF_PE;                     /* |x| > 1: x itself */
        goto out;
    }
    {
        struct xf x = xf_from_sfu(&a), f = x, v;
        int64_t n = 0;
        if (a.exp >= 0) {
            n = a.sign ? -1 : 1;         /* x = +-1 */
            f = xf_sub(x, xf_int(n));
        }
        v = xf_expm1(xf_mul(f, XF_LN2));
        if (n)
            v = xf_sub(xf_ldexp(xf_add(v, XF_ONE), (int32_t)n), XF_ONE);
        r = xf_round(c, v, &fl);
    }
out:
    c->flags |= fl;
    return r;
}

/* y * log2(x) with the special cases FYL2X documents. */
fx80 fx80_yl2x(struct sf_ctx *c, fx80 rx, fx80 ry)
{
    struct sfu x = sf_unpack(&sf_fmt80, rx, false);
    struct sfu y = sf_unpack(&sf_fmt80, ry, false);
    unsigned fl = 0;
    fx80 r = rx;

    c->c1 = false;
    if (special2(&x, &y, &r, &fl))
        goto out;
    if (x.sign && x.cls != SF_ZERO) {
        r = invalid(&fl);
        goto out;
    }
    if (x.cls == SF_ZERO) {
        if (y.cls == SF_ZERO) {
            r = invalid(&fl);
        } else {
            if (y.cls != SF_INF)
                fl |= SF_ZE;
            r = sf_pack_inf(&sf_fmt80, !y.sign);
        }
        goto out;
    }
    fl |= denormal2(&x, &y);
    if (x.cls == SF_INF) {
        r = y.cls == SF_ZERO ? invalid(&fl) : sf_pack_inf(&sf_fmt80, y.sign);
        goto out;
    }
    if (sf_stop(c, fl))
        goto out;
    {
        bool one = x.exp == 0 && x.sig == 1ull << 63;
        bool below = x.exp < 0;            /* log2 x < 0 */
        if (y.cls == SF_INF) {
            r = one ? invalid(&fl) : sf_pack_inf(&sf_fmt80, y.sign ^ below);
            goto out;
        }
        if (y.cls == SF_ZERO || one) {
            r = sf_pack_zero(&sf_fmt80, y.sign ^ below);
            goto out;
        }
        bool exact;
        struct xf l = xf_log2(xf_from_sfu(&x), &exact);
        r = xf_round_x(c, xf_mul(l, xf_from_sfu(&y)), exact, &fl);
    }
out:
    c->flags |= fl;
    return r;
}

fx80 fx80_yl2xp1(struct sf_ctx *c, fx80 rx, fx80 ry)
{
    struct sfu x = sf_unpack(&sf_fmt80, rx, false);
    struct sfu y = sf_unpack(&sf_fmt80, ry, false);
    unsigned fl = 0;
    fx80 r = rx;

    c->c1 = false;
    if (special2(&x, &y, &r, &fl))
        goto out;
    if (x.sign && x.cls == SF_INF) {
        r = invalid(&fl);
        goto out;
    }
    fl |= denormal2(&x, &y);
    if (x.cls == SF_INF) {
        r = y.cls == SF_ZERO ? invalid(&fl) : sf_pack_inf(&sf_fmt80, y.sign);
        goto out;
    }
    if (x.cls == SF_ZERO) {
        r = y.cls == SF_INF ? invalid(&fl)
                            : sf_pack_zero(&sf_fmt80, x.sign ^ y.sign);
        goto out;
    }
    if (y.cls == SF_INF) {
        r = sf_pack_inf(&sf_fmt80, x.sign ^ y.sign);
        goto out;
    }
    if (sf_stop(c, fl))
        goto out;
    if (y.cls == SF_ZERO) {
        r = sf_pack_zero(&sf_fmt80, x.sign ^ y.sign);
        goto out;
    }
    if (x.sign && x.exp >= 0) {
        fl |= SF_PE;                     /* x <= -1: x itself */
        goto out;
    }
    {
        struct xf xv = xf_from_sfu(&x), l;
        bool exact = false;
        if (x.exp >= -2) {
            l = xf_log2(xf_add(XF_ONE, xv), &exact);
        } else {
            struct xf s = xf_div(xv, xf_add(xf_int(2), xv));
            l = xf_mul(xf_atanh2(s), XF_LOG2E);
        }
        r = xf_round_x(c, xf_mul(l, xf_from_sfu(&y)), exact, &fl);
    }
out:
    c->flags |= fl;
    return r;
}
