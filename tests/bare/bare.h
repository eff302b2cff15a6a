/* Helpers shared by the bare-machine system tests. */
#ifndef BARE_H
#define BARE_H

#include "rt.h"

/* Define a global assembly function `name` (callable from C). */
#define ASM_FN(name, body)                                                  \
    extern char name[];                                                     \
    __asm__(".pushsection .text, \"ax\"\n"                                 \
            ".globl " #name "\n"                                            \
            ".type " #name ", @function\n" #name ":\n" body "\n"            \
            ".popsection\n")

/* Call an ASM_FN through rt_try / rt_try_user. */
#define TRY(fn, t) rt_try((void (*)(void))(uintptr_t)(fn), (t))
#define TRY_USER(fn, t) rt_try_user((long (*)(void))(uintptr_t)(fn), (t))

static const char *const vec_names[32] = {
    "DE", "DB", "NMI", "BP", "OF", "BR", "UD", "NM", "DF", "9", "TS", "NP",
    "SS", "GP", "PF", "15", "MF", "AC", "MC", "XM", "VE", "CP",
};

static inline void print_vector(int v)
{
    if (v < 32 && vec_names[v])
        printf("#%s", vec_names[v]);
    else
        printf("vector %#x", (unsigned)v);
}

static inline void print_off(const char *name, uintptr_t addr, const void *base)
{
    long off = (long)(addr - (uintptr_t)base);
    if (off < 0)
        printf(" %s=%s-%ld", name, "", -off);
    else
        printf(" %s=+%ld", name, off);
}

/*
 * One line for what rt_try caught: "what: #GP err=0x4a ip=+3 cs=0x8",
 * ip relative to label (the start of the test's code).  cr2 is printed
 * relative to cr2_base when given, else in full.
 */
static inline void report_tail(int v, const struct rt_trap *t,
                               const void *label, const void *cr2_base)
{
    if (v == RT_NO_TRAP) {
        printf("no trap\n");
        return;
    }
    print_vector(v);
    printf(" err=%#lx", (unsigned long)t->error);
    print_off("ip", t->ip, label);
    printf(" cs=%#lx", (unsigned long)t->cs);
    if (v == 14) {
        if (cr2_base)
            print_off("cr2", t->cr2, cr2_base);
        else
            printf(" cr2=%#lx", (unsigned long)t->cr2);
    }
    printf("\n");
}

static inline void report(const char *what, int v, const struct rt_trap *t,
                          const void *label, const void *cr2_base)
{
    printf("%s: ", what);
    report_tail(v, t, label, cr2_base);
}

#endif
