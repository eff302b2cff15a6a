/*
 * The hypercall table and its entry points.
 *
 * A 64-bit guest calls with `syscall` in kernel mode (rax = number; rdi,
 * rsi, rdx, r10, r8), a 32-bit guest with `int $0x82` (eax; ebx, ecx, edx,
 * esi, edi).  hypercall_dispatch() reads the arguments of the guest's ABI,
 * widens them to uint64_t (zero-extended for 32-bit guests) and calls the
 * table entry; a missing entry returns -ENOSYS and is counted.
 *
 * Each subsystem implements its hypercalls as do_NAME(v, args) in its own
 * file and lists them in the table in hypercall.c.
 */
#ifndef XENEMU_XENPLAT_HYPERCALL_H
#define XENEMU_XENPLAT_HYPERCALL_H

#include "xenplat/domain.h"

#define HYPERCALL_MAX_ARGS 6

typedef long (*hypercall_fn)(struct vcpu *v, const uint64_t *a);

struct hypercall_def {
    const char *name;
    hypercall_fn fn64, fn32;    /* NULL: not available for that ABI */
};

extern const struct hypercall_def hypercall_table[NR_HYPERCALLS];

/* Hypercall nr with args (multicall uses this too).  Sets *no_return when
 * the call replaced the guest's registers (iret) or ended the vCPU's run. */
long hypercall_call(struct vcpu *v, unsigned nr, const uint64_t *a);

/* The guest executed a hypercall instruction: read registers, call, write
 * the result. */
void hypercall_from_guest(struct vcpu *v);

/* Set by a hypercall that must not have its result written to rax (iret,
 * or a vCPU that blocked and will get rax on wake-up). */
void hypercall_no_return(struct vcpu *v);
/* hypercall_create_continuation: the guest re-executes the hypercall
 * instruction (its registers as they are: the caller updated them or the
 * guest memory it works on).  False inside a multicall, where the caller
 * must finish the work at once. */
bool hypercall_continuation(struct vcpu *v);

/* The entry points, grouped by file. */
/* console.c */
long do_console_io(struct vcpu *v, const uint64_t *a);
/* sched.c */
long do_sched_op(struct vcpu *v, const uint64_t *a);
long do_sched_op_compat(struct vcpu *v, const uint64_t *a);
/* traps.c */
long do_set_trap_table(struct vcpu *v, const uint64_t *a);
long do_set_callbacks(struct vcpu *v, const uint64_t *a);
long do_set_callbacks32(struct vcpu *v, const uint64_t *a);
long do_callback_op(struct vcpu *v, const uint64_t *a);
long do_stack_switch(struct vcpu *v, const uint64_t *a);
long do_pv_iret(struct vcpu *v, const uint64_t *a);
long do_pv_iret32(struct vcpu *v, const uint64_t *a);
long do_fpu_taskswitch(struct vcpu *v, const uint64_t *a);
long do_set_segment_base(struct vcpu *v, const uint64_t *a);
long do_set_debugreg(struct vcpu *v, const uint64_t *a);
long do_get_debugreg(struct vcpu *v, const uint64_t *a);
long do_nmi_op(struct vcpu *v, const uint64_t *a);
/* misc.c */
long do_xen_version(struct vcpu *v, const uint64_t *a);
long do_vm_assist(struct vcpu *v, const uint64_t *a);
long do_multicall(struct vcpu *v, const uint64_t *a);
long do_physdev_op(struct vcpu *v, const uint64_t *a);
long do_physdev_op_compat(struct vcpu *v, const uint64_t *a);
long do_memory_op(struct vcpu *v, const uint64_t *a);
long do_xsm_op(struct vcpu *v, const uint64_t *a);
long do_xenpmu_op(struct vcpu *v, const uint64_t *a);
long do_privileged_op(struct vcpu *v, const uint64_t *a);

#endif
