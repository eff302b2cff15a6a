/*
 * Page faults Xen fixes up before the guest sees them (x86/traps.c
 * fixup_page_fault, x86/pv/ro-page-fault.c):
 *
 * - a fault on the vCPU's LDT window maps the guest's LDT page there
 *   (pv_map_ldt_shadow_page) or reflects the fault at the guest's LDT
 *   address;
 * - under VMASST writable_pagetables, a kernel write to a read-only
 *   mapping of one of its L1 tables is emulated as a validated PTE update
 *   (ptwr).  xenemu runs the faulting instruction once with the mapping
 *   made writable, then validates every entry it changed as Xen's
 *   ptwr_emulated_update would; an entry that does not validate undoes the
 *   instruction and the guest gets its #PF.
 */
#include <stdlib.h>
#include <string.h>
#include "xenemu/le.h"
#include "xenplat/guest.h"
#include "xenplat/mm.h"
#include "xenplat/traps.h"
#include "xenplat/xenmap.h"

#define VMASST_writable_pagetables 2
#define GDT_LDT_AREA (MAX_VIRT_CPUS * (1ull << GDT_LDT_VCPU_VA_SHIFT))

/* handle_gdt_ldt_mapping_fault */
static bool gdt_ldt_fault(struct vcpu *v, uint64_t cr2, uint32_t pfec)
{
    uint64_t off = cr2 - PERDOMAIN_VIRT_START;
    bool ldt = (off >> (GDT_LDT_VCPU_VA_SHIFT - 1)) & 1;

    if ((off >> GDT_LDT_VCPU_VA_SHIFT) != v->id)
        return false;
    off &= (1ull << (GDT_LDT_VCPU_VA_SHIFT - 1)) - 1;
    if (!ldt) {
        pv_inject_exception(v, EXC_GP, true, (uint32_t)off & ~7u);
        return true;
    }
    if (mm_map_ldt_page(v, (unsigned)off))
        return true;
    if (!is_canonical(v->ldt_base + off))
        pv_inject_exception(v, EXC_GP, true, ((uint32_t)off & ~3u) | 4);
    else
        pv_inject_page_fault(v, v->ldt_base + off, pfec);
    return true;
}

bool mm_ldt_window_fault(struct vcpu *v, uint64_t cr2)
{
    uint64_t off = cr2 - PERDOMAIN_VIRT_START;

    if (cr2 < PERDOMAIN_VIRT_START || off >= GDT_LDT_AREA ||
        (off >> GDT_LDT_VCPU_VA_SHIFT) != v->id ||
        !((off >> (GDT_LDT_VCPU_VA_SHIFT - 1)) & 1))
        return false;
    off &= (1ull << (GDT_LDT_VCPU_VA_SHIFT - 1)) - 1;
    return mm_map_ldt_page(v, (unsigned)off);
}

static bool guest_kernel_mode(struct vcpu *v)
{
    return is_pv32(v->d) ? (v->cpu.seg[SEG_CS].sel & 3) == 1 : v->kernel_mode;
}

struct ptwr {
    struct domain *d;
    uint64_t table;             /* the L1 being written */
    uint8_t before[PAGE_SIZE];
    uint64_t taken[512];        /* new entries whose references we hold */
    unsigned nr_taken;
};

/* Take references for every changed entry; false when one does not
 * validate (references dropped again). */
static bool ptwr_validate(struct ptwr *w)
{
    struct xen *x = w->d->x;
    const uint8_t *now = mfn_ptr(x, w->table);
    unsigned i;

    w->nr_taken = 0;
    for (i = 0; i < 512; i++) {
        uint64_t o = le64_load(w->before + i * 8), n = le64_load(now + i * 8);
        if (o == n || !(n & PTE_P))
            continue;
        if (mm_get_l1e(w->d, n, w->d) == 0) {
            w->taken[w->nr_taken++] = i;
            continue;
        }
        /* A 32-bit guest writing a PAE PTE's upper half first: Xen drops
         * P and expects the lower half next. */
        if (is_pv32(w->d) && (uint32_t)o == (uint32_t)n) {
            le64_store(mfn_ptr(x, w->table) + i * 8, n & ~PTE_P);
            continue;
        }
        while (w->nr_taken)
            mm_put_l1e(w->d, le64_load(now + w->taken[--w->nr_taken] * 8));
        return false;
    }
    return true;
}

/* Commit: adjusted new entries, old references dropped. */
static void ptwr_commit(struct ptwr *w)
{
    struct xen *x = w->d->x;
    unsigned i;

    for (i = 0; i < 512; i++) {
        uint64_t o = le64_load(w->before + i * 8);
        uint64_t n = mm_pt_read(x, w->table, i);
        if (o == n)
            continue;
        mm_pt_write(x, w->table, i, mm_adjust_l1e(w->d, n));
        mm_put_l1e(w->d, o);
    }
}

static void ptwr_undo(struct ptwr *w)
{
    phys_write(&w->d->x->mem, w->table << PAGE_SHIFT, w->before, PAGE_SIZE);
}

struct regs {
    uint64_t r[16], rip, rflags;
};

/* Run the faulting instruction with the mapping of cr2 writable. */
static bool ptwr_emulate(struct vcpu *v, uint64_t cr2, uint64_t l1,
                         unsigned idx, uint64_t table)
{
    static unsigned depth;
    struct xen *x = v->d->x;
    struct cpu *c = &v->cpu;
    struct ptwr *w;
    struct cpu_event ev;
    struct regs saved;
    uint64_t pte = mm_pt_read(x, l1, idx);
    bool retired, ok = true;

    if (depth)
        return false;          /* the instruction writes two tables */
    if (!(w = malloc(sizeof(*w))))
        return false;
    depth++;
    w->d = v->d;
    w->table = table;
    memcpy(w->before, mfn_ptr(x, table), PAGE_SIZE);
    memcpy(saved.r, c->r, sizeof(saved.r));
    saved.rip = c->rip;
    saved.rflags = cpu_get_rflags(c);

    mm_pt_write(x, l1, idx, pte | PTE_RW);
    tlb_flush_page(&c->tlb, cr2);
    retired = cpu_exec_one(c, &ev);
    mm_pt_write(x, l1, idx, pte);
    tlb_flush_page(&c->tlb, cr2);

    if (retired && ptwr_validate(w)) {
        ptwr_commit(w);
    } else {
        ptwr_undo(w);
        if (retired) {
            /* Not a valid PTE: the guest sees the original #PF. */
            memcpy(c->r, saved.r, sizeof(saved.r));
            c->rip = saved.rip;
            cpu_set_rflags(c, saved.rflags);
            ok = false;
        }
    }
    depth--;
    free(w);
    if (!retired && ev.vector == 0xff)
        return false;
    if (ok && ev.vector != 0xff)
        c->hooks.exit(c->opaque, c, &ev);
    return ok;
}

bool pv_ro_page_fault(struct vcpu *v, uint64_t cr2, uint32_t pfec)
{
    struct domain *d = v->d;
    struct xen *x = d->x;
    uint64_t l1, pte, table;
    unsigned off;
    bool ok = false;

    if (!(pfec & (PFEC_U | PFEC_RSVD)) && cr2 >= PERDOMAIN_VIRT_START &&
        cr2 - PERDOMAIN_VIRT_START < GDT_LDT_AREA)
        return gdt_ldt_fault(v, cr2, pfec);
    if (!guest_kernel_mode(v) || (pfec & (PFEC_RSVD | PFEC_I)) ||
        (pfec & (PFEC_W | PFEC_P)) != (PFEC_W | PFEC_P) ||
        !((d->vm_assist >> VMASST_writable_pagetables) & 1))
        return false;
    if (!mm_addr_ok(d, cr2) || !mm_guest_l1e(v, cr2, true, &l1, &off))
        return false;
    pte = mm_pt_read(x, l1, off / 8);
    if ((pte & (PTE_P | PTE_RW)) != PTE_P)
        return false;
    table = pte_mfn(pte);
    if (get_page(x, table, d))
        return false;
    if (x->frame[table].type == PGT_l1_page_table &&
        x->frame[table].type_count && (x->frame[table].flags & PGF_validated))
        ok = ptwr_emulate(v, cr2, l1, off / 8, table);
    put_page(x, table);
    return ok;
}
