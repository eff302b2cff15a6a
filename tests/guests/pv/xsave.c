/*
 * XSAVE for a PV domU as Xen 4.17 offers it (cpuid.c guest_cpuid,
 * pv/emul-priv-op.c, xstate.c handle_xsetbv): the forced-emulation CPUID
 * leaks OSXSAVE to the kernel, the CPUID instruction follows the guest's
 * CR4.OSXSAVE, XSETBV is emulated (#UD before CR4.OSXSAVE, #GP for a bad
 * XCR or value) and XCR0 then governs XSAVE/XRSTOR.  What Linux's
 * xen_check_xsave() and fpu__init_system_xstate() rely on.
 */
#include "pvrt.h"

#define CR4_OSXSAVE (1ul << 18)

static unsigned xcr_no, xcr_lo, xcr_hi;
static void do_xsetbv(void)
{
    __asm__ volatile("xsetbv" :: "c"(xcr_no), "a"(xcr_lo), "d"(xcr_hi));
}
static void do_xgetbv(void)
{
    __asm__ volatile("xgetbv" : "=a"(xcr_lo), "=d"(xcr_hi) : "c"(xcr_no));
}

static unsigned char area[1024] __attribute__((aligned(64)));
static unsigned mxcsr;
static void do_xsave_roundtrip(void)
{
    unsigned a = 0x1f80, b = 0x1fc0;
    __asm__ volatile("ldmxcsr %0" :: "m"(a));
    __asm__ volatile("xsave %0" : "+m"(area) : "a"(3), "d"(0));
    __asm__ volatile("ldmxcsr %0" :: "m"(b));
    __asm__ volatile("xrstor %0" :: "m"(area), "a"(3), "d"(0));
    __asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
}

static void cpuid_of(unsigned leaf, unsigned sub, unsigned r[4], int forced)
{
    if (forced)
        __asm__ volatile("ud2; .ascii \"xen\"; cpuid"
                         : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
                         : "a"(leaf), "c"(sub));
    else
        __asm__ volatile("cpuid"
                         : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
                         : "a"(leaf), "c"(sub));
}

static void show_leaf1(const char *when)
{
    unsigned f[4], n[4];

    cpuid_of(1, 0, f, 1);
    cpuid_of(1, 0, n, 0);
    printf("%s: forced xsave %u osxsave %u, native xsave %u osxsave %u\n",
           when, f[2] >> 26 & 1, f[2] >> 27 & 1, n[2] >> 26 & 1,
           n[2] >> 27 & 1);
}

static void try(const char *what, void (*fn)(void))
{
    struct pv_trap t;
    int v = pv_try(fn, &t);

    if (v == PV_NO_TRAP)
        printf("%-22s ok %#x:%#x\n", what, xcr_hi, xcr_lo);
    else
        printf("%-22s vector %d error %#lx\n", what, v, t.error);
}

static void xsetbv_try(const char *what, unsigned xcr, unsigned lo,
                       unsigned hi)
{
    xcr_no = xcr;
    xcr_lo = lo;
    xcr_hi = hi;
    try(what, do_xsetbv);
}

int main(void)
{
    unsigned long cr4;
    unsigned r[4];

    pv_trap_init();
    show_leaf1("start");
    __asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
    printf("cr4 osxsave %lu\n", cr4 >> 18 & 1);
    xsetbv_try("xsetbv 0 0:3", 0, 3, 0);

    cr4 |= CR4_OSXSAVE;
    __asm__ volatile("mov %0, %%cr4; mov %%cr4, %0" : "+r"(cr4));
    printf("cr4 osxsave after setting it %lu\n", cr4 >> 18 & 1);
    show_leaf1("osxsave");
    cpuid_of(0xd, 0, r, 1);
    printf("leaf 0xd.0 %08x %08x %08x %08x\n", r[0], r[1], r[2], r[3]);
    cpuid_of(0xd, 1, r, 1);
    printf("leaf 0xd.1 %08x\n", r[0]);

    xcr_no = 0;
    try("xgetbv 0", do_xgetbv);
    xsetbv_try("xsetbv 0 0:1", 0, 1, 0);
    try("xgetbv 0", do_xgetbv);
    xsetbv_try("xsetbv 0 0:3", 0, 3, 0);
    xsetbv_try("xsetbv 0 0:2", 0, 2, 0);
    xsetbv_try("xsetbv 0 0:7", 0, 7, 0);
    xsetbv_try("xsetbv 0 1:3", 0, 3, 1);
    xsetbv_try("xsetbv 1 0:3", 1, 3, 0);
    xcr_no = 0;
    try("xgetbv 0", do_xgetbv);
    try("xsave/xrstor", do_xsave_roundtrip);
    printf("mxcsr after xrstor %#x, xstate_bv %#x\n", mxcsr, area[512]);

    cr4 &= ~CR4_OSXSAVE;
    __asm__ volatile("mov %0, %%cr4" :: "r"(cr4));
    show_leaf1("cleared");
    return 0;
}
