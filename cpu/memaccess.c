/*
 * Memory accesses as an instruction sees them: segmentation (limits,
 * rights, canonical checks), then paging through the TLB's slow path, the
 * stack, and branch targets.  Fast paths are inline in cpu-priv.h.
 */
#include <string.h>
#include "cpu/cpu-priv.h"

/* Recompute the flat-segment fast-path bits of seg (after any load). */
void seg_update_flat(struct cpu *c, int seg)
{
    const struct seg *s = &c->seg[seg];
    unsigned type = SEGA_TYPE(s->attr);
    bool flat = c->mode != MODE_REAL && (s->attr & SEGA_P) &&
                (s->attr & SEGA_S) && s->base == 0 &&
                s->limit == 0xffffffffu && ((type & 8) ? (type & 2) : !(type & 4));
    bool writable = flat && !(type & 8) && (type & 2);
    uint16_t m = (uint16_t)(1u << seg | 1u << (seg + 8));

    c->priv->seg_flat = (uint16_t)((c->priv->seg_flat & ~m) |
                                   (flat ? 1u << seg : 0) |
                                   (writable ? 1u << (seg + 8) : 0));
}

static bool is_canonical(uint64_t la)
{
    return (uint64_t)((int64_t)(la << 16) >> 16) == la;
}

static XE_NORETURN void seg_fault(struct cpu *c, unsigned seg)
{
    cpu_raise(c, seg == SEG_SS ? EXC_SS : EXC_GP, true, 0);
}

/* Limit and rights checks of protected mode (SDM vol. 3 §5.3, §5.8). */
static void seg_check(struct cpu *c, unsigned seg, uint64_t ea,
                      unsigned size, bool write)
{
    const struct seg *s = &c->seg[seg];
    unsigned type = SEGA_TYPE(s->attr);
    uint64_t last = ea + size - 1;

    if (c->mode != MODE_REAL) {
        if (!(s->attr & SEGA_P))
            seg_fault(c, seg);            /* null or unusable selector */
        if (type & 8) {                   /* code: never writable */
            if (write || !(type & 2))
                seg_fault(c, seg);
        } else if (write && !(type & 2)) {
            seg_fault(c, seg);
        }
    }
    if (!(type & 8) && (type & 4)) {      /* expand-down data */
        uint64_t top = (s->attr & SEGA_DB) ? 0xffffffffull : 0xffff;
        if (ea <= s->limit || last > top)
            seg_fault(c, seg);
    } else if (last > s->limit) {
        seg_fault(c, seg);
    }
}

uint64_t seg_linear_slow(struct cpu *c, unsigned seg, uint64_t ea,
                         unsigned size, bool write)
{
    if (likely(c->mode == MODE_LONG64)) {
        uint64_t la = seg >= SEG_FS ? ea + c->seg[seg].base : ea;
        if (unlikely(!is_canonical(la)))
            seg_fault(c, seg);
        return la;
    }
    seg_check(c, seg, ea, size, write);
    return (c->seg[seg].base + ea) & 0xffffffffull;
}

void cpu_tlb_fill(struct cpu *c, uint64_t la, unsigned acc,
                  const struct walk_result *r)
{
    tlb_fill(&c->tlb, c->mem, la, acc, r);
    if (c->priv->slow_mem) {
        int user = (acc & ACC_USER) && !(acc & ACC_IMPLICIT);
        struct tlb_entry *e = tlb_entry_for(&c->tlb, user, la);
        e->tag_read = e->tag_write = TLB_INVALID;
    }
}

/* Translate la for acc, raising #PF on failure; fills the TLB. */
static uint64_t translate_or_fault(struct cpu *c, uint64_t la, unsigned acc)
{
    struct paging_ctx ctx;
    struct walk_result r;

    paging_ctx_fill(c, &ctx);
    if (c->mode != MODE_LONG64 && !(c->efer & EFER_LMA))
        la &= 0xffffffffull;
    if (pt_walk(c->mem, &ctx, la, acc, &r) < 0)
        cpu_raise_pf(c, la, r.pfec);
    cpu_tlb_fill(c, la, acc, &r);
    return r.pa;
}

/* A debugger's watchpoints see the instruction's own data accesses. */
static void watch_access(struct cpu *c, uint64_t la, uint64_t pa,
                         unsigned size, unsigned acc, bool write)
{
    if (!(acc & ACC_IMPLICIT))
        dbg_data_access(c, la, pa, size, write);
}

uint64_t lin_read_slow(struct cpu *c, uint64_t la, unsigned size,
                       unsigned acc)
{
    unsigned off = (unsigned)(la & (PAGE_SIZE - 1));

    if (c->priv->slow_mem && !(acc & ACC_IMPLICIT))
        debug_data_access(c, la, size, false);
    cpu_icount_sync(c);              /* MMIO callbacks may read the clock */

    if (off + size <= PAGE_SIZE) {
        uint64_t pa = translate_or_fault(c, la, acc);
        if (unlikely(c->debug_watch))
            watch_access(c, la, pa, size, acc, false);
        return phys_load(c->mem, pa, size);
    }

    /* Crosses a page: both translations must succeed first. */
    unsigned first = PAGE_SIZE - off;
    uint64_t pa0 = translate_or_fault(c, la, acc);
    uint64_t pa1 = translate_or_fault(c, la + first, acc);
    uint64_t v = 0;
    if (unlikely(c->debug_watch)) {
        watch_access(c, la, pa0, first, acc, false);
        watch_access(c, la + first, pa1, size - first, acc, false);
    }
    for (unsigned k = 0; k < size; k++) {
        uint64_t pa = k < first ? pa0 + k : pa1 + (k - first);
        v |= phys_load(c->mem, pa, 1) << (8 * k);
    }
    return v;
}

void lin_write_slow(struct cpu *c, uint64_t la, unsigned size, uint64_t v,
                    unsigned acc)
{
    unsigned off = (unsigned)(la & (PAGE_SIZE - 1));

    if (c->priv->slow_mem && !(acc & ACC_IMPLICIT))
        debug_data_access(c, la, size, true);
    cpu_icount_sync(c);              /* MMIO callbacks may read the clock */
    if (c->hooks.write_filter &&
        !c->hooks.write_filter(c->opaque, c, la, size, v))
        return;

    if (off + size <= PAGE_SIZE) {
        uint64_t pa = translate_or_fault(c, la, acc);
        if (unlikely(c->debug_watch))
            watch_access(c, la, pa, size, acc, true);
        phys_store(c->mem, pa, size, v);
        return;
    }
    unsigned first = PAGE_SIZE - off;
    uint64_t pa0 = translate_or_fault(c, la, acc);
    uint64_t pa1 = translate_or_fault(c, la + first, acc);
    if (unlikely(c->debug_watch)) {
        watch_access(c, la, pa0, first, acc, true);
        watch_access(c, la + first, pa1, size - first, acc, true);
    }
    for (unsigned k = 0; k < size; k++) {
        uint64_t pa = k < first ? pa0 + k : pa1 + (k - first);
        phys_store(c->mem, pa, 1, (v >> (8 * k)) & 0xff);
    }
}

/* ---- machine/debugger access ------------------------------------------ */

int cpu_translate(struct cpu *c, uint64_t va, unsigned acc, uint64_t *pa)
{
    struct paging_ctx ctx;
    struct walk_result r;

    paging_ctx_fill(c, &ctx);
    if (pt_walk(c->mem, &ctx, va, acc, &r) < 0)
        return -1;
    *pa = r.pa;
    return 0;
}

static int virt_copy(struct cpu *c, uint64_t va, uint8_t *buf, size_t len,
                     unsigned acc, bool write)
{
    while (len) {
        uint64_t pa;
        size_t chunk = PAGE_SIZE - (va & (PAGE_SIZE - 1));
        if (chunk > len)
            chunk = len;
        if (cpu_translate(c, va, acc, &pa) < 0)
            return -1;
        if (write ? phys_write(c->mem, pa, buf, chunk)
                  : phys_read(c->mem, pa, buf, chunk))
            return -1;
        va += chunk;
        buf += chunk;
        len -= chunk;
    }
    return 0;
}

int cpu_read_virt(struct cpu *c, uint64_t va, void *buf, size_t len,
                  unsigned acc)
{
    return virt_copy(c, va, buf, len, acc & ~ACC_WRITE, false);
}

int cpu_write_virt(struct cpu *c, uint64_t va, const void *buf, size_t len,
                   unsigned acc)
{
    return virt_copy(c, va, (uint8_t *)buf, len, acc | ACC_WRITE, true);
}

/* ---- stack and branches ----------------------------------------------- */

static uint64_t sp_mask(const struct cpu *c)
{
    return size_mask(stack_size(c));
}

static void sp_set(struct cpu *c, uint64_t sp)
{
    uint64_t m = sp_mask(c);
    c->r[R_SP] = (c->r[R_SP] & ~m) | (sp & m);
}

void push(struct cpu *c, unsigned size, uint64_t v)
{
    uint64_t sp = (c->r[R_SP] - size) & sp_mask(c);
    mem_write(c, SEG_SS, sp, size, v);
    sp_set(c, sp);
}

uint64_t pop(struct cpu *c, unsigned size)
{
    uint64_t sp = c->r[R_SP] & sp_mask(c);
    uint64_t v = mem_read(c, SEG_SS, sp, size);
    sp_set(c, sp + size);
    return v;
}

void branch_to(struct cpu *c, uint64_t target, unsigned opsz)
{
    if (c->mode == MODE_LONG64) {
        if (opsz == 2)
            target &= 0xffff;
        else if (opsz == 4)
            target &= 0xffffffffull;
        if (!is_canonical(target))
            raise_gp(c, 0);
    } else {
        target &= size_mask(opsz);
        if (target > c->seg[SEG_CS].limit)
            raise_gp(c, 0);
    }
    c->rip = target;
}
