/*
 * Packed integer arithmetic on MMX and XMM registers (MMX, SSE, SSE2,
 * SSSE3, SSE4.1): add and subtract with wrap-around or saturation,
 * multiplies, multiply-add, averages, minimum and maximum, absolute value
 * and sign, sums of absolute differences, horizontal add and subtract,
 * PHMINPOSUW.  Every instruction is dst = f(dst, src) through
 * simd_op_mmx/simd_op_xmm; the row's arg picks the operation.
 */
#include "cpu/simd.h"

/* An operation applied lane by lane: a, b the lanes zero-extended, sa, sb
 * sign-extended.  Each quadword is taken apart and rebuilt with shifts of
 * a constant width, which compilers unroll. */
#define LANEWISE(name, bits, expr)                                          \
    static void name(struct cpu *c, struct xmmreg *d,                      \
                     const struct xmmreg *s, unsigned nq, unsigned imm)    \
    {                                                                       \
        const uint64_t m = (bits) == 64 ? ~0ull : (1ull << (bits)) - 1;    \
        (void)c;                                                            \
        (void)imm;                                                          \
        for (unsigned q = 0; q < nq; q++) {                                 \
            uint64_t x = d->q[q], y = s->q[q], r = 0;                       \
            for (unsigned k = 0; k < 64; k += (bits)) {                     \
                uint64_t a = (x >> k) & m, b = (y >> k) & m;                \
                int64_t sa = sext(a, (bits) / 8), sb = sext(b, (bits) / 8); \
                (void)a; (void)b; (void)sa; (void)sb;                       \
                r |= ((uint64_t)(expr) & m) << k;                           \
            }                                                               \
            d->q[q] = r;                                                    \
        }                                                                   \
    }

/* Wrapping add and subtract of all lanes of a quadword at once: the lanes'
 * top bits (h) are kept out of the carry chain and XORed back in. */
#define SWAR(name, h, sub_)                                                 \
    static void name(struct cpu *c, struct xmmreg *d,                      \
                     const struct xmmreg *s, unsigned nq, unsigned imm)    \
    {                                                                       \
        (void)c;                                                            \
        (void)imm;                                                          \
        for (unsigned q = 0; q < nq; q++) {                                 \
            uint64_t x = d->q[q], y = s->q[q];                              \
            d->q[q] = sub_ ? ((x | (h)) - (y & ~(h))) ^ ((x ^ ~y) & (h))    \
                           : ((x & ~(h)) + (y & ~(h))) ^ ((x ^ y) & (h));   \
        }                                                                   \
    }

SWAR(padd8, 0x8080808080808080ull, false)
SWAR(padd16, 0x8000800080008000ull, false)
SWAR(padd32, 0x8000000080000000ull, false)
SWAR(padd64, 0, false)
SWAR(psub8, 0x8080808080808080ull, true)
SWAR(psub16, 0x8000800080008000ull, true)
SWAR(psub32, 0x8000000080000000ull, true)
SWAR(psub64, 0, true)
LANEWISE(padds8, 8, sat_s(sa + sb, 8))
LANEWISE(padds16, 16, sat_s(sa + sb, 16))
LANEWISE(paddus8, 8, sat_u((int64_t)(a + b), 8))
LANEWISE(paddus16, 16, sat_u((int64_t)(a + b), 16))
LANEWISE(psubs8, 8, sat_s(sa - sb, 8))
LANEWISE(psubs16, 16, sat_s(sa - sb, 16))
LANEWISE(psubus8, 8, sat_u((int64_t)a - (int64_t)b, 8))
LANEWISE(psubus16, 16, sat_u((int64_t)a - (int64_t)b, 16))
LANEWISE(pmull16, 16, a * b)
LANEWISE(pmull32, 32, a * b)
LANEWISE(pmulh16, 16, (uint64_t)(sa * sb) >> 16)
LANEWISE(pmulhu16, 16, (a * b) >> 16)
LANEWISE(pmulhrs16, 16, (uint64_t)(((sa * sb >> 14) + 1) >> 1))
LANEWISE(pmuludq, 64, (a & 0xffffffffu) * (b & 0xffffffffu))
LANEWISE(pmuldq, 64, (uint64_t)(sext(a, 4) * sext(b, 4)))
LANEWISE(pavg8, 8, (a + b + 1) >> 1)
LANEWISE(pavg16, 16, (a + b + 1) >> 1)
LANEWISE(pminu8, 8, a < b ? a : b)
LANEWISE(pminu16, 16, a < b ? a : b)
LANEWISE(pminu32, 32, a < b ? a : b)
LANEWISE(pmaxu8, 8, a > b ? a : b)
LANEWISE(pmaxu16, 16, a > b ? a : b)
LANEWISE(pmaxu32, 32, a > b ? a : b)
LANEWISE(pmins8, 8, sa < sb ? a : b)
LANEWISE(pmins16, 16, sa < sb ? a : b)
LANEWISE(pmins32, 32, sa < sb ? a : b)
LANEWISE(pmaxs8, 8, sa > sb ? a : b)
LANEWISE(pmaxs16, 16, sa > sb ? a : b)
LANEWISE(pmaxs32, 32, sa > sb ? a : b)
LANEWISE(psign8, 8, sb < 0 ? 0 - a : sb == 0 ? 0 : a)
LANEWISE(psign16, 16, sb < 0 ? 0 - a : sb == 0 ? 0 : a)
LANEWISE(psign32, 32, sb < 0 ? 0 - a : sb == 0 ? 0 : a)
LANEWISE(pabs8, 8, sb < 0 ? 0 - b : b)
LANEWISE(pabs16, 16, sb < 0 ? 0 - b : b)
LANEWISE(pabs32, 32, sb < 0 ? 0 - b : b)

/* PMADDWD: signed word products summed in pairs (0x8000 * 0x8000 twice
 * wraps to 0x80000000). */
static void pmaddwd(struct cpu *c, struct xmmreg *d, const struct xmmreg *s,
                    unsigned nq, unsigned imm)
{
    struct xmmreg r = { { 0, 0 } };

    (void)c;
    (void)imm;
    for (unsigned k = 0; k < nq * 2; k++) {
        int64_t p = lane_s(d, 16, 2 * k) * lane_s(s, 16, 2 * k) +
                    lane_s(d, 16, 2 * k + 1) * lane_s(s, 16, 2 * k + 1);
        lane_set(&r, 32, k, (uint64_t)p);
    }
    *d = r;
}

/* PMADDUBSW: unsigned bytes of dst times signed bytes of src, pairs added
 * with signed saturation. */
static void pmaddubsw(struct cpu *c, struct xmmreg *d, const struct xmmreg *s,
                      unsigned nq, unsigned imm)
{
    struct xmmreg r = { { 0, 0 } };

    (void)c;
    (void)imm;
    for (unsigned k = 0; k < nq * 4; k++) {
        int64_t p = (int64_t)lane(d, 8, 2 * k) * lane_s(s, 8, 2 * k) +
                    (int64_t)lane(d, 8, 2 * k + 1) * lane_s(s, 8, 2 * k + 1);
        lane_set(&r, 16, k, sat_s(p, 16));
    }
    *d = r;
}

/* PSADBW: per quadword, the sum of the 8 absolute byte differences. */
static void psadbw(struct cpu *c, struct xmmreg *d, const struct xmmreg *s,
                   unsigned nq, unsigned imm)
{
    (void)c;
    (void)imm;
    for (unsigned q = 0; q < nq; q++) {
        uint64_t sum = 0;
        for (unsigned k = 8 * q; k < 8 * q + 8; k++) {
            uint64_t a = lane(d, 8, k), b = lane(s, 8, k);
            sum += a > b ? a - b : b - a;
        }
        d->q[q] = sum;
    }
}

/* Horizontal operations: adjacent pairs of dst, then of src. */
enum { H_ADD, H_SUB, H_ADDS, H_SUBS };

static void horizontal(struct xmmreg *d, const struct xmmreg *s, unsigned nq,
                       unsigned bits, unsigned kind)
{
    unsigned half = nq * 32 / bits;          /* results from each source */
    struct xmmreg r = { { 0, 0 } };

    for (unsigned k = 0; k < 2 * half; k++) {
        const struct xmmreg *v = k < half ? d : s;
        unsigned j = 2 * (k % half);
        int64_t a = lane_s(v, bits, j), b = lane_s(v, bits, j + 1);
        int64_t x = (kind == H_ADD || kind == H_ADDS) ? a + b : a - b;
        lane_set(&r, bits, k, kind >= H_ADDS ? sat_s(x, bits) : (uint64_t)x);
    }
    *d = r;
}

#define HORIZONTAL(name, bits, kind)                                        \
    static void name(struct cpu *c, struct xmmreg *d,                      \
                     const struct xmmreg *s, unsigned nq, unsigned imm)    \
    {                                                                       \
        (void)c;                                                            \
        (void)imm;                                                          \
        horizontal(d, s, nq, bits, kind);                                   \
    }

HORIZONTAL(phaddw, 16, H_ADD)
HORIZONTAL(phaddd, 32, H_ADD)
HORIZONTAL(phaddsw, 16, H_ADDS)
HORIZONTAL(phsubw, 16, H_SUB)
HORIZONTAL(phsubd, 32, H_SUB)
HORIZONTAL(phsubsw, 16, H_SUBS)

/* MPSADBW: eight sums of absolute differences between the 4-byte block of
 * src at imm[1:0] * 4 and the sliding blocks of dst from imm[2] * 4. */
static void mpsadbw(struct cpu *c, struct xmmreg *d, const struct xmmreg *s,
                    unsigned nq, unsigned imm)
{
    unsigned so = (imm & 3) * 4, dofs = ((imm >> 2) & 1) * 4;
    struct xmmreg r = { { 0, 0 } };

    (void)c;
    (void)nq;
    for (unsigned k = 0; k < 8; k++) {
        uint64_t sum = 0;
        for (unsigned j = 0; j < 4; j++) {
            uint64_t a = lane(d, 8, dofs + k + j), b = lane(s, 8, so + j);
            sum += a > b ? a - b : b - a;
        }
        lane_set(&r, 16, k, sum);
    }
    *d = r;
}

/* PHMINPOSUW: the smallest unsigned word of src and its (lowest) index. */
static void phminposuw(struct cpu *c, struct xmmreg *d,
                       const struct xmmreg *s, unsigned nq, unsigned imm)
{
    unsigned best = 0;

    (void)c;
    (void)nq;
    (void)imm;
    for (unsigned k = 1; k < 8; k++)
        if (lane(s, 16, k) < lane(s, 16, best))
            best = k;
    d->q[0] = lane(s, 16, best) | (uint64_t)best << 16;
    d->q[1] = 0;
}

enum {
    PADDB, PADDW, PADDD, PADDQ, PSUBB, PSUBW, PSUBD, PSUBQ,
    PADDSB, PADDSW, PADDUSB, PADDUSW, PSUBSB, PSUBSW, PSUBUSB, PSUBUSW,
    PMULLW, PMULLD, PMULHW, PMULHUW, PMULHRSW, PMULUDQ, PMULDQ,
    PMADDWD, PMADDUBSW, PAVGB, PAVGW, PSADBW, MPSADBW,
    PMINUB, PMINUW, PMINUD, PMAXUB, PMAXUW, PMAXUD,
    PMINSB, PMINSW, PMINSD, PMAXSB, PMAXSW, PMAXSD,
    PSIGNB, PSIGNW, PSIGND, PABSB, PABSW, PABSD,
    PHADDW, PHADDD, PHADDSW, PHSUBW, PHSUBD, PHSUBSW, PHMINPOSUW,
};

static const struct vop ops[] = {
    [PADDB] = VOP(padd8), [PADDW] = VOP(padd16), [PADDD] = VOP(padd32),
    [PADDQ] = VOP(padd64), [PSUBB] = VOP(psub8), [PSUBW] = VOP(psub16),
    [PSUBD] = VOP(psub32), [PSUBQ] = VOP(psub64),
    [PADDSB] = VOP(padds8), [PADDSW] = VOP(padds16),
    [PADDUSB] = VOP(paddus8), [PADDUSW] = VOP(paddus16),
    [PSUBSB] = VOP(psubs8), [PSUBSW] = VOP(psubs16),
    [PSUBUSB] = VOP(psubus8), [PSUBUSW] = VOP(psubus16),
    [PMULLW] = VOP(pmull16), [PMULLD] = VOP(pmull32), [PMULHW] = VOP(pmulh16),
    [PMULHUW] = VOP(pmulhu16), [PMULHRSW] = VOP(pmulhrs16),
    [PMULUDQ] = VOP(pmuludq), [PMULDQ] = VOP(pmuldq),
    [PMADDWD] = VOP(pmaddwd), [PMADDUBSW] = VOP(pmaddubsw),
    [PAVGB] = VOP(pavg8), [PAVGW] = VOP(pavg16), [PSADBW] = VOP(psadbw),
    [MPSADBW] = VOP(mpsadbw),
    [PMINUB] = VOP(pminu8), [PMINUW] = VOP(pminu16), [PMINUD] = VOP(pminu32),
    [PMAXUB] = VOP(pmaxu8), [PMAXUW] = VOP(pmaxu16), [PMAXUD] = VOP(pmaxu32),
    [PMINSB] = VOP(pmins8), [PMINSW] = VOP(pmins16), [PMINSD] = VOP(pmins32),
    [PMAXSB] = VOP(pmaxs8), [PMAXSW] = VOP(pmaxs16), [PMAXSD] = VOP(pmaxs32),
    [PSIGNB] = VOP(psign8), [PSIGNW] = VOP(psign16), [PSIGND] = VOP(psign32),
    [PABSB] = VOP(pabs8), [PABSW] = VOP(pabs16), [PABSD] = VOP(pabs32),
    [PHADDW] = VOP(phaddw), [PHADDD] = VOP(phaddd), [PHADDSW] = VOP(phaddsw),
    [PHSUBW] = VOP(phsubw), [PHSUBD] = VOP(phsubd), [PHSUBSW] = VOP(phsubsw),
    [PHMINPOSUW] = VOP(phminposuw),
};

static void op_int_mmx(struct cpu *c, const struct insn *i)
{
    simd_op_mmx(c, i, &ops[i->arg]);
}

static void op_int_xmm(struct cpu *c, const struct insn *i)
{
    simd_op_xmm(c, i, &ops[i->arg]);
}

/* An MMX form (no prefix) and its XMM form (66). */
#define MX(map, op, arg, fmm, fx, nm)                                       \
    SIMD_ROW(map, op, P_NP, -1, M_ANY, 0, arg, fmm, op_int_mmx, nm),        \
    SIMD_ROW(map, op, P_66, -1, M_ANY, 0, arg, fx, op_int_xmm, nm)
#define X(map, op, arg, feat, nm)                                           \
    SIMD_ROW(map, op, P_66, -1, M_ANY, 0, arg, feat, op_int_xmm, nm)

static const struct opdef defs[] = {
    MX(MAP_0F, 0xfc, PADDB, FEAT_MMX, FEAT_SSE2, "paddb"),
    MX(MAP_0F, 0xfd, PADDW, FEAT_MMX, FEAT_SSE2, "paddw"),
    MX(MAP_0F, 0xfe, PADDD, FEAT_MMX, FEAT_SSE2, "paddd"),
    MX(MAP_0F, 0xd4, PADDQ, FEAT_SSE2, FEAT_SSE2, "paddq"),
    MX(MAP_0F, 0xf8, PSUBB, FEAT_MMX, FEAT_SSE2, "psubb"),
    MX(MAP_0F, 0xf9, PSUBW, FEAT_MMX, FEAT_SSE2, "psubw"),
    MX(MAP_0F, 0xfa, PSUBD, FEAT_MMX, FEAT_SSE2, "psubd"),
    MX(MAP_0F, 0xfb, PSUBQ, FEAT_SSE2, FEAT_SSE2, "psubq"),
    MX(MAP_0F, 0xec, PADDSB, FEAT_MMX, FEAT_SSE2, "paddsb"),
    MX(MAP_0F, 0xed, PADDSW, FEAT_MMX, FEAT_SSE2, "paddsw"),
    MX(MAP_0F, 0xdc, PADDUSB, FEAT_MMX, FEAT_SSE2, "paddusb"),
    MX(MAP_0F, 0xdd, PADDUSW, FEAT_MMX, FEAT_SSE2, "paddusw"),
    MX(MAP_0F, 0xe8, PSUBSB, FEAT_MMX, FEAT_SSE2, "psubsb"),
    MX(MAP_0F, 0xe9, PSUBSW, FEAT_MMX, FEAT_SSE2, "psubsw"),
    MX(MAP_0F, 0xd8, PSUBUSB, FEAT_MMX, FEAT_SSE2, "psubusb"),
    MX(MAP_0F, 0xd9, PSUBUSW, FEAT_MMX, FEAT_SSE2, "psubusw"),
    MX(MAP_0F, 0xd5, PMULLW, FEAT_MMX, FEAT_SSE2, "pmullw"),
    MX(MAP_0F, 0xe5, PMULHW, FEAT_MMX, FEAT_SSE2, "pmulhw"),
    MX(MAP_0F, 0xe4, PMULHUW, FEAT_SSE, FEAT_SSE2, "pmulhuw"),
    MX(MAP_0F, 0xf4, PMULUDQ, FEAT_SSE2, FEAT_SSE2, "pmuludq"),
    MX(MAP_0F, 0xf5, PMADDWD, FEAT_MMX, FEAT_SSE2, "pmaddwd"),
    MX(MAP_0F, 0xe0, PAVGB, FEAT_SSE, FEAT_SSE2, "pavgb"),
    MX(MAP_0F, 0xe3, PAVGW, FEAT_SSE, FEAT_SSE2, "pavgw"),
    MX(MAP_0F, 0xf6, PSADBW, FEAT_SSE, FEAT_SSE2, "psadbw"),
    MX(MAP_0F, 0xda, PMINUB, FEAT_SSE, FEAT_SSE2, "pminub"),
    MX(MAP_0F, 0xde, PMAXUB, FEAT_SSE, FEAT_SSE2, "pmaxub"),
    MX(MAP_0F, 0xea, PMINSW, FEAT_SSE, FEAT_SSE2, "pminsw"),
    MX(MAP_0F, 0xee, PMAXSW, FEAT_SSE, FEAT_SSE2, "pmaxsw"),
    MX(MAP_0F38, 0x01, PHADDW, FEAT_SSSE3, FEAT_SSSE3, "phaddw"),
    MX(MAP_0F38, 0x02, PHADDD, FEAT_SSSE3, FEAT_SSSE3, "phaddd"),
    MX(MAP_0F38, 0x03, PHADDSW, FEAT_SSSE3, FEAT_SSSE3, "phaddsw"),
    MX(MAP_0F38, 0x04, PMADDUBSW, FEAT_SSSE3, FEAT_SSSE3, "pmaddubsw"),
    MX(MAP_0F38, 0x05, PHSUBW, FEAT_SSSE3, FEAT_SSSE3, "phsubw"),
    MX(MAP_0F38, 0x06, PHSUBD, FEAT_SSSE3, FEAT_SSSE3, "phsubd"),
    MX(MAP_0F38, 0x07, PHSUBSW, FEAT_SSSE3, FEAT_SSSE3, "phsubsw"),
    MX(MAP_0F38, 0x08, PSIGNB, FEAT_SSSE3, FEAT_SSSE3, "psignb"),
    MX(MAP_0F38, 0x09, PSIGNW, FEAT_SSSE3, FEAT_SSSE3, "psignw"),
    MX(MAP_0F38, 0x0a, PSIGND, FEAT_SSSE3, FEAT_SSSE3, "psignd"),
    MX(MAP_0F38, 0x0b, PMULHRSW, FEAT_SSSE3, FEAT_SSSE3, "pmulhrsw"),
    MX(MAP_0F38, 0x1c, PABSB, FEAT_SSSE3, FEAT_SSSE3, "pabsb"),
    MX(MAP_0F38, 0x1d, PABSW, FEAT_SSSE3, FEAT_SSSE3, "pabsw"),
    MX(MAP_0F38, 0x1e, PABSD, FEAT_SSSE3, FEAT_SSSE3, "pabsd"),
    X(MAP_0F38, 0x28, PMULDQ, FEAT_SSE41, "pmuldq"),
    X(MAP_0F38, 0x38, PMINSB, FEAT_SSE41, "pminsb"),
    X(MAP_0F38, 0x39, PMINSD, FEAT_SSE41, "pminsd"),
    X(MAP_0F38, 0x3a, PMINUW, FEAT_SSE41, "pminuw"),
    X(MAP_0F38, 0x3b, PMINUD, FEAT_SSE41, "pminud"),
    X(MAP_0F38, 0x3c, PMAXSB, FEAT_SSE41, "pmaxsb"),
    X(MAP_0F38, 0x3d, PMAXSD, FEAT_SSE41, "pmaxsd"),
    X(MAP_0F38, 0x3e, PMAXUW, FEAT_SSE41, "pmaxuw"),
    X(MAP_0F38, 0x3f, PMAXUD, FEAT_SSE41, "pmaxud"),
    X(MAP_0F38, 0x40, PMULLD, FEAT_SSE41, "pmulld"),
    X(MAP_0F38, 0x41, PHMINPOSUW, FEAT_SSE41, "phminposuw"),
    SIMD_ROW(MAP_0F3A, 0x42, P_66, -1, M_ANY, F_IMM8, MPSADBW, FEAT_SSE41,
             op_int_xmm, "mpsadbw"),
};
OPTABLE(optable_sse_int, defs);
