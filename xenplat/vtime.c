/* Guest time from the virtual clock (see vtime.h). */
#include "xenplat/guest.h"

#define NS_PER_SEC 1000000000ull
#define MILLISECS(ms) ((uint64_t)(ms) * 1000000ull)
#define PERIODIC_DEFAULT MILLISECS(10)

/* Default wall clock at system time 0: 2026-01-01T00:00:00Z. */
#define DEFAULT_EPOCH 1767225600ull

void vtime_vcpu_init(struct vcpu *v)
{
    struct vcpu_time *t = &v->vtime;

    t->periodic_period = PERIODIC_DEFAULT;
    t->periodic_next = PERIODIC_DEFAULT;
    t->singleshot = VTIME_NEVER;
    t->runstate = RUNSTATE_running;
}

/* set_time_scale(): shift the rate into (1e9, 2e9], then mul = 1e9<<32 /
 * rate. */
static void time_scale(uint64_t hz, uint32_t *mul, int8_t *shift)
{
    int s = 0;

    while (hz > 2 * NS_PER_SEC) {
        hz >>= 1;
        s--;
    }
    while (hz <= NS_PER_SEC) {
        hz <<= 1;
        s++;
    }
    *mul = (uint32_t)((NS_PER_SEC << 32) / hz);
    *shift = (int8_t)s;
}

void vtime_update_vcpu_info(struct vcpu *v)
{
    struct xen *x = v->d->x;
    uint64_t ti = v->vcpu_info_maddr + VI_TIME;
    uint64_t tsc = xen_tsc(x, v);
    uint32_t mul;
    int8_t shift;

    time_scale(x->clock.tsc_khz * 1000, &mul, &shift);
    v->vtime.time_version |= 1;
    maddr_store(x, ti + VTI_VERSION, 4, v->vtime.time_version);
    maddr_store(x, ti + VTI_TSC_TIMESTAMP, 8, tsc);
    maddr_store(x, ti + VTI_SYSTEM_TIME, 8, tsc_to_ns(x, tsc));
    maddr_store(x, ti + VTI_MUL, 4, mul);
    maddr_store(x, ti + VTI_SHIFT, 1, (uint8_t)shift);
    maddr_store(x, ti + VTI_FLAGS, 1, 0);
    v->vtime.time_version++;
    maddr_store(x, ti + VTI_VERSION, 4, v->vtime.time_version);
}

void vtime_update_wallclock(struct domain *d)
{
    const struct xen_abi *abi = d->abi;
    struct xen *x = d->x;
    uint64_t sh = d->shared_info_mfn << PAGE_SHIFT;
    uint64_t sec = x->clock.wallclock_epoch ? x->clock.wallclock_epoch
                                            : DEFAULT_EPOCH;
    uint32_t ver = (uint32_t)maddr_load(x, sh + abi->sh_wc_version, 4);

    maddr_store(x, sh + abi->sh_wc_version, 4, ver | 1);
    maddr_store(x, sh + abi->sh_wc_sec, 4, (uint32_t)sec);
    maddr_store(x, sh + abi->sh_wc_nsec, 4, 0);
    maddr_store(x, sh + abi->sh_wc_sec_hi, 4, (uint32_t)(sec >> 32));
    maddr_store(x, sh + abi->sh_wc_version, 4, (ver | 1) + 1);
}

uint64_t vtime_next_deadline(const struct vcpu *v)
{
    const struct vcpu_time *t = &v->vtime;
    uint64_t d = t->singleshot;

    if (t->periodic_period && t->periodic_next < d)
        d = t->periodic_next;
    return d;
}

void vtime_run_timers(struct vcpu *v, uint64_t now)
{
    struct vcpu_time *t = &v->vtime;
    bool fire = false;

    if (t->periodic_period && now >= t->periodic_next) {
        fire = true;
        t->periodic_next = now + t->periodic_period;
    }
    if (t->singleshot != VTIME_NEVER && now >= t->singleshot) {
        fire = true;
        t->singleshot = VTIME_NEVER;
    }
    if (fire) {
        vtime_update_vcpu_info(v);
        evtchn_send_virq(v, VIRQ_TIMER);
    }
}

void vtime_set_runstate(struct vcpu *v, int state, uint64_t now)
{
    struct vcpu_time *t = &v->vtime;

    if (t->runstate >= 0 && t->runstate < 4)
        t->runstate_time[t->runstate] += now - t->runstate_entry;
    t->runstate = state;
    t->runstate_entry = now;
}

long do_set_timer_op(struct vcpu *v, const uint64_t *a)
{
    uint64_t now = xen_system_time(v->d->x, v);
    int64_t timeout = is_pv32(v->d) ? (int64_t)(a[0] | a[1] << 32)
                                    : (int64_t)a[0];
    int64_t offset = timeout - (int64_t)now;

    if (timeout == 0) {
        v->vtime.singleshot = VTIME_NEVER;
        return 0;
    }
    /* Xen's guard against wrapped Linux jiffies: far-future or negative
     * timeouts become 100 ms from now. */
    if (timeout < 0 || (offset > 0 && (offset >> 50) != 0))
        v->vtime.singleshot = now + MILLISECS(100);
    else
        v->vtime.singleshot = (uint64_t)timeout;
    return 0;
}
