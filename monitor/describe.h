/*
 * Plain words for x86 and Xen things, shared by stop lines, traces and
 * the info commands: exception names, CPU events, event-channel bindings.
 */
#ifndef XENEMU_MONITOR_DESCRIBE_H
#define XENEMU_MONITOR_DESCRIBE_H

#include "cpu/cpu.h"

struct domain;

/* "#PF" for 14; "" for vectors without a mnemonic. */
const char *mon_exc_name(unsigned vector);
/* The vector named "#PF", "pf", "PF" or a number, or -1. */
int mon_exc_parse(const char *s);
/* "exception 14 #PF (error 0x2, cr2 0x1000)", "int 0x80", "syscall". */
void mon_event_text(const struct cpu_event *ev, char *buf, size_t len);
/* What a port is bound to: "virq 0 timer", "interdomain to dom0 port 2
 * (backend)", "unbound, for dom0", "closed". */
void mon_evtchn_binding(struct domain *d, unsigned port, char *buf,
                        size_t len);
/* "timer" for VIRQ 0; NULL for unnamed ones. */
const char *mon_virq_name(unsigned virq);

#endif
