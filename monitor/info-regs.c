/* info registers: general, segments (with hidden parts), control and
 * debug registers with EFER, MSRs, x87/MMX and SSE. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "monitor/mon.h"
#include "xenplat/domain.h"

typedef unsigned long long ull;

/* Names of set bits, from a table of (bit, name). */
struct bitname {
    unsigned bit;
    const char *name;
};

static void print_bits(struct monitor *m, uint64_t v, const struct bitname *t,
                       size_t n)
{
    bool any = false;

    fputs(" [", m->out);
    for (size_t i = 0; i < n; i++)
        if ((v >> t[i].bit) & 1) {
            fprintf(m->out, "%s%s", any ? " " : "", t[i].name);
            any = true;
        }
    fputs("]", m->out);
}

static const struct bitname rflags_bits[] = {
    { 0, "CF" }, { 2, "PF" }, { 4, "AF" }, { 6, "ZF" }, { 7, "SF" },
    { 8, "TF" }, { 9, "IF" }, { 10, "DF" }, { 11, "OF" }, { 14, "NT" },
    { 16, "RF" }, { 17, "VM" }, { 18, "AC" }, { 19, "VIF" }, { 20, "VIP" },
    { 21, "ID" },
};
static const struct bitname cr0_bits[] = {
    { 0, "PE" }, { 1, "MP" }, { 2, "EM" }, { 3, "TS" }, { 4, "ET" },
    { 5, "NE" }, { 16, "WP" }, { 18, "AM" }, { 29, "NW" }, { 30, "CD" },
    { 31, "PG" },
};
static const struct bitname cr4_bits[] = {
    { 0, "VME" }, { 1, "PVI" }, { 2, "TSD" }, { 3, "DE" }, { 4, "PSE" },
    { 5, "PAE" }, { 6, "MCE" }, { 7, "PGE" }, { 8, "PCE" }, { 9, "OSFXSR" },
    { 10, "OSXMMEXCPT" }, { 11, "UMIP" }, { 16, "FSGSBASE" },
    { 17, "PCIDE" }, { 18, "OSXSAVE" }, { 20, "SMEP" }, { 21, "SMAP" },
};
static const struct bitname efer_bits[] = {
    { 0, "SCE" }, { 8, "LME" }, { 10, "LMA" }, { 11, "NXE" }, { 12, "SVME" },
    { 14, "FFXSR" },
};

static const char *const mode_names[] = {
    "real", "protected 16-bit", "protected 32-bit", "compatibility 16-bit",
    "compatibility 32-bit", "64-bit",
};

static void general(struct monitor *m, struct dbg_vcpu *dv)
{
    static const char *const names[16] = {
        "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp",
        "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
    };
    static const int order[16] = {
        R_AX, R_BX, R_CX, R_DX, R_SI, R_DI, R_BP, R_SP,
        R_R8, R_R9, R_R10, R_R11, R_R12, R_R13, R_R14, R_R15,
    };
    struct cpu *c = dv->cpu;
    uint64_t fl = cpu_get_rflags(c);
    char where[160], place[24];

    for (int i = 0; i < 16; i++)
        fprintf(m->out, "%-3s 0x%016llx%s", names[i], (ull)c->r[order[i]],
                i % 2 ? "\n" : "    ");
    symtab_describe(&m->d->syms, dbg_pc(dv), where, sizeof(where));
    fprintf(m->out, "rip 0x%016llx%s%s%s\n", (ull)c->rip, where[0] ? " <" : "",
            where, where[0] ? ">" : "");
    fprintf(m->out, "rflags 0x%08llx", (ull)fl);
    print_bits(m, fl, rflags_bits, ARRAY_SIZE(rflags_bits));
    fprintf(m->out, " IOPL %u\n", (unsigned)(fl >> 12) & 3);
    fprintf(m->out, "%s: %s mode, CPL %u, %s\n", dv->name,
            c->mode < ARRAY_SIZE(mode_names) ? mode_names[c->mode] : "?",
            c->cpl, place_name(dbg_place(dv), place, sizeof(place)));
}

static void seg_line(struct monitor *m, const char *name, const struct seg *s)
{
    unsigned a = s->attr, type = SEGA_TYPE(a);
    const char *kind;

    if (!(s->sel & ~3u) && !(a & SEGA_P)) {
        fprintf(m->out, "%-4s 0x%04x null (unusable)\n", name, s->sel);
        return;
    }
    if (!(a & SEGA_S))
        kind = type == 2 ? "LDT" : (type == 9 || type == 0xb) ? "TSS"
                                                              : "system";
    else if (type & 8)
        kind = (a & SEGA_L) ? "code 64-bit" : (a & SEGA_DB) ? "code 32-bit"
                                                            : "code 16-bit";
    else
        kind = "data";
    fprintf(m->out, "%-4s 0x%04x base 0x%016llx limit 0x%08x attr 0x%04x "
            "%s type %x%s DPL%u%s%s%s\n", name, s->sel, (ull)s->base,
            s->limit, a, kind, type,
            (a & SEGA_S) ? ((type & 8) ? ((type & 2) ? " R" : " X-only")
                                       : ((type & 2) ? " RW" : " RO"))
                         : "",
            SEGA_DPL(a), (a & SEGA_P) ? " P" : " not-present",
            (a & SEGA_G) ? " G" : "", (a & SEGA_AVL) ? " AVL" : "");
}

static void segments(struct monitor *m, struct dbg_vcpu *dv)
{
    static const char *const names[6] = { "es", "cs", "ss", "ds", "fs", "gs" };
    static const int order[6] = { SEG_CS, SEG_SS, SEG_DS, SEG_ES, SEG_FS,
                                  SEG_GS };
    struct cpu *c = dv->cpu;

    for (int i = 0; i < 6; i++)
        seg_line(m, names[order[i]], &c->seg[order[i]]);
    seg_line(m, "ldtr", &c->ldtr);
    seg_line(m, "tr", &c->tr);
    fprintf(m->out, "gdtr base 0x%016llx limit 0x%04x\n", (ull)c->gdtr.base,
            c->gdtr.limit);
    fprintf(m->out, "idtr base 0x%016llx limit 0x%04x\n", (ull)c->idtr.base,
            c->idtr.limit);
    fprintf(m->out, "kernel_gs_base 0x%016llx\n", (ull)c->kernel_gs_base);
}

static void control(struct monitor *m, struct dbg_vcpu *dv)
{
    struct cpu *c = dv->cpu;

    fprintf(m->out, "cr0  0x%016llx", (ull)c->cr0);
    print_bits(m, c->cr0, cr0_bits, ARRAY_SIZE(cr0_bits));
    fprintf(m->out, "\ncr2  0x%016llx\ncr3  0x%016llx\ncr4  0x%016llx",
            (ull)c->cr2, (ull)c->cr3, (ull)c->cr4);
    print_bits(m, c->cr4, cr4_bits, ARRAY_SIZE(cr4_bits));
    fprintf(m->out, "\ncr8  0x%016llx\nefer 0x%016llx", (ull)c->cr8,
            (ull)c->efer);
    print_bits(m, c->efer, efer_bits, ARRAY_SIZE(efer_bits));
    fprintf(m->out, "\nxcr0 0x%016llx\n", (ull)c->xcr0);
    for (int i = 0; i < 8; i++)
        if (i != 4 && i != 5)
            fprintf(m->out, "dr%d  0x%016llx%s", i, (ull)c->dr[i],
                    i == 3 || i == 7 ? "\n" : "  ");
    if (dv->v) {
        struct vcpu *v = dv->v;
        char place[24];
        fprintf(m->out, "PV: %s; virtual cr2 0x%llx, cr4 0x%llx, CR0.TS %u, "
                "IOPL %u\n", place_name(dbg_place(dv), place, sizeof(place)),
                (ull)v->cr2, (ull)v->cr4_guest, v->fpu_ts, v->iopl);
        if (!is_pv32(v->d))
            fprintf(m->out, "PV: kernel L4 mfn 0x%llx, user L4 mfn 0x%llx\n",
                    (ull)v->kernel_l4, (ull)v->user_l4);
        else
            fprintf(m->out, "PV: guest L3 mfn 0x%llx under Xen's L4 mfn "
                    "0x%llx\n", (ull)v->guest_l3, (ull)v->monitor_l4);
    }
}

static void msrs(struct monitor *m, struct dbg_vcpu *dv)
{
    struct cpu *c = dv->cpu;
    const struct { const char *name; uint32_t nr; uint64_t v; } t[] = {
        { "EFER", 0xc0000080, c->efer },
        { "STAR", 0xc0000081, c->star },
        { "LSTAR", 0xc0000082, c->lstar },
        { "CSTAR", 0xc0000083, c->cstar },
        { "SFMASK", 0xc0000084, c->sfmask },
        { "FS_BASE", 0xc0000100, c->seg[SEG_FS].base },
        { "GS_BASE", 0xc0000101, c->seg[SEG_GS].base },
        { "KERNEL_GS_BASE", 0xc0000102, c->kernel_gs_base },
        { "TSC_AUX", 0xc0000103, c->tsc_aux },
        { "SYSENTER_CS", 0x174, c->sysenter_cs },
        { "SYSENTER_ESP", 0x175, c->sysenter_esp },
        { "SYSENTER_EIP", 0x176, c->sysenter_eip },
        { "PAT", 0x277, c->pat },
        { "APIC_BASE", 0x1b, c->apic_base },
        { "MISC_ENABLE", 0x1a0, c->misc_enable },
        { "TSC", 0x10, c->icount + c->tsc_offset },
    };

    for (size_t i = 0; i < ARRAY_SIZE(t); i++)
        fprintf(m->out, "%-15s 0x%08x 0x%016llx\n", t[i].name, t[i].nr,
                (ull)t[i].v);
}

/* An x87 register's value, for reading (the bits are printed too). */
static double x87_value(const struct x87reg *r)
{
    int exp = r->se & 0x7fff;
    double v;

    if (exp == 0 && r->mant == 0)
        v = 0;
    else if (exp == 0x7fff)
        v = (r->mant << 1) ? NAN : INFINITY;
    else
        v = ldexp((double)r->mant, exp - 16383 - 63);
    return (r->se & 0x8000) ? -v : v;
}

static void fpu(struct monitor *m, struct dbg_vcpu *dv)
{
    static const char *const tags[4] = { "valid", "zero", "special", "empty" };
    const struct fpu *f = &dv->cpu->fpu;
    unsigned top = (f->fsw >> 11) & 7;

    fprintf(m->out, "fcw 0x%04x fsw 0x%04x (top %u) ftw 0x%04x fop 0x%03x\n",
            f->fcw, f->fsw, top, f->ftw, f->fop);
    fprintf(m->out, "fip 0x%04x:0x%016llx fdp 0x%04x:0x%016llx\n", f->fcs,
            (ull)f->fip, f->fds, (ull)f->fdp);
    for (unsigned i = 0; i < 8; i++) {
        unsigned phys = (top + i) & 7;
        const struct x87reg *r = &f->st[phys];
        fprintf(m->out, "st%u (R%u) 0x%04x%016llx %-7s %.17g\n", i, phys,
                r->se, (ull)r->mant, tags[(f->ftw >> (2 * phys)) & 3],
                x87_value(r));
    }
    for (unsigned i = 0; i < 8; i++)
        fprintf(m->out, "mm%u 0x%016llx%s", i, (ull)f->st[i].mant,
                i % 2 ? "\n" : "  ");
}

static void sse(struct monitor *m, struct dbg_vcpu *dv)
{
    const struct fpu *f = &dv->cpu->fpu;

    fprintf(m->out, "mxcsr 0x%08x\n", f->mxcsr);
    for (unsigned i = 0; i < 16; i++)
        fprintf(m->out, "xmm%-2u 0x%016llx%016llx\n", i, (ull)f->xmm[i].q[1],
                (ull)f->xmm[i].q[0]);
}

static const struct {
    struct cmd_name n;
    void (*fn)(struct monitor *m, struct dbg_vcpu *dv);
} groups[] = {
    { { "general", "g gp" }, general },
    { { "segments", "s seg sreg" }, segments },
    { { "control", "c cr creg dreg" }, control },
    { { "msr", "msrs" }, msrs },
    { { "fpu", "x87 mmx" }, fpu },
    { { "sse", "xmm" }, sse },
};

int info_registers(struct monitor *m, const char *args)
{
    struct dbg_vcpu *dv = mon_vcpu(m, "info registers");
    char err[256];
    int i;

    if (!dv)
        return MON_ERROR;
    if (!*args) {
        general(m, dv);
        return MON_OK;
    }
    if (strcmp(args, "all") == 0) {
        for (size_t k = 0; k < ARRAY_SIZE(groups); k++)
            groups[k].fn(m, dv);
        return MON_OK;
    }
    i = cmd_lookup(groups, ARRAY_SIZE(groups), sizeof(groups[0]), args,
                   "register group", err, sizeof(err));
    if (i < 0) {
        mon_error(m, "info registers", "%s", err);
        return MON_ERROR;
    }
    groups[i].fn(m, dv);
    return MON_OK;
}
