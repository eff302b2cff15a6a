/*
 * Host harness for the fpbench workload: runs the very object file the
 * guest kernel links (bench/fpwork.64.o) natively on an x86-64 host, so
 * that `valgrind --tool=callgrind` can count its instructions once and the
 * checksum can be compared with the hardware's.
 *
 *   fpbench-host [ROUNDS]
 */
#include <stdio.h>
#include <stdlib.h>
#include "fpwork.h"

int main(int argc, char **argv)
{
    unsigned rounds = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 0)
                               : FPBENCH_ROUNDS;
    printf("fpbench checksum %016llx\n", (unsigned long long)fpwork(rounds));
    return 0;
}
