/*
 * Domains as the store sees them (tools/xenstored/domain.c): which exist
 * (a permission naming any other domain is ignored), which are connected
 * (introduced), what each uses against its quotas, and the special
 * watches: @introduceDomain when a domain is introduced, @releaseDomain
 * when one shuts down (once, until RESUME) or is released.  Releasing a
 * domain removes the nodes it owns, as xenstored does for a domain that
 * goes away.
 */
#include <stdlib.h>
#include <string.h>
#include "xenplat/xenstore/store.h"

struct xs_domain *xs_domain_find(struct xs_store *s, uint32_t domid)
{
    struct xs_domain *d;

    for (d = s->domains; d && d->domid != domid; d = d->next)
        ;
    return d;
}

int xs_domain_new(struct xs_store *s, uint32_t domid)
{
    struct xs_domain *d, **p;

    if (xs_domain_find(s, domid))
        return 0;
    if (!(d = calloc(1, sizeof(*d))))
        return XS_ENOMEM;
    d->domid = domid;
    d->gen = s->generation;
    for (p = &s->domains; *p; p = &(*p)->next)
        ;
    *p = d;
    return 0;
}

void xs_domain_acc_add(struct xs_store *s, uint32_t domid, enum xs_acc a,
                       int delta)
{
    struct xs_domain *d = xs_domain_find(s, domid);

    if (!d)
        return;
    d->acc[a] += delta;
    if (d->acc[a] < 0)
        d->acc[a] = 0;
    if (d->acc[a] > d->acc_max[a])
        d->acc_max[a] = d->acc[a];
}

int xs_domain_acc(struct xs_store *s, uint32_t domid, enum xs_acc a)
{
    struct xs_domain *d = xs_domain_find(s, domid);

    return d ? d->acc[a] : 0;
}

struct xs_conn *xs_domain_conn(struct xs_store *s, uint32_t domid)
{
    struct xs_domain *d = xs_domain_find(s, domid);

    return d && d->introduced ? d->conn : NULL;
}

void xs_fire_special(struct xs_store *s, const char *name)
{
    const struct xs_node *n = xs_db_get(&s->db, name);
    struct xs_perms_ref ref;

    if (!n)
        return;
    ref = (struct xs_perms_ref){ n->perms, n->nperms, n->gen };
    xs_fire_watches(s, NULL, name, &ref, NULL, true);
}

struct xs_conn *xs_domain_introduce(struct xs_store *s, uint32_t domid,
                                    const struct xs_transport *t,
                                    void *opaque)
{
    struct xs_domain *d;
    struct xs_conn *c;

    if (xs_domain_new(s, domid))
        return NULL;
    d = xs_domain_find(s, domid);
    if (d->introduced || !(c = xs_conn_new(s, domid, t, opaque)))
        return NULL;
    d->conn = c;
    d->introduced = true;
    d->shutdown = false;
    if (domid != XS_TOOLSTACK_DOMID)
        xs_fire_special(s, "@introduceDomain");
    return c;
}

void xs_domain_shutdown(struct xs_store *s, uint32_t domid)
{
    struct xs_domain *d = xs_domain_find(s, domid);

    if (!d || !d->introduced || d->shutdown)
        return;
    d->shutdown = true;
    xs_fire_special(s, "@releaseDomain");
}

/* ---- release -------------------------------------------------------------- */

struct owned {
    uint32_t domid;
    char **paths;
    size_t n, cap;
    bool nomem;
};

static int collect_owned(void *opaque, const char *path,
                         const struct xs_node *n)
{
    struct owned *o = opaque;

    if (xs_node_owner(n) != o->domid)
        return XS_WALK_OK;
    if (o->n == o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 16;
        char **p = realloc(o->paths, cap * sizeof(*p));
        if (!p) {
            o->nomem = true;
            return XS_WALK_STOP;
        }
        o->paths = p;
        o->cap = cap;
    }
    if (!(o->paths[o->n] = strdup(path))) {
        o->nomem = true;
        return XS_WALK_STOP;
    }
    o->n++;
    return XS_WALK_SKIP;          /* its children go with it */
}

/* xenstored's domain_tree_remove: the nodes a departed domain owned. */
static void remove_owned(struct xs_store *s, uint32_t domid)
{
    struct owned o = { .domid = domid };
    size_t i;

    xs_walk(s->toolstack, "/", collect_owned, NULL, &o);
    for (i = 0; i < o.n; i++) {
        if (strcmp(o.paths[i], "/") != 0)
            xs_rm_node(s->toolstack, o.paths[i]);
        free(o.paths[i]);
    }
    free(o.paths);
}

void xs_domain_release(struct xs_store *s, struct xs_domain *d)
{
    struct xs_conn *c = d->conn;

    if (c) {
        xs_watch_free_all(c);     /* no events for its own nodes going */
        xs_conn_free(c);
    }
    d->conn = NULL;
    d->introduced = false;
    remove_owned(s, d->domid);
    xs_fire_special(s, "@releaseDomain");
}

void xs_domain_destroyed(struct xs_store *s, uint32_t domid)
{
    struct xs_domain *d = xs_domain_find(s, domid);

    if (d && d->introduced)
        xs_domain_release(s, d);
}
