/*
 * Software floating point with x86's exact semantics: IEEE binary32 and
 * binary64 (for SSE) and the x87 80-bit extended format, in integer C
 * only, so every host gives bit-identical results and flags.
 *
 * Every operation takes a context: the rounding mode, the x87 precision
 * control, SSE's DAZ/FTZ, the exception masks (the unmasked ones change
 * what x86 delivers) and the sticky flags the operation raises.  Flag bits
 * are those of the x87 status word and of MXCSR (bits 0..5).
 *
 * What the masks change, as on x86:
 *  - an unmasked pre-computation exception (IE, DE, ZE) stops the
 *    operation: no OE/UE/PE is reported and the caller must not deliver
 *    the result (the returned value is then meaningless);
 *  - an unmasked UE is reported for every tiny result, exact or not (a
 *    masked one only when the denormalised result is inexact);
 *  - 80-bit results with unmasked OE/UE come back with the exponent
 *    wrapped by 24576 (x87 registers); 32/64-bit results are then not to
 *    be delivered (SSE #XM, x87 stores to memory).
 * Tininess is detected before rounding.  NaN propagation follows the x87
 * rules for the 80-bit operations (the larger significand) and the SSE
 * rules for the 32/64-bit ones (the first operand).
 */
#ifndef XENEMU_SOFTFLOAT_H
#define XENEMU_SOFTFLOAT_H

#include <stdbool.h>
#include <stdint.h>

/* Exception flags (x87 FSW / MXCSR bits 0..5). */
enum {
    SF_IE = 1u << 0,     /* invalid operation */
    SF_DE = 1u << 1,     /* denormal operand */
    SF_ZE = 1u << 2,     /* divide by zero */
    SF_OE = 1u << 3,     /* overflow */
    SF_UE = 1u << 4,     /* underflow */
    SF_PE = 1u << 5,     /* precision (inexact) */
    SF_ALL = 0x3f,
};

/* Rounding control, x86's encoding (FCW.RC, MXCSR.RC). */
enum { SF_RN = 0, SF_RD = 1, SF_RU = 2, SF_RZ = 3 };

struct sf_ctx {
    uint8_t round;       /* SF_RN.. */
    uint8_t prec;        /* 80-bit arithmetic: 24, 53 or 64 bits */
    uint8_t masks;       /* masked exceptions (FCW / MXCSR bits 7..12 >> 7) */
    bool daz, ftz;       /* SSE: denormal inputs are zero / tiny results 0 */
    bool x87;            /* x87 rules where they differ from SSE's */
    bool denormal_src;   /* x87: an operand loaded from a 32/64-bit
                            denormal (DE as for a denormal operand, once
                            the operation gets past its invalid cases) */
    uint8_t flags;       /* sticky: raised exceptions are ORed in */
    bool c1;             /* x87 C1 after the last rounding: rounded up */
};

/* A context for the x87 from its control word, and for SSE from MXCSR. */
struct sf_ctx sf_ctx_x87(uint16_t fcw);
static inline struct sf_ctx sf_ctx_sse(uint32_t mxcsr)
{
    struct sf_ctx c = { 0 };

    c.round = (mxcsr >> 13) & 3;
    c.prec = 64;
    c.masks = (mxcsr >> 7) & SF_ALL;
    c.daz = (mxcsr >> 6) & 1;
    c.ftz = (mxcsr >> 15) & 1;
    return c;
}

/* Any of the raised flags unmasked?  (The result must then be dropped,
 * except the wrapped 80-bit result of an unmasked OE/UE.) */
static inline unsigned sf_unmasked(const struct sf_ctx *c, unsigned flags)
{
    return flags & ~(unsigned)c->masks & SF_ALL;
}

/* The 80-bit format: se = sign (bit 15) and biased exponent, mant with its
 * explicit integer bit 63. */
typedef struct {
    uint64_t mant;
    uint16_t se;
} fx80;

typedef uint32_t f32;
typedef uint64_t f64;

/* Constants. */
#define F32_DEFAULT_NAN 0xffc00000u
#define F64_DEFAULT_NAN 0xfff8000000000000ull
static inline fx80 fx80_make(uint16_t se, uint64_t mant)
{
    fx80 r = { mant, se };
    return r;
}
static inline fx80 fx80_default_nan(void)
{
    return fx80_make(0xffff, 0xc000000000000000ull);
}

/* Classes (FXAM's view of the 80-bit format). */
enum sf_class {
    SF_ZERO, SF_DENORMAL, SF_NORMAL, SF_INF, SF_QNAN, SF_SNAN,
    SF_UNSUPPORTED,       /* unnormal, pseudo-NaN, pseudo-infinity */
};
enum sf_class fx80_class(fx80 a);  /* a pseudo-denormal is SF_DENORMAL */
enum sf_class f32_class(f32 a);
enum sf_class f64_class(f64 a);
static inline bool fx80_sign(fx80 a) { return a.se >> 15; }
static inline bool fx80_is_nan(fx80 a)
{
    enum sf_class k = fx80_class(a);
    return k == SF_QNAN || k == SF_SNAN;
}

/* Arithmetic.  The 80-bit ones round to c->prec bits. */
f32 f32_add(struct sf_ctx *c, f32 a, f32 b);
f32 f32_sub(struct sf_ctx *c, f32 a, f32 b);
f32 f32_mul(struct sf_ctx *c, f32 a, f32 b);
f32 f32_div(struct sf_ctx *c, f32 a, f32 b);
f32 f32_sqrt(struct sf_ctx *c, f32 a);
f64 f64_add(struct sf_ctx *c, f64 a, f64 b);
f64 f64_sub(struct sf_ctx *c, f64 a, f64 b);
f64 f64_mul(struct sf_ctx *c, f64 a, f64 b);
f64 f64_div(struct sf_ctx *c, f64 a, f64 b);
f64 f64_sqrt(struct sf_ctx *c, f64 a);
fx80 fx80_add(struct sf_ctx *c, fx80 a, fx80 b);
fx80 fx80_sub(struct sf_ctx *c, fx80 a, fx80 b);
fx80 fx80_mul(struct sf_ctx *c, fx80 a, fx80 b);
fx80 fx80_div(struct sf_ctx *c, fx80 a, fx80 b);
fx80 fx80_sqrt(struct sf_ctx *c, fx80 a);

/* Conversions between the formats (x87 loads and stores, CVTSS2SD...).
 * The 80-bit source of a narrowing conversion is rounded as the
 * destination's precision says (c->prec is ignored). */
fx80 f32_to_fx80(struct sf_ctx *c, f32 a);
fx80 f64_to_fx80(struct sf_ctx *c, f64 a);
f32 fx80_to_f32(struct sf_ctx *c, fx80 a);
f64 fx80_to_f64(struct sf_ctx *c, fx80 a);
f64 f32_to_f64(struct sf_ctx *c, f32 a);
f32 f64_to_f32(struct sf_ctx *c, f64 a);

/* Integers.  To integer: rounded as c->round says, or truncated; NaN and
 * out-of-range give IE and the "integer indefinite" (the most negative
 * value of the width).  bits is 16, 32 or 64. */
fx80 i64_to_fx80(int64_t v);
f32 i64_to_f32(struct sf_ctx *c, int64_t v);
f64 i64_to_f64(struct sf_ctx *c, int64_t v);
int64_t fx80_to_int(struct sf_ctx *c, fx80 a, unsigned bits, bool trunc);
int64_t f32_to_int(struct sf_ctx *c, f32 a, unsigned bits, bool trunc);
int64_t f64_to_int(struct sf_ctx *c, f64 a, unsigned bits, bool trunc);

/* Round to an integral value in mode round (SF_RN..): FRNDINT, ROUNDSS.
 * PE only when inexact and report_pe. */
fx80 fx80_round_int(struct sf_ctx *c, fx80 a, unsigned round, bool report_pe);
f32 f32_round_int(struct sf_ctx *c, f32 a, unsigned round, bool report_pe);
f64 f64_round_int(struct sf_ctx *c, f64 a, unsigned round, bool report_pe);

/* Comparisons.  Quiet ones raise IE for SNaN operands, signaling ones for
 * any NaN; DE for denormal operands. */
enum sf_rel { SF_LT, SF_EQ, SF_GT, SF_UN };
enum sf_rel fx80_compare(struct sf_ctx *c, fx80 a, fx80 b, bool signaling);
enum sf_rel f32_compare(struct sf_ctx *c, f32 a, f32 b, bool signaling);
enum sf_rel f64_compare(struct sf_ctx *c, f64 a, f64 b, bool signaling);

/* CMPSS/CMPSD...: predicate pred (imm8[2:0]: EQ LT LE UNORD NEQ NLT NLE
 * ORD) of a and b; LT, LE, NLT and NLE signal on QNaNs too. */
bool f32_predicate(struct sf_ctx *c, f32 a, f32 b, unsigned pred);
bool f64_predicate(struct sf_ctx *c, f64 a, f64 b, unsigned pred);

/* MINSS/MAXSS...: a if a < b (a > b), else b (NaNs and equal zeros give
 * b); IE for any NaN, DE for denormals. */
f32 f32_min(struct sf_ctx *c, f32 a, f32 b);
f32 f32_max(struct sf_ctx *c, f32 a, f32 b);
f64 f64_min(struct sf_ctx *c, f64 a, f64 b);
f64 f64_max(struct sf_ctx *c, f64 a, f64 b);

/* x87 specials (softfloat-x87.c). */

/* FPREM (ieee false) / FPREM1 (true): a partial remainder of a by b.
 * *cc gets C0 C3 C1 (the low quotient bits) and C2 (incomplete) as FSW
 * bits 8..14 would hold them. */
fx80 fx80_rem(struct sf_ctx *c, fx80 a, fx80 b, bool ieee, uint16_t *cc);
/* FSCALE: a * 2^trunc(b). */
fx80 fx80_scale(struct sf_ctx *c, fx80 a, fx80 b);
/* FXTRACT: *exp gets the unbiased exponent, the result is the
 * significand with exponent 0. */
fx80 fx80_extract(struct sf_ctx *c, fx80 a, fx80 *exp);

/* Transcendentals (softfloat-trans.c), correctly rounded but for the
 * hardest cases (well within the 1 ulp real x87s document).  The
 * trigonometric ones return false (C2 = 1, no result) for |a| >= 2^63. */
bool fx80_sincos(struct sf_ctx *c, fx80 a, fx80 *sin, fx80 *cos);
bool fx80_tan(struct sf_ctx *c, fx80 a, fx80 *tan);
fx80 fx80_atan2(struct sf_ctx *c, fx80 y, fx80 x);          /* FPATAN */
fx80 fx80_2xm1(struct sf_ctx *c, fx80 a);                   /* F2XM1 */
fx80 fx80_yl2x(struct sf_ctx *c, fx80 x, fx80 y);           /* FYL2X */
fx80 fx80_yl2xp1(struct sf_ctx *c, fx80 x, fx80 y);         /* FYL2XP1 */

#endif
