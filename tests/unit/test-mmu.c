/*
 * mmu/ physical memory: RAM, MMIO dispatch (including accesses that straddle
 * the RAM/MMIO edge), port-I/O defaults and code-page tracking.
 */
#include <string.h>

#include "mmu/mmu.h"
#include "xenemu/le.h"
#include "unit.h"

#define RAM_SIZE (64u * 1024)   /* MMIO goes right after it */

static struct mem m;

static void fresh_mem(void)
{
    mem_destroy(&m);
    CU_ASSERT_FATAL(mem_init(&m, RAM_SIZE) == 0);
}

static int cleanup(void)
{
    mem_destroy(&m);
    return 0;
}

/* ---- a recording MMIO device ------------------------------------------- */

struct mmio_log {
    unsigned reads, writes;
    uint64_t addr[16];
    unsigned size[16];
    uint64_t val[16];
    unsigned n;
    uint8_t regs[64];   /* byte-addressed device registers */
};

static void log_access(struct mmio_log *d, uint64_t addr, unsigned size,
                       uint64_t val)
{
    if (d->n < 16) {
        d->addr[d->n] = addr;
        d->size[d->n] = size;
        d->val[d->n] = val;
    }
    d->n++;
}

static uint64_t dev_read(void *opaque, uint64_t addr, unsigned size)
{
    struct mmio_log *d = opaque;
    d->reads++;
    log_access(d, addr, size, 0);
    /* Deliberately returns garbage above size: the caller must mask. */
    return le_load(d->regs + addr, size) | 0xdead000000000000ull * (size < 8);
}

static void dev_write(void *opaque, uint64_t addr, unsigned size, uint64_t val)
{
    struct mmio_log *d = opaque;
    d->writes++;
    log_access(d, addr, size, val);
    le_store(d->regs + addr, size, val);
}

/* ---- RAM ----------------------------------------------------------------- */

static void test_mem_init(void)
{
    struct mem x;
    CU_ASSERT_EQUAL(mem_init(&x, 0), -1);
    CU_ASSERT_EQUAL(mem_init(&x, PAGE_SIZE + 1), -1);
    CU_ASSERT_EQUAL(mem_init(&x, 100), -1);

    CU_ASSERT_FATAL(mem_init(&x, 3 * PAGE_SIZE) == 0);
    CU_ASSERT_EQUAL(x.ram_size, 3 * PAGE_SIZE);
    CU_ASSERT_EQUAL(x.nr_frames, 3);
    CU_ASSERT_EQUAL((uintptr_t)x.ram % PAGE_SIZE, 0);
    unsigned nonzero = 0;
    for (unsigned i = 0; i < 3 * PAGE_SIZE; i++)
        nonzero += x.ram[i] != 0;
    for (unsigned i = 0; i < 3; i++)
        nonzero += x.frame_flags[i] != 0;
    CU_ASSERT_EQUAL(nonzero, 0);
    CU_ASSERT_EQUAL(x.nr_mmio, 0);
    CU_ASSERT_EQUAL(x.nr_tlbs, 0);
    CU_ASSERT_PTR_EQUAL(mem_ram_ptr(&x, 0x1234), x.ram + 0x1234);
    CU_ASSERT_PTR_NULL(mem_ram_ptr(&x, 3 * PAGE_SIZE));
    mem_destroy(&x);
}

static void test_phys_little_endian(void)
{
    fresh_mem();
    phys_store(&m, 0x100, 8, 0x8877665544332211ull);
    static const uint8_t want[8] = { 0x11, 0x22, 0x33, 0x44,
                                     0x55, 0x66, 0x77, 0x88 };
    CU_ASSERT_EQUAL(memcmp(m.ram + 0x100, want, 8), 0);
    CU_ASSERT_EQUAL(phys_load(&m, 0x100, 1), 0x11);
    CU_ASSERT_EQUAL(phys_load(&m, 0x101, 2), 0x3322);
    CU_ASSERT_EQUAL(phys_load(&m, 0x103, 4), 0x77665544u);
    CU_ASSERT_EQUAL(phys_load(&m, 0x100, 8), 0x8877665544332211ull);

    /* Narrow stores touch only their bytes. */
    phys_store(&m, 0x102, 2, 0xbbaa);
    CU_ASSERT_EQUAL(phys_load(&m, 0x100, 8), 0x88776655bbaa2211ull);
    phys_store(&m, 0x104, 1, 0x1ff);   /* value wider than the access */
    CU_ASSERT_EQUAL(phys_load(&m, 0x100, 8), 0x887766ffbbaa2211ull);

    /* A page-straddling access in RAM is an ordinary access. */
    phys_store(&m, 0x1ffd, 8, 0x0102030405060708ull);
    CU_ASSERT_EQUAL(m.ram[0x1ffd], 0x08);
    CU_ASSERT_EQUAL(m.ram[0x2004], 0x01);
    CU_ASSERT_EQUAL(phys_load(&m, 0x1ffd, 8), 0x0102030405060708ull);
}

static void test_phys_nothing_there(void)
{
    fresh_mem();
    CU_ASSERT_EQUAL(phys_load(&m, RAM_SIZE, 1), 0xff);
    CU_ASSERT_EQUAL(phys_load(&m, RAM_SIZE + 0x10, 2), 0xffff);
    CU_ASSERT_EQUAL(phys_load(&m, 0x123456789ull, 4), 0xffffffffu);
    CU_ASSERT_EQUAL(phys_load(&m, ~(uint64_t)0 - 7, 8), ~(uint64_t)0);
    phys_store(&m, RAM_SIZE, 8, 0);   /* dropped */
    CU_ASSERT_EQUAL(phys_load(&m, RAM_SIZE, 8), ~(uint64_t)0);

    /* Straddling the end of RAM: the RAM half is real, the rest all-ones. */
    phys_store(&m, RAM_SIZE - 2, 2, 0xbeef);
    CU_ASSERT_EQUAL(phys_load(&m, RAM_SIZE - 2, 4), 0xffffbeefu);
    phys_store(&m, RAM_SIZE - 1, 2, 0x1234);
    CU_ASSERT_EQUAL(m.ram[RAM_SIZE - 1], 0x34);
    CU_ASSERT_EQUAL(m.ram[RAM_SIZE - 2], 0xef);
}

static void test_phys_read_write(void)
{
    fresh_mem();
    uint8_t buf[32], out[32];
    for (unsigned i = 0; i < sizeof(buf); i++)
        buf[i] = (uint8_t)(i * 7 + 1);

    CU_ASSERT_EQUAL(phys_write(&m, PAGE_SIZE - 16, buf, sizeof(buf)), 0);
    CU_ASSERT_EQUAL(memcmp(m.ram + PAGE_SIZE - 16, buf, sizeof(buf)), 0);
    CU_ASSERT_EQUAL(phys_read(&m, PAGE_SIZE - 16, out, sizeof(out)), 0);
    CU_ASSERT_EQUAL(memcmp(out, buf, sizeof(buf)), 0);
    CU_ASSERT_EQUAL(phys_write(&m, RAM_SIZE - 32, buf, 32), 0);
    CU_ASSERT_EQUAL(phys_write(&m, RAM_SIZE, buf, 0), 0);

    /* Any part outside RAM: nothing written, reads give all-ones. */
    memset(m.ram + RAM_SIZE - 16, 0, 16);
    CU_ASSERT_EQUAL(phys_write(&m, RAM_SIZE - 16, buf, sizeof(buf)), -1);
    unsigned touched = 0;
    for (unsigned i = 0; i < 16; i++)
        touched += m.ram[RAM_SIZE - 16 + i] != 0;
    CU_ASSERT_EQUAL(touched, 0);
    CU_ASSERT_EQUAL(phys_read(&m, RAM_SIZE - 16, out, sizeof(out)), -1);
    CU_ASSERT_EQUAL(out[0], 0xff);
    CU_ASSERT_EQUAL(out[31], 0xff);
    CU_ASSERT_EQUAL(phys_read(&m, ~(uint64_t)0 - 4, out, 8), -1);
    CU_ASSERT_EQUAL(phys_write(&m, ~(uint64_t)0 - 4, buf, 8), -1);
}

/* ---- MMIO ---------------------------------------------------------------- */

static void test_mmio_registration(void)
{
    struct mmio_log d = { 0 };
    fresh_mem();
    CU_ASSERT_EQUAL(mem_add_mmio(&m, RAM_SIZE - PAGE_SIZE, PAGE_SIZE,
                                 dev_read, dev_write, &d), -1);  /* on RAM */
    CU_ASSERT_EQUAL(mem_add_mmio(&m, RAM_SIZE, 0, dev_read, dev_write, &d), -1);
    CU_ASSERT_EQUAL(mem_add_mmio(&m, ~(uint64_t)0 - 10, 100,
                                 dev_read, dev_write, &d), -1);  /* wraps */
    CU_ASSERT_EQUAL(mem_add_mmio(&m, 0x100000, 0x1000,
                                 dev_read, dev_write, &d), 0);
    CU_ASSERT_EQUAL(mem_add_mmio(&m, 0x100ff0, 0x20,
                                 dev_read, dev_write, &d), -1);  /* overlap */
    CU_ASSERT_EQUAL(mem_add_mmio(&m, 0xff000, 0x1001,
                                 dev_read, dev_write, &d), -1);  /* overlap */
    CU_ASSERT_EQUAL(mem_add_mmio(&m, 0xff000, 0x1000,
                                 dev_read, dev_write, &d), 0);   /* adjacent */
    while (m.nr_mmio < MEM_MAX_MMIO)
        CU_ASSERT_FATAL(mem_add_mmio(&m, 0x200000 + m.nr_mmio * 0x1000ull,
                                     0x1000, dev_read, dev_write, &d) == 0);
    CU_ASSERT_EQUAL(mem_add_mmio(&m, 0x900000, 0x1000,
                                 dev_read, dev_write, &d), -1);  /* full */
    CU_ASSERT_EQUAL(d.reads + d.writes, 0);
}

static void test_mmio_dispatch(void)
{
    struct mmio_log a = { 0 }, b = { 0 };
    fresh_mem();
    CU_ASSERT_FATAL(mem_add_mmio(&m, 0x100000, 0x40, dev_read, dev_write, &a) == 0);
    CU_ASSERT_FATAL(mem_add_mmio(&m, 0x200000, 0x40, dev_read, dev_write, &b) == 0);

    phys_store(&m, 0x100010, 4, 0x11223344);
    CU_ASSERT_EQUAL(a.writes, 1);
    CU_ASSERT_EQUAL(a.addr[0], 0x10);       /* offset within the region */
    CU_ASSERT_EQUAL(a.size[0], 4);
    CU_ASSERT_EQUAL(a.val[0], 0x11223344);
    CU_ASSERT_EQUAL(b.writes, 0);

    phys_store(&m, 0x200008, 2, 0xabcdef);  /* masked to the access size */
    CU_ASSERT_EQUAL(b.writes, 1);
    CU_ASSERT_EQUAL(b.addr[0], 8);
    CU_ASSERT_EQUAL(b.val[0], 0xcdef);

    CU_ASSERT_EQUAL(phys_load(&m, 0x100010, 4), 0x11223344);
    CU_ASSERT_EQUAL(phys_load(&m, 0x100012, 2), 0x1122);  /* masked */
    CU_ASSERT_EQUAL(a.reads, 2);
    CU_ASSERT_EQUAL(a.addr[2], 0x12);
    CU_ASSERT_EQUAL(a.size[2], 2);
    phys_store(&m, 0x100020, 8, 0x0807060504030201ull);
    CU_ASSERT_EQUAL(phys_load(&m, 0x100020, 8), 0x0807060504030201ull);

    /* The byte after the region is nothing. */
    CU_ASSERT_EQUAL(phys_load(&m, 0x100040, 1), 0xff);

    /* A region without callbacks reads all-ones and ignores writes. */
    CU_ASSERT_FATAL(mem_add_mmio(&m, 0x300000, 0x1000, NULL, NULL, NULL) == 0);
    phys_store(&m, 0x300000, 4, 0);
    CU_ASSERT_EQUAL(phys_load(&m, 0x300000, 4), 0xffffffffu);
}

/* Accesses across the RAM/MMIO edge and the end of a region go byte-wise. */
static void test_mmio_straddle(void)
{
    struct mmio_log d = { 0 };
    fresh_mem();
    CU_ASSERT_FATAL(mem_add_mmio(&m, RAM_SIZE, 0x10, dev_read, dev_write, &d) == 0);
    d.regs[0] = 0xaa;
    d.regs[1] = 0xbb;
    m.ram[RAM_SIZE - 2] = 0x11;
    m.ram[RAM_SIZE - 1] = 0x22;

    CU_ASSERT_EQUAL(phys_load(&m, RAM_SIZE - 2, 4), 0xbbaa2211u);
    CU_ASSERT_EQUAL(d.reads, 2);
    CU_ASSERT_EQUAL(d.addr[0], 0);
    CU_ASSERT_EQUAL(d.size[0], 1);
    CU_ASSERT_EQUAL(d.addr[1], 1);
    CU_ASSERT_EQUAL(d.size[1], 1);

    d.n = 0;
    phys_store(&m, RAM_SIZE - 1, 4, 0x44332211u);
    CU_ASSERT_EQUAL(m.ram[RAM_SIZE - 1], 0x11);
    CU_ASSERT_EQUAL(d.writes, 3);
    CU_ASSERT_EQUAL(d.regs[0], 0x22);
    CU_ASSERT_EQUAL(d.regs[1], 0x33);
    CU_ASSERT_EQUAL(d.regs[2], 0x44);
    CU_ASSERT_EQUAL(d.size[2], 1);
    CU_ASSERT_EQUAL(d.addr[2], 2);

    /* Off the end of the region: the last bytes are nothing. */
    d.regs[15] = 0x5a;
    CU_ASSERT_EQUAL(phys_load(&m, RAM_SIZE + 15, 2), 0xff5a);
    /* A page-straddling access wholly inside a region is one access. */
    struct mmio_log e = { 0 };
    CU_ASSERT_FATAL(mem_add_mmio(&m, 0x100000 - 32, 64, dev_read, dev_write, &e) == 0);
    phys_store(&m, 0x100000 - 2, 4, 0xcafef00d);
    CU_ASSERT_EQUAL(e.writes, 1);
    CU_ASSERT_EQUAL(e.addr[0], 30);
    CU_ASSERT_EQUAL(e.size[0], 4);
}

/* ---- port I/O ------------------------------------------------------------ */

struct pio_log {
    uint16_t port;
    unsigned size;
    uint32_t val;
    unsigned ins, outs;
};

static uint32_t pio_read(void *opaque, uint16_t port, unsigned size)
{
    struct pio_log *p = opaque;
    p->ins++;
    p->port = port;
    p->size = size;
    return 0x12345678u;
}

static void pio_write(void *opaque, uint16_t port, unsigned size, uint32_t val)
{
    struct pio_log *p = opaque;
    p->outs++;
    p->port = port;
    p->size = size;
    p->val = val;
}

static void test_pio(void)
{
    fresh_mem();
    CU_ASSERT_EQUAL(pio_in(&m, 0x80, 1), 0xff);
    CU_ASSERT_EQUAL(pio_in(&m, 0x3f8, 2), 0xffff);
    CU_ASSERT_EQUAL(pio_in(&m, 0xcfc, 4), 0xffffffffu);
    pio_out(&m, 0x80, 1, 0x55);   /* dropped, must not crash */

    struct pio_log p = { 0 };
    m.pio_read = pio_read;
    m.pio_write = pio_write;
    m.pio_opaque = &p;
    CU_ASSERT_EQUAL(pio_in(&m, 0x3f8, 1), 0x78);
    CU_ASSERT_EQUAL(p.port, 0x3f8);
    CU_ASSERT_EQUAL(p.size, 1);
    CU_ASSERT_EQUAL(pio_in(&m, 0x3fa, 2), 0x5678);
    CU_ASSERT_EQUAL(pio_in(&m, 0xcfc, 4), 0x12345678u);
    CU_ASSERT_EQUAL(p.ins, 3);
    pio_out(&m, 0x402, 2, 0xabcd1234u);
    CU_ASSERT_EQUAL(p.outs, 1);
    CU_ASSERT_EQUAL(p.port, 0x402);
    CU_ASSERT_EQUAL(p.size, 2);
    CU_ASSERT_EQUAL(p.val, 0x1234);
}

/* ---- code-page tracking ------------------------------------------------- */

struct code_log {
    uint64_t pfn[8];
    unsigned n;
};

static void code_written(void *opaque, uint64_t pfn)
{
    struct code_log *c = opaque;
    if (c->n < 8)
        c->pfn[c->n] = pfn;
    c->n++;
}

static void test_code_tracking(void)
{
    struct code_log c = { { 0 }, 0 };
    fresh_mem();
    m.code_write = code_written;
    m.code_write_opaque = &c;

    mem_mark_code(&m, 3);
    CU_ASSERT_EQUAL(m.frame_flags[3], FRAME_CODE);
    mem_mark_code(&m, RAM_SIZE / PAGE_SIZE);   /* out of range: ignored */

    phys_store(&m, 2 * PAGE_SIZE, 4, 1);       /* other frame */
    CU_ASSERT_EQUAL(c.n, 0);
    phys_store(&m, 3 * PAGE_SIZE + 8, 2, 0x9090);
    CU_ASSERT_EQUAL(c.n, 1);
    CU_ASSERT_EQUAL(c.pfn[0], 3);
    CU_ASSERT_EQUAL(m.frame_flags[3] & FRAME_CODE, 0);
    CU_ASSERT_EQUAL(phys_load(&m, 3 * PAGE_SIZE + 8, 2), 0x9090);  /* stored */
    phys_store(&m, 3 * PAGE_SIZE + 8, 2, 0);   /* no longer code */
    CU_ASSERT_EQUAL(c.n, 1);

    /* A store straddling two code frames reports both. */
    mem_mark_code(&m, 4);
    mem_mark_code(&m, 5);
    phys_store(&m, 5 * PAGE_SIZE - 2, 4, 0xffffffff);
    CU_ASSERT_EQUAL(c.n, 3);
    CU_ASSERT_EQUAL(c.pfn[1], 4);
    CU_ASSERT_EQUAL(c.pfn[2], 5);

    /* phys_write over three frames, the middle one code. */
    uint8_t buf[2 * PAGE_SIZE + 2];
    memset(buf, 0xcc, sizeof(buf));
    mem_mark_code(&m, 8);
    CU_ASSERT_EQUAL(phys_write(&m, 8 * PAGE_SIZE - 1, buf, sizeof(buf)), 0);
    CU_ASSERT_EQUAL(c.n, 4);
    CU_ASSERT_EQUAL(c.pfn[3], 8);
    /* Reads never report. */
    mem_mark_code(&m, 9);
    CU_ASSERT_EQUAL(phys_read(&m, 9 * PAGE_SIZE, buf, 16), 0);
    CU_ASSERT_EQUAL(phys_load(&m, 9 * PAGE_SIZE, 8), 0xcccccccccccccccc);
    CU_ASSERT_EQUAL(c.n, 4);
    CU_ASSERT_EQUAL(m.frame_flags[9], FRAME_CODE);
    /* Byte-wise stores straddling the end of RAM honour tracking too. */
    mem_mark_code(&m, RAM_SIZE / PAGE_SIZE - 1);
    phys_store(&m, RAM_SIZE - 1, 2, 0);
    CU_ASSERT_EQUAL(c.n, 5);
    CU_ASSERT_EQUAL(c.pfn[4], RAM_SIZE / PAGE_SIZE - 1);

    /* mem_code_written by hand: clears the flag, calls back. */
    mem_code_written(&m, 9);
    CU_ASSERT_EQUAL(c.n, 6);
    CU_ASSERT_EQUAL(c.pfn[5], 9);
    CU_ASSERT_EQUAL(m.frame_flags[9], 0);
}

static void test_tlb_registration(void)
{
    static struct tlb t1, t2;
    fresh_mem();
    mem_register_tlb(&m, &t1);
    mem_register_tlb(&m, &t2);
    mem_register_tlb(&m, &t1);
    CU_ASSERT_EQUAL(m.nr_tlbs, 2);
    mem_unregister_tlb(&m, &t1);
    CU_ASSERT_EQUAL(m.nr_tlbs, 1);
    CU_ASSERT_PTR_EQUAL(m.tlbs[0], &t2);
    mem_unregister_tlb(&m, &t1);
    CU_ASSERT_EQUAL(m.nr_tlbs, 1);
}

/* mem_mark_code drops fast writes to the frame from every registered TLB. */
static void test_mark_code_drops_write_tags(void)
{
    static struct tlb t1, t2, other;
    fresh_mem();
    tlb_flush_all(&t1);
    tlb_flush_all(&t2);
    tlb_flush_all(&other);
    mem_register_tlb(&m, &t1);
    mem_register_tlb(&m, &t2);

    struct walk_result r = {
        .pa = 5 * PAGE_SIZE, .page_size = PAGE_SIZE, .readable = true,
        .writable = true, .executable = true, .dirty = true, .user = true,
    };
    const uint64_t va = 0x40005000, va2 = 0x40006000;
    struct walk_result r2 = r;
    r2.pa = 6 * PAGE_SIZE;
    tlb_fill(&t1, &m, va, 0, &r);
    tlb_fill(&t1, &m, va, ACC_USER, &r);
    tlb_fill(&t1, &m, va2, 0, &r2);
    tlb_fill(&t2, &m, va, 0, &r);
    tlb_fill(&other, &m, va, 0, &r);
    CU_ASSERT_EQUAL(tlb_entry_for(&t1, 0, va)->tag_write, va);

    mem_mark_code(&m, 5);
    CU_ASSERT_EQUAL(tlb_entry_for(&t1, 0, va)->tag_write, TLB_INVALID);
    CU_ASSERT_EQUAL(tlb_entry_for(&t1, 1, va)->tag_write, TLB_INVALID);
    CU_ASSERT_EQUAL(tlb_entry_for(&t2, 0, va)->tag_write, TLB_INVALID);
    CU_ASSERT_EQUAL(tlb_entry_for(&t1, 0, va)->tag_read, va);
    CU_ASSERT_EQUAL(tlb_entry_for(&t1, 0, va)->tag_exec, va);
    CU_ASSERT_EQUAL(tlb_entry_for(&t1, 0, va2)->tag_write, va2);
    CU_ASSERT_EQUAL(tlb_entry_for(&other, 0, va)->tag_write, va);

    /* While the frame is code, no fill hands out a write tag. */
    tlb_fill(&t1, &m, va, ACC_WRITE, &r);
    CU_ASSERT_EQUAL(tlb_entry_for(&t1, 0, va)->tag_write, TLB_INVALID);
    /* Once written (slow path), it may be fast again. */
    phys_store(&m, 5 * PAGE_SIZE, 1, 0);
    tlb_fill(&t1, &m, va, ACC_WRITE, &r);
    CU_ASSERT_EQUAL(tlb_entry_for(&t1, 0, va)->tag_write, va);
}

UNIT_SUITE(mmu)
{
    CU_pSuite s = CU_add_suite("mmu", NULL, cleanup);
    UNIT_TEST(s, test_mem_init);
    UNIT_TEST(s, test_phys_little_endian);
    UNIT_TEST(s, test_phys_nothing_there);
    UNIT_TEST(s, test_phys_read_write);
    UNIT_TEST(s, test_mmio_registration);
    UNIT_TEST(s, test_mmio_dispatch);
    UNIT_TEST(s, test_mmio_straddle);
    UNIT_TEST(s, test_pio);
    UNIT_TEST(s, test_code_tracking);
    UNIT_TEST(s, test_tlb_registration);
    UNIT_TEST(s, test_mark_code_drops_write_tags);
}
