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
    uint16_t bytes;          /* length of the code, for the CS limit (not
                                in 64-bit mode, where jumps are followed) */
    uint8_t dmode;
    bool chain;              /* ends in a near branch or runs off its end */
    uint32_t hits;           /* entries while interpreted (jit.h) */
    void *jit_entry;         /* compiled code: jit_entry_fn, or NULL */
    void *jit_chain;         /* where chained compiled code enters */
    struct insn insns[];
};

struct block *block_lookup_slow(struct cpu *c, uint64_t pa, unsigned dmode);
struct block *block_insert(struct cpu *c, uint64_t pa, unsigned dmode,
                           const struct insn *insns, unsigned n,
                           unsigned bytes, bool chain);
void block_cache_reap(struct cpu *c);

/* The jump cache: the last block seen at each hash of the physical
 * address; a block leaves it when it dies. */
static inline unsigned jc_slot(uint64_t pa)
{
    return (unsigned)((pa ^ (pa >> 10)) & (JUMP_CACHE_SIZE - 1));
}

static inline uint64_t block_key(uint64_t pa, unsigned dmode)
{
    return pa << 2 | dmode;
}

/* The block at pa decoded in mode dmode, or NULL. */
static inline struct block *block_lookup(struct cpu *c, uint64_t pa,
                                         unsigned dmode)
{
    const struct jc_entry *e = &c->priv->jump_cache[jc_slot(pa)];

    if (likely(e->key == block_key(pa, dmode)))
        return e->b;
    return block_lookup_slow(c, pa, dmode);
}

#endif
