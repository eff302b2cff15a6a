/*
 * CPUID as a PV domU sees it on Xen 4.17 running on the modelled AMD Zen
 * host (x86/cpuid.c guest_cpuid, x86/cpu-policy.c, x86/domain.c
 * domain_cpu_policy_changed; pub/arch-x86/cpuid.h):
 *
 * - the policy (pv_guest_cpuid): the host's features limited to what Xen
 *   gives PV guests, the hypervisor bit, Xen's leaves at 0x40000000.  The
 *   forced-emulation prefix (and CPUID faulting, were there any) sees this.
 * - native CPUID (pv_cpuid): the modelled AMD CPU has no CPUID faulting,
 *   so the instruction runs on the hardware; Xen only programs the AMD
 *   feature-override MSRs (leaf 1 and 0x80000001 ECX:EDX, leaf 7 EAX:EBX)
 *   with the policy (leaf 1's OSXSAVE following the guest's CR4, as
 *   ctxt_switch_levelling makes it).  Every other leaf is the hardware's:
 *   no Xen leaves.
 * - the forced-emulation prefix (pv_forced_cpuid): the policy, with
 *   OSXSAVE leaked to the guest kernel.
 */
#include <string.h>
#include "xenemu/le.h"
#include "xenplat/guest.h"
#include "xenplat/traps.h"

#define XEN_CPUID_BASE 0x40000000u
#define XEN_CPUID_LAST 5u
#define XEN_VERSION_MAJOR 4
#define XEN_VERSION_MINOR 17

/* Features the host has that a PV guest does not get (cpufeatureset.h:
 * the ones not marked 'A'). */
#define D1_VME    (1u << 1)
#define D1_PSE    (1u << 3)
#define D1_APIC   (1u << 9)
#define D1_MTRR   (1u << 12)
#define D1_PGE    (1u << 13)
#define D1_PSE36  (1u << 17)
#define D1_DS     (1u << 21)
#define D1_HTT    (1u << 28)
#define D1_HIDDEN (D1_VME | D1_PSE | D1_APIC | D1_MTRR | D1_PGE | D1_PSE36 | \
                   D1_DS | D1_HTT)
#define C1_MONITOR  (1u << 3)
#define C1_VMX      (1u << 5)
#define C1_PCID     (1u << 17)
#define C1_X2APIC   (1u << 21)
#define C1_TSC_DL   (1u << 24)
#define C1_XSAVE    (1u << 26)
#define C1_OSXSAVE  (1u << 27)
#define C1_HYPERVISOR (1u << 31)
#define C1_HIDDEN (C1_MONITOR | C1_VMX | C1_PCID | C1_X2APIC | C1_TSC_DL | \
                   C1_OSXSAVE)
#define B7_SMEP     (1u << 7)
#define B7_INVPCID  (1u << 10)
#define B7_SMAP     (1u << 20)
#define B7_HIDDEN   (B7_SMEP | B7_INVPCID | B7_SMAP)
#define E1C_SVM     (1u << 2)
#define E1C_EXTAPIC (1u << 3)
#define E1C_CR8     (1u << 4)
#define E1C_SKINIT  (1u << 12)
#define E1C_HIDDEN  (E1C_SVM | E1C_EXTAPIC | E1C_CR8 | E1C_SKINIT)
#define E1D_PAGE1GB (1u << 26)
/* The leaf 1 EDX bits AMD repeats in 0x80000001 EDX. */
#define COMMON_1D   0x0183f3ffu

static void xen_leaves(struct vcpu *v, uint32_t leaf, uint32_t sub,
                       uint32_t out[4])
{
    const struct xen *x = v->d->x;

    switch (leaf - XEN_CPUID_BASE) {
    case 0:
        out[0] = XEN_CPUID_BASE + XEN_CPUID_LAST;
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
        out[2] = 1;                 /* PV: MMU_PT_UPDATE_PRESERVE_AD */
        break;
    case 3:
        switch (sub) {
        case 0:
            /* No vTSC; the TSC is reliable (invariant); RDTSCP. */
            out[0] = 1u << 1 | 1u << 2;
            out[1] = 0;             /* tsc_mode default */
            out[2] = (uint32_t)x->clock.tsc_khz;
            out[3] = 0;             /* incarnation */
            break;
        case 1:
            /* Offset: system time at domain creation (0 here); the
             * domain's TSC-to-ns scale. */
            out[2] = (uint32_t)vcpu_info_load(v, VI_TIME + VTI_MUL, 4);
            out[3] = (uint32_t)(int32_t)(int8_t)
                     vcpu_info_load8(v, VI_TIME + VTI_SHIFT);
            break;
        case 2:
            out[0] = (uint32_t)x->clock.tsc_khz;
            break;
        }
        break;
    case 5:
        /* PV: machine address width, flsl(highest MFN) + PAGE_SHIFT. */
        if (sub == 0) {
            uint64_t top = x->nr_frames - 1;
            unsigned bits = 0;
            while (top) {
                bits++;
                top >>= 1;
            }
            out[1] = bits + PAGE_SHIFT;
        }
        break;
    default:                        /* 4: HVM only */
        break;
    }
}

/* The policy's answer (guest_cpuid). */
void pv_guest_cpuid(struct vcpu *v, uint32_t leaf, uint32_t sub,
                    uint32_t out[4])
{
    memset(out, 0, 4 * sizeof(uint32_t));
    if (leaf >= XEN_CPUID_BASE && leaf <= XEN_CPUID_BASE + XEN_CPUID_LAST) {
        xen_leaves(v, leaf, sub, out);
        return;
    }
    cpu_cpuid_builtin(&v->cpu, leaf, sub, out);
    switch (leaf) {
    case 0: case 2: case 3: case 0x80000000: case 0x80000002:
    case 0x80000003: case 0x80000004:
        break;
    case 1:
        out[1] &= 0x00ffffffu;          /* APIC id: 0 for PV */
        out[2] = (out[2] & ~C1_HIDDEN) | C1_HYPERVISOR;
        out[3] &= ~D1_HIDDEN;
        /* OSXSAVE is not in the featureset: it follows the guest's CR4. */
        if (v->cr4_guest & CR4_OSXSAVE)
            out[2] |= C1_OSXSAVE;
        break;
    case 0xd:
        /* The model's components are x87 and SSE, whose sizes do not
         * depend on XCR0; XSAVES is HVM-only, which the model lacks. */
        break;
    case 7:
        if (sub == 0) {
            out[1] &= ~B7_HIDDEN;
            out[2] = out[3] = 0;
        }
        break;
    case 0x80000001:
        out[1] &= 0xff00ffffu;
        out[2] &= ~E1C_HIDDEN;
        out[3] = (out[3] & ~(COMMON_1D | E1D_PAGE1GB)) |
                 (out[3] & COMMON_1D & ~D1_HIDDEN);
        break;
    case 0x80000008:
        out[0] &= 0xffff;
        out[1] = 0;
        out[2] &= 0x3f0ff;
        out[3] = 0;
        break;
    case 0x80000007:
        out[3] &= 1u << 8;              /* invariant TSC only */
        out[0] = out[1] = out[2] = 0;
        break;
    default:
        /* Cache (4), MONITOR (5), power (6), topology (0xb): empty for
         * PV on AMD. */
        memset(out, 0, 4 * sizeof(uint32_t));
        break;
    }
}

bool pv_policy_xsave(struct vcpu *v)
{
    uint32_t out[4];

    pv_guest_cpuid(v, 1, 0, out);
    return out[2] & C1_XSAVE;
}

/* The forced-emulation CPUID (ud2; "xen"; cpuid).  Xen "leaks" OSXSAVE
 * from its own CR4 to a guest kernel asking this way while the policy has
 * XSAVE, for old kernels that test OSXSAVE instead of XSAVE: Linux's PV
 * CPUID is this one, and xen_check_xsave() wants both bits before it sets
 * CR4.OSXSAVE itself (cpuid.c guest_cpuid, leaf 1). */
void pv_forced_cpuid(struct vcpu *v, uint32_t leaf, uint32_t sub, bool kernel,
                     uint32_t out[4])
{
    pv_guest_cpuid(v, leaf, sub, out);
    if (leaf == 1 && kernel && (out[2] & C1_XSAVE) &&
        (v->cpu.cr4 & CR4_OSXSAVE))
        out[2] |= C1_OSXSAVE;
}

/* The CPUID instruction itself (the vCPU's cpuid hook). */
void pv_cpuid(struct vcpu *v, uint32_t leaf, uint32_t sub, uint32_t out[4])
{
    uint32_t pol[4];

    cpu_cpuid_builtin(&v->cpu, leaf, sub, out);
    if (leaf == 1 || leaf == 0x80000001 || (leaf == 7 && sub == 0)) {
        pv_guest_cpuid(v, leaf, sub, pol);
        if (leaf == 7) {
            out[0] = pol[0];
            out[1] = pol[1];
        } else {
            out[2] = pol[2];
            out[3] = pol[3];
        }
    }
}
