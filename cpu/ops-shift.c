/*
 * Shifts and rotates: the group-2 opcodes C0 C1 D0 D1 D2 D3 (ROL ROR RCL
 * RCR SHL SHR SAL SAR by imm8, by 1, by CL) and the double shifts SHLD and
 * SHRD.  Flags are written eagerly.  Where the SDM leaves a flag undefined
 * we do what an AMD Zen CPU does (doc/cpu-model.md, "Undefined flags"):
 *
 *   ROL/ROR     OF = MSB(res) ^ CF (ROL), MSB(res) ^ MSB-1(res) (ROR), for
 *               every count; a count that is a multiple of the width still
 *               updates CF and OF
 *   RCL/RCR     OF as for ROL/ROR for every count; a count that is a
 *               multiple of width+1 keeps CF and updates OF
 *   SHL         CF = last bit out of the wide shift (0 beyond the width),
 *               OF = MSB(res) ^ CF, AF = 1
 *   SHR, SAR    OF = MSB(res) ^ MSB-1(res) (SHR: the old MSB for count 1,
 *               else 0; SAR: 0), AF = 1
 *   SHLD/SHRD   AF = 1, OF as for SHL / SHR by the same count; 16-bit
 *               counts 17..31: see dshift()
 *
 * A masked count of 0 changes no flag; the operand is still written back
 * (a memory operand must be writable; a 32-bit register is zero-extended).
 */
#include "cpu/cpu-priv.h"

enum { SH_ROL, SH_ROR, SH_RCL, SH_RCR, SH_SHL, SH_SHR, SH_SAL, SH_SAR,
       SH_SHLD, SH_SHRD };

/* A result and the flags to commit once the operand is written. */
struct shres {
    uint64_t r;
    uint32_t fl, mask;
};

/* Shifts that give 0 for counts of 64 and more (C leaves them undefined). */
static uint64_t lsl(uint64_t v, unsigned n) { return n < 64 ? v << n : 0; }
static uint64_t lsr(uint64_t v, unsigned n) { return n < 64 ? v >> n : 0; }

static uint32_t bitfl(uint64_t v, unsigned bit, uint32_t flag)
{
    return ((v >> bit) & 1) ? flag : 0;
}

static void rotate(unsigned kind, unsigned size, uint64_t d, unsigned n,
                   bool cf, struct shres *o)
{
    unsigned w = size * 8;
    uint64_t m = size_mask(size), r;

    switch (kind) {
    case SH_ROL:
        n %= w;
        r = (lsl(d, n) | lsr(d, (w - n) % w)) & m;
        cf = r & 1;
        break;
    case SH_ROR:
        n %= w;
        r = (lsr(d, n) | lsl(d, (w - n) % w)) & m;
        cf = (r >> (w - 1)) & 1;
        break;
    case SH_RCL:               /* rotate the (w+1)-bit value CF:d */
        if (w < 32)
            n %= w + 1;
        if (n) {
            r = (lsl(d, n) | lsl(cf, n - 1) | lsr(d, w + 1 - n)) & m;
            cf = (d >> (w - n)) & 1;
        } else {
            r = d;
        }
        break;
    default:                   /* SH_RCR: rotate d:CF */
        if (w < 32)
            n %= w + 1;
        if (n) {
            r = (lsr(d, n) | lsl(cf, w - n) | lsl(d, w + 1 - n)) & m;
            cf = (d >> (n - 1)) & 1;
        } else {
            r = d;
        }
        break;
    }
    o->r = r;
    o->mask = FL_CF | FL_OF;
    o->fl = cf ? FL_CF : 0;
    if (kind == SH_ROL || kind == SH_RCL)
        o->fl |= (((r >> (w - 1)) & 1) ^ cf) ? FL_OF : 0;
    else
        o->fl |= (((r >> (w - 1)) ^ (r >> (w - 2))) & 1) ? FL_OF : 0;
}

static void shift(unsigned kind, unsigned size, uint64_t d, unsigned n,
                  struct shres *o)
{
    unsigned w = size * 8;
    uint64_t m = size_mask(size), r;
    uint32_t f;

    switch (kind) {
    case SH_SHL:
    case SH_SAL:
        r = lsl(d, n) & m;
        f = bitfl(lsl(d, n - 1), w - 1, FL_CF);
        if (!(f & FL_CF) != !(r & sign_bit(size)))
            f |= FL_OF;
        break;
    case SH_SHR:
        r = lsr(d, n);
        f = bitfl(lsr(d, n - 1), 0, FL_CF) | bitfl(r, w - 2, FL_OF);
        break;
    default: {                 /* SH_SAR */
        int64_t s = sext(d, size);
        r = (uint64_t)(s >> (n < 64 ? n : 63)) & m;
        f = bitfl((uint64_t)(s >> (n - 1 < 64 ? n - 1 : 63)), 0, FL_CF);
        break;
    }
    }
    o->r = r;
    o->fl = f | flags_szp(r, size) | FL_AF;
    o->mask = FL_ARITH;
}

/* Compute the result of kind applied to d by the raw count n. */
static void shift_any(struct cpu *c, unsigned kind, unsigned size, uint64_t d,
                      unsigned n, struct shres *o)
{
    n &= size == 8 ? 63 : 31;
    if (n == 0) {
        o->r = d;
        o->fl = o->mask = 0;
    } else if (kind < SH_SHL) {
        rotate(kind, size, d, n, kind >= SH_RCL && flag_cf(c), o);
    } else {
        shift(kind, size, d, n, o);
    }
}

static void shift_rm(struct cpu *c, const struct insn *i, unsigned count)
{
    unsigned sz = i->opsz;
    struct shres o;

    if (i->mod == 3) {
        shift_any(c, i->arg, sz, reg_read(c, i->rm, sz), count, &o);
        reg_write(c, i->rm, sz, o.r);
    } else {
        uint64_t la = seg_linear(c, i->seg, insn_ea(c, i), sz, true);
        shift_any(c, i->arg, sz, lin_read_rmw(c, la, sz), count, &o);
        lin_write(c, la, sz, o.r);
    }
    if (o.mask)
        flags_set_eager(c, o.fl, o.mask);
}

static void op_shift_ib(struct cpu *c, const struct insn *i)
{
    shift_rm(c, i, (unsigned)i->imm);
}

static void op_shift_1(struct cpu *c, const struct insn *i)
{
    shift_rm(c, i, 1);
}

static void op_shift_cl(struct cpu *c, const struct insn *i)
{
    shift_rm(c, i, (unsigned)c->r[R_CX] & 0xff);
}

/* ---- forms specialised at decode time ----------------------------------- */

/* SHL/SHR/SAR of a 32/64-bit operand by a count known to be non-zero after
 * masking: flags stay lazy (flags.c). */
static XE_ALWAYS_INLINE uint64_t shift_lazy(struct cpu *c, unsigned kind,
                                            unsigned sz, uint64_t d,
                                            unsigned n)
{
    uint64_t r;
    enum lf_kind lk;

    if (kind == SH_SHR) {
        r = d >> n;
        lk = LF_SHR;
    } else if (kind == SH_SAR) {
        r = (uint64_t)(sext(d, sz) >> n) & size_mask(sz);
        lk = LF_SAR;
    } else {
        r = (d << n) & size_mask(sz);
        lk = LF_SHL;
    }
    lf_set(c, lk, sz, r, d, n);
    return r;
}

#define SHIFT_FAST(nm, kind, sz)                                            \
static void op_##nm##_ibr##sz(struct cpu *c, const struct insn *i)          \
{                                                                           \
    reg_write(c, i->rm, sz, shift_lazy(c, kind, sz, reg_read(c, i->rm, sz), \
                                       (unsigned)i->imm & (sz * 8 - 1)));   \
}                                                                           \
static void op_##nm##_ibm##sz(struct cpu *c, const struct insn *i)          \
{                                                                           \
    uint64_t la = insn_la(c, i, sz, true);                                  \
    uint64_t d = lin_read_rmw(c, la, sz);                                   \
    unsigned n = (unsigned)i->imm & (sz * 8 - 1);                           \
    lin_write(c, la, sz, shift_lazy(c, kind, sz, d, n));                    \
}                                                                           \
static void op_##nm##_clr##sz(struct cpu *c, const struct insn *i)          \
{                                                                           \
    unsigned n = (unsigned)c->r[R_CX] & (sz * 8 - 1);                       \
    uint64_t d = reg_read(c, i->rm, sz);                                    \
    reg_write(c, i->rm, sz, n ? shift_lazy(c, kind, sz, d, n) : d);         \
}

SHIFT_FAST(shl, SH_SHL, 4) SHIFT_FAST(shl, SH_SHL, 8)
SHIFT_FAST(shr, SH_SHR, 4) SHIFT_FAST(shr, SH_SHR, 8)
SHIFT_FAST(sar, SH_SAR, 4) SHIFT_FAST(sar, SH_SAR, 8)

/* Rotates by an immediate: CF and OF only, so flags are eager. */
#define ROT_FAST(sz)                                                        \
static void op_rot_ibr##sz(struct cpu *c, const struct insn *i)             \
{                                                                           \
    struct shres o;                                                         \
    shift_any(c, i->arg, sz, reg_read(c, i->rm, sz), (unsigned)i->imm, &o); \
    reg_write(c, i->rm, sz, o.r);                                           \
    if (o.mask)                                                             \
        flags_set_eager(c, o.fl, o.mask);                                   \
}

ROT_FAST(4)
ROT_FAST(8)

/* [SHL SHR SAR][imm/1 register, imm/1 memory, CL register][size 4, 8] */
static const insn_fn shift_fast[3][3][2] = {
    { { op_shl_ibr4, op_shl_ibr8 }, { op_shl_ibm4, op_shl_ibm8 },
      { op_shl_clr4, op_shl_clr8 } },
    { { op_shr_ibr4, op_shr_ibr8 }, { op_shr_ibm4, op_shr_ibm8 },
      { op_shr_clr4, op_shr_clr8 } },
    { { op_sar_ibr4, op_sar_ibr8 }, { op_sar_ibm4, op_sar_ibm8 },
      { op_sar_clr4, op_sar_clr8 } },
};

/* Which row of shift_fast a group-2 kind uses (SAL is SHL), or -1. */
static const int8_t shift_row[8] = { -1, -1, -1, -1, 0, 1, 0, 2 };

static insn_fn shift_pick(const struct insn *i, unsigned dmode)
{
    const struct opdef *d = i->def;
    unsigned sz = fast_size(i->opsz);
    bool by_cl = d->fn == op_shift_cl;

    (void)dmode;
    if ((sz != 1 && sz != 2) || d->map != MAP_1B)     /* SHLD/SHRD: 0F */
        return NULL;
    if (d->fn == op_shift_ib && (i->arg == SH_ROL || i->arg == SH_ROR) &&
        i->mod == 3)
        return sz == 1 ? op_rot_ibr4 : op_rot_ibr8;
    if (shift_row[i->arg & 7] < 0 || (by_cl && i->mod != 3))
        return NULL;
    /* A masked count of 0 still writes (and zero-extends) the operand but
     * changes no flag: the general handler does that. */
    if (!by_cl && (i->imm & (i->opsz * 8 - 1)) == 0)
        return NULL;
    return shift_fast[shift_row[i->arg & 7]][by_cl ? 2 : i->mod != 3][sz - 1];
}

/* ---- SHLD / SHRD -------------------------------------------------------- */

/* 16-bit counts 17..31 continue into a third copy of the source: the
 * operand is shifted through dst:src:src (SHLD) or src:src:dst (SHRD) as
 * one 48-bit value, and only bits of dst ever reach CF (AMD). */
static void dshift(unsigned kind, unsigned size, uint64_t d, uint64_t s,
                   unsigned n, struct shres *o)
{
    unsigned w = size * 8;
    uint64_t m = size_mask(size), r;
    bool cf, of;

    if (kind == SH_SHLD) {
        if (w == 16)
            r = (d << 32 | s << 16 | s) >> (32 - n);
        else
            r = lsl(d, n) | lsr(s, w - n);
        cf = (lsl(d, n - 1) >> (w - 1)) & 1;
        of = cf ^ ((lsl(d, n) >> (w - 1)) & 1);
    } else {
        if (w == 16)
            r = (s << 32 | s << 16 | d) >> n;
        else
            r = lsr(d, n) | lsl(s, w - n);
        cf = lsr(d, n - 1) & 1;
        of = ((r >> (w - 1)) ^ (r >> (w - 2))) & 1;
    }
    r &= m;
    o->r = r;
    o->fl = flags_szp(r, size) | FL_AF | (cf ? FL_CF : 0) | (of ? FL_OF : 0);
    o->mask = FL_ARITH;
}

static void dshift_rm(struct cpu *c, const struct insn *i, unsigned count)
{
    unsigned sz = i->opsz;
    unsigned n = count & (sz == 8 ? 63 : 31);
    uint64_t s = reg_read(c, i->reg, sz), la = 0, d;
    struct shres o = { 0, 0, 0 };

    if (i->mod == 3) {
        d = reg_read(c, i->rm, sz);
    } else {
        la = seg_linear(c, i->seg, insn_ea(c, i), sz, true);
        d = lin_read_rmw(c, la, sz);
    }
    o.r = d;
    if (n)
        dshift(i->arg, sz, d, s, n, &o);
    if (i->mod == 3)
        reg_write(c, i->rm, sz, o.r);
    else
        lin_write(c, la, sz, o.r);
    if (o.mask)
        flags_set_eager(c, o.fl, o.mask);
}

static void op_dshift_ib(struct cpu *c, const struct insn *i)
{
    dshift_rm(c, i, (unsigned)i->imm);
}

static void op_dshift_cl(struct cpu *c, const struct insn *i)
{
    dshift_rm(c, i, (unsigned)c->r[R_CX] & 0xff);
}

#define GRP2(ext, nm)                                                                       \
    { MAP_1B, 0xc0, 1, P_ANY, ext, M_ANY, -1, F_MODRM | F_BYTE | F_IMM8, ext, 0, op_shift_ib, nm }, \
    { MAP_1B, 0xc1, 1, P_ANY, ext, M_ANY, -1, F_MODRM | F_IMM8, ext, 0, op_shift_ib, nm },          \
    { MAP_1B, 0xd0, 1, P_ANY, ext, M_ANY, -1, F_MODRM | F_BYTE, ext, 0, op_shift_1, nm },           \
    { MAP_1B, 0xd1, 1, P_ANY, ext, M_ANY, -1, F_MODRM, ext, 0, op_shift_1, nm },                    \
    { MAP_1B, 0xd2, 1, P_ANY, ext, M_ANY, -1, F_MODRM | F_BYTE, ext, 0, op_shift_cl, nm },          \
    { MAP_1B, 0xd3, 1, P_ANY, ext, M_ANY, -1, F_MODRM, ext, 0, op_shift_cl, nm }

static const struct opdef defs[] = {
    GRP2(SH_ROL, "rol"),
    GRP2(SH_ROR, "ror"),
    GRP2(SH_RCL, "rcl"),
    GRP2(SH_RCR, "rcr"),
    GRP2(SH_SHL, "shl"),
    GRP2(SH_SHR, "shr"),
    GRP2(SH_SAL, "sal"),
    GRP2(SH_SAR, "sar"),
    { MAP_0F, 0xa4, 1, P_ANY, -1, M_ANY, -1, F_MODRM | F_IMM8, SH_SHLD, 0, op_dshift_ib, "shld" },
    { MAP_0F, 0xa5, 1, P_ANY, -1, M_ANY, -1, F_MODRM, SH_SHLD, 0, op_dshift_cl, "shld" },
    { MAP_0F, 0xac, 1, P_ANY, -1, M_ANY, -1, F_MODRM | F_IMM8, SH_SHRD, 0, op_dshift_ib, "shrd" },
    { MAP_0F, 0xad, 1, P_ANY, -1, M_ANY, -1, F_MODRM, SH_SHRD, 0, op_dshift_cl, "shrd" },
};
OPTABLE_PICK(optable_shift, defs, shift_pick);
