/*
 * A store for the xenstore unit tests: dom0's toolstack tree, domU 1 (and
 * optionally domU 2) as libxl leaves them, each domU connected through an
 * in-memory pipe standing for its ring.  xt_send() puts a request's bytes
 * into the pipe and services the store; xt_recv() takes the next message
 * the store wrote.  xt_req() does both and returns the reply, keeping the
 * watch events that came before it for xt_event().
 */
#ifndef XS_HARNESS_H
#define XS_HARNESS_H

#include "xenplat/xenstore/store.h"
#include "xenplat/xenstore/toolstack.h"

#define XT_BUF (1u << 17)
#define XT_EVENTS 256

struct xt_msg {
    struct xs_hdr h;
    uint8_t data[XS_PAYLOAD_MAX + 1];    /* NUL-terminated for convenience */
};

struct xt_pipe {
    uint8_t in[XT_BUF];                  /* requests not yet taken */
    size_t in_len, in_off;
    uint8_t out[XT_BUF];                 /* what the store wrote */
    size_t out_len, out_off;
    size_t out_room;                     /* 0: unlimited (else bytes) */
    bool stall;                          /* no room for output at all */
    unsigned chunk;                      /* 0: any size; else at most this */
    bool broken;                         /* reads/writes fail */
    unsigned error;                      /* what the store set */
    unsigned resets;
    struct xt_msg events[XT_EVENTS];
    unsigned nevents, next_event;
    uint32_t next_req;
    struct xs_conn *conn;
};

extern struct xs_store *xt_s;
extern struct xt_pipe xt_p1, xt_p2;

/* A fresh store with domU 1 (and 2 if two) introduced. */
void xt_setup(bool two);
/* Give domid libxl's tree and connect it through p. */
void xt_connect(uint32_t domid, const char *name, struct xt_pipe *p);
/* Check the store's consistency, then free it. */
void xt_teardown(void);

void xt_send_raw(struct xt_pipe *p, const void *bytes, size_t n);
void xt_send(struct xt_pipe *p, uint32_t type, uint32_t tx, const void *data,
             size_t len);
/* The next message written, false if none. */
bool xt_recv(struct xt_pipe *p, struct xt_msg *m);
/* A request and its reply (events before it are kept). */
struct xt_msg *xt_req(struct xt_pipe *p, uint32_t type, uint32_t tx,
                      const void *data, size_t len);
/* The next watch event kept or written, NULL if none. */
struct xt_msg *xt_event(struct xt_pipe *p);
unsigned xt_pending_events(struct xt_pipe *p);

/* Shorthands on a reply. */
bool xt_is_error(const struct xt_msg *m, const char *name);
bool xt_is(const struct xt_msg *m, uint32_t type, const char *data,
           size_t len);
bool xt_is_ok(const struct xt_msg *m, uint32_t type);

/* A string literal with its embedded NULs: P("a\0b") -> "a\0b", 3. */
#define P(s) (s), (sizeof(s) - 1)

/* Requests with string arguments (each NUL-terminated on the wire). */
struct xt_msg *xt_read(struct xt_pipe *p, uint32_t tx, const char *path);
struct xt_msg *xt_write(struct xt_pipe *p, uint32_t tx, const char *path,
                        const char *value);
struct xt_msg *xt_one(struct xt_pipe *p, uint32_t type, uint32_t tx,
                      const char *arg);
struct xt_msg *xt_two(struct xt_pipe *p, uint32_t type, uint32_t tx,
                      const char *a, const char *b);
/* TRANSACTION_START: the id, 0 on error. */
uint32_t xt_tx_start(struct xt_pipe *p);

/* The store's consistency check, reported through CUnit. */
void xt_check(void);

#endif
