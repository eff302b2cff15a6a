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
    hc_short(e->hc, sizeof(e->hc), nr, sub);
    t.to = (struct place){ 0, PM_XEN };
    snprintf(t.cause, sizeof(t.cause), "hypercall %u %s", nr, e->hc);
    dbg_transition(dv, &t);
}

static void bounce_cause(struct dbg_vcpu *dv, const struct xen_obs *o,
                         struct transition *t)
{
    const struct pv_exit_state *e = &dv->rings.exit;
    int port;

    switch (o->bounce) {
    case XB_TRAP:
        t->kind = TK_TRAP;
        if (e->active && e->ev.kind == EV_SOFTINT && o->vector >= 32)
            snprintf(t->cause, sizeof(t->cause), "trap 0x%x (int $0x%x)",
                     o->vector, o->vector);
        else
            snprintf(t->cause, sizeof(t->cause), "trap %u %s", o->vector,
                     mon_exc_name(o->vector));
        break;
    case XB_SYSCALL:
        t->kind = TK_SYSCALL_CALLBACK;
        snprintf(t->cause, sizeof(t->cause), "syscall callback");
        break;
    case XB_SYSENTER:
        t->kind = TK_SYSENTER_CALLBACK;
        snprintf(t->cause, sizeof(t->cause), "sysenter callback");
        break;
    case XB_EVENT:
        t->kind = TK_EVENT_UPCALL;
        port = evtchn_first_pending(dv->v);
        if (port > 0)
            snprintf(t->cause, sizeof(t->cause), "event upcall port %d",
                     port);
        else
            snprintf(t->cause, sizeof(t->cause), "event upcall");
        break;
    case XB_FAILSAFE:
        t->kind = TK_FAILSAFE;
        snprintf(t->cause, sizeof(t->cause), "failsafe callback");
        break;
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
    char res[48], ev[96];

    if (!e->active)
        return;
    e->active = false;
    if (e->left)
        return;
    t.to = dbg_place(dv);
    if (e->hypercall && e->nr == HC_iret) {
        t.kind = TK_IRET;
        snprintf(t.cause, sizeof(t.cause), "iret");
    } else if (e->hypercall) {
        hc_result(res, sizeof(res), e->ret);
        if (e->no_return)
            snprintf(t.cause, sizeof(t.cause), "return from %s", e->hc);
        else
            snprintf(t.cause, sizeof(t.cause), "return from %s = %s", e->hc,
                     res);
    } else {
        t.kind = TK_HANDLED_IN_XEN;
        t.via_xen = true;
        mon_event_text(&e->ev, ev, sizeof(ev));
        snprintf(t.cause, sizeof(t.cause), "%s handled in xen", ev);
    }
    dbg_transition(dv, &t);
}

/* ---- hypercalls --------------------------------------------------------------------- */

static void on_hypercall(struct dbg *d, struct dbg_vcpu *dv,
                         const struct xen_obs *o)
{
    struct hc_ctx ctx = hc_ctx(dv);
    int sub = hc_subop(o->nr, o->args, &ctx);
    unsigned depth = dv->v->multicall_depth;
    char desc[HCLOG_DESC];
    uint64_t seq;
    struct bp *b;

    hc_describe(desc, sizeof(desc), o->nr, o->args, &ctx);
    seq = hclog_start(&d->hc, dv->cpu->icount, dv->v->d->domid, dv->v->id,
                      o->nr, depth, sub, desc);
    if (dv->hc_depth < DBG_HC_DEPTH) {
        dv->hc_seq[dv->hc_depth] = seq;
        dv->hc_catch[dv->hc_depth] = false;
    }
    dv->hc_depth++;
    dbg_hash(d, 0x4843 /* HC */, o->nr);
    for (unsigned i = 0; i < 6; i++)
        dbg_hash(d, i, o->args[i]);
    if (depth == 0)
        enter_hypercall(dv, o->nr, sub);
    b = bptable_match_value(&d->bp, BP_HYPERCALL, o->nr);
    if (b && !d->pending && !d->detached) {
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
    char res[48];
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
    hc_result(res, sizeof(res), o->ret);
    if (caught && d->catch_hc_pending) {
        size_t used = strlen(d->stop.what);
        snprintf(d->stop.what + used, sizeof(d->stop.what) - used, " %s%s",
                 o->no_return ? "(no return value)" : "= ",
                 o->no_return ? "" : res);
        d->catch_hc_pending = false;
    }
    r = hclog_recent(&d->hc, (unsigned)(d->hc.total - 1 - seq));
    if (trace_on(&d->trace, TRACE_HYPERCALLS) && r)
        trace_record(&d->trace, TRACE_HYPERCALLS, r->icount, dv->name,
                     "%*s%s %s%s", (int)(2 * r->depth), "", r->desc,
                     o->no_return ? "(no return value)" : "= ",
                     o->no_return ? "" : res);
}

/* ---- events ---------------------------------------------------------------------------- */

static void on_evtchn(struct dbg *d, struct dbg_vcpu *dv,
                      const struct xen_obs *o)
{
    char what[96];
    struct bp *b;

    dbg_hash(d, 0x4556 /* EV */, o->port);
    mon_evtchn_binding(dv->v->d, o->port, what, sizeof(what));
    if (trace_on(&d->trace, TRACE_EVENTS))
        trace_record(&d->trace, TRACE_EVENTS, dv->cpu->icount, dv->name,
                     "port %u pending%s (%s)", o->port,
                     o->newly ? "" : " again", what);
    b = bptable_match_value(&d->bp, BP_EVTCHN, o->port);
    if (b) {
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

void dbg_xen_observe(void *opaque, struct vcpu *v, const struct xen_obs *o)
{
    struct dbg *d = opaque;
    struct dbg_vcpu *dv = v->cpu.debug_opaque;
    char text[96];

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
        if (o->bounce == XB_EVENT && trace_on(&d->trace, TRACE_EVENTS)) {
            struct transition t = now(dv, TK_EVENT_UPCALL);
            bounce_cause(dv, o, &t);
            trace_event(d, dv, t.cause);
        }
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
        snprintf(text, sizeof(text), "vCPU %s", o->kind == XO_BLOCK
                 ? "blocked" : "woken");
        trace_event(d, dv, text);
        break;
    }
}
