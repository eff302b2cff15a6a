/*
 * Bit instructions: BT BTS BTR BTC (register and imm8 bit offsets), BSF,
 * BSR, POPCNT, LZCNT and BSWAP.
 *
 * With a register bit offset and a memory operand the offset is a signed
 * number that may reach far outside the operand; an imm8 offset is taken
 * modulo the operand width.  TZCNT is BMI1, which we do not advertise, so
 * F3 0F BC is BSF as on a CPU without BMI1.  Flags the SDM leaves undefined
 * follow AMD Zen (doc/cpu-model.md): BT* change only CF; BSF/BSR only ZF
 * (a zero source leaves the destination, all 64 bits of it, unchanged);
 * LZCNT clears SF AF PF and keeps OF; BSWAP of a 16-bit register zeroes it.
 */
#include "cpu/cpu-priv.h"

enum { BT_TEST, BT_SET, BT_RESET, BT_COMPLEMENT };

static uint64_t bit_apply(unsigned kind, uint64_t v, uint64_t bit)
{
    switch (kind) {
    case BT_SET: return v | bit;
    case BT_RESET: return v & ~bit;
    case BT_COMPLEMENT: return v ^ bit;
    default: return v;
    }
}

/* Test-and-modify bit (off mod width) of the operand at r/m, which is the
 * memory operand displaced by disp bytes. */
static void bt_common(struct cpu *c, const struct insn *i, uint64_t off,
                      int64_t disp)
{
    unsigned sz = i->opsz;
    unsigned kind = i->arg;
    uint64_t bit = 1ull << (off & (sz * 8 - 1)), v;

    if (i->mod == 3) {
        v = reg_read(c, i->rm, sz);
        if (kind != BT_TEST)
            reg_write(c, i->rm, sz, bit_apply(kind, v, bit));
    } else {
        uint64_t ea = (insn_ea(c, i) + (uint64_t)disp) & size_mask(i->asz);
        uint64_t la = seg_linear(c, i->seg, ea, sz, kind != BT_TEST);
        if (kind == BT_TEST) {
            v = lin_read(c, la, sz);
        } else {
            v = lin_read_rmw(c, la, sz);
            lin_write(c, la, sz, bit_apply(kind, v, bit));
        }
    }
    flags_set_eager(c, (v & bit) ? FL_CF : 0, FL_CF);
}

/* BTx r/m, reg: a memory operand is addressed by the signed offset. */
static void op_bt_EG(struct cpu *c, const struct insn *i)
{
    unsigned sz = i->opsz;
    uint64_t off = reg_read(c, i->reg, sz);
    int64_t disp = 0;

    if (i->mod != 3) {
        unsigned shift = size_log2(sz) + 3;
        disp = (sext(off, sz) >> shift) * (int64_t)sz;
    }
    bt_common(c, i, off, disp);
}

static void op_bt_EI(struct cpu *c, const struct insn *i)
{
    bt_common(c, i, i->imm, 0);
}

static unsigned lowest_set(uint64_t v)
{
    unsigned n = 0;
    while (!(v & 1)) {
        v >>= 1;
        n++;
    }
    return n;
}

static unsigned highest_set(uint64_t v)
{
    unsigned n = 63;
    while (!(v >> 63)) {
        v <<= 1;
        n--;
    }
    return n;
}

/* BSF/BSR (arg 0/1). */
static void op_bsf_bsr(struct cpu *c, const struct insn *i)
{
    unsigned sz = i->opsz;
    uint64_t v = rm_read(c, i, sz);

    if (v == 0) {
        flags_set_eager(c, FL_ZF, FL_ZF);
        return;
    }
    reg_write(c, i->reg, sz, i->arg ? highest_set(v) : lowest_set(v));
    flags_set_eager(c, 0, FL_ZF);
}

static void op_popcnt(struct cpu *c, const struct insn *i)
{
    unsigned sz = i->opsz;
    uint64_t v = rm_read(c, i, sz);
    unsigned n = 0;

    for (uint64_t x = v; x; x &= x - 1)
        n++;
    reg_write(c, i->reg, sz, n);
    flags_set_eager(c, v ? 0 : FL_ZF, FL_ARITH);
}

/* F3 0F BD: LZCNT when advertised, else BSR (the row's arg is 1). */
static void op_lzcnt(struct cpu *c, const struct insn *i)
{
    unsigned sz = i->opsz;
    uint64_t v;
    unsigned n;

    if (!cpuid_has(FEAT_LZCNT)) {
        op_bsf_bsr(c, i);
        return;
    }
    v = rm_read(c, i, sz);
    n = v ? sz * 8 - 1 - highest_set(v) : sz * 8;
    reg_write(c, i->reg, sz, n);
    flags_set_eager(c, (v ? 0 : FL_CF) | (n ? 0 : FL_ZF),
                    FL_CF | FL_ZF | FL_SF | FL_AF | FL_PF);
}

static void op_bswap(struct cpu *c, const struct insn *i)
{
    unsigned sz = i->opsz;
    uint64_t v = reg_read(c, i->reg, sz), r = 0;

    if (sz == 2) {
        reg_write(c, i->reg, 2, 0);
        return;
    }
    for (unsigned k = 0; k < sz; k++)
        r |= ((v >> (8 * k)) & 0xff) << (8 * (sz - 1 - k));
    reg_write(c, i->reg, sz, r);
}

#define BT_ROWS(op, kind, lock, nm)                                                             \
    { MAP_0F, op, 1, P_ANY, -1, M_ANY, -1, F_MODRM | lock, kind, 0, op_bt_EG, nm },             \
    { MAP_0F, 0xba, 1, P_ANY, 4 + kind, M_ANY, -1, F_MODRM | F_IMM8 | lock, kind, 0, op_bt_EI, nm }

static const struct opdef defs[] = {
    BT_ROWS(0xa3, BT_TEST, 0, "bt"),
    BT_ROWS(0xab, BT_SET, F_LOCK, "bts"),
    BT_ROWS(0xb3, BT_RESET, F_LOCK, "btr"),
    BT_ROWS(0xbb, BT_COMPLEMENT, F_LOCK, "btc"),
    { MAP_0F, 0xbc, 1, P_ANY, -1, M_ANY, -1, F_MODRM, 0, 0, op_bsf_bsr, "bsf" },
    { MAP_0F, 0xbd, 1, P_ANY, -1, M_ANY, -1, F_MODRM, 1, 0, op_bsf_bsr, "bsr" },
    { MAP_0F, 0xbd, 1, P_F3, -1, M_ANY, -1, F_MODRM, 1, 0, op_lzcnt, "lzcnt" },
    { MAP_0F, 0xb8, 1, P_F3, -1, M_ANY, -1, F_MODRM, 0, FEAT_POPCNT, op_popcnt, "popcnt" },
    { MAP_0F, 0xc8, 8, P_ANY, -1, M_ANY, -1, F_OPREG, 0, 0, op_bswap, "bswap" },
};
OPTABLE(optable_bit, defs);
