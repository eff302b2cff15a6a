/*
 * Odds and ends: NOPs and hints, UD0/1/2, the CF/DF instructions,
 * LAHF/SAHF, CMPXCHG, CMPXCHG8B/16B, XADD, fences and CLFLUSH.
 */
#include "cpu/cpu-priv.h"

static void op_nop(struct cpu *c, const struct insn *i)
{
    (void)c; (void)i;
}

/* UD0/UD1/UD2: defined to raise #UD (never a --strict stop). */
static void op_ud2(struct cpu *c, const struct insn *i)
{
    (void)i;
    raise_ud(c);
}

/* arg: 0 CLC, 1 STC, 2 CMC */
static void op_carry(struct cpu *c, const struct insn *i)
{
    uint32_t cf = i->arg == 0 ? 0 : i->arg == 1 ? FL_CF
                : (flag_cf(c) ? 0 : FL_CF);
    flags_set_eager(c, cf, FL_CF);
}

/* arg: 0 CLD, 1 STD */
static void op_dir(struct cpu *c, const struct insn *i)
{
    if (i->arg)
        c->rflags |= FL_DF;
    else
        c->rflags &= ~(uint64_t)FL_DF;
}

static void op_lahf(struct cpu *c, const struct insn *i)
{
    (void)i;
    reg_write(c, R_AX + REG_HIGH8, 1, (cpu_get_rflags(c) & 0xd5) | 2);
}

static void op_sahf(struct cpu *c, const struct insn *i)
{
    (void)i;
    flags_set_eager(c, (uint32_t)(c->r[R_AX] >> 8),
                    FL_CF | FL_PF | FL_AF | FL_ZF | FL_SF);
}

static void op_cmpxchg(struct cpu *c, const struct insn *i)
{
    unsigned sz = i->opsz;
    uint64_t acc = reg_read(c, R_AX, sz);
    uint64_t src = reg_read(c, i->reg, sz);
    uint64_t d;

    if (i->mod == 3) {
        d = reg_read(c, i->rm, sz);
        lf_set(c, LF_SUB, sz, acc - d, acc, d);
        if (acc == d)
            reg_write(c, i->rm, sz, src);
        else
            reg_write(c, R_AX, sz, d);
        return;
    }
    uint64_t la = seg_linear(c, i->seg, insn_ea(c, i), sz, true);
    d = lin_read_rmw(c, la, sz);
    /* The destination is always written (old value on mismatch). */
    lin_write(c, la, sz, acc == d ? src : d);
    lf_set(c, LF_SUB, sz, acc - d, acc, d);
    if (acc != d)
        reg_write(c, R_AX, sz, d);
}

/* CMPXCHG8B / CMPXCHG16B (REX.W) */
static void op_cmpxchg8b(struct cpu *c, const struct insn *i)
{
    bool wide = i->pfx & PFX_REXW;
    unsigned half = wide ? 8 : 4;
    uint64_t ea = insn_ea(c, i);

    if (wide && !cpuid_has(FEAT_CX16))
        raise_ud(c);
    if (wide && (ea & 15))
        raise_gp(c, 0);
    uint64_t la = seg_linear(c, i->seg, ea, half * 2, true);
    uint64_t lo = lin_read_rmw(c, la, half), hi = lin_read_rmw(c, la + half, half);
    uint64_t a = reg_read(c, R_AX, half), d = reg_read(c, R_DX, half);
    bool eq = lo == a && hi == d;

    if (eq) {
        lin_write(c, la, half, reg_read(c, R_BX, half));
        lin_write(c, la + half, half, reg_read(c, R_CX, half));
    } else {
        lin_write(c, la, half, lo);
        lin_write(c, la + half, half, hi);
        reg_write(c, R_AX, half, lo);
        reg_write(c, R_DX, half, hi);
    }
    flags_set_eager(c, eq ? FL_ZF : 0, FL_ZF);
}

static void op_xadd(struct cpu *c, const struct insn *i)
{
    unsigned sz = i->opsz;
    uint64_t s = reg_read(c, i->reg, sz);

    if (i->mod == 3) {
        uint64_t d = reg_read(c, i->rm, sz);
        lf_set(c, LF_ADD, sz, d + s, d, s);
        reg_write(c, i->reg, sz, d);
        reg_write(c, i->rm, sz, d + s);
        return;
    }
    uint64_t la = seg_linear(c, i->seg, insn_ea(c, i), sz, true);
    uint64_t d = lin_read_rmw(c, la, sz);
    lin_write(c, la, sz, d + s);
    lf_set(c, LF_ADD, sz, d + s, d, s);
    reg_write(c, i->reg, sz, d);
}

/* CLFLUSH: a memory operand that must be accessible (as a read). */
static void op_clflush(struct cpu *c, const struct insn *i)
{
    mem_read(c, i->seg, insn_ea(c, i), 1);
}

/* SALC (undocumented, 32-bit modes): AL = CF ? 0xff : 0. */
static void op_salc(struct cpu *c, const struct insn *i)
{
    (void)i;
    reg_write(c, R_AX, 1, flag_cf(c) ? 0xff : 0);
}

/* BOUND r, m16&16 / m32&32 (32-bit modes): #BR when out of range. */
static void op_bound(struct cpu *c, const struct insn *i)
{
    unsigned sz = i->opsz;
    uint64_t ea = insn_ea(c, i);
    int64_t lo = sext(mem_read(c, i->seg, ea, sz), sz);
    int64_t hi = sext(mem_read(c, i->seg, (ea + sz) & size_mask(i->asz), sz),
                      sz);
    int64_t v = sext(reg_read(c, i->reg, sz), sz);

    if (v < lo || v > hi)
        cpu_raise(c, EXC_BR, false, 0);
}

#define R(map, op, n, pfx, ext, mod, fl, arg, feat, fn, nm) \
    { map, op, n, pfx, ext, mod, -1, fl, arg, feat, fn, nm }

static const struct opdef defs[] = {
    R(MAP_0F, 0x1f, 1, P_ANY, -1, M_ANY, F_MODRM, 0, 0, op_nop, "nop"),
    R(MAP_1B, 0xd6, 1, P_ANY, -1, M_ANY, F_I64, 0, 0, op_salc, "salc"),
    R(MAP_1B, 0x62, 1, P_ANY, -1, M_MEM, F_MODRM | F_I64, 0, 0, op_bound, "bound"),
    R(MAP_0F, 0x19, 6, P_ANY, -1, M_ANY, F_MODRM, 0, 0, op_nop, "hint-nop"),
    R(MAP_0F, 0x18, 1, P_ANY, -1, M_ANY, F_MODRM, 0, 0, op_nop, "prefetch"),
    R(MAP_0F, 0x0d, 1, P_ANY, -1, M_MEM, F_MODRM, 0, 0, op_nop, "prefetchw"),
    R(MAP_0F, 0x0b, 1, P_ANY, -1, M_ANY, 0, 0, 0, op_ud2, "ud2"),
    R(MAP_0F, 0xb9, 1, P_ANY, -1, M_ANY, F_MODRM, 0, 0, op_ud2, "ud1"),
    R(MAP_0F, 0xff, 1, P_ANY, -1, M_ANY, F_MODRM, 0, 0, op_ud2, "ud0"),
    R(MAP_1B, 0xf8, 1, P_ANY, -1, M_ANY, 0, 0, 0, op_carry, "clc"),
    R(MAP_1B, 0xf9, 1, P_ANY, -1, M_ANY, 0, 1, 0, op_carry, "stc"),
    R(MAP_1B, 0xf5, 1, P_ANY, -1, M_ANY, 0, 2, 0, op_carry, "cmc"),
    R(MAP_1B, 0xfc, 1, P_ANY, -1, M_ANY, 0, 0, 0, op_dir, "cld"),
    R(MAP_1B, 0xfd, 1, P_ANY, -1, M_ANY, 0, 1, 0, op_dir, "std"),
    R(MAP_1B, 0x9f, 1, P_ANY, -1, M_ANY, 0, 0, 0, op_lahf, "lahf"),
    R(MAP_1B, 0x9e, 1, P_ANY, -1, M_ANY, 0, 0, 0, op_sahf, "sahf"),
    R(MAP_0F, 0xb0, 1, P_ANY, -1, M_ANY, F_MODRM | F_BYTE | F_LOCK, 0, 0, op_cmpxchg, "cmpxchg"),
    R(MAP_0F, 0xb1, 1, P_ANY, -1, M_ANY, F_MODRM | F_LOCK, 0, 0, op_cmpxchg, "cmpxchg"),
    R(MAP_0F, 0xc7, 1, P_ANY, 1, M_MEM, F_MODRM | F_LOCK, 0, FEAT_CX8, op_cmpxchg8b, "cmpxchg8b"),
    R(MAP_0F, 0xc0, 1, P_ANY, -1, M_ANY, F_MODRM | F_BYTE | F_LOCK, 0, 0, op_xadd, "xadd"),
    R(MAP_0F, 0xc1, 1, P_ANY, -1, M_ANY, F_MODRM | F_LOCK, 0, 0, op_xadd, "xadd"),
    R(MAP_0F, 0xae, 1, P_NP, 5, M_REG, F_MODRM, 0, 0, op_nop, "lfence"),
    R(MAP_0F, 0xae, 1, P_NP, 6, M_REG, F_MODRM, 0, 0, op_nop, "mfence"),
    R(MAP_0F, 0xae, 1, P_NP, 7, M_REG, F_MODRM, 0, 0, op_nop, "sfence"),
    R(MAP_0F, 0xae, 1, P_NP, 7, M_MEM, F_MODRM, 0, FEAT_CLFLUSH, op_clflush, "clflush"),
};
OPTABLE(optable_misc, defs);
