/*
 * The PV console backend (what xenconsoled does for a domU): drains the
 * guest's output ring to the terminal when the guest notifies its port,
 * and feeds console input into the ring's `in` buffer, notifying the
 * guest.  Input arrives from machine/input.c, already stamped with the
 * instruction count it is delivered at, so a run stays deterministic.
 * Ring layout: pub/io/console.h.
 */
#ifndef XENEMU_DEVICES_CONSOLE_H
#define XENEMU_DEVICES_CONSOLE_H

#include <stdio.h>
#include "xenplat/domain.h"

/* Input not yet in the ring (xenconsoled buffers it likewise). */
#define PV_CONSOLE_INPUT_QUEUE 4096

struct pv_console {
    struct domain *d;
    uint64_t ring;             /* machine address of the ring page */
    FILE *out;
    /* Several domains share the terminal: each line of output starts
     * with this ("" for none). */
    char prefix[72];
    bool midline;              /* the last byte out was not a newline */
    bool connected;            /* the guest's end of the channel is bound */
    uint64_t bytes_out, bytes_in;
    uint8_t queue[PV_CONSOLE_INPUT_QUEUE];
    size_t queued;
};

/* Connect to d's console ring and port (from the builder). 0 or -1. */
int pv_console_attach(struct pv_console *con, struct domain *d, FILE *out);
/* Copy everything the guest produced to the terminal. */
void pv_console_drain(struct pv_console *con);
/* Console input: queued, then copied into the ring as room allows; the
 * guest is notified when bytes were added.  Returns the bytes dropped
 * because the queue was full. */
size_t pv_console_input(struct pv_console *con, const uint8_t *buf, size_t n);

#endif
