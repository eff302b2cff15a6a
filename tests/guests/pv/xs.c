/*
 * XenStore from a guest, as a kernel's xenbus speaks it: the ring in the
 * page start_info names (store_mfn), requests and replies through it,
 * the store event channel's pending bit in shared_info (mapped here) as
 * the signal.  Reads its domain path and the toolstack's nodes, writes,
 * makes and lists directories, permissions, a watch firing, a
 * transaction that conflicts (EAGAIN) and one that commits, refusals,
 * malformed requests, an oversized one that stops the connection
 * (error 3) and the ring reconnection that restores it; then waits for
 * the toolstack's control/shutdown (replayed from xs.input) and powers
 * off as asked.  64-bit and 32-bit PAE.
 */
#include <stdbool.h>
#include "pvrt.h"

#define PG_P 0x1ull
#define PG_RW 0x2ull
#define PG_A 0x20ull
#define PG_D 0x40ull
#define UVMF_INVLPG 2
#define SCHEDOP_poll 3
#define EVTCHNOP_send 4
#ifdef __x86_64__
#define M2P ((const volatile unsigned long *)0xffff800000000000ul)
#define SI_SHARED_INFO 40
#define SI_STORE_MFN 56
#define SI_STORE_EVTCHN 64
#else
#define M2P ((const volatile unsigned long *)0xf5800000ul)
#define SI_SHARED_INFO 36
#define SI_STORE_MFN 44
#define SI_STORE_EVTCHN 48
#endif
#define SH_EVTCHN_PENDING 2048

/* The ring page (xs_wire.h struct xenstore_domain_interface). */
#define REQ 0
#define RSP 1024
#define REQ_CONS 2048
#define REQ_PROD 2052
#define RSP_CONS 2056
#define RSP_PROD 2060
#define FEATURES 2064
#define CONNECTION 2068
#define ERROR 2072
#define RING 1024

enum { XS_CONTROL = 0, XS_DIRECTORY = 1, XS_READ = 2, XS_GET_PERMS = 3,
       XS_WATCH = 4, XS_UNWATCH = 5, XS_TRANSACTION_START = 6,
       XS_TRANSACTION_END = 7, XS_GET_DOMAIN_PATH = 10, XS_WRITE = 11,
       XS_MKDIR = 12, XS_RM = 13, XS_SET_PERMS = 14, XS_WATCH_EVENT = 15,
       XS_ERROR = 16, XS_RESET_WATCHES = 21, XS_DIRECTORY_PART = 22 };

static volatile uint8_t *ring;
static volatile uint8_t *shinfo;
static uint8_t shinfo_page[4096] __attribute__((aligned(4096)));
static unsigned port;
static uint32_t next_id;

struct msg {
    uint32_t type, req_id, tx_id, len;
    char data[4097];
};
static struct msg m;

static unsigned long si(unsigned off)
{
    return *(unsigned long *)((char *)pv_start_info + off);
}

static volatile uint32_t *r32(unsigned off)
{
    return (volatile uint32_t *)(ring + off);
}

static void barrier(void)
{
    __asm__ volatile("" ::: "memory");
}

static void notify(void)
{
    uint32_t p = port;

    HYPERCALL(__HYPERVISOR_event_channel_op, EVTCHNOP_send, &p, 0);
}

static bool pending(void)
{
    return shinfo[SH_EVTCHN_PENDING + port / 8] & (1u << (port % 8));
}

static void clear_pending(void)
{
    __atomic_fetch_and(&shinfo[SH_EVTCHN_PENDING + port / 8],
                       (uint8_t)~(1u << (port % 8)), __ATOMIC_SEQ_CST);
}

/* Block until the store port is pending (SCHEDOP_poll), then clear it. */
static void wait_event(void)
{
    uint32_t p = port;
    struct { uint32_t *ports; uint32_t nr; uint64_t timeout; } poll = {
        &p, 1, 0,
    };

    if (!pending())
        HYPERCALL(__HYPERVISOR_sched_op, SCHEDOP_poll, &poll, 0);
    clear_pending();
}

static void put(const void *buf, uint32_t n)
{
    const uint8_t *b = buf;

    while (n) {
        uint32_t prod = *r32(REQ_PROD);
        if (prod - *r32(REQ_CONS) == RING) {
            notify();                 /* full: let the server take some */
            continue;
        }
        ring[REQ + (prod & (RING - 1))] = *b++;
        barrier();
        *r32(REQ_PROD) = prod + 1;
        n--;
    }
}

static void send(uint32_t type, uint32_t tx, const void *data, uint32_t len)
{
    uint32_t h[4] = { type, ++next_id, tx, len };

    put(h, sizeof(h));
    put(data, len);
    barrier();
    notify();
}

static void get(void *buf, uint32_t n)
{
    uint8_t *b = buf;

    while (n) {
        uint32_t cons = *r32(RSP_CONS);
        if (cons == *r32(RSP_PROD)) {
            wait_event();
            continue;
        }
        *b++ = ring[RSP + (cons & (RING - 1))];
        barrier();
        *r32(RSP_CONS) = cons + 1;
        n--;
    }
    notify();                         /* room again */
}

static struct msg *recv(void)
{
    uint32_t h[4];

    get(h, sizeof(h));
    m.type = h[0];
    m.req_id = h[1];
    m.tx_id = h[2];
    m.len = h[3] > 4096 ? 4096 : h[3];
    get(m.data, m.len);
    m.data[m.len] = 0;
    return &m;
}

/* Print a payload: NULs as '|'. */
static void show(const struct msg *r)
{
    uint32_t i;

    for (i = 0; i < r->len; i++)
        printf("%c", r->data[i] ? r->data[i] : '|');
}

/* A request; the reply (watch events before it are printed). */
static struct msg *call(uint32_t type, uint32_t tx, const void *data,
                        uint32_t len)
{
    struct msg *r;

    send(type, tx, data, len);
    for (;;) {
        r = recv();
        if (r->type != XS_WATCH_EVENT)
            break;
        printf("  (event ");
        show(r);
        printf(")\n");
    }
    if (r->req_id != next_id)
        printf("  reply to request %u, not %u!\n", r->req_id, next_id);
    return r;
}

static void report(const char *what, const struct msg *r)
{
    printf("%s: %s", what, r->type == XS_ERROR ? "error " : "");
    show(r);
    printf("\n");
}

static struct msg *one(uint32_t type, uint32_t tx, const char *arg)
{
    return call(type, tx, arg, strlen(arg) + 1);
}

static struct msg *two(uint32_t type, uint32_t tx, const char *a,
                       const char *b, bool nul)
{
    char buf[4200];
    uint32_t la = strlen(a) + 1, lb = strlen(b) + nul;

    memcpy(buf, a, la);
    memcpy(buf + la, b, lb);
    return call(type, tx, buf, la + lb);
}

static void do_one(const char *what, uint32_t type, const char *arg)
{
    report(what, one(type, 0, arg));
}

static void do_write(const char *what, uint32_t tx, const char *path,
                     const char *value)
{
    report(what, two(XS_WRITE, tx, path, value, false));
}

/* ---- setting up --------------------------------------------------------------- */

static long map_shared_info(void)
{
    uint64_t pte = (uint64_t)si(SI_SHARED_INFO) | PG_P | PG_RW | PG_A | PG_D;
    unsigned long va = (unsigned long)shinfo_page;

#ifdef __x86_64__
    return HYPERCALL(__HYPERVISOR_update_va_mapping, va, pte, UVMF_INVLPG);
#else
    return pv_hypercall(__HYPERVISOR_update_va_mapping, va, (uint32_t)pte,
                        (uint32_t)(pte >> 32), UVMF_INVLPG, 0);
#endif
}

static void setup(void)
{
    long r = map_shared_info();

    if (r)
        printf("mapping shared_info: %ld\n", r);
    shinfo = shinfo_page;
    port = (unsigned)si(SI_STORE_EVTCHN);
    ring = (volatile uint8_t *)(M2P[si(SI_STORE_MFN)] << 12);
    printf("store port %u, features %u, connection %u, error %u\n", port,
           *r32(FEATURES), *r32(CONNECTION), *r32(ERROR));
}

/* ---- the tests ---------------------------------------------------------------- */

static void reading(void)
{
    struct msg *r = one(XS_READ, 0, "domid");
    char domid[16];

    report("read domid", r);
    memcpy(domid, r->data, r->len + 1);
    report("domain path", one(XS_GET_DOMAIN_PATH, 0, domid));
    do_one("read name", XS_READ, "name");
    do_one("read memory/target", XS_READ, "memory/target");
    do_one("read cpu/0/availability", XS_READ, "cpu/0/availability");
    do_one("read console/type", XS_READ, "console/type");
    do_one("read control/platform-feature-xs_reset_watches", XS_READ,
           "control/platform-feature-xs_reset_watches");
    do_one("directory of the domain", XS_DIRECTORY, "/local/domain/1");
    do_one("perms of the domain", XS_GET_PERMS, "/local/domain/1");
    do_one("perms of control/shutdown", XS_GET_PERMS, "control/shutdown");
}

/* DIRECTORY_PART: the node's generation first (shown as GEN, it counts
 * every change in the store), then the children from the offset. */
static void show_part(const char *what, struct msg *r, char *gen)
{
    uint32_t n = strlen(r->data) + 1, i;

    memcpy(gen, r->data, n < 32 ? n : 32);
    gen[31] = 0;
    printf("%s: GEN", what);
    for (i = n - 1; i < r->len; i++)
        printf("%c", r->data[i] ? r->data[i] : '|');
    printf("\n");
}

static void directory_part(void)
{
    char gen[32], gen2[32];

    show_part("directory part data 0", two(XS_DIRECTORY_PART, 0, "data", "0",
                                           true), gen);
    do_write("write data/dir2", 0, "data/dir2", "");
    show_part("directory part data 5", two(XS_DIRECTORY_PART, 0, "data", "5",
                                           true), gen2);
    printf("a new generation: %s\n", strcmp(gen, gen2) ? "yes" : "no");
    do_one("rm data/dir2", XS_RM, "data/dir2");
}

static void writing(void)
{
    do_write("write data/test", 0, "data/test", "hello");
    do_one("read data/test", XS_READ, "data/test");
    do_one("read it by its full path", XS_READ, "/local/domain/1/data/test");
    do_one("mkdir data/dir/sub", XS_MKDIR, "data/dir/sub");
    do_one("directory data", XS_DIRECTORY, "data");
    directory_part();
    do_one("rm data/dir", XS_RM, "data/dir");
    do_one("directory data", XS_DIRECTORY, "data");
    do_one("perms of data/test", XS_GET_PERMS, "data/test");
    report("set perms n1 r0", call(XS_SET_PERMS, 0, "data/test\0n1\0r0", 16));
    do_one("perms of data/test", XS_GET_PERMS, "data/test");
}

static void refusals(void)
{
    char big[2100];

    do_one("read /local/domain/0/name", XS_READ, "/local/domain/0/name");
    do_write("write name", 0, "name", "me");
    do_write("write console/ring-ref", 0, "console/ring-ref", "0");
    do_write("create a node in the domain's directory", 0, "mine", "1");
    report("give data/test away", call(XS_SET_PERMS, 0, "data/test\0n0", 13));
    do_one("read data/nothing", XS_READ, "data/nothing");
    do_one("read data//x", XS_READ, "data//x");
    do_one("read data/a b", XS_READ, "data/a b");
    report("read without a NUL", call(XS_READ, 0, "domid", 5));
    report("type 99", call(99, 0, "x", 2));
    report("control", call(XS_CONTROL, 0, "help", 5));
    report("unknown transaction", one(XS_READ, 42, "domid"));
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = 0;
    do_write("write 2099 bytes", 0, "data/big", big);
}

static void watching(void)
{
    report("watch data", two(XS_WATCH, 0, "data", "tok", true));
    report("first fire", recv());
    do_write("write data/w", 0, "data/w", "1");
    report("watch again", two(XS_WATCH, 0, "data", "tok", true));
    report("unwatch", two(XS_UNWATCH, 0, "data", "tok", true));
    do_write("write data/w (unwatched)", 0, "data/w", "2");
}

static uint32_t tx_start(void)
{
    struct msg *r = call(XS_TRANSACTION_START, 0, "", 1);
    uint32_t id = 0;
    uint32_t i;

    report("transaction start", r);
    for (i = 0; i < r->len && r->data[i] >= '0' && r->data[i] <= '9'; i++)
        id = id * 10 + (uint32_t)(r->data[i] - '0');
    return id;
}

static void transactions(void)
{
    uint32_t t;

    report("watch data/test", two(XS_WATCH, 0, "data/test", "t", true));
    report("first fire", recv());
    t = tx_start();
    report("read data/test in it", one(XS_READ, t, "data/test"));
    do_write("write data/test outside", 0, "data/test", "changed");
    do_write("write data/other in it", t, "data/other", "x");
    report("commit", call(XS_TRANSACTION_END, t, "T", 2));
    do_one("read data/other", XS_READ, "data/other");
    t = tx_start();
    report("read data/test in it", one(XS_READ, t, "data/test"));
    do_write("write data/test in it", t, "data/test", "mine");
    report("commit", call(XS_TRANSACTION_END, t, "T", 2));
    do_one("read data/test", XS_READ, "data/test");
    report("reset watches", call(XS_RESET_WATCHES, 0, "", 1));
}

static void oversized(void)
{
    uint32_t h[4] = { XS_WRITE, ++next_id, 0, 4097 };
    unsigned spins = 0;

    put(h, sizeof(h));
    notify();
    printf("after a 4097-byte header: error %u\n", *r32(ERROR));
    /* Ask for a reconnection and wait for it. */
    *r32(CONNECTION) = 1;
    barrier();
    notify();
    while (*r32(CONNECTION) != 0 && spins < 1000000)
        spins++;
    printf("reconnected: connection %u, error %u, indexes %u %u %u %u\n",
           *r32(CONNECTION), *r32(ERROR), *r32(REQ_CONS), *r32(REQ_PROD),
           *r32(RSP_CONS), *r32(RSP_PROD));
    clear_pending();
    do_one("read domid", XS_READ, "domid");
}

/* Like Linux's xenbus: watch control/shutdown and act on its value at
 * each fire (the first one included: the request may be there already). */
static void await_shutdown(void)
{
    struct msg *r;

    report("watch control/shutdown", two(XS_WATCH, 0, "control/shutdown",
                                         "ctl", true));
    for (;;) {
        /* Spin: the request comes at a fixed instruction count. */
        while (*r32(RSP_CONS) == *r32(RSP_PROD))
            ;
        report("event", recv());
        r = one(XS_READ, 0, "control/shutdown");
        report("control/shutdown", r);
        if (r->len == 0)
            continue;
        if (r->len == 8 && memcmp(r->data, "poweroff", 8) == 0) {
            do_write("acknowledge", 0, "control/shutdown", "");
            printf("powering off\n");
            pv_shutdown(SHUTDOWN_poweroff);
        }
        printf("unexpected request\n");
        return;
    }
}

int main(void)
{
    setup();
    reading();
    writing();
    refusals();
    watching();
    transactions();
    oversized();
    await_shutdown();
    return 1;
}
