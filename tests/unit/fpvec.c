/*
 * The softfloat side of the floating-point test vectors (fpvec.h): each
 * operation done with cpu/softfloat the way an x87 or SSE instruction
 * does it, its result and flags compared with what the hardware gave.
 */
#include <stdio.h>
#include <string.h>
#include "cpu/softfloat.h"
#include "fpvec.h"

/* RCPSS/RSQRTSS (cpu/sse-fp.c; its header needs the whole CPU's). */
f32 sse_rcp(f32 a);
f32 sse_rsqrt(f32 a);

#define FPVEC_NAME(n) #n,
const char *const fpvec_names[V_NOPS] = { FPVEC_OPS(FPVEC_NAME) };
#undef FPVEC_NAME

/* FSW bits the vectors compare: exceptions, ES, C0..C3. */
#define FSW_CHECKED 0x47bfu
#define FSW_C0 0x100u
#define FSW_C1 0x200u
#define FSW_C2 0x400u
#define FSW_C3 0x4000u
#define FSW_ES 0x80u

struct outcome {
    fx80 r, r2;
    uint32_t flags;
};

static fx80 fx(uint16_t e, uint64_t m)
{
    return fx80_make(e, m);
}

static const uint16_t rel_cc[4] = {
    [SF_LT] = FSW_C0, [SF_EQ] = FSW_C3, [SF_GT] = 0,
    [SF_UN] = FSW_C0 | FSW_C2 | FSW_C3,
};

/* Exceptions, ES and C1 of an x87 operation. */
static uint32_t x87_flags(const struct sf_ctx *c, bool c1)
{
    uint32_t f = c->flags;
    if (sf_unmasked(c, c->flags))
        f |= FSW_ES;
    if (c1)
        f |= FSW_C1;
    return f;
}

/* Stops the instruction before it writes its result? */
static bool x87_aborts(const struct sf_ctx *c)
{
    return sf_unmasked(c, c->flags & (SF_IE | SF_DE | SF_ZE)) != 0;
}

static bool is_trans(unsigned op)
{
    return op >= V_FSIN && op <= V_FYL2XP1;
}

static void run_x87(const struct fpvec *v, struct outcome *o)
{
    struct sf_ctx c = sf_ctx_x87((uint16_t)v->ctl);
    fx80 a = fx(v->ae, v->am), b = fx(v->be, v->bm), r = a, r2 = b;
    uint32_t cc = 0;
    uint16_t rcc;
    int64_t n;
    bool ok, store = false;

    switch (v->op) {
    case V_FADD: r = fx80_add(&c, a, b); break;
    case V_FSUB: r = fx80_sub(&c, a, b); break;
    case V_FMUL: r = fx80_mul(&c, a, b); break;
    case V_FDIV: r = fx80_div(&c, a, b); break;
    case V_FSQRT: r = fx80_sqrt(&c, a); break;
    case V_FPREM:
    case V_FPREM1:
        r = fx80_rem(&c, a, b, v->op == V_FPREM1, &rcc);
        cc = rcc;
        break;
    case V_FSCALE: r = fx80_scale(&c, a, b); break;
    case V_FXTRACT: {
        fx80 e;
        r = fx80_extract(&c, a, &e);
        r2 = e;
        break;
    }
    case V_FRNDINT: r = fx80_round_int(&c, a, c.round, true); break;
    case V_FCOM:
    case V_FUCOM:
        cc = rel_cc[fx80_compare(&c, a, b, v->op == V_FCOM)];
        c.c1 = false;
        break;
    case V_FST32:
        r = fx(0, fx80_to_f32(&c, a));
        store = true;
        break;
    case V_FST64:
        r = fx(0, fx80_to_f64(&c, a));
        store = true;
        break;
    case V_FLD32:
    case V_FLD64:
        r = v->op == V_FLD32 ? f32_to_fx80(&c, (f32)v->am)
                             : f64_to_fx80(&c, v->am);
        r2 = b;
        if (sf_unmasked(&c, c.flags & SF_IE)) {
            r = b;             /* nothing pushed */
            r2 = fx(v->r2e, v->r2m);
        }
        o->r = r;
        o->r2 = r2;
        o->flags = x87_flags(&c, c.c1);
        return;
    case V_FIST16: case V_FIST32: case V_FIST64:
    case V_FISTT16: case V_FISTT32: case V_FISTT64: {
        static const uint8_t bits[] = { 16, 32, 64, 16, 32, 64 };
        unsigned k = v->op - V_FIST16, w = bits[k];
        n = fx80_to_int(&c, a, w, k >= 3);
        r = fx(0, (uint64_t)n & (~0ull >> (64 - w)));
        store = true;
        break;
    }
    case V_FSIN:
    case V_FCOS: {
        ok = fx80_sincos(&c, a, v->op == V_FSIN ? &r : NULL,
                         v->op == V_FCOS ? &r : NULL);
        if (!ok)
            cc = FSW_C2;
        break;
    }
    case V_FPTAN:
        ok = fx80_tan(&c, a, &r2);
        if (!ok) {
            cc = FSW_C2;
            r2 = b;
        } else if (!x87_aborts(&c)) {
            /* pushes 1.0, or the NaN result again */
            r = fx80_is_nan(r2) ? r2 : fx(0x3fff, 1ull << 63);
        } else {
            r2 = b;
        }
        break;
    case V_FPATAN: r = fx80_atan2(&c, b, a); break;
    case V_F2XM1: r = fx80_2xm1(&c, a); break;
    case V_FYL2X: r = fx80_yl2x(&c, a, b); break;
    case V_FYL2XP1: r = fx80_yl2xp1(&c, a, b); break;
    }
    if (store) {
        o->r = r;
        o->r2 = b;
        o->flags = x87_flags(&c, c.c1) | cc;
        /* Unmasked IE, OE or UE: nothing is stored. */
        if (sf_unmasked(&c, c.flags & (SF_IE | SF_OE | SF_UE)))
            o->flags |= FPV_NOSTORE;
        return;
    }
    if (x87_aborts(&c)) {
        r = a;
        r2 = b;
    }
    if (v->op == V_FPATAN || v->op == V_FYL2X || v->op == V_FYL2XP1) {
        if (x87_aborts(&c)) {
            r = a;
            r2 = b;
        } else {
            r2 = fx(0, 0);     /* popped: not compared */
        }
    }
    o->r = r;
    o->r2 = r2;
    o->flags = x87_flags(&c, c.c1) | cc;
}

static uint32_t comis_flags(enum sf_rel rel)
{
    static const uint32_t f[4] = {
        [SF_LT] = 0x01, [SF_EQ] = 0x40, [SF_GT] = 0, [SF_UN] = 0x45,
    };
    return f[rel] << 8;
}

static void run_sse(const struct fpvec *v, struct outcome *o)
{
    struct sf_ctx c = sf_ctx_sse(v->ctl & 0xffff);
    uint64_t a = v->am, b = v->bm, r = 0;
    uint32_t extra = 0;
    f32 a32 = (f32)a, b32 = (f32)b;
    unsigned imm = (v->ctl >> 24) & 0xf;
    unsigned mode = (imm & 4) ? c.round : (imm & 3);

    switch (v->op) {
    case V_ADDSS: r = f32_add(&c, a32, b32); break;
    case V_SUBSS: r = f32_sub(&c, a32, b32); break;
    case V_MULSS: r = f32_mul(&c, a32, b32); break;
    case V_DIVSS: r = f32_div(&c, a32, b32); break;
    case V_SQRTSS: r = f32_sqrt(&c, b32); break;
    case V_MINSS: r = f32_min(&c, a32, b32); break;
    case V_MAXSS: r = f32_max(&c, a32, b32); break;
    case V_ADDSD: r = f64_add(&c, a, b); break;
    case V_SUBSD: r = f64_sub(&c, a, b); break;
    case V_MULSD: r = f64_mul(&c, a, b); break;
    case V_DIVSD: r = f64_div(&c, a, b); break;
    case V_SQRTSD: r = f64_sqrt(&c, b); break;
    case V_MINSD: r = f64_min(&c, a, b); break;
    case V_MAXSD: r = f64_max(&c, a, b); break;
    case V_CVTSS2SD: r = f32_to_f64(&c, b32); break;
    case V_CVTSD2SS: r = f64_to_f32(&c, b); break;
    case V_CVTSS2SI: r = (uint32_t)f32_to_int(&c, b32, 32, false); break;
    case V_CVTTSS2SI: r = (uint32_t)f32_to_int(&c, b32, 32, true); break;
    case V_CVTSS2SI64: r = (uint64_t)f32_to_int(&c, b32, 64, false); break;
    case V_CVTTSS2SI64: r = (uint64_t)f32_to_int(&c, b32, 64, true); break;
    case V_CVTSD2SI: r = (uint32_t)f64_to_int(&c, b, 32, false); break;
    case V_CVTTSD2SI: r = (uint32_t)f64_to_int(&c, b, 32, true); break;
    case V_CVTSD2SI64: r = (uint64_t)f64_to_int(&c, b, 64, false); break;
    case V_CVTTSD2SI64: r = (uint64_t)f64_to_int(&c, b, 64, true); break;
    case V_CVTSI2SS: r = i64_to_f32(&c, (int64_t)b); break;
    case V_CVTSI2SD: r = i64_to_f64(&c, (int64_t)b); break;
    case V_COMISS: extra = comis_flags(f32_compare(&c, a32, b32, true)); break;
    case V_UCOMISS: extra = comis_flags(f32_compare(&c, a32, b32, false)); break;
    case V_COMISD: extra = comis_flags(f64_compare(&c, a, b, true)); break;
    case V_UCOMISD: extra = comis_flags(f64_compare(&c, a, b, false)); break;
    case V_ROUNDSS: r = f32_round_int(&c, b32, mode, !(imm & 8)); break;
    case V_ROUNDSD: r = f64_round_int(&c, b, mode, !(imm & 8)); break;
    case V_CMPSS: r = f32_predicate(&c, a32, b32, imm) ? 0xffffffffu : 0; break;
    case V_CMPSD: r = f64_predicate(&c, a, b, imm) ? ~0ull : 0; break;
    case V_RCPSS: r = sse_rcp(b32); break;
    case V_RSQRTSS: r = sse_rsqrt(b32); break;
    }
    o->r = fx(0, r);
    o->r2 = fx(0, 0);
    o->flags = c.flags;
    if (sf_unmasked(&c, c.flags)) {
        o->flags |= FPV_FAULT;
        o->r = fx(0, 0);
    } else {
        o->flags |= extra;
    }
}

/* Distance in units in the last place of two finite 80-bit values of one
 * sign (at most 2 counts as far). */
static uint64_t ulps(fx80 a, fx80 b)
{
    int ea = a.se & 0x7fff, eb = b.se & 0x7fff;
    uint64_t fa = a.mant & ~(1ull << 63), fb = b.mant & ~(1ull << 63);

    if ((a.se ^ b.se) & 0x8000)
        return ~0ull;
    if (ea < eb || (ea == eb && fa < fb)) {
        int te = ea; uint64_t tf = fa;
        ea = eb; fa = fb; eb = te; fb = tf;
    }
    if (ea == eb)
        return fa - fb;
    if (ea == eb + 1)
        return fa + ((1ull << 63) - fb);
    return ~0ull;
}

static bool same(fx80 a, fx80 b)
{
    return a.se == b.se && a.mant == b.mant;
}

bool fpvec_check(const struct fpvec *v, char *why, size_t n)
{
    struct outcome o;
    fx80 hr = fx(v->re, v->rm), hr2 = fx(v->r2e, v->r2m);
    uint32_t fmask, hflags = v->flags;
    bool trans = is_trans(v->op), ok;

    memset(&o, 0, sizeof(o));
    if (v->op < V_FIRST_SSE) {
        run_x87(v, &o);
        fmask = FSW_CHECKED | FPV_NOSTORE;
        if (trans)
            fmask &= ~(uint32_t)(0x20 | FSW_C1);  /* PE, C1: rounding */
    } else {
        run_sse(v, &o);
        fmask = 0x3f | FPV_FAULT | 0x4500;
    }
    ok = (o.flags & fmask) == (hflags & fmask);
    if (trans) {
        ok = ok && (same(o.r, hr) || ulps(o.r, hr) <= 1) &&
             (same(o.r2, hr2) || ulps(o.r2, hr2) <= 1 ||
              v->op != V_FPTAN);
    } else if (v->op >= V_FIRST_SSE) {
        ok = ok && ((hflags & FPV_FAULT) || o.r.mant == hr.mant);
    } else if (v->op >= V_FST32 && v->op <= V_FISTT64 &&
               v->op != V_FLD32 && v->op != V_FLD64) {
        ok = ok && ((hflags & FPV_NOSTORE) || o.r.mant == hr.mant);
    } else {
        ok = ok && same(o.r, hr) &&
             (v->op == V_FPATAN || v->op == V_FYL2X || v->op == V_FYL2XP1 ||
              same(o.r2, hr2));
    }
    if (!ok)
        snprintf(why, n,
                 "%s ctl %#x a %04x:%016llx b %04x:%016llx: hw %04x:%016llx "
                 "%04x:%016llx flags %#x, softfloat %04x:%016llx "
                 "%04x:%016llx flags %#x",
                 fpvec_names[v->op], v->ctl, v->ae,
                 (unsigned long long)v->am, v->be, (unsigned long long)v->bm,
                 v->re, (unsigned long long)v->rm, v->r2e,
                 (unsigned long long)v->r2m, hflags & fmask, o.r.se,
                 (unsigned long long)o.r.mant, o.r2.se,
                 (unsigned long long)o.r2.mant, o.flags & fmask);
    return ok;
}
