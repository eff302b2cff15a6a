/*
 * The input layer: everything a guest receives from the host passes
 * through here, stamped with the instruction count it is delivered at, so
 * that a run can be replayed exactly.  Two kinds: console input bytes,
 * and requests to the machine ("shutdown poweroff": what xl shutdown
 * asks of the toolstack, which writes the guest's control/shutdown).
 *
 * Sources: the terminal on standard input (put in raw mode, restored on
 * every exit path), read without blocking only at slice boundaries;
 * SIGINT/SIGTERM (the first asks for a clean shutdown, a second ends
 * xenemu at once); or a replay file of events.  Standard input that is
 * not a terminal is never read here (the monitor may read it).
 *
 * Keys of the terminal that never reach the guest: Ctrl-] ends the run,
 * as `xl console`'s escape does; Ctrl-A is a prefix, as in QEMU's
 * console: Ctrl-A c enters the monitor, Ctrl-A x ends the run, Ctrl-A
 * Ctrl-A sends one Ctrl-A (any other key after Ctrl-A is sent with it).
 * Recorded events hold what the guest received.
 *
 * Event file format (what --record-input writes and --input reads): one
 * event a line, "ICOUNT HEXBYTES" (console input, e.g. "1200345 68690a")
 * or "ICOUNT !REQUEST" (e.g. "5000000 !shutdown poweroff", "!shutdown
 * reboot", "!pause 2", "!unpause 2": xl pause / unpause of a domain);
 * '#' lines are comments.  Events are in icount order.
 */
#ifndef XENEMU_MACHINE_INPUT_H
#define XENEMU_MACHINE_INPUT_H

#include <stdio.h>
#include "xenemu/common.h"

#define INPUT_ESCAPE 0x1d          /* Ctrl-] */
#define INPUT_PREFIX 0x01          /* Ctrl-A */
#define INPUT_EVENT_MAX 256

/* Where events go. */
struct input_sink {
    void (*bytes)(void *opaque, const uint8_t *buf, size_t n);
    void (*request)(void *opaque, const char *request);
    void *opaque;
};

/* The requests there are (a replay file naming another is refused). */
extern const char *const input_requests[];

struct input {
    int fd;                        /* live terminal; -1: none */
    FILE *replay;                  /* events to replay; NULL: none */
    const char *replay_name;
    unsigned replay_line;
    bool have_next;                /* next replay event read ahead */
    uint64_t next_icount;
    uint8_t next[INPUT_EVENT_MAX];
    size_t next_len;
    bool next_is_request;          /* next: a NUL-terminated request */
    bool signal_seen;              /* the first SIGINT/SIGTERM, delivered */
    FILE *log;                     /* live events recorded here */
    bool escape;                   /* Ctrl-] or Ctrl-A x: end the run */
    bool prefix;                   /* Ctrl-A seen, its key not yet */
    bool monitor_request;          /* Ctrl-A c: enter the monitor */
    bool error;                    /* a bad replay file (reported) */
};

/* Open the sources: replay (a file name) or, without one, standard input
 * if it is a terminal; log records live events.  0, or -1 after an error
 * line. */
int input_open(struct input *in, const char *replay, const char *log);
void input_close(struct input *in);

/* Is there a source that may still produce input? */
bool input_active(const struct input *in);
/* The icount of the next replayed event, UINT64_MAX if none. */
uint64_t input_next_icount(const struct input *in);
/* Log a request made at icount by another source (the monitor's pause
 * and unpause) with the live events, so that --input replays it. */
void input_record_request(struct input *in, uint64_t icount,
                          const char *req);
/* At a slice boundary at icount: deliver what is due. */
void input_poll(struct input *in, uint64_t icount,
                const struct input_sink *sink);
/* From now on the first SIGINT or SIGTERM is the request "shutdown
 * poweroff" (and sets *stop, so the CPU leaves its slice, until
 * input_close); a second one ends xenemu as the signal does by default. */
void input_catch_signals(volatile bool *stop);
/* The console keys of n typed bytes: the bytes for the guest go to out
 * (room for 2n: a Ctrl-A not followed by c, x or Ctrl-A is sent with
 * the key after it), their number is returned; escape, prefix and
 * monitor_request follow the keys.  Keys after one that ends the run or
 * enters the monitor are dropped. */
size_t input_console_keys(struct input *in, const uint8_t *buf, size_t n,
                          uint8_t *out);
/* Wait up to ms milliseconds of host time for live input. */
void input_wait(struct input *in, int ms);
/* The terminal in its own mode while the monitor reads it, and raw
 * again afterwards (which also clears monitor_request). */
void input_suspend(struct input *in);
void input_resume(struct input *in);

#endif
