/*
 * Debug registers and single step (cpu/debug.c): instruction, data and
 * I/O breakpoints, DR6 status bits, RF, TF, general detect and the
 * DR4/DR5 aliases.  Machines come from cpu-harness.h.
 */
#include "cpu/cpu.h"
#include "cpu-harness.h"
#include "unit.h"

static struct harness h;
static struct cpu *c;

static void setup(enum h_mode m)
{
    CU_ASSERT_FATAL(h_init(&h, m) == 0);
    c = &h.cpu;
}

static void teardown(void)
{
    h_destroy(&h);
}

static void run_exit(void)
{
    c->ring0_exits = true;
    CU_ASSERT_EQUAL(h_run(&h, 1000), STOP_REQUEST);
    CU_ASSERT_EQUAL(h.nexits, 1);
}

static void test_insn_breakpoint_and_rf(void)
{
    setup(H_PROT32);
    c->dr[0] = H_CODE + 1;
    c->dr[7] = 0x401;                                   /* L0, execute */
    H_CODE_AT(&h, H_CODE, 0x90, 0x90, 0xf4);
    run_exit();
    CU_ASSERT_EQUAL(h.ev.kind, EV_EXCEPTION);
    CU_ASSERT_EQUAL(h.ev.vector, EXC_DB);
    CU_ASSERT_EQUAL(h.ev.rip, H_CODE + 1);              /* a fault */
    CU_ASSERT_EQUAL(h.exit_rip, H_CODE + 1);
    CU_ASSERT_EQUAL(c->dr[6] & 0xf, 1);
    /* RF = 1 skips the breakpoint once, and is cleared afterwards. */
    cpu_set_rflags(c, cpu_get_rflags(c) | FL_RF);
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(c->rip, H_CODE + 3);
    CU_ASSERT_EQUAL(h.nexits, 1);
    CU_ASSERT_FALSE(c->rflags & FL_RF);
    teardown();

    setup(H_LONG64);                       /* delivered: RF = 0 in frame */
    c->dr[0] = H_CODE + 1;
    c->dr[7] = 0x402;                                   /* G0 */
    H_CODE_AT(&h, H_CODE, 0x90, 0x90, 0xf4);
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(h_vector(&h), EXC_DB);
    CU_ASSERT_EQUAL(h_stack(&h, 0, 8), H_CODE + 1);
    CU_ASSERT_FALSE(h_stack(&h, 2, 8) & FL_RF);
    teardown();
}

static void test_data_breakpoints(void)
{
    setup(H_PROT32);
    c->dr[1] = H_DATA + 2;
    c->dr[7] = 0x400 | 1u << 2 | 1u << 20 | 3u << 22;   /* L1, write, 4 */
    c->r[R_AX] = 0xdeadbeef;
    H_CODE_AT(&h, H_CODE,
              0xa1, 0x00, 0x00, 0x05, 0x00,             /* mov eax, [H_DATA] */
              0xa3, 0x02, 0x00, 0x05, 0x00,             /* mov [H_DATA+2], eax */
              0x90, 0xf4);
    run_exit();
    CU_ASSERT_EQUAL(h.ev.vector, EXC_DB);
    CU_ASSERT_EQUAL(h.ev.rip, H_CODE + 10);             /* a trap */
    CU_ASSERT_EQUAL(h.exit_rip, H_CODE + 10);
    CU_ASSERT_EQUAL(c->dr[6] & 0xf, 2);
    CU_ASSERT_EQUAL(h_load(&h, H_DATA + 2, 4), 0);      /* eax was loaded */
    teardown();

    setup(H_LONG64);                       /* read/write, 8 bytes */
    c->dr[3] = H_DATA + 0x10;
    c->dr[7] = 0x400 | 1u << 6 | 3u << 28 | 2u << 30;
    H_CODE_AT(&h, H_CODE,
              0x8b, 0x04, 0x25, 0x17, 0x00, 0x05, 0x00, /* mov eax, [H_DATA+0x17] */
              0xf4);
    run_exit();
    CU_ASSERT_EQUAL(h.ev.vector, EXC_DB);
    CU_ASSERT_EQUAL(c->dr[6] & 0xf, 8);
    teardown();

    setup(H_LONG64);                       /* no overlap: no trap */
    c->dr[3] = H_DATA + 0x10;
    c->dr[7] = 0x400 | 1u << 6 | 3u << 28 | 2u << 30;
    H_CODE_AT(&h, H_CODE, 0x8b, 0x04, 0x25, 0x18, 0x00, 0x05, 0x00, 0xf4);
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    teardown();
}

static void test_io_breakpoint(void)
{
    setup(H_PROT32);
    c->cr4 |= CR4_DE;
    c->dr[2] = 0x80;
    c->dr[7] = 0x400 | 1u << 4 | 2u << 24;              /* L2, I/O, 1 */
    H_CODE_AT(&h, H_CODE, 0xe6, 0x80, 0x90);
    run_exit();
    CU_ASSERT_EQUAL(h.ev.vector, EXC_DB);
    CU_ASSERT_EQUAL(h.ev.rip, H_CODE + 2);
    CU_ASSERT_EQUAL(c->dr[6] & 0xf, 4);
    teardown();
}

static void test_single_step(void)
{
    setup(H_PROT32);
    cpu_set_rflags(c, 2 | FL_TF);
    H_CODE_AT(&h, H_CODE, 0x90, 0x90, 0xf4);
    run_exit();
    CU_ASSERT_EQUAL(h.ev.vector, EXC_DB);
    CU_ASSERT_EQUAL(h.ev.rip, H_CODE + 1);
    CU_ASSERT_TRUE(c->dr[6] & (1u << 14));              /* BS */
    teardown();

    setup(H_PROT32);                       /* delivered; TF off in handler */
    cpu_set_rflags(c, 2 | FL_TF);
    H_CODE_AT(&h, H_CODE, 0x90, 0x90, 0xf4);
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(h_vector(&h), EXC_DB);
    CU_ASSERT_EQUAL(h_stack(&h, 0, 4), H_CODE + 1);
    CU_ASSERT_TRUE(h_stack(&h, 2, 4) & FL_TF);
    CU_ASSERT_FALSE(c->rflags & FL_TF);
    teardown();

    setup(H_PROT32);                       /* INT n: no single-step trap */
    cpu_set_rflags(c, 2 | FL_TF);
    H_CODE_AT(&h, H_CODE, 0xcd, 0x80);
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(h_vector(&h), 0x80);
    CU_ASSERT_FALSE(c->dr[6] & (1u << 14));
    teardown();

    setup(H_PROT32);                       /* POPF setting TF: trap later */
    H_CODE_AT(&h, H_CODE, 0x68, 0x02, 0x01, 0, 0, 0x9d, 0x90, 0x90);
    run_exit();
    CU_ASSERT_EQUAL(h.ev.vector, EXC_DB);
    CU_ASSERT_EQUAL(h.ev.rip, H_CODE + 7);              /* after the nop */
    teardown();
}

static void test_debug_register_access(void)
{
    setup(H_PROT32);                       /* DR4 aliases DR6 */
    H_CODE_AT(&h, H_CODE, 0x0f, 0x21, 0xe0, 0xf4);      /* mov eax, dr4 */
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(c->r[R_AX], 0xffff0ff0);
    teardown();

    setup(H_PROT32);                       /* ...unless CR4.DE */
    c->cr4 |= CR4_DE;
    H_CODE_AT(&h, H_CODE, 0x0f, 0x21, 0xe0);
    run_exit();
    CU_ASSERT_EQUAL(h.ev.vector, EXC_UD);
    teardown();

    setup(H_PROT32);                       /* DR6 fixed bits */
    c->r[R_AX] = 0;
    H_CODE_AT(&h, H_CODE, 0x0f, 0x23, 0xf0, 0xf4);      /* mov dr6, eax */
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(c->dr[6], 0xffff0ff0);
    teardown();

    setup(H_LONG64);                       /* DR7 upper half: #GP */
    c->r[R_AX] = 1ull << 32;
    H_CODE_AT(&h, H_CODE, 0x0f, 0x23, 0xf8);
    run_exit();
    CU_ASSERT_EQUAL(h.ev.vector, EXC_GP);
    teardown();

    setup(H_PROT32);                       /* general detect */
    c->dr[7] = 0x400 | (1u << 13);
    H_CODE_AT(&h, H_CODE, 0x90, 0x0f, 0x21, 0xc0);
    run_exit();
    CU_ASSERT_EQUAL(h.ev.vector, EXC_DB);
    CU_ASSERT_EQUAL(h.ev.rip, H_CODE + 1);
    CU_ASSERT_TRUE(c->dr[6] & (1u << 13));              /* BD */
    CU_ASSERT_FALSE(c->dr[7] & (1u << 13));
    teardown();

    setup(H_PROT32);                       /* CPL 3: #GP */
    h_to_user(&h, H_UCODE, H_USTACK);
    H_CODE_AT(&h, H_UCODE, 0x0f, 0x21, 0xc0);
    run_exit();
    CU_ASSERT_EQUAL(h.ev.vector, EXC_GP);
    teardown();
}

UNIT_SUITE(cpu_debug)
{
    CU_pSuite s = CU_add_suite("cpu_debug", NULL, NULL);
    UNIT_TEST(s, test_insn_breakpoint_and_rf);
    UNIT_TEST(s, test_data_breakpoints);
    UNIT_TEST(s, test_io_breakpoint);
    UNIT_TEST(s, test_single_step);
    UNIT_TEST(s, test_debug_register_access);
}
