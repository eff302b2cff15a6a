/*
 * MMX/SSE plumbing (cpu/simd.c): the availability checks and their order
 * (#UD, #NM, #MF), the MMX state transition, memory operands (the 16-byte
 * alignment rule of legacy SSE and the instructions exempt from it, the
 * operand sizes of the partial loads and stores, stores that cross into a
 * missing page), masked stores, mandatory-prefix decoding and CRC32.  The
 * AMD behaviours asserted here were measured on an AMD EPYC host.
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

static void fresh(void)
{
    CU_ASSERT_FATAL(tm_reinit(&t, TM_64) == 0);
    c = &t.cpu;
    CU_ASSERT_FATAL(cpu_set_cr4(c, c->cr4 | CR4_OSFXSR | CR4_OSXMMEXCPT));
    c->r[R_DI] = D;
}

static int cleanup(void)
{
    tm_release(&t);
    return 0;
}

static void set_xmm(unsigned n, uint64_t lo, uint64_t hi)
{
    c->fpu.xmm[n].q[0] = lo;
    c->fpu.xmm[n].q[1] = hi;
}

static void fill(uint64_t pa, unsigned n, uint8_t b)
{
    for (unsigned k = 0; k < n; k++)
        tm_store(&t, pa + k, 1, b);
}

/* ---- availability -------------------------------------------------------- */

static void test_avail_sse(void)
{
    fresh();
    set_xmm(1, 1, 2);
    OK(0x0f, 0x28, 0xc1);                          /* movaps xmm0, xmm1 */
    CU_ASSERT_EQUAL(c->fpu.xmm[0].q[1], 2);
    c->cr0 |= CR0_TS;
    FAULT(EXC_NM, 0x0f, 0x28, 0xc1);
    c->cr0 |= CR0_EM;                              /* #UD before #NM */
    FAULT(EXC_UD, 0x0f, 0x28, 0xc1);
    c->cr0 &= ~(CR0_EM | CR0_TS);
    c->cr4 &= ~CR4_OSFXSR;
    FAULT(EXC_UD, 0x0f, 0x28, 0xc1);
    FAULT(EXC_UD, 0x66, 0x0f, 0xfc, 0xc1);         /* paddb xmm0, xmm1 */
    FAULT(EXC_UD, 0x0f, 0xae, 0x17);               /* ldmxcsr [rdi] */
    FAULT(EXC_UD, 0xf3, 0x0f, 0xd6, 0xc1);         /* movq2dq xmm0, mm1 */
    OK(0x0f, 0xfc, 0xc1);                          /* paddb mm0, mm1 */
    OK(0x0f, 0x70, 0xc1, 0x1b);                    /* pshufw: an MMX form */
    /* CRC32 is an integer instruction: no CR0/CR4 conditions. */
    c->cr0 |= CR0_EM | CR0_TS;
    OK(0xf2, 0x0f, 0x38, 0xf1, 0xc1);              /* crc32 eax, ecx */
}

static void test_avail_mmx(void)
{
    fresh();
    c->cr0 |= CR0_TS;
    FAULT(EXC_NM, 0x0f, 0xfc, 0xc1);
    FAULT(EXC_NM, 0x0f, 0x77);                     /* emms */
    c->cr0 |= CR0_EM;
    FAULT(EXC_UD, 0x0f, 0xfc, 0xc1);
    FAULT(EXC_UD, 0x0f, 0x77);
    c->cr0 &= ~(CR0_EM | CR0_TS);

    /* A pending unmasked x87 exception: #MF with CR0.NE, after memory
     * faults (AMD), and not for SSE instructions. */
    c->fpu.fsw = 0x80 | 0x04;                      /* ES, ZE */
    c->cr0 |= CR0_NE;
    FAULT(EXC_MF, 0x0f, 0xfc, 0xc1);
    FAULT(EXC_MF, 0x0f, 0x77);
    FAULT(EXC_MF, 0xf3, 0x0f, 0xd6, 0xc1);         /* movq2dq */
    FAULT(EXC_MF, 0x0f, 0x7f, 0x07);               /* movq [rdi], mm0 */
    OK(0x66, 0x0f, 0xfc, 0xc1);
    tm_unmap(&t, D);
    FAULT(EXC_PF, 0x0f, 0xfc, 0x07);               /* paddb mm0, [rdi] */
    FAULT(EXC_PF, 0x0f, 0x7f, 0x07);
    c->cr0 &= ~CR0_NE;                             /* FERR# not modelled */
    OK(0x0f, 0xfc, 0xc1);
}

/* After an MMX instruction TOP = 0 and all tags are valid; writing an MMX
 * register sets the exponent bits; EMMS empties the tags; a faulting MMX
 * instruction changes nothing (AMD). */
static void test_mmx_state(void)
{
    fresh();
    c->fpu.fsw = 5u << 11;
    c->fpu.ftw = 0xffff;
    c->fpu.st[0].mant = 0x0102030405060708ull;
    c->fpu.st[1].mant = 0x1010101010101010ull;
    OK(0x0f, 0xfc, 0xc1);                          /* paddb mm0, mm1 */
    CU_ASSERT_EQUAL(c->fpu.st[0].mant, 0x1112131415161718ull);
    CU_ASSERT_EQUAL(c->fpu.st[0].se, 0xffff);
    CU_ASSERT_EQUAL(c->fpu.fsw, 0);
    CU_ASSERT_EQUAL(c->fpu.ftw, 0);
    OK(0x0f, 0x77);
    CU_ASSERT_EQUAL(c->fpu.ftw, 0xffff);
    CU_ASSERT_EQUAL(c->fpu.st[0].mant, 0x1112131415161718ull);

    c->fpu.fsw = 5u << 11;
    OK(0x66, 0x0f, 0xfc, 0xc1);                    /* SSE2: no transition */
    CU_ASSERT_EQUAL(c->fpu.fsw, 5u << 11);
    CU_ASSERT_EQUAL(c->fpu.ftw, 0xffff);
    OK(0xf3, 0x0f, 0xd6, 0xc1);                    /* movq2dq: transition */
    CU_ASSERT_EQUAL(c->fpu.xmm[0].q[0], 0x1010101010101010ull);
    CU_ASSERT_EQUAL(c->fpu.xmm[0].q[1], 0);
    CU_ASSERT_EQUAL(c->fpu.fsw, 0);
    CU_ASSERT_EQUAL(c->fpu.ftw, 0);

    c->fpu.fsw = 5u << 11;
    c->fpu.ftw = 0xffff;
    tm_unmap(&t, D);
    FAULT(EXC_PF, 0x0f, 0xfc, 0x07);               /* paddb mm0, [rdi] */
    FAULT(EXC_PF, 0x0f, 0x7f, 0x07);               /* movq [rdi], mm0 */
    CU_ASSERT_EQUAL(c->fpu.fsw, 5u << 11);
    CU_ASSERT_EQUAL(c->fpu.ftw, 0xffff);
}

/* ---- memory operands ----------------------------------------------------- */

static void test_alignment(void)
{
    fresh();
    for (unsigned k = 0; k < 32; k++)
        tm_store(&t, D + k, 1, k);
    c->r[R_DI] = D + 8;
    FAULT(EXC_GP, 0x0f, 0x28, 0x07);               /* movaps xmm0, [rdi] */
    CU_ASSERT_EQUAL(t.ev.error, 0);
    FAULT(EXC_GP, 0x66, 0x0f, 0x6f, 0x07);         /* movdqa */
    FAULT(EXC_GP, 0x66, 0x0f, 0xfc, 0x07);         /* paddb xmm0, m128 */
    FAULT(EXC_GP, 0x66, 0x0f, 0x38, 0x2a, 0x07);   /* movntdqa */
    FAULT(EXC_GP, 0x66, 0x0f, 0x38, 0x17, 0x07);   /* ptest */
    set_xmm(0, 0x1111, 0x2222);
    FAULT(EXC_GP, 0x0f, 0x29, 0x07);               /* movaps [rdi], xmm0 */
    CU_ASSERT_EQUAL(tm_load(&t, D + 8, 8), 0x0f0e0d0c0b0a0908ull);
    FAULT(EXC_GP, 0x66, 0x0f, 0xe7, 0x07);         /* movntdq */

    OK(0x0f, 0x10, 0x07);                          /* movups */
    CU_ASSERT_EQUAL(c->fpu.xmm[0].q[0], 0x0f0e0d0c0b0a0908ull);
    CU_ASSERT_EQUAL(c->fpu.xmm[0].q[1], 0x1716151413121110ull);
    OK(0xf3, 0x0f, 0x6f, 0x0f);                    /* movdqu xmm1 */
    OK(0xf2, 0x0f, 0xf0, 0x17);                    /* lddqu xmm2 */
    CU_ASSERT_EQUAL(c->fpu.xmm[2].q[1], 0x1716151413121110ull);
    OK(0x66, 0x0f, 0x3a, 0x61, 0x07, 0x00);        /* pcmpestri */
    OK(0x66, 0x0f, 0x38, 0x30, 0x07);              /* pmovzxbw m64 */
    CU_ASSERT_EQUAL(c->fpu.xmm[0].q[0], 0x000b000a00090008ull);
    OK(0x0f, 0xfc, 0x07);                          /* paddb mm0, m64 */
    OK(0xf3, 0x0f, 0x7e, 0x07);                    /* movq xmm0, m64 */
    c->r[R_DI] = D + 16;
    OK(0x0f, 0x28, 0x07);
    CU_ASSERT_EQUAL(c->fpu.xmm[0].q[0], 0x1716151413121110ull);
}

static void test_partial_loads(void)
{
    fresh();
    for (unsigned k = 0; k < 16; k++)
        tm_store(&t, D + k, 1, 0xa0 + k);
    set_xmm(0, ~0ull, ~0ull);
    OK(0xf3, 0x0f, 0x10, 0x07);                    /* movss xmm0, m32 */
    CU_ASSERT_EQUAL(c->fpu.xmm[0].q[0], 0xa3a2a1a0ull);
    CU_ASSERT_EQUAL(c->fpu.xmm[0].q[1], 0);
    set_xmm(0, ~0ull, ~0ull);
    set_xmm(1, 0x1234, 0x5678);
    OK(0xf3, 0x0f, 0x10, 0xc1);                    /* movss xmm0, xmm1 */
    CU_ASSERT_EQUAL(c->fpu.xmm[0].q[0], 0xffffffff00001234ull);
    CU_ASSERT_EQUAL(c->fpu.xmm[0].q[1], ~0ull);
    set_xmm(0, 1, 2);
    OK(0x0f, 0x16, 0x07);                          /* movhps xmm0, m64 */
    CU_ASSERT_EQUAL(c->fpu.xmm[0].q[0], 1);
    CU_ASSERT_EQUAL(c->fpu.xmm[0].q[1], 0xa7a6a5a4a3a2a1a0ull);
    OK(0x0f, 0x12, 0x47, 0x08);                    /* movlps xmm0, [rdi+8] */
    CU_ASSERT_EQUAL(c->fpu.xmm[0].q[0], 0xafaeadacabaaa9a8ull);
    set_xmm(0, 7, 9);
    OK(0xf2, 0x0f, 0x12, 0x07);                    /* movddup xmm0, m64 */
    CU_ASSERT_EQUAL(c->fpu.xmm[0].q[1], 0xa7a6a5a4a3a2a1a0ull);
    OK(0x66, 0x0f, 0x3a, 0x20, 0x47, 0x03, 0x05);  /* pinsrb xmm0, [rdi+3], 5 */
    CU_ASSERT_EQUAL(c->fpu.xmm[0].q[0], 0xa7a6a3a4a3a2a1a0ull);
    set_xmm(0, 0, 0);
    /* insertps xmm0, m32, 0xd1: the memory dword (imm[7:6] ignored) to
     * dword 1, then dword 0 zeroed */
    set_xmm(0, 0x5555555555555555ull, 0);
    OK(0x66, 0x0f, 0x3a, 0x21, 0x07, 0xd1);
    CU_ASSERT_EQUAL(c->fpu.xmm[0].q[0], 0xa3a2a1a000000000ull);
    OK(0x66, 0x0f, 0x38, 0x22, 0x07);              /* pmovsxbq m16 */
    CU_ASSERT_EQUAL(c->fpu.xmm[0].q[0], 0xffffffffffffffa0ull);
    CU_ASSERT_EQUAL(c->fpu.xmm[0].q[1], 0xffffffffffffffa1ull);

    /* punpcklbw mm, m32 reads 4 bytes: the last 4 before a missing page */
    tm_unmap(&t, D + 0x1000);
    tm_store(&t, D + 0xffc, 4, 0x44332211);
    c->fpu.st[0].mant = 0;
    c->r[R_DI] = D + 0xffc;
    OK(0x0f, 0x60, 0x07);
    CU_ASSERT_EQUAL(c->fpu.st[0].mant, 0x4400330022001100ull);
    FAULT(EXC_PF, 0x0f, 0x68, 0x07);               /* punpckhbw: m64 */
    CU_ASSERT_EQUAL(t.ev.cr2, D + 0x1000);
    c->r[R_DI] = D + 0xffe;
    OK(0x66, 0x0f, 0x38, 0x22, 0x07);              /* pmovsxbq m16 */
}

static void test_partial_stores(void)
{
    fresh();
    fill(D, 32, 0xee);
    set_xmm(0, 0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull);
    OK(0xf3, 0x0f, 0x11, 0x07);                    /* movss m32, xmm0 */
    CU_ASSERT_EQUAL(tm_load(&t, D, 8), 0xeeeeeeee03020100ull);
    OK(0x0f, 0x17, 0x47, 0x08);                    /* movhps [rdi+8], xmm0 */
    CU_ASSERT_EQUAL(tm_load(&t, D + 8, 8), 0x0f0e0d0c0b0a0908ull);
    CU_ASSERT_EQUAL(tm_load(&t, D + 16, 1), 0xee);
    OK(0x66, 0x0f, 0x3a, 0x15, 0x47, 0x10, 0x05);  /* pextrw [rdi+16], xmm0, 5 */
    CU_ASSERT_EQUAL(tm_load(&t, D + 16, 4), 0xeeee0b0aull);
    OK(0x66, 0x0f, 0x3a, 0x17, 0x47, 0x14, 0x03);  /* extractps [rdi+20], xmm0, 3 */
    CU_ASSERT_EQUAL(tm_load(&t, D + 20, 4), 0x0f0e0d0cull);
    c->r[R_AX] = ~0ull;
    OK(0x66, 0x0f, 0x3a, 0x14, 0xc0, 0x0e);        /* pextrb eax, xmm0, 14 */
    CU_ASSERT_EQUAL(c->r[R_AX], 0x0e);
    c->r[R_AX] = ~0ull;
    OK(0x66, 0x48, 0x0f, 0x7e, 0xc0);              /* movq rax, xmm0 */
    CU_ASSERT_EQUAL(c->r[R_AX], 0x0706050403020100ull);
    OK(0x66, 0x0f, 0x7e, 0xc0);                    /* movd eax, xmm0 */
    CU_ASSERT_EQUAL(c->r[R_AX], 0x03020100ull);

    /* A 16-byte store across into a missing page writes nothing. */
    tm_unmap(&t, D + 0x1000);
    fill(D + 0xff8, 8, 0xee);
    c->r[R_DI] = D + 0xff8;
    FAULT(EXC_PF, 0x0f, 0x11, 0x07);               /* movups [rdi], xmm0 */
    CU_ASSERT_EQUAL(t.ev.cr2, D + 0x1000);
    CU_ASSERT_EQUAL(t.ev.error & PFEC_W, PFEC_W);
    CU_ASSERT_EQUAL(tm_load(&t, D + 0xff8, 8), 0xeeeeeeeeeeeeeeeeull);
}

/* MASKMOVDQU/MASKMOVQ: the selected bytes at DS:rDI (segment override
 * allowed); like AMD, every byte must be writable even when the mask
 * selects none. */
static void test_maskmov(void)
{
    fresh();
    fill(D, 32, 0xee);
    set_xmm(0, 0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull);
    set_xmm(1, 0x0000000080000080ull, 0x8000000000000000ull);
    OK(0x66, 0x0f, 0xf7, 0xc1);                    /* maskmovdqu xmm0, xmm1 */
    CU_ASSERT_EQUAL(tm_load(&t, D, 8), 0xeeeeeeee03eeee00ull);
    CU_ASSERT_EQUAL(tm_load(&t, D + 8, 8), 0x0feeeeeeeeeeeeeeull);
    c->seg[SEG_FS].base = 0x10;
    c->fpu.st[0].mant = 0x1122334455667788ull;
    c->fpu.st[1].mant = 0x8000000000000080ull;
    OK(0x64, 0x0f, 0xf7, 0xc1);                    /* maskmovq mm0, mm1 (fs:) */
    CU_ASSERT_EQUAL(tm_load(&t, D + 0x10, 8), 0x11eeeeeeeeeeee88ull);
    CU_ASSERT_EQUAL(c->fpu.ftw, 0);

    tm_unmap(&t, D + 0x1000);
    fill(D + 0xff8, 8, 0xee);
    c->r[R_DI] = D + 0xffc;
    c->fpu.st[1].mant = 0x80;                      /* only byte 0 */
    FAULT(EXC_PF, 0x0f, 0xf7, 0xc1);
    CU_ASSERT_EQUAL(tm_load(&t, D + 0xffc, 1), 0xee);
    c->r[R_DI] = D + 0x1000;
    set_xmm(1, 0, 0);
    FAULT(EXC_PF, 0x66, 0x0f, 0xf7, 0xc1);         /* no byte selected */
}

/* ---- decoding ------------------------------------------------------------ */

/* Encodings the host CPU (AMD EPYC) rejects with #UD. */
static void test_decode_ud(void)
{
    fresh();
    FAULT(EXC_UD, 0xf3, 0x0f, 0xfc, 0xc1);         /* paddb mm with F3 */
    FAULT(EXC_UD, 0xf2, 0x0f, 0xdb, 0xc1);         /* pand mm with F2 */
    FAULT(EXC_UD, 0x66, 0x0f, 0x77);               /* emms with 66 */
    FAULT(EXC_UD, 0xf3, 0x0f, 0x38, 0x00, 0xc1);   /* pshufb with F3 */
    FAULT(EXC_UD, 0x66, 0x0f, 0x12, 0xc1);         /* movlpd reg */
    FAULT(EXC_UD, 0x0f, 0x13, 0xc1);               /* movlps store reg */
    FAULT(EXC_UD, 0x0f, 0x2b, 0xc1);               /* movntps reg */
    FAULT(EXC_UD, 0xf2, 0x0f, 0xf0, 0xc1);         /* lddqu reg */
    FAULT(EXC_UD, 0x66, 0x0f, 0xf7, 0x07);         /* maskmovdqu mem */
    FAULT(EXC_UD, 0x66, 0x0f, 0xc5, 0x07, 0x00);   /* pextrw 0f c5 mem */
    FAULT(EXC_UD, 0x66, 0x0f, 0x71, 0x17, 0x00);   /* psrlw imm, mem */
    FAULT(EXC_UD, 0x0f, 0x73, 0xdf, 0x00);         /* psrldq on mm */
    FAULT(EXC_UD, 0x0f, 0x71, 0xc7, 0x00);         /* 0f 71 /0 */
    FAULT(EXC_UD, 0xf0, 0x66, 0x0f, 0xfc, 0x07);   /* lock paddb */
    FAULT(EXC_UD, 0x0f, 0x50, 0x07);               /* movmskps mem */
    FAULT(EXC_UD, 0xf3, 0x0f, 0xd6, 0x07);         /* movq2dq mem */
    FAULT(EXC_UD, 0x0f, 0x38, 0x17, 0xc1);         /* ptest without 66 */
    FAULT(EXC_UD, 0xf2, 0x0f, 0x6f, 0x07);
    OK(0x66, 0x0f, 0x3a, 0x15, 0xc0, 0x00);        /* pextrw reg (0f 3a) */
    set_xmm(0, 0, 0);
    fill(D, 16, 0);
    c->r[R_DI] = D + 8;
    OK(0x66, 0xf3, 0x0f, 0x6f, 0x07);              /* F3 wins: movdqu */
    OK(0xf3, 0x66, 0x0f, 0x6f, 0x07);
    /* AVX is not advertised: VEX-encoded instructions are #UD. */
    FAULT(EXC_UD, 0xc5, 0xf9, 0xfc, 0xc1);         /* vpaddb xmm0, xmm0, xmm1 */
}

/* ---- CRC32 --------------------------------------------------------------- */

static void test_crc32(void)
{
    static const char check[] = "123456789";

    fresh();
    for (unsigned k = 0; k < 9; k++)
        tm_store(&t, D + k, 1, (uint8_t)check[k]);
    c->r[R_CX] = 0xffffffffu;
    OK(0xf2, 0x48, 0x0f, 0x38, 0xf1, 0x0f);        /* crc32 rcx, [rdi] */
    OK(0xf2, 0x0f, 0x38, 0xf0, 0x4f, 0x08);        /* crc32 ecx, byte [rdi+8] */
    CU_ASSERT_EQUAL(c->r[R_CX] ^ 0xffffffffu, 0xe3069283u);   /* CRC-32C */

    c->r[R_CX] = 0xffffffffu;
    OK(0x66, 0xf2, 0x0f, 0x38, 0xf1, 0x0f);        /* crc32 ecx, word [rdi] */
    OK(0xf2, 0x0f, 0x38, 0xf1, 0x4f, 0x02);        /* crc32 ecx, dword */
    OK(0x66, 0xf2, 0x0f, 0x38, 0xf1, 0x4f, 0x06);
    OK(0xf2, 0x0f, 0x38, 0xf0, 0x4f, 0x08);
    CU_ASSERT_EQUAL(c->r[R_CX] ^ 0xffffffffu, 0xe3069283u);

    /* "12" a byte at a time from AH and BL (REX.W: the 64-bit
     * destination is zero-extended) equals "12" as one word. */
    c->r[R_CX] = 0xffffffffu;
    OK(0x66, 0xf2, 0x0f, 0x38, 0xf1, 0x0f);
    uint64_t word = c->r[R_CX];
    c->r[R_CX] = 0x12345678ffffffffull;
    c->r[R_AX] = 0x3100;                           /* AH = '1' */
    c->r[R_BX] = 0x32;                             /* BL = '2' */
    OK(0xf2, 0x0f, 0x38, 0xf0, 0xcc);              /* crc32 ecx, ah */
    c->r[R_CX] |= 0xabcd000000000000ull;
    OK(0xf2, 0x48, 0x0f, 0x38, 0xf0, 0xcb);        /* crc32 rcx, bl */
    CU_ASSERT_EQUAL(c->r[R_CX], word);
}

UNIT_SUITE(cpu_sse_mem)
{
    CU_pSuite s = CU_add_suite("cpu_sse_mem", NULL, cleanup);
    UNIT_TEST(s, test_avail_sse);
    UNIT_TEST(s, test_avail_mmx);
    UNIT_TEST(s, test_mmx_state);
    UNIT_TEST(s, test_alignment);
    UNIT_TEST(s, test_partial_loads);
    UNIT_TEST(s, test_partial_stores);
    UNIT_TEST(s, test_maskmov);
    UNIT_TEST(s, test_decode_ud);
    UNIT_TEST(s, test_crc32);
}
