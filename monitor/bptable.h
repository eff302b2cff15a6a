/*
 * The breakpoint table: execution breakpoints (linear or physical
 * addresses), watchpoints (linear or physical ranges, read/write/access)
 * and catchpoints (a hypercall, an exception vector, an event channel, a
 * ring change, a CR3 load), numbered from 1 as the user sees them.
 * Pure data: what a hit means is up to the debugger (dbg.c).
 */
#ifndef XENEMU_MONITOR_BPTABLE_H
#define XENEMU_MONITOR_BPTABLE_H

#include "xenemu/common.h"

enum bp_kind {
    BP_EXEC,            /* execution at linear address addr */
    BP_EXEC_PHYS,       /* execution at physical address addr */
    BP_WATCH,           /* data access to linear [addr, addr + len) */
    BP_WATCH_PHYS,      /* data access to physical [addr, addr + len) */
    BP_HYPERCALL,       /* hypercall number addr */
    BP_EXCEPTION,       /* exception vector addr */
    BP_EVTCHN,          /* event channel port addr becomes pending */
    BP_RING,            /* a ring change; addr filters (BP_RING_*) */
    BP_CR3,             /* a CR3 load */
    NR_BP_KINDS
};

#define BP_ANY UINT64_MAX          /* catchpoints: any value */
/* BP_RING filters besides a ring number 0..3 and BP_ANY. */
#define BP_RING_USER   16
#define BP_RING_KERNEL 17

enum { BP_READ = 1u << 0, BP_WRITE = 1u << 1 };

#define BP_MAX 256
#define BP_WHAT_LEN 96

struct bp {
    int id;
    enum bp_kind kind;
    uint64_t addr, len;
    unsigned access;            /* watchpoints: BP_READ | BP_WRITE */
    bool enabled;
    bool temporary;             /* deleted after its first hit */
    uint64_t hits;
    char what[BP_WHAT_LEN];     /* as the user gave it */
};

struct bptable {
    struct bp bp[BP_MAX];
    unsigned n;
    int next_id;
};

void bptable_init(struct bptable *t);

/* Add a copy of b (its id is assigned): the entry, or NULL when full. */
struct bp *bptable_add(struct bptable *t, const struct bp *b);
struct bp *bptable_get(struct bptable *t, int id);
/* 0, or -1 when there is no breakpoint id. */
int bptable_delete(struct bptable *t, int id);
void bptable_clear(struct bptable *t);

/* Enabled entries of a kind: the first after prev (NULL: from the start). */
struct bp *bptable_next(struct bptable *t, enum bp_kind kind,
                        struct bp *prev);
bool bptable_has(const struct bptable *t, enum bp_kind kind);

/* Matching (enabled entries only). */
struct bp *bptable_match_exec(struct bptable *t, uint64_t la, uint64_t pa);
/* Is there an execution breakpoint in the page at la / pa? */
bool bptable_exec_in_page(const struct bptable *t, uint64_t la, uint64_t pa);
struct bp *bptable_match_watch(struct bptable *t, uint64_t la, uint64_t pa,
                               unsigned size, bool write);
/* A catchpoint of kind for value (entries with addr BP_ANY match all). */
struct bp *bptable_match_value(struct bptable *t, enum bp_kind kind,
                               uint64_t value);

/* "breakpoint", "watchpoint"... and the kind's words for listings. */
const char *bp_kind_name(enum bp_kind kind);

#endif
