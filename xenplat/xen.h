/*
 * The hypervisor: machine memory with its frame table, Xen's own frames (the
 * machine-to-phys table and the page tables that map Xen's virtual ranges
 * into every guest), the domains, and the virtual clock.
 *
 * Machine frames are numbered from 0.  Xen's frames come first, then every
 * domain's, so a guest's MFNs are never equal to its PFNs: a guest that
 * confuses the two fails here as it would on real Xen.  Freed frames
 * (ballooning) go back to the pool and are handed out again.
 */
#ifndef XENEMU_XENPLAT_XEN_H
#define XENEMU_XENPLAT_XEN_H

#include "mmu/mmu.h"
#include "xenplat/abi.h"
#include "xenplat/grant-table.h"

struct domain;
struct vcpu;
struct xen_obs;

/* Page types (the type half of Xen's page_info.type_info). */
enum pgt {
    PGT_none = 0,
    PGT_l1_page_table = 1,
    PGT_l2_page_table = 2,
    PGT_l3_page_table = 3,
    PGT_l4_page_table = 4,
    PGT_seg_desc_page = 5,
    PGT_writable_page = 7,
};

/* page_info.flags */
enum {
    PGF_pinned = 1u << 0,      /* a pin holds a type reference */
    PGF_validated = 1u << 1,   /* contents checked for the current type */
    PGF_pae_xen_l2 = 1u << 2,  /* 32-bit PAE: the L2 with Xen's slots */
    PGF_xen_heap = 1u << 3,    /* Xen's frame shared with the owner */
    PGF_allocated = 1u << 4,   /* PGC_allocated: count holds the
                                  allocation's reference */
};

/* Xen's page_info, one per machine frame. */
struct page_info {
    uint16_t owner;            /* domid, DOMID_XEN, DOMID_INVALID if free */
    uint8_t type;              /* enum pgt */
    uint8_t flags;             /* PGF_* */
    uint32_t type_count;       /* references holding the type */
    uint32_t count;            /* general references (allocation, maps) */
    /* Linear page tables (x86/mm.c linear_pt_count): > 0 entries of this
     * table mapping tables of its own level, < 0 uses as such a target. */
    int16_t linear_pt_count;
};

#define MAX_DOMAINS 64

/* The virtual clock: one tick per retired instruction on the running vCPU
 * plus time skipped while every vCPU was blocked.  TSC = ticks, system time
 * (ns) = ticks * ns_per_tick_num / ns_per_tick_den. */
struct vclock {
    uint64_t tsc_khz;          /* guest TSC frequency */
    uint64_t wallclock_epoch;  /* UTC seconds at system time 0 */
    uint32_t wallclock_nsec;   /* and nanoseconds */
    bool host;                 /* --clock=host */
};

struct xen {
    struct mem mem;            /* machine memory */
    struct page_info *frame;   /* nr_frames entries */
    uint64_t nr_frames;
    /* Frame allocator: every frame below lowest_free is in use; frames
     * below high_water have been handed out before (their decoded code
     * must go when they are again). */
    uint64_t lowest_free, high_water;
    uint64_t nr_free;

    /* Machine-to-phys tables: u64 entries (64-bit guests) and u32 entries
     * (the compat table of 32-bit guests), in Xen frames. */
    uint64_t m2p_mfn, m2p_frames;
    uint64_t m2p32_mfn, m2p32_frames;
    /* Page tables mapping them read-only for guests: the L3 that 64-bit
     * guests' L4 slot 256 points at; the L1s that 32-bit guests' Xen L2
     * slots point at. */
    uint64_t ro_mpt_l3_mfn;
    uint64_t compat_mpt_l1_mfn, compat_mpt_l1_frames;
    /* A zero frame (unused GDT/LDT window pages) and the frames holding
     * Xen's GDT entries (selectors 0xe000..) for each ABI. */
    uint64_t zero_mfn, gdt64_mfn, gdt32_mfn;

    /* The MMIO window (above RAM) a writable-page-table emulation maps the
     * written L1 through (ro-page-fault.c); 0 until first used. */
    uint64_t ptwr_window;

    struct domain *dom[MAX_DOMAINS];
    unsigned nr_domains;

    /* Dom0's mappings of domUs' grants: xenemu's backends. */
    struct maptrack dom0_maptrack;

    struct vclock clock;
    bool strict;               /* --strict */
    int jit;                   /* --jit (run_limits.jit) */

    /* The credit scheduler the machine runs the vCPUs with (sched.h);
     * NULL: every vCPU has a pCPU of its own and runs when woken. */
    struct csched *sched;
    /* The machine's TSC between rounds of the run loop: where vCPUs
     * created now start their clocks. */
    uint64_t now_tsc;
    /* A debugger's or tracer's view of Xen at work (observe.h); NULL: off. */
    void (*observe)(void *opaque, struct vcpu *v, const struct xen_obs *o);
    void *observe_opaque;
};

/* Create the hypervisor over machine_frames frames of machine memory. */
int xen_init(struct xen *x, uint64_t machine_frames);
void xen_destroy(struct xen *x);

/* Frames. */
static inline struct page_info *mfn_page(struct xen *x, uint64_t mfn)
{
    return mfn < x->nr_frames ? &x->frame[mfn] : NULL;
}
static inline uint8_t *mfn_ptr(struct xen *x, uint64_t mfn)
{
    return x->mem.ram + (mfn << PAGE_SHIFT);
}
bool mfn_valid(const struct xen *x, uint64_t mfn);
/* Allocate a zeroed frame for owner (count = 1 with PGF_allocated, type
 * none): MFN, or ~0 when machine memory is exhausted. */
uint64_t frame_alloc(struct xen *x, uint16_t owner);
/* 2^order frames, the block aligned to its size (Xen's buddy allocator)
 * and below MFN limit (0: anywhere), each as frame_alloc leaves it: the
 * first MFN, or ~0 when there is no such block.  Lowest MFNs first. */
uint64_t frame_alloc_order(struct xen *x, uint16_t owner, unsigned order,
                           uint64_t limit);
/* Back to the pool (reused, lowest first, once freed). */
void frame_free(struct xen *x, uint64_t mfn);

/* Machine-to-phys: both tables. */
void m2p_set(struct xen *x, uint64_t mfn, uint64_t pfn);
uint64_t m2p_get(struct xen *x, uint64_t mfn);

/* The virtual clock. */
uint64_t xen_tsc(const struct xen *x, const struct vcpu *v);
uint64_t xen_system_time(const struct xen *x, const struct vcpu *v);
uint64_t tsc_to_ns(const struct xen *x, uint64_t tsc);
uint64_t ns_to_tsc(const struct xen *x, uint64_t ns);

#endif
