/*
 * Inside the event-channel code: the per-ABI port operations
 * (event_channel.h's evtchn_port_ops) and the helpers evtchn.c shares with
 * evtchn-fifo.c.  Not for other subsystems: they use evtchn.h.
 */
#ifndef XENEMU_XENPLAT_EVTCHN_PORT_H
#define XENEMU_XENPLAT_EVTCHN_PORT_H

#include "xenplat/domain.h"

struct evtchn_port_ops {
    void (*init)(struct domain *d, unsigned port);      /* bound anew */
    void (*set_pending)(struct domain *d, unsigned vcpu, unsigned port);
    void (*clear_pending)(struct domain *d, unsigned port);
    void (*unmask)(struct domain *d, unsigned port);
    bool (*is_pending)(struct domain *d, unsigned port);
    bool (*is_masked)(struct domain *d, unsigned port);
    bool (*is_busy)(struct domain *d, unsigned port);    /* NULL: never */
    long (*set_priority)(struct domain *d, unsigned port, unsigned prio);
};

extern const struct evtchn_port_ops evtchn_port_ops_fifo;

/* The channel of a valid port, or NULL. */
struct evtchn *evtchn_port(struct domain *d, unsigned port);
/* vcpu_mark_events_pending(): the upcall flag, and a kick on its edge. */
void evtchn_mark_events_pending(struct vcpu *v);
/* evtchn_check_pollers(): wake vCPUs polling this port (or any port). */
void evtchn_check_pollers(struct domain *d, unsigned port);

#endif
