/*
 * Page walks for every x86 paging mode (Intel SDM vol. 3, chapter 4):
 * 32-bit paging (with PSE and PSE-36), PAE paging and 4-level paging.
 * Access rights follow §4.6, error codes §4.7, accessed/dirty flags §4.8.
 */
#include <string.h>
#include "mmu/mmu.h"

#define ADDR_4LEVEL 0x000ffffffffff000ull   /* bits 51:12 */
#define ADDR_PAE    0x7ffffffffffff000ull   /* bits 62:12: 62:M reserved */
#define PDPTE_PAE_RSVD 0x1e6ull             /* bits 8:5 and 2:1 */
#define PDE32_PSE_RSVD (1ull << 21)

/* One walk in progress. */
struct walk {
    struct mem *m;
    const struct paging_ctx *ctx;
    uint64_t va;
    unsigned acc;
    bool user;              /* a user-mode access (CPL 3, not implicit) */
    bool xd_enabled;        /* PAE/4-level paging with EFER.NXE */
    uint64_t addr_mask;     /* valid physical address bits */

    /* What the entries seen so far allow. */
    bool rw, us, xd;

    /* Entries to mark accessed, top level first. */
    uint64_t entry_pa[4];
    unsigned nr_entries;
    unsigned entry_size;
    uint64_t leaf;
};

static uint64_t phys_addr_mask(const struct paging_ctx *ctx)
{
    return ctx->maxphyaddr_mask ? ctx->maxphyaddr_mask : (1ull << 52) - 1;
}

static int fault(struct walk *w, struct walk_result *r, uint32_t why)
{
    const struct paging_ctx *ctx = w->ctx;
    uint32_t pfec = why;

    if ((w->acc & ACC_WRITE) && !(w->acc & ACC_EXEC))
        pfec |= PFEC_W;
    if (w->user)
        pfec |= PFEC_U;
    /* I/D is reported only when fetches can be told apart: SMEP, or
     * PAE/4-level paging with NXE (SDM §4.7). */
    if ((w->acc & ACC_EXEC) &&
        ((ctx->cr4 & CR4_SMEP) || w->xd_enabled))
        pfec |= PFEC_I;
    r->pfec = pfec;
    return -1;
}

static int not_present(struct walk *w, struct walk_result *r)
{
    return fault(w, r, 0);
}

static int reserved(struct walk *w, struct walk_result *r)
{
    return fault(w, r, PFEC_P | PFEC_RSVD);
}

/* Use entry e, stored at pa, in the translation. */
static void visit(struct walk *w, uint64_t pa, uint64_t e)
{
    w->rw = w->rw && (e & PTE_RW);
    w->us = w->us && (e & PTE_US);
    w->xd = w->xd || (w->xd_enabled && (e & PTE_XD));
    w->entry_pa[w->nr_entries++] = pa;
    w->leaf = e;
}

/* May an access of kind ACC_WRITE, ACC_EXEC or 0 (read) go ahead?  §4.6. */
static bool allowed(const struct walk *w, unsigned kind)
{
    const struct paging_ctx *ctx = w->ctx;

    if (w->user) {
        if (!w->us)
            return false;
        if (kind == ACC_EXEC)
            return !w->xd;
        return kind != ACC_WRITE || w->rw;
    }
    if (kind == ACC_EXEC)
        return !w->xd && !(w->us && (ctx->cr4 & CR4_SMEP));
    if (w->us && (ctx->cr4 & CR4_SMAP) &&
        ((w->acc & ACC_IMPLICIT) || !ctx->ac))
        return false;
    return kind != ACC_WRITE || w->rw || !(ctx->cr0 & CR0_WP);
}

static unsigned access_kind(unsigned acc)
{
    return acc & ACC_EXEC ? ACC_EXEC : acc & ACC_WRITE;
}

/* Read-modify-write of an entry: set bits unless already set.  Re-reading
 * keeps an earlier update of the same entry (recursive mappings). */
static void set_entry_bits(struct walk *w, uint64_t pa, uint64_t bits)
{
    uint64_t e = phys_load(w->m, pa, w->entry_size);
    if ((e & bits) != bits)
        phys_store(w->m, pa, w->entry_size, e | bits);
}

static void update_accessed_dirty(struct walk *w)
{
    unsigned leaf = w->nr_entries - 1;
    for (unsigned i = 0; i < w->nr_entries; i++) {
        uint64_t bits = PTE_A;
        if (i == leaf && (w->acc & ACC_WRITE))
            bits |= PTE_D;
        set_entry_bits(w, w->entry_pa[i], bits);
    }
}

/* The translation is complete: check the rights, then set A/D. */
static int finish(struct walk *w, struct walk_result *r, uint64_t pa,
                  uint64_t page_size)
{
    if (!allowed(w, access_kind(w->acc)))
        return fault(w, r, PFEC_P);

    bool set_ad = !(w->acc & ACC_NOSET);
    if (set_ad)
        update_accessed_dirty(w);

    r->pa = pa;
    r->page_size = page_size;
    r->readable = allowed(w, 0);
    r->writable = allowed(w, ACC_WRITE);
    r->executable = allowed(w, ACC_EXEC);
    r->smap = !w->user && w->us && (w->ctx->cr4 & CR4_SMAP);
    r->user = w->us;
    r->nx = w->xd;
    r->dirty = (w->leaf & PTE_D) || (set_ad && (w->acc & ACC_WRITE));
    r->global = (w->leaf & PTE_G) && (w->ctx->cr4 & CR4_PGE);
    return 0;
}

/* ---- 32-bit paging ---------------------------------------------------- */

static int walk_legacy32(struct walk *w, struct walk_result *r)
{
    uint32_t va = (uint32_t)w->va;
    uint64_t pde_pa = (w->ctx->cr3 & 0xfffff000u) | (uint64_t)(va >> 22) << 2;
    uint64_t pde = phys_load(w->m, pde_pa, 4);

    if (!(pde & PTE_P))
        return not_present(w, r);
    if ((pde & PTE_PS) && (w->ctx->cr4 & CR4_PSE)) {
        /* 4 MiB page; PSE-36: PDE bits 20:13 are address bits 39:32. */
        uint64_t base = (pde & 0xffc00000u) | ((pde >> 13) & 0xff) << 32;
        if ((pde & PDE32_PSE_RSVD) || (base & ~w->addr_mask))
            return reserved(w, r);
        visit(w, pde_pa, pde);
        return finish(w, r, base | (va & 0x3fffff), 4u << 20);
    }
    visit(w, pde_pa, pde);

    uint64_t pte_pa = (pde & 0xfffff000u) | (uint64_t)((va >> 12) & 0x3ff) << 2;
    uint64_t pte = phys_load(w->m, pte_pa, 4);
    if (!(pte & PTE_P))
        return not_present(w, r);
    visit(w, pte_pa, pte);
    return finish(w, r, (pte & 0xfffff000u) | (va & 0xfff), PAGE_SIZE);
}

/* ---- PAE and 4-level paging: 8-byte entries ----------------------------- */

enum ps_meaning { PS_RESERVED, PS_LARGE, PS_PAT };

struct pt_level {
    uint8_t shift;          /* lowest va bit this level indexes */
    uint8_t ps;             /* enum ps_meaning */
};

static const struct pt_level levels_4level[] = {
    { 39, PS_RESERVED },    /* PML4E */
    { 30, PS_LARGE },       /* PDPTE: 1 GiB page */
    { 21, PS_LARGE },       /* PDE: 2 MiB page */
    { 12, PS_PAT },         /* PTE */
};

static const struct pt_level levels_pae[] = {
    { 21, PS_LARGE },       /* PDE: 2 MiB page */
    { 12, PS_PAT },         /* PTE */
};

/* Reserved bits common to every present entry of the mode. */
static uint64_t entry_rsvd(const struct walk *w, uint64_t addr_field)
{
    return (addr_field & ~w->addr_mask) | (w->xd_enabled ? 0 : PTE_XD);
}

static int walk_levels(struct walk *w, struct walk_result *r, uint64_t table,
                       const struct pt_level *lv, unsigned nr_levels,
                       uint64_t rsvd)
{
    for (unsigned i = 0; i < nr_levels; i++, lv++) {
        uint64_t pa = table | ((w->va >> lv->shift) & 511) << 3;
        uint64_t e = phys_load(w->m, pa, 8);
        if (!(e & PTE_P))
            return not_present(w, r);

        bool large = lv->ps == PS_LARGE && (e & PTE_PS);
        uint64_t page_size = 1ull << lv->shift;
        uint64_t bad = rsvd;
        if (lv->ps == PS_RESERVED)
            bad |= PTE_PS;
        if (large)  /* bits shift-1..13 (bit 12 is PAT) */
            bad |= (page_size - 1) & ~0x1fffull;
        if (e & bad)
            return reserved(w, r);

        visit(w, pa, e);
        table = e & ADDR_4LEVEL;
        if (large || lv->ps == PS_PAT)
            return finish(w, r, (table & ~(page_size - 1)) |
                                (w->va & (page_size - 1)), page_size);
    }
    return -1;  /* not reached: the last level is always a leaf */
}

static int walk_4level(struct walk *w, struct walk_result *r)
{
    uint64_t pml4 = w->ctx->cr3 & ADDR_4LEVEL & w->addr_mask;
    return walk_levels(w, r, pml4, levels_4level, ARRAY_SIZE(levels_4level),
                       entry_rsvd(w, ADDR_4LEVEL));
}

static uint64_t pdpte_rsvd(uint64_t addr_mask)
{
    return (ADDR_PAE & ~addr_mask) | PTE_XD | PDPTE_PAE_RSVD;
}

static uint64_t pdpt_base(const struct paging_ctx *ctx)
{
    return ctx->cr3 & 0xffffffe0u;
}

static int walk_pae(struct walk *w, struct walk_result *r)
{
    w->va = (uint32_t)w->va;
    /* PDPTEs carry no rights and no accessed flag: they are not visited. */
    uint64_t pdpte = phys_load(w->m, pdpt_base(w->ctx) + (w->va >> 30) * 8, 8);
    if (!(pdpte & PTE_P))
        return not_present(w, r);
    if (pdpte & pdpte_rsvd(w->addr_mask))
        return reserved(w, r);
    return walk_levels(w, r, pdpte & ADDR_4LEVEL, levels_pae,
                       ARRAY_SIZE(levels_pae), entry_rsvd(w, ADDR_PAE));
}

int pt_pae_pdptes(struct mem *m, const struct paging_ctx *ctx,
                  uint64_t pdpte[4])
{
    uint64_t rsvd = pdpte_rsvd(phys_addr_mask(ctx));
    int ret = 0;
    for (unsigned i = 0; i < 4; i++) {
        pdpte[i] = phys_load(m, pdpt_base(ctx) + i * 8, 8);
        if ((pdpte[i] & PTE_P) && (pdpte[i] & rsvd))
            ret = -1;
    }
    return ret;
}

/* ---- entry point -------------------------------------------------------- */

static int no_paging(const struct paging_ctx *ctx, uint64_t va,
                     struct walk_result *r)
{
    r->pa = ctx->efer & EFER_LMA ? va : va & 0xffffffffu;
    r->page_size = PAGE_SIZE;
    r->readable = r->writable = r->executable = true;
    r->user = true;
    r->dirty = true;
    return 0;
}

int pt_walk(struct mem *m, const struct paging_ctx *ctx, uint64_t va,
            unsigned acc, struct walk_result *r)
{
    memset(r, 0, sizeof(*r));
    if (!(ctx->cr0 & CR0_PG))
        return no_paging(ctx, va, r);

    bool pae = ctx->cr4 & CR4_PAE;
    bool long_mode = pae && (ctx->efer & EFER_LMA);
    struct walk w = {
        .m = m,
        .ctx = ctx,
        .va = va,
        .acc = acc,
        .user = (acc & ACC_USER) && !(acc & ACC_IMPLICIT),
        .xd_enabled = pae && (ctx->efer & EFER_NXE),
        .addr_mask = phys_addr_mask(ctx),
        .rw = true,
        .us = true,
        .entry_size = pae ? 8 : 4,
    };
    if (long_mode)
        return walk_4level(&w, r);
    if (pae)
        return walk_pae(&w, r);
    return walk_legacy32(&w, r);
}
