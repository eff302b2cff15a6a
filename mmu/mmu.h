/*
 * mmu/: guest physical memory, port-I/O and MMIO dispatch, page walks for
 * every x86 paging mode, and the software TLB.
 *
 * "Physical" here is the address the CPU puts on its bus after paging: for a
 * bare machine that is guest-physical RAM, for a Xen PV machine it is the
 * machine address (MFN << 12), because PV page tables hold machine frames.
 * mmu/ knows nothing of the CPU's registers or of Xen.
 */
#ifndef XENEMU_MMU_H
#define XENEMU_MMU_H

#include "xenemu/common.h"

#define PAGE_SHIFT 12
#define PAGE_SIZE  4096u
#define PAGE_MASK  (~(uint64_t)(PAGE_SIZE - 1))

/* ---- physical memory ------------------------------------------------- */

/* MMIO callbacks get addr as the offset from the region's base; size is 1, 2,
 * 4 or 8 (an access that straddles a region's edge arrives byte by byte). */
typedef uint64_t (*mmio_read_fn)(void *opaque, uint64_t addr, unsigned size);
typedef void (*mmio_write_fn)(void *opaque, uint64_t addr, unsigned size,
                              uint64_t val);
typedef uint32_t (*pio_read_fn)(void *opaque, uint16_t port, unsigned size);
typedef void (*pio_write_fn)(void *opaque, uint16_t port, unsigned size,
                             uint32_t val);
/* Called when a write lands on a frame that holds cached decoded code. */
typedef void (*code_write_fn)(void *opaque, uint64_t pfn);

struct mmio_region {
    uint64_t base, size;
    mmio_read_fn read;
    mmio_write_fn write;
    void *opaque;
};

/* Per-frame flags in mem.frame_flags[]. */
enum {
    FRAME_CODE = 1u << 0,   /* decoded code cached from this frame */
};

#define MEM_MAX_MMIO 16
#define MEM_MAX_TLBS 256     /* one per vCPU of every domain */

struct tlb;

struct mem {
    uint8_t *ram;             /* ram_size bytes, page aligned */
    void *ram_alloc;          /* what was allocated (ram is aligned within) */
    uint64_t ram_size;        /* multiple of PAGE_SIZE */
    uint64_t nr_frames;
    uint8_t *frame_flags;     /* nr_frames entries */

    struct mmio_region mmio[MEM_MAX_MMIO];
    unsigned nr_mmio;

    /* Port I/O: unclaimed ports read as all-ones and ignore writes. */
    pio_read_fn pio_read;
    pio_write_fn pio_write;
    void *pio_opaque;

    code_write_fn code_write;
    void *code_write_opaque;
    /* More listeners: every CPU over this memory has decoded blocks of
     * its own (mem_add_code_listener). */
    struct { code_write_fn fn; void *opaque; } code_listener[MEM_MAX_TLBS];
    unsigned nr_code_listeners;

    /* TLBs to shoot down when a frame becomes code or changes owner. */
    struct tlb *tlbs[MEM_MAX_TLBS];
    unsigned nr_tlbs;
};

/* Returns 0, or -1 when the memory cannot be allocated or ram_size is not a
 * non-zero multiple of PAGE_SIZE.  RAM starts zeroed. */
int mem_init(struct mem *m, uint64_t ram_size);
void mem_destroy(struct mem *m);
/* Returns 0, or -1 when the table is full, size is 0, or the region would
 * overlap RAM or another region. */
int mem_add_mmio(struct mem *m, uint64_t base, uint64_t size,
                 mmio_read_fn r, mmio_write_fn w, void *opaque);
void mem_register_tlb(struct mem *m, struct tlb *t);
void mem_unregister_tlb(struct mem *m, struct tlb *t);

/* Host pointer to RAM at pa, valid up to the end of its page; NULL when pa
 * is not RAM (MMIO or beyond the end of memory). */
static inline uint8_t *mem_ram_ptr(const struct mem *m, uint64_t pa)
{
    return pa < m->ram_size ? m->ram + pa : NULL;
}

/* Physical loads/stores of 1, 2, 4 or 8 bytes, little-endian, through RAM
 * or MMIO; reads of nothing return all-ones, writes to nothing are dropped.
 * Stores honour code-page tracking. */
uint64_t phys_load(struct mem *m, uint64_t pa, unsigned size);
void phys_store(struct mem *m, uint64_t pa, unsigned size, uint64_t val);
/* Copy to/from physical memory, any length; return 0 or -1 when any part
 * is not RAM. */
int phys_read(struct mem *m, uint64_t pa, void *buf, size_t len);
int phys_write(struct mem *m, uint64_t pa, const void *buf, size_t len);

uint32_t pio_in(struct mem *m, uint16_t port, unsigned size);
void pio_out(struct mem *m, uint16_t port, unsigned size, uint32_t val);

/* Code-page tracking for the decoded-block cache. */
void mem_mark_code(struct mem *m, uint64_t pfn);   /* also drops write TLB entries */
/* Called by the slow write path: clears FRAME_CODE, calls code_write. */
void mem_code_written(struct mem *m, uint64_t pfn);
/* Every listener hears of every write to a code frame. */
void mem_add_code_listener(struct mem *m, code_write_fn fn, void *opaque);
void mem_remove_code_listener(struct mem *m, void *opaque);

/* ---- page walks ------------------------------------------------------- */

/* Paging-structure entry bits (all modes; XD only in PAE/4-level). */
#define PTE_P   (1ull << 0)
#define PTE_RW  (1ull << 1)
#define PTE_US  (1ull << 2)
#define PTE_PWT (1ull << 3)
#define PTE_PCD (1ull << 4)
#define PTE_A   (1ull << 5)
#define PTE_D   (1ull << 6)
#define PTE_PS  (1ull << 7)
#define PTE_G   (1ull << 8)
#define PTE_XD  (1ull << 63)

/* Access kinds (bit flags). */
enum {
    ACC_WRITE  = 1u << 0,
    ACC_USER   = 1u << 1,   /* CPL 3 data/code access */
    ACC_EXEC   = 1u << 2,   /* instruction fetch */
    ACC_IMPLICIT = 1u << 3, /* supervisor-mode implicit access (GDT/IDT/TSS):
                               never a user access even at CPL 3 */
    ACC_NOSET  = 1u << 4,   /* do not set accessed/dirty bits (debugger) */
};

/* Page-fault error code bits (Intel SDM vol. 3 §4.7). */
enum {
    PFEC_P    = 1u << 0,
    PFEC_W    = 1u << 1,
    PFEC_U    = 1u << 2,
    PFEC_RSVD = 1u << 3,
    PFEC_I    = 1u << 4,
    PFEC_PK   = 1u << 5,
};

/* Control-register bits the walker needs. */
#define CR0_WP   (1ull << 16)
#define CR0_PG   (1ull << 31)
#define CR4_PSE  (1ull << 4)
#define CR4_PAE  (1ull << 5)
#define CR4_PGE  (1ull << 7)
#define CR4_SMEP (1ull << 20)
#define CR4_SMAP (1ull << 21)
#define EFER_LME (1ull << 8)
#define EFER_LMA (1ull << 10)
#define EFER_NXE (1ull << 11)

/* The paging-relevant part of the CPU state, filled by the CPU. */
struct paging_ctx {
    uint64_t cr0, cr3, cr4, efer;
    bool ac;                 /* RFLAGS.AC, for SMAP */
    uint64_t maxphyaddr_mask;/* (1 << MAXPHYADDR) - 1; 0 means 52 bits */
};

struct walk_result {
    uint64_t pa;             /* physical address of va */
    uint64_t page_size;      /* 4 KiB, 2 MiB, 4 MiB or 1 GiB */
    bool readable;           /* data reads allowed for this access's
                                privilege (and kind: implicit or not) */
    bool writable;           /* writes allowed for this access's privilege */
    bool executable;         /* fetches allowed for this access's privilege */
    bool smap;               /* supervisor access to a user page under
                                CR4.SMAP: depends on RFLAGS.AC, never cache */
    bool user;               /* user accessible (U/S set at every level) */
    bool nx;                 /* execute disabled */
    bool dirty;              /* leaf D bit set (after this walk) */
    bool global;             /* leaf G bit set and CR4.PGE */
    uint32_t pfec;           /* on fault: page-fault error code */
};

/* Translate va for an access of kind acc.  Returns 0 and fills *r, or -1 with
 * r->pfec set to the #PF error code.  Sets A (and D for writes) unless
 * ACC_NOSET.  With CR0.PG clear, pa = va (truncated to 32 bits unless the
 * caller passes a long-mode context). */
int pt_walk(struct mem *m, const struct paging_ctx *ctx, uint64_t va,
            unsigned acc, struct walk_result *r);

/* PAE paging: load the four PDPTEs that CR3 points at.  Returns -1 when a
 * present one sets a reserved bit (MOV to CR0/CR3/CR4 must then #GP).  The
 * walker itself reads the PDPTEs from memory on every walk. */
int pt_pae_pdptes(struct mem *m, const struct paging_ctx *ctx,
                  uint64_t pdpte[4]);

/* ---- software TLB ----------------------------------------------------- */

#define TLB_BITS 10
#define TLB_SIZE (1u << TLB_BITS)
#define TLB_INVALID ((uint64_t)1)   /* never equals a page-aligned tag */

/*
 * One direct-mapped TLB per privilege (0: supervisor, 1: user).  A tag equals
 * the page-aligned virtual address when that access kind may take the fast
 * path straight to host memory; otherwise it is TLB_INVALID and the access
 * goes through the slow path (walk, fault, A/D update, MMIO, code tracking).
 */
struct tlb_entry {
    uint64_t tag_read, tag_write, tag_exec;
    uint8_t *host;           /* host pointer to the start of the page */
    uint64_t pa;             /* physical page address */
    bool global;
};

/* A TLB must be emptied with tlb_flush_all() before its first use. */
struct tlb {
    struct tlb_entry e[2][TLB_SIZE];
    /* Aligned region covering every large page installed (in 4 KiB pieces):
     * INVLPG inside it flushes everything.  large_addr is TLB_INVALID when
     * there is none. */
    uint64_t large_addr, large_mask;
};

static inline struct tlb_entry *tlb_entry_for(struct tlb *t, int user,
                                              uint64_t va)
{
    return &t->e[user][(va >> PAGE_SHIFT) & (TLB_SIZE - 1)];
}

void tlb_flush_all(struct tlb *t);
void tlb_flush_nonglobal(struct tlb *t);
void tlb_flush_page(struct tlb *t, uint64_t va);      /* INVLPG semantics */
/* Drop fast-path writes to physical page pa (code tracking). */
void tlb_flush_phys_writes(struct tlb *t, uint64_t pa);
/* Install a translation from a successful walk for access kind acc (the 4 KiB
 * piece holding va) in the user table for ACC_USER accesses, the supervisor
 * table otherwise (ACC_IMPLICIT too).  A walk made with ACC_NOSET is not
 * installed.  Tags bake in CR0.WP, CR4.SMEP/SMAP and EFER.NXE: flush all
 * when those change. */
void tlb_fill(struct tlb *t, struct mem *m, uint64_t va, unsigned acc,
              const struct walk_result *r);

#endif
