/* The xenstore unit-test store (see xs-harness.h). */
#include <stdlib.h>
#include <string.h>
#include <CUnit/CUnit.h>
#include "kimage.h"
#include "xs-harness.h"

struct xs_store *xt_s;
struct xt_pipe xt_p1, xt_p2;
static struct xt_msg reply;

/* Each test's request streams, as a seed for tests/fuzz/fuzz-xenstore.c:
 * steps "0|8, N, N bytes" feed domU 1|2, "2|10" takes its output. */
static uint8_t seed[1u << 16];
static size_t seed_len;
static unsigned seed_count;

static void seed_add(const struct xt_pipe *p, const void *bytes, size_t n)
{
    const uint8_t *b = bytes;
    uint8_t who = p == &xt_p2 ? 8 : 0;

    while (n && seed_len + 2 + 255 + 1 <= sizeof(seed)) {
        size_t k = n < 255 ? n : 255;
        seed[seed_len++] = who;
        seed[seed_len++] = (uint8_t)k;
        memcpy(seed + seed_len, b, k);
        seed_len += k;
        b += k;
        n -= k;
    }
    if (seed_len < sizeof(seed))
        seed[seed_len++] = (uint8_t)(2 | who);
}

static int p_read(void *o, uint8_t *buf, unsigned n)
{
    struct xt_pipe *p = o;
    size_t avail = p->in_len - p->in_off;

    if (p->broken)
        return -1;
    if (n > avail)
        n = (unsigned)avail;
    if (p->chunk && n > p->chunk)
        n = p->chunk;
    memcpy(buf, p->in + p->in_off, n);
    p->in_off += n;
    return (int)n;
}

static size_t room(const struct xt_pipe *p)
{
    size_t cap = p->out_room ? p->out_room : XT_BUF;
    size_t held = p->out_len - p->out_off;

    if (p->stall)
        return 0;
    return held >= cap ? 0 : cap - held;
}

static int p_write(void *o, const uint8_t *buf, unsigned n)
{
    struct xt_pipe *p = o;

    if (p->broken)
        return -1;
    if (p->out_off == p->out_len)
        p->out_off = p->out_len = 0;
    if (n > room(p))
        n = (unsigned)room(p);
    if (p->chunk && n > p->chunk)
        n = p->chunk;
    if (p->out_len + n > XT_BUF) {     /* compact */
        memmove(p->out, p->out + p->out_off, p->out_len - p->out_off);
        p->out_len -= p->out_off;
        p->out_off = 0;
    }
    memcpy(p->out + p->out_len, buf, n);
    p->out_len += n;
    return (int)n;
}

static bool p_can_read(void *o)
{
    struct xt_pipe *p = o;
    return p->broken || p->in_off < p->in_len;
}

static bool p_can_write(void *o)
{
    struct xt_pipe *p = o;
    return p->broken || room(p) > 0;
}

static void p_error(void *o, unsigned err)
{
    ((struct xt_pipe *)o)->error = err;
}

static void p_reset(void *o)
{
    struct xt_pipe *p = o;

    p->in_len = p->in_off = p->out_len = p->out_off = 0;
    p->error = 0;
    p->resets++;
}

static const struct xs_transport pipe_t = {
    p_read, p_write, p_can_read, p_can_write, p_error, p_reset,
};

void xt_connect(uint32_t domid, const char *name, struct xt_pipe *p)
{
    struct xs_guest g = {
        .domid = domid, .name = name, .target_kb = 131072,
        .max_kb = 262144, .vcpus = 2, .store_mfn = 0x1234 + domid,
        .console_mfn = 0x1235 + domid, .store_port = 1, .console_port = 2,
        .kernel = "/k/vmlinuz", .cmdline = "console=hvc0",
        .start_sec = 946684800, .start_usec = 120000,
    };

    memset(p, 0, sizeof(*p));
    CU_ASSERT_FATAL(xs_toolstack_domain(xt_s, &g) == 0);
    p->conn = xs_domain_introduce(xt_s, domid, &pipe_t, p);
    CU_ASSERT_FATAL(p->conn != NULL);
}

void xt_setup(bool two)
{
    xt_s = xs_store_new();
    CU_ASSERT_FATAL(xt_s != NULL);
    CU_ASSERT_FATAL(xs_toolstack_dom0(xt_s) == 0);
    xt_connect(1, "one", &xt_p1);
    if (two)
        xt_connect(2, "two", &xt_p2);
    xt_check();
}

void xt_check(void)
{
    char why[256];
    int r = xs_check(xt_s, why, sizeof(why));

    if (r)
        fprintf(stderr, "\nxs_check: %s\n", why);
    CU_ASSERT_EQUAL(r, 0);
}

void xt_teardown(void)
{
    char tag[32];

    snprintf(tag, sizeof(tag), "xenstore-%03u", seed_count++);
    ki_seed(tag, seed, seed_len);
    seed_len = 0;
    xt_check();
    xs_store_free(xt_s);
    xt_s = NULL;
}

void xt_send_raw(struct xt_pipe *p, const void *bytes, size_t n)
{
    if (p->in_off == p->in_len)
        p->in_off = p->in_len = 0;
    CU_ASSERT_FATAL(p->in_len + n <= XT_BUF);
    memcpy(p->in + p->in_len, bytes, n);
    p->in_len += n;
    if (p == &xt_p1 || p == &xt_p2)
        seed_add(p, bytes, n);
    xs_store_service(xt_s);
}

void xt_send(struct xt_pipe *p, uint32_t type, uint32_t tx, const void *data,
             size_t len)
{
    uint8_t buf[XS_HDR_SIZE + XS_PAYLOAD_MAX + 64];
    struct xs_hdr h = { type, ++p->next_req, tx, (uint32_t)len };

    CU_ASSERT_FATAL(len <= XS_PAYLOAD_MAX + 64);
    xs_hdr_encode(buf, &h);
    if (len)
        memcpy(buf + XS_HDR_SIZE, data, len);
    xt_send_raw(p, buf, XS_HDR_SIZE + len);
}

bool xt_recv(struct xt_pipe *p, struct xt_msg *m)
{
    size_t held = p->out_len - p->out_off;

    if (held < XS_HDR_SIZE)
        return false;
    xs_hdr_decode(p->out + p->out_off, &m->h);
    if (m->h.len > XS_PAYLOAD_MAX || held < XS_HDR_SIZE + m->h.len)
        return false;
    memcpy(m->data, p->out + p->out_off + XS_HDR_SIZE, m->h.len);
    m->data[m->h.len] = 0;
    p->out_off += XS_HDR_SIZE + m->h.len;
    xs_store_service(xt_s);            /* room again */
    return true;
}

static void keep_event(struct xt_pipe *p, const struct xt_msg *m)
{
    if (p->nevents < XT_EVENTS)
        p->events[p->nevents++] = *m;
}

struct xt_msg *xt_req(struct xt_pipe *p, uint32_t type, uint32_t tx,
                      const void *data, size_t len)
{
    xt_send(p, type, tx, data, len);
    while (xt_recv(p, &reply)) {
        if (reply.h.type != XS_WATCH_EVENT) {
            CU_ASSERT_EQUAL(reply.h.req_id, p->next_req);
            return &reply;
        }
        keep_event(p, &reply);
    }
    reply.h.type = UINT32_MAX;         /* no reply */
    reply.h.len = 0;
    reply.data[0] = 0;
    return &reply;
}

static void drain_events(struct xt_pipe *p)
{
    struct xt_msg m;

    xs_store_service(xt_s);            /* room may have come back */
    while (xt_recv(p, &m))
        if (m.h.type == XS_WATCH_EVENT)
            keep_event(p, &m);
}

struct xt_msg *xt_event(struct xt_pipe *p)
{
    drain_events(p);
    return p->next_event < p->nevents ? &p->events[p->next_event++] : NULL;
}

unsigned xt_pending_events(struct xt_pipe *p)
{
    drain_events(p);
    return p->nevents - p->next_event;
}

bool xt_is_error(const struct xt_msg *m, const char *name)
{
    return m->h.type == XS_ERROR && m->h.len == strlen(name) + 1 &&
           strcmp((const char *)m->data, name) == 0;
}

bool xt_is(const struct xt_msg *m, uint32_t type, const char *data,
           size_t len)
{
    return m->h.type == type && m->h.len == len &&
           memcmp(m->data, data, len) == 0;
}

bool xt_is_ok(const struct xt_msg *m, uint32_t type)
{
    return xt_is(m, type, "OK", 3);
}

struct xt_msg *xt_one(struct xt_pipe *p, uint32_t type, uint32_t tx,
                      const char *arg)
{
    return xt_req(p, type, tx, arg, strlen(arg) + 1);
}

struct xt_msg *xt_two(struct xt_pipe *p, uint32_t type, uint32_t tx,
                      const char *a, const char *b)
{
    char buf[XS_PAYLOAD_MAX + 64];
    size_t la = strlen(a) + 1, lb = strlen(b) + 1;

    CU_ASSERT_FATAL(la + lb <= sizeof(buf));
    memcpy(buf, a, la);
    memcpy(buf + la, b, lb);
    return xt_req(p, type, tx, buf, la + lb);
}

struct xt_msg *xt_read(struct xt_pipe *p, uint32_t tx, const char *path)
{
    return xt_one(p, XS_READ, tx, path);
}

struct xt_msg *xt_write(struct xt_pipe *p, uint32_t tx, const char *path,
                        const char *value)
{
    char buf[XS_PAYLOAD_MAX + 64];
    size_t la = strlen(path) + 1, lb = strlen(value);

    CU_ASSERT_FATAL(la + lb <= sizeof(buf));
    memcpy(buf, path, la);
    memcpy(buf + la, value, lb);
    return xt_req(p, XS_WRITE, tx, buf, la + lb);
}

uint32_t xt_tx_start(struct xt_pipe *p)
{
    struct xt_msg *m = xt_req(p, XS_TRANSACTION_START, 0, "", 1);

    if (m->h.type != XS_TRANSACTION_START)
        return 0;
    return (uint32_t)strtoul((const char *)m->data, NULL, 10);
}
