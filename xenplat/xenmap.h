/*
 * Xen's virtual ranges as a guest's page tables see them.
 *
 * 64-bit guests: L4 slots 256..271 are Xen's.  Slot 256 maps the M2P table
 * read-only for the guest (RO_MPT_VIRT_START); slot 260 is the per-domain
 * area holding each vCPU's GDT and LDT windows (supervisor only: the CPU
 * reads descriptors through it, the guest cannot); the other slots are
 * empty here.  Xen writes these slots into every L4 it validates, so the
 * guest sees them in its own tables.
 *
 * 32-bit guests run in compatibility mode under a per-vCPU L4 of Xen's
 * whose slot 0 is the guest's L3; the L2 under L3 slot 3 carries Xen's
 * slots 428..511, mapping the compat M2P (u32 entries) at 0xF5800000.
 */
#ifndef XENEMU_XENPLAT_XENMAP_H
#define XENEMU_XENPLAT_XENMAP_H

#include "xenplat/xen.h"

struct domain;
struct vcpu;

#define L4_SLOT_RO_MPT          256
#define L4_SLOT_PERDOMAIN       260
#define L4_FIRST_XEN_SLOT       256
#define L4_LAST_XEN_SLOT        271
#define PERDOMAIN_VIRT_START    0xffff820000000000ull
#define GDT_LDT_VCPU_VA_SHIFT   17          /* 128 KiB per vCPU */
#define LDT_WINDOW_OFFSET       (64u << 10)

#define COMPAT_L2_FIRST_XEN_SLOT 428        /* l2 offset of 0xF5800000 */

/* The Xen GDT entries (selectors >= 0xe000) for each ABI. */
#define XEN_GDT_FRAMES 2

int xenmap_init(struct xen *x);
int xenmap_domain_init(struct domain *d);
/* Give back Xen's frames for d: the per-domain area's tables and each
 * vCPU's compat monitor L4. */
void xenmap_domain_destroy(struct domain *d);

/* Write Xen's slots into a guest L4 / the Xen part of a compat L2. */
void xenmap_fill_l4(struct domain *d, uint8_t *l4);
void xenmap_fill_compat_l2(struct domain *d, uint8_t *l2);
/* The L4 entry of the read-only M2P (slot L4_SLOT_RO_MPT). */
uint64_t xenmap_ro_mpt_l4e(const struct xen *x);
/* Is slot i of a table of this level Xen's (not the guest's)? */
bool xenmap_is_xen_l4_slot(unsigned i);
bool xenmap_is_xen_compat_l2_slot(unsigned i);

/* The vCPU's GDT and LDT windows; map a frame into them (mfn 0: the GDT
 * slot shows Xen's zero page, the LDT slot becomes not present). */
uint64_t xenmap_gdt_va(const struct vcpu *v);
uint64_t xenmap_ldt_va(const struct vcpu *v);
void xenmap_map_gdt_frame(struct vcpu *v, unsigned i, uint64_t mfn);
void xenmap_map_ldt_frame(struct vcpu *v, unsigned i, uint64_t mfn);

/* Build the L4 a 32-bit guest's vCPU runs under, for guest L3 l3_mfn. */
void xenmap_set_compat_l3(struct vcpu *v, uint64_t l3_mfn);

#endif
