/*
 * The PV MMU as Xen enforces it (x86/mm.c, x86/pv/mm.c): page types and
 * reference counts, validation of page tables and descriptor pages, and the
 * hypercalls that change them.  A guest can never map a page table or a
 * descriptor page writable, map a frame it does not own, or reach Xen's
 * memory.
 */
#ifndef XENEMU_XENPLAT_MM_H
#define XENEMU_XENPLAT_MM_H

#include "xenplat/domain.h"

/* Reference counting (x86/mm.c get_page/get_page_type...).  0 or -errno. */
int get_page(struct xen *x, uint64_t mfn, struct domain *d);
void put_page(struct xen *x, uint64_t mfn);
int get_page_type(struct domain *d, uint64_t mfn, enum pgt type);
void put_page_type(struct domain *d, uint64_t mfn);
int get_page_and_type(struct domain *d, uint64_t mfn, enum pgt type);
void put_page_and_type(struct domain *d, uint64_t mfn);

/* Pin a top-level table (MMUEXT_PIN_Ln_TABLE) and make it the vCPU's
 * page-table base (MMUEXT_NEW_BASEPTR): what the toolstack and Xen do at
 * start of day.  0 or -errno. */
int mm_pin_table(struct domain *d, uint64_t mfn, enum pgt type);
int mm_new_baseptr(struct vcpu *v, uint64_t mfn);
int mm_new_user_baseptr(struct vcpu *v, uint64_t mfn);

/* Load CR3 for the vCPU's current mode (64-bit: kernel or user L4;
 * 32-bit: its monitor L4). */
void mm_load_cr3(struct vcpu *v);

/* Hypercalls. */
long do_mmu_update(struct vcpu *v, const uint64_t *a);
long do_mmuext_op(struct vcpu *v, const uint64_t *a);
long do_update_va_mapping(struct vcpu *v, const uint64_t *a);
long do_update_va_mapping_otherdomain(struct vcpu *v, const uint64_t *a);
long do_set_gdt(struct vcpu *v, const uint64_t *a);
long do_update_descriptor(struct vcpu *v, const uint64_t *a);

#endif
