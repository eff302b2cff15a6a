/* printf formatting and integer arithmetic (64-bit values in both 32- and
 * 64-bit guests). */
#include "rt.h"

static volatile uint64_t big = 0xfedcba9876543210ull;
static volatile int64_t neg = -1234567890123ll;
static volatile uint32_t u32 = 4000000000u;
static const char *volatile nullstr;

static uint64_t fib(unsigned n)
{
    uint64_t a = 0, b = 1;
    while (n--) {
        uint64_t t = a + b;
        a = b;
        b = t;
    }
    return a;
}

/* 64-bit multiply, shifts, rotates and division by a power of two only:
 * no libgcc helpers in the 32-bit build. */
static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    x ^= x >> 33;
    return x;
}

int main(void)
{
    printf("[%d] [%i] [%u] [%x] [%X]\n", 42, -42, 42u, 0xbeefu, 0xbeefu);
    printf("[%5d] [%-5d] [%05d] [%05x] [%#x] [%#010x]\n", 7, 7, -7, 0xab,
           0xab, 0xab);
    printf("[%c%c%c] [%s] [%8s] [%-8s] [%%]\n", 'a', 'b', 'c', "str", "right",
           "left");
    printf("[%lld] [%llu] [%llx] [%016llx]\n", (long long)neg,
           (unsigned long long)big, (unsigned long long)big,
           (unsigned long long)0x1234);
    printf("[%ld] [%lu] [%lx]\n", -1L, (unsigned long)u32,
           (unsigned long)u32);
    printf("[%d] [%u] [%x]\n", (int)0x80000000u, 0xffffffffu, 0u);
    printf("[%s]\n", nullstr);

    printf("fib(90) = %llu\n", (unsigned long long)fib(90));
    printf("mix(1) = %016llx\n", (unsigned long long)mix(1));
    printf("big >> 4 = %llx, big << 8 = %llx, big / 16 = %llx\n",
           (unsigned long long)(big >> 4), (unsigned long long)(big << 8),
           (unsigned long long)(big / 16));
    printf("u32 * u32 = %llu\n", (unsigned long long)u32 * u32);
    printf("-7 / 2 = %d, -7 %% 2 = %d, 7u / 3 = %u, 7u %% 3 = %u\n",
           -7 / 2, -7 % 2, 7u / 3, 7u % 3);
    printf("strlen = %u, memcmp = %d\n", (unsigned)strlen("guest"),
           memcmp("abc", "abd", 3) < 0 ? -1 : 1);
    return 0;
}
