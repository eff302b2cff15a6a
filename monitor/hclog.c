/* The hypercall log (see hclog.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "monitor/hclog.h"

void hclog_init(struct hclog *l)
{
    memset(l, 0, sizeof(*l));
}

void hclog_free(struct hclog *l)
{
    for (unsigned i = 0; i < l->ndom; i++)
        free(l->dom[i]);
    hclog_init(l);
}

static struct hc_counts *counts_for(struct hclog *l, uint16_t domid)
{
    for (unsigned i = 0; i < l->ndom; i++)
        if (l->dom[i]->domid == domid)
            return l->dom[i];
    if (l->ndom == MAX_DOMAINS)
        return NULL;
    struct hc_counts *c = calloc(1, sizeof(*c));
    if (c) {
        c->domid = domid;
        l->dom[l->ndom++] = c;
    }
    return c;
}

const struct hc_counts *hclog_counts(const struct hclog *l, uint16_t domid)
{
    for (unsigned i = 0; i < l->ndom; i++)
        if (l->dom[i]->domid == domid)
            return l->dom[i];
    return NULL;
}

uint64_t hclog_start(struct hclog *l, uint64_t icount, uint16_t domid,
                     unsigned vcpu, unsigned depth, const struct hc_call *call)
{
    unsigned nr = call->nr;
    int sub = call->sub;
    struct hc_counts *c = counts_for(l, domid);
    struct hc_record *r = &l->recent[l->total % HCLOG_RECENT];

    if (c && nr < NR_HYPERCALLS)
        c->by_subop[nr][sub >= 0 && sub < HC_MAX_SUBOP ? sub
                                                       : HC_MAX_SUBOP]++;
    l->total++;
    *r = (struct hc_record){ .icount = icount, .domid = domid, .vcpu = vcpu,
                             .depth = depth, .call = *call };
    return l->total - 1;
}

void hclog_done(struct hclog *l, uint64_t seq, uint16_t domid, unsigned nr,
                long ret, bool no_return)
{
    struct hc_counts *c = counts_for(l, domid);

    if (l->total - seq <= HCLOG_RECENT) {
        struct hc_record *r = &l->recent[seq % HCLOG_RECENT];
        r->done = true;
        r->ret = ret;
        r->no_return = no_return;
    }
    if (c && nr < NR_HYPERCALLS && ret == -XEN_ENOSYS)
        c->enosys[nr]++;
}

const struct hc_record *hclog_recent(const struct hclog *l, unsigned k)
{
    if (k >= HCLOG_RECENT || k >= l->total)
        return NULL;
    return &l->recent[(l->total - 1 - k) % HCLOG_RECENT];
}

void hclog_text(const struct hc_record *r, char *buf, size_t len)
{
    char desc[160], outcome[64];

    hc_describe(desc, sizeof(desc), &r->call);
    if (r->done)
        hc_outcome(r->ret, r->no_return, outcome, sizeof(outcome));
    else
        snprintf(outcome, sizeof(outcome), " (not returned yet)");
    snprintf(buf, len, "%*s%s%s", (int)(2 * r->depth), "", desc, outcome);
}
