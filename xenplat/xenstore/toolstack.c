/*
 * What the toolstack writes into the store for a PV domU, in the order and
 * with the permissions libxl uses (tools/libs/light/libxl_create.c
 * libxl__domain_make, libxl_dom.c libxl__build_post, libxl_console.c and
 * libxl_device.c for console 0), and dom0's own two nodes
 * (tools/helpers/xen-init-dom0.c).  Each step is one transaction, retried
 * on EAGAIN as libxl does.  Nothing here comes from the host: the UUID is
 * derived from the name and domid (a UUIDv8) unless the config gives one,
 * start_time is the virtual wall clock.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "xenplat/xenstore/store.h"
#include "xenplat/xenstore/toolstack.h"

#define TX_RETRIES 8
#define XENCONSOLE_LIMIT "1048576"      /* LIBXL_XENCONSOLE_LIMIT */
#define XENCONSOLE_PROTOCOL "vt100"

/* ---- the toolstack's requests -------------------------------------------------- */

static int call_str(struct xs_store *s, uint32_t tx, enum xs_type type,
                    const char *a, const char *b)
{
    char buf[XS_PAYLOAD_MAX];
    size_t la = strlen(a) + 1, lb = b ? strlen(b) : 0;

    if (la + lb > sizeof(buf))
        return XS_E2BIG;
    memcpy(buf, a, la);
    if (b)
        memcpy(buf + la, b, lb);
    return xs_call(s, tx, type, buf, la + lb, NULL, NULL);
}

int xs_tool_write(struct xs_store *s, uint32_t tx, const char *path,
                  const char *value)
{
    return call_str(s, tx, XS_WRITE, path, value);
}

int xs_tool_mkdir(struct xs_store *s, uint32_t tx, const char *path)
{
    return call_str(s, tx, XS_MKDIR, path, NULL);
}

int xs_tool_rm(struct xs_store *s, uint32_t tx, const char *path)
{
    return call_str(s, tx, XS_RM, path, NULL);
}

int xs_tool_set_perms(struct xs_store *s, uint32_t tx, const char *path,
                      const char *perms)
{
    char buf[XS_PAYLOAD_MAX];
    size_t n = strlen(path) + 1, i;

    if (n + strlen(perms) + 1 > sizeof(buf))
        return XS_E2BIG;
    memcpy(buf, path, n);
    for (i = 0; perms[i]; i++)
        buf[n++] = perms[i] == ' ' ? '\0' : perms[i];
    buf[n++] = '\0';
    return xs_call(s, tx, XS_SET_PERMS, buf, n, NULL, NULL);
}

int xs_tool_read(struct xs_store *s, uint32_t tx, const char *path,
                 char *buf, size_t size)
{
    size_t len = size ? size - 1 : 0;
    int err = xs_call(s, tx, XS_READ, path, strlen(path) + 1, buf, &len);

    if (!err && size)
        buf[len < size ? len : size - 1] = '\0';
    return err;
}

int xs_tool_tx_start(struct xs_store *s, uint32_t *tx)
{
    char id[16];
    size_t len = sizeof(id) - 1;
    int err = xs_call(s, 0, XS_TRANSACTION_START, "", 1, id, &len);

    if (!err) {
        id[len < sizeof(id) ? len : sizeof(id) - 1] = '\0';
        *tx = (uint32_t)xs_atoi(id);
    }
    return err;
}

int xs_tool_tx_end(struct xs_store *s, uint32_t tx, bool commit)
{
    return xs_call(s, tx, XS_TRANSACTION_END, commit ? "T" : "F", 2, NULL,
                   NULL);
}

/* libxl's xs_rm before (re)creating a tree: nothing there is fine. */
static int rm_old(struct xs_store *s, uint32_t tx, const char *path)
{
    int err = xs_tool_rm(s, tx, path);

    return err == XS_ENOENT ? 0 : err;
}

/* libxl__xs_mknod: a directory with its own permissions. */
static int mknod(struct xs_store *s, uint32_t tx, const char *path,
                 const char *perms)
{
    int err = xs_tool_mkdir(s, tx, path);

    return err ? err : xs_tool_set_perms(s, tx, path, perms);
}

/* A write followed by permissions (libxl__xs_writev_perms). */
static int write_perms(struct xs_store *s, uint32_t tx, const char *path,
                       const char *value, const char *perms)
{
    int err = xs_tool_write(s, tx, path, value);

    return err ? err : xs_tool_set_perms(s, tx, path, perms);
}

/* Run step in a transaction until it commits (or fails otherwise). */
static int in_transaction(struct xs_store *s,
                          int (*step)(struct xs_store *s, uint32_t tx,
                                      const struct xs_guest *g),
                          const struct xs_guest *g)
{
    unsigned tries;
    uint32_t tx;
    int err = XS_EAGAIN;

    for (tries = 0; err == XS_EAGAIN && tries < TX_RETRIES; tries++) {
        if ((err = xs_tool_tx_start(s, &tx)))
            return err;
        if ((err = step(s, tx, g))) {
            xs_tool_tx_end(s, tx, false);
            return err;
        }
        err = xs_tool_tx_end(s, tx, true);
    }
    return err;
}

/* ---- names ---------------------------------------------------------------------- */

bool xs_uuid_valid(const char *u)
{
    static const unsigned dash[] = { 8, 13, 18, 23 };
    unsigned i, d = 0;

    for (i = 0; i < 36; i++) {
        if (d < ARRAY_SIZE(dash) && i == dash[d]) {
            if (u[i] != '-')
                return false;
            d++;
        } else if (xe_hex_digit(u[i]) < 0) {
            return false;
        }
    }
    return u[36] == '\0';
}

static uint64_t fnv1a(uint64_t h, const char *s, uint32_t domid)
{
    unsigned i;

    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 0x100000001b3ull;
    for (i = 0; i < 4; i++)
        h = (h ^ (uint8_t)(domid >> (8 * i))) * 0x100000001b3ull;
    return h;
}

void xs_uuid_derive(const char *name, uint32_t domid, char out[37])
{
    uint64_t hi = fnv1a(0xcbf29ce484222325ull, name, domid);
    uint64_t lo = fnv1a(hi ^ 0x786e656d75ull, name, domid);

    hi = (hi & ~0xf000ull) | 0x8000ull;               /* version 8 */
    lo = (lo & ~(3ull << 62)) | (2ull << 62);         /* RFC variant */
    snprintf(out, 37, "%08" PRIx32 "-%04" PRIx32 "-%04" PRIx32 "-%04" PRIx32
             "-%012" PRIx64, (uint32_t)(hi >> 32),
             (uint32_t)(hi >> 16) & 0xffff, (uint32_t)hi & 0xffff,
             (uint32_t)(lo >> 48), (uint64_t)(lo & 0xffffffffffffull));
}

/* ---- the tree -------------------------------------------------------------------- */

struct paths {
    char uuid[40], dom[32], vm[48], libxl[32], perm_ro[32], perm_rw[16];
};

static void guest_paths(const struct xs_guest *g, struct paths *p)
{
    if (g->uuid)
        snprintf(p->uuid, sizeof(p->uuid), "%.36s", g->uuid);
    else
        xs_uuid_derive(g->name, g->domid, p->uuid);
    xs_domain_path(g->domid, p->dom, sizeof(p->dom));
    snprintf(p->vm, sizeof(p->vm), "/vm/%s", p->uuid);
    snprintf(p->libxl, sizeof(p->libxl), "/libxl/%u", (unsigned)g->domid);
    snprintf(p->perm_ro, sizeof(p->perm_ro), "n0 r%u", (unsigned)g->domid);
    snprintf(p->perm_rw, sizeof(p->perm_rw), "n%u", (unsigned)g->domid);
}

static int write_sub(struct xs_store *s, uint32_t tx, const char *base,
                     const char *sub, const char *value)
{
    char path[256];

    snprintf(path, sizeof(path), "%s/%s", base, sub);
    return xs_tool_write(s, tx, path, value);
}

/* libxl__domain_make. */
static int make_domain(struct xs_store *s, uint32_t tx,
                       const struct xs_guest *g)
{
    static const char *const ro_dirs[] = { "cpu", "memory", "device",
                                           "control" };
    static const char *const rw_nodes[] = {
        "control/shutdown", "control/feature-poweroff",
        "control/feature-reboot", "control/feature-suspend", "control/sysrq",
        "device/suspend/event-channel", "data", "drivers", "feature", "attr",
        "error",
    };
    struct paths p;
    char path[256];
    unsigned i;
    int err = 0;

    guest_paths(g, &p);
    snprintf(path, sizeof(path), "%s/device", p.libxl);
    if ((err = rm_old(s, tx, p.dom)) ||
        (err = mknod(s, tx, p.dom, p.perm_ro)) ||
        (err = rm_old(s, tx, p.vm)) ||
        (err = mknod(s, tx, p.vm, p.perm_ro)) ||
        (err = rm_old(s, tx, p.libxl)) ||
        (err = mknod(s, tx, p.libxl, "n0")) ||
        (err = mknod(s, tx, path, "n0")) ||
        (err = write_sub(s, tx, p.dom, "vm", p.vm)) ||
        (err = write_sub(s, tx, p.dom, "name", g->name)))
        return err;
    for (i = 0; !err && i < ARRAY_SIZE(ro_dirs); i++) {
        snprintf(path, sizeof(path), "%s/%s", p.dom, ro_dirs[i]);
        err = mknod(s, tx, path, p.perm_ro);
    }
    for (i = 0; !err && i < ARRAY_SIZE(rw_nodes); i++) {
        snprintf(path, sizeof(path), "%s/%s", p.dom, rw_nodes[i]);
        err = mknod(s, tx, path, p.perm_rw);
    }
    if (err || (err = write_sub(s, tx, p.vm, "uuid", p.uuid)) ||
        (err = write_sub(s, tx, p.vm, "name", g->name)) ||
        (err = write_sub(s, tx, p.dom,
                         "control/platform-feature-multiprocessor-suspend",
                         "1")) ||
        (err = write_sub(s, tx, p.dom,
                         "control/platform-feature-xs_reset_watches", "1")))
        return err;
    return write_sub(s, tx, p.libxl, "type", "pv");
}

/* libxl__build_post (and libxl__domain_build's /vm entries for PV). */
static int build_post(struct xs_store *s, uint32_t tx,
                      const struct xs_guest *g)
{
    struct paths p;
    char v[64], k[32];
    unsigned i;
    int err;

    guest_paths(g, &p);
#define W(sub, ...) (snprintf(v, sizeof(v), __VA_ARGS__), \
                     write_sub(s, tx, p.dom, sub, v))
    if ((err = W("memory/static-max", "%" PRIu64, g->max_kb)) ||
        (err = W("memory/target", "%" PRIu64, g->target_kb)) ||
        (err = W("memory/videoram", "0")) ||
        (err = W("domid", "%u", (unsigned)g->domid)) ||
        (err = W("store/port", "%u", (unsigned)g->store_port)) ||
        (err = W("store/ring-ref", "%" PRIu64, g->store_mfn)))
        return err;
#undef W
    for (i = 0; i < g->vcpus || i < g->max_vcpus; i++) {
        snprintf(k, sizeof(k), "cpu/%u/availability", i);
        if ((err = write_sub(s, tx, p.dom, k,
                             i < g->vcpus ? "online" : "offline")))
            return err;
    }
    snprintf(v, sizeof(v), "%" PRIu64 ".%02u", g->start_sec,
             (unsigned)(g->start_usec / 10000));
    if ((err = write_sub(s, tx, p.vm, "image/ostype", "linux")) ||
        (err = write_sub(s, tx, p.vm, "image/kernel", g->kernel)) ||
        (err = write_sub(s, tx, p.vm, "start_time", v)))
        return err;
    if (g->ramdisk &&
        (err = write_sub(s, tx, p.vm, "image/ramdisk", g->ramdisk)))
        return err;
    if (g->cmdline && g->cmdline[0] &&
        (err = write_sub(s, tx, p.vm, "image/cmdline", g->cmdline)))
        return err;
    return 0;
}

/* libxl__device_console_add + libxl__device_generic_add for console 0:
 * the frontend directory is read-only for the guest but for backend-id. */
static int add_console(struct xs_store *s, uint32_t tx,
                       const struct xs_guest *g)
{
    static const char *const back_keys[] = { "frontend-id", "online",
                                             "state", "protocol" };
    struct paths p;
    char fe[48], be[64], lx[64], path[128], id[16], port[16], ring[24];
    const char *back_vals[4];
    char fe_perms[24];
    unsigned i;
    int err;

    guest_paths(g, &p);
    snprintf(fe, sizeof(fe), "%s/console", p.dom);
    snprintf(be, sizeof(be), "/local/domain/0/backend/console/%u/0",
             (unsigned)g->domid);
    snprintf(lx, sizeof(lx), "%s/device/console/0", p.libxl);
    snprintf(id, sizeof(id), "%u", (unsigned)g->domid);
    snprintf(port, sizeof(port), "%u", (unsigned)g->console_port);
    snprintf(ring, sizeof(ring), "%" PRIu64, g->console_mfn);
    snprintf(fe_perms, sizeof(fe_perms), "n%u r0", (unsigned)g->domid);
    back_vals[0] = id;
    back_vals[1] = "1";
    back_vals[2] = "1";                 /* XenbusStateInitialising */
    back_vals[3] = XENCONSOLE_PROTOCOL;
    if ((err = rm_old(s, tx, lx)) ||
        (err = write_sub(s, tx, lx, "frontend", fe)) ||
        (err = write_sub(s, tx, lx, "backend", be)) ||
        (err = rm_old(s, tx, fe)) || (err = xs_tool_mkdir(s, tx, fe)) ||
        (err = xs_tool_set_perms(s, tx, fe, p.perm_ro)) ||
        (err = write_sub(s, tx, fe, "backend", be)))
        return err;
#define FE(sub, val, perms) (snprintf(path, sizeof(path), "%s/%s", fe, sub), \
                             write_perms(s, tx, path, val, perms))
    if ((err = FE("backend-id", "0", fe_perms)) ||
        (err = FE("limit", XENCONSOLE_LIMIT, p.perm_ro)) ||
        (err = FE("type", "xenconsoled", p.perm_ro)) ||
        (err = FE("output", "pty", p.perm_ro)) ||
        (err = FE("tty", "", p.perm_ro)) ||
        (err = FE("port", port, p.perm_ro)) ||
        (err = FE("ring-ref", ring, p.perm_ro)))
        return err;
#undef FE
    if ((err = rm_old(s, tx, be)) || (err = xs_tool_mkdir(s, tx, be)) ||
        (err = xs_tool_set_perms(s, tx, be, p.perm_ro)) ||
        (err = write_sub(s, tx, be, "frontend", fe)))
        return err;
    for (i = 0; i < ARRAY_SIZE(back_keys); i++)
        if ((err = write_sub(s, tx, be, back_keys[i], back_vals[i])))
            return err;
    for (i = 0; i < ARRAY_SIZE(back_keys); i++)
        if ((err = write_sub(s, tx, lx, back_keys[i], back_vals[i])))
            return err;
    return 0;
}

int xs_toolstack_dom0(struct xs_store *s)
{
    int err = xs_tool_write(s, 0, "/local/domain/0/domid", "0");

    return err ? err : xs_tool_write(s, 0, "/local/domain/0/name",
                                     "Domain-0");
}

int xs_toolstack_domain(struct xs_store *s, const struct xs_guest *g)
{
    int err;

    if (g->uuid && !xs_uuid_valid(g->uuid))
        return XS_EINVAL;
    if ((err = xs_domain_new(s, g->domid)) ||
        (err = in_transaction(s, make_domain, g)) ||
        (err = in_transaction(s, build_post, g)))
        return err;
    return in_transaction(s, add_console, g);
}

/* libxl__domain_pvcontrol_write: the request the guest's xenbus watches
 * control/shutdown for. */
int xs_toolstack_shutdown(struct xs_store *s, uint32_t domid, const char *cmd)
{
    char path[64];

    snprintf(path, sizeof(path), "/local/domain/%u/control/shutdown",
             (unsigned)domid);
    return xs_tool_write(s, 0, path, cmd);
}
