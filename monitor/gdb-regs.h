/*
 * The registers gdb sees: the x86-64 and i386 layouts (the order of the
 * g packet and of the target description), their target descriptions
 * (target.xml: gdb's core, SSE and, for x86-64, segment-base features,
 * and xenemu's control-register feature), and reading and writing one
 * register as the little-endian bytes of the protocol.
 */
#ifndef XENEMU_MONITOR_GDB_REGS_H
#define XENEMU_MONITOR_GDB_REGS_H

#include "cpu/cpu.h"

#define GDB_REG_MAX_BYTES 16

struct gdb_layout;

extern const struct gdb_layout gdb_layout_x86_64, gdb_layout_i386;

unsigned gdb_nregs(const struct gdb_layout *l);
/* The register's size in bytes (0: no such register). */
unsigned gdb_reg_size(const struct gdb_layout *l, unsigned n);
/* Register n's bytes into out: its size. */
unsigned gdb_reg_get(const struct gdb_layout *l, struct cpu *c, unsigned n,
                     uint8_t *out);
/* Set register n from its bytes: 0, or -1 (a register xenemu does not
 * let gdb change, e.g. a segment selector or a control register, given
 * a value other than the one it holds). */
int gdb_reg_set(const struct gdb_layout *l, struct cpu *c, unsigned n,
                const uint8_t *in);
/* The target description (NUL-terminated). */
const char *gdb_target_xml(const struct gdb_layout *l);

#endif
