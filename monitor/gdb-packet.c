/* The remote protocol's framing and hex (see gdb-packet.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "monitor/gdb-packet.h"

static const char hexdigits[] = "0123456789abcdef";

void gdb_rx_init(struct gdb_rx *rx)
{
    rx->state = RX_IDLE;
    rx->len = 0;
    rx->overflow = false;
    rx->data[0] = '\0';
}

int gdb_hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static void rx_store(struct gdb_rx *rx, uint8_t b)
{
    if (rx->len < GDB_PACKET_MAX)
        rx->data[rx->len++] = (char)b;
    else
        rx->overflow = true;
}

/* The checksum's second digit arrived: what the packet was. */
static enum gdb_rx_event rx_end(struct gdb_rx *rx)
{
    rx->state = RX_IDLE;
    rx->data[rx->len] = '\0';
    if (rx->overflow)
        return GDB_RX_OVERSIZE;
    return rx->given == rx->sum ? GDB_RX_PACKET : GDB_RX_BAD_CHECKSUM;
}

static enum gdb_rx_event rx_idle(struct gdb_rx *rx, uint8_t b)
{
    switch (b) {
    case '$':
        rx->state = RX_DATA;
        rx->len = 0;
        rx->sum = 0;
        rx->overflow = false;
        return GDB_RX_NONE;
    case 0x03: return GDB_RX_INTERRUPT;
    case '+': return GDB_RX_ACK;
    case '-': return GDB_RX_NACK;
    default: return GDB_RX_NONE;        /* noise between packets */
    }
}

enum gdb_rx_event gdb_rx_byte(struct gdb_rx *rx, uint8_t b)
{
    int v;

    switch (rx->state) {
    case RX_IDLE:
        return rx_idle(rx, b);
    case RX_DATA:
        if (b == '#') {
            rx->state = RX_SUM1;
            return GDB_RX_NONE;
        }
        if (b == '$') {                 /* a new start: the old is lost */
            rx->len = 0;
            rx->sum = 0;
            rx->overflow = false;
            return GDB_RX_NONE;
        }
        rx->sum = (uint8_t)(rx->sum + b);
        if (b == '}')
            rx->state = RX_ESCAPE;
        else
            rx_store(rx, b);
        return GDB_RX_NONE;
    case RX_ESCAPE:
        rx->sum = (uint8_t)(rx->sum + b);
        rx_store(rx, b ^ 0x20);
        rx->state = RX_DATA;
        return GDB_RX_NONE;
    case RX_SUM1:
        v = gdb_hex_digit(b);
        rx->given = (uint8_t)((v < 0 ? 0 : v) << 4);
        if (v < 0)
            rx->sum = (uint8_t)~rx->sum;    /* cannot match any more */
        rx->state = RX_SUM2;
        return GDB_RX_NONE;
    case RX_SUM2:
        v = gdb_hex_digit(b);
        if (v < 0) {
            rx->given = (uint8_t)~rx->sum;
            return rx_end(rx);
        }
        rx->given = (uint8_t)(rx->given | v);
        return rx_end(rx);
    }
    return GDB_RX_NONE;
}

size_t gdb_frame(const void *data, size_t len, char *out)
{
    const uint8_t *p = data;
    uint8_t sum = 0;
    size_t n = 0;

    out[n++] = '$';
    for (size_t i = 0; i < len; i++) {
        uint8_t b = p[i];
        if (b == '#' || b == '$' || b == '}' || b == '*') {
            out[n++] = '}';
            sum = (uint8_t)(sum + '}');
            b ^= 0x20;
        }
        out[n++] = (char)b;
        sum = (uint8_t)(sum + b);
    }
    out[n++] = '#';
    out[n++] = hexdigits[sum >> 4];
    out[n++] = hexdigits[sum & 15];
    return n;
}

void gdb_buf_reset(struct gdb_buf *b)
{
    b->len = 0;
    b->overflow = false;
    b->data[0] = '\0';
}

static void buf_put(struct gdb_buf *b, const char *s, size_t n)
{
    if (b->overflow || n > GDB_PACKET_MAX - b->len) {
        b->overflow = true;
        return;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void gdb_buf_bytes(struct gdb_buf *b, const void *data, size_t len)
{
    buf_put(b, data, len);
}

void gdb_buf_str(struct gdb_buf *b, const char *s)
{
    buf_put(b, s, strlen(s));
}

void gdb_buf_printf(struct gdb_buf *b, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof(tmp))
        b->overflow = true;
    else
        buf_put(b, tmp, (size_t)n);
}

void gdb_buf_hex(struct gdb_buf *b, const void *data, size_t len)
{
    const uint8_t *p = data;

    for (size_t i = 0; i < len; i++) {
        char two[2] = { hexdigits[p[i] >> 4], hexdigits[p[i] & 15] };
        buf_put(b, two, 2);
    }
}

void gdb_buf_le(struct gdb_buf *b, uint64_t v, unsigned size)
{
    uint8_t bytes[8];

    for (unsigned i = 0; i < size && i < 8; i++)
        bytes[i] = (uint8_t)(v >> (8 * i));
    gdb_buf_hex(b, bytes, size < 8 ? size : 8);
}

int gdb_unhex(const char *s, size_t len, void *out)
{
    uint8_t *p = out;

    for (size_t i = 0; i < len; i++) {
        int hi = gdb_hex_digit((unsigned char)s[2 * i]);
        int lo = hi < 0 ? -1 : gdb_hex_digit((unsigned char)s[2 * i + 1]);
        if (lo < 0)
            return -1;
        p[i] = (uint8_t)(hi << 4 | lo);
    }
    return 0;
}

int gdb_parse_hex(const char **s, uint64_t *v)
{
    const char *p = *s;
    uint64_t x = 0;
    int d, n = 0;

    while ((d = gdb_hex_digit((unsigned char)*p)) >= 0) {
        if (x >> 60)
            return -1;
        x = x << 4 | (uint64_t)d;
        p++;
        n++;
    }
    if (!n)
        return -1;
    *s = p;
    *v = x;
    return 0;
}
