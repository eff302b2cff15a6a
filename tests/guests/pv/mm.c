/*
 * The PV MMU from inside a guest (64-bit, and 32-bit PAE): update_va_mapping maps, remaps
 * and unmaps a page (and the access afterwards faults), Xen's refusals
 * come back with its error codes, pinning, the RO M2P, the writable
 * page-table assist (a plain store into an L1 becomes a validated update;
 * an invalid one becomes a #PF), descriptors and a lazily mapped LDT.
 */
#include "pvrt.h"

#define DOMID_SELF 0x7ff0u
#define PG_P 0x1ull
#define PG_RW 0x2ull
#define PG_A 0x20ull
#define PG_D 0x40ull
#define PG_PCD 0x10ull
#define PG_KERNEL (PG_P | PG_RW | PG_A | PG_D)
#define HC_update_descriptor 10
#define UVMF_INVLPG 2
#ifdef __x86_64__
#define M2P ((const unsigned long *)0xffff800000000000ul)
#define SI_PT_BASE 88
#define SI_MFN_LIST 104
#define GUEST_KERNEL_CS 0xe033
#define LDT_SEL 0xfu                      /* index 1, LDT, RPL 3 */
#else
#define M2P ((const unsigned long *)0xf5800000ul)
#define SI_PT_BASE 60
#define SI_MFN_LIST 68
#define GUEST_KERNEL_CS 0xe019
#define LDT_SEL 0xdu                      /* index 1, LDT, RPL 1 */
#endif

enum { PIN_L1 = 0, UNPIN = 4, INVLPG_LOCAL = 7, SET_LDT = 13 };

static unsigned long *p2m, nr_pages, spare_mfn, pt_base_mfn;
static int stage;

static unsigned long si(unsigned off)
{
    return *(unsigned long *)((char *)pv_start_info + off);
}

static long uvm(unsigned long va, uint64_t pte)
{
#ifdef __x86_64__
    return HYPERCALL(__HYPERVISOR_update_va_mapping, va, pte, UVMF_INVLPG);
#else
    return pv_hypercall(__HYPERVISOR_update_va_mapping, va, (uint32_t)pte,
                        (uint32_t)(pte >> 32), UVMF_INVLPG, 0);
#endif
}

static long update_descriptor(uint64_t maddr, uint64_t desc)
{
#ifdef __x86_64__
    return HYPERCALL(HC_update_descriptor, maddr, desc, 0);
#else
    return pv_hypercall(HC_update_descriptor, (uint32_t)maddr,
                        (uint32_t)(maddr >> 32), (uint32_t)desc,
                        (uint32_t)(desc >> 32), 0);
#endif
}

static long mmu_update(uint64_t ptr, uint64_t val, unsigned *done)
{
    uint64_t req[2] = { ptr, val };
    return pv_hypercall(__HYPERVISOR_mmu_update, (unsigned long)req, 1,
                        (unsigned long)done, DOMID_SELF, 0);
}

static long mmuext(unsigned cmd, unsigned long arg1, unsigned long arg2)
{
    struct { unsigned cmd; unsigned long arg1, arg2; } op = { cmd, arg1, arg2 };
    return pv_hypercall(__HYPERVISOR_mmuext_op, (unsigned long)&op, 1, 0,
                        DOMID_SELF, 0);
}

static volatile uint64_t *at(unsigned long va)
{
    return (volatile uint64_t *)va;
}

/* The guest's VA of a page-table frame (virt_base 0: VA = pfn << 12). */
static volatile uint64_t *table_va(uint64_t entry)
{
    return at(M2P[(unsigned long)((entry & 0x000ffffffffff000ull) >> 12)]
              << 12);
}

static void stage_ldt(void);

static void stage_ptwr(void)
{
    volatile uint64_t *top = at(si(SI_PT_BASE)), *l1;
    uint64_t saved;

    stage = 2;
#ifdef __x86_64__
    l1 = table_va(table_va(table_va(top[0])[0])[0]);
#else
    l1 = table_va(table_va(top[0])[0]);
#endif
    saved = l1[1];
    printf("vm_assist writable_pagetables: %ld\n",
           HYPERCALL(__HYPERVISOR_vm_assist, 0, 2, 0));
    l1[1] = (uint64_t)spare_mfn << 12 | PG_KERNEL;         /* a plain store */
    mmuext(INVLPG_LOCAL, 0x1000, 0);
    printf("ptwr map: %llx, guest-kernel bit %u\n",
           (unsigned long long)*at(0x1000), (unsigned)(l1[1] >> 52) & 1);
    l1[1] = saved;
    mmuext(INVLPG_LOCAL, 0x1000, 0);
    printf("ptwr restore: %llx\n", (unsigned long long)*at(0x1000));
    /* Mapping a page table writable through the assist: a #PF. */
    l1[1] = (uint64_t)pt_base_mfn << 12 | PG_KERNEL;
    printf("FAIL: the invalid PTE was accepted\n");
    rt_exit(1);
}

/* The #PF handler (trap table entry 14): continues with the next stage. */
void pf_handler(unsigned long err, unsigned long rip);
void pf_handler(unsigned long err, unsigned long rip)
{
    (void)rip;
    printf("#PF in stage %d, error & 3 = %lu\n", stage, err & 3);
    switch (stage) {
    case 1:
        stage_ptwr();
        break;
    case 2:
        stage_ldt();
        break;
    default:
        rt_exit(1);
    }
}

#ifdef __x86_64__
__asm__(".text\n"
        ".globl pf_entry\n"
        "pf_entry:\n"
        "    mov 16(%rsp), %rdi\n"      /* rcx, r11, error code, rip ... */
        "    mov 24(%rsp), %rsi\n"
        "    and $-16, %rsp\n"
        "    call pf_handler\n"
        "1:  jmp 1b\n");
#else
__asm__(".text\n"
        ".globl pf_entry\n"
        "pf_entry:\n"
        "    mov (%esp), %eax\n"        /* error code, eip, cs, eflags */
        "    mov 4(%esp), %ecx\n"
        "    and $-16, %esp\n"
        "    sub $8, %esp\n"
        "    push %ecx\n"
        "    push %eax\n"
        "    call pf_handler\n"
        "1:  jmp 1b\n");
#endif
void pf_entry(void);

static void stage_ldt(void)
{
    unsigned long ldt_mfn = p2m[2];
    unsigned short fs;

    stage = 3;
    printf("update_descriptor: %ld\n",
           update_descriptor((uint64_t)ldt_mfn << 12 | 8,
                             0x00cf93000000ffffull));
    printf("update_descriptor (TSS): %ld\n",
           update_descriptor((uint64_t)ldt_mfn << 12 | 16,
                             0x0000890000000067ull));
    printf("update_descriptor (misaligned): %ld\n",
           update_descriptor((uint64_t)ldt_mfn << 12 | 4, 0));
    printf("map LDT page read-only: %ld\n",
           uvm(0x2000, (uint64_t)ldt_mfn << 12 | PG_P | PG_A));
    printf("set_ldt: %ld\n", mmuext(SET_LDT, 0x2000, 2));
    __asm__ volatile("mov %1, %%fs\n\tmov %%fs, %0" : "=r"(fs) : "r"(LDT_SEL));
    printf("fs from the LDT: %#x, descriptor now %llx\n", fs,
           (unsigned long long)*at(0x2008));
    printf("map LDT page writable: %ld\n",
           uvm(0x3000, (uint64_t)ldt_mfn << 12 | PG_KERNEL));
    __asm__ volatile("mov %0, %%fs" : : "r"(0u));
    printf("clear LDT: %ld\n", mmuext(SET_LDT, 0, 0));
    printf("map it writable now: %ld\n",
           uvm(0x3000, (uint64_t)ldt_mfn << 12 | PG_KERNEL));
    printf("restore: %ld\n", uvm(0x3000, (uint64_t)p2m[3] << 12 | PG_KERNEL));
    rt_exit(0);
}

int main(void)
{
    static uint8_t traps[32] __attribute__((aligned(16)));
    unsigned tsize = sizeof(long) == 8 ? 16 : 8;
    unsigned done = 99;

    p2m = (unsigned long *)si(SI_MFN_LIST);
    nr_pages = si(32);
    spare_mfn = p2m[nr_pages - 1];
    pt_base_mfn = p2m[si(SI_PT_BASE) >> 12];
    printf("m2p agrees with p2m: %d\n", M2P[p2m[5]] == 5 &&
           M2P[spare_mfn] == nr_pages - 1);

    /* Map, write, map again read-only, read, remap. */
    printf("map: %ld\n", uvm(0x1000, (uint64_t)spare_mfn << 12 | PG_KERNEL));
    *at(0x1000) = 0x1122334455667788ull;
    printf("map read-only: %ld\n", uvm(0x2000, (uint64_t)spare_mfn << 12 | PG_P));
    printf("read back: %llx\n", (unsigned long long)*at(0x2000));
    printf("remap: %ld\n", uvm(0x1000, (uint64_t)p2m[1] << 12 | PG_KERNEL));
    printf("old page again: %llx\n", (unsigned long long)*at(0x1000));

    /* Xen's refusals. */
    printf("page table writable: %ld\n",
           uvm(0x1000, (uint64_t)pt_base_mfn << 12 | PG_KERNEL));
    printf("Xen's frame: %ld\n", uvm(0x1000, 0 << 12 | PG_P));
    printf("not RAM: %ld\n", uvm(0x1000, 0x100000000ull << 12 | PG_P));
    printf("PCD: %ld\n", uvm(0x1000, (uint64_t)p2m[1] << 12 | PG_KERNEL | PG_PCD));
    printf("bad command: %ld", mmu_update((uint64_t)pt_base_mfn << 12 | 5, 0, &done));
    printf(", done %u\n", done);
    printf("m2p update: %ld", mmu_update((uint64_t)spare_mfn << 12 | 1,
                                         nr_pages - 1, &done));
    printf(", done %u\n", done);

    /* Pinning: the spare page (mapped read-only) as an L1. */
    printf("pin L1: %ld\n", mmuext(PIN_L1, spare_mfn, 0));
    printf("pin again: %ld\n", mmuext(PIN_L1, spare_mfn, 0));
    printf("map the pinned L1 writable: %ld\n",
           uvm(0x1000, (uint64_t)spare_mfn << 12 | PG_KERNEL));
    printf("unpin: %ld\n", mmuext(UNPIN, spare_mfn, 0));
    printf("unpin again: %ld\n", mmuext(UNPIN, spare_mfn, 0));

    /* Unmap, then touch it. */
    *(uint16_t *)(traps + 2) = GUEST_KERNEL_CS;
    traps[0] = 14;
    *(unsigned long *)(traps + tsize / 2) = (unsigned long)pf_entry;
    printf("set_trap_table: %ld\n",
           HYPERCALL(__HYPERVISOR_set_trap_table, traps, 0, 0));
    printf("unmap: %ld\n", uvm(0x2000, 0));
    stage = 1;
    (void)*at(0x2000);
    printf("FAIL: no fault\n");
    return 1;
}
