/* Domains and vCPUs: creation, destruction, shutdown and crash. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xenplat/guest.h"
#include "xenplat/sched.h"
#include "xenplat/traps.h"
#include "xenplat/xenmap.h"

static void cpuid_hook(void *opaque, struct cpu *c, uint32_t leaf,
                       uint32_t sub, uint32_t out[4])
{
    (void)c;
    pv_cpuid(opaque, leaf, sub, out);
}

struct domain *domain_create(struct xen *x, uint16_t domid, const char *name,
                             bool is64, unsigned max_vcpus)
{
    struct domain *d;

    if (x->nr_domains >= MAX_DOMAINS || max_vcpus == 0 ||
        max_vcpus > MAX_VIRT_CPUS)
        return NULL;
    d = calloc(1, sizeof(*d));
    if (!d)
        return NULL;
    d->x = x;
    d->domid = domid;
    snprintf(d->name, sizeof(d->name), "%s", name ? name : "");
    d->abi = is64 ? &xen_abi64 : &xen_abi32;
    d->max_vcpus = max_vcpus;
    d->sched_dom.weight = CSCHED_DEFAULT_WEIGHT;
    for (unsigned i = 0; i < NR_DOMAIN_WATCHDOG_TIMERS; i++)
        d->watchdog[i] = VTIME_NEVER;
    d->shared_info_mfn = frame_alloc(x, DOMID_XEN);
    if (d->shared_info_mfn == ~0ull || xenmap_domain_init(d) ||
        evtchn_init(d, EVTCHN_DEFAULT_MAX_PORT) ||
        grant_table_init(d, GNTTAB_DEFAULT_MAX_FRAMES,
                         GNTTAB_DEFAULT_MAX_MAPTRACK_FRAMES)) {
        domain_destroy(d);
        return NULL;
    }
    x->dom[x->nr_domains++] = d;
    return d;
}

struct domain *xen_domain(struct xen *x, uint16_t domid)
{
    unsigned i;

    for (i = 0; i < x->nr_domains; i++)
        if (x->dom[i]->domid == domid)
            return x->dom[i];
    return NULL;
}

int vcpu_create(struct domain *d, unsigned id)
{
    struct vcpu *v;

    if (id >= d->max_vcpus || d->vcpu[id])
        return -1;
    v = calloc(1, sizeof(*v));
    if (!v)
        return -1;
    v->d = d;
    v->id = id;
    if (cpu_init(&v->cpu, &d->x->mem)) {
        free(v);
        return -1;
    }
    v->cpu_ready = true;
    v->cpu.tsc_offset = d->x->now_tsc;
    v->cpu.opaque = v;
    v->cpu.ring0_exits = true;
    v->cpu.hooks.exit = pv_exit;
    v->cpu.hooks.cpuid = cpuid_hook;
    v->cpu.strict = d->x->strict;
    if (d->x->jit)
        cpu_set_jit(&v->cpu, d->x->jit > 0 ? (unsigned)d->x->jit : 0);
    v->sched_unit.owner = v;
    v->sched_unit.dom = &d->sched_dom;
    v->sched_unit.affinity = ~0ull;
    /* vcpu_info lives in shared_info until the guest registers its own
     * (only the first XEN_LEGACY_MAX_VCPUS have a slot there). */
    if (id < XEN_LEGACY_MAX_VCPUS)
        v->vcpu_info_maddr = (d->shared_info_mfn << PAGE_SHIFT) +
                             id * VCPU_INFO_SIZE;
    d->vcpu[id] = v;
    /* vCPU 0 is brought up by the builder; the others start down. */
    v->online = v->initialised = id == 0;
    vtime_vcpu_init(v, id == 0);
    return 0;
}

void domain_destroy(struct domain *d)
{
    unsigned i;

    if (!d)
        return;
    sched_domain_remove(d);
    grant_table_destroy(d);
    evtchn_fifo_destroy(d);        /* its frame references, while vCPUs exist */
    xenmap_domain_destroy(d);
    for (i = 0; i < d->max_vcpus; i++) {
        struct vcpu *v = d->vcpu[i];
        if (!v)
            continue;
        if (v->cpu_ready)
            cpu_destroy(&v->cpu);
        free(v);
    }
    evtchn_destroy(d);
    if (d->shared_info_mfn != ~0ull)
        frame_free(d->x, d->shared_info_mfn);
    for (i = 0; i < d->x->nr_domains; i++)
        if (d->x->dom[i] == d) {
            d->x->dom[i] = d->x->dom[--d->x->nr_domains];
            break;
        }
    free(d);
}

void domain_release_memory(struct xen *x, uint16_t domid)
{
    uint64_t mfn;

    for (mfn = 0; mfn < x->nr_frames; mfn++)
        if (x->frame[mfn].owner == domid)
            frame_free(x, mfn);
}

struct domain *domain_lookup(struct xen *x, uint16_t domid)
{
    unsigned i;

    for (i = 0; i < x->nr_domains; i++)
        if (x->dom[i]->domid == domid)
            return x->dom[i];
    return NULL;
}

static void stop_all_vcpus(struct domain *d)
{
    unsigned i;

    for (i = 0; i < d->max_vcpus; i++)
        if (d->vcpu[i])
            d->vcpu[i]->cpu.stop_request = true;
}

void domain_shutdown(struct domain *d, unsigned reason)
{
    if (d->state != DOM_RUNNING)
        return;
    if (d->shutdown_code_set)
        reason = d->shutdown_code;
    d->state = reason == SHUTDOWN_crash ? DOM_CRASHED : DOM_SHUTDOWN;
    d->shutdown_reason = reason;
    stop_all_vcpus(d);
}

void domain_crash(struct domain *d, const char *fmt, ...)
{
    char msg[256];
    va_list ap;

    if (d->state != DOM_RUNNING)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    snprintf(d->crash_reason, sizeof(d->crash_reason), "%s", msg);
    domain_shutdown(d, SHUTDOWN_crash);
    d->crashed_by_xen = true;
}

uint64_t xen_tsc(const struct xen *x, const struct vcpu *v)
{
    (void)x;
    return v->cpu.icount + v->cpu.tsc_offset;
}

uint64_t xen_system_time(const struct xen *x, const struct vcpu *v)
{
    (void)x;
    return vtime_now(v);
}
