/*
 * Guest time: set_time_scale for several TSC rates, the inverse used to
 * stop at deadlines, timers firing exactly at their deadline on the
 * virtual clock, the periodic timer's Xen rules, runstate sums.
 */
#include "xenplat/guest.h"
#include "xenplat/sched.h"
#include "unit.h"

static struct xen x;
static struct domain *d;
static struct vcpu *v;

static void setup_khz(uint64_t khz)
{
    CU_ASSERT_FATAL(xen_init(&x, 1024) == 0);
    x.clock.tsc_khz = khz;
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

/* Let virtual time run to exactly ns. */
static void run_to(uint64_t ns)
{
    v->cpu.tsc_offset = vtime_tsc_at(v, ns) - v->cpu.icount;
    CU_ASSERT_EQUAL(vtime_now(v), ns);
}

static void test_scale(void)
{
    static const uint64_t rates[] = {
        1000000000ull, 2000000000ull, 3000000000ull, 2494833000ull,
        100000000ull, 10000000ull, 1000ull, 5000000001ull,
    };
    uint32_t mul;
    int8_t shift;
    size_t i;

    vtime_scale(1000000000ull, &mul, &shift);
    CU_ASSERT_EQUAL(mul, 0x80000000u);
    CU_ASSERT_EQUAL(shift, 1);
    vtime_scale(2000000000ull, &mul, &shift);
    CU_ASSERT_EQUAL(mul, 0x80000000u);
    CU_ASSERT_EQUAL(shift, 0);
    vtime_scale(3000000000ull, &mul, &shift);
    CU_ASSERT_EQUAL(mul, 0xaaaaaaaau);
    CU_ASSERT_EQUAL(shift, -1);
    for (i = 0; i < sizeof(rates) / sizeof(rates[0]); i++) {
        uint64_t ns;
        vtime_scale(rates[i], &mul, &shift);
        CU_ASSERT(mul >= 0x80000000u);           /* rate in (1e9, 2e9] */
        /* One second of ticks is one second, to 1 ns per 2^32. */
        ns = vtime_scale_delta(rates[i], mul, shift);
        CU_ASSERT(ns <= 1000000000ull && ns >= 999999999ull);
        /* Hz from the published pair, as xen-abi.md §5 computes it. */
        CU_ASSERT_EQUAL(shift >= 0
                        ? ((1000000000ull << 32) / mul) >> shift
                        : ((1000000000ull << 32) / mul) << -shift,
                        shift >= 0 ? (rates[i] << shift) >> shift
                                   : rates[i] >> -shift << -shift);
    }
}

static void check_inverse(uint64_t khz)
{
    static const uint64_t deadlines[] = {
        1, 999, 1000000, 10000000, 123456789, 5000000000ull,
        86400000000000ull,
    };
    size_t i;

    setup_khz(khz);
    for (i = 0; i < sizeof(deadlines) / sizeof(deadlines[0]); i++) {
        uint64_t t = vtime_tsc_at(v, deadlines[i]);
        v->cpu.tsc_offset = t - v->cpu.icount;
        CU_ASSERT(vtime_now(v) >= deadlines[i]);
        v->cpu.tsc_offset = t - 1 - v->cpu.icount;
        CU_ASSERT(vtime_now(v) < deadlines[i]);
    }
    teardown();
}

static void test_tsc_at(void)
{
    check_inverse(1000000);       /* the default 1 GHz */
    check_inverse(2494833);
    check_inverse(3000000);
    check_inverse(12345);
}

static uint64_t published_time(void)
{
    return vcpu_info_load(v, VI_TIME + VTI_SYSTEM_TIME, 8);
}

static void test_singleshot_exact(void)
{
    setup_khz(2494833);            /* stamps must survive an odd rate */
    CU_ASSERT_EQUAL(evtchn_op_bind_virq(v, VIRQ_TIMER, 0), 1);
    v->vtime.singleshot = 5000123;
    CU_ASSERT_EQUAL(vtime_next_deadline(v), 5000123);
    run_to(5000122);
    vtime_run_timers(v, vtime_now(v));
    CU_ASSERT(!evtchn_is_pending(d, 1));
    run_to(5000123);
    vtime_run_timers(v, vtime_now(v));
    CU_ASSERT(evtchn_is_pending(d, 1));
    CU_ASSERT_EQUAL(published_time(), 5000123);
    CU_ASSERT_EQUAL(v->vtime.singleshot, VTIME_NEVER);
    /* The guest's formula over the published pair agrees with Xen. */
    run_to(7777777);
    CU_ASSERT_EQUAL(vcpu_info_load(v, VI_TIME + VTI_SYSTEM_TIME, 8) +
                    vtime_scale_delta(xen_tsc(&x, v) -
                                      vcpu_info_load(v, VI_TIME +
                                                     VTI_TSC_TIMESTAMP, 8),
                                      v->vtime.mul, v->vtime.shift),
                    7777777);
    CU_ASSERT_EQUAL(vcpu_info_load(v, VI_TIME + VTI_VERSION, 4) & 1, 0);
    teardown();
}

static void test_periodic(void)
{
    setup_khz(1000000);
    evtchn_op_bind_virq(v, VIRQ_TIMER, 0);
    CU_ASSERT_EQUAL(vtime_next_deadline(v), MILLISECS(10));
    run_to(MILLISECS(10));
    vtime_run_timers(v, vtime_now(v));
    CU_ASSERT_EQUAL(published_time(), MILLISECS(10));
    CU_ASSERT_EQUAL(v->vtime.periodic_next, MILLISECS(20));
    /* Descheduled: stopped; back at 35 ms: one overdue tick now, the
     * next a period later. */
    vtime_periodic_stop(v);
    CU_ASSERT_EQUAL(vtime_next_deadline(v), VTIME_NEVER);
    run_to(MILLISECS(35));
    vtime_periodic_work(v);
    CU_ASSERT_EQUAL(published_time(), MILLISECS(35));
    CU_ASSERT_EQUAL(v->vtime.periodic_next, MILLISECS(45));
    /* A new period counts from the last tick. */
    run_to(MILLISECS(40));
    vtime_set_periodic(v, MILLISECS(3));
    CU_ASSERT_EQUAL(published_time(), MILLISECS(40));
    CU_ASSERT_EQUAL(v->vtime.periodic_next, MILLISECS(43));
    vtime_set_periodic(v, 0);
    CU_ASSERT_EQUAL(vtime_next_deadline(v), VTIME_NEVER);
    teardown();
}

static void test_runstate_sums(void)
{
    uint64_t rs[6];

    setup_khz(1000000);
    run_to(1000);
    vtime_set_runstate(v, RUNSTATE_blocked);
    run_to(5000);
    vtime_set_runstate(v, RUNSTATE_running);
    run_to(5500);
    vtime_runstate_get(v, rs);
    CU_ASSERT_EQUAL(rs[0], RUNSTATE_running);
    CU_ASSERT_EQUAL(rs[1], 5000);
    CU_ASSERT_EQUAL(rs[2], 1500);
    CU_ASSERT_EQUAL(rs[4], 4000);
    CU_ASSERT_EQUAL(rs[2] + rs[3] + rs[4] + rs[5], 5500);
    teardown();
}

static void test_watchdog_timer(void)
{
    setup_khz(1000000);
    d->watchdog[1] = 2 * NS_PER_SEC;
    d->watchdog_inuse = 2;
    vtime_periodic_stop(v);
    CU_ASSERT_EQUAL(vtime_next_deadline(v), 2 * NS_PER_SEC);
    run_to(2 * NS_PER_SEC);
    vtime_run_timers(v, vtime_now(v));
    CU_ASSERT_EQUAL(d->state, DOM_SHUTDOWN);
    CU_ASSERT_EQUAL(d->shutdown_reason, SHUTDOWN_watchdog);
    teardown();
}

UNIT_SUITE(vtime)
{
    CU_pSuite s = CU_add_suite("vtime", NULL, NULL);
    UNIT_TEST(s, test_scale);
    UNIT_TEST(s, test_tsc_at);
    UNIT_TEST(s, test_singleshot_exact);
    UNIT_TEST(s, test_periodic);
    UNIT_TEST(s, test_runstate_sums);
    UNIT_TEST(s, test_watchdog_timer);
}
