/*
 * CPUID as a PV guest sees it: the CPU model with what Xen hides from PV
 * guests, the hypervisor bit, and Xen's leaves at 0x40000000
 * (x86/cpuid.c, x86/cpu-policy.c; pub/arch-x86/cpuid.h).
 */
#include <string.h>
#include "xenplat/traps.h"

#define XEN_CPUID_BASE 0x40000000u
#define XEN_VERSION_MAJOR 4
#define XEN_VERSION_MINOR 17

/* Leaf 1 ECX/EDX bits a PV guest never sees. */
#define C1_VMX        (1u << 5)
#define C1_MONITOR    (1u << 3)
#define C1_X2APIC     (1u << 21)
#define C1_HYPERVISOR (1u << 31)
#define E1_SVM        (1u << 2)

static void xen_leaves(struct vcpu *v, uint32_t leaf, uint32_t sub,
                       uint32_t out[4])
{
    switch (leaf - XEN_CPUID_BASE) {
    case 0:
        out[0] = XEN_CPUID_BASE + 5;
        out[1] = 0x566e6558;        /* "XenVMMXenVMM" */
        out[2] = 0x65584d4d;
        out[3] = 0x4d4d566e;
        break;
    case 1:
        out[0] = XEN_VERSION_MAJOR << 16 | XEN_VERSION_MINOR;
        break;
    case 2:
        out[0] = 1;                 /* one hypercall page */
        out[1] = XEN_CPUID_BASE;    /* its MSR */
        out[2] = 1;                 /* MMU_PT_UPDATE_PRESERVE_AD */
        break;
    case 3:
        if (sub == 0) {
            out[0] = 0;             /* TSC not virtualised, */
            out[1] = 0;             /* tsc_mode default */
            out[2] = (uint32_t)v->d->x->clock.tsc_khz;
            out[3] = 0;
        } else if (sub == 2) {
            out[0] = (uint32_t)v->d->x->clock.tsc_khz;
        }
        break;
    case 5:
        out[1] = 52;                /* machine address width */
        break;
    default:
        break;
    }
}

void pv_cpuid(struct vcpu *v, uint32_t leaf, uint32_t sub, uint32_t out[4])
{
    memset(out, 0, 4 * sizeof(uint32_t));
    if (leaf >= XEN_CPUID_BASE && leaf < XEN_CPUID_BASE + 0x100) {
        xen_leaves(v, leaf, sub, out);
        return;
    }
    cpu_cpuid_builtin(&v->cpu, leaf, sub, out);
    switch (leaf) {
    case 1:
        out[2] &= ~(C1_VMX | C1_MONITOR | C1_X2APIC);
        out[2] |= C1_HYPERVISOR;
        /* Initial APIC id = vCPU id. */
        out[1] = (out[1] & 0x00ffffffu) | v->id << 24;
        break;
    case 0x80000001:
        out[2] &= ~E1_SVM;
        break;
    default:
        break;
    }
}
