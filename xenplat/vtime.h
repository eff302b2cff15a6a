/*
 * Guest time: vcpu_time_info, the wall clock in shared_info, the periodic
 * and single-shot timers, runstate accounting — all derived from the
 * virtual clock (xen.h), so a run is deterministic.
 */
#ifndef XENEMU_XENPLAT_VTIME_H
#define XENEMU_XENPLAT_VTIME_H

#include "xenemu/common.h"

struct domain;
struct vcpu;

#define VTIME_NEVER UINT64_MAX

struct vcpu_time {
    uint64_t periodic_period;   /* ns; 0: stopped */
    uint64_t periodic_next;     /* system time of the next tick */
    uint64_t singleshot;        /* system time, VTIME_NEVER: none */
    /* Runstate (pub/vcpu.h): state and the time spent in each. */
    int runstate;
    uint64_t runstate_entry;
    uint64_t runstate_time[4];
    uint64_t runstate_area;     /* guest VA registered, 0: none */
    uint32_t time_version;      /* vcpu_time_info.version we last wrote */
};

/* Start-of-day: the 10 ms periodic timer, runstate running. */
void vtime_vcpu_init(struct vcpu *v);
/* Publish vcpu_time_info into the vCPU's vcpu_info (version protocol). */
void vtime_update_vcpu_info(struct vcpu *v);
/* Publish the wall clock into shared_info. */
void vtime_update_wallclock(struct domain *d);
/* Earliest timer deadline of v (system time), VTIME_NEVER if none. */
uint64_t vtime_next_deadline(const struct vcpu *v);
/* Fire every timer of v due at system time now. */
void vtime_run_timers(struct vcpu *v, uint64_t now);
/* Runstate change at system time now. */
void vtime_set_runstate(struct vcpu *v, int state, uint64_t now);

/* Hypercalls. */
long do_set_timer_op(struct vcpu *v, const uint64_t *a);
long do_vcpu_op(struct vcpu *v, const uint64_t *a);

#endif
