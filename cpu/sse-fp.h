/*
 * Private to cpu/: what the SSE floating-point families (ops-sse-fp.c,
 * ops-sse-cmp.c, ops-sse-cvt.c) share.  An instruction computes every
 * lane into a copy with one softfloat context built from MXCSR, then
 * sse_fp_commit reports the flags and raises #XM (or #UD) when one is
 * unmasked, before anything is written back.
 */
#ifndef XENEMU_CPU_SSE_FP_H
#define XENEMU_CPU_SSE_FP_H

#include "cpu/simd.h"
#include "cpu/softfloat.h"

static inline struct sf_ctx sse_ctx(const struct cpu *c)
{
    return sf_ctx_sse(c->fpu.mxcsr);
}

/* The flags the instruction (or one stage of it) raised go into MXCSR and
 * x->flags is cleared.  If one is unmasked: when it is a pre-computation
 * exception (IE, DE, ZE) only those are reported, then #XM with
 * CR4.OSXMMEXCPT set, #UD without.  A multi-stage operation (DPPS)
 * commits after each stage, as the host reports each stage's flags. */
void sse_fp_commit(struct cpu *c, struct sf_ctx *x);

/* One binary32/binary64 operation on raw lane bits: unary ones use b. */
typedef uint64_t (*fp_fn)(struct sf_ctx *x, uint64_t a, uint64_t b);

/* d's lanes k < n of width bits become fn(d[k], s[k]), committed.
 * Inline: the instruction handlers call it with constant bits, n and fn,
 * the hottest SSE path, which the compiler then specialises. */
static inline void sse_fp_lanes(struct cpu *c, struct xmmreg *d,
                                const struct xmmreg *s, unsigned bits,
                                unsigned n, fp_fn fn)
{
    struct sf_ctx x = sse_ctx(c);
    struct xmmreg r = *d;

    for (unsigned k = 0; k < n; k++)
        lane_set(&r, bits, k, fn(&x, lane(d, bits, k), lane(s, bits, k)));
    sse_fp_commit(c, &x);
    *d = r;
}

/* RCPSS/RSQRTSS: the AMD host's approximations (12 significant bits,
 * no flags, denormal inputs as zeros, tiny reciprocals as zeros). */
extern const uint16_t sse_rcp_table[4096], sse_rsqrt_table[8192];
f32 sse_rcp(f32 a);
f32 sse_rsqrt(f32 a);

#endif
