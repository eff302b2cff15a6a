/*
 * MMX/SSE operands of a generated case, set after the instruction is
 * encoded (the registers and the memory operand are known then): integer
 * lanes with edge values, small shift counts, text for the string compares,
 * the implicit operands of masked stores, MXCSR images and FXSAVE/XSAVE
 * images for the restores.  Operates on the case's FXSAVE image (MMX
 * register n is ST((n - TOP) & 7) there) and data region.
 */
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

static uint64_t below(struct rng *r, uint64_t n)
{
    return n ? rnd(r) % n : 0;
}

static bool chance(struct rng *r, unsigned pct)
{
    return below(r, 100) < pct;
}

static void put_le(uint8_t *p, uint64_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* The bytes of register n of the form's register file in the image. */
static uint8_t *reg_bytes(struct cd_case *k, int n)
{
    uint8_t *fx = k->in.fx;
    unsigned top = (fx[FX_FSW + 1] >> 3) & 7;

    if (k->f->flags & FO_MMX)
        return fx + FX_ST(((unsigned)n - top) & 7);
    return fx + FX_XMM(n & 15);
}

static unsigned reg_size(const struct cd_case *k)
{
    return (k->f->flags & FO_MMX) ? 8 : 16;
}

/* Write n bytes at guest address va where they fall in the data region. */
static void data_write(struct cd_case *k, uint64_t va, const uint8_t *p,
                       unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        if (va + i >= CD_DATA_BASE && va + i < CD_DATA_END)
            k->data[va + i - CD_DATA_BASE] = p[i];
}

/* The r/m operand's bytes: a register of the file, or a copy for memory
 * (written back by rm_done). */
static uint8_t *rm_bytes(struct cd_case *k, uint8_t *buf)
{
    if (k->f->mem || k->rm < 0)
        return buf;
    return reg_bytes(k, k->rm);
}

static void rm_done(struct cd_case *k, const uint8_t *buf, unsigned n)
{
    if (k->f->mem)
        data_write(k, k->ea, buf, n);
}

/* Lanes of one width with the values saturation and compares care about. */
static void edge_lanes(struct rng *r, uint8_t *p, unsigned n)
{
    unsigned w = 1u << below(r, 4);

    for (unsigned o = 0; o + w <= n; o += w) {
        uint64_t top = 1ull << (8 * w - 1), all = top | (top - 1), v;
        switch (below(r, 9)) {
        case 0: v = 0; break;
        case 1: v = 1; break;
        case 2: v = all; break;
        case 3: v = top; break;
        case 4: v = top - 1; break;
        case 5: v = top + 1; break;
        case 6: v = below(r, 256); break;
        case 7: v = all - below(r, 256); break;
        default: v = rnd(r); break;
        }
        put_le(p + o, v, w);
    }
}

static void text_bytes(struct rng *r, uint8_t *p, unsigned n)
{
    static const uint8_t alpha[] = { 'a', 'b', 'c', 'a', 'b', 'z', 'A', 0x80 };

    for (unsigned i = 0; i < n; i++)
        p[i] = chance(r, 6) ? 0 : alpha[below(r, sizeof(alpha))];
}

/* An XSAVE image: a random legacy region and a header that XRSTOR mostly
 * accepts (standard or compacted), now and then one it must refuse. */
static void xsave_image(struct rng *r, uint8_t *img)
{
    uint64_t bv = below(r, 4), comp = 0;

    cd_fx_random(img, rnd(r));
    memset(img + 512, 0, 64);
    if (chance(r, 40))
        comp = 1ull << 63 | bv | below(r, 4);
    switch (below(r, 12)) {
    case 0: bv |= 1ull << 30; break;              /* unsupported component */
    case 1: bv |= 1ull << 63; break;
    case 2: img[512 + 16 + below(r, 48)] = (uint8_t)(1 + below(r, 255)); break;
    case 3: comp = 1ull << 63 | below(r, 4); break;  /* bv maybe outside */
    default: break;
    }
    put_le(img + 512, bv, 8);
    put_le(img + 520, comp, 8);
}

/* EDX:EAX within x87|SSE (the host's XCR0 has more); garbage above. */
static void xsave_mask(struct rng *r, struct cd_case *k)
{
    k->in.r[RAX] = below(r, 4) | (rnd(r) << 32);
    k->in.r[RDX] = rnd(r) << 32;
}

void cd_simd_setup(struct cd_case *k, uint64_t seed)
{
    struct rng r = { seed };
    const struct cd_form *f = k->f;
    unsigned rs = reg_size(k), ms = f->msize > rs ? rs : f->msize;
    uint8_t buf[576];

    if (!ms)
        ms = rs;
    memset(buf, 0, sizeof(buf));
    if ((f->flags & FO_SIMD) && chance(&r, 50)) {
        if (k->reg >= 0)
            edge_lanes(&r, reg_bytes(k, k->reg), rs);
        if (chance(&r, 80)) {
            uint8_t *p = rm_bytes(k, buf);
            edge_lanes(&r, p, ms);
            rm_done(k, p, ms);
        }
    }
    switch (f->kind) {
    case K_VSHIFT: {
        uint8_t *p = rm_bytes(k, buf);
        uint64_t n = chance(&r, 80) ? below(&r, 70) : rnd(&r);
        memset(p, 0, 8);
        if (chance(&r, 10))
            put_le(p, rnd(&r), 8);
        put_le(p, n, chance(&r, 80) ? 8 : 1);
        rm_done(k, p, ms < 8 ? ms : 8);
        break;
    }
    case K_PCMPSTR: {
        uint8_t *p = rm_bytes(k, buf);
        text_bytes(&r, reg_bytes(k, k->reg), 16);
        text_bytes(&r, p, 16);
        rm_done(k, p, 16);
        for (int i = 0; i < 2; i++) {
            uint64_t len = chance(&r, 85) ? (uint64_t)((int64_t)below(&r, 41) - 20)
                                          : rnd(&r);
            k->in.r[i ? RDX : RAX] = len;
        }
        break;
    }
    case K_MASKMOV: {
        uint64_t a = CD_DATA_BASE + below(&r, CD_DATA_SIZE - 16);
        if (chance(&r, 10))
            a = CD_DATA_BASE + 0x1000 - below(&r, 16);
        if (chance(&r, 5))
            a = CD_DATA_END - below(&r, 16);
        k->in.r[RDI] = a;
        break;
    }
    case K_MXCSR: {
        uint32_t v = (uint32_t)(chance(&r, 85) ? rnd(&r) & 0x2ffff : rnd(&r));
        if (chance(&r, 40))
            v |= 0x1f80;
        put_le(buf, v, 4);
        data_write(k, k->ea, buf, 4);
        break;
    }
    case K_FXRSTOR:
        cd_fx_random(buf, rnd(&r));
        if (chance(&r, 10))
            put_le(buf + FX_MXCSR, rnd(&r), 4);
        data_write(k, k->ea, buf, 512);
        break;
    case K_XRSTOR:
        xsave_image(&r, buf);
        data_write(k, k->ea, buf, 576);
        xsave_mask(&r, k);
        break;
    case K_XSAVE:
        xsave_mask(&r, k);
        break;
    default:
        break;
    }
}
