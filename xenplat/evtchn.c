/* Event channels, 2-level ABI (see evtchn.h). */
#include <stdlib.h>
#include "xenemu/le.h"
#include "xenplat/guest.h"
#include "xenplat/hypercall.h"
#include "xenplat/observe.h"
#include "xenplat/sched.h"

#define DOM0 0

static struct evtchn *port_get(struct domain *d, unsigned port)
{
    return port < d->evtchn.valid_ports ? &d->evtchn.port[port] : NULL;
}

bool evtchn_port_valid(const struct domain *d, unsigned port)
{
    return port < d->evtchn.valid_ports;
}

int evtchn_init(struct domain *d, unsigned max_port)
{
    struct evtchn_domain *e = &d->evtchn;

    e->nr_ports = d->abi->nr_evtchn_2l;
    if ((uint64_t)max_port + 1 < e->nr_ports)
        e->nr_ports = max_port + 1;
    e->valid_ports = EVTCHNS_PER_BUCKET < e->nr_ports ? EVTCHNS_PER_BUCKET
                                                      : e->nr_ports;
    e->port = calloc(e->nr_ports, sizeof(*e->port));
    e->virq_port = calloc(d->max_vcpus, sizeof(*e->virq_port));
    if (!e->port || !e->virq_port)
        return -1;
    e->port[0].state = ECS_RESERVED;
    e->next_dom0_port = 1;
    return 0;
}

void evtchn_destroy(struct domain *d)
{
    free(d->evtchn.port);
    free(d->evtchn.virq_port);
    d->evtchn.port = NULL;
    d->evtchn.virq_port = NULL;
}

/* get_free_port(): the lowest free port, allocating the next bucket when
 * every valid port is taken; -ENOSPC past max_evtchn_port. */
static long get_free_port(struct domain *d)
{
    struct evtchn_domain *e = &d->evtchn;
    unsigned p;

    for (p = 0; p < e->valid_ports; p++)
        if (e->port[p].state == ECS_FREE)
            return p;
    if (p >= e->nr_ports)
        return -XEN_ENOSPC;
    e->valid_ports += EVTCHNS_PER_BUCKET;
    if (e->valid_ports > e->nr_ports)
        e->valid_ports = e->nr_ports;
    return p;
}

/* The domain a domid names from v's point of view (DOMID_SELF allowed);
 * NULL for dom0, whose role is xenemu's backends. */
static struct domain *domain_by_id(struct domain *self, uint16_t domid)
{
    struct xen *x = self->x;
    unsigned i;

    if (domid == DOMID_SELF || domid == self->domid)
        return self;
    for (i = 0; i < x->nr_domains; i++)
        if (x->dom[i]->domid == domid)
            return x->dom[i];
    return NULL;
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
    d->evtchn.port[p] = (struct evtchn){ .state = ECS_UNBOUND,
                                         .remote_dom = remote_dom };
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

/* vcpu_mark_events_pending(): the upcall flag, and a kick on its edge. */
static void mark_events_pending(struct vcpu *v)
{
    if (vcpu_info_load8(v, VI_UPCALL_PENDING))
        return;
    vcpu_info_store8(v, VI_UPCALL_PENDING, 1);
    vcpu_kick(v);
}

/* evtchn_check_pollers(): wake vCPUs polling this port (or any port). */
static void check_pollers(struct domain *d, unsigned port)
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
        mark_events_pending(v);
}

static void set_pending_on(struct domain *d, unsigned vcpu, unsigned port)
{
    struct vcpu *v = vcpu < d->max_vcpus ? d->vcpu[vcpu] : NULL;
    bool was;

    if (!v)
        return;
    was = change_bit(d, shinfo_maddr(d) + d->abi->sh_evtchn_pending, port,
                     true);
    XEN_OBSERVE(v, .kind = XO_EVTCHN_PENDING, .port = port, .newly = !was);
    if (was)
        return;
    if (!test_bit(d, shinfo_maddr(d) + d->abi->sh_evtchn_mask, port))
        raise_selector(d, v, port);
    check_pollers(d, port);
}

void evtchn_set_pending(struct domain *d, unsigned port)
{
    struct evtchn *ch = port_get(d, port);

    if (ch)
        set_pending_on(d, ch->notify_vcpu, port);
}

bool evtchn_is_pending(struct domain *d, unsigned port)
{
    return port_get(d, port) &&
           test_bit(d, shinfo_maddr(d) + d->abi->sh_evtchn_pending, port);
}

bool evtchn_is_masked(struct domain *d, unsigned port)
{
    return port_get(d, port) &&
           test_bit(d, shinfo_maddr(d) + d->abi->sh_evtchn_mask, port);
}

int evtchn_first_pending(struct vcpu *v)
{
    struct domain *d = v->d;
    unsigned port;

    for (port = 1; port < d->evtchn.valid_ports; port++)
        if (d->evtchn.port[port].notify_vcpu == v->id &&
            evtchn_is_pending(d, port) && !evtchn_is_masked(d, port))
            return (int)port;
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
    struct evtchn *ch = port_get(d, port);
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

    if (lport < 0)
        return lport;
    if (!b || b->guest_port)
        return -XEN_EINVAL;
    d->evtchn.port[lport] = (struct evtchn){
        .state = ECS_INTERDOMAIN, .remote_dom = DOM0,
        .remote_port = dom0_port, .backend = b,
    };
    b->guest_port = (uint32_t)lport;
    b->fn(b->opaque, EVTCHN_BACKEND_CONNECT);
    /* Notifications may have been lost while unbound. */
    evtchn_set_pending(d, (unsigned)lport);
    return lport;
}

long evtchn_op_bind_interdomain(struct vcpu *v, uint16_t remote_dom,
                                uint32_t remote_port)
{
    struct domain *ld = v->d, *rd;
    struct evtchn *rch;
    long lport;

    if (remote_dom == DOM0 && ld->domid != DOM0)
        return bind_to_backend(ld, remote_port);
    rd = domain_by_id(ld, remote_dom);
    if (!rd)
        return -XEN_ESRCH;
    lport = get_free_port(ld);
    if (lport < 0)
        return lport;
    rch = port_get(rd, remote_port);
    if (!rch || rch->state != ECS_UNBOUND || rch->remote_dom != ld->domid)
        return -XEN_EINVAL;
    ld->evtchn.port[lport] = (struct evtchn){
        .state = ECS_INTERDOMAIN, .remote_dom = rd->domid,
        .remote_port = remote_port,
    };
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
    struct vcpu *t;
    long port;

    if ((int32_t)virq < 0 || virq >= NR_VIRQS)
        return -XEN_EINVAL;
    if (evtchn_virq_is_global(virq) && vcpu != 0)
        return -XEN_EINVAL;
    if (!(t = domain_vcpu(d, vcpu)))
        return -XEN_ENOENT;
    if (d->evtchn.virq_port[vcpu][virq])
        return -XEN_EEXIST;
    if ((port = get_free_port(d)) < 0)
        return port;
    d->evtchn.port[port] = (struct evtchn){
        .state = ECS_VIRQ, .notify_vcpu = (uint16_t)vcpu, .virq = virq,
    };
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
    d->evtchn.port[port] = (struct evtchn){
        .state = ECS_IPI, .notify_vcpu = (uint16_t)vcpu,
    };
    return port;
}

/* free_evtchn(): a closed port is not pending and notifies vCPU 0. */
static void free_port(struct domain *d, unsigned port)
{
    change_bit(d, shinfo_maddr(d) + d->abi->sh_evtchn_pending, port, false);
    d->evtchn.port[port] = (struct evtchn){ .state = ECS_FREE };
}

long evtchn_op_close(struct domain *d, uint32_t port)
{
    struct evtchn *ch = port_get(d, port);
    struct domain *rd;
    struct evtchn *rch;
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
        if (ch->backend) {
            /* Dom0's port becomes unbound to us again. */
            ch->backend->guest_port = 0;
            ch->backend->fn(ch->backend->opaque, EVTCHN_BACKEND_CLOSE);
            break;
        }
        rd = domain_by_id(d, ch->remote_dom);
        rch = rd ? port_get(rd, ch->remote_port) : NULL;
        if (rch && rch->state == ECS_INTERDOMAIN) {
            rch->state = ECS_UNBOUND;
            rch->remote_dom = d->domid;
        }
        break;
    default:
        break;
    }
    free_port(d, port);
    return 0;
}

long evtchn_send(struct domain *d, unsigned port)
{
    struct evtchn *ch = port_get(d, port);
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
        if (rd && (rch = port_get(rd, ch->remote_port)))
            set_pending_on(rd, rch->notify_vcpu, ch->remote_port);
        return 0;
    case ECS_IPI:
        set_pending_on(d, ch->notify_vcpu, port);
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
    if (!(ch = port_get(d, port)))
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

/* evtchn_2l_unmask(): clear the mask; re-raise a pending port. */
long evtchn_op_unmask(struct domain *d, uint32_t port)
{
    struct evtchn *ch = port_get(d, port);
    struct vcpu *v;

    if (!ch)
        return -XEN_EINVAL;
    v = d->vcpu[ch->notify_vcpu];
    if (change_bit(d, shinfo_maddr(d) + d->abi->sh_evtchn_mask, port, false) &&
        test_bit(d, shinfo_maddr(d) + d->abi->sh_evtchn_pending, port) && v)
        raise_selector(d, v, port);
    return 0;
}

long evtchn_op_reset(struct vcpu *v, uint16_t dom)
{
    struct domain *d = v->d;
    long r = target_self(d, dom);
    unsigned p;

    if (r)
        return r;
    for (p = 1; p < d->evtchn.valid_ports; p++)
        evtchn_op_close(d, p);
    return 0;
}

/* ---- the hypercall: structures at pub/event_channel.h offsets ----------------- */

/* Each op's argument size (identical for both ABIs). */
static const uint8_t op_size[] = {
    [EVTCHNOP_bind_interdomain] = 12, [EVTCHNOP_bind_virq] = 12,
    [EVTCHNOP_bind_pirq] = 12, [EVTCHNOP_close] = 4, [EVTCHNOP_send] = 4,
    [EVTCHNOP_status] = 24, [EVTCHNOP_alloc_unbound] = 8,
    [EVTCHNOP_bind_ipi] = 8, [EVTCHNOP_bind_vcpu] = 8, [EVTCHNOP_unmask] = 4,
    [EVTCHNOP_reset] = 2,
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
    if (!(ch = port_get(d, le32_load(b + 4))))
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

    /* The FIFO ops fail: guests stay on the 2-level ABI. */
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
