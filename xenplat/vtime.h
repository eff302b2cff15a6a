/*
 * Guest time (xen/arch/x86/time.c, xen/common/sched/core.c): the TSC
 * scale, vcpu_time_info, the wall clock, the periodic, single-shot and
 * poll timers, runstate accounting — all from the virtual clock, so a run
 * is deterministic.
 *
 * Xen's own notion of system time is the guest's: stamp_ns plus the
 * scaled TSC delta since stamp_tsc, with the very mul/shift published in
 * vcpu_time_info.  Guest and hypervisor therefore agree to the
 * nanosecond, and a timer set for T fires when the guest would read T.
 */
#ifndef XENEMU_XENPLAT_VTIME_H
#define XENEMU_XENPLAT_VTIME_H

#include "xenemu/common.h"

struct domain;
struct vcpu;
struct xen;

#define VTIME_NEVER UINT64_MAX
#define NS_PER_SEC 1000000000ull
#define MILLISECS(ms) ((uint64_t)(ms) * 1000000ull)

struct vcpu_time {
    /* The scale (set_time_scale) and the last published stamp. */
    uint32_t mul;
    int8_t shift;
    uint64_t stamp_tsc, stamp_ns;

    /* Periodic timer: period 0 = off; next is VTIME_NEVER while the vCPU
     * is descheduled (Xen stops it then). */
    uint64_t periodic_period, periodic_last, periodic_next;
    uint64_t singleshot;        /* VTIME_NEVER: not armed */
    uint64_t poll_timer;        /* SCHEDOP_poll timeout; VTIME_NEVER: none */

    /* Runstate (pub/vcpu.h): state, its entry time, time in each. */
    int runstate;
    uint64_t runstate_entry;
    uint64_t runstate_time[4];
    uint64_t runstate_area;     /* guest VA; 0: none */
    uint64_t time_area;         /* register_vcpu_time_memory_area; 0: none */
};

/* set_time_scale(): the mul/shift for a TSC of hz ticks per second. */
void vtime_scale(uint64_t hz, uint32_t *mul, int8_t *shift);
/* scale_delta(): ns for a TSC delta. */
uint64_t vtime_scale_delta(uint64_t delta, uint32_t mul, int8_t shift);

/* Start of day: scale, stamp, the 10 ms periodic timer, runstate
 * running at system time 0 (vCPU 0) or offline. */
void vtime_vcpu_init(struct vcpu *v, bool running);

/* System time of v now, and the first TSC value at which it is >= ns. */
uint64_t vtime_now(const struct vcpu *v);
uint64_t vtime_tsc_at(const struct vcpu *v, uint64_t ns);

/* update_vcpu_system_time(): take a new stamp and publish it in
 * vcpu_info (and the registered time area), version protocol. */
void vtime_update_vcpu_info(struct vcpu *v);
/* Publish the wall clock into shared_info. */
void vtime_update_wallclock(struct domain *d);
/* The wall clock (UTC seconds) at system time 0: the virtual clock's
 * fixed epoch, or the host's with --clock=host. */
uint64_t vtime_epoch(const struct xen *x);

/* The earliest timer of v or its domain that can fire now (system
 * time), VTIME_NEVER if none; and fire every timer due at now. */
uint64_t vtime_next_deadline(const struct vcpu *v);
void vtime_run_timers(struct vcpu *v, uint64_t now);

/* Scheduling in and out (sched.c): the periodic timer runs only while the
 * vCPU is scheduled. */
void vtime_periodic_work(struct vcpu *v);
void vtime_periodic_stop(struct vcpu *v);
void vtime_set_periodic(struct vcpu *v, uint64_t period);

/* Runstate change at the current system time (writes the area). */
void vtime_set_runstate(struct vcpu *v, int state);
/* vcpu_runstate_get(): time[] including the current state's share;
 * out = {state, entry, time[0..3]}. */
void vtime_runstate_get(const struct vcpu *v, uint64_t out[6]);
/* Write the runstate area (update_runstate_area), if registered. */
void vtime_write_runstate_area(struct vcpu *v);
/* Serialise a runstate for the guest's ABI: 48 or 44 bytes. */
unsigned vtime_runstate_layout(const struct vcpu *v, const uint64_t rs[6],
                               uint8_t *buf);

/* --clock=host: let the TSC follow host time (ns since the run started),
 * never backwards.  The only place host time enters. */
void vtime_follow_host(struct vcpu *v, uint64_t host_ns);

/* Hypercalls. */
long do_set_timer_op(struct vcpu *v, const uint64_t *a);
long do_vcpu_op(struct vcpu *v, const uint64_t *a);

#endif
