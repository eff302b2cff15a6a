/*
 * The domain builder: what Xen's toolstack (libxenguest's xc_dom_* with
 * libxl) does to start a PV domain — load the kernel image, lay out
 * memory exactly as xc_dom_build_image does, build the initial page
 * tables, start_info and the hypercall page, and set vCPU 0's registers.
 */
#ifndef XENEMU_XENPLAT_BUILDER_H
#define XENEMU_XENPLAT_BUILDER_H

#include "xenplat/domain.h"

/* What the builder needs to know of a kernel image (from its ELF notes). */
struct pv_kernel {
    bool is64;
    uint64_t virt_base, virt_offset;     /* virt_offset = virt_base - paddr_offset */
    uint64_t virt_kstart, virt_kend, virt_entry;
    bool has_hypercall_page;
    uint64_t hypercall_page;             /* VA */
    bool has_init_p2m;
    uint64_t init_p2m;                   /* VA of the p2m list (INIT_P2M) */
    bool mod_start_pfn;
    bool pae_extended_cr3;
    /* Copy the image's PT_LOAD segments: write(opaque, va, src, n), src
     * NULL meaning zeroes.  0 or -1 (reported). */
    int (*load)(const struct pv_kernel *k,
                int (*write)(void *opaque, uint64_t va, const void *src,
                             size_t n),
                void *opaque);
    const void *image;                   /* for load() */
    size_t image_len;
};

struct pv_build_args {
    const char *kernel_name;             /* for messages */
    const struct pv_kernel *kernel;
    const uint8_t *ramdisk;              /* NULL: none */
    size_t ramdisk_len;
    const char *cmdline;
    uint64_t nr_pages;                   /* memory */
    uint64_t max_pages;                  /* maxmem */
};

/* What the builder left, for the platform (and the tests). */
struct pv_boot_info {
    uint64_t start_info_pfn, xenstore_pfn, console_pfn;
    uint64_t pt_base_va, nr_pt_frames, virt_pgtab_end;
    uint64_t p2m_va, p2m_pfn;            /* the list: its VA, first pfn */
    uint64_t first_p2m_pfn, nr_p2m_frames;   /* INIT_P2M: list + tables */
    uint64_t bootstack_pfn;
    uint64_t mod_start, mod_len;         /* mod_len: whole pages */
};

/* Build domain d (vCPU 0 created).  0, or -1 with the problem reported. */
int pv_build(struct domain *d, const struct pv_build_args *a,
             struct pv_boot_info *info);

/* Fill a hypercall page (host buffer of PAGE_SIZE) for the ABI. */
void hypercall_page_fill(uint8_t *page, bool is64);

#endif
