/* Breakpoints, watchpoints and catchpoints: break, tbreak, watch, rwatch,
 * awatch, delete, disable, enable, info breakpoints. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "monitor/describe.h"
#include "monitor/hcdecode.h"
#include "monitor/mon.h"
#include "xenplat/abi.h"

typedef unsigned long long ull;

static int add(struct monitor *m, const char *cmd, const struct bp *b)
{
    struct bp *e = bptable_add(&m->d->bp, b);
    char where[160];

    if (!e) {
        mon_error(m, cmd, "too many breakpoints (at most %d)", BP_MAX);
        return MON_ERROR;
    }
    dbg_breakpoints_changed(m->d);
    switch (e->kind) {
    case BP_EXEC:
        fprintf(m->out, "%s %d at %s\n", e->temporary ? "temporary "
                "breakpoint" : "breakpoint", e->id,
                mon_addr(m, e->addr, where, sizeof(where)));
        break;
    default:
        fprintf(m->out, "%s %d: %s\n", bp_kind_name(e->kind), e->id,
                e->what);
        break;
    }
    return MON_OK;
}

/* A number, or -1 after an error line. */
static int64_t number(struct monitor *m, const char *cmd, const char *s,
                      uint64_t max)
{
    uint64_t v;

    if (mon_eval(m, cmd, s, &v))
        return -1;
    if (v > max) {
        mon_error(m, cmd, "%s: more than %llu", s, (ull)max);
        return -1;
    }
    return (int64_t)v;
}

static int64_t hypercall_number(struct monitor *m, const char *cmd,
                                const char *s)
{
    for (unsigned nr = 0; nr < NR_HYPERCALLS; nr++)
        if (hc_name(nr) && strcmp(hc_name(nr), s) == 0)
            return nr;
    if (s[0] < '0' || s[0] > '9') {
        mon_error(m, cmd, "no hypercall named '%s'", s);
        return -1;
    }
    return number(m, cmd, s, NR_HYPERCALLS - 1);
}

/* break FORM ARG: the catchpoint forms.  1 when word is not one. */
static int catchpoint(struct monitor *m, const char *cmd, const char *word,
                      const char *arg, struct bp *b)
{
    int64_t v = 0;
    int vec = 0;

    b->addr = BP_ANY;
    if (strcmp(word, "hypercall") == 0) {
        b->kind = BP_HYPERCALL;
        if (*arg && (v = hypercall_number(m, cmd, arg)) < 0)
            return MON_ERROR;
        if (*arg)
            snprintf(b->what, sizeof(b->what), "hypercall %lld %s",
                     (long long)v, hc_name((unsigned)v) ? hc_name((unsigned)v)
                                                         : "");
    } else if (strcmp(word, "exception") == 0) {
        b->kind = BP_EXCEPTION;
        if (*arg && (vec = mon_exc_parse(arg)) < 0) {
            mon_error(m, cmd, "'%s' is not an exception vector (0-255 or a "
                      "name like #PF)", arg);
            return MON_ERROR;
        }
        if (*arg) {
            v = vec;
            snprintf(b->what, sizeof(b->what), "exception %d %s", vec,
                     mon_exc_name((unsigned)vec));
        }
    } else if (strcmp(word, "evtchn") == 0 || strcmp(word, "event") == 0) {
        b->kind = BP_EVTCHN;
        if (*arg && (v = number(m, cmd, arg, 0xfffff)) < 0)
            return MON_ERROR;
        if (*arg)
            snprintf(b->what, sizeof(b->what), "event channel %lld",
                     (long long)v);
    } else if (strcmp(word, "ring") == 0) {
        b->kind = BP_RING;
        if (strcmp(arg, "user") == 0)
            v = BP_RING_USER;
        else if (strcmp(arg, "kernel") == 0)
            v = BP_RING_KERNEL;
        else if (*arg && (arg[0] < '0' || arg[0] > '3' || arg[1])) {
            mon_error(m, cmd, "'%s' is not a ring (0-3, user, kernel)", arg);
            return MON_ERROR;
        } else if (*arg) {
            v = arg[0] - '0';
        }
        if (*arg)
            snprintf(b->what, sizeof(b->what), "ring change to %s%s",
                     v < 4 ? "ring " : "", arg);
    } else if (strcmp(word, "cr3") == 0) {
        b->kind = BP_CR3;
        if (*arg) {
            mon_error(m, cmd, "break cr3 takes no argument");
            return MON_ERROR;
        }
    } else {
        return 1;
    }
    if (*arg)
        b->addr = (uint64_t)v;
    else
        snprintf(b->what, sizeof(b->what), "%s", b->kind == BP_HYPERCALL
                 ? "any hypercall" : b->kind == BP_EXCEPTION
                 ? "any exception" : b->kind == BP_EVTCHN
                 ? "any event channel" : b->kind == BP_RING
                 ? "any ring change" : "any CR3 load");
    return MON_OK;
}

static int do_break(struct monitor *m, const char *cmd, const char *args,
                    bool temporary)
{
    struct bp b = { .enabled = true, .temporary = temporary };
    char word[32];
    const char *rest = cmd_first_word(args, word, sizeof(word));
    int r;

    if (!*args) {
        mon_error(m, cmd, "where? an address, a symbol or an event (help "
                  "break)");
        return MON_ERROR;
    }
    r = catchpoint(m, cmd, word, rest, &b);
    if (r == MON_ERROR)
        return MON_ERROR;
    if (r == MON_OK)
        return add(m, cmd, &b);
    b.kind = BP_EXEC;
    if (strcmp(word, "-p") == 0) {
        b.kind = BP_EXEC_PHYS;
        args = rest;
    }
    if (mon_eval(m, cmd, args, &b.addr))
        return MON_ERROR;
    snprintf(b.what, sizeof(b.what), "%s%s", b.kind == BP_EXEC_PHYS
             ? "physical " : "", args);
    return add(m, cmd, &b);
}

int cmd_break(struct monitor *m, const char *args)
{
    return do_break(m, "break", args, false);
}

int cmd_tbreak(struct monitor *m, const char *args)
{
    return do_break(m, "tbreak", args, true);
}

static int do_watch(struct monitor *m, const char *cmd, const char *args,
                    unsigned access)
{
    struct dbg_vcpu *dv = dbg_current(m->d);
    struct bp b = { .kind = BP_WATCH, .enabled = true, .access = access };
    char word[32];
    const char *rest;
    uint64_t len = dv && dbg_code_bits(dv) == 64 ? 8 : 4;

    if (*args == '/') {
        char *end;
        len = strtoull(args + 1, &end, 10);
        if (end == args + 1 || (*end && *end != ' ') || len == 0 ||
            len > (1u << 20)) {
            mon_error(m, cmd, "/LEN: a length from 1 to %u bytes", 1u << 20);
            return MON_ERROR;
        }
        args = end;
        while (*args == ' ')
            args++;
    }
    rest = cmd_first_word(args, word, sizeof(word));
    if (strcmp(word, "-p") == 0) {
        b.kind = BP_WATCH_PHYS;
        args = rest;
    }
    if (!*args) {
        mon_error(m, cmd, "which address?");
        return MON_ERROR;
    }
    if (mon_eval(m, cmd, args, &b.addr))
        return MON_ERROR;
    b.len = len;
    snprintf(b.what, sizeof(b.what), "%s %s0x%llx, %llu byte%s (%s)",
             access == BP_WRITE ? "write" : access == BP_READ ? "read"
                                                              : "access",
             b.kind == BP_WATCH_PHYS ? "physical " : "", (ull)b.addr,
             (ull)len, len == 1 ? "" : "s", args);
    return add(m, cmd, &b);
}

int cmd_watch(struct monitor *m, const char *args)
{
    return do_watch(m, "watch", args, BP_WRITE);
}

int cmd_rwatch(struct monitor *m, const char *args)
{
    return do_watch(m, "rwatch", args, BP_READ);
}

int cmd_awatch(struct monitor *m, const char *args)
{
    return do_watch(m, "awatch", args, BP_READ | BP_WRITE);
}

/* Apply op to the breakpoints numbered in args (all without numbers). */
static int each(struct monitor *m, const char *cmd, const char *args,
                int (*op)(struct monitor *m, int id))
{
    struct cmd_words w;
    char err[256], *end;
    int i;

    if (cmd_split(args, &w, err, sizeof(err))) {
        mon_error(m, cmd, "%s", err);
        return MON_ERROR;
    }
    for (i = 0; i < w.n; i++) {
        long id = strtol(w.w[i], &end, 10);
        if (*end || id <= 0 || !bptable_get(&m->d->bp, (int)id)) {
            mon_error(m, cmd, "no breakpoint '%s' (info breakpoints)",
                      w.w[i]);
            return MON_ERROR;
        }
    }
    if (w.n == 0 && !op)
        bptable_clear(&m->d->bp);
    for (unsigned k = 0; w.n == 0 && op && k < m->d->bp.n; k++)
        op(m, m->d->bp.bp[k].id);
    for (i = 0; i < w.n; i++) {
        int id = (int)strtol(w.w[i], NULL, 10);
        if (op)
            op(m, id);
        else
            bptable_delete(&m->d->bp, id);
    }
    dbg_breakpoints_changed(m->d);
    return MON_OK;
}

static int do_enable(struct monitor *m, int id)
{
    bptable_get(&m->d->bp, id)->enabled = true;
    return 0;
}

static int do_disable(struct monitor *m, int id)
{
    bptable_get(&m->d->bp, id)->enabled = false;
    return 0;
}

int cmd_delete(struct monitor *m, const char *args)
{
    return each(m, "delete", args, NULL);
}

int cmd_enable(struct monitor *m, const char *args)
{
    return each(m, "enable", args, do_enable);
}

int cmd_disable(struct monitor *m, const char *args)
{
    return each(m, "disable", args, do_disable);
}

int info_breakpoints(struct monitor *m, const char *args)
{
    const struct bptable *t = &m->d->bp;
    char where[160];

    (void)args;
    if (t->n == 0) {
        fprintf(m->out, "no breakpoints\n");
        return MON_OK;
    }
    fprintf(m->out, "Num  Type                   Enb  Hits  What\n");
    for (unsigned i = 0; i < t->n; i++) {
        const struct bp *b = &t->bp[i];
        const char *what = b->what;
        if (b->kind == BP_EXEC)
            what = mon_addr(m, b->addr, where, sizeof(where));
        if (b->kind == BP_EXEC_PHYS) {
            snprintf(where, sizeof(where), "physical 0x%llx", (ull)b->addr);
            what = where;
        }
        fprintf(m->out, "%-4d %-22s %-4s %-5llu %s%s\n", b->id,
                bp_kind_name(b->kind), b->enabled ? "y" : "n", (ull)b->hits,
                what, b->temporary ? " (temporary)" : "");
    }
    return MON_OK;
}
