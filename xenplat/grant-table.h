/*
 * Grant tables (xen/common/grant_table.c, x86/pv/grant_table.c,
 * pub/grant_table.h): each domain's shared table of grant entries (v1 or
 * v2, with v2's separate status frames), its active entries (the pins
 * Xen keeps per granted reference) and its maptrack table (the handles of
 * the mappings it made of other domains' grants).
 *
 * Shared and status frames are Xen's frames from the machine pool, shared
 * writable with the domain (share_xen_page_with_guest), so a PV guest
 * maps them through mmu_update like its own memory.
 *
 * Dom0 does not exist as a domain: xenemu's backends map and copy a
 * domU's grants through the C API at the end of this file, which keeps
 * dom0's maptrack table in struct xen.  Destroying a domain ends every
 * mapping it made and every mapping of its grants (Xen keeps a dying
 * granter as a zombie until the mappings go; xenemu revokes them).
 */
#ifndef XENEMU_XENPLAT_GRANT_TABLE_H
#define XENEMU_XENPLAT_GRANT_TABLE_H

#include "xenemu/common.h"

struct domain;
struct vcpu;
struct xen;

/* GNTTABOP_* */
enum {
    GNTTABOP_map_grant_ref = 0, GNTTABOP_unmap_grant_ref = 1,
    GNTTABOP_setup_table = 2, GNTTABOP_dump_table = 3,
    GNTTABOP_transfer = 4, GNTTABOP_copy = 5, GNTTABOP_query_size = 6,
    GNTTABOP_unmap_and_replace = 7, GNTTABOP_set_version = 8,
    GNTTABOP_get_status_frames = 9, GNTTABOP_get_version = 10,
    GNTTABOP_swap_grant_ref = 11, GNTTABOP_cache_flush = 12,
};

/* GNTST_* (int16 status fields). */
enum {
    GNTST_okay = 0, GNTST_general_error = -1, GNTST_bad_domain = -2,
    GNTST_bad_gntref = -3, GNTST_bad_handle = -4, GNTST_bad_virt_addr = -5,
    GNTST_bad_dev_addr = -6, GNTST_no_device_space = -7,
    GNTST_permission_denied = -8, GNTST_bad_page = -9,
    GNTST_bad_copy_arg = -10, GNTST_address_too_big = -11,
    GNTST_eagain = -12,
};

/* Grant entry flags (GTF_*). */
enum {
    GTF_invalid = 0, GTF_permit_access = 1, GTF_accept_transfer = 2,
    GTF_transitive = 3, GTF_type_mask = 3,
    GTF_readonly = 1 << 2, GTF_reading = 1 << 3, GTF_writing = 1 << 4,
    GTF_PWT = 1 << 5, GTF_PCD = 1 << 6, GTF_PAT = 1 << 7,
    GTF_sub_page = 1 << 8,
    GTF_transfer_committed = 1 << 2, GTF_transfer_completed = 1 << 3,
};

/* GNTMAP_* */
enum {
    GNTMAP_device_map = 1 << 0, GNTMAP_host_map = 1 << 1,
    GNTMAP_readonly = 1 << 2, GNTMAP_application_map = 1 << 3,
    GNTMAP_contains_pte = 1 << 4,
};
#define GNTMAP_GUEST_AVAIL_SHIFT 16

enum { GNTCOPY_source_gref = 1 << 0, GNTCOPY_dest_gref = 1 << 1 };

#define GNTTAB_CACHE_CLEAN       (1u << 0)
#define GNTTAB_CACHE_INVAL       (1u << 1)
#define GNTTAB_CACHE_SOURCE_GREF (1u << 31)

#define GNTTAB_NR_RESERVED_ENTRIES 8
#define INITIAL_NR_GRANT_FRAMES    1u
/* libxl's defaults for max_grant_frames / max_maptrack_frames. */
#define GNTTAB_DEFAULT_MAX_FRAMES          64u
#define GNTTAB_DEFAULT_MAX_MAPTRACK_FRAMES 1024u
#define MAPTRACK_PER_PAGE                  256u    /* 16-byte entries */
#define XENMAPIDX_grant_table_status       0x80000000u

/* Sizes of the shared structures. */
#define GRANT_V1_SIZE 8u
#define GRANT_V2_SIZE 16u
#define GRANT_STATUS_SIZE 2u

/* Active entry pin counts (GNTPIN_*). */
#define GNTPIN_hstw_inc  (1u << 0)
#define GNTPIN_hstr_inc  (1u << 8)
#define GNTPIN_devw_inc  (1u << 16)
#define GNTPIN_devr_inc  (1u << 24)
#define GNTPIN_hstw_mask 0x000000ffu
#define GNTPIN_hstr_mask 0x0000ff00u
#define GNTPIN_devw_mask 0x00ff0000u
#define GNTPIN_devr_mask 0xff000000u
#define GNTPIN_overflow  0x80808080u

struct active_grant {
    uint32_t pin;
    uint16_t domid;            /* who holds the pin */
    bool is_sub_page;
    uint16_t start, length;    /* sub-page grants (v2) */
    uint64_t mfn;
};

/* One maptrack entry: a mapping this domain made of a grant. */
struct grant_mapping {
    uint32_t ref;
    uint16_t flags;            /* GNTMAP_*; 0: free */
    uint16_t domid;            /* the granting domain */
    uint64_t pte_maddr;        /* host map: the PTE written (revocation) */
    uint32_t next;             /* free list */
};

#define MAPTRACK_TAIL (~0u)

struct maptrack {
    struct grant_mapping *e;
    uint32_t limit;            /* entries allocated (pages * 256) */
    uint32_t max;              /* max_maptrack_frames * 256 */
    uint32_t head, tail;       /* free list, FIFO */
};

struct grant_table {
    unsigned version;          /* 1 or 2 */
    unsigned max_frames;       /* max_grant_frames */
    unsigned nr_frames, nr_status_frames;
    uint64_t *shared_mfn;      /* max_frames */
    uint64_t *status_mfn;      /* grant_to_status_frames(max_frames) */
    struct active_grant *active;   /* nr_frames * 512 entries */
    struct maptrack maptrack;
};

static inline unsigned grant_to_status_frames(unsigned grant_frames)
{
    return (grant_frames * 256 + 2047) / 2048;
}

/* ---- per domain ------------------------------------------------------------ */

/* grant_table_init with the domain's limits (max_frames >= 1). */
int grant_table_init(struct domain *d, unsigned max_frames,
                     unsigned max_maptrack_frames);
/* Tear-down: ends d's mappings of others' grants and everyone's
 * mappings of d's grants, then frees the tables. */
void grant_table_destroy(struct domain *d);

unsigned grant_nr_entries(const struct grant_table *gt);
/* Machine address of ref's header (flags, domid) and of its status word
 * (v1: the flags themselves). */
uint64_t grant_entry_maddr(const struct grant_table *gt, uint32_t ref);
uint64_t grant_status_maddr(const struct grant_table *gt, uint32_t ref);
/* Grow to nr frames (<= max_frames): 0 or -XEN_ENOMEM. */
int grant_table_grow(struct domain *d, unsigned nr);
/* GNTTABOP_set_version's work: 0 or -errno. */
int grant_set_version(struct domain *d, unsigned version);

/* ---- pins (shared by map, copy and the backends) -------------------------- */

/* Pin ref of rd for ldomid (map: a full-page permit_access grant; copy:
 * also sub-page grants) and take a general reference on its frame:
 * GNTST_okay with *mfn (and the sub-page window), or a GNTST code with
 * nothing held. */
int grant_pin(struct domain *rd, uint32_t ref, uint16_t ldomid,
              bool readonly, bool for_map, uint32_t pin_inc, uint64_t *mfn,
              uint16_t *off, uint16_t *len);
/* Drop a pin; clears GTF_writing/GTF_reading as the pins go. */
void grant_unpin(struct domain *rd, uint32_t ref, bool readonly,
                 uint32_t pin_inc);

/* ---- maptrack -------------------------------------------------------------- */
int maptrack_init(struct maptrack *mt, unsigned max_frames);
void maptrack_destroy(struct maptrack *mt);
uint32_t maptrack_get(struct maptrack *mt);   /* MAPTRACK_TAIL: none */
void maptrack_put(struct maptrack *mt, uint32_t handle);

/* ---- mappings (grant-map.c) ------------------------------------------------ */

struct gnttab_map_op {
    uint64_t host_addr;
    uint32_t flags, ref;
    uint16_t dom;
    int16_t status;
    uint32_t handle;
    uint64_t dev_bus_addr;
};

struct gnttab_unmap_op {
    uint64_t host_addr, dev_bus_addr, new_addr;
    uint32_t handle;
    int16_t status;
    /* between unmap and its completion */
    uint16_t done;
    uint64_t mfn;
    uint16_t rdomid;
    uint32_t ref;
};

void gnttab_map_one(struct vcpu *v, struct gnttab_map_op *op);
void gnttab_unmap_one(struct vcpu *v, struct gnttab_unmap_op *op);
void gnttab_unmap_complete(struct domain *ld, struct gnttab_unmap_op *op);
/* End every mapping in mt (of domain ld, NULL: dom0) of grants of rd
 * (NULL: of anyone): PTEs cleared, references and pins dropped. */
void gnttab_release_mappings(struct xen *x, struct maptrack *mt,
                             struct domain *ld, struct domain *rd);

/* ---- dom0's backends --------------------------------------------------------- */

/* Map ref of domain rd for a backend: GNTST_okay with *handle and the
 * frame's machine address, or a GNTST code.  A writable mapping holds a
 * writable type reference, so the frame cannot become a page table or be
 * freed until gnttab_unmap_for_backend. */
int gnttab_map_for_backend(struct xen *x, uint16_t rdomid, uint32_t ref,
                           bool readonly, uint32_t *handle, uint64_t *maddr);
int gnttab_unmap_for_backend(struct xen *x, uint32_t handle);
/* GNTTABOP_copy for a backend: len bytes at off of the granted frame. */
int gnttab_copy_from_guest(struct xen *x, uint16_t rdomid, uint32_t ref,
                           unsigned off, void *buf, unsigned len);
int gnttab_copy_to_guest(struct xen *x, uint16_t rdomid, uint32_t ref,
                         unsigned off, const void *buf, unsigned len);

/* The hypercall (grant-op.c). */
long do_grant_table_op(struct vcpu *v, const uint64_t *a);

#endif
