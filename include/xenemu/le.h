/*
 * Little-endian accessors for guest memory and guest ABI structures.
 *
 * Every guest-visible byte is read and written through these, at explicit
 * offsets: never a host struct laid over guest memory, never an unaligned
 * host dereference.  Compilers turn the byte assembly into one load/store on
 * little-endian hosts and into a byte-reversing load on big-endian ones.
 */
#ifndef XENEMU_LE_H
#define XENEMU_LE_H

#include <stdint.h>

static inline uint8_t le8_load(const uint8_t *p) { return p[0]; }

static inline uint16_t le16_load(const uint8_t *p)
{
    return (uint16_t)(p[0] | (uint16_t)p[1] << 8);
}

static inline uint32_t le32_load(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 |
           (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t le64_load(const uint8_t *p)
{
    return (uint64_t)le32_load(p) | (uint64_t)le32_load(p + 4) << 32;
}

static inline void le8_store(uint8_t *p, uint8_t v) { p[0] = v; }

static inline void le16_store(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static inline void le32_store(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static inline void le64_store(uint8_t *p, uint64_t v)
{
    le32_store(p, (uint32_t)v);
    le32_store(p + 4, (uint32_t)(v >> 32));
}

/* Load/store of 1, 2, 4 or 8 bytes, zero-extended. */
static inline uint64_t le_load(const uint8_t *p, unsigned size)
{
    switch (size) {
    case 1: return p[0];
    case 2: return le16_load(p);
    case 4: return le32_load(p);
    default: return le64_load(p);
    }
}

static inline void le_store(uint8_t *p, unsigned size, uint64_t v)
{
    switch (size) {
    case 1: p[0] = (uint8_t)v; break;
    case 2: le16_store(p, (uint16_t)v); break;
    case 4: le32_store(p, (uint32_t)v); break;
    default: le64_store(p, v); break;
    }
}

#endif
