/*
 * The debugger interface of the CPU (cpu.h struct cpu_debug_hooks,
 * cpu/debugger.c): stops before an instruction in a checked page, data
 * accesses reported with their physical address, CR3/CPL/event
 * notifications, cpu_debug_stop, and that the instruction count is the
 * same as without a debugger.  Machines come from cpu-harness.h.
 */
#include "cpu/cpu.h"
#include "cpu-harness.h"
#include "unit.h"

static struct harness h;
static struct cpu *c;

/* What the hooks saw and what they answer. */
static struct {
    uint64_t break_at;          /* before_insn: stop here (0: never) */
    uint64_t skip_icount;       /* ...but not at this icount (resume) */
    uint64_t check_page;        /* code_page: true for this linear page */
    unsigned pages, insns;
    unsigned accesses;
    uint64_t la, pa;
    unsigned size;
    bool write, stop_on_access;
    unsigned cr3_writes;
    uint64_t old_cr3;
    unsigned cpl_changes, old_cpl, new_cpl;
    uint64_t insn_rip;
    unsigned events;
    struct cpu_event ev;
    bool stop_on_event;
} seen;

static bool code_page(void *opaque, struct cpu *cpu, uint64_t la, uint64_t pa)
{
    (void)opaque;
    (void)cpu;
    (void)pa;
    seen.pages++;
    return la == seen.check_page;
}

static bool before_insn(void *opaque, struct cpu *cpu)
{
    (void)opaque;
    seen.insns++;
    return cpu->rip == seen.break_at && cpu->icount != seen.skip_icount;
}

static bool data_access(void *opaque, struct cpu *cpu, uint64_t la,
                        uint64_t pa, unsigned size, bool write)
{
    (void)opaque;
    (void)cpu;
    seen.accesses++;
    seen.la = la;
    seen.pa = pa;
    seen.size = size;
    seen.write = write;
    return seen.stop_on_access;
}

static void cr3_write(void *opaque, struct cpu *cpu, uint64_t old)
{
    (void)opaque;
    seen.cr3_writes++;
    seen.old_cr3 = old;
    cpu_debug_stop(cpu);
}

static void cpl_change(void *opaque, struct cpu *cpu, unsigned old,
                       uint64_t insn_rip)
{
    (void)opaque;
    seen.insn_rip = insn_rip;
    seen.cpl_changes++;
    seen.old_cpl = old;
    seen.new_cpl = cpu->cpl;
}

static void event(void *opaque, struct cpu *cpu, const struct cpu_event *ev)
{
    (void)opaque;
    seen.events++;
    seen.ev = *ev;
    if (seen.stop_on_event)
        cpu_debug_stop(cpu);
}

static void setup(enum h_mode m)
{
    CU_ASSERT_FATAL(h_init(&h, m) == 0);
    c = &h.cpu;
    seen = (__typeof__(seen)){ 0 };
    c->debug = (struct cpu_debug_hooks){
        .code_page = code_page, .before_insn = before_insn,
        .data_access = data_access, .cr3_write = cr3_write,
        .cpl_change = cpl_change, .event = event,
    };
}

static void teardown(void)
{
    h_destroy(&h);
}

/* Ten NOPs, a HLT. */
static void nops(void)
{
    H_CODE_AT(&h, H_CODE, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90,
              0x90, 0x90, 0xf4);
}

static void test_break_before_insn(void)
{
    setup(H_LONG64);
    nops();
    c->debug_active = true;
    seen.check_page = H_CODE;
    seen.break_at = H_CODE + 3;
    CU_ASSERT_EQUAL(h_run(&h, 1000), STOP_DEBUG);
    CU_ASSERT_EQUAL(c->rip, H_CODE + 3);               /* not executed */
    CU_ASSERT_EQUAL(c->icount, 3);
    CU_ASSERT_FALSE(c->debug_stop);
    /* Resume past it (the debugger's skip), run to the HLT. */
    seen.skip_icount = c->icount;
    CU_ASSERT_EQUAL(h_run(&h, 1000), STOP_HLT);
    CU_ASSERT_EQUAL(c->icount, 11);
    CU_ASSERT_EQUAL(seen.insns, 12);       /* each insn, the stop twice */
    teardown();
}

static void test_unchecked_page_runs_blocks(void)
{
    setup(H_LONG64);
    nops();
    c->debug_active = true;
    seen.check_page = H_CODE + 0x1000;     /* another page */
    seen.break_at = H_CODE + 3;
    CU_ASSERT_EQUAL(h_run(&h, 1000), STOP_HLT);
    CU_ASSERT_EQUAL(c->icount, 11);
    CU_ASSERT_EQUAL(seen.insns, 0);
    CU_ASSERT_TRUE(seen.pages >= 1);
    teardown();

    setup(H_LONG64);                       /* inactive: no hook at all */
    nops();
    seen.check_page = H_CODE;
    seen.break_at = H_CODE + 3;
    CU_ASSERT_EQUAL(h_run(&h, 1000), STOP_HLT);
    CU_ASSERT_EQUAL(seen.pages + seen.insns, 0);
    teardown();
}

static void test_watch_reports_access(void)
{
    setup(H_LONG64);
    c->r[R_AX] = 0x11223344;
    H_CODE_AT(&h, H_CODE,
              0x89, 0x04, 0x25, 0x08, 0x00, 0x05, 0x00, /* mov [H_DATA+8], eax */
              0x90, 0x90, 0xf4);
    c->debug_watch = true;
    cpu_debug_update(c);
    seen.stop_on_access = true;
    CU_ASSERT_EQUAL(h_run(&h, 1000), STOP_DEBUG);
    CU_ASSERT_EQUAL(c->rip, H_CODE + 7);               /* after the store */
    CU_ASSERT_EQUAL(c->icount, 1);
    CU_ASSERT_EQUAL(seen.accesses, 1);
    CU_ASSERT_EQUAL(seen.la, H_DATA + 8);
    CU_ASSERT_EQUAL(seen.pa, H_DATA + 8);
    CU_ASSERT_EQUAL(seen.size, 4);
    CU_ASSERT_TRUE(seen.write);
    CU_ASSERT_EQUAL(h_load(&h, H_DATA + 8, 4), 0x11223344);
    seen.stop_on_access = false;
    CU_ASSERT_EQUAL(h_run(&h, 1000), STOP_HLT);
    CU_ASSERT_EQUAL(c->icount, 4);
    teardown();

    setup(H_LONG64);                       /* a read crossing a page */
    H_CODE_AT(&h, H_CODE,
              0x48, 0x8b, 0x04, 0x25, 0xfc, 0x0f, 0x05, 0x00, /* mov rax, [H_DATA+0xffc] */
              0xf4);
    c->debug_watch = true;
    cpu_debug_update(c);
    CU_ASSERT_EQUAL(h_run(&h, 1000), STOP_HLT);
    CU_ASSERT_EQUAL(seen.accesses, 2);
    CU_ASSERT_EQUAL(seen.la, H_DATA + 0x1000);
    CU_ASSERT_EQUAL(seen.size, 4);
    CU_ASSERT_FALSE(seen.write);
    teardown();
}

static void test_notifications(void)
{
    setup(H_LONG64);                       /* mov cr3, rax; nop; hlt */
    c->r[R_AX] = c->cr3;
    H_CODE_AT(&h, H_CODE, 0x0f, 0x22, 0xd8, 0x90, 0xf4);
    CU_ASSERT_EQUAL(h_run(&h, 1000), STOP_DEBUG);
    CU_ASSERT_EQUAL(seen.cr3_writes, 1);
    CU_ASSERT_EQUAL(seen.old_cr3, H_PML4);
    CU_ASSERT_EQUAL(c->rip, H_CODE + 3);
    CU_ASSERT_EQUAL(c->icount, 1);
    CU_ASSERT_EQUAL(h_run(&h, 1000), STOP_HLT);
    teardown();

    setup(H_LONG64);                       /* int 0x80 from ring 3 */
    h_gate(&h, 0x80, H_KCS64, H_HANDLERS + 8 * 0x80, 0xe, 3, 0);
    H_CODE_AT(&h, H_UCODE, 0xcd, 0x80);
    h_to_user(&h, H_UCODE, H_USTACK);
    seen.stop_on_event = true;
    CU_ASSERT_EQUAL(seen.cpl_changes, 1);              /* 0 -> 3 */
    CU_ASSERT_EQUAL(h_run(&h, 1000), STOP_DEBUG);
    CU_ASSERT_EQUAL(seen.events, 1);
    CU_ASSERT_EQUAL(seen.ev.kind, EV_SOFTINT);
    CU_ASSERT_EQUAL(seen.ev.vector, 0x80);
    CU_ASSERT_EQUAL(seen.cpl_changes, 2);
    CU_ASSERT_EQUAL(seen.old_cpl, 3);
    CU_ASSERT_EQUAL(seen.new_cpl, 0);
    CU_ASSERT_EQUAL(seen.insn_rip, H_UCODE);           /* the int 0x80 */
    CU_ASSERT_EQUAL(c->rip, H_HANDLERS + 8 * 0x80);    /* delivered */
    teardown();
}

/* A debugger stop does not change what runs: the same count and state as
 * a run without one. */
static void test_same_count_as_without(void)
{
    static const uint8_t loop[] = {
        0xb9, 0x64, 0x00, 0x00, 0x00,       /* mov ecx, 100 */
        0x48, 0x01, 0xc8,                   /* add rax, rcx */
        0xe2, 0xfb,                         /* loop -5 */
        0xf4,
    };
    uint64_t plain_rax, plain_icount;

    setup(H_LONG64);
    h_code(&h, H_CODE, loop, sizeof(loop));
    CU_ASSERT_EQUAL(h_run(&h, 100000), STOP_HLT);
    plain_rax = c->r[R_AX];
    plain_icount = c->icount;
    teardown();

    setup(H_LONG64);
    h_code(&h, H_CODE, loop, sizeof(loop));
    c->debug_active = true;
    seen.check_page = H_CODE;
    seen.break_at = H_CODE + 5;
    for (unsigned stops = 0; stops < 100; stops++) {
        CU_ASSERT_EQUAL_FATAL(h_run(&h, 100000), STOP_DEBUG);
        seen.skip_icount = c->icount;
    }
    CU_ASSERT_EQUAL(h_run(&h, 100000), STOP_HLT);
    CU_ASSERT_EQUAL(c->r[R_AX], plain_rax);
    CU_ASSERT_EQUAL(c->icount, plain_icount);
    teardown();
}

/* The trace hook: once before every instruction, in order, and the run
 * is the same as without it. */
static uint64_t traced, trace_next_icount;
static bool trace_in_order;

static void trace(void *opaque, struct cpu *cpu)
{
    (void)opaque;
    if (cpu->icount != trace_next_icount)
        trace_in_order = false;
    trace_next_icount = cpu->icount + 1;
    traced++;
}

static void test_trace_hook(void)
{
    static const uint8_t loop[] = {
        0xb9, 0x64, 0x00, 0x00, 0x00,       /* mov ecx, 100 */
        0x48, 0x01, 0xc8,                   /* add rax, rcx */
        0xe2, 0xfb,                         /* loop -5 */
        0xf4,
    };

    setup(H_LONG64);
    h_code(&h, H_CODE, loop, sizeof(loop));
    traced = trace_next_icount = 0;
    trace_in_order = true;
    c->hooks.trace_insn = trace;
    CU_ASSERT_EQUAL(h_run(&h, 100000), STOP_HLT);
    CU_ASSERT_EQUAL(c->icount, 1 + 2 * 100 + 1);
    CU_ASSERT_EQUAL(traced, c->icount);
    CU_ASSERT_TRUE(trace_in_order);
    CU_ASSERT_EQUAL(c->r[R_AX], 5050);
    teardown();
}

UNIT_SUITE(cpu_debugger)
{
    CU_pSuite s = CU_add_suite("cpu_debugger", NULL, NULL);
    UNIT_TEST(s, test_break_before_insn);
    UNIT_TEST(s, test_unchecked_page_runs_blocks);
    UNIT_TEST(s, test_watch_reports_access);
    UNIT_TEST(s, test_notifications);
    UNIT_TEST(s, test_same_count_as_without);
    UNIT_TEST(s, test_trace_hook);
}
