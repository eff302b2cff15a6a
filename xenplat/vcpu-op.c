/*
 * vcpu_op (xen/common/domain.c do_vcpu_op, x86/domain.c arch_do_vcpu_op):
 * vCPU state, timers, runstate and vcpu_info placement.  Structures are
 * at the offsets of pub/vcpu.h for the guest's ABI.
 */
#include "xenemu/le.h"
#include "xenplat/guest.h"
#include "xenplat/hypercall.h"
#include "xenplat/sched.h"

enum {
    VCPUOP_initialise = 0, VCPUOP_up = 1, VCPUOP_down = 2, VCPUOP_is_up = 3,
    VCPUOP_get_runstate_info = 4, VCPUOP_register_runstate_memory_area = 5,
    VCPUOP_set_periodic_timer = 6, VCPUOP_stop_periodic_timer = 7,
    VCPUOP_set_singleshot_timer = 8, VCPUOP_stop_singleshot_timer = 9,
    VCPUOP_register_vcpu_info = 10, VCPUOP_send_nmi = 11,
    VCPUOP_get_physid = 12, VCPUOP_register_vcpu_time_memory_area = 13,
};

#define VCPU_SSHOTTMR_future 1u
#define STIME_DELTA_MAX INT64_MAX
/* sizeof(struct vcpu_guest_context): 64-bit and compat. */
#define VCPU_GUEST_CONTEXT_SIZE(is64) ((is64) ? 5168u : 2800u)

/* ---- bring-up ----------------------------------------------------------------- */

static long vcpu_initialise(struct vcpu *v, struct vcpu *t, uint64_t arg)
{
    bool is64 = !is_pv32(t->d);
    uint8_t ctx[5168];

    if (!vcpu_info_maddr(t))
        return -XEN_EINVAL;
    if (copy_from_guest(v, arg, ctx, VCPU_GUEST_CONTEXT_SIZE(is64)))
        return -XEN_EFAULT;
    if (t->initialised)
        return -XEN_EEXIST;
    return vcpu_set_context(t, ctx);
}

static long vcpu_up(struct vcpu *t)
{
    if (!t->initialised)
        return -XEN_EINVAL;
    if (!t->online) {
        t->online = true;
        t->blocked = true;          /* vcpu_wake() schedules it */
        vcpu_unblock(t);
    }
    return 0;
}

static long vcpu_down(struct vcpu *t)
{
    struct domain *d = t->d;
    unsigned i;

    for (i = 0; i < d->max_vcpus; i++)
        if (d->vcpu[i] && d->vcpu[i] != t && d->vcpu[i]->online)
            break;
    if (i == d->max_vcpus) {        /* the last vCPU going down */
        domain_shutdown(d, SHUTDOWN_poweroff);
        return 0;
    }
    if (t->online) {
        t->online = false;
        sched_deschedule(t, RUNSTATE_offline);
    }
    return 0;
}

/* ---- runstate ------------------------------------------------------------------- */

static long get_runstate_info(struct vcpu *v, struct vcpu *t, uint64_t arg)
{
    uint64_t rs[6];
    uint8_t buf[48];
    unsigned size;

    vtime_runstate_get(t, rs);
    size = vtime_runstate_layout(t, rs, buf);
    return copy_to_guest(v, arg, buf, size) ? -XEN_EFAULT : 0;
}

static long register_runstate_area(struct vcpu *v, struct vcpu *t,
                                   uint64_t arg)
{
    bool is64 = !is_pv32(v->d);
    uint64_t va, rs[6];
    uint8_t b[8], buf[48];
    unsigned size;

    if (copy_from_guest(v, arg, b, 8))
        return -XEN_EFAULT;
    va = is64 ? le64_load(b) : le32_load(b);
    if (!guest_range_ok(v, va, is64 ? 48 : 44))
        return -XEN_EFAULT;
    t->vtime.runstate_area = va;
    if (!va)
        return 0;
    /* The running vCPU's own record, or a snapshot of another's. */
    if (t == v) {
        vtime_write_runstate_area(t);
        return 0;
    }
    vtime_runstate_get(t, rs);
    size = vtime_runstate_layout(t, rs, buf);
    copy_to_guest(v, va, buf, size);
    return 0;
}

/* ---- timers --------------------------------------------------------------------- */

static long set_periodic_timer(struct vcpu *v, struct vcpu *t, uint64_t arg)
{
    uint64_t period;

    if (get_guest_u64(v, arg, &period))
        return -XEN_EFAULT;
    if (period < MILLISECS(1) || period > STIME_DELTA_MAX)
        return -XEN_EINVAL;
    vtime_set_periodic(t, period);
    t->cpu.stop_request = true;     /* the slice ends at the new deadline */
    return 0;
}

static long set_singleshot_timer(struct vcpu *v, struct vcpu *t,
                                 uint64_t arg)
{
    uint8_t b[16];
    uint64_t timeout;

    if (t != v)
        return -XEN_EINVAL;
    if (copy_from_guest(v, arg, b, is_pv32(v->d) ? 12 : 16))
        return -XEN_EFAULT;
    timeout = le64_load(b);
    if ((le32_load(b + 8) & VCPU_SSHOTTMR_future) && timeout < vtime_now(v))
        return -XEN_ETIME;
    /* A time in the past fires at once (before the guest resumes). */
    v->vtime.singleshot = timeout;
    v->cpu.stop_request = true;
    return 0;
}

/* ---- vcpu_info placement (map_vcpu_info) ----------------------------------------- */

/* get_page_from_gfn + get_page_type(PGT_writable_page). */
static bool get_writable_page(struct domain *d, uint64_t mfn)
{
    struct page_info *pg = mfn_page(d->x, mfn);

    if (!pg || pg->owner != d->domid)
        return false;
    if (pg->type != PGT_writable_page && pg->type != PGT_none &&
        pg->type_count)
        return false;
    pg->type = PGT_writable_page;
    pg->type_count++;
    return true;
}

static long map_vcpu_info(struct vcpu *v, struct vcpu *t, uint64_t mfn,
                          uint32_t offset)
{
    struct domain *d = t->d;
    struct xen *x = d->x;
    unsigned align = is_pv32(d) ? 4 : 8, i;
    uint64_t old = vcpu_info_maddr(t), new;

    if (offset > PAGE_SIZE - VCPU_INFO_SIZE || (offset & (align - 1)))
        return -XEN_EINVAL;
    if (t->vcpu_info_registered)
        return -XEN_EINVAL;
    if (t != v && t->online)        /* yourself, or an offline vCPU */
        return -XEN_EINVAL;
    if (!get_writable_page(d, mfn))
        return -XEN_EINVAL;
    new = (mfn << PAGE_SHIFT) + offset;
    for (i = 0; i < VCPU_INFO_SIZE; i++)
        maddr_store(x, new + i, 1, old ? maddr_load(x, old + i, 1) : 0);
    if (!old)
        maddr_store(x, new + VI_UPCALL_MASK, 1, 1);
    t->vcpu_info_maddr = new;
    t->vcpu_info_registered = true;
    /* Everything pending, so that nothing is lost in the move. */
    vcpu_info_store(t, d->abi->vi_pending_sel, d->abi->ulong_size, ~0ull);
    if (!vcpu_info_load8(t, VI_UPCALL_PENDING)) {
        vcpu_info_store8(t, VI_UPCALL_PENDING, 1);
        vcpu_kick(t);
    }
    vtime_update_vcpu_info(t);      /* force_update_vcpu_system_time */
    return 0;
}

static long register_vcpu_info(struct vcpu *v, struct vcpu *t, uint64_t arg)
{
    uint8_t b[16];

    if (copy_from_guest(v, arg, b, sizeof(b)))
        return -XEN_EFAULT;
    return map_vcpu_info(v, t, le64_load(b), le32_load(b + 8));
}

static long register_time_area(struct vcpu *v, struct vcpu *t, uint64_t arg)
{
    uint8_t b[8];
    uint64_t va;

    if (copy_from_guest(v, arg, b, 8))
        return -XEN_EFAULT;
    va = is_pv32(v->d) ? le32_load(b) : le64_load(b);
    if (!guest_range_ok(v, va, 32))
        return -XEN_EFAULT;
    t->vtime.time_area = va;
    vtime_update_vcpu_info(t);
    return 0;
}

static long send_nmi(struct vcpu *t, uint64_t arg)
{
    if (arg)
        return -XEN_EINVAL;
    if (!t->nmi_pending) {
        t->nmi_pending = true;
        vcpu_kick(t);
    }
    return 0;
}

/* ---- the hypercall ------------------------------------------------------------------- */

long do_vcpu_op(struct vcpu *v, const uint64_t *a)
{
    struct domain *d = v->d;
    uint32_t id = (uint32_t)a[1];
    uint64_t arg = a[2];
    struct vcpu *t = id < d->max_vcpus ? d->vcpu[id] : NULL;

    if (!t)
        return -XEN_ENOENT;
    switch ((int)a[0]) {
    case VCPUOP_initialise:
        return vcpu_initialise(v, t, arg);
    case VCPUOP_up:
        return vcpu_up(t);
    case VCPUOP_down:
        return vcpu_down(t);
    case VCPUOP_is_up:
        return t->online;
    case VCPUOP_get_runstate_info:
        return get_runstate_info(v, t, arg);
    case VCPUOP_register_runstate_memory_area:
        return register_runstate_area(v, t, arg);
    case VCPUOP_set_periodic_timer:
        return set_periodic_timer(v, t, arg);
    case VCPUOP_stop_periodic_timer:
        vtime_set_periodic(t, 0);
        return 0;
    case VCPUOP_set_singleshot_timer:
        return set_singleshot_timer(v, t, arg);
    case VCPUOP_stop_singleshot_timer:
        if (t != v)
            return -XEN_EINVAL;
        t->vtime.singleshot = VTIME_NEVER;
        return 0;
    case VCPUOP_register_vcpu_info:
        return register_vcpu_info(v, t, arg);
    case VCPUOP_send_nmi:
        return send_nmi(t, arg);
    case VCPUOP_get_physid:
        return -XEN_EINVAL;         /* the hardware domain's pinned vCPUs */
    case VCPUOP_register_vcpu_time_memory_area:
        return register_time_area(v, t, arg);
    default:
        return -XEN_ENOSYS;
    }
}
