/*
 * A small machine for CPU system-architecture tests: RAM with a GDT, an
 * IDT whose every vector leads to a HLT at a known address, a TSS with an
 * I/O bitmap, identity page tables for long mode, and hand-assembled code.
 * Physical and linear addresses coincide (flat segments, identity map).
 *
 * A test sets up a mode with h_init(), writes code with h_code(), runs with
 * h_run() and checks where the CPU stopped: h_vector() names the handler it
 * halted in, h_stack() reads the frame the CPU pushed, and with ring-0 exits
 * on (h.cpu.ring0_exits = true) h.nexits/h.ev record the exits.
 */
#ifndef CPU_HARNESS_H
#define CPU_HARNESS_H

#include "cpu/cpu.h"

#define H_RAM      (8u << 20)
#define H_GDT      0x1000u     /* 32 entries */
#define H_LDT      0x1800u
#define H_IDT      0x2000u     /* 256 gates of 8 or 16 bytes */
#define H_TSS      0x3000u     /* 104-byte header, then the I/O bitmap */
#define H_IOMAP    (H_TSS + 0x68u)
#define H_PML4     0x6000u
#define H_PDPT     0x7000u
#define H_PD       0x8000u     /* 1 GiB of 2 MiB pages, user-accessible */
#define H_HANDLERS 0x9000u     /* vector v halts at H_HANDLERS + 8 * v */
#define H_CODE     0x10000u    /* kernel code */
#define H_UCODE    0x20000u    /* user code */
#define H_KSTACK   0x30000u    /* top of the ring-0 stack (TSS RSP0/ESP0) */
#define H_USTACK   0x40000u    /* top of the ring-3 stack */
#define H_ISTACK   0x48000u    /* top of the IST1 stack (long mode) */
#define H_STACK1   0x4c000u    /* top of the ring-1 stack */
#define H_DATA     0x50000u

/* GDT selectors, laid out for SYSCALL (STAR[47:32] = H_KCS64) and SYSRET
 * (STAR[63:48] = H_UCS32 & ~3). */
#define H_KCS32  0x08
#define H_KCS64  0x10
#define H_KDS    0x18
#define H_UCS32  0x23
#define H_UDS    0x2b
#define H_UCS64  0x33
#define H_TSS_SEL 0x38         /* 16 bytes in long mode */
#define H_KCS16  0x48
#define H_FREE   0x50          /* 0x50 and 0x68..0xf8 free for tests */
#define H_R1CS   0x59          /* ring-1 code (32-bit) and data */
#define H_R1DS   0x61

enum h_mode { H_REAL, H_PROT32, H_LONG64 };

struct harness {
    struct mem mem;
    struct cpu cpu;
    enum h_mode mode;
    unsigned nexits;            /* ring-0 exits seen */
    struct cpu_event ev;        /* the last one */
    uint16_t exit_cs;           /* CS and RIP at the last exit */
    uint64_t exit_rip;
};

/* Build the machine at CPL 0 in mode, code at H_CODE (real mode: CS:IP =
 * H_CODE >> 4 : 0, SS:SP = 0:FFF0), RSP at H_KSTACK. */
int h_init(struct harness *h, enum h_mode mode);
void h_destroy(struct harness *h);

void h_code(struct harness *h, uint64_t pa, const uint8_t *bytes, size_t n);
#define H_CODE_AT(h, pa, ...)                                              \
    h_code((h), (pa), (const uint8_t[]){ __VA_ARGS__ },                    \
           sizeof((const uint8_t[]){ __VA_ARGS__ }))

uint64_t h_load(struct harness *h, uint64_t pa, unsigned size);
void h_store(struct harness *h, uint64_t pa, unsigned size, uint64_t v);

/* Descriptors: access byte (P, DPL, S, type) and flags nibble (G, D/B, L). */
uint64_t h_desc(uint32_t base, uint32_t limit, unsigned access,
                unsigned flags);
void h_gdt_set(struct harness *h, unsigned sel, uint64_t desc);
/* IDT gate (type 0xe/0xf/6/7/5) in the current mode's format. */
void h_gate(struct harness *h, unsigned vec, unsigned sel, uint64_t off,
            unsigned type, unsigned dpl, unsigned ist);
/* Call gate at sel (16 bytes in long mode). */
void h_call_gate(struct harness *h, unsigned sel, unsigned target,
                 uint64_t off, unsigned type, unsigned dpl, unsigned params);

/* Load a segment register from the GDT entry of sel, without checks. */
void h_load_seg(struct harness *h, int seg, uint16_t sel);
/* Switch directly to ring 3 (user CS/SS for the mode) at rip, rsp. */
void h_to_user(struct harness *h, uint64_t rip, uint64_t rsp);

enum cpu_stop h_run(struct harness *h, uint64_t budget);
/* The vector whose handler the CPU halted in, or -1. */
int h_vector(struct harness *h);
/* The k-th stack slot of width size above RSP (linear = SS.base + RSP). */
uint64_t h_stack(struct harness *h, unsigned k, unsigned size);

#endif
