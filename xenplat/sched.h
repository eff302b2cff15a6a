/*
 * The scheduler's side of a vCPU (xen/common/sched/core.c): blocking,
 * waking, polling and the domain watchdogs.  There is one vCPU per pCPU
 * and nothing else to run, so a woken vCPU runs at once: its runstate
 * goes blocked -> running at the instant of the wake-up.  A block counts
 * as a full switch out (as on a pCPU shared with dom0): the woken vCPU is
 * switched back in through load_segments (traps.c), which is where Xen
 * gives a guest its failsafe callback.
 */
#ifndef XENEMU_XENPLAT_SCHED_H
#define XENEMU_XENPLAT_SCHED_H

#include "xenplat/domain.h"

/* vcpu_unblock(): a blocked vCPU is scheduled again (runstate running,
 * periodic timer resumed, time info refreshed). */
void vcpu_unblock(struct vcpu *v);
/* vcpu_kick(): wake it, and make a running one look at its events. */
void vcpu_kick(struct vcpu *v);

/* The poll timer of v expired (vcpu_poll_timeout). */
void sched_poll_timeout(struct vcpu *v);

/* Domain watchdogs: the earliest deadline, and expiry at now. */
uint64_t sched_watchdog_deadline(const struct domain *d);
void sched_run_watchdogs(struct domain *d, uint64_t now);

#endif
