/*
 * The x87 instructions in the CPU (cpu/ops-x87*.c, cpu/x87.c): results
 * through memory, the stack and its faults, condition codes and EFLAGS,
 * BCD, the environment formats, FNSAVE/FRSTOR, and #NM/#MF delivery.
 * Hand-assembled code on the harness machine; data at H_DATA.
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
    c->cr0 |= CR0_NE;
    /* The state FNINIT leaves (reset leaves FCW 0x40, every tag zero). */
    c->fpu.fcw = 0x037f;
    c->fpu.ftw = 0xffff;
}

static void teardown(void)
{
    h_destroy(&h);
}

/* ModRM + SIB + disp32 for the absolute address H_DATA + off (64-bit
 * mode), /digit reg. */
#define ABS(reg, off) (uint8_t)((reg) << 3 | 4), 0x25, \
    (uint8_t)((H_DATA + (off)) & 0xff), (uint8_t)((H_DATA + (off)) >> 8), \
    (uint8_t)((H_DATA + (off)) >> 16), 0
/* ModRM + disp32 (32-bit mode, mod 00 rm 101). */
#define ABS32(reg, off) (uint8_t)((reg) << 3 | 5), \
    (uint8_t)((H_DATA + (off)) & 0xff), (uint8_t)((H_DATA + (off)) >> 8), \
    (uint8_t)((H_DATA + (off)) >> 16), 0

static unsigned top(void)
{
    return (c->fpu.fsw >> 11) & 7;
}

static void test_arith_to_memory(void)
{
    setup(H_LONG64);
    h_store(&h, H_DATA + 8, 4, 3);
    H_CODE_AT(&h, H_CODE,
              0xd9, 0xe8,                  /* fld1 */
              0xdb, ABS(0, 8),             /* fild dword [3] */
              0xde, 0xf9,                  /* fdivp: st1 = st1 / st0 */
              0xdd, ABS(3, 0),             /* fstp qword [0] */
              0xf4);
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(h_load(&h, H_DATA, 8), 0x3fd5555555555555ull);
    CU_ASSERT_EQUAL(c->fpu.ftw, 0xffff);           /* all popped */
    CU_ASSERT_EQUAL(c->fpu.fsw & 0x3f, 0x20);      /* PE */
    CU_ASSERT_EQUAL(c->fpu.fop, 0x51c);            /* DD 1C */
    CU_ASSERT_EQUAL(c->fpu.fdp, H_DATA);
    CU_ASSERT_EQUAL(c->fpu.fip, H_CODE + 11);
    teardown();
}

static void test_stack_overflow_and_underflow(void)
{
    setup(H_LONG64);
    for (unsigned k = 0; k < 9; k++)
        H_CODE_AT(&h, H_CODE + 2 * k, 0xd9, 0xe8);  /* fld1 x 9 */
    H_CODE_AT(&h, H_CODE + 18, 0xf4);
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    /* IE SF C1, TOP 7; ST(0) the default NaN, tagged special */
    CU_ASSERT_EQUAL(c->fpu.fsw, 0x3a41);
    CU_ASSERT_EQUAL(c->fpu.st[7].se, 0xffff);
    CU_ASSERT_EQUAL(c->fpu.st[7].mant, 0xc000000000000000ull);
    CU_ASSERT_EQUAL(c->fpu.ftw, 0x8000);
    teardown();

    setup(H_LONG64);
    H_CODE_AT(&h, H_CODE, 0xd8, 0xc1, 0xf4);     /* fadd st, st(1): empty */
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(c->fpu.fsw, 0x0041);         /* IE SF, C1 = 0 */
    CU_ASSERT_EQUAL(c->fpu.ftw, 0xfffe);
    teardown();
}

static void test_compares(void)
{
    setup(H_LONG64);
    H_CODE_AT(&h, H_CODE,
              0xd9, 0xe8,                  /* fld1 */
              0xd9, 0xee,                  /* fldz */
              0xdb, 0xf1,                  /* fcomi st, st(1): 0 < 1 */
              0x0f, 0x92, 0xc0,            /* setb al */
              0xd8, 0xd1,                  /* fcom st(1) */
              0xdf, 0xe0,                  /* fnstsw ax */
              0xf4);
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(c->r[R_AX] & 0xffff, 0x3100);  /* C0, TOP 6 */
    teardown();

    /* unordered: FUCOMI with a NaN sets ZF PF CF, no IE for a QNaN */
    setup(H_LONG64);
    h_store(&h, H_DATA, 4, 0x7fc00000);
    H_CODE_AT(&h, H_CODE,
              0xd9, ABS(0, 0),             /* fld dword [qnan] */
              0xd9, 0xe8,                  /* fld1 */
              0xdb, 0xe9,                  /* fucomi st, st(1) */
              0x9c, 0x58,                  /* pushf; pop rax */
              0xf4);
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(c->r[R_AX] & (FL_ZF | FL_PF | FL_CF),
                    FL_ZF | FL_PF | FL_CF);
    CU_ASSERT_EQUAL(c->fpu.fsw & 0x3f, 0);
    teardown();
}

static void test_bcd(void)
{
    setup(H_LONG64);
    h_store(&h, H_DATA, 4, (uint32_t)-12345678);
    H_CODE_AT(&h, H_CODE,
              0xdb, ABS(0, 0),             /* fild dword */
              0xdf, ABS(6, 0x10),          /* fbstp tbyte [0x10] */
              0xdf, ABS(4, 0x10),          /* fbld tbyte [0x10] */
              0xdb, ABS(3, 0x20),          /* fistp dword [0x20] */
              0xf4);
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(h_load(&h, H_DATA + 0x10, 8), 0x12345678ull);
    CU_ASSERT_EQUAL(h_load(&h, H_DATA + 0x18, 2), 0x8000);
    CU_ASSERT_EQUAL(h_load(&h, H_DATA + 0x20, 4), (uint32_t)-12345678);
    teardown();
}

/* FNSTENV in 32-bit protected format; FNSAVE/FRSTOR round trip. */
static void test_environment(void)
{
    setup(H_PROT32);
    H_CODE_AT(&h, H_CODE,
              0xd9, 0xeb,                  /* fldpi */
              0xd9, ABS32(6, 0),           /* fnstenv [0] */
              0xdd, ABS32(6, 0x40),        /* fnsave [0x40] */
              0xd9, 0xe8,                  /* fld1 */
              0xdd, ABS32(4, 0x40),        /* frstor [0x40] */
              0xf4);
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(h_load(&h, H_DATA + 0, 4), 0xffff037f);
    CU_ASSERT_EQUAL(h_load(&h, H_DATA + 4, 4), 0xffff3800);
    CU_ASSERT_EQUAL(h_load(&h, H_DATA + 8, 4), 0xffff3fff);
    CU_ASSERT_EQUAL(h_load(&h, H_DATA + 12, 4), H_CODE);
    CU_ASSERT_EQUAL(h_load(&h, H_DATA + 16, 4), 0x01eb0000u | H_KCS32);
    /* FNSAVE's ST(0), then the state FRSTOR brought back */
    CU_ASSERT_EQUAL(h_load(&h, H_DATA + 0x40 + 28, 8), 0xc90fdaa22168c235ull);
    CU_ASSERT_EQUAL(top(), 7);
    CU_ASSERT_EQUAL(c->fpu.ftw, 0x3fff);
    CU_ASSERT_EQUAL(c->fpu.st[7].mant, 0xc90fdaa22168c235ull);
    CU_ASSERT_EQUAL(c->fpu.fcw, 0x037f);
    teardown();
}

/* Real mode: the 16-bit real-address format (FIP and FDP linear, split
 * around FOP), and FLDENV reading it back; the 32-bit one with 66. */
static void test_environment_real(void)
{
    setup(H_REAL);
    H_CODE_AT(&h, H_CODE,
              0xd9, 0x06, 0x00, 0x06,      /* fld dword [0x600] */
              0xd9, 0x36, 0x00, 0x05,      /* fnstenv [0x500] (14 bytes) */
              0xd9, 0x26, 0x00, 0x05,      /* fldenv [0x500] */
              0x66, 0xd9, 0x36, 0x40, 0x05, /* fnstenv [0x540] (28 bytes) */
              0xf4);
    h_store(&h, 0x600, 4, 0x3f800000);
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(h_load(&h, 0x500, 2), 0x037f);
    CU_ASSERT_EQUAL(h_load(&h, 0x504, 2), 0x3fff);
    CU_ASSERT_EQUAL(h_load(&h, 0x506, 2), H_CODE & 0xffff);      /* FIP */
    CU_ASSERT_EQUAL(h_load(&h, 0x508, 2), (H_CODE >> 16) << 12 | 0x106);
    CU_ASSERT_EQUAL(h_load(&h, 0x50a, 2), 0x600);                 /* FDP */
    CU_ASSERT_EQUAL(h_load(&h, 0x50c, 2), 0);
    /* FLDENV brought the same pointers back: the 32-bit form shows them */
    CU_ASSERT_EQUAL(h_load(&h, 0x540 + 12, 4), 0xffff0000u | (H_CODE & 0xffff));
    CU_ASSERT_EQUAL(h_load(&h, 0x540 + 16, 4), (H_CODE >> 16) << 12 | 0x106);
    CU_ASSERT_EQUAL(h_load(&h, 0x540 + 20, 4), 0xffff0600u);
    CU_ASSERT_EQUAL(c->fpu.ftw, 0x3fff);
    teardown();
}

/* #NM: CR0.EM or TS for an x87 instruction; WAIT only with MP and TS. */
static void test_nm(void)
{
    static const uint64_t cr0s[] = { CR0_TS, CR0_EM, CR0_TS | CR0_MP };

    for (unsigned k = 0; k < 3; k++) {
        setup(H_LONG64);
        c->cr0 |= cr0s[k];
        H_CODE_AT(&h, H_CODE, 0xd9, 0xe8, 0xf4);
        h_run(&h, 100);
        CU_ASSERT_EQUAL(h_vector(&h), EXC_NM);
        CU_ASSERT_EQUAL(h_stack(&h, 0, 8), H_CODE);
        teardown();
    }
    setup(H_LONG64);
    c->cr0 |= CR0_TS;
    H_CODE_AT(&h, H_CODE, 0x9b, 0xf4);            /* fwait: TS alone */
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(h_vector(&h), -1);
    c->cr0 |= CR0_MP;
    c->rip = H_CODE;
    c->halted = false;
    h_run(&h, 100);
    CU_ASSERT_EQUAL(h_vector(&h), EXC_NM);
    teardown();
}

/* An unmasked exception sets ES; the next waiting instruction takes #MF
 * (CR0.NE), the FN forms do not wait. */
static void test_mf(void)
{
    setup(H_LONG64);
    h_store(&h, H_DATA, 2, 0x037b);                /* ZE unmasked */
    H_CODE_AT(&h, H_CODE,
              0xd9, ABS(5, 0),             /* fldcw */
              0xd9, 0xee,                  /* fldz */
              0xd9, 0xe8,                  /* fld1 */
              0xd8, 0xf1,                  /* fdiv st, st(1): 1 / 0 */
              0xdf, 0xe0,                  /* fnstsw ax: does not wait */
              0xd9, 0xe8,                  /* fld1: #MF */
              0xf4);
    h_run(&h, 100);
    CU_ASSERT_EQUAL(h_vector(&h), EXC_MF);
    CU_ASSERT_EQUAL(h_stack(&h, 0, 8), H_CODE + 15);
    CU_ASSERT_EQUAL(c->r[R_AX] & 0xffff, 0xb084);  /* B ES ZE, TOP 6 */
    CU_ASSERT_EQUAL(c->fpu.st[6].mant, 1ull << 63); /* 1 kept */
    teardown();

    /* CR0.NE clear: no #MF (as with IGNNE#) */
    setup(H_LONG64);
    c->cr0 &= ~CR0_NE;
    h_store(&h, H_DATA, 2, 0x037b);
    H_CODE_AT(&h, H_CODE, 0xd9, ABS(5, 0), 0xd9, 0xee, 0xd9, 0xe8,
              0xd8, 0xf1, 0x9b, 0xf4);
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(h_vector(&h), -1);
    teardown();
}

static void test_constants_follow_rc(void)
{
    setup(H_LONG64);
    h_store(&h, H_DATA, 2, 0x0f7f);                /* RC = chop */
    H_CODE_AT(&h, H_CODE, 0xd9, ABS(5, 0), 0xd9, 0xeb, 0xf4);
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(c->fpu.st[7].mant, 0xc90fdaa22168c234ull);
    CU_ASSERT_EQUAL(c->fpu.fsw & 0x3f, 0);         /* no PE */
    teardown();
}

/* CPUID advertises the FPU and, with CMOV, FCMOV (AMD mirrors both in
 * 0x80000001). */
static void test_cpuid_fpu(void)
{
    uint32_t l1[4], e1[4];

    setup(H_LONG64);
    cpu_cpuid_builtin(c, 1, 0, l1);
    cpu_cpuid_builtin(c, 0x80000001, 0, e1);
    CU_ASSERT_EQUAL(l1[3] & (1u << 0 | 1u << 15), 1u << 0 | 1u << 15);
    CU_ASSERT_EQUAL(e1[3] & (1u << 0 | 1u << 15), 1u << 0 | 1u << 15);
    teardown();
}

UNIT_SUITE(cpu_x87)
{
    CU_pSuite s = CU_add_suite("cpu_x87", NULL, NULL);
    UNIT_TEST(s, test_arith_to_memory);
    UNIT_TEST(s, test_stack_overflow_and_underflow);
    UNIT_TEST(s, test_compares);
    UNIT_TEST(s, test_bcd);
    UNIT_TEST(s, test_environment);
    UNIT_TEST(s, test_environment_real);
    UNIT_TEST(s, test_nm);
    UNIT_TEST(s, test_mf);
    UNIT_TEST(s, test_constants_follow_rc);
    UNIT_TEST(s, test_cpuid_fpu);
}
