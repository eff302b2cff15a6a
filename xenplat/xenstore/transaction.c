/*
 * Transactions (tools/xenstored/transaction.c).  Every change to the
 * store gives the changed node a new generation from one global counter.
 * A transaction records each node it touches with the generation it had
 * then (or "absent"), reads and writes its own copy of it (key
 * "GEN/path"), and at TRANSACTION_END T commits only if none of those
 * nodes has changed in the store meanwhile: otherwise EAGAIN and the
 * client starts over.  Its watch events and node-count changes wait for
 * the commit.
 *
 * A transaction that hit an error it cannot undo (a failed write, a
 * quota) is doomed: committing it answers ENOMEM, as xenstored's does.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xenplat/xenstore/store.h"

struct xs_tx *xs_tx_lookup(struct xs_conn *c, uint32_t id, int *err)
{
    struct xs_tx *t;

    *err = 0;
    if (id == 0)
        return NULL;
    for (t = c->txs; t && t->id != id; t = t->next)
        ;
    if (!t)
        *err = XS_ENOENT;
    return t;
}

static unsigned path_hash(const char *path)
{
    unsigned h = 5381;

    for (; *path; path++)
        h = h * 33 + (uint8_t)*path;
    return h % XS_TX_HASH;
}

struct xs_access *xs_tx_find(struct xs_tx *t, const char *path)
{
    struct xs_access *a;

    for (a = t->hash[path_hash(path)]; a && strcmp(a->path, path) != 0;
         a = a->hash_next)
        ;
    return a;
}

const char *xs_tx_key(struct xs_conn *c, const char *path)
{
    struct xs_access *a = c->tx ? xs_tx_find(c->tx, path) : NULL;

    return a ? a->key : path;
}

static void free_access(struct xs_access *a)
{
    free(a->path);
    free(a->key);
    free(a->perms);
    free(a);
}

/* The first touch of path: remember its generation and permissions; a
 * read copies the node into the transaction. */
static struct xs_access *new_access(struct xs_conn *c, const char *path,
                                    const struct xs_node *node,
                                    enum xs_access_type type, int *err)
{
    struct xs_tx *t = c->tx;
    struct xs_access *a = calloc(1, sizeof(*a));
    size_t klen = strlen(path) + 24;
    struct xs_node *copy = NULL;
    struct xs_db_entry *e = NULL;

    *err = XS_ENOMEM;
    if (!a)
        return NULL;
    a->path = strdup(path);
    a->key = malloc(klen);
    if (node && node->nperms)
        a->perms = malloc(node->nperms * sizeof(*a->perms));
    if (!a->path || !a->key || (node && node->nperms && !a->perms))
        goto fail;
    snprintf(a->key, klen, "%" PRIu64 "/%s", t->gen, path);
    a->gen = node ? node->gen : XS_NO_GEN;
    if (node) {
        a->nperms = node->nperms;
        memcpy(a->perms, node->perms, node->nperms * sizeof(*a->perms));
    }
    if (type == XS_ACCESS_READ) {
        a->check = true;
        if (node) {
            copy = xs_node_make(node->perms, node->nperms, node->data,
                                node->datalen, node->children,
                                node->childlen);
            if (!copy || !(e = xs_db_entry_new(a->key, copy)))
                goto fail;
            copy->gen = node->gen;
            xs_db_put(&c->s->db, e);
            a->has_copy = true;
        }
    }
    *err = 0;
    return a;
fail:
    free(copy);
    free_access(a);
    return NULL;
}

int xs_tx_access(struct xs_conn *c, const char *path,
                 const struct xs_node *node, enum xs_access_type type)
{
    struct xs_tx *t = c->tx;
    struct xs_access *a;
    int err;

    if (!t)
        return 0;
    if (!(a = xs_tx_find(t, path))) {
        if (xs_quota_over(c, XS_Q_TRANSACTION_NODES, t->nacc + 1)) {
            t->fail = true;
            return XS_ENOSPC;
        }
        if (!(a = new_access(c, path, node, type, &err))) {
            t->fail = true;
            return err;
        }
        if (t->acc_tail)
            t->acc_tail->next = a;
        else
            t->acc = a;
        t->acc_tail = a;
        a->hash_next = t->hash[path_hash(path)];
        t->hash[path_hash(path)] = a;
        t->nacc++;
    }
    if (type != XS_ACCESS_READ)
        a->modified = true;
    if (type == XS_ACCESS_WRITE)
        a->has_copy = true;
    else if (type == XS_ACCESS_DELETE)
        a->has_copy = false;
    return 0;
}

static struct xs_tx_delta *find_delta(struct xs_tx *t, uint32_t domid)
{
    unsigned i;

    for (i = 0; i < t->ndelta; i++)
        if (t->delta[i].domid == domid)
            return &t->delta[i];
    return NULL;
}

int xs_tx_nodes_delta(struct xs_conn *c, uint32_t domid)
{
    struct xs_tx_delta *d = c->tx ? find_delta(c->tx, domid) : NULL;

    return d ? d->nodes : 0;
}

int xs_tx_add_nodes(struct xs_conn *c, uint32_t domid, int delta)
{
    struct xs_tx *t = c->tx;
    struct xs_tx_delta *d;

    if (!t) {
        xs_domain_acc_add(c->s, domid, XS_ACC_NODES, delta);
        return 0;
    }
    if (!(d = find_delta(t, domid))) {
        d = realloc(t->delta, (t->ndelta + 1) * sizeof(*d));
        if (!d) {
            t->fail = true;
            return XS_ENOMEM;
        }
        t->delta = d;
        d = &t->delta[t->ndelta++];
        *d = (struct xs_tx_delta){ domid, 0 };
    }
    d->nodes += delta;
    return 0;
}

/* A non-exact event replaces an exact one, not the other way round. */
void xs_tx_queue_watch(struct xs_conn *c, const char *path, bool exact)
{
    struct xs_access *a = xs_tx_find(c->tx, path);

    if (!a) {
        c->tx->fail = true;
        return;
    }
    if (!a->fire) {
        a->fire = true;
        a->exact = exact;
    } else if (!exact) {
        a->exact = false;
    }
}

int xs_tx_start(struct xs_conn *c, uint32_t *id)
{
    struct xs_tx *t = calloc(1, sizeof(*t)), **p;
    int err;

    if (!t)
        return XS_ENOMEM;
    t->gen = ++c->s->generation;
    do
        t->id = c->next_tx_id++;
    while (t->id == 0 || xs_tx_lookup(c, t->id, &err));
    for (p = &c->txs; *p; p = &(*p)->next)
        ;
    *p = t;
    xs_domain_acc_add(c->s, c->id, XS_ACC_TRANSACTIONS, 1);
    *id = t->id;
    return 0;
}

void xs_tx_free(struct xs_conn *c, struct xs_tx *t)
{
    struct xs_tx **p;

    for (p = &c->txs; *p && *p != t; p = &(*p)->next)
        ;
    if (*p)
        *p = t->next;
    while (t->acc) {
        struct xs_access *a = t->acc;
        t->acc = a->next;
        if (a->has_copy)
            xs_db_del(&c->s->db, a->key);
        free_access(a);
    }
    free(t->delta);
    if (c->tx == t)
        c->tx = NULL;
    xs_domain_acc_add(c->s, c->id, XS_ACC_TRANSACTIONS, -1);
    free(t);
}

void xs_tx_free_all(struct xs_conn *c)
{
    while (c->txs)
        xs_tx_free(c, c->txs);
    c->tx = NULL;
}

/* The node-count quota at commit (xenstored's acc_fix_domains): only when
 * the transaction created nodes; an unprivileged domain may not end with
 * the quota or more. */
static int check_counts(struct xs_conn *c, struct xs_tx *t)
{
    unsigned i;

    if (!t->node_created || xs_conn_privileged(c))
        return 0;
    for (i = 0; i < t->ndelta; i++) {
        const struct xs_tx_delta *d = &t->delta[i];
        if (d->domid != XS_TOOLSTACK_DOMID &&
            xs_domain_acc(c->s, d->domid, XS_ACC_NODES) + d->nodes >=
                (int)c->s->quota[XS_Q_NODES])
            return XS_ENOSPC;
    }
    return 0;
}

static bool conflicts(struct xs_conn *c, struct xs_tx *t)
{
    const struct xs_access *a;

    for (a = t->acc; a; a = a->next) {
        const struct xs_node *n;
        if (!a->check)
            continue;
        n = xs_db_get(&c->s->db, a->path);
        if ((n ? n->gen : XS_NO_GEN) != a->gen)
            return true;
    }
    return false;
}

/* Entries for the copies that become the store's nodes, made before
 * anything changes so that the commit cannot fail half way. */
static int prepare_entries(struct xs_tx *t, struct xs_db_entry ***out)
{
    struct xs_db_entry **e = calloc(t->nacc + 1, sizeof(*e));
    const struct xs_access *a;
    unsigned i = 0;

    if (!e)
        return XS_ENOMEM;
    for (a = t->acc; a; a = a->next, i++) {
        if (!a->modified || !a->has_copy)
            continue;
        if (!(e[i] = xs_db_entry_new(a->path, NULL))) {
            while (i--)
                free(e[i]);
            free(e);
            return XS_ENOMEM;
        }
    }
    *out = e;
    return 0;
}

static void apply(struct xs_conn *c, struct xs_tx *t, struct xs_db_entry **e)
{
    struct xs_store *s = c->s;
    struct xs_access *a;
    unsigned i = 0;

    for (a = t->acc; a; a = a->next, i++) {
        if (a->modified && a->has_copy) {
            e[i]->node = xs_db_take(&s->db, a->key);
            a->has_copy = false;
            if (e[i]->node) {
                e[i]->node->gen = ++s->generation;
                xs_db_put(&s->db, e[i]);
            } else {
                free(e[i]);
            }
        } else if (a->modified && a->gen != XS_NO_GEN) {
            xs_db_del(&s->db, a->path);
        }
        if (a->fire) {
            struct xs_perms_ref old = { a->perms, a->nperms, a->gen };
            xs_fire_watches(s, c, a->path, NULL, a->perms ? &old : NULL,
                            a->exact);
        }
    }
    for (i = 0; i < t->ndelta; i++)
        xs_domain_acc_add(s, t->delta[i].domid, XS_ACC_NODES,
                          t->delta[i].nodes);
}

int xs_tx_end(struct xs_conn *c, bool commit)
{
    struct xs_tx *t = c->tx;
    struct xs_db_entry **e = NULL;
    int err = 0;

    c->tx = NULL;                 /* commits touch the store itself */
    if (commit) {
        if (t->fail)
            err = XS_ENOMEM;
        else if ((err = check_counts(c, t)) == 0 && conflicts(c, t))
            err = XS_EAGAIN;
        if (!err && (err = prepare_entries(t, &e)) == 0)
            apply(c, t, e);
    }
    free(e);
    xs_tx_free(c, t);
    return err;
}
