/* The gdbstub's commands: one packet in, one reply out (see gdbstub.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "monitor/gdb-stub-priv.h"
#include "xenplat/domain.h"

typedef unsigned long long ull;

struct gdbstub *gdbstub_new(struct dbg *d)
{
    struct gdbstub *g = calloc(1, sizeof(*g));

    if (!g)
        return NULL;
    g->d = d;
    g->lfd = g->fd = -1;
    g->c_vcpu = -1;
    g->last.reason = DBG_STOP_START;
    gdb_rx_init(&g->rx);
    return g;
}

/* ---- threads ---------------------------------------------------------------- */

static unsigned thread_id(const struct dbg_vcpu *dv)
{
    if (dv->v)
        return dv->v->d->domid * 256u + dv->v->id + 1;
    return dv->index + 1;
}

/* The vCPU of a thread id ("-1": all and "0": any give the current
 * one): its index, or -1. */
static int thread_vcpu(struct gdbstub *g, const char *s)
{
    uint64_t tid;

    if (strcmp(s, "-1") == 0 || strcmp(s, "0") == 0)
        return g->g_vcpu < g->d->nvcpus ? (int)g->g_vcpu : -1;
    if (gdb_parse_hex(&s, &tid) || *s)
        return -1;
    for (unsigned i = 0; i < g->d->nvcpus; i++)
        if (thread_id(g->d->vcpu[i]) == tid)
            return (int)i;
    return -1;
}

static struct dbg_vcpu *cur_vcpu(struct gdbstub *g)
{
    return g->g_vcpu < g->d->nvcpus ? g->d->vcpu[g->g_vcpu] : NULL;
}

/* i386 for a 32-bit PV guest or a CPU outside long mode, else x86-64. */
static const struct gdb_layout *pick_layout(struct gdbstub *g)
{
    const struct dbg_vcpu *dv = g->d->nvcpus ? g->d->vcpu[0] : NULL;

    if (!dv)
        return &gdb_layout_x86_64;
    if (dv->v)
        return is_pv32(dv->v->d) ? &gdb_layout_i386 : &gdb_layout_x86_64;
    return (dv->cpu->efer & (1u << 10)) ? &gdb_layout_x86_64
                                        : &gdb_layout_i386;
}

static const struct gdb_layout *layout(struct gdbstub *g)
{
    if (!g->layout)
        g->layout = pick_layout(g);
    return g->layout;
}

void gdbstub_set_stop(struct gdbstub *g, const struct dbg_stop *s)
{
    g->last = *s;
    if (s->vcpu < g->d->nvcpus)
        g->g_vcpu = s->vcpu;
}

/* ---- stop replies ------------------------------------------------------------ */

void gdbstub_stop_reply(struct gdbstub *g, const struct dbg_stop *s,
                        struct gdb_buf *r)
{
    struct bp *b = s->bp ? bptable_get(&g->d->bp, s->bp) : NULL;

    gdb_buf_reset(r);
    if (s->reason == DBG_STOP_EXIT) {
        gdb_buf_printf(r, "W%02x", (unsigned)s->exit_status & 0xff);
        return;
    }
    gdb_buf_str(r, s->reason == DBG_STOP_USER ? "T02" : "T05");
    if (s->vcpu < g->d->nvcpus)
        gdb_buf_printf(r, "thread:%x;", thread_id(g->d->vcpu[s->vcpu]));
    if (s->reason == DBG_STOP_BREAK)
        gdb_buf_str(r, "swbreak:;");
    if (s->reason == DBG_STOP_WATCH && b)
        gdb_buf_printf(r, "%s:%llx;", b->access == BP_WRITE ? "watch"
                       : b->access == BP_READ ? "rwatch" : "awatch",
                       (ull)b->addr);
}

/* ---- registers and memory ---------------------------------------------------- */

static void err(struct gdb_buf *r, unsigned code)
{
    gdb_buf_reset(r);
    gdb_buf_printf(r, "E%02x", code);
}

static void read_regs(struct gdbstub *g, struct gdb_buf *r)
{
    struct dbg_vcpu *dv = cur_vcpu(g);
    uint8_t v[GDB_REG_MAX_BYTES];

    if (!dv)
        return err(r, 1);
    for (unsigned n = 0; n < gdb_nregs(layout(g)); n++)
        gdb_buf_hex(r, v, gdb_reg_get(layout(g), dv->cpu, n, v));
}

static void write_regs(struct gdbstub *g, const char *s, struct gdb_buf *r)
{
    struct dbg_vcpu *dv = cur_vcpu(g);
    uint8_t v[GDB_REG_MAX_BYTES];
    bool bad = false;

    if (!dv)
        return err(r, 1);
    for (unsigned n = 0; n < gdb_nregs(layout(g)) && *s; n++) {
        unsigned size = gdb_reg_size(layout(g), n);
        if (strlen(s) < 2 * size || gdb_unhex(s, size, v))
            return err(r, 2);
        bad = gdb_reg_set(layout(g), dv->cpu, n, v) || bad;
        s += 2 * size;
    }
    if (bad)
        return err(r, 3);
    gdb_buf_str(r, "OK");
}

static void read_reg(struct gdbstub *g, const char *s, struct gdb_buf *r)
{
    struct dbg_vcpu *dv = cur_vcpu(g);
    uint8_t v[GDB_REG_MAX_BYTES];
    uint64_t n;

    if (!dv || gdb_parse_hex(&s, &n) || *s || n >= gdb_nregs(layout(g)))
        return err(r, 1);
    gdb_buf_hex(r, v, gdb_reg_get(layout(g), dv->cpu, (unsigned)n, v));
}

static void write_reg(struct gdbstub *g, const char *s, struct gdb_buf *r)
{
    struct dbg_vcpu *dv = cur_vcpu(g);
    uint8_t v[GDB_REG_MAX_BYTES];
    uint64_t n;
    unsigned size;

    if (!dv || gdb_parse_hex(&s, &n) || *s++ != '=' ||
        n >= gdb_nregs(layout(g)))
        return err(r, 1);
    size = gdb_reg_size(layout(g), (unsigned)n);
    if (strlen(s) != 2 * size || gdb_unhex(s, size, v))
        return err(r, 2);
    if (gdb_reg_set(layout(g), dv->cpu, (unsigned)n, v))
        return err(r, 3);
    gdb_buf_str(r, "OK");
}

/* "ADDR,LEN" then sep: 0, or -1. */
static int addr_len(const char **s, uint64_t *addr, uint64_t *len, char sep)
{
    if (gdb_parse_hex(s, addr) || *(*s)++ != ',' || gdb_parse_hex(s, len))
        return -1;
    if (sep && *(*s)++ != sep)
        return -1;
    return 0;
}

static void read_mem(struct gdbstub *g, const char *s, struct gdb_buf *r)
{
    struct dbg_vcpu *dv = cur_vcpu(g);
    uint8_t buf[GDB_PACKET_MAX / 2];
    uint64_t addr, len, n = 0;

    if (!dv || addr_len(&s, &addr, &len, 0) || *s)
        return err(r, 1);
    if (len > sizeof(buf))
        len = sizeof(buf);
    if (dbg_read_virt(dv, addr, buf, len) == 0)
        n = len;
    else                                /* as far as it is mapped */
        while (n < len && dbg_read_virt(dv, addr + n, buf + n, 1) == 0)
            n++;
    if (len && !n)
        return err(r, 0x14);
    gdb_buf_hex(r, buf, n);
}

/* M (hex) or X (binary) data after "ADDR,LEN:". */
static void write_mem(struct gdbstub *g, const char *s, size_t left,
                      bool binary, struct gdb_buf *r)
{
    struct dbg_vcpu *dv = cur_vcpu(g);
    const char *start = s;
    uint8_t buf[GDB_PACKET_MAX];
    uint64_t addr, len;

    if (!dv || addr_len(&s, &addr, &len, ':') || len > sizeof(buf))
        return err(r, 1);
    left -= (size_t)(s - start);
    if (binary ? left != len : left != 2 * len)
        return err(r, 2);
    if (binary)
        memcpy(buf, s, len);
    else if (gdb_unhex(s, len, buf))
        return err(r, 2);
    if (dbg_write_virt(dv, addr, buf, len))
        return err(r, 0x14);
    gdb_buf_str(r, "OK");
}

/* ---- breakpoints ------------------------------------------------------------- */

#define GDB_BP_TAG "gdb "

static bool is_gdb_bp(const struct bp *b)
{
    return strncmp(b->what, GDB_BP_TAG, strlen(GDB_BP_TAG)) == 0;
}

void gdbstub_clear_breakpoints(struct gdbstub *g)
{
    struct bptable *t = &g->d->bp;

    for (unsigned i = 0; i < t->n;)
        if (is_gdb_bp(&t->bp[i]))
            bptable_delete(t, t->bp[i].id);
        else
            i++;
    dbg_breakpoints_changed(g->d);
}

/* Z/z TYPE,ADDR,KIND: as an entry of the breakpoint table. */
static int z_packet(const char *s, struct bp *b)
{
    static const struct { enum bp_kind kind; unsigned access; } types[] = {
        { BP_EXEC, 0 }, { BP_EXEC, 0 }, { BP_WATCH, BP_WRITE },
        { BP_WATCH, BP_READ }, { BP_WATCH, BP_READ | BP_WRITE },
    };
    unsigned type = (unsigned)(s[0] - '0');
    uint64_t addr, len;

    s++;
    if (type >= ARRAY_SIZE(types) || *s++ != ',' ||
        addr_len(&s, &addr, &len, 0) || (*s && *s != ';'))
        return -1;
    if (types[type].kind == BP_WATCH && (len == 0 || len > 8))
        return -1;
    *b = (struct bp){ .kind = types[type].kind, .addr = addr,
                      .len = types[type].kind == BP_WATCH ? len : 1,
                      .access = types[type].access, .enabled = true };
    snprintf(b->what, sizeof(b->what), GDB_BP_TAG "Z%u 0x%llx", type,
             (ull)addr);
    return 0;
}

static void breakpoint(struct gdbstub *g, const char *s, bool insert,
                       struct gdb_buf *r)
{
    struct bptable *t = &g->d->bp;
    struct bp b;

    if (z_packet(s, &b))
        return err(r, 1);
    if (insert) {
        if (!bptable_add(t, &b))
            return err(r, 0x0e);
    } else {
        unsigned i;
        for (i = 0; i < t->n; i++)
            if (strcmp(t->bp[i].what, b.what) == 0 &&
                t->bp[i].len == b.len)
                break;
        if (i == t->n)
            return err(r, 2);
        bptable_delete(t, t->bp[i].id);
    }
    dbg_breakpoints_changed(g->d);
    gdb_buf_str(r, "OK");
}

/* ---- queries ----------------------------------------------------------------- */

static void xfer_features(struct gdbstub *g, const char *s, struct gdb_buf *r)
{
    const char *xml;
    uint64_t off, len;
    size_t total;

    if (strncmp(s, "target.xml:", 11) != 0)
        return err(r, 0);
    s += 11;
    if (addr_len(&s, &off, &len, 0) || *s)
        return err(r, 1);
    xml = gdb_target_xml(layout(g));
    total = strlen(xml);
    if (len > GDB_PACKET_MAX / 2)
        len = GDB_PACKET_MAX / 2;       /* room for escapes */
    if (off >= total) {
        gdb_buf_str(r, "l");
        return;
    }
    if (len > total - off)
        len = total - off;
    gdb_buf_str(r, off + len == total ? "l" : "m");
    gdb_buf_bytes(r, xml + off, len);
}

static void thread_list(struct gdbstub *g, struct gdb_buf *r)
{
    gdb_buf_str(r, "m");
    for (unsigned i = 0; i < g->d->nvcpus; i++)
        gdb_buf_printf(r, "%s%x", i ? "," : "", thread_id(g->d->vcpu[i]));
}

static void query(struct gdbstub *g, const char *s, struct gdb_buf *r)
{
    int v;

    if (strncmp(s, "qSupported", 10) == 0)
        gdb_buf_printf(r, "PacketSize=%x;qXfer:features:read+;"
                       "vContSupported+;QStartNoAckMode+;swbreak+;hwbreak+",
                       GDB_PACKET_MAX);
    else if (strncmp(s, "qXfer:features:read:", 20) == 0)
        xfer_features(g, s + 20, r);
    else if (strcmp(s, "qfThreadInfo") == 0)
        thread_list(g, r);
    else if (strcmp(s, "qsThreadInfo") == 0)
        gdb_buf_str(r, "l");
    else if (strcmp(s, "qC") == 0 && cur_vcpu(g))
        gdb_buf_printf(r, "QC%x", thread_id(cur_vcpu(g)));
    else if (strcmp(s, "qAttached") == 0)
        gdb_buf_str(r, "1");
    else if (strncmp(s, "qThreadExtraInfo,", 17) == 0) {
        if ((v = thread_vcpu(g, s + 17)) < 0)
            return err(r, 1);
        gdb_buf_hex(r, g->d->vcpu[v]->name, strlen(g->d->vcpu[v]->name));
    }
}

/* ---- run control ------------------------------------------------------------- */

/* Step the vCPU (-1: Hc's, else the one that stopped) or continue. */
static enum gdb_action resume(struct gdbstub *g, bool step, int vcpu)
{
    if (vcpu < 0)
        vcpu = g->c_vcpu;
    if (vcpu >= 0 && (unsigned)vcpu < g->d->nvcpus)
        g->d->cur = (unsigned)vcpu;
    if (step)
        dbg_stepi(g->d, 1);
    else
        dbg_continue(g->d);
    return GDB_RESUME;
}

/* vCont;ACTION[:TID];...: a step for some thread steps it (the other
 * vCPUs run as the machine schedules them), else everything continues.
 * A step without a thread steps the one that stopped. */
static enum gdb_action vcont(struct gdbstub *g, const char *s,
                             struct gdb_buf *r)
{
    char act[32];
    int vcpu = -1;
    bool step = false;

    while (*s == ';') {
        size_t n = strcspn(s + 1, ";");
        const char *colon;
        if (n >= sizeof(act)) {
            err(r, 1);
            return GDB_REPLY;
        }
        memcpy(act, s + 1, n);
        act[n] = '\0';
        s += n + 1;
        colon = strchr(act, ':');
        if (act[0] == 's' || act[0] == 'S') {
            step = true;
            vcpu = colon ? thread_vcpu(g, colon + 1) : (int)g->d->cur;
            if (vcpu < 0) {
                err(r, 1);
                return GDB_REPLY;
            }
        } else if (act[0] != 'c' && act[0] != 'C') {
            err(r, 1);
            return GDB_REPLY;
        }
        if (step)
            break;
    }
    if (*s && !step) {
        err(r, 1);
        return GDB_REPLY;
    }
    return resume(g, step, vcpu);
}

static enum gdb_action set_thread(struct gdbstub *g, const char *s,
                                  struct gdb_buf *r)
{
    int v = s[0] ? thread_vcpu(g, s + 1) : -1;

    if ((s[0] != 'g' && s[0] != 'c') || v < 0)
        err(r, 1);
    else {
        if (s[0] == 'g')
            g->g_vcpu = (unsigned)v;
        else if (strcmp(s + 1, "-1") == 0 || strcmp(s + 1, "0") == 0)
            g->c_vcpu = -1;             /* all, any: the one that stops */
        else
            g->c_vcpu = v;
        gdb_buf_str(r, "OK");
    }
    return GDB_REPLY;
}

enum gdb_action gdbstub_command(struct gdbstub *g, const char *pkt,
                                size_t len, struct gdb_buf *r)
{
    const char *a = pkt + 1;

    gdb_buf_reset(r);
    if (len == 0)
        return GDB_REPLY;
    switch (pkt[0]) {
    case '?': gdbstub_stop_reply(g, &g->last, r); break;
    case 'g': read_regs(g, r); break;
    case 'G': write_regs(g, a, r); break;
    case 'p': read_reg(g, a, r); break;
    case 'P': write_reg(g, a, r); break;
    case 'm': read_mem(g, a, r); break;
    case 'M': write_mem(g, a, len - 1, false, r); break;
    case 'X': write_mem(g, a, len - 1, true, r); break;
    case 'Z': breakpoint(g, a, true, r); break;
    case 'z': breakpoint(g, a, false, r); break;
    case 'H': return set_thread(g, a, r);
    case 'T': thread_vcpu(g, a) < 0 ? err(r, 1) : gdb_buf_str(r, "OK"); break;
    case 'q': query(g, pkt, r); break;
    case 'c': if (!*a) return resume(g, false, -1); err(r, 1); break;
    case 's': if (!*a) return resume(g, true, -1); err(r, 1); break;
    case 'C': return resume(g, false, -1);    /* the signal is dropped */
    case 'S': return resume(g, true, -1);
    case 'k': return GDB_KILL;
    case 'D': gdb_buf_str(r, "OK"); return GDB_DETACH;
    case 'Q':
        if (strcmp(pkt, "QStartNoAckMode") == 0) {
            g->noack = true;
            gdb_buf_str(r, "OK");
        }
        break;
    case 'v':
        if (strcmp(pkt, "vCont?") == 0)
            gdb_buf_str(r, "vCont;c;C;s;S");
        else if (strncmp(pkt, "vCont;", 6) == 0)
            return vcont(g, pkt + 5, r);
        break;
    default: break;
    }
    if (r->overflow)
        err(r, 0x0e);
    return GDB_REPLY;
}
