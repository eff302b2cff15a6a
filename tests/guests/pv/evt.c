/* Event channels from a guest: binding, delivery to the upcall (masked
 * and unmasked), vcpu_info registration, status, loopback interdomain,
 * errors, reset and rebinding the console to its backend. */
#include "evtlib.h"

static void status(const char *what, unsigned port)
{
    uint32_t s[6] = { DOMID_SELF, port, 99, 99, 0xaaaaaaaa, 0xbbbbbbbb };
    long r = evtchn_op(EVTCHNOP_status, s);

    if (r) {
        printf("status %s (port %u): %ld\n", what, port, r);
        return;
    }
    printf("status %s (port %u): state %u vcpu %u u %08x %08x\n", what,
           port, s[2], s[3], s[4], s[5]);
}

static void show_events(const char *what)
{
    unsigned i;

    printf("%s: %u upcall(s), selectors", what, evt_count);
    for (i = 0; i < evt_count && i < 64; i++)
        printf(" %llx", (unsigned long long)evt_sel[i]);
    printf("\n");
    evt_count = 0;
}

static void errors(void)
{
    uint32_t b[4];
    uint16_t *h = (uint16_t *)b;

    printf("bind_virq(TIMER) again: %ld\n", evt_bind_virq(VIRQ_TIMER, 0));
    printf("bind_virq(CONSOLE, vcpu 1): %ld\n", evt_bind_virq(VIRQ_CONSOLE, 1));
    printf("bind_virq(24): %ld\n", evt_bind_virq(24, 0));
    printf("bind_virq(DEBUG, vcpu 1): %ld\n", evt_bind_virq(VIRQ_DEBUG, 1));
    b[0] = 1;
    printf("bind_ipi(vcpu 1): %ld\n", evtchn_op(EVTCHNOP_bind_ipi, b));
    h[0] = 0; h[1] = DOMID_SELF;
    printf("alloc_unbound(dom 0): %ld\n", evtchn_op(EVTCHNOP_alloc_unbound, b));
    h[0] = 5;
    printf("alloc_unbound(dom 5): %ld\n", evtchn_op(EVTCHNOP_alloc_unbound, b));
    h[0] = 5; b[1] = 1;
    printf("bind_interdomain(dom 5): %ld\n",
           evtchn_op(EVTCHNOP_bind_interdomain, b));
    h[0] = 0; b[1] = 99;
    printf("bind_interdomain(dom 0, port 99): %ld\n",
           evtchn_op(EVTCHNOP_bind_interdomain, b));
    printf("send(free port 60): %ld\n", evt_send(60));
    printf("send(port 5000): %ld\n", evt_send(5000));
    b[0] = 0;
    printf("close(port 0): %ld\n", evtchn_op(EVTCHNOP_close, b));
    b[0] = 100;
    printf("unmask(port 100, no bucket): %ld\n", evtchn_op(EVTCHNOP_unmask, b));
    h[0] = 0;
    printf("status(dom 0): %ld\n", evtchn_op(EVTCHNOP_status, b));
    printf("init_control: %ld, expand_array: %ld, set_priority: %ld\n",
           evtchn_op(EVTCHNOP_init_control, b),
           evtchn_op(EVTCHNOP_expand_array, b),
           evtchn_op(EVTCHNOP_set_priority, b));
    printf("op 99: %ld\n", evtchn_op(99, b));
    printf("bad pointer: %ld\n",
           evtchn_op(EVTCHNOP_send, (void *)XEN_ADDR));
}

int main(void)
{
    unsigned console = SI_CONSOLE_PORT(pv_start_info);
    long timer, ipi, a, bport;
    uint32_t b[4];
    uint16_t *h = (uint16_t *)b;
    struct { uint32_t cmd, port; } cop = { EVTCHNOP_send, 0 };

    evt_init();
    evt_mask_upcalls();
    timer = evt_bind_virq(VIRQ_TIMER, 0);
    b[0] = 0;
    ipi = evtchn_op(EVTCHNOP_bind_ipi, b) ?: (long)b[1];
    printf("console port %u, VIRQ_TIMER port %ld, IPI port %ld\n", console,
           timer, ipi);
    status("store", 1);
    status("console", console);
    status("timer", (unsigned)timer);
    status("ipi", (unsigned)ipi);
    status("free", 40);
    errors();

    /* IPI to self with upcalls masked: selector and upcall flag, no
     * upcall until they are unmasked. */
    evt_count = 0;
    printf("send(ipi): %ld\n", evt_send((unsigned)ipi));
    printf("masked: sel %llx upcall %u upcalls %u\n",
           (unsigned long long)vinfo->pending_sel, vinfo->upcall_pending,
           evt_count);
    evt_unmask_upcalls();
    show_events("after unmasking upcalls");
    printf("upcall mask after iret: %u\n", vinfo->upcall_mask);
    printf("send(ipi) again, still pending: %ld\n", evt_send((unsigned)ipi));
    show_events("no new edge");
    b[0] = (uint32_t)ipi;
    printf("close(ipi) clears pending: %ld\n", evtchn_op(EVTCHNOP_close, b));
    ipi = evtchn_op(EVTCHNOP_bind_ipi, (b[0] = 0, b)) ?: (long)b[1];
    printf("bind_ipi: port %ld, send: %ld\n", ipi, evt_send((unsigned)ipi));
    show_events("fresh port");
    evt_mask_upcalls();
    {
        uint64_t reg[2] = { 0, 0 };
        printf("register_vcpu_info again: %ld\n",
               vcpu_op(VCPUOP_register_vcpu_info, 0, reg));
    }

    /* Loopback interdomain through DOMID_SELF; the compat op form. */
    h[0] = DOMID_SELF; h[1] = DOMID_SELF;
    evtchn_op(EVTCHNOP_alloc_unbound, b);
    a = b[1];
    h[0] = DOMID_SELF; b[1] = (uint32_t)a;
    printf("bind_interdomain(self, %ld): %ld", a,
           evtchn_op(EVTCHNOP_bind_interdomain, b));
    bport = b[2];
    printf(" -> port %ld\n", bport);
    evt_unmask_upcalls();
    show_events("bind sets the new port pending");
    status("loop a", (unsigned)a);
    status("loop b", (unsigned)bport);
    cop.port = (uint32_t)a;
    printf("compat send(a): %ld\n",
           HYPERCALL(16 /* event_channel_op_compat */, &cop, 0, 0));
    show_events("send on a");
    b[0] = (uint32_t)bport; b[1] = 0;
    printf("bind_vcpu(b, 0): %ld, ", evtchn_op(EVTCHNOP_bind_vcpu, b));
    b[0] = (uint32_t)ipi;
    printf("bind_vcpu(ipi): %ld, ", evtchn_op(EVTCHNOP_bind_vcpu, b));
    b[0] = (uint32_t)bport; b[1] = 1;
    printf("bind_vcpu(b, 1): %ld\n", evtchn_op(EVTCHNOP_bind_vcpu, b));
    b[0] = (uint32_t)bport;
    printf("close(b): %ld\n", evtchn_op(EVTCHNOP_close, b));
    status("loop a after close", (unsigned)a);
    printf("send(a, unbound): %ld\n", evt_send((unsigned)a));
    show_events("unbound send");

    /* Reset closes everything; the console comes back by binding to the
     * backend's dom0 port. */
    h[0] = DOMID_SELF;
    printf("reset: %ld\n", evtchn_op(EVTCHNOP_reset, b));
    status("console after reset", console);
    h[0] = 0; b[1] = 1;
    printf("rebind console: %ld", evtchn_op(EVTCHNOP_bind_interdomain, b));
    printf(" -> port %u\n", b[2]);
    status("console rebound", b[2]);
    show_events("rebinding");
    return 0;
}
