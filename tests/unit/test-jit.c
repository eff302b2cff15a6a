/*
 * The JIT against the interpreter: random 64-bit programs (the forms the
 * JIT translates, memory accesses, pushes and pops, every condition after
 * every kind of flag setter, calls and returns, branches within and
 * across pages) run from the same state once interpreted and once with
 * every block compiled on its first entry; registers, flags, memory,
 * RIP and icount must come out the same.  On a host without a JIT back
 * end both runs interpret, and the test checks the interpreter against
 * itself.
 */
#include <CUnit/CUnit.h>
#include <string.h>
#include "tests/unit/unit.h"
#include "tests/unit/cpu-harness.h"

#define PROG_AT  H_CODE
#define FAR_FN   (H_CODE + 0x3000)     /* a function in another page */
#define DATA_LEN 256
#define LOOPS    24

struct prog {
    uint8_t b[0x2800];
    size_t n;
    uint64_t seed;
};

static unsigned rnd(struct prog *p, unsigned n)
{
    p->seed = p->seed * 6364136223846793005ull + 1442695040888963407ull;
    return (unsigned)((p->seed >> 33) % n);
}

static void put(struct prog *p, unsigned v)
{
    p->b[p->n++] = (uint8_t)v;
}

/* A register for random operands: any but RSP (the stack), RBX (the data
 * pointer) and R15 (the loop counter). */
static unsigned any_reg(struct prog *p)
{
    static const uint8_t regs[] = { 0, 1, 2, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14 };
    return regs[rnd(p, sizeof(regs))];
}

/* REX (W, reg, rm) then opcode bytes and a register-direct ModRM. */
static void op_rr(struct prog *p, bool w, unsigned op, unsigned reg,
                  unsigned rm)
{
    unsigned rex = 0x40 | (w ? 8 : 0) | (reg & 8 ? 4 : 0) | (rm & 8 ? 1 : 0);
    if (rex != 0x40)
        put(p, rex);
    if (op > 0xff)
        put(p, op >> 8);
    put(p, op & 0xff);
    put(p, 0xc0 | (reg & 7) << 3 | (rm & 7));
}

/* The same with [rbx + disp8] as the memory operand. */
static void op_rm(struct prog *p, bool w, unsigned op, unsigned reg,
                  unsigned disp)
{
    unsigned rex = 0x40 | (w ? 8 : 0) | (reg & 8 ? 4 : 0);
    if (rex != 0x40)
        put(p, rex);
    if (op > 0xff)
        put(p, op >> 8);
    put(p, op & 0xff);
    put(p, 0x43 | (reg & 7) << 3);
    put(p, disp);
}

static void emit_random_insn(struct prog *p)
{
    static const uint8_t alu_rr[] = { 0x01, 0x09, 0x11, 0x19, 0x21, 0x29,
                                      0x31, 0x39, 0x85, 0x89, 0x8b, 0x03 };
    unsigned r1 = any_reg(p), r2 = any_reg(p), disp = rnd(p, DATA_LEN - 8);
    bool w = rnd(p, 2);

    switch (rnd(p, 22)) {
    case 0: case 1: case 2:
        op_rr(p, w, alu_rr[rnd(p, sizeof(alu_rr))], r1, r2);
        break;
    case 3:                                          /* ALU r, imm8 */
        op_rr(p, w, 0x83, rnd(p, 8), r1);
        put(p, rnd(p, 256));
        break;
    case 4:                                          /* ALU r, imm32 */
        op_rr(p, w, 0x81, rnd(p, 8), r1);
        for (int k = 0; k < 4; k++)
            put(p, rnd(p, 256));
        break;
    case 5:                                          /* INC/DEC */
        op_rr(p, w, 0xff, rnd(p, 2), r1);
        break;
    case 6:                                          /* SHL/SHR/SAR imm */
        op_rr(p, w, 0xc1, (unsigned[]){ 4, 5, 7 }[rnd(p, 3)], r1);
        put(p, rnd(p, 70));
        break;
    case 7:                                          /* MOVZX r32, r8 */
        op_rr(p, false, 0x0fb6, r1, rnd(p, 8));
        break;
    case 8:
        op_rr(p, true, 0x63, r1, r2);                /* MOVSXD */
        break;
    case 9:                                          /* MOV r, [rbx+d] */
        op_rm(p, w, 0x8b, r1, disp);
        break;
    case 10:                                         /* MOV [rbx+d], r */
        op_rm(p, w, 0x89, r1, disp);
        break;
    case 11:                                         /* MOV [rbx+d], r8 */
        op_rm(p, false, 0x88, r1 & 7, disp);
        break;
    case 12:                                         /* MOVZX, MOVSXD m */
        op_rm(p, rnd(p, 2), rnd(p, 2) ? 0x0fb6 : 0x63, r1, disp);
        break;
    case 13:                                         /* CMP byte [rbx+d], i */
        op_rm(p, false, 0x80, 7, disp);
        put(p, rnd(p, 256));
        break;
    case 14:                                         /* XOR/ADD r, [rbx+d] */
        op_rm(p, w, rnd(p, 2) ? 0x33 : 0x03, r1, disp);
        break;
    case 15:                                         /* LEA r, [rbx+r*s+d] */
        put(p, 0x48 | (r1 & 8 ? 4 : 0) | (r2 & 8 ? 2 : 0));
        put(p, 0x8d);
        put(p, 0x44 | (r1 & 7) << 3);
        put(p, rnd(p, 4) << 6 | (r2 & 7) << 3 | 3);
        put(p, disp);
        break;
    case 16:                                         /* PUSH r; POP r' */
        if (r1 & 8) put(p, 0x41);
        put(p, 0x50 + (r1 & 7));
        if (r2 & 8) put(p, 0x41);
        put(p, 0x58 + (r2 & 7));
        break;
    case 17: case 18: {                              /* Jcc over one insn */
        size_t at = p->n;
        put(p, 0x70 + rnd(p, 16));
        put(p, 0);
        emit_random_insn(p);
        p->b[at + 1] = (uint8_t)(p->n - at - 2);
        break;
    }
    case 19:                                         /* SETcc, CMOVcc */
        if (rnd(p, 2))
            op_rr(p, false, 0x0f90 + rnd(p, 16), 0, r1 & 7);
        else
            op_rr(p, w, 0x0f40 + rnd(p, 16), r1, r2);
        break;
    case 20: {                                       /* CALL the far function */
        int32_t rel = (int32_t)(FAR_FN - (PROG_AT + p->n + 5));
        put(p, 0xe8);
        for (int k = 0; k < 4; k++)
            put(p, ((uint32_t)rel >> (8 * k)) & 0xff);
        break;
    }
    default:                                         /* MOV r32, imm32 */
        if (r1 & 8) put(p, 0x41);
        put(p, 0xb8 + (r1 & 7));
        for (int k = 0; k < 4; k++)
            put(p, rnd(p, 256));
        break;
    }
}

/* The loop: body, dec r15, jnz top (rel32: the body may be long), hlt. */
static void build(struct prog *p, unsigned len)
{
    p->n = 0;
    for (unsigned k = 0; k < len; k++)
        emit_random_insn(p);
    put(p, 0x49); put(p, 0xff); put(p, 0xcf);           /* dec r15 */
    int32_t rel = -(int32_t)(p->n + 6);
    put(p, 0x0f); put(p, 0x85);
    for (int k = 0; k < 4; k++)
        put(p, ((uint32_t)rel >> (8 * k)) & 0xff);
    put(p, 0xf4);                                       /* hlt */
}

struct outcome {
    uint64_t r[16], rip, rflags, icount;
    uint8_t data[DATA_LEN], stack[64];
    enum cpu_stop why;
};

static void run_prog(const struct prog *p, uint64_t seed, unsigned jit,
                     struct outcome *o)
{
    struct harness h;
    struct prog st = { .seed = seed };

    CU_ASSERT_FATAL(h_init(&h, H_LONG64) == 0);
    cpu_set_jit(&h.cpu, jit);
    h_code(&h, PROG_AT, p->b, p->n);
    /* the far function: add rax, r15; ret */
    H_CODE_AT(&h, FAR_FN, 0x4c, 0x01, 0xf8, 0xc3);
    for (unsigned k = 0; k < 16; k++)
        h.cpu.r[k] = (uint64_t)rnd(&st, 1u << 31) << 33 ^ rnd(&st, 1u << 31);
    for (unsigned k = 0; k < DATA_LEN; k++)
        h_store(&h, H_DATA + k, 1, rnd(&st, 256));
    h.cpu.r[3] = H_DATA;
    h.cpu.r[4] = H_KSTACK - 64;
    h.cpu.r[15] = LOOPS;
    o->why = h_run(&h, 1000000);
    memcpy(o->r, h.cpu.r, sizeof(o->r));
    o->rip = h.cpu.rip;
    o->rflags = cpu_get_rflags(&h.cpu);
    o->icount = h.cpu.icount;
    for (unsigned k = 0; k < DATA_LEN; k++)
        o->data[k] = (uint8_t)h_load(&h, H_DATA + k, 1);
    for (unsigned k = 0; k < 64; k++)
        o->stack[k] = (uint8_t)h_load(&h, H_KSTACK - 128 + k, 1);
    h_destroy(&h);
}

static void test_random_programs(void)
{
    unsigned mismatches = 0;

    for (uint64_t seed = 1; seed <= 300; seed++) {
        struct prog p = { .seed = seed };
        struct outcome a, b;

        build(&p, 8 + rnd(&p, 120));
        run_prog(&p, seed, 0, &a);
        run_prog(&p, seed, 1, &b);
        CU_ASSERT_EQUAL(a.why, STOP_HLT);
        if (memcmp(a.r, b.r, sizeof(a.r)) || a.rip != b.rip ||
            a.rflags != b.rflags || a.icount != b.icount ||
            memcmp(a.data, b.data, sizeof(a.data)) ||
            memcmp(a.stack, b.stack, sizeof(a.stack)) || a.why != b.why) {
            if (mismatches++ < 3)
                fprintf(stderr, "jit: program %llu differs from the "
                        "interpreter\n", (unsigned long long)seed);
        }
    }
    CU_ASSERT_EQUAL(mismatches, 0);
}

/* A page fault in the middle of a compiled block: the same exception
 * frame, icount and registers as interpreted. */
static void test_fault_in_block(void)
{
    struct outcome o[2];

    for (unsigned jit = 0; jit < 2; jit++) {
        struct harness h;
        CU_ASSERT_FATAL(h_init(&h, H_LONG64) == 0);
        cpu_set_jit(&h.cpu, jit);
        /* loop: inc rax; mov rcx,[rdx]; add rdx, 0x100000; dec r15; jnz */
        H_CODE_AT(&h, PROG_AT, 0x48, 0xff, 0xc0, 0x48, 0x8b, 0x0a,
                  0x48, 0x81, 0xc2, 0x00, 0x00, 0x10, 0x00,
                  0x49, 0xff, 0xcf, 0x75, 0xee, 0xf4);
        h.cpu.r[2] = H_DATA;
        h.cpu.r[15] = 100000;          /* runs off the 1 GiB map */
        o[jit].why = h_run(&h, 10000000);
        memcpy(o[jit].r, h.cpu.r, sizeof(o[jit].r));
        o[jit].icount = h.cpu.icount;
        o[jit].rip = (uint64_t)h_vector(&h);
        o[jit].rflags = h.cpu.cr2;
        h_destroy(&h);
    }
    CU_ASSERT_EQUAL(o[0].rip, 14);                      /* #PF */
    CU_ASSERT_EQUAL(o[1].rip, o[0].rip);
    CU_ASSERT_EQUAL(o[1].icount, o[0].icount);
    CU_ASSERT_EQUAL(o[1].rflags, o[0].rflags);
    CU_ASSERT(memcmp(o[0].r, o[1].r, sizeof(o[0].r)) == 0);
}

UNIT_SUITE(jit)
{
    CU_pSuite s = CU_add_suite("jit", NULL, NULL);
    UNIT_TEST(s, test_random_programs);
    UNIT_TEST(s, test_fault_in_block);
}
