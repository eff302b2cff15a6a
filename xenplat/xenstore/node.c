/*
 * The node tree (tools/xenstored/core.c): reading a node as a connection
 * sees it (through its transaction), who may do what with it, and the
 * operations that change the tree: write a record, create a node with its
 * missing parents, remove a subtree.  Every change is checked and
 * allocated first and applied after, so a failing request leaves the tree
 * as it was.
 *
 * Permissions (perm_for_conn): a privileged connection, the owner (first
 * entry) and the owner's target get everything; a domain listed after the
 * first entry gets its entry; everyone else gets the first entry's.  An
 * entry for a domain that does not exist, or that appeared after the
 * node was last written, is ignored, so a new domain does not inherit a
 * dead one's rights.
 */
#include <stdlib.h>
#include <string.h>
#include "xenplat/xenstore/store.h"

uint32_t xs_node_owner(const struct xs_node *n)
{
    return n->nperms ? n->perms[0].domid : XS_TOOLSTACK_DOMID;
}

static bool perm_ignored(struct xs_store *s, const struct xs_perm *p,
                         uint64_t gen)
{
    const struct xs_domain *d;

    if (p->perms & XS_PERM_IGNORE)
        return true;
    d = xs_domain_find(s, p->domid);
    return !d || d->gen > gen;
}

static bool is_me(const struct xs_conn *c, uint32_t domid)
{
    return domid == c->id || (c->has_target && domid == c->target);
}

unsigned xs_perm_for_perms(struct xs_conn *c, const struct xs_perm *p,
                           uint32_t n, uint64_t node_gen)
{
    const unsigned all = XS_PERM_READ | XS_PERM_WRITE | XS_PERM_OWNER;
    uint32_t i;

    if (xs_conn_privileged(c) || (n && is_me(c, p[0].domid)))
        return all;
    if (!n)
        return XS_PERM_NONE;
    for (i = 1; i < n; i++)
        if (!perm_ignored(c->s, &p[i], node_gen) && is_me(c, p[i].domid))
            return p[i].perms & all;
    return p[0].perms & all;
}

unsigned xs_perm_for(struct xs_conn *c, const struct xs_node *n)
{
    return xs_perm_for_perms(c, n->perms, n->nperms, n->gen);
}

const struct xs_node *xs_read_node(struct xs_conn *c, const char *path,
                                   int *err)
{
    const struct xs_db *db = &c->s->db;
    const struct xs_node *n = xs_db_get(db, xs_tx_key(c, path));
    int r = xs_tx_access(c, path, n, XS_ACCESS_READ);

    if (r || !n) {
        *err = r ? r : XS_ENOENT;
        return NULL;
    }
    *err = 0;
    return xs_db_get(db, xs_tx_key(c, path));
}

/* A node that is missing or forbidden must not tell its secrets: the
 * nearest existing parent decides whether the caller hears err or
 * EACCES. */
static int errno_from_parents(struct xs_conn *c, const char *path, int err,
                              unsigned perm)
{
    const struct xs_node *n = NULL;
    char *cur = strdup(path), *parent;
    int e;

    while (cur && strcmp(cur, "/") != 0) {
        parent = xs_path_parent(cur);
        free(cur);
        cur = parent;
        if (!cur)
            break;
        if ((n = xs_read_node(c, cur, &e)))
            break;
        if (e == XS_ENOMEM || e == XS_ENOSPC) {
            free(cur);
            return e;
        }
    }
    if (!cur)
        return XS_ENOMEM;
    free(cur);
    return n && (xs_perm_for(c, n) & perm) ? err : XS_EACCES;
}

const struct xs_node *xs_get_node(struct xs_conn *c, const char *path,
                                  unsigned perm, int *err)
{
    const struct xs_node *n = xs_read_node(c, path, err);

    if (n && (xs_perm_for(c, n) & perm) != perm) {
        n = NULL;
        *err = XS_EACCES;
    }
    if (!n && *err != XS_ENOMEM && *err != XS_ENOSPC)
        *err = errno_from_parents(c, path, *err, perm);
    return n;
}

static void doom(struct xs_conn *c)
{
    if (c->tx)
        c->tx->fail = true;
}

static bool too_big(struct xs_conn *c, const struct xs_node *n)
{
    return xs_quota_over(c, XS_Q_NODE_SIZE,
                         xs_node_size(n->nperms, n->datalen, n->childlen));
}

/* Record the write of path (a new generation) and an entry holding n
 * under the key it goes to; NULL with *err on failure (n is kept). */
static struct xs_db_entry *prepare_write(struct xs_conn *c, const char *path,
                                         struct xs_node *n, int *err)
{
    const struct xs_db *db = &c->s->db;
    struct xs_db_entry *e;

    *err = xs_tx_access(c, path, xs_db_get(db, xs_tx_key(c, path)),
                        XS_ACCESS_WRITE);
    if (*err)
        return NULL;
    if (!(e = xs_db_entry_new(xs_tx_key(c, path), n))) {
        *err = XS_ENOMEM;
        doom(c);
    }
    return e;
}

int xs_write_node(struct xs_conn *c, const char *path, struct xs_node *n,
                  bool quota)
{
    struct xs_db_entry *e;
    int err;

    if (quota && too_big(c, n)) {
        doom(c);
        free(n);
        return XS_ENOSPC;
    }
    if (!(e = prepare_write(c, path, n, &err))) {
        free(n);
        return err;
    }
    n->gen = ++c->s->generation;
    xs_db_put(&c->s->db, e);
    return 0;
}

/* ---- creating ---------------------------------------------------------------- */

/* A node being created: its path, its record, where it goes. */
struct new_node {
    char *path;
    struct xs_node *rec;
    struct xs_db_entry *entry;
};

static void free_new(struct new_node *nn, unsigned k)
{
    unsigned i;

    for (i = 0; i < k; i++) {
        free(nn[i].path);
        if (nn[i].entry)
            free(nn[i].entry);
        free(nn[i].rec);
    }
    free(nn);
}

/* The missing nodes from path up (nn[0] = path) and the existing parent
 * of the last: *k of them, *parent_path.  0 or an error. */
static int find_missing(struct xs_conn *c, const char *path,
                        struct new_node **out, unsigned *k,
                        char **parent_path)
{
    struct new_node *nn = NULL;
    unsigned n = 0, cap = 0;
    char *cur = strdup(path);
    int err = 0;

    for (;;) {
        if (!cur) {
            err = XS_ENOMEM;
            break;
        }
        if (n == cap) {
            struct new_node *p = realloc(nn, (cap = cap ? cap * 2 : 8) *
                                         sizeof(*nn));
            if (!p) {
                free(cur);
                err = XS_ENOMEM;
                break;
            }
            nn = p;
        }
        nn[n++] = (struct new_node){ .path = cur };
        if (!(cur = xs_path_parent(cur))) {
            err = XS_ENOMEM;
            break;
        }
        if (xs_read_node(c, cur, &err))
            break;
        if (err != XS_ENOENT || strcmp(cur, "/") == 0) {
            free(cur);
            break;
        }
    }
    if (err) {
        free_new(nn, n);
        return err;
    }
    *out = nn;
    *k = n;
    *parent_path = cur;
    return 0;
}

/* Children list plus one name. */
static struct xs_node *with_child(const struct xs_node *n,
                                  const struct xs_perm *perms,
                                  const void *data, uint32_t datalen,
                                  const char *child)
{
    uint32_t cl = child ? (uint32_t)strlen(child) + 1 : 0;
    uint32_t oldlen = n ? n->childlen : 0;
    struct xs_node *r = xs_node_alloc(n ? n->nperms : 0, datalen,
                                      oldlen + cl);

    if (!r)
        return NULL;
    if (n)
        memcpy(r->perms, perms, n->nperms * sizeof(*perms));
    if (datalen)
        memcpy(r->data, data, datalen);
    if (oldlen)
        memcpy(r->children, n->children, oldlen);
    if (cl)
        memcpy(r->children + oldlen, child, cl);
    return r;
}

/* The records: nn[i] gets the parent's permissions (owned by an
 * unprivileged creator) and its one new child's name; data goes to
 * nn[0]; *prec is the existing parent with the new child added. */
static int build_records(struct xs_conn *c, const struct xs_node *parent,
                         struct new_node *nn, unsigned k,
                         const void *data, uint32_t datalen,
                         struct xs_node **prec)
{
    struct xs_node shape = { .nperms = parent->nperms };
    struct xs_perm *perms = malloc(parent->nperms * sizeof(*perms) + 1);
    unsigned i;

    if (!perms)
        return XS_ENOMEM;
    memcpy(perms, parent->perms, parent->nperms * sizeof(*perms));
    if (!xs_conn_privileged(c) && parent->nperms)
        perms[0].domid = c->id;
    for (i = 0; i < k; i++) {
        const char *child = i ? xs_path_basename(nn[i - 1].path) : NULL;
        nn[i].rec = with_child(&shape, perms, i ? NULL : data,
                               i ? 0 : datalen, child);
        if (!nn[i].rec)
            break;
    }
    free(perms);
    if (i < k)
        return XS_ENOMEM;
    *prec = with_child(parent, parent->perms, parent->data, parent->datalen,
                       xs_path_basename(nn[k - 1].path));
    return *prec ? 0 : XS_ENOMEM;
}

/* xenstored checks bottom up: the node count before each new node, then
 * the size of each record as it writes it.  A failed write dooms a
 * transaction (xenstored cannot undo it there), and so does a count
 * failure after the first new node was written. */
static int check_quotas(struct xs_conn *c, const struct new_node *nn,
                        unsigned k, const struct xs_node *prec)
{
    int base = xs_domain_acc(c->s, c->id, XS_ACC_NODES) +
               xs_tx_nodes_delta(c, c->id);
    unsigned i;

    for (i = 0; i <= k; i++) {
        if (i < k && !xs_conn_privileged(c) &&
            base + (int)i >= (int)c->s->quota[XS_Q_NODES]) {
            if (i > 0)
                doom(c);
            return XS_ENOSPC;
        }
        if (i < k ? too_big(c, nn[i].rec) : too_big(c, prec)) {
            doom(c);
            return XS_ENOSPC;
        }
    }
    return 0;
}

int xs_create_node(struct xs_conn *c, const char *path, const void *data,
                   uint32_t datalen)
{
    struct xs_store *s = c->s;
    struct new_node *nn;
    struct xs_node *prec = NULL;
    struct xs_db_entry *pentry = NULL;
    char *ppath;
    unsigned k, i;
    int err;

    if ((err = find_missing(c, path, &nn, &k, &ppath)))
        return err;
    if (c->tx)
        c->tx->node_created = true;
    err = build_records(c, xs_db_get(&s->db, xs_tx_key(c, ppath)), nn, k,
                        data, datalen, &prec);
    if (!err)
        err = check_quotas(c, nn, k, prec);
    for (i = 0; !err && i < k; i++)
        nn[i].entry = prepare_write(c, nn[i].path, nn[i].rec, &err);
    if (!err)
        pentry = prepare_write(c, ppath, prec, &err);
    if (!err)
        err = xs_tx_add_nodes(c, xs_node_owner(nn[0].rec), (int)k);
    if (err) {
        if (i > 0)
            doom(c);              /* accesses recorded for nothing */
        free(pentry);
        free(prec);
        free(ppath);
        free_new(nn, k);
        return err;
    }
    for (i = 0; i < k; i++) {
        nn[i].rec->gen = ++s->generation;
        xs_db_put(&s->db, nn[i].entry);
        nn[i].entry = NULL;
        nn[i].rec = NULL;
    }
    prec->gen = ++s->generation;
    xs_db_put(&s->db, pentry);
    free(ppath);
    free_new(nn, k);
    return 0;
}

/* ---- removing ---------------------------------------------------------------- */

struct path_list {
    char **p;
    size_t n, cap;
    bool nomem;
};

static int collect_path(void *opaque, const char *path,
                        const struct xs_node *n)
{
    struct path_list *l = opaque;

    (void)n;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        char **p = realloc(l->p, cap * sizeof(*p));
        if (!p) {
            l->nomem = true;
            return XS_WALK_STOP;
        }
        l->p = p;
        l->cap = cap;
    }
    if (!(l->p[l->n] = strdup(path))) {
        l->nomem = true;
        return XS_WALK_STOP;
    }
    l->n++;
    return XS_WALK_OK;
}

/* The parent's record without the child called name; NULL with *err. */
static struct xs_node *without_child(const struct xs_node *n,
                                     const char *name, int *err)
{
    uint32_t off, len = (uint32_t)strlen(name) + 1;
    struct xs_node *r;

    for (off = 0; off < n->childlen;
         off += (uint32_t)strlen(n->children + off) + 1)
        if (strcmp(n->children + off, name) == 0)
            break;
    if (off >= n->childlen) {
        *err = XS_EIO;            /* xenstored: "Can't find child" */
        return NULL;
    }
    if (!(r = xs_node_alloc(n->nperms, n->datalen, n->childlen - len))) {
        *err = XS_ENOMEM;
        return NULL;
    }
    memcpy(r->perms, n->perms, n->nperms * sizeof(*n->perms));
    memcpy(r->data, n->data, n->datalen);
    memcpy(r->children, n->children, off);
    memcpy(r->children + off, n->children + off + len,
           n->childlen - off - len);
    return r;
}

/* Remove one node of the subtree; its watches fire (exact below the
 * root of the removal, as xenstored's delnode_sub). */
static void remove_one(struct xs_conn *c, const char *path, bool exact)
{
    struct xs_store *s = c->s;
    const struct xs_node *n = xs_db_get(&s->db, xs_tx_key(c, path));
    struct xs_perms_ref ref;

    if (!n || xs_tx_access(c, path, n, XS_ACCESS_DELETE))
        return;
    xs_tx_add_nodes(c, xs_node_owner(n), -1);
    ref = (struct xs_perms_ref){ n->perms, n->nperms, n->gen };
    xs_fire_watches(s, c, path, &ref, NULL, exact);
    xs_db_del(&s->db, xs_tx_key(c, path));
}

int xs_rm_node(struct xs_conn *c, const char *path)
{
    struct path_list l = { 0 };
    const struct xs_node *parent;
    struct xs_node *prec = NULL;
    struct xs_db_entry *pentry = NULL;
    char *ppath = xs_path_parent(path);
    size_t i;
    int err;

    if (!ppath)
        return XS_ENOMEM;
    if (!xs_read_node(c, ppath, &err)) {
        free(ppath);
        return err == XS_ENOMEM || err == XS_ENOSPC ? err : XS_EINVAL;
    }
    /* Read everything first (a transaction records each node), then
     * prepare the parent's new record, then remove: nothing can fail
     * half way. */
    err = xs_walk(c, path, NULL, collect_path, &l);
    if (!err && l.nomem)
        err = XS_ENOMEM;
    parent = xs_db_get(&c->s->db, xs_tx_key(c, ppath));
    if (!err && !parent)
        err = XS_EINVAL;
    if (!err)
        prec = without_child(parent, xs_path_basename(path), &err);
    if (!err && !(pentry = prepare_write(c, ppath, prec, &err)))
        free(prec);
    for (i = 0; i < l.n; i++) {
        if (!err)
            remove_one(c, l.p[i], strcmp(l.p[i], path) != 0);
        free(l.p[i]);
    }
    free(l.p);
    if (!err) {
        prec->gen = ++c->s->generation;
        xs_db_put(&c->s->db, pentry);
    }
    free(ppath);
    return err;
}

/* ---- walking ----------------------------------------------------------------- */

struct frame {
    char *path;
    char *children;
    uint32_t childlen, off;
};

static char *child_path(const char *parent, const char *child)
{
    size_t a = strlen(parent), b = strlen(child);
    char *p = malloc(a + b + 2);

    if (!p)
        return NULL;
    memcpy(p, parent, a);
    if (strcmp(parent, "/") != 0)
        p[a++] = '/';
    memcpy(p + a, child, b + 1);
    return p;
}

/* Enter path (read as n) and push its frame; takes path. */
static int push(struct frame **st, size_t *depth, size_t *cap, char *path,
                const struct xs_node *n, xs_walk_fn enter, void *opaque)
{
    int r = enter ? enter(opaque, path, n) : XS_WALK_OK;
    struct frame *f;

    if (r == XS_WALK_STOP) {
        free(path);
        return XS_WALK_STOP;
    }
    if (*depth == *cap) {
        size_t c = *cap ? *cap * 2 : 16;
        struct frame *p = realloc(*st, c * sizeof(*p));
        if (!p) {
            free(path);
            return -1;
        }
        *st = p;
        *cap = c;
    }
    f = &(*st)[(*depth)++];
    f->path = path;
    f->off = 0;
    f->childlen = r == XS_WALK_SKIP ? 0 : n->childlen;
    f->children = malloc(f->childlen + 1);
    if (!f->children) {
        free(path);
        (*depth)--;
        return -1;
    }
    memcpy(f->children, n->children, f->childlen);
    return XS_WALK_OK;
}

int xs_walk(struct xs_conn *c, const char *root, xs_walk_fn enter,
            xs_walk_fn leave, void *opaque)
{
    struct frame *st = NULL;
    size_t depth = 0, cap = 0;
    const struct xs_node *n;
    char *path;
    int err = 0, r;

    if (!(n = xs_read_node(c, root, &err)))
        return err == XS_ENOENT ? 0 : err;
    if (!(path = strdup(root)))
        return XS_ENOMEM;
    r = push(&st, &depth, &cap, path, n, enter, opaque);
    while (r == XS_WALK_OK && depth) {
        struct frame *f = &st[depth - 1];
        if (f->off >= f->childlen) {
            n = xs_db_get(&c->s->db, xs_tx_key(c, f->path));
            if (leave && n)
                r = leave(opaque, f->path, n);
            free(f->path);
            free(f->children);
            depth--;
            continue;
        }
        path = child_path(f->path, f->children + f->off);
        f->off += (uint32_t)strlen(f->children + f->off) + 1;
        if (!path) {
            r = -1;
            break;
        }
        if (!(n = xs_read_node(c, path, &err))) {
            free(path);
            if (err != XS_ENOENT)
                break;
            err = 0;
            continue;
        }
        r = push(&st, &depth, &cap, path, n, enter, opaque);
    }
    if (r < 0)
        err = XS_ENOMEM;
    while (depth--) {
        free(st[depth].path);
        free(st[depth].children);
    }
    free(st);
    return err;
}
