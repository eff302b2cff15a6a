/* The PV console ring: output through the ring (not console_io), input
 * replayed from console.input at fixed instruction counts (--input, see
 * console64.args, console32.args), read from the ring's `in` buffer. */
#include "evtlib.h"

#define RING_IN_CONS  3072
#define RING_IN_PROD  3076
#define RING_OUT_CONS 3080
#define RING_OUT_PROD 3084
#ifdef __x86_64__
#define M2P ((volatile unsigned long *)0xffff800000000000ul)
#else
#define M2P ((volatile unsigned long *)0xf5800000ul)
#endif

static volatile uint8_t *ring;
static unsigned port;

static volatile uint32_t *ring32(unsigned off)
{
    return (volatile uint32_t *)(ring + off);
}

static void ring_write(const char *s)
{
    uint32_t prod = *ring32(RING_OUT_PROD);

    for (; *s; s++) {
        while (prod - *ring32(RING_OUT_CONS) >= 2048)
            ;
        ring[1024 + (prod++ & 2047)] = (uint8_t)*s;
    }
    __asm__ volatile("" ::: "memory");
    *ring32(RING_OUT_PROD) = prod;
    evt_send(port);
}

/* Wait (spinning: the input is stamped with instruction counts) for a
 * line in the input ring. */
static void ring_read_line(char *buf, unsigned size)
{
    unsigned n = 0;

    while (n + 1 < size) {
        uint32_t cons = *ring32(RING_IN_CONS);
        char ch;
        if (cons == *ring32(RING_IN_PROD))
            continue;
        ch = (char)ring[cons & 1023];
        *ring32(RING_IN_CONS) = cons + 1;
        if (ch == '\n')
            break;
        buf[n++] = ch;
    }
    buf[n] = 0;
    evt_send(port);
}

int main(void)
{
    char line[64];
    unsigned i;

    evt_init();
    port = SI_CONSOLE_PORT(pv_start_info);
    ring = (volatile uint8_t *)(M2P[SI_CONSOLE_MFN(pv_start_info)] << 12);
    ring_write("hello through the console ring\n");
    for (i = 0; i < 2; i++) {
        ring_read_line(line, sizeof(line));
        ring_write("got: ");
        ring_write(line);
        ring_write("\n");
    }
    printf("upcall pending after input: %u\n", vinfo->upcall_pending);
    return 0;
}
