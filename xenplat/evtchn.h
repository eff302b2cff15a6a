/*
 * Event channels, 2-level ABI (xen/common/event_channel.c, event_2l.c):
 * ports, their bindings, pending/mask bits in shared_info, selector words
 * and the upcall flag in vcpu_info.
 */
#ifndef XENEMU_XENPLAT_EVTCHN_H
#define XENEMU_XENPLAT_EVTCHN_H

#include "xenemu/common.h"

struct domain;
struct vcpu;

enum evtchn_state {
    ECS_FREE = 0,              /* EVTCHNSTAT_closed */
    ECS_UNBOUND = 1,
    ECS_INTERDOMAIN = 2,
    ECS_PIRQ = 3,
    ECS_VIRQ = 4,
    ECS_IPI = 5,
    ECS_RESERVED = 6,          /* port 0 */
};

/* A port whose other end is a backend in xenemu itself (the console,
 * xenstored, the block and network backends: dom0's job on real Xen). */
typedef void (*evtchn_backend_fn)(void *opaque);

struct evtchn {
    uint8_t state;             /* enum evtchn_state */
    evtchn_backend_fn backend; /* ECS_INTERDOMAIN with remote_dom 0 */
    void *backend_opaque;
    uint16_t notify_vcpu;
    uint16_t remote_dom;       /* unbound: who may bind; interdomain: peer */
    uint32_t remote_port;      /* interdomain: peer port */
    uint32_t virq;             /* ECS_VIRQ */
};

#define EVTCHN_MAX_VIRQ_VCPUS 128

struct evtchn_domain {
    struct evtchn *port;       /* nr_ports entries (the 2-level limit) */
    unsigned nr_ports;
    /* virq_port[vcpu][virq]: bound port or 0. */
    uint32_t (*virq_port)[24];
};

int evtchn_init(struct domain *d);
void evtchn_destroy(struct domain *d);

/* Allocate an unbound port that remote_dom may bind (the toolstack's
 * console and xenstore ports).  Returns the port or -errno. */
long evtchn_alloc_unbound(struct domain *d, uint16_t remote_dom);

/* Connect a backend to an unbound port of d that dom0 may bind: the
 * port becomes interdomain; the guest's sends call fn(opaque).  0 or
 * -errno. */
int evtchn_bind_backend(struct domain *d, unsigned port, evtchn_backend_fn fn,
                        void *opaque);

/* Mark port pending and kick its vCPU as 2-level Xen does. */
void evtchn_set_pending(struct domain *d, unsigned port);
/* Raise a per-vCPU or global VIRQ if bound. */
void evtchn_send_virq(struct vcpu *v, unsigned virq);
/* Is port pending (and, for polling, not blocked by the mask rule)? */
bool evtchn_is_pending(struct domain *d, unsigned port);

/* A guest's EVTCHNOP_send. */
long evtchn_send(struct domain *d, unsigned port);

/* Hypercalls. */
long do_event_channel_op(struct vcpu *v, const uint64_t *a);
long do_event_channel_op_compat(struct vcpu *v, const uint64_t *a);

#endif
