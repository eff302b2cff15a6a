/* The PV console backend (see console.h). */
#include "devices/console.h"
#include "xenplat/guest.h"

#define RING_OUT      1024
#define RING_OUT_SIZE 2048
#define RING_OUT_CONS 3080
#define RING_OUT_PROD 3084

void pv_console_drain(struct pv_console *con)
{
    struct xen *x = con->d->x;
    uint32_t cons = (uint32_t)maddr_load(x, con->ring + RING_OUT_CONS, 4);
    uint32_t prod = (uint32_t)maddr_load(x, con->ring + RING_OUT_PROD, 4);
    uint32_t n = prod - cons;

    if (n == 0)
        return;
    if (n > RING_OUT_SIZE)          /* a confused guest: take one ring */
        cons = prod - RING_OUT_SIZE;
    for (; cons != prod; cons++) {
        uint8_t ch = (uint8_t)maddr_load(x, con->ring + RING_OUT +
                                         (cons & (RING_OUT_SIZE - 1)), 1);
        fputc(ch, con->out);
        con->bytes_out++;
    }
    fflush(con->out);
    maddr_store(x, con->ring + RING_OUT_CONS, 4, prod);
    evtchn_set_pending(con->d, con->port);     /* room again */
}

static void console_notify(void *opaque)
{
    pv_console_drain(opaque);
}

int pv_console_attach(struct pv_console *con, struct domain *d, FILE *out)
{
    con->d = d;
    con->ring = d->console_mfn << PAGE_SHIFT;
    con->port = d->console_port;
    con->out = out;
    return evtchn_bind_backend(d, con->port, console_notify, con) ? -1 : 0;
}
