/*
 * A store's life: xenstored's initial nodes (setup_structure), dom0 and
 * its toolstack connection, and the teardown.
 */
#include <stdlib.h>
#include <string.h>
#include "xenplat/xenstore/store.h"

/* A node owned by dom0 that no domain may read (manual_node). */
static int initial_node(struct xs_store *s, const char *name,
                        const char *child)
{
    static const struct xs_perm none = { XS_TOOLSTACK_DOMID, XS_PERM_NONE };
    uint32_t cl = child ? (uint32_t)strlen(child) + 1 : 0;
    struct xs_node *n = xs_node_make(&none, 1, NULL, 0, child, cl);
    struct xs_db_entry *e = n ? xs_db_entry_new(name, n) : NULL;

    if (!e) {
        free(n);
        return XS_ENOMEM;
    }
    n->gen = ++s->generation;
    xs_db_put(&s->db, e);
    xs_domain_acc_add(s, XS_TOOLSTACK_DOMID, XS_ACC_NODES, 1);
    return 0;
}

struct xs_store *xs_store_new(void)
{
    struct xs_store *s = calloc(1, sizeof(*s));
    unsigned i;

    if (!s)
        return NULL;
    if (xs_db_init(&s->db)) {
        free(s);
        return NULL;
    }
    for (i = 0; i < XS_Q_COUNT; i++)
        s->quota[i] = xs_quota_defs[i].value;
    if (xs_domain_new(s, XS_TOOLSTACK_DOMID) ||
        initial_node(s, "/", "tool") ||
        initial_node(s, "/tool", "xenstored") ||
        initial_node(s, "/tool/xenstored", NULL) ||
        initial_node(s, "@releaseDomain", NULL) ||
        initial_node(s, "@introduceDomain", NULL) ||
        !(s->toolstack = xs_domain_introduce(s, XS_TOOLSTACK_DOMID, NULL,
                                             NULL))) {
        xs_store_free(s);
        return NULL;
    }
    return s;
}

void xs_store_free(struct xs_store *s)
{
    if (!s)
        return;
    while (s->conns)
        xs_conn_free(s->conns);
    while (s->domains) {
        struct xs_domain *d = s->domains;
        s->domains = d->next;
        free(d);
    }
    xs_db_destroy(&s->db);
    free(s);
}
