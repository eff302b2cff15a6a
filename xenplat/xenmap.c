/* Xen's virtual ranges inside guest address spaces (see xenmap.h). */
#include <string.h>
#include "xenemu/le.h"
#include "xenplat/domain.h"
#include "xenplat/xenmap.h"

#define PTE_XEN_TABLE  (PTE_P | PTE_RW | PTE_A | PTE_D)          /* supervisor */
#define PTE_GUEST_RO   (PTE_P | PTE_US | PTE_A)                  /* guest: read */
#define PTE_XEN_DATA   (PTE_P | PTE_RW | PTE_A | PTE_D | PTE_XD)
#define PTE_XEN_RO     (PTE_P | PTE_A | PTE_XD)

/* Xen's descriptors for selectors 0xe000.. (x86/desc.c). */
static const uint64_t xen_gdt64[] = {
    0,
    0x00af9b000000ffffull,   /* 0xe008 ring 0 code, 64-bit */
    0x00cf93000000ffffull,   /* 0xe010 ring 0 data */
    0,                       /* 0xe018 reserved */
    0x00cffb000000ffffull,   /* 0xe023 ring 3 code, compatibility */
    0x00cff3000000ffffull,   /* 0xe02b ring 3 data */
    0x00affb000000ffffull,   /* 0xe033 ring 3 code, 64-bit */
    0x00cf9b000000ffffull,   /* 0xe038 ring 0 code, compatibility */
};

static const uint64_t xen_gdt32[] = {
    0,
    0x00af9b000000ffffull,   /* 0xe008 ring 0 code, 64-bit */
    0x00cf93000000ffffull,   /* 0xe010 ring 0 data */
    0x00cfbb000000ffffull,   /* 0xe019 ring 1 code, compatibility */
    0x00cfb3000000ffffull,   /* 0xe021 ring 1 data */
    0x00cffb000000ffffull,   /* 0xe02b ring 3 code, compatibility */
    0x00cff3000000ffffull,   /* 0xe033 ring 3 data */
    0x00cf9b000000ffffull,   /* 0xe038 ring 0 code, compatibility */
};

static void pte_write(struct xen *x, uint64_t table, unsigned i, uint64_t v)
{
    le64_store(mfn_ptr(x, table) + i * 8, v);
}

static uint64_t pte_read(struct xen *x, uint64_t table, unsigned i)
{
    return le64_load(mfn_ptr(x, table) + i * 8);
}

static uint64_t table_alloc(struct xen *x)
{
    uint64_t mfn = frame_alloc(x, DOMID_XEN);
    if (mfn != ~0ull)
        x->frame[mfn].type = PGT_l1_page_table;  /* never guest-writable */
    return mfn;
}

static void fill_gdt_frame(struct xen *x, uint64_t mfn, const uint64_t *d,
                           size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        le64_store(mfn_ptr(x, mfn) + i * 8, d[i]);
}

/* 64-bit: L3 -> L2s -> L1s mapping the M2P frames read-only at 0. */
static int map_ro_mpt(struct xen *x)
{
    uint64_t l3 = table_alloc(x), l2 = ~0ull, l1 = ~0ull, f;

    if (l3 == ~0ull)
        return -1;
    x->ro_mpt_l3_mfn = l3;
    for (f = 0; f < x->m2p_frames; f++) {
        unsigned i1 = f % 512, i2 = (f / 512) % 512, i3 = (unsigned)(f / (512 * 512));
        if (f % (512 * 512) == 0) {
            if ((l2 = table_alloc(x)) == ~0ull)
                return -1;
            pte_write(x, l3, i3, l2 << PAGE_SHIFT | PTE_GUEST_RO);
        }
        if (i1 == 0) {
            if ((l1 = table_alloc(x)) == ~0ull)
                return -1;
            pte_write(x, l2, i2, l1 << PAGE_SHIFT | PTE_GUEST_RO);
        }
        pte_write(x, l1, i1, (x->m2p_mfn + f) << PAGE_SHIFT | PTE_GUEST_RO |
                  PTE_XD);
    }
    return 0;
}

/* Compat: L1s mapping the u32 M2P, for the Xen slots of compat L2s. */
static int map_compat_mpt(struct xen *x)
{
    uint64_t f, l1 = ~0ull;
    uint64_t max = (RO_MPT_VIRT_END_32 - RO_MPT_VIRT_START_32) >> PAGE_SHIFT;

    for (f = 0; f < x->m2p32_frames && f < max; f++) {
        if (f % 512 == 0) {
            if ((l1 = table_alloc(x)) == ~0ull)
                return -1;
            if (f == 0)
                x->compat_mpt_l1_mfn = l1;
            x->compat_mpt_l1_frames++;
        }
        pte_write(x, l1, f % 512, (x->m2p32_mfn + f) << PAGE_SHIFT |
                  PTE_GUEST_RO | PTE_XD);
    }
    return 0;
}

int xenmap_init(struct xen *x)
{
    x->zero_mfn = frame_alloc(x, DOMID_XEN);
    x->gdt64_mfn = frame_alloc(x, DOMID_XEN);
    x->gdt32_mfn = frame_alloc(x, DOMID_XEN);
    if (x->gdt32_mfn == ~0ull)
        return -1;
    fill_gdt_frame(x, x->gdt64_mfn, xen_gdt64, ARRAY_SIZE(xen_gdt64));
    fill_gdt_frame(x, x->gdt32_mfn, xen_gdt32, ARRAY_SIZE(xen_gdt32));
    if (map_ro_mpt(x) || map_compat_mpt(x))
        return -1;
    return 0;
}

/* ---- the per-domain area: GDT/LDT windows ------------------------------- */

/* The L1 of the per-domain area covering va (allocated on first use). */
static uint64_t perdomain_l1(struct domain *d, uint64_t va)
{
    struct xen *x = d->x;
    unsigned i3 = (va >> 30) & 511, i2 = (va >> 21) & 511;
    uint64_t e3 = pte_read(x, d->perdomain_l3_mfn, i3), l2, e2, l1;

    if (!(e3 & PTE_P)) {
        if ((l2 = table_alloc(x)) == ~0ull)
            return ~0ull;
        pte_write(x, d->perdomain_l3_mfn, i3, l2 << PAGE_SHIFT | PTE_XEN_TABLE);
    } else {
        l2 = (e3 & 0x000ffffffffff000ull) >> PAGE_SHIFT;
    }
    e2 = pte_read(x, l2, i2);
    if (e2 & PTE_P)
        return (e2 & 0x000ffffffffff000ull) >> PAGE_SHIFT;
    if ((l1 = table_alloc(x)) == ~0ull)
        return ~0ull;
    pte_write(x, l2, i2, l1 << PAGE_SHIFT | PTE_XEN_TABLE);
    return l1;
}

int xenmap_domain_init(struct domain *d)
{
    d->perdomain_l3_mfn = table_alloc(d->x);
    return d->perdomain_l3_mfn == ~0ull ? -1 : 0;
}

/* A present entry's frame, or ~0. */
static uint64_t entry_mfn(struct xen *x, uint64_t table, unsigned i)
{
    uint64_t e = pte_read(x, table, i);

    return e & PTE_P ? (e & 0x000ffffffffff000ull) >> PAGE_SHIFT : ~0ull;
}

void xenmap_domain_destroy(struct domain *d)
{
    struct xen *x = d->x;
    uint64_t l3 = d->perdomain_l3_mfn, l2, l1;
    unsigned i3, i2, i;

    for (i = 0; i < d->max_vcpus; i++)
        if (d->vcpu[i] && d->vcpu[i]->monitor_l4) {
            frame_free(x, d->vcpu[i]->monitor_l4);
            d->vcpu[i]->monitor_l4 = 0;
        }
    if (l3 == ~0ull || !l3)
        return;
    for (i3 = 0; i3 < 512; i3++) {
        if ((l2 = entry_mfn(x, l3, i3)) == ~0ull)
            continue;
        for (i2 = 0; i2 < 512; i2++)
            if ((l1 = entry_mfn(x, l2, i2)) != ~0ull)
                frame_free(x, l1);
        frame_free(x, l2);
    }
    frame_free(x, l3);
    d->perdomain_l3_mfn = ~0ull;
}

uint64_t xenmap_gdt_va(const struct vcpu *v)
{
    return PERDOMAIN_VIRT_START + ((uint64_t)v->id << GDT_LDT_VCPU_VA_SHIFT);
}

uint64_t xenmap_ldt_va(const struct vcpu *v)
{
    return xenmap_gdt_va(v) + LDT_WINDOW_OFFSET;
}

static void map_window_page(struct vcpu *v, uint64_t va, uint64_t pte)
{
    uint64_t l1 = perdomain_l1(v->d, va);

    if (l1 != ~0ull)
        pte_write(v->d->x, l1, (va >> PAGE_SHIFT) & 511, pte);
    cpu_flush_code(&v->cpu);     /* drops the TLB: the window changed */
}

void xenmap_map_gdt_frame(struct vcpu *v, unsigned i, uint64_t mfn)
{
    struct xen *x = v->d->x;
    uint64_t pte;

    if (i == FIRST_RESERVED_GDT_PAGE)
        pte = (is_pv32(v->d) ? x->gdt32_mfn : x->gdt64_mfn) << PAGE_SHIFT |
              PTE_XEN_RO;
    else if (mfn)
        pte = mfn << PAGE_SHIFT | PTE_XEN_DATA;
    else
        pte = x->zero_mfn << PAGE_SHIFT | PTE_XEN_RO;
    map_window_page(v, xenmap_gdt_va(v) + (uint64_t)i * PAGE_SIZE, pte);
}

void xenmap_map_ldt_frame(struct vcpu *v, unsigned i, uint64_t mfn)
{
    uint64_t pte = mfn ? mfn << PAGE_SHIFT | PTE_XEN_DATA : 0;

    map_window_page(v, xenmap_ldt_va(v) + (uint64_t)i * PAGE_SIZE, pte);
}

/* ---- Xen's slots in guest tables ----------------------------------------- */

bool xenmap_is_xen_l4_slot(unsigned i)
{
    return i >= L4_FIRST_XEN_SLOT && i <= L4_LAST_XEN_SLOT;
}

bool xenmap_is_xen_compat_l2_slot(unsigned i)
{
    return i >= COMPAT_L2_FIRST_XEN_SLOT && i < 512;
}

uint64_t xenmap_ro_mpt_l4e(const struct xen *x)
{
    return x->ro_mpt_l3_mfn << PAGE_SHIFT | PTE_GUEST_RO;
}

void xenmap_fill_l4(struct domain *d, uint8_t *l4)
{
    unsigned i;

    for (i = L4_FIRST_XEN_SLOT; i <= L4_LAST_XEN_SLOT; i++)
        le64_store(l4 + i * 8, 0);
    le64_store(l4 + L4_SLOT_RO_MPT * 8, xenmap_ro_mpt_l4e(d->x));
    le64_store(l4 + L4_SLOT_PERDOMAIN * 8,
               d->perdomain_l3_mfn << PAGE_SHIFT | PTE_XEN_TABLE);
}

void xenmap_fill_compat_l2(struct domain *d, uint8_t *l2)
{
    struct xen *x = d->x;
    unsigned i;

    for (i = COMPAT_L2_FIRST_XEN_SLOT; i < 512; i++) {
        uint64_t n = i - COMPAT_L2_FIRST_XEN_SLOT;
        uint64_t e = n < x->compat_mpt_l1_frames
            ? (x->compat_mpt_l1_mfn + n) << PAGE_SHIFT | PTE_GUEST_RO : 0;
        le64_store(l2 + i * 8, e);
    }
}

void xenmap_set_compat_l3(struct vcpu *v, uint64_t l3_mfn)
{
    struct xen *x = v->d->x;

    if (!v->monitor_l4) {
        v->monitor_l4 = table_alloc(x);
        if (v->monitor_l4 == ~0ull) {
            v->monitor_l4 = 0;
            return;
        }
        xenmap_fill_l4(v->d, mfn_ptr(x, v->monitor_l4));
    }
    /* The guest's PAE L3 serves as a long-mode L3 (Xen adds U and RW to
     * its entries when validating it). */
    pte_write(x, v->monitor_l4, 0, l3_mfn << PAGE_SHIFT | PTE_P | PTE_RW |
              PTE_US | PTE_A | PTE_D);
    v->guest_l3 = l3_mfn;
}
