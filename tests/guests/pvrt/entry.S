/*
 * Entry of a PV test kernel.  Xen (xenemu's builder) starts us in the
 * guest kernel's mode — 64-bit: CPL 3, long mode; 32-bit: ring 1 — with
 * paging on, rsp/esp on the boot stack and rsi/esi = start_info.
 */
#include "xen-notes.h"

    .section .note.Xen, "a"
    XEN_NOTE_STR(XEN_ELFNOTE_GUEST_OS, "xenemu-test")
    XEN_NOTE_STR(XEN_ELFNOTE_XEN_VERSION, "xen-3.0")
    XEN_NOTE_STR(XEN_ELFNOTE_LOADER, "generic")
    /* 0 unless the test kernel defines them (link.ld) */
    XEN_NOTE_WORD(XEN_ELFNOTE_VIRT_BASE, pv_virt_base)
    XEN_NOTE_WORD(XEN_ELFNOTE_PADDR_OFFSET, pv_paddr_offset)
    XEN_NOTE_WORD(XEN_ELFNOTE_ENTRY, _start)
    XEN_NOTE_WORD(XEN_ELFNOTE_HYPERCALL_PAGE, hypercall_page)
#ifndef __x86_64__
    XEN_NOTE_STR(XEN_ELFNOTE_PAE_MODE, "yes")
#endif
    XEN_NOTE_STR(XEN_ELFNOTE_FEATURES, "!writable_page_tables")

    .section .text.entry, "ax"
    .globl _start
_start:
#ifdef __x86_64__
    mov %rsi, pv_start_info(%rip)
    lea pv_stack_top(%rip), %rsp
    call pv_start
#else
    mov %esi, pv_start_info
    mov $pv_stack_top, %esp
    call pv_start
#endif
1:  jmp 1b

    .bss
    .balign 16
    .globl pv_stack
pv_stack:
    .skip 16384
pv_stack_top:
