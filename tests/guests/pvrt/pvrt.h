/*
 * The PV test-guest runtime: what a small Xen PV kernel needs to print,
 * make hypercalls and shut down.  printf & co. come from ../rt.
 */
#ifndef PVRT_H
#define PVRT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define RT_NORETURN __attribute__((noreturn))
#define RT_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* From ../rt (printf.c, string.c) and this runtime (pvrt.c). */
void rt_putc(char c);
RT_NORETURN void rt_exit(int code);
enum { RT_EXIT_PASS = 0, RT_EXIT_FAIL = 1 };
int printf(const char *fmt, ...) RT_PRINTF(1, 2);
int vprintf(const char *fmt, va_list ap);
int puts(const char *s);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);

/* Hypercall numbers (pub/xen.h). */
enum {
    __HYPERVISOR_set_trap_table = 0, __HYPERVISOR_mmu_update = 1,
    __HYPERVISOR_stack_switch = 3, __HYPERVISOR_set_callbacks = 4, __HYPERVISOR_sched_op_compat = 6,
    __HYPERVISOR_memory_op = 12, __HYPERVISOR_multicall = 13,
    __HYPERVISOR_update_va_mapping = 14, __HYPERVISOR_set_timer_op = 15,
    __HYPERVISOR_xen_version = 17, __HYPERVISOR_console_io = 18,
    __HYPERVISOR_vm_assist = 21, __HYPERVISOR_iret = 23,
    __HYPERVISOR_vcpu_op = 24, __HYPERVISOR_mmuext_op = 26,
    __HYPERVISOR_sched_op = 29, __HYPERVISOR_callback_op = 30,
    __HYPERVISOR_event_channel_op = 32, __HYPERVISOR_physdev_op = 33,
};

enum { SCHEDOP_yield = 0, SCHEDOP_block = 1, SCHEDOP_shutdown = 2 };
enum { SHUTDOWN_poweroff = 0, SHUTDOWN_reboot = 1, SHUTDOWN_crash = 3 };

long pv_hypercall(unsigned nr, unsigned long a1, unsigned long a2,
                  unsigned long a3, unsigned long a4, unsigned long a5);

#define HYPERCALL(nr, a1, a2, a3) \
    pv_hypercall((nr), (unsigned long)(a1), (unsigned long)(a2), \
                 (unsigned long)(a3), 0, 0)

/* start_info as Xen passed it in rsi/esi. */
extern void *pv_start_info;

/* Shut the domain down with a SCHEDOP_shutdown reason. */
RT_NORETURN void pv_shutdown(unsigned reason);

#endif
