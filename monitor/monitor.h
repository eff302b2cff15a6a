/*
 * The monitor: a command line for the debugger (dbg.h), in Bochs' and
 * gdb's vocabulary.  It takes over when the machine stops (at the start
 * with -S, at a breakpoint, after a step, on the console escape Ctrl-A c,
 * at the end of a run it has seen) and reads commands from a script
 * (--monitor-script), then from a terminal with GNU readline (history,
 * editing, completion of commands and symbols), or from standard input
 * when that is not a terminal and -S was given.  When its input ends it
 * lets the guest run to the end without stopping again.
 *
 * Output goes to standard output; an error is one line on standard error
 * ("xenemu: monitor: x: 0x1000: not mapped") and the session goes on.
 */
#ifndef XENEMU_MONITOR_MONITOR_H
#define XENEMU_MONITOR_MONITOR_H

#include "monitor/dbg.h"

struct monitor_options {
    bool paused;                /* -S: stop before the first instruction */
    const char *script;         /* --monitor-script FILE */
};

struct monitor;

/* Attach a monitor to d.  NULL after an error line (the script cannot be
 * opened, out of memory). */
struct monitor *monitor_create(struct dbg *d, const struct monitor_options *o);
void monitor_destroy(struct monitor *m);

/* Run one command line (what the session does with each line): for tests
 * and scripts.  Returns MON_OK, MON_ERROR (reported), MON_RESUME (the
 * guest should run) or MON_QUIT. */
enum { MON_OK = 0, MON_ERROR = -1, MON_RESUME = 1, MON_QUIT = 2 };
int monitor_command(struct monitor *m, const char *line);

#endif
