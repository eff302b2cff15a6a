/*
 * Call gates of a 32-bit PV guest, which Xen emulates (x86/pv/emul-gate-
 * op.c): check_descriptor gives each gate DPL 0 (the guest's DPL rides in
 * the target selector's RPL), so every use faults and Xen does the far
 * CALL/JMP — to the kernel ring on kernel_ss:kernel_sp with the outer
 * SS:ESP and the parameters copied, at the same privilege on the current
 * stack, through ptr16:32 or m16:32 — or gives the fault the hardware
 * would.  A 64-bit guest's gates are not emulated: it gets the #GP.
 */
#include "pvrt.h"

#define DOMID_SELF 0x7ff0u
#define PG_U 0x004ull
#define HC_update_descriptor 10
enum { SET_LDT = 13 };
#ifdef __x86_64__
#define SI_PT_BASE 88
#define SI_MFN_LIST 104
#define KCS 0xe033u
#else
#define SI_PT_BASE 60
#define SI_MFN_LIST 68
#define KCS 0xe019u
#define M2P ((unsigned long *)0xf5800000ul)
#endif
#define UCS 0xe02bu
#define USS 0xe033u
#define KSS 0xe021u
#define GATE(i, rpl) ((i) << 3 | 4 | (rpl))

extern char _start[], _end[];
extern char gate_target[], gate_target_params[], user_target[];

static unsigned long *p2m;
static uint8_t user_page[4096] __attribute__((aligned(4096)));
static uint8_t kernel_stack[4096] __attribute__((aligned(16)));
static unsigned long user_fn;

static unsigned long si(unsigned off)
{
    return *(unsigned long *)((char *)pv_start_info + off);
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

static long uvm(unsigned long va, uint64_t pte)
{
#ifdef __x86_64__
    return HYPERCALL(__HYPERVISOR_update_va_mapping, va, pte, 2);
#else
    return pv_hypercall(__HYPERVISOR_update_va_mapping, va, (uint32_t)pte,
                        (uint32_t)(pte >> 32), 2, 0);
#endif
}

static long set_ldt(unsigned long va, unsigned ents)
{
    struct { unsigned cmd; unsigned long arg1, arg2; } op = { SET_LDT, va, ents };
    return pv_hypercall(__HYPERVISOR_mmuext_op, (unsigned long)&op, 1, 0,
                        DOMID_SELF, 0);
}

/* A call gate: target selector and offset, type 0xc (32-bit) or 0x4,
 * present or not, DPL, parameter count. */
static uint64_t gate(unsigned sel, unsigned long off, unsigned type, int p,
                     unsigned dpl, unsigned nparm)
{
    uint32_t a = sel << 16 | (off & 0xffff);
    uint32_t b = (off & 0xffff0000u) | (p ? 0x8000u : 0) | dpl << 13 |
                 type << 8 | nparm;
    return (uint64_t)b << 32 | a;
}

/* What the gate targets saw (ring 1: they may write here). */
static volatile unsigned long seen[8], seen_cs, seen_ss, seen_esp;

#ifndef __x86_64__
/* Ring-1 targets: the kernel's data selectors (a call from ring 3 comes
 * with the null ones ring 3 was left with), record the frame and CS/SS,
 * return with lret. */
__asm__(".text\n"
        "gate_target:\n"
        "    mov $0xe021, %eax\n mov %eax, %ds\n mov %eax, %es\n"
        "    mov %esp, seen_esp\n"
        "    mov %cs, %eax\n mov %eax, seen_cs\n"
        "    mov %ss, %eax\n mov %eax, seen_ss\n"
        "    mov 0(%esp), %eax\n mov %eax, seen+0\n"
        "    mov 4(%esp), %eax\n mov %eax, seen+4\n"
        "    mov 8(%esp), %eax\n mov %eax, seen+8\n"
        "    mov 12(%esp), %eax\n mov %eax, seen+12\n"
        "    mov $0xcafe, %eax\n"
        "    lret\n"
        "gate_target_params:\n"
        "    mov $0xe021, %eax\n mov %eax, %ds\n mov %eax, %es\n"
        "    mov %esp, seen_esp\n"
        "    mov 0(%esp), %eax\n mov %eax, seen+0\n"
        "    mov 4(%esp), %eax\n mov %eax, seen+4\n"
        "    mov 8(%esp), %eax\n mov %eax, seen+8\n"
        "    mov 12(%esp), %eax\n mov %eax, seen+12\n"
        "    mov 16(%esp), %eax\n mov %eax, seen+16\n"
        "    mov 20(%esp), %eax\n mov %eax, seen+20\n"
        "    mov $0xbeef, %eax\n"
        "    lret $8\n");

/* User code (its page gets the U bit); each ends in a trap. */
extern char u_call_ret[], u_params_ret[], u_mem_ret[], u_dpl1[], u_np[],
            u_g16[], u_jmp_k[], u_same_ret[], u_jmp_u[];
void u_call(void), u_params(void), u_mem(void), u_call_dpl1(void),
     u_call_np(void), u_call16(void), u_jmp_kernel(void), u_call_same(void),
     u_jmp_user(void);
__asm__(".text\n .balign 4096\n"
        "u_call:     lcall $0x0f, $0\n u_call_ret: ud2\n"
        "u_params:   pushl $0x1111\n pushl $0x2222\n lcall $0x17, $0\n"
        "u_params_ret: ud2\n"
        "u_mem:      mov $0xe033, %eax\n mov %eax, %ds\n"
        "            lcall *farptr\n u_mem_ret: ud2\n"
        "u_call_dpl1: u_dpl1: lcall $0x1f, $0\n ud2\n"
        "u_call_np:  u_np: lcall $0x27, $0\n ud2\n"
        "u_call16:   u_g16: lcall $0x37, $0\n ud2\n"
        "u_jmp_kernel: u_jmp_k: ljmp $0x0f, $0\n ud2\n"
        "u_call_same: lcall $0x2f, $0\n u_same_ret: ud2\n"
        "u_jmp_user: u_jmp_u: ljmp $0x2f, $0\n ud2\n"
        "user_target: mov %cs, %eax\n int3\n"
        " .balign 4096\n");
#endif
/* The CALL m16:32 operand. */
struct farptr { uint32_t off; uint16_t sel; } __attribute__((packed));
struct farptr farptr = { 0, GATE(2, 3) };
struct farptr farptr_k = { 0, GATE(1, 3) };

static __attribute__((unused)) void enter_user(void)
{
    unsigned long sp = (unsigned long)user_page + 4096 - 64;
    __asm__ volatile("push %0\n push %1\n pushl $0x202\n push %2\n push %3\n"
                     "jmp hypercall_page + 23 * 32\n"
                     :: "r"((unsigned long)USS), "r"(sp),
                        "r"((unsigned long)UCS), "r"(user_fn));
}

static __attribute__((unused)) void run(const char *what, void (*fn)(void),
                                        const void *at)
{
    struct pv_trap t;
    int v;

    memset((void *)seen, 0, sizeof(seen));
    seen_cs = seen_ss = seen_esp = 0;
    user_fn = (unsigned long)fn;
    v = pv_try(enter_user, &t);
    printf("%-28s vector %2d error %#5lx ip %-7s cs %#lx eax %#lx\n", what,
           v, t.error, t.ip == (unsigned long)at ? "ok" : "ELSEWHERE",
           t.cs & 0xffff, t.ax & 0xffff);
}

#ifndef __x86_64__
/* The image's pages with U (its L1 entries, through mmu_update). */
static void user_pages(void)
{
    uint64_t *l3 = (uint64_t *)si(SI_PT_BASE);
    unsigned long va;

    for (va = (unsigned long)_start & ~4095ul; va < (unsigned long)_end;
         va += 4096) {
        uint64_t *l2 = (uint64_t *)(M2P[(unsigned long)(l3[va >> 30] >> 12)]
                                    << 12);
        uint64_t *l1 = (uint64_t *)(M2P[(unsigned long)
                                        (l2[(va >> 21) & 511] >> 12)] << 12);
        uint64_t req[2] = { ((uint64_t)p2m[(unsigned long)l1 >> 12] << 12) +
                            ((va >> 12) & 511) * 8,
                            l1[(va >> 12) & 511] | PG_U };
        pv_hypercall(__HYPERVISOR_mmu_update, (unsigned long)req, 1, 0,
                     DOMID_SELF, 0);
    }
}
#endif

#ifndef __x86_64__
static void kernel_rpl3_on_dpl1_gate(void)
{
    __asm__ volatile("lcall $0x1f, $0");      /* RPL 3 > the gate's DPL 1 */
}

static void kernel_call(void)
{
    __asm__ volatile("lcall $0x0d, $0" ::: "eax", "memory");
}
#else
static void kernel_call(void)
{
    __asm__ volatile("lcall *farptr_k(%%rip)" ::: "memory");
}
#endif

int main(void)
{
    unsigned long ldt_mfn;
    uint64_t maddr;
    struct pv_trap t;
    int v;

    p2m = (unsigned long *)si(SI_MFN_LIST);
    ldt_mfn = p2m[2];
    maddr = (uint64_t)ldt_mfn << 12;
    pv_trap_init();
    pv_set_trap(0x80, 3);
    HYPERCALL(__HYPERVISOR_stack_switch, KSS,
              kernel_stack + sizeof(kernel_stack), 0);
#ifdef __x86_64__
    printf("gate: %ld\n",
           update_descriptor(maddr + 1 * 8, gate(KCS, 0x401000, 0xc, 1, 3, 0)));
    printf("LDT read-only: %ld, set_ldt: %ld\n",
           uvm(0x2000, maddr | 0x21), set_ldt(0x2000, 8));
    v = pv_try(kernel_call, &t);
    printf("64-bit lcall through a gate: vector %d error %#lx "
           "(not emulated)\n", v, t.error);
#else
    /* The LDT page typed as one first (a selector of it loaded), so that
     * the gates are checked once, as they are written: a stored gate does
     * not pass check_descriptor again (its RPL now holds the DPL). */
    printf("user code descriptor: %ld, LDT read-only: %ld, set_ldt: %ld\n",
           update_descriptor(maddr + 7 * 8, 0x00cffa000000ffffull),
           uvm(0x2000, maddr | 0x21), set_ldt(0x2000, 8));
    __asm__ volatile("mov %0, %%fs\n mov %1, %%fs" :: "r"(0x3fu), "r"(0u));
    printf("gates: %ld %ld %ld %ld %ld %ld\n",
           update_descriptor(maddr + 1 * 8, gate(KCS, (unsigned long)gate_target,
                                                 0xc, 1, 3, 0)),
           update_descriptor(maddr + 2 * 8,
                             gate(KCS, (unsigned long)gate_target_params,
                                  0xc, 1, 3, 2)),
           update_descriptor(maddr + 3 * 8, gate(KCS, (unsigned long)gate_target,
                                                 0xc, 1, 1, 0)),
           update_descriptor(maddr + 4 * 8, gate(KCS, (unsigned long)gate_target,
                                                 0xc, 0, 3, 0)),
           update_descriptor(maddr + 5 * 8, gate(0x3c, (unsigned long)user_target,
                                                 0xc, 1, 3, 0)),
           update_descriptor(maddr + 6 * 8, gate(KCS, (unsigned long)gate_target,
                                                 0x4, 1, 3, 0)));
    {
        uint32_t lo = *(volatile uint32_t *)0x2008;
        uint32_t hi = *(volatile uint32_t *)0x200c;
        printf("gate 1 as stored: DPL %u, selector RPL %u\n",
               (hi >> 13) & 3, (lo >> 16) & 3);
    }
    user_pages();
    run("call gate, ring 3 -> 1", u_call, u_call_ret);
    printf("  target: cs %#lx ss %#lx; frame: eip %s cs %#lx esp %s "
           "ss %#lx; on kernel_sp: %s\n", seen_cs, seen_ss,
           seen[0] == (unsigned long)u_call_ret ? "ok" : "WRONG", seen[1],
           seen[2] > (unsigned long)user_page &&
           seen[2] <= (unsigned long)user_page + 4096 ? "user" : "OTHER",
           seen[3], seen_esp == (unsigned long)kernel_stack +
           sizeof(kernel_stack) - 16 ? "yes" : "no");
    run("call gate, 2 parameters", u_params, u_params_ret);
    printf("  frame: eip %s cs %#lx params %#lx %#lx esp %s ss %#lx\n",
           seen[0] == (unsigned long)u_params_ret ? "ok" : "WRONG", seen[1],
           seen[2], seen[3],
           seen[4] > (unsigned long)user_page &&
           seen[4] <= (unsigned long)user_page + 4096 ? "user" : "OTHER",
           seen[5]);
    run("call gate, m16:32 operand", u_mem, u_mem_ret);
    run("gate DPL 1 from ring 3", u_call_dpl1, u_dpl1);
    run("gate not present", u_call_np, u_np);
    run("16-bit gate (refused above)", u_call16, u_g16);
    run("jmp to ring 1 through gate", u_jmp_kernel, u_jmp_k);
    run("call gate to ring 3", u_call_same, user_target + 3);
    run("jmp gate to ring 3", u_jmp_user, user_target + 3);
    v = pv_try(kernel_rpl3_on_dpl1_gate, &t);
    printf("%-28s vector %2d error %#5lx\n", "ring 1, RPL 3 on a DPL-1 gate",
           v, t.error);
    seen_cs = 0;
    v = pv_try(kernel_call, &t);
    printf("%-28s vector %2d, target cs %#lx, returned by lret\n",
           "ring 1 -> ring 1 call gate", v, seen_cs);
#endif
    return 0;
}
