/*
 * The domain's event-channel limit (xl.cfg event_channels, Xen's
 * d->max_evtchn_port; get_free_port in common/event_channel.c): ports are
 * allocated up to it and then alloc_unbound is -ENOSPC.  The toolstack's
 * xenstore and console ports come first (1 and 2).  evtmax64/32 run with
 * libxl's default 1023; evtmax-8-64/32.cfg with event_channels = 8.
 */
#include "pvrt.h"

#define DOMID_SELF 0x7ff0
enum { EVTCHNOP_close = 3, EVTCHNOP_alloc_unbound = 6 };

static long evtchn_op(unsigned cmd, void *arg)
{
    return HYPERCALL(__HYPERVISOR_event_channel_op, cmd, arg, 0);
}

/* alloc_unbound for ourselves: the port, or -errno. */
static long alloc_port(void)
{
    uint32_t b[2];
    uint16_t *h = (uint16_t *)b;
    long r;

    h[0] = DOMID_SELF;
    h[1] = DOMID_SELF;
    b[1] = 0;
    r = evtchn_op(EVTCHNOP_alloc_unbound, b);
    return r ? r : (long)b[1];
}

int main(void)
{
    long first = alloc_port(), last = first, r, n = 1;
    uint32_t close_port;
    long again, after;

    while ((r = alloc_port()) > 0) {
        last = r;
        n++;
    }
    printf("allocated %ld ports, %ld..%ld, then %ld\n", n, first, last, r);
    close_port = 5;
    printf("close port 5: %ld\n", evtchn_op(EVTCHNOP_close, &close_port));
    again = alloc_port();
    after = alloc_port();
    printf("alloc_unbound again: %ld, then %ld\n", again, after);
    return 0;
}
