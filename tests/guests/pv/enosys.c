/*
 * Hypercalls xenemu does not implement return -ENOSYS, as Xen's do_ni_hypercall,
 * and xenemu names them in one warning line when the domain ends
 * (enosys64.stderr / enosys32.stderr): xenpmu_op (40) twice, hypfs_op (42)
 * once, and number 63, which no Xen has.
 */
#include "pvrt.h"

int main(void)
{
    printf("xenpmu_op %ld\n", HYPERCALL(40, 0, 0, 0));
    printf("xenpmu_op %ld\n", HYPERCALL(40, 0, 0, 0));
    printf("hypfs_op %ld\n", HYPERCALL(42, 0, 0, 0));
    printf("#63 %ld\n", HYPERCALL(63, 0, 0, 0));
    return 0;
}
