/*
 * SSE floating-point arithmetic: ADD, SUB, MUL, DIV, MIN, MAX, SQRT in
 * their PS/PD/SS/SD forms, RCP and RSQRT (PS/SS), SSE3's ADDSUB, HADD and
 * HSUB, SSE4.1's DPPS/DPPD.  Every lane goes through cpu/softfloat with
 * MXCSR's context; nothing is written when an unmasked exception is
 * raised (sse-fp.h).
 */
#include "cpu/sse-fp.h"

#define BIN(name, fn32, fn64)                                               \
    static uint64_t name##32(struct sf_ctx *x, uint64_t a, uint64_t b)     \
    {                                                                       \
        return fn32(x, (f32)a, (f32)b);                                     \
    }                                                                       \
    static uint64_t name##64(struct sf_ctx *x, uint64_t a, uint64_t b)     \
    {                                                                       \
        return fn64(x, a, b);                                               \
    }

BIN(add, f32_add, f64_add)
BIN(sub, f32_sub, f64_sub)
BIN(mul, f32_mul, f64_mul)
BIN(div, f32_div, f64_div)
BIN(min, f32_min, f64_min)
BIN(max, f32_max, f64_max)

static uint64_t sqrt32(struct sf_ctx *x, uint64_t a, uint64_t b)
{
    (void)a;
    return f32_sqrt(x, (f32)b);
}

static uint64_t sqrt64(struct sf_ctx *x, uint64_t a, uint64_t b)
{
    (void)a;
    return f64_sqrt(x, b);
}

static uint64_t rcp32(struct sf_ctx *x, uint64_t a, uint64_t b)
{
    (void)x;
    (void)a;
    return sse_rcp((f32)b);
}

static uint64_t rsqrt32(struct sf_ctx *x, uint64_t a, uint64_t b)
{
    (void)x;
    (void)a;
    return sse_rsqrt((f32)b);
}

/* The four shapes of one operation: packed single/double, scalar
 * single/double (lane 0; the rest of the destination kept). */
#define SHAPES(name)                                                        \
    static void name##ps(struct cpu *c, struct xmmreg *d,                  \
                         const struct xmmreg *s, unsigned nq, unsigned imm) \
    {                                                                       \
        (void)nq; (void)imm;                                                \
        sse_fp_lanes(c, d, s, 32, 4, name##32);                             \
    }                                                                       \
    static void name##pd(struct cpu *c, struct xmmreg *d,                  \
                         const struct xmmreg *s, unsigned nq, unsigned imm) \
    {                                                                       \
        (void)nq; (void)imm;                                                \
        sse_fp_lanes(c, d, s, 64, 2, name##64);                             \
    }                                                                       \
    static void name##ss(struct cpu *c, struct xmmreg *d,                  \
                         const struct xmmreg *s, unsigned nq, unsigned imm) \
    {                                                                       \
        (void)nq; (void)imm;                                                \
        sse_fp_lanes(c, d, s, 32, 1, name##32);                             \
    }                                                                       \
    static void name##sd(struct cpu *c, struct xmmreg *d,                  \
                         const struct xmmreg *s, unsigned nq, unsigned imm) \
    {                                                                       \
        (void)nq; (void)imm;                                                \
        sse_fp_lanes(c, d, s, 64, 1, name##64);                             \
    }

SHAPES(add)
SHAPES(sub)
SHAPES(mul)
SHAPES(div)
SHAPES(min)
SHAPES(max)
SHAPES(sqrt)

static void rcpps(struct cpu *c, struct xmmreg *d, const struct xmmreg *s,
                  unsigned nq, unsigned imm)
{
    (void)nq; (void)imm;
    sse_fp_lanes(c, d, s, 32, 4, rcp32);
}

static void rcpss(struct cpu *c, struct xmmreg *d, const struct xmmreg *s,
                  unsigned nq, unsigned imm)
{
    (void)nq; (void)imm;
    sse_fp_lanes(c, d, s, 32, 1, rcp32);
}

static void rsqrtps(struct cpu *c, struct xmmreg *d, const struct xmmreg *s,
                    unsigned nq, unsigned imm)
{
    (void)nq; (void)imm;
    sse_fp_lanes(c, d, s, 32, 4, rsqrt32);
}

static void rsqrtss(struct cpu *c, struct xmmreg *d, const struct xmmreg *s,
                    unsigned nq, unsigned imm)
{
    (void)nq; (void)imm;
    sse_fp_lanes(c, d, s, 32, 1, rsqrt32);
}

/* ADDSUB: even lanes subtract, odd lanes add. */
static void addsub(struct cpu *c, struct xmmreg *d, const struct xmmreg *s,
                   unsigned bits)
{
    struct sf_ctx x = sse_ctx(c);
    struct xmmreg r = *d;

    for (unsigned k = 0; k < 128 / bits; k++) {
        uint64_t a = lane(d, bits, k), b = lane(s, bits, k);
        lane_set(&r, bits, k, (k & 1 ? (bits == 32 ? add32 : add64)
                                     : (bits == 32 ? sub32 : sub64))(&x, a, b));
    }
    sse_fp_commit(c, &x);
    *d = r;
}

/* HADD/HSUB: adjacent pairs of the destination, then of the source. */
static void horizontal(struct cpu *c, struct xmmreg *d,
                       const struct xmmreg *s, unsigned bits, fp_fn fn)
{
    struct sf_ctx x = sse_ctx(c);
    struct xmmreg r = { { 0, 0 } };
    unsigned n = 128 / bits, half = n / 2;

    for (unsigned k = 0; k < n; k++) {
        const struct xmmreg *v = k < half ? d : s;
        unsigned j = 2 * (k % half);
        lane_set(&r, bits, k, fn(&x, lane(v, bits, j), lane(v, bits, j + 1)));
    }
    sse_fp_commit(c, &x);
    *d = r;
}

#define PAIRWISE(name, body)                                                \
    static void name(struct cpu *c, struct xmmreg *d,                      \
                     const struct xmmreg *s, unsigned nq, unsigned imm)    \
    {                                                                       \
        (void)nq; (void)imm;                                                \
        body;                                                               \
    }

PAIRWISE(addsubps, addsub(c, d, s, 32))
PAIRWISE(addsubpd, addsub(c, d, s, 64))
PAIRWISE(haddps, horizontal(c, d, s, 32, add32))
PAIRWISE(haddpd, horizontal(c, d, s, 64, add64))
PAIRWISE(hsubps, horizontal(c, d, s, 32, sub32))
PAIRWISE(hsubpd, horizontal(c, d, s, 64, sub64))

/* DPPS/DPPD: the products imm[7:4] selects (+0 for the others), summed
 * pairwise ((p0 + p1) + (p2 + p3)), each step rounded; the sum goes to
 * the lanes imm[3:0] selects, +0 to the others.  Each stage reports its
 * flags (and delivers an unmasked exception) before the next runs. */
static void dot(struct cpu *c, struct xmmreg *d, const struct xmmreg *s,
                unsigned bits, unsigned imm)
{
    struct sf_ctx x = sse_ctx(c);
    struct xmmreg r = { { 0, 0 } };
    unsigned n = 128 / bits;
    fp_fn mul = bits == 32 ? mul32 : mul64, add = bits == 32 ? add32 : add64;
    uint64_t p[4] = { 0, 0, 0, 0 }, sum;

    for (unsigned k = 0; k < n; k++)
        if (imm >> (4 + k) & 1)
            p[k] = mul(&x, lane(d, bits, k), lane(s, bits, k));
    sse_fp_commit(c, &x);
    sum = add(&x, p[0], p[1]);
    if (n == 4) {
        uint64_t hi = add(&x, p[2], p[3]);
        sse_fp_commit(c, &x);
        sum = add(&x, sum, hi);
    }
    for (unsigned k = 0; k < n; k++)
        if (imm >> k & 1)
            lane_set(&r, bits, k, sum);
    sse_fp_commit(c, &x);
    *d = r;
}

PAIRWISE(dpps, dot(c, d, s, 32, imm))
PAIRWISE(dppd, dot(c, d, s, 64, imm))

enum {
    ADDPS, ADDPD, ADDSS, ADDSD, SUBPS, SUBPD, SUBSS, SUBSD,
    MULPS, MULPD, MULSS, MULSD, DIVPS, DIVPD, DIVSS, DIVSD,
    MINPS, MINPD, MINSS, MINSD, MAXPS, MAXPD, MAXSS, MAXSD,
    SQRTPS, SQRTPD, SQRTSS, SQRTSD, RCPPS, RCPSS, RSQRTPS, RSQRTSS,
    ADDSUBPS, ADDSUBPD, HADDPS, HADDPD, HSUBPS, HSUBPD, DPPS, DPPD,
};

#define SS(fn) { fn, 0, 4, false }
#define SD(fn) { fn, 0, 8, false }
#define FOUR(n, fn) [n##PS] = VOP(fn##ps), [n##PD] = VOP(fn##pd), \
    [n##SS] = SS(fn##ss), [n##SD] = SD(fn##sd)

static const struct vop ops[] = {
    FOUR(ADD, add), FOUR(SUB, sub), FOUR(MUL, mul), FOUR(DIV, div),
    FOUR(MIN, min), FOUR(MAX, max), FOUR(SQRT, sqrt),
    [RCPPS] = VOP(rcpps), [RCPSS] = SS(rcpss),
    [RSQRTPS] = VOP(rsqrtps), [RSQRTSS] = SS(rsqrtss),
    [ADDSUBPS] = VOP(addsubps), [ADDSUBPD] = VOP(addsubpd),
    [HADDPS] = VOP(haddps), [HADDPD] = VOP(haddpd),
    [HSUBPS] = VOP(hsubps), [HSUBPD] = VOP(hsubpd),
    [DPPS] = VOP(dpps), [DPPD] = VOP(dppd),
};

static void op_sse_fp(struct cpu *c, const struct insn *i)
{
    simd_op_xmm(c, i, &ops[i->arg]);
}

#define ROW(map, op, pfx, fl, arg, feat, nm) \
    SIMD_ROW(map, op, pfx, -1, M_ANY, fl, arg, feat, op_sse_fp, nm)
/* PS (no prefix, SSE), PD (66, SSE2), SS (F3, SSE), SD (F2, SSE2). */
#define ALL4(op, n, nm)                                                     \
    ROW(MAP_0F, op, P_NP, 0, n##PS, FEAT_SSE, nm "ps"),                     \
    ROW(MAP_0F, op, P_66, 0, n##PD, FEAT_SSE2, nm "pd"),                    \
    ROW(MAP_0F, op, P_F3, 0, n##SS, FEAT_SSE, nm "ss"),                     \
    ROW(MAP_0F, op, P_F2, 0, n##SD, FEAT_SSE2, nm "sd")

static const struct opdef defs[] = {
    ALL4(0x58, ADD, "add"), ALL4(0x59, MUL, "mul"), ALL4(0x5c, SUB, "sub"),
    ALL4(0x5d, MIN, "min"), ALL4(0x5e, DIV, "div"), ALL4(0x5f, MAX, "max"),
    ALL4(0x51, SQRT, "sqrt"),
    ROW(MAP_0F, 0x52, P_NP, 0, RSQRTPS, FEAT_SSE, "rsqrtps"),
    ROW(MAP_0F, 0x52, P_F3, 0, RSQRTSS, FEAT_SSE, "rsqrtss"),
    ROW(MAP_0F, 0x53, P_NP, 0, RCPPS, FEAT_SSE, "rcpps"),
    ROW(MAP_0F, 0x53, P_F3, 0, RCPSS, FEAT_SSE, "rcpss"),
    ROW(MAP_0F, 0xd0, P_66, 0, ADDSUBPD, FEAT_SSE3, "addsubpd"),
    ROW(MAP_0F, 0xd0, P_F2, 0, ADDSUBPS, FEAT_SSE3, "addsubps"),
    ROW(MAP_0F, 0x7c, P_66, 0, HADDPD, FEAT_SSE3, "haddpd"),
    ROW(MAP_0F, 0x7c, P_F2, 0, HADDPS, FEAT_SSE3, "haddps"),
    ROW(MAP_0F, 0x7d, P_66, 0, HSUBPD, FEAT_SSE3, "hsubpd"),
    ROW(MAP_0F, 0x7d, P_F2, 0, HSUBPS, FEAT_SSE3, "hsubps"),
    ROW(MAP_0F3A, 0x40, P_66, F_IMM8, DPPS, FEAT_SSE41, "dpps"),
    ROW(MAP_0F3A, 0x41, P_66, F_IMM8, DPPD, FEAT_SSE41, "dppd"),
};
OPTABLE(optable_sse_fp, defs);
