/* memory_op (xen/common/memory.c, x86/mm.c arch_memory_op). */
#include "xenemu/le.h"
#include "xenplat/guest.h"
#include "xenplat/hypercall.h"

enum {
    XENMEM_increase_reservation = 0, XENMEM_decrease_reservation = 1,
    XENMEM_maximum_ram_page = 2, XENMEM_current_reservation = 3,
    XENMEM_maximum_reservation = 4, XENMEM_machphys_mfn_list = 5,
    XENMEM_populate_physmap = 6, XENMEM_add_to_physmap = 7,
    XENMEM_memory_map = 9, XENMEM_machphys_mapping = 12,
    XENMEM_maximum_gpfn = 14,
};

#define E820_RAM 1
#define XENMAPSPACE_gmfn_foreign 4
#define MEMOP_CMD_MASK 0x3f
#define M2P_CHUNK_FRAMES 512                 /* 2 MiB of table */

/* The domain a {domid} argument names: only DOMID_SELF (or our own id)
 * for a domU. */
static long own_domain(struct vcpu *v, uint64_t arg, struct domain **d)
{
    uint16_t domid;

    if (get_guest_u16(v, arg, &domid))
        return -XEN_EFAULT;
    if (domid != DOMID_SELF && domid != v->d->domid)
        return -XEN_EPERM;
    *d = v->d;
    return 0;
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

long do_memory_op(struct vcpu *v, const uint64_t *a)
{
    struct domain *d;
    long r;

    switch (a[0] & MEMOP_CMD_MASK) {
    case XENMEM_maximum_ram_page:
        return (long)(v->d->x->nr_frames - 1);
    case XENMEM_current_reservation:
        if ((r = own_domain(v, a[1], &d)))
            return r;
        return (long)d->tot_pages;
    case XENMEM_maximum_reservation:
        if ((r = own_domain(v, a[1], &d)))
            return r;
        return (long)d->max_pages;
    case XENMEM_maximum_gpfn:
        if ((r = own_domain(v, a[1], &d)))
            return r;
        return (long)d->tot_pages - 1;
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
