/*
 * A 64-bit Xen PV kernel in assembly for the monitor's tests: its code
 * and addresses do not depend on a C compiler, so the transcripts of the
 * tests beside it are exact.  It prints a line, installs a #UD
 * handler, sums a small loop into `counter`, calls two functions deep
 * (frame pointers for bt), executes ud2 (bounced to its handler) and a
 * privileged MOV from CR0 (emulated by Xen), makes an unimplemented
 * hypercall and a multicall, prints a last line and powers off.
 */
#include "xen-notes.h"

#define HYPERCALL(nr) call hypercall_page + (nr) * 32

    .section .note.Xen, "a"
    XEN_NOTE_STR(XEN_ELFNOTE_GUEST_OS, "xenemu-monitor-test")
    XEN_NOTE_STR(XEN_ELFNOTE_XEN_VERSION, "xen-3.0")
    XEN_NOTE_STR(XEN_ELFNOTE_LOADER, "generic")
    XEN_NOTE_WORD(XEN_ELFNOTE_VIRT_BASE, 0)
    XEN_NOTE_WORD(XEN_ELFNOTE_PADDR_OFFSET, 0)
    XEN_NOTE_WORD(XEN_ELFNOTE_ENTRY, _start)
    XEN_NOTE_WORD(XEN_ELFNOTE_HYPERCALL_PAGE, hypercall_page)
    XEN_NOTE_STR(XEN_ELFNOTE_FEATURES, "!writable_page_tables")

    .section .text.entry, "ax"
    .globl _start
_start:
    mov %rsi, start_info(%rip)
    lea stack_top(%rip), %rsp
    xor %ebp, %ebp
    call main
1:  jmp 1b

    .text
    .type main, @function
main:
    push %rbp
    mov %rsp, %rbp
    lea hello(%rip), %rdx               /* console_io(write, len, buf) */
    mov $hello_end - hello, %esi
    xor %edi, %edi
    HYPERCALL(18)
    lea traps(%rip), %rdi               /* set_trap_table */
    HYPERCALL(0)
    call sum
    call level1
    ud2                                 /* to ud_handler and back */
after_ud:
    mov %cr0, %rax                      /* Xen emulates it */
after_cr0:
    mov %rax, cr0_seen(%rip)
    xor %edi, %edi                      /* xenoprof_op: -ENOSYS */
    HYPERCALL(31)
    lea calls(%rip), %rdi               /* multicall of two xen_version */
    mov $2, %esi
    HYPERCALL(13)
    lea bye(%rip), %rdx
    mov $bye_end - bye, %esi
    xor %edi, %edi
    HYPERCALL(18)
    lea reason(%rip), %rsi              /* sched_op(shutdown, poweroff) */
    mov $2, %edi
    HYPERCALL(29)
    pop %rbp
    ret
    .size main, . - main

/* counter = 5 + 4 + 3 + 2 + 1 */
    .type sum, @function
sum:
    push %rbp
    mov %rsp, %rbp
    mov $5, %ecx
    xor %eax, %eax
sum_loop:
    add %rcx, %rax
    dec %ecx
    jnz sum_loop
    mov %rax, counter(%rip)
    pop %rbp
    ret
    .size sum, . - sum

    .type level1, @function
level1:
    push %rbp
    mov %rsp, %rbp
    call level2
    pop %rbp
    ret
    .size level1, . - level1

    .type level2, @function
level2:
    push %rbp
    mov %rsp, %rbp
    incq counter(%rip)
    pop %rbp
    ret
    .size level2, . - level2

/* #UD: Xen's frame is RCX, R11, RIP, CS, RFLAGS, RSP, SS.  Return past
 * the two-byte ud2 with the iret hypercall. */
    .type ud_handler, @function
ud_handler:
    addq $2, 16(%rsp)
    incq uds(%rip)
    pop %rcx
    pop %r11
    pushq $0
    jmp hypercall_page + 23 * 32
    .size ud_handler, . - ud_handler

    .data
    .balign 8
    .type counter, @object
counter:    .quad 0
    .size counter, 8
uds:        .quad 0
cr0_seen:   .quad 0
start_info: .quad 0
reason:     .long 0                     /* SHUTDOWN_poweroff */
    .balign 16
traps:                                  /* trap_info: vector, flags, cs, */
    .byte 6, 0                          /* address */
    .word 0xe033
    .long 0
    .quad ud_handler
    .quad 0, 0
calls:                                  /* multicall_entry: op, result, */
    .quad 17, 0, 0, 0, 0, 0, 0, 0       /* args[6] */
    .quad 17, 0, 1, 0, 0, 0, 0, 0
hello:
    .ascii "monitor test guest: hello\n"
hello_end:
bye:
    .ascii "monitor test guest: goodbye\n"
bye_end:

    .bss
    .balign 16
stack:
    .skip 8192
stack_top:
