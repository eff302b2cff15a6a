/*
 * xenplat/builder.c against libxenguest's layout (xg_dom_core.c
 * xc_dom_build_image, xg_dom_x86.c): kernels made in memory by kimage.c
 * are built into a domain and the result is read back through the guest's
 * own page tables — the INIT_P2M list mapped at 0x8000000000 by tables of
 * its own (start_info mfn_list, first_p2m_pfn, nr_p2m_frames), the p2m
 * inside the initial mapping without it, modules and their page-rounded
 * length, a deferred (MOD_START_PFN) module after the initial mapping.
 */
#include <string.h>

#include "xenemu/le.h"
#include "xenplat/builder.h"
#include "xenplat/guest.h"
#include "xenplat/kernel-info.h"
#include "xenplat/mm.h"
#include "xenplat/pvimage.h"
#include "kimage.h"
#include "unit.h"

#define GUEST_PAGES 4096ull                 /* 16 MiB */
#define MACHINE_FRAMES (GUEST_PAGES + GUEST_PAGES / 64 + 2048)
#define SIF_MOD_START_PFN 8u

static struct kimage ki;
static struct xen X;
static struct domain *D;
static struct pv_kernel K;
static struct pv_boot_info I;
static uint8_t ramdisk[5000];
static uint64_t nr_pages = GUEST_PAGES;

static void teardown(void)
{
    if (D)
        domain_destroy(D);
    if (X.frame)
        xen_destroy(&X);
    pv_image_free(&K);
    memset(&X, 0, sizeof(X));
    D = NULL;
}

/* Build ki with nr_pages of memory (and the ramdisk when asked). */
static int build(bool with_ramdisk)
{
    struct pv_build_args a = {
        .kernel_name = "k", .kernel = &K, .cmdline = "",
        .nr_pages = nr_pages, .max_pages = nr_pages,
    };

    teardown();
    ki_build(&ki);
    if (pv_image_parse("k", ki.b, ki.len, GUEST_PAGES << PAGE_SHIFT, &K))
        return -1;
    CU_ASSERT_FATAL(xen_init(&X, MACHINE_FRAMES) == 0);
    D = domain_create(&X, 1, "t", K.is64, 1);
    CU_ASSERT_FATAL(D != NULL);
    if (with_ramdisk) {
        memset(ramdisk, 0x5a, sizeof(ramdisk));
        a.ramdisk = ramdisk;
        a.ramdisk_len = sizeof(ramdisk);
    }
    return pv_build(D, &a, &I);
}

static struct vcpu *v0(void)
{
    return D->vcpu[0];
}

/* A guest virtual address's word of the given size (through its tables). */
static uint64_t peek(uint64_t va, unsigned size)
{
    uint8_t b[8];

    CU_ASSERT_FATAL(cpu_read_virt(&v0()->cpu, va, b, size, ACC_NOSET) == 0);
    return le_load(b, size);
}

static uint64_t si(unsigned off, unsigned size)
{
    return peek(K.virt_base + (I.start_info_pfn << PAGE_SHIFT) + off, size);
}

static uint64_t p2m(uint64_t pfn)
{
    unsigned esz = K.is64 ? 8 : 4;
    return peek(I.p2m_va + pfn * esz, esz);
}

static uint64_t pgtab_end_pfn(void)
{
    return (I.virt_pgtab_end - K.virt_base) >> PAGE_SHIFT;
}

static void test_init_p2m(void)
{
    const struct xen_abi *abi = &xen_abi64;
    uint64_t pfn, first, list_pages = GUEST_PAGES * 8 / PAGE_SIZE, l3, l4;
    unsigned bad = 0;

    ki_linux64(&ki);                      /* INIT_P2M 0x8000000000 */
    CU_ASSERT_FATAL(build(false) == 0);
    CU_ASSERT_EQUAL(I.p2m_va, 0x8000000000ull);
    CU_ASSERT_EQUAL(si(abi->si_mfn_list, 8), 0x8000000000ull);
    first = si(abi->si_first_p2m_pfn, 8);
    CU_ASSERT_EQUAL(first, I.first_p2m_pfn);
    /* After the initial mapping: the list's 8 frames, then an L3 (L4
     * slot 1), an L2 and an L1 of its own. */
    CU_ASSERT_EQUAL(first, pgtab_end_pfn());
    CU_ASSERT_EQUAL(si(abi->si_nr_p2m_frames, 8), list_pages + 3);
    for (pfn = 0; pfn < GUEST_PAGES; pfn++)
        if (m2p_get(&X, p2m(pfn)) != pfn)
            bad++;
    CU_ASSERT_EQUAL(bad, 0);
    /* The list's own frames are where start_info says. */
    CU_ASSERT_EQUAL(m2p_get(&X, p2m(first)), first);
    l3 = p2m(first + list_pages);
    CU_ASSERT_EQUAL(X.frame[l3].type, PGT_l3_page_table);
    CU_ASSERT_EQUAL(X.frame[p2m(first + list_pages + 1)].type,
                    PGT_l2_page_table);
    CU_ASSERT_EQUAL(X.frame[p2m(first + list_pages + 2)].type,
                    PGT_l1_page_table);
    /* The kernel's L4 slot 1 points at it; the initial mapping's own
     * table count is unchanged by it (nr_pt_frames: L4, L3, L2, 2 L1s
     * for its 4 MiB). */
    l4 = p2m((si(abi->si_pt_base, 8) - K.virt_base) >> PAGE_SHIFT);
    CU_ASSERT_EQUAL(pte_mfn(le64_load(mfn_ptr(&X, l4) + 8)), l3);
    CU_ASSERT_EQUAL(si(abi->si_nr_pt_frames, 8), 5);
    teardown();
}

static void test_no_init_p2m(void)
{
    const struct xen_abi *abi = &xen_abi32;

    ki_linux32(&ki);
    nr_pages = 4000;                      /* 16000 bytes of list */
    CU_ASSERT_FATAL(build(false) == 0);
    nr_pages = GUEST_PAGES;
    /* Right after the kernel, in the initial mapping; 4-byte entries. */
    CU_ASSERT_EQUAL(I.p2m_va, KI_VIRT_BASE32 + KI_PADDR + 0x3000);
    CU_ASSERT_EQUAL(si(abi->si_mfn_list, 4), I.p2m_va);
    CU_ASSERT_EQUAL(si(abi->si_first_p2m_pfn, 4), 0);
    CU_ASSERT_EQUAL(si(abi->si_nr_p2m_frames, 4), 0);
    CU_ASSERT_EQUAL(m2p_get(&X, p2m(3999)), 3999);
    /* The rest of the list's last page is as populated: zero. */
    CU_ASSERT_EQUAL(peek(I.p2m_va + 4000 * 4, 4), 0);
    CU_ASSERT_EQUAL(peek(I.p2m_va + 4096 * 4 - 4, 4), 0);
    teardown();
}

/* ki_linux64 with another INIT_P2M value. */
static void linux64_init_p2m(uint64_t va)
{
    uint8_t old[8], *p;

    ki_linux64(&ki);
    le64_store(old, 0x8000000000ull);
    for (p = ki.notes; p + 8 <= ki.notes + ki.notes_len; p++)
        if (!memcmp(p, old, 8)) {
            le64_store(p, va);
            return;
        }
    CU_FAIL("no INIT_P2M note in ki_linux64");
}

/* INIT_P2M not below virt_base, or not page-aligned: libxenguest ignores
 * it and the list goes into the initial mapping after the kernel. */
static void test_init_p2m_ignored(void)
{
    static const uint64_t vas[] = { 0xffffffffc0000000ull, 0x8000000800ull };
    unsigned i;

    for (i = 0; i < 2; i++) {
        linux64_init_p2m(vas[i]);
        CU_ASSERT_FATAL(build(false) == 0);
        CU_ASSERT_EQUAL(I.p2m_va, K.virt_kend);
        CU_ASSERT_EQUAL(I.nr_p2m_frames, 0);
        CU_ASSERT_EQUAL(m2p_get(&X, p2m(7)), 7);
        teardown();
    }
}

/* The INIT_P2M list must fit in memory after everything else. */
static void test_init_p2m_too_big(void)
{
    struct pv_build_args a = {
        .kernel_name = "k", .kernel = &K, .cmdline = "",
        .nr_pages = 1028, .max_pages = 1028,
    };

    ki_linux64(&ki);
    CU_ASSERT_FATAL(build(false) == 0);   /* parses K, makes X and D */
    domain_destroy(D);
    xen_destroy(&X);
    CU_ASSERT_FATAL(xen_init(&X, MACHINE_FRAMES) == 0);
    D = domain_create(&X, 1, "t", true, 1);
    /* 4 MiB of initial mapping is pfn 1024; the list needs 3 + 3 more. */
    CU_ASSERT_EQUAL(pv_build(D, &a, &I), -1);
    teardown();
}

static void test_ramdisk(void)
{
    const struct xen_abi *abi = &xen_abi64;
    uint64_t start, len;

    ki_linux64(&ki);
    CU_ASSERT_FATAL(build(true) == 0);
    start = si(abi->si_mod_start, 8);
    len = si(abi->si_mod_len, 8);
    /* Right after the kernel, its length in whole pages. */
    CU_ASSERT_EQUAL(start, K.virt_kend);
    CU_ASSERT_EQUAL(len, 2 * PAGE_SIZE);
    CU_ASSERT_EQUAL(peek(start + sizeof(ramdisk) - 1, 1), 0x5a);
    CU_ASSERT_EQUAL(peek(start + sizeof(ramdisk), 1), 0);
    CU_ASSERT_EQUAL(si(abi->si_flags, 4) & SIF_MOD_START_PFN, 0);
    teardown();

    /* Deferred: after the initial mapping, passed as a pfn. */
    ki_linux64(&ki);
    ki_note_num(&ki, XEN_ELFNOTE_MOD_START_PFN, 1, 4);
    CU_ASSERT_FATAL(build(true) == 0);
    start = si(abi->si_mod_start, 8);
    CU_ASSERT_EQUAL(start, pgtab_end_pfn());
    CU_ASSERT_EQUAL(si(abi->si_mod_len, 8), 2 * PAGE_SIZE);
    CU_ASSERT_EQUAL(si(abi->si_flags, 4) & SIF_MOD_START_PFN,
                    SIF_MOD_START_PFN);
    CU_ASSERT_EQUAL(mfn_ptr(&X, p2m(start))[0], 0x5a);
    /* The INIT_P2M list comes after it. */
    CU_ASSERT_EQUAL(I.first_p2m_pfn, start + 2);
    teardown();
}

UNIT_SUITE(builder)
{
    CU_pSuite s = CU_add_suite("builder", NULL, NULL);
    UNIT_TEST(s, test_init_p2m);
    UNIT_TEST(s, test_no_init_p2m);
    UNIT_TEST(s, test_init_p2m_ignored);
    UNIT_TEST(s, test_init_p2m_too_big);
    UNIT_TEST(s, test_ramdisk);
}
