/*
 * String instructions: MOVS CMPS STOS LODS SCAS with REP/REPE/REPNE.
 *
 * The source is seg:rSI (DS unless overridden), the destination always
 * ES:rDI; the address size picks SI/ESI/RSI and the counter CX/ECX/RCX
 * (a 32-bit update zero-extends, a 16-bit one wraps and keeps the rest).
 * Every iteration commits rSI, rDI and rCX after its memory accesses, so a
 * fault leaves the registers of the completed iterations and restarting the
 * instruction continues where it stopped.
 *
 * A REP run does at most REP_CHUNK iterations per execution (one with TF
 * set, and none past an iteration that hit a data breakpoint, so those
 * traps come after the iteration that caused them); if it is not done it
 * points RIP back at itself, sets RF and ends the block, so interrupts,
 * budgets and stop requests are seen in between.  RF is what the SDM has
 * an interrupt or trap between iterations push, and it keeps an
 * instruction breakpoint on the string instruction from firing again.  REP MOVS and REP STOS
 * with DF = 0 copy or fill straight through the TLB's host pointers as far
 * as both operands stay inside one page, the segment limits and the
 * address-size wrap; the TLB only grants write pointers for pages without
 * decoded code, so self-modifying code still goes through the slow path.
 * F2 acts as REP for MOVS, STOS and LODS, as on the hardware.
 */
#include <string.h>
#include "cpu/cpu-priv.h"

enum { STR_MOVS, STR_CMPS, STR_STOS, STR_LODS, STR_SCAS };

#define REP_CHUNK 4096

struct strop {
    unsigned kind, sz, asz, seg;
    uint64_t amask;
    int64_t delta;             /* +sz or -sz (DF) */
};

static uint64_t idx_get(struct cpu *c, const struct strop *s, unsigned r)
{
    return c->r[r] & s->amask;
}

static void idx_step(struct cpu *c, const struct strop *s, unsigned r,
                     uint64_t v, uint64_t count)
{
    reg_write(c, r, s->asz, v + (uint64_t)s->delta * count);
}

/* One iteration; for CMPS and SCAS returns whether the operands were
 * equal (ZF), otherwise true. */
static bool iterate(struct cpu *c, const struct strop *s)
{
    unsigned sz = s->sz;
    uint64_t si = idx_get(c, s, R_SI), di = idx_get(c, s, R_DI), a, b;

    switch (s->kind) {
    case STR_MOVS:
        a = mem_read(c, s->seg, si, sz);
        mem_write(c, SEG_ES, di, sz, a);
        idx_step(c, s, R_SI, si, 1);
        idx_step(c, s, R_DI, di, 1);
        return true;
    case STR_CMPS: {
        /* As AMD does, ES:rDI is checked and read before DS:rSI: any
         * fault of the second operand beats any fault of the first. */
        b = mem_read(c, SEG_ES, di, sz);
        a = mem_read(c, s->seg, si, sz);
        idx_step(c, s, R_SI, si, 1);
        idx_step(c, s, R_DI, di, 1);
        break;
    }
    case STR_STOS:
        mem_write(c, SEG_ES, di, sz, c->r[R_AX]);
        idx_step(c, s, R_DI, di, 1);
        return true;
    case STR_LODS:
        a = mem_read(c, s->seg, si, sz);
        reg_write(c, R_AX, sz, a);
        idx_step(c, s, R_SI, si, 1);
        return true;
    default:                   /* STR_SCAS */
        a = reg_read(c, R_AX, sz);
        b = mem_read(c, SEG_ES, di, sz);
        idx_step(c, s, R_DI, di, 1);
        break;
    }
    lf_set(c, LF_SUB, sz, a - b, a, b);
    return a == b;
}

/* ---- the fast path ---------------------------------------------------- */

/* How many of n elements from seg:ea upwards stay inside the segment limit
 * and the address-size wrap (0: take the slow path). */
static uint64_t seg_room(const struct cpu *c, const struct strop *s,
                         unsigned seg, uint64_t ea, uint64_t n)
{
    const struct seg *sg = &c->seg[seg];

    if (s->asz < 8 && (s->amask - ea + 1) / s->sz < n)
        n = (s->amask - ea + 1) / s->sz;
    if (c->mode == MODE_LONG64)
        return n;
    if (!(SEGA_TYPE(sg->attr) & 8) && (SEGA_TYPE(sg->attr) & 4))
        return 0;              /* expand-down: rare, slow path */
    if (ea > sg->limit)
        return 0;
    if ((sg->limit - ea + 1) / s->sz < n)
        n = (sg->limit - ea + 1) / s->sz;
    return n;
}

/* Host pointer for the n-element run at la, clipping n to the page; NULL
 * when the TLB has no fast-path entry for the access. */
static uint8_t *host_run(struct cpu *c, const struct strop *s, uint64_t la,
                         bool write, uint64_t *n)
{
    struct tlb_entry *e = tlb_entry_for(&c->tlb, cpu_user_access(c), la);
    unsigned off = (unsigned)(la & (PAGE_SIZE - 1));
    uint64_t fit = (PAGE_SIZE - off) / s->sz;

    if ((write ? e->tag_write : e->tag_read) != (la & PAGE_MASK))
        return NULL;
    if (fit < *n)
        *n = fit;
    return e->host + off;
}

/* Up to n iterations of REP MOVS/STOS at once; returns how many were done
 * (0: do one the slow way, which also fills the TLB). */
static uint64_t fast_run(struct cpu *c, const struct strop *s, uint64_t n)
{
    uint64_t si = idx_get(c, s, R_SI), di = idx_get(c, s, R_DI);
    uint8_t *src = NULL, *dst;

    if (s->delta < 0 || c->priv->slow_mem)
        return 0;
    if (s->kind == STR_MOVS) {
        n = seg_room(c, s, s->seg, si, n);
        if (!n)
            return 0;
        src = host_run(c, s, seg_linear(c, s->seg, si, s->sz, false), false,
                       &n);
        if (!src)
            return 0;
    }
    n = seg_room(c, s, SEG_ES, di, n);
    if (!n)
        return 0;
    dst = host_run(c, s, seg_linear(c, SEG_ES, di, s->sz, true), true, &n);
    if (!dst || !n)
        return 0;

    size_t bytes = (size_t)n * s->sz;
    if (s->kind == STR_MOVS) {
        uintptr_t ps = (uintptr_t)src, pd = (uintptr_t)dst;
        /* A forward copy onto itself repeats a pattern: keep each chunk
         * free of overlap where the destination is ahead. */
        if (pd > ps && pd - ps < bytes) {
            n = (pd - ps) / s->sz;
            if (!n)
                return 0;
            bytes = (size_t)n * s->sz;
        }
        memmove(dst, src, bytes);
        idx_step(c, s, R_SI, si, n);
    } else if (s->sz == 1) {
        memset(dst, (int)(c->r[R_AX] & 0xff), bytes);
    } else {
        for (size_t k = 0; k < bytes; k += s->sz)
            le_store(dst + k, s->sz, c->r[R_AX]);
    }
    idx_step(c, s, R_DI, di, n);
    return n;
}

/* ---- the instruction ------------------------------------------------------ */

static void rep_run(struct cpu *c, const struct insn *i, const struct strop *s)
{
    unsigned budget = (c->rflags & FL_TF) ? 1 : REP_CHUNK;
    bool compare = s->kind == STR_CMPS || s->kind == STR_SCAS;
    bool until_equal = i->pfx & PFX_REPN;     /* REPNE: stop when ZF = 1 */
    uint64_t cx = c->r[R_CX] & s->amask;

    while (cx) {
        if (!budget) {         /* not done: run again later */
            c->rip = c->priv->insn_rip;
            c->rflags |= FL_RF;
            c->priv->stop_block = true;
            return;
        }
        uint64_t n = 0;
        if (s->kind == STR_MOVS || s->kind == STR_STOS)
            n = fast_run(c, s, cx < budget ? cx : budget);
        if (n) {
            cx -= n;
            budget -= (unsigned)n;
            reg_write(c, R_CX, s->asz, cx);
            continue;
        }
        bool equal = iterate(c, s);
        reg_write(c, R_CX, s->asz, --cx);
        budget--;
        if (compare && equal == until_equal)
            return;
        if (c->priv->pending_db)
            budget = 0;        /* data breakpoint: trap after this one */
    }
}

static void op_string(struct cpu *c, const struct insn *i)
{
    struct strop s = {
        .kind = i->arg, .sz = i->opsz, .asz = i->asz, .seg = i->seg,
        .amask = size_mask(i->asz),
        .delta = (c->rflags & FL_DF) ? -(int64_t)i->opsz : (int64_t)i->opsz,
    };

    if (i->pfx & (PFX_REP | PFX_REPN))
        rep_run(c, i, &s);
    else
        iterate(c, &s);
}

#define STR_ROWS(op, kind, nm)                                                      \
    { MAP_1B, op, 1, P_ANY, -1, M_ANY, -1, F_BYTE, kind, 0, op_string, nm "b" },    \
    { MAP_1B, op + 1, 1, P_ANY, -1, M_ANY, -1, 0, kind, 0, op_string, nm }

static const struct opdef defs[] = {
    STR_ROWS(0xa4, STR_MOVS, "movs"),
    STR_ROWS(0xa6, STR_CMPS, "cmps"),
    STR_ROWS(0xaa, STR_STOS, "stos"),
    STR_ROWS(0xac, STR_LODS, "lods"),
    STR_ROWS(0xae, STR_SCAS, "scas"),
};
OPTABLE(optable_string, defs);
