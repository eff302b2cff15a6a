/* The Xen PV machine (see pv.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "xenemu/le.h"
#include "devices/console.h"
#include "monitor/dbg.h"
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
#include "xenplat/sched.h"
#include "xenplat/traps.h"
#include "xenplat/xenstore/ring.h"
#include "xenplat/xenstore/toolstack.h"

/* Instructions a pCPU runs at most per round: between rounds consoles
 * are flushed, timers of idle vCPUs fire and limits are checked.  With
 * one vCPU in the machine a round is long; with several it is short, as
 * it bounds how late a vCPU on another pCPU sees an event. */
#define PV_SLICE 1000000u
#define PV_QUANTUM 20000u
#define FIRST_DOMID 1

typedef unsigned long long ull;

/* One domain of the run, and what dom0 does for it. */
struct pv_dom {
    const struct boot_spec *spec;
    uint16_t domid;
    struct domain *d;          /* NULL once destroyed */
    struct pv_console con;
    struct xs_ring xs_ring;
    struct pv_kernel kernel;
    uint8_t *image;
    size_t image_len;
    uint8_t *ramdisk;
    size_t ramdisk_len;
    bool ended;                /* shut down and not restarted */
    int status;                /* its exit status once ended */
};

struct pvm {
    struct xen x;
    bool xen_ready;
    struct csched sched;
    struct pv_dom *dom;
    unsigned nr_dom;
    struct xs_store *xs;
    struct input input;
    bool input_ready;
    bool host_clock;           /* --clock=host */
    uint64_t host_start;       /* host monotonic ns at the start */
    uint64_t now;              /* the machine's TSC at the round's start */
    uint64_t insns;            /* retired, every vCPU of every domain */
    uint64_t quantum;
    /* Set by SIGINT/SIGTERM and --timeout's host timer: the running vCPU
     * is asked to stop too, so the round ends soon. */
    volatile bool host_stop;
    struct dbg *dbg;           /* attached debugger, NULL: none */
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

/* Machine memory: the domains' pages, Xen's tables (two M2Ps, their
 * page tables, per-domain areas) and room to grow. */
static uint64_t machine_frames(const struct boot_spec *spec)
{
    uint64_t frames = 0;

    for (; spec; spec = spec->next) {
        uint64_t pages = spec->maxmem_mib << 8;
        frames += pages + pages / 64 + 2048 + 16ull * (spec->maxvcpus - 1);
    }
    return frames;
}

static int load_kernel(struct pv_dom *pd, uint64_t max_size)
{
    const struct boot_spec *spec = pd->spec;
    const char *why;

    if (file_read_all(spec->kernel, &pd->image, &pd->image_len, &why)) {
        xe_error("%s: %s", spec->kernel, why);
        return -1;
    }
    return pv_image_parse(spec->kernel, pd->image, pd->image_len, max_size,
                          &pd->kernel);
}

static int load_ramdisk(struct pv_dom *pd, uint64_t max_size)
{
    const struct boot_spec *spec = pd->spec;
    const char *why;

    if (!spec->ramdisk)
        return 0;
    if (file_read_all(spec->ramdisk, &pd->ramdisk, &pd->ramdisk_len, &why)) {
        xe_error("%s: %s", spec->ramdisk, why);
        return -1;
    }
    if (pd->ramdisk_len > max_size) {
        xe_error("%s: the ramdisk (%zu bytes) is larger than guest memory",
                 spec->ramdisk, pd->ramdisk_len);
        return -1;
    }
    return 0;
}

/* The toolstack's part: the tree libxl writes for the domain, and
 * xenstored serving its ring. */
static int start_xenstore(struct pvm *m, struct pv_dom *pd)
{
    const struct boot_spec *spec = pd->spec;
    struct domain *d = pd->d;
    struct xs_guest g = {
        .domid = d->domid, .name = spec->name,
        .uuid = spec->cfg ? cfg_get_string(spec->cfg, "uuid") : NULL,
        .target_kb = spec->memory_mib << 10,
        .max_kb = spec->maxmem_mib << 10, .vcpus = spec->vcpus,
        .max_vcpus = d->max_vcpus,
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
    if ((err = xs_toolstack_domain(m->xs, &g))) {
        xe_error("xenstore: writing domain %u's nodes failed (%s)",
                 d->domid, xs_err_name(err));
        return -1;
    }
    if (xs_ring_attach(&pd->xs_ring, m->xs, d)) {
        xe_error("xenstore: cannot connect domain %u's ring", d->domid);
        return -1;
    }
    return 0;
}

/* The vCPUs past vCPU 0 (down until the guest brings them up), and the
 * domain's place in the scheduler. */
static int create_vcpus(struct pvm *m, struct pv_dom *pd)
{
    struct domain *d = pd->d;
    unsigned i;

    for (i = 1; i < d->max_vcpus; i++)
        if (vcpu_create(d, i)) {
            xe_error("out of memory creating vCPU %u of domain %u", i,
                     d->domid);
            return -1;
        }
    d->sched_dom.weight = pd->spec->cpu_weight;
    d->sched_dom.cap = pd->spec->cap;
    if (pd->spec->affinity &&
        !(pd->spec->affinity & ((m->sched.nr_pcpus >= 64) ? ~0ull
                                : (1ull << m->sched.nr_pcpus) - 1))) {
        xe_error("%s: cpus = \"%s\" names no pCPU of the %u there are "
                 "(--pcpus)", pd->spec->cfg->path,
                 cfg_get_string(pd->spec->cfg, "cpus"), m->sched.nr_pcpus);
        return -1;
    }
    if (sched_domain_add(d, pd->spec->affinity)) {
        xe_error("out of memory scheduling domain %u", d->domid);
        return -1;
    }
    return 0;
}

/* Build the domain from its kernel (again, for a restart). */
static int build_domain(struct pvm *m, struct pv_dom *pd)
{
    const struct boot_spec *spec = pd->spec;
    uint64_t pages = spec->memory_mib << 8;
    uint64_t maxpages = spec->maxmem_mib << 8;
    struct pv_build_args a = {
        .kernel_name = spec->kernel, .kernel = &pd->kernel,
        .cmdline = spec->cmdline, .nr_pages = pages, .max_pages = maxpages,
        .ramdisk = pd->ramdisk, .ramdisk_len = pd->ramdisk_len,
    };
    struct pv_boot_info info;
    struct domain *d;

    d = domain_create(&m->x, pd->domid, spec->name, pd->kernel.is64,
                      spec->maxvcpus ? spec->maxvcpus : 1);
    if (!d) {
        xe_error("out of memory creating domain %u", pd->domid);
        return -1;
    }
    pd->d = d;
    d->evtchn.max_port = spec->event_channels;   /* d->max_evtchn_port */
    d->max_pages_e820 = maxpages;
    if (pv_build(d, &a, &info))
        return -1;
    d->max_pages = maxpages + 256;  /* libxl: maxmem + LIBXL_MAXMEM_CONSTANT */
    if (pv_console_attach(&pd->con, d, stdout) || start_xenstore(m, pd) ||
        create_vcpus(m, pd))
        return -1;
    if (m->nr_dom > 1) {
        snprintf(pd->con.prefix, sizeof(pd->con.prefix), "[%s] ",
                 spec->name);
        snprintf(d->console_prefix, sizeof(d->console_prefix), "[%s] ",
                 spec->name);
    }
    return 0;
}

/* ---- the debugger ----------------------------------------------------------- */

/* The debugger sees Xen and every vCPU of every domain ("dDvV"); the
 * first domain's kernel gives the symbols.  A restart detaches the
 * machine before the old vCPUs go and attaches it again after. */
static int debugger_request(void *opaque, const char *req);

static void attach_debugger(struct pvm *m, struct dbg *dbg)
{
    char vname[32];
    const uint8_t *elf;
    size_t len;
    unsigned i, j;

    if (!dbg)
        return;
    m->dbg = dbg;
    dbg_machine_begin(dbg, "pv", &m->x);
    dbg->request = debugger_request;
    dbg->request_opaque = m;
    for (i = 0; i < m->nr_dom; i++) {
        struct domain *d = m->dom[i].d;
        for (j = 0; d && j < d->max_vcpus; j++) {
            struct vcpu *v = d->vcpu[j];
            if (!v)
                continue;
            snprintf(vname, sizeof(vname), "d%uv%u", d->domid, j);
            dbg_add_vcpu(dbg, &v->cpu, v, vname);
        }
    }
    pv_image_elf(&m->dom[0].kernel, &elf, &len);
    if (elf)
        dbg_kernel_symbols(dbg, m->dom[0].spec->kernel, elf, len);
}

/* A stop is pending: the debugger takes over the terminal until the run
 * goes on (false) or the user ends it (true). */
static bool debugger_quit(struct pvm *m)
{
    enum dbg_action a;

    if (!dbg_pending(m->dbg))
        return false;
    input_suspend(&m->input);
    a = dbg_poll(m->dbg);
    input_resume(&m->input);
    return a == DBG_QUIT;
}

/* The run is over: the debugger's last stop (not after its own quit). */
static void end_debugger(struct pvm *m, int status, const char *how)
{
    if (!m->dbg)
        return;
    input_suspend(&m->input);
    dbg_ended(m->dbg, status, how);
    input_resume(&m->input);
}

static unsigned count_specs(const struct boot_spec *spec)
{
    unsigned n = 0;

    for (; spec; spec = spec->next)
        n++;
    return n;
}

static unsigned total_vcpus(const struct boot_spec *spec)
{
    unsigned n = 0;

    for (; spec; spec = spec->next)
        n += spec->maxvcpus ? spec->maxvcpus : 1;
    return n;
}

static int build(struct pvm *m, const struct boot_spec *spec)
{
    const struct boot_spec *s;
    unsigned i;

    m->nr_dom = count_specs(spec);
    if (!(m->dom = calloc(m->nr_dom, sizeof(*m->dom)))) {
        xe_error("out of memory");
        return -1;
    }
    if (xen_init(&m->x, machine_frames(spec))) {
        xe_error("cannot allocate the machine memory of %u domain%s",
                 m->nr_dom, m->nr_dom > 1 ? "s" : "");
        return -1;
    }
    m->xen_ready = true;
    m->x.strict = spec->limits.strict;
    m->x.jit = spec->limits.jit;
    if (spec->limits.clock == CLOCK_HOST)
        clock_from_host(m);
    csched_init(&m->sched, spec->pcpus ? spec->pcpus : total_vcpus(spec));
    m->x.sched = &m->sched;
    m->quantum = total_vcpus(spec) > 1 ? PV_QUANTUM : PV_SLICE;
    if (!(m->xs = xs_store_new()) || xs_toolstack_dom0(m->xs)) {
        xe_error("out of memory creating the xenstore");
        return -1;
    }
    for (i = 0, s = spec; s; s = s->next, i++) {
        struct pv_dom *pd = &m->dom[i];
        uint64_t bytes = (s->memory_mib << 8) << PAGE_SHIFT;

        pd->spec = s;
        pd->domid = (uint16_t)(FIRST_DOMID + i);
        if (load_kernel(pd, bytes) || load_ramdisk(pd, bytes) ||
            build_domain(m, pd))
            return -1;
    }
    attach_debugger(m, spec->limits.dbg);
    if (input_open(&m->input, spec->limits.input_replay,
                   spec->limits.input_record))
        return -1;
    m->input_ready = true;
    input_catch_signals(&m->host_stop);
    return 0;
}

/* ---- the end of a domain ------------------------------------------------------ */

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

/* Report how the domain ended; its exit status. */
static int shutdown_status(struct domain *d)
{
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

/* --strict: the run ends at the first hypercall xenemu lacks. */
static int strict_hypercall_report(const struct vcpu *v)
{
    unsigned nr = first_enosys(v->d);

    xe_error("--strict: the guest called hypercall %u (%s), which "
             "xenemu does not implement (rip=0x%llx)", nr,
             hypercall_table[nr].name ? hypercall_table[nr].name
                                      : "unknown", (ull)v->cpu.rip);
    return XE_EXIT_STRICT;
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
                                    (ull)d->hypercall_enosys[nr])
                 : (size_t)snprintf(line + n, sizeof(line) - n, "%s#%u x%llu",
                                    n ? ", " : "", nr,
                                    (ull)d->hypercall_enosys[nr]);
    if (n)
        xe_warn("domain %u (%s): hypercalls xenemu lacks returned -ENOSYS: %s",
                d->domid, d->name, line);
}

static const char *const reason_names[] = {
    "poweroff", "reboot", "suspend", "crash", "watchdog", "soft_reset",
};

/* A domain destroyed for a restart: the Xen frames it had and its own
 * go back to the pool. */
static void release_domain(struct pvm *m, struct pv_dom *pd)
{
    struct domain *d = pd->d;

    xs_domain_destroyed(m->xs, pd->domid);
    report_enosys(d);
    domain_destroy(d);
    domain_release_memory(&m->x, pd->domid);
    pd->d = NULL;
}

/* The domain shut down: xl's on_* action.  A restart builds it again
 * with the same domid. */
static int domain_ended(struct pvm *m, struct pv_dom *pd)
{
    struct domain *d = pd->d;
    unsigned reason = d->shutdown_reason;

    sched_domain_remove(d);
    fflush(stdout);
    xs_domain_shutdown(m->xs, d->domid);
    pd->status = shutdown_status(d);
    switch (pd->spec->on_shutdown[reason]) {
    case ACTION_RESTART:
    case ACTION_RENAME_RESTART:
    case ACTION_COREDUMP_RESTART:
    case ACTION_SOFT_RESET:
        xe_warn("domain %u (%s): %s, restarting it", d->domid, d->name,
                reason_names[reason]);
        if (m->dbg)
            dbg_machine_end(m->dbg);
        release_domain(m, pd);
        if (build_domain(m, pd))
            return -1;
        attach_debugger(m, m->dbg);
        return 0;
    case ACTION_PRESERVE:
        xe_warn("domain %u (%s): %s, preserved (its state follows)",
                d->domid, d->name, reason_names[reason]);
        if (reason != SHUTDOWN_crash)
            dump_vcpu(d->vcpu[0]);
        break;
    default:
        break;
    }
    pd->ended = true;
    return 0;
}

/* Deal with domains that shut down: -1 while some still run, else the
 * run's status (the first domain's). */
static int reap_domains(struct pvm *m)
{
    unsigned i, running = 0;

    for (i = 0; i < m->nr_dom; i++) {
        struct pv_dom *pd = &m->dom[i];
        if (!pd->ended && pd->d->state != DOM_RUNNING &&
            domain_ended(m, pd))
            return XE_EXIT_BAD_INPUT;
        running += !pd->ended;
    }
    return running ? -1 : m->dom[0].status;
}

/* ---- the run loop ------------------------------------------------------------- */

static void deliver_input(void *opaque, const uint8_t *buf, size_t n)
{
    struct pvm *m = opaque;

    if (!m->dom[0].ended &&
        pv_console_input(&m->dom[0].con, buf, n))
        xe_warn("console input: %zu bytes dropped (the guest is not reading)",
                n);
}

/* xl pause / unpause DOMID: 0 or a negative Xen errno. */
static int pause_request(struct pvm *m, const char *arg, bool pause)
{
    unsigned long id = strtoul(arg, NULL, 10);
    unsigned i;

    for (i = 0; i < m->nr_dom; i++) {
        struct pv_dom *pd = &m->dom[i];
        if (pd->domid != id || pd->ended || !pd->d)
            continue;
        return pause ? domain_pause_by_systemcontroller(pd->d)
                     : domain_unpause_by_systemcontroller(pd->d);
    }
    return -XEN_ESRCH;
}

/* An input request: "shutdown poweroff" & co. (what xl shutdown does,
 * through the store, to every domain still running), "pause DOMID",
 * "unpause DOMID".  0 or a negative Xen errno. */
static int machine_request(struct pvm *m, const char *req)
{
    unsigned i;

    if (strncmp(req, "pause ", 6) == 0)
        return pause_request(m, req + 6, true);
    if (strncmp(req, "unpause ", 8) == 0)
        return pause_request(m, req + 8, false);
    if (strncmp(req, "shutdown ", 9) != 0)
        return -XEN_EINVAL;
    for (i = 0; i < m->nr_dom; i++)
        if (!m->dom[i].ended)
            xs_toolstack_shutdown(m->xs, m->dom[i].domid, req + 9);
    return 0;
}

static void deliver_request(void *opaque, const char *req)
{
    int rc = machine_request(opaque, req);

    if (rc)
        xe_warn("input request '%s' failed: %s", req,
                rc == -XEN_ESRCH ? "no such domain running"
                : rc == -XEN_EINVAL ? "not paused (-EINVAL)"
                : "paused 255 times already (-EOVERFLOW)");
}

/* The monitor's requests: applied now and logged (--record-input) at the
 * input clock, the first domain's vCPU 0 instruction count. */
static int debugger_request(void *opaque, const char *req)
{
    struct pvm *m = opaque;
    int rc = machine_request(m, req);

    if (rc == 0 && m->input_ready && !m->dom[0].ended)
        input_record_request(&m->input, m->dom[0].d->vcpu[0]->cpu.icount,
                             req);
    return rc;
}

/* Apply f to every vCPU of every domain still running. */
#define FOR_EACH_VCPU(m, v, body)                                         \
    for (unsigned di_ = 0; di_ < (m)->nr_dom; di_++) {                    \
        struct domain *d_ = (m)->dom[di_].d;                              \
        if ((m)->dom[di_].ended || !d_)                                   \
            continue;                                                     \
        for (unsigned vi_ = 0; vi_ < d_->max_vcpus; vi_++) {              \
            struct vcpu *v = d_->vcpu[vi_];                               \
            if (v) { body }                                               \
        }                                                                 \
    }

/* Move a vCPU's TSC forward to the machine's (never back). */
static void sync_tsc(struct vcpu *v, uint64_t tsc)
{
    struct cpu *c = &v->cpu;

    if (tsc > c->icount + c->tsc_offset)
        c->tsc_offset = tsc - c->icount;
}

/* The earliest timer deadline of any vCPU, as a machine TSC. */
static uint64_t next_deadline_tsc(struct pvm *m)
{
    uint64_t best = UINT64_MAX;

    FOR_EACH_VCPU(m, v, {
        uint64_t ns = vtime_next_deadline(v);
        if (ns != VTIME_NEVER && v->online) {
            uint64_t tsc = vtime_tsc_at(v, ns);
            if (tsc < best)
                best = tsc;
        }
    })
    return best;
}

static bool any_parked(const struct csched *s)
{
    unsigned i;

    for (i = 0; i < s->nr_units; i++)
        if (s->unit[i]->parked && s->unit[i]->awake)
            return true;
    return false;
}

static bool machine_busy(struct pvm *m, uint64_t now_ns)
{
    unsigned p;

    for (p = 0; p < m->sched.nr_pcpus; p++)
        if (m->sched.pcpu[p].curr || csched_need_schedule(&m->sched, p,
                                                          now_ns))
            return true;
    return false;
}

/* Every pCPU is idle: let time pass to the next deadline — at once on
 * the virtual clock, by sleeping on the host clock.  Without one only
 * terminal input can wake anything.  False when nothing ever will. */
static bool idle(struct pvm *m)
{
    uint64_t wake = next_deadline_tsc(m);

    if (any_parked(&m->sched)) {
        uint64_t acct = ns_to_tsc(&m->x, m->sched.next_acct);
        if (acct < wake)
            wake = acct;
    }
    if (wake == UINT64_MAX) {
        if (m->input.fd < 0)
            return false;
        input_wait(&m->input, 100);
        return true;
    }
    if (m->host_clock) {
        uint64_t ms = wake > m->now ? tsc_to_ns(&m->x, wake - m->now) /
                                      1000000 : 0;
        if (ms > 100)
            ms = 100;
        if (ms) {
            struct timespec ts = { .tv_sec = 0,
                                   .tv_nsec = (long)ms * 1000000 };
            if (m->input.fd >= 0)
                input_wait(&m->input, (int)ms);
            else
                nanosleep(&ts, NULL);
            return true;
        }
    }
    if (wake > m->now)
        m->now = wake;
    return true;
}

/* The round's length: the quantum, cut at the next timer deadline, the
 * scheduler's next tick or slice end, and the next replayed input. */
static uint64_t round_length(struct pvm *m, const struct run_limits *lim)
{
    uint64_t q = m->quantum, t = next_deadline_tsc(m);
    uint64_t ev = ns_to_tsc(&m->x, csched_next_event(&m->sched));
    uint64_t in = input_next_icount(&m->input);
    struct cpu *c0 = &m->dom[0].d->vcpu[0]->cpu;

    if (t > m->now && t - m->now < q)
        q = t - m->now;
    if (ev > m->now && ev - m->now < q)
        q = ev - m->now;
    if (!m->dom[0].ended && in > c0->icount && in - c0->icount < q)
        q = in - c0->icount;
    if (lim->max_insns && q > lim->max_insns - m->insns)
        q = lim->max_insns - m->insns;
    return q ? q : 1;
}

/* Instructions v may run now: up to end, its next timer deadline, the
 * next replayed input (the first domain's vCPU 0 counts input time). */
static uint64_t vcpu_budget(struct pvm *m, struct vcpu *v, uint64_t end,
                            const struct run_limits *lim)
{
    struct cpu *c = &v->cpu;
    uint64_t tsc = c->icount + c->tsc_offset, budget = end - tsc;
    uint64_t next = vtime_next_deadline(v);

    if (next != VTIME_NEVER) {
        uint64_t at = vtime_tsc_at(v, next);
        if (at > tsc && at - tsc < budget)
            budget = at - tsc;
    }
    if (v == m->dom[0].d->vcpu[0]) {
        uint64_t in = input_next_icount(&m->input);
        if (in > c->icount && in - c->icount < budget)
            budget = in - c->icount;
    }
    if (lim->max_insns && budget > lim->max_insns - m->insns)
        budget = lim->max_insns - m->insns;
    return budget;
}

/* Let pCPU p pick (csched_schedule) if it must, at its local time. */
static struct vcpu *pcpu_pick(struct pvm *m, unsigned p, uint64_t local)
{
    uint64_t ns = tsc_to_ns(&m->x, local);
    struct csched_unit *prev, *next;

    if (csched_need_schedule(&m->sched, p, ns)) {
        struct csched_unit *cur = m->sched.pcpu[p].curr;
        next = csched_schedule(&m->sched, p, ns, &prev);
        if (prev)
            sched_switch_out(prev->owner);
        if (next && next != cur) {
            sync_tsc(next->owner, local);
            sched_switch_in(next->owner);
        }
    }
    next = m->sched.pcpu[p].curr;
    return next ? next->owner : NULL;
}

/* Run pCPU p from the round's start to end (machine TSCs): its vCPUs one
 * after another as the scheduler picks them.  -1, or a run status. */
static int run_pcpu(struct pvm *m, unsigned p, uint64_t end,
                    const struct run_limits *lim)
{
    uint64_t local = m->now;

    while (local < end) {
        struct vcpu *v = pcpu_pick(m, p, local);
        struct cpu *c;
        uint64_t before, budget, tsc;
        enum cpu_stop why;

        if (!v)
            return -1;
        c = &v->cpu;
        tsc = c->icount + c->tsc_offset;
        if (tsc >= end)
            return -1;              /* it ran ahead on another pCPU */
        if (tsc > local)
            local = tsc;
        sync_tsc(v, local);
        pv_return_to_guest(v);
        if (v->d->state != DOM_RUNNING || v->blocked || !v->online ||
            domain_paused(v->d))
            continue;
        if (debugger_quit(m))
            return XE_EXIT_TIMEOUT;
        budget = vcpu_budget(m, v, end, lim);
        if (budget == 0 || m->host_stop)
            return -1;
        if (m->dbg)
            budget = dbg_budget(m->dbg, c, budget);
        before = c->icount;
        why = cpu_run(c, budget);
        if (m->dbg)
            dbg_ran(m->dbg, c);
        local += c->icount - before;
        m->insns += c->icount - before;
        fflush(stdout);
        if (why == STOP_STRICT)
            return strict_stop_report(c);
        if (lim->strict && first_enosys(v->d) < NR_HYPERCALLS)
            return strict_hypercall_report(v);
        if (why == STOP_HLT || why == STOP_TRIPLE_FAULT)
            domain_crash(v->d, "the vCPU %s", why == STOP_HLT ? "halted"
                                                             : "triple-faulted");
        if (v->d->state == DOM_RUNNING)
            vtime_run_timers(v, vtime_now(v));
        if (v->d->state != DOM_RUNNING) {
            sched_domain_remove(v->d);
            continue;
        }
        if (lim->max_insns && m->insns >= lim->max_insns)
            return -1;
        if (v == m->dom[0].d->vcpu[0] &&
            input_next_icount(&m->input) == c->icount)
            return -1;              /* input is due: the round ends */
    }
    return -1;
}

/* Host time, input and every vCPU's timers: between two rounds. */
static void between_rounds(struct pvm *m)
{
    const struct input_sink sink = { deliver_input, deliver_request, m };

    m->host_stop = false;
    if (m->host_clock) {
        uint64_t t = ns_to_tsc(&m->x, host_ns(CLOCK_MONOTONIC) -
                                      m->host_start);
        if (t > m->now)
            m->now = t;
    }
    m->x.now_tsc = m->now;
    FOR_EACH_VCPU(m, v, { sync_tsc(v, m->now); })
    if (!m->dom[0].ended)
        input_poll(&m->input, m->dom[0].d->vcpu[0]->cpu.icount, &sink);
    FOR_EACH_VCPU(m, v, {
        if (v->d->state == DOM_RUNNING && v->online)
            vtime_run_timers(v, vtime_now(v));
    })
    csched_timers(&m->sched, tsc_to_ns(&m->x, m->now));
}

/* A reason to end the run now (a status), or -1. */
static int run_limit_reached(struct pvm *m, const struct run_limits *lim)
{
    if (lim->max_insns && m->insns >= lim->max_insns) {
        xe_error("instruction limit reached (%llu instructions) at "
                 "rip=0x%llx", (ull)lim->max_insns,
                 (ull)m->dom[0].d->vcpu[0]->cpu.rip);
        return XE_EXIT_TIMEOUT;
    }
    if (watchdog_expired()) {
        xe_error("timeout: %g s of host time elapsed at rip=0x%llx",
                 lim->timeout, (ull)m->dom[0].d->vcpu[0]->cpu.rip);
        return XE_EXIT_TIMEOUT;
    }
    if (m->input.error)
        return XE_EXIT_BAD_INPUT;
    if (m->input.escape) {
        xe_error("console escape (Ctrl-]): run ended at rip=0x%llx",
                 (ull)m->dom[0].d->vcpu[0]->cpu.rip);
        return XE_EXIT_TIMEOUT;
    }
    return -1;
}

static bool any_domain_paused(const struct pvm *m)
{
    unsigned i;

    for (i = 0; i < m->nr_dom; i++)
        if (m->dom[i].d && domain_paused(m->dom[i].d))
            return true;
    return false;
}

/* Run until every domain has ended or the run must end: the status. */
static int pv_loop(struct pvm *m, const struct run_limits *lim)
{
    for (;;) {
        uint64_t end;
        unsigned p;
        int status;

        if (debugger_quit(m))
            return XE_EXIT_TIMEOUT;
        if ((status = reap_domains(m)) >= 0)
            return status;
        if ((status = run_limit_reached(m, lim)) >= 0)
            return status;
        between_rounds(m);
        if (m->input.monitor_request && m->dbg)
            dbg_request_stop(m->dbg, DBG_STOP_USER,
                             "console escape (Ctrl-A c)");
        if ((status = reap_domains(m)) >= 0)
            return status;
        if (!machine_busy(m, tsc_to_ns(&m->x, m->now))) {
            if (!idle(m)) {
                if (any_domain_paused(m)) {
                    /* Only the monitor or gdb can unpause: stop for it. */
                    if (m->dbg) {
                        dbg_request_stop(m->dbg, DBG_STOP_USER,
                                         "nothing can run: every vCPU is "
                                         "paused or blocked (unpause DOMID)");
                        if (m->dbg->pending)
                            continue;
                    }
                    xe_error("every vCPU is paused or blocked and nothing "
                             "can unpause them");
                    return XE_EXIT_TIMEOUT;
                }
                xe_error("every vCPU is blocked with no timer and no event "
                         "source: nothing can wake them up");
                return XE_EXIT_CRASH;
            }
            continue;
        }
        end = m->now + round_length(m, lim);
        for (p = 0; p < m->sched.nr_pcpus; p++)
            if ((status = run_pcpu(m, p, end, lim)) >= 0)
                return status;
        m->now = end;
    }
}

static void pvm_destroy(struct pvm *m)
{
    unsigned i;

    if (m->dbg)
        dbg_machine_end(m->dbg);
    if (m->input_ready)
        input_close(&m->input);
    for (i = 0; i < m->nr_dom; i++)
        if (m->dom[i].d) {
            report_enosys(m->dom[i].d);
            domain_destroy(m->dom[i].d);
        }
    xs_store_free(m->xs);
    csched_destroy(&m->sched);
    if (m->xen_ready)
        xen_destroy(&m->x);
    for (i = 0; i < m->nr_dom; i++) {
        pv_image_free(&m->dom[i].kernel);
        free(m->dom[i].image);
        free(m->dom[i].ramdisk);
    }
    free(m->dom);
    free(m);
}

/* How the run ended, for the debugger's last stop. */
static const char *run_end_how(struct pvm *m, int status)
{
    static char how[160];
    const struct pv_dom *pd = &m->dom[0];

    if (!pd->ended || !pd->d || status != pd->status)
        return "the run was ended";
    snprintf(how, sizeof(how), "domain %u (%s) shut down: %s", pd->domid,
             pd->d->name, reason_names[pd->d->shutdown_reason]);
    return how;
}

int pv_run(const struct boot_spec *spec)
{
    struct pvm *m = calloc(1, sizeof(*m));
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
        watchdog_start(spec->limits.timeout, &m->host_stop))
        xe_warn("--timeout: no host timer available; running without it");
    status = pv_loop(m, &spec->limits);
    watchdog_stop();
    fflush(stdout);
    end_debugger(m, status, run_end_how(m, status));
    if (spec->xenstore_dump && m->xs) {
        xs_dump(m->xs, stdout);
    }
    pvm_destroy(m);
    return status;
}
