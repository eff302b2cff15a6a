/* Event channels, 2-level ABI (see evtchn.h). */
#include <stdlib.h>
#include "xenplat/guest.h"

static struct evtchn *port_get(struct domain *d, unsigned port)
{
    return port < d->evtchn.nr_ports ? &d->evtchn.port[port] : NULL;
}

int evtchn_init(struct domain *d)
{
    struct evtchn_domain *e = &d->evtchn;

    e->nr_ports = d->abi->nr_evtchn_2l;
    e->port = calloc(e->nr_ports, sizeof(*e->port));
    e->virq_port = calloc(d->max_vcpus, sizeof(*e->virq_port));
    if (!e->port || !e->virq_port)
        return -1;
    e->port[0].state = ECS_RESERVED;
    return 0;
}

void evtchn_destroy(struct domain *d)
{
    free(d->evtchn.port);
    free(d->evtchn.virq_port);
    d->evtchn.port = NULL;
    d->evtchn.virq_port = NULL;
}

/* Lowest free port (get_free_port), or -ENOSPC. */
long evtchn_get_free_port(struct domain *d)
{
    unsigned p;

    for (p = 1; p < d->evtchn.nr_ports; p++)
        if (d->evtchn.port[p].state == ECS_FREE)
            return p;
    return -XEN_ENOSPC;
}

long evtchn_alloc_unbound(struct domain *d, uint16_t remote_dom)
{
    long p = evtchn_get_free_port(d);

    if (p < 0)
        return p;
    d->evtchn.port[p] = (struct evtchn){ .state = ECS_UNBOUND,
                                         .remote_dom = remote_dom };
    return p;
}

int evtchn_bind_backend(struct domain *d, unsigned port, evtchn_backend_fn fn,
                        void *opaque)
{
    struct evtchn *ch = port_get(d, port);

    if (!ch || ch->state != ECS_UNBOUND || ch->remote_dom != 0)
        return -XEN_EINVAL;
    ch->state = ECS_INTERDOMAIN;
    ch->backend = fn;
    ch->backend_opaque = opaque;
    return 0;
}

/* ---- 2-level delivery (event_2l.c) --------------------------------------- */

static uint64_t shinfo_maddr(const struct domain *d)
{
    return d->shared_info_mfn << PAGE_SHIFT;
}

/* Test-and-set bit `bit` of the word array at maddr (word = guest long). */
static bool test_and_set(struct domain *d, uint64_t maddr, unsigned bit)
{
    unsigned wb = d->abi->evtchn_word_bits, ws = wb / 8;
    uint64_t wa = maddr + (uint64_t)(bit / wb) * ws;
    uint64_t w = maddr_load(d->x, wa, ws), m = 1ull << (bit % wb);

    if (w & m)
        return true;
    maddr_store(d->x, wa, ws, w | m);
    return false;
}

static bool test_bit(struct domain *d, uint64_t maddr, unsigned bit)
{
    unsigned wb = d->abi->evtchn_word_bits, ws = wb / 8;
    uint64_t w = maddr_load(d->x, maddr + (uint64_t)(bit / wb) * ws, ws);

    return (w >> (bit % wb)) & 1;
}

static void vcpu_mark_events_pending(struct vcpu *v)
{
    vcpu_info_store8(v, VI_UPCALL_PENDING, 1);
    if (v->blocked) {
        v->blocked = false;
    }
    v->cpu.stop_request = true;      /* deliver at the next boundary */
}

/* Raise the upcall for port if it is unmasked (step 2 of evtchn_2l_set_pending). */
static void raise_if_unmasked(struct domain *d, unsigned port)
{
    const struct xen_abi *abi = d->abi;
    struct evtchn *ch = port_get(d, port);
    struct vcpu *v = d->vcpu[ch->notify_vcpu];

    if (!v)
        return;
    if (v->polling) {              /* SCHEDOP_poll wakes on any port */
        v->polling = false;
        v->blocked = false;
        v->cpu.stop_request = true;
    }
    if (test_bit(d, shinfo_maddr(d) + abi->sh_evtchn_mask, port))
        return;
    if (!test_and_set(d, v->vcpu_info_maddr + abi->vi_pending_sel,
                      port / abi->evtchn_word_bits))
        vcpu_mark_events_pending(v);
}

void evtchn_set_pending(struct domain *d, unsigned port)
{
    if (!port_get(d, port))
        return;
    if (test_and_set(d, shinfo_maddr(d) + d->abi->sh_evtchn_pending, port))
        return;
    raise_if_unmasked(d, port);
}

bool evtchn_is_pending(struct domain *d, unsigned port)
{
    return port_get(d, port) &&
           test_bit(d, shinfo_maddr(d) + d->abi->sh_evtchn_pending, port);
}

void evtchn_send_virq(struct vcpu *v, unsigned virq)
{
    uint32_t port;

    if (virq >= NR_VIRQS)
        return;
    port = v->d->evtchn.virq_port[v->id][virq];
    if (port)
        evtchn_set_pending(v->d, port);
}

long evtchn_send(struct domain *d, unsigned port)
{
    struct evtchn *ch = port_get(d, port);

    if (!ch)
        return -XEN_EINVAL;
    switch (ch->state) {
    case ECS_INTERDOMAIN:
        if (ch->backend)
            ch->backend(ch->backend_opaque);
        return 0;
    case ECS_IPI:
        evtchn_set_pending(d, port);
        return 0;
    case ECS_UNBOUND:
        return 0;
    default:
        return -XEN_EINVAL;
    }
}
