/* Paging: info pagetable (the walk for one address, every level's entry
 * and flags, and on the PV machine each frame as Xen sees it) and info
 * tlb. */
#include <stdio.h>
#include <string.h>
#include "xenemu/le.h"
#include "monitor/mon.h"
#include "xenplat/xen.h"

typedef unsigned long long ull;

#define ADDR_MASK 0x000ffffffffff000ull

static const char *const pgt_names[8] = {
    "no type", "l1_page_table", "l2_page_table", "l3_page_table",
    "l4_page_table", "seg_desc_page", "type 6", "writable_page",
};

/* What Xen knows of a machine frame (PV machine only). */
static void frame_note(struct monitor *m, uint64_t mfn)
{
    struct xen *x = m->d->x;
    const struct page_info *pg;

    if (!x)
        return;
    pg = mfn_page(x, mfn);
    if (!pg) {
        fprintf(m->out, " (mfn 0x%llx: beyond machine memory)", (ull)mfn);
        return;
    }
    if (pg->owner == DOMID_INVALID) {
        fprintf(m->out, " (mfn 0x%llx: free)", (ull)mfn);
        return;
    }
    if (pg->owner == DOMID_XEN)
        fprintf(m->out, " (mfn 0x%llx: Xen's", (ull)mfn);
    else
        fprintf(m->out, " (mfn 0x%llx = pfn 0x%llx of d%u", (ull)mfn,
                (ull)m2p_get(x, mfn), pg->owner);
    fprintf(m->out, ", %s%s%s, type refs %u, refs %u)", pgt_names[pg->type & 7],
            (pg->flags & PGF_pinned) ? ", pinned" : "",
            (pg->flags & PGF_validated) ? ", validated" : "",
            pg->type_count, pg->count);
}

static void entry_flags(struct monitor *m, uint64_t e, bool leaf, bool large,
                        bool wide)
{
    static const struct { unsigned bit; const char *name; } bits[] = {
        { 0, "P" }, { 1, "RW" }, { 2, "US" }, { 3, "PWT" }, { 4, "PCD" },
        { 5, "A" }, { 6, "D" }, { 8, "G" },
    };

    for (size_t i = 0; i < ARRAY_SIZE(bits); i++) {
        bool set = (e >> bits[i].bit) & 1;
        if ((bits[i].bit == 6 || bits[i].bit == 8) && !leaf)
            continue;
        fprintf(m->out, " %s%s", set ? "" : "-", bits[i].name);
    }
    if (large)
        fprintf(m->out, " PS%s", (e >> 12) & 1 ? " PAT" : "");
    else if (leaf)
        fprintf(m->out, "%s", (e >> 7) & 1 ? " PAT" : "");
    else if ((e >> 7) & 1)
        fprintf(m->out, " PS");
    if ((e >> 9) & 7)
        fprintf(m->out, " avail=%llu", (ull)(e >> 9) & 7);
    if (wide) {
        if ((e >> 52) & 0x7ff)
            fprintf(m->out, " high=0x%llx", (ull)(e >> 52) & 0x7ff);
        fprintf(m->out, "%s", (e >> 63) ? " NX" : "");
    }
}

struct walk_level {
    const char *name;
    unsigned shift, index_bits;
};

static int walk(struct monitor *m, struct dbg_vcpu *dv, uint64_t va)
{
    static const struct walk_level lm[] = {
        { "L4", 39, 9 }, { "L3", 30, 9 }, { "L2", 21, 9 }, { "L1", 12, 9 },
    };
    static const struct walk_level pae[] = {
        { "PDPT", 30, 2 }, { "L2", 21, 9 }, { "L1", 12, 9 },
    };
    static const struct walk_level legacy[] = {
        { "L2", 22, 10 }, { "L1", 12, 10 },
    };
    struct cpu *c = dv->cpu;
    const struct walk_level *lv;
    unsigned n, esize;
    uint64_t table, e = 0;
    bool user = true, writable = true, nx = false;

    if (c->efer & EFER_LMA) {
        if ((uint64_t)((int64_t)(va << 16) >> 16) != va) {
            mon_error(m, "info pagetable", "0x%llx is not canonical",
                      (ull)va);
            return MON_ERROR;
        }
        lv = lm, n = 4, esize = 8, table = c->cr3 & ADDR_MASK;
    } else if (c->cr4 & CR4_PAE) {
        lv = pae, n = 3, esize = 8, table = c->cr3 & 0xffffffe0ull;
    } else {
        lv = legacy, n = 2, esize = 4, table = c->cr3 & 0xfffff000ull;
    }
    fprintf(m->out, "walk of 0x%llx, CR3 0x%llx (%s paging)\n", (ull)va,
            (ull)c->cr3, n == 4 ? "4-level" : n == 3 ? "PAE" : "32-bit");
    for (unsigned i = 0; i < n; i++) {
        unsigned idx = (unsigned)(va >> lv[i].shift) & ((1u << lv[i].index_bits) - 1);
        uint64_t at = table + (uint64_t)idx * esize;
        bool last = i == n - 1, large;
        uint8_t b[8];

        if (dbg_read_phys(dv, at, b, esize)) {
            mon_error(m, "info pagetable", "the %s table at 0x%llx is not "
                      "RAM", lv[i].name, (ull)(table));
            return MON_ERROR;
        }
        e = esize == 8 ? le64_load(b) : le32_load(b);
        large = !last && (e & PTE_PS) && !(n == 3 && i == 0) &&
                (n != 2 || (c->cr4 & CR4_PSE));
        fprintf(m->out, "%-4s[%3u] at 0x%llx = 0x%0*llx", lv[i].name, idx,
                (ull)at, (int)esize * 2, (ull)e);
        entry_flags(m, e, last || large, large, esize == 8);
        frame_note(m, table >> PAGE_SHIFT);
        fputc('\n', m->out);
        if (!(e & PTE_P)) {
            fprintf(m->out, "not present: 0x%llx is not mapped\n", (ull)va);
            return MON_OK;
        }
        if (!(n == 3 && i == 0)) {
            user = user && (e & PTE_US);
            writable = writable && (e & PTE_RW);
        }
        nx = nx || (esize == 8 && (e >> 63));
        if (large || last) {
            uint64_t size = 1ull << lv[i].shift;
            uint64_t frame = (esize == 8 ? e & ADDR_MASK : e & 0xfffff000ull)
                             & ~(size - 1);
            if (n == 2 && large)
                frame |= ((e >> 13) & 0xff) << 32;
            fprintf(m->out, "-> physical 0x%llx, a %s page at 0x%llx; %s, "
                    "%s, %s", (ull)(frame | (va & (size - 1))),
                    size == (1ull << 30) ? "1 GiB" : size == (1ull << 22)
                    ? "4 MiB" : size == (1ull << 21) ? "2 MiB" : "4 KiB",
                    (ull)frame, user ? "user" : "supervisor only",
                    writable ? "writable" : "read-only",
                    nx && (c->efer & EFER_NXE) ? "not executable"
                                               : "executable");
            frame_note(m, frame >> PAGE_SHIFT);
            fputc('\n', m->out);
            return MON_OK;
        }
        table = esize == 8 ? e & ADDR_MASK : e & 0xfffff000ull;
    }
    return MON_OK;
}

int info_pagetable(struct monitor *m, const char *args)
{
    struct dbg_vcpu *dv = mon_vcpu(m, "info pagetable");
    uint64_t va;

    if (!dv)
        return MON_ERROR;
    if (!*args) {
        mon_error(m, "info pagetable", "which address?");
        return MON_ERROR;
    }
    if (mon_eval(m, "info pagetable", args, &va))
        return MON_ERROR;
    if (!(dv->cpu->cr0 & CR0_PG)) {
        fprintf(m->out, "paging is off: 0x%llx is physical 0x%llx\n",
                (ull)va, (ull)va);
        return MON_OK;
    }
    return walk(m, dv, va);
}

int info_tlb(struct monitor *m, const char *args)
{
    struct dbg_vcpu *dv = mon_vcpu(m, "info tlb");
    unsigned n = 0;

    (void)args;
    if (!dv)
        return MON_ERROR;
    for (int user = 0; user < 2; user++)
        for (unsigned i = 0; i < TLB_SIZE; i++) {
            const struct tlb_entry *e = &dv->cpu->tlb.e[user][i];
            uint64_t va = e->tag_read != TLB_INVALID ? e->tag_read
                        : e->tag_write != TLB_INVALID ? e->tag_write
                        : e->tag_exec;
            if (va == TLB_INVALID)
                continue;
            fprintf(m->out, "%s [%3u] 0x%016llx -> 0x%llx %s%s%s%s\n",
                    user ? "user" : "sup ", i, (ull)va, (ull)e->pa,
                    e->tag_read != TLB_INVALID ? "r" : "-",
                    e->tag_write != TLB_INVALID ? "w" : "-",
                    e->tag_exec != TLB_INVALID ? "x" : "-",
                    e->global ? " global" : "");
            n++;
        }
    fprintf(m->out, "%u valid entr%s (r w x: fast paths for reads, writes, "
            "fetches)\n", n, n == 1 ? "y" : "ies");
    return MON_OK;
}
