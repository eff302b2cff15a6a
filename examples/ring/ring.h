/*
 * The shared ring of the ring example: one page the frontend grants to
 * the backend.  The header says how to connect (the frontend's unbound
 * port, then the backend's "connected"); requests and responses travel
 * in slots, each side moving its producer index and notifying the other.
 */
#ifndef EXAMPLES_RING_H
#define EXAMPLES_RING_H

#include <stdint.h>

#define RING_MAGIC 0x676e6972u     /* "ring" */
#define RING_REF 8                 /* the grant reference (0-7: toolstack) */
#define RING_SLOTS 32
#define RING_TRIPS 100
#define FRONT_DOMID 1
#define BACK_DOMID 2

struct ring_slot {
    uint32_t id, value;
};

struct ring_page {
    uint32_t magic;                /* set last by the frontend */
    uint32_t front_port;           /* unbound, for BACK_DOMID */
    uint32_t connected;            /* set by the backend once bound */
    uint32_t req_prod, req_cons, rsp_prod;
    struct ring_slot req[RING_SLOTS], rsp[RING_SLOTS];
};

/* What the backend computes from a request. */
static inline uint32_t ring_serve(uint32_t id, uint32_t value)
{
    return (value ^ (value >> 7)) * 2654435761u + id;
}

#endif
