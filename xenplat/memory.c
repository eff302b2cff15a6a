/* memory_op (xen/common/memory.c, common/compat/memory.c, x86/mm.c
 * arch_memory_op). */
#include "xenemu/le.h"
#include "xenplat/guest.h"
#include "xenplat/hypercall.h"
#include "xenplat/mm.h"

enum {
    XENMEM_increase_reservation = 0, XENMEM_decrease_reservation = 1,
    XENMEM_maximum_ram_page = 2, XENMEM_current_reservation = 3,
    XENMEM_maximum_reservation = 4, XENMEM_machphys_mfn_list = 5,
    XENMEM_populate_physmap = 6, XENMEM_add_to_physmap = 7,
    XENMEM_memory_map = 9, XENMEM_exchange = 11,
    XENMEM_machphys_mapping = 12, XENMEM_maximum_gpfn = 14,
};

#define E820_RAM 1
#define XENMAPSPACE_gmfn_foreign 4
#define MEMOP_EXTENT_SHIFT 6
#define MEMOP_CMD_MASK 0x3f
#define M2P_CHUNK_FRAMES 512                 /* 2 MiB of table */
#define DOMU_MAX_ORDER 9                     /* CONFIG_DOMU_MAX_ORDER */
#define MAX_ORDER 20                         /* x86 MAX_ORDER */

/* xen_memory_reservation.mem_flags (pub/memory.h) */
#define XENMEMF_address_bits(f) ((f) & 0xffu)
#define XENMEMF_node(f) ((((f) >> 8) - 1) & 0xffu)
#define XENMEMF_NO_NODE 0xffu
#define XENMEMF_populate_on_demand (1u << 16)
#define XENMEMF_exact_node_request (1u << 17)
#define XENMEMF_vnode (1u << 18)

/* The domain a {domid} argument names (rcu_lock_domain_by_any_id, then
 * XSM's target check): ourselves; dom0 exists but is not ours to touch;
 * anything else does not exist. */
static long memop_domain(struct vcpu *v, uint16_t domid)
{
    if (domid == DOMID_SELF || domid == v->d->domid)
        return 0;
    return domid == 0 ? -XEN_EPERM : -XEN_ESRCH;
}

static long own_domain(struct vcpu *v, uint64_t arg, struct domain **d)
{
    uint16_t domid;
    long r;

    if (get_guest_u16(v, arg, &domid))
        return -XEN_EFAULT;
    if ((r = memop_domain(v, domid)))
        return r;
    *d = v->d;
    return 0;
}

/* ---- increase/decrease_reservation, populate_physmap -------------------------- */

/* struct memop_args as construct_memop_from_reservation leaves it. */
struct memop {
    unsigned op;
    uint64_t list;             /* extent_start, 0: null */
    uint32_t nr_extents;
    unsigned order;
    uint64_t mfn_limit;        /* MEMF_bits: MFNs below this (0: any) */
    bool pod;                  /* MEMF_populate_on_demand */
    uint32_t nr_done;
    /* compat: the translation area holding extents buf_base.. */
    uint64_t *buf;
    uint32_t buf_base;
};

/* The guest's extent list: xen_pfn_t (8 bytes) or compat_pfn_t (4). */
static unsigned ext_size(const struct vcpu *v)
{
    return is_pv32(v->d) ? 4 : 8;
}

static bool ext_range_ok(struct vcpu *v, uint64_t list, uint64_t first,
                         uint64_t count)
{
    if (count >= UINT64_MAX / 8)
        return false;
    return guest_range_ok(v, list + first * ext_size(v),
                          count * ext_size(v));
}

static int ext_get(struct vcpu *v, const struct memop *m, uint64_t i,
                   uint64_t *val)
{
    uint8_t b[8];

    if (m->buf) {
        *val = m->buf[i - m->buf_base];
        return 0;
    }
    if (copy_from_guest(v, m->list + i * ext_size(v), b, ext_size(v)))
        return -1;
    *val = le_load(b, ext_size(v));
    return 0;
}

static int ext_put(struct vcpu *v, const struct memop *m, uint64_t i,
                   uint64_t val)
{
    uint8_t b[8];

    if (m->buf) {
        m->buf[i - m->buf_base] = val;
        return 0;
    }
    le_store(b, ext_size(v), val);
    return copy_to_guest(v, m->list + i * ext_size(v), b, ext_size(v));
}

/* alloc_domheap_pages for d: a block from the machine's pool, refused
 * (and given back) when it would take d past max_pages (assign_pages:
 * -E2BIG).  First MFN or ~0. */
static uint64_t alloc_domheap(struct domain *d, unsigned order,
                              uint64_t mfn_limit)
{
    uint64_t n = 1ull << order, mfn, i;

    mfn = frame_alloc_order(d->x, d->domid, order, mfn_limit);
    if (mfn == ~0ull)
        return ~0ull;
    if (d->tot_pages + n > d->max_pages) {
        for (i = 0; i < n; i++)
            frame_free(d->x, mfn + i);
        return ~0ull;
    }
    d->tot_pages += n;
    return mfn;
}

static void increase_reservation(struct vcpu *v, struct memop *m)
{
    uint32_t i;

    bool list = m->list || m->buf;

    if ((list && !m->buf && !ext_range_ok(v, m->list, m->nr_done,
                                          m->nr_extents - m->nr_done)) ||
        m->order > DOMU_MAX_ORDER)
        return;
    for (i = m->nr_done; i < m->nr_extents; i++) {
        uint64_t mfn = alloc_domheap(v->d, m->order, m->mfn_limit);
        if (mfn == ~0ull)
            break;
        /* The new frames' M2P entries stay as they were: the guest sets
         * them (MMU_MACHPHYS_UPDATE). */
        if (list && ext_put(v, m, i, mfn))
            break;
    }
    m->nr_done = i;
}

/* guest_remove_page for a PV domain: gmfn is an MFN; the allocation's
 * reference goes, and the frame is freed once nothing else holds it
 * (mappings, types, pins keep it until they go). */
static long guest_remove_page(struct domain *d, uint64_t gmfn)
{
    struct xen *x = d->x;
    struct page_info *pg;

    if (!mfn_valid(x, gmfn))
        return -XEN_EINVAL;
    if (get_page(x, gmfn, d))
        return -XEN_ENXIO;
    pg = mfn_page(x, gmfn);
    if (pg->flags & PGF_allocated) {
        pg->flags &= (uint8_t)~PGF_allocated;
        put_page(x, gmfn);
    }
    put_page(x, gmfn);
    return 0;
}

static void decrease_reservation(struct vcpu *v, struct memop *m)
{
    uint32_t i;
    uint64_t j, gmfn;

    if ((!m->buf && !ext_range_ok(v, m->list, m->nr_done,
                                  m->nr_extents - m->nr_done)) ||
        m->order > DOMU_MAX_ORDER)
        return;
    for (i = m->nr_done; i < m->nr_extents; i++) {
        if (ext_get(v, m, i, &gmfn))
            break;
        for (j = 0; j < (1ull << m->order); j++)
            if (guest_remove_page(v->d, gmfn + j))
                goto out;
    }
out:
    m->nr_done = i;
}

static void populate_physmap(struct vcpu *v, struct memop *m)
{
    uint64_t gpfn, mfn, j;
    uint32_t i;

    if ((!m->buf && !ext_range_ok(v, m->list, m->nr_done,
                                  m->nr_extents - m->nr_done)) ||
        m->order > (m->pod ? MAX_ORDER : DOMU_MAX_ORDER))
        return;
    for (i = m->nr_done; i < m->nr_extents; i++) {
        if (ext_get(v, m, i, &gpfn))
            break;
        if (m->pod)                 /* populate-on-demand on oneself */
            break;
        mfn = alloc_domheap(v->d, m->order, m->mfn_limit);
        if (mfn == ~0ull)
            break;
        /* guest_physmap_add_page for PV: the M2P entries. */
        for (j = 0; j < (1ull << m->order); j++)
            m2p_set(v->d->x, mfn + j, gpfn + j);
        if (ext_put(v, m, i, mfn))
            break;
    }
    m->nr_done = i;
}

static void reservation_op(struct vcpu *v, struct memop *m)
{
    switch (m->op) {
    case XENMEM_increase_reservation:
        increase_reservation(v, m);
        break;
    case XENMEM_decrease_reservation:
        decrease_reservation(v, m);
        break;
    default:
        populate_physmap(v, m);
        break;
    }
}

/* The compat (32-bit) form (compat/memory.c): the whole list must be
 * addressable; it is worked through a translation area a chunk at a
 * time: the chunk's pfns are read in (up to the first that faults, where
 * the work ends), the native operation runs on the area, and the MFNs are
 * copied out after it, a copy that faults ending the count there. */
#define COMPAT_XLAT_EXTENTS 1020

static uint32_t reservation_op_compat(struct vcpu *v, struct memop *m)
{
    uint64_t buf[COMPAT_XLAT_EXTENTS], val;
    uint32_t nr = m->nr_extents, s = m->nr_done, e, i;
    bool fault;

    if (m->list && !ext_range_ok(v, m->list, 0, nr))
        return s;
    if (!m->list) {                  /* a null handle stays null */
        reservation_op(v, m);
        return m->nr_done;
    }
    while (s < nr) {
        e = nr - s > COMPAT_XLAT_EXTENTS ? s + COMPAT_XLAT_EXTENTS : nr;
        fault = false;
        m->buf = NULL;
        if (m->op != XENMEM_increase_reservation)
            for (i = s; i < e; i++) {
                if (ext_get(v, m, i, &val)) {
                    e = i;
                    fault = true;
                    break;
                }
                buf[i - s] = val;
            }
        m->buf = buf;
        m->buf_base = s;
        m->nr_done = s;
        m->nr_extents = e;
        reservation_op(v, m);
        m->buf = NULL;
        if (m->op != XENMEM_decrease_reservation)
            for (i = s; i < m->nr_done; i++)
                if (ext_put(v, m, i, buf[i - s]))
                    return i;
        if (fault || m->nr_done < e)
            return m->nr_done;
        s = e;
    }
    return s;
}

/* The three reservation ops: the number of extents done (from
 * start_extent on), which is all a failure ever returns. */
static long memory_reservation(struct vcpu *v, unsigned op,
                               uint32_t start_extent, uint64_t arg)
{
    bool pv32 = is_pv32(v->d);
    struct memop m = { .op = op };
    uint8_t b[32];
    unsigned bits, order_pages = 0;
    uint32_t flags;

    if (copy_from_guest(v, arg, b, pv32 ? 20 : 32))
        return start_extent;
    m.list = pv32 ? le32_load(b) : le64_load(b);
    if ((pv32 ? le32_load(b + 4) : le64_load(b + 8)) >
        (UINT32_MAX >> MEMOP_EXTENT_SHIFT))
        return start_extent;
    m.nr_extents = pv32 ? le32_load(b + 4) : (uint32_t)le64_load(b + 8);
    m.order = le32_load(b + (pv32 ? 8 : 16));
    flags = le32_load(b + (pv32 ? 12 : 20));
    if (start_extent >= m.nr_extents ||
        memop_domain(v, le16_load(b + (pv32 ? 16 : 24))))
        return start_extent;
    /* construct_memop_from_reservation */
    bits = XENMEMF_address_bits(flags);
    while ((1ull << order_pages) < v->d->x->nr_frames)
        order_pages++;
    if (bits && bits < order_pages + PAGE_SHIFT) {
        if (bits <= PAGE_SHIFT)
            return start_extent;
        m.mfn_limit = 1ull << (bits - PAGE_SHIFT);
    }
    if (!(flags & XENMEMF_vnode) && XENMEMF_node(flags) != XENMEMF_NO_NODE &&
        (flags & XENMEMF_exact_node_request))
        return start_extent;
    m.pod = op == XENMEM_populate_physmap &&
            (flags & XENMEMF_populate_on_demand);
    m.nr_done = start_extent;
    if (pv32)
        return reservation_op_compat(v, &m);
    reservation_op(v, &m);
    return m.nr_done;
}

static long memory_map(struct vcpu *v, uint64_t arg)
{
    const struct xen_abi *abi = v->d->abi;
    uint64_t buf;
    uint32_t nr;
    uint8_t e[20];

    if (get_guest_u32(v, arg, &nr) ||
        get_guest_ulong(v, arg + abi->ulong_size, &buf))
        return -XEN_EFAULT;
    if (nr < 1)
        return -XEN_EINVAL;
    /* libxl's PV map: one RAM entry up to maxmem (+ slack 0). */
    le64_store(e, 0);
    le64_store(e + 8, v->d->max_pages_e820 << PAGE_SHIFT);
    le32_store(e + 16, E820_RAM);
    if (copy_to_guest(v, buf, e, sizeof(e)) || put_guest_u32(v, arg, 1))
        return -XEN_EFAULT;
    return 0;
}

static long machphys_mapping(struct vcpu *v, uint64_t arg)
{
    unsigned ul = v->d->abi->ulong_size;
    bool pv32 = is_pv32(v->d);

    if (put_guest_ulong(v, arg, pv32 ? RO_MPT_VIRT_START_32
                                     : RO_MPT_VIRT_START_64) ||
        put_guest_ulong(v, arg + ul, pv32 ? RO_MPT_VIRT_END_32
                                          : RO_MPT_VIRT_END_64) ||
        put_guest_ulong(v, arg + 2 * ul, pv32 ? MACH2PHYS_MAX_MFN_32
                                              : (1ull << 35) - 1))
        return -XEN_EFAULT;
    return 0;
}

/* The MFNs of the M2P table, one per 2 MiB chunk. */
static long machphys_mfn_list(struct vcpu *v, uint64_t arg)
{
    struct xen *x = v->d->x;
    bool pv32 = is_pv32(v->d);
    unsigned ul = v->d->abi->ulong_size;
    uint64_t first = pv32 ? x->m2p32_mfn : x->m2p_mfn;
    uint64_t frames = pv32 ? x->m2p32_frames : x->m2p_frames;
    uint64_t list, i, n = (frames + M2P_CHUNK_FRAMES - 1) / M2P_CHUNK_FRAMES;
    uint32_t max;

    if (get_guest_u32(v, arg, &max) ||
        get_guest_ulong(v, arg + ul, &list))
        return -XEN_EFAULT;
    if (n > max)
        n = max;
    for (i = 0; i < n; i++)
        if (put_guest_ulong(v, list + i * ul, first + i * M2P_CHUNK_FRAMES))
            return -XEN_EFAULT;
    if (put_guest_u32(v, arg + 2 * ul, (uint32_t)n))
        return -XEN_EFAULT;
    return 0;
}

/* XENMEM_add_to_physmap: grant-table (XENMAPSPACE_grant_table, with
 * XENMAPIDX_grant_table_status for v2 status frames), shared_info and
 * gmfn spaces exist for translated guests only; a PV guest gets its grant
 * frames from GNTTABOP_setup_table / get_status_frames instead, and is
 * refused here after the argument checks, as Xen does. */
static long add_to_physmap(struct vcpu *v, uint64_t arg)
{
    uint8_t b[24];
    uint16_t domid;
    uint32_t space;

    if (copy_from_guest(v, arg, b, v->d->abi->is64 ? 24 : 16))
        return -XEN_EFAULT;
    domid = le16_load(b);
    space = le32_load(b + 4);
    if (space == XENMAPSPACE_gmfn_foreign)
        return -XEN_ENOSYS;
    if (domid != DOMID_SELF && !domain_lookup(v->d->x, domid))
        return -XEN_ESRCH;
    return -XEN_EACCES;                    /* PV guests are not translated */
}

/* ---- XENMEM_exchange (memory_exchange) ---------------------------------------- */

struct xreservation {
    uint64_t list;
    uint64_t nr;
    unsigned order;
    uint32_t flags;
    uint16_t domid;
};

static void parse_reservation(const struct vcpu *v, const uint8_t *b,
                              struct xreservation *r)
{
    bool pv32 = is_pv32(v->d);

    r->list = pv32 ? le32_load(b) : le64_load(b);
    r->nr = pv32 ? le32_load(b + 4) : le64_load(b + 8);
    r->order = le32_load(b + (pv32 ? 8 : 16));
    r->flags = le32_load(b + (pv32 ? 12 : 20));
    r->domid = le16_load(b + (pv32 ? 16 : 24));
}

/* steal_page: only a frame nobody but its allocation holds may go; it
 * leaves the domain (kept off the free pool until freed or given back)
 * without touching tot_pages (MEMF_no_refcount). */
static long steal_page(struct domain *d, uint64_t mfn)
{
    struct xen *x = d->x;
    struct page_info *pg = mfn_page(x, mfn);

    if (get_page(x, mfn, d))
        return -XEN_EINVAL;
    if ((pg->flags & PGF_xen_heap) || pg->count != 2 ||
        !(pg->flags & PGF_allocated)) {
        put_page(x, mfn);
        return -XEN_EINVAL;
    }
    *pg = (struct page_info){ .owner = DOMID_XEN };
    return 0;
}

/* assign_pages with MEMF_no_refcount: d's again, allocated, count 1. */
static void assign_page(struct domain *d, uint64_t mfn)
{
    d->x->frame[mfn] = (struct page_info){ .owner = d->domid, .count = 1,
                                           .flags = PGF_allocated };
}

static void free_stolen(struct xen *x, uint64_t mfn)
{
    x->frame[mfn].count = 0;
    x->frame[mfn].owner = DOMID_XEN;
    frame_free(x, mfn);
}

#define EXCHANGE_MAX_PAGES (1u << DOMU_MAX_ORDER)
#define EXCHANGE_CHUNKS_PER_CALL 1024

/* One chunk: 2^in_chunk input extents for 2^out_chunk output extents.
 * 0, or -errno with the chunk undone (rc of the output copies: the chunk
 * is done, but not counted). */
static long exchange_chunk(struct vcpu *v, const struct xreservation *in,
                           const struct xreservation *out, uint64_t i,
                           unsigned in_chunk, unsigned out_chunk,
                           uint64_t mfn_limit)
{
    struct domain *d = v->d;
    struct xen *x = d->x;
    uint64_t stolen[EXCHANGE_MAX_PAGES], got[EXCHANGE_MAX_PAGES];
    unsigned nr_stolen = 0, nr_got = 0, j, k, esz = ext_size(v);
    uint64_t gmfn, gpfn;
    uint8_t b[8];
    long rc = 0;

    for (j = 0; j < (1u << in_chunk); j++) {
        if (copy_from_guest(v, in->list + ((i << in_chunk) + j) * esz, b,
                            esz)) {
            rc = -XEN_EFAULT;
            goto fail;
        }
        gmfn = le_load(b, esz);
        for (k = 0; k < (1u << in->order); k++) {
            if (!mfn_valid(x, gmfn + k)) {
                rc = -XEN_EINVAL;
                goto fail;
            }
            if ((rc = steal_page(d, gmfn + k)))
                goto fail;
            stolen[nr_stolen++] = gmfn + k;
        }
    }
    for (j = 0; j < (1u << out_chunk); j++) {
        uint64_t mfn = frame_alloc_order(x, DOMID_XEN, out->order, mfn_limit);
        if (mfn == ~0ull) {
            rc = -XEN_ENOMEM;
            goto fail;
        }
        got[nr_got++] = mfn;
    }
    /* Beyond this point the chunk cannot fail. */
    for (j = 0; j < nr_stolen; j++)
        free_stolen(x, stolen[j]);
    for (j = 0; j < nr_got; j++) {
        for (k = 0; k < (1u << out->order); k++)
            assign_page(d, got[j] + k);
        if (copy_from_guest(v, out->list + ((i << out_chunk) + j) * esz, b,
                            esz)) {
            rc = -XEN_EFAULT;
            continue;
        }
        gpfn = le_load(b, esz);
        for (k = 0; k < (1u << out->order); k++)
            m2p_set(x, got[j] + k, gpfn + k);
        le_store(b, esz, got[j]);
        if (copy_to_guest(v, out->list + ((i << out_chunk) + j) * esz, b,
                          esz))
            rc = -XEN_EFAULT;
    }
    return rc;
fail:
    for (j = 0; j < nr_stolen; j++)
        assign_page(d, stolen[j]);
    for (j = 0; j < nr_got; j++)
        for (k = 0; k < (1u << out->order); k++)
            free_stolen(x, got[j] + k);
    return rc;
}

static long memory_exchange(struct vcpu *v, uint64_t arg)
{
    bool pv32 = is_pv32(v->d);
    unsigned rsz = pv32 ? 20 : 32, esz = ext_size(v), in_chunk, out_chunk;
    unsigned bits, order_pages = 0;
    uint64_t nr_exchanged, i, mfn_limit = 0;
    uint64_t ulong_max = pv32 ? UINT32_MAX : UINT64_MAX;
    struct xreservation in, out;
    uint8_t b[72];
    long rc;

    if (copy_from_guest(v, arg, b, 2 * rsz + esz))
        return -XEN_EFAULT;
    parse_reservation(v, b, &in);
    parse_reservation(v, b + rsz, &out);
    nr_exchanged = le_load(b + 2 * rsz, esz);
    if ((in.order > out.order ? in.order : out.order) > DOMU_MAX_ORDER) {
        rc = -XEN_EPERM;
        goto fail_early;
    }
    if (nr_exchanged > in.nr || in.domid != out.domid ||
        (ulong_max >> in.order) < in.nr || (ulong_max >> out.order) < out.nr ||
        (in.nr << in.order) != (out.nr << out.order)) {
        rc = -XEN_EINVAL;
        goto fail_early;
    }
    if (nr_exchanged == in.nr)
        return 0;
    if (!ext_range_ok(v, in.list, nr_exchanged, in.nr - nr_exchanged)) {
        rc = -XEN_EFAULT;
        goto fail_early;
    }
    if (in.order <= out.order) {
        in_chunk = out.order - in.order;
        out_chunk = 0;
        i = nr_exchanged >> in_chunk;
    } else {
        in_chunk = 0;
        out_chunk = in.order - out.order;
        i = nr_exchanged << out_chunk;
    }
    if (!ext_range_ok(v, out.list, i, out.nr - i)) {
        rc = -XEN_EFAULT;
        goto fail_early;
    }
    if (XENMEMF_node(out.flags) != XENMEMF_NO_NODE &&
        (out.flags & XENMEMF_exact_node_request)) {
        rc = -XEN_EINVAL;
        goto fail_early;
    }
    if ((rc = memop_domain(v, in.domid)))
        goto fail_early;
    bits = XENMEMF_address_bits(out.flags);
    while ((1ull << order_pages) < v->d->x->nr_frames)
        order_pages++;
    if (bits && bits < order_pages + PAGE_SHIFT)
        mfn_limit = bits > PAGE_SHIFT ? 1ull << (bits - PAGE_SHIFT) : 1;
    for (i = nr_exchanged >> in_chunk; i < (in.nr >> in_chunk); i++) {
        /* Preempted now and then: the rest is a continuation. */
        if (i != nr_exchanged >> in_chunk &&
            !(i % EXCHANGE_CHUNKS_PER_CALL) && hypercall_continuation(v)) {
            nr_exchanged = i << in_chunk;
            rc = 0;
            goto fail_early;
        }
        if ((rc = exchange_chunk(v, &in, &out, i, in_chunk, out_chunk,
                                 mfn_limit))) {
            nr_exchanged = i << in_chunk;
            goto fail_early;
        }
    }
    nr_exchanged = in.nr;
    rc = 0;
fail_early:
    le_store(b, esz, nr_exchanged);
    if (copy_to_guest(v, arg + 2 * rsz, b, esz))
        rc = -XEN_EFAULT;
    return rc;
}

/* domain_get_maximum_gpfn: what the guest put in shared_info's
 * arch.max_pfn (it gives a count, not a pfn). */
static long maximum_gpfn(struct domain *d)
{
    uint64_t max = maddr_load(d->x, (d->shared_info_mfn << PAGE_SHIFT) +
                              d->abi->sh_max_pfn, d->abi->ulong_size);

    return (long)(max ? max : 1) - 1;
}

long do_memory_op(struct vcpu *v, const uint64_t *a)
{
    unsigned op = a[0] & MEMOP_CMD_MASK;
    uint64_t start_extent = a[0] >> MEMOP_EXTENT_SHIFT;
    struct domain *d;
    long r;

    switch (op) {
    case XENMEM_increase_reservation:
    case XENMEM_decrease_reservation:
    case XENMEM_populate_physmap:
        /* The command is an unsigned int for both ABIs. */
        return memory_reservation(v, op, (uint32_t)a[0] >> MEMOP_EXTENT_SHIFT,
                                  a[1]);
    case XENMEM_exchange:
        if (start_extent)
            return -XEN_EINVAL;
        return memory_exchange(v, a[1]);
    case XENMEM_maximum_ram_page:
        if (start_extent)
            return -XEN_EINVAL;
        return (long)v->d->x->nr_frames;
    case XENMEM_current_reservation:
    case XENMEM_maximum_reservation:
    case XENMEM_maximum_gpfn:
        if (start_extent)
            return -XEN_EINVAL;
        if ((r = own_domain(v, a[1], &d)))
            return r;
        if (op == XENMEM_current_reservation)
            return (long)d->tot_pages;
        if (op == XENMEM_maximum_reservation)
            return (long)d->max_pages;
        return maximum_gpfn(d);
    case XENMEM_memory_map:
        return memory_map(v, a[1]);
    case XENMEM_machphys_mapping:
        return machphys_mapping(v, a[1]);
    case XENMEM_machphys_mfn_list:
        return machphys_mfn_list(v, a[1]);
    case XENMEM_add_to_physmap:
        return add_to_physmap(v, a[1]);
    default:
        return -XEN_ENOSYS;
    }
}
