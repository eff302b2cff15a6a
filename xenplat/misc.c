/*
 * The small hypercalls: xen_version, vm_assist, multicall, physdev_op,
 * memory_op, and what a domU sees of the privileged ones.
 */
#include <string.h>
#include "xenemu/le.h"
#include "xenplat/guest.h"
#include "xenplat/hypercall.h"

#define XEN_MAJOR 4
#define XEN_MINOR 17
#define XEN_EXTRAVERSION ".0-xenemu"

/* ---- xen_version (xen/common/kernel.c) ---------------------------------- */

enum {
    XENVER_version = 0, XENVER_extraversion = 1, XENVER_compile_info = 2,
    XENVER_capabilities = 3, XENVER_changeset = 4,
    XENVER_platform_parameters = 5, XENVER_get_features = 6,
    XENVER_pagesize = 7, XENVER_guest_handle = 8, XENVER_commandline = 9,
    XENVER_build_id = 10,
};

/* Feature bits (pub/features.h) a PV domU gets. */
#define XENFEAT_pae_pgdir_above_4gb 4
#define PV_FEATURES 0x1e20e0u

static long put_string(struct vcpu *v, uint64_t va, const char *s,
                       size_t size)
{
    char buf[1024];

    memset(buf, 0, size);
    strncpy(buf, s, size - 1);
    return copy_to_guest(v, va, buf, size) ? -XEN_EFAULT : 0;
}

long do_xen_version(struct vcpu *v, const uint64_t *a)
{
    uint64_t arg = a[1];
    uint32_t idx;

    switch (a[0]) {
    case XENVER_version:
        return XEN_MAJOR << 16 | XEN_MINOR;
    case XENVER_extraversion:
        return put_string(v, arg, XEN_EXTRAVERSION, 16);
    case XENVER_compile_info: {
        uint8_t ci[144] = { 0 };
        strcpy((char *)ci, "xenemu");              /* compiler[64] */
        strcpy((char *)ci + 64, "xenemu");         /* compile_by[16] */
        strcpy((char *)ci + 80, "xenemu");         /* compile_domain[32] */
        strcpy((char *)ci + 112, "");              /* compile_date[32] */
        return copy_to_guest(v, arg, ci, sizeof(ci)) ? -XEN_EFAULT : 0;
    }
    case XENVER_capabilities:
        return put_string(v, arg, "xen-3.0-x86_64 xen-3.0-x86_32p "
                          "hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64",
                          1024);
    case XENVER_changeset:
        return put_string(v, arg, "xenemu", 64);
    case XENVER_platform_parameters:
        return put_guest_ulong(v, arg, is_pv32(v->d)
                               ? HYPERVISOR_VIRT_START_32
                               : HYPERVISOR_VIRT_START_64) ? -XEN_EFAULT : 0;
    case XENVER_get_features: {
        uint32_t map = PV_FEATURES;
        if (get_guest_u32(v, arg, &idx))
            return -XEN_EFAULT;
        if (idx != 0)
            return -XEN_EINVAL;
        if (v->d->vm_assist & (1ul << 3))          /* pae_extended_cr3 */
            map |= 1u << XENFEAT_pae_pgdir_above_4gb;
        return put_guest_u32(v, arg + 4, map) ? -XEN_EFAULT : 0;
    }
    case XENVER_pagesize:
        return PAGE_SIZE;
    case XENVER_guest_handle: {
        uint8_t h[16] = { 0 };
        h[15] = (uint8_t)v->d->domid;              /* a stable UUID */
        return copy_to_guest(v, arg, h, 16) ? -XEN_EFAULT : 0;
    }
    case XENVER_commandline:
    case XENVER_build_id:
        return -XEN_EPERM;                         /* privileged */
    default:
        return -XEN_ENOSYS;
    }
}

/* ---- vm_assist --------------------------------------------------------------- */

/* Xen keeps the 32-bit types valid for 64-bit guests ("we can't make such
 * requests fail all of the sudden"); Linux enables pae_extended_cr3. */
#define VMASST_VALID_64 ((1ul << 0) | (1ul << 1) | (1ul << 2) | (1ul << 3) | \
                         (1ul << 4) | (1ul << 5) | (1ull << 32))
#define VMASST_VALID_32 ((1ul << 0) | (1ul << 1) | (1ul << 2) | (1ul << 3) | \
                         (1ul << 4) | (1ul << 5))

long do_vm_assist(struct vcpu *v, const uint64_t *a)
{
    uint64_t valid = is_pv32(v->d) ? VMASST_VALID_32 : VMASST_VALID_64;

    if (a[1] >= 64 || !(valid & (1ull << a[1])))
        return -XEN_EINVAL;
    switch (a[0]) {
    case 0:
        v->d->vm_assist |= 1ul << a[1];
        return 0;
    case 1:
        v->d->vm_assist &= ~(1ul << a[1]);
        return 0;
    default:
        return -XEN_ENOSYS;
    }
}

/* ---- multicall (xen/common/multicall.c) ------------------------------------- */

long do_multicall(struct vcpu *v, const uint64_t *a)
{
    bool is64 = !is_pv32(v->d);
    unsigned esz = is64 ? 64 : 32, ul = is64 ? 8 : 4, i, k;
    uint64_t list = a[0], nr = a[1], n;

    if (v->multicall_depth)
        return -XEN_EINVAL;
    v->multicall_depth++;
    for (n = 0; n < nr; n++) {
        uint8_t e[64];
        uint64_t args[HYPERCALL_MAX_ARGS] = { 0 }, op;
        long r;

        if (copy_from_guest(v, list + n * esz, e, esz)) {
            v->multicall_depth--;
            return -XEN_EFAULT;
        }
        op = le_load(e, ul);
        for (k = 0; k < 6; k++)
            args[k] = le_load(e + 2 * ul + k * ul, ul);
        v->hc_no_return = false;
        r = hypercall_call(v, op < NR_HYPERCALLS ? (unsigned)op
                                                 : NR_HYPERCALLS, args);
        if (v->hc_no_return)               /* iret: the batch ends */
            break;
        if (put_guest_ulong(v, list + n * esz + ul, (uint64_t)r)) {
            v->multicall_depth--;
            return -XEN_EFAULT;
        }
        if (v->d->state != DOM_RUNNING || v->blocked)
            break;
    }
    (void)i;
    v->multicall_depth--;
    return 0;
}

/* ---- physdev_op (x86/physdev.c) ---------------------------------------------- */

enum {
    PHYSDEVOP_eoi = 12, PHYSDEVOP_irq_status_query = 5,
    PHYSDEVOP_set_iopl = 6, PHYSDEVOP_set_iobitmap = 7,
};

static long physdev_op(struct vcpu *v, unsigned cmd, uint64_t arg)
{
    uint32_t iopl, nr_ports;
    uint64_t bitmap;

    switch (cmd) {
    case PHYSDEVOP_set_iopl:
        if (get_guest_u32(v, arg, &iopl))
            return -XEN_EFAULT;
        if (iopl > 3)
            return -XEN_EINVAL;
        v->iopl = iopl;
        return 0;
    case PHYSDEVOP_set_iobitmap:
        if (get_guest_ulong(v, arg, &bitmap) ||
            get_guest_u32(v, arg + v->d->abi->ulong_size, &nr_ports))
            return -XEN_EFAULT;
        if (nr_ports > 65536)
            return -XEN_EINVAL;
        v->iobmp = bitmap;
        v->iobmp_limit = nr_ports;
        return 0;
    case PHYSDEVOP_eoi:
    case PHYSDEVOP_irq_status_query:
        return -XEN_EINVAL;                /* a domU has no pirqs */
    default:
        return -XEN_ENOSYS;
    }
}

long do_physdev_op(struct vcpu *v, const uint64_t *a)
{
    return physdev_op(v, (unsigned)a[0], a[1]);
}

long do_physdev_op_compat(struct vcpu *v, const uint64_t *a)
{
    uint32_t cmd;

    /* struct physdev_op { uint32_t cmd; union {...} u; }: the union is
     * 8-aligned in the 64-bit ABI. */
    if (get_guest_u32(v, a[0], &cmd))
        return -XEN_EFAULT;
    return physdev_op(v, cmd, a[0] + (is_pv32(v->d) ? 4 : 8));
}

/* ---- what a domU may not do ------------------------------------------------- */

long do_privileged_op(struct vcpu *v, const uint64_t *a)
{
    (void)v;
    (void)a;
    return -XEN_EPERM;
}

long do_xsm_op(struct vcpu *v, const uint64_t *a)
{
    (void)v;
    (void)a;
    return -XEN_ENOSYS;                    /* no XSM module (dummy) */
}

/* Xen's vPMU is off unless booted with vpmu=...; do_xenpmu_op then
 * answers every operation with -EOPNOTSUPP (Linux: "Could not initialize
 * VPMU for cpu 0, error -95" is the normal message). */
long do_xenpmu_op(struct vcpu *v, const uint64_t *a)
{
    (void)v;
    (void)a;
    return -XEN_EOPNOTSUPP;
}
