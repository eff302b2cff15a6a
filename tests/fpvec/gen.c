/*
 * fpvec-gen: floating-point test vectors from the real x87 and SSE units
 * of an x86-64 host (the only place inline asm is allowed: test code).
 *
 *   fpvec-gen --emit FILE     write the committed vector set (C initialisers
 *                             for tests/unit/test-softfloat.c)
 *   fpvec-gen [--quick | --long | --count N] [--seed S] [--op NAME]
 *             [--show N]      run random cases of every operation on the
 *                             host and through cpu/softfloat (2000 per
 *                             operation, --quick 10000, --long 500000),
 *                             report differences
 *
 * Both modes end with "N passed, N failed", counting operations (one
 * passes when all its cases agree).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include "../unit/fpvec.h"

/* ---- deterministic randomness ---------------------------------------------- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static unsigned rndn(unsigned n)
{
    return (unsigned)(rnd() % n);
}

/* ---- the host's x87 ---------------------------------------------------------- */

struct m80 { uint8_t b[10]; };
struct fsave { uint8_t b[108]; };

static struct m80 to_m80(uint16_t e, uint64_t m)
{
    struct m80 r;
    memcpy(r.b, &m, 8);
    memcpy(r.b + 8, &e, 2);
    return r;
}

#define X87(body)                                                           \
    __asm__ volatile("fninit\n\tfldcw %[cw]\n\tfldt %[b]\n\tfldt %[a]\n\t"  \
                     body "\n\tfnsave %[save]"                              \
                     : [save] "=m"(save), [m] "+m"(mem)                     \
                     : [cw] "m"(cw), [a] "m"(a), [b] "m"(b)                 \
                     : "memory")
#define X87LD(body)                                                         \
    __asm__ volatile("fninit\n\tfldcw %[cw]\n\tfldt %[b]\n\t"               \
                     body "\n\tfnsave %[save]"                              \
                     : [save] "=m"(save), [m] "+m"(mem)                     \
                     : [cw] "m"(cw), [b] "m"(b)                             \
                     : "memory")

static void x87_once(struct fpvec *v, uint64_t fill)
{
    uint16_t cw = (uint16_t)v->ctl;
    struct m80 a = to_m80(v->ae, v->am), b = to_m80(v->be, v->bm);
    struct fsave save;
    uint64_t mem = fill;
    uint16_t fsw;

    if (v->op == V_FLD32 || v->op == V_FLD64)
        mem = v->am;
    switch (v->op) {
    case V_FADD: X87("fadd %%st(1), %%st"); break;
    case V_FSUB: X87("fsub %%st(1), %%st"); break;
    case V_FMUL: X87("fmul %%st(1), %%st"); break;
    case V_FDIV: X87("fdiv %%st(1), %%st"); break;
    case V_FSQRT: X87("fsqrt"); break;
    case V_FPREM: X87("fprem"); break;
    case V_FPREM1: X87("fprem1"); break;
    case V_FSCALE: X87("fscale"); break;
    case V_FXTRACT: X87("fxtract"); break;
    case V_FRNDINT: X87("frndint"); break;
    case V_FCOM: X87("fcom %%st(1)"); break;
    case V_FUCOM: X87("fucom %%st(1)"); break;
    case V_FST32: X87("fsts %[m]"); break;
    case V_FST64: X87("fstl %[m]"); break;
    case V_FLD32: X87LD("flds %[m]"); break;
    case V_FLD64: X87LD("fldl %[m]"); break;
    case V_FIST16: X87("fists %[m]"); break;
    case V_FIST32: X87("fistl %[m]"); break;
    case V_FIST64: X87("fistpll %[m]"); break;
    case V_FISTT16: X87("fisttps %[m]"); break;
    case V_FISTT32: X87("fisttpl %[m]"); break;
    case V_FISTT64: X87("fisttpll %[m]"); break;
    case V_FSIN: X87("fsin"); break;
    case V_FCOS: X87("fcos"); break;
    case V_FPTAN: X87("fptan"); break;
    case V_FPATAN: X87("fpatan"); break;
    case V_F2XM1: X87("f2xm1"); break;
    case V_FYL2X: X87("fyl2x"); break;
    case V_FYL2XP1: X87("fyl2xp1"); break;
    default: abort();
    }
    memcpy(&fsw, save.b + 4, 2);
    memcpy(&v->rm, save.b + 28, 8);
    memcpy(&v->re, save.b + 36, 2);
    memcpy(&v->r2m, save.b + 38, 8);
    memcpy(&v->r2e, save.b + 46, 2);
    v->flags = fsw & 0x47bfu;
    if (v->op >= V_FST32 && v->op <= V_FISTT64 && v->op != V_FLD32 &&
        v->op != V_FLD64) {
        v->rm = mem;
        v->re = 0;
        v->r2m = 0;
        v->r2e = 0;
    }
    if (v->op == V_FPATAN || v->op == V_FYL2X || v->op == V_FYL2XP1) {
        v->r2m = 0;
        v->r2e = 0;
    }
}

static void x87_run(struct fpvec *v)
{
    static const uint64_t fills[2] = { 0x5a5a5a5a5a5a5a5aull,
                                       0xa5a5a5a5a5a5a5a5ull };
    struct fpvec w = *v;
    bool store = v->op >= V_FST32 && v->op <= V_FISTT64 &&
                 v->op != V_FLD32 && v->op != V_FLD64;
    uint64_t mask;

    x87_once(v, fills[0]);
    if (!store)
        return;
    x87_once(&w, fills[1]);
    mask = v->op == V_FST32 || v->op == V_FIST32 || v->op == V_FISTT32
               ? 0xffffffffull
               : v->op == V_FIST16 || v->op == V_FISTT16 ? 0xffffull : ~0ull;
    if (v->rm == fills[0] && w.rm == fills[1]) {
        v->flags |= FPV_NOSTORE;
        v->rm = 0;
    } else {
        v->rm &= mask;
    }
}

/* ---- the host's SSE --------------------------------------------------------- */

static sigjmp_buf fpe_jmp;
static volatile uint32_t fpe_mxcsr;

static void on_fpe(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;
    (void)sig;
    (void)si;
    fpe_mxcsr = uc->uc_mcontext.fpregs->mxcsr;
    siglongjmp(fpe_jmp, 1);
}

#define SSE(body)                                                           \
    __asm__ volatile("ldmxcsr %[csr]\n\tmovq %[a], %%xmm0\n\t"              \
                     "movq %[b], %%xmm1\n\t" body "\n\t"                    \
                     "movq %%xmm0, %[r]\n\tstmxcsr %[out]"                  \
                     : [r] "=m"(r), [out] "=m"(out)                         \
                     : [csr] "m"(csr), [a] "m"(a), [b] "m"(b)               \
                     : "xmm0", "xmm1", "rax", "memory", "cc")
#define ROUND(op, imm) \
    case imm: SSE(op " $" #imm ", %%xmm1, %%xmm0"); break

static void sse_exec(struct fpvec *v)
{
    uint32_t csr = v->ctl & 0xffff, out = 0;
    uint64_t a = v->am, b = v->bm, r = 0;
    unsigned imm = (v->ctl >> 24) & 0xf;

    switch (v->op) {
    case V_ADDSS: SSE("addss %%xmm1, %%xmm0"); break;
    case V_SUBSS: SSE("subss %%xmm1, %%xmm0"); break;
    case V_MULSS: SSE("mulss %%xmm1, %%xmm0"); break;
    case V_DIVSS: SSE("divss %%xmm1, %%xmm0"); break;
    case V_SQRTSS: SSE("sqrtss %%xmm1, %%xmm0"); break;
    case V_MINSS: SSE("minss %%xmm1, %%xmm0"); break;
    case V_MAXSS: SSE("maxss %%xmm1, %%xmm0"); break;
    case V_ADDSD: SSE("addsd %%xmm1, %%xmm0"); break;
    case V_SUBSD: SSE("subsd %%xmm1, %%xmm0"); break;
    case V_MULSD: SSE("mulsd %%xmm1, %%xmm0"); break;
    case V_DIVSD: SSE("divsd %%xmm1, %%xmm0"); break;
    case V_SQRTSD: SSE("sqrtsd %%xmm1, %%xmm0"); break;
    case V_MINSD: SSE("minsd %%xmm1, %%xmm0"); break;
    case V_MAXSD: SSE("maxsd %%xmm1, %%xmm0"); break;
    case V_CVTSS2SD: SSE("cvtss2sd %%xmm1, %%xmm0"); break;
    case V_CVTSD2SS: SSE("cvtsd2ss %%xmm1, %%xmm0"); break;
    case V_CVTSS2SI: SSE("cvtss2si %%xmm1, %%eax\n\tmovq %%rax, %%xmm0"); break;
    case V_CVTTSS2SI: SSE("cvttss2si %%xmm1, %%eax\n\tmovq %%rax, %%xmm0"); break;
    case V_CVTSS2SI64: SSE("cvtss2si %%xmm1, %%rax\n\tmovq %%rax, %%xmm0"); break;
    case V_CVTTSS2SI64: SSE("cvttss2si %%xmm1, %%rax\n\tmovq %%rax, %%xmm0"); break;
    case V_CVTSD2SI: SSE("cvtsd2si %%xmm1, %%eax\n\tmovq %%rax, %%xmm0"); break;
    case V_CVTTSD2SI: SSE("cvttsd2si %%xmm1, %%eax\n\tmovq %%rax, %%xmm0"); break;
    case V_CVTSD2SI64: SSE("cvtsd2si %%xmm1, %%rax\n\tmovq %%rax, %%xmm0"); break;
    case V_CVTTSD2SI64: SSE("cvttsd2si %%xmm1, %%rax\n\tmovq %%rax, %%xmm0"); break;
    case V_CVTSI2SS: SSE("movq %%xmm1, %%rax\n\tcvtsi2ssq %%rax, %%xmm0"); break;
    case V_CVTSI2SD: SSE("movq %%xmm1, %%rax\n\tcvtsi2sdq %%rax, %%xmm0"); break;
#define CMP(op) "xor %%eax, %%eax\n\t" op " %%xmm1, %%xmm0\n\tlahf\n\t" \
                "movzbl %%ah, %%eax\n\tmovq %%rax, %%xmm0"
    case V_COMISS: SSE(CMP("comiss")); break;
    case V_UCOMISS: SSE(CMP("ucomiss")); break;
    case V_COMISD: SSE(CMP("comisd")); break;
    case V_UCOMISD: SSE(CMP("ucomisd")); break;
    case V_ROUNDSS:
        switch (imm) {
        ROUND("roundss", 0); ROUND("roundss", 1); ROUND("roundss", 2);
        ROUND("roundss", 3); ROUND("roundss", 4); ROUND("roundss", 8);
        ROUND("roundss", 9); ROUND("roundss", 10); ROUND("roundss", 11);
        ROUND("roundss", 12);
        default: abort();
        }
        break;
    case V_ROUNDSD:
        switch (imm) {
        ROUND("roundsd", 0); ROUND("roundsd", 1); ROUND("roundsd", 2);
        ROUND("roundsd", 3); ROUND("roundsd", 4); ROUND("roundsd", 8);
        ROUND("roundsd", 9); ROUND("roundsd", 10); ROUND("roundsd", 11);
        ROUND("roundsd", 12);
        default: abort();
        }
        break;
#define CMPI(op, imm) \
    case imm: SSE(op " $" #imm ", %%xmm1, %%xmm0"); break
    case V_CMPSS:
        switch (imm) {
        CMPI("cmpss", 0); CMPI("cmpss", 1); CMPI("cmpss", 2); CMPI("cmpss", 3);
        CMPI("cmpss", 4); CMPI("cmpss", 5); CMPI("cmpss", 6); CMPI("cmpss", 7);
        default: abort();
        }
        break;
    case V_CMPSD:
        switch (imm) {
        CMPI("cmpsd", 0); CMPI("cmpsd", 1); CMPI("cmpsd", 2); CMPI("cmpsd", 3);
        CMPI("cmpsd", 4); CMPI("cmpsd", 5); CMPI("cmpsd", 6); CMPI("cmpsd", 7);
        default: abort();
        }
        break;
    case V_RCPSS: SSE("rcpss %%xmm1, %%xmm0"); break;
    case V_RSQRTSS: SSE("rsqrtss %%xmm1, %%xmm0"); break;
    default: abort();
    }
    v->flags = out & 0x3f;
    switch (v->op) {
    case V_COMISS: case V_UCOMISS: case V_COMISD: case V_UCOMISD:
        v->flags |= (uint32_t)(r & 0x45) << 8;
        r = 0;
        break;
    case V_ADDSS: case V_SUBSS: case V_MULSS: case V_DIVSS: case V_SQRTSS:
    case V_MINSS: case V_MAXSS: case V_CVTSD2SS: case V_CVTSS2SI:
    case V_CVTTSS2SI: case V_CVTSD2SI: case V_CVTTSD2SI: case V_CVTSI2SS:
    case V_ROUNDSS: case V_CMPSS: case V_RCPSS: case V_RSQRTSS:
        r &= 0xffffffffull;
        break;
    }
    v->rm = r;
}

static void sse_run(struct fpvec *v)
{
    v->re = v->r2e = 0;
    v->r2m = 0;
    if (sigsetjmp(fpe_jmp, 1)) {
        v->flags = (fpe_mxcsr & 0x3f) | FPV_FAULT;
        v->rm = 0;
        return;
    }
    sse_exec(v);
}

/* ---- operands ------------------------------------------------------------------- */

static const struct { uint16_t e; uint64_t m; } x80_special[] = {
    { 0x0000, 0 }, { 0x8000, 0 },
    { 0x3fff, 1ull << 63 }, { 0xbfff, 1ull << 63 },
    { 0x0001, 1ull << 63 }, { 0x8001, 1ull << 63 },
    { 0x0000, 1ull << 62 }, { 0x0000, 1 }, { 0x8000, 0x123456789abcull },
    { 0x0000, (1ull << 63) | 5 },                    /* pseudo-denormal */
    { 0x7ffe, ~0ull }, { 0xfffe, ~0ull },
    { 0x7fff, 1ull << 63 }, { 0xffff, 1ull << 63 },
    { 0x7fff, 3ull << 62 }, { 0x7fff, (3ull << 62) | 0x1234 },
    { 0xffff, 3ull << 62 }, { 0x7fff, (1ull << 63) | 1 },
    { 0xffff, (1ull << 63) | 0x2000000000000000ull },
    { 0x3fff, 1ull << 62 },                          /* unnormal */
    { 0x7fff, 0 }, { 0x7fff, 1ull << 62 },           /* pseudo-inf/NaN */
    { 0x4000, 0xc90fdaa22168c235ull }, { 0x3ffe, 0xb17217f7d1cf79acull },
    { 0x403e, 1ull << 63 }, { 0xc03e, 1ull << 63 }, { 0x403d, ~0ull },
    { 0x400e, 0xffff000000000000ull }, { 0x401e, 0x8000000100000000ull },
    { 0x3ffe, 1ull << 63 }, { 0x3ffd, 0xc000000000000000ull },
};

static const uint32_t f32_special[] = {
    0, 0x80000000, 0x3f800000, 0xbf800000, 0x00800000, 0x80800000,
    0x00000001, 0x007fffff, 0x80400000, 0x7f7fffff, 0xff7fffff,
    0x7f800000, 0xff800000, 0x7fc00000, 0x7fc01234, 0xffc00000,
    0x7f800001, 0xffa00000, 0x4f000000, 0xcf000000, 0x5f000000,
    0x3f000000, 0x3fc00000, 0x40490fdb, 0x46fffe00, 0xc7000100,
};

static const uint64_t f64_special[] = {
    0, 0x8000000000000000ull, 0x3ff0000000000000ull, 0xbff0000000000000ull,
    0x0010000000000000ull, 0x8010000000000000ull, 1, 0x000fffffffffffffull,
    0x8008000000000000ull, 0x7fefffffffffffffull, 0xffefffffffffffffull,
    0x7ff0000000000000ull, 0xfff0000000000000ull, 0x7ff8000000000000ull,
    0x7ff8000000001234ull, 0xfff8000000000000ull, 0x7ff0000000000001ull,
    0xfff4000000000000ull, 0x41e0000000000000ull, 0xc1e0000000000000ull,
    0x43e0000000000000ull, 0xc3e0000000000000ull, 0x3fe0000000000000ull,
    0x3ff8000000000000ull, 0x400921fb54442d18ull, 0x36a0000000000000ull,
    0x47e0000000000000ull,
};

/* Exponent (biased) of a random operand: mostly near 1, sometimes near the
 * ends of the range. */
static int rnd_exp(int bias, int emax)
{
    switch (rndn(6)) {
    case 0: return 1 + rndn(70);
    case 1: return emax - 1 - rndn(70);
    case 2: return (int)rndn((unsigned)emax);
    default: return bias - 70 + (int)rndn(140);
    }
}

static uint64_t rnd_mant(void)
{
    uint64_t m = rnd();
    switch (rndn(4)) {
    case 0: return m & (~0ull << (8 + rndn(50)));    /* trailing zeros */
    case 1: return m | (~0ull >> (8 + rndn(40)));    /* trailing ones */
    default: return m;
    }
}

static void rnd_x80(uint16_t *e, uint64_t *m)
{
    if (rndn(5) == 0) {
        unsigned k = rndn((unsigned)(sizeof(x80_special) /
                                     sizeof(x80_special[0])));
        *e = x80_special[k].e;
        *m = x80_special[k].m;
        return;
    }
    *e = (uint16_t)(rnd_exp(16383, 32767) | (rndn(2) << 15));
    *m = rnd_mant() | 1ull << 63;
}

static uint64_t rnd_f32(void)
{
    if (rndn(4) == 0)
        return f32_special[rndn(sizeof(f32_special) / 4)];
    return (uint64_t)rndn(2) << 31 | (uint64_t)rnd_exp(127, 255) << 23 |
           (rnd_mant() >> 41);
}

static uint64_t rnd_f64(void)
{
    if (rndn(4) == 0)
        return f64_special[rndn(sizeof(f64_special) / 8)];
    return (uint64_t)rndn(2) << 63 | (uint64_t)rnd_exp(1023, 2047) << 52 |
           (rnd_mant() >> 12);
}

static uint64_t rnd_int64(void)
{
    switch (rndn(4)) {
    case 0: return rnd();
    case 1: return rnd() >> rndn(64);
    case 2: return (uint64_t)-(int64_t)(rnd() >> rndn(64));
    default: return rnd() & (~0ull << rndn(64));
    }
}

static bool op_is_sd(unsigned op)
{
    switch (op) {
    case V_ADDSD: case V_SUBSD: case V_MULSD: case V_DIVSD: case V_SQRTSD:
    case V_MINSD: case V_MAXSD: case V_CVTSD2SS: case V_CVTSD2SI:
    case V_CVTTSD2SI: case V_CVTSD2SI64: case V_CVTTSD2SI64:
    case V_COMISD: case V_UCOMISD: case V_ROUNDSD: case V_CMPSD:
        return true;
    }
    return false;
}

/* Masks: all, none, or a random set. */
static unsigned rnd_masks(void)
{
    switch (rndn(4)) {
    case 0: return 0;
    case 1: return (unsigned)rndn(64);
    default: return 0x3f;
    }
}

static void make_case(struct fpvec *v, unsigned op)
{
    static const uint8_t pcs[] = { 0, 2, 3, 3 };
    static const uint8_t imms[] = { 0, 1, 2, 3, 4, 8, 9, 10, 11, 12 };

    memset(v, 0, sizeof(*v));
    v->op = (uint8_t)op;
    if (op < V_FIRST_SSE) {
        v->ctl = 0x40 | (uint32_t)pcs[rndn(4)] << 8 | rndn(4) << 10 |
                 rnd_masks();
        rnd_x80(&v->ae, &v->am);
        rnd_x80(&v->be, &v->bm);
        if (rndn(4) == 0) {                  /* close operands */
            v->be = (uint16_t)(v->ae ^ (rndn(2) << 15));
            v->bm = v->am ^ (rnd() >> rndn(64));
            v->bm |= v->am & (1ull << 63);
        }
        if (op == V_FLD32)
            v->am = rnd_f32(), v->ae = 0;
        if (op == V_FLD64)
            v->am = rnd_f64(), v->ae = 0;
        if (op == V_FSCALE && rndn(2))
            v->be = (uint16_t)((v->be & 0x8000) | (16383 + rndn(16)));
        if ((op == V_FSIN || op == V_FCOS || op == V_FPTAN) && rndn(3))
            v->ae = (uint16_t)((v->ae & 0x8000) | (16383 - 20 + rndn(60)));
        if ((op == V_F2XM1 || op == V_FYL2XP1) && rndn(4))
            v->ae = (uint16_t)((v->ae & 0x8000) | (16383 - 1 - rndn(66)));
        if (op == V_FYL2X && rndn(2))
            v->ae &= 0x7fff;
        return;
    }
    v->ctl = rndn(4) << 13 | rnd_masks() << 7;
    if (rndn(4) == 0)
        v->ctl |= 0x40;                      /* DAZ */
    if (rndn(4) == 0)
        v->ctl |= 0x8000;                    /* FTZ */
    if (op == V_ROUNDSS || op == V_ROUNDSD)
        v->ctl |= (uint32_t)imms[rndn(sizeof(imms))] << 24;
    if (op == V_CMPSS || op == V_CMPSD)
        v->ctl |= (uint32_t)rndn(8) << 24;
    if (op == V_CVTSI2SS || op == V_CVTSI2SD) {
        v->bm = rnd_int64();
        v->am = rnd_f64();
        return;
    }
    if (op_is_sd(op) || op == V_CVTSS2SD) {
        v->am = rnd_f64();
        v->bm = op == V_CVTSS2SD ? rnd_f32() : rnd_f64();
        if (op != V_CVTSS2SD && rndn(4) == 0)
            v->bm = (v->am ^ (rnd() >> (12 + rndn(52)))) ^
                    ((uint64_t)rndn(2) << 63);
    } else {
        v->am = rnd_f32();
        v->bm = rnd_f32();
        if (rndn(4) == 0)
            v->bm = ((v->am ^ (rnd() >> (41 + rndn(23)))) ^
                     ((uint64_t)rndn(2) << 31)) & 0xffffffffull;
    }
}

static void run_case(struct fpvec *v)
{
    if (v->op < V_FIRST_SSE)
        x87_run(v);
    else
        sse_run(v);
}

static int lookup_op(const char *name)
{
    for (int k = 0; k < V_NOPS; k++)
        if (!strcasecmp(name, fpvec_names[k]))
            return k;
    return -1;
}

int main(int argc, char **argv)
{
    const char *emit = NULL;
    unsigned count = 2000, show = 10, shown = 0;
    uint64_t seed = 1;
    int only = -1;
    unsigned long passed = 0, failed = 0, ops_failed = 0, ops = 0;
    struct sigaction sa;
    FILE *out = NULL;

    for (int k = 1; k < argc; k++) {
        if (!strcmp(argv[k], "--emit") && k + 1 < argc)
            emit = argv[++k];
        else if (!strcmp(argv[k], "--quick"))
            count = 10000;
        else if (!strcmp(argv[k], "--long"))
            count = 500000;
        else if (!strcmp(argv[k], "--count") && k + 1 < argc)
            count = (unsigned)strtoul(argv[++k], NULL, 0);
        else if (!strcmp(argv[k], "--seed") && k + 1 < argc)
            seed = strtoull(argv[++k], NULL, 0);
        else if (!strcmp(argv[k], "--show") && k + 1 < argc)
            show = (unsigned)strtoul(argv[++k], NULL, 0);
        else if (!strcmp(argv[k], "--op") && k + 1 < argc) {
            if ((only = lookup_op(argv[++k])) < 0) {
                fprintf(stderr, "fpvec-gen: %s: no such operation\n", argv[k]);
                return 2;
            }
        } else {
            fprintf(stderr, "usage: fpvec-gen [--emit FILE] [--quick | --long "
                            "| --count N] [--seed S] [--op NAME] [--show N]\n");
            return 2;
        }
    }
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_fpe;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGFPE, &sa, NULL);
    if (emit) {
        out = fopen(emit, "w");
        if (!out) {
            perror(emit);
            return 2;
        }
        fprintf(out, "/* Generated by tests/fpvec/gen.c on an x86-64 host "
                     "(fpvec-gen --emit): do not edit. */\n");
        if (count == 2000)
            count = 150;
    }
    for (unsigned op = 0; op < V_NOPS; op++) {
        unsigned bad = 0;
        if (only >= 0 && op != (unsigned)only)
            continue;
        rng_state = seed * 0x100000001b3ull + op;
        for (unsigned n = 0; n < count; n++) {
            struct fpvec v;
            char why[512];
            make_case(&v, op);
            run_case(&v);
            if (out)
                fprintf(out, "{%u,%#" PRIx32 ",%#x,%#x,%#x,%#x,%#" PRIx64
                             ",%#" PRIx64 ",%#" PRIx64 ",%#" PRIx64
                             ",%#" PRIx32 "},\n",
                        v.op, v.ctl, v.ae, v.be, v.re, v.r2e, v.am, v.bm,
                        v.rm, v.r2m, v.flags);
            if (fpvec_check(&v, why, sizeof(why))) {
                passed++;
            } else {
                failed++;
                bad++;
                if (shown < show) {
                    printf("FAIL %s\n", why);
                    shown++;
                }
            }
        }
        ops++;
        if (bad) {
            ops_failed++;
            printf("%-12s %u of %u differ\n", fpvec_names[op], bad, count);
        }
    }
    if (out)
        fclose(out);
    printf("%lu cases, %lu failed; host vs softfloat, seed %#llx\n",
           passed + failed, failed, (unsigned long long)seed);
    printf("%lu passed, %lu failed\n", ops - ops_failed, ops_failed);
    return failed != 0;
}
