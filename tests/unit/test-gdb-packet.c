/*
 * The gdbstub without sockets: framing (checksums, escapes, acks, Ctrl-C,
 * oversized and broken packets), hex, and the commands on a CPU from
 * cpu-harness.h driven by the debugger core as a machine drives it.
 */
#include <string.h>
#include "cpu/cpu.h"
#include "monitor/gdb-packet.h"
#include "monitor/gdbstub.h"
#include "cpu-harness.h"
#include "unit.h"

/* Feed s; the last event that was not GDB_RX_NONE. */
static enum gdb_rx_event feed(struct gdb_rx *rx, const char *s, size_t n)
{
    enum gdb_rx_event last = GDB_RX_NONE;

    for (size_t i = 0; i < n; i++) {
        enum gdb_rx_event e = gdb_rx_byte(rx, (uint8_t)s[i]);
        if (e != GDB_RX_NONE)
            last = e;
    }
    return last;
}
#define FEED(rx, lit) feed(rx, lit, sizeof(lit) - 1)

static void test_rx(void)
{
    static struct gdb_rx rx;

    gdb_rx_init(&rx);
    CU_ASSERT_EQUAL(FEED(&rx, "$g#67"), GDB_RX_PACKET);
    CU_ASSERT_STRING_EQUAL(rx.data, "g");
    CU_ASSERT_EQUAL(FEED(&rx, "$g#68"), GDB_RX_BAD_CHECKSUM);
    CU_ASSERT_EQUAL(FEED(&rx, "$g#6z"), GDB_RX_BAD_CHECKSUM);
    CU_ASSERT_EQUAL(FEED(&rx, "$qC#B4"), GDB_RX_PACKET);   /* upper case */
    CU_ASSERT_EQUAL(FEED(&rx, "+"), GDB_RX_ACK);
    CU_ASSERT_EQUAL(FEED(&rx, "-"), GDB_RX_NACK);
    CU_ASSERT_EQUAL(FEED(&rx, "\x03"), GDB_RX_INTERRUPT);
    CU_ASSERT_EQUAL(FEED(&rx, "junk"), GDB_RX_NONE);
    /* An escape: "}]" is ']' ^ 0x20 = '}'; the sum covers the raw bytes. */
    CU_ASSERT_EQUAL(FEED(&rx, "$X}]#32"), GDB_RX_PACKET);
    CU_ASSERT_EQUAL(rx.len, 2);
    CU_ASSERT_STRING_EQUAL(rx.data, "X}");
    /* A restart inside a packet drops the first part. */
    CU_ASSERT_EQUAL(FEED(&rx, "$abc$g#67"), GDB_RX_PACKET);
    CU_ASSERT_STRING_EQUAL(rx.data, "g");
    /* Too long: dropped whole, then the next one is fine. */
    CU_ASSERT_EQUAL(gdb_rx_byte(&rx, '$'), GDB_RX_NONE);
    for (unsigned i = 0; i < GDB_PACKET_MAX + 10; i++)
        gdb_rx_byte(&rx, 'm');
    CU_ASSERT_EQUAL(FEED(&rx, "#00"), GDB_RX_OVERSIZE);
    CU_ASSERT_EQUAL(FEED(&rx, "$g#67"), GDB_RX_PACKET);
}

static void test_frame_and_hex(void)
{
    char out[64];
    uint8_t b[4];
    const char *p;
    uint64_t v;
    size_t n;
    static struct gdb_buf buf;

    n = gdb_frame("OK", 2, out);
    CU_ASSERT_EQUAL(n, 6);
    CU_ASSERT_NSTRING_EQUAL(out, "$OK#9a", 6);
    n = gdb_frame("a#b", 3, out);          /* '#' escaped as "}\x03" */
    CU_ASSERT_EQUAL(n, 8);
    CU_ASSERT_NSTRING_EQUAL(out, "$a}\x03" "b#", 6);
    CU_ASSERT_EQUAL(gdb_unhex("00fFa5", 3, b), 0);
    CU_ASSERT_EQUAL(b[1], 0xff);
    CU_ASSERT_EQUAL(b[2], 0xa5);
    CU_ASSERT_EQUAL(gdb_unhex("0g", 1, b), -1);
    CU_ASSERT_EQUAL(gdb_unhex("0", 1, b), -1);
    p = "1234abcd,8";
    CU_ASSERT_EQUAL(gdb_parse_hex(&p, &v), 0);
    CU_ASSERT_EQUAL(v, 0x1234abcd);
    CU_ASSERT_STRING_EQUAL(p, ",8");
    p = ",";
    CU_ASSERT_EQUAL(gdb_parse_hex(&p, &v), -1);
    p = "11112222333344445";                  /* 65 bits */
    CU_ASSERT_EQUAL(gdb_parse_hex(&p, &v), -1);
    gdb_buf_reset(&buf);
    gdb_buf_le(&buf, 0x1122334455667788ull, 8);
    CU_ASSERT_STRING_EQUAL(buf.data, "8877665544332211");
    for (unsigned i = 0; i < GDB_PACKET_MAX; i++)
        gdb_buf_str(&buf, "x");
    CU_ASSERT_TRUE(buf.overflow);
    CU_ASSERT_TRUE(buf.len <= GDB_PACKET_MAX);
}

/* ---- commands ---------------------------------------------------------------- */

static struct harness h;
static struct dbg *d;
static struct gdbstub *g;
static struct gdb_buf r;
static struct dbg_stop last;

/* The stub's session, reduced: take each stop, then go on. */
static bool stopped(void *opaque, struct dbg *dd, const struct dbg_stop *s)
{
    (void)opaque;
    (void)dd;
    last = *s;
    gdbstub_set_stop(g, s);
    return true;
}

static enum gdb_action cmd(const char *p)
{
    return gdbstub_command(g, p, strlen(p), &r);
}

static void run_to_stop(void)
{
    last.reason = DBG_STOP_NONE;
    for (unsigned i = 0; i < 1000 && last.reason == DBG_STOP_NONE; i++) {
        if (dbg_pending(d) && dbg_poll(d) == DBG_QUIT)
            break;
        if (last.reason != DBG_STOP_NONE)
            break;
        if (cpu_run(&h.cpu, dbg_budget(d, &h.cpu, 1000)) == STOP_HLT)
            break;
        dbg_ran(d, &h.cpu);
    }
}

static void test_commands(void)
{
    struct dbg_frontend fe = { stopped, NULL, NULL, NULL };
    char want[64];

    CU_ASSERT_FATAL(h_init(&h, H_LONG64) == 0);
    d = dbg_create();
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    dbg_set_frontend(d, &fe);
    dbg_machine_begin(d, "bare", NULL);
    dbg_add_vcpu(d, &h.cpu, NULL, "cpu0");
    g = gdbstub_new(d);
    CU_ASSERT_PTR_NOT_NULL_FATAL(g);
    /* mov eax, 7; inc eax; mov [H_DATA], eax; nop; hlt */
    H_CODE_AT(&h, H_CODE, 0xb8, 7, 0, 0, 0, 0xff, 0xc0,
              0x89, 0x04, 0x25, H_DATA & 0xff, (H_DATA >> 8) & 0xff,
              (H_DATA >> 16) & 0xff, 0, 0x90, 0xf4);

    CU_ASSERT_EQUAL(cmd("qfThreadInfo"), GDB_REPLY);
    CU_ASSERT_STRING_EQUAL(r.data, "m1");
    cmd("qsThreadInfo");
    CU_ASSERT_STRING_EQUAL(r.data, "l");
    cmd("qC");
    CU_ASSERT_STRING_EQUAL(r.data, "QC1");
    cmd("T1");
    CU_ASSERT_STRING_EQUAL(r.data, "OK");
    cmd("T2");
    CU_ASSERT_STRING_EQUAL(r.data, "E01");
    cmd("qNoSuchQuery");
    CU_ASSERT_STRING_EQUAL(r.data, "");
    cmd("?");
    CU_ASSERT_STRING_EQUAL(r.data, "T05thread:1;");
    cmd("qXfer:features:read:target.xml:0,40");
    CU_ASSERT_NSTRING_EQUAL(r.data, "m<?xml", 6);
    cmd("qXfer:features:read:target.xml:100000,40");
    CU_ASSERT_STRING_EQUAL(r.data, "l");
    /* rip is register 16 of the x86-64 layout. */
    cmd("p10");
    snprintf(want, sizeof(want), "%02x%02x%02x0000000000",
             H_CODE & 0xff, (H_CODE >> 8) & 0xff, (H_CODE >> 16) & 0xff);
    CU_ASSERT_STRING_EQUAL(r.data, want);
    cmd("P3=2a00000000000000");                 /* rdx */
    CU_ASSERT_STRING_EQUAL(r.data, "OK");
    CU_ASSERT_EQUAL(h.cpu.r[R_DX], 42);
    cmd("P12=ffff0000");                        /* cs: not changed */
    CU_ASSERT_STRING_EQUAL(r.data, "E03");
    cmd("P3=2a");
    CU_ASSERT_STRING_EQUAL(r.data, "E02");
    cmd("g");
    CU_ASSERT_NSTRING_EQUAL(r.data, "0000000000000000", 16);
    snprintf(want, sizeof(want), "m%x,2", H_CODE);
    cmd(want);
    CU_ASSERT_STRING_EQUAL(r.data, "b807");
    snprintf(want, sizeof(want), "M%x,1:09", H_CODE + 1);  /* mov eax, 9 */
    cmd(want);
    CU_ASSERT_STRING_EQUAL(r.data, "OK");
    cmd("m7f0000000000,4");
    CU_ASSERT_STRING_EQUAL(r.data, "E14");

    /* A breakpoint at the inc, a write watchpoint on H_DATA. */
    snprintf(want, sizeof(want), "Z0,%x,1", H_CODE + 5);
    cmd(want);
    CU_ASSERT_STRING_EQUAL(r.data, "OK");
    snprintf(want, sizeof(want), "Z2,%x,4", H_DATA);
    cmd(want);
    CU_ASSERT_STRING_EQUAL(r.data, "OK");
    CU_ASSERT_EQUAL(cmd("c"), GDB_RESUME);
    run_to_stop();
    CU_ASSERT_EQUAL(last.reason, DBG_STOP_BREAK);
    CU_ASSERT_EQUAL(h.cpu.rip, H_CODE + 5);
    CU_ASSERT_EQUAL(h.cpu.r[R_AX], 9);
    gdbstub_stop_reply(g, &last, &r);
    CU_ASSERT_STRING_EQUAL(r.data, "T05thread:1;swbreak:;");
    snprintf(want, sizeof(want), "z0,%x,1", H_CODE + 5);
    cmd(want);
    CU_ASSERT_STRING_EQUAL(r.data, "OK");
    cmd(want);
    CU_ASSERT_STRING_EQUAL(r.data, "E02");
    CU_ASSERT_EQUAL(cmd("vCont;s:1;c"), GDB_RESUME);
    run_to_stop();
    CU_ASSERT_EQUAL(last.reason, DBG_STOP_STEP);
    CU_ASSERT_EQUAL(h.cpu.rip, H_CODE + 7);
    CU_ASSERT_EQUAL(cmd("vCont;c"), GDB_RESUME);
    run_to_stop();
    CU_ASSERT_EQUAL(last.reason, DBG_STOP_WATCH);
    gdbstub_stop_reply(g, &last, &r);
    snprintf(want, sizeof(want), "T05thread:1;watch:%x;", H_DATA);
    CU_ASSERT_STRING_EQUAL(r.data, want);
    cmd("vCont;x");
    CU_ASSERT_STRING_EQUAL(r.data, "E01");
    CU_ASSERT_EQUAL(cmd("D"), GDB_DETACH);
    CU_ASSERT_EQUAL(cmd("k"), GDB_KILL);
    gdbstub_clear_breakpoints(g);
    CU_ASSERT_EQUAL(d->bp.n, 0);

    gdbstub_destroy(g);
    dbg_destroy(d);
    h_destroy(&h);
}

/* ---- two vCPUs ----------------------------------------------------------------- */

static struct harness h2;

/* Both CPUs in turn, vCPU 0 first, as a machine runs them. */
static void run_smp_to_stop(void)
{
    struct cpu *cpus[2] = { &h.cpu, &h2.cpu };

    last.reason = DBG_STOP_NONE;
    for (unsigned i = 0; i < 100 && last.reason == DBG_STOP_NONE; i++)
        for (unsigned k = 0; k < 2 && last.reason == DBG_STOP_NONE; k++) {
            if (dbg_pending(d) && dbg_poll(d) == DBG_QUIT)
                return;
            if (last.reason != DBG_STOP_NONE)
                break;
            cpu_run(cpus[k], dbg_budget(d, cpus[k], 1000));
            dbg_ran(d, cpus[k]);
        }
}

/* s and vCont;s step the thread gdb names, whichever vCPU runs first;
 * g, p and m after Hg read that vCPU's registers and memory. */
static void test_smp(void)
{
    struct dbg_frontend fe = { stopped, NULL, NULL, NULL };
    uint64_t ic0, ic1;

    CU_ASSERT_FATAL(h_init(&h, H_LONG64) == 0);
    CU_ASSERT_FATAL(h_init(&h2, H_LONG64) == 0);
    d = dbg_create();
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    dbg_set_frontend(d, &fe);
    dbg_machine_begin(d, "bare", NULL);
    dbg_add_vcpu(d, &h.cpu, NULL, "cpu0");
    dbg_add_vcpu(d, &h2.cpu, NULL, "cpu1");
    g = gdbstub_new(d);
    CU_ASSERT_PTR_NOT_NULL_FATAL(g);
    H_CODE_AT(&h, H_CODE, 0xff, 0xc0, 0xeb, 0xfc);     /* inc eax; jmp */
    H_CODE_AT(&h2, H_CODE, 0xff, 0xc3, 0xeb, 0xfc);    /* inc ebx; jmp */
    h_store(&h, H_DATA, 1, 0x11);
    h_store(&h2, H_DATA, 1, 0x22);
    h2.cpu.r[R_BX] = 0x1234;

    cmd("qfThreadInfo");
    CU_ASSERT_STRING_EQUAL(r.data, "m1,2");
    /* Hc2; s: vCPU 1 retires one instruction though vCPU 0 runs first. */
    cmd("Hc2");
    CU_ASSERT_STRING_EQUAL(r.data, "OK");
    ic0 = h.cpu.icount;
    ic1 = h2.cpu.icount;
    CU_ASSERT_EQUAL(cmd("s"), GDB_RESUME);
    run_smp_to_stop();
    CU_ASSERT_EQUAL(last.reason, DBG_STOP_STEP);
    CU_ASSERT_EQUAL(last.vcpu, 1);
    CU_ASSERT_EQUAL(h2.cpu.icount, ic1 + 1);
    CU_ASSERT_TRUE(h.cpu.icount > ic0 + 1);             /* vCPU 0 ran */
    gdbstub_stop_reply(g, &last, &r);
    CU_ASSERT_STRING_EQUAL(r.data, "T05thread:2;");
    /* vCont;s:1: vCPU 0, one instruction. */
    ic0 = h.cpu.icount;
    CU_ASSERT_EQUAL(cmd("vCont;s:1;c"), GDB_RESUME);
    run_smp_to_stop();
    CU_ASSERT_EQUAL(last.reason, DBG_STOP_STEP);
    CU_ASSERT_EQUAL(last.vcpu, 0);
    CU_ASSERT_EQUAL(h.cpu.icount, ic0 + 1);
    /* Hc-1: s steps the vCPU that stopped (0 now). */
    cmd("Hc-1");
    ic0 = h.cpu.icount;
    CU_ASSERT_EQUAL(cmd("s"), GDB_RESUME);
    run_smp_to_stop();
    CU_ASSERT_EQUAL(last.vcpu, 0);
    CU_ASSERT_EQUAL(h.cpu.icount, ic0 + 1);
    /* vCont;s:2 again, without Hc. */
    ic1 = h2.cpu.icount;
    cmd("vCont;s:2");
    run_smp_to_stop();
    CU_ASSERT_EQUAL(last.vcpu, 1);
    CU_ASSERT_EQUAL(h2.cpu.icount, ic1 + 1);
    cmd("vCont;s:3;c");
    CU_ASSERT_STRING_EQUAL(r.data, "E01");

    /* Registers and memory follow Hg (rbx: register 1). */
    cmd("Hg1");
    cmd("p1");
    CU_ASSERT_STRING_EQUAL(r.data, "0000000000000000");
    cmd("m50000,1");
    CU_ASSERT_STRING_EQUAL(r.data, "11");
    cmd("Hg2");
    CU_ASSERT_STRING_EQUAL(r.data, "OK");
    cmd("p1");                          /* one inc ebx: 0x1235 */
    CU_ASSERT_STRING_EQUAL(r.data, "3512000000000000");
    cmd("g");
    CU_ASSERT_NSTRING_EQUAL(r.data + 16, "3512000000000000", 16);
    cmd("m50000,1");
    CU_ASSERT_STRING_EQUAL(r.data, "22");
    cmd("qC");
    CU_ASSERT_STRING_EQUAL(r.data, "QC2");

    gdbstub_destroy(g);
    dbg_destroy(d);
    h_destroy(&h);
    h_destroy(&h2);
}

UNIT_SUITE(gdb_packet)
{
    CU_pSuite s = CU_add_suite("gdb_packet", NULL, NULL);
    UNIT_TEST(s, test_rx);
    UNIT_TEST(s, test_frame_and_hex);
    UNIT_TEST(s, test_commands);
    UNIT_TEST(s, test_smp);
}
