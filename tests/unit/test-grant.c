/*
 * Grant tables (xenplat/grant-*.c) against Xen's rules: two 64-bit PV
 * domains built in memory; domain 1 (page tables mapping a scratch page)
 * issues GNTTABOP_* hypercalls on domain 2's grants, whose table the test
 * writes as domain 2 would.  Exact return codes, GNTST statuses, GTF
 * status bits, PTEs, page reference and type counts, tear-down, and the
 * backends' C API.
 */
#include <string.h>

#include "xenemu/le.h"
#include "xenplat/guest.h"
#include "xenplat/mm.h"
#include "unit.h"

#define MACHINE_FRAMES 2048
#define VA_SCRATCH 0x400000ull      /* L1[0]: hypercall arguments (RW) */
#define VA_DATA    0x401000ull      /* L1[1]: data1 (RW) */
#define VA_FREE    0x403000ull      /* L1[3]: unmapped at start */
#define OP         (VA_SCRATCH + 0x100)
#define LIST       (VA_SCRATCH + 0x800)
#define PTE_K      (PTE_P | PTE_RW | PTE_US | PTE_A | PTE_D)
#define BAD_VA     0xffff800000001000ull   /* Xen's: not a guest address */

static struct xen X;
static struct domain *D, *R;       /* the mapper, the granter */
static struct vcpu *V;
static uint64_t l4, l3, l2, l1, scratch, data1, g1, g2;

static uint8_t *sp(void) { return mfn_ptr(&X, scratch); }
static struct page_info *pg(uint64_t mfn) { return &X.frame[mfn]; }
static uint64_t get(uint64_t mfn, unsigned i)
{
    return le64_load(mfn_ptr(&X, mfn) + i * 8);
}
static void set(uint64_t mfn, unsigned i, uint64_t e)
{
    le64_store(mfn_ptr(&X, mfn) + i * 8, e);
}

static void teardown(void)
{
    if (X.frame) {
        domain_destroy(D);
        domain_destroy(R);
        xen_destroy(&X);
    }
    memset(&X, 0, sizeof(X));
    D = R = NULL;
}

static int cleanup(void)
{
    teardown();
    return 0;
}

static void boot(void)
{
    struct cpu *c;

    teardown();
    CU_ASSERT_FATAL(xen_init(&X, MACHINE_FRAMES) == 0);
    D = domain_create(&X, 1, "mapper", true, 1);
    R = domain_create(&X, 2, "granter", true, 1);
    CU_ASSERT_FATAL(D && R && vcpu_create(D, 0) == 0 &&
                    vcpu_create(R, 0) == 0);
    V = D->vcpu[0];
    l4 = frame_alloc(&X, 1), l3 = frame_alloc(&X, 1);
    l2 = frame_alloc(&X, 1), l1 = frame_alloc(&X, 1);
    scratch = frame_alloc(&X, 1), data1 = frame_alloc(&X, 1);
    g1 = frame_alloc(&X, 2), g2 = frame_alloc(&X, 2);
    set(l4, 0, l3 << 12 | PTE_K);
    set(l3, 0, l2 << 12 | PTE_K);
    set(l2, 2, l1 << 12 | PTE_K);
    set(l1, 0, scratch << 12 | PTE_P | PTE_RW | PTE_A);
    set(l1, 1, data1 << 12 | PTE_P | PTE_RW | PTE_A);
    V->kernel_mode = true;
    c = &V->cpu;
    cpu_set_cr4(c, CR4_PAE | CR4_PGE);
    cpu_set_efer(c, EFER_SCE | EFER_LME | EFER_NXE);
    cpu_set_cr0(c, CR0_PE | CR0_WP | CR0_PG | CR0_ET);
    cpu_set_seg(c, SEG_CS, FLAT_KERNEL_CS64, 0, 0xffffffff,
                0xb | SEGA_S | SEGA_P | 3 << 5 | SEGA_L | SEGA_G);
    cpu_update_mode(c);
    CU_ASSERT_FATAL(mm_pin_table(D, l4, PGT_l4_page_table) == 0);
    CU_ASSERT_FATAL(mm_new_baseptr(V, l4) == 0);
    memcpy(mfn_ptr(&X, g1), "granted page one", 17);
}

/* Domain 2 writes v1 entry ref. */
static void grant_v1(struct domain *d, uint32_t ref, uint16_t flags,
                     uint16_t domid, uint32_t frame)
{
    uint8_t *e = mfn_ptr(&X, d->gt.shared_mfn[0]) + ref * 8;

    le16_store(e + 2, domid);
    le32_store(e + 4, frame);
    le16_store(e, flags);
}

static uint16_t gflags(struct domain *d, uint32_t ref)
{
    return le16_load(mfn_ptr(&X, d->gt.shared_mfn[0]) + ref * 8);
}

static long gntop(unsigned cmd, uint64_t uop, uint32_t count)
{
    uint64_t a[6] = { cmd, uop, count };

    return do_grant_table_op(V, a);
}

/* ---- map / unmap through guest memory -------------------------------------- */

struct map_res {
    long rc;
    int16_t status;
    uint32_t handle;
    uint64_t bus;
};

static struct map_res map(uint64_t addr, uint32_t flags, uint32_t ref,
                          uint16_t dom)
{
    uint8_t *b = sp() + 0x100;
    struct map_res r;

    memset(b, 0xee, 32);
    le64_store(b, addr);
    le32_store(b + 8, flags);
    le32_store(b + 12, ref);
    le16_store(b + 16, dom);
    r.rc = gntop(GNTTABOP_map_grant_ref, OP, 1);
    r.status = (int16_t)le16_load(b + 18);
    r.handle = le32_load(b + 20);
    r.bus = le64_load(b + 24);
    return r;
}

static int16_t unmap(unsigned cmd, uint64_t addr, uint64_t second,
                     uint32_t handle)
{
    uint8_t *b = sp() + 0x100;

    le64_store(b, addr);
    le64_store(b + 8, second);
    le32_store(b + 16, handle);
    le16_store(b + 20, 0x7777);
    CU_ASSERT_EQUAL(gntop(cmd, OP, 1), 0);
    return (int16_t)le16_load(b + 20);
}

/* ---- table operations -------------------------------------------------------------- */

static int16_t setup(uint16_t dom, uint32_t nr, uint64_t list, long *rc)
{
    uint8_t *b = sp() + 0x100;

    memset(b, 0, 24);
    le16_store(b, dom);
    le32_store(b + 4, nr);
    le64_store(b + 16, list);
    *rc = gntop(GNTTABOP_setup_table, OP, 1);
    return (int16_t)le16_load(b + 8);
}

static void test_setup_query(void)
{
    uint8_t *b;
    long rc;

    boot();
    b = sp() + 0x100;
    CU_ASSERT_EQUAL(D->gt.nr_frames, 1);
    CU_ASSERT_EQUAL(setup(DOMID_SELF, 1, LIST, &rc), GNTST_okay);
    CU_ASSERT_EQUAL(rc, 0);
    CU_ASSERT_EQUAL(le64_load(sp() + 0x800), D->gt.shared_mfn[0]);
    /* Growing: 4 frames, each Xen's, shared writable with the domain. */
    CU_ASSERT_EQUAL(setup(1, 4, LIST, &rc), GNTST_okay);
    CU_ASSERT_EQUAL(D->gt.nr_frames, 4);
    CU_ASSERT_EQUAL(le64_load(sp() + 0x818), D->gt.shared_mfn[3]);
    CU_ASSERT_EQUAL(pg(D->gt.shared_mfn[3])->owner, 1);
    CU_ASSERT_EQUAL(pg(D->gt.shared_mfn[3])->type, PGT_writable_page);
    CU_ASSERT(pg(D->gt.shared_mfn[3])->flags & PGF_xen_heap);
    /* The guest can map its grant frame through mmu_update. */
    CU_ASSERT_EQUAL(mm_mod_entry(V, l1, 3 * 8, D->gt.shared_mfn[0] << 12 |
                                 PTE_P | PTE_RW, false, D), 0);
    /* Limits and errors. */
    CU_ASSERT_EQUAL(setup(DOMID_SELF, 65, LIST, &rc), GNTST_general_error);
    CU_ASSERT_EQUAL(setup(2, 1, LIST, &rc), GNTST_permission_denied);
    CU_ASSERT_EQUAL(setup(99, 1, LIST, &rc), GNTST_bad_domain);
    CU_ASSERT_EQUAL(setup(DOMID_SELF, 1, BAD_VA, &rc), 0);
    CU_ASSERT_EQUAL(rc, -XEN_EFAULT);
    CU_ASSERT_EQUAL(setup(DOMID_SELF, 1, VA_FREE + 0x1000, &rc),
                    GNTST_bad_virt_addr);
    CU_ASSERT_EQUAL(gntop(GNTTABOP_setup_table, OP, 2), -XEN_EINVAL);
    CU_ASSERT_EQUAL(gntop(GNTTABOP_setup_table, OP, 0), -XEN_EINVAL);
    /* query_size */
    memset(b, 0, 16);
    le16_store(b, DOMID_SELF);
    CU_ASSERT_EQUAL(gntop(GNTTABOP_query_size, OP, 1), 0);
    CU_ASSERT_EQUAL(le32_load(b + 4), 4);
    CU_ASSERT_EQUAL(le32_load(b + 8), GNTTAB_DEFAULT_MAX_FRAMES);
    CU_ASSERT_EQUAL((int16_t)le16_load(b + 12), GNTST_okay);
    le16_store(b, 2);
    CU_ASSERT_EQUAL(gntop(GNTTABOP_query_size, OP, 1), 0);
    CU_ASSERT_EQUAL((int16_t)le16_load(b + 12), GNTST_permission_denied);
    le16_store(b, 50);
    CU_ASSERT_EQUAL(gntop(GNTTABOP_query_size, OP, 1), 0);
    CU_ASSERT_EQUAL((int16_t)le16_load(b + 12), GNTST_bad_domain);
    CU_ASSERT_EQUAL(gntop(GNTTABOP_query_size, OP, 3), -XEN_EINVAL);
    CU_ASSERT_EQUAL(gntop(GNTTABOP_query_size, BAD_VA, 1), -XEN_EFAULT);
    /* The dispatcher. */
    CU_ASSERT_EQUAL(gntop(GNTTABOP_dump_table, OP, 1), -XEN_ENOSYS);
    CU_ASSERT_EQUAL(gntop(13, OP, 1), -XEN_ENOSYS);
    CU_ASSERT_EQUAL(gntop(GNTTABOP_query_size | 0x1000, OP, 1), -XEN_EINVAL);
    CU_ASSERT_EQUAL(gntop(GNTTABOP_map_grant_ref, OP, 0x80000000u),
                    -XEN_EINVAL);
    CU_ASSERT_EQUAL(gntop(GNTTABOP_map_grant_ref, BAD_VA, 1), -XEN_EFAULT);
}

static void test_versions(void)
{
    uint8_t *b;
    uint64_t st;

    boot();
    b = sp() + 0x100;
    le32_store(b, 0);
    le16_store(b, DOMID_SELF);
    CU_ASSERT_EQUAL(gntop(GNTTABOP_get_version, OP, 1), 0);
    CU_ASSERT_EQUAL(le32_load(b + 4), 1);
    le16_store(b, 2);
    CU_ASSERT_EQUAL(gntop(GNTTABOP_get_version, OP, 1), -XEN_EPERM);
    le16_store(b, 9);
    CU_ASSERT_EQUAL(gntop(GNTTABOP_get_version, OP, 1), -XEN_ESRCH);
    /* Reserved entries survive a version change; the rest are cleared. */
    grant_v1(D, 3, GTF_permit_access, 0, 0x1234);
    grant_v1(D, 9, GTF_permit_access, 0, 0x5678);
    le32_store(b, 3);
    CU_ASSERT_EQUAL(gntop(GNTTABOP_set_version, OP, 1), -XEN_EINVAL);
    CU_ASSERT_EQUAL(le32_load(b), 1);
    le32_store(b, 2);
    CU_ASSERT_EQUAL(gntop(GNTTABOP_set_version, OP, 1), 0);
    CU_ASSERT_EQUAL(D->gt.version, 2);
    CU_ASSERT_EQUAL(D->gt.nr_status_frames, 1);
    {
        uint8_t *e = mfn_ptr(&X, D->gt.shared_mfn[0]);
        CU_ASSERT_EQUAL(le16_load(e + 3 * 16), GTF_permit_access);
        CU_ASSERT_EQUAL(le64_load(e + 3 * 16 + 8), 0x1234);
        CU_ASSERT_EQUAL(le64_load(e + 9 * 16 + 8), 0);
    }
    /* get_status_frames */
    memset(b, 0, 16);
    le32_store(b, 1);
    le16_store(b + 4, DOMID_SELF);
    le64_store(b + 8, LIST);
    CU_ASSERT_EQUAL(gntop(GNTTABOP_get_status_frames, OP, 1), 0);
    CU_ASSERT_EQUAL((int16_t)le16_load(b + 6), GNTST_okay);
    st = le64_load(sp() + 0x800);
    CU_ASSERT_EQUAL(st, D->gt.status_mfn[0]);
    le32_store(b, 2);
    CU_ASSERT_EQUAL(gntop(GNTTABOP_get_status_frames, OP, 1), 0);
    CU_ASSERT_EQUAL((int16_t)le16_load(b + 6), GNTST_general_error);
    /* A status frame the guest maps cannot go: -EBUSY going back. */
    CU_ASSERT_EQUAL(mm_mod_entry(V, l1, 3 * 8, st << 12 | PTE_P | PTE_RW,
                                 false, D), 0);
    le32_store(b, 1);
    CU_ASSERT_EQUAL(gntop(GNTTABOP_set_version, OP, 1), -XEN_EBUSY);
    CU_ASSERT_EQUAL(le32_load(b), 2);
    CU_ASSERT_EQUAL(mm_mod_entry(V, l1, 3 * 8, 0, false, D), 0);
    /* A v2 reserved entry v1 cannot hold: -ERANGE. */
    le64_store(mfn_ptr(&X, D->gt.shared_mfn[0]) + 3 * 16 + 8, 1ull << 40);
    le32_store(b, 1);
    CU_ASSERT_EQUAL(gntop(GNTTABOP_set_version, OP, 1), -XEN_ERANGE);
    CU_ASSERT_EQUAL(le32_load(b), 2);
    le64_store(mfn_ptr(&X, D->gt.shared_mfn[0]) + 3 * 16 + 8, 0x1234);
    le32_store(b, 1);
    CU_ASSERT_EQUAL(gntop(GNTTABOP_set_version, OP, 1), 0);
    CU_ASSERT_EQUAL(D->gt.version, 1);
    CU_ASSERT_EQUAL(D->gt.nr_status_frames, 0);
    CU_ASSERT_EQUAL(pg(st)->owner, DOMID_INVALID);
    CU_ASSERT_EQUAL(le32_load(mfn_ptr(&X, D->gt.shared_mfn[0]) + 3 * 8 + 4),
                    0x1234);
}

/* ---- mapping ------------------------------------------------------------------------ */

static void test_map_rw(void)
{
    struct map_res r;
    char buf[20];
    uint64_t pte;

    boot();
    grant_v1(R, 10, GTF_permit_access, 1, (uint32_t)g1);
    r = map(VA_FREE, GNTMAP_host_map, 10, 2);
    CU_ASSERT_EQUAL(r.rc, 0);
    CU_ASSERT_EQUAL(r.status, GNTST_okay);
    CU_ASSERT_EQUAL(r.handle, 0);
    CU_ASSERT_EQUAL(r.bus, g1 << 12);
    pte = get(l1, 3);
    CU_ASSERT_EQUAL(pte_mfn(pte), g1);
    CU_ASSERT_EQUAL(pte & (PTE_P | PTE_RW | PTE_GNTTAB | PTE_XD | PTE_A |
                           PTE_D), PTE_P | PTE_RW | PTE_GNTTAB | PTE_XD |
                    PTE_A | PTE_D);
    CU_ASSERT(!!(pte & PTE_GUEST_KERNEL));
    CU_ASSERT_EQUAL(gflags(R, 10), GTF_permit_access | GTF_reading |
                    GTF_writing);
    CU_ASSERT_EQUAL(R->gt.active[10].pin, GNTPIN_hstw_inc);
    CU_ASSERT_EQUAL(pg(g1)->count, 2);
    CU_ASSERT_EQUAL(pg(g1)->type, PGT_writable_page);
    CU_ASSERT_EQUAL(pg(g1)->type_count, 1);
    /* Through the mapping: the granter's data, and writes reach it. */
    CU_ASSERT_EQUAL(copy_from_guest(V, VA_FREE, buf, 17), 0);
    CU_ASSERT_STRING_EQUAL(buf, "granted page one");
    CU_ASSERT_EQUAL(copy_to_guest(V, VA_FREE + 100, "w", 1), 0);
    CU_ASSERT_EQUAL(mfn_ptr(&X, g1)[100], 'w');
    /* The frame cannot become a page table while mapped writable. */
    CU_ASSERT_NOT_EQUAL(get_page_and_type(R, g1, PGT_l1_page_table), 0);
    /* A second mapping of the same grant: handle 1, two pins. */
    r = map(VA_SCRATCH + 0x2000 * 0 + 0x4000, GNTMAP_host_map, 10, 2);
    CU_ASSERT_EQUAL(r.status, GNTST_okay);
    CU_ASSERT_EQUAL(r.handle, 1);
    CU_ASSERT_EQUAL(R->gt.active[10].pin, 2 * GNTPIN_hstw_inc);
    /* Unmap: a wrong address, a bad handle, then right. */
    CU_ASSERT_EQUAL(unmap(GNTTABOP_unmap_grant_ref, VA_DATA, 0, 0),
                    GNTST_general_error);
    CU_ASSERT_EQUAL(unmap(GNTTABOP_unmap_grant_ref, VA_FREE, 0, 99),
                    GNTST_bad_handle);
    CU_ASSERT_EQUAL(unmap(GNTTABOP_unmap_grant_ref, VA_FREE, 0x1000, 0),
                    GNTST_general_error);
    CU_ASSERT_EQUAL(unmap(GNTTABOP_unmap_grant_ref, VA_FREE, 0, 0),
                    GNTST_okay);
    CU_ASSERT_EQUAL(get(l1, 3), 0);
    CU_ASSERT_EQUAL(R->gt.active[10].pin, GNTPIN_hstw_inc);
    CU_ASSERT_EQUAL(gflags(R, 10), GTF_permit_access | GTF_reading |
                    GTF_writing);
    CU_ASSERT_EQUAL(unmap(GNTTABOP_unmap_grant_ref, VA_FREE, 0, 0),
                    GNTST_bad_handle);
    CU_ASSERT_EQUAL(unmap(GNTTABOP_unmap_grant_ref, 0x404000, 0, 1),
                    GNTST_okay);
    /* Everything back: status bits, pins, counts. */
    CU_ASSERT_EQUAL(gflags(R, 10), GTF_permit_access);
    CU_ASSERT_EQUAL(R->gt.active[10].pin, 0);
    CU_ASSERT_EQUAL(pg(g1)->count, 1);
    CU_ASSERT_EQUAL(pg(g1)->type_count, 0);
    memset(mfn_ptr(&X, g1), 0, PAGE_SIZE);
    CU_ASSERT_EQUAL(get_page_and_type(R, g1, PGT_l1_page_table), 0);
}

static void test_map_readonly(void)
{
    struct map_res r;

    boot();
    grant_v1(R, 11, GTF_permit_access | GTF_readonly, 1, (uint32_t)g1);
    r = map(VA_FREE, GNTMAP_host_map, 11, 2);
    CU_ASSERT_EQUAL(r.status, GNTST_general_error);
    CU_ASSERT_EQUAL(gflags(R, 11), GTF_permit_access | GTF_readonly);
    CU_ASSERT_EQUAL(D->gt.maptrack.e[0].flags, 0);
    r = map(VA_FREE, GNTMAP_host_map | GNTMAP_readonly |
            GNTMAP_application_map, 11, 2);
    CU_ASSERT_EQUAL(r.status, GNTST_okay);
    CU_ASSERT_EQUAL(get(l1, 3) & (PTE_RW | PTE_US), PTE_US);
    CU_ASSERT_EQUAL(get(l1, 3) & PTE_G, PTE_G);      /* user: global */
    CU_ASSERT_EQUAL(gflags(R, 11), GTF_permit_access | GTF_readonly |
                    GTF_reading);
    CU_ASSERT_EQUAL(pg(g1)->type_count, 0);
    /* A read-only grant cannot be written through its mapping. */
    CU_ASSERT_EQUAL(copy_to_guest(V, VA_FREE, "x", 1), -XEN_EFAULT);
    CU_ASSERT_EQUAL(mfn_ptr(&X, g1)[0], 'g');
    /* A read-only mapping holds no type: the frame may become an L1 ... */
    CU_ASSERT_EQUAL(unmap(GNTTABOP_unmap_grant_ref, VA_FREE, 0, r.handle),
                    GNTST_okay);
    CU_ASSERT_EQUAL(gflags(R, 11), GTF_permit_access | GTF_readonly);
}

static void test_map_errors(void)
{
    boot();
    grant_v1(R, 12, GTF_permit_access, 1, (uint32_t)g1);
    CU_ASSERT_EQUAL(map(VA_FREE, 0, 12, 2).status, GNTST_bad_gntref);
    CU_ASSERT_EQUAL(map(VA_FREE, GNTMAP_host_map, 12, 77).status,
                    GNTST_bad_domain);
    CU_ASSERT_EQUAL(map(VA_FREE, GNTMAP_host_map, 12, DOMID_SELF).status,
                    GNTST_bad_domain);
    CU_ASSERT_EQUAL(map(VA_FREE, GNTMAP_host_map, 512, 2).status,
                    GNTST_bad_gntref);
    /* Granted to someone else, not granted, a frame the granter does not
     * own (the mapper's own): no access. */
    grant_v1(R, 13, GTF_permit_access, 5, (uint32_t)g1);
    CU_ASSERT_EQUAL(map(VA_FREE, GNTMAP_host_map, 13, 2).status,
                    GNTST_general_error);
    CU_ASSERT_EQUAL(map(VA_FREE, GNTMAP_host_map, 14, 2).status,
                    GNTST_general_error);
    grant_v1(R, 15, GTF_permit_access, 1, (uint32_t)data1);
    CU_ASSERT_EQUAL(map(VA_FREE, GNTMAP_host_map, 15, 2).status,
                    GNTST_bad_page);
    CU_ASSERT_EQUAL(gflags(R, 15), GTF_permit_access);
    /* No L1 for the address, a hypervisor address, a misaligned PTE,
     * an L1 that is not a page table: general error, nothing held. */
    CU_ASSERT_EQUAL(map(0x40000000, GNTMAP_host_map, 12, 2).status,
                    GNTST_general_error);
    CU_ASSERT_EQUAL(map(BAD_VA, GNTMAP_host_map, 12, 2).status,
                    GNTST_general_error);
    CU_ASSERT_EQUAL(map(l1 << 12 | 4, GNTMAP_host_map | GNTMAP_contains_pte,
                        12, 2).status, GNTST_general_error);
    CU_ASSERT_EQUAL(map(data1 << 12, GNTMAP_host_map | GNTMAP_contains_pte,
                        12, 2).status, GNTST_general_error);
    CU_ASSERT_EQUAL(pg(g1)->count, 1);
    CU_ASSERT_EQUAL(pg(g1)->type_count, 0);
    CU_ASSERT_EQUAL(R->gt.active[12].pin, 0);
    CU_ASSERT_EQUAL(gflags(R, 12), GTF_permit_access);
    /* A page table cannot be mapped writable through a grant. */
    grant_v1(R, 16, GTF_permit_access, 1, (uint32_t)g2);
    CU_ASSERT_EQUAL(get_page_and_type(R, g2, PGT_l1_page_table), 0);
    CU_ASSERT_EQUAL(map(VA_FREE, GNTMAP_host_map, 16, 2).status,
                    GNTST_general_error);
    CU_ASSERT_EQUAL(map(VA_FREE, GNTMAP_host_map | GNTMAP_readonly, 16,
                        2).status, GNTST_okay);
}

static void test_map_contains_pte_and_device(void)
{
    struct map_res r;

    boot();
    grant_v1(R, 20, GTF_permit_access, 1, (uint32_t)g1);
    r = map(l1 << 12 | 3 * 8, GNTMAP_host_map | GNTMAP_contains_pte |
            GNTMAP_device_map | (5u << GNTMAP_GUEST_AVAIL_SHIFT), 20, 2);
    CU_ASSERT_EQUAL(r.status, GNTST_okay);
    CU_ASSERT_EQUAL(pte_mfn(get(l1, 3)), g1);
    CU_ASSERT_EQUAL(get(l1, 3) & 0xe00, 5u << 9);
    CU_ASSERT_EQUAL(R->gt.active[20].pin, GNTPIN_hstw_inc + GNTPIN_devw_inc);
    CU_ASSERT_EQUAL(pg(g1)->count, 3);
    CU_ASSERT_EQUAL(pg(g1)->type_count, 2);
    /* Unmapping the device part only (host_addr 0) keeps the handle. */
    CU_ASSERT_EQUAL(unmap(GNTTABOP_unmap_grant_ref, 0, g1 << 12, r.handle),
                    GNTST_okay);
    CU_ASSERT_EQUAL(R->gt.active[20].pin, GNTPIN_hstw_inc);
    CU_ASSERT_EQUAL(pg(g1)->count, 2);
    CU_ASSERT_EQUAL(unmap(GNTTABOP_unmap_grant_ref, l1 << 12 | 3 * 8, 0,
                          r.handle), GNTST_okay);
    CU_ASSERT_EQUAL(get(l1, 3), 0);
    CU_ASSERT_EQUAL(pg(g1)->count, 1);
    CU_ASSERT_EQUAL(pg(g1)->type_count, 0);
    CU_ASSERT_EQUAL(gflags(R, 20), GTF_permit_access);
    /* Device-only, read-only. */
    r = map(0, GNTMAP_device_map | GNTMAP_readonly, 20, 2);
    CU_ASSERT_EQUAL(r.status, GNTST_okay);
    CU_ASSERT_EQUAL(r.bus, g1 << 12);
    CU_ASSERT_EQUAL(gflags(R, 20), GTF_permit_access | GTF_reading);
    CU_ASSERT_EQUAL(unmap(GNTTABOP_unmap_grant_ref, 0, g1 << 12, r.handle),
                    GNTST_okay);
    CU_ASSERT_EQUAL(gflags(R, 20), GTF_permit_access);
}

static void test_unmap_and_replace(void)
{
    struct map_res r;

    boot();
    grant_v1(R, 21, GTF_permit_access, 1, (uint32_t)g1);
    r = map(VA_FREE, GNTMAP_host_map, 21, 2);
    CU_ASSERT_EQUAL(r.status, GNTST_okay);
    CU_ASSERT_EQUAL(unmap(GNTTABOP_unmap_and_replace, VA_FREE, VA_DATA,
                          r.handle), GNTST_okay);
    /* VA_FREE now maps what VA_DATA did; VA_DATA is empty. */
    CU_ASSERT_EQUAL(pte_mfn(get(l1, 3)), data1);
    CU_ASSERT_EQUAL(get(l1, 1), 0);
    CU_ASSERT_EQUAL(pg(data1)->count, 2);
    CU_ASSERT_EQUAL(pg(g1)->count, 1);
    CU_ASSERT_EQUAL(gflags(R, 21), GTF_permit_access);
    /* With contains_pte a replacement is refused. */
    r = map(l1 << 12 | 5 * 8, GNTMAP_host_map | GNTMAP_contains_pte, 21, 2);
    CU_ASSERT_EQUAL(r.status, GNTST_okay);
    CU_ASSERT_EQUAL(unmap(GNTTABOP_unmap_and_replace, l1 << 12 | 5 * 8,
                          VA_FREE, r.handle), GNTST_general_error);
    CU_ASSERT_EQUAL(pte_mfn(get(l1, 5)), g1);
}

/* A grant PTE overwritten by mmu_update crashes the domain (Xen's
 * "implicit unmap"); a mapped frame outlives its owner's reference. */
static void test_refcount_rules(void)
{
    struct map_res r;

    boot();
    grant_v1(R, 22, GTF_permit_access, 1, (uint32_t)g1);
    r = map(VA_FREE, GNTMAP_host_map, 22, 2);
    CU_ASSERT_EQUAL(r.status, GNTST_okay);
    /* The granter gives its frame back (decrease_reservation drops the
     * allocation reference): the frame stays until unmapped. */
    put_page(&X, g1);
    CU_ASSERT_EQUAL(pg(g1)->owner, 2);
    CU_ASSERT_EQUAL(pg(g1)->count, 1);
    CU_ASSERT_EQUAL(unmap(GNTTABOP_unmap_grant_ref, VA_FREE, 0, r.handle),
                    GNTST_okay);
    CU_ASSERT_EQUAL(pg(g1)->owner, DOMID_INVALID);
    CU_ASSERT_EQUAL(pg(g1)->count, 0);
    /* Implicit unmap. */
    grant_v1(R, 23, GTF_permit_access, 1, (uint32_t)g2);
    r = map(VA_FREE, GNTMAP_host_map, 23, 2);
    CU_ASSERT_EQUAL(r.status, GNTST_okay);
    CU_ASSERT_EQUAL(mm_mod_entry(V, l1, 3 * 8, 0, false, D), 0);
    CU_ASSERT_EQUAL(D->state, DOM_CRASHED);
    CU_ASSERT_EQUAL(pg(g2)->count, 1);
    /* A guest cannot write a GNTTAB PTE itself. */
    CU_ASSERT_EQUAL(mm_mod_entry(V, l1, 4 * 8, g2 << 12 | PTE_P | PTE_GNTTAB,
                                 false, D), -XEN_EINVAL);
}

/* ---- copy ---------------------------------------------------------------------------- */

static int16_t copy(uint64_t su, uint16_t sdom, uint16_t soff, uint64_t du,
                    uint16_t ddom, uint16_t doff, uint16_t len, uint16_t flags)
{
    uint8_t *b = sp() + 0x100;

    le64_store(b, su);
    le16_store(b + 8, sdom);
    le16_store(b + 10, soff);
    le64_store(b + 16, du);
    le16_store(b + 24, ddom);
    le16_store(b + 26, doff);
    le16_store(b + 32, len);
    le16_store(b + 34, flags);
    le16_store(b + 36, 0x7777);
    CU_ASSERT_EQUAL(gntop(GNTTABOP_copy, OP, 1), 0);
    return (int16_t)le16_load(b + 36);
}

static void test_copy(void)
{
    uint8_t *e;

    boot();
    grant_v1(R, 30, GTF_permit_access | GTF_readonly, 1, (uint32_t)g1);
    grant_v1(R, 31, GTF_permit_access, 1, (uint32_t)g2);
    /* gref -> own frame. */
    CU_ASSERT_EQUAL(copy(30, 2, 8, data1, DOMID_SELF, 100, 9,
                         GNTCOPY_source_gref), GNTST_okay);
    CU_ASSERT_EQUAL(memcmp(mfn_ptr(&X, data1) + 100, "page one", 9), 0);
    CU_ASSERT_EQUAL(gflags(R, 30), GTF_permit_access | GTF_readonly);
    CU_ASSERT_EQUAL(pg(g1)->count, 1);
    /* own frame -> gref. */
    CU_ASSERT_EQUAL(copy(data1, DOMID_SELF, 100, 31, 2, 4000, 9,
                         GNTCOPY_dest_gref), GNTST_okay);
    CU_ASSERT_EQUAL(memcmp(mfn_ptr(&X, g2) + 4000, "page one", 9), 0);
    CU_ASSERT_EQUAL(gflags(R, 31), GTF_permit_access);
    CU_ASSERT_EQUAL(pg(g2)->type_count, 0);
    /* Errors. */
    CU_ASSERT_EQUAL(copy(data1, DOMID_SELF, 100, 30, 2, 0, 9,
                         GNTCOPY_dest_gref), GNTST_general_error);
    CU_ASSERT_EQUAL(copy(data1, DOMID_SELF, 4000, 31, 2, 0, 97,
                         GNTCOPY_dest_gref), GNTST_bad_copy_arg);
    CU_ASSERT_EQUAL(copy(g1, 2, 0, data1, DOMID_SELF, 0, 1, 0),
                    GNTST_permission_denied);
    CU_ASSERT_EQUAL(copy(g1, DOMID_SELF, 0, data1, DOMID_SELF, 0, 1, 0),
                    GNTST_bad_page);
    CU_ASSERT_EQUAL(copy(30, 9, 0, data1, DOMID_SELF, 0, 1,
                         GNTCOPY_source_gref), GNTST_bad_domain);
    CU_ASSERT_EQUAL(copy(5000, 2, 0, data1, DOMID_SELF, 0, 1,
                         GNTCOPY_source_gref), GNTST_bad_gntref);
    CU_ASSERT_EQUAL(copy(l1, DOMID_SELF, 0, l1, DOMID_SELF, 0, 1, 0),
                    GNTST_general_error);          /* dest is a page table */
    CU_ASSERT_EQUAL(gflags(R, 30), GTF_permit_access | GTF_readonly);
    CU_ASSERT_EQUAL(gflags(R, 31), GTF_permit_access);
    /* v2 sub-page grants bound the copy. */
    R->vcpu[0]->kernel_mode = true;
    CU_ASSERT_EQUAL(grant_set_version(R, 2), 0);
    e = mfn_ptr(&X, R->gt.shared_mfn[0]) + 32 * 16;
    le16_store(e + 2, 1);
    le16_store(e + 4, 16);
    le16_store(e + 6, 8);
    le64_store(e + 8, g1);
    le16_store(e, GTF_permit_access | GTF_sub_page);
    memcpy(mfn_ptr(&X, g1) + 16, "SUBPAGE!", 8);
    CU_ASSERT_EQUAL(copy(32, 2, 16, data1, DOMID_SELF, 0, 8,
                         GNTCOPY_source_gref), GNTST_okay);
    CU_ASSERT_EQUAL(memcmp(mfn_ptr(&X, data1), "SUBPAGE!", 8), 0);
    CU_ASSERT_EQUAL(copy(32, 2, 16, data1, DOMID_SELF, 0, 9,
                         GNTCOPY_source_gref), GNTST_general_error);
    CU_ASSERT_EQUAL(le16_load(mfn_ptr(&X, R->gt.status_mfn[0]) + 64), 0);
    /* ... and cannot be mapped. */
    CU_ASSERT_EQUAL(map(VA_FREE, GNTMAP_host_map, 32, 2).status,
                    GNTST_general_error);
}

/* ---- transfer, swap, cache_flush --------------------------------------------------- */

static void test_transfer_swap_flush(void)
{
    uint8_t *b;
    uint64_t victim;

    boot();
    b = sp() + 0x100;
    victim = frame_alloc(&X, 1);
    D->tot_pages = 10;
    R->max_pages = 5;
    grant_v1(R, 40, GTF_accept_transfer, 1, 0x77);
    memset(b, 0, 24);
    le64_store(b, victim);
    le16_store(b + 8, 2);
    le32_store(b + 12, 40);
    CU_ASSERT_EQUAL(gntop(GNTTABOP_transfer, OP, 1), 0);
    CU_ASSERT_EQUAL((int16_t)le16_load(b + 16), GNTST_okay);
    CU_ASSERT_EQUAL(pg(victim)->owner, 2);
    CU_ASSERT_EQUAL(R->tot_pages, 1);
    CU_ASSERT_EQUAL(D->tot_pages, 9);
    CU_ASSERT_EQUAL(gflags(R, 40), GTF_accept_transfer |
                    GTF_transfer_committed | GTF_transfer_completed);
    CU_ASSERT_EQUAL(le32_load(mfn_ptr(&X, R->gt.shared_mfn[0]) + 40 * 8 + 4),
                    victim);
    CU_ASSERT_EQUAL(m2p_get(&X, victim), 0x77);
    /* A frame still mapped, a frame not ours. */
    le64_store(b, data1);
    CU_ASSERT_EQUAL(gntop(GNTTABOP_transfer, OP, 1), 0);
    CU_ASSERT_EQUAL((int16_t)le16_load(b + 16), GNTST_general_error);
    le64_store(b, g1);
    CU_ASSERT_EQUAL(gntop(GNTTABOP_transfer, OP, 1), 0);
    CU_ASSERT_EQUAL((int16_t)le16_load(b + 16), GNTST_bad_page);
    /* swap_grant_ref */
    grant_v1(D, 50, GTF_permit_access, 2, 0x111);
    grant_v1(D, 51, GTF_permit_access, 3, 0x222);
    le32_store(b, 50);
    le32_store(b + 4, 51);
    CU_ASSERT_EQUAL(gntop(GNTTABOP_swap_grant_ref, OP, 1), 0);
    CU_ASSERT_EQUAL(le16_load(b + 8), GNTST_okay);
    CU_ASSERT_EQUAL(le32_load(mfn_ptr(&X, D->gt.shared_mfn[0]) + 50 * 8 + 4),
                    0x222);
    le32_store(b + 4, 600);
    CU_ASSERT_EQUAL(gntop(GNTTABOP_swap_grant_ref, OP, 1), 0);
    CU_ASSERT_EQUAL((int16_t)le16_load(b + 8), GNTST_bad_gntref);
    /* cache_flush as x86 answers it. */
    memset(b, 0, 16);
    le64_store(b, data1 << 12);
    le16_store(b + 10, 64);
    le32_store(b + 12, GNTTAB_CACHE_CLEAN);
    CU_ASSERT_EQUAL(gntop(GNTTABOP_cache_flush, OP, 1), 0);
    le32_store(b + 12, GNTTAB_CACHE_INVAL);
    CU_ASSERT_EQUAL(gntop(GNTTABOP_cache_flush, OP, 1), -XEN_EOPNOTSUPP);
    le32_store(b + 12, GNTTAB_CACHE_INVAL | GNTTAB_CACHE_CLEAN);
    CU_ASSERT_EQUAL(gntop(GNTTABOP_cache_flush, OP, 1), 0);
    le16_store(b + 8, 4096);
    CU_ASSERT_EQUAL(gntop(GNTTABOP_cache_flush, OP, 1), -XEN_EINVAL);
    le16_store(b + 8, 0);
    le64_store(b, g1 << 12);                   /* not granted to us */
    CU_ASSERT_EQUAL(gntop(GNTTABOP_cache_flush, OP, 1), -XEN_EINVAL);
    grant_v1(R, 41, GTF_permit_access, 1, (uint32_t)g1);
    CU_ASSERT_EQUAL(map(VA_FREE, GNTMAP_host_map, 41, 2).status, GNTST_okay);
    le64_store(b, g1 << 12);
    le16_store(b + 8, 0);
    le16_store(b + 10, 64);
    le32_store(b + 12, GNTTAB_CACHE_INVAL);
    CU_ASSERT_EQUAL(gntop(GNTTABOP_cache_flush, OP, 1), -XEN_EOPNOTSUPP);
    le32_store(b + 12, GNTTAB_CACHE_CLEAN);
    CU_ASSERT_EQUAL(gntop(GNTTABOP_cache_flush, OP, 1), 0);
    le64_store(b, X.m2p_mfn << 12);            /* Xen's */
    CU_ASSERT_EQUAL(gntop(GNTTABOP_cache_flush, OP, 1), -XEN_EPERM);
}

/* ---- backends and tear-down ------------------------------------------------------- */

static void test_backend_api(void)
{
    uint32_t h, h2;
    uint64_t maddr;
    char buf[8];

    boot();
    grant_v1(R, 60, GTF_permit_access, 0, (uint32_t)g1);
    grant_v1(R, 61, GTF_permit_access | GTF_readonly, 0, (uint32_t)g2);
    CU_ASSERT_EQUAL(gnttab_map_for_backend(&X, 2, 60, false, &h, &maddr),
                    GNTST_okay);
    CU_ASSERT_EQUAL(maddr, g1 << 12);
    CU_ASSERT_EQUAL(gflags(R, 60), GTF_permit_access | GTF_reading |
                    GTF_writing);
    CU_ASSERT_EQUAL(pg(g1)->type_count, 1);
    CU_ASSERT_EQUAL(gnttab_map_for_backend(&X, 2, 61, false, &h2, &maddr),
                    GNTST_general_error);
    CU_ASSERT_EQUAL(gnttab_map_for_backend(&X, 2, 61, true, &h2, &maddr),
                    GNTST_okay);
    CU_ASSERT_EQUAL(gnttab_map_for_backend(&X, 3, 61, true, &h2, &maddr),
                    GNTST_bad_domain);
    /* Domain 1 cannot map what was granted to dom0. */
    CU_ASSERT_EQUAL(map(VA_FREE, GNTMAP_host_map | GNTMAP_readonly, 61,
                        2).status, GNTST_general_error);
    CU_ASSERT_EQUAL(gnttab_unmap_for_backend(&X, h), GNTST_okay);
    CU_ASSERT_EQUAL(gnttab_unmap_for_backend(&X, h), GNTST_bad_handle);
    CU_ASSERT_EQUAL(gflags(R, 60), GTF_permit_access);
    CU_ASSERT_EQUAL(pg(g1)->count, 1);
    /* Copies. */
    CU_ASSERT_EQUAL(gnttab_copy_from_guest(&X, 2, 60, 8, buf, 8),
                    GNTST_okay);
    CU_ASSERT_EQUAL(memcmp(buf, "page one", 8), 0);
    CU_ASSERT_EQUAL(gnttab_copy_to_guest(&X, 2, 60, 0, "PAGE", 4),
                    GNTST_okay);
    CU_ASSERT_EQUAL(memcmp(mfn_ptr(&X, g1), "PAGEted", 7), 0);
    CU_ASSERT_EQUAL(gnttab_copy_to_guest(&X, 2, 61, 0, "x", 1),
                    GNTST_general_error);
    CU_ASSERT_EQUAL(gnttab_copy_from_guest(&X, 2, 60, 4090, buf, 8),
                    GNTST_bad_copy_arg);
    CU_ASSERT_EQUAL(gnttab_copy_from_guest(&X, 2, 62, 0, buf, 8),
                    GNTST_general_error);
    CU_ASSERT_EQUAL(gflags(R, 60), GTF_permit_access);
    CU_ASSERT_EQUAL(gflags(R, 61), GTF_permit_access | GTF_readonly |
                    GTF_reading);
    /* The granter goes: dom0's mapping of it is revoked. */
    domain_destroy(R);
    R = NULL;
    CU_ASSERT_EQUAL(X.dom0_maptrack.e[h2].flags, 0);
    CU_ASSERT_EQUAL(pg(g2)->count, 1);
}

static void test_teardown(void)
{
    struct map_res r;

    boot();
    grant_v1(R, 70, GTF_permit_access, 1, (uint32_t)g1);
    grant_v1(R, 71, GTF_permit_access, 1, (uint32_t)g2);
    r = map(VA_FREE, GNTMAP_host_map, 70, 2);
    CU_ASSERT_EQUAL(r.status, GNTST_okay);
    CU_ASSERT_EQUAL(map(0x404000, GNTMAP_host_map | GNTMAP_readonly, 71,
                        2).status, GNTST_okay);
    /* The mapper dies: the granter's entries are idle again. */
    domain_destroy(D);
    D = NULL;
    CU_ASSERT_EQUAL(gflags(R, 70), GTF_permit_access);
    CU_ASSERT_EQUAL(gflags(R, 71), GTF_permit_access);
    CU_ASSERT_EQUAL(R->gt.active[70].pin, 0);
    CU_ASSERT_EQUAL(pg(g1)->count, 1);
    CU_ASSERT_EQUAL(pg(g1)->type_count, 0);
    CU_ASSERT_EQUAL(pg(g2)->count, 1);
    CU_ASSERT_EQUAL(get(l1, 3), 0);
    /* The granter dies while mapped: the mapper's PTE goes. */
    boot();
    grant_v1(R, 70, GTF_permit_access, 1, (uint32_t)g1);
    r = map(VA_FREE, GNTMAP_host_map, 70, 2);
    CU_ASSERT_EQUAL(r.status, GNTST_okay);
    domain_destroy(R);
    R = NULL;
    CU_ASSERT_EQUAL(get(l1, 3), 0);
    CU_ASSERT_EQUAL(pg(g1)->count, 1);
    CU_ASSERT_EQUAL(D->gt.maptrack.e[r.handle].flags, 0);
    CU_ASSERT_EQUAL(D->state, DOM_RUNNING);
    CU_ASSERT_EQUAL(unmap(GNTTABOP_unmap_grant_ref, VA_FREE, 0, r.handle),
                    GNTST_bad_handle);
}

static void test_maptrack_handles(void)
{
    struct maptrack mt;
    uint32_t i, h;

    maptrack_init(&mt, 2);
    for (i = 0; i < 2 * MAPTRACK_PER_PAGE; i++) {
        h = maptrack_get(&mt);
        CU_ASSERT_EQUAL(h, i);
        mt.e[h].flags = GNTMAP_host_map;
    }
    CU_ASSERT_EQUAL(maptrack_get(&mt), MAPTRACK_TAIL);
    maptrack_put(&mt, 7);
    maptrack_put(&mt, 3);
    CU_ASSERT_EQUAL(maptrack_get(&mt), 7);     /* freed ones, in order */
    CU_ASSERT_EQUAL(maptrack_get(&mt), 3);
    maptrack_destroy(&mt);
}

UNIT_SUITE(grant)
{
    CU_pSuite s = CU_add_suite("grant", NULL, cleanup);
    UNIT_TEST(s, test_setup_query);
    UNIT_TEST(s, test_versions);
    UNIT_TEST(s, test_map_rw);
    UNIT_TEST(s, test_map_readonly);
    UNIT_TEST(s, test_map_errors);
    UNIT_TEST(s, test_map_contains_pte_and_device);
    UNIT_TEST(s, test_unmap_and_replace);
    UNIT_TEST(s, test_refcount_rules);
    UNIT_TEST(s, test_copy);
    UNIT_TEST(s, test_transfer_swap_flush);
    UNIT_TEST(s, test_backend_api);
    UNIT_TEST(s, test_teardown);
    UNIT_TEST(s, test_maptrack_handles);
}
