/*
 * What a Xen PV kernel says about itself: the "Xen" ELF notes (or the
 * legacy __xen_guest string), checked and turned into addresses exactly as
 * Xen's libelf (elf_xen_parse, elf_xen_addr_calc_check) and the toolstack's
 * ELF loader (xg_dom_elfloader.c, xg_dom_core.c, xg_dom_x86.c) do for a PV
 * domU on 64-bit Xen; and the loading of the PT_LOAD segments.
 *
 * See doc/xen-abi.md section 1.  Differences from Xen, all on corrupt
 * input, where Xen reads zeros and carries on: notes, strings and segments
 * must lie inside the file (and notes inside their segment/section), string
 * notes must be NUL-terminated inside their descriptor or its padding (Xen
 * reads on to any NUL in the image), PT_LOAD segments
 * need p_filesz <= p_memsz and must not wrap.  Kernels asking for
 * BSD_SYMTAB that have a symbol table are refused (not implemented).
 */
#ifndef XENEMU_XENPLAT_KERNEL_INFO_H
#define XENEMU_XENPLAT_KERNEL_INFO_H

#include "xenemu/common.h"

/* libelf's UNSET_ADDR: a note or key that was not given. */
#define XEN_UNSET_ADDR UINT64_MAX

/* XEN_ELFNOTE_* (pub/elfnote.h). */
enum xen_elfnote {
    XEN_ELFNOTE_INFO, XEN_ELFNOTE_ENTRY, XEN_ELFNOTE_HYPERCALL_PAGE,
    XEN_ELFNOTE_VIRT_BASE, XEN_ELFNOTE_PADDR_OFFSET, XEN_ELFNOTE_XEN_VERSION,
    XEN_ELFNOTE_GUEST_OS, XEN_ELFNOTE_GUEST_VERSION, XEN_ELFNOTE_LOADER,
    XEN_ELFNOTE_PAE_MODE, XEN_ELFNOTE_FEATURES, XEN_ELFNOTE_BSD_SYMTAB,
    XEN_ELFNOTE_HV_START_LOW, XEN_ELFNOTE_L1_MFN_VALID,
    XEN_ELFNOTE_SUSPEND_CANCEL, XEN_ELFNOTE_INIT_P2M,
    XEN_ELFNOTE_MOD_START_PFN, XEN_ELFNOTE_SUPPORTED_FEATURES,
    XEN_ELFNOTE_PHYS32_ENTRY, XEN_ELFNOTE_PHYS32_RELOC,
};

/* XENFEAT_* bits a kernel may name in its FEATURES (pub/features.h). */
enum xen_feature {
    XENFEAT_writable_page_tables = 0,
    XENFEAT_writable_descriptor_tables = 1,
    XENFEAT_auto_translated_physmap = 2,
    XENFEAT_supervisor_mode_kernel = 3,
    XENFEAT_pae_pgdir_above_4gb = 4,
    XENFEAT_hvm_callback_vector = 8,
    XENFEAT_dom0 = 11,
};
#define XENFEAT_NR_SUBMAPS 1

enum xen_pae_mode {
    XEN_PAE_NO,           /* not given: a non-PAE 32-bit kernel */
    XEN_PAE_YES,          /* legacy "PAE=yes...": L3 below 4 GiB */
    XEN_PAE_EXTCR3,       /* "yes" / legacy "yes[extended-cr3]" */
    XEN_PAE_BIMODAL,      /* "...bimodal..." */
};

#define XEN_KERNEL_STR_MAX 16   /* libelf keeps 15 characters of each string */

struct xen_kernel {
    bool is_64;                 /* guest type xen-3.0-x86_64 (EM_X86_64) */
    bool elf64;                 /* the ELF class (may differ from is_64) */
    const char *guest_type;     /* "xen-3.0-x86_64" or "xen-3.0-x86_32p" */
    bool legacy;                /* described by __xen_guest, not notes */

    /* Addresses, all resolved (defaults applied) by xen_kernel_parse. */
    uint64_t virt_base;         /* VA of pfn 0 */
    uint64_t paddr_offset;      /* ELF_PADDR_OFFSET */
    uint64_t virt_offset;       /* virt_base - paddr_offset: p_paddr -> VA */
    uint64_t virt_entry;        /* entry point VA */
    uint64_t virt_kstart, virt_kend;    /* the loaded image [start, end) */

    /* Optional notes: XEN_UNSET_ADDR when absent. */
    uint64_t hypercall_page;    /* VA of the hypercall page */
    bool has_hypercall_page;
    uint64_t init_p2m;          /* INIT_P2M: VA for the p2m list */
    uint64_t hv_start_low;      /* HV_START_LOW */
    uint64_t phys32_entry;      /* PHYS32_ENTRY (PVH only; recorded) */
    uint64_t suspend_cancel;    /* SUSPEND_CANCEL value, 0 when absent */
    uint64_t l1_mfn_valid;      /* L1_MFN_VALID first value, recorded */

    bool mod_start_pfn;         /* initrd may be passed unmapped, as a PFN */
    bool bsd_symtab;            /* BSD_SYMTAB asked for (no symtab present) */
    enum xen_pae_mode pae;

    char loader[XEN_KERNEL_STR_MAX];
    char guest_os[XEN_KERNEL_STR_MAX];
    char guest_version[XEN_KERNEL_STR_MAX];
    char xen_version[XEN_KERNEL_STR_MAX];
    uint32_t f_supported[XENFEAT_NR_SUBMAPS];
    uint32_t f_required[XENFEAT_NR_SUBMAPS];
};

/*
 * Parse and check the ELF image elf[0, len) as a PV domU kernel for
 * 64-bit Xen.  0, or -1 with why holding the problem (for a line that the
 * caller prefixes with the file name).
 */
int xen_kernel_parse(struct xen_kernel *k, const uint8_t *elf, size_t len,
                     char *why, size_t why_len);

/*
 * Writes n bytes at guest virtual address va: a copy of src, or zeros when
 * src is NULL.  Returns 0, or -1 when [va, va + n) is not memory the
 * callback can write (it must check: n can be as large as the kernel's
 * span, virt_kend - virt_kstart); xen_kernel_load then stops with an
 * error naming the segment.
 */
typedef int (*xen_kernel_write_fn)(void *opaque, uint64_t va,
                                   const void *src, size_t n);

/*
 * Load the PT_LOAD segments of a kernel parsed by xen_kernel_parse (same
 * bytes): for each loadable segment (PT_LOAD with any of R/W/X, in header
 * order) p_filesz bytes are copied and the rest of p_memsz zeroed, at
 * va = p_paddr + virt_offset.  0, or -1 (from the callback, or with why
 * set when the segments are inconsistent with the parse).
 */
int xen_kernel_load(const struct xen_kernel *k, const uint8_t *elf,
                    size_t len, xen_kernel_write_fn write, void *opaque,
                    char *why, size_t why_len);

/* Is feature bit f set in a f_supported/f_required map? */
bool xen_feature_test(const uint32_t *map, unsigned f);

/* Parse a FEATURES string ("a|!b|c") into the maps as libelf does: 0, or -1
 * when a required (!) name is unknown (required may be NULL: then unknown
 * names are never an error). */
int xen_parse_features(const char *s, uint32_t *supported, uint32_t *required);

#endif
