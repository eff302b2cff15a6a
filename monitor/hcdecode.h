/*
 * Hypercalls in plain words: names, sub-operations ("sched_op(block)"),
 * the arguments that matter decoded from registers and guest memory, and
 * results with Xen's errno names.  Guest memory is read through a
 * callback, which the monitor makes side-effect free.
 */
#ifndef XENEMU_MONITOR_HCDECODE_H
#define XENEMU_MONITOR_HCDECODE_H

#include "xenemu/common.h"

/* Read len bytes of guest virtual memory at va: 0, or -1. */
typedef int (*hc_read_fn)(void *opaque, uint64_t va, void *buf, size_t len);

struct hc_ctx {
    bool is64;                  /* the guest's ABI */
    hc_read_fn read;
    void *opaque;
};

#define HC_NO_SUBOP (-1)
#define HC_MAX_SUBOP 64         /* sub-ops counted individually below this */

/* "sched_op", or NULL for a number Xen does not define. */
const char *hc_name(unsigned nr);
/* The sub-operation (the command in the first argument, or for mmuext_op
 * the first operation's), HC_NO_SUBOP for hypercalls without one. */
int hc_subop(unsigned nr, const uint64_t *a, const struct hc_ctx *ctx);
const char *hc_subop_name(unsigned nr, int sub);
/* "sched_op(block)", "console_io", "hypercall 51". */
void hc_short(char *buf, size_t len, unsigned nr, int sub);
/* A hypercall as made, nothing formatted: its number, sub-operation,
 * arguments, and the guest words its description needs (read when it is
 * made: the guest may change them later). */
#define HC_PEEKS 2
struct hc_call {
    unsigned nr;
    int sub;
    bool is64;
    uint8_t peeked;             /* bit i: peek[i] was readable */
    uint64_t a[6];
    uint64_t peek[HC_PEEKS];
};

void hc_capture(struct hc_call *c, unsigned nr, const uint64_t *a,
                const struct hc_ctx *ctx);
/* "sched_op(shutdown, reason=poweroff)": the arguments decoded. */
void hc_describe(char *buf, size_t len, const struct hc_call *c);
/* "0", "20", "-38 (ENOSYS)". */
void hc_result(char *buf, size_t len, long ret);
/* " = 0", " = -38 (ENOSYS)", " (no return value)". */
void hc_outcome(long ret, bool no_return, char *buf, size_t len);
/* "ENOSYS" for 38, NULL if unknown. */
const char *xen_errno_name(long err);

#endif
