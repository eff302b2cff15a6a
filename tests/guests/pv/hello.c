#include "pvrt.h"
int main(void)
{
    long v = HYPERCALL(__HYPERVISOR_xen_version, 0, 0, 0);
    printf("hello from a PV guest, Xen %ld.%ld, start_info %p: %s\n",
           v >> 16, v & 0xffff, pv_start_info, (char *)pv_start_info);
    return 0;
}
