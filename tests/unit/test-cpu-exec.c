/*
 * The run loop (cpu/exec.c): exact instruction counts at every point the
 * machine can observe them (faults, MMIO and port callbacks, the budget),
 * code that modifies its own block, blocks cached under an older CS
 * limit, blocks that a taken Jcc leaves in the middle and blocks that go
 * on through a direct jump.  Machines come
 * from cpu-harness.h; code bytes are hand-assembled.
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

/* A page-fault exit in the middle of a block: the instructions before it
 * retired, the faulting one did not. */
static void test_icount_at_fault(void)
{
    setup(H_LONG64);
    c->ring0_exits = true;
    H_CODE_AT(&h, H_CODE,
              0xb8, 1, 0, 0, 0,                     /* mov eax, 1 */
              0xb9, 2, 0, 0, 0,                     /* mov ecx, 2 */
              0x01, 0xc8,                           /* add eax, ecx */
              0x48, 0x8b, 0x04, 0x25, 0, 0, 0, 0x80, /* mov rax, [-2G] */
              0xf4);
    CU_ASSERT_EQUAL(h_run(&h, 1000), STOP_REQUEST);
    CU_ASSERT_EQUAL(h.nexits, 1);
    CU_ASSERT_EQUAL(h.ev.vector, EXC_PF);
    CU_ASSERT_EQUAL(h.exit_rip, H_CODE + 12);
    CU_ASSERT_EQUAL(c->icount, 3);
    CU_ASSERT_EQUAL(c->r[R_AX], 3);
    teardown();
}

#define MMIO_BASE 0x10000000u     /* mapped by the harness, not RAM */

static uint64_t mmio_write_icount;

static uint64_t mmio_read(void *opaque, uint64_t addr, unsigned size)
{
    (void)addr;
    (void)size;
    return ((struct cpu *)opaque)->icount;
}

static void mmio_write(void *opaque, uint64_t addr, unsigned size,
                       uint64_t v)
{
    (void)addr;
    (void)size;
    (void)v;
    mmio_write_icount = ((struct cpu *)opaque)->icount;
}

static uint64_t pio_write_icount;

static void pio_write(void *opaque, uint16_t port, unsigned size,
                      uint32_t v)
{
    (void)port;
    (void)size;
    (void)v;
    pio_write_icount = ((struct cpu *)opaque)->icount;
}

/* MMIO and port callbacks in the middle of a block see the exact count:
 * the instructions before the access. */
static void test_icount_in_callbacks(void)
{
    setup(H_LONG64);
    CU_ASSERT_FATAL(mem_add_mmio(&h.mem, MMIO_BASE, PAGE_SIZE, mmio_read,
                                 mmio_write, c) == 0);
    h.mem.pio_write = pio_write;
    h.mem.pio_opaque = c;
    mmio_write_icount = pio_write_icount = 0;
    H_CODE_AT(&h, H_CODE,
              0x0f, 0x1f, 0x00, 0x0f, 0x1f, 0x00, 0x90,  /* 3 nops */
              0x89, 0x04, 0x25, 8, 0, 0, 0x10,       /* mov [MMIO+8], eax */
              0x8b, 0x04, 0x25, 0, 0, 0, 0x10,       /* mov eax, [MMIO] */
              0xe6, 0x80,                            /* out 0x80, al */
              0xf4);
    CU_ASSERT_EQUAL(h_run(&h, 1000), STOP_HLT);
    CU_ASSERT_EQUAL(mmio_write_icount, 3);
    CU_ASSERT_EQUAL(c->r[R_AX], 4);
    CU_ASSERT_EQUAL(pio_write_icount, 5);
    CU_ASSERT_EQUAL(c->icount, 7);
    teardown();
}

/* A store into the running block takes effect on the next instruction. */
static void test_store_into_own_block(void)
{
    setup(H_LONG64);
    H_CODE_AT(&h, H_CODE,
              0xb0, 7,                              /* mov al, 7 */
              0x88, 0x05, 1, 0, 0, 0,               /* mov [rip+1], al */
              0xb1, 1,                              /* mov cl, 1: imm -> 7 */
              0xf4);
    CU_ASSERT_EQUAL(h_run(&h, 1000), STOP_HLT);
    CU_ASSERT_EQUAL(c->r[R_CX] & 0xff, 7);
    CU_ASSERT_EQUAL(h_load(&h, H_CODE + 9, 1), 7);
    CU_ASSERT_EQUAL(c->icount, 4);
    teardown();
}

/* A block decoded under a flat CS runs only up to a smaller limit once CS
 * is reloaded: #GP at the first byte past it. */
static void test_cs_limit_after_reload(void)
{
    setup(H_PROT32);
    H_CODE_AT(&h, H_CODE, 0x90, 0x90, 0x90, 0x90, 0xf4);
    CU_ASSERT_EQUAL(h_run(&h, 1000), STOP_HLT);
    CU_ASSERT_EQUAL(c->icount, 5);

    h_gdt_set(&h, H_FREE, h_desc(0, H_CODE + 1, 0x9b, 0x4));
    h_load_seg(&h, SEG_CS, H_FREE);
    c->rip = H_CODE;
    c->halted = false;
    c->ring0_exits = true;
    CU_ASSERT_EQUAL(h_run(&h, 1000), STOP_REQUEST);
    CU_ASSERT_EQUAL(h.ev.vector, EXC_GP);
    CU_ASSERT_EQUAL(h.exit_rip, H_CODE + 2);
    CU_ASSERT_EQUAL(c->icount, 7);
    teardown();
}

/* A loop whose taken Jcc leaves its block and whose last pass falls
 * through; budgets that end inside blocks stop exactly there. */
static void test_loop_and_budget(void)
{
    static const uint8_t code[] = {
        0xb9, 5, 0, 0, 0,                           /* mov ecx, 5 */
        0x83, 0xe9, 0x01,                           /* L: sub ecx, 1 */
        0x75, 0xfb,                                 /* jnz L */
        0xf4,
    };

    setup(H_LONG64);
    h_code(&h, H_CODE, code, sizeof(code));
    CU_ASSERT_EQUAL(h_run(&h, 1000), STOP_HLT);
    CU_ASSERT_EQUAL(c->r[R_CX], 0);
    CU_ASSERT_EQUAL(c->icount, 12);
    teardown();

    setup(H_LONG64);
    h_code(&h, H_CODE, code, sizeof(code));
    CU_ASSERT_EQUAL(h_run(&h, 6), STOP_BUDGET);
    CU_ASSERT_EQUAL(c->icount, 6);
    CU_ASSERT_EQUAL(c->r[R_CX], 2);
    CU_ASSERT_EQUAL(c->rip, H_CODE + 8);        /* at the third jnz */
    CU_ASSERT_EQUAL(h_run(&h, 1000), STOP_HLT);
    CU_ASSERT_EQUAL(c->icount, 12);
    teardown();

    /* 150 one-instruction NOPs: blocks of 64, a budget ending in one. */
    setup(H_LONG64);
    for (unsigned k = 0; k < 150; k++)
        H_CODE_AT(&h, H_CODE + 3 * k, 0x0f, 0x1f, 0x00);
    H_CODE_AT(&h, H_CODE + 450, 0xf4);
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_BUDGET);
    CU_ASSERT_EQUAL(c->icount, 100);
    CU_ASSERT_EQUAL(c->rip, H_CODE + 300);
    CU_ASSERT_EQUAL(h_run(&h, 1000), STOP_HLT);
    CU_ASSERT_EQUAL(c->icount, 151);
    teardown();
}

/* A direct jump within the page does not end its block (64-bit mode): the
 * block goes on at the target, the jump still retires, and the code it
 * jumped over never runs. */
static void test_followed_jump(void)
{
    setup(H_LONG64);
    H_CODE_AT(&h, H_CODE,
              0xb9, 3, 0, 0, 0,                     /* mov ecx, 3 */
              0xeb, 0x02,                           /* jmp +2 */
              0x0f, 0x0b,                           /* ud2 (jumped over) */
              0x83, 0xe9, 0x01,                     /* L: sub ecx, 1 */
              0x74, 0x02,                           /* jz out */
              0xeb, 0xf9,                           /* jmp L */
              0xf4);                                /* out: hlt */
    CU_ASSERT_EQUAL(h_run(&h, 1000), STOP_HLT);
    CU_ASSERT_EQUAL(c->rip, H_CODE + 17);
    CU_ASSERT_EQUAL(c->r[R_CX], 0);
    CU_ASSERT_EQUAL(c->icount, 1 + 1 + 3 * 2 + 2 + 1);
    teardown();

    /* A guest store into the code a jump leads to takes effect. */
    setup(H_LONG64);
    H_CODE_AT(&h, H_CODE,
              0xeb, 0x02, 0x0f, 0x0b,               /* jmp +2; ud2 */
              0xb1, 0x01,                           /* mov cl, 1 */
              0xf4);
    H_CODE_AT(&h, H_CODE + 0x40,
              0xb0, 9,                              /* mov al, 9 */
              0x88, 0x04, 0x25, 0x05, 0, 0x01, 0,   /* mov [H_CODE+5], al */
              0xf4);
    CU_ASSERT_EQUAL(h_run(&h, 1000), STOP_HLT);
    CU_ASSERT_EQUAL(c->r[R_CX] & 0xff, 1);
    c->rip = H_CODE + 0x40;
    c->halted = false;
    CU_ASSERT_EQUAL(h_run(&h, 1000), STOP_HLT);
    c->rip = H_CODE;
    c->halted = false;
    CU_ASSERT_EQUAL(h_run(&h, 1000), STOP_HLT);
    CU_ASSERT_EQUAL(c->r[R_CX] & 0xff, 9);
    teardown();
}

UNIT_SUITE(cpu_exec)
{
    CU_pSuite s = CU_add_suite("cpu_exec", NULL, NULL);
    UNIT_TEST(s, test_icount_at_fault);
    UNIT_TEST(s, test_icount_in_callbacks);
    UNIT_TEST(s, test_store_into_own_block);
    UNIT_TEST(s, test_cs_limit_after_reload);
    UNIT_TEST(s, test_loop_and_budget);
    UNIT_TEST(s, test_followed_jump);
}
