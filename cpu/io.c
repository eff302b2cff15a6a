/*
 * Port I/O: the permission check (IOPL, then the TSS I/O bitmap) and the
 * IN/OUT/INS/OUTS instructions.  The ports themselves are the machine's,
 * reached through mmu's pio_in/pio_out.
 */
#include "cpu/cpu-priv.h"

/* Iterations of REP INS/OUTS per execution: the instruction restarts
 * after that many so that interrupts are taken during long transfers. */
#define REP_CHUNK 1024

bool cpu_io_allowed(struct cpu *c, uint16_t port, unsigned size)
{
    unsigned iopl = (unsigned)(c->rflags >> 12) & 3;
    unsigned type = SEGA_TYPE(c->tr.attr);

    if (c->mode == MODE_REAL)
        return true;
    if (!(c->rflags & FL_VM) && c->cpl <= iopl)
        return true;
    if (!(c->tr.attr & SEGA_P) || (type != 9 && type != 0xb) ||
        c->tr.limit < 103)
        return false;
    uint32_t off = (uint32_t)sys_read(c, c->tr.base + 102, 2) + port / 8;
    if (off + 1 > c->tr.limit)
        return false;
    uint32_t bits = (uint32_t)sys_read(c, c->tr.base + off, 2);
    return !(bits & (((1u << size) - 1) << (port & 7)));
}

static void io_check(struct cpu *c, uint16_t port, unsigned size)
{
    if (!cpu_io_allowed(c, port, size))
        raise_gp(c, 0);
    if (c->priv->slow_mem)
        debug_io_access(c, port, size);
    cpu_icount_sync(c);              /* devices may read the clock */
}

static unsigned io_size(const struct insn *i)
{
    if (i->def->flags & F_BYTE)
        return 1;
    return i->opsz == 2 ? 2 : 4;
}

static uint16_t io_port(const struct cpu *c, const struct insn *i)
{
    return (i->def->flags & F_IMM8) ? (uint16_t)i->imm : (uint16_t)c->r[R_DX];
}

void op_in(struct cpu *c, const struct insn *i)
{
    unsigned sz = io_size(i);
    uint16_t port = io_port(c, i);

    io_check(c, port, sz);
    reg_write(c, R_AX, sz, pio_in(c->mem, port, sz));
}

void op_out(struct cpu *c, const struct insn *i)
{
    unsigned sz = io_size(i);
    uint16_t port = io_port(c, i);

    io_check(c, port, sz);
    pio_out(c->mem, port, sz, (uint32_t)reg_read(c, R_AX, sz));
}

/* One element of INS (ES:rDI) or OUTS (seg:rSI); returns the new index. */
static uint64_t string_io(struct cpu *c, const struct insn *i, unsigned sz,
                          uint16_t port, bool in)
{
    unsigned r = in ? R_DI : R_SI;
    uint64_t amask = size_mask(i->asz);
    uint64_t ea = c->r[r] & amask;

    if (in) {
        uint64_t la = seg_linear(c, SEG_ES, ea, sz, true);
        lin_probe_write(c, la, sz, c->cpl);
        lin_write(c, la, sz, pio_in(c->mem, port, sz));
    } else {
        uint64_t v = mem_read(c, i->seg, ea, sz);
        pio_out(c->mem, port, sz, (uint32_t)v);
    }
    uint64_t next = (c->rflags & FL_DF) ? ea - sz : ea + sz;
    reg_write(c, r, i->asz, next & amask);
    return next;
}

static void op_string_io(struct cpu *c, const struct insn *i, bool in)
{
    unsigned sz = io_size(i);
    uint16_t port = (uint16_t)c->r[R_DX];
    uint64_t amask = size_mask(i->asz);

    io_check(c, port, sz);
    if (!(i->pfx & (PFX_REP | PFX_REPN))) {
        string_io(c, i, sz, port, in);
        return;
    }
    for (unsigned n = 0; n < REP_CHUNK; n++) {
        uint64_t cx = c->r[R_CX] & amask;
        if (!cx)
            return;
        string_io(c, i, sz, port, in);
        reg_write(c, R_CX, i->asz, (cx - 1) & amask);
    }
    if (c->r[R_CX] & amask) {          /* more to do: restart later */
        c->rip = c->priv->insn_rip;
        c->priv->stop_block = true;
    }
}

void op_ins(struct cpu *c, const struct insn *i)
{
    op_string_io(c, i, true);
}

void op_outs(struct cpu *c, const struct insn *i)
{
    op_string_io(c, i, false);
}
