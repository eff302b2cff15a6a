/*
 * xenstored's quotas on an unprivileged domain, with their defaults:
 * nodes per domain (counted per owner, freed by removal), node size
 * (value, permissions and children's names together, parents included),
 * and outstanding requests (a domain whose replies or watch events are
 * not taken is not read any more).  dom0 has none.  The watch and
 * transaction quotas are in the watch and transaction suites.
 */
#include <stdio.h>
#include <string.h>
#include "unit.h"
#include "xs-harness.h"

#define D1 "/local/domain/1"

static void set_quota(const char *name, unsigned value)
{
    char cmd[64];
    size_t n = (size_t)snprintf(cmd, sizeof(cmd), "quota%cset%c%s%c%u", 0, 0,
                                name, 0, value);

    CU_ASSERT_EQUAL_FATAL(xs_call(xt_s, 0, XS_CONTROL, cmd, n + 1, NULL,
                                  NULL), 0);
}

static void test_node_quota(void)
{
    xt_setup(false);
    CU_ASSERT_EQUAL(xs_domain_acc(xt_s, 1, XS_ACC_NODES), 12);
    set_quota("nodes", 15);
    CU_ASSERT(xt_is_ok(xt_write(&xt_p1, 0, "data/a", ""), XS_WRITE));
    CU_ASSERT(xt_is_ok(xt_write(&xt_p1, 0, "data/b", ""), XS_WRITE));
    /* Two new nodes where one fits: nothing is made. */
    CU_ASSERT(xt_is_error(xt_write(&xt_p1, 0, "data/x/y", ""), "ENOSPC"));
    CU_ASSERT(xt_is_error(xt_read(&xt_p1, 0, "data/x"), "ENOENT"));
    CU_ASSERT(xt_is_ok(xt_write(&xt_p1, 0, "data/c", ""), XS_WRITE));
    CU_ASSERT_EQUAL(xs_domain_acc(xt_s, 1, XS_ACC_NODES), 15);
    CU_ASSERT(xt_is_error(xt_write(&xt_p1, 0, "data/d", ""), "ENOSPC"));
    CU_ASSERT(xt_is_error(xt_one(&xt_p1, XS_MKDIR, 0, "data/d"), "ENOSPC"));
    /* Changing what exists needs no new node. */
    CU_ASSERT(xt_is_ok(xt_write(&xt_p1, 0, "data/a", "v"), XS_WRITE));
    /* Removal gives them back. */
    xt_one(&xt_p1, XS_RM, 0, "data/a");
    CU_ASSERT(xt_is_ok(xt_write(&xt_p1, 0, "data/d", ""), XS_WRITE));
    /* dom0 is not counted against, even writing nodes 1 owns. */
    CU_ASSERT_EQUAL(xs_tool_write(xt_s, 0, D1 "/data/e", ""), 0);
    CU_ASSERT_EQUAL(xs_domain_acc(xt_s, 1, XS_ACC_NODES), 16);
    xt_teardown();
}

static void test_node_size_quota(void)
{
    char v[2100], name[128];
    unsigned i;

    xt_setup(false);
    /* 16 bytes of header, 8 a permission, then the value. */
    memset(v, 'v', sizeof(v));
    v[2048 - 16 - 8] = 0;
    CU_ASSERT(xt_is_ok(xt_write(&xt_p1, 0, "data/v", v), XS_WRITE));
    v[2048 - 16 - 8] = 'v';
    v[2048 - 16 - 8 + 1] = 0;
    CU_ASSERT(xt_is_error(xt_write(&xt_p1, 0, "data/v", v), "ENOSPC"));
    CU_ASSERT(xt_is_error(xt_write(&xt_p1, 0, "data/w", v), "ENOSPC"));
    CU_ASSERT_EQUAL(xt_read(&xt_p1, 0, "data/v")->h.len, 2048 - 16 - 8);
    /* More permissions make a node bigger. */
    v[2048 - 16 - 8] = 0;
    CU_ASSERT(xt_is_error(xt_req(&xt_p1, XS_SET_PERMS, 0,
                                 P("data/v\0n1\0r0\0")), "ENOSPC"));
    /* A parent's children list counts: 20 names of 100 bytes fit in
     * "data", the 21st does not. */
    xt_one(&xt_p1, XS_RM, 0, "data/v");
    for (i = 0; i < 21; i++) {
        snprintf(name, sizeof(name), "data/%0100u", i);
        struct xt_msg *m = xt_write(&xt_p1, 0, name, "");
        CU_ASSERT(i < 20 ? xt_is_ok(m, XS_WRITE) : xt_is_error(m, "ENOSPC"));
    }
    /* dom0 is not limited. */
    v[2048 - 16 - 8] = 'v';
    v[sizeof(v) - 1] = 0;
    CU_ASSERT_EQUAL(xs_tool_write(xt_s, 0, D1 "/data/big", v), 0);
    xt_teardown();
}

static void test_outstanding_quota(void)
{
    struct xt_msg m;
    unsigned i, got = 0;

    xt_setup(false);
    /* 1 does not take its replies: after 20 it is not read. */
    xt_p1.stall = true;
    for (i = 0; i < 25; i++)
        xt_send(&xt_p1, XS_READ, 0, P("domid\0"));
    CU_ASSERT_EQUAL(xs_domain_acc(xt_s, 1, XS_ACC_OUTSTANDING), 20);
    CU_ASSERT_EQUAL(xt_p1.in_len - xt_p1.in_off, 5 * (XS_HDR_SIZE + 6));
    xt_p1.stall = false;
    xs_store_service(xt_s);
    while (xt_recv(&xt_p1, &m)) {
        CU_ASSERT(xt_is(&m, XS_READ, "1", 1));
        CU_ASSERT_EQUAL(m.h.req_id, ++got);
    }
    CU_ASSERT_EQUAL(got, 25);
    CU_ASSERT_EQUAL(xs_domain_acc(xt_s, 1, XS_ACC_OUTSTANDING), 0);
    /* dom0 is not limited (its own replies are taken at once). */
    xt_teardown();
}

static void test_outstanding_events(void)
{
    xt_setup(true);
    xt_write(&xt_p1, 0, "data/pub", "0");
    xt_req(&xt_p1, XS_SET_PERMS, 0, P("data/pub\0n1\0r2\0"));
    xt_two(&xt_p2, XS_WATCH, 0, D1 "/data/pub", "w");
    xt_event(&xt_p2);
    /* 2 does not take its events: 1's request that caused one stays
     * outstanding though its reply was taken. */
    xt_p2.stall = true;
    CU_ASSERT(xt_is_ok(xt_write(&xt_p1, 0, "data/pub", "1"), XS_WRITE));
    CU_ASSERT_EQUAL(xs_domain_acc(xt_s, 1, XS_ACC_OUTSTANDING), 1);
    /* The same event again is merged, not linked. */
    CU_ASSERT(xt_is_ok(xt_write(&xt_p1, 0, "data/pub", "2"), XS_WRITE));
    CU_ASSERT_EQUAL(xs_domain_acc(xt_s, 1, XS_ACC_OUTSTANDING), 1);
    CU_ASSERT(xt_is_ok(xt_write(&xt_p1, 0, "data/pub/x", "3"), XS_WRITE));
    CU_ASSERT_EQUAL(xs_domain_acc(xt_s, 1, XS_ACC_OUTSTANDING), 2);
    xt_p2.stall = false;
    CU_ASSERT_EQUAL(xt_pending_events(&xt_p2), 2);
    CU_ASSERT_EQUAL(xs_domain_acc(xt_s, 1, XS_ACC_OUTSTANDING), 0);
    /* Events lost with their connection settle the request too. */
    xt_p2.stall = true;
    xt_write(&xt_p1, 0, "data/pub", "4");
    CU_ASSERT_EQUAL(xs_domain_acc(xt_s, 1, XS_ACC_OUTSTANDING), 1);
    CU_ASSERT_EQUAL(xs_call(xt_s, 0, XS_RELEASE, "2", 2, NULL, NULL), 0);
    CU_ASSERT_EQUAL(xs_domain_acc(xt_s, 1, XS_ACC_OUTSTANDING), 0);
    xt_teardown();
}

UNIT_SUITE(xenstore_quota)
{
    CU_pSuite s = CU_add_suite("xenstore_quota", NULL, NULL);
    UNIT_TEST(s, test_node_quota);
    UNIT_TEST(s, test_node_size_quota);
    UNIT_TEST(s, test_outstanding_quota);
    UNIT_TEST(s, test_outstanding_events);
}
