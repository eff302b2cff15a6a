/* long pv_hypercall(unsigned nr, unsigned long a1, ..., a5): through the
 * stub Xen wrote at hypercall_page + nr * 32. */
    .text
    .globl pv_hypercall
pv_hypercall:
#ifdef __x86_64__
    mov %edi, %eax
    shl $5, %eax
    lea hypercall_page(%rip), %r11
    add %rax, %r11
    mov %rsi, %rdi
    mov %rdx, %rsi
    mov %rcx, %rdx
    mov %r8, %r10
    mov %r9, %r8
    jmp *%r11
#else
    push %ebx
    push %esi
    push %edi
    mov 16(%esp), %eax
    shl $5, %eax
    add $hypercall_page, %eax
    mov 20(%esp), %ebx
    mov 24(%esp), %ecx
    mov 28(%esp), %edx
    mov 32(%esp), %esi
    mov 36(%esp), %edi
    call *%eax
    pop %edi
    pop %esi
    pop %ebx
    ret
#endif
