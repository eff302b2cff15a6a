/*
 * Ring accounting: where a vCPU runs (a ring, and for a PV guest its
 * kernel or user mode, or Xen), every privilege transition with its cause,
 * and the instructions and virtual time spent in each place.
 *
 * A PV vCPU's transitions come from watching Xen (xenplat/observe.h): an
 * exit enters Xen, a hypercall is reported as such, a bounce enters a
 * guest handler, a resume goes back.  A transition Xen only reflects (a
 * user SYSCALL bounced to the kernel's callback) is one line: ring3(user)
 * -> ring3(kernel) syscall callback.  On the bare machine transitions are
 * CPL changes, named after the event (or return) that caused them.
 */
#ifndef XENEMU_MONITOR_RINGS_H
#define XENEMU_MONITOR_RINGS_H

#include "cpu/cpu.h"

enum place_mode { PM_NONE, PM_KERNEL, PM_USER, PM_XEN };

struct place {
    uint8_t ring;               /* 0..3 (Xen: 0) */
    uint8_t mode;               /* enum place_mode */
};

#define NR_PLACES 13            /* Xen, and rings 0..3 x {none, kernel, user} */

enum tkind {
    TK_HYPERCALL,               /* guest -> Xen */
    TK_HYPERCALL_RETURN,        /* Xen -> guest, the hypercall's result */
    TK_IRET,                    /* the iret hypercall */
    TK_SYSCALL_CALLBACK,        /* user SYSCALL -> kernel */
    TK_SYSENTER_CALLBACK,
    TK_TRAP,                    /* an exception or INT n to the guest's handler */
    TK_EVENT_UPCALL,
    TK_FAILSAFE,
    TK_HANDLED_IN_XEN,          /* emulated or fixed up; no guest handler */
    TK_INTERRUPT,               /* bare machine: through the IDT... */
    TK_EXCEPTION,
    TK_SOFTINT,
    TK_SYSCALL,
    TK_SYSENTER,
    TK_RETURN,                  /* ...and back (IRET, SYSRET, RET far) */
    TK_OTHER,                   /* far call, task switch, Xen's own loads */
    NR_TKINDS
};

/* A transition as it happened, nothing formatted: transition_text words
 * it when something displays it. */
struct transition {
    uint64_t icount, ns;
    struct place from, to;
    bool via_xen;               /* guest -> Xen -> guest in one step */
    enum tkind kind;
    union {                     /* the cause, by kind */
        struct {                /* TK_HYPERCALL, TK_HYPERCALL_RETURN */
            unsigned nr;
            int sub;
            long ret;
            bool no_return;
        } hc;
        struct {                /* TK_TRAP */
            unsigned vector;
            bool int_n;         /* INT n (n >= 32) reflected to the guest */
        } trap;
        int port;               /* TK_EVENT_UPCALL: first pending, else 0 */
        struct cpu_event ev;    /* TK_HANDLED_IN_XEN; the bare machine's
                                   interrupts, exceptions, syscalls */
        const char *insn;       /* TK_RETURN: "iret", "sysret" (static) */
    } why;
};

#define RINGS_LOG 64

/* What Xen is doing for a PV vCPU between an exit and the resume. */
struct pv_exit_state {
    bool active;                /* in an exit */
    bool announced;             /* the "-> xen" transition was recorded */
    bool left;                  /* a bounce already entered the guest */
    struct place from;
    struct cpu_event ev;
    bool hypercall;
    unsigned nr;
    int sub;
    long ret;
    bool no_return;
};

struct rings {
    struct place cur;
    uint64_t mark_icount, mark_ns;      /* when cur was last charged */
    uint64_t insns[NR_PLACES], ns[NR_PLACES];
    uint64_t kinds[NR_TKINDS];
    uint64_t total;
    struct transition log[RINGS_LOG];
    unsigned log_next;
    struct pv_exit_state exit;
    struct cpu_event bare_ev;           /* bare: the event being delivered */
    uint64_t bare_ev_icount;
    bool bare_ev_valid;
};

void rings_init(struct rings *r, struct place start, uint64_t icount,
                uint64_t ns);
unsigned place_index(struct place p);
struct place place_at(unsigned index);
/* "xen", "ring0", "ring1(kernel)", "ring3(user)". */
const char *place_name(struct place p, char *buf, size_t len);
bool place_eq(struct place a, struct place b);
const char *tkind_name(enum tkind k);

/* Charge the time since the last mark to the current place. */
void rings_charge(struct rings *r, uint64_t icount, uint64_t ns);
/* Record a transition to t->to (t->from is filled from r->cur). */
void rings_record(struct rings *r, struct transition *t);
/* The k-th most recent transition (0: the last), NULL past the log. */
const struct transition *rings_recent(const struct rings *r, unsigned k);
/* "hypercall 29 sched_op(block)", "syscall callback". */
void transition_cause(const struct transition *t, char *buf, size_t len);
/* "ring3(user) -> xen hypercall 29 sched_op(block)". */
void transition_text(const struct transition *t, char *buf, size_t len);

#endif
