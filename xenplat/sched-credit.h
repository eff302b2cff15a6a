/*
 * The credit scheduler (xen/common/sched/credit.c, Xen 4.17) as a model on
 * simulated physical CPUs: per-pCPU run queues ordered by priority (BOOST,
 * UNDER, OVER; FIFO within one), credits burnt by running (10 credits per
 * ms), a tick every 10 ms that unboosts and burns the running units, an
 * accounting pass every 30 ms that shares credit among the active domains
 * by weight and cap (credit bounded to +-one slice's worth, a capped
 * unit that overdraws parked, credit a domain cannot use handed to the
 * others, the system-wide balance converging to 0), the run queues
 * re-sorted at the next tick, a 30 ms time slice, boost on wake-up,
 * stealing by idle or OVER-only pCPUs, and hard affinity.  Not modelled:
 * the 1 ms rate limit, soft affinity, SMT topology, migration delay.  Time is the caller's (virtual ns); nothing else is read, so
 * the same calls give the same schedule.
 *
 * The model knows units and domains, not vCPUs: machine/pv.c maps one
 * unit per vCPU and drives it (wake, sleep, pick, ticks).
 */
#ifndef XENEMU_XENPLAT_SCHED_CREDIT_H
#define XENEMU_XENPLAT_SCHED_CREDIT_H

#include "xenemu/common.h"

#define CSCHED_MAX_PCPUS 64
#define CSCHED_DEFAULT_WEIGHT 256
#define CSCHED_MAX_WEIGHT 65535
#define CSCHED_TSLICE_NS 30000000ull        /* CSCHED_DEFAULT_TSLICE_MS */
#define CSCHED_TICK_NS 10000000ull          /* tslice / TICKS_PER_TSLICE */
#define CSCHED_ACCT_NS 30000000ull          /* tick * TICKS_PER_ACCT */
#define CSCHED_CREDITS_PER_MSEC 10
#define CSCHED_CREDITS_PER_TSLICE 300

enum csched_pri {
    CSCHED_PRI_BOOST = 0, CSCHED_PRI_UNDER = -1, CSCHED_PRI_OVER = -2,
};

struct csched_dom {
    unsigned weight;           /* 1..65535, default 256 */
    unsigned cap;              /* % of one pCPU, 0: none */
    unsigned nr_active;        /* its units on the active list */
    bool on_active;            /* on the active-domain list */
    struct csched_dom *next_active;
};

struct csched_unit {
    struct csched_dom *dom;
    void *owner;               /* the caller's (a struct vcpu) */
    int pri;
    int credit;
    uint64_t residual;         /* credit*ns not yet burnt (burn_credits) */
    uint64_t start;            /* burnt up to here (Xen's start_time) */
    uint64_t unburnt;          /* now - start when it was switched out */
    uint64_t affinity;         /* bit n: may run on pCPU n */
    unsigned pcpu;             /* where it runs or queues */
    bool runnable;             /* wants a pCPU (awake, not parked) */
    bool awake;                /* the caller's view: not blocked/down */
    bool parked;               /* capped and over: paused by accounting */
    bool active;               /* on the accounting list */
    bool queued;
    bool yielding;
    struct csched_unit *next;  /* run-queue link */
    uint64_t ran_ns;           /* time received, for statistics/tests */
    uint64_t ran_since;        /* ran_ns counted up to here */
};

struct csched_pcpu {
    struct csched_unit *curr;  /* NULL: idle */
    struct csched_unit *runq;  /* sorted by pri, FIFO within one */
    uint64_t slice_end;        /* curr's time slice ends */
    bool need_resched;         /* tickled */
    unsigned runq_sort_last;   /* the accounting pass it last sorted for */
};

struct csched {
    unsigned nr_pcpus;
    struct csched_pcpu pcpu[CSCHED_MAX_PCPUS];
    struct csched_unit **unit; /* every unit, in creation order */
    unsigned nr_units, cap_units;
    uint64_t next_tick, next_acct;
    struct csched_dom *active_dom; /* domains with active units */
    int credit_balance;        /* the active units' credit at the last pass */
    unsigned runq_sort;        /* accounting passes so far */
};

void csched_init(struct csched *s, unsigned nr_pcpus);
void csched_destroy(struct csched *s);
/* A new unit (asleep, pri UNDER, credit 0).  Its affinity is cut to the
 * pCPUs that exist (all of them if none is left).  0 or -1 (memory). */
int csched_add(struct csched *s, struct csched_unit *u);
void csched_remove(struct csched *s, struct csched_unit *u);

/* The unit became runnable (csched_unit_wake: boosted when UNDER) or
 * stopped being so (blocked, down, paused) at now. */
void csched_wake(struct csched *s, struct csched_unit *u, uint64_t now);
void csched_sleep(struct csched *s, struct csched_unit *u, uint64_t now);
/* SCHEDOP_yield: behind the units of its priority at the next pick. */
void csched_yield(struct csched *s, struct csched_unit *u);

/* Does pCPU p have to call csched_schedule at now (idle with work, slice
 * over, tickled, its unit no longer runnable)? */
bool csched_need_schedule(const struct csched *s, unsigned p, uint64_t now);
/* csched_schedule(): burn the current unit's credit, queue it again if
 * still runnable, and pick the next (local head or stolen): the unit to
 * run, or NULL for idle.  *prev gets the unit switched out (or NULL). */
struct csched_unit *csched_schedule(struct csched *s, unsigned p,
                                    uint64_t now, struct csched_unit **prev);

/* The next time the model needs csched_timers or a schedule (ticks,
 * accounting, slice ends of busy pCPUs); and the work due at now. */
uint64_t csched_next_event(const struct csched *s);
void csched_timers(struct csched *s, uint64_t now);

/* "0-1,3" into a pCPU mask: 0 or -1 (syntax, or a pCPU >= 64). */
int csched_parse_cpus(const char *text, uint64_t *mask);

#endif
