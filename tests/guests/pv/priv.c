/*
 * What Xen emulates for a PV domU (pv/emul-priv-op.c, emul-inv-op.c,
 * misc-hypercalls.c): control registers, MSRs, port I/O under the virtual
 * IOPL and I/O bitmap, CLI/STI, debug registers, forced-emulation CPUID.
 */
#include "pvrt.h"

enum { PHYSDEVOP_set_iopl = 6, PHYSDEVOP_set_iobitmap = 7 };

static unsigned long msr_no;
static unsigned long long msr_val;
static void do_rdmsr(void)
{
    unsigned lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"((unsigned)msr_no));
    msr_val = (unsigned long long)hi << 32 | lo;
}

static void rdmsr_show(unsigned long msr, const char *name)
{
    struct pv_trap t;
    int v;

    msr_no = msr;
    v = pv_try(do_rdmsr, &t);
    if (v == PV_NO_TRAP)
        printf("rdmsr %-14s %#llx\n", name, msr_val);
    else
        printf("rdmsr %-14s vector %d error %#lx\n", name, v, t.error);
}

static unsigned char port_val;
static void do_in80(void)
{
    unsigned char a = 0x12;
    __asm__ volatile("inb $0x80, %0" : "+a"(a));
    port_val = a;
}
static void do_in60(void)
{
    unsigned char a = 0x12;
    __asm__ volatile("inb %w1, %0" : "+a"(a) : "d"(0x60));
    port_val = a;
}
static void do_in61(void)
{
    unsigned char a = 0x12;
    __asm__ volatile("inb %w1, %0" : "+a"(a) : "d"(0x61));
    port_val = a;
}
static void do_cli(void) { __asm__ volatile("cli; sti"); }
static void do_invd(void) { __asm__ volatile("invd"); }

static void io_show(const char *what, void (*fn)(void))
{
    struct pv_trap t;
    int v = pv_try(fn, &t);

    if (v == PV_NO_TRAP)
        printf("%-22s ok %#x\n", what, port_val);
    else
        printf("%-22s vector %d error %#lx\n", what, v, t.error);
}

static void do_cpuid(unsigned leaf, unsigned r[4], int forced)
{
    if (forced)
        __asm__ volatile("ud2; .ascii \"xen\"; cpuid"
                         : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
                         : "a"(leaf), "c"(0));
    else
        __asm__ volatile("cpuid"
                         : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
                         : "a"(leaf), "c"(0));
}

static unsigned char iobitmap[8192];

int main(void)
{
    unsigned long cr0, cr3, cr4, dr7;
    unsigned r[4];
    unsigned i;

    pv_trap_init();

    __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
    __asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
    __asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
    printf("cr0 %#lx cr4 %#lx\n", cr0, cr4);
    {
        /* cr3 names the top-level table of start_info.pt_base. */
        unsigned long pt_base, mfn;
#ifdef __x86_64__
        /* start_info: pt_base @88, mfn_list @104 */
        pt_base = *(unsigned long *)((char *)pv_start_info + 88);
        mfn = ((unsigned long *)*(unsigned long *)((char *)pv_start_info +
                                                   104))[pt_base >> 12];
        printf("cr3 %s xen_pfn_to_cr3(mfn of pt_base)\n",
               cr3 == mfn << 12 ? "==" : "!=");
#else
        /* start_info: pt_base @60, mfn_list @68 */
        pt_base = *(unsigned long *)((char *)pv_start_info + 60);
        mfn = ((unsigned long *)*(unsigned long *)((char *)pv_start_info +
                                                   68))[pt_base >> 12];
        printf("cr3 %s compat_pfn_to_cr3(mfn of pt_base)\n",
               cr3 == ((mfn << 12) | (mfn >> 20)) ? "==" : "!=");
#endif
    }
    HYPERCALL(__HYPERVISOR_fpu_taskswitch, 1, 0, 0);
    __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
    printf("cr0 with TS %#lx\n", cr0);
    __asm__ volatile("clts; mov %%cr0, %0" : "=r"(cr0));
    printf("cr0 after clts %#lx\n", cr0);
    cr4 = 0x2ffff;
    __asm__ volatile("mov %0, %%cr4; mov %%cr4, %0" : "+r"(cr4));
    printf("cr4 after writing 0x2ffff %#lx\n", cr4);

    rdmsr_show(0xc0000080, "EFER");
    rdmsr_show(0x277, "PAT");
    rdmsr_show(0xc0010015, "HWCR");
    rdmsr_show(0xc0011029, "DE_CFG");
    rdmsr_show(0xc0000103, "TSC_AUX");
    rdmsr_show(0xc0010000, "K7_EVNTSEL0");
    rdmsr_show(0xc0000100, "FS_BASE");
    rdmsr_show(0x1b, "APIC_BASE");
    rdmsr_show(0x1a0, "MISC_ENABLE");
    rdmsr_show(0x48, "SPEC_CTRL");

    io_show("inb 0x80, iopl 0", do_in80);
    io_show("cli/sti, iopl 0", do_cli);
    {
        unsigned iopl = 1;
        printf("set_iopl(1) %ld\n",
               HYPERCALL(__HYPERVISOR_physdev_op, PHYSDEVOP_set_iopl, &iopl, 0));
    }
    io_show("inb 0x80, iopl 1", do_in80);
    io_show("cli/sti, iopl 1", do_cli);
    io_show("invd", do_invd);
    {
        unsigned iopl = 0;
        struct { unsigned char *bitmap; unsigned nr_ports; } b = {
            iobitmap, 0x400 };
        HYPERCALL(__HYPERVISOR_physdev_op, PHYSDEVOP_set_iopl, &iopl, 0);
        for (i = 0; i < sizeof(iobitmap); i++)
            iobitmap[i] = 0xff;
        iobitmap[0x60 / 8] &= (unsigned char)~(1u << (0x60 % 8));
        printf("set_iobitmap %ld\n",
               HYPERCALL(__HYPERVISOR_physdev_op, PHYSDEVOP_set_iobitmap, &b, 0));
    }
    io_show("inb 0x60, bitmap", do_in60);
    io_show("inb 0x61, bitmap", do_in61);

    printf("set_debugreg(7, 1) %ld\n",
           HYPERCALL(__HYPERVISOR_set_debugreg, 7, 1, 0));
    printf("get_debugreg(7) %#lx\n",
           HYPERCALL(__HYPERVISOR_get_debugreg, 7, 0, 0));
    printf("set_debugreg(7, GD) %ld\n",
           HYPERCALL(__HYPERVISOR_set_debugreg, 7, 0x2000, 0));
    printf("set_debugreg(8) %ld\n",
           HYPERCALL(__HYPERVISOR_set_debugreg, 8, 0, 0));
    printf("get_debugreg(4) %#lx\n",
           HYPERCALL(__HYPERVISOR_get_debugreg, 4, 0, 0));
    __asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
    cr4 &= ~0x8ul;
    __asm__ volatile("mov %0, %%cr4" :: "r"(cr4));
    printf("I/O breakpoint without DE %ld\n",
           HYPERCALL(__HYPERVISOR_set_debugreg, 7, 0x20001, 0));
    cr4 |= 0x8;
    __asm__ volatile("mov %0, %%cr4" :: "r"(cr4));
    printf("I/O breakpoint with DE %ld\n",
           HYPERCALL(__HYPERVISOR_set_debugreg, 7, 0x20001, 0));
    __asm__ volatile("mov %%dr7, %0" : "=r"(dr7));
    printf("mov %%dr7 %#lx, get_debugreg(4) with DE %ld\n", dr7,
           HYPERCALL(__HYPERVISOR_get_debugreg, 4, 0, 0));
#ifdef __x86_64__
    printf("set_debugreg(0, Xen's range) %ld\n",
           HYPERCALL(__HYPERVISOR_set_debugreg, 0, 0xffff800000000000ul, 0));
#endif
    HYPERCALL(__HYPERVISOR_set_debugreg, 7, 0, 0);

    do_cpuid(0x40000000, r, 0);
    printf("cpuid 0x40000000 native %08x %08x %08x %08x\n", r[0], r[1], r[2], r[3]);
    do_cpuid(0x40000000, r, 1);
    printf("cpuid 0x40000000 forced %08x %08x %08x %08x\n", r[0], r[1], r[2], r[3]);
    do_cpuid(0x40000001, r, 1);
    printf("cpuid 0x40000001 forced %08x\n", r[0]);
    do_cpuid(0x40000002, r, 1);
    printf("cpuid 0x40000002 forced %08x %08x %08x\n", r[0], r[1], r[2]);
    do_cpuid(1, r, 0);
    printf("cpuid 1 native %08x %08x %08x %08x\n", r[0], r[1], r[2], r[3]);
    do_cpuid(1, r, 1);
    printf("cpuid 1 forced %08x %08x %08x %08x\n", r[0], r[1], r[2], r[3]);
    do_cpuid(7, r, 1);
    printf("cpuid 7 forced %08x %08x %08x %08x\n", r[0], r[1], r[2], r[3]);
    do_cpuid(0x80000001, r, 1);
    printf("cpuid 0x80000001 forced %08x %08x %08x %08x\n", r[0], r[1], r[2], r[3]);
    return 0;
}
