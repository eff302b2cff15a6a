/*
 * Shifts on MMX and XMM registers: PSRL/PSRA/PSLL by a register or memory
 * count and by an immediate (the 0F 71..73 groups), the whole-register
 * byte shifts PSRLDQ/PSLLDQ, and PALIGNR.
 */
#include "cpu/simd.h"

enum { SRL, SRA, SLL, BSRL, BSLL };

struct shift {
    uint8_t kind;
    uint8_t bits;
};

enum {
    PSRLW, PSRLD, PSRLQ, PSRAW, PSRAD, PSLLW, PSLLD, PSLLQ, PSRLDQ, PSLLDQ,
};

static const struct shift shifts[] = {
    [PSRLW] = { SRL, 16 }, [PSRLD] = { SRL, 32 }, [PSRLQ] = { SRL, 64 },
    [PSRAW] = { SRA, 16 }, [PSRAD] = { SRA, 32 },
    [PSLLW] = { SLL, 16 }, [PSLLD] = { SLL, 32 }, [PSLLQ] = { SLL, 64 },
    [PSRLDQ] = { BSRL, 128 }, [PSLLDQ] = { BSLL, 128 },
};

/* The whole 128-bit register shifted by n bytes (0..15). */
static void byte_shift(struct xmmreg *v, unsigned n, bool left)
{
    unsigned b = n * 8;

    if (b == 0)
        return;
    if (left) {
        v->q[1] = b >= 64 ? v->q[0] << (b - 64)
                          : v->q[1] << b | v->q[0] >> (64 - b);
        v->q[0] = b >= 64 ? 0 : v->q[0] << b;
    } else {
        v->q[0] = b >= 64 ? v->q[1] >> (b - 64)
                          : v->q[0] >> b | v->q[1] << (64 - b);
        v->q[1] = b >= 64 ? 0 : v->q[1] >> b;
    }
}

/* Shift the nq quadwords of v by count (a count past the lane width gives
 * zeros, or copies of the sign for SRA). */
static void vshift(struct xmmreg *v, unsigned nq, const struct shift *sh,
                   uint64_t count)
{
    unsigned bits = sh->bits;

    if (sh->kind == BSRL || sh->kind == BSLL) {
        if (count > 15) {
            v->q[0] = v->q[1] = 0;
            return;
        }
        byte_shift(v, (unsigned)count, sh->kind == BSLL);
        return;
    }
    if (count >= bits) {
        if (sh->kind != SRA) {
            v->q[0] = v->q[1] = 0;
            return;
        }
        count = bits - 1;
    }
    for (unsigned k = 0; k < nq * 64 / bits; k++) {
        uint64_t a = lane(v, bits, k);
        uint64_t r = sh->kind == SRL ? a >> count
                   : sh->kind == SLL ? a << count
                   : (uint64_t)(sext(a, bits / 8) >> count);
        lane_set(v, bits, k, r);
    }
}

/* By an MMX register or m64 / an XMM register or m128: the count is the
 * whole low quadword. */
static void op_shift_mmx(struct cpu *c, const struct insn *i)
{
    struct xmmreg v = { { 0, 0 } };
    uint64_t count;

    simd_avail_mmx(c);
    count = mmx_rm_read(c, i, 8);
    mmx_commit(c);
    v.q[0] = mmx_get(c, i->reg);
    vshift(&v, 1, &shifts[i->arg], count);
    mmx_set(c, i->reg, v.q[0]);
}

static void op_shift_xmm(struct cpu *c, const struct insn *i)
{
    struct xmmreg s;

    simd_avail_sse(c);
    xmm_rm_read(c, i, 16, ALIGN_SSE, &s);
    vshift(xmm(c, i->reg), 2, &shifts[i->arg], s.q[0]);
}

/* By imm8: the register operand is ModRM.rm. */
static void op_shifti_mmx(struct cpu *c, const struct insn *i)
{
    struct xmmreg v = { { 0, 0 } };

    simd_avail_mmx(c);
    mmx_commit(c);
    v.q[0] = mmx_get(c, i->rm);
    vshift(&v, 1, &shifts[i->arg], i->imm & 0xff);
    mmx_set(c, i->rm, v.q[0]);
}

static void op_shifti_xmm(struct cpu *c, const struct insn *i)
{
    simd_avail_sse(c);
    vshift(xmm(c, i->rm), 2, &shifts[i->arg], i->imm & 0xff);
}

/* PALIGNR: dst:src (dst high) shifted right by imm8 bytes, the low half
 * kept. */
static void palignr(struct cpu *c, struct xmmreg *d, const struct xmmreg *s,
                    unsigned nq, unsigned imm)
{
    unsigned n = nq * 8;                /* bytes per operand */
    struct xmmreg r = { { 0, 0 } };

    (void)c;
    for (unsigned k = 0; k < n; k++) {
        unsigned j = k + imm;
        uint64_t b = j < n ? lane(s, 8, j) : j < 2 * n ? lane(d, 8, j - n) : 0;
        lane_set(&r, 8, k, b);
    }
    *d = r;
}

static const struct vop palignr_op = { palignr, 0, 0, false };

static void op_palignr_mmx(struct cpu *c, const struct insn *i)
{
    simd_op_mmx(c, i, &palignr_op);
}

static void op_palignr_xmm(struct cpu *c, const struct insn *i)
{
    simd_op_xmm(c, i, &palignr_op);
}

#define MX(op, arg, nm)                                                     \
    SIMD_ROW(MAP_0F, op, P_NP, -1, M_ANY, 0, arg, FEAT_MMX, op_shift_mmx, nm), \
    SIMD_ROW(MAP_0F, op, P_66, -1, M_ANY, 0, arg, FEAT_SSE2, op_shift_xmm, nm)
#define MXI(op, ext, arg, nm)                                               \
    SIMD_ROW(MAP_0F, op, P_NP, ext, M_REG, F_IMM8, arg, FEAT_MMX,           \
             op_shifti_mmx, nm),                                            \
    SIMD_ROW(MAP_0F, op, P_66, ext, M_REG, F_IMM8, arg, FEAT_SSE2,          \
             op_shifti_xmm, nm)

static const struct opdef defs[] = {
    MX(0xd1, PSRLW, "psrlw"),
    MX(0xd2, PSRLD, "psrld"),
    MX(0xd3, PSRLQ, "psrlq"),
    MX(0xe1, PSRAW, "psraw"),
    MX(0xe2, PSRAD, "psrad"),
    MX(0xf1, PSLLW, "psllw"),
    MX(0xf2, PSLLD, "pslld"),
    MX(0xf3, PSLLQ, "psllq"),
    MXI(0x71, 2, PSRLW, "psrlw"),
    MXI(0x71, 4, PSRAW, "psraw"),
    MXI(0x71, 6, PSLLW, "psllw"),
    MXI(0x72, 2, PSRLD, "psrld"),
    MXI(0x72, 4, PSRAD, "psrad"),
    MXI(0x72, 6, PSLLD, "pslld"),
    MXI(0x73, 2, PSRLQ, "psrlq"),
    MXI(0x73, 6, PSLLQ, "psllq"),
    SIMD_ROW(MAP_0F, 0x73, P_66, 3, M_REG, F_IMM8, PSRLDQ, FEAT_SSE2,
             op_shifti_xmm, "psrldq"),
    SIMD_ROW(MAP_0F, 0x73, P_66, 7, M_REG, F_IMM8, PSLLDQ, FEAT_SSE2,
             op_shifti_xmm, "pslldq"),
    SIMD_ROW(MAP_0F3A, 0x0f, P_NP, -1, M_ANY, F_IMM8, 0, FEAT_SSSE3,
             op_palignr_mmx, "palignr"),
    SIMD_ROW(MAP_0F3A, 0x0f, P_66, -1, M_ANY, F_IMM8, 0, FEAT_SSSE3,
             op_palignr_xmm, "palignr"),
};
OPTABLE(optable_sse_shift, defs);
