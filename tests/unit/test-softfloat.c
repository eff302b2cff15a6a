/*
 * cpu/softfloat: the x87/SSE rules spelled out case by case, the portable
 * 128-bit helpers against the native ones, and the vectors the host's x87
 * and SSE units produced (softfloat-vectors.inc, from tests/fpvec/gen.c),
 * which every host, big-endian s390x included, must reproduce bit for bit.
 */
#include <stdio.h>
#include "unit.h"
#include "xenemu/common.h"
#include "cpu/softfloat-priv.h"
#include "fpvec.h"

static const struct fpvec vectors[] = {
#include "softfloat-vectors.inc"
};

static void test_vectors(void)
{
    unsigned failed = 0, per_op[V_NOPS] = { 0 };
    char why[512];

    for (size_t k = 0; k < ARRAY_SIZE(vectors); k++) {
        per_op[vectors[k].op]++;
        if (!fpvec_check(&vectors[k], why, sizeof(why))) {
            if (failed++ < 10)
                fprintf(stderr, "vector %zu: %s\n", k, why);
        }
    }
    CU_ASSERT_EQUAL(failed, 0);
    /* Every operation has vectors. */
    for (unsigned op = 0; op < V_NOPS; op++)
        CU_ASSERT(per_op[op] >= 100);
}

static uint64_t lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005ull + 1442695040888963407ull;
    return *s ^ (*s >> 29);
}

/* The portable 64x64 multiply and 128/64 divide against exact checks. */
static void test_wide_helpers(void)
{
    uint64_t s = 42;

    for (int k = 0; k < 20000; k++) {
        uint64_t a = lcg(&s) >> (k % 64), b = lcg(&s) | 1, rem, q;
        u128 p = sf_mul64_portable(a, b);
#ifdef __SIZEOF_INT128__
        unsigned __int128 n = (unsigned __int128)a * b;
        CU_ASSERT(p.hi == (uint64_t)(n >> 64) && p.lo == (uint64_t)n);
#endif
        /* divide the product back: a * b / b = a, remainder 0 */
        if (p.hi < b) {
            q = sf_div128_portable(p, b, &rem);
            CU_ASSERT(q == a && rem == 0);
        }
        /* (b - 1):x / b has a 64-bit quotient and a remainder below b */
        u128 n2 = u128_make(b - 1, lcg(&s));
        q = sf_div128_portable(n2, b, &rem);
        CU_ASSERT(rem < b);
        u128 back = u128_add(sf_mul64_portable(q, b), u128_make(0, rem));
        CU_ASSERT(back.hi == n2.hi && back.lo == n2.lo);
    }
}

static const fx80 ONE = { 1ull << 63, 0x3fff };

/* x86 detects tininess after rounding. */
static void test_tininess_after_rounding(void)
{
    struct sf_ctx c = sf_ctx_sse(0x1f80);

    /* (1 - 2^-23) * (1 + 2^-23) 2^-126 rounds up to 2^-126: not tiny */
    CU_ASSERT_EQUAL(f32_mul(&c, 0x3f7ffffe, 0x00800001), 0x00800000);
    CU_ASSERT_EQUAL(c.flags, SF_PE);
    /* a result that stays below 2^-126 is */
    c.flags = 0;
    CU_ASSERT_EQUAL(f32_mul(&c, 0x3f000001, 0x00800001), 0x00400001);
    CU_ASSERT_EQUAL(c.flags, SF_UE | SF_PE);
    /* FTZ flushes it, DAZ reads a denormal as zero */
    c = sf_ctx_sse(0x9f80);
    CU_ASSERT_EQUAL(f32_mul(&c, 0x3f000001, 0x00800001), 0);
    CU_ASSERT_EQUAL(c.flags, SF_UE | SF_PE);
    c = sf_ctx_sse(0x1fc0);
    CU_ASSERT_EQUAL(f32_add(&c, 0x00000001, 0x80000000), 0);
    CU_ASSERT_EQUAL(c.flags, 0);
}

static void test_nan_rules(void)
{
    struct sf_ctx c = sf_ctx_sse(0x1f80);
    fx80 q1 = { 0xc000000000000001ull, 0x7fff }, q2 = { 0xc000000000000002ull, 0xffff };
    fx80 s1 = { 0x8000000000000003ull, 0x7fff }, r;

    /* SSE: the first operand's NaN, quietened */
    CU_ASSERT_EQUAL(f32_add(&c, 0x7f800001, 0x7fc00002), 0x7fc00001);
    CU_ASSERT_EQUAL(c.flags, SF_IE);
    c.flags = 0;
    CU_ASSERT_EQUAL(f64_mul(&c, 0x3ff0000000000000ull, 0xfff0000000000005ull),
                    0xfff8000000000005ull);
    /* invalid without NaN operands: the default NaN */
    CU_ASSERT_EQUAL(f32_sub(&c, 0x7f800000, 0x7f800000), F32_DEFAULT_NAN);
    /* x87: the larger significand; a QNaN before an SNaN */
    c = sf_ctx_x87(0x037f);
    r = fx80_add(&c, q1, q2);
    CU_ASSERT(r.se == q2.se && r.mant == q2.mant);
    r = fx80_add(&c, s1, q1);
    CU_ASSERT(r.se == q1.se && r.mant == q1.mant);
    CU_ASSERT_EQUAL(c.flags, SF_IE);
    /* unsupported encodings (unnormal) are invalid */
    c.flags = 0;
    r = fx80_mul(&c, ONE, fx80_make(0x3fff, 1ull << 62));
    CU_ASSERT(r.se == 0xffff && r.mant == 0xc000000000000000ull);
    CU_ASSERT_EQUAL(c.flags, SF_IE);
}

static void test_x87_precision_and_wrap(void)
{
    struct sf_ctx c = sf_ctx_x87(0x007f);            /* PC = 24 bits */
    fx80 third, big = { 1ull << 63, 0x7ffe }, r;

    third = fx80_div(&c, ONE, fx80_make(0x4000, 0xc000000000000000ull));
    CU_ASSERT_EQUAL(third.mant, 0xaaaaab0000000000ull);
    CU_ASSERT_EQUAL(third.se, 0x3ffd);
    CU_ASSERT(c.c1);                                 /* rounded up */
    /* unmasked overflow: the exponent wrapped by 24576 */
    c = sf_ctx_x87(0x0377);
    r = fx80_mul(&c, big, big);
    CU_ASSERT_EQUAL(r.se, 0x5ffd);            /* 2^32766 / 2^24576 */
    CU_ASSERT_EQUAL(c.flags, SF_OE);
    /* masked: infinity, OE and PE */
    c = sf_ctx_x87(0x037f);
    r = fx80_mul(&c, big, big);
    CU_ASSERT(r.se == 0x7fff && r.mant == 1ull << 63);
    CU_ASSERT_EQUAL(c.flags, SF_OE | SF_PE);
}

static void test_integer_conversions(void)
{
    struct sf_ctx c = sf_ctx_sse(0x1f80);

    CU_ASSERT_EQUAL(f32_to_int(&c, 0x4f000000, 32, false), INT32_MIN);
    CU_ASSERT_EQUAL(c.flags, SF_IE);                 /* 2^31 is out of range */
    c.flags = 0;
    CU_ASSERT_EQUAL(f64_to_int(&c, 0xc1e0000000000000ull, 32, false),
                    INT32_MIN);                      /* -2^31 fits */
    CU_ASSERT_EQUAL(c.flags, 0);
    CU_ASSERT_EQUAL(f64_to_int(&c, 0x3ff8000000000000ull, 32, false), 2);
    CU_ASSERT_EQUAL(f64_to_int(&c, 0x3ff8000000000000ull, 32, true), 1);
    CU_ASSERT_EQUAL(c.flags, SF_PE);
    c = sf_ctx_x87(0x037f);
    CU_ASSERT_EQUAL(fx80_to_int(&c, fx80_make(0x400e, 0xffff000000000000ull),
                                16, false), INT16_MIN);
    CU_ASSERT_EQUAL(c.flags, SF_IE);
}

static void test_fprem(void)
{
    struct sf_ctx c = sf_ctx_x87(0x037f);
    fx80 seven = { 0xe000000000000000ull, 0x4001 };
    fx80 two = { 1ull << 63, 0x4000 };
    uint16_t cc;
    fx80 r;

    r = fx80_rem(&c, seven, two, false, &cc);        /* 7 = 3 * 2 + 1 */
    CU_ASSERT(r.se == 0x3fff && r.mant == 1ull << 63);
    CU_ASSERT_EQUAL(cc, 0x0200 | 0x4000);             /* Q0 -> C1, Q1 -> C3 */
    r = fx80_rem(&c, seven, two, true, &cc);         /* 7 = 4 * 2 - 1 */
    CU_ASSERT(r.se == 0xbfff && r.mant == 1ull << 63);
    CU_ASSERT_EQUAL(cc, 0x0100);                      /* Q2 -> C0 */
}

UNIT_SUITE(softfloat)
{
    CU_pSuite s = CU_add_suite("softfloat", NULL, NULL);
    UNIT_TEST(s, test_vectors);
    UNIT_TEST(s, test_wide_helpers);
    UNIT_TEST(s, test_tininess_after_rounding);
    UNIT_TEST(s, test_nan_rules);
    UNIT_TEST(s, test_x87_precision_and_wrap);
    UNIT_TEST(s, test_integer_conversions);
    UNIT_TEST(s, test_fprem);
}
