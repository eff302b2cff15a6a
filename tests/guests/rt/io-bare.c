/* Console and exit on the bare machine: debug console port 0xE9 and the
 * isa-debug-exit port 0xF4 (status (code << 1) | 1). */
#include "rt.h"

#define DEBUGCON_PORT 0xe9
#define DEBUG_EXIT_PORT 0xf4

void rt_putc(char c)
{
    outb(DEBUGCON_PORT, (uint8_t)c);
}

void rt_exit(int code)
{
    outl(DEBUG_EXIT_PORT, (uint32_t)code);
    for (;;)
        __asm__ volatile("cli; hlt");
}
