/* The credit scheduler model (see sched-credit.h). */
#include <stdlib.h>
#include <string.h>
#include "xenplat/sched-credit.h"

#define NS_PER_MSEC 1000000ull

void csched_init(struct csched *s, unsigned nr_pcpus)
{
    memset(s, 0, sizeof(*s));
    if (nr_pcpus == 0)
        nr_pcpus = 1;
    s->nr_pcpus = nr_pcpus > CSCHED_MAX_PCPUS ? CSCHED_MAX_PCPUS : nr_pcpus;
    s->next_tick = CSCHED_TICK_NS;
    s->next_acct = CSCHED_ACCT_NS;
}

void csched_destroy(struct csched *s)
{
    free(s->unit);
    s->unit = NULL;
    s->nr_units = s->cap_units = 0;
}

static uint64_t all_pcpus(const struct csched *s)
{
    return s->nr_pcpus >= 64 ? ~0ull : (1ull << s->nr_pcpus) - 1;
}

static bool may_run_on(const struct csched_unit *u, unsigned p)
{
    return (u->affinity >> p) & 1;
}

static unsigned first_pcpu(uint64_t mask)
{
    unsigned p = 0;

    while (!((mask >> p) & 1))
        p++;
    return p;
}

int csched_add(struct csched *s, struct csched_unit *u)
{
    if (s->nr_units == s->cap_units) {
        unsigned n = s->cap_units ? s->cap_units * 2 : 16;
        struct csched_unit **a = realloc(s->unit, n * sizeof(*a));
        if (!a)
            return -1;
        s->unit = a;
        s->cap_units = n;
    }
    u->affinity &= all_pcpus(s);
    if (!u->affinity)
        u->affinity = all_pcpus(s);
    u->pri = CSCHED_PRI_UNDER;
    u->credit = 0;
    u->residual = u->unburnt = u->ran_ns = 0;
    u->pcpu = first_pcpu(u->affinity);
    u->runnable = u->awake = u->parked = u->active = false;
    u->queued = u->yielding = false;
    u->next = NULL;
    s->unit[s->nr_units++] = u;
    return 0;
}

static void deactivate(struct csched *s, struct csched_unit *u);

/* ---- run queues ------------------------------------------------------------ */

/* __runq_insert: after every unit of its priority or higher; a yielding
 * unit also behind the next lower-priority one, if any. */
static void runq_insert(struct csched *s, unsigned p, struct csched_unit *u)
{
    struct csched_unit **link = &s->pcpu[p].runq;

    while (*link && (*link)->pri >= u->pri)
        link = &(*link)->next;
    if (u->yielding && *link)
        link = &(*link)->next;
    u->next = *link;
    *link = u;
    u->queued = true;
    u->pcpu = p;
}

static void runq_remove(struct csched *s, struct csched_unit *u)
{
    struct csched_unit **link = &s->pcpu[u->pcpu].runq;

    while (*link && *link != u)
        link = &(*link)->next;
    if (*link)
        *link = u->next;
    u->next = NULL;
    u->queued = false;
}

/* csched_runq_sort: once after each accounting pass, the BOOST and
 * UNDER units move ahead of the OVER ones, each keeping its order. */
static void runq_sort(struct csched *s, unsigned p)
{
    struct csched_pcpu *pc = &s->pcpu[p];
    struct csched_unit *under = NULL, *over = NULL, *u, *next;
    struct csched_unit **utail = &under, **otail = &over;

    if (pc->runq_sort_last == s->runq_sort)
        return;
    pc->runq_sort_last = s->runq_sort;
    for (u = pc->runq; u; u = next) {
        next = u->next;
        u->next = NULL;
        if (u->pri >= CSCHED_PRI_UNDER) {
            *utail = u;
            utail = &u->next;
        } else {
            *otail = u;
            otail = &u->next;
        }
    }
    *utail = over;
    pc->runq = under;
}

static bool pcpu_idle(const struct csched *s, unsigned p)
{
    return !s->pcpu[p].curr && !s->pcpu[p].runq;
}

void csched_remove(struct csched *s, struct csched_unit *u)
{
    unsigned i;

    if (u->queued)
        runq_remove(s, u);
    for (i = 0; i < s->nr_pcpus; i++)
        if (s->pcpu[i].curr == u) {
            s->pcpu[i].curr = NULL;
            s->pcpu[i].need_resched = true;
        }
    deactivate(s, u);
    for (i = 0; i < s->nr_units; i++)
        if (s->unit[i] == u) {
            memmove(&s->unit[i], &s->unit[i + 1],
                    (s->nr_units - i - 1) * sizeof(s->unit[0]));
            s->nr_units--;
            break;
        }
}

/* ---- credits ------------------------------------------------------------- */

/* burn_credits(): 10 credits per ms run.  As in Xen, the sub-credit
 * remainder is carried twice: in residual, and because start moves by
 * the whole credits only. */
static void burn(struct csched_unit *u, uint64_t now)
{
    uint64_t val, credits;

    if (now > u->ran_since) {
        u->ran_ns += now - u->ran_since;
        u->ran_since = now;
    }
    if (now <= u->start)
        return;
    val = (now - u->start) * CSCHED_CREDITS_PER_MSEC + u->residual;
    credits = val / NS_PER_MSEC;
    u->residual = val % NS_PER_MSEC;
    u->credit -= (int)credits;
    u->start += credits * NS_PER_MSEC / CSCHED_CREDITS_PER_MSEC;
}

static void dom_link_head(struct csched *s, struct csched_dom *d)
{
    d->next_active = s->active_dom;
    s->active_dom = d;
    d->on_active = true;
}

static void dom_unlink(struct csched *s, struct csched_dom *d)
{
    struct csched_dom **link = &s->active_dom;

    while (*link && *link != d)
        link = &(*link)->next_active;
    if (*link)
        *link = d->next_active;
    d->next_active = NULL;
    d->on_active = false;
}

/* __csched_unit_acct_start: the unit, and its domain if new there, join
 * the active lists (at their heads). */
static void activate(struct csched *s, struct csched_unit *u)
{
    if (u->active)
        return;
    u->active = true;
    u->dom->nr_active++;
    if (!u->dom->on_active)
        dom_link_head(s, u->dom);
}

static void deactivate(struct csched *s, struct csched_unit *u)
{
    if (!u->active)
        return;
    u->active = false;
    if (--u->dom->nr_active == 0)
        dom_unlink(s, u->dom);
}

/* csched_unit_acct(): the running unit at a tick. */
static void unit_tick(struct csched *s, struct csched_unit *u, uint64_t now)
{
    if (u->pri == CSCHED_PRI_BOOST)
        u->pri = CSCHED_PRI_UNDER;
    burn(u, now);
    activate(s, u);
}

/* ---- waking and sleeping ------------------------------------------------- */

/* csched_res_pick, in short: where it last ran if idle there, else the
 * first idle pCPU it may use, else where it last ran (or its first). */
static unsigned wake_pcpu(const struct csched *s, const struct csched_unit *u)
{
    unsigned p;

    if (may_run_on(u, u->pcpu) && pcpu_idle(s, u->pcpu))
        return u->pcpu;
    for (p = 0; p < s->nr_pcpus; p++)
        if (may_run_on(u, p) && pcpu_idle(s, p))
            return p;
    return may_run_on(u, u->pcpu) ? u->pcpu : first_pcpu(u->affinity);
}

static bool is_current(const struct csched *s, const struct csched_unit *u)
{
    return s->pcpu[u->pcpu].curr == u;
}

/* Runnable again (a wake, or an unpark: not boosted), boosted when a
 * wake finds it UNDER, queued, and the pCPU tickled when it is idle or
 * runs something of lower priority. */
static void make_runnable(struct csched *s, struct csched_unit *u, bool wake)
{
    struct csched_pcpu *pc;
    unsigned p;

    u->runnable = true;
    if (wake && u->pri == CSCHED_PRI_UNDER)
        u->pri = CSCHED_PRI_BOOST;
    if (is_current(s, u) || u->queued)
        return;
    p = wake_pcpu(s, u);
    runq_insert(s, p, u);
    pc = &s->pcpu[p];
    if (!pc->curr || u->pri > pc->curr->pri)
        pc->need_resched = true;
}

void csched_wake(struct csched *s, struct csched_unit *u, uint64_t now)
{
    (void)now;
    u->awake = true;
    if (u->parked || u->runnable)
        return;
    make_runnable(s, u, true);
}

static void make_unrunnable(struct csched *s, struct csched_unit *u)
{
    u->runnable = false;
    if (u->queued)
        runq_remove(s, u);
    if (is_current(s, u))
        s->pcpu[u->pcpu].need_resched = true;
}

void csched_sleep(struct csched *s, struct csched_unit *u, uint64_t now)
{
    (void)now;
    u->awake = false;
    make_unrunnable(s, u);
}

void csched_yield(struct csched *s, struct csched_unit *u)
{
    u->yielding = true;
    if (is_current(s, u))
        s->pcpu[u->pcpu].need_resched = true;
}

/* ---- accounting (csched_acct) ---------------------------------------------- */

static void park(struct csched *s, struct csched_unit *u)
{
    u->parked = true;
    make_unrunnable(s, u);
}

static void unpark(struct csched *s, struct csched_unit *u)
{
    u->parked = false;
    if (u->awake)
        make_runnable(s, u, false);
}

/* One accounting pass's running totals (csched_acct). */
struct acct_pass {
    uint64_t weight_total, weight_left, credit_total;
    bool xtra;                 /* a domain left credit unused */
};

/* Domain d's credit this period, per active unit; *cap_out the per-unit
 * overdraft that parks a capped unit.  Credit a domain cannot use (past
 * its peak or cap) goes to the domains after it; one that could use more
 * moves to the list's head after a domain that could not. */
static int dom_share(struct csched *s, struct csched_dom *d,
                     struct acct_pass *a, int *cap_out)
{
    uint64_t w = (uint64_t)d->weight * d->nr_active;
    uint64_t peak = (uint64_t)d->nr_active * CSCHED_CREDITS_PER_TSLICE;
    uint64_t fair;

    a->weight_left -= w;
    if (s->credit_balance < 0)
        peak += ((uint64_t)-(int64_t)s->credit_balance * w +
                 a->weight_total - 1) / a->weight_total;
    *cap_out = 0;
    if (d->cap) {
        uint64_t cap = ((uint64_t)d->cap * CSCHED_CREDITS_PER_TSLICE + 99)
                       / 100;
        if (cap < peak)
            peak = cap;
        *cap_out = (int)((cap + d->nr_active - 1) / d->nr_active);
    }
    fair = (a->credit_total * w + a->weight_total - 1) / a->weight_total;
    if (fair < peak) {
        a->xtra = true;
    } else {
        if (a->weight_left)
            a->credit_total += ((fair - peak) * a->weight_total +
                                a->weight_left - 1) / a->weight_left;
        if (a->xtra) {
            dom_unlink(s, d);
            dom_link_head(s, d);
        }
        fair = peak;
    }
    return (int)((fair + d->nr_active - 1) / d->nr_active);
}

/* Credit d's active units: OVER below 0 (parked past a cap, never below
 * -one slice), UNDER from 0 (unparked; past one slice it leaves the
 * active list with half).  Their credit summed. */
static int dom_credit_units(struct csched *s, struct csched_dom *d,
                            int share, int cap)
{
    int sum = 0;
    unsigned i;

    for (i = 0; i < s->nr_units; i++) {
        struct csched_unit *u = s->unit[i];

        if (u->dom != d || !u->active)
            continue;
        u->credit += share;
        if (u->credit < 0) {
            u->pri = CSCHED_PRI_OVER;
            if (d->cap && u->credit < -cap && !u->parked)
                park(s, u);
            if (u->credit < -CSCHED_CREDITS_PER_TSLICE)
                u->credit = -CSCHED_CREDITS_PER_TSLICE;
        } else {
            u->pri = CSCHED_PRI_UNDER;
            if (u->parked)
                unpark(s, u);
            if (u->credit > CSCHED_CREDITS_PER_TSLICE) {
                deactivate(s, u);
                u->credit /= 2;
            }
        }
        sum += u->credit;
    }
    return sum;
}

static void acct(struct csched *s)
{
    struct acct_pass a = { 0, 0, 0, false };
    struct csched_dom *d, *next;
    int balance = 0;
    unsigned i;

    for (i = 0; i < s->nr_units; i++)
        if (s->unit[i]->active)
            a.weight_total += s->unit[i]->dom->weight;
    if (!a.weight_total) {
        s->credit_balance = 0;
        return;
    }
    a.weight_left = a.weight_total;
    a.credit_total = (uint64_t)CSCHED_CREDITS_PER_TSLICE * s->nr_pcpus;
    if (s->credit_balance < 0)
        a.credit_total += (uint64_t)-(int64_t)s->credit_balance;
    for (d = s->active_dom; d; d = next) {
        int cap, share;

        next = d->next_active;
        share = dom_share(s, d, &a, &cap);
        balance += dom_credit_units(s, d, share, cap);
    }
    s->credit_balance = balance;
    s->runq_sort++;
}

uint64_t csched_next_event(const struct csched *s)
{
    uint64_t t = s->next_tick < s->next_acct ? s->next_tick : s->next_acct;
    unsigned p;

    for (p = 0; p < s->nr_pcpus; p++)
        if (s->pcpu[p].curr && s->pcpu[p].slice_end < t)
            t = s->pcpu[p].slice_end;
    return t;
}

void csched_timers(struct csched *s, uint64_t now)
{
    unsigned p;

    while (now >= s->next_tick) {
        for (p = 0; p < s->nr_pcpus; p++)
            if (s->pcpu[p].curr) {  /* an idle pCPU's ticker is off */
                unit_tick(s, s->pcpu[p].curr, now);
                runq_sort(s, p);
            }
        s->next_tick += CSCHED_TICK_NS;
    }
    while (now >= s->next_acct) {
        acct(s);
        s->next_acct += CSCHED_ACCT_NS;
    }
}

/* ---- picking ----------------------------------------------------------------- */

/* csched_load_balance: the first queued unit of a peer (in pCPU order
 * after p) that may run on p and beats what p has. */
static struct csched_unit *steal(const struct csched *s, unsigned p, int than)
{
    unsigned i;

    for (i = 1; i < s->nr_pcpus; i++) {
        unsigned q = (p + i) % s->nr_pcpus;
        struct csched_unit *u;

        for (u = s->pcpu[q].runq; u; u = u->next)
            if (may_run_on(u, p) && u->pri > than)
                return u;
    }
    return NULL;
}

bool csched_need_schedule(const struct csched *s, unsigned p, uint64_t now)
{
    const struct csched_pcpu *pc = &s->pcpu[p];

    if (pc->need_resched)
        return true;
    if (pc->curr)
        return !pc->curr->runnable || now >= pc->slice_end;
    return pc->runq || steal(s, p, -1000);
}

struct csched_unit *csched_schedule(struct csched *s, unsigned p,
                                    uint64_t now, struct csched_unit **prev)
{
    struct csched_pcpu *pc = &s->pcpu[p];
    struct csched_unit *cur = pc->curr, *next;

    *prev = NULL;
    if (cur) {
        burn(cur, now);
        cur->unburnt = now - cur->start;
        pc->curr = NULL;
        if (cur->runnable)
            runq_insert(s, p, cur);
    }
    next = pc->runq;
    if (!next || next->pri <= CSCHED_PRI_OVER) {
        struct csched_unit *stolen = steal(s, p, next ? next->pri : -1000);
        if (stolen)
            next = stolen;
    }
    if (next)
        runq_remove(s, next);
    pc->need_resched = false;
    if (cur && cur != next)
        *prev = cur;
    if (!next)
        return NULL;
    next->yielding = false;
    next->pcpu = p;
    if (next != cur) {
        next->start = now - next->unburnt;
        next->ran_since = now;
    }
    pc->curr = next;
    pc->slice_end = now + CSCHED_TSLICE_NS;
    return next;
}

/* ---- configuration ------------------------------------------------------------- */

int csched_parse_cpus(const char *text, uint64_t *mask)
{
    const char *p = text;

    *mask = 0;
    if (strcmp(text, "all") == 0) {
        *mask = ~0ull;
        return 0;
    }
    while (*p) {
        char *end;
        unsigned long a = strtoul(p, &end, 10), b = a;

        if (end == p || a >= 64)
            return -1;
        p = end;
        if (*p == '-') {
            b = strtoul(++p, &end, 10);
            if (end == p || b >= 64 || b < a)
                return -1;
            p = end;
        }
        while (a <= b)
            *mask |= 1ull << a++;
        if (*p == ',')
            p++;
        else if (*p)
            return -1;
    }
    return *mask ? 0 : -1;
}
