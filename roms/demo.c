/*
 * The xenemu demo guest: a tiny Xen PV kernel that shows how a hypervisor
 * shares out the privilege levels, saying what it does at each step.
 *
 * Under Xen the hypervisor owns ring 0.  A 64-bit PV kernel runs in ring 3
 * like its user programs, told apart by Xen's kernel/user mode flag and by
 * separate page tables; a 32-bit PV kernel runs in ring 1 ("ring
 * compression") and its user programs in ring 3.
 *
 *   1. Xen's domain builder starts the kernel with paging on, a boot stack
 *      and start_info; it talks to Xen with hypercalls (syscall on 64-bit,
 *      int $0x82 on 32-bit, through the hypercall page).
 *   2. The kernel registers a trap table and its callbacks (event, and on
 *      64-bit the syscall callback that user-mode SYSCALL arrives at).
 *   3. It builds page tables for a user program (64-bit: a separate user
 *      L4, pinned and installed with MMUEXT_NEW_USER_BASEPTR; 32-bit: the
 *      user pages get the U bit through mmu_update) and enters it with the
 *      iret hypercall.
 *   4. Events and time: the kernel maps shared_info, binds the timer VIRQ
 *      to an event channel, sets a one-shot timer 1 ms ahead and blocks;
 *      Xen runs virtual time forward to the deadline, marks the port
 *      pending and enters the kernel's event callback (an upcall).
 *   5. The user program makes system calls; Xen bounces each to the kernel,
 *      which prints it through a hypercall and returns with iret.
 *   6. The kernel shuts the domain down (SCHEDOP_shutdown, poweroff).
 */
#include "pvrt.h"

enum { SYS_WRITE = 1, SYS_EXIT = 60 };

static unsigned ring(void)
{
    uint16_t cs;

    __asm__ volatile("mov %%cs, %0" : "=r"(cs));
    return cs & 3;
}

#ifdef __x86_64__
#define BITS 64
#define KERNEL_WHERE "ring 3, guest kernel mode"
#else
#define BITS 32
#define KERNEL_WHERE "ring 1"
#endif

/* --- the console: a line a console_io hypercall (short traces) ----------- */

static char line[128];
static unsigned line_len;

static void console_flush(void)
{
    if (line_len)
        HYPERCALL(__HYPERVISOR_console_io, 0, line_len, line);
    line_len = 0;
}

/* Replaces the runtime's rt_putc (a hypercall a character). */
void rt_putc(char c)
{
    line[line_len++] = c;
    if (c == '\n' || line_len == sizeof(line))
        console_flush();
}

static RT_NORETURN void shutdown(unsigned reason)
{
    console_flush();
    pv_shutdown(reason);
}

/* --- the user program (runs in ring 3) ------------------------------------ */

static long user_syscall(long nr, long a1, long a2)
{
    long ret;
#ifdef __x86_64__
    __asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a1), "S"(a2)
                     : "rcx", "r11", "memory");
#else
    __asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a1), "c"(a2)
                     : "memory");
#endif
    return ret;
}

static const char user_msg1[] = "hello from user mode";
static const char user_msg2[] = "and goodbye";

void user_main(void);
void user_main(void)
{
    user_syscall(SYS_WRITE, (long)user_msg1, sizeof(user_msg1) - 1);
    user_syscall(SYS_WRITE, (long)user_msg2, sizeof(user_msg2) - 1);
    user_syscall(SYS_EXIT, ring(), 0);
    for (;;)
        ;
}

/* A page for the user stack, mapped writable into user space. */
static uint8_t user_stack[4096] __attribute__((aligned(4096)));

/* --- the kernel side -------------------------------------------------------- */

static uint16_t user_cs;

static void sys_write(const char *buf, long len)
{
    printf("  user ring 3 (cs %#x) -> kernel %s (cs %#x) -> Xen in ring 0 "
           "(console_io): \"", user_cs, KERNEL_WHERE, read_cs());
    for (long i = 0; i < len; i++)
        rt_putc(buf[i]);
    printf("\"\n");
}

static RT_NORETURN void sys_exit(long user_ring)
{
    printf("kernel: the user program exited from ring %ld; back in %s "
           "(cs %#x)\n", user_ring, KERNEL_WHERE, read_cs());
    printf("kernel: SCHEDOP_shutdown(poweroff)\n");
    shutdown(SHUTDOWN_poweroff);
}

/* Called from the system-call entry stubs below, in kernel mode. */
long demo_syscall(long nr, long a1, long a2, long cs);
long demo_syscall(long nr, long a1, long a2, long cs)
{
    user_cs = (uint16_t)cs;
    switch (nr) {
    case SYS_WRITE:
        sys_write((const char *)a1, a2);
        return a2;
    case SYS_EXIT:
        sys_exit(a1);
    default:
        return -1;
    }
}

/* Any exception: say which and stop. */
void demo_trap(unsigned long vector, unsigned long error, unsigned long ip);
void demo_trap(unsigned long vector, unsigned long error, unsigned long ip)
{
    printf("kernel: unexpected exception %lu (error %#lx) at %#lx\n", vector,
           error, ip);
    shutdown(SHUTDOWN_crash);
}

#ifdef __x86_64__
/*
 * 64-bit: user SYSCALL arrives at the syscall callback in kernel mode on
 * the kernel stack, with Xen's frame: RCX, R11, RIP, CS, RFLAGS, RSP, SS.
 * Return to user mode with the iret hypercall (flags VGCF_in_syscall).
 */
__asm__(".text\n"
        "syscall_callback:\n"
        "    pop %rcx\n"                 /* RCX, R11 as the user had them */
        "    pop %r11\n"
        "    push %rdi\n"               /* all but RAX, RCX, R11 survive */
        "    push %rsi\n"
        "    push %rdx\n"
        "    push %r8\n"
        "    push %r9\n"
        "    push %r10\n"
        "    mov 56(%rsp), %rcx\n"       /* CS from Xen's frame */
        "    mov %rsi, %rdx\n"
        "    mov %rdi, %rsi\n"
        "    mov %rax, %rdi\n"
        "    call demo_syscall\n"       /* 16-byte aligned here */
        "    pop %r10\n"
        "    pop %r9\n"
        "    pop %r8\n"
        "    pop %rdx\n"
        "    pop %rsi\n"
        "    pop %rdi\n"
        "    pushq $0x100\n"             /* VGCF_in_syscall: SYSRET-style */
        "    jmp hypercall_page + 23 * 32\n"
        "event_callback:\n"              /* RCX, R11, RIP, CS, ... */
        "    pop %rcx\n"
        "    pop %r11\n"
        "    push %rax\n"                 /* 9 pushes: 16-byte aligned */
        "    push %rcx\n"
        "    push %rdx\n"
        "    push %rsi\n"
        "    push %rdi\n"
        "    push %r8\n"
        "    push %r9\n"
        "    push %r10\n"
        "    push %r11\n"
        "    call demo_event\n"
        "    pop %r11\n"
        "    pop %r10\n"
        "    pop %r9\n"
        "    pop %r8\n"
        "    pop %rdi\n"
        "    pop %rsi\n"
        "    pop %rdx\n"
        "    pop %rcx\n"
        "    pop %rax\n"
        "    pushq $0\n"
        "    jmp hypercall_page + 23 * 32\n"
        "trap_ud:\n"                     /* RCX, R11, RIP, ... */
        "    mov $6, %edi\n"
        "    xor %esi, %esi\n"
        "    mov 16(%rsp), %rdx\n"
        "    jmp trap_common\n"
        "trap_gp:\n"                     /* RCX, R11, error, RIP, ... */
        "    mov $13, %edi\n"
        "    jmp trap_error\n"
        "trap_pf:\n"
        "    mov $14, %edi\n"
        "trap_error:\n"
        "    mov 16(%rsp), %rsi\n"
        "    mov 24(%rsp), %rdx\n"
        "trap_common:\n"
        "    and $-16, %rsp\n"
        "    call demo_trap\n");
#else
/*
 * 32-bit: int $0x80 from ring 3 goes to trap_info[0x80] (DPL 3), on the
 * ring-1 kernel stack with the frame EIP, CS, EFLAGS, ESP, SS.  Return
 * with the iret hypercall: push EAX and jump to the iret stub.
 */
__asm__(".text\n"
        "int80_entry:\n"                 /* all but EAX survive */
        "    push %eax\n"               /* ring 3 left DS/ES null */
        "    mov $0xe021, %eax\n"
        "    mov %eax, %ds\n"
        "    mov %eax, %es\n"
        "    pop %eax\n"
        "    push %edx\n"
        "    push %ebx\n"
        "    push %ecx\n"
        "    pushl 16(%esp)\n"           /* CS */
        "    push %ecx\n"
        "    push %ebx\n"
        "    push %eax\n"
        "    call demo_syscall\n"
        "    add $16, %esp\n"
        "    pop %ecx\n"
        "    pop %ebx\n"
        "    pop %edx\n"
        "    jmp hypercall_page + 23 * 32\n"   /* EAX = result */
        "event_callback:\n"              /* EIP, CS, EFLAGS [, ESP, SS] */
        "    pusha\n"
        "    call demo_event\n"
        "    popa\n"
        "    jmp hypercall_page + 23 * 32\n"
        "trap_ud: pushl $0; pushl $6; jmp trap_common\n"
        "trap_gp: pushl $13; jmp trap_common\n"
        "trap_pf: pushl $14; jmp trap_common\n"
        "trap_common:\n"                 /* vector, err, EIP... */
        "    mov $0xe021, %eax\n"
        "    mov %eax, %ds\n"
        "    mov %eax, %es\n"
        "    pushl 8(%esp)\n"
        "    pushl 8(%esp)\n"
        "    pushl 8(%esp)\n"
        "    call demo_trap\n");
#endif
extern char event_callback[], trap_ud[], trap_gp[], trap_pf[];

/* --- Xen interfaces the kernel uses ------------------------------------------- */

struct trap_info {
    uint8_t vector, flags;
    uint16_t cs;
    unsigned long address;
};

#ifdef __x86_64__
#define PV_KERNEL_CS 0xe033
#define PV_KERNEL_SS 0xe02b
#define PV_USER_CS   0xe033
#define PV_USER_SS   0xe02b
extern char syscall_callback[];
#else
#define PV_KERNEL_CS 0xe019
#define PV_KERNEL_SS 0xe021
#define PV_USER_CS   0xe02b
#define PV_USER_SS   0xe033
extern char int80_entry[];
#endif

static uint8_t kernel_stack[8192] __attribute__((aligned(16)));

static void install_traps(void)
{
    struct trap_info traps[] = {
        { 6, 0, PV_KERNEL_CS, (unsigned long)trap_ud },
        { 13, 0, PV_KERNEL_CS, (unsigned long)trap_gp },
        { 14, 0, PV_KERNEL_CS, (unsigned long)trap_pf },
#ifndef __x86_64__
        { 0x80, 3, PV_KERNEL_CS, (unsigned long)int80_entry },
#endif
        { 0, 0, 0, 0 },
    };

    HYPERCALL(__HYPERVISOR_set_trap_table, traps, 0, 0);
    /* Where Xen puts the frame of an event taken in user mode. */
    HYPERCALL(__HYPERVISOR_stack_switch, PV_KERNEL_SS,
              kernel_stack + sizeof(kernel_stack), 0);
#ifdef __x86_64__
    HYPERCALL(__HYPERVISOR_set_callbacks, event_callback, 0,
              syscall_callback);
#else
    pv_hypercall(__HYPERVISOR_set_callbacks, PV_KERNEL_CS,
                 (unsigned long)event_callback, PV_KERNEL_CS, 0, 0);
#endif
}

/* start_info fields (pub/xen.h). */
#ifdef __x86_64__
#define SI_NR_PAGES   32
#define SI_SHARED_INFO 40
#define SI_PT_BASE    88
#define SI_NR_PT      96
#define SI_MFN_LIST   104
#else
#define SI_NR_PAGES   32
#define SI_SHARED_INFO 36
#define SI_PT_BASE    60
#define SI_NR_PT      64
#define SI_MFN_LIST   68
#endif

static unsigned long si_word(unsigned off)
{
    return *(unsigned long *)((char *)pv_start_info + off);
}

static uint64_t pfn_to_mfn(unsigned long pfn)
{
    unsigned long *p2m = (unsigned long *)si_word(SI_MFN_LIST);
    return p2m[pfn];
}

static uint64_t va_to_mfn(const void *va)
{
    return pfn_to_mfn((unsigned long)va >> 12);    /* virt_base is 0 */
}

#define PG_P  0x001ull
#define PG_RW 0x002ull
#define PG_U  0x004ull
#define PG_A  0x020ull
#define PG_D  0x040ull
#define UVMF_INVLPG 2

#define DOMID_SELF 0x7ff0
struct mmu_update { uint64_t ptr, val; };
struct mmuext_op { uint32_t cmd; uint32_t pad; uint64_t arg1, arg2; };
enum { MMUEXT_PIN_L4_TABLE = 3, MMUEXT_NEW_USER_BASEPTR = 15 };

static void check(long r, const char *what)
{
    if (r >= 0)
        return;
    printf("kernel: %s failed: %ld\n", what, r);
    shutdown(SHUTDOWN_crash);
}

extern char _start[], _end[];

static long update_va_mapping(const void *va, uint64_t pte)
{
#ifdef __x86_64__
    return HYPERCALL(__HYPERVISOR_update_va_mapping, va, pte, UVMF_INVLPG);
#else
    return pv_hypercall(__HYPERVISOR_update_va_mapping, (unsigned long)va,
                        (uint32_t)pte, (uint32_t)(pte >> 32), UVMF_INVLPG, 0);
#endif
}

/* --- events and time -------------------------------------------------------- */

/*
 * shared_info (pub/xen.h): vcpu_info[0] at 0 (upcall_pending, upcall_mask,
 * pending_sel one word on, the time info at 32), then the event channels'
 * pending bits at 2048.  A page of the image is remapped onto it.
 */
static uint8_t shared_page[4096] __attribute__((aligned(4096)));
static volatile uint8_t *shared_info;
#define SH_PENDING_SEL  sizeof(unsigned long)
#define SH_TIME         32
#define SH_EVTCHN_PENDING 2048
#define BITS_PER_WORD   (8 * sizeof(unsigned long))
enum { EVTCHNOP_bind_virq = 1, VIRQ_TIMER = 0 };

static volatile unsigned event_port, events;

/* The event callback's C part (events masked): take the pending ports. */
void demo_event(void);
void demo_event(void)
{
    volatile unsigned long *pending =
        (volatile unsigned long *)(shared_info + SH_EVTCHN_PENDING);
    unsigned long sel;

    shared_info[0] = 0;                          /* upcall_pending */
    sel = __atomic_exchange_n((unsigned long *)(shared_info + SH_PENDING_SEL),
                              0, __ATOMIC_SEQ_CST);
    while (sel) {
        unsigned w = (unsigned)__builtin_ctzl(sel);
        unsigned long bits = __atomic_exchange_n((unsigned long *)&pending[w],
                                                 0, __ATOMIC_SEQ_CST);
        sel &= sel - 1;
        while (bits) {
            event_port = w * BITS_PER_WORD + (unsigned)__builtin_ctzl(bits);
            events++;
            bits &= bits - 1;
        }
    }
}

static uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

/* System time as Xen publishes it: the stamp plus the scaled TSC since. */
static uint64_t system_time(void)
{
    volatile uint8_t *t = shared_info + SH_TIME;
    uint32_t ver, mul;
    uint64_t stamp, st, d;
    int8_t shift;

    do {
        ver = *(volatile uint32_t *)t;
        __asm__ volatile("" ::: "memory");
        stamp = *(volatile uint64_t *)(t + 8);
        st = *(volatile uint64_t *)(t + 16);
        mul = *(volatile uint32_t *)(t + 24);
        shift = *(volatile int8_t *)(t + 28);
        __asm__ volatile("" ::: "memory");
    } while ((ver & 1) || ver != *(volatile uint32_t *)t);
    d = rdtsc() - stamp;
    d = shift < 0 ? d >> -shift : d << shift;
    return st + (((d & 0xffffffffu) * mul) >> 32) + (d >> 32) * mul;
}

static void set_timer(uint64_t deadline)
{
#ifdef __x86_64__
    HYPERCALL(__HYPERVISOR_set_timer_op, deadline, 0, 0);
#else
    pv_hypercall(__HYPERVISOR_set_timer_op, (uint32_t)deadline,
                 (uint32_t)(deadline >> 32), 0, 0, 0);
#endif
}

static void check(long r, const char *what);

/* Block until a timer 1 ms of virtual time ahead sends its event. */
static void events_and_time(void)
{
    uint64_t maddr = si_word(SI_SHARED_INFO), deadline, woke;
    uint32_t bind[3] = { VIRQ_TIMER, 0, 0 };

    check(update_va_mapping(shared_page, maddr | PG_P | PG_RW | PG_A | PG_D),
          "mapping shared_info");
    shared_info = shared_page;
    check(HYPERCALL(__HYPERVISOR_event_channel_op, EVTCHNOP_bind_virq, bind,
                    0), "bind_virq");
    deadline = system_time() + 1000000;
    set_timer(deadline);
    printf("kernel: bound VIRQ_TIMER to event channel %u, set a timer 1 ms "
           "ahead, blocking (SCHEDOP_block)\n", (unsigned)bind[2]);
    HYPERCALL(__HYPERVISOR_sched_op, SCHEDOP_block, 0, 0);
    woke = system_time();
    printf("kernel: woke up %s the deadline; the event callback saw port %u "
           "(%u event%s)\n", woke >= deadline ? "past" : "BEFORE",
           event_port, events, events == 1 ? "" : "s");
}

#ifdef __x86_64__
/*
 * A user address space: the kernel image's pages again, now with the U bit
 * (read-only, the user stack writable), under a user L4 of their own.
 * Free pages for the tables come after the boot stack.
 */
static void build_user_space(void)
{
    unsigned long free = si_word(SI_PT_BASE) + (si_word(SI_NR_PT) + 1) * 4096;
    uint64_t *l4 = (uint64_t *)free, *l3 = l4 + 512, *l2 = l3 + 512,
             *l1 = l2 + 512;
    unsigned long va;
    struct mmuext_op op;

    /* Everything below 2 MiB of the image lives in one L1. */
    for (va = (unsigned long)_start & ~4095ul; va < (unsigned long)_end;
         va += 4096) {
        uint64_t flags = PG_P | PG_U | PG_A;
        if (va == (unsigned long)user_stack)
            flags |= PG_RW | PG_D;
        l1[(va >> 12) & 511] = va_to_mfn((void *)va) << 12 | flags;
    }
    l2[((unsigned long)_start >> 21) & 511] =
        va_to_mfn(l1) << 12 | PG_P | PG_RW | PG_U | PG_A;
    l3[0] = va_to_mfn(l2) << 12 | PG_P | PG_RW | PG_U | PG_A;
    l4[0] = va_to_mfn(l3) << 12 | PG_P | PG_RW | PG_U | PG_A;
    /* Page tables must not stay writable anywhere before Xen takes them. */
    for (va = free; va < free + 4 * 4096; va += 4096)
        check(update_va_mapping((void *)va, va_to_mfn((void *)va) << 12 |
                                PG_P | PG_A), "update_va_mapping");
    op = (struct mmuext_op){ .cmd = MMUEXT_PIN_L4_TABLE,
                             .arg1 = va_to_mfn(l4) };
    check(pv_hypercall(__HYPERVISOR_mmuext_op, (unsigned long)&op, 1, 0,
                       DOMID_SELF, 0), "pin L4");
    op = (struct mmuext_op){ .cmd = MMUEXT_NEW_USER_BASEPTR,
                             .arg1 = va_to_mfn(l4) };
    check(pv_hypercall(__HYPERVISOR_mmuext_op, (unsigned long)&op, 1, 0,
                       DOMID_SELF, 0), "new user baseptr");
    /* (Not the L4's mfn: it moves with the image's size, which depends
     * on the compiler, and this output is a test's expectation.) */
    printf("kernel: built user page tables (a user L4, pinned, installed "
           "with MMUEXT_NEW_USER_BASEPTR)\n");
}
#else
/*
 * 32-bit: one address space; give the kernel image's pages the U bit
 * (mmu_update on their L1 entries, found through the initial tables) so
 * ring 3 may run them.
 */
static void build_user_space(void)
{
    uint64_t *l3 = (uint64_t *)si_word(SI_PT_BASE);
    unsigned long va;

    for (va = (unsigned long)_start & ~4095ul; va < (unsigned long)_end;
         va += 4096) {
        /* The initial tables are mapped at their pfn's VA (virt_base 0):
         * a table's VA comes from its MFN through the read-only M2P. */
        unsigned long *m2p = (unsigned long *)0xf5800000ul;
        uint64_t e3 = l3[va >> 30];
        uint64_t *l2, *l1;
        struct mmu_update u;
        l2 = (uint64_t *)(m2p[(unsigned long)(e3 >> 12)] << 12);
        l1 = (uint64_t *)(m2p[(unsigned long)(l2[(va >> 21) & 511] >> 12)]
                          << 12);
        u.ptr = (va_to_mfn(l1) << 12) + ((va >> 12) & 511) * 8;
        u.val = l1[(va >> 12) & 511] | PG_U |
                (va == (unsigned long)user_stack ? PG_RW : 0);
        check(pv_hypercall(__HYPERVISOR_mmu_update, (unsigned long)&u, 1, 0,
                           DOMID_SELF, 0), "mmu_update");
    }
    printf("kernel: gave the user program's pages the U bit (mmu_update)\n");
}
#endif

/* Enter user_main in ring 3 with the iret hypercall. */
static RT_NORETURN void enter_user(void)
{
#ifdef __x86_64__
    __asm__ volatile(
        "push %0\n"                       /* SS */
        "push %1\n"                       /* RSP */
        "pushq $0x202\n"                  /* RFLAGS: events enabled */
        "push %2\n"                       /* CS */
        "push %3\n"                       /* RIP */
        "pushq $0\n"                      /* flags */
        "jmp hypercall_page + 23 * 32\n"
        : : "r"((unsigned long)PV_USER_SS),
            "r"((unsigned long)(user_stack + sizeof(user_stack))),
            "r"((unsigned long)PV_USER_CS), "r"((unsigned long)user_main));
#else
    __asm__ volatile(
        "push %0\n"                       /* SS */
        "push %1\n"                       /* ESP */
        "pushl $0x202\n"                  /* EFLAGS */
        "push %2\n"                       /* CS */
        "push %3\n"                       /* EIP */
        "jmp hypercall_page + 23 * 32\n"
        : : "r"((unsigned long)PV_USER_SS),
            "r"((unsigned long)(user_stack + sizeof(user_stack))),
            "r"((unsigned long)PV_USER_CS), "r"((unsigned long)user_main));
#endif
    __builtin_unreachable();
}

int main(void)
{
    long ver = HYPERCALL(__HYPERVISOR_xen_version, 0, 0, 0);

    printf("xenemu demo guest: a %d-bit Xen PV kernel on Xen %ld.%ld\n",
           BITS, ver >> 16, ver & 0xffff);
    printf("kernel: running in ring %u (cs %#x): %s; Xen has ring 0\n",
           ring(), read_cs(), KERNEL_WHERE);
    install_traps();
    printf("kernel: registered a trap table and callbacks (hypercalls)\n");
    events_and_time();
    build_user_space();
    printf("kernel: iret hypercall to the user program in ring 3 "
           "(cs %#x)\n", PV_USER_CS);
    enter_user();
}
