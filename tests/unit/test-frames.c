/*
 * xenplat/xen.c's frame pool: blocks aligned to their size (Xen's buddy
 * allocator), an address limit (MEMF_bits), freed frames handed out again
 * lowest first and scrubbed, the free count; and mm.c's last put_page of a
 * domain frame leaving its domain's tot_pages.
 */
#include <string.h>

#include "xenplat/domain.h"
#include "xenplat/grant-table.h"
#include "xenplat/mm.h"
#include "xenplat/xenmap.h"
#include "unit.h"

#define FRAMES 1024

static struct xen X;

static void fresh(void)
{
    if (X.frame)
        xen_destroy(&X);
    memset(&X, 0, sizeof(X));
    CU_ASSERT_FATAL(xen_init(&X, FRAMES) == 0);
}

static void test_orders_and_limits(void)
{
    uint64_t free0, a, b, c;

    fresh();
    free0 = X.nr_free;
    a = frame_alloc_order(&X, 1, 3, 0);
    CU_ASSERT_NOT_EQUAL_FATAL(a, ~0ull);
    CU_ASSERT_EQUAL(a % 8, 0);
    CU_ASSERT_EQUAL(X.nr_free, free0 - 8);
    CU_ASSERT_EQUAL(X.frame[a + 7].owner, 1);
    CU_ASSERT_EQUAL(X.frame[a + 7].count, 1);
    CU_ASSERT_TRUE(X.frame[a + 7].flags & PGF_allocated);
    /* Nothing below MFN 4 is free (MFN 0 and Xen's tables). */
    CU_ASSERT_EQUAL(frame_alloc_order(&X, 1, 0, 4), ~0ull);
    CU_ASSERT_EQUAL(frame_alloc_order(&X, 1, 11, 0), ~0ull);  /* > pool */
    /* A freed frame comes back first, zeroed. */
    b = frame_alloc(&X, 1);
    mfn_ptr(&X, b)[5] = 0xaa;
    frame_free(&X, b);
    CU_ASSERT_EQUAL(X.frame[b].owner, DOMID_INVALID);
    c = frame_alloc(&X, 2);
    CU_ASSERT_EQUAL(c, b);
    CU_ASSERT_EQUAL(mfn_ptr(&X, c)[5], 0);
    CU_ASSERT_EQUAL(X.frame[c].owner, 2);
    /* An order-3 block that a used frame breaks up is skipped. */
    frame_free(&X, a);
    frame_free(&X, a + 1);
    CU_ASSERT_NOT_EQUAL(frame_alloc_order(&X, 1, 1, 0), ~0ull);
    CU_ASSERT_NOT_EQUAL(frame_alloc_order(&X, 1, 3, 0), a);
    xen_destroy(&X);
    memset(&X, 0, sizeof(X));
}

static void test_last_put_leaves_domain(void)
{
    struct domain *d;
    uint64_t mfn;

    fresh();
    d = domain_create(&X, 1, "t", true, 1);
    CU_ASSERT_FATAL(d != NULL);
    mfn = frame_alloc(&X, 1);
    d->tot_pages = 1;
    CU_ASSERT_EQUAL(get_page(&X, mfn, d), 0);      /* a mapping's ref */
    put_page(&X, mfn);                             /* the allocation's */
    CU_ASSERT_EQUAL(d->tot_pages, 1);
    CU_ASSERT_EQUAL(X.frame[mfn].owner, 1);
    put_page(&X, mfn);                             /* the last */
    CU_ASSERT_EQUAL(d->tot_pages, 0);
    CU_ASSERT_EQUAL(X.frame[mfn].owner, DOMID_INVALID);
    CU_ASSERT_EQUAL(get_page(&X, mfn, d), -XEN_EINVAL);
    /* Xen's page shared with the guest (shared_info) goes back to Xen. */
    share_xen_page_with_guest(d, d->shared_info_mfn);
    put_page(&X, d->shared_info_mfn);
    CU_ASSERT_EQUAL(X.frame[d->shared_info_mfn].owner, DOMID_XEN);
    CU_ASSERT_EQUAL(frame_alloc(&X, 1) == d->shared_info_mfn, 0);
    domain_destroy(d);
    xen_destroy(&X);
    memset(&X, 0, sizeof(X));
}

/* A domain with everything Xen allocates on its behalf (shared_info, the
 * per-domain GDT window's tables, a compat vCPU's monitor L4, grant and
 * status frames) and frames of its own: destroyed, each goes back to the
 * pool, and building it again and again leaves the free count where it
 * was (the restart path: domain_destroy, domain_release_memory). */
static void build_and_destroy(bool is64)
{
    struct domain *d = domain_create(&X, 1, "t", is64, 2);
    unsigned i;

    CU_ASSERT_FATAL(d != NULL);
    for (i = 0; i < 2; i++) {
        CU_ASSERT_FATAL(vcpu_create(d, i) == 0);
        xenmap_map_gdt_frame(d->vcpu[i], 0, 0);
    }
    if (!is64)
        xenmap_set_compat_l3(d->vcpu[1], frame_alloc(&X, 1));
    CU_ASSERT_EQUAL(grant_table_grow(d, 4), 0);
    CU_ASSERT_EQUAL(grant_set_version(d, 2), 0);
    for (i = 0; i < 8; i++)
        CU_ASSERT_NOT_EQUAL(frame_alloc(&X, 1), ~0ull);
    domain_destroy(d);
    domain_release_memory(&X, 1);
}

static void test_destroy_returns_every_frame(void)
{
    uint64_t free0, used;
    unsigned round;

    fresh();
    free0 = X.nr_free;
    for (round = 0; round < 3; round++) {
        struct domain *d = domain_create(&X, 1, "t", round != 1, 1);
        CU_ASSERT_FATAL(d != NULL);
        CU_ASSERT_TRUE(X.nr_free < free0);
        domain_destroy(d);
        build_and_destroy(round != 1);
        CU_ASSERT_EQUAL(X.nr_free, free0);
    }
    /* The build did take Xen frames beyond shared_info and the L3. */
    {
        struct domain *d = domain_create(&X, 1, "t", false, 1);
        used = free0 - X.nr_free;
        CU_ASSERT_FATAL(vcpu_create(d, 0) == 0);
        xenmap_map_gdt_frame(d->vcpu[0], 0, 0);
        xenmap_set_compat_l3(d->vcpu[0], frame_alloc(&X, 1));
        CU_ASSERT_TRUE(free0 - X.nr_free >= used + 4);
        domain_destroy(d);
        domain_release_memory(&X, 1);
    }
    CU_ASSERT_EQUAL(X.nr_free, free0);
    xen_destroy(&X);
    memset(&X, 0, sizeof(X));
}

UNIT_SUITE(frames)
{
    CU_pSuite s = CU_add_suite("frames", NULL, NULL);
    UNIT_TEST(s, test_orders_and_limits);
    UNIT_TEST(s, test_last_put_leaves_domain);
    UNIT_TEST(s, test_destroy_returns_every_frame);
}
