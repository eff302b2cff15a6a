/*
 * NMIs as Xen 4.17 delivers them to a PV guest (x86/pv/callback.c,
 * entry.S process_nmi, pv/iret.c): VCPUOP_send_nmi makes one pending
 * (pending is a flag: two sends before delivery are one NMI); on the way
 * back to the guest it goes to trap_info[2] (set by nmi_op or callback_op
 * CALLBACKTYPE_nmi, with Xen's kernel CS and events masked) ahead of event
 * upcalls, and further NMIs wait until the handler's iret hypercall; with
 * no handler an NMI is dropped; registering while shared_info's
 * nmi_reason is non-zero re-asserts one.
 */
#include "pvrt.h"

#define DOMID_SELF 0x7ff0u
#define UVMF_INVLPG 2
#define PG_KERNEL 0x63ull
enum { VCPUOP_send_nmi = 11 };
enum { XENNMI_register_callback = 0, XENNMI_unregister_callback = 1 };
enum { CALLBACKOP_register = 0, CALLBACKOP_unregister = 1 };
#define CALLBACKTYPE_nmi 4
#ifdef __x86_64__
#define MASK_SHIFT 32
#define SI_SHARED_INFO 40
#define SH_NMI_REASON 3104
#define XEN_ADDR 0xffff800000000000ul
#else
#define MASK_SHIFT 16
#define SI_SHARED_INFO 36
#define SH_NMI_REASON 2324
#define XEN_ADDR 0xf5800000ul
#endif

extern char pv_trap_stubs[], hypercall_page[];

static volatile unsigned nmis, depth, max_depth, sends_inside;
static volatile unsigned long nmi_cs, nmi_flags, nmi_ip;
static volatile unsigned mask_in_handler;

static long send_nmi(void *arg)
{
    return HYPERCALL(__HYPERVISOR_vcpu_op, VCPUOP_send_nmi, 0, arg);
}

static void nmi_handler(struct pv_frame *f, struct pv_trap *t)
{
    (void)f;
    depth++;
    if (depth > max_depth)
        max_depth = depth;
    nmis++;
    nmi_cs = t->cs;
    nmi_flags = t->flags;
    nmi_ip = t->ip;
    mask_in_handler = ((volatile uint8_t *)0x1000)[1];
    /* Masked until our iret: these wait, and make one NMI. */
    while (sends_inside) {
        sends_inside--;
        send_nmi(0);
    }
    depth--;
}

static long nmi_op(unsigned cmd, void *arg)
{
    return HYPERCALL(__HYPERVISOR_nmi_op, cmd, arg, 0);
}

static long callback_nmi(unsigned op, unsigned long address)
{
    struct { uint16_t type, flags; uint32_t cs; unsigned long address; } cb = {
        CALLBACKTYPE_nmi, 0, 0, address,
    };
    return HYPERCALL(__HYPERVISOR_callback_op, op, &cb, 0);
}

static long uvm(unsigned long va, uint64_t pte)
{
#ifdef __x86_64__
    return HYPERCALL(__HYPERVISOR_update_va_mapping, va, pte, UVMF_INVLPG);
#else
    return pv_hypercall(__HYPERVISOR_update_va_mapping, va, (uint32_t)pte,
                        (uint32_t)(pte >> 32), UVMF_INVLPG, 0);
#endif
}

static void show(const char *what, long r)
{
    printf("%-34s %3ld: NMIs %u (max nesting %u)\n", what, r, nmis,
           max_depth);
}

int main(void)
{
    unsigned long stub = (unsigned long)pv_trap_stubs + 16 * 2;
    unsigned long cb[2] = { stub, 0 };
    volatile unsigned long *sh = (volatile unsigned long *)0x1000;
    /* vcpu_info 0 starts shared_info (mapped at 0x1000 below). */
    long r;

    r = uvm(0x1000, *(unsigned long *)((char *)pv_start_info +
                                       SI_SHARED_INFO) | PG_KERNEL);
    if (r)
        printf("map shared_info: %ld\n", r);
    pv_trap_init();
    /* pv_trap_init gives vector 2 a stub: take it away again. */
    nmi_op(XENNMI_unregister_callback, 0);
    pv_set_handler(2, nmi_handler);

    show("send_nmi, no handler (dropped)", send_nmi(0));
    show("send_nmi with an argument", send_nmi(cb));
    show("nmi_op register, Xen's address", nmi_op(XENNMI_register_callback,
                                                  (void *)XEN_ADDR));
#ifdef __x86_64__
    {
        unsigned long bad[2] = { 0x0000800000000000ul, 0 };
        show("nmi_op register, non-canonical",
             nmi_op(XENNMI_register_callback, bad));
    }
#endif
    show("nmi_op bad command", nmi_op(7, cb));
    show("nmi_op register", nmi_op(XENNMI_register_callback, cb));
    /* Events unmasked (vcpu_info 0's upcall mask in shared_info): the
     * NMI masks them for its handler. */
    ((volatile uint8_t *)sh)[1] = 0;
    show("send_nmi, events unmasked", send_nmi(0));
    ((volatile uint8_t *)sh)[1] = 1;
    printf("  frame: cs %#lx, saved mask %lu, IF %lu, events masked in the "
           "handler %u, ip %s\n",
           nmi_cs & 0xffff, (nmi_cs >> MASK_SHIFT) & 0xff,
           (nmi_flags >> 9) & 1, mask_in_handler,
           nmi_ip - (unsigned long)hypercall_page == 24 * 32 + 10 ||
           nmi_ip - (unsigned long)hypercall_page == 24 * 32 + 7
           ? "after the vcpu_op hypercall" : "ELSEWHERE");
    sends_inside = 2;
    show("send_nmi, handler sends two more", send_nmi(0));
    show("callback_op unregister", callback_nmi(CALLBACKOP_unregister, 0));
    show("send_nmi, none registered", send_nmi(0));
    show("callback_op register", callback_nmi(CALLBACKOP_register, stub));
    show("send_nmi", send_nmi(0));
    /* An NMI reason in shared_info: registering re-asserts the NMI. */
    nmi_op(XENNMI_unregister_callback, 0);
    sh[SH_NMI_REASON / sizeof(long)] = 1;
    show("register with nmi_reason 1", nmi_op(XENNMI_register_callback, cb));
    return 0;
}
