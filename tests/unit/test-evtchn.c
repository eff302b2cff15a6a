/*
 * Event channels: the 2-level bits in shared_info and vcpu_info (64-bit
 * and 32-bit word sizes), masking and EVTCHNOP_unmask's re-raise, port
 * allocation and limits, every operation's error path, loopback and
 * backend channels, and poll wake-ups.  A domain without a guest: Xen's
 * side only.
 */
#include "xenplat/guest.h"
#include "xenplat/sched.h"
#include "unit.h"

static struct xen x;
static struct domain *d;
static struct vcpu *v;

static void setup(bool is64)
{
    CU_ASSERT_FATAL(xen_init(&x, 1024) == 0);
    d = domain_create(&x, 1, "t", is64, 2);
    CU_ASSERT_FATAL(d != NULL);
    CU_ASSERT_FATAL(vcpu_create(d, 0) == 0 && vcpu_create(d, 1) == 0);
    v = d->vcpu[0];
}

static void teardown(void)
{
    domain_destroy(d);
    xen_destroy(&x);
}

static uint64_t sh(void) { return d->shared_info_mfn << PAGE_SHIFT; }

static uint64_t pending_word(unsigned w)
{
    unsigned ws = d->abi->ulong_size;
    return maddr_load(&x, sh() + d->abi->sh_evtchn_pending + w * ws, ws);
}

static void set_mask(unsigned port, bool on)
{
    unsigned wb = d->abi->evtchn_word_bits, ws = wb / 8;
    uint64_t a = sh() + d->abi->sh_evtchn_mask + (port / wb) * ws;
    uint64_t w = maddr_load(&x, a, ws), m = 1ull << (port % wb);
    maddr_store(&x, a, ws, on ? w | m : w & ~m);
}

static uint64_t sel(struct vcpu *t)
{
    return vcpu_info_load(t, d->abi->vi_pending_sel, d->abi->ulong_size);
}

static void clear_upcall(struct vcpu *t)
{
    vcpu_info_store8(t, VI_UPCALL_PENDING, 0);
    vcpu_info_store(t, d->abi->vi_pending_sel, d->abi->ulong_size, 0);
}

/* Take ports until `port` is the next one handed out. */
static void fill_to(unsigned port)
{
    while ((unsigned)evtchn_op_bind_ipi(v, 0) + 1 < port)
        ;
}

static void check_word_size(bool is64, unsigned port)
{
    unsigned wb = is64 ? 64 : 32;
    long p;

    setup(is64);
    fill_to(port);
    p = evtchn_op_bind_ipi(v, 0);
    CU_ASSERT_EQUAL(p, (long)port);
    CU_ASSERT_EQUAL(evtchn_send(d, port), 0);
    CU_ASSERT_EQUAL(pending_word(port / wb), 1ull << (port % wb));
    CU_ASSERT_EQUAL(sel(v), 1ull << (port / wb));
    CU_ASSERT_EQUAL(vcpu_info_load8(v, VI_UPCALL_PENDING), 1);
    CU_ASSERT(evtchn_is_pending(d, port));
    teardown();
}

static void test_bits_64(void) { check_word_size(true, 70); }
static void test_bits_32(void) { check_word_size(false, 40); }

static void test_mask_and_unmask(void)
{
    long p;

    setup(true);
    p = evtchn_op_bind_ipi(v, 0);
    set_mask((unsigned)p, true);
    evtchn_send(d, (unsigned)p);
    CU_ASSERT(evtchn_is_pending(d, (unsigned)p));
    CU_ASSERT_EQUAL(sel(v), 0);
    CU_ASSERT_EQUAL(vcpu_info_load8(v, VI_UPCALL_PENDING), 0);
    CU_ASSERT_EQUAL(evtchn_op_unmask(d, (uint32_t)p), 0);
    CU_ASSERT_EQUAL(sel(v), 1);
    CU_ASSERT_EQUAL(vcpu_info_load8(v, VI_UPCALL_PENDING), 1);
    /* Unmasking an unmasked port raises nothing. */
    clear_upcall(v);
    CU_ASSERT_EQUAL(evtchn_op_unmask(d, (uint32_t)p), 0);
    CU_ASSERT_EQUAL(sel(v), 0);
    /* Already pending: a second send is no new edge. */
    evtchn_send(d, (unsigned)p);
    CU_ASSERT_EQUAL(vcpu_info_load8(v, VI_UPCALL_PENDING), 0);
    /* Closing clears pending; the port comes back clean. */
    CU_ASSERT_EQUAL(evtchn_op_close(d, (uint32_t)p), 0);
    CU_ASSERT(!evtchn_is_pending(d, (unsigned)p));
    teardown();
}

static void test_selector_already_set(void)
{
    long a, b;

    setup(true);
    a = evtchn_op_bind_ipi(v, 0);
    b = evtchn_op_bind_ipi(v, 0);
    evtchn_send(d, (unsigned)a);
    vcpu_info_store8(v, VI_UPCALL_PENDING, 0);   /* guest cleared it only */
    evtchn_send(d, (unsigned)b);
    /* Same selector word already set: no new upcall. */
    CU_ASSERT_EQUAL(vcpu_info_load8(v, VI_UPCALL_PENDING), 0);
    CU_ASSERT_EQUAL(pending_word(0), (1ull << a) | (1ull << b));
    teardown();
}

static void test_virq_binding(void)
{
    long p;

    setup(true);
    CU_ASSERT_EQUAL(evtchn_op_bind_virq(v, 24, 0), -XEN_EINVAL);
    CU_ASSERT_EQUAL(evtchn_op_bind_virq(v, (uint32_t)-1, 0), -XEN_EINVAL);
    CU_ASSERT_EQUAL(evtchn_op_bind_virq(v, VIRQ_CONSOLE, 1), -XEN_EINVAL);
    CU_ASSERT_EQUAL(evtchn_op_bind_virq(v, VIRQ_TIMER, 2), -XEN_ENOENT);
    p = evtchn_op_bind_virq(v, VIRQ_TIMER, 1);      /* per-vCPU */
    CU_ASSERT_EQUAL(p, 1);
    CU_ASSERT_EQUAL(evtchn_op_bind_virq(v, VIRQ_TIMER, 1), -XEN_EEXIST);
    CU_ASSERT_EQUAL(evtchn_op_bind_virq(v, VIRQ_TIMER, 0), 2);
    CU_ASSERT_EQUAL(evtchn_op_bind_virq(v, VIRQ_DEBUG, 0), 3);
    CU_ASSERT_EQUAL(evtchn_op_bind_virq(v, VIRQ_CON_RING, 0), 4);
    /* vCPU 1's timer raises vCPU 1's selector, not vCPU 0's. */
    evtchn_send_virq(d->vcpu[1], VIRQ_TIMER);
    CU_ASSERT_EQUAL(sel(d->vcpu[1]), 1);
    CU_ASSERT_EQUAL(sel(v), 0);
    /* bind_vcpu: global VIRQ yes, per-vCPU VIRQ and IPI no. */
    CU_ASSERT_EQUAL(evtchn_op_bind_vcpu(d, 4, 1), 0);
    evtchn_send_virq(d->vcpu[1], VIRQ_CON_RING);   /* global: vCPU 0's */
    CU_ASSERT(evtchn_is_pending(d, 4));
    CU_ASSERT_EQUAL(evtchn_op_bind_vcpu(d, 2, 1), -XEN_EINVAL);
    CU_ASSERT_EQUAL(evtchn_op_bind_vcpu(d, 2, 7), -XEN_ENOENT);
    CU_ASSERT_EQUAL(evtchn_op_bind_vcpu(d, 900, 0), -XEN_EINVAL);
    /* Closing unbinds the VIRQ. */
    CU_ASSERT_EQUAL(evtchn_op_close(d, 2), 0);
    CU_ASSERT_EQUAL(evtchn_op_bind_virq(v, VIRQ_TIMER, 0), 2);
    teardown();
}

static void test_errors(void)
{
    setup(true);
    CU_ASSERT_EQUAL(evtchn_op_alloc_unbound(v, 0, 0), -XEN_EPERM);
    CU_ASSERT_EQUAL(evtchn_op_alloc_unbound(v, 7, 0), -XEN_ESRCH);
    CU_ASSERT_EQUAL(evtchn_op_alloc_unbound(v, DOMID_SELF, 0), 1);
    CU_ASSERT_EQUAL(evtchn_op_alloc_unbound(v, 1, 0), 2);
    CU_ASSERT_EQUAL(evtchn_op_bind_interdomain(v, 7, 1), -XEN_ESRCH);
    CU_ASSERT_EQUAL(evtchn_op_bind_interdomain(v, 0, 5), -XEN_EINVAL);
    /* Port 1 is unbound to dom0, not to us. */
    CU_ASSERT_EQUAL(evtchn_op_bind_interdomain(v, DOMID_SELF, 1),
                    -XEN_EINVAL);
    CU_ASSERT_EQUAL(evtchn_op_bind_ipi(v, 5), -XEN_ENOENT);
    CU_ASSERT_EQUAL(evtchn_op_close(d, 0), -XEN_EINVAL);
    CU_ASSERT_EQUAL(evtchn_op_close(d, 40), -XEN_EINVAL);
    CU_ASSERT_EQUAL(evtchn_op_close(d, 64), -XEN_EINVAL);
    CU_ASSERT_EQUAL(evtchn_send(d, 0), -XEN_EINVAL);
    CU_ASSERT_EQUAL(evtchn_send(d, 40), -XEN_EINVAL);
    CU_ASSERT_EQUAL(evtchn_send(d, 1), 0);          /* unbound: dropped */
    CU_ASSERT(!evtchn_is_pending(d, 1));
    /* Ports are valid bucket by bucket (64 at a time). */
    CU_ASSERT_EQUAL(evtchn_op_unmask(d, 63), 0);
    CU_ASSERT_EQUAL(evtchn_op_unmask(d, 64), -XEN_EINVAL);
    CU_ASSERT_EQUAL(evtchn_op_reset(v, 0), -XEN_EPERM);
    CU_ASSERT_EQUAL(evtchn_op_reset(v, 9), -XEN_ESRCH);
    CU_ASSERT_EQUAL(evtchn_op_reset(v, DOMID_SELF), 0);
    CU_ASSERT_EQUAL(evtchn_op_close(d, 1), -XEN_EINVAL);
    teardown();
}

static void check_limit(bool is64, unsigned max_port, unsigned expect)
{
    long p, last = 0;

    setup(is64);
    evtchn_destroy(d);
    CU_ASSERT_FATAL(evtchn_init(d, max_port) == 0);
    while ((p = evtchn_op_bind_ipi(v, 0)) > 0)
        last = p;
    CU_ASSERT_EQUAL(p, -XEN_ENOSPC);
    CU_ASSERT_EQUAL(last, (long)expect - 1);
    teardown();
}

static void test_port_limits(void)
{
    check_limit(true, EVTCHN_DEFAULT_MAX_PORT, 1024);  /* libxl's default */
    check_limit(true, 100000, 4096);                   /* 2-level: 64^2 */
    check_limit(false, 100000, 1024);                  /* 2-level: 32^2 */
}

static void test_loopback(void)
{
    long a, b;

    setup(true);
    a = evtchn_op_alloc_unbound(v, DOMID_SELF, DOMID_SELF);
    b = evtchn_op_bind_interdomain(v, DOMID_SELF, (uint32_t)a);
    CU_ASSERT_EQUAL(b, a + 1);
    CU_ASSERT(evtchn_is_pending(d, (unsigned)b));   /* lost-wakeup guard */
    CU_ASSERT_EQUAL(evtchn_send(d, (unsigned)b), 0);
    CU_ASSERT(evtchn_is_pending(d, (unsigned)a));
    CU_ASSERT_EQUAL(evtchn_op_close(d, (uint32_t)a), 0);
    CU_ASSERT_EQUAL(d->evtchn.port[b].state, ECS_UNBOUND);
    CU_ASSERT_EQUAL(d->evtchn.port[b].remote_dom, d->domid);
    teardown();
}

static int be_events[3];

static void backend_fn(void *opaque, enum evtchn_backend_event ev)
{
    (void)opaque;
    be_events[ev]++;
}

static void test_backend(void)
{
    long p;
    int cookie;

    setup(true);
    p = evtchn_alloc_unbound(d, 0);
    CU_ASSERT_EQUAL(evtchn_bind_backend(d, (unsigned)p, backend_fn, &cookie),
                    0);
    CU_ASSERT_EQUAL(evtchn_send(d, (unsigned)p), 0);
    CU_ASSERT_EQUAL(be_events[EVTCHN_BACKEND_NOTIFY], 1);
    evtchn_backend_notify(d, &cookie);
    CU_ASSERT(evtchn_is_pending(d, (unsigned)p));
    CU_ASSERT_EQUAL(evtchn_op_close(d, (uint32_t)p), 0);
    CU_ASSERT_EQUAL(be_events[EVTCHN_BACKEND_CLOSE], 1);
    /* The backend's notifications no longer reach the freed port. */
    p = evtchn_op_bind_ipi(v, 0);
    evtchn_backend_notify(d, &cookie);
    CU_ASSERT(!evtchn_is_pending(d, (unsigned)p));
    /* Bind again to dom0's port 1. */
    p = evtchn_op_bind_interdomain(v, 0, 1);
    CU_ASSERT(p > 0);
    CU_ASSERT_EQUAL(be_events[EVTCHN_BACKEND_CONNECT], 1);
    CU_ASSERT_EQUAL(evtchn_op_bind_interdomain(v, 0, 1), -XEN_EINVAL);
    teardown();
}

static void test_poll_wakeup(void)
{
    long a, b;

    setup(true);
    a = evtchn_op_bind_ipi(v, 0);
    b = evtchn_op_bind_ipi(v, 0);
    vcpu_info_store8(v, VI_UPCALL_MASK, 1);
    v->blocked = v->polling = true;
    v->poll_evtchn = (int)a;
    set_mask((unsigned)b, true);            /* no upcall edge: only polls */
    evtchn_send(d, (unsigned)b);            /* not the polled port */
    CU_ASSERT(v->blocked);
    evtchn_send(d, (unsigned)a);
    CU_ASSERT(!v->blocked && !v->polling);
    /* Polling several ports: any event wakes. */
    v->blocked = v->polling = true;
    v->poll_evtchn = -1;
    evtchn_op_close(d, (uint32_t)b);
    b = evtchn_op_bind_ipi(v, 0);
    evtchn_send(d, (unsigned)b);
    CU_ASSERT(!v->blocked);
    teardown();
}


/* ---- interdomain channels between two domains ------------------------------ */

static struct domain *d2;

static void setup2(void)
{
    setup(true);
    d2 = domain_create(&x, 2, "peer", false, 1);
    CU_ASSERT_FATAL(d2 != NULL);
    CU_ASSERT_FATAL(vcpu_create(d2, 0) == 0);
}

static void teardown2(void)
{
    domain_destroy(d2);
    teardown();
}

static bool pending_in(struct domain *t, unsigned port)
{
    return evtchn_is_pending(t, port);
}

static void test_interdomain(void)
{
    struct vcpu *v2;
    long pa, pb;

    setup2();
    v2 = d2->vcpu[0];
    /* Domain 1 offers a port to domain 2. */
    CU_ASSERT_EQUAL(evtchn_op_alloc_unbound(v, 2, 2), -XEN_EPERM);
    CU_ASSERT_EQUAL(evtchn_op_alloc_unbound(v, 9, 2), -XEN_ESRCH);
    pa = evtchn_op_alloc_unbound(v, DOMID_SELF, 2);
    CU_ASSERT_EQUAL(pa, 1);
    CU_ASSERT_EQUAL(d->evtchn.port[pa].state, ECS_UNBOUND);
    CU_ASSERT_EQUAL(d->evtchn.port[pa].remote_dom, 2);
    /* Domain 1 cannot bind its own offer; nobody can bind a bad port. */
    CU_ASSERT_EQUAL(evtchn_op_bind_interdomain(v, DOMID_SELF, (uint32_t)pa),
                    -XEN_EINVAL);
    CU_ASSERT_EQUAL(evtchn_op_bind_interdomain(v2, 9, 1), -XEN_ESRCH);
    CU_ASSERT_EQUAL(evtchn_op_bind_interdomain(v2, 1, 0), -XEN_EINVAL);
    CU_ASSERT_EQUAL(evtchn_op_bind_interdomain(v2, 1, 64), -XEN_EINVAL);
    CU_ASSERT_EQUAL(evtchn_op_bind_interdomain(v2, 1, 5), -XEN_EINVAL);
    pb = evtchn_op_bind_interdomain(v2, 1, (uint32_t)pa);
    CU_ASSERT_EQUAL(pb, 1);
    CU_ASSERT(pending_in(d2, (unsigned)pb));     /* lost-wakeup guard */
    CU_ASSERT_EQUAL(d->evtchn.port[pa].state, ECS_INTERDOMAIN);
    CU_ASSERT_EQUAL(d->evtchn.port[pa].remote_dom, 2);
    CU_ASSERT_EQUAL(d->evtchn.port[pa].remote_port, (uint32_t)pb);
    CU_ASSERT_EQUAL(d2->evtchn.port[pb].remote_dom, 1);
    CU_ASSERT_EQUAL(d2->evtchn.port[pb].remote_port, (uint32_t)pa);
    /* Bound now: a second bind fails. */
    CU_ASSERT_EQUAL(evtchn_op_bind_interdomain(v2, 1, (uint32_t)pa),
                    -XEN_EINVAL);
    /* Sends cross in both directions, to the notified vCPU. */
    CU_ASSERT_EQUAL(evtchn_send(d2, (unsigned)pb), 0);
    CU_ASSERT(pending_in(d, (unsigned)pa));
    CU_ASSERT_EQUAL(sel(v), 1);
    CU_ASSERT_EQUAL(evtchn_op_bind_vcpu(d, (uint32_t)pa, 1), 0);
    clear_upcall(v);
    maddr_store(&x, sh() + d->abi->sh_evtchn_pending, 8, 0);
    CU_ASSERT_EQUAL(evtchn_send(d2, (unsigned)pb), 0);
    CU_ASSERT_EQUAL(sel(d->vcpu[1]), 1);
    CU_ASSERT_EQUAL(sel(v), 0);
    /* Closing one end leaves the other unbound, offered to the closer;
     * sends on it are dropped, and it can be bound again. */
    CU_ASSERT_EQUAL(evtchn_op_close(d2, (uint32_t)pb), 0);
    CU_ASSERT_EQUAL(d->evtchn.port[pa].state, ECS_UNBOUND);
    CU_ASSERT_EQUAL(d->evtchn.port[pa].remote_dom, 2);
    CU_ASSERT_EQUAL(evtchn_send(d, (unsigned)pa), 0);
    CU_ASSERT(!pending_in(d2, (unsigned)pb));
    pb = evtchn_op_bind_interdomain(v2, 1, (uint32_t)pa);
    CU_ASSERT_EQUAL(pb, 1);
    CU_ASSERT_EQUAL(evtchn_op_close(d, (uint32_t)pa), 0);
    CU_ASSERT_EQUAL(d2->evtchn.port[pb].state, ECS_UNBOUND);
    CU_ASSERT_EQUAL(d2->evtchn.port[pb].remote_dom, 1);
    teardown2();
}

static void test_interdomain_destroy(void)
{
    long pa, pb;

    setup2();
    pa = evtchn_op_alloc_unbound(d2->vcpu[0], DOMID_SELF, 1);
    pb = evtchn_op_bind_interdomain(v, 2, (uint32_t)pa);
    CU_ASSERT_EQUAL(pb, 1);
    CU_ASSERT_EQUAL(d2->evtchn.port[pa].state, ECS_INTERDOMAIN);
    /* The other domain goes away: our end is unbound again. */
    domain_destroy(d2);
    d2 = NULL;
    CU_ASSERT_EQUAL(d->evtchn.port[pb].state, ECS_UNBOUND);
    CU_ASSERT_EQUAL(d->evtchn.port[pb].remote_dom, 2);
    CU_ASSERT_EQUAL(evtchn_send(d, (unsigned)pb), 0);
    teardown();
}

UNIT_SUITE(evtchn)
{
    CU_pSuite s = CU_add_suite("evtchn", NULL, NULL);
    UNIT_TEST(s, test_bits_64);
    UNIT_TEST(s, test_bits_32);
    UNIT_TEST(s, test_mask_and_unmask);
    UNIT_TEST(s, test_selector_already_set);
    UNIT_TEST(s, test_virq_binding);
    UNIT_TEST(s, test_errors);
    UNIT_TEST(s, test_port_limits);
    UNIT_TEST(s, test_loopback);
    UNIT_TEST(s, test_backend);
    UNIT_TEST(s, test_poll_wakeup);
    UNIT_TEST(s, test_interdomain);
    UNIT_TEST(s, test_interdomain_destroy);
}
