/*
 * The debugger core (monitor/dbg.c) on a CPU from cpu-harness.h, driven as
 * a machine drives it: breakpoints stop before their instruction and are
 * passed on resume, temporary ones go away, stepi counts exactly, next
 * steps over a call, until leaves a loop, watchpoints and ring catchpoints
 * stop after the instruction, and a stopped run retires what an unstopped
 * one does.
 */
#include <string.h>
#include "cpu/cpu.h"
#include "monitor/dbg.h"
#include "cpu-harness.h"
#include "unit.h"

static struct harness h;
static struct cpu *c;
static struct dbg *d;

/* The front end: records each stop, then does what the test asked. */
enum action { GO_ON, STEP2, NEXT, UNTIL, QUIT };
static struct {
    unsigned n;
    struct dbg_stop s[16];
    uint64_t rip[16];
    enum action then[16];
} fe;

static bool stopped(void *opaque, struct dbg *dd, const struct dbg_stop *s)
{
    char why[64];
    unsigned i = fe.n;

    (void)opaque;
    CU_ASSERT_PTR_EQUAL(dd, d);
    if (i < 16) {
        fe.s[i] = *s;
        fe.rip[i] = c->rip;
    }
    fe.n++;
    switch (i < 16 ? fe.then[i] : GO_ON) {
    case STEP2: dbg_stepi(dd, 2); break;
    case NEXT: CU_ASSERT_EQUAL(dbg_next(dd, why, sizeof(why)), 0); break;
    case UNTIL: dbg_until(dd, false, 0); break;
    case QUIT: return false;
    default: dbg_continue(dd); break;
    }
    return true;
}

static void setup(void)
{
    struct dbg_frontend f = { stopped, NULL, NULL, NULL };

    CU_ASSERT_FATAL(h_init(&h, H_LONG64) == 0);
    c = &h.cpu;
    fe = (__typeof__(fe)){ 0 };
    d = dbg_create();
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    dbg_set_frontend(d, &f);
    dbg_machine_begin(d, "bare", NULL);
    dbg_add_vcpu(d, c, NULL, "cpu0");
}

static void teardown(void)
{
    dbg_destroy(d);
    h_destroy(&h);
}

/* What a machine's loop does; the exit status (0: HLT, 8: quit). */
static int run(void)
{
    for (unsigned slices = 0; slices < 10000; slices++) {
        enum cpu_stop why;
        if (dbg_pending(d) && dbg_poll(d) == DBG_QUIT)
            return 8;
        why = cpu_run(c, dbg_budget(d, c, 1000));
        dbg_ran(d, c);
        if (why == STOP_HLT)
            return 0;
    }
    CU_FAIL("the guest did not halt");
    return -1;
}

static void add_bp(enum bp_kind kind, uint64_t addr, uint64_t len,
                   unsigned access, bool temporary)
{
    struct bp b = { .kind = kind, .addr = addr, .len = len,
                    .access = access, .enabled = true,
                    .temporary = temporary };
    CU_ASSERT_PTR_NOT_NULL(bptable_add(&d->bp, &b));
    dbg_breakpoints_changed(d);
}

/* A loop of 5 rounds: mov ecx,5; L: add rax,rcx; dec ecx; jnz L; nop; hlt */
static void loop_code(void)
{
    H_CODE_AT(&h, H_CODE, 0xb9, 0x05, 0, 0, 0,       /* +0  mov ecx, 5 */
              0x48, 0x01, 0xc8,                      /* +5  add rax, rcx */
              0xff, 0xc9,                            /* +8  dec ecx */
              0x75, 0xf9,                            /* +10 jnz +5 */
              0x90,                                  /* +12 nop */
              0xf4);                                 /* +13 hlt */
}

static void test_breakpoint_and_resume(void)
{
    setup();
    loop_code();
    add_bp(BP_EXEC, H_CODE + 5, 0, 0, false);
    CU_ASSERT_EQUAL(run(), 0);
    CU_ASSERT_EQUAL(fe.n, 5);                    /* once a round */
    CU_ASSERT_EQUAL(fe.s[0].reason, DBG_STOP_BREAK);
    CU_ASSERT_EQUAL(fe.s[0].bp, 1);
    CU_ASSERT_EQUAL(fe.s[0].icount, 1);
    CU_ASSERT_EQUAL(fe.rip[0], H_CODE + 5);
    CU_ASSERT_EQUAL(fe.s[4].icount, 1 + 4 * 3);
    CU_ASSERT_EQUAL(c->r[R_AX], 15);
    CU_ASSERT_EQUAL(c->icount, 1 + 5 * 3 + 1 + 1);
    CU_ASSERT_EQUAL(bptable_get(&d->bp, 1)->hits, 5);
    teardown();

    setup();                                     /* temporary: once */
    loop_code();
    add_bp(BP_EXEC, H_CODE + 8, 0, 0, true);
    CU_ASSERT_EQUAL(run(), 0);
    CU_ASSERT_EQUAL(fe.n, 1);
    CU_ASSERT_EQUAL(d->bp.n, 0);
    teardown();

    setup();                                     /* physical, and quit */
    loop_code();
    add_bp(BP_EXEC_PHYS, H_CODE + 12, 0, 0, false);
    fe.then[0] = QUIT;
    CU_ASSERT_EQUAL(run(), 8);
    CU_ASSERT_EQUAL(fe.rip[0], H_CODE + 12);
    CU_ASSERT_TRUE(d->quit);
    teardown();
}

static void test_steps(void)
{
    setup();
    loop_code();
    add_bp(BP_EXEC, H_CODE + 5, 0, 0, true);
    fe.then[0] = STEP2;
    fe.then[1] = UNTIL;
    CU_ASSERT_EQUAL(run(), 0);
    CU_ASSERT_EQUAL(fe.n, 3);
    CU_ASSERT_EQUAL(fe.s[1].reason, DBG_STOP_STEP);
    CU_ASSERT_EQUAL(fe.s[1].icount, 3);
    CU_ASSERT_EQUAL(fe.rip[1], H_CODE + 10);
    /* until from the loop's branch: out of the loop, at the nop. */
    CU_ASSERT_EQUAL(fe.s[2].reason, DBG_STOP_GOAL);
    CU_ASSERT_EQUAL(fe.rip[2], H_CODE + 12);
    CU_ASSERT_EQUAL(c->r[R_CX], 0);
    teardown();
}

static void test_next_over_call(void)
{
    setup();
    H_CODE_AT(&h, H_CODE, 0xe8, 0x03, 0, 0, 0,       /* +0 call +8 */
              0x90,                                  /* +5 nop */
              0xf4,                                  /* +6 hlt */
              0x90,                                  /* +7 */
              0x48, 0xff, 0xc0,                      /* +8 inc rax */
              0x48, 0xff, 0xc0,                      /* +11 inc rax */
              0xc3);                                 /* +14 ret */
    dbg_request_stop(d, DBG_STOP_START, "start");
    fe.then[0] = NEXT;
    CU_ASSERT_EQUAL(run(), 0);
    CU_ASSERT_EQUAL(fe.n, 2);
    CU_ASSERT_EQUAL(fe.s[0].reason, DBG_STOP_START);
    CU_ASSERT_EQUAL(fe.s[1].reason, DBG_STOP_GOAL);
    CU_ASSERT_EQUAL(fe.rip[1], H_CODE + 5);
    CU_ASSERT_EQUAL(fe.s[1].icount, 4);          /* call, inc, inc, ret */
    CU_ASSERT_EQUAL(c->r[R_AX], 2);
    teardown();
}

static void test_watch_and_ring(void)
{
    setup();
    c->r[R_AX] = 7;
    H_CODE_AT(&h, H_CODE,
              0x48, 0x89, 0x04, 0x25, 0x10, 0x00, 0x05, 0x00, /* mov [H_DATA+0x10], rax */
              0x90, 0xf4);
    add_bp(BP_WATCH, H_DATA + 0x14, 1, BP_WRITE, false);
    add_bp(BP_WATCH, H_DATA + 0x10, 8, BP_READ, false);   /* reads only */
    CU_ASSERT_EQUAL(run(), 0);
    CU_ASSERT_EQUAL(fe.n, 1);
    CU_ASSERT_EQUAL(fe.s[0].reason, DBG_STOP_WATCH);
    CU_ASSERT_EQUAL(fe.s[0].bp, 1);
    CU_ASSERT_EQUAL(fe.rip[0], H_CODE + 8);      /* after the store */
    CU_ASSERT_EQUAL(h_load(&h, H_DATA + 0x10, 8), 7);
    teardown();

    setup();                                     /* int 0x80 from ring 3 */
    h_gate(&h, 0x80, H_KCS64, H_HANDLERS + 8 * 0x80, 0xe, 3, 0);
    H_CODE_AT(&h, H_UCODE, 0x90, 0xcd, 0x80);
    h_to_user(&h, H_UCODE, H_USTACK);
    dbg_machine_end(d);                          /* re-attach at CPL 3 */
    dbg_machine_begin(d, "bare", NULL);
    dbg_add_vcpu(d, c, NULL, "cpu0");
    add_bp(BP_RING, 0, 0, 0, false);             /* to ring 0 */
    CU_ASSERT_EQUAL(run(), 0);
    CU_ASSERT_EQUAL(fe.n, 1);
    CU_ASSERT_EQUAL(fe.s[0].reason, DBG_STOP_CATCH);
    CU_ASSERT_EQUAL(fe.rip[0], H_HANDLERS + 8 * 0x80);
    CU_ASSERT_PTR_NOT_NULL(strstr(fe.s[0].what, "ring3 -> ring0 int 0x80"));
    CU_ASSERT_EQUAL(d->vcpu[0]->rings.kinds[TK_SOFTINT], 1);
    teardown();
}

/* Nobody looking: no notifications, no accounting.  Once a front end has
 * taken a stop, every transition is recorded. */
static void user_int80(void)
{
    h_gate(&h, 0x80, H_KCS64, H_HANDLERS + 8 * 0x80, 0xe, 3, 0);
    H_CODE_AT(&h, H_UCODE, 0x90, 0xcd, 0x80);
    h_to_user(&h, H_UCODE, H_USTACK);
    dbg_machine_end(d);
    dbg_machine_begin(d, "bare", NULL);
    dbg_add_vcpu(d, c, NULL, "cpu0");
}

static void test_recording_only_when_watched(void)
{
    setup();
    user_int80();
    CU_ASSERT_FALSE(d->recording);
    CU_ASSERT_PTR_NULL(c->debug.cpl_change);
    CU_ASSERT_PTR_NULL(c->debug.event);
    CU_ASSERT_EQUAL(run(), 0);
    CU_ASSERT_EQUAL(d->vcpu[0]->rings.total, 0);
    teardown();

    setup();
    user_int80();
    dbg_request_stop(d, DBG_STOP_START, "start");
    CU_ASSERT_EQUAL(run(), 0);
    CU_ASSERT_TRUE(d->recording);
    CU_ASSERT_EQUAL(d->vcpu[0]->rings.total, 1);
    CU_ASSERT_EQUAL(d->vcpu[0]->rings.kinds[TK_SOFTINT], 1);
    teardown();
}

UNIT_SUITE(monitor_dbg)
{
    CU_pSuite s = CU_add_suite("monitor_dbg", NULL, NULL);
    UNIT_TEST(s, test_breakpoint_and_resume);
    UNIT_TEST(s, test_steps);
    UNIT_TEST(s, test_next_over_call);
    UNIT_TEST(s, test_watch_and_ring);
    UNIT_TEST(s, test_recording_only_when_watched);
}
