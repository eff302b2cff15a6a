/* Ring accounting (see rings.h). */
#include <stdio.h>
#include <string.h>
#include "monitor/describe.h"
#include "monitor/hcdecode.h"
#include "monitor/rings.h"

void rings_init(struct rings *r, struct place start, uint64_t icount,
                uint64_t ns)
{
    memset(r, 0, sizeof(*r));
    r->cur = start;
    r->mark_icount = icount;
    r->mark_ns = ns;
}

unsigned place_index(struct place p)
{
    if (p.mode == PM_XEN)
        return 0;
    return 1 + (p.ring & 3) * 3 + (p.mode < PM_XEN ? p.mode : 0);
}

struct place place_at(unsigned index)
{
    if (index == 0)
        return (struct place){ 0, PM_XEN };
    index--;
    return (struct place){ (uint8_t)(index / 3), (uint8_t)(index % 3) };
}

bool place_eq(struct place a, struct place b)
{
    return a.ring == b.ring && a.mode == b.mode;
}

const char *place_name(struct place p, char *buf, size_t len)
{
    static const char *const mode[] = { "", "(kernel)", "(user)" };

    if (p.mode == PM_XEN)
        snprintf(buf, len, "xen");
    else
        snprintf(buf, len, "ring%u%s", p.ring, mode[p.mode % 3]);
    return buf;
}

const char *tkind_name(enum tkind k)
{
    static const char *const names[NR_TKINDS] = {
        [TK_HYPERCALL] = "hypercall",
        [TK_HYPERCALL_RETURN] = "hypercall return",
        [TK_IRET] = "iret hypercall",
        [TK_SYSCALL_CALLBACK] = "syscall callback",
        [TK_SYSENTER_CALLBACK] = "sysenter callback",
        [TK_TRAP] = "trap bounce",
        [TK_EVENT_UPCALL] = "event upcall",
        [TK_FAILSAFE] = "failsafe callback",
        [TK_HANDLED_IN_XEN] = "handled in xen",
        [TK_INTERRUPT] = "interrupt",
        [TK_EXCEPTION] = "exception",
        [TK_SOFTINT] = "software interrupt",
        [TK_SYSCALL] = "syscall",
        [TK_SYSENTER] = "sysenter",
        [TK_RETURN] = "return",
        [TK_OTHER] = "other",
    };
    return k < NR_TKINDS ? names[k] : "?";
}

void rings_charge(struct rings *r, uint64_t icount, uint64_t ns)
{
    unsigned i = place_index(r->cur);

    uint64_t di = icount - r->mark_icount;
    uint64_t dn = ns > r->mark_ns ? ns - r->mark_ns : 0;

    /* Xen runs no guest instructions: those that retire while it is at
     * work (the hypercall instruction itself, one Xen emulates) are the
     * guest's, with their time (an instruction a nanosecond at xenemu's
     * 1 GHz TSC); what is left is time Xen let pass (a blocked vCPU). */
    if (r->cur.mode == PM_XEN) {
        unsigned g = place_index(r->exit.from);
        uint64_t gn = dn < di ? dn : di;
        r->insns[g] += di;
        r->ns[g] += gn;
        r->ns[i] += dn - gn;
    } else {
        r->insns[i] += di;
        r->ns[i] += dn;
    }
    r->mark_icount = icount;
    r->mark_ns = ns;
}

void rings_record(struct rings *r, struct transition *t)
{
    rings_charge(r, t->icount, t->ns);
    t->from = r->cur;
    r->cur = t->to;
    r->kinds[t->kind]++;
    r->total++;
    r->log[r->log_next] = *t;
    r->log_next = (r->log_next + 1) % RINGS_LOG;
}

const struct transition *rings_recent(const struct rings *r, unsigned k)
{
    if (k >= RINGS_LOG || k >= r->total)
        return NULL;
    return &r->log[(r->log_next + RINGS_LOG - 1 - k) % RINGS_LOG];
}

static void trap_cause(const struct transition *t, char *buf, size_t len)
{
    unsigned v = t->why.trap.vector;

    if (t->why.trap.int_n)
        snprintf(buf, len, "trap 0x%x (int $0x%x)", v, v);
    else
        snprintf(buf, len, "trap %u %s", v, mon_exc_name(v));
}

static void hypercall_cause(const struct transition *t, char *buf,
                            size_t len)
{
    char hc[64], res[48];

    hc_short(hc, sizeof(hc), t->why.hc.nr, t->why.hc.sub);
    if (t->kind == TK_HYPERCALL) {
        snprintf(buf, len, "hypercall %u %s", t->why.hc.nr, hc);
    } else if (t->why.hc.no_return) {
        snprintf(buf, len, "return from %s", hc);
    } else {
        hc_result(res, sizeof(res), t->why.hc.ret);
        snprintf(buf, len, "return from %s = %s", hc, res);
    }
}

void transition_cause(const struct transition *t, char *buf, size_t len)
{
    static const char *const fixed[NR_TKINDS] = {
        [TK_IRET] = "iret", [TK_SYSCALL_CALLBACK] = "syscall callback",
        [TK_SYSENTER_CALLBACK] = "sysenter callback",
        [TK_FAILSAFE] = "failsafe callback", [TK_OTHER] = "far transfer",
    };
    char ev[96];

    switch (t->kind) {
    case TK_HYPERCALL:
    case TK_HYPERCALL_RETURN:
        hypercall_cause(t, buf, len);
        break;
    case TK_TRAP:
        trap_cause(t, buf, len);
        break;
    case TK_EVENT_UPCALL:
        if (t->why.port > 0)
            snprintf(buf, len, "event upcall port %d", t->why.port);
        else
            snprintf(buf, len, "event upcall");
        break;
    case TK_RETURN:
        snprintf(buf, len, "%s", t->why.insn);
        break;
    case TK_HANDLED_IN_XEN:
        mon_event_text(&t->why.ev, ev, sizeof(ev));
        snprintf(buf, len, "%s handled in xen", ev);
        break;
    case TK_INTERRUPT: case TK_EXCEPTION: case TK_SOFTINT: case TK_SYSCALL:
    case TK_SYSENTER:
        mon_event_text(&t->why.ev, buf, len);
        break;
    default:
        snprintf(buf, len, "%s", t->kind < NR_TKINDS && fixed[t->kind]
                 ? fixed[t->kind] : "?");
        break;
    }
}

void transition_text(const struct transition *t, char *buf, size_t len)
{
    char from[24], to[24], cause[160];

    place_name(t->from, from, sizeof(from));
    place_name(t->to, to, sizeof(to));
    transition_cause(t, cause, sizeof(cause));
    snprintf(buf, len, "%s -> %s%s %s", from, t->via_xen ? "xen -> " : "",
             to, cause);
}
