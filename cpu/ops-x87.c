/*
 * The x87 instructions D8..DF that compute: arithmetic in all its operand
 * forms, compares, loads and stores of every memory format, FXCH, FCMOVcc,
 * constants, the one-operand functions, FPREM, FSCALE, FXTRACT and the
 * transcendentals.  The control instructions are in ops-x87-env.c, the
 * machinery (stack, tags, exceptions, #NM/#MF) in x87.c.
 *
 * An instruction reads its memory operand first and writes memory before
 * it changes the FPU state, so a fault leaves the state as it was.  With an
 * unmasked IE, DE or ZE nothing is written and nothing is popped.
 */
#include "cpu/x87.h"

/* Arithmetic kinds, the /digit of D8/DA/DC/DE with a memory operand. */
enum { K_ADD, K_MUL, K_COM, K_COMP, K_SUB, K_SUBR, K_DIV, K_DIVR };
/* Sources of the memory forms (arg bits 3..4). */
enum { SRC_M32, SRC_M64, SRC_I16, SRC_I32 };

#define ARG(kind, src) ((kind) | (src) << 3)

static const uint16_t rel_cc[4] = {
    [SF_LT] = FSW_C0, [SF_EQ] = FSW_C3, [SF_GT] = 0,
    [SF_UN] = FSW_C0 | FSW_C2 | FSW_C3,
};

static bool stack_full(const struct cpu *c)
{
    return !x87_empty(c, 7);
}

static fx80 compute(struct sf_ctx *sc, unsigned kind, fx80 d, fx80 s)
{
    switch (kind) {
    case K_ADD: return fx80_add(sc, d, s);
    case K_MUL: return fx80_mul(sc, d, s);
    case K_SUB: return fx80_sub(sc, d, s);
    case K_SUBR: return fx80_sub(sc, s, d);
    case K_DIV: return fx80_div(sc, d, s);
    default: return fx80_div(sc, s, d);
    }
}

/* FCOM/FUCOM/FTST/FICOM: C3 C2 C0 (set even when the exception is
 * unmasked), C1 cleared; pops n times unless an unmasked exception. */
static void compare_cc(struct cpu *c, struct sf_ctx *sc, fx80 a, fx80 b,
                       bool quiet, unsigned pops)
{
    enum sf_rel rel = fx80_compare(sc, a, b, !quiet);
    bool ok;

    sc->c1 = false;
    ok = x87_flags(c, sc);
    x87_set_cc(c, rel_cc[rel]);
    while (ok && pops--)
        x87_pop(c);
}

/* A compare with an empty operand: unordered, popped when masked. */
static void compare_underflow(struct cpu *c, unsigned pops)
{
    bool masked = x87_stack_fault(c, false);

    x87_set_cc(c, rel_cc[SF_UN]);
    while (masked && pops--)
        x87_pop(c);
}

/* dst = dst op src on the register stack, then pop if asked. */
static void binop(struct cpu *c, unsigned kind, unsigned dst, unsigned src,
                  bool pop)
{
    struct sf_ctx sc = x87_ctx(c);
    fx80 r;

    if (kind == K_COM || kind == K_COMP) {
        unsigned other = dst ? dst : src;       /* ST(0) against ST(i) */
        if (x87_empty(c, 0) || x87_empty(c, other))
            compare_underflow(c, (kind == K_COMP) + pop);
        else
            compare_cc(c, &sc, x87_get(c, 0), x87_get(c, other), false,
                       (kind == K_COMP) + pop);
        return;
    }
    if (x87_empty(c, dst) || x87_empty(c, src)) {
        if (x87_stack_fault(c, false)) {
            x87_put(c, dst, fx80_default_nan());
            if (pop)
                x87_pop(c);
        }
        return;
    }
    r = compute(&sc, kind, x87_get(c, dst), x87_get(c, src));
    if (x87_flags(c, &sc)) {
        x87_put(c, dst, r);
        if (pop)
            x87_pop(c);
    }
}

/* D8 /r with a register: ST(0) = ST(0) op ST(i). */
static void op_farith_st0(struct cpu *c, const struct insn *i)
{
    x87_begin(c, i);
    binop(c, i->arg, 0, i->modrm & 7, false);
}

/* DC /r (and DE /r, popping): ST(i) = ST(i) op ST(0). */
static void op_farith_sti(struct cpu *c, const struct insn *i)
{
    x87_begin(c, i);
    binop(c, i->arg & 7, i->modrm & 7, 0, i->arg >> 3);
}

/* The memory operand in 80 bits.  An SNaN stays signaling (with its
 * payload) for the operation's NaN rules; a denormal is left for the
 * operation to report (after its invalid cases, as the host does). */
static fx80 load_source(struct cpu *c, const struct insn *i,
                        struct sf_ctx *sc, unsigned src)
{
    uint64_t ea = insn_ea(c, i), m;
    struct sf_ctx conv = *sc;
    fx80 v;

    switch (src) {
    case SRC_M32:
        m = mem_read(c, i->seg, ea, 4);
        v = f32_to_fx80(&conv, (f32)m);
        if (conv.flags & SF_IE)
            v = fx80_make((uint16_t)(0x7fff | (m >> 31) << 15),
                          1ull << 63 | (m & 0x7fffff) << 40);
        break;
    case SRC_M64:
        m = mem_read(c, i->seg, ea, 8);
        v = f64_to_fx80(&conv, m);
        if (conv.flags & SF_IE)
            v = fx80_make((uint16_t)(0x7fff | (m >> 63) << 15),
                          1ull << 63 | (m & 0xfffffffffffffull) << 11);
        break;
    case SRC_I16:
        return i64_to_fx80(sext(mem_read(c, i->seg, ea, 2), 2));
    default:
        return i64_to_fx80(sext(mem_read(c, i->seg, ea, 4), 4));
    }
    sc->denormal_src = (conv.flags & SF_DE) != 0;
    return v;
}

/* D8/DC/DA/DE with a memory operand: ST(0) = ST(0) op m. */
static void op_farith_mem(struct cpu *c, const struct insn *i)
{
    unsigned kind = i->arg & 7;
    struct sf_ctx sc;
    fx80 s, r;

    x87_begin(c, i);
    sc = x87_ctx(c);
    s = load_source(c, i, &sc, i->arg >> 3);
    if (x87_empty(c, 0)) {
        if (kind == K_COM || kind == K_COMP)
            compare_underflow(c, kind == K_COMP);
        else if (x87_stack_fault(c, false))
            x87_put(c, 0, fx80_default_nan());
        return;
    }
    if (kind == K_COM || kind == K_COMP) {
        compare_cc(c, &sc, x87_get(c, 0), s, false, kind == K_COMP);
        return;
    }
    r = compute(&sc, kind, x87_get(c, 0), s);
    if (x87_flags(c, &sc))
        x87_put(c, 0, r);
}

/* ---- compares ----------------------------------------------------------- */

/* FUCOM/FUCOMP ST(i) (DD /4 /5), FUCOMPP (DA E9), FCOMPP (DE D9).  arg:
 * pops in bits 0..1, 4 signaling, 8 against ST(1). */
static void op_fucom(struct cpu *c, const struct insn *i)
{
    unsigned src = (i->arg & 8) ? 1 : i->modrm & 7, pops = i->arg & 3;
    bool quiet = !(i->arg & 4);
    struct sf_ctx sc = x87_ctx(c);

    x87_begin(c, i);
    if (x87_empty(c, 0) || x87_empty(c, src))
        compare_underflow(c, pops);
    else
        compare_cc(c, &sc, x87_get(c, 0), x87_get(c, src), quiet, pops);
}

/* FCOMI/FCOMIP/FUCOMI/FUCOMIP (arg: 1 pop, 2 quiet): ZF PF CF; OF SF AF
 * cleared. */
static void op_fcomi(struct cpu *c, const struct insn *i)
{
    static const uint32_t fl[4] = {
        [SF_LT] = FL_CF, [SF_EQ] = FL_ZF, [SF_GT] = 0,
        [SF_UN] = FL_ZF | FL_PF | FL_CF,
    };
    unsigned src = i->modrm & 7;
    bool pop = i->arg & 1, quiet = i->arg & 2, ok;
    struct sf_ctx sc = x87_ctx(c);
    enum sf_rel rel;

    x87_begin(c, i);
    if (x87_empty(c, 0) || x87_empty(c, src)) {
        ok = x87_stack_fault(c, false);
        rel = SF_UN;
    } else {
        uint16_t c1 = c->fpu.fsw & FSW_C1;       /* kept */
        rel = fx80_compare(&sc, x87_get(c, 0), x87_get(c, src), !quiet);
        ok = x87_flags(c, &sc);
        c->fpu.fsw = (uint16_t)((c->fpu.fsw & ~FSW_C1) | c1);
    }
    flags_set_eager(c, fl[rel], FL_ARITH);
    if (ok && pop)
        x87_pop(c);
}

/* FTST: ST(0) against +0. */
static void op_ftst(struct cpu *c, const struct insn *i)
{
    struct sf_ctx sc = x87_ctx(c);

    x87_begin(c, i);
    if (x87_empty(c, 0))
        compare_underflow(c, 0);
    else
        compare_cc(c, &sc, x87_get(c, 0), fx80_make(0, 0), false, 0);
}

/* FXAM: the class of ST(0) in C3 C2 C0, its sign in C1. */
static void op_fxam(struct cpu *c, const struct insn *i)
{
    static const uint16_t cls_cc[] = {
        [SF_ZERO] = FSW_C3, [SF_DENORMAL] = FSW_C3 | FSW_C2,
        [SF_NORMAL] = FSW_C2, [SF_INF] = FSW_C2 | FSW_C0,
        [SF_QNAN] = FSW_C0, [SF_SNAN] = FSW_C0, [SF_UNSUPPORTED] = 0,
    };
    fx80 v = x87_get(c, 0);
    unsigned cc;

    x87_begin(c, i);
    if (x87_empty(c, 0))
        cc = FSW_C3 | FSW_C0;
    else
        cc = cls_cc[fx80_class(v)];
    x87_set_cc(c, cc | (fx80_sign(v) ? FSW_C1 : 0));
}

/* ---- loads ---------------------------------------------------------------- */

/* Push v unless the stack is full (overflow: the default NaN when
 * masked). */
static void push_checked(struct cpu *c, fx80 v)
{
    if (stack_full(c)) {
        if (x87_stack_fault(c, true))
            x87_push(c, fx80_default_nan());
        return;
    }
    c->fpu.fsw &= (uint16_t)~FSW_C1;
    x87_push(c, v);
}

/* FLD m32fp / m64fp (arg 4 or 8): an unmasked IE (SNaN) pushes nothing;
 * an unmasked DE still loads. */
static void op_fld_mem(struct cpu *c, const struct insn *i)
{
    struct sf_ctx sc;
    uint64_t m;
    fx80 v;

    x87_begin(c, i);
    m = mem_read(c, i->seg, insn_ea(c, i), i->arg);
    if (stack_full(c)) {
        push_checked(c, fx80_default_nan());
        return;
    }
    sc = x87_ctx(c);
    v = i->arg == 4 ? f32_to_fx80(&sc, (f32)m) : f64_to_fx80(&sc, m);
    x87_flags(c, &sc);
    if (!sf_unmasked(&sc, sc.flags & SF_IE))
        x87_push(c, v);
}

static void op_fld_m80(struct cpu *c, const struct insn *i)
{
    fx80 v;

    x87_begin(c, i);
    v = x87_read80(c, i->seg, insn_ea(c, i));
    push_checked(c, v);
}

/* FILD m16/m32/m64 (arg = size). */
static void op_fild(struct cpu *c, const struct insn *i)
{
    uint64_t m;

    x87_begin(c, i);
    m = mem_read(c, i->seg, insn_ea(c, i), i->arg);
    push_checked(c, i64_to_fx80(sext(m, i->arg)));
}

static void op_fld_sti(struct cpu *c, const struct insn *i)
{
    unsigned src = i->modrm & 7;

    x87_begin(c, i);
    if (x87_empty(c, src)) {          /* underflow, even on a full stack */
        if (x87_stack_fault(c, false))
            x87_push(c, fx80_default_nan());
        return;
    }
    push_checked(c, x87_get(c, src));
}

/* FLD1, FLDL2T, FLDL2E, FLDPI, FLDLG2, FLDLN2, FLDZ (arg 0..6): rounded as
 * RC says, without PE. */
static void op_fldconst(struct cpu *c, const struct insn *i)
{
    static const struct {
        uint16_t se;
        uint64_t trunc;     /* the value's first 64 bits */
        int8_t rn_up;       /* RN rounds up; -1: exact */
    } k[7] = {
        { 0x3fff, 0x8000000000000000ull, -1 },
        { 0x4000, 0xd49a784bcd1b8afeull, 0 },
        { 0x3fff, 0xb8aa3b295c17f0bbull, 1 },
        { 0x4000, 0xc90fdaa22168c234ull, 1 },
        { 0x3ffd, 0x9a209a84fbcff798ull, 1 },
        { 0x3ffe, 0xb17217f7d1cf79abull, 1 },
        { 0x0000, 0, -1 },
    };
    unsigned rc = (c->fpu.fcw >> 10) & 3;
    uint64_t m = k[i->arg].trunc;

    x87_begin(c, i);
    if (k[i->arg].rn_up >= 0 &&
        ((rc == SF_RN && k[i->arg].rn_up) || rc == SF_RU))
        m++;
    push_checked(c, fx80_make(k[i->arg].se, m));
}

/* ---- stores ----------------------------------------------------------------- */

/* A store's destination is checked before anything else, even when an
 * unmasked exception will leave it unwritten (as on the host). */
static uint64_t store_la(struct cpu *c, const struct insn *i, unsigned size)
{
    uint64_t la = insn_la(c, i, size, true);

    lin_probe_write(c, la, size, c->cpl);
    return la;
}

/* FST/FSTP m32fp / m64fp (arg: size | 0x10 pop).  Unmasked IE, OE or UE:
 * nothing stored, nothing popped. */
static void op_fst_mem(struct cpu *c, const struct insn *i)
{
    unsigned size = i->arg & 0xf;
    bool pop = i->arg & 0x10;
    struct sf_ctx sc;
    uint64_t la, m;

    x87_begin(c, i);
    la = store_la(c, i, size);
    if (x87_empty(c, 0)) {
        if (x87_stack_fault(c, false)) {
            lin_write(c, la, size,
                      size == 4 ? F32_DEFAULT_NAN : F64_DEFAULT_NAN);
            if (pop)
                x87_pop(c);
        }
        return;
    }
    sc = x87_ctx(c);
    m = size == 4 ? fx80_to_f32(&sc, x87_get(c, 0))
                  : fx80_to_f64(&sc, x87_get(c, 0));
    if (sf_unmasked(&sc, sc.flags & (SF_IE | SF_OE | SF_UE))) {
        x87_flags(c, &sc);
        return;
    }
    lin_write(c, la, size, m);
    x87_flags(c, &sc);
    if (pop)
        x87_pop(c);
}

static void op_fstp_m80(struct cpu *c, const struct insn *i)
{
    uint64_t la;
    fx80 v;

    x87_begin(c, i);
    la = store_la(c, i, 10);
    if (x87_empty(c, 0)) {
        if (!x87_stack_fault(c, false))
            return;
        v = fx80_default_nan();
    } else {
        v = x87_get(c, 0);
        c->fpu.fsw &= (uint16_t)~FSW_C1;
    }
    lin_write(c, la, 8, v.mant);
    lin_write(c, la + 8, 2, v.se);
    x87_pop(c);
}

/* FIST/FISTP/FISTTP (arg: size | 0x10 pop | 0x20 truncate). */
static void op_fist(struct cpu *c, const struct insn *i)
{
    unsigned size = i->arg & 0xf;
    bool pop = i->arg & 0x10, trunc = i->arg & 0x20;
    struct sf_ctx sc = x87_ctx(c);
    uint64_t la;
    int64_t v;

    x87_begin(c, i);
    la = store_la(c, i, size);
    if (x87_empty(c, 0)) {
        if (x87_stack_fault(c, false)) {
            lin_write(c, la, size, 1ull << (size * 8 - 1));
            if (pop)
                x87_pop(c);
        }
        return;
    }
    v = fx80_to_int(&sc, x87_get(c, 0), size * 8, trunc);
    if (!sf_unmasked(&sc, sc.flags & SF_IE))
        lin_write(c, la, size, (uint64_t)v);
    if (x87_flags(c, &sc) && pop)
        x87_pop(c);
}

/* FST/FSTP ST(i) (arg: 1 pop, 2 the D9 D8+i alias, which pops an empty
 * ST(0) without a stack fault, as the host does). */
static void op_fst_sti(struct cpu *c, const struct insn *i)
{
    unsigned dst = i->modrm & 7;

    x87_begin(c, i);
    if (x87_empty(c, 0) && (i->arg & 2)) {
        c->fpu.fsw &= (uint16_t)~FSW_C1;
        x87_pop(c);
        return;
    }
    if (x87_empty(c, 0)) {
        if (x87_stack_fault(c, false)) {
            x87_put(c, dst, fx80_default_nan());
            if (i->arg)
                x87_pop(c);
        }
        return;
    }
    x87_put(c, dst, x87_get(c, 0));
    c->fpu.fsw &= (uint16_t)~FSW_C1;
    if (i->arg)
        x87_pop(c);
}

/* ---- packed BCD ------------------------------------------------------------------ */

static void op_fbld(struct cpu *c, const struct insn *i)
{
    uint64_t ea = insn_ea(c, i), la, lo, v = 0;
    unsigned hi;
    fx80 r;

    x87_begin(c, i);
    la = seg_linear(c, i->seg, ea, 10, false);
    lo = lin_read(c, la, 8);
    hi = (unsigned)lin_read(c, la + 8, 2);
    /* 18 digits, most significant first (digits above 9 count as their
     * nibble's value, as the host does). */
    for (int d = 17; d >= 0; d--) {
        unsigned nib = d >= 16 ? (hi >> (4 * (d - 16))) & 0xf
                               : (unsigned)(lo >> (4 * d)) & 0xf;
        v = v * 10 + nib;
    }
    r = i64_to_fx80((int64_t)v);
    if (hi & 0x8000)
        r.se |= 0x8000;
    push_checked(c, r);
}

static void op_fbstp(struct cpu *c, const struct insn *i)
{
    static const uint64_t limit = 1000000000000000000ull;  /* 10^18 */
    uint64_t ea = insn_ea(c, i), la, lo = 0, m;
    unsigned hi = 0;
    struct sf_ctx sc = x87_ctx(c);
    fx80 v, r;
    bool sign, bad;

    x87_begin(c, i);
    la = seg_linear(c, i->seg, ea, 10, true);
    lin_probe_write(c, la, 10, c->cpl);
    if (x87_empty(c, 0)) {
        if (c->fpu.fcw & SF_IE) {
            lin_write(c, la, 8, 0xc000000000000000ull);
            lin_write(c, la + 8, 2, 0xffff);
            x87_pop(c);
        }
        x87_stack_fault(c, false);
        return;
    }
    v = x87_get(c, 0);
    sign = fx80_sign(v);
    sc.masks |= SF_DE;                     /* FBSTP has no DE */
    r = fx80_round_int(&sc, v, sc.round, true);
    sc.flags &= (uint8_t)~SF_DE;
    sc.masks = c->fpu.fcw & SF_ALL;
    m = 0;
    bad = fx80_class(r) == SF_INF || fx80_is_nan(r) ||
          fx80_class(r) == SF_UNSUPPORTED;
    if (!bad) {
        struct sf_ctx exact = sc;
        r.se &= 0x7fff;
        m = (uint64_t)fx80_to_int(&exact, r, 64, true);
        bad = (exact.flags & SF_IE) || m >= limit;
    }
    if (bad) {
        sc.flags = (uint8_t)((sc.flags & ~SF_PE) | SF_IE);
        sc.c1 = false;
        if (sf_unmasked(&sc, SF_IE)) {
            x87_flags(c, &sc);
            return;
        }
        lo = 0xc000000000000000ull;
        hi = 0xffff;
    } else {
        for (int d = 0; d < 18; d++, m /= 10) {
            if (d < 16)
                lo |= (m % 10) << (4 * d);
            else
                hi |= (unsigned)(m % 10) << (4 * (d - 16));
        }
        hi |= sign ? 0x8000 : 0;
    }
    lin_write(c, la, 8, lo);
    lin_write(c, la + 8, 2, hi);
    if (x87_flags(c, &sc))
        x87_pop(c);
}

/* ---- register moves ---------------------------------------------------------------- */

static void op_fxch(struct cpu *c, const struct insn *i)
{
    unsigned j = i->modrm & 7;
    fx80 a, b;

    x87_begin(c, i);
    if (x87_empty(c, 0) || x87_empty(c, j)) {
        if (!x87_stack_fault(c, false))
            return;
        if (x87_empty(c, 0))
            x87_put(c, 0, fx80_default_nan());
        if (x87_empty(c, j))
            x87_put(c, j, fx80_default_nan());
    } else {
        c->fpu.fsw &= (uint16_t)~FSW_C1;
    }
    a = x87_get(c, 0);
    b = x87_get(c, j);
    x87_put(c, 0, b);
    x87_put(c, j, a);
}

/* FCMOVcc (arg: the Jcc condition). */
static void op_fcmov(struct cpu *c, const struct insn *i)
{
    unsigned j = i->modrm & 7;

    x87_begin(c, i);
    if (x87_empty(c, 0) || x87_empty(c, j)) {
        if (x87_stack_fault(c, false))
            x87_put(c, 0, fx80_default_nan());
        return;
    }
    if (cond_eval(c, i->arg))
        x87_put(c, 0, x87_get(c, j));
}

/* FCHS (arg 0), FABS (arg 1): no exception but the empty register. */
static void op_fsign(struct cpu *c, const struct insn *i)
{
    fx80 v;

    x87_begin(c, i);
    if (x87_empty(c, 0)) {
        if (x87_stack_fault(c, false))
            x87_put(c, 0, fx80_default_nan());
        return;
    }
    v = x87_get(c, 0);
    v.se = (uint16_t)(i->arg ? v.se & 0x7fff : v.se ^ 0x8000);
    c->fpu.fsw &= (uint16_t)~FSW_C1;
    x87_put(c, 0, v);
}

/* ---- one- and two-operand functions of the register stack -------------------------- */

enum {
    F_SQRT, F_RNDINT, F_2XM1, F_SIN, F_COS, F_PREM, F_PREM1, F_SCALE,
    F_PATAN, F_YL2X, F_YL2XP1, F_XTRACT, F_TAN, F_SINCOS,
};

/* ST(0) = f(ST(0)). */
static void unary(struct cpu *c, unsigned f)
{
    struct sf_ctx sc = x87_ctx(c);
    fx80 a, r;
    bool ok = true;

    if (f == F_SIN || f == F_COS)
        c->fpu.fsw &= (uint16_t)~FSW_C2;
    if (x87_empty(c, 0)) {
        if (x87_stack_fault(c, false))
            x87_put(c, 0, fx80_default_nan());
        return;
    }
    a = x87_get(c, 0);
    switch (f) {
    case F_SQRT: r = fx80_sqrt(&sc, a); break;
    case F_RNDINT: r = fx80_round_int(&sc, a, sc.round, true); break;
    case F_2XM1: r = fx80_2xm1(&sc, a); break;
    default:
        ok = fx80_sincos(&sc, a, f == F_SIN ? &r : NULL,
                         f == F_COS ? &r : NULL);
        break;
    }
    if (!ok) {                       /* |x| >= 2^63: C2, nothing else */
        c->fpu.fsw |= FSW_C2;
        return;
    }
    if (x87_flags(c, &sc))
        x87_put(c, 0, r);
}

/* ST(0) = f(ST(0), ST(1)) (FPREM, FPREM1, FSCALE) or ST(1) = f(ST(0),
 * ST(1)) and pop (FPATAN, FYL2X, FYL2XP1). */
static void binary(struct cpu *c, unsigned f)
{
    struct sf_ctx sc = x87_ctx(c);
    bool to_st1 = f == F_PATAN || f == F_YL2X || f == F_YL2XP1;
    bool prem = f == F_PREM || f == F_PREM1;
    uint16_t cc = 0;
    fx80 a, b, r;

    if (prem)
        c->fpu.fsw &= (uint16_t)~FSW_C2;
    if (x87_empty(c, 0) || x87_empty(c, 1)) {
        if (x87_stack_fault(c, false)) {
            x87_put(c, to_st1, fx80_default_nan());
            if (to_st1)
                x87_pop(c);
        }
        return;
    }
    a = x87_get(c, 0);
    b = x87_get(c, 1);
    switch (f) {
    case F_PREM: r = fx80_rem(&sc, a, b, false, &cc); break;
    case F_PREM1: r = fx80_rem(&sc, a, b, true, &cc); break;
    case F_SCALE: r = fx80_scale(&sc, a, b); break;
    case F_PATAN: r = fx80_atan2(&sc, b, a); break;
    case F_YL2X: r = fx80_yl2x(&sc, a, b); break;
    default: r = fx80_yl2xp1(&sc, a, b); break;
    }
    if (!x87_flags(c, &sc))
        return;
    x87_put(c, to_st1, r);
    if (to_st1)
        x87_pop(c);
    /* A remainder of a finite number sets the quotient bits (0 for an
     * infinite divisor); NaN, infinity and zero-divisor cases leave C0
     * and C3. */
    if (prem && fx80_class(a) <= SF_NORMAL && fx80_class(b) <= SF_INF &&
        fx80_class(b) != SF_ZERO)
        x87_set_cc(c, cc);
}

/* FXTRACT, FPTAN, FSINCOS: ST(0) = first result, then push the second. */
static void unary_push(struct cpu *c, unsigned f)
{
    struct sf_ctx sc = x87_ctx(c);
    fx80 a, r0, r1;

    if (f != F_XTRACT)
        c->fpu.fsw &= (uint16_t)~FSW_C2;
    if (x87_empty(c, 0) || stack_full(c)) {
        if (x87_stack_fault(c, !x87_empty(c, 0))) {
            x87_put(c, 0, fx80_default_nan());
            x87_push(c, fx80_default_nan());
        }
        return;
    }
    a = x87_get(c, 0);
    switch (f) {
    case F_XTRACT:
        r1 = fx80_extract(&sc, a, &r0);
        break;
    case F_TAN:
        if (!fx80_tan(&sc, a, &r0))
            goto out_of_range;
        r1 = fx80_is_nan(r0) ? r0 : fx80_make(0x3fff, 1ull << 63);
        break;
    default:
        if (!fx80_sincos(&sc, a, &r0, &r1))
            goto out_of_range;
        break;
    }
    if (x87_flags(c, &sc)) {
        x87_put(c, 0, r0);
        x87_push(c, r1);
    }
    return;
out_of_range:
    c->fpu.fsw |= FSW_C2;
}

static void op_funary(struct cpu *c, const struct insn *i)
{
    x87_begin(c, i);
    unary(c, i->arg);
}

static void op_fbinary(struct cpu *c, const struct insn *i)
{
    x87_begin(c, i);
    binary(c, i->arg);
}

static void op_funary_push(struct cpu *c, const struct insn *i)
{
    x87_begin(c, i);
    unary_push(c, i->arg);
}

/* ---- the table ------------------------------------------------------------------------ */

#define R(op, ext, mod, arg, fn, nm) \
    { MAP_1B, op, 1, P_ANY, ext, mod, -1, F_MODRM, arg, 0, fn, nm }
#define X(op, modrm, arg, fn, nm) \
    { MAP_1B, op, 1, P_ANY, -1, M_REG, modrm, F_MODRM, arg, 0, fn, nm }
#define RF(op, ext, arg, feat, fn, nm) \
    { MAP_1B, op, 1, P_ANY, ext, M_REG, -1, F_MODRM, arg, feat, fn, nm }

/* The eight arithmetic /digits of one opcode with a memory operand. */
#define MEMARITH(op, src, nm)                                               \
    R(op, 0, M_MEM, ARG(K_ADD, src), op_farith_mem, nm),                    \
    R(op, 1, M_MEM, ARG(K_MUL, src), op_farith_mem, nm),                    \
    R(op, 2, M_MEM, ARG(K_COM, src), op_farith_mem, nm),                    \
    R(op, 3, M_MEM, ARG(K_COMP, src), op_farith_mem, nm),                   \
    R(op, 4, M_MEM, ARG(K_SUB, src), op_farith_mem, nm),                    \
    R(op, 5, M_MEM, ARG(K_SUBR, src), op_farith_mem, nm),                   \
    R(op, 6, M_MEM, ARG(K_DIV, src), op_farith_mem, nm),                    \
    R(op, 7, M_MEM, ARG(K_DIVR, src), op_farith_mem, nm)

/* DC with registers: ST(i) is the destination, and the SUB/DIV pairs
 * are the other way round (DC E0 is FSUBR ST(i), ST(0)).  DE: the same,
 * popping. */
#define STIARITH(op, nm)                                                    \
    R(op, 0, M_REG, K_ADD, op_farith_sti, nm),                              \
    R(op, 1, M_REG, K_MUL, op_farith_sti, nm),                              \
    R(op, 2, M_REG, K_COM, op_farith_sti, nm),                              \
    R(op, 3, M_REG, K_COMP, op_farith_sti, nm),                             \
    R(op, 4, M_REG, K_SUBR, op_farith_sti, nm),                             \
    R(op, 5, M_REG, K_SUB, op_farith_sti, nm),                              \
    R(op, 6, M_REG, K_DIVR, op_farith_sti, nm),                             \
    R(op, 7, M_REG, K_DIV, op_farith_sti, nm)

static const struct opdef defs[] = {
    /* D8 */
    MEMARITH(0xd8, SRC_M32, "x87 arith m32fp"),
    R(0xd8, 0, M_REG, K_ADD, op_farith_st0, "fadd st, st(i)"),
    R(0xd8, 1, M_REG, K_MUL, op_farith_st0, "fmul st, st(i)"),
    R(0xd8, 2, M_REG, K_COM, op_farith_st0, "fcom st(i)"),
    R(0xd8, 3, M_REG, K_COMP, op_farith_st0, "fcomp st(i)"),
    R(0xd8, 4, M_REG, K_SUB, op_farith_st0, "fsub st, st(i)"),
    R(0xd8, 5, M_REG, K_SUBR, op_farith_st0, "fsubr st, st(i)"),
    R(0xd8, 6, M_REG, K_DIV, op_farith_st0, "fdiv st, st(i)"),
    R(0xd8, 7, M_REG, K_DIVR, op_farith_st0, "fdivr st, st(i)"),
    /* D9 */
    R(0xd9, 0, M_MEM, 4, op_fld_mem, "fld m32fp"),
    R(0xd9, 2, M_MEM, 4, op_fst_mem, "fst m32fp"),
    R(0xd9, 3, M_MEM, 4 | 0x10, op_fst_mem, "fstp m32fp"),
    R(0xd9, 0, M_REG, 0, op_fld_sti, "fld st(i)"),
    R(0xd9, 1, M_REG, 0, op_fxch, "fxch"),
    R(0xd9, 3, M_REG, 3, op_fst_sti, "fstp1 (alias)"),
    X(0xd9, 0xe0, 0, op_fsign, "fchs"),
    X(0xd9, 0xe1, 1, op_fsign, "fabs"),
    X(0xd9, 0xe4, 0, op_ftst, "ftst"),
    X(0xd9, 0xe5, 0, op_fxam, "fxam"),
    X(0xd9, 0xe8, 0, op_fldconst, "fld1"),
    X(0xd9, 0xe9, 1, op_fldconst, "fldl2t"),
    X(0xd9, 0xea, 2, op_fldconst, "fldl2e"),
    X(0xd9, 0xeb, 3, op_fldconst, "fldpi"),
    X(0xd9, 0xec, 4, op_fldconst, "fldlg2"),
    X(0xd9, 0xed, 5, op_fldconst, "fldln2"),
    X(0xd9, 0xee, 6, op_fldconst, "fldz"),
    X(0xd9, 0xf0, F_2XM1, op_funary, "f2xm1"),
    X(0xd9, 0xf1, F_YL2X, op_fbinary, "fyl2x"),
    X(0xd9, 0xf2, F_TAN, op_funary_push, "fptan"),
    X(0xd9, 0xf3, F_PATAN, op_fbinary, "fpatan"),
    X(0xd9, 0xf4, F_XTRACT, op_funary_push, "fxtract"),
    X(0xd9, 0xf5, F_PREM1, op_fbinary, "fprem1"),
    X(0xd9, 0xf8, F_PREM, op_fbinary, "fprem"),
    X(0xd9, 0xf9, F_YL2XP1, op_fbinary, "fyl2xp1"),
    X(0xd9, 0xfa, F_SQRT, op_funary, "fsqrt"),
    X(0xd9, 0xfb, F_SINCOS, op_funary_push, "fsincos"),
    X(0xd9, 0xfc, F_RNDINT, op_funary, "frndint"),
    X(0xd9, 0xfd, F_SCALE, op_fbinary, "fscale"),
    X(0xd9, 0xfe, F_SIN, op_funary, "fsin"),
    X(0xd9, 0xff, F_COS, op_funary, "fcos"),
    /* DA */
    MEMARITH(0xda, SRC_I32, "x87 arith m32int"),
    RF(0xda, 0, 2, FEAT_CMOV, op_fcmov, "fcmovb"),
    RF(0xda, 1, 4, FEAT_CMOV, op_fcmov, "fcmove"),
    RF(0xda, 2, 6, FEAT_CMOV, op_fcmov, "fcmovbe"),
    RF(0xda, 3, 10, FEAT_CMOV, op_fcmov, "fcmovu"),
    X(0xda, 0xe9, 2 | 8, op_fucom, "fucompp"),
    /* DB */
    R(0xdb, 0, M_MEM, 4, op_fild, "fild m32int"),
    R(0xdb, 1, M_MEM, 4 | 0x30, op_fist, "fisttp m32int"),
    R(0xdb, 2, M_MEM, 4, op_fist, "fist m32int"),
    R(0xdb, 3, M_MEM, 4 | 0x10, op_fist, "fistp m32int"),
    R(0xdb, 5, M_MEM, 0, op_fld_m80, "fld m80fp"),
    R(0xdb, 7, M_MEM, 0, op_fstp_m80, "fstp m80fp"),
    RF(0xdb, 0, 3, FEAT_CMOV, op_fcmov, "fcmovnb"),
    RF(0xdb, 1, 5, FEAT_CMOV, op_fcmov, "fcmovne"),
    RF(0xdb, 2, 7, FEAT_CMOV, op_fcmov, "fcmovnbe"),
    RF(0xdb, 3, 11, FEAT_CMOV, op_fcmov, "fcmovnu"),
    R(0xdb, 5, M_REG, 2, op_fcomi, "fucomi"),
    R(0xdb, 6, M_REG, 0, op_fcomi, "fcomi"),
    /* DC */
    MEMARITH(0xdc, SRC_M64, "x87 arith m64fp"),
    STIARITH(0xdc, "x87 arith st(i), st"),
    /* DD */
    R(0xdd, 0, M_MEM, 8, op_fld_mem, "fld m64fp"),
    R(0xdd, 1, M_MEM, 8 | 0x30, op_fist, "fisttp m64int"),
    R(0xdd, 2, M_MEM, 8, op_fst_mem, "fst m64fp"),
    R(0xdd, 3, M_MEM, 8 | 0x10, op_fst_mem, "fstp m64fp"),
    R(0xdd, 1, M_REG, 0, op_fxch, "fxch4 (alias)"),
    R(0xdd, 2, M_REG, 0, op_fst_sti, "fst st(i)"),
    R(0xdd, 3, M_REG, 1, op_fst_sti, "fstp st(i)"),
    R(0xdd, 4, M_REG, 0, op_fucom, "fucom"),
    R(0xdd, 5, M_REG, 1, op_fucom, "fucomp"),
    /* DE */
    MEMARITH(0xde, SRC_I16, "x87 arith m16int"),
    R(0xde, 0, M_REG, K_ADD | 8, op_farith_sti, "faddp"),
    R(0xde, 1, M_REG, K_MUL | 8, op_farith_sti, "fmulp"),
    R(0xde, 2, M_REG, K_COM | 8, op_farith_sti, "fcomp5 (alias)"),
    R(0xde, 4, M_REG, K_SUBR | 8, op_farith_sti, "fsubrp"),
    R(0xde, 5, M_REG, K_SUB | 8, op_farith_sti, "fsubp"),
    R(0xde, 6, M_REG, K_DIVR | 8, op_farith_sti, "fdivrp"),
    R(0xde, 7, M_REG, K_DIV | 8, op_farith_sti, "fdivp"),
    X(0xde, 0xd9, 2 | 4 | 8, op_fucom, "fcompp"),
    /* DF */
    R(0xdf, 0, M_MEM, 2, op_fild, "fild m16int"),
    R(0xdf, 1, M_MEM, 2 | 0x30, op_fist, "fisttp m16int"),
    R(0xdf, 2, M_MEM, 2, op_fist, "fist m16int"),
    R(0xdf, 3, M_MEM, 2 | 0x10, op_fist, "fistp m16int"),
    R(0xdf, 4, M_MEM, 0, op_fbld, "fbld"),
    R(0xdf, 5, M_MEM, 8, op_fild, "fild m64int"),
    R(0xdf, 6, M_MEM, 0, op_fbstp, "fbstp"),
    R(0xdf, 7, M_MEM, 8 | 0x10, op_fist, "fistp m64int"),
    R(0xdf, 1, M_REG, 0, op_fxch, "fxch7 (alias)"),
    R(0xdf, 2, M_REG, 1, op_fst_sti, "fstp8 (alias)"),
    R(0xdf, 3, M_REG, 1, op_fst_sti, "fstp9 (alias)"),
    R(0xdf, 5, M_REG, 3, op_fcomi, "fucomip"),
    R(0xdf, 6, M_REG, 1, op_fcomi, "fcomip"),
};
OPTABLE(optable_x87, defs);
