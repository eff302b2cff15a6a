/*
 * The debugger watching Xen (xenplat/observe.h): ring transitions of PV
 * vCPUs (rings.h explains the model), the hypercall log, the hypercall and
 * event traces, the hash, and the hypercall and event-channel
 * catchpoints.
 */
#include <stdio.h>
#include <string.h>
#include "monitor/dbg.h"
#include "monitor/describe.h"
#include "xenplat/domain.h"
#include "xenplat/evtchn.h"
#include "xenplat/observe.h"

typedef unsigned long long ull;

static int read_guest(void *opaque, uint64_t va, void *buf, size_t len)
{
    return dbg_read_virt(opaque, va, buf, len);
}

static struct hc_ctx hc_ctx(struct dbg_vcpu *dv)
{
    return (struct hc_ctx){ .is64 = !is_pv32(dv->v->d), .read = read_guest,
                            .opaque = dv };
}

static struct transition now(struct dbg_vcpu *dv, enum tkind kind)
{
    return (struct transition){ .icount = dv->cpu->icount,
                                .ns = dbg_now_ns(dv), .kind = kind };
}

/* ---- transitions ------------------------------------------------------------------ */

static void on_exit(struct dbg_vcpu *dv, const struct cpu_event *ev)
{
    struct pv_exit_state *e = &dv->rings.exit;

    *e = (struct pv_exit_state){ .active = true, .from = dv->rings.cur,
                                 .ev = *ev };
}

/* The hypercall starts: the guest has entered Xen. */
static void enter_hypercall(struct dbg_vcpu *dv, unsigned nr, int sub)
{
    struct pv_exit_state *e = &dv->rings.exit;
    struct transition t = now(dv, TK_HYPERCALL);

    if (!e->active || e->announced)
        return;
    e->announced = true;
    e->hypercall = true;
    e->nr = nr;
    e->sub = sub;
    t.to = (struct place){ 0, PM_XEN };
    t.why.hc.nr = nr;
    t.why.hc.sub = sub;
    dbg_transition(dv, &t);
}

static void bounce_cause(struct dbg_vcpu *dv, const struct xen_obs *o,
                         struct transition *t)
{
    static const enum tkind kinds[] = {
        [XB_TRAP] = TK_TRAP, [XB_SYSCALL] = TK_SYSCALL_CALLBACK,
        [XB_SYSENTER] = TK_SYSENTER_CALLBACK, [XB_EVENT] = TK_EVENT_UPCALL,
        [XB_FAILSAFE] = TK_FAILSAFE,
    };
    const struct pv_exit_state *e = &dv->rings.exit;
    int port;

    t->kind = kinds[o->bounce];
    if (o->bounce == XB_TRAP) {
        t->why.trap.vector = o->vector;
        t->why.trap.int_n = e->active && e->ev.kind == EV_SOFTINT &&
                            o->vector >= 32;
    } else if (o->bounce == XB_EVENT) {
        port = evtchn_first_pending(dv->v);
        t->why.port = port > 0 ? port : 0;
    }
}

/* Xen enters a guest handler: from the exit's place in one step when
 * Xen only reflected the event, else from Xen. */
static void on_bounce(struct dbg_vcpu *dv, const struct xen_obs *o)
{
    struct pv_exit_state *e = &dv->rings.exit;
    struct transition t = now(dv, TK_TRAP);

    bounce_cause(dv, o, &t);
    t.to = dbg_place(dv);
    if (!e->active || (e->left && dv->rings.cur.mode != PM_XEN))
        t.via_xen = true;          /* an event between two instructions */
    e->announced = true;
    e->left = true;
    dbg_transition(dv, &t);
}

/* Back to the guest without a bounce: the hypercall's return (or iret),
 * or an exit Xen handled itself. */
static void on_resume(struct dbg_vcpu *dv)
{
    struct pv_exit_state *e = &dv->rings.exit;
    struct transition t = now(dv, TK_HYPERCALL_RETURN);

    if (!e->active)
        return;
    e->active = false;
    if (e->left)
        return;
    t.to = dbg_place(dv);
    if (e->hypercall && e->nr == HC_iret) {
        t.kind = TK_IRET;
    } else if (e->hypercall) {
        t.why.hc.nr = e->nr;
        t.why.hc.sub = e->sub;
        t.why.hc.ret = e->ret;
        t.why.hc.no_return = e->no_return;
    } else {
        t.kind = TK_HANDLED_IN_XEN;
        t.via_xen = true;
        t.why.ev = e->ev;
    }
    dbg_transition(dv, &t);
}

/* ---- hypercalls --------------------------------------------------------------------- */

static void on_hypercall(struct dbg *d, struct dbg_vcpu *dv,
                         const struct xen_obs *o)
{
    struct hc_ctx ctx = hc_ctx(dv);
    unsigned depth = dv->v->multicall_depth;
    struct hc_call call;
    char desc[160];
    uint64_t seq;
    struct bp *b;

    hc_capture(&call, o->nr, o->args, &ctx);
    seq = hclog_start(&d->hc, dv->cpu->icount, dv->v->d->domid, dv->v->id,
                      depth, &call);
    if (dv->hc_depth < DBG_HC_DEPTH) {
        dv->hc_seq[dv->hc_depth] = seq;
        dv->hc_catch[dv->hc_depth] = false;
    }
    dv->hc_depth++;
    dbg_hash(d, 0x4843 /* HC */, o->nr);
    for (unsigned i = 0; i < 6; i++)
        dbg_hash(d, i, o->args[i]);
    if (depth == 0)
        enter_hypercall(dv, o->nr, call.sub);
    b = bptable_match_value(&d->bp, BP_HYPERCALL, o->nr);
    if (b && !d->pending && !d->detached) {
        hc_describe(desc, sizeof(desc), &call);
        dbg_stop_at(d, dv, DBG_STOP_CATCH, b->id,
                    "catchpoint %d: hypercall %u %s", b->id, o->nr, desc);
        d->catch_hc_pending = true;
        if (dv->hc_depth <= DBG_HC_DEPTH)
            dv->hc_catch[dv->hc_depth - 1] = true;
        dbg_hit(d, b);
    }
}

static void on_hypercall_done(struct dbg *d, struct dbg_vcpu *dv,
                              const struct xen_obs *o)
{
    char text[256];
    const struct hc_record *r;
    uint64_t seq;
    bool caught;

    if (dv->hc_depth == 0)
        return;
    dv->hc_depth--;
    if (dv->hc_depth >= DBG_HC_DEPTH)
        return;
    seq = dv->hc_seq[dv->hc_depth];
    caught = dv->hc_catch[dv->hc_depth];
    hclog_done(&d->hc, seq, dv->v->d->domid, o->nr, o->ret, o->no_return);
    dbg_hash(d, 0x5245 /* RE */, o->no_return ? 0x8000 : (uint64_t)o->ret);
    if (dv->v->multicall_depth == 0 && dv->rings.exit.active) {
        dv->rings.exit.ret = o->ret;
        dv->rings.exit.no_return = o->no_return;
    }
    if (caught && d->catch_hc_pending) {
        size_t used = strlen(d->stop.what);
        hc_outcome(o->ret, o->no_return, d->stop.what + used,
                   sizeof(d->stop.what) - used);
        d->catch_hc_pending = false;
    }
    r = hclog_recent(&d->hc, (unsigned)(d->hc.total - 1 - seq));
    if (trace_on(&d->trace, TRACE_HYPERCALLS) && r) {
        hclog_text(r, text, sizeof(text));
        trace_record(&d->trace, TRACE_HYPERCALLS, r->icount, dv->name,
                     "%s", text);
    }
}

/* ---- events ---------------------------------------------------------------------------- */

static void on_evtchn(struct dbg *d, struct dbg_vcpu *dv,
                      const struct xen_obs *o)
{
    char what[96];
    struct bp *b;

    dbg_hash(d, 0x4556 /* EV */, o->port);
    if (trace_on(&d->trace, TRACE_EVENTS)) {
        mon_evtchn_binding(dv->v->d, o->port, what, sizeof(what));
        trace_record(&d->trace, TRACE_EVENTS, dv->cpu->icount, dv->name,
                     "port %u pending%s (%s)", o->port,
                     o->newly ? "" : " again", what);
    }
    b = bptable_match_value(&d->bp, BP_EVTCHN, o->port);
    if (b) {
        mon_evtchn_binding(dv->v->d, o->port, what, sizeof(what));
        dbg_stop_at(d, dv, DBG_STOP_CATCH, b->id,
                    "catchpoint %d: event channel %u pending (%s)", b->id,
                    o->port, what);
        dbg_hit(d, b);
    }
}

static void trace_event(struct dbg *d, struct dbg_vcpu *dv, const char *what)
{
    if (trace_on(&d->trace, TRACE_EVENTS))
        trace_record(&d->trace, TRACE_EVENTS, dv->cpu->icount, dv->name,
                     "%s", what);
}

static void trace_upcall(struct dbg *d, struct dbg_vcpu *dv,
                         const struct xen_obs *o)
{
    struct transition t = now(dv, TK_EVENT_UPCALL);
    char text[96];

    bounce_cause(dv, o, &t);
    transition_cause(&t, text, sizeof(text));
    trace_event(d, dv, text);
}

void dbg_xen_observe(void *opaque, struct vcpu *v, const struct xen_obs *o)
{
    struct dbg *d = opaque;
    struct dbg_vcpu *dv = v->cpu.debug_opaque;

    if (!dv || dv->d != d)
        return;
    switch (o->kind) {
    case XO_EXIT:
        on_exit(dv, o->ev);
        break;
    case XO_HYPERCALL:
        on_hypercall(d, dv, o);
        break;
    case XO_HYPERCALL_DONE:
        on_hypercall_done(d, dv, o);
        break;
    case XO_BOUNCE:
        dbg_hash(d, 0x424f /* BO */, (uint64_t)o->bounce << 8 | o->vector);
        on_bounce(dv, o);
        if (o->bounce == XB_EVENT && trace_on(&d->trace, TRACE_EVENTS))
            trace_upcall(d, dv, o);
        break;
    case XO_RESUME:
        on_resume(dv);
        break;
    case XO_EVTCHN_PENDING:
        on_evtchn(d, dv, o);
        break;
    case XO_BLOCK:
    case XO_WAKE:
        dbg_hash(d, o->kind, v->cpu.icount);
        trace_event(d, dv, o->kind == XO_BLOCK ? "vCPU blocked"
                                               : "vCPU woken");
        break;
    }
}
