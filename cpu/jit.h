/*
 * The JIT: decoded 64-bit-mode blocks that have run often enough become
 * host code (jit-x86_64.c on x86-64 hosts; elsewhere there is no back end
 * and everything stays interpreted).  Compiled code runs exactly the
 * instructions of its block, retires them into icount the way the
 * interpreter does and chains to a successor only where the interpreter
 * would (same page, nothing pending, budget left), so a run is the same
 * instruction for instruction with or without it.
 */
#ifndef XENEMU_CPU_JIT_H
#define XENEMU_CPU_JIT_H

#include "cpu/cpu-priv.h"

struct block;

/* Compiled code's entry: runs the block (and the same-page successors it
 * chains to), leaves c->rip and c->icount exact, and returns whether the
 * run loop may chain on (the last block ended in a near branch or ran
 * off its end) when stop_block is clear. */
typedef unsigned (*jit_entry_fn)(struct cpu *c, uint64_t icount_end);

#ifdef CONFIG_JIT
/* Set up or tear down c's code buffer; false when none can be had (the
 * CPU then interprets). */
bool jit_init(struct cpu *c);
void jit_destroy(struct cpu *c);
/* Compile b; false when it cannot be (buffer full: jit_reset_due()). */
bool jit_compile(struct cpu *c, struct block *b);
/* The buffer filled up: the block cache must be flushed and the buffer
 * reset (jit_reset) at the next point where no block runs. */
bool jit_reset_due(const struct cpu *c);
void jit_reset(struct cpu *c);
#else
static inline bool jit_init(struct cpu *c) { (void)c; return false; }
static inline void jit_destroy(struct cpu *c) { (void)c; }
static inline bool jit_compile(struct cpu *c, struct block *b)
{
    (void)c; (void)b;
    return false;
}
static inline bool jit_reset_due(const struct cpu *c) { (void)c; return false; }
static inline void jit_reset(struct cpu *c) { (void)c; }
#endif

#endif
