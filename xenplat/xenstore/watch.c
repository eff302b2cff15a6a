/*
 * Watches (tools/xenstored/watch.c, docs/misc/xenstore.txt WATCH): a
 * connection asks to hear about changes at a path and below; each change
 * sends it WATCH_EVENT <path>|<token>| if it may read the changed node or
 * its parent (or could read the node before a permission change).  A
 * watch fires once as soon as it is set.  Relative watches get relative
 * event paths.  "@introduceDomain" and "@releaseDomain" are the special
 * watches, fired by the store itself.
 *
 * The events a change causes are linked to the unprivileged request that
 * made it: that request stays outstanding until they are all delivered.
 */
#include <stdlib.h>
#include <string.h>
#include "xenplat/xenstore/store.h"

static bool can_read(struct xs_conn *c, const struct xs_perms_ref *r)
{
    return xs_perm_for_perms(c, r->p, r->n, r->gen) & XS_PERM_READ;
}

/* xenstored's watch_permitted. */
static bool permitted(struct xs_conn *c, const char *path,
                      const struct xs_perms_ref *node,
                      const struct xs_perms_ref *old)
{
    struct xs_store *s = c->s;
    struct xs_perms_ref ref;
    const struct xs_node *n;
    char *parent;

    if (old && can_read(c, old))
        return true;
    if (!node) {
        if (!(n = xs_db_get(&s->db, path)))
            return false;
        ref = (struct xs_perms_ref){ n->perms, n->nperms, n->gen };
        node = &ref;
    }
    if (can_read(c, node))
        return true;
    if (!(parent = xs_path_parent(path)))
        return false;
    n = xs_db_get(&s->db, parent);
    free(parent);
    return n && (xs_perm_for(c, n) & XS_PERM_READ);
}

/* The pending record of by's current request (made on first use). */
static struct xs_pending *current_request(struct xs_conn *by)
{
    if (!by || xs_conn_privileged(by))
        return NULL;
    if (!by->req && (by->req = calloc(1, sizeof(*by->req))))
        by->req->domid = by->id;
    return by->req;
}

void xs_fire_watches(struct xs_store *s, struct xs_conn *by, const char *path,
                     const struct xs_perms_ref *node,
                     const struct xs_perms_ref *old, bool exact)
{
    struct xs_pending *req;
    struct xs_conn *c;

    if (by && by->tx) {
        xs_tx_queue_watch(by, path, exact);
        return;
    }
    req = current_request(by);
    for (c = s->conns; c; c = c->next) {
        const struct xs_watch *w;
        if (!c->watches || !permitted(c, path, node, old))
            continue;
        for (w = c->watches; w; w = w->next) {
            bool match = exact ? strcmp(path, w->path) == 0
                               : xs_path_is_child(path, w->path);
            if (match)
                xs_send_event(c, req, path + w->prefix_len, w->token);
        }
    }
}

static void free_watch(struct xs_watch *w)
{
    free(w->path);
    free(w->token);
    free(w);
}

int xs_watch_add(struct xs_conn *c, const char *wpath, const char *token,
                 const struct xs_watch **out)
{
    bool relative = wpath[0] != '/' && wpath[0] != '@';
    struct xs_watch *w, **p;
    char *path, base[32];
    int err;

    if (!(path = xs_path_canonical(c, wpath, true, &err)))
        return err;
    for (p = &c->watches; *p; p = &(*p)->next)
        if (strcmp((*p)->path, path) == 0 && strcmp((*p)->token, token) == 0)
            break;
    /* xenstored compares the count before this watch with the quota. */
    err = *p ? XS_EEXIST
          : !xs_conn_privileged(c) &&
                    xs_domain_acc(c->s, c->id, XS_ACC_WATCHES) >
                        (int)c->s->quota[XS_Q_WATCHES] ? XS_E2BIG : 0;
    if (err || !(w = calloc(1, sizeof(*w))) ||
        !(w->token = strdup(token))) {
        if (!err)
            free(w);
        free(path);
        return err ? err : XS_ENOMEM;
    }
    w->path = path;
    xs_domain_path(c->id, base, sizeof(base));
    w->prefix_len = relative ? (unsigned)strlen(base) + 1 : 0;
    *p = w;
    xs_domain_acc_add(c->s, c->id, XS_ACC_WATCHES, 1);
    *out = w;
    return 0;
}

int xs_watch_remove(struct xs_conn *c, const char *wpath, const char *token)
{
    struct xs_watch **p, *w;
    char *path;
    int err;

    if (!(path = xs_path_canonical(c, wpath, true, &err)))
        return err;
    for (p = &c->watches; *p; p = &(*p)->next)
        if (strcmp((*p)->path, path) == 0 && strcmp((*p)->token, token) == 0)
            break;
    free(path);
    if (!(w = *p))
        return XS_ENOENT;
    *p = w->next;
    free_watch(w);
    xs_domain_acc_add(c->s, c->id, XS_ACC_WATCHES, -1);
    return 0;
}

void xs_watch_free_all(struct xs_conn *c)
{
    while (c->watches) {
        struct xs_watch *w = c->watches;
        c->watches = w->next;
        free_watch(w);
        xs_domain_acc_add(c->s, c->id, XS_ACC_WATCHES, -1);
    }
}
