/*
 * The GDB remote serial protocol's framing, without I/O: packets
 * "$DATA#CS" (CS: the modulo-256 sum of DATA's bytes, two hex digits),
 * acknowledgements '+' and '-', the interrupt byte 0x03, the escape '}'
 * (the next byte XOR 0x20) for '#', '$', '}' and '*' inside DATA, and
 * the hex encodings the packets use.
 */
#ifndef XENEMU_MONITOR_GDB_PACKET_H
#define XENEMU_MONITOR_GDB_PACKET_H

#include <stddef.h>
#include <stdint.h>
#include "xenemu/common.h"

/* The largest packet DATA we take or send (qSupported's PacketSize). */
#define GDB_PACKET_MAX 4096

enum gdb_rx_event {
    GDB_RX_NONE,            /* in the middle of something */
    GDB_RX_PACKET,          /* a whole packet with a good checksum */
    GDB_RX_BAD_CHECKSUM,    /* answer '-' */
    GDB_RX_OVERSIZE,        /* DATA longer than GDB_PACKET_MAX: dropped */
    GDB_RX_INTERRUPT,       /* 0x03 outside a packet */
    GDB_RX_ACK,
    GDB_RX_NACK,
};

struct gdb_rx {
    enum { RX_IDLE, RX_DATA, RX_ESCAPE, RX_SUM1, RX_SUM2 } state;
    uint8_t sum, given;
    bool overflow;
    size_t len;
    char data[GDB_PACKET_MAX + 1];  /* unescaped, NUL-terminated */
};

void gdb_rx_init(struct gdb_rx *rx);
/* Feed one byte; at GDB_RX_PACKET the packet is rx->data[0..rx->len). */
enum gdb_rx_event gdb_rx_byte(struct gdb_rx *rx, uint8_t b);

/* "$DATA#CS" for len bytes of data into out (room: 2 * len + 4): its
 * length.  Bytes needing it are escaped. */
size_t gdb_frame(const void *data, size_t len, char *out);

/* A reply being built (at most GDB_PACKET_MAX bytes; more sets
 * overflow, and the reply becomes an error). */
struct gdb_buf {
    size_t len;
    bool overflow;
    char data[GDB_PACKET_MAX + 1];
};

void gdb_buf_reset(struct gdb_buf *b);
void gdb_buf_str(struct gdb_buf *b, const char *s);
void gdb_buf_bytes(struct gdb_buf *b, const void *data, size_t len);
void gdb_buf_printf(struct gdb_buf *b, const char *fmt, ...)
    XE_PRINTF(2, 3);
/* len bytes as hex pairs. */
void gdb_buf_hex(struct gdb_buf *b, const void *data, size_t len);
/* An integer of size bytes, little-endian, as hex pairs. */
void gdb_buf_le(struct gdb_buf *b, uint64_t v, unsigned size);

/* The value of a hex digit, or -1. */
int gdb_hex_digit(int c);
/* 2 * len hex digits into len bytes: 0, or -1. */
int gdb_unhex(const char *s, size_t len, void *out);
/* A hex number at *s, moving *s past it: 0, or -1 (none, or more than
 * 64 bits). */
int gdb_parse_hex(const char **s, uint64_t *v);

#endif
