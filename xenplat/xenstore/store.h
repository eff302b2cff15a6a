/*
 * The store's insides, shared by its files (not for users of the store:
 * they include xenstore.h).  Each part is described where it is
 * implemented; the names follow tools/xenstored where they name the same
 * thing.
 */
#ifndef XENEMU_XENSTORE_STORE_H
#define XENEMU_XENSTORE_STORE_H

#include "xenplat/xenstore/xenstore.h"

#define XS_NO_GEN UINT64_MAX          /* generation of a node that is absent */
#define XS_DOMID_SELF 0x7ff0u
#define XS_TOOLSTACK_DOMID 0u

/* ---- permissions (perms.c) --------------------------------------------------- */

enum {
    XS_PERM_NONE = 0, XS_PERM_READ = 1, XS_PERM_WRITE = 2,
    XS_PERM_OWNER = 8, XS_PERM_IGNORE = 16,
};

struct xs_perm {
    uint32_t domid;
    uint8_t perms;                    /* XS_PERM_* */
};

/* "r5" & co., each NUL-terminated, num of them; XS_EINVAL if malformed. */
int xs_perms_parse(const char *strings, size_t len, unsigned num,
                   struct xs_perm *out);
/* One permission as GET_PERMS sends it ("b3", "n-1"...): its length. */
size_t xs_perm_format(const struct xs_perm *p, char *buf, size_t size);

/* ---- the database (db.c) ------------------------------------------------------ */

/* One record: a node (or a transaction's copy of one), one allocation. */
struct xs_node {
    uint64_t gen;                     /* generation of its last change */
    uint32_t nperms, datalen, childlen;
    struct xs_perm *perms;            /* [0]: owner and everyone's access */
    uint8_t *data;
    char *children;                   /* NUL-terminated names, creation order */
};

struct xs_db_entry {
    struct xs_db_entry *next;
    struct xs_node *node;
    char key[];                       /* "/path", "@special" or "GEN/path" */
};

struct xs_db {
    struct xs_db_entry **bucket;
    size_t nbuckets, count;
};

struct xs_node *xs_node_alloc(uint32_t nperms, uint32_t datalen,
                              uint32_t childlen);
/* A record with the given parts (any may be NULL with length 0). */
struct xs_node *xs_node_make(const struct xs_perm *perms, uint32_t nperms,
                             const void *data, uint32_t datalen,
                             const char *children, uint32_t childlen);
/* The size xenstored accounts a node at (node-size quota). */
uint32_t xs_node_size(uint32_t nperms, uint32_t datalen, uint32_t childlen);

int xs_db_init(struct xs_db *db);
void xs_db_destroy(struct xs_db *db);
const struct xs_node *xs_db_get(const struct xs_db *db, const char *key);
/* An entry holding node under key, ready for xs_db_put (which cannot
 * fail): NULL when out of memory (node is then not consumed). */
struct xs_db_entry *xs_db_entry_new(const char *key, struct xs_node *node);
/* Insert or replace (the old record is freed). */
void xs_db_put(struct xs_db *db, struct xs_db_entry *e);
void xs_db_del(struct xs_db *db, const char *key);
/* Remove key's entry and hand over its record (NULL if none). */
struct xs_node *xs_db_take(struct xs_db *db, const char *key);
void xs_db_foreach(const struct xs_db *db,
                   void (*fn)(void *opaque, const char *key,
                              const struct xs_node *n),
                   void *opaque);

/* ---- quotas and accounting (quota.c) ----------------------------------------- */

enum xs_quota {
    XS_Q_NODES, XS_Q_WATCHES, XS_Q_OUTSTANDING, XS_Q_TRANSACTIONS,
    XS_Q_TRANSACTION_NODES, XS_Q_NODE_PERMS, XS_Q_PATH_MAX, XS_Q_NODE_SIZE,
    XS_Q_COUNT,
};

/* What each domain uses (the first four quotas). */
enum xs_acc { XS_ACC_NODES, XS_ACC_WATCHES, XS_ACC_OUTSTANDING,
              XS_ACC_TRANSACTIONS, XS_ACC_COUNT };

extern const struct xs_quota_def {
    const char *name, *descr;
    unsigned value;                   /* xenstored's default */
} xs_quota_defs[XS_Q_COUNT];

/* Is value over quota q for c (xenstored's domain_max_chk)?  Never for a
 * privileged connection. */
bool xs_quota_over(struct xs_conn *c, enum xs_quota q, unsigned value);

/* ---- domains (domain.c) -------------------------------------------------------- */

struct xs_domain {
    struct xs_domain *next;
    uint32_t domid;
    uint64_t gen;                     /* store generation when it appeared */
    bool introduced, shutdown;
    struct xs_conn *conn;
    int acc[XS_ACC_COUNT], acc_max[XS_ACC_COUNT];
};

struct xs_domain *xs_domain_find(struct xs_store *s, uint32_t domid);
void xs_domain_acc_add(struct xs_store *s, uint32_t domid, enum xs_acc a,
                       int delta);
int xs_domain_acc(struct xs_store *s, uint32_t domid, enum xs_acc a);
/* RELEASE: drop the connection and the domain's nodes. */
void xs_domain_release(struct xs_store *s, struct xs_domain *dom);
void xs_fire_special(struct xs_store *s, const char *name);

/* ---- transactions (transaction.c) ---------------------------------------------- */

/* A node the transaction touched. */
struct xs_access {
    struct xs_access *next;           /* in the order first touched */
    struct xs_access *hash_next;
    char *path;
    char *key;                        /* "GEN/path": its copy in the db */
    uint64_t gen;                     /* when first touched; XS_NO_GEN: absent */
    bool check;                       /* first touched by a read: must not
                                         change before the commit */
    bool modified, has_copy, fire, exact;
    uint32_t nperms;                  /* permissions when first touched */
    struct xs_perm *perms;
};

struct xs_tx_delta {
    uint32_t domid;
    int nodes;
};

#define XS_TX_HASH 128

struct xs_tx {
    struct xs_tx *next;
    uint32_t id;
    uint64_t gen;
    struct xs_access *acc, *acc_tail;
    struct xs_access *hash[XS_TX_HASH];   /* the same, by path */
    unsigned nacc;
    struct xs_tx_delta *delta;
    unsigned ndelta;
    bool node_created, fail;
};

enum xs_access_type { XS_ACCESS_READ, XS_ACCESS_WRITE, XS_ACCESS_DELETE };

struct xs_tx *xs_tx_lookup(struct xs_conn *c, uint32_t id, int *err);
struct xs_access *xs_tx_find(struct xs_tx *t, const char *path);
/* The db key of path for c's current request. */
const char *xs_tx_key(struct xs_conn *c, const char *path);
/* Record an access (node: the record read, NULL if absent).  0 or an
 * error (the transaction is then doomed). */
int xs_tx_access(struct xs_conn *c, const char *path,
                 const struct xs_node *node, enum xs_access_type type);
int xs_tx_nodes_delta(struct xs_conn *c, uint32_t domid);
int xs_tx_add_nodes(struct xs_conn *c, uint32_t domid, int delta);
void xs_tx_queue_watch(struct xs_conn *c, const char *path, bool exact);
int xs_tx_start(struct xs_conn *c, uint32_t *id);
int xs_tx_end(struct xs_conn *c, bool commit);
void xs_tx_free(struct xs_conn *c, struct xs_tx *t);
void xs_tx_free_all(struct xs_conn *c);

/* ---- watches (watch.c) ----------------------------------------------------------- */

struct xs_watch {
    struct xs_watch *next;
    char *path;                       /* canonical */
    char *token;
    unsigned prefix_len;              /* relative watches: strip this much */
};

/* Permissions handed around with the generation of the node they belong
 * to (a permission for a domain younger than the node is ignored). */
struct xs_perms_ref {
    const struct xs_perm *p;
    uint32_t n;
    uint64_t gen;
};

/* A change at path made by `by` (NULL: the store itself): a WATCH_EVENT
 * to every connection watching path or a parent of it (exact: path
 * itself only) that may read the node (node: its permissions, NULL: as in
 * the store) or its parent, or could read it before (old).  Queued in
 * by's transaction until it commits. */
void xs_fire_watches(struct xs_store *s, struct xs_conn *by, const char *path,
                     const struct xs_perms_ref *node,
                     const struct xs_perms_ref *old, bool exact);
/* WATCH: the new watch in *w (for its first event). */
int xs_watch_add(struct xs_conn *c, const char *wpath, const char *token,
                 const struct xs_watch **w);
int xs_watch_remove(struct xs_conn *c, const char *wpath, const char *token);
void xs_watch_free_all(struct xs_conn *c);

/* ---- connections (conn.c) -------------------------------------------------------- */

/* A request whose reply or watch events are not yet delivered (the
 * outstanding-requests quota counts it). */
struct xs_pending {
    uint32_t domid;
    unsigned events;                  /* its watch events still queued */
    bool replied;                     /* its reply has gone out */
};

struct xs_msg {
    struct xs_msg *next;
    uint32_t len;                     /* header + payload */
    uint32_t used;                    /* bytes already written */
    bool event;
    struct xs_pending *req;
    uint8_t bytes[];
};

struct xs_conn {
    struct xs_conn *next;
    struct xs_store *s;
    uint32_t id;                      /* domid */
    struct xs_domain *dom;
    const struct xs_transport *t;     /* NULL: the toolstack's (xs_call) */
    void *opaque;
    unsigned error;                   /* != 0: ignored (enum xs_conn_error) */
    bool has_target;
    uint32_t target;                  /* SET_TARGET */

    /* The request being read. */
    uint8_t hdr_raw[XS_HDR_SIZE];
    uint32_t hdr_used;
    bool in_body;
    struct xs_hdr in;
    uint32_t body_used;
    uint8_t body[XS_PAYLOAD_MAX + 1];

    struct xs_msg *out, *out_tail;
    struct xs_pending *req;           /* the request being answered */
    struct xs_tx *tx;                 /* its transaction */
    struct xs_tx *txs;
    uint32_t next_tx_id;
    struct xs_watch *watches;
};

struct xs_conn *xs_conn_new(struct xs_store *s, uint32_t domid,
                            const struct xs_transport *t, void *opaque);
void xs_conn_free(struct xs_conn *c);
bool xs_conn_privileged(const struct xs_conn *c);
/* Queue the reply to the current request (E2BIG if too long). */
void xs_reply(struct xs_conn *c, uint32_t type, const void *data,
              uint32_t len);
void xs_reply_error(struct xs_conn *c, int err);
/* The current request ends without a reply being queued. */
void xs_req_unanswered(struct xs_conn *c);
void xs_reply_ok(struct xs_conn *c, uint32_t type);
void xs_send_event(struct xs_conn *c, struct xs_pending *req,
                   const char *path, const char *token);
void xs_conn_drop_output(struct xs_conn *c);
/* Stop talking to c (xenstored's ignore_connection). */
void xs_conn_ignore(struct xs_conn *c, unsigned err);

/* ---- paths (path.c) ------------------------------------------------------------- */

/* The canonical form of a request's path (relative ones under
 * /local/domain/N); NULL with *err set when invalid (XS_EINVAL) or out of
 * memory.  Special "@..." names only with allow_special. */
char *xs_path_canonical(struct xs_conn *c, const char *path,
                        bool allow_special, int *err);
char *xs_path_parent(const char *path);
const char *xs_path_basename(const char *path);
bool xs_path_is_child(const char *child, const char *parent);
/* "/local/domain/N" for domid (buf of at least 24 bytes). */
void xs_domain_path(uint32_t domid, char *buf, size_t size);

/* ---- nodes (node.c) ------------------------------------------------------------- */

/* Read path as c sees it (its transaction's copy if there is one);
 * NULL with *err (XS_ENOENT...). */
const struct xs_node *xs_read_node(struct xs_conn *c, const char *path,
                                   int *err);
/* c's access to a node (perm_for_conn). */
unsigned xs_perm_for(struct xs_conn *c, const struct xs_node *n);
unsigned xs_perm_for_perms(struct xs_conn *c, const struct xs_perm *p,
                           uint32_t n, uint64_t node_gen);
/* Read a node c needs perm on, with xenstored's errno rules (a missing
 * or forbidden node says EACCES unless its parent grants perm). */
const struct xs_node *xs_get_node(struct xs_conn *c, const char *path,
                                  unsigned perm, int *err);
/* Replace path's record by n (consumed; n->gen is set). */
int xs_write_node(struct xs_conn *c, const char *path, struct xs_node *n,
                  bool quota);
/* WRITE/MKDIR of a missing node: create it and missing parents. */
int xs_create_node(struct xs_conn *c, const char *path, const void *data,
                   uint32_t datalen);
/* RM: path and everything below it. */
int xs_rm_node(struct xs_conn *c, const char *path);
uint32_t xs_node_owner(const struct xs_node *n);

/* Visit root and everything below it as c sees it, depth first in
 * creation order: enter before a node's children (XS_WALK_SKIP: not
 * them, XS_WALK_STOP: end the walk), leave after them.  0, or the error
 * that ended it. */
enum { XS_WALK_OK, XS_WALK_SKIP, XS_WALK_STOP };
typedef int (*xs_walk_fn)(void *opaque, const char *path,
                          const struct xs_node *n);
int xs_walk(struct xs_conn *c, const char *root, xs_walk_fn enter,
            xs_walk_fn leave, void *opaque);

/* ---- the store (request.c, control.c) ----------------------------------------- */

struct xs_store {
    struct xs_db db;
    uint64_t generation;
    struct xs_conn *conns;            /* creation order */
    struct xs_conn *toolstack;        /* dom0's own (xs_call) */
    struct xs_domain *domains;
    unsigned quota[XS_Q_COUNT];
};

void xs_process(struct xs_conn *c, const struct xs_hdr *h,
                const uint8_t *body);
int xs_control(struct xs_conn *c, const uint8_t *body, uint32_t len);

/* Payload helpers: the number of NUL-terminated strings; the one string
 * a payload must be (exactly one NUL, at its end), or NULL. */
unsigned xs_count_strings(const uint8_t *body, uint32_t len);
const char *xs_onearg(const uint8_t *body, uint32_t len);
/* C's atoi as xenstored uses it, saturating at the int range instead of
 * overflowing. */
long long xs_atoi(const char *p);

#endif
