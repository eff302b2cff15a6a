/*
 * The writable page-table assist store by store (VMASST writable_
 * pagetables; Xen 4.17 pv/ro-page-fault.c ptwr_emulated_write/_update):
 * plain stores into a read-only mapped L1 of 8, 4, 2 and 1 bytes are
 * validated as whole entries (a partial store merged into the entry);
 * misaligned stores, stores straddling two entries and entries that do not
 * validate give the guest its #PF; a 32-bit guest's upper-half store of a
 * bad PAE entry loses P instead.
 */
#include "pvrt.h"

#define PG_P 0x1ull
#define PG_RW 0x2ull
#define PG_A 0x20ull
#define PG_D 0x40ull
#define PG_PCD 0x10ull
#define PG_KERNEL (PG_P | PG_RW | PG_A | PG_D)
#define INVLPG_LOCAL 7
#ifdef __x86_64__
#define M2P ((const unsigned long *)0xffff800000000000ul)
#define SI_PT_BASE 88
#define SI_MFN_LIST 104
#else
#define M2P ((const unsigned long *)0xf5800000ul)
#define SI_PT_BASE 60
#define SI_MFN_LIST 68
#endif
#define DOMID_SELF 0x7ff0u

static volatile uint64_t *l1;
static unsigned long *p2m, spare[2];
static uint64_t saved;

static unsigned long si(unsigned off)
{
    return *(unsigned long *)((char *)pv_start_info + off);
}

static volatile uint64_t *table_va(uint64_t entry)
{
    return (volatile uint64_t *)(M2P[(unsigned long)((entry &
                                 0x000ffffffffff000ull) >> 12)] << 12);
}

static void flush_va(unsigned long va)
{
    struct { unsigned cmd; unsigned long arg1, arg2; } op = {
        INVLPG_LOCAL, va, 0 };
    pv_hypercall(__HYPERVISOR_mmuext_op, (unsigned long)&op, 1, 0,
                 DOMID_SELF, 0);
}

static uint64_t entry_for(unsigned long mfn)
{
    return (uint64_t)mfn << 12 | PG_KERNEL;
}

static long uvm(unsigned long va, uint64_t pte)
{
#ifdef __x86_64__
    return HYPERCALL(__HYPERVISOR_update_va_mapping, va, pte, 2);
#else
    return pv_hypercall(__HYPERVISOR_update_va_mapping, va, (uint32_t)pte,
                        (uint32_t)(pte >> 32), 2, 0);
#endif
}

/* The stores, each into L1 slot 1 (VA 0x1000). */
static volatile uint8_t *slot(void) { return (volatile uint8_t *)&l1[1]; }
static void st8(void)
{
#ifdef __x86_64__
    *(volatile uint64_t *)slot() = entry_for(spare[1]);
#else
    /* no 8-byte store in 32-bit code: cmpxchg8b, as PAE kernels do */
    uint64_t old = l1[1], val = entry_for(spare[1]);
    __asm__ volatile("lock cmpxchg8b %0" : "+m"(*(volatile uint64_t *)slot()),
                     "+A"(old) : "b"((uint32_t)val), "c"((uint32_t)(val >> 32)));
#endif
}
static void st4_low(void)
{
    *(volatile uint32_t *)slot() = (uint32_t)entry_for(spare[0]);
}
static void st2_flags(void)
{
    *(volatile uint16_t *)slot() = (uint16_t)(entry_for(spare[0]) & ~PG_RW);
}
static void st1_pcd(void)
{
    *slot() = (uint8_t)(PG_KERNEL | PG_PCD);
}
static void st4_misaligned(void)
{
    *(volatile uint32_t *)(slot() + 2) = 0x12345678;
}
static void st4_straddle(void)
{
    *(volatile uint32_t *)(slot() + 6) = 0;
}
#ifdef __x86_64__
static void st8_straddle(void)
{
    *(volatile uint64_t *)(slot() + 4) = 0;
}
#endif
static void st8_pagetable(void)
{
    unsigned long top = p2m[si(SI_PT_BASE) >> 12];
#ifdef __x86_64__
    *(volatile uint64_t *)slot() = entry_for(top);
#else
    *(volatile uint32_t *)slot() = (uint32_t)entry_for(top);
#endif
}
static void st4_high_bad(void)
{
    *(volatile uint32_t *)(slot() + 4) = 0x000fffff;     /* no such frame */
}

static void run(const char *what, void (*fn)(void))
{
    struct pv_trap t;
    int v = pv_try(fn, &t);
    uint64_t e = l1[1];

    flush_va(0x1000);
    printf("%-26s %s", what, v == PV_NO_TRAP ? "done" : "#PF");
    if (v != PV_NO_TRAP)
        printf(" (error %#lx)", t.error);
    printf(", entry: frame %s, flags %#llx\n",
           ((e >> 12) & 0xffffffffffull) == spare[0] ? "spare 0" :
           ((e >> 12) & 0xffffffffffull) == spare[1] ? "spare 1" :
           (e & PG_P) ? "OTHER" : "-", (unsigned long long)(e & 0xfff));
    if (e & PG_P)
        printf("%26s reads %#x\n", "", *(volatile uint32_t *)0x1000);
}

int main(void)
{
    volatile uint64_t *top;
    unsigned long nr = si(32);

    p2m = (unsigned long *)si(SI_MFN_LIST);
    spare[0] = p2m[nr - 1];
    spare[1] = p2m[nr - 2];
    top = (volatile uint64_t *)si(SI_PT_BASE);
#ifdef __x86_64__
    l1 = table_va(table_va(table_va(top[0])[0])[0]);
#else
    l1 = table_va(table_va(top[0])[0]);
#endif
    saved = l1[1];
    /* Mark the spare frames (through a mapping at 0x2000). */
    uvm(0x2000, entry_for(spare[0]));
    *(volatile uint32_t *)0x2000 = 0x5a5a0000;
    uvm(0x2000, entry_for(spare[1]));
    *(volatile uint32_t *)0x2000 = 0x5a5a0001;
    uvm(0x2000, entry_for(p2m[2]));
    pv_trap_init();
    printf("vm_assist writable_pagetables: %ld\n",
           HYPERCALL(__HYPERVISOR_vm_assist, 0, 2, 0));
    run("8 bytes", st8);
    run("4 bytes, low half", st4_low);
    run("2 bytes (RW off)", st2_flags);
    run("1 byte (PCD)", st1_pcd);
    run("4 bytes misaligned", st4_misaligned);
    run("4 bytes across entries", st4_straddle);
#ifdef __x86_64__
    run("8 bytes across entries", st8_straddle);
#endif
    run("a page table writable", st8_pagetable);
    run("upper half, no such frame", st4_high_bad);
    printf("restore: %ld\n", uvm(0x1000, saved));
    return 0;
}
