/*
 * (h) SIMD floating-point exceptions: masked ones set their MXCSR flags
 * and write the default result; an unmasked one is #XM with
 * CR4.OSXMMEXCPT (#UD without), sets its flags as the host does (only the
 * pre-computation ones when one of those is unmasked; PE beside an
 * unmasked OE or UE only when the significand is inexact; UE for an exact
 * tiny result when UE is unmasked) and leaves the destination as it was;
 * a misaligned m128 is #GP first.  Then #UD/#NM for an SSE and an x87
 * instruction under CR4.OSFXSR, CR0.EM and CR0.TS, and none after CLTS.
 * Built as a 64-bit kernel (simdfp64) and a 32-bit one (simdfp32).  The
 * expected flags and results were measured on an AMD EPYC host (user
 * mode, SIGFPE with the saved MXCSR and XMM0).
 */
#include "bare.h"

#define CR0_MP (1ul << 1)
#define CR0_EM (1ul << 2)
#define CR0_TS (1ul << 3)
#define CR4_OSFXSR (1ul << 9)
#define CR4_OSXMMEXCPT (1ul << 10)

#ifdef __x86_64__
#define MEM(x) #x "(%rip)"
#else
#define MEM(x) #x
#endif

/* MXCSR: all masked, and with one mask bit cleared. */
#define MX_MASKED 0x1f80u
#define IM (1u << 7)
#define DM (1u << 8)
#define ZM (1u << 9)
#define OM (1u << 10)
#define UM (1u << 11)
#define PM (1u << 12)

#define OLD 0x5555555555555555ull
#define F64_MAX 0x7fefffffffffffffull
#define F64_2P1023 0x7fe0000000000000ull
#define F32_INF 0x7f800000ull
#define F32_MAX 0x7f7fffffull

uint64_t va[2], vb[2], res[2];    /* XMM0 before, XMM1, XMM0 after */
uint64_t vb_mis[3] __attribute__((aligned(16)));   /* vb at +8 */
uint32_t mxcsr_in, mxcsr_out, mxcsr_def = MX_MASKED;

/* XMM0 = va, XMM1 = vb, MXCSR = mxcsr_in. */
#define LOAD "ldmxcsr " MEM(mxcsr_in) "\n movdqu " MEM(va) ", %xmm0\n" \
             " movdqu " MEM(vb) ", %xmm1\n"
ASM_FN(x_load, LOAD " ret");
/* res = XMM0, mxcsr_out = MXCSR, then MXCSR back to all masked. */
ASM_FN(x_save, "stmxcsr " MEM(mxcsr_out) "\n movdqu %xmm0, " MEM(res) "\n"
               " ldmxcsr " MEM(mxcsr_def) "\n ret");

/* name: load, then insn at name_at. */
#define OP(name, insn)                                                      \
    ASM_FN(name, LOAD #name "_at: " insn "\n ret");                        \
    extern char name##_at[]

OP(x_divss, "divss %xmm1, %xmm0");
OP(x_sqrtss, "sqrtss %xmm1, %xmm0");
OP(x_mulsd, "mulsd %xmm1, %xmm0");
OP(x_cvtsd2ss, "cvtsd2ss %xmm1, %xmm0");
OP(x_addps, "addps %xmm1, %xmm0");
OP(x_addps_mis, "addps " MEM(vb_mis + 8) ", %xmm0");

/* The same instructions on the registers as they are (for #UD/#NM). */
ASM_FN(x_divss_bare, "divss %xmm1, %xmm0\n ret");
ASM_FN(x_fld1, "fld1\n fstp %st(0)\n ret");
ASM_FN(x_clts, "clts\n ret");

/* An instruction and its operands: XMM0 (a) op= XMM1 (b). */
struct fp_op {
    const void *fn, *at;
    uint64_t a[2], b[2];
};

static const struct fp_op divss_1_0 = {
    x_divss, x_divss_at, { 0x555555553f800000ull, OLD }, { 0, 0 } };
static const struct fp_op sqrtss_m1 = {
    x_sqrtss, x_sqrtss_at, { OLD, OLD }, { 0xbf800000ull, 0 } };
static const struct fp_op mulsd_max = {
    x_mulsd, x_mulsd_at, { F64_MAX, OLD }, { F64_MAX, 0 } };
static const struct fp_op mulsd_2p2046 = {      /* exact significand */
    x_mulsd, x_mulsd_at, { F64_2P1023, OLD }, { F64_2P1023, 0 } };
static const struct fp_op mulsd_tiny = {        /* inexact and tiny */
    x_mulsd, x_mulsd_at, { 0x0010000000000001ull, OLD },
    { 0x3fe0000000000001ull, 0 } };
static const struct fp_op cvt_third = {
    x_cvtsd2ss, x_cvtsd2ss_at, { OLD, OLD }, { 0x3fd5555555555555ull, 0 } };
/* Lane 0 inf + -inf (invalid), lane 1 max + max (overflow). */
static const struct fp_op addps_ie_oe = {
    x_addps, x_addps_at, { F32_MAX << 32 | F32_INF, OLD },
    { F32_MAX << 32 | 0xff800000ull, 0 } };

/* The smallest denormal twice: denormal operands, a tiny exact sum. */
static const struct fp_op addps_denormal = {
    x_addps, x_addps_at, { 0x5555555500000001ull, OLD }, { 1, 0 } };
/* The invalid lane from a misaligned m128: #GP comes first. */
static const struct fp_op addps_ie_misaligned = {
    x_addps_mis, x_addps_mis_at, { F32_INF, OLD }, { 0xff800000ull, 0 } };

struct fp_case {
    const char *what;
    uint32_t mxcsr;
    const struct fp_op *op;
};

static const struct fp_case masked_cases[] = {
    { "divss 1/0", MX_MASKED, &divss_1_0 },
    { "sqrtss -1", MX_MASKED, &sqrtss_m1 },
    { "mulsd max*max", MX_MASKED, &mulsd_max },
    { "mulsd tiny", MX_MASKED, &mulsd_tiny },
    { "cvtsd2ss 1/3", MX_MASKED, &cvt_third },
    { "addps inf-inf|max+max", MX_MASKED, &addps_ie_oe },
    { "addps denormal+denormal", MX_MASKED, &addps_denormal },
};

static const struct fp_case unmasked_cases[] = {
    { "divss 1/0, ZE unmasked", MX_MASKED & ~ZM, &divss_1_0 },
    { "sqrtss -1, IE unmasked", MX_MASKED & ~IM, &sqrtss_m1 },
    { "mulsd max*max, OE unmasked", MX_MASKED & ~OM, &mulsd_max },
    { "mulsd 2^1023*2^1023, OE unmasked", MX_MASKED & ~OM, &mulsd_2p2046 },
    { "mulsd max*max, PE unmasked", MX_MASKED & ~PM, &mulsd_max },
    { "mulsd tiny, UE unmasked", MX_MASKED & ~UM, &mulsd_tiny },
    { "cvtsd2ss 1/3, PE unmasked", MX_MASKED & ~PM, &cvt_third },
    { "addps inf-inf|max+max, IE unmasked", MX_MASKED & ~IM, &addps_ie_oe },
    { "addps inf-inf|max+max, OE unmasked", MX_MASKED & ~OM, &addps_ie_oe },
    { "addps denormal+denormal, DE unmasked", MX_MASKED & ~DM,
      &addps_denormal },
    { "addps denormal+denormal, UE unmasked", MX_MASKED & ~UM,
      &addps_denormal },
    { "addps denormal+denormal, PE unmasked", MX_MASKED & ~PM,
      &addps_denormal },
    { "addps inf-inf misaligned m128, IE unmasked", MX_MASKED & ~IM,
      &addps_ie_misaligned },
};

static const struct fp_case no_osxmmexcpt_cases[] = {
    { "divss 1/0, ZE unmasked", MX_MASKED & ~ZM, &divss_1_0 },
    { "cvtsd2ss 1/3, PE unmasked", MX_MASKED & ~PM, &cvt_third },
    { "divss 1/0, masked", MX_MASKED, &divss_1_0 },
};

static struct rt_trap t;

static void print_trap(int v, const void *at)
{
    if (v == RT_NO_TRAP) {
        printf("no trap");
        return;
    }
    print_vector(v);
    print_off("ip", t.ip, at);
}

static void print_flags(uint32_t mxcsr)
{
    static const char *const names[6] = { "IE", "DE", "ZE", "OE", "UE", "PE" };
    int any = 0;

    printf(", flags");
    for (int i = 0; i < 6; i++)
        if (mxcsr >> i & 1) {
            printf(" %s", names[i]);
            any = 1;
        }
    if (!any)
        printf(" none");
}

static void print_xmm0(const uint64_t old[2])
{
    if (res[0] == old[0] && res[1] == old[1])
        printf(", xmm0 kept\n");
    else
        printf(", xmm0=%016llx_%016llx\n", (unsigned long long)res[1],
               (unsigned long long)res[0]);
}

static void run_case(const struct fp_case *c)
{
    const struct fp_op *op = c->op;
    int v;

    mxcsr_in = c->mxcsr;
    va[0] = op->a[0];
    va[1] = op->a[1];
    vb[0] = op->b[0];
    vb[1] = op->b[1];
    vb_mis[1] = op->b[0];
    vb_mis[2] = op->b[1];
    v = TRY(op->fn, &t);
    TRY(x_save, &t);
    printf("%s: ", c->what);
    print_trap(v, op->at);
    print_flags(mxcsr_out & 0x3f);
    print_xmm0(op->a);
}

static void run_cases(const struct fp_case *c, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        run_case(&c[i]);
}

static void test(const char *what, const void *fn)
{
    printf("%s: ", what);
    print_trap(TRY(fn, &t), fn);
    printf("\n");
}

/* XMM0 = 1.0, XMM1 = 0, MXCSR with ZE unmasked: DIVSS is #XM if it runs. */
static void load_div0(void)
{
    mxcsr_in = MX_MASKED & ~ZM;
    va[0] = 0x3f800000ull;
    va[1] = 0;
    vb[0] = vb[1] = 0;
    TRY(x_load, &t);
}

static void avail_tests(void)
{
    uintptr_t cr0 = read_cr0(), cr4 = read_cr4();

    printf("-- CR4.OSFXSR=0\n");
    load_div0();
    write_cr4(cr4 & ~CR4_OSFXSR);
    test("divss", x_divss_bare);
    test("fld1", x_fld1);
    write_cr4(cr4);

    printf("-- CR0.EM=1\n");
    write_cr0(cr0 | CR0_EM);
    test("divss", x_divss_bare);
    test("fld1", x_fld1);
    write_cr0(cr0 | CR0_EM | CR0_TS);
    test("divss, TS=1", x_divss_bare);
    write_cr0(cr0);

    printf("-- CR0.TS=1\n");
    write_cr0(cr0 | CR0_TS);
    test("divss 1/0, ZE unmasked", x_divss_bare);
    test("fld1", x_fld1);
    write_cr0(cr0 | CR0_TS | CR0_MP);
    test("divss, MP=1", x_divss_bare);
    test("fld1, MP=1", x_fld1);
    write_cr4(cr4 & ~CR4_OSFXSR);
    test("divss, OSFXSR=0", x_divss_bare);
    write_cr4(cr4);
    TRY(x_clts, &t);
    printf("after clts: CR0.TS=%u\n", (unsigned)(read_cr0() >> 3 & 1));
    test("divss 1/0, ZE unmasked", x_divss_bare);
    test("fld1", x_fld1);
    write_cr0(cr0);
    TRY(x_save, &t);
}

int main(void)
{
    uintptr_t cr4 = read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT;

    write_cr4(cr4);
    printf("-- masked\n");
    run_cases(masked_cases, sizeof(masked_cases) / sizeof(masked_cases[0]));
    printf("-- unmasked, CR4.OSXMMEXCPT=1\n");
    run_cases(unmasked_cases,
              sizeof(unmasked_cases) / sizeof(unmasked_cases[0]));
    printf("-- CR4.OSXMMEXCPT=0\n");
    write_cr4(cr4 & ~CR4_OSXMMEXCPT);
    run_cases(no_osxmmexcpt_cases,
              sizeof(no_osxmmexcpt_cases) / sizeof(no_osxmmexcpt_cases[0]));
    write_cr4(cr4);
    avail_tests();
    return 0;
}
