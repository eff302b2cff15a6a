/* sched_op and the scheduler's side of a vCPU (see sched.h). */
#include "xenemu/le.h"
#include "xenplat/guest.h"
#include "xenplat/hypercall.h"
#include "xenplat/observe.h"
#include "xenplat/sched.h"
#include "xenplat/traps.h"

enum {
    SCHEDOP_yield = 0, SCHEDOP_block = 1, SCHEDOP_shutdown = 2,
    SCHEDOP_poll = 3, SCHEDOP_remote_shutdown = 4, SCHEDOP_shutdown_code = 5,
    SCHEDOP_watchdog = 6, SCHEDOP_pin_override = 7,
};

#define SCHED_POLL_MAX_PORTS 128

/* ---- blocking and waking ------------------------------------------------------ */

/* local_events_need_delivery(). */
static bool events_need_delivery(struct vcpu *v)
{
    return vcpu_info_load8(v, VI_UPCALL_PENDING) &&
           !vcpu_info_load8(v, VI_UPCALL_MASK);
}

/* The vCPU leaves its pCPU: runstate blocked (or offline), periodic
 * timer stopped, and the scheduler no longer runs it. */
void sched_deschedule(struct vcpu *v, int runstate)
{
    struct csched *s = v->d->x->sched;

    XEN_OBSERVE(v, .kind = XO_BLOCK);
    vtime_set_runstate(v, runstate);
    vtime_periodic_stop(v);
    v->cpu.stop_request = true;
    if (s)
        csched_sleep(s, &v->sched_unit, vtime_now(v));
}

static void deschedule(struct vcpu *v)
{
    sched_deschedule(v, RUNSTATE_blocked);
}

void vcpu_unblock(struct vcpu *v)
{
    struct csched *s = v->d->x->sched;

    if (!v->blocked)
        return;
    v->blocked = false;
    XEN_OBSERVE(v, .kind = XO_WAKE);
    if (!v->online || v->d->state != DOM_RUNNING)
        return;
    if (domain_paused(v->d)) {
        /* vcpu_wake() of a vCPU that may not run: out of blocked. */
        vtime_set_runstate(v, RUNSTATE_offline);
        return;
    }
    if (s) {
        /* Runnable; the scheduler decides when it runs (sched_switch_in).
         * Its context is reloaded now: load_segments() may send it to
         * its failsafe callback. */
        vtime_set_runstate(v, RUNSTATE_runnable);
        pv_load_segments(v);
        csched_wake(s, &v->sched_unit, vtime_now(v));
        return;
    }
    /* Scheduled at once: sched_context_switch() then context_switch(),
     * whose load_segments() may send it to its failsafe callback. */
    vtime_set_runstate(v, RUNSTATE_running);
    vtime_periodic_work(v);
    vtime_update_vcpu_info(v);
    pv_load_segments(v);
}

void sched_switch_in(struct vcpu *v)
{
    vtime_set_runstate(v, RUNSTATE_running);
    vtime_periodic_work(v);
    vtime_update_vcpu_info(v);
}

void sched_switch_out(struct vcpu *v)
{
    if (v->vtime.runstate != RUNSTATE_running)
        return;                     /* blocked or down: already done */
    vtime_set_runstate(v, RUNSTATE_runnable);
    vtime_periodic_stop(v);
}

int sched_domain_add(struct domain *d, uint64_t affinity)
{
    struct csched *s = d->x->sched;
    unsigned i;

    for (i = 0; i < d->max_vcpus; i++) {
        struct vcpu *v = d->vcpu[i];
        if (!v)
            continue;
        v->sched_unit.affinity = affinity;
        if (csched_add(s, &v->sched_unit))
            return -1;
        if (v->online && !v->blocked && !domain_paused(d)) {
            /* Runnable until the scheduler gives it a pCPU. */
            sched_switch_out(v);
            csched_wake(s, &v->sched_unit, vtime_now(v));
        }
    }
    return 0;
}

void sched_domain_remove(struct domain *d)
{
    struct csched *s = d->x->sched;
    unsigned i;

    for (i = 0; s && i < d->max_vcpus; i++)
        if (d->vcpu[i]) {
            if (d->vcpu[i]->vtime.runstate == RUNSTATE_running)
                vtime_set_runstate(d->vcpu[i], RUNSTATE_offline);
            csched_remove(s, &d->vcpu[i]->sched_unit);
        }
}

/* ---- pause by the system controller ---------------------------------------------- */

#define CONTROLLER_PAUSE_MAX 255

/* vcpu_sleep_nosync() once the domain is paused: a running or runnable
 * vCPU stops and is offline; a blocked or down one stays as it is. */
static void pause_vcpu(struct vcpu *v)
{
    int rs = v->vtime.runstate;

    if (rs != RUNSTATE_running && rs != RUNSTATE_runnable)
        return;
    vtime_set_runstate(v, RUNSTATE_offline);
    vtime_periodic_stop(v);
    v->cpu.stop_request = true;
    if (v->d->x->sched)
        csched_sleep(v->d->x->sched, &v->sched_unit, vtime_now(v));
}

/* vcpu_wake() at the last unpause: an awake vCPU runs again (runnable
 * for the scheduler, or at once without one). */
static void unpause_vcpu(struct vcpu *v)
{
    struct csched *s = v->d->x->sched;

    if (!v->online || v->blocked || v->vtime.runstate != RUNSTATE_offline)
        return;
    if (s) {
        vtime_set_runstate(v, RUNSTATE_runnable);
        csched_wake(s, &v->sched_unit, vtime_now(v));
        return;
    }
    sched_switch_in(v);
}

int domain_pause_by_systemcontroller(struct domain *d)
{
    unsigned i;

    if (d->controller_pause_count + 1 > CONTROLLER_PAUSE_MAX)
        return -XEN_EOVERFLOW;
    if (d->controller_pause_count++ || d->state != DOM_RUNNING)
        return 0;
    for (i = 0; i < d->max_vcpus; i++)
        if (d->vcpu[i])
            pause_vcpu(d->vcpu[i]);
    return 0;
}

int domain_unpause_by_systemcontroller(struct domain *d)
{
    unsigned i;

    if (d->controller_pause_count == 0)
        return -XEN_EINVAL;
    if (--d->controller_pause_count || d->state != DOM_RUNNING)
        return 0;
    for (i = 0; i < d->max_vcpus; i++)
        if (d->vcpu[i])
            unpause_vcpu(d->vcpu[i]);
    return 0;
}

void vcpu_kick(struct vcpu *v)
{
    vcpu_unblock(v);
    v->cpu.stop_request = true;        /* look at events at the boundary */
}

/* vcpu_block_enable_events(). */
static long sched_block(struct vcpu *v)
{
    vcpu_info_store8(v, VI_UPCALL_MASK, 0);
    if (events_need_delivery(v))
        return 0;
    v->blocked = true;
    deschedule(v);
    return 0;
}

/* ---- SCHEDOP_poll ------------------------------------------------------------------ */

static long poll_out(struct vcpu *v, long rc)
{
    v->poll_evtchn = 0;
    v->polling = false;
    v->blocked = false;
    return rc;
}

static long do_poll(struct vcpu *v, uint64_t ports, uint32_t nr,
                    uint64_t timeout)
{
    struct domain *d = v->d;
    uint32_t i, port = 0;

    if (nr > SCHED_POLL_MAX_PORTS)
        return -XEN_EINVAL;
    if (!guest_range_ok(v, ports, nr * 4ull))
        return -XEN_EFAULT;
    v->blocked = true;
    v->poll_evtchn = -1;
    v->polling = true;
    if (events_need_delivery(v))
        return poll_out(v, 0);
    for (i = 0; i < nr; i++) {
        if (get_guest_u32(v, ports + i * 4ull, &port))
            return poll_out(v, -XEN_EFAULT);
        if (!evtchn_port_valid(d, port))
            return poll_out(v, -XEN_EINVAL);
        if (evtchn_is_pending(d, port))
            return poll_out(v, 0);
    }
    if (nr == 1)
        v->poll_evtchn = (int)port;
    if (timeout)
        v->vtime.poll_timer = timeout;
    deschedule(v);
    return 0;
}

void sched_poll_timeout(struct vcpu *v)
{
    if (!v->polling)
        return;
    v->polling = false;
    vcpu_unblock(v);
}

static long sched_poll(struct vcpu *v, uint64_t arg)
{
    bool is64 = !is_pv32(v->d);
    uint8_t b[24];

    if (copy_from_guest(v, arg, b, is64 ? 24 : 16))
        return -XEN_EFAULT;
    return do_poll(v, is64 ? le64_load(b) : le32_load(b),
                   le32_load(b + (is64 ? 8 : 4)),
                   le64_load(b + (is64 ? 16 : 8)));
}

/* ---- shutdown -------------------------------------------------------------------- */

static long sched_shutdown(struct vcpu *v, uint32_t reason)
{
    struct domain *d = v->d;
    unsigned effective = d->shutdown_code_set ? d->shutdown_code
                                              : (uint8_t)reason;

    if (effective == SHUTDOWN_suspend) {
        /* No toolstack saves the domain: the suspend is cancelled at
         * once, which the guest sees as a return of 1. */
        return 1;
    }
    domain_shutdown(d, (uint8_t)reason);
    return 0;
}

static long sched_shutdown_code(struct vcpu *v, uint32_t reason)
{
    struct domain *d = v->d;

    if (!d->shutdown_code_set) {
        d->shutdown_code = (uint8_t)reason;
        d->shutdown_code_set = true;
    }
    return 0;
}

/* A domU may shut down no one, itself included (XSM_DM_PRIV); DOMID_SELF
 * names no domain here. */
static long sched_remote_shutdown(struct vcpu *v, uint16_t domid)
{
    struct domain *d = v->d;
    unsigned i;

    if (domid == 0 || domid == d->domid)
        return -XEN_EPERM;
    for (i = 0; i < d->x->nr_domains; i++)
        if (d->x->dom[i]->domid == domid)
            return -XEN_EPERM;
    return -XEN_ESRCH;
}

/* ---- watchdogs (domain_watchdog) ---------------------------------------------------- */

static long sched_watchdog(struct vcpu *v, uint32_t id, uint32_t timeout)
{
    struct domain *d = v->d;
    uint64_t when = vtime_now(v) + timeout * NS_PER_SEC;

    v->cpu.stop_request = true;     /* the slice ends at the new deadline */

    if (id > NR_DOMAIN_WATCHDOG_TIMERS)
        return -XEN_EINVAL;
    if (id == 0) {
        for (id = 0; id < NR_DOMAIN_WATCHDOG_TIMERS; id++) {
            if (d->watchdog_inuse & (1u << id))
                continue;
            d->watchdog_inuse |= 1u << id;
            d->watchdog[id] = when;
            return id + 1;
        }
        return -XEN_ENOSPC;
    }
    id--;
    if (!(d->watchdog_inuse & (1u << id)))
        return -XEN_EINVAL;
    if (timeout == 0) {
        d->watchdog[id] = VTIME_NEVER;
        d->watchdog_inuse &= ~(1u << id);
    } else {
        d->watchdog[id] = when;
    }
    return 0;
}

uint64_t sched_watchdog_deadline(const struct domain *d)
{
    uint64_t t = VTIME_NEVER;
    unsigned i;

    for (i = 0; i < NR_DOMAIN_WATCHDOG_TIMERS; i++)
        if (d->watchdog[i] < t)
            t = d->watchdog[i];
    return t;
}

void sched_run_watchdogs(struct domain *d, uint64_t now)
{
    unsigned i;

    for (i = 0; i < NR_DOMAIN_WATCHDOG_TIMERS; i++) {
        if (now < d->watchdog[i])
            continue;
        d->watchdog[i] = VTIME_NEVER;
        if (d->state == DOM_RUNNING)
            domain_shutdown(d, SHUTDOWN_watchdog);
    }
}

/* ---- the hypercalls ---------------------------------------------------------------- */

static long sched_op(struct vcpu *v, unsigned cmd, uint64_t arg)
{
    uint8_t b[8];

    switch (cmd) {
    case SCHEDOP_yield:
        if (v->d->x->sched) {
            csched_yield(v->d->x->sched, &v->sched_unit);
            v->cpu.stop_request = true;
        }
        return 0;
    case SCHEDOP_block:
        return sched_block(v);
    case SCHEDOP_poll:
        return sched_poll(v, arg);
    case SCHEDOP_shutdown:
    case SCHEDOP_shutdown_code:
        if (copy_from_guest(v, arg, b, 4))
            return -XEN_EFAULT;
        return cmd == SCHEDOP_shutdown ? sched_shutdown(v, le32_load(b))
                                       : sched_shutdown_code(v, le32_load(b));
    case SCHEDOP_remote_shutdown:
        if (copy_from_guest(v, arg, b, 8))
            return -XEN_EFAULT;
        return sched_remote_shutdown(v, le16_load(b));
    case SCHEDOP_watchdog:
        if (copy_from_guest(v, arg, b, 8))
            return -XEN_EFAULT;
        return sched_watchdog(v, le32_load(b), le32_load(b + 4));
    case SCHEDOP_pin_override:
        return -XEN_EPERM;          /* the hardware domain's */
    default:
        return -XEN_ENOSYS;
    }
}

long do_sched_op(struct vcpu *v, const uint64_t *a)
{
    return sched_op(v, (unsigned)a[0], a[1]);
}

/* The pre-3.0 form: the argument is the value itself. */
long do_sched_op_compat(struct vcpu *v, const uint64_t *a)
{
    switch ((int)a[0]) {
    case SCHEDOP_yield:
        return 0;
    case SCHEDOP_block:
        return sched_block(v);
    case SCHEDOP_shutdown:
        return sched_shutdown(v, (uint32_t)a[1]);
    default:
        return -XEN_ENOSYS;
    }
}
