/*
 * CPU life cycle, control registers and the derived execution mode.
 */
#include <stdlib.h>
#include <string.h>
#include "cpu/cpu-priv.h"
#include "cpu/jit.h"
#include "cpu/block.h"

static void set_mode(struct cpu *c);

int cpu_init(struct cpu *c, struct mem *m)
{
    memset(c, 0, sizeof(*c));
    opcode_table_init();
    c->mem = m;
    c->priv = calloc(1, sizeof(struct cpu_priv));
    if (!c->priv)
        return -1;
    if (block_cache_init(c) < 0) {
        free(c->priv);
        c->priv = NULL;
        return -1;
    }
    mem_register_tlb(m, &c->tlb);
    cpu_set_jit(c, CPU_JIT_THRESHOLD);
    cpu_reset(c);
    return 0;
}

void cpu_set_jit(struct cpu *c, unsigned threshold)
{
    struct cpu_priv *p = c->priv;

    if (threshold && !p->jit && !jit_init(c))
        threshold = 0;
    if (!threshold && p->jit) {
        block_cache_flush(c);       /* no block may keep code */
        p->stop_block = 0;
        jit_destroy(c);
    }
    p->jit_threshold = threshold;
}

unsigned cpu_jit_threshold(const struct cpu *c)
{
    return c->priv->jit_threshold;
}

void cpu_destroy(struct cpu *c)
{
    if (!c->priv)
        return;
    mem_unregister_tlb(c->mem, &c->tlb);
    block_cache_destroy(c);
    jit_destroy(c);
    free(c->priv);
    c->priv = NULL;
}

/* Architectural reset state (SDM vol. 3 table 9-1). */
void cpu_reset(struct cpu *c)
{
    memset(c->r, 0, sizeof(c->r));
    c->r[R_DX] = 0x00800f12;         /* family/model/stepping signature */
    c->rip = 0xfff0;
    cpu_set_rflags(c, 2);
    for (int s = 0; s < 6; s++)
        cpu_set_seg(c, s, 0, 0, 0xffff, SEGA_P | SEGA_S | 3);
    cpu_set_seg(c, SEG_CS, 0xf000, 0xffff0000, 0xffff,
                SEGA_P | SEGA_S | 0xb);
    c->ldtr = (struct seg){ 0, SEGA_P | 2, 0xffff, 0 };
    c->tr = (struct seg){ 0, SEGA_P | 0xb, 0xffff, 0 };
    c->gdtr = (struct dtr){ 0, 0xffff };
    c->idtr = (struct dtr){ 0, 0xffff };
    c->cr0 = CR0_ET | CR0_CD | CR0_NW;
    c->cr2 = c->cr3 = c->cr4 = c->cr8 = 0;
    c->efer = 0;
    c->xcr0 = 1;
    /* x87 power-on state (FCW 0040h, all tags "zero"), MXCSR 1F80h. */
    memset(&c->fpu, 0, sizeof(c->fpu));
    c->fpu.fcw = 0x0040;
    c->fpu.ftw = 0x5555;
    c->fpu.mxcsr = 0x1f80;
    memset(c->dr, 0, sizeof(c->dr));
    c->dr[6] = 0xffff0ff0;
    c->dr[7] = 0x400;
    c->pat = 0x0007040600070406ull;
    c->apic_base = 0xfee00900;
    c->halted = false;
    c->priv->delivering = -1;
    c->priv->irq_inhibit = 0;
    cpu_update_mode(c);
    tlb_flush_all(&c->tlb);
    block_cache_flush(c);
}

static void mode_changed(struct cpu *c, unsigned old)
{
    if ((old == MODE_REAL) != (c->mode == MODE_REAL))
        for (int s = 0; s < 6; s++)
            seg_update_flat(c, s);
}

void cpu_update_mode(struct cpu *c)
{
    unsigned old = c->mode, old_cpl = c->cpl;
    set_mode(c);
    mode_changed(c, old);
    if (unlikely(c->debug.cpl_change) && c->cpl != old_cpl)
        dbg_cpl_changed(c, old_cpl);
}

static void set_mode(struct cpu *c)
{
    const struct seg *cs = &c->seg[SEG_CS];

    if (!(c->cr0 & CR0_PE)) {
        c->mode = MODE_REAL;
        c->cpl = 0;
        return;
    }
    if ((c->efer & EFER_LMA) && (cs->attr & SEGA_L))
        c->mode = MODE_LONG64;
    else if (c->efer & EFER_LMA)
        c->mode = (cs->attr & SEGA_DB) ? MODE_COMPAT32 : MODE_COMPAT16;
    else
        c->mode = (cs->attr & SEGA_DB) ? MODE_PROT32 : MODE_PROT16;
    c->cpl = cs->sel & 3;
}

void cpu_set_seg(struct cpu *c, int seg, uint16_t sel, uint64_t base,
                 uint32_t limit, uint16_t attr)
{
    c->seg[seg] = (struct seg){ sel, attr, limit, base };
    if (seg == SEG_CS)
        cpu_update_mode(c);
    seg_update_flat(c, seg);
}

void paging_ctx_fill(const struct cpu *c, struct paging_ctx *ctx)
{
    ctx->cr0 = c->cr0;
    ctx->cr3 = c->cr3;
    ctx->cr4 = c->cr4;
    ctx->efer = c->efer;
    ctx->ac = (c->rflags & FL_AC) != 0;
    ctx->maxphyaddr_mask = (1ull << 40) - 1;
}

#define CR0_RESERVED 0xffffffff1ffaffc0ull
#define CR4_VALID (CR4_VME | CR4_PVI | CR4_TSD | CR4_DE | CR4_PSE | CR4_PAE | \
                   CR4_MCE | CR4_PGE | CR4_PCE | CR4_OSFXSR | CR4_OSXMMEXCPT | \
                   CR4_FSGSBASE | CR4_OSXSAVE | CR4_SMEP | CR4_SMAP)

bool cpu_set_cr0(struct cpu *c, uint64_t v)
{
    uint64_t changed = c->cr0 ^ v;

    if (v & CR0_RESERVED)
        return false;
    if ((v & CR0_PG) && !(v & CR0_PE))
        return false;
    if ((v & CR0_NW) && !(v & CR0_CD))
        return false;
    /* (MOV CR0 additionally refuses paging on while CS.L = 1 and paging
     * off in 64-bit mode; machine set-up may load such states directly.) */
    if ((v & CR0_PG) && !(c->cr0 & CR0_PG) && (c->efer & EFER_LME)) {
        if (!(c->cr4 & CR4_PAE))
            return false;
        c->efer |= EFER_LMA;
    }
    if (!(v & CR0_PG) && (c->cr0 & CR0_PG))
        c->efer &= ~EFER_LMA;
    c->cr0 = v | CR0_ET;
    if (changed & (CR0_PG | CR0_WP | CR0_PE))
        tlb_flush_all(&c->tlb);
    if (changed & (CR0_PE | CR0_PG)) {
        cpu_update_mode(c);
        c->priv->stop_block = true;
    }
    return true;
}

bool cpu_set_cr3(struct cpu *c, uint64_t v)
{
    uint64_t old = c->cr3;

    if (c->efer & EFER_LMA) {
        if (v >> 52)
            return false;
    } else {
        v &= 0xffffffffull;
    }
    c->cr3 = v;
    if (c->cr4 & CR4_PGE)
        tlb_flush_nonglobal(&c->tlb);
    else
        tlb_flush_all(&c->tlb);
    if (unlikely(c->debug.cr3_write))
        dbg_cr3_written(c, old);
    return true;
}

bool cpu_set_cr4(struct cpu *c, uint64_t v)
{
    if (v & ~(uint64_t)CR4_VALID)
        return false;
    if ((c->efer & EFER_LMA) && !(v & CR4_PAE))
        return false;
    if ((c->cr4 ^ v) & (CR4_PAE | CR4_PSE | CR4_PGE | CR4_SMEP | CR4_SMAP))
        tlb_flush_all(&c->tlb);
    c->cr4 = v;
    return true;
}

#define EFER_VALID (EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE)

bool cpu_set_efer(struct cpu *c, uint64_t v)
{
    if (v & ~(uint64_t)EFER_VALID)
        return false;
    /* LME may not change while paging is on; LMA follows LME and CR0.PG. */
    if ((c->cr0 & CR0_PG) && ((v ^ c->efer) & EFER_LME))
        return false;
    v &= ~EFER_LMA;
    if ((v & EFER_LME) && (c->cr0 & CR0_PG))
        v |= EFER_LMA;
    if ((v ^ c->efer) & EFER_NXE)
        tlb_flush_all(&c->tlb);
    c->efer = v;
    cpu_update_mode(c);
    return true;
}

void cpu_flush_code(struct cpu *c)
{
    tlb_flush_all(&c->tlb);
    block_cache_flush(c);
}
