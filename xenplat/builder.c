/*
 * The PV domain builder (tools/libs/guest/xg_dom_core.c xc_dom_build_image,
 * xg_dom_x86.c): a bump allocator hands out the guest's pages from
 * virt_base upwards — kernel, ramdisk, p2m list, start_info, xenstore and
 * console pages, page tables, boot stack — and the initial page tables map
 * [virt_base, virt_pgtab_end) linearly.  Deferred modules (MOD_START_PFN)
 * and a 64-bit kernel's INIT_P2M p2m list come after that mapping; the
 * p2m list then has page tables of its own mapping it at the INIT_P2M
 * address (a second mapping, alloc_p2m_list_x86_64).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xenemu/le.h"
#include "xenplat/builder.h"
#include "xenplat/guest.h"
#include "xenplat/mm.h"
#include "xenplat/sched.h"
#include "xenplat/traps.h"
#include "xenplat/xenmap.h"

#define MAX_LEVELS 4
#define MAX_MAPPINGS 2
#define BOOTSTACK_AND_PADDING_PAGES (1 + (512u << 10) / PAGE_SIZE)

typedef unsigned long long ull;

/* The page tables of one level of a mapping: they cover [from, to]
 * (VAs masked to the guest's address width, inclusive), nr of them from
 * pfn on.  For the area itself: the VAs mapped and the pfn of the first
 * page mapped; nr counts the mapping's page tables. */
struct pt_level {
    uint64_t from, to;
    uint64_t pfn;
    uint64_t nr;
};

/* A virtual range the initial page tables map (xc_dom_x86_mapping). */
struct mapping {
    struct pt_level area;
    struct pt_level lvl[MAX_LEVELS];
};

struct build {
    struct domain *d;
    const struct pv_build_args *a;
    const struct pv_kernel *k;
    uint64_t *p2m;             /* pfn -> mfn, nr_pages entries */
    uint64_t nr_pages;
    uint64_t virt_alloc_end;
    unsigned levels;           /* 4, or 3 for PAE */
    uint64_t vaddr_mask;
    struct mapping map[MAX_MAPPINGS];
    unsigned n_maps;
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

static unsigned level_shift(unsigned l)        /* l = 0 for L1 */
{
    return PAGE_SHIFT + 9 * l;
}

/* The tables of the next mapping, for [from, to] mapped from pfn: at each
 * level below the top (which only the first mapping has) the range its
 * tables cover, less what an earlier mapping's tables of that level
 * already cover.  Their pfns follow the allocation end. */
static int count_pgtables(struct build *b, uint64_t from, uint64_t to,
                          uint64_t pfn)
{
    struct mapping *map = &b->map[b->n_maps];
    uint64_t alloc_pfn = va_to_pfn(b, b->virt_alloc_end);
    unsigned m;
    int l;

    if (pfn + ((to - from) >> PAGE_SHIFT) >= b->nr_pages) {
        xe_error("%s: not enough memory for the initial mapping (%llu "
                 "pages needed, %llu available)", b->a->kernel_name,
                 (ull)(pfn + ((to - from) >> PAGE_SHIFT) + 1),
                 (ull)b->nr_pages);
        return -1;
    }
    for (m = 0; m < b->n_maps; m++)
        if (from < b->map[m].area.to && to > b->map[m].area.from) {
            xe_error("%s: the p2m list at 0x%llx overlaps the initial "
                     "mapping", b->a->kernel_name, (ull)from);
            return -1;
        }
    memset(map, 0, sizeof(*map));
    map->area.from = from & b->vaddr_mask;
    map->area.to = to & b->vaddr_mask;
    for (l = (int)b->levels - 1; l >= 0; l--) {
        struct pt_level *lv = &map->lvl[l];
        unsigned bits = level_shift((unsigned)l + 1);
        uint64_t mask = (1ull << bits) - 1;

        lv->pfn = alloc_pfn + map->area.nr;
        if (l == (int)b->levels - 1) {
            if (b->n_maps == 0) {
                lv->from = 0;
                lv->to = b->vaddr_mask;
                lv->nr = 1;
                map->area.nr++;
            }
            continue;
        }
        lv->from = map->area.from & ~mask;
        lv->to = map->area.to | mask;
        /* 32-bit PAE: the L2 under L3 slot 3 always exists, for Xen's
         * mappings at the top of the address space. */
        if (b->levels == 3 && b->n_maps == 0 && to < 0xc0000000ull && l == 1)
            lv->to = b->vaddr_mask;
        for (m = 0; m < b->n_maps; m++) {
            const struct pt_level *c = &b->map[m].lvl[l];
            if (c->from == c->to)
                continue;
            if (lv->from >= c->from && lv->to <= c->to) {
                lv->from = lv->to = 0;
                break;
            }
            if (lv->from >= c->from && lv->from <= c->to)
                lv->from = c->to + 1;
            if (lv->to >= c->from && lv->to <= c->to)
                lv->to = c->from - 1;
        }
        if (lv->from < lv->to)
            lv->nr = ((lv->to - lv->from) >> bits) + 1;
        map->area.nr += lv->nr;
    }
    return 0;
}

/* alloc_pgtables_pv: the first mapping ends 4 MiB aligned, with room for
 * its tables, the boot stack and 512 KiB. */
static int alloc_pgtables(struct build *b, uint64_t *pt_va)
{
    uint64_t pages = BOOTSTACK_AND_PADDING_PAGES, end;
    const uint64_t align = (4ull << 20) - 1;
    struct mapping *map = &b->map[b->n_maps];

    for (;;) {
        end = (b->virt_alloc_end + pages * PAGE_SIZE) | align;
        if (count_pgtables(b, b->k->virt_base, end, 0))
            return -1;
        pages = map->area.nr + BOOTSTACK_AND_PADDING_PAGES;
        if (b->virt_alloc_end + pages * PAGE_SIZE <= end + 1)
            break;
    }
    map->area.pfn = 0;
    b->n_maps++;
    b->info->virt_pgtab_end = end + 1;
    return alloc_segment(b, "page tables", 0, map->area.nr * PAGE_SIZE,
                         pt_va);
}

/* alloc_p2m_list_x86_64 with INIT_P2M: the list, then the tables mapping
 * it at the INIT_P2M address, all in one segment after the rest. */
static int alloc_init_p2m(struct build *b)
{
    struct pv_boot_info *in = b->info;
    uint64_t size = (b->nr_pages * 8 + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    uint64_t from = b->k->init_p2m, va;
    struct mapping *map = &b->map[b->n_maps];
    unsigned l;

    if (count_pgtables(b, from, from + size - 1,
                       va_to_pfn(b, b->virt_alloc_end)))
        return -1;
    map->area.pfn = va_to_pfn(b, b->virt_alloc_end);
    for (l = 0; l < MAX_LEVELS; l++)
        map->lvl[l].pfn += size >> PAGE_SHIFT;
    b->n_maps++;
    if (alloc_segment(b, "p2m list", 0, size + map->area.nr * PAGE_SIZE, &va))
        return -1;
    in->p2m_pfn = va_to_pfn(b, va);
    in->p2m_va = from;
    in->first_p2m_pfn = in->p2m_pfn;
    in->nr_p2m_frames = (size >> PAGE_SHIFT) + map->area.nr;
    return 0;
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

/* get_pg_prot: page tables are never mapped writable. */
static uint64_t pg_prot(const struct build *b, unsigned l, uint64_t pfn)
{
    uint64_t prot = (b->levels == 4 ? prot64 : prot_pae)[l];
    unsigned m;

    if (l > 0)
        return prot;
    for (m = 0; m < b->n_maps; m++) {
        uint64_t first = b->map[m].lvl[b->levels - 1].pfn;
        if (pfn >= first && pfn < first + b->map[m].area.nr)
            return prot & ~PTE_RW;
    }
    return prot;
}

/* Entry i of the tables of one level, which follow each other from pfn. */
static void pt_set(const struct build *b, uint64_t pfn, uint64_t i,
                   uint64_t pte)
{
    le64_store(pfn_ptr(b, pfn + i / 512) + i % 512 * 8, pte);
}

/* setup_pgtables_pv: every table of every mapping gets the entries for
 * the tables (or pages) of every mapping below it that it covers. */
static void setup_pgtables(struct build *b)
{
    unsigned m1, m2;
    int l;

    for (l = (int)b->levels - 1; l >= 0; l--)
        for (m1 = 0; m1 < b->n_maps; m1++) {
            const struct pt_level *t = &b->map[m1].lvl[l];
            unsigned shift = level_shift((unsigned)l);

            if (!t->nr)
                continue;
            for (m2 = 0; m2 < b->n_maps; m2++) {
                const struct pt_level *c = l > 0 ? &b->map[m2].lvl[l - 1]
                                                 : &b->map[m2].area;
                uint64_t lo, hi, p, pfn;

                if ((l > 0 && !c->nr) || c->from >= t->to || c->to <= t->from)
                    continue;
                lo = c->from > t->from ? c->from : t->from;
                hi = c->to < t->to ? c->to : t->to;
                pfn = ((lo - c->from) >> shift) + c->pfn;
                for (p = (lo - t->from) >> shift;
                     p <= (hi - t->from) >> shift; p++, pfn++)
                    pt_set(b, t->pfn, p, b->p2m[pfn] << PAGE_SHIFT |
                                         pg_prot(b, (unsigned)l, pfn));
            }
        }
    if (b->levels == 4)
        xenmap_fill_l4(b->d, pfn_ptr(b, b->map[0].lvl[3].pfn));
    else
        xenmap_fill_compat_l2(b->d, pfn_ptr(b, b->map[0].lvl[1].pfn +
                                            b->map[0].lvl[1].nr - 1));
}

/* ---- the magic pages ---------------------------------------------------------- */

/* The p2m list from its first pfn: nr_pages entries (the rest of its
 * last page stays zero, as the populated page was). */
static void write_p2m(struct build *b)
{
    unsigned esz = b->k->is64 ? 8 : 4;
    uint64_t pfn, first = b->info->p2m_pfn;

    for (pfn = 0; pfn < b->nr_pages; pfn++) {
        uint8_t *p = pfn_ptr(b, first + pfn * esz / PAGE_SIZE) +
                     pfn * esz % PAGE_SIZE;
        if (esz == 8)
            le64_store(p, b->p2m[pfn]);
        else
            le32_store(p, (uint32_t)b->p2m[pfn]);
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
    if (in->nr_p2m_frames) {
        le_store(si + abi->si_first_p2m_pfn, ul, in->first_p2m_pfn);
        le_store(si + abi->si_nr_p2m_frames, ul, in->nr_p2m_frames);
    }
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

/* An unbound port for dom0's xenstore or console backend, as libxl
 * allocates it; a config whose event_channels leaves none fails here. */
static long toolstack_port(struct domain *d, const char *what)
{
    long port = evtchn_alloc_unbound(d, 0);

    if (port < 0)
        xe_error("domain %u: no event channel for the %s (event_channels "
                 "= %u)", d->domid, what, d->evtchn.max_port);
    return port;
}

/* ---- vCPU 0 (vcpu_x86_64, vcpu_x86_32) ---------------------------------------- */

static void boot_vcpu_state(struct build *b, uint64_t top_mfn)
{
    struct vcpu *v = b->d->vcpu[0];
    struct cpu *c = &v->cpu;
    const struct pv_boot_info *in = b->info;
    int s;

    /* Xen runs with CR4.OSXSAVE when the host has XSAVE; a vCPU starts
     * with XCR0 = x87|SSE (xstate_alloc_save_area). */
    cpu_set_cr4(c, CR4_PAE | CR4_PGE | CR4_OSFXSR | CR4_OSXMMEXCPT |
                   (pv_policy_xsave(v) ? CR4_OSXSAVE : 0));
    c->xcr0 = pv_policy_xsave(v) ? 3 : 1;
    /* The toolstack's context has no VGCF_I387_VALID: Xen's default. */
    vcpu_setup_fpu(v, NULL);
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

/* xc_dom_alloc_pad: the bump allocator moves on to va. */
static int alloc_pad(struct build *b, uint64_t va)
{
    if (va_to_pfn(b, va - 1) >= b->nr_pages) {
        xe_error("%s: %llu MiB of memory is too small for this kernel",
                 b->a->kernel_name, (ull)(b->nr_pages >> 8));
        return -1;
    }
    b->virt_alloc_end = va;
    return 0;
}

/* A module: mod_start its VA (deferred: its pfn), mod_len its pages. */
static int alloc_ramdisk(struct build *b, bool deferred)
{
    struct pv_boot_info *in = b->info;
    uint64_t va;

    if (alloc_segment(b, "ramdisk", 0, b->a->ramdisk_len, &va))
        return -1;
    in->mod_start = deferred ? va_to_pfn(b, va) : va;
    in->mod_len = (b->virt_alloc_end - va);
    return 0;
}

/* xc_dom_build_image's allocation order. */
static int layout(struct build *b)
{
    const struct pv_kernel *k = b->k;
    struct pv_boot_info *in = b->info;
    bool init_p2m = k->is64 && k->has_init_p2m && k->init_p2m < k->virt_base &&
                    !(k->init_p2m & (PAGE_SIZE - 1));
    uint64_t va, pt_va;

    b->virt_alloc_end = k->virt_base;
    if (alloc_segment(b, "kernel", k->virt_kstart, k->virt_kend -
                      k->virt_kstart, &va))
        return -1;
    if (b->a->ramdisk && !k->mod_start_pfn && alloc_ramdisk(b, false))
        return -1;
    if (!init_p2m) {
        if (alloc_segment(b, "p2m list", 0, b->nr_pages * (k->is64 ? 8 : 4),
                          &in->p2m_va))
            return -1;
        in->p2m_pfn = va_to_pfn(b, in->p2m_va);
    }
    if (alloc_page(b, "start info", &in->start_info_pfn) ||
        alloc_page(b, "xenstore", &in->xenstore_pfn) ||
        alloc_page(b, "console", &in->console_pfn) ||
        alloc_pgtables(b, &pt_va) ||
        alloc_page(b, "boot stack", &in->bootstack_pfn) ||
        alloc_pad(b, in->virt_pgtab_end))
        return -1;
    in->pt_base_va = pt_va;
    in->nr_pt_frames = b->map[0].area.nr;
    if (b->a->ramdisk && k->mod_start_pfn && alloc_ramdisk(b, true))
        return -1;
    if (init_p2m && alloc_init_p2m(b))
        return -1;
    setup_pgtables(b);
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
                       .levels = a->kernel->is64 ? 4 : 3,
                       .vaddr_mask = a->kernel->is64 ? (1ull << 48) - 1
                                                     : 0xffffffffull };
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
    write_p2m(&b);
    init_shared_info(d);
    /* libxl: the xenstore port, then the console port, both unbound to
     * the backend domain (dom0). */
    if ((port = toolstack_port(d, "xenstore")) < 0)
        goto out;
    d->store_port = (uint32_t)port;
    if ((port = toolstack_port(d, "console")) < 0)
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
