/* Event channels: ports, bindings, the 2-level ABI (see evtchn.h). */
#include <stdlib.h>
#include "xenemu/le.h"
#include "xenplat/evtchn-port.h"
#include "xenplat/guest.h"
#include "xenplat/hypercall.h"
#include "xenplat/observe.h"
#include "xenplat/sched.h"

#define DOM0 0

static const struct evtchn_port_ops evtchn_port_ops_2l;
static void unbind_peer(struct domain *d, struct evtchn *ch);

static const struct evtchn_port_ops *port_ops(const struct domain *d)
{
    return d->evtchn.fifo ? &evtchn_port_ops_fifo : &evtchn_port_ops_2l;
}

struct evtchn *evtchn_port(struct domain *d, unsigned port)
{
    return port < d->evtchn.valid_ports ? &d->evtchn.port[port] : NULL;
}

bool evtchn_port_valid(const struct domain *d, unsigned port)
{
    return port < d->evtchn.valid_ports;
}

unsigned evtchn_max_ports(const struct domain *d)
{
    return d->evtchn.fifo ? EVTCHN_FIFO_NR_CHANNELS : d->abi->nr_evtchn_2l;
}

/* Another bucket of 64 ports (alloc_evtchn_bucket). */
static int add_bucket(struct evtchn_domain *e)
{
    unsigned n = e->valid_ports + EVTCHNS_PER_BUCKET, p;
    struct evtchn *port = realloc(e->port, n * sizeof(*port));

    if (!port)
        return -XEN_ENOMEM;
    for (p = e->valid_ports; p < n; p++)
        port[p] = (struct evtchn){ .state = ECS_FREE };
    e->port = port;
    e->valid_ports = n;
    return 0;
}

int evtchn_init(struct domain *d, unsigned max_port)
{
    struct evtchn_domain *e = &d->evtchn;

    e->max_port = max_port;
    e->virq_port = calloc(d->max_vcpus, sizeof(*e->virq_port));
    if (!e->virq_port || add_bucket(e))
        return -1;
    e->port[0].state = ECS_RESERVED;
    e->next_dom0_port = 1;
    return 0;
}

void evtchn_destroy(struct domain *d)
{
    unsigned p;

    /* Peers in other domains go back to unbound, as evtchn_destroy()'s
     * closing does (dom0's backends are torn down with the machine). */
    for (p = 1; p < d->evtchn.valid_ports; p++)
        if (d->evtchn.port[p].state == ECS_INTERDOMAIN &&
            !d->evtchn.port[p].backend)
            unbind_peer(d, &d->evtchn.port[p]);
    evtchn_fifo_destroy(d);
    free(d->evtchn.port);
    free(d->evtchn.virq_port);
    d->evtchn.port = NULL;
    d->evtchn.virq_port = NULL;
    d->evtchn.valid_ports = 0;
}

/* get_free_port() over evtchn_allocate_port(): the lowest port that is
 * free and not still linked on a FIFO queue, allocating buckets as
 * needed; -ENOSPC past max_evtchn_port or the ABI's limit. */
static long get_free_port(struct domain *d)
{
    struct evtchn_domain *e = &d->evtchn;
    const struct evtchn_port_ops *ops = port_ops(d);
    unsigned p;
    int r;

    for (p = 0; p <= e->max_port; p++) {
        if (p >= evtchn_max_ports(d))
            return -XEN_ENOSPC;
        if (p >= e->valid_ports) {
            if ((r = add_bucket(e)) != 0)
                return r;
            return p;
        }
        if (e->port[p].state == ECS_FREE &&
            !(ops->is_busy && ops->is_busy(d, p)))
            return p;
    }
    return -XEN_ENOSPC;
}

/* A newly bound port: binding fields set, FIFO's per-port state kept
 * (priority is reset by the ABI's init, as evtchn_port_init). */
static struct evtchn *bind_port(struct domain *d, unsigned port,
                                enum evtchn_state state, unsigned vcpu)
{
    struct evtchn *ch = &d->evtchn.port[port];

    ch->state = (uint8_t)state;
    ch->notify_vcpu = (uint16_t)vcpu;
    ch->remote_dom = 0;
    ch->remote_port = 0;
    ch->virq = 0;
    ch->backend = NULL;
    return ch;
}

static void port_init(struct domain *d, unsigned port)
{
    const struct evtchn_port_ops *ops = port_ops(d);

    if (ops->init)
        ops->init(d, port);
}

/* The domain a domid names from self's point of view (DOMID_SELF
 * allowed); NULL for dom0, whose role is xenemu's backends. */
static struct domain *domain_by_id(struct domain *self, uint16_t domid)
{
    if (domid == DOMID_SELF)
        return self;
    return domain_lookup(self->x, domid);
}

/* rcu_lock_domain_by_any_id() followed by an XSM_TARGET check: a domU may
 * name only itself.  Dom0 exists (as the backends), so naming it is a
 * permission error, naming nobody a search error. */
static long target_self(struct domain *d, uint16_t dom)
{
    struct domain *t = domain_by_id(d, dom);

    if (t == d)
        return 0;
    return t || dom == DOM0 ? -XEN_EPERM : -XEN_ESRCH;
}

long evtchn_alloc_unbound(struct domain *d, uint16_t remote_dom)
{
    long p = get_free_port(d);

    if (p < 0)
        return p;
    bind_port(d, (unsigned)p, ECS_UNBOUND, 0)->remote_dom = remote_dom;
    port_init(d, (unsigned)p);
    return p;
}

/* ---- 2-level delivery (event_2l.c) --------------------------------------- */

static uint64_t shinfo_maddr(const struct domain *d)
{
    return d->shared_info_mfn << PAGE_SHIFT;
}

static uint64_t word_addr(const struct domain *d, uint64_t base, unsigned bit)
{
    unsigned wb = d->abi->evtchn_word_bits;
    return base + (uint64_t)(bit / wb) * (wb / 8);
}

/* Set (on) or clear bit `bit` of the guest-long array at maddr; returns
 * its old value. */
static bool change_bit(struct domain *d, uint64_t maddr, unsigned bit,
                       bool on)
{
    unsigned wb = d->abi->evtchn_word_bits;
    uint64_t wa = word_addr(d, maddr, bit);
    uint64_t w = maddr_load(d->x, wa, wb / 8), m = 1ull << (bit % wb);
    bool old = (w & m) != 0;

    if (old != on)
        maddr_store(d->x, wa, wb / 8, on ? w | m : w & ~m);
    return old;
}

static bool test_bit(struct domain *d, uint64_t maddr, unsigned bit)
{
    unsigned wb = d->abi->evtchn_word_bits;
    return (maddr_load(d->x, word_addr(d, maddr, bit), wb / 8) >>
            (bit % wb)) & 1;
}

void evtchn_mark_events_pending(struct vcpu *v)
{
    if (vcpu_info_load8(v, VI_UPCALL_PENDING))
        return;
    vcpu_info_store8(v, VI_UPCALL_PENDING, 1);
    vcpu_kick(v);
}

void evtchn_check_pollers(struct domain *d, unsigned port)
{
    unsigned i;

    for (i = 0; i < d->max_vcpus; i++) {
        struct vcpu *v = d->vcpu[i];
        if (v && v->polling &&
            (v->poll_evtchn <= 0 || (unsigned)v->poll_evtchn == port)) {
            v->polling = false;
            v->poll_evtchn = 0;
            vcpu_unblock(v);
        }
    }
}

/* Raise the selector bit and upcall of the port's vCPU. */
static void raise_selector(struct domain *d, struct vcpu *v, unsigned port)
{
    const struct xen_abi *abi = d->abi;

    if (!change_bit(d, vcpu_info_maddr(v) + abi->vi_pending_sel,
                    port / abi->evtchn_word_bits, true))
        evtchn_mark_events_pending(v);
}

/* Ports beyond the 2-level limit exist only after a FIFO domain went
 * back to 2-level (EVTCHNOP_reset): they have no bits, so they are
 * never pending and always masked, as event_2l.c checks. */
static bool l2_port(const struct domain *d, unsigned port)
{
    return port < d->abi->nr_evtchn_2l;
}

static void l2_set_pending(struct domain *d, unsigned vcpu, unsigned port)
{
    struct vcpu *v = vcpu < d->max_vcpus ? d->vcpu[vcpu] : NULL;
    bool was;

    if (!v || !l2_port(d, port))
        return;
    was = change_bit(d, shinfo_maddr(d) + d->abi->sh_evtchn_pending, port,
                     true);
    XEN_OBSERVE(v, .kind = XO_EVTCHN_PENDING, .port = port, .newly = !was);
    if (was)
        return;
    if (!test_bit(d, shinfo_maddr(d) + d->abi->sh_evtchn_mask, port))
        raise_selector(d, v, port);
    evtchn_check_pollers(d, port);
}

static void l2_clear_pending(struct domain *d, unsigned port)
{
    if (l2_port(d, port))
        change_bit(d, shinfo_maddr(d) + d->abi->sh_evtchn_pending, port,
                   false);
}

/* evtchn_2l_unmask(): clear the mask; re-raise a pending port. */
static void l2_unmask(struct domain *d, unsigned port)
{
    struct vcpu *v = d->vcpu[d->evtchn.port[port].notify_vcpu];

    if (l2_port(d, port) &&
        change_bit(d, shinfo_maddr(d) + d->abi->sh_evtchn_mask, port, false) &&
        test_bit(d, shinfo_maddr(d) + d->abi->sh_evtchn_pending, port) && v)
        raise_selector(d, v, port);
}

static bool l2_is_pending(struct domain *d, unsigned port)
{
    return l2_port(d, port) &&
           test_bit(d, shinfo_maddr(d) + d->abi->sh_evtchn_pending, port);
}

static bool l2_is_masked(struct domain *d, unsigned port)
{
    return !l2_port(d, port) ||
           test_bit(d, shinfo_maddr(d) + d->abi->sh_evtchn_mask, port);
}

static const struct evtchn_port_ops evtchn_port_ops_2l = {
    .set_pending = l2_set_pending,
    .clear_pending = l2_clear_pending,
    .unmask = l2_unmask,
    .is_pending = l2_is_pending,
    .is_masked = l2_is_masked,
};

/* ---- delivery through the domain's ABI ------------------------------------ */

static void port_set_pending(struct domain *d, unsigned vcpu, unsigned port)
{
    port_ops(d)->set_pending(d, vcpu, port);
}

void evtchn_set_pending(struct domain *d, unsigned port)
{
    struct evtchn *ch = evtchn_port(d, port);

    if (ch)
        port_set_pending(d, ch->notify_vcpu, port);
}

bool evtchn_is_pending(struct domain *d, unsigned port)
{
    return evtchn_port(d, port) && port_ops(d)->is_pending(d, port);
}

bool evtchn_is_masked(struct domain *d, unsigned port)
{
    return !evtchn_port(d, port) || port_ops(d)->is_masked(d, port);
}

int evtchn_first_pending(struct vcpu *v)
{
    struct domain *d = v->d;
    unsigned port;

    for (port = 1; port < d->evtchn.valid_ports; port++) {
        struct evtchn *chn = evtchn_port(d, port);
        if (chn && chn->notify_vcpu == v->id &&
            evtchn_is_pending(d, port) && !evtchn_is_masked(d, port))
            return (int)port;
    }
    return -1;
}

bool evtchn_virq_is_global(unsigned virq)
{
    switch (virq) {
    case VIRQ_TIMER:
    case VIRQ_DEBUG:
    case VIRQ_XENOPROF:
    case VIRQ_XENPMU:
        return false;
    default:
        return true;               /* x86: the arch VIRQs are global too */
    }
}

void evtchn_send_virq(struct vcpu *v, unsigned virq)
{
    struct domain *d = v->d;
    uint32_t port;

    if (virq >= NR_VIRQS)
        return;
    if (evtchn_virq_is_global(virq))
        v = d->vcpu[0];
    port = v ? d->evtchn.virq_port[v->id][virq] : 0;
    if (port)
        evtchn_set_pending(d, port);
}

/* ---- backends (dom0's side) ------------------------------------------------- */

int evtchn_bind_backend(struct domain *d, unsigned port, evtchn_backend_fn fn,
                        void *opaque)
{
    struct evtchn_domain *e = &d->evtchn;
    struct evtchn *ch = evtchn_port(d, port);
    unsigned i;

    if (!ch || ch->state != ECS_UNBOUND || ch->remote_dom != DOM0)
        return -XEN_EINVAL;
    for (i = 0; i < EVTCHN_MAX_BACKENDS && e->backend[i].dom0_port; i++)
        ;
    if (i == EVTCHN_MAX_BACKENDS)
        return -XEN_ENOSPC;
    e->backend[i] = (struct evtchn_backend){
        .dom0_port = e->next_dom0_port++, .guest_port = port,
        .fn = fn, .opaque = opaque,
    };
    ch->state = ECS_INTERDOMAIN;
    ch->backend = &e->backend[i];
    ch->remote_port = e->backend[i].dom0_port;
    return 0;
}

void evtchn_backend_notify(struct domain *d, void *opaque)
{
    unsigned i;

    for (i = 0; i < EVTCHN_MAX_BACKENDS; i++) {
        struct evtchn_backend *b = &d->evtchn.backend[i];
        if (b->dom0_port && b->opaque == opaque && b->guest_port)
            evtchn_set_pending(d, b->guest_port);
    }
}

static struct evtchn_backend *backend_by_dom0_port(struct domain *d,
                                                   uint32_t dom0_port)
{
    unsigned i;

    for (i = 0; i < EVTCHN_MAX_BACKENDS; i++)
        if (dom0_port && d->evtchn.backend[i].dom0_port == dom0_port)
            return &d->evtchn.backend[i];
    return NULL;
}

/* ---- the guest's operations ------------------------------------------------ */

long evtchn_op_alloc_unbound(struct vcpu *v, uint16_t dom, uint16_t remote)
{
    long r = target_self(v->d, dom);

    if (r)
        return r;
    return evtchn_alloc_unbound(v->d, remote == DOMID_SELF ? v->d->domid
                                                           : remote);
}

/* Bind to dom0's port: one of xenemu's backends offering itself to us. */
static long bind_to_backend(struct domain *d, uint32_t dom0_port)
{
    struct evtchn_backend *b = backend_by_dom0_port(d, dom0_port);
    long lport = get_free_port(d);
    struct evtchn *ch;

    if (lport < 0)
        return lport;
    if (!b || b->guest_port)
        return -XEN_EINVAL;
    ch = bind_port(d, (unsigned)lport, ECS_INTERDOMAIN, 0);
    ch->remote_dom = DOM0;
    ch->remote_port = dom0_port;
    ch->backend = b;
    port_init(d, (unsigned)lport);
    b->guest_port = (uint32_t)lport;
    b->fn(b->opaque, EVTCHN_BACKEND_CONNECT);
    /* Notifications may have been lost while unbound. */
    evtchn_set_pending(d, (unsigned)lport);
    return lport;
}

/* evtchn_bind_interdomain(): the remote port must be unbound and offered
 * to us; it becomes our peer, and our new port is set pending in case a
 * notification was dropped while it was unbound. */
long evtchn_op_bind_interdomain(struct vcpu *v, uint16_t remote_dom,
                                uint32_t remote_port)
{
    struct domain *ld = v->d, *rd;
    struct evtchn *lch, *rch;
    long lport;

    if (remote_dom == DOM0 && ld->domid != DOM0)
        return bind_to_backend(ld, remote_port);
    if (!(rd = domain_by_id(ld, remote_dom)))
        return -XEN_ESRCH;
    if ((lport = get_free_port(ld)) < 0)
        return lport;
    rch = evtchn_port(rd, remote_port);
    if (!rch || rch->state != ECS_UNBOUND || rch->remote_dom != ld->domid)
        return -XEN_EINVAL;
    lch = bind_port(ld, (unsigned)lport, ECS_INTERDOMAIN, 0);
    lch->remote_dom = rd->domid;
    lch->remote_port = remote_port;
    port_init(ld, (unsigned)lport);
    rch->state = ECS_INTERDOMAIN;
    rch->remote_dom = ld->domid;
    rch->remote_port = (uint32_t)lport;
    evtchn_set_pending(ld, (unsigned)lport);
    return lport;
}

static struct vcpu *domain_vcpu(struct domain *d, uint32_t id)
{
    return id < d->max_vcpus ? d->vcpu[id] : NULL;
}

long evtchn_op_bind_virq(struct vcpu *v, uint32_t virq, uint32_t vcpu)
{
    struct domain *d = v->d;
    long port;

    if ((int32_t)virq < 0 || virq >= NR_VIRQS)
        return -XEN_EINVAL;
    if (evtchn_virq_is_global(virq) && vcpu != 0)
        return -XEN_EINVAL;
    if (!domain_vcpu(d, vcpu))
        return -XEN_ENOENT;
    if (d->evtchn.virq_port[vcpu][virq])
        return -XEN_EEXIST;
    if ((port = get_free_port(d)) < 0)
        return port;
    bind_port(d, (unsigned)port, ECS_VIRQ, vcpu)->virq = virq;
    port_init(d, (unsigned)port);
    d->evtchn.virq_port[vcpu][virq] = (uint32_t)port;
    return port;
}

long evtchn_op_bind_ipi(struct vcpu *v, uint32_t vcpu)
{
    struct domain *d = v->d;
    long port;

    if (!domain_vcpu(d, vcpu))
        return -XEN_ENOENT;
    if ((port = get_free_port(d)) < 0)
        return port;
    bind_port(d, (unsigned)port, ECS_IPI, vcpu);
    port_init(d, (unsigned)port);
    return port;
}

/* evtchn_free(): not pending, back to vCPU 0; the FIFO priority and last
 * queue stay with the port. */
static void free_port(struct domain *d, unsigned port)
{
    port_ops(d)->clear_pending(d, port);
    bind_port(d, port, ECS_FREE, 0);
}

/* The other end of an interdomain channel goes back to unbound, offered
 * to the domain that closed. */
static void unbind_peer(struct domain *d, struct evtchn *ch)
{
    struct domain *rd;
    struct evtchn *rch;

    if (ch->backend) {
        /* Dom0's port becomes unbound to us again. */
        ch->backend->guest_port = 0;
        ch->backend->fn(ch->backend->opaque, EVTCHN_BACKEND_CLOSE);
        return;
    }
    rd = domain_by_id(d, ch->remote_dom);
    rch = rd ? evtchn_port(rd, ch->remote_port) : NULL;
    if (rch && rch->state == ECS_INTERDOMAIN) {
        rch->state = ECS_UNBOUND;
        rch->remote_dom = d->domid;
        rch->remote_port = 0;
    }
}

long evtchn_op_close(struct domain *d, uint32_t port)
{
    struct evtchn *ch = evtchn_port(d, port);
    unsigned i;

    if (!ch)
        return -XEN_EINVAL;
    switch (ch->state) {
    case ECS_FREE:
    case ECS_RESERVED:
        return -XEN_EINVAL;
    case ECS_VIRQ:
        for (i = 0; i < d->max_vcpus; i++)
            if (d->evtchn.virq_port[i][ch->virq] == port)
                d->evtchn.virq_port[i][ch->virq] = 0;
        break;
    case ECS_INTERDOMAIN:
        unbind_peer(d, ch);
        break;
    default:
        break;
    }
    free_port(d, port);
    return 0;
}

long evtchn_send(struct domain *d, unsigned port)
{
    struct evtchn *ch = evtchn_port(d, port);
    struct domain *rd;
    struct evtchn *rch;

    if (!ch)
        return -XEN_EINVAL;
    switch (ch->state) {
    case ECS_INTERDOMAIN:
        if (ch->backend) {
            ch->backend->fn(ch->backend->opaque, EVTCHN_BACKEND_NOTIFY);
            return 0;
        }
        rd = domain_by_id(d, ch->remote_dom);
        if (rd && (rch = evtchn_port(rd, ch->remote_port)))
            port_set_pending(rd, rch->notify_vcpu, ch->remote_port);
        return 0;
    case ECS_IPI:
        port_set_pending(d, ch->notify_vcpu, port);
        return 0;
    case ECS_UNBOUND:
        return 0;                  /* silently dropped */
    default:
        return -XEN_EINVAL;
    }
}

long evtchn_op_bind_vcpu(struct domain *d, uint32_t port, uint32_t vcpu)
{
    struct evtchn *ch;

    if (!domain_vcpu(d, vcpu))
        return -XEN_ENOENT;
    if (!(ch = evtchn_port(d, port)))
        return -XEN_EINVAL;
    switch (ch->state) {
    case ECS_VIRQ:
        if (!evtchn_virq_is_global(ch->virq))
            return -XEN_EINVAL;
        break;
    case ECS_UNBOUND:
    case ECS_INTERDOMAIN:
        break;
    default:
        return -XEN_EINVAL;
    }
    ch->notify_vcpu = (uint16_t)vcpu;
    return 0;
}

long evtchn_op_unmask(struct domain *d, uint32_t port)
{
    if (!evtchn_port(d, port))
        return -XEN_EINVAL;
    port_ops(d)->unmask(d, port);
    return 0;
}

/* evtchn_port_set_priority(): FIFO only. */
long evtchn_op_set_priority(struct domain *d, uint32_t port, uint32_t prio)
{
    const struct evtchn_port_ops *ops = port_ops(d);

    if (!evtchn_port(d, port))
        return -XEN_EINVAL;
    if (!ops->set_priority)
        return -XEN_ENOSYS;
    return ops->set_priority(d, port, prio);
}

/* evtchn_reset(): close every port, then back to the 2-level ABI. */
long evtchn_op_reset(struct vcpu *v, uint16_t dom)
{
    struct domain *d = v->d;
    long r = target_self(d, dom);
    unsigned p;

    if (r)
        return r;
    for (p = 1; p < d->evtchn.valid_ports; p++)
        evtchn_op_close(d, p);
    evtchn_fifo_destroy(d);
    return 0;
}

/* ---- the hypercall: structures at pub/event_channel.h offsets ----------------- */

/* Each op's argument size (identical for both ABIs). */
static const uint8_t op_size[] = {
    [EVTCHNOP_bind_interdomain] = 12, [EVTCHNOP_bind_virq] = 12,
    [EVTCHNOP_bind_pirq] = 12, [EVTCHNOP_close] = 4, [EVTCHNOP_send] = 4,
    [EVTCHNOP_status] = 24, [EVTCHNOP_alloc_unbound] = 8,
    [EVTCHNOP_bind_ipi] = 8, [EVTCHNOP_bind_vcpu] = 8, [EVTCHNOP_unmask] = 4,
    [EVTCHNOP_reset] = 2, [EVTCHNOP_init_control] = 24,
    [EVTCHNOP_expand_array] = 8, [EVTCHNOP_set_priority] = 8,
    [EVTCHNOP_reset_cont] = 2,
};

static void put_status(const struct evtchn *ch, uint8_t *b)
{
    static const uint32_t stat[] = {
        [ECS_FREE] = 0, [ECS_RESERVED] = 0, [ECS_UNBOUND] = 1,
        [ECS_INTERDOMAIN] = 2, [ECS_PIRQ] = 3, [ECS_VIRQ] = 4, [ECS_IPI] = 5,
    };

    le32_store(b + 8, stat[ch->state]);
    le32_store(b + 12, ch->notify_vcpu);
    switch (ch->state) {
    case ECS_UNBOUND:
        le16_store(b + 16, ch->remote_dom);
        break;
    case ECS_INTERDOMAIN:
        le16_store(b + 16, ch->remote_dom);
        le32_store(b + 20, ch->remote_port);
        break;
    case ECS_VIRQ:
        le32_store(b + 16, ch->virq);
        break;
    default:
        break;
    }
}

static long evtchn_status(struct vcpu *v, uint8_t *b)
{
    struct domain *d = v->d;
    long r = target_self(d, le16_load(b));
    struct evtchn *ch;

    if (r)
        return r;
    if (!(ch = evtchn_port(d, le32_load(b + 4))))
        return -XEN_EINVAL;
    put_status(ch, b);
    return 0;
}

/* Run one op on its argument buffer b; *out is set when b must be copied
 * back on success. */
static long evtchn_op(struct vcpu *v, unsigned cmd, uint8_t *b, bool *out)
{
    struct domain *d = v->d;
    long r;

    *out = false;
    switch (cmd) {
    case EVTCHNOP_alloc_unbound:
        r = evtchn_op_alloc_unbound(v, le16_load(b), le16_load(b + 2));
        if (r >= 0)
            le32_store(b + 4, (uint32_t)r);
        break;
    case EVTCHNOP_bind_interdomain:
        r = evtchn_op_bind_interdomain(v, le16_load(b), le32_load(b + 4));
        if (r >= 0)
            le32_store(b + 8, (uint32_t)r);
        break;
    case EVTCHNOP_bind_virq:
        r = evtchn_op_bind_virq(v, le32_load(b), le32_load(b + 4));
        if (r >= 0)
            le32_store(b + 8, (uint32_t)r);
        break;
    case EVTCHNOP_bind_ipi:
        r = evtchn_op_bind_ipi(v, le32_load(b));
        if (r >= 0)
            le32_store(b + 4, (uint32_t)r);
        break;
    case EVTCHNOP_bind_pirq:
        /* A PV domU has pirq numbers but no access to any of them. */
        return (int32_t)le32_load(b) < 0 ? -XEN_EINVAL : -XEN_EPERM;
    case EVTCHNOP_status:
        r = evtchn_status(v, b);
        break;
    case EVTCHNOP_close:
        return evtchn_op_close(d, le32_load(b));
    case EVTCHNOP_send:
        return evtchn_send(d, le32_load(b));
    case EVTCHNOP_bind_vcpu:
        return evtchn_op_bind_vcpu(d, le32_load(b), le32_load(b + 4));
    case EVTCHNOP_unmask:
        return evtchn_op_unmask(d, le32_load(b));
    case EVTCHNOP_reset:
        return evtchn_op_reset(v, le16_load(b));
    case EVTCHNOP_reset_cont:
        /* No reset is ever left half done (xenemu never preempts it). */
        r = target_self(d, le16_load(b));
        return r ? r : -XEN_EBUSY;
    case EVTCHNOP_init_control:
        /* link_bits is filled in; the struct goes back on success only. */
        b[16] = EVTCHN_FIFO_LINK_BITS;
        r = evtchn_fifo_init_control(v, le64_load(b), le32_load(b + 8),
                                     le32_load(b + 12));
        break;
    case EVTCHNOP_expand_array:
        return evtchn_fifo_expand_array(d, le64_load(b));
    case EVTCHNOP_set_priority:
        return evtchn_op_set_priority(d, le32_load(b), le32_load(b + 4));
    default:
        return -XEN_ENOSYS;
    }
    if (r < 0)
        return r;
    *out = true;
    return 0;
}

static long event_channel_op(struct vcpu *v, uint64_t cmd, uint64_t arg)
{
    uint8_t b[24] = { 0 };
    unsigned size;
    bool out;
    long r;

    if (cmd >= sizeof(op_size) || !(size = op_size[cmd]))
        return -XEN_ENOSYS;
    if (copy_from_guest(v, arg, b, size))
        return -XEN_EFAULT;
    r = evtchn_op(v, (unsigned)cmd, b, &out);
    if (out && copy_to_guest(v, arg, b, size))
        return -XEN_EFAULT;
    return r;
}

long do_event_channel_op(struct vcpu *v, const uint64_t *a)
{
    /* The command is an int. */
    return event_channel_op(v, (uint32_t)a[0], a[1]);
}

/* The pre-3.0 form: struct evtchn_op { u32 cmd; union u @4 } (28 bytes). */
long do_event_channel_op_compat(struct vcpu *v, const uint64_t *a)
{
    uint8_t op[28];
    uint32_t cmd;

    if (copy_from_guest(v, a[0], op, sizeof(op)))
        return -XEN_EFAULT;
    cmd = le32_load(op);
    if (cmd > EVTCHNOP_reset)
        return -XEN_ENOSYS;
    return event_channel_op(v, cmd, a[0] + 4);
}
