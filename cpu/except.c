/*
 * Events: exceptions, interrupts, INT n, SYSCALL and SYSENTER.  With
 * ring0_exits every one of them becomes an exit to the machine; otherwise
 * they are delivered as the hardware does: through the real-mode IVT, the
 * protected-mode IDT (interrupt, trap and task gates, with a stack switch
 * from the TSS) or the long-mode IDT (16-byte gates, IST, aligned frames).
 */
#include "cpu/cpu-priv.h"

/* Fault-class exceptions: the frame's RFLAGS image gets RF = 1 (SDM vol. 3
 * §17.3.1.1) so that the restarted instruction skips its breakpoint. */
static bool is_fault(unsigned v)
{
    static const uint32_t faults = 1u << EXC_DE | 1u << EXC_BR | 1u << EXC_UD |
        1u << EXC_NM | 1u << EXC_TS | 1u << EXC_NP | 1u << EXC_SS |
        1u << EXC_GP | 1u << EXC_PF | 1u << EXC_MF | 1u << EXC_AC |
        1u << EXC_XM;
    return v < 32 && ((faults >> v) & 1);
}

void cpu_event_src(struct cpu *c, const struct cpu_event *ev, unsigned src)
{
    struct cpu_priv *p = c->priv;

    /* No single-step trap after an instruction whose event went through
     * the IDT (TF is cleared on the way) or to the machine. */
    if (ev->kind == EV_SOFTINT || ev->kind == EV_EXCEPTION ||
        ev->kind == EV_INTERRUPT)
        p->event_taken = true;
    p->stop_block = true;
    cpu_icount_sync(c);
    if (unlikely(c->debug.event))
        c->debug.event(c->debug_opaque, c, ev);
    if (c->ring0_exits && c->hooks.exit) {
        p->event_taken = true;
        c->hooks.exit(c->opaque, c, ev);
        return;
    }
    switch (ev->kind) {
    case EV_SYSCALL:
        syscall_enter(c);
        break;
    case EV_SYSENTER:
        sysenter_enter(c);
        break;
    default:
        if (src == SRC_ICEBP) {
            struct cpu_event e = *ev;
            e.kind = EV_EXCEPTION;      /* INT1 delivers like a trap */
            cpu_deliver(c, &e);
        } else {
            cpu_deliver(c, ev);
        }
        break;
    }
}

void cpu_event(struct cpu *c, const struct cpu_event *ev)
{
    cpu_event_src(c, ev, ev->kind == EV_SOFTINT ? SRC_SOFT : SRC_HW);
}

void soft_interrupt(struct cpu *c, const struct insn *i, unsigned vector,
                    unsigned src)
{
    struct cpu_event ev = {
        .kind = EV_SOFTINT, .vector = (uint8_t)vector,
        .rip = c->priv->insn_rip, .next_rip = c->rip, .insn_len = i->len,
    };
    cpu_event_src(c, &ev, src);
}

/* ---- real mode ---------------------------------------------------------- */

static void deliver_real(struct cpu *c, const struct cpu_event *ev)
{
    unsigned v = ev->vector;
    struct stk s;

    if (v * 4u + 3 > c->idtr.limit)
        raise_gp(c, v * 8 + 2);
    uint32_t ent = (uint32_t)sys_read(c, c->idtr.base + v * 4u, 4);
    stk_current(c, &s);
    stk_push(c, &s, 2, cpu_get_rflags(c));
    stk_push(c, &s, 2, c->seg[SEG_CS].sel);
    stk_push(c, &s, 2, ev->next_rip);
    stk_commit_sp(c, &s);
    c->seg[SEG_CS].sel = (uint16_t)(ent >> 16);
    c->seg[SEG_CS].base = (uint64_t)(ent >> 16) << 4;
    c->rip = ent & 0xffff;
    c->rflags &= ~(uint64_t)(FL_IF | FL_TF | FL_AC | FL_RF);
}

/* ---- protected and long mode ---------------------------------------------- */

struct frame {
    uint64_t flags, ret;
    uint16_t cs, ss;
    uint64_t sp;
};

static void read_gate(struct cpu *c, unsigned v, bool wide, struct desc *g,
                      uint32_t idt_err)
{
    unsigned size = wide ? 16 : 8;

    if (v * size + size - 1 > c->idtr.limit)
        raise_gp(c, idt_err);
    g->la = c->idtr.base + v * size;
    uint64_t lo = sys_read(c, g->la, 8);
    g->lo = (uint32_t)lo;
    g->hi = (uint32_t)(lo >> 32);
    g->hi2 = g->hi3 = 0;
    if (wide) {
        uint64_t hi = sys_read(c, g->la + 8, 8);
        g->hi2 = (uint32_t)hi;
        g->hi3 = (uint32_t)(hi >> 32);
    }
}

/* The gate and target code segment checks common to both IDT formats. */
static void check_gate(struct cpu *c, const struct desc *g, unsigned src,
                       unsigned v, uint32_t idt_err, struct desc *cd,
                       bool lma)
{
    unsigned type = desc_type(g);
    bool ok = lma ? (type == 0xe || type == 0xf)
                  : (type == 5 || type == 6 || type == 7 || type == 0xe ||
                     type == 0xf);
    unsigned ext = idt_err & 1;

    if (desc_s(g) || !ok)
        raise_gp(c, idt_err);
    if (src == SRC_SOFT && desc_dpl(g) < c->cpl)
        raise_gp(c, v * 8 + 2);
    if (!desc_p(g))
        cpu_raise(c, EXC_NP, true, idt_err);
    if (type == 5)
        return;
    uint16_t tsel = gate_sel(g);
    if (sel_null(tsel))
        raise_gp(c, ext);
    desc_fetch(c, tsel, false, cd, EXC_GP, ext);
    if (!desc_is_code(cd) || desc_dpl(cd) > c->cpl)
        raise_gp(c, sel_err(tsel) | ext);
    if (lma && !((cd->hi & (1u << 21)) && !(cd->hi & (1u << 22))))
        raise_gp(c, sel_err(tsel) | ext);
    if (!desc_p(cd))
        cpu_raise(c, EXC_NP, true, sel_err(tsel) | ext);
}

static void push_frame(struct cpu *c, struct stk *s, unsigned sz,
                       const struct frame *f, bool with_stack,
                       const struct cpu_event *ev)
{
    if (with_stack) {
        stk_push(c, s, sz, f->ss);
        stk_push(c, s, sz, f->sp);
    }
    stk_push(c, s, sz, f->flags);
    stk_push(c, s, sz, f->cs);
    stk_push(c, s, sz, f->ret);
    if (ev->has_error)
        stk_push(c, s, sz, ev->error);
}

/* Everything is checked and pushed: switch to the handler. */
static void enter_handler(struct cpu *c, uint16_t tsel, struct desc *cd,
                          unsigned pl, uint64_t off, bool int_gate)
{
    desc_set_accessed(c, cd);
    seg_load_desc(c, SEG_CS, (uint16_t)((tsel & ~3u) | pl), cd);
    c->rip = off;
    c->rflags &= ~(uint64_t)(FL_TF | FL_NT | FL_RF | FL_VM);
    if (int_gate)
        c->rflags &= ~(uint64_t)FL_IF;
}

static void frame_of(struct cpu *c, const struct cpu_event *ev,
                     struct frame *f)
{
    f->flags = cpu_get_rflags(c);
    if (ev->kind == EV_EXCEPTION && is_fault(ev->vector))
        f->flags |= FL_RF;
    f->ret = ev->next_rip;
    f->cs = c->seg[SEG_CS].sel;
    f->ss = c->seg[SEG_SS].sel;
    f->sp = c->r[R_SP];
}

static void deliver_prot(struct cpu *c, const struct cpu_event *ev,
                         unsigned src)
{
    unsigned v = ev->vector, ext = src != SRC_SOFT;
    uint32_t idt_err = v * 8 + 2 + ext;
    struct desc g, cd, ssd;
    struct frame f;
    struct stk s;

    read_gate(c, v, false, &g, idt_err);
    check_gate(c, &g, src, v, idt_err, &cd, false);
    if (desc_type(&g) == 5) {
        task_gate_event(c, &g, ev, ext);
        return;
    }
    unsigned bits = (desc_type(&g) & 8) ? 32 : 16;
    unsigned pl = desc_conforming(&cd) ? c->cpl : desc_dpl(&cd);
    uint16_t tsel = gate_sel(&g), ss = 0;
    uint64_t off = gate_offset(&g, bits);
    bool inner = pl < c->cpl;

    frame_of(c, ev, &f);
    if (inner) {
        uint64_t sp;
        tss_stack_legacy(c, pl, ext, &ss, &sp);
        if (sel_null(ss))
            cpu_raise(c, EXC_TS, true, ext);
        ss_check(c, ss, pl, &ssd, EXC_TS, ext);
        s = (struct stk){ 0 };
        s.base = desc_base(&ssd, false);
        s.limit = desc_limit(&ssd);
        s.attr = desc_attr(&ssd);
        s.mask = (s.attr & SEGA_DB) ? 0xffffffffull : 0xffff;
        s.sp = sp;
        s.pl = pl;
        s.vec = EXC_SS;
        s.err = sel_err(ss) | ext;
    } else {
        stk_current(c, &s);
        s.err = ext;
    }
    push_frame(c, &s, bits / 8, &f, inner, ev);
    if (off > desc_limit(&cd))
        raise_gp(c, ext);
    enter_handler(c, tsel, &cd, pl, off, !(desc_type(&g) & 1));
    if (inner) {
        desc_set_accessed(c, &ssd);
        seg_load_desc(c, SEG_SS, ss, &ssd);
    }
    stk_commit_sp(c, &s);
}

static void deliver_long(struct cpu *c, const struct cpu_event *ev,
                         unsigned src)
{
    unsigned v = ev->vector, ext = src != SRC_SOFT;
    uint32_t idt_err = v * 8 + 2 + ext;
    struct desc g, cd;
    struct frame f;
    struct stk s;

    read_gate(c, v, true, &g, idt_err);
    check_gate(c, &g, src, v, idt_err, &cd, true);
    unsigned pl = desc_conforming(&cd) ? c->cpl : desc_dpl(&cd);
    unsigned ist = g.hi & 7;
    uint64_t off = gate_offset(&g, 64), sp = c->r[R_SP];

    if (!is_canonical48(off))
        raise_gp(c, ext);
    if (ist)
        sp = tss_rsp64(c, ist, true, ext);
    else if (pl < c->cpl)
        sp = tss_rsp64(c, pl, false, ext);
    frame_of(c, ev, &f);
    s = (struct stk){ .sp = sp & ~0xfull, .mask = ~0ull, .limit = ~0u,
                      .flat = true, .pl = pl, .vec = EXC_SS, .err = ext };
    push_frame(c, &s, 8, &f, true, ev);
    bool inner = pl < c->cpl;
    enter_handler(c, gate_sel(&g), &cd, pl, off, !(desc_type(&g) & 1));
    if (inner)
        seg_load_null(c, SEG_SS, (uint16_t)pl);
    c->r[R_SP] = s.sp;
}

void cpu_deliver(struct cpu *c, const struct cpu_event *ev)
{
    struct cpu_priv *p = c->priv;
    unsigned src = ev->kind == EV_SOFTINT ? SRC_SOFT : SRC_HW;

    /* A fault while delivering is reported at the instruction that caused
     * the event (INT n) or at the return address (everything else). */
    p->insn_rip = src == SRC_SOFT ? ev->rip : ev->next_rip;
    c->halted = false;
    if (c->mode == MODE_REAL)
        deliver_real(c, ev);
    else if (c->efer & EFER_LMA)
        deliver_long(c, ev, src);
    else
        deliver_prot(c, ev, src);
    p->stop_block = true;
}
