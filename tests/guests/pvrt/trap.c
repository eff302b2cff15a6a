/* The PV trap table, dispatch and pv_try() (see pvrt.h). */
#include "pvrt.h"

static pv_handler handlers[256];

struct try_ctx {
    pv_jmp_buf jb;
    struct pv_trap *t;
};
static struct try_ctx *cur_try;

/* Xen's frame above the stubs' words. */
static unsigned long *xen_frame(struct pv_frame *f)
{
    return (unsigned long *)(f + 1);
}

static void parse(struct pv_frame *f, struct pv_trap *t)
{
    unsigned long *x = xen_frame(f);
    unsigned i = 0;

    memset(t, 0, sizeof(*t));
    t->vector = (int)f->vector;
    t->frame = (unsigned long)x;
    t->ax = f->ax;
#ifdef __x86_64__
    t->rcx = x[i++];
    t->r11 = x[i++];
#endif
    if (f->has_error)
        t->error = x[i++];
    t->ip = x[i++];
    t->cs = x[i++];
    t->flags = x[i++];
#ifdef __x86_64__
    t->sp = x[i++];
    t->ss = x[i++];
#else
    if (t->cs & 2) {
        t->sp = x[i++];
        t->ss = x[i++];
    }
#endif
    t->frame_words = i;
}

static void write_back(struct pv_frame *f, const struct pv_trap *t)
{
    unsigned long *x = xen_frame(f);
    unsigned i = 0;

#ifdef __x86_64__
    i += 2;
#endif
    if (f->has_error)
        i++;
    x[i++] = t->ip;
    x[i++] = t->cs;
    x[i++] = t->flags;
#ifdef __x86_64__
    x[i++] = t->sp;
    x[i++] = t->ss;
#endif
}

void pv_trap_dispatch(struct pv_frame *f);
void pv_trap_dispatch(struct pv_frame *f)
{
    unsigned v = (unsigned)f->vector & 255;
    struct pv_trap t;

    parse(f, &t);
    if (handlers[v]) {
        handlers[v](f, &t);
        write_back(f, &t);
        return;
    }
    if (!cur_try) {
        printf("unexpected trap: vector %u error %#lx ip %#lx cs %#lx\n", v,
               t.error, t.ip, t.cs);
        rt_exit(RT_EXIT_TRAP);
    }
    *cur_try->t = t;
    pv_longjmp(cur_try->jb, (int)v + 1);
}

void pv_set_handler(int vector, pv_handler h)
{
    handlers[vector & 255] = h;
}

int pv_try(void (*fn)(void), struct pv_trap *t)
{
    struct try_ctx ctx, *volatile outer = cur_try;
    int v;

    ctx.t = t;
    cur_try = &ctx;
    v = pv_setjmp(ctx.jb);
    if (v == 0)
        fn();
    cur_try = outer;
    return v == 0 ? PV_NO_TRAP : v - 1;
}

#ifdef __x86_64__
#define TI_SIZE 16
#define PV_KERNEL_CS 0xe033
#else
#define TI_SIZE 8
#define PV_KERNEL_CS 0xe019
#endif

extern char pv_trap_stubs[];

/* trap_info { u8 vector; u8 flags; u16 cs; ulong address; } */
static void ti_set(unsigned char *e, unsigned vec, unsigned flags,
                   unsigned long addr)
{
    memset(e, 0, TI_SIZE);
    e[0] = (unsigned char)vec;
    e[1] = (unsigned char)flags;
    e[2] = PV_KERNEL_CS & 0xff;
    e[3] = PV_KERNEL_CS >> 8;
    memcpy(e + TI_SIZE - sizeof(unsigned long), &addr, sizeof(addr));
}

long pv_set_trap(unsigned vec, unsigned flags)
{
    unsigned char t[2 * TI_SIZE];

    ti_set(t, vec, flags, (unsigned long)pv_trap_stubs + 16 * vec);
    memset(t + TI_SIZE, 0, TI_SIZE);
    return HYPERCALL(__HYPERVISOR_set_trap_table, t, 0, 0);
}

long pv_trap_init(void)
{
    static unsigned char table[33 * TI_SIZE];
    unsigned v;

    for (v = 0; v < 32; v++)
        ti_set(table + v * TI_SIZE, v, v == 3 || v == 4 ? 3 : 0,
               (unsigned long)pv_trap_stubs + 16 * v);
    memset(table + 32 * TI_SIZE, 0, TI_SIZE);
    return HYPERCALL(__HYPERVISOR_set_trap_table, table, 0, 0);
}
