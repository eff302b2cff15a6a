/*
 * The MMX register file: EMMS, and moving data into, out of and between
 * MMX registers (MOVD/MOVQ with general registers and memory, MOVNTQ,
 * MOVQ2DQ/MOVDQ2Q with XMM registers, MASKMOVQ).  Every instruction here
 * but EMMS switches the x87 to MMX state (simd.h: mmx_commit).  The MMX
 * arithmetic lives with its XMM forms in ops-sse-*.c.
 */
#include "cpu/simd.h"

/* EMMS: every tag empty; like AMD, TOP = 0 too. */
static void op_emms(struct cpu *c, const struct insn *i)
{
    (void)i;
    simd_avail_mmx(c);
    simd_x87_pending(c);
    c->fpu.ftw = 0xffff;
    c->fpu.fsw &= (uint16_t)~FSW_TOP;
}

/* MOVD mm, r/m32 (MOVQ mm, r/m64 with REX.W): zero-extended. */
static void op_movd_to_mmx(struct cpu *c, const struct insn *i)
{
    uint64_t x;

    simd_avail_mmx(c);
    x = simd_gpr_rm_read(c, i, (i->pfx & PFX_REXW) ? 8 : 4);
    mmx_commit(c);
    mmx_set(c, i->reg, x);
}

/* A store of an MMX register's low size bytes to r/m: a general register
 * (zero-extended to 32 bits), an MMX register (size 8) or memory. */
static void mmx_store(struct cpu *c, const struct insn *i, unsigned size,
                      bool to_mmx)
{
    uint64_t x = mmx_get(c, i->reg), la;

    if (i->mod == 3) {
        mmx_commit(c);
        if (to_mmx)
            mmx_set(c, i->rm, x);
        else
            reg_write(c, i->rm, size, x);
        return;
    }
    la = simd_store_la(c, i, size);
    mmx_commit(c);
    lin_write(c, la, size, x & size_mask(size));
}

/* MOVD r/m32, mm (MOVQ r/m64, mm with REX.W) */
static void op_movd_from_mmx(struct cpu *c, const struct insn *i)
{
    simd_avail_mmx(c);
    mmx_store(c, i, (i->pfx & PFX_REXW) ? 8 : 4, false);
}

/* MOVQ mm, mm/m64 */
static void op_movq_to_mmx(struct cpu *c, const struct insn *i)
{
    uint64_t x;

    simd_avail_mmx(c);
    x = mmx_rm_read(c, i, 8);
    mmx_commit(c);
    mmx_set(c, i->reg, x);
}

/* MOVQ mm/m64, mm and MOVNTQ m64, mm */
static void op_movq_from_mmx(struct cpu *c, const struct insn *i)
{
    simd_avail_mmx(c);
    mmx_store(c, i, 8, true);
}

/* MOVQ2DQ xmm, mm */
static void op_movq2dq(struct cpu *c, const struct insn *i)
{
    simd_avail_mix(c);
    mmx_commit(c);
    *xmm(c, i->reg) = (struct xmmreg){ { mmx_get(c, i->rm), 0 } };
}

/* MOVDQ2Q mm, xmm */
static void op_movdq2q(struct cpu *c, const struct insn *i)
{
    simd_avail_mix(c);
    mmx_commit(c);
    mmx_set(c, i->reg, xmm(c, i->rm)->q[0]);
}

/* MASKMOVQ mm, mm: the data is ModRM.reg, the mask ModRM.rm.  Unlike the
 * other MMX stores it switches to MMX state before its store can fault
 * (AMD). */
static void op_maskmovq(struct cpu *c, const struct insn *i)
{
    struct xmmreg data = { { 0, 0 } }, mask = { { 0, 0 } };
    uint64_t la;

    simd_avail_mmx(c);
    mmx_commit(c);
    la = maskmov_la(c, i, 8);
    data.q[0] = mmx_get(c, i->reg);
    mask.q[0] = mmx_get(c, i->rm);
    maskmov_store(c, la, &data, &mask, 8);
}

#define ROW(op, pfx, mod, feat, fn, nm)                                     \
    SIMD_ROW(MAP_0F, op, pfx, -1, mod, 0, 0, feat, fn, nm)

static const struct opdef defs[] = {
    { MAP_0F, 0x77, 1, P_NP, -1, M_ANY, -1, 0, 0, FEAT_MMX, op_emms, "emms" },
    ROW(0x6e, P_NP, M_ANY, FEAT_MMX, op_movd_to_mmx, "movd"),
    ROW(0x7e, P_NP, M_ANY, FEAT_MMX, op_movd_from_mmx, "movd"),
    ROW(0x6f, P_NP, M_ANY, FEAT_MMX, op_movq_to_mmx, "movq"),
    ROW(0x7f, P_NP, M_ANY, FEAT_MMX, op_movq_from_mmx, "movq"),
    ROW(0xe7, P_NP, M_MEM, FEAT_SSE, op_movq_from_mmx, "movntq"),
    ROW(0xd6, P_F3, M_REG, FEAT_SSE2, op_movq2dq, "movq2dq"),
    ROW(0xd6, P_F2, M_REG, FEAT_SSE2, op_movdq2q, "movdq2q"),
    ROW(0xf7, P_NP, M_REG, FEAT_SSE, op_maskmovq, "maskmovq"),
};
OPTABLE(optable_mmx, defs);
