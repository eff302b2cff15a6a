/*
 * The hot instruction forms (ops-hot.h): recognising them at decode time,
 * and their handlers for the paths that call a handler rather than run
 * the form inline.
 */
#include "cpu/ops-hot.h"

#define HOT_RIP c->rip
#define BODY_REG(body) { body; }
#define BODY_MEM(body) { body; }
#define BODY_BR(body) { body; }
#define BODY_REL(cond)                                                      \
    if (cond) {                                                             \
        branch64(c, c->rip + i->imm);                                       \
        branch_taken(c);                                                    \
    }
#define HOT_HANDLER(name, kind, body)                                       \
static void hot_##name(struct cpu *c, const struct insn *i)                 \
{                                                                           \
    (void)c;                                                                \
    (void)i;                                                                \
    BODY_##kind(body)                                                       \
}
HOT_FORMS(HOT_HANDLER)
#undef HOT_HANDLER
#undef BODY_REG
#undef BODY_MEM
#undef BODY_BR
#undef BODY_REL

#define HOT_FN(name, kind, body) [XOP_##name] = hot_##name,
static const insn_fn hot_fn[NR_XOPS] = { HOT_FORMS(HOT_FN) };
#undef HOT_FN

/* Operand kinds: any, register; MEM is a memory operand with 64-bit
 * addressing in 64-bit mode without an FS/GS override (hot_la). */
enum { ANY, REG, MEM };

/* A form: the opdef's map, (first) opcode and /digit, the operand kind
 * and size; b64 rows need 64-bit mode; imm: a shift count that is not 0
 * once masked.  swap: a G,E register form run as the E,G one. */
struct hot_row {
    uint8_t map, op;
    int8_t ext;
    uint8_t form, opsz;
    bool b64, swap, imm;
    uint8_t xop;
};

#define ALU_E(op, ext, nm) \
    { MAP_1B, op, ext, REG, 4, false, false, false, XOP_##nm##_EIr4 }, \
    { MAP_1B, op, ext, REG, 8, false, false, false, XOP_##nm##_EIr8 }
#define ALU_G(op, nm) \
    { MAP_1B, op, -1, REG, 4, false, false, false, XOP_##nm##_EGr4 }, \
    { MAP_1B, op, -1, REG, 8, false, false, false, XOP_##nm##_EGr8 }, \
    { MAP_1B, op + 2, -1, REG, 4, false, true, false, XOP_##nm##_EGr4 }, \
    { MAP_1B, op + 2, -1, REG, 8, false, true, false, XOP_##nm##_EGr8 }

static const struct hot_row rows[] = {
    { MAP_1B, 0x89, -1, REG, 4, false, false, false, XOP_MOV_EGr4 },
    { MAP_1B, 0x89, -1, REG, 8, false, false, false, XOP_MOV_EGr8 },
    { MAP_1B, 0x8b, -1, REG, 4, false, true, false, XOP_MOV_EGr4 },
    { MAP_1B, 0x8b, -1, REG, 8, false, true, false, XOP_MOV_EGr8 },
    { MAP_1B, 0x8b, -1, MEM, 4, false, false, false, XOP_MOV_GEm4 },
    { MAP_1B, 0x8b, -1, MEM, 8, false, false, false, XOP_MOV_GEm8 },
    { MAP_1B, 0x89, -1, MEM, 4, false, false, false, XOP_MOV_EGm4 },
    { MAP_1B, 0x89, -1, MEM, 8, false, false, false, XOP_MOV_EGm8 },
    { MAP_1B, 0xb8, -1, ANY, 4, false, false, false, XOP_MOV_RI4 },
    { MAP_1B, 0x8d, -1, MEM, 4, false, false, false, XOP_LEA4 },
    { MAP_1B, 0x8d, -1, MEM, 8, false, false, false, XOP_LEA8 },
    { MAP_0F, 0xb6, -1, MEM, 4, false, false, false, XOP_MOVZX_m1_4 },
    { MAP_1B, 0x63, -1, REG, 8, true, false, false, XOP_MOVSXD_r },
    ALU_E(0x81, 0, ADD), ALU_E(0x83, 0, ADD),
    ALU_E(0x81, 5, SUB), ALU_E(0x83, 5, SUB),
    ALU_E(0x81, 7, CMP), ALU_E(0x83, 7, CMP),
    ALU_E(0x81, 4, AND), ALU_E(0x83, 4, AND),
    ALU_G(0x01, ADD), ALU_G(0x29, SUB), ALU_G(0x39, CMP), ALU_G(0x31, XOR),
    ALU_G(0x21, AND),
    { MAP_1B, 0x88, -1, MEM, 1, false, false, false, XOP_MOV_EGm1 },
    { MAP_1B, 0x63, -1, MEM, 8, true, false, false, XOP_MOVSXD_m },
    { MAP_1B, 0x80, 7, MEM, 1, false, false, false, XOP_CMP_EIm1 },
    { MAP_1B, 0x33, -1, MEM, 4, false, false, false, XOP_XOR_GEm4 },
    { MAP_1B, 0xc1, 5, REG, 4, false, false, true, XOP_SHR_ibr4 },
    { MAP_1B, 0xc1, 5, REG, 8, false, false, true, XOP_SHR_ibr8 },
    { MAP_1B, 0xc1, 4, REG, 4, false, false, true, XOP_SHL_ibr4 },
    { MAP_1B, 0xc1, 4, REG, 8, false, false, true, XOP_SHL_ibr8 },
    { MAP_1B, 0xff, 4, MEM, 8, true, false, false, XOP_JMP_m64 },
    { MAP_1B, 0x50, -1, ANY, 8, true, false, false, XOP_PUSH_r64 },
    { MAP_1B, 0x58, -1, ANY, 8, true, false, false, XOP_POP_r64 },
    { MAP_1B, 0xe8, -1, ANY, 8, true, false, false, XOP_CALL64 },
    { MAP_1B, 0xc3, -1, ANY, 8, true, false, false, XOP_RET64 },
    { MAP_1B, 0x85, -1, REG, 4, false, false, false, XOP_TEST_r4 },
    { MAP_1B, 0x85, -1, REG, 8, false, false, false, XOP_TEST_r8 },
    { MAP_1B, 0xeb, -1, ANY, 8, true, false, false, XOP_JMP64 },
    { MAP_1B, 0xe9, -1, ANY, 8, true, false, false, XOP_JMP64 },
    { MAP_1B, 0x70, -1, ANY, 8, true, false, false, XOP_JCC64_0 },
    { MAP_0F, 0x80, -1, ANY, 8, true, false, false, XOP_JCC64_0 },
    { MAP_1B, 0x05, -1, ANY, 4, false, false, false, XOP_ADD_EIr4 },
    { MAP_1B, 0x05, -1, ANY, 8, false, false, false, XOP_ADD_EIr8 },
    { MAP_1B, 0x2d, -1, ANY, 4, false, false, false, XOP_SUB_EIr4 },
    { MAP_1B, 0x2d, -1, ANY, 8, false, false, false, XOP_SUB_EIr8 },
    { MAP_1B, 0x3d, -1, ANY, 4, false, false, false, XOP_CMP_EIr4 },
    { MAP_1B, 0x3d, -1, ANY, 8, false, false, false, XOP_CMP_EIr8 },
    { MAP_1B, 0x25, -1, ANY, 4, false, false, false, XOP_AND_EIr4 },
    { MAP_1B, 0x25, -1, ANY, 8, false, false, false, XOP_AND_EIr8 },
    { MAP_0F, 0xb6, -1, REG, 4, false, false, false, XOP_MOVZX_r1_4 },
    { MAP_1B, 0xff, 0, REG, 4, false, false, false, XOP_INC_r4 },
    { MAP_1B, 0xff, 0, REG, 8, false, false, false, XOP_INC_r8 },
    { MAP_1B, 0xff, 1, REG, 4, false, false, false, XOP_DEC_r4 },
    { MAP_1B, 0xff, 1, REG, 8, false, false, false, XOP_DEC_r8 },
    { MAP_0F, 0x1f, -1, ANY, 2, false, false, false, XOP_NOP },
    { MAP_0F, 0x1f, -1, ANY, 4, false, false, false, XOP_NOP },
    { MAP_0F, 0x1f, -1, ANY, 8, false, false, false, XOP_NOP },
};

static bool row_matches(const struct hot_row *r, const struct insn *i,
                        unsigned dmode)
{
    const struct opdef *d = i->def;

    if (r->map != d->map || r->op != d->op || r->opsz != i->opsz ||
        (r->ext >= 0 && r->ext != d->ext) || (r->b64 && dmode != DMODE_64))
        return false;
    if (r->imm && (i->imm & (i->opsz * 8u - 1)) == 0)
        return false;
    switch (r->form) {
    case REG: return i->mod == 3;
    case MEM: return i->mod != 3 && dmode == DMODE_64 && i->asz == 8 &&
                     i->seg < SEG_FS;
    default: return true;
    }
}

unsigned hot_classify(struct insn *i, unsigned dmode)
{
    if (!i->def || i->fn == op_ud || i->fn == op_gp_toolong)
        return XOP_CALL;
    for (size_t k = 0; k < ARRAY_SIZE(rows); k++) {
        const struct hot_row *r = &rows[k];
        if (!row_matches(r, i, dmode))
            continue;
        if (r->swap) {
            uint8_t t = i->reg;
            i->reg = i->rm;
            i->rm = t;
        }
        /* Jcc: one form per condition, in condition order. */
        unsigned xop = r->xop == XOP_JCC64_0 ? XOP_JCC64_0 + i->arg : r->xop;
        i->fn = hot_fn[xop];
        return xop;
    }
    return XOP_CALL;
}

void hot_follow_jump(struct insn *i)
{
    i->xop = XOP_JMP64_IN;
    i->fn = hot_fn[XOP_JMP64_IN];
}
