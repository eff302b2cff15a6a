/*
 * Descriptor tables of PV guests (x86/pv/descriptor-tables.c): set_gdt,
 * update_descriptor, the checks every guest descriptor passes, and the
 * LDT (MMUEXT_SET_LDT; its pages are mapped into the vCPU's LDT window
 * when the CPU first touches them, see ro-page-fault.c).
 */
#include "xenemu/le.h"
#include "xenplat/guest.h"
#include "xenplat/mm.h"
#include "xenplat/xenmap.h"

#define SEG_P        (1u << 15)       /* in the high dword */
#define SEG_S        (1u << 12)
#define SEG_DPL      (3u << 13)
#define SEG_TYPE     (15u << 8)
#define SEG_L        (1u << 21)
#define SEG_G        (1u << 23)
#define TYPE_CALL_GATE 0xc00u
#define LDT_SELECTOR 0xe050           /* Xen's LDT_ENTRY << 3 */
#define FLAT_COMPAT_KERNEL_CS 0xe019

static unsigned kernel_rpl(const struct domain *d)
{
    return is_pv32(d) ? 1 : 3;
}

/* guest_gate_selector_okay */
static bool gate_selector_ok(const struct domain *d, unsigned sel)
{
    return (sel >> 3) < FIRST_RESERVED_GDT_ENTRY ||
           sel == (is_pv32(d) ? FLAT_COMPAT_KERNEL_CS : FLAT_KERNEL_CS64) ||
           (sel & 4);
}

bool check_descriptor(const struct domain *d, uint64_t *desc)
{
    uint32_t a = (uint32_t)*desc, b = (uint32_t)(*desc >> 32);
    unsigned dpl, cs;

    if (!(b & SEG_P))
        return true;           /* a not-present descriptor always faults */
    dpl = (b >> 13) & 3;
    if (dpl < kernel_rpl(d))
        dpl = kernel_rpl(d);
    b = (b & ~SEG_DPL) | dpl << 13;
    if (b & SEG_S) {
        if (is_pv32(d)) {
            uint32_t base = (b & 0xff000000u) | (b & 0xff) << 16 | a >> 16;
            uint64_t limit = ((b & 0xf0000u) | (a & 0xffff)) + 1ull;
            if (b & SEG_L)
                return false;
            if (b & SEG_G)
                limit <<= 12;
            /* Flat segments reaching Xen's hole cover all 4 GiB. */
            if (base == 0 && limit > HYPERVISOR_VIRT_START_32) {
                a |= 0x0000ffffu;
                b |= 0x000f0000u;
            }
        }
        goto good;
    }
    if ((b & SEG_TYPE) == 0)
        return true;           /* the upper half of a 64-bit gate */
    if ((b & SEG_TYPE) != TYPE_CALL_GATE)
        return false;
    cs = a >> 16;
    if (!gate_selector_ok(d, cs))
        return false;
    /* DPL 0: every use faults and Xen emulates the gate; the guest's DPL
     * travels in the selector's RPL. */
    b &= ~SEG_DPL;
    cs = (cs & ~3u) | dpl;
    a = (a & 0xffffu) | cs << 16;
    if (b & (is_pv32(d) ? 0xe0u : 0xffu))
        return false;
good:
    *desc = (uint64_t)b << 32 | a;
    return true;
}

/* validate_segdesc_page: the fixed-up descriptors are written back. */
int mm_validate_segdesc_page(struct domain *d, uint64_t mfn)
{
    unsigned i;

    for (i = 0; i < 512; i++) {
        uint64_t desc = mm_pt_read(d->x, mfn, i), orig = desc;
        if (!check_descriptor(d, &desc))
            return -XEN_EINVAL;
        if (desc != orig)
            mm_pt_write(d->x, mfn, i, desc);
    }
    return 0;
}

/* ---- the GDT ------------------------------------------------------------------ */

static void destroy_gdt(struct vcpu *v)
{
    unsigned i;

    for (i = 0; i < FIRST_RESERVED_GDT_PAGE; i++) {
        if (v->gdt_frames[i])
            put_page_and_type(v->d, v->gdt_frames[i]);
        v->gdt_frames[i] = 0;
        xenmap_map_gdt_frame(v, i, 0);
    }
    v->nr_gdt_frames = 0;
    v->gdt_ents = 0;
}

long mm_set_gdt(struct vcpu *v, uint64_t *frames, unsigned entries)
{
    unsigned i, n = (entries + 511) / 512;

    for (i = 0; i < n; i++)
        if (get_page_and_type(v->d, frames[i], PGT_seg_desc_page))
            break;
    if (i < n) {
        while (i--)
            put_page_and_type(v->d, frames[i]);
        return -XEN_EINVAL;
    }
    destroy_gdt(v);
    v->gdt_ents = entries;
    v->nr_gdt_frames = n;
    for (i = 0; i < n; i++) {
        v->gdt_frames[i] = frames[i];
        xenmap_map_gdt_frame(v, i, frames[i]);
    }
    mm_flush_tlb(v);
    return 0;
}

long do_set_gdt(struct vcpu *v, const uint64_t *a)
{
    uint64_t list = a[0], frames[FIRST_RESERVED_GDT_PAGE];
    unsigned entries = (unsigned)(uint32_t)a[1], i, n = (entries + 511) / 512;

    if (entries > FIRST_RESERVED_GDT_ENTRY)
        return -XEN_EINVAL;
    if (!guest_range_ok(v, list, (uint64_t)n * v->d->abi->ulong_size))
        return -XEN_EFAULT;
    for (i = 0; i < n; i++)
        if (get_guest_ulong(v, list + (uint64_t)i * v->d->abi->ulong_size,
                            &frames[i]))
            return -XEN_EFAULT;
    return mm_set_gdt(v, frames, entries);
}

long do_update_descriptor(struct vcpu *v, const uint64_t *a)
{
    struct domain *d = v->d;
    uint64_t pa = is_pv32(d) ? (a[0] | a[1] << 32) : a[0];
    uint64_t desc = is_pv32(d) ? (a[2] | a[3] << 32) : a[1];
    uint64_t mfn = pa >> PAGE_SHIFT;
    struct page_info *pg;
    long rc = -XEN_EINVAL;

    if ((pa & 7) || !check_descriptor(d, &desc))
        return -XEN_EINVAL;
    if (get_page(d->x, mfn, d))
        return -XEN_EINVAL;
    pg = &d->x->frame[mfn];
    if (get_page_type(d, mfn, pg->type == PGT_seg_desc_page
                               ? PGT_seg_desc_page : PGT_writable_page) == 0) {
        maddr_store(d->x, pa, 8, desc);
        put_page_type(d, mfn);
        rc = 0;
    }
    put_page(d->x, mfn);
    return rc;
}

/* ---- the LDT -------------------------------------------------------------------- */

/* pv_destroy_ldt: drop the LDT pages mapped so far. */
void mm_destroy_ldt(struct vcpu *v)
{
    unsigned i;
    bool dropped = false;

    for (i = 0; i < 16; i++) {
        if (!v->ldt_shadow[i])
            continue;
        xenmap_map_ldt_frame(v, i, 0);
        put_page_and_type(v->d, v->ldt_shadow[i]);
        v->ldt_shadow[i] = 0;
        dropped = true;
    }
    if (dropped)
        mm_flush_tlb(v);
}

/* load_LDT: the CPU's LDTR covers the window the pages appear in. */
static void load_ldt(struct vcpu *v)
{
    struct cpu *c = &v->cpu;

    if (!v->ldt_ents) {
        c->ldtr = (struct seg){ 0, 0, 0, 0 };
        return;
    }
    c->ldtr = (struct seg){ LDT_SELECTOR, SEGA_P | 2,
                            v->ldt_ents * 8 - 1, xenmap_ldt_va(v) };
}

int mm_set_ldt(struct vcpu *v, uint64_t va, unsigned ents)
{
    uint64_t ptr = ents ? va : 0;

    if (ents > 8192 || (ents && ((ptr & (PAGE_SIZE - 1)) ||
                                 !mm_addr_ok(v->d, ptr))))
        return -XEN_EINVAL;
    if (v->ldt_ents != ents || v->ldt_base != ptr) {
        mm_destroy_ldt(v);
        v->ldt_base = ptr;
        v->ldt_ents = ents;
        load_ldt(v);
    }
    return 0;
}

/* pv_map_ldt_shadow_page: map the guest's LDT page holding byte off. */
bool mm_map_ldt_page(struct vcpu *v, unsigned off)
{
    struct domain *d = v->d;
    uint64_t linear = v->ldt_base + off, l1, e, mfn;
    unsigned eoff, slot = off >> PAGE_SHIFT;

    if ((off >> 3) >= v->ldt_ents || slot >= 16 || v->ldt_shadow[slot])
        return false;
    if (is_pv32(d))
        linear = (uint32_t)linear;
    if (!mm_guest_l1e(v, linear, true, &l1, &eoff))
        return false;
    e = mm_pt_read(d->x, l1, eoff / 8);
    if (!(e & PTE_P))
        return false;
    mfn = pte_mfn(e);
    if (get_page_and_type(d, mfn, PGT_seg_desc_page))
        return false;
    v->ldt_shadow[slot] = mfn;
    xenmap_map_ldt_frame(v, slot, mfn);
    return true;
}
