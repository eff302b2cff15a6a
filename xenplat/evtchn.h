/*
 * Event channels (xen/common/event_channel.c): ports and their bindings,
 * delivered through one of two ABIs the guest selects: 2-level (event_2l.c:
 * pending/mask bits in shared_info, selector words and the upcall flag in
 * vcpu_info) or FIFO (event_fifo.c, evtchn-fifo.c: event words in guest
 * event-array pages, per-vCPU control blocks with 16 priority queues).
 * Every domain has its own table, looked up by domid; an interdomain
 * channel joins two domains' ports.
 *
 * Domain 0 does not exist as a domain in xenemu: its side of an
 * interdomain channel is a backend inside xenemu (the console, xenstored,
 * later the block/network backends).  A backend owns a "dom0
 * port" that the toolstack offered to the guest as an unbound port; the
 * guest's end may be closed and bound again with bind_interdomain, as
 * on Xen.
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

/* EVTCHNOP_* (pub/event_channel.h). */
enum {
    EVTCHNOP_bind_interdomain = 0, EVTCHNOP_bind_virq = 1,
    EVTCHNOP_bind_pirq = 2, EVTCHNOP_close = 3, EVTCHNOP_send = 4,
    EVTCHNOP_status = 5, EVTCHNOP_alloc_unbound = 6, EVTCHNOP_bind_ipi = 7,
    EVTCHNOP_bind_vcpu = 8, EVTCHNOP_unmask = 9, EVTCHNOP_reset = 10,
    EVTCHNOP_init_control = 11, EVTCHNOP_expand_array = 12,
    EVTCHNOP_set_priority = 13,
    EVTCHNOP_reset_cont = 14,  /* Xen's own continuation of reset */
};

/* What a backend hears about its channel. */
enum evtchn_backend_event {
    EVTCHN_BACKEND_NOTIFY,     /* the guest sent on its port */
    EVTCHN_BACKEND_CONNECT,    /* the guest (re)bound its end */
    EVTCHN_BACKEND_CLOSE,      /* the guest closed its end */
};
typedef void (*evtchn_backend_fn)(void *opaque, enum evtchn_backend_event ev);

#define EVTCHN_MAX_BACKENDS 8

/* A dom0 port served by a backend. */
struct evtchn_backend {
    uint32_t dom0_port;        /* 0: slot unused */
    uint32_t guest_port;       /* the guest's bound end; 0: none */
    evtchn_backend_fn fn;
    void *opaque;
};

struct evtchn {
    uint8_t state;             /* enum evtchn_state */
    uint8_t priority;          /* FIFO queue, 0 (highest) .. 15 */
    bool fifo_pending;         /* FIFO: raised while its word had no page */
    uint8_t last_priority;     /* FIFO: the queue it was last linked on */
    uint16_t last_vcpu;
    uint16_t notify_vcpu;
    uint16_t remote_dom;       /* unbound: who may bind; interdomain: peer */
    uint32_t remote_port;      /* interdomain: peer port */
    uint32_t virq;             /* ECS_VIRQ */
    struct evtchn_backend *backend;  /* interdomain with a dom0 backend */
};

/* Struct evtchn is padded to 64 bytes in Xen, so a bucket of ports is
 * allocated 64 at a time: a port is "valid" once its bucket exists. */
#define EVTCHNS_PER_BUCKET 64
/* libxl's default max_evtchn_port ("event_channels" = 1023). */
#define EVTCHN_DEFAULT_MAX_PORT 1023
/* The FIFO ABI's limit (EVTCHN_FIFO_NR_CHANNELS, 17 link bits). */
#define EVTCHN_FIFO_LINK_BITS 17
#define EVTCHN_FIFO_NR_CHANNELS (1u << EVTCHN_FIFO_LINK_BITS)

struct evtchn_fifo;            /* evtchn-fifo.c */

struct evtchn_domain {
    struct evtchn *port;       /* valid_ports entries */
    unsigned max_port;         /* d->max_evtchn_port */
    unsigned valid_ports;      /* ports covered by allocated buckets */
    struct evtchn_fifo *fifo;  /* the FIFO ABI's state; NULL: 2-level */
    /* virq_port[vcpu][virq]: bound port or 0 (global VIRQs: vCPU 0's). */
    uint32_t (*virq_port)[24];
    struct evtchn_backend backend[EVTCHN_MAX_BACKENDS];
    uint32_t next_dom0_port;
};

int evtchn_init(struct domain *d, unsigned max_port);
void evtchn_destroy(struct domain *d);

/* The ports a guest may use, and is a VIRQ global (bound on vCPU 0)? */
bool evtchn_port_valid(const struct domain *d, unsigned port);
/* max_evtchns(): the ABI's port limit (2-level: word bits squared). */
unsigned evtchn_max_ports(const struct domain *d);
bool evtchn_virq_is_global(unsigned virq);

/* ---- Xen's and the toolstack's side ---------------------------------------- */

/* Allocate an unbound port that remote_dom may bind (the toolstack's
 * console and xenstore ports).  Returns the port or -errno. */
long evtchn_alloc_unbound(struct domain *d, uint16_t remote_dom);

/* Serve an unbound port of d that dom0 may bind with a backend: the port
 * becomes interdomain; the guest's sends call fn(opaque, NOTIFY).  0 or
 * -errno. */
int evtchn_bind_backend(struct domain *d, unsigned port, evtchn_backend_fn fn,
                        void *opaque);
/* A backend notifies its guest: the guest's port becomes pending if the
 * guest's end is still bound to the backend (dropped otherwise). */
void evtchn_backend_notify(struct domain *d, void *opaque);

/* Mark port pending and kick its vCPU through the domain's ABI. */
void evtchn_set_pending(struct domain *d, unsigned port);
/* Raise a per-vCPU VIRQ on v, or a global VIRQ of v's domain. */
void evtchn_send_virq(struct vcpu *v, unsigned virq);
/* Is port pending (shared_info bit, or the FIFO event word's)? */
bool evtchn_is_pending(struct domain *d, unsigned port);
/* Is port masked (a port without a FIFO event word is)? */
bool evtchn_is_masked(struct domain *d, unsigned port);
/* The lowest port pending and not masked that notifies v; -1: none. */
int evtchn_first_pending(struct vcpu *v);

/* ---- the guest's operations (return 0 / a value, or -errno) ------------------ */

long evtchn_op_alloc_unbound(struct vcpu *v, uint16_t dom, uint16_t remote);
long evtchn_op_bind_interdomain(struct vcpu *v, uint16_t remote_dom,
                                uint32_t remote_port);
long evtchn_op_bind_virq(struct vcpu *v, uint32_t virq, uint32_t vcpu);
long evtchn_op_bind_ipi(struct vcpu *v, uint32_t vcpu);
long evtchn_op_close(struct domain *d, uint32_t port);
long evtchn_send(struct domain *d, unsigned port);
long evtchn_op_bind_vcpu(struct domain *d, uint32_t port, uint32_t vcpu);
long evtchn_op_unmask(struct domain *d, uint32_t port);
long evtchn_op_reset(struct vcpu *v, uint16_t dom);
long evtchn_op_set_priority(struct domain *d, uint32_t port, uint32_t prio);

/* The FIFO ABI (evtchn-fifo.c): the guest's ops. */
long evtchn_fifo_init_control(struct vcpu *v, uint64_t gfn, uint32_t offset,
                              uint32_t vcpu);
long evtchn_fifo_expand_array(struct domain *d, uint64_t gfn);
/* Back to 2-level: release the control blocks and event-array pages. */
void evtchn_fifo_destroy(struct domain *d);

/* Hypercalls. */
long do_event_channel_op(struct vcpu *v, const uint64_t *a);
long do_event_channel_op_compat(struct vcpu *v, const uint64_t *a);

#endif
