/*
 * Xen's view of guest memory.
 *
 * Virtual: copy_from_guest/copy_to_guest go through the vCPU's current page
 * tables as Xen's own accesses do (supervisor, CR0.WP honoured, accessed
 * and dirty bits set) and refuse hypervisor addresses; a failure is
 * -XEN_EFAULT, exactly where Xen's would fault.
 * Machine: maddr_* read and write machine memory by address, honouring
 * the decoded-code tracking, for Xen's writes into guest frames.
 */
#ifndef XENEMU_XENPLAT_GUEST_H
#define XENEMU_XENPLAT_GUEST_H

#include "xenplat/domain.h"

/* 64-bit virtual addresses: va with bits 63..48 copies of bit 47, and
 * whether va already is so. */
static inline uint64_t sext48(uint64_t va)
{
    return (uint64_t)((int64_t)(va << 16) >> 16);
}

static inline bool is_canonical(uint64_t va)
{
    return sext48(va) == va;
}

/* Is [va, va+len) a guest address range for v's domain? */
bool guest_range_ok(const struct vcpu *v, uint64_t va, uint64_t len);

int copy_from_guest(struct vcpu *v, uint64_t va, void *buf, size_t len);
int copy_to_guest(struct vcpu *v, uint64_t va, const void *buf, size_t len);

/* Fixed-size guest loads/stores: 0 or -XEN_EFAULT. */
int get_guest_u8(struct vcpu *v, uint64_t va, uint8_t *val);
int get_guest_u16(struct vcpu *v, uint64_t va, uint16_t *val);
int get_guest_u32(struct vcpu *v, uint64_t va, uint32_t *val);
int get_guest_u64(struct vcpu *v, uint64_t va, uint64_t *val);
int put_guest_u8(struct vcpu *v, uint64_t va, uint8_t val);
int put_guest_u16(struct vcpu *v, uint64_t va, uint16_t val);
int put_guest_u32(struct vcpu *v, uint64_t va, uint32_t val);
int put_guest_u64(struct vcpu *v, uint64_t va, uint64_t val);
/* An xen_ulong_t / unsigned long of the guest's ABI (8 or 4 bytes). */
int get_guest_ulong(struct vcpu *v, uint64_t va, uint64_t *val);
int put_guest_ulong(struct vcpu *v, uint64_t va, uint64_t val);

/* Machine memory. */
uint64_t maddr_load(struct xen *x, uint64_t maddr, unsigned size);
void maddr_store(struct xen *x, uint64_t maddr, unsigned size, uint64_t val);

/* The vCPU's vcpu_info fields (machine memory). */
uint8_t vcpu_info_load8(struct vcpu *v, unsigned off);
void vcpu_info_store8(struct vcpu *v, unsigned off, uint8_t val);
uint64_t vcpu_info_load(struct vcpu *v, unsigned off, unsigned size);
void vcpu_info_store(struct vcpu *v, unsigned off, unsigned size,
                     uint64_t val);

#endif
