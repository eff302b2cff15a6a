/*
 * The PV MMU (xenplat/mm*.c, descriptor.c) against Xen's rules: a small
 * 64-bit PV domain built in memory with hand-made page tables, driven
 * through the hypercall entry points, checking Xen's exact return codes,
 * *pdone, type and reference counts.
 */
#include <string.h>

#include "xenemu/le.h"
#include "xenplat/guest.h"
#include "xenplat/mm.h"
#include "xenplat/xenmap.h"
#include "unit.h"

#define MACHINE_FRAMES 2048
#define VA_SCRATCH 0x400000ull      /* L1[0]: request buffers (RW) */
#define VA_DATA    0x401000ull      /* L1[1]: data page 1 (RW) */
#define VA_L1      0x402000ull      /* L1[2]: the L1 itself (RO) */
#define VA_FREE    0x403000ull      /* L1[3]: unmapped at start */
#define PTE_K      (PTE_P | PTE_RW | PTE_US | PTE_A | PTE_D)

static struct xen X;
static struct domain *D, *other;
static struct vcpu *V;
static uint64_t l4, l3, l2, l1, scratch, data1, data2, spare;

static uint64_t alloc(struct domain *d)
{
    uint64_t mfn = frame_alloc(&X, d->domid);
    CU_ASSERT_FATAL(mfn != ~0ull);
    return mfn;
}

static void set(uint64_t mfn, unsigned i, uint64_t e)
{
    le64_store(mfn_ptr(&X, mfn) + i * 8, e);
}

static uint64_t get(uint64_t mfn, unsigned i)
{
    return le64_load(mfn_ptr(&X, mfn) + i * 8);
}

static struct page_info *pg(uint64_t mfn)
{
    return &X.frame[mfn];
}

static void paging_on(struct vcpu *v)
{
    struct cpu *c = &v->cpu;

    cpu_set_cr4(c, CR4_PAE | CR4_PGE);
    cpu_set_efer(c, EFER_SCE | EFER_LME | EFER_NXE);
    cpu_set_cr0(c, CR0_PE | CR0_WP | CR0_PG | CR0_ET);
    cpu_set_seg(c, SEG_CS, FLAT_KERNEL_CS64, 0, 0xffffffff,
                0xb | SEGA_S | SEGA_P | 3 << 5 | SEGA_L | SEGA_G);
    cpu_update_mode(c);
}

/* A fresh machine: domain 1 with 64-bit page tables mapping the four
 * pages at VA_SCRATCH.., pinned and installed as the kernel base. */
static void teardown(void)
{
    if (X.frame) {
        domain_destroy(D);
        domain_destroy(other);
        xen_destroy(&X);
    }
    memset(&X, 0, sizeof(X));
    D = other = NULL;
}

static void fresh(bool is64)
{
    teardown();
    CU_ASSERT_FATAL(xen_init(&X, MACHINE_FRAMES) == 0);
    D = domain_create(&X, 1, "t", is64, 2);
    other = domain_create(&X, 2, "o", true, 1);
    CU_ASSERT_FATAL(D && other && vcpu_create(D, 0) == 0 &&
                    vcpu_create(other, 0) == 0);
    V = D->vcpu[0];
    share_xen_page_with_guest(D, D->shared_info_mfn);
    l4 = alloc(D), l3 = alloc(D), l2 = alloc(D), l1 = alloc(D);
    scratch = alloc(D), data1 = alloc(D), data2 = alloc(D), spare = alloc(D);
    if (is64)
        set(l4, 0, l3 << 12 | PTE_K);
    set(l3, 0, l2 << 12 | (is64 ? PTE_K : PTE_P));
    set(l2, 2, l1 << 12 | PTE_K);
    set(l1, 0, scratch << 12 | PTE_P | PTE_RW | PTE_A);
    set(l1, 1, data1 << 12 | PTE_P | PTE_RW | PTE_A);
    set(l1, 2, l1 << 12 | PTE_P | PTE_A);
    V->kernel_mode = true;
    paging_on(V);
}

static void boot64(void)
{
    fresh(true);
    CU_ASSERT_FATAL(mm_pin_table(D, l4, PGT_l4_page_table) == 0);
    CU_ASSERT_FATAL(mm_new_baseptr(V, l4) == 0);
}

static int cleanup(void)
{
    teardown();
    return 0;
}

/* One mmu_update request through guest memory; *done gets *pdone. */
static long mmu_update(uint64_t ptr, uint64_t val, uint32_t fd,
                       uint32_t *done)
{
    uint64_t a[6] = { VA_SCRATCH, 1, VA_SCRATCH + 0x800, fd };
    long rc;

    set(scratch, 0, ptr);
    set(scratch, 1, val);
    le32_store(mfn_ptr(&X, scratch) + 0x800, 0xdead);
    rc = do_mmu_update(V, a);
    if (done)
        *done = le32_load(mfn_ptr(&X, scratch) + 0x800);
    return rc;
}

static long pt_update(uint64_t table, unsigned i, uint64_t val)
{
    return mmu_update((table << 12) + i * 8, val, DOMID_SELF, NULL);
}

static long mmuext(uint32_t cmd, uint64_t arg1, uint64_t arg2)
{
    uint8_t *s = mfn_ptr(&X, scratch);
    uint64_t a[6] = { VA_SCRATCH + 0x100, 1, 0, DOMID_SELF };

    memset(s + 0x100, 0, 24);
    le32_store(s + 0x100, cmd);
    le64_store(s + 0x108, arg1);
    le64_store(s + 0x110, arg2);
    return do_mmuext_op(V, a);
}

/* ---- validation ------------------------------------------------------------ */

static void test_pin_validates(void)
{
    boot64();
    CU_ASSERT_EQUAL(pg(l4)->type, PGT_l4_page_table);
    CU_ASSERT_EQUAL(pg(l4)->type_count, 2);           /* pin + vCPU */
    CU_ASSERT(pg(l4)->flags & PGF_pinned);
    CU_ASSERT_EQUAL(pg(l3)->type, PGT_l3_page_table);
    CU_ASSERT_EQUAL(pg(l2)->type, PGT_l2_page_table);
    CU_ASSERT_EQUAL(pg(l1)->type, PGT_l1_page_table);
    CU_ASSERT_EQUAL(pg(l1)->type_count, 1);
    CU_ASSERT_EQUAL(pg(data1)->type, PGT_writable_page);
    CU_ASSERT_EQUAL(pg(data1)->type_count, 1);
    CU_ASSERT_EQUAL(pg(data1)->count, 2);             /* alloc + map */
    /* adjust_guest_l1e: kernel pages are user + GUEST_KERNEL. */
    CU_ASSERT_EQUAL(get(l1, 1), data1 << 12 | PTE_P | PTE_RW | PTE_A |
                    PTE_US | PTE_GUEST_KERNEL);
    /* Xen's slots: per-domain area, and the RO M2P of a kernel base. */
    CU_ASSERT(get(l4, L4_SLOT_PERDOMAIN) & PTE_P);
    CU_ASSERT_EQUAL(get(l4, L4_SLOT_RO_MPT), xenmap_ro_mpt_l4e(&X));
    CU_ASSERT_EQUAL(get(l4, 0) & PTE_A, PTE_A);
    /* Pinning twice, pinning as another type, foreign frames. */
    CU_ASSERT_EQUAL(mm_pin_table(D, l4, PGT_l4_page_table), -XEN_EINVAL);
    CU_ASSERT_EQUAL(mm_pin_table(D, l1, PGT_l2_page_table), -XEN_EINVAL);
    CU_ASSERT_EQUAL(mm_pin_table(D, X.m2p_mfn, PGT_l1_page_table),
                    -XEN_EINVAL);
}

static void test_pin_refuses(void)
{
    fresh(true);
    /* An L1 mapping a page table writable: -EBUSY from get_page_from_l1e,
     * and nothing stays referenced. */
    set(l1, 3, l2 << 12 | PTE_P | PTE_RW);
    CU_ASSERT_EQUAL(mm_pin_table(D, l4, PGT_l4_page_table), -XEN_EBUSY);
    CU_ASSERT_EQUAL(pg(l4)->type_count, 0);
    CU_ASSERT_EQUAL(pg(l1)->type_count, 0);
    CU_ASSERT_EQUAL(pg(data1)->type_count, 0);
    CU_ASSERT_EQUAL(pg(data1)->count, 1);
    CU_ASSERT_EQUAL(pg(l2)->count, 1);
    set(l1, 3, 0);
    /* A disallowed L2 flag (PSE). */
    set(l2, 5, spare << 12 | PTE_K | PTE_PS);
    CU_ASSERT_EQUAL(mm_pin_table(D, l4, PGT_l4_page_table), -XEN_EINVAL);
    set(l2, 5, 0);
    CU_ASSERT_EQUAL(mm_pin_table(D, l4, PGT_l4_page_table), 0);
}

static void test_unpin_devalidates(void)
{
    boot64();
    set(spare, 7, data2 << 12 | PTE_P | PTE_RW);
    CU_ASSERT_EQUAL(mmuext(0, spare, 0), 0);            /* PIN_L1 */
    CU_ASSERT_EQUAL(pg(spare)->type, PGT_l1_page_table);
    CU_ASSERT_EQUAL(pg(data2)->type_count, 1);
    CU_ASSERT_EQUAL(mmuext(0, spare, 0), -XEN_EINVAL);  /* pinned twice */
    CU_ASSERT_EQUAL(pg(spare)->type_count, 1);
    CU_ASSERT_EQUAL(mmuext(4, spare, 0), 0);            /* UNPIN */
    CU_ASSERT_EQUAL(pg(spare)->type_count, 0);
    CU_ASSERT_FALSE(pg(spare)->flags & PGF_validated);
    CU_ASSERT_EQUAL(pg(data2)->type_count, 0);
    CU_ASSERT_EQUAL(pg(data2)->count, 1);
    CU_ASSERT_EQUAL(mmuext(4, spare, 0), -XEN_EINVAL);  /* not pinned */
    /* An L1 in an L2 entry: devalidated when the entry goes. */
    CU_ASSERT_EQUAL(pt_update(l2, 9, spare << 12 | PTE_K), 0);
    CU_ASSERT_EQUAL(pg(spare)->type_count, 1);
    CU_ASSERT_EQUAL(pg(data2)->type, PGT_writable_page);
    CU_ASSERT_EQUAL(get(l2, 9) & PTE_US, PTE_US);
    CU_ASSERT_EQUAL(pt_update(l2, 9, 0), 0);
    CU_ASSERT_EQUAL(pg(spare)->type_count, 0);
    CU_ASSERT_EQUAL(pg(data2)->type_count, 0);
    /* Now an ordinary page again: writable mappings are fine. */
    CU_ASSERT_EQUAL(pt_update(l1, 3, spare << 12 | PTE_P | PTE_RW), 0);
    CU_ASSERT_EQUAL(pg(spare)->type, PGT_writable_page);
    /* ... and it can no longer become a page table. */
    CU_ASSERT_EQUAL(mmuext(0, spare, 0), -XEN_EINVAL);
}

/* ---- mmu_update ---------------------------------------------------------------- */

static void test_l1_updates(void)
{
    uint32_t done;

    boot64();
    /* Page tables and descriptor pages never writable. */
    CU_ASSERT_EQUAL(pt_update(l1, 3, l1 << 12 | PTE_P | PTE_RW), -XEN_EBUSY);
    CU_ASSERT_EQUAL(pt_update(l1, 3, l4 << 12 | PTE_P | PTE_RW), -XEN_EBUSY);
    CU_ASSERT_EQUAL(pt_update(l1, 3, l4 << 12 | PTE_P), 0);
    CU_ASSERT_EQUAL(pg(l4)->count, 4);        /* alloc, pin, vCPU, map */
    /* Frames of others: Xen's, another domain's, free, not RAM. */
    CU_ASSERT_EQUAL(pt_update(l1, 3, X.m2p_mfn << 12 | PTE_P), -XEN_EBUSY);
    CU_ASSERT_EQUAL(pt_update(l1, 3, alloc(other) << 12 | PTE_P),
                    -XEN_EBUSY);
    CU_ASSERT_EQUAL(pt_update(l1, 3, (uint64_t)(MACHINE_FRAMES - 1) << 12 |
                              PTE_P), -XEN_EBUSY);
    CU_ASSERT_EQUAL(pt_update(l1, 3, (uint64_t)MACHINE_FRAMES << 12 | PTE_P),
                    -XEN_EPERM);
    CU_ASSERT_EQUAL(pt_update(l1, 3, PTE_ADDR_MASK | PTE_P), -XEN_EINVAL);
    /* Xen-shared shared_info is the guest's to map writable. */
    CU_ASSERT_EQUAL(pt_update(l1, 4, D->shared_info_mfn << 12 | PTE_P |
                              PTE_RW), 0);
    /* Flags: PWT, PCD, PAT, GNTTAB refused; G and NX and bits 9-11, 52-61
     * allowed. */
    CU_ASSERT_EQUAL(pt_update(l1, 5, data2 << 12 | PTE_P | PTE_PCD),
                    -XEN_EINVAL);
    CU_ASSERT_EQUAL(pt_update(l1, 5, data2 << 12 | PTE_P | PTE_PWT),
                    -XEN_EINVAL);
    CU_ASSERT_EQUAL(pt_update(l1, 5, data2 << 12 | PTE_P | PTE_PS),
                    -XEN_EINVAL);
    CU_ASSERT_EQUAL(pt_update(l1, 5, data2 << 12 | PTE_P | PTE_GNTTAB),
                    -XEN_EINVAL);
    CU_ASSERT_EQUAL(pt_update(l1, 5, data2 << 12 | PTE_P | PTE_US | PTE_XD |
                              PTE_G | 0xe00 | 1ull << 55), 0);
    /* User page: global (adjust_guest_l1e). */
    CU_ASSERT_EQUAL(get(l1, 5), data2 << 12 | PTE_P | PTE_US | PTE_XD |
                    PTE_G | 0xe00 | 1ull << 55);
    CU_ASSERT_EQUAL(pt_update(l1, 6, data2 << 12 | PTE_P), 0);
    CU_ASSERT_EQUAL(get(l1, 6), data2 << 12 | PTE_P | PTE_US |
                    PTE_GUEST_KERNEL);
    /* Remapping drops the old reference. */
    CU_ASSERT_EQUAL(pg(data2)->count, 3);
    CU_ASSERT_EQUAL(pt_update(l1, 6, 0), 0);
    CU_ASSERT_EQUAL(pg(data2)->count, 2);
    /* Bad commands and *pdone. */
    CU_ASSERT_EQUAL(mmu_update((l1 << 12) + 6 * 8 + 4, 0, DOMID_SELF, &done),
                    -XEN_ENOSYS);
    CU_ASSERT_EQUAL(done, 0);
    CU_ASSERT_EQUAL(mmu_update((l1 << 12) + 7 * 8, data2 << 12 | PTE_P,
                               DOMID_SELF, &done), 0);
    CU_ASSERT_EQUAL(done, 1);
    /* An entry in a frame that is not ours. */
    CU_ASSERT_EQUAL(pt_update(X.m2p_mfn, 0, 0), -XEN_EINVAL);
}

static void test_plain_and_typed_frames(void)
{
    boot64();
    /* A page of no page-table type takes a plain write. */
    CU_ASSERT_EQUAL(pt_update(data1, 3, 0x1234567887654321ull), 0);
    CU_ASSERT_EQUAL(get(data1, 3), 0x1234567887654321ull);
    CU_ASSERT_EQUAL(pt_update(spare, 3, 42), 0);
    CU_ASSERT_EQUAL(pg(spare)->type_count, 0);
    /* A descriptor page in use takes none. */
    CU_ASSERT_EQUAL(get_page_and_type(D, spare, PGT_seg_desc_page), 0);
    CU_ASSERT_EQUAL(pt_update(spare, 4, 42), -XEN_EINVAL);
    put_page_and_type(D, spare);
}

static void test_preserve_ad(void)
{
    uint64_t e;

    boot64();
    CU_ASSERT_EQUAL(pt_update(l1, 3, data2 << 12 | PTE_P | PTE_RW), 0);
    set(l1, 3, get(l1, 3) | PTE_A | PTE_D);    /* the CPU used it */
    e = data2 << 12 | PTE_P | PTE_RW | PTE_PWT * 0;
    CU_ASSERT_EQUAL(mmu_update((l1 << 12) + 3 * 8 + 2, e, DOMID_SELF, NULL),
                    0);
    CU_ASSERT_EQUAL(get(l1, 3) & (PTE_A | PTE_D), PTE_A | PTE_D);
    CU_ASSERT_EQUAL(pt_update(l1, 3, e), 0);
    CU_ASSERT_EQUAL(get(l1, 3) & (PTE_A | PTE_D), 0);
    CU_ASSERT_EQUAL(pg(data2)->type_count, 1);      /* fast path: no refs */
}

static void test_machphys(void)
{
    boot64();
    CU_ASSERT_EQUAL(mmu_update(data1 << 12 | 1, 0x777, DOMID_SELF, NULL), 0);
    CU_ASSERT_EQUAL(m2p_get(&X, data1), 0x777);
    CU_ASSERT_EQUAL(mmu_update(X.m2p_mfn << 12 | 1, 5, DOMID_SELF, NULL),
                    -XEN_EINVAL);
    CU_ASSERT_EQUAL(mmu_update(data1 << 12 | 1, 5, DOMID_IO, NULL),
                    -XEN_EINVAL);
}

static void test_foreigndom(void)
{
    uint32_t done;
    uint64_t e = data2 << 12 | PTE_P;

    boot64();
    CU_ASSERT_EQUAL(mmu_update((l1 << 12) + 24, e, 1, &done), -XEN_ESRCH);
    CU_ASSERT_EQUAL(done, 0);
    CU_ASSERT_EQUAL(mmu_update((l1 << 12) + 24, e, 2, &done), -XEN_EPERM);
    CU_ASSERT_EQUAL(mmu_update((l1 << 12) + 24, e, 9, &done), -XEN_ESRCH);
    CU_ASSERT_EQUAL(mmu_update((l1 << 12) + 24, e, DOMID_XEN, &done),
                    -XEN_EPERM);
    CU_ASSERT_EQUAL(mmu_update((l1 << 12) + 24, e, DOMID_IO, &done),
                    -XEN_EBUSY);
    CU_ASSERT_EQUAL(mmu_update((l1 << 12) + 24, e, 3u << 16 | DOMID_SELF,
                               &done), -XEN_EPERM);
    CU_ASSERT_EQUAL(mmu_update((l1 << 12) + 24, e, 2u << 16 | DOMID_SELF,
                               &done), 0);
    CU_ASSERT_EQUAL(mmu_update((l1 << 12) + 24, e, 7u << 16 | DOMID_SELF,
                               &done), -XEN_ESRCH);
}

static void test_upper_levels(void)
{
    boot64();
    /* Xen's L4 slots. */
    CU_ASSERT_EQUAL(pt_update(l4, 256, 0), -XEN_EINVAL);
    CU_ASSERT_EQUAL(pt_update(l4, 271, l3 << 12 | PTE_P), -XEN_EINVAL);
    /* Linear page tables: a read-only self map is fine, RW is not. */
    CU_ASSERT_EQUAL(pt_update(l4, 300, l4 << 12 | PTE_P), 0);
    CU_ASSERT_EQUAL(get(l4, 300), l4 << 12 | PTE_P | PTE_US | PTE_A);
    CU_ASSERT_EQUAL(pt_update(l4, 301, l4 << 12 | PTE_P | PTE_RW),
                    -XEN_EINVAL);
    /* An L3 that maps itself as its L2: */
    CU_ASSERT_EQUAL(pt_update(l3, 5, l3 << 12 | PTE_P), 0);
    CU_ASSERT_EQUAL(pt_update(l3, 5, 0), 0);
    /* Another L2 of the domain as an L1 (read-only): counts linear use. */
    CU_ASSERT_EQUAL(get_page_and_type(D, spare, PGT_l2_page_table), 0);
    CU_ASSERT_EQUAL(pt_update(l2, 7, spare << 12 | PTE_P), 0);
    CU_ASSERT_EQUAL(pg(spare)->type_count, 2);
    CU_ASSERT_EQUAL(pg(spare)->linear_pt_count, -1);
    CU_ASSERT_EQUAL(pg(l2)->linear_pt_count, 1);
    CU_ASSERT_EQUAL(pt_update(l2, 7, 0), 0);
    CU_ASSERT_EQUAL(pg(spare)->type_count, 1);
    CU_ASSERT_EQUAL(pg(spare)->linear_pt_count, 0);
    CU_ASSERT_EQUAL(pg(l2)->linear_pt_count, 0);
    put_page_and_type(D, spare);
    /* Flags upstairs: G and PSE refused. */
    CU_ASSERT_EQUAL(pt_update(l2, 8, spare << 12 | PTE_K | PTE_G),
                    -XEN_EINVAL);
    CU_ASSERT_EQUAL(pt_update(l3, 8, spare << 12 | PTE_K | PTE_PS),
                    -XEN_EINVAL);
}

/* ---- update_va_mapping and mmuext_op ---------------------------------------------- */

static void test_update_va_mapping(void)
{
    uint64_t a[6] = { VA_FREE, data2 << 12 | PTE_P | PTE_RW, 2 /* INVLPG */ };
    uint32_t v;

    boot64();
    le32_store(mfn_ptr(&X, data2), 0xfeedface);
    CU_ASSERT_EQUAL(get_guest_u32(V, VA_FREE, &v), -XEN_EFAULT);
    CU_ASSERT_EQUAL(do_update_va_mapping(V, a), 0);
    CU_ASSERT_EQUAL(get_guest_u32(V, VA_FREE, &v), 0);
    CU_ASSERT_EQUAL(v, 0xfeedface);
    a[1] = 0;
    CU_ASSERT_EQUAL(do_update_va_mapping(V, a), 0);
    CU_ASSERT_EQUAL(get_guest_u32(V, VA_FREE, &v), -XEN_EFAULT);
    /* Writable page tables refused; no L1 for the address; Xen's range. */
    a[1] = l2 << 12 | PTE_P | PTE_RW;
    CU_ASSERT_EQUAL(do_update_va_mapping(V, a), -XEN_EBUSY);
    a[0] = 0x40000000;
    a[1] = 0;
    CU_ASSERT_EQUAL(do_update_va_mapping(V, a), -XEN_EINVAL);
    a[0] = 0xffff800000000000ull;
    CU_ASSERT_EQUAL(do_update_va_mapping(V, a), -XEN_EINVAL);
    /* otherdomain: itself by id is unknown, others not permitted. */
    a[0] = VA_FREE;
    a[3] = 1;
    CU_ASSERT_EQUAL(do_update_va_mapping_otherdomain(V, a), -XEN_ESRCH);
    a[3] = 2;
    CU_ASSERT_EQUAL(do_update_va_mapping_otherdomain(V, a), -XEN_EPERM);
    a[3] = DOMID_SELF;
    CU_ASSERT_EQUAL(do_update_va_mapping_otherdomain(V, a), 0);
}

static void test_mmuext_misc(void)
{
    uint64_t a[6] = { VA_SCRATCH + 0x100, 2, VA_SCRATCH + 0x800, DOMID_SELF };
    uint8_t *s;

    boot64();
    CU_ASSERT_EQUAL(mmuext(12, 0, 0), -XEN_EACCES);          /* FLUSH_CACHE */
    CU_ASSERT_EQUAL(mmuext(18, 0, 0), -XEN_EINVAL);
    CU_ASSERT_EQUAL(mmuext(19, data1, 0), -XEN_EOPNOTSUPP);  /* MARK_SUPER */
    CU_ASSERT_EQUAL(mmuext(99, 0, 0), -XEN_ENOSYS);
    CU_ASSERT_EQUAL(mmuext(6, 0, 0), 0);
    CU_ASSERT_EQUAL(mmuext(11, VA_DATA, 0), 0);
    /* CLEAR_PAGE / COPY_PAGE need a page that can be writable. */
    set(data2, 0, 77);
    CU_ASSERT_EQUAL(mmuext(17, data1, data2), 0);
    CU_ASSERT_EQUAL(get(data1, 0), 77);
    CU_ASSERT_EQUAL(mmuext(16, data1, 0), 0);
    CU_ASSERT_EQUAL(get(data1, 0), 0);
    CU_ASSERT_EQUAL(mmuext(16, l1, 0), -XEN_EINVAL);
    CU_ASSERT_EQUAL(mmuext(17, l1, data2), -XEN_EINVAL);
    /* NEW_USER_BASEPTR takes an L4 type reference, 0 drops it. */
    CU_ASSERT_EQUAL(mmuext(15, l4, 0), 0);
    CU_ASSERT_EQUAL(pg(l4)->type_count, 3);
    CU_ASSERT_EQUAL(mmuext(15, 0, 0), 0);
    CU_ASSERT_EQUAL(pg(l4)->type_count, 2);
    CU_ASSERT_EQUAL(mmuext(15, data1, 0), -XEN_EINVAL);
    /* A batch stops at the first failure; *pdone counts. */
    s = mfn_ptr(&X, scratch);
    memset(s + 0x100, 0, 48);
    le32_store(s + 0x100, 6);
    le32_store(s + 0x118, 4);                  /* UNPIN, not pinned */
    le64_store(s + 0x120, data1);
    CU_ASSERT_EQUAL(do_mmuext_op(V, a), -XEN_EINVAL);
    CU_ASSERT_EQUAL(le32_load(s + 0x800), 1);
    a[3] = 2;
    CU_ASSERT_EQUAL(do_mmuext_op(V, a), -XEN_EPERM);
    a[3] = 1;
    CU_ASSERT_EQUAL(do_mmuext_op(V, a), -XEN_ESRCH);
    /* LDT arguments. */
    CU_ASSERT_EQUAL(mmuext(13, VA_DATA + 8, 1), -XEN_EINVAL);
    CU_ASSERT_EQUAL(mmuext(13, VA_DATA, 8193), -XEN_EINVAL);
    CU_ASSERT_EQUAL(mmuext(13, 0xffff800000000000ull, 1), -XEN_EINVAL);
    CU_ASSERT_EQUAL(mmuext(13, VA_DATA, 3), 0);
    CU_ASSERT_EQUAL(V->cpu.ldtr.limit, 23);
    CU_ASSERT_EQUAL(V->cpu.ldtr.base, xenmap_ldt_va(V));
}

static void test_new_baseptr(void)
{
    boot64();
    /* A fresh L4 sharing the L3. */
    set(spare, 0, l3 << 12 | PTE_K);
    CU_ASSERT_EQUAL(mmuext(5, spare, 0), 0);
    CU_ASSERT_EQUAL(V->kernel_l4, spare);
    CU_ASSERT_EQUAL(pg(spare)->type, PGT_l4_page_table);
    CU_ASSERT_EQUAL(pg(l3)->type_count, 2);
    CU_ASSERT_EQUAL(pg(l4)->type_count, 1);          /* the pin */
    CU_ASSERT_EQUAL(V->cpu.cr3, spare << 12);
    CU_ASSERT_EQUAL(mmuext(4, l4, 0), 0);            /* unpin: devalidate */
    CU_ASSERT_EQUAL(pg(l4)->type_count, 0);
    CU_ASSERT_EQUAL(pg(l3)->type_count, 1);
    CU_ASSERT_EQUAL(mmuext(5, data1, 0), -XEN_EINVAL);
}

/* ---- descriptors ------------------------------------------------------------------- */

static long update_desc(uint64_t maddr, uint64_t desc)
{
    uint64_t a[6] = { maddr, desc };
    return do_update_descriptor(V, a);
}

static void test_update_descriptor(void)
{
    boot64();
    /* A DPL 0 data segment gets the kernel's DPL 3. */
    CU_ASSERT_EQUAL(update_desc(data2 << 12 | 16, 0x00cf93000000ffffull), 0);
    CU_ASSERT_EQUAL(get(data2, 2), 0x00cff3000000ffffull);
    CU_ASSERT_EQUAL(update_desc(data2 << 12 | 20, 0), -XEN_EINVAL);
    /* TSS, interrupt gates: refused.  Not present: anything goes. */
    CU_ASSERT_EQUAL(update_desc(data2 << 12, 0x0000890000000067ull),
                    -XEN_EINVAL);
    CU_ASSERT_EQUAL(update_desc(data2 << 12, 0x00008e0000000000ull),
                    -XEN_EINVAL);
    CU_ASSERT_EQUAL(update_desc(data2 << 12, 0x0000090000000067ull), 0);
    /* A call gate: DPL 0, the guest's DPL in the selector RPL. */
    CU_ASSERT_EQUAL(update_desc(data2 << 12, 0x0000ec00e0331234ull), 0);
    CU_ASSERT_EQUAL(get(data2, 0), 0x00008c00e0331234ull);
    CU_ASSERT_EQUAL(update_desc(data2 << 12, 0x0000ec00e0101234ull),
                    -XEN_EINVAL);                     /* Xen's selector */
    /* Page tables, others' frames. */
    CU_ASSERT_EQUAL(update_desc(l1 << 12, 0), -XEN_EINVAL);
    CU_ASSERT_EQUAL(update_desc(X.m2p_mfn << 12, 0), -XEN_EINVAL);
}

static void test_set_gdt(void)
{
    uint64_t a[6] = { VA_SCRATCH + 0x200, 600 };

    boot64();
    le64_store(mfn_ptr(&X, scratch) + 0x200, spare);
    le64_store(mfn_ptr(&X, scratch) + 0x208, data2);
    set(spare, 1, 0x00cf93000000ffffull);
    CU_ASSERT_EQUAL(do_set_gdt(V, a), 0);
    CU_ASSERT_EQUAL(pg(spare)->type, PGT_seg_desc_page);
    CU_ASSERT_EQUAL(pg(data2)->type, PGT_seg_desc_page);
    CU_ASSERT_EQUAL(get(spare, 1), 0x00cff3000000ffffull);
    CU_ASSERT_EQUAL(V->gdt_ents, 600);
    /* Descriptor pages cannot be mapped writable now. */
    CU_ASSERT_EQUAL(pt_update(l1, 3, spare << 12 | PTE_P | PTE_RW),
                    -XEN_EBUSY);
    a[1] = FIRST_RESERVED_GDT_ENTRY + 1;
    CU_ASSERT_EQUAL(do_set_gdt(V, a), -XEN_EINVAL);
    /* A writable-mapped frame cannot become one. */
    le64_store(mfn_ptr(&X, scratch) + 0x200, data1);
    a[1] = 1;
    CU_ASSERT_EQUAL(do_set_gdt(V, a), -XEN_EINVAL);
    CU_ASSERT_EQUAL(pg(spare)->type_count, 1);       /* old GDT kept */
    /* Replacing the GDT releases the old frames. */
    le64_store(mfn_ptr(&X, scratch) + 0x200, spare);
    CU_ASSERT_EQUAL(do_set_gdt(V, a), 0);
    CU_ASSERT_EQUAL(pg(data2)->type_count, 0);
    CU_ASSERT_EQUAL(pt_update(l1, 3, data2 << 12 | PTE_P | PTE_RW), 0);
    /* A frame with a bad descriptor. */
    set(data1, 3, 0x0000890000000067ull);
    CU_ASSERT_EQUAL(pt_update(l1, 1, 0), 0);
    le64_store(mfn_ptr(&X, scratch) + 0x200, data1);
    CU_ASSERT_EQUAL(do_set_gdt(V, a), -XEN_EINVAL);
    a[0] = 0xffff800000000000ull;
    CU_ASSERT_EQUAL(do_set_gdt(V, a), -XEN_EFAULT);
}

/* ---- 32-bit PAE ---------------------------------------------------------------------- */

static void test_compat_l3(void)
{
    uint64_t l2b = 0, l3b;

    fresh(false);
    /* Slot 3 must hold the Xen-slot L2. */
    CU_ASSERT_EQUAL(mm_pin_table(D, l3, PGT_l3_page_table), -XEN_EINVAL);
    l2b = alloc(D);
    set(l3, 3, l2b << 12 | PTE_P);
    set(l3, 7, 0x1234);                               /* zeroed by Xen */
    CU_ASSERT_EQUAL(mm_pin_table(D, l3, PGT_l3_page_table), 0);
    CU_ASSERT_EQUAL(get(l3, 7), 0);
    CU_ASSERT_EQUAL(get(l3, 0), l2 << 12 | PTE_P | PTE_US | PTE_RW);
    CU_ASSERT(pg(l2b)->flags & PGF_pae_xen_l2);
    CU_ASSERT(get(l2b, COMPAT_L2_FIRST_XEN_SLOT) & PTE_P);
    /* No U|GUEST_KERNEL games for 32-bit guests. */
    CU_ASSERT_EQUAL(get(l1, 1), data1 << 12 | PTE_P | PTE_RW | PTE_A);
    /* The slot-3 L2 cannot be shared by another L3. */
    l3b = alloc(D);
    set(l3b, 3, l2b << 12 | PTE_P);
    CU_ASSERT_EQUAL(mm_pin_table(D, l3b, PGT_l3_page_table), -XEN_EINVAL);
    CU_ASSERT_EQUAL(pg(l2b)->type_count, 1);
    /* PIN_L4 is ignored for a 32-bit guest. */
    CU_ASSERT_EQUAL(mm_pin_table(D, spare, PGT_l4_page_table), 0);
    CU_ASSERT_EQUAL(pg(spare)->type_count, 0);
    CU_ASSERT_EQUAL(mm_new_baseptr(V, l3), 0);
    CU_ASSERT_EQUAL(V->guest_l3, l3);
    CU_ASSERT_EQUAL(pg(l3)->type_count, 2);
    /* L3 slot 3 and above are Xen's to keep; NX is not allowed in an L3. */
    CU_ASSERT_EQUAL(mm_mod_entry(V, l3, 3 * 8, 0, false, D), -XEN_EINVAL);
    CU_ASSERT_EQUAL(mm_mod_entry(V, l3, 1 * 8, spare << 12 | PTE_P | PTE_XD,
                                 false, D), -XEN_EINVAL);
    /* Xen's slots of the L2. */
    CU_ASSERT_EQUAL(mm_mod_entry(V, l2b, COMPAT_L2_FIRST_XEN_SLOT * 8, 0,
                                 false, D), -XEN_EPERM);
    CU_ASSERT_EQUAL(mm_mod_entry(V, l2b, 8, 0, false, D), 0);
}

UNIT_SUITE(pvmm)
{
    CU_pSuite s = CU_add_suite("pvmm", NULL, cleanup);
    UNIT_TEST(s, test_pin_validates);
    UNIT_TEST(s, test_pin_refuses);
    UNIT_TEST(s, test_unpin_devalidates);
    UNIT_TEST(s, test_l1_updates);
    UNIT_TEST(s, test_plain_and_typed_frames);
    UNIT_TEST(s, test_preserve_ad);
    UNIT_TEST(s, test_machphys);
    UNIT_TEST(s, test_foreigndom);
    UNIT_TEST(s, test_upper_levels);
    UNIT_TEST(s, test_update_va_mapping);
    UNIT_TEST(s, test_mmuext_misc);
    UNIT_TEST(s, test_new_baseptr);
    UNIT_TEST(s, test_update_descriptor);
    UNIT_TEST(s, test_set_gdt);
    UNIT_TEST(s, test_compat_l3);
}
