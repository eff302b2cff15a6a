/*
 * The software TLB: one direct-mapped table per privilege, mapping a guest
 * page straight to host memory for the accesses that need no slow path.
 */
#include "mmu/mmu.h"

static void entry_clear(struct tlb_entry *e)
{
    e->tag_read = e->tag_write = e->tag_exec = TLB_INVALID;
    e->host = NULL;
    e->pa = 0;
    e->global = false;
}

static bool entry_maps(const struct tlb_entry *e, uint64_t page_va)
{
    return e->tag_read == page_va || e->tag_write == page_va ||
           e->tag_exec == page_va;
}

void tlb_flush_all(struct tlb *t)
{
    for (unsigned p = 0; p < 2; p++)
        for (unsigned i = 0; i < TLB_SIZE; i++)
            entry_clear(&t->e[p][i]);
    t->large_addr = TLB_INVALID;
    t->large_mask = 0;
}

/* Large-page tracking is left as it is: it may only over-approximate. */
void tlb_flush_nonglobal(struct tlb *t)
{
    for (unsigned p = 0; p < 2; p++)
        for (unsigned i = 0; i < TLB_SIZE; i++)
            if (!t->e[p][i].global)
                entry_clear(&t->e[p][i]);
}

void tlb_flush_page(struct tlb *t, uint64_t va)
{
    /* The other 4 KiB pieces of a large page sit in other slots. */
    if ((va & t->large_mask) == t->large_addr) {
        tlb_flush_all(t);
        return;
    }
    uint64_t page_va = va & PAGE_MASK;
    for (int user = 0; user < 2; user++) {
        struct tlb_entry *e = tlb_entry_for(t, user, va);
        if (entry_maps(e, page_va))
            entry_clear(e);
    }
}

void tlb_flush_phys_writes(struct tlb *t, uint64_t pa)
{
    uint64_t page = pa & PAGE_MASK;
    for (unsigned p = 0; p < 2; p++)
        for (unsigned i = 0; i < TLB_SIZE; i++)
            if (t->e[p][i].pa == page)
                t->e[p][i].tag_write = TLB_INVALID;
}

/* Grow the tracked region, by powers of two, until it covers the new page. */
static void track_large_page(struct tlb *t, uint64_t va, uint64_t page_size)
{
    uint64_t mask = ~(page_size - 1);
    if (t->large_addr == TLB_INVALID) {
        t->large_addr = va & mask;
        t->large_mask = mask;
        return;
    }
    mask &= t->large_mask;
    while ((t->large_addr ^ va) & mask)
        mask <<= 1;
    t->large_mask = mask;
    t->large_addr &= mask;
}

void tlb_fill(struct tlb *t, struct mem *m, uint64_t va, unsigned acc,
              const struct walk_result *r)
{
    if (acc & ACC_NOSET)   /* A/D may be clear: keep the slow path */
        return;
    int user = (acc & ACC_USER) && !(acc & ACC_IMPLICIT);
    uint64_t page_va = va & PAGE_MASK;
    uint64_t page_pa = r->pa & PAGE_MASK;
    struct tlb_entry *e = tlb_entry_for(t, user, va);

    entry_clear(e);
    e->pa = page_pa;
    e->global = r->global;
    e->host = mem_ram_ptr(m, page_pa);
    if (e->host) {
        bool code = m->frame_flags[page_pa >> PAGE_SHIFT] & FRAME_CODE;
        /* SMAP's verdict depends on RFLAGS.AC: always ask the walker. */
        if (r->readable && !r->smap)
            e->tag_read = page_va;
        if (r->writable && r->dirty && !r->smap && !code)
            e->tag_write = page_va;
        if (r->executable)
            e->tag_exec = page_va;
    }
    if (r->page_size > PAGE_SIZE)
        track_large_page(t, va, r->page_size);
}
