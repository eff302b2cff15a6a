/*
 * Xen's return to the guest when it cannot load what it returns to
 * (Xen 4.17): an iret hypercall whose CS or SS faults in Xen's IRETQ gets
 * that fault delivered as the guest's own, at the context it was returning
 * to (entry.S pre-exception fixup to handle_exception); 64-bit
 * VGCF_in_syscall returns through SYSRET, which loads Xen's flat
 * selectors whatever the frame says.  A data selector that no longer
 * loads when the vCPU is switched back in (load_segments, after
 * SCHEDOP_block) sends the guest to its failsafe callback with the
 * selectors it had.
 */
#include "evtlib.h"

#ifdef __x86_64__
#define KCS 0xe033ul
#define KSS 0xe02bul
#define LDT_SEL 0xfu                      /* LDT index 1, RPL 3 */
#define SI_PT_BASE 88
#define HC_STUB_NEXT 10                   /* the stub's syscall ends here */
#else
#define KCS 0xe019ul
#define KSS 0xe021ul
#define LDT_SEL 0xdu                      /* LDT index 1, RPL 1 */
#define SI_PT_BASE 60
#define HC_STUB_NEXT 7                    /* the stub's int $0x82 ends here */
#endif
#define VGCF_in_syscall 0x100ul
#define HC_update_descriptor 10
enum { SET_LDT = 13 };

extern char hypercall_page[];
extern char iret_target[];

static unsigned long *p2m;

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
    return HYPERCALL(__HYPERVISOR_update_va_mapping, va, pte, UVMF_INVLPG);
#else
    return pv_hypercall(__HYPERVISOR_update_va_mapping, va, (uint32_t)pte,
                        (uint32_t)(pte >> 32), UVMF_INVLPG, 0);
#endif
}

static long mmuext(unsigned cmd, unsigned long arg1, unsigned long arg2)
{
    struct { unsigned cmd; unsigned long arg1, arg2; } op = { cmd, arg1, arg2 };
    return pv_hypercall(__HYPERVISOR_mmuext_op, (unsigned long)&op, 1, 0,
                        DOMID_SELF, 0);
}

/* ---- iret hypercalls to a context Xen cannot load ------------------------- */

/* Where an iret that works lands: it reports what it found in eax (64-bit:
 * CS, and RCX/R11 in memory) and traps back (int3; int $0x80 from ring 3,
 * a DPL-3 trap). */
static volatile unsigned long landed_rcx, landed_r11;
__asm__(".text\n"
#ifndef __x86_64__
        "    .balign 4096\n"             /* a page of its own, for ring 3 */
#endif
        ".globl iret_target\n"
        "iret_target:\n"
#ifdef __x86_64__
        "    mov %rcx, landed_rcx(%rip)\n"
        "    mov %r11, landed_r11(%rip)\n"
        "    mov %cs, %eax\n"
        "    int3\n"
        "1:  jmp 1b\n"
        ".code32\n"
        ".globl compat_target\n"
        "compat_target:\n"
        "    mov %cs, %eax\n"
        "    int3\n"
        "2:  jmp 2b\n"
        ".code64\n"
#else
        "    mov %ds, %eax\n"
        "    int $0x80\n"
        "1:  jmp 1b\n"
        "    .balign 4096\n"
#endif
        );
#ifdef __x86_64__
extern char compat_target[];
#endif

static unsigned long iret_cs, iret_ss, iret_flags, iret_ip;

/* Push an iret frame returning to iret_ip on this very stack (RCX/R11
 * zero) and make the iret hypercall. */
static void do_iret(void)
{
#ifdef __x86_64__
    __asm__ volatile(
        "mov %%rsp, %%rax\n"
        "push %[ss]\n push %%rax\n pushf\n push %[cs]\n push %[ip]\n"
        "push %[fl]\n"
        "xor %%ecx, %%ecx\n xor %%r11d, %%r11d\n"
        "jmp hypercall_page + 23 * 32\n"
        :: [ss] "r"(iret_ss), [cs] "r"(iret_cs), [ip] "r"(iret_ip),
           [fl] "r"(iret_flags) : "rax", "rcx", "r11", "memory");
#else
    __asm__ volatile(
        "mov %%esp, %%eax\n"
        "push %[ss]\n push %%eax\n pushf\n push %[cs]\n push %[ip]\n"
        "jmp hypercall_page + 23 * 32\n"
        :: [ss] "r"(iret_ss), [cs] "r"(iret_cs), [ip] "r"(iret_ip)
        : "eax", "memory");
#endif
}

static void try_iret(const char *what, unsigned long cs, unsigned long ss,
                     unsigned long flags, unsigned long ip)
{
    struct pv_trap t;
    int v;

    iret_cs = cs;
    iret_ss = ss;
    iret_flags = flags;
    iret_ip = ip;
    landed_rcx = landed_r11 = 1;
    v = pv_try(do_iret, &t);
    printf("%-22s vector %3d error %#6lx ip %-6s cs %#lx", what, v, t.error,
           t.ip == ip ? "target" : "after", t.cs & 0xffff);
    if (sizeof(long) == 4 && (t.cs & 2))
        printf(" ss %#lx", t.ss);
    if (v == 3 || v == 0x80)
        printf(" | landed: eax %#lx", t.ax & 0xffff);
    printf("\n");
}

static void iret_tests(void)
{
    unsigned long target = (unsigned long)iret_target;

#ifdef __x86_64__
    try_iret("good", 0xe030, KSS, 0, target);
    printf("  rcx/r11 as the frame had them: %s\n",
           landed_rcx == 0 && landed_r11 == 0 ? "yes" : "no");
    try_iret("bad CS", 0x1230, KSS, 0, target);
    try_iret("null CS", 0, KSS, 0, target);
    try_iret("bad SS", 0xe030, 0x1230, 0, target);
    try_iret("CS not code", 0xe028, KSS, 0, target);
    try_iret("non-canonical RIP", 0xe030, KSS, 0, 0x0000800000000000ul);
    /* SYSRET takes Xen's flat selectors, whatever the frame says. */
    try_iret("in_syscall, bad CS/SS", 0x1230, 0x1230, VGCF_in_syscall,
             target);
    printf("  rcx = rip %s, r11 = rflags %s\n",
           landed_rcx == target ? "yes" : "no",
           (landed_r11 & 0x202) == 0x202 ? "yes" : "no");
    try_iret("in_syscall, CS 0xe020", 0xe020, 0x1230, VGCF_in_syscall,
             (unsigned long)compat_target);
    try_iret("in_syscall, non-can.", 0xe030, KSS, VGCF_in_syscall,
             0xffff7ffffffff000ul);
#else
    printf("user-accessible target page: %ld\n",
           uvm(target, (uint64_t)p2m[target >> 12] << 12 | 0x27));
    try_iret("good", KCS, KSS, 0, target);
    try_iret("bad CS (ring 1)", 0x1231, KSS, 0, target);
    try_iret("CS not code", 0xe021, KSS, 0, target);
    try_iret("user CS, bad SS", 0xe02b, 0x1233, 0, target);
    try_iret("user CS, kernel SS", 0xe02b, 0xe021, 0, target);
    try_iret("user CS, null SS", 0xe02b, 0, 0, target);
    /* A good return to ring 3 nulls the ring-1 data selectors. */
    try_iret("to ring 3", 0xe02b, 0xe033, 0, target);
    __asm__ volatile("mov %0, %%ds\n mov %0, %%es" :: "r"(KSS));
#endif
}

/* ---- the failsafe callback ------------------------------------------------- */

static volatile unsigned long fs_frame[12];
static volatile unsigned fs_words, fs_count;
static volatile unsigned short ds_in_callback;

void failsafe_c(unsigned long *frame);
void failsafe_c(unsigned long *frame)
{
    /* 32-bit: ESP and SS only from an outer ring (CS at word 5). */
    unsigned i, n = sizeof(long) == 8 ? 11 : (frame[5] & 2) ? 9 : 7;

    for (i = 0; i < n; i++)
        fs_frame[i] = frame[i];
    fs_words = n;
    fs_count++;
#ifdef __x86_64__
    __asm__ volatile("mov %%ds, %0" : "=r"(ds_in_callback));
#endif
}

/* The callback: record Xen's frame (32-bit: DS as it came, then the
 * kernel's), drop the selector words and return to the interrupted context
 * with the iret hypercall. */
#ifdef __x86_64__
__asm__(".text\n"
        ".globl failsafe_entry\n"
        "failsafe_entry:\n"
        "    push %rax\n push %rcx\n push %rdx\n push %rsi\n push %rdi\n"
        "    push %r8\n push %r9\n push %r10\n push %r11\n"
        "    lea 72(%rsp), %rdi\n"        /* Xen's frame */
        "    call failsafe_c\n"
        "    pop %r11\n pop %r10\n pop %r9\n pop %r8\n"
        "    pop %rdi\n pop %rsi\n pop %rdx\n pop %rcx\n pop %rax\n"
        "    pop %rcx\n pop %r11\n"         /* RCX, R11 */
        "    add $32, %rsp\n"               /* DS, ES, FS, GS */
        "    push $0\n"
        "    jmp hypercall_page + 23 * 32\n");
#else
__asm__(".text\n"
        ".globl failsafe_entry\n"
        "failsafe_entry:\n"
        "    pusha\n"
        "    mov %ds, %ecx\n"
        "    mov $0xe021, %eax\n mov %eax, %ds\n mov %eax, %es\n"
        "    mov %cx, ds_in_callback\n"
        "    lea 32(%esp), %eax\n"
        "    push %eax\n"
        "    call failsafe_c\n"
        "    add $4, %esp\n"
        "    popa\n"
        "    add $16, %esp\n"               /* DS, ES, FS, GS */
        "    jmp hypercall_page + 23 * 32\n");
#endif
void failsafe_entry(void);

static long register_failsafe(void)
{
    struct { uint16_t type, flags; uint32_t cs; unsigned long address; } cb = {
        1 /* CALLBACKTYPE_failsafe */, 0, sizeof(long) == 8 ? 0 : 0xe019,
        (unsigned long)failsafe_entry,
    };
    return HYPERCALL(__HYPERVISOR_callback_op, 0, &cb, 0);
}

/* Block until a single-shot timer 1 ms ahead wakes the vCPU: Xen switches
 * it out and, when it runs again, back in through load_segments. */
static long timer_port;

static void block_a_while(void)
{
    struct { uint64_t timeout; uint32_t flags, pad; } ss = { 0, 0, 0 };
    uint32_t p = (uint32_t)timer_port;

    /* A port already pending wakes nobody: bind it afresh. */
    evtchn_op(EVTCHNOP_close, &p);
    timer_port = evt_bind_virq(VIRQ_TIMER, 0);
    ss.timeout = now_ns() + 1000000;
    vcpu_op(VCPUOP_set_singleshot_timer, 0, &ss);
    HYPERCALL(__HYPERVISOR_sched_op, SCHEDOP_block, 0, 0);
}

static void failsafe_tests(void)
{
    unsigned long ldt_mfn = p2m[2];
    unsigned i;

    printf("register failsafe: %ld\n", register_failsafe());
    timer_port = evt_bind_virq(VIRQ_TIMER, 0);
    printf("bind VIRQ_TIMER: %s\n", timer_port > 0 ? "ok" : "FAIL");
    printf("LDT descriptor: %ld\n",
           update_descriptor((uint64_t)ldt_mfn << 12 | 8,
                             0x00cff3000000ffffull));
    printf("map LDT read-only: %ld\n",
           uvm(0x2000, (uint64_t)ldt_mfn << 12 | 0x21));
    printf("set_ldt: %ld\n", mmuext(SET_LDT, 0x2000, 2));
    __asm__ volatile("mov %0, %%ds\n mov %0, %%es" :: "r"(LDT_SEL));

    /* Still loadable after a block: nothing to report.  A new LDT drops
     * Xen's mapping of the LDT page: the reload finds it again. */
    mmuext(SET_LDT, 0, 0);
    mmuext(SET_LDT, 0x2000, 2);
    block_a_while();
    printf("after a block: ds %#x, failsafe callbacks %u\n", read_ds(),
           fs_count);

    /* The descriptor goes away while DS and ES still hold it. */
    printf("clear the descriptor: %ld\n",
           update_descriptor((uint64_t)ldt_mfn << 12 | 8, 0));
    printf("ds still %#x until Xen reloads it\n", read_ds());
    block_a_while();
    printf("after a block: ds %#x, failsafe callbacks %u, ds in the "
           "callback %#x\n", read_ds(), fs_count, ds_in_callback);
    printf("failsafe frame:");
    for (i = 0; i < fs_words; i++) {
        unsigned long w = fs_frame[i];
        unsigned long hp = (unsigned long)hypercall_page;
        if (w - hp < 4096)
            printf(" hypercall_page+%#lx", w - hp);
        else if (w > 0x10000 && w != 0x202)
            printf(" <%s>", w == (unsigned long)-1 ? "-1" : "addr");
        else
            printf(" %#lx", w);
    }
    printf("\n");
    printf("  resumed after the block hypercall: %s\n",
           fs_frame[sizeof(long) == 8 ? 6 : 4] ==
           (unsigned long)hypercall_page + 29 * 32 + HC_STUB_NEXT
           ? "yes" : "no");
}

int main(void)
{
    p2m = SI_MFN_LIST(pv_start_info);
    evt_init();
    pv_trap_init();
    pv_set_trap(0x80, 3);
    iret_tests();
    failsafe_tests();
    return 0;
}
