/* The PV runtime: console through console_io, exit through sched_op. */
#include "pvrt.h"

void *pv_start_info;

int main(void);

/* Weak: a kernel may print its own way (the demo: a line a hypercall). */
__attribute__((weak)) void rt_putc(char c)
{
    HYPERCALL(__HYPERVISOR_console_io, 0, 1, &c);
}

RT_NORETURN void pv_shutdown(unsigned reason)
{
    uint32_t r = reason;

    for (;;)
        HYPERCALL(__HYPERVISOR_sched_op, SCHEDOP_shutdown, &r, 0);
}

/* Exit codes: 0 = poweroff, anything else = crash (status 4). */
RT_NORETURN void rt_exit(int code)
{
    pv_shutdown(code == RT_EXIT_PASS ? SHUTDOWN_poweroff : SHUTDOWN_crash);
}

void pv_start(void)
{
    rt_exit(main());
}
