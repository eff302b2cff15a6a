/*
 * (d) Interrupt stack table: gates with an IST index switch to that stack
 * at any CPL, the 64-bit frame is 16-byte aligned, and double faults
 * (#PF while pushing a frame, #NP while delivering #GP) land on IST3.
 */
#include "bare.h"

static char ist1[4096] __attribute__((aligned(16)));
static char ist2[4096] __attribute__((aligned(16)));
static char ist3[4096] __attribute__((aligned(16)));
#define TOP(s) ((uintptr_t)(s) + sizeof(s))

static uint8_t bad_stack[4096] __attribute__((aligned(4096)));

struct rt_trap t;
static uintptr_t frame_end, pushed_sp, frame_cs, frame_err;
static rt_jmp_buf df_jb;

static void record(struct rt_frame *f)
{
    frame_end = (uintptr_t)(&f->ss + 1);
    pushed_sp = f->sp;
    frame_cs = f->cs;
    frame_err = f->error;
}

static void df_handler(struct rt_frame *f)
{
    record(f);
    rt_longjmp(df_jb, 1);
}

ASM_FN(int40, "int $0x40\n ret");
ASM_FN(int41_misaligned, "push %rbx\n mov %rsp, %rbx\n"
                         "and $-16, %rsp\n sub $8, %rsp\n"
                         "int $0x41\n"
                         "mov %rbx, %rsp\n pop %rbx\n ret");
ASM_FN(user_int42, "int $0x42\n ret");
/* int3 with RSP at the top of a not-present page (the double fault's
 * longjmp restores RBX and RSP). */
ASM_FN(int3_bad_stack, "mov %rsp, %rbx\n"
                       "lea bad_stack+4096(%rip), %rsp\n"
                       "int3\n"
                       "mov %rbx, %rsp\n ret");
ASM_FN(gp_bad_sel, "mov $0x80, %eax\n mov %eax, %ds\n ret");

static void show(const char *what, uintptr_t top)
{
    long off = (long)(frame_end - top);
    printf("%s: frame ends at top%s%ld, cs %#lx\n", what, off < 0 ? "" : "+",
           off, (unsigned long)frame_cs);
}

static void double_fault(const char *what, void (*fn)(void))
{
    frame_end = frame_err = 0;
    if (rt_setjmp(df_jb) == 0) {
        fn();
        printf("%s: no double fault\n", what);
        return;
    }
    __asm__ volatile("mov %0, %%ds; mov %0, %%es" : : "r"(KERNEL_DS));
    printf("%s: #DF err=%#lx, frame ends at IST3 top: %d\n", what,
           (unsigned long)frame_err, frame_end == TOP(ist3));
}

int main(void)
{
    rt_set_handler(0x40, record);
    rt_set_handler(0x41, record);
    rt_set_handler(0x42, record);
    rt_gate(0x40, GATE_INT, 0, 1);
    rt_gate(0x41, GATE_INT, 0, 0);
    rt_gate(0x42, GATE_INT, 3, 2);

    rt_tss_set_ist(1, TOP(ist1));
    TRY(int40, &t);
    show("int $0x40, IST1", TOP(ist1));

    rt_tss_set_ist(1, TOP(ist1) - 8);
    TRY(int40, &t);
    show("int $0x40, IST1 = top-8 (aligned down)", TOP(ist1));

    TRY(int41_misaligned, &t);
    printf("int $0x41, no IST, rsp %% 16 = %lu: frame ends at rsp & ~15: %d\n",
           (unsigned long)(pushed_sp & 15), frame_end == (pushed_sp & ~15ul));

    rt_tss_set_ist(2, TOP(ist2));
    TRY_USER(user_int42, &t);
    show("int $0x42 from ring 3, IST2", TOP(ist2));
    printf("  (not TSS.RSP0: %d)\n",
           frame_end != (uintptr_t)rt_kstack + RT_STACK_SIZE);

    rt_tss_set_ist(3, TOP(ist3));
    rt_gate(8, GATE_INT, 0, 3);
    rt_set_handler(8, df_handler);
    *rt_pte((uintptr_t)bad_stack) &= ~PTE_P;
    invlpg((uintptr_t)bad_stack);
    double_fault("int3 on a not-present stack", (void (*)(void))int3_bad_stack);
    rt_gate(13, GATE_INT | GATE_NOT_PRESENT, 0, 0);
    double_fault("#GP with its gate not present", (void (*)(void))gp_bad_sel);
    rt_gate(13, GATE_INT, 0, 0);
    report("#GP with its gate back", TRY(gp_bad_sel, &t), &t, gp_bad_sel, 0);
    return 0;
}
