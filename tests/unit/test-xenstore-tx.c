/*
 * xenstored's transactions: isolation, ids, commit and abort, conflicts
 * (EAGAIN) decided by the generation of every node the transaction
 * touched, watch events held until the commit, and the quotas that doom a
 * transaction.
 */
#include <stdio.h>
#include <string.h>
#include "unit.h"
#include "xs-harness.h"

static struct xt_msg *end(uint32_t tx, const char *how)
{
    return xt_req(&xt_p1, XS_TRANSACTION_END, tx, how, 2);
}

static void test_tx_isolation(void)
{
    uint32_t t, t2;

    xt_setup(false);
    t = xt_tx_start(&xt_p1);
    CU_ASSERT_EQUAL(t, 1);
    CU_ASSERT(xt_is_ok(xt_write(&xt_p1, t, "data/x", "in"), XS_WRITE));
    CU_ASSERT_EQUAL(xt_write(&xt_p1, t, "data/y", "in")->h.tx_id, t);
    CU_ASSERT(xt_is_error(xt_read(&xt_p1, 0, "data/x"), "ENOENT"));
    CU_ASSERT(xt_is(xt_read(&xt_p1, t, "data/x"), XS_READ, "in", 2));
    CU_ASSERT(xt_is(xt_one(&xt_p1, XS_DIRECTORY, t, "data"), XS_DIRECTORY,
                    P("x\0y\0")));
    t2 = xt_tx_start(&xt_p1);
    CU_ASSERT_EQUAL(t2, 2);
    CU_ASSERT(xt_is_ok(end(t2, "F"), XS_TRANSACTION_END));
    CU_ASSERT(xt_is_error(end(t2, "F"), "ENOENT"));
    CU_ASSERT(xt_is_ok(end(t, "T"), XS_TRANSACTION_END));
    CU_ASSERT(xt_is(xt_read(&xt_p1, 0, "data/x"), XS_READ, "in", 2));
    /* The committed nodes count for their owner. */
    CU_ASSERT_EQUAL(xs_domain_acc(xt_s, 1, XS_ACC_NODES), 14);
    CU_ASSERT_EQUAL(xs_domain_acc(xt_s, 1, XS_ACC_TRANSACTIONS), 0);
    xt_teardown();
}

static void test_tx_errors(void)
{
    uint32_t t;

    xt_setup(false);
    CU_ASSERT(xt_is_error(end(0, "T"), "ENOENT"));
    t = xt_tx_start(&xt_p1);
    CU_ASSERT(xt_is_error(end(t, "X"), "EINVAL"));
    CU_ASSERT(xt_is_error(xt_req(&xt_p1, XS_TRANSACTION_END, t, "TF", 3),
                          "EINVAL"));
    /* Still there after a malformed end. */
    CU_ASSERT(xt_is(xt_read(&xt_p1, t, "domid"), XS_READ, "1", 1));
    /* No nesting; unknown ids. */
    CU_ASSERT(xt_is_error(xt_req(&xt_p1, XS_TRANSACTION_START, t, "", 1),
                          "EBUSY"));
    CU_ASSERT(xt_is_error(xt_req(&xt_p1, XS_TRANSACTION_START, 99, "", 1),
                          "ENOENT"));
    CU_ASSERT(xt_is_error(xt_write(&xt_p1, 99, "data/x", "1"), "ENOENT"));
    /* Watches ignore the transaction id. */
    CU_ASSERT(xt_is_ok(xt_two(&xt_p1, XS_WATCH, 99, "data", "t"), XS_WATCH));
    /* Aborting discards. */
    xt_write(&xt_p1, t, "data/gone", "1");
    CU_ASSERT(xt_is_ok(end(t, "F"), XS_TRANSACTION_END));
    CU_ASSERT(xt_is_error(xt_read(&xt_p1, 0, "data/gone"), "ENOENT"));
    /* Ids go on from the last one. */
    CU_ASSERT_EQUAL(xt_tx_start(&xt_p1), t + 1);
    xt_teardown();
}

static void test_tx_conflicts(void)
{
    uint32_t t, t2;

    xt_setup(false);
    xt_write(&xt_p1, 0, "data/a", "0");
    xt_write(&xt_p1, 0, "data/b", "0");

    /* Read, someone writes it, commit: EAGAIN, nothing applied. */
    t = xt_tx_start(&xt_p1);
    xt_read(&xt_p1, t, "data/a");
    xt_write(&xt_p1, 0, "data/a", "1");
    xt_write(&xt_p1, t, "data/c", "c");
    CU_ASSERT(xt_is_error(end(t, "T"), "EAGAIN"));
    CU_ASSERT(xt_is_error(xt_read(&xt_p1, 0, "data/c"), "ENOENT"));
    CU_ASSERT(xt_is(xt_read(&xt_p1, 0, "data/a"), XS_READ, "1", 1));
    CU_ASSERT(xt_is_error(end(t, "T"), "ENOENT"));     /* it is gone */

    /* Two transactions crossing: the first to commit wins. */
    t = xt_tx_start(&xt_p1);
    t2 = xt_tx_start(&xt_p1);
    xt_read(&xt_p1, t, "data/a");
    xt_read(&xt_p1, t2, "data/b");
    xt_write(&xt_p1, t, "data/b", "t");
    xt_write(&xt_p1, t2, "data/a", "t2");
    CU_ASSERT(xt_is_ok(end(t, "T"), XS_TRANSACTION_END));
    CU_ASSERT(xt_is_error(end(t2, "T"), "EAGAIN"));
    CU_ASSERT(xt_is(xt_read(&xt_p1, 0, "data/b"), XS_READ, "t", 1));
    CU_ASSERT(xt_is(xt_read(&xt_p1, 0, "data/a"), XS_READ, "1", 1));

    /* A node read as absent and created meanwhile. */
    t = xt_tx_start(&xt_p1);
    CU_ASSERT(xt_is_error(xt_read(&xt_p1, t, "data/new"), "ENOENT"));
    xt_write(&xt_p1, 0, "data/new", "n");
    CU_ASSERT(xt_is_error(end(t, "T"), "EAGAIN"));

    /* A node read and removed meanwhile. */
    t = xt_tx_start(&xt_p1);
    xt_read(&xt_p1, t, "data/new");
    xt_one(&xt_p1, XS_RM, 0, "data/new");
    CU_ASSERT(xt_is_error(end(t, "T"), "EAGAIN"));

    /* A write reads first: a concurrent write to it conflicts. */
    t = xt_tx_start(&xt_p1);
    xt_write(&xt_p1, t, "data/b", "w1");
    xt_write(&xt_p1, 0, "data/b", "w2");
    CU_ASSERT(xt_is_error(end(t, "T"), "EAGAIN"));

    /* Changes elsewhere do not, and a node first read after someone
     * changed it is seen as it is then. */
    t = xt_tx_start(&xt_p1);
    xt_read(&xt_p1, t, "data/b");
    xt_write(&xt_p1, 0, "data/a", "2");
    CU_ASSERT(xt_is(xt_read(&xt_p1, t, "data/a"), XS_READ, "2", 1));
    xt_write(&xt_p1, t, "data/b", "ok");
    CU_ASSERT(xt_is_ok(end(t, "T"), XS_TRANSACTION_END));
    CU_ASSERT(xt_is(xt_read(&xt_p1, 0, "data/b"), XS_READ, "ok", 2));
    xt_teardown();
}

static void test_tx_between_domains(void)
{
    uint32_t t;

    xt_setup(true);
    xt_write(&xt_p1, 0, "data/shared", "0");
    xt_req(&xt_p1, XS_SET_PERMS, 0, P("data/shared\0n1\0b2\0"));
    t = xt_tx_start(&xt_p1);
    xt_read(&xt_p1, t, "data/shared");
    xt_write(&xt_p2, 0, "/local/domain/1/data/shared", "2");
    xt_write(&xt_p1, t, "data/mine", "1");
    CU_ASSERT(xt_is_error(end(t, "T"), "EAGAIN"));
    /* The toolstack's changes count too. */
    t = xt_tx_start(&xt_p1);
    xt_read(&xt_p1, t, "name");
    CU_ASSERT_EQUAL(xs_tool_write(xt_s, 0, "/local/domain/1/name", "new"), 0);
    CU_ASSERT(xt_is_error(end(t, "T"), "EAGAIN"));
    xt_teardown();
}

static void test_tx_tree_changes(void)
{
    uint32_t t;

    xt_setup(false);
    xt_write(&xt_p1, 0, "data/d/old", "1");
    t = xt_tx_start(&xt_p1);
    CU_ASSERT(xt_is_ok(xt_one(&xt_p1, XS_MKDIR, t, "data/d/e/f"), XS_MKDIR));
    CU_ASSERT(xt_is_ok(xt_one(&xt_p1, XS_RM, t, "data/d/old"), XS_RM));
    CU_ASSERT(xt_is(xt_one(&xt_p1, XS_DIRECTORY, t, "data/d"), XS_DIRECTORY,
                    P("e\0")));
    CU_ASSERT(xt_is(xt_one(&xt_p1, XS_DIRECTORY, 0, "data/d"), XS_DIRECTORY,
                    P("old\0")));
    /* Created and removed in the same transaction: never seen. */
    xt_write(&xt_p1, t, "data/tmp", "1");
    xt_one(&xt_p1, XS_RM, t, "data/tmp");
    CU_ASSERT(xt_is_ok(xt_req(&xt_p1, XS_SET_PERMS, t, P("data/d\0n1\0r0\0")),
                       XS_SET_PERMS));
    CU_ASSERT(xt_is_ok(end(t, "T"), XS_TRANSACTION_END));
    CU_ASSERT(xt_is(xt_one(&xt_p1, XS_DIRECTORY, 0, "data/d"), XS_DIRECTORY,
                    P("e\0")));
    CU_ASSERT(xt_is_error(xt_read(&xt_p1, 0, "data/tmp"), "ENOENT"));
    CU_ASSERT(xt_is(xt_one(&xt_p1, XS_GET_PERMS, 0, "data/d"), XS_GET_PERMS,
                    P("n1\0r0\0")));
    /* data, d, e, f: 12 libxl nodes but d's old child, plus e and f. */
    CU_ASSERT_EQUAL(xs_domain_acc(xt_s, 1, XS_ACC_NODES), 12 + 3);
    xt_teardown();
}

static void test_tx_watches(void)
{
    struct xt_msg *e;
    uint32_t t;

    xt_setup(false);
    xt_two(&xt_p1, XS_WATCH, 0, "data", "w");
    CU_ASSERT_PTR_NOT_NULL(xt_event(&xt_p1));          /* the first fire */
    t = xt_tx_start(&xt_p1);
    xt_write(&xt_p1, t, "data/x", "1");
    xt_write(&xt_p1, t, "data/x", "2");
    CU_ASSERT_EQUAL(xt_pending_events(&xt_p1), 0);
    CU_ASSERT(xt_is_ok(end(t, "T"), XS_TRANSACTION_END));
    /* One event per changed node, sent before the commit's reply. */
    CU_ASSERT_EQUAL(xt_pending_events(&xt_p1), 1);
    e = xt_event(&xt_p1);
    CU_ASSERT(xt_is(e, XS_WATCH_EVENT, P("data/x\0w\0")));
    t = xt_tx_start(&xt_p1);
    xt_write(&xt_p1, t, "data/y", "1");
    CU_ASSERT(xt_is_ok(end(t, "F"), XS_TRANSACTION_END));
    CU_ASSERT_EQUAL(xt_pending_events(&xt_p1), 0);
    /* A failed commit fires nothing either. */
    t = xt_tx_start(&xt_p1);
    xt_read(&xt_p1, t, "data/x");
    xt_write(&xt_p1, t, "data/z", "1");
    CU_ASSERT_EQUAL(xs_tool_write(xt_s, 0, "/local/domain/1/data/x", "3"), 0);
    CU_ASSERT(xt_is(xt_event(&xt_p1), XS_WATCH_EVENT, P("data/x\0w\0")));
    CU_ASSERT(xt_is_error(end(t, "T"), "EAGAIN"));
    CU_ASSERT_EQUAL(xt_pending_events(&xt_p1), 0);
    xt_teardown();
}

static void test_tx_quotas(void)
{
    char big[2100], name[16];
    uint32_t t[12];
    unsigned i;

    xt_setup(false);
    /* transactions: xenstored refuses once more than 10 are open. */
    for (i = 0; i < 11; i++)
        CU_ASSERT((t[i] = xt_tx_start(&xt_p1)) != 0);
    CU_ASSERT(xt_is_error(xt_req(&xt_p1, XS_TRANSACTION_START, 0, "", 1),
                          "ENOSPC"));
    CU_ASSERT_EQUAL(xs_domain_acc(xt_s, 1, XS_ACC_TRANSACTIONS), 11);
    /* RESET_WATCHES ends them all. */
    CU_ASSERT(xt_is_ok(xt_req(&xt_p1, XS_RESET_WATCHES, 0, "", 1),
                       XS_RESET_WATCHES));
    CU_ASSERT(xt_is_error(end(t[0], "T"), "ENOENT"));
    CU_ASSERT_EQUAL(xs_domain_acc(xt_s, 1, XS_ACC_TRANSACTIONS), 0);

    /* transaction-nodes: touching one more dooms the transaction. */
    CU_ASSERT_EQUAL(xs_call(xt_s, 0, XS_CONTROL,
                            "quota\0set\0transaction-nodes\0" "4", 30, NULL,
                            NULL), 0);
    t[0] = xt_tx_start(&xt_p1);
    CU_ASSERT(xt_is(xt_read(&xt_p1, t[0], "domid"), XS_READ, "1", 1));
    xt_read(&xt_p1, t[0], "name");
    xt_read(&xt_p1, t[0], "vm");
    xt_read(&xt_p1, t[0], "data");
    CU_ASSERT(xt_is_error(xt_read(&xt_p1, t[0], "cpu"), "ENOSPC"));
    CU_ASSERT(xt_is(xt_read(&xt_p1, t[0], "domid"), XS_READ, "1", 1));
    CU_ASSERT(xt_is_error(end(t[0], "T"), "ENOMEM"));
    xs_call(xt_s, 0, XS_CONTROL, "quota\0set\0transaction-nodes\0" "1024",
            33, NULL, NULL);

    /* node-size inside a transaction dooms it too. */
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = 0;
    t[0] = xt_tx_start(&xt_p1);
    xt_write(&xt_p1, t[0], "data/ok", "1");
    CU_ASSERT(xt_is_error(xt_write(&xt_p1, t[0], "data/big", big), "ENOSPC"));
    CU_ASSERT(xt_is_error(end(t[0], "T"), "ENOMEM"));
    CU_ASSERT(xt_is_error(xt_read(&xt_p1, 0, "data/ok"), "ENOENT"));

    /* nodes: checked as each node is made and again at the commit, where
     * reaching the quota is already too much (xenstored's >=). */
    snprintf(name, sizeof(name), "%d",
             xs_domain_acc(xt_s, 1, XS_ACC_NODES) + 2);
    CU_ASSERT_EQUAL(xs_call(xt_s, 0, XS_CONTROL, "quota\0set\0nodes", 16,
                            NULL, NULL), XS_EINVAL);
    {
        char cmd[64];
        size_t n = (size_t)snprintf(cmd, sizeof(cmd), "quota%cset%cnodes%c%s",
                                    0, 0, 0, name);
        CU_ASSERT_EQUAL(xs_call(xt_s, 0, XS_CONTROL, cmd, n + 1, NULL, NULL),
                        0);
    }
    t[0] = xt_tx_start(&xt_p1);
    CU_ASSERT(xt_is_ok(xt_write(&xt_p1, t[0], "data/n1", ""), XS_WRITE));
    CU_ASSERT(xt_is_ok(xt_write(&xt_p1, t[0], "data/n2", ""), XS_WRITE));
    CU_ASSERT(xt_is_error(xt_write(&xt_p1, t[0], "data/n3", ""), "ENOSPC"));
    CU_ASSERT(xt_is_error(end(t[0], "T"), "ENOSPC"));
    /* Outside a transaction the same two fit. */
    CU_ASSERT(xt_is_ok(xt_write(&xt_p1, 0, "data/n1", ""), XS_WRITE));
    CU_ASSERT(xt_is_ok(xt_write(&xt_p1, 0, "data/n2", ""), XS_WRITE));
    xt_teardown();
}

UNIT_SUITE(xenstore_tx)
{
    CU_pSuite s = CU_add_suite("xenstore_tx", NULL, NULL);
    UNIT_TEST(s, test_tx_isolation);
    UNIT_TEST(s, test_tx_errors);
    UNIT_TEST(s, test_tx_conflicts);
    UNIT_TEST(s, test_tx_between_domains);
    UNIT_TEST(s, test_tx_tree_changes);
    UNIT_TEST(s, test_tx_watches);
    UNIT_TEST(s, test_tx_quotas);
}
