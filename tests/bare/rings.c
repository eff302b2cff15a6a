/*
 * (c) Privilege transitions: IRET to ring 3, INT n through a DPL-3 gate,
 * call gates, SYSCALL/SYSRET (64-bit) and SYSENTER/SYSEXIT (32-bit).
 * Each prints the selectors and stack pointers seen on both sides.
 */
#include "bare.h"

#ifdef __x86_64__
#define G(sym) sym "(%rip)"
#define SP "%rsp"
#define AX "%rax"
#define XSP "%%rsp"
#else
#define G(sym) sym
#define SP "%esp"
#define AX "%eax"
#define XSP "%%esp"
#endif

struct rt_trap t;

/* Filled in by user code and by the ring-0 entry points. */
volatile uintptr_t u_sp, u_sp2, u_cs, u_ss, u_ds, u_fs, u_flags;
volatile uintptr_t k_sp, k_cs, k_ss, k_flags, k_ip, k_r11;
volatile uintptr_t k_stack[4];

static void clear_marks(void)
{
    u_sp = u_sp2 = u_cs = u_ss = u_ds = u_fs = u_flags = 0;
    k_sp = k_cs = k_ss = k_flags = k_ip = k_r11 = 0;
    memset((void *)k_stack, 0, sizeof(k_stack));
}

/* --- IRET to ring 3 ------------------------------------------------------ */

static long user_info(void)
{
    u_cs = read_cs();
    u_ss = read_ss();
    u_ds = read_ds();
    u_fs = read_fs();
    return 42;
}

static void test_iret(void)
{
    clear_marks();
    write_fs(KERNEL_DS);
    int v = rt_try_user(user_info, &t);
    printf("iret to ring 3: cs %#lx ss %#lx cpl %lu\n", (unsigned long)u_cs,
           (unsigned long)u_ss, (unsigned long)(u_cs & 3));
    printf("  ds %#lx, fs %#x -> %#lx (DPL 0 data is nulled)\n",
           (unsigned long)u_ds, KERNEL_DS, (unsigned long)u_fs);
    printf("  returned %ld through int $%#x (%s)\n", (long)t.ax, RT_VEC_DONE,
           v == RT_NO_TRAP ? "ok" : "trap");
    write_fs(0);
}

/* --- INT n through a DPL-3 gate ------------------------------------------- */

ASM_FN(user_int80, "mov " SP ", " G("u_sp") "\n"
                   "mov $41, %eax\n"
                   "int $0x80\n"
                   "user_int80_ret: ret");
extern char user_int80_ret[];

static void int80_handler(struct rt_frame *f)
{
    k_cs = read_cs();
    k_ss = read_ss();
    k_ip = f->ip;
    k_stack[0] = f->cs;
    k_stack[1] = f->flags & (X86_FL_IF | X86_FL_TF | X86_FL_IOPL);
#ifdef __x86_64__
    k_sp = (uintptr_t)(&f->ss + 1);
    k_stack[2] = f->sp;
    k_stack[3] = f->ss;
#else
    k_sp = (uintptr_t)((f->cs & 3) ? &f->ss + 1 : &f->sp);
    k_stack[2] = (f->cs & 3) ? f->sp : 0;
    k_stack[3] = (f->cs & 3) ? f->ss : 0;
#endif
    f->ax++;
}

static void test_int80(void)
{
    clear_marks();
    rt_set_handler(0x80, int80_handler);
    rt_gate(0x80, GATE_INT, 3, 0);
    int v = TRY_USER(user_int80, &t);
    printf("int $0x80 from ring 3: %s, returned %ld\n",
           v == RT_NO_TRAP ? "ok" : "trap", (long)t.ax);
    printf("  handler cs %#lx ss %#lx\n", (unsigned long)k_cs,
           (unsigned long)k_ss);
    printf("  frame: cs %#lx flags %#lx", (unsigned long)k_stack[0],
           (unsigned long)k_stack[1]);
    print_off("ip", k_ip, user_int80_ret);
    print_off("sp", k_stack[2], (void *)u_sp);
    printf(" ss %#lx\n", (unsigned long)k_stack[3]);
    printf("  frame ends at TSS.SP0: %d\n",
           k_sp == (uintptr_t)rt_kstack + RT_STACK_SIZE);

    /* The same gate from ring 0: no stack switch. */
    clear_marks();
    uintptr_t sp0;
    __asm__ volatile("mov " XSP ", %0\n int $0x80" : "=r"(sp0) : "a"(1)
                     : "memory");
    printf("int $0x80 from ring 0: cs %#lx ss %#lx, frame cs %#lx",
           (unsigned long)k_cs, (unsigned long)k_ss,
           (unsigned long)k_stack[0]);
#ifdef __x86_64__
    printf(" ss %#lx, old sp kept: %d\n", (unsigned long)k_stack[3],
           k_stack[2] == sp0);
#else
    printf(", no ss:esp pushed: %d\n", k_sp == sp0);
#endif
    rt_set_handler(0x80, 0);
}

/* --- call gates ------------------------------------------------------------ */

#define GATE_SEL 0x48
struct farptr {
    uint32_t off;
    uint16_t sel;
} __attribute__((packed));
struct farptr gate_ptr = { 0, GATE_SEL | 3 };

#ifdef __x86_64__
ASM_FN(gate_entry, "mov %rsp, k_sp(%rip)\n"
                   "mov (%rsp), %rax\n mov %rax, k_stack(%rip)\n"
                   "mov 8(%rsp), %rax\n mov %rax, k_stack+8(%rip)\n"
                   "mov 16(%rsp), %rax\n mov %rax, k_stack+16(%rip)\n"
                   "mov 24(%rsp), %rax\n mov %rax, k_stack+24(%rip)\n"
                   "mov %cs, %eax\n mov %rax, k_cs(%rip)\n"
                   "mov %ss, %eax\n mov %rax, k_ss(%rip)\n"
                   "mov $0x99, %eax\n"
                   "lretq");
ASM_FN(user_gate, "mov %rsp, u_sp(%rip)\n"
                  "lcall *gate_ptr(%rip)\n"
                  "user_gate_ret: mov %rsp, u_sp2(%rip)\n"
                  "mov %cs, %ecx\n mov %rcx, u_cs(%rip)\n"
                  "mov %ss, %ecx\n mov %rcx, u_ss(%rip)\n"
                  "ret");
#else
/* Two parameters are copied to the ring-0 stack; lret $8 drops them from
 * both stacks. */
ASM_FN(gate_entry, "mov %esp, k_sp\n"
                   "mov (%esp), %eax\n mov %eax, k_stack\n"
                   "mov 4(%esp), %eax\n mov %eax, k_stack+4\n"
                   "mov 8(%esp), %eax\n mov %eax, k_stack+8\n"
                   "mov 12(%esp), %eax\n mov %eax, k_stack+12\n"
                   "mov 16(%esp), %eax\n mov %eax, k_ip\n"
                   "mov 20(%esp), %eax\n mov %eax, k_r11\n"
                   "mov %cs, %eax\n mov %eax, k_cs\n"
                   "mov %ss, %eax\n mov %eax, k_ss\n"
                   "mov $0x99, %eax\n"
                   "lret $8");
ASM_FN(user_gate, "mov %esp, u_sp\n"
                  "push $0x2222\n push $0x1111\n"
                  "lcall *gate_ptr\n"
                  "user_gate_ret: mov %esp, u_sp2\n"
                  "mov %cs, %ecx\n mov %ecx, u_cs\n"
                  "mov %ss, %ecx\n mov %ecx, u_ss\n"
                  "ret");
#endif
extern char user_gate_ret[];

static void test_call_gate(void)
{
    clear_marks();
#ifdef __x86_64__
    rt_call_gate(GATE_SEL, KERNEL_CS, (uintptr_t)gate_entry, 3, 0);
#else
    rt_call_gate(GATE_SEL, KERNEL_CS, (uintptr_t)gate_entry, 3, 2);
#endif
    int v = TRY_USER(user_gate, &t);
    printf("call gate from ring 3: %s, returned %#lx\n",
           v == RT_NO_TRAP ? "ok" : "trap", (unsigned long)t.ax);
    printf("  ring 0: cs %#lx ss %#lx, sp = TSS.SP0 - %ld\n",
           (unsigned long)k_cs, (unsigned long)k_ss,
           (long)((uintptr_t)rt_kstack + RT_STACK_SIZE - k_sp));
    printf("  pushed:");
    print_off("ip", k_stack[0], user_gate_ret);
    printf(" cs %#lx", (unsigned long)k_stack[1]);
#ifdef __x86_64__
    print_off("sp", k_stack[2], (void *)u_sp);
    printf(" ss %#lx\n", (unsigned long)k_stack[3]);
#else
    printf(" params %#lx %#lx", (unsigned long)k_stack[2],
           (unsigned long)k_stack[3]);
    print_off("sp", k_ip, (void *)u_sp);
    printf(" ss %#lx\n", (unsigned long)k_r11);
#endif
    printf("  back in ring 3: cs %#lx ss %#lx", (unsigned long)u_cs,
           (unsigned long)u_ss);
    print_off("sp", u_sp2, (void *)u_sp);
    printf("\n");

    /* A DPL-0 gate cannot be called from ring 3. */
#ifdef __x86_64__
    rt_call_gate(GATE_SEL, KERNEL_CS, (uintptr_t)gate_entry, 0, 0);
#else
    rt_call_gate(GATE_SEL, KERNEL_CS, (uintptr_t)gate_entry, 0, 2);
#endif
    report("call gate DPL 0 from ring 3", TRY_USER(user_gate, &t), &t,
           user_gate, 0);
}

#ifdef __x86_64__
/* --- SYSCALL / SYSRET --------------------------------------------------------- */

static char sc_stack[1024] __attribute__((aligned(16)));
char *sc_stack_top = sc_stack + sizeof(sc_stack);

ASM_FN(syscall_entry, "mov %rsp, k_sp(%rip)\n"
                      "mov %rcx, k_ip(%rip)\n"
                      "mov %r11, k_r11(%rip)\n"
                      "mov sc_stack_top(%rip), %rsp\n"
                      "pushfq\n pop %rax\n mov %rax, k_flags(%rip)\n"
                      "mov %cs, %eax\n mov %rax, k_cs(%rip)\n"
                      "mov %ss, %eax\n mov %rax, k_ss(%rip)\n"
                      "mov k_sp(%rip), %rsp\n"
                      "mov $0x77, %eax\n"
                      "sysretq");
ASM_FN(user_syscall, "pushfq\n orl $0x40400, (%rsp)\n popfq\n"  /* AC, DF */
                     "mov %rsp, u_sp(%rip)\n"
                     "syscall\n"
                     "user_syscall_ret: pushfq\n pop %rcx\n"
                     "mov %rcx, u_flags(%rip)\n"
                     "cld\n pushfq\n andl $~0x40000, (%rsp)\n popfq\n"
                     "mov %rsp, u_sp2(%rip)\n"
                     "mov %cs, %ecx\n mov %rcx, u_cs(%rip)\n"
                     "mov %ss, %ecx\n mov %rcx, u_ss(%rip)\n"
                     "ret");
ASM_FN(user_sysret, "sysretq");
extern char user_syscall_ret[];

#define FL_SHOWN (X86_FL_AC | (1u << 10) | X86_FL_IF | X86_FL_TF | X86_FL_RF)

static void test_syscall(void)
{
    clear_marks();
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
    wrmsr(MSR_STAR, (uint64_t)(USER_CS32 & ~3) << 48 |
                    (uint64_t)KERNEL_CS << 32);
    wrmsr(MSR_LSTAR, (uintptr_t)syscall_entry);
    wrmsr(MSR_SFMASK, X86_FL_AC | (1u << 10));
    int v = TRY_USER(user_syscall, &t);
    printf("syscall from ring 3: %s, returned %#lx\n",
           v == RT_NO_TRAP ? "ok" : "trap", (unsigned long)t.ax);
    printf("  ring 0: cs %#lx ss %#lx, rsp unchanged %d, rflags AC/DF %#lx\n",
           (unsigned long)k_cs, (unsigned long)k_ss, k_sp == u_sp,
           (unsigned long)(k_flags & FL_SHOWN));
    print_off("  rcx", k_ip, user_syscall_ret);
    printf(", r11 AC/DF %#lx\n", (unsigned long)(k_r11 & FL_SHOWN));
    printf("  sysret: cs %#lx ss %#lx, rflags AC/DF %#lx\n",
           (unsigned long)u_cs, (unsigned long)u_ss,
           (unsigned long)(u_flags & FL_SHOWN));
    report("sysret at CPL 3", TRY_USER(user_sysret, &t), &t, user_sysret, 0);
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) & ~EFER_SCE);
}
#else
/* --- SYSENTER / SYSEXIT ------------------------------------------------------- */

static char se_stack[1024] __attribute__((aligned(16)));

ASM_FN(sysenter_entry, "mov %esp, k_sp\n"
                       "pushf\n pop %eax\n mov %eax, k_flags\n"
                       "mov %cs, %eax\n mov %eax, k_cs\n"
                       "mov %ss, %eax\n mov %eax, k_ss\n"
                       "mov $0x55, %eax\n"
                       "sysexit");
ASM_FN(user_sysenter, "mov %esp, u_sp\n"
                      "mov %esp, %ecx\n"
                      "mov $user_sysenter_ret, %edx\n"
                      "sysenter\n"
                      "user_sysenter_ret: mov %esp, u_sp2\n"
                      "mov %cs, %ecx\n mov %ecx, u_cs\n"
                      "mov %ss, %ecx\n mov %ecx, u_ss\n"
                      "ret");
ASM_FN(user_sysexit, "sysexit");

static void test_sysenter(void)
{
    clear_marks();
    wrmsr(MSR_SYSENTER_CS, KERNEL_CS);
    wrmsr(MSR_SYSENTER_ESP, (uintptr_t)se_stack + sizeof(se_stack));
    wrmsr(MSR_SYSENTER_EIP, (uintptr_t)sysenter_entry);
    int v = TRY_USER(user_sysenter, &t);
    printf("sysenter from ring 3: %s, returned %#lx\n",
           v == RT_NO_TRAP ? "ok" : "trap", (unsigned long)t.ax);
    printf("  ring 0: cs %#lx ss %#lx, esp = SYSENTER_ESP %d, IF %d\n",
           (unsigned long)k_cs, (unsigned long)k_ss,
           k_sp == (uintptr_t)se_stack + sizeof(se_stack),
           (k_flags & X86_FL_IF) != 0);
    printf("  sysexit: cs %#lx ss %#lx", (unsigned long)u_cs,
           (unsigned long)u_ss);
    print_off("esp", u_sp2, (void *)u_sp);
    printf("\n");
    report("sysexit at CPL 3", TRY_USER(user_sysexit, &t), &t, user_sysexit,
           0);
    wrmsr(MSR_SYSENTER_CS, 0);
    report("sysenter with SYSENTER_CS = 0", TRY_USER(user_sysenter, &t), &t,
           user_sysenter, 0);
}
#endif

int main(void)
{
    test_iret();
    test_int80();
    test_call_gate();
#ifdef __x86_64__
    test_syscall();
#else
    test_sysenter();
#endif
    return 0;
}
