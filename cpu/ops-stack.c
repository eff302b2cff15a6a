/*
 * The stack: PUSH/POP of registers, memory and immediates, PUSHA/POPA,
 * ENTER and LEAVE.  Nothing commits rSP until every memory access of the
 * instruction has succeeded.
 */
#include "cpu/cpu-priv.h"

static uint64_t sp_mask(const struct cpu *c)
{
    return size_mask(stack_size(c));
}

static void sp_commit(struct cpu *c, uint64_t sp)
{
    uint64_t m = sp_mask(c);
    c->r[R_SP] = (c->r[R_SP] & ~m) | (sp & m);
}

static void op_push_r(struct cpu *c, const struct insn *i)
{
    push(c, i->opsz, reg_read(c, i->reg, i->opsz));
}

static void op_pop_r(struct cpu *c, const struct insn *i)
{
    uint64_t v = pop(c, i->opsz);
    reg_write(c, i->reg, i->opsz, v);      /* POP rSP: the popped value wins */
}

static void op_push_I(struct cpu *c, const struct insn *i)
{
    push(c, i->opsz, i->imm);
}

static void op_push_E(struct cpu *c, const struct insn *i)
{
    push(c, i->opsz, rm_read(c, i, i->opsz));
}

/* POP r/m: the address is computed with rSP already incremented. */
static void op_pop_E(struct cpu *c, const struct insn *i)
{
    uint64_t sp = c->r[R_SP] & sp_mask(c);
    uint64_t v = mem_read(c, SEG_SS, sp, i->opsz);
    uint64_t old = c->r[R_SP];

    if (i->mod == 3) {
        sp_commit(c, sp + i->opsz);
        reg_write(c, i->rm, i->opsz, v);
        return;
    }
    sp_commit(c, sp + i->opsz);
    uint64_t ea = insn_ea(c, i);
    c->r[R_SP] = old;
    mem_write(c, i->seg, ea, i->opsz, v);
    sp_commit(c, sp + i->opsz);
}

static void op_pusha(struct cpu *c, const struct insn *i)
{
    unsigned sz = i->opsz;
    uint64_t sp = c->r[R_SP] & sp_mask(c);
    uint64_t orig_sp = c->r[R_SP];

    for (unsigned r = R_AX; r <= R_DI; r++) {
        sp = (sp - sz) & sp_mask(c);
        mem_write(c, SEG_SS, sp, sz, r == R_SP ? orig_sp : c->r[r]);
    }
    sp_commit(c, sp);
}

static void op_popa(struct cpu *c, const struct insn *i)
{
    unsigned sz = i->opsz;
    uint64_t sp = c->r[R_SP] & sp_mask(c);
    uint64_t v[8];

    for (int r = R_DI; r >= R_AX; r--) {
        v[r] = mem_read(c, SEG_SS, sp, sz);
        sp = (sp + sz) & sp_mask(c);
    }
    for (unsigned r = R_AX; r <= R_DI; r++)
        if (r != R_SP)
            reg_write(c, r, sz, v[r]);
    sp_commit(c, sp);
}

static void op_enter(struct cpu *c, const struct insn *i)
{
    unsigned sz = i->opsz, level = i->imm2 & 31;
    uint64_t m = sp_mask(c);
    uint64_t sp = (c->r[R_SP] - sz) & m;
    uint64_t bp = c->r[R_BP];

    mem_write(c, SEG_SS, sp, sz, bp);
    uint64_t frame = sp;
    for (unsigned k = 1; k < level; k++) {
        bp = (bp - sz) & m;
        uint64_t v = mem_read(c, SEG_SS, bp, sz);
        sp = (sp - sz) & m;
        mem_write(c, SEG_SS, sp, sz, v);
    }
    if (level) {
        sp = (sp - sz) & m;
        mem_write(c, SEG_SS, sp, sz, frame);
    }
    sp = (sp - i->imm) & m;
    /* As AMD does, probe the new stack top for a write before committing. */
    lin_read_rmw(c, seg_linear(c, SEG_SS, sp, 1, true), 1);
    reg_write(c, R_BP, sz, frame);
    sp_commit(c, sp);
}

static void op_leave(struct cpu *c, const struct insn *i)
{
    uint64_t m = sp_mask(c);
    uint64_t sp = c->r[R_BP] & m;
    uint64_t v = mem_read(c, SEG_SS, sp, i->opsz);
    sp_commit(c, sp + i->opsz);
    reg_write(c, R_BP, i->opsz, v);
}

/* 64-bit mode, 64-bit operand size: specialised at decode time. */
static void op_push_r64(struct cpu *c, const struct insn *i)
{
    push64(c, c->r[i->reg]);
}

static void op_pop_r64(struct cpu *c, const struct insn *i)
{
    uint64_t v = pop64(c);
    c->r[i->reg] = v;
}

static insn_fn stack_pick(const struct insn *i, unsigned dmode)
{
    if (dmode != DMODE_64 || i->opsz != 8)
        return NULL;
    if (i->def->fn == op_push_r)
        return op_push_r64;
    if (i->def->fn == op_pop_r)
        return op_pop_r64;
    return NULL;
}

#define R(map, op, n, ext, mod, fl, fn, nm) \
    { map, op, n, P_ANY, ext, mod, -1, fl, 0, 0, fn, nm }

static const struct opdef defs[] = {
    R(MAP_1B, 0x50, 8, -1, M_ANY, F_OPREG | F_D64, op_push_r, "push"),
    R(MAP_1B, 0x58, 8, -1, M_ANY, F_OPREG | F_D64, op_pop_r, "pop"),
    R(MAP_1B, 0x68, 1, -1, M_ANY, F_IMMZ | F_D64, op_push_I, "push"),
    R(MAP_1B, 0x6a, 1, -1, M_ANY, F_IMM8S | F_D64, op_push_I, "push"),
    R(MAP_1B, 0xff, 1, 6, M_ANY, F_MODRM | F_D64, op_push_E, "push"),
    R(MAP_1B, 0x8f, 1, 0, M_ANY, F_MODRM | F_D64, op_pop_E, "pop"),
    R(MAP_1B, 0x60, 1, -1, M_ANY, F_I64, op_pusha, "pusha"),
    R(MAP_1B, 0x61, 1, -1, M_ANY, F_I64, op_popa, "popa"),
    R(MAP_1B, 0xc8, 1, -1, M_ANY, F_ENTER | F_D64, op_enter, "enter"),
    R(MAP_1B, 0xc9, 1, -1, M_ANY, F_D64, op_leave, "leave"),
};
OPTABLE_PICK(optable_stack, defs, stack_pick);
