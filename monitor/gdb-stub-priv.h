/* Inside the gdbstub: its state, shared by the commands (gdbstub.c) and
 * the session on the socket (gdb-session.c). */
#ifndef XENEMU_MONITOR_GDB_STUB_PRIV_H
#define XENEMU_MONITOR_GDB_STUB_PRIV_H

#include "monitor/gdb-regs.h"
#include "monitor/gdbstub.h"

struct gdbstub {
    struct dbg *d;
    const struct gdb_layout *layout;
    unsigned g_vcpu;            /* Hg: registers and memory */
    int c_vcpu;                 /* Hc: the vCPU s steps; -1: the stopped one */
    struct dbg_stop last;       /* for '?' */
    bool noack;                 /* QStartNoAckMode */
    /* The session (gdb-session.c). */
    int lfd, fd;
    char *unix_path;
    bool waiting_start;         /* the first stop waits for a client */
    bool running;               /* the client resumed: report the stop */
    struct gdb_rx rx;
    char in[512];               /* received, not yet framed */
    size_t in_pos, in_len;
    struct gdb_buf reply;
    char out[2 * GDB_PACKET_MAX + 8];
};

#endif
