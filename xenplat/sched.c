/* sched_op: yield, block, poll, shutdown (xen/common/sched/core.c). */
#include "xenplat/guest.h"
#include "xenemu/le.h"
#include "xenplat/hypercall.h"

enum {
    SCHEDOP_yield = 0, SCHEDOP_block = 1, SCHEDOP_shutdown = 2,
    SCHEDOP_poll = 3, SCHEDOP_remote_shutdown = 4, SCHEDOP_shutdown_code = 5,
    SCHEDOP_watchdog = 6, SCHEDOP_pin_override = 7,
};

#define SCHED_POLL_MAX_PORTS 128

static bool events_pending(struct vcpu *v)
{
    return vcpu_info_load8(v, VI_UPCALL_PENDING) != 0;
}

/* SCHEDOP_block: enable event delivery, sleep unless one is pending. */
static long sched_block(struct vcpu *v)
{
    vcpu_info_store8(v, VI_UPCALL_MASK, 0);
    if (!events_pending(v))
        v->blocked = true;
    return 0;
}

static long sched_shutdown(struct vcpu *v, unsigned reason)
{
    struct domain *d = v->d;

    if (reason > SHUTDOWN_soft_reset)
        return -XEN_EINVAL;
    if (reason == SHUTDOWN_suspend) {
        /* No toolstack saves the domain: the suspend is cancelled at
         * once, which a guest sees as a return of 1. */
        return 1;
    }
    domain_shutdown(d, reason);
    return 0;
}

static long sched_poll(struct vcpu *v, uint64_t arg)
{
    struct domain *d = v->d;
    bool is64 = !is_pv32(d);
    uint64_t ports, timeout;
    uint32_t nr, i;
    uint8_t b[24];

    if (copy_from_guest(v, arg, b, is64 ? 24 : 16))
        return -XEN_EFAULT;
    ports = is64 ? le64_load(b) : le32_load(b);
    nr = le32_load(b + (is64 ? 8 : 4));
    timeout = le64_load(b + (is64 ? 16 : 8));
    /* Upcalls must be masked: a poll is not woken by them. */
    if (!vcpu_info_load8(v, VI_UPCALL_MASK))
        return -XEN_EINVAL;
    if (nr > SCHED_POLL_MAX_PORTS)
        return -XEN_EINVAL;
    for (i = 0; i < nr; i++) {
        uint32_t port;
        if (get_guest_u32(v, ports + i * 4ull, &port))
            return -XEN_EFAULT;
        if (port >= d->evtchn.nr_ports)
            return -XEN_EINVAL;
        if (evtchn_is_pending(d, port))
            return 0;
    }
    if (timeout && timeout <= xen_system_time(d->x, v))
        return 0;
    v->polling = true;
    v->blocked = true;
    v->poll_deadline = timeout ? timeout : VTIME_NEVER;
    return 0;
}

static long sched_op(struct vcpu *v, unsigned cmd, uint64_t arg)
{
    uint32_t reason;

    switch (cmd) {
    case SCHEDOP_yield:
        return 0;
    case SCHEDOP_block:
        return sched_block(v);
    case SCHEDOP_shutdown:
        if (get_guest_u32(v, arg, &reason))
            return -XEN_EFAULT;
        return sched_shutdown(v, reason);
    case SCHEDOP_poll:
        return sched_poll(v, arg);
    case SCHEDOP_remote_shutdown:
    case SCHEDOP_pin_override:
        return -XEN_EPERM;              /* a domU's privileges */
    case SCHEDOP_shutdown_code:
        if (get_guest_u32(v, arg, &reason))
            return -XEN_EFAULT;
        v->d->shutdown_code = reason;
        v->d->shutdown_code_set = true;
        return 0;
    default:
        return -XEN_ENOSYS;
    }
}

long do_sched_op(struct vcpu *v, const uint64_t *a)
{
    return sched_op(v, (unsigned)a[0], a[1]);
}

long do_sched_op_compat(struct vcpu *v, const uint64_t *a)
{
    switch (a[0]) {
    case SCHEDOP_yield:
        return 0;
    case SCHEDOP_block:
        return sched_block(v);
    case SCHEDOP_shutdown:
        return sched_shutdown(v, (unsigned)a[1]);
    default:
        return -XEN_ENOSYS;
    }
}
