/*
 * xl pause / unpause (domain_pause_by_systemcontroller): the controller's
 * pause count with Xen's errors, and what a pause does to each vCPU's
 * runstate (running -> offline, blocked stays blocked, a wake-up while
 * paused -> offline) and to its time accounting.
 */
#include "xenplat/guest.h"
#include "xenplat/sched.h"
#include "unit.h"

static struct xen x;
static struct domain *d;
static struct vcpu *v;

static void setup(void)
{
    CU_ASSERT_FATAL(xen_init(&x, 1024) == 0);
    x.clock.tsc_khz = 1000000;
    d = domain_create(&x, 1, "t", true, 1);
    CU_ASSERT_FATAL(d != NULL);
    CU_ASSERT_FATAL(vcpu_create(d, 0) == 0);
    v = d->vcpu[0];
}

static void teardown(void)
{
    domain_destroy(d);
    xen_destroy(&x);
}

static void run_to(uint64_t ns)
{
    v->cpu.tsc_offset = vtime_tsc_at(v, ns) - v->cpu.icount;
}

static void test_pause_count(void)
{
    unsigned i;

    setup();
    CU_ASSERT_EQUAL(domain_unpause_by_systemcontroller(d), -XEN_EINVAL);
    CU_ASSERT_FALSE(domain_paused(d));
    for (i = 0; i < 255; i++)
        CU_ASSERT_EQUAL(domain_pause_by_systemcontroller(d), 0);
    CU_ASSERT_EQUAL(domain_pause_by_systemcontroller(d), -XEN_EOVERFLOW);
    CU_ASSERT_EQUAL(d->controller_pause_count, 255);
    for (i = 0; i < 254; i++)
        CU_ASSERT_EQUAL(domain_unpause_by_systemcontroller(d), 0);
    CU_ASSERT_TRUE(domain_paused(d));
    CU_ASSERT_EQUAL(v->vtime.runstate, RUNSTATE_offline);
    CU_ASSERT_EQUAL(domain_unpause_by_systemcontroller(d), 0);
    CU_ASSERT_FALSE(domain_paused(d));
    CU_ASSERT_EQUAL(v->vtime.runstate, RUNSTATE_running);
    CU_ASSERT_EQUAL(domain_unpause_by_systemcontroller(d), -XEN_EINVAL);
    teardown();
}

static void test_pause_runstate(void)
{
    uint64_t rs[6];

    setup();
    CU_ASSERT_EQUAL(v->vtime.runstate, RUNSTATE_running);
    run_to(1000);
    CU_ASSERT_EQUAL(domain_pause_by_systemcontroller(d), 0);
    CU_ASSERT_TRUE(v->cpu.stop_request);
    run_to(4000);
    vtime_runstate_get(v, rs);
    CU_ASSERT_EQUAL(rs[0], RUNSTATE_offline);
    CU_ASSERT_EQUAL(rs[1], 1000);
    CU_ASSERT_EQUAL(rs[5], 3000);           /* offline grows while paused */
    CU_ASSERT_EQUAL(domain_unpause_by_systemcontroller(d), 0);
    run_to(4500);
    vtime_runstate_get(v, rs);
    CU_ASSERT_EQUAL(rs[0], RUNSTATE_running);
    CU_ASSERT_EQUAL(rs[2], 1500);
    CU_ASSERT_EQUAL(rs[5], 3000);
    teardown();
}

static void test_pause_blocked(void)
{
    setup();
    v->blocked = true;
    sched_deschedule(v, RUNSTATE_blocked);
    CU_ASSERT_EQUAL(domain_pause_by_systemcontroller(d), 0);
    CU_ASSERT_EQUAL(v->vtime.runstate, RUNSTATE_blocked);
    CU_ASSERT_EQUAL(domain_unpause_by_systemcontroller(d), 0);
    CU_ASSERT_EQUAL(v->vtime.runstate, RUNSTATE_blocked);  /* until an event */
    CU_ASSERT_EQUAL(domain_pause_by_systemcontroller(d), 0);
    vcpu_unblock(v);                        /* an event while paused */
    CU_ASSERT_FALSE(v->blocked);
    CU_ASSERT_EQUAL(v->vtime.runstate, RUNSTATE_offline);
    CU_ASSERT_EQUAL(domain_unpause_by_systemcontroller(d), 0);
    CU_ASSERT_EQUAL(v->vtime.runstate, RUNSTATE_running);
    teardown();
}

UNIT_SUITE(pause)
{
    CU_pSuite s = CU_add_suite("pause", NULL, NULL);
    UNIT_TEST(s, test_pause_count);
    UNIT_TEST(s, test_pause_runstate);
    UNIT_TEST(s, test_pause_blocked);
}
