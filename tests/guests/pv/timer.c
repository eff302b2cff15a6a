/* Time from a guest: periodic VIRQ_TIMER ticks on exact 10 ms marks,
 * single-shot timers waking SCHEDOP_block at their deadline, poll with a
 * timeout, timer errors, runstate accounting, vcpu_op odds and ends. */
#include "evtlib.h"

static long sched(unsigned cmd, void *arg)
{
    return HYPERCALL(__HYPERVISOR_sched_op, cmd, arg, 0);
}

/* Busy-wait until vcpu_time_info has been published n more times by
 * timer events; print their stamps in microseconds. */
static void watch_ticks(const char *what, unsigned n)
{
    uint64_t last = vinfo->time.system_time;
    unsigned seen = 0;

    printf("%s:", what);
    while (seen < n) {
        uint64_t st = vinfo->time.system_time;
        if (st != last) {
            /* under 4 s here: a 32-bit division (no libgcc) */
            printf(" %lu", (unsigned long)((uint32_t)st / 1000u));
            last = st;
            seen++;
        }
    }
    printf(" us\n");
}

/* Without a mapping of shared_info the guest cannot clear a port's
 * pending bit: closing the port does (free_evtchn), then bind it again. */
static long fresh_timer_port(long port)
{
    uint32_t p = (uint32_t)port;

    evtchn_op(EVTCHNOP_close, &p);
    vinfo->upcall_pending = 0;
    vinfo->pending_sel = 0;
    evt_count = 0;
    return evt_bind_virq(VIRQ_TIMER, 0);
}

/* vcpu_runstate_info: the i386 ABI's 4-byte alignment of uint64_t gives
 * the compat layout (state@0, entry@4, time@12) by itself. */
struct runstate {
    int32_t state;
    uint64_t entry;
    uint64_t time[4];
};

static uint64_t sum_runstate(const struct runstate *rs)
{
    return rs->time[0] + rs->time[1] + rs->time[2] + rs->time[3];
}

int main(void)
{
    uint64_t period, t, woke, deadline;
    struct runstate rs, area;
    struct { uint64_t timeout; uint32_t flags, pad; } ss;
    /* sched_poll: the timeout at 16 (64-bit) or 8 (compat) */
    struct { uint32_t *ports; uint32_t nr;
#ifdef __x86_64__
             uint32_t pad;
#endif
             uint64_t timeout; } poll;
    uint32_t ports[1], wd[2];
    long r, timer;
    uint64_t va;

    evt_init();
    evt_mask_upcalls();
    timer = evt_bind_virq(VIRQ_TIMER, 0);
    printf("VIRQ_TIMER port %ld\n", timer);

    watch_ticks("default periodic ticks", 3);
    period = 25000000;
    printf("set_periodic_timer(25 ms): %ld\n",
           vcpu_op(VCPUOP_set_periodic_timer, 0, &period));
    watch_ticks("25 ms ticks", 2);
    period = 999999;
    printf("set_periodic_timer(999999 ns): %ld\n",
           vcpu_op(VCPUOP_set_periodic_timer, 0, &period));
    printf("stop_periodic_timer: %ld\n",
           vcpu_op(VCPUOP_stop_periodic_timer, 0, 0));

    /* Single-shot + block: woken exactly at the deadline. */
    va = (unsigned long)&area;
    printf("register_runstate_memory_area: %ld\n",
           vcpu_op(VCPUOP_register_runstate_memory_area, 0, &va));
    timer = fresh_timer_port(timer);
    deadline = now_ns() + 5000000;
    ss.timeout = deadline;
    ss.flags = 0;
    printf("set_singleshot_timer(+5 ms): %ld\n",
           vcpu_op(VCPUOP_set_singleshot_timer, 0, &ss));
    sched(SCHEDOP_block, 0);
    woke = now_ns();
    printf("block: %u upcall(s), event stamped at deadline: %s, resumed "
           "within 1 us: %s\n", evt_count,
           evt_count && evt_stamp[0] == deadline ? "yes" : "no",
           woke >= deadline && woke - deadline < 1000 ? "yes" : "no");
    printf("runstate area: state %llu, entry is the deadline: %s, "
           "blocked just under 5 ms: %s, sum == entry: %s\n",
           (unsigned long long)area.state, area.entry == deadline ? "yes" : "no",
           area.time[2] <= 5000000 && area.time[2] > 4990000 ? "yes" : "no",
           sum_runstate(&area) == area.entry ? "yes" : "no");

    /* set_timer_op the same way. */
    evt_mask_upcalls();
    timer = fresh_timer_port(timer);
    deadline = now_ns() + 1234567;
    HYPERCALL(__HYPERVISOR_set_timer_op, deadline, 0, 0);
    sched(SCHEDOP_block, 0);
    printf("set_timer_op + block: event stamped at deadline: %s\n",
           evt_count && evt_stamp[0] == deadline ? "yes" : "no");
    evt_mask_upcalls();

    ss.timeout = now_ns() - 1;
    ss.flags = 1;
    printf("singleshot in the past, VCPU_SSHOTTMR_future: %ld\n",
           vcpu_op(VCPUOP_set_singleshot_timer, 0, &ss));
    printf("singleshot on vCPU 1: %ld, stop_singleshot: %ld\n",
           vcpu_op(VCPUOP_set_singleshot_timer, 1, &ss),
           vcpu_op(VCPUOP_stop_singleshot_timer, 0, 0));

    /* Poll: a quiet port with a timeout sleeps to exactly the timeout. */
    {
        uint32_t b[2] = { DOMID_SELF | DOMID_SELF << 16, 0 };
        evtchn_op(EVTCHNOP_alloc_unbound, b);
        ports[0] = b[1];
    }
    poll.ports = ports;
    poll.nr = 1;
    deadline = now_ns() + 3000000;
    poll.timeout = deadline;
    r = sched(SCHEDOP_poll, &poll);
    woke = now_ns();
    printf("poll(+3 ms): %ld, woke at the timeout: %s\n", r,
           woke >= deadline && woke - deadline < 1000 ? "yes" : "no");
    poll.nr = 129;
    printf("poll(129 ports): %ld\n", sched(SCHEDOP_poll, &poll));
    ports[0] = 4000;
    poll.nr = 1;
    printf("poll(port 4000): %ld\n", sched(SCHEDOP_poll, &poll));

    /* Runstate totals: every nanosecond accounted for. */
    r = vcpu_op(VCPUOP_get_runstate_info, 0, &rs);
    t = now_ns();
    printf("get_runstate_info: %ld, state %llu, sum <= now: %s, "
           "now - sum < 2 us: %s\n", r, (unsigned long long)rs.state,
           sum_runstate(&rs) <= t ? "yes" : "no",
           t - sum_runstate(&rs) < 2000 ? "yes" : "no");

    printf("is_up(0): %ld, is_up(1): %ld, up(0): %ld, get_physid: %ld\n",
           vcpu_op(VCPUOP_is_up, 0, 0), vcpu_op(VCPUOP_is_up, 1, 0),
           vcpu_op(VCPUOP_up, 0, 0), vcpu_op(VCPUOP_get_physid, 0, 0));

    /* Watchdogs: two slots. */
    wd[0] = 0; wd[1] = 60;
    printf("watchdog: new %ld,", sched(SCHEDOP_watchdog, wd));
    printf(" new %ld,", sched(SCHEDOP_watchdog, wd));
    printf(" new %ld,", sched(SCHEDOP_watchdog, wd));
    wd[0] = 3;
    printf(" id 3 %ld,", sched(SCHEDOP_watchdog, wd));
    wd[0] = 1; wd[1] = 0;
    printf(" stop 1 %ld,", sched(SCHEDOP_watchdog, wd));
    printf(" stop 1 again %ld,", sched(SCHEDOP_watchdog, wd));
    wd[0] = 2;
    printf(" stop 2 %ld\n", sched(SCHEDOP_watchdog, wd));
    {
        uint16_t rsd[4] = { 1, 0, 0, 0 };
        printf("remote_shutdown(self): %ld, ", sched(4, rsd));
        rsd[0] = 9;
        printf("(dom 9): %ld\n", sched(4, rsd));
    }
    return 0;
}
