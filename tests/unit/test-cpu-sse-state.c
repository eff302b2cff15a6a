/*
 * x87/SSE state management (cpu/ops-sse-state.c, ops-xsave.c, cpuid.c):
 * LDMXCSR/STMXCSR, the FXSAVE image in both layouts (abridged tags, the
 * error pointers AMD stores only with FSW.ES, CR4.OSFXSR), FXRSTOR's tag
 * reconstruction and #GP, XSAVE/XSAVEOPT/XSAVEC/XRSTOR (header rules, the
 * init optimisation, compacted format, MXCSR), XGETBV/XSETBV and the CPUID
 * leaves that describe them.
 */
#include <string.h>

#include "cpu/cpu.h"
#include "test-cpu-int.h"
#include "unit.h"

static struct tmach t;
static struct cpu *c;

#define D TM_DATA
#define OK(...) CU_ASSERT_EQUAL(TM_EXEC(&t, __VA_ARGS__), -1)
#define FAULT(vec, ...) CU_ASSERT_EQUAL(TM_EXEC(&t, __VA_ARGS__), (vec))

/* Instruction bytes with [rdi] operands (64-bit mode). */
#define FXSAVE     0x0f, 0xae, 0x07
#define FXSAVE64   0x48, 0x0f, 0xae, 0x07
#define FXRSTOR    0x0f, 0xae, 0x0f
#define FXRSTOR64  0x48, 0x0f, 0xae, 0x0f
#define LDMXCSR    0x0f, 0xae, 0x17
#define STMXCSR    0x0f, 0xae, 0x1f
#define XSAVE      0x0f, 0xae, 0x27
#define XRSTOR     0x0f, 0xae, 0x2f
#define XSAVEOPT   0x0f, 0xae, 0x37
#define XSAVEC     0x0f, 0xc7, 0x27
#define XGETBV     0x0f, 0x01, 0xd0
#define XSETBV     0x0f, 0x01, 0xd1

static void fresh_bits(int bits)
{
    CU_ASSERT_FATAL(tm_reinit(&t, bits) == 0);
    c = &t.cpu;
    CU_ASSERT_FATAL(cpu_set_cr4(c, c->cr4 | CR4_OSFXSR | CR4_OSXMMEXCPT |
                                   CR4_OSXSAVE));
    c->r[R_DI] = D;
    c->xcr0 = 3;
}

static void fresh(void)
{
    fresh_bits(TM_64);
}

static int cleanup(void)
{
    tm_release(&t);
    return 0;
}

/* Run the code at TM_CODE at CPL 3: its page made user-accessible. */
static void to_user(void)
{
    tm_store(&t, 0x1000, 8, 0x2000 | 7);
    tm_store(&t, 0x2000, 8, 0x3000 | 7);
    tm_store(&t, 0x3000, 8, TM_PT | 7);
    tm_store(&t, TM_PT + 8 * (TM_CODE >> PAGE_SHIFT), 8, TM_CODE | 7);
    cpu_flush_code(c);
    cpu_set_seg(c, SEG_CS, 0x1b, 0, 0xffffffff,
                SEGA_P | SEGA_S | 0xb | SEGA_L | SEGA_G | 3u << 5);
}

static void fill(uint64_t pa, unsigned n, uint8_t b)
{
    for (unsigned k = 0; k < n; k++)
        tm_store(&t, pa + k, 1, b);
}

static void set_mask(uint64_t m)
{
    c->r[R_AX] = (uint32_t)m;
    c->r[R_DX] = m >> 32;
}

/* A distinctive x87/SSE state: TOP = 3, registers 3 and 4 in use. */
static void sample_state(void)
{
    struct fpu *f = &c->fpu;

    f->fcw = 0x027f;
    f->fsw = 3u << 11 | 0x0020;
    f->ftw = 0xffff & ~(3u << 6) & ~(3u << 8);     /* R3 valid, R4 valid */
    f->ftw |= 1u << 8;                              /* R4 zero */
    f->st[3] = (struct x87reg){ 0xc000000000000000ull, 0x4000 };   /* 3.0 */
    f->st[4] = (struct x87reg){ 0, 0 };
    f->fop = 0x5d9;
    f->fip = 0x1122334455667788ull;
    f->fdp = 0x99aabbccddeeff00ull;
    f->fcs = 0x33;
    f->fds = 0x2b;
    f->mxcsr = 0x3f80 | 0x01;
    for (unsigned k = 0; k < 16; k++) {
        f->xmm[k].q[0] = 0x0101010101010101ull * (k + 1);
        f->xmm[k].q[1] = ~f->xmm[k].q[0];
    }
}

/* ---- MXCSR --------------------------------------------------------------- */

static void test_mxcsr(void)
{
    fresh();
    tm_store(&t, D, 4, 0x7fc0 | 0x3f);
    OK(LDMXCSR);
    CU_ASSERT_EQUAL(c->fpu.mxcsr, 0x7fff);
    tm_store(&t, D, 4, 0x21f80);                   /* MM: misaligned mode */
    OK(LDMXCSR);
    CU_ASSERT_EQUAL(c->fpu.mxcsr, 0x21f80);
    tm_store(&t, D, 4, 0x11f80);                   /* reserved bit 16 */
    FAULT(EXC_GP, LDMXCSR);
    CU_ASSERT_EQUAL(t.ev.error, 0);
    CU_ASSERT_EQUAL(c->fpu.mxcsr, 0x21f80);
    c->r[R_DI] = D + 3;                            /* no alignment rule */
    OK(STMXCSR);
    CU_ASSERT_EQUAL(tm_load(&t, D + 3, 4), 0x21f80);

    /* MXCSR.MM lifts the legacy SSE alignment rule, not that of the
     * explicitly aligned moves. */
    c->r[R_DI] = D + 8;
    OK(0x66, 0x0f, 0xfc, 0x07);                    /* paddb xmm0, [rdi] */
    FAULT(EXC_GP, 0x0f, 0x28, 0x07);               /* movaps */
    FAULT(EXC_GP, 0x66, 0x0f, 0xe7, 0x07);         /* movntdq */
    FAULT(EXC_GP, FXSAVE);
    c->fpu.mxcsr = 0x1f80;
    FAULT(EXC_GP, 0x66, 0x0f, 0xfc, 0x07);
}

/* ---- FXSAVE / FXRSTOR ---------------------------------------------------- */

static void test_fxsave_layout(void)
{
    fresh();
    sample_state();
    fill(D, 512, 0xa5);
    OK(FXSAVE64);
    CU_ASSERT_EQUAL(tm_load(&t, D + 0, 2), 0x027f);
    CU_ASSERT_EQUAL(tm_load(&t, D + 2, 2), 0x1820);
    CU_ASSERT_EQUAL(tm_load(&t, D + 4, 2), 0x0018);    /* abridged tags R3, R4 */
    /* No exception pending (FSW.ES clear): FOP, FIP, FDP stored as 0. */
    CU_ASSERT_EQUAL(tm_load(&t, D + 6, 2), 0);
    CU_ASSERT_EQUAL(tm_load(&t, D + 8, 8), 0);
    CU_ASSERT_EQUAL(tm_load(&t, D + 16, 8), 0);
    CU_ASSERT_EQUAL(tm_load(&t, D + 24, 4), 0x3f81);
    CU_ASSERT_EQUAL(tm_load(&t, D + 28, 4), 0x2ffff);  /* MXCSR_MASK */
    /* ST0 is R3 (TOP = 3), ST1 is R4; the slot's last 6 bytes are 0. */
    CU_ASSERT_EQUAL(tm_load(&t, D + 32, 8), 0xc000000000000000ull);
    CU_ASSERT_EQUAL(tm_load(&t, D + 40, 8), 0x4000);
    CU_ASSERT_EQUAL(tm_load(&t, D + 48, 8), 0);
    CU_ASSERT_EQUAL(tm_load(&t, D + 160, 8), 0x0101010101010101ull);
    CU_ASSERT_EQUAL(tm_load(&t, D + 160 + 15 * 16 + 8, 8),
                    ~(0x0101010101010101ull * 16));
    CU_ASSERT_EQUAL(tm_load(&t, D + 416, 8), 0xa5a5a5a5a5a5a5a5ull);
    CU_ASSERT_EQUAL(tm_load(&t, D + 504, 8), 0xa5a5a5a5a5a5a5a5ull);

    /* With an exception pending: the pointers, 64-bit or with selectors. */
    c->fpu.fsw |= 0x80;
    OK(FXSAVE64);
    CU_ASSERT_EQUAL(tm_load(&t, D + 6, 2), 0x5d9);
    CU_ASSERT_EQUAL(tm_load(&t, D + 8, 8), 0x1122334455667788ull);
    CU_ASSERT_EQUAL(tm_load(&t, D + 16, 8), 0x99aabbccddeeff00ull);
    OK(FXSAVE);
    CU_ASSERT_EQUAL(tm_load(&t, D + 8, 8), 0x0000003355667788ull);
    CU_ASSERT_EQUAL(tm_load(&t, D + 16, 8), 0x0000002bddeeff00ull);
}

static void test_fxsave_modes(void)
{
    /* Outside 64-bit mode only XMM0-7 are saved and restored. */
    fresh_bits(TM_32);
    sample_state();
    fill(D, 512, 0xa5);
    OK(FXSAVE);
    CU_ASSERT_EQUAL(tm_load(&t, D + 160 + 7 * 16, 8), 0x0808080808080808ull);
    CU_ASSERT_EQUAL(tm_load(&t, D + 160 + 8 * 16, 8), 0xa5a5a5a5a5a5a5a5ull);

    /* CR4.OSFXSR clear: MXCSR and the XMM registers are left out (AMD). */
    fresh();
    sample_state();
    c->cr4 &= ~CR4_OSFXSR;
    fill(D, 512, 0xa5);
    OK(FXSAVE64);
    CU_ASSERT_EQUAL(tm_load(&t, D + 0, 2), 0x027f);
    CU_ASSERT_EQUAL(tm_load(&t, D + 24, 8), 0xa5a5a5a5a5a5a5a5ull);
    CU_ASSERT_EQUAL(tm_load(&t, D + 160, 8), 0xa5a5a5a5a5a5a5a5ull);
    c->fpu.mxcsr = 0x1f80;
    OK(FXRSTOR64);
    CU_ASSERT_EQUAL(c->fpu.mxcsr, 0x1f80);         /* A5A5A5A5 not loaded */
    CU_ASSERT_EQUAL(c->fpu.xmm[0].q[0], 0x0101010101010101ull);

    /* #NM with CR0.TS or CR0.EM (an x87 instruction), #GP misaligned. */
    fresh();
    c->cr0 |= CR0_TS;
    FAULT(EXC_NM, FXSAVE);
    c->cr0 ^= CR0_TS | CR0_EM;
    FAULT(EXC_NM, FXRSTOR);
    c->cr0 &= ~CR0_EM;
    c->r[R_DI] = D + 8;
    FAULT(EXC_GP, FXSAVE);
    /* The whole area is checked, last byte first (AMD). */
    tm_unmap(&t, D + 0x1000);
    c->r[R_DI] = D + 0x1000 - 0x1a0;
    fill(D + 0x1000 - 0x1a0, 0x1a0, 0xa5);
    FAULT(EXC_PF, FXSAVE);
    CU_ASSERT_EQUAL(t.ev.cr2, D + 0x1000 - 0x1a0 + 511);
    CU_ASSERT_EQUAL(tm_load(&t, D + 0x1000 - 0x1a0, 8), 0xa5a5a5a5a5a5a5a5ull);
}

static void test_fxrstor(void)
{
    fresh();
    sample_state();
    c->fpu.st[5] = (struct x87reg){ 1, 0 };                     /* denormal */
    c->fpu.st[6] = (struct x87reg){ 0x8000000000000000ull, 0x7fff };  /* inf */
    c->fpu.st[7] = (struct x87reg){ 0x4000000000000000ull, 0x3fff };  /* unnormal */
    OK(FXSAVE64);
    /* Mark R5..R7 in use and ST(0) (= R3) as 0.0; FXRSTOR derives the
     * full tags from the contents. */
    tm_store(&t, D + 4, 1, 0xf8);
    tm_store(&t, D + 32, 8, 0);
    tm_store(&t, D + 40, 2, 0);
    memset(&c->fpu, 0, sizeof(c->fpu));
    OK(FXRSTOR64);
    CU_ASSERT_EQUAL(c->fpu.fcw, 0x027f);
    CU_ASSERT_EQUAL(c->fpu.fsw, 0x1820);
    /* R3 zero, R4 zero, R5 special, R6 special, R7 special, R0-2 empty */
    CU_ASSERT_EQUAL(c->fpu.ftw, 0x3f | 1u << 6 | 1u << 8 | 2u << 10 |
                                2u << 12 | 2u << 14);
    CU_ASSERT_EQUAL(c->fpu.mxcsr, 0x3f81);
    CU_ASSERT_EQUAL(c->fpu.xmm[15].q[0], 0x1010101010101010ull);
    CU_ASSERT_EQUAL(c->fpu.st[6].se, 0x7fff);

    /* Reserved MXCSR bits: #GP, nothing loaded. */
    tm_store(&t, D + 24, 4, 0x40000);
    c->fpu.fcw = 0x37f;
    FAULT(EXC_GP, FXRSTOR64);
    CU_ASSERT_EQUAL(c->fpu.fcw, 0x37f);

    /* The 32-bit layout loads the selectors. */
    tm_store(&t, D + 24, 4, 0x1f80);
    tm_store(&t, D + 8, 8, 0x0000002312345678ull);
    tm_store(&t, D + 16, 8, 0x0000002b9abcdef0ull);
    OK(FXRSTOR);
    CU_ASSERT_EQUAL(c->fpu.fip, 0x12345678);
    CU_ASSERT_EQUAL(c->fpu.fcs, 0x23);
    CU_ASSERT_EQUAL(c->fpu.fds, 0x2b);
}

/* ---- XSAVE --------------------------------------------------------------- */

static void test_xsave_avail(void)
{
    fresh();
    c->cr4 &= ~CR4_OSXSAVE;
    FAULT(EXC_UD, XSAVE);
    FAULT(EXC_UD, XRSTOR);
    FAULT(EXC_UD, XSAVEC);
    FAULT(EXC_UD, XGETBV);
    FAULT(EXC_UD, XSETBV);
    c->cr4 |= CR4_OSXSAVE;
    c->cr0 |= CR0_TS;
    FAULT(EXC_NM, XSAVE);
    FAULT(EXC_NM, XRSTOR);
    c->r[R_CX] = 0;
    OK(XGETBV);                                    /* not affected by TS */
    c->cr0 &= ~CR0_TS;
    c->cr0 |= CR0_EM;                              /* nor is XSAVE by EM */
    set_mask(3);
    OK(XSAVE);
    c->cr0 &= ~CR0_EM;
    c->r[R_DI] = D + 16;                           /* 64-byte alignment */
    FAULT(EXC_GP, XSAVE);
    FAULT(EXC_GP, XRSTOR);
}

static void test_xgetbv_xsetbv(void)
{
    fresh();
    c->r[R_CX] = 0;
    OK(XGETBV);
    CU_ASSERT_EQUAL(c->r[R_AX], 3);
    CU_ASSERT_EQUAL(c->r[R_DX], 0);
    /* XINUSE: SSE in use while an XMM register is non-zero. */
    c->r[R_CX] = 1;
    memset(&c->fpu.xmm, 0, sizeof(c->fpu.xmm));
    OK(XGETBV);
    CU_ASSERT_EQUAL(c->r[R_AX], 1);                /* x87 is not initial */
    c->fpu.xmm[15].q[1] = 1;
    OK(XGETBV);
    CU_ASSERT_EQUAL(c->r[R_AX], 3);
    c->r[R_CX] = 2;
    FAULT(EXC_GP, XGETBV);

    c->r[R_CX] = 0;
    set_mask(1);
    OK(XSETBV);
    CU_ASSERT_EQUAL(c->xcr0, 1);
    static const uint64_t bad[] = { 0, 2, 7, 5, 1ull << 32 | 3 };
    for (unsigned k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
        set_mask(bad[k]);
        FAULT(EXC_GP, XSETBV);
    }
    set_mask(3);
    c->r[R_CX] = 1;
    FAULT(EXC_GP, XSETBV);
    c->r[R_CX] = 0;
    OK(XSETBV);
    CU_ASSERT_EQUAL(c->xcr0, 3);
    /* CPL 3: #GP(0), after the CR4.OSXSAVE check. */
    to_user();
    FAULT(EXC_GP, XSETBV);
    c->cr4 &= ~CR4_OSXSAVE;
    FAULT(EXC_UD, XSETBV);
}

static void test_xsave_standard(void)
{
    fresh();
    sample_state();
    fill(D, 1024, 0xa5);
    tm_store(&t, D + 512, 8, 1ull << 40 | 2);      /* XSTATE_BV bits kept */
    set_mask(1);                                   /* x87 only */
    OK(XSAVE);
    CU_ASSERT_EQUAL(tm_load(&t, D + 512, 8), 1ull << 40 | 3);
    CU_ASSERT_EQUAL(tm_load(&t, D + 520, 8), 0xa5a5a5a5a5a5a5a5ull);
    CU_ASSERT_EQUAL(tm_load(&t, D + 0, 2), 0x027f);
    CU_ASSERT_EQUAL(tm_load(&t, D + 24, 8), 0xa5a5a5a5a5a5a5a5ull);
    CU_ASSERT_EQUAL(tm_load(&t, D + 160, 8), 0xa5a5a5a5a5a5a5a5ull);
    set_mask(~0ull);                               /* RFBM = XCR0 */
    OK(XSAVE);
    CU_ASSERT_EQUAL(tm_load(&t, D + 24, 8), 0x0002ffff00003f81ull);
    CU_ASSERT_EQUAL(tm_load(&t, D + 160, 8), 0x0101010101010101ull);
    CU_ASSERT_EQUAL(tm_load(&t, D + 416, 8), 0xa5a5a5a5a5a5a5a5ull);

    /* XSAVE saves components in their initial configuration too, and
     * clears their XSTATE_BV bit; XSAVEOPT leaves them out. */
    memset(&c->fpu.xmm, 0, sizeof(c->fpu.xmm));
    fill(D, 1024, 0xa5);
    OK(XSAVE);
    CU_ASSERT_EQUAL(tm_load(&t, D + 512, 8) & 3, 1);
    CU_ASSERT_EQUAL(tm_load(&t, D + 160, 8), 0);
    fill(D, 1024, 0xa5);
    tm_store(&t, D + 512, 8, 0);
    OK(XSAVEOPT);
    CU_ASSERT_EQUAL(tm_load(&t, D + 512, 8), 1);
    CU_ASSERT_EQUAL(tm_load(&t, D + 160, 8), 0xa5a5a5a5a5a5a5a5ull);
    CU_ASSERT_EQUAL(tm_load(&t, D + 24, 4), 0x3f81);   /* MXCSR always */
}

static void test_xsavec(void)
{
    fresh();
    sample_state();
    memset(&c->fpu.xmm, 0, sizeof(c->fpu.xmm));
    fill(D, 1024, 0xa5);
    set_mask(3);
    OK(XSAVEC);
    /* MXCSR is not 1F80h: SSE state counts as in use. */
    CU_ASSERT_EQUAL(tm_load(&t, D + 512, 8), 3);
    CU_ASSERT_EQUAL(tm_load(&t, D + 520, 8), 1ull << 63 | 3);
    CU_ASSERT_EQUAL(tm_load(&t, D + 528, 8), 0xa5a5a5a5a5a5a5a5ull);
    CU_ASSERT_EQUAL(tm_load(&t, D + 160, 8), 0);
    c->fpu.mxcsr = 0x1f80;
    fill(D, 1024, 0xa5);
    set_mask(2);
    OK(XSAVEC);
    CU_ASSERT_EQUAL(tm_load(&t, D + 512, 8), 0);
    CU_ASSERT_EQUAL(tm_load(&t, D + 520, 8), 1ull << 63 | 2);
    CU_ASSERT_EQUAL(tm_load(&t, D + 24, 8), 0xa5a5a5a5a5a5a5a5ull);
}

static void test_xrstor(void)
{
    fresh();
    sample_state();
    set_mask(3);
    OK(XSAVE);
    memset(&c->fpu, 0, sizeof(c->fpu));
    OK(XRSTOR);
    CU_ASSERT_EQUAL(c->fpu.fcw, 0x027f);
    CU_ASSERT_EQUAL(c->fpu.mxcsr, 0x3f81);
    CU_ASSERT_EQUAL(c->fpu.xmm[3].q[0], 0x0404040404040404ull);

    /* XSTATE_BV clear: the components get their initial state; the
     * standard form still loads MXCSR from memory. */
    tm_store(&t, D + 512, 8, 0);
    OK(XRSTOR);
    CU_ASSERT_EQUAL(c->fpu.fcw, 0x037f);
    CU_ASSERT_EQUAL(c->fpu.fsw, 0);
    CU_ASSERT_EQUAL(c->fpu.ftw, 0xffff);
    CU_ASSERT_EQUAL(c->fpu.st[3].mant, 0);
    CU_ASSERT_EQUAL(c->fpu.xmm[3].q[0], 0);
    CU_ASSERT_EQUAL(c->fpu.mxcsr, 0x3f81);
    /* RFBM without SSE: XMM and MXCSR untouched. */
    c->fpu.xmm[3].q[0] = 7;
    c->fpu.mxcsr = 0x1f80;
    set_mask(1);
    OK(XRSTOR);
    CU_ASSERT_EQUAL(c->fpu.xmm[3].q[0], 7);
    CU_ASSERT_EQUAL(c->fpu.mxcsr, 0x1f80);

    /* Header rules of the standard form. */
    set_mask(3);
    tm_store(&t, D + 512, 8, 4);                   /* AVX: not in XCR0 */
    FAULT(EXC_GP, XRSTOR);
    tm_store(&t, D + 512, 8, 3);
    tm_store(&t, D + 528, 1, 1);                   /* byte 16 */
    FAULT(EXC_GP, XRSTOR);
    tm_store(&t, D + 528, 1, 0);
    tm_store(&t, D + 540, 1, 1);                   /* byte 28: not checked */
    OK(XRSTOR);
    tm_store(&t, D + 540, 1, 0);
    tm_store(&t, D + 24, 4, 0x80000);              /* reserved MXCSR bit */
    c->fpu.fcw = 0x123;
    FAULT(EXC_GP, XRSTOR);
    CU_ASSERT_EQUAL(c->fpu.fcw, 0x123);            /* nothing loaded */
}

static void test_xrstor_compacted(void)
{
    fresh();
    sample_state();
    set_mask(3);
    OK(XSAVEC);
    memset(&c->fpu, 0, sizeof(c->fpu));
    OK(XRSTOR);
    CU_ASSERT_EQUAL(c->fpu.fcw, 0x027f);
    CU_ASSERT_EQUAL(c->fpu.mxcsr, 0x3f81);
    /* XSTATE_BV[1] clear: XMM zeroed and MXCSR reset to 1F80h. */
    tm_store(&t, D + 512, 8, 1);
    OK(XRSTOR);
    CU_ASSERT_EQUAL(c->fpu.mxcsr, 0x1f80);
    CU_ASSERT_EQUAL(c->fpu.xmm[3].q[1], 0);
    /* XSTATE_BV outside XCOMP_BV, XCOMP_BV outside XCR0, bit 63 in
     * XSTATE_BV, a reserved header byte: #GP. */
    tm_store(&t, D + 520, 8, 1ull << 63 | 1);
    tm_store(&t, D + 512, 8, 2);
    FAULT(EXC_GP, XRSTOR);
    c->xcr0 = 1;
    tm_store(&t, D + 520, 8, 1ull << 63 | 3);
    tm_store(&t, D + 512, 8, 1);
    FAULT(EXC_GP, XRSTOR);
    c->xcr0 = 3;
    tm_store(&t, D + 512, 8, 1ull << 63);
    FAULT(EXC_GP, XRSTOR);
    tm_store(&t, D + 512, 8, 3);
    tm_store(&t, D + 560, 1, 1);
    FAULT(EXC_GP, XRSTOR);
    tm_store(&t, D + 560, 1, 0);
    OK(XRSTOR);
}

/* ---- CPUID --------------------------------------------------------------- */

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t out[4])
{
    c->r[R_AX] = leaf;
    c->r[R_CX] = sub;
    OK(0x0f, 0xa2);
    out[0] = (uint32_t)c->r[R_AX];
    out[1] = (uint32_t)c->r[R_BX];
    out[2] = (uint32_t)c->r[R_CX];
    out[3] = (uint32_t)c->r[R_DX];
}

static void test_cpuid(void)
{
    uint32_t r[4];

    fresh();
    cpuid(1, 0, r);
    /* EDX: MMX FXSR SSE SSE2; ECX: SSE3 PCLMUL SSSE3 SSE4.1 SSE4.2 AES
     * XSAVE OSXSAVE (CR4.OSXSAVE is set), no AVX, FMA or F16C. */
    CU_ASSERT_EQUAL(r[3] & 0x07800000u, 0x07800000u);
    CU_ASSERT_EQUAL(r[2] & 0x0e180203u, 0x0e180203u);
    CU_ASSERT_EQUAL(r[2] & (1u << 28 | 1u << 12 | 1u << 29), 0);
    c->cr4 &= ~CR4_OSXSAVE;
    cpuid(1, 0, r);
    CU_ASSERT_EQUAL(r[2] & (1u << 27), 0);
    cpuid(7, 0, r);
    CU_ASSERT_EQUAL(r[1] & (1u << 5 | 1u << 16), 0);   /* no AVX2, AVX-512 */
    cpuid(0x80000001, 0, r);
    CU_ASSERT_EQUAL(r[2] & (1u << 7), 1u << 7);        /* MisAlignSse */
    CU_ASSERT_EQUAL(r[3] & (1u << 22 | 1u << 23 | 1u << 24),
                    1u << 22 | 1u << 23 | 1u << 24);
    cpuid(0xd, 0, r);
    CU_ASSERT_EQUAL(r[0], 3);
    CU_ASSERT_EQUAL(r[1], 576);
    CU_ASSERT_EQUAL(r[2], 576);
    CU_ASSERT_EQUAL(r[3], 0);
    cpuid(0xd, 1, r);
    CU_ASSERT_EQUAL(r[0], 7);                      /* XSAVEOPT XSAVEC XGETBV1 */
    cpuid(0xd, 2, r);
    CU_ASSERT_EQUAL(r[0] | r[1] | r[2] | r[3], 0);
    /* The CR4 bits of the features can be set. */
    CU_ASSERT_TRUE(cpu_set_cr4(c, c->cr4 | CR4_OSXSAVE));
}

UNIT_SUITE(cpu_sse_state)
{
    CU_pSuite s = CU_add_suite("cpu_sse_state", NULL, cleanup);
    UNIT_TEST(s, test_mxcsr);
    UNIT_TEST(s, test_fxsave_layout);
    UNIT_TEST(s, test_fxsave_modes);
    UNIT_TEST(s, test_fxrstor);
    UNIT_TEST(s, test_xsave_avail);
    UNIT_TEST(s, test_xgetbv_xsetbv);
    UNIT_TEST(s, test_xsave_standard);
    UNIT_TEST(s, test_xsavec);
    UNIT_TEST(s, test_xrstor);
    UNIT_TEST(s, test_xrstor_compacted);
    UNIT_TEST(s, test_cpuid);
}
