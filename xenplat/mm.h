/*
 * The PV MMU as Xen enforces it (x86/mm.c, x86/pv/mm.c): page types and
 * reference counts, validation of page tables and descriptor pages, and the
 * hypercalls that change them.  A guest can never map a page table or a
 * descriptor page writable, map a frame it does not own, or reach Xen's
 * memory.
 *
 * Files: mm.c (reference counts, types, validation, entry updates),
 * mm-ops.c (mmu_update, update_va_mapping, mmuext_op, base pointers),
 * descriptor.c (set_gdt, update_descriptor, the LDT), ro-page-fault.c
 * (the writable page-table assist and LDT faults).
 */
#ifndef XENEMU_XENPLAT_MM_H
#define XENEMU_XENPLAT_MM_H

#include "xenplat/domain.h"

/* A get_page_type() request for the L2 under a 32-bit guest's L3 slot 3
 * (Xen's PGT_pae_xen_l2): OR it into PGT_l2_page_table. */
#define PGT_PAE_XEN_L2 0x100u

/* Page-table entry bits Xen gives a meaning (x86_64/page.h). */
#define PTE_ADDR_MASK    0x000ffffffffff000ull
#define PTE_GUEST_KERNEL (1ull << 52)
#define PTE_GNTTAB       (1ull << 62)

static inline uint64_t pte_mfn(uint64_t e)
{
    return (e & PTE_ADDR_MASK) >> PAGE_SHIFT;
}

/* Entry i of page-table frame mfn (machine memory, little-endian). */
uint64_t mm_pt_read(struct xen *x, uint64_t mfn, unsigned i);
void mm_pt_write(struct xen *x, uint64_t mfn, unsigned i, uint64_t e);

/* Reference counting (x86/mm.c).  0 or -errno. */
int get_page(struct xen *x, uint64_t mfn, struct domain *d);
void put_page(struct xen *x, uint64_t mfn);
int get_page_type(struct domain *d, uint64_t mfn, unsigned type);
void put_page_type(struct domain *d, uint64_t mfn);
int get_page_and_type(struct domain *d, uint64_t mfn, unsigned type);
void put_page_and_type(struct domain *d, uint64_t mfn);

/* Xen sharing one of its frames writable with d (share_xen_page_with_guest:
 * shared_info): d owns it, typed writable for good. */
void share_xen_page_with_guest(struct domain *d, uint64_t mfn);

/* Validated update of the entry at byte offset off of page-table frame
 * mfn (of the type the frame has): Xen's mod_l1_entry..mod_l4_entry.
 * pg_owner is whose frames an L1 entry may map (NULL: DOMID_IO).
 * 0 or -errno. */
int mm_mod_entry(struct vcpu *v, uint64_t mfn, unsigned off, uint64_t val,
                 bool preserve_ad, struct domain *pg_owner);

/* Validate-and-map one L1 entry's target as get_page_from_l1e does:
 * 0 (a reference taken) or -errno; put_l1e drops it again. */
int mm_get_l1e(struct domain *d, uint64_t l1e, struct domain *pg_owner);
void mm_put_l1e(struct domain *d, uint64_t l1e);
/* adjust_guest_l1e. */
uint64_t mm_adjust_l1e(const struct domain *d, uint64_t l1e);

/* Pin a table (MMUEXT_PIN_Ln_TABLE; the toolstack at start of day),
 * unpin it.  0 or -errno as Xen. */
int mm_pin_table(struct domain *d, uint64_t mfn, enum pgt type);
int mm_unpin_table(struct domain *d, uint64_t mfn);

/* MMUEXT_NEW_BASEPTR (64-bit: the kernel L4; 32-bit: the L3) and
 * MMUEXT_NEW_USER_BASEPTR (64-bit only; 0: none).  0 or -errno. */
int mm_new_baseptr(struct vcpu *v, uint64_t mfn);
int mm_new_user_baseptr(struct vcpu *v, uint64_t mfn);

/* Load CR3 for the vCPU's current mode (64-bit: kernel or user L4;
 * 32-bit: its monitor L4). */
void mm_load_cr3(struct vcpu *v);

/* The L1 entry mapping va in v's current (kernel: kernel) page tables, as
 * Xen's linear page table shows it: false when an upper level is absent
 * or maps a superpage.  l1mfn and off locate the entry. */
bool mm_guest_l1e(struct vcpu *v, uint64_t va, bool kernel,
                  uint64_t *l1mfn, unsigned *off);

/* TLB maintenance (flush_tlb_local / flush_tlb_mask / invlpg). */
void mm_flush_tlb(struct vcpu *v);
void mm_flush_tlb_domain(struct domain *d);
void mm_invlpg(struct vcpu *v, uint64_t va);

/* Xen's __addr_ok: va is a guest address (not Xen's). */
bool mm_addr_ok(const struct domain *d, uint64_t va);

/* Descriptor tables (descriptor.c). */
bool check_descriptor(const struct domain *d, uint64_t *desc);
int mm_validate_segdesc_page(struct domain *d, uint64_t mfn);
int mm_set_ldt(struct vcpu *v, uint64_t va, unsigned ents);
/* set_gdt with the frames read: their type references taken (all or
 * none), the old ones dropped.  0 or -EINVAL. */
long mm_set_gdt(struct vcpu *v, uint64_t *frames, unsigned entries);
void mm_destroy_ldt(struct vcpu *v);
/* Map the LDT page holding byte off of the vCPU's LDT (on a fault). */
bool mm_map_ldt_page(struct vcpu *v, unsigned off);
/* A #PF Xen itself took at cr2 while loading a selector (load_segments,
 * the return to the guest): true when cr2 is in v's LDT window and the
 * guest's LDT page is now mapped there (retry the load). */
bool mm_ldt_window_fault(struct vcpu *v, uint64_t cr2);

/* #PF exits Xen fixes up itself (traps.c calls this first): a write to a
 * read-only mapped L1 under VMASST writable_pagetables is emulated as a
 * validated update; a fault on the LDT window maps the guest's LDT page
 * (or reflects the fault to the guest).  True when handled. */
bool pv_ro_page_fault(struct vcpu *v, uint64_t cr2, uint32_t pfec);

/* Hypercalls. */
long do_mmu_update(struct vcpu *v, const uint64_t *a);
long do_mmuext_op(struct vcpu *v, const uint64_t *a);
long do_update_va_mapping(struct vcpu *v, const uint64_t *a);
long do_update_va_mapping_otherdomain(struct vcpu *v, const uint64_t *a);
long do_set_gdt(struct vcpu *v, const uint64_t *a);
long do_update_descriptor(struct vcpu *v, const uint64_t *a);

#endif
