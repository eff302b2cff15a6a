/*
 * A tiny machine for the integer-instruction unit tests (test-cpu-int*.c):
 * 4 MiB of RAM, hand-assembled code at TM_CODE, data from TM_DATA, and every
 * exception caught as a ring-0 exit.  64-bit mode identity-maps the first
 * 2 MiB with 4 KiB pages (tm_unmap can punch holes) and the next 2 MiB with
 * one large page; 32-bit mode is flat protected mode without paging; 16-bit
 * mode is real mode with CS based at TM_CODE.
 */
#ifndef TEST_CPU_INT_H
#define TEST_CPU_INT_H

#include "cpu/cpu.h"

#define TM_RAM   (4u << 20)
#define TM_PT    0x4000u        /* the page table of the first 2 MiB */
#define TM_CODE  0x10000u
#define TM_DATA  0x20000u

struct tmach {
    struct mem mem;
    struct cpu cpu;
    bool live;                  /* set up (tm_reinit/tm_release) */
    unsigned nexc;              /* exceptions seen */
    struct cpu_event ev;        /* the last one */
};

enum { TM_16 = 16, TM_32 = 32, TM_64 = 64 };

/* Set up a machine in the given mode; registers zero, RFLAGS = 2. */
int tm_init(struct tmach *t, int bits);
void tm_destroy(struct tmach *t);
/* tm_init after destroying what *t held (a static fixture); tm_release
 * destroys it if it is live. */
int tm_reinit(struct tmach *t, int bits);
void tm_release(struct tmach *t);
/* Place code at TM_CODE and point RIP at it. */
void tm_code(struct tmach *t, const uint8_t *bytes, size_t len);
/* Run one execution step (one instruction, or one chunk of a long REP).
 * Returns the vector of an exception it raised, or -1. */
int tm_step(struct tmach *t);
/* Run until RIP leaves the instruction at TM_CODE (or an exception). */
int tm_insn(struct tmach *t);
/* Place code and run it as one instruction. */
int tm_exec(struct tmach *t, const uint8_t *bytes, size_t len);
/* 64-bit mode: make the 4 KiB page at va (below 2 MiB) not present. */
void tm_unmap(struct tmach *t, uint64_t va);
uint64_t tm_load(struct tmach *t, uint64_t pa, unsigned size);
void tm_store(struct tmach *t, uint64_t pa, unsigned size, uint64_t v);
/* The six arithmetic flags, after the instruction. */
uint32_t tm_flags(struct tmach *t);
void tm_set_flags(struct tmach *t, uint64_t rflags);

#define TM_EXEC(t, ...)                                                  \
    tm_exec((t), (const uint8_t[]){ __VA_ARGS__ },                       \
            sizeof((const uint8_t[]){ __VA_ARGS__ }))

#endif
