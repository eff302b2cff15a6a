/*
 * The opcode table: every instruction family exports a table of opdefs
 * (cpu/ops-*.c); this file merges them into per-(map, opcode) candidate
 * lists, most specific first, which the decoder searches.
 */
#include <stdlib.h>
#include <stdio.h>
#include "cpu/cpu-priv.h"

static const struct optable *const families[] = {
    &optable_alu, &optable_mov, &optable_stack, &optable_branch,
    &optable_shift, &optable_muldiv, &optable_bit, &optable_string,
    &optable_misc, &optable_system, &optable_seg, &optable_bcd,
    &optable_x87, &optable_x87env,
    &optable_mmx, &optable_sse_int, &optable_sse_logic, &optable_sse_shift,
    &optable_sse_shuf, &optable_sse_lane, &optable_sse_mov, &optable_sse_str,
    &optable_sse_crypto, &optable_sse_state, &optable_xsave, &optable_crc32,
    &optable_sse_fp, &optable_sse_cmp, &optable_sse_cvt,
};

#define MAX_CANDIDATES 48      /* D9 has 38 */

struct slot {
    const struct opdef *cand[MAX_CANDIDATES];
    insn_pick pick[MAX_CANDIDATES];   /* the candidate's family's picker */
    uint8_t n;
    bool modrm;
};

static struct slot slots[NR_MAPS][256];
static bool table_ready;

static unsigned specificity(const struct opdef *d)
{
    return (d->modrm >= 0) * 8 + (d->ext >= 0) * 4 + (d->pfx != P_ANY) * 2 +
           (d->mod != M_ANY);
}

static void slot_add(struct slot *s, const struct opdef *d, insn_pick pick)
{
    unsigned k;

    if (s->n == MAX_CANDIDATES) {
        fprintf(stderr, "xenemu: internal: opcode slot %s overflows\n",
                d->name);
        abort();
    }
    /* Insert sorted by descending specificity (stable). */
    for (k = s->n; k > 0 && specificity(s->cand[k - 1]) < specificity(d); k--) {
        s->cand[k] = s->cand[k - 1];
        s->pick[k] = s->pick[k - 1];
    }
    s->cand[k] = d;
    s->pick[k] = pick;
    s->n++;
    s->modrm |= (d->flags & F_MODRM) != 0;
}

void opcode_table_init(void)
{
    if (table_ready)
        return;
    for (size_t f = 0; f < ARRAY_SIZE(families); f++) {
        const struct optable *t = families[f];
        for (unsigned k = 0; k < t->n; k++) {
            const struct opdef *d = &t->defs[k];
            unsigned n = d->nop ? d->nop : 1;
            for (unsigned o = 0; o < n; o++)
                slot_add(&slots[d->map][(d->op + o) & 0xff], d, t->pick);
        }
    }
    table_ready = true;
}

bool opcode_has_modrm(unsigned map, unsigned op)
{
    return slots[map][op].modrm;
}

bool opcode_exists(unsigned map, unsigned op)
{
    return slots[map][op].n != 0;
}

static bool pfx_matches(unsigned want, unsigned have)
{
    return want == P_ANY || want == have;
}

/* Candidates that the mode rules out give way to the next one: 63 is
 * ARPL outside 64-bit mode and MOVSXD in it. */
static bool mode_matches(const struct opdef *d, bool is64)
{
    return !((d->flags & F_I64) && is64) && !((d->flags & F_O64) && !is64);
}

const struct opdef *opcode_lookup(unsigned map, unsigned op, unsigned pfx,
                                  unsigned modrm, bool has_modrm, bool is64,
                                  insn_pick *pick)
{
    const struct slot *s = &slots[map][op];
    const struct opdef *mode_invalid = NULL;

    *pick = NULL;
    for (unsigned k = 0; k < s->n; k++) {
        const struct opdef *d = s->cand[k];
        if (!pfx_matches(d->pfx, pfx))
            continue;
        if (has_modrm) {
            unsigned mod = modrm >> 6;
            if (d->modrm >= 0 && (unsigned)d->modrm != modrm)
                continue;
            if (d->ext >= 0 && (unsigned)d->ext != ((modrm >> 3) & 7))
                continue;
            if (d->mod == M_MEM && mod == 3)
                continue;
            if (d->mod == M_REG && mod != 3)
                continue;
        }
        if (!mode_matches(d, is64)) {
            if (!mode_invalid)
                mode_invalid = d;
            continue;
        }
        *pick = s->pick[k];
        return d;
    }
    return mode_invalid;      /* decodes, then #UD for the mode */
}
