/*
 * The xenemu demo guest: a tiny kernel that walks through the x86
 * privilege levels and says what it does at each step.
 *
 *   1. The runtime (tests/guests/rt) enters from the 32-bit multiboot
 *      entry, switches to long mode and calls main() at CPL 0.
 *   2. The kernel installs two ways back from user mode: SYSCALL (MSRs
 *      STAR/LSTAR/SFMASK) and INT 0x80 (an IDT gate with DPL 3).
 *   3. It drops to CPL 3 with IRETQ into user_main(), which cannot touch
 *      the I/O ports and so prints through system calls.
 *   4. When user_main() returns, the runtime brings the CPU back to CPL 0
 *      (INT 0xF0) and the kernel powers off with CLI; HLT.
 *
 * Every line says the current privilege level, read from the low two
 * bits of CS (the CPL).
 */
#include "rt.h"

enum { SYS_WRITE = 1 };

static unsigned cpl(void)
{
    return read_cs() & 3;
}

/* --- the kernel side of the system calls ------------------------------------ */

/* Both entry paths end up here.  Runs at CPL 0. */
static long sys_write(const char *how, unsigned from_cs, const char *buf,
                      long len)
{
    printf("  %-9s CPL %u -> CPL %u (cs %#x -> %#x): \"", how, from_cs & 3,
           cpl(), from_cs, read_cs());
    for (long i = 0; i < len; i++)
        rt_putc(buf[i]);
    printf("\"\n");
    return len;
}

/* Called by syscall_entry (below) on the kernel stack.  SYSCALL does not
 * save CS, so the user program passes its CS in RDX (a3) for the show. */
long demo_syscall(long a1, long a2, long a3, long nr);
long demo_syscall(long a1, long a2, long a3, long nr)
{
    if (nr != SYS_WRITE)
        return -1;
    return sys_write("syscall", (unsigned)a3, (const char *)a1, a2);
}

/*
 * SYSCALL jumps here at CPL 0 with the user's RSP still loaded, the return
 * RIP in RCX and the user's RFLAGS in R11.  Switch to a kernel stack, call
 * the C handler and SYSRET back to CPL 3.
 */
static char syscall_stack[4096] __attribute__((aligned(16)));
char *syscall_stack_top = syscall_stack + sizeof(syscall_stack);
uint64_t syscall_user_rsp;
__asm__(".text\n"
        "syscall_entry:\n"
        "    mov %rsp, syscall_user_rsp(%rip)\n"
        "    mov syscall_stack_top(%rip), %rsp\n"
        "    push %rcx\n"
        "    push %r11\n"
        "    mov %rax, %rcx\n"            /* nr as the 4th C argument */
        "    call demo_syscall\n"
        "    pop %r11\n"
        "    pop %rcx\n"
        "    mov syscall_user_rsp(%rip), %rsp\n"
        "    sysretq\n");
extern char syscall_entry[];

/* INT 0x80 arrives through the IDT: the CPU switched to the TSS stack and
 * pushed the user's SS, RSP, RFLAGS, CS and RIP (f->ss ... f->ip). */
static void int80_handler(struct rt_frame *f)
{
    if (f->ax == SYS_WRITE)
        f->ax = (uint64_t)sys_write("int $0x80", (unsigned)f->cs,
                                    (const char *)f->di, (long)f->si);
    else
        f->ax = (uint64_t)-1;
}

/* --- the user program (CPL 3) ----------------------------------------------------- */

static long write_via_syscall(const char *s)
{
    long ret;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(SYS_WRITE), "D"(s), "S"(strlen(s)), "d"((unsigned long)read_cs())
                     : "rcx", "r11", "memory");
    return ret;
}

static long write_via_int80(const char *s)
{
    long ret;
    __asm__ volatile("int $0x80"
                     : "=a"(ret)
                     : "a"(SYS_WRITE), "D"(s), "S"(strlen(s)), "d"((unsigned long)read_cs())
                     : "memory");
    return ret;
}

static long user_main(void)
{
    write_via_syscall("hello from user mode");
    write_via_int80("hello again, the old way");
    return cpl();
}

/* --- the kernel ------------------------------------------------------------------------ */

static void setup_syscalls(void)
{
    /* SYSCALL: CS = STAR[47:32], SS = that + 8; SYSRET to 64-bit code:
     * CS = STAR[63:48] + 16, SS = STAR[63:48] + 8 (RPL 3). */
    wrmsr(MSR_STAR, (uint64_t)(USER_CS32 & ~3) << 48 |
                    (uint64_t)KERNEL_CS << 32);
    wrmsr(MSR_LSTAR, (uintptr_t)syscall_entry);
    wrmsr(MSR_SFMASK, X86_FL_IF | X86_FL_TF | (1u << 10) /* DF */);
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);

    /* INT 0x80: DPL 3 so that CPL 3 code may use it. */
    rt_set_handler(0x80, int80_handler);
    rt_gate(0x80, GATE_INT, 3, 0);
}

int main(void)
{
    struct rt_trap t;

    printf("xenemu demo guest\n");
    printf("kernel: 64-bit long mode at CPL %u (cs %#x)\n", cpl(), read_cs());
    setup_syscalls();
    printf("kernel: iretq to the user program at CPL 3 (cs %#x)\n",
           USER_CS64);
    rt_try_user(user_main, &t);
    printf("kernel: the user program returned %ld (its CPL), "
           "back at CPL %u (cs %#x)\n", (long)t.ax, cpl(), read_cs());
    printf("kernel: powering off (cli; hlt)\n");
    for (;;)
        __asm__ volatile("cli; hlt");
}
