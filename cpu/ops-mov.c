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

/* ---- forms specialised at decode time ---------------------------------- */

#define MOV_FAST(sz)                                                        \
static void op_mov_EGr##sz(struct cpu *c, const struct insn *i)             \
{ reg_write(c, i->rm, sz, reg_read(c, i->reg, sz)); }                       \
static void op_mov_EGm##sz(struct cpu *c, const struct insn *i)             \
{ lin_write(c, insn_la(c, i, sz, true), sz, reg_read(c, i->reg, sz)); }     \
static void op_mov_GEr##sz(struct cpu *c, const struct insn *i)             \
{ reg_write(c, i->reg, sz, reg_read(c, i->rm, sz)); }                       \
static void op_mov_GEm##sz(struct cpu *c, const struct insn *i)             \
{ reg_write(c, i->reg, sz, lin_read(c, insn_la(c, i, sz, false), sz)); }    \
static void op_mov_EIr##sz(struct cpu *c, const struct insn *i)             \
{ reg_write(c, i->rm, sz, i->imm); }                                        \
static void op_mov_EIm##sz(struct cpu *c, const struct insn *i)             \
{ lin_write(c, insn_la(c, i, sz, true), sz, i->imm); }                      \
static void op_mov_RI##sz(struct cpu *c, const struct insn *i)              \
{ reg_write(c, i->reg, sz, i->imm); }                                       \
static void op_lea##sz(struct cpu *c, const struct insn *i)                 \
{ reg_write(c, i->reg, sz, insn_ea(c, i)); }

MOV_FAST(1)
MOV_FAST(4)
MOV_FAST(8)

/* MOVZX/MOVSX from ssz bytes into dsz, register or memory source. */
#define MOVX_FAST(ssz, sx, dsz)                                             \
static void op_movx_r##ssz##sx##dsz(struct cpu *c, const struct insn *i)    \
{                                                                           \
    uint64_t v = reg_read(c, i->rm, ssz);                                   \
    reg_write(c, i->reg, dsz, sx ? (uint64_t)sext(v, ssz) : v);             \
}                                                                           \
static void op_movx_m##ssz##sx##dsz(struct cpu *c, const struct insn *i)    \
{                                                                           \
    uint64_t v = lin_read(c, insn_la(c, i, ssz, false), ssz);               \
    reg_write(c, i->reg, dsz, sx ? (uint64_t)sext(v, ssz) : v);             \
}

MOVX_FAST(1, 0, 4) MOVX_FAST(1, 0, 8) MOVX_FAST(2, 0, 4) MOVX_FAST(2, 0, 8)
MOVX_FAST(1, 1, 4) MOVX_FAST(1, 1, 8) MOVX_FAST(2, 1, 4) MOVX_FAST(2, 1, 8)
MOVX_FAST(4, 1, 8)

/* [register, memory][destination size 4, 8] by source: zx8 zx16 sx8 sx16 */
static const insn_fn movx_fast[4][2][2] = {
    { { op_movx_r104, op_movx_r108 }, { op_movx_m104, op_movx_m108 } },
    { { op_movx_r204, op_movx_r208 }, { op_movx_m204, op_movx_m208 } },
    { { op_movx_r114, op_movx_r118 }, { op_movx_m114, op_movx_m118 } },
    { { op_movx_r214, op_movx_r218 }, { op_movx_m214, op_movx_m218 } },
};

#define CMOV_FAST(sz)                                                       \
static void op_cmov_r##sz(struct cpu *c, const struct insn *i)              \
{                                                                           \
    uint64_t v = reg_read(c, i->rm, sz);                                    \
    reg_write(c, i->reg, sz, cond_eval(c, i->arg) ? v : reg_read(c, i->reg, sz)); \
}                                                                           \
static void op_cmov_m##sz(struct cpu *c, const struct insn *i)              \
{                                                                           \
    uint64_t v = lin_read(c, insn_la(c, i, sz, false), sz);                 \
    reg_write(c, i->reg, sz, cond_eval(c, i->arg) ? v : reg_read(c, i->reg, sz)); \
}

CMOV_FAST(4)
CMOV_FAST(8)

static void op_setcc_r(struct cpu *c, const struct insn *i)
{
    reg_write(c, i->rm, 1, cond_eval(c, i->arg));
}

/* [register, memory][size 1, 4, 8] */
static const insn_fn mov_fast[4][2][3] = {
    { { op_mov_EGr1, op_mov_EGr4, op_mov_EGr8 },
      { op_mov_EGm1, op_mov_EGm4, op_mov_EGm8 } },
    { { op_mov_GEr1, op_mov_GEr4, op_mov_GEr8 },
      { op_mov_GEm1, op_mov_GEm4, op_mov_GEm8 } },
    { { op_mov_EIr1, op_mov_EIr4, op_mov_EIr8 },
      { op_mov_EIm1, op_mov_EIm4, op_mov_EIm8 } },
    { { op_mov_RI1, op_mov_RI4, op_mov_RI8 },
      { op_lea1, op_lea4, op_lea8 } },
};

static insn_fn mov_pick(const struct insn *i, unsigned dmode)
{
    const struct opdef *d = i->def;
    unsigned sz = fast_size(i->opsz), mem = i->mod != 3;

    (void)dmode;
    if (d->map == MAP_0F && d->fn == op_movx && (sz == 1 || sz == 2))
        return movx_fast[(d->op & 1) | (d->arg >> 6)][mem][sz - 1];
    if (d->map == MAP_0F && d->fn == op_cmov && (sz == 1 || sz == 2))
        return mem ? (sz == 1 ? op_cmov_m4 : op_cmov_m8)
                   : (sz == 1 ? op_cmov_r4 : op_cmov_r8);
    if (d->map == MAP_0F && d->fn == op_setcc && !mem)
        return op_setcc_r;
    if (d->map != MAP_1B || sz == 3)
        return NULL;
    if (d->fn == op_movsxd && sz == 2)
        return mem ? op_movx_m418 : op_movx_r418;
    if (d->fn == op_lea && sz)
        return mov_fast[3][1][sz];
    if (d->fn == op_mov_EG)
        return mov_fast[0][mem][sz];
    if (d->fn == op_mov_GE)
        return mov_fast[1][mem][sz];
    if (d->fn == op_mov_EI)
        return mov_fast[2][mem][sz];
    if (d->fn == op_mov_RI)
        return mov_fast[3][0][sz];
    return NULL;
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
OPTABLE_PICK(optable_mov, defs, mov_pick);
