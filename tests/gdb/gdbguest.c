/* The gdbstub's test guest (tests/gdb/run-all): a 64-bit PV kernel in C,
 * built with debug information and without optimisation so gdb can
 * break on compute, print counter and step by lines. */
#include "pvrt.h"

volatile int counter;

static int square(int x)
{
    return x * x;
}

int compute(int n)
{
    int sum = 0;

    for (int i = 0; i < n; i++) {
        sum += square(i);
        counter = sum;
    }
    return sum;
}

int main(void)
{
    int r = compute(5);

    printf("compute(5) = %d\n", r);
    return 0;
}
