/* The Xen side of the machine: info hypercalls, evtchn, grants, domains,
 * vcpus, sched, time, and info symbols.  Every domain of the machine is
 * shown, so these work unchanged when there are several. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "monitor/describe.h"
#include "monitor/hcdecode.h"
#include "monitor/mon.h"
#include "xenplat/sched-credit.h"
#include "xenplat/guest.h"
#include "xenplat/hypercall.h"

typedef unsigned long long ull;

static struct xen *need_xen(struct monitor *m, const char *cmd)
{
    if (!m->d->x)
        mon_error(m, cmd, "not a Xen PV machine (the bare machine has no "
                  "hypervisor)");
    return m->d->x;
}

static const char *const state_names[] = { "running", "shut down", "crashed" };
static const char *const reason_names[] = {
    "poweroff", "reboot", "suspend", "crash", "watchdog", "soft_reset",
};

/* ---- hypercalls ---------------------------------------------------------------- */

static void counts_of(struct monitor *m, const struct domain *d)
{
    const struct hc_counts *c = hclog_counts(&m->d->hc, d->domid);
    char name[64];
    bool any = false;

    fprintf(m->out, "d%u (%s):\n", d->domid, d->name);
    for (unsigned nr = 0; nr < NR_HYPERCALLS; nr++) {
        if (!d->hypercall_count[nr])
            continue;
        any = true;
        fprintf(m->out, "  %2u %-28s %8llu", nr, hc_name(nr) ? hc_name(nr)
                : "?", (ull)d->hypercall_count[nr]);
        if (d->hypercall_enosys[nr])
            fprintf(m->out, "  (%llu -ENOSYS: not implemented)",
                    (ull)d->hypercall_enosys[nr]);
        fputc('\n', m->out);
        for (int sub = 0; c && sub <= HC_MAX_SUBOP; sub++) {
            uint64_t n = c->by_subop[nr][sub];
            if (!n || (sub == HC_MAX_SUBOP && n == d->hypercall_count[nr]))
                continue;
            if (sub == HC_MAX_SUBOP)
                snprintf(name, sizeof(name), "(other)");
            else if (hc_subop_name(nr, sub))
                snprintf(name, sizeof(name), "%s", hc_subop_name(nr, sub));
            else
                snprintf(name, sizeof(name), "%d", sub);
            fprintf(m->out, "       %-26s %8llu\n", name, (ull)n);
        }
    }
    if (!any)
        fprintf(m->out, "  no hypercalls\n");
}

int info_hypercalls(struct monitor *m, const char *args)
{
    struct xen *x = need_xen(m, "info hypercalls");
    uint64_t last;
    char text[256];

    if (!x || mon_count(m, "info hypercalls", args, 10, HCLOG_RECENT, &last))
        return MON_ERROR;
    if (m->d->recording_since)
        fprintf(m->out, "(sub-operations and the last ones recorded since "
                "#%llu, when the monitor was first entered)\n",
                (ull)m->d->recording_since);
    for (unsigned i = 0; i < x->nr_domains; i++)
        counts_of(m, x->dom[i]);
    fprintf(m->out, "the last %llu:\n", (ull)last);
    for (unsigned k = (unsigned)last; k-- > 0;) {
        const struct hc_record *r = hclog_recent(&m->d->hc, k);
        if (!r)
            continue;
        hclog_text(r, text, sizeof(text));
        fprintf(m->out, "  #%llu d%uv%u %s\n", (ull)r->icount, r->domid,
                r->vcpu, text);
    }
    return MON_OK;
}

/* ---- event channels -------------------------------------------------------------- */

int info_evtchn(struct monitor *m, const char *args)
{
    struct xen *x = need_xen(m, "info evtchn");
    char what[96];

    (void)args;
    if (!x)
        return MON_ERROR;
    for (unsigned i = 0; i < x->nr_domains; i++) {
        struct domain *d = x->dom[i];
        unsigned n = 0;
        fprintf(m->out, "d%u (%s): 2-level event channels, %u ports "
                "usable\n", d->domid, d->name, d->evtchn.valid_ports);
        for (unsigned p = 1; p < d->evtchn.valid_ports; p++) {
            const struct evtchn *ch = &d->evtchn.port[p];
            if (ch->state == ECS_FREE)
                continue;
            mon_evtchn_binding(d, p, what, sizeof(what));
            fprintf(m->out, "  port %-4u %-44s vcpu %u%s%s\n", p, what,
                    ch->notify_vcpu,
                    evtchn_is_pending(d, p) ? " pending" : "",
                    evtchn_is_masked(d, p) ? " masked" : "");
            n++;
        }
        if (!n)
            fprintf(m->out, "  no ports bound\n");
        for (unsigned v = 0; v < d->max_vcpus; v++) {
            struct vcpu *vc = d->vcpu[v];
            if (!vc || !vcpu_info_maddr(vc))
                continue;
            fprintf(m->out, "  vcpu %u: upcall_pending %u, upcall_mask %u "
                    "(events %s), pending_sel 0x%llx\n", v,
                    vcpu_info_load8(vc, VI_UPCALL_PENDING),
                    vcpu_info_load8(vc, VI_UPCALL_MASK),
                    vcpu_info_load8(vc, VI_UPCALL_MASK) ? "masked"
                                                        : "enabled",
                    (ull)vcpu_info_load(vc, d->abi->vi_pending_sel,
                                        d->abi->ulong_size));
        }
    }
    return MON_OK;
}

/* A grant entry's flags in words. */
static void grant_flags(struct monitor *m, uint16_t flags)
{
    static const char *const types[4] = {
        "invalid", "permit_access", "accept_transfer", "transitive",
    };

    fprintf(m->out, "%s", types[flags & GTF_type_mask]);
    if ((flags & GTF_type_mask) == GTF_accept_transfer) {
        fprintf(m->out, "%s%s", flags & GTF_transfer_committed
                ? " committed" : "", flags & GTF_transfer_completed
                ? " completed" : "");
        return;
    }
    fprintf(m->out, "%s%s%s%s", flags & GTF_readonly ? " readonly" : "",
            flags & GTF_reading ? " reading" : "",
            flags & GTF_writing ? " writing" : "",
            flags & GTF_sub_page ? " sub_page" : "");
}

static void maptrack_of(struct monitor *m, const char *who,
                        const struct maptrack *mt)
{
    unsigned n = 0;

    for (uint32_t h = 0; h < mt->limit; h++) {
        const struct grant_mapping *e = &mt->e[h];
        if (!e->flags)
            continue;
        fprintf(m->out, "  %s handle %u maps d%u ref %u%s%s%s\n", who, h,
                e->domid, e->ref, e->flags & GNTMAP_host_map ? " host" : "",
                e->flags & GNTMAP_device_map ? " device" : "",
                e->flags & GNTMAP_readonly ? " readonly" : "");
        n++;
    }
    if (n)
        fprintf(m->out, "  %s: %u mapping%s of others' grants\n", who, n,
                n == 1 ? "" : "s");
}

int info_grants(struct monitor *m, const char *args)
{
    struct xen *x = need_xen(m, "info grants");

    (void)args;
    if (!x)
        return MON_ERROR;
    for (unsigned i = 0; i < x->nr_domains; i++) {
        struct domain *d = x->dom[i];
        const struct grant_table *gt = &d->gt;
        unsigned used = 0, n = grant_nr_entries(gt);
        char who[16];

        fprintf(m->out, "d%u (%s): grant table v%u, %u of %u frames, %u "
                "entries\n", d->domid, d->name, gt->version, gt->nr_frames,
                gt->max_frames, n);
        for (uint32_t ref = 0; ref < n; ref++) {
            uint64_t at = grant_entry_maddr(gt, ref);
            uint16_t flags = (uint16_t)maddr_load(x, at, 2);
            uint16_t st = gt->version == 1 ? flags
                : (uint16_t)maddr_load(x, grant_status_maddr(gt, ref), 2);
            uint64_t frame = gt->version == 1 ? maddr_load(x, at + 4, 4)
                                              : maddr_load(x, at + 8, 8);
            if ((flags & GTF_type_mask) == GTF_invalid)
                continue;
            fprintf(m->out, "  ref %-5u to d%u frame 0x%llx: ", ref,
                    (unsigned)maddr_load(x, at + 2, 2), (ull)frame);
            grant_flags(m, (uint16_t)((flags & ~(GTF_reading | GTF_writing)) |
                                      (st & (GTF_reading | GTF_writing))));
            if (gt->active && gt->active[ref].pin)
                fprintf(m->out, "; pinned by d%u (0x%08x)",
                        gt->active[ref].domid, gt->active[ref].pin);
            fputc('\n', m->out);
            used++;
        }
        if (!used)
            fprintf(m->out, "  no entries in use\n");
        snprintf(who, sizeof(who), "d%u", d->domid);
        maptrack_of(m, who, &gt->maptrack);
    }
    maptrack_of(m, "dom0 (xenemu's backends)", &x->dom0_maptrack);
    return MON_OK;
}

/* ---- domains and vCPUs ---------------------------------------------------------- */

int info_domains(struct monitor *m, const char *args)
{
    struct xen *x = need_xen(m, "info domains");

    (void)args;
    if (!x)
        return MON_ERROR;
    for (unsigned i = 0; i < x->nr_domains; i++) {
        const struct domain *d = x->dom[i];
        fprintf(m->out, "d%u %s: %s PV (%s), %s", d->domid, d->name,
                d->abi->is64 ? "64-bit" : "32-bit PAE", d->abi->guest_type,
                state_names[d->state]);
        if (d->state == DOM_RUNNING && domain_paused(d))
            fprintf(m->out, ", paused (count %u)", d->controller_pause_count);
        if (d->state != DOM_RUNNING)
            fprintf(m->out, " (%s)", d->shutdown_reason <
                    ARRAY_SIZE(reason_names) ? reason_names[d->shutdown_reason]
                    : "?");
        fprintf(m->out, "\n  %llu pages (max %llu), %u vCPU%s, vm_assist "
                "0x%lx\n", (ull)d->tot_pages, (ull)d->max_pages,
                d->max_vcpus, d->max_vcpus == 1 ? "" : "s", d->vm_assist);
        fprintf(m->out, "  shared_info mfn 0x%llx, start_info mfn 0x%llx\n",
                (ull)d->shared_info_mfn, (ull)d->start_info_mfn);
        fprintf(m->out, "  console mfn 0x%llx port %u, xenstore mfn 0x%llx "
                "port %u\n", (ull)d->console_mfn, d->console_port,
                (ull)d->store_mfn, d->store_port);
    }
    fprintf(m->out, "machine: %llu frames, %llu free\n", (ull)x->nr_frames,
            (ull)x->nr_free);
    return MON_OK;
}

/* ---- pause and unpause (xl pause / unpause) ---------------------------------- */

static int pause_command(struct monitor *m, const char *cmd, const char *args)
{
    char req[32], *end;
    unsigned long id = strtoul(args, &end, 0);
    int rc;

    if (!need_xen(m, cmd))
        return MON_ERROR;
    while (*end == ' ')
        end++;
    if (!*args || *end || id > 0xffff) {
        mon_error(m, cmd, "usage: %s DOMID", cmd);
        return MON_ERROR;
    }
    if (!m->d->request) {
        mon_error(m, cmd, "this machine takes no requests");
        return MON_ERROR;
    }
    snprintf(req, sizeof(req), "%s %lu", cmd, id);
    rc = m->d->request(m->d->request_opaque, req);
    if (rc == -XEN_ESRCH)
        mon_error(m, cmd, "no domain %lu is running", id);
    else if (rc == -XEN_EINVAL)
        mon_error(m, cmd, "domain %lu is not paused (-EINVAL)", id);
    else if (rc)
        mon_error(m, cmd, "domain %lu is paused 255 times already "
                  "(-EOVERFLOW)", id);
    else
        fprintf(m->out, "d%lu %s (pause count %u)\n", id,
                domain_paused(xen_domain(m->d->x, (uint16_t)id))
                ? "paused" : "running",
                xen_domain(m->d->x, (uint16_t)id)->controller_pause_count);
    return rc ? MON_ERROR : MON_OK;
}

int cmd_pause(struct monitor *m, const char *args)
{
    return pause_command(m, "pause", args);
}

int cmd_unpause(struct monitor *m, const char *args)
{
    return pause_command(m, "unpause", args);
}

int info_vcpus(struct monitor *m, const char *args)
{
    char where[160], place[24];

    (void)args;
    for (unsigned i = 0; i < m->d->nvcpus; i++) {
        struct dbg_vcpu *dv = m->d->vcpu[i];
        struct vcpu *v = dv->v;
        fprintf(m->out, "%c %s: %s, %s, at %s, %llu instructions\n",
                i == m->d->cur ? '*' : ' ', dv->name,
                !v ? "running" : v->d->state != DOM_RUNNING ? "domain ended"
                : !v->online ? "down" : domain_paused(v->d)
                ? (v->blocked ? "paused, blocked" : "paused") : v->blocked
                ? (v->polling ? "polling" : "blocked") : "runnable",
                place_name(dbg_place(dv), place, sizeof(place)),
                mon_addr(m, dbg_pc(dv), where, sizeof(where)),
                (ull)dv->cpu->icount);
    }
    return MON_OK;
}

/* ---- scheduling and time ------------------------------------------------------ */

static void deadline(struct monitor *m, const char *what, uint64_t t,
                     uint64_t now)
{
    if (t == VTIME_NEVER)
        fprintf(m->out, "    %-12s none\n", what);
    else
        fprintf(m->out, "    %-12s at %llu ns (%s%llu ns)\n", what, (ull)t,
                t >= now ? "in " : "late by ",
                (ull)(t >= now ? t - now : now - t));
}

/* The credit scheduler's view: pCPUs, what each runs, and per vCPU its
 * domain's weight and cap, priority and credit. */
static void info_sched_pcpus(struct monitor *m, const struct xen *x)
{
    static const char *const pri_names[3] = { "over", "under", "boost" };
    const struct csched *s = x->sched;

    if (!s) {
        fprintf(m->out, "no scheduler: the vCPUs take turns\n");
        return;
    }
    fprintf(m->out, "credit scheduler: %u physical CPU%s, %llu ms slice, "
            "accounting every %llu ms\n", s->nr_pcpus,
            s->nr_pcpus == 1 ? "" : "s", (ull)(CSCHED_TSLICE_NS / 1000000),
            (ull)(CSCHED_ACCT_NS / 1000000));
    for (unsigned p = 0; p < s->nr_pcpus; p++) {
        const struct csched_unit *u = s->pcpu[p].curr;
        const struct vcpu *v = u ? u->owner : NULL;
        fprintf(m->out, "  pcpu%u: ", p);
        if (v)
            fprintf(m->out, "d%uv%u\n", v->d->domid, v->id);
        else
            fprintf(m->out, "idle\n");
    }
    for (unsigned i = 0; i < s->nr_units; i++) {
        const struct csched_unit *u = s->unit[i];
        const struct vcpu *v = u->owner;
        fprintf(m->out, "  d%uv%u: weight %u, cap %u%%, %s, credit %d%s%s\n",
                v->d->domid, v->id, u->dom->weight, u->dom->cap,
                u->pri >= CSCHED_PRI_OVER && u->pri <= CSCHED_PRI_BOOST
                    ? pri_names[u->pri - CSCHED_PRI_OVER] : "?",
                u->credit, u->parked ? ", parked by its cap" : "",
                u->runnable ? "" : ", not runnable");
    }
}

int info_sched(struct monitor *m, const char *args)
{
    static const char *const rs_names[4] = {
        "running", "runnable", "blocked", "offline",
    };
    struct xen *x = need_xen(m, "info sched");

    (void)args;
    if (!x)
        return MON_ERROR;
    info_sched_pcpus(m, x);
    for (unsigned i = 0; i < m->d->nvcpus; i++) {
        struct vcpu *v = m->d->vcpu[i]->v;
        uint64_t rs[6], now = vtime_now(v);
        vtime_runstate_get(v, rs);
        fprintf(m->out, "  %s: runstate %s since %llu ns%s%s\n",
                m->d->vcpu[i]->name, rs_names[rs[0] & 3], (ull)rs[1],
                v->blocked ? ", blocked (SCHEDOP_block)" : "",
                v->polling ? ", polling" : "");
        fprintf(m->out, "    time running %llu, runnable %llu, blocked %llu, "
                "offline %llu ns\n", (ull)rs[2], (ull)rs[3], (ull)rs[4],
                (ull)rs[5]);
        if (v->vtime.periodic_period)
            fprintf(m->out, "    periodic timer every %llu ns\n",
                    (ull)v->vtime.periodic_period);
        deadline(m, "periodic", v->vtime.periodic_next, now);
        deadline(m, "single-shot", v->vtime.singleshot, now);
        deadline(m, "poll", v->vtime.poll_timer, now);
    }
    for (unsigned i = 0; i < x->nr_domains; i++)
        for (unsigned w = 0; w < NR_DOMAIN_WATCHDOG_TIMERS; w++)
            if (x->dom[i]->watchdog_inuse & (1u << w))
                fprintf(m->out, "  d%u watchdog %u: %s%llu ns\n",
                        x->dom[i]->domid, w + 1,
                        x->dom[i]->watchdog[w] == VTIME_NEVER ? "stopped "
                                                              : "fires at ",
                        (ull)(x->dom[i]->watchdog[w] == VTIME_NEVER
                              ? 0 : x->dom[i]->watchdog[w]));
    return MON_OK;
}

int info_time(struct monitor *m, const char *args)
{
    struct xen *x = m->d->x;

    (void)args;
    if (!mon_vcpu(m, "info time"))
        return MON_ERROR;
    if (x)
        fprintf(m->out, "virtual clock: TSC %llu kHz, one tick per "
                "instruction%s\n", (ull)x->clock.tsc_khz,
                x->clock.host ? "; following the host's clock (--clock=host)"
                              : "");
    for (unsigned i = 0; i < m->d->nvcpus; i++) {
        struct dbg_vcpu *dv = m->d->vcpu[i];
        struct cpu *c = dv->cpu;
        fprintf(m->out, "%s: %llu instructions, TSC %llu (offset %llu: "
                "time skipped while idle)\n", dv->name, (ull)c->icount,
                (ull)(c->icount + c->tsc_offset), (ull)c->tsc_offset);
        if (!dv->v)
            continue;
        uint64_t now = vtime_now(dv->v);
        const struct vcpu_time *t = &dv->v->vtime;
        fprintf(m->out, "  system time %llu ns; wall clock %llu.%09llu s "
                "since the epoch\n", (ull)now,
                (ull)(x->clock.wallclock_epoch +
                      (now + x->clock.wallclock_nsec) / NS_PER_SEC),
                (ull)((now + x->clock.wallclock_nsec) % NS_PER_SEC));
        fprintf(m->out, "  vcpu_time_info: tsc_timestamp %llu, system_time "
                "%llu, mul 0x%x, shift %d\n", (ull)t->stamp_tsc,
                (ull)t->stamp_ns, t->mul, t->shift);
        deadline(m, "next timer", vtime_next_deadline(dv->v), now);
    }
    return MON_OK;
}

/* ---- symbols ----------------------------------------------------------------------- */

int info_symbols(struct monitor *m, const char *args)
{
    const struct symtab *t = &m->d->syms;
    uint64_t addr, off;
    const char *name;
    const struct sym *s;
    unsigned n = 0;

    if (!t->n) {
        fprintf(m->out, "no symbols loaded\n");
        return MON_OK;
    }
    if (*args && (*args == '$' || (*args >= '0' && *args <= '9'))) {
        if (mon_eval(m, "info symbols", args, &addr))
            return MON_ERROR;
        s = symtab_find(t, addr, &off);
        if (!s)
            fprintf(m->out, "no symbol at 0x%llx\n", (ull)addr);
        else
            fprintf(m->out, "0x%llx is %s+0x%llx (%s at 0x%llx, size "
                    "%llu)\n", (ull)addr, s->name, (ull)off,
                    s->func ? "function" : s->size ? "object" : "label",
                    (ull)s->addr,
                    (ull)s->size);
        return MON_OK;
    }
    for (size_t i = 0; (name = symtab_complete(t, args, i)); i++) {
        uint64_t a;
        if (n == 200) {
            fprintf(m->out, "... (more)\n");
            break;
        }
        if (symtab_lookup(t, name, &a))
            fprintf(m->out, "0x%016llx %s\n", (ull)a, name);
        n++;
    }
    fprintf(m->out, "%u of %zu symbols\n", n, t->n);
    return MON_OK;
}
