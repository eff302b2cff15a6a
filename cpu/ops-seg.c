/*
 * Segment instructions: MOV/PUSH/POP Sreg, LDS/LES/LSS/LFS/LGS, far JMP,
 * CALL and RET, the descriptor-table registers (LGDT... STR), LAR, LSL,
 * VERR, VERW, ARPL, SWAPGS and the FS/GS base instructions.  Loads and
 * transfers themselves are in seg.c and far.c.
 */
#include "cpu/cpu-priv.h"

static void need_cpl0(struct cpu *c)
{
    if (c->cpl != 0)
        raise_gp(c, 0);
}

static void need_prot(struct cpu *c)
{
    if (c->mode == MODE_REAL || (c->rflags & FL_VM))
        raise_ud(c);
}

/* MOV SS and POP SS block interrupts (and end the block) for one insn. */
static void after_seg_load(struct cpu *c, unsigned seg)
{
    if (seg == SEG_SS) {
        c->priv->irq_inhibit = 1;
        c->priv->stop_block = true;
    }
}

/* ---- MOV, PUSH, POP ------------------------------------------------------- */

static void op_mov_from_sreg(struct cpu *c, const struct insn *i)
{
    if ((i->reg & 7) > SEG_GS)
        raise_ud(c);
    uint16_t sel = c->seg[i->reg & 7].sel;
    if (i->mod == 3)
        reg_write(c, i->rm, i->opsz, sel);
    else
        rm_write(c, i, 2, sel);
}

static void op_mov_to_sreg(struct cpu *c, const struct insn *i)
{
    unsigned seg = i->reg & 7;

    if (seg > SEG_GS || seg == SEG_CS)
        raise_ud(c);
    seg_load(c, seg, (uint16_t)rm_read(c, i, 2));
    after_seg_load(c, seg);
}

static void op_push_sreg(struct cpu *c, const struct insn *i)
{
    push(c, i->opsz, c->seg[i->arg].sel);
}

/* The value is read first, the segment loaded, and only then rSP moves. */
static void op_pop_sreg(struct cpu *c, const struct insn *i)
{
    unsigned ss = stack_size(c);
    uint64_t m = size_mask(ss);
    uint64_t sp = c->r[R_SP] & m;
    uint16_t sel = (uint16_t)mem_read(c, SEG_SS, sp, 2);

    if (i->opsz != 2)            /* the whole slot must be readable */
        mem_read(c, SEG_SS, sp, i->opsz);
    seg_load(c, i->arg, sel);
    c->r[R_SP] = (c->r[R_SP] & ~m) | ((sp + i->opsz) & m);
    after_seg_load(c, i->arg);
}

/* LDS, LES, LSS, LFS, LGS: offset, then selector. */
static void op_load_far_ptr(struct cpu *c, const struct insn *i)
{
    uint64_t ea = insn_ea(c, i);
    uint64_t off = mem_read(c, i->seg, ea, i->opsz);
    uint16_t sel = (uint16_t)mem_read(c, i->seg, (ea + i->opsz) &
                                      size_mask(i->asz), 2);

    seg_load(c, i->arg, sel);
    reg_write(c, i->reg, i->opsz, off);
    after_seg_load(c, i->arg);
}

/* ---- far transfers -------------------------------------------------------- */

static void op_jmp_far_direct(struct cpu *c, const struct insn *i)
{
    far_jump(c, i->imm2, i->imm, i->opsz);
}

static void op_call_far_direct(struct cpu *c, const struct insn *i)
{
    far_call(c, i->imm2, i->imm, i->opsz);
}

static void read_far_ptr(struct cpu *c, const struct insn *i, uint64_t *off,
                         uint16_t *sel)
{
    uint64_t ea = insn_ea(c, i);
    *off = mem_read(c, i->seg, ea, i->opsz);
    *sel = (uint16_t)mem_read(c, i->seg, (ea + i->opsz) & size_mask(i->asz),
                              2);
}

static void op_jmp_far_indirect(struct cpu *c, const struct insn *i)
{
    uint64_t off;
    uint16_t sel;

    read_far_ptr(c, i, &off, &sel);
    far_jump(c, sel, off, i->opsz);
}

static void op_call_far_indirect(struct cpu *c, const struct insn *i)
{
    uint64_t off;
    uint16_t sel;

    read_far_ptr(c, i, &off, &sel);
    far_call(c, sel, off, i->opsz);
}

static void op_ret_far(struct cpu *c, const struct insn *i)
{
    far_ret(c, i->opsz, (i->def->flags & F_IMM16) ? (unsigned)i->imm : 0);
}

/* ---- descriptor-table registers -------------------------------------------- */

/* Pseudo-descriptor: 16-bit limit, then a 24-, 32- or 64-bit base. */
static void op_lgdt_lidt(struct cpu *c, const struct insn *i)
{
    need_cpl0(c);
    uint64_t ea = insn_ea(c, i);
    unsigned bsz = c->mode == MODE_LONG64 ? 8 : 4;
    uint16_t limit = (uint16_t)mem_read(c, i->seg, ea, 2);
    uint64_t base = mem_read(c, i->seg, (ea + 2) & size_mask(i->asz), bsz);

    if (c->mode == MODE_LONG64 && !is_canonical48(base))
        raise_gp(c, 0);
    if (c->mode != MODE_LONG64 && i->opsz == 2)
        base &= 0xffffff;
    struct dtr *t = i->arg ? &c->idtr : &c->gdtr;
    t->base = base;
    t->limit = limit;
}

static void op_sgdt_sidt(struct cpu *c, const struct insn *i)
{
    const struct dtr *t = i->arg ? &c->idtr : &c->gdtr;
    uint64_t ea = insn_ea(c, i);
    unsigned bsz = c->mode == MODE_LONG64 ? 8 : 4;

    /* Check both parts before writing either. */
    seg_linear(c, i->seg, (ea + 2) & size_mask(i->asz), bsz, true);
    mem_write(c, i->seg, ea, 2, t->limit);
    mem_write(c, i->seg, (ea + 2) & size_mask(i->asz), bsz, t->base);
}

static void op_sldt_str(struct cpu *c, const struct insn *i)
{
    need_prot(c);
    uint16_t sel = i->arg ? c->tr.sel : c->ldtr.sel;
    if (i->mod == 3)
        reg_write(c, i->rm, i->opsz, sel);
    else
        rm_write(c, i, 2, sel);
}

static void op_lldt(struct cpu *c, const struct insn *i)
{
    struct desc d;
    bool lma = c->efer & EFER_LMA;

    need_prot(c);
    need_cpl0(c);
    uint16_t sel = (uint16_t)rm_read(c, i, 2);
    if (sel_null(sel)) {
        c->ldtr = (struct seg){ sel, 0, 0, 0 };
        return;
    }
    if (sel & 4)
        raise_gp(c, sel_err(sel));
    desc_fetch(c, sel, lma, &d, EXC_GP, 0);
    if (desc_s(&d) || desc_type(&d) != 2)
        raise_gp(c, sel_err(sel));
    if (!desc_p(&d))
        cpu_raise(c, EXC_NP, true, sel_err(sel));
    uint64_t base = desc_base(&d, lma);
    if (lma && !is_canonical48(base))
        raise_gp(c, sel_err(sel));
    c->ldtr = (struct seg){ sel, desc_attr(&d), desc_limit(&d), base };
}

static void op_ltr(struct cpu *c, const struct insn *i)
{
    struct desc d;
    bool lma = c->efer & EFER_LMA;

    need_prot(c);
    need_cpl0(c);
    uint16_t sel = (uint16_t)rm_read(c, i, 2);
    if (sel_null(sel))
        raise_gp(c, 0);
    if (sel & 4)
        raise_gp(c, sel_err(sel));
    desc_fetch(c, sel, lma, &d, EXC_GP, 0);
    unsigned type = desc_type(&d);
    if (desc_s(&d) || (lma ? type != 9 : (type != 1 && type != 9)))
        raise_gp(c, sel_err(sel));
    if (!desc_p(&d))
        cpu_raise(c, EXC_NP, true, sel_err(sel));
    uint64_t base = desc_base(&d, lma);
    if (lma && !is_canonical48(base))
        raise_gp(c, sel_err(sel));
    d.hi |= 0x200;                                      /* busy */
    sys_write(c, d.la + 5, 1, (d.hi >> 8) & 0xff);
    c->tr = (struct seg){ sel, desc_attr(&d), desc_limit(&d), base };
}

/* ---- LAR, LSL, VERR, VERW, ARPL --------------------------------------------------- */

static void set_zf(struct cpu *c, bool z)
{
    flags_set_eager(c, z ? FL_ZF : 0, FL_ZF);
}

/* Reads the descriptor for LAR/LSL/VERR/VERW and applies the privilege
 * rule they share; false (ZF = 0) when it is not visible. */
static bool visible_desc(struct cpu *c, uint16_t sel, struct desc *d)
{
    if (sel_null(sel) || !desc_read(c, sel, false, d))
        return false;
    if (desc_conforming(d))
        return true;
    return desc_dpl(d) >= c->cpl && desc_dpl(d) >= (sel & 3);
}

/* System descriptor types LAR (lar = true) or LSL accept. */
static bool sys_type_ok(const struct cpu *c, unsigned type, bool lar)
{
    static const uint16_t legacy_lar = 1u << 1 | 1u << 2 | 1u << 3 |
        1u << 4 | 1u << 5 | 1u << 9 | 1u << 11 | 1u << 12;
    static const uint16_t legacy_lsl = 1u << 1 | 1u << 2 | 1u << 3 |
        1u << 9 | 1u << 11;
    static const uint16_t long_lar = 1u << 2 | 1u << 9 | 1u << 11 | 1u << 12;
    static const uint16_t long_lsl = 1u << 2 | 1u << 9 | 1u << 11;
    uint16_t ok = (c->efer & EFER_LMA) ? (lar ? long_lar : long_lsl)
                                       : (lar ? legacy_lar : legacy_lsl);
    return (ok >> type) & 1;
}

static void op_lar_lsl(struct cpu *c, const struct insn *i)
{
    struct desc d;
    bool lar = !i->arg;

    need_prot(c);
    uint16_t sel = (uint16_t)rm_read(c, i, 2);
    if (!visible_desc(c, sel, &d) ||
        (!desc_s(&d) && !sys_type_ok(c, desc_type(&d), lar))) {
        set_zf(c, false);
        return;
    }
    uint64_t v = lar ? (d.hi & 0x00f0ff00u) : desc_limit(&d);
    reg_write(c, i->reg, i->opsz, v);
    set_zf(c, true);
}

static void op_verr_verw(struct cpu *c, const struct insn *i)
{
    struct desc d;
    bool write = i->arg;

    need_prot(c);
    uint16_t sel = (uint16_t)rm_read(c, i, 2);
    bool ok = visible_desc(c, sel, &d) && desc_s(&d);
    if (ok && write)
        ok = desc_is_data(&d) && (d.hi & 0x200);
    else if (ok)
        ok = desc_is_data(&d) || (d.hi & 0x200);
    set_zf(c, ok);
}

static void op_arpl(struct cpu *c, const struct insn *i)
{
    need_prot(c);
    uint64_t dst = rm_read(c, i, 2);
    unsigned src_rpl = (unsigned)reg_read(c, i->reg, 2) & 3;
    if ((dst & 3) < src_rpl) {
        rm_write(c, i, 2, (dst & ~3ull) | src_rpl);
        set_zf(c, true);
    } else {
        set_zf(c, false);
    }
}

/* ---- 64-bit FS/GS bases ---------------------------------------------------------- */

static void op_swapgs(struct cpu *c, const struct insn *i)
{
    (void)i;
    need_cpl0(c);
    uint64_t t = c->seg[SEG_GS].base;
    c->seg[SEG_GS].base = c->kernel_gs_base;
    c->kernel_gs_base = t;
}

static void need_fsgsbase(struct cpu *c)
{
    if (!(c->cr4 & CR4_FSGSBASE))
        raise_ud(c);
}

static void op_rd_fsgs_base(struct cpu *c, const struct insn *i)
{
    need_fsgsbase(c);
    reg_write(c, i->rm, i->opsz, c->seg[i->arg].base);
}

static void op_wr_fsgs_base(struct cpu *c, const struct insn *i)
{
    need_fsgsbase(c);
    uint64_t v = reg_read(c, i->rm, i->opsz);
    if (!is_canonical48(v))
        raise_gp(c, 0);
    c->seg[i->arg].base = v;
}

#define R(map, op, pfx, ext, mod, modrm, flags, arg, feat, fn, name) \
    { map, op, 1, pfx, ext, mod, modrm, flags, arg, feat, fn, name }

static const struct opdef defs[] = {
    R(MAP_1B, 0x8c, P_ANY, -1, M_ANY, -1, F_MODRM, 0, 0, op_mov_from_sreg, "mov"),
    R(MAP_1B, 0x8e, P_ANY, -1, M_ANY, -1, F_MODRM, 0, 0, op_mov_to_sreg, "mov"),
    R(MAP_1B, 0x06, P_ANY, -1, M_ANY, -1, F_I64, SEG_ES, 0, op_push_sreg, "push"),
    R(MAP_1B, 0x0e, P_ANY, -1, M_ANY, -1, F_I64, SEG_CS, 0, op_push_sreg, "push"),
    R(MAP_1B, 0x16, P_ANY, -1, M_ANY, -1, F_I64, SEG_SS, 0, op_push_sreg, "push"),
    R(MAP_1B, 0x1e, P_ANY, -1, M_ANY, -1, F_I64, SEG_DS, 0, op_push_sreg, "push"),
    R(MAP_0F, 0xa0, P_ANY, -1, M_ANY, -1, F_D64, SEG_FS, 0, op_push_sreg, "push"),
    R(MAP_0F, 0xa8, P_ANY, -1, M_ANY, -1, F_D64, SEG_GS, 0, op_push_sreg, "push"),
    R(MAP_1B, 0x07, P_ANY, -1, M_ANY, -1, F_I64, SEG_ES, 0, op_pop_sreg, "pop"),
    R(MAP_1B, 0x17, P_ANY, -1, M_ANY, -1, F_I64, SEG_SS, 0, op_pop_sreg, "pop"),
    R(MAP_1B, 0x1f, P_ANY, -1, M_ANY, -1, F_I64, SEG_DS, 0, op_pop_sreg, "pop"),
    R(MAP_0F, 0xa1, P_ANY, -1, M_ANY, -1, F_D64, SEG_FS, 0, op_pop_sreg, "pop"),
    R(MAP_0F, 0xa9, P_ANY, -1, M_ANY, -1, F_D64, SEG_GS, 0, op_pop_sreg, "pop"),
    R(MAP_1B, 0xc4, P_ANY, -1, M_MEM, -1, F_MODRM | F_I64, SEG_ES, 0, op_load_far_ptr, "les"),
    R(MAP_1B, 0xc5, P_ANY, -1, M_MEM, -1, F_MODRM | F_I64, SEG_DS, 0, op_load_far_ptr, "lds"),
    R(MAP_0F, 0xb2, P_ANY, -1, M_MEM, -1, F_MODRM, SEG_SS, 0, op_load_far_ptr, "lss"),
    R(MAP_0F, 0xb4, P_ANY, -1, M_MEM, -1, F_MODRM, SEG_FS, 0, op_load_far_ptr, "lfs"),
    R(MAP_0F, 0xb5, P_ANY, -1, M_MEM, -1, F_MODRM, SEG_GS, 0, op_load_far_ptr, "lgs"),
    R(MAP_1B, 0xea, P_ANY, -1, M_ANY, -1, F_FARPTR | F_I64 | F_END, 0, 0, op_jmp_far_direct, "ljmp"),
    R(MAP_1B, 0x9a, P_ANY, -1, M_ANY, -1, F_FARPTR | F_I64 | F_END, 0, 0, op_call_far_direct, "lcall"),
    R(MAP_1B, 0xff, P_ANY, 5, M_MEM, -1, F_MODRM | F_END, 0, 0, op_jmp_far_indirect, "ljmp"),
    R(MAP_1B, 0xff, P_ANY, 3, M_MEM, -1, F_MODRM | F_END, 0, 0, op_call_far_indirect, "lcall"),
    R(MAP_1B, 0xcb, P_ANY, -1, M_ANY, -1, F_END, 0, 0, op_ret_far, "lret"),
    R(MAP_1B, 0xca, P_ANY, -1, M_ANY, -1, F_IMM16 | F_END, 0, 0, op_ret_far, "lret"),
    R(MAP_0F, 0x01, P_ANY, 0, M_MEM, -1, F_MODRM, 0, 0, op_sgdt_sidt, "sgdt"),
    R(MAP_0F, 0x01, P_ANY, 1, M_MEM, -1, F_MODRM, 1, 0, op_sgdt_sidt, "sidt"),
    R(MAP_0F, 0x01, P_ANY, 2, M_MEM, -1, F_MODRM | F_PRIV, 0, 0, op_lgdt_lidt, "lgdt"),
    R(MAP_0F, 0x01, P_ANY, 3, M_MEM, -1, F_MODRM | F_PRIV, 1, 0, op_lgdt_lidt, "lidt"),
    R(MAP_0F, 0x00, P_ANY, 0, M_ANY, -1, F_MODRM, 0, 0, op_sldt_str, "sldt"),
    R(MAP_0F, 0x00, P_ANY, 1, M_ANY, -1, F_MODRM, 1, 0, op_sldt_str, "str"),
    R(MAP_0F, 0x00, P_ANY, 2, M_ANY, -1, F_MODRM | F_PRIV, 0, 0, op_lldt, "lldt"),
    R(MAP_0F, 0x00, P_ANY, 3, M_ANY, -1, F_MODRM | F_PRIV, 0, 0, op_ltr, "ltr"),
    R(MAP_0F, 0x00, P_ANY, 4, M_ANY, -1, F_MODRM, 0, 0, op_verr_verw, "verr"),
    R(MAP_0F, 0x00, P_ANY, 5, M_ANY, -1, F_MODRM, 1, 0, op_verr_verw, "verw"),
    R(MAP_0F, 0x02, P_ANY, -1, M_ANY, -1, F_MODRM, 0, 0, op_lar_lsl, "lar"),
    R(MAP_0F, 0x03, P_ANY, -1, M_ANY, -1, F_MODRM, 1, 0, op_lar_lsl, "lsl"),
    R(MAP_1B, 0x63, P_ANY, -1, M_ANY, -1, F_MODRM | F_I64, 0, 0, op_arpl, "arpl"),
    R(MAP_0F, 0x01, P_ANY, -1, M_REG, 0xf8, F_MODRM | F_O64 | F_PRIV, 0, 0, op_swapgs, "swapgs"),
    R(MAP_0F, 0xae, P_F3, 0, M_REG, -1, F_MODRM | F_O64, SEG_FS, FEAT_FSGSBASE, op_rd_fsgs_base, "rdfsbase"),
    R(MAP_0F, 0xae, P_F3, 1, M_REG, -1, F_MODRM | F_O64, SEG_GS, FEAT_FSGSBASE, op_rd_fsgs_base, "rdgsbase"),
    R(MAP_0F, 0xae, P_F3, 2, M_REG, -1, F_MODRM | F_O64, SEG_FS, FEAT_FSGSBASE, op_wr_fsgs_base, "wrfsbase"),
    R(MAP_0F, 0xae, P_F3, 3, M_REG, -1, F_MODRM | F_O64, SEG_GS, FEAT_FSGSBASE, op_wr_fsgs_base, "wrgsbase"),
};
OPTABLE(optable_seg, defs);
