/* Xen's accesses to guest virtual and machine memory. */
#include "xenemu/le.h"
#include "xenplat/guest.h"

bool guest_range_ok(const struct vcpu *v, uint64_t va, uint64_t len)
{
    uint64_t last = va + len - 1;

    if (len == 0)
        return true;
    if (last < va)
        return false;
    if (is_pv32(v->d))
        return last < HYPERVISOR_VIRT_START_32;
    if (!is_canonical(va) || !is_canonical(last))
        return false;
    /* Not overlapping Xen's range (a range cannot straddle the canonical
     * hole once both ends are canonical). */
    return last < HYPERVISOR_VIRT_START_64 || va >= HYPERVISOR_VIRT_END_64;
}

int copy_from_guest(struct vcpu *v, uint64_t va, void *buf, size_t len)
{
    if (!guest_range_ok(v, va, len) ||
        cpu_read_virt(&v->cpu, va, buf, len, 0))
        return -XEN_EFAULT;
    return 0;
}

int copy_to_guest(struct vcpu *v, uint64_t va, const void *buf, size_t len)
{
    if (!guest_range_ok(v, va, len) ||
        cpu_write_virt(&v->cpu, va, buf, len, 0))
        return -XEN_EFAULT;
    return 0;
}

static int get_n(struct vcpu *v, uint64_t va, unsigned n, uint64_t *val)
{
    uint8_t b[8];
    int r = copy_from_guest(v, va, b, n);

    if (r == 0)
        *val = le_load(b, n);
    return r;
}

static int put_n(struct vcpu *v, uint64_t va, unsigned n, uint64_t val)
{
    uint8_t b[8];

    le_store(b, n, val);
    return copy_to_guest(v, va, b, n);
}

#define GUEST_ACCESSORS(bits, n)                                             \
int get_guest_u##bits(struct vcpu *v, uint64_t va, uint##bits##_t *val)     \
{                                                                            \
    uint64_t t;                                                              \
    int r = get_n(v, va, n, &t);                                             \
    if (r == 0)                                                              \
        *val = (uint##bits##_t)t;                                            \
    return r;                                                                \
}                                                                            \
int put_guest_u##bits(struct vcpu *v, uint64_t va, uint##bits##_t val)      \
{                                                                            \
    return put_n(v, va, n, val);                                             \
}

GUEST_ACCESSORS(8, 1)
GUEST_ACCESSORS(16, 2)
GUEST_ACCESSORS(32, 4)
GUEST_ACCESSORS(64, 8)

int get_guest_ulong(struct vcpu *v, uint64_t va, uint64_t *val)
{
    return get_n(v, va, v->d->abi->ulong_size, val);
}

int put_guest_ulong(struct vcpu *v, uint64_t va, uint64_t val)
{
    return put_n(v, va, v->d->abi->ulong_size, val);
}

uint64_t maddr_load(struct xen *x, uint64_t maddr, unsigned size)
{
    return phys_load(&x->mem, maddr, size);
}

void maddr_store(struct xen *x, uint64_t maddr, unsigned size, uint64_t val)
{
    phys_store(&x->mem, maddr, size, val);
}

uint8_t vcpu_info_load8(struct vcpu *v, unsigned off)
{
    return (uint8_t)maddr_load(v->d->x, v->vcpu_info_maddr + off, 1);
}

void vcpu_info_store8(struct vcpu *v, unsigned off, uint8_t val)
{
    maddr_store(v->d->x, v->vcpu_info_maddr + off, 1, val);
}

uint64_t vcpu_info_load(struct vcpu *v, unsigned off, unsigned size)
{
    return maddr_load(v->d->x, v->vcpu_info_maddr + off, size);
}

void vcpu_info_store(struct vcpu *v, unsigned off, unsigned size,
                     uint64_t val)
{
    maddr_store(v->d->x, v->vcpu_info_maddr + off, size, val);
}
