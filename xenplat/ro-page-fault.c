/*
 * Page faults Xen fixes up before the guest sees them (x86/traps.c
 * fixup_page_fault, x86/pv/ro-page-fault.c):
 *
 * - a fault on the vCPU's LDT window maps the guest's LDT page there
 *   (pv_map_ldt_shadow_page) or reflects the fault at the guest's LDT
 *   address;
 * - under VMASST writable_pagetables, a kernel write to a read-only
 *   mapping of one of its L1 tables is emulated as Xen's ptwr does it
 *   (ptwr_emulated_write/_update): the faulting instruction runs once with
 *   the L1 mapped through an MMIO window, and each store it makes is
 *   checked and done by Xen's rules — 1, 2, 4 or 8 bytes, naturally
 *   aligned, inside the faulting page (a store elsewhere, misaligned or
 *   straddling two entries is unhandleable: the instruction is abandoned
 *   and the guest gets its #PF); a partial store is merged into the whole
 *   entry, which must validate (a 32-bit guest's upper-half store of a
 *   bad PAE entry has P dropped instead).  Stores done before an
 *   unhandleable one stay, as with Xen's emulator.
 */
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

/* The emulation under way. */
struct ptwr {
    struct domain *d;
    uint64_t table;             /* the L1 being written */
    uint64_t cr2;
    bool failed;                /* X86EMUL_UNHANDLEABLE */
};

static struct ptwr *ptwr_active;

/* Reads through the window see the L1; stores never reach it (the write
 * filter does them). */
static uint64_t ptwr_window_read(void *opaque, uint64_t addr, unsigned size)
{
    struct xen *x = opaque;

    if (!ptwr_active)
        return ~0ull;
    return le_load(mfn_ptr(x, ptwr_active->table) + addr, size);
}

static void ptwr_window_write(void *opaque, uint64_t addr, unsigned size,
                              uint64_t val)
{
    (void)opaque; (void)addr; (void)size; (void)val;
}

/* ptwr_emulated_update for a store of size bytes at page offset off. */
static void ptwr_update(struct ptwr *w, unsigned off, unsigned size,
                        uint64_t val)
{
    struct domain *d = w->d;
    struct xen *x = d->x;
    unsigned i = off / 8, sub = off % 8;
    uint64_t old = mm_pt_read(x, w->table, i);

    if (size != 8) {
        uint64_t mask = ((1ull << (size * 8)) - 1) << (sub * 8);
        val = (old & ~mask) | ((val << (sub * 8)) & mask);
    }
    if ((val & PTE_P) && mm_get_l1e(d, val, d)) {
        /* An upper-half store of a PAE entry, taken to come before the
         * lower half: P goes. */
        if (!is_pv32(d) || size != 4 || !(off & 4)) {
            w->failed = true;
            return;
        }
        val &= ~PTE_P;
    }
    mm_pt_write(x, w->table, i, mm_adjust_l1e(d, val));
    mm_put_l1e(d, old);
}

static bool ptwr_write_filter(void *opaque, struct cpu *c, uint64_t la,
                              unsigned size, uint64_t val)
{
    struct ptwr *w = ptwr_active;

    (void)opaque; (void)c;
    if (!w || w->failed)
        return false;
    if (((la ^ w->cr2) & PAGE_MASK) || size > 8 || (size & (size - 1)) ||
        (la & (size - 1))) {
        w->failed = true;
        return false;
    }
    ptwr_update(w, (unsigned)(la & (PAGE_SIZE - 1)), size, val);
    return false;
}

static uint64_t ptwr_window(struct xen *x)
{
    if (!x->ptwr_window &&
        mem_add_mmio(&x->mem, x->mem.ram_size, PAGE_SIZE, ptwr_window_read,
                     ptwr_window_write, x) == 0)
        x->ptwr_window = x->mem.ram_size;
    return x->ptwr_window;
}

struct regs {
    uint64_t r[16], rip, rflags;
};

/* Run the faulting instruction with the L1 behind the window. */
static bool ptwr_emulate(struct vcpu *v, uint64_t cr2, uint64_t l1,
                         unsigned idx, uint64_t table)
{
    struct xen *x = v->d->x;
    struct cpu *c = &v->cpu;
    struct ptwr w = { .d = v->d, .table = table, .cr2 = cr2 };
    struct cpu_event ev;
    struct regs saved;
    uint64_t pte = mm_pt_read(x, l1, idx), window = ptwr_window(x);
    bool retired;

    if (!window || ptwr_active)
        return false;
    memcpy(saved.r, c->r, sizeof(saved.r));
    saved.rip = c->rip;
    saved.rflags = cpu_get_rflags(c);

    /* Every store of the instruction goes through the filter: none may
     * find a writable translation already in the TLB. */
    ptwr_active = &w;
    c->hooks.write_filter = ptwr_write_filter;
    mm_pt_write(x, l1, idx, (pte & ~PTE_ADDR_MASK) | window | PTE_RW);
    tlb_flush_all(&c->tlb);
    retired = cpu_exec_one(c, &ev);
    mm_pt_write(x, l1, idx, pte);
    tlb_flush_all(&c->tlb);
    c->hooks.write_filter = NULL;
    ptwr_active = NULL;

    if (w.failed) {
        /* Unhandleable: the guest sees the original #PF. */
        memcpy(c->r, saved.r, sizeof(saved.r));
        c->rip = saved.rip;
        cpu_set_rflags(c, saved.rflags);
        return false;
    }
    if (!retired && ev.vector == 0xff)
        return false;
    if (ev.vector != 0xff)
        c->hooks.exit(c->opaque, c, &ev);
    return true;
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
