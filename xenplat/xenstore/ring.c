/*
 * The ring transport (see ring.h; xenstored's domain.c readchn/writechn):
 * indexes are read once per access and checked (a producer more than a
 * ring ahead of its consumer is an error: XENSTORE_ERROR_RINGIDX); data
 * is copied up to the end of the ring, the rest on the next call; every
 * move of an index notifies the guest.  The server advertises ring
 * reconnection and the error field: a guest that sets connection to
 * XENSTORE_RECONNECT and notifies gets an empty ring, no watches and no
 * transactions, and connection back at XENSTORE_CONNECTED.
 */
#include "xenplat/guest.h"
#include "xenplat/xenstore/ring.h"

static uint32_t ld(const struct xs_ring *r, unsigned off)
{
    return (uint32_t)maddr_load(r->d->x, r->page + off, 4);
}

static void st(const struct xs_ring *r, unsigned off, uint32_t v)
{
    maddr_store(r->d->x, r->page + off, 4, v);
}

/* Bytes that can be taken from a ring in one go, -1 if its indexes are
 * inconsistent. */
static int chunk(uint32_t cons, uint32_t prod, bool producing)
{
    uint32_t used = prod - cons, idx = producing ? prod : cons;
    uint32_t n = XS_RING_SIZE - (idx & (XS_RING_SIZE - 1));
    uint32_t avail = producing ? XS_RING_SIZE - used : used;

    if (used > XS_RING_SIZE)
        return -1;
    return (int)(avail < n ? avail : n);
}

static int ring_read(void *opaque, uint8_t *buf, unsigned n)
{
    struct xs_ring *r = opaque;
    uint32_t cons = ld(r, XS_RING_REQ_CONS), prod = ld(r, XS_RING_REQ_PROD);
    int avail = chunk(cons, prod, false);
    unsigned i;

    if (avail < 0)
        return -1;
    if (n > (unsigned)avail)
        n = (unsigned)avail;
    for (i = 0; i < n; i++)
        buf[i] = (uint8_t)maddr_load(r->d->x, r->page + XS_RING_REQ +
                                     ((cons + i) & (XS_RING_SIZE - 1)), 1);
    if (n) {
        st(r, XS_RING_REQ_CONS, cons + n);
        evtchn_backend_notify(r->d, r);
    }
    return (int)n;
}

static int ring_write(void *opaque, const uint8_t *buf, unsigned n)
{
    struct xs_ring *r = opaque;
    uint32_t cons = ld(r, XS_RING_RSP_CONS), prod = ld(r, XS_RING_RSP_PROD);
    int room = chunk(cons, prod, true);
    unsigned i;

    if (room < 0)
        return -1;
    if (n > (unsigned)room)
        n = (unsigned)room;
    for (i = 0; i < n; i++)
        maddr_store(r->d->x, r->page + XS_RING_RSP +
                    ((prod + i) & (XS_RING_SIZE - 1)), 1, buf[i]);
    if (n) {
        st(r, XS_RING_RSP_PROD, prod + n);
        evtchn_backend_notify(r->d, r);
    }
    return (int)n;
}

static bool ring_can_read(void *opaque)
{
    struct xs_ring *r = opaque;

    return ld(r, XS_RING_REQ_CONS) != ld(r, XS_RING_REQ_PROD);
}

static bool ring_can_write(void *opaque)
{
    struct xs_ring *r = opaque;

    return ld(r, XS_RING_RSP_PROD) - ld(r, XS_RING_RSP_CONS) != XS_RING_SIZE;
}

static void ring_error(void *opaque, unsigned err)
{
    st(opaque, XS_RING_ERROR, err);
}

static void ring_reset(void *opaque)
{
    struct xs_ring *r = opaque;

    st(r, XS_RING_REQ_CONS, 0);
    st(r, XS_RING_REQ_PROD, 0);
    st(r, XS_RING_RSP_CONS, 0);
    st(r, XS_RING_RSP_PROD, 0);
    st(r, XS_RING_ERROR, XS_CONN_ERR_NONE);
    st(r, XS_RING_CONNECTION, XS_CONNECTED);
    evtchn_backend_notify(r->d, r);
}

static const struct xs_transport ring_transport = {
    .read = ring_read, .write = ring_write,
    .can_read = ring_can_read, .can_write = ring_can_write,
    .error = ring_error, .reset = ring_reset,
};

static void ring_event(void *opaque, enum evtchn_backend_event ev)
{
    struct xs_ring *r = opaque;

    if (ev == EVTCHN_BACKEND_CLOSE)
        return;
    if (ld(r, XS_RING_CONNECTION) == XS_RECONNECT)
        xs_conn_reset(r->conn);
    xs_store_service(r->s);
}

int xs_ring_attach(struct xs_ring *r, struct xs_store *s, struct domain *d)
{
    r->s = s;
    r->d = d;
    r->page = d->store_mfn << PAGE_SHIFT;
    st(r, XS_RING_SERVER_FEATURES, XS_FEATURE_RECONNECTION | XS_FEATURE_ERROR);
    if (!(r->conn = xs_domain_introduce(s, d->domid, &ring_transport, r)))
        return -1;
    return evtchn_bind_backend(d, d->store_port, ring_event, r) ? -1 : 0;
}
