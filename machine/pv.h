/*
 * The Xen PV machine: xenemu as Xen plus dom0's toolstack for one PV
 * domain — build it from the kernel image, serve its console, run its vCPU
 * against the virtual clock, and end with the status its shutdown reason
 * gives.
 */
#ifndef XENEMU_MACHINE_PV_H
#define XENEMU_MACHINE_PV_H

#include "machine/machine.h"

int pv_run(const struct boot_spec *spec);

#endif
