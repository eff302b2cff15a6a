/*
 * The debugger core, shared by every front end (the monitor, the
 * gdbstub): the vCPUs of the machine, breakpoints, watchpoints and
 * catchpoints, single steps and run-to goals, stop reasons, and what is
 * recorded while the guest runs (ring transitions, hypercalls, traces,
 * the trace hash).  It knows no command syntax.
 *
 * A machine attaches its CPUs (and, for PV, its Xen) and calls, around
 * each cpu_run: dbg_poll() (a stop is pending: the front end takes
 * commands until the run goes on), dbg_budget() (a single step limits
 * the budget) and dbg_ran().  Stops come from the CPU's debugger hooks
 * (STOP_DEBUG), from Xen's observer, from a finished step, from the
 * console escape (dbg_request_stop) and at the end (dbg_ended).
 *
 * A breakpoint stops before its instruction; everything else (watch and
 * catchpoints, ring changes) stops after the instruction that caused it,
 * so a stop never changes what the guest does: a run with breakpoints
 * and traces retires the same instructions as one without.
 */
#ifndef XENEMU_MONITOR_DBG_H
#define XENEMU_MONITOR_DBG_H

#include "cpu/cpu.h"
#include "monitor/bptable.h"
#include "monitor/hclog.h"
#include "monitor/rings.h"
#include "monitor/symbols.h"
#include "monitor/trace.h"

struct xen;
struct vcpu;
struct dbg;

enum dbg_stop_reason {
    DBG_STOP_NONE,
    DBG_STOP_START,         /* -S: before the first instruction */
    DBG_STOP_STEP,          /* stepi finished */
    DBG_STOP_GOAL,          /* next / until reached its place */
    DBG_STOP_BREAK,         /* an execution breakpoint */
    DBG_STOP_WATCH,         /* a watchpoint */
    DBG_STOP_CATCH,         /* hypercall, exception, event, ring, CR3 */
    DBG_STOP_USER,          /* the console escape */
    DBG_STOP_EXIT,          /* the guest's run is over */
};

#define DBG_WHAT 200

struct dbg_stop {
    enum dbg_stop_reason reason;
    unsigned vcpu;
    uint64_t icount;
    int bp;                 /* the breakpoint's number, 0: none */
    int exit_status;        /* DBG_STOP_EXIT */
    char what[DBG_WHAT];    /* in plain words */
};

#define DBG_MAX_VCPUS 128
#define DBG_HC_DEPTH 8

struct dbg_vcpu {
    struct dbg *d;
    unsigned index;
    struct cpu *cpu;
    struct vcpu *v;                 /* PV; NULL on the bare machine */
    char name[16];                  /* "d1v0", "cpu0" */
    struct rings rings;
    uint64_t hc_seq[DBG_HC_DEPTH];  /* open hypercalls (multicall) */
    bool hc_catch[DBG_HC_DEPTH];    /* ...that a catchpoint stops after */
    unsigned hc_depth;
    bool skip_valid;                /* resume: no break at this point */
    uint64_t skip_icount, skip_rip;
};

/* What drives the debugger.  stopped() reports a stop and takes commands
 * until the run goes on (true) or must end (false).  There may be two
 * (the gdbstub and the monitor): each stop goes to the first one added
 * whose active() says yes (NULL: always), so the gdbstub, added first,
 * takes every stop while a gdb client is attached and the monitor takes
 * them otherwise.  service(), if any, runs between slices while the
 * guest runs (a gdb client's Ctrl-C); it may ask for a stop. */
struct dbg_frontend {
    bool (*stopped)(void *opaque, struct dbg *d, const struct dbg_stop *s);
    bool (*active)(void *opaque);
    void (*service)(void *opaque, struct dbg *d);
    void *opaque;
};

#define DBG_MAX_FRONTENDS 2

enum dbg_action { DBG_GO, DBG_QUIT };

struct dbg_goal {
    bool active;
    bool after;             /* until: any address above rip in this frame */
    unsigned vcpu;
    uint64_t addr, rip, sp;
};

struct dbg {
    /* The machine. */
    const char *machine;            /* "pv", "bare"; NULL: none yet */
    struct xen *x;                  /* PV */
    /* Requests to the machine ("pause 2", as an input event): 0, or a
     * negative Xen errno (-XEN_ESRCH: no such domain running); NULL:
     * the machine takes none. */
    int (*request)(void *opaque, const char *req);
    void *request_opaque;
    struct dbg_vcpu *vcpu[DBG_MAX_VCPUS];
    unsigned nvcpus;
    unsigned cur;                   /* the vCPU commands act on */

    struct bptable bp;
    struct symtab syms;
    struct hclog hc;
    struct trace trace;
    bool hash_on;
    uint64_t hash, hash_insns;
    bool entered;                   /* a front end has taken a stop */
    bool recording;                 /* rings, hypercall log, notifications */
    uint64_t recording_since;       /* icount of vCPU 0 when it began */

    struct dbg_frontend fe[DBG_MAX_FRONTENDS];
    bool fe_gone[DBG_MAX_FRONTENDS];    /* detached */
    unsigned nfe;
    bool serviced;                  /* a front end has a service() */
    bool detached;                  /* no front end takes stops any more */
    bool quit;                      /* the front end ended the run */

    /* Run control. */
    bool stepping;
    unsigned step_vcpu;             /* the vCPU that steps (others run) */
    uint64_t step_left;
    struct dbg_goal goal;
    uint64_t run_icount;            /* icount when cpu_run started */
    bool pending;
    struct dbg_stop stop;
    bool catch_hc_pending;          /* the stop's text waits for a result */
};

struct dbg *dbg_create(void);
void dbg_destroy(struct dbg *d);
/* Add a front end (see struct dbg_frontend): 0, or -1 when full. */
int dbg_set_frontend(struct dbg *d, const struct dbg_frontend *fe);
/* The front end with this opaque takes no more stops; when none is left,
 * breakpoints stop nothing. */
void dbg_detach_frontend(struct dbg *d, void *opaque);
/* Every front end: breakpoints stop nothing. */
void dbg_detach(struct dbg *d);

/* Traces and the hash (the instruction hook is on while either needs it). */
int dbg_trace(struct dbg *d, enum trace_kind k, bool on, const char *path,
              char *why, size_t why_len);
void dbg_trace_hash(struct dbg *d, bool on);

/* ---- the machine's side --------------------------------------------------- */

void dbg_machine_begin(struct dbg *d, const char *kind, struct xen *x);
/* Attach a CPU (v: its Xen vCPU on the PV machine). */
void dbg_add_vcpu(struct dbg *d, struct cpu *c, struct vcpu *v,
                  const char *name);
/* The machine is going away: drop the CPUs (breakpoints stay). */
void dbg_machine_end(struct dbg *d);
/* Symbols from the kernel image, if it has any. */
void dbg_kernel_symbols(struct dbg *d, const char *name,
                        const uint8_t *image, size_t len);

/* A front end's work between slices (dbg_pending calls it). */
void dbg_service(struct dbg *d);
static inline bool dbg_pending(struct dbg *d)
{
    if (!d)
        return false;
    if (d->serviced && !d->pending)
        dbg_service(d);
    return d->pending;
}
/* Ask for a stop at the next poll (START, USER). */
void dbg_request_stop(struct dbg *d, enum dbg_stop_reason r,
                      const char *what);
/* Hand a pending stop to the front end. */
enum dbg_action dbg_poll(struct dbg *d);
/* The budget for the next cpu_run of c, and after it. */
uint64_t dbg_budget(struct dbg *d, struct cpu *c, uint64_t budget);
void dbg_ran(struct dbg *d, struct cpu *c);
/* The run is over with status (how: in plain words): the last stop. */
void dbg_ended(struct dbg *d, int status, const char *how);

/* ---- the front end's side ------------------------------------------------- */

void dbg_continue(struct dbg *d);
/* n instructions of the current vCPU (the others run as the machine
 * schedules them meanwhile). */
void dbg_stepi(struct dbg *d, uint64_t n);
/* Step over a call (any other instruction: one step).  0, or -1 with
 * why (the instruction cannot be read). */
int dbg_next(struct dbg *d, char *why, size_t why_len);
/* Until: to addr (have_addr), or past the current instruction, in the
 * current frame (stack pointer not below the current one). */
void dbg_until(struct dbg *d, bool have_addr, uint64_t addr);
/* After the breakpoint table changed. */
void dbg_breakpoints_changed(struct dbg *d);

struct dbg_vcpu *dbg_current(struct dbg *d);
/* Linear address of the vCPU's next instruction. */
uint64_t dbg_pc(const struct dbg_vcpu *dv);
/* Guest memory without side effects (no A/D bits): 0, or -1. */
int dbg_read_virt(const struct dbg_vcpu *dv, uint64_t va, void *buf,
                  size_t len);
int dbg_read_phys(const struct dbg_vcpu *dv, uint64_t pa, void *buf,
                  size_t len);
/* Write guest memory through the page tables, whatever the pages'
 * protection (decoded code is dropped): 0, or -1 (nothing written past
 * the first unmapped byte). */
int dbg_write_virt(const struct dbg_vcpu *dv, uint64_t va, const void *buf,
                   size_t len);
int dbg_translate(const struct dbg_vcpu *dv, uint64_t va, uint64_t *pa);
/* Virtual time of the vCPU (ns: PV system time, bare: instructions). */
uint64_t dbg_now_ns(const struct dbg_vcpu *dv);
/* Where the vCPU runs now. */
struct place dbg_place(const struct dbg_vcpu *dv);
/* Is the guest's code 64-bit, 32-bit or 16-bit now? */
unsigned dbg_code_bits(const struct dbg_vcpu *dv);

/* ---- inside monitor/ --------------------------------------------------------- */

/* Record a stop (the first one wins until it is polled). */
void dbg_stop_at(struct dbg *d, struct dbg_vcpu *dv, enum dbg_stop_reason r,
                 int bp, const char *fmt, ...) XE_PRINTF(5, 6);
/* Count a hit of b; a temporary one is deleted. */
void dbg_hit(struct dbg *d, struct bp *b);
/* A ring transition happened on dv (rings.c records it first). */
void dbg_transition(struct dbg_vcpu *dv, struct transition *t);
/* The Xen observer (dbg-xen.c). */
void dbg_xen_observe(void *opaque, struct vcpu *v, const struct xen_obs *o);
/* Mix into the trace hash. */
static inline void dbg_hash(struct dbg *d, uint64_t tag, uint64_t v)
{
    if (d->hash_on)
        d->hash = trace_hash_mix(trace_hash_mix(d->hash, tag), v);
}

#endif
