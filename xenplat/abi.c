/* The two layouts of the Xen ABI (offsets from xen-abi.md §2.4, verified
 * against pub/xen.h compiled with -m64 and -m32). */
#include "xenplat/abi.h"

const struct xen_abi xen_abi64 = {
    .is64 = true, .ulong_size = 8,
    .vi_pending_sel = 8, .vi_cr2 = 16,
    .sh_evtchn_pending = 2048, .sh_evtchn_mask = 2560,
    .sh_wc_version = 3072, .sh_wc_sec = 3076, .sh_wc_nsec = 3080,
    .sh_wc_sec_hi = 3084, .sh_max_pfn = 3088, .sh_p2m_frame_list_list = 3096,
    .sh_nmi_reason = 3104, .sh_p2m_cr3 = 3112, .sh_p2m_vaddr = 3120,
    .sh_p2m_generation = 3128, .sh_size = 3136,
    .si_nr_pages = 32, .si_shared_info = 40, .si_flags = 48,
    .si_store_mfn = 56, .si_store_evtchn = 64, .si_console_mfn = 72,
    .si_console_evtchn = 80, .si_pt_base = 88, .si_nr_pt_frames = 96,
    .si_mfn_list = 104, .si_mod_start = 112, .si_mod_len = 120,
    .si_cmd_line = 128, .si_first_p2m_pfn = 1152, .si_nr_p2m_frames = 1160,
    .si_size = 1168,
    .evtchn_word_bits = 64, .nr_evtchn_2l = 4096,
    .guest_type = "xen-3.0-x86_64",
};

const struct xen_abi xen_abi32 = {
    .is64 = false, .ulong_size = 4,
    .vi_pending_sel = 4, .vi_cr2 = 8,
    .sh_evtchn_pending = 2048, .sh_evtchn_mask = 2176,
    .sh_wc_version = 2304, .sh_wc_sec = 2308, .sh_wc_nsec = 2312,
    .sh_wc_sec_hi = 2340, .sh_max_pfn = 2316, .sh_p2m_frame_list_list = 2320,
    .sh_nmi_reason = 2324, .sh_p2m_cr3 = 2328, .sh_p2m_vaddr = 2332,
    .sh_p2m_generation = 2336, .sh_size = 2344,
    .si_nr_pages = 32, .si_shared_info = 36, .si_flags = 40,
    .si_store_mfn = 44, .si_store_evtchn = 48, .si_console_mfn = 52,
    .si_console_evtchn = 56, .si_pt_base = 60, .si_nr_pt_frames = 64,
    .si_mfn_list = 68, .si_mod_start = 72, .si_mod_len = 76,
    .si_cmd_line = 80, .si_first_p2m_pfn = 1104, .si_nr_p2m_frames = 1108,
    .si_size = 1112,
    .evtchn_word_bits = 32, .nr_evtchn_2l = 1024,
    .guest_type = "xen-3.0-x86_32p",
};
