/*
 * The ring example's backend (domain 2): maps the frontend's granted
 * page (map_grant_ref), binds the frontend's port (bind_interdomain) and
 * answers requests until the last one (value 0).
 */
#include "pvlib.h"
#include "ring.h"

#define GNTMAP_host_map 2

static volatile uint8_t ring_va[4096] __attribute__((aligned(4096)));

/* map_grant_ref of the frontend's ring: 0 once mapped, else the status
 * (the frontend has not granted it yet). */
static int map_ring(void)
{
    struct { uint64_t host_addr; uint32_t flags, ref; uint16_t dom;
             int16_t status; uint32_t handle; uint64_t bus; } op = {
        (unsigned long)ring_va, GNTMAP_host_map, RING_REF, FRONT_DOMID,
        99, 0, 0,
    };
    long r = HYPERCALL(HC_grant_table_op, 0 /* map_grant_ref */, &op, 1);

    return r ? (int)r : op.status;
}

int main(void)
{
    volatile struct ring_page *ring = (volatile struct ring_page *)ring_va;
    struct { uint32_t remote_dom, remote_port, local_port; } bind;
    unsigned served = 0;
    int done = 0;

    pvlib_init();
    while (map_ring() != 0)
        yield();
    while (ring->magic != RING_MAGIC)
        yield();
    bind.remote_dom = FRONT_DOMID;
    bind.remote_port = ring->front_port;
    if (evtchn_op(EVTCHNOP_bind_interdomain, &bind)) {
        printf("ring backend: bind_interdomain failed\n");
        return 1;
    }
    ring->connected = 1;
    while (!done) {
        wait_event(bind.local_port);
        while (ring->req_cons != ring->req_prod) {
            unsigned slot = ring->req_cons % RING_SLOTS;
            uint32_t id = ring->req[slot].id, value = ring->req[slot].value;
            ring->rsp[slot].id = id;
            ring->rsp[slot].value = ring_serve(id, value);
            done = value == 0;
            served += !done;
            barrier();
            ring->req_cons++;
            ring->rsp_prod++;
        }
        notify(bind.local_port);
    }
    printf("ring backend: %u requests served\n", served);
    return 0;
}
