/*
 * INTERIM PV MMU: page-table base handling only.  Validation, reference
 * counting and the MMU hypercalls arrive with the full implementation;
 * until then the MMU hypercalls return -ENOSYS.
 */
#include "xenemu/le.h"
#include "xenplat/guest.h"
#include "xenplat/mm.h"
#include "xenplat/xenmap.h"

int get_page(struct xen *x, uint64_t mfn, struct domain *d)
{
    struct page_info *pg = mfn_page(x, mfn);

    if (!pg || pg->owner != d->domid)
        return -XEN_EINVAL;
    pg->count++;
    return 0;
}

void put_page(struct xen *x, uint64_t mfn)
{
    struct page_info *pg = mfn_page(x, mfn);

    if (pg && pg->count)
        pg->count--;
}

int get_page_type(struct domain *d, uint64_t mfn, enum pgt type)
{
    struct page_info *pg = mfn_page(d->x, mfn);

    if (!pg)
        return -XEN_EINVAL;
    if (pg->type_count && pg->type != type)
        return -XEN_EINVAL;
    pg->type = (uint8_t)type;
    pg->type_count++;
    return 0;
}

void put_page_type(struct domain *d, uint64_t mfn)
{
    struct page_info *pg = mfn_page(d->x, mfn);

    if (pg && pg->type_count)
        pg->type_count--;
}

int get_page_and_type(struct domain *d, uint64_t mfn, enum pgt type)
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

#define PTE_GUEST_KERNEL (1ull << 52)
#define PTE_ADDR 0x000ffffffffff000ull

/* Xen's adjust_guest_l1e for 64-bit guests: kernel pages become user
 * pages marked _PAGE_GUEST_KERNEL, user pages global. */
static void adjust_tables(struct domain *d, uint64_t mfn, unsigned level)
{
    uint8_t *t = mfn_ptr(d->x, mfn);
    unsigned i;

    for (i = 0; i < 512; i++) {
        uint64_t e = le64_load(t + i * 8);
        if (!(e & PTE_P) || (level == 4 && xenmap_is_xen_l4_slot(i)))
            continue;
        if (level == 1) {
            e |= (e & PTE_US) ? PTE_G : (PTE_US | PTE_GUEST_KERNEL);
            le64_store(t + i * 8, e);
        } else if (!(level == 2 && (e & PTE_PS))) {
            le64_store(t + i * 8, e | PTE_US);
            adjust_tables(d, (e & PTE_ADDR) >> PAGE_SHIFT, level - 1);
        }
    }
}

/* Xen's adjust_guest_l3e for 32-bit guests: the PAE L3 serves as a
 * long-mode L3, whose entries need U and RW. */
static void adjust_compat_l3(struct domain *d, uint64_t mfn)
{
    uint8_t *t = mfn_ptr(d->x, mfn);
    unsigned i;

    for (i = 0; i < 4; i++) {
        uint64_t e = le64_load(t + i * 8);
        if (e & PTE_P)
            le64_store(t + i * 8, e | PTE_US | PTE_RW);
    }
}

int mm_pin_table(struct domain *d, uint64_t mfn, enum pgt type)
{
    int r = get_page_and_type(d, mfn, type);

    if (r == 0 && !is_pv32(d) && type == PGT_l4_page_table)
        adjust_tables(d, mfn, 4);
    if (r == 0 && is_pv32(d) && type == PGT_l3_page_table)
        adjust_compat_l3(d, mfn);
    if (r == 0)
        d->x->frame[mfn].flags |= PGF_pinned;
    return r;
}

int mm_new_baseptr(struct vcpu *v, uint64_t mfn)
{
    if (is_pv32(v->d))
        xenmap_set_compat_l3(v, mfn);
    else
        v->kernel_l4 = mfn;
    mm_load_cr3(v);
    return 0;
}

int mm_new_user_baseptr(struct vcpu *v, uint64_t mfn)
{
    v->user_l4 = mfn;
    return 0;
}

void mm_load_cr3(struct vcpu *v)
{
    uint64_t top;

    if (is_pv32(v->d))
        top = v->monitor_l4;
    else
        top = v->kernel_mode ? v->kernel_l4 : v->user_l4;
    cpu_set_cr3(&v->cpu, top << PAGE_SHIFT);
}

long do_mmu_update(struct vcpu *v, const uint64_t *a)
{
    (void)v; (void)a;
    return -XEN_ENOSYS;
}

long do_mmuext_op(struct vcpu *v, const uint64_t *a)
{
    (void)v; (void)a;
    return -XEN_ENOSYS;
}

long do_update_va_mapping(struct vcpu *v, const uint64_t *a)
{
    (void)v; (void)a;
    return -XEN_ENOSYS;
}

long do_update_va_mapping_otherdomain(struct vcpu *v, const uint64_t *a)
{
    (void)v; (void)a;
    return -XEN_ENOSYS;
}

long do_set_gdt(struct vcpu *v, const uint64_t *a)
{
    (void)v; (void)a;
    return -XEN_ENOSYS;
}

long do_update_descriptor(struct vcpu *v, const uint64_t *a)
{
    (void)v; (void)a;
    return -XEN_ENOSYS;
}
