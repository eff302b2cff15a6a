/*
 * memory_op as a balloon driver uses it (xen/common/memory.c, compat/
 * memory.c): increase/decrease_reservation, populate_physmap and exchange
 * with their limits (max order 9, max_pages = maxmem + 1 MiB, address
 * bits, node flags), partial success counted in extents, continuation
 * extents in the command, error codes; a frame given back while still
 * mapped stays allocated until the mapping goes; the reservation queries.
 */
#include "pvrt.h"

#define DOMID_SELF 0x7ff0u
#define UVMF_INVLPG 2
#define PG_KERNEL 0x63ull
enum {
    XENMEM_increase_reservation = 0, XENMEM_decrease_reservation = 1,
    XENMEM_maximum_ram_page = 2, XENMEM_current_reservation = 3,
    XENMEM_maximum_reservation = 4, XENMEM_populate_physmap = 6,
    XENMEM_exchange = 11, XENMEM_maximum_gpfn = 14,
};
#define MEMF_bits(b) (b)
#define MEMF_node(n) (((n) + 1) << 8)
#define MEMF_exact_node (1u << 17)
#define MEMF_pod (1u << 16)
#ifdef __x86_64__
#define M2P ((const unsigned long *)0xffff800000000000ul)
#define SI(o64, o32) (o64)
#define SH_MAX_PFN 3088
#define BAD_PTR 0xffff800000000000ul
#else
#define M2P ((const unsigned long *)0xf5800000ul)
#define SI(o64, o32) (o32)
#define SH_MAX_PFN 2316
#define BAD_PTR 0xf5800000ul
#endif

struct reservation {
    unsigned long *list;
    unsigned long nr;
    uint32_t order, flags;
    uint16_t domid;
};
struct exchange {
    struct reservation in, out;
    unsigned long nr_exchanged;
};

static unsigned long *p2m;
static uint8_t spare[3][4096] __attribute__((aligned(8192)));

static unsigned long si(unsigned off)
{
    return *(unsigned long *)((char *)pv_start_info + off);
}

static long memop(unsigned cmd, void *arg)
{
    return HYPERCALL(__HYPERVISOR_memory_op, cmd, arg, 0);
}

static long res_op(unsigned cmd, unsigned long *list, unsigned long nr,
                   unsigned order, unsigned flags, unsigned domid)
{
    struct reservation r = { list, nr, order, flags, (uint16_t)domid };
    return memop(cmd, &r);
}

static long current(void)
{
    uint16_t dom = DOMID_SELF;
    return memop(XENMEM_current_reservation, &dom);
}

static long uvm(unsigned long va, uint64_t pte)
{
#ifdef __x86_64__
    return HYPERCALL(__HYPERVISOR_update_va_mapping, va, pte, UVMF_INVLPG);
#else
    return pv_hypercall(__HYPERVISOR_update_va_mapping, va, (uint32_t)pte,
                        (uint32_t)(pte >> 32), UVMF_INVLPG, 0);
#endif
}

static unsigned long mfn_of(void *va)
{
    return p2m[(unsigned long)va >> 12];
}

static void queries(void)
{
    uint16_t dom = DOMID_SELF, dom0 = 0, nodom = 5;
    volatile unsigned long *sh = (volatile unsigned long *)0x1000;

    printf("current %ld, maximum - current %ld, maximum_ram_page %ld\n",
           current(), memop(XENMEM_maximum_reservation, &dom) - current(),
           memop(XENMEM_maximum_ram_page, 0));
    printf("current with a continuation extent: %ld\n",
           memop(XENMEM_current_reservation | 1 << 6, &dom));
    printf("current of dom0 %ld, of domain 5 %ld\n",
           memop(XENMEM_current_reservation, &dom0),
           memop(XENMEM_current_reservation, &nodom));
    /* maximum_gpfn: what the guest wrote in shared_info arch.max_pfn. */
    printf("maximum_gpfn %ld", memop(XENMEM_maximum_gpfn, &dom));
    uvm(0x1000, (uint64_t)si(SI(40, 36)) | PG_KERNEL);
    sh[SH_MAX_PFN / sizeof(long)] = 12345;
    printf(", after max_pfn = 12345: %ld\n", memop(XENMEM_maximum_gpfn, &dom));
}

static void increase_decrease(void)
{
    unsigned long list[4] = { 0, 0, 0, 0 }, before = (unsigned long)current();
    unsigned long big[300];
    long r;

    r = res_op(XENMEM_increase_reservation, list, 3, 0, 0, DOMID_SELF);
    printf("increase 3: %ld, ", r);
    printf("current +%ld, M2P of the new frames invalid: "
           "%s, all distinct: %s\n", current() - (long)before,
           M2P[list[0]] == ~0ul && M2P[list[2]] == ~0ul ? "yes" : "no",
           list[0] != list[1] && list[1] != list[2] ? "yes" : "no");
    printf("increase order 10: %ld, order 9 to dom0: %ld, to domain 5: %ld\n",
           res_op(XENMEM_increase_reservation, 0, 1, 10, 0, DOMID_SELF),
           res_op(XENMEM_increase_reservation, 0, 1, 9, 0, 0),
           res_op(XENMEM_increase_reservation, 0, 1, 9, 0, 5));
    printf("increase into Xen's range: %ld, start extent 2 of 2: %ld\n",
           res_op(XENMEM_increase_reservation, (unsigned long *)BAD_PTR, 1,
                  0, 0, DOMID_SELF),
           memop(XENMEM_increase_reservation | 2 << 6,
                 &(struct reservation){ list, 2, 0, 0, DOMID_SELF }));
    /* Up to max_pages: 256 pages of room, 3 taken. */
    r = res_op(XENMEM_increase_reservation, big, 300, 0, 0, DOMID_SELF);
    printf("increase 300: %ld (max_pages reached), current +%ld\n", r,
           current() - (long)before);
    printf("decrease them: %ld\n",
           res_op(XENMEM_decrease_reservation, big, (unsigned long)r, 0, 0,
                  DOMID_SELF));
    r = res_op(XENMEM_decrease_reservation, list, 3, 0, 0, DOMID_SELF);
    printf("decrease 3: %ld, current +%ld\n", r, current() - (long)before);
    printf("decrease a freed frame again: %ld\n",
           res_op(XENMEM_decrease_reservation, list, 1, 0, 0, DOMID_SELF));
    list[0] = 1;                                     /* Xen's */
    list[1] = 0x7fffffff;                            /* no such frame */
    printf("decrease Xen's frame: %ld, a frame that does not exist: %ld\n",
           res_op(XENMEM_decrease_reservation, list, 1, 0, 0, DOMID_SELF),
           res_op(XENMEM_decrease_reservation, list + 1, 1, 0, 0,
                  DOMID_SELF));
}

/* A frame given back while mapped stays the domain's until unmapped. */
static void still_mapped(void)
{
    unsigned long mfn = mfn_of(spare[0]), list[1] = { mfn };
    long before = current();

    long r;

    spare[0][0] = 1;
    r = res_op(XENMEM_decrease_reservation, list, 1, 0, 0, DOMID_SELF);
    printf("decrease a mapped frame: %ld, current %ld, still readable: %d\n",
           r, current() - before, spare[0][0]);
    r = uvm((unsigned long)spare[0], 0);
    printf("unmap it: %ld, current %ld\n", r, current() - before);
    printf("map it again: %ld\n",
           uvm((unsigned long)spare[0], (uint64_t)mfn << 12 | PG_KERNEL));
}

static void populate(void)
{
    unsigned long nr = si(32), list[2] = { nr, nr + 1 }, low[1] = { 7 };
    unsigned long pod[1] = { 9 };
    long before = current(), r;

    /* 26 address bits: a frame below 64 MiB, the one given back above
     * (the lowest free frame). */
    r = res_op(XENMEM_populate_physmap, low, 1, 0, MEMF_bits(26), DOMID_SELF);
    printf("populate below 64 MiB: %ld, the frame of spare[0]: %s\n", r,
           low[0] == mfn_of(spare[0]) ? "yes" : "no");
    r = res_op(XENMEM_populate_physmap, list, 2, 0, 0, DOMID_SELF);
    printf("populate 2: %ld, current %ld, M2P: %s\n", r, current() - before,
           M2P[list[0]] == nr && M2P[list[1]] == nr + 1 ? "the gpfns"
                                                         : "WRONG");
    {
        long b12, n1, n1x, podr;
        b12 = res_op(XENMEM_populate_physmap, pod, 1, 0, MEMF_bits(12),
                     DOMID_SELF);
        n1x = res_op(XENMEM_populate_physmap, pod, 1, 0,
                     MEMF_node(1) | MEMF_exact_node, DOMID_SELF);
        podr = res_op(XENMEM_populate_physmap, pod, 1, 0, MEMF_pod,
                      DOMID_SELF);
        n1 = res_op(XENMEM_populate_physmap, pod, 1, 0, MEMF_node(1),
                    DOMID_SELF);
        printf("12 address bits: %ld, node 1 exact: %ld, populate on demand: "
               "%ld, node 1: %ld\n", b12, n1x, podr, n1);
    }
    /* Two order-0 frames for one order-1 extent. */
    {
        unsigned long out[1] = { nr + 2 };
        struct exchange x = { { list, 2, 0, 0, DOMID_SELF },
                              { out, 1, 1, 0, DOMID_SELF }, 0 };
        r = memop(XENMEM_exchange, &x);
        printf("exchange 2 x order 0 for 1 x order 1: %ld, exchanged %lu, "
               "aligned %s, M2P %s, current %ld\n", r, x.nr_exchanged,
               out[0] & 1 ? "no" : "yes",
               M2P[out[0]] == nr + 2 && M2P[out[0] + 1] == nr + 3 ? "set"
                                                                 : "WRONG",
               current() - before);
        list[0] = mfn_of(spare[1]);       /* mapped: cannot go */
        list[1] = mfn_of(spare[2]);
        x = (struct exchange){ { list, 2, 0, 0, DOMID_SELF },
                               { out, 2, 0, 0, DOMID_SELF }, 0 };
        printf("exchange mapped frames: %ld, exchanged %lu\n",
               memop(XENMEM_exchange, &x), x.nr_exchanged);
        x.in.order = 10;
        x.out.order = 10;
        printf("exchange order 10: %ld; ", memop(XENMEM_exchange, &x));
        x.in.order = 0;
        x.out.order = 0;
        x.out.nr = 3;
        printf("sizes that differ: %ld; ", memop(XENMEM_exchange, &x));
        x.out.nr = 2;
        x.nr_exchanged = 2;
        printf("all done already: %ld\n", memop(XENMEM_exchange, &x));
    }
}

int main(void)
{
    p2m = (unsigned long *)si(SI(104, 68));
    queries();
    increase_decrease();
    still_mapped();
    populate();
    return 0;
}
