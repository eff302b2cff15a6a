/* GDT layout shared by C and assembly (see rt.h for the meaning). */
#ifndef RT_GDT_H
#define RT_GDT_H
#define KERNEL_CS   0x08
#define KERNEL_DS   0x10
#define USER_CS32   0x1b
#define USER_DS     0x23
#define USER_CS64   0x2b
#define KERNEL_CS32 0x30
#define TSS_SEL     0x38
#define GDT_FREE    0x48
#define GDT_ENTRIES 16
#define RT_VEC_DONE 0xf0
#endif
