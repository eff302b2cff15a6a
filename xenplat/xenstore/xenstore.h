/*
 * xenemu's built-in xenstored: the store (a tree of nodes with values and
 * permissions), transactions, watches and quotas, answering XenStore
 * requests exactly as C xenstored does (tools/xenstored/).  It talks to a
 * client through a transport (ring.h: a domain's ring page and event
 * channel); xenemu itself, as dom0's toolstack, uses xs_call().
 *
 * The store knows nothing of xenplat: only ring.c does.
 */
#ifndef XENEMU_XENSTORE_H
#define XENEMU_XENSTORE_H

#include <stdio.h>
#include "xenplat/xenstore/wire.h"

struct xs_store;
struct xs_conn;

/* The values of the ring's error field (XENSTORE_ERROR_*). */
enum xs_conn_error {
    XS_CONN_ERR_NONE = 0, XS_CONN_ERR_COMM = 1, XS_CONN_ERR_RINGIDX = 2,
    XS_CONN_ERR_PROTO = 3,
};

/* How a connection moves bytes (xenstored's interface_funcs). */
struct xs_transport {
    /* Take up to n request bytes: the number taken, or -1 when the
     * transport is broken (inconsistent ring indexes). */
    int (*read)(void *opaque, uint8_t *buf, unsigned n);
    /* Put up to n response bytes: the number put, or -1 when broken. */
    int (*write)(void *opaque, const uint8_t *buf, unsigned n);
    bool (*can_read)(void *opaque);      /* request bytes are waiting */
    bool (*can_write)(void *opaque);     /* there is room for responses */
    /* The store stops talking to this client (enum xs_conn_error);
     * optional. */
    void (*error)(void *opaque, unsigned err);
    /* The store reset the connection (re-introduction, ring
     * reconnection): empty the transport; optional. */
    void (*reset)(void *opaque);
};

/* A store with xenstored's initial nodes (/, /tool, /tool/xenstored and
 * the special nodes), dom0 known and its toolstack connection.  NULL when
 * out of memory. */
struct xs_store *xs_store_new(void);
void xs_store_free(struct xs_store *s);

/* A domain that exists (permissions naming other domains are ignored, as
 * xenstored ignores domains the hypervisor does not know).  0 or
 * XS_ENOMEM. */
int xs_domain_new(struct xs_store *s, uint32_t domid);
/* Connect domid (XS_INTRODUCE): requests arrive through t; fires
 * @introduceDomain.  NULL when out of memory or already introduced. */
struct xs_conn *xs_domain_introduce(struct xs_store *s, uint32_t domid,
                                    const struct xs_transport *t,
                                    void *opaque);
/* The domain shut down: @releaseDomain fires (once, until RESUME). */
void xs_domain_shutdown(struct xs_store *s, uint32_t domid);
struct xs_conn *xs_domain_conn(struct xs_store *s, uint32_t domid);
/* The domain is destroyed (XS_RELEASE): its connection and the nodes it
 * owns go, @releaseDomain fires.  Nothing if it is not introduced. */
void xs_domain_destroyed(struct xs_store *s, uint32_t domid);

/* Read and answer every complete request the transport has, and write
 * queued responses and watch events while there is room; true if
 * anything moved. */
bool xs_conn_service(struct xs_conn *c);
/* The same for every connection, until none moves (a request on one may
 * queue watch events for another). */
void xs_store_service(struct xs_store *s);
/* Drop partial messages, queued output, watches and transactions, then
 * reset the transport: the connection works again. */
void xs_conn_reset(struct xs_conn *c);
/* Has the store stopped talking to this client?  (Its error, or 0.) */
unsigned xs_conn_error(const struct xs_conn *c);

/* One request as dom0's toolstack (privileged, relative paths under
 * /local/domain/0).  The reply's payload goes to reply (up to *reply_len
 * bytes; *reply_len becomes the payload's length).  Returns 0, or the
 * XS_E* code of an error reply. */
int xs_call(struct xs_store *s, uint32_t tx_id, enum xs_type type,
            const void *payload, size_t len, void *reply, size_t *reply_len);

/* Convenience forms of xs_call for the toolstack. */
int xs_tool_write(struct xs_store *s, uint32_t tx, const char *path,
                  const char *value);
int xs_tool_mkdir(struct xs_store *s, uint32_t tx, const char *path);
/* perms: a space-separated list such as "n0 r1". */
int xs_tool_set_perms(struct xs_store *s, uint32_t tx, const char *path,
                      const char *perms);
/* The value as a NUL-terminated string (truncated to size). */
int xs_tool_read(struct xs_store *s, uint32_t tx, const char *path,
                 char *buf, size_t size);
int xs_tool_rm(struct xs_store *s, uint32_t tx, const char *path);
int xs_tool_tx_start(struct xs_store *s, uint32_t *tx);
int xs_tool_tx_end(struct xs_store *s, uint32_t tx, bool commit);

/* Every node under / as "path = "value" (perms)", depth first in the
 * order the children were created (xenstore-ls -fp). */
void xs_dump(struct xs_store *s, FILE *out);
/* Consistency: every child listed exists and vice versa, the node counts
 * per domain match, no transaction copy is orphaned.  0, or XS_EIO with
 * the first problem in why. */
int xs_check(struct xs_store *s, char *why, size_t len);

#endif
