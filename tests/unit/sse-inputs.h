/*
 * The input state of the SSE known-answer vectors (test-cpu-sse.c),
 * derived from a kind and a seed, so that a vector needs only its
 * instruction, seed and result.  vectors/gen-sse.c builds the same
 * inputs on an x86-64 host and records what the host CPU computes.
 */
#ifndef SSE_INPUTS_H
#define SSE_INPUTS_H

#include <stdint.h>

struct sse_state {
    uint64_t x[3][2];           /* XMM0..XMM2, low quadword first */
    uint64_t mm[3];             /* MM0..MM2 */
    uint64_t rax, rcx, rdx;
    uint64_t fl;                /* RFLAGS */
};

enum {
    SK_EDGE,    /* lanes biased to 0, 1, the signed and unsigned limits */
    SK_RAND,    /* uniform */
    SK_COUNT,   /* SK_EDGE with shift counts in XMM2/MM2: mostly < 70 */
    SK_TEXT,    /* bytes of a small alphabet with nulls; EAX/EDX lengths */
};

static inline uint64_t sse_mix(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* A quadword of four 16-bit chunks, each an edge value or random. */
static inline uint64_t sse_edge(uint64_t *s)
{
    static const uint16_t edges[] = {
        0x0000, 0x0001, 0x7fff, 0x8000, 0xffff, 0x00ff, 0xff00, 0x0080,
        0x7f80, 0x807f,
    };
    uint64_t v = 0;

    for (unsigned k = 0; k < 4; k++) {
        uint64_t r = sse_mix(s);
        uint64_t w = (r & 15) < 10 ? edges[r & 15] : (r >> 16) & 0xffff;
        v |= w << (16 * k);
    }
    return v;
}

static inline uint64_t sse_text(uint64_t *s)
{
    static const uint8_t alpha[8] = { 0, 'a', 'b', 'c', 'a', 'b', 'z', 'A' };
    uint64_t v = 0;

    for (unsigned k = 0; k < 8; k++) {
        uint64_t r = sse_mix(s);
        uint64_t b = (r & 0x70) ? alpha[1 + (r & 7) % 7] : alpha[r & 7];
        v |= b << (8 * k);
    }
    return v;
}

static inline void sse_inputs(struct sse_state *st, unsigned kind,
                              uint64_t seed)
{
    uint64_t s = seed * 0x100000001b3ull + kind;
    uint64_t (*gen)(uint64_t *) = kind == SK_RAND ? sse_mix
                                : kind == SK_TEXT ? sse_text : sse_edge;

    for (unsigned r = 0; r < 3; r++) {
        st->x[r][0] = gen(&s);
        st->x[r][1] = gen(&s);
        st->mm[r] = gen(&s);
    }
    st->rax = sse_edge(&s);
    st->rcx = sse_edge(&s);
    st->rdx = sse_edge(&s);
    st->fl = 0x202 | (sse_mix(&s) & 0x8d5);
    if (kind == SK_COUNT) {
        uint64_t r = sse_mix(&s);
        st->x[2][0] = (r & 7) ? (r >> 8) % 70 : r;
        st->mm[2] = (r & 0x700) ? (r >> 16) % 70 : r;
    }
    if (kind == SK_TEXT) {
        st->rax = (uint64_t)((int64_t)(sse_mix(&s) % 41) - 20);
        st->rdx = (uint64_t)((int64_t)(sse_mix(&s) % 41) - 20);
    }
}

#endif
