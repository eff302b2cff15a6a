/*
 * Data movement: MOV in its general forms, MOVZX/MOVSX/MOVSXD, LEA, XCHG,
 * CMOVcc, SETcc, MOVBE, XLAT and the accumulator sign extensions.
 */
#include "cpu/cpu-priv.h"

static void op_mov_EG(struct cpu *c, const struct insn *i)
{
    rm_write(c, i, i->opsz, reg_read(c, i->reg, i->opsz));
}

static void op_mov_GE(struct cpu *c, const struct insn *i)
{
    reg_write(c, i->reg, i->opsz, rm_read(c, i, i->opsz));
}

static void op_mov_EI(struct cpu *c, const struct insn *i)
{
    rm_write(c, i, i->opsz, i->imm);
}

/* B0+r / B8+r */
static void op_mov_RI(struct cpu *c, const struct insn *i)
{
    reg_write(c, i->reg, i->opsz, i->imm);
}

/* A0-A3: accumulator <-> moffs */
static void op_mov_AO(struct cpu *c, const struct insn *i)
{
    reg_write(c, R_AX, i->opsz, mem_read(c, i->seg, i->imm, i->opsz));
}

static void op_mov_OA(struct cpu *c, const struct insn *i)
{
    mem_write(c, i->seg, i->imm, i->opsz, reg_read(c, R_AX, i->opsz));
}

static void op_lea(struct cpu *c, const struct insn *i)
{
    reg_write(c, i->reg, i->opsz, insn_ea(c, i));
}

/* MOVZX/MOVSX: arg = source size, bit 7 = sign-extend */
static void op_movx(struct cpu *c, const struct insn *i)
{
    unsigned ssz = i->arg & 0x7f;
    uint64_t v = rm_read(c, i, ssz);
    if (i->arg & 0x80)
        v = (uint64_t)sext(v, ssz);
    reg_write(c, i->reg, i->opsz, v);
}

/* MOVSXD (63 in 64-bit mode).  As on AMD, the source is read as 32 bits
 * even with a 16-bit operand size (which then keeps its low half). */
static void op_movsxd(struct cpu *c, const struct insn *i)
{
    reg_write(c, i->reg, i->opsz, (uint64_t)sext(rm_read(c, i, 4), 4));
}

static void op_xchg_EG(struct cpu *c, const struct insn *i)
{
    unsigned sz = i->opsz;
    uint64_t g = reg_read(c, i->reg, sz);

    if (i->mod == 3) {
        uint64_t e = reg_read(c, i->rm, sz);
        reg_write(c, i->rm, sz, g);
        reg_write(c, i->reg, sz, e);
        return;
    }
    uint64_t la = seg_linear(c, i->seg, insn_ea(c, i), sz, true);
    uint64_t e = lin_read_rmw(c, la, sz);
    lin_write(c, la, sz, g);
    reg_write(c, i->reg, sz, e);
}

/* 90+r; 90 without REX.B is NOP (and F3 90 PAUSE) */
static void op_xchg_AR(struct cpu *c, const struct insn *i)
{
    unsigned sz = i->opsz;
    if (i->reg == R_AX)
        return;
    uint64_t a = reg_read(c, R_AX, sz);
    reg_write(c, R_AX, sz, reg_read(c, i->reg, sz));
    reg_write(c, i->reg, sz, a);
}

static void op_cmov(struct cpu *c, const struct insn *i)
{
    uint64_t v = rm_read(c, i, i->opsz);       /* read (and fault) always */
    if (cond_eval(c, i->arg))
        reg_write(c, i->reg, i->opsz, v);
    else if (i->opsz == 4)
        c->r[i->reg] &= 0xffffffffull;          /* 32-bit dest zero-extends */
}

static void op_setcc(struct cpu *c, const struct insn *i)
{
    rm_write(c, i, 1, cond_eval(c, i->arg));
}

static uint64_t bswap_n(uint64_t v, unsigned size)
{
    uint64_t r = 0;
    for (unsigned k = 0; k < size; k++)
        r |= ((v >> (8 * k)) & 0xff) << (8 * (size - 1 - k));
    return r;
}

static void op_movbe_GM(struct cpu *c, const struct insn *i)
{
    reg_write(c, i->reg, i->opsz, bswap_n(rm_read(c, i, i->opsz), i->opsz));
}

static void op_movbe_MG(struct cpu *c, const struct insn *i)
{
    rm_write(c, i, i->opsz, bswap_n(reg_read(c, i->reg, i->opsz), i->opsz));
}

static void op_xlat(struct cpu *c, const struct insn *i)
{
    uint64_t ea = (c->r[R_BX] + (c->r[R_AX] & 0xff)) & size_mask(i->asz);
    reg_write(c, R_AX, 1, mem_read(c, i->seg, ea, 1));
}

/* CBW / CWDE / CDQE */
static void op_cbw(struct cpu *c, const struct insn *i)
{
    unsigned half = i->opsz / 2;
    reg_write(c, R_AX, i->opsz, (uint64_t)sext(c->r[R_AX], half));
}

/* CWD / CDQ / CQO */
static void op_cwd(struct cpu *c, const struct insn *i)
{
    bool neg = reg_read(c, R_AX, i->opsz) & sign_bit(i->opsz);
    reg_write(c, R_DX, i->opsz, neg ? ~0ull : 0);
}

#define R(map, op, n, pfx, ext, mod, fl, arg, feat, fn, nm) \
    { map, op, n, pfx, ext, mod, -1, fl, arg, feat, fn, nm }

static const struct opdef defs[] = {
    R(MAP_1B, 0x88, 1, P_ANY, -1, M_ANY, F_MODRM | F_BYTE, 0, 0, op_mov_EG, "mov"),
    R(MAP_1B, 0x89, 1, P_ANY, -1, M_ANY, F_MODRM, 0, 0, op_mov_EG, "mov"),
    R(MAP_1B, 0x8a, 1, P_ANY, -1, M_ANY, F_MODRM | F_BYTE, 0, 0, op_mov_GE, "mov"),
    R(MAP_1B, 0x8b, 1, P_ANY, -1, M_ANY, F_MODRM, 0, 0, op_mov_GE, "mov"),
    R(MAP_1B, 0x8d, 1, P_ANY, -1, M_MEM, F_MODRM, 0, 0, op_lea, "lea"),
    R(MAP_1B, 0xa0, 1, P_ANY, -1, M_ANY, F_BYTE | F_MOFFS, 0, 0, op_mov_AO, "mov"),
    R(MAP_1B, 0xa1, 1, P_ANY, -1, M_ANY, F_MOFFS, 0, 0, op_mov_AO, "mov"),
    R(MAP_1B, 0xa2, 1, P_ANY, -1, M_ANY, F_BYTE | F_MOFFS, 0, 0, op_mov_OA, "mov"),
    R(MAP_1B, 0xa3, 1, P_ANY, -1, M_ANY, F_MOFFS, 0, 0, op_mov_OA, "mov"),
    R(MAP_1B, 0xb0, 8, P_ANY, -1, M_ANY, F_OPREG | F_BYTE | F_IMM8, 0, 0, op_mov_RI, "mov"),
    R(MAP_1B, 0xb8, 8, P_ANY, -1, M_ANY, F_OPREG | F_IMMV, 0, 0, op_mov_RI, "mov"),
    R(MAP_1B, 0xc6, 1, P_ANY, 0, M_ANY, F_MODRM | F_BYTE | F_IMM8, 0, 0, op_mov_EI, "mov"),
    R(MAP_1B, 0xc7, 1, P_ANY, 0, M_ANY, F_MODRM | F_IMMZ, 0, 0, op_mov_EI, "mov"),
    R(MAP_0F, 0xb6, 1, P_ANY, -1, M_ANY, F_MODRM | F_RM8, 1, 0, op_movx, "movzx"),
    R(MAP_0F, 0xb7, 1, P_ANY, -1, M_ANY, F_MODRM, 2, 0, op_movx, "movzx"),
    R(MAP_0F, 0xbe, 1, P_ANY, -1, M_ANY, F_MODRM | F_RM8, 0x81, 0, op_movx, "movsx"),
    R(MAP_0F, 0xbf, 1, P_ANY, -1, M_ANY, F_MODRM, 0x82, 0, op_movx, "movsx"),
    R(MAP_1B, 0x63, 1, P_ANY, -1, M_ANY, F_MODRM | F_O64, 0, 0, op_movsxd, "movsxd"),
    R(MAP_1B, 0x86, 1, P_ANY, -1, M_ANY, F_MODRM | F_BYTE | F_LOCK, 0, 0, op_xchg_EG, "xchg"),
    R(MAP_1B, 0x87, 1, P_ANY, -1, M_ANY, F_MODRM | F_LOCK, 0, 0, op_xchg_EG, "xchg"),
    R(MAP_1B, 0x90, 8, P_ANY, -1, M_ANY, F_OPREG, 0, 0, op_xchg_AR, "xchg"),
    R(MAP_0F, 0x40, 16, P_ANY, -1, M_ANY, F_MODRM, 0, FEAT_CMOV, op_cmov, "cmovcc"),
    R(MAP_0F, 0x90, 16, P_ANY, -1, M_ANY, F_MODRM | F_BYTE, 0, 0, op_setcc, "setcc"),
    R(MAP_0F38, 0xf0, 1, P_NP, -1, M_MEM, F_MODRM, 0, FEAT_MOVBE, op_movbe_GM, "movbe"),
    R(MAP_0F38, 0xf0, 1, P_66, -1, M_MEM, F_MODRM, 0, FEAT_MOVBE, op_movbe_GM, "movbe"),
    R(MAP_0F38, 0xf1, 1, P_NP, -1, M_MEM, F_MODRM, 0, FEAT_MOVBE, op_movbe_MG, "movbe"),
    R(MAP_0F38, 0xf1, 1, P_66, -1, M_MEM, F_MODRM, 0, FEAT_MOVBE, op_movbe_MG, "movbe"),
    R(MAP_1B, 0xd7, 1, P_ANY, -1, M_ANY, 0, 0, 0, op_xlat, "xlat"),
    R(MAP_1B, 0x98, 1, P_ANY, -1, M_ANY, 0, 0, 0, op_cbw, "cbw"),
    R(MAP_1B, 0x99, 1, P_ANY, -1, M_ANY, 0, 0, 0, op_cwd, "cwd"),
};
OPTABLE(optable_mov, defs);
