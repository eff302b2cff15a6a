/*
 * The x87 control instructions: FNINIT, FNCLEX, FLDCW/FNSTCW, FNSTSW,
 * FNSTENV/FLDENV and FNSAVE/FRSTOR in their 16/32-bit real and protected
 * formats, FINCSTP/FDECSTP, FFREE(P), FNOP, the 8087/287 leftovers (FENI,
 * FDISI, FSETPM: no-ops) and FWAIT.
 *
 * The FN forms do not wait: no #MF for a pending exception.  None of them
 * but FINCSTP, FDECSTP, FFREE(P) and FNOP changes FIP/FOP/FDP (measured
 * on the host).
 */
#include "cpu/x87.h"

/* FCW bits that exist: the masks, PC, RC, the 287's IC (bit 12); bit 6
 * reads as 1. */
#define FCW_WRITABLE 0x1f3fu
#define FCW_ONE      0x0040u

static void op_fninit(struct cpu *c, const struct insn *i)
{
    (void)i;
    x87_check(c, false);
    x87_init(c);
}

static void op_fnclex(struct cpu *c, const struct insn *i)
{
    (void)i;
    x87_check(c, false);
    c->fpu.fsw &= (uint16_t)~(0xffu | FSW_B);
}

/* FENI, FDISI, FSETPM: nothing on a 387 and later. */
static void op_fnop_legacy(struct cpu *c, const struct insn *i)
{
    (void)i;
    x87_check(c, false);
}

static void op_fnop(struct cpu *c, const struct insn *i)
{
    x87_begin(c, i);
}

static void op_fldcw(struct cpu *c, const struct insn *i)
{
    uint64_t v;

    x87_check(c, true);
    v = mem_read(c, i->seg, insn_ea(c, i), 2);
    c->fpu.fcw = (uint16_t)((v & FCW_WRITABLE) | FCW_ONE);
    x87_update_es(c);
}

static void op_fnstcw(struct cpu *c, const struct insn *i)
{
    x87_check(c, false);
    mem_write(c, i->seg, insn_ea(c, i), 2, c->fpu.fcw);
}

static void op_fnstsw(struct cpu *c, const struct insn *i)
{
    x87_check(c, false);
    if (i->mod == 3)
        reg_write(c, R_AX, 2, c->fpu.fsw);
    else
        mem_write(c, i->seg, insn_ea(c, i), 2, c->fpu.fsw);
}

/* FINCSTP (arg 1), FDECSTP (arg 7): TOP moves, tags stay. */
static void op_fstp_move(struct cpu *c, const struct insn *i)
{
    x87_begin(c, i);
    x87_set_top(c, x87_top(c) + i->arg);
    c->fpu.fsw &= (uint16_t)~FSW_C1;
}

/* FFREE ST(i), FFREEP ST(i) (arg 1: pop). */
static void op_ffree(struct cpu *c, const struct insn *i)
{
    x87_begin(c, i);
    c->fpu.fsw &= (uint16_t)~FSW_C1;
    x87_set_tag(c, x87_phys(c, i->modrm & 7), TAG_EMPTY);
    if (i->arg)
        x87_pop(c);
}

/* WAIT/FWAIT: #NM only with CR0.MP and TS both set. */
static void op_fwait(struct cpu *c, const struct insn *i)
{
    (void)i;
    if ((c->cr0 & (CR0_MP | CR0_TS)) == (CR0_MP | CR0_TS))
        cpu_raise(c, EXC_NM, false, 0);
    if ((c->fpu.fsw & FSW_ES) && (c->cr0 & CR0_NE))
        cpu_raise(c, EXC_MF, false, 0);
}

/* ---- the environment --------------------------------------------------------- */

/* The tag word as FNSTENV writes it: empty, or the class of the
 * contents. */
static uint16_t full_tags(const struct cpu *c)
{
    uint16_t t = 0;

    for (unsigned p = 0; p < 8; p++) {
        unsigned tag = x87_tag(c, p);
        if (tag != TAG_EMPTY)
            tag = x87_tag_of(fx80_make(c->fpu.st[p].se, c->fpu.st[p].mant));
        t |= (uint16_t)(tag << (2 * p));
    }
    return t;
}

static bool env_real(const struct cpu *c)
{
    return c->mode == MODE_REAL || (c->rflags & FL_VM);
}

static unsigned env_size(const struct insn *i)
{
    return i->opsz == 2 ? 14 : 28;
}

/* The environment in its memory layout (little-endian bytes). */
static void env_encode(const struct cpu *c, const struct insn *i,
                       uint8_t *b)
{
    const struct fpu *f = &c->fpu;
    uint32_t ip = (uint32_t)f->fip, dp = (uint32_t)f->fdp;

    if (env_real(c)) {
        ip = (uint32_t)(f->fcs << 4) + ip;
        dp = (uint32_t)(f->fds << 4) + dp;
    }
    if (i->opsz == 2) {
        le_store(b + 0, 2, f->fcw);
        le_store(b + 2, 2, f->fsw);
        le_store(b + 4, 2, full_tags(c));
        le_store(b + 6, 2, ip & 0xffff);
        le_store(b + 10, 2, dp & 0xffff);
        if (env_real(c)) {
            le_store(b + 8, 2, (ip >> 16) << 12 | (f->fop & 0x7ff));
            le_store(b + 12, 2, (dp >> 16) << 12);
        } else {
            le_store(b + 8, 2, f->fcs);
            le_store(b + 12, 2, f->fds);
        }
        return;
    }
    le_store(b + 0, 4, 0xffff0000u | f->fcw);
    le_store(b + 4, 4, 0xffff0000u | f->fsw);
    le_store(b + 8, 4, 0xffff0000u | full_tags(c));
    if (env_real(c)) {
        le_store(b + 12, 4, 0xffff0000u | (ip & 0xffff));
        le_store(b + 16, 4, (ip >> 16) << 12 | (f->fop & 0x7ffu));
        le_store(b + 20, 4, 0xffff0000u | (dp & 0xffff));
        le_store(b + 24, 4, (dp >> 16) << 12);
    } else {
        le_store(b + 12, 4, ip);
        le_store(b + 16, 4, (uint32_t)(f->fop & 0x7ff) << 16 | f->fcs);
        le_store(b + 20, 4, dp);
        le_store(b + 24, 4, 0xffff0000u | f->fds);
    }
}

static void env_decode(struct cpu *c, const struct insn *i, const uint8_t *b)
{
    struct fpu *f = &c->fpu;
    bool real = env_real(c);
    uint16_t tags;

    if (i->opsz == 2) {
        f->fcw = (uint16_t)le_load(b + 0, 2);
        f->fsw = (uint16_t)le_load(b + 2, 2);
        tags = (uint16_t)le_load(b + 4, 2);
        f->fip = le_load(b + 6, 2);
        f->fdp = le_load(b + 10, 2);
        if (real) {
            uint32_t w = (uint32_t)le_load(b + 8, 2);
            f->fip |= (uint64_t)(w >> 12) << 16;
            f->fop = w & 0x7ff;
            f->fdp |= (le_load(b + 12, 2) >> 12) << 16;
            f->fcs = f->fds = 0;
        } else {
            f->fcs = (uint16_t)le_load(b + 8, 2);
            f->fds = (uint16_t)le_load(b + 12, 2);
        }
    } else {
        f->fcw = (uint16_t)le_load(b + 0, 2);
        f->fsw = (uint16_t)le_load(b + 4, 2);
        tags = (uint16_t)le_load(b + 8, 2);
        if (real) {
            uint32_t w = (uint32_t)le_load(b + 16, 4);
            f->fip = le_load(b + 12, 2) | (uint64_t)((w >> 12) & 0xffff) << 16;
            f->fop = w & 0x7ff;
            f->fdp = le_load(b + 20, 2) |
                     ((le_load(b + 24, 4) >> 12) & 0xffff) << 16;
            f->fcs = f->fds = 0;
        } else {
            uint32_t w = (uint32_t)le_load(b + 16, 4);
            f->fip = le_load(b + 12, 4);
            f->fcs = (uint16_t)w;
            f->fop = (w >> 16) & 0x7ff;
            f->fdp = le_load(b + 20, 4);
            f->fds = (uint16_t)le_load(b + 24, 2);
        }
    }
    f->fcw = (uint16_t)((f->fcw & FCW_WRITABLE) | FCW_ONE);
    /* Only "empty" survives a load: the other tags follow the contents. */
    f->ftw = 0;
    for (unsigned p = 0; p < 8; p++) {
        unsigned tag = (tags >> (2 * p)) & 3;
        if (tag != TAG_EMPTY)
            tag = x87_tag_of(fx80_make(f->st[p].se, f->st[p].mant));
        x87_set_tag(c, p, tag);
    }
    x87_update_es(c);
}

/* The linear address of an n-byte operand, checked for the access in the
 * host's order: the first field (FCW), then the last byte, then the rest;
 * a page fault reports the first address that failed. */
static uint64_t block_la(struct cpu *c, const struct insn *i, unsigned n,
                         bool write)
{
    uint64_t la = seg_linear(c, i->seg, insn_ea(c, i), n, write);
    unsigned first = i->opsz == 2 ? 2 : 4;

    if (write) {
        lin_probe_write(c, la, first, c->cpl);
        lin_probe_write(c, la + n - 1, 1, c->cpl);
        lin_probe_write(c, la, n, c->cpl);
    } else {
        lin_read(c, la, first);
        lin_read(c, la + n - 1, 1);
    }
    return la;
}

static void write_bytes(struct cpu *c, uint64_t la, const uint8_t *b,
                        unsigned n)
{
    for (unsigned k = 0; k < n; k++)
        lin_write(c, la + k, 1, b[k]);
}

static void read_bytes(struct cpu *c, uint64_t la, uint8_t *b, unsigned n)
{
    for (unsigned k = 0; k < n; k++)
        b[k] = (uint8_t)lin_read(c, la + k, 1);
}

/* FNSTENV: store, then mask every exception. */
static void op_fnstenv(struct cpu *c, const struct insn *i)
{
    uint8_t b[28];
    unsigned n = env_size(i);
    uint64_t la;

    x87_check(c, false);
    la = block_la(c, i, n, true);
    env_encode(c, i, b);
    write_bytes(c, la, b, n);
    c->fpu.fcw |= SF_ALL;
}

static void op_fldenv(struct cpu *c, const struct insn *i)
{
    uint8_t b[28];
    unsigned n = env_size(i);

    x87_check(c, true);
    read_bytes(c, block_la(c, i, n, false), b, n);
    env_decode(c, i, b);
}

/* FNSAVE: the environment and ST(0)..ST(7), then FNINIT. */
static void op_fnsave(struct cpu *c, const struct insn *i)
{
    uint8_t b[108];
    unsigned n = env_size(i);
    uint64_t la;

    x87_check(c, false);
    la = block_la(c, i, n + 80, true);
    env_encode(c, i, b);
    for (unsigned k = 0; k < 8; k++) {
        fx80 v = x87_get(c, k);
        le_store(b + n + 10 * k, 8, v.mant);
        le_store(b + n + 10 * k + 8, 2, v.se);
    }
    write_bytes(c, la, b, n + 80);
    x87_init(c);
}

static void op_frstor(struct cpu *c, const struct insn *i)
{
    uint8_t b[108];
    unsigned n = env_size(i);

    x87_check(c, true);
    read_bytes(c, block_la(c, i, n + 80, false), b, n + 80);
    /* The registers first (ST(i) by the loaded TOP), then the tags. */
    c->fpu.fsw = (uint16_t)(i->opsz == 2 ? le_load(b + 2, 2)
                                          : le_load(b + 4, 2));
    for (unsigned k = 0; k < 8; k++) {
        struct x87reg *r = &c->fpu.st[x87_phys(c, k)];
        r->mant = le_load(b + n + 10 * k, 8);
        r->se = (uint16_t)le_load(b + n + 10 * k + 8, 2);
    }
    env_decode(c, i, b);
}

#define R(op, ext, mod, arg, fn, nm) \
    { MAP_1B, op, 1, P_ANY, ext, mod, -1, F_MODRM, arg, 0, fn, nm }
#define X(op, modrm, arg, fn, nm) \
    { MAP_1B, op, 1, P_ANY, -1, M_REG, modrm, F_MODRM, arg, 0, fn, nm }

static const struct opdef defs[] = {
    R(0xd9, 4, M_MEM, 0, op_fldenv, "fldenv"),
    R(0xd9, 5, M_MEM, 0, op_fldcw, "fldcw"),
    R(0xd9, 6, M_MEM, 0, op_fnstenv, "fnstenv"),
    R(0xd9, 7, M_MEM, 0, op_fnstcw, "fnstcw"),
    X(0xd9, 0xd0, 0, op_fnop, "fnop"),
    X(0xd9, 0xf6, 7, op_fstp_move, "fdecstp"),
    X(0xd9, 0xf7, 1, op_fstp_move, "fincstp"),
    X(0xdb, 0xe0, 0, op_fnop_legacy, "feni"),
    X(0xdb, 0xe1, 0, op_fnop_legacy, "fdisi"),
    X(0xdb, 0xe2, 0, op_fnclex, "fnclex"),
    X(0xdb, 0xe3, 0, op_fninit, "fninit"),
    X(0xdb, 0xe4, 0, op_fnop_legacy, "fsetpm"),
    R(0xdd, 4, M_MEM, 0, op_frstor, "frstor"),
    R(0xdd, 6, M_MEM, 0, op_fnsave, "fnsave"),
    R(0xdd, 7, M_MEM, 0, op_fnstsw, "fnstsw m16"),
    R(0xdd, 0, M_REG, 0, op_ffree, "ffree"),
    R(0xdf, 0, M_REG, 1, op_ffree, "ffreep"),
    X(0xdf, 0xe0, 0, op_fnstsw, "fnstsw ax"),
    { MAP_1B, 0x9b, 1, P_ANY, -1, M_ANY, -1, 0, 0, 0, op_fwait, "fwait" },
};
OPTABLE(optable_x87env, defs);
