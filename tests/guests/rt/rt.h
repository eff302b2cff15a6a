/*
 * The freestanding test-guest runtime: everything a small multiboot kernel
 * needs to print, catch faults, switch privilege levels and exit.
 *
 * A kernel provides `int main(void)`; the runtime enters it at CPL 0 with
 * the GDT, IDT and TSS below loaded (and, for 64-bit kernels, long mode with
 * the first 1 GiB identity mapped), and passes main's return value to
 * rt_exit().
 */
#ifndef RT_H
#define RT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define RT_NORETURN __attribute__((noreturn))
#define RT_PRINTF(a, b) __attribute__((format(printf, a, b)))

/*
 * GDT selectors (rt/gdt.h, table in rt/entry.S).  KERNEL_CS is 64-bit code
 * in 64-bit kernels and 32-bit code in 32-bit ones; TSS_SEL takes 16 bytes
 * in 64-bit kernels; tests may use GDT_FREE (0x48) up to 0x78.  The user
 * selectors fit SYSCALL/SYSRET (STAR[47:32] = KERNEL_CS, STAR[63:48] =
 * USER_CS32 & ~3) and SYSENTER/SYSEXIT (SYSENTER_CS = KERNEL_CS).
 */
#include "gdt.h"

extern uint64_t rt_gdt[GDT_ENTRIES];
extern uint32_t rt_mb_magic, rt_mb_info;   /* EAX, EBX at entry */

/* Console and exit: the only machine-specific layer (rt/io-*.c). */
void rt_putc(char c);
RT_NORETURN void rt_exit(int code);

/* Exit codes: the bare machine reports status (code << 1) | 1. */
enum { RT_EXIT_PASS = 0, RT_EXIT_FAIL = 1, RT_EXIT_TRAP = 2 };

/* Formatted output: %d %i %u %x %X %c %s %p %%, the l and ll modifiers,
 * field width and the '0', '-' and '#' flags. */
int printf(const char *fmt, ...) RT_PRINTF(1, 2);
int vprintf(const char *fmt, va_list ap);
int puts(const char *s);

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);

/* Trap frame as built by the stubs in rt/trap.S. */
#ifdef __x86_64__
struct rt_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t di, si, bp, bx, dx, cx, ax;
    uint64_t vector, error;
    uint64_t ip, cs, flags, sp, ss;       /* pushed by the CPU */
};
#else
struct rt_frame {
    uint32_t es, ds;
    uint32_t di, si, bp, sp0, bx, dx, cx, ax;   /* pusha */
    uint32_t vector, error;
    uint32_t ip, cs, flags;               /* pushed by the CPU */
    uint32_t sp, ss;                      /* only from an outer ring */
};
#endif

/* What rt_try() caught. */
struct rt_trap {
    int vector;
    uintptr_t error, ip, cs, flags, sp, ss;
    uintptr_t cr2;                        /* #PF only */
    uintptr_t dr6;                        /* #DB only */
    uintptr_t ax;                         /* value returned by user code */
};

#define RT_NO_TRAP (-1)

/* A handler replaces the default action for its vector; it may change the
 * frame (e.g. skip the instruction) and returns through IRET. */
typedef void (*rt_handler)(struct rt_frame *f);
void rt_set_handler(int vector, rt_handler h);

/* IDT gates: every vector starts as a DPL-0 interrupt gate to its stub.
 * type may include GATE_NOT_PRESENT (P = 0).  rt_gate_to() points the gate
 * at any code (e.g. a test's own assembly entry) instead of the stub. */
enum { GATE_INT = 0xe, GATE_TRAP = 0xf, GATE_NOT_PRESENT = 0x100 };
void rt_gate(int vector, int type, int dpl, int ist);
void rt_gate_to(int vector, uintptr_t target, int type, int dpl, int ist);
/* RT_VEC_DONE (gdt.h): vector rt_try_user() uses to come back from ring
 * 3 (a DPL-3 gate). */

/*
 * Run fn() at CPL 0 and catch the first trap that has no handler: returns
 * its vector, with the details in *t, or RT_NO_TRAP when fn returns.
 */
int rt_try(void (*fn)(void), struct rt_trap *t);
/* The same with fn running at CPL 3 (IRET to USER_CS*, on a user stack);
 * fn's return value ends up in t->ax. */
int rt_try_user(long (*fn)(void), struct rt_trap *t);

/* Non-local jumps usable from trap handlers. */
typedef uintptr_t rt_jmp_buf[8];
int rt_setjmp(rt_jmp_buf jb) __attribute__((returns_twice));
RT_NORETURN void rt_longjmp(rt_jmp_buf jb, int val);

/* TSS (rt/cpu.c). */
void rt_tss_set_sp0(uintptr_t sp);
#ifdef __x86_64__
void rt_tss_set_ist(int n, uintptr_t sp);
#endif
void rt_io_permit(unsigned port, int allow);   /* I/O permission bitmap */
/* Stack for traps from ring 3 (TSS.SP0) and the rt_try_user() stack. */
#define RT_STACK_SIZE 16384
extern char rt_kstack[RT_STACK_SIZE], rt_ustack[RT_STACK_SIZE];

/* GDT descriptors. */
uint64_t rt_seg_desc(uint32_t base, uint32_t limit, unsigned type, int dpl,
                     unsigned flags);  /* flags: bits 52..55 (AVL L D G) */
#define SEGF_L 0x2
#define SEGF_D 0x4
#define SEGF_G 0x8
void rt_set_gdt(unsigned sel, uint64_t desc);
/* Call gate at sel to target_sel:offset (16 bytes in long mode, where
 * params must be 0). */
void rt_call_gate(unsigned sel, unsigned target_sel, uintptr_t offset,
                  int dpl, int params);

#ifdef __x86_64__
/* Identity map of the first 1 GiB with 2 MiB pages (user, writable).
 * rt_pte() splits the 2 MiB page holding va into 4 KiB pages on first use
 * and returns the PTE of va. */
extern uint64_t rt_pml4[512], rt_pdpt[512], rt_pd[512];
uint64_t *rt_pte(uintptr_t va);
#define PTE_P   (1ull << 0)
#define PTE_W   (1ull << 1)
#define PTE_U   (1ull << 2)
#define PTE_A   (1ull << 5)
#define PTE_D   (1ull << 6)
#define PTE_PS  (1ull << 7)
#define PTE_G   (1ull << 8)
#define PTE_NX  (1ull << 63)
#endif

int main(void);

#include "x86.h"

#endif
