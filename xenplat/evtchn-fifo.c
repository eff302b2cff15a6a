/*
 * The FIFO event-channel ABI (xen/common/event_fifo.c, Xen 4.17;
 * pub/event_channel.h).
 *
 * Each port has a 32-bit event word in an event-array page the guest
 * gives Xen (expand_array, 1024 words a page, up to 2^17 ports): PENDING,
 * MASKED, LINKED, BUSY and a 17-bit LINK to the next port of its queue.
 * Each vCPU has a control block in a guest frame (init_control): a READY
 * bit per priority and the HEAD port of 16 queues.  Xen keeps each
 * queue's tail; the guest consumes from the head, clearing LINKED as it
 * goes.  Raising an event sets PENDING and, when the word is neither
 * MASKED nor LINKED, links it at the tail of its priority's queue (or
 * makes it the head of an empty one, setting READY and the upcall).
 *
 * Xen takes a general and a writable type reference on every frame it
 * uses here, so none of them can become a page table while in use.  All
 * guest memory goes through maddr_load/maddr_store, little-endian, at the
 * ABI's offsets.  Hypercalls run to completion, so the cmpxchg loops
 * Xen needs against concurrent guest vCPUs are single read-modify-writes.
 */
#include <stdlib.h>
#include "xenplat/evtchn-port.h"
#include "xenplat/observe.h"
#include "xenplat/guest.h"
#include "xenplat/mm.h"

/* The event word. */
#define EVTCHN_FIFO_PENDING 31
#define EVTCHN_FIFO_MASKED 30
#define EVTCHN_FIFO_LINKED 29
#define EVTCHN_FIFO_BUSY 28
#define EVTCHN_FIFO_LINK_MASK (EVTCHN_FIFO_NR_CHANNELS - 1)

/* Priorities: 0 is the highest. */
#define EVTCHN_FIFO_PRIORITY_DEFAULT 7
#define EVTCHN_FIFO_PRIORITY_MIN 15
#define EVTCHN_FIFO_MAX_QUEUES (EVTCHN_FIFO_PRIORITY_MIN + 1)

/* struct evtchn_fifo_control_block: u32 ready @0, u32 rsvd, head[16] @8. */
#define CB_READY 0
#define CB_HEAD(prio) (8 + 4 * (prio))
#define CB_SIZE CB_HEAD(EVTCHN_FIFO_MAX_QUEUES)

#define WORDS_PER_PAGE (PAGE_SIZE / 4)
#define MAX_ARRAY_PAGES (EVTCHN_FIFO_NR_CHANNELS / WORDS_PER_PAGE)

struct fifo_vcpu {
    uint64_t cb_mfn;           /* the control block's frame; ~0: none */
    uint64_t cb_maddr;
    uint32_t tail[EVTCHN_FIFO_MAX_QUEUES];   /* 0: none */
};

struct evtchn_fifo {
    uint64_t array_mfn[MAX_ARRAY_PAGES];
    unsigned num_evtchns;      /* ports with an event word */
    struct fifo_vcpu vcpu[];   /* d->max_vcpus */
};

/* ---- guest memory ---------------------------------------------------------- */

/* evtchn_fifo_word_from_port(): the word's machine address, 0: none. */
static uint64_t word_maddr(const struct domain *d, unsigned port)
{
    const struct evtchn_fifo *f = d->evtchn.fifo;

    if (port >= f->num_evtchns)
        return 0;
    return (f->array_mfn[port / WORDS_PER_PAGE] << PAGE_SHIFT) +
           (port % WORDS_PER_PAGE) * 4;
}

static uint32_t load32(struct domain *d, uint64_t maddr)
{
    return (uint32_t)maddr_load(d->x, maddr, 4);
}

static void store32(struct domain *d, uint64_t maddr, uint32_t val)
{
    maddr_store(d->x, maddr, 4, val);
}

static bool word_test(struct domain *d, uint64_t w, unsigned bit)
{
    return (load32(d, w) >> bit) & 1;
}

/* guest_test_and_set_bit / guest_clear_bit on a 32-bit word. */
static bool word_change(struct domain *d, uint64_t w, unsigned bit, bool on)
{
    uint32_t v = load32(d, w), m = 1u << bit;
    bool old = (v & m) != 0;

    if (old != on)
        store32(d, w, on ? v | m : v & ~m);
    return old;
}

/* get_page_from_gfn() + get_page_type(PGT_writable_page): a PV guest
 * names frames by MFN, which must be its own and not typed otherwise. */
static long map_guest_page(struct domain *d, uint64_t gfn)
{
    if (get_page(d->x, gfn, d))
        return -XEN_EINVAL;
    if (get_page_type(d, gfn, PGT_writable_page)) {
        put_page(d->x, gfn);
        return -XEN_EINVAL;
    }
    return 0;
}

/* ---- the port operations --------------------------------------------------- */

static struct fifo_vcpu *fifo_vcpu(struct domain *d, unsigned id)
{
    return &d->evtchn.fifo->vcpu[id];
}

static void fifo_init(struct domain *d, unsigned port)
{
    evtchn_port(d, port)->priority = EVTCHN_FIFO_PRIORITY_DEFAULT;
}

/* evtchn_fifo_set_link(): point the tail at port iff it is still LINKED
 * (the guest may have consumed it); BUSY is cleared with the update. */
static bool set_link(struct domain *d, uint64_t tail_word, unsigned port)
{
    uint32_t w = load32(d, tail_word);

    if (!(w & (1u << EVTCHN_FIFO_LINKED)))
        return false;
    w &= ~((1u << EVTCHN_FIFO_BUSY) | EVTCHN_FIFO_LINK_MASK);
    store32(d, tail_word, w | port);
    return true;
}

/* Link port at the tail of its priority's queue on vCPU vcpu (leaving
 * the queue it was last linked on); false when the queue was empty and
 * port became its head. */
static bool link_event(struct domain *d, struct evtchn *ch, unsigned vcpu,
                       unsigned port)
{
    struct fifo_vcpu *fv = fifo_vcpu(d, vcpu);
    uint32_t *q = &fv->tail[ch->priority];
    uint32_t *old_q = &fifo_vcpu(d, ch->last_vcpu)->tail[ch->last_priority];
    bool linked = false;

    /* If this event was a tail, its old queue is empty now. */
    if (*old_q == port)
        *old_q = 0;
    if (old_q != q) {
        ch->last_vcpu = (uint16_t)vcpu;
        ch->last_priority = ch->priority;
    }
    if (*q)
        linked = set_link(d, word_maddr(d, *q), port);
    if (!linked)
        store32(d, fv->cb_maddr + CB_HEAD(ch->priority), port);
    *q = port;
    return linked;
}

/* evtchn_fifo_set_pending(). */
static void fifo_set_pending(struct domain *d, unsigned vcpu, unsigned port)
{
    struct evtchn *ch = evtchn_port(d, port);
    struct vcpu *v = vcpu < d->max_vcpus ? d->vcpu[vcpu] : NULL;
    struct fifo_vcpu *fv;
    uint64_t w = word_maddr(d, port);
    bool check_pollers;

    /* No page for the word yet: raised when the page is added.  As in
     * Xen, the flag is never cleared: it only matters for that page. */
    if (!w) {
        ch->fifo_pending = true;
        return;
    }
    /* No control block: the guest may not unmask before it has one, so
     * the event is dropped. */
    if (!v || (fv = fifo_vcpu(d, vcpu))->cb_mfn == ~0ull)
        return;
    check_pollers = !word_change(d, w, EVTCHN_FIFO_PENDING, true);
    XEN_OBSERVE(v, .kind = XO_EVTCHN_PENDING, .port = port,
                .newly = check_pollers);
    if (!word_test(d, w, EVTCHN_FIFO_MASKED) &&
        !word_change(d, w, EVTCHN_FIFO_LINKED, true) &&
        !link_event(d, ch, vcpu, port) &&
        !word_change(d, fv->cb_maddr + CB_READY, ch->priority, true))
        evtchn_mark_events_pending(v);
    if (check_pollers)
        evtchn_check_pollers(d, port);
}

/* Just PENDING: the guest unlinks and ignores events no longer pending. */
static void fifo_clear_pending(struct domain *d, unsigned port)
{
    uint64_t w = word_maddr(d, port);

    if (w)
        word_change(d, w, EVTCHN_FIFO_PENDING, false);
}

/* Clear MASKED; a pending event is linked again. */
static void fifo_unmask(struct domain *d, unsigned port)
{
    uint64_t w = word_maddr(d, port);

    if (!w)
        return;
    word_change(d, w, EVTCHN_FIFO_MASKED, false);
    if (word_test(d, w, EVTCHN_FIFO_PENDING))
        fifo_set_pending(d, evtchn_port(d, port)->notify_vcpu, port);
}

static bool fifo_is_pending(struct domain *d, unsigned port)
{
    uint64_t w = word_maddr(d, port);
    return w && word_test(d, w, EVTCHN_FIFO_PENDING);
}

static bool fifo_is_masked(struct domain *d, unsigned port)
{
    uint64_t w = word_maddr(d, port);
    return !w || word_test(d, w, EVTCHN_FIFO_MASKED);
}

/* Still on a queue: the port may not be reallocated yet. */
static bool fifo_is_busy(struct domain *d, unsigned port)
{
    uint64_t w = word_maddr(d, port);
    return w && word_test(d, w, EVTCHN_FIFO_LINKED);
}

/* Future events go to the new queue; one already linked stays put. */
static long fifo_set_priority(struct domain *d, unsigned port, unsigned prio)
{
    if (prio > EVTCHN_FIFO_PRIORITY_MIN)
        return -XEN_EINVAL;
    evtchn_port(d, port)->priority = (uint8_t)prio;
    return 0;
}

const struct evtchn_port_ops evtchn_port_ops_fifo = {
    .init = fifo_init,
    .set_pending = fifo_set_pending,
    .clear_pending = fifo_clear_pending,
    .unmask = fifo_unmask,
    .is_pending = fifo_is_pending,
    .is_masked = fifo_is_masked,
    .is_busy = fifo_is_busy,
    .set_priority = fifo_set_priority,
};

/* ---- the guest's operations ------------------------------------------------ */

static long map_control_block(struct domain *d, struct fifo_vcpu *fv,
                              uint64_t gfn, uint32_t offset)
{
    long r;

    if (fv->cb_mfn != ~0ull)
        return -XEN_EINVAL;
    if ((r = map_guest_page(d, gfn)) != 0)
        return r;
    fv->cb_mfn = gfn;
    fv->cb_maddr = (gfn << PAGE_SHIFT) + offset;
    return 0;
}

static struct evtchn_fifo *fifo_alloc(const struct domain *d)
{
    struct evtchn_fifo *f = calloc(1, sizeof(*f) + d->max_vcpus *
                                          sizeof(f->vcpu[0]));
    unsigned i;

    if (f)
        for (i = 0; i < d->max_vcpus; i++)
            f->vcpu[i].cb_mfn = ~0ull;
    return f;
}

/* setup_ports(): ports bound under 2-level keep their pending state (to
 * be raised when their event-array page arrives) and get the default
 * priority.  Masks are not carried over. */
static void setup_ports(struct domain *d, unsigned prev_ports)
{
    unsigned port;

    for (port = 1; port < prev_ports && evtchn_port_valid(d, port); port++) {
        struct evtchn *ch = evtchn_port(d, port);

        if (evtchn_is_pending(d, port))
            ch->fifo_pending = true;
        ch->priority = EVTCHN_FIFO_PRIORITY_DEFAULT;
    }
}

long evtchn_fifo_init_control(struct vcpu *v, uint64_t gfn, uint32_t offset,
                              uint32_t vcpu)
{
    struct domain *d = v->d;
    struct evtchn_fifo *f;
    long r;

    if (vcpu >= d->max_vcpus || !d->vcpu[vcpu])
        return -XEN_ENOENT;
    /* Inside one page, 8-byte aligned. */
    if (offset > PAGE_SIZE - CB_SIZE || (offset & 7))
        return -XEN_EINVAL;
    if (d->evtchn.fifo)
        return map_control_block(d, fifo_vcpu(d, vcpu), gfn, offset);
    /* The first control block: switch to FIFO with an empty array. */
    if (!(f = fifo_alloc(d)))
        return -XEN_ENOMEM;
    if ((r = map_control_block(d, &f->vcpu[vcpu], gfn, offset)) != 0) {
        free(f);
        return r;
    }
    setup_ports(d, evtchn_max_ports(d));
    d->evtchn.fifo = f;
    return 0;
}

/* add_page_to_event_array(): the next 1024 ports get their words; events
 * raised while they had none are raised now. */
long evtchn_fifo_expand_array(struct domain *d, uint64_t gfn)
{
    struct evtchn_fifo *f = d->evtchn.fifo;
    unsigned port, slot;
    long r;

    if (!f)
        return -XEN_EOPNOTSUPP;
    slot = f->num_evtchns / WORDS_PER_PAGE;
    if (slot >= MAX_ARRAY_PAGES)
        return -XEN_ENOSPC;
    if ((r = map_guest_page(d, gfn)) != 0)
        return r;
    f->array_mfn[slot] = gfn;
    f->num_evtchns += WORDS_PER_PAGE;
    for (port = slot * WORDS_PER_PAGE;
         port < f->num_evtchns && evtchn_port_valid(d, port); port++) {
        struct evtchn *ch = evtchn_port(d, port);
        if (ch->fifo_pending)
            fifo_set_pending(d, ch->notify_vcpu, port);
    }
    return 0;
}

void evtchn_fifo_destroy(struct domain *d)
{
    struct evtchn_fifo *f = d->evtchn.fifo;
    unsigned i;

    if (!f)
        return;
    for (i = 0; i < d->max_vcpus; i++)
        if (f->vcpu[i].cb_mfn != ~0ull)
            put_page_and_type(d, f->vcpu[i].cb_mfn);
    for (i = 0; i < f->num_evtchns / WORDS_PER_PAGE; i++)
        put_page_and_type(d, f->array_mfn[i]);
    free(f);
    d->evtchn.fifo = NULL;
}
