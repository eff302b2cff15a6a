/*
 * What the example guests share: a few Xen PV hypercalls on the test
 * runtime (tests/guests/pvrt), shared_info mapped to see pending event
 * bits, and waiting for an event with SCHEDOP_poll.  64-bit guests.
 * Header-only: each example is its own kernel.
 */
#ifndef EXAMPLES_PVLIB_H
#define EXAMPLES_PVLIB_H

#include "pvrt.h"

#define DOMID_SELF 0x7ff0u
#define PG_KERNEL 0x63ull          /* present, writable, accessed, dirty */
#define SI_SHARED_INFO 40
#define SI_PT_BASE 88
#define SI_MFN_LIST 104
#define SH_EVTCHN_PENDING 2048
#define HC_grant_table_op 20
#define SCHEDOP_poll 3

enum {
    EVTCHNOP_bind_interdomain = 0, EVTCHNOP_send = 4,
    EVTCHNOP_alloc_unbound = 6, EVTCHNOP_bind_ipi = 7,
};
enum { VCPUOP_initialise = 0, VCPUOP_up = 1 };

static unsigned long *p2m;
static volatile uint8_t *shinfo;
static uint8_t shinfo_page[4096] __attribute__((aligned(4096)));

static inline unsigned long si(unsigned off)
{
    return *(unsigned long *)((char *)pv_start_info + off);
}

static inline unsigned long mfn_of(const volatile void *p)
{
    return p2m[(unsigned long)p >> 12];
}

static inline void barrier(void)
{
    __asm__ volatile("" ::: "memory");
}

static inline void yield(void)
{
    HYPERCALL(__HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0);
}

static inline long evtchn_op(unsigned cmd, void *arg)
{
    return HYPERCALL(__HYPERVISOR_event_channel_op, cmd, arg, 0);
}

static inline long map_va(volatile void *va, unsigned long mfn)
{
    return HYPERCALL(__HYPERVISOR_update_va_mapping, (unsigned long)va,
                     ((uint64_t)mfn << 12) | PG_KERNEL, 2 /* INVLPG */);
}

/* The p2m list, and shared_info mapped over a page of our own. */
static inline void pvlib_init(void)
{
    p2m = (unsigned long *)si(SI_MFN_LIST);
    map_va(shinfo_page, si(SI_SHARED_INFO) >> 12);
    shinfo = shinfo_page;
}

static inline void notify(unsigned port)
{
    uint32_t p = port;

    evtchn_op(EVTCHNOP_send, &p);
}

/* Block until port is pending (SCHEDOP_poll), then clear it. */
static inline void wait_event(unsigned port)
{
    uint32_t p = port;
    struct { uint32_t *ports; uint32_t nr; uint64_t timeout; } sp = {
        &p, 1, 0,
    };
    volatile unsigned long *word =
        (volatile unsigned long *)(shinfo + SH_EVTCHN_PENDING) + port / 64;
    unsigned long bit = 1ul << (port % 64);

    while (!(*word & bit))
        HYPERCALL(__HYPERVISOR_sched_op, SCHEDOP_poll, &sp, 0);
    __atomic_fetch_and(word, ~bit, __ATOMIC_SEQ_CST);
}

#endif
