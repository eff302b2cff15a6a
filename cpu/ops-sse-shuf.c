/*
 * Rearranging lanes on MMX and XMM registers: packs with saturation
 * (PACKSSWB/PACKSSDW/PACKUSWB/PACKUSDW), unpacks (PUNPCK*, UNPCK*PS/PD),
 * shuffles (PSHUFW/PSHUFD/PSHUFHW/PSHUFLW, SHUFPS/SHUFPD, PSHUFB) and
 * blends (BLENDPS/BLENDPD/PBLENDW, BLENDVPS/BLENDVPD/PBLENDVB).
 */
#include "cpu/simd.h"

/* ---- packs: the lanes of dst, then of src, narrowed with saturation ------ */

static void pack(struct xmmreg *d, const struct xmmreg *s, unsigned nq,
                 unsigned inbits, bool unsig)
{
    unsigned n = nq * 64 / inbits, ob = inbits / 2;
    struct xmmreg r = { { 0, 0 } };

    for (unsigned k = 0; k < 2 * n; k++) {
        int64_t x = k < n ? lane_s(d, inbits, k) : lane_s(s, inbits, k - n);
        lane_set(&r, ob, k, unsig ? sat_u(x, ob) : sat_s(x, ob));
    }
    *d = r;
}

#define PACK(name, inbits, unsig)                                           \
    static void name(struct cpu *c, struct xmmreg *d,                      \
                     const struct xmmreg *s, unsigned nq, unsigned imm)    \
    {                                                                       \
        (void)c;                                                            \
        (void)imm;                                                          \
        pack(d, s, nq, inbits, unsig);                                      \
    }

PACK(packsswb, 16, false)
PACK(packssdw, 32, false)
PACK(packuswb, 16, true)
PACK(packusdw, 32, true)

/* ---- unpacks: lanes of the low (or high) halves interleaved, dst first --- */

static void unpack(struct xmmreg *d, const struct xmmreg *s, unsigned nq,
                   unsigned bits, bool high)
{
    unsigned half = nq * 32 / bits, base = high ? half : 0;
    struct xmmreg r = { { 0, 0 } };

    for (unsigned k = 0; k < half; k++) {
        lane_set(&r, bits, 2 * k, lane(d, bits, base + k));
        lane_set(&r, bits, 2 * k + 1, lane(s, bits, base + k));
    }
    *d = r;
}

#define UNPACK(name, bits, high)                                            \
    static void name(struct cpu *c, struct xmmreg *d,                      \
                     const struct xmmreg *s, unsigned nq, unsigned imm)    \
    {                                                                       \
        (void)c;                                                            \
        (void)imm;                                                          \
        unpack(d, s, nq, bits, high);                                       \
    }

UNPACK(punpcklbw, 8, false)
UNPACK(punpcklwd, 16, false)
UNPACK(punpckldq, 32, false)
UNPACK(punpcklqdq, 64, false)
UNPACK(punpckhbw, 8, true)
UNPACK(punpckhwd, 16, true)
UNPACK(punpckhdq, 32, true)
UNPACK(punpckhqdq, 64, true)

/* ---- shuffles ------------------------------------------------------------ */

/* Lanes first..first+3 of width bits of src, reordered by the 2-bit
 * fields of imm; the other lanes copied from src. */
static void shuffle4(struct xmmreg *d, const struct xmmreg *s, unsigned bits,
                     unsigned first, unsigned imm)
{
    struct xmmreg r = *s;

    for (unsigned k = 0; k < 4; k++)
        lane_set(&r, bits, first + k,
                 lane(s, bits, first + ((imm >> (2 * k)) & 3)));
    *d = r;
}

static void pshufw(struct cpu *c, struct xmmreg *d, const struct xmmreg *s,
                   unsigned nq, unsigned imm)
{
    (void)c;
    (void)nq;
    shuffle4(d, s, 16, 0, imm);
}

static void pshufd(struct cpu *c, struct xmmreg *d, const struct xmmreg *s,
                   unsigned nq, unsigned imm)
{
    (void)c;
    (void)nq;
    shuffle4(d, s, 32, 0, imm);
}

static void pshuflw(struct cpu *c, struct xmmreg *d, const struct xmmreg *s,
                    unsigned nq, unsigned imm)
{
    (void)c;
    (void)nq;
    shuffle4(d, s, 16, 0, imm);
}

static void pshufhw(struct cpu *c, struct xmmreg *d, const struct xmmreg *s,
                    unsigned nq, unsigned imm)
{
    (void)c;
    (void)nq;
    shuffle4(d, s, 16, 4, imm);
}

/* SHUFPS: two dwords of dst, then two of src. */
static void shufps(struct cpu *c, struct xmmreg *d, const struct xmmreg *s,
                   unsigned nq, unsigned imm)
{
    struct xmmreg r = { { 0, 0 } };

    (void)c;
    (void)nq;
    lane_set(&r, 32, 0, lane(d, 32, imm & 3));
    lane_set(&r, 32, 1, lane(d, 32, (imm >> 2) & 3));
    lane_set(&r, 32, 2, lane(s, 32, (imm >> 4) & 3));
    lane_set(&r, 32, 3, lane(s, 32, (imm >> 6) & 3));
    *d = r;
}

static void shufpd(struct cpu *c, struct xmmreg *d, const struct xmmreg *s,
                   unsigned nq, unsigned imm)
{
    struct xmmreg r;

    (void)c;
    (void)nq;
    r.q[0] = d->q[imm & 1];
    r.q[1] = s->q[(imm >> 1) & 1];
    *d = r;
}

/* PSHUFB: each byte picks a byte of dst by the low bits of the src byte,
 * or is zeroed when that byte's top bit is set. */
static void pshufb(struct cpu *c, struct xmmreg *d, const struct xmmreg *s,
                   unsigned nq, unsigned imm)
{
    unsigned n = nq * 8;
    struct xmmreg r = { { 0, 0 } };

    (void)c;
    (void)imm;
    for (unsigned k = 0; k < n; k++) {
        uint64_t sel = lane(s, 8, k);
        if (!(sel & 0x80))
            lane_set(&r, 8, k, lane(d, 8, (unsigned)sel & (n - 1)));
    }
    *d = r;
}

/* ---- blends -------------------------------------------------------------- */

/* Lane k of width bits comes from src where bit k of mask is set. */
static void blend(struct xmmreg *d, const struct xmmreg *s, unsigned bits,
                  unsigned mask)
{
    for (unsigned k = 0; k < 128 / bits; k++)
        if ((mask >> k) & 1)
            lane_set(d, bits, k, lane(s, bits, k));
}

/* The sign bits of the lanes of XMM0 as a mask. */
static unsigned xmm0_signs(const struct cpu *c, unsigned bits)
{
    unsigned m = 0;

    for (unsigned k = 0; k < 128 / bits; k++)
        m |= (unsigned)(lane(&c->fpu.xmm[0], bits, k) >> (bits - 1)) << k;
    return m;
}

#define BLEND_IMM(name, bits)                                               \
    static void name(struct cpu *c, struct xmmreg *d,                      \
                     const struct xmmreg *s, unsigned nq, unsigned imm)    \
    {                                                                       \
        (void)c;                                                            \
        (void)nq;                                                           \
        blend(d, s, bits, imm);                                             \
    }
#define BLEND_VAR(name, bits)                                               \
    static void name(struct cpu *c, struct xmmreg *d,                      \
                     const struct xmmreg *s, unsigned nq, unsigned imm)    \
    {                                                                       \
        (void)nq;                                                           \
        (void)imm;                                                          \
        blend(d, s, bits, xmm0_signs(c, bits));                             \
    }

BLEND_IMM(blendps, 32)
BLEND_IMM(blendpd, 64)
BLEND_IMM(pblendw, 16)
BLEND_VAR(blendvps, 32)
BLEND_VAR(blendvpd, 64)
BLEND_VAR(pblendvb, 8)

enum {
    PACKSSWB, PACKSSDW, PACKUSWB, PACKUSDW,
    PUNPCKLBW, PUNPCKLWD, PUNPCKLDQ, PUNPCKLQDQ,
    PUNPCKHBW, PUNPCKHWD, PUNPCKHDQ, PUNPCKHQDQ,
    PSHUFW, PSHUFD, PSHUFLW, PSHUFHW, SHUFPS, SHUFPD, PSHUFB,
    BLENDPS, BLENDPD, PBLENDW, BLENDVPS, BLENDVPD, PBLENDVB,
};

/* The MMX low unpacks read only 32 bits of memory. */
static const struct vop ops[] = {
    [PACKSSWB] = VOP(packsswb), [PACKSSDW] = VOP(packssdw),
    [PACKUSWB] = VOP(packuswb), [PACKUSDW] = VOP(packusdw),
    [PUNPCKLBW] = { punpcklbw, 4, 0, false },
    [PUNPCKLWD] = { punpcklwd, 4, 0, false },
    [PUNPCKLDQ] = { punpckldq, 4, 0, false },
    [PUNPCKLQDQ] = VOP(punpcklqdq),
    [PUNPCKHBW] = VOP(punpckhbw), [PUNPCKHWD] = VOP(punpckhwd),
    [PUNPCKHDQ] = VOP(punpckhdq), [PUNPCKHQDQ] = VOP(punpckhqdq),
    [PSHUFW] = VOP(pshufw), [PSHUFD] = VOP(pshufd), [PSHUFLW] = VOP(pshuflw),
    [PSHUFHW] = VOP(pshufhw), [SHUFPS] = VOP(shufps), [SHUFPD] = VOP(shufpd),
    [PSHUFB] = VOP(pshufb),
    [BLENDPS] = VOP(blendps), [BLENDPD] = VOP(blendpd),
    [PBLENDW] = VOP(pblendw),
    [BLENDVPS] = VOP(blendvps), [BLENDVPD] = VOP(blendvpd),
    [PBLENDVB] = VOP(pblendvb),
};

static void op_shuf_mmx(struct cpu *c, const struct insn *i)
{
    simd_op_mmx(c, i, &ops[i->arg]);
}

static void op_shuf_xmm(struct cpu *c, const struct insn *i)
{
    simd_op_xmm(c, i, &ops[i->arg]);
}

#define MX(op, arg, nm)                                                     \
    SIMD_ROW(MAP_0F, op, P_NP, -1, M_ANY, 0, arg, FEAT_MMX, op_shuf_mmx, nm), \
    SIMD_ROW(MAP_0F, op, P_66, -1, M_ANY, 0, arg, FEAT_SSE2, op_shuf_xmm, nm)
#define X(map, op, pfx, fl, arg, feat, nm)                                  \
    SIMD_ROW(map, op, pfx, -1, M_ANY, fl, arg, feat, op_shuf_xmm, nm)

static const struct opdef defs[] = {
    MX(0x63, PACKSSWB, "packsswb"),
    MX(0x6b, PACKSSDW, "packssdw"),
    MX(0x67, PACKUSWB, "packuswb"),
    X(MAP_0F38, 0x2b, P_66, 0, PACKUSDW, FEAT_SSE41, "packusdw"),
    MX(0x60, PUNPCKLBW, "punpcklbw"),
    MX(0x61, PUNPCKLWD, "punpcklwd"),
    MX(0x62, PUNPCKLDQ, "punpckldq"),
    MX(0x68, PUNPCKHBW, "punpckhbw"),
    MX(0x69, PUNPCKHWD, "punpckhwd"),
    MX(0x6a, PUNPCKHDQ, "punpckhdq"),
    X(MAP_0F, 0x6c, P_66, 0, PUNPCKLQDQ, FEAT_SSE2, "punpcklqdq"),
    X(MAP_0F, 0x6d, P_66, 0, PUNPCKHQDQ, FEAT_SSE2, "punpckhqdq"),
    X(MAP_0F, 0x14, P_NP, 0, PUNPCKLDQ, FEAT_SSE, "unpcklps"),
    X(MAP_0F, 0x14, P_66, 0, PUNPCKLQDQ, FEAT_SSE2, "unpcklpd"),
    X(MAP_0F, 0x15, P_NP, 0, PUNPCKHDQ, FEAT_SSE, "unpckhps"),
    X(MAP_0F, 0x15, P_66, 0, PUNPCKHQDQ, FEAT_SSE2, "unpckhpd"),
    SIMD_ROW(MAP_0F, 0x70, P_NP, -1, M_ANY, F_IMM8, PSHUFW, FEAT_SSE,
             op_shuf_mmx, "pshufw"),
    X(MAP_0F, 0x70, P_66, F_IMM8, PSHUFD, FEAT_SSE2, "pshufd"),
    X(MAP_0F, 0x70, P_F2, F_IMM8, PSHUFLW, FEAT_SSE2, "pshuflw"),
    X(MAP_0F, 0x70, P_F3, F_IMM8, PSHUFHW, FEAT_SSE2, "pshufhw"),
    X(MAP_0F, 0xc6, P_NP, F_IMM8, SHUFPS, FEAT_SSE, "shufps"),
    X(MAP_0F, 0xc6, P_66, F_IMM8, SHUFPD, FEAT_SSE2, "shufpd"),
    SIMD_ROW(MAP_0F38, 0x00, P_NP, -1, M_ANY, 0, PSHUFB, FEAT_SSSE3,
             op_shuf_mmx, "pshufb"),
    X(MAP_0F38, 0x00, P_66, 0, PSHUFB, FEAT_SSSE3, "pshufb"),
    X(MAP_0F3A, 0x0c, P_66, F_IMM8, BLENDPS, FEAT_SSE41, "blendps"),
    X(MAP_0F3A, 0x0d, P_66, F_IMM8, BLENDPD, FEAT_SSE41, "blendpd"),
    X(MAP_0F3A, 0x0e, P_66, F_IMM8, PBLENDW, FEAT_SSE41, "pblendw"),
    X(MAP_0F38, 0x14, P_66, 0, BLENDVPS, FEAT_SSE41, "blendvps"),
    X(MAP_0F38, 0x15, P_66, 0, BLENDVPD, FEAT_SSE41, "blendvpd"),
    X(MAP_0F38, 0x10, P_66, 0, PBLENDVB, FEAT_SSE41, "pblendvb"),
};
OPTABLE(optable_sse_shuf, defs);
