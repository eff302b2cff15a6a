/*
 * The FPU state a vCPU starts with (xen/arch/x86/domain.c
 * arch_set_info_guest, i387.c vcpu_setup_fpu): vCPU 0 and a secondary
 * brought up without VGCF_I387_VALID get Xen's default (FCW 0x37f, MXCSR
 * 0x1f80, empty x87 stack, XMM registers zero); with VGCF_I387_VALID the
 * FXSAVE image at the start of the vcpu_guest_context is loaded (64-bit
 * and compat layouts); an image whose MXCSR has a reserved bit set takes
 * Xen's XRSTOR fix-up (x87/SSE initial, MXCSR masked).  fpu64/fpu32 boot
 * with one vCPU; fpu-4v64/32.cfg with four.  Each secondary records what
 * it sees and goes down; vCPU 0 prints it.
 */
#include "pvrt.h"

#define VGCF_I387_VALID 1u
#define VGCF_in_kernel 4u

enum { VCPUOP_initialise = 0, VCPUOP_up = 1, VCPUOP_down = 2,
       VCPUOP_is_up = 3 };

struct seen {
    uint16_t fcw, fsw, ftw;
    uint32_t mxcsr;
    uint64_t st0;
    uint64_t xmm0[2], xmm7[2];
    volatile unsigned done;
};

static uint8_t ctx[PV_VCPU_CONTEXT_SIZE] __attribute__((aligned(16)));
static uint8_t ap_stack[4][4096] __attribute__((aligned(16)));
static struct seen seen[4];
static volatile unsigned ap_id;

static long vcpu_op(unsigned cmd, unsigned id, void *arg)
{
    return HYPERCALL(__HYPERVISOR_vcpu_op, cmd, id, arg);
}

/* The FPU as found: control and status words, MXCSR, XMM0/XMM7, the full
 * tag word (FNSTENV, last: it masks the exceptions) and ST(0) stored as a
 * double (the default indefinite QNaN when the stack is empty). */
static void read_fpu(struct seen *s)
{
    uint16_t env[14];

    __asm__ volatile("movdqu %%xmm0, %0" : "=m"(s->xmm0));
    __asm__ volatile("movdqu %%xmm7, %0" : "=m"(s->xmm7));
    __asm__ volatile("fnstcw %0" : "=m"(s->fcw));
    __asm__ volatile("fnstsw %0" : "=m"(s->fsw));
    __asm__ volatile("stmxcsr %0" : "=m"(s->mxcsr));
    __asm__ volatile("fstl %0" : "=m"(s->st0));
    __asm__ volatile("fnstenv %0" : "=m"(env));
    s->ftw = env[4];
}

void ap_main(void);
void ap_main(void)
{
    unsigned id = ap_id;

    read_fpu(&seen[id]);
    seen[id].done = 1;
    vcpu_op(VCPUOP_down, id, 0);
    for (;;)
        ;
}

static void put16(unsigned off, uint16_t v)
{
    *(uint16_t *)(ctx + off) = v;
}

static void put32(unsigned off, uint32_t v)
{
    *(uint32_t *)(ctx + off) = v;
}

static void put64(unsigned off, uint64_t v)
{
    *(uint64_t *)(ctx + off) = v;
}

static void build_context(unsigned id, unsigned long flags)
{
    pv_vcpu_context(ctx, flags, (unsigned long)ap_main,
                    (unsigned long)(ap_stack[id] + sizeof(ap_stack[id])));
}

/* fpu_ctxt: FCW 0x027f (53-bit precision), TOP 7 with ST(0) = 1.0 (R7
 * valid), MXCSR mxcsr (0x7f80: round toward zero, all masked), XMM0 and
 * XMM7 chosen values; byte 511 (Xen's stored word size) 8. */
static void put_image(uint32_t mxcsr)
{
    put16(0, 0x027f);
    put16(2, 7u << 11);
    ctx[4] = 0x80;
    put64(32, 0x8000000000000000ull);
    put16(40, 0x3fff);
    put32(24, mxcsr);
    put32(28, 0xffff);
    put64(160, 0x0123456789abcdefull);
    put64(168, 0xfedcba9876543210ull);
    put64(160 + 7 * 16, 0x1111222233334444ull);
    put64(168 + 7 * 16, 0x5555666677778888ull);
    ctx[511] = 8;
}

static void report(const char *who, const struct seen *s)
{
    printf("%s: fcw %04x fsw %04x ftw %04x mxcsr %08x st0 %016llx\n", who,
           s->fcw, s->fsw, s->ftw, s->mxcsr, (unsigned long long)s->st0);
    printf("%s: xmm0 %016llx%016llx xmm7 %016llx%016llx\n", who,
           (unsigned long long)s->xmm0[1], (unsigned long long)s->xmm0[0],
           (unsigned long long)s->xmm7[1], (unsigned long long)s->xmm7[0]);
}

static void bring_up(unsigned id, const char *what, unsigned long flags,
                     uint32_t mxcsr)
{
    long r, u;

    build_context(id, flags);
    if (mxcsr)
        put_image(mxcsr);
    ap_id = id;
    r = vcpu_op(VCPUOP_initialise, id, ctx);
    u = vcpu_op(VCPUOP_up, id, 0);
    printf("vCPU %u %s: initialise %ld, up %ld\n", id, what, r, u);
    while (!seen[id].done)
        HYPERCALL(__HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0);
    report(what, &seen[id]);
    while (vcpu_op(VCPUOP_is_up, id, 0) == 1)
        HYPERCALL(__HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0);
}

int main(void)
{
    long r;

    read_fpu(&seen[0]);
    report("vCPU 0", &seen[0]);
    r = vcpu_op(VCPUOP_is_up, 1, 0);
    if (r == -2) {
        printf("one vCPU: is_up(1) %ld\n", r);
        return 0;
    }
#ifdef __x86_64__
    bring_up(1, "image", VGCF_in_kernel | VGCF_I387_VALID, 0x7f80);
    bring_up(2, "no flag", VGCF_in_kernel, 0x7f80);
    bring_up(3, "bad mxcsr", VGCF_in_kernel | VGCF_I387_VALID, 0x47f80);
#else
    bring_up(1, "image", VGCF_I387_VALID, 0x7f80);
    bring_up(2, "no flag", 0, 0x7f80);
    bring_up(3, "bad mxcsr", VGCF_I387_VALID, 0x47f80);
#endif
    return 0;
}
