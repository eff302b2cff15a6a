/*
 * Traps and events of a PV guest: the CPU's exits (every would-be entry to
 * ring 0) routed as Xen routes them, and bounces to the guest's handlers
 * with Xen's exact frames (x86/x86_64/entry.S create_bounce_frame,
 * x86/x86_64/compat/entry.S compat_create_bounce_frame, x86/pv/traps.c).
 */
#ifndef XENEMU_XENPLAT_TRAPS_H
#define XENEMU_XENPLAT_TRAPS_H

#include "xenplat/domain.h"

/* Vectors that push an error code (x86-defns.h). */
#define EXC_HAS_ERROR_MASK ((1u << 8) | (1u << 10) | (1u << 11) | \
    (1u << 12) | (1u << 13) | (1u << 14) | (1u << 17) | (1u << 21) | \
    (1u << 29) | (1u << 30))

/* The CPU's exit hook for a PV vCPU (opaque = struct vcpu). */
void pv_exit(void *opaque, struct cpu *c, const struct cpu_event *ev);

/* Inject exception vector into the guest as Xen's pv_inject_event does:
 * bounce to trap_info[vector] (crashing the domain if there is none). */
void pv_inject_exception(struct vcpu *v, unsigned vector, bool has_error,
                         uint32_t error);
void pv_inject_page_fault(struct vcpu *v, uint64_t cr2, uint32_t pfec);

/* The guest's virtual CR2 (also into vcpu_info.arch.cr2). */
void pv_set_cr2(struct vcpu *v, uint64_t cr2);
/* #DB: fold the hardware DR6 into the guest's (do_debug). */
void pv_debug_merge(struct vcpu *v);

/* The vCPU is switched back in (x86/domain.c load_segments): reload its
 * FS, GS, DS and ES selectors from the descriptor tables (64-bit: the
 * bases as they were); any that no longer loads becomes null and the
 * guest enters its failsafe callback with the selectors it had. */
void pv_load_segments(struct vcpu *v);

/* Virtual CR0.TS (fpu_taskswitch). */
void pv_fpu_taskswitch(struct vcpu *v, bool set);
/* Debug registers as set_debugreg/get_debugreg: 0 or -errno. */
long pv_set_debugreg(struct vcpu *v, unsigned reg, uint64_t val);
long pv_get_debugreg(struct vcpu *v, unsigned reg, uint64_t *val);
/* The virtual CR4 a PV guest reads, and a write to it (pv/domain.c
 * pv_fixup_guest_cr4, pv_make_cr4). */
uint64_t pv_read_cr4(const struct vcpu *v);
void pv_write_cr4(struct vcpu *v, uint64_t val);

/* Load a flat (base 0, 4 GiB) segment as Xen's GDT describes its
 * selectors: type (code 0xb / data 0x3), DPL, 64-bit code or 32-bit. */
void pv_load_flat_seg(struct cpu *c, int seg, uint16_t sel, uint16_t type,
                      unsigned dpl, bool code64);

/* On every return to the guest (entry.S test_all_events and
 * restore_all_guest): deliver a pending event upcall, then load the CS/SS
 * of a pending iret, delivering the fault IRETQ would raise as the
 * guest's. */
void pv_return_to_guest(struct vcpu *v);
/* (Observers hear of every return: xenplat/observe.h XO_RESUME.) */

/* Xen's fixup_guest_{code,stack}_selector: raise the RPL to the
 * guest kernel's (3 for 64-bit, 1 for 32-bit). */
uint16_t pv_fixup_selector(const struct domain *d, uint64_t sel);

/* 64-bit: switch between guest kernel and user mode (page tables, GS). */
void pv_toggle_guest_mode(struct vcpu *v);

/* A far transfer Xen emulated (call gates): CS:EIP and SS as the return
 * to the guest will load them (pv_return_to_guest); a single-step #DB
 * follows as pv_emul_instruction_done gives it. */
void pv_far_transfer(struct vcpu *v, uint16_t cs, uint16_t ss, uint32_t eip);
/* Call gates of 32-bit guests (emul-gate.c): the #GP(error) a use of one
 * raised; the far CALL/JMP done, or the fault Xen would give. */
void pv_emulate_gate_op(struct vcpu *v, unsigned error);

/* Privileged-operation emulation (emul-priv.c): the instruction at rip
 * faulted with #GP(0) (or #UD for the forced-emulation prefix); returns
 * true when it was emulated (rip advanced), false to reflect the fault. */
bool pv_emulate_privileged_op(struct vcpu *v);
bool pv_emulate_forced_invalid_op(struct vcpu *v);
/* CPUID (cpuid.c): the CPUID instruction as a PV guest executes it (no
 * CPUID faulting on the modelled AMD host: the hardware's answer through
 * Xen's feature-override masks), and Xen's policy view (guest_cpuid) that
 * forced emulation gives. */
void pv_cpuid(struct vcpu *v, uint32_t leaf, uint32_t sub, uint32_t out[4]);
void pv_forced_cpuid(struct vcpu *v, uint32_t leaf, uint32_t sub, bool kernel,
                     uint32_t out[4]);
bool pv_policy_xsave(struct vcpu *v);
void pv_guest_cpuid(struct vcpu *v, uint32_t leaf, uint32_t sub,
                    uint32_t out[4]);

#endif
