/*
 * String instructions (cpu/ops-string.c): MOVS CMPS STOS LODS SCAS with and
 * without REP/REPE/REPNE, DF, segment overrides, address sizes, faults in
 * the middle of a run, runs longer than one execution chunk, and writes
 * into decoded code.
 */
#include <string.h>

#include "cpu/cpu.h"
#include "test-cpu-int.h"
#include "unit.h"

static struct tmach t;

static void fresh(int bits)
{
    CU_ASSERT_FATAL(tm_reinit(&t, bits) == 0);
}

static int cleanup(void)
{
    tm_release(&t);
    return 0;
}

#define R(n) t.cpu.r[R_##n]
#define OK(...) CU_ASSERT_EQUAL(TM_EXEC(&t, __VA_ARGS__), -1)

#define SRC (TM_DATA + 0x100)
#define DST (TM_DATA + 0x2000)

static void fill(uint64_t pa, const char *s)
{
    phys_write(&t.mem, pa, s, strlen(s));
}

static bool mem_is(uint64_t pa, const char *s)
{
    char buf[256];
    size_t n = strlen(s);
    phys_read(&t.mem, pa, buf, n);
    return memcmp(buf, s, n) == 0;
}

static void test_movs_single(void)
{
    fresh(TM_64);
    fill(SRC, "abcdefgh");
    R(SI) = SRC; R(DI) = DST; R(CX) = 77;
    OK(0xa4);                                   /* movsb */
    CU_ASSERT(mem_is(DST, "a"));
    CU_ASSERT_EQUAL(R(SI), SRC + 1);
    CU_ASSERT_EQUAL(R(DI), DST + 1);
    CU_ASSERT_EQUAL(R(CX), 77);                 /* no REP: no count */

    OK(0x48, 0xa5);                             /* movsq */
    CU_ASSERT(mem_is(DST + 1, "bcdefgh"));
    CU_ASSERT_EQUAL(R(SI), SRC + 9);

    tm_set_flags(&t, 2 | FL_DF);
    R(SI) = SRC + 4; R(DI) = DST + 0x100;
    OK(0x66, 0xa5);                             /* movsw, backwards */
    CU_ASSERT(mem_is(DST + 0x100, "ef"));
    CU_ASSERT_EQUAL(R(SI), SRC + 2);
    CU_ASSERT_EQUAL(R(DI), DST + 0xfe);
}

static void test_rep_movs(void)
{
    fresh(TM_64);
    for (unsigned k = 0; k < 400; k++)
        tm_store(&t, SRC + 4 * k, 4, k * 0x01010101u);
    R(SI) = SRC; R(DI) = DST; R(CX) = 400;
    OK(0xf3, 0xa5);                             /* rep movsd */
    CU_ASSERT_EQUAL(R(CX), 0);
    CU_ASSERT_EQUAL(R(SI), SRC + 1600);
    CU_ASSERT_EQUAL(R(DI), DST + 1600);
    unsigned bad = 0;
    for (unsigned k = 0; k < 400; k++)
        bad += tm_load(&t, DST + 4 * k, 4) != k * 0x01010101u;
    CU_ASSERT_EQUAL(bad, 0);

    /* Count 0: nothing at all, not even a fault on a bad pointer. */
    R(SI) = 1ull << 63; R(CX) = 0;
    tm_set_flags(&t, 2 | FL_ZF);
    OK(0xf3, 0xa4);
    CU_ASSERT_EQUAL(R(SI), 1ull << 63);
    CU_ASSERT_EQUAL(R(DI), DST + 1600);

    /* Overlap with the destination ahead repeats the first byte. */
    fill(SRC, "xyz.....");
    R(SI) = SRC; R(DI) = SRC + 1; R(CX) = 7;
    tm_set_flags(&t, 2);
    OK(0xf3, 0xa4);
    CU_ASSERT(mem_is(SRC, "xxxxxxxx"));

    /* Backwards with DF: an overlapping move to higher addresses. */
    fill(SRC, "12345678");
    tm_set_flags(&t, 2 | FL_DF);
    R(SI) = SRC + 5; R(DI) = SRC + 7; R(CX) = 6;
    OK(0xf3, 0xa4);
    CU_ASSERT(mem_is(SRC, "12123456"));
    CU_ASSERT_EQUAL(R(SI), SRC - 1);
    CU_ASSERT_EQUAL(R(DI), SRC + 1);

    /* F2 is REP for MOVS too. */
    fill(SRC, "abc");
    tm_set_flags(&t, 2);
    R(SI) = SRC; R(DI) = DST; R(CX) = 3;
    OK(0xf2, 0xa4);
    CU_ASSERT(mem_is(DST, "abc"));
    CU_ASSERT_EQUAL(R(CX), 0);
}

/* A fault in the middle leaves the registers of the iterations done;
 * running the instruction again finishes the job. */
static void test_rep_fault_midway(void)
{
    const uint64_t hole = TM_DATA + 0x3000;

    fresh(TM_64);
    for (unsigned k = 0; k < 64; k++)
        tm_store(&t, hole - 16 + k, 1, 0x40 + k);
    tm_unmap(&t, hole);
    R(SI) = hole - 16; R(DI) = DST; R(CX) = 64;
    int v = TM_EXEC(&t, 0xf3, 0xa4);            /* rep movsb */
    CU_ASSERT_EQUAL(v, EXC_PF);
    CU_ASSERT_EQUAL(t.ev.cr2, hole);
    CU_ASSERT_EQUAL(t.ev.error, 0);             /* read, not present */
    CU_ASSERT_EQUAL(t.cpu.rip, TM_CODE);
    CU_ASSERT_EQUAL(R(CX), 48);
    CU_ASSERT_EQUAL(R(SI), hole);
    CU_ASSERT_EQUAL(R(DI), DST + 16);
    CU_ASSERT_EQUAL(tm_load(&t, DST + 15, 1), 0x4f);
    CU_ASSERT_EQUAL(tm_load(&t, DST + 16, 1), 0);

    tm_store(&t, TM_PT + 8 * (hole >> 12), 8, hole | 3);
    cpu_flush_code(&t.cpu);
    CU_ASSERT_EQUAL(tm_insn(&t), -1);
    CU_ASSERT_EQUAL(R(CX), 0);
    CU_ASSERT_EQUAL(tm_load(&t, DST + 63, 1), 0x7f);

    /* The destination runs into the hole: rep stosd. */
    tm_unmap(&t, hole);
    R(DI) = hole - 8; R(CX) = 5; R(AX) = 0x11223344;
    v = TM_EXEC(&t, 0xf3, 0xab);
    CU_ASSERT_EQUAL(v, EXC_PF);
    CU_ASSERT_EQUAL(t.ev.error, PFEC_W);
    CU_ASSERT_EQUAL(R(CX), 3);
    CU_ASSERT_EQUAL(R(DI), hole);
    CU_ASSERT_EQUAL(tm_load(&t, hole - 4, 4), 0x11223344);

    /* An element straddling into the hole faults before any byte. */
    R(DI) = hole - 2; R(CX) = 2;
    v = TM_EXEC(&t, 0xf3, 0xab);
    CU_ASSERT_EQUAL(v, EXC_PF);
    CU_ASSERT_EQUAL(R(CX), 2);
    CU_ASSERT_EQUAL(R(DI), hole - 2);
}

/* Long runs come back to the execution loop between chunks. */
static void test_rep_long(void)
{
    const unsigned n = 100000;

    fresh(TM_64);
    R(DI) = TM_DATA; R(CX) = n; R(AX) = 0x5a;
    tm_code(&t, (const uint8_t[]){ 0xf3, 0xaa }, 2); /* rep stosb */
    CU_ASSERT_EQUAL(tm_step(&t), -1);
    CU_ASSERT_EQUAL(t.cpu.rip, TM_CODE);        /* not done yet */
    CU_ASSERT(R(CX) > 0 && R(CX) < n);
    CU_ASSERT_EQUAL(R(DI), TM_DATA + (n - R(CX)));
    unsigned steps = 1;
    while (t.cpu.rip == TM_CODE && steps < n) {
        CU_ASSERT_EQUAL_FATAL(tm_step(&t), -1);
        steps++;
    }
    CU_ASSERT(steps > 2);
    CU_ASSERT_EQUAL(t.cpu.rip, TM_CODE + 2);
    CU_ASSERT_EQUAL(R(CX), 0);
    CU_ASSERT_EQUAL(tm_load(&t, TM_DATA, 1), 0x5a);
    CU_ASSERT_EQUAL(tm_load(&t, TM_DATA + n - 1, 1), 0x5a);
    CU_ASSERT_EQUAL(tm_load(&t, TM_DATA + n, 1), 0);

    /* Several executions in one run: the instruction after the REP
     * must not run while the REP is not done. */
    R(DI) = TM_DATA; R(CX) = n; R(AX) = 7;
    tm_code(&t, (const uint8_t[]){ 0xf3, 0xaa, 0xd1, 0xe0 }, 4);
    cpu_run(&t.cpu, 3);                         /* rep stosb; shl eax, 1 */
    CU_ASSERT_EQUAL(t.cpu.rip, TM_CODE);
    CU_ASSERT_EQUAL(R(AX), 7);
    CU_ASSERT(R(CX) > 0);
    for (unsigned k = 0; k < 1000 && t.cpu.rip != TM_CODE + 4; k++)
        CU_ASSERT_EQUAL_FATAL(tm_step(&t), -1);
    CU_ASSERT_EQUAL(R(CX), 0);
    CU_ASSERT_EQUAL(R(AX), 14);                 /* and then it does */

    /* rep movsq across many pages and into the 2 MiB page. */
    const uint64_t src = 0x180000, dst = 0x200000 - 0x8000;
    for (unsigned k = 0; k < 0x4000; k++)
        tm_store(&t, src + 8 * k, 8, 0x0101010101010101ull * k + k);
    R(SI) = src; R(DI) = dst; R(CX) = 0x4000;
    OK(0xf3, 0x48, 0xa5);
    unsigned bad = 0;
    for (unsigned k = 0; k < 0x4000; k++)
        bad += tm_load(&t, dst + 8 * k, 8) != 0x0101010101010101ull * k + k;
    CU_ASSERT_EQUAL(bad, 0);
    CU_ASSERT_EQUAL(R(SI), src + 0x20000);
}

static void test_cmps_scas(void)
{
    fresh(TM_64);
    fill(SRC, "hello, world");
    fill(DST, "hello, there");
    R(SI) = SRC; R(DI) = DST; R(CX) = 12;
    OK(0xf3, 0xa6);                             /* repe cmpsb */
    CU_ASSERT_EQUAL(R(CX), 12 - 8);             /* stopped after 'w'/'t' */
    CU_ASSERT_EQUAL(R(SI), SRC + 8);
    CU_ASSERT_EQUAL(tm_flags(&t) & (FL_ZF | FL_CF), 0);  /* 'w' > 't' */

    R(SI) = SRC; R(DI) = DST; R(CX) = 7;
    OK(0xf3, 0xa6);                             /* all equal: count ends */
    CU_ASSERT_EQUAL(R(CX), 0);
    CU_ASSERT_EQUAL(tm_flags(&t) & FL_ZF, FL_ZF);

    R(DI) = SRC; R(CX) = 12; R(AX) = ',';
    OK(0xf2, 0xae);                             /* repne scasb */
    CU_ASSERT_EQUAL(R(DI), SRC + 6);            /* just past the comma */
    CU_ASSERT_EQUAL(R(CX), 6);
    CU_ASSERT_EQUAL(tm_flags(&t) & FL_ZF, FL_ZF);

    R(DI) = SRC; R(CX) = 12; R(AX) = '!';
    OK(0xf2, 0xae);                             /* not found */
    CU_ASSERT_EQUAL(R(CX), 0);
    CU_ASSERT_EQUAL(tm_flags(&t) & FL_ZF, 0);

    fill(DST, "aaab");
    R(DI) = DST; R(CX) = 4; R(AX) = 0x6161;
    OK(0x66, 0xf3, 0xaf);                       /* repe scasw */
    CU_ASSERT_EQUAL(R(CX), 2);
    CU_ASSERT_EQUAL(tm_flags(&t) & FL_ZF, 0);

    R(SI) = SRC; R(DI) = DST;
    OK(0xa6);                                   /* cmpsb 'h' - 'a' */
    CU_ASSERT_EQUAL(tm_flags(&t), 0);           /* 0x07: positive, odd */
    CU_ASSERT_EQUAL(R(SI), SRC + 1);
}

static void test_lods_stos(void)
{
    fresh(TM_64);
    fill(SRC, "\x11\x22\x33\x44\x55\x66\x77\x88");
    R(SI) = SRC; R(AX) = ~0ull;
    OK(0x66, 0xad);                             /* lodsw */
    CU_ASSERT_EQUAL(R(AX), 0xffffffffffff2211ull);
    OK(0xad);                                   /* lodsd zero-extends */
    CU_ASSERT_EQUAL(R(AX), 0x66554433);
    R(CX) = 2;
    OK(0xf3, 0xac);                             /* rep lodsb */
    CU_ASSERT_EQUAL(R(AX), 0x66554488);
    CU_ASSERT_EQUAL(R(SI), SRC + 8);

    R(DI) = DST; R(AX) = 0x0102030405060708ull; R(CX) = 3;
    OK(0xf3, 0x48, 0xab);                       /* rep stosq */
    CU_ASSERT_EQUAL(tm_load(&t, DST + 16, 8), 0x0102030405060708ull);
    CU_ASSERT_EQUAL(R(DI), DST + 24);
    tm_set_flags(&t, 2 | FL_DF);
    OK(0x66, 0xab);                             /* stosw backwards */
    CU_ASSERT_EQUAL(tm_load(&t, DST + 24, 2), 0x0708);
    CU_ASSERT_EQUAL(R(DI), DST + 22);
}

/* The source segment can be overridden, ES:rDI never. */
static void test_segments(void)
{
    fresh(TM_64);
    t.cpu.seg[SEG_FS].base = 0x5000;
    tm_store(&t, SRC + 0x5000, 1, 0xf5);
    tm_store(&t, SRC, 1, 0xd5);
    R(SI) = SRC; R(DI) = DST;
    OK(0x64, 0xa4);                             /* movsb fs:[rsi] */
    CU_ASSERT_EQUAL(tm_load(&t, DST, 1), 0xf5);
    R(DI) = DST; R(AX) = 0x77;
    OK(0x64, 0xaa);                             /* stosb ignores fs */
    CU_ASSERT_EQUAL(tm_load(&t, DST, 1), 0x77);
    CU_ASSERT_EQUAL(tm_load(&t, DST + 0x5000, 1), 0);

    fresh(TM_32);
    cpu_set_seg(&t.cpu, SEG_ES, 0x18, 0x1000, 0xffffffff,
                SEGA_P | SEGA_S | 3 | SEGA_DB | SEGA_G);
    tm_store(&t, SRC, 1, 0xa1);
    R(SI) = SRC; R(DI) = DST;
    OK(0x26, 0xa4);                             /* movsb es:[esi], [edi] */
    CU_ASSERT_EQUAL(tm_load(&t, DST + 0x1000, 1), 0);
    tm_store(&t, SRC + 0x1000, 1, 0xb2);
    R(SI) = SRC; R(DI) = DST;
    OK(0x26, 0xa4);
    CU_ASSERT_EQUAL(tm_load(&t, DST + 0x1000, 1), 0xb2);

    /* A run into the DS limit: the in-limit part is done, then #GP. */
    cpu_set_seg(&t.cpu, SEG_DS, 0x10, 0, SRC + 0xff,
                SEGA_P | SEGA_S | 3 | SEGA_DB);
    R(SI) = SRC + 0xf0; R(DI) = DST; R(CX) = 32;
    CU_ASSERT_EQUAL(TM_EXEC(&t, 0xf3, 0xa4), EXC_GP);
    CU_ASSERT_EQUAL(R(CX), 16);
    CU_ASSERT_EQUAL(R(SI), SRC + 0x100);
}

static void test_address_size(void)
{
    fresh(TM_64);
    fill(SRC, "abcd");
    R(SI) = 0xabcd00000000ull | SRC; R(DI) = 0x1234500000000ull | DST;
    R(CX) = 0xffffffff00000003ull;
    OK(0x67, 0xf3, 0xa4);                       /* ECX, ESI, EDI */
    CU_ASSERT(mem_is(DST, "abc"));
    CU_ASSERT_EQUAL(R(CX), 0);                  /* zero-extended */
    CU_ASSERT_EQUAL(R(SI), SRC + 3);
    CU_ASSERT_EQUAL(R(DI), DST + 3);

    /* Real mode: SI and DI wrap at 64 KiB, the rest of ESI stays. */
    fresh(TM_16);
    cpu_set_seg(&t.cpu, SEG_DS, 0x3000, 0x30000, 0xffff, SEGA_P | SEGA_S | 3);
    cpu_set_seg(&t.cpu, SEG_ES, 0x4000, 0x40000, 0xffff, SEGA_P | SEGA_S | 3);
    tm_store(&t, 0x3ffff, 1, 0x11);
    tm_store(&t, 0x30000, 1, 0x22);
    R(SI) = 0x5678ffff; R(DI) = 0xfffe; R(CX) = 0x10002;
    OK(0xf3, 0xa4);                             /* rep movsb, CX = 2 */
    CU_ASSERT_EQUAL(R(CX), 0x10000);
    CU_ASSERT_EQUAL(R(SI), 0x56780001);
    CU_ASSERT_EQUAL(R(DI), 0);
    CU_ASSERT_EQUAL(tm_load(&t, 0x4fffe, 1), 0x11);
    CU_ASSERT_EQUAL(tm_load(&t, 0x4ffff, 1), 0x22);

    /* A word at offset 0xffff runs past the limit: #GP, nothing moved. */
    R(SI) = 0xffff; R(DI) = 0;
    CU_ASSERT_EQUAL(TM_EXEC(&t, 0xa5), EXC_GP);
    CU_ASSERT_EQUAL(R(SI), 0xffff);

    /* 0x67 in real mode: ESI/EDI/ECX. */
    tm_store(&t, 0x30000 + 0x12345, 1, 0x33);
    R(SI) = 0x12345; R(DI) = 0x10; R(CX) = 1;
    cpu_set_seg(&t.cpu, SEG_DS, 0x3000, 0x30000, 0xfffff, SEGA_P | SEGA_S | 3);
    OK(0x67, 0xf3, 0xa4);
    CU_ASSERT_EQUAL(tm_load(&t, 0x40010, 1), 0x33);
    CU_ASSERT_EQUAL(R(SI), 0x12346);
}

/* A REP STOS that overwrites the instruction after it in the same decoded
 * block: the new instruction must run. */
static void test_self_modifying(void)
{
    fresh(TM_64);
    static const uint8_t code[] = {
        0xf3, 0x66, 0xab,                       /* rep stosw */
        0xd1, 0xe0,                             /* shl eax, 1: replaced */
    };
    tm_code(&t, code, sizeof(code));
    R(DI) = TM_CODE + 3; R(CX) = 1;
    R(AX) = 0xf1f7;                             /* div ecx */
    t.cpu.r[R_CX] = 1;
    cpu_run(&t.cpu, 2);
    CU_ASSERT_EQUAL(t.nexc, 1);
    CU_ASSERT_EQUAL(t.ev.vector, EXC_DE);       /* ECX is 0 by then */
    CU_ASSERT_EQUAL(t.ev.rip, TM_CODE + 3);
    CU_ASSERT_EQUAL(R(AX), 0xf1f7);
}

/* With TF, each iteration is an execution of its own and traps. */
static void test_single_step(void)
{
    fresh(TM_64);
    fill(SRC, "abc");
    R(SI) = SRC; R(DI) = DST; R(CX) = 3;
    tm_set_flags(&t, 2 | FL_TF);
    tm_code(&t, (const uint8_t[]){ 0xf3, 0xa4 }, 2);
    CU_ASSERT_EQUAL(tm_step(&t), EXC_DB);
    CU_ASSERT_EQUAL(R(CX), 2);
    CU_ASSERT_EQUAL(t.cpu.rip, TM_CODE);
    CU_ASSERT(t.cpu.rflags & FL_RF);            /* not the last iteration */
    CU_ASSERT_EQUAL(tm_step(&t), EXC_DB);
    CU_ASSERT_EQUAL(tm_step(&t), EXC_DB);
    CU_ASSERT_EQUAL(R(CX), 0);
    CU_ASSERT_EQUAL(t.cpu.rip, TM_CODE + 2);
    CU_ASSERT_FALSE(t.cpu.rflags & FL_RF);
    CU_ASSERT(mem_is(DST, "abc"));
}

/* A data breakpoint traps right after the iteration that hit it. */
static void test_data_breakpoint(void)
{
    fresh(TM_64);
    fill(SRC, "wxyz");
    t.cpu.dr[0] = DST + 1;
    t.cpu.dr[7] = 0x400 | 1 | 1u << 16;         /* L0, write, 1 byte */
    R(SI) = SRC; R(DI) = DST; R(CX) = 4;
    tm_code(&t, (const uint8_t[]){ 0xf3, 0xa4 }, 2);
    CU_ASSERT_EQUAL(tm_step(&t), EXC_DB);
    CU_ASSERT_EQUAL(R(CX), 2);
    CU_ASSERT_EQUAL(R(DI), DST + 2);
    CU_ASSERT_EQUAL(t.cpu.dr[6] & 0xf, 1);
    CU_ASSERT_EQUAL(t.cpu.rip, TM_CODE);
    CU_ASSERT_EQUAL(tm_step(&t), -1);           /* the rest, no more hits */
    CU_ASSERT_EQUAL(R(CX), 0);
    CU_ASSERT_EQUAL(t.cpu.rip, TM_CODE + 2);
    CU_ASSERT(mem_is(DST, "wxyz"));
}

UNIT_SUITE(cpu_int_string)
{
    CU_pSuite s = CU_add_suite("cpu_int_string", NULL, cleanup);
    UNIT_TEST(s, test_movs_single);
    UNIT_TEST(s, test_rep_movs);
    UNIT_TEST(s, test_rep_fault_midway);
    UNIT_TEST(s, test_rep_long);
    UNIT_TEST(s, test_cmps_scas);
    UNIT_TEST(s, test_lods_stos);
    UNIT_TEST(s, test_segments);
    UNIT_TEST(s, test_address_size);
    UNIT_TEST(s, test_self_modifying);
    UNIT_TEST(s, test_single_step);
    UNIT_TEST(s, test_data_breakpoint);
}
