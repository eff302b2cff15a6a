/*
 * The toolstack's part of the store (toolstack.c): the nodes libxl writes
 * for dom0 and for a PV domU, and the shutdown request.
 */
#ifndef XENEMU_XENSTORE_TOOLSTACK_H
#define XENEMU_XENSTORE_TOOLSTACK_H

#include "xenplat/xenstore/xenstore.h"

/* What libxl knows of a PV domU when it fills the store. */
struct xs_guest {
    uint32_t domid;
    const char *name;
    const char *uuid;                 /* NULL: derived from name and domid */
    uint64_t target_kb, max_kb;       /* memory/target, memory/static-max */
    unsigned vcpus;                   /* cpu/N/availability "online" */
    unsigned max_vcpus;               /* up to here "offline" (0: vcpus) */
    uint64_t store_mfn, console_mfn;
    uint32_t store_port, console_port;
    const char *kernel, *ramdisk, *cmdline;   /* /vm/UUID/image/... */
    uint64_t start_sec;               /* start_time: the wall clock then */
    uint32_t start_usec;
};

/* /local/domain/0/{domid,name} (xen-init-dom0). */
int xs_toolstack_dom0(struct xs_store *s);
/* The domU's tree; 0 or an XS_E* code (XS_EINVAL: a malformed uuid). */
int xs_toolstack_domain(struct xs_store *s, const struct xs_guest *g);
/* Write control/shutdown (poweroff, reboot, suspend...). */
int xs_toolstack_shutdown(struct xs_store *s, uint32_t domid,
                          const char *cmd);

bool xs_uuid_valid(const char *uuid);
void xs_uuid_derive(const char *name, uint32_t domid, char out[37]);

#endif
