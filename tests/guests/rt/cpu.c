/* Descriptor tables, the TSS, trap dispatch and rt_try(). */
#include "rt.h"

#ifdef __x86_64__
#define GATE_SIZE 16
#else
#define GATE_SIZE 8
#endif

/* 104-byte TSS header (32- and 64-bit layouts share the I/O map offset at
 * byte 102), then the I/O permission bitmap and its 0xff terminator. */
#define TSS_HDR   104
#define IOMAP_LEN 8192
static uint8_t rt_tss[TSS_HDR + IOMAP_LEN + 1] __attribute__((aligned(128)));
static uint8_t rt_idt[256 * GATE_SIZE] __attribute__((aligned(16)));
static rt_handler handlers[256];

char rt_kstack[RT_STACK_SIZE] __attribute__((aligned(16)));
char rt_ustack[RT_STACK_SIZE] __attribute__((aligned(16)));
#define rt_kstack_end (rt_kstack + sizeof(rt_kstack))
#define rt_ustack_end (rt_ustack + sizeof(rt_ustack))

extern char rt_stubs[];
extern char rt_user_return[];
RT_NORETURN void rt_enter_user(long (*fn)(void), uintptr_t sp);

static void put_le(uint8_t *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

uint64_t rt_seg_desc(uint32_t base, uint32_t limit, unsigned type, int dpl,
                     unsigned flags)
{
    uint64_t d = limit & 0xffff;
    d |= (uint64_t)(base & 0xffffff) << 16;
    d |= (uint64_t)((type & 0x1f) | (dpl & 3) << 5 | 0x80) << 40;
    d |= (uint64_t)((limit >> 16) & 0xf) << 48;
    d |= (uint64_t)(flags & 0xf) << 52;
    d |= (uint64_t)(base >> 24) << 56;
    return d;
}

void rt_set_gdt(unsigned sel, uint64_t desc)
{
    rt_gdt[sel >> 3] = desc;
}

void rt_call_gate(unsigned sel, unsigned target_sel, uintptr_t offset, int dpl,
                  int params)
{
    uint64_t lo = (offset & 0xffff) | (uint64_t)target_sel << 16;
    lo |= (uint64_t)(params & 0x1f) << 32;
    lo |= (uint64_t)(0x0c | (dpl & 3) << 5 | 0x80) << 40;
    lo |= (uint64_t)((offset >> 16) & 0xffff) << 48;
    rt_gdt[sel >> 3] = lo;
#ifdef __x86_64__
    rt_gdt[(sel >> 3) + 1] = (uint64_t)offset >> 32;
#endif
}

void rt_gate_to(int vec, uintptr_t target, int type, int dpl, int ist)
{
    uint8_t *g = rt_idt + (vec & 255) * GATE_SIZE;
    put_le(g, target & 0xffff, 2);
    put_le(g + 2, KERNEL_CS, 2);
    g[4] = (uint8_t)(ist & 7);
    g[5] = (uint8_t)((type & GATE_NOT_PRESENT ? 0 : 0x80) | (dpl & 3) << 5 |
                     (type & 0xf));
    put_le(g + 6, (target >> 16) & 0xffff, 2);
#ifdef __x86_64__
    put_le(g + 8, (uint64_t)target >> 32, 4);
    put_le(g + 12, 0, 4);
#endif
}

void rt_gate(int vec, int type, int dpl, int ist)
{
    rt_gate_to(vec, (uintptr_t)rt_stubs + 16 * (vec & 255), type, dpl, ist);
}

void rt_set_handler(int vec, rt_handler h)
{
    handlers[vec & 255] = h;
}

void rt_tss_set_sp0(uintptr_t sp)
{
#ifdef __x86_64__
    put_le(rt_tss + 4, sp, 8);
#else
    put_le(rt_tss + 4, sp, 4);
    put_le(rt_tss + 8, KERNEL_DS, 2);
#endif
}

#ifdef __x86_64__
void rt_tss_set_ist(int n, uintptr_t sp)
{
    put_le(rt_tss + 36 + 8 * (n - 1), sp, 8);
}
#endif

void rt_io_permit(unsigned port, int allow)
{
    uint8_t *m = rt_tss + TSS_HDR + (port >> 3);
    if (allow)
        *m &= (uint8_t)~(1u << (port & 7));
    else
        *m |= (uint8_t)(1u << (port & 7));
}

struct dt_ptr {
    uint16_t limit;
    uintptr_t base;
} __attribute__((packed));

static void load_tables(void)
{
    uintptr_t base = (uintptr_t)rt_tss;
    uint32_t limit = sizeof(rt_tss) - 1;

    rt_gdt[TSS_SEL >> 3] = rt_seg_desc((uint32_t)base, limit, 0x9, 0, 0);
#ifdef __x86_64__
    rt_gdt[(TSS_SEL >> 3) + 1] = (uint64_t)base >> 32;
#endif
    put_le(rt_tss + 102, TSS_HDR, 2);
    memset(rt_tss + TSS_HDR, 0xff, IOMAP_LEN + 1);
    rt_tss_set_sp0((uintptr_t)rt_kstack_end);
    __asm__ volatile("ltr %w0" : : "r"(TSS_SEL));

    for (int v = 0; v < 256; v++)
        rt_gate(v, GATE_INT, 0, 0);
    rt_gate(RT_VEC_DONE, GATE_INT, 3, 0);
    struct dt_ptr idtr = { sizeof(rt_idt) - 1, (uintptr_t)rt_idt };
    __asm__ volatile("lidt %0" : : "m"(idtr));
}

/* The innermost rt_try()/rt_try_user() in progress. */
struct try_ctx {
    rt_jmp_buf jb;
    struct rt_trap *t;
};
static struct try_ctx *cur_try;

/* Tests load odd selectors into DS/ES; give the kernel its own back. */
static void reload_data_segments(void)
{
    __asm__ volatile("mov %0, %%ds; mov %0, %%es" : : "r"(KERNEL_DS));
}

static void record(struct rt_trap *t, const struct rt_frame *f)
{
    memset(t, 0, sizeof(*t));
    t->vector = (int)f->vector;
    t->error = f->error;
    t->ip = f->ip;
    t->cs = f->cs & 0xffff;
    t->flags = f->flags;
#ifdef __x86_64__
    t->sp = f->sp;
    t->ss = f->ss & 0xffff;
#else
    if (f->cs & 3) {
        t->sp = f->sp;
        t->ss = f->ss & 0xffff;
    } else {
        t->sp = (uintptr_t)&f->sp;
        t->ss = read_ss();
    }
#endif
    t->ax = f->ax;
    if (f->vector == 14)
        t->cr2 = read_cr2();
    if (f->vector == 1)
        t->dr6 = read_dr6();
}

static RT_NORETURN void unexpected(const struct rt_frame *f)
{
    printf("unexpected trap: vector %u error %#lx ip %#lx cs %#lx",
           (unsigned)f->vector, (unsigned long)f->error,
           (unsigned long)f->ip, (unsigned long)f->cs);
    if (f->vector == 14)
        printf(" cr2 %#lx", (unsigned long)read_cr2());
    printf("\n");
    rt_exit(RT_EXIT_TRAP);
}

void rt_trap_dispatch(struct rt_frame *f);
void rt_trap_dispatch(struct rt_frame *f)
{
    unsigned v = (unsigned)f->vector & 255;

    if (handlers[v]) {
        handlers[v](f);
        return;
    }
    if (!cur_try)
        unexpected(f);
    record(cur_try->t, f);
    rt_longjmp(cur_try->jb, (int)v + 1);
}

int rt_try(void (*fn)(void), struct rt_trap *t)
{
    struct try_ctx ctx, *volatile outer = cur_try;
    int v;

    ctx.t = t;
    cur_try = &ctx;
    v = rt_setjmp(ctx.jb);
    if (v == 0)
        fn();
    reload_data_segments();
    cur_try = outer;
    return v == 0 ? RT_NO_TRAP : v - 1;
}

int rt_try_user(long (*fn)(void), struct rt_trap *t)
{
    struct try_ctx ctx, *volatile outer = cur_try;
    int v;

    ctx.t = t;
    cur_try = &ctx;
    v = rt_setjmp(ctx.jb);
    if (v == 0) {
        uintptr_t *sp = (uintptr_t *)rt_ustack_end - 1;
        *sp = (uintptr_t)rt_user_return;
        rt_enter_user(fn, (uintptr_t)sp);
    }
    /* Back from ring 3: SS may be null, DS/ES user or null. */
    __asm__ volatile("mov %0, %%ss" : : "r"(KERNEL_DS));
    reload_data_segments();
    cur_try = outer;
    v--;
    return v == RT_VEC_DONE ? RT_NO_TRAP : v;
}

#ifdef __x86_64__
/* Page tables for splitting 2 MiB pages of the identity map. */
#define RT_NPT 8
static uint64_t rt_pt[RT_NPT][512] __attribute__((aligned(4096)));
static int rt_npt;

uint64_t *rt_pte(uintptr_t va)
{
    uint64_t *pde = &rt_pd[(va >> 21) & 511];

    if (*pde & PTE_PS) {
        uint64_t *pt, base = *pde & ~0x1fffffull & ~PTE_NX;
        if (rt_npt == RT_NPT) {
            printf("rt_pte: out of page tables\n");
            rt_exit(RT_EXIT_FAIL);
        }
        pt = rt_pt[rt_npt++];
        for (int i = 0; i < 512; i++)
            pt[i] = (base + ((uint64_t)i << 12)) | (*pde & 0x1f);
        *pde = (uint64_t)(uintptr_t)pt | PTE_P | PTE_W | PTE_U;
        write_cr3(read_cr3());
    }
    return (uint64_t *)(uintptr_t)(*pde & 0xfffff000) + ((va >> 12) & 511);
}
#endif

void rt_start(void);
void rt_start(void)
{
    load_tables();
    rt_exit(main());
}
