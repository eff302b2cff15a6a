/*
 * PV trap entry: one stub per vector (set_trap_table points there), the
 * common path into pv_trap_dispatch(), the return through the iret
 * hypercall, and setjmp/longjmp.  Xen's bounce frame sits on the stack as
 * it left it; struct pv_frame in pvrt.h describes what the stubs add.
 */
#define HC_IRET_STUB (hypercall_page + 23 * 32)

        .text
        .align 16
        .globl pv_trap_stubs
pv_trap_stubs:
        .set vec, 0
        .rept 256
        .align 16
        /* Vectors whose exceptions push an error code (x86-defns.h). */
        .if (vec == 8 || (vec >= 10 && vec <= 14) || vec == 17 || vec == 21 || vec == 29 || vec == 30)
        push $1
        .else
        push $0
        .endif
        push $vec
        jmp pv_trap_common
        .set vec, vec + 1
        .endr

#ifdef __x86_64__
/* Xen's frame: RCX, R11, [error], RIP, CS, RFLAGS, RSP, SS. */
pv_trap_common:
        push %rax
        push %rcx
        push %rdx
        push %rbx
        push %rbp
        push %rsi
        push %rdi
        push %r8
        push %r9
        push %r10
        push %r11
        push %r12
        push %r13
        push %r14
        push %r15
        /* The interrupted rcx/r11 are in Xen's frame. */
        mov 17*8(%rsp), %rax
        mov %rax, 13*8(%rsp)
        mov 18*8(%rsp), %rax
        mov %rax, 4*8(%rsp)
        mov %rsp, %rdi
        call pv_trap_dispatch
        pop %r15
        pop %r14
        pop %r13
        pop %r12
        pop %r11
        pop %r10
        pop %r9
        pop %r8
        pop %rdi
        pop %rsi
        pop %rbp
        pop %rbx
        pop %rdx
        pop %rcx
        pop %rax
        /* rsp -> vector, has_error, RCX, R11, [error], RIP: leave the iret
         * stub {flags = 0, RIP, CS, RFLAGS, RSP, SS}. */
        testl $1, 8(%rsp)
        jnz 1f
        lea 24(%rsp), %rsp
        movq $0, (%rsp)
        jmp HC_IRET_STUB
1:      lea 32(%rsp), %rsp
        movq $0, (%rsp)
        jmp HC_IRET_STUB

        .globl pv_setjmp
pv_setjmp:
        mov %rbx, 0(%rdi)
        mov %rbp, 8(%rdi)
        mov %r12, 16(%rdi)
        mov %r13, 24(%rdi)
        mov %r14, 32(%rdi)
        mov %r15, 40(%rdi)
        lea 8(%rsp), %rdx
        mov %rdx, 48(%rdi)
        mov (%rsp), %rdx
        mov %rdx, 56(%rdi)
        xor %eax, %eax
        ret

        .globl pv_longjmp
pv_longjmp:
        mov %esi, %eax
        mov 0(%rdi), %rbx
        mov 8(%rdi), %rbp
        mov 16(%rdi), %r12
        mov 24(%rdi), %r13
        mov 32(%rdi), %r14
        mov 40(%rdi), %r15
        mov 48(%rdi), %rsp
        jmp *56(%rdi)
#else
/* Xen's frame: [error], EIP, CS, EFLAGS [, ESP, SS].  From ring 3 the
 * data selectors are the user's (or null): the kernel's own for C code,
 * the interrupted ones back afterwards. */
pv_trap_common:
        pusha
        push %ds
        push %es
        mov $0xe021, %eax
        mov %eax, %ds
        mov %eax, %es
        push %esp
        call pv_trap_dispatch
        add $4, %esp
        pop %es
        pop %ds
        popa
        /* esp -> vector, has_error, [error], EIP: the iret stub wants the
         * frame from EIP on. */
        testl $1, 4(%esp)
        jnz 1f
        lea 8(%esp), %esp
        jmp HC_IRET_STUB
1:      lea 12(%esp), %esp
        jmp HC_IRET_STUB

        .globl pv_setjmp
pv_setjmp:
        mov 4(%esp), %ecx
        mov %ebx, 0(%ecx)
        mov %ebp, 4(%ecx)
        mov %esi, 8(%ecx)
        mov %edi, 12(%ecx)
        lea 4(%esp), %edx
        mov %edx, 16(%ecx)
        mov (%esp), %edx
        mov %edx, 20(%ecx)
        xor %eax, %eax
        ret

        .globl pv_longjmp
pv_longjmp:
        mov 4(%esp), %ecx
        mov 8(%esp), %eax
        mov 0(%ecx), %ebx
        mov 4(%ecx), %ebp
        mov 8(%ecx), %esi
        mov 12(%ecx), %edi
        mov 16(%ecx), %esp
        jmp *20(%ecx)
#endif
