/*
 * Software floating point: conversions between the formats and to and from
 * integers, rounding to an integral value, comparisons and SSE's MIN/MAX.
 */
#include "cpu/softfloat-priv.h"

/* Format to format.  de: a denormal source raises DE (loads and SSE
 * conversions do, x87 stores do not). */
static fx80 convert(struct sf_ctx *c, const struct sf_fmt *from,
                    const struct sf_fmt *to, fx80 v, bool de)
{
    struct sfu a = sf_unpack(from, v, c->daz);
    unsigned fl = 0;
    fx80 r = sf_pack_zero(to, a.sign);

    c->c1 = false;
    switch (a.cls) {
    case SF_UNSUPPORTED:
        fl |= SF_IE;
        r = sf_pack_default_nan(to);
        break;
    case SF_QNAN:
    case SF_SNAN:
        r = sf_nan1(to, &a, &fl);
        break;
    case SF_INF:
        r = sf_pack_inf(to, a.sign);
        break;
    case SF_ZERO:
        break;
    default:
        /* An unmasked DE stops an SSE conversion, not an x87 load. */
        if (a.cls == SF_DENORMAL && de)
            fl |= SF_DE;
        if (!c->x87 && sf_stop(c, fl))
            break;
        r = sf_round_pack(c, to, to->prec, a.sign, a.exp, a.sig, 0, &fl);
        break;
    }
    c->flags |= fl;
    return r;
}

fx80 f32_to_fx80(struct sf_ctx *c, f32 a)
{
    return convert(c, &sf_fmt32, &sf_fmt80, raw(a), true);
}

fx80 f64_to_fx80(struct sf_ctx *c, f64 a)
{
    return convert(c, &sf_fmt64, &sf_fmt80, raw(a), true);
}

f32 fx80_to_f32(struct sf_ctx *c, fx80 a)
{
    return (f32)convert(c, &sf_fmt80, &sf_fmt32, a, false).mant;
}

f64 fx80_to_f64(struct sf_ctx *c, fx80 a)
{
    return convert(c, &sf_fmt80, &sf_fmt64, a, false).mant;
}

f64 f32_to_f64(struct sf_ctx *c, f32 a)
{
    return convert(c, &sf_fmt32, &sf_fmt64, raw(a), true).mant;
}

f32 f64_to_f32(struct sf_ctx *c, f64 a)
{
    return (f32)convert(c, &sf_fmt64, &sf_fmt32, raw(a), true).mant;
}

/* ---- integers ---------------------------------------------------------------- */

static uint64_t magnitude(int64_t v)
{
    return v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
}

fx80 i64_to_fx80(int64_t v)
{
    uint64_t m = magnitude(v);
    unsigned n = clz64(m);

    if (!m)
        return fx80_make(0, 0);
    return fx80_make((uint16_t)((v < 0) << 15 | (16383 + 63 - n)), m << n);
}

static fx80 from_int(struct sf_ctx *c, const struct sf_fmt *f, int64_t v)
{
    uint64_t m = magnitude(v);
    unsigned n = clz64(m), fl = 0;
    fx80 r;

    c->c1 = false;
    if (!m)
        return sf_pack_zero(f, false);
    r = sf_round_pack(c, f, f->prec, v < 0, 63 - (int32_t)n, m << n, 0, &fl);
    c->flags |= fl;
    return r;
}

f32 i64_to_f32(struct sf_ctx *c, int64_t v)
{
    return (f32)from_int(c, &sf_fmt32, v).mant;
}

f64 i64_to_f64(struct sf_ctx *c, int64_t v)
{
    return from_int(c, &sf_fmt64, v).mant;
}

/*
 * A finite value's integer part rounded in mode round: returns the
 * magnitude, false in *ok when it does not fit 64 bits.  *inexact and
 * *inc say whether bits were lost and whether it was rounded up.
 */
static uint64_t integer_part(const struct sfu *a, unsigned round,
                             bool *inexact, bool *inc, bool *ok)
{
    u128 fix;           /* 64.64 fixed point */

    *ok = true;
    *inexact = *inc = false;
    if (a->cls == SF_ZERO)
        return 0;
    if (a->exp > 63) {
        *ok = false;
        return 0;
    }
    fix = u128_shr_jam(u128_make(a->sig, 0),
                       a->exp < -64 ? 127 : (unsigned)(63 - a->exp));
    *inexact = fix.lo != 0;
    *inc = round_up_rem(round, a->sign, fix.lo, fix.hi & 1);
    if (*inc && ++fix.hi == 0)
        *ok = false;
    return fix.hi;
}

static int64_t to_int(struct sf_ctx *c, const struct sf_fmt *f, fx80 v,
                      unsigned bits, bool trunc)
{
    struct sfu a = sf_unpack(f, v, c->daz);
    uint64_t lim = 1ull << (bits - 1), m;
    bool inexact, inc, ok;
    int64_t indefinite = -(int64_t)(lim - 1) - 1;

    c->c1 = false;
    if (a.cls == SF_UNSUPPORTED || sfu_is_nan(&a) || a.cls == SF_INF) {
        c->flags |= SF_IE;
        return indefinite;
    }
    m = integer_part(&a, trunc ? SF_RZ : c->round, &inexact, &inc, &ok);
    if (!ok || m > lim - !a.sign) {
        c->flags |= SF_IE;
        return indefinite;
    }
    if (inexact)
        c->flags |= SF_PE;
    c->c1 = inc;
    return a.sign ? (int64_t)(0 - m) : (int64_t)m;
}

int64_t fx80_to_int(struct sf_ctx *c, fx80 a, unsigned bits, bool trunc)
{
    return to_int(c, &sf_fmt80, a, bits, trunc);
}

int64_t f32_to_int(struct sf_ctx *c, f32 a, unsigned bits, bool trunc)
{
    return to_int(c, &sf_fmt32, raw(a), bits, trunc);
}

int64_t f64_to_int(struct sf_ctx *c, f64 a, unsigned bits, bool trunc)
{
    return to_int(c, &sf_fmt64, raw(a), bits, trunc);
}

/* ---- round to integral value ----------------------------------------------- */

static fx80 round_int(struct sf_ctx *c, const struct sf_fmt *f, fx80 v,
                      unsigned round, bool report_pe)
{
    struct sfu a = sf_unpack(f, v, c->daz);
    unsigned fl = 0;
    fx80 r = v;
    bool inexact, inc, ok;
    uint64_t m;

    c->c1 = false;
    switch (a.cls) {
    case SF_UNSUPPORTED:
        fl |= SF_IE;
        r = sf_pack_default_nan(f);
        goto out;
    case SF_QNAN:
    case SF_SNAN:
        r = sf_nan1(f, &a, &fl);
        goto out;
    case SF_INF:
        goto out;
    case SF_ZERO:
        r = sf_pack_zero(f, a.sign);
        goto out;
    case SF_DENORMAL:
        if (f->x80)
            fl |= SF_DE;
        break;
    }
    if (sf_stop(c, fl) || a.exp >= 63)
        goto out;
    m = integer_part(&a, round, &inexact, &inc, &ok);
    if (inexact && report_pe)
        fl |= SF_PE;
    c->c1 = inc;
    if (!m) {
        r = sf_pack_zero(f, a.sign);
    } else {
        unsigned n = clz64(m);
        struct sf_ctx exact = *c;
        r = sf_round_pack(&exact, f, f->prec, a.sign, 63 - (int32_t)n,
                          m << n, 0, &fl);
    }
out:
    c->flags |= fl;
    return r;
}

fx80 fx80_round_int(struct sf_ctx *c, fx80 a, unsigned round, bool report_pe)
{
    return round_int(c, &sf_fmt80, a, round, report_pe);
}

f32 f32_round_int(struct sf_ctx *c, f32 a, unsigned round, bool report_pe)
{
    return (f32)round_int(c, &sf_fmt32, raw(a), round, report_pe).mant;
}

f64 f64_round_int(struct sf_ctx *c, f64 a, unsigned round, bool report_pe)
{
    return round_int(c, &sf_fmt64, raw(a), round, report_pe).mant;
}

/* ---- comparisons --------------------------------------------------------------- */

/* Magnitude order of two ordered operands: -1, 0, 1. */
static int mag_cmp(const struct sfu *a, const struct sfu *b)
{
    int ka = a->cls == SF_ZERO ? 0 : a->cls == SF_INF ? 2 : 1;
    int kb = b->cls == SF_ZERO ? 0 : b->cls == SF_INF ? 2 : 1;

    if (ka != kb)
        return ka < kb ? -1 : 1;
    if (ka != 1)
        return 0;
    if (a->exp != b->exp)
        return a->exp < b->exp ? -1 : 1;
    return a->sig < b->sig ? -1 : a->sig > b->sig;
}

static enum sf_rel compare(struct sf_ctx *c, const struct sf_fmt *f,
                           fx80 ra, fx80 rb, bool signaling)
{
    struct sfu a = sf_unpack(f, ra, c->daz), b = sf_unpack(f, rb, c->daz);
    int m;

    if (a.cls == SF_UNSUPPORTED || b.cls == SF_UNSUPPORTED) {
        c->flags |= SF_IE;
        return SF_UN;
    }
    if (sfu_is_nan(&a) || sfu_is_nan(&b)) {
        if (signaling || a.cls == SF_SNAN || b.cls == SF_SNAN)
            c->flags |= SF_IE;
        return SF_UN;
    }
    if (a.cls == SF_DENORMAL || b.cls == SF_DENORMAL || c->denormal_src)
        c->flags |= SF_DE;
    if (a.cls == SF_ZERO && b.cls == SF_ZERO)
        return SF_EQ;
    if (a.sign != b.sign)
        return a.sign ? SF_LT : SF_GT;
    m = mag_cmp(&a, &b);
    if (a.sign)
        m = -m;
    return m < 0 ? SF_LT : m > 0 ? SF_GT : SF_EQ;
}

enum sf_rel fx80_compare(struct sf_ctx *c, fx80 a, fx80 b, bool signaling)
{
    return compare(c, &sf_fmt80, a, b, signaling);
}

enum sf_rel f32_compare(struct sf_ctx *c, f32 a, f32 b, bool signaling)
{
    return compare(c, &sf_fmt32, raw(a), raw(b), signaling);
}

enum sf_rel f64_compare(struct sf_ctx *c, f64 a, f64 b, bool signaling)
{
    return compare(c, &sf_fmt64, raw(a), raw(b), signaling);
}

/* CMPPS..CMPSD's predicates (imm8[2:0]): the relations (bit per enum
 * sf_rel) that make each true, and whether it signals on QNaNs. */
static const struct { uint8_t rels; bool signaling; } predicates[8] = {
    { 1u << SF_EQ, false },                              /* EQ */
    { 1u << SF_LT, true },                               /* LT */
    { 1u << SF_LT | 1u << SF_EQ, true },                 /* LE */
    { 1u << SF_UN, false },                              /* UNORD */
    { 1u << SF_LT | 1u << SF_GT | 1u << SF_UN, false },  /* NEQ */
    { 1u << SF_EQ | 1u << SF_GT | 1u << SF_UN, true },   /* NLT */
    { 1u << SF_GT | 1u << SF_UN, true },                 /* NLE */
    { 1u << SF_LT | 1u << SF_EQ | 1u << SF_GT, false },  /* ORD */
};

bool f32_predicate(struct sf_ctx *c, f32 a, f32 b, unsigned pred)
{
    pred &= 7;
    return predicates[pred].rels >>
           f32_compare(c, a, b, predicates[pred].signaling) & 1;
}

bool f64_predicate(struct sf_ctx *c, f64 a, f64 b, unsigned pred)
{
    pred &= 7;
    return predicates[pred].rels >>
           f64_compare(c, a, b, predicates[pred].signaling) & 1;
}

/* The operand MIN/MAX deliver: with DAZ a denormal comes out as zero. */
static uint64_t daz_value(const struct sf_ctx *c, const struct sf_fmt *f,
                          uint64_t v)
{
    uint64_t expmask = ((1ull << f->ebits) - 1) << f->fbits;

    if (c->daz && !(v & expmask))
        return v & ~((1ull << f->fbits) - 1);
    return v;
}

static uint64_t minmax(struct sf_ctx *c, const struct sf_fmt *f, uint64_t a,
                       uint64_t b, enum sf_rel want)
{
    return daz_value(c, f, compare(c, f, raw(a), raw(b), true) == want ? a : b);
}

f32 f32_min(struct sf_ctx *c, f32 a, f32 b)
{
    return (f32)minmax(c, &sf_fmt32, a, b, SF_LT);
}

f32 f32_max(struct sf_ctx *c, f32 a, f32 b)
{
    return (f32)minmax(c, &sf_fmt32, a, b, SF_GT);
}

f64 f64_min(struct sf_ctx *c, f64 a, f64 b)
{
    return minmax(c, &sf_fmt64, a, b, SF_LT);
}

f64 f64_max(struct sf_ctx *c, f64 a, f64 b)
{
    return minmax(c, &sf_fmt64, a, b, SF_GT);
}
