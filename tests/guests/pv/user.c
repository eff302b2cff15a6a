/*
 * User mode under Xen, as the kernel sees each way back in (Xen 4.17
 * entry.S create_bounce_frame / switch_to_kernel, compat/entry.S
 * compat_create_bounce_frame / compat_syscall, pv/traps.c):
 *
 * 64-bit: a user L4 of our own (MMUEXT_NEW_USER_BASEPTR); each exception
 * or INT n from user mode switches Xen to kernel mode (kernel L4, SWAPGS)
 * and builds the frame on kernel_sp with the user's CS/SS; user SYSCALL
 * reaches the syscall callback (events masked when registered so; a
 * compatibility-mode SYSCALL the syscall32 one, #UD without one); the
 * iret hypercall back with and without VGCF_in_syscall.
 * 32-bit: ring 3 -> ring 1 frames with ESP/SS, int $0x80 straight to
 * trap_info[0x80] whatever its DPL, SYSCALL to the syscall32 callback
 * with Xen's user selectors (#GP without one), SYSENTER (#UD: the modelled
 * AMD CPU has none in long mode).
 *
 * Each user run ends in a trap the kernel catches with pv_try; the user
 * code reports through eax/rax.
 */
#include "pvrt.h"

#define DOMID_SELF 0x7ff0u
#define PG_P 0x001ull
#define PG_RW 0x002ull
#define PG_U 0x004ull
#define PG_A 0x020ull
#define PG_D 0x040ull
#define UVMF_INVLPG 2
enum { CALLBACKOP_register = 0 };
enum { CB_syscall = 2, CB_syscall32 = 7 };
#define CALLBACKF_mask_events 1
#ifdef __x86_64__
#define USER_CS 0xe033ul
#define USER_SS 0xe02bul
#define KERNEL_SS 0xe02bul
#define SI_PT_BASE 88
#define SI_NR_PT 96
#define SI_MFN_LIST 104
#else
#define USER_CS 0xe02bul
#define USER_SS 0xe033ul
#define KERNEL_SS 0xe021ul
#define SI_PT_BASE 60
#define SI_NR_PT 64
#define SI_MFN_LIST 68
#define M2P ((unsigned long *)0xf5800000ul)
#endif
#define SYSCALL_VEC 0xf0          /* the pvrt stub the syscall callbacks use */
/* The 2-byte SYSCALL before label l. */
#define AT_SYSCALL(l) ((const void *)((unsigned long)(l) - 2))
#define VCPU0_MASK (((volatile uint8_t *)0x1000)[1])

extern char _start[], _end[], pv_trap_stubs[];

static uint8_t user_page[4096] __attribute__((aligned(4096)));
static uint8_t kernel_stack[8192] __attribute__((aligned(16)));
static unsigned long user_fn;

static unsigned long si(unsigned off)
{
    return *(unsigned long *)((char *)pv_start_info + off);
}

static unsigned long va_to_mfn(const void *va)
{
    return ((unsigned long *)si(SI_MFN_LIST))[(unsigned long)va >> 12];
}

static __attribute__((unused)) long mmuext(unsigned cmd, unsigned long arg1)
{
    struct { uint32_t cmd, pad; unsigned long arg1, arg2; } op = {
        cmd, 0, arg1, 0 };
    return pv_hypercall(__HYPERVISOR_mmuext_op, (unsigned long)&op, 1, 0,
                        DOMID_SELF, 0);
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

static long callback(unsigned type, unsigned flags, unsigned long ip)
{
    struct { uint16_t type, flags; uint32_t cs; unsigned long address; } cb = {
        (uint16_t)type, (uint16_t)flags, sizeof(long) == 8 ? 0 : 0xe019, ip,
    };
    return HYPERCALL(__HYPERVISOR_callback_op, CALLBACKOP_register, &cb, 0);
}

/* ---- the user address space ----------------------------------------------- */

#ifdef __x86_64__
/* A user L4 mapping the image again with U (user_page writable), pinned
 * and installed as the user base pointer.  VA 0x1000 stays kernel-only. */
static void build_user_space(void)
{
    unsigned long free = si(SI_PT_BASE) + (si(SI_NR_PT) + 1) * 4096, va;
    uint64_t *l4 = (uint64_t *)free, *l3 = l4 + 512, *l2 = l3 + 512,
             *l1 = l2 + 512;

    for (va = (unsigned long)_start & ~4095ul; va < (unsigned long)_end;
         va += 4096)
        l1[(va >> 12) & 511] = (uint64_t)va_to_mfn((void *)va) << 12 | PG_P |
            PG_U | PG_A | (va == (unsigned long)user_page ? PG_RW | PG_D : 0);
    l2[((unsigned long)_start >> 21) & 511] =
        (uint64_t)va_to_mfn(l1) << 12 | PG_P | PG_RW | PG_U | PG_A;
    l3[0] = (uint64_t)va_to_mfn(l2) << 12 | PG_P | PG_RW | PG_U | PG_A;
    l4[0] = (uint64_t)va_to_mfn(l3) << 12 | PG_P | PG_RW | PG_U | PG_A;
    for (va = free; va < free + 4 * 4096; va += 4096)
        uvm(va, (uint64_t)va_to_mfn((void *)va) << 12 | PG_P | PG_A);
    printf("pin user L4: %ld, new user baseptr: %ld\n",
           mmuext(3 /* PIN_L4 */, va_to_mfn(l4)),
           mmuext(15 /* NEW_USER_BASEPTR */, va_to_mfn(l4)));
}
#else
/* One address space: the image's L1 entries get U (mmu_update). */
static void build_user_space(void)
{
    uint64_t *l3 = (uint64_t *)si(SI_PT_BASE);
    unsigned long va;
    long bad = 0;

    for (va = (unsigned long)_start & ~4095ul; va < (unsigned long)_end;
         va += 4096) {
        uint64_t *l2 = (uint64_t *)(M2P[(unsigned long)(l3[va >> 30] >> 12)]
                                    << 12);
        uint64_t *l1 = (uint64_t *)(M2P[(unsigned long)
                                        (l2[(va >> 21) & 511] >> 12)] << 12);
        uint64_t req[2] = { ((uint64_t)va_to_mfn(l1) << 12) +
                            ((va >> 12) & 511) * 8,
                            l1[(va >> 12) & 511] | PG_U };
        if (pv_hypercall(__HYPERVISOR_mmu_update, (unsigned long)req, 1, 0,
                         DOMID_SELF, 0))
            bad++;
    }
    printf("U bit on the image's pages: %ld failures\n", bad);
}
#endif

/* ---- entering user mode ----------------------------------------------------- */

/* The iret hypercall to user_fn in user mode on user_page's stack. */
static void enter_user(void)
{
    unsigned long sp = (unsigned long)user_page + sizeof(user_page) - 64;
#ifdef __x86_64__
    __asm__ volatile("push %0\n push %1\n pushq $0x202\n push %2\n push %3\n"
                     "pushq $0\n jmp hypercall_page + 23 * 32\n"
                     :: "r"(USER_SS), "r"(sp), "r"(USER_CS), "r"(user_fn));
#else
    __asm__ volatile("push %0\n push %1\n pushl $0x202\n push %2\n push %3\n"
                     "jmp hypercall_page + 23 * 32\n"
                     :: "r"(USER_SS), "r"(sp), "r"(USER_CS), "r"(user_fn));
#endif
}

/* What to show of the user's registers at the trap. */
enum { SHOW_EAX, SHOW_SYSCALL_REGS, SHOW_RCX_AFTER };

static void run(const char *what, void (*fn)(void), const char *at_label,
                const void *at, int show)
{
    struct pv_trap t;
    int v;

    user_fn = (unsigned long)fn;
    v = pv_try(enter_user, &t);
    printf("%-24s vector %3d error %#5lx ip %-6s cs %#lx ss %#lx sp %s",
           what, v, t.error,
           t.ip == (unsigned long)at ? at_label : "ELSEWHERE", t.cs & 0xffff,
           t.ss, t.sp > (unsigned long)user_page &&
           t.sp <= (unsigned long)user_page + 4096 ? "user" : "OTHER");
    switch (show) {
    case SHOW_EAX:
        printf(" eax %#lx\n", t.ax & 0xffffffff);
        break;
    case SHOW_SYSCALL_REGS:            /* as SYSCALL left them */
        printf(" eax %#lx rcx %s r11 %#lx\n", t.ax & 0xffffffff,
               t.rcx == (unsigned long)at ? "= next ip" : "OTHER",
               t.r11 & ~0x10ul);
        break;
    default:                           /* the user's rcx, in rax */
        printf(" user rcx %s\n", t.ax == 0xdead ? "0xdead (the frame's)"
               : t.ax == (unsigned long)at - 3 ? "= return ip" : "OTHER");
        break;
    }
}

/* ---- the user programs (each ends in a trap) ---------------------------- */

extern char u_ud[], u_bp_next[], u_int80_next[], u_int40[], u_int40_next[],
            u_hlt[], u_pf[], u_sys_next[], u_sys2_ud[], u_sys3[];
void user_ud(void), user_bp(void), user_int80(void), user_int40(void),
     user_hlt(void), user_pf(void), user_sys(void);
#ifdef __x86_64__
extern char u_sys32_next[];
void user_sys_rcx(void), user_sys32(void);
static volatile unsigned long user_gs_word = 0x5553, kernel_gs_word = 0x4b52;
__asm__(".text\n"
        "user_ud:      mov %gs:0, %rax\n u_ud: ud2\n"
        "user_bp:      mov $0xb9, %eax\n int3\n u_bp_next: ud2\n"
        "user_int80:   mov $0x80, %eax\n int $0x80\n u_int80_next: ud2\n"
        "user_int40:   mov $0x40, %eax\n u_int40: int $0x40\n u_int40_next: ud2\n"
        "user_hlt:     xor %eax, %eax\n u_hlt: hlt\n ud2\n"
        "user_pf:      mov $0x1234, %eax\n u_pf: mov 0x1000, %eax\n ud2\n"
        "user_sys:     mov $0x5c, %eax\n syscall\n u_sys_next: ud2\n"
        /* after the callback's iret: report rcx (3-byte mov, then ud2) */
        "user_sys_rcx: mov $0x5d, %eax\n syscall\n mov %rcx, %rax\n"
        "u_sys2_ud:    ud2\n"
        /* compatibility mode: far return to CS 0xe023 */
        "user_sys32:   pushq $0xe023\n lea 1f(%rip), %rax\n push %rax\n"
        "              lretq\n"
        ".code32\n"
        "1:            mov $0x32, %eax\n syscall\n u_sys32_next: ud2\n"
        ".code64\n");
#else
void user_sysenter(void);
__asm__(".text\n"
        "user_ud:      mov %ds, %eax\n u_ud: ud2\n"
        "user_bp:      mov $0xb9, %eax\n int3\n u_bp_next: ud2\n"
        "user_int80:   mov $0x80, %eax\n int $0x80\n u_int80_next: ud2\n"
        "user_int40:   mov $0x40, %eax\n u_int40: int $0x40\n u_int40_next: ud2\n"
        "user_hlt:     xor %eax, %eax\n u_hlt: hlt\n ud2\n"
        /* ring 3 came with a null DS: the user's own first */
        "user_pf:      mov $0xe033, %ecx\n mov %ecx, %ds\n"
        "              mov $0x1234, %eax\n u_pf: mov 0x1000, %eax\n ud2\n"
        "user_sys:     mov $0x5c, %eax\n syscall\n u_sys_next: ud2\n"
        "user_sysenter: mov $0x5e, %eax\n u_sys3: sysenter\n ud2\n");
#endif

#ifdef __x86_64__
/* A syscall callback that makes the frame's RCX 0xdead and returns with
 * the iret flags in syscall_ret_flags: without VGCF_in_syscall the user
 * gets RCX/R11 from the frame, with it RCX = RIP, R11 = RFLAGS. */
static volatile unsigned long syscall_ret_flags;
static volatile uint8_t mask_in_callback;
__asm__(".text\n"
        "sys_return_cb:\n"
        "    movq $0xdead, (%rsp)\n"
        "    pop %rcx\n pop %r11\n"
        "    pushq syscall_ret_flags(%rip)\n"
        "    jmp hypercall_page + 23 * 32\n");
extern char sys_return_cb[];
#endif

static void user_tests(void)
{
    run(sizeof(long) == 8 ? "#UD (eax: GS:0)" : "#UD (eax: DS)", user_ud,
        "u_ud", u_ud, SHOW_EAX);
    run("int3", user_bp, "next", u_bp_next, SHOW_EAX);
    run("int $0x80 (DPL 3)", user_int80, "next", u_int80_next, SHOW_EAX);
    pv_set_trap(0x80, 0);
    run("int $0x80 (DPL 0)", user_int80, "next", u_int80_next, SHOW_EAX);
    run("int $0x40 (DPL 0)", user_int40, "u_int40", u_int40, SHOW_EAX);
    pv_set_trap(0x40, 3);
    run("int $0x40 (DPL 3)", user_int40, "next", u_int40_next, SHOW_EAX);
    run("hlt", user_hlt, "u_hlt", u_hlt, SHOW_EAX);
    run("kernel-only page", user_pf, "u_pf", u_pf, SHOW_EAX);
    printf("  cr2 %#lx\n", (unsigned long)read_cr2());
}

int main(void)
{
    unsigned long sys_stub = (unsigned long)pv_trap_stubs + 16 * SYSCALL_VEC;

    /* shared_info (vcpu_info 0) at 0x1000, a page user mode may not
     * touch. */
    uvm(0x1000, (uint64_t)si(sizeof(long) == 8 ? 40 : 36) | PG_P | PG_RW |
                PG_A | PG_D);
    VCPU0_MASK = 0;
    pv_trap_init();
    pv_set_trap(0x80, 3);
    printf("stack_switch: %ld\n",
           HYPERCALL(__HYPERVISOR_stack_switch, KERNEL_SS,
                     kernel_stack + sizeof(kernel_stack), 0));
    build_user_space();
#ifdef __x86_64__
    /* GS: the kernel's word in kernel mode, the user's in user mode. */
    HYPERCALL(__HYPERVISOR_set_segment_base, 2, &kernel_gs_word, 0);
    HYPERCALL(__HYPERVISOR_set_segment_base, 1, &user_gs_word, 0);
    {
        unsigned long k;
        __asm__ volatile("mov %%gs:0, %0" : "=r"(k));
        printf("kernel GS:0 %#lx (user's %#lx)\n", k, user_gs_word);
    }
    user_tests();
    /* SYSCALL: the syscall callback, with events masked when asked. */
    run("syscall, no callback", user_sys, "at it", AT_SYSCALL(u_sys_next), SHOW_EAX);
    printf("callback (mask events): %ld\n",
           callback(CB_syscall, CALLBACKF_mask_events, sys_stub));
    run("syscall", user_sys, "next", u_sys_next, SHOW_SYSCALL_REGS);
    printf("  events masked in the callback: %u\n", VCPU0_MASK);
    VCPU0_MASK = 0;
    printf("callback: %ld\n", callback(CB_syscall, 0, (unsigned long)
                                        sys_return_cb));
    syscall_ret_flags = 0;
    run("iret, flags 0", user_sys_rcx, "u_sys2", u_sys2_ud, SHOW_RCX_AFTER);
    syscall_ret_flags = 0x100;
    run("iret, VGCF_in_syscall", user_sys_rcx, "u_sys2", u_sys2_ud,
        SHOW_RCX_AFTER);
    printf("  events masked: %u\n", VCPU0_MASK);
    /* Compatibility mode: the syscall32 callback, #UD without one. */
    run("syscall32, no callback", user_sys32, "at it", AT_SYSCALL(u_sys32_next),
        SHOW_EAX);
    printf("callback syscall32: %ld\n", callback(CB_syscall32, 0, sys_stub));
    run("syscall32", user_sys32, "next", u_sys32_next, SHOW_SYSCALL_REGS);
#else
    user_tests();
    /* compat_syscall: #GP(0) at the SYSCALL without a syscall32 callback;
     * with one, Xen's flat user selectors in the frame. */
    run("syscall, no callback", user_sys, "at it", AT_SYSCALL(u_sys_next), SHOW_EAX);
    printf("callback syscall32: %ld\n", callback(CB_syscall32, 0, sys_stub));
    run("syscall", user_sys, "next", u_sys_next, SHOW_EAX);
    run("sysenter", user_sysenter, "at it", u_sys3, SHOW_EAX);
#endif
    return 0;
}
