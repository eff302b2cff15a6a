/*
 * Watching the hypervisor work: what a debugger or a tracer (monitor/)
 * needs to know that only Xen sees.  A vCPU leaves the guest for Xen
 * (XO_EXIT, with the CPU's event), Xen runs hypercalls (XO_HYPERCALL and
 * XO_HYPERCALL_DONE, multicall entries too), builds frames and enters the
 * guest's handlers (XO_BOUNCE), and goes back to the guest (XO_RESUME: at
 * the end of an exit, and each time the machine is about to run the vCPU
 * again).  Event channels becoming pending, vCPUs blocking and waking are
 * reported as they happen.
 *
 * Off unless xen.observe is set: each site costs one test.  An observer
 * must not change guest-visible state; it may read guest memory without
 * side effects (cpu_read_virt with ACC_NOSET) and ask the CPU to stop
 * (cpu_debug_stop).
 */
#ifndef XENEMU_XENPLAT_OBSERVE_H
#define XENEMU_XENPLAT_OBSERVE_H

#include "xenplat/domain.h"

enum xen_obs_kind {
    XO_EXIT,                /* ev: guest -> Xen */
    XO_HYPERCALL,           /* nr, args */
    XO_HYPERCALL_DONE,      /* nr, args, ret (no_return: iret, blocked) */
    XO_BOUNCE,              /* bounce, vector: a frame for the guest */
    XO_RESUME,              /* Xen -> guest */
    XO_EVTCHN_PENDING,      /* port (newly: it was not pending) */
    XO_BLOCK,               /* the vCPU blocked (SCHEDOP_block, poll) */
    XO_WAKE,                /* ...and is runnable again */
};

/* Why Xen entered the guest's handler. */
enum xen_bounce_kind {
    XB_TRAP,                /* trap_table[vector]: exception or INT n */
    XB_SYSCALL,             /* syscall callback (user SYSCALL) */
    XB_SYSENTER,            /* sysenter callback */
    XB_EVENT,               /* event upcall */
    XB_FAILSAFE,            /* failsafe callback (a bad segment) */
};

struct xen_obs {
    enum xen_obs_kind kind;
    const struct cpu_event *ev;     /* XO_EXIT */
    unsigned nr;                    /* XO_HYPERCALL*: hypercall number */
    const uint64_t *args;           /* XO_HYPERCALL*: the six arguments */
    long ret;                       /* XO_HYPERCALL_DONE */
    bool no_return;                 /* XO_HYPERCALL_DONE: rax untouched */
    enum xen_bounce_kind bounce;    /* XO_BOUNCE */
    unsigned vector;                /* XO_BOUNCE XB_TRAP */
    unsigned port;                  /* XO_EVTCHN_PENDING */
    bool newly;                     /* XO_EVTCHN_PENDING */
};

typedef void (*xen_observe_fn)(void *opaque, struct vcpu *v,
                               const struct xen_obs *o);

static inline void xen_observe(struct vcpu *v, const struct xen_obs *o)
{
    struct xen *x = v->d->x;

    x->observe(x->observe_opaque, v, o);
}

/* Report an event: XEN_OBSERVE(v, .kind = XO_..., ...fields). */
#define XEN_OBSERVE(v, ...)                                                 \
    do {                                                                    \
        if (unlikely((v)->d->x->observe))                                   \
            xen_observe((v), &(struct xen_obs){ __VA_ARGS__ });             \
    } while (0)

#endif
