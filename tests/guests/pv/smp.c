/*
 * A second vCPU from inside a guest (64-bit, and 32-bit PAE with the
 * compat vcpu_guest_context): VCPUOP_initialise with Xen's checks,
 * up/down/is_up, IPIs through bind_ipi with SCHEDOP_poll on each vCPU,
 * a per-vCPU single-shot timer and VIRQ_TIMER bound to vCPU 1, the
 * cross-vCPU TLB flushes of mmuext_op, runstate of another vCPU.  With
 * one vCPU (smp64/smp32) the secondary does not exist; smp-2v64/32 boot
 * the same kernel with vcpus = 2.  The secondary never prints: vCPU 0
 * reports what it saw, so the output does not depend on interleaving.
 */
#include "pvrt.h"

#define DOMID_SELF 0x7ff0u
#define PG_KERNEL 0x63ull
#define UVMF_INVLPG 2
#define SCHEDOP_poll 3
#define ROUND_TRIPS 50
#ifdef __x86_64__
#define SI_SHARED_INFO 40
#define SI_MFN_LIST 104
#else
#define SI_SHARED_INFO 36
#define SI_MFN_LIST 68
#endif
#define SH_EVTCHN_PENDING 2048
/* An address in Xen's range: copies from it fault. */
#ifdef __x86_64__
#define XEN_ADDR 0xffff810000000000ul
#else
#define XEN_ADDR 0xf5800000ul
#endif
#define VI_SYSTEM_TIME 48          /* vcpu_info.time (@32) .system_time */

enum {
    VCPUOP_initialise = 0, VCPUOP_up = 1, VCPUOP_down = 2, VCPUOP_is_up = 3,
    VCPUOP_get_runstate_info = 4, VCPUOP_set_singleshot_timer = 8,
    VCPUOP_stop_periodic_timer = 7,
};
enum { EVTCHNOP_bind_virq = 1, EVTCHNOP_send = 4, EVTCHNOP_bind_ipi = 7 };
enum {
    MMUEXT_TLB_FLUSH_MULTI = 8, MMUEXT_INVLPG_MULTI = 9,
    MMUEXT_TLB_FLUSH_ALL = 10, MMUEXT_INVLPG_ALL = 11,
};

static unsigned long *p2m;
static volatile uint8_t *shinfo;
static uint8_t shinfo_page[4096] __attribute__((aligned(4096)));
static uint8_t ctx[PV_VCPU_CONTEXT_SIZE] __attribute__((aligned(16)));
static uint8_t ap_stack[8192] __attribute__((aligned(16)));
/* Two pages the test maps at one address in turn. */
static volatile uint32_t page_a[1024] __attribute__((aligned(4096)));
static volatile uint32_t page_b[1024] __attribute__((aligned(4096)));
static volatile uint32_t window[1024] __attribute__((aligned(4096)));

/* What the two vCPUs share. */
static volatile unsigned bsp_port, ap_port, ap_timer_port;
static volatile unsigned ap_stage, ap_sum, ap_msg, ap_count;
static volatile uint32_t ap_read;
static volatile unsigned ap_timer_late, ap_timer_ok;

static unsigned long si(unsigned off)
{
    return *(unsigned long *)((char *)pv_start_info + off);
}

static unsigned long mfn_of(const volatile void *p)
{
    return p2m[(unsigned long)p >> 12];
}

static void barrier(void)
{
    __asm__ volatile("" ::: "memory");
}

static long vcpu_op(unsigned cmd, unsigned id, void *arg)
{
    return HYPERCALL(__HYPERVISOR_vcpu_op, cmd, id, arg);
}

static long evtchn_op(unsigned cmd, void *arg)
{
    return HYPERCALL(__HYPERVISOR_event_channel_op, cmd, arg, 0);
}

static long update_va(unsigned long va, uint64_t pte)
{
#ifdef __x86_64__
    return HYPERCALL(__HYPERVISOR_update_va_mapping, va, pte, 0);
#else
    return pv_hypercall(__HYPERVISOR_update_va_mapping, va, (uint32_t)pte,
                        (uint32_t)(pte >> 32), 0, 0);
#endif
}

static void send(unsigned port)
{
    uint32_t p = port;

    evtchn_op(EVTCHNOP_send, &p);
}

/* Block in SCHEDOP_poll until port is pending, then clear it. */
static void poll_clear(unsigned port, uint64_t timeout)
{
    uint32_t p = port;
    struct { uint32_t *ports; uint32_t nr; uint64_t timeout; } sp = {
        &p, 1, timeout,
    };
    volatile unsigned long *pend =
        (volatile unsigned long *)(shinfo + SH_EVTCHN_PENDING);
    unsigned long bit = 1ul << (port % (8 * sizeof(long)));

    while (!(pend[port / (8 * sizeof(long))] & bit)) {
        HYPERCALL(__HYPERVISOR_sched_op, SCHEDOP_poll, &sp, 0);
        if (timeout)
            break;
    }
    __atomic_fetch_and(&pend[port / (8 * sizeof(long))], ~bit,
                       __ATOMIC_SEQ_CST);
}

static uint64_t vcpu_time(unsigned id)
{
    return *(volatile uint64_t *)(shinfo + id * 64 + VI_SYSTEM_TIME);
}

/* ---- vCPU 1 ---------------------------------------------------------------- */

static void ap_wait_stage(unsigned s)
{
    while (ap_stage != s)
        HYPERCALL(__HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0);
}

void ap_main(void);
void ap_main(void)
{
    uint32_t b[2] = { 1, 0 };
    struct { uint64_t timeout; uint32_t flags; } __attribute__((packed))
        st = { 0, 0 };
    uint64_t deadline;

    evtchn_op(EVTCHNOP_bind_ipi, b);
    ap_port = b[1];
    ap_stage = 1;
    /* IPIs: every message answered with one to vCPU 0. */
    for (;;) {
        poll_clear(ap_port, 0);
        if (ap_msg == 0)
            break;
        ap_sum += ap_msg;
        ap_count++;
        send(bsp_port);
    }
    /* Its own single-shot timer, through VIRQ_TIMER bound to vCPU 1. */
    ap_wait_stage(2);
    deadline = vcpu_time(1) + 2000000;
    st.timeout = deadline;
    vcpu_op(VCPUOP_set_singleshot_timer, 1, &st);
    poll_clear(ap_timer_port, 0);
    ap_timer_ok = vcpu_time(1) >= deadline;
    ap_stage = 3;
    /* The TLB: read the window (caching it), then again once flushed. */
    ap_wait_stage(4);
    ap_read = window[0];
    ap_stage = 5;
    ap_wait_stage(6);
    ap_read = window[0];
    ap_stage = 7;
    /* Down by itself; up again it carries on here. */
    vcpu_op(VCPUOP_down, 1, 0);
    ap_stage = 8;
    vcpu_op(VCPUOP_down, 1, 0);
    for (;;)
        ;
}

/* ---- vCPU 0 ---------------------------------------------------------------- */

static void build_context(unsigned long rip)
{
    pv_vcpu_context(ctx, 1u << 2 /* VGCF_in_kernel */, rip,
                    (unsigned long)(ap_stack + sizeof(ap_stack)));
}

static void bring_up(void)
{
    long r, r2;

#ifdef __x86_64__
    build_context(0x0000800000000000ul);
    printf("initialise with a non-canonical rip: %ld\n",
           vcpu_op(VCPUOP_initialise, 1, ctx));
#endif
    build_context((unsigned long)ap_main);
    r = vcpu_op(VCPUOP_up, 1, 0);
    printf("up before initialise: %ld, is_up: %ld\n", r,
           vcpu_op(VCPUOP_is_up, 1, 0));
    printf("initialise vCPU 2 (there are 2): %ld\n",
           vcpu_op(VCPUOP_initialise, 2, ctx));
    r = vcpu_op(VCPUOP_initialise, 1, ctx);
    r2 = vcpu_op(VCPUOP_initialise, 1, ctx);
    printf("initialise: %ld, again: %ld, is_up: %ld\n", r, r2,
           vcpu_op(VCPUOP_is_up, 1, 0));
    r = vcpu_op(VCPUOP_up, 1, 0);
    printf("up: %ld, is_up: %ld\n", r, vcpu_op(VCPUOP_is_up, 1, 0));
    while (ap_stage < 1)
        HYPERCALL(__HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0);
}

static void ipis(void)
{
    uint32_t b[2] = { 0, 0 };
    unsigned i, sum = 0;

    evtchn_op(EVTCHNOP_bind_ipi, b);
    bsp_port = b[1];
    for (i = 1; i <= ROUND_TRIPS; i++) {
        ap_msg = i * 7;
        sum += i * 7;
        barrier();
        send(ap_port);
        poll_clear(bsp_port, 0);
    }
    ap_msg = 0;
    send(ap_port);
    printf("ipi: %u round trips (vCPU 1 counted %u), sums %u/%u, ports %u %u\n",
           ROUND_TRIPS, ap_count, sum, ap_sum, bsp_port, ap_port);
}

static void timer(void)
{
    uint32_t b[3] = { 0, 1, 0 };       /* VIRQ_TIMER on vCPU 1 */
    long r = evtchn_op(EVTCHNOP_bind_virq, b);

    ap_timer_port = b[2];
    ap_stage = 2;
    while (ap_stage < 3)
        HYPERCALL(__HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0);
    printf("vCPU 1 timer: bind %ld, woke at its deadline: %u\n", r,
           ap_timer_ok);
}

static long mmuext(unsigned cmd, unsigned long arg1, const void *arg2)
{
    unsigned long op[3] = { cmd, arg1, (unsigned long)arg2 };
    uint32_t done = 0;
    long r = pv_hypercall(__HYPERVISOR_mmuext_op, (unsigned long)op, 1,
                          (unsigned long)&done, DOMID_SELF, 0);

    return r ? r : (long)done;
}

static void flushes(void)
{
    unsigned long mask = 2;            /* vCPU 1 */
    unsigned long va = (unsigned long)window;

    page_a[0] = 0xaaaa;
    page_b[0] = 0xbbbb;
    update_va(va, ((uint64_t)mfn_of(page_a) << 12) | PG_KERNEL);
    ap_stage = 4;
    while (ap_stage < 5)
        HYPERCALL(__HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0);
    printf("vCPU 1 reads the window: %x\n", ap_read);
    update_va(va, ((uint64_t)mfn_of(page_b) << 12) | PG_KERNEL);
    printf("bad mask: %ld\n", mmuext(MMUEXT_TLB_FLUSH_MULTI, 0, (void *)XEN_ADDR));
    printf("invlpg_multi: %ld\n", mmuext(MMUEXT_INVLPG_MULTI, va, &mask));
    ap_stage = 6;
    while (ap_stage < 7)
        HYPERCALL(__HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0);
    printf("after the flush vCPU 1 reads: %x\n", ap_read);
    printf("invlpg_all: %ld\n", mmuext(MMUEXT_INVLPG_ALL, va, 0));
    printf("tlb_flush_all: %ld\n", mmuext(MMUEXT_TLB_FLUSH_ALL, 0, 0));
    printf("tlb_flush_multi: %ld\n", mmuext(MMUEXT_TLB_FLUSH_MULTI, 0, &mask));
}

/* vcpu_runstate_info: the i386 ABI's 4-byte alignment of uint64_t gives
 * the compat layout by itself. */
struct runstate {
    int32_t state;
    uint64_t entry;
    uint64_t time[4];
};

static void down_and_up(void)
{
    struct runstate rs;
    long r;

    while (vcpu_op(VCPUOP_is_up, 1, 0) == 1)
        HYPERCALL(__HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0);
    r = vcpu_op(VCPUOP_get_runstate_info, 1, &rs);
    printf("vCPU 1 went down: runstate %ld state %d, ran %s\n", r, rs.state,
           rs.time[0] > 0 ? "yes" : "no");
    printf("up again: %ld\n", vcpu_op(VCPUOP_up, 1, 0));
    while (ap_stage < 8)
        HYPERCALL(__HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0);
    while (vcpu_op(VCPUOP_is_up, 1, 0) == 1)
        HYPERCALL(__HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0);
    printf("it carried on after its down and went down again: stage %u\n",
           ap_stage);
}

int main(void)
{
    uint64_t pte;
    long r;

    p2m = (unsigned long *)si(SI_MFN_LIST);
    pte = (uint64_t)si(SI_SHARED_INFO) | PG_KERNEL;
    update_va((unsigned long)shinfo_page, pte);
    shinfo = shinfo_page;
    r = vcpu_op(VCPUOP_is_up, 1, 0);
    if (r == -2) {
        printf("one vCPU: is_up(1) %ld, initialise(1) %ld, up(1) %ld\n", r,
               vcpu_op(VCPUOP_initialise, 1, ctx), vcpu_op(VCPUOP_up, 1, 0));
        return 0;
    }
    printf("vCPU 1 is_up: %ld\n", r);
    bring_up();
    ipis();
    timer();
    flushes();
    down_and_up();
    printf("down of the last vCPU left powers the domain off\n");
    vcpu_op(VCPUOP_down, 0, 0);
    printf("not reached\n");
    return 1;
}
