/*
 * Grant tables: the per-domain table, its frames, versions, active
 * entries, pins and the maptrack handles (xen/common/grant_table.c).
 */
#include <stdlib.h>
#include <string.h>
#include "xenemu/le.h"
#include "xenplat/guest.h"
#include "xenplat/mm.h"

#define SHGNT_PER_PAGE(v) (PAGE_SIZE / ((v) == 1 ? GRANT_V1_SIZE : GRANT_V2_SIZE))
#define STGNT_PER_PAGE    (PAGE_SIZE / GRANT_STATUS_SIZE)

/* ---- maptrack --------------------------------------------------------------- */

int maptrack_init(struct maptrack *mt, unsigned max_frames)
{
    *mt = (struct maptrack){ .max = max_frames * MAPTRACK_PER_PAGE,
                             .head = MAPTRACK_TAIL, .tail = MAPTRACK_TAIL };
    return 0;
}

void maptrack_destroy(struct maptrack *mt)
{
    free(mt->e);
    *mt = (struct maptrack){ .head = MAPTRACK_TAIL, .tail = MAPTRACK_TAIL };
}

/* Append a page of free entries (get_maptrack_handle's new frame). */
static bool maptrack_grow(struct maptrack *mt)
{
    struct grant_mapping *e;
    uint32_t i, first = mt->limit;

    if (mt->limit + MAPTRACK_PER_PAGE > mt->max)
        return false;
    e = realloc(mt->e, (mt->limit + MAPTRACK_PER_PAGE) * sizeof(*e));
    if (!e)
        return false;
    mt->e = e;
    mt->limit += MAPTRACK_PER_PAGE;
    for (i = first; i < mt->limit; i++) {
        e[i] = (struct grant_mapping){ .next = MAPTRACK_TAIL };
        maptrack_put(mt, i);
    }
    return true;
}

uint32_t maptrack_get(struct maptrack *mt)
{
    uint32_t h;

    if (mt->head == MAPTRACK_TAIL && !maptrack_grow(mt))
        return MAPTRACK_TAIL;
    h = mt->head;
    mt->head = mt->e[h].next;
    if (mt->head == MAPTRACK_TAIL)
        mt->tail = MAPTRACK_TAIL;
    mt->e[h].next = MAPTRACK_TAIL;
    return h;
}

void maptrack_put(struct maptrack *mt, uint32_t h)
{
    mt->e[h].flags = 0;
    mt->e[h].next = MAPTRACK_TAIL;
    if (mt->tail == MAPTRACK_TAIL)
        mt->head = h;
    else
        mt->e[mt->tail].next = h;
    mt->tail = h;
}

/* ---- the shared table --------------------------------------------------------- */

unsigned grant_nr_entries(const struct grant_table *gt)
{
    return gt->nr_frames * SHGNT_PER_PAGE(gt->version);
}

uint64_t grant_entry_maddr(const struct grant_table *gt, uint32_t ref)
{
    unsigned per = SHGNT_PER_PAGE(gt->version);

    return (gt->shared_mfn[ref / per] << PAGE_SHIFT) +
           (ref % per) * (PAGE_SIZE / per);
}

uint64_t grant_status_maddr(const struct grant_table *gt, uint32_t ref)
{
    if (gt->version == 1)
        return grant_entry_maddr(gt, ref);
    return (gt->status_mfn[ref / STGNT_PER_PAGE] << PAGE_SHIFT) +
           (ref % STGNT_PER_PAGE) * GRANT_STATUS_SIZE;
}

/* A zeroed Xen frame shared writable with d (alloc_xenheap_page +
 * share_xen_page_with_guest). */
static uint64_t alloc_shared_frame(struct domain *d)
{
    uint64_t mfn = frame_alloc(d->x, DOMID_XEN);

    if (mfn != ~0ull)
        share_xen_page_with_guest(d, mfn);
    return mfn;
}

/* The frame goes back to Xen; the caller checked nobody else holds it. */
static void free_shared_frame(struct xen *x, uint64_t mfn)
{
    frame_free(x, mfn);
}

static int populate_status_frames(struct domain *d, unsigned nr_grant)
{
    struct grant_table *gt = &d->gt;
    unsigned i, want = grant_to_status_frames(nr_grant);

    for (i = gt->nr_status_frames; i < want; i++) {
        uint64_t mfn = alloc_shared_frame(d);
        if (mfn == ~0ull) {
            while (i-- > gt->nr_status_frames)
                free_shared_frame(d->x, gt->status_mfn[i]);
            return -XEN_ENOMEM;
        }
        gt->status_mfn[i] = mfn;
    }
    gt->nr_status_frames = want;
    return 0;
}

/* gnttab_unpopulate_status_frames: -EBUSY while the guest still maps or
 * otherwise references one of them. */
static int unpopulate_status_frames(struct domain *d)
{
    struct grant_table *gt = &d->gt;
    unsigned i;

    for (i = 0; i < gt->nr_status_frames; i++) {
        const struct page_info *pg = &d->x->frame[gt->status_mfn[i]];
        if (pg->count != 1 || pg->type_count != 1)
            return -XEN_EBUSY;
    }
    for (i = 0; i < gt->nr_status_frames; i++)
        free_shared_frame(d->x, gt->status_mfn[i]);
    gt->nr_status_frames = 0;
    return 0;
}

int grant_table_grow(struct domain *d, unsigned nr)
{
    struct grant_table *gt = &d->gt;
    struct active_grant *act;
    unsigned i, old = gt->nr_frames, per = PAGE_SIZE / GRANT_V1_SIZE;

    if (nr < INITIAL_NR_GRANT_FRAMES)
        nr = INITIAL_NR_GRANT_FRAMES;
    if (nr > gt->max_frames)
        return -XEN_EINVAL;
    if (nr > old) {
        act = realloc(gt->active, (size_t)nr * per * sizeof(*act));
        if (!act)
            return -XEN_ENOMEM;
        memset(act + (size_t)old * per, 0,
               (size_t)(nr - old) * per * sizeof(*act));
        gt->active = act;
    }
    for (i = old; i < nr; i++) {
        uint64_t mfn = alloc_shared_frame(d);
        if (mfn == ~0ull)
            goto fail;
        gt->shared_mfn[i] = mfn;
    }
    if (gt->version > 1 && populate_status_frames(d, nr))
        goto fail;
    if (nr > gt->nr_frames)
        gt->nr_frames = nr;
    return 0;
fail:
    while (i-- > old)
        free_shared_frame(d->x, gt->shared_mfn[i]);
    return -XEN_ENOMEM;
}

int grant_table_init(struct domain *d, unsigned max_frames,
                     unsigned max_maptrack_frames)
{
    struct grant_table *gt = &d->gt;

    memset(gt, 0, sizeof(*gt));
    maptrack_init(&gt->maptrack, max_maptrack_frames);
    if (max_frames < INITIAL_NR_GRANT_FRAMES)
        return -XEN_EINVAL;
    gt->version = 1;
    gt->max_frames = max_frames;
    gt->shared_mfn = calloc(max_frames, sizeof(uint64_t));
    gt->status_mfn = calloc(grant_to_status_frames(max_frames),
                            sizeof(uint64_t));
    if (!gt->shared_mfn || !gt->status_mfn)
        return -XEN_ENOMEM;
    return grant_table_grow(d, 0);
}

void grant_table_destroy(struct domain *d)
{
    struct grant_table *gt = &d->gt;
    struct xen *x = d->x;
    unsigned i;

    /* Every mapping this domain made, then everyone's of its grants. */
    gnttab_release_mappings(x, &gt->maptrack, d, NULL);
    gnttab_release_mappings(x, &x->dom0_maptrack, NULL, d);
    for (i = 0; i < x->nr_domains; i++)
        if (x->dom[i] != d)
            gnttab_release_mappings(x, &x->dom[i]->gt.maptrack, x->dom[i], d);
    maptrack_destroy(&gt->maptrack);
    for (i = 0; i < gt->nr_frames; i++)
        free_shared_frame(x, gt->shared_mfn[i]);
    for (i = 0; i < gt->nr_status_frames; i++)
        free_shared_frame(x, gt->status_mfn[i]);
    free(gt->shared_mfn);
    free(gt->status_mfn);
    free(gt->active);
    memset(gt, 0, sizeof(*gt));
}

/* ---- pins ------------------------------------------------------------------------ */

static uint16_t status_load(struct xen *x, const struct grant_table *gt,
                            uint32_t ref)
{
    return (uint16_t)maddr_load(x, grant_status_maddr(gt, ref), 2);
}

static void status_set(struct xen *x, const struct grant_table *gt,
                       uint32_t ref, uint16_t bits)
{
    uint64_t a = grant_status_maddr(gt, ref);

    maddr_store(x, a, 2, maddr_load(x, a, 2) | bits);
}

static void status_clear(struct xen *x, const struct grant_table *gt,
                         uint32_t ref, uint16_t bits)
{
    uint64_t a = grant_status_maddr(gt, ref);

    maddr_store(x, a, 2, maddr_load(x, a, 2) & (uint16_t)~bits);
}

/* _set_status_v1/_v2: check the entry grants ldomid access (when not
 * pinned yet) and set GTF_reading (and GTF_writing). */
static int set_status(struct domain *rd, uint32_t ref,
                      const struct active_grant *act, bool readonly,
                      bool for_map, uint16_t ldomid)
{
    struct grant_table *gt = &rd->gt;
    uint64_t hdr = grant_entry_maddr(gt, ref);
    uint16_t flags = (uint16_t)maddr_load(rd->x, hdr, 2);
    uint16_t domid = (uint16_t)maddr_load(rd->x, hdr + 2, 2);
    uint16_t mask = GTF_type_mask | (for_map ? GTF_sub_page : 0);

    if (!act->pin && ((flags & mask) != GTF_permit_access ||
                      domid != ldomid))
        return GNTST_general_error;
    if (!readonly && (flags & GTF_readonly))
        return GNTST_general_error;
    status_set(rd->x, gt, ref, GTF_reading | (readonly ? 0 : GTF_writing));
    return GNTST_okay;
}

/* get_paged_frame for a PV granter: the frame must be rd's. */
static int get_granted_frame(struct domain *rd, uint64_t frame)
{
    return get_page(rd->x, frame, rd) ? GNTST_bad_page : GNTST_okay;
}

static void clear_for_pins(struct domain *rd, uint32_t ref,
                           const struct active_grant *act, bool readonly)
{
    uint16_t clear = 0;

    if (!readonly && !(act->pin & (GNTPIN_hstw_mask | GNTPIN_devw_mask)))
        clear |= GTF_writing;
    if (!act->pin)
        clear |= GTF_reading;
    if (clear)
        status_clear(rd->x, &rd->gt, ref, clear);
}

int grant_pin(struct domain *rd, uint32_t ref, uint16_t ldomid,
              bool readonly, bool for_map, uint32_t pin_inc, uint64_t *mfn,
              uint16_t *off, uint16_t *len)
{
    struct grant_table *gt = &rd->gt;
    struct xen *x = rd->x;
    struct active_grant *act;
    uint64_t hdr;
    int rc;

    if (ref >= grant_nr_entries(gt))
        return GNTST_bad_gntref;
    act = &gt->active[ref];
    if (act->pin && (act->domid != ldomid || (act->pin & GNTPIN_overflow) ||
                     (for_map && act->is_sub_page)))
        return GNTST_general_error;
    hdr = grant_entry_maddr(gt, ref);
    if (!act->pin || (!readonly &&
                      !(act->pin & (GNTPIN_hstw_mask | GNTPIN_devw_mask)))) {
        if ((rc = set_status(rd, ref, act, readonly, for_map, ldomid)))
            return rc;
        if (!act->pin) {
            uint16_t flags = (uint16_t)maddr_load(x, hdr, 2);
            bool sub = gt->version == 2 && (flags & GTF_sub_page);
            uint64_t frame = gt->version == 1 ? maddr_load(x, hdr + 4, 4)
                                              : maddr_load(x, hdr + 8, 8);
            if ((rc = get_granted_frame(rd, frame))) {
                clear_for_pins(rd, ref, act, readonly);
                return rc;
            }
            *act = (struct active_grant){
                .domid = ldomid, .mfn = frame, .is_sub_page = sub,
                .start = sub ? (uint16_t)maddr_load(x, hdr + 4, 2) : 0,
                .length = sub ? (uint16_t)maddr_load(x, hdr + 6, 2)
                              : PAGE_SIZE,
            };
        } else if (get_page(x, act->mfn, rd)) {
            clear_for_pins(rd, ref, act, readonly);
            return GNTST_general_error;
        }
    } else if (get_page(x, act->mfn, rd)) {
        return GNTST_general_error;
    }
    act->pin += pin_inc;
    *mfn = act->mfn;
    if (off)
        *off = act->start;
    if (len)
        *len = act->length;
    return GNTST_okay;
}

void grant_unpin(struct domain *rd, uint32_t ref, bool readonly,
                 uint32_t pin_inc)
{
    struct active_grant *act = &rd->gt.active[ref];

    act->pin -= pin_inc;
    clear_for_pins(rd, ref, act, readonly);
}

/* ---- versions ------------------------------------------------------------------- */

struct reserved_entry {
    uint16_t flags, domid;
    uint64_t frame;
};

static void save_reserved(struct domain *d, struct reserved_entry *r)
{
    struct grant_table *gt = &d->gt;
    struct xen *x = d->x;
    unsigned i;

    for (i = 0; i < GNTTAB_NR_RESERVED_ENTRIES; i++) {
        uint64_t a = grant_entry_maddr(gt, i);
        uint16_t flags = (uint16_t)maddr_load(x, a, 2);
        r[i] = (struct reserved_entry){ 0 };
        if (gt->version == 1) {
            r[i] = (struct reserved_entry){ flags,
                (uint16_t)maddr_load(x, a + 2, 2), maddr_load(x, a + 4, 4) };
        } else if ((flags & GTF_type_mask) == GTF_permit_access) {
            r[i] = (struct reserved_entry){
                (uint16_t)(flags | status_load(x, gt, i)),
                (uint16_t)maddr_load(x, a + 2, 2), maddr_load(x, a + 8, 8) };
        }
    }
}

static void restore_reserved(struct domain *d, const struct reserved_entry *r)
{
    struct grant_table *gt = &d->gt;
    struct xen *x = d->x;
    unsigned i;

    for (i = 0; i < GNTTAB_NR_RESERVED_ENTRIES; i++) {
        uint64_t a = grant_entry_maddr(gt, i);
        uint16_t rw = GTF_reading | GTF_writing;
        if (gt->version == 1) {
            maddr_store(x, a, 2, r[i].flags);
            maddr_store(x, a + 2, 2, r[i].domid);
            maddr_store(x, a + 4, 4, (uint32_t)r[i].frame);
        } else {
            maddr_store(x, grant_status_maddr(gt, i), 2, r[i].flags & rw);
            maddr_store(x, a, 2, r[i].flags & (uint16_t)~rw);
            maddr_store(x, a + 2, 2, r[i].domid);
            maddr_store(x, a + 8, 8, r[i].frame);
        }
    }
}

/* A v2 reserved entry v1 cannot express (-ERANGE). */
static bool v1_unrepresentable(struct domain *d)
{
    unsigned i;

    for (i = 0; i < GNTTAB_NR_RESERVED_ENTRIES; i++) {
        uint64_t a = grant_entry_maddr(&d->gt, i);
        unsigned type = maddr_load(d->x, a, 2) & GTF_type_mask;
        if (type == GTF_transitive ||
            (type == GTF_permit_access && (maddr_load(d->x, a + 8, 8) >> 32)))
            return true;
    }
    return false;
}

static void clear_shared(struct domain *d)
{
    unsigned i;

    for (i = 0; i < d->gt.nr_frames; i++) {
        uint64_t a = d->gt.shared_mfn[i] << PAGE_SHIFT;
        for (unsigned o = 0; o < PAGE_SIZE; o += 8)
            maddr_store(d->x, a + o, 8, 0);
    }
}

int grant_set_version(struct domain *d, unsigned version)
{
    struct grant_table *gt = &d->gt;
    struct reserved_entry r[GNTTAB_NR_RESERVED_ENTRIES];
    unsigned i;
    int rc;

    if (version != 1 && version != 2)
        return -XEN_EINVAL;
    if (gt->version == version)
        return 0;
    /* Entries beyond the toolstack's reserved ones must be idle. */
    for (i = GNTTAB_NR_RESERVED_ENTRIES; i < grant_nr_entries(gt); i++)
        if (gt->active[i].pin)
            return -XEN_EBUSY;
    if (gt->version == 1) {
        if ((rc = populate_status_frames(d, gt->nr_frames)))
            return rc;
    } else if (v1_unrepresentable(d)) {
        return -XEN_ERANGE;
    }
    save_reserved(d, r);
    if (version == 1 && (rc = unpopulate_status_frames(d)))
        return rc;
    clear_shared(d);
    gt->version = version;
    restore_reserved(d, r);
    return 0;
}
