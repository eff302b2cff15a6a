/* The intbench workload, shared by the guest kernel and the host harness. */
#ifndef INTBENCH_WORKLOAD_H
#define INTBENCH_WORKLOAD_H

#include <stdint.h>

/* Rounds the benchmark runs: about 1.9 million instructions each. */
#ifndef INTBENCH_ROUNDS
#define INTBENCH_ROUNDS 1600
#endif

uint64_t workload(unsigned rounds);

#endif
