/*
 * The hot instruction forms: the few register, load/store and branch
 * forms that make up most of what guests execute.  The run loop executes
 * them inline (threaded dispatch, exec.c); ops-hot.c gives each one a
 * handler too, for the paths that call handlers.  Both expand the bodies
 * below, so each form has one definition.  A decoded instruction's xop
 * names its hot form (XOP_CALL: none, call i->fn).
 */
#ifndef XENEMU_CPU_OPS_HOT_H
#define XENEMU_CPU_OPS_HOT_H

#include "cpu/cpu-priv.h"

/* The ALU operations in opcode order (the opdef arg of ops-alu.c). */
enum { ALU_ADD, ALU_OR, ALU_ADC, ALU_SBB, ALU_AND, ALU_SUB, ALU_XOR, ALU_CMP };

static XE_ALWAYS_INLINE uint64_t alu(struct cpu *c, unsigned op,
                                     unsigned size, uint64_t d, uint64_t s)
{
    uint64_t r;
    bool cf;

    switch (op) {
    case ALU_ADD:
        r = d + s;
        lf_set(c, LF_ADD, size, r, d, s);
        break;
    case ALU_ADC:
        cf = flag_cf(c);
        r = d + s + cf;
        lf_set(c, cf ? LF_ADC : LF_ADD, size, r, d, s);
        break;
    case ALU_SBB:
        cf = flag_cf(c);
        r = d - s - cf;
        lf_set(c, cf ? LF_SBB : LF_SUB, size, r, d, s);
        break;
    case ALU_SUB:
    case ALU_CMP:
        r = d - s;
        lf_set(c, LF_SUB, size, r, d, s);
        break;
    case ALU_OR:
        r = d | s;
        lf_set(c, LF_LOGIC, size, r, 0, 0);
        break;
    case ALU_AND:
        r = d & s;
        lf_set(c, LF_LOGIC, size, r, 0, 0);
        break;
    default:
        r = d ^ s;
        lf_set(c, LF_LOGIC, size, r, 0, 0);
        break;
    }
    return r & size_mask(size);
}

/*
 * X(name, kind, body): kind REG touches registers only (cannot fault or
 * stop the block), MEM accesses memory (may fault, and a store may
 * invalidate the running block), BR is a near branch (may fault; leaves
 * the block when taken), REL a relative near branch in 64-bit mode with a
 * 64-bit operand size whose body is its condition (leaves the block when
 * taken).  JMP64_IN is a direct jump the block builder followed within its
 * page: the block goes on at the target, which is canonical (same page).
 * Register-register G,E forms are decoded as E,G with reg and rm swapped
 * (hot_classify).  REG bodies name RIP HOT_RIP: the run loop keeps it in
 * a local there (exec.c), the handlers in c->rip; the other kinds run
 * with c->rip up to date.
 */
#define HOT_FORMS(X)                                                        \
    X(MOV_EGr4, REG, reg_write(c, i->rm, 4, c->r[i->reg]))                  \
    X(MOV_EGr8, REG, c->r[i->rm] = c->r[i->reg])                            \
    X(MOV_GEm4, MEM, c->r[i->reg] = lin_read(c, hot_la(c, i, 4, false), 4)) \
    X(MOV_GEm8, MEM, c->r[i->reg] = lin_read(c, hot_la(c, i, 8, false), 8)) \
    X(MOV_EGm4, MEM, lin_write(c, hot_la(c, i, 4, true), 4,                 \
                               (uint32_t)c->r[i->reg]))                     \
    X(MOV_EGm8, MEM, lin_write(c, hot_la(c, i, 8, true), 8, c->r[i->reg]))  \
    X(MOV_EGm1, MEM, lin_write(c, hot_la(c, i, 1, true), 1,                 \
                               reg_read(c, i->reg, 1)))                     \
    X(MOV_RI4, REG, c->r[i->reg] = (uint32_t)i->imm)                        \
    X(LEA4, REG, c->r[i->reg] = (uint32_t)hot_ea(c, i, HOT_RIP))          \
    X(LEA8, REG, c->r[i->reg] = hot_ea(c, i, HOT_RIP))                    \
    X(MOVZX_m1_4, MEM, c->r[i->reg] = lin_read(c, hot_la(c, i, 1, false), 1)) \
    X(MOVSXD_r, REG, c->r[i->reg] = (uint64_t)sext(c->r[i->rm], 4))         \
    X(MOVSXD_m, MEM, c->r[i->reg] =                                         \
          (uint64_t)sext(lin_read(c, hot_la(c, i, 4, false), 4), 4))        \
    X(CMP_EIm1, MEM, alu(c, ALU_CMP, 1,                                     \
                         lin_read(c, hot_la(c, i, 1, false), 1),            \
                         i->imm & 0xff))                                    \
    X(XOR_GEm4, MEM, hot_alu(c, ALU_XOR, 4, i->reg,                         \
                             lin_read(c, hot_la(c, i, 4, false), 4)))       \
    X(SHR_ibr4, REG, c->r[i->rm] = hot_shift(c, LF_SHR, 4, c->r[i->rm], i->imm)) \
    X(SHR_ibr8, REG, c->r[i->rm] = hot_shift(c, LF_SHR, 8, c->r[i->rm], i->imm)) \
    X(SHL_ibr4, REG, c->r[i->rm] = hot_shift(c, LF_SHL, 4, c->r[i->rm], i->imm)) \
    X(SHL_ibr8, REG, c->r[i->rm] = hot_shift(c, LF_SHL, 8, c->r[i->rm], i->imm)) \
    X(ADD_EIr4, REG, hot_alu(c, ALU_ADD, 4, i->rm, i->imm))                 \
    X(ADD_EIr8, REG, hot_alu(c, ALU_ADD, 8, i->rm, i->imm))                 \
    X(SUB_EIr4, REG, hot_alu(c, ALU_SUB, 4, i->rm, i->imm))                 \
    X(SUB_EIr8, REG, hot_alu(c, ALU_SUB, 8, i->rm, i->imm))                 \
    X(CMP_EIr4, REG, hot_alu(c, ALU_CMP, 4, i->rm, i->imm))                 \
    X(CMP_EIr8, REG, hot_alu(c, ALU_CMP, 8, i->rm, i->imm))                 \
    X(AND_EIr4, REG, hot_alu(c, ALU_AND, 4, i->rm, i->imm))                 \
    X(AND_EIr8, REG, hot_alu(c, ALU_AND, 8, i->rm, i->imm))                 \
    X(ADD_EGr4, REG, hot_alu(c, ALU_ADD, 4, i->rm, c->r[i->reg]))           \
    X(ADD_EGr8, REG, hot_alu(c, ALU_ADD, 8, i->rm, c->r[i->reg]))           \
    X(SUB_EGr4, REG, hot_alu(c, ALU_SUB, 4, i->rm, c->r[i->reg]))           \
    X(SUB_EGr8, REG, hot_alu(c, ALU_SUB, 8, i->rm, c->r[i->reg]))           \
    X(CMP_EGr4, REG, hot_alu(c, ALU_CMP, 4, i->rm, c->r[i->reg]))           \
    X(CMP_EGr8, REG, hot_alu(c, ALU_CMP, 8, i->rm, c->r[i->reg]))           \
    X(XOR_EGr4, REG, hot_alu(c, ALU_XOR, 4, i->rm, c->r[i->reg]))           \
    X(XOR_EGr8, REG, hot_alu(c, ALU_XOR, 8, i->rm, c->r[i->reg]))           \
    X(AND_EGr4, REG, hot_alu(c, ALU_AND, 4, i->rm, c->r[i->reg]))           \
    X(AND_EGr8, REG, hot_alu(c, ALU_AND, 8, i->rm, c->r[i->reg]))           \
    X(TEST_r4, REG, lf_set(c, LF_LOGIC, 4, c->r[i->rm] & c->r[i->reg], 0, 0)) \
    X(TEST_r8, REG, lf_set(c, LF_LOGIC, 8, c->r[i->rm] & c->r[i->reg], 0, 0)) \
    X(INC_r4, REG, c->r[i->rm] = hot_incdec(c, 4, c->r[i->rm], false))    \
    X(INC_r8, REG, c->r[i->rm] = hot_incdec(c, 8, c->r[i->rm], false))    \
    X(DEC_r4, REG, c->r[i->rm] = hot_incdec(c, 4, c->r[i->rm], true))     \
    X(DEC_r8, REG, c->r[i->rm] = hot_incdec(c, 8, c->r[i->rm], true))     \
    X(NOP, REG, (void)0)                                                    \
    X(MOVZX_r1_4, REG, c->r[i->reg] = reg_read(c, i->rm, 1))                \
    X(PUSH_r64, MEM, push64(c, c->r[i->reg]))                               \
    X(POP_r64, MEM, uint64_t v = pop64(c); c->r[i->reg] = v)                \
    X(JMP_m64, BR, branch64(c, lin_read(c, hot_la(c, i, 8, false), 8)))     \
    X(CALL64, BR, uint64_t ret = c->rip; branch64(c, ret + i->imm);         \
                  push64(c, ret))                                           \
    X(RET64, BR, uint64_t sp = c->r[R_SP];                                  \
                 branch64(c, lin_read(c, seg_linear(c, SEG_SS, sp, 8, false), 8)); \
                 c->r[R_SP] = sp + 8)                                       \
    X(JMP64, REL, true)                                                     \
    X(JMP64_IN, REG, HOT_RIP += i->imm)                                    \
    X(JCC64_0, REL, cond_eval(c, 0)) X(JCC64_1, REL, cond_eval(c, 1))       \
    X(JCC64_2, REL, cond_eval(c, 2)) X(JCC64_3, REL, cond_eval(c, 3))       \
    X(JCC64_4, REL, cond_eval(c, 4)) X(JCC64_5, REL, cond_eval(c, 5))       \
    X(JCC64_6, REL, cond_eval(c, 6)) X(JCC64_7, REL, cond_eval(c, 7))       \
    X(JCC64_8, REL, cond_eval(c, 8)) X(JCC64_9, REL, cond_eval(c, 9))       \
    X(JCC64_10, REL, cond_eval(c, 10)) X(JCC64_11, REL, cond_eval(c, 11))   \
    X(JCC64_12, REL, cond_eval(c, 12)) X(JCC64_13, REL, cond_eval(c, 13))   \
    X(JCC64_14, REL, cond_eval(c, 14)) X(JCC64_15, REL, cond_eval(c, 15))

#define HOT_ENUM(name, kind, body) XOP_##name,
enum { XOP_CALL, HOT_FORMS(HOT_ENUM) NR_XOPS };
#undef HOT_ENUM

/* dst op= s (s masked to sz), flags lazy; CMP writes nothing back. */
static XE_ALWAYS_INLINE void hot_alu(struct cpu *c, unsigned kind,
                                     unsigned sz, unsigned dst, uint64_t s)
{
    uint64_t r = alu(c, kind, sz, c->r[dst] & size_mask(sz),
                     s & size_mask(sz));
    if (kind != ALU_CMP)
        c->r[dst] = r;          /* r is zero-extended: 32-bit writes clear */
}

/* INC/DEC: CF is kept (in lf.src, as ops-alu.c's inc_dec); the result
 * is zero-extended, so 32-bit writes clear the upper half. */
static XE_ALWAYS_INLINE uint64_t hot_incdec(struct cpu *c, unsigned sz,
                                            uint64_t d, bool dec)
{
    uint64_t r = (dec ? d - 1 : d + 1) & size_mask(sz);

    lf_set(c, dec ? LF_DEC : LF_INC, sz, r, d, flag_cf(c));
    return r;
}

/* SHL/SHR by a count that is non-zero once masked (hot_classify checks),
 * flags lazy as in ops-shift.c. */
static XE_ALWAYS_INLINE uint64_t hot_shift(struct cpu *c, unsigned kind,
                                           unsigned sz, uint64_t d,
                                           uint64_t imm)
{
    unsigned n = (unsigned)imm & (sz * 8 - 1);
    uint64_t r;

    d &= size_mask(sz);
    r = (kind == LF_SHR ? d >> n : d << n) & size_mask(sz);
    lf_set(c, kind, sz, r, d, n);
    return r;
}

/* The memory operand of a hot form: 64-bit mode, 64-bit addressing, no
 * FS/GS override (hot_classify checks), so the linear address is the
 * effective address once it is canonical. */
static XE_ALWAYS_INLINE uint64_t hot_ea(const struct cpu *c,
                                        const struct insn *i, uint64_t rip)
{
    uint64_t ea = (uint64_t)(int64_t)i->disp;

    if (i->base == REG_RIP)
        ea += rip;
    else if (i->base != REG_NONE)
        ea += c->r[i->base];
    if (i->index != REG_NONE)
        ea += c->r[i->index] << i->scale;
    return ea;
}

static XE_ALWAYS_INLINE uint64_t hot_la(struct cpu *c, const struct insn *i,
                                        unsigned size, bool write)
{
    uint64_t la = hot_ea(c, i, c->rip);

    if (unlikely(!is_canonical48(la)))
        return seg_linear_slow(c, i->seg, la, size, write);   /* faults */
    return la;
}

/* The hot form of a decoded instruction: XOP_CALL when it has none,
 * else its number, with i->fn set to its handler (reg and rm may be
 * swapped: see HOT_FORMS). */
unsigned hot_classify(struct insn *i, unsigned dmode);
/* Turn a JMP64 into the JMP64_IN the block continues after. */
void hot_follow_jump(struct insn *i);

#endif
