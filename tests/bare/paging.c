/*
 * (e) Paging corner cases in 4-level paging: accessed/dirty bits set by the
 * page walk (4 KiB and 2 MiB pages, non-leaf entries), CR0.WP, permissions
 * combined across levels, INVLPG, CR3 reloads and global pages.  Only
 * architecturally guaranteed outcomes are printed: no stale-TLB reads.
 */
#include "bare.h"

/* Test pages in 2 MiB regions of their own (PDE changes must not touch
 * the kernel's code, data and stacks below 2 MiB). */
#define pg ((uint8_t (*)[4096])0x400000ul)
#define BIG_VA 0x600000ul   /* a 2 MiB page of the identity map */
#define BIG_PDE (&rt_pd[BIG_VA >> 21])

struct rt_trap t;
uintptr_t target;

ASM_FN(load_target, "mov target(%rip), %rax\n load_target_at: movb (%rax), %al\n ret");
ASM_FN(store_target, "mov target(%rip), %rax\n store_target_at: movb $1, (%rax)\n ret");
extern char load_target_at[], store_target_at[];

static void flush(uintptr_t va)
{
    invlpg(va);
}

/* The memory clobbers make the compiler re-read the page tables. */
static uint8_t peek(uintptr_t va)
{
    uint8_t v = *(volatile uint8_t *)va;
    __asm__ volatile("" : : : "memory");
    return v;
}

static void poke(uintptr_t va, uint8_t v)
{
    *(volatile uint8_t *)va = v;
    __asm__ volatile("" : : : "memory");
}

static void show_ad(const char *what, uint64_t e)
{
    printf("%s: A=%d D=%d\n", what, (e & PTE_A) != 0, (e & PTE_D) != 0);
}

static void accessed_dirty(void)
{
    uintptr_t va = (uintptr_t)pg[0];
    uint64_t *pte = rt_pte(va), *pde = &rt_pd[va >> 21];

    printf("-- accessed and dirty bits\n");
    *pte &= ~(PTE_A | PTE_D);
    flush(va);
    show_ad("4K page, untouched", *pte);
    peek(va);
    show_ad("4K page, after a read", *pte);
    poke(va, 1);
    show_ad("4K page, after a write", *pte);

    *pte &= ~(PTE_A | PTE_D);
    flush(va);
    poke(va, 2);
    show_ad("4K page, write first", *pte);

    *BIG_PDE &= ~(PTE_A | PTE_D);
    flush(BIG_VA);
    peek(BIG_VA + 0x1234);
    show_ad("2M page, after a read", *BIG_PDE);
    poke(BIG_VA + 0x1234, 1);
    show_ad("2M page, after a write", *BIG_PDE);

    *pde &= ~PTE_A;
    rt_pdpt[0] &= ~PTE_A;
    rt_pml4[0] &= ~PTE_A;
    write_cr3(read_cr3());
    peek(va);
    printf("non-leaf entries after a walk: PML4E A=%d PDPTE A=%d PDE A=%d\n",
           (rt_pml4[0] & PTE_A) != 0, (rt_pdpt[0] & PTE_A) != 0,
           (*pde & PTE_A) != 0);
}

static void try_access(const char *what, int write, int user, uintptr_t va)
{
    target = va;
    void *fn = write ? store_target : load_target;
    int v = user ? TRY_USER(fn, &t) : TRY(fn, &t);
    report(what, v, &t, write ? store_target_at : load_target_at, pg[0]);
}

static void protection(void)
{
    uintptr_t va = (uintptr_t)pg[0];
    uint64_t *pte = rt_pte(va), *pde = &rt_pd[va >> 21];

    printf("-- write protection\n");
    *pte &= ~(PTE_W | PTE_D);
    flush(va);
    try_access("read-only page, CR0.WP=1, ring 0 write", 1, 0, va + 0x10);
    write_cr0(read_cr0() & ~X86_CR0_WP);
    try_access("read-only page, CR0.WP=0, ring 0 write", 1, 0, va + 0x10);
    show_ad("  and then", *pte);
    try_access("read-only page, CR0.WP=0, ring 3 write", 1, 1, va + 0x20);
    write_cr0(read_cr0() | X86_CR0_WP);
    *pte |= PTE_W;
    flush(va);

    printf("-- permissions combine across levels\n");
    *pde &= ~PTE_W;
    write_cr3(read_cr3());
    try_access("PDE R/W=0, PTE R/W=1, ring 0 write", 1, 0, va + 0x30);
    try_access("PDE R/W=0, ring 0 read", 0, 0, va + 0x30);
    *pde |= PTE_W;
    *pde &= ~PTE_U;
    write_cr3(read_cr3());
    try_access("PDE U/S=0, PTE U/S=1, ring 3 read", 0, 1, va + 0x40);
    *pde |= PTE_U;
    *pde |= PTE_NX;
    write_cr3(read_cr3());
    try_access("PDE XD=1, ring 3 read", 0, 1, va + 0x40);
    *pde &= ~PTE_NX;
    write_cr3(read_cr3());
}

static void remap(uint64_t *pte, uintptr_t pa)
{
    *pte = (*pte & ~0x000ffffffffff000ull) | pa;
}

static void tlb(void)
{
    uintptr_t va = (uintptr_t)pg[0];
    uint64_t *pte = rt_pte(va);

    printf("-- TLB maintenance\n");
    pg[0][0] = 'A';
    pg[1][0] = 'B';
    peek(va);
    remap(pte, (uintptr_t)pg[1]);
    flush(va);
    printf("remap to B, invlpg: %c\n", peek(va));
    remap(pte, (uintptr_t)pg[0]);
    write_cr3(read_cr3());
    printf("remap to A, mov cr3: %c\n", peek(va));

    write_cr4(read_cr4() | X86_CR4_PGE);
    *pte |= PTE_G;
    flush(va);
    printf("global, A: %c\n", peek(va));
    remap(pte, (uintptr_t)pg[1]);
    flush(va);
    printf("global, remap to B, invlpg: %c\n", peek(va));
    remap(pte, (uintptr_t)pg[0]);
    write_cr4(read_cr4() & ~X86_CR4_PGE);
    write_cr4(read_cr4() | X86_CR4_PGE);
    printf("global, remap to A, CR4.PGE toggled: %c\n", peek(va));
    remap(pte, (uintptr_t)pg[0]);
    *pte &= ~PTE_G;
    write_cr4(read_cr4() & ~X86_CR4_PGE);

    *pte &= ~PTE_P;
    flush(va);
    try_access("not present again", 0, 0, va + 0x123);
    *pte |= PTE_P;
    flush(va);
    try_access("present again", 0, 0, va + 0x123);
}

int main(void)
{
    accessed_dirty();
    protection();
    tlb();
    return 0;
}
