/*
 * Connections (tools/xenstored/core.c handle_input/write_messages): a
 * client's byte stream cut into messages, the replies and watch events
 * queued for it, and the outstanding-requests quota.
 *
 * A request is read header first; a header announcing more than
 * XENSTORE_PAYLOAD_MAX bytes, or a transport that reports inconsistent
 * ring indexes, makes the store stop talking to the client (its error
 * field says why), as xenstored's ignore_connection.  A request counts as
 * outstanding from its reply's queuing until that reply and every watch
 * event the request caused have been written; an unprivileged client with
 * `outstanding` of them is not read until some are.
 */
#include <stdlib.h>
#include <string.h>
#include "xenplat/xenstore/store.h"

struct xs_conn *xs_conn_new(struct xs_store *s, uint32_t domid,
                            const struct xs_transport *t, void *opaque)
{
    struct xs_conn *c = calloc(1, sizeof(*c)), **p;

    if (!c || xs_domain_new(s, domid)) {
        free(c);
        return NULL;
    }
    c->s = s;
    c->id = domid;
    c->dom = xs_domain_find(s, domid);
    c->t = t;
    c->opaque = opaque;
    for (p = &s->conns; *p; p = &(*p)->next)
        ;
    *p = c;
    return c;
}

bool xs_conn_privileged(const struct xs_conn *c)
{
    return c->id == XS_TOOLSTACK_DOMID;
}

static void reset_input(struct xs_conn *c)
{
    c->hdr_used = 0;
    c->in_body = false;
    c->body_used = 0;
}

/* A message has left (written or dropped): settle what it kept
 * outstanding. */
static void msg_done(struct xs_conn *c, struct xs_msg *m)
{
    struct xs_pending *r = m->req;

    if (m->event) {
        if (r && --r->events == 0 && r->replied) {
            xs_domain_acc_add(c->s, r->domid, XS_ACC_OUTSTANDING, -1);
            free(r);
        }
    } else if (r && r->events) {
        r->replied = true;
    } else {
        xs_domain_acc_add(c->s, r ? r->domid : c->id, XS_ACC_OUTSTANDING,
                          -1);
        free(r);
    }
    free(m);
}

void xs_conn_drop_output(struct xs_conn *c)
{
    while (c->out) {
        struct xs_msg *m = c->out;
        c->out = m->next;
        msg_done(c, m);
    }
    c->out_tail = NULL;
}

void xs_conn_free(struct xs_conn *c)
{
    struct xs_conn **p;

    for (p = &c->s->conns; *p && *p != c; p = &(*p)->next)
        ;
    if (*p)
        *p = c->next;
    xs_conn_drop_output(c);
    xs_watch_free_all(c);
    xs_tx_free_all(c);
    xs_req_unanswered(c);
    if (c->dom && c->dom->conn == c)
        c->dom->conn = NULL;
    free(c);
}

static void enqueue(struct xs_conn *c, struct xs_msg *m)
{
    m->next = NULL;
    if (c->out_tail)
        c->out_tail->next = m;
    else
        c->out = m;
    c->out_tail = m;
}

static struct xs_msg *msg_new(uint32_t type, uint32_t req_id, uint32_t tx_id,
                              const void *data, uint32_t len)
{
    struct xs_msg *m = malloc(sizeof(*m) + XS_HDR_SIZE + len);
    struct xs_hdr h = { type, req_id, tx_id, len };

    if (!m)
        return NULL;
    m->len = XS_HDR_SIZE + len;
    m->used = 0;
    m->event = false;
    m->req = NULL;
    xs_hdr_encode(m->bytes, &h);
    if (len)
        memcpy(m->bytes + XS_HDR_SIZE, data, len);
    return m;
}

void xs_reply(struct xs_conn *c, uint32_t type, const void *data,
              uint32_t len)
{
    struct xs_msg *m;

    if (len > XS_PAYLOAD_MAX) {
        xs_reply_error(c, XS_E2BIG);
        return;
    }
    if (!(m = msg_new(type, c->in.req_id, c->in.tx_id, data, len)))
        return;                   /* the client waits; nothing to do */
    m->req = c->req;
    c->req = NULL;
    xs_domain_acc_add(c->s, c->id, XS_ACC_OUTSTANDING, 1);
    enqueue(c, m);
}

void xs_req_unanswered(struct xs_conn *c)
{
    struct xs_pending *r = c->req;

    c->req = NULL;
    if (!r)
        return;
    if (!r->events) {
        free(r);
        return;
    }
    /* Its events settle it as if its reply had been written. */
    r->replied = true;
    xs_domain_acc_add(c->s, r->domid, XS_ACC_OUTSTANDING, 1);
}

void xs_reply_error(struct xs_conn *c, int err)
{
    const char *name = xs_err_name(err);

    xs_reply(c, XS_ERROR, name, (uint32_t)strlen(name) + 1);
}

void xs_reply_ok(struct xs_conn *c, uint32_t type)
{
    xs_reply(c, type, "OK", 3);
}

static bool same_event(const struct xs_msg *m, const uint8_t *payload,
                       uint32_t len)
{
    return m->event && m->len == XS_HDR_SIZE + len &&
           memcmp(m->bytes + XS_HDR_SIZE, payload, len) == 0;
}

void xs_send_event(struct xs_conn *c, struct xs_pending *req,
                   const char *path, const char *token)
{
    size_t plen = strlen(path) + 1, tlen = strlen(token) + 1;
    uint8_t payload[XS_PAYLOAD_MAX];
    struct xs_msg *m;

    if (plen + tlen > XS_PAYLOAD_MAX || c->error)
        return;
    memcpy(payload, path, plen);
    memcpy(payload + plen, token, tlen);
    /* An identical event still queued covers this one (not for the
     * special watches, whose events each mean something). */
    if (path[0] != '@')
        for (m = c->out; m; m = m->next)
            if (same_event(m, payload, (uint32_t)(plen + tlen)))
                return;
    if (!(m = msg_new(XS_WATCH_EVENT, 0, 0, payload,
                      (uint32_t)(plen + tlen))))
        return;
    m->event = true;
    m->req = req;
    if (req)
        req->events++;
    enqueue(c, m);
}

void xs_conn_ignore(struct xs_conn *c, unsigned err)
{
    c->error = err;
    if (c->t && c->t->error)
        c->t->error(c->opaque, err);
    xs_watch_free_all(c);
    xs_tx_free_all(c);
    xs_conn_drop_output(c);
    reset_input(c);
}

void xs_conn_reset(struct xs_conn *c)
{
    xs_watch_free_all(c);
    xs_tx_free_all(c);
    xs_conn_drop_output(c);
    reset_input(c);
    c->error = 0;
    if (c->t && c->t->reset)
        c->t->reset(c->opaque);
}

unsigned xs_conn_error(const struct xs_conn *c)
{
    return c->error;
}

/* ---- the transport side ----------------------------------------------------- */

static bool can_read(struct xs_conn *c)
{
    if (c->error || !c->t->can_read(c->opaque))
        return false;
    return xs_conn_privileged(c) ||
           xs_domain_acc(c->s, c->id, XS_ACC_OUTSTANDING) <
               (int)c->s->quota[XS_Q_OUTSTANDING];
}

static void complete_request(struct xs_conn *c)
{
    c->body[c->in.len] = 0;
    xs_process(c, &c->in, c->body);
    reset_input(c);
}

/* One read from the transport; true if it made progress. */
static bool handle_input(struct xs_conn *c)
{
    int n;

    if (!c->in_body) {
        n = c->t->read(c->opaque, c->hdr_raw + c->hdr_used,
                       XS_HDR_SIZE - c->hdr_used);
        if (n < 0) {
            xs_conn_ignore(c, XS_CONN_ERR_RINGIDX);
            return false;
        }
        c->hdr_used += (uint32_t)n;
        if (c->hdr_used < XS_HDR_SIZE)
            return n > 0;
        xs_hdr_decode(c->hdr_raw, &c->in);
        if (c->in.len > XS_PAYLOAD_MAX) {
            xs_conn_ignore(c, XS_CONN_ERR_PROTO);
            return false;
        }
        c->in_body = true;
        c->body_used = 0;
        if (c->in.len == 0) {
            complete_request(c);
            return true;
        }
    }
    n = c->t->read(c->opaque, c->body + c->body_used,
                   c->in.len - c->body_used);
    if (n < 0) {
        xs_conn_ignore(c, XS_CONN_ERR_RINGIDX);
        return false;
    }
    c->body_used += (uint32_t)n;
    if (c->body_used == c->in.len)
        complete_request(c);
    return n > 0;
}

/* Write (part of) the first queued message; true if it made progress. */
static bool handle_output(struct xs_conn *c)
{
    struct xs_msg *m = c->out;
    int n = c->t->write(c->opaque, m->bytes + m->used, m->len - m->used);

    if (n < 0) {
        xs_conn_ignore(c, XS_CONN_ERR_RINGIDX);
        return false;
    }
    m->used += (uint32_t)n;
    if (m->used == m->len) {
        c->out = m->next;
        if (!c->out)
            c->out_tail = NULL;
        msg_done(c, m);
    }
    return n > 0;
}

bool xs_conn_service(struct xs_conn *c)
{
    bool progress = true, any = false;

    if (!c->t)
        return false;
    while (progress && !c->error) {
        progress = false;
        if (can_read(c))
            progress = handle_input(c);
        if (!c->error && c->out && c->t->can_write(c->opaque))
            progress |= handle_output(c);
        any |= progress;
    }
    return any;
}

void xs_store_service(struct xs_store *s)
{
    bool progress = true;

    while (progress) {
        struct xs_conn *c;
        progress = false;
        for (c = s->conns; c; c = c->next)
            progress |= xs_conn_service(c);
    }
}

/* ---- the toolstack's requests ------------------------------------------------ */

int xs_call(struct xs_store *s, uint32_t tx_id, enum xs_type type,
            const void *payload, size_t len, void *reply, size_t *reply_len)
{
    struct xs_conn *c = s->toolstack;
    struct xs_hdr h = { (uint32_t)type, 0, tx_id, (uint32_t)len };
    struct xs_msg *m;
    struct xs_hdr rh;
    int err = 0;

    if (len > XS_PAYLOAD_MAX)
        return XS_E2BIG;
    if (len)
        memcpy(c->body, payload, len);
    c->body[len] = 0;
    c->in = h;
    xs_process(c, &h, c->body);
    /* Watch events for the toolstack have no one to go to. */
    while ((m = c->out) && m->event) {
        c->out = m->next;
        msg_done(c, m);
    }
    if (!m) {
        c->out_tail = NULL;
        return XS_ENOMEM;         /* the reply could not be queued */
    }
    c->out = m->next;
    xs_conn_drop_output(c);       /* events after the reply, likewise */
    xs_hdr_decode(m->bytes, &rh);
    if (rh.type == XS_ERROR) {
        err = xs_err_from_name((const char *)m->bytes + XS_HDR_SIZE);
        if (!err)
            err = XS_EINVAL;
    } else if (reply && reply_len) {
        size_t n = rh.len < *reply_len ? rh.len : *reply_len;
        memcpy(reply, m->bytes + XS_HDR_SIZE, n);
        *reply_len = rh.len;
    }
    msg_done(c, m);
    xs_store_service(s);          /* watch events it caused go out */
    return err;
}
