/*
 * The gdbstub: the GDB remote serial protocol as a second front end of
 * the debugger core (dbg.h).  It listens on a TCP socket (loopback unless
 * a host is given) or a unix socket and waits for the client before the
 * first instruction.  While a client is attached it takes every stop
 * (the monitor takes them otherwise); while the guest runs it polls the
 * socket between slices without blocking, for the client's Ctrl-C.
 *
 * Every vCPU of every domain is a thread: id domid * 256 + vcpu + 1 on
 * the PV machine, 1 on the bare one.  Registers are i386 for a 32-bit PV
 * guest (or a bare CPU outside long mode when the client attaches),
 * x86-64 otherwise.  Detaching (D) or a client that goes away lets the
 * guest go on without gdb's breakpoints; kill (k) ends the run with the
 * status of the monitor's quit.
 */
#ifndef XENEMU_MONITOR_GDBSTUB_H
#define XENEMU_MONITOR_GDBSTUB_H

#include "monitor/dbg.h"
#include "monitor/gdb-packet.h"

struct gdbstub;

/* Listen on spec (gdb-io.h) and attach to d: NULL after an error line. */
struct gdbstub *gdbstub_create(struct dbg *d, const char *spec);
void gdbstub_destroy(struct gdbstub *g);

/* ---- the protocol without sockets (for tests) ---------------------------- */

enum gdb_action {
    GDB_REPLY,          /* send the reply, read the next packet */
    GDB_RESUME,         /* reply (if any), then let the guest run */
    GDB_KILL,           /* end the run */
    GDB_DETACH,         /* reply, close, let the guest run */
};

/* A stub on d without a socket. */
struct gdbstub *gdbstub_new(struct dbg *d);
/* Handle one packet (its data, unescaped): what to do, the reply in r
 * (empty: the empty reply, or none for GDB_RESUME/GDB_KILL). */
enum gdb_action gdbstub_command(struct gdbstub *g, const char *pkt,
                                size_t len, struct gdb_buf *r);
/* The stop reply for s ("T05thread:2;", "W00"...). */
void gdbstub_stop_reply(struct gdbstub *g, const struct dbg_stop *s,
                        struct gdb_buf *r);
/* A stop reached the stub: it becomes the last one ('?') and its vCPU
 * the current thread. */
void gdbstub_set_stop(struct gdbstub *g, const struct dbg_stop *s);
/* Delete the breakpoints and watchpoints the client set. */
void gdbstub_clear_breakpoints(struct gdbstub *g);

#endif
