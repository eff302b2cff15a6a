/*
 * CONTROL (tools/xenstored/control.c), for privileged connections only:
 * check, print, quota and help.  xenstored's log, logfile, memreport and
 * live-update commands concern its host process and are unknown here
 * (EINVAL, as any unknown command).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xenplat/xenstore/store.h"

#define CONTROL_OUT_MAX 2048

static int do_check(struct xs_conn *c, const char **v, unsigned n)
{
    char why[256];

    (void)v;
    if (n)
        return XS_EINVAL;
    if (xs_check(c->s, why, sizeof(why)))
        xe_warn("xenstore: inconsistent store: %s", why);
    xs_reply_ok(c, XS_CONTROL);
    return 0;
}

static int do_print(struct xs_conn *c, const char **v, unsigned n)
{
    if (n != 1)
        return XS_EINVAL;
    xe_warn("xenstore: control: %s", v[0]);
    xs_reply_ok(c, XS_CONTROL);
    return 0;
}

static void reply_text(struct xs_conn *c, const char *text)
{
    xs_reply(c, XS_CONTROL, text, (uint32_t)strlen(text) + 1);
}

static int quota_show(struct xs_conn *c)
{
    char out[CONTROL_OUT_MAX];
    size_t o = (size_t)snprintf(out, sizeof(out), "Quota settings:\n");
    unsigned i;

    for (i = 0; i < XS_Q_COUNT && o < sizeof(out); i++)
        o += (size_t)snprintf(out + o, sizeof(out) - o, "%-17s: %8u %s\n",
                              xs_quota_defs[i].name, c->s->quota[i],
                              xs_quota_defs[i].descr);
    reply_text(c, out);
    return 0;
}

static int quota_set(struct xs_conn *c, const char **v, unsigned n)
{
    unsigned i;
    int val;

    if (n != 2 || (val = (int)xs_atoi(v[1])) < 1)
        return XS_EINVAL;
    for (i = 0; i < XS_Q_COUNT; i++)
        if (strcmp(v[0], xs_quota_defs[i].name) == 0) {
            c->s->quota[i] = (unsigned)val;
            xs_reply_ok(c, XS_CONTROL);
            return 0;
        }
    return XS_EINVAL;
}

/* What one domain uses of the quotas that are counted per domain. */
static int quota_domain(struct xs_conn *c, const char *arg)
{
    static const enum xs_quota counted[XS_ACC_COUNT] = {
        [XS_ACC_NODES] = XS_Q_NODES, [XS_ACC_WATCHES] = XS_Q_WATCHES,
        [XS_ACC_OUTSTANDING] = XS_Q_OUTSTANDING,
        [XS_ACC_TRANSACTIONS] = XS_Q_TRANSACTIONS,
    };
    struct xs_domain *d = xs_domain_find(c->s, (uint32_t)xs_atoi(arg));
    char out[CONTROL_OUT_MAX];
    size_t o;
    unsigned i;

    if (!d)
        return XS_ENOENT;
    o = (size_t)snprintf(out, sizeof(out), "Domain %u:\n",
                         (unsigned)d->domid);
    for (i = 0; i < XS_ACC_COUNT && o < sizeof(out); i++)
        o += (size_t)snprintf(out + o, sizeof(out) - o,
                              "%-17s: %8d (max %8d)\n",
                              xs_quota_defs[counted[i]].name, d->acc[i],
                              d->acc_max[i]);
    reply_text(c, out);
    return 0;
}

static int do_quota(struct xs_conn *c, const char **v, unsigned n)
{
    if (n == 0)
        return quota_show(c);
    if (strcmp(v[0], "set") == 0)
        return quota_set(c, v + 1, n - 1);
    if (n != 1 || strcmp(v[0], "max") == 0)
        return XS_EINVAL;
    return quota_domain(c, v[0]);
}

static int do_help(struct xs_conn *c, const char **v, unsigned n);

static const struct {
    const char *name;
    int (*fn)(struct xs_conn *c, const char **v, unsigned n);
    const char *pars;
} cmds[] = {
    { "check", do_check, "" },
    { "print", do_print, "<string>" },
    { "quota", do_quota, "[set <name> <val>|<domid>]" },
    { "help", do_help, "" },
};

static int do_help(struct xs_conn *c, const char **v, unsigned n)
{
    char out[CONTROL_OUT_MAX];
    size_t o = 0, i;

    (void)v;
    if (n)
        return XS_EINVAL;
    out[0] = 0;
    for (i = 0; i < ARRAY_SIZE(cmds) && o < sizeof(out); i++)
        o += (size_t)snprintf(out + o, sizeof(out) - o, "%-15s %s\n",
                              cmds[i].name, cmds[i].pars);
    reply_text(c, out);
    return 0;
}

int xs_control(struct xs_conn *c, const uint8_t *body, uint32_t len)
{
    const char *v[8];
    unsigned n = xs_count_strings(body, len), i, k;
    uint32_t off = 0;

    if (!xs_conn_privileged(c))
        return XS_EACCES;
    if (n == 0)
        return XS_EINVAL;             /* not even a command string */
    for (i = 0; i < ARRAY_SIZE(cmds); i++)
        if (strcmp((const char *)body, cmds[i].name) == 0)
            break;
    if (i == ARRAY_SIZE(cmds))
        return XS_EINVAL;
    /* Every command takes a few arguments and checks their number
     * before it looks at them. */
    for (k = 0; k < n && k < ARRAY_SIZE(v); k++) {
        v[k] = (const char *)body + off;
        off += (uint32_t)strlen(v[k]) + 1;
    }
    return cmds[i].fn(c, v + 1, n - 1);
}
