/* The system-architecture test machine (cpu-harness.h). */
#include <string.h>

#include "cpu/cpu.h"
#include "xenemu/le.h"
#include "cpu-harness.h"

uint64_t h_load(struct harness *h, uint64_t pa, unsigned size)
{
    return le_load(h->mem.ram + pa, size);
}

void h_store(struct harness *h, uint64_t pa, unsigned size, uint64_t v)
{
    le_store(h->mem.ram + pa, size, v);
}

void h_code(struct harness *h, uint64_t pa, const uint8_t *bytes, size_t n)
{
    memcpy(h->mem.ram + pa, bytes, n);
    cpu_flush_code(&h->cpu);
}

uint64_t h_desc(uint32_t base, uint32_t limit, unsigned access,
                unsigned flags)
{
    uint64_t d = limit & 0xffff;
    d |= (uint64_t)(base & 0xffffff) << 16;
    d |= (uint64_t)(access & 0xff) << 40;
    d |= (uint64_t)((limit >> 16) & 0xf) << 48;
    d |= (uint64_t)(flags & 0xf) << 52;
    d |= (uint64_t)(base >> 24) << 56;
    return d;
}

void h_gdt_set(struct harness *h, unsigned sel, uint64_t desc)
{
    h_store(h, H_GDT + (sel & ~7u), 8, desc);
}

void h_gate(struct harness *h, unsigned vec, unsigned sel, uint64_t off,
            unsigned type, unsigned dpl, unsigned ist)
{
    bool wide = h->mode == H_LONG64;
    uint64_t g = H_IDT + vec * (wide ? 16u : 8u);
    uint64_t lo = (off & 0xffff) | (uint64_t)sel << 16 |
                  (uint64_t)(ist & 7) << 32 |
                  (uint64_t)(0x80 | (dpl & 3) << 5 | (type & 0xf)) << 40 |
                  ((off >> 16) & 0xffff) << 48;
    h_store(h, g, 8, lo);
    if (wide)
        h_store(h, g + 8, 8, off >> 32);
}

void h_call_gate(struct harness *h, unsigned sel, unsigned target,
                 uint64_t off, unsigned type, unsigned dpl, unsigned params)
{
    uint64_t lo = (off & 0xffff) | (uint64_t)target << 16 |
                  (uint64_t)(params & 0x1f) << 32 |
                  (uint64_t)(0x80 | (dpl & 3) << 5 | (type & 0xf)) << 40 |
                  ((off >> 16) & 0xffff) << 48;
    h_gdt_set(h, sel, lo);
    if (h->mode == H_LONG64)
        h_gdt_set(h, sel + 8, off >> 32);
}

void h_load_seg(struct harness *h, int seg, uint16_t sel)
{
    uint64_t d = h_load(h, H_GDT + (sel & ~7u), 8);
    uint32_t base = (uint32_t)((d >> 16) & 0xffffff) |
                    (uint32_t)(d >> 56) << 24;
    uint32_t limit = (uint32_t)(d & 0xffff) | (uint32_t)((d >> 32) & 0xf0000);
    uint16_t attr = (uint16_t)((d >> 40) & 0xf0ff);

    if (d & (1ull << 55))
        limit = limit << 12 | 0xfff;
    cpu_set_seg(&h->cpu, seg, sel, base, limit, attr);
}

static void h_exit(void *opaque, struct cpu *c, const struct cpu_event *ev)
{
    struct harness *h = opaque;

    h->nexits++;
    h->ev = *ev;
    h->exit_cs = c->seg[SEG_CS].sel;
    h->exit_rip = c->rip;
    c->stop_request = true;
}

static void build_gdt(struct harness *h)
{
    h_gdt_set(h, H_KCS32, h_desc(0, 0xfffff, 0x9b, 0xc));
    h_gdt_set(h, H_KDS, h_desc(0, 0xfffff, 0x93, 0xc));
    h_gdt_set(h, H_UCS32, h_desc(0, 0xfffff, 0xfb, 0xc));
    h_gdt_set(h, H_UDS, h_desc(0, 0xfffff, 0xf3, 0xc));
    h_gdt_set(h, H_KCS64, h_desc(0, 0xfffff, 0x9b, 0xa));
    h_gdt_set(h, H_UCS64, h_desc(0, 0xfffff, 0xfb, 0xa));
    h_gdt_set(h, H_TSS_SEL, h_desc(H_TSS, 0x68 + 8192, 0x89, 0));
    h_gdt_set(h, H_TSS_SEL + 8, 0);
    h_gdt_set(h, H_KCS16, h_desc(0, 0xffff, 0x9b, 0));
    h_gdt_set(h, H_R1CS, h_desc(0, 0xfffff, 0xbb, 0xc));
    h_gdt_set(h, H_R1DS, h_desc(0, 0xfffff, 0xb3, 0xc));
    h->cpu.gdtr.base = H_GDT;
    h->cpu.gdtr.limit = 32 * 8 - 1;
}

static void build_tss(struct harness *h)
{
    if (h->mode == H_LONG64) {
        h_store(h, H_TSS + 4, 8, H_KSTACK);            /* RSP0 */
        h_store(h, H_TSS + 12, 8, H_STACK1);           /* RSP1 */
        h_store(h, H_TSS + 0x24, 8, H_ISTACK);         /* IST1 */
    } else {
        h_store(h, H_TSS + 4, 4, H_KSTACK);            /* ESP0 */
        h_store(h, H_TSS + 8, 2, H_KDS);               /* SS0 */
        h_store(h, H_TSS + 12, 4, H_STACK1);           /* ESP1 */
        h_store(h, H_TSS + 16, 2, H_R1DS);             /* SS1 */
    }
    h_store(h, H_TSS + 102, 2, 0x68);                  /* I/O map base */
    memset(h->mem.ram + H_IOMAP, 0xff, 8192 + 1);
    /* Busy TSS, as after LTR. */
    h_gdt_set(h, H_TSS_SEL, h_desc(H_TSS, 0x68 + 8192, 0x8b, 0));
    h->cpu.tr = (struct seg){ H_TSS_SEL, SEGA_P | 0xb, 0x68 + 8192, H_TSS };
}

static void build_idt(struct harness *h)
{
    unsigned cs = h->mode == H_LONG64 ? H_KCS64 : H_KCS32;

    memset(h->mem.ram + H_HANDLERS, 0xf4, 256 * 8);     /* HLT */
    for (unsigned v = 0; v < 256; v++)
        h_gate(h, v, cs, H_HANDLERS + 8 * v, 0xe, 0, 0);
    h->cpu.idtr.base = H_IDT;
    h->cpu.idtr.limit = 256 * (h->mode == H_LONG64 ? 16 : 8) - 1;
}

static void build_page_tables(struct harness *h)
{
    h_store(h, H_PML4, 8, H_PDPT | 7);
    h_store(h, H_PDPT, 8, H_PD | 7);
    for (uint64_t k = 0; k < 512; k++)
        h_store(h, H_PD + 8 * k, 8, k << 21 | 0x87);   /* P RW US PS */
}

int h_init(struct harness *h, enum h_mode mode)
{
    struct cpu *c = &h->cpu;

    memset(h, 0, sizeof(*h));
    if (mem_init(&h->mem, H_RAM) < 0)
        return -1;
    if (cpu_init(c, &h->mem) < 0) {
        mem_destroy(&h->mem);
        return -1;
    }
    h->mode = mode;
    c->opaque = h;
    c->hooks.exit = h_exit;
    if (mode == H_REAL) {
        for (int s = 0; s < 6; s++)
            cpu_set_seg(c, s, 0, 0, 0xffff, SEGA_P | SEGA_S | 3);
        cpu_set_seg(c, SEG_CS, H_CODE >> 4, H_CODE, 0xffff,
                    SEGA_P | SEGA_S | 0xb);
        c->idtr = (struct dtr){ 0, 0x3ff };
        memset(h->mem.ram + H_HANDLERS, 0xf4, 256 * 8);
        for (unsigned v = 0; v < 256; v++)     /* IVT: 0000:handler */
            h_store(h, v * 4, 4, H_HANDLERS + 8 * v);
        c->rip = 0;
        c->r[R_SP] = 0xfff0;
        cpu_set_rflags(c, 2);
        cpu_flush_code(c);
        return 0;
    }
    build_gdt(h);
    build_idt(h);
    build_tss(h);
    c->cr0 = CR0_PE | CR0_ET;
    if (mode == H_LONG64) {
        build_page_tables(h);
        c->cr4 = CR4_PAE;
        c->efer = EFER_LME | EFER_LMA | EFER_SCE | EFER_NXE;
        c->cr3 = H_PML4;
        c->cr0 |= CR0_PG | CR0_WP;
    }
    for (int s = 0; s < 6; s++)
        h_load_seg(h, s, H_KDS);
    h_load_seg(h, SEG_CS, mode == H_LONG64 ? H_KCS64 : H_KCS32);
    c->rip = H_CODE;
    c->r[R_SP] = H_KSTACK;
    cpu_set_rflags(c, 2);
    cpu_flush_code(c);
    return 0;
}

void h_destroy(struct harness *h)
{
    cpu_destroy(&h->cpu);
    mem_destroy(&h->mem);
}

void h_to_user(struct harness *h, uint64_t rip, uint64_t rsp)
{
    struct cpu *c = &h->cpu;

    h_load_seg(h, SEG_SS, H_UDS);
    h_load_seg(h, SEG_DS, H_UDS);
    h_load_seg(h, SEG_ES, H_UDS);
    h_load_seg(h, SEG_CS, h->mode == H_LONG64 ? H_UCS64 : H_UCS32);
    c->rip = rip;
    c->r[R_SP] = rsp;
}

enum cpu_stop h_run(struct harness *h, uint64_t budget)
{
    return cpu_run(&h->cpu, budget);
}

int h_vector(struct harness *h)
{
    struct cpu *c = &h->cpu;
    uint64_t la = c->seg[SEG_CS].base + c->rip - 1;

    if (!c->halted || la < H_HANDLERS || la >= H_HANDLERS + 256 * 8 ||
        (la - H_HANDLERS) % 8)
        return -1;
    return (int)((la - H_HANDLERS) / 8);
}

uint64_t h_stack(struct harness *h, unsigned k, unsigned size)
{
    struct cpu *c = &h->cpu;
    uint64_t sp = c->r[R_SP];

    if (h->cpu.mode != MODE_LONG64)
        sp &= (c->seg[SEG_SS].attr & SEGA_DB) ? 0xffffffffull : 0xffff;
    return h_load(h, c->seg[SEG_SS].base + sp + (uint64_t)k * size, size);
}
