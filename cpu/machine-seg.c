/*
 * Segment loads on behalf of the machine: the Xen layer emulating an IRET
 * to a guest, or reloading a guest's data selectors.  The checks are those
 * of a return to the selector's RPL; a fault is reported, not delivered.
 */
#include "cpu/cpu-priv.h"

static void load_cs_for_return(struct cpu *c, uint16_t sel)
{
    unsigned rpl = sel & 3;
    struct desc d;

    if (sel_null(sel))
        raise_gp(c, 0);
    desc_fetch(c, sel, false, &d, EXC_GP, 0);
    if (!desc_is_code(&d))
        raise_gp(c, sel_err(sel));
    if (desc_conforming(&d) ? desc_dpl(&d) > rpl : desc_dpl(&d) != rpl)
        raise_gp(c, sel_err(sel));
    if (!desc_p(&d))
        cpu_raise(c, EXC_NP, true, sel_err(sel));
    desc_set_accessed(c, &d);
    seg_load_desc(c, SEG_CS, sel, &d);
    cpu_update_mode(c);
}

bool cpu_load_seg(struct cpu *c, int seg, uint16_t sel,
                  struct cpu_event *fault)
{
    struct cpu_priv *p = c->priv;
    jmp_buf jb, *outer = c->fault_jmp;
    uint64_t rip = c->rip, insn_rip = p->insn_rip;

    p->insn_rip = c->rip;
    c->fault_jmp = &jb;
    if (setjmp(jb)) {
        c->fault_jmp = outer;
        *fault = p->pending;
        c->rip = rip;
        p->insn_rip = insn_rip;
        return false;
    }
    if (seg == SEG_CS)
        load_cs_for_return(c, sel);
    else
        seg_load(c, (unsigned)seg, sel);
    c->fault_jmp = outer;
    p->insn_rip = insn_rip;
    return true;
}

void cpu_null_outer_segs(struct cpu *c)
{
    seg_invalidate_outer(c);
}
