/*
 * The SMP example: vCPU 0 brings up vCPUs 1..NR_VCPUS-1 (VCPUOP_initialise
 * with a context of its own for each, then VCPUOP_up); every vCPU binds an
 * IPI port to itself (bind_ipi) and a token goes round the vCPUs LAPS
 * times, each vCPU adding its id to it and passing it on with an IPI.
 */
#include "pvlib.h"

#define NR_VCPUS 4
#define LAPS 25
#define CTX_SIZE 5168              /* the 64-bit vcpu_guest_context */

static uint8_t ctx[CTX_SIZE] __attribute__((aligned(16)));
static uint8_t stacks[NR_VCPUS][8192] __attribute__((aligned(16)));
static volatile unsigned port[NR_VCPUS], ready[NR_VCPUS];
static volatile unsigned token, hops;

/* Bind an IPI port to vCPU id (the caller's own). */
static unsigned bind_ipi(unsigned id)
{
    uint32_t b[2] = { id, 0 };

    evtchn_op(EVTCHNOP_bind_ipi, b);
    return b[1];
}

/* Wait for the token, add our id, pass it to the next vCPU. */
static void pass_token(unsigned id, unsigned rounds)
{
    for (unsigned r = 0; r < rounds; r++) {
        wait_event(port[id]);
        token = token * 3 + id;
        hops++;
        barrier();
        notify(port[(id + 1) % NR_VCPUS]);
    }
}

/* The secondary vCPUs start here, each on its own stack. */
void secondary(unsigned long id);
void secondary(unsigned long id)
{
    port[id] = bind_ipi((unsigned)id);
    barrier();
    ready[id] = 1;
    pass_token((unsigned)id, LAPS);
    for (;;)
        HYPERCALL(__HYPERVISOR_vcpu_op, 2 /* down */, id, 0);
}

static void put(unsigned off, unsigned long v)
{
    *(unsigned long *)(ctx + off) = v;
}

/* Kernel mode on Xen's flat selectors, our page tables, rdi = id. */
static long start_vcpu(unsigned id)
{
    unsigned long top = (unsigned long)(stacks[id] + sizeof(stacks[id]));
    long r;

    for (unsigned i = 0; i < sizeof(ctx); i++)
        ctx[i] = 0;
    put(512, 1u << 2);                           /* VGCF_in_kernel */
    put(520 + 14 * 8, id);                       /* rdi */
    put(520 + 128, (unsigned long)secondary);    /* rip */
    put(520 + 136, 0xe033);                      /* cs */
    put(520 + 144, 0x200);                       /* rflags */
    put(520 + 152, top - 8);                     /* rsp */
    put(520 + 160, 0xe02b);                      /* ss */
    put(4968, 0xe02b);                           /* kernel_ss */
    put(4976, top);                              /* kernel_sp */
    put(4984 + 3 * 8, p2m[si(SI_PT_BASE) >> 12] << 12);   /* cr3 */
    r = HYPERCALL(__HYPERVISOR_vcpu_op, VCPUOP_initialise, id, ctx);
    return r ? r : HYPERCALL(__HYPERVISOR_vcpu_op, VCPUOP_up, id, 0);
}

int main(void)
{
    unsigned id;

    pvlib_init();
    port[0] = bind_ipi(0);
    for (id = 1; id < NR_VCPUS; id++)
        if (start_vcpu(id)) {
            printf("ipi: vCPU %u does not come up\n", id);
            return 1;
        }
    for (id = 1; id < NR_VCPUS; id++)
        while (!ready[id])
            yield();
    notify(port[1 % NR_VCPUS]);             /* vCPU 0 starts the token */
    pass_token(0, LAPS);
    printf("ipi: the token went %u times round %u vCPUs: %u hops, token "
           "%08x\n", LAPS, NR_VCPUS, hops, token);
    return 0;
}
