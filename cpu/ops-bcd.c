/*
 * Decimal adjust: DAA DAS AAA AAS AAM AAD (invalid in 64-bit mode).
 *
 * The results and the defined flags follow the SDM.  The flags it leaves
 * undefined come out as AMD Zen computes them (checked exhaustively against
 * the host, doc/cpu-model.md): every one of these instructions is an
 * addition or subtraction in disguise, and SF ZF PF OF (and AF CF where
 * undefined) are those of that operation:
 *   DAA/DAS   AL +/- the correction (0x06, 0x60 or 0x66), 8-bit
 *   AAA/AAS   AX +/- 0x106 (or 0 when no adjustment is needed), 16-bit,
 *             before AL is masked to its low nibble
 *   AAM       SF ZF PF of the new AL; OF AF CF clear
 *   AAD       AL + AH * imm8, 8-bit
 */
#include "cpu/cpu-priv.h"

/* Flags of d + s (sub: d - s) of the given size. */
static uint32_t addsub_flags(uint32_t d, uint32_t s, unsigned size, bool sub)
{
    uint32_t m = (uint32_t)size_mask(size), r = (sub ? d - s : d + s) & m;
    uint32_t sign = (uint32_t)sign_bit(size), f = flags_szp(r, size);

    if (sub ? d < s : r < d)
        f |= FL_CF;
    if ((d ^ s ^ r) & 0x10)
        f |= FL_AF;
    if ((sub ? (d ^ s) & (d ^ r) : ~(d ^ s) & (d ^ r)) & sign)
        f |= FL_OF;
    return f;
}


/* DAA (arg 0) and DAS (arg 1). */
static void op_daa_das(struct cpu *c, const struct insn *i)
{
    uint32_t fl = flags_compute(c), al = c->r[R_AX] & 0xff, adj = 0, cfaf = 0;
    bool sub = i->arg;

    if ((al & 0xf) > 9 || (fl & FL_AF)) {
        adj = 0x06;
        cfaf = FL_AF;
        if (sub && al < 6)
            cfaf |= FL_CF;        /* borrow out of AL - 6 */
    }
    if (al > 0x99 || (fl & FL_CF)) {
        adj |= 0x60;
        cfaf |= FL_CF;
    }
    reg_write(c, R_AX, 1, sub ? al - adj : al + adj);
    flags_set_eager(c, (addsub_flags(al, adj, 1, sub) & ~(FL_CF | FL_AF)) |
                       cfaf, FL_ARITH);
}

/* AAA (arg 0) and AAS (arg 1). */
static void op_aaa_aas(struct cpu *c, const struct insn *i)
{
    uint32_t ax = c->r[R_AX] & 0xffff, adj = 0, cfaf = 0;
    bool sub = i->arg;

    if ((ax & 0xf) > 9 || (flags_compute(c) & FL_AF)) {
        adj = 0x106;
        cfaf = FL_AF | FL_CF;
    }
    reg_write(c, R_AX, 2, ((sub ? ax - adj : ax + adj) & 0xff0f));
    flags_set_eager(c, (addsub_flags(ax, adj, 2, sub) & ~(FL_CF | FL_AF)) |
                       cfaf, FL_ARITH);
}

static void op_aam(struct cpu *c, const struct insn *i)
{
    uint32_t al = c->r[R_AX] & 0xff, base = (uint32_t)i->imm;

    if (base == 0)
        cpu_raise(c, EXC_DE, false, 0);
    reg_write(c, R_AX, 2, (al / base) << 8 | al % base);
    flags_set_eager(c, flags_szp(al % base, 1), FL_ARITH);
}

static void op_aad(struct cpu *c, const struct insn *i)
{
    uint32_t al = c->r[R_AX] & 0xff, ah = (c->r[R_AX] >> 8) & 0xff;
    uint32_t s = (ah * (uint32_t)i->imm) & 0xff;

    reg_write(c, R_AX, 2, (al + s) & 0xff);
    flags_set_eager(c, addsub_flags(al, s, 1, false), FL_ARITH);
}

static const struct opdef defs[] = {
    { MAP_1B, 0x27, 1, P_ANY, -1, M_ANY, -1, F_I64, 0, 0, op_daa_das, "daa" },
    { MAP_1B, 0x2f, 1, P_ANY, -1, M_ANY, -1, F_I64, 1, 0, op_daa_das, "das" },
    { MAP_1B, 0x37, 1, P_ANY, -1, M_ANY, -1, F_I64, 0, 0, op_aaa_aas, "aaa" },
    { MAP_1B, 0x3f, 1, P_ANY, -1, M_ANY, -1, F_I64, 1, 0, op_aaa_aas, "aas" },
    { MAP_1B, 0xd4, 1, P_ANY, -1, M_ANY, -1, F_I64 | F_IMM8, 0, 0, op_aam, "aam" },
    { MAP_1B, 0xd5, 1, P_ANY, -1, M_ANY, -1, F_I64 | F_IMM8, 0, 0, op_aad, "aad" },
};
OPTABLE(optable_bcd, defs);
