/*
 * x87/MMX/SSE state for the forms that use it (FO_FPU): a random FXSAVE
 * image as input, special floating-point values for registers and memory
 * operands, and the comparison of the images both sides saved.
 */
#include <stdio.h>
#include <string.h>
#include "cpu-diff.h"

struct rng { uint64_t s; };

static uint64_t rnd(struct rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static unsigned below(struct rng *r, unsigned n)
{
    return n ? (unsigned)(rnd(r) % n) : 0;
}

static void put_le(uint8_t *p, uint64_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_le(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

void cd_fx_default(uint8_t fx[FX_SIZE])
{
    memset(fx, 0, FX_SIZE);
    put_le(fx + FX_FCW, 0x037f, 2);
    put_le(fx + FX_MXCSR, 0x1f80, 4);
}

/* Format parameters: exponent bits, fraction bits (x87: 63 below the
 * explicit integer bit). */
struct fmt { unsigned ebits, fbits; bool explicit_int; };
static const struct fmt fmt32 = { 8, 23, false };
static const struct fmt fmt64 = { 11, 52, false };
static const struct fmt fmt80 = { 15, 63, true };

/* Sign, biased exponent and fraction of one value; x87 adds the integer
 * bit from the exponent unless `odd` asks for an unnormal/pseudo form. */
static void fp_pack(uint8_t *out, const struct fmt *f, bool sign, uint64_t exp,
                    uint64_t frac, bool odd)
{
    uint64_t fmask = (f->fbits >= 64 ? ~0ull : (1ull << f->fbits) - 1);
    frac &= fmask;
    if (f->explicit_int) {
        bool ib = exp != 0;
        if (odd)
            ib = !ib;
        put_le(out, frac | (uint64_t)ib << 63, 8);
        put_le(out + 8, (uint64_t)sign << 15 | exp, 2);
        return;
    }
    unsigned bits = 1 + f->ebits + f->fbits;
    uint64_t v = (uint64_t)sign << (bits - 1) | exp << f->fbits | frac;
    put_le(out, v, bits / 8);
}

void cd_fp_value(uint8_t *out, unsigned size, uint64_t seed)
{
    struct rng r = { seed };
    const struct fmt *f = size == 4 ? &fmt32 : size == 8 ? &fmt64 : &fmt80;
    uint64_t emax = (1ull << f->ebits) - 1, bias = emax >> 1;
    uint64_t qbit = 1ull << (f->fbits - 1);
    uint64_t fmask = (1ull << f->fbits) - 1;
    bool s = rnd(&r) & 1, odd = false;
    uint64_t e, fr;

    switch (below(&r, 16)) {
    case 0: e = 0; fr = 0; break;                               /* zero */
    case 1: e = 0; fr = rnd(&r) & fmask; break;                 /* denormal */
    case 2: e = 0; fr = 1; break;                               /* tiniest */
    case 3: e = emax; fr = 0; break;                            /* infinity */
    case 4: e = emax; fr = qbit | (rnd(&r) & (qbit - 1) & -(uint64_t)below(&r, 2)); break;
    case 5: e = emax; fr = (rnd(&r) & (qbit - 1)) | 1; break;   /* SNaN */
    case 6: e = emax - 1; fr = rnd(&r) & fmask; break;          /* huge */
    case 7: e = 1; fr = rnd(&r) & fmask; break;                 /* smallest normals */
    case 8: e = bias; fr = 0; break;                            /* 1.0 */
    case 9: e = bias + below(&r, 64); fr = 0; break;            /* integers */
    case 10: e = bias + below(&r, 64);                          /* near-integers */
             fr = (rnd(&r) & fmask) >> below(&r, f->fbits); break;
    case 11: e = bias - 1; fr = fmask; break;                   /* just below 1 */
    case 12: e = f->explicit_int && below(&r, 2) ? 0 : emax;    /* x87 oddities */
             fr = rnd(&r) & fmask; odd = f->explicit_int; break;
    default: e = bias - 40 + below(&r, 80); fr = rnd(&r) & fmask; break;
    }
    fp_pack(out, f, s, e, fr, odd);
}

/* A random x87/SSE state that no instruction faults on before it runs:
 * no unmasked exception is pending. */
void cd_fx_random(uint8_t fx[FX_SIZE], uint64_t seed)
{
    struct rng r = { seed };
    static const uint16_t rc_pc[] = { 0x000, 0x400, 0x800, 0xc00, 0x000,
                                      0x200, 0x300 };
    uint16_t fcw = 0x40 | 0x3f, fsw;
    uint32_t mxcsr = 0x1f80;
    unsigned top = below(&r, 8);

    memset(fx, 0, FX_SIZE);
    /* Rounding control and precision: often the defaults. */
    fcw |= below(&r, 3) ? 0x300 : rc_pc[below(&r, 7)];
    if (below(&r, 4) == 0)
        fcw = (uint16_t)((fcw & ~0x3f) | (rnd(&r) & 0x3f) | 0x40);  /* unmasked */
    if (below(&r, 4) == 0)
        fcw = (uint16_t)((fcw & ~0xc00) | (below(&r, 4) << 10));
    /* Status: TOP, condition codes, sticky flags without a pending
     * unmasked exception (which would fault before the instruction). */
    fsw = (uint16_t)(top << 11 | (rnd(&r) & 0x4700));
    fsw |= (uint16_t)(rnd(&r) & 0x3f & fcw);   /* only masked ones are set */
    put_le(fx + FX_FCW, fcw, 2);
    put_le(fx + FX_FSW, fsw, 2);
    /* Tags: a random number of registers in use from TOP downwards. */
    unsigned used = below(&r, 3) ? below(&r, 9) : (unsigned)(rnd(&r) & 8);
    uint8_t ftw = 0;
    for (unsigned i = 0; i < used; i++)
        ftw |= (uint8_t)(1u << ((top + i) & 7));
    if (below(&r, 8) == 0)
        ftw = (uint8_t)rnd(&r);
    fx[FX_FTW] = ftw;
    for (unsigned i = 0; i < 8; i++)
        cd_fp_value(fx + FX_ST(i), 10, rnd(&r));
    /* MXCSR: rounding, DAZ/FTZ, masks, sticky flags. */
    if (below(&r, 2)) {
        mxcsr = (uint32_t)(rnd(&r) & 0xffff);
        if (below(&r, 2))
            mxcsr |= 0x1f80;                        /* all masked */
    }
    put_le(fx + FX_MXCSR, mxcsr, 4);
    /* XMM: lanes of one float kind per register, or integers. */
    for (unsigned i = 0; i < 16; i++) {
        uint8_t *x = fx + FX_XMM(i);
        unsigned kind = below(&r, 4);
        for (unsigned o = 0; o < 16;) {
            if (kind == 0) {
                cd_fp_value(x + o, 4, rnd(&r));
                o += 4;
            } else if (kind == 1) {
                cd_fp_value(x + o, 8, rnd(&r));
                o += 8;
            } else {
                put_le(x + o, kind == 2 ? rnd(&r) : rnd(&r) & rnd(&r), 8);
                o += 8;
            }
        }
    }
}

static void add_name(char *what, size_t len, const char *name, bool *any)
{
    size_t n = strlen(what);
    snprintf(what + n, len - n, "%s%s", *any ? " " : "", name);
    *any = true;
}

/* Two 80-bit values at most one unit in the last place apart (or the
 * same bits). */
static bool within_ulp(const uint8_t *a, const uint8_t *b)
{
    uint64_t ma = get_le(a, 8), mb = get_le(b, 8);
    unsigned ea = (unsigned)get_le(a + 8, 2), eb = (unsigned)get_le(b + 8, 2);

    if (ma == mb && ea == eb)
        return true;
    if ((ea ^ eb) & 0x8000)
        return false;
    if (ea == eb)
        return ma - mb + 1 <= 2;
    if (ea == eb + 1)                   /* a = 2^e exactly, b just below */
        return ma == 1ull << 63 && mb == ~0ull;
    if (eb == ea + 1)
        return mb == 1ull << 63 && ma == ~0ull;
    return false;
}

bool cd_fx_differ(const uint8_t *host, const uint8_t *emu, char *what,
                  size_t len, bool ulp)
{
    static const struct { const char *name; unsigned off, n; } fields[] = {
        { "fcw", FX_FCW, 2 }, { "fsw", FX_FSW, 2 }, { "ftw", FX_FTW, 1 },
        { "mxcsr", FX_MXCSR, 4 },
    };
    bool any = false;
    char name[16];

    what[0] = 0;
    for (unsigned i = 0; i < ARRAY_LEN(fields); i++) {
        uint64_t mask = ulp && fields[i].off == FX_FSW ? ~0x220ull : ~0ull;
        if ((get_le(host + fields[i].off, fields[i].n) & mask) !=
            (get_le(emu + fields[i].off, fields[i].n) & mask))
            add_name(what, len, fields[i].name, &any);
    }
    if (get_le(host + FX_FSW, 2) & 0x80) {
        if (memcmp(host + FX_FOP, emu + FX_FOP, 2))
            add_name(what, len, "fop", &any);
        if (memcmp(host + FX_FIP, emu + FX_FIP, 8))
            add_name(what, len, "fip", &any);
        if (memcmp(host + FX_FDP, emu + FX_FDP, 8))
            add_name(what, len, "fdp", &any);
    }
    for (unsigned i = 0; i < 8; i++)
        if (ulp ? !within_ulp(host + FX_ST(i), emu + FX_ST(i))
                : memcmp(host + FX_ST(i), emu + FX_ST(i), 10) != 0) {
            snprintf(name, sizeof(name), "st%u", i);
            add_name(what, len, name, &any);
        }
    for (unsigned i = 0; i < 16; i++)
        if (memcmp(host + FX_XMM(i), emu + FX_XMM(i), 16)) {
            snprintf(name, sizeof(name), "xmm%u", i);
            add_name(what, len, name, &any);
        }
    return any;
}

void cd_fx_print(const char *tag, const uint8_t *fx)
{
    printf("  %-7s fcw=%04x fsw=%04x ftw=%02x fop=%03x fip=%llx fdp=%llx "
           "mxcsr=%08x\n", tag, (unsigned)get_le(fx + FX_FCW, 2),
           (unsigned)get_le(fx + FX_FSW, 2), fx[FX_FTW],
           (unsigned)get_le(fx + FX_FOP, 2),
           (unsigned long long)get_le(fx + FX_FIP, 8),
           (unsigned long long)get_le(fx + FX_FDP, 8),
           (unsigned)get_le(fx + FX_MXCSR, 4));
    for (unsigned i = 0; i < 8; i++)
        printf("%s st%u=%04x:%016llx%s", i % 4 ? "" : "         ", i,
               (unsigned)get_le(fx + FX_ST(i) + 8, 2),
               (unsigned long long)get_le(fx + FX_ST(i), 8),
               i % 4 == 3 ? "\n" : "");
    for (unsigned i = 0; i < 16; i++)
        printf("%s xmm%-2u=%016llx:%016llx%s", i % 2 ? "" : "         ", i,
               (unsigned long long)get_le(fx + FX_XMM(i) + 8, 8),
               (unsigned long long)get_le(fx + FX_XMM(i), 8),
               i % 2 ? "\n" : "");
}
