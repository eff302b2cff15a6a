/*
 * Native trampoline: load all 16 GPRs, RFLAGS and the x87/SSE state (an
 * FXSAVE image) from the control block, jump to the instruction under test,
 * and (reached through a landing stub) save them back; the host's own
 * x87/SSE state is kept aside meanwhile.  Every control-block access uses an absolute 32-bit
 * address, so this code touches no register or flag it does not own and
 * needs no relocation.  Offsets match cpu-diff.h.
 *
 *   void cd_native_enter64(void);   64-bit instruction at [CTRL_TARGET]
 *   void cd_native_enter32(void);   far jump to 0x23:insn (compat mode)
 *   cd_native_save                  not callable: stubs jump here
 */
#if defined(__x86_64__) && defined(__linux__)

#define CTRL      0x0f000000
#define C_IN      (CTRL + 0x000)
#define C_INFL    (CTRL + 0x080)
#define C_OUT     (CTRL + 0x088)
#define C_OUTFL   (CTRL + 0x108)
#define C_HOSTRSP (CTRL + 0x118)
#define C_TARGET  (CTRL + 0x120)
#define C_FAR32   (CTRL + 0x130)
#define C_FXIN    (CTRL + 0x200)
#define C_FXOUT   (CTRL + 0x400)
#define C_FXHOST  (CTRL + 0x600)

    .text

.macro SAVE_HOST
    push %rbx
    push %rbp
    push %r12
    push %r13
    push %r14
    push %r15
    mov %rsp, C_HOSTRSP
    fxsave64 C_FXHOST
.endm

.macro LOAD_GUEST
    fxrstor64 C_FXIN
    pushq C_INFL
    popfq
    mov C_IN + 0x00, %rax
    mov C_IN + 0x08, %rcx
    mov C_IN + 0x10, %rdx
    mov C_IN + 0x18, %rbx
    mov C_IN + 0x28, %rbp
    mov C_IN + 0x30, %rsi
    mov C_IN + 0x38, %rdi
    mov C_IN + 0x40, %r8
    mov C_IN + 0x48, %r9
    mov C_IN + 0x50, %r10
    mov C_IN + 0x58, %r11
    mov C_IN + 0x60, %r12
    mov C_IN + 0x68, %r13
    mov C_IN + 0x70, %r14
    mov C_IN + 0x78, %r15
    mov C_IN + 0x20, %rsp
.endm

    .globl cd_native_enter64
    .type cd_native_enter64, @function
cd_native_enter64:
    SAVE_HOST
    LOAD_GUEST
    jmp *C_TARGET
    .size cd_native_enter64, . - cd_native_enter64

    .globl cd_native_enter32
    .type cd_native_enter32, @function
cd_native_enter32:
    SAVE_HOST
    /* Compatibility mode honours DS/ES: give them the flat user selector. */
    mov $0x2b, %eax
    mov %eax, %ds
    mov %eax, %es
    LOAD_GUEST
    ljmpl *C_FAR32
    .size cd_native_enter32, . - cd_native_enter32

    .globl cd_native_save
    .type cd_native_save, @function
cd_native_save:
    fxsave64 C_FXOUT
    mov %rax, C_OUT + 0x00
    mov %rcx, C_OUT + 0x08
    mov %rdx, C_OUT + 0x10
    mov %rbx, C_OUT + 0x18
    mov %rsp, C_OUT + 0x20
    mov %rbp, C_OUT + 0x28
    mov %rsi, C_OUT + 0x30
    mov %rdi, C_OUT + 0x38
    mov %r8, C_OUT + 0x40
    mov %r9, C_OUT + 0x48
    mov %r10, C_OUT + 0x50
    mov %r11, C_OUT + 0x58
    mov %r12, C_OUT + 0x60
    mov %r13, C_OUT + 0x68
    mov %r14, C_OUT + 0x70
    mov %r15, C_OUT + 0x78
    mov C_HOSTRSP, %rsp
    fxrstor64 C_FXHOST
    pushfq
    popq C_OUTFL
    pushq $0x202          /* DF, AC, TF, NT clear for the C code */
    popfq
    xor %eax, %eax
    mov %eax, %ds
    mov %eax, %es
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %rbp
    pop %rbx
    ret
    .size cd_native_save, . - cd_native_save

/* void cd_native_sregs(uint16_t sel[6]): ES CS SS DS FS GS selectors. */
    .globl cd_native_sregs
    .type cd_native_sregs, @function
cd_native_sregs:
    mov %es, %ax
    mov %ax, 0(%rdi)
    mov %cs, %ax
    mov %ax, 2(%rdi)
    mov %ss, %ax
    mov %ax, 4(%rdi)
    mov %ds, %ax
    mov %ax, 6(%rdi)
    mov %fs, %ax
    mov %ax, 8(%rdi)
    mov %gs, %ax
    mov %ax, 10(%rdi)
    ret
    .size cd_native_sregs, . - cd_native_sregs

/* The host's x87/SSE state back after a signal ended a case. */
    .globl cd_native_restore_fx
    .type cd_native_restore_fx, @function
cd_native_restore_fx:
    fxrstor64 C_FXHOST
    ret
    .size cd_native_restore_fx, . - cd_native_restore_fx

/* Reset DS/ES after a signal left compatibility-mode selectors behind. */
    .globl cd_native_reset_segs
    .type cd_native_reset_segs, @function
cd_native_reset_segs:
    xor %eax, %eax
    mov %eax, %ds
    mov %eax, %es
    ret
    .size cd_native_reset_segs, . - cd_native_reset_segs

#endif

    .section .note.GNU-stack, "", @progbits
