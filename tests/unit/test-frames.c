/*
 * xenplat/xen.c's frame pool: blocks aligned to their size (Xen's buddy
 * allocator), an address limit (MEMF_bits), freed frames handed out again
 * lowest first and scrubbed, the free count; and mm.c's last put_page of a
 * domain frame leaving its domain's tot_pages.
 */
#include <string.h>

#include "xenplat/domain.h"
#include "xenplat/mm.h"
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

UNIT_SUITE(frames)
{
    CU_pSuite s = CU_add_suite("frames", NULL, NULL);
    UNIT_TEST(s, test_orders_and_limits);
    UNIT_TEST(s, test_last_put_leaves_domain);
}
