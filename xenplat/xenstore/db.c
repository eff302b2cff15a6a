/*
 * The database: records keyed by name, as xenstored's hashtable of nodes.
 * Keys are node paths ("/local/domain/1/name"), the special nodes
 * ("@releaseDomain") and transaction copies ("GEN/path", GEN being the
 * transaction's generation).  Each record is one allocation holding the
 * permissions, the value and the children's names.
 */
#include <stdlib.h>
#include <string.h>
#include "xenplat/xenstore/store.h"

#define DB_MIN_BUCKETS 256

struct xs_node *xs_node_alloc(uint32_t nperms, uint32_t datalen,
                              uint32_t childlen)
{
    size_t size = sizeof(struct xs_node) + nperms * sizeof(struct xs_perm) +
                  datalen + childlen;
    struct xs_node *n = malloc(size ? size : 1);

    if (!n)
        return NULL;
    n->gen = 0;
    n->nperms = nperms;
    n->datalen = datalen;
    n->childlen = childlen;
    n->perms = (struct xs_perm *)(n + 1);
    n->data = (uint8_t *)(n->perms + nperms);
    n->children = (char *)(n->data + datalen);
    return n;
}

struct xs_node *xs_node_make(const struct xs_perm *perms, uint32_t nperms,
                             const void *data, uint32_t datalen,
                             const char *children, uint32_t childlen)
{
    struct xs_node *n = xs_node_alloc(nperms, datalen, childlen);

    if (!n)
        return NULL;
    if (nperms)
        memcpy(n->perms, perms, nperms * sizeof(*perms));
    if (datalen)
        memcpy(n->data, data, datalen);
    if (childlen)
        memcpy(n->children, children, childlen);
    return n;
}

/* xenstored: struct node_hdr (16 bytes), 8 bytes a permission, the value
 * and the children's names. */
uint32_t xs_node_size(uint32_t nperms, uint32_t datalen, uint32_t childlen)
{
    return 16 + nperms * 8 + datalen + childlen;
}

static size_t key_hash(const char *key)
{
    size_t h = 2166136261u;

    for (; *key; key++)
        h = (h ^ (uint8_t)*key) * 16777619u;
    return h;
}

int xs_db_init(struct xs_db *db)
{
    db->nbuckets = DB_MIN_BUCKETS;
    db->count = 0;
    db->bucket = calloc(db->nbuckets, sizeof(*db->bucket));
    return db->bucket ? 0 : XS_ENOMEM;
}

void xs_db_destroy(struct xs_db *db)
{
    size_t i;

    for (i = 0; i < db->nbuckets; i++) {
        struct xs_db_entry *e = db->bucket[i], *next;
        for (; e; e = next) {
            next = e->next;
            free(e->node);
            free(e);
        }
    }
    free(db->bucket);
    db->bucket = NULL;
    db->count = 0;
}

static struct xs_db_entry **slot(const struct xs_db *db, const char *key)
{
    struct xs_db_entry **p = &db->bucket[key_hash(key) % db->nbuckets];

    while (*p && strcmp((*p)->key, key) != 0)
        p = &(*p)->next;
    return p;
}

const struct xs_node *xs_db_get(const struct xs_db *db, const char *key)
{
    struct xs_db_entry *e = *slot(db, key);

    return e ? e->node : NULL;
}

struct xs_db_entry *xs_db_entry_new(const char *key, struct xs_node *node)
{
    size_t len = strlen(key) + 1;
    struct xs_db_entry *e = malloc(sizeof(*e) + len);

    if (!e)
        return NULL;
    e->next = NULL;
    e->node = node;
    memcpy(e->key, key, len);
    return e;
}

/* Double the buckets when the chains grow long; if that fails the table
 * just stays slower. */
static void grow(struct xs_db *db)
{
    size_t n = db->nbuckets * 2, i;
    struct xs_db_entry **b = calloc(n, sizeof(*b));

    if (!b)
        return;
    for (i = 0; i < db->nbuckets; i++) {
        struct xs_db_entry *e = db->bucket[i], *next;
        for (; e; e = next) {
            size_t h = key_hash(e->key) % n;
            next = e->next;
            e->next = b[h];
            b[h] = e;
        }
    }
    free(db->bucket);
    db->bucket = b;
    db->nbuckets = n;
}

void xs_db_put(struct xs_db *db, struct xs_db_entry *e)
{
    struct xs_db_entry **p = slot(db, e->key);

    if (*p) {                       /* replace the record, keep the entry */
        free((*p)->node);
        (*p)->node = e->node;
        free(e);
        return;
    }
    *p = e;
    if (++db->count > db->nbuckets * 2)
        grow(db);
}

void xs_db_del(struct xs_db *db, const char *key)
{
    struct xs_db_entry **p = slot(db, key), *e = *p;

    if (!e)
        return;
    *p = e->next;
    free(e->node);
    free(e);
    db->count--;
}

struct xs_node *xs_db_take(struct xs_db *db, const char *key)
{
    struct xs_db_entry **p = slot(db, key), *e = *p;
    struct xs_node *n;

    if (!e)
        return NULL;
    *p = e->next;
    n = e->node;
    free(e);
    db->count--;
    return n;
}

void xs_db_foreach(const struct xs_db *db,
                   void (*fn)(void *opaque, const char *key,
                              const struct xs_node *n),
                   void *opaque)
{
    size_t i;

    for (i = 0; i < db->nbuckets; i++) {
        const struct xs_db_entry *e;
        for (e = db->bucket[i]; e; e = e->next)
            fn(opaque, e->key, e->node);
    }
}
