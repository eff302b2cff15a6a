/*
 * Segmentation: descriptor tables, descriptors, and loading segment
 * registers with every protection check (SDM vol. 3 ch. 3 and 5).
 * Descriptor-table accesses are implicit supervisor accesses: they go
 * through paging with supervisor rights whatever the CPL.
 */
#include "cpu/cpu-priv.h"

/* ---- linear accesses with an explicit privilege ----------------------- */

/* Descriptor tables and TSS live in the 32-bit linear space outside long
 * mode. */
static uint64_t acc_read(struct cpu *c, uint64_t la, unsigned size,
                         unsigned acc)
{
    if (!(c->efer & EFER_LMA))
        la &= 0xffffffffull;
    return lin_read_acc(c, la, size, acc);
}

static void acc_write(struct cpu *c, uint64_t la, unsigned size, uint64_t v,
                      unsigned acc)
{
    if (!(c->efer & EFER_LMA))
        la &= 0xffffffffull;
    lin_write_acc(c, la, size, v, acc);
}

uint64_t sys_read(struct cpu *c, uint64_t la, unsigned size)
{
    return acc_read(c, la, size, ACC_IMPLICIT);
}

void sys_write(struct cpu *c, uint64_t la, unsigned size, uint64_t v)
{
    acc_write(c, la, size, v, ACC_IMPLICIT);
}

uint64_t lin_read_pl(struct cpu *c, uint64_t la, unsigned size, unsigned pl)
{
    return acc_read(c, la, size, pl == 3 ? ACC_USER : 0);
}

void lin_write_pl(struct cpu *c, uint64_t la, unsigned size, uint64_t v,
                  unsigned pl)
{
    acc_write(c, la, size, v, pl == 3 ? ACC_USER : 0);
}

void lin_probe_write(struct cpu *c, uint64_t la, unsigned size, unsigned pl)
{
    struct paging_ctx ctx;
    struct walk_result r;
    unsigned acc = ACC_WRITE | ACC_NOSET | (pl == 3 ? ACC_USER : 0);
    uint64_t last = la + size - 1;

    if (!(c->efer & EFER_LMA)) {
        la &= 0xffffffffull;
        last &= 0xffffffffull;
    }
    paging_ctx_fill(c, &ctx);
    if (pt_walk(c->mem, &ctx, la, acc, &r) < 0)
        cpu_raise_pf(c, la, r.pfec);
    if ((last ^ la) & PAGE_MASK) {
        uint64_t next = last & PAGE_MASK;
        if (pt_walk(c->mem, &ctx, next, acc, &r) < 0)
            cpu_raise_pf(c, next, r.pfec);
    }
}

/* ---- descriptors ---------------------------------------------------------- */

uint64_t desc_base(const struct desc *d, bool wide)
{
    uint64_t b = (d->lo >> 16) | (d->hi & 0xff) << 16 | (d->hi & 0xff000000u);
    return wide ? b | (uint64_t)d->hi2 << 32 : b;
}

uint32_t desc_limit(const struct desc *d)
{
    uint32_t l = (d->lo & 0xffff) | (d->hi & 0xf0000);
    return (d->hi & (1u << 23)) ? l << 12 | 0xfff : l;
}

uint64_t gate_offset(const struct desc *d, unsigned gate_bits)
{
    uint64_t off = d->lo & 0xffff;
    if (gate_bits >= 32)
        off |= d->hi & 0xffff0000u;
    if (gate_bits == 64)
        off |= (uint64_t)d->hi2 << 32;
    return off;
}

bool desc_read(struct cpu *c, uint16_t sel, bool wide, struct desc *d)
{
    uint64_t base;
    uint32_t limit;
    uint64_t off = sel & ~7u;

    if (sel & 4) {
        if (sel_null(c->ldtr.sel) || !(c->ldtr.attr & SEGA_P))
            return false;
        base = c->ldtr.base;
        limit = c->ldtr.limit;
    } else {
        base = c->gdtr.base;
        limit = c->gdtr.limit;
    }
    if (off + (wide ? 15 : 7) > limit)
        return false;
    d->la = base + off;
    uint64_t v = sys_read(c, d->la, 8);
    d->lo = (uint32_t)v;
    d->hi = (uint32_t)(v >> 32);
    d->hi2 = d->hi3 = 0;
    if (wide) {
        v = sys_read(c, d->la + 8, 8);
        d->hi2 = (uint32_t)v;
        d->hi3 = (uint32_t)(v >> 32);
    }
    return true;
}

void desc_fetch(struct cpu *c, uint16_t sel, bool wide, struct desc *d,
                unsigned vec, unsigned ext)
{
    if (!desc_read(c, sel, wide, d))
        cpu_raise(c, vec, true, sel_err(sel) | ext);
}

void desc_set_accessed(struct cpu *c, struct desc *d)
{
    if (d->hi & 0x100)
        return;
    d->hi |= 0x100;
    sys_write(c, d->la + 5, 1, (d->hi >> 8) & 0xff);
}

/* ---- segment registers ---------------------------------------------------- */

void seg_load_desc(struct cpu *c, unsigned seg, uint16_t sel,
                   const struct desc *d)
{
    cpu_set_seg(c, (int)seg, sel, desc_base(d, false), desc_limit(d),
                desc_attr(d));
}

/* A null selector makes the register unusable (not present).  In 64-bit
 * mode SS may hold a null selector with RPL = CPL and stays usable; the
 * FS/GS base survives unless the model clears it. */
void seg_load_null(struct cpu *c, unsigned seg, uint16_t sel)
{
    struct seg *s = &c->seg[seg];

    if (seg == SEG_SS && (c->efer & EFER_LMA)) {
        s->sel = sel;
        s->attr = (uint16_t)(SEGA_S | 3 | (sel & 3) << 5 | SEGA_P | SEGA_DB);
        s->base = 0;
        s->limit = 0xffffffffu;
        return;
    }
    s->sel = sel;
    s->attr = 0;
    s->limit = 0;
    if (!(c->mode == MODE_LONG64 && seg >= SEG_FS &&
          !cpu_model_of(c)->null_sel_clears_base))
        s->base = 0;
}

static void seg_load_real(struct cpu *c, unsigned seg, uint16_t sel)
{
    c->seg[seg].sel = sel;
    c->seg[seg].base = (uint64_t)sel << 4;
}

void ss_check(struct cpu *c, uint16_t sel, unsigned cpl, struct desc *d,
              unsigned vec, unsigned ext)
{
    desc_fetch(c, sel, false, d, vec, ext);
    if ((sel & 3) != cpl || desc_dpl(d) != cpl || !desc_is_data(d) ||
        !(d->hi & 0x200))
        cpu_raise(c, vec, true, sel_err(sel) | ext);
    if (!desc_p(d))
        cpu_raise(c, EXC_SS, true, sel_err(sel) | ext);
}

void seg_load(struct cpu *c, unsigned seg, uint16_t sel)
{
    struct desc d;
    unsigned rpl = sel & 3;

    if (c->mode == MODE_REAL || (c->rflags & FL_VM)) {
        seg_load_real(c, seg, sel);
        return;
    }
    if (sel_null(sel)) {
        if (seg == SEG_SS && (c->mode != MODE_LONG64 || c->cpl == 3 ||
                              rpl != c->cpl))
            raise_gp(c, 0);
        seg_load_null(c, seg, sel);
        return;
    }
    if (seg == SEG_SS) {
        ss_check(c, sel, c->cpl, &d, EXC_GP, 0);
    } else {
        desc_fetch(c, sel, false, &d, EXC_GP, 0);
        if (!desc_s(&d) || (desc_is_code(&d) && !(d.hi & 0x200)))
            raise_gp(c, sel_err(sel));
        if (!desc_conforming(&d) &&
            (rpl > desc_dpl(&d) || c->cpl > desc_dpl(&d)))
            raise_gp(c, sel_err(sel));
        if (!desc_p(&d))
            cpu_raise(c, EXC_NP, true, sel_err(sel));
    }
    desc_set_accessed(c, &d);
    seg_load_desc(c, seg, sel, &d);
}

void seg_invalidate_outer(struct cpu *c)
{
    static const uint8_t regs[] = { SEG_ES, SEG_DS, SEG_FS, SEG_GS };

    for (unsigned k = 0; k < ARRAY_SIZE(regs); k++) {
        struct seg *s = &c->seg[regs[k]];
        bool conforming_code = (s->attr & 0xc) == 0xc;
        if (!(s->attr & SEGA_P) || !(s->attr & SEGA_S) || conforming_code)
            continue;
        if (SEGA_DPL(s->attr) < c->cpl) {
            s->sel = 0;
            s->attr = 0;
            seg_update_flat(c, regs[k]);   /* no flat fast path any more */
        }
    }
}
