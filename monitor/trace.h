/*
 * Traces: four streams (instructions, ring transitions, hypercalls,
 * events), each on or off and going to its own file or to standard error,
 * every record stamped with the instruction count and the vCPU:
 *
 *   #1523041 d1v0 ring3(user) -> ring3(kernel) syscall callback
 *
 * and the trace hash: a 64-bit FNV-1a over every executed instruction's
 * address and the hypercalls, bounces and events of the run, computed on
 * values (never on host memory layouts), so it is the same on every host.
 */
#ifndef XENEMU_MONITOR_TRACE_H
#define XENEMU_MONITOR_TRACE_H

#include <stdio.h>
#include "xenemu/common.h"

enum trace_kind {
    TRACE_INSNS, TRACE_RINGS, TRACE_HYPERCALLS, TRACE_EVENTS, NR_TRACE_KINDS
};

struct trace {
    FILE *out[NR_TRACE_KINDS];          /* NULL: off */
    bool owned[NR_TRACE_KINDS];         /* opened by us (closed when off) */
    char *path[NR_TRACE_KINDS];
};

void trace_init(struct trace *t);
void trace_close_all(struct trace *t);
/* "instructions", "rings", "hypercalls", "events". */
const char *trace_kind_name(enum trace_kind k);
/* The kind named (also "insns"), or -1. */
int trace_kind_parse(const char *name);
/* Turn a stream on (to path, or stderr when NULL; a file already open
 * for another kind is shared) or off.  0, or -1 with why. */
int trace_set(struct trace *t, enum trace_kind k, bool on, const char *path,
              char *why, size_t why_len);
static inline bool trace_on(const struct trace *t, enum trace_kind k)
{
    return t->out[k] != NULL;
}
/* One record: "#ICOUNT WHO " then the text, a newline. */
void trace_record(struct trace *t, enum trace_kind k, uint64_t icount,
                  const char *who, const char *fmt, ...) XE_PRINTF(5, 6);

#define TRACE_HASH_INIT 0xcbf29ce484222325ull

/* Mix a 64-bit value into the hash (its 8 bytes, little-endian order). */
static inline uint64_t trace_hash_mix(uint64_t h, uint64_t v)
{
    for (unsigned i = 0; i < 8; i++) {
        h ^= (v >> (8 * i)) & 0xff;
        h *= 0x100000001b3ull;
    }
    return h;
}

#endif
