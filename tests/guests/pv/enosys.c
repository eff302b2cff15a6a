/*
 * Hypercalls xenemu does not implement return -ENOSYS, as Xen's do_ni_hypercall,
 * and xenemu names them in one warning line when the domain ends
 * (enosys64.stderr / enosys32.stderr): xenoprof_op (31, not built into
 * Xen 4.17 by default) twice, hypfs_op (42) once, and number 63, which no
 * Xen has.  xenpmu_op (40) is implemented as Xen without vpmu= answers it:
 * -EOPNOTSUPP, and is not named.
 */
#include "pvrt.h"

int main(void)
{
    printf("xenoprof_op %ld\n", HYPERCALL(31, 0, 0, 0));
    printf("xenpmu_op %ld\n", HYPERCALL(40, 0, 0, 0));
    printf("xenoprof_op %ld\n", HYPERCALL(31, 0, 0, 0));
    printf("hypfs_op %ld\n", HYPERCALL(42, 0, 0, 0));
    printf("#63 %ld\n", HYPERCALL(63, 0, 0, 0));
    return 0;
}
