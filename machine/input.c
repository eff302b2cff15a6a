/* The input layer (see input.h). */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include "machine/input.h"

/* ---- the terminal's mode, restored on every exit path -------------------------- */

static struct termios saved_tio, raw_tio;
static volatile sig_atomic_t tio_saved;

static void restore_terminal(void)
{
    if (tio_saved) {
        tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
        tio_saved = 0;
    }
}

static void restore_and_reraise(int sig)
{
    restore_terminal();
    signal(sig, SIG_DFL);
    raise(sig);
}

static int terminal_raw(int fd)
{
    static const int sigs[] = { SIGTERM, SIGHUP, SIGQUIT, SIGINT, SIGABRT };
    struct termios raw;
    size_t i;

    if (tcgetattr(fd, &saved_tio))
        return -1;
    raw = saved_tio;
    raw.c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR |
                               IGNCR | ICRNL | IXON);
    raw.c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
    raw.c_cflag &= ~(tcflag_t)(CSIZE | PARENB);
    raw.c_cflag |= CS8;
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    raw_tio = raw;
    tio_saved = 1;
    atexit(restore_terminal);
    for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
        signal(sigs[i], restore_and_reraise);
    return tcsetattr(fd, TCSANOW, &raw);
}

/* ---- shutdown signals ------------------------------------------------------------ */

static volatile sig_atomic_t signals;      /* SIGINT/SIGTERM received */
static volatile sig_atomic_t signal_done;  /* the first one delivered */
static volatile bool *signal_stop;

static void on_shutdown_signal(int sig)
{
    if (signals++ == 0) {
        if (signal_stop)
            *signal_stop = true;
        return;
    }
    restore_and_reraise(sig);
}

void input_catch_signals(volatile bool *stop)
{
    static const int sigs[] = { SIGINT, SIGTERM };
    struct sigaction sa;
    size_t i;

    signal_stop = stop;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_shutdown_signal;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
        sigaction(sigs[i], &sa, NULL);
}

/* ---- replay files ------------------------------------------------------------- */

static bool replay_fail(struct input *in, const char *why)
{
    xe_error("%s:%u: %s", in->replay_name, in->replay_line, why);
    in->error = true;
    in->have_next = false;
    fclose(in->replay);
    in->replay = NULL;
    return false;
}

const char *const input_requests[] = {
    "shutdown poweroff", "shutdown reboot", NULL,
};

/* Requests naming a domain: "pause DOMID" (xl pause), "unpause DOMID". */
static const char *const domain_requests[] = { "pause ", "unpause ", NULL };

static bool domain_request_ok(const char *p, size_t n)
{
    for (unsigned i = 0; domain_requests[i]; i++) {
        size_t k = strlen(domain_requests[i]);
        unsigned long id = 0;
        size_t j;

        if (n <= k || strncmp(p, domain_requests[i], k) != 0 || n - k > 5)
            continue;
        for (j = k; j < n && p[j] >= '0' && p[j] <= '9'; j++)
            id = id * 10 + (unsigned long)(p[j] - '0');
        if (j == n && id <= 0xffff)
            return true;
    }
    return false;
}

/* "!REQUEST" after the icount: one of input_requests, or a domain's. */
static bool replay_request(struct input *in, const char *p)
{
    size_t n = strcspn(p, "\n"), i;

    for (i = 0; input_requests[i]; i++)
        if (strlen(input_requests[i]) == n &&
            strncmp(input_requests[i], p, n) == 0)
            break;
    if (!input_requests[i] && !domain_request_ok(p, n))
        return replay_fail(in, "unknown request (shutdown poweroff, "
                               "shutdown reboot, pause DOMID or "
                               "unpause DOMID)");
    memcpy(in->next, p, n);
    in->next[n] = '\0';
    in->next_len = n;
    in->next_is_request = true;
    return true;
}

/* Read the next event ahead; false at the end or on an error. */
static bool replay_next(struct input *in)
{
    char line[2 * INPUT_EVENT_MAX + 64], *p, *end;
    unsigned long long ic;
    uint64_t prev = in->have_next ? in->next_icount : 0;

    in->have_next = false;
    while (in->replay && fgets(line, sizeof(line), in->replay)) {
        in->replay_line++;
        if (line[0] == '#' || line[0] == '\n')
            continue;
        if (!strchr(line, '\n') && !feof(in->replay))
            return replay_fail(in, "line too long");
        errno = 0;
        ic = strtoull(line, &end, 10);
        if (end == line || errno || *end != ' ')
            return replay_fail(in, "expected 'ICOUNT HEXBYTES' or "
                                   "'ICOUNT !REQUEST'");
        if (ic < prev)
            return replay_fail(in, "events are not in icount order");
        in->next_len = 0;
        in->next_is_request = false;
        in->next_icount = ic;
        if (end[1] == '!') {
            if (!replay_request(in, end + 2))
                return false;
            in->have_next = true;
            return true;
        }
        for (p = end + 1; xe_hex_digit(p[0]) >= 0; p += 2) {
            if (xe_hex_digit(p[1]) < 0)
                return replay_fail(in, "odd number of hex digits");
            if (in->next_len == INPUT_EVENT_MAX)
                return replay_fail(in, "more than 256 bytes in one event");
            in->next[in->next_len++] =
                (uint8_t)(xe_hex_digit(p[0]) << 4 | xe_hex_digit(p[1]));
        }
        if (in->next_len == 0 || (*p != '\n' && *p != '\0'))
            return replay_fail(in, "expected hex bytes or !REQUEST after "
                                   "the icount");
        in->have_next = true;
        return true;
    }
    return false;
}

/* ---- the layer ----------------------------------------------------------------- */

int input_open(struct input *in, const char *replay, const char *log)
{
    memset(in, 0, sizeof(*in));
    in->fd = -1;
    if (log && !(in->log = fopen(log, "w"))) {
        xe_error("%s: cannot create: %s", log, strerror(errno));
        return -1;
    }
    if (replay) {
        in->replay_name = replay;
        if (!(in->replay = fopen(replay, "r"))) {
            xe_error("%s: cannot open: %s", replay, strerror(errno));
            return -1;
        }
        replay_next(in);
        return in->error ? -1 : 0;
    }
    if (isatty(STDIN_FILENO) && terminal_raw(STDIN_FILENO) == 0)
        in->fd = STDIN_FILENO;
    return 0;
}

void input_close(struct input *in)
{
    signal_stop = NULL;            /* the CPU it pointed into goes away */
    if (in->fd >= 0)
        restore_terminal();
    if (in->replay)
        fclose(in->replay);
    if (in->log)
        fclose(in->log);
    in->fd = -1;
    in->replay = NULL;
    in->log = NULL;
}

bool input_active(const struct input *in)
{
    return in->fd >= 0 || in->have_next;
}

uint64_t input_next_icount(const struct input *in)
{
    return in->have_next ? in->next_icount : UINT64_MAX;
}

static void record(struct input *in, uint64_t icount, const uint8_t *buf,
                   size_t n)
{
    size_t i;

    if (!in->log || n == 0)
        return;
    fprintf(in->log, "%llu ", (unsigned long long)icount);
    for (i = 0; i < n; i++)
        fprintf(in->log, "%02x", buf[i]);
    fputc('\n', in->log);
    fflush(in->log);
}

void input_record_request(struct input *in, uint64_t icount,
                          const char *req)
{
    if (!in->log)
        return;
    fprintf(in->log, "%llu !%s\n", (unsigned long long)icount, req);
    fflush(in->log);
}

/* The console keys (input.h): Ctrl-] ends the run; Ctrl-A is a prefix. */
size_t input_console_keys(struct input *in, const uint8_t *buf, size_t n,
                          uint8_t *out)
{
    size_t k = 0;

    for (size_t i = 0; i < n && !in->escape && !in->monitor_request; i++) {
        uint8_t ch = buf[i];
        if (in->prefix) {
            in->prefix = false;
            if (ch == 'c') {
                in->monitor_request = true;
                continue;
            }
            if (ch == 'x') {
                in->escape = true;
                continue;
            }
            out[k++] = INPUT_PREFIX;
            if (ch == INPUT_PREFIX)
                continue;
        } else if (ch == INPUT_PREFIX) {
            in->prefix = true;
            continue;
        }
        if (ch == INPUT_ESCAPE) {
            in->escape = true;
            continue;
        }
        out[k++] = ch;
    }
    return k;
}

/* What the terminal has now, without blocking. */
static void poll_terminal(struct input *in, uint64_t icount,
                          const struct input_sink *sink)
{
    struct pollfd p = { .fd = in->fd, .events = POLLIN };
    uint8_t buf[INPUT_EVENT_MAX / 2], out[INPUT_EVENT_MAX];
    ssize_t n;
    size_t k;

    if (poll(&p, 1, 0) <= 0 || !(p.revents & (POLLIN | POLLHUP)))
        return;
    n = read(in->fd, buf, sizeof(buf));
    if (n <= 0) {                  /* end of input: stop reading */
        restore_terminal();
        in->fd = -1;
        return;
    }
    k = input_console_keys(in, buf, (size_t)n, out);
    record(in, icount, out, k);
    if (k > 0)
        sink->bytes(sink->opaque, out, k);
}

void input_poll(struct input *in, uint64_t icount,
                const struct input_sink *sink)
{
    while (in->have_next && in->next_icount <= icount) {
        if (in->next_is_request)
            sink->request(sink->opaque, (const char *)in->next);
        else
            sink->bytes(sink->opaque, in->next, in->next_len);
        replay_next(in);
    }
    if (signals && !signal_done) {
        signal_done = 1;
        input_record_request(in, icount, input_requests[0]);
        sink->request(sink->opaque, input_requests[0]);
    }
    if (in->fd >= 0 && !in->escape && !in->monitor_request)
        poll_terminal(in, icount, sink);
}

void input_suspend(struct input *in)
{
    if (in->fd >= 0 && tio_saved)
        tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
}

void input_resume(struct input *in)
{
    in->monitor_request = false;
    if (in->fd >= 0 && tio_saved)
        tcsetattr(STDIN_FILENO, TCSANOW, &raw_tio);
}

void input_wait(struct input *in, int ms)
{
    struct pollfd p = { .fd = in->fd, .events = POLLIN };

    if (in->fd >= 0)
        poll(&p, 1, ms);
}
