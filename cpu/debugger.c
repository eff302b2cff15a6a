/*
 * The interface to a debugger (cpu.h struct cpu_debug_hooks): the checks
 * the run loop and the memory slow paths make while a debugger asks for
 * them, and the stop it can request.  Nothing here runs unless
 * debug_active, debug_watch or a notification hook is set.
 */
#include "cpu/cpu-priv.h"

void cpu_debug_stop(struct cpu *c)
{
    c->debug_stop = true;
    c->priv->stop_block = 1;
}

void cpu_debug_update(struct cpu *c)
{
    debug_update(c);
}

bool dbg_code_page(struct cpu *c, uint64_t la, uint64_t pa)
{
    if (!c->debug.code_page)
        return false;
    cpu_icount_sync(c);
    return c->debug.code_page(c->debug_opaque, c, la & PAGE_MASK,
                              pa & PAGE_MASK);
}

bool dbg_before_insn(struct cpu *c)
{
    if (!c->debug.before_insn)
        return false;
    cpu_icount_sync(c);
    if (!c->debug.before_insn(c->debug_opaque, c))
        return false;
    c->debug_stop = true;
    return true;
}

void dbg_data_access(struct cpu *c, uint64_t la, uint64_t pa, unsigned size,
                     bool write)
{
    if (!c->debug.data_access)
        return;
    cpu_icount_sync(c);
    if (c->debug.data_access(c->debug_opaque, c, la, pa, size, write))
        cpu_debug_stop(c);
}

void dbg_cr3_written(struct cpu *c, uint64_t old)
{
    cpu_icount_sync(c);
    c->debug.cr3_write(c->debug_opaque, c, old);
}

void dbg_cpl_changed(struct cpu *c, unsigned old)
{
    cpu_icount_sync(c);
    c->debug.cpl_change(c->debug_opaque, c, old, c->priv->insn_rip);
}
