/* fpbench as a bare 64-bit multiboot kernel: enable SSE (CR4.OSFXSR and
 * OSXMMEXCPT, CR0.MP set and EM clear), run the workload, print its
 * checksum on the debug console and exit through isa-debug-exit. */
#include "rt.h"
#include "fpwork.h"

#define CR0_MP (1ul << 1)
#define CR0_EM (1ul << 2)
#define CR0_TS (1ul << 3)
#define CR0_NE (1ul << 5)
#define CR4_OSFXSR (1ul << 9)
#define CR4_OSXMMEXCPT (1ul << 10)

int main(void)
{
    write_cr0((read_cr0() & ~(CR0_EM | CR0_TS)) | CR0_MP | CR0_NE);
    write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
    __asm__ volatile("fninit");
    printf("fpbench: %u rounds\n", (unsigned)FPBENCH_ROUNDS);
    printf("fpbench checksum %016llx\n",
           (unsigned long long)fpwork(FPBENCH_ROUNDS));
    return 0;
}
