/* The hypervisor's machine: machine memory, frame table, M2P. */
#include <stdlib.h>
#include <string.h>
#include "xenemu/le.h"
#include "xenplat/xen.h"
#include "xenplat/xenmap.h"

bool mfn_valid(const struct xen *x, uint64_t mfn)
{
    return mfn < x->nr_frames;
}

static bool frame_is_free(const struct xen *x, uint64_t mfn)
{
    return x->frame[mfn].owner == DOMID_INVALID && !x->frame[mfn].count;
}

/* Hand out a free frame: scrubbed, and no decoded code left of an
 * earlier use. */
static void frame_take(struct xen *x, uint64_t mfn, uint16_t owner)
{
    if (mfn < x->high_water)
        mem_code_written(&x->mem, mfn);
    else
        x->high_water = mfn + 1;
    memset(mfn_ptr(x, mfn), 0, PAGE_SIZE);
    x->frame[mfn] = (struct page_info){ .owner = owner, .count = 1,
                                        .flags = PGF_allocated };
    x->nr_free--;
}

uint64_t frame_alloc_order(struct xen *x, uint16_t owner, unsigned order,
                           uint64_t limit)
{
    uint64_t n = 1ull << order, mfn, i;
    uint64_t end = limit && limit < x->nr_frames ? limit : x->nr_frames;

    if (order >= 32 || x->nr_free < n)
        return ~0ull;
    for (mfn = (x->lowest_free + n - 1) & ~(n - 1); mfn + n <= end;
         mfn += n) {
        for (i = 0; i < n && frame_is_free(x, mfn + i); i++)
            ;
        if (i == n)
            break;
    }
    if (mfn + n > end)
        return ~0ull;
    for (i = 0; i < n; i++)
        frame_take(x, mfn + i, owner);
    if (mfn == x->lowest_free)
        x->lowest_free = mfn + n;
    return mfn;
}

uint64_t frame_alloc(struct xen *x, uint16_t owner)
{
    return frame_alloc_order(x, owner, 0, 0);
}

void frame_free(struct xen *x, uint64_t mfn)
{
    if (mfn >= x->nr_frames || frame_is_free(x, mfn))
        return;
    x->frame[mfn] = (struct page_info){ .owner = DOMID_INVALID };
    x->nr_free++;
    if (mfn < x->lowest_free)
        x->lowest_free = mfn;
}

void m2p_set(struct xen *x, uint64_t mfn, uint64_t pfn)
{
    uint64_t off = mfn * 8;

    if (mfn >= x->nr_frames)
        return;
    le64_store(mfn_ptr(x, x->m2p_mfn) + off, pfn);
    le32_store(mfn_ptr(x, x->m2p32_mfn) + mfn * 4, (uint32_t)pfn);
}

uint64_t m2p_get(struct xen *x, uint64_t mfn)
{
    if (mfn >= x->nr_frames)
        return ~0ull;
    return le64_load(mfn_ptr(x, x->m2p_mfn) + mfn * 8);
}

/* Contiguous Xen frames for a table of nbytes, filled with 0xff bytes
 * (an M2P entry of all-ones is INVALID_M2P_ENTRY). */
static uint64_t alloc_table(struct xen *x, uint64_t nbytes, uint64_t *frames)
{
    uint64_t n = (nbytes + PAGE_SIZE - 1) / PAGE_SIZE, i, first = 0;

    for (i = 0; i < n; i++) {
        uint64_t mfn = frame_alloc(x, DOMID_XEN);
        if (i == 0)
            first = mfn;
        memset(mfn_ptr(x, mfn), 0xff, PAGE_SIZE);
    }
    *frames = n;
    return first;
}

int xen_init(struct xen *x, uint64_t machine_frames)
{
    uint64_t i;

    memset(x, 0, sizeof(*x));
    if (mem_init(&x->mem, machine_frames << PAGE_SHIFT))
        return -1;
    x->nr_frames = machine_frames;
    x->frame = calloc(machine_frames, sizeof(*x->frame));
    if (!x->frame) {
        mem_destroy(&x->mem);
        return -1;
    }
    for (i = 0; i < machine_frames; i++)
        x->frame[i].owner = DOMID_INVALID;
    x->nr_free = machine_frames;
    /* MFN 0 is never handed out: a zero MFN in a guest structure is
     * always a bug worth a fault. */
    frame_alloc(x, DOMID_XEN);
    x->m2p_mfn = alloc_table(x, machine_frames * 8, &x->m2p_frames);
    x->m2p32_mfn = alloc_table(x, machine_frames * 4, &x->m2p32_frames);
    for (i = 0; i < x->lowest_free; i++)
        m2p_set(x, i, ~0ull);
    x->clock.tsc_khz = 1000000;       /* 1 GHz: one tick per instruction */
    if (maptrack_init(&x->dom0_maptrack, GNTTAB_DEFAULT_MAX_MAPTRACK_FRAMES))
        return -1;
    return xenmap_init(x);
}

void xen_destroy(struct xen *x)
{
    maptrack_destroy(&x->dom0_maptrack);
    free(x->frame);
    mem_destroy(&x->mem);
}

/* ---- the virtual clock --------------------------------------------------- */

uint64_t tsc_to_ns(const struct xen *x, uint64_t tsc)
{
    /* ns = tsc * 10^6 / khz, without overflow for any run length. */
    uint64_t khz = x->clock.tsc_khz;
    return tsc / khz * 1000000 + tsc % khz * 1000000 / khz;
}

uint64_t ns_to_tsc(const struct xen *x, uint64_t ns)
{
    uint64_t khz = x->clock.tsc_khz;
    return ns / 1000000 * khz + ns % 1000000 * khz / 1000000;
}
