/* Memory and code: x, xp, disas, bt. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "xenemu/le.h"
#include "monitor/disas.h"
#include "monitor/mon.h"

typedef unsigned long long ull;

static int read_mem(struct dbg_vcpu *dv, bool phys, uint64_t addr, void *buf,
                    size_t len)
{
    return phys ? dbg_read_phys(dv, addr, buf, len)
                : dbg_read_virt(dv, addr, buf, len);
}

/* Split "/FMT rest" off args: 0, or -1 after an error line. */
static int format_prefix(struct monitor *m, const char *cmd,
                         const char **args, struct xfmt *f)
{
    char fmt[32], err[160];
    size_t n = 0;
    const char *s = *args;

    if (*s != '/')
        return 0;
    s++;
    while (*s && *s != ' ' && n < sizeof(fmt) - 1)
        fmt[n++] = *s++;
    fmt[n] = '\0';
    if (xfmt_parse(fmt, f, err, sizeof(err))) {
        mon_error(m, cmd, "/%s: %s", fmt, err);
        return -1;
    }
    while (*s == ' ')
        s++;
    *args = s;
    return 0;
}

static void print_value(struct monitor *m, char format, unsigned unit,
                        uint64_t v)
{
    char buf[128];
    unsigned bits = unit * 8;
    int64_t sv = bits == 64 ? (int64_t)v
                            : (int64_t)(v << (64 - bits)) >> (64 - bits);

    switch (format) {
    case 'd':
        fprintf(m->out, " %lld", (long long)sv);
        break;
    case 'u':
        fprintf(m->out, " %llu", (ull)v);
        break;
    case 'o':
        fprintf(m->out, " 0%llo", (ull)v);
        break;
    case 't':
        fputc(' ', m->out);
        for (unsigned b = bits; b-- > 0;)
            fputc('0' + (int)((v >> b) & 1), m->out);
        break;
    case 'c':
        if (isprint((int)v) && v < 0x80)
            fprintf(m->out, " %3llu '%c'", (ull)v, (int)v);
        else
            fprintf(m->out, " %3llu '\\x%02llx'", (ull)v, (ull)(v & 0xff));
        break;
    case 'a':
        fprintf(m->out, " %s", mon_addr(m, v, buf, sizeof(buf)));
        break;
    default:
        fprintf(m->out, " 0x%0*llx", (int)unit * 2, (ull)v);
        break;
    }
}

static unsigned per_line(char format, unsigned unit)
{
    if (format == 'a')
        return 2;
    if (format == 't')
        return unit >= 8 ? 1 : 8 / unit;
    if (format == 'c')
        return 8;
    return unit >= 8 ? 2 : unit == 4 ? 4 : 8;
}

static int examine_strings(struct monitor *m, struct dbg_vcpu *dv, bool phys,
                           const char *cmd, uint64_t addr, uint64_t count)
{
    char where[160];

    for (uint64_t i = 0; i < count; i++) {
        uint64_t start = addr;
        fprintf(m->out, "%s: \"", mon_addr(m, addr, where, sizeof(where)));
        for (unsigned k = 0; k < 1024; k++, addr++) {
            uint8_t ch;
            if (read_mem(dv, phys, addr, &ch, 1)) {
                fprintf(m->out, "\"\n");
                mon_error(m, cmd, "0x%llx: not mapped", (ull)addr);
                return MON_ERROR;
            }
            if (!ch)
                break;
            if (ch == '"' || ch == '\\')
                fprintf(m->out, "\\%c", ch);
            else if (isprint(ch) && ch < 0x80)
                fputc(ch, m->out);
            else if (ch == '\n')
                fputs("\\n", m->out);
            else
                fprintf(m->out, "\\x%02x", ch);
        }
        fprintf(m->out, "\"%s\n", addr - start >= 1024 ? "..." : "");
        addr++;
    }
    return MON_OK;
}

static int examine_insns(struct monitor *m, struct dbg_vcpu *dv, bool phys,
                         const char *cmd, uint64_t addr, uint64_t count)
{
    char text[128], where[160], hex[64];

    for (uint64_t i = 0; i < count; i++) {
        uint8_t bytes[16];
        size_t n = 0, k;
        unsigned len;

        if (!phys) {
            len = mon_print_insn(m, dv, addr,
                                 addr == dbg_pc(dv) ? "=> " : "   ");
            if (!len) {
                mon_error(m, cmd, "0x%llx: not mapped", (ull)addr);
                return MON_ERROR;
            }
            addr += len;
            continue;
        }
        while (n < sizeof(bytes) && read_mem(dv, true, addr + n, bytes + n, 1) == 0)
            n++;
        if (!n) {
            mon_error(m, cmd, "0x%llx: not RAM", (ull)addr);
            return MON_ERROR;
        }
        len = disas_one(bytes, n, addr, dbg_code_bits(dv), text,
                        sizeof(text));
        if (!len)
            len = 1;
        for (k = 0; k < len && k < 15; k++)
            snprintf(hex + 3 * k, sizeof(hex) - 3 * k, "%02x ", bytes[k]);
        hex[3 * k] = '\0';
        snprintf(where, sizeof(where), "0x%llx", (ull)addr);
        fprintf(m->out, "   %s: %-30s %s\n", where, hex, text);
        addr += len;
    }
    return MON_OK;
}

static int examine(struct monitor *m, const char *cmd, const char *args,
                   bool phys, struct xfmt *f)
{
    struct dbg_vcpu *dv;
    uint64_t addr;
    char where[160];
    unsigned line;

    f->count = 1;                       /* the format is kept, not the count */
    if (format_prefix(m, cmd, &args, f))
        return MON_ERROR;
    if (!*args) {
        mon_error(m, cmd, "which address?");
        return MON_ERROR;
    }
    if (mon_eval(m, cmd, args, &addr) || !(dv = mon_vcpu(m, cmd)))
        return MON_ERROR;
    if (f->format == 's')
        return examine_strings(m, dv, phys, cmd, addr, f->count);
    if (f->format == 'i')
        return examine_insns(m, dv, phys, cmd, addr, f->count);
    line = per_line(f->format, f->unit);
    for (uint64_t i = 0; i < f->count; i++) {
        uint8_t buf[8];
        uint64_t at = addr + i * f->unit;
        if (read_mem(dv, phys, at, buf, f->unit)) {
            if (i % line)
                fputc('\n', m->out);
            mon_error(m, cmd, "0x%llx: %s", (ull)at,
                      phys ? "not RAM" : "not mapped");
            return MON_ERROR;
        }
        if (i % line == 0) {
            if (phys)
                snprintf(where, sizeof(where), "0x%llx", (ull)at);
            else
                mon_addr(m, at, where, sizeof(where));
            fprintf(m->out, "%s%s:", i ? "\n" : "", where);
        }
        print_value(m, f->format, f->unit, le_load(buf, f->unit));
    }
    fputc('\n', m->out);
    return MON_OK;
}

int cmd_x(struct monitor *m, const char *args)
{
    return examine(m, "x", args, false, &m->xf);
}

int cmd_xp(struct monitor *m, const char *args)
{
    return examine(m, "xp", args, true, &m->xpf);
}

int cmd_disas(struct monitor *m, const char *args)
{
    struct xfmt f = { 10, 'i', 1 };
    struct dbg_vcpu *dv = mon_vcpu(m, "disas");
    uint64_t addr;

    if (!dv || format_prefix(m, "disas", &args, &f))
        return MON_ERROR;
    if (f.format != 'i') {
        mon_error(m, "disas", "only a count after '/'");
        return MON_ERROR;
    }
    addr = dbg_pc(dv);
    if (*args && mon_eval(m, "disas", args, &addr))
        return MON_ERROR;
    if (!disas_available())
        fprintf(m->out, "%s\n", DISAS_NONE);
    return examine_insns(m, dv, false, "disas", addr, f.count);
}

int cmd_bt(struct monitor *m, const char *args)
{
    struct dbg_vcpu *dv = mon_vcpu(m, "bt");
    uint64_t max, fp, next, ret;
    unsigned word;
    char where[160];
    uint8_t buf[8];

    if (!dv || mon_count(m, "bt", args, 16, 4096, &max))
        return MON_ERROR;
    word = dbg_code_bits(dv) == 64 ? 8 : 4;
    fp = dv->cpu->r[R_BP] & (word == 8 ? ~0ull : 0xffffffffull);
    fprintf(m->out, "#0  %s\n", mon_addr(m, dbg_pc(dv), where,
                                         sizeof(where)));
    for (uint64_t i = 1; i < max; i++) {
        if (fp == 0)
            break;
        if (dbg_read_virt(dv, fp + word, buf, word)) {
            fprintf(m->out, "    (frame pointer 0x%llx: not mapped)\n",
                    (ull)fp);
            break;
        }
        ret = le_load(buf, word);
        if (dbg_read_virt(dv, fp, buf, word))
            break;
        next = le_load(buf, word);
        if (ret == 0)
            break;
        fprintf(m->out, "#%-2llu %s\n", (ull)i,
                mon_addr(m, ret, where, sizeof(where)));
        if (next <= fp) {
            if (next)
                fprintf(m->out, "    (the next frame pointer 0x%llx is not "
                        "above this one: stopping)\n", (ull)next);
            break;
        }
        fp = next;
    }
    return MON_OK;
}
