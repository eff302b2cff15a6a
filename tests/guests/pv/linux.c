/*
 * What Debian's Linux 6.1 (a 64-bit PV kernel without a hypercall page)
 * asks of the platform early in xen_start_kernel, in its order; each line
 * reproduces something its boot needed.
 */
#include "pvrt.h"

enum { XENVER_get_features = 6, XENFEAT_pae_pgdir_above_4gb = 4 };
enum { VMASST_writable_pagetables = 2, VMASST_pae_extended_cr3 = 3,
       VMASST_runstate_update_flag = 5 };

/* A hypercall as Linux issues it: `syscall` from guest kernel mode. */
static long direct_hypercall(unsigned long nr, unsigned long a1,
                             unsigned long a2)
{
    long r;

    __asm__ volatile("syscall"
                     : "=a"(r), "+D"(a1), "+S"(a2)
                     : "0"(nr)
                     : "rcx", "r11", "memory");
    return r;
}

static uint32_t features(void)
{
    uint32_t fi[2] = { 0, 0 };          /* submap_idx, submap */
    long r = direct_hypercall(__HYPERVISOR_xen_version, XENVER_get_features,
                              (unsigned long)fi);

    return r ? 0xdeadbeef : fi[1];
}

int main(void)
{
    long v = direct_hypercall(__HYPERVISOR_xen_version, 0, 0);

    printf("xen_version by direct syscall: %ld.%ld\n", v >> 16, v & 0xffff);
    printf("pae_pgdir_above_4gb before: %u\n",
           (unsigned)(features() >> XENFEAT_pae_pgdir_above_4gb) & 1);
    printf("vm_assist writable_pagetables: %ld\n",
           HYPERCALL(__HYPERVISOR_vm_assist, 0, VMASST_writable_pagetables, 0));
    printf("vm_assist pae_extended_cr3: %ld\n",
           HYPERCALL(__HYPERVISOR_vm_assist, 0, VMASST_pae_extended_cr3, 0));
    printf("vm_assist runstate_update_flag: %ld\n",
           HYPERCALL(__HYPERVISOR_vm_assist, 0, VMASST_runstate_update_flag, 0));
    printf("vm_assist type 6: %ld\n", HYPERCALL(__HYPERVISOR_vm_assist, 0, 6, 0));
    printf("pae_pgdir_above_4gb after: %u\n",
           (unsigned)(features() >> XENFEAT_pae_pgdir_above_4gb) & 1);
    return 0;
}
