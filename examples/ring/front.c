/*
 * The ring example's frontend (domain 1): grants a page to the backend,
 * offers an unbound event channel through it, then makes RING_TRIPS
 * request/response round trips and prints their checksum.
 */
#include "pvlib.h"
#include "ring.h"

#define GTF_permit_access 1

struct grant_entry {
    uint16_t flags, domid;
    uint32_t frame;
};

static volatile struct ring_page ring __attribute__((aligned(4096)));
static volatile struct grant_entry gtab[512] __attribute__((aligned(4096)));

/* Our grant table's first frame (GNTTABOP_setup_table), mapped. */
static long map_grant_table(void)
{
    unsigned long frame = 0;
    struct { uint16_t dom; uint32_t nr; int16_t status;
             unsigned long *list; } op = { DOMID_SELF, 1, 99, &frame };
    long r = HYPERCALL(HC_grant_table_op, 2 /* setup_table */, &op, 1);

    if (r || op.status)
        return r ? r : op.status;
    return map_va(gtab, frame);
}

static long offer_port(void)
{
    struct { uint16_t dom, remote; uint32_t port; } op = {
        DOMID_SELF, BACK_DOMID, 0,
    };
    long r = evtchn_op(EVTCHNOP_alloc_unbound, &op);

    return r ? r : (long)op.port;
}

int main(void)
{
    uint32_t checksum = 0;
    long port;
    unsigned i;

    pvlib_init();
    if (map_grant_table() || (port = offer_port()) < 0) {
        printf("ring: cannot set up the grant table or the port\n");
        return 1;
    }
    ring.front_port = (uint32_t)port;
    gtab[RING_REF].domid = BACK_DOMID;
    gtab[RING_REF].frame = (uint32_t)mfn_of(&ring);
    barrier();
    gtab[RING_REF].flags = GTF_permit_access;
    barrier();
    ring.magic = RING_MAGIC;
    while (!ring.connected)
        yield();
    for (i = 1; i <= RING_TRIPS + 1; i++) {
        unsigned slot = ring.req_prod % RING_SLOTS;
        /* The last request (value 0) asks the backend to finish. */
        ring.req[slot].id = i;
        ring.req[slot].value = i <= RING_TRIPS ? i * 40503u + 17 : 0;
        barrier();
        ring.req_prod++;
        notify((unsigned)port);
        while (ring.rsp_prod != ring.req_prod)
            wait_event((unsigned)port);
        if (i <= RING_TRIPS)
            checksum = checksum * 31 + ring.rsp[slot].value;
    }
    printf("ring: %u round trips, checksum %08x\n", RING_TRIPS, checksum);
    return 0;
}
