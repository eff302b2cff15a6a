/*
 * A busy guest that measures its CPU share in a window of virtual time,
 * after a warm-up: it spins until SHARE_END_MS of system time (the sum
 * of its runstate times; the domain was built at time 0), reading its
 * runstate (VCPUOP_get_runstate_info), and prints how many ms it was
 * running between SHARE_START_MS and SHARE_END_MS.  Two busy vCPUs
 * weighted 1:2 on one pCPU settle by 120 ms into a 90 ms cycle (30 ms
 * and 60 ms; xenplat/README.md), and the window is two of those.
 * Alone it runs the whole window (share64); tests/cli/run-all runs two,
 * cpu_weight 256 and 512, on one pCPU.
 */
#include "pvrt.h"

#define SHARE_START_MS 180
#define SHARE_END_MS 360
#define VCPUOP_get_runstate_info 4

/* vcpu_runstate_info (64-bit guests only). */
struct runstate {
    int32_t state;
    uint64_t entry;
    uint64_t time[4];
};

static uint64_t runstate_sum(const struct runstate *rs)
{
    return rs->time[0] + rs->time[1] + rs->time[2] + rs->time[3];
}

/* The TSC runs at 1 GHz from the machine's start, and on while the vCPU
 * waits: a cheap look at the time between two runstate readings. */
static uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/* ns it had been running at time t, from the first reading at or after
 * t: a vCPU reading its runstate is running, since entry, so what it ran
 * after max(t, entry) comes off. */
static uint64_t running_at(uint64_t t)
{
    struct runstate rs;
    uint64_t now;

    while (rdtsc() < t - 1000000)
        ;
    do {
        HYPERCALL(__HYPERVISOR_vcpu_op, VCPUOP_get_runstate_info, 0, &rs);
        now = runstate_sum(&rs);
    } while (now < t);
    return rs.time[0] - (now - (rs.entry > t ? rs.entry : t));
}

int main(void)
{
    uint64_t a = running_at(SHARE_START_MS * 1000000ull);
    uint64_t b = running_at(SHARE_END_MS * 1000000ull);

    printf("share: running %lu ms of %u..%u ms\n",
           (unsigned long)((b - a) / 1000000), SHARE_START_MS, SHARE_END_MS);
    return 0;
}
