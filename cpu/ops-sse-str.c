/*
 * SSE4.2 string compares: PCMPESTRI, PCMPESTRM, PCMPISTRI, PCMPISTRM with
 * every imm8 mode (element format, aggregation, polarity, output
 * selection).  xmm1 (ModRM.reg) and xmm2/m128 (unaligned) are compared
 * element by element; the lengths are explicit (EAX, EDX; RAX, RDX with
 * REX.W) or end at the first null element.
 */
#include "cpu/simd.h"

/* imm8 fields */
#define IMM_WORDS   (1u << 0)     /* 16-bit elements (else bytes) */
#define IMM_SIGNED  (1u << 1)
#define IMM_AGG(imm) (((imm) >> 2) & 3)
#define IMM_POL(imm) (((imm) >> 4) & 3)
#define IMM_MSB     (1u << 6)     /* index: most significant; mask: expand */

enum { AGG_EQUAL_ANY, AGG_RANGES, AGG_EQUAL_EACH, AGG_EQUAL_ORDERED };

/* arg: the row's opcode minus 0x60 */
#define ARG_INDEX    1u           /* ...STRI (else ...STRM) */
#define ARG_IMPLICIT 2u           /* PCMPI... (else PCMPE...) */

/* The operands taken apart: a = xmm1, b = xmm2/m128, as n elements each
 * (zero- or sign-extended), and their lengths. */
struct strcmp_in {
    int32_t a[16], b[16];
    unsigned la, lb;              /* valid elements of each */
    unsigned n, bits;
};

static void elements(int32_t *e, const struct xmmreg *v, unsigned n,
                     unsigned bits, bool sgn)
{
    for (unsigned k = 0; k < n; k++) {
        uint64_t w = v->q[k * bits / 64] >> ((k * bits) & 63);
        if (bits == 8)
            e[k] = sgn ? (int8_t)w : (uint8_t)w;
        else
            e[k] = sgn ? (int16_t)w : (uint16_t)w;
    }
}

static unsigned implicit_len(const int32_t *e, unsigned n)
{
    unsigned k = 0;

    while (k < n && e[k] != 0)
        k++;
    return k;
}

/* The absolute value of a length register, saturated to n. */
static unsigned explicit_len(uint64_t r, bool wide, unsigned n)
{
    int64_t v = wide ? (int64_t)r : (int64_t)(int32_t)r;
    uint64_t m = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

    return m > n ? n : (unsigned)m;
}

static bool equal_any(const struct strcmp_in *s, unsigned j)
{
    if (j >= s->lb)
        return false;
    for (unsigned k = 0; k < s->la; k++)
        if (s->a[k] == s->b[j])
            return true;
    return false;
}

/* Pairs of xmm1 elements are inclusive ranges [lo, hi]. */
static bool ranges(const struct strcmp_in *s, unsigned j)
{
    if (j >= s->lb)
        return false;
    for (unsigned k = 0; k + 1 < s->la; k += 2)
        if (s->b[j] >= s->a[k] && s->b[j] <= s->a[k + 1])
            return true;
    return false;
}

static bool equal_each(const struct strcmp_in *s, unsigned j)
{
    bool va = j < s->la, vb = j < s->lb;

    if (!va || !vb)
        return !va && !vb;
    return s->a[j] == s->b[j];
}

/* xmm1 occurs in xmm2 at j: past the end of xmm1 everything matches,
 * past the end of xmm2 nothing does. */
static bool equal_ordered(const struct strcmp_in *s, unsigned j)
{
    for (unsigned k = 0; j + k < s->n && k < s->la; k++) {
        if (j + k >= s->lb)
            return false;
        if (s->a[k] != s->b[j + k])
            return false;
    }
    return true;
}

static bool (*const aggregate[4])(const struct strcmp_in *, unsigned) = {
    [AGG_EQUAL_ANY] = equal_any, [AGG_RANGES] = ranges,
    [AGG_EQUAL_EACH] = equal_each, [AGG_EQUAL_ORDERED] = equal_ordered,
};

/* IntRes2: the aggregation's bit per element of xmm2, with polarity. */
static uint32_t int_res2(const struct strcmp_in *s, unsigned imm)
{
    uint32_t all = (1u << s->n) - 1, r = 0;

    for (unsigned j = 0; j < s->n; j++)
        r |= (uint32_t)aggregate[IMM_AGG(imm)](s, j) << j;
    switch (IMM_POL(imm)) {
    case 1: return r ^ all;
    case 3: return r ^ ((1u << s->lb) - 1);
    default: return r;
    }
}

static unsigned index_of(uint32_t r, unsigned n, bool msb)
{
    unsigned k;

    if (!r)
        return n;
    if (msb)
        for (k = n - 1; !((r >> k) & 1); k--)
            ;
    else
        for (k = 0; !((r >> k) & 1); k++)
            ;
    return k;
}

static void op_pcmpstr(struct cpu *c, const struct insn *i)
{
    unsigned imm = (unsigned)i->imm & 0xff;
    struct strcmp_in s;
    struct xmmreg b;
    uint32_t r, fl = 0;

    simd_avail_sse(c);
    xmm_rm_read(c, i, 16, ALIGN_NONE, &b);
    s.n = (imm & IMM_WORDS) ? 8 : 16;
    s.bits = 128 / s.n;
    elements(s.a, xmm(c, i->reg), s.n, s.bits, imm & IMM_SIGNED);
    elements(s.b, &b, s.n, s.bits, imm & IMM_SIGNED);
    if (i->arg & ARG_IMPLICIT) {
        s.la = implicit_len(s.a, s.n);
        s.lb = implicit_len(s.b, s.n);
    } else {
        bool wide = i->pfx & PFX_REXW;
        s.la = explicit_len(c->r[R_AX], wide, s.n);
        s.lb = explicit_len(c->r[R_DX], wide, s.n);
    }
    r = int_res2(&s, imm);

    if (i->arg & ARG_INDEX) {
        reg_write(c, R_CX, 4, index_of(r, s.n, imm & IMM_MSB));
    } else if (imm & IMM_MSB) {
        struct xmmreg m = { { 0, 0 } };
        for (unsigned k = 0; k < s.n; k++)
            lane_set(&m, s.bits, k, ((r >> k) & 1) ? ~0ull : 0);
        c->fpu.xmm[0] = m;
    } else {
        c->fpu.xmm[0] = (struct xmmreg){ { r, 0 } };
    }
    if (r)
        fl |= FL_CF;
    if (s.lb < s.n)
        fl |= FL_ZF;
    if (s.la < s.n)
        fl |= FL_SF;
    if (r & 1)
        fl |= FL_OF;
    flags_set_eager(c, fl, FL_ARITH);
}

static const struct opdef defs[] = {
    { MAP_0F3A, 0x60, 4, P_66, -1, M_ANY, -1, F_MODRM | F_IMM8, 0,
      FEAT_SSE42, op_pcmpstr, "pcmpstr" },
};
OPTABLE(optable_sse_str, defs);
