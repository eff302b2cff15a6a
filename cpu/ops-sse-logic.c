/*
 * Bitwise logic and integer compares on MMX and XMM registers: PAND,
 * PANDN, POR, PXOR and their floating-point spellings ANDPS/ANDPD,
 * ANDNPS/ANDNPD, ORPS/ORPD, XORPS/XORPD (pure bit operations: no MXCSR
 * involvement), PCMPEQ and PCMPGT (lanes of all ones or zeros), PTEST.
 */
#include "cpu/simd.h"

#define WHOLE(name, expr)                                                   \
    static void name(struct cpu *c, struct xmmreg *d,                      \
                     const struct xmmreg *s, unsigned nq, unsigned imm)    \
    {                                                                       \
        (void)c;                                                            \
        (void)imm;                                                          \
        for (unsigned q = 0; q < nq; q++) {                                 \
            uint64_t a = d->q[q], b = s->q[q];                              \
            d->q[q] = (expr);                                               \
        }                                                                   \
    }

WHOLE(pand, a & b)
WHOLE(pandn, ~a & b)
WHOLE(por, a | b)
WHOLE(pxor, a ^ b)

#define COMPARE(name, bits, test)                                           \
    static void name(struct cpu *c, struct xmmreg *d,                      \
                     const struct xmmreg *s, unsigned nq, unsigned imm)    \
    {                                                                       \
        (void)c;                                                            \
        (void)imm;                                                          \
        for (unsigned k = 0; k < nq * 64 / (bits); k++) {                   \
            int64_t a = lane_s(d, bits, k), b = lane_s(s, bits, k);        \
            lane_set(d, bits, k, (test) ? ~0ull : 0);                       \
        }                                                                   \
    }

COMPARE(pcmpeq8, 8, a == b)
COMPARE(pcmpeq16, 16, a == b)
COMPARE(pcmpeq32, 32, a == b)
COMPARE(pcmpeq64, 64, a == b)
COMPARE(pcmpgt8, 8, a > b)
COMPARE(pcmpgt16, 16, a > b)
COMPARE(pcmpgt32, 32, a > b)
COMPARE(pcmpgt64, 64, a > b)

enum {
    PAND, PANDN, POR, PXOR,
    PCMPEQB, PCMPEQW, PCMPEQD, PCMPEQQ, PCMPGTB, PCMPGTW, PCMPGTD, PCMPGTQ,
};

static const struct vop ops[] = {
    [PAND] = VOP(pand), [PANDN] = VOP(pandn), [POR] = VOP(por),
    [PXOR] = VOP(pxor),
    [PCMPEQB] = VOP(pcmpeq8), [PCMPEQW] = VOP(pcmpeq16),
    [PCMPEQD] = VOP(pcmpeq32), [PCMPEQQ] = VOP(pcmpeq64),
    [PCMPGTB] = VOP(pcmpgt8), [PCMPGTW] = VOP(pcmpgt16),
    [PCMPGTD] = VOP(pcmpgt32), [PCMPGTQ] = VOP(pcmpgt64),
};

static void op_logic_mmx(struct cpu *c, const struct insn *i)
{
    simd_op_mmx(c, i, &ops[i->arg]);
}

static void op_logic_xmm(struct cpu *c, const struct insn *i)
{
    simd_op_xmm(c, i, &ops[i->arg]);
}

/* PTEST: ZF = (dst AND src) == 0, CF = (NOT dst AND src) == 0; AF OF PF
 * SF cleared. */
static void op_ptest(struct cpu *c, const struct insn *i)
{
    struct xmmreg s;
    const struct xmmreg *d;
    uint32_t fl = 0;

    simd_avail_sse(c);
    xmm_rm_read(c, i, 16, ALIGN_SSE, &s);
    d = xmm(c, i->reg);
    if (!((d->q[0] & s.q[0]) | (d->q[1] & s.q[1])))
        fl |= FL_ZF;
    if (!((~d->q[0] & s.q[0]) | (~d->q[1] & s.q[1])))
        fl |= FL_CF;
    flags_set_eager(c, fl, FL_ARITH);
}

#define MX(op, arg, fmm, nm)                                                \
    SIMD_ROW(MAP_0F, op, P_NP, -1, M_ANY, 0, arg, fmm, op_logic_mmx, nm),   \
    SIMD_ROW(MAP_0F, op, P_66, -1, M_ANY, 0, arg, FEAT_SSE2, op_logic_xmm, nm)
/* The PS form (no prefix, SSE) and the PD form (66, SSE2). */
#define PSPD(op, arg, nps, npd)                                             \
    SIMD_ROW(MAP_0F, op, P_NP, -1, M_ANY, 0, arg, FEAT_SSE, op_logic_xmm, nps), \
    SIMD_ROW(MAP_0F, op, P_66, -1, M_ANY, 0, arg, FEAT_SSE2, op_logic_xmm, npd)
#define X38(op, arg, feat, nm)                                              \
    SIMD_ROW(MAP_0F38, op, P_66, -1, M_ANY, 0, arg, feat, op_logic_xmm, nm)

static const struct opdef defs[] = {
    MX(0xdb, PAND, FEAT_MMX, "pand"),
    MX(0xdf, PANDN, FEAT_MMX, "pandn"),
    MX(0xeb, POR, FEAT_MMX, "por"),
    MX(0xef, PXOR, FEAT_MMX, "pxor"),
    PSPD(0x54, PAND, "andps", "andpd"),
    PSPD(0x55, PANDN, "andnps", "andnpd"),
    PSPD(0x56, POR, "orps", "orpd"),
    PSPD(0x57, PXOR, "xorps", "xorpd"),
    MX(0x74, PCMPEQB, FEAT_MMX, "pcmpeqb"),
    MX(0x75, PCMPEQW, FEAT_MMX, "pcmpeqw"),
    MX(0x76, PCMPEQD, FEAT_MMX, "pcmpeqd"),
    MX(0x64, PCMPGTB, FEAT_MMX, "pcmpgtb"),
    MX(0x65, PCMPGTW, FEAT_MMX, "pcmpgtw"),
    MX(0x66, PCMPGTD, FEAT_MMX, "pcmpgtd"),
    X38(0x29, PCMPEQQ, FEAT_SSE41, "pcmpeqq"),
    X38(0x37, PCMPGTQ, FEAT_SSE42, "pcmpgtq"),
    SIMD_ROW(MAP_0F38, 0x17, P_66, -1, M_ANY, 0, 0, FEAT_SSE41, op_ptest,
             "ptest"),
};
OPTABLE(optable_sse_logic, defs);
