/* The PV runtime: console through console_io, exit through sched_op. */
#include "pvrt.h"

void *pv_start_info;

int main(void);

/* Weak: a kernel may print its own way (the demo: a line a hypercall). */
__attribute__((weak)) void rt_putc(char c)
{
    HYPERCALL(__HYPERVISOR_console_io, 0, 1, &c);
}

RT_NORETURN void pv_shutdown(unsigned reason)
{
    uint32_t r = reason;

    for (;;)
        HYPERCALL(__HYPERVISOR_sched_op, SCHEDOP_shutdown, &r, 0);
}

/* Exit codes: 0 = poweroff, anything else = crash (status 4). */
RT_NORETURN void rt_exit(int code)
{
    pv_shutdown(code == RT_EXIT_PASS ? SHUTDOWN_poweroff : SHUTDOWN_crash);
}

void pv_start(void)
{
    rt_exit(main());
}

static void ctx_put(uint8_t *ctx, unsigned off, unsigned long v)
{
    *(unsigned long *)(ctx + off) = v;
}

static void ctx_put16(uint8_t *ctx, unsigned off, uint16_t v)
{
    *(uint16_t *)(ctx + off) = v;
}

void pv_vcpu_context(uint8_t *ctx, unsigned long flags, unsigned long rip,
                     unsigned long top)
{
#ifdef __x86_64__
    enum { SI_PT_BASE = 88, SI_MFN_LIST = 104 };
#else
    enum { SI_PT_BASE = 60, SI_MFN_LIST = 68 };
#endif
    const char *si = pv_start_info;
    const unsigned long *p2m = *(unsigned long *const *)(si + SI_MFN_LIST);
    unsigned long pt = p2m[*(const unsigned long *)(si + SI_PT_BASE) >> 12];

    for (unsigned i = 0; i < PV_VCPU_CONTEXT_SIZE; i++)
        ctx[i] = 0;
    ctx_put(ctx, 512, flags);
#ifdef __x86_64__
    ctx_put(ctx, 520 + 128, rip);
    ctx_put16(ctx, 520 + 136, 0xe033);           /* cs */
    ctx_put(ctx, 520 + 144, 0x200);              /* rflags */
    ctx_put(ctx, 520 + 152, top - 8);            /* rsp */
    ctx_put16(ctx, 520 + 160, 0xe02b);           /* ss */
    ctx_put(ctx, 4968, 0xe02b);                  /* kernel_ss */
    ctx_put(ctx, 4976, top);                     /* kernel_sp */
    ctx_put(ctx, 4984 + 3 * 8, pt << 12);        /* ctrlreg[3] */
#else
    ctx_put(ctx, 516 + 32, rip);
    ctx_put16(ctx, 516 + 36, 0xe019);            /* cs */
    ctx_put(ctx, 516 + 40, 0x200);               /* eflags */
    ctx_put(ctx, 516 + 44, top - 4);             /* esp */
    ctx_put16(ctx, 516 + 48, 0xe021);            /* ss */
    ctx_put16(ctx, 516 + 52, 0xe021);            /* es */
    ctx_put16(ctx, 516 + 56, 0xe021);            /* ds */
    ctx_put(ctx, 2708, 0xe021);                  /* kernel_ss */
    ctx_put(ctx, 2712, top);                     /* kernel_sp */
    ctx_put(ctx, 2716 + 3 * 4, (pt << 12) | (pt >> 20));  /* ctrlreg[3] */
#endif
}
