/* The breakpoint table (see bptable.h). */
#include <string.h>
#include "mmu/mmu.h"
#include "monitor/bptable.h"

void bptable_init(struct bptable *t)
{
    t->n = 0;
    t->next_id = 1;
}

struct bp *bptable_add(struct bptable *t, const struct bp *b)
{
    struct bp *e;

    if (t->n >= BP_MAX)
        return NULL;
    e = &t->bp[t->n++];
    *e = *b;
    e->id = t->next_id++;
    e->hits = 0;
    e->what[BP_WHAT_LEN - 1] = '\0';
    return e;
}

struct bp *bptable_get(struct bptable *t, int id)
{
    for (unsigned i = 0; i < t->n; i++)
        if (t->bp[i].id == id)
            return &t->bp[i];
    return NULL;
}

int bptable_delete(struct bptable *t, int id)
{
    struct bp *b = bptable_get(t, id);

    if (!b)
        return -1;
    memmove(b, b + 1, (size_t)(&t->bp[t->n] - (b + 1)) * sizeof(*b));
    t->n--;
    return 0;
}

void bptable_clear(struct bptable *t)
{
    t->n = 0;
}

struct bp *bptable_next(struct bptable *t, enum bp_kind kind,
                        struct bp *prev)
{
    unsigned i = prev ? (unsigned)(prev - t->bp) + 1 : 0;

    for (; i < t->n; i++)
        if (t->bp[i].enabled && t->bp[i].kind == kind)
            return &t->bp[i];
    return NULL;
}

bool bptable_has(const struct bptable *t, enum bp_kind kind)
{
    for (unsigned i = 0; i < t->n; i++)
        if (t->bp[i].enabled && t->bp[i].kind == kind)
            return true;
    return false;
}

struct bp *bptable_match_exec(struct bptable *t, uint64_t la, uint64_t pa)
{
    for (unsigned i = 0; i < t->n; i++) {
        struct bp *b = &t->bp[i];
        if (!b->enabled)
            continue;
        if ((b->kind == BP_EXEC && b->addr == la) ||
            (b->kind == BP_EXEC_PHYS && b->addr == pa))
            return b;
    }
    return NULL;
}

bool bptable_exec_in_page(const struct bptable *t, uint64_t la, uint64_t pa)
{
    for (unsigned i = 0; i < t->n; i++) {
        const struct bp *b = &t->bp[i];
        if (!b->enabled)
            continue;
        if ((b->kind == BP_EXEC && (b->addr & PAGE_MASK) == (la & PAGE_MASK)) ||
            (b->kind == BP_EXEC_PHYS &&
             (b->addr & PAGE_MASK) == (pa & PAGE_MASK)))
            return true;
    }
    return false;
}

/* Do [a, a + alen) and [b, b + blen) overlap?  Overflow-safe. */
static bool overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    if (!alen || !blen)
        return false;
    return a <= b ? b - a < alen : a - b < blen;
}

struct bp *bptable_match_watch(struct bptable *t, uint64_t la, uint64_t pa,
                               unsigned size, bool write)
{
    unsigned want = write ? BP_WRITE : BP_READ;

    for (unsigned i = 0; i < t->n; i++) {
        struct bp *b = &t->bp[i];
        if (!b->enabled || !(b->access & want))
            continue;
        if ((b->kind == BP_WATCH && overlap(b->addr, b->len, la, size)) ||
            (b->kind == BP_WATCH_PHYS && overlap(b->addr, b->len, pa, size)))
            return b;
    }
    return NULL;
}

struct bp *bptable_match_value(struct bptable *t, enum bp_kind kind,
                               uint64_t value)
{
    for (struct bp *b = bptable_next(t, kind, NULL); b;
         b = bptable_next(t, kind, b))
        if (b->addr == BP_ANY || b->addr == value)
            return b;
    return NULL;
}

const char *bp_kind_name(enum bp_kind kind)
{
    static const char *const names[NR_BP_KINDS] = {
        [BP_EXEC] = "breakpoint", [BP_EXEC_PHYS] = "breakpoint (physical)",
        [BP_WATCH] = "watchpoint", [BP_WATCH_PHYS] = "watchpoint (physical)",
        [BP_HYPERCALL] = "catch hypercall", [BP_EXCEPTION] = "catch exception",
        [BP_EVTCHN] = "catch event channel", [BP_RING] = "catch ring change",
        [BP_CR3] = "catch CR3 load",
    };
    return kind < NR_BP_KINDS ? names[kind] : "?";
}
