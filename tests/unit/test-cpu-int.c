/*
 * Integer instruction families of the CPU (cpu/ops-shift.c, ops-muldiv.c,
 * ops-bit.c, ops-bcd.c), executed one instruction at a time on a tiny
 * machine (test-cpu-int.h).  The instruction bytes are hand-assembled; the
 * expected values of flags the SDM leaves undefined are those of AMD Zen
 * (doc/cpu-model.md).  String instructions: test-cpu-int-string.c.
 */
#include <stdio.h>
#include <string.h>

#include "cpu/cpu.h"
#include "test-cpu-int.h"
#include "unit.h"

/* ---- the test machine (test-cpu-int.h) ---------------------------------- */

static void tm_exit(void *opaque, struct cpu *c, const struct cpu_event *ev)
{
    struct tmach *t = opaque;
    t->nexc++;
    t->ev = *ev;
    c->stop_request = true;
}

static void tm_paging64(struct tmach *t)
{
    tm_store(t, 0x1000, 8, 0x2000 | 3);             /* PML4[0] */
    tm_store(t, 0x2000, 8, 0x3000 | 3);             /* PDPT[0] */
    tm_store(t, 0x3000, 8, TM_PT | 3);              /* PD[0]: 4 KiB pages */
    tm_store(t, 0x3008, 8, (2u << 20) | PTE_PS | 3);/* PD[1]: 2 MiB page */
    for (uint64_t k = 0; k < 512; k++)
        tm_store(t, TM_PT + 8 * k, 8, k << PAGE_SHIFT | 3);
}

int tm_init(struct tmach *t, int bits)
{
    struct cpu *c = &t->cpu;
    uint16_t data = SEGA_P | SEGA_S | 3 | SEGA_DB | SEGA_G;

    memset(t, 0, sizeof(*t));
    if (mem_init(&t->mem, TM_RAM) < 0)
        return -1;
    if (cpu_init(c, &t->mem) < 0) {
        mem_destroy(&t->mem);
        return -1;
    }
    c->opaque = t;
    c->hooks.exit = tm_exit;
    c->ring0_exits = true;
    memset(c->r, 0, sizeof(c->r));
    if (bits == TM_16) {
        for (int s = 0; s < 6; s++)
            cpu_set_seg(c, s, 0, 0, 0xffff, SEGA_P | SEGA_S | 3);
        cpu_set_seg(c, SEG_CS, TM_CODE >> 4, TM_CODE, 0xffff,
                    SEGA_P | SEGA_S | 0xb);
    } else if (bits == TM_32) {
        cpu_set_cr0(c, CR0_PE | CR0_ET);
        for (int s = 0; s < 6; s++)
            cpu_set_seg(c, s, 0x10, 0, 0xffffffff, data);
        cpu_set_seg(c, SEG_CS, 0x08, 0, 0xffffffff,
                    SEGA_P | SEGA_S | 0xb | SEGA_DB | SEGA_G);
    } else {
        tm_paging64(t);
        cpu_set_cr4(c, CR4_PAE);
        cpu_set_efer(c, EFER_LME);
        cpu_set_cr3(c, 0x1000);
        cpu_set_cr0(c, CR0_PE | CR0_PG | CR0_WP | CR0_ET);
        for (int s = 0; s < 6; s++)
            cpu_set_seg(c, s, 0x10, 0, 0xffffffff, data);
        cpu_set_seg(c, SEG_CS, 0x08, 0, 0xffffffff,
                    SEGA_P | SEGA_S | 0xb | SEGA_L | SEGA_G);
    }
    cpu_set_rflags(c, 2);
    c->rip = TM_CODE - c->seg[SEG_CS].base;
    t->live = true;
    return 0;
}

void tm_destroy(struct tmach *t)
{
    cpu_destroy(&t->cpu);
    mem_destroy(&t->mem);
    t->live = false;
}

int tm_reinit(struct tmach *t, int bits)
{
    tm_release(t);
    return tm_init(t, bits);
}

void tm_release(struct tmach *t)
{
    if (t->live)
        tm_destroy(t);
}

void tm_code(struct tmach *t, const uint8_t *bytes, size_t len)
{
    phys_write(&t->mem, TM_CODE, bytes, len);
    t->cpu.rip = TM_CODE - t->cpu.seg[SEG_CS].base;
}

int tm_step(struct tmach *t)
{
    unsigned before = t->nexc;
    cpu_run(&t->cpu, 1);
    return t->nexc != before ? t->ev.vector : -1;
}

int tm_insn(struct tmach *t)
{
    uint64_t start = t->cpu.rip;
    for (unsigned k = 0; k < 1000000; k++) {
        int v = tm_step(t);
        if (v >= 0 || t->cpu.rip != start)
            return v;
    }
    return -2;                  /* never finished */
}

int tm_exec(struct tmach *t, const uint8_t *bytes, size_t len)
{
    tm_code(t, bytes, len);
    return tm_insn(t);
}

void tm_unmap(struct tmach *t, uint64_t va)
{
    tm_store(t, TM_PT + 8 * (va >> PAGE_SHIFT), 8, 0);
    cpu_flush_code(&t->cpu);
}

uint64_t tm_load(struct tmach *t, uint64_t pa, unsigned size)
{
    return phys_load(&t->mem, pa, size);
}

void tm_store(struct tmach *t, uint64_t pa, unsigned size, uint64_t v)
{
    phys_store(&t->mem, pa, size, v);
}

uint32_t tm_flags(struct tmach *t)
{
    return (uint32_t)cpu_get_rflags(&t->cpu) & FL_ARITH;
}

void tm_set_flags(struct tmach *t, uint64_t rflags)
{
    cpu_set_rflags(&t->cpu, rflags);
}

/* ---- fixtures ------------------------------------------------------------- */

static struct tmach t;

static void fresh(int bits)
{
    CU_ASSERT_FATAL(tm_reinit(&t, bits) == 0);
}

static int cleanup(void)
{
    tm_release(&t);
    return 0;
}

#define RAX t.cpu.r[R_AX]
#define RCX t.cpu.r[R_CX]
#define RDX t.cpu.r[R_DX]
#define RBX t.cpu.r[R_BX]
#define CF FL_CF
#define PF FL_PF
#define AF FL_AF
#define ZF FL_ZF
#define SF FL_SF
#define OF FL_OF
#define ALL FL_ARITH

/* Run, expecting no exception. */
#define OK(...) CU_ASSERT_EQUAL(TM_EXEC(&t, __VA_ARGS__), -1)

/* A fault leaves RIP at the instruction and reports it there. */
static void assert_fault(int got, int vector)
{
    CU_ASSERT_EQUAL(got, vector);
    CU_ASSERT_EQUAL(t.ev.rip, t.cpu.rip);
    CU_ASSERT_EQUAL(t.cpu.rip, TM_CODE - t.cpu.seg[SEG_CS].base);
}

/* ---- shifts and rotates ------------------------------------------------- */

static void test_shift_count_masking(void)
{
    fresh(TM_64);
    RAX = 0x80000001; RCX = 33;                 /* 33 & 31 = 1 */
    OK(0xd3, 0xe0);                             /* shl eax, cl */
    CU_ASSERT_EQUAL(RAX, 2);
    CU_ASSERT_EQUAL(tm_flags(&t) & (CF | OF), CF | OF);

    RAX = 1; RCX = 65;                          /* 65 & 63 = 1 */
    OK(0x48, 0xd3, 0xe0);                       /* shl rax, cl */
    CU_ASSERT_EQUAL(RAX, 2);
    RCX = 32;                                   /* a real 32 for 64 bits */
    OK(0x48, 0xd3, 0xe0);
    CU_ASSERT_EQUAL(RAX, 0x200000000ull);

    RAX = 0x81; RCX = 0x29;                     /* 41 & 31 = 9 > 8 bits */
    OK(0xd2, 0xe0);                             /* shl al, cl */
    CU_ASSERT_EQUAL(RAX, 0);
    CU_ASSERT_EQUAL(tm_flags(&t), ZF | PF | AF);/* AMD: CF 0 past width */

    RAX = 0x12345; RCX = 16;
    OK(0x66, 0xd3, 0xe0);                       /* shl ax, cl */
    CU_ASSERT_EQUAL(RAX, 0x10000);
    CU_ASSERT_EQUAL(tm_flags(&t) & CF, CF);     /* bit 0 went out last */
}

static void test_shift_count_zero(void)
{
    fresh(TM_64);
    tm_set_flags(&t, 2 | ALL);
    RAX = 0xffffffff00000081ull; RCX = 0;
    OK(0xd3, 0xe0);                             /* shl eax, cl: 0 */
    CU_ASSERT_EQUAL(RAX, 0x81);                 /* still zero-extends */
    CU_ASSERT_EQUAL(tm_flags(&t), ALL);

    tm_set_flags(&t, 2);
    OK(0xc1, 0xe0, 0x20);                       /* shl eax, 32 -> 0 */
    CU_ASSERT_EQUAL(RAX, 0x81);
    CU_ASSERT_EQUAL(tm_flags(&t), 0);

    RCX = 64;
    RAX = 0x8000000000000001ull;
    OK(0x48, 0xd3, 0xc0);                       /* rol rax, cl: 64 -> 0 */
    CU_ASSERT_EQUAL(RAX, 0x8000000000000001ull);
    CU_ASSERT_EQUAL(tm_flags(&t), 0);

    /* A memory operand is still written: it must be writable. */
    RBX = TM_DATA;
    tm_store(&t, TM_DATA, 4, 0x1234);
    RCX = 0;
    tm_set_flags(&t, 2 | CF);
    OK(0xd3, 0x23);                             /* shl dword [rbx], cl */
    CU_ASSERT_EQUAL(tm_load(&t, TM_DATA, 4), 0x1234);
    CU_ASSERT_EQUAL(tm_flags(&t), CF);
}

static void test_shift_by_one(void)
{
    fresh(TM_64);
    RAX = 0x40;
    OK(0xd0, 0xe0);                             /* shl al, 1 */
    CU_ASSERT_EQUAL(RAX, 0x80);
    CU_ASSERT_EQUAL(tm_flags(&t), OF | SF | AF);

    RAX = 0x40;
    OK(0xd0, 0xf0);                             /* sal al, 1 (/6 alias) */
    CU_ASSERT_EQUAL(RAX, 0x80);
    CU_ASSERT_EQUAL(tm_flags(&t), OF | SF | AF);

    RAX = 0x81;
    OK(0xd0, 0xe8);                             /* shr al, 1 */
    CU_ASSERT_EQUAL(RAX, 0x40);
    CU_ASSERT_EQUAL(tm_flags(&t), OF | CF | AF);/* OF = old MSB */

    RAX = 0x81;
    OK(0xd0, 0xf8);                             /* sar al, 1 */
    CU_ASSERT_EQUAL(RAX, 0xc0);
    CU_ASSERT_EQUAL(tm_flags(&t), SF | CF | AF | PF);

    RAX = 0x80000000;
    tm_set_flags(&t, 2 | ZF);
    OK(0xd1, 0xc0);                             /* rol eax, 1 */
    CU_ASSERT_EQUAL(RAX, 1);
    CU_ASSERT_EQUAL(tm_flags(&t), CF | OF | ZF);/* only CF OF change */

    RAX = 1;
    tm_set_flags(&t, 2);
    OK(0xd1, 0xc8);                             /* ror eax, 1 */
    CU_ASSERT_EQUAL(RAX, 0x80000000);
    CU_ASSERT_EQUAL(tm_flags(&t), CF | OF);

    RAX = 0x1234;                               /* ah = 0x12 */
    OK(0xd0, 0xe4);                             /* shl ah, 1 */
    CU_ASSERT_EQUAL(RAX, 0x2434);
}

/* What the SDM leaves undefined, as AMD Zen does it. */
static void test_shift_undefined_flags(void)
{
    fresh(TM_64);
    RAX = 0x81;
    OK(0xc0, 0xe0, 0x08);                       /* shl al, 8 */
    CU_ASSERT_EQUAL(RAX, 0);
    CU_ASSERT_EQUAL(tm_flags(&t), OF | ZF | AF | PF | CF);

    RAX = 0x80000000; RCX = 2;
    OK(0xd3, 0xe8);                             /* shr eax, cl */
    CU_ASSERT_EQUAL(RAX, 0x20000000);
    CU_ASSERT_EQUAL(tm_flags(&t), AF | PF);     /* OF from the result */

    RAX = 0x81;
    tm_set_flags(&t, 2 | SF | ZF | PF);
    OK(0xc0, 0xc0, 0x08);                       /* rol al, 8 */
    CU_ASSERT_EQUAL(RAX, 0x81);
    CU_ASSERT_EQUAL(tm_flags(&t), CF | SF | ZF | PF);

    tm_set_flags(&t, 2);
    OK(0xc0, 0xd0, 0x09);                       /* rcl al, 9 */
    CU_ASSERT_EQUAL(RAX, 0x81);
    CU_ASSERT_EQUAL(tm_flags(&t), OF);          /* CF kept, OF updated */
}

static void test_rcl_rcr(void)
{
    fresh(TM_64);
    RAX = 0x80;
    OK(0xd0, 0xd0);                             /* rcl al, 1 */
    CU_ASSERT_EQUAL(RAX, 0);
    CU_ASSERT_EQUAL(tm_flags(&t), CF | OF);
    OK(0xd0, 0xd0);                             /* the carry comes back */
    CU_ASSERT_EQUAL(RAX, 1);
    CU_ASSERT_EQUAL(tm_flags(&t) & CF, 0);

    RAX = 0x0f;
    tm_set_flags(&t, 2 | CF);
    OK(0xc0, 0xd0, 0x04);                       /* rcl al, 4 */
    CU_ASSERT_EQUAL(RAX, 0xf8);
    CU_ASSERT_EQUAL(tm_flags(&t) & CF, 0);

    RAX = 0;
    tm_set_flags(&t, 2 | CF);
    OK(0xd1, 0xd8);                             /* rcr eax, 1 */
    CU_ASSERT_EQUAL(RAX, 0x80000000);
    CU_ASSERT_EQUAL(tm_flags(&t), OF);

    RAX = 0x8000000000000000ull; RCX = 1;
    tm_set_flags(&t, 2 | CF);
    OK(0x48, 0xd3, 0xd0);                       /* rcl rax, cl */
    CU_ASSERT_EQUAL(RAX, 1);
    CU_ASSERT_EQUAL(tm_flags(&t) & CF, CF);

    RAX = 0x8001; RCX = 17;                     /* 16-bit: mod 17 = 0 */
    tm_set_flags(&t, 2);
    OK(0x66, 0xd3, 0xd0);                       /* rcl ax, cl */
    CU_ASSERT_EQUAL(RAX, 0x8001);
    CU_ASSERT_EQUAL(tm_flags(&t), OF);

    RAX = 0x01; RCX = 10;                       /* 8-bit: 10 mod 9 = 1 */
    OK(0xd2, 0xd8);                             /* rcr al, cl */
    CU_ASSERT_EQUAL(RAX, 0);
    CU_ASSERT_EQUAL(tm_flags(&t) & CF, CF);
}

static void test_shld_shrd(void)
{
    fresh(TM_64);
    RAX = 0x12345678; RDX = 0x9abcdef0;
    OK(0x0f, 0xa4, 0xd0, 0x04);                 /* shld eax, edx, 4 */
    CU_ASSERT_EQUAL(RAX, 0x23456789);
    CU_ASSERT_EQUAL(tm_flags(&t) & CF, CF);

    RAX = 0x12345678; RCX = 8;
    OK(0x0f, 0xad, 0xd0);                       /* shrd eax, edx, cl */
    CU_ASSERT_EQUAL(RAX, 0xf0123456);
    CU_ASSERT_EQUAL(tm_flags(&t), SF | AF | PF);

    RAX = 0x1111; RCX = 64;                     /* masked to 0 */
    tm_set_flags(&t, 2 | ZF);
    OK(0x48, 0x0f, 0xa5, 0xd0);                 /* shld rax, rdx, cl */
    CU_ASSERT_EQUAL(RAX, 0x1111);
    CU_ASSERT_EQUAL(tm_flags(&t), ZF);

    RAX = 0x8000000000000001ull; RDX = 0xc000000000000000ull;
    OK(0x48, 0x0f, 0xa4, 0xd0, 0x02);           /* shld rax, rdx, 2 */
    CU_ASSERT_EQUAL(RAX, 7);

    /* 16-bit counts past the width shift through dst:src:src and
     * src:src:dst (AMD). */
    RAX = 0x1234; RDX = 0xabcd; RCX = 17;
    OK(0x66, 0x0f, 0xa5, 0xd0);                 /* shld ax, dx, cl */
    CU_ASSERT_EQUAL(RAX, 0x579b);
    CU_ASSERT_EQUAL(tm_flags(&t), AF);
    RAX = 0x1234; RCX = 20;
    OK(0x66, 0x0f, 0xad, 0xd0);                 /* shrd ax, dx, cl */
    CU_ASSERT_EQUAL(RAX, 0xdabc);
    CU_ASSERT_EQUAL(tm_flags(&t), SF | AF);

    RBX = TM_DATA;
    tm_store(&t, TM_DATA, 4, 0x0000ffff);
    RDX = 0xa0000000;
    OK(0x0f, 0xa4, 0x13, 0x04);                 /* shld [rbx], edx, 4 */
    CU_ASSERT_EQUAL(tm_load(&t, TM_DATA, 4), 0x000ffffa);
}

/* A faulting write leaves memory and flags as they were. */
static void test_shift_memory_faults(void)
{
    fresh(TM_64);
    RBX = TM_DATA + 0x1000;
    tm_store(&t, TM_DATA + 0x1000, 4, 0x40000000);
    OK(0xd1, 0x23);                             /* shl dword [rbx], 1 */
    CU_ASSERT_EQUAL(tm_load(&t, TM_DATA + 0x1000, 4), 0x80000000);
    CU_ASSERT_EQUAL(tm_flags(&t), SF | OF | AF | PF);

    /* Read-only page (CR0.WP): #PF on the write, nothing committed. */
    tm_store(&t, TM_PT + 8 * ((TM_DATA + 0x1000) >> 12), 8,
             (TM_DATA + 0x1000) | 1);
    cpu_flush_code(&t.cpu);
    tm_set_flags(&t, 2 | ZF);
    assert_fault(TM_EXEC(&t, 0xd1, 0x23), EXC_PF);
    CU_ASSERT_EQUAL(t.ev.error, PFEC_P | PFEC_W);
    CU_ASSERT_EQUAL(tm_load(&t, TM_DATA + 0x1000, 4), 0x80000000);
    CU_ASSERT_EQUAL(tm_flags(&t), ZF);

    tm_unmap(&t, TM_DATA + 0x1000);
    assert_fault(TM_EXEC(&t, 0xd1, 0x23), EXC_PF);
    CU_ASSERT_EQUAL(t.ev.cr2, TM_DATA + 0x1000);
    CU_ASSERT_EQUAL(t.ev.error, PFEC_W);        /* the read is for writing */
    RDX = 0;
    assert_fault(TM_EXEC(&t, 0x0f, 0xab, 0x13), EXC_PF); /* bts [rbx], edx */
    CU_ASSERT_EQUAL(t.ev.error, PFEC_W);
    assert_fault(TM_EXEC(&t, 0x0f, 0xa3, 0x13), EXC_PF); /* bt: a read */
    CU_ASSERT_EQUAL(t.ev.error, 0);
}

/* ---- multiply and divide ------------------------------------------------ */

static void test_mul(void)
{
    fresh(TM_64);
    RAX = 0x10; RCX = 0x10;
    tm_set_flags(&t, 2 | SF | ZF | AF | PF);
    OK(0xf6, 0xe1);                             /* mul cl */
    CU_ASSERT_EQUAL(RAX, 0x100);
    CU_ASSERT_EQUAL(tm_flags(&t), ALL);         /* AMD keeps SF ZF AF PF */

    RAX = 3; RCX = 5;
    tm_set_flags(&t, 2);
    OK(0xf6, 0xe1);
    CU_ASSERT_EQUAL(RAX, 15);
    CU_ASSERT_EQUAL(tm_flags(&t), 0);

    RAX = ~0ull; RCX = ~0ull;
    OK(0x48, 0xf7, 0xe1);                       /* mul rcx */
    CU_ASSERT_EQUAL(RDX, 0xfffffffffffffffeull);
    CU_ASSERT_EQUAL(RAX, 1);
    CU_ASSERT_EQUAL(tm_flags(&t), CF | OF);

    RAX = 0xabcdef00ffffffffull; RCX = 2; RDX = ~0ull;
    OK(0xf7, 0xe1);                             /* mul ecx */
    CU_ASSERT_EQUAL(RDX, 1);
    CU_ASSERT_EQUAL(RAX, 0xfffffffe);

    RAX = 0x1111222233338000ull; RCX = 4; RDX = 0x5555666677778888ull;
    OK(0x66, 0xf7, 0xe1);                       /* mul cx */
    CU_ASSERT_EQUAL(RDX, 0x5555666677770002ull);
    CU_ASSERT_EQUAL(RAX, 0x1111222233330000ull);
}

static void test_imul(void)
{
    fresh(TM_64);
    RAX = (uint64_t)-2; RCX = 3;
    OK(0x48, 0xf7, 0xe9);                       /* imul rcx */
    CU_ASSERT_EQUAL(RDX, ~0ull);
    CU_ASSERT_EQUAL(RAX, (uint64_t)-6);
    CU_ASSERT_EQUAL(tm_flags(&t), 0);

    RAX = 1ull << 62; RCX = 2;
    OK(0x48, 0xf7, 0xe9);
    CU_ASSERT_EQUAL(RDX, 0);
    CU_ASSERT_EQUAL(RAX, 1ull << 63);
    CU_ASSERT_EQUAL(tm_flags(&t), CF | OF);

    RAX = 0x80; RCX = 0xff;                     /* -128 * -1 */
    OK(0xf6, 0xe9);                             /* imul cl */
    CU_ASSERT_EQUAL(RAX, 0x0080);
    CU_ASSERT_EQUAL(tm_flags(&t), CF | OF);

    RAX = 0x123456789ull; RCX = 5;
    OK(0x6b, 0xc1, 0xff);                       /* imul eax, ecx, -1 */
    CU_ASSERT_EQUAL(RAX, 0xfffffffb);
    CU_ASSERT_EQUAL(tm_flags(&t), 0);

    RCX = 2;
    OK(0x48, 0x69, 0xc1, 0x00, 0x00, 0x00, 0x80); /* imul rax, rcx, -2^31 */
    CU_ASSERT_EQUAL(RAX, 0xffffffff00000000ull);
    CU_ASSERT_EQUAL(tm_flags(&t), 0);

    RAX = 0x10000; RCX = 0x10000;
    OK(0x0f, 0xaf, 0xc1);                       /* imul eax, ecx */
    CU_ASSERT_EQUAL(RAX, 0);
    CU_ASSERT_EQUAL(tm_flags(&t), CF | OF);

    RAX = 0xffff; RCX = 0xffff;
    OK(0x66, 0x0f, 0xaf, 0xc1);                 /* imul ax, cx: -1 * -1 */
    CU_ASSERT_EQUAL(RAX, 1);
    CU_ASSERT_EQUAL(tm_flags(&t), 0);
}

static void test_div(void)
{
    fresh(TM_64);
    RAX = 0x100; RCX = 3;
    tm_set_flags(&t, 2 | CF | OF | SF | ZF | PF);
    OK(0xf6, 0xf1);                             /* div cl */
    CU_ASSERT_EQUAL(RAX, 0x0155);
    CU_ASSERT_EQUAL(tm_flags(&t), CF | OF | AF);/* AMD */

    RDX = 1; RAX = 0; RCX = 2;
    OK(0x48, 0xf7, 0xf1);                       /* div rcx: 2^64 / 2 */
    CU_ASSERT_EQUAL(RAX, 1ull << 63);
    CU_ASSERT_EQUAL(RDX, 0);

    RDX = 0x123456789ull; RAX = 0xabcdef0123456789ull;
    RCX = 0xfedcba987654321ull;
    OK(0x48, 0xf7, 0xf1);
    CU_ASSERT_EQUAL(RAX, 0x1249249249ull);
    CU_ASSERT_EQUAL(RDX, 0x24689bded787120ull);

    RDX = 0xfffffffedcba9876ull; RAX = 0x543210fedcba9877ull;
    RCX = 0xfedcba987654321ull;
    OK(0x48, 0xf7, 0xf9);                       /* idiv rcx, negative */
    CU_ASSERT_EQUAL(RAX, 0xffffffedb6db6db7ull);
    CU_ASSERT_EQUAL(RDX, 0xfdb9764212878ee0ull);

    RDX = ~0ull; RAX = 0; RCX = 2;              /* -2^64 / 2 = -2^63 fits */
    OK(0x48, 0xf7, 0xf9);
    CU_ASSERT_EQUAL(RAX, 1ull << 63);
    CU_ASSERT_EQUAL(RDX, 0);

    RDX = 1ull << 62; RAX = 0; RCX = 1ull << 63; /* 2^126 / -2^63 */
    OK(0x48, 0xf7, 0xf9);
    CU_ASSERT_EQUAL(RAX, 1ull << 63);
    CU_ASSERT_EQUAL(RDX, 0);

    RDX = 0xffffffff; RAX = 0xfffffff9; RCX = 2; /* -7 / 2 */
    OK(0xf7, 0xf9);                             /* idiv ecx */
    CU_ASSERT_EQUAL(RAX, 0xfffffffd);
    CU_ASSERT_EQUAL(RDX, 0xffffffff);

    RAX = 0xff80; RCX = 1;                      /* -128 / 1 */
    OK(0xf6, 0xf9);                             /* idiv cl */
    CU_ASSERT_EQUAL(RAX, 0x0080);
    RAX = 0x0080; RCX = 0xff;                   /* 128 / -1 = -128 fits */
    OK(0xf6, 0xf9);
    CU_ASSERT_EQUAL(RAX, 0x0080);

    RBX = TM_DATA;
    tm_store(&t, TM_DATA, 2, 7);
    RAX = 50;
    OK(0xf6, 0x33);                             /* div byte [rbx] */
    CU_ASSERT_EQUAL(RAX, 0x0107);
}

struct de_case {
    const char *what;
    uint8_t insn[3];
    unsigned len;
    uint64_t rax, rdx, rcx;
};

static void test_div_faults(void)
{
    static const struct de_case cases[] = {
        { "div cl by 0", { 0xf6, 0xf1 }, 2, 0x100, 0, 0 },
        { "div cl 256", { 0xf6, 0xf1 }, 2, 0x100, 0, 1 },
        { "div cx 65536", { 0x66, 0xf7, 0xf1 }, 3, 0, 1, 1 },
        { "div ecx high=div", { 0xf7, 0xf1 }, 2, 0, 5, 5 },
        { "div rcx by 0", { 0x48, 0xf7, 0xf1 }, 3, 1, 0, 0 },
        { "div rcx high>div", { 0x48, 0xf7, 0xf1 }, 3, 0, 9, 8 },
        { "idiv cl -128/-1", { 0xf6, 0xf9 }, 2, 0xff80, 0, 0xff },
        { "idiv cl 128/1", { 0xf6, 0xf9 }, 2, 0x0080, 0, 1 },
        { "idiv cl by 0", { 0xf6, 0xf9 }, 2, 5, 0, 0 },
        { "idiv cx min/-1", { 0x66, 0xf7, 0xf9 }, 3, 0x8000, 0xffff, 0xffff },
        { "idiv ecx min/-1", { 0xf7, 0xf9 }, 2, 0x80000000, 0xffffffff,
          0xffffffff },
        { "idiv rcx min/-1", { 0x48, 0xf7, 0xf9 }, 3, 1ull << 63, ~0ull,
          ~0ull },
        { "idiv rcx 2^63/1", { 0x48, 0xf7, 0xf9 }, 3, 1ull << 63, 0, 1 },
        { "idiv rcx 2^126/-(2^63-1)", { 0x48, 0xf7, 0xf9 }, 3, 0,
          0x4000000000000000ull, 0x8000000000000001ull },
    };

    fresh(TM_64);
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        const struct de_case *d = &cases[k];
        RAX = d->rax; RDX = d->rdx; RCX = d->rcx;
        tm_set_flags(&t, 2 | ZF | CF);
        int v = tm_exec(&t, d->insn, d->len);
        if (v != EXC_DE)
            printf("\n  %s: got %d\n", d->what, v);
        assert_fault(v, EXC_DE);
        CU_ASSERT_EQUAL(RAX, d->rax);
        CU_ASSERT_EQUAL(RDX, d->rdx);
        CU_ASSERT_EQUAL(tm_flags(&t), ZF | CF);
    }
    RBX = TM_DATA;
    tm_store(&t, TM_DATA, 8, 0);
    assert_fault(TM_EXEC(&t, 0xf7, 0x33), EXC_DE); /* div dword [rbx] */
}

/* ---- bit instructions ----------------------------------------------------- */

static void test_bt_register(void)
{
    fresh(TM_64);
    RAX = 5; RCX = 33;                          /* bit 33 & 31 = 1 */
    tm_set_flags(&t, 2 | ZF | SF | OF | PF | AF);
    OK(0x0f, 0xa3, 0xc8);                       /* bt eax, ecx */
    CU_ASSERT_EQUAL(tm_flags(&t), ZF | SF | OF | PF | AF);  /* only CF */
    RCX = 34;
    OK(0x0f, 0xa3, 0xc8);
    CU_ASSERT_EQUAL(tm_flags(&t) & CF, CF);

    RCX = 1;
    OK(0x0f, 0xab, 0xc8);                       /* bts eax, ecx */
    CU_ASSERT_EQUAL(RAX, 7);
    CU_ASSERT_EQUAL(tm_flags(&t) & CF, 0);
    RCX = 0;
    OK(0x0f, 0xb3, 0xc8);                       /* btr eax, ecx */
    CU_ASSERT_EQUAL(RAX, 6);
    CU_ASSERT_EQUAL(tm_flags(&t) & CF, CF);
    RCX = 3;
    OK(0x0f, 0xbb, 0xc8);                       /* btc eax, ecx */
    CU_ASSERT_EQUAL(RAX, 0xe);
    RCX = 63;
    OK(0x48, 0x0f, 0xab, 0xc8);                 /* bts rax, rcx */
    CU_ASSERT_EQUAL(RAX, 0x800000000000000eull);
    OK(0x48, 0x0f, 0xba, 0xf0, 0x7f);           /* btr rax, 127 -> 63 */
    CU_ASSERT_EQUAL(RAX, 0xe);
    CU_ASSERT_EQUAL(tm_flags(&t) & CF, CF);

    /* LOCK needs a memory operand. */
    assert_fault(TM_EXEC(&t, 0xf0, 0x0f, 0xab, 0xc8), EXC_UD);
}

/* A register bit offset is signed and reaches outside the operand. */
static void test_bt_memory_offset(void)
{
    const uint64_t base = TM_DATA + 0x100;

    fresh(TM_64);
    RBX = base;
    tm_store(&t, base - 4, 4, 0x80000000);
    RCX = 0xffffffff;                           /* -1: bit 31 of [rbx-4] */
    OK(0x0f, 0xa3, 0x0b);                       /* bt [rbx], ecx */
    CU_ASSERT_EQUAL(tm_flags(&t) & CF, CF);
    tm_store(&t, base - 4, 4, 0x7fffffff);
    OK(0x0f, 0xa3, 0x0b);
    CU_ASSERT_EQUAL(tm_flags(&t) & CF, 0);

    RCX = (uint32_t)-33;                        /* bit 31 of [rbx-8] */
    OK(0x0f, 0xab, 0x0b);                       /* bts [rbx], ecx */
    CU_ASSERT_EQUAL(tm_load(&t, base - 8, 4), 0x80000000);

    RCX = 100;                                  /* bit 36 of [rbx+8] */
    OK(0x48, 0x0f, 0xab, 0x0b);                 /* bts [rbx], rcx */
    CU_ASSERT_EQUAL(tm_load(&t, base + 8, 8), 1ull << 36);

    tm_store(&t, base - 2, 2, 0xffff);
    RCX = 0xffff;                               /* -1: bit 15 of [rbx-2] */
    OK(0x66, 0x0f, 0xb3, 0x0b);                 /* btr [rbx], cx */
    CU_ASSERT_EQUAL(tm_load(&t, base - 2, 2), 0x7fff);
    CU_ASSERT_EQUAL(tm_flags(&t) & CF, CF);

    tm_store(&t, base, 4, 0);
    OK(0x0f, 0xba, 0x2b, 0x21);                 /* bts dword [rbx], 33 */
    CU_ASSERT_EQUAL(tm_load(&t, base, 4), 2);   /* imm: no displacement */
    CU_ASSERT_EQUAL(tm_load(&t, base + 4, 4), 0);

    /* Far below the operand, into a page that is not there. */
    tm_unmap(&t, TM_DATA - 0x1000);
    RCX = (uint64_t)-(int64_t)(0x200 * 8);     /* 0x200 bytes down */
    assert_fault(TM_EXEC(&t, 0x48, 0x0f, 0xa3, 0x0b), EXC_PF);
    CU_ASSERT_EQUAL(t.ev.cr2, base - 0x200);
}

static void test_bsf_bsr(void)
{
    fresh(TM_64);
    RAX = 0xffffffff12345678ull; RCX = 0;
    tm_set_flags(&t, 2 | CF | OF | SF);
    OK(0x0f, 0xbc, 0xc1);                       /* bsf eax, ecx */
    CU_ASSERT_EQUAL(RAX, 0xffffffff12345678ull);/* untouched, all of it */
    CU_ASSERT_EQUAL(tm_flags(&t), ZF | CF | OF | SF);
    OK(0x0f, 0xbd, 0xc1);                       /* bsr eax, ecx */
    CU_ASSERT_EQUAL(RAX, 0xffffffff12345678ull);

    RCX = 0x100;
    OK(0x0f, 0xbc, 0xc1);
    CU_ASSERT_EQUAL(RAX, 8);
    CU_ASSERT_EQUAL(tm_flags(&t), CF | OF | SF);
    RCX = 0x80000001;
    OK(0x0f, 0xbd, 0xc1);
    CU_ASSERT_EQUAL(RAX, 31);
    RCX = 1ull << 40;
    OK(0x48, 0x0f, 0xbd, 0xc1);                 /* bsr rax, rcx */
    CU_ASSERT_EQUAL(RAX, 40);
    RCX = 0x8000;
    OK(0x66, 0x0f, 0xbc, 0xc1);                 /* bsf ax, cx */
    CU_ASSERT_EQUAL(RAX, 15);

    /* No BMI1: F3 0F BC is BSF, not TZCNT. */
    RAX = 0x77; RCX = 0;
    tm_set_flags(&t, 2);
    OK(0xf3, 0x0f, 0xbc, 0xc1);
    CU_ASSERT_EQUAL(RAX, 0x77);
    CU_ASSERT_EQUAL(tm_flags(&t), ZF);
    RCX = 8;
    OK(0xf3, 0x0f, 0xbc, 0xc1);
    CU_ASSERT_EQUAL(RAX, 3);
}

static void test_lzcnt_popcnt(void)
{
    fresh(TM_64);
    RCX = 0;
    tm_set_flags(&t, 2 | OF | SF | PF | AF);
    OK(0xf3, 0x0f, 0xbd, 0xc1);                 /* lzcnt eax, ecx */
    CU_ASSERT_EQUAL(RAX, 32);
    CU_ASSERT_EQUAL(tm_flags(&t), CF | OF);     /* AMD keeps OF */
    RCX = 1;
    OK(0xf3, 0x0f, 0xbd, 0xc1);
    CU_ASSERT_EQUAL(RAX, 31);
    RCX = 0x80000000;
    OK(0xf3, 0x0f, 0xbd, 0xc1);
    CU_ASSERT_EQUAL(RAX, 0);
    CU_ASSERT_EQUAL(tm_flags(&t) & (ZF | CF), ZF);
    RCX = 1;
    OK(0xf3, 0x48, 0x0f, 0xbd, 0xc1);           /* lzcnt rax, rcx */
    CU_ASSERT_EQUAL(RAX, 63);
    RCX = 0;
    OK(0x66, 0xf3, 0x0f, 0xbd, 0xc1);           /* lzcnt ax, cx */
    CU_ASSERT_EQUAL(RAX, 16);

    RCX = 0xff00ff;
    tm_set_flags(&t, 2 | ALL);
    OK(0xf3, 0x0f, 0xb8, 0xc1);                 /* popcnt eax, ecx */
    CU_ASSERT_EQUAL(RAX, 16);
    CU_ASSERT_EQUAL(tm_flags(&t), 0);
    RCX = 0;
    OK(0xf3, 0x0f, 0xb8, 0xc1);
    CU_ASSERT_EQUAL(RAX, 0);
    CU_ASSERT_EQUAL(tm_flags(&t), ZF);
    RCX = ~0ull;
    OK(0xf3, 0x48, 0x0f, 0xb8, 0xc1);
    CU_ASSERT_EQUAL(RAX, 64);

    assert_fault(TM_EXEC(&t, 0x0f, 0xb8, 0xc1), EXC_UD);  /* no F3 */
}

static void test_bswap(void)
{
    fresh(TM_64);
    RAX = 0xdeadbeef11223344ull;
    OK(0x0f, 0xc8);                             /* bswap eax */
    CU_ASSERT_EQUAL(RAX, 0x44332211);
    RAX = 0x0102030405060708ull;
    OK(0x48, 0x0f, 0xc8);                       /* bswap rax */
    CU_ASSERT_EQUAL(RAX, 0x0807060504030201ull);
    t.cpu.r[R_R8] = 0xaabbccdd;
    OK(0x41, 0x0f, 0xc8);                       /* bswap r8d */
    CU_ASSERT_EQUAL(t.cpu.r[R_R8], 0xddccbbaa);
    t.cpu.r[R_DI] = 0x12345678;
    OK(0x0f, 0xcf);                             /* bswap edi */
    CU_ASSERT_EQUAL(t.cpu.r[R_DI], 0x78563412);
    RAX = 0xaaaa555511223344ull;
    OK(0x66, 0x0f, 0xc8);                       /* bswap ax: AMD zeroes */
    CU_ASSERT_EQUAL(RAX, 0xaaaa555511220000ull);
}

/* ---- decimal adjust (32-bit mode) -------------------------------------- */

static void test_daa_das(void)
{
    fresh(TM_32);
    RAX = 0x1a;
    tm_set_flags(&t, 2 | CF);
    OK(0x27);                                   /* daa */
    CU_ASSERT_EQUAL(RAX, 0x80);
    CU_ASSERT_EQUAL(tm_flags(&t), OF | SF | AF | CF);

    RAX = 0xae;                                 /* 0x79 + 0x35 */
    tm_set_flags(&t, 2);
    OK(0x27);
    CU_ASSERT_EQUAL(RAX, 0x14);                 /* 79 + 35 = 114 */
    CU_ASSERT_EQUAL(tm_flags(&t) & (CF | AF), CF | AF);

    RAX = 0x1200;
    tm_set_flags(&t, 2 | AF);
    OK(0x2f);                                   /* das */
    CU_ASSERT_EQUAL(RAX, 0x12fa);
    CU_ASSERT_EQUAL(tm_flags(&t), SF | AF | PF | CF);  /* borrow of AL-6 */

    RAX = 0x47;
    tm_set_flags(&t, 2);
    OK(0x2f);
    CU_ASSERT_EQUAL(RAX, 0x47);
    CU_ASSERT_EQUAL(tm_flags(&t), PF);
}

static void test_aaa_aas(void)
{
    fresh(TM_32);
    RAX = 0x7f00;
    tm_set_flags(&t, 2 | AF);
    OK(0x37);                                   /* aaa */
    CU_ASSERT_EQUAL(RAX, 0x8006);
    CU_ASSERT_EQUAL(tm_flags(&t), OF | SF | AF | PF | CF);  /* AX + 0x106 */

    RAX = 0x000b;
    tm_set_flags(&t, 2);
    OK(0x37);
    CU_ASSERT_EQUAL(RAX, 0x0101);
    CU_ASSERT_EQUAL(tm_flags(&t) & (CF | AF), CF | AF);

    RAX = 0x0100;
    tm_set_flags(&t, 2 | AF);
    OK(0x3f);                                   /* aas */
    CU_ASSERT_EQUAL(RAX, 0xff0a);
    CU_ASSERT_EQUAL(tm_flags(&t) & (CF | AF), CF | AF);

    RAX = 0x0235;
    tm_set_flags(&t, 2 | CF);
    OK(0x3f);
    CU_ASSERT_EQUAL(RAX, 0x0205);
    CU_ASSERT_EQUAL(tm_flags(&t) & (CF | AF), 0);
}

static void test_aam_aad(void)
{
    fresh(TM_32);
    RAX = 79;
    OK(0xd4, 0x0a);                             /* aam */
    CU_ASSERT_EQUAL(RAX, 0x0709);
    CU_ASSERT_EQUAL(tm_flags(&t), PF);
    RAX = 0x5a;
    OK(0xd4, 0x10);                             /* aam 16 */
    CU_ASSERT_EQUAL(RAX, 0x050a);

    RAX = 0x1234;
    tm_set_flags(&t, 2 | CF);
    assert_fault(TM_EXEC(&t, 0xd4, 0x00), EXC_DE);
    CU_ASSERT_EQUAL(RAX, 0x1234);
    CU_ASSERT_EQUAL(tm_flags(&t), CF);

    RAX = 0x0709;
    OK(0xd5, 0x0a);                             /* aad */
    CU_ASSERT_EQUAL(RAX, 0x004f);
    RAX = 0x7f80;
    OK(0xd5, 0x0a);                             /* 0x80 + 0xf6: ADD flags */
    CU_ASSERT_EQUAL(RAX, 0x0076);
    CU_ASSERT_EQUAL(tm_flags(&t), OF | CF);

    fresh(TM_64);
    assert_fault(TM_EXEC(&t, 0x27), EXC_UD);
    assert_fault(TM_EXEC(&t, 0xd4, 0x0a), EXC_UD);
    assert_fault(TM_EXEC(&t, 0x37), EXC_UD);
}

UNIT_SUITE(cpu_int)
{
    CU_pSuite s = CU_add_suite("cpu_int", NULL, cleanup);
    UNIT_TEST(s, test_shift_count_masking);
    UNIT_TEST(s, test_shift_count_zero);
    UNIT_TEST(s, test_shift_by_one);
    UNIT_TEST(s, test_shift_undefined_flags);
    UNIT_TEST(s, test_rcl_rcr);
    UNIT_TEST(s, test_shld_shrd);
    UNIT_TEST(s, test_shift_memory_faults);
    UNIT_TEST(s, test_mul);
    UNIT_TEST(s, test_imul);
    UNIT_TEST(s, test_div);
    UNIT_TEST(s, test_div_faults);
    UNIT_TEST(s, test_bt_register);
    UNIT_TEST(s, test_bt_memory_offset);
    UNIT_TEST(s, test_bsf_bsr);
    UNIT_TEST(s, test_lzcnt_popcnt);
    UNIT_TEST(s, test_bswap);
    UNIT_TEST(s, test_daa_das);
    UNIT_TEST(s, test_aaa_aas);
    UNIT_TEST(s, test_aam_aad);
}
