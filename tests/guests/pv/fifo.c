/*
 * The FIFO event-channel ABI from inside a guest (64-bit, and 32-bit PAE
 * with the compat layouts), consuming events as Linux's events_fifo.c
 * does but by polling, with event delivery masked: ports bound under
 * 2-level (VIRQ_TIMER, IPIs, the console and xenstore ports) carried over
 * by init_control, init_control's and expand_array's errors, the queues
 * of two priorities delivering in priority order, a masked event linked
 * by unmask, the xenstore and console backends' events arriving through
 * the queues, the timer VIRQ through SCHEDOP_poll, then EVTCHNOP_reset
 * back to 2-level and FIFO once more.
 */
#include <stdbool.h>
#include "pvrt.h"

#define PG_P 0x1ull
#define PG_RW 0x2ull
#define PG_A 0x20ull
#define PG_D 0x40ull
#define UVMF_INVLPG 2
#define DOMID_SELF 0x7ff0u
#define SCHEDOP_poll 3
#define VCPUOP_stop_periodic_timer 7
#define VCPUOP_set_singleshot_timer 8
#define VIRQ_TIMER 0
#ifdef __x86_64__
#define M2P ((const volatile unsigned long *)0xffff800000000000ul)
#define SI_SHARED_INFO 40
#define SI_STORE_MFN 56
#define SI_STORE_EVTCHN 64
#define SI_CONSOLE_MFN 72
#define SI_CONSOLE_EVTCHN 80
#define SI_PT_BASE 88
#define SI_MFN_LIST 104
#else
#define M2P ((const volatile unsigned long *)0xf5800000ul)
#define SI_SHARED_INFO 36
#define SI_STORE_MFN 44
#define SI_STORE_EVTCHN 48
#define SI_CONSOLE_MFN 52
#define SI_CONSOLE_EVTCHN 56
#define SI_PT_BASE 60
#define SI_MFN_LIST 68
#endif
#define SH_EVTCHN_PENDING 2048
#define VI_UPCALL_PENDING 0
#define VI_PENDING_SEL sizeof(unsigned long)
#define VI_SYSTEM_TIME 48          /* vcpu_info.time (@32) .system_time */

enum {
    EVTCHNOP_bind_virq = 1, EVTCHNOP_close = 3, EVTCHNOP_send = 4,
    EVTCHNOP_status = 5, EVTCHNOP_bind_ipi = 7, EVTCHNOP_unmask = 9,
    EVTCHNOP_reset = 10, EVTCHNOP_init_control = 11,
    EVTCHNOP_expand_array = 12, EVTCHNOP_set_priority = 13,
};

/* The event word and the control block. */
#define PENDING (1u << 31)
#define MASKED (1u << 30)
#define LINKED (1u << 29)
#define LINK_MASK 0x1ffffu

/* The i386 layout is the compat one; both are 24 bytes. */
struct init_control {
    uint64_t control_gfn;
    uint32_t offset, vcpu;
    uint8_t link_bits, pad[7];
};

static volatile uint8_t *shinfo;
static uint8_t shinfo_page[4096] __attribute__((aligned(4096)));
static volatile uint32_t control[1024] __attribute__((aligned(4096)));
static volatile uint32_t events[1024] __attribute__((aligned(4096)));
static unsigned long *p2m;

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

static long evtchn_op(unsigned cmd, void *arg)
{
    return HYPERCALL(__HYPERVISOR_event_channel_op, cmd, arg, 0);
}

static long bind_ipi(void)
{
    uint32_t b[2] = { 0, 0 };
    long r = evtchn_op(EVTCHNOP_bind_ipi, b);
    return r ? r : (long)b[1];
}

static long bind_virq(unsigned virq)
{
    uint32_t b[3] = { virq, 0, 0 };
    long r = evtchn_op(EVTCHNOP_bind_virq, b);
    return r ? r : (long)b[2];
}

static long send(unsigned port)
{
    uint32_t p = port;
    return evtchn_op(EVTCHNOP_send, &p);
}

static long set_priority(unsigned port, unsigned prio)
{
    uint32_t b[2] = { port, prio };
    return evtchn_op(EVTCHNOP_set_priority, b);
}

static long init_control(unsigned long gfn, uint32_t offset, uint32_t vcpu,
                         uint8_t *link_bits)
{
    struct init_control ic = { gfn, offset, vcpu, 0xee, { 0 } };
    long r = evtchn_op(EVTCHNOP_init_control, &ic);

    if (link_bits)
        *link_bits = ic.link_bits;
    return r;
}

static long expand_array(unsigned long gfn)
{
    uint64_t g = gfn;
    return evtchn_op(EVTCHNOP_expand_array, &g);
}

static long status(unsigned port, uint32_t *st)
{
    uint32_t b[6] = { DOMID_SELF, port, 0, 0, 0, 0 };
    long r = evtchn_op(EVTCHNOP_status, b);

    *st = b[2];
    return r;
}

static uint8_t upcall_pending(void)
{
    return shinfo[VI_UPCALL_PENDING];
}

static bool l2_pending(unsigned port)
{
    return shinfo[SH_EVTCHN_PENDING + port / 8] & (1u << (port % 8));
}

/*
 * Linux's consumer: take READY, then the highest-priority queue's next
 * event each time (unlinking it; a pending unmasked one is handled by
 * clearing PENDING) until every ready queue is empty.  Prints the ports.
 */
static void drain(const char *what)
{
    uint32_t ready, head[16] = { 0 };
    unsigned n = 0;

    shinfo[VI_UPCALL_PENDING] = 0;
    ready = __atomic_exchange_n(&control[0], 0, __ATOMIC_SEQ_CST);
    printf("%s: ready %x, delivered", what, ready);
    while (ready) {
        unsigned q = (unsigned)__builtin_ctz(ready);
        uint32_t port = head[q] ? head[q] : control[2 + q], w;

        w = __atomic_fetch_and(&events[port], ~(LINKED | LINK_MASK),
                               __ATOMIC_SEQ_CST);
        head[q] = w & LINK_MASK;
        if (!head[q])
            ready &= ~(1u << q);
        if ((w & PENDING) && !(w & MASKED)) {
            __atomic_fetch_and(&events[port], ~PENDING, __ATOMIC_SEQ_CST);
            printf(" %u(p%u)", port, q);
            n++;
        }
    }
    printf("%s\n", n ? "" : " nothing");
}

/* Linux's unmask: clear MASKED, then ask Xen to relink a pending event. */
static void unmask(unsigned port)
{
    uint32_t p = port;

    __atomic_fetch_and(&events[port], ~MASKED, __ATOMIC_SEQ_CST);
    if (events[port] & PENDING)
        evtchn_op(EVTCHNOP_unmask, &p);
}

static void poll(unsigned port)
{
    uint32_t p = port;
    struct { uint32_t *ports; uint32_t nr; uint64_t timeout; } sp = {
        &p, 1, 0,
    };

    HYPERCALL(__HYPERVISOR_sched_op, SCHEDOP_poll, &sp, 0);
}

static long map_shared_info(void)
{
    uint64_t pte = (uint64_t)si(SI_SHARED_INFO) | PG_P | PG_RW | PG_A | PG_D;
    unsigned long va = (unsigned long)shinfo_page;

#ifdef __x86_64__
    return HYPERCALL(__HYPERVISOR_update_va_mapping, va, pte, UVMF_INVLPG);
#else
    return pv_hypercall(__HYPERVISOR_update_va_mapping, va, (uint32_t)pte,
                        (uint32_t)(pte >> 32), UVMF_INVLPG, 0);
#endif
}

/* ---- the backends, through their rings -------------------------------------- */

#define XS_REQ_PROD 2052
#define XS_RSP_CONS 2056
#define XS_RSP_PROD 2060
#define CONS_OUT 1024
#define CONS_OUT_PROD 3084

static volatile uint8_t *store_ring, *cons_ring;

static volatile uint32_t *r32(volatile uint8_t *ring, unsigned off)
{
    return (volatile uint32_t *)(ring + off);
}

/* XS_READ "domid": the reply comes with an event on the store port. */
static void xenstore_request(unsigned port)
{
    static const char req[] = "domid";
    uint32_t h[4] = { 2, 77, 0, sizeof(req) }, prod = *r32(store_ring,
                                                            XS_REQ_PROD);
    const uint8_t *b = (const uint8_t *)h;
    unsigned i;

    for (i = 0; i < 16; i++)
        store_ring[(prod + i) & 1023] = b[i];
    for (i = 0; i < sizeof(req); i++)
        store_ring[(prod + 16 + i) & 1023] = (uint8_t)req[i];
    barrier();
    *r32(store_ring, XS_REQ_PROD) = prod + 16 + sizeof(req);
    send(port);
}

static void xenstore_reply(void)
{
    uint32_t cons = *r32(store_ring, XS_RSP_CONS);
    uint32_t prod = *r32(store_ring, XS_RSP_PROD), i;

    printf("xenstore reply: %u bytes, value '", prod - cons);
    for (i = cons + 16; i != prod; i++)
        printf("%c", store_ring[1024 + (i & 1023)]);
    printf("'\n");
    *r32(store_ring, XS_RSP_CONS) = prod;
}

static void console_write(unsigned port, const char *s)
{
    uint32_t prod = *r32(cons_ring, CONS_OUT_PROD);

    for (; *s; s++)
        cons_ring[CONS_OUT + (prod++ & 2047)] = (uint8_t)*s;
    barrier();
    *r32(cons_ring, CONS_OUT_PROD) = prod;
    send(port);
}

/* ---- the test ----------------------------------------------------------------- */

static unsigned timer, ipi_a, ipi_b, store, console;

static void two_level_start(void)
{
    uint32_t st;

    store = (unsigned)si(SI_STORE_EVTCHN);
    console = (unsigned)si(SI_CONSOLE_EVTCHN);
    HYPERCALL(__HYPERVISOR_vcpu_op, VCPUOP_stop_periodic_timer, 0, 0);
    timer = (unsigned)bind_virq(VIRQ_TIMER);
    ipi_a = (unsigned)bind_ipi();
    ipi_b = (unsigned)bind_ipi();
    printf("2-level: store %u, console %u, timer %u, ipi %u and %u\n", store,
           console, timer, ipi_a, ipi_b);
    status(store, &st);
    printf("store status %u, ", st);
    status(console, &st);
    printf("console status %u\n", st);
    send(ipi_a);
    printf("send(ipi a): pending bit %d, upcall %u\n", l2_pending(ipi_a),
           upcall_pending());
    shinfo[VI_UPCALL_PENDING] = 0;
    *(volatile unsigned long *)(shinfo + VI_PENDING_SEL) = 0;
}

static void switch_to_fifo(void)
{
    unsigned long pt = p2m[si(SI_PT_BASE) >> 12];
    uint8_t lb = 0;
    long r;

    printf("set_priority under 2-level: %ld, expand_array: %ld\n",
           set_priority(ipi_a, 1), expand_array(mfn_of(events)));
    printf("init_control: vcpu 1 %ld, offset 4 %ld, offset 4032 %ld, "
           "Xen's frame %ld, a page table %ld\n",
           init_control(mfn_of(control), 0, 1, 0),
           init_control(mfn_of(control), 4, 0, 0),
           init_control(mfn_of(control), 4032, 0, 0),
           init_control(0, 0, 0, 0), init_control(pt, 0, 0, 0));
    r = init_control(mfn_of(control), 0, 0, &lb);
    printf("init_control: %ld, link_bits %u\n", r, lb);
    printf("init_control again: %ld\n",
           init_control(mfn_of(control), 0, 0, 0));
    r = send(ipi_b);
    printf("no event array yet: send %ld, ready %x\n", r, control[0]);
    printf("expand_array: a page table %ld, ours %ld\n", expand_array(pt),
           expand_array(mfn_of(events)));
    printf("carried over: ready %x, head[7] %u, words a %x b %x, upcall %u\n",
           control[0], control[2 + 7], events[ipi_a], events[ipi_b],
           upcall_pending());
    drain("drain");
}

static void priorities_and_masking(void)
{
    printf("set_priority: prio 16 %ld, port 5000 %ld, b to 3 %ld, "
           "store to 1 %ld\n", set_priority(ipi_a, 16),
           set_priority(5000, 1), set_priority(ipi_b, 3),
           set_priority(store, 1));
    send(ipi_a);
    send(ipi_b);
    send(ipi_a);
    printf("a, b, a: ready %x, head[3] %u, head[7] %u\n", control[0],
           control[2 + 3], control[2 + 7]);
    drain("drain");
    events[ipi_a] |= MASKED;
    send(ipi_a);
    printf("masked a: word %x, ready %x, upcall %u\n", events[ipi_a],
           control[0], upcall_pending());
    unmask(ipi_a);
    printf("unmasked a: word %x, ready %x, upcall %u\n", events[ipi_a],
           control[0], upcall_pending());
    drain("drain");
    send(ipi_b);
    send(ipi_a);
    drain("relinked after consumption");
}

static void backends_and_timer(void)
{
    struct { uint64_t timeout; uint32_t flags; } ss;

    store_ring = (volatile uint8_t *)(M2P[si(SI_STORE_MFN)] << 12);
    cons_ring = (volatile uint8_t *)(M2P[si(SI_CONSOLE_MFN)] << 12);
    xenstore_request(store);
    console_write(console, "fifo: through the console ring\n");
    send(ipi_b);
    printf("backends answered: ready %x\n", control[0]);
    drain("drain");
    xenstore_reply();
    ss.timeout = *(volatile uint64_t *)(shinfo + VI_SYSTEM_TIME) + 1000000;
    ss.flags = 0;
    HYPERCALL(__HYPERVISOR_vcpu_op, VCPUOP_set_singleshot_timer, 0, &ss);
    poll(timer);
    printf("timer: word %x\n", events[timer]);
    drain("drain");
}

static void reset_to_2level(void)
{
    uint32_t st;
    long p, r;

    printf("reset: %ld\n", evtchn_op(EVTCHNOP_reset, (uint16_t[]){
                                         DOMID_SELF }));
    status(store, &st);
    printf("store status %u; set_priority %ld, expand_array %ld\n", st,
           set_priority(1, 1), expand_array(mfn_of(events)));
    p = bind_ipi();
    send((unsigned)p);
    printf("2-level again: ipi %ld pending bit %d, upcall %u\n", p,
           l2_pending((unsigned)p), upcall_pending());
    r = init_control(mfn_of(control), 8, 0, 0);
    printf("FIFO once more: %ld, expand %ld\n", r,
           expand_array(mfn_of(events)));
    printf("reset: %ld\n", evtchn_op(EVTCHNOP_reset, (uint16_t[]){
                                         DOMID_SELF }));
}

int main(void)
{
    long r = map_shared_info();

    if (r)
        printf("mapping shared_info: %ld\n", r);
    shinfo = shinfo_page;
    p2m = (unsigned long *)si(SI_MFN_LIST);
    two_level_start();
    switch_to_fifo();
    priorities_and_masking();
    backends_and_timer();
    reset_to_2level();
    return 0;
}
