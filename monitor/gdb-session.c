/* The gdbstub as a front end of the debugger core, on its socket (see
 * gdbstub.h): the client, the stops it takes, its Ctrl-C. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "monitor/gdb-io.h"
#include "monitor/gdb-stub-priv.h"

static void hang_up(struct gdbstub *g)
{
    gdb_io_close(g->fd);
    g->fd = -1;
    g->running = false;
    g->noack = false;
    g->layout = NULL;
    gdbstub_clear_breakpoints(g);
}

static void send_raw(struct gdbstub *g, const char *s, size_t n)
{
    if (g->fd >= 0 && gdb_io_send(g->fd, s, n))
        hang_up(g);
}

static void send_packet(struct gdbstub *g, const struct gdb_buf *b)
{
    send_raw(g, g->out, gdb_frame(b->data, b->len, g->out));
}

/* One framing event from the bytes received (blocking for more):
 * GDB_RX_NONE when the connection is over. */
static enum gdb_rx_event next_event(struct gdbstub *g)
{
    for (;;) {
        while (g->in_pos < g->in_len) {
            enum gdb_rx_event e = gdb_rx_byte(&g->rx,
                                              (uint8_t)g->in[g->in_pos++]);
            if (e != GDB_RX_NONE)
                return e;
        }
        long n = gdb_io_recv(g->fd, g->in, sizeof(g->in), true);
        if (n < 0) {
            hang_up(g);
            return GDB_RX_NONE;
        }
        g->in_pos = 0;
        g->in_len = (size_t)n;
    }
}

/* The next packet from the client: true, or false when the connection
 * is over.  Acknowledged unless in no-ack mode; a bad checksum asks for
 * it again ('-'), an oversized one is answered with an error. */
static bool next_packet(struct gdbstub *g)
{
    while (g->fd >= 0) {
        enum gdb_rx_event e = next_event(g);
        if (e == GDB_RX_BAD_CHECKSUM && !g->noack)
            send_raw(g, "-", 1);
        if (e == GDB_RX_OVERSIZE || (e == GDB_RX_PACKET && !g->noack))
            send_raw(g, "+", 1);
        if (e == GDB_RX_OVERSIZE) {
            gdb_buf_reset(&g->reply);
            gdb_buf_str(&g->reply, "E0e");
            send_packet(g, &g->reply);
        }
        if (e == GDB_RX_PACKET && g->fd >= 0)
            return true;
    }
    return false;
}

/* Packets until one resumes the guest (true) or ends the run (false). */
static bool serve(struct gdbstub *g)
{
    while (g->fd >= 0 && next_packet(g)) {
        enum gdb_action a = gdbstub_command(g, g->rx.data, g->rx.len,
                                            &g->reply);
        switch (a) {
        case GDB_REPLY:
            send_packet(g, &g->reply);
            break;
        case GDB_RESUME:
            if (g->reply.len) {     /* vCont's error: no resume */
                send_packet(g, &g->reply);
                break;
            }
            g->running = true;
            return true;
        case GDB_KILL:
            hang_up(g);
            return false;
        case GDB_DETACH:
            send_packet(g, &g->reply);
            hang_up(g);
            return true;
        }
    }
    return true;                        /* gone: the guest goes on */
}

static void start_session(struct gdbstub *g, int fd)
{
    g->fd = fd;
    g->noack = false;
    g->running = false;
    g->layout = NULL;
    g->c_vcpu = -1;
    g->in_pos = g->in_len = 0;
    gdb_rx_init(&g->rx);
}

static bool stopped(void *opaque, struct dbg *d, const struct dbg_stop *s)
{
    struct gdbstub *g = opaque;

    (void)d;
    gdbstub_set_stop(g, s);
    if (g->fd < 0) {
        int fd = gdb_io_accept(g->lfd, true);
        g->waiting_start = false;
        if (fd < 0)
            return true;
        start_session(g, fd);
    } else if (g->running) {
        g->running = false;
        gdbstub_stop_reply(g, s, &g->reply);
        send_packet(g, &g->reply);
    }
    return serve(g);
}

static bool active(void *opaque)
{
    struct gdbstub *g = opaque;

    return g->fd >= 0 || g->waiting_start;
}

/* Between slices: Ctrl-C from the client, or a new client (it gets a
 * stop to talk to). */
static void service(void *opaque, struct dbg *d)
{
    struct gdbstub *g = opaque;
    char buf[256];
    long n;

    if (g->fd < 0) {
        int fd = gdb_io_accept(g->lfd, false);
        if (fd >= 0) {
            start_session(g, fd);
            dbg_request_stop(d, DBG_STOP_USER, "gdb attached");
        }
        return;
    }
    n = gdb_io_recv(g->fd, buf, sizeof(buf), false);
    if (n < 0) {
        hang_up(g);
        return;
    }
    /* A client in all-stop mode sends nothing else while the guest runs. */
    for (long i = 0; i < n; i++)
        if (gdb_rx_byte(&g->rx, (uint8_t)buf[i]) == GDB_RX_INTERRUPT)
            dbg_request_stop(d, DBG_STOP_USER, "interrupted by gdb (Ctrl-C)");
}

struct gdbstub *gdbstub_create(struct dbg *d, const char *spec)
{
    struct gdbstub *g = gdbstub_new(d);
    struct dbg_frontend fe = { stopped, active, service, NULL };
    char why[300];

    if (!g) {
        xe_error("out of memory");
        return NULL;
    }
    g->lfd = gdb_io_listen(spec, why, sizeof(why));
    if (g->lfd < 0) {
        xe_error("--gdb: %s", why);
        free(g);
        return NULL;
    }
    if (strncmp(spec, "unix:", 5) == 0)
        g->unix_path = strdup(spec + 5);
    fe.opaque = g;
    if (dbg_set_frontend(d, &fe)) {
        xe_error("--gdb: too many debugger front ends");
        gdbstub_destroy(g);
        return NULL;
    }
    g->waiting_start = true;
    dbg_request_stop(d, DBG_STOP_START, "waiting for gdb");
    return g;
}

void gdbstub_destroy(struct gdbstub *g)
{
    if (!g)
        return;
    gdb_io_close(g->fd);
    gdb_io_close(g->lfd);
    if (g->unix_path) {
        unlink(g->unix_path);
        free(g->unix_path);
    }
    free(g);
}
