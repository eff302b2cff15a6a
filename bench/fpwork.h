/* The fpbench workload, shared by the guest kernel and the host harness. */
#ifndef FPBENCH_WORK_H
#define FPBENCH_WORK_H

#include <stdint.h>

/* Rounds the benchmark runs. */
#ifndef FPBENCH_ROUNDS
#define FPBENCH_ROUNDS 1000
#endif

/* Needs CR4.OSFXSR set and the x87 initialised (FNINIT); returns the
 * checksum. */
uint64_t fpwork(unsigned rounds);

#endif
