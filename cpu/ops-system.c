/*
 * System instructions: software interrupts and IRET, HLT, CLI/STI,
 * PUSHF/POPF, control and debug registers, CLTS/LMSW/SMSW, INVLPG, cache
 * control, CPUID, time stamp counter, MSRs, SYSCALL/SYSENTER and port I/O.
 * The mechanisms live in except.c, far.c, syscall.c, msr.c, io.c and
 * debug.c; this file decodes operands and checks privilege.
 */
#include "cpu/cpu-priv.h"

static void need_cpl0(struct cpu *c)
{
    if (c->cpl != 0)
        raise_gp(c, 0);
}

static unsigned iopl(const struct cpu *c)
{
    return (unsigned)(c->rflags >> 12) & 3;
}

/* ---- interrupts ------------------------------------------------------------ */

static void op_int(struct cpu *c, const struct insn *i)
{
    soft_interrupt(c, i, (unsigned)i->imm & 0xff, SRC_SOFT);
}

static void op_int3(struct cpu *c, const struct insn *i)
{
    soft_interrupt(c, i, EXC_BP, SRC_SOFT);
}

static void op_into(struct cpu *c, const struct insn *i)
{
    if (flags_compute(c) & FL_OF)
        soft_interrupt(c, i, EXC_OF, SRC_SOFT);
}

static void op_int1(struct cpu *c, const struct insn *i)
{
    soft_interrupt(c, i, EXC_DB, SRC_ICEBP);
}

static void op_iret(struct cpu *c, const struct insn *i)
{
    do_iret(c, i->opsz);
}

static void op_hlt(struct cpu *c, const struct insn *i)
{
    (void)i;
    need_cpl0(c);
    c->halted = true;
    c->priv->stop_block = true;
}

/* ---- flags -------------------------------------------------------------------- */

static bool if_allowed(const struct cpu *c)
{
    return c->mode == MODE_REAL || c->cpl <= iopl(c);
}

static void op_cli(struct cpu *c, const struct insn *i)
{
    (void)i;
    if (!if_allowed(c))
        raise_gp(c, 0);
    c->rflags &= ~(uint64_t)FL_IF;
}

/* STI: interrupts stay blocked for one more instruction (the shadow). */
static void op_sti(struct cpu *c, const struct insn *i)
{
    (void)i;
    if (!if_allowed(c))
        raise_gp(c, 0);
    if (!(c->rflags & FL_IF)) {
        c->rflags |= FL_IF;
        c->priv->irq_inhibit = 1;
    }
    c->priv->stop_block = true;
}

static void op_pushf(struct cpu *c, const struct insn *i)
{
    uint64_t f = cpu_get_rflags(c) & ~(uint64_t)(FL_RF | FL_VM);
    push(c, i->opsz, f & size_mask(i->opsz));
}

static void op_popf(struct cpu *c, const struct insn *i)
{
    uint64_t v = pop(c, i->opsz);
    cpu_set_rflags(c, flags_from_pop(c, cpu_get_rflags(c), v, i->opsz,
                                     false));
}

/* SMAP's AC flag: CLAC/STAC are ring-0 only (#UD elsewhere). */
static void op_clac_stac(struct cpu *c, const struct insn *i)
{
    if (c->cpl != 0)
        raise_ud(c);
    if (i->arg)
        c->rflags |= FL_AC;
    else
        c->rflags &= ~(uint64_t)FL_AC;
}

/* ---- control registers ------------------------------------------------------ */

static unsigned cr_size(const struct cpu *c)
{
    return c->mode == MODE_LONG64 ? 8 : 4;
}

/* MOV CRn: CR0, CR2, CR3, CR4, and CR8 in 64-bit mode; others #UD. */
static void check_cr(struct cpu *c, unsigned n)
{
    if (n == 8 ? c->mode != MODE_LONG64 : (n > 4 || n == 1))
        raise_ud(c);
    need_cpl0(c);
}

/* PAE paging outside long mode loads the PDPTEs: reserved bits #GP. */
static bool pdptes_ok(struct cpu *c, uint64_t cr0, uint64_t cr3, uint64_t cr4)
{
    struct paging_ctx ctx;
    uint64_t pdpte[4];

    if (!(cr0 & CR0_PG) || !(cr4 & CR4_PAE) || (c->efer & EFER_LME))
        return true;
    paging_ctx_fill(c, &ctx);
    ctx.cr0 = cr0;
    ctx.cr3 = cr3;
    ctx.cr4 = cr4;
    return pt_pae_pdptes(c->mem, &ctx, pdpte) == 0;
}

static bool write_cr0(struct cpu *c, uint64_t v)
{
    uint64_t old = c->cr0;

    v |= CR0_ET;
    if (v >> 32)
        return false;
    if ((v & CR0_PG) && !(v & CR0_PE))
        return false;
    if (!(v & CR0_PG) && (old & CR0_PG) && c->mode == MODE_LONG64)
        return false;
    if ((v & CR0_PG) && !(old & CR0_PG) && (c->efer & EFER_LME) &&
        (!(c->cr4 & CR4_PAE) || (c->seg[SEG_CS].attr & SEGA_L)))
        return false;
    if ((v & CR0_PG) && ((v ^ old) & (CR0_PG | CR0_CD | CR0_NW)) &&
        !pdptes_ok(c, v, c->cr3, c->cr4))
        return false;
    return cpu_set_cr0(c, v);
}

static bool write_cr3(struct cpu *c, uint64_t v)
{
    if ((c->efer & EFER_LMA) && (v >> 40))
        return false;          /* above MAXPHYADDR (and PCID no-flush) */
    if (!pdptes_ok(c, c->cr0, v, c->cr4))
        return false;
    return cpu_set_cr3(c, v);
}

static bool write_cr4(struct cpu *c, uint64_t v)
{
    if (v & ~cpuid_cr4_valid())
        return false;
    if (((v ^ c->cr4) & (CR4_PAE | CR4_PSE | CR4_PGE)) &&
        !pdptes_ok(c, c->cr0, c->cr3, v))
        return false;
    if (!cpu_set_cr4(c, v))
        return false;
    debug_update(c);
    return true;
}

static void op_mov_from_cr(struct cpu *c, const struct insn *i)
{
    static const uint8_t off[] = { 0, 0, 1, 2, 3 };
    unsigned n = i->reg;
    uint64_t v;

    check_cr(c, n);
    if (n == 8) {
        v = c->cr8 & 0xf;
    } else {
        const uint64_t *crs[] = { &c->cr0, &c->cr2, &c->cr3, &c->cr4 };
        v = *crs[off[n]];
    }
    reg_write(c, i->rm, cr_size(c), v);
}

static void op_mov_to_cr(struct cpu *c, const struct insn *i)
{
    unsigned n = i->reg;
    uint64_t v;
    bool ok = true;

    check_cr(c, n);
    v = reg_read(c, i->rm, cr_size(c));
    switch (n) {
    case 0: ok = write_cr0(c, v); break;
    case 2: c->cr2 = v; break;
    case 3: ok = write_cr3(c, v); break;
    case 4: ok = write_cr4(c, v); break;
    default:
        ok = !(v & ~0xfull);
        if (ok)
            c->cr8 = v;
        break;
    }
    if (!ok)
        raise_gp(c, 0);
    c->priv->stop_block = true;
}

static void op_clts(struct cpu *c, const struct insn *i)
{
    (void)i;
    need_cpl0(c);
    c->cr0 &= ~CR0_TS;
}

/* LMSW loads CR0.PE/MP/EM/TS; it can set PE but never clear it. */
static void op_lmsw(struct cpu *c, const struct insn *i)
{
    need_cpl0(c);
    uint64_t v = rm_read(c, i, 2);
    uint64_t cr0 = (c->cr0 & ~0xfull) | (v & 0xf) | (c->cr0 & CR0_PE);
    if (!write_cr0(c, cr0))
        raise_gp(c, 0);
    c->priv->stop_block = true;
}

static void op_smsw(struct cpu *c, const struct insn *i)
{
    if (i->mod == 3)
        reg_write(c, i->rm, i->opsz, c->cr0);
    else
        rm_write(c, i, 2, c->cr0 & 0xffff);
}

/* ---- debug registers -------------------------------------------------------- */

/* DR4/DR5 alias DR6/DR7 unless CR4.DE; DR8-15 do not exist. */
static unsigned check_dr(struct cpu *c, unsigned n)
{
    if (n > 7 || ((n == 4 || n == 5) && (c->cr4 & CR4_DE)))
        raise_ud(c);
    need_cpl0(c);
    if (c->dr[7] & DR7_GD) {             /* general detect: #DB fault */
        c->dr[6] |= DR6_BD;
        c->dr[7] &= ~DR7_GD;
        cpu_raise(c, EXC_DB, false, 0);
    }
    return n == 4 || n == 5 ? n + 2 : n;
}

static void op_mov_from_dr(struct cpu *c, const struct insn *i)
{
    unsigned n = check_dr(c, i->reg);
    reg_write(c, i->rm, cr_size(c), c->dr[n]);
}

static void op_mov_to_dr(struct cpu *c, const struct insn *i)
{
    unsigned n = check_dr(c, i->reg);
    uint64_t v = reg_read(c, i->rm, cr_size(c));

    if (n >= 6 && (v >> 32))
        raise_gp(c, 0);
    debug_reg_store(c, n, v);
    c->priv->stop_block = true;
}

/* ---- TLB and caches ---------------------------------------------------------- */

static void op_invlpg(struct cpu *c, const struct insn *i)
{
    need_cpl0(c);
    uint64_t la = insn_ea(c, i) + c->seg[i->seg].base;
    if (c->mode == MODE_LONG64 && i->seg < SEG_FS)
        la = insn_ea(c, i);
    if (!(c->efer & EFER_LMA))
        la &= 0xffffffffull;
    tlb_flush_page(&c->tlb, la);
    c->priv->stop_block = true;
}

static void op_cache(struct cpu *c, const struct insn *i)
{
    (void)i;
    need_cpl0(c);
}

/* ---- identification and time --------------------------------------------------- */

static void op_cpuid(struct cpu *c, const struct insn *i)
{
    uint32_t out[4];

    (void)i;
    cpuid_query(c, (uint32_t)c->r[R_AX], (uint32_t)c->r[R_CX], out);
    c->r[R_AX] = out[0];
    c->r[R_BX] = out[1];
    c->r[R_CX] = out[2];
    c->r[R_DX] = out[3];
}

static void op_rdtsc(struct cpu *c, const struct insn *i)
{
    if ((c->cr4 & CR4_TSD) && c->cpl != 0)
        raise_gp(c, 0);
    cpu_icount_sync(c);
    uint64_t tsc = c->icount + c->tsc_offset;
    c->r[R_AX] = (uint32_t)tsc;
    c->r[R_DX] = (uint32_t)(tsc >> 32);
    if (i->arg)                                   /* RDTSCP */
        c->r[R_CX] = (uint32_t)c->tsc_aux;
}

/* Performance counters are not modelled: the four counters read 0. */
static void op_rdpmc(struct cpu *c, const struct insn *i)
{
    (void)i;
    if ((!(c->cr4 & CR4_PCE) && c->cpl != 0) || (uint32_t)c->r[R_CX] > 3)
        raise_gp(c, 0);
    c->r[R_AX] = 0;
    c->r[R_DX] = 0;
}

static void op_rdmsr(struct cpu *c, const struct insn *i)
{
    uint64_t v;

    (void)i;
    need_cpl0(c);
    if (!msr_read(c, (uint32_t)c->r[R_CX], &v))
        raise_gp(c, 0);
    c->r[R_AX] = (uint32_t)v;
    c->r[R_DX] = (uint32_t)(v >> 32);
}

static void op_wrmsr(struct cpu *c, const struct insn *i)
{
    uint64_t v = (uint32_t)c->r[R_AX] | (uint64_t)(uint32_t)c->r[R_DX] << 32;

    (void)i;
    need_cpl0(c);
    if (!msr_write(c, (uint32_t)c->r[R_CX], v))
        raise_gp(c, 0);
    c->priv->stop_block = true;
}

#define R(map, op, pfx, ext, mod, modrm, flags, arg, feat, fn, name) \
    { map, op, 1, pfx, ext, mod, modrm, flags, arg, feat, fn, name }

static const struct opdef defs[] = {
    R(MAP_1B, 0xcd, P_ANY, -1, M_ANY, -1, F_IMM8 | F_END, 0, 0, op_int, "int"),
    R(MAP_1B, 0xcc, P_ANY, -1, M_ANY, -1, F_END, 0, 0, op_int3, "int3"),
    R(MAP_1B, 0xce, P_ANY, -1, M_ANY, -1, F_I64 | F_END, 0, 0, op_into, "into"),
    R(MAP_1B, 0xf1, P_ANY, -1, M_ANY, -1, F_END, 0, 0, op_int1, "int1"),
    R(MAP_1B, 0xcf, P_ANY, -1, M_ANY, -1, F_END, 0, 0, op_iret, "iret"),
    R(MAP_1B, 0xf4, P_ANY, -1, M_ANY, -1, F_END | F_PRIV, 0, 0, op_hlt, "hlt"),
    R(MAP_1B, 0xfa, P_ANY, -1, M_ANY, -1, 0, 0, 0, op_cli, "cli"),
    R(MAP_1B, 0xfb, P_ANY, -1, M_ANY, -1, F_END, 0, 0, op_sti, "sti"),
    R(MAP_1B, 0x9c, P_ANY, -1, M_ANY, -1, F_D64, 0, 0, op_pushf, "pushf"),
    R(MAP_1B, 0x9d, P_ANY, -1, M_ANY, -1, F_D64 | F_END, 0, 0, op_popf, "popf"),
    R(MAP_0F, 0x01, P_ANY, -1, M_REG, 0xca, F_MODRM, 0, 0, op_clac_stac, "clac"),
    R(MAP_0F, 0x01, P_ANY, -1, M_REG, 0xcb, F_MODRM, 1, 0, op_clac_stac, "stac"),
    R(MAP_0F, 0x20, P_ANY, -1, M_REG, -1, F_MODRM | F_F64 | F_PRIV, 0, 0, op_mov_from_cr, "mov"),
    R(MAP_0F, 0x22, P_ANY, -1, M_REG, -1, F_MODRM | F_F64 | F_PRIV | F_END, 0, 0, op_mov_to_cr, "mov"),
    R(MAP_0F, 0x21, P_ANY, -1, M_REG, -1, F_MODRM | F_F64 | F_PRIV, 0, 0, op_mov_from_dr, "mov"),
    R(MAP_0F, 0x23, P_ANY, -1, M_REG, -1, F_MODRM | F_F64 | F_PRIV | F_END, 0, 0, op_mov_to_dr, "mov"),
    R(MAP_0F, 0x06, P_ANY, -1, M_ANY, -1, F_PRIV, 0, 0, op_clts, "clts"),
    R(MAP_0F, 0x01, P_ANY, 6, M_ANY, -1, F_MODRM | F_PRIV | F_END, 0, 0, op_lmsw, "lmsw"),
    R(MAP_0F, 0x01, P_ANY, 4, M_ANY, -1, F_MODRM, 0, 0, op_smsw, "smsw"),
    R(MAP_0F, 0x01, P_ANY, 7, M_MEM, -1, F_MODRM | F_PRIV | F_END, 0, 0, op_invlpg, "invlpg"),
    R(MAP_0F, 0x08, P_ANY, -1, M_ANY, -1, F_PRIV, 0, 0, op_cache, "invd"),
    R(MAP_0F, 0x09, P_ANY, -1, M_ANY, -1, F_PRIV, 0, 0, op_cache, "wbinvd"),
    R(MAP_0F, 0xa2, P_ANY, -1, M_ANY, -1, 0, 0, 0, op_cpuid, "cpuid"),
    R(MAP_0F, 0x31, P_ANY, -1, M_ANY, -1, 0, 0, 0, op_rdtsc, "rdtsc"),
    R(MAP_0F, 0x01, P_ANY, -1, M_REG, 0xf9, F_MODRM, 1, FEAT_RDTSCP, op_rdtsc, "rdtscp"),
    R(MAP_0F, 0x33, P_ANY, -1, M_ANY, -1, 0, 0, 0, op_rdpmc, "rdpmc"),
    R(MAP_0F, 0x32, P_ANY, -1, M_ANY, -1, F_PRIV, 0, 0, op_rdmsr, "rdmsr"),
    R(MAP_0F, 0x30, P_ANY, -1, M_ANY, -1, F_PRIV | F_END, 0, 0, op_wrmsr, "wrmsr"),
    R(MAP_0F, 0x05, P_ANY, -1, M_ANY, -1, F_END, 0, FEAT_SYSCALL, op_syscall, "syscall"),
    R(MAP_0F, 0x07, P_ANY, -1, M_ANY, -1, F_END | F_PRIV, 0, FEAT_SYSCALL, op_sysret, "sysret"),
    R(MAP_0F, 0x34, P_ANY, -1, M_ANY, -1, F_END, 0, FEAT_SEP, op_sysenter, "sysenter"),
    R(MAP_0F, 0x35, P_ANY, -1, M_ANY, -1, F_END | F_PRIV, 0, FEAT_SEP, op_sysexit, "sysexit"),
    R(MAP_1B, 0xe4, P_ANY, -1, M_ANY, -1, F_BYTE | F_IMM8 | F_END, 0, 0, op_in, "in"),
    R(MAP_1B, 0xe5, P_ANY, -1, M_ANY, -1, F_IMM8 | F_END, 0, 0, op_in, "in"),
    R(MAP_1B, 0xec, P_ANY, -1, M_ANY, -1, F_BYTE | F_END, 0, 0, op_in, "in"),
    R(MAP_1B, 0xed, P_ANY, -1, M_ANY, -1, F_END, 0, 0, op_in, "in"),
    R(MAP_1B, 0xe6, P_ANY, -1, M_ANY, -1, F_BYTE | F_IMM8 | F_END, 0, 0, op_out, "out"),
    R(MAP_1B, 0xe7, P_ANY, -1, M_ANY, -1, F_IMM8 | F_END, 0, 0, op_out, "out"),
    R(MAP_1B, 0xee, P_ANY, -1, M_ANY, -1, F_BYTE | F_END, 0, 0, op_out, "out"),
    R(MAP_1B, 0xef, P_ANY, -1, M_ANY, -1, F_END, 0, 0, op_out, "out"),
    R(MAP_1B, 0x6c, P_ANY, -1, M_ANY, -1, F_BYTE | F_END, 0, 0, op_ins, "ins"),
    R(MAP_1B, 0x6d, P_ANY, -1, M_ANY, -1, F_END, 0, 0, op_ins, "ins"),
    R(MAP_1B, 0x6e, P_ANY, -1, M_ANY, -1, F_BYTE | F_END, 0, 0, op_outs, "outs"),
    R(MAP_1B, 0x6f, P_ANY, -1, M_ANY, -1, F_END, 0, 0, op_outs, "outs"),
};
OPTABLE(optable_system, defs);
