/* SCHEDOP_watchdog: an armed watchdog that is never fed shuts the domain
 * down with reason watchdog after its timeout of virtual time, even while
 * the guest sleeps; the run ends with the crash status. */
#include "evtlib.h"

int main(void)
{
    uint32_t wd[2] = { 0, 2 };
    long id;

    evt_init();
    id = HYPERCALL(__HYPERVISOR_sched_op, SCHEDOP_watchdog, wd, 0);
    printf("watchdog armed for 2 s: id %ld\n", id);
    /* Sleep: only the watchdog can end this. */
    vcpu_op(VCPUOP_stop_periodic_timer, 0, 0);
    for (;;)
        HYPERCALL(__HYPERVISOR_sched_op, SCHEDOP_block, 0, 0);
}
