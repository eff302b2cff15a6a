/*
 * The eight classic ALU operations (ADD OR ADC SBB AND SUB XOR CMP), TEST,
 * INC, DEC, NOT and NEG, in all their encodings.  The opdef's arg selects
 * the operation; flags are lazy (flags.c).
 */
#include "cpu/cpu-priv.h"

#include "cpu/ops-hot.h"

/* op r/m, src: the shared body of the E,G and E,I encodings. */
static XE_ALWAYS_INLINE void alu_rm(struct cpu *c, const struct insn *i,
                                    unsigned kind, uint64_t s)
{
    unsigned sz = i->opsz;

    if (i->mod == 3) {
        uint64_t r = alu(c, kind, sz, reg_read(c, i->rm, sz), s);
        if (kind != ALU_CMP)
            reg_write(c, i->rm, sz, r);
        return;
    }
    uint64_t la = seg_linear(c, i->seg, insn_ea(c, i), sz, kind != ALU_CMP);
    uint64_t d = kind == ALU_CMP ? lin_read(c, la, sz) : lin_read_rmw(c, la, sz);
    uint64_t r = alu(c, kind, sz, d, s);
    if (kind != ALU_CMP)
        lin_write(c, la, sz, r);
}

/* The four encodings of each operation; kind is a compile-time constant
 * so alu() folds to the one operation. */
#define ALU_HANDLERS(name, kind)                                             \
static void op_##name##_EG(struct cpu *c, const struct insn *i)             \
{                                                                           \
    alu_rm(c, i, kind, reg_read(c, i->reg, i->opsz));                       \
}                                                                           \
static void op_##name##_GE(struct cpu *c, const struct insn *i)             \
{                                                                           \
    unsigned sz = i->opsz;                                                  \
    uint64_t r = alu(c, kind, sz, reg_read(c, i->reg, sz),                  \
                     rm_read(c, i, sz));                                    \
    if (kind != ALU_CMP)                                                    \
        reg_write(c, i->reg, sz, r);                                        \
}                                                                           \
static void op_##name##_EI(struct cpu *c, const struct insn *i)             \
{                                                                           \
    alu_rm(c, i, kind, i->imm & size_mask(i->opsz));                        \
}                                                                           \
static void op_##name##_AI(struct cpu *c, const struct insn *i)             \
{                                                                           \
    unsigned sz = i->opsz;                                                  \
    uint64_t r = alu(c, kind, sz, reg_read(c, R_AX, sz),                    \
                     i->imm & size_mask(sz));                               \
    if (kind != ALU_CMP)                                                    \
        reg_write(c, R_AX, sz, r);                                          \
}

ALU_HANDLERS(add, ALU_ADD)
ALU_HANDLERS(or, ALU_OR)
ALU_HANDLERS(adc, ALU_ADC)
ALU_HANDLERS(sbb, ALU_SBB)
ALU_HANDLERS(and, ALU_AND)
ALU_HANDLERS(sub, ALU_SUB)
ALU_HANDLERS(xor, ALU_XOR)
ALU_HANDLERS(cmp, ALU_CMP)

static void op_test_EG(struct cpu *c, const struct insn *i)
{
    unsigned sz = i->opsz;
    uint64_t r = rm_read(c, i, sz) & reg_read(c, i->reg, sz);
    lf_set(c, LF_LOGIC, sz, r, 0, 0);
}

static void op_test_EI(struct cpu *c, const struct insn *i)
{
    unsigned sz = i->opsz;
    uint64_t r = rm_read(c, i, sz) & i->imm;
    lf_set(c, LF_LOGIC, sz, r, 0, 0);
}

static void op_test_AI(struct cpu *c, const struct insn *i)
{
    unsigned sz = i->opsz;
    uint64_t r = reg_read(c, R_AX, sz) & i->imm;
    lf_set(c, LF_LOGIC, sz, r, 0, 0);
}

/* Read-modify-write of the r/m operand through one linear address. */
#define RMW(c, i, sz, expr_of_d)                                            \
    do {                                                                    \
        if ((i)->mod == 3) {                                                \
            uint64_t d = reg_read(c, (i)->rm, sz);                          \
            reg_write(c, (i)->rm, sz, (expr_of_d));                         \
        } else {                                                            \
            uint64_t la = seg_linear(c, (i)->seg, insn_ea(c, i), sz, true); \
            uint64_t d = lin_read_rmw(c, la, sz);                           \
            lin_write(c, la, sz, (expr_of_d));                              \
        }                                                                   \
    } while (0)

static uint64_t inc_dec(struct cpu *c, unsigned sz, uint64_t d, bool dec)
{
    uint64_t r = dec ? d - 1 : d + 1;
    lf_set(c, dec ? LF_DEC : LF_INC, sz, r, d, flag_cf(c));
    return r;
}

static void op_inc_E(struct cpu *c, const struct insn *i)
{
    RMW(c, i, i->opsz, inc_dec(c, i->opsz, d, i->arg));
}

/* 40+r / 48+r outside 64-bit mode */
static void op_inc_r(struct cpu *c, const struct insn *i)
{
    reg_write(c, i->reg, i->opsz,
              inc_dec(c, i->opsz, reg_read(c, i->reg, i->opsz), i->arg));
}

static void op_not_E(struct cpu *c, const struct insn *i)
{
    RMW(c, i, i->opsz, ~d);
}

static uint64_t neg(struct cpu *c, unsigned sz, uint64_t d)
{
    uint64_t r = -d;
    lf_set(c, LF_NEG, sz, r, d, 0);
    return r;
}

static void op_neg_E(struct cpu *c, const struct insn *i)
{
    RMW(c, i, i->opsz, neg(c, i->opsz, d));
}

/* ---- forms specialised at decode time ---------------------------------- */

/* Memory destination of a constant size. */
static XE_ALWAYS_INLINE void alu_mem(struct cpu *c, const struct insn *i,
                                     unsigned kind, unsigned sz, uint64_t s)
{
    uint64_t la = insn_la(c, i, sz, kind != ALU_CMP);
    uint64_t d = kind == ALU_CMP ? lin_read(c, la, sz) : lin_read_rmw(c, la, sz);
    uint64_t r = alu(c, kind, sz, d, s);
    if (kind != ALU_CMP)
        lin_write(c, la, sz, r);
}

static XE_ALWAYS_INLINE void alu_reg(struct cpu *c, unsigned kind,
                                     unsigned sz, unsigned dst, uint64_t s)
{
    uint64_t r = alu(c, kind, sz, reg_read(c, dst, sz), s);
    if (kind != ALU_CMP)
        reg_write(c, dst, sz, r);
}

/* E,G / G,E / E,I with a register (r) or memory (m) r/m operand. */
#define ALU_FAST(name, kind, sz)                                            \
static void op_##name##_EGr##sz(struct cpu *c, const struct insn *i)        \
{ alu_reg(c, kind, sz, i->rm, reg_read(c, i->reg, sz)); }                   \
static void op_##name##_EGm##sz(struct cpu *c, const struct insn *i)        \
{ alu_mem(c, i, kind, sz, reg_read(c, i->reg, sz)); }                       \
static void op_##name##_GEr##sz(struct cpu *c, const struct insn *i)        \
{ alu_reg(c, kind, sz, i->reg, reg_read(c, i->rm, sz)); }                   \
static void op_##name##_GEm##sz(struct cpu *c, const struct insn *i)        \
{ alu_reg(c, kind, sz, i->reg, lin_read(c, insn_la(c, i, sz, false), sz)); }\
static void op_##name##_EIr##sz(struct cpu *c, const struct insn *i)        \
{ alu_reg(c, kind, sz, i->rm, i->imm & size_mask(sz)); }                    \
static void op_##name##_EIm##sz(struct cpu *c, const struct insn *i)        \
{ alu_mem(c, i, kind, sz, i->imm & size_mask(sz)); }

#define ALU_FAST_SIZES(name, kind) \
    ALU_FAST(name, kind, 1) ALU_FAST(name, kind, 4) ALU_FAST(name, kind, 8)

ALU_FAST_SIZES(add, ALU_ADD)
ALU_FAST_SIZES(or, ALU_OR)
ALU_FAST_SIZES(adc, ALU_ADC)
ALU_FAST_SIZES(sbb, ALU_SBB)
ALU_FAST_SIZES(and, ALU_AND)
ALU_FAST_SIZES(sub, ALU_SUB)
ALU_FAST_SIZES(xor, ALU_XOR)
ALU_FAST_SIZES(cmp, ALU_CMP)

/* [encoding EG GE EI][register, memory][size 1, 4, 8] */
#define ALU_FAST_ROW(nm) {                                                  \
    { { op_##nm##_EGr1, op_##nm##_EGr4, op_##nm##_EGr8 },                  \
      { op_##nm##_EGm1, op_##nm##_EGm4, op_##nm##_EGm8 } },                \
    { { op_##nm##_GEr1, op_##nm##_GEr4, op_##nm##_GEr8 },                  \
      { op_##nm##_GEm1, op_##nm##_GEm4, op_##nm##_GEm8 } },                \
    { { op_##nm##_EIr1, op_##nm##_EIr4, op_##nm##_EIr8 },                  \
      { op_##nm##_EIm1, op_##nm##_EIm4, op_##nm##_EIm8 } } }

static const insn_fn alu_fast[8][3][2][3] = {
    ALU_FAST_ROW(add), ALU_FAST_ROW(or), ALU_FAST_ROW(adc),
    ALU_FAST_ROW(sbb), ALU_FAST_ROW(and), ALU_FAST_ROW(sub),
    ALU_FAST_ROW(xor), ALU_FAST_ROW(cmp),
};

static void op_test_r4(struct cpu *c, const struct insn *i)
{ lf_set(c, LF_LOGIC, 4, reg_read(c, i->rm, 4) & reg_read(c, i->reg, 4), 0, 0); }
static void op_test_r8(struct cpu *c, const struct insn *i)
{ lf_set(c, LF_LOGIC, 8, c->r[i->rm] & c->r[i->reg], 0, 0); }

static void op_incdec_r4(struct cpu *c, const struct insn *i)
{ reg_write(c, i->rm, 4, inc_dec(c, 4, reg_read(c, i->rm, 4), i->arg)); }
static void op_incdec_r8(struct cpu *c, const struct insn *i)
{ c->r[i->rm] = inc_dec(c, 8, c->r[i->rm], i->arg); }

static insn_fn alu_pick(const struct insn *i, unsigned dmode)
{
    const struct opdef *d = i->def;
    unsigned sz = fast_size(i->opsz), enc;

    (void)dmode;
    if (d->map != MAP_1B || sz == 3)
        return NULL;
    if (d->op < 0x40 && (d->op & 7) < 6)
        enc = (d->op & 7) < 4 ? (d->op & 7) >> 1 : 2;  /* AI: E,I on rAX */
    else if (d->op >= 0x80 && d->op <= 0x83)
        enc = 2;
    else if (d->op == 0x85 && i->mod == 3 && sz)
        return sz == 1 ? op_test_r4 : op_test_r8;
    else if (d->op == 0xff && (d->ext == 0 || d->ext == 1) &&
             i->mod == 3 && sz)
        return sz == 1 ? op_incdec_r4 : op_incdec_r8;
    else
        return NULL;
    return alu_fast[i->arg][enc][i->mod != 3][sz];
}

#define ALU_ROW(base, kind, nm) ALU_ROW_(base, kind, nm, op_##nm##_EG, op_##nm##_GE, op_##nm##_EI, op_##nm##_AI)
#define ALU_ROW_(base, kind, nm, op_alu_EG, op_alu_GE, op_alu_EI, op_alu_AI)                                                   \
    { MAP_1B, base + 0, 1, P_ANY, -1, M_ANY, -1, F_MODRM | F_BYTE | F_LOCK, kind, 0, op_alu_EG, #nm }, \
    { MAP_1B, base + 1, 1, P_ANY, -1, M_ANY, -1, F_MODRM | F_LOCK, kind, 0, op_alu_EG, #nm },          \
    { MAP_1B, base + 2, 1, P_ANY, -1, M_ANY, -1, F_MODRM | F_BYTE, kind, 0, op_alu_GE, #nm },          \
    { MAP_1B, base + 3, 1, P_ANY, -1, M_ANY, -1, F_MODRM, kind, 0, op_alu_GE, #nm },                   \
    { MAP_1B, base + 4, 1, P_ANY, -1, M_ANY, -1, F_BYTE | F_IMM8, kind, 0, op_alu_AI, #nm },           \
    { MAP_1B, base + 5, 1, P_ANY, -1, M_ANY, -1, F_IMMZ, kind, 0, op_alu_AI, #nm },                    \
    { MAP_1B, 0x80, 1, P_ANY, kind, M_ANY, -1, F_MODRM | F_BYTE | F_IMM8 | F_LOCK, kind, 0, op_alu_EI, #nm }, \
    { MAP_1B, 0x81, 1, P_ANY, kind, M_ANY, -1, F_MODRM | F_IMMZ | F_LOCK, kind, 0, op_alu_EI, #nm },   \
    { MAP_1B, 0x82, 1, P_ANY, kind, M_ANY, -1, F_MODRM | F_BYTE | F_IMM8 | F_LOCK | F_I64, kind, 0, op_alu_EI, #nm }, \
    { MAP_1B, 0x83, 1, P_ANY, kind, M_ANY, -1, F_MODRM | F_IMM8S | F_LOCK, kind, 0, op_alu_EI, #nm }

static const struct opdef defs[] = {
    ALU_ROW(0x00, ALU_ADD, add),
    ALU_ROW(0x08, ALU_OR, or),
    ALU_ROW(0x10, ALU_ADC, adc),
    ALU_ROW(0x18, ALU_SBB, sbb),
    ALU_ROW(0x20, ALU_AND, and),
    ALU_ROW(0x28, ALU_SUB, sub),
    ALU_ROW(0x30, ALU_XOR, xor),
    ALU_ROW(0x38, ALU_CMP, cmp),
    { MAP_1B, 0x84, 1, P_ANY, -1, M_ANY, -1, F_MODRM | F_BYTE, 0, 0, op_test_EG, "test" },
    { MAP_1B, 0x85, 1, P_ANY, -1, M_ANY, -1, F_MODRM, 0, 0, op_test_EG, "test" },
    { MAP_1B, 0xa8, 1, P_ANY, -1, M_ANY, -1, F_BYTE | F_IMM8, 0, 0, op_test_AI, "test" },
    { MAP_1B, 0xa9, 1, P_ANY, -1, M_ANY, -1, F_IMMZ, 0, 0, op_test_AI, "test" },
    { MAP_1B, 0xf6, 1, P_ANY, 0, M_ANY, -1, F_MODRM | F_BYTE | F_IMM8, 0, 0, op_test_EI, "test" },
    { MAP_1B, 0xf6, 1, P_ANY, 1, M_ANY, -1, F_MODRM | F_BYTE | F_IMM8, 0, 0, op_test_EI, "test" },
    { MAP_1B, 0xf7, 1, P_ANY, 0, M_ANY, -1, F_MODRM | F_IMMZ, 0, 0, op_test_EI, "test" },
    { MAP_1B, 0xf7, 1, P_ANY, 1, M_ANY, -1, F_MODRM | F_IMMZ, 0, 0, op_test_EI, "test" },
    { MAP_1B, 0xf6, 1, P_ANY, 2, M_ANY, -1, F_MODRM | F_BYTE | F_LOCK, 0, 0, op_not_E, "not" },
    { MAP_1B, 0xf7, 1, P_ANY, 2, M_ANY, -1, F_MODRM | F_LOCK, 0, 0, op_not_E, "not" },
    { MAP_1B, 0xf6, 1, P_ANY, 3, M_ANY, -1, F_MODRM | F_BYTE | F_LOCK, 0, 0, op_neg_E, "neg" },
    { MAP_1B, 0xf7, 1, P_ANY, 3, M_ANY, -1, F_MODRM | F_LOCK, 0, 0, op_neg_E, "neg" },
    { MAP_1B, 0xfe, 1, P_ANY, 0, M_ANY, -1, F_MODRM | F_BYTE | F_LOCK, 0, 0, op_inc_E, "inc" },
    { MAP_1B, 0xfe, 1, P_ANY, 1, M_ANY, -1, F_MODRM | F_BYTE | F_LOCK, 1, 0, op_inc_E, "dec" },
    { MAP_1B, 0xff, 1, P_ANY, 0, M_ANY, -1, F_MODRM | F_LOCK, 0, 0, op_inc_E, "inc" },
    { MAP_1B, 0xff, 1, P_ANY, 1, M_ANY, -1, F_MODRM | F_LOCK, 1, 0, op_inc_E, "dec" },
    { MAP_1B, 0x40, 8, P_ANY, -1, M_ANY, -1, F_OPREG | F_I64, 0, 0, op_inc_r, "inc" },
    { MAP_1B, 0x48, 8, P_ANY, -1, M_ANY, -1, F_OPREG | F_I64, 1, 0, op_inc_r, "dec" },
};
OPTABLE_PICK(optable_alu, defs, alu_pick);
