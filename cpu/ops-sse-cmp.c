/*
 * SSE floating-point compares: CMPPS/CMPPD/CMPSS/CMPSD with the eight
 * predicates of imm8[2:0] (lanes of all ones or zeros) and
 * COMISS/COMISD/UCOMISS/UCOMISD (ZF PF CF; the signaling forms raise IE
 * for QNaNs too, the quiet ones only for SNaNs).
 */
#include "cpu/sse-fp.h"

static void compare(struct cpu *c, struct xmmreg *d, const struct xmmreg *s,
                    unsigned bits, unsigned n, unsigned imm)
{
    struct sf_ctx x = sse_ctx(c);
    struct xmmreg r = *d;

    for (unsigned k = 0; k < n; k++) {
        uint64_t a = lane(d, bits, k), b = lane(s, bits, k);
        bool t = bits == 32 ? f32_predicate(&x, (f32)a, (f32)b, imm)
                            : f64_predicate(&x, a, b, imm);
        lane_set(&r, bits, k, t ? ~0ull : 0);
    }
    sse_fp_commit(c, &x);
    *d = r;
}

#define CMP(name, bits, n)                                                  \
    static void name(struct cpu *c, struct xmmreg *d,                      \
                     const struct xmmreg *s, unsigned nq, unsigned imm)    \
    {                                                                       \
        (void)nq;                                                           \
        compare(c, d, s, bits, n, imm);                                     \
    }

CMP(cmpps, 32, 4)
CMP(cmppd, 64, 2)
CMP(cmpss, 32, 1)
CMP(cmpsd, 64, 1)

static const struct vop ops[] = {
    VOP(cmpps), VOP(cmppd), { cmpss, 0, 4, false }, { cmpsd, 0, 8, false },
};

static void op_cmp(struct cpu *c, const struct insn *i)
{
    simd_op_xmm(c, i, &ops[i->arg]);
}

/* COMIS/UCOMIS: arg bit 0 = double, bit 1 = signaling.  Unordered sets
 * ZF PF CF, less CF, equal ZF; OF SF AF are cleared.  The flags are not
 * written when the exception is delivered. */
static void op_comis(struct cpu *c, const struct insn *i)
{
    static const uint32_t fl[] = {
        [SF_LT] = FL_CF, [SF_EQ] = FL_ZF, [SF_GT] = 0,
        [SF_UN] = FL_ZF | FL_PF | FL_CF,
    };
    bool dbl = i->arg & 1, sig = i->arg & 2;
    struct sf_ctx x = sse_ctx(c);
    struct xmmreg s;
    enum sf_rel rel;

    simd_avail_sse(c);
    xmm_rm_read(c, i, dbl ? 8 : 4, ALIGN_NONE, &s);
    rel = dbl ? f64_compare(&x, xmm(c, i->reg)->q[0], s.q[0], sig)
              : f32_compare(&x, (f32)xmm(c, i->reg)->q[0], (f32)s.q[0], sig);
    sse_fp_commit(c, &x);
    flags_set_eager(c, fl[rel], FL_ARITH);
}

#define ROW(op, pfx, fl, fn, arg, feat, nm) \
    SIMD_ROW(MAP_0F, op, pfx, -1, M_ANY, fl, arg, feat, fn, nm)

static const struct opdef defs[] = {
    ROW(0xc2, P_NP, F_IMM8, op_cmp, 0, FEAT_SSE, "cmpps"),
    ROW(0xc2, P_66, F_IMM8, op_cmp, 1, FEAT_SSE2, "cmppd"),
    ROW(0xc2, P_F3, F_IMM8, op_cmp, 2, FEAT_SSE, "cmpss"),
    ROW(0xc2, P_F2, F_IMM8, op_cmp, 3, FEAT_SSE2, "cmpsd"),
    ROW(0x2e, P_NP, 0, op_comis, 0, FEAT_SSE, "ucomiss"),
    ROW(0x2e, P_66, 0, op_comis, 1, FEAT_SSE2, "ucomisd"),
    ROW(0x2f, P_NP, 0, op_comis, 2, FEAT_SSE, "comiss"),
    ROW(0x2f, P_66, 0, op_comis, 3, FEAT_SSE2, "comisd"),
};
OPTABLE(optable_sse_cmp, defs);
