/*
 * grant_table_op (do_grant_table_op, compat_grant_table_op): argument
 * layouts of both ABIs, the table operations, copy, transfer and
 * cache_flush, and the backends' copies.
 */
#include <string.h>
#include "xenemu/le.h"
#include "xenplat/guest.h"
#include "xenplat/hypercall.h"
#include "xenplat/mm.h"

#define CMD_MASK 0xfffu              /* GNTTABOP_CMD_MASK */
#define MAP_SIZE 32u                 /* map_grant_ref: same in both ABIs */
#define UNMAP_SIZE 24u               /* unmap_grant_ref, unmap_and_replace */
#define COMPAT_XLAT_FRAMES_SETUP ((2 * PAGE_SIZE - 24) / 8)
#define COMPAT_XLAT_FRAMES_STATUS ((2 * PAGE_SIZE - 16) / 8)
#define CACHE_FLUSH_SIZE 16u
#define SWAP_SIZE 12u

/* Layouts that differ between the ABIs (xen_pfn_t, handles). */
struct gnt_layout {
    unsigned setup_size, setup_list, pfn;      /* setup_table */
    unsigned copy_size, ptr_size, ptr_domid;   /* copy */
    unsigned xfer_size, xfer_domid;            /* transfer */
    unsigned status_size;                      /* get_status_frames */
};

static const struct gnt_layout layout64 = { 24, 16, 8, 40, 16, 8, 24, 8, 16 };
static const struct gnt_layout layout32 = { 16, 12, 4, 24, 8, 4, 16, 4, 12 };

static const struct gnt_layout *layout(const struct vcpu *v)
{
    return is_pv32(v->d) ? &layout32 : &layout64;
}

/* rcu_lock_domain_by_any_id */
static struct domain *any_domain(struct vcpu *v, uint16_t domid)
{
    return domid == DOMID_SELF ? v->d : domain_lookup(v->d->x, domid);
}

/* xsm_grant_setup / query_size (XSM_TARGET): a domU names itself only. */
static bool may_target(const struct vcpu *v, const struct domain *d)
{
    return d == v->d;
}

static long put_status(struct vcpu *v, uint64_t va, int16_t st)
{
    return put_guest_u16(v, va, (uint16_t)st) ? -XEN_EFAULT : 0;
}

/* ---- setup_table, query_size, versions, status frames ---------------------------- */

static long setup_table(struct vcpu *v, uint64_t uop, uint32_t count)
{
    const struct gnt_layout *l = layout(v);
    uint64_t list = 0;
    uint32_t nr, i;
    uint16_t dom;
    struct domain *d;
    int16_t st = GNTST_okay;

    if (count != 1)
        return is_pv32(v->d) && count == 0 ? 0 : -XEN_EINVAL;
    if (get_guest_u16(v, uop, &dom) || get_guest_u32(v, uop + 4, &nr) ||
        get_guest_ulong(v, uop + l->setup_list, &list))
        return -XEN_EFAULT;
    if (!guest_range_ok(v, list, (uint64_t)nr * l->pfn))
        return -XEN_EFAULT;
    if (!(d = any_domain(v, dom)))
        st = GNTST_bad_domain;
    else if (!may_target(v, d))
        st = GNTST_permission_denied;
    else if (nr > d->gt.max_frames ||
             (is_pv32(v->d) && nr > COMPAT_XLAT_FRAMES_SETUP))
        st = GNTST_general_error;
    else if ((nr > d->gt.nr_frames ||
              (d->gt.version > 1 &&
               grant_to_status_frames(nr) > d->gt.nr_status_frames)) &&
             grant_table_grow(d, nr))
        st = GNTST_general_error;
    for (i = 0; st == GNTST_okay && i < nr; i++)
        if (put_guest_ulong(v, list + (uint64_t)i * l->pfn,
                            d->gt.shared_mfn[i]))
            st = GNTST_bad_virt_addr;
    return put_status(v, uop + 8, st);
}

static long query_size(struct vcpu *v, uint64_t uop, uint32_t count)
{
    uint8_t b[16];
    struct domain *d;

    if (count != 1)
        return -XEN_EINVAL;
    if (copy_from_guest(v, uop, b, sizeof(b)))
        return -XEN_EFAULT;
    d = any_domain(v, le16_load(b));
    if (!d) {
        le16_store(b + 12, (uint16_t)GNTST_bad_domain);
    } else if (!may_target(v, d)) {
        le16_store(b + 12, (uint16_t)GNTST_permission_denied);
    } else {
        le32_store(b + 4, d->gt.nr_frames);
        le32_store(b + 8, d->gt.max_frames);
        le16_store(b + 12, GNTST_okay);
    }
    return copy_to_guest(v, uop, b, sizeof(b)) ? -XEN_EFAULT : 0;
}

static long set_version(struct vcpu *v, uint64_t uop)
{
    uint32_t version;
    long rc;

    if (get_guest_u32(v, uop, &version))
        return -XEN_EFAULT;
    rc = grant_set_version(v->d, version);
    if (put_guest_u32(v, uop, v->d->gt.version))
        rc = -XEN_EFAULT;
    return rc;
}

static long get_version(struct vcpu *v, uint64_t uop)
{
    uint16_t dom;
    struct domain *d;

    if (get_guest_u16(v, uop, &dom))
        return -XEN_EFAULT;
    if (!(d = any_domain(v, dom)))
        return -XEN_ESRCH;
    if (!may_target(v, d))
        return -XEN_EPERM;
    return put_guest_u32(v, uop + 4, d->gt.version) ? -XEN_EFAULT : 0;
}

static long get_status_frames(struct vcpu *v, uint64_t uop, uint32_t count)
{
    uint64_t list = 0;
    uint32_t nr, i;
    uint16_t dom;
    struct domain *d;
    int16_t st = GNTST_okay;

    if (count != 1)
        return is_pv32(v->d) && count == 0 ? 0 : -XEN_EINVAL;
    if (get_guest_u32(v, uop, &nr) || get_guest_u16(v, uop + 4, &dom) ||
        get_guest_ulong(v, uop + 8, &list))
        return -XEN_EFAULT;
    if (is_pv32(v->d) && !guest_range_ok(v, list, (uint64_t)nr * 8))
        return -XEN_EFAULT;
    if (!(d = any_domain(v, dom)))
        st = GNTST_bad_domain;
    else if (!may_target(v, d))
        st = GNTST_permission_denied;
    else if (nr > d->gt.nr_status_frames ||
             (is_pv32(v->d) &&
              grant_to_status_frames(nr) > COMPAT_XLAT_FRAMES_STATUS))
        st = GNTST_general_error;
    for (i = 0; st == GNTST_okay && i < nr; i++)
        if (put_guest_u64(v, list + (uint64_t)i * 8, d->gt.status_mfn[i]))
            st = GNTST_bad_virt_addr;
    return put_status(v, uop + 6, st);
}

/* ---- map, unmap ------------------------------------------------------------------ */

static long map_grant_ref(struct vcpu *v, uint64_t uop, uint32_t count)
{
    uint8_t b[MAP_SIZE];
    uint32_t i;

    for (i = 0; i < count; i++, uop += MAP_SIZE) {
        struct gnttab_map_op op;
        if (copy_from_guest(v, uop, b, sizeof(b)))
            return -XEN_EFAULT;
        op = (struct gnttab_map_op){
            .host_addr = le64_load(b), .flags = le32_load(b + 8),
            .ref = le32_load(b + 12), .dom = le16_load(b + 16),
            .handle = le32_load(b + 20), .dev_bus_addr = le64_load(b + 24),
        };
        gnttab_map_one(v, &op);
        le16_store(b + 18, (uint16_t)op.status);
        le32_store(b + 20, op.handle);
        le64_store(b + 24, op.dev_bus_addr);
        if (copy_to_guest(v, uop, b, sizeof(b)))
            return -XEN_EFAULT;
    }
    return 0;
}

#define UNMAP_BATCH 32                /* GNTTAB_UNMAP_BATCH_SIZE */

/* unmap_grant_ref and unmap_and_replace: a batch is unmapped, the TLBs
 * flushed, then the references dropped. */
static long unmap(struct vcpu *v, uint64_t uop, uint32_t count, bool replace)
{
    struct gnttab_unmap_op ops[UNMAP_BATCH];
    uint8_t b[UNMAP_SIZE];
    long rc = 0;

    while (count && !rc) {
        unsigned n = count < UNMAP_BATCH ? count : UNMAP_BATCH, done = 0, i;
        for (i = 0; i < n; i++, uop += UNMAP_SIZE) {
            if (copy_from_guest(v, uop, b, sizeof(b))) {
                rc = -XEN_EFAULT;
                break;
            }
            ops[i] = (struct gnttab_unmap_op){
                .host_addr = le64_load(b),
                .dev_bus_addr = replace ? 0 : le64_load(b + 8),
                .new_addr = replace ? le64_load(b + 8) : 0,
                .handle = le32_load(b + 16),
            };
            gnttab_unmap_one(v, &ops[i]);
            done++;
            if (put_status(v, uop + 20, ops[i].status)) {
                rc = -XEN_EFAULT;
                break;
            }
        }
        mm_flush_tlb_domain(v->d);
        for (i = 0; i < done; i++)
            gnttab_unmap_complete(v->d, &ops[i]);
        count -= n;
    }
    return rc;
}

/* ---- copy ------------------------------------------------------------------------- */

struct copy_ptr {
    uint64_t u;                /* ref or gmfn */
    uint16_t domid, offset;
};

struct copy_buf {
    struct domain *d;
    uint64_t mfn;
    uint16_t off, len;         /* the window the grant allows */
    bool grant, type, page;
};

static void copy_release(struct copy_buf *b, uint32_t ref, bool ro)
{
    if (b->grant)
        grant_unpin(b->d, ref, ro, ro ? GNTPIN_hstr_inc : GNTPIN_hstw_inc);
    if (b->type)
        put_page_type(b->d, b->mfn);
    if (b->page)
        put_page(b->d->x, b->mfn);
    *b = (struct copy_buf){ 0 };
}

/* gnttab_copy_lock_domain + gnttab_copy_claim_buf. */
static int copy_claim(struct vcpu *v, const struct copy_ptr *p, bool is_gref,
                      bool ro, struct copy_buf *b)
{
    int rc;

    if (p->domid != DOMID_SELF && !is_gref)
        return GNTST_permission_denied;
    if (!(b->d = any_domain(v, p->domid)))
        return GNTST_bad_domain;
    if (is_gref) {
        rc = grant_pin(b->d, (uint32_t)p->u, v->d->domid, ro, false,
                       ro ? GNTPIN_hstr_inc : GNTPIN_hstw_inc, &b->mfn,
                       &b->off, &b->len);
        if (rc)
            return rc;
        b->grant = true;
    } else {
        if (get_page(b->d->x, p->u, b->d))
            return GNTST_bad_page;
        b->mfn = p->u;
        b->off = 0;
        b->len = PAGE_SIZE;
    }
    b->page = true;
    if (!ro) {
        if (get_page_type(b->d, b->mfn, PGT_writable_page))
            return GNTST_general_error;
        b->type = true;
    }
    return GNTST_okay;
}

static void mcopy(struct xen *x, uint64_t dst, uint64_t src, unsigned len)
{
    unsigned i;

    for (i = 0; i < len; i++)
        maddr_store(x, dst + i, 1, maddr_load(x, src + i, 1));
}

static int copy_one(struct vcpu *v, const struct copy_ptr *s,
                    const struct copy_ptr *d, uint16_t len, uint16_t flags)
{
    struct copy_buf src = { 0 }, dst = { 0 };
    int rc;

    rc = copy_claim(v, s, flags & GNTCOPY_source_gref, true, &src);
    if (!rc)
        rc = copy_claim(v, d, flags & GNTCOPY_dest_gref, false, &dst);
    if (!rc) {
        if (s->offset + len > PAGE_SIZE || d->offset + len > PAGE_SIZE)
            rc = GNTST_bad_copy_arg;
        else if (s->offset < src.off || s->offset + len > src.off + src.len ||
                 d->offset < dst.off || d->offset + len > dst.off + dst.len)
            rc = GNTST_general_error;
        else
            mcopy(v->d->x, (dst.mfn << PAGE_SHIFT) + d->offset,
                  (src.mfn << PAGE_SHIFT) + s->offset, len);
    }
    if (src.d)
        copy_release(&src, (uint32_t)s->u, true);
    if (dst.d)
        copy_release(&dst, (uint32_t)d->u, false);
    return rc;
}

static struct copy_ptr load_ptr(const uint8_t *b, const struct gnt_layout *l)
{
    return (struct copy_ptr){
        .u = l->pfn == 8 ? le64_load(b) : le32_load(b),
        .domid = le16_load(b + l->ptr_domid),
        .offset = le16_load(b + l->ptr_domid + 2),
    };
}

static long grant_copy(struct vcpu *v, uint64_t uop, uint32_t count)
{
    const struct gnt_layout *l = layout(v);
    uint8_t b[40];
    uint32_t i;

    for (i = 0; i < count; i++, uop += l->copy_size) {
        struct copy_ptr s, d;
        unsigned tail = 2 * l->ptr_size;
        int rc;
        if (copy_from_guest(v, uop, b, l->copy_size))
            return -XEN_EFAULT;
        s = load_ptr(b, l);
        d = load_ptr(b + l->ptr_size, l);
        rc = copy_one(v, &s, &d, le16_load(b + tail), le16_load(b + tail + 2));
        if (put_status(v, uop + tail + 4, (int16_t)rc))
            return -XEN_EFAULT;
    }
    return 0;
}

/* ---- backends' copies ---------------------------------------------------------------- */

static int backend_copy(struct xen *x, uint16_t rdomid, uint32_t ref,
                        unsigned off, uint8_t *buf, unsigned len, bool to)
{
    struct domain *rd = domain_lookup(x, rdomid);
    uint64_t mfn, a;
    uint16_t goff, glen;
    unsigned i;
    int rc;

    if (!rd)
        return GNTST_bad_domain;
    if (off > PAGE_SIZE || len > PAGE_SIZE - off)
        return GNTST_bad_copy_arg;
    rc = grant_pin(rd, ref, 0, !to, false,
                   to ? GNTPIN_hstw_inc : GNTPIN_hstr_inc, &mfn, &goff, &glen);
    if (rc)
        return rc;
    if (to && get_page_type(rd, mfn, PGT_writable_page)) {
        rc = GNTST_general_error;
    } else {
        if (off < goff || off + len > (unsigned)goff + glen)
            rc = GNTST_general_error;
        for (i = 0, a = (mfn << PAGE_SHIFT) + off; !rc && i < len; i++) {
            if (to)
                maddr_store(x, a + i, 1, buf[i]);
            else
                buf[i] = (uint8_t)maddr_load(x, a + i, 1);
        }
        if (to)
            put_page_type(rd, mfn);
    }
    grant_unpin(rd, ref, !to, to ? GNTPIN_hstw_inc : GNTPIN_hstr_inc);
    put_page(x, mfn);
    return rc;
}

int gnttab_copy_from_guest(struct xen *x, uint16_t rdomid, uint32_t ref,
                           unsigned off, void *buf, unsigned len)
{
    return backend_copy(x, rdomid, ref, off, buf, len, false);
}

int gnttab_copy_to_guest(struct xen *x, uint16_t rdomid, uint32_t ref,
                         unsigned off, const void *buf, unsigned len)
{
    return backend_copy(x, rdomid, ref, off, (uint8_t *)(uintptr_t)buf, len,
                        true);
}

/* ---- transfer --------------------------------------------------------------------- */

/* steal_page: only the allocation reference may remain, and no type. */
static int steal_page(struct domain *d, uint64_t mfn)
{
    struct page_info *pg = &d->x->frame[mfn];

    if (pg->owner != d->domid || (pg->flags & PGF_xen_heap))
        return -XEN_EINVAL;
    if (pg->count != 1 || pg->type_count)
        return -XEN_EBUSY;
    pg->owner = DOMID_INVALID;
    pg->type = PGT_none;
    pg->flags = 0;
    d->tot_pages--;
    m2p_set(d->x, mfn, ~0ull);
    return 0;
}

/* gnttab_prepare_for_transfer: e's entry ref accepts a page from d. */
static bool prepare_for_transfer(struct domain *e, uint16_t from,
                                 uint32_t ref)
{
    uint64_t hdr;

    if (ref >= grant_nr_entries(&e->gt))
        return false;
    hdr = grant_entry_maddr(&e->gt, ref);
    if (maddr_load(e->x, hdr, 2) != GTF_accept_transfer ||
        maddr_load(e->x, hdr + 2, 2) != from)
        return false;
    maddr_store(e->x, hdr, 2, GTF_accept_transfer | GTF_transfer_committed);
    return true;
}

static int transfer_one(struct vcpu *v, uint64_t mfn, uint16_t domid,
                        uint32_t ref)
{
    struct domain *d = v->d, *e;
    struct xen *x = d->x;
    uint64_t hdr, gfn;
    int rc;

    if (!mfn_valid(x, mfn))
        return GNTST_bad_page;
    if ((rc = steal_page(d, mfn)))
        return rc == -XEN_EINVAL ? GNTST_bad_page : GNTST_general_error;
    mm_flush_tlb_domain(d);
    if (!(e = domain_lookup(x, domid))) {
        rc = GNTST_bad_domain;
    } else if (e->state != DOM_RUNNING || e->tot_pages >= e->max_pages ||
               !prepare_for_transfer(e, d->domid, ref)) {
        rc = GNTST_general_error;
    } else {
        x->frame[mfn] = (struct page_info){ .owner = e->domid, .count = 1 };
        e->tot_pages++;
        hdr = grant_entry_maddr(&e->gt, ref);
        gfn = e->gt.version == 1 ? maddr_load(x, hdr + 4, 4)
                                 : maddr_load(x, hdr + 8, 8);
        m2p_set(x, mfn, gfn);
        if (e->gt.version == 1)
            maddr_store(x, hdr + 4, 4, mfn);
        else
            maddr_store(x, hdr + 8, 8, mfn);
        maddr_store(x, hdr, 2, maddr_load(x, hdr, 2) | GTF_transfer_completed);
        return GNTST_okay;
    }
    /* The stolen page is lost to d, as on Xen (freed). */
    frame_free(x, mfn);
    return rc;
}

static long transfer(struct vcpu *v, uint64_t uop, uint32_t count)
{
    const struct gnt_layout *l = layout(v);
    uint8_t b[24];
    uint32_t i;

    for (i = 0; i < count; i++, uop += l->xfer_size) {
        uint64_t mfn;
        int rc;
        if (copy_from_guest(v, uop, b, l->xfer_size))
            return -XEN_EFAULT;
        mfn = l->pfn == 8 ? le64_load(b) : le32_load(b);
        rc = transfer_one(v, mfn, le16_load(b + l->xfer_domid),
                          le32_load(b + l->xfer_domid + 4));
        if (put_status(v, uop + l->xfer_domid + 8, (int16_t)rc))
            return -XEN_EFAULT;
    }
    return 0;
}

/* ---- swap, cache_flush ---------------------------------------------------------------- */

static int16_t swap_one(struct domain *d, uint32_t a, uint32_t b)
{
    struct grant_table *gt = &d->gt;
    unsigned esz = gt->version == 1 ? GRANT_V1_SIZE : GRANT_V2_SIZE, i;
    uint64_t ea, eb;

    if (a >= grant_nr_entries(gt) || b >= grant_nr_entries(gt))
        return GNTST_bad_gntref;
    if (a == b)
        return GNTST_okay;
    if (gt->active[a].pin || gt->active[b].pin)
        return GNTST_eagain;
    ea = grant_entry_maddr(gt, a);
    eb = grant_entry_maddr(gt, b);
    for (i = 0; i < esz; i += 8) {
        uint64_t t = maddr_load(d->x, ea + i, 8);
        maddr_store(d->x, ea + i, 8, maddr_load(d->x, eb + i, 8));
        maddr_store(d->x, eb + i, 8, t);
    }
    if (gt->version == 2) {
        uint64_t sa = grant_status_maddr(gt, a), sb = grant_status_maddr(gt, b);
        uint64_t t = maddr_load(d->x, sa, 2);
        maddr_store(d->x, sa, 2, maddr_load(d->x, sb, 2));
        maddr_store(d->x, sb, 2, t);
    }
    return GNTST_okay;
}

static long swap_grant_ref(struct vcpu *v, uint64_t uop, uint32_t count)
{
    uint32_t i, ra, rb;

    for (i = 0; i < count; i++, uop += SWAP_SIZE) {
        if (get_guest_u32(v, uop, &ra) || get_guest_u32(v, uop + 4, &rb))
            return -XEN_EFAULT;
        if (put_status(v, uop + 8, swap_one(v->d, ra, rb)))
            return -XEN_EFAULT;
    }
    return 0;
}

/* cache_flush as x86 answers: cleaning is a no-op that succeeds,
 * invalidating alone is not supported. */
static long cache_flush_one(struct vcpu *v, const uint8_t *b,
                            uint32_t cur_ref)
{
    uint64_t maddr = le64_load(b), mfn = maddr >> PAGE_SHIFT;
    uint32_t off = le16_load(b + 8), len = le16_load(b + 10);
    uint32_t op = le32_load(b + 12), ref;
    struct domain *owner;
    const struct page_info *pg;

    if (off >= PAGE_SIZE || len > PAGE_SIZE || off + len > PAGE_SIZE ||
        (op & ~(GNTTAB_CACHE_INVAL | GNTTAB_CACHE_CLEAN)))
        return -XEN_EINVAL;
    if (!len || !op)
        return cur_ref ? -XEN_EILSEQ : 0;
    if (!(pg = mfn_page(v->d->x, mfn)))
        return -XEN_EINVAL;
    if (!pg->count || !(owner = domain_lookup(v->d->x, pg->owner)))
        return -XEN_EPERM;
    if (owner != v->d) {
        for (ref = cur_ref; ref < grant_nr_entries(&owner->gt); ref++) {
            const struct active_grant *act = &owner->gt.active[ref];
            if (act->pin && act->domid == v->d->domid && act->mfn == mfn)
                break;
        }
        if (ref == grant_nr_entries(&owner->gt))
            return -XEN_EINVAL;
    }
    return op == GNTTAB_CACHE_INVAL ? -XEN_EOPNOTSUPP : 0;
}

static long cache_flush(struct vcpu *v, uint64_t uop, uint32_t count,
                        uint32_t cur_ref)
{
    uint8_t b[CACHE_FLUSH_SIZE];
    uint32_t i;
    long rc;

    for (i = 0; i < count; i++, uop += CACHE_FLUSH_SIZE) {
        if (copy_from_guest(v, uop, b, sizeof(b)))
            return -XEN_EFAULT;
        if ((rc = cache_flush_one(v, b, cur_ref)) < 0)
            return rc;
        cur_ref = 0;
    }
    return 0;
}

/* ---- the hypercall -------------------------------------------------------------------- */

/* Element size for guest_handle_okay(uop, count); 0: not checked. */
static unsigned elem_size(const struct vcpu *v, unsigned cmd)
{
    const struct gnt_layout *l = layout(v);

    switch (cmd) {
    case GNTTABOP_map_grant_ref: return MAP_SIZE;
    case GNTTABOP_unmap_grant_ref:
    case GNTTABOP_unmap_and_replace: return UNMAP_SIZE;
    case GNTTABOP_transfer: return l->xfer_size;
    case GNTTABOP_copy: return l->copy_size;
    case GNTTABOP_swap_grant_ref: return SWAP_SIZE;
    case GNTTABOP_cache_flush: return CACHE_FLUSH_SIZE;
    case GNTTABOP_setup_table: return is_pv32(v->d) ? l->setup_size : 0;
    case GNTTABOP_get_status_frames: return is_pv32(v->d) ? l->status_size : 0;
    default: return 0;
    }
}

long do_grant_table_op(struct vcpu *v, const uint64_t *a)
{
    unsigned cmd = (unsigned)a[0] & CMD_MASK, esz = elem_size(v, cmd);
    uint64_t uop = a[1];
    uint32_t count = (uint32_t)a[2];

    /* compat_grant_table_op checks its translated handles first. */
    if (is_pv32(v->d) && (cmd == GNTTABOP_setup_table ||
                          cmd == GNTTABOP_get_status_frames ||
                          cmd == GNTTABOP_copy || cmd == GNTTABOP_transfer) &&
        !guest_range_ok(v, uop, (uint64_t)count * esz))
        return -XEN_EFAULT;
    if ((int32_t)count < 0)
        return -XEN_EINVAL;
    if (cmd != GNTTABOP_cache_flush && ((unsigned)a[0] & ~CMD_MASK))
        return -XEN_EINVAL;
    if (esz && !guest_range_ok(v, uop, (uint64_t)count * esz))
        return -XEN_EFAULT;
    switch (cmd) {
    case GNTTABOP_map_grant_ref: return map_grant_ref(v, uop, count);
    case GNTTABOP_unmap_grant_ref: return unmap(v, uop, count, false);
    case GNTTABOP_unmap_and_replace: return unmap(v, uop, count, true);
    case GNTTABOP_setup_table: return setup_table(v, uop, count);
    case GNTTABOP_transfer: return transfer(v, uop, count);
    case GNTTABOP_copy: return grant_copy(v, uop, count);
    case GNTTABOP_query_size: return query_size(v, uop, count);
    case GNTTABOP_set_version: return set_version(v, uop);
    case GNTTABOP_get_status_frames: return get_status_frames(v, uop, count);
    case GNTTABOP_get_version: return get_version(v, uop);
    case GNTTABOP_swap_grant_ref: return swap_grant_ref(v, uop, count);
    case GNTTABOP_cache_flush: return cache_flush(v, uop, count,
                                                  (uint32_t)a[0] >> 12);
    default: return -XEN_ENOSYS;   /* dump_table is gone from Xen */
    }
}
