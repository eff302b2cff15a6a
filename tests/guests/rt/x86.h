/* Privileged-instruction helpers for guest code (inline asm is fine here). */
#ifndef RT_X86_H
#define RT_X86_H

#include <stdint.h>

static inline void outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}
static inline void outw(uint16_t port, uint16_t v)
{
    __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}
static inline void outl(uint16_t port, uint32_t v)
{
    __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}
static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return lo | (uint64_t)hi << 32;
}
static inline void wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v),
                     "d"((uint32_t)(v >> 32)) : "memory");
}

#define MSR_EFER          0xc0000080
#define MSR_STAR          0xc0000081
#define MSR_LSTAR         0xc0000082
#define MSR_CSTAR         0xc0000083
#define MSR_SFMASK        0xc0000084
#define MSR_SYSENTER_CS   0x174
#define MSR_SYSENTER_ESP  0x175
#define MSR_SYSENTER_EIP  0x176
#define EFER_SCE (1u << 0)
#define EFER_LME (1u << 8)
#define EFER_LMA (1u << 10)
#define EFER_NXE (1u << 11)

#define X86_CR0_PE (1u << 0)
#define X86_CR0_WP (1u << 16)
#define X86_CR0_AM (1u << 18)
#define X86_CR0_PG (1u << 31)
#define X86_CR4_DE (1u << 3)
#define X86_CR4_PAE (1u << 5)
#define X86_CR4_PGE (1u << 7)

#define X86_FL_CF (1u << 0)
#define X86_FL_TF (1u << 8)
#define X86_FL_IF (1u << 9)
#define X86_FL_OF (1u << 11)
#define X86_FL_IOPL (3u << 12)
#define X86_FL_NT (1u << 14)
#define X86_FL_RF (1u << 16)
#define X86_FL_AC (1u << 18)

#define RT_READ_REG(name)                                                   \
    static inline uintptr_t read_##name(void)                               \
    {                                                                       \
        uintptr_t v;                                                        \
        __asm__ volatile("mov %%" #name ", %0" : "=r"(v));                  \
        return v;                                                           \
    }
#define RT_WRITE_REG(name)                                                  \
    static inline void write_##name(uintptr_t v)                            \
    {                                                                       \
        __asm__ volatile("mov %0, %%" #name : : "r"(v) : "memory");         \
    }
RT_READ_REG(cr0) RT_WRITE_REG(cr0)
RT_READ_REG(cr2)
RT_READ_REG(cr3) RT_WRITE_REG(cr3)
RT_READ_REG(cr4) RT_WRITE_REG(cr4)
RT_READ_REG(dr0) RT_WRITE_REG(dr0)
RT_READ_REG(dr1) RT_WRITE_REG(dr1)
RT_READ_REG(dr2) RT_WRITE_REG(dr2)
RT_READ_REG(dr3) RT_WRITE_REG(dr3)
RT_READ_REG(dr6) RT_WRITE_REG(dr6)
RT_READ_REG(dr7) RT_WRITE_REG(dr7)

#define RT_READ_SEG(name)                                                   \
    static inline uint16_t read_##name(void)                                \
    {                                                                       \
        uint16_t v;                                                         \
        __asm__ volatile("mov %%" #name ", %0" : "=r"(v));                  \
        return v;                                                           \
    }
RT_READ_SEG(cs) RT_READ_SEG(ss) RT_READ_SEG(ds) RT_READ_SEG(es)
RT_READ_SEG(fs) RT_READ_SEG(gs)

static inline void write_fs(uint16_t v)
{
    __asm__ volatile("mov %0, %%fs" : : "r"(v));
}
static inline uint16_t read_tr(void)
{
    uint16_t v;
    __asm__ volatile("str %0" : "=r"(v));
    return v;
}

static inline uintptr_t read_flags(void)
{
    uintptr_t v;
    __asm__ volatile("pushf; pop %0" : "=r"(v));
    return v;
}
static inline void write_flags(uintptr_t v)
{
    __asm__ volatile("push %0; popf" : : "r"(v) : "memory", "cc");
}

static inline void invlpg(uintptr_t va)
{
    __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
                     : "a"(leaf), "c"(sub));
}

#endif
