/*
 * (a) Long-mode entry: the runtime came from the 32-bit multiboot entry
 * through PAE paging and EFER.LME into 64-bit mode.  Checks the resulting
 * state, a round trip through compatibility mode and the IDT.
 */
#include "bare.h"

/* In compatibility mode 0x48 is DEC EAX; in 64-bit mode it is a REX.W
 * prefix (here of a NOP).  Called with a 32-bit far call, returns with a
 * 32-bit far return. */
ASM_FN(compat_probe,
       ".code32\n"
       "xor %eax, %eax\n"
       ".byte 0x48\n"
       "nop\n"
       "mov %cs, %edx\n"
       "lret\n"
       ".code64");

/* The same two bytes in 64-bit mode. */
ASM_FN(long_probe,
       "xor %eax, %eax\n"
       ".byte 0x48\n"
       "nop\n"
       "mov %cs, %edx\n"
       "ret");

ASM_FN(int3_probe, "int3\n ret");

struct far32 {
    uint32_t off;
    uint16_t sel;
} __attribute__((packed));

static void show_bit(const char *name, uint64_t reg, uint64_t bit)
{
    printf(" %s=%d", name, (reg & bit) != 0);
}

int main(void)
{
    uint64_t efer = rdmsr(MSR_EFER), cr0 = read_cr0(), cr4 = read_cr4();
    uint32_t eax, edx;
    struct rt_trap t;

    printf("multiboot magic %#x\n", rt_mb_magic);
    printf("multiboot info %s\n", rt_mb_info ? "present" : "missing");
    printf("cr0:");
    show_bit("PE", cr0, X86_CR0_PE);
    show_bit("WP", cr0, X86_CR0_WP);
    show_bit("PG", cr0, X86_CR0_PG);
    printf("\ncr4:");
    show_bit("PAE", cr4, X86_CR4_PAE);
    printf("\nefer:");
    show_bit("LME", efer, EFER_LME);
    show_bit("LMA", efer, EFER_LMA);
    show_bit("NXE", efer, EFER_NXE);
    printf("\ncs %#x ss %#x cpl %d tr %#x\n", read_cs(), read_ss(),
           read_cs() & 3, read_tr());
    printf("rflags: IF=%d\n", (read_flags() & X86_FL_IF) != 0);
    printf("cr3 == rt_pml4: %d\n", read_cr3() == (uintptr_t)rt_pml4);

    volatile uint64_t x = 0x123456789abcdef0ull;
    printf("64-bit regs: %lx %lx\n", (unsigned long)(x >> 36),
           (unsigned long)(x << 28));

    __asm__ volatile("call *%2" : "=a"(eax), "=d"(edx) : "r"(long_probe)
                     : "memory");
    printf("64-bit mode: 48 90 -> eax %#x, cs %#x\n", eax, edx);

    static struct far32 fp;
    fp.off = (uint32_t)(uintptr_t)compat_probe;
    fp.sel = KERNEL_CS32;
    __asm__ volatile("lcall *%2" : "=a"(eax), "=d"(edx) : "m"(fp) : "memory");
    printf("compat mode: 48 90 -> eax %#x, cs %#x\n", eax, edx);
    printf("back in 64-bit mode: cs %#x\n", read_cs());

    report("call, no trap", TRY(long_probe, &t), &t, long_probe, 0);
    report("int3 through the IDT", TRY(int3_probe, &t), &t, int3_probe, 0);
    return 0;
}
