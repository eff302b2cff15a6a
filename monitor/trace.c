/* Trace streams (see trace.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "monitor/trace.h"

static const char *const kind_names[NR_TRACE_KINDS] = {
    "instructions", "rings", "hypercalls", "events",
};

void trace_init(struct trace *t)
{
    memset(t, 0, sizeof(*t));
}

const char *trace_kind_name(enum trace_kind k)
{
    return k < NR_TRACE_KINDS ? kind_names[k] : "?";
}

int trace_kind_parse(const char *name)
{
    for (unsigned k = 0; k < NR_TRACE_KINDS; k++)
        if (strcmp(name, kind_names[k]) == 0)
            return (int)k;
    if (strcmp(name, "insns") == 0)
        return TRACE_INSNS;
    return -1;
}

/* Is out used by another kind than k? */
static bool shared(const struct trace *t, enum trace_kind k, FILE *out)
{
    for (unsigned i = 0; i < NR_TRACE_KINDS; i++)
        if (i != k && t->out[i] == out)
            return true;
    return false;
}

static void stop(struct trace *t, enum trace_kind k)
{
    FILE *out = t->out[k];

    t->out[k] = NULL;
    if (out && t->owned[k] && !shared(t, k, out))
        fclose(out);
    else if (out)
        fflush(out);
    if (t->owned[k]) {
        /* Pass ownership on to a kind still sharing the file. */
        for (unsigned i = 0; i < NR_TRACE_KINDS; i++)
            if (t->out[i] == out && out)
                t->owned[i] = true;
    }
    t->owned[k] = false;
    free(t->path[k]);
    t->path[k] = NULL;
}

int trace_set(struct trace *t, enum trace_kind k, bool on, const char *path,
              char *why, size_t why_len)
{
    FILE *out = stderr;
    bool owned = false;

    if (!on) {
        stop(t, k);
        return 0;
    }
    if (path) {
        out = NULL;
        for (unsigned i = 0; i < NR_TRACE_KINDS; i++)
            if (t->path[i] && strcmp(t->path[i], path) == 0)
                out = t->out[i];
        if (!out) {
            out = fopen(path, "w");
            if (!out) {
                snprintf(why, why_len, "%s: cannot create: %s", path,
                         strerror(errno));
                return -1;
            }
            owned = true;
        }
    }
    stop(t, k);
    t->out[k] = out;
    t->owned[k] = owned;
    t->path[k] = path ? strdup(path) : NULL;
    return 0;
}

void trace_close_all(struct trace *t)
{
    for (unsigned k = 0; k < NR_TRACE_KINDS; k++)
        stop(t, k);
}

void trace_record(struct trace *t, enum trace_kind k, uint64_t icount,
                  const char *who, const char *fmt, ...)
{
    FILE *out = t->out[k];
    va_list ap;

    if (!out)
        return;
    if (out == stderr)
        fflush(stdout);         /* in order with the guest's console */
    fprintf(out, "#%llu %s ", (unsigned long long)icount, who);
    va_start(ap, fmt);
    vfprintf(out, fmt, ap);
    va_end(ap);
    fputc('\n', out);
    if (out == stderr)
        fflush(out);
}
