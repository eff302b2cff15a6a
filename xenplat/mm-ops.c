/*
 * The MMU hypercalls (x86/mm.c do_mmu_update, do_mmuext_op,
 * __do_update_va_mapping) with Xen's argument checks, error codes, *pdone
 * accounting and TLB maintenance.  A domU's foreign-domain arguments fail
 * as Xen's default XSM policy makes them fail.
 */
#include <string.h>
#include "xenemu/le.h"
#include "xenplat/guest.h"
#include "xenplat/mm.h"

enum {
    MMU_NORMAL_PT_UPDATE = 0, MMU_MACHPHYS_UPDATE = 1,
    MMU_PT_UPDATE_PRESERVE_AD = 2, MMU_PT_UPDATE_NO_TRANSLATE = 3,
};
#define MMU_UPDATE_PREEMPTED 0x80000000u

enum {
    UVMF_NONE = 0, UVMF_TLB_FLUSH = 1, UVMF_INVLPG = 2,
    UVMF_FLUSHTYPE_MASK = 3, UVMF_LOCAL = 0, UVMF_ALL = 4,
};

enum {
    MMUEXT_PIN_L1_TABLE = 0, MMUEXT_PIN_L2_TABLE = 1, MMUEXT_PIN_L3_TABLE = 2,
    MMUEXT_PIN_L4_TABLE = 3, MMUEXT_UNPIN_TABLE = 4, MMUEXT_NEW_BASEPTR = 5,
    MMUEXT_TLB_FLUSH_LOCAL = 6, MMUEXT_INVLPG_LOCAL = 7,
    MMUEXT_TLB_FLUSH_MULTI = 8, MMUEXT_INVLPG_MULTI = 9,
    MMUEXT_TLB_FLUSH_ALL = 10, MMUEXT_INVLPG_ALL = 11,
    MMUEXT_FLUSH_CACHE = 12, MMUEXT_SET_LDT = 13,
    MMUEXT_NEW_USER_BASEPTR = 15, MMUEXT_CLEAR_PAGE = 16,
    MMUEXT_COPY_PAGE = 17, MMUEXT_FLUSH_CACHE_GLOBAL = 18,
    MMUEXT_MARK_SUPER = 19, MMUEXT_UNMARK_SUPER = 20,
};

/* Who the frames of a request belong to (get_pg_owner). */
enum owner_kind { OWNER_SELF, OWNER_IO, OWNER_XEN, OWNER_OTHER };

static struct domain *find_domain(struct xen *x, unsigned domid)
{
    unsigned i;

    for (i = 0; i < x->nr_domains; i++)
        if (x->dom[i]->domid == domid)
            return x->dom[i];
    return NULL;
}

/* 0 or -ESRCH (own id given explicitly, unknown domain). */
static int get_pg_owner(struct vcpu *v, uint16_t domid, enum owner_kind *k)
{
    if (domid == DOMID_SELF) {
        *k = OWNER_SELF;
        return 0;
    }
    if (domid == v->d->domid)
        return -XEN_ESRCH;
    if (domid == DOMID_IO)
        *k = OWNER_IO;
    else if (domid == DOMID_XEN)
        *k = OWNER_XEN;
    else if (find_domain(v->d->x, domid))
        *k = OWNER_OTHER;
    else
        return -XEN_ESRCH;
    return 0;
}

/* The pg_owner domain an L1 entry may map frames of (NULL: DOMID_IO). */
static struct domain *l1_pg_owner(struct vcpu *v, enum owner_kind k)
{
    return k == OWNER_SELF ? v->d : NULL;
}

static void put_pdone(struct vcpu *v, uint64_t pdone, uint32_t done)
{
    if (pdone)
        put_guest_u32(v, pdone, done);
}

/* ---- vCPU masks (vcpumask_to_pcpumask) -------------------------------------------- */

/* Read the guest's vCPU bitmap; sel[] gets the vCPUs it names.  0 or
 * -EFAULT (then nothing is selected). */
static int read_vcpumask(struct vcpu *v, uint64_t bmap, bool *sel)
{
    struct domain *d = v->d;
    unsigned wbits = is_pv32(d) ? 32 : 64, offs, bit;

    memset(sel, 0, d->max_vcpus * sizeof(*sel));
    for (offs = 0;; offs++) {
        unsigned bias = offs * wbits;
        uint64_t mask;
        uint32_t m32;

        if (bias >= d->max_vcpus)
            return 0;
        if (wbits == 64 ? get_guest_u64(v, bmap + offs * 8ull, &mask)
                        : get_guest_u32(v, bmap + offs * 4ull, &m32)) {
            memset(sel, 0, d->max_vcpus * sizeof(*sel));
            return -XEN_EFAULT;
        }
        if (wbits == 32)
            mask = m32;
        for (bit = 0; bit < wbits; bit++) {
            if (!((mask >> bit) & 1))
                continue;
            if (bias + bit >= d->max_vcpus)
                return 0;
            sel[bias + bit] = true;
        }
    }
}

/* Flush (invlpg: one page) on the selected vCPUs. */
static void flush_selected(struct domain *d, const bool *sel, bool invlpg,
                           uint64_t va)
{
    unsigned i;

    for (i = 0; i < d->max_vcpus; i++) {
        struct vcpu *t = d->vcpu[i];
        if (!sel[i] || !t || !t->cpu_ready)
            continue;
        if (invlpg)
            mm_invlpg(t, va);
        else
            mm_flush_tlb(t);
    }
}

static void flush_all_vcpus(struct domain *d, bool invlpg, uint64_t va)
{
    bool sel[MAX_VIRT_CPUS];

    memset(sel, 1, sizeof(sel));
    flush_selected(d, sel, invlpg, va);
}

/* A MULTI flush: 0, or the read error (nothing flushed). */
static int flush_mask(struct vcpu *v, uint64_t bmap, bool invlpg, uint64_t va,
                      bool doit)
{
    bool sel[MAX_VIRT_CPUS];
    int rc = read_vcpumask(v, bmap, sel);

    if (rc == 0 && doit)
        flush_selected(v->d, sel, invlpg, va);
    return rc;
}

/* ---- mmu_update ---------------------------------------------------------------------- */

static int normal_update(struct vcpu *v, uint64_t ptr, uint64_t val,
                         bool preserve_ad, struct domain *pg_owner,
                         bool *flush)
{
    struct domain *d = v->d;
    struct xen *x = d->x;
    uint64_t mfn = ptr >> PAGE_SHIFT;
    unsigned off = (unsigned)(ptr & (PAGE_SIZE - 1));
    struct page_info *pg;
    int rc = -XEN_EINVAL;

    if (get_page(x, mfn, d))
        return -XEN_EINVAL;
    pg = &x->frame[mfn];
    if (pg->type_count && (pg->flags & PGF_validated)) {
        switch (pg->type) {
        case PGT_l1_page_table:
            rc = mm_mod_entry(v, mfn, off, val, preserve_ad, pg_owner);
            break;
        case PGT_l2_page_table:
        case PGT_l3_page_table:
        case PGT_l4_page_table:
            if (pg_owner != d)
                break;
            rc = mm_mod_entry(v, mfn, off, val, preserve_ad, pg_owner);
            if (rc == 0)
                *flush = true;
            break;
        case PGT_writable_page:
            maddr_store(x, ptr, 8, val);
            rc = 0;
            break;
        default:
            break;
        }
    } else if (get_page_type(d, mfn, PGT_writable_page) == 0) {
        maddr_store(x, ptr, 8, val);
        put_page_type(d, mfn);
        rc = 0;
    }
    put_page(x, mfn);
    return rc;
}

static int machphys_update(struct vcpu *v, uint64_t ptr, uint64_t pfn,
                           enum owner_kind k)
{
    struct xen *x = v->d->x;
    uint64_t mfn = ptr >> PAGE_SHIFT;

    if (k != OWNER_SELF || get_page(x, mfn, v->d))
        return -XEN_EINVAL;
    m2p_set(x, mfn, pfn);
    put_page(x, mfn);
    return 0;
}

long do_mmu_update(struct vcpu *v, const uint64_t *a)
{
    struct domain *d = v->d, *pt_owner = d;
    uint64_t ureqs = a[0], pdone = a[2];
    uint32_t count = (uint32_t)a[1], fd = (uint32_t)a[3], done = 0, i = 0;
    enum owner_kind k = OWNER_SELF;
    bool flush = false;
    long rc = 0;

    if (count == MMU_UPDATE_PREEMPTED && !ureqs)
        return (int32_t)fd;
    if (count & MMU_UPDATE_PREEMPTED) {
        count &= ~MMU_UPDATE_PREEMPTED;
        if (pdone)
            get_guest_u32(v, pdone, &done);
    }
    if (!guest_range_ok(v, ureqs, (uint64_t)count * 16))
        return -XEN_EFAULT;
    if (fd >> 16) {
        /* Page tables of another domain: a domU may not touch them. */
        if (!(pt_owner = find_domain(d->x, (fd >> 16) - 1)))
            return -XEN_ESRCH;
        if (pt_owner != d && !pt_owner->vcpu[0]) {
            rc = -XEN_EINVAL;
            goto out;
        }
    }
    if (get_pg_owner(v, (uint16_t)fd, &k)) {
        rc = -XEN_ESRCH;
        goto out;
    }
    for (i = 0; i < count; i++) {
        uint8_t req[16];
        uint64_t ptr, val;
        unsigned cmd;

        if (copy_from_guest(v, ureqs + i * 16ull, req, sizeof(req))) {
            rc = -XEN_EFAULT;
            break;
        }
        ptr = le64_load(req);
        val = le64_load(req + 8);
        cmd = (unsigned)(ptr & 7);
        switch (cmd) {
        case MMU_NORMAL_PT_UPDATE:
        case MMU_PT_UPDATE_PRESERVE_AD:
        case MMU_PT_UPDATE_NO_TRANSLATE:
            /* XSM: foreign frames (but DOMID_IO's) or page tables. */
            if (k == OWNER_OTHER || k == OWNER_XEN || pt_owner != d)
                rc = -XEN_EPERM;
            else
                rc = normal_update(v, ptr - cmd, val,
                                   cmd == MMU_PT_UPDATE_PRESERVE_AD,
                                   l1_pg_owner(v, k), &flush);
            break;
        case MMU_MACHPHYS_UPDATE:
            if (pt_owner != d || k == OWNER_OTHER || k == OWNER_XEN)
                rc = -XEN_EPERM;
            else
                rc = machphys_update(v, ptr, val, k);
            break;
        default:
            rc = -XEN_ENOSYS;
            break;
        }
        if (rc)
            break;
    }
    /* Changed upper-level entries: every TLB of the domain goes. */
    if (flush)
        mm_flush_tlb_domain(pt_owner);
out:
    put_pdone(v, pdone, done + i);
    return rc;
}

/* ---- update_va_mapping ------------------------------------------------------------------ */

static long update_va_mapping(struct vcpu *v, uint64_t va, uint64_t val,
                              uint64_t flags, struct domain *pg_owner)
{
    struct domain *d = v->d;
    struct xen *x = d->x;
    uint64_t l1, bmap = flags & ~(uint64_t)UVMF_FLUSHTYPE_MASK;
    unsigned off;
    long rc = -XEN_EINVAL;

    if (mm_addr_ok(d, va) && mm_guest_l1e(v, va, false, &l1, &off) &&
        get_page(x, l1, d) == 0) {
        struct page_info *pg = &x->frame[l1];
        if (pg->type_count && (pg->flags & PGF_validated) &&
            pg->type == PGT_l1_page_table)
            rc = mm_mod_entry(v, l1, off, val, false, pg_owner);
        put_page(x, l1);
    }
    /* The flush happens whatever the update did; a MULTI mask's read
     * result replaces the update's (as in Xen). */
    switch (flags & UVMF_FLUSHTYPE_MASK) {
    case UVMF_TLB_FLUSH:
    case UVMF_INVLPG: {
        bool invlpg = (flags & UVMF_FLUSHTYPE_MASK) == UVMF_INVLPG;
        if (bmap == UVMF_LOCAL) {
            if (invlpg)
                mm_invlpg(v, va);
            else
                mm_flush_tlb(v);
        } else if (bmap == UVMF_ALL) {
            flush_all_vcpus(d, invlpg, va);
        } else {
            rc = flush_mask(v, bmap, invlpg, va, true);
        }
        break;
    }
    default:
        break;
    }
    return rc;
}

long do_update_va_mapping(struct vcpu *v, const uint64_t *a)
{
    if (is_pv32(v->d))
        return update_va_mapping(v, a[0], a[1] | a[2] << 32, a[3], v->d);
    return update_va_mapping(v, a[0], a[1], a[2], v->d);
}

long do_update_va_mapping_otherdomain(struct vcpu *v, const uint64_t *a)
{
    uint16_t domid = (uint16_t)(is_pv32(v->d) ? a[4] : a[3]);
    enum owner_kind k;

    if (get_pg_owner(v, domid, &k))
        return -XEN_ESRCH;
    if (k != OWNER_SELF)
        return -XEN_EPERM;          /* xsm_update_va_mapping */
    return do_update_va_mapping(v, a);
}

/* ---- mmuext_op ---------------------------------------------------------------------------- */

static int clear_page(struct domain *d, uint64_t mfn)
{
    if (get_page(d->x, mfn, d))
        return -XEN_EINVAL;
    if (get_page_type(d, mfn, PGT_writable_page)) {
        put_page(d->x, mfn);
        return -XEN_EINVAL;
    }
    phys_write(&d->x->mem, mfn << PAGE_SHIFT, mfn_ptr(d->x, d->x->zero_mfn),
               PAGE_SIZE);
    put_page_and_type(d, mfn);
    return 0;
}

static int copy_page(struct domain *d, uint64_t dst, uint64_t src)
{
    struct xen *x = d->x;

    if (get_page(x, src, d))
        return -XEN_EINVAL;
    if (get_page(x, dst, d)) {
        put_page(x, src);
        return -XEN_EINVAL;
    }
    if (get_page_type(d, dst, PGT_writable_page)) {
        put_page(x, src);
        put_page(x, dst);
        return -XEN_EINVAL;
    }
    if (dst != src)
        phys_write(&x->mem, dst << PAGE_SHIFT, mfn_ptr(x, src), PAGE_SIZE);
    put_page_and_type(d, dst);
    put_page(x, src);
    return 0;
}

static int mmuext_one(struct vcpu *v, uint32_t cmd, uint64_t arg1,
                      uint64_t arg2)
{
    struct domain *d = v->d;

    switch (cmd) {
    case MMUEXT_PIN_L1_TABLE:
    case MMUEXT_PIN_L2_TABLE:
    case MMUEXT_PIN_L3_TABLE:
    case MMUEXT_PIN_L4_TABLE:
        return mm_pin_table(d, arg1, (enum pgt)(PGT_l1_page_table + cmd));
    case MMUEXT_UNPIN_TABLE:
        return mm_unpin_table(d, arg1);
    case MMUEXT_NEW_BASEPTR:
        return mm_new_baseptr(v, arg1);
    case MMUEXT_NEW_USER_BASEPTR:
        return mm_new_user_baseptr(v, arg1);
    case MMUEXT_TLB_FLUSH_LOCAL:
        mm_flush_tlb(v);
        return 0;
    case MMUEXT_INVLPG_LOCAL:
        mm_invlpg(v, arg1);
        return 0;
    case MMUEXT_TLB_FLUSH_MULTI:
        return flush_mask(v, arg2, false, 0, true) ? -XEN_EINVAL : 0;
    case MMUEXT_INVLPG_MULTI:
        return flush_mask(v, arg2, true, arg1, mm_addr_ok(d, arg1))
               ? -XEN_EINVAL : 0;
    case MMUEXT_TLB_FLUSH_ALL:
        flush_all_vcpus(d, false, 0);
        return 0;
    case MMUEXT_INVLPG_ALL:
        if (mm_addr_ok(d, arg1))
            flush_all_vcpus(d, true, arg1);
        return 0;
    case MMUEXT_FLUSH_CACHE:
        return -XEN_EACCES;         /* no cache-flush permission */
    case MMUEXT_FLUSH_CACHE_GLOBAL:
        return -XEN_EINVAL;
    case MMUEXT_SET_LDT:
        return mm_set_ldt(v, arg1, (uint32_t)arg2);
    case MMUEXT_CLEAR_PAGE:
        return clear_page(d, arg1);
    case MMUEXT_COPY_PAGE:
        return copy_page(d, arg1, arg2);
    case MMUEXT_MARK_SUPER:
    case MMUEXT_UNMARK_SUPER:
        return -XEN_EOPNOTSUPP;
    default:
        return -XEN_ENOSYS;
    }
}

long do_mmuext_op(struct vcpu *v, const uint64_t *a)
{
    bool pv32 = is_pv32(v->d);
    unsigned ul = pv32 ? 4 : 8, esz = pv32 ? 12 : 24;
    uint64_t uops = a[0], pdone = a[2];
    uint32_t count = (uint32_t)a[1], fd = (uint32_t)a[3], done = 0, i;
    enum owner_kind k;
    long rc = 0;

    if (count == MMU_UPDATE_PREEMPTED && !uops)
        return (int32_t)fd;
    if (count & MMU_UPDATE_PREEMPTED) {
        count &= ~MMU_UPDATE_PREEMPTED;
        if (pdone)
            get_guest_u32(v, pdone, &done);
    }
    if (!guest_range_ok(v, uops, (uint64_t)count * esz))
        return -XEN_EFAULT;
    if (get_pg_owner(v, (uint16_t)fd, &k))
        return -XEN_ESRCH;
    if (k != OWNER_SELF)
        return -XEN_EPERM;          /* xsm_mmuext_op */
    for (i = 0; i < count; i++) {
        uint8_t op[24];
        uint64_t base = uops + (uint64_t)i * esz;

        if (copy_from_guest(v, base, op, esz)) {
            rc = -XEN_EFAULT;
            break;
        }
        rc = mmuext_one(v, le32_load(op), le_load(op + ul, ul),
                        le_load(op + 2 * ul, ul));
        if (rc)
            break;
    }
    put_pdone(v, pdone, done + i);
    return rc;
}
