/* The Xen PV machine (see pv.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "xenemu/le.h"
#include "devices/console.h"
#include "machine/file.h"
#include "machine/input.h"
#include "machine/pv.h"
#include "machine/strict.h"
#include "machine/watchdog.h"
#include "machine/xlcfg.h"
#include "xenplat/builder.h"
#include "xenplat/guest.h"
#include "xenplat/hypercall.h"
#include "xenplat/pvimage.h"
#include "xenplat/traps.h"
#include "xenplat/xenstore/ring.h"
#include "xenplat/xenstore/toolstack.h"

/* Instructions per cpu_run() at most: between slices the console is
 * flushed and limits are checked. */
#define PV_SLICE 1000000u
#define FIRST_DOMID 1

typedef unsigned long long ull;

struct pvm {
    struct xen x;
    bool xen_ready;
    struct domain *d;
    struct pv_console con;
    struct xs_store *xs;
    struct xs_ring xs_ring;
    struct pv_kernel kernel;
    uint8_t *image;
    size_t image_len;
    uint8_t *ramdisk;
    size_t ramdisk_len;
    struct input input;
    bool input_ready;
    bool host_clock;           /* --clock=host */
    uint64_t host_start;       /* host monotonic ns at the start */
};

/* ---- host time (--clock=host only) ------------------------------------------ */

static uint64_t host_ns(clockid_t id)
{
    struct timespec ts;

    clock_gettime(id, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* The wall clock at system time 0 is the host's, and system time follows
 * the host's monotonic clock from here on. */
static void clock_from_host(struct pvm *m)
{
    uint64_t now = host_ns(CLOCK_REALTIME);

    m->host_clock = true;
    m->host_start = host_ns(CLOCK_MONOTONIC);
    m->x.clock.host = true;
    m->x.clock.wallclock_epoch = now / 1000000000ull;
    m->x.clock.wallclock_nsec = (uint32_t)(now % 1000000000ull);
}

/* Machine memory: the domain's pages, Xen's tables (two M2Ps, their
 * page tables, per-domain areas) and room to grow. */
static uint64_t machine_frames(uint64_t dom_pages)
{
    return dom_pages + dom_pages / 64 + 2048;
}

static int load_kernel(struct pvm *m, const struct boot_spec *spec,
                       uint64_t max_size)
{
    const char *why;

    if (file_read_all(spec->kernel, &m->image, &m->image_len, &why)) {
        xe_error("%s: %s", spec->kernel, why);
        return -1;
    }
    return pv_image_parse(spec->kernel, m->image, m->image_len, max_size,
                          &m->kernel);
}

static int load_ramdisk(struct pvm *m, const struct boot_spec *spec,
                        uint64_t max_size)
{
    const char *why;

    if (!spec->ramdisk)
        return 0;
    if (file_read_all(spec->ramdisk, &m->ramdisk, &m->ramdisk_len, &why)) {
        xe_error("%s: %s", spec->ramdisk, why);
        return -1;
    }
    if (m->ramdisk_len > max_size) {
        xe_error("%s: the ramdisk (%zu bytes) is larger than guest memory",
                 spec->ramdisk, m->ramdisk_len);
        return -1;
    }
    return 0;
}

/* The toolstack's part: xenstored with the tree libxl writes for the
 * domain, serving its ring. */
static int start_xenstore(struct pvm *m, const struct boot_spec *spec)
{
    struct domain *d = m->d;
    struct xs_guest g = {
        .domid = d->domid, .name = spec->name,
        .uuid = spec->cfg ? cfg_get_string(spec->cfg, "uuid") : NULL,
        .target_kb = spec->memory_mib << 10,
        .max_kb = spec->maxmem_mib << 10, .vcpus = d->max_vcpus,
        .store_mfn = d->store_mfn, .console_mfn = d->console_mfn,
        .store_port = d->store_port, .console_port = d->console_port,
        .kernel = spec->kernel, .ramdisk = spec->ramdisk,
        .cmdline = spec->cmdline, .start_sec = vtime_epoch(&m->x),
        .start_usec = m->x.clock.wallclock_nsec / 1000,
    };
    int err;

    if (g.uuid && !xs_uuid_valid(g.uuid)) {
        xe_error("%s: uuid = \"%s\" is not a UUID", spec->cfg->path, g.uuid);
        return -1;
    }
    if (!(m->xs = xs_store_new())) {
        xe_error("out of memory creating the xenstore");
        return -1;
    }
    if ((err = xs_toolstack_dom0(m->xs)) ||
        (err = xs_toolstack_domain(m->xs, &g))) {
        xe_error("xenstore: writing domain %u's nodes failed (%s)",
                 d->domid, xs_err_name(err));
        return -1;
    }
    if (xs_ring_attach(&m->xs_ring, m->xs, d)) {
        xe_error("xenstore: cannot connect domain %u's ring", d->domid);
        return -1;
    }
    return 0;
}

static int build(struct pvm *m, const struct boot_spec *spec)
{
    uint64_t pages = spec->memory_mib << 8;
    uint64_t maxpages = spec->maxmem_mib << 8;
    struct pv_build_args a = {
        .kernel_name = spec->kernel, .kernel = &m->kernel,
        .cmdline = spec->cmdline, .nr_pages = pages, .max_pages = maxpages,
    };
    struct pv_boot_info info;

    if (xen_init(&m->x, machine_frames(maxpages))) {
        xe_error("cannot allocate %llu MiB of guest memory",
                 (ull)spec->memory_mib);
        return -1;
    }
    m->xen_ready = true;
    m->x.strict = spec->limits.strict;
    if (spec->limits.clock == CLOCK_HOST)
        clock_from_host(m);
    if (load_kernel(m, spec, pages << PAGE_SHIFT) ||
        load_ramdisk(m, spec, pages << PAGE_SHIFT))
        return -1;
    a.ramdisk = m->ramdisk;
    a.ramdisk_len = m->ramdisk_len;
    m->d = domain_create(&m->x, FIRST_DOMID, spec->name, m->kernel.is64,
                         spec->vcpus ? spec->vcpus : 1);
    if (!m->d) {
        xe_error("out of memory creating the domain");
        return -1;
    }
    m->d->max_pages_e820 = maxpages;
    /* Only vCPU 0 exists and runs (the run loop has one vCPU): the guest
     * finds no others (VCPUOP_is_up: -ENOENT) and boots on one CPU. */
    if (spec->vcpus > 1)
        xe_warn("vcpus = %u: xenemu runs one vCPU for now; the guest gets 1",
                spec->vcpus);
    if (pv_build(m->d, &a, &info))
        return -1;
    m->d->max_pages = maxpages + 256;  /* libxl: maxmem + LIBXL_MAXMEM_CONSTANT */
    if (pv_console_attach(&m->con, m->d, stdout) ||
        start_xenstore(m, spec))
        return -1;
    if (input_open(&m->input, spec->limits.input_replay,
                   spec->limits.input_record))
        return -1;
    m->input_ready = true;
    input_catch_signals(&m->d->vcpu[0]->cpu.stop_request);
    return 0;
}

/* ---- the end of a run ------------------------------------------------------- */

static void dump_vcpu(struct vcpu *v)
{
    static const char *const names[16] = {
        "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
        "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
    };
    struct cpu *c = &v->cpu;
    unsigned i;

    fprintf(stderr, "vCPU %u: rip=%04x:%016llx rflags=%016llx %s mode\n",
            v->id, c->seg[SEG_CS].sel, (ull)c->rip,
            (ull)cpu_get_rflags(c),
            is_pv32(v->d) ? (c->cpl == 3 ? "user" : "kernel")
                          : (v->kernel_mode ? "kernel" : "user"));
    for (i = 0; i < 16; i++)
        fprintf(stderr, "  %-3s=%016llx%s", names[i], (ull)c->r[i],
                i % 4 == 3 ? "\n" : "");
    fprintf(stderr, "  cr2=%016llx cr3=%016llx\n", (ull)v->cr2, (ull)c->cr3);
    fprintf(stderr, "  stack:");
    for (i = 0; i < 8; i++) {
        unsigned sz = is_pv32(v->d) ? 4 : 8;
        uint8_t w[8];
        if (copy_from_guest(v, c->seg[SEG_SS].base + c->r[R_SP] + i * sz,
                            w, sz))
            break;
        fprintf(stderr, " %0*llx", (int)sz * 2, (ull)le_load(w, sz));
    }
    fprintf(stderr, "\n");
}

/* Report how the domain ended; its exit status when the run ends here. */
static int shutdown_status(struct pvm *m)
{
    struct domain *d = m->d;

    switch (d->shutdown_reason) {
    case SHUTDOWN_poweroff:
        return XE_EXIT_POWEROFF;
    case SHUTDOWN_reboot:
    case SHUTDOWN_soft_reset:
        return XE_EXIT_REBOOT;
    case SHUTDOWN_watchdog:
        xe_error("domain %u (%s): watchdog fired", d->domid, d->name);
        return XE_EXIT_CRASH;
    default:
        if (d->crashed_by_xen)
            xe_error("domain %u (%s) crashed: %s", d->domid, d->name,
                     d->crash_reason);
        else
            xe_error("domain %u (%s) crashed (SCHEDOP_shutdown reason "
                     "crash)", d->domid, d->name);
        dump_vcpu(d->vcpu[0]);
        return XE_EXIT_CRASH;
    }
}

/* ---- the run loop ------------------------------------------------------------- */

static void deliver_input(void *opaque, const uint8_t *buf, size_t n)
{
    struct pvm *m = opaque;

    if (pv_console_input(&m->con, buf, n))
        xe_warn("console input: %zu bytes dropped (the guest is not reading)",
                n);
}

/* "shutdown poweroff" & co.: what xl shutdown does, through the store. */
static void deliver_request(void *opaque, const char *req)
{
    struct pvm *m = opaque;

    if (strncmp(req, "shutdown ", 9) == 0)
        xs_toolstack_shutdown(m->xs, m->d->domid, req + 9);
}

/* Move the TSC forward so that system time is exactly ns. */
static void advance_to(struct vcpu *v, uint64_t ns)
{
    struct cpu *c = &v->cpu;
    uint64_t tsc = vtime_tsc_at(v, ns);

    if (tsc > c->icount + c->tsc_offset)
        c->tsc_offset = tsc - c->icount;
}

/* The vCPU is blocked: let time pass to its next deadline — at once on
 * the virtual clock, by sleeping on the host clock.  Without a deadline
 * only terminal input can wake it.  False when nothing ever will. */
static bool idle(struct pvm *m, struct vcpu *v)
{
    uint64_t wake = vtime_next_deadline(v), now = vtime_now(v);

    if (wake == VTIME_NEVER) {
        if (m->input.fd < 0)
            return false;
        input_wait(&m->input, 100);
        return true;
    }
    if (m->host_clock && wake > now + 1000000) {
        uint64_t ms = (wake - now) / 1000000;
        struct timespec ts = { .tv_sec = (time_t)(ms / 1000),
                               .tv_nsec = (long)(ms % 1000) * 1000000 };
        if (ms > 100)
            ts = (struct timespec){ .tv_nsec = 100000000 };
        if (m->input.fd >= 0)
            input_wait(&m->input, (int)(ms > 100 ? 100 : ms));
        else
            nanosleep(&ts, NULL);
        return true;
    }
    advance_to(v, wake);
    return true;
}

/* Instructions to run: up to the next timer deadline (one TSC tick per
 * instruction) or the next replayed input, so both happen exactly. */
static uint64_t slice_budget(struct pvm *m, struct vcpu *v,
                             const struct run_limits *lim, uint64_t done)
{
    struct cpu *c = &v->cpu;
    uint64_t next = vtime_next_deadline(v), budget = PV_SLICE;
    uint64_t in = input_next_icount(&m->input);

    if (next != VTIME_NEVER) {
        uint64_t tsc = c->icount + c->tsc_offset, at = vtime_tsc_at(v, next);
        if (at > tsc && at - tsc < budget)
            budget = at - tsc;
    }
    if (in > c->icount && in - c->icount < budget)
        budget = in - c->icount;
    if (budget == 0)
        budget = 1;
    if (lim->max_insns && budget > lim->max_insns - done)
        budget = lim->max_insns - done;
    return budget;
}

/* Host time, input and timers: what happens between two slices. */
static void between_slices(struct pvm *m, struct vcpu *v)
{
    if (m->host_clock)
        vtime_follow_host(v, host_ns(CLOCK_MONOTONIC) - m->host_start);
    const struct input_sink sink = { deliver_input, deliver_request, m };

    input_poll(&m->input, v->cpu.icount, &sink);
    vtime_run_timers(v, vtime_now(v));
}

/* Run until the domain shuts down (-1) or the run must end (a status).
 * *used counts the instructions of earlier incarnations (restarts). */
/* The lowest hypercall that returned -ENOSYS for want of an
 * implementation, or NR_HYPERCALLS. */
static unsigned first_enosys(const struct domain *d)
{
    unsigned nr;

    for (nr = 0; nr < NR_HYPERCALLS; nr++)
        if (d->hypercall_enosys[nr])
            break;
    return nr;
}

static int pv_loop(struct pvm *m, const struct run_limits *lim,
                   uint64_t *used)
{
    struct domain *d = m->d;
    struct vcpu *v = d->vcpu[0];
    struct cpu *c = &v->cpu;
    const uint64_t start = c->icount - *used;

    for (;;) {
        uint64_t done = c->icount - start;
        *used = done;
        enum cpu_stop why;

        if (d->state != DOM_RUNNING)
            return -1;
        if (lim->max_insns && done >= lim->max_insns) {
            xe_error("instruction limit reached (%llu instructions) at "
                     "rip=0x%llx", (ull)lim->max_insns, (ull)c->rip);
            return XE_EXIT_TIMEOUT;
        }
        if (watchdog_expired()) {
            xe_error("timeout: %g s of host time elapsed at rip=0x%llx",
                     lim->timeout, (ull)c->rip);
            return XE_EXIT_TIMEOUT;
        }
        if (m->input.error)
            return XE_EXIT_BAD_INPUT;
        if (m->input.escape) {
            xe_error("console escape (Ctrl-]): run ended at rip=0x%llx",
                     (ull)c->rip);
            return XE_EXIT_TIMEOUT;
        }
        between_slices(m, v);
        if (d->state != DOM_RUNNING)
            continue;
        if (v->blocked) {
            if (!idle(m, v)) {
                xe_error("domain %u blocked with no timer and no event "
                         "source: it can never wake up", d->domid);
                return XE_EXIT_CRASH;
            }
            continue;
        }
        pv_return_to_guest(v);
        why = cpu_run(c, slice_budget(m, v, lim, done));
        fflush(stdout);
        if (why == STOP_STRICT)
            return strict_stop_report(c);
        if (lim->strict && first_enosys(d) < NR_HYPERCALLS) {
            unsigned nr = first_enosys(d);
            xe_error("--strict: the guest called hypercall %u (%s), which "
                     "xenemu does not implement (rip=0x%llx)", nr,
                     hypercall_table[nr].name ? hypercall_table[nr].name
                                              : "unknown", (ull)c->rip);
            return XE_EXIT_STRICT;
        }
        if (why == STOP_HLT || why == STOP_TRIPLE_FAULT) {
            domain_crash(d, "the vCPU %s", why == STOP_HLT ? "halted"
                                                          : "triple-faulted");
        }
    }
}

/* One line naming the hypercalls the guest made that xenemu does not
 * implement (they returned -ENOSYS): what to look at first when a guest
 * misbehaves. */
static void report_enosys(const struct domain *d)
{
    char line[512];
    size_t n = 0;
    unsigned nr;

    for (nr = 0; nr < NR_HYPERCALLS && n < sizeof(line); nr++)
        if (d->hypercall_enosys[nr])
            n += hypercall_table[nr].name
                 ? (size_t)snprintf(line + n, sizeof(line) - n, "%s%s x%llu",
                                    n ? ", " : "", hypercall_table[nr].name,
                                    (unsigned long long)d->hypercall_enosys[nr])
                 : (size_t)snprintf(line + n, sizeof(line) - n, "%s#%u x%llu",
                                    n ? ", " : "", nr,
                                    (unsigned long long)d->hypercall_enosys[nr]);
    if (n)
        xe_warn("domain %u (%s): hypercalls xenemu lacks returned -ENOSYS: %s",
                d->domid, d->name, line);
}

static void pvm_destroy(struct pvm *m)
{
    if (m->input_ready)
        input_close(&m->input);
    xs_store_free(m->xs);
    if (m->d) {
        report_enosys(m->d);
        domain_destroy(m->d);
    }
    if (m->xen_ready)
        xen_destroy(&m->x);
    pv_image_free(&m->kernel);
    free(m->image);
    free(m->ramdisk);
    free(m);
}

/* The run ends here: --xenstore-dump, then tear down. */
static void pvm_end(struct pvm *m, const struct boot_spec *spec)
{
    if (spec->xenstore_dump && m->xs) {
        fflush(stdout);
        xs_dump(m->xs, stdout);
    }
    pvm_destroy(m);
}

static const char *const reason_names[] = {
    "poweroff", "reboot", "suspend", "crash", "watchdog", "soft_reset",
};

int pv_run(const struct boot_spec *spec)
{
    uint64_t used = 0;

    for (;;) {
        struct pvm *m = calloc(1, sizeof(*m));
        enum domain_action action;
        int status;

        if (!m) {
            xe_error("out of memory");
            return XE_EXIT_INTERNAL;
        }
        if (build(m, spec)) {
            pvm_destroy(m);
            return XE_EXIT_BAD_INPUT;
        }
        if (spec->limits.timeout > 0 &&
            watchdog_start(spec->limits.timeout,
                           &m->d->vcpu[0]->cpu.stop_request))
            xe_warn("--timeout: no host timer available; running without it");
        status = pv_loop(m, &spec->limits, &used);
        watchdog_stop();
        fflush(stdout);
        if (status >= 0) {
            pvm_end(m, spec);
            return status;
        }
        xs_domain_shutdown(m->xs, m->d->domid);
        status = shutdown_status(m);
        action = spec->on_shutdown[m->d->shutdown_reason];
        switch (action) {
        case ACTION_RESTART:
        case ACTION_RENAME_RESTART:
        case ACTION_COREDUMP_RESTART:
        case ACTION_SOFT_RESET:
            xe_warn("domain %u (%s): %s, restarting it", m->d->domid,
                    m->d->name, reason_names[m->d->shutdown_reason]);
            pvm_destroy(m);
            continue;
        case ACTION_PRESERVE:
            xe_warn("domain %u (%s): %s, preserved (its state follows)",
                    m->d->domid, m->d->name,
                    reason_names[m->d->shutdown_reason]);
            if (m->d->shutdown_reason != SHUTDOWN_crash)
                dump_vcpu(m->d->vcpu[0]);
            break;
        default:
            break;
        }
        pvm_end(m, spec);
        return status;
    }
}
