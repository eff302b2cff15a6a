/*
 * The PV test-guest runtime: what a small Xen PV kernel needs to print,
 * make hypercalls and shut down.  printf & co. come from ../rt.
 */
#ifndef PVRT_H
#define PVRT_H

#include <stdint.h>
#include "rt.h"

/* Hypercall numbers (pub/xen.h). */
enum {
    __HYPERVISOR_set_trap_table = 0, __HYPERVISOR_mmu_update = 1,
    __HYPERVISOR_stack_switch = 3,
    __HYPERVISOR_set_callbacks = 4, __HYPERVISOR_fpu_taskswitch = 5,
    __HYPERVISOR_sched_op_compat = 6, __HYPERVISOR_set_debugreg = 8,
    __HYPERVISOR_get_debugreg = 9,
    __HYPERVISOR_memory_op = 12, __HYPERVISOR_multicall = 13,
    __HYPERVISOR_update_va_mapping = 14, __HYPERVISOR_set_timer_op = 15,
    __HYPERVISOR_xen_version = 17, __HYPERVISOR_console_io = 18,
    __HYPERVISOR_vm_assist = 21, __HYPERVISOR_iret = 23,
    __HYPERVISOR_vcpu_op = 24, __HYPERVISOR_set_segment_base = 25,
    __HYPERVISOR_mmuext_op = 26, __HYPERVISOR_nmi_op = 28,
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

/* vcpu_guest_context for VCPUOP_initialise: its size in this ABI, and a
 * secondary vCPU in kernel mode on Xen's flat selectors with vCPU 0's
 * page tables, starting at rip on the stack below stack_top (the rest
 * zero; flags as VGCF_*). */
#ifdef __x86_64__
#define PV_VCPU_CONTEXT_SIZE 5168
#else
#define PV_VCPU_CONTEXT_SIZE 2800
#endif
void pv_vcpu_context(uint8_t *ctx, unsigned long flags, unsigned long rip,
                     unsigned long stack_top);

/* Shut the domain down with a SCHEDOP_shutdown reason. */
RT_NORETURN void pv_shutdown(unsigned reason);

/*
 * Traps.  pv_trap_init() registers a stub for vectors 0..31 (DPL 0, #BP
 * and #OF DPL 3); pv_set_trap() adds or changes one vector (trap_info
 * flags: DPL | 4 to mask events).  A stub records Xen's bounce frame; with
 * a handler for the vector the handler runs (in guest kernel mode, it may
 * change ip/sp/flags/cs/ss) and the stub returns with the iret hypercall,
 * otherwise the innermost pv_try() gets the trap.
 */
struct pv_frame {
#ifdef __x86_64__
    unsigned long r15, r14, r13, r12, r11, r10, r9, r8;
    unsigned long di, si, bp, bx, dx, cx, ax;
#else
    unsigned long es, ds;                            /* as interrupted */
    unsigned long di, si, bp, sp0, bx, dx, cx, ax;   /* pusha */
#endif
    unsigned long vector, has_error;
    /* Xen's frame follows. */
};

struct pv_trap {
    int vector;
    unsigned long error, ip, cs, flags, sp, ss;
    unsigned long rcx, r11;            /* 64-bit frame only */
    unsigned long ax;                  /* the interrupted rax/eax */
    unsigned long frame;               /* where Xen's frame starts */
    unsigned frame_words;
};

#define PV_NO_TRAP (-1)
typedef void (*pv_handler)(struct pv_frame *f, struct pv_trap *t);
void pv_set_handler(int vector, pv_handler h);
long pv_trap_init(void);
long pv_set_trap(unsigned vector, unsigned flags);
int pv_try(void (*fn)(void), struct pv_trap *t);

typedef unsigned long pv_jmp_buf[8];
int pv_setjmp(pv_jmp_buf jb) __attribute__((returns_twice));
RT_NORETURN void pv_longjmp(pv_jmp_buf jb, int val);


#endif
