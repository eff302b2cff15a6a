/*
 * The PV domain builder (tools/libs/guest/xg_dom_core.c xc_dom_build_image,
 * xg_dom_x86.c): a bump allocator hands out the guest's pages from
 * virt_base upwards — kernel, ramdisk, p2m list, start_info, xenstore and
 * console pages, page tables, boot stack — and the initial page tables map
 * [virt_base, virt_pgtab_end) linearly.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xenemu/le.h"
#include "xenplat/builder.h"
#include "xenplat/guest.h"
#include "xenplat/mm.h"
#include "xenplat/traps.h"
#include "xenplat/xenmap.h"

#define MAX_LEVELS 4
#define BOOTSTACK_AND_PADDING_PAGES (1 + (512u << 10) / PAGE_SIZE)

typedef unsigned long long ull;

/* One level of the initial page tables: the tables covering [from, to]. */
struct pt_level {
    uint64_t from, to;         /* VAs, aligned to the level's span */
    uint64_t first_pfn;        /* pfn of the first table of this level */
    uint64_t nr;
};

struct build {
    struct domain *d;
    const struct pv_build_args *a;
    const struct pv_kernel *k;
    uint64_t *p2m;             /* pfn -> mfn, nr_pages entries */
    uint64_t nr_pages;
    uint64_t virt_alloc_end;
    unsigned levels;           /* 4, or 3 for PAE */
    struct pt_level lvl[MAX_LEVELS];
    uint64_t nr_pt_pages;
    struct pv_boot_info *info;
};

static uint64_t va_to_pfn(const struct build *b, uint64_t va)
{
    return (va - b->k->virt_base) >> PAGE_SHIFT;
}

static uint64_t pfn_to_va(const struct build *b, uint64_t pfn)
{
    return b->k->virt_base + (pfn << PAGE_SHIFT);
}

static uint8_t *pfn_ptr(const struct build *b, uint64_t pfn)
{
    return mfn_ptr(b->d->x, b->p2m[pfn]);
}

/* ---- the bump allocator (xc_dom_alloc_segment) -------------------------------- */

static int alloc_segment(struct build *b, const char *what, uint64_t start,
                         uint64_t size, uint64_t *vstart)
{
    uint64_t pages = (size + PAGE_SIZE - 1) / PAGE_SIZE;

    if (!start)
        start = b->virt_alloc_end;
    if (start < b->virt_alloc_end) {
        xe_error("%s: %s segment at 0x%llx overlaps the previous one",
                 b->a->kernel_name, what, (ull)start);
        return -1;
    }
    if (va_to_pfn(b, start) + pages > b->nr_pages) {
        xe_error("%s: not enough guest memory for the %s (%llu pages of "
                 "%llu used)", b->a->kernel_name, what,
                 (ull)(va_to_pfn(b, start) + pages), (ull)b->nr_pages);
        return -1;
    }
    *vstart = start;
    b->virt_alloc_end = start + pages * PAGE_SIZE;
    return 0;
}

static int alloc_page(struct build *b, const char *what, uint64_t *pfn)
{
    uint64_t va;

    if (alloc_segment(b, what, 0, PAGE_SIZE, &va))
        return -1;
    *pfn = va_to_pfn(b, va);
    return 0;
}

/* ---- guest memory ------------------------------------------------------------ */

static int populate(struct build *b)
{
    struct domain *d = b->d;
    uint64_t pfn;

    b->p2m = malloc(b->nr_pages * sizeof(*b->p2m));
    if (!b->p2m) {
        xe_error("out of memory");
        return -1;
    }
    for (pfn = 0; pfn < b->nr_pages; pfn++) {
        uint64_t mfn = frame_alloc(d->x, d->domid);
        if (mfn == ~0ull) {
            xe_error("out of machine memory populating the domain");
            return -1;
        }
        b->p2m[pfn] = mfn;
        m2p_set(d->x, mfn, pfn);
    }
    d->tot_pages = b->nr_pages;
    return 0;
}

/* Copy into guest VA space (the range was checked by the caller). */
static int write_va(void *opaque, uint64_t va, const void *src, size_t n)
{
    struct build *b = opaque;

    while (n) {
        uint64_t pfn = va_to_pfn(b, va);
        size_t off = va & (PAGE_SIZE - 1), chunk = PAGE_SIZE - off;

        if (va < b->k->virt_base || pfn >= b->nr_pages) {
            xe_error("%s: segment at 0x%llx is outside guest memory",
                     b->a->kernel_name, (ull)va);
            return -1;
        }
        if (chunk > n)
            chunk = n;
        if (src) {
            memcpy(pfn_ptr(b, pfn) + off, src, chunk);
            src = (const uint8_t *)src + chunk;
        } else {
            memset(pfn_ptr(b, pfn) + off, 0, chunk);
        }
        va += chunk;
        n -= chunk;
    }
    return 0;
}

/* ---- page tables (count_pgtables, setup_pgtables_pv) ------------------------- */

static unsigned level_shift(unsigned l)        /* l = 1 for L1 */
{
    return PAGE_SHIFT + 9 * l;
}

static void count_pgtables(struct build *b, uint64_t from, uint64_t to)
{
    unsigned l;
    uint64_t pfn = 0;

    b->nr_pt_pages = 0;
    for (l = b->levels; l >= 1; l--) {
        struct pt_level *pl = &b->lvl[l - 1];
        unsigned shift = level_shift(l);
        uint64_t mask = l == b->levels ? ~0ull
                                        : (1ull << shift) - 1;
        uint64_t lo = from & ~mask, hi = to | mask;

        if (l == b->levels) {
            pl->from = 0;
            pl->to = ~0ull;
            pl->nr = 1;
        } else {
            /* 32-bit PAE: the L2 under L3 slot 3 always exists, for
             * Xen's mappings at the top of the address space. */
            if (b->levels == 3 && l == 2)
                hi = 0xffffffffull;
            pl->from = lo;
            pl->to = hi;
            pl->nr = ((hi - lo) >> shift) + 1;
        }
        pl->first_pfn = pfn;    /* relative; made absolute once placed */
        pfn += pl->nr;
        b->nr_pt_pages += pl->nr;
    }
}

/* Where the page-table segment must end: 4 MiB aligned, with room for the
 * tables, the boot stack and 512 KiB (alloc_pgtables_pv). */
static uint64_t size_pgtables(struct build *b)
{
    uint64_t pages = BOOTSTACK_AND_PADDING_PAGES, end;
    const uint64_t align = (4ull << 20) - 1;

    for (;;) {
        end = (b->virt_alloc_end + pages * PAGE_SIZE) | align;
        count_pgtables(b, b->k->virt_base, end);
        pages = b->nr_pt_pages + BOOTSTACK_AND_PADDING_PAGES;
        if (b->virt_alloc_end + pages * PAGE_SIZE <= end + 1)
            return end + 1;
    }
}

static const uint64_t prot64[MAX_LEVELS] = {
    PTE_P | PTE_RW | PTE_A,
    PTE_P | PTE_RW | PTE_A | PTE_D | PTE_US,
    PTE_P | PTE_RW | PTE_A | PTE_D | PTE_US,
    PTE_P | PTE_RW | PTE_A | PTE_D | PTE_US,
};
static const uint64_t prot_pae[MAX_LEVELS] = {
    PTE_P | PTE_RW | PTE_A,
    PTE_P | PTE_RW | PTE_A | PTE_D | PTE_US,
    PTE_P,
};

static void setup_pgtables(struct build *b, uint64_t pt_va, uint64_t pt_end)
{
    const uint64_t *prot = b->levels == 4 ? prot64 : prot_pae;
    uint64_t base = va_to_pfn(b, pt_va), j;
    unsigned l, i;

    for (l = 1; l <= b->levels; l++)
        b->lvl[l - 1].first_pfn += base;
    for (l = b->levels; l >= 1; l--) {
        const struct pt_level *pl = &b->lvl[l - 1];
        uint64_t span = 1ull << level_shift(l);      /* one table */
        uint64_t espan = 1ull << level_shift(l - 1); /* one entry */
        unsigned nent = l == 3 && b->levels == 3 ? 4 : 512;

        for (j = 0; j < pl->nr; j++) {
            uint64_t tbase = l == b->levels ? 0 : pl->from + j * span;
            uint8_t *t = pfn_ptr(b, pl->first_pfn + j);

            for (i = 0; i < nent; i++) {
                uint64_t va = tbase + i * espan, pte;

                if (b->levels == 4)
                    va = sext48(va);
                if (l == 1) {
                    if (va < b->k->virt_base || va >= b->info->virt_pgtab_end)
                        continue;
                    pte = b->p2m[va_to_pfn(b, va)] << PAGE_SHIFT | prot[0];
                    if (va >= pt_va && va < pt_end)
                        pte &= ~PTE_RW;    /* page tables are never writable */
                } else {
                    const struct pt_level *child = &b->lvl[l - 2];
                    if (va < child->from || va > child->to)
                        continue;
                    pte = b->p2m[child->first_pfn + (va - child->from) / espan]
                          << PAGE_SHIFT | prot[l - 1];
                }
                le64_store(t + i * 8, pte);
            }
        }
    }
    if (b->levels == 4)
        xenmap_fill_l4(b->d, pfn_ptr(b, b->lvl[3].first_pfn));
    else
        xenmap_fill_compat_l2(b->d, pfn_ptr(b, b->lvl[1].first_pfn +
                                            b->lvl[1].nr - 1));
}

/* ---- the magic pages ---------------------------------------------------------- */

static void write_p2m(struct build *b, uint64_t p2m_va)
{
    unsigned esz = b->k->is64 ? 8 : 4;
    uint64_t pfn, size = b->nr_pages * esz;
    uint64_t first = va_to_pfn(b, p2m_va);

    for (pfn = 0; pfn < (size + PAGE_SIZE - 1) / PAGE_SIZE * PAGE_SIZE / esz;
         pfn++) {
        uint8_t *p = pfn_ptr(b, first + pfn * esz / PAGE_SIZE) +
                     pfn * esz % PAGE_SIZE;
        uint64_t mfn = pfn < b->nr_pages ? b->p2m[pfn] : ~0ull;
        if (esz == 8)
            le64_store(p, mfn);
        else
            le32_store(p, (uint32_t)mfn);
    }
}

static void write_start_info(struct build *b)
{
    const struct xen_abi *abi = b->d->abi;
    const struct pv_boot_info *in = b->info;
    struct domain *d = b->d;
    uint8_t *si = pfn_ptr(b, in->start_info_pfn);
    unsigned ul = abi->ulong_size;
    size_t n;

    memset(si, 0, PAGE_SIZE);
    snprintf((char *)si, START_INFO_MAGIC_LEN, "%s", abi->guest_type);
    le_store(si + abi->si_nr_pages, ul, b->nr_pages);
    le_store(si + abi->si_shared_info, ul, d->shared_info_mfn << PAGE_SHIFT);
    le32_store(si + abi->si_flags, b->k->mod_start_pfn && in->mod_len
               ? SIF_MOD_START_PFN : 0);
    le_store(si + abi->si_store_mfn, ul, b->p2m[in->xenstore_pfn]);
    le32_store(si + abi->si_store_evtchn, d->store_port);
    le_store(si + abi->si_console_mfn, ul, b->p2m[in->console_pfn]);
    le32_store(si + abi->si_console_evtchn, d->console_port);
    le_store(si + abi->si_pt_base, ul, in->pt_base_va);
    le_store(si + abi->si_nr_pt_frames, ul, in->nr_pt_frames);
    le_store(si + abi->si_mfn_list, ul, in->p2m_va);
    le_store(si + abi->si_mod_start, ul, in->mod_start);
    le_store(si + abi->si_mod_len, ul, in->mod_len);
    n = strlen(b->a->cmdline);
    if (n > MAX_GUEST_CMDLINE - 1)
        n = MAX_GUEST_CMDLINE - 1;
    memcpy(si + abi->si_cmd_line, b->a->cmdline, n);
}

/* ---- the hypercall page (x86/domain.c init_hypercall_page) --------------------- */

void hypercall_page_fill(uint8_t *page, bool is64)
{
    unsigned i;

    memset(page, 0xcc, PAGE_SIZE);
    for (i = 0; i < PAGE_SIZE / 32; i++) {
        uint8_t *p = page + i * 32;
        if (i == HC_iret)
            continue;
        if (is64) {
            static const uint8_t head[] = { 0x51, 0x41, 0x53, 0xb8 };
            static const uint8_t tail[] = { 0x0f, 0x05, 0x41, 0x5b, 0x59,
                                            0xc3 };
            memcpy(p, head, sizeof(head));
            le32_store(p + 4, i);
            memcpy(p + 8, tail, sizeof(tail));
        } else {
            p[0] = 0xb8;
            le32_store(p + 1, i);
            p[5] = 0xcd;
            p[6] = 0x82;
            p[7] = 0xc3;
        }
    }
    if (is64) {
        static const uint8_t iret64[] = { 0x51, 0x41, 0x53, 0x50, 0xb8, 0x17,
                                          0, 0, 0, 0x0f, 0x05 };
        memcpy(page + HC_iret * 32, iret64, sizeof(iret64));
    } else {
        static const uint8_t iret32[] = { 0x50, 0xb8, 0x17, 0, 0, 0, 0xcd,
                                          0x82 };
        memcpy(page + HC_iret * 32, iret32, sizeof(iret32));
    }
}

/* ---- vCPU 0 (vcpu_x86_64, vcpu_x86_32) ---------------------------------------- */

static void boot_vcpu_state(struct build *b, uint64_t top_mfn)
{
    struct vcpu *v = b->d->vcpu[0];
    struct cpu *c = &v->cpu;
    const struct pv_boot_info *in = b->info;
    int s;

    cpu_set_cr4(c, CR4_PAE | CR4_PGE | CR4_OSFXSR | CR4_OSXMMEXCPT);
    cpu_set_efer(c, EFER_SCE | EFER_LME | EFER_NXE);
    c->gdtr.base = xenmap_gdt_va(v);
    c->gdtr.limit = FIRST_RESERVED_GDT_BYTE + PAGE_SIZE - 1;
    c->idtr.base = 0;
    c->idtr.limit = 0;
    /* Xen's TSS has no I/O bitmap for PV guests: every port access above
     * the real IOPL (0) faults and is emulated (a limit that excludes the
     * bitmap gives the same #GP). */
    c->tr = (struct seg){ .sel = 0, .base = 0, .limit = 0,
                          .attr = 0xb | SEGA_P };
    for (s = 0; s <= FIRST_RESERVED_GDT_PAGE; s++)
        xenmap_map_gdt_frame(v, (unsigned)s, 0);
    c->r[R_SP] = pfn_to_va(b, in->bootstack_pfn + 1);
    c->r[R_SI] = pfn_to_va(b, in->start_info_pfn);
    c->rip = b->k->virt_entry;
    if (b->k->is64) {
        v->kernel_mode = true;
        mm_new_baseptr(v, top_mfn);     /* the vCPU's reference */
        pv_load_flat_seg(c, SEG_CS, FLAT_KERNEL_CS64, 0xb, 3, true);
        pv_load_flat_seg(c, SEG_SS, FLAT_KERNEL_SS64, 0x3, 3, false);
        for (s = 0; s < 6; s++)
            if (s != SEG_CS && s != SEG_SS)
                cpu_set_seg(c, s, 0, 0, 0, 0);
        v->kernel_ss = FLAT_KERNEL_SS64;
    } else {
        mm_new_baseptr(v, top_mfn);
        pv_load_flat_seg(c, SEG_CS, FLAT_RING1_CS, 0xb, 1, false);
        for (s = 0; s < 6; s++)
            if (s != SEG_CS)
                pv_load_flat_seg(c, s, FLAT_RING1_DS, 0x3, 1, false);
        v->kernel_ss = FLAT_RING1_DS;
    }
    v->kernel_sp = c->r[R_SP];
    mm_load_cr3(v);
    cpu_set_cr0(c, CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG);
    cpu_update_mode(c);
    cpu_set_rflags(c, 0x202);
    v->dr[6] = 0xffff0ff0;
    v->dr[7] = 0x400;
    v->online = true;
    cpu_flush_code(c);
}

/* ---- xc_dom_build_image -------------------------------------------------------- */

static void init_shared_info(struct domain *d)
{
    uint8_t *sh = mfn_ptr(d->x, d->shared_info_mfn);
    unsigned i;

    share_xen_page_with_guest(d, d->shared_info_mfn);
    memset(sh, 0, PAGE_SIZE);
    for (i = 0; i < XEN_LEGACY_MAX_VCPUS; i++)
        sh[i * VCPU_INFO_SIZE + VI_UPCALL_MASK] = 1;
}

static int layout(struct build *b)
{
    const struct pv_kernel *k = b->k;
    struct pv_boot_info *in = b->info;
    uint64_t va, pt_va, pt_end;

    b->virt_alloc_end = k->virt_base;
    if (alloc_segment(b, "kernel", k->virt_kstart, k->virt_kend -
                      k->virt_kstart, &va))
        return -1;
    if (b->a->ramdisk && !k->mod_start_pfn) {
        if (alloc_segment(b, "ramdisk", 0, b->a->ramdisk_len, &va))
            return -1;
        in->mod_start = va;
        in->mod_len = b->a->ramdisk_len;
    }
    if (alloc_segment(b, "p2m list", 0, b->nr_pages * (k->is64 ? 8 : 4),
                      &in->p2m_va))
        return -1;
    if (alloc_page(b, "start info", &in->start_info_pfn) ||
        alloc_page(b, "xenstore", &in->xenstore_pfn) ||
        alloc_page(b, "console", &in->console_pfn))
        return -1;
    in->virt_pgtab_end = size_pgtables(b);
    if (alloc_segment(b, "page tables", 0, b->nr_pt_pages * PAGE_SIZE,
                      &pt_va))
        return -1;
    pt_end = b->virt_alloc_end;
    in->pt_base_va = pt_va;
    in->nr_pt_frames = b->nr_pt_pages;
    if (alloc_page(b, "boot stack", &in->bootstack_pfn))
        return -1;
    if (b->a->ramdisk && k->mod_start_pfn) {
        /* Deferred modules: after everything, passed as a PFN. */
        if (alloc_segment(b, "ramdisk", 0, b->a->ramdisk_len, &va))
            return -1;
        in->mod_start = va_to_pfn(b, va);
        in->mod_len = b->a->ramdisk_len;
    }
    if (va_to_pfn(b, in->virt_pgtab_end - 1) >= b->nr_pages) {
        xe_error("%s: %llu MiB of memory is too small for this kernel",
                 b->a->kernel_name, (ull)(b->nr_pages >> 8));
        return -1;
    }
    setup_pgtables(b, pt_va, pt_end);
    return 0;
}

static int load_ramdisk(struct build *b)
{
    const struct pv_boot_info *in = b->info;
    uint64_t va = b->k->mod_start_pfn ? pfn_to_va(b, in->mod_start)
                                      : in->mod_start;

    if (!b->a->ramdisk)
        return 0;
    return write_va(b, va, b->a->ramdisk, b->a->ramdisk_len);
}

int pv_build(struct domain *d, const struct pv_build_args *a,
             struct pv_boot_info *info)
{
    struct build b = { .d = d, .a = a, .k = a->kernel, .info = info,
                       .nr_pages = a->nr_pages,
                       .levels = a->kernel->is64 ? 4 : 3 };
    uint64_t top;
    long port;
    int r = -1;

    memset(info, 0, sizeof(*info));
    /* xc_dom: extended-cr3 kernels get VMASST_TYPE_pae_extended_cr3. */
    if (!a->kernel->is64 && a->kernel->pae_extended_cr3)
        d->vm_assist |= 1ul << 3;
    d->max_pages = a->max_pages > a->nr_pages ? a->max_pages : a->nr_pages;
    if (populate(&b) || layout(&b))
        goto out;
    if (b.k->load(b.k, write_va, &b) || load_ramdisk(&b))
        goto out;
    write_p2m(&b, info->p2m_va);
    init_shared_info(d);
    /* libxl: the xenstore port, then the console port, both unbound to
     * the backend domain (dom0). */
    if ((port = evtchn_alloc_unbound(d, 0)) < 0)
        goto out;
    d->store_port = (uint32_t)port;
    if ((port = evtchn_alloc_unbound(d, 0)) < 0)
        goto out;
    d->console_port = (uint32_t)port;
    d->store_mfn = b.p2m[info->xenstore_pfn];
    d->console_mfn = b.p2m[info->console_pfn];
    d->start_info_mfn = b.p2m[info->start_info_pfn];
    /* The console ring's connection byte stays 0 (connected): xenemu's
     * console backend serves it from the start. */
    write_start_info(&b);
    if (b.k->has_hypercall_page) {
        uint64_t hp = b.k->hypercall_page;
        if (hp < b.k->virt_kstart || hp >= b.k->virt_kend ||
            (hp & (PAGE_SIZE - 1))) {
            xe_error("%s: hypercall page 0x%llx is not a page of the kernel",
                     a->kernel_name, (ull)hp);
            goto out;
        }
        hypercall_page_fill(pfn_ptr(&b, va_to_pfn(&b, hp)), b.k->is64);
    }
    top = b.p2m[va_to_pfn(&b, info->pt_base_va)];
    if (vcpu_create(d, 0)) {
        xe_error("out of memory creating vCPU 0");
        goto out;
    }
    if (mm_pin_table(d, top, b.k->is64 ? PGT_l4_page_table
                                        : PGT_l3_page_table)) {
        xe_error("%s: the initial page tables do not validate",
                 a->kernel_name);
        goto out;
    }
    boot_vcpu_state(&b, top);
    vtime_update_wallclock(d);
    vtime_update_vcpu_info(d->vcpu[0]);
    r = 0;
out:
    free(b.p2m);
    return r;
}
