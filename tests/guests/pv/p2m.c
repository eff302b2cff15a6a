/*
 * A kernel with an INIT_P2M note (as Debian's Linux has one, there at
 * 0x8000000000): libxenguest's builder gives a 64-bit kernel its p2m list
 * outside the initial mapping, mapped at the INIT_P2M address by page
 * tables of its own, and says where in start_info (mfn_list,
 * first_p2m_pfn, nr_p2m_frames).  Here virt_base is 4 MiB and INIT_P2M
 * 2 MiB, so the p2m mapping shares the initial mapping's L2 (and L3) and
 * brings one L1.  A 32-bit PAE kernel's INIT_P2M is ignored.
 */
#include "pvrt.h"

#define INIT_P2M 0x200000ul
#define VIRT_BASE 0x400000ul
#define PG_P 0x1ull
#define PG_RW 0x2ull
#define PG_A 0x20ull
#define UVMF_INVLPG 2
#ifdef __x86_64__
#define M2P ((const unsigned long *)0xffff800000000000ul)
#define SI(o64, o32) (o64)
#define NOTE_WORD ".quad"
#else
#define M2P ((const unsigned long *)0xf5800000ul)
#define SI(o64, o32) (o32)
#define NOTE_WORD ".long"
#endif

/* virt_base = paddr_offset = 4 MiB: the kernel (linked at 4 MiB) is pfn 0. */
__asm__(".globl pv_virt_base\n .set pv_virt_base, 0x400000\n"
        ".globl pv_paddr_offset\n .set pv_paddr_offset, 0x400000\n"
        ".pushsection .note.Xen, \"a\"\n"
        ".balign 4\n"
        ".long 4, 2f - 1f, 15\n"           /* XEN_ELFNOTE_INIT_P2M */
        ".asciz \"Xen\"\n"
        "1: " NOTE_WORD " 0x200000\n"
        "2: .balign 4\n"
        ".popsection\n");

static unsigned long si(unsigned off)
{
    return *(unsigned long *)((char *)pv_start_info + off);
}

static long uvm(unsigned long va, uint64_t pte)
{
#ifdef __x86_64__
    return HYPERCALL(__HYPERVISOR_update_va_mapping, va, pte, UVMF_INVLPG);
#else
    return pv_hypercall(__HYPERVISOR_update_va_mapping, va, (uint32_t)pte,
                        (uint32_t)(pte >> 32), UVMF_INVLPG, 0);
#endif
}

int main(void)
{
    unsigned long nr_pages = si(32), pt_base = si(SI(88, 60));
    unsigned long nr_pt = si(SI(96, 64));
    unsigned long *p2m = (unsigned long *)si(SI(104, 68));
    unsigned long first = si(SI(1152, 1104)), nr = si(SI(1160, 1108));
    unsigned long pgtab_end_pfn = (pt_base - VIRT_BASE) / 4096 + nr_pt;
    unsigned long pfn, bad = 0, p2m_pages = (nr_pages * sizeof(long) + 4095)
                                            / 4096;

    printf("nr_pages %lu, mfn_list %#lx, first_p2m_pfn %#lx, "
           "nr_p2m_frames %lu\n", nr_pages, (unsigned long)p2m, first, nr);
    /* The whole list, read through its mapping, agrees with the M2P. */
    for (pfn = 0; pfn < nr_pages; pfn++)
        if (M2P[p2m[pfn]] != pfn)
            bad++;
    printf("p2m entries that disagree with the M2P: %lu\n", bad);
    if (sizeof(long) == 4) {
        printf("INIT_P2M ignored: the list is in the initial mapping: %s\n",
               (unsigned long)p2m > VIRT_BASE &&
               (unsigned long)p2m < pt_base ? "yes" : "no");
        return 0;
    }
    printf("list and its tables: %lu + %lu frames, after the initial "
           "mapping: %s\n", p2m_pages, nr - p2m_pages,
           first > pgtab_end_pfn ? "yes" : "no");
    printf("the list's own frames: %s\n",
           M2P[p2m[first]] == first &&
           M2P[p2m[first + p2m_pages - 1]] == first + p2m_pages - 1
           ? "where start_info says" : "ELSEWHERE");
    /* It is the guest's own memory, writable. */
    p2m[nr_pages - 1] = p2m[nr_pages - 1];
    printf("written: ok\n");
    /* Its L1 (itself covering 2-4 MiB) is a page table: never mapped
     * writable. */
    printf("map its L1 writable: %ld, read-only: %ld\n",
           uvm(0x300000, (uint64_t)p2m[first + p2m_pages] << 12 | PG_P | PG_RW |
                       PG_A),
           uvm(0x300000, (uint64_t)p2m[first + p2m_pages] << 12 | PG_P | PG_A));
    printf("its entry 0 maps the list's first frame: %s\n",
           (*(volatile uint64_t *)0x300000 & 0x000ffffffffff000ull) >> 12 ==
           p2m[first] ? "yes" : "no");
    return 0;
}
