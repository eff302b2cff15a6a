/*
 * Private to cpu/: the x87 unit's machinery the instruction families
 * share (x87.c): the register stack and its tags, status-word updates
 * with the exception rules, the checks every x87 instruction starts with
 * (#NM, pending #MF) and the last-instruction pointers.
 */
#ifndef XENEMU_X87_H
#define XENEMU_X87_H

#include "cpu/cpu-priv.h"
#include "cpu/softfloat.h"

/* FSW bits (exceptions are SF_IE.. in bits 0..5). */
#define FSW_SF  0x0040u
#define FSW_ES  0x0080u
#define FSW_C0  0x0100u
#define FSW_C1  0x0200u
#define FSW_C2  0x0400u
#define FSW_C3  0x4000u
#define FSW_B   0x8000u
#define FSW_CC  (FSW_C0 | FSW_C1 | FSW_C2 | FSW_C3)
#define FSW_TOP_SHIFT 11

/* Tags. */
enum { TAG_VALID, TAG_ZERO, TAG_SPECIAL, TAG_EMPTY };

static inline unsigned x87_top(const struct cpu *c)
{
    return (c->fpu.fsw >> FSW_TOP_SHIFT) & 7;
}

static inline void x87_set_top(struct cpu *c, unsigned top)
{
    c->fpu.fsw = (uint16_t)((c->fpu.fsw & ~(7u << FSW_TOP_SHIFT)) |
                            (top & 7) << FSW_TOP_SHIFT);
}

/* Physical register of ST(i). */
static inline unsigned x87_phys(const struct cpu *c, unsigned i)
{
    return (x87_top(c) + i) & 7;
}

static inline unsigned x87_tag(const struct cpu *c, unsigned phys)
{
    return (c->fpu.ftw >> (2 * phys)) & 3;
}

static inline bool x87_empty(const struct cpu *c, unsigned i)
{
    return x87_tag(c, x87_phys(c, i)) == TAG_EMPTY;
}

static inline fx80 x87_get(const struct cpu *c, unsigned i)
{
    const struct x87reg *r = &c->fpu.st[x87_phys(c, i)];
    return fx80_make(r->se, r->mant);
}

void x87_set_tag(struct cpu *c, unsigned phys, unsigned tag);
unsigned x87_tag_of(fx80 v);
/* Write ST(i) (tagged by its contents). */
void x87_put(struct cpu *c, unsigned i, fx80 v);
/* Push v (TOP - 1 must be empty: checked by the caller), pop ST(0). */
void x87_push(struct cpu *c, fx80 v);
void x87_pop(struct cpu *c);

/* Start of an x87 instruction: #NM (CR0.EM/TS), #MF for a pending
 * unmasked exception (waiting forms, CR0.NE = 1). */
void x87_check(struct cpu *c, bool waiting);
/* The same, then FIP/FCS/FOP (and FDP/FDS for a memory operand) take
 * this instruction: every non-control instruction. */
void x87_begin(struct cpu *c, const struct insn *i);

static inline struct sf_ctx x87_ctx(const struct cpu *c)
{
    return sf_ctx_x87(c->fpu.fcw);
}

/* Merge an operation's flags into FSW: exceptions, C1 (rounded up), ES
 * and B.  Returns true when the result is to be written (no unmasked IE,
 * DE or ZE). */
bool x87_flags(struct cpu *c, const struct sf_ctx *sc);
/* ES/B from the exception flags and the masks (after FLDCW...). */
void x87_update_es(struct cpu *c);
/* A stack overflow (push onto a full register) or underflow (empty
 * operand): IE and SF, C1 says which.  Returns true when masked (the
 * default NaN is then delivered). */
bool x87_stack_fault(struct cpu *c, bool overflow);
/* Set C0..C3 (bits of FSW_CC) to cc. */
static inline void x87_set_cc(struct cpu *c, unsigned cc)
{
    c->fpu.fsw = (uint16_t)((c->fpu.fsw & ~FSW_CC) | (cc & FSW_CC));
}

/* FNINIT's state. */
void x87_init(struct cpu *c);

/* Memory operands.  80-bit and multi-part stores are probed whole first,
 * so a fault leaves nothing half written. */
fx80 x87_read80(struct cpu *c, unsigned seg, uint64_t ea);
void x87_write80(struct cpu *c, unsigned seg, uint64_t ea, fx80 v);

#endif
