/*
 * The form table: every user-level integer instruction form under test,
 * written as compact encoding templates and expanded over operand sizes and
 * register/memory r/m operands.  It is independent of xenemu's decoder on
 * purpose: the encodings come from the SDM opcode tables, not from cpu/.
 *
 * Template encoding tokens (space separated):
 *   XX          a byte; leading 66 67 F0 F2 F3 are mandatory prefixes
 *   XX+w        opcode, +1 unless the operand size is 8
 *   XX+r        opcode, register number in the low 3 bits (REX.B extends)
 *   /r  /0../7  ModRM with a register operand or an opcode extension
 *   =XX         literal ModRM byte
 *   ib iw id    immediates of 1, 2, 4 bytes
 *   iz          immediate of min(operand size, 32) bits; iv: operand size
 *   cb cd       relative branch displacement of 1 or 4 bytes
 *   moffs       absolute address of address size (MOV moffs)
 *   W           REX.W regardless of operand size
 *   m1..m512    bytes a memory operand accesses (default: operand size)
 *   VEX.pp.map.W[.V][.L1]  VEX prefix: pp NP/66/F3/F2, map 0F/0F38/0F3A,
 *               W0/W1 or Wv (W1 for 64-bit operand size), V: vvvv is an
 *               operand register (else 1111b), L1: VEX.L = 1
 * Template names: '$' becomes the operand size in bits, "a|b|c" picks the
 * alternative by the size's position in the sizes string.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cpu-diff.h"

struct tmpl {
    const char *group, *name, *enc, *sizes, *rm;
    uint8_t kind, immk;
    uint16_t undef;
    uint32_t flags, feature;
    uint8_t mode;            /* 0 means 64 */
    bool end_;               /* lets ADD() end in a designator */
};

struct cd_form *cd_forms;
unsigned cd_nforms;
static unsigned cap_forms;

static const char *const group_order[] = {
    "alu", "incdec", "shift", "rotate", "muldiv", "bcd", "bit", "setcc",
    "cmovcc", "jcc", "string", "cmpxchg", "xadd", "xchg", "bswap", "movbe",
    "mov", "movx", "lea", "stack", "convert", "lahf", "enter", "loop",
    "callret", "misc", "bmi", "adx", "compat", "priv", "invalid", "undoc",
    "x87", NULL,
};

const char *const *cd_groups(void) { return group_order; }

/* Undefined arithmetic flags (Intel SDM instruction pages). */
#define U_LOGIC  AF
#define U_MUL    (SF | ZF | AF | PF)
#define U_DIV    ARITH
#define U_SHIFT  (OF | AF)
#define U_ROT    OF
#define U_SHXD   (OF | AF | CF)
#define U_BT     (OF | SF | AF | PF)
#define U_BSF    (CF | OF | SF | AF | PF)
#define U_LZCNT  (OF | SF | PF | AF)
#define U_DAA    OF
#define U_AAA    (OF | SF | ZF | PF)
#define U_AAM    (OF | AF | CF)
#define U_BMI    (AF | PF)
#define U_BEXTR  (AF | SF | PF)

static const char *const cc_names[16] = {
    "o", "no", "b", "ae", "e", "ne", "be", "a",
    "s", "ns", "p", "np", "l", "ge", "le", "g",
};
static const char *const alu_names[8] = {
    "add", "or", "adc", "sbb", "and", "sub", "xor", "cmp",
};
static const char *const shift_names[8] = {
    "rol", "ror", "rcl", "rcr", "shl", "shr", "sal", "sar",
};

static void die(const char *what, const char *tok)
{
    fprintf(stderr, "cpu-diff: form table: %s: '%s'\n", what, tok);
    exit(2);
}

static int size_bits(char c)
{
    switch (c) {
    case 'b': return 8;
    case 'w': return 16;
    case 'd': return 32;
    case 'q': return 64;
    default: return 0;
    }
}

static bool is_prefix(unsigned b)
{
    return b == 0x66 || b == 0x67 || b == 0xf0 || b == 0xf2 || b == 0xf3;
}

static void parse_vex(struct cd_form *f, const char *tok)
{
    char buf[64], *save = NULL, *p;
    int field = 0;

    snprintf(buf, sizeof(buf), "%s", tok);
    f->vex = true;
    for (p = strtok_r(buf, ".", &save); p; p = strtok_r(NULL, ".", &save), field++) {
        if (field == 0)
            continue;                               /* "VEX" */
        if (field == 1) {
            if (!strcmp(p, "NP")) f->vex_pp = 0;
            else if (!strcmp(p, "66")) f->vex_pp = 1;
            else if (!strcmp(p, "F3")) f->vex_pp = 2;
            else if (!strcmp(p, "F2")) f->vex_pp = 3;
            else die("bad VEX pp", tok);
        } else if (field == 2) {
            if (!strcmp(p, "0F")) f->vex_map = 1;
            else if (!strcmp(p, "0F38")) f->vex_map = 2;
            else if (!strcmp(p, "0F3A")) f->vex_map = 3;
            else die("bad VEX map", tok);
        } else if (!strcmp(p, "W0")) {
            f->rexw = false;
        } else if (!strcmp(p, "W1")) {
            f->rexw = true;
        } else if (!strcmp(p, "Wv")) {
            f->rexw = f->opsize == 64;
        } else if (!strcmp(p, "V")) {
            f->vex_vvvv = true;
        } else if (!strcmp(p, "L1")) {
            f->flags |= FO_VEXL1;
        } else {
            die("bad VEX field", tok);
        }
    }
}

static void parse_enc(struct cd_form *f, const char *enc)
{
    char buf[128], *save = NULL, *t;
    bool seen_op = false;
    unsigned v;

    snprintf(buf, sizeof(buf), "%s", enc);
    f->modrm = -1;
    f->msize = (uint16_t)(f->opsize / 8);
    for (t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
        size_t n = strlen(t);
        if (!strncmp(t, "VEX.", 4)) {
            parse_vex(f, t);
            seen_op = true;
        } else if (!strcmp(t, "/r")) {
            f->modrm = 8;
        } else if (t[0] == '/' && t[1] >= '0' && t[1] <= '7' && !t[2]) {
            f->modrm = (int8_t)(t[1] - '0');
        } else if (t[0] == '=' && sscanf(t + 1, "%2x", &v) == 1) {
            f->has_fixed_modrm = true;
            f->fixed_modrm = (uint8_t)v;
        } else if (!strcmp(t, "ib") || !strcmp(t, "iw") || !strcmp(t, "id") ||
                   !strcmp(t, "iz") || !strcmp(t, "iv")) {
            unsigned sz = t[1] == 'b' ? 1 : t[1] == 'w' ? 2 : t[1] == 'd' ? 4 :
                          f->opsize == 8 ? 1 : f->opsize == 16 ? 2 :
                          t[1] == 'v' && f->opsize == 64 ? 8 : 4;
            if (f->nimm >= 2)
                die("too many immediates", enc);
            f->imm[f->nimm++] = (uint8_t)sz;
        } else if (!strcmp(t, "cb") || !strcmp(t, "cd")) {
            f->rel = t[1] == 'b' ? 1 : 4;
        } else if (!strcmp(t, "moffs")) {
            f->moffs = true;
        } else if (!strcmp(t, "W")) {
            f->rexw = true;
        } else if (t[0] == 'm' && t[1] >= '1' && t[1] <= '9') {
            f->msize = (uint16_t)atoi(t + 1);
        } else if (n >= 2 && sscanf(t, "%2x", &v) == 1 &&
                   (n == 2 || t[2] == '+')) {
            if (!seen_op && n == 2 && is_prefix(v)) {
                f->pfx[f->npfx++] = (uint8_t)v;
                continue;
            }
            seen_op = true;
            if (n > 2 && !strcmp(t + 2, "+w") && f->opsize != 8)
                v++;
            else if (n > 2 && !strcmp(t + 2, "+r"))
                f->opreg = true;
            else if (n > 2 && strcmp(t + 2, "+w"))
                die("bad opcode suffix", t);
            if (f->nop >= 4)
                die("opcode too long", enc);
            f->op[f->nop++] = (uint8_t)v;
        } else {
            die("bad token", t);
        }
    }
    if (f->opsize == 64 && !f->vex)
        f->rexw = true;
}

/* The name for size position i: "a|b|c" alternatives, '$' the size. */
static void make_name(char *out, size_t len, const char *name, int i, int bits,
                      const char *rmtag)
{
    char alt[64];
    const char *p = name, *bar;
    size_t o = 0;

    for (int k = 0; k < i && (bar = strchr(p, '|')); k++)
        p = bar + 1;
    bar = strchr(p, '|');
    snprintf(alt, sizeof(alt), "%.*s", bar ? (int)(bar - p) : (int)strlen(p), p);
    for (const char *c = alt; *c && o + 4 < len; c++) {
        if (*c == '$')
            o += (size_t)snprintf(out + o, len - o, "%d", bits);
        else
            out[o++] = *c;
    }
    out[o] = 0;
    if (*rmtag)
        snprintf(out + o, len - o, " [%s]", rmtag);
}

static struct cd_form *new_form(void)
{
    if (cd_nforms == cap_forms) {
        cap_forms = cap_forms ? cap_forms * 2 : 512;
        cd_forms = realloc(cd_forms, cap_forms * sizeof(*cd_forms));
        if (!cd_forms) {
            fprintf(stderr, "cpu-diff: out of memory\n");
            exit(2);
        }
    }
    memset(&cd_forms[cd_nforms], 0, sizeof(cd_forms[0]));
    return &cd_forms[cd_nforms++];
}

static void add(const struct tmpl *t)
{
    const char *sizes = t->sizes && *t->sizes ? t->sizes : "-";
    bool has_modrm = strstr(t->enc, "/") != NULL;
    const char *rm = t->rm && *t->rm ? t->rm : has_modrm ? "rm" : "";
    const char *variants[2] = { NULL, NULL };
    int nvar = 0;

    if (strchr(rm, 'r')) variants[nvar++] = "r";
    if (strchr(rm, 'm')) variants[nvar++] = "m";
    if (!nvar) variants[nvar++] = "";

    for (int i = 0; sizes[i]; i++) {
        for (int v = 0; v < nvar; v++) {
            struct cd_form *f = new_form();
            int bits = size_bits(sizes[i]);
            bool tag = nvar > 1 || (has_modrm && *variants[v]);

            f->group = t->group;
            f->mode = t->mode ? t->mode : 64;
            f->opsize = (uint8_t)bits;
            f->mem = *variants[v] == 'm';
            f->kind = t->kind;
            f->immk = t->immk;
            f->undef = t->undef;
            f->flags = t->flags;
            f->feature = t->feature;
            if (bits == 8)
                f->flags |= FO_BYTEREG | FO_BYTEREGR;
            make_name(f->name, sizeof(f->name), t->name, i, bits,
                      tag ? variants[v] : "");
            parse_enc(f, t->enc);
        }
    }
}

#define ADD(...) add(&(const struct tmpl){ __VA_ARGS__, .end_ = 0 })

/* ---- groups ------------------------------------------------------------------ */

static void alu_forms(void)
{
    char name[64], enc[64];

    for (int k = 0; k < 8; k++) {
        const char *n = alu_names[k];
        uint32_t lock = k == 7 ? 0 : FO_LOCK;
        uint16_t u = (k == 1 || k == 4 || k == 6) ? U_LOGIC : 0;

        snprintf(name, sizeof(name), "%s rm$,r$", n);
        snprintf(enc, sizeof(enc), "%02X+w /r", k * 8);
        ADD("alu", name, enc, "bwdq", "rm", K_PLAIN, 0, u, lock);
        snprintf(name, sizeof(name), "%s r$,rm$", n);
        snprintf(enc, sizeof(enc), "%02X+w /r", k * 8 + 2);
        ADD("alu", name, enc, "bwdq", "rm", K_PLAIN, 0, u);
        snprintf(name, sizeof(name), "%s acc$,imm", n);
        snprintf(enc, sizeof(enc), "%02X+w iz", k * 8 + 4);
        ADD("alu", name, enc, "bwdq", "", K_PLAIN, 0, u);
        snprintf(name, sizeof(name), "%s rm$,imm", n);
        snprintf(enc, sizeof(enc), "80+w /%d iz", k);
        ADD("alu", name, enc, "bwdq", "rm", K_PLAIN, 0, u, lock);
        snprintf(name, sizeof(name), "%s rm$,imm8", n);
        snprintf(enc, sizeof(enc), "83 /%d ib", k);
        ADD("alu", name, enc, "wdq", "rm", K_PLAIN, 0, u, lock);
    }
    ADD("alu", "test rm$,r$", "84+w /r", "bwdq", "rm", K_PLAIN, 0, U_LOGIC);
    ADD("alu", "test acc$,imm", "A8+w iz", "bwdq", "", K_PLAIN, 0, U_LOGIC);
    ADD("alu", "test rm$,imm", "F6+w /0 iz", "bwdq", "rm", K_PLAIN, 0, U_LOGIC);
}

static void incdec_forms(void)
{
    ADD("incdec", "inc rm$", "FE+w /0", "bwdq", "rm", K_PLAIN, 0, 0, FO_LOCK);
    ADD("incdec", "dec rm$", "FE+w /1", "bwdq", "rm", K_PLAIN, 0, 0, FO_LOCK);
}

static void shift_forms(void)
{
    char name[64], enc[64];
    static const int order[] = { 0, 1, 2, 3, 4, 5, 7 };

    for (unsigned i = 0; i < ARRAY_LEN(order); i++) {
        int k = order[i];
        const char *g = k < 4 ? "rotate" : "shift";
        uint16_t u = k < 4 ? U_ROT : U_SHIFT;

        snprintf(name, sizeof(name), "%s rm$,1", shift_names[k]);
        snprintf(enc, sizeof(enc), "D0+w /%d", k);
        ADD(g, name, enc, "bwdq", "rm", K_PLAIN, 0, u);
        snprintf(name, sizeof(name), "%s rm$,cl", shift_names[k]);
        snprintf(enc, sizeof(enc), "D2+w /%d", k);
        ADD(g, name, enc, "bwdq", "rm", K_SHIFT, 0, u);
        snprintf(name, sizeof(name), "%s rm$,imm8", shift_names[k]);
        snprintf(enc, sizeof(enc), "C0+w /%d ib", k);
        ADD(g, name, enc, "bwdq", "rm", K_PLAIN, IMM_SHIFT, u);
    }
    ADD("shift", "shld rm$,r$,imm8", "0F A4 /r ib", "wdq", "rm", K_PLAIN, IMM_SHIFT, U_SHXD);
    ADD("shift", "shld rm$,r$,cl", "0F A5 /r", "wdq", "rm", K_SHIFT, 0, U_SHXD);
    ADD("shift", "shrd rm$,r$,imm8", "0F AC /r ib", "wdq", "rm", K_PLAIN, IMM_SHIFT, U_SHXD);
    ADD("shift", "shrd rm$,r$,cl", "0F AD /r", "wdq", "rm", K_SHIFT, 0, U_SHXD);
    /* A 16-bit SHLD/SHRD by more than 16 has an undefined result. */
    for (unsigned i = 0; i < cd_nforms; i++)
        if (cd_forms[i].opsize == 16 && !strncmp(cd_forms[i].name, "sh", 2) &&
            cd_forms[i].name[3] == 'd')
            cd_forms[i].flags |= FO_RESUNDEF;
}

static void muldiv_forms(void)
{
    ADD("muldiv", "mul rm$", "F6+w /4", "bwdq", "rm", K_PLAIN, 0, U_MUL);
    ADD("muldiv", "imul rm$", "F6+w /5", "bwdq", "rm", K_PLAIN, 0, U_MUL);
    ADD("muldiv", "div rm$", "F6+w /6", "bwdq", "rm", K_DIV, 0, U_DIV);
    ADD("muldiv", "idiv rm$", "F6+w /7", "bwdq", "rm", K_IDIV, 0, U_DIV);
    ADD("muldiv", "imul r$,rm$", "0F AF /r", "wdq", "rm", K_PLAIN, 0, U_MUL);
    ADD("muldiv", "imul r$,rm$,imm8", "6B /r ib", "wdq", "rm", K_PLAIN, 0, U_MUL);
    ADD("muldiv", "imul r$,rm$,imm", "69 /r iz", "wdq", "rm", K_PLAIN, 0, U_MUL);
}

static void bcd_forms(void)
{
    ADD("bcd", "daa", "27", "", "", K_PLAIN, 0, U_DAA, .mode = 32);
    ADD("bcd", "das", "2F", "", "", K_PLAIN, 0, U_DAA, .mode = 32);
    ADD("bcd", "aaa", "37", "", "", K_PLAIN, 0, U_AAA, .mode = 32);
    ADD("bcd", "aas", "3F", "", "", K_PLAIN, 0, U_AAA, .mode = 32);
    ADD("bcd", "aam imm8", "D4 ib", "", "", K_PLAIN, IMM_AAM, U_AAM, .mode = 32);
    ADD("bcd", "aad imm8", "D5 ib", "", "", K_PLAIN, IMM_AAM, U_AAM, .mode = 32);
}

static void bit_forms(void)
{
    static const char *const names[4] = { "bt", "bts", "btr", "btc" };
    char name[64], enc[64];

    for (int k = 0; k < 4; k++) {
        uint32_t lock = k ? FO_LOCK : 0;
        snprintf(name, sizeof(name), "%s rm$,r$", names[k]);
        snprintf(enc, sizeof(enc), "0F %02X /r", 0xa3 + 8 * k);
        ADD("bit", name, enc, "wdq", "rm", K_BITOFS, 0, U_BT, lock);
        snprintf(name, sizeof(name), "%s rm$,imm8", names[k]);
        snprintf(enc, sizeof(enc), "0F BA /%d ib", 4 + k);
        ADD("bit", name, enc, "wdq", "rm", K_PLAIN, IMM_BIT, U_BT, lock);
    }
    ADD("bit", "bsf r$,rm$", "0F BC /r", "wdq", "rm", K_PLAIN, 0, U_BSF);
    ADD("bit", "bsr r$,rm$", "0F BD /r", "wdq", "rm", K_PLAIN, 0, U_BSF);
    ADD("bit", "popcnt r$,rm$", "F3 0F B8 /r", "wdq", "rm", K_PLAIN, 0, 0, 0, FEAT_POPCNT);
    ADD("bit", "lzcnt r$,rm$", "F3 0F BD /r", "wdq", "rm", K_PLAIN, 0, U_LZCNT, 0, FEAT_LZCNT);
    ADD("bit", "tzcnt r$,rm$", "F3 0F BC /r", "wdq", "rm", K_PLAIN, 0, U_LZCNT, 0, FEAT_BMI1);
}

static void cc_forms(void)
{
    char name[64], enc[64];

    for (int cc = 0; cc < 16; cc++) {
        snprintf(name, sizeof(name), "set%s rm8", cc_names[cc]);
        snprintf(enc, sizeof(enc), "0F %02X /0", 0x90 + cc);
        ADD("setcc", name, enc, "b", "rm", K_PLAIN, 0, 0, FO_ANYREG);
    }
    for (int cc = 0; cc < 16; cc++) {
        snprintf(name, sizeof(name), "cmov%s r$,rm$", cc_names[cc]);
        snprintf(enc, sizeof(enc), "0F %02X /r", 0x40 + cc);
        ADD("cmovcc", name, enc, "wdq", "rm", K_PLAIN, 0, 0, 0, FEAT_CMOV);
    }
    for (int cc = 0; cc < 16; cc++) {
        snprintf(name, sizeof(name), "j%s rel8", cc_names[cc]);
        snprintf(enc, sizeof(enc), "%02X cb", 0x70 + cc);
        ADD("jcc", name, enc, "", "", K_JCC);
        snprintf(name, sizeof(name), "j%s rel32", cc_names[cc]);
        snprintf(enc, sizeof(enc), "0F %02X cd", 0x80 + cc);
        ADD("jcc", name, enc, "", "", K_JCC);
    }
    ADD("jcc", "jmp rel8", "EB cb", "", "", K_JCC);
    ADD("jcc", "jmp rel32", "E9 cd", "", "", K_JCC);
}

static void string_forms(void)
{
    static const struct { const char *name; unsigned op; bool cond; } s[] = {
        { "movs", 0xa4, false }, { "cmps", 0xa6, true }, { "stos", 0xaa, false },
        { "lods", 0xac, false }, { "scas", 0xae, true },
    };
    char name[64], enc[64];

    for (unsigned i = 0; i < ARRAY_LEN(s); i++) {
        snprintf(name, sizeof(name), "%s$", s[i].name);
        snprintf(enc, sizeof(enc), "%02X+w", s[i].op);
        ADD("string", name, enc, "bwdq", "", K_STRING, 0, 0, FO_NOA32);
        snprintf(name, sizeof(name), "%s %s$", s[i].cond ? "repe" : "rep", s[i].name);
        snprintf(enc, sizeof(enc), "F3 %02X+w", s[i].op);
        ADD("string", name, enc, "bwdq", "", K_STRING, 0, 0, FO_NOA32);
        snprintf(name, sizeof(name), "%s %s$ a32", s[i].cond ? "repe" : "rep", s[i].name);
        snprintf(enc, sizeof(enc), "67 F3 %02X+w", s[i].op);
        ADD("string", name, enc, "bq", "", K_STRING, 0, 0, FO_NOA32);
        if (s[i].cond) {
            snprintf(name, sizeof(name), "repne %s$", s[i].name);
            snprintf(enc, sizeof(enc), "F2 %02X+w", s[i].op);
            ADD("string", name, enc, "bwdq", "", K_STRING, 0, 0, FO_NOA32);
        }
    }
}

static void atomic_forms(void)
{
    ADD("cmpxchg", "cmpxchg rm$,r$", "0F B0+w /r", "bwdq", "rm", K_CMPXCHG, 0, 0, FO_LOCK);
    ADD("cmpxchg", "cmpxchg8b m64", "0F C7 /1 m8", "d", "m", K_CX8, 0, 0, FO_LOCK, FEAT_CX8);
    ADD("cmpxchg", "cmpxchg16b m128", "0F C7 /1 m16", "q", "m", K_CX16, 0, 0, FO_LOCK, FEAT_CX16);
    ADD("xadd", "xadd rm$,r$", "0F C0+w /r", "bwdq", "rm", K_PLAIN, 0, 0, FO_LOCK);
    ADD("xchg", "xchg rm$,r$", "86+w /r", "bwdq", "rm", K_PLAIN, 0, 0, FO_LOCK);
    ADD("xchg", "xchg acc,r$ (90+r)", "90+r", "wdq", "", K_PLAIN);
    ADD("bswap", "bswap r$", "0F C8+r", "dq", "", K_PLAIN);
    ADD("bswap", "bswap r16", "0F C8+r", "w", "", K_PLAIN, 0, 0, FO_RESUNDEF);
    ADD("movbe", "movbe r$,m$", "0F 38 F0 /r", "wdq", "m", K_PLAIN, 0, 0, 0, FEAT_MOVBE);
    ADD("movbe", "movbe m$,r$", "0F 38 F1 /r", "wdq", "m", K_PLAIN, 0, 0, 0, FEAT_MOVBE);
}

static void mov_forms(void)
{
    ADD("mov", "mov rm$,r$", "88+w /r", "bwdq", "rm", K_PLAIN, 0, 0);
    ADD("mov", "mov r$,rm$", "8A+w /r", "bwdq", "rm", K_PLAIN, 0, 0);
    ADD("mov", "mov rm$,imm", "C6+w /0 iz", "bwdq", "rm", K_PLAIN);
    ADD("mov", "mov r$,imm (B0+r)", "B0+r ib", "b", "", K_PLAIN);
    ADD("mov", "mov r$,imm (B8+r)", "B8+r iv", "wdq", "", K_PLAIN);
    ADD("mov", "mov acc$,moffs", "A0+w moffs", "bwdq", "", K_MOFFS);
    ADD("mov", "mov moffs,acc$", "A2+w moffs", "bwdq", "", K_MOFFS);
    ADD("mov", "mov rm$,sreg", "8C /r m2", "wdq", "rm", K_PLAIN, 0, 0, FO_SREG);
    ADD("movx", "movzx r$,rm8", "0F B6 /r m1", "wdq", "rm", K_PLAIN, 0, 0, FO_BYTEREG);
    ADD("movx", "movzx r$,rm16", "0F B7 /r m2", "wdq", "rm", K_PLAIN);
    ADD("movx", "movsx r$,rm8", "0F BE /r m1", "wdq", "rm", K_PLAIN, 0, 0, FO_BYTEREG);
    ADD("movx", "movsx r$,rm16", "0F BF /r m2", "wdq", "rm", K_PLAIN);
    ADD("movx", "movsxd r64,rm32", "63 /r m4", "q", "rm", K_PLAIN);
    ADD("movx", "movsxd r$,rm$", "63 /r", "wd", "rm", K_PLAIN);
}

static void misc_forms(void)
{
    ADD("lea", "lea r$,m", "8D /r", "wdq", "m", K_PLAIN, 0, 0, FO_NOACCESS);
    ADD("stack", "push r$", "50+r", "wq", "", K_STACK);
    ADD("stack", "pop r$", "58+r", "wq", "", K_STACK);
    ADD("stack", "push rm$", "FF /6", "wq", "rm", K_STACK);
    ADD("stack", "pop rm$", "8F /0", "wq", "rm", K_STACK);
    ADD("stack", "push imm8 (o$)", "6A ib", "wq", "", K_STACK);
    ADD("stack", "push imm (o$)", "68 iz", "wq", "", K_STACK);
    ADD("stack", "pushf (o$)", "9C", "wq", "", K_STACK);
    ADD("stack", "popf (o$)", "9D", "wq", "", K_POPF);
    ADD("stack", "push fs (o$)", "0F A0", "wq", "", K_STACK);
    ADD("stack", "push gs (o$)", "0F A8", "wq", "", K_STACK);
    ADD("convert", "cbw|cwde|cdqe", "98", "wdq", "", K_PLAIN);
    ADD("convert", "cwd|cdq|cqo", "99", "wdq", "", K_PLAIN);
    ADD("lahf", "lahf", "9F", "", "", K_PLAIN, 0, 0, 0, FEAT_LAHF);
    ADD("lahf", "sahf", "9E", "", "", K_PLAIN, 0, 0, 0, FEAT_LAHF);
    ADD("enter", "enter imm16,imm8 (o$)", "C8 iw ib", "wq", "", K_ENTER);
    ADD("enter", "leave (o$)", "C9", "wq", "", K_LEAVE);
    ADD("loop", "loopne rel8", "E0 cb", "", "", K_LOOP);
    ADD("loop", "loope rel8", "E1 cb", "", "", K_LOOP);
    ADD("loop", "loop rel8", "E2 cb", "", "", K_LOOP);
    ADD("loop", "jrcxz rel8", "E3 cb", "", "", K_LOOP);
    ADD("loop", "loopne rel8 a32", "67 E0 cb", "", "", K_LOOP);
    ADD("loop", "loope rel8 a32", "67 E1 cb", "", "", K_LOOP);
    ADD("loop", "loop rel8 a32", "67 E2 cb", "", "", K_LOOP);
    ADD("loop", "jecxz rel8", "67 E3 cb", "", "", K_LOOP);
    ADD("callret", "call rel32", "E8 cd", "", "", K_CALL);
    ADD("callret", "ret", "C3", "", "", K_RET);
    ADD("callret", "ret imm16", "C2 iw", "", "", K_RET);
    ADD("callret", "call rm64", "FF /2 m8", "", "rm", K_CALLIND);
    ADD("callret", "jmp rm64", "FF /4 m8", "", "rm", K_JMPIND);
    ADD("misc", "clc", "F8", "", "", K_PLAIN);
    ADD("misc", "stc", "F9", "", "", K_PLAIN);
    ADD("misc", "cmc", "F5", "", "", K_PLAIN);
    ADD("misc", "cld", "FC", "", "", K_PLAIN);
    ADD("misc", "std", "FD", "", "", K_PLAIN);
    ADD("misc", "not rm$", "F6+w /2", "bwdq", "rm", K_PLAIN, 0, 0, FO_LOCK);
    ADD("misc", "neg rm$", "F6+w /3", "bwdq", "rm", K_PLAIN, 0, 0, FO_LOCK);
    ADD("misc", "nop", "90", "", "", K_PLAIN);
    ADD("misc", "pause", "F3 90", "", "", K_PLAIN);
    ADD("misc", "nop rm$ (0F 1F)", "0F 1F /0", "wd", "rm", K_PLAIN, 0, 0, FO_NOACCESS);
    ADD("misc", "endbr64", "F3 0F 1E =FA", "", "", K_PLAIN);
    ADD("misc", "prefetcht0 m", "0F 18 /1", "", "m", K_PLAIN, 0, 0, FO_NOACCESS);
    ADD("misc", "lfence", "0F AE =E8", "", "", K_PLAIN);
    ADD("misc", "mfence", "0F AE =F0", "", "", K_PLAIN);
    ADD("misc", "sfence", "0F AE =F8", "", "", K_PLAIN);
    ADD("misc", "xlat", "D7", "", "", K_XLAT);
    ADD("misc", "ud2", "0F 0B", "", "", K_PLAIN, 0, 0, FO_UD);
    /* The harness's own x87/SSE state round trip, plain and at a fault. */
    ADD("misc", "nop (x87/SSE state kept)", "90", "", "", K_PLAIN, 0, 0, FO_FPU);
    ADD("misc", "ud2 (x87/SSE state kept)", "0F 0B", "", "", K_PLAIN, 0, 0, FO_UD | FO_FPU);
    ADD("misc", "int3", "CC", "", "", K_PLAIN);
}

static void bmi_forms(void)
{
    ADD("bmi", "andn r$,r$,rm$", "VEX.NP.0F38.Wv.V F2 /r", "dq", "rm", K_PLAIN, 0, U_BMI, 0, FEAT_BMI1);
    ADD("bmi", "bextr r$,rm$,r$", "VEX.NP.0F38.Wv.V F7 /r", "dq", "rm", K_BEXTR, 0, U_BEXTR, 0, FEAT_BMI1);
    ADD("bmi", "blsi r$,rm$", "VEX.NP.0F38.Wv.V F3 /3", "dq", "rm", K_PLAIN, 0, U_BMI, 0, FEAT_BMI1);
    ADD("bmi", "blsmsk r$,rm$", "VEX.NP.0F38.Wv.V F3 /2", "dq", "rm", K_PLAIN, 0, U_BMI, 0, FEAT_BMI1);
    ADD("bmi", "blsr r$,rm$", "VEX.NP.0F38.Wv.V F3 /1", "dq", "rm", K_PLAIN, 0, U_BMI, 0, FEAT_BMI1);
    ADD("bmi", "bzhi r$,rm$,r$", "VEX.NP.0F38.Wv.V F5 /r", "dq", "rm", K_BZHI, 0, U_BMI, 0, FEAT_BMI2);
    ADD("bmi", "pdep r$,r$,rm$", "VEX.F2.0F38.Wv.V F5 /r", "dq", "rm", K_PLAIN, 0, 0, 0, FEAT_BMI2);
    ADD("bmi", "pext r$,r$,rm$", "VEX.F3.0F38.Wv.V F5 /r", "dq", "rm", K_PLAIN, 0, 0, 0, FEAT_BMI2);
    ADD("bmi", "rorx r$,rm$,imm8", "VEX.F2.0F3A.Wv F0 /r ib", "dq", "rm", K_PLAIN, IMM_SHIFT, 0, 0, FEAT_BMI2);
    ADD("bmi", "sarx r$,rm$,r$", "VEX.F3.0F38.Wv.V F7 /r", "dq", "rm", K_SHIFTX, 0, 0, 0, FEAT_BMI2);
    ADD("bmi", "shlx r$,rm$,r$", "VEX.66.0F38.Wv.V F7 /r", "dq", "rm", K_SHIFTX, 0, 0, 0, FEAT_BMI2);
    ADD("bmi", "shrx r$,rm$,r$", "VEX.F2.0F38.Wv.V F7 /r", "dq", "rm", K_SHIFTX, 0, 0, 0, FEAT_BMI2);
    ADD("bmi", "mulx r$,r$,rm$", "VEX.F2.0F38.Wv.V F6 /r", "dq", "rm", K_MULX, 0, 0, 0, FEAT_BMI2);
    ADD("adx", "adcx r$,rm$", "66 0F 38 F6 /r", "dq", "rm", K_PLAIN, 0, 0, 0, FEAT_ADX);
    ADD("adx", "adox r$,rm$", "F3 0F 38 F6 /r", "dq", "rm", K_PLAIN, 0, 0, 0, FEAT_ADX);
}

/* Legacy-mode-only instructions, run in compatibility mode (CS = 0x23). */
static void compat_forms(void)
{
    ADD("compat", "inc r$ (40+r)", "40+r", "wd", "", K_PLAIN, .mode = 32);
    ADD("compat", "dec r$ (48+r)", "48+r", "wd", "", K_PLAIN, .mode = 32);
    ADD("compat", "pusha|pushad", "60", "wd", "", K_PUSHA, .mode = 32);
    ADD("compat", "popa|popad", "61", "wd", "", K_PUSHA, .mode = 32);
    ADD("compat", "into", "CE", "", "", K_PLAIN, .mode = 32);
    ADD("compat", "bound r$,m", "62 /r", "wd", "m", K_BOUND, .mode = 32);
    ADD("compat", "add rm$,r$", "00+w /r", "bwd", "rm", K_PLAIN, 0, 0, 0, .mode = 32);
    ADD("compat", "sub r$,rm$", "2A+w /r", "bwd", "rm", K_PLAIN, 0, 0, 0, .mode = 32);
    ADD("compat", "adc rm$,imm8", "83 /2 ib", "wd", "rm", K_PLAIN, .mode = 32);
    ADD("compat", "imul r$,rm$", "0F AF /r", "wd", "rm", K_PLAIN, 0, U_MUL, .mode = 32);
    ADD("compat", "div rm$", "F6+w /6", "bwd", "rm", K_DIV, 0, U_DIV, .mode = 32);
    ADD("compat", "shl rm$,cl", "D2+w /4", "bwd", "rm", K_SHIFT, 0, U_SHIFT, .mode = 32);
    ADD("compat", "lea r$,m", "8D /r", "wd", "m", K_PLAIN, 0, 0, FO_NOACCESS, .mode = 32);
    ADD("compat", "push r$", "50+r", "wd", "", K_STACK, .mode = 32);
    ADD("compat", "pop r$", "58+r", "wd", "", K_STACK, .mode = 32);
    ADD("compat", "push imm (o$)", "68 iz", "wd", "", K_STACK, .mode = 32);
    ADD("compat", "pushf (o$)", "9C", "wd", "", K_STACK, .mode = 32);
    ADD("compat", "popf (o$)", "9D", "wd", "", K_POPF, .mode = 32);
    ADD("compat", "enter imm16,imm8 (o$)", "C8 iw ib", "wd", "", K_ENTER, .mode = 32);
    ADD("compat", "leave (o$)", "C9", "wd", "", K_LEAVE, .mode = 32);
    ADD("compat", "jne rel8", "75 cb", "", "", K_JCC, .mode = 32);
    ADD("compat", "jl rel32", "0F 8C cd", "", "", K_JCC, .mode = 32);
    ADD("compat", "loop rel8", "E2 cb", "", "", K_LOOP, .mode = 32);
    ADD("compat", "call rel32", "E8 cd", "", "", K_CALL, .mode = 32);
    ADD("compat", "ret", "C3", "", "", K_RET, .mode = 32);
    ADD("compat", "rep movs$", "F3 A4+w", "bwd", "", K_STRING, 0, 0, FO_NOA32, .mode = 32);
    ADD("compat", "repne scas$", "F2 AE+w", "bwd", "", K_STRING, 0, 0, FO_NOA32, .mode = 32);
    ADD("compat", "cmpxchg8b m64", "0F C7 /1 m8", "d", "m", K_CX8, 0, 0, FO_LOCK, FEAT_CX8, .mode = 32);
    ADD("compat", "cwde", "98", "d", "", K_PLAIN, .mode = 32);
    ADD("compat", "cdq", "99", "d", "", K_PLAIN, .mode = 32);
    ADD("compat", "xlat", "D7", "", "", K_XLAT, .mode = 32);
    ADD("compat", "bswap r$", "0F C8+r", "d", "", K_PLAIN, .mode = 32);
}

/* Privileged or I/O instructions: #GP(0) at CPL 3 with IOPL 0. */
static void priv_forms(void)
{
    ADD("priv", "hlt", "F4", "", "", K_PLAIN);
    ADD("priv", "cli", "FA", "", "", K_PLAIN);
    ADD("priv", "sti", "FB", "", "", K_PLAIN);
    ADD("priv", "in al,imm8", "E4 ib", "", "", K_PLAIN);
    ADD("priv", "in eax,dx", "ED", "", "", K_PLAIN);
    ADD("priv", "out imm8,al", "E6 ib", "", "", K_PLAIN);
    ADD("priv", "out dx,al", "EE", "", "", K_PLAIN);
    ADD("priv", "insb", "6C", "", "", K_STRING, 0, 0, FO_NOA32);
    ADD("priv", "outsb", "6E", "", "", K_STRING, 0, 0, FO_NOA32);
    ADD("priv", "mov r64,cr0", "0F 20 =C0", "", "", K_PLAIN);
    ADD("priv", "mov cr3,r64", "0F 22 =D8", "", "", K_PLAIN);
    ADD("priv", "mov r64,dr7", "0F 21 =F8", "", "", K_PLAIN);
    ADD("priv", "lgdt m", "0F 01 /2", "", "m", K_PLAIN, 0, 0, FO_NOACCESS);
    ADD("priv", "lidt m", "0F 01 /3", "", "m", K_PLAIN, 0, 0, FO_NOACCESS);
    ADD("priv", "lmsw rm16", "0F 01 /6", "", "r", K_PLAIN);
    ADD("priv", "invlpg m", "0F 01 /7", "", "m", K_PLAIN, 0, 0, FO_NOACCESS);
    ADD("priv", "clts", "0F 06", "", "", K_PLAIN);
    ADD("priv", "invd", "0F 08", "", "", K_PLAIN);
    ADD("priv", "wbinvd", "0F 09", "", "", K_PLAIN);
    ADD("priv", "wrmsr", "0F 30", "", "", K_PLAIN);
    ADD("priv", "rdmsr", "0F 32", "", "", K_PLAIN);
    ADD("priv", "swapgs", "0F 01 =F8", "", "", K_PLAIN);
    ADD("priv", "sysret", "0F 07", "", "", K_PLAIN);
    ADD("priv", "lldt rm16", "0F 00 /2", "", "r", K_PLAIN);
    ADD("priv", "ltr rm16", "0F 00 /3", "", "r", K_PLAIN);
}

/* Encodings that must raise #UD in 64-bit mode. */
static void invalid_forms(void)
{
    static const char *const one[] = {
        "06", "07", "0E", "16", "17", "1E", "1F", "27", "2F", "37", "3F",
        "60", "61", "CE", "D6",
    };
    char name[64];

    for (unsigned i = 0; i < ARRAY_LEN(one); i++) {
        snprintf(name, sizeof(name), "invalid %s", one[i]);
        ADD("invalid", name, one[i], "", "", K_PLAIN, 0, 0, FO_UD);
    }
    ADD("invalid", "invalid 82 /0 ib", "82 /0 ib", "", "r", K_PLAIN, 0, 0, FO_UD);
    ADD("invalid", "invalid 9A (far call)", "9A id iw", "", "", K_PLAIN, 0, 0, FO_UD);
    ADD("invalid", "invalid EA (far jmp)", "EA id iw", "", "", K_PLAIN, 0, 0, FO_UD);
    ADD("invalid", "invalid D4 (aam)", "D4 ib", "", "", K_PLAIN, 0, 0, FO_UD);
    ADD("invalid", "invalid D5 (aad)", "D5 ib", "", "", K_PLAIN, 0, 0, FO_UD);
    ADD("invalid", "lea r32,reg", "8D /r", "d", "r", K_PLAIN, 0, 0, FO_UD);
    ADD("invalid", "cmpxchg8b reg", "0F C7 /1", "d", "r", K_PLAIN, 0, 0, FO_UD);
    ADD("invalid", "movbe r32,reg", "0F 38 F0 /r", "d", "r", K_PLAIN, 0, 0, FO_UD, FEAT_MOVBE);
    ADD("invalid", "lock add reg,reg", "F0 01 /r", "d", "r", K_PLAIN, 0, 0, FO_UD);
    ADD("invalid", "lock mov m32,r32", "F0 89 /r", "d", "m", K_PLAIN, 0, 0, FO_UD);
    ADD("invalid", "lock nop", "F0 90", "", "", K_PLAIN, 0, 0, FO_UD);
    ADD("invalid", "ud0 r32,rm32", "0F FF /r", "d", "rm", K_PLAIN, 0, 0, FO_UD | FO_NOACCESS);
    ADD("invalid", "ud1 r32,rm32", "0F B9 /r", "d", "rm", K_PLAIN, 0, 0, FO_UD | FO_NOACCESS);
    ADD("invalid", "andn VEX.L1", "VEX.NP.0F38.W0.V.L1 F2 /r", "d", "r", K_PLAIN, 0, 0, FO_UD, FEAT_BMI1);
    ADD("invalid", "rorx vvvv!=1111", "VEX.F2.0F3A.W0.V F0 /r ib", "d", "r", K_PLAIN, 0, 0, FO_UD, FEAT_BMI2);
    ADD("invalid", "66 + VEX andn", "66 VEX.NP.0F38.W0.V F2 /r", "d", "r", K_PLAIN, 0, 0, FO_UD, FEAT_BMI1);
    ADD("invalid", "F3 + VEX andn", "F3 VEX.NP.0F38.W0.V F2 /r", "d", "r", K_PLAIN, 0, 0, FO_UD, FEAT_BMI1);
}

/* Encodings the SDM marks reserved or that are aliases documented only in
 * the opcode map: the host's behaviour is the reference. */
static void undoc_forms(void)
{
    ADD("undoc", "test rm$,imm (F6 /1)", "F6+w /1 iz", "bwdq", "rm", K_PLAIN, 0, U_LOGIC);
    ADD("undoc", "sal rm$,1 (/6)", "D0+w /6", "bwdq", "rm", K_PLAIN, 0, U_SHIFT);
    ADD("undoc", "sal rm$,cl (/6)", "D2+w /6", "bwdq", "rm", K_SHIFT, 0, U_SHIFT);
    ADD("undoc", "sal rm$,imm8 (/6)", "C0+w /6 ib", "bwdq", "rm", K_PLAIN, IMM_SHIFT, U_SHIFT);
    ADD("undoc", "82 /0 ib (add)", "82 /0 ib", "b", "rm", K_PLAIN, .mode = 32);
    ADD("undoc", "82 /7 ib (cmp)", "82 /7 ib", "b", "rm", K_PLAIN, .mode = 32);
    ADD("undoc", "salc", "D6", "", "", K_PLAIN, .mode = 32);
    /* INT1 is a trap (RIP after it), but this host, a VM, reports the #DB
     * at the instruction: compare the vector only. */
    ADD("undoc", "int1 (icebp)", "F1", "", "", K_PLAIN, 0, 0, FO_NORIP);
    ADD("undoc", "repne movs$", "F2 A4+w", "bq", "", K_STRING, 0, 0, FO_NOA32);
    ADD("undoc", "repne stos$", "F2 AA+w", "bq", "", K_STRING, 0, 0, FO_NOA32);
    ADD("undoc", "nop rm32 (0F 19..1E)", "0F 19 /r", "d", "rm", K_PLAIN, 0, 0, FO_NOACCESS);
    ADD("undoc", "setcc reg!=0 (0F 94 /5)", "0F 94 /5", "b", "rm", K_PLAIN);
}

/* The x87: every D8..DF form and FWAIT, on a random x87 state with
 * special operands (FO_FPU).  The transcendentals compare within one ulp
 * (FO_FPULP): real x87s differ from each other in the last place. */
static void x87_forms(void)
{
    static const char *const arith[8] = {
        "fadd", "fmul", "fcom", "fcomp", "fsub", "fsubr", "fdiv", "fdivr",
    };
    static const char *const iarith[8] = {
        "fiadd", "fimul", "ficom", "ficomp", "fisub", "fisubr", "fidiv", "fidivr",
    };
    /* DC/DE with a register: ST(i) op= ST(0), SUB/DIV pairs swapped. */
    static const char *const sti[8] = {
        "fadd st(i),st", "fmul st(i),st", "fcom2 (alias)", "fcomp3 (alias)",
        "fsubr st(i),st", "fsub st(i),st", "fdivr st(i),st", "fdiv st(i),st",
    };
    static const struct { const char *name, *enc; uint32_t flags; } one[] = {
        { "fnop", "D9 =D0", 0 }, { "fchs", "D9 =E0", 0 }, { "fabs", "D9 =E1", 0 },
        { "ftst", "D9 =E4", 0 }, { "fxam", "D9 =E5", 0 }, { "fld1", "D9 =E8", 0 },
        { "fldl2t", "D9 =E9", 0 }, { "fldl2e", "D9 =EA", 0 }, { "fldpi", "D9 =EB", 0 },
        { "fldlg2", "D9 =EC", 0 }, { "fldln2", "D9 =ED", 0 }, { "fldz", "D9 =EE", 0 },
        { "f2xm1", "D9 =F0", FO_FPULP }, { "fyl2x", "D9 =F1", FO_FPULP },
        { "fptan", "D9 =F2", FO_FPULP }, { "fpatan", "D9 =F3", FO_FPULP },
        { "fxtract", "D9 =F4", 0 }, { "fprem1", "D9 =F5", 0 },
        { "fdecstp", "D9 =F6", 0 }, { "fincstp", "D9 =F7", 0 },
        { "fprem", "D9 =F8", 0 }, { "fyl2xp1", "D9 =F9", FO_FPULP },
        { "fsqrt", "D9 =FA", 0 }, { "fsincos", "D9 =FB", FO_FPULP },
        { "frndint", "D9 =FC", 0 }, { "fscale", "D9 =FD", 0 },
        { "fsin", "D9 =FE", FO_FPULP }, { "fcos", "D9 =FF", FO_FPULP },
        { "fucompp", "DA =E9", 0 }, { "feni (nop)", "DB =E0", 0 },
        { "fdisi (nop)", "DB =E1", 0 }, { "fnclex", "DB =E2", 0 },
        { "fninit", "DB =E3", 0 }, { "fsetpm (nop)", "DB =E4", 0 },
        { "fcompp", "DE =D9", 0 }, { "fnstsw ax", "DF =E0", 0 }, { "fwait", "9B", 0 },
    };
    /* ModRM forms: the memory and the register form's names. */
    static const struct { const char *mname, *enc, *rname; } mem[] = {
        { "fld m32fp", "D9 /0 m4", "fld st(i)" },
        { NULL, "D9 /1", "fxch st(i)" },
        { "fst m32fp", "D9 /2 m4", NULL },
        { "fstp m32fp", "D9 /3 m4", "fstp1 (alias)" },
        { "fldenv m28", "D9 /4 m28", NULL },
        { "fldcw m16", "D9 /5 m2", NULL },
        { "fnstenv m28", "D9 /6 m28", NULL },
        { "fnstcw m16", "D9 /7 m2", NULL },
        { NULL, "DA /0", "fcmovb" }, { NULL, "DA /1", "fcmove" },
        { NULL, "DA /2", "fcmovbe" }, { NULL, "DA /3", "fcmovu" },
        { "fild m32int", "DB /0 m4", NULL },
        { "fisttp m32int", "DB /1 m4", NULL },
        { "fist m32int", "DB /2 m4", NULL },
        { "fistp m32int", "DB /3 m4", NULL },
        { "fld m80fp", "DB /5 m10", NULL },
        { "fstp m80fp", "DB /7 m10", NULL },
        { NULL, "DB /0", "fcmovnb" }, { NULL, "DB /1", "fcmovne" },
        { NULL, "DB /2", "fcmovnbe" }, { NULL, "DB /3", "fcmovnu" },
        { NULL, "DB /5", "fucomi" }, { NULL, "DB /6", "fcomi" },
        { "fld m64fp", "DD /0 m8", "ffree st(i)" },
        { "fisttp m64int", "DD /1 m8", "fxch4 (alias)" },
        { "fst m64fp", "DD /2 m8", "fst st(i)" },
        { "fstp m64fp", "DD /3 m8", "fstp st(i)" },
        { "frstor m108", "DD /4 m108", NULL },
        { NULL, "DD /4", "fucom st(i)" },
        { NULL, "DD /5", "fucomp st(i)" },
        { "fnsave m108", "DD /6 m108", NULL },
        { "fnstsw m16", "DD /7 m2", NULL },
        { "fild m16int", "DF /0 m2", "ffreep (alias)" },
        { "fisttp m16int", "DF /1 m2", "fxch7 (alias)" },
        { "fist m16int", "DF /2 m2", "fstp8 (alias)" },
        { "fistp m16int", "DF /3 m2", "fstp9 (alias)" },
        { "fbld m80bcd", "DF /4 m10", NULL },
        { "fild m64int", "DF /5 m8", "fucomip" },
        { "fbstp m80bcd", "DF /6 m10", "fcomip" },
        { "fistp m64int", "DF /7 m8", NULL },
    };
    char name[64], enc[64];

    for (int k = 0; k < 8; k++) {
        snprintf(name, sizeof(name), "%s m32fp", arith[k]);
        snprintf(enc, sizeof(enc), "D8 /%d m4", k);
        ADD("x87", name, enc, "", "m", K_PLAIN, 0, 0, FO_FPU);
        snprintf(name, sizeof(name), "%s st,st(i)", arith[k]);
        ADD("x87", name, enc, "", "r", K_PLAIN, 0, 0, FO_FPU);
        snprintf(name, sizeof(name), "%s m64fp", arith[k]);
        snprintf(enc, sizeof(enc), "DC /%d m8", k);
        ADD("x87", name, enc, "", "m", K_PLAIN, 0, 0, FO_FPU);
        ADD("x87", sti[k], enc, "", "r", K_PLAIN, 0, 0, FO_FPU);
        snprintf(name, sizeof(name), "%s m32int", iarith[k]);
        snprintf(enc, sizeof(enc), "DA /%d m4", k);
        ADD("x87", name, enc, "", "m", K_PLAIN, 0, 0, FO_FPU);
        snprintf(name, sizeof(name), "%s m16int", iarith[k]);
        snprintf(enc, sizeof(enc), "DE /%d m2", k);
        ADD("x87", name, enc, "", "m", K_PLAIN, 0, 0, FO_FPU);
        if (k == 3)
            continue;                    /* DE D8+i: only D9 (FCOMPP) */
        snprintf(name, sizeof(name), "%sp st(i),st", k == 2 ? "fcom" : sti[k]);
        snprintf(enc, sizeof(enc), "DE /%d", k);
        ADD("x87", name, enc, "", "r", K_PLAIN, 0, 0, FO_FPU);
    }
    for (unsigned k = 0; k < ARRAY_LEN(one); k++)
        ADD("x87", one[k].name, one[k].enc, "", "", K_PLAIN, 0, 0,
            FO_FPU | one[k].flags);
    for (unsigned k = 0; k < ARRAY_LEN(mem); k++) {
        if (mem[k].mname)
            ADD("x87", mem[k].mname, mem[k].enc, "", "m", K_PLAIN, 0, 0, FO_FPU);
        if (mem[k].rname)
            ADD("x87", mem[k].rname, mem[k].enc, "", "r", K_PLAIN, 0, 0, FO_FPU);
    }
}

void cd_forms_build(void)
{
    if (cd_nforms)
        return;
    alu_forms();
    incdec_forms();
    shift_forms();
    muldiv_forms();
    bcd_forms();
    bit_forms();
    cc_forms();
    string_forms();
    atomic_forms();
    mov_forms();
    misc_forms();
    bmi_forms();
    compat_forms();
    priv_forms();
    invalid_forms();
    undoc_forms();
    x87_forms();
}
