/*
 * The scheduler's side of a vCPU (xen/common/sched/core.c): blocking,
 * waking, polling and the domain watchdogs.  With x->sched (the PV
 * machine) a woken vCPU becomes runnable and the credit scheduler model
 * (sched-credit.h) gives it a simulated pCPU: machine/pv.c switches it in
 * (runstate running) and out (runnable, blocked, offline).  Without one
 * (unit tests) every vCPU has a pCPU of its own and runs at the instant
 * of the wake-up.  A block counts as a full switch out (as on a pCPU
 * shared with dom0): the woken vCPU's context is reloaded through
 * load_segments (traps.c), which is where Xen gives a guest its failsafe
 * callback.
 */
#ifndef XENEMU_XENPLAT_SCHED_H
#define XENEMU_XENPLAT_SCHED_H

#include "xenplat/domain.h"

/* vcpu_unblock(): a blocked vCPU is scheduled again (runstate running,
 * periodic timer resumed, time info refreshed). */
void vcpu_unblock(struct vcpu *v);
/* The vCPU stops running: runstate (blocked or offline), periodic timer
 * stopped, out of the scheduler's run queues. */
void sched_deschedule(struct vcpu *v, int runstate);
/* With x->sched, the run loop (machine/pv.c) moves vCPUs on and off
 * simulated pCPUs: runstate running, periodic timer, time info refreshed
 * / runstate runnable, periodic timer stopped. */
void sched_switch_in(struct vcpu *v);
void sched_switch_out(struct vcpu *v);
/* Every vCPU of d into x->sched with that affinity (the running ones
 * awake) / out of it.  0 or -1 (memory). */
int sched_domain_add(struct domain *d, uint64_t affinity);
void sched_domain_remove(struct domain *d);
/* xl pause / unpause: Xen's domain_(un)pause_by_systemcontroller.  A
 * pause stops every vCPU (running or runnable ones go offline, blocked
 * ones stay blocked); the last unpause makes the awake ones runnable.
 * 0, -XEN_EOVERFLOW (255 pauses already) or -XEN_EINVAL (not paused). */
int domain_pause_by_systemcontroller(struct domain *d);
int domain_unpause_by_systemcontroller(struct domain *d);
/* vcpu_kick(): wake it, and make a running one look at its events. */
void vcpu_kick(struct vcpu *v);

/* VCPUOP_initialise's context for t (vcpu-context.c): 0 or -errno. */
long vcpu_set_context(struct vcpu *t, const uint8_t *ctx);
/* A vCPU's x87/SSE state from a 512-byte FXSAVE image, or Xen's default
 * state when fx is NULL (vcpu-context.c). */
void vcpu_setup_fpu(struct vcpu *t, const uint8_t *fx);

/* The poll timer of v expired (vcpu_poll_timeout). */
void sched_poll_timeout(struct vcpu *v);

/* Domain watchdogs: the earliest deadline, and expiry at now. */
uint64_t sched_watchdog_deadline(const struct domain *d);
void sched_run_watchdogs(struct domain *d, uint64_t now);

#endif
