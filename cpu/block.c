/*
 * The decoded-block cache.  A block is a run of decoded instructions that
 * starts at a physical address, never crosses a page and ends at a branch
 * or a state-changing instruction.  Blocks are found by physical address
 * and decode mode; a write to a frame holding blocks (mem.c reports it
 * through code_write) drops every block of that frame, so self-modifying
 * and cross-modifying code work.
 */
#include <stdlib.h>
#include <string.h>
#include "cpu/cpu-priv.h"
#include "cpu/block.h"

#define BC_HASH_BITS 16
#define BC_HASH (1u << BC_HASH_BITS)
#define BC_MAX_BLOCKS 200000

struct block_cache {
    struct block *by_pa[BC_HASH];
    struct block *by_pfn[BC_HASH];
    struct block *dead;          /* freed at the next block boundary */
    unsigned count;
};

static unsigned hash_pa(uint64_t pa, unsigned dmode)
{
    uint64_t h = (pa ^ ((uint64_t)dmode << 62)) * 0x9e3779b97f4a7c15ull;
    return (unsigned)(h >> (64 - BC_HASH_BITS));
}

static unsigned hash_pfn(uint64_t pfn)
{
    return (unsigned)((pfn * 0x9e3779b97f4a7c15ull) >> (64 - BC_HASH_BITS));
}

static void code_write_cb(void *opaque, uint64_t pfn)
{
    block_cache_invalidate_pfn(opaque, pfn);
}

static void jc_clear(struct jc_entry *e)
{
    e->key = ~0ull;
    e->b = NULL;
}

int block_cache_init(struct cpu *c)
{
    c->priv->bc = calloc(1, sizeof(struct block_cache));
    if (!c->priv->bc)
        return -1;
    for (unsigned k = 0; k < JUMP_CACHE_SIZE; k++)
        jc_clear(&c->priv->jump_cache[k]);
    mem_add_code_listener(c->mem, code_write_cb, c);
    return 0;
}

static void free_list(struct block *b)
{
    while (b) {
        struct block *n = b->hnext;
        free(b);
        b = n;
    }
}

void block_cache_reap(struct cpu *c)
{
    struct block_cache *bc = c->priv->bc;
    if (bc->dead) {
        free_list(bc->dead);
        bc->dead = NULL;
    }
}

/* A block leaving the cache must leave the jump cache too. */
static void retire(struct cpu *c, struct block *b)
{
    struct jc_entry *e = &c->priv->jump_cache[jc_slot(b->pa)];
    if (e->b == b)
        jc_clear(e);
    b->hnext = c->priv->bc->dead;
    c->priv->bc->dead = b;
}

void block_cache_destroy(struct cpu *c)
{
    if (!c->priv || !c->priv->bc)
        return;
    mem_remove_code_listener(c->mem, c);
    block_cache_flush(c);
    block_cache_reap(c);
    free(c->priv->bc);
    c->priv->bc = NULL;
}

/* Every block goes to the dead list: the executing one may be among them. */
void block_cache_flush(struct cpu *c)
{
    struct block_cache *bc = c->priv->bc;

    for (unsigned h = 0; h < BC_HASH; h++) {
        struct block *b = bc->by_pa[h];
        while (b) {
            struct block *n = b->hnext;
            retire(c, b);
            b = n;
        }
        bc->by_pa[h] = NULL;
        bc->by_pfn[h] = NULL;
    }
    bc->count = 0;
    c->priv->stop_block = true;
}

/* Past the jump cache: the hash chains, refilling the jump cache. */
struct block *block_lookup_slow(struct cpu *c, uint64_t pa, unsigned dmode)
{
    struct jc_entry *e = &c->priv->jump_cache[jc_slot(pa)];
    struct block *b = c->priv->bc->by_pa[hash_pa(pa, dmode)];

    while (b && (b->pa != pa || b->dmode != dmode))
        b = b->hnext;
    if (b) {
        e->key = block_key(pa, dmode);
        e->b = b;
    }
    return b;
}

static void unlink_pa(struct block_cache *bc, struct block *victim)
{
    struct block **pp = &bc->by_pa[hash_pa(victim->pa, victim->dmode)];
    while (*pp != victim)
        pp = &(*pp)->hnext;
    *pp = victim->hnext;
}

void block_cache_invalidate_pfn(struct cpu *c, uint64_t pfn)
{
    struct block_cache *bc = c->priv->bc;
    struct block **pp = &bc->by_pfn[hash_pfn(pfn)];

    while (*pp) {
        struct block *b = *pp;
        if (b->pa >> PAGE_SHIFT != pfn) {
            pp = &b->pnext;
            continue;
        }
        *pp = b->pnext;
        unlink_pa(bc, b);
        retire(c, b);
        bc->count--;
        if (b == c->priv->cur_block) {
            c->priv->stop_block = true;
        }
    }
}

struct block *block_insert(struct cpu *c, uint64_t pa, unsigned dmode,
                           const struct insn *insns, unsigned n,
                           unsigned bytes, bool chain)
{
    struct block_cache *bc = c->priv->bc;
    struct block *b;

    if (bc->count >= BC_MAX_BLOCKS)
        block_cache_flush(c);
    b = malloc(sizeof(*b) + n * sizeof(struct insn));
    if (!b)
        return NULL;
    b->pa = pa;
    b->dmode = (uint8_t)dmode;
    b->n = (uint16_t)n;
    b->bytes = (uint16_t)bytes;
    b->chain = chain;
    b->hits = 0;
    b->jit_entry = NULL;
    b->jit_chain = NULL;
    memcpy(b->insns, insns, n * sizeof(struct insn));
    unsigned h = hash_pa(pa, dmode);
    b->hnext = bc->by_pa[h];
    bc->by_pa[h] = b;
    h = hash_pfn(pa >> PAGE_SHIFT);
    b->pnext = bc->by_pfn[h];
    bc->by_pfn[h] = b;
    bc->count++;
    mem_mark_code(c->mem, pa >> PAGE_SHIFT);
    return b;
}
