/* Decoded blocks (block.c); private to cpu/. */
#ifndef XENEMU_CPU_BLOCK_H
#define XENEMU_CPU_BLOCK_H

#include "cpu/cpu-priv.h"

#define BLOCK_MAX_INSNS 64

struct block {
    uint64_t pa;
    struct block *hnext;     /* chain by physical address (or dead list) */
    struct block *pnext;     /* chain by frame */
    uint16_t n;
    uint8_t dmode;
    struct insn insns[];
};

struct block *block_lookup(struct cpu *c, uint64_t pa, unsigned dmode);
struct block *block_insert(struct cpu *c, uint64_t pa, unsigned dmode,
                           const struct insn *insns, unsigned n);
void block_cache_reap(struct cpu *c);

#endif
