/*
 * The FIFO event-channel ABI from Xen's side: init_control and
 * expand_array with their errors and frame references, the event word
 * bits, queue linking per priority and per vCPU, READY and the upcall,
 * masking and unmasking, relinking after the guest consumed an event,
 * BUSY, ports still linked kept from reuse, the switch from 2-level and
 * EVTCHNOP_reset back to it, and the port limits of each ABI.  The
 * guest's side is played by a consumer that follows Linux's protocol
 * (events_fifo.c) on the same guest frames.
 */
#include "xenplat/guest.h"
#include "xenplat/mm.h"
#include "xenplat/sched.h"
#include "unit.h"

#define PENDING (1u << 31)
#define MASKED (1u << 30)
#define LINKED (1u << 29)
#define BUSY (1u << 28)
#define LINK_MASK 0x1ffffu
#define CB_SIZE 72

static struct xen x;
static struct domain *d;
static struct vcpu *v;
static uint64_t cb[2];         /* control-block frames of vCPU 0 and 1 */
static uint64_t cb_off[2];
static uint64_t arr[130];      /* event-array frames */

static void setup_max(bool is64, unsigned max_port)
{
    unsigned i;

    CU_ASSERT_FATAL(xen_init(&x, 1024) == 0);
    d = domain_create(&x, 1, "fifo", is64, 2);
    CU_ASSERT_FATAL(d != NULL);
    CU_ASSERT_FATAL(vcpu_create(d, 0) == 0 && vcpu_create(d, 1) == 0);
    v = d->vcpu[0];
    evtchn_destroy(d);
    CU_ASSERT_FATAL(evtchn_init(d, max_port) == 0);
    for (i = 0; i < 2; i++)
        cb[i] = frame_alloc(&x, 1);
    for (i = 0; i < 130; i++)
        arr[i] = frame_alloc(&x, 1);
    cb_off[0] = 0;
    cb_off[1] = 4096 - CB_SIZE;
}

static void setup(void) { setup_max(true, EVTCHN_DEFAULT_MAX_PORT); }

static void teardown(void)
{
    domain_destroy(d);
    xen_destroy(&x);
}

/* FIFO on vCPU 0 with `pages` event-array pages. */
static void go_fifo(unsigned pages)
{
    unsigned i;

    CU_ASSERT_FATAL(evtchn_fifo_init_control(v, cb[0], 0, 0) == 0);
    for (i = 0; i < pages; i++)
        CU_ASSERT_FATAL(evtchn_fifo_expand_array(d, arr[i]) == 0);
}

static uint64_t word_addr(unsigned port)
{
    return (arr[port / 1024] << PAGE_SHIFT) + (port % 1024) * 4;
}
static uint32_t word(unsigned port)
{
    return (uint32_t)maddr_load(&x, word_addr(port), 4);
}
static void set_word(unsigned port, uint32_t w)
{
    maddr_store(&x, word_addr(port), 4, w);
}
static uint64_t cb_addr(unsigned vcpu, unsigned off)
{
    return (cb[vcpu] << PAGE_SHIFT) + cb_off[vcpu] + off;
}
static uint32_t ready(unsigned vcpu)
{
    return (uint32_t)maddr_load(&x, cb_addr(vcpu, 0), 4);
}
static uint32_t head(unsigned vcpu, unsigned prio)
{
    return (uint32_t)maddr_load(&x, cb_addr(vcpu, 8 + 4 * prio), 4);
}
static uint8_t upcall(unsigned vcpu)
{
    return vcpu_info_load8(d->vcpu[vcpu], VI_UPCALL_PENDING);
}
static void clear_upcall(unsigned vcpu)
{
    vcpu_info_store8(d->vcpu[vcpu], VI_UPCALL_PENDING, 0);
}

/*
 * The guest: take READY, then repeatedly the highest-priority queue's
 * next event (unlink it; deliver it if pending and not masked, clearing
 * PENDING), until every queue is drained.  Delivered ports go to out[].
 */
static unsigned drain(unsigned vcpu, uint32_t *out, unsigned max)
{
    uint32_t rdy = ready(vcpu), lhead[16] = { 0 };
    unsigned n = 0;

    maddr_store(&x, cb_addr(vcpu, 0), 4, 0);
    while (rdy) {
        unsigned q = (unsigned)__builtin_ctz(rdy);
        uint32_t port = lhead[q] ? lhead[q] : head(vcpu, q), w;

        w = word(port);
        set_word(port, w & ~(LINKED | LINK_MASK));
        lhead[q] = w & LINK_MASK;
        if (!lhead[q])
            rdy &= ~(1u << q);
        if ((w & PENDING) && !(w & MASKED)) {
            set_word(port, word(port) & ~PENDING);
            if (n < max)
                out[n++] = port;
        }
    }
    return n;
}

static void test_init_control_errors(void)
{
    struct page_info *pg;

    setup();
    pg = &x.frame[cb[0]];
    CU_ASSERT_EQUAL(evtchn_fifo_init_control(v, cb[0], 0, 2), -XEN_ENOENT);
    CU_ASSERT_EQUAL(evtchn_fifo_init_control(v, cb[0], 0, 9999), -XEN_ENOENT);
    CU_ASSERT_EQUAL(evtchn_fifo_init_control(v, cb[0], 4096 - CB_SIZE + 8, 0),
                    -XEN_EINVAL);          /* crosses the page */
    CU_ASSERT_EQUAL(evtchn_fifo_init_control(v, cb[0], 4, 0), -XEN_EINVAL);
    CU_ASSERT_EQUAL(evtchn_fifo_init_control(v, cb[0], 0xfffffff8u, 0),
                    -XEN_EINVAL);
    /* Frames that are not ours, not frames, or typed otherwise. */
    CU_ASSERT_EQUAL(evtchn_fifo_init_control(v, frame_alloc(&x, 2), 0, 0),
                    -XEN_EINVAL);
    CU_ASSERT_EQUAL(evtchn_fifo_init_control(v, 1ull << 40, 0, 0),
                    -XEN_EINVAL);
    pg->type = PGT_l1_page_table;
    pg->type_count = 1;
    CU_ASSERT_EQUAL(evtchn_fifo_init_control(v, cb[0], 0, 0), -XEN_EINVAL);
    CU_ASSERT_EQUAL(pg->count, 1);         /* the general ref was dropped */
    pg->type = PGT_none;
    pg->type_count = 0;
    /* Still 2-level. */
    CU_ASSERT_PTR_NULL(d->evtchn.fifo);
    CU_ASSERT_EQUAL(evtchn_fifo_expand_array(d, arr[0]), -XEN_EOPNOTSUPP);
    CU_ASSERT_EQUAL(evtchn_op_set_priority(d, 0, 3), -XEN_ENOSYS);
    /* The last offset that fits, then the same vCPU again. */
    cb_off[0] = 4096 - CB_SIZE;
    CU_ASSERT_EQUAL(evtchn_fifo_init_control(v, cb[0], 4096 - CB_SIZE, 0), 0);
    CU_ASSERT_PTR_NOT_NULL(d->evtchn.fifo);
    CU_ASSERT_EQUAL(pg->count, 2);
    CU_ASSERT_EQUAL(pg->type, PGT_writable_page);
    CU_ASSERT_EQUAL(pg->type_count, 1);
    CU_ASSERT_EQUAL(evtchn_fifo_init_control(v, cb[1], 0, 0), -XEN_EINVAL);
    /* vCPU 1 shares the frame at another offset. */
    CU_ASSERT_EQUAL(evtchn_fifo_init_control(v, cb[0], 0, 1), 0);
    CU_ASSERT_EQUAL(pg->count, 3);
    CU_ASSERT_EQUAL(pg->type_count, 2);
    /* A frame in use can no longer become a page table. */
    CU_ASSERT_NOT_EQUAL(get_page_type(d, cb[0], PGT_l1_page_table), 0);
    /* Reset gives every reference back. */
    CU_ASSERT_EQUAL(evtchn_fifo_expand_array(d, arr[0]), 0);
    CU_ASSERT_EQUAL(x.frame[arr[0]].type_count, 1);
    CU_ASSERT_EQUAL(evtchn_op_reset(v, DOMID_SELF), 0);
    CU_ASSERT_PTR_NULL(d->evtchn.fifo);
    CU_ASSERT_EQUAL(pg->count, 1);
    CU_ASSERT_EQUAL(pg->type_count, 0);
    CU_ASSERT_EQUAL(x.frame[arr[0]].count, 1);
    CU_ASSERT_EQUAL(x.frame[arr[0]].type_count, 0);
    teardown();
}

static void test_expand_array(void)
{
    unsigned i;
    long p;

    setup();
    CU_ASSERT_EQUAL(evtchn_fifo_expand_array(d, arr[0]), -XEN_EOPNOTSUPP);
    go_fifo(0);
    p = evtchn_op_bind_ipi(v, 0);
    CU_ASSERT_EQUAL(p, 1);
    /* No word yet: masked, not pending, the event kept for later. */
    CU_ASSERT(evtchn_is_masked(d, 1));
    CU_ASSERT_EQUAL(evtchn_send(d, 1), 0);
    CU_ASSERT(!evtchn_is_pending(d, 1));
    CU_ASSERT_EQUAL(evtchn_op_unmask(d, 1), 0);
    CU_ASSERT_EQUAL(ready(0), 0);
    CU_ASSERT_EQUAL(evtchn_fifo_expand_array(d, frame_alloc(&x, 2)),
                    -XEN_EINVAL);
    CU_ASSERT_EQUAL(evtchn_fifo_expand_array(d, ~0ull), -XEN_EINVAL);
    CU_ASSERT_EQUAL(evtchn_fifo_expand_array(d, arr[0]), 0);
    /* The page arrived: the event is raised. */
    CU_ASSERT_EQUAL(word(1), PENDING | LINKED);
    CU_ASSERT_EQUAL(head(0, 7), 1);
    CU_ASSERT_EQUAL(ready(0), 1u << 7);
    CU_ASSERT_EQUAL(upcall(0), 1);
    CU_ASSERT(evtchn_is_pending(d, 1) && !evtchn_is_masked(d, 1));
    /* Up to 128 pages: 2^17 ports. */
    for (i = 1; i < 128; i++)
        CU_ASSERT_EQUAL_FATAL(evtchn_fifo_expand_array(d, arr[i]), 0);
    CU_ASSERT_EQUAL(evtchn_fifo_expand_array(d, arr[128]), -XEN_ENOSPC);
    CU_ASSERT_EQUAL(x.frame[arr[128]].count, 1);
    CU_ASSERT_EQUAL(x.frame[arr[127]].count, 2);
    teardown();
}

static void test_priorities(void)
{
    uint32_t out[8];
    long a, b, c;

    setup();
    go_fifo(1);
    a = evtchn_op_bind_ipi(v, 0);
    b = evtchn_op_bind_ipi(v, 0);
    c = evtchn_op_bind_ipi(v, 0);
    CU_ASSERT_EQUAL(evtchn_op_set_priority(d, (uint32_t)a, 16), -XEN_EINVAL);
    CU_ASSERT_EQUAL(evtchn_op_set_priority(d, 64, 3), -XEN_EINVAL);
    CU_ASSERT_EQUAL(evtchn_op_set_priority(d, 40, 3), 0);   /* free port */
    CU_ASSERT_EQUAL(evtchn_op_set_priority(d, (uint32_t)a, 3), 0);
    CU_ASSERT_EQUAL(evtchn_op_set_priority(d, (uint32_t)c, 3), 0);
    evtchn_send(d, (unsigned)b);
    evtchn_send(d, (unsigned)a);
    evtchn_send(d, (unsigned)c);
    CU_ASSERT_EQUAL(ready(0), (1u << 3) | (1u << 7));
    CU_ASSERT_EQUAL(head(0, 3), (uint32_t)a);
    CU_ASSERT_EQUAL(head(0, 7), (uint32_t)b);
    CU_ASSERT_EQUAL(word((unsigned)a), PENDING | LINKED | (uint32_t)c);
    CU_ASSERT_EQUAL(word((unsigned)c), PENDING | LINKED);
    /* Priority 3 first, in order; then 7. */
    CU_ASSERT_EQUAL_FATAL(drain(0, out, 8), 3);
    CU_ASSERT_EQUAL(out[0], (uint32_t)a);
    CU_ASSERT_EQUAL(out[1], (uint32_t)c);
    CU_ASSERT_EQUAL(out[2], (uint32_t)b);
    CU_ASSERT_EQUAL(word((unsigned)a), 0);
    /* Lowest priority 15 and highest 0. */
    CU_ASSERT_EQUAL(evtchn_op_set_priority(d, (uint32_t)a, 15), 0);
    CU_ASSERT_EQUAL(evtchn_op_set_priority(d, (uint32_t)b, 0), 0);
    evtchn_send(d, (unsigned)a);
    evtchn_send(d, (unsigned)b);
    CU_ASSERT_EQUAL(ready(0), (1u << 15) | 1u);
    CU_ASSERT_EQUAL_FATAL(drain(0, out, 8), 2);
    CU_ASSERT_EQUAL(out[0], (uint32_t)b);
    CU_ASSERT_EQUAL(out[1], (uint32_t)a);
    /* A port bound anew gets the default priority back. */
    evtchn_op_close(d, (uint32_t)b);
    CU_ASSERT_EQUAL(evtchn_op_bind_ipi(v, 0), b);
    evtchn_send(d, (unsigned)b);
    CU_ASSERT_EQUAL(ready(0), 1u << 7);
    teardown();
}

static void test_mask_unmask_relink(void)
{
    uint32_t out[4];
    long a, b;

    setup();
    go_fifo(1);
    a = evtchn_op_bind_ipi(v, 0);
    b = evtchn_op_bind_ipi(v, 0);
    set_word((unsigned)a, MASKED);
    evtchn_send(d, (unsigned)a);
    CU_ASSERT_EQUAL(word((unsigned)a), MASKED | PENDING);
    CU_ASSERT_EQUAL(ready(0), 0);
    CU_ASSERT_EQUAL(upcall(0), 0);
    CU_ASSERT(evtchn_is_pending(d, (unsigned)a));
    CU_ASSERT(evtchn_is_masked(d, (unsigned)a));
    /* Unmask links the pending event. */
    CU_ASSERT_EQUAL(evtchn_op_unmask(d, (uint32_t)a), 0);
    CU_ASSERT_EQUAL(word((unsigned)a), PENDING | LINKED);
    CU_ASSERT_EQUAL(head(0, 7), (uint32_t)a);
    CU_ASSERT_EQUAL(ready(0), 1u << 7);
    CU_ASSERT_EQUAL(upcall(0), 1);
    /* Raised again while linked: nothing changes, no second link. */
    clear_upcall(0);
    evtchn_send(d, (unsigned)a);
    CU_ASSERT_EQUAL(word((unsigned)a), PENDING | LINKED);
    CU_ASSERT_EQUAL(upcall(0), 0);
    CU_ASSERT_EQUAL(drain(0, out, 4), 1);
    CU_ASSERT_EQUAL(word((unsigned)a), 0);
    /* Consumed: the next event links it again, as a new head. */
    evtchn_send(d, (unsigned)a);
    CU_ASSERT_EQUAL(word((unsigned)a), PENDING | LINKED);
    CU_ASSERT_EQUAL(ready(0), 1u << 7);
    CU_ASSERT_EQUAL(upcall(0), 1);
    /* The tail was consumed before b came: b becomes the head (set_link
     * refused an unlinked tail). */
    CU_ASSERT_EQUAL(drain(0, out, 4), 1);
    evtchn_send(d, (unsigned)b);
    CU_ASSERT_EQUAL(head(0, 7), (uint32_t)b);
    CU_ASSERT_EQUAL(word((unsigned)a), 0);
    /* Unmask of a port not pending only clears the mask. */
    set_word((unsigned)a, MASKED);
    CU_ASSERT_EQUAL(evtchn_op_unmask(d, (uint32_t)a), 0);
    CU_ASSERT_EQUAL(word((unsigned)a), 0);
    /* Closing clears PENDING only; the guest unlinks. */
    CU_ASSERT_EQUAL(evtchn_op_close(d, (uint32_t)b), 0);
    CU_ASSERT_EQUAL(word((unsigned)b), LINKED);
    CU_ASSERT(!evtchn_is_pending(d, (unsigned)b));
    teardown();
}

static void test_busy(void)
{
    long a, b, c;

    setup();
    go_fifo(1);
    a = evtchn_op_bind_ipi(v, 0);
    b = evtchn_op_bind_ipi(v, 0);
    evtchn_send(d, (unsigned)a);
    /* BUSY on the tail is cleared as Xen links it. */
    set_word((unsigned)a, word((unsigned)a) | BUSY);
    evtchn_send(d, (unsigned)b);
    CU_ASSERT_EQUAL(word((unsigned)a), PENDING | LINKED | (uint32_t)b);
    /* A closed port still linked is busy: not handed out again. */
    CU_ASSERT_EQUAL(evtchn_op_close(d, (uint32_t)a), 0);
    c = evtchn_op_bind_ipi(v, 0);
    CU_ASSERT_EQUAL(c, b + 1);
    /* Once the guest unlinked it, it is. */
    set_word((unsigned)a, 0);
    CU_ASSERT_EQUAL(evtchn_op_bind_ipi(v, 0), a);
    teardown();
}

static void test_vcpus_and_queues(void)
{
    uint32_t out[4];
    long a, b;

    setup();
    go_fifo(1);
    a = evtchn_op_bind_ipi(v, 1);
    /* vCPU 1 has no control block: its events are dropped. */
    evtchn_send(d, (unsigned)a);
    CU_ASSERT_EQUAL(word((unsigned)a), 0);
    CU_ASSERT_EQUAL(evtchn_fifo_init_control(v, cb[1], cb_off[1], 1), 0);
    evtchn_send(d, (unsigned)a);
    CU_ASSERT_EQUAL(head(1, 7), (uint32_t)a);
    CU_ASSERT_EQUAL(ready(1), 1u << 7);
    CU_ASSERT_EQUAL(ready(0), 0);
    CU_ASSERT_EQUAL(upcall(1), 1);
    CU_ASSERT_EQUAL(upcall(0), 0);
    CU_ASSERT_EQUAL(drain(1, out, 4), 1);
    /* A loopback port is vCPU 0's tail, then moves to vCPU 1 and
     * priority 2: the old queue forgets it, the new one starts with it. */
    a = evtchn_op_alloc_unbound(v, DOMID_SELF, DOMID_SELF);
    b = evtchn_op_bind_interdomain(v, DOMID_SELF, (uint32_t)a);
    CU_ASSERT_EQUAL(word((unsigned)b), PENDING | LINKED);   /* bind raises */
    CU_ASSERT_EQUAL(drain(0, out, 4), 1);
    evtchn_send(d, (unsigned)b);                    /* a on vCPU 0 */
    CU_ASSERT_EQUAL(head(0, 7), (uint32_t)a);
    CU_ASSERT_EQUAL(drain(0, out, 4), 1);
    CU_ASSERT_EQUAL(evtchn_op_bind_vcpu(d, (uint32_t)a, 1), 0);
    CU_ASSERT_EQUAL(evtchn_op_set_priority(d, (uint32_t)a, 2), 0);
    evtchn_send(d, (unsigned)b);
    CU_ASSERT_EQUAL(head(1, 2), (uint32_t)a);
    CU_ASSERT_EQUAL(ready(1), 1u << 2);
    /* vCPU 0's priority-7 queue is empty: b's next event heads it. */
    evtchn_send(d, (unsigned)a);
    CU_ASSERT_EQUAL(head(0, 7), (uint32_t)b);
    CU_ASSERT_EQUAL(word((unsigned)a) & LINK_MASK, 0);
    teardown();
}

static void test_switch_from_2level(void)
{
    uint32_t out[8];
    long t, p, q, r;
    uint64_t mask;

    setup();
    t = evtchn_op_bind_virq(v, VIRQ_TIMER, 0);
    p = evtchn_op_bind_ipi(v, 0);
    q = evtchn_op_bind_ipi(v, 0);
    r = evtchn_op_bind_ipi(v, 0);
    CU_ASSERT_EQUAL(evtchn_op_set_priority(d, (uint32_t)p, 1), -XEN_ENOSYS);
    evtchn_send(d, (unsigned)p);
    /* q pending but masked under 2-level: the mask is not carried over. */
    mask = maddr_load(&x, (d->shared_info_mfn << PAGE_SHIFT) +
                      d->abi->sh_evtchn_mask, 8);
    maddr_store(&x, (d->shared_info_mfn << PAGE_SHIFT) +
                d->abi->sh_evtchn_mask, 8, mask | (1ull << q));
    evtchn_send(d, (unsigned)q);
    CU_ASSERT(evtchn_is_pending(d, (unsigned)p));
    go_fifo(0);
    /* Bound ports stay bound; without words they look masked. */
    CU_ASSERT_EQUAL(d->evtchn.port[t].state, ECS_VIRQ);
    CU_ASSERT(!evtchn_is_pending(d, (unsigned)p));
    CU_ASSERT(evtchn_is_masked(d, (unsigned)r));
    CU_ASSERT_EQUAL(evtchn_fifo_expand_array(d, arr[0]), 0);
    CU_ASSERT_EQUAL_FATAL(drain(0, out, 8), 2);
    CU_ASSERT_EQUAL(out[0], (uint32_t)p);
    CU_ASSERT_EQUAL(out[1], (uint32_t)q);
    /* The timer VIRQ now arrives through the queue. */
    evtchn_send_virq(v, VIRQ_TIMER);
    CU_ASSERT_EQUAL(head(0, 7), (uint32_t)t);
    CU_ASSERT_EQUAL(word((unsigned)t), PENDING | LINKED);
    teardown();
}

static void test_high_ports_and_reset(void)
{
    long p, last = 0;
    uint64_t sh;

    setup_max(false, 3000);             /* 32-bit: 2-level has 1024 */
    while ((p = evtchn_op_bind_ipi(v, 0)) > 0)
        last = p;
    CU_ASSERT_EQUAL(p, -XEN_ENOSPC);
    CU_ASSERT_EQUAL(last, 1023);
    go_fifo(1);
    /* Ports above 1023 with FIFO, up to max_evtchn_port. */
    CU_ASSERT_EQUAL(evtchn_op_bind_ipi(v, 0), 1024);
    evtchn_send(d, 1024);
    CU_ASSERT_EQUAL(ready(0), 0);       /* no word for it yet */
    CU_ASSERT_EQUAL(evtchn_fifo_expand_array(d, arr[1]), 0);
    CU_ASSERT_EQUAL(head(0, 7), 1024);
    while ((p = evtchn_op_bind_ipi(v, 0)) > 0)
        last = p;
    CU_ASSERT_EQUAL(p, -XEN_ENOSPC);
    CU_ASSERT_EQUAL(last, 3000);
    /* Reset: everything closed, 2-level again, the 2-level limit back. */
    CU_ASSERT_EQUAL(evtchn_op_reset(v, DOMID_SELF), 0);
    CU_ASSERT_PTR_NULL(d->evtchn.fifo);
    CU_ASSERT_EQUAL(d->evtchn.port[1024].state, ECS_FREE);
    CU_ASSERT_EQUAL(evtchn_op_unmask(d, 2000), 0);   /* no bits: no-op */
    CU_ASSERT(!evtchn_is_pending(d, 2000));
    CU_ASSERT(evtchn_is_masked(d, 2000));
    CU_ASSERT_EQUAL(evtchn_op_set_priority(d, 1, 3), -XEN_ENOSYS);
    p = evtchn_op_bind_ipi(v, 0);
    CU_ASSERT_EQUAL(p, 1);
    evtchn_send(d, 1);
    sh = d->shared_info_mfn << PAGE_SHIFT;
    CU_ASSERT_EQUAL(maddr_load(&x, sh + d->abi->sh_evtchn_pending, 4), 2);
    while ((p = evtchn_op_bind_ipi(v, 0)) > 0)
        last = p;
    CU_ASSERT_EQUAL(last, 1023);
    /* And FIFO again, with fresh queues. */
    CU_ASSERT_EQUAL(evtchn_fifo_init_control(v, cb[1], 0, 1), 0);
    CU_ASSERT_EQUAL(evtchn_fifo_init_control(v, cb[0], 0, 0), 0);
    teardown();
}

static void test_poll(void)
{
    long a, b;

    setup();
    go_fifo(1);
    a = evtchn_op_bind_ipi(v, 0);
    b = evtchn_op_bind_ipi(v, 0);
    v->blocked = v->polling = true;
    v->poll_evtchn = (int)a;
    set_word((unsigned)b, MASKED);          /* no upcall: only polls */
    evtchn_send(d, (unsigned)b);
    CU_ASSERT(v->blocked);
    set_word((unsigned)a, MASKED);
    evtchn_send(d, (unsigned)a);
    CU_ASSERT(!v->blocked && !v->polling);
    /* Already pending: no new edge, no wake-up. */
    v->blocked = v->polling = true;
    v->poll_evtchn = -1;
    evtchn_send(d, (unsigned)a);
    CU_ASSERT(v->blocked);
    v->blocked = v->polling = false;
    teardown();
}

static void test_destroy_releases(void)
{
    uint64_t c, a0;

    setup();
    go_fifo(2);
    c = cb[0];
    a0 = arr[1];
    CU_ASSERT_EQUAL(x.frame[c].count, 2);
    domain_destroy(d);
    CU_ASSERT_EQUAL(x.frame[c].count, 1);
    CU_ASSERT_EQUAL(x.frame[c].type_count, 0);
    CU_ASSERT_EQUAL(x.frame[a0].type_count, 0);
    xen_destroy(&x);
}


static int be_notified;

static void backend_fn(void *opaque, enum evtchn_backend_event ev)
{
    (void)opaque;
    if (ev == EVTCHN_BACKEND_NOTIFY)
        be_notified++;
}

/* dom0's backends and a 2-level peer domain talk to a FIFO domain. */
static void test_backend_and_mixed_abis(void)
{
    struct domain *d2;
    uint32_t out[4];
    long p, pa, pb;
    int cookie;

    setup();
    p = evtchn_alloc_unbound(d, 0);
    CU_ASSERT_EQUAL(evtchn_bind_backend(d, (unsigned)p, backend_fn, &cookie),
                    0);
    d2 = domain_create(&x, 2, "peer", false, 1);
    CU_ASSERT_FATAL(d2 != NULL && vcpu_create(d2, 0) == 0);
    pa = evtchn_op_alloc_unbound(d2->vcpu[0], DOMID_SELF, 1);
    pb = evtchn_op_bind_interdomain(v, 2, (uint32_t)pa);
    CU_ASSERT_EQUAL(pb, 2);
    go_fifo(1);
    CU_ASSERT_EQUAL(evtchn_op_set_priority(d, (uint32_t)p, 4), 0);
    /* The backend's notification and the peer's send, by priority. */
    evtchn_backend_notify(d, &cookie);
    CU_ASSERT_EQUAL(evtchn_send(d2, (unsigned)pa), 0);
    CU_ASSERT_EQUAL(ready(0), (1u << 4) | (1u << 7));
    CU_ASSERT_EQUAL_FATAL(drain(0, out, 4), 2);
    CU_ASSERT_EQUAL(out[0], (uint32_t)p);
    CU_ASSERT_EQUAL(out[1], (uint32_t)pb);
    /* Our sends reach the backend and the 2-level peer. */
    CU_ASSERT_EQUAL(evtchn_send(d, (unsigned)p), 0);
    CU_ASSERT_EQUAL(be_notified, 1);
    CU_ASSERT(!evtchn_is_pending(d2, (unsigned)pa));
    CU_ASSERT_EQUAL(evtchn_send(d, (unsigned)pb), 0);
    CU_ASSERT(evtchn_is_pending(d2, (unsigned)pa));
    CU_ASSERT_EQUAL(maddr_load(&x, (d2->shared_info_mfn << PAGE_SHIFT) +
                               d2->abi->sh_evtchn_pending, 4),
                    1u << pa);
    /* The peer closes: our end is unbound; our sends are dropped. */
    CU_ASSERT_EQUAL(evtchn_op_close(d2, (uint32_t)pa), 0);
    CU_ASSERT_EQUAL(d->evtchn.port[pb].state, ECS_UNBOUND);
    CU_ASSERT_EQUAL(evtchn_send(d, (unsigned)pb), 0);
    domain_destroy(d2);
    teardown();
}

/*
 * Queue integrity under a long deterministic mix of operations on two
 * vCPUs and loopback channels: binds, closes, sends, priority and vCPU
 * changes, guest masking and Linux's unmask, consumption.  After both vCPUs drain their
 * queues no event may be left LINKED (every link is reachable from a
 * head) and none pending and unmasked (nothing was lost).
 */
static uint32_t rng = 12345;

static unsigned rnd(unsigned n)
{
    rng = rng * 1103515245u + 12345u;
    return (rng >> 16) % n;
}

static void guest_unmask(unsigned port)
{
    set_word(port, word(port) & ~MASKED);
    if (word(port) & PENDING)
        evtchn_op_unmask(d, port);
}

static void bind_loopback(void)
{
    long a = evtchn_op_alloc_unbound(v, DOMID_SELF, DOMID_SELF);

    if (a > 0)
        evtchn_op_bind_interdomain(v, DOMID_SELF, (uint32_t)a);
}

static void test_queue_integrity(void)
{
    uint32_t out[64];
    unsigned i, p, delivered = 0;

    setup();
    go_fifo(1);
    CU_ASSERT_FATAL(evtchn_fifo_init_control(v, cb[1], cb_off[1], 1) == 0);
    for (i = 0; i < 20; i++)
        bind_loopback();
    for (i = 0; i < 20000; i++) {
        p = 1 + rnd(48);
        switch (rnd(10)) {
        case 0: evtchn_op_close(d, p); break;
        case 1: bind_loopback(); break;
        case 2: evtchn_op_set_priority(d, p, rnd(16)); break;
        case 3: set_word(p, word(p) | MASKED); break;
        case 4: guest_unmask(p); break;
        case 5: evtchn_op_bind_vcpu(d, p, rnd(2)); break;
        case 6: delivered += drain(rnd(2), out, 64); break;
        default: evtchn_send(d, p); break;
        }
    }
    for (p = 1; p < 64; p++)
        guest_unmask(p);
    delivered += drain(0, out, 64) + drain(1, out, 64);
    CU_ASSERT(delivered > 1000);
    for (p = 1; p < 1024; p++) {
        CU_ASSERT_EQUAL(word(p) & LINKED, 0);
        CU_ASSERT(!(word(p) & PENDING) || (word(p) & MASKED));
    }
    teardown();
}

UNIT_SUITE(evtchn_fifo)
{
    CU_pSuite s = CU_add_suite("evtchn-fifo", NULL, NULL);
    UNIT_TEST(s, test_init_control_errors);
    UNIT_TEST(s, test_expand_array);
    UNIT_TEST(s, test_priorities);
    UNIT_TEST(s, test_mask_unmask_relink);
    UNIT_TEST(s, test_busy);
    UNIT_TEST(s, test_vcpus_and_queues);
    UNIT_TEST(s, test_switch_from_2level);
    UNIT_TEST(s, test_high_ports_and_reset);
    UNIT_TEST(s, test_poll);
    UNIT_TEST(s, test_destroy_releases);
    UNIT_TEST(s, test_backend_and_mixed_abis);
    UNIT_TEST(s, test_queue_integrity);
}
