/*
 * Single lanes in and out of MMX and XMM registers: PINSRB/W/D/Q,
 * PEXTRB/W/D/Q, INSERTPS, EXTRACTPS, the sign-bit masks PMOVMSKB,
 * MOVMSKPS and MOVMSKPD, and the widening moves PMOVSX and PMOVZX.
 */
#include "cpu/simd.h"

/* The lane width in bytes of a PINSR/PEXTR row: its arg, or 8 for the
 * REX.W form of a D row; FIXED rows (EXTRACTPS) ignore REX.W. */
#define FIXED 0x40

static unsigned ins_ext_size(const struct insn *i)
{
    if (i->arg & FIXED)
        return i->arg & ~FIXED;
    return i->arg == 4 && (i->pfx & PFX_REXW) ? 8 : i->arg;
}

/* PINSRW mm, r32/m16, imm8 */
static void op_pinsrw_mmx(struct cpu *c, const struct insn *i)
{
    struct xmmreg v = { { 0, 0 } };
    uint64_t x;

    simd_avail_mmx(c);
    x = simd_gpr_rm_read(c, i, 2);
    mmx_commit(c);
    v.q[0] = mmx_get(c, i->reg);
    lane_set(&v, 16, (unsigned)i->imm & 3, x);
    mmx_set(c, i->reg, v.q[0]);
}

/* PINSRB/PINSRW/PINSRD/PINSRQ xmm, r/m, imm8: arg = lane bytes. */
static void op_pinsr_xmm(struct cpu *c, const struct insn *i)
{
    unsigned size = ins_ext_size(i), n = 16 / size;
    uint64_t x;

    simd_avail_sse(c);
    x = simd_gpr_rm_read(c, i, size);
    lane_set(xmm(c, i->reg), size * 8, (unsigned)i->imm & (n - 1), x);
}

/* PEXTRW r32, mm, imm8 (register operand only) */
static void op_pextrw_mmx(struct cpu *c, const struct insn *i)
{
    struct xmmreg v = { { 0, 0 } };

    simd_avail_mmx(c);
    mmx_commit(c);
    v.q[0] = mmx_get(c, i->rm);
    reg_write(c, i->reg, 4, lane(&v, 16, (unsigned)i->imm & 3));
}

/* PEXTRW r32, xmm, imm8 (0F C5: register operand only) */
static void op_pextrw_reg(struct cpu *c, const struct insn *i)
{
    simd_avail_sse(c);
    reg_write(c, i->reg, 4, lane(xmm(c, i->rm), 16, (unsigned)i->imm & 7));
}

/* PEXTRB/PEXTRW/PEXTRD/PEXTRQ/EXTRACTPS r/m, xmm, imm8: arg = lane bytes;
 * a register destination is zero-extended. */
static void op_pextr(struct cpu *c, const struct insn *i)
{
    unsigned size = ins_ext_size(i), n = 16 / size;

    simd_avail_sse(c);
    simd_gpr_rm_write(c, i, size, lane(xmm(c, i->reg), size * 8,
                                       (unsigned)i->imm & (n - 1)));
}

/* INSERTPS xmm, xmm/m32, imm8: the dword of src picked by imm[7:6] (a
 * memory operand is the dword itself) goes to dword imm[5:4]; imm[3:0]
 * then zeroes dwords. */
static void op_insertps(struct cpu *c, const struct insn *i)
{
    unsigned imm = (unsigned)i->imm & 0xff;
    struct xmmreg s, *d;
    uint64_t x;

    simd_avail_sse(c);
    xmm_rm_read(c, i, 4, ALIGN_NONE, &s);
    x = lane(&s, 32, i->mod == 3 ? imm >> 6 : 0);
    d = xmm(c, i->reg);
    lane_set(d, 32, (imm >> 4) & 3, x);
    for (unsigned k = 0; k < 4; k++)
        if ((imm >> k) & 1)
            lane_set(d, 32, k, 0);
}

/* The sign bits of the lanes of width bits of v. */
static uint64_t sign_mask(const struct xmmreg *v, unsigned bits, unsigned n)
{
    uint64_t m = 0;

    for (unsigned k = 0; k < n; k++)
        m |= (lane(v, bits, k) >> (bits - 1)) << k;
    return m;
}

/* PMOVMSKB r32, mm */
static void op_pmovmskb_mmx(struct cpu *c, const struct insn *i)
{
    struct xmmreg v = { { 0, 0 } };

    simd_avail_mmx(c);
    mmx_commit(c);
    v.q[0] = mmx_get(c, i->rm);
    reg_write(c, i->reg, 4, sign_mask(&v, 8, 8));
}

/* PMOVMSKB / MOVMSKPS / MOVMSKPD r32, xmm: arg = lane bits. */
static void op_movmsk_xmm(struct cpu *c, const struct insn *i)
{
    simd_avail_sse(c);
    reg_write(c, i->reg, 4, sign_mask(xmm(c, i->rm), i->arg, 128 / i->arg));
}

/* PMOVSX / PMOVZX: the low lanes of src widened. */
static void widen(struct xmmreg *d, const struct xmmreg *s, unsigned from,
                  unsigned to, bool sign)
{
    struct xmmreg r = { { 0, 0 } };

    for (unsigned k = 0; k < 128 / to; k++)
        lane_set(&r, to, k, sign ? (uint64_t)lane_s(s, from, k)
                                 : lane(s, from, k));
    *d = r;
}

#define WIDEN(name, from, to, sign)                                         \
    static void name(struct cpu *c, struct xmmreg *d,                      \
                     const struct xmmreg *s, unsigned nq, unsigned imm)    \
    {                                                                       \
        (void)c;                                                            \
        (void)nq;                                                           \
        (void)imm;                                                          \
        widen(d, s, from, to, sign);                                        \
    }

WIDEN(pmovsxbw, 8, 16, true)
WIDEN(pmovsxbd, 8, 32, true)
WIDEN(pmovsxbq, 8, 64, true)
WIDEN(pmovsxwd, 16, 32, true)
WIDEN(pmovsxwq, 16, 64, true)
WIDEN(pmovsxdq, 32, 64, true)
WIDEN(pmovzxbw, 8, 16, false)
WIDEN(pmovzxbd, 8, 32, false)
WIDEN(pmovzxbq, 8, 64, false)
WIDEN(pmovzxwd, 16, 32, false)
WIDEN(pmovzxwq, 16, 64, false)
WIDEN(pmovzxdq, 32, 64, false)

/* By the low 3 bits of the opcode (20..25 sign-extend, 30..35 zero);
 * the memory operand is just the bytes used. */
static const struct vop widen_ops[2][6] = {
    { { pmovsxbw, 0, 8, false }, { pmovsxbd, 0, 4, false },
      { pmovsxbq, 0, 2, false }, { pmovsxwd, 0, 8, false },
      { pmovsxwq, 0, 4, false }, { pmovsxdq, 0, 8, false } },
    { { pmovzxbw, 0, 8, false }, { pmovzxbd, 0, 4, false },
      { pmovzxbq, 0, 2, false }, { pmovzxwd, 0, 8, false },
      { pmovzxwq, 0, 4, false }, { pmovzxdq, 0, 8, false } },
};

/* arg = the opcode's low 4 bits (decode adds the offset within the
 * row's run), the row's own arg says sign (0) or zero (1) extension. */
static void op_pmovx(struct cpu *c, const struct insn *i)
{
    simd_op_xmm(c, i, &widen_ops[i->arg >> 4][i->arg & 7]);
}

#define LROW(map, op, pfx, mod, fl, arg, feat, fn, nm)                      \
    SIMD_ROW(map, op, pfx, -1, mod, F_IMM8 | (fl), arg, feat, fn, nm)
#define WROW(op, arg, nm)                                                   \
    { MAP_0F38, op, 6, P_66, -1, M_ANY, -1, F_MODRM, arg, FEAT_SSE41,       \
      op_pmovx, nm }

static const struct opdef defs[] = {
    LROW(MAP_0F, 0xc4, P_NP, M_ANY, 0, 2, FEAT_SSE, op_pinsrw_mmx, "pinsrw"),
    LROW(MAP_0F, 0xc4, P_66, M_ANY, 0, 2, FEAT_SSE2, op_pinsr_xmm, "pinsrw"),
    LROW(MAP_0F3A, 0x20, P_66, M_ANY, 0, 1, FEAT_SSE41, op_pinsr_xmm, "pinsrb"),
    LROW(MAP_0F3A, 0x22, P_66, M_ANY, 0, 4, FEAT_SSE41, op_pinsr_xmm, "pinsrd"),
    LROW(MAP_0F, 0xc5, P_NP, M_REG, 0, 0, FEAT_SSE, op_pextrw_mmx, "pextrw"),
    LROW(MAP_0F, 0xc5, P_66, M_REG, 0, 0, FEAT_SSE2, op_pextrw_reg, "pextrw"),
    LROW(MAP_0F3A, 0x14, P_66, M_ANY, 0, 1, FEAT_SSE41, op_pextr, "pextrb"),
    LROW(MAP_0F3A, 0x15, P_66, M_ANY, 0, 2, FEAT_SSE41, op_pextr, "pextrw"),
    LROW(MAP_0F3A, 0x16, P_66, M_ANY, 0, 4, FEAT_SSE41, op_pextr, "pextrd"),
    LROW(MAP_0F3A, 0x17, P_66, M_ANY, 0, 4 | FIXED, FEAT_SSE41, op_pextr,
         "extractps"),
    LROW(MAP_0F3A, 0x21, P_66, M_ANY, 0, 0, FEAT_SSE41, op_insertps, "insertps"),
    SIMD_ROW(MAP_0F, 0xd7, P_NP, -1, M_REG, 0, 8, FEAT_SSE, op_pmovmskb_mmx,
             "pmovmskb"),
    SIMD_ROW(MAP_0F, 0xd7, P_66, -1, M_REG, 0, 8, FEAT_SSE2, op_movmsk_xmm,
             "pmovmskb"),
    SIMD_ROW(MAP_0F, 0x50, P_NP, -1, M_REG, 0, 32, FEAT_SSE, op_movmsk_xmm,
             "movmskps"),
    SIMD_ROW(MAP_0F, 0x50, P_66, -1, M_REG, 0, 64, FEAT_SSE2, op_movmsk_xmm,
             "movmskpd"),
    WROW(0x20, 0x00, "pmovsx"),
    WROW(0x30, 0x10, "pmovzx"),
};
OPTABLE(optable_sse_lane, defs);
