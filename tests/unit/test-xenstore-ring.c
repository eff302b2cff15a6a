/*
 * The XenStore ring of a real xenplat domain (xenplat/xenstore/ring.c):
 * the guest side is played here by writing the page with the
 * little-endian accessors and sending on the store port, as a guest's
 * xenbus does.  Checks the feature bits, requests and replies with their
 * indexes and notifications, wrap-around of the 1024-byte rings and of
 * the 32-bit indexes, a full response ring, bad indexes (error 2), an
 * oversized message (error 3) and ring reconnection.
 */
#include <string.h>
#include "xenemu/le.h"
#include "xenplat/guest.h"
#include "xenplat/xenstore/ring.h"
#include "xenplat/xenstore/toolstack.h"
#include "unit.h"

static struct xen x;
static struct domain *d;
static struct xs_store *s;
static struct xs_ring ring;
static uint64_t page;

static uint32_t rd(unsigned off)
{
    return (uint32_t)maddr_load(&x, page + off, 4);
}

static void wr(unsigned off, uint32_t v)
{
    maddr_store(&x, page + off, 4, v);
}

static void setup(void)
{
    struct xs_guest g = { .domid = 1, .name = "ring", .vcpus = 1,
                          .kernel = "k" };
    long port;

    CU_ASSERT_FATAL(xen_init(&x, 1024) == 0);
    d = domain_create(&x, 1, "ring", true, 1);
    CU_ASSERT_FATAL(d && vcpu_create(d, 0) == 0);
    d->store_mfn = frame_alloc(&x, d->domid);
    page = d->store_mfn << PAGE_SHIFT;
    memset(mfn_ptr(&x, d->store_mfn), 0, PAGE_SIZE);
    port = evtchn_alloc_unbound(d, 0);
    CU_ASSERT_FATAL(port > 0);
    d->store_port = (uint32_t)port;
    s = xs_store_new();
    CU_ASSERT_FATAL(s && xs_toolstack_dom0(s) == 0);
    g.store_mfn = d->store_mfn;
    g.store_port = d->store_port;
    CU_ASSERT_FATAL(xs_toolstack_domain(s, &g) == 0);
    CU_ASSERT_FATAL(xs_ring_attach(&ring, s, d) == 0);
}

static void teardown(void)
{
    char why[128];

    CU_ASSERT_EQUAL(xs_check(s, why, sizeof(why)), 0);
    xs_store_free(s);
    domain_destroy(d);
    xen_destroy(&x);
}

/* The guest puts bytes into the request ring (no notification). */
static void put(const void *buf, uint32_t n)
{
    uint32_t prod = rd(XS_RING_REQ_PROD), i;

    for (i = 0; i < n; i++)
        maddr_store(&x, page + XS_RING_REQ + ((prod + i) & 1023), 1,
                    ((const uint8_t *)buf)[i]);
    wr(XS_RING_REQ_PROD, prod + n);
}

static void request(uint32_t type, uint32_t req_id, const void *data,
                    uint32_t len)
{
    uint8_t h[XS_HDR_SIZE];
    struct xs_hdr hdr = { type, req_id, 0, len };

    xs_hdr_encode(h, &hdr);
    put(h, XS_HDR_SIZE);
    put(data, len);
}

static void notify(void)
{
    CU_ASSERT_EQUAL(evtchn_send(d, d->store_port), 0);
}

static uint32_t avail(void)
{
    return rd(XS_RING_RSP_PROD) - rd(XS_RING_RSP_CONS);
}

/* The guest takes n bytes of responses. */
static void take(void *buf, uint32_t n)
{
    uint32_t cons = rd(XS_RING_RSP_CONS), i;

    for (i = 0; i < n; i++)
        ((uint8_t *)buf)[i] = (uint8_t)maddr_load(&x, page + XS_RING_RSP +
                                                  ((cons + i) & 1023), 1);
    wr(XS_RING_RSP_CONS, cons + n);
}

/* The next message; false if there is none whole. */
static bool message(struct xs_hdr *h, char *data)
{
    uint8_t raw[XS_HDR_SIZE];
    uint32_t cons = rd(XS_RING_RSP_CONS);

    if (avail() < XS_HDR_SIZE)
        return false;
    take(raw, XS_HDR_SIZE);
    xs_hdr_decode(raw, h);
    if (avail() < h->len) {
        wr(XS_RING_RSP_CONS, cons);
        return false;
    }
    take(data, h->len);
    data[h->len] = 0;
    return true;
}

static bool pending(void)
{
    bool p = evtchn_is_pending(d, d->store_port);
    uint64_t sh = d->shared_info_mfn << PAGE_SHIFT;
    uint64_t a = sh + d->abi->sh_evtchn_pending;

    maddr_store(&x, a, 8, 0);          /* the guest clears it */
    return p;
}

static void test_ring_basics(void)
{
    struct xs_hdr h;
    char data[XS_PAYLOAD_MAX + 1];

    setup();
    CU_ASSERT_EQUAL(rd(XS_RING_SERVER_FEATURES),
                    XS_FEATURE_RECONNECTION | XS_FEATURE_ERROR);
    CU_ASSERT_EQUAL(rd(XS_RING_CONNECTION), XS_CONNECTED);
    CU_ASSERT_EQUAL(d->evtchn.port[d->store_port].state, ECS_INTERDOMAIN);
    request(XS_READ, 5, "domid", 6);
    CU_ASSERT_FALSE(message(&h, data));          /* not yet notified */
    notify();
    CU_ASSERT(pending());
    CU_ASSERT_EQUAL(rd(XS_RING_REQ_CONS), rd(XS_RING_REQ_PROD));
    CU_ASSERT_EQUAL(avail(), XS_HDR_SIZE + 1);
    CU_ASSERT(message(&h, data));
    CU_ASSERT(h.type == XS_READ && h.req_id == 5 && h.len == 1 &&
              data[0] == '1');
    request(XS_GET_DOMAIN_PATH, 6, "1", 2);
    notify();
    CU_ASSERT(message(&h, data) && strcmp(data, "/local/domain/1") == 0);
    teardown();
}

static void test_ring_wrap(void)
{
    struct xs_hdr h;
    char data[XS_PAYLOAD_MAX + 1], value[300];
    unsigned i;

    setup();
    /* Indexes about to wrap at 2^32, ring offsets near the end. */
    wr(XS_RING_REQ_CONS, 0xfffffff9u);
    wr(XS_RING_REQ_PROD, 0xfffffff9u);
    wr(XS_RING_RSP_CONS, 0xfffffffcu);
    wr(XS_RING_RSP_PROD, 0xfffffffcu);
    request(XS_READ, 1, "domid", 6);
    notify();
    CU_ASSERT_EQUAL(rd(XS_RING_REQ_CONS), 0xfffffff9u + 22);
    CU_ASSERT(message(&h, data) && h.req_id == 1 && data[0] == '1');
    /* A message longer than what is left of the ring, several times
     * round. */
    memset(value, 'w', sizeof(value));
    for (i = 0; i < 8; i++) {
        char req[16 + sizeof(value)];
        memcpy(req, "data/w", 7);
        memcpy(req + 7, value, sizeof(value));
        request(XS_WRITE, 10 + i, req, 7 + sizeof(value));
        notify();
        CU_ASSERT(message(&h, data) && h.req_id == 10 + i &&
                  strcmp(data, "OK") == 0);
        request(XS_READ, 20 + i, "data/w", 7);
        notify();
        CU_ASSERT(message(&h, data) && h.len == sizeof(value) &&
                  memcmp(data, value, sizeof(value)) == 0);
    }
    teardown();
}

static void test_ring_full(void)
{
    struct xs_hdr h;
    char data[XS_PAYLOAD_MAX + 1], big[1000], chunk[500];
    uint32_t total = 0;
    unsigned i;

    setup();
    memset(big, 'b', sizeof(big));
    memcpy(big, "data/b", 7);
    request(XS_WRITE, 1, big, sizeof(big));
    notify();
    CU_ASSERT(message(&h, data));                /* 16 + "OK" */
    /* Three replies of 16 + 993 bytes: the ring fills, the rest waits
     * until the guest takes some and notifies. */
    for (i = 0; i < 3; i++)
        request(XS_READ, 2 + i, "data/b", 7);
    notify();
    CU_ASSERT_EQUAL(avail(), XS_RING_SIZE);
    while (total < 3 * 1009) {
        uint32_t n = avail() < sizeof(chunk) ? avail() : sizeof(chunk);
        CU_ASSERT_FATAL(n > 0);
        take(chunk, n);
        total += n;
        notify();
    }
    CU_ASSERT_EQUAL(avail(), 0);
    CU_ASSERT_EQUAL(rd(XS_RING_RSP_PROD), 19 + 3 * 1009);
    teardown();
}

static void test_ring_errors(void)
{
    struct xs_hdr h;
    char data[XS_PAYLOAD_MAX + 1];
    uint8_t hdr[XS_HDR_SIZE];
    struct xs_hdr big = { XS_WRITE, 1, 0, XS_PAYLOAD_MAX + 1 };

    setup();
    /* A producer more than a ring ahead. */
    wr(XS_RING_REQ_PROD, rd(XS_RING_REQ_CONS) + XS_RING_SIZE + 1);
    notify();
    CU_ASSERT_EQUAL(rd(XS_RING_ERROR), XS_CONN_ERR_RINGIDX);
    /* Reconnection: the guest asks, the server empties and says so. */
    wr(XS_RING_CONNECTION, XS_RECONNECT);
    pending();
    notify();
    CU_ASSERT_EQUAL(rd(XS_RING_CONNECTION), XS_CONNECTED);
    CU_ASSERT_EQUAL(rd(XS_RING_ERROR), XS_CONN_ERR_NONE);
    CU_ASSERT_EQUAL(rd(XS_RING_REQ_PROD), 0);
    CU_ASSERT_EQUAL(rd(XS_RING_RSP_CONS), 0);
    CU_ASSERT(pending());
    request(XS_READ, 2, "domid", 6);
    notify();
    CU_ASSERT(message(&h, data) && h.req_id == 2);
    /* An oversized message. */
    xs_hdr_encode(hdr, &big);
    put(hdr, XS_HDR_SIZE);
    notify();
    CU_ASSERT_EQUAL(rd(XS_RING_ERROR), XS_CONN_ERR_PROTO);
    request(XS_READ, 3, "domid", 6);
    notify();
    CU_ASSERT_FALSE(message(&h, data));
    teardown();
}

static void test_ring_watch(void)
{
    struct xs_hdr h;
    char data[XS_PAYLOAD_MAX + 1];

    setup();
    request(XS_WATCH, 1, "control/shutdown\0x", 19);
    notify();
    CU_ASSERT(message(&h, data) && h.type == XS_WATCH);
    CU_ASSERT(message(&h, data) && h.type == XS_WATCH_EVENT);
    pending();
    /* The toolstack asks for a shutdown: the event reaches the ring. */
    CU_ASSERT_EQUAL(xs_toolstack_shutdown(s, 1, "poweroff"), 0);
    CU_ASSERT(pending());
    CU_ASSERT(message(&h, data) && h.type == XS_WATCH_EVENT &&
              strcmp(data, "control/shutdown") == 0 &&
              strcmp(data + 17, "x") == 0);
    teardown();
}

UNIT_SUITE(xenstore_ring)
{
    CU_pSuite s = CU_add_suite("xenstore_ring", NULL, NULL);
    UNIT_TEST(s, test_ring_basics);
    UNIT_TEST(s, test_ring_wrap);
    UNIT_TEST(s, test_ring_full);
    UNIT_TEST(s, test_ring_errors);
    UNIT_TEST(s, test_ring_watch);
}
