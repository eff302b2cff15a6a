/* Descriptor tables: info gdt, idt, ldt, tss; for a PV guest its virtual
 * IDT (the trap table), its callbacks and the kernel stack Xen uses. */
#include <stdio.h>
#include <string.h>
#include "xenemu/le.h"
#include "monitor/describe.h"
#include "monitor/mon.h"
#include "xenplat/domain.h"

typedef unsigned long long ull;

static const char *const system_types[16] = {
    "reserved", "TSS16 available", "LDT", "TSS16 busy", "call gate 16",
    "task gate", "interrupt gate 16", "trap gate 16", "reserved",
    "TSS available", "reserved", "TSS busy", "call gate", "reserved",
    "interrupt gate", "trap gate",
};

/* One 8-byte descriptor (16 in long mode for system ones: hi2 is the
 * upper half).  Prints "SEL: what". */
static void print_descriptor(struct monitor *m, unsigned sel, uint64_t d,
                             uint64_t hi2, bool long_mode)
{
    unsigned type = (unsigned)(d >> 40) & 0xf, dpl = (unsigned)(d >> 45) & 3;
    bool s = (d >> 44) & 1, p = (d >> 47) & 1, g = (d >> 55) & 1;
    uint64_t base = ((d >> 16) & 0xffffff) | ((d >> 56) << 24);
    uint64_t limit = (d & 0xffff) | (((d >> 48) & 0xf) << 16);

    if (g)
        limit = limit << 12 | 0xfff;
    fprintf(m->out, "0x%04x: ", sel);
    if (s) {
        bool code = type & 8;
        fprintf(m->out, "%s %s base 0x%llx limit 0x%llx DPL%u%s%s%s%s%s\n",
                code ? ((d >> 53) & 1 ? "code 64-bit"
                        : (d >> 54) & 1 ? "code 32-bit" : "code 16-bit")
                     : ((d >> 54) & 1 ? "data 32-bit" : "data 16-bit"),
                code ? ((type & 2) ? "execute/read" : "execute-only")
                     : ((type & 2) ? "read/write" : "read-only"),
                (ull)base, (ull)limit, dpl,
                code && (type & 4) ? " conforming" : "",
                !code && (type & 4) ? " expand-down" : "",
                (type & 1) ? " accessed" : "", p ? " P" : " not-present",
                g ? " G" : "");
        return;
    }
    if (type == 4 || type == 0xc || type == 5) {     /* call / task gates */
        uint64_t off = (d & 0xffff) | ((d >> 32) & 0xffff0000ull);
        if (long_mode)
            off |= hi2 << 32;
        fprintf(m->out, "%s to 0x%04x:0x%llx DPL%u%s\n", system_types[type],
                (unsigned)(d >> 16) & 0xffff, (ull)off, dpl,
                p ? " P" : " not-present");
        return;
    }
    if (long_mode)
        base |= hi2 << 32;
    fprintf(m->out, "%s base 0x%llx limit 0x%llx DPL%u%s\n",
            system_types[type], (ull)base, (ull)limit, dpl,
            p ? " P" : " not-present");
}

static int dump_table(struct monitor *m, struct dbg_vcpu *dv, const char *cmd,
                      uint64_t base, uint32_t limit, bool all)
{
    bool lm = (dv->cpu->efer & EFER_LMA) != 0;
    unsigned shown = 0, absent = 0;
    uint8_t b[16];

    for (uint64_t off = 0; off + 7 <= limit; off += 8) {
        uint64_t d, hi2 = 0;
        if (dbg_read_virt(dv, base + off, b, 8)) {
            if (!all) {
                /* Skip the unmapped page (a PV GDT is sparse). */
                off = ((base + off) | 0xfff) - base - 7;
                continue;
            }
            mon_error(m, cmd, "0x%llx: not mapped", (ull)(base + off));
            return MON_ERROR;
        }
        d = le64_load(b);
        if (!all && !((d >> 47) & 1)) {
            absent++;
            continue;
        }
        /* In long mode a present system descriptor takes 16 bytes. */
        bool sys16 = lm && !((d >> 44) & 1) && ((d >> 47) & 1);
        if (sys16 && off + 15 <= limit &&
            dbg_read_virt(dv, base + off + 8, b + 8, 8) == 0)
            hi2 = le32_load(b + 8);
        print_descriptor(m, (unsigned)off, d, hi2, lm);
        shown++;
        if (sys16)
            off += 8;
    }
    if (!all)
        fprintf(m->out, "(%u present descriptor%s shown; %u entries not "
                "present)\n", shown, shown == 1 ? "" : "s", absent);
    return MON_OK;
}

int info_gdt(struct monitor *m, const char *args)
{
    struct dbg_vcpu *dv = mon_vcpu(m, "info gdt");
    bool all = strcmp(args, "all") == 0;

    if (!dv)
        return MON_ERROR;
    if (*args && !all) {
        mon_error(m, "info gdt", "'%s': only 'all' may follow", args);
        return MON_ERROR;
    }
    fprintf(m->out, "GDT at 0x%llx, limit 0x%x\n", (ull)dv->cpu->gdtr.base,
            dv->cpu->gdtr.limit);
    if (dv->v)
        fprintf(m->out, "(the guest's %u entries from set_gdt, then Xen's "
                "from 0x%x on)\n", dv->v->gdt_ents, FIRST_RESERVED_GDT_BYTE);
    return dump_table(m, dv, "info gdt", dv->cpu->gdtr.base,
                      dv->cpu->gdtr.limit, all);
}

int info_ldt(struct monitor *m, const char *args)
{
    struct dbg_vcpu *dv = mon_vcpu(m, "info ldt");
    const struct seg *l;

    (void)args;
    if (!dv)
        return MON_ERROR;
    if (dv->v) {
        if (!dv->v->ldt_ents) {
            fprintf(m->out, "no LDT (MMUEXT_SET_LDT not used)\n");
            return MON_OK;
        }
        fprintf(m->out, "LDT at 0x%llx, %u entries (MMUEXT_SET_LDT)\n",
                (ull)dv->v->ldt_base, dv->v->ldt_ents);
        return dump_table(m, dv, "info ldt", dv->v->ldt_base,
                          dv->v->ldt_ents * 8 - 1, false);
    }
    l = &dv->cpu->ldtr;
    if (!(l->sel & ~3u)) {
        fprintf(m->out, "no LDT (LDTR is null)\n");
        return MON_OK;
    }
    fprintf(m->out, "LDT selector 0x%04x at 0x%llx, limit 0x%x\n", l->sel,
            (ull)l->base, l->limit);
    return dump_table(m, dv, "info ldt", l->base, l->limit, false);
}

/* ---- IDT -------------------------------------------------------------------------- */

static void pv_idt(struct monitor *m, struct dbg_vcpu *dv)
{
    static const char *const cb_names[NR_CALLBACKS] = {
        [CB_EVENT] = "event", [CB_FAILSAFE] = "failsafe",
        [CB_SYSCALL] = "syscall", [CB_NMI] = "nmi",
        [CB_SYSENTER] = "sysenter", [CB_SYSCALL32] = "syscall32",
    };
    struct vcpu *v = dv->v;
    char where[160];
    unsigned n = 0;

    fprintf(m->out, "virtual IDT of %s (the trap table given to "
            "set_trap_table; Xen owns the real IDT):\n", dv->name);
    for (unsigned vec = 0; vec < 256; vec++) {
        const struct trap_entry *t = &v->trap[vec];
        if (!t->address && !(t->cs & ~3u))
            continue;
        fprintf(m->out, "  %3u %-4s 0x%04x:%s DPL%u%s\n", vec,
                mon_exc_name(vec), t->cs,
                mon_addr(m, t->address, where, sizeof(where)),
                TI_DPL(t->flags),
                (t->flags & TI_MASK_EVENTS) ? " masks events" : "");
        n++;
    }
    if (!n)
        fprintf(m->out, "  (empty: set_trap_table not called yet)\n");
    fprintf(m->out, "callbacks:\n");
    for (unsigned i = 0; i < NR_CALLBACKS; i++) {
        const struct callback *cb = &v->cb[i];
        if (!cb_names[i])
            continue;
        if (!cb->ip) {
            fprintf(m->out, "  %-9s none\n", cb_names[i]);
            continue;
        }
        fprintf(m->out, "  %-9s 0x%04x:%s%s\n", cb_names[i], cb->cs,
                mon_addr(m, cb->ip, where, sizeof(where)),
                cb->mask_events ? " masks events" : "");
    }
}

int info_idt(struct monitor *m, const char *args)
{
    struct dbg_vcpu *dv = mon_vcpu(m, "info idt");
    struct cpu *c;
    bool lm;
    unsigned size;
    uint8_t b[16];
    char where[160];

    (void)args;
    if (!dv)
        return MON_ERROR;
    if (dv->v) {
        pv_idt(m, dv);
        return MON_OK;
    }
    c = dv->cpu;
    lm = (c->efer & EFER_LMA) != 0;
    size = lm ? 16 : 8;
    fprintf(m->out, "IDT at 0x%llx, limit 0x%x\n", (ull)c->idtr.base,
            c->idtr.limit);
    if (c->mode == MODE_REAL) {
        fprintf(m->out, "(real mode: the IVT, 4 bytes a vector)\n");
        return MON_OK;
    }
    for (unsigned vec = 0; vec < 256; vec++) {
        uint64_t off = (uint64_t)vec * size, d, target;
        if (off + size - 1 > c->idtr.limit)
            break;
        if (dbg_read_virt(dv, c->idtr.base + off, b, size)) {
            mon_error(m, "info idt", "0x%llx: not mapped",
                      (ull)(c->idtr.base + off));
            return MON_ERROR;
        }
        d = le64_load(b);
        if (!((d >> 47) & 1))
            continue;
        target = (d & 0xffff) | ((d >> 32) & 0xffff0000ull);
        if (lm)
            target |= (uint64_t)le32_load(b + 8) << 32;
        fprintf(m->out, "  %3u %-4s %s 0x%04x:%s DPL%u", vec,
                mon_exc_name(vec), system_types[(d >> 40) & 0xf],
                (unsigned)(d >> 16) & 0xffff,
                mon_addr(m, target, where, sizeof(where)),
                (unsigned)(d >> 45) & 3);
        if (lm && (d >> 32) & 7)
            fprintf(m->out, " IST%u", (unsigned)(d >> 32) & 7);
        fputc('\n', m->out);
    }
    return MON_OK;
}

/* ---- TSS ------------------------------------------------------------------------------ */

int info_tss(struct monitor *m, const char *args)
{
    struct dbg_vcpu *dv = mon_vcpu(m, "info tss");
    const struct seg *tr;
    uint8_t b[104];

    (void)args;
    if (!dv)
        return MON_ERROR;
    if (dv->v) {
        struct vcpu *v = dv->v;
        fprintf(m->out, "a PV guest has no TSS of its own: on an event from "
                "user mode Xen switches to\nthe kernel stack given with "
                "stack_switch: 0x%04x:0x%llx\n", v->kernel_ss,
                (ull)v->kernel_sp);
        fprintf(m->out, "I/O: IOPL %u (set_iopl), bitmap %s0x%llx for %u "
                "ports (set_iobitmap)\n", v->iopl, v->iobmp ? "at " : "",
                (ull)v->iobmp, v->iobmp_limit);
        return MON_OK;
    }
    tr = &dv->cpu->tr;
    if (!(tr->sel & ~3u)) {
        fprintf(m->out, "no TSS (TR is null)\n");
        return MON_OK;
    }
    fprintf(m->out, "TSS selector 0x%04x at 0x%llx, limit 0x%x\n", tr->sel,
            (ull)tr->base, tr->limit);
    if (dbg_read_virt(dv, tr->base, b, sizeof(b))) {
        mon_error(m, "info tss", "0x%llx: not mapped", (ull)tr->base);
        return MON_ERROR;
    }
    if (dv->cpu->efer & EFER_LMA) {
        for (int i = 0; i < 3; i++)
            fprintf(m->out, "rsp%d 0x%016llx\n", i,
                    (ull)le64_load(b + 4 + 8 * i));
        for (int i = 1; i <= 7; i++)
            fprintf(m->out, "ist%d 0x%016llx\n", i,
                    (ull)le64_load(b + 36 + 8 * (i - 1)));
        fprintf(m->out, "iomap base 0x%04x\n", le16_load(b + 102));
        return MON_OK;
    }
    for (int i = 0; i < 3; i++)
        fprintf(m->out, "ss%d:esp%d 0x%04x:0x%08x\n", i, i,
                le16_load(b + 8 + 8 * i), le32_load(b + 4 + 8 * i));
    fprintf(m->out, "cr3 0x%08x eip 0x%08x eflags 0x%08x\n", le32_load(b + 28),
            le32_load(b + 32), le32_load(b + 36));
    fprintf(m->out, "ldt 0x%04x iomap base 0x%04x\n", le16_load(b + 96),
            le16_load(b + 102));
    return MON_OK;
}
