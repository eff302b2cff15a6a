/*
 * The JIT back end for x86-64 hosts: a decoded 64-bit-mode block becomes
 * host code.  Guest registers and the lazy flags stay in struct cpu (the
 * host's store forwarding makes that cheap); the hot register forms and
 * relative branches are translated, every other instruction calls its
 * handler with the bookkeeping the interpreter does (exec.c AT_INSN), so
 * faults, icount and stop_block behave the same.
 *
 * Host registers while compiled code runs:
 *   rbx  struct cpu *          rbp  struct cpu_priv *
 *   r12  icount_end            r13  icount when the current block began
 *   r14  a guest RIP the translation knows statically: the RIP of each
 *        instruction is r14 plus a constant (jctx.ro), and so is its page
 *        offset (jctx.r14_pa), which lets a branch to the same page find
 *        its successor's physical address at translation time.
 * Compiled code retires instructions in the units the interpreter does
 * (whole blocks, or up to a handler that set stop_block), so the icount
 * at which interrupts come is the same with or without it.
 */
#include "cpu/jit.h"

#ifdef CONFIG_JIT
#include <stddef.h>
#include <stdlib.h>
#include <sys/mman.h>
#include "cpu/block.h"
#include "cpu/ops-hot.h"
#include "cpu/jit-x86-asm.h"

#define JIT_BUF_SIZE (32u << 20)
_Static_assert(sizeof(struct jc_entry) == 16, "emit_chain_dyn scales by 16");
/* Room a block needs before it is translated: the largest translation of
 * BLOCK_MAX_INSNS instructions stays well inside this. */
#define JIT_BLOCK_ROOM (BLOCK_MAX_INSNS * 320u + 1024u)

struct jit_state {
    uint8_t *buf;
    size_t used;
    const uint8_t *epilogue;     /* shared return to C */
    bool full;
};

/* ---- offsets into the state compiled code touches ---------------------- */

#define C_OFF(f) ((int32_t)offsetof(struct cpu, f))
#define P_OFF(f) ((int32_t)offsetof(struct cpu_priv, f))
#define R_OFF(n) (C_OFF(r) + (int32_t)(n) * 8)
#define LF_OP C_OFF(lf.op)
#define LF_RES C_OFF(lf.res)
#define LF_DST C_OFF(lf.dst)
#define LF_SRC C_OFF(lf.src)

/* ---- helpers compiled code calls ---------------------------------------- */

static unsigned jit_cond(struct cpu *c, unsigned cc)
{
    return cond_eval(c, cc);
}

static unsigned jit_flag_cf(struct cpu *c)
{
    return flag_cf(c);
}

static void jit_raise_gp(struct cpu *c)
{
    raise_gp(c, 0);
}

/* ---- the translation ----------------------------------------------------- */

enum { LF_UNKNOWN = -1 };

struct jctx {
    struct asm_buf a;
    struct cpu *c;
    struct block *b;
    const uint8_t *epilogue;
    int64_t ro;          /* RIP of the next instruction minus r14 */
    int64_t r14_pa;      /* page offset of the RIP in r14 */
    int lf;              /* lazy-flag kind the block last left, or unknown */
};

/* lea dst, [r14 + off] for any 64-bit off. */
static void emit_rip(struct jctx *j, unsigned dst, int64_t off)
{
    if (fits_s32(off)) {
        a_rm(&j->a, true, OP_LEA, dst, H_R14, (int32_t)off);
    } else {
        a_mov_ri(&j->a, dst, (uint64_t)off);
        a_rr(&j->a, true, 0x01, H_R14, dst);          /* add dst, r14 */
    }
}

/* Leave to the run loop having retired `retired` instructions of the
 * current block (c->rip already set); ret: may it chain on. */
static void emit_exit(struct jctx *j, unsigned retired, unsigned ret)
{
    a_rm(&j->a, true, OP_LEA, H_RAX, H_R13, (int32_t)retired);
    a_store64(&j->a, H_RAX, H_RBX, C_OFF(icount));
    a_mov_ri(&j->a, H_RAX, ret);
    a_jmp_to(&j->a, j->epilogue);
}

/* The guest RIP of the next instruction into c->rip. */
static void emit_store_rip(struct jctx *j, int64_t ro)
{
    emit_rip(j, H_RAX, ro);
    a_store64(&j->a, H_RAX, H_RBX, C_OFF(rip));
}

/*
 * A branch or fall-through to r14 + ro after `retired` instructions: to a
 * target in the same page whose block is compiled and in the jump cache,
 * jump straight into it when the interpreter would chain (nothing needs
 * attention, a block's worth of budget left); else return to the run
 * loop, which would chain there too.
 */
static unsigned emit_chain_checks(struct jctx *j, uint8_t **out)
{
    struct asm_buf *a = &j->a;
    unsigned n = 0;

    a_mov_rr(a, true, H_RAX, H_R12);
    a_rr(a, true, OP_SUB, H_RAX, H_R13);
    a_grp1_ri(a, true, G1_CMP, H_RAX, BLOCK_MAX_INSNS);
    out[n++] = a_jcc_fwd(a, HC_B);
    a_cmp8_mi(a, H_RBX, C_OFF(nmi_pending), 0);
    out[n++] = a_jcc_fwd(a, HC_NE);
    a_cmp8_mi(a, H_RBX, C_OFF(stop_request), 0);
    out[n++] = a_jcc_fwd(a, HC_NE);
    a_cmp8_mi(a, H_RBX, C_OFF(irq_pending), 0);
    uint8_t *no_irq = a_jcc_fwd(a, HC_E);
    a_test8_mi(a, H_RBX, C_OFF(rflags) + 1, FL_IF >> 8);
    out[n++] = a_jcc_fwd(a, HC_NE);
    a_patch(a, no_irq);
    return n;
}

static void emit_chain_dyn(struct jctx *j, unsigned retired);

/* Where a chain attempt gives up (the n fix-ups in out): back to the run
 * loop, which may chain on, with the icount in r13 (c->rip is set). */
static void emit_chain_out(struct jctx *j, uint8_t **out, unsigned n)
{
    for (unsigned k = 0; k < n; k++)
        a_patch(&j->a, out[k]);
    a_store64(&j->a, H_R13, H_RBX, C_OFF(icount));
    a_mov_ri(&j->a, H_RAX, 1);
    a_jmp_to(&j->a, j->epilogue);
}

static void emit_chain(struct jctx *j, unsigned retired, int64_t ro)
{
    struct asm_buf *a = &j->a;
    int64_t t = j->r14_pa + ro;
    uint8_t *out[8];
    unsigned n = 0;
    uint64_t tpa;
    int32_t slot;

    if (t < 0 || t >= (int64_t)PAGE_SIZE) {
        emit_rip(j, H_RDX, ro);             /* another page */
        a_store64(a, H_RDX, H_RBX, C_OFF(rip));
        emit_chain_dyn(j, retired);
        return;
    }
    tpa = (j->b->pa & PAGE_MASK) | (uint64_t)t;
    slot = P_OFF(jump_cache) + (int32_t)(jc_slot(tpa) * sizeof(struct jc_entry));
    a_rm(a, true, OP_LEA, H_R13, H_R13, (int32_t)retired);
    n = emit_chain_checks(j, out);
    a_mov_ri(a, H_RAX, block_key(tpa, DMODE_64));
    a_rm(a, true, OP_CMP, H_RAX, H_RBP,
         slot + (int32_t)offsetof(struct jc_entry, key));
    out[n++] = a_jcc_fwd(a, HC_NE);
    a_load64(a, H_RAX, H_RBP, slot + (int32_t)offsetof(struct jc_entry, b));
    a_load64(a, H_RAX, H_RAX, (int32_t)offsetof(struct block, jit_chain));
    a_rr(a, true, OP_TEST, H_RAX, H_RAX);
    out[n++] = a_jcc_fwd(a, HC_E);
    emit_rip(j, H_R14, ro);
    a_jmp_reg(a, H_RAX);
    for (unsigned k = 0; k < n; k++)
        a_patch(a, out[k]);
    emit_store_rip(j, ro);
    emit_chain_out(j, NULL, 0);
}

/* The TLB entry for the linear address in rsi (page index from the
 * address in idx_src) into rdi as an offset from rbx; the user table when
 * CPL is 3, as cpu_user_access. */
static void emit_tlb_entry(struct jctx *j, unsigned idx_src)
{
    struct asm_buf *a = &j->a;

    if (idx_src != H_RDI)
        a_mov_rr(a, true, H_RDI, idx_src);
    a_shift_ri(a, true, 5, H_RDI, PAGE_SHIFT);
    a_grp1_ri(a, false, G1_AND, H_RDI, TLB_SIZE - 1);
    a_imul_rri(a, H_RDI, H_RDI, (int32_t)sizeof(struct tlb_entry));
    a_cmp8_mi(a, H_RBX, C_OFF(cpl), 3);
    uint8_t *sup = a_jcc_fwd(a, HC_NE);
    a_grp1_ri(a, true, G1_ADD, H_RDI,
              (int32_t)(TLB_SIZE * sizeof(struct tlb_entry)));
    a_patch(a, sup);
}

#define TLB_OFF(f) (C_OFF(tlb.e) + (int32_t)offsetof(struct tlb_entry, f))

/* Compare rsi's page with the entry's tag f; returns the miss fix-up. */
static uint8_t *emit_tlb_tag(struct jctx *j, int32_t tag)
{
    struct asm_buf *a = &j->a;

    a_mov_rr(a, true, H_RCX, H_RSI);
    a_grp1_ri(a, true, G1_AND, H_RCX, -(int32_t)PAGE_SIZE);
    a_rm_sib(a, true, OP_CMP, H_RCX, H_RBX, H_RDI, 0, tag, false);
    return a_jcc_fwd(a, HC_NE);
}

/*
 * A near branch to the RIP in rdx (already in c->rip) after `retired`
 * instructions, wherever it goes: through the TLB's exec tag and the jump
 * cache straight into the successor's code when the interpreter would
 * chain and all of that hits; else back to the run loop, which
 * translates the fetch (and may fault) itself.
 */
static void emit_chain_dyn(struct jctx *j, unsigned retired)
{
    struct asm_buf *a = &j->a;
    uint8_t *out[8];
    unsigned n = 0;

    a_rm(a, true, OP_LEA, H_R13, H_R13, (int32_t)retired);
    n = emit_chain_checks(j, out);
    a_mov_rr(a, true, H_RSI, H_RDX);
    emit_tlb_entry(j, H_RSI);
    out[n++] = emit_tlb_tag(j, TLB_OFF(tag_exec));
    a_rm_sib(a, true, OP_MOV_LD, H_RAX, H_RBX, H_RDI, 0, TLB_OFF(pa), false);
    a_mov_rr(a, false, H_RCX, H_RSI);
    a_grp1_ri(a, false, G1_AND, H_RCX, PAGE_SIZE - 1);
    a_rr(a, true, 0x09, H_RCX, H_RAX);                 /* or rax, rcx */
    /* jc_slot(pa) * sizeof(struct jc_entry) into rcx, the key into rdi */
    a_mov_rr(a, true, H_RCX, H_RAX);
    a_shift_ri(a, true, 5, H_RCX, 10);
    a_rr(a, true, 0x31, H_RAX, H_RCX);                 /* xor rcx, rax */
    a_grp1_ri(a, false, G1_AND, H_RCX, JUMP_CACHE_SIZE - 1);
    a_shift_ri(a, false, 4, H_RCX, 4);
    a_mov_rr(a, true, H_RDI, H_RAX);
    a_shift_ri(a, true, 4, H_RDI, 2);
    a_grp1_ri(a, true, G1_OR, H_RDI, DMODE_64);
    a_rm_sib(a, true, OP_CMP, H_RDI, H_RBP, H_RCX, 0,
             P_OFF(jump_cache) + (int32_t)offsetof(struct jc_entry, key), false);
    out[n++] = a_jcc_fwd(a, HC_NE);
    a_rm_sib(a, true, OP_MOV_LD, H_RAX, H_RBP, H_RCX, 0,
             P_OFF(jump_cache) + (int32_t)offsetof(struct jc_entry, b), false);
    a_load64(a, H_RAX, H_RAX, (int32_t)offsetof(struct block, jit_chain));
    a_rr(a, true, OP_TEST, H_RAX, H_RAX);
    out[n++] = a_jcc_fwd(a, HC_E);
    a_mov_rr(a, true, H_R14, H_RSI);
    a_jmp_reg(a, H_RAX);
    emit_chain_out(j, out, n);
}

/* What the interpreter's AT_INSN does, for the instruction at r14 + at
 * of length len: where a fault or icount_sync belongs. */
static void emit_at_insn(struct jctx *j, const struct insn *i, int64_t at)
{
    struct asm_buf *a = &j->a;

    a_mov_ri(a, H_RSI, (uint64_t)(uintptr_t)i);
    a_store64(a, H_RSI, H_RBP, P_OFF(cur));
    emit_rip(j, H_RAX, at);
    a_store64(a, H_RAX, H_RBP, P_OFF(insn_rip));
    emit_rip(j, H_RAX, at + i->len);
    a_store64(a, H_RAX, H_RBX, C_OFF(rip));
}

/* Call the instruction's handler; afterwards leave if it set stop_block
 * (instruction k retired). */
static void emit_handler(struct jctx *j, const struct insn *i, unsigned k)
{
    struct asm_buf *a = &j->a;

    emit_at_insn(j, i, j->ro - i->len);
    a_mov_rr(a, true, H_RDI, H_RBX);
    a_call(a, (const void *)i->fn);
    a_cmp8_mi(a, H_RBP, P_OFF(stop_block), 0);
    uint8_t *go_on = a_jcc_fwd(a, HC_E);
    emit_exit(j, k + 1, 0);
    a_patch(a, go_on);
}

/* ---- lazy flags ----------------------------------------------------------- */

/* Record op/size with res (and dst, src unless LOGIC) from host
 * registers that already hold the values sign-extended from size. */
static void emit_lf(struct jctx *j, unsigned kind, unsigned size,
                    unsigned res, unsigned dst, unsigned src)
{
    struct asm_buf *a = &j->a;

    a_rex(a, false, 0, 0, H_RBX, false);
    a_byte(a, 0xc7);                                  /* mov dword [], imm */
    a_mem(a, 0, H_RBX, LF_OP);
    a_u32(a, kind << 2 | size_log2(size));
    a_store64(a, res, H_RBX, LF_RES);
    if (kind != LF_LOGIC) {
        a_store64(a, dst, H_RBX, LF_DST);
        a_store64(a, src, H_RBX, LF_SRC);
    }
    j->lf = (int)kind;
}

/* Sign-extend a 32-bit value in place (a no-op for 64-bit sizes). */
static void emit_sext(struct jctx *j, unsigned size, unsigned r)
{
    if (size == 4)
        a_rr(&j->a, true, OP_MOVSXD, r, r);
}

/* CF as flag_cf() computes it, into ecx (0 or 1). */
static void emit_cf(struct jctx *j)
{
    struct asm_buf *a = &j->a;

    switch (j->lf) {
    case LF_SUB:
        a_load64(a, H_RAX, H_RBX, LF_DST);
        a_rm(a, true, OP_CMP, H_RAX, H_RBX, LF_SRC);
        a_setcc(a, HC_B, H_RCX);
        break;
    case LF_INC:
    case LF_DEC:
        a_load64(a, H_RCX, H_RBX, LF_SRC);            /* the CF they kept */
        break;
    case LF_LOGIC:
        a_rr(a, false, OP_XOR, H_RCX, H_RCX);
        break;
    case LF_ADD:
        a_load64(a, H_RAX, H_RBX, LF_RES);
        a_rm(a, true, OP_CMP, H_RAX, H_RBX, LF_DST);
        a_setcc(a, HC_B, H_RCX);
        break;
    default:
        a_mov_rr(a, true, H_RDI, H_RBX);
        a_call(a, (const void *)jit_flag_cf);
        a_rr(a, false, OP_MOVZX8, H_RCX, H_RAX);
        break;
    }
}

/* ---- register forms -------------------------------------------------------- */

/* Load register n (size 4: zero-extended) into host register h. */
static void emit_get(struct jctx *j, unsigned h, unsigned n, unsigned size)
{
    if (size == 8)
        a_load64(&j->a, h, H_RBX, R_OFF(n));
    else
        a_load32(&j->a, h, H_RBX, R_OFF(n));
}

static void emit_put(struct jctx *j, unsigned h, unsigned n)
{
    a_store64(&j->a, h, H_RBX, R_OFF(n));
}

/* dst op= src (a register, or the immediate imm when src < 0), flags lazy
 * as alu() records them. */
static void emit_alu(struct jctx *j, unsigned kind, unsigned size,
                     unsigned dst, int src, uint64_t imm)
{
    static const uint8_t host_op[] = {
        [ALU_ADD] = OP_ADD, [ALU_OR] = OP_OR, [ALU_AND] = OP_AND,
        [ALU_SUB] = OP_SUB, [ALU_XOR] = OP_XOR, [ALU_CMP] = OP_SUB,
    };
    struct asm_buf *a = &j->a;
    bool w = size == 8;

    emit_get(j, H_RAX, dst, size);
    if (src < 0)
        a_mov_ri(a, H_RCX, imm & size_mask(size));
    else
        emit_get(j, H_RCX, (unsigned)src, size);
    a_mov_rr(a, w, H_RDX, H_RAX);
    a_rr(a, w, host_op[kind], H_RDX, H_RCX);
    if (kind != ALU_CMP)
        emit_put(j, H_RDX, dst);
    emit_sext(j, size, H_RDX);
    if (kind == ALU_ADD || kind == ALU_SUB || kind == ALU_CMP) {
        emit_sext(j, size, H_RAX);
        emit_sext(j, size, H_RCX);
        emit_lf(j, kind == ALU_ADD ? LF_ADD : LF_SUB, size, H_RDX, H_RAX,
                H_RCX);
    } else {
        emit_lf(j, LF_LOGIC, size, H_RDX, 0, 0);
    }
}

static void emit_test(struct jctx *j, unsigned size, unsigned r1,
                      unsigned r2)
{
    emit_get(j, H_RDX, r1, size);
    a_rm(&j->a, size == 8, OP_AND, H_RDX, H_RBX, R_OFF(r2));
    emit_sext(j, size, H_RDX);
    emit_lf(j, LF_LOGIC, size, H_RDX, 0, 0);
}

static void emit_incdec(struct jctx *j, unsigned size, unsigned r, bool dec)
{
    struct asm_buf *a = &j->a;
    bool w = size == 8;

    emit_cf(j);
    emit_get(j, H_RAX, r, size);
    a_mov_rr(a, w, H_RDX, H_RAX);
    a_grp1_ri(a, w, dec ? G1_SUB : G1_ADD, H_RDX, 1);
    emit_put(j, H_RDX, r);
    emit_sext(j, size, H_RDX);
    emit_sext(j, size, H_RAX);
    emit_lf(j, dec ? LF_DEC : LF_INC, size, H_RDX, H_RAX, H_RCX);
}

static void emit_shift(struct jctx *j, unsigned kind, unsigned size,
                       unsigned r, uint64_t imm)
{
    struct asm_buf *a = &j->a;
    unsigned n = (unsigned)imm & (size * 8 - 1);
    bool w = size == 8;

    emit_get(j, H_RAX, r, size);
    a_mov_rr(a, w, H_RDX, H_RAX);
    a_shift_ri(a, w, kind == LF_SHR ? 5 : 4, H_RDX, n);
    emit_put(j, H_RDX, r);
    emit_sext(j, size, H_RDX);
    emit_sext(j, size, H_RAX);
    a_mov_ri(a, H_RCX, n);
    emit_lf(j, kind, size, H_RDX, H_RAX, H_RCX);
}

/* The effective address of a hot memory operand into rax (ops-hot.h
 * hot_ea; RIP-relative from the next instruction). */
static void emit_ea(struct jctx *j, const struct insn *i)
{
    struct asm_buf *a = &j->a;
    int64_t disp = i->disp;

    if (i->base == REG_RIP) {
        emit_rip(j, H_RAX, j->ro + disp);
        disp = 0;
    } else if (i->base != REG_NONE) {
        a_load64(a, H_RAX, H_RBX, R_OFF(i->base));
    } else {
        a_rr(a, false, OP_XOR, H_RAX, H_RAX);
    }
    if (i->index != REG_NONE) {
        a_load64(a, H_RCX, H_RBX, R_OFF(i->index));
        a_lea_sib(a, H_RAX, H_RAX, H_RCX, i->scale, (int32_t)disp);
    } else if (disp) {
        a_rm(a, true, OP_LEA, H_RAX, H_RAX, (int32_t)disp);
    }
}

/* Lazy-flag kinds the hot memory and branch forms leave (they run through
 * their handlers here). */
static int lf_after_handler(unsigned xop, int before)
{
    switch (xop) {
    case XOP_CMP_EIm1: return LF_SUB;
    case XOP_XOR_GEm4: return LF_LOGIC;
    case XOP_CALL: return LF_UNKNOWN;
    default: return before;
    }
}

/* ---- memory forms ------------------------------------------------------------ */

/* [host page + offset] of a TLB hit (rdi, rsi) as an operand. */
static void emit_host(struct jctx *j, bool w, unsigned op, unsigned reg,
                      bool byte8)
{
    a_rm_sib(&j->a, w, op, reg, H_RDI, H_RSI, 0, 0, byte8);
}

/* Jump to the fix-up in *bad unless the address in r is canonical. */
static void emit_canonical_or(struct jctx *j, unsigned r, uint8_t **bad)
{
    struct asm_buf *a = &j->a;

    a_mov_rr(a, true, H_RCX, r);
    a_shift_ri(a, true, 4, H_RCX, 16);
    a_shift_ri(a, true, 7, H_RCX, 16);
    a_rr(a, true, OP_CMP, H_RCX, r);
    *bad = a_jcc_fwd(a, HC_NE);
}

/* The linear address a hot memory form accesses into rsi and r8, and
 * whether it writes; the stack forms address [rsp] or [rsp - 8]. */
static void emit_mem_addr(struct jctx *j, const struct insn *i)
{
    struct asm_buf *a = &j->a;

    switch (i->xop) {
    case XOP_PUSH_r64:
    case XOP_CALL64:
        a_load64(a, H_RSI, H_RBX, R_OFF(R_SP));
        a_grp1_ri(a, true, G1_SUB, H_RSI, 8);
        break;
    case XOP_POP_r64:
    case XOP_RET64:
        a_load64(a, H_RSI, H_RBX, R_OFF(R_SP));
        break;
    default:
        emit_ea(j, i);
        a_mov_rr(a, true, H_RSI, H_RAX);
        break;
    }
    a_mov_rr(a, true, H_R8, H_RSI);
}

static unsigned mem_size(unsigned xop)
{
    switch (xop) {
    case XOP_MOV_GEm4: case XOP_MOV_EGm4: case XOP_MOVSXD_m:
    case XOP_XOR_GEm4:
        return 4;
    case XOP_MOV_EGm1: case XOP_MOVZX_m1_4: case XOP_CMP_EIm1:
        return 1;
    default:
        return 8;
    }
}

static bool mem_writes(unsigned xop)
{
    return xop == XOP_MOV_EGm4 || xop == XOP_MOV_EGm8 ||
           xop == XOP_MOV_EGm1 || xop == XOP_PUSH_r64 || xop == XOP_CALL64;
}

/* The byte register operand of MOV m8, r8 into edx. */
static void emit_get8(struct jctx *j, unsigned h, unsigned r)
{
    int32_t off = r >= REG_HIGH8 ? R_OFF(r - REG_HIGH8) + 1 : R_OFF(r);
    a_rm(&j->a, false, OP_MOVZX8, h, H_RBX, off);
}

/* The form's work on a TLB hit; *bad collects a jump to the handler for
 * what the fast path does not do (a non-canonical branch target). */
static void emit_mem_fast(struct jctx *j, const struct insn *i,
                          uint8_t **bad)
{
    struct asm_buf *a = &j->a;

    *bad = NULL;
    switch (i->xop) {
    case XOP_MOV_GEm4:
        emit_host(j, false, OP_MOV_LD, H_RDX, false);
        emit_put(j, H_RDX, i->reg);
        break;
    case XOP_MOV_GEm8:
        emit_host(j, true, OP_MOV_LD, H_RDX, false);
        emit_put(j, H_RDX, i->reg);
        break;
    case XOP_MOV_EGm4:
        emit_get(j, H_RDX, i->reg, 4);
        emit_host(j, false, OP_MOV_ST, H_RDX, false);
        break;
    case XOP_MOV_EGm8:
        emit_get(j, H_RDX, i->reg, 8);
        emit_host(j, true, OP_MOV_ST, H_RDX, false);
        break;
    case XOP_MOV_EGm1:
        emit_get8(j, H_RDX, i->reg);
        emit_host(j, false, OP_MOV8_ST, H_RDX, true);
        break;
    case XOP_MOVZX_m1_4:
        emit_host(j, false, OP_MOVZX8, H_RDX, false);
        emit_put(j, H_RDX, i->reg);
        break;
    case XOP_MOVSXD_m:
        emit_host(j, true, OP_MOVSXD, H_RDX, false);
        emit_put(j, H_RDX, i->reg);
        break;
    case XOP_CMP_EIm1:
        emit_host(j, false, OP_MOVZX8, H_RAX, false);
        a_mov_rr(a, false, H_RDX, H_RAX);
        a_grp1_ri(a, false, G1_SUB, H_RDX, (int32_t)(i->imm & 0xff));
        a_rr(a, true, OP_MOVSX8, H_RDX, H_RDX);
        a_rr(a, true, OP_MOVSX8, H_RAX, H_RAX);
        a_mov_ri(a, H_RCX, (uint64_t)sext(i->imm & 0xff, 1));
        emit_lf(j, LF_SUB, 1, H_RDX, H_RAX, H_RCX);
        break;
    case XOP_XOR_GEm4:
        emit_host(j, false, OP_MOV_LD, H_RDX, false);
        a_rm(a, false, OP_XOR, H_RDX, H_RBX, R_OFF(i->reg));
        emit_put(j, H_RDX, i->reg);
        emit_sext(j, 4, H_RDX);
        emit_lf(j, LF_LOGIC, 4, H_RDX, 0, 0);
        break;
    case XOP_PUSH_r64:
        emit_get(j, H_RDX, i->reg, 8);
        emit_host(j, true, OP_MOV_ST, H_RDX, false);
        emit_put(j, H_R8, R_SP);
        break;
    case XOP_POP_r64:
        emit_host(j, true, OP_MOV_LD, H_RDX, false);
        a_rm(a, true, OP_LEA, H_RAX, H_R8, 8);
        emit_put(j, H_RAX, R_SP);
        emit_put(j, H_RDX, i->reg);
        break;
    case XOP_CALL64:
        emit_rip(j, H_RDX, j->ro);
        emit_host(j, true, OP_MOV_ST, H_RDX, false);
        emit_put(j, H_R8, R_SP);
        break;
    case XOP_RET64:
    case XOP_JMP_m64:
        emit_host(j, true, OP_MOV_LD, H_RDX, false);
        emit_canonical_or(j, H_RDX, bad);
        if (i->xop == XOP_RET64) {
            a_rm(a, true, OP_LEA, H_RAX, H_R8, 8);
            emit_put(j, H_RAX, R_SP);
        }
        a_store64(a, H_RDX, H_RBX, C_OFF(rip));
        break;
    }
}

/* A relative branch or call to another page checks its target first (a
 * non-canonical one is #GP at the instruction, before a call's push):
 * the returned fix-up is taken for a non-canonical target; NULL within
 * the page, where the target is as canonical as the code. */
static uint8_t *emit_target_check(struct jctx *j, const struct insn *i)
{
    int64_t target = j->ro + (int64_t)i->imm;
    int64_t t = j->r14_pa + target;
    uint8_t *bad = NULL;

    if (t < 0 || t >= (int64_t)PAGE_SIZE) {
        emit_rip(j, H_RAX, target);
        emit_canonical_or(j, H_RAX, &bad);
    }
    return bad;
}

/*
 * A hot memory form: straight to host memory on a TLB hit, else (and for
 * anything unusual) its handler, which redoes the access with every check
 * and may fault.  A store through the fast path cannot hit code: pages
 * holding blocks have no write tag (tlb_flush_phys_writes).
 */
static void emit_mem_form(struct jctx *j, const struct insn *i, unsigned k)
{
    struct asm_buf *a = &j->a;
    unsigned size = mem_size(i->xop);
    bool write = mem_writes(i->xop);
    uint8_t *precheck = NULL, *miss, *bad, *done;
    int lf = j->lf;

    if (i->xop == XOP_CALL64)
        precheck = emit_target_check(j, i);
    emit_mem_addr(j, i);
    if (size > 1) {     /* the entry of the last byte (lin_fast) */
        a_rm(a, true, OP_LEA, H_RDI, H_RSI, (int32_t)size - 1);
        emit_tlb_entry(j, H_RDI);
    } else {
        emit_tlb_entry(j, H_RSI);
    }
    miss = emit_tlb_tag(j, write ? TLB_OFF(tag_write) : TLB_OFF(tag_read));
    a_rm_sib(a, true, OP_MOV_LD, H_RDI, H_RBX, H_RDI, 0, TLB_OFF(host), false);
    a_grp1_ri(a, false, G1_AND, H_RSI, PAGE_SIZE - 1);
    emit_mem_fast(j, i, &bad);
    done = a_jmp_fwd(a);
    a_patch(a, precheck);
    a_patch(a, miss);
    a_patch(a, bad);
    j->lf = lf;
    emit_handler(j, i, k);
    j->lf = lf_after_handler(i->xop, lf);
    a_patch(a, done);
    if (i->xop == XOP_RET64 || i->xop == XOP_JMP_m64) {
        a_load64(a, H_RDX, H_RBX, C_OFF(rip));
        emit_chain_dyn(j, k + 1);
    } else if (i->xop == XOP_CALL64) {
        emit_chain(j, k + 1, j->ro + (int64_t)i->imm);
    }
}

/* ---- branches ---------------------------------------------------------------- */

/*
 * Jump to the returned fix-up when condition cc is false, from what the
 * block statically knows of the lazy flags (cond_eval's rules); NULL and
 * *always set when the condition is constant.
 */
static uint8_t *emit_cond_false(struct jctx *j, unsigned cc, int *always)
{
    struct asm_buf *a = &j->a;
    unsigned pair = cc >> 1, neg = cc & 1;
    int kind = j->lf;

    *always = -1;
    if (kind == LF_SUB && (pair == 1 || pair == 3 || pair == 6 || pair == 7)) {
        a_load64(a, H_RAX, H_RBX, LF_DST);
        a_rm(a, true, OP_CMP, H_RAX, H_RBX, LF_SRC);
        return a_jcc_fwd(a, cc ^ 1);
    }
    if (kind == LF_LOGIC && (pair == 0 || pair == 1)) {
        *always = (int)neg;                 /* OF and CF are clear */
        return NULL;
    }
    if (kind == LF_LOGIC && pair != 5) {
        static const uint8_t logic_cc[8] = {
            [2] = HC_E, [3] = HC_E, [4] = HC_S, [6] = HC_L, [7] = HC_LE,
        };
        a_grp1_mi(a, true, G1_CMP, H_RBX, LF_RES, 0);
        return a_jcc_fwd(a, (logic_cc[pair] | neg) ^ 1);
    }
    if (kind > LF_NONE && (pair == 2 || pair == 4)) {
        a_grp1_mi(a, true, G1_CMP, H_RBX, LF_RES, 0);
        return a_jcc_fwd(a, cc ^ 1);
    }
    a_mov_rr(a, true, H_RDI, H_RBX);
    a_mov_ri(a, H_RSI, cc);
    a_call(a, (const void *)jit_cond);
    a_rr(a, false, OP_TEST, H_RAX, H_RAX);
    return a_jcc_fwd(a, HC_E);
}

/* A relative branch (instruction k) taken: to r14 + ro + imm. */
static void emit_rel_taken(struct jctx *j, const struct insn *i, unsigned k)
{
    struct asm_buf *a = &j->a;
    int64_t target = j->ro + (int64_t)i->imm;
    uint8_t *bad = emit_target_check(j, i);

    if (bad) {                  /* #GP at the branch */
        uint8_t *ok = a_jmp_fwd(a);
        a_patch(a, bad);
        emit_at_insn(j, i, j->ro - i->len);
        a_mov_rr(a, true, H_RDI, H_RBX);
        a_call(a, (const void *)jit_raise_gp);
        a_patch(a, ok);
    }
    emit_chain(j, k + 1, target);
}

static void emit_rel(struct jctx *j, const struct insn *i, unsigned k)
{
    int always = 1;
    uint8_t *skip = NULL;

    if (i->xop != XOP_JMP64)
        skip = emit_cond_false(j, (unsigned)(i->xop - XOP_JCC64_0), &always);
    if (always == 0)
        return;
    emit_rel_taken(j, i, k);
    a_patch(&j->a, skip);
}

/* ---- one instruction --------------------------------------------------- */

static bool emit_reg_form(struct jctx *j, const struct insn *i)
{
    struct asm_buf *a = &j->a;

    switch (i->xop) {
    case XOP_MOV_EGr4: emit_get(j, H_RAX, i->reg, 4); emit_put(j, H_RAX, i->rm); break;
    case XOP_MOV_EGr8: emit_get(j, H_RAX, i->reg, 8); emit_put(j, H_RAX, i->rm); break;
    case XOP_MOV_RI4:
        a_mov_ri(a, H_RAX, (uint32_t)i->imm);
        emit_put(j, H_RAX, i->reg);
        break;
    case XOP_LEA4:
        emit_ea(j, i);
        a_mov_rr(a, false, H_RAX, H_RAX);
        emit_put(j, H_RAX, i->reg);
        break;
    case XOP_LEA8: emit_ea(j, i); emit_put(j, H_RAX, i->reg); break;
    case XOP_MOVSXD_r:
        a_rm(a, true, OP_MOVSXD, H_RAX, H_RBX, R_OFF(i->rm));
        emit_put(j, H_RAX, i->reg);
        break;
    case XOP_MOVZX_r1_4:
        if (i->rm >= REG_HIGH8)
            a_rm(a, false, OP_MOVZX8, H_RAX, H_RBX, R_OFF(i->rm - REG_HIGH8) + 1);
        else
            a_rm(a, false, OP_MOVZX8, H_RAX, H_RBX, R_OFF(i->rm));
        emit_put(j, H_RAX, i->reg);
        break;
    case XOP_SHR_ibr4: emit_shift(j, LF_SHR, 4, i->rm, i->imm); break;
    case XOP_SHR_ibr8: emit_shift(j, LF_SHR, 8, i->rm, i->imm); break;
    case XOP_SHL_ibr4: emit_shift(j, LF_SHL, 4, i->rm, i->imm); break;
    case XOP_SHL_ibr8: emit_shift(j, LF_SHL, 8, i->rm, i->imm); break;
    case XOP_ADD_EIr4: emit_alu(j, ALU_ADD, 4, i->rm, -1, i->imm); break;
    case XOP_ADD_EIr8: emit_alu(j, ALU_ADD, 8, i->rm, -1, i->imm); break;
    case XOP_SUB_EIr4: emit_alu(j, ALU_SUB, 4, i->rm, -1, i->imm); break;
    case XOP_SUB_EIr8: emit_alu(j, ALU_SUB, 8, i->rm, -1, i->imm); break;
    case XOP_CMP_EIr4: emit_alu(j, ALU_CMP, 4, i->rm, -1, i->imm); break;
    case XOP_CMP_EIr8: emit_alu(j, ALU_CMP, 8, i->rm, -1, i->imm); break;
    case XOP_AND_EIr4: emit_alu(j, ALU_AND, 4, i->rm, -1, i->imm); break;
    case XOP_AND_EIr8: emit_alu(j, ALU_AND, 8, i->rm, -1, i->imm); break;
    case XOP_ADD_EGr4: emit_alu(j, ALU_ADD, 4, i->rm, i->reg, 0); break;
    case XOP_ADD_EGr8: emit_alu(j, ALU_ADD, 8, i->rm, i->reg, 0); break;
    case XOP_SUB_EGr4: emit_alu(j, ALU_SUB, 4, i->rm, i->reg, 0); break;
    case XOP_SUB_EGr8: emit_alu(j, ALU_SUB, 8, i->rm, i->reg, 0); break;
    case XOP_CMP_EGr4: emit_alu(j, ALU_CMP, 4, i->rm, i->reg, 0); break;
    case XOP_CMP_EGr8: emit_alu(j, ALU_CMP, 8, i->rm, i->reg, 0); break;
    case XOP_XOR_EGr4: emit_alu(j, ALU_XOR, 4, i->rm, i->reg, 0); break;
    case XOP_XOR_EGr8: emit_alu(j, ALU_XOR, 8, i->rm, i->reg, 0); break;
    case XOP_AND_EGr4: emit_alu(j, ALU_AND, 4, i->rm, i->reg, 0); break;
    case XOP_AND_EGr8: emit_alu(j, ALU_AND, 8, i->rm, i->reg, 0); break;
    case XOP_TEST_r4: emit_test(j, 4, i->rm, i->reg); break;
    case XOP_TEST_r8: emit_test(j, 8, i->rm, i->reg); break;
    case XOP_INC_r4: emit_incdec(j, 4, i->rm, false); break;
    case XOP_INC_r8: emit_incdec(j, 8, i->rm, false); break;
    case XOP_DEC_r4: emit_incdec(j, 4, i->rm, true); break;
    case XOP_DEC_r8: emit_incdec(j, 8, i->rm, true); break;
    case XOP_NOP: break;
    default: return false;
    }
    return true;
}

static bool is_mem_form(unsigned xop)
{
    switch (xop) {
    case XOP_MOV_GEm4: case XOP_MOV_GEm8: case XOP_MOV_EGm4:
    case XOP_MOV_EGm8: case XOP_MOV_EGm1: case XOP_MOVZX_m1_4:
    case XOP_MOVSXD_m: case XOP_CMP_EIm1: case XOP_XOR_GEm4:
    case XOP_PUSH_r64: case XOP_POP_r64: case XOP_CALL64: case XOP_RET64:
    case XOP_JMP_m64:
        return true;
    default:
        return false;
    }
}

/* The branch forms that leave their block themselves. */
static bool leaves_block(unsigned xop)
{
    return xop == XOP_JMP64 || xop == XOP_CALL64 || xop == XOP_RET64 ||
           xop == XOP_JMP_m64;
}

static void emit_insn(struct jctx *j, const struct insn *i, unsigned k)
{
    j->ro += i->len;
    if (i->xop == XOP_JMP64_IN) {
        j->ro += (int64_t)i->imm;
        return;
    }
    if (i->xop == XOP_JMP64 ||
        (i->xop >= XOP_JCC64_0 && i->xop <= XOP_JCC64_15)) {
        emit_rel(j, i, k);
        return;
    }
    if (emit_reg_form(j, i))
        return;
    if (is_mem_form(i->xop)) {
        emit_mem_form(j, i, k);
        return;
    }
    emit_handler(j, i, k);
    j->lf = lf_after_handler(i->xop, j->lf);
}

/* After the last instruction: where the interpreter would go next. */
static void emit_block_end(struct jctx *j)
{
    const struct block *b = j->b;
    const struct insn *last = &b->insns[b->n - 1];

    if (leaves_block(last->xop))
        return;
    if (last->xop == XOP_CALL && last->def && (last->def->flags & F_END)) {
        emit_exit(j, b->n, b->chain);          /* c->rip from the handler */
        return;
    }
    emit_chain(j, b->n, j->ro);
}

/* ---- entry, buffer ----------------------------------------------------------- */

static const uint8_t *emit_epilogue(struct asm_buf *a)
{
    const uint8_t *at = a->p;

    a_grp1_ri(a, true, G1_ADD, H_RSP, 8);
    a_pop(a, H_R15);
    a_pop(a, H_R14);
    a_pop(a, H_R13);
    a_pop(a, H_R12);
    a_pop(a, H_RBP);
    a_pop(a, H_RBX);
    a_byte(a, 0xc3);
    return at;
}

static void emit_prologue(struct asm_buf *a)
{
    a_push(a, H_RBX);
    a_push(a, H_RBP);
    a_push(a, H_R12);
    a_push(a, H_R13);
    a_push(a, H_R14);
    a_push(a, H_R15);
    a_grp1_ri(a, true, G1_SUB, H_RSP, 8);
    a_mov_rr(a, true, H_RBX, H_RDI);
    a_load64(a, H_RBP, H_RBX, C_OFF(priv));
    a_mov_rr(a, true, H_R12, H_RSI);
    a_load64(a, H_R13, H_RBX, C_OFF(icount));
    a_load64(a, H_R14, H_RBX, C_OFF(rip));
}

/* Where a block's code begins when another block chains to it: what the
 * interpreter's enter: records. */
static void emit_block_start(struct jctx *j)
{
    struct asm_buf *a = &j->a;

    a_mov_ri(a, H_RAX, (uint64_t)(uintptr_t)j->b);
    a_store64(a, H_RAX, H_RBP, P_OFF(cur_block));
    a_rm(a, true, OP_LEA, H_RAX, H_RAX, (int32_t)offsetof(struct block, insns));
    a_store64(a, H_RAX, H_RBP, P_OFF(run_first));
    a_store64(a, H_R13, H_RBP, P_OFF(run_base));
}

bool jit_compile(struct cpu *c, struct block *b)
{
    struct jit_state *s = c->priv->jit;
    struct jctx j;

    if (!s || s->full)
        return false;
    if (JIT_BUF_SIZE - s->used < JIT_BLOCK_ROOM) {
        s->full = true;
        return false;
    }
    j = (struct jctx){
        .a = { s->buf + s->used, s->buf + JIT_BUF_SIZE, false },
        .c = c, .b = b, .epilogue = s->epilogue,
        .r14_pa = (int64_t)(b->pa & (PAGE_SIZE - 1)), .lf = LF_UNKNOWN,
    };
    uint8_t *entry = j.a.p;
    emit_prologue(&j.a);
    uint8_t *chain = j.a.p;
    emit_block_start(&j);
    for (unsigned k = 0; k < b->n; k++)
        emit_insn(&j, &b->insns[k], k);
    emit_block_end(&j);
    if (j.a.full) {
        s->full = true;
        return false;
    }
    s->used = (size_t)(j.a.p - s->buf);
    b->jit_entry = entry;
    b->jit_chain = chain;
    return true;
}

bool jit_reset_due(const struct cpu *c)
{
    return c->priv->jit && c->priv->jit->full;
}

void jit_reset(struct cpu *c)
{
    struct jit_state *s = c->priv->jit;
    struct asm_buf a = { s->buf, s->buf + JIT_BUF_SIZE, false };

    s->epilogue = emit_epilogue(&a);
    s->used = (size_t)(a.p - s->buf);
    s->full = false;
}

bool jit_init(struct cpu *c)
{
    struct jit_state *s = calloc(1, sizeof(*s));
    void *m;

    if (!s)
        return false;
    m = mmap(NULL, JIT_BUF_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC,
             MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) {
        free(s);
        return false;
    }
    s->buf = m;
    c->priv->jit = s;
    jit_reset(c);
    return true;
}

void jit_destroy(struct cpu *c)
{
    struct jit_state *s = c->priv->jit;

    if (!s)
        return;
    munmap(s->buf, JIT_BUF_SIZE);
    free(s);
    c->priv->jit = NULL;
}

#endif
