/*
 * The Xen guest ABI as numbers: hypercall numbers, error codes, VIRQs,
 * selectors, and the byte offsets of every guest-visible structure xenemu
 * reads or writes.  Each fact is from Xen's public headers
 * (xen/include/public/); /work/shared/doc/xen-abi.md names the file.
 *
 * Guest structures are accessed through include/xenemu/le.h at these
 * offsets, never by overlaying a host struct.  Where the 64-bit and the
 * 32-bit (compat) ABIs differ, struct xen_abi holds both variants and a
 * domain points at the one that fits it.
 */
#ifndef XENEMU_XENPLAT_ABI_H
#define XENEMU_XENPLAT_ABI_H

#include "xenemu/common.h"

/* ---- hypercall numbers (pub/xen.h) --------------------------------------- */
enum {
    HC_set_trap_table = 0,
    HC_mmu_update = 1,
    HC_set_gdt = 2,
    HC_stack_switch = 3,
    HC_set_callbacks = 4,
    HC_fpu_taskswitch = 5,
    HC_sched_op_compat = 6,
    HC_platform_op = 7,
    HC_set_debugreg = 8,
    HC_get_debugreg = 9,
    HC_update_descriptor = 10,
    HC_memory_op = 12,
    HC_multicall = 13,
    HC_update_va_mapping = 14,
    HC_set_timer_op = 15,
    HC_event_channel_op_compat = 16,
    HC_xen_version = 17,
    HC_console_io = 18,
    HC_physdev_op_compat = 19,
    HC_grant_table_op = 20,
    HC_vm_assist = 21,
    HC_update_va_mapping_otherdomain = 22,
    HC_iret = 23,
    HC_vcpu_op = 24,
    HC_set_segment_base = 25,
    HC_mmuext_op = 26,
    HC_xsm_op = 27,
    HC_nmi_op = 28,
    HC_sched_op = 29,
    HC_callback_op = 30,
    HC_xenoprof_op = 31,
    HC_event_channel_op = 32,
    HC_physdev_op = 33,
    HC_hvm_op = 34,
    HC_sysctl = 35,
    HC_domctl = 36,
    HC_kexec_op = 37,
    HC_tmem_op = 38,
    HC_argo_op = 39,
    HC_xenpmu_op = 40,
    HC_dm_op = 41,
    HC_hypfs_op = 42,
    HC_mca = 48,
    HC_paging_domctl_cont = 49,
    NR_HYPERCALLS = 64,
};

/* ---- error codes (pub/errno.h), returned negated ------------------------- */
enum {
    XEN_EPERM = 1, XEN_ENOENT = 2, XEN_ESRCH = 3, XEN_EINTR = 4, XEN_EIO = 5,
    XEN_ENXIO = 6, XEN_E2BIG = 7, XEN_ENOEXEC = 8, XEN_EBADF = 9,
    XEN_ECHILD = 10, XEN_EAGAIN = 11, XEN_ENOMEM = 12, XEN_EACCES = 13,
    XEN_EFAULT = 14, XEN_EBUSY = 16, XEN_EEXIST = 17, XEN_EXDEV = 18,
    XEN_ENODEV = 19, XEN_ENOTDIR = 20, XEN_EISDIR = 21, XEN_EINVAL = 22,
    XEN_ENFILE = 23, XEN_EMFILE = 24, XEN_ENOSPC = 28, XEN_EROFS = 30,
    XEN_EMLINK = 31, XEN_EDOM = 33, XEN_ERANGE = 34, XEN_EDEADLK = 35,
    XEN_ENAMETOOLONG = 36, XEN_ENOLCK = 37, XEN_ENOSYS = 38,
    XEN_ENOTEMPTY = 39, XEN_ENODATA = 61, XEN_ETIME = 62, XEN_EBADMSG = 74,
    XEN_EOVERFLOW = 75, XEN_EILSEQ = 84, XEN_ENOTSOCK = 88,
    XEN_EMSGSIZE = 90, XEN_EOPNOTSUPP = 95, XEN_EADDRINUSE = 98,
    XEN_EADDRNOTAVAIL = 99, XEN_ENOBUFS = 105, XEN_EISCONN = 106,
    XEN_ENOTCONN = 107, XEN_ETIMEDOUT = 110, XEN_ECONNREFUSED = 111,
};

/* ---- domain ids (pub/xen.h) ---------------------------------------------- */
enum {
    DOMID_FIRST_RESERVED = 0x7ff0,
    DOMID_SELF = 0x7ff0,
    DOMID_IO = 0x7ff1,
    DOMID_XEN = 0x7ff2,
    DOMID_COW = 0x7ff3,
    DOMID_INVALID = 0x7ff4,
    DOMID_ANY = 0x7ff5,
    DOMID_IDLE = 0x7fff,
};

/* ---- VIRQs (pub/xen.h) ---------------------------------------------------- */
enum {
    VIRQ_TIMER = 0, VIRQ_DEBUG = 1, VIRQ_CONSOLE = 2, VIRQ_DOM_EXC = 3,
    VIRQ_TBUF = 4, VIRQ_DEBUGGER = 6, VIRQ_XENOPROF = 7, VIRQ_CON_RING = 8,
    VIRQ_PCPU_STATE = 9, VIRQ_MEM_EVENT = 10, VIRQ_ARGO = 11,
    VIRQ_ENOMEM = 12, VIRQ_XENPMU = 13, VIRQ_ARCH_0 = 16,
    NR_VIRQS = 24,
};

/* ---- shutdown reasons (pub/sched.h) -------------------------------------- */
enum {
    SHUTDOWN_poweroff = 0, SHUTDOWN_reboot = 1, SHUTDOWN_suspend = 2,
    SHUTDOWN_crash = 3, SHUTDOWN_watchdog = 4, SHUTDOWN_soft_reset = 5,
};

/* ---- selectors ------------------------------------------------------------ */
/* 64-bit PV (pub/arch-x86/xen-x86_64.h). */
#define FLAT_RING3_CS32  0xe023
#define FLAT_RING3_CS64  0xe033
#define FLAT_RING3_DS32  0xe02b
#define FLAT_RING3_SS64  0xe02b
#define FLAT_KERNEL_CS64 FLAT_RING3_CS64
#define FLAT_KERNEL_SS64 FLAT_RING3_SS64
/* 32-bit PV (pub/arch-x86/xen-x86_32.h). */
#define FLAT_RING1_CS    0xe019
#define FLAT_RING1_DS    0xe021
#define FLAT_RING3_CS    0xe02b
#define FLAT_RING3_DS    0xe033

/* GDT entries from here on are Xen's (pub/arch-x86/xen.h). */
#define FIRST_RESERVED_GDT_PAGE  14
#define FIRST_RESERVED_GDT_ENTRY (FIRST_RESERVED_GDT_PAGE * 512)
#define FIRST_RESERVED_GDT_BYTE  (FIRST_RESERVED_GDT_PAGE * 4096)

/* ---- address space --------------------------------------------------------- */
#define HYPERVISOR_VIRT_START_64  0xffff800000000000ull
#define HYPERVISOR_VIRT_END_64    0xffff880000000000ull
#define RO_MPT_VIRT_START_64      0xffff800000000000ull
#define RO_MPT_VIRT_END_64        0xffff804000000000ull
#define MACH2PHYS_NR_ENTRIES_64   ((1ull << 35) - 1 + 1)   /* max_mfn + 1 */
#define HYPERVISOR_VIRT_START_32  0xf5800000u
#define RO_MPT_VIRT_START_32      0xf5800000u
#define RO_MPT_VIRT_END_32        0xffe00000u
#define MACH2PHYS_MAX_MFN_32      0x297ffffu

/* ---- trap_info (pub/arch-x86/xen.h) ----------------------------------------- */
#define TI_VECTOR  0
#define TI_FLAGS   1
#define TI_CS      2
#define TI_ADDRESS(is64) ((is64) ? 8u : 4u)
#define TI_SIZE(is64)    ((is64) ? 16u : 8u)
#define TI_DPL(flags)    ((flags) & 3u)
#define TI_MASK_EVENTS   4u

/* ---- vcpu_info, vcpu_time_info, shared_info, start_info ---------------------- */
#define VCPU_INFO_SIZE             64
#define VI_UPCALL_PENDING          0
#define VI_UPCALL_MASK             1
#define VI_TIME                    32

#define VTI_VERSION                0
#define VTI_TSC_TIMESTAMP          8
#define VTI_SYSTEM_TIME            16
#define VTI_MUL                    24
#define VTI_SHIFT                  28
#define VTI_FLAGS                  29
#define XEN_PVCLOCK_TSC_STABLE_BIT 1u
#define XEN_PVCLOCK_GUEST_STOPPED  2u

#define XEN_LEGACY_MAX_VCPUS       32
#define SHARED_INFO_VCPU_INFO      0

#define SIF_PRIVILEGED     1u
#define SIF_INITDOMAIN     2u
#define SIF_MULTIBOOT_MOD  4u
#define SIF_MOD_START_PFN  8u
#define SIF_VIRT_P2M_4TOOLS 16u
#define START_INFO_MAGIC_LEN 32
#define MAX_GUEST_CMDLINE  1024

/* The layouts that differ between the 64-bit and the 32-bit ABI. */
struct xen_abi {
    bool is64;
    unsigned ulong_size;           /* 8 or 4 */

    /* vcpu_info */
    unsigned vi_pending_sel, vi_cr2;

    /* shared_info */
    unsigned sh_evtchn_pending, sh_evtchn_mask;
    unsigned sh_wc_version, sh_wc_sec, sh_wc_nsec, sh_wc_sec_hi;
    unsigned sh_max_pfn, sh_p2m_frame_list_list, sh_nmi_reason;
    unsigned sh_p2m_cr3, sh_p2m_vaddr, sh_p2m_generation;
    unsigned sh_size;

    /* start_info */
    unsigned si_nr_pages, si_shared_info, si_flags, si_store_mfn,
             si_store_evtchn, si_console_mfn, si_console_evtchn, si_pt_base,
             si_nr_pt_frames, si_mfn_list, si_mod_start, si_mod_len,
             si_cmd_line, si_first_p2m_pfn, si_nr_p2m_frames, si_size;

    /* event channels: bits per selector word */
    unsigned evtchn_word_bits;
    unsigned nr_evtchn_2l;         /* 4096 / 1024 */

    const char *guest_type;        /* "xen-3.0-x86_64" / "xen-3.0-x86_32p" */
};

extern const struct xen_abi xen_abi64, xen_abi32;

#endif
