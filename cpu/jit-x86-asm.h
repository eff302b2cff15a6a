/*
 * A small x86-64 assembler for the JIT back end (jit-x86_64.c): just the
 * encodings it emits.  Bytes go into a buffer the caller sized; an
 * overflow sets asm.full and the translation is dropped.
 */
#ifndef XENEMU_CPU_JIT_X86_ASM_H
#define XENEMU_CPU_JIT_X86_ASM_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

enum {
    H_RAX, H_RCX, H_RDX, H_RBX, H_RSP, H_RBP, H_RSI, H_RDI,
    H_R8, H_R9, H_R10, H_R11, H_R12, H_R13, H_R14, H_R15,
};

/* Host condition codes (the low nibble of Jcc/SETcc). */
enum {
    HC_O, HC_NO, HC_B, HC_AE, HC_E, HC_NE, HC_BE, HC_A,
    HC_S, HC_NS, HC_P, HC_NP, HC_L, HC_GE, HC_LE, HC_G,
};

struct asm_buf {
    uint8_t *p, *end;
    bool full;
};

static inline void a_byte(struct asm_buf *a, unsigned v)
{
    if (a->p < a->end)
        *a->p++ = (uint8_t)v;
    else
        a->full = true;
}

static inline void a_u32(struct asm_buf *a, uint32_t v)
{
    for (unsigned k = 0; k < 4; k++)
        a_byte(a, (v >> (8 * k)) & 0xff);
}

static inline void a_u64(struct asm_buf *a, uint64_t v)
{
    a_u32(a, (uint32_t)v);
    a_u32(a, (uint32_t)(v >> 32));
}

static inline bool fits_s8(int64_t v) { return v >= -128 && v <= 127; }
static inline bool fits_s32(int64_t v) { return v >= INT32_MIN && v <= INT32_MAX; }

/* REX prefix for operand width w (64-bit), reg, index and base/rm;
 * byte8: an 8-bit register operand among SPL..DIL needs a REX. */
static inline void a_rex(struct asm_buf *a, bool w, unsigned reg,
                         unsigned index, unsigned base, bool byte8)
{
    unsigned rex = 0x40 | (w ? 8 : 0) | ((reg & 8) ? 4 : 0) |
                   ((index & 8) ? 2 : 0) | ((base & 8) ? 1 : 0);
    if (rex != 0x40 || byte8)
        a_byte(a, rex);
}

/* Opcode bytes: op is 1 byte, or 0x0fXX for two. */
static inline void a_opc(struct asm_buf *a, unsigned op)
{
    if (op > 0xff)
        a_byte(a, op >> 8);
    a_byte(a, op & 0xff);
}

/* ModRM (+SIB, disp) for [base + disp]. */
static inline void a_mem(struct asm_buf *a, unsigned reg, unsigned base,
                         int32_t disp)
{
    unsigned mod = (disp == 0 && (base & 7) != H_RBP) ? 0
                   : fits_s8(disp) ? 1 : 2;
    a_byte(a, mod << 6 | (reg & 7) << 3 | (base & 7));
    if ((base & 7) == H_RSP)
        a_byte(a, 0x24);
    if (mod == 1)
        a_byte(a, (uint8_t)disp);
    else if (mod == 2)
        a_u32(a, (uint32_t)disp);
}

/* op reg, [base + disp] (or op [base + disp], reg: the opcode decides). */
static inline void a_rm(struct asm_buf *a, bool w, unsigned op, unsigned reg,
                        unsigned base, int32_t disp)
{
    a_rex(a, w, reg, 0, base, false);
    a_opc(a, op);
    a_mem(a, reg, base, disp);
}

/* op reg, rm (register direct). */
static inline void a_rr(struct asm_buf *a, bool w, unsigned op, unsigned reg,
                        unsigned rm)
{
    a_rex(a, w, reg, 0, rm, false);
    a_opc(a, op);
    a_byte(a, 0xc0 | (reg & 7) << 3 | (rm & 7));
}

/* op reg, [base + index << scale + disp32]; byte8: reg is an 8-bit
 * register operand (SPL..DIL need a REX). */
static inline void a_rm_sib(struct asm_buf *a, bool w, unsigned op,
                            unsigned reg, unsigned base, unsigned index,
                            unsigned scale, int32_t disp, bool byte8)
{
    a_rex(a, w, reg, index, base, byte8 && reg >= 4);
    a_opc(a, op);
    a_byte(a, 2u << 6 | (reg & 7) << 3 | 4);
    a_byte(a, scale << 6 | (index & 7) << 3 | (base & 7));
    a_u32(a, (uint32_t)disp);
}

/* lea dst, [base + index << scale + disp]. */
static inline void a_lea_sib(struct asm_buf *a, unsigned dst, unsigned base,
                             unsigned index, unsigned scale, int32_t disp)
{
    a_rm_sib(a, true, 0x8d, dst, base, index, scale, disp, false);
}

/* imul dst, src, imm32 (32-bit). */
static inline void a_imul_rri(struct asm_buf *a, unsigned dst, unsigned src,
                              int32_t imm)
{
    a_rex(a, false, dst, 0, src, false);
    a_byte(a, 0x69);
    a_byte(a, 0xc0 | (dst & 7) << 3 | (src & 7));
    a_u32(a, (uint32_t)imm);
}

enum {
    OP_ADD = 0x03, OP_OR = 0x0b, OP_AND = 0x23, OP_SUB = 0x2b,
    OP_XOR = 0x33, OP_CMP = 0x3b, OP_TEST = 0x85, OP_MOV_ST = 0x89,
    OP_MOV_LD = 0x8b, OP_LEA = 0x8d, OP_MOVSXD = 0x63,
    OP_MOVZX8 = 0x0fb6, OP_MOVZX16 = 0x0fb7, OP_MOVSX8 = 0x0fbe,
    OP_MOVSX16 = 0x0fbf, OP_IMUL = 0x0faf, OP_MOV8_ST = 0x88,
};

static inline void a_load64(struct asm_buf *a, unsigned r, unsigned base,
                            int32_t disp)
{
    a_rm(a, true, OP_MOV_LD, r, base, disp);
}

static inline void a_store64(struct asm_buf *a, unsigned r, unsigned base,
                             int32_t disp)
{
    a_rm(a, true, OP_MOV_ST, r, base, disp);
}

static inline void a_load32(struct asm_buf *a, unsigned r, unsigned base,
                            int32_t disp)
{
    a_rm(a, false, OP_MOV_LD, r, base, disp);
}

static inline void a_store32(struct asm_buf *a, unsigned r, unsigned base,
                             int32_t disp)
{
    a_rm(a, false, OP_MOV_ST, r, base, disp);
}

static inline void a_mov_rr(struct asm_buf *a, bool w, unsigned dst,
                            unsigned src)
{
    a_rr(a, w, OP_MOV_ST, src, dst);
}

/* dst = v, in the shortest encoding. */
static inline void a_mov_ri(struct asm_buf *a, unsigned dst, uint64_t v)
{
    if (v <= 0xffffffffu) {                 /* mov r32, imm32 */
        a_rex(a, false, 0, 0, dst, false);
        a_byte(a, 0xb8 + (dst & 7));
        a_u32(a, (uint32_t)v);
    } else if (fits_s32((int64_t)v)) {      /* mov r64, simm32 */
        a_rex(a, true, 0, 0, dst, false);
        a_byte(a, 0xc7);
        a_byte(a, 0xc0 | (dst & 7));
        a_u32(a, (uint32_t)v);
    } else {                                /* movabs */
        a_rex(a, true, 0, 0, dst, false);
        a_byte(a, 0xb8 + (dst & 7));
        a_u64(a, v);
    }
}

/* Group-1 op with an immediate on a register: /ext, imm8 or imm32. */
static inline void a_grp1_ri(struct asm_buf *a, bool w, unsigned ext,
                             unsigned r, int32_t imm)
{
    a_rex(a, w, 0, 0, r, false);
    a_byte(a, fits_s8(imm) ? 0x83 : 0x81);
    a_byte(a, 0xc0 | ext << 3 | (r & 7));
    if (fits_s8(imm))
        a_byte(a, (uint8_t)imm);
    else
        a_u32(a, (uint32_t)imm);
}

/* Group-1 op with an immediate on memory (qword or dword). */
static inline void a_grp1_mi(struct asm_buf *a, bool w, unsigned ext,
                             unsigned base, int32_t disp, int32_t imm)
{
    a_rex(a, w, 0, 0, base, false);
    a_byte(a, fits_s8(imm) ? 0x83 : 0x81);
    a_mem(a, ext, base, disp);
    if (fits_s8(imm))
        a_byte(a, (uint8_t)imm);
    else
        a_u32(a, (uint32_t)imm);
}

enum { G1_ADD, G1_OR, G1_ADC, G1_SBB, G1_AND, G1_SUB, G1_XOR, G1_CMP };

/* cmp byte [base + disp], imm8 */
static inline void a_cmp8_mi(struct asm_buf *a, unsigned base, int32_t disp,
                             uint8_t imm)
{
    a_rex(a, false, 0, 0, base, false);
    a_byte(a, 0x80);
    a_mem(a, 7, base, disp);
    a_byte(a, imm);
}

/* test byte [base + disp], imm8 */
static inline void a_test8_mi(struct asm_buf *a, unsigned base, int32_t disp,
                              uint8_t imm)
{
    a_rex(a, false, 0, 0, base, false);
    a_byte(a, 0xf6);
    a_mem(a, 0, base, disp);
    a_byte(a, imm);
}

/* Shift group 2 by an immediate: ext 4 SHL, 5 SHR, 7 SAR. */
static inline void a_shift_ri(struct asm_buf *a, bool w, unsigned ext,
                              unsigned r, unsigned n)
{
    a_rex(a, w, 0, 0, r, false);
    a_byte(a, 0xc1);
    a_byte(a, 0xc0 | ext << 3 | (r & 7));
    a_byte(a, n);
}

/* setcc r8 (r in rax..rbx) then movzx r32, r8. */
static inline void a_setcc(struct asm_buf *a, unsigned cc, unsigned r)
{
    a_rex(a, false, 0, 0, r, r >= 4);
    a_byte(a, 0x0f);
    a_byte(a, 0x90 | cc);
    a_byte(a, 0xc0 | (r & 7));
    a_rex(a, false, r, 0, r, r >= 4);
    a_byte(a, 0x0f);
    a_byte(a, 0xb6);
    a_byte(a, 0xc0 | (r & 7) << 3 | (r & 7));
}

static inline void a_push(struct asm_buf *a, unsigned r)
{
    a_rex(a, false, 0, 0, r, false);
    a_byte(a, 0x50 + (r & 7));
}

static inline void a_pop(struct asm_buf *a, unsigned r)
{
    a_rex(a, false, 0, 0, r, false);
    a_byte(a, 0x58 + (r & 7));
}

/* call through rax after loading the target. */
static inline void a_call(struct asm_buf *a, const void *fn)
{
    a_mov_ri(a, H_RAX, (uint64_t)(uintptr_t)fn);
    a_byte(a, 0xff);
    a_byte(a, 0xd0);
}

static inline void a_jmp_reg(struct asm_buf *a, unsigned r)
{
    a_rex(a, false, 0, 0, r, false);
    a_byte(a, 0xff);
    a_byte(a, 0xe0 | (r & 7));
}

/* Forward jumps: emit with a 32-bit displacement, patch later. */
static inline uint8_t *a_jcc_fwd(struct asm_buf *a, unsigned cc)
{
    a_byte(a, 0x0f);
    a_byte(a, 0x80 | cc);
    a_u32(a, 0);
    return a->full ? NULL : a->p;
}

static inline uint8_t *a_jmp_fwd(struct asm_buf *a)
{
    a_byte(a, 0xe9);
    a_u32(a, 0);
    return a->full ? NULL : a->p;
}

/* Point the jump whose end is at fix to the current position. */
static inline void a_patch(struct asm_buf *a, uint8_t *fix)
{
    if (!fix || a->full)
        return;
    int32_t rel = (int32_t)(a->p - fix);
    for (unsigned k = 0; k < 4; k++)
        fix[(int)k - 4] = (uint8_t)((uint32_t)rel >> (8 * k));
}

/* Jumps to a known earlier or later position. */
static inline void a_jmp_to(struct asm_buf *a, const uint8_t *to)
{
    a_byte(a, 0xe9);
    a_u32(a, (uint32_t)(int32_t)(to - (a->p + 4)));
}

static inline void a_jcc_to(struct asm_buf *a, unsigned cc, const uint8_t *to)
{
    a_byte(a, 0x0f);
    a_byte(a, 0x80 | cc);
    a_u32(a, (uint32_t)(int32_t)(to - (a->p + 4)));
}

#endif
