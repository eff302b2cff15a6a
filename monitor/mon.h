/*
 * Inside the monitor: its state and what the command files share.  Each
 * command is a function taking the rest of its line; commands.c holds
 * the table, help texts and dispatch.
 */
#ifndef XENEMU_MONITOR_MON_H
#define XENEMU_MONITOR_MON_H

#include <stdio.h>
#include "monitor/cmdline.h"
#include "monitor/monitor.h"

struct lineread;

struct monitor {
    struct dbg *d;
    FILE *out;
    struct lineread *lr;
    const struct dbg_stop *stop;    /* the stop being handled */
    bool entered;                   /* has taken a stop */
    struct xfmt xf;                 /* x: the last format */
    struct xfmt xpf;                /* xp: the last format */
    unsigned next_left;             /* next N: steps still to do */
    const char *where;              /* "script.cmd:3: " for errors */
};

typedef int (*mon_cmd_fn)(struct monitor *m, const char *args);

struct mon_cmd {
    struct cmd_name n;
    mon_cmd_fn fn;
    const char *usage;
    const char *help;
};

/* One error line naming the command: "xenemu: monitor: x: problem". */
void mon_error(struct monitor *m, const char *cmd, const char *fmt, ...)
    XE_PRINTF(3, 4);
/* Evaluate an expression with the current vCPU's registers and the
 * symbols: 0, or -1 after an error line. */
int mon_eval(struct monitor *m, const char *cmd, const char *text,
             uint64_t *val);
/* The vCPU commands act on; NULL after an error line if there is none. */
struct dbg_vcpu *mon_vcpu(struct monitor *m, const char *cmd);
/* A register by name ("rax", "eax", "cr3", "rip", "fs_base"...). */
bool mon_reg(const struct dbg_vcpu *dv, const char *name, uint64_t *val);
/* "0x401000 <main+4>" or "0x401000". */
const char *mon_addr(struct monitor *m, uint64_t addr, char *buf,
                     size_t len);
/* Print "PREFIX0x401000 <sym>: BYTES  TEXT" for the instruction at va (a
 * virtual address of dv); its length, 0 if it cannot be read. */
unsigned mon_print_insn(struct monitor *m, struct dbg_vcpu *dv, uint64_t va,
                        const char *prefix);
/* Parse a decimal count (or none: def). */
int mon_count(struct monitor *m, const char *cmd, const char *s,
              uint64_t def, uint64_t max, uint64_t *n);

/* The command table (commands.c) and its parts' commands. */
extern const struct mon_cmd mon_commands[];
extern const size_t mon_ncommands;
extern const struct mon_cmd mon_info_commands[];
extern const size_t mon_ninfo_commands;

int cmd_help(struct monitor *m, const char *args);
int cmd_info(struct monitor *m, const char *args);
/* Run control (commands.c). */
int cmd_continue(struct monitor *m, const char *args);
int cmd_stepi(struct monitor *m, const char *args);
int cmd_next(struct monitor *m, const char *args);
int cmd_until(struct monitor *m, const char *args);
int cmd_quit(struct monitor *m, const char *args);
int cmd_icount(struct monitor *m, const char *args);
int cmd_pause(struct monitor *m, const char *args);
int cmd_unpause(struct monitor *m, const char *args);
int cmd_vcpu(struct monitor *m, const char *args);
int cmd_print(struct monitor *m, const char *args);
int cmd_symbols(struct monitor *m, const char *args);
int cmd_trace(struct monitor *m, const char *args);
/* cmd-break.c */
int cmd_break(struct monitor *m, const char *args);
int cmd_tbreak(struct monitor *m, const char *args);
int cmd_delete(struct monitor *m, const char *args);
int cmd_disable(struct monitor *m, const char *args);
int cmd_enable(struct monitor *m, const char *args);
int cmd_watch(struct monitor *m, const char *args);
int cmd_rwatch(struct monitor *m, const char *args);
int cmd_awatch(struct monitor *m, const char *args);
int info_breakpoints(struct monitor *m, const char *args);
/* cmd-mem.c */
int cmd_x(struct monitor *m, const char *args);
int cmd_xp(struct monitor *m, const char *args);
int cmd_disas(struct monitor *m, const char *args);
int cmd_bt(struct monitor *m, const char *args);
/* info-regs.c */
int info_registers(struct monitor *m, const char *args);
/* info-desc.c */
int info_gdt(struct monitor *m, const char *args);
int info_idt(struct monitor *m, const char *args);
int info_ldt(struct monitor *m, const char *args);
int info_tss(struct monitor *m, const char *args);
/* info-paging.c */
int info_pagetable(struct monitor *m, const char *args);
int info_tlb(struct monitor *m, const char *args);
/* info-rings.c */
int info_rings(struct monitor *m, const char *args);
/* info-xen.c */
int info_hypercalls(struct monitor *m, const char *args);
int info_evtchn(struct monitor *m, const char *args);
int info_grants(struct monitor *m, const char *args);
int info_domains(struct monitor *m, const char *args);
int info_vcpus(struct monitor *m, const char *args);
int info_sched(struct monitor *m, const char *args);
int info_time(struct monitor *m, const char *args);
int info_symbols(struct monitor *m, const char *args);
int info_trace(struct monitor *m, const char *args);

/* The line reader (lineread.c): a script, then a terminal (readline) or
 * standard input. */
struct lineread *lineread_create(const char *script, bool use_stdin,
                                 struct monitor *m);
void lineread_destroy(struct lineread *lr);
/* The next command line (without its newline), or NULL at the end of
 * every source.  *where names the source for errors ("f.cmd:3: ", ""). */
char *lineread_next(struct lineread *lr, const char **where, bool *echo);
bool lineread_has_script(const struct lineread *lr);

#endif
