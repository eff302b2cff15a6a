/*
 * The requests (tools/xenstored/core.c wire_funcs and its do_* handlers):
 * each gets its payload, already whole, and answers with a reply or an
 * error.  Checked in xenstored's order: a type with no handler is ENOSYS;
 * a privileged-only request from a domU is EACCES; a header naming an
 * unknown transaction is ENOENT; then the handler's own checks.
 * Paths are canonicalised by the handler (xs_path_canonical).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xenplat/xenstore/store.h"

unsigned xs_count_strings(const uint8_t *body, uint32_t len)
{
    unsigned n = 0;
    uint32_t i;

    for (i = 0; i < len; i++)
        n += body[i] == 0;
    return n;
}

const char *xs_onearg(const uint8_t *body, uint32_t len)
{
    if (len == 0 || memchr(body, 0, len) != body + len - 1)
        return NULL;
    return (const char *)body;
}

long long xs_atoi(const char *p)
{
    long long v = 0;
    bool neg = false;

    while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
        p++;
    if (*p == '+' || *p == '-')
        neg = *p++ == '-';
    for (; *p >= '0' && *p <= '9'; p++)
        if (v < INT32_MAX)
            v = v * 10 + (*p - '0');
    if (v > INT32_MAX)
        v = (long long)INT32_MAX + neg;
    return neg ? -v : v;
}

static uint32_t atoi_u32(const char *p)
{
    return (uint32_t)(int32_t)xs_atoi(p);
}

/* The node at a request's path (perm needed); NULL with *err. */
static const struct xs_node *node_at(struct xs_conn *c, const char *raw,
                                     unsigned perm, bool special,
                                     char **path, int *err)
{
    const struct xs_node *n;

    *path = xs_path_canonical(c, raw, special, err);
    if (!*path)
        return NULL;
    n = xs_get_node(c, *path, perm, err);
    return n;
}

/* ---- reading ------------------------------------------------------------------ */

static int do_read(struct xs_conn *c, const uint8_t *b, uint32_t len)
{
    char *path;
    int err;
    const struct xs_node *n = node_at(c, xs_onearg(b, len), XS_PERM_READ,
                                      false, &path, &err);

    free(path);
    if (!n)
        return err;
    xs_reply(c, XS_READ, n->data, n->datalen);
    return 0;
}

static int do_directory(struct xs_conn *c, const uint8_t *b, uint32_t len)
{
    char *path;
    int err;
    const struct xs_node *n = node_at(c, xs_onearg(b, len), XS_PERM_READ,
                                      false, &path, &err);

    free(path);
    if (!n)
        return err;
    xs_reply(c, XS_DIRECTORY, n->children, n->childlen);
    return 0;
}

/* <path>|<offset>| -> <gencnt>|<children from offset>|* with a final empty
 * string once the list is complete.  The generation lets a client see
 * that the node changed between two parts. */
static int do_directory_part(struct xs_conn *c, const uint8_t *b,
                             uint32_t len)
{
    uint8_t out[XS_PAYLOAD_MAX];
    const struct xs_node *n;
    uint32_t off, used = 0, maxlen, genlen;
    const char *child;
    char *path;
    int err;

    if (xs_count_strings(b, len) != 2)
        return XS_EINVAL;
    n = node_at(c, (const char *)b, XS_PERM_READ, false, &path, &err);
    free(path);
    if (!n)
        return err;
    off = atoi_u32((const char *)b + strlen((const char *)b) + 1);
    genlen = (uint32_t)snprintf((char *)out, 24, "%" PRIu64, n->gen) + 1;
    if (off >= n->childlen) {
        out[genlen] = 0;
        xs_reply(c, XS_DIRECTORY_PART, out, genlen + 1);
        return 0;
    }
    maxlen = XS_PAYLOAD_MAX - genlen - 1;
    for (child = n->children + off; used + strlen(child) < maxlen;
         child += strlen(child) + 1) {
        used += (uint32_t)strlen(child) + 1;
        if (off + used == n->childlen)
            break;
    }
    memcpy(out + genlen, n->children + off, used);
    if (off + used == n->childlen)
        out[genlen + used++] = 0;
    xs_reply(c, XS_DIRECTORY_PART, out, genlen + used);
    return 0;
}

static int do_get_perms(struct xs_conn *c, const uint8_t *b, uint32_t len)
{
    char out[XS_PAYLOAD_MAX + 16];
    uint32_t i, used = 0;
    char *path;
    int err;
    const struct xs_node *n = node_at(c, xs_onearg(b, len), XS_PERM_READ,
                                      true, &path, &err);

    free(path);
    if (!n)
        return err;
    for (i = 0; i < n->nperms && used < XS_PAYLOAD_MAX; i++)
        used += (uint32_t)xs_perm_format(&n->perms[i], out + used,
                                         sizeof(out) - used) + 1;
    xs_reply(c, XS_GET_PERMS, out, used);
    return 0;
}

/* ---- writing ------------------------------------------------------------------- */

static void fire_node(struct xs_conn *c, const char *path,
                      const struct xs_perms_ref *old)
{
    const struct xs_node *n = xs_db_get(&c->s->db, xs_tx_key(c, path));
    struct xs_perms_ref ref;

    if (!n)
        return;
    ref = (struct xs_perms_ref){ n->perms, n->nperms, n->gen };
    xs_fire_watches(c->s, c, path, &ref, old, false);
}

static int do_write(struct xs_conn *c, const uint8_t *b, uint32_t len)
{
    const char *p = (const char *)b;
    uint32_t off, dlen;
    const struct xs_node *n;
    char *path;
    int err;

    if (xs_count_strings(b, len) < 1)
        return XS_EINVAL;
    off = (uint32_t)strlen(p) + 1;
    dlen = len - off;
    n = node_at(c, p, XS_PERM_WRITE, false, &path, &err);
    if (!n && err == XS_ENOENT) {
        err = xs_create_node(c, path, b + off, dlen);
    } else if (n) {
        struct xs_node *r = xs_node_make(n->perms, n->nperms, b + off, dlen,
                                         n->children, n->childlen);
        err = r ? xs_write_node(c, path, r, true) : XS_ENOMEM;
    }
    if (!err) {
        fire_node(c, path, NULL);
        xs_reply_ok(c, XS_WRITE);
    }
    free(path);
    return err;
}

static int do_mkdir(struct xs_conn *c, const uint8_t *b, uint32_t len)
{
    char *path;
    int err;
    const struct xs_node *n = node_at(c, xs_onearg(b, len), XS_PERM_WRITE,
                                      false, &path, &err);

    if (!n && err == XS_ENOENT) {
        err = xs_create_node(c, path, NULL, 0);
        if (!err)
            fire_node(c, path, NULL);
    } else if (n) {
        err = 0;                  /* it exists: fine */
    }
    if (!err)
        xs_reply_ok(c, XS_MKDIR);
    free(path);
    return err;
}

static int do_rm(struct xs_conn *c, const uint8_t *b, uint32_t len)
{
    char *path, *parent;
    int err;
    const struct xs_node *n = node_at(c, xs_onearg(b, len), XS_PERM_WRITE,
                                      false, &path, &err);

    if (!n && err == XS_ENOENT) {
        /* Not there: fine if the parent is. */
        if (!(parent = xs_path_parent(path))) {
            err = XS_ENOMEM;
        } else if (xs_read_node(c, parent, &err)) {
            err = 0;
            xs_reply_ok(c, XS_RM);
        } else if (err != XS_ENOMEM && err != XS_ENOSPC) {
            err = XS_ENOENT;
        }
        free(parent);
    } else if (n) {
        err = strcmp(path, "/") == 0 ? XS_EINVAL : xs_rm_node(c, path);
        if (!err)
            xs_reply_ok(c, XS_RM);
    }
    free(path);
    return err;
}

/* Permissions naming a domain that does not exist are kept but ignored
 * (xenstored's domain_alloc_permrefs). */
static void mark_ignored(struct xs_store *s, struct xs_perm *p, unsigned n)
{
    unsigned i;

    for (i = 0; i < n; i++)
        if (!xs_domain_find(s, p[i].domid))
            p[i].perms |= XS_PERM_IGNORE;
}

static int set_perms(struct xs_conn *c, const char *path,
                     const struct xs_node *n, struct xs_perm *perms,
                     unsigned num)
{
    uint32_t old_owner = xs_node_owner(n), new_owner = perms[0].domid;
    struct xs_perm *old = malloc(n->nperms * sizeof(*old) + 1);
    struct xs_perms_ref ref = { old, n->nperms, n->gen };
    struct xs_node *r;
    int err;

    if (!old)
        return XS_ENOMEM;
    memcpy(old, n->perms, n->nperms * sizeof(*old));
    r = xs_node_make(perms, num, n->data, n->datalen, n->children,
                     n->childlen);
    err = r ? xs_write_node(c, path, r, true) : XS_ENOMEM;
    if (!err && old_owner != new_owner) {
        xs_tx_add_nodes(c, old_owner, -1);
        xs_tx_add_nodes(c, new_owner, 1);
    }
    if (!err) {
        fire_node(c, path, &ref);
        xs_reply_ok(c, XS_SET_PERMS);
    }
    free(old);
    return err;
}

static int do_set_perms(struct xs_conn *c, const uint8_t *b, uint32_t len)
{
    unsigned num = xs_count_strings(b, len);
    uint32_t off = (uint32_t)strlen((const char *)b) + 1;
    const struct xs_node *n;
    struct xs_perm *perms;
    char *path = NULL;
    int err;

    if (num < 2)
        return XS_EINVAL;
    num--;
    if (xs_quota_over(c, XS_Q_NODE_PERMS, num))
        return XS_ENOSPC;
    if (!(perms = malloc(num * sizeof(*perms))))
        return XS_ENOMEM;
    err = xs_perms_parse((const char *)b + off, len - off, num, perms);
    if (!err) {
        mark_ignored(c->s, perms, num);
        if (perms[0].perms & XS_PERM_IGNORE)
            err = XS_ENOENT;
    }
    if (!err) {
        /* Only the owner (or a privileged domain) may do this, and only
         * a privileged one may give the node away. */
        n = node_at(c, (const char *)b, XS_PERM_WRITE | XS_PERM_OWNER, true,
                    &path, &err);
        if (n && !xs_conn_privileged(c) &&
            perms[0].domid != xs_node_owner(n))
            err = XS_EPERM;
        else if (n)
            err = set_perms(c, path, n, perms, num);
    }
    free(path);
    free(perms);
    return err;
}

/* ---- watches --------------------------------------------------------------------- */

static int do_watch(struct xs_conn *c, const uint8_t *b, uint32_t len)
{
    const char *wpath = (const char *)b, *token;
    const struct xs_watch *w;
    int err;

    if (xs_count_strings(b, len) != 2)
        return XS_EINVAL;
    token = wpath + strlen(wpath) + 1;
    if ((err = xs_watch_add(c, wpath, token, &w)))
        return err;
    xs_reply_ok(c, XS_WATCH);
    xs_send_event(c, NULL, w->path + w->prefix_len, w->token);
    return 0;
}

static int do_unwatch(struct xs_conn *c, const uint8_t *b, uint32_t len)
{
    const char *wpath = (const char *)b;
    int err;

    if (xs_count_strings(b, len) != 2)
        return XS_EINVAL;
    if ((err = xs_watch_remove(c, wpath, wpath + strlen(wpath) + 1)))
        return err;
    xs_reply_ok(c, XS_UNWATCH);
    return 0;
}

static int do_reset_watches(struct xs_conn *c, const uint8_t *b,
                            uint32_t len)
{
    (void)b;
    (void)len;
    xs_watch_free_all(c);
    xs_tx_free_all(c);
    xs_reply_ok(c, XS_RESET_WATCHES);
    return 0;
}

/* ---- transactions ----------------------------------------------------------------- */

static int do_transaction_start(struct xs_conn *c, const uint8_t *b,
                                uint32_t len)
{
    char id[16];
    uint32_t tx;
    int err;

    (void)b;
    (void)len;
    if (c->tx)
        return XS_EBUSY;          /* no nesting */
    if (!xs_conn_privileged(c) &&
        xs_domain_acc(c->s, c->id, XS_ACC_TRANSACTIONS) >
            (int)c->s->quota[XS_Q_TRANSACTIONS])
        return XS_ENOSPC;
    if ((err = xs_tx_start(c, &tx)))
        return err;
    snprintf(id, sizeof(id), "%" PRIu32, tx);
    xs_reply(c, XS_TRANSACTION_START, id, (uint32_t)strlen(id) + 1);
    return 0;
}

static int do_transaction_end(struct xs_conn *c, const uint8_t *b,
                              uint32_t len)
{
    const char *arg = xs_onearg(b, len);
    int err;

    if (!arg || (strcmp(arg, "T") != 0 && strcmp(arg, "F") != 0))
        return XS_EINVAL;
    if (!c->tx)
        return XS_ENOENT;
    if ((err = xs_tx_end(c, arg[0] == 'T')))
        return err;
    xs_reply_ok(c, XS_TRANSACTION_END);
    return 0;
}

/* ---- domains ------------------------------------------------------------------------- */

static int do_get_domain_path(struct xs_conn *c, const uint8_t *b,
                              uint32_t len)
{
    const char *arg = xs_onearg(b, len);
    char path[32];

    if (!arg)
        return XS_EINVAL;
    xs_domain_path(atoi_u32(arg), path, sizeof(path));
    xs_reply(c, XS_GET_DOMAIN_PATH, path, (uint32_t)strlen(path) + 1);
    return 0;
}

static int do_is_domain_introduced(struct xs_conn *c, const uint8_t *b,
                                   uint32_t len)
{
    const char *arg = xs_onearg(b, len);
    struct xs_domain *d;
    uint32_t domid;

    if (!arg)
        return XS_EINVAL;
    domid = atoi_u32(arg);
    d = xs_domain_find(c->s, domid);
    xs_reply(c, XS_IS_DOMAIN_INTRODUCED,
             domid == XS_DOMID_SELF || (d && d->introduced) ? "T" : "F", 2);
    return 0;
}

/* A connected domain other than dom0 named by the one argument. */
static struct xs_domain *arg_domain(struct xs_conn *c, const uint8_t *b,
                                    uint32_t len, int *err)
{
    const char *arg = xs_onearg(b, len);
    struct xs_domain *d;
    uint32_t domid;

    *err = XS_EINVAL;
    if (!arg || (domid = atoi_u32(arg)) == XS_TOOLSTACK_DOMID)
        return NULL;
    d = xs_domain_find(c->s, domid);
    if (!d || !d->introduced)
        *err = XS_ENOENT;
    else if (d->conn)
        return d;
    return NULL;
}

static int do_release(struct xs_conn *c, const uint8_t *b, uint32_t len)
{
    int err;
    struct xs_domain *d = arg_domain(c, b, len, &err);

    if (!d)
        return err;
    xs_domain_release(c->s, d);
    xs_reply_ok(c, XS_RELEASE);
    return 0;
}

static int do_resume(struct xs_conn *c, const uint8_t *b, uint32_t len)
{
    int err;
    struct xs_domain *d = arg_domain(c, b, len, &err);

    if (!d)
        return err;
    d->shutdown = false;
    xs_reply_ok(c, XS_RESUME);
    return 0;
}

/* <domid>|<gfn>|<evtchn>|: xenemu's machine introduces its domains
 * itself; for one already introduced this resets its connection, as
 * xenstored's re-introduction does.  Others cannot be mapped here. */
static int do_introduce(struct xs_conn *c, const uint8_t *b, uint32_t len)
{
    const char *s = (const char *)b, *port;
    struct xs_domain *d;

    if (xs_count_strings(b, len) < 3)
        return XS_EINVAL;
    port = s + strlen(s) + 1;
    port += strlen(port) + 1;
    if (atoi_u32(port) == 0)      /* an unsigned port "<= 0" */
        return XS_EINVAL;
    d = xs_domain_find(c->s, atoi_u32(s));
    if (!d || !d->introduced || !d->conn)
        return XS_EINVAL;
    xs_conn_reset(d->conn);
    xs_reply_ok(c, XS_INTRODUCE);
    return 0;
}

static int do_set_target(struct xs_conn *c, const uint8_t *b, uint32_t len)
{
    const char *s = (const char *)b;
    struct xs_domain *d, *t;

    if (xs_count_strings(b, len) < 2)
        return XS_EINVAL;
    d = xs_domain_find(c->s, atoi_u32(s));
    t = xs_domain_find(c->s, atoi_u32(s + strlen(s) + 1));
    if (!d || !d->introduced || !t || !t->introduced)
        return XS_ENOENT;
    if (!d->conn || !t->conn)
        return XS_EINVAL;
    d->conn->has_target = true;
    d->conn->target = t->domid;
    xs_reply_ok(c, XS_SET_TARGET);
    return 0;
}

static int do_control(struct xs_conn *c, const uint8_t *b, uint32_t len)
{
    return xs_control(c, b, len);
}

/* ---- dispatch ------------------------------------------------------------------------- */

#define F_NOTID 1u                    /* the header's tx_id is ignored */
#define F_PRIV  2u                    /* dom0 only */

static const struct {
    int (*fn)(struct xs_conn *c, const uint8_t *body, uint32_t len);
    unsigned flags;
} handlers[XS_TYPE_COUNT] = {
    [XS_CONTROL] = { do_control, F_PRIV },
    [XS_DIRECTORY] = { do_directory, 0 },
    [XS_READ] = { do_read, 0 },
    [XS_GET_PERMS] = { do_get_perms, 0 },
    [XS_WATCH] = { do_watch, F_NOTID },
    [XS_UNWATCH] = { do_unwatch, F_NOTID },
    [XS_TRANSACTION_START] = { do_transaction_start, 0 },
    [XS_TRANSACTION_END] = { do_transaction_end, 0 },
    [XS_INTRODUCE] = { do_introduce, F_PRIV },
    [XS_RELEASE] = { do_release, F_PRIV },
    [XS_GET_DOMAIN_PATH] = { do_get_domain_path, 0 },
    [XS_WRITE] = { do_write, 0 },
    [XS_MKDIR] = { do_mkdir, 0 },
    [XS_RM] = { do_rm, 0 },
    [XS_SET_PERMS] = { do_set_perms, 0 },
    [XS_IS_DOMAIN_INTRODUCED] = { do_is_domain_introduced, F_PRIV },
    [XS_RESUME] = { do_resume, F_PRIV },
    [XS_SET_TARGET] = { do_set_target, F_PRIV },
    [XS_RESET_WATCHES] = { do_reset_watches, 0 },
    [XS_DIRECTORY_PART] = { do_directory_part, 0 },
};

void xs_process(struct xs_conn *c, const struct xs_hdr *h,
                const uint8_t *body)
{
    struct xs_tx *tx = NULL;
    int err;

    c->in = *h;
    if (h->type >= XS_TYPE_COUNT || !handlers[h->type].fn)
        err = XS_ENOSYS;
    else if ((handlers[h->type].flags & F_PRIV) && !xs_conn_privileged(c))
        err = XS_EACCES;
    else if (!(handlers[h->type].flags & F_NOTID) &&
             (tx = xs_tx_lookup(c, h->tx_id, &err), err))
        ;
    else {
        c->tx = tx;
        err = handlers[h->type].fn(c, body, h->len);
        c->tx = NULL;
    }
    if (err)
        xs_reply_error(c, err);
    xs_req_unanswered(c);
}
