/* The debugger core (see dbg.h): vCPUs, run control, stops, the CPU's
 * debugger hooks, and the bare machine's ring transitions. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "monitor/dbg.h"
#include "monitor/describe.h"
#include "monitor/disas.h"
#include "xenplat/domain.h"
#include "xenplat/observe.h"

typedef unsigned long long ull;

struct dbg *dbg_create(void)
{
    struct dbg *d = calloc(1, sizeof(*d));

    if (!d)
        return NULL;
    bptable_init(&d->bp);
    symtab_init(&d->syms);
    hclog_init(&d->hc);
    trace_init(&d->trace);
    d->hash = TRACE_HASH_INIT;
    return d;
}

void dbg_destroy(struct dbg *d)
{
    if (!d)
        return;
    dbg_machine_end(d);
    trace_close_all(&d->trace);
    hclog_free(&d->hc);
    symtab_free(&d->syms);
    disas_close();
    free(d);
}

int dbg_set_frontend(struct dbg *d, const struct dbg_frontend *fe)
{
    if (d->nfe == DBG_MAX_FRONTENDS)
        return -1;
    d->fe_gone[d->nfe] = false;
    d->fe[d->nfe++] = *fe;
    d->serviced = d->serviced || fe->service;
    d->detached = false;
    return 0;
}

void dbg_detach_frontend(struct dbg *d, void *opaque)
{
    bool left = false;

    for (unsigned i = 0; i < d->nfe; i++) {
        if (d->fe[i].opaque == opaque)
            d->fe_gone[i] = true;
        left = left || !d->fe_gone[i];
    }
    if (!left)
        dbg_detach(d);
}

void dbg_service(struct dbg *d)
{
    for (unsigned i = 0; i < d->nfe; i++)
        if (d->fe[i].service && !d->fe_gone[i])
            d->fe[i].service(d->fe[i].opaque, d);
}

/* The front end that takes a stop now, or NULL. */
static struct dbg_frontend *taker(struct dbg *d)
{
    for (unsigned i = 0; i < d->nfe; i++)
        if (!d->fe_gone[i] &&
            (!d->fe[i].active || d->fe[i].active(d->fe[i].opaque)))
            return &d->fe[i];
    return NULL;
}

void dbg_detach(struct dbg *d)
{
    for (unsigned i = 0; i < d->nfe; i++)
        d->fe_gone[i] = true;
    d->detached = true;
    d->stepping = false;
    d->goal.active = false;
    dbg_breakpoints_changed(d);
}

/* ---- guest state ---------------------------------------------------------- */

uint64_t dbg_pc(const struct dbg_vcpu *dv)
{
    const struct cpu *c = dv->cpu;

    if (c->mode == MODE_LONG64)
        return c->rip;
    return (c->seg[SEG_CS].base + c->rip) & 0xffffffffull;
}

unsigned dbg_code_bits(const struct dbg_vcpu *dv)
{
    switch (dv->cpu->mode) {
    case MODE_LONG64: return 64;
    case MODE_PROT32: case MODE_COMPAT32: return 32;
    default: return 16;
    }
}

int dbg_read_virt(const struct dbg_vcpu *dv, uint64_t va, void *buf,
                  size_t len)
{
    if (cpu_read_virt(dv->cpu, va, buf, len, ACC_NOSET) == 0)
        return 0;
    return cpu_read_virt(dv->cpu, va, buf, len, ACC_NOSET | ACC_USER);
}

int dbg_read_phys(const struct dbg_vcpu *dv, uint64_t pa, void *buf,
                  size_t len)
{
    return phys_read(dv->cpu->mem, pa, buf, len);
}

int dbg_write_virt(const struct dbg_vcpu *dv, uint64_t va, const void *buf,
                   size_t len)
{
    const uint8_t *p = buf;

    while (len) {
        size_t n = PAGE_SIZE - (va & (PAGE_SIZE - 1));
        uint64_t pa;

        if (n > len)
            n = len;
        if (dbg_translate(dv, va, &pa) || phys_write(dv->cpu->mem, pa, p, n))
            return -1;
        va += n;
        p += n;
        len -= n;
    }
    return 0;
}

int dbg_translate(const struct dbg_vcpu *dv, uint64_t va, uint64_t *pa)
{
    if (cpu_translate(dv->cpu, va, ACC_NOSET, pa) == 0)
        return 0;
    return cpu_translate(dv->cpu, va, ACC_NOSET | ACC_USER, pa);
}

uint64_t dbg_now_ns(const struct dbg_vcpu *dv)
{
    if (dv->v)
        return vtime_now(dv->v);
    return dv->cpu->icount + dv->cpu->tsc_offset;
}

struct place dbg_place(const struct dbg_vcpu *dv)
{
    unsigned cpl = dv->cpu->cpl;

    if (!dv->v)
        return (struct place){ (uint8_t)cpl, PM_NONE };
    if (is_pv32(dv->v->d))
        return (struct place){ (uint8_t)cpl, cpl == 1 ? PM_KERNEL
                                           : cpl == 3 ? PM_USER : PM_NONE };
    return (struct place){ (uint8_t)cpl,
                           dv->v->kernel_mode ? PM_KERNEL : PM_USER };
}

/* ---- stops -------------------------------------------------------------------- */

void dbg_stop_at(struct dbg *d, struct dbg_vcpu *dv, enum dbg_stop_reason r,
                 int bp, const char *fmt, ...)
{
    va_list ap;

    if (d->pending || d->detached)
        return;
    d->pending = true;
    d->catch_hc_pending = false;
    d->stop = (struct dbg_stop){ .reason = r, .bp = bp,
                                 .vcpu = dv ? dv->index : d->cur,
                                 .icount = dv ? dv->cpu->icount : 0 };
    va_start(ap, fmt);
    vsnprintf(d->stop.what, sizeof(d->stop.what), fmt, ap);
    va_end(ap);
    if (dv)
        cpu_debug_stop(dv->cpu);
}

void dbg_request_stop(struct dbg *d, enum dbg_stop_reason r,
                      const char *what)
{
    struct dbg_vcpu *dv = d->nvcpus ? d->vcpu[d->cur] : NULL;

    dbg_stop_at(d, dv, r, 0, "%s", what);
}

void dbg_hit(struct dbg *d, struct bp *b)
{
    b->hits++;
    if (b->temporary) {
        bptable_delete(&d->bp, b->id);
        dbg_breakpoints_changed(d);
    }
}

/* ---- the CPU's debugger hooks -------------------------------------------------- */

static bool hook_code_page(void *opaque, struct cpu *c, uint64_t la,
                           uint64_t pa)
{
    struct dbg_vcpu *dv = opaque;
    struct dbg *d = dv->d;

    (void)c;
    if (d->goal.active && d->goal.vcpu == dv->index &&
        (d->goal.after || (d->goal.addr & PAGE_MASK) == la))
        return true;
    return bptable_exec_in_page(&d->bp, la, pa);
}

static bool goal_reached(struct dbg *d, struct dbg_vcpu *dv, uint64_t pc)
{
    const struct dbg_goal *g = &d->goal;
    uint64_t sp = dv->cpu->r[R_SP];

    if (!g->active || g->vcpu != dv->index || sp < g->sp)
        return false;
    return g->after ? pc > g->rip : pc == g->addr;
}

static void describe_pc(struct dbg *d, uint64_t pc, char *buf, size_t len)
{
    char sym[96];

    symtab_describe(&d->syms, pc, sym, sizeof(sym));
    if (sym[0])
        snprintf(buf, len, "0x%llx <%s>", (ull)pc, sym);
    else
        snprintf(buf, len, "0x%llx", (ull)pc);
}

static bool hook_before_insn(void *opaque, struct cpu *c)
{
    struct dbg_vcpu *dv = opaque;
    struct dbg *d = dv->d;
    uint64_t pc = dbg_pc(dv), pa = ~0ull;
    char where[128];
    struct bp *b;

    if (dv->skip_valid && c->icount == dv->skip_icount &&
        c->rip == dv->skip_rip)
        return false;
    if (bptable_has(&d->bp, BP_EXEC_PHYS))
        dbg_translate(dv, pc, &pa);
    b = bptable_match_exec(&d->bp, pc, pa);
    if (b) {
        describe_pc(d, pc, where, sizeof(where));
        dbg_stop_at(d, dv, DBG_STOP_BREAK, b->id, "%sbreakpoint %d at %s",
                    b->temporary ? "temporary " : "", b->id, where);
        dbg_hit(d, b);
        return true;
    }
    if (goal_reached(d, dv, pc)) {
        describe_pc(d, pc, where, sizeof(where));
        dbg_stop_at(d, dv, DBG_STOP_GOAL, 0, "reached %s", where);
        return true;
    }
    return false;
}

static bool hook_data_access(void *opaque, struct cpu *c, uint64_t la,
                             uint64_t pa, unsigned size, bool write)
{
    struct dbg_vcpu *dv = opaque;
    struct dbg *d = dv->d;
    struct bp *b = bptable_match_watch(&d->bp, la, pa, size, write);
    char where[128];

    (void)c;
    if (!b)
        return false;
    describe_pc(d, dbg_pc(dv), where, sizeof(where));
    dbg_stop_at(d, dv, DBG_STOP_WATCH, b->id,
                "watchpoint %d: %s of %u byte%s at 0x%llx (physical 0x%llx) "
                "by the instruction before %s", b->id,
                write ? "write" : "read", size, size == 1 ? "" : "s",
                (ull)la, (ull)pa, where);
    dbg_hit(d, b);
    return true;
}

static void hook_cr3_write(void *opaque, struct cpu *c, uint64_t old)
{
    struct dbg_vcpu *dv = opaque;
    struct bp *b = bptable_match_value(&dv->d->bp, BP_CR3, c->cr3);

    if (b) {
        dbg_stop_at(dv->d, dv, DBG_STOP_CATCH, b->id,
                    "catchpoint %d: CR3 load 0x%llx (was 0x%llx)", b->id,
                    (ull)c->cr3, (ull)old);
        dbg_hit(dv->d, b);
    }
}

static void hook_event(void *opaque, struct cpu *c, const struct cpu_event *ev)
{
    struct dbg_vcpu *dv = opaque;
    struct dbg *d = dv->d;
    char text[96];
    struct bp *b;

    if (!dv->v) {                       /* bare: the cause of a CPL change */
        dv->rings.bare_ev = *ev;
        dv->rings.bare_ev_icount = c->icount;
        dv->rings.bare_ev_valid = true;
    }
    if (ev->kind != EV_EXCEPTION &&
        !(ev->kind == EV_SOFTINT && ev->vector < 32))
        return;
    b = bptable_match_value(&d->bp, BP_EXCEPTION, ev->vector);
    if (b) {
        mon_event_text(ev, text, sizeof(text));
        dbg_stop_at(d, dv, DBG_STOP_CATCH, b->id,
                    "catchpoint %d: %s at rip 0x%llx", b->id, text,
                    (ull)ev->rip);
        dbg_hit(d, b);
    }
}

/* Bare machine: a CPL change is a transition, caused by the event being
 * delivered in this instruction if there is one, else a return. */
/* The instruction that returned to an outer ring. */
static const char *return_name(struct dbg_vcpu *dv, uint64_t rip)
{
    uint8_t b[3];
    unsigned i = 0;

    if (dbg_read_virt(dv, rip, b, sizeof(b)))
        return "return";
    if ((b[0] & 0xf0) == 0x40 || b[0] == 0x66)
        i = 1;                          /* REX.W, operand size */
    if (b[i] == 0xcf)
        return "iret";
    if (b[i] == 0xca || b[i] == 0xcb)
        return "far return";
    if (b[i] == 0x0f && b[i + 1] == 0x07)
        return "sysret";
    if (b[i] == 0x0f && b[i + 1] == 0x35)
        return "sysexit";
    return "return";
}

static void hook_cpl_change(void *opaque, struct cpu *c, unsigned old,
                            uint64_t insn_rip)
{
    struct dbg_vcpu *dv = opaque;
    struct rings *r = &dv->rings;
    static const enum tkind by_event[] = {
        [EV_EXCEPTION] = TK_EXCEPTION, [EV_SOFTINT] = TK_SOFTINT,
        [EV_INTERRUPT] = TK_INTERRUPT, [EV_SYSCALL] = TK_SYSCALL,
        [EV_SYSENTER] = TK_SYSENTER,
    };
    struct transition t = { .icount = c->icount, .ns = dbg_now_ns(dv),
                            .to = { (uint8_t)c->cpl, PM_NONE } };

    (void)old;
    if (dv->v)
        return;
    if (r->bare_ev_valid && r->bare_ev_icount == c->icount && c->cpl < old) {
        t.kind = by_event[r->bare_ev.kind];
        t.why.ev = r->bare_ev;
    } else if (c->cpl > old) {
        t.kind = TK_RETURN;
        t.why.insn = return_name(dv, insn_rip);
    } else {
        t.kind = TK_OTHER;
    }
    r->bare_ev_valid = false;
    dbg_transition(dv, &t);
}

/* The per-instruction hook: the instruction trace and the hash. */
static void hook_insn(void *opaque, struct cpu *c)
{
    struct dbg_vcpu *dv = c->debug_opaque;
    struct dbg *d = dv->d;
    uint64_t pc = dbg_pc(dv);

    (void)opaque;
    if (d->hash_on) {
        d->hash = trace_hash_mix(d->hash, pc);
        d->hash_insns++;
    }
    if (trace_on(&d->trace, TRACE_INSNS)) {
        uint8_t bytes[16];
        char text[96], sym[96], hex[48];
        size_t n = 0, len;
        unsigned k;

        while (n < sizeof(bytes) && dbg_read_virt(dv, pc + n, bytes + n, 1) == 0)
            n++;
        len = n ? disas_one(bytes, n, pc, dbg_code_bits(dv), text,
                            sizeof(text)) : 0;
        if (!len) {
            snprintf(text, sizeof(text), "(bad)");
            len = n ? 1 : 0;
        }
        for (k = 0; k < len && 3 * k + 3 < sizeof(hex); k++)
            snprintf(hex + 3 * k, sizeof(hex) - 3 * k, "%02x ", bytes[k]);
        hex[3 * k] = '\0';
        symtab_describe(&d->syms, pc, sym, sizeof(sym));
        trace_record(&d->trace, TRACE_INSNS, c->icount, dv->name,
                     "0x%llx%s%s%s: %-24s %s", (ull)pc, sym[0] ? " <" : "",
                     sym, sym[0] ? ">" : "", hex, text);
    }
}

/* Set each CPU's hooks and flags for what the breakpoints need. */
static void update_cpu(struct dbg *d, struct dbg_vcpu *dv)
{
    struct cpu *c = dv->cpu;
    bool live = !d->detached;
    bool exec = live && (bptable_has(&d->bp, BP_EXEC) ||
                         bptable_has(&d->bp, BP_EXEC_PHYS) ||
                         (d->goal.active && d->goal.vcpu == dv->index));
    bool watch = live && (bptable_has(&d->bp, BP_WATCH) ||
                          bptable_has(&d->bp, BP_WATCH_PHYS));

    c->debug_opaque = dv;
    c->debug.code_page = hook_code_page;
    c->debug.before_insn = hook_before_insn;
    c->debug.data_access = hook_data_access;
    c->debug.cr3_write = live && bptable_has(&d->bp, BP_CR3)
                             ? hook_cr3_write : NULL;
    c->debug.cpl_change = !dv->v && d->recording ? hook_cpl_change : NULL;
    c->debug.event = (!dv->v && d->recording) ||
                     (live && bptable_has(&d->bp, BP_EXCEPTION))
                         ? hook_event : NULL;
    c->hooks.trace_insn = d->hash_on || trace_on(&d->trace, TRACE_INSNS)
                              ? hook_insn : NULL;
    c->debug_active = exec;
    if (c->debug_watch != watch) {
        c->debug_watch = watch;
        cpu_debug_update(c);
    }
}

/*
 * Recording (ring accounting, the hypercall log, traces, the hash, and
 * Xen's and the CPU's notifications behind them) costs time on every
 * hypercall and privilege change, so it is on only while something may
 * look at it: a trace, the hash, a catchpoint that needs it, or a monitor
 * that has taken a stop and still reads commands.  Turned on mid-run, the
 * accounting starts there.
 */
static void update_recording(struct dbg *d)
{
    bool live = !d->detached;
    bool want = d->hash_on || (live && (d->entered ||
                    bptable_has(&d->bp, BP_RING) ||
                    bptable_has(&d->bp, BP_HYPERCALL) ||
                    bptable_has(&d->bp, BP_EVTCHN)));

    for (unsigned k = 0; k < NR_TRACE_KINDS; k++)
        want = want || trace_on(&d->trace, (enum trace_kind)k);
    if (want && !d->recording) {
        d->recording_since = d->nvcpus ? d->vcpu[0]->cpu->icount : 0;
        for (unsigned i = 0; i < d->nvcpus; i++) {
            struct dbg_vcpu *dv = d->vcpu[i];
            rings_init(&dv->rings, dbg_place(dv), dv->cpu->icount,
                       dbg_now_ns(dv));
            dv->hc_depth = 0;
        }
    }
    d->recording = want;
    if (d->x) {
        d->x->observe = want ? dbg_xen_observe : NULL;
        d->x->observe_opaque = d;
    }
}

void dbg_breakpoints_changed(struct dbg *d)
{
    update_recording(d);
    for (unsigned i = 0; i < d->nvcpus; i++)
        update_cpu(d, d->vcpu[i]);
}

int dbg_trace(struct dbg *d, enum trace_kind k, bool on, const char *path,
              char *why, size_t why_len)
{
    int r = trace_set(&d->trace, k, on, path, why, why_len);

    dbg_breakpoints_changed(d);
    return r;
}

void dbg_trace_hash(struct dbg *d, bool on)
{
    d->hash_on = on;
    dbg_breakpoints_changed(d);
}

/* ---- ring transitions ----------------------------------------------------------- */

static bool ring_filter_match(uint64_t filter, struct place to)
{
    if (filter == BP_ANY)
        return true;
    if (filter == BP_RING_USER)
        return to.mode == PM_USER;
    if (filter == BP_RING_KERNEL)
        return to.mode == PM_KERNEL;
    return to.mode != PM_XEN && to.ring == filter;
}

void dbg_transition(struct dbg_vcpu *dv, struct transition *t)
{
    struct dbg *d = dv->d;
    struct place before = dv->rings.cur;
    char text[200];

    rings_record(&dv->rings, t);
    dbg_hash(d, 0x52494e47 /* RING */, (uint64_t)place_index(t->to) << 8 |
                                       t->kind);
    if (trace_on(&d->trace, TRACE_RINGS)) {
        transition_text(t, text, sizeof(text));
        trace_record(&d->trace, TRACE_RINGS, t->icount, dv->name, "%s", text);
    }
    /* A ring change: the guest goes on in another place than it left. */
    if (t->to.mode == PM_XEN || place_eq(before, t->to) ||
        (before.mode == PM_XEN && place_eq(dv->rings.exit.from, t->to)))
        return;
    for (struct bp *b = bptable_next(&d->bp, BP_RING, NULL); b;
         b = bptable_next(&d->bp, BP_RING, b))
        if (ring_filter_match(b->addr, t->to)) {
            transition_text(t, text, sizeof(text));
            dbg_stop_at(d, dv, DBG_STOP_CATCH, b->id,
                        "catchpoint %d: %s", b->id, text);
            dbg_hit(d, b);
            break;
        }
}

/* ---- the machine's side -------------------------------------------------------- */

void dbg_machine_begin(struct dbg *d, const char *kind, struct xen *x)
{
    d->machine = kind;
    d->x = x;
    update_recording(d);
}

void dbg_add_vcpu(struct dbg *d, struct cpu *c, struct vcpu *v,
                  const char *name)
{
    struct dbg_vcpu *dv;

    if (d->nvcpus == DBG_MAX_VCPUS || !(dv = calloc(1, sizeof(*dv))))
        return;
    dv->d = d;
    dv->index = d->nvcpus;
    dv->cpu = c;
    dv->v = v;
    snprintf(dv->name, sizeof(dv->name), "%s", name);
    d->vcpu[d->nvcpus++] = dv;
    rings_init(&dv->rings, dbg_place(dv), c->icount, dbg_now_ns(dv));
    update_cpu(d, dv);
}

void dbg_machine_end(struct dbg *d)
{
    for (unsigned i = 0; i < d->nvcpus; i++) {
        struct cpu *c = d->vcpu[i]->cpu;
        c->debug = (struct cpu_debug_hooks){ 0 };
        c->debug_active = false;
        c->hooks.trace_insn = NULL;
        if (c->debug_watch) {
            c->debug_watch = false;
            cpu_debug_update(c);
        }
        free(d->vcpu[i]);
    }
    if (d->x)
        d->x->observe = NULL;
    d->nvcpus = 0;
    d->cur = 0;
    d->x = NULL;
    d->goal.active = false;
    d->stepping = false;
}

void dbg_kernel_symbols(struct dbg *d, const char *name, const uint8_t *image,
                        size_t len)
{
    char why[128];

    (void)name;
    if (d->syms.n)
        return;                 /* a restart: already loaded */
    /* Symbols are a bonus: an image without (or with a broken) symbol
     * table still runs; `symbols FILE` reports problems. */
    symtab_add_elf(&d->syms, image, len, why, sizeof(why));
}

enum dbg_action dbg_poll(struct dbg *d)
{
    struct dbg_frontend *fe;
    struct dbg_stop s;
    bool go = true;

    if (!d->pending)
        return DBG_GO;
    s = d->stop;
    d->pending = false;
    d->stepping = false;
    d->goal.active = false;
    for (unsigned i = 0; i < d->nvcpus; i++)
        d->vcpu[i]->cpu->debug_stop = false;
    if (s.vcpu < d->nvcpus) {
        d->cur = s.vcpu;
        s.icount = d->vcpu[s.vcpu]->cpu->icount;    /* where it stopped */
    }
    if (!d->detached && (fe = taker(d)) && fe->stopped) {
        if (!d->entered) {
            d->entered = true;
            update_recording(d);
        }
        go = fe->stopped(fe->opaque, d, &s);
    }
    /* Going on from here: a breakpoint at this very instruction is the
     * one we stopped at (or one set while stopped): do not stop again. */
    for (unsigned i = 0; i < d->nvcpus; i++) {
        struct dbg_vcpu *dv = d->vcpu[i];
        dv->skip_valid = true;
        dv->skip_icount = dv->cpu->icount;
        dv->skip_rip = dv->cpu->rip;
        dv->cpu->debug_stop = false;
    }
    dbg_breakpoints_changed(d);
    if (!go)
        d->quit = true;
    return go ? DBG_GO : DBG_QUIT;
}

/* Is c the vCPU being stepped? */
static bool stepping_cpu(const struct dbg *d, const struct cpu *c)
{
    const struct dbg_vcpu *dv = c->debug_opaque;

    return d->stepping && dv && dv->d == d && dv->index == d->step_vcpu;
}

uint64_t dbg_budget(struct dbg *d, struct cpu *c, uint64_t budget)
{
    d->run_icount = c->icount;
    if (stepping_cpu(d, c) && d->step_left < budget)
        budget = d->step_left;
    return budget ? budget : 1;
}

void dbg_ran(struct dbg *d, struct cpu *c)
{
    uint64_t ran = c->icount - d->run_icount;
    struct dbg_vcpu *dv = c->debug_opaque;

    if (!stepping_cpu(d, c))
        return;
    d->step_left = ran < d->step_left ? d->step_left - ran : 0;
    if (d->step_left == 0) {
        char where[128];
        describe_pc(d, dbg_pc(dv), where, sizeof(where));
        dbg_stop_at(d, dv, DBG_STOP_STEP, 0, "stepped to %s", where);
    }
}

void dbg_ended(struct dbg *d, int status, const char *how)
{
    struct dbg_vcpu *dv = d->nvcpus ? d->vcpu[0] : NULL;

    if (d->quit || dbg_poll(d) == DBG_QUIT || d->detached)
        return;
    d->stop = (struct dbg_stop){
        .reason = DBG_STOP_EXIT, .exit_status = status,
        .vcpu = dv ? dv->index : 0, .icount = dv ? dv->cpu->icount : 0,
    };
    snprintf(d->stop.what, sizeof(d->stop.what), "%s", how);
    d->pending = true;
    dbg_poll(d);
}

/* ---- the front end's side --------------------------------------------------------- */

struct dbg_vcpu *dbg_current(struct dbg *d)
{
    return d->cur < d->nvcpus ? d->vcpu[d->cur] : NULL;
}

void dbg_continue(struct dbg *d)
{
    d->stepping = false;
    d->goal.active = false;
}

void dbg_stepi(struct dbg *d, uint64_t n)
{
    d->goal.active = false;
    d->stepping = true;
    d->step_vcpu = d->cur;
    d->step_left = n ? n : 1;
}

/* The instruction at the vCPU's pc: its bytes (up to 16), how many. */
static size_t fetch_insn(const struct dbg_vcpu *dv, uint8_t *bytes)
{
    uint64_t pc = dbg_pc(dv);
    size_t n = 0;

    while (n < 16 && dbg_read_virt(dv, pc + n, bytes + n, 1) == 0)
        n++;
    return n;
}

/* Is it a near or far CALL (after legacy prefixes and REX)? */
static bool is_call(const uint8_t *b, size_t n, unsigned bits)
{
    size_t i = 0;

    while (i < n && (b[i] == 0x66 || b[i] == 0x67 || b[i] == 0xf2 ||
                     b[i] == 0xf3 || b[i] == 0x2e || b[i] == 0x36 ||
                     b[i] == 0x3e || b[i] == 0x26 || b[i] == 0x64 ||
                     b[i] == 0x65 || b[i] == 0xf0))
        i++;
    if (bits == 64 && i < n && (b[i] & 0xf0) == 0x40)
        i++;
    if (i >= n)
        return false;
    if (b[i] == 0xe8 || (b[i] == 0x9a && bits != 64))
        return true;
    if (b[i] == 0xff && i + 1 < n) {
        unsigned reg = (b[i + 1] >> 3) & 7;
        return reg == 2 || reg == 3;
    }
    return false;
}

int dbg_next(struct dbg *d, char *why, size_t why_len)
{
    struct dbg_vcpu *dv = dbg_current(d);
    uint8_t bytes[16];
    size_t n;
    unsigned len, bits;

    if (!dv) {
        snprintf(why, why_len, "no vCPU");
        return -1;
    }
    bits = dbg_code_bits(dv);
    n = fetch_insn(dv, bytes);
    if (n == 0) {
        snprintf(why, why_len, "cannot read the instruction at 0x%llx",
                 (ull)dbg_pc(dv));
        return -1;
    }
    len = cpu_insn_length(bytes, n, bits == 64 ? MODE_LONG64
                                    : bits == 32 ? MODE_PROT32 : MODE_PROT16);
    if (!len || !is_call(bytes, n, bits)) {
        dbg_stepi(d, 1);
        return 0;
    }
    d->stepping = false;
    d->goal = (struct dbg_goal){ .active = true, .vcpu = dv->index,
                                 .addr = dbg_pc(dv) + len,
                                 .sp = dv->cpu->r[R_SP] };
    return 0;
}

void dbg_until(struct dbg *d, bool have_addr, uint64_t addr)
{
    struct dbg_vcpu *dv = dbg_current(d);

    if (!dv)
        return;
    d->stepping = false;
    d->goal = (struct dbg_goal){ .active = true, .vcpu = dv->index,
                                 .after = !have_addr, .addr = addr,
                                 .rip = dbg_pc(dv), .sp = dv->cpu->r[R_SP] };
}
