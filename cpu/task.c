/*
 * Hardware task switches, legacy protected mode only (SDM vol. 3 ch. 7):
 * far JMP/CALL to a TSS or task gate, events through task gates, and IRET
 * with NT = 1.  The new TSS is read in full before anything changes; the
 * segment checks of the new task come after the switch, so their faults
 * are taken in the new task as on hardware.
 */
#include "cpu/cpu-priv.h"

enum ts_reason { TS_JMP, TS_CALL, TS_IRET };

/* Where the 32-bit and 16-bit TSS formats keep each field. */
struct tss_fmt {
    uint8_t ip, flags, gpr, seg, ldt, width, nseg;
    uint32_t min_limit;
};

static const struct tss_fmt tss32 = { 0x20, 0x24, 0x28, 0x48, 0x60, 4, 6, 0x67 };
static const struct tss_fmt tss16 = { 0x0e, 0x10, 0x12, 0x22, 0x2a, 2, 4, 0x2b };

struct task_state {
    uint64_t ip, flags, cr3;
    uint64_t gpr[8];
    uint16_t seg[6], ldt;
};

static const struct tss_fmt *fmt_of(unsigned type)
{
    return (type & 8) ? &tss32 : &tss16;
}

static void read_state(struct cpu *c, uint64_t base, const struct tss_fmt *f,
                       struct task_state *t)
{
    unsigned w = f->width;

    t->ip = sys_read(c, base + f->ip, w);
    t->flags = sys_read(c, base + f->flags, w);
    for (unsigned r = 0; r < 8; r++)
        t->gpr[r] = sys_read(c, base + f->gpr + r * w, w);
    for (unsigned s = 0; s < 6; s++)
        t->seg[s] = s < f->nseg ? (uint16_t)sys_read(c, base + f->seg + s * w, 2) : 0;
    t->ldt = (uint16_t)sys_read(c, base + f->ldt, 2);
    t->cr3 = f == &tss32 ? sys_read(c, base + 0x1c, 4) : c->cr3;
}

static void save_state(struct cpu *c, uint64_t ret, uint64_t flags)
{
    const struct tss_fmt *f = fmt_of(SEGA_TYPE(c->tr.attr));
    uint64_t base = c->tr.base;
    unsigned w = f->width;

    sys_write(c, base + f->ip, w, ret);
    sys_write(c, base + f->flags, w, flags);
    for (unsigned r = 0; r < 8; r++)
        sys_write(c, base + f->gpr + r * w, w, c->r[r]);
    for (unsigned s = 0; s < f->nseg; s++)
        sys_write(c, base + f->seg + s * w, 2, c->seg[s].sel);
}

/* Flip the busy bit of the TSS descriptor sel names (in the GDT). */
static void set_busy(struct cpu *c, uint16_t sel, bool busy)
{
    struct desc d;

    if (!desc_read(c, sel, false, &d))
        return;
    d.hi = busy ? d.hi | 0x200 : d.hi & ~0x200u;
    sys_write(c, d.la + 5, 1, (d.hi >> 8) & 0xff);
}

/* The new task's LDT and segment registers, with #TS on bad selectors. */
static void load_task_segs(struct cpu *c, const struct task_state *t,
                           unsigned ext)
{
    struct desc d;
    unsigned cpl = t->seg[SEG_CS] & 3;

    if (sel_null(t->ldt)) {
        c->ldtr = (struct seg){ t->ldt, 0, 0, 0 };
    } else {
        if ((t->ldt & 4) || !desc_read(c, t->ldt, false, &d) ||
            desc_s(&d) || desc_type(&d) != 2)
            cpu_raise(c, EXC_TS, true, sel_err(t->ldt) | ext);
        if (!desc_p(&d))
            cpu_raise(c, EXC_NP, true, sel_err(t->ldt) | ext);
        c->ldtr = (struct seg){ t->ldt, desc_attr(&d), desc_limit(&d),
                                desc_base(&d, false) };
    }
    uint16_t cs = t->seg[SEG_CS];
    if (sel_null(cs))
        cpu_raise(c, EXC_TS, true, ext);
    desc_fetch(c, cs, false, &d, EXC_TS, ext);
    if (!desc_is_code(&d) ||
        (desc_conforming(&d) ? desc_dpl(&d) > cpl : desc_dpl(&d) != cpl))
        cpu_raise(c, EXC_TS, true, sel_err(cs) | ext);
    if (!desc_p(&d))
        cpu_raise(c, EXC_NP, true, sel_err(cs) | ext);
    desc_set_accessed(c, &d);
    seg_load_desc(c, SEG_CS, cs, &d);

    uint16_t ss = t->seg[SEG_SS];
    if (sel_null(ss))
        cpu_raise(c, EXC_TS, true, ext);
    ss_check(c, ss, cpl, &d, EXC_TS, ext);
    desc_set_accessed(c, &d);
    seg_load_desc(c, SEG_SS, ss, &d);

    static const uint8_t data[] = { SEG_DS, SEG_ES, SEG_FS, SEG_GS };
    for (unsigned k = 0; k < ARRAY_SIZE(data); k++) {
        uint16_t sel = t->seg[data[k]];
        if (sel_null(sel)) {
            seg_load_null(c, data[k], sel);
            continue;
        }
        desc_fetch(c, sel, false, &d, EXC_TS, ext);
        if (!desc_s(&d) || (desc_is_code(&d) && !(d.hi & 0x200)) ||
            (!desc_conforming(&d) &&
             (desc_dpl(&d) < cpl || desc_dpl(&d) < (sel & 3u))))
            cpu_raise(c, EXC_TS, true, sel_err(sel) | ext);
        if (!desc_p(&d))
            cpu_raise(c, EXC_NP, true, sel_err(sel) | ext);
        desc_set_accessed(c, &d);
        seg_load_desc(c, data[k], sel, &d);
    }
}

static void task_switch(struct cpu *c, uint16_t sel, const struct desc *d,
                        enum ts_reason why, uint64_t ret,
                        const struct cpu_event *ev, unsigned ext)
{
    const struct tss_fmt *f = fmt_of(desc_type(d));
    struct task_state t;
    uint64_t base = desc_base(d, false);

    if (desc_limit(d) < f->min_limit)
        cpu_raise(c, EXC_TS, true, sel_err(sel) | ext);
    read_state(c, base, f, &t);

    uint64_t old_flags = cpu_get_rflags(c);
    if (why == TS_IRET)
        old_flags &= ~(uint64_t)FL_NT;
    save_state(c, ret, old_flags);
    if (why != TS_CALL)
        set_busy(c, c->tr.sel, false);
    if (why == TS_CALL) {
        sys_write(c, base, 2, c->tr.sel);
        t.flags |= FL_NT;
    }
    if (why != TS_IRET)
        set_busy(c, sel, true);

    /* The switch is done: from here on, faults belong to the new task. */
    c->tr = (struct seg){ sel, (uint16_t)(desc_attr(d) | 2), desc_limit(d),
                          base };
    c->cr0 |= CR0_TS;
    if (f == &tss32 && (c->cr0 & CR0_PG))
        cpu_set_cr3(c, t.cr3);
    for (unsigned r = 0; r < 8; r++)
        c->r[r] = f == &tss32 ? (uint32_t)t.gpr[r]
                              : (c->r[r] & ~0xffffull) | t.gpr[r];
    cpu_set_rflags(c, (t.flags & ~(uint64_t)FL_VM) |
                      (old_flags & ~size_mask(f->width)));
    c->rip = t.ip;
    for (unsigned s = 0; s < 6; s++)
        c->seg[s].sel = t.seg[s];
    c->priv->insn_rip = c->rip;
    c->priv->stop_block = true;
    tlb_flush_all(&c->tlb);

    load_task_segs(c, &t, ext);
    if (ev && ev->has_error)
        push(c, f->width, ev->error);
    if (c->rip > c->seg[SEG_CS].limit)
        raise_gp(c, ext);
}

/* A TSS descriptor a task switch may enter (available, present). */
static void check_new_tss(struct cpu *c, uint16_t sel, struct desc *d,
                          unsigned ext)
{
    unsigned type = desc_type(d);

    if ((sel & 4) || desc_s(d) || (type != 1 && type != 9))
        raise_gp(c, sel_err(sel) | ext);
    if (!desc_p(d))
        cpu_raise(c, EXC_NP, true, sel_err(sel) | ext);
}

void task_switch_far(struct cpu *c, uint16_t sel, const struct desc *d,
                     bool call)
{
    struct desc tss = *d;
    uint16_t tsel = sel;

    if (desc_dpl(d) < c->cpl || desc_dpl(d) < (sel & 3u))
        raise_gp(c, sel_err(sel));
    if (!desc_p(d))
        cpu_raise(c, EXC_NP, true, sel_err(sel));
    if (desc_type(d) == 5) {
        tsel = gate_sel(d);
        if (tsel & 4)
            raise_gp(c, sel_err(tsel));
        desc_fetch(c, tsel, false, &tss, EXC_GP, 0);
    }
    check_new_tss(c, tsel, &tss, 0);
    task_switch(c, tsel, &tss, call ? TS_CALL : TS_JMP, c->rip, NULL, 0);
}

void task_gate_event(struct cpu *c, const struct desc *gate,
                     const struct cpu_event *ev, unsigned ext)
{
    struct desc tss;
    uint16_t tsel = gate_sel(gate);

    if (tsel & 4)
        raise_gp(c, sel_err(tsel) | ext);
    desc_fetch(c, tsel, false, &tss, EXC_GP, ext);
    check_new_tss(c, tsel, &tss, ext);
    task_switch(c, tsel, &tss, TS_CALL, ev->next_rip, ev, ext);
}

void task_return(struct cpu *c)
{
    struct desc d;
    uint16_t link = (uint16_t)sys_read(c, c->tr.base, 2);

    if ((link & 4) || !desc_read(c, link, false, &d) || desc_s(&d) ||
        (desc_type(&d) != 3 && desc_type(&d) != 0xb))
        cpu_raise(c, EXC_TS, true, sel_err(link));
    if (!desc_p(&d))
        cpu_raise(c, EXC_NP, true, sel_err(link));
    task_switch(c, link, &d, TS_IRET, c->rip, NULL, 0);
}
