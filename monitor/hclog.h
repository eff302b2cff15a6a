/*
 * The hypercall log: every hypercall (multicall entries too) counted per
 * domain, hypercall and sub-operation, and the last HCLOG_RECENT kept
 * with their decoded arguments and results, for `info hypercalls`.
 */
#ifndef XENEMU_MONITOR_HCLOG_H
#define XENEMU_MONITOR_HCLOG_H

#include "monitor/hcdecode.h"
#include "xenplat/xen.h"

#define HCLOG_RECENT 32

/* Raw: hclog_text words it when something displays it. */
struct hc_record {
    uint64_t icount;
    uint16_t domid;
    unsigned vcpu;
    unsigned depth;             /* multicall nesting */
    bool done, no_return;
    long ret;
    struct hc_call call;
};

/* Counts of one domain: [nr][sub-op], the last column for none/other. */
struct hc_counts {
    uint16_t domid;
    uint64_t by_subop[NR_HYPERCALLS][HC_MAX_SUBOP + 1];
    uint64_t enosys[NR_HYPERCALLS];
};

struct hclog {
    struct hc_counts *dom[MAX_DOMAINS];
    unsigned ndom;
    struct hc_record recent[HCLOG_RECENT];     /* [seq % HCLOG_RECENT] */
    uint64_t total;             /* hypercalls logged, the next one's number */
};

void hclog_init(struct hclog *l);
void hclog_free(struct hclog *l);
/* A hypercall starts: its number in the log, for hclog_done (which
 * finds the record if it is still among the recent ones). */
uint64_t hclog_start(struct hclog *l, uint64_t icount, uint16_t domid,
                     unsigned vcpu, unsigned depth, const struct hc_call *c);
void hclog_done(struct hclog *l, uint64_t seq, uint16_t domid, unsigned nr,
                long ret, bool no_return);
/* The k-th most recent (0: the last), NULL past the log. */
const struct hc_record *hclog_recent(const struct hclog *l, unsigned k);
/* "  sched_op(shutdown, reason=poweroff) = 0": indented by the multicall
 * depth, then "(not returned yet)", "(no return value)" or "= RESULT". */
void hclog_text(const struct hc_record *r, char *buf, size_t len);
/* A domain's counts, NULL if it made no hypercall. */
const struct hc_counts *hclog_counts(const struct hclog *l, uint16_t domid);

#endif
