/*
 * Grant mappings: map_grant_ref, unmap_grant_ref, unmap_and_replace for
 * PV (host mappings written into the mapper's L1 as x86/pv/grant_table.c
 * does), the tear-down of mappings, and dom0's backend mappings.
 *
 * A host mapping's PTE carries _PAGE_GNTTAB and holds the references
 * map_grant_ref took (a general one, and a writable type one unless
 * read-only), exactly like an L1 entry made by mmu_update: the granted
 * frame can be neither freed nor retyped while mapped.
 */
#include "xenplat/guest.h"
#include "xenplat/mm.h"

#define PTE_AVAIL 0xe00ull

static uint32_t pin_incs(unsigned flags)
{
    bool ro = flags & GNTMAP_readonly;
    uint32_t p = 0;

    if (flags & GNTMAP_device_map)
        p += ro ? GNTPIN_devr_inc : GNTPIN_devw_inc;
    if (flags & GNTMAP_host_map)
        p += ro ? GNTPIN_hstr_inc : GNTPIN_hstw_inc;
    return p;
}

/* grant_to_pte_flags (cache attributes of RAM grants are WB: none). */
static uint64_t grant_pte_flags(unsigned flags)
{
    uint64_t f = PTE_P | PTE_A | PTE_D | PTE_GNTTAB | PTE_XD;

    if (flags & GNTMAP_application_map)
        f |= PTE_US;
    if (!(flags & GNTMAP_readonly))
        f |= PTE_RW;
    return f | (((uint64_t)flags >> GNTMAP_GUEST_AVAIL_SHIFT << 9) & PTE_AVAIL);
}

/* The L1 entry a host mapping names (a PTE's machine address with
 * GNTMAP_contains_pte, else a linear address in the current tables),
 * in a validated L1 of the mapper: GNTST_okay or general_error. */
static int locate_l1e(struct vcpu *v, uint64_t addr, bool contains_pte,
                      uint64_t *l1mfn, unsigned *idx)
{
    struct domain *d = v->d;
    const struct page_info *pg;
    unsigned off;

    if (contains_pte) {
        if (addr & 7)
            return GNTST_general_error;
        *l1mfn = addr >> PAGE_SHIFT;
        off = (unsigned)(addr & (PAGE_SIZE - 1));
    } else {
        if (is_pv32(d) && addr != (uint32_t)addr)
            return GNTST_general_error;
        if (!mm_addr_ok(d, addr) || !mm_guest_l1e(v, addr, true, l1mfn, &off))
            return GNTST_general_error;
    }
    pg = mfn_page(d->x, *l1mfn);
    if (!pg || pg->owner != d->domid || !pg->count ||
        pg->type != PGT_l1_page_table || !(pg->flags & PGF_validated) ||
        !pg->type_count)
        return GNTST_general_error;
    *idx = off / 8;
    return GNTST_okay;
}

/* create_grant_pv_mapping. */
static int host_map_create(struct vcpu *v, uint64_t addr, uint64_t mfn,
                           unsigned flags, uint64_t *pte_maddr)
{
    struct domain *d = v->d;
    uint64_t l1mfn, o, n;
    unsigned i;
    int rc;

    n = mm_adjust_l1e(d, mfn << PAGE_SHIFT | grant_pte_flags(flags));
    rc = locate_l1e(v, addr, flags & GNTMAP_contains_pte, &l1mfn, &i);
    if (rc)
        return rc;
    o = mm_pt_read(d->x, l1mfn, i);
    mm_pt_write(d->x, l1mfn, i, n);
    *pte_maddr = (l1mfn << PAGE_SHIFT) + i * 8;
    if (o & PTE_P) {
        mm_put_l1e(d, o);
        mm_flush_tlb_domain(d);
    }
    return GNTST_okay;
}

/* steal_linear_address: zap the PTE at va, hand back what it held. */
static bool steal_linear(struct vcpu *v, uint64_t va, uint64_t *old)
{
    uint64_t l1mfn;
    unsigned i;

    if (locate_l1e(v, va, false, &l1mfn, &i))
        return false;
    *old = mm_pt_read(v->d->x, l1mfn, i);
    mm_pt_write(v->d->x, l1mfn, i, 0);
    return true;
}

/* replace_grant_pv_mapping: the PTE must map mfn with the grant's
 * present/writable bits; it becomes new_addr's old PTE (or empty). */
static int host_map_replace(struct vcpu *v, uint64_t addr, uint64_t mfn,
                            uint64_t new_addr, unsigned flags)
{
    struct domain *d = v->d;
    uint64_t n = 0, o, l1mfn, want = grant_pte_flags(flags);
    bool contains_pte = flags & GNTMAP_contains_pte;
    unsigned i;
    int rc = GNTST_general_error;

    if (contains_pte && new_addr)
        goto out;
    if (is_pv32(d) && new_addr != (uint32_t)new_addr)
        goto out;
    if (new_addr && !steal_linear(v, new_addr, &n))
        goto out;
    if (locate_l1e(v, addr, contains_pte, &l1mfn, &i))
        goto out;
    o = mm_pt_read(d->x, l1mfn, i);
    if (pte_mfn(o) != mfn || ((o ^ want) & (PTE_P | PTE_RW)))
        goto out;
    mm_pt_write(d->x, l1mfn, i, n);
    rc = GNTST_okay;
out:
    if (rc && n)
        mm_put_l1e(d, n);
    return rc;
}

/* ---- map ------------------------------------------------------------------------ */

struct map_refs {
    struct domain *rd;
    uint64_t mfn;
    unsigned refs, types;
};

static void drop_refs(struct map_refs *r)
{
    while (r->types--)
        put_page_type(r->rd, r->mfn);
    while (r->refs--)
        put_page(r->rd->x, r->mfn);
}

static bool take_ref(struct map_refs *r, bool type)
{
    if (type) {
        if (get_page_type(r->rd, r->mfn, PGT_writable_page))
            return false;
        r->types++;
    } else {
        if (get_page(r->rd->x, r->mfn, r->rd))
            return false;
        r->refs++;
    }
    return true;
}

void gnttab_map_one(struct vcpu *v, struct gnttab_map_op *op)
{
    struct domain *ld = v->d;
    struct maptrack *mt = &ld->gt.maptrack;
    bool ro = op->flags & GNTMAP_readonly;
    bool dev = op->flags & GNTMAP_device_map, host = op->flags & GNTMAP_host_map;
    struct map_refs r = { 0 };
    uint64_t pte = 0;
    uint32_t h;
    int rc;

    if (!dev && !host) {
        op->status = GNTST_bad_gntref;
        return;
    }
    if (!(r.rd = domain_lookup(ld->x, op->dom))) {
        op->status = GNTST_bad_domain;
        return;
    }
    if ((h = maptrack_get(mt)) == MAPTRACK_TAIL) {
        op->status = GNTST_no_device_space;
        return;
    }
    rc = grant_pin(r.rd, op->ref, ld->domid, ro, true, pin_incs(op->flags),
                   &r.mfn, NULL, NULL);
    if (rc) {
        maptrack_put(mt, h);
        op->status = (int16_t)rc;
        return;
    }
    r.refs = 1;
    rc = GNTST_general_error;
    if (dev && !ro && !take_ref(&r, true))
        goto undo;
    if (host) {
        if ((dev && !take_ref(&r, false)) || (!ro && !take_ref(&r, true)))
            goto undo;
        if ((rc = host_map_create(v, op->host_addr, r.mfn, op->flags, &pte)))
            goto undo;
    }
    mt->e[h].ref = op->ref;
    mt->e[h].domid = op->dom;
    mt->e[h].flags = (uint16_t)op->flags;
    mt->e[h].pte_maddr = pte;
    op->dev_bus_addr = r.mfn << PAGE_SHIFT;
    op->handle = h;
    op->status = GNTST_okay;
    return;
undo:
    drop_refs(&r);
    grant_unpin(r.rd, op->ref, ro, pin_incs(op->flags));
    maptrack_put(mt, h);
    op->status = (int16_t)rc;
}

/* ---- unmap ---------------------------------------------------------------------- */

void gnttab_unmap_one(struct vcpu *v, struct gnttab_unmap_op *op)
{
    struct domain *ld = v->d, *rd;
    struct maptrack *mt = &ld->gt.maptrack;
    struct grant_mapping *map;
    unsigned flags;
    int rc;

    op->done = 0;
    if (op->handle >= mt->limit || !mt->e[op->handle].flags) {
        op->status = GNTST_bad_handle;
        return;
    }
    map = &mt->e[op->handle];
    flags = map->flags;
    rd = domain_lookup(ld->x, map->domid);
    if (!rd || map->ref >= grant_nr_entries(&rd->gt)) {
        op->status = GNTST_bad_handle;
        return;
    }
    op->rdomid = map->domid;
    op->ref = map->ref;
    op->mfn = rd->gt.active[map->ref].mfn;
    if (op->dev_bus_addr && op->dev_bus_addr != op->mfn << PAGE_SHIFT) {
        op->status = GNTST_general_error;
        return;
    }
    if (op->host_addr && (flags & GNTMAP_host_map)) {
        rc = host_map_replace(v, op->host_addr, op->mfn, op->new_addr, flags);
        if (rc) {
            op->status = (int16_t)rc;
            return;
        }
        map->flags &= (uint16_t)~GNTMAP_host_map;
        map->pte_maddr = 0;
        op->done |= (uint16_t)(GNTMAP_host_map | (flags & GNTMAP_readonly));
    }
    if (op->dev_bus_addr && (flags & GNTMAP_device_map)) {
        map->flags &= (uint16_t)~GNTMAP_device_map;
        op->done |= (uint16_t)(GNTMAP_device_map | (flags & GNTMAP_readonly));
    }
    if (!(map->flags & (GNTMAP_device_map | GNTMAP_host_map)))
        maptrack_put(mt, op->handle);
    op->status = GNTST_okay;
}

/* Drop what one mapping held: references (when held) and pins. */
static void mapping_put(struct domain *rd, uint32_t ref, unsigned done,
                        bool drop_host_refs)
{
    struct active_grant *act = &rd->gt.active[ref];
    bool ro = done & GNTMAP_readonly;
    uint64_t mfn = act->mfn;

    if (done & GNTMAP_device_map) {
        if (ro)
            put_page(rd->x, mfn);
        else
            put_page_and_type(rd, mfn);
    }
    if ((done & GNTMAP_host_map) && drop_host_refs) {
        if (!ro)
            put_page_type(rd, mfn);
        put_page(rd->x, mfn);
    }
    grant_unpin(rd, ref, ro, pin_incs(done));
}

void gnttab_unmap_complete(struct domain *ld, struct gnttab_unmap_op *op)
{
    struct domain *rd;

    if (!op->done || !(rd = domain_lookup(ld->x, op->rdomid)))
        return;
    mapping_put(rd, op->ref, op->done, true);
}

/* ---- tear-down ------------------------------------------------------------------ */

/* A host mapping's PTE, if its L1 is still a live table holding it:
 * cleared, and true (its references are ours to drop).  False when the
 * entry went some other way (its references went with it). */
static bool zap_grant_pte(struct xen *x, uint64_t pte_maddr, uint64_t mfn)
{
    uint64_t l1mfn = pte_maddr >> PAGE_SHIFT;
    unsigned i = (unsigned)(pte_maddr & (PAGE_SIZE - 1)) / 8;
    const struct page_info *pg = mfn_page(x, l1mfn);
    uint64_t e;

    if (!pte_maddr || !pg || pg->type != PGT_l1_page_table ||
        !(pg->flags & PGF_validated) || !pg->type_count)
        return false;
    e = mm_pt_read(x, l1mfn, i);
    if (!(e & PTE_P) || !(e & PTE_GNTTAB) || pte_mfn(e) != mfn)
        return false;
    mm_pt_write(x, l1mfn, i, 0);
    return true;
}

void gnttab_release_mappings(struct xen *x, struct maptrack *mt,
                             struct domain *ld, struct domain *rd_only)
{
    uint32_t h;
    bool zapped = false;

    for (h = 0; h < mt->limit; h++) {
        struct grant_mapping *map = &mt->e[h];
        struct domain *rd;
        bool held = true;

        if (!(map->flags & (GNTMAP_device_map | GNTMAP_host_map)))
            continue;
        if (rd_only && map->domid != rd_only->domid)
            continue;
        rd = domain_lookup(x, map->domid);
        if (rd && map->ref < grant_nr_entries(&rd->gt)) {
            if (ld && (map->flags & GNTMAP_host_map)) {
                held = zap_grant_pte(x, map->pte_maddr,
                                     rd->gt.active[map->ref].mfn);
                zapped |= held;
            }
            mapping_put(rd, map->ref, map->flags, held);
        }
        maptrack_put(mt, h);
    }
    if (ld && zapped)
        mm_flush_tlb_domain(ld);
}

/* ---- dom0's backends ----------------------------------------------------------- */

int gnttab_map_for_backend(struct xen *x, uint16_t rdomid, uint32_t ref,
                           bool readonly, uint32_t *handle, uint64_t *maddr)
{
    struct maptrack *mt = &x->dom0_maptrack;
    unsigned flags = GNTMAP_host_map | (readonly ? GNTMAP_readonly : 0);
    struct map_refs r = { 0 };
    uint32_t h;
    int rc;

    if (!(r.rd = domain_lookup(x, rdomid)))
        return GNTST_bad_domain;
    if ((h = maptrack_get(mt)) == MAPTRACK_TAIL)
        return GNTST_no_device_space;
    rc = grant_pin(r.rd, ref, 0, readonly, true, pin_incs(flags), &r.mfn,
                   NULL, NULL);
    if (rc) {
        maptrack_put(mt, h);
        return rc;
    }
    r.refs = 1;
    if (!readonly && !take_ref(&r, true)) {
        drop_refs(&r);
        grant_unpin(r.rd, ref, readonly, pin_incs(flags));
        maptrack_put(mt, h);
        return GNTST_general_error;
    }
    mt->e[h] = (struct grant_mapping){ .ref = ref, .domid = rdomid,
                                       .flags = (uint16_t)flags,
                                       .next = MAPTRACK_TAIL };
    *handle = h;
    *maddr = r.mfn << PAGE_SHIFT;
    return GNTST_okay;
}

int gnttab_unmap_for_backend(struct xen *x, uint32_t handle)
{
    struct maptrack *mt = &x->dom0_maptrack;
    struct grant_mapping *map;
    struct domain *rd;

    if (handle >= mt->limit || !mt->e[handle].flags)
        return GNTST_bad_handle;
    map = &mt->e[handle];
    rd = domain_lookup(x, map->domid);
    if (rd && map->ref < grant_nr_entries(&rd->gt))
        mapping_put(rd, map->ref, map->flags, true);
    maptrack_put(mt, handle);
    return GNTST_okay;
}
