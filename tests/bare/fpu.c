/*
 * (h) The x87's system interface: #NM from CR0.TS/EM (and for WAIT only
 * with MP and TS), a pending unmasked exception (ES) delivered as #MF by
 * the next waiting x87 instruction when CR0.NE=1 and not by the FN forms,
 * FNCLEX, the environment FNSTENV stores at that point (FOP, FIP, FSW),
 * and stack overflow with the invalid exception unmasked.  Built as a
 * 64-bit kernel (fpu64) and a 32-bit one (fpu32).  (CR0.NE=0 is left to
 * the unit tests: QEMU 7.2 aborts on FERR# there.)
 */
#include "bare.h"

#define CR0_MP (1u << 1)
#define CR0_EM (1u << 2)
#define CR0_TS (1u << 3)
#define CR0_NE (1u << 5)

#ifdef __x86_64__
#define MEM(x) #x "(%rip)"
#else
#define MEM(x) #x
#endif

static struct rt_trap t;
uint16_t cw_ze = 0x037b;          /* ZE unmasked */
uint16_t cw_ie = 0x037e;          /* IE unmasked */
uint16_t sw;
uint8_t env[28];

ASM_FN(x_fninit, "fninit\n ret");
ASM_FN(x_fwait, "fwait\n ret");
ASM_FN(x_fld1, "fld1\n ret");
ASM_FN(x_fnstsw, "fnstsw " MEM(sw) "\n ret");
ASM_FN(x_fnclex_fwait, "fnclex\n fwait\n ret");
ASM_FN(x_fnstenv, "fnstenv " MEM(env) "\n ret");
/* 1 / 0 with ZE unmasked: FDIVP ST(1), ST(0) (DE F9) leaves ES set. */
ASM_FN(x_div0, "fninit\n fldcw " MEM(cw_ze) "\n fld1\n fldz\n"
               "x_div0_at: .byte 0xde, 0xf9\n ret");
/* Nine pushes with IE unmasked: the ninth overflows. */
ASM_FN(x_push9, "fninit\n fldcw " MEM(cw_ie) "\n fld1\n fld1\n fld1\n fld1\n fld1\n"
                "fld1\n fld1\n fld1\n x_push9_at: fld1\n ret");
extern char x_div0_at[], x_push9_at[];

static void cr0_set(unsigned set, unsigned clear)
{
    write_cr0((read_cr0() | set) & ~(uintptr_t)clear);
}

static void test(const char *what, const void *fn)
{
    report(what, TRY(fn, &t), &t, fn, 0);
}

static void show_env(const char *what, const void *insn)
{
    uint16_t fop = (uint16_t)(env[18] | env[19] << 8);
    uint32_t fip = (uint32_t)(env[12] | env[13] << 8 | env[14] << 16 |
                              (uint32_t)env[15] << 24);

    printf("%s: fsw=%#x fop=%#x fip=%s\n", what, env[4] | env[5] << 8, fop,
           fip == (uint32_t)(uintptr_t)insn ? "the instruction" : "elsewhere");
}

int main(void)
{
    printf("-- device not available\n");
    cr0_set(CR0_TS, CR0_MP | CR0_EM);
    test("fninit, TS=1", x_fninit);
    test("fwait, TS=1 MP=0", x_fwait);
    cr0_set(CR0_MP, 0);
    test("fwait, TS=1 MP=1", x_fwait);
    cr0_set(CR0_EM, CR0_TS | CR0_MP);
    test("fninit, EM=1", x_fninit);
    test("fwait, EM=1", x_fwait);
    cr0_set(CR0_MP, CR0_EM);
    test("fninit, MP=1", x_fninit);

    printf("-- pending exceptions, CR0.NE=1\n");
    cr0_set(CR0_NE, CR0_MP);
    test("1 / 0, ZE unmasked", x_div0);
    test("fnstsw", x_fnstsw);
    printf("fsw=%#x\n", sw);
    test("fnstenv", x_fnstenv);
    show_env("environment", x_div0_at);
    test("fwait", x_fwait);
    test("fld1", x_fld1);
    test("fnclex; fwait", x_fnclex_fwait);
    test("9 pushes, IE unmasked", x_push9);
    test("fnstenv", x_fnstenv);
    show_env("environment", x_push9_at);
    test("fld1", x_fld1);

    return 0;
}
