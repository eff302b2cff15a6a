/* Guest time from the virtual clock (see vtime.h). */
#include <string.h>
#include "xenemu/le.h"
#include "xenplat/guest.h"
#include "xenplat/sched.h"

#define PERIODIC_DEFAULT MILLISECS(10)
#define XEN_RUNSTATE_UPDATE (1ull << 63)
#define VMASST_runstate_update_flag 5

/* Default wall clock at system time 0: 2026-01-01T00:00:00Z. */
#define DEFAULT_EPOCH 1767225600ull

/* ---- the scale ------------------------------------------------------------- */

void vtime_scale(uint64_t hz, uint32_t *mul, int8_t *shift)
{
    uint32_t tps32;
    int s = 0;

    while (hz > 2 * NS_PER_SEC) {
        hz >>= 1;
        s--;
    }
    tps32 = (uint32_t)hz;
    while (tps32 <= (uint32_t)NS_PER_SEC) {
        tps32 <<= 1;
        s++;
    }
    *mul = (uint32_t)((NS_PER_SEC << 32) / tps32);
    *shift = (int8_t)s;
}

uint64_t vtime_scale_delta(uint64_t delta, uint32_t mul, int8_t shift)
{
    if (shift < 0)
        delta >>= -shift;
    else
        delta <<= shift;
    /* (delta * mul) >> 32 without a 128-bit type. */
    return (delta >> 32) * mul + (((delta & 0xffffffffu) * mul) >> 32);
}

static uint64_t now_at(const struct vcpu_time *t, uint64_t tsc)
{
    if (tsc < t->stamp_tsc)
        return t->stamp_ns;
    return t->stamp_ns + vtime_scale_delta(tsc - t->stamp_tsc, t->mul,
                                           t->shift);
}

uint64_t vtime_now(const struct vcpu *v)
{
    return now_at(&v->vtime, xen_tsc(v->d->x, v));
}

uint64_t vtime_tsc_at(const struct vcpu *v, uint64_t ns)
{
    const struct vcpu_time *t = &v->vtime;
    uint64_t d, x, delta, tsc;

    if (ns <= t->stamp_ns)
        return t->stamp_tsc;
    /* Invert the scale, then settle on the first tick that reaches ns. */
    d = ns - t->stamp_ns;
    x = (d / t->mul > 0xffffffffu) ? UINT64_MAX / 4
        : ((d / t->mul) << 32) + ((d % t->mul) << 32) / t->mul;
    delta = t->shift >= 0 ? x >> t->shift : x << -t->shift;
    tsc = t->stamp_tsc + delta;
    while (now_at(t, tsc) < ns)
        tsc++;
    while (tsc > t->stamp_tsc && now_at(t, tsc - 1) >= ns)
        tsc--;
    return tsc;
}

/* ---- start of day ---------------------------------------------------------- */

void vtime_vcpu_init(struct vcpu *v, bool running)
{
    struct vcpu_time *t = &v->vtime;

    vtime_scale(v->d->x->clock.tsc_khz * 1000, &t->mul, &t->shift);
    t->stamp_tsc = xen_tsc(v->d->x, v);
    t->stamp_ns = tsc_to_ns(v->d->x, t->stamp_tsc);
    t->periodic_period = PERIODIC_DEFAULT;
    t->periodic_last = t->stamp_ns;
    t->periodic_next = running ? t->stamp_ns + PERIODIC_DEFAULT : VTIME_NEVER;
    t->singleshot = VTIME_NEVER;
    t->poll_timer = VTIME_NEVER;
    t->runstate = running ? RUNSTATE_running : RUNSTATE_offline;
    t->runstate_entry = t->stamp_ns;
}

/* ---- publishing ---------------------------------------------------------------- */

static void time_info_bytes(const struct vcpu_time *t, uint32_t version,
                            uint8_t b[32])
{
    memset(b, 0, 32);
    le32_store(b + VTI_VERSION, version);
    le64_store(b + VTI_TSC_TIMESTAMP, t->stamp_tsc);
    le64_store(b + VTI_SYSTEM_TIME, t->stamp_ns);
    le32_store(b + VTI_MUL, t->mul);
    b[VTI_SHIFT] = (uint8_t)t->shift;
    b[VTI_FLAGS] = 0;
}

void vtime_update_vcpu_info(struct vcpu *v)
{
    struct vcpu_time *t = &v->vtime;
    struct xen *x = v->d->x;
    uint64_t ti = vcpu_info_maddr(v) + VI_TIME;
    uint64_t tsc = xen_tsc(x, v);
    uint32_t ver;
    uint8_t b[32];
    unsigned i;

    t->stamp_ns = now_at(t, tsc);
    t->stamp_tsc = tsc;
    /* version_update_begin/end: odd while the fields change. */
    ver = ((uint32_t)maddr_load(x, ti + VTI_VERSION, 4) + 1) | 1;
    maddr_store(x, ti + VTI_VERSION, 4, ver);
    time_info_bytes(t, ver, b);
    for (i = 4; i < 32; i++)
        maddr_store(x, ti + i, 1, b[i]);
    maddr_store(x, ti + VTI_VERSION, 4, ver + 1);
    if (t->time_area) {
        uint8_t vb[4];
        le32_store(vb, ver);
        copy_to_guest(v, t->time_area, vb, 4);
        copy_to_guest(v, t->time_area, b, 32);
        le32_store(vb, ver + 1);
        copy_to_guest(v, t->time_area, vb, 4);
    }
}

uint64_t vtime_epoch(const struct xen *x)
{
    return x->clock.wallclock_epoch ? x->clock.wallclock_epoch
                                    : DEFAULT_EPOCH;
}

void vtime_update_wallclock(struct domain *d)
{
    const struct xen_abi *abi = d->abi;
    struct xen *x = d->x;
    uint64_t sh = d->shared_info_mfn << PAGE_SHIFT;
    uint64_t sec = vtime_epoch(x);
    uint32_t ver = ((uint32_t)maddr_load(x, sh + abi->sh_wc_version, 4) + 1) | 1;

    maddr_store(x, sh + abi->sh_wc_version, 4, ver);
    maddr_store(x, sh + abi->sh_wc_sec, 4, (uint32_t)sec);
    maddr_store(x, sh + abi->sh_wc_nsec, 4, x->clock.wallclock_nsec);
    maddr_store(x, sh + abi->sh_wc_sec_hi, 4, (uint32_t)(sec >> 32));
    maddr_store(x, sh + abi->sh_wc_version, 4, ver + 1);
}

/* ---- timers ---------------------------------------------------------------- */

/* send_timer_event(). */
static void send_timer_event(struct vcpu *v)
{
    vtime_update_vcpu_info(v);
    evtchn_send_virq(v, VIRQ_TIMER);
}

/* vcpu_periodic_timer_work(): a tick that is due fires now; the next one
 * is a period after the last. */
void vtime_periodic_work(struct vcpu *v)
{
    struct vcpu_time *t = &v->vtime;
    uint64_t now = vtime_now(v), next;

    if (!t->periodic_period)
        return;
    next = t->periodic_last + t->periodic_period;
    if (now >= next) {
        send_timer_event(v);
        t->periodic_last = now;
        next = now + t->periodic_period;
    }
    t->periodic_next = next;
}

void vtime_periodic_stop(struct vcpu *v)
{
    v->vtime.periodic_next = VTIME_NEVER;
}

void vtime_set_periodic(struct vcpu *v, uint64_t period)
{
    vtime_periodic_stop(v);
    v->vtime.periodic_period = period;
    if (period)
        vtime_periodic_work(v);
}

static uint64_t min64(uint64_t a, uint64_t b)
{
    return a < b ? a : b;
}

uint64_t vtime_next_deadline(const struct vcpu *v)
{
    const struct vcpu_time *t = &v->vtime;
    uint64_t d = min64(t->singleshot, min64(t->periodic_next, t->poll_timer));

    return min64(d, sched_watchdog_deadline(v->d));
}

void vtime_run_timers(struct vcpu *v, uint64_t now)
{
    struct vcpu_time *t = &v->vtime;

    if (now >= t->singleshot) {
        t->singleshot = VTIME_NEVER;
        send_timer_event(v);
    }
    if (now >= t->periodic_next)
        vtime_periodic_work(v);
    if (now >= t->poll_timer) {
        t->poll_timer = VTIME_NEVER;
        sched_poll_timeout(v);
    }
    sched_run_watchdogs(v->d, now);
}

/* ---- runstate ---------------------------------------------------------------- */

void vtime_runstate_get(const struct vcpu *v, uint64_t out[6])
{
    const struct vcpu_time *t = &v->vtime;
    uint64_t now = vtime_now(v);
    unsigned i;

    out[0] = (uint64_t)t->runstate;
    out[1] = t->runstate_entry;
    for (i = 0; i < 4; i++)
        out[2 + i] = t->runstate_time[i];
    if (now > t->runstate_entry)
        out[2 + t->runstate] += now - t->runstate_entry;
}

unsigned vtime_runstate_layout(const struct vcpu *v, const uint64_t rs[6],
                               uint8_t *buf)
{
    bool is64 = !is_pv32(v->d);
    unsigned entry = is64 ? 8 : 4, i;

    memset(buf, 0, 48);
    le32_store(buf, (uint32_t)rs[0]);
    le64_store(buf + entry, rs[1]);
    for (i = 0; i < 4; i++)
        le64_store(buf + entry + 8 + i * 8, rs[2 + i]);
    return entry + 40;
}

/* update_runstate_area(): with VMASST runstate_update_flag, bit 63 of
 * state_entry_time is set while the area changes. */
void vtime_write_runstate_area(struct vcpu *v)
{
    const struct vcpu_time *t = &v->vtime;
    bool flag = (v->d->vm_assist >> VMASST_runstate_update_flag) & 1;
    uint64_t rs[6], top;
    uint8_t buf[48];
    unsigned size, i;

    if (!t->runstate_area)
        return;
    rs[0] = (uint64_t)t->runstate;
    rs[1] = t->runstate_entry | (flag ? XEN_RUNSTATE_UPDATE : 0);
    for (i = 0; i < 4; i++)
        rs[2 + i] = t->runstate_time[i];
    size = vtime_runstate_layout(v, rs, buf);
    /* The top byte of state_entry_time. */
    top = t->runstate_area + (is_pv32(v->d) ? 4 : 8) + 7;
    if (flag)
        put_guest_u8(v, top, (uint8_t)(rs[1] >> 56));
    copy_to_guest(v, t->runstate_area, buf, size);
    if (flag)
        put_guest_u8(v, top, (uint8_t)(t->runstate_entry >> 56));
}

void vtime_set_runstate(struct vcpu *v, int state)
{
    struct vcpu_time *t = &v->vtime;
    uint64_t now = vtime_now(v);

    if (now > t->runstate_entry)
        t->runstate_time[t->runstate] += now - t->runstate_entry;
    t->runstate = state;
    t->runstate_entry = now;
    vtime_write_runstate_area(v);
}

/* ---- --clock=host ---------------------------------------------------------------- */

void vtime_follow_host(struct vcpu *v, uint64_t host_ns)
{
    struct cpu *c = &v->cpu;
    uint64_t host_tsc = ns_to_tsc(v->d->x, host_ns);

    if (host_tsc > c->icount + c->tsc_offset)
        c->tsc_offset = host_tsc - c->icount;
}

/* ---- set_timer_op ------------------------------------------------------------------- */

long do_set_timer_op(struct vcpu *v, const uint64_t *a)
{
    uint64_t now = vtime_now(v);
    int64_t timeout = is_pv32(v->d) ? (int64_t)(a[0] | a[1] << 32)
                                    : (int64_t)a[0];
    int64_t offset = timeout - (int64_t)now;

    v->cpu.stop_request = true;     /* the slice ends at the new deadline */
    if (timeout == 0) {
        v->vtime.singleshot = VTIME_NEVER;
        return 0;
    }
    /* Xen's guard against wrapped Linux jiffies: negative timeouts or ones
     * more than 2^50 ns ahead become 100 ms from now. */
    if (timeout < 0 || (offset > 0 && (uint32_t)(offset >> 50) != 0))
        v->vtime.singleshot = now + MILLISECS(100);
    else
        v->vtime.singleshot = (uint64_t)timeout;
    return 0;
}
