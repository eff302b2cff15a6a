/*
 * A busy guest for the credit scheduler: it spins until SPIN_MS of system
 * time have passed (the domain was built at time 0, so that is the sum
 * of its runstate times), then prints the share of them it was running
 * (VCPUOP_get_runstate_info), in tenths of a percent.  Alone it gets all
 * of its pCPU (spin64); tests/cli/run-all runs one capped at 25% beside
 * an uncapped one on one pCPU, and one paused for a while beside
 * another (the offline share, printed when there is one).  (Weights are measured after a warm-up by
 * share.c.)
 */
#include "pvrt.h"

#define SPIN_MS 120
#define VCPUOP_get_runstate_info 4

/* vcpu_runstate_info (64-bit guests only). */
struct runstate {
    int32_t state;
    uint64_t entry;
    uint64_t time[4];
};

int main(void)
{
    const uint64_t t = SPIN_MS * 1000000ull;
    struct runstate rs;
    uint64_t now, since;

    do {
        HYPERCALL(__HYPERVISOR_vcpu_op, VCPUOP_get_runstate_info, 0, &rs);
        now = rs.time[0] + rs.time[1] + rs.time[2] + rs.time[3];
    } while (now < t);
    /* The vCPU may have waited past t: it has been running since entry,
     * so what it ran after t (or after entry) comes off. */
    since = rs.entry > t ? rs.entry : t;
    printf("spin: running %lu permille of %u ms\n",
           (unsigned long)((rs.time[0] - (now - since)) * 1000 / t), SPIN_MS);
    /* Offline: paused by the toolstack (xl pause; tests/cli/run-all). */
    if (rs.time[3])
        printf("spin: offline %lu permille\n",
               (unsigned long)(rs.time[3] * 1000 / t));
    return 0;
}
