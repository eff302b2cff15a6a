/*
 * Multiboot v1 header and 32-bit entry.  The loader enters rt_entry32 in
 * flat 32-bit protected mode with paging off, EAX = 0x2BADB002 and EBX =
 * the multiboot information.  64-bit kernels build an identity map of the
 * first 1 GiB (2 MiB pages) and enter long mode before calling rt_start.
 */
#include "gdt.h"

#define MB_MAGIC 0x1badb002
#define MB_FLAGS 0

        .section .multiboot, "a"
        .align 4
        .long MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)

        .section .text.entry, "ax"
        .code32
        .globl rt_entry32
rt_entry32:
        cli
        cld
        mov %eax, %esi
        mov %ebx, %ebp
        lgdt rt_gdt_ptr
#ifdef __x86_64__
        ljmp $KERNEL_CS32, $1f
#else
        ljmp $KERNEL_CS, $1f
#endif
1:      mov $KERNEL_DS, %eax
        mov %eax, %ds
        mov %eax, %es
        mov %eax, %fs
        mov %eax, %gs
        mov %eax, %ss
        /* Clear .bss (it holds the stacks and page tables). */
        mov $__bss_start, %edi
        mov $__bss_end, %ecx
        sub %edi, %ecx
        xor %eax, %eax
        rep stosb
        mov %esi, rt_mb_magic
        mov %ebp, rt_mb_info
        mov $rt_stack_top, %esp
#ifdef __x86_64__
        mov $rt_pdpt + 7, %eax
        mov %eax, rt_pml4
        mov $rt_pd + 7, %eax
        mov %eax, rt_pdpt
        mov $rt_pd, %edi
        mov $0x87, %eax                 /* P W U PS */
        mov $512, %ecx
2:      mov %eax, (%edi)
        add $0x200000, %eax
        add $8, %edi
        dec %ecx
        jnz 2b
        mov %cr4, %eax
        or $0x20, %eax                  /* PAE */
        mov %eax, %cr4
        mov $rt_pml4, %eax
        mov %eax, %cr3
        mov $0xc0000080, %ecx           /* EFER.LME | EFER.NXE */
        rdmsr
        or $0x900, %eax
        wrmsr
        mov %cr0, %eax
        or $0x80010001, %eax            /* PG | WP | PE */
        mov %eax, %cr0
        ljmp $KERNEL_CS, $3f
        .code64
3:      mov $rt_stack_top, %rsp
        call rt_start
4:      hlt
        jmp 4b
#else
        call rt_start
4:      hlt
        jmp 4b
#endif

        .data
        .align 16
        .globl rt_gdt
rt_gdt:
        .quad 0                         /* 0x00 */
#ifdef __x86_64__
        .quad 0x00af9a000000ffff        /* 0x08 kernel code, 64-bit */
#else
        .quad 0x00cf9a000000ffff        /* 0x08 kernel code, 32-bit */
#endif
        .quad 0x00cf92000000ffff        /* 0x10 kernel data */
        .quad 0x00cffa000000ffff        /* 0x18 user code, 32-bit */
        .quad 0x00cff2000000ffff        /* 0x20 user data */
#ifdef __x86_64__
        .quad 0x00affa000000ffff        /* 0x28 user code, 64-bit */
#else
        .quad 0
#endif
        .quad 0x00cf9a000000ffff        /* 0x30 kernel code, 32-bit */
        .fill GDT_ENTRIES - 7, 8, 0     /* 0x38 TSS (rt_start), free */
rt_gdt_end:

        .align 4
        .word 0
rt_gdt_ptr:
        .word rt_gdt_end - rt_gdt - 1
        .long rt_gdt

        .bss
        .align 4096
#ifdef __x86_64__
        .globl rt_pml4, rt_pdpt, rt_pd
rt_pml4: .skip 4096
rt_pdpt: .skip 4096
rt_pd:   .skip 4096
#endif
        .globl rt_mb_magic, rt_mb_info, rt_stack_top
rt_mb_magic: .long 0
rt_mb_info:  .long 0
        .align 16
        .skip 65536
rt_stack_top:
