/*
 * (b) Exceptions raised by faulting instructions: vector, error code and the
 * pushed instruction pointer (relative to the instruction: +0 for faults,
 * the instruction's length for traps), at CPL 0 and CPL 3.  Built as a
 * 64-bit kernel (exc64) and a 32-bit one (exc32, no paging).
 */
#include "bare.h"

#ifdef __x86_64__
#define AX "%rax"
#define LOAD_TARGET "mov target(%rip), %rax\n"
#else
#define AX "%eax"
#define LOAD_TARGET "mov target, %eax\n"
#endif

uintptr_t target;   /* address used by the *_target functions */

/* Arithmetic. */
ASM_FN(de_zero, "xor %ecx, %ecx\n de_zero_at: div %ecx\n ret");
ASM_FN(de_big, "mov $1, %edx\n xor %eax, %eax\n mov $1, %ecx\n"
               "de_big_at: div %ecx\n ret");
ASM_FN(de_idiv, "mov $0x80000000, %eax\n cdq\n mov $-1, %ecx\n"
                "de_idiv_at: idiv %ecx\n ret");
extern char de_zero_at[], de_big_at[], de_idiv_at[];

/* Invalid opcodes. */
ASM_FN(ud_ud2, "ud2\n ret");
ASM_FN(ud_lock, ".byte 0xf0\n add %eax, %ebx\n ret");
ASM_FN(ud_lock_nop, ".byte 0xf0, 0x90\n ret");

/* Breakpoints and overflow. */
ASM_FN(bp_int3, "int3\n ret");
ASM_FN(bp_int_3, ".byte 0xcd, 0x03\n ret");   /* int $3, not int3 */
ASM_FN(of_into, "mov $0x7fffffff, %eax\n add $1, %eax\n"
                "of_into_at: .byte 0xce\n ret");   /* into */
ASM_FN(of_into_clear, "xor %eax, %eax\n .byte 0xce\n ret");
extern char of_into_at[];

/* Device not available: any x87 instruction with CR0.TS set. */
ASM_FN(nm_fnop, "fnop\n ret");

/* Segment loads: the error code is the selector with RPL cleared. */
#define LOAD_DS(name, sel)                                                  \
    ASM_FN(name, "mov $" #sel ", %eax\n" #name "_at: mov %eax, %ds\n ret");  \
    extern char name##_at[]
LOAD_DS(gp_ds_limit, 0x80);    /* beyond the GDT limit */
LOAD_DS(gp_ds_ldt, 0x84);      /* LDT selector, LDTR null */
LOAD_DS(gp_ds_xonly, 0x48);    /* execute-only code */
LOAD_DS(gp_ds_tss, 0x38);      /* system descriptor */
LOAD_DS(np_ds, 0x50);          /* not present */
LOAD_DS(gp_ds_rpl, 0x53);      /* RPL 3 > DPL 0 (checked before P) */
#define LOAD_SS(name, sel)                                                  \
    ASM_FN(name, "mov $" #sel ", %eax\n" #name "_at: mov %eax, %ss\n ret");  \
    extern char name##_at[]
LOAD_SS(gp_ss_rpl, 0x13);      /* RPL != CPL */
LOAD_SS(gp_ss_dpl, 0x20);      /* DPL != CPL */
LOAD_SS(gp_ss_code, 0x08);     /* not a writable data segment */
LOAD_SS(ss_np, 0x58);          /* not present: #SS, not #NP */
#ifndef __x86_64__
LOAD_SS(gp_ss_null, 0x00);     /* null SS in legacy mode */
#endif

/* Memory references through *target. */
ASM_FN(load_target, LOAD_TARGET "load_target_at: movb (" AX "), %al\n ret");
ASM_FN(store_target, LOAD_TARGET "store_target_at: movb $1, (" AX ")\n ret");
ASM_FN(call_target, LOAD_TARGET "jmp *" AX);
extern char load_target_at[], store_target_at[];

#ifdef __x86_64__
ASM_FN(gp_noncanon, "mov $0x8000000000000000, %rax\n"
                    "gp_noncanon_at: mov (%rax), %rax\n ret");
ASM_FN(ss_noncanon, "mov $0x8000000000000000, %rbp\n"
                    "ss_noncanon_at: mov (%rbp), %rax\n ret");
ASM_FN(ud_push_es, ".byte 0x06\n ret");
ASM_FN(ud_into64, ".byte 0xce\n ret");
ASM_FN(ud_syscall, "syscall\n ret");
extern char gp_noncanon_at[], ss_noncanon_at[];
#else
/* BOUND with bounds [0, 10]. */
int32_t bounds[2] = { 0, 10 };
ASM_FN(br_bound, "mov $11, %eax\n br_bound_at: bound %eax, bounds\n ret");
ASM_FN(br_bound_ok, "mov $10, %eax\n bound %eax, bounds\n ret");
extern char br_bound_at[];
/* ES limited to 4 KiB: the byte at 0x1000 is beyond the limit. */
ASM_FN(gp_limit, "mov $0x60, %eax\n mov %eax, %es\n"
                 "gp_limit_at: movb %es:0x1000, %al\n ret");
extern char gp_limit_at[];
#endif

/* Privileged instructions, for CPL 3. */
ASM_FN(priv_hlt, "hlt\n ret");
ASM_FN(priv_cli, "cli\n ret");
ASM_FN(priv_cr0, "mov %cr0, " AX "\n ret");
ASM_FN(priv_wrmsr, "xor %ecx, %ecx\n priv_wrmsr_at: wrmsr\n ret");
ASM_FN(priv_lgdt, "lgdt target\n ret");
ASM_FN(int_dpl0, "int $0x41\n ret");   /* gate DPL 0 */
ASM_FN(int_np, "int $0x42\n ret");     /* gate not present */
extern char priv_wrmsr_at[];

struct rt_trap t;

static void test(const char *what, const void *fn, const void *at)
{
    report(what, TRY(fn, &t), &t, at, 0);
}

static void test_user(const char *what, const void *fn, const void *at)
{
    report(what, TRY_USER(fn, &t), &t, at, 0);
}

#ifdef __x86_64__
static uint8_t pages[4][4096] __attribute__((aligned(4096)));

/* One #PF case: set the PTE flags of pages[0], run fn on target. */
static void pf_case(const char *what, uint64_t set, uint64_t clear,
                    const void *fn, const void *at, int user)
{
    uint64_t *pte = rt_pte((uintptr_t)pages[0]), saved = *pte;
    int v;

    *pte = (*pte | set) & ~clear;
    invlpg((uintptr_t)pages[0]);
    target = (uintptr_t)pages[0];
    v = user ? TRY_USER(fn, &t) : TRY(fn, &t);
    *pte = saved;
    invlpg((uintptr_t)pages[0]);
    report(what, v, &t, at ? at : pages[0], pages[0]);
}

static void pf_tests(void)
{
    pages[0][0] = 0xc3;   /* ret, for the fetches */

    pf_case("#PF read, not present", 0, PTE_P, load_target, load_target_at, 0);
    pf_case("#PF write, not present", 0, PTE_P, store_target, store_target_at, 0);
    pf_case("#PF write, read-only (WP=1)", 0, PTE_W, store_target,
            store_target_at, 0);
    pf_case("#PF fetch, not present", 0, PTE_P, call_target, 0, 0);
    pf_case("#PF fetch, NX", PTE_NX, 0, call_target, 0, 0);
    pf_case("user read, supervisor page", 0, PTE_U, load_target,
            load_target_at, 1);
    pf_case("user write, supervisor page", 0, PTE_U, store_target,
            store_target_at, 1);
    pf_case("user write, read-only page", 0, PTE_W, store_target,
            store_target_at, 1);
    pf_case("user fetch, supervisor page", 0, PTE_U, call_target, 0, 1);
    pf_case("user fetch, NX", PTE_NX, 0, call_target, 0, 1);
    pf_case("user read, ok", 0, 0, load_target, load_target_at, 1);

    /* PS in a PML4E is reserved. */
    rt_pml4[1] = (uintptr_t)rt_pdpt | PTE_P | PTE_W | PTE_U | PTE_PS;
    target = 1ull << 39;
    report("#PF read, reserved bit", TRY(load_target, &t), &t,
           load_target_at, 0);
    rt_pml4[1] = 0;
    write_cr3(read_cr3());

    /* With EFER.NXE clear, bit 63 is reserved too. */
    uint64_t *pte = rt_pte((uintptr_t)pages[1]);
    *pte |= PTE_NX;
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) & ~EFER_NXE);
    target = (uintptr_t)pages[1];
    int v = TRY(store_target, &t);
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
    *pte &= ~PTE_NX;
    invlpg((uintptr_t)pages[1]);
    report("#PF write, NX bit with NXE=0", v, &t, store_target_at, pages[1]);
}
#endif

int main(void)
{
    /* Descriptors for the segment-load cases. */
    rt_set_gdt(0x48, rt_seg_desc(0, 0xfffff, 0x18, 0, SEGF_G | SEGF_D));
    rt_set_gdt(0x50, rt_seg_desc(0, 0xfffff, 0x12, 0, SEGF_G | SEGF_D) &
                     ~(1ull << 47));
    rt_set_gdt(0x58, rt_seg_desc(0, 0xfffff, 0x12, 0, SEGF_G | SEGF_D) &
                     ~(1ull << 47));
#ifndef __x86_64__
    rt_set_gdt(0x60, rt_seg_desc(0, 0xfff, 0x12, 0, SEGF_D));
#endif
    __asm__ volatile("lldt %w0" : : "r"(0));
    rt_gate(0x42, GATE_INT | GATE_NOT_PRESENT, 3, 0);

    printf("-- arithmetic\n");
    test("div by zero", de_zero, de_zero_at);
    test("div quotient too big", de_big, de_big_at);
    test("idiv INT_MIN / -1", de_idiv, de_idiv_at);
    printf("-- invalid opcodes\n");
    test("ud2", ud_ud2, ud_ud2);
    test("lock add reg, reg", ud_lock, ud_lock);
    test("lock nop", ud_lock_nop, ud_lock_nop);
#ifdef __x86_64__
    test("push es in 64-bit mode", ud_push_es, ud_push_es);
    test("into in 64-bit mode", ud_into64, ud_into64);
    test("syscall with EFER.SCE=0", ud_syscall, ud_syscall);
#endif
    printf("-- traps\n");
    test("int3", bp_int3, bp_int3);
    test("int $3", bp_int_3, bp_int_3);
#ifndef __x86_64__
    test("into, OF=1", of_into, of_into_at);
    test("into, OF=0", of_into_clear, of_into_clear);
    test("bound, out of range", br_bound, br_bound_at);
    test("bound, in range", br_bound_ok, br_bound_ok);
#endif
    printf("-- device not available\n");
    write_cr0(read_cr0() | (1u << 3));
    test("fnop with CR0.TS=1", nm_fnop, nm_fnop);
    write_cr0(read_cr0() & ~(1u << 3));

    printf("-- segment loads\n");
    test("ds <- beyond GDT limit", gp_ds_limit, gp_ds_limit_at);
    test("ds <- LDT selector, null LDT", gp_ds_ldt, gp_ds_ldt_at);
    test("ds <- execute-only code", gp_ds_xonly, gp_ds_xonly_at);
    test("ds <- TSS", gp_ds_tss, gp_ds_tss_at);
    test("ds <- not present", np_ds, np_ds_at);
    test("ds <- RPL 3, DPL 0, not present", gp_ds_rpl, gp_ds_rpl_at);
    test("ss <- RPL != CPL", gp_ss_rpl, gp_ss_rpl_at);
    test("ss <- DPL != CPL", gp_ss_dpl, gp_ss_dpl_at);
    test("ss <- code", gp_ss_code, gp_ss_code_at);
    test("ss <- not present", ss_np, ss_np_at);
#ifndef __x86_64__
    test("ss <- null", gp_ss_null, gp_ss_null_at);
    test("es limit 0xfff, read at 0x1000", gp_limit, gp_limit_at);
#else
    printf("-- canonical addresses\n");
    test("read via rax, non-canonical", gp_noncanon, gp_noncanon_at);
    test("read via rbp, non-canonical", ss_noncanon, ss_noncanon_at);
#endif

    printf("-- CPL 3\n");
    test_user("hlt", priv_hlt, priv_hlt);
    test_user("cli, IOPL 0", priv_cli, priv_cli);
    test_user("mov from cr0", priv_cr0, priv_cr0);
    test_user("wrmsr", priv_wrmsr, priv_wrmsr_at);
    test_user("lgdt", priv_lgdt, priv_lgdt);
    test_user("int $0x41, gate DPL 0", int_dpl0, int_dpl0);
    test_user("int $0x42, gate not present", int_np, int_np);
    test_user("ud2", ud_ud2, ud_ud2);
    test_user("int3", bp_int3, bp_int3);
    test_user("div by zero", de_zero, de_zero_at);
#ifdef __x86_64__
    printf("-- page faults\n");
    pf_tests();
#endif
    return 0;
}
