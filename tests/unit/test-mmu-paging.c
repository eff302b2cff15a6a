/*
 * mmu/ page walks and TLB: translation in every paging mode, the exact #PF
 * error code of every fault (Intel SDM vol. 3 §4.6-4.7), accessed/dirty
 * updates (§4.8) and the fast-path tags the TLB hands out.
 */
#include <stdio.h>
#include <string.h>

#include "mmu/mmu.h"
#include "xenemu/le.h"
#include "unit.h"

#define RAM_SIZE (4u << 20)

static struct mem m;
static struct tlb t;

static void fresh_mem(void)
{
    mem_destroy(&m);
    CU_ASSERT_FATAL(mem_init(&m, RAM_SIZE) == 0);
    tlb_flush_all(&t);
}

static int cleanup(void)
{
    mem_destroy(&m);
    return 0;
}

/* Page-table entries are written straight into RAM, not via phys_store. */
static void put64(uint64_t pa, uint64_t v) { le64_store(m.ram + pa, v); }
static uint64_t get64(uint64_t pa) { return le64_load(m.ram + pa); }
static void put32(uint64_t pa, uint32_t v) { le32_store(m.ram + pa, v); }
static uint32_t get32(uint64_t pa) { return le32_load(m.ram + pa); }

#define URW (PTE_P | PTE_RW | PTE_US)   /* user read/write */
#define URO (PTE_P | PTE_US)            /* user read-only */
#define SRW (PTE_P | PTE_RW)            /* supervisor read/write */
#define SRO (PTE_P)                     /* supervisor read-only */
#define XD  PTE_XD

#define MASK40 ((1ull << 40) - 1)
#define MASK36 ((1ull << 36) - 1)

/* ---- 4-level paging fixture ----------------------------------------------- */

enum { PML4 = 0x1000, PDPT = 0x2000, PD = 0x3000, PT = 0x4000, DATA = 0x10000 };

/* 0xffffff80'40605abc: PML4 511, PDPT 1, PD 3, PT 5, offset 0xabc. */
static const uint64_t VA4 = 0xffffff8040605abcull;

static uint64_t slot(uint64_t table, uint64_t va, unsigned shift)
{
    return table + ((va >> shift) & 511) * 8;
}

/* Map va to DATA with the given flags for PML4E, PDPTE, PDE and PTE. */
static void map4(uint64_t va, const uint64_t fl[4])
{
    put64(slot(PML4, va, 39), PDPT | fl[0]);
    put64(slot(PDPT, va, 30), PD | fl[1]);
    put64(slot(PD, va, 21), PT | fl[2]);
    put64(slot(PT, va, 12), DATA | fl[3]);
}

static struct paging_ctx ctx4(void)
{
    return (struct paging_ctx){
        .cr0 = CR0_PG | CR0_WP, .cr3 = PML4, .cr4 = CR4_PAE,
        .efer = EFER_LME | EFER_LMA | EFER_NXE, .maxphyaddr_mask = MASK40,
    };
}

/* ---- translation in each mode -------------------------------------------- */

static void test_no_paging(void)
{
    struct paging_ctx c = { .cr0 = 0, .maxphyaddr_mask = MASK40 };
    struct walk_result r;
    fresh_mem();
    CU_ASSERT_EQUAL(pt_walk(&m, &c, 0x123456789abcull, ACC_WRITE | ACC_USER, &r), 0);
    CU_ASSERT_EQUAL(r.pa, 0x56789abcull);
    CU_ASSERT_EQUAL(r.page_size, PAGE_SIZE);
    CU_ASSERT(r.readable && r.writable && r.executable && r.dirty && r.user);
    CU_ASSERT(!r.nx && !r.global && !r.smap);
    c.efer = EFER_LMA;
    CU_ASSERT_EQUAL(pt_walk(&m, &c, 0x123456789abcull, 0, &r), 0);
    CU_ASSERT_EQUAL(r.pa, 0x123456789abcull);
}

static void test_4level_4k(void)
{
    static const uint64_t fl[4] = { URW, URW, URW, URW };
    struct paging_ctx c = ctx4();
    struct walk_result r;
    fresh_mem();
    map4(VA4, fl);
    /* The index arithmetic, spelled out once. */
    CU_ASSERT_EQUAL(slot(PML4, VA4, 39), PML4 + 511 * 8);
    CU_ASSERT_EQUAL(slot(PD, VA4, 21), PD + 3 * 8);

    CU_ASSERT_EQUAL(pt_walk(&m, &c, VA4, ACC_USER, &r), 0);
    CU_ASSERT_EQUAL(r.pa, DATA + 0xabc);
    CU_ASSERT_EQUAL(r.page_size, PAGE_SIZE);
    CU_ASSERT(r.user && r.readable && r.writable && r.executable);
    CU_ASSERT(!r.nx && !r.dirty && !r.global && !r.smap);

    /* A neighbouring page has no PTE. */
    CU_ASSERT_EQUAL(pt_walk(&m, &c, VA4 + PAGE_SIZE, ACC_USER, &r), -1);
    CU_ASSERT_EQUAL(r.pfec, PFEC_U);
    /* PTE bits 62:52 are ignored in 4-level paging. */
    put64(slot(PT, VA4, 12), DATA | URW | 0x7ff0000000000000ull);
    CU_ASSERT_EQUAL(pt_walk(&m, &c, VA4, 0, &r), 0);
    CU_ASSERT_EQUAL(r.pa, DATA + 0xabc);
}

static void test_4level_large_pages(void)
{
    struct paging_ctx c = ctx4();
    struct walk_result r;
    fresh_mem();
    const uint64_t va2m = 0x0000000040400000ull + 0x12345;  /* PD index 2 */
    put64(slot(PML4, va2m, 39), PDPT | URW);
    put64(slot(PDPT, va2m, 30), PD | URW);
    put64(slot(PD, va2m, 21), 0x123400000ull | PTE_PS | PTE_G | URW | 0x1000);
    CU_ASSERT_EQUAL(pt_walk(&m, &c, va2m, 0, &r), 0);
    CU_ASSERT_EQUAL(r.pa, 0x123400000ull + 0x12345);  /* PAT bit 12 dropped */
    CU_ASSERT_EQUAL(r.page_size, 2u << 20);
    CU_ASSERT(!r.global);            /* G without CR4.PGE */
    c.cr4 |= CR4_PGE;
    CU_ASSERT_EQUAL(pt_walk(&m, &c, va2m, 0, &r), 0);
    CU_ASSERT(r.global);

    const uint64_t va1g = 0x00000000c0000000ull + 0x2345678;  /* PDPT index 3 */
    put64(slot(PDPT, va1g, 30), 0x8c0000000ull | PTE_PS | URW);
    CU_ASSERT_EQUAL(pt_walk(&m, &c, va1g, ACC_WRITE, &r), 0);
    CU_ASSERT_EQUAL(r.pa, 0x8c0000000ull + 0x2345678);
    CU_ASSERT_EQUAL(r.page_size, 1u << 30);
    CU_ASSERT(r.dirty);
    CU_ASSERT_EQUAL(get64(slot(PDPT, va1g, 30)) & (PTE_A | PTE_D), PTE_A | PTE_D);
}

/* Reserved bits in 4-level paging: all give P|RSVD plus the access bits. */
static void test_4level_reserved(void)
{
    static const uint64_t fl[4] = { URW, URW, URW, URW };
    struct paging_ctx c = ctx4();
    struct walk_result r;
    const uint64_t pte = slot(PT, VA4, 12), pde = slot(PD, VA4, 21);
    const uint64_t pdpte = slot(PDPT, VA4, 30), pml4e = slot(PML4, VA4, 39);
    fresh_mem();

    map4(VA4, fl);
    put64(pml4e, PDPT | URW | PTE_PS);          /* PS is reserved in a PML4E */
    CU_ASSERT_EQUAL(pt_walk(&m, &c, VA4, 0, &r), -1);
    CU_ASSERT_EQUAL(r.pfec, PFEC_P | PFEC_RSVD);

    map4(VA4, fl);
    put64(pte, DATA | URW | (1ull << 40));      /* above MAXPHYADDR = 40 */
    CU_ASSERT_EQUAL(pt_walk(&m, &c, VA4, ACC_USER | ACC_WRITE, &r), -1);
    CU_ASSERT_EQUAL(r.pfec, PFEC_P | PFEC_RSVD | PFEC_W | PFEC_U);
    c.maxphyaddr_mask = 0;                      /* 0 means 52 bits */
    put64(pte, DATA | URW | (1ull << 51));
    CU_ASSERT_EQUAL(pt_walk(&m, &c, VA4, 0, &r), 0);
    CU_ASSERT_EQUAL(r.pa, (1ull << 51) + DATA + 0xabc);
    c.maxphyaddr_mask = MASK40;

    map4(VA4, fl);
    put64(pdpte, PD | URW | (1ull << 45));      /* in a non-leaf entry too */
    CU_ASSERT_EQUAL(pt_walk(&m, &c, VA4, ACC_EXEC, &r), -1);
    CU_ASSERT_EQUAL(r.pfec, PFEC_P | PFEC_RSVD | PFEC_I);

    map4(VA4, fl);
    put64(pde, 0x200000 | PTE_PS | URW | (1ull << 13));  /* 2 MiB: 20:13 */
    CU_ASSERT_EQUAL(pt_walk(&m, &c, VA4, 0, &r), -1);
    CU_ASSERT_EQUAL(r.pfec, PFEC_P | PFEC_RSVD);
    put64(pde, 0x200000 | PTE_PS | URW | (1ull << 20));
    CU_ASSERT_EQUAL(pt_walk(&m, &c, VA4, 0, &r), -1);
    CU_ASSERT_EQUAL(r.pfec, PFEC_P | PFEC_RSVD);
    put64(pde, PT | URW | (1ull << 13));        /* no PS: an address bit */
    CU_ASSERT_EQUAL(pt_walk(&m, &c, VA4, 0, &r), -1);
    CU_ASSERT_EQUAL(r.pfec, 0);  /* that table (0x6000) holds no entry */

    map4(VA4, fl);
    put64(pdpte, 0x40000000 | PTE_PS | URW | (1ull << 29));  /* 1 GiB: 29:13 */
    CU_ASSERT_EQUAL(pt_walk(&m, &c, VA4, 0, &r), -1);
    CU_ASSERT_EQUAL(r.pfec, PFEC_P | PFEC_RSVD);
    put64(pdpte, 0x40000000 | PTE_PS | URW | (1ull << 13));
    CU_ASSERT_EQUAL(pt_walk(&m, &c, VA4, ACC_USER, &r), -1);
    CU_ASSERT_EQUAL(r.pfec, PFEC_P | PFEC_RSVD | PFEC_U);
    put64(pdpte, 0x40000000 | PTE_PS | URW | (1ull << 12));  /* PAT: fine */
    CU_ASSERT_EQUAL(pt_walk(&m, &c, VA4, 0, &r), 0);
    CU_ASSERT_EQUAL(r.pa, 0x40000000 + (VA4 & 0x3fffffff));
    /* Only the entries the (last, successful) walk used are accessed. */
    CU_ASSERT_EQUAL(get64(pml4e) & PTE_A, PTE_A);
    CU_ASSERT_EQUAL(get64(pte) & PTE_A, 0);
}

/* ---- access rights and error codes: one row per case ------------------ */

struct rights_case {
    const char *what;
    uint64_t fl[4];       /* PML4E, PDPTE, PDE, PTE flags */
    unsigned acc;
    uint64_t cr0, cr4, efer;   /* on top of PG, PAE, LME|LMA */
    bool ac;
    int ret;
    uint32_t pfec;
};

#define U ACC_USER
#define W ACC_WRITE
#define X ACC_EXEC
#define IMP ACC_IMPLICIT
#define WP CR0_WP
#define NXE EFER_NXE
#define SMEP CR4_SMEP
#define SMAP CR4_SMAP
#define PP PFEC_P
#define PW PFEC_W
#define PU PFEC_U
#define PI PFEC_I
#define PR PFEC_RSVD

static const struct rights_case rights_cases[] = {
    { "user read",                 { URW, URW, URW, URW }, U,     WP, 0, NXE, 0, 0, 0 },
    { "user write",                { URW, URW, URW, URW }, U | W, WP, 0, NXE, 0, 0, 0 },
    { "user fetch",                { URW, URW, URW, URW }, U | X, WP, 0, NXE, 0, 0, 0 },
    { "user write, ro PTE",        { URW, URW, URW, URO }, U | W, 0, 0, NXE, 0, -1, PP | PW | PU },
    { "user write, ro PDPTE",      { URW, URO, URW, URW }, U | W, 0, 0, NXE, 0, -1, PP | PW | PU },
    { "user write, ro PML4E",      { URO, URW, URW, URW }, U | W, WP, 0, NXE, 0, -1, PP | PW | PU },
    { "user read, ro PTE",         { URW, URW, URW, URO }, U,     WP, 0, NXE, 0, 0, 0 },
    { "sup write, ro PTE, WP=1",   { URW, URW, URW, URO }, W,     WP, 0, NXE, 0, -1, PP | PW },
    { "sup write, ro PDE, WP=1",   { URW, URW, URO, URW }, W,     WP, 0, NXE, 0, -1, PP | PW },
    { "sup write, ro PTE, WP=0",   { URW, URW, URW, URO }, W,     0, 0, NXE, 0, 0, 0 },
    { "sup write, ro sup, WP=0",   { SRW, SRW, SRW, SRO }, W,     0, 0, NXE, 0, 0, 0 },
    { "sup write, ro sup, WP=1",   { SRW, SRW, SRW, SRO }, W,     WP, 0, NXE, 0, -1, PP | PW },
    { "user read, sup PTE",        { URW, URW, URW, SRW }, U,     WP, 0, NXE, 0, -1, PP | PU },
    { "user read, sup PML4E",      { SRW, URW, URW, URW }, U,     WP, 0, NXE, 0, -1, PP | PU },
    { "user write, sup PDPTE",     { URW, SRW, URW, URW }, U | W, WP, 0, NXE, 0, -1, PP | PW | PU },
    { "user fetch, sup PDE",       { URW, URW, SRW, URW }, U | X, WP, 0, NXE, 0, -1, PP | PU | PI },
    { "sup read, sup page",        { SRW, SRW, SRW, SRW }, 0,     WP, 0, NXE, 0, 0, 0 },
    { "implicit at CPL3, sup page",{ SRW, SRW, SRW, SRW }, U | IMP, WP, 0, NXE, 0, 0, 0 },
    { "implicit write at CPL3, ro",{ SRW, SRW, SRW, SRO }, U | IMP | W, WP, 0, NXE, 0, -1, PP | PW },
    { "sup fetch, XD PTE",         { URW, URW, URW, URW | XD }, X, WP, 0, NXE, 0, -1, PP | PI },
    { "user fetch, XD PML4E",      { URW | XD, URW, URW, URW }, U | X, WP, 0, NXE, 0, -1, PP | PU | PI },
    { "read, XD page",             { URW, URW, URW, URW | XD }, 0, WP, 0, NXE, 0, 0, 0 },
    { "write, XD page",            { URW, URW, URW, URW | XD }, W, WP, 0, NXE, 0, 0, 0 },
    { "XD without NXE: read",      { URW, URW, URW, URW | XD }, 0, WP, 0, 0, 0, -1, PP | PR },
    { "XD without NXE: fetch",     { URW, URW, URW, URW | XD }, X, WP, 0, 0, 0, -1, PP | PR },
    { "XD without NXE: user write",{ URW, URW | XD, URW, URW }, U | W, WP, 0, 0, 0, -1, PP | PR | PW | PU },
    { "SMEP: sup fetch, user page",{ URW, URW, URW, URW }, X,     WP, SMEP, NXE, 0, -1, PP | PI },
    { "SMEP without NXE",          { URW, URW, URW, URW }, X,     WP, SMEP, 0, 0, -1, PP | PI },
    { "SMEP: sup fetch, sup page", { URW, URW, URW, SRW }, X,     WP, SMEP, NXE, 0, 0, 0 },
    { "SMEP: sup read, user page", { URW, URW, URW, URW }, 0,     WP, SMEP, NXE, 0, 0, 0 },
    { "SMEP: user fetch",          { URW, URW, URW, URW }, U | X, WP, SMEP, NXE, 0, 0, 0 },
    { "no SMEP: sup fetch, user",  { URW, URW, URW, URW }, X,     WP, 0, NXE, 0, 0, 0 },
    { "SMAP: sup read, AC=0",      { URW, URW, URW, URW }, 0,     WP, SMAP, NXE, 0, -1, PP },
    { "SMAP: sup read, AC=1",      { URW, URW, URW, URW }, 0,     WP, SMAP, NXE, 1, 0, 0 },
    { "SMAP: sup write, AC=0",     { URW, URW, URW, URW }, W,     WP, SMAP, NXE, 0, -1, PP | PW },
    { "SMAP: sup write, AC=1",     { URW, URW, URW, URW }, W,     WP, SMAP, NXE, 1, 0, 0 },
    { "SMAP: AC=1, ro, WP=1",      { URW, URW, URW, URO }, W,     WP, SMAP, NXE, 1, -1, PP | PW },
    { "SMAP: AC=1, ro, WP=0",      { URW, URW, URW, URO }, W,     0, SMAP, NXE, 1, 0, 0 },
    { "SMAP: implicit, AC=1",      { URW, URW, URW, URW }, IMP,   WP, SMAP, NXE, 1, -1, PP },
    { "SMAP: implicit at CPL3",    { URW, URW, URW, URW }, U | IMP, WP, SMAP, NXE, 1, -1, PP },
    { "SMAP: sup read, sup page",  { URW, URW, URW, SRW }, 0,     WP, SMAP, NXE, 0, 0, 0 },
    { "SMAP: user read",           { URW, URW, URW, URW }, U,     WP, SMAP, NXE, 0, 0, 0 },
    { "SMAP: sup fetch, user page",{ URW, URW, URW, URW }, X,     WP, SMAP, NXE, 0, 0, 0 },
    { "not present PML4E, read",   { 0, URW, URW, URW },   0,     WP, 0, NXE, 0, -1, 0 },
    { "not present PDPTE, write",  { URW, 0, URW, URW },   W,     WP, 0, NXE, 0, -1, PW },
    { "not present PDE, user",     { URW, URW, 0, URW },   U,     WP, 0, NXE, 0, -1, PU },
    { "not present PTE, user wr",  { URW, URW, URW, 0 },   U | W, WP, 0, NXE, 0, -1, PW | PU },
    { "not present PTE, fetch",    { URW, URW, URW, 0 },   X,     WP, 0, NXE, 0, -1, PI },
    { "not present, fetch, no NXE",{ URW, URW, URW, 0 },   X,     WP, 0, 0, 0, -1, 0 },
    { "not present, fetch, SMEP",  { URW, URW, URW, 0 },   X,     WP, SMEP, 0, 0, -1, PI },
    { "not present beats rsvd",    { URW, URW, URW, XD | PTE_PS | 6 }, 0, WP, 0, 0, 0, -1, 0 },
    { "rsvd above not present",    { URW | XD, URW, URW, 0 }, U,  WP, 0, 0, 0, -1, PP | PR | PU },
    { "user write ro, WP=0",       { URW, URW, URW, URO }, U | W, 0, 0, NXE, 0, -1, PP | PW | PU },
};

static void test_rights_and_error_codes(void)
{
    for (unsigned i = 0; i < ARRAY_SIZE(rights_cases); i++) {
        const struct rights_case *rc = &rights_cases[i];
        struct paging_ctx c = {
            .cr0 = CR0_PG | rc->cr0, .cr3 = PML4, .cr4 = CR4_PAE | rc->cr4,
            .efer = EFER_LME | EFER_LMA | rc->efer, .ac = rc->ac,
            .maxphyaddr_mask = MASK40,
        };
        struct walk_result r;
        fresh_mem();
        map4(VA4, rc->fl);
        int ret = pt_walk(&m, &c, VA4, rc->acc, &r);
        CU_ASSERT_EQUAL(ret, rc->ret);
        if (ret == -1)
            CU_ASSERT_EQUAL(r.pfec, rc->pfec);
        if (ret != rc->ret || (ret == -1 && r.pfec != rc->pfec))
            fprintf(stderr, "\n  case '%s': got %d pfec %#x, want %d pfec %#x\n",
                    rc->what, ret, ret ? r.pfec : 0, rc->ret, rc->pfec);
        if (ret == 0)
            CU_ASSERT_EQUAL(r.pa, DATA + 0xabc);
    }
}

/* What a successful walk says the privilege may do (for the TLB). */
static void test_walk_result_rights(void)
{
    static const uint64_t user_ro[4] = { URW, URW, URW, URO | XD };
    static const uint64_t sup_rw[4] = { URW, SRW, URW, URW };
    struct paging_ctx c = ctx4();
    struct walk_result r;
    fresh_mem();

    map4(VA4, user_ro);
    CU_ASSERT_EQUAL(pt_walk(&m, &c, VA4, ACC_USER, &r), 0);
    CU_ASSERT(r.readable && !r.writable && !r.executable && r.user && r.nx);
    CU_ASSERT_EQUAL(pt_walk(&m, &c, VA4, 0, &r), 0);
    CU_ASSERT(r.readable && !r.writable && !r.executable && !r.smap);
    c.cr0 &= ~CR0_WP;
    CU_ASSERT_EQUAL(pt_walk(&m, &c, VA4, 0, &r), 0);
    CU_ASSERT(r.writable);
    c.cr4 |= CR4_SMAP;
    c.ac = true;
    CU_ASSERT_EQUAL(pt_walk(&m, &c, VA4, 0, &r), 0);
    CU_ASSERT(r.readable && r.writable && r.smap);
    CU_ASSERT_EQUAL(pt_walk(&m, &c, VA4, ACC_USER, &r), 0);
    CU_ASSERT(!r.smap);

    map4(VA4, sup_rw);
    c = ctx4();
    c.cr4 |= CR4_SMEP | CR4_SMAP;
    CU_ASSERT_EQUAL(pt_walk(&m, &c, VA4, 0, &r), 0);
    CU_ASSERT(r.readable && r.writable && r.executable && !r.user && !r.smap);
    CU_ASSERT_EQUAL(pt_walk(&m, &c, VA4, ACC_USER, &r), -1);
}

/* ---- 32-bit paging --------------------------------------------------------- */

enum { PD32 = 0x1000, PT32 = 0x2000 };

static struct paging_ctx ctx32(void)
{
    return (struct paging_ctx){ .cr0 = CR0_PG | CR0_WP, .cr3 = PD32,
                                .maxphyaddr_mask = MASK36 };
}

static void test_legacy32_4k(void)
{
    struct paging_ctx c = ctx32();
    struct walk_result r;
    const uint64_t va = 0x00403abc;   /* PDE 1, PTE 3 */
    fresh_mem();
    put32(PD32 + 1 * 4, PT32 | URW);
    put32(PT32 + 3 * 4, 0x7000 | URW | PTE_G);
    c.cr3 |= 0xffffffff00000018ull;  /* upper half and low bits ignored */

    CU_ASSERT_EQUAL(pt_walk(&m, &c, va, ACC_USER | ACC_WRITE, &r), 0);
    CU_ASSERT_EQUAL(r.pa, 0x7abc);
    CU_ASSERT_EQUAL(r.page_size, PAGE_SIZE);
    CU_ASSERT(r.user && r.writable && r.executable && r.dirty && !r.nx);
    CU_ASSERT(!r.global);
    CU_ASSERT_EQUAL(get32(PD32 + 4), PT32 | URW | PTE_A);
    CU_ASSERT_EQUAL(get32(PT32 + 12), 0x7000 | URW | PTE_G | PTE_A | PTE_D);
    c.cr4 = CR4_PGE;
    CU_ASSERT_EQUAL(pt_walk(&m, &c, va, 0, &r), 0);
    CU_ASSERT(r.global);

    /* Bits 63:32 of the address are ignored. */
    CU_ASSERT_EQUAL(pt_walk(&m, &c, va | 0xabcd00000000ull, 0, &r), 0);
    CU_ASSERT_EQUAL(r.pa, 0x7abc);

    /* PS without CR4.PSE is ignored: the PDE still points at a table. */
    put32(PD32 + 2 * 4, PT32 | URW | PTE_PS);
    CU_ASSERT_EQUAL(pt_walk(&m, &c, 0x00803abc, 0, &r), 0);
    CU_ASSERT_EQUAL(r.pa, 0x7abc);
    CU_ASSERT_EQUAL(r.page_size, PAGE_SIZE);

    /* No XD in 32-bit paging: EFER.NXE changes nothing, I is not reported. */
    c.efer = EFER_NXE;
    put32(PT32 + 3 * 4, 0);
    CU_ASSERT_EQUAL(pt_walk(&m, &c, va, ACC_EXEC | ACC_USER, &r), -1);
    CU_ASSERT_EQUAL(r.pfec, PFEC_U);
    c.cr4 |= CR4_SMEP;
    CU_ASSERT_EQUAL(pt_walk(&m, &c, va, ACC_EXEC, &r), -1);
    CU_ASSERT_EQUAL(r.pfec, PFEC_I);
    put32(PT32 + 3 * 4, 0x7000 | URO);
    CU_ASSERT_EQUAL(pt_walk(&m, &c, va, ACC_EXEC, &r), -1);   /* SMEP */
    CU_ASSERT_EQUAL(r.pfec, PFEC_P | PFEC_I);
    CU_ASSERT_EQUAL(pt_walk(&m, &c, va, ACC_WRITE | ACC_USER, &r), -1);
    CU_ASSERT_EQUAL(r.pfec, PFEC_P | PFEC_W | PFEC_U);
    CU_ASSERT_EQUAL(pt_walk(&m, &c, va, ACC_WRITE, &r), -1);
    CU_ASSERT_EQUAL(r.pfec, PFEC_P | PFEC_W);
    put32(PD32 + 1 * 4, PT32 | SRW);
    CU_ASSERT_EQUAL(pt_walk(&m, &c, va, ACC_USER, &r), -1);
    CU_ASSERT_EQUAL(r.pfec, PFEC_P | PFEC_U);
    put32(PD32 + 1 * 4, 0xfffff000u & ~PTE_P);
    CU_ASSERT_EQUAL(pt_walk(&m, &c, va, ACC_WRITE, &r), -1);
    CU_ASSERT_EQUAL(r.pfec, PFEC_W);
}

static void test_legacy32_4m_and_pse36(void)
{
    struct paging_ctx c = ctx32();
    struct walk_result r;
    const uint64_t va = 0x00c12345;   /* PDE 3 */
    fresh_mem();
    c.cr4 = CR4_PSE;

    put32(PD32 + 3 * 4, 0x00800000 | PTE_PS | URW);
    CU_ASSERT_EQUAL(pt_walk(&m, &c, va, ACC_WRITE, &r), 0);
    CU_ASSERT_EQUAL(r.pa, 0x00812345);
    CU_ASSERT_EQUAL(r.page_size, 4u << 20);
    CU_ASSERT_EQUAL(get32(PD32 + 12), 0x00800000 | PTE_PS | URW | PTE_A | PTE_D);

    /* PSE-36: PDE bits 16:13 are address bits 35:32 with MAXPHYADDR 36. */
    put32(PD32 + 3 * 4, 0xffc00000u | (0x5u << 13) | PTE_PS | URW | 0x1000);
    CU_ASSERT_EQUAL(pt_walk(&m, &c, va, 0, &r), 0);
    CU_ASSERT_EQUAL(r.pa, 0x5ffc12345ull);   /* PAT bit 12 is not address */
    /* Address bit 36 is beyond MAXPHYADDR 36 ... */
    put32(PD32 + 3 * 4, 0x00400000 | (0x15u << 13) | PTE_PS | URW);
    CU_ASSERT_EQUAL(pt_walk(&m, &c, va, ACC_USER, &r), -1);
    CU_ASSERT_EQUAL(r.pfec, PFEC_P | PFEC_RSVD | PFEC_U);
    /* ... but fine with 40, up to bit 39 (PDE bit 20). */
    c.maxphyaddr_mask = MASK40;
    put32(PD32 + 3 * 4, 0x00400000 | (0x95u << 13) | PTE_PS | URW);
    CU_ASSERT_EQUAL(pt_walk(&m, &c, va, ACC_USER, &r), 0);
    CU_ASSERT_EQUAL(r.pa, 0x9500412345ull);
    /* Bit 21 is always reserved. */
    put32(PD32 + 3 * 4, 0x00400000 | (1u << 21) | PTE_PS | URW);
    CU_ASSERT_EQUAL(pt_walk(&m, &c, va, ACC_WRITE, &r), -1);
    CU_ASSERT_EQUAL(r.pfec, PFEC_P | PFEC_RSVD | PFEC_W);
    /* Without PSE the same entry is a table pointer: no reserved bits. */
    c.cr4 = 0;
    CU_ASSERT_EQUAL(pt_walk(&m, &c, va, ACC_WRITE, &r), 0);
    CU_ASSERT_EQUAL(r.page_size, PAGE_SIZE);
}

/* ---- PAE paging ------------------------------------------------------------ */

enum { PDPT_PAE = 0x1020, PD_PAE = 0x2000, PT_PAE = 0x3000 };

static struct paging_ctx ctx_pae(void)
{
    return (struct paging_ctx){ .cr0 = CR0_PG | CR0_WP, .cr3 = PDPT_PAE,
                                .cr4 = CR4_PAE, .efer = EFER_NXE,
                                .maxphyaddr_mask = MASK36 };
}

static void test_pae(void)
{
    struct paging_ctx c = ctx_pae();
    struct walk_result r;
    uint64_t pdptes[4];
    const uint64_t va = 0x40203abc;   /* PDPTE 1, PDE 1, PTE 3 */
    const uint64_t va2m = 0x40403abc; /* PDPTE 1, PDE 2 */
    fresh_mem();
    put64(PDPT_PAE + 8, PD_PAE | PTE_P);
    put64(PD_PAE + 8, PT_PAE | URW);
    put64(PT_PAE + 24, 0x7000 | URW | XD);
    put64(PD_PAE + 16, 0x123400000ull | PTE_PS | SRW);

    CU_ASSERT_EQUAL(pt_walk(&m, &c, va, ACC_USER | ACC_WRITE, &r), 0);
    CU_ASSERT_EQUAL(r.pa, 0x7abc);
    CU_ASSERT(r.nx && !r.executable && r.dirty);
    CU_ASSERT_EQUAL(get64(PDPT_PAE + 8), PD_PAE | PTE_P);   /* no A on PDPTEs */
    CU_ASSERT_EQUAL(get64(PD_PAE + 8), PT_PAE | URW | PTE_A);
    CU_ASSERT_EQUAL(get64(PT_PAE + 24), 0x7000 | URW | XD | PTE_A | PTE_D);
    CU_ASSERT_EQUAL(pt_walk(&m, &c, va, ACC_USER | ACC_EXEC, &r), -1);
    CU_ASSERT_EQUAL(r.pfec, PFEC_P | PFEC_U | PFEC_I);

    CU_ASSERT_EQUAL(pt_walk(&m, &c, va2m, 0, &r), 0);
    CU_ASSERT_EQUAL(r.pa, 0x123403abcull);
    CU_ASSERT_EQUAL(r.page_size, 2u << 20);
    CU_ASSERT_EQUAL(pt_walk(&m, &c, va2m, ACC_USER, &r), -1);
    CU_ASSERT_EQUAL(r.pfec, PFEC_P | PFEC_U);

    /* Not-present PDPTE; I reported for fetches since PAE + NXE. */
    CU_ASSERT_EQUAL(pt_walk(&m, &c, 0x80000000, ACC_EXEC, &r), -1);
    CU_ASSERT_EQUAL(r.pfec, PFEC_I);

    /* XD without NXE is reserved. */
    c.efer = 0;
    CU_ASSERT_EQUAL(pt_walk(&m, &c, va, 0, &r), -1);
    CU_ASSERT_EQUAL(r.pfec, PFEC_P | PFEC_RSVD);
    CU_ASSERT_EQUAL(pt_walk(&m, &c, va, ACC_EXEC, &r), -1);
    CU_ASSERT_EQUAL(r.pfec, PFEC_P | PFEC_RSVD);   /* no I: NXE = 0 */
    c.efer = EFER_NXE;

    /* Bits 62:52 are reserved in PAE paging (ignored in 4-level). */
    put64(PT_PAE + 24, 0x7000 | URW | (1ull << 55));
    CU_ASSERT_EQUAL(pt_walk(&m, &c, va, 0, &r), -1);
    CU_ASSERT_EQUAL(r.pfec, PFEC_P | PFEC_RSVD);
    put64(PT_PAE + 24, 0x7000 | URW | (1ull << 36));   /* above M = 36 */
    CU_ASSERT_EQUAL(pt_walk(&m, &c, va, 0, &r), -1);
    CU_ASSERT_EQUAL(r.pfec, PFEC_P | PFEC_RSVD);
    put64(PT_PAE + 24, 0x7000 | URW | (1ull << 35));
    CU_ASSERT_EQUAL(pt_walk(&m, &c, va, 0, &r), 0);
    CU_ASSERT_EQUAL(r.pa, (1ull << 35) + 0x7abc);
    put64(PD_PAE + 16, 0x123400000ull | PTE_PS | SRW | (1ull << 14));
    CU_ASSERT_EQUAL(pt_walk(&m, &c, va2m, ACC_WRITE, &r), -1);
    CU_ASSERT_EQUAL(r.pfec, PFEC_P | PFEC_RSVD | PFEC_W);

    /* PDPTE reserved bits: RW (bit 1), bits 8:5, XD, above M. */
    CU_ASSERT_EQUAL(pt_pae_pdptes(&m, &c, pdptes), 0);
    CU_ASSERT_EQUAL(pdptes[1], PD_PAE | PTE_P);
    CU_ASSERT_EQUAL(pdptes[0], 0);
    static const uint64_t bad[] = { PTE_RW, PTE_US, PTE_A, PTE_PS, 1ull << 8,
                                    XD, 1ull << 40 };
    for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
        put64(PDPT_PAE + 8, PD_PAE | PTE_P | bad[i]);
        CU_ASSERT_EQUAL(pt_walk(&m, &c, va, ACC_USER, &r), -1);
        CU_ASSERT_EQUAL(r.pfec, PFEC_P | PFEC_RSVD | PFEC_U);
        CU_ASSERT_EQUAL(pt_pae_pdptes(&m, &c, pdptes), -1);
    }
    put64(PDPT_PAE + 8, PD_PAE | PTE_PWT | PTE_PCD | (7u << 9));  /* not present */
    CU_ASSERT_EQUAL(pt_pae_pdptes(&m, &c, pdptes), 0);
    put64(PDPT_PAE + 24, XD);                      /* not present: ignored */
    CU_ASSERT_EQUAL(pt_pae_pdptes(&m, &c, pdptes), 0);
    CU_ASSERT_EQUAL(pdptes[3], XD);
}

/* ---- accessed and dirty flags ------------------------------------------ */

static void test_accessed_dirty(void)
{
    static const uint64_t fl[4] = { URW, URW, URW, URW };
    struct paging_ctx c = ctx4();
    struct walk_result r;
    const uint64_t e[4] = { slot(PML4, VA4, 39), slot(PDPT, VA4, 30),
                            slot(PD, VA4, 21), slot(PT, VA4, 12) };
    fresh_mem();
    map4(VA4, fl);

    /* Reads set A on every level, D nowhere. */
    CU_ASSERT_EQUAL(pt_walk(&m, &c, VA4, 0, &r), 0);
    for (unsigned i = 0; i < 4; i++)
        CU_ASSERT_EQUAL(get64(e[i]) & (PTE_A | PTE_D), PTE_A);
    CU_ASSERT(!r.dirty);
    /* Writes set D on the leaf only. */
    CU_ASSERT_EQUAL(pt_walk(&m, &c, VA4, ACC_WRITE, &r), 0);
    for (unsigned i = 0; i < 3; i++)
        CU_ASSERT_EQUAL(get64(e[i]) & (PTE_A | PTE_D), PTE_A);
    CU_ASSERT_EQUAL(get64(e[3]), DATA | URW | PTE_A | PTE_D);
    CU_ASSERT(r.dirty);
    /* A later read reports the leaf as dirty. */
    CU_ASSERT_EQUAL(pt_walk(&m, &c, VA4, 0, &r), 0);
    CU_ASSERT(r.dirty);

    /* ACC_NOSET: nothing changes. */
    map4(VA4, fl);
    CU_ASSERT_EQUAL(pt_walk(&m, &c, VA4, ACC_WRITE | ACC_NOSET, &r), 0);
    CU_ASSERT(!r.dirty);
    for (unsigned i = 0; i < 4; i++)
        CU_ASSERT_EQUAL(get64(e[i]) & (PTE_A | PTE_D), 0);

    /* A faulting walk sets nothing: rights fault ... */
    static const uint64_t ro[4] = { URW, URW, URW, URO };
    map4(VA4, ro);
    CU_ASSERT_EQUAL(pt_walk(&m, &c, VA4, ACC_WRITE | ACC_USER, &r), -1);
    for (unsigned i = 0; i < 4; i++)
        CU_ASSERT_EQUAL(get64(e[i]) & (PTE_A | PTE_D), 0);
    /* ... or a not-present leaf. */
    static const uint64_t np[4] = { URW, URW, URW, 0 };
    map4(VA4, np);
    CU_ASSERT_EQUAL(pt_walk(&m, &c, VA4, 0, &r), -1);
    for (unsigned i = 0; i < 4; i++)
        CU_ASSERT_EQUAL(get64(e[i]) & (PTE_A | PTE_D), 0);

    /* 2 MiB leaf gets D; the PDPTE above it only A. */
    put64(e[2], 0x200000 | PTE_PS | URW);
    CU_ASSERT_EQUAL(pt_walk(&m, &c, VA4, ACC_WRITE, &r), 0);
    CU_ASSERT_EQUAL(get64(e[2]), 0x200000 | PTE_PS | URW | PTE_A | PTE_D);
    CU_ASSERT_EQUAL(get64(e[1]), PD | URW | PTE_A);
}

/* A self-referencing PML4 entry is used at all four levels. */
static void test_recursive_mapping(void)
{
    struct paging_ctx c = ctx4();
    struct walk_result r;
    fresh_mem();
    put64(PML4, PML4 | SRW);
    CU_ASSERT_EQUAL(pt_walk(&m, &c, 0x123, ACC_WRITE, &r), 0);
    CU_ASSERT_EQUAL(r.pa, PML4 + 0x123);
    CU_ASSERT_EQUAL(get64(PML4), PML4 | SRW | PTE_A | PTE_D);
}

/* A/D updates go through phys_store: code-page tracking sees them. */
static int code_hits;
static void code_hit(void *opaque, uint64_t pfn)
{
    (void)opaque;
    code_hits += pfn == PT >> PAGE_SHIFT;
}

static void test_ad_update_is_a_store(void)
{
    static const uint64_t fl[4] = { URW, URW, URW, URW };
    struct paging_ctx c = ctx4();
    struct walk_result r;
    fresh_mem();
    map4(VA4, fl);
    code_hits = 0;
    m.code_write = code_hit;
    mem_mark_code(&m, PT >> PAGE_SHIFT);
    CU_ASSERT_EQUAL(pt_walk(&m, &c, VA4, 0, &r), 0);
    CU_ASSERT_EQUAL(code_hits, 1);
    /* Already accessed: no store, no callback. */
    mem_mark_code(&m, PT >> PAGE_SHIFT);
    CU_ASSERT_EQUAL(pt_walk(&m, &c, VA4, 0, &r), 0);
    CU_ASSERT_EQUAL(code_hits, 1);
    m.code_write = NULL;
}

/* ---- TLB ------------------------------------------------------------------- */

/* Walk and fill; returns the entry for the access's privilege. */
static struct tlb_entry *walk_fill(const struct paging_ctx *c, uint64_t va,
                                   unsigned acc)
{
    struct walk_result r;
    CU_ASSERT_FATAL(pt_walk(&m, c, va, acc, &r) == 0);
    tlb_fill(&t, &m, va, acc, &r);
    return tlb_entry_for(&t, (acc & ACC_USER) && !(acc & ACC_IMPLICIT), va);
}

static void test_tlb_fill_tags(void)
{
    static const uint64_t fl[4] = { URW, URW, URW, URW };
    struct paging_ctx c = ctx4();
    const uint64_t page = VA4 & PAGE_MASK;
    fresh_mem();
    map4(VA4, fl);

    /* Fresh TLB: nothing matches, not even page 0. */
    CU_ASSERT_NOT_EQUAL(tlb_entry_for(&t, 0, 0)->tag_read, 0);

    struct tlb_entry *e = walk_fill(&c, VA4, 0);
    CU_ASSERT_EQUAL(e->tag_read, page);
    CU_ASSERT_EQUAL(e->tag_exec, page);
    CU_ASSERT_EQUAL(e->tag_write, TLB_INVALID);   /* D still clear */
    CU_ASSERT_PTR_EQUAL(e->host, m.ram + DATA);
    CU_ASSERT_EQUAL(e->pa, DATA);
    CU_ASSERT_EQUAL(tlb_entry_for(&t, 1, VA4)->tag_read, TLB_INVALID);

    /* The CPU's fast path. */
    m.ram[DATA + 0xabc] = 0x5a;
    CU_ASSERT_EQUAL(e->tag_read, VA4 & PAGE_MASK);
    CU_ASSERT_EQUAL(e->host[VA4 & 0xfff], 0x5a);

    e = walk_fill(&c, VA4, ACC_WRITE);
    CU_ASSERT_EQUAL(e->tag_write, page);
    tlb_flush_all(&t);
    e = walk_fill(&c, VA4, 0);                     /* D now set: read fill */
    CU_ASSERT_EQUAL(e->tag_write, page);           /* ... gives a write tag */

    /* The user entry is separate. */
    e = walk_fill(&c, VA4, ACC_USER);
    CU_ASSERT_EQUAL(tlb_entry_for(&t, 1, VA4)->tag_read, page);
    CU_ASSERT_PTR_EQUAL(e, tlb_entry_for(&t, 1, VA4));

    /* ACC_NOSET walks are not installed. */
    tlb_flush_all(&t);
    struct walk_result r;
    CU_ASSERT_FATAL(pt_walk(&m, &c, VA4, ACC_NOSET, &r) == 0);
    tlb_fill(&t, &m, VA4, ACC_NOSET, &r);
    CU_ASSERT_EQUAL(tlb_entry_for(&t, 0, VA4)->tag_read, TLB_INVALID);
}

static void test_tlb_fill_refusals(void)
{
    struct paging_ctx c = ctx4();
    const uint64_t page = VA4 & PAGE_MASK;
    struct tlb_entry *e;
    fresh_mem();

    /* Read-only: no write tag for the user, nor the supervisor with WP. */
    static const uint64_t ro[4] = { URW, URW, URW, URO | PTE_D };
    map4(VA4, ro);
    e = walk_fill(&c, VA4, ACC_USER);
    CU_ASSERT_EQUAL(e->tag_read, page);
    CU_ASSERT_EQUAL(e->tag_write, TLB_INVALID);
    e = walk_fill(&c, VA4, 0);
    CU_ASSERT_EQUAL(e->tag_write, TLB_INVALID);
    c.cr0 &= ~CR0_WP;
    e = walk_fill(&c, VA4, 0);
    CU_ASSERT_EQUAL(e->tag_write, page);
    c.cr0 |= CR0_WP;

    /* NX: no exec tag. */
    static const uint64_t nx[4] = { URW, URW, URW | XD, URW };
    map4(VA4, nx);
    e = walk_fill(&c, VA4, ACC_USER);
    CU_ASSERT_EQUAL(e->tag_read, page);
    CU_ASSERT_EQUAL(e->tag_exec, TLB_INVALID);

    /* SMEP: the supervisor may not fetch from a user page. */
    static const uint64_t user[4] = { URW, URW, URW, URW | PTE_D };
    map4(VA4, user);
    c.cr4 |= CR4_SMEP;
    e = walk_fill(&c, VA4, 0);
    CU_ASSERT_EQUAL(e->tag_read, page);
    CU_ASSERT_EQUAL(e->tag_write, page);
    CU_ASSERT_EQUAL(e->tag_exec, TLB_INVALID);
    e = walk_fill(&c, VA4, ACC_USER);
    CU_ASSERT_EQUAL(e->tag_exec, page);

    /* SMAP: supervisor data access to a user page always takes the slow
     * path (AC may change), fetches may still be fast. */
    c.cr4 = CR4_PAE | CR4_SMAP;
    c.ac = true;
    e = walk_fill(&c, VA4, ACC_WRITE);
    CU_ASSERT_EQUAL(e->tag_read, TLB_INVALID);
    CU_ASSERT_EQUAL(e->tag_write, TLB_INVALID);
    CU_ASSERT_EQUAL(e->tag_exec, page);
    e = walk_fill(&c, VA4, ACC_USER | ACC_WRITE);
    CU_ASSERT_EQUAL(e->tag_read, page);
    CU_ASSERT_EQUAL(e->tag_write, page);

    /* Code frame: no write tag. */
    c = ctx4();
    mem_mark_code(&m, DATA >> PAGE_SHIFT);
    e = walk_fill(&c, VA4, ACC_WRITE);
    CU_ASSERT_EQUAL(e->tag_read, page);
    CU_ASSERT_EQUAL(e->tag_write, TLB_INVALID);
    CU_ASSERT_EQUAL(e->tag_exec, page);

    /* MMIO (or nothing): no fast tags, no host pointer. */
    put64(slot(PT, VA4, 12), 0xfee00000 | URW | PTE_D);
    e = walk_fill(&c, VA4, ACC_WRITE);
    CU_ASSERT_PTR_NULL(e->host);
    CU_ASSERT_EQUAL(e->tag_read, TLB_INVALID);
    CU_ASSERT_EQUAL(e->tag_write, TLB_INVALID);
    CU_ASSERT_EQUAL(e->tag_exec, TLB_INVALID);
    CU_ASSERT_EQUAL(e->pa, 0xfee00000);
}

static void test_tlb_large_page_pieces(void)
{
    struct paging_ctx c = ctx4();
    fresh_mem();
    /* VA4's PDE maps a 2 MiB page at 0x200000 (inside RAM). */
    put64(slot(PML4, VA4, 39), PDPT | URW);
    put64(slot(PDPT, VA4, 30), PD | URW);
    put64(slot(PD, VA4, 21), 0x200000 | PTE_PS | URW);
    const uint64_t va_a = VA4, va_b = VA4 + 0x10000;   /* same 2 MiB page */

    struct tlb_entry *a = walk_fill(&c, va_a, 0);
    CU_ASSERT_EQUAL(a->tag_read, va_a & PAGE_MASK);
    CU_ASSERT_EQUAL(a->pa, 0x200000 + (va_a & 0x1ff000));
    CU_ASSERT_PTR_EQUAL(a->host, m.ram + a->pa);
    struct tlb_entry *b = walk_fill(&c, va_b, 0);
    CU_ASSERT_EQUAL(b->tag_read, va_b & PAGE_MASK);
    CU_ASSERT_EQUAL(b->pa, a->pa + 0x10000);
    CU_ASSERT_PTR_NOT_EQUAL(a, b);

    /* INVLPG on one piece drops the whole large page. */
    tlb_flush_page(&t, va_a);
    CU_ASSERT_EQUAL(b->tag_read, TLB_INVALID);
    CU_ASSERT_EQUAL(a->tag_read, TLB_INVALID);
}

static void test_tlb_flushes(void)
{
    static const uint64_t global[4] = { URW, URW, URW, URW | PTE_G };
    static const uint64_t local[4] = { URW, URW, URW, URW };
    struct paging_ctx c = ctx4();
    const uint64_t vg = VA4, vl = VA4 + PAGE_SIZE;
    const uint64_t vc = VA4 + TLB_SIZE * PAGE_SIZE;   /* same slot as vg */
    fresh_mem();
    c.cr4 |= CR4_PGE;
    map4(vg, global);
    map4(vl, local);

    struct tlb_entry *g = walk_fill(&c, vg, 0);
    struct tlb_entry *gu = walk_fill(&c, vg, ACC_USER);
    struct tlb_entry *l = walk_fill(&c, vl, 0);
    CU_ASSERT(g->global && gu->global && !l->global);

    tlb_flush_nonglobal(&t);
    CU_ASSERT_EQUAL(g->tag_read, vg & PAGE_MASK);
    CU_ASSERT_EQUAL(gu->tag_read, vg & PAGE_MASK);
    CU_ASSERT_EQUAL(l->tag_read, TLB_INVALID);

    /* INVLPG of another page sharing the slot leaves it alone ... */
    walk_fill(&c, vl, 0);
    tlb_flush_page(&t, vc);
    CU_ASSERT_EQUAL(g->tag_read, vg & PAGE_MASK);
    /* ... of the page itself drops both privileges, global or not. */
    tlb_flush_page(&t, vg + 0x123);
    CU_ASSERT_EQUAL(g->tag_read, TLB_INVALID);
    CU_ASSERT_EQUAL(gu->tag_read, TLB_INVALID);
    CU_ASSERT_EQUAL(g->tag_exec, TLB_INVALID);
    CU_ASSERT_EQUAL(l->tag_read, vl & PAGE_MASK);

    walk_fill(&c, vg, 0);
    tlb_flush_all(&t);
    CU_ASSERT_EQUAL(g->tag_read, TLB_INVALID);
    CU_ASSERT_EQUAL(l->tag_read, TLB_INVALID);

    /* Dropping fast writes to one physical page. */
    map4(vg, (const uint64_t[4]){ URW, URW, URW, URW | PTE_D });
    g = walk_fill(&c, vg, 0);
    CU_ASSERT_EQUAL(g->tag_write, vg & PAGE_MASK);
    tlb_flush_phys_writes(&t, DATA + 0x800);
    CU_ASSERT_EQUAL(g->tag_write, TLB_INVALID);
    CU_ASSERT_EQUAL(g->tag_read, vg & PAGE_MASK);
}

UNIT_SUITE(mmu_paging)
{
    CU_pSuite s = CU_add_suite("mmu_paging", NULL, cleanup);
    UNIT_TEST(s, test_no_paging);
    UNIT_TEST(s, test_4level_4k);
    UNIT_TEST(s, test_4level_large_pages);
    UNIT_TEST(s, test_4level_reserved);
    UNIT_TEST(s, test_rights_and_error_codes);
    UNIT_TEST(s, test_walk_result_rights);
    UNIT_TEST(s, test_legacy32_4k);
    UNIT_TEST(s, test_legacy32_4m_and_pse36);
    UNIT_TEST(s, test_pae);
    UNIT_TEST(s, test_accessed_dirty);
    UNIT_TEST(s, test_recursive_mapping);
    UNIT_TEST(s, test_ad_update_is_a_store);
    UNIT_TEST(s, test_tlb_fill_tags);
    UNIT_TEST(s, test_tlb_fill_refusals);
    UNIT_TEST(s, test_tlb_large_page_pieces);
    UNIT_TEST(s, test_tlb_flushes);
}
