/*
 * The XenStore ring of a domain (xen/include/public/io/xs_wire.h,
 * docs/misc/xenstore-ring.txt): the store's transport over the page the
 * builder gave the guest (start_info store_mfn) and its event channel
 * (store_evtchn), served as dom0 through xenplat's backend ports, as
 * devices/console.c serves the console.
 */
#ifndef XENEMU_XENSTORE_RING_H
#define XENEMU_XENSTORE_RING_H

#include "xenplat/domain.h"
#include "xenplat/xenstore/xenstore.h"

/* struct xenstore_domain_interface */
#define XS_RING_REQ              0
#define XS_RING_RSP              1024
#define XS_RING_REQ_CONS         2048
#define XS_RING_REQ_PROD         2052
#define XS_RING_RSP_CONS         2056
#define XS_RING_RSP_PROD         2060
#define XS_RING_SERVER_FEATURES  2064
#define XS_RING_CONNECTION       2068
#define XS_RING_ERROR            2072
#define XS_RING_SIZE             1024

#define XS_FEATURE_RECONNECTION  1u
#define XS_FEATURE_ERROR         2u
#define XS_CONNECTED             0u
#define XS_RECONNECT             1u

struct xs_ring {
    struct xs_store *s;
    struct domain *d;
    uint64_t page;                    /* machine address of the ring page */
    struct xs_conn *conn;
};

/* Introduce d to the store through its ring and bind its store port:
 * 0, or -1 (out of memory, or the port is not an unbound one for dom0). */
int xs_ring_attach(struct xs_ring *r, struct xs_store *s, struct domain *d);

#endif
