/* The credit scheduler model: shares by weight, caps, affinity, boost on
 * wake-up and determinism, on simulated pCPUs in virtual time. */
#include <string.h>
#include "unit.h"
#include "xenplat/sched-credit.h"

#define STEP_NS 100000ull          /* 100 us between scheduling points */

struct sim {
    struct csched s;
    struct csched_dom dom[4];
    struct csched_unit unit[4];
    unsigned nr;
    uint64_t now;
    uint64_t trace;                /* hash of every decision */
    unsigned ran_on[4][4];         /* unit x pCPU: picks */
};

static void sim_init(struct sim *m, unsigned pcpus)
{
    memset(m, 0, sizeof(*m));
    csched_init(&m->s, pcpus);
    m->trace = 1469598103934665603ull;
}

/* A busy unit in a domain of its own. */
static struct csched_unit *sim_add(struct sim *m, unsigned weight,
                                   unsigned cap, uint64_t affinity)
{
    struct csched_unit *u = &m->unit[m->nr];

    m->dom[m->nr] = (struct csched_dom){ .weight = weight, .cap = cap };
    u->dom = &m->dom[m->nr++];
    u->affinity = affinity;
    CU_ASSERT_EQUAL_FATAL(csched_add(&m->s, u), 0);
    csched_wake(&m->s, u, m->now);
    return u;
}

static void sim_run(struct sim *m, uint64_t until)
{
    while (m->now < until) {
        unsigned p;
        for (p = 0; p < m->s.nr_pcpus; p++) {
            struct csched_unit *prev, *u;
            if (!csched_need_schedule(&m->s, p, m->now))
                continue;
            u = csched_schedule(&m->s, p, m->now, &prev);
            m->trace = (m->trace ^ (uint64_t)(u ? u - m->unit + 1 : 0) ^
                        ((uint64_t)p << 8)) * 1099511628211ull;
            if (u)
                m->ran_on[u - m->unit][p]++;
        }
        m->now += STEP_NS;
        csched_timers(&m->s, m->now);
    }
    /* Charge the running units up to now. */
    for (unsigned p = 0; p < m->s.nr_pcpus; p++) {
        struct csched_unit *prev;
        m->s.pcpu[p].need_resched = true;
        csched_schedule(&m->s, p, m->now, &prev);
    }
}

static double share(const struct sim *m, unsigned i)
{
    return (double)m->unit[i].ran_ns / (double)m->now;
}

static void test_weights_one_to_two(void)
{
    struct sim m;

    sim_init(&m, 1);
    sim_add(&m, 256, 0, ~0ull);
    sim_add(&m, 512, 0, ~0ull);
    sim_run(&m, 3000000000ull);
    double ratio = (double)m.unit[1].ran_ns / (double)m.unit[0].ran_ns;
    CU_ASSERT(ratio > 2.0 * 0.95 && ratio < 2.0 * 1.05);
    CU_ASSERT(share(&m, 0) + share(&m, 1) > 0.99);
    csched_destroy(&m.s);
}

/* The 1:2 split shows within a few accounting periods: from 180 ms, in
 * whole 90 ms cycles (30 ms and 60 ms), exactly. */
static void test_weights_settle_fast(void)
{
    struct sim m;
    uint64_t l0, h0;

    sim_init(&m, 1);
    sim_add(&m, 256, 0, ~0ull);
    sim_add(&m, 512, 0, ~0ull);
    sim_run(&m, 180000000ull);
    l0 = m.unit[0].ran_ns;
    h0 = m.unit[1].ran_ns;
    sim_run(&m, 360000000ull);
    CU_ASSERT_EQUAL((m.unit[0].ran_ns - l0) / 1000000, 60);
    CU_ASSERT_EQUAL((m.unit[1].ran_ns - h0) / 1000000, 120);
    csched_destroy(&m.s);
}

/* Accounting lifts a unit that overdrew (ran long while no one else
 * was runnable) to minus one slice's credit, OVER. */
static void test_credit_floor(void)
{
    struct sim m;
    struct csched_unit *a, *prev;

    sim_init(&m, 1);
    a = sim_add(&m, 256, 0, ~0ull);
    sim_add(&m, 256, 0, ~0ull);
    CU_ASSERT_PTR_EQUAL(csched_schedule(&m.s, 0, 0, &prev), a);
    csched_timers(&m.s, CSCHED_TICK_NS);    /* active from its first tick */
    a->credit = -2000;
    csched_timers(&m.s, CSCHED_ACCT_NS);
    CU_ASSERT_EQUAL(a->credit, -CSCHED_CREDITS_PER_TSLICE);
    CU_ASSERT_EQUAL(a->pri, CSCHED_PRI_OVER);
    csched_destroy(&m.s);
}

/* A capped unit unparked by accounting is not boosted (Xen keeps the
 * parked flag until after the unpause). */
static void test_unpark_not_boosted(void)
{
    struct sim m;
    struct csched_unit *u, *prev;
    unsigned unparks = 0;

    sim_init(&m, 1);
    u = sim_add(&m, 256, 25, ~0ull);
    while (m.now < 1000000000ull) {
        bool was = u->parked;

        if (csched_need_schedule(&m.s, 0, m.now))
            csched_schedule(&m.s, 0, m.now, &prev);
        m.now += STEP_NS;
        csched_timers(&m.s, m.now);
        if (was && !u->parked) {
            unparks++;
            CU_ASSERT_EQUAL(u->pri, CSCHED_PRI_UNDER);
        }
    }
    CU_ASSERT(unparks > 3);
    csched_destroy(&m.s);
}

/* After an accounting pass, the next tick moves the UNDER units of a run
 * queue ahead of the OVER ones, keeping their order. */
static void test_runq_sort(void)
{
    struct sim m;
    struct csched_unit *a, *b, *c, *prev;

    sim_init(&m, 1);
    a = sim_add(&m, 256, 0, ~0ull);
    b = sim_add(&m, 256, 0, ~0ull);
    c = sim_add(&m, 256, 0, ~0ull);
    CU_ASSERT_PTR_EQUAL(csched_schedule(&m.s, 0, 0, &prev), a);
    CU_ASSERT_PTR_EQUAL(m.s.pcpu[0].runq, b);
    b->pri = CSCHED_PRI_OVER;       /* as a pass would leave it */
    csched_timers(&m.s, m.s.next_tick);
    CU_ASSERT_PTR_EQUAL(m.s.pcpu[0].runq, b);   /* no pass yet */
    m.s.runq_sort++;
    csched_timers(&m.s, m.s.next_tick);
    CU_ASSERT_PTR_EQUAL(m.s.pcpu[0].runq, c);
    CU_ASSERT_PTR_EQUAL(c->next, b);
    CU_ASSERT_PTR_NULL(b->next);
    csched_destroy(&m.s);
}

static void test_equal_weights_two_pcpus(void)
{
    struct sim m;

    sim_init(&m, 2);
    sim_add(&m, 256, 0, ~0ull);
    sim_add(&m, 256, 0, ~0ull);
    sim_add(&m, 256, 0, ~0ull);
    sim_run(&m, 3000000000ull);
    for (unsigned i = 0; i < 3; i++)
        CU_ASSERT(share(&m, i) > 0.6 && share(&m, i) < 0.73);
    csched_destroy(&m.s);
}

static void test_cap_honoured(void)
{
    struct sim m;

    sim_init(&m, 1);
    sim_add(&m, 256, 25, ~0ull);
    sim_run(&m, 3000000000ull);
    /* Alone on the pCPU, but capped at a quarter of it. */
    CU_ASSERT(share(&m, 0) > 0.20 && share(&m, 0) < 0.30);
    CU_ASSERT(m.unit[0].credit >= -400);
    csched_destroy(&m.s);
}

static void test_uncapped_takes_rest(void)
{
    struct sim m;

    sim_init(&m, 1);
    sim_add(&m, 256, 25, ~0ull);
    sim_add(&m, 256, 0, ~0ull);
    sim_run(&m, 3000000000ull);
    CU_ASSERT(share(&m, 0) < 0.30);
    CU_ASSERT(share(&m, 1) > 0.70);
    csched_destroy(&m.s);
}

static void test_affinity(void)
{
    struct sim m;

    sim_init(&m, 3);
    sim_add(&m, 256, 0, 1ull << 1);
    sim_add(&m, 256, 0, 1ull << 1);
    sim_add(&m, 256, 0, (1ull << 0) | (1ull << 2));
    sim_run(&m, 500000000ull);
    CU_ASSERT_EQUAL(m.ran_on[0][0] + m.ran_on[0][2], 0);
    CU_ASSERT_EQUAL(m.ran_on[1][0] + m.ran_on[1][2], 0);
    CU_ASSERT_EQUAL(m.ran_on[2][1], 0);
    /* Units 0 and 1 share pCPU 1; unit 2 has a pCPU to itself. */
    CU_ASSERT(share(&m, 0) > 0.45 && share(&m, 0) < 0.55);
    CU_ASSERT(share(&m, 2) > 0.99);
    /* An affinity naming no existing pCPU means all of them. */
    struct csched_unit u = { .dom = &m.dom[0], .affinity = 1ull << 40 };
    CU_ASSERT_EQUAL(csched_add(&m.s, &u), 0);
    CU_ASSERT_EQUAL(u.affinity, 7);
    csched_destroy(&m.s);
}

static void test_boost_on_wake(void)
{
    struct sim m;
    struct csched_unit *busy, *sleeper, *prev;

    sim_init(&m, 1);
    busy = sim_add(&m, 256, 0, ~0ull);
    sleeper = sim_add(&m, 256, 0, ~0ull);
    csched_sleep(&m.s, sleeper, 0);
    sim_run(&m, 50000000ull);           /* busy alone, past its boost */
    CU_ASSERT_PTR_EQUAL(m.s.pcpu[0].curr, busy);
    CU_ASSERT_EQUAL(busy->pri, CSCHED_PRI_UNDER);
    m.s.pcpu[0].need_resched = false;
    csched_wake(&m.s, sleeper, m.now);
    CU_ASSERT_EQUAL(sleeper->pri, CSCHED_PRI_BOOST);
    /* The wake-up tickles the pCPU: the boosted unit preempts at once. */
    CU_ASSERT(csched_need_schedule(&m.s, 0, m.now));
    CU_ASSERT_PTR_EQUAL(csched_schedule(&m.s, 0, m.now, &prev), sleeper);
    CU_ASSERT_PTR_EQUAL(prev, busy);
    /* Unboosted at the next tick it is found running. */
    csched_timers(&m.s, m.s.next_tick);
    CU_ASSERT_EQUAL(sleeper->pri, CSCHED_PRI_UNDER);
    /* Sleeping gives the pCPU back. */
    csched_sleep(&m.s, sleeper, m.now);
    CU_ASSERT(csched_need_schedule(&m.s, 0, m.now));
    CU_ASSERT_PTR_EQUAL(csched_schedule(&m.s, 0, m.now, &prev), busy);
    csched_destroy(&m.s);
}

static void test_idle_when_all_asleep(void)
{
    struct sim m;
    struct csched_unit *u, *prev;

    sim_init(&m, 2);
    u = sim_add(&m, 256, 0, ~0ull);
    CU_ASSERT_PTR_EQUAL(csched_schedule(&m.s, 0, 0, &prev), u);
    csched_sleep(&m.s, u, 10);
    CU_ASSERT(csched_need_schedule(&m.s, 0, 10));
    CU_ASSERT_PTR_NULL(csched_schedule(&m.s, 0, 10, &prev));
    CU_ASSERT_PTR_EQUAL(prev, u);
    CU_ASSERT(!csched_need_schedule(&m.s, 0, 20));
    CU_ASSERT(!csched_need_schedule(&m.s, 1, 20));
    csched_destroy(&m.s);
}

static void test_deterministic(void)
{
    static struct sim a, b;

    sim_init(&a, 2);
    sim_init(&b, 2);
    for (unsigned i = 0; i < 4; i++) {
        sim_add(&a, 128 * (i + 1), i == 3 ? 30 : 0, i == 0 ? 1 : ~0ull);
        sim_add(&b, 128 * (i + 1), i == 3 ? 30 : 0, i == 0 ? 1 : ~0ull);
    }
    sim_run(&a, 1000000000ull);
    sim_run(&b, 1000000000ull);
    CU_ASSERT_EQUAL(a.trace, b.trace);
    for (unsigned i = 0; i < 4; i++)
        CU_ASSERT_EQUAL(a.unit[i].ran_ns, b.unit[i].ran_ns);
    csched_destroy(&a.s);
    csched_destroy(&b.s);
}

static void test_parse_cpus(void)
{
    uint64_t m;

    CU_ASSERT_EQUAL(csched_parse_cpus("0-1", &m), 0);
    CU_ASSERT_EQUAL(m, 3);
    CU_ASSERT_EQUAL(csched_parse_cpus("1,3-4", &m), 0);
    CU_ASSERT_EQUAL(m, 0x1a);
    CU_ASSERT_EQUAL(csched_parse_cpus("all", &m), 0);
    CU_ASSERT_EQUAL(m, ~0ull);
    CU_ASSERT_EQUAL(csched_parse_cpus("2-1", &m), -1);
    CU_ASSERT_EQUAL(csched_parse_cpus("64", &m), -1);
    CU_ASSERT_EQUAL(csched_parse_cpus("x", &m), -1);
    CU_ASSERT_EQUAL(csched_parse_cpus("", &m), -1);
}

UNIT_SUITE(sched_credit)
{
    CU_pSuite s = CU_add_suite("sched_credit", NULL, NULL);
    UNIT_TEST(s, test_weights_one_to_two);
    UNIT_TEST(s, test_weights_settle_fast);
    UNIT_TEST(s, test_credit_floor);
    UNIT_TEST(s, test_unpark_not_boosted);
    UNIT_TEST(s, test_runq_sort);
    UNIT_TEST(s, test_equal_weights_two_pcpus);
    UNIT_TEST(s, test_cap_honoured);
    UNIT_TEST(s, test_uncapped_takes_rest);
    UNIT_TEST(s, test_affinity);
    UNIT_TEST(s, test_boost_on_wake);
    UNIT_TEST(s, test_idle_when_all_asleep);
    UNIT_TEST(s, test_deterministic);
    UNIT_TEST(s, test_parse_cpus);
}
