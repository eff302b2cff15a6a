/* The smallest guest: one line on the console, then a passing exit. */
#include "rt.h"

int main(void)
{
    printf("hello from a %d-bit guest\n", (int)sizeof(void *) * 8);
    return 0;
}
