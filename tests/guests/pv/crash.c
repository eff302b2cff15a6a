/*
 * Ways a PV domain crashes, chosen by its command line, for the crash-path
 * runs (crash64/crash32: Xen crashes it for an exception with no handler;
 * crash-*.cfg: on_crash = destroy / preserve / restart, the guest's own
 * SCHEDOP_shutdown(crash), a kernel stack Xen cannot write a frame to).
 * Known values go into registers first so that the register dump xenemu
 * prints can be checked.
 */
#include "pvrt.h"

#ifdef __x86_64__
#define SI_CMDLINE 128
#define MARK_REGS() __asm__ volatile("mov $0xb0b0, %%ebx\n mov $0xd1d1, %%edi" \
                                     ::: "rbx", "rdi")
#else
#define SI_CMDLINE 80
#define MARK_REGS() __asm__ volatile("mov $0xb0b0, %%ebx\n mov $0xd1d1, %%edi" \
                                     ::: "ebx", "edi")
#endif

static const char *cmdline(void)
{
    return (const char *)pv_start_info + SI_CMDLINE;
}

int main(void)
{
    const char *what = cmdline();

    printf("booted, command line \"%s\"\n", what);
    if (!strcmp(what, "shutdown")) {
        uint32_t reason = SHUTDOWN_crash;
        MARK_REGS();
        HYPERCALL(__HYPERVISOR_sched_op, SCHEDOP_shutdown, &reason, 0);
        printf("FAIL: still running\n");
        return 1;
    }
    if (!strcmp(what, "stack")) {
        /* A trap table, but the stack the frame would go on is not
         * mapped: Xen cannot deliver the #BP. */
        pv_trap_init();
        MARK_REGS();
#ifdef __x86_64__
        __asm__ volatile("mov $0x10000000, %%rsp\n int3" ::: "memory");
#else
        __asm__ volatile("mov $0x10000000, %%esp\n int3" ::: "memory");
#endif
    }
    /* No trap table: Xen has nowhere to send the #UD. */
    MARK_REGS();
    __asm__ volatile("ud2");
    return 1;
}
