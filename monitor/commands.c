/* The monitor's command table, help, info dispatch, and the run-control
 * and small commands. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "monitor/mon.h"

typedef unsigned long long ull;

const struct mon_cmd mon_commands[] = {
    { { "help", "h ?" }, cmd_help, "help [COMMAND | info TOPIC]",
      "List the commands, or explain one." },
    { { "continue", "c cont" }, cmd_continue, "continue",
      "Let the guest run.\n"
      "Until something stops it (a breakpoint, a watchpoint, a catchpoint,\n"
      "Ctrl-A c on the console) or its run ends." },
    { { "stepi", "si s step" }, cmd_stepi, "stepi [N]",
      "Execute N instructions (default 1).\n"
      "Xen's work in between (a hypercall, a bounce to a handler) happens\n"
      "within the step." },
    { { "next", "n" }, cmd_next, "next [N]",
      "Step over calls, N times.\n"
      "Like stepi, but a CALL runs until it returns (the instruction after\n"
      "it, with the stack pointer back where it was)." },
    { { "until", NULL }, cmd_until, "until [ADDRESS]",
      "Run out of a loop, or to an address.\n"
      "Without ADDRESS: until an instruction after the current one is\n"
      "reached; with it: until ADDRESS; both in this frame (the stack\n"
      "pointer not below the current one)." },
    { { "break", "b vb lb" }, cmd_break, "break [-p] WHERE",
      "Set a breakpoint or a catchpoint.\n"
      "A breakpoint stops before the instruction at an address or symbol\n"
      "(an expression; -p: a physical address, a machine address on the PV\n"
      "machine).  A catchpoint stops after an event:\n"
      "  break hypercall NUMBER|NAME   a hypercall (after it returns)\n"
      "  break exception VECTOR|#NAME  an exception (at the handler)\n"
      "  break evtchn PORT             an event channel becoming pending\n"
      "  break ring [N|user|kernel]    the guest going on in another ring\n"
      "  break cr3                     a CR3 load\n"
      "Without the argument the last four catch any." },
    { { "tbreak", "tb" }, cmd_tbreak, "tbreak [-p] WHERE",
      "Set a temporary breakpoint or catchpoint.\n"
      "The same forms as break; it is deleted when first hit." },
    { { "delete", "d del" }, cmd_delete, "delete [N...]",
      "Delete breakpoints (all without numbers)." },
    { { "disable", NULL }, cmd_disable, "disable [N...]",
      "Disable breakpoints (all without numbers)." },
    { { "enable", NULL }, cmd_enable, "enable [N...]",
      "Enable breakpoints (all without numbers)." },
    { { "watch", NULL }, cmd_watch, "watch[/LEN] [-p] ADDRESS",
      "Stop after a write to memory.\n"
      "Any of LEN bytes (default: the guest's word) at a virtual (-p:\n"
      "physical) address.  Only the guest's own accesses count, not Xen's\n"
      "copies to and from guest memory." },
    { { "rwatch", NULL }, cmd_rwatch, "rwatch[/LEN] [-p] ADDRESS",
      "Stop after a read of memory (as watch)." },
    { { "awatch", NULL }, cmd_awatch, "awatch[/LEN] [-p] ADDRESS",
      "Stop after a read or write of memory (as watch)." },
    { { "x", NULL }, cmd_x, "x[/NFU] ADDRESS",
      "Examine virtual memory.\n"
      "N units (default 1) of U bytes (b 1, h 2, w 4, g 8) in format F:\n"
      "x hex, d signed, u unsigned, o octal, t binary, c characters,\n"
      "a addresses with symbols, s strings, i instructions.  The format\n"
      "and unit are kept for the next x." },
    { { "xp", NULL }, cmd_xp, "xp[/NFU] ADDRESS",
      "Examine physical memory (as x).\n"
      "On the PV machine physical addresses are machine addresses." },
    { { "disas", "u disasm disassemble" }, cmd_disas, "disas[/N] [ADDRESS]",
      "Disassemble instructions.\n"
      "N instructions (default 10) at ADDRESS (default: the next one to\n"
      "run), with libcapstone when xenemu was built with it." },
    { { "info", "i" }, cmd_info, "info TOPIC [ARGS]",
      "Show machine state ('help info' lists the topics)." },
    { { "bt", "backtrace where" }, cmd_bt, "bt [N]",
      "Show the call stack (N frames, default 16).\n"
      "Follows the frame pointers (rbp/ebp chains) and names each return\n"
      "address by its symbol." },
    { { "print", "p eval" }, cmd_print, "print EXPRESSION",
      "Evaluate an expression.\n"
      "Numbers (0x, 0b, 0o, decimal), $registers, symbols,\n"
      "+ - * / % << >> & | ^ ~ and parentheses." },
    { { "symbols", "sym ldsym" }, cmd_symbols, "symbols [FILE]",
      "Load the symbols of an ELF file.\n"
      "The kernel's are loaded at the start; without FILE, say how many\n"
      "there are." },
    { { "trace", NULL }, cmd_trace, "trace [KIND on|off [FILE]]",
      "Trace instructions, rings, hypercalls, events or all.\n"
      "To FILE (default: standard error), each record stamped with the\n"
      "instruction count and the vCPU.  Without arguments: what is traced." },
    { { "icount", NULL }, cmd_icount, "icount",
      "Show the instructions each vCPU retired." },
    { { "vcpu", "cpu thread" }, cmd_vcpu, "vcpu [N | NAME]",
      "List the vCPUs, or choose the one commands act on." },
    { { "pause", NULL }, cmd_pause, "pause DOMID",
      "Pause a domain, as xl pause: its vCPUs stop (running and runnable\n"
      "ones are offline, blocked ones stay blocked); its timers and the\n"
      "other domains go on.  Pauses count; logged by --record-input." },
    { { "unpause", NULL }, cmd_unpause, "unpause DOMID",
      "Undo one pause, as xl unpause: at the last one the vCPUs run\n"
      "again.  A domain that is not paused: Xen's -EINVAL." },
    { { "quit", "q exit" }, cmd_quit, "quit",
      "End the run.\n"
      "The exit status is 8, or at the end of a run the guest's." },
};
const size_t mon_ncommands = ARRAY_SIZE(mon_commands);

const struct mon_cmd mon_info_commands[] = {
    { { "registers", "r reg regs" }, info_registers,
      "info registers [GROUP]",
      "Show registers: general, segments, control, msr, fpu, sse, all.\n"
      "general is the default.\n"
      "segments: the segment registers with their hidden parts, LDTR, TR,\n"
      "GDTR, IDTR; control: CR0-CR4, CR8, EFER, XCR0, the debug registers\n"
      "(and for a PV vCPU Xen's virtual ones); msr: the MSRs the CPU\n"
      "models; fpu: x87 and MMX; sse: MXCSR and the XMM registers." },
    { { "breakpoints", "b break watchpoints" }, info_breakpoints,
      "info breakpoints",
      "List breakpoints, watchpoints and catchpoints with their hits." },
    { { "gdt", NULL }, info_gdt, "info gdt [all]",
      "Show the GDT's present descriptors (all: every entry)." },
    { { "idt", NULL }, info_idt, "info idt",
      "Show the IDT's gates.\n"
      "For a PV guest: its virtual IDT (the trap table it gave\n"
      "set_trap_table) and its callbacks." },
    { { "ldt", NULL }, info_ldt, "info ldt", "Show the LDT's descriptors." },
    { { "tss", NULL }, info_tss, "info tss",
      "Show the TSS: the stacks for privilege changes and the I/O map.\n"
      "For a PV guest: the kernel stack Xen switches to (stack_switch)." },
    { { "pagetable", "pt page" }, info_pagetable, "info pagetable ADDRESS",
      "Walk the page tables for a virtual address.\n"
      "Every level's entry with all its flags, and on the PV machine each\n"
      "frame as Xen sees it (owner, page type, pinned, references)." },
    { { "tlb", NULL }, info_tlb, "info tlb",
      "List the valid entries of the software TLB." },
    { { "rings", NULL }, info_rings, "info rings [N]",
      "Show where the vCPUs run and what each ring cost.\n"
      "Instructions and virtual time per ring, transitions of each kind,\n"
      "and the last N (default 10) with their cause." },
    { { "hypercalls", "hc" }, info_hypercalls, "info hypercalls [N]",
      "Show the hypercalls made.\n"
      "Per domain, hypercall and sub-operation, the -ENOSYS ones, and the\n"
      "last N (default 10) with their arguments and results." },
    { { "evtchn", "events" }, info_evtchn, "info evtchn",
      "Show the event channels: bindings, pending and mask bits, upcalls." },
    { { "grants", NULL }, info_grants, "info grants",
      "Show the grant tables: entries in use, pins and mappings." },
    { { "domains", NULL }, info_domains, "info domains",
      "Show the domains: ABI, state, memory, special pages and ports." },
    { { "vcpus", NULL }, info_vcpus, "info vcpus",
      "Show the vCPUs: state, ring, next instruction." },
    { { "sched", NULL }, info_sched, "info sched",
      "Show the scheduler: vCPU runstates and their times, timers." },
    { { "time", NULL }, info_time, "info time",
      "Show virtual time: instructions, TSC, system time, wall clock." },
    { { "symbols", "symbol" }, info_symbols, "info symbols [PREFIX|ADDRESS]",
      "List the symbols starting with PREFIX, or find an address's." },
    { { "trace", NULL }, info_trace, "info trace", "Show what is traced." },
};
const size_t mon_ninfo_commands = ARRAY_SIZE(mon_info_commands);

/* ---- help and info ------------------------------------------------------------------ */

static void help_one(struct monitor *m, const struct mon_cmd *c)
{
    fprintf(m->out, "%s\n", c->usage);
    if (c->n.aliases)
        fprintf(m->out, "  (also: %s)\n", c->n.aliases);
    fprintf(m->out, "%s\n", c->help);
}

static const char *first_line(const char *s, char *buf, size_t len)
{
    size_t n = strcspn(s, "\n");

    snprintf(buf, len, "%.*s", (int)n, s);
    return buf;
}

int cmd_help(struct monitor *m, const char *args)
{
    char word[64], err[256], line[128];
    const char *rest = cmd_first_word(args, word, sizeof(word));
    int i;

    if (!word[0]) {
        for (size_t k = 0; k < mon_ncommands; k++)
            fprintf(m->out, "  %-28s %s\n", mon_commands[k].usage,
                    first_line(mon_commands[k].help, line, sizeof(line)));
        fprintf(m->out, "Console keys: Ctrl-A c enters the monitor, Ctrl-A x "
                "or Ctrl-] ends the run,\nCtrl-A Ctrl-A sends Ctrl-A.\n");
        return MON_OK;
    }
    i = cmd_lookup(mon_commands, mon_ncommands, sizeof(mon_commands[0]),
                   word, "command", err, sizeof(err));
    if (i < 0) {
        mon_error(m, "help", "%s", err);
        return MON_ERROR;
    }
    if (mon_commands[i].fn == cmd_info) {
        cmd_first_word(rest, word, sizeof(word));
        if (!word[0]) {
            help_one(m, &mon_commands[i]);
            for (size_t k = 0; k < mon_ninfo_commands; k++)
                fprintf(m->out, "  %-28s %s\n", mon_info_commands[k].usage,
                        first_line(mon_info_commands[k].help, line,
                                   sizeof(line)));
            return MON_OK;
        }
        i = cmd_lookup(mon_info_commands, mon_ninfo_commands,
                       sizeof(mon_info_commands[0]), word, "info topic", err,
                       sizeof(err));
        if (i < 0) {
            mon_error(m, "help", "%s", err);
            return MON_ERROR;
        }
        help_one(m, &mon_info_commands[i]);
        return MON_OK;
    }
    help_one(m, &mon_commands[i]);
    return MON_OK;
}

int cmd_info(struct monitor *m, const char *args)
{
    char word[64], err[256];
    const char *rest = cmd_first_word(args, word, sizeof(word));
    int i = cmd_lookup(mon_info_commands, mon_ninfo_commands,
                       sizeof(mon_info_commands[0]), word, "info topic", err,
                       sizeof(err));

    if (i < 0) {
        mon_error(m, "info", "%s", err);
        return MON_ERROR;
    }
    return mon_info_commands[i].fn(m, rest);
}

/* ---- run control ------------------------------------------------------------------- */

/* Commands that run the guest make no sense once its run is over. */
static bool can_run(struct monitor *m, const char *cmd)
{
    if (m->stop && m->stop->reason == DBG_STOP_EXIT) {
        mon_error(m, cmd, "the run is over: only inspection is possible "
                  "(quit to leave)");
        return false;
    }
    return mon_vcpu(m, cmd) != NULL;
}

static int no_args(struct monitor *m, const char *cmd, const char *args)
{
    if (*args) {
        mon_error(m, cmd, "takes no arguments ('%s')", args);
        return -1;
    }
    return 0;
}

int cmd_continue(struct monitor *m, const char *args)
{
    if (no_args(m, "continue", args) || !can_run(m, "continue"))
        return MON_ERROR;
    dbg_continue(m->d);
    return MON_RESUME;
}

int cmd_stepi(struct monitor *m, const char *args)
{
    uint64_t n;

    if (mon_count(m, "stepi", args, 1, UINT64_MAX / 2, &n) ||
        !can_run(m, "stepi"))
        return MON_ERROR;
    dbg_stepi(m->d, n);
    return MON_RESUME;
}

int cmd_next(struct monitor *m, const char *args)
{
    uint64_t n;
    char why[160];

    if (mon_count(m, "next", args, 1, 1000000, &n) || !can_run(m, "next"))
        return MON_ERROR;
    if (dbg_next(m->d, why, sizeof(why))) {
        mon_error(m, "next", "%s", why);
        return MON_ERROR;
    }
    m->next_left = (unsigned)(n - 1);
    return MON_RESUME;
}

int cmd_until(struct monitor *m, const char *args)
{
    uint64_t addr = 0;

    if (!can_run(m, "until"))
        return MON_ERROR;
    if (*args && mon_eval(m, "until", args, &addr))
        return MON_ERROR;
    dbg_until(m->d, *args != '\0', addr);
    return MON_RESUME;
}

int cmd_quit(struct monitor *m, const char *args)
{
    if (no_args(m, "quit", args))
        return MON_ERROR;
    return MON_QUIT;
}

/* ---- small commands ---------------------------------------------------------------- */

int cmd_icount(struct monitor *m, const char *args)
{
    if (no_args(m, "icount", args))
        return MON_ERROR;
    for (unsigned i = 0; i < m->d->nvcpus; i++)
        fprintf(m->out, "%s: %llu instructions\n", m->d->vcpu[i]->name,
                (ull)m->d->vcpu[i]->cpu->icount);
    return MON_OK;
}

int cmd_vcpu(struct monitor *m, const char *args)
{
    struct dbg *d = m->d;
    unsigned long long n;
    char where[160], *end;

    if (!*args) {
        for (unsigned i = 0; i < d->nvcpus; i++) {
            struct dbg_vcpu *dv = d->vcpu[i];
            fprintf(m->out, "%c %u %s at %s\n", i == d->cur ? '*' : ' ', i,
                    dv->name, mon_addr(m, dbg_pc(dv), where, sizeof(where)));
        }
        return MON_OK;
    }
    for (unsigned i = 0; i < d->nvcpus; i++)
        if (strcmp(args, d->vcpu[i]->name) == 0) {
            d->cur = i;
            return MON_OK;
        }
    n = strtoull(args, &end, 10);
    if (args[0] < '0' || args[0] > '9' || *end) {
        mon_error(m, "vcpu", "'%s' is neither a vCPU number nor a name",
                  args);
        return MON_ERROR;
    }
    if (n >= d->nvcpus) {
        mon_error(m, "vcpu", "no vCPU %llu (there %s %u)", (ull)n,
                  d->nvcpus == 1 ? "is" : "are", d->nvcpus);
        return MON_ERROR;
    }
    d->cur = (unsigned)n;
    return MON_OK;
}

int cmd_print(struct monitor *m, const char *args)
{
    uint64_t v;
    char sym[128];

    if (mon_eval(m, "print", args, &v))
        return MON_ERROR;
    symtab_describe(&m->d->syms, v, sym, sizeof(sym));
    fprintf(m->out, "0x%llx = %llu", (ull)v, (ull)v);
    if ((int64_t)v < 0)
        fprintf(m->out, " = %lld", (long long)v);
    if (sym[0])
        fprintf(m->out, " <%s>", sym);
    fputc('\n', m->out);
    return MON_OK;
}

int cmd_symbols(struct monitor *m, const char *args)
{
    struct cmd_words w;
    char err[256], why[160];
    uint8_t *data;
    size_t len;
    long n;
    FILE *f;

    if (cmd_split(args, &w, err, sizeof(err)) || w.n > 1) {
        mon_error(m, "symbols", "%s", w.n > 1 ? "one file name at most" : err);
        return MON_ERROR;
    }
    if (w.n == 0) {
        fprintf(m->out, "%zu symbols loaded\n", m->d->syms.n);
        return MON_OK;
    }
    f = fopen(w.w[0], "rb");
    if (!f) {
        mon_error(m, "symbols", "%s: cannot open", w.w[0]);
        return MON_ERROR;
    }
    data = NULL;
    len = 0;
    for (;;) {
        uint8_t *p = realloc(data, len + 65536);
        size_t got;
        if (!p) {
            free(data);
            fclose(f);
            mon_error(m, "symbols", "%s: out of memory", w.w[0]);
            return MON_ERROR;
        }
        data = p;
        got = fread(data + len, 1, 65536, f);
        len += got;
        if (got < 65536)
            break;
    }
    fclose(f);
    n = symtab_add_elf(&m->d->syms, data, len, why, sizeof(why));
    free(data);
    if (n < 0) {
        mon_error(m, "symbols", "%s: %s", w.w[0], why);
        return MON_ERROR;
    }
    if (n == 0) {
        mon_error(m, "symbols", "%s: no symbol table", w.w[0]);
        return MON_ERROR;
    }
    fprintf(m->out, "%ld symbols loaded from %s\n", n, w.w[0]);
    return MON_OK;
}

int info_trace(struct monitor *m, const char *args)
{
    const struct trace *t = &m->d->trace;

    (void)args;
    for (unsigned k = 0; k < NR_TRACE_KINDS; k++)
        fprintf(m->out, "%-13s %s%s\n", trace_kind_name(k),
                t->out[k] ? "on, to " : "off",
                t->out[k] ? (t->path[k] ? t->path[k] : "standard error")
                          : "");
    fprintf(m->out, "%-13s %s\n", "hash", m->d->hash_on ? "on" : "off");
    return MON_OK;
}

int cmd_trace(struct monitor *m, const char *args)
{
    struct cmd_words w;
    char err[256];
    int kind, lo, hi;
    bool on;

    if (cmd_split(args, &w, err, sizeof(err))) {
        mon_error(m, "trace", "%s", err);
        return MON_ERROR;
    }
    if (w.n == 0)
        return info_trace(m, "");
    if (w.n < 2 || w.n > 3 ||
        (strcmp(w.w[1], "on") != 0 && strcmp(w.w[1], "off") != 0)) {
        mon_error(m, "trace", "usage: trace KIND on|off [FILE]");
        return MON_ERROR;
    }
    on = strcmp(w.w[1], "on") == 0;
    if (!on && w.n == 3) {
        mon_error(m, "trace", "no file with off");
        return MON_ERROR;
    }
    if (strcmp(w.w[0], "all") == 0) {
        lo = 0;
        hi = NR_TRACE_KINDS - 1;
    } else if ((kind = trace_kind_parse(w.w[0])) >= 0) {
        lo = hi = kind;
    } else {
        mon_error(m, "trace", "unknown kind '%s' (instructions, rings, "
                  "hypercalls, events, all)", w.w[0]);
        return MON_ERROR;
    }
    for (int k = lo; k <= hi; k++)
        if (dbg_trace(m->d, (enum trace_kind)k, on, w.n == 3 ? w.w[2] : NULL,
                      err, sizeof(err))) {
            mon_error(m, "trace", "%s", err);
            return MON_ERROR;
        }
    return MON_OK;
}

/* ---- registers by name ------------------------------------------------------------- */

bool mon_reg(const struct dbg_vcpu *dv, const char *name, uint64_t *val)
{
    static const char *const r64[16] = {
        "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
        "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
    };
    static const char *const r32[8] = {
        "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
    };
    static const char *const segs[6] = { "es", "cs", "ss", "ds", "fs", "gs" };
    struct cpu *c = dv->cpu;
    unsigned i;

    for (i = 0; i < 16; i++)
        if (strcmp(name, r64[i]) == 0) {
            *val = c->r[i];
            return true;
        }
    for (i = 0; i < 8; i++)
        if (strcmp(name, r32[i]) == 0) {
            *val = (uint32_t)c->r[i];
            return true;
        }
    for (i = 0; i < 6; i++)
        if (strcmp(name, segs[i]) == 0) {
            *val = c->seg[i].sel;
            return true;
        }
    static const struct { const char *name; size_t off; } fields[] = {
        { "rip", offsetof(struct cpu, rip) },
        { "cr0", offsetof(struct cpu, cr0) },
        { "cr2", offsetof(struct cpu, cr2) },
        { "cr3", offsetof(struct cpu, cr3) },
        { "cr4", offsetof(struct cpu, cr4) },
        { "cr8", offsetof(struct cpu, cr8) },
        { "efer", offsetof(struct cpu, efer) },
        { "icount", offsetof(struct cpu, icount) },
        { "kernel_gs_base", offsetof(struct cpu, kernel_gs_base) },
    };
    for (i = 0; i < ARRAY_SIZE(fields); i++)
        if (strcmp(name, fields[i].name) == 0) {
            memcpy(val, (const char *)c + fields[i].off, sizeof(*val));
            return true;
        }
    if (strcmp(name, "pc") == 0) {
        *val = dbg_pc(dv);
        return true;
    }
    if (strcmp(name, "eip") == 0 || strcmp(name, "ip") == 0) {
        *val = c->rip;
        return true;
    }
    if (strcmp(name, "sp") == 0 || strcmp(name, "fp") == 0) {
        *val = c->r[name[0] == 's' ? R_SP : R_BP];
        return true;
    }
    if (strcmp(name, "rflags") == 0 || strcmp(name, "eflags") == 0 ||
        strcmp(name, "flags") == 0) {
        *val = cpu_get_rflags(c);
        return true;
    }
    if (strcmp(name, "fs_base") == 0 || strcmp(name, "gs_base") == 0) {
        *val = c->seg[name[0] == 'f' ? SEG_FS : SEG_GS].base;
        return true;
    }
    if (strcmp(name, "tsc") == 0) {
        *val = c->icount + c->tsc_offset;
        return true;
    }
    if (strncmp(name, "dr", 2) == 0 && name[2] >= '0' && name[2] <= '7' &&
        !name[3]) {
        *val = c->dr[name[2] - '0'];
        return true;
    }
    return false;
}
