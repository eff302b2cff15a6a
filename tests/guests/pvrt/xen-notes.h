/* Xen ELF notes (pub/elfnote.h) for assembly. */
#ifndef PVRT_XEN_NOTES_H
#define PVRT_XEN_NOTES_H

#define XEN_ELFNOTE_ENTRY          1
#define XEN_ELFNOTE_HYPERCALL_PAGE 2
#define XEN_ELFNOTE_VIRT_BASE      3
#define XEN_ELFNOTE_PADDR_OFFSET   4
#define XEN_ELFNOTE_XEN_VERSION    5
#define XEN_ELFNOTE_GUEST_OS       6
#define XEN_ELFNOTE_LOADER         8
#define XEN_ELFNOTE_PAE_MODE       9
#define XEN_ELFNOTE_FEATURES      10

#ifdef __x86_64__
#define XEN_WORD .quad
#else
#define XEN_WORD .long
#endif

#define XEN_NOTE(type, desc_directive...)      \
    .balign 4;                                 \
    .long 2f - 1f;                             \
    .long 4f - 3f;                             \
    .long type;                                \
1:  .asciz "Xen";                              \
2:  .balign 4;                                 \
3:  desc_directive;                            \
4:  .balign 4

#define XEN_NOTE_STR(type, s)  XEN_NOTE(type, .asciz s)
#define XEN_NOTE_WORD(type, w) XEN_NOTE(type, XEN_WORD w)

#endif
