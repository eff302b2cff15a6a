/*
 * libFuzzer harness for the built-in xenstored (xenplat/xenstore/): a
 * store with dom0's and libxl's tree and two domUs, each connected through
 * an in-memory pipe, driven by the input as a script of steps: bytes into
 * a domU's request stream (any framing, any garbage), taking or stalling
 * its output, ring reconnections, toolstack writes, shutdown requests and
 * special-watch events, quota changes.  Every few steps and at the end the
 * store must be consistent (xs_check), and everything it wrote must be
 * well-formed messages no longer than XENSTORE_PAYLOAD_MAX; any crash,
 * sanitizer report or leak is a bug.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xenplat/xenstore/store.h"
#include "xenplat/xenstore/toolstack.h"

#define PIPE_IN (1u << 16)
#define CHECK_EVERY 8                 /* steps between consistency checks */

struct pipe {
    uint8_t in[PIPE_IN];
    size_t in_len, in_off;
    size_t held;                      /* output not yet taken */
    bool stall;
    /* The output stream's framing. */
    uint8_t hdr[XS_HDR_SIZE];
    uint32_t hdr_used, body_left;
    struct xs_conn *conn;
};

static struct pipe pipes[2];

static int p_read(void *o, uint8_t *buf, unsigned n)
{
    struct pipe *p = o;
    size_t avail = p->in_len - p->in_off;

    if (n > avail)
        n = (unsigned)avail;
    memcpy(buf, p->in + p->in_off, n);
    p->in_off += n;
    return (int)n;
}

/* Check what the store writes: headers, then at most 4096 bytes. */
static void check_output(struct pipe *p, const uint8_t *buf, unsigned n)
{
    unsigned i;

    for (i = 0; i < n; i++) {
        if (p->body_left) {
            p->body_left--;
            continue;
        }
        p->hdr[p->hdr_used++] = buf[i];
        if (p->hdr_used == XS_HDR_SIZE) {
            struct xs_hdr h;
            xs_hdr_decode(p->hdr, &h);
            if (h.len > XS_PAYLOAD_MAX || h.type >= XS_TYPE_COUNT)
                abort();
            p->body_left = h.len;
            p->hdr_used = 0;
        }
    }
}

static int p_write(void *o, const uint8_t *buf, unsigned n)
{
    struct pipe *p = o;

    if (p->stall)
        return 0;
    if (n > 1000)
        n = 1000;                     /* a ring's worth at a time */
    check_output(p, buf, n);
    p->held += n;
    return (int)n;
}

static bool p_can_read(void *o)
{
    struct pipe *p = o;
    return p->in_off < p->in_len;
}

static bool p_can_write(void *o)
{
    struct pipe *p = o;
    return !p->stall && p->held < 4096;
}

static void p_reset(void *o)
{
    struct pipe *p = o;

    p->in_len = p->in_off = p->held = 0;
    p->hdr_used = p->body_left = 0;
}

static const struct xs_transport pipe_t = {
    p_read, p_write, p_can_read, p_can_write, NULL, p_reset,
};

static void check(struct xs_store *s)
{
    char why[256];

    if (xs_check(s, why, sizeof(why))) {
        fprintf(stderr, "inconsistent store: %s\n", why);
        abort();
    }
}

static struct xs_store *setup(void)
{
    struct xs_store *s = xs_store_new();
    unsigned i;

    if (!s || xs_toolstack_dom0(s))
        abort();
    for (i = 0; i < 2; i++) {
        struct xs_guest g = {
            .domid = i + 1, .name = i ? "two" : "one", .target_kb = 65536,
            .max_kb = 65536, .vcpus = 1, .store_mfn = 100 + i,
            .console_mfn = 200 + i, .store_port = 1, .console_port = 2,
            .kernel = "k", .cmdline = "c", .start_sec = 1,
        };
        memset(&pipes[i], 0, sizeof(pipes[i]));
        if (xs_toolstack_domain(s, &g) ||
            !(pipes[i].conn = xs_domain_introduce(s, i + 1, &pipe_t,
                                                  &pipes[i])))
            abort();
    }
    return s;
}

static void feed(struct pipe *p, const uint8_t *d, size_t n)
{
    if (p->in_off == p->in_len)
        p->in_len = p->in_off = 0;
    if (n > PIPE_IN - p->in_len)
        n = PIPE_IN - p->in_len;
    memcpy(p->in + p->in_len, d, n);
    p->in_len += n;
}

/* A toolstack request made of input bytes (a path, maybe a value). */
static void toolstack(struct xs_store *s, unsigned op, const uint8_t *d,
                      size_t n)
{
    static const enum xs_type types[] = {
        XS_WRITE, XS_MKDIR, XS_RM, XS_SET_PERMS, XS_READ, XS_DIRECTORY,
        XS_CONTROL, XS_RELEASE, XS_RESUME, XS_INTRODUCE, XS_SET_TARGET,
        XS_WATCH,
    };
    uint8_t reply[XS_PAYLOAD_MAX];
    size_t len = sizeof(reply);

    xs_call(s, 0, types[op % ARRAY_SIZE(types)], d, n, reply, &len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct xs_store *s = setup();
    size_t pos = 0;
    unsigned steps = 0;

    while (pos < size) {
        uint8_t op = data[pos++];
        struct pipe *p = &pipes[(op >> 3) & 1];
        size_t n = pos < size ? data[pos] : 0;

        switch (op & 7) {
        case 0:                       /* request bytes */
        case 1:
            pos++;
            if (n > size - pos)
                n = size - pos;
            feed(p, data + pos, n);
            pos += n;
            break;
        case 2:                       /* the guest takes its output */
            p->held = 0;
            break;
        case 3:
            p->stall = !p->stall;
            break;
        case 4:                       /* ring reconnection */
            if (p->conn && xs_domain_conn(s, (op >> 3 & 1) + 1) == p->conn)
                xs_conn_reset(p->conn);
            break;
        case 5:
            pos++;
            if (n > size - pos)
                n = size - pos;
            toolstack(s, op >> 3, data + pos, n);
            pos += n;
            break;
        case 6:
            if (op & 0x10)
                xs_domain_shutdown(s, (op >> 3 & 1) + 1);
            else
                xs_toolstack_shutdown(s, 1, op & 0x20 ? "reboot"
                                                      : "poweroff");
            break;
        case 7: {                     /* small quotas reach their limits */
            char cmd[64];
            int len = snprintf(cmd, sizeof(cmd), "quota%cset%c%s%c%u", 0, 0,
                               xs_quota_defs[(op >> 3) % XS_Q_COUNT].name,
                               0, 1 + (unsigned)n % 40);
            xs_call(s, 0, XS_CONTROL, cmd, (size_t)len + 1, NULL, NULL);
            pos++;
            break;
        }
        }
        xs_store_service(s);
        if (++steps % CHECK_EVERY == 0)
            check(s);
    }
    check(s);
    xs_store_free(s);
    return 0;
}
