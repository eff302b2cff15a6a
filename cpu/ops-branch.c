/*
 * Near control transfers: Jcc, JMP, CALL, RET, LOOP/LOOPcc, JrCXZ.  Far
 * transfers live with segmentation (ops-seg.c).  Near branches in 64-bit
 * mode default to 64-bit operand size; as on AMD, a 66 prefix makes them
 * 16-bit.
 */
#include "cpu/cpu-priv.h"

static void op_jcc(struct cpu *c, const struct insn *i)
{
    if (cond_eval(c, i->arg)) {
        branch_to(c, c->rip + i->imm, i->opsz);
        branch_taken(c);
    }
}

static void op_jmp_rel(struct cpu *c, const struct insn *i)
{
    branch_to(c, c->rip + i->imm, i->opsz);
}

static void op_jmp_E(struct cpu *c, const struct insn *i)
{
    branch_to(c, rm_read(c, i, i->opsz), i->opsz);
}

static void call_to(struct cpu *c, uint64_t target, unsigned sz)
{
    uint64_t ret = c->rip;
    branch_to(c, target, sz);        /* faults before anything is pushed */
    push(c, sz, ret);
}

static void op_call_rel(struct cpu *c, const struct insn *i)
{
    call_to(c, c->rip + i->imm, i->opsz);
}

static void op_call_E(struct cpu *c, const struct insn *i)
{
    call_to(c, rm_read(c, i, i->opsz), i->opsz);
}

/* RET / RET imm16: rSP commits only once the target is known good. */
static void op_ret(struct cpu *c, const struct insn *i)
{
    unsigned sz = i->opsz;
    uint64_t m = size_mask(stack_size(c));
    uint64_t sp = c->r[R_SP] & m;
    uint64_t target = mem_read(c, SEG_SS, sp, sz);

    branch_to(c, target, sz);
    sp = (sp + sz + (i->imm & 0xffff)) & m;
    c->r[R_SP] = (c->r[R_SP] & ~m) | sp;
}

/* LOOP (arg 2), LOOPE (1), LOOPNE (0), JrCXZ (3): counter by address size */
static void op_loop(struct cpu *c, const struct insn *i)
{
    uint64_t m = size_mask(i->asz);
    uint64_t cx = c->r[R_CX] & m;
    bool taken;

    if (i->arg == 3) {
        taken = cx == 0;
    } else {
        cx = (cx - 1) & m;
        taken = cx != 0;
        if (i->arg == 1)
            taken = taken && cond_eval(c, 4);     /* ZF */
        else if (i->arg == 0)
            taken = taken && cond_eval(c, 5);     /* !ZF */
    }
    if (taken)
        branch_to(c, c->rip + i->imm, i->opsz);
    if (i->arg != 3)
        reg_write(c, R_CX, i->asz, cx);     /* ECX zero-extends, as any */
}

/* ---- 64-bit mode, 64-bit operand size: specialised at decode time ------ */

#define JCC64(cc)                                                           \
static void op_jcc64_##cc(struct cpu *c, const struct insn *i)              \
{                                                                           \
    if (cond_eval(c, cc)) {                                                 \
        branch64(c, c->rip + i->imm);                                       \
        branch_taken(c);                                                    \
    }                                                                       \
}

JCC64(0) JCC64(1) JCC64(2) JCC64(3) JCC64(4) JCC64(5) JCC64(6) JCC64(7)
JCC64(8) JCC64(9) JCC64(10) JCC64(11) JCC64(12) JCC64(13) JCC64(14) JCC64(15)

static const insn_fn jcc64[16] = {
    op_jcc64_0, op_jcc64_1, op_jcc64_2, op_jcc64_3, op_jcc64_4, op_jcc64_5,
    op_jcc64_6, op_jcc64_7, op_jcc64_8, op_jcc64_9, op_jcc64_10, op_jcc64_11,
    op_jcc64_12, op_jcc64_13, op_jcc64_14, op_jcc64_15,
};

static void op_jmp_rel64(struct cpu *c, const struct insn *i)
{
    branch64(c, c->rip + i->imm);
}

static void op_call_rel64(struct cpu *c, const struct insn *i)
{
    uint64_t ret = c->rip;
    branch64(c, ret + i->imm);
    push64(c, ret);
}

static void op_jmp_r64(struct cpu *c, const struct insn *i)
{
    branch64(c, c->r[i->rm]);
}

static void op_jmp_m64(struct cpu *c, const struct insn *i)
{
    branch64(c, lin_read(c, insn_la(c, i, 8, false), 8));
}

static void op_call_r64(struct cpu *c, const struct insn *i)
{
    uint64_t ret = c->rip;
    branch64(c, c->r[i->rm]);
    push64(c, ret);
}

static void op_call_m64(struct cpu *c, const struct insn *i)
{
    uint64_t ret = c->rip;
    branch64(c, lin_read(c, insn_la(c, i, 8, false), 8));
    push64(c, ret);
}

static void op_ret64(struct cpu *c, const struct insn *i)
{
    uint64_t sp = c->r[R_SP];
    branch64(c, lin_read(c, seg_linear(c, SEG_SS, sp, 8, false), 8));
    c->r[R_SP] = sp + 8 + (i->imm & 0xffff);
}

static insn_fn branch_pick(const struct insn *i, unsigned dmode)
{
    insn_fn fn = i->def->fn;

    if (dmode != DMODE_64 || i->opsz != 8)
        return NULL;
    if (fn == op_jcc)
        return jcc64[i->arg];
    if (fn == op_jmp_rel)
        return op_jmp_rel64;
    if (fn == op_call_rel)
        return op_call_rel64;
    if (fn == op_ret)
        return op_ret64;
    if (fn == op_jmp_E)
        return i->mod == 3 ? op_jmp_r64 : op_jmp_m64;
    if (fn == op_call_E)
        return i->mod == 3 ? op_call_r64 : op_call_m64;
    return NULL;
}

#define R(map, op, n, ext, fl, arg, fn, nm) \
    { map, op, n, P_ANY, ext, M_ANY, -1, (fl) | F_END | F_BRANCH, arg, 0, fn, nm }
/* Jcc: the block goes on when the branch is not taken. */
#define RJ(map, op, fl) \
    { map, op, 16, P_ANY, -1, M_ANY, -1, (fl) | F_BRANCH, 0, 0, op_jcc, "jcc" }

static const struct opdef defs[] = {
    RJ(MAP_1B, 0x70, F_IMM8S | F_REL | F_D64),
    RJ(MAP_0F, 0x80, F_IMMZ | F_REL | F_D64),
    R(MAP_1B, 0xeb, 1, -1, F_IMM8S | F_REL | F_D64, 0, op_jmp_rel, "jmp"),
    R(MAP_1B, 0xe9, 1, -1, F_IMMZ | F_REL | F_D64, 0, op_jmp_rel, "jmp"),
    R(MAP_1B, 0xe8, 1, -1, F_IMMZ | F_REL | F_D64, 0, op_call_rel, "call"),
    R(MAP_1B, 0xff, 1, 2, F_MODRM | F_D64, 0, op_call_E, "call"),
    R(MAP_1B, 0xff, 1, 4, F_MODRM | F_D64, 0, op_jmp_E, "jmp"),
    R(MAP_1B, 0xc3, 1, -1, F_D64, 0, op_ret, "ret"),
    R(MAP_1B, 0xc2, 1, -1, F_IMM16 | F_D64, 0, op_ret, "ret"),
    R(MAP_1B, 0xe0, 1, -1, F_IMM8S | F_REL | F_D64, 0, op_loop, "loopne"),
    R(MAP_1B, 0xe1, 1, -1, F_IMM8S | F_REL | F_D64, 1, op_loop, "loope"),
    R(MAP_1B, 0xe2, 1, -1, F_IMM8S | F_REL | F_D64, 2, op_loop, "loop"),
    R(MAP_1B, 0xe3, 1, -1, F_IMM8S | F_REL | F_D64, 3, op_loop, "jrcxz"),
};
OPTABLE_PICK(optable_branch, defs, branch_pick);
