/*
 * The PV console backend (what xenconsoled does for a domU): drains the
 * guest's output ring to the terminal when the guest notifies its port.
 * Ring layout: pub/io/console.h.
 */
#ifndef XENEMU_DEVICES_CONSOLE_H
#define XENEMU_DEVICES_CONSOLE_H

#include <stdio.h>
#include "xenplat/domain.h"

struct pv_console {
    struct domain *d;
    uint64_t ring;             /* machine address of the ring page */
    unsigned port;
    FILE *out;
    uint64_t bytes_out;
};

/* Connect to d's console ring and port (from the builder). 0 or -1. */
int pv_console_attach(struct pv_console *con, struct domain *d, FILE *out);
/* Copy everything the guest produced to the terminal. */
void pv_console_drain(struct pv_console *con);

#endif
