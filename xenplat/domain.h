/*
 * Domains and their vCPUs: the state Xen keeps for a PV guest.  Subsystem
 * state lives in the subsystem's own struct (evtchn.h, vtime.h) embedded
 * here; this file only ties them together.
 */
#ifndef XENEMU_XENPLAT_DOMAIN_H
#define XENEMU_XENPLAT_DOMAIN_H

#include "cpu/cpu.h"
#include "xenplat/xen.h"
#include "xenplat/evtchn.h"
#include "xenplat/grant-table.h"
#include "xenplat/sched-credit.h"
#include "xenplat/vtime.h"

#define MAX_VIRT_CPUS 128
#define NR_DOMAIN_WATCHDOG_TIMERS 2

/* A guest callback: where Xen bounces an event to (cs is 0 for 64-bit). */
struct callback {
    uint16_t cs;
    uint64_t ip;
    bool mask_events;          /* CALLBACKF_mask_events */
};

enum callback_type {
    CB_EVENT = 0, CB_FAILSAFE = 1, CB_SYSCALL = 2, CB_NMI = 4,
    CB_SYSENTER = 5, CB_SYSCALL32 = 7, NR_CALLBACKS = 8,
};

/* One set_trap_table entry. */
struct trap_entry {
    uint16_t cs;
    uint8_t flags;             /* TI_DPL | TI_MASK_EVENTS */
    uint64_t address;          /* 0: no handler */
};

enum vcpu_run_state {
    RUNSTATE_running = 0, RUNSTATE_runnable = 1, RUNSTATE_blocked = 2,
    RUNSTATE_offline = 3,
};

struct vcpu {
    struct domain *d;
    unsigned id;
    struct cpu cpu;
    bool cpu_ready;

    bool online;               /* !_VPF_down: VCPUOP_up / is_up */
    bool initialised;          /* has a context (VCPUOP_initialise) */
    bool blocked;              /* _VPF_blocked: descheduled, waiting */
    bool polling;              /* SCHEDOP_poll: the domain's poll_mask bit */
    int poll_evtchn;           /* the one port polled; -1: any; 0: none */

    /* 64-bit PV: Xen's kernel/user mode flag and the two top-level tables
     * (machine frames; user_l4 may be 0). */
    bool kernel_mode;
    uint64_t kernel_l4, user_l4;
    uint64_t gs_base_kernel, gs_base_user;
    /* 32-bit PV: the guest's L3 and the L4 Xen runs it under. */
    uint64_t guest_l3, monitor_l4;

    uint16_t kernel_ss;        /* stack_switch */
    uint64_t kernel_sp;
    struct trap_entry trap[256];
    struct callback cb[NR_CALLBACKS];

    /* vcpu_info: in shared_info until register_vcpu_info moves it; 0
     * for a vCPU >= 32 until it does. */
    uint64_t vcpu_info_maddr;
    bool vcpu_info_registered;

    /* Virtual CR0.TS (fpu_taskswitch), virtual IOPL (set_iopl), the
     * debug registers as the guest set them. */
    bool fpu_ts;
    unsigned iopl;
    uint64_t cr2;              /* the guest's virtual CR2 */
    uint64_t iobmp;            /* set_iobitmap: guest VA, 0: none */
    uint32_t iobmp_limit;      /* ports covered */
    uint64_t dr[8];
    uint32_t dr7_emul;         /* DR7 I/O-breakpoint enables Xen emulates */
    uint64_t cr4_guest;        /* guest-controlled bits of the virtual CR4 */

    /* GDT frames (set_gdt) and LDT (MMUEXT_SET_LDT). */
    uint64_t gdt_frames[FIRST_RESERVED_GDT_PAGE];
    unsigned nr_gdt_frames, gdt_ents;
    uint64_t ldt_base;
    unsigned ldt_ents;
    uint64_t ldt_shadow[16];   /* LDT pages mapped on fault (0: none) */

    struct vcpu_time vtime;    /* timers, runstate (vtime.h) */
    struct csched_unit sched_unit;     /* its place in x->sched */

    /* NMIs (Xen's nmi_pending, async_exception_mask): a pending NMI is
     * delivered on the way back to the guest unless one is being handled;
     * the iret hypercall unmasks. */
    bool nmi_pending;
    unsigned async_exception_mask;     /* bit VCPU_TRAP_NMI */
    unsigned nmi_old_mask;

    /* The context the iret hypercall returns to gets its CS and SS only
     * on the way out, as Xen's IRETQ/SYSRET loads them (traps.c
     * pv_return_to_guest); until then these are the selectors Xen's
     * frames see. */
    bool return_pending;
    bool return_sysret;        /* VGCF_in_syscall: SYSRET, not IRETQ */
    uint16_t return_cs, return_ss;

    /* Set by a hypercall whose result must not land in rax (iret; a
     * blocked vCPU gets its result when it wakes). */
    bool hc_no_return;
    /* Nesting depth of multicall (an iret entry ends the batch). */
    unsigned multicall_depth;
};

enum shutdown_state { DOM_RUNNING, DOM_SHUTDOWN, DOM_CRASHED };

struct domain {
    struct xen *x;
    uint16_t domid;
    char name[64];
    const struct xen_abi *abi;     /* 64-bit or compat layouts */

    struct vcpu *vcpu[MAX_VIRT_CPUS];
    unsigned max_vcpus;

    /* Memory. */
    uint64_t tot_pages, max_pages;
    uint64_t max_pages_e820;       /* libxl's memmap limit (maxmem) */
    uint64_t shared_info_mfn;
    uint64_t perdomain_l3_mfn;     /* Xen's per-domain slot (GDT/LDT) */

    /* Start of day, as the builder left it. */
    uint64_t start_info_mfn;
    uint64_t console_mfn, store_mfn;
    uint32_t console_port, store_port;

    unsigned long vm_assist;       /* bit n = VMASST type n enabled */

    /* SCHEDOP_watchdog timers (system time; VTIME_NEVER: not armed). */
    uint64_t watchdog[NR_DOMAIN_WATCHDOG_TIMERS];
    unsigned watchdog_inuse;       /* bit n: timer n allocated */

    struct csched_dom sched_dom;   /* weight and cap (sched-credit.h) */
    /* xl pause / unpause (XEN_DOMCTL_pausedomain): while non-zero no
     * vCPU of the domain runs.  0 at the start: xenemu's toolstack has
     * made libxl's first unpause already. */
    unsigned controller_pause_count;
    struct evtchn_domain evtchn;   /* evtchn.h */
    struct grant_table gt;         /* grant-table.h */

    /* Shutdown. */
    enum shutdown_state state;
    unsigned shutdown_reason;      /* SHUTDOWN_* */
    bool shutdown_code_set;
    unsigned shutdown_code;
    bool crashed_by_xen;           /* domain_crash(), not the guest */
    char crash_reason[256];

    /* console_io output: each line starts with this when several
     * domains share the terminal ("" for none). */
    char console_prefix[72];
    bool console_midline;

    /* Hypercall statistics for the monitor. */
    uint64_t hypercall_count[NR_HYPERCALLS];
    uint64_t hypercall_enosys[NR_HYPERCALLS];
};

static inline bool is_pv32(const struct domain *d) { return !d->abi->is64; }
static inline bool domain_paused(const struct domain *d)
{
    return d->controller_pause_count != 0;
}

struct domain *domain_create(struct xen *x, uint16_t domid, const char *name,
                             bool is64, unsigned max_vcpus);
/* The domain with that id, or NULL. */
struct domain *xen_domain(struct xen *x, uint16_t domid);
/* Destroy d: its grants, ports, vCPUs and the frames Xen allocated for
 * it (shared_info, per-domain tables, grant and status frames) go. */
void domain_destroy(struct domain *d);
/* The frames still owned by domid go back to the pool (after
 * domain_destroy, for a restart: domain_relinquish_resources). */
void domain_release_memory(struct xen *x, uint16_t domid);
/* The domain with id domid (DOMID_SELF is not an id here), or NULL. */
struct domain *domain_lookup(struct xen *x, uint16_t domid);
int vcpu_create(struct domain *d, unsigned id);

/* The guest's vcpu_info: machine address. */
static inline uint64_t vcpu_info_maddr(const struct vcpu *v)
{
    return v->vcpu_info_maddr;
}

/* End the domain: reason is a SHUTDOWN_* code (a code set earlier with
 * SCHEDOP_shutdown_code wins, as in Xen); crash prints why. */
void domain_shutdown(struct domain *d, unsigned reason);
void domain_crash(struct domain *d, const char *fmt, ...) XE_PRINTF(2, 3);

#endif
