/*
 * The PV MMU core (x86/mm.c): general and type reference counts, page
 * types, validation of page tables on their first use as one, devalidation
 * on the last, linear page tables, and validated entry updates.
 *
 * Xen's invariants hold at every step: a frame with a page-table or
 * descriptor type has no writable mapping (an L1 entry mapping a frame RW
 * holds a PGT_writable_page type reference on it), a type changes only at
 * type count 0, and every present entry of a validated table holds a
 * reference on what it maps.
 */
#include "xenemu/le.h"
#include "xenplat/guest.h"
#include "xenplat/mm.h"
#include "xenplat/xenmap.h"

/* Flags in Xen's 24-bit flag space (get_pte_flags: PTE bits 0..11 and
 * 52..63).  What a guest may set: P RW US A D, the available bits 9..11
 * and 52..62, NX (arch_init_memory base_disallow_mask). */
#define F_RW                 0x000002u
#define F_BASE_DISALLOW      0x000198u   /* PWT PCD PSE G */
#define F_L1_DISALLOW        0x400098u   /* PWT PCD PAT GNTTAB; G allowed */
#define F_COMPAT_L3_DISALLOW 0xfff198u   /* ... and bits 52..63 */

#define VMASST_m2p_strict 32
#define VMASST_pae_extended_cr3 3
#define NO_PTPG (~0ull)

static uint32_t pte_flags(uint64_t e)
{
    return (uint32_t)((e >> 40) & 0xfff000) | (uint32_t)(e & 0xfff);
}

static bool vm_assist(const struct domain *d, unsigned type)
{
    return type < sizeof(d->vm_assist) * 8 && ((d->vm_assist >> type) & 1);
}

uint64_t mm_pt_read(struct xen *x, uint64_t mfn, unsigned i)
{
    return le64_load(mfn_ptr(x, mfn) + i * 8);
}

void mm_pt_write(struct xen *x, uint64_t mfn, unsigned i, uint64_t e)
{
    maddr_store(x, (mfn << PAGE_SHIFT) + i * 8, 8, e);
}

/* Xen wrote a frame behind the CPU's back: drop decoded code from it. */
static void frame_written(struct xen *x, uint64_t mfn)
{
    if (x->mem.frame_flags[mfn] & FRAME_CODE)
        mem_code_written(&x->mem, mfn);
}

/* ---- TLB maintenance ------------------------------------------------------- */

void mm_flush_tlb(struct vcpu *v)
{
    tlb_flush_all(&v->cpu.tlb);
}

void mm_flush_tlb_domain(struct domain *d)
{
    unsigned i;

    for (i = 0; i < d->max_vcpus; i++)
        if (d->vcpu[i] && d->vcpu[i]->cpu_ready)
            mm_flush_tlb(d->vcpu[i]);
}

void mm_invlpg(struct vcpu *v, uint64_t va)
{
    if (is_pv32(v->d))
        va = (uint32_t)va;
    tlb_flush_page(&v->cpu.tlb, va);
}

static void flush_owner(struct xen *x, uint16_t owner)
{
    unsigned i;

    for (i = 0; i < x->nr_domains; i++)
        if (x->dom[i]->domid == owner)
            mm_flush_tlb_domain(x->dom[i]);
}

bool mm_addr_ok(const struct domain *d, uint64_t va)
{
    (void)d;
    return va < (1ull << 47) || va >= HYPERVISOR_VIRT_END_64;
}

/* ---- general references ------------------------------------------------------ */

/* page_get_owner_and_reference: false for a free frame. */
static bool page_ref(struct page_info *pg)
{
    if (pg->count == 0 || pg->count >= UINT32_MAX - 1)
        return false;
    pg->count++;
    return true;
}

int get_page(struct xen *x, uint64_t mfn, struct domain *d)
{
    struct page_info *pg = mfn_page(x, mfn);

    if (!pg || !page_ref(pg))
        return -XEN_EINVAL;
    if (pg->owner == d->domid)
        return 0;
    put_page(x, mfn);
    return -XEN_EINVAL;
}

void put_page(struct xen *x, uint64_t mfn)
{
    struct page_info *pg = mfn_page(x, mfn);
    uint16_t owner;

    if (!pg || !pg->count)
        return;
    if (--pg->count)
        return;
    /* The last reference: the frame is free (free_domheap_page: it leaves
     * its domain's tot_pages; a Xen heap page shared with a guest goes
     * back to Xen alone), and no TLB may still reach it. */
    owner = pg->owner;
    if (pg->flags & PGF_xen_heap) {
        *pg = (struct page_info){ .owner = DOMID_XEN };
    } else {
        struct domain *d = xen_domain(x, owner);
        if (d && d->tot_pages)
            d->tot_pages--;
        frame_free(x, mfn);
    }
    flush_owner(x, owner);
}

void share_xen_page_with_guest(struct domain *d, uint64_t mfn)
{
    struct page_info *pg = &d->x->frame[mfn];

    m2p_set(d->x, mfn, ~0ull);
    pg->owner = d->domid;
    pg->type = PGT_writable_page;
    pg->type_count = 1;
    pg->flags = PGF_validated | PGF_xen_heap | PGF_allocated;
    pg->count = 1;
}

/* ---- entries: adjust, get, put ------------------------------------------------- */

uint64_t mm_adjust_l1e(const struct domain *d, uint64_t e)
{
    if (!(e & PTE_P) || is_pv32(d))
        return e;
    if (!(e & PTE_US))
        e |= PTE_GUEST_KERNEL | PTE_US;
    if (!(e & PTE_GUEST_KERNEL))
        e |= PTE_G | PTE_US;
    return e;
}

static uint64_t adjust_l2e(const struct domain *d, uint64_t e)
{
    return (e & PTE_P) && !is_pv32(d) ? e | PTE_US : e;
}

static uint64_t adjust_l3e(const struct domain *d, uint64_t e)
{
    if (!(e & PTE_P))
        return e;
    return e | PTE_US | (is_pv32(d) ? PTE_RW : 0);
}

static uint64_t unadjust_l3e(const struct domain *d, uint64_t e)
{
    if (is_pv32(d) && (e & PTE_P))
        e &= ~(PTE_US | PTE_RW | PTE_A);
    return e;
}

static uint64_t adjust_l4e(const struct domain *d, uint64_t e)
{
    if (!(e & PTE_P))
        return e;
    return e | PTE_A | (is_pv32(d) ? 0 : PTE_US);
}

static uint32_t l3_disallow(const struct domain *d)
{
    return is_pv32(d) ? F_COMPAT_L3_DISALLOW : F_BASE_DISALLOW;
}

static bool guest_l2_slot(bool pae_xen_l2, unsigned i)
{
    return !pae_xen_l2 || i < COMPAT_L2_FIRST_XEN_SLOT;
}

static bool guest_l4_slot(const struct domain *d, unsigned i)
{
    return is_pv32(d) ? i == 0 : !xenmap_is_xen_l4_slot(i);
}

int mm_get_l1e(struct domain *d, uint64_t e, struct domain *pg_owner)
{
    struct xen *x = d->x;
    uint32_t f = pte_flags(e);
    uint64_t mfn = pte_mfn(e);
    struct page_info *pg = mfn_page(x, mfn);

    if (f & F_L1_DISALLOW)
        return -XEN_EINVAL;
    if (!pg)        /* MMIO: a domU has no I/O memory permission */
        return mfn == (PTE_ADDR_MASK >> PAGE_SHIFT) ? -XEN_EINVAL
                                                     : -XEN_EPERM;
    if (!page_ref(pg))
        return -XEN_EBUSY;
    /* A frame of another owner (Xen, DOMID_IO, another domain): only a
     * privileged pg_owner could pass the right on; a domU cannot. */
    if (!pg_owner || pg->owner != pg_owner->domid || pg_owner != d) {
        put_page(x, mfn);
        return -XEN_EBUSY;
    }
    if ((f & F_RW) && get_page_type(d, mfn, PGT_writable_page)) {
        put_page(x, mfn);
        return -XEN_EBUSY;
    }
    return 0;
}

void mm_put_l1e(struct domain *d, uint64_t e)
{
    uint64_t mfn = pte_mfn(e);

    if (!(e & PTE_P) || !mfn_valid(d->x, mfn))
        return;
    /* Grant mappings end through the grant-table interface only. */
    if ((e & PTE_GNTTAB) && d->state == DOM_RUNNING)
        domain_crash(d, "attempt to implicitly unmap a granted PTE %#llx",
                     (unsigned long long)e);
    if (e & PTE_RW)
        put_page_and_type(d, mfn);
    else
        put_page(d->x, mfn);
}

/* Linear page tables (get_lN_linear_pagetable, opt_pv_linear_pt on): a
 * read-only entry of a level-N table may map a validated level-N table of
 * the same domain, which then serves one level down. */
static bool get_linear(struct domain *d, uint64_t pde, uint64_t pde_mfn,
                       enum pgt level)
{
    struct xen *x = d->x;
    uint64_t mfn = pte_mfn(pde);
    struct page_info *ptpg = &x->frame[pde_mfn], *pg;

    if (pte_flags(pde) & F_RW)
        return false;
    if (mfn == pde_mfn)
        return true;
    if (ptpg->owner != d->domid || get_page(x, mfn, d))
        return false;
    pg = &x->frame[mfn];
    if (ptpg->linear_pt_count < 0 || ptpg->linear_pt_count == INT16_MAX) {
        put_page(x, mfn);
        return false;
    }
    ptpg->linear_pt_count++;
    if (pg->linear_pt_count > 0 || pg->linear_pt_count == INT16_MIN) {
        ptpg->linear_pt_count--;
        put_page(x, mfn);
        return false;
    }
    pg->linear_pt_count--;
    if (pg->type != level || !(pg->flags & PGF_validated) ||
        pg->type_count == UINT32_MAX) {
        pg->linear_pt_count++;
        ptpg->linear_pt_count--;
        put_page(x, mfn);
        return false;
    }
    pg->type_count++;
    return true;
}

static int get_child(struct domain *d, uint64_t e, uint64_t table,
                     enum pgt level, unsigned child_type)
{
    int rc = get_page_and_type(d, pte_mfn(e), child_type);

    if (rc == -XEN_EINVAL && get_linear(d, e, table, level))
        rc = 0;
    return rc;
}

static int get_l2e(struct domain *d, uint64_t e, uint64_t l2)
{
    if (pte_flags(e) & F_BASE_DISALLOW)
        return -XEN_EINVAL;
    return get_child(d, e, l2, PGT_l2_page_table, PGT_l1_page_table);
}

static int get_l3e(struct domain *d, uint64_t e, uint64_t l3)
{
    int rc;

    if (pte_flags(e) & l3_disallow(d))
        return -XEN_EINVAL;
    rc = get_page_and_type(d, pte_mfn(e), PGT_l2_page_table);
    if (rc == -XEN_EINVAL && !is_pv32(d) &&
        get_linear(d, e, l3, PGT_l3_page_table))
        rc = 0;
    return rc;
}

static int get_l4e(struct domain *d, uint64_t e, uint64_t l4)
{
    if (pte_flags(e) & F_BASE_DISALLOW)
        return -XEN_EINVAL;
    return get_child(d, e, l4, PGT_l4_page_table, PGT_l3_page_table);
}

static void put_type_ref(struct domain *d, uint64_t mfn, uint64_t ptpg);

/* put_page_from_l2e..l4e: false when the entry held nothing. */
static bool put_table_entry(struct domain *d, uint64_t e, uint64_t table)
{
    uint64_t mfn = pte_mfn(e);

    if (!(e & PTE_P) || mfn == table || !mfn_valid(d->x, mfn))
        return false;
    put_type_ref(d, mfn, table);
    put_page(d->x, mfn);
    return true;
}

/* ---- validation and devalidation ------------------------------------------------ */

static int promote_l1(struct domain *d, uint64_t mfn)
{
    struct xen *x = d->x;
    unsigned i;
    int rc;

    for (i = 0; i < 512; i++) {
        uint64_t e = mm_pt_read(x, mfn, i);
        if (!(e & PTE_P))
            continue;
        if ((rc = mm_get_l1e(d, e, d)) != 0) {
            while (i--)
                mm_put_l1e(d, mm_pt_read(x, mfn, i));
            return rc;
        }
        mm_pt_write(x, mfn, i, mm_adjust_l1e(d, e));
    }
    return 0;
}

static void demote_l1(struct domain *d, uint64_t mfn)
{
    unsigned i;

    for (i = 0; i < 512; i++)
        mm_put_l1e(d, mm_pt_read(d->x, mfn, i));
}

static int promote_l2(struct domain *d, uint64_t mfn, bool pae)
{
    struct xen *x = d->x;
    unsigned i;
    int rc;

    for (i = 0; i < 512; i++) {
        uint64_t e = mm_pt_read(x, mfn, i);
        if (!guest_l2_slot(pae, i) || !(e & PTE_P))
            continue;
        if ((rc = get_l2e(d, e, mfn)) != 0) {
            while (i--)
                if (guest_l2_slot(pae, i))
                    put_table_entry(d, mm_pt_read(x, mfn, i), mfn);
            return rc;
        }
        mm_pt_write(x, mfn, i, adjust_l2e(d, e));
    }
    if (pae) {
        xenmap_fill_compat_l2(d, mfn_ptr(x, mfn));
        frame_written(x, mfn);
    }
    return 0;
}

static void demote_l2(struct domain *d, uint64_t mfn, bool pae)
{
    unsigned i;

    for (i = 0; i < 512; i++)
        if (guest_l2_slot(pae, i))
            put_table_entry(d, mm_pt_read(d->x, mfn, i), mfn);
}

static void demote_l3(struct domain *d, uint64_t mfn)
{
    struct xen *x = d->x;
    unsigned i;

    for (i = 0; i < 512; i++) {
        uint64_t e = mm_pt_read(x, mfn, i);
        if (put_table_entry(d, e, mfn) && is_pv32(d))
            mm_pt_write(x, mfn, i, unadjust_l3e(d, e));
    }
}

/* The L2 under a 32-bit guest's L3 slot 3 holds Xen's mappings: it must
 * not be shared with another L3 (pae_xen_mappings_check). */
static int promote_l3_slot3(struct domain *d, uint64_t e)
{
    int rc;

    if (!(e & PTE_P) || (pte_flags(e) & l3_disallow(d)))
        return -XEN_EINVAL;
    rc = get_page_and_type(d, pte_mfn(e), PGT_l2_page_table | PGT_PAE_XEN_L2);
    if (rc == 0 && d->x->frame[pte_mfn(e)].type_count != 1) {
        put_page_and_type(d, pte_mfn(e));
        rc = -XEN_EINVAL;
    }
    return rc;
}

static int promote_l3(struct domain *d, uint64_t mfn)
{
    struct xen *x = d->x;
    unsigned i;
    int rc = 0;

    if (is_pv32(d)) {
        /* PAE L3s below 4 GiB unless the guest understands extended CR3. */
        if (!vm_assist(d, VMASST_pae_extended_cr3) &&
            mfn >= (1ull << (32 - PAGE_SHIFT)) && d->vcpu[0] &&
            d->vcpu[0]->online)
            return -XEN_ERANGE;
        /* The MMU sees all 512 entries in compatibility mode. */
        for (i = 4; i < 512; i++)
            mm_pt_write(x, mfn, i, 0);
    }
    for (i = 0; i < 512; i++) {
        uint64_t e = mm_pt_read(x, mfn, i);
        if (i == 3 && is_pv32(d))
            rc = promote_l3_slot3(d, e);
        else if (!(e & PTE_P))
            continue;
        else
            rc = get_l3e(d, e, mfn);
        if (rc) {
            while (i--) {
                e = mm_pt_read(x, mfn, i);
                if (put_table_entry(d, e, mfn))
                    mm_pt_write(x, mfn, i, unadjust_l3e(d, e));
            }
            return rc;
        }
        mm_pt_write(x, mfn, i, adjust_l3e(d, e));
        if (i == 3 && is_pv32(d))
            break;
    }
    return 0;
}

static int promote_l4(struct domain *d, uint64_t mfn)
{
    struct xen *x = d->x;
    unsigned i;
    int rc;

    for (i = 0; i < 512; i++) {
        uint64_t e = mm_pt_read(x, mfn, i);
        if (!guest_l4_slot(d, i) || !(e & PTE_P))
            continue;
        if ((rc = get_l4e(d, e, mfn)) != 0) {
            while (i--)
                if (guest_l4_slot(d, i))
                    put_table_entry(d, mm_pt_read(x, mfn, i), mfn);
            return rc;
        }
        mm_pt_write(x, mfn, i, adjust_l4e(d, e));
    }
    /* init_xen_l4_slots: the RO M2P only under m2p_strict here; otherwise
     * it appears when the table becomes a kernel base (fill_ro_mpt). */
    xenmap_fill_l4(d, mfn_ptr(x, mfn));
    if (!vm_assist(d, VMASST_m2p_strict))
        le64_store(mfn_ptr(x, mfn) + L4_SLOT_RO_MPT * 8, 0);
    frame_written(x, mfn);
    return 0;
}

static void demote_l4(struct domain *d, uint64_t mfn)
{
    unsigned i;

    for (i = 0; i < 512; i++)
        if (guest_l4_slot(d, i))
            put_table_entry(d, mm_pt_read(d->x, mfn, i), mfn);
}

static int validate_page(struct domain *d, uint64_t mfn, unsigned type)
{
    switch (type & 0xff) {
    case PGT_l1_page_table:
        return promote_l1(d, mfn);
    case PGT_l2_page_table:
        return promote_l2(d, mfn, type & PGT_PAE_XEN_L2);
    case PGT_l3_page_table:
        return promote_l3(d, mfn);
    case PGT_l4_page_table:
        return promote_l4(d, mfn);
    case PGT_seg_desc_page:
        return mm_validate_segdesc_page(d, mfn);
    default:
        return -XEN_EINVAL;
    }
}

static void devalidate_page(struct domain *d, uint64_t mfn)
{
    struct page_info *pg = &d->x->frame[mfn];

    switch (pg->type) {
    case PGT_l1_page_table:
        demote_l1(d, mfn);
        break;
    case PGT_l2_page_table:
        demote_l2(d, mfn, pg->flags & PGF_pae_xen_l2);
        break;
    case PGT_l3_page_table:
        demote_l3(d, mfn);
        break;
    case PGT_l4_page_table:
        demote_l4(d, mfn);
        break;
    default:
        break;
    }
    pg->flags &= ~PGF_pae_xen_l2;
}

/* ---- type references ------------------------------------------------------------ */

static bool is_pt_type(unsigned t)
{
    return t >= PGT_l1_page_table && t <= PGT_l4_page_table;
}

int get_page_type(struct domain *d, uint64_t mfn, unsigned type)
{
    struct page_info *pg = mfn_page(d->x, mfn);
    unsigned base = type & 0xff;
    bool pae = type & PGT_PAE_XEN_L2;
    int rc;

    if (!pg)
        return -XEN_EINVAL;
    if (pg->type_count) {
        if (pg->type != base || !(pg->flags & PGF_pae_xen_l2) != !pae ||
            !(pg->flags & PGF_validated) || pg->type_count == UINT32_MAX)
            return -XEN_EINVAL;
        pg->type_count++;
        return 0;
    }
    if (pg->type != base || pae) {
        /* A type change: no CPU may keep a mapping (or a translation
         * through the old contents) of the frame in its old role. */
        if (pg->type != PGT_none && pg->type != base)
            flush_owner(d->x, pg->owner);
        pg->type = (uint8_t)base;
        pg->flags &= ~(PGF_validated | PGF_pae_xen_l2);
        if (pae)
            pg->flags |= PGF_pae_xen_l2;
    }
    pg->type_count = 1;
    if (pg->flags & PGF_validated)
        return 0;
    if (base == PGT_writable_page) {
        pg->flags |= PGF_validated;
        return 0;
    }
    pg->linear_pt_count = 0;
    rc = validate_page(d, mfn, type);
    if (rc) {
        pg->type_count = 0;
        pg->type = PGT_none;
        pg->flags &= ~(PGF_validated | PGF_pae_xen_l2);
        return rc;
    }
    pg->flags |= PGF_validated;
    return 0;
}

/* _put_page_type; ptpg is the table whose entry held the reference
 * (NO_PTPG: none), for linear page-table accounting. */
static void put_type_ref(struct domain *d, uint64_t mfn, uint64_t ptpg)
{
    struct xen *x = d->x;
    struct page_info *pg = mfn_page(x, mfn);
    bool linear;

    if (!pg || !pg->type_count)
        return;
    linear = ptpg != NO_PTPG && x->frame[ptpg].type == pg->type;
    if (pg->type_count == 1 && is_pt_type(pg->type) &&
        (pg->flags & PGF_validated)) {
        /* The last type reference of a page table: devalidate it, which
         * drops what its entries held. */
        pg->flags &= ~PGF_validated;
        devalidate_page(d, mfn);
    }
    pg->type_count--;
    if (linear) {
        pg->linear_pt_count++;
        x->frame[ptpg].linear_pt_count--;
    }
}

void put_page_type(struct domain *d, uint64_t mfn)
{
    put_type_ref(d, mfn, NO_PTPG);
}

int get_page_and_type(struct domain *d, uint64_t mfn, unsigned type)
{
    int r = get_page(d->x, mfn, d);

    if (r)
        return r;
    r = get_page_type(d, mfn, type);
    if (r)
        put_page(d->x, mfn);
    return r;
}

void put_page_and_type(struct domain *d, uint64_t mfn)
{
    put_page_type(d, mfn);
    put_page(d->x, mfn);
}

/* ---- entry updates (mod_l1_entry .. mod_l4_entry) ------------------------------- */

/* PTE bits a guest may change without revalidation (FASTPATH_*). */
#define FASTPATH_KEEP (PTE_XD | 0x7ff0000000000000ull | 0xe00ull | PTE_G | \
                       PTE_D | PTE_A | PTE_US)

static bool entry_changed(uint64_t o, uint64_t n)
{
    return ((o ^ n) & ~FASTPATH_KEEP) != 0;
}

static void write_entry(struct xen *x, uint64_t mfn, unsigned i, uint64_t o,
                        uint64_t n, bool preserve_ad)
{
    if (preserve_ad)
        n |= o & (PTE_A | PTE_D);
    mm_pt_write(x, mfn, i, n);
}

static int mod_l1(struct vcpu *v, uint64_t mfn, unsigned i, uint64_t n,
                  bool preserve_ad, struct domain *pg_owner)
{
    struct domain *d = v->d;
    uint64_t o = mm_pt_read(d->x, mfn, i);
    int rc;

    if (n & PTE_P) {
        if (pte_flags(n) & F_L1_DISALLOW)
            return -XEN_EINVAL;
        n = mm_adjust_l1e(d, n);
        if ((o & PTE_P) && !entry_changed(o, n)) {
            write_entry(d->x, mfn, i, o, n, preserve_ad);
            return 0;
        }
        if ((rc = mm_get_l1e(d, n, pg_owner)) != 0)
            return rc;
    }
    write_entry(d->x, mfn, i, o, n, preserve_ad);
    mm_put_l1e(d, o);
    return 0;
}

static int mod_upper(struct vcpu *v, uint64_t mfn, unsigned i, uint64_t n,
                     bool preserve_ad)
{
    struct domain *d = v->d;
    struct xen *x = d->x;
    struct page_info *pg = &x->frame[mfn];
    uint64_t o;
    int rc = 0;

    switch (pg->type) {
    case PGT_l2_page_table:
        if (!guest_l2_slot(pg->flags & PGF_pae_xen_l2, i))
            return -XEN_EPERM;
        break;
    case PGT_l3_page_table:
        /* Slot 3 of a PAE L3 holds Xen's mappings. */
        if (is_pv32(d) && i >= 3)
            return -XEN_EINVAL;
        break;
    default:
        if (!guest_l4_slot(d, i))
            return -XEN_EINVAL;
        break;
    }
    o = mm_pt_read(x, mfn, i);
    if (n & PTE_P) {
        switch (pg->type) {
        case PGT_l2_page_table:
            if (pte_flags(n) & F_BASE_DISALLOW)
                return -XEN_EINVAL;
            n = adjust_l2e(d, n);
            break;
        case PGT_l3_page_table:
            if (pte_flags(n) & l3_disallow(d))
                return -XEN_EINVAL;
            n = adjust_l3e(d, n);
            break;
        default:
            if (pte_flags(n) & F_BASE_DISALLOW)
                return -XEN_EINVAL;
            n = adjust_l4e(d, n);
            break;
        }
        /* Linear page tables are allowed: RW matters here. */
        if ((o & PTE_P) && !entry_changed(o, n)) {
            write_entry(x, mfn, i, o, n, preserve_ad);
            return 0;
        }
        if (pg->type == PGT_l2_page_table)
            rc = get_l2e(d, n, mfn);
        else if (pg->type == PGT_l3_page_table)
            rc = get_l3e(d, n, mfn);
        else
            rc = get_l4e(d, n, mfn);
        if (rc)
            return rc;
    }
    write_entry(x, mfn, i, o, n, preserve_ad);
    put_table_entry(d, o, mfn);
    return 0;
}

int mm_mod_entry(struct vcpu *v, uint64_t mfn, unsigned off, uint64_t val,
                 bool preserve_ad, struct domain *pg_owner)
{
    struct page_info *pg = &v->d->x->frame[mfn];
    unsigned i = off / 8;

    if (pg->type == PGT_l1_page_table)
        return mod_l1(v, mfn, i, val, preserve_ad, pg_owner);
    if (pg_owner != v->d)
        return -XEN_EINVAL;
    return mod_upper(v, mfn, i, val, preserve_ad);
}

/* ---- pinning ---------------------------------------------------------------------- */

int mm_pin_table(struct domain *d, uint64_t mfn, enum pgt type)
{
    int rc;

    if (type == PGT_l4_page_table && is_pv32(d))
        return 0;              /* ignored, as Xen does */
    if (get_page(d->x, mfn, d))
        return -XEN_EINVAL;
    if ((rc = get_page_type(d, mfn, type)) != 0) {
        put_page(d->x, mfn);
        return rc;
    }
    if (d->x->frame[mfn].flags & PGF_pinned) {
        put_page_and_type(d, mfn);
        return -XEN_EINVAL;
    }
    d->x->frame[mfn].flags |= PGF_pinned;
    return 0;
}

int mm_unpin_table(struct domain *d, uint64_t mfn)
{
    struct page_info *pg;

    if (get_page(d->x, mfn, d))
        return -XEN_EINVAL;
    pg = &d->x->frame[mfn];
    if (!(pg->flags & PGF_pinned)) {
        put_page(d->x, mfn);
        return -XEN_EINVAL;
    }
    pg->flags &= ~PGF_pinned;
    put_page_and_type(d, mfn);
    put_page(d->x, mfn);
    return 0;
}

/* ---- base pointers ----------------------------------------------------------------- */

void mm_load_cr3(struct vcpu *v)
{
    uint64_t top;

    if (is_pv32(v->d))
        top = v->monitor_l4;
    else
        top = v->kernel_mode || !v->user_l4 ? v->kernel_l4 : v->user_l4;
    cpu_set_cr3(&v->cpu, top << PAGE_SHIFT);
    /* write_ptbase: a full flush, global entries too. */
    mm_flush_tlb(v);
}

/* fill_ro_mpt: the RO M2P in a kernel base table. */
static void fill_ro_mpt(struct domain *d, uint64_t mfn)
{
    uint8_t *slot = mfn_ptr(d->x, mfn) + L4_SLOT_RO_MPT * 8;

    if (!le64_load(slot))
        le64_store(slot, xenmap_ro_mpt_l4e(d->x));
}

int mm_new_baseptr(struct vcpu *v, uint64_t mfn)
{
    struct domain *d = v->d;
    uint64_t old = is_pv32(d) ? v->guest_l3 : v->kernel_l4;
    int rc;

    if (mfn == old && old) {
        mm_load_cr3(v);
        return 0;
    }
    rc = get_page_and_type(d, mfn, is_pv32(d) ? PGT_l3_page_table
                                               : PGT_l4_page_table);
    if (rc)
        return rc;
    mm_destroy_ldt(v);
    if (is_pv32(d)) {
        xenmap_set_compat_l3(v, mfn);
    } else {
        if (!vm_assist(d, VMASST_m2p_strict))
            fill_ro_mpt(d, mfn);
        v->kernel_l4 = mfn;
    }
    mm_load_cr3(v);
    if (old)
        put_page_and_type(d, old);
    return 0;
}

int mm_new_user_baseptr(struct vcpu *v, uint64_t mfn)
{
    struct domain *d = v->d;
    uint64_t old = v->user_l4;
    int rc;

    if (is_pv32(d))
        return -XEN_EINVAL;
    if (old == mfn)
        return 0;
    if (mfn) {
        if ((rc = get_page_and_type(d, mfn, PGT_l4_page_table)) != 0)
            return rc;
        if (vm_assist(d, VMASST_m2p_strict))
            le64_store(mfn_ptr(d->x, mfn) + L4_SLOT_RO_MPT * 8, 0);
    }
    v->user_l4 = mfn;
    if (old)
        put_page_and_type(d, old);
    return 0;
}

/* ---- the guest's own view of its tables -------------------------------------------- */

bool mm_guest_l1e(struct vcpu *v, uint64_t va, bool kernel, uint64_t *l1mfn,
                  unsigned *off)
{
    struct domain *d = v->d;
    struct xen *x = d->x;
    uint64_t t, e;
    int level;

    if (is_pv32(d)) {
        va = (uint32_t)va;
        t = v->guest_l3;
        level = 3;
    } else {
        t = kernel || v->kernel_mode || !v->user_l4 ? v->kernel_l4
                                                     : v->user_l4;
        level = 4;
    }
    for (; level > 1; level--) {
        unsigned idx = (unsigned)(va >> (PAGE_SHIFT + 9 * (level - 1))) & 511;
        if (!t || !mfn_valid(x, t))
            return false;
        e = mm_pt_read(x, t, idx);
        if (!(e & PTE_P) || (level == 2 && (e & PTE_PS)))
            return false;
        t = pte_mfn(e);
    }
    if (!mfn_valid(x, t))
        return false;
    *l1mfn = t;
    *off = (unsigned)((va >> PAGE_SHIFT) & 511) * 8;
    return true;
}
