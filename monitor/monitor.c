/* The monitor's session (see monitor.h): stops, the command loop, and
 * the helpers every command uses. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "monitor/disas.h"
#include "monitor/expr.h"
#include "monitor/mon.h"

typedef unsigned long long ull;

/* ---- helpers ---------------------------------------------------------------------- */

void mon_error(struct monitor *m, const char *cmd, const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    fflush(m->out);
    xe_error("monitor: %s%s%s%s", m->where ? m->where : "", cmd ? cmd : "",
             cmd ? ": " : "", msg);
}

struct dbg_vcpu *mon_vcpu(struct monitor *m, const char *cmd)
{
    struct dbg_vcpu *dv = dbg_current(m->d);

    if (!dv)
        mon_error(m, cmd, "the machine has no vCPU (yet)");
    return dv;
}

static bool eval_reg(void *opaque, const char *name, uint64_t *val)
{
    struct monitor *m = opaque;
    struct dbg_vcpu *dv = dbg_current(m->d);

    return dv && mon_reg(dv, name, val);
}

static bool eval_sym(void *opaque, const char *name, uint64_t *val)
{
    struct monitor *m = opaque;

    return symtab_lookup(&m->d->syms, name, val);
}

int mon_eval(struct monitor *m, const char *cmd, const char *text,
             uint64_t *val)
{
    struct expr_env env = { eval_reg, eval_sym, m };
    char err[160];

    if (expr_eval(text, &env, val, err, sizeof(err)) == 0)
        return 0;
    mon_error(m, cmd, "%s", err);
    return -1;
}

int mon_count(struct monitor *m, const char *cmd, const char *s,
              uint64_t def, uint64_t max, uint64_t *n)
{
    char *end;
    unsigned long long v;

    while (*s == ' ')
        s++;
    if (!*s) {
        *n = def;
        return 0;
    }
    v = strtoull(s, &end, 0);
    while (*end == ' ')
        end++;
    if (*s < '0' || *s > '9' || *end || v == 0 || v > max) {
        mon_error(m, cmd, "'%s' is not a count from 1 to %llu", s,
                  (ull)max);
        return -1;
    }
    *n = v;
    return 0;
}

const char *mon_addr(struct monitor *m, uint64_t addr, char *buf,
                     size_t len)
{
    char sym[128];

    symtab_describe(&m->d->syms, addr, sym, sizeof(sym));
    if (sym[0])
        snprintf(buf, len, "0x%llx <%s>", (ull)addr, sym);
    else
        snprintf(buf, len, "0x%llx", (ull)addr);
    return buf;
}

unsigned mon_print_insn(struct monitor *m, struct dbg_vcpu *dv, uint64_t va,
                        const char *prefix)
{
    uint8_t bytes[16];
    char text[128], where[160], hex[64];
    size_t n = 0, k;
    unsigned len;

    while (n < sizeof(bytes) && dbg_read_virt(dv, va + n, bytes + n, 1) == 0)
        n++;
    if (n == 0)
        return 0;
    len = disas_one(bytes, n, va, dbg_code_bits(dv), text, sizeof(text));
    if (!len) {
        len = 1;
        snprintf(text, sizeof(text), "(bad)");
    }
    for (k = 0; k < len && k < 15; k++)
        snprintf(hex + 3 * k, sizeof(hex) - 3 * k, "%02x ", bytes[k]);
    hex[3 * k] = '\0';
    fprintf(m->out, "%s%s: %-30s %s\n", prefix,
            mon_addr(m, va, where, sizeof(where)), hex, text);
    return len;
}

/* ---- commands ---------------------------------------------------------------------- */

static void echo(struct monitor *m, const char *line)
{
    fprintf(m->out, "(xenemu) %s\n", line);
}

int monitor_command(struct monitor *m, const char *line)
{
    char word[64], err[256];
    const char *args;
    char *copy;
    int i, r;

    while (*line == ' ' || *line == '\t')
        line++;
    if (!*line || *line == '#')
        return MON_OK;
    if (strlen(line) >= CMD_MAX_LINE) {
        mon_error(m, NULL, "line too long (more than %d characters)",
                  CMD_MAX_LINE - 1);
        return MON_ERROR;
    }
    args = cmd_first_word(line, word, sizeof(word));
    i = cmd_lookup(mon_commands, mon_ncommands, sizeof(mon_commands[0]),
                   word, "command", err, sizeof(err));
    if (i < 0) {
        mon_error(m, NULL, "%s", err);
        return MON_ERROR;
    }
    copy = strdup(args);
    if (!copy) {
        mon_error(m, NULL, "out of memory");
        return MON_ERROR;
    }
    r = mon_commands[i].fn(m, cmd_trim(copy));
    free(copy);
    return r;
}

/* ---- stops ------------------------------------------------------------------------- */

static void announce(struct monitor *m, const struct dbg_stop *s)
{
    struct dbg_vcpu *dv = s->vcpu < m->d->nvcpus ? m->d->vcpu[s->vcpu] : NULL;

    fflush(stdout);
    fprintf(m->out, "#%llu %s %s%s\n", (ull)s->icount, dv ? dv->name : "-",
            s->reason == DBG_STOP_EXIT ? "the run is over: " : "stopped: ",
            s->what);
    if (s->reason == DBG_STOP_EXIT)
        fprintf(m->out, "  (exit status %d; only inspection now, quit or "
                "end the input to leave)\n", s->exit_status);
    else if (dv && !mon_print_insn(m, dv, dbg_pc(dv), "=> "))
        fprintf(m->out, "=> 0x%llx: (not mapped)\n", (ull)dbg_pc(dv));
}

/* Take commands until one resumes the guest (true) or quits (false). */
static bool session(struct monitor *m)
{
    const char *where;
    bool echo_line;
    char *line;

    for (;;) {
        line = lineread_next(m->lr, &where, &echo_line);
        if (!line) {
            /* The input is over: let the guest run to its end. */
            dbg_detach_frontend(m->d, m);
            return true;
        }
        if (echo_line && *cmd_trim(line) && line[0] != '#')
            echo(m, line);
        m->where = where;
        int r = monitor_command(m, line);
        m->where = NULL;
        fflush(m->out);
        if (r == MON_RESUME)
            return true;
        if (r == MON_QUIT)
            return false;
    }
}

static bool stopped(void *opaque, struct dbg *d, const struct dbg_stop *s)
{
    struct monitor *m = opaque;
    bool go;

    (void)d;
    /* An end of run nobody asked to watch: not a stop to take. */
    if (s->reason == DBG_STOP_EXIT && !m->entered)
        return true;
    /* next N: a finished step goes on to the next one quietly. */
    if (m->next_left && (s->reason == DBG_STOP_STEP ||
                         s->reason == DBG_STOP_GOAL)) {
        char why[160];
        m->next_left--;
        if (dbg_next(m->d, why, sizeof(why)) == 0)
            return true;
        mon_error(m, "next", "%s", why);
    }
    m->next_left = 0;
    m->entered = true;
    m->stop = s;
    announce(m, s);
    go = session(m);
    m->stop = NULL;
    return go;
}

/* ---- life cycle -------------------------------------------------------------------- */

struct monitor *monitor_create(struct dbg *d, const struct monitor_options *o)
{
    struct monitor *m = calloc(1, sizeof(*m));
    struct dbg_frontend fe = { stopped, NULL, NULL, NULL };
    bool use_stdin = o->paused || isatty(STDIN_FILENO);

    if (!m) {
        xe_error("out of memory");
        return NULL;
    }
    m->d = d;
    m->out = stdout;
    m->xf = (struct xfmt){ 1, 'x', 8 };
    m->xpf = m->xf;
    m->lr = lineread_create(o->script, use_stdin, m);
    if (!m->lr) {
        free(m);
        return NULL;
    }
    fe.opaque = m;
    if (dbg_set_frontend(d, &fe)) {
        xe_error("monitor: too many debugger front ends");
        lineread_destroy(m->lr);
        free(m);
        return NULL;
    }
    if (o->paused || o->script)
        dbg_request_stop(d, DBG_STOP_START, "paused at the start");
    return m;
}

void monitor_destroy(struct monitor *m)
{
    if (!m)
        return;
    lineread_destroy(m->lr);
    free(m);
}
