/*
 * One instruction on behalf of a machine's exit handler (see cpu.h
 * cpu_exec_one): the handler runs inside cpu_run, so the step saves the
 * delivery state of the event being handled, runs a nested cpu_run of one
 * instruction with every exit recorded instead of handled, and puts the
 * outer state back.
 */
#include "cpu/cpu-priv.h"

struct step {
    struct cpu_hooks hooks;     /* the machine's, called through */
    void *opaque;
    struct cpu_event ev;
    bool hit;
};

static void step_exit(void *opaque, struct cpu *c, const struct cpu_event *ev)
{
    struct step *s = opaque;

    if (!s->hit) {
        s->ev = *ev;
        s->hit = true;
    }
    c->stop_request = true;
}

static void step_cpuid(void *opaque, struct cpu *c, uint32_t leaf,
                       uint32_t sub, uint32_t out[4])
{
    struct step *s = opaque;
    s->hooks.cpuid(s->opaque, c, leaf, sub, out);
}

static bool step_rdmsr(void *opaque, struct cpu *c, uint32_t msr,
                       uint64_t *val)
{
    struct step *s = opaque;
    return s->hooks.rdmsr(s->opaque, c, msr, val);
}

static bool step_wrmsr(void *opaque, struct cpu *c, uint32_t msr,
                       uint64_t val)
{
    struct step *s = opaque;
    return s->hooks.wrmsr(s->opaque, c, msr, val);
}

static void step_trace(void *opaque, struct cpu *c)
{
    struct step *s = opaque;
    s->hooks.trace_insn(s->opaque, c);
}

bool cpu_exec_one(struct cpu *c, struct cpu_event *ev)
{
    struct cpu_priv *p = c->priv;
    struct step s = { .hooks = c->hooks, .opaque = c->opaque };
    struct cpu_event pending = p->pending;
    int delivering = p->delivering;
    unsigned depth = p->fault_depth;
    bool event_taken = p->event_taken, irq = c->irq_pending;
    bool nmi = c->nmi_pending, ring0 = c->ring0_exits;
    bool stop = c->stop_request;
    bool debug_active = c->debug_active, debug_stop = c->debug_stop;
    uint64_t icount = c->icount;

    c->hooks.exit = step_exit;
    c->hooks.cpuid = s.hooks.cpuid ? step_cpuid : NULL;
    c->hooks.rdmsr = s.hooks.rdmsr ? step_rdmsr : NULL;
    c->hooks.wrmsr = s.hooks.wrmsr ? step_wrmsr : NULL;
    c->hooks.trace_insn = s.hooks.trace_insn ? step_trace : NULL;
    c->hooks.ack_irq = NULL;
    c->opaque = &s;
    c->ring0_exits = true;
    c->irq_pending = c->nmi_pending = false;
    p->delivering = -1;
    p->fault_depth = 0;
    p->event_taken = false;
    p->stop_block = false;
    /* Xen's emulation of the instruction: no breakpoint stops it, and a
     * stop asked for earlier must not keep it from running. */
    c->debug_active = false;
    c->debug_stop = false;

    if (cpu_run(c, 1) == STOP_DEBUG)
        debug_stop = true;

    c->hooks = s.hooks;
    c->opaque = s.opaque;
    c->ring0_exits = ring0;
    c->irq_pending = irq;
    c->nmi_pending = nmi;
    c->stop_request = stop;
    p->pending = pending;
    p->delivering = delivering;
    p->fault_depth = depth;
    p->event_taken = event_taken;
    p->stop_block = true;
    c->debug_active = debug_active;
    c->debug_stop = debug_stop || c->debug_stop;
    if (s.hit)
        *ev = s.ev;
    else
        ev->kind = EV_INTERRUPT, ev->vector = 0xff;
    return c->icount != icount;
}
