/*
 * (h) MMX/SSE availability and x87/SSE state management: the CPUID bits
 * and leaf 0xD; #UD/#NM for CR0.EM, CR0.TS, CR4.OSFXSR and CR4.OSXSAVE;
 * #MF for MMX instructions with an x87 exception pending; the legacy SSE
 * alignment rule; the MMX state transition and EMMS; XGETBV/XSETBV rules;
 * XSAVE, XSAVEOPT, XSAVEC and XRSTOR layouts, the init optimisation and
 * header checks.  64-bit kernel (simd64).
 */
#include "bare.h"

#define CR0_MP (1ul << 1)
#define CR0_EM (1ul << 2)
#define CR0_TS (1ul << 3)
#define CR0_NE (1ul << 5)
#define CR4_OSFXSR (1ul << 9)
#define CR4_OSXMMEXCPT (1ul << 10)
#define CR4_OSXSAVE (1ul << 18)

static uint8_t area[8192] __attribute__((aligned(4096)));
static uint8_t fx[512] __attribute__((aligned(16)));
uintptr_t ptr;                 /* memory operand of the INSN functions */
uint64_t mask = 3;             /* EDX:EAX of XSAVE/XRSTOR, ECX/EDX:EAX of XGETBV/XSETBV */
uint32_t xcr;

/* name: load RDI (ptr), RAX/RDX (mask) and ECX (xcr), then insn at
 * name_at. */
#define INSN(name, insn)                                                    \
    ASM_FN(name, "mov ptr(%rip), %rdi\n mov mask(%rip), %rax\n"             \
                 "mov %rax, %rdx\n shr $32, %rdx\n mov xcr(%rip), %ecx\n"  \
                 #name "_at: " insn "\n ret");                              \
    extern char name##_at[]

INSN(movaps_ld, "movaps (%rdi), %xmm0");
INSN(movups_ld, "movups (%rdi), %xmm0");
INSN(paddb_x, "paddb (%rdi), %xmm0");
INSN(paddb_mm, "paddb %mm1, %mm0");
INSN(emms, "emms");
INSN(ldmxcsr, "ldmxcsr (%rdi)");
INSN(stmxcsr, "stmxcsr (%rdi)");
INSN(fxsave, "fxsave64 (%rdi)");
INSN(fxrstor, "fxrstor64 (%rdi)");
INSN(xsave, "xsave64 (%rdi)");
INSN(xsaveopt, "xsaveopt64 (%rdi)");
INSN(xsavec, "xsavec64 (%rdi)");
INSN(xrstor, "xrstor64 (%rdi)");
INSN(xgetbv, "xgetbv\n mov %rax, mask(%rip)\n shl $32, %rdx\n or %rdx, mask(%rip)");
INSN(xsetbv, "xsetbv");
INSN(pxor_all, "pxor %xmm0, %xmm0\n pxor %xmm8, %xmm8");
INSN(movq2dq, "movq2dq %mm1, %xmm0");
INSN(pcmpistri, "pcmpistri $0x0c, (%rdi), %xmm0\n mov %rcx, mask(%rip)");
INSN(aesenc, "aesenc %xmm1, %xmm0");

struct rt_trap t;

static void test(const char *what, const void *fn, const void *at)
{
    report(what, TRY(fn, &t), &t, at, 0);
}

static void test_user(const char *what, const void *fn, const void *at)
{
    report(what, TRY_USER(fn, &t), &t, at, 0);
}

static uint64_t ld64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

static void st64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* ---- CPUID --------------------------------------------------------------- */

static void cpuid_tests(void)
{
    uint32_t r[4];

    printf("-- cpuid\n");
    cpuid(1, 0, r);
    printf("leaf 1: mmx=%u fxsr=%u sse=%u sse2=%u\n", r[3] >> 23 & 1,
           r[3] >> 24 & 1, r[3] >> 25 & 1, r[3] >> 26 & 1);
    printf("leaf 1: sse3=%u pclmul=%u ssse3=%u sse4.1=%u sse4.2=%u aes=%u "
           "xsave=%u osxsave=%u avx=%u\n", r[2] & 1, r[2] >> 1 & 1,
           r[2] >> 9 & 1, r[2] >> 19 & 1, r[2] >> 20 & 1, r[2] >> 25 & 1,
           r[2] >> 26 & 1, r[2] >> 27 & 1, r[2] >> 28 & 1);
    cpuid(7, 0, r);
    printf("leaf 7: avx2=%u\n", r[1] >> 5 & 1);
    cpuid(0xd, 0, r);
    printf("leaf 0xd.0: xcr0 bits=%#x size(enabled)=%u\n", r[0], r[1]);
    cpuid(0xd, 1, r);
    printf("leaf 0xd.1: xsaveopt=%u xsavec=%u xgetbv1=%u\n", r[0] & 1,
           r[0] >> 1 & 1, r[0] >> 2 & 1);
}

/* ---- availability -------------------------------------------------------- */

static void avail_tests(void)
{
    uintptr_t cr0 = read_cr0(), cr4 = read_cr4();
    uint32_t r[4];

    ptr = (uintptr_t)area;
    printf("-- CR4.OSFXSR=0\n");
    write_cr4(cr4 & ~CR4_OSFXSR);
    test("movaps", movaps_ld, movaps_ld_at);
    test("ldmxcsr", ldmxcsr, ldmxcsr_at);
    test("paddb mm", paddb_mm, paddb_mm_at);
    test("fxsave", fxsave, fxsave_at);
    write_cr4(cr4);

    printf("-- CR0.EM=1\n");
    write_cr0(cr0 | CR0_EM);
    test("movaps", movaps_ld, movaps_ld_at);
    test("paddb mm", paddb_mm, paddb_mm_at);
    test("emms", emms, emms_at);
    test("fxsave", fxsave, fxsave_at);
    test("xsave", xsave, xsave_at);
    write_cr0(cr0);

    printf("-- CR0.TS=1\n");
    write_cr0(cr0 | CR0_TS);
    test("movaps", movaps_ld, movaps_ld_at);
    test("paddb mm", paddb_mm, paddb_mm_at);
    test("emms", emms, emms_at);
    test("fxsave", fxsave, fxsave_at);
    test("xsave", xsave, xsave_at);
    test("xrstor", xrstor, xrstor_at);
    xcr = 0;
    test("xgetbv", xgetbv, xgetbv_at);
    write_cr0(cr0);

    printf("-- CR4.OSXSAVE=0\n");
    write_cr4(cr4 & ~CR4_OSXSAVE);
    cpuid(1, 0, r);
    printf("cpuid osxsave=%u\n", r[2] >> 27 & 1);
    test("xgetbv", xgetbv, xgetbv_at);
    test("xsetbv", xsetbv, xsetbv_at);
    test("xsave", xsave, xsave_at);
    write_cr4(cr4);
    cpuid(1, 0, r);
    printf("cpuid osxsave=%u (CR4.OSXSAVE=1)\n", r[2] >> 27 & 1);

    printf("-- CPL 3\n");
    mask = 3;
    test_user("xsetbv", xsetbv, xsetbv_at);
    test_user("xgetbv", xgetbv, xgetbv_at);
    test_user("movaps", movaps_ld, movaps_ld_at);
}

/* ---- alignment and MXCSR ------------------------------------------------- */

static void align_tests(void)
{
    printf("-- alignment\n");
    ptr = (uintptr_t)area + 8;
    test("movaps misaligned", movaps_ld, movaps_ld_at);
    test("movups misaligned", movups_ld, movups_ld_at);
    test("paddb xmm, misaligned m128", paddb_x, paddb_x_at);
    test("pcmpistri misaligned", pcmpistri, pcmpistri_at);
    test("fxsave misaligned", fxsave, fxsave_at);
    ptr = (uintptr_t)area + 16;
    test("xsave 16-byte aligned", xsave, xsave_at);
    printf("-- mxcsr\n");
    ptr = (uintptr_t)area;
    st64(area, 0x10000 | 0x1f80);
    test("ldmxcsr reserved bit 16", ldmxcsr, ldmxcsr_at);
    st64(area, 0x7f80);
    test("ldmxcsr 0x7f80", ldmxcsr, ldmxcsr_at);
    st64(area, 0);
    test("stmxcsr", stmxcsr, stmxcsr_at);
    printf("mxcsr=%#lx\n", (unsigned long)ld64(area));
    st64(area, 0x1f80);
    test("ldmxcsr 0x1f80", ldmxcsr, ldmxcsr_at);
}

/* ---- x87/MMX state ------------------------------------------------------- */

/* FXRSTOR an image with the given FSW and abridged tags. */
static void load_x87(uint16_t fsw, uint8_t tags)
{
    for (int i = 0; i < 512; i++)
        fx[i] = 0;
    fx[0] = 0x7f;
    fx[1] = 0x03;
    fx[2] = (uint8_t)fsw;
    fx[3] = (uint8_t)(fsw >> 8);
    fx[4] = tags;
    fx[24] = 0x80;
    fx[25] = 0x1f;
    ptr = (uintptr_t)fx;
    TRY(fxrstor, &t);
}

static void show_x87(const char *what)
{
    ptr = (uintptr_t)fx;
    TRY(fxsave, &t);
    printf("%s: fsw=%#x tags=%#x\n", what, fx[2] | fx[3] << 8, fx[4]);
}

static void mmx_tests(void)
{
    uintptr_t cr0 = read_cr0();

    printf("-- MMX state\n");
    load_x87(5u << 11, 0);
    show_x87("before");
    test("paddb mm", paddb_mm, paddb_mm_at);
    show_x87("after paddb mm");
    load_x87(5u << 11, 0);
    test("paddb xmm", paddb_x, paddb_x_at);
    show_x87("after paddb xmm");
    test("movq2dq", movq2dq, movq2dq_at);
    show_x87("after movq2dq");
    load_x87(5u << 11, 0x21);
    test("emms", emms, emms_at);
    show_x87("after emms");

    printf("-- pending x87 exception (FSW.ES), CR0.NE=1\n");
    write_cr0(cr0 | CR0_NE);
    load_x87(0x84, 0);
    test("paddb mm", paddb_mm, paddb_mm_at);
    test("emms", emms, emms_at);
    test("movq2dq", movq2dq, movq2dq_at);
    test("aesenc (SSE)", aesenc, aesenc_at);
    test("fxsave (no wait)", fxsave, fxsave_at);
    load_x87(0, 0xff);
    write_cr0(cr0);
}

/* ---- XSAVE --------------------------------------------------------------- */

static void show_area(const char *what)
{
    printf("%s: xstate_bv=%#lx xcomp_bv=%#lx fcw=%#lx mxcsr=%#lx xmm0=%#lx "
           "xmm8=%#lx\n", what, (unsigned long)ld64(area + 512),
           (unsigned long)ld64(area + 520), (unsigned long)(ld64(area) & 0xffff),
           (unsigned long)(ld64(area + 24) & 0xffffffff),
           (unsigned long)ld64(area + 160), (unsigned long)ld64(area + 160 + 128));
}

/* The area filled with 0xa5 and a zero header (what is not written shows
 * as 0xa5...). */
static void fill_area(void)
{
    for (int i = 0; i < 1024; i++)
        area[i] = i >= 512 && i < 576 ? 0 : 0xa5;
}

static void xsave_tests(void)
{
    uint32_t r[4];
    int v;

    printf("-- xsetbv/xgetbv\n");
    xcr = 0;
    static const uint64_t bad[] = { 0, 2, 5 };
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        mask = bad[i];
        printf("xcr0=%#lx ", (unsigned long)mask);
        report_tail(TRY(xsetbv, &t), &t, xsetbv_at, 0);
    }
    mask = 3;
    xcr = 1;
    printf("ecx=1: ");
    report_tail(TRY(xsetbv, &t), &t, xsetbv_at, 0);
    xcr = 0;
    test("xcr0=3", xsetbv, xsetbv_at);
    test("xgetbv", xgetbv, xgetbv_at);
    printf("xcr0=%#lx\n", (unsigned long)mask);
    cpuid(0xd, 0, r);
    printf("leaf 0xd.0 ebx=%u\n", r[1]);

    printf("-- xsave\n");
    /* A known state: x87 from fx, XMM0 = 0x11.., XMM8 = 0x99.., MXCSR. */
    load_x87(0x0000, 0x80);
    ptr = (uintptr_t)area;
    fill_area();
    for (int i = 0; i < 160; i++)
        area[i] = fx[i];
    for (int i = 0; i < 16; i++)
        st64(area + 160 + 16 * i, 0x1111111111111111ull * (uint64_t)(i + 1));
    st64(area + 512, 3);
    st64(area + 24, 0x1f80);
    mask = 3;
    test("xrstor", xrstor, xrstor_at);
    fill_area();
    st64(area + 512, 1ull << 40);
    mask = 2;
    test("xsave sse", xsave, xsave_at);
    show_area("  sse only");
    fill_area();
    mask = ~0ull;
    test("xsave all", xsave, xsave_at);
    show_area("  all");

    printf("-- init optimisation\n");
    st64(area + 512, 0);                  /* XRSTOR of the initial state */
    mask = 3;
    test("xrstor bv=0", xrstor, xrstor_at);
    xcr = 1;
    test("xgetbv(1)", xgetbv, xgetbv_at);
    printf("xinuse=%#lx\n", (unsigned long)mask);
    xcr = 0;
    mask = 3;
    fill_area();
    test("xsaveopt", xsaveopt, xsaveopt_at);
    show_area("  after init");
    fill_area();
    test("xsave", xsave, xsave_at);
    show_area("  after init");

    printf("-- xrstor header\n");
    st64(area + 512, 3);
    st64(area + 24, 0x1f80);
    area[528] = 1;
    test("bytes 16..23 not zero", xrstor, xrstor_at);
    area[528] = 0;
    area[540] = 1;
    test("byte 28 not zero", xrstor, xrstor_at);
    area[540] = 0;
    st64(area + 512, 1ull << 63 | 3);
    test("xstate_bv bit 63", xrstor, xrstor_at);
    st64(area + 512, 3);
    st64(area + 24, 0x40000);
    test("mxcsr reserved bit", xrstor, xrstor_at);
    st64(area + 24, 0x1f80);

    printf("-- xsavec\n");
    cpuid(0xd, 1, r);
    if (!(r[0] & 2)) {
        printf("xsavec not advertised\n");
        return;
    }
    fill_area();
    test("pxor", pxor_all, pxor_all_at);
    st64(area + 2048, 0x3f80);
    ptr = (uintptr_t)area + 2048;
    test("ldmxcsr 0x3f80", ldmxcsr, ldmxcsr_at);
    ptr = (uintptr_t)area;
    test("xsavec", xsavec, xsavec_at);
    show_area("  mxcsr 0x3f80");
    st64(area + 512, 0);                  /* both components initial */
    test("xrstor compacted", xrstor, xrstor_at);
    st64(area, 0);
    ptr = (uintptr_t)area + 2048;
    test("stmxcsr", stmxcsr, stmxcsr_at);
    printf("mxcsr=%#lx\n", (unsigned long)(ld64(area + 2048) & 0xffffffff));
    ptr = (uintptr_t)area;
    st64(area + 520, 1ull << 63 | 1);
    st64(area + 512, 3);
    v = TRY(xrstor, &t);
    printf("xrstor xstate_bv outside xcomp_bv: ");
    report_tail(v, &t, xrstor_at, 0);
}

int main(void)
{
    uintptr_t cr4 = read_cr4();

    write_cr4(cr4 | CR4_OSFXSR | CR4_OSXMMEXCPT | CR4_OSXSAVE);
    cpuid_tests();
    avail_tests();
    align_tests();
    mmx_tests();
    xsave_tests();
    return 0;
}
