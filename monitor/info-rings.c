/* info rings: where each vCPU runs, what each place cost, transitions. */
#include <stdio.h>
#include "monitor/mon.h"

typedef unsigned long long ull;

/* "12.3%" without floating point. */
static void percent(struct monitor *m, uint64_t part, uint64_t whole)
{
    uint64_t pm = whole ? (part * 1000 + whole / 2) / whole : 0;

    if (whole && part > UINT64_MAX / 1000)
        pm = part / (whole / 1000 ? whole / 1000 : 1);
    fprintf(m->out, " %5llu.%llu%%", (ull)(pm / 10), (ull)(pm % 10));
}

static void one_vcpu(struct monitor *m, struct dbg_vcpu *dv, unsigned last)
{
    struct rings *r = &dv->rings;
    uint64_t ti = 0, tn = 0;
    char name[24], text[256];

    rings_charge(r, dv->cpu->icount, dbg_now_ns(dv));
    for (unsigned p = 0; p < NR_PLACES; p++) {
        ti += r->insns[p];
        tn += r->ns[p];
    }
    fprintf(m->out, "%s: now in %s; %llu transitions\n", dv->name,
            place_name(dbg_place(dv), name, sizeof(name)), (ull)r->total);
    fprintf(m->out, "  %-14s %14s %7s %18s %7s\n", "place", "instructions",
            "", "virtual time (ns)", "");
    for (unsigned p = 0; p < NR_PLACES; p++) {
        if (!r->insns[p] && !r->ns[p] &&
            !place_eq(place_at(p), r->cur))
            continue;
        fprintf(m->out, "  %-14s %14llu",
                place_name(place_at(p), name, sizeof(name)),
                (ull)r->insns[p]);
        percent(m, r->insns[p], ti);
        fprintf(m->out, " %18llu", (ull)r->ns[p]);
        percent(m, r->ns[p], tn);
        fputc('\n', m->out);
    }
    fprintf(m->out, "  transitions by kind:\n");
    for (unsigned k = 0; k < NR_TKINDS; k++)
        if (r->kinds[k])
            fprintf(m->out, "    %-20s %llu\n", tkind_name(k),
                    (ull)r->kinds[k]);
    if (!last)
        return;
    fprintf(m->out, "  the last %u:\n", last);
    for (unsigned k = last; k-- > 0;) {
        const struct transition *t = rings_recent(r, k);
        if (!t)
            continue;
        transition_text(t, text, sizeof(text));
        fprintf(m->out, "    #%llu %s\n", (ull)t->icount, text);
    }
}

int info_rings(struct monitor *m, const char *args)
{
    uint64_t last;

    if (mon_count(m, "info rings", args, 10, RINGS_LOG, &last) ||
        !mon_vcpu(m, "info rings"))
        return MON_ERROR;
    if (m->d->recording_since)
        fprintf(m->out, "(recorded since #%llu, when the monitor was first "
                "entered)\n", (ull)m->d->recording_since);
    for (unsigned i = 0; i < m->d->nvcpus; i++)
        one_vcpu(m, m->d->vcpu[i], (unsigned)last);
    return MON_OK;
}
