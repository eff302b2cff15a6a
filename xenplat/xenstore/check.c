/*
 * The store's consistency (xenstored's check_store, which repairs; this
 * one reports): the tree from / has no missing or repeated children, the
 * node counts per owner match what the quotas are checked against, and
 * every record in the database is a node of the tree, a special node or
 * the copy of a live transaction.  The unit tests and the fuzz harness
 * run it after every change; CONTROL check runs it too.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xenplat/xenstore/store.h"

struct check {
    struct xs_store *s;
    char *why;
    size_t len;
    size_t nodes;                     /* records reachable */
    bool bad;
};

static void problem(struct check *k, const char *fmt, ...) XE_PRINTF(2, 3);

static void problem(struct check *k, const char *fmt, ...)
{
    va_list ap;

    if (k->bad)
        return;
    k->bad = true;
    va_start(ap, fmt);
    vsnprintf(k->why, k->len, fmt, ap);
    va_end(ap);
}

static int known_owner(struct check *k, const struct xs_node *n)
{
    if (xs_domain_find(k->s, xs_node_owner(n)))
        return 0;
    problem(k, "owner %u is no domain", (unsigned)xs_node_owner(n));
    return -1;
}

static int check_node(void *opaque, const char *path, const struct xs_node *n)
{
    struct check *k = opaque;
    uint32_t off, len;
    char child[XS_PAYLOAD_MAX + 8];

    k->nodes++;
    if (known_owner(k, n))
        return XS_WALK_STOP;
    for (off = 0; off < n->childlen; off += len + 1) {
        uint32_t o2;
        len = (uint32_t)strnlen(n->children + off, n->childlen - off);
        if (off + len == n->childlen) {
            problem(k, "%s: unterminated children list", path);
            return XS_WALK_STOP;
        }
        snprintf(child, sizeof(child), "%s/%s", strcmp(path, "/") ? path : "",
                 n->children + off);
        if (!xs_db_get(&k->s->db, child)) {
            problem(k, "%s: listed child %s does not exist", path, child);
            return XS_WALK_STOP;
        }
        for (o2 = 0; o2 < off; o2 += (uint32_t)strlen(n->children + o2) + 1)
            if (strcmp(n->children + o2, n->children + off) == 0) {
                problem(k, "%s: child %s listed twice", path, child);
                return XS_WALK_STOP;
            }
    }
    return XS_WALK_OK;
}

/* Node counts per owner, recounted from the records in one pass. */
struct owners {
    struct xs_store *s;
    struct xs_domain **dom;
    int *n;
    size_t ndom;
};

static void count_records(void *opaque, const char *key,
                          const struct xs_node *n)
{
    struct owners *o = opaque;
    size_t i;

    if (key[0] != '/' && key[0] != '@')
        return;                       /* a transaction's copy */
    for (i = 0; i < o->ndom; i++)
        if (o->dom[i]->domid == xs_node_owner(n))
            o->n[i]++;
}

static void check_counts(struct xs_store *s, struct check *k)
{
    struct owners o = { s, NULL, NULL, 0 };
    struct xs_domain *d;
    size_t i;

    for (d = s->domains; d; d = d->next)
        o.ndom++;
    o.dom = calloc(o.ndom + 1, sizeof(*o.dom));
    o.n = calloc(o.ndom + 1, sizeof(*o.n));
    if (!o.dom || !o.n) {
        problem(k, "out of memory checking the node counts");
    } else {
        for (i = 0, d = s->domains; d; d = d->next)
            o.dom[i++] = d;
        xs_db_foreach(&s->db, count_records, &o);
        for (i = 0; i < o.ndom; i++)
            if (o.n[i] != o.dom[i]->acc[XS_ACC_NODES])
                problem(k, "domain %u owns %d nodes but is charged %d",
                        (unsigned)o.dom[i]->domid, o.n[i],
                        o.dom[i]->acc[XS_ACC_NODES]);
    }
    free(o.dom);
    free(o.n);
}

static size_t tx_copies(struct xs_store *s, struct check *k)
{
    const struct xs_conn *c;
    const struct xs_tx *t;
    const struct xs_access *a;
    size_t n = 0;

    for (c = s->conns; c; c = c->next)
        for (t = c->txs; t; t = t->next)
            for (a = t->acc; a; a = a->next)
                if (a->has_copy) {
                    if (!xs_db_get(&s->db, a->key))
                        problem(k, "transaction copy %s is missing", a->key);
                    n++;
                }
    return n;
}

int xs_check(struct xs_store *s, char *why, size_t len)
{
    static const char *const special[] = { "@releaseDomain",
                                           "@introduceDomain" };
    struct check k = { .s = s, .why = why, .len = len };
    size_t i, copies;

    if (len)
        why[0] = 0;
    xs_walk(s->toolstack, "/", check_node, NULL, &k);
    for (i = 0; i < ARRAY_SIZE(special); i++) {
        const struct xs_node *n = xs_db_get(&s->db, special[i]);
        if (!n)
            problem(&k, "special node %s is missing", special[i]);
        else
            k.nodes++;
    }
    copies = tx_copies(s, &k);
    if (!k.bad && k.nodes + copies != s->db.count)
        problem(&k, "%zu records, but %zu nodes and %zu transaction copies",
                s->db.count, k.nodes, copies);
    if (!k.bad)
        check_counts(s, &k);
    return k.bad ? XS_EIO : 0;
}
