/*
 * Host harness for the intbench workload: runs the very object file the
 * guest kernel links (bench/workload.64.o) natively on an x86-64 host, so
 * that `valgrind --tool=callgrind` can count its instructions once.
 *
 *   intbench-host [ROUNDS]
 */
#include <stdio.h>
#include <stdlib.h>
#include "workload.h"

int main(int argc, char **argv)
{
    unsigned rounds = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 0)
                               : INTBENCH_ROUNDS;
    printf("intbench checksum %016llx\n", (unsigned long long)workload(rounds));
    return 0;
}
