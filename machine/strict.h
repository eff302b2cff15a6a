/* --strict: report the unimplemented instruction that stopped the CPU. */
#ifndef XENEMU_MACHINE_STRICT_H
#define XENEMU_MACHINE_STRICT_H

#include "cpu/cpu.h"

/* One error line naming the address and bytes; returns XE_EXIT_STRICT. */
int strict_stop_report(const struct cpu *c);

#endif
