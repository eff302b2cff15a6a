/*
 * Exception/interrupt stubs (one per vector, 16 bytes apart from rt_stubs),
 * the common path into rt_trap_dispatch(), setjmp/longjmp and the IRET
 * into ring 3.  The frame layout is struct rt_frame in rt.h.
 */
#include "gdt.h"

        .text
        .align 16
        .globl rt_stubs
rt_stubs:
        .set vec, 0
        .rept 256
        .align 16
        /* Vectors whose exceptions push an error code. */
        .if !(vec == 8 || (vec >= 10 && vec <= 14) || vec == 17 || vec == 21 || vec == 29 || vec == 30)
        push $0
        .endif
        push $vec
        jmp rt_trap_common
        .set vec, vec + 1
        .endr

#ifdef __x86_64__
rt_trap_common:
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
        mov %rsp, %rdi
        mov %rsp, %rbx
        and $-16, %rsp
        call rt_trap_dispatch
        mov %rbx, %rsp
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
        add $16, %rsp
        iretq

        .globl rt_setjmp
rt_setjmp:
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

        .globl rt_longjmp
rt_longjmp:
        mov %esi, %eax
        mov 0(%rdi), %rbx
        mov 8(%rdi), %rbp
        mov 16(%rdi), %r12
        mov 24(%rdi), %r13
        mov 32(%rdi), %r14
        mov 40(%rdi), %r15
        mov 48(%rdi), %rsp
        jmp *56(%rdi)

/* rt_enter_user(fn, sp): IRET to fn at CPL 3 (64-bit user code). */
        .globl rt_enter_user
rt_enter_user:
        push $USER_DS
        push %rsi
        pushfq
        push $USER_CS64
        push %rdi
        iretq

/* Where user code returns to: hand its return value to the kernel. */
        .globl rt_user_return
rt_user_return:
        int $RT_VEC_DONE
        ud2

#else /* 32-bit */
rt_trap_common:
        pusha
        push %ds
        push %es
        mov $KERNEL_DS, %eax
        mov %eax, %ds
        mov %eax, %es
        mov %esp, %eax
        push %eax
        call rt_trap_dispatch
        add $4, %esp
        pop %es
        pop %ds
        popa
        add $8, %esp
        iret

        .globl rt_setjmp
rt_setjmp:
        mov 4(%esp), %eax
        mov %ebx, 0(%eax)
        mov %esi, 4(%eax)
        mov %edi, 8(%eax)
        mov %ebp, 12(%eax)
        lea 4(%esp), %ecx
        mov %ecx, 16(%eax)
        mov (%esp), %ecx
        mov %ecx, 20(%eax)
        xor %eax, %eax
        ret

        .globl rt_longjmp
rt_longjmp:
        mov 4(%esp), %edx
        mov 8(%esp), %eax
        mov 0(%edx), %ebx
        mov 4(%edx), %esi
        mov 8(%edx), %edi
        mov 12(%edx), %ebp
        mov 16(%edx), %esp
        jmp *20(%edx)

/* rt_enter_user(fn, sp): IRET to fn at CPL 3 with user data segments. */
        .globl rt_enter_user
rt_enter_user:
        mov 4(%esp), %ecx
        mov 8(%esp), %edx
        push $USER_DS
        push %edx
        pushf
        push $USER_CS32
        push %ecx
        mov $USER_DS, %eax
        mov %eax, %ds
        mov %eax, %es
        iret

        .globl rt_user_return
rt_user_return:
        int $RT_VEC_DONE
        ud2
#endif
