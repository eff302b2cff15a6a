/* Decoded blocks (block.c); private to cpu/. */
#ifndef XENEMU_CPU_BLOCK_H
#define XENEMU_CPU_BLOCK_H

#include "cpu/cpu-priv.h"

#define BLOCK_MAX_INSNS 64

#define BLOCK_LINKS 2

struct block {
    uint64_t pa;
    struct block *hnext;     /* chain by physical address (or dead list) */
    struct block *pnext;     /* chain by frame */
    /* Successors seen at this block's exit (same page, same mode); valid
     * while link_gen equals the cache's generation, which every block
     * death bumps. */
    struct block *link[BLOCK_LINKS];
    uint64_t link_pa[BLOCK_LINKS];
    uint32_t link_gen;
    uint16_t n;
    uint16_t bytes;          /* length of the code, for the CS limit */
    uint8_t dmode;
    uint8_t link_next;       /* the link slot to replace next */
    bool chain;              /* ends in a near branch or runs off its end */
    struct insn insns[];
};

struct block *block_lookup(struct cpu *c, uint64_t pa, unsigned dmode);
struct block *block_insert(struct cpu *c, uint64_t pa, unsigned dmode,
                           const struct insn *insns, unsigned n,
                           unsigned bytes, bool chain);
void block_link_add(struct cpu *c, struct block *b, struct block *to);

/* b's successor at pa, if b has linked it. */
static inline struct block *block_link_find(const struct block *b,
                                            uint64_t pa, uint32_t gen)
{
    if (b->link_gen != gen)
        return NULL;
    for (unsigned k = 0; k < BLOCK_LINKS; k++)
        if (b->link_pa[k] == pa)
            return b->link[k];
    return NULL;
}
void block_cache_reap(struct cpu *c);

#endif
