/*
 * xenstored's watches: the first fire, which changes fire which watches
 * (parents, exact matches under a removal), relative and absolute event
 * paths, the order of events and replies, permissions on events, the
 * special watches, duplicates, removal, the watch quota and the merging
 * of identical queued events.
 */
#include <string.h>
#include "unit.h"
#include "xs-harness.h"

#define D1 "/local/domain/1"

static bool event_is(struct xt_pipe *p, const char *path, const char *token)
{
    struct xt_msg *e = xt_event(p);
    size_t lp = strlen(path) + 1, lt = strlen(token) + 1;

    if (!e) {
        fprintf(stderr, "\nno event (wanted %s %s)\n", path, token);
        return false;
    }
    if (e->h.len != lp + lt || strcmp((char *)e->data, path) != 0 ||
        strcmp((char *)e->data + lp, token) != 0) {
        fprintf(stderr, "\nevent %s %s (wanted %s %s)\n", (char *)e->data,
                (char *)e->data + strlen((char *)e->data) + 1, path, token);
        return false;
    }
    return e->h.req_id == 0 && e->h.tx_id == 0;
}

static void test_watch_fires(void)
{
    struct xt_msg m;

    xt_setup(false);
    CU_ASSERT(xt_is_ok(xt_two(&xt_p1, XS_WATCH, 0, "data", "rel"), XS_WATCH));
    /* The first fire comes right after the reply, path as given. */
    CU_ASSERT(event_is(&xt_p1, "data", "rel"));
    CU_ASSERT(xt_is_ok(xt_two(&xt_p1, XS_WATCH, 0, D1 "/data", "abs"),
                       XS_WATCH));
    CU_ASSERT(event_is(&xt_p1, D1 "/data", "abs"));
    /* A change's events go out before the reply to the request. */
    xt_send(&xt_p1, XS_WRITE, 0, P("data/a\0v"));
    CU_ASSERT(xt_recv(&xt_p1, &m) && xt_is(&m, XS_WATCH_EVENT,
                                           P("data/a\0rel\0")));
    CU_ASSERT(xt_recv(&xt_p1, &m) && xt_is(&m, XS_WATCH_EVENT,
                                           P(D1 "/data/a\0abs\0")));
    CU_ASSERT(xt_recv(&xt_p1, &m) && xt_is_ok(&m, XS_WRITE));
    /* The node itself matches; elsewhere does not. */
    xt_write(&xt_p1, 0, "data", "");
    CU_ASSERT(event_is(&xt_p1, "data", "rel"));
    CU_ASSERT(event_is(&xt_p1, D1 "/data", "abs"));
    xt_write(&xt_p1, 0, "control/feature-poweroff", "1");
    CU_ASSERT_EQUAL(xt_pending_events(&xt_p1), 0);
    /* Creating parents fires once, for the path written. */
    xt_two(&xt_p1, XS_WATCH, 0, "data/p/q", "deep");
    CU_ASSERT(event_is(&xt_p1, "data/p/q", "deep"));
    xt_write(&xt_p1, 0, "data/p/q/r", "1");
    CU_ASSERT(event_is(&xt_p1, "data/p/q/r", "rel"));
    CU_ASSERT(event_is(&xt_p1, D1 "/data/p/q/r", "abs"));
    CU_ASSERT(event_is(&xt_p1, "data/p/q/r", "deep"));
    xt_write(&xt_p1, 0, "data/p", "1");       /* a parent: not "deep" */
    CU_ASSERT(event_is(&xt_p1, "data/p", "rel"));
    CU_ASSERT(event_is(&xt_p1, D1 "/data/p", "abs"));
    CU_ASSERT_EQUAL(xt_pending_events(&xt_p1), 0);
    /* MKDIR of something there already changes nothing: no event. */
    xt_one(&xt_p1, XS_MKDIR, 0, "data/p");
    CU_ASSERT_EQUAL(xt_pending_events(&xt_p1), 0);
    /* Removal: every removed node fires its exact watches (children
     * first), the removed root its parents' watches. */
    xt_one(&xt_p1, XS_RM, 0, "data/p");
    CU_ASSERT(event_is(&xt_p1, "data/p/q", "deep"));
    CU_ASSERT(event_is(&xt_p1, "data/p", "rel"));
    CU_ASSERT(event_is(&xt_p1, D1 "/data/p", "abs"));
    CU_ASSERT_EQUAL(xt_pending_events(&xt_p1), 0);
    /* Permissions changes fire too. */
    xt_req(&xt_p1, XS_SET_PERMS, 0, P("data/a\0n1\0r0\0"));
    CU_ASSERT(event_is(&xt_p1, "data/a", "rel"));
    CU_ASSERT(event_is(&xt_p1, D1 "/data/a", "abs"));
    xt_teardown();
}

static void test_watch_management(void)
{
    unsigned i;
    char tok[16];

    xt_setup(false);
    xt_two(&xt_p1, XS_WATCH, 0, "data", "t");
    CU_ASSERT(xt_is_error(xt_two(&xt_p1, XS_WATCH, 0, "data", "t"),
                          "EEXIST"));
    /* The same path under its absolute name is the same watch. */
    CU_ASSERT(xt_is_error(xt_two(&xt_p1, XS_WATCH, 0, D1 "/data", "t"),
                          "EEXIST"));
    CU_ASSERT(xt_is_ok(xt_two(&xt_p1, XS_WATCH, 0, "data", "u"), XS_WATCH));
    CU_ASSERT(xt_is_error(xt_two(&xt_p1, XS_WATCH, 0, "da ta", "u"),
                          "EINVAL"));
    /* Watches on nodes that do not exist (or cannot be read) are fine. */
    CU_ASSERT(xt_is_ok(xt_two(&xt_p1, XS_WATCH, 0, "/local/domain/0/x", "v"),
                       XS_WATCH));
    CU_ASSERT_EQUAL(xs_domain_acc(xt_s, 1, XS_ACC_WATCHES), 3);
    CU_ASSERT(xt_is_ok(xt_two(&xt_p1, XS_UNWATCH, 0, "data", "u"),
                       XS_UNWATCH));
    CU_ASSERT(xt_is_error(xt_two(&xt_p1, XS_UNWATCH, 0, "data", "u"),
                          "ENOENT"));
    CU_ASSERT(xt_is_error(xt_two(&xt_p1, XS_UNWATCH, 0, "data//", "u"),
                          "EINVAL"));
    CU_ASSERT(xt_is_ok(xt_two(&xt_p1, XS_UNWATCH, 0, D1 "/data", "t"),
                       XS_UNWATCH));
    xt_event(&xt_p1);
    xt_p1.next_event = xt_p1.nevents;
    xt_write(&xt_p1, 0, "data/x", "1");
    CU_ASSERT_EQUAL(xt_pending_events(&xt_p1), 0);
    /* RESET_WATCHES drops them all. */
    xt_two(&xt_p1, XS_WATCH, 0, "data", "t");
    CU_ASSERT(xt_is_ok(xt_req(&xt_p1, XS_RESET_WATCHES, 0, "", 1),
                       XS_RESET_WATCHES));
    CU_ASSERT_EQUAL(xs_domain_acc(xt_s, 1, XS_ACC_WATCHES), 0);
    xt_p1.next_event = xt_p1.nevents;
    xt_write(&xt_p1, 0, "data/x", "2");
    CU_ASSERT_EQUAL(xt_pending_events(&xt_p1), 0);
    /* The quota: xenstored refuses once more than 128 are set. */
    for (i = 0; i < 129; i++) {
        snprintf(tok, sizeof(tok), "t%u", i);
        CU_ASSERT(xt_is_ok(xt_two(&xt_p1, XS_WATCH, 0, "data", tok),
                           XS_WATCH));
    }
    CU_ASSERT(xt_is_error(xt_two(&xt_p1, XS_WATCH, 0, "data", "one-more"),
                          "E2BIG"));
    CU_ASSERT_EQUAL(xs_domain_acc(xt_s, 1, XS_ACC_WATCHES), 129);
    xt_teardown();
}

static void test_watch_permissions(void)
{
    xt_setup(true);
    CU_ASSERT(xt_is_ok(xt_two(&xt_p2, XS_WATCH, 0, D1 "/data", "spy"),
                       XS_WATCH));
    CU_ASSERT(event_is(&xt_p2, D1 "/data", "spy"));
    /* 2 may read neither the node nor its parent. */
    xt_write(&xt_p1, 0, "data/x", "1");
    CU_ASSERT_EQUAL(xt_pending_events(&xt_p2), 0);
    /* Granted: it hears; and when the grant is withdrawn (it could read
     * the node before), too; then no more. */
    xt_req(&xt_p1, XS_SET_PERMS, 0, P("data/x\0n1\0r2\0"));
    CU_ASSERT(event_is(&xt_p2, D1 "/data/x", "spy"));
    xt_write(&xt_p1, 0, "data/x", "2");
    CU_ASSERT(event_is(&xt_p2, D1 "/data/x", "spy"));
    xt_req(&xt_p1, XS_SET_PERMS, 0, P("data/x\0n1\0"));
    CU_ASSERT(event_is(&xt_p2, D1 "/data/x", "spy"));
    xt_write(&xt_p1, 0, "data/x", "3");
    CU_ASSERT_EQUAL(xt_pending_events(&xt_p2), 0);
    /* A readable parent is enough. */
    xt_req(&xt_p1, XS_SET_PERMS, 0, P("data\0n1\0r2\0"));
    CU_ASSERT(event_is(&xt_p2, D1 "/data", "spy"));
    xt_write(&xt_p1, 0, "data/x", "4");
    CU_ASSERT(event_is(&xt_p2, D1 "/data/x", "spy"));
    /* The toolstack's changes fire watches as anyone's. */
    CU_ASSERT_EQUAL(xs_toolstack_shutdown(xt_s, 1, "poweroff"), 0);
    xt_two(&xt_p1, XS_WATCH, 0, "control/shutdown", "ctl");
    CU_ASSERT(event_is(&xt_p1, "control/shutdown", "ctl"));
    CU_ASSERT_EQUAL(xs_toolstack_shutdown(xt_s, 1, "reboot"), 0);
    CU_ASSERT(event_is(&xt_p1, "control/shutdown", "ctl"));
    CU_ASSERT(xt_is(xt_read(&xt_p1, 0, "control/shutdown"), XS_READ,
                    "reboot", 6));
    xt_teardown();
}

static void test_special_watches(void)
{
    struct xt_pipe p3;

    xt_setup(true);
    CU_ASSERT(xt_is_ok(xt_two(&xt_p1, XS_WATCH, 0, "@releaseDomain", "rel"),
                       XS_WATCH));
    CU_ASSERT(event_is(&xt_p1, "@releaseDomain", "rel"));
    xt_two(&xt_p1, XS_WATCH, 0, "@introduceDomain", "intro");
    CU_ASSERT(event_is(&xt_p1, "@introduceDomain", "intro"));
    /* dom0's nodes: a domU hears nothing... */
    xs_domain_shutdown(xt_s, 2);
    CU_ASSERT_EQUAL(xt_pending_events(&xt_p1), 0);
    /* ...unless dom0 lets it read them. */
    CU_ASSERT_EQUAL(xs_tool_set_perms(xt_s, 0, "@releaseDomain", "n0 r1"), 0);
    CU_ASSERT_EQUAL(xs_tool_set_perms(xt_s, 0, "@introduceDomain", "n0 r1"),
                    0);
    /* (A permission change is a change like any other.) */
    CU_ASSERT(event_is(&xt_p1, "@releaseDomain", "rel"));
    CU_ASSERT(event_is(&xt_p1, "@introduceDomain", "intro"));
    CU_ASSERT(xt_is(xt_one(&xt_p1, XS_GET_PERMS, 0, "@releaseDomain"),
                    XS_GET_PERMS, P("n0\0r1\0")));
    xs_domain_shutdown(xt_s, 2);          /* once per shutdown */
    CU_ASSERT_EQUAL(xt_pending_events(&xt_p1), 0);
    CU_ASSERT_EQUAL(xs_call(xt_s, 0, XS_RESUME, "2", 2, NULL, NULL), 0);
    xs_domain_shutdown(xt_s, 2);
    CU_ASSERT(event_is(&xt_p1, "@releaseDomain", "rel"));
    xt_connect(3, "three", &p3);
    CU_ASSERT(event_is(&xt_p1, "@introduceDomain", "intro"));
    CU_ASSERT_EQUAL(xs_call(xt_s, 0, XS_RELEASE, "3", 2, NULL, NULL), 0);
    CU_ASSERT(event_is(&xt_p1, "@releaseDomain", "rel"));
    /* Special events are never merged. */
    xt_p1.stall = true;
    xs_call(xt_s, 0, XS_RESUME, "2", 2, NULL, NULL);
    xs_domain_shutdown(xt_s, 2);
    xs_call(xt_s, 0, XS_RESUME, "2", 2, NULL, NULL);
    xs_domain_shutdown(xt_s, 2);
    xt_p1.stall = false;
    CU_ASSERT(event_is(&xt_p1, "@releaseDomain", "rel"));
    CU_ASSERT(event_is(&xt_p1, "@releaseDomain", "rel"));
    xt_teardown();
}

static void test_event_merging(void)
{
    xt_setup(true);
    xt_write(&xt_p1, 0, "data/d", "0");
    xt_req(&xt_p1, XS_SET_PERMS, 0, P("data/d\0n1\0b2\0"));
    xt_two(&xt_p1, XS_WATCH, 0, "data/d", "m");
    CU_ASSERT(event_is(&xt_p1, "data/d", "m"));
    /* While 1 cannot take its output, identical events are one. */
    xt_p1.out_room = 5;                       /* 5 bytes of one event */
    xt_write(&xt_p2, 0, D1 "/data/d", "1");
    xt_write(&xt_p2, 0, D1 "/data/d", "2");
    xt_write(&xt_p2, 0, D1 "/data/d/e", "3");
    xt_write(&xt_p2, 0, D1 "/data/d", "4");
    xt_p1.out_room = 0;
    CU_ASSERT(event_is(&xt_p1, "data/d", "m"));
    CU_ASSERT(event_is(&xt_p1, "data/d/e", "m"));
    CU_ASSERT_EQUAL(xt_pending_events(&xt_p1), 0);
    xt_teardown();
}

UNIT_SUITE(xenstore_watch)
{
    CU_pSuite s = CU_add_suite("xenstore_watch", NULL, NULL);
    UNIT_TEST(s, test_watch_fires);
    UNIT_TEST(s, test_watch_management);
    UNIT_TEST(s, test_watch_permissions);
    UNIT_TEST(s, test_special_watches);
    UNIT_TEST(s, test_event_merging);
}
