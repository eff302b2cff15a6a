/* intbench as a bare 64-bit multiboot kernel: run the workload, print its
 * checksum on the debug console and exit through isa-debug-exit. */
#include "rt.h"
#include "workload.h"

int main(void)
{
    printf("intbench: %u rounds\n", (unsigned)INTBENCH_ROUNDS);
    printf("intbench checksum %016llx\n",
           (unsigned long long)workload(INTBENCH_ROUNDS));
    return 0;
}
