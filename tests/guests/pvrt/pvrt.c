/* The PV runtime: console through console_io, exit through sched_op. */
#include "pvrt.h"

void *pv_start_info;

int main(void);

/* Console output: a hypercall a character, or with pv_console_lines()
 * one a line (fewer hypercalls to look at in a trace). */
static char line[128];
static unsigned line_len;
static int by_line;

void pv_console_lines(int on)
{
    pv_console_flush();
    by_line = on;
}

void pv_console_flush(void)
{
    if (line_len)
        HYPERCALL(__HYPERVISOR_console_io, 0, line_len, line);
    line_len = 0;
}

void rt_putc(char c)
{
    if (!by_line) {
        HYPERCALL(__HYPERVISOR_console_io, 0, 1, &c);
        return;
    }
    line[line_len++] = c;
    if (c == '\n' || line_len == sizeof(line))
        pv_console_flush();
}

RT_NORETURN void pv_shutdown(unsigned reason)
{
    uint32_t r = reason;

    pv_console_flush();
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
