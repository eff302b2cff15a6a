/*
 * SSE floating-point plumbing (sse-fp.h): MXCSR flag reporting, #XM, the
 * reciprocal approximations.
 */
#include "cpu/sse-fp.h"

#define PRE_COMPUTATION (SF_IE | SF_DE | SF_ZE)

void sse_fp_commit(struct cpu *c, struct sf_ctx *x)
{
    unsigned f = x->flags & SF_ALL, um = sf_unmasked(x, f);

    x->flags = 0;

    if (um & PRE_COMPUTATION) {
        f &= PRE_COMPUTATION;
        um &= PRE_COMPUTATION;
    }
    c->fpu.mxcsr |= f;
    if (!um)
        return;
    if (!(c->cr4 & CR4_OSXMMEXCPT))
        raise_ud(c);
    cpu_raise(c, EXC_XM, false, 0);
}

/* Specials first: NaNs quietened, zeros and denormals give infinities
 * (RSQRT of a negative one too), RSQRT of other negatives the default
 * NaN, infinities zeros. */
static bool rcp_special(f32 a, bool sqrt, f32 *r)
{
    uint32_t s = a & 0x80000000u, e = (a >> 23) & 0xff, m = a & 0x7fffff;

    if (e == 0xff && m)
        *r = a | 0x400000u;
    else if (e == 0)
        *r = s | 0x7f800000u;
    else if (sqrt && s)
        *r = F32_DEFAULT_NAN;
    else if (e == 0xff)
        *r = s;
    else
        return false;
    return true;
}

f32 sse_rcp(f32 a)
{
    f32 r;
    int e = (int)((a >> 23) & 0xff), re = 253 - e;

    if (rcp_special(a, false, &r))
        return r;
    if (re <= 0)
        return a & 0x80000000u;
    return (a & 0x80000000u) | (uint32_t)re << 23 |
           (uint32_t)sse_rcp_table[(a >> 11) & 0xfff] << 11;
}

f32 sse_rsqrt(f32 a)
{
    f32 r;
    int u = (int)((a >> 23) & 0xff) - 127;
    int half = u >= 0 ? u / 2 : -((1 - u) / 2);     /* floor(u / 2) */

    if (rcp_special(a, true, &r))
        return r;
    return (uint32_t)(126 - half) << 23 |
           (uint32_t)sse_rsqrt_table[(unsigned)(u & 1) << 12 |
                                     ((a >> 11) & 0xfff)] << 11;
}
