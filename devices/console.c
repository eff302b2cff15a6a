/* The PV console backend (see console.h). */
#include <string.h>
#include "devices/console.h"
#include "xenplat/guest.h"

#define RING_IN       0
#define RING_IN_SIZE  1024
#define RING_OUT      1024
#define RING_OUT_SIZE 2048
#define RING_IN_CONS  3072
#define RING_IN_PROD  3076
#define RING_OUT_CONS 3080
#define RING_OUT_PROD 3084

static uint32_t ring_load32(struct pv_console *con, unsigned off)
{
    return (uint32_t)maddr_load(con->d->x, con->ring + off, 4);
}

static void ring_store32(struct pv_console *con, unsigned off, uint32_t v)
{
    maddr_store(con->d->x, con->ring + off, 4, v);
}

void pv_console_drain(struct pv_console *con)
{
    struct xen *x = con->d->x;
    uint32_t cons = ring_load32(con, RING_OUT_CONS);
    uint32_t prod = ring_load32(con, RING_OUT_PROD);
    uint32_t n = prod - cons;

    if (n == 0)
        return;
    if (n > RING_OUT_SIZE)          /* a confused guest: take one ring */
        cons = prod - RING_OUT_SIZE;
    for (; cons != prod; cons++) {
        uint8_t ch = (uint8_t)maddr_load(x, con->ring + RING_OUT +
                                         (cons & (RING_OUT_SIZE - 1)), 1);
        if (con->prefix[0] && !con->midline)
            fputs(con->prefix, con->out);
        con->midline = ch != '\n';
        fputc(ch, con->out);
        con->bytes_out++;
    }
    fflush(con->out);
    ring_store32(con, RING_OUT_CONS, prod);
    evtchn_backend_notify(con->d, con);        /* room again */
}

/* Move queued input into the ring's free space; true if any moved. */
static bool push_input(struct pv_console *con)
{
    uint32_t cons = ring_load32(con, RING_IN_CONS);
    uint32_t prod = ring_load32(con, RING_IN_PROD);
    uint32_t room = prod - cons > RING_IN_SIZE ? 0
                                               : RING_IN_SIZE - (prod - cons);
    size_t n = con->queued < room ? con->queued : room, i;

    if (!con->connected || n == 0)
        return false;
    for (i = 0; i < n; i++)
        maddr_store(con->d->x, con->ring + RING_IN +
                    ((prod + i) & (RING_IN_SIZE - 1)), 1, con->queue[i]);
    ring_store32(con, RING_IN_PROD, prod + (uint32_t)n);
    memmove(con->queue, con->queue + n, con->queued - n);
    con->queued -= n;
    con->bytes_in += n;
    return true;
}

size_t pv_console_input(struct pv_console *con, const uint8_t *buf, size_t n)
{
    size_t room = sizeof(con->queue) - con->queued;
    size_t take = n < room ? n : room;

    memcpy(con->queue + con->queued, buf, take);
    con->queued += take;
    if (push_input(con))
        evtchn_backend_notify(con->d, con);
    return n - take;
}

static void console_event(void *opaque, enum evtchn_backend_event ev)
{
    struct pv_console *con = opaque;

    switch (ev) {
    case EVTCHN_BACKEND_NOTIFY:
        pv_console_drain(con);
        if (push_input(con))
            evtchn_backend_notify(con->d, con);
        break;
    case EVTCHN_BACKEND_CONNECT:
        con->connected = true;
        break;
    case EVTCHN_BACKEND_CLOSE:
        con->connected = false;
        break;
    }
}

int pv_console_attach(struct pv_console *con, struct domain *d, FILE *out)
{
    con->d = d;
    con->ring = d->console_mfn << PAGE_SHIFT;
    con->out = out;
    con->connected = true;
    return evtchn_bind_backend(d, d->console_port, console_event, con) ? -1
                                                                       : 0;
}
