/*
 * The gdbstub's packet layer and commands (monitor/gdb-packet.c,
 * gdbstub.c, gdb-regs.c) under random input, without sockets: a byte
 * stream goes through the framing (gdb_rx_byte) as a session reads it;
 * every packet is handed to gdbstub_command on a small two-vCPU machine
 * (two CPUs from tests/unit/cpu-harness.h driven by the debugger core as
 * a machine drives it), and a resume runs it until the next stop.  Every
 * reply must be a well-formed packet: at most GDB_PACKET_MAX bytes,
 * framed and read back unchanged, and for the commands that answer in
 * hex or with a stop, in that syntax.  Any crash or sanitizer report is
 * a bug.
 *
 * The first input byte picks the machine (bit 0: 32-bit protected mode,
 * i386 registers; else long mode, x86-64).
 *
 * Two programs come from this file: fuzz-gdb, the libFuzzer harness
 * (LLVMFuzzerTestOneInput), and, built with -DGDB_FUZZ_MAIN, gdb-packets,
 * which makes its own inputs from a seed, deterministically:
 *
 *   gdb-packets [--seed N] [--iterations N] [--write-seeds DIR]
 *
 * Each input is a few packets: every command letter with garbage or
 * plausible arguments, binary X data, vCont variants, qXfer offsets and
 * lengths out of range, huge numbers and lengths, then mangled framing
 * (bad checksums, stray escapes, '$' restarts, 0x03, acks, noise, packets
 * over GDB_PACKET_MAX).  --write-seeds writes the inputs as files (a
 * corpus for fuzz-gdb) instead of running them.  Exit status 0, or 1
 * with a message naming the seed and iteration.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cpu/cpu.h"
#include "monitor/dbg.h"
#include "monitor/gdb-packet.h"
#include "monitor/gdbstub.h"
#include "cpu-harness.h"

#define NCPU 2
#define MAX_RESUMES 8           /* per input: the machine's work is bounded */
#define SLICES 8
#define SLICE 200

struct fuzz {
    struct harness h[NCPU];
    struct dbg *d;
    struct gdbstub *g;
    struct dbg_stop last;
    unsigned resumes;
};

static struct fuzz *fz;
static unsigned long long n_packets, n_resumes, n_errors, n_stops[DBG_STOP_EXIT + 1];
static char context[64];        /* gdb-packets: the seed and iteration */

static void fail(const char *what, const char *pkt, const struct gdb_buf *r)
{
    fprintf(stderr, "fuzz-gdb:%s %s (packet \"%.80s\", reply \"%.80s\")\n",
            context, what, pkt, r ? r->data : "");
    abort();
}

static bool stopped(void *opaque, struct dbg *d, const struct dbg_stop *s)
{
    (void)opaque;
    (void)d;
    fz->last = *s;
    gdbstub_set_stop(fz->g, s);
    return true;
}

/* Both CPUs run a loop that counts, stores and loads:
 * inc eax; mov [H_DATA+8*cpu], eax; mov ebx, [H_DATA]; jmp back. */
static int machine_init(struct fuzz *f, bool pm32)
{
    static const struct dbg_frontend fe = { stopped, NULL, NULL, NULL };

    f->d = dbg_create();
    if (!f->d)
        return -1;
    dbg_set_frontend(f->d, &fe);
    dbg_machine_begin(f->d, "bare", NULL);
    for (unsigned i = 0; i < NCPU; i++) {
        struct harness *h = &f->h[i];
        uint32_t slot = H_DATA + 8 * i;
        char name[8];
        if (h_init(h, pm32 ? H_PROT32 : H_LONG64))
            return -1;
        H_CODE_AT(h, H_CODE, 0xff, 0xc0, 0x89, 0x04, 0x25, slot & 0xff,
                  (slot >> 8) & 0xff, (slot >> 16) & 0xff, 0,
                  0x8b, 0x1c, 0x25, H_DATA & 0xff, (H_DATA >> 8) & 0xff,
                  (H_DATA >> 16) & 0xff, 0, 0xeb, 0xee);
        h->cpu.r[R_AX] = 100 * i;
        snprintf(name, sizeof(name), "cpu%u", i);
        dbg_add_vcpu(f->d, &h->cpu, NULL, name);
    }
    f->g = gdbstub_new(f->d);
    return f->g ? 0 : -1;
}

static void machine_destroy(struct fuzz *f)
{
    gdbstub_destroy(f->g);
    dbg_destroy(f->d);
    for (unsigned i = 0; i < NCPU; i++)
        h_destroy(&f->h[i]);
}

/* Run the CPUs in turn, as a machine does, until a stop (or the bound). */
static void run_to_stop(struct fuzz *f)
{
    f->last.reason = DBG_STOP_NONE;
    for (unsigned s = 0; s < SLICES; s++)
        for (unsigned i = 0; i < NCPU; i++) {
            struct cpu *c = &f->h[i].cpu;
            if (dbg_pending(f->d))
                dbg_poll(f->d);
            if (f->last.reason != DBG_STOP_NONE)
                return;
            cpu_run(c, dbg_budget(f->d, c, SLICE));
            dbg_ran(f->d, c);
        }
    if (dbg_pending(f->d))
        dbg_poll(f->d);
    if (f->last.reason == DBG_STOP_NONE) {       /* as gdb's Ctrl-C */
        dbg_request_stop(f->d, DBG_STOP_USER, "fuzz: interrupted");
        dbg_poll(f->d);
    }
}

static bool all_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (gdb_hex_digit((unsigned char)s[i]) < 0)
            return false;
    return true;
}

static bool is_error(const struct gdb_buf *r)
{
    return r->len == 3 && r->data[0] == 'E' && all_hex(r->data + 1, 2);
}

/* "T05thread:2;swbreak:;", "W00": a stop reply. */
static bool is_stop_reply(const struct gdb_buf *r)
{
    const char *p = r->data + 3;

    if (r->len == 3 && r->data[0] == 'W')
        return all_hex(r->data + 1, 2);
    if (r->len < 3 || r->data[0] != 'T' || !all_hex(r->data + 1, 2))
        return false;
    while (*p) {
        const char *colon = strchr(p, ':'), *semi = strchr(p, ';');
        if (!colon || !semi || colon > semi)
            return false;
        p = semi + 1;
    }
    return true;
}

/* The reply frames and reads back unchanged, in its command's syntax. */
static void check_reply(const char *pkt, const struct gdb_buf *r)
{
    static char framed[2 * GDB_PACKET_MAX + 8];
    static struct gdb_rx rx;
    enum gdb_rx_event e = GDB_RX_NONE;
    size_t n;

    if (r->len > GDB_PACKET_MAX || r->data[r->len] != '\0')
        fail("reply too long or not terminated", pkt, r);
    n = gdb_frame(r->data, r->len, framed);
    gdb_rx_init(&rx);
    for (size_t i = 0; i < n; i++) {
        e = gdb_rx_byte(&rx, (uint8_t)framed[i]);
        if (e != GDB_RX_NONE && i + 1 < n)
            fail("reply framing ends early", pkt, r);
    }
    if (e != GDB_RX_PACKET || rx.len != r->len ||
        memcmp(rx.data, r->data, r->len) != 0)
        fail("reply does not read back", pkt, r);
    switch (pkt[0]) {
    case 'g': case 'm': case 'p':
        if (!is_error(r) && (r->len % 2 || !all_hex(r->data, r->len)))
            fail("reply is neither hex nor an error", pkt, r);
        break;
    case '?':
        if (!is_stop_reply(r))
            fail("'?' reply is not a stop reply", pkt, r);
        break;
    case 'G': case 'P': case 'M': case 'X': case 'Z': case 'z': case 'H':
    case 'T':
        if (!is_error(r) && strcmp(r->data, "OK") != 0)
            fail("reply is neither OK nor an error", pkt, r);
        break;
    default:
        break;
    }
}

/* One packet as the session hands it over: a buffer of exactly its
 * length plus the NUL, so that reading past it is caught. */
static void packet(struct fuzz *f, const char *data, size_t len)
{
    static struct gdb_buf r;
    char *pkt = malloc(len + 1);
    enum gdb_action a;

    if (!pkt)
        abort();
    memcpy(pkt, data, len);
    pkt[len] = '\0';
    a = gdbstub_command(f->g, pkt, len, &r);
    n_packets++;
    n_errors += is_error(&r);
    if (a != GDB_RESUME || r.len)
        check_reply(pkt, &r);
    if (a == GDB_RESUME && !r.len && f->resumes++ < MAX_RESUMES) {
        run_to_stop(f);
        n_resumes++;
        n_stops[f->last.reason]++;
        gdbstub_stop_reply(f->g, &f->last, &r);
        if (!is_stop_reply(&r))
            fail("bad stop reply after a resume", pkt, &r);
        check_reply("?", &r);
    } else if (a == GDB_DETACH || a == GDB_KILL) {
        gdbstub_clear_breakpoints(f->g);
    }
    free(pkt);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct gdb_rx rx;
    struct fuzz f;

    if (size == 0)
        return 0;
    memset(&f, 0, sizeof(f));
    fz = &f;
    if (machine_init(&f, data[0] & 1))
        abort();
    gdb_rx_init(&rx);
    for (size_t i = 1; i < size; i++) {
        enum gdb_rx_event e = gdb_rx_byte(&rx, data[i]);
        if (rx.len > GDB_PACKET_MAX)
            fail("receive buffer overrun", "", NULL);
        if (e == GDB_RX_PACKET)
            packet(&f, rx.data, rx.len);
    }
    machine_destroy(&f);
    fz = NULL;
    return 0;
}

#ifdef GDB_FUZZ_MAIN
/* ---- gdb-packets: inputs from a seed ------------------------------------------ */

#include <errno.h>

static uint64_t rng;

static uint64_t rnd(void)                       /* xorshift64* */
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * 0x2545f4914f6cdd1dull;
}

static unsigned pick(unsigned n)
{
    return (unsigned)(rnd() % n);
}

struct out {
    uint8_t *p;
    size_t len, cap;
};

static void put(struct out *o, const void *s, size_t n)
{
    if (n == 0)
        return;
    if (o->len + n > o->cap) {
        o->cap = (o->len + n) * 2;
        o->p = realloc(o->p, o->cap);
        if (!o->p)
            abort();
    }
    memcpy(o->p + o->len, s, n);
    o->len += n;
}

/* A number gdb might send, or one it would not. */
static unsigned long long number(void)
{
    static const unsigned long long interesting[] = {
        0, 1, 2, 7, 8, 0x10, 0x7ff, 0x800, 0x1000, 0xfff, H_CODE, H_DATA,
        H_CODE + 2, 0xffffffffull, 0x7fffffffffffull, 0xffff800000000000ull,
        0xfffffffffffff000ull, ~0ull, GDB_PACKET_MAX, GDB_PACKET_MAX / 2,
        GDB_PACKET_MAX / 2 + 1, 0x101, 0x102, 0x100, 0x201,
    };

    switch (pick(4)) {
    case 0: return rnd();
    case 1: return rnd() & 0xffff;
    default: return interesting[pick(ARRAY_SIZE(interesting))];
    }
}

static void hexnum(char *s, size_t n)
{
    switch (pick(10)) {
    case 0: snprintf(s, n, "-1"); break;
    case 1: snprintf(s, n, "11112222333344445555"); break;   /* > 64 bits */
    case 2: snprintf(s, n, "%s", pick(2) ? "" : "zz"); break;
    default: snprintf(s, n, "%llx", number()); break;
    }
}

static void random_bytes(struct out *o, size_t n, bool hex)
{
    static const char digits[] = "0123456789abcdefABCDEF";

    for (size_t i = 0; i < n; i++) {
        uint8_t b = hex ? (uint8_t)digits[pick(sizeof(digits) - 1)]
                        : (uint8_t)rnd();
        put(o, &b, 1);
    }
}

/* The data of one packet (unframed). */
static void packet_data(struct out *o)
{
    static const char *const fixed[] = {
        "?", "g", "qC", "qAttached", "qfThreadInfo", "qsThreadInfo",
        "qSupported:multiprocess+;swbreak+;hwbreak+;xmlRegisters=i386",
        "QStartNoAckMode", "vCont?", "vCont;c", "vCont;s", "vCont;", "vCont",
        "vCont;s:1;c", "vCont;s:2;c", "vCont;c:1;s:2", "vCont;x", "vCont;t",
        "vCont;S05:1", "vCont;C05", "vCont;s:-1", "vCont;s:0;s:1",
        "vContXYZ", "vMustReplyEmpty", "s", "c", "S05", "C05", "sff", "c0",
        "k", "D", "D;1", "H", "Hg", "Hc", "Hg-1", "Hc-1", "Hg0", "Hx1", "T",
        "T-1", "qXfer:features:read:target.xml:", "qXfer:features:read:",
        "qXfer:features:read:other.xml:0,10", "qThreadExtraInfo,",
        "Z", "z", "Z0", "Z9,0,0", "Z2,0,0", "Z2,0,9", "m", "M", "X", "p", "P",
        "G", "Q", "q", "v", "", "!", "R00", "bc", "bs", "i", "A",
    };
    const char *letters = "?gGpPmMXZzHTqQcsCSkDvRbi!";
    char a[48], b[48], buf[256];
    unsigned tid = 1 + pick(3);

    hexnum(a, sizeof(a));
    hexnum(b, sizeof(b));
    switch (pick(17)) {
    case 0: {
        const char *s = fixed[pick(ARRAY_SIZE(fixed))];
        put(o, s, strlen(s));
        return;
    }
    case 1:                             /* a letter and garbage */
        buf[0] = letters[pick((unsigned)strlen(letters))];
        put(o, buf, 1);
        random_bytes(o, pick(40), pick(2));
        return;
    case 2:
        snprintf(buf, sizeof(buf), "m%s,%s", a, b);
        break;
    case 3: case 4: {                   /* M with hex, X with binary */
        bool binary = pick(2);
        unsigned long long len = pick(4) ? pick(64) : number();
        size_t have = pick(3) && len < 3000 ? (size_t)len : pick(80);
        snprintf(buf, sizeof(buf), "%c%s,%llx:", binary ? 'X' : 'M',
                 pick(3) ? a : "50000", len);
        put(o, buf, strlen(buf));
        random_bytes(o, binary ? have : 2 * have, !binary);
        return;
    }
    case 5:
        snprintf(buf, sizeof(buf), "%c%u,%s,%s", pick(2) ? 'Z' : 'z',
                 pick(6), a, b);
        break;
    case 15: {                          /* on the loop's code or data */
        static const unsigned code[] = { 0, 2, 9, 16 };
        unsigned type = pick(5);
        snprintf(buf, sizeof(buf), "%c%u,%x,%u", pick(3) ? 'Z' : 'z', type,
                 type < 2 ? H_CODE + code[pick(4)] : H_DATA + 8 * pick(2),
                 type < 2 ? 1 : 1u << pick(4));
        break;
    }
    case 6:
        snprintf(buf, sizeof(buf), "p%s", a);
        break;
    case 7:
        snprintf(buf, sizeof(buf), "P%s=", a);
        put(o, buf, strlen(buf));
        random_bytes(o, pick(20), true);
        return;
    case 8:
        put(o, "G", 1);
        random_bytes(o, pick(2) ? pick(1200) : 2 * pick(600), true);
        return;
    case 9:
        snprintf(buf, sizeof(buf), "H%c%x", "gcx"[pick(3)], tid);
        break;
    case 10:
        snprintf(buf, sizeof(buf), "qXfer:features:read:target.xml:%s,%s",
                 a, b);
        break;
    case 11:
        snprintf(buf, sizeof(buf), "vCont;%c%s%x%s", "sScCtx"[pick(6)],
                 pick(4) ? ":" : "", tid, pick(2) ? ";c" : "");
        break;
    case 12:
        snprintf(buf, sizeof(buf), "qThreadExtraInfo,%s", pick(2) ? a : "2");
        break;
    case 13:
        snprintf(buf, sizeof(buf), "T%s", pick(2) ? a : "2");
        break;
    case 14:                            /* memory near the code or data */
        snprintf(buf, sizeof(buf), "m%x,%x", pick(2) ? H_CODE : H_DATA,
                 pick(64));
        break;
    default:
        snprintf(buf, sizeof(buf), "%c%s", pick(2) ? 's' : 'c',
                 pick(4) ? "" : a);
        break;
    }
    put(o, buf, strlen(buf));
}

/* Frame data into o, usually right, sometimes not. */
static void frame(struct out *o, const uint8_t *data, size_t len)
{
    static char framed[2 * 65536 + 8];
    uint8_t b;
    size_t n;

    if (len > 65536)
        len = 65536;
    n = gdb_frame(data, len, framed);
    switch (pick(12)) {
    case 0:                             /* a wrong or broken checksum */
        framed[n - 1 - pick(2)] = "0g#$}"[pick(5)];
        break;
    case 1:                             /* a byte flipped anywhere */
        framed[pick((unsigned)n)] ^= (char)(1u << pick(8));
        break;
    case 2:                             /* cut short */
        n = pick((unsigned)n);
        break;
    case 3:                             /* a stray escape at the end */
        if (n > 4) {
            framed[n - 4] = '}';
            n = gdb_frame(data, len, framed);
        }
        put(o, "$}", 2);
        break;
    default:
        break;
    }
    put(o, framed, n);
    if (pick(4) == 0) {                 /* noise, acks, Ctrl-C between */
        b = "+-\x03x$#}"[pick(7)];
        put(o, &b, 1);
    }
}

/* One input: the machine byte, then packets. */
static void make_input(struct out *o)
{
    static const char ack[] = "+";
    struct out p = { 0 };
    unsigned n = 1 + pick(12);
    uint8_t machine = (uint8_t)pick(2);

    o->len = 0;
    put(o, &machine, 1);
    for (unsigned i = 0; i < n; i++) {
        p.len = 0;
        if (pick(20) == 0) {            /* over GDB_PACKET_MAX */
            put(&p, "m", 1);
            random_bytes(&p, GDB_PACKET_MAX + pick(3000), true);
        } else {
            packet_data(&p);
        }
        frame(o, p.p, p.len);
        put(o, ack, 1);
    }
    free(p.p);
}

static int write_seed(const char *dir, unsigned i, const struct out *o)
{
    char path[4096];
    FILE *f;

    snprintf(path, sizeof(path), "%s/gdb-%05u", dir, i);
    f = fopen(path, "wb");
    if (!f || fwrite(o->p, 1, o->len, f) != o->len || fclose(f)) {
        fprintf(stderr, "gdb-packets: %s: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

static int usage(void)
{
    fprintf(stderr, "usage: gdb-packets [--seed N] [--iterations N] "
            "[--write-seeds DIR]\n");
    return 2;
}

int main(int argc, char **argv)
{
    unsigned long long seed = 1, iterations = 2000;
    const char *seeds_dir = NULL;
    struct out o = { 0 };

    for (int i = 1; i < argc; i++) {
        char *end;
        if (i + 1 >= argc)
            return usage();
        if (strcmp(argv[i], "--write-seeds") == 0) {
            seeds_dir = argv[++i];
            continue;
        }
        if (strcmp(argv[i], "--seed") == 0)
            seed = strtoull(argv[++i], &end, 0);
        else if (strcmp(argv[i], "--iterations") == 0)
            iterations = strtoull(argv[++i], &end, 0);
        else
            return usage();
        if (*end || !*argv[i])
            return usage();
    }
    for (unsigned long long it = 0; it < iterations; it++) {
        rng = (seed + it) * 0x9e3779b97f4a7c15ull | 1;
        make_input(&o);
        if (seeds_dir) {
            if (write_seed(seeds_dir, (unsigned)it, &o))
                return 1;
            continue;
        }
        snprintf(context, sizeof(context), " seed %llu, iteration %llu:",
                 seed, it);
        LLVMFuzzerTestOneInput(o.p, o.len);
    }
    printf("gdb-packets: %llu inputs from seed %llu: %llu packets "
           "(%llu errors), %llu resumes (stops: %llu steps, %llu "
           "breakpoints, %llu watchpoints, %llu interrupts); every reply "
           "well-formed\n", iterations, seed, n_packets, n_errors, n_resumes,
           n_stops[DBG_STOP_STEP], n_stops[DBG_STOP_BREAK],
           n_stops[DBG_STOP_WATCH], n_stops[DBG_STOP_USER]);
    free(o.p);
    return 0;
}
#endif
