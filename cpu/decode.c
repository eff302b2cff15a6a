/*
 * x86 instruction decoder for 16-, 32- and 64-bit code: legacy prefixes,
 * REX, the one-byte/0F/0F38/0F3A maps, ModRM/SIB/displacement, immediates.
 * What an opcode means comes from the opcode table (opcode.c); this file
 * only knows the encoding rules.
 */
#include <string.h>
#include "cpu/ops-hot.h"

#define MAX_INSN_LEN 15

struct dstate {
    const uint8_t *b;
    unsigned avail, p;
    bool short_;          /* ran out of bytes */
};

static unsigned next(struct dstate *s)
{
    if (s->p >= s->avail) {
        s->short_ = true;
        return 0;
    }
    return s->b[s->p++];
}

static uint64_t next_n(struct dstate *s, unsigned n)
{
    uint64_t v = 0;
    for (unsigned k = 0; k < n; k++)
        v |= (uint64_t)next(s) << (8 * k);
    return v;
}

/* 16-bit ModRM memory forms: base, index, default segment SS? */
static const struct { uint8_t base, index, ss; } modrm16[8] = {
    { R_BX, R_SI, 0 }, { R_BX, R_DI, 0 }, { R_BP, R_SI, 1 }, { R_BP, R_DI, 1 },
    { R_SI, REG_NONE, 0 }, { R_DI, REG_NONE, 0 }, { R_BP, REG_NONE, 1 },
    { R_BX, REG_NONE, 0 },
};

static void decode_mem16(struct dstate *s, struct insn *i, unsigned mod,
                         unsigned rm, bool *ss_default)
{
    i->base = modrm16[rm].base;
    i->index = modrm16[rm].index;
    *ss_default = modrm16[rm].ss;
    if (mod == 0 && rm == 6) {
        i->base = REG_NONE;
        *ss_default = false;
        i->disp = (int16_t)next_n(s, 2);
    } else if (mod == 1) {
        i->disp = (int8_t)next(s);
    } else if (mod == 2) {
        i->disp = (int16_t)next_n(s, 2);
    }
}

static void decode_mem32(struct dstate *s, struct insn *i, unsigned mod,
                         unsigned rm, unsigned rex, bool is64,
                         bool *ss_default)
{
    unsigned base = rm;

    i->index = REG_NONE;
    if (rm == 4) {
        unsigned sib = next(s);
        unsigned idx = ((sib >> 3) & 7) | ((rex & 2) << 2);
        i->scale = sib >> 6;
        if (idx != 4)
            i->index = idx;
        base = sib & 7;
        if (base == 5 && mod == 0) {
            i->base = REG_NONE;
            i->disp = (int32_t)next_n(s, 4);
            return;
        }
    } else if (rm == 5 && mod == 0) {
        i->base = is64 ? REG_RIP : REG_NONE;
        i->disp = (int32_t)next_n(s, 4);
        return;
    }
    i->base = base | ((rex & 1) << 3);
    *ss_default = i->base == R_SP || i->base == R_BP;
    if (mod == 1)
        i->disp = (int8_t)next(s);
    else if (mod == 2)
        i->disp = (int32_t)next_n(s, 4);
}

static unsigned operand_size(uint32_t f, unsigned dmode, unsigned pfx)
{
    if (f & F_BYTE)
        return 1;
    if (dmode == DMODE_64) {
        if (pfx & PFX_REXW)
            return 8;
        if (f & F_F64)
            return 8;
        if (pfx & PFX_66)
            return 2;
        return (f & F_D64) ? 8 : 4;
    }
    unsigned sz = dmode == DMODE_32 ? 4 : 2;
    return (pfx & PFX_66) ? 6 - sz : sz;
}

static unsigned address_size(unsigned dmode, unsigned pfx)
{
    static const uint8_t asz[3][2] = { { 2, 4 }, { 4, 2 }, { 8, 4 } };
    return asz[dmode][(pfx & PFX_67) != 0];
}

/* Byte registers 4..7 mean AH..BH unless a REX prefix is present. */
static uint8_t byte_reg(uint8_t r, unsigned pfx)
{
    return (!(pfx & PFX_REX) && r >= 4 && r < 8) ? REG_HIGH8 + r - 4 : r;
}

static void immediates(struct dstate *s, struct insn *i, uint32_t f)
{
    if (f & F_IMM8)
        i->imm = next(s);
    else if (f & F_IMM8S)
        i->imm = (uint64_t)(int64_t)(int8_t)next(s);
    else if (f & F_IMM16)
        i->imm = next_n(s, 2);
    else if (f & F_IMMZ)
        i->imm = i->opsz == 2 ? next_n(s, 2)
                              : (uint64_t)(int64_t)(int32_t)next_n(s, 4);
    else if (f & F_IMMV)
        i->imm = next_n(s, i->opsz);
    else if (f & F_MOFFS)
        i->imm = next_n(s, i->asz);
    else if (f & F_FARPTR) {
        i->imm = next_n(s, i->opsz == 2 ? 2 : 4);
        i->imm2 = (uint16_t)next_n(s, 2);
    } else if (f & F_ENTER) {
        i->imm = next_n(s, 2);
        i->imm2 = (uint16_t)next(s);
    }
    if ((f & F_REL) && i->opsz == 2)
        i->imm = (uint64_t)(int64_t)(int16_t)i->imm;
}

static bool valid_in_mode(const struct opdef *d, const struct insn *i,
                          unsigned dmode)
{
    if ((d->flags & F_I64) && dmode == DMODE_64)
        return false;
    if ((d->flags & F_O64) && dmode != DMODE_64)
        return false;
    if ((i->pfx & PFX_LOCK) && (!(d->flags & F_LOCK) || i->mod == 3))
        return false;
    if (d->feat != FEAT_NONE && !cpuid_has(d->feat))
        return false;
    return true;
}

static unsigned mandatory_prefix(unsigned pfx)
{
    if (pfx & PFX_REP)
        return P_F3;
    if (pfx & PFX_REPN)
        return P_F2;
    return (pfx & PFX_66) ? P_66 : P_NP;
}

static unsigned finish_invalid(struct insn *i, unsigned len, insn_fn fn)
{
    i->fn = fn;
    i->def = NULL;
    i->len = (uint8_t)(len > MAX_INSN_LEN ? MAX_INSN_LEN : len);
    return i->len;
}

unsigned decode_insn(const uint8_t *bytes, unsigned avail, unsigned dmode,
                     struct insn *i)
{
    struct dstate s = { bytes, avail, 0, false };
    unsigned pfx = 0, rex = 0, seg = SEG_NONE, op, map = MAP_1B;
    bool ss_default = false;

    memset(i, 0, sizeof(*i));
    i->base = i->index = REG_NONE;

    for (;;) {
        op = next(&s);
        if (s.short_)
            return 0;
        if (s.p > MAX_INSN_LEN)
            return finish_invalid(i, s.p, op_gp_toolong);
        switch (op) {
        case 0xf0: pfx |= PFX_LOCK; break;
        case 0xf2: pfx = (pfx & ~PFX_REP) | PFX_REPN; break;
        case 0xf3: pfx = (pfx & ~PFX_REPN) | PFX_REP; break;
        case 0x66: pfx |= PFX_66; break;
        case 0x67: pfx |= PFX_67; break;
        case 0x26: case 0x2e: case 0x36: case 0x3e:
            if (dmode != DMODE_64)
                seg = (op >> 3) & 3;
            break;
        case 0x64: seg = SEG_FS; break;
        case 0x65: seg = SEG_GS; break;
        default:
            if (dmode == DMODE_64 && (op & 0xf0) == 0x40) {
                rex = op;
                continue;      /* must be last: checked below */
            }
            goto opcode;
        }
        rex = 0;               /* a prefix after REX cancels it */
    }

opcode:
    if (rex) {
        pfx |= PFX_REX;
        if (rex & 8)
            pfx |= PFX_REXW;
    }
    if (op == 0x0f) {
        op = next(&s);
        map = MAP_0F;
        if (op == 0x38 || op == 0x3a) {
            map = op == 0x38 ? MAP_0F38 : MAP_0F3A;
            op = next(&s);
        }
        if (s.short_)
            return 0;
    }
    i->pfx = (uint8_t)pfx;

    if (!opcode_exists(map, op))
        return finish_invalid(i, s.p, op_ud);

    bool has_modrm = opcode_has_modrm(map, op);
    unsigned modrm = has_modrm ? next(&s) : 0;
    if (s.short_)
        return 0;
    insn_pick pick;
    const struct opdef *d = opcode_lookup(map, op, mandatory_prefix(pfx),
                                          modrm, has_modrm,
                                          dmode == DMODE_64, &pick);
    if (!d)
        return finish_invalid(i, s.p, op_ud);

    i->def = d;
    i->fn = d->fn;
    i->arg = d->arg;
    if (d->nop > 1 && !(d->flags & F_OPREG))
        i->arg = (uint8_t)(d->arg + ((op - d->op) & 0xff));  /* e.g. Jcc cc */
    i->opsz = (uint8_t)operand_size(d->flags, dmode, pfx);
    i->asz = (uint8_t)address_size(dmode, pfx);
    i->modrm = (uint8_t)modrm;

    if (has_modrm) {
        unsigned mod = modrm >> 6, rm = modrm & 7;
        i->mod = (uint8_t)mod;
        i->reg = (uint8_t)(((modrm >> 3) & 7) | ((rex & 4) << 1));
        if (mod == 3) {
            i->rm = (uint8_t)(rm | ((rex & 1) << 3));
            if (d->flags & (F_BYTE | F_RM8))
                i->rm = byte_reg(i->rm, pfx);
        } else if (i->asz == 2) {
            decode_mem16(&s, i, mod, rm, &ss_default);
        } else {
            decode_mem32(&s, i, mod, rm, rex, dmode == DMODE_64, &ss_default);
        }
        if (d->flags & F_BYTE)
            i->reg = byte_reg(i->reg, pfx);
    } else {
        i->mod = 3;
        if (d->flags & F_OPREG) {
            i->reg = (uint8_t)((op & 7) | ((rex & 1) << 3));
            if (d->flags & F_BYTE)
                i->reg = byte_reg(i->reg, pfx);
        }
    }
    i->seg = (uint8_t)(seg != SEG_NONE ? seg : ss_default ? SEG_SS : SEG_DS);
    if (seg == SEG_NONE && (d->flags & F_MOFFS))
        i->seg = SEG_DS;

    immediates(&s, i, d->flags);
    if (s.short_)
        return 0;
    if (s.p > MAX_INSN_LEN)
        return finish_invalid(i, s.p, op_gp_toolong);
    i->len = (uint8_t)s.p;
    if (!valid_in_mode(d, i, dmode)) {
        i->fn = op_ud;
        i->def = NULL;
    } else if (pick) {
        insn_fn fast = pick(i, dmode);
        if (fast)
            i->fn = fast;
    }
    i->xop = (uint8_t)hot_classify(i, dmode);
    return i->len;
}

unsigned cpu_insn_length(const uint8_t *bytes, size_t avail,
                         enum cpu_mode mode)
{
    static const uint8_t dmodes[] = {
        [MODE_REAL] = DMODE_16, [MODE_PROT16] = DMODE_16,
        [MODE_PROT32] = DMODE_32, [MODE_COMPAT16] = DMODE_16,
        [MODE_COMPAT32] = DMODE_32, [MODE_LONG64] = DMODE_64,
    };
    struct insn i;
    unsigned len;

    opcode_table_init();
    len = decode_insn(bytes, avail > MAX_INSN_LEN ? MAX_INSN_LEN
                                                  : (unsigned)avail,
                      dmodes[mode], &i);
    return (len && i.fn != op_ud && i.fn != op_gp_toolong) ? len : 0;
}
