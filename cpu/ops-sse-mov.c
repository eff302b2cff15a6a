/*
 * XMM data movement (SSE, SSE2, SSE3, SSE4.1): whole-register loads and
 * stores (MOVAPS/MOVAPD/MOVDQA aligned, MOVUPS/MOVUPD/MOVDQU/LDDQU not,
 * the non-temporal MOVNTPS/MOVNTPD/MOVNTDQ/MOVNTDQA), the scalar moves
 * MOVSS/MOVSD, the half moves MOVLPS/MOVHPS/MOVLPD/MOVHPD/MOVHLPS/
 * MOVLHPS, MOVD/MOVQ with general registers and memory, the duplicating
 * loads MOVDDUP/MOVSLDUP/MOVSHDUP, MASKMOVDQU, and the general-register
 * non-temporal store MOVNTI.
 */
#include "cpu/simd.h"

/* Whole-register load: arg = the alignment rule (ALIGN_*). */
static void op_load(struct cpu *c, const struct insn *i)
{
    struct xmmreg s;

    simd_avail_sse(c);
    xmm_rm_read(c, i, 16, i->arg, &s);
    *xmm(c, i->reg) = s;
}

/* Whole-register store (to a register too): arg = the alignment rule. */
static void op_store(struct cpu *c, const struct insn *i)
{
    simd_avail_sse(c);
    xmm_rm_write(c, i, 16, i->arg, xmm(c, i->reg));
}

/* MOVSS/MOVSD xmm, xmm/m: arg = 4 or 8 bytes.  From memory the rest of
 * the register is zeroed; between registers only the low lane moves. */
static void op_movs_load(struct cpu *c, const struct insn *i)
{
    unsigned bits = i->arg * 8;
    struct xmmreg s;

    simd_avail_sse(c);
    xmm_rm_read(c, i, i->arg, ALIGN_NONE, &s);
    if (i->mod == 3)
        lane_set(xmm(c, i->reg), bits, 0, lane(&s, bits, 0));
    else
        *xmm(c, i->reg) = s;
}

/* MOVSS/MOVSD xmm/m, xmm */
static void op_movs_store(struct cpu *c, const struct insn *i)
{
    unsigned bits = i->arg * 8;
    const struct xmmreg *s = xmm(c, i->reg);

    simd_avail_sse(c);
    if (i->mod == 3)
        lane_set(xmm(c, i->rm), bits, 0, lane(s, bits, 0));
    else
        simd_store(c, simd_la(c, i, i->arg, true, 0), i->arg, s);
}

/* MOVLPS/MOVLPD/MOVHPS/MOVHPD xmm, m64 and MOVHLPS/MOVLHPS xmm, xmm:
 * arg = the destination half; a register source gives its other half. */
static void op_movhalf_load(struct cpu *c, const struct insn *i)
{
    unsigned h = i->arg;
    struct xmmreg s;

    simd_avail_sse(c);
    xmm_rm_read(c, i, 8, ALIGN_NONE, &s);
    xmm(c, i->reg)->q[h] = i->mod == 3 ? s.q[1 - h] : s.q[0];
}

/* MOVLPS/MOVLPD/MOVHPS/MOVHPD m64, xmm: arg = the source half. */
static void op_movhalf_store(struct cpu *c, const struct insn *i)
{
    struct xmmreg v = { { 0, 0 } };

    simd_avail_sse(c);
    v.q[0] = xmm(c, i->reg)->q[i->arg];
    simd_store(c, simd_la(c, i, 8, true, 0), 8, &v);
}

/* MOVD/MOVQ xmm, r/m32 (r/m64 with REX.W): zero-extended. */
static void op_movd_to_xmm(struct cpu *c, const struct insn *i)
{
    unsigned size = (i->pfx & PFX_REXW) ? 8 : 4;
    uint64_t x;

    simd_avail_sse(c);
    x = simd_gpr_rm_read(c, i, size);
    *xmm(c, i->reg) = (struct xmmreg){ { x, 0 } };
}

/* MOVD/MOVQ r/m32 (r/m64), xmm */
static void op_movd_from_xmm(struct cpu *c, const struct insn *i)
{
    unsigned size = (i->pfx & PFX_REXW) ? 8 : 4;

    simd_avail_sse(c);
    simd_gpr_rm_write(c, i, size, xmm(c, i->reg)->q[0]);
}

/* MOVQ xmm, xmm/m64 (F3 0F 7E): the high half zeroed. */
static void op_movq_load(struct cpu *c, const struct insn *i)
{
    struct xmmreg s;

    simd_avail_sse(c);
    xmm_rm_read(c, i, 8, ALIGN_NONE, &s);
    *xmm(c, i->reg) = (struct xmmreg){ { s.q[0], 0 } };
}

/* MOVQ xmm/m64, xmm (66 0F D6): a register destination's high half is
 * zeroed. */
static void op_movq_store(struct cpu *c, const struct insn *i)
{
    struct xmmreg v = { { 0, 0 } };

    simd_avail_sse(c);
    v.q[0] = xmm(c, i->reg)->q[0];
    xmm_rm_write(c, i, 8, ALIGN_NONE, &v);
}

/* ---- duplicating loads --------------------------------------------------- */

static void movddup(struct cpu *c, struct xmmreg *d, const struct xmmreg *s,
                    unsigned nq, unsigned imm)
{
    (void)c;
    (void)nq;
    (void)imm;
    d->q[0] = d->q[1] = s->q[0];
}

/* MOVSLDUP (odd = 0) and MOVSHDUP (odd = 1): dwords 0,0,2,2 or 1,1,3,3. */
static void dup_dwords(struct xmmreg *d, const struct xmmreg *s, unsigned odd)
{
    uint64_t lo = lane(s, 32, odd), hi = lane(s, 32, 2 + odd);

    d->q[0] = lo | lo << 32;
    d->q[1] = hi | hi << 32;
}

static void movsldup(struct cpu *c, struct xmmreg *d, const struct xmmreg *s,
                     unsigned nq, unsigned imm)
{
    (void)c;
    (void)nq;
    (void)imm;
    dup_dwords(d, s, 0);
}

static void movshdup(struct cpu *c, struct xmmreg *d, const struct xmmreg *s,
                     unsigned nq, unsigned imm)
{
    (void)c;
    (void)nq;
    (void)imm;
    dup_dwords(d, s, 1);
}

enum { MOVDDUP, MOVSLDUP, MOVSHDUP };

static const struct vop dup_ops[] = {
    [MOVDDUP] = { movddup, 0, 8, false },
    [MOVSLDUP] = VOP(movsldup),
    [MOVSHDUP] = VOP(movshdup),
};

static void op_dup(struct cpu *c, const struct insn *i)
{
    simd_op_xmm(c, i, &dup_ops[i->arg]);
}

/* MASKMOVDQU xmm, xmm: the bytes of reg whose rm byte has its top bit set
 * go to DS:rDI. */
static void op_maskmovdqu(struct cpu *c, const struct insn *i)
{
    uint64_t la;

    simd_avail_sse(c);
    la = maskmov_la(c, i, 16);
    maskmov_store(c, la, xmm(c, i->reg), xmm(c, i->rm), 16);
}

/* MOVNTI m32/m64, r32/r64 (SSE2): a plain store, without the CR0/CR4
 * conditions of the XMM instructions; 32-bit unless REX.W (there is no
 * 16-bit form, and 66 makes it invalid). */
static void op_movnti(struct cpu *c, const struct insn *i)
{
    unsigned size = (i->pfx & PFX_REXW) ? 8 : 4;

    mem_write(c, i->seg, insn_ea(c, i), size, reg_read(c, i->reg, size));
}

#define ROW(op, pfx, mod, arg, feat, fn, nm)                                \
    SIMD_ROW(MAP_0F, op, pfx, -1, mod, 0, arg, feat, fn, nm)

static const struct opdef defs[] = {
    ROW(0x10, P_NP, M_ANY, ALIGN_NONE, FEAT_SSE, op_load, "movups"),
    ROW(0x10, P_66, M_ANY, ALIGN_NONE, FEAT_SSE2, op_load, "movupd"),
    ROW(0x10, P_F3, M_ANY, 4, FEAT_SSE, op_movs_load, "movss"),
    ROW(0x10, P_F2, M_ANY, 8, FEAT_SSE2, op_movs_load, "movsd"),
    ROW(0x11, P_NP, M_ANY, ALIGN_NONE, FEAT_SSE, op_store, "movups"),
    ROW(0x11, P_66, M_ANY, ALIGN_NONE, FEAT_SSE2, op_store, "movupd"),
    ROW(0x11, P_F3, M_ANY, 4, FEAT_SSE, op_movs_store, "movss"),
    ROW(0x11, P_F2, M_ANY, 8, FEAT_SSE2, op_movs_store, "movsd"),
    ROW(0x12, P_NP, M_MEM, 0, FEAT_SSE, op_movhalf_load, "movlps"),
    ROW(0x12, P_NP, M_REG, 0, FEAT_SSE, op_movhalf_load, "movhlps"),
    ROW(0x12, P_66, M_MEM, 0, FEAT_SSE2, op_movhalf_load, "movlpd"),
    ROW(0x12, P_F2, M_ANY, MOVDDUP, FEAT_SSE3, op_dup, "movddup"),
    ROW(0x12, P_F3, M_ANY, MOVSLDUP, FEAT_SSE3, op_dup, "movsldup"),
    ROW(0x13, P_NP, M_MEM, 0, FEAT_SSE, op_movhalf_store, "movlps"),
    ROW(0x13, P_66, M_MEM, 0, FEAT_SSE2, op_movhalf_store, "movlpd"),
    ROW(0x16, P_NP, M_MEM, 1, FEAT_SSE, op_movhalf_load, "movhps"),
    ROW(0x16, P_NP, M_REG, 1, FEAT_SSE, op_movhalf_load, "movlhps"),
    ROW(0x16, P_66, M_MEM, 1, FEAT_SSE2, op_movhalf_load, "movhpd"),
    ROW(0x16, P_F3, M_ANY, MOVSHDUP, FEAT_SSE3, op_dup, "movshdup"),
    ROW(0x17, P_NP, M_MEM, 1, FEAT_SSE, op_movhalf_store, "movhps"),
    ROW(0x17, P_66, M_MEM, 1, FEAT_SSE2, op_movhalf_store, "movhpd"),
    ROW(0x28, P_NP, M_ANY, ALIGN_ALWAYS, FEAT_SSE, op_load, "movaps"),
    ROW(0x28, P_66, M_ANY, ALIGN_ALWAYS, FEAT_SSE2, op_load, "movapd"),
    ROW(0x29, P_NP, M_ANY, ALIGN_ALWAYS, FEAT_SSE, op_store, "movaps"),
    ROW(0x29, P_66, M_ANY, ALIGN_ALWAYS, FEAT_SSE2, op_store, "movapd"),
    ROW(0x2b, P_NP, M_MEM, ALIGN_ALWAYS, FEAT_SSE, op_store, "movntps"),
    ROW(0x2b, P_66, M_MEM, ALIGN_ALWAYS, FEAT_SSE2, op_store, "movntpd"),
    ROW(0x6f, P_66, M_ANY, ALIGN_ALWAYS, FEAT_SSE2, op_load, "movdqa"),
    ROW(0x6f, P_F3, M_ANY, ALIGN_NONE, FEAT_SSE2, op_load, "movdqu"),
    ROW(0x7f, P_66, M_ANY, ALIGN_ALWAYS, FEAT_SSE2, op_store, "movdqa"),
    ROW(0x7f, P_F3, M_ANY, ALIGN_NONE, FEAT_SSE2, op_store, "movdqu"),
    ROW(0xe7, P_66, M_MEM, ALIGN_ALWAYS, FEAT_SSE2, op_store, "movntdq"),
    ROW(0xf0, P_F2, M_MEM, ALIGN_NONE, FEAT_SSE3, op_load, "lddqu"),
    SIMD_ROW(MAP_0F38, 0x2a, P_66, -1, M_MEM, 0, ALIGN_ALWAYS, FEAT_SSE41, op_load,
             "movntdqa"),
    ROW(0x6e, P_66, M_ANY, 0, FEAT_SSE2, op_movd_to_xmm, "movd"),
    ROW(0x7e, P_66, M_ANY, 0, FEAT_SSE2, op_movd_from_xmm, "movd"),
    ROW(0x7e, P_F3, M_ANY, 0, FEAT_SSE2, op_movq_load, "movq"),
    ROW(0xd6, P_66, M_ANY, 0, FEAT_SSE2, op_movq_store, "movq"),
    ROW(0xf7, P_66, M_REG, 0, FEAT_SSE2, op_maskmovdqu, "maskmovdqu"),
    ROW(0xc3, P_NP, M_MEM, 0, FEAT_SSE2, op_movnti, "movnti"),
};
OPTABLE(optable_sse_mov, defs);
