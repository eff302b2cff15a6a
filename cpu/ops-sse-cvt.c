/*
 * SSE conversions and rounding: between binary32 and binary64
 * (CVTPS2PD, CVTPD2PS, CVTSS2SD, CVTSD2SS), from and to 32/64-bit
 * integers in XMM, MMX and general registers (CVT[T]xx2yy; out of range
 * or NaN gives IE and the integer indefinite, the most negative value),
 * and SSE4.1's ROUNDPS/PD/SS/SD (imm8: bit 2 = MXCSR.RC instead of
 * imm8[1:0], bit 3 = no PE).
 */
#include "cpu/sse-fp.h"

/* Lane conversions; a is the imm8 for the rounding ones. */
static uint64_t s2d(struct sf_ctx *x, uint64_t a, uint64_t b)
{
    (void)a;
    return f32_to_f64(x, (f32)b);
}

static uint64_t d2s(struct sf_ctx *x, uint64_t a, uint64_t b)
{
    (void)a;
    return f64_to_f32(x, b);
}

static uint64_t i2s(struct sf_ctx *x, uint64_t a, uint64_t b)
{
    (void)a;
    return i64_to_f32(x, (int32_t)(uint32_t)b);
}

static uint64_t i2d(struct sf_ctx *x, uint64_t a, uint64_t b)
{
    (void)a;
    return i64_to_f64(x, (int32_t)(uint32_t)b);
}

#define TO_INT(name, from, trunc)                                           \
    static uint64_t name(struct sf_ctx *x, uint64_t a, uint64_t b)         \
    {                                                                       \
        (void)a;                                                            \
        return (uint32_t)from##_to_int(x, b, 32, trunc);                    \
    }

TO_INT(s2i, f32, false)
TO_INT(ts2i, f32, true)
TO_INT(d2i, f64, false)
TO_INT(td2i, f64, true)

static unsigned round_mode(const struct sf_ctx *x, uint64_t imm)
{
    return imm & 4 ? x->round : imm & 3;
}

static uint64_t round32(struct sf_ctx *x, uint64_t imm, uint64_t b)
{
    return f32_round_int(x, (f32)b, round_mode(x, imm), !(imm & 8));
}

static uint64_t round64(struct sf_ctx *x, uint64_t imm, uint64_t b)
{
    return f64_round_int(x, b, round_mode(x, imm), !(imm & 8));
}

/* n lanes of s (in bits wide) converted into lanes of out bits of d; the
 * rest of d zeroed (zero) or kept. */
static void convert(struct cpu *c, struct xmmreg *d, const struct xmmreg *s,
                    unsigned in, unsigned out, unsigned n, bool zero,
                    fp_fn fn, unsigned imm)
{
    struct sf_ctx x = sse_ctx(c);
    struct xmmreg r = zero ? (struct xmmreg){ { 0, 0 } } : *d;

    for (unsigned k = 0; k < n; k++)
        lane_set(&r, out, k, fn(&x, imm, lane(s, in, k)));
    sse_fp_commit(c, &x);
    *d = r;
}

#define CONV(name, in, out, n, zero, fn)                                    \
    static void name(struct cpu *c, struct xmmreg *d,                      \
                     const struct xmmreg *s, unsigned nq, unsigned imm)    \
    {                                                                       \
        (void)nq;                                                           \
        convert(c, d, s, in, out, n, zero, fn, imm);                        \
    }

CONV(cvtps2pd, 32, 64, 2, true, s2d)
CONV(cvtpd2ps, 64, 32, 2, true, d2s)
CONV(cvtss2sd, 32, 64, 1, false, s2d)
CONV(cvtsd2ss, 64, 32, 1, false, d2s)
CONV(cvtdq2ps, 32, 32, 4, true, i2s)
CONV(cvtps2dq, 32, 32, 4, true, s2i)
CONV(cvttps2dq, 32, 32, 4, true, ts2i)
CONV(cvtdq2pd, 32, 64, 2, true, i2d)
CONV(cvtpd2dq, 64, 32, 2, true, d2i)
CONV(cvttpd2dq, 64, 32, 2, true, td2i)
CONV(roundps, 32, 32, 4, true, round32)
CONV(roundpd, 64, 64, 2, true, round64)
CONV(roundss, 32, 32, 1, false, round32)
CONV(roundsd, 64, 64, 1, false, round64)

enum {
    CVTPS2PD, CVTPD2PS, CVTSS2SD, CVTSD2SS, CVTDQ2PS, CVTPS2DQ, CVTTPS2DQ,
    CVTDQ2PD, CVTPD2DQ, CVTTPD2DQ, ROUNDPS, ROUNDPD, ROUNDSS, ROUNDSD,
};

static const struct vop ops[] = {
    [CVTPS2PD] = { cvtps2pd, 0, 8, false }, [CVTPD2PS] = VOP(cvtpd2ps),
    [CVTSS2SD] = { cvtss2sd, 0, 4, false },
    [CVTSD2SS] = { cvtsd2ss, 0, 8, false },
    [CVTDQ2PS] = VOP(cvtdq2ps), [CVTPS2DQ] = VOP(cvtps2dq),
    [CVTTPS2DQ] = VOP(cvttps2dq), [CVTDQ2PD] = { cvtdq2pd, 0, 8, false },
    [CVTPD2DQ] = VOP(cvtpd2dq), [CVTTPD2DQ] = VOP(cvttpd2dq),
    [ROUNDPS] = VOP(roundps), [ROUNDPD] = VOP(roundpd),
    [ROUNDSS] = { roundss, 0, 4, false }, [ROUNDSD] = { roundsd, 0, 8, false },
};

static void op_cvt(struct cpu *c, const struct insn *i)
{
    simd_op_xmm(c, i, &ops[i->arg]);
}

/* CVTPI2PS/CVTPI2PD xmm, mm/m64 (arg: double).  The register form
 * switches the x87 unit to MMX state (before any #XM); the memory form
 * does not. */
static void op_cvtpi2p(struct cpu *c, const struct insn *i)
{
    struct xmmreg s = { { 0, 0 } }, d;
    bool dbl = i->arg;

    simd_avail_sse(c);
    s.q[0] = mmx_rm_read(c, i, 8);
    if (i->mod == 3)
        mmx_commit(c);
    d = *xmm(c, i->reg);
    if (dbl)
        convert(c, &d, &s, 32, 64, 2, true, i2d, 0);
    else
        convert(c, &d, &s, 32, 32, 2, false, i2s, 0);
    *xmm(c, i->reg) = d;
}

/* CVT[T]PS2PI mm, xmm/m64 and CVT[T]PD2PI mm, xmm/m128 (arg bit 0:
 * double, bit 1: truncate).  The switch to MMX state comes before an
 * unmasked exception's #XM, as on the host. */
static void op_cvtp2pi(struct cpu *c, const struct insn *i)
{
    static const fp_fn fns[] = { s2i, d2i, ts2i, td2i };
    bool dbl = i->arg & 1;
    struct xmmreg s, d = { { 0, 0 } };

    simd_avail_sse(c);
    xmm_rm_read(c, i, dbl ? 16 : 8, dbl ? ALIGN_SSE : ALIGN_NONE, &s);
    mmx_commit(c);
    convert(c, &d, &s, dbl ? 64 : 32, 32, 2, true, fns[i->arg & 3], 0);
    mmx_set(c, i->reg, d.q[0]);
}

/* CVTSI2SS/CVTSI2SD xmm, r/m32 (r/m64 with REX.W) (arg: double). */
static void op_cvtsi2s(struct cpu *c, const struct insn *i)
{
    unsigned size = (i->pfx & PFX_REXW) ? 8 : 4;
    struct sf_ctx x = sse_ctx(c);
    int64_t v;
    uint64_t r;

    simd_avail_sse(c);
    v = sext(simd_gpr_rm_read(c, i, size), size);
    r = i->arg ? i64_to_f64(&x, v) : i64_to_f32(&x, v);
    sse_fp_commit(c, &x);
    lane_set(xmm(c, i->reg), i->arg ? 64 : 32, 0, r);
}

/* CVT[T]SS2SI/CVT[T]SD2SI r32/r64, xmm/m32/m64 (arg bit 0: double, bit 1:
 * truncate). */
static void op_cvts2si(struct cpu *c, const struct insn *i)
{
    unsigned size = (i->pfx & PFX_REXW) ? 8 : 4;
    bool dbl = i->arg & 1, trunc = i->arg & 2;
    struct sf_ctx x = sse_ctx(c);
    struct xmmreg s;
    int64_t v;

    simd_avail_sse(c);
    xmm_rm_read(c, i, dbl ? 8 : 4, ALIGN_NONE, &s);
    v = dbl ? f64_to_int(&x, s.q[0], size * 8, trunc)
            : f32_to_int(&x, (f32)s.q[0], size * 8, trunc);
    sse_fp_commit(c, &x);
    reg_write(c, i->reg, size, (uint64_t)v & size_mask(size));
}

#define ROW(map, op, pfx, fl, fn, arg, feat, nm) \
    SIMD_ROW(map, op, pfx, -1, M_ANY, fl, arg, feat, fn, nm)

static const struct opdef defs[] = {
    ROW(MAP_0F, 0x5a, P_NP, 0, op_cvt, CVTPS2PD, FEAT_SSE2, "cvtps2pd"),
    ROW(MAP_0F, 0x5a, P_66, 0, op_cvt, CVTPD2PS, FEAT_SSE2, "cvtpd2ps"),
    ROW(MAP_0F, 0x5a, P_F3, 0, op_cvt, CVTSS2SD, FEAT_SSE2, "cvtss2sd"),
    ROW(MAP_0F, 0x5a, P_F2, 0, op_cvt, CVTSD2SS, FEAT_SSE2, "cvtsd2ss"),
    ROW(MAP_0F, 0x5b, P_NP, 0, op_cvt, CVTDQ2PS, FEAT_SSE2, "cvtdq2ps"),
    ROW(MAP_0F, 0x5b, P_66, 0, op_cvt, CVTPS2DQ, FEAT_SSE2, "cvtps2dq"),
    ROW(MAP_0F, 0x5b, P_F3, 0, op_cvt, CVTTPS2DQ, FEAT_SSE2, "cvttps2dq"),
    ROW(MAP_0F, 0xe6, P_66, 0, op_cvt, CVTTPD2DQ, FEAT_SSE2, "cvttpd2dq"),
    ROW(MAP_0F, 0xe6, P_F3, 0, op_cvt, CVTDQ2PD, FEAT_SSE2, "cvtdq2pd"),
    ROW(MAP_0F, 0xe6, P_F2, 0, op_cvt, CVTPD2DQ, FEAT_SSE2, "cvtpd2dq"),
    ROW(MAP_0F3A, 0x08, P_66, F_IMM8, op_cvt, ROUNDPS, FEAT_SSE41, "roundps"),
    ROW(MAP_0F3A, 0x09, P_66, F_IMM8, op_cvt, ROUNDPD, FEAT_SSE41, "roundpd"),
    ROW(MAP_0F3A, 0x0a, P_66, F_IMM8, op_cvt, ROUNDSS, FEAT_SSE41, "roundss"),
    ROW(MAP_0F3A, 0x0b, P_66, F_IMM8, op_cvt, ROUNDSD, FEAT_SSE41, "roundsd"),
    ROW(MAP_0F, 0x2a, P_NP, 0, op_cvtpi2p, 0, FEAT_SSE, "cvtpi2ps"),
    ROW(MAP_0F, 0x2a, P_66, 0, op_cvtpi2p, 1, FEAT_SSE2, "cvtpi2pd"),
    ROW(MAP_0F, 0x2a, P_F3, 0, op_cvtsi2s, 0, FEAT_SSE, "cvtsi2ss"),
    ROW(MAP_0F, 0x2a, P_F2, 0, op_cvtsi2s, 1, FEAT_SSE2, "cvtsi2sd"),
    ROW(MAP_0F, 0x2c, P_NP, 0, op_cvtp2pi, 2, FEAT_SSE, "cvttps2pi"),
    ROW(MAP_0F, 0x2c, P_66, 0, op_cvtp2pi, 3, FEAT_SSE2, "cvttpd2pi"),
    ROW(MAP_0F, 0x2c, P_F3, 0, op_cvts2si, 2, FEAT_SSE, "cvttss2si"),
    ROW(MAP_0F, 0x2c, P_F2, 0, op_cvts2si, 3, FEAT_SSE2, "cvttsd2si"),
    ROW(MAP_0F, 0x2d, P_NP, 0, op_cvtp2pi, 0, FEAT_SSE, "cvtps2pi"),
    ROW(MAP_0F, 0x2d, P_66, 0, op_cvtp2pi, 1, FEAT_SSE2, "cvtpd2pi"),
    ROW(MAP_0F, 0x2d, P_F3, 0, op_cvts2si, 0, FEAT_SSE, "cvtss2si"),
    ROW(MAP_0F, 0x2d, P_F2, 0, op_cvts2si, 1, FEAT_SSE2, "cvtsd2si"),
};
OPTABLE(optable_sse_cvt, defs);
