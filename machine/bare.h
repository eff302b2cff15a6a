/*
 * The bare machine: RAM, one CPU started the multiboot way, a debug
 * console on port 0xE9 and QEMU's isa-debug-exit on port 0xF4 (iosize 4).
 * For CPU tests, benchmarks and lessons about rings, side by side with
 * `qemu-system-x86_64 -kernel K -device isa-debug-exit,iobase=0xf4,iosize=4
 * -debugcon stdio`.
 */
#ifndef XENEMU_MACHINE_BARE_H
#define XENEMU_MACHINE_BARE_H

#include "machine/machine.h"

#define BARE_DEBUGCON_PORT  0xE9
#define BARE_DEBUG_EXIT_PORT 0xF4
#define BARE_DEBUG_EXIT_SIZE 4

/* Boot spec->kernel and run it to the end: returns the exit status. */
int bare_run(const struct boot_spec *spec);

/* The status of an isa-debug-exit write of val, exactly as QEMU's:
 * (val << 1) | 1, as the host's exit status sees it (low 8 bits). */
int bare_debug_exit_status(uint32_t val);

#endif
