/*
 * Case generation: a seeded input state (edge-biased registers, random
 * flags, patterned data), an encoding of the form with randomly chosen
 * registers and addressing mode whose effective address lands in the data
 * region, per-kind input set-up (division operands, string pointers, stack,
 * branch targets...) and the code image with landing stubs.
 *
 * Everything derives from the case seed, so `--form F --case N` rebuilds a
 * case exactly.
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

uint64_t cd_mix(uint64_t a, uint64_t b)
{
    struct rng r = { a ^ (b * 0xff51afd7ed558ccdull) };
    rnd(&r);
    return rnd(&r);
}

static uint64_t below(struct rng *r, uint64_t n)
{
    return n ? rnd(r) % n : 0;
}

static bool chance(struct rng *r, unsigned pct)
{
    return below(r, 100) < pct;
}

static uint64_t szmask(unsigned bits)
{
    return bits >= 64 ? ~0ull : (1ull << bits) - 1;
}

static uint64_t sext(uint64_t v, unsigned bits)
{
    if (bits >= 64)
        return v;
    v &= szmask(bits);
    return (v ^ (1ull << (bits - 1))) - (1ull << (bits - 1));
}

/* An interesting value of the given width: zero, one, all ones, the signed
 * extremes and their neighbours, powers of two, small, sparse. */
static uint64_t edge(struct rng *r, unsigned bits)
{
    uint64_t m = szmask(bits), top = 1ull << (bits - 1);

    switch (below(r, 12)) {
    case 0: return 0;
    case 1: return 1;
    case 2: return m;
    case 3: return top - 1;
    case 4: return top;
    case 5: return top + 1;
    case 6: return m - 1;
    case 7: return 1ull << below(r, bits);
    case 8: return (1ull << below(r, bits)) - 1;
    case 9: return below(r, 16);
    case 10: return (m - below(r, 16)) & m;
    default: return rnd(r) & rnd(r) & m;
    }
}

/* A register value whose low `bits` are interesting (0: any width). */
static uint64_t value(struct rng *r, unsigned bits)
{
    uint64_t v;

    if (!bits)
        bits = 8u << below(r, 4);
    if (chance(r, 35))
        return rnd(r);
    v = edge(r, bits) & szmask(bits);
    if (bits < 64) {
        switch (below(r, 3)) {
        case 1: v |= rnd(r) & ~szmask(bits); break;
        case 2: v = sext(v, bits); break;
        default: break;
        }
    }
    return v;
}

/* ---- generator state ------------------------------------------------------ */

struct gen {
    struct rng r;
    struct cd_case *k;
    const struct cd_form *f;
    bool m64;
    unsigned nreg;
    uint32_t avoid;          /* registers never used as base/index */
    uint32_t fixed;          /* preset registers usable as a base */
    unsigned bits;           /* operand width for values */
};

static void data_put(struct cd_case *k, uint64_t va, unsigned n, uint64_t v)
{
    for (unsigned i = 0; i < n && i < 8; i++)
        if (va + i >= CD_DATA_BASE && va + i < CD_DATA_END)
            k->data[va + i - CD_DATA_BASE] = (uint8_t)(v >> (8 * i));
}

static uint64_t data_get(const struct cd_case *k, uint64_t va, unsigned n)
{
    uint64_t v = 0;

    for (unsigned i = 0; i < n && i < 8; i++)
        if (va + i >= CD_DATA_BASE && va + i < CD_DATA_END)
            v |= (uint64_t)k->data[va + i - CD_DATA_BASE] << (8 * i);
    return v;
}

/* Register n as seen by an operand of `bits`; byte registers 4..7 are
 * AH..BH unless a REX prefix is present. */
static uint64_t reg_get(const struct cd_case *k, int n, unsigned bits, bool byte)
{
    if (byte && bits == 8 && !k->rex && n >= 4 && n < 8)
        return (k->in.r[n - 4] >> 8) & 0xff;
    return k->in.r[n] & szmask(bits);
}

/* Set the low `bits` of an input register, keeping the bits above. */
static void reg_set(struct cd_case *k, int n, unsigned bits, bool byte, uint64_t v)
{
    if (byte && bits == 8 && !k->rex && n >= 4 && n < 8) {
        k->in.r[n - 4] = (k->in.r[n - 4] & ~0xff00ull) | (v & 0xff) << 8;
        return;
    }
    k->in.r[n] = (k->in.r[n] & ~szmask(bits)) | (v & szmask(bits));
}

/* The r/m operand (register or memory) at `bits`. */
static uint64_t rm_get(struct gen *g, unsigned bits)
{
    struct cd_case *k = g->k;
    if (g->f->mem)
        return data_get(k, k->ea, bits / 8);
    return reg_get(k, k->rm, bits, g->f->flags & FO_BYTEREG);
}

static void rm_set(struct gen *g, unsigned bits, uint64_t v)
{
    struct cd_case *k = g->k;
    if (g->f->mem)
        data_put(k, k->ea, bits / 8, v);
    else
        reg_set(k, k->rm, bits, g->f->flags & FO_BYTEREG, v);
}

/* ---- input state ---------------------------------------------------------- */

static void fill_data(struct gen *g)
{
    struct rng *r = &g->r;
    uint8_t *d = g->k->data;
    uint8_t alpha[4] = { 0, 0xff, (uint8_t)rnd(r), (uint8_t)rnd(r) };
    unsigned how = (unsigned)below(r, 4);

    for (unsigned i = 0; i < CD_DATA_SIZE; i += 8) {
        uint64_t v = rnd(r);
        switch (how) {
        case 0:
            break;
        case 1: {      /* small alphabet: REPE/REPNE stop somewhere */
            uint64_t sel = v;
            v = 0;
            for (int b = 0; b < 8; b++)
                v |= (uint64_t)alpha[(sel >> (2 * b)) & 3] << (8 * b);
            break;
        }
        case 2:        /* one byte value with rare others */
            v = (v & 63) ? alpha[0] * 0x0101010101010101ull : v;
            break;
        default:       /* edge values */
            v = value(r, 8u << (v & 3));
            break;
        }
        memcpy(d + i, &v, 8);
    }
}

static void random_state(struct gen *g)
{
    struct cd_case *k = g->k;
    struct rng *r = &g->r;

    for (int i = 0; i < 16; i++)
        k->in.r[i] = value(r, g->bits);
    k->in.rflags = 0x202 | (rnd(r) & (ARITH | DF));
    fill_data(g);
    if (g->f->flags & FO_FPU)
        cd_fx_random(k->in.fx, rnd(r));
    else
        cd_fx_default(k->in.fx);
}

/* An FPU form's memory operand: often a special value of its float size
 * (two or four lanes for 16 bytes). */
static void fp_operand(struct gen *g)
{
    struct cd_case *k = g->k;
    unsigned ms = g->f->msize, lane = ms == 16 ? (chance(&g->r, 50) ? 4 : 8) : ms;
    uint8_t v[16];

    if (!g->f->mem || !(ms == 4 || ms == 8 || ms == 10 || ms == 16) ||
        !chance(&g->r, 60))
        return;
    for (unsigned o = 0; o < ms; o += lane)
        cd_fp_value(v + o, lane, rnd(&g->r));
    for (unsigned i = 0; i < ms; i++)
        if (k->ea + i >= CD_DATA_BASE && k->ea + i < CD_DATA_END)
            k->data[k->ea + i - CD_DATA_BASE] = v[i];
}

static uint64_t data_addr(struct gen *g, unsigned lo_room, unsigned hi_room,
                          unsigned align)
{
    uint64_t span = CD_DATA_SIZE - lo_room - hi_room;
    uint64_t a = CD_DATA_BASE + lo_room + below(&g->r, span);
    return a & ~(uint64_t)(align - 1);
}

static unsigned shift_count(struct gen *g, unsigned bits)
{
    static const unsigned fixed[] = { 0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33,
                                      63, 64, 65, 127, 255 };
    struct rng *r = &g->r;

    switch (below(r, 4)) {
    case 0: return bits - 1;
    case 1: return (unsigned)below(r, 256);
    default: return fixed[below(r, ARRAY_LEN(fixed))];
    }
}

/* Registers the set-up owns, before encoding (those it presets). */
static void pre_setup(struct gen *g)
{
    struct cd_case *k = g->k;
    const struct cd_form *f = g->f;
    struct rng *r = &g->r;
    unsigned os = f->opsize ? f->opsize : 64;

    switch (f->kind) {
    case K_SHIFT:
        g->avoid |= 1u << RCX;
        reg_set(k, RCX, 8, false, shift_count(g, os));
        break;
    case K_DIV: case K_IDIV: case K_MULX:
        g->avoid |= 1u << RAX | 1u << RDX;
        break;
    case K_CMPXCHG:
        g->avoid |= 1u << RAX;
        break;
    case K_CX8: case K_CX16:
        g->avoid |= 1u << RAX | 1u << RDX | 1u << RBX | 1u << RCX;
        break;
    case K_STRING: {
        unsigned es = os / 8, n;
        uint64_t cnt;
        bool df = k->in.rflags & DF;
        switch (below(r, 10)) {
        case 0: cnt = 0; break;
        case 1: cnt = rnd(r); break;           /* runs into the end */
        case 2: case 3: cnt = 17 + below(r, 300); break;
        default: cnt = 1 + below(r, 16); break;
        }
        n = (unsigned)(cnt > 512 ? 512 : cnt) * es;
        for (int i = 0; i < 2; i++) {
            uint64_t a = df ? data_addr(g, n, es, 1) : data_addr(g, 0, n + es, 1);
            if (chance(r, 70))
                a &= ~(uint64_t)(es - 1);
            if (chance(r, 5))
                a = df ? CD_DATA_BASE + below(r, 64) : CD_DATA_END - below(r, 64);
            if (!g->m64 || f->pfx[0] == 0x67 || chance(r, 3))
                a |= rnd(r) << 32;          /* ignored, or a wild pointer */
            k->in.r[i ? RDI : RSI] = a;
        }
        k->in.r[RCX] = cnt;
        if (f->pfx[0] == 0x67 || !g->m64)
            k->in.r[RCX] = (rnd(r) << 32) | (uint32_t)cnt;
        g->avoid |= 1u << RSI | 1u << RDI | 1u << RCX;
        break;
    }
    case K_STACK: case K_POPF: case K_PUSHA: case K_CALL: case K_RET:
    case K_CALLIND: case K_ENTER: {
        uint64_t sp = data_addr(g, 0x100, 0x100, chance(r, 85) ? 8 : 1);
        k->in.r[RSP] = g->m64 ? sp : (rnd(r) << 32) | sp;
        g->avoid |= 1u << RSP;
        g->fixed |= 1u << RSP;
        if (f->kind == K_POPF) {
            uint64_t img = rnd(r) & ~(uint64_t)(TF | (1u << 18));
            data_put(k, sp, 8, img);
        }
        if (f->kind == K_ENTER) {
            k->in.r[RBP] = data_addr(g, 0x200, 0x100, chance(r, 85) ? 8 : 1);
            g->avoid |= 1u << RBP;
        }
        break;
    }
    case K_LEAVE:
        k->in.r[RBP] = data_addr(g, 0x10, 0x10, chance(r, 85) ? 8 : 1);
        if (chance(r, 5))
            k->in.r[RBP] = rnd(r);               /* faulting pop */
        g->avoid |= 1u << RSP | 1u << RBP;
        break;
    case K_LOOP: {
        static const uint64_t rcx[] = { 0, 1, 2, 3, 0x100000000ull,
                                        0x100000001ull, 0xffffffffull, ~0ull };
        k->in.r[RCX] = chance(r, 60) ? rcx[below(r, ARRAY_LEN(rcx))] : value(r, 32);
        g->avoid |= 1u << RCX;
        break;
    }
    case K_XLAT:
        k->in.r[RBX] = data_addr(g, 0, 0x100, 1);
        if (!g->m64)
            k->in.r[RBX] |= rnd(r) << 32;
        g->avoid |= 1u << RBX | 1u << RAX;
        break;
    default:
        break;
    }
}

/* ---- encoding ------------------------------------------------------------ */

struct enc {
    bool noise, lock;
    int regf;        /* ModRM.reg field value (0..15), -1 none */
    int rmreg;       /* register r/m, -1 none */
    int opreg;       /* register in the opcode, -1 none */
    int vreg;        /* VEX.vvvv register, -1 none */
    /* memory operand */
    int base, index, ss;
    int dispsz;      /* 0, 1, 4 */
    int32_t disp;
    bool riprel, nobase_sib, abs_modrm;
};

static void emit(struct cd_case *k, uint8_t b)
{
    if (k->len < sizeof(k->insn))
        k->insn[k->len++] = b;
}

static void emit_le(struct cd_case *k, uint64_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        emit(k, (uint8_t)(v >> (8 * i)));
}

static int pick_reg(struct gen *g, uint32_t exclude)
{
    int cand[16], n = 0;

    for (int i = 0; i < (int)g->nreg; i++)
        if (!(exclude >> i & 1))
            cand[n++] = i;
    return n ? cand[below(&g->r, (uint64_t)n)] : -1;
}

/* The effective address a memory operand should have. */
static uint64_t pick_ea(struct gen *g)
{
    const struct cd_form *f = g->f;
    struct rng *r = &g->r;
    unsigned ms = f->msize ? f->msize : 1;
    uint64_t ea;
    unsigned p = (unsigned)below(r, 100);

    if (f->flags & FO_NOACCESS)
        return chance(r, 50) ? rnd(r) : CD_DATA_BASE + below(r, CD_DATA_SIZE);
    if (p < 70)
        ea = data_addr(g, 0, ms, 1);
    else if (p < 80)
        ea = CD_DATA_BASE + 0x1000 - ms + 1 + below(r, ms);   /* page straddle */
    else if (p < 93)
        ea = data_addr(g, 0, ms, ms & (ms - 1) ? 1 : ms);
    else if (p < 97)
        ea = CD_DATA_BASE + below(r, 16);
    else                                            /* runs off the end */
        ea = chance(r, 50) ? CD_DATA_END - ms + 1 + below(r, ms)
                           : CD_DATA_BASE - 1 - below(r, ms);
    if (f->kind == K_CX16 && chance(r, 85))
        ea &= ~15ull;
    if (f->kind == K_BITOFS || f->kind == K_BOUND)
        ea = data_addr(g, 0, 16, 1);
    return ea;
}

static void pick_mem(struct gen *g, struct enc *e)
{
    struct cd_case *k = g->k;
    struct rng *r = &g->r;
    bool wide = g->m64 && !k->a32;
    uint64_t amask = wide ? ~0ull : 0xffffffffull;
    uint64_t ea = pick_ea(g), bval = 0, ival = 0;
    uint32_t excl = g->avoid;
    unsigned shape = (unsigned)below(r, 100);

    if (e->regf >= 0 && (g->f->kind == K_BITOFS || g->f->kind == K_BOUND))
        excl |= 1u << e->regf;
    if (e->vreg >= 0)
        excl |= 1u << e->vreg;
    e->base = e->index = -1;
    e->ss = (int)below(r, 4);
    e->dispsz = 0;
    e->disp = 0;

    if (g->fixed && chance(r, 30)) {                /* [rsp+disp8] */
        e->base = RSP;
        e->dispsz = 1;
        e->disp = (int8_t)(below(r, 64) - 32) & ~7;
        k->ea = (k->in.r[RSP] + (uint64_t)(int64_t)e->disp) & amask;
        return;
    }
    if (shape >= 90 && !g->m64)
        shape = 20;
    if (shape < 80) {
        e->base = pick_reg(g, excl);
        if (shape >= 45)
            e->index = pick_reg(g, excl | 1u << RSP);
        if (e->base < 0)
            shape = 85;
    }
    if (shape < 80) {
        unsigned ds = shape < 15 ? 0 : shape < 35 ? 1 : shape < 45 ? 4 :
                      (unsigned)below(r, 3) == 2 ? 4 : (unsigned)below(r, 2);
        if (ds == 0 && (e->base & 7) == 5)
            ds = 1;
        e->dispsz = (int)ds;
        e->disp = ds == 1 ? (int8_t)rnd(r) :
                  ds == 4 ? (chance(r, 70) ? (int32_t)(below(r, 0x20000) - 0x10000)
                                           : (int32_t)rnd(r)) : 0;
        if (e->index >= 0 && e->index == e->base) {
            uint64_t m = 1u + (1u << e->ss), t = (ea - (uint64_t)(int64_t)e->disp) & amask;
            ea -= t % m;
            bval = ((ea - (uint64_t)(int64_t)e->disp) & amask) / m;
            ival = bval;
        } else {
            if (e->index >= 0)
                ival = chance(r, 70) ? (uint64_t)(int64_t)(below(r, 0x2000) - 0x1000) : rnd(r);
            bval = ea - (uint64_t)(int64_t)e->disp - (ival << e->ss);
        }
    } else if (shape < 85) {                        /* [index*s + disp32] */
        e->index = pick_reg(g, excl | 1u << RSP);
        e->dispsz = 4;
        ival = below(r, 0x1000);
        if (e->index < 0 || ((ea - (ival << e->ss)) & amask) > 0x7fffffffu) {
            e->index = -1;
            ival = 0;
        }
        e->disp = (int32_t)(ea - (ival << e->ss));
        ea = ((uint64_t)(int64_t)e->disp + (ival << e->ss)) & amask;
        e->nobase_sib = true;
    } else if (shape < 90) {                        /* [disp32] */
        e->dispsz = 4;
        e->disp = (int32_t)ea;
        ea = (uint64_t)(int64_t)e->disp & amask;
        e->nobase_sib = g->m64 || chance(r, 50);
        e->abs_modrm = !e->nobase_sib;
    } else {                                        /* [rip + disp32] */
        e->riprel = true;
        e->dispsz = 4;
        if ((ea & amask) > 0x7fffffffu)
            ea = CD_DATA_BASE + below(r, CD_DATA_SIZE);
    }

    if (!wide) {           /* only the low 32 bits address; garbage above */
        bval = (uint32_t)bval | (g->m64 ? rnd(r) << 32 : 0);
        ival = (uint32_t)ival | (g->m64 ? rnd(r) << 32 : 0);
        if (!g->m64) {
            bval |= k->in.r[e->base < 0 ? 0 : e->base] & ~0xffffffffull;
            ival |= k->in.r[e->index < 0 ? 0 : e->index] & ~0xffffffffull;
        }
    }
    if (e->base >= 0)
        k->in.r[e->base] = bval;
    if (e->index >= 0)
        k->in.r[e->index] = ival;
    k->ea = ea & amask;
}

/* ModRM, SIB and displacement for the chosen operands. */
static void emit_modrm(struct cd_case *k, const struct enc *e)
{
    unsigned reg = (unsigned)(e->regf < 0 ? 0 : e->regf) & 7;

    if (e->rmreg >= 0) {
        emit(k, (uint8_t)(0xc0 | reg << 3 | (e->rmreg & 7)));
        return;
    }
    if (e->riprel) {
        emit(k, (uint8_t)(reg << 3 | 5));
        emit_le(k, 0, 4);                 /* patched once the length is known */
        return;
    }
    if (e->abs_modrm) {
        emit(k, (uint8_t)(reg << 3 | 5));
        emit_le(k, (uint32_t)e->disp, 4);
        return;
    }
    if (e->nobase_sib) {
        emit(k, (uint8_t)(reg << 3 | 4));
        emit(k, (uint8_t)(e->ss << 6 | (e->index < 0 ? 4 : e->index & 7) << 3 | 5));
        emit_le(k, (uint32_t)e->disp, 4);
        return;
    }
    unsigned mod = e->dispsz == 0 ? 0 : e->dispsz == 1 ? 1 : 2;
    if (e->index >= 0 || (e->base & 7) == 4) {
        emit(k, (uint8_t)(mod << 6 | reg << 3 | 4));
        emit(k, (uint8_t)(e->ss << 6 | (e->index < 0 ? 4 : e->index & 7) << 3 |
                          (e->base & 7)));
    } else {
        emit(k, (uint8_t)(mod << 6 | reg << 3 | (e->base & 7)));
    }
    emit_le(k, (uint32_t)e->disp, (unsigned)e->dispsz);
}

static uint64_t imm_value(struct gen *g, int which, unsigned size)
{
    const struct cd_form *f = g->f;
    struct rng *r = &g->r;
    unsigned os = f->opsize ? f->opsize : 32;

    if (f->kind == K_ENTER) {
        static const uint64_t lvl[] = { 0, 0, 1, 2, 3, 31, 32, 33 };
        if (which == 0)
            return chance(r, 80) ? below(r, 0x100) & ~7ull : rnd(r);
        return chance(r, 70) ? lvl[below(r, ARRAY_LEN(lvl))] : below(r, 256);
    }
    if (f->kind == K_RET)
        return chance(r, 60) ? below(r, 64) * 8 : rnd(r) & 0xffff;
    switch (f->immk) {
    case IMM_SHIFT:
        return shift_count(g, os);
    case IMM_BIT: {
        static const unsigned b[] = { 0, 1, 7, 8, 15, 16, 17, 31, 32, 33, 63,
                                      64, 127, 128, 255 };
        return chance(r, 60) ? b[below(r, ARRAY_LEN(b))] : below(r, 256);
    }
    case IMM_AAM:
        return chance(r, 50) ? 10 : chance(r, 15) ? 0 : below(r, 256);
    default:
        return value(r, size * 8);
    }
}

static void encode(struct gen *g, struct enc *e)
{
    struct cd_case *k = g->k;
    const struct cd_form *f = g->f;
    struct rng *r = &g->r;
    bool byteops = f->flags & (FO_BYTEREG | FO_BYTEREGR);
    unsigned R = 0, X = 0, B = 0;

    k->len = 0;
    k->rex = false;
    if (e->noise && g->m64 && f->mem && chance(r, 12)) {
        static const uint8_t seg[] = { 0x26, 0x2e, 0x36, 0x3e };
        emit(k, seg[below(r, 4)]);
    }
    if (k->a32)
        emit(k, 0x67);
    if (f->opsize == 16 && !f->vex)
        emit(k, 0x66);
    if (e->lock)
        emit(k, 0xf0);
    for (unsigned i = 0; i < f->npfx; i++)
        emit(k, f->pfx[i]);

    if (e->regf >= 8) R = 1;
    if (e->rmreg >= 8) B = 1;
    if (e->opreg >= 8) B = 1;
    if (e->base >= 8) B = 1;
    if (e->index >= 8) X = 1;

    if (f->vex) {
        unsigned vv = e->vreg < 0 ? 0 : (unsigned)e->vreg;
        emit(k, 0xc4);
        emit(k, (uint8_t)((!R) << 7 | (!X) << 6 | (!B) << 5 | f->vex_map));
        emit(k, (uint8_t)(f->rexw << 7 | (~vv & 15) << 3 |
                          ((f->flags & FO_VEXL1) ? 4 : 0) | f->vex_pp));
    } else if (g->m64) {
        uint8_t rex = (uint8_t)(0x40 | f->rexw << 3 | R << 2 | X << 1 | B);
        bool empty = chance(r, byteops ? 35 : 8);
        if (rex != 0x40 || empty)
            emit(k, rex);
        k->rex = rex != 0x40 || empty;
    }
    for (unsigned i = 0; i < f->nop; i++) {
        uint8_t b = f->op[i];
        if (f->opreg && i + 1 == f->nop)
            b = (uint8_t)(b | (e->opreg & 7));
        emit(k, b);
    }
    if (f->modrm >= 0)
        emit_modrm(k, e);
    if (f->has_fixed_modrm)
        emit(k, f->fixed_modrm);
    if (f->moffs) {
        k->moffs_off = k->len;
        emit_le(k, k->ea, g->m64 && !k->a32 ? 8 : 4);
    }
    for (unsigned i = 0; i < f->nimm; i++) {
        k->imm_off[i] = k->len;
        emit_le(k, imm_value(g, (int)i, f->imm[i]), f->imm[i]);
    }
    if (f->rel) {
        k->rel_off = k->len;
        emit_le(k, 0, f->rel);
    }
    if (e->riprel) {
        unsigned off = k->len - f->rel - f->imm[0] - f->imm[1] - 4;
        int32_t d = (int32_t)(k->ea - (CD_INSN_ADDR + k->len));
        for (int i = 0; i < 4; i++)
            k->insn[off + i] = (uint8_t)((uint32_t)d >> (8 * i));
    }
}

/* Choose operands, then encode; retry without optional prefixes if the
 * instruction would be longer than 15 bytes. */
static void make_insn(struct gen *g)
{
    struct cd_case *k = g->k;
    const struct cd_form *f = g->f;
    struct rng *r = &g->r;
    struct enc e;

    memset(&e, 0, sizeof(e));
    e.regf = e.rmreg = e.opreg = e.vreg = e.base = e.index = -1;
    if (f->modrm == 8)
        e.regf = (f->flags & FO_SREG) ? (int)below(r, 6) : pick_reg(g, 0);
    else if (f->modrm >= 0)
        e.regf = (f->flags & FO_ANYREG) ? (int)below(r, 8) : f->modrm;
    if (f->opreg)
        e.opreg = pick_reg(g, 0);
    if (f->vex_vvvv)
        e.vreg = (f->flags & FO_UD) ? 1 + (int)below(r, 15) : pick_reg(g, 0);
    k->reg = f->modrm == 8 ? e.regf : e.opreg;
    k->vreg = e.vreg;
    k->rm = -1;
    k->a32 = false;
    if ((f->mem || f->moffs) && g->m64 && !(f->flags & FO_NOA32) && chance(r, 15))
        k->a32 = true;
    if (f->modrm >= 0 && !f->has_fixed_modrm) {
        if (f->mem)
            pick_mem(g, &e);
        else
            /* CALL RSP would push into the code region. */
            e.rmreg = k->rm = pick_reg(g, f->kind == K_CALLIND ? 1u << RSP : 0);
    }
    if (f->moffs)
        k->ea = pick_ea(g) & (k->a32 || !g->m64 ? 0xffffffffull : ~0ull);
    e.noise = true;
    e.lock = (f->flags & FO_LOCK) && f->mem && chance(r, 30);
    encode(g, &e);
    if (k->len > 15) {
        e.noise = false;
        e.lock = false;
        encode(g, &e);
    }
    k->base = e.base;
    k->index = e.index;
    if (f->mem && !(f->flags & FO_NOACCESS) && chance(r, 50) && f->msize <= 8)
        data_put(k, k->ea, f->msize, value(r, f->msize * 8));
}

/* ---- per-kind set-up after encoding ---------------------------------------- */

static void set_div(struct gen *g, bool sgn)
{
    struct cd_case *k = g->k;
    struct rng *r = &g->r;
    unsigned n = g->f->opsize;
    uint64_t m = szmask(n), d, hi, lo;
    unsigned cat = (unsigned)below(r, 10);

    d = cat == 0 ? 0 : edge(r, n);
    if (cat != 0 && !d)
        d = 1 + below(r, 7);
    rm_set(g, n, d);
    if (!sgn) {
        hi = cat == 1 ? d + below(r, m - d + 1) : (d ? rnd(r) % d : rnd(r));
        lo = rnd(r);
    } else {
        __int128 sd = (int64_t)sext(d, n), q, rem, div;
        int64_t qmax = (int64_t)(m >> 1), qmin = -qmax - 1;
        q = cat == 1 ? (chance(r, 50) ? (__int128)qmax + 1 : (__int128)qmin - 1)
                     : (__int128)(int64_t)sext(edge(r, n), n);
        if (cat == 1 && chance(r, 40)) {
            sd = -1;
            q = -(__int128)qmin;
            rm_set(g, n, m);
        }
        rem = sd ? (__int128)(rnd(r) % (uint64_t)(sd < 0 ? -sd : sd)) : 0;
        div = q * sd;
        if (div < 0)
            rem = -rem;
        if (cat == 0)
            div = (__int128)(int64_t)rnd(r) * (chance(r, 50) ? 1 : (int64_t)rnd(r));
        div += rem;
        lo = (uint64_t)div;
        hi = (uint64_t)(div >> n);
        if (n == 64)
            hi = (uint64_t)((unsigned __int128)div >> 64);
    }
    if (n == 8) {
        reg_set(k, RAX, 16, false, (hi & 0xff) << 8 | (lo & 0xff));
    } else {
        reg_set(k, RAX, n, false, lo);
        reg_set(k, RDX, n, false, hi);
    }
}

/* A branch target with room for its landing stub, off the instruction and
 * the fall-through stub; rel8 targets within reach. */
static uint64_t pick_target(struct gen *g, unsigned rel)
{
    struct cd_case *k = g->k;
    struct rng *r = &g->r;
    uint64_t next = CD_INSN_ADDR + k->len, t;

    if (rel != 1 && chance(r, 4))                 /* target not mapped */
        return chance(r, 50) ? CD_CODE_BASE + CD_CODE_SIZE + below(r, 0x10000)
                             : CD_CODE_BASE - 1 - below(r, 0x1000);
    for (;;) {
        if (rel == 1)
            t = next + (uint64_t)(int64_t)(int8_t)rnd(r);
        else
            t = CD_CODE_BASE + 0x10 + below(r, CD_CODE_SIZE - 0x10 - STUB_LEN);
        if (t + STUB_LEN <= CD_INSN_ADDR || t >= next + STUB_LEN)
            return t;
    }
}

static void patch(struct cd_case *k, unsigned off, uint64_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        k->insn[off + i] = (uint8_t)(v >> (8 * i));
}

static void post_setup(struct gen *g)
{
    struct cd_case *k = g->k;
    const struct cd_form *f = g->f;
    struct rng *r = &g->r;
    unsigned os = f->opsize;

    k->target = 0;
    switch (f->kind) {
    case K_DIV: case K_IDIV:
        set_div(g, f->kind == K_IDIV);
        break;
    case K_CMPXCHG:
        if (chance(r, 50))
            reg_set(k, RAX, os, false, rm_get(g, os));
        break;
    case K_CX8: case K_CX16: {
        unsigned h = f->kind == K_CX8 ? 32 : 64;
        if (chance(r, 50)) {
            reg_set(k, RAX, h, false, data_get(k, k->ea, h / 8));
            reg_set(k, RDX, h, false, data_get(k, k->ea + h / 8, h / 8));
        } else if (chance(r, 50)) {      /* one half equal */
            reg_set(k, RAX, h, false, data_get(k, k->ea, h / 8));
        }
        break;
    }
    case K_BITOFS:
        if (f->mem) {
            int64_t lo = -(int64_t)(k->ea - CD_DATA_BASE), hi = (int64_t)(CD_DATA_END - k->ea) - 8;
            int64_t span = (os == 16 ? 4000 : 0x7fffffff);
            if (lo < -span) lo = -span;
            if (hi > span) hi = span;
            int64_t byte = lo + (int64_t)below(r, (uint64_t)(hi - lo));
            uint64_t off = (uint64_t)(byte * 8 + (int64_t)below(r, 8));
            if (chance(r, 10))
                off = value(r, os);          /* far away: faults */
            reg_set(k, k->reg, os, false, off);
        }
        break;
    case K_SHIFTX: case K_BZHI:
        reg_set(k, k->vreg, 8, false, shift_count(g, os));
        break;
    case K_BEXTR: {
        uint64_t ctl = shift_count(g, os) | (uint64_t)shift_count(g, os) << 8;
        reg_set(k, k->vreg, 16, false, ctl);
        break;
    }
    case K_BOUND: {
        unsigned n = os / 8;
        int64_t lo = (int64_t)sext(value(r, os), os), hi = (int64_t)sext(value(r, os), os);
        if (chance(r, 70) && lo > hi) { int64_t t = lo; lo = hi; hi = t; }
        data_put(k, k->ea, n, (uint64_t)lo);
        data_put(k, k->ea + n, n, (uint64_t)hi);
        switch (below(r, 5)) {
        case 0: reg_set(k, k->reg, os, false, (uint64_t)lo); break;
        case 1: reg_set(k, k->reg, os, false, (uint64_t)hi); break;
        case 2: reg_set(k, k->reg, os, false, (uint64_t)(lo - 1)); break;
        case 3: reg_set(k, k->reg, os, false, (uint64_t)(hi + 1)); break;
        default: break;
        }
        break;
    }
    case K_JCC: case K_LOOP: case K_CALL: {
        uint64_t t = pick_target(g, f->rel);
        uint64_t d = t - (CD_INSN_ADDR + k->len);
        patch(k, k->rel_off, d, f->rel);
        k->target = t;
        break;
    }
    case K_RET: case K_JMPIND: case K_CALLIND: {
        uint64_t t = pick_target(g, 4);
        if (f->kind != K_RET && chance(r, 3))
            t ^= 1ull << 60;                    /* non-canonical */
        if (f->kind == K_RET)
            data_put(k, k->in.r[RSP] & (g->m64 ? ~0ull : 0xffffffffull), 8,
                     g->m64 ? t : (uint32_t)t);
        else
            rm_set(g, 64, t);
        k->target = t;
        break;
    }
    default:
        break;
    }
}

/* ---- code image ------------------------------------------------------------- */

/* A landing stub at va, if va is in the code region. */
static bool put_stub(uint8_t *code, uint64_t va, int id, bool m64)
{
    uint8_t *p = code + (va - CD_CODE_BASE);
    uint32_t landing = (uint32_t)(CD_CTRL_BASE + CTRL_LANDING);

    if (va < CD_CODE_BASE || va + STUB_LEN > CD_CODE_BASE + CD_CODE_SIZE)
        return false;
    if (m64) {          /* mov byte [landing], id; jmp [save] */
        uint32_t save = (uint32_t)(CD_CTRL_BASE + CTRL_SAVE);
        uint8_t s[] = { 0xc6, 0x04, 0x25, 0, 0, 0, 0, (uint8_t)id,
                        0xff, 0x24, 0x25, 0, 0, 0, 0 };
        memcpy(s + 3, &landing, 4);
        memcpy(s + 11, &save, 4);
        memcpy(p, s, sizeof(s));
    } else {            /* mov byte [landing], id; jmp far [far64] */
        uint32_t far64 = (uint32_t)(CD_CTRL_BASE + CTRL_FAR64);
        uint8_t s[] = { 0xc6, 0x05, 0, 0, 0, 0, (uint8_t)id,
                        0xff, 0x2d, 0, 0, 0, 0 };
        memcpy(s + 2, &landing, 4);
        memcpy(s + 9, &far64, 4);
        memcpy(p, s, sizeof(s));
    }
    return true;
}

static void build_code(struct cd_case *k)
{
    bool m64 = k->f->mode == 64;
    uint32_t save = (uint32_t)(CD_CTRL_BASE + CTRL_SAVE);
    uint8_t bounce[] = { 0xff, 0x24, 0x25, 0, 0, 0, 0 };

    memset(k->code, 0xcc, sizeof(k->code));
    memcpy(bounce + 3, &save, 4);
    memcpy(k->code + (CD_BOUNCE64 - CD_CODE_BASE), bounce, sizeof(bounce));
    memcpy(k->code + (CD_INSN_ADDR - CD_CODE_BASE), k->insn, k->len);
    k->landing[0] = CD_INSN_ADDR + k->len;
    put_stub(k->code, k->landing[0], 0, m64);
    k->landing[1] = k->target && put_stub(k->code, k->target, 1, m64) ? k->target : 0;
}

void cd_case_make(struct cd_case *k, const struct cd_form *f, uint64_t seed)
{
    struct gen g;

    memset(&g, 0, sizeof(g));
    g.r.s = seed;
    g.k = k;
    g.f = f;
    g.m64 = f->mode == 64;
    g.nreg = g.m64 ? 16 : 8;
    g.bits = f->opsize;
    k->f = f;
    k->seed = seed;
    k->rex = false;
    k->ea = 0;
    k->target = 0;
    random_state(&g);
    pre_setup(&g);
    make_insn(&g);
    post_setup(&g);
    if (f->flags & FO_FPU)
        fp_operand(&g);
    build_code(k);
    k->in.rip = CD_INSN_ADDR;
}
