/* The hypercall table and dispatcher (x86/pv/hypercall.c). */
#include "xenplat/guest.h"
#include "xenplat/hypercall.h"
#include "xenplat/mm.h"
#include "xenplat/observe.h"

#define PV(name, f)      [HC_##name] = { #name, f, f }
#define PV64(name, f)    [HC_##name] = { #name, f, NULL }
#define PV2(name, f, g)  [HC_##name] = { #name, f, g }
#define NONE(name)       [HC_##name] = { #name, NULL, NULL }

const struct hypercall_def hypercall_table[NR_HYPERCALLS] = {
    PV(set_trap_table, do_set_trap_table),
    PV(mmu_update, do_mmu_update),
    PV(set_gdt, do_set_gdt),
    PV(stack_switch, do_stack_switch),
    PV2(set_callbacks, do_set_callbacks, do_set_callbacks32),
    PV(fpu_taskswitch, do_fpu_taskswitch),
    PV(sched_op_compat, do_sched_op_compat),
    PV(platform_op, do_privileged_op),
    PV(set_debugreg, do_set_debugreg),
    PV(get_debugreg, do_get_debugreg),
    PV(update_descriptor, do_update_descriptor),
    PV(memory_op, do_memory_op),
    PV(multicall, do_multicall),
    PV(update_va_mapping, do_update_va_mapping),
    PV(set_timer_op, do_set_timer_op),
    PV(event_channel_op_compat, do_event_channel_op_compat),
    PV(xen_version, do_xen_version),
    PV(console_io, do_console_io),
    PV(physdev_op_compat, do_physdev_op_compat),
    PV(grant_table_op, do_grant_table_op),
    PV(vm_assist, do_vm_assist),
    PV(update_va_mapping_otherdomain, do_update_va_mapping_otherdomain),
    PV2(iret, do_pv_iret, do_pv_iret32),
    PV(vcpu_op, do_vcpu_op),
    PV64(set_segment_base, do_set_segment_base),
    PV(mmuext_op, do_mmuext_op),
    PV(xsm_op, do_xsm_op),
    PV(nmi_op, do_nmi_op),
    PV(sched_op, do_sched_op),
    PV(callback_op, do_callback_op),
    NONE(xenoprof_op),
    PV(event_channel_op, do_event_channel_op),
    PV(physdev_op, do_physdev_op),
    NONE(hvm_op),
    PV(sysctl, do_privileged_op),
    PV(domctl, do_privileged_op),
    NONE(kexec_op),
    NONE(tmem_op),
    NONE(argo_op),
    PV(xenpmu_op, do_xenpmu_op),
    PV(dm_op, do_privileged_op),
    NONE(hypfs_op),
    NONE(mca),
    NONE(paging_domctl_cont),
};

void hypercall_no_return(struct vcpu *v)
{
    v->hc_no_return = true;
}

bool hypercall_continuation(struct vcpu *v)
{
    if (v->multicall_depth)
        return false;
    /* SYSCALL and INT $0x82 are both two bytes long. */
    v->cpu.rip -= 2;
    if (is_pv32(v->d))
        v->cpu.rip = (uint32_t)v->cpu.rip;
    v->hc_no_return = true;
    return true;
}

long hypercall_call(struct vcpu *v, unsigned nr, const uint64_t *a)
{
    struct domain *d = v->d;
    hypercall_fn fn = NULL;

    long ret;

    if (nr < NR_HYPERCALLS) {
        fn = is_pv32(d) ? hypercall_table[nr].fn32 : hypercall_table[nr].fn64;
        d->hypercall_count[nr]++;
    }
    XEN_OBSERVE(v, .kind = XO_HYPERCALL, .nr = nr, .args = a);
    if (!fn) {
        if (nr < NR_HYPERCALLS)
            d->hypercall_enosys[nr]++;
        v->cpu.stop_request = true;   /* the run loop's --strict looks now */
        ret = -XEN_ENOSYS;
    } else {
        ret = fn(v, a);
    }
    XEN_OBSERVE(v, .kind = XO_HYPERCALL_DONE, .nr = nr, .args = a,
                .ret = ret, .no_return = v->hc_no_return);
    return ret;
}

static const int args64[HYPERCALL_MAX_ARGS] = {
    R_DI, R_SI, R_DX, R_R10, R_R8, R_R9,
};
static const int args32[HYPERCALL_MAX_ARGS] = {
    R_BX, R_CX, R_DX, R_SI, R_DI, R_BP,
};

void hypercall_from_guest(struct vcpu *v)
{
    struct cpu *c = &v->cpu;
    bool pv32 = is_pv32(v->d);
    const int *regs = pv32 ? args32 : args64;
    uint64_t a[HYPERCALL_MAX_ARGS];
    uint64_t nr = pv32 ? (uint32_t)c->r[R_AX] : c->r[R_AX];
    unsigned i;
    long ret;

    for (i = 0; i < HYPERCALL_MAX_ARGS; i++)
        a[i] = pv32 ? (uint32_t)c->r[regs[i]] : c->r[regs[i]];
    v->hc_no_return = false;
    ret = hypercall_call(v, nr < NR_HYPERCALLS ? (unsigned)nr : NR_HYPERCALLS,
                         a);
    if (v->hc_no_return)
        return;
    c->r[R_AX] = pv32 ? (uint32_t)ret : (uint64_t)ret;
}
