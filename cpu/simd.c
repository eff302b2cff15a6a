/*
 * MMX/SSE plumbing (simd.h): availability checks, register and memory
 * operands, and the generic table-driven vector instruction.
 */
#include "cpu/simd.h"

/* ---- availability -------------------------------------------------------- */

static XE_NORETURN void raise_nm(struct cpu *c)
{
    cpu_raise(c, EXC_NM, false, 0);
}

/* A pending unmasked x87 exception is reported before the next MMX (or
 * waiting x87) instruction.  With CR0.NE clear it is ignored, as x87_check
 * does (IGNNE# asserted: FERR# is not modelled). */
void simd_x87_pending(struct cpu *c)
{
    if ((c->fpu.fsw & FSW_ES) && (c->cr0 & CR0_NE))
        cpu_raise(c, EXC_MF, false, 0);
}

void simd_avail_sse(struct cpu *c)
{
    if ((c->cr0 & CR0_EM) || !(c->cr4 & CR4_OSFXSR))
        raise_ud(c);
    if (c->cr0 & CR0_TS)
        raise_nm(c);
}

void simd_avail_mmx(struct cpu *c)
{
    if (c->cr0 & CR0_EM)
        raise_ud(c);
    if (c->cr0 & CR0_TS)
        raise_nm(c);
}

void simd_avail_mix(struct cpu *c)
{
    simd_avail_sse(c);
    simd_x87_pending(c);
}

/* ---- memory -------------------------------------------------------------- */

uint64_t simd_la(struct cpu *c, const struct insn *i, unsigned size,
                 bool write, unsigned align)
{
    uint64_t la = seg_linear(c, i->seg, insn_ea(c, i), size, write);

    if (align > 1 && (la & (align - 1)))
        raise_gp(c, 0);
    return la;
}

void simd_load(struct cpu *c, uint64_t la, unsigned size, struct xmmreg *v)
{
    if (size == 16) {
        uint64_t lo = lin_read(c, la, 8);
        v->q[1] = lin_read(c, simd_la_add(c, la, 8), 8);
        v->q[0] = lo;
        return;
    }
    v->q[0] = lin_read(c, la, size);
    v->q[1] = 0;
}

void simd_store(struct cpu *c, uint64_t la, unsigned size,
                const struct xmmreg *v)
{
    if (size == 16) {
        if ((la & (PAGE_SIZE - 1)) > PAGE_SIZE - 16)
            lin_probe_write(c, la, 16, c->cpl);
        lin_write(c, la, 8, v->q[0]);
        lin_write(c, simd_la_add(c, la, 8), 8, v->q[1]);
        return;
    }
    lin_write(c, la, size, v->q[0]);
}

/* The alignment in bytes rule align asks of a size-byte operand. */
static unsigned align_of(const struct cpu *c, unsigned align, unsigned size)
{
    if (align == ALIGN_NONE ||
        (align == ALIGN_SSE && (c->fpu.mxcsr & MXCSR_MM)))
        return 0;
    return size;
}

void xmm_rm_read(struct cpu *c, const struct insn *i, unsigned size,
                 unsigned align, struct xmmreg *v)
{
    if (i->mod == 3) {
        *v = *xmm(c, i->rm);
        return;
    }
    simd_load(c, simd_la(c, i, size, false, align_of(c, align, size)), size,
              v);
}

void xmm_rm_write(struct cpu *c, const struct insn *i, unsigned size,
                  unsigned align, const struct xmmreg *v)
{
    if (i->mod == 3) {
        *xmm(c, i->rm) = *v;
        return;
    }
    simd_store(c, simd_la(c, i, size, true, align_of(c, align, size)), size,
               v);
}

uint64_t mmx_rm_read(struct cpu *c, const struct insn *i, unsigned size)
{
    if (i->mod == 3)
        return mmx_get(c, i->rm);
    return lin_read(c, simd_la(c, i, size, false, 0), size);
}

uint64_t simd_gpr_rm_read(struct cpu *c, const struct insn *i, unsigned size)
{
    if (i->mod == 3)
        return reg_read(c, i->rm, size);
    return mem_read(c, i->seg, insn_ea(c, i), size);
}

/* A register destination narrower than 32 bits is zero-extended into the
 * 32-bit register (and so into the 64-bit one in 64-bit mode). */
void simd_gpr_rm_write(struct cpu *c, const struct insn *i, unsigned size,
                       uint64_t v)
{
    if (i->mod == 3)
        reg_write(c, i->rm, size < 4 ? 4 : size, v & size_mask(size));
    else
        mem_write(c, i->seg, insn_ea(c, i), size, v);
}

void simd_probe(struct cpu *c, uint64_t la, unsigned size, bool write,
                bool last_first)
{
    unsigned acc = ACC_NOSET | (write ? ACC_WRITE : 0) | cpl_acc(c);
    uint64_t last = simd_la_add(c, la, size - 1);
    uint64_t first = last_first ? last : la, second = last_first ? la : last;
    struct paging_ctx ctx;
    struct walk_result r;

    paging_ctx_fill(c, &ctx);
    if (pt_walk(c->mem, &ctx, first, acc, &r) < 0)
        cpu_raise_pf(c, first, r.pfec);
    if (((last ^ la) & PAGE_MASK) && pt_walk(c->mem, &ctx, second, acc, &r) < 0)
        cpu_raise_pf(c, second, r.pfec);
}

uint64_t simd_store_la(struct cpu *c, const struct insn *i, unsigned size)
{
    uint64_t la = simd_la(c, i, size, true, 0);

    lin_probe_write(c, la, size, c->cpl);
    return la;
}

uint64_t maskmov_la(struct cpu *c, const struct insn *i, unsigned n)
{
    uint64_t la = seg_linear(c, i->seg, c->r[R_DI] & size_mask(i->asz), n,
                             true);

    lin_probe_write(c, la, n, c->cpl);
    return la;
}

void maskmov_store(struct cpu *c, uint64_t la, const struct xmmreg *data,
                   const struct xmmreg *mask, unsigned n)
{
    for (unsigned k = 0; k < n; k++)
        if (lane(mask, 8, k) & 0x80)
            lin_write(c, simd_la_add(c, la, k), 1, lane(data, 8, k));
}

/* ---- the generic vector instruction -------------------------------------- */

void simd_op_mmx(struct cpu *c, const struct insn *i, const struct vop *op)
{
    struct xmmreg d = { { 0, 0 } }, s = { { 0, 0 } };

    simd_avail_mmx(c);
    s.q[0] = mmx_rm_read(c, i, op->mm_size ? op->mm_size : 8);
    mmx_commit(c);
    d.q[0] = mmx_get(c, i->reg);
    op->fn(c, &d, &s, 1, (unsigned)i->imm & 0xff);
    mmx_set(c, i->reg, d.q[0]);
}

void simd_op_xmm(struct cpu *c, const struct insn *i, const struct vop *op)
{
    unsigned size = op->xmm_size ? op->xmm_size : 16;
    struct xmmreg d, s;

    simd_avail_sse(c);
    xmm_rm_read(c, i, size,
                size == 16 && !op->unaligned ? ALIGN_SSE : ALIGN_NONE, &s);
    d = *xmm(c, i->reg);
    op->fn(c, &d, &s, 2, (unsigned)i->imm & 0xff);
    *xmm(c, i->reg) = d;
}
