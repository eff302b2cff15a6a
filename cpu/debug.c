/*
 * Debug registers: instruction breakpoints (faults, checked before an
 * instruction), data and I/O breakpoints (traps, raised after it), single
 * step (TF) and the resume flag.  exec.c runs one instruction at a time
 * whenever DR7 enables a breakpoint, TF or RF is set, and calls the two
 * hooks around it; data accesses take the slow path (priv->slow_mem) so
 * that memaccess.c can report them here.
 */
#include "cpu/cpu-priv.h"

static bool bp_enabled(uint64_t dr7, unsigned n)
{
    return (dr7 >> (2 * n)) & 3;
}

static unsigned bp_rw(uint64_t dr7, unsigned n)
{
    return (unsigned)(dr7 >> (16 + 4 * n)) & 3;
}

/* LEN encoding 00, 01, 10, 11: 1, 2, 8, 4 bytes. */
static unsigned bp_len(uint64_t dr7, unsigned n)
{
    static const uint8_t len[4] = { 1, 2, 8, 4 };
    return len[(dr7 >> (18 + 4 * n)) & 3];
}

static bool any_data_bp(const struct cpu *c)
{
    for (unsigned n = 0; n < 4; n++)
        if (bp_enabled(c->dr[7], n) && bp_rw(c->dr[7], n) != 0)
            return true;
    return false;
}

void debug_update(struct cpu *c)
{
    bool slow = any_data_bp(c) || c->debug_watch;

    /* Arming: drop the data fast paths the TLB holds (cpu_tlb_fill). */
    if (slow && !c->priv->slow_mem)
        tlb_flush_all(&c->tlb);
    c->priv->slow_mem = slow;
}

void debug_reg_store(struct cpu *c, unsigned n, uint64_t v)
{
    if (n == 6)
        v = (v & 0xe00f) | 0xffff0ff0u;
    else if (n == 7)
        v = (v & 0xffff23ffu) | 0x400;
    c->dr[n] = v;
    if (n == 7)
        debug_update(c);
}

static uint64_t code_la(const struct cpu *c)
{
    if (c->mode == MODE_LONG64)
        return c->rip;
    return (c->seg[SEG_CS].base + c->rip) & 0xffffffffull;
}

void debug_before_insn(struct cpu *c)
{
    struct cpu_priv *p = c->priv;
    uint64_t dr7 = c->dr[7];
    unsigned hit = 0;

    p->event_taken = false;
    p->pending_db = 0;
    p->insn_rip = c->rip;
    debug_update(c);
    if (c->rflags & FL_RF) {       /* cleared once the breakpoint is skipped */
        c->rflags &= ~(uint64_t)FL_RF;
        return;
    }
    if (!(dr7 & 0xff))
        return;
    uint64_t la = code_la(c);
    for (unsigned n = 0; n < 4; n++)
        if (bp_enabled(dr7, n) && bp_rw(dr7, n) == 0 && c->dr[n] == la)
            hit |= 1u << n;
    if (hit) {
        c->dr[6] = (c->dr[6] & ~0xfull) | hit;
        cpu_raise(c, EXC_DB, false, 0);
    }
}

static void match(struct cpu *c, uint64_t addr, unsigned size, unsigned kind)
{
    uint64_t dr7 = c->dr[7];

    for (unsigned n = 0; n < 4; n++) {
        unsigned rw = bp_rw(dr7, n);
        if (!bp_enabled(dr7, n) || rw == 0)
            continue;
        if (rw != kind && !(rw == 3 && kind == 1))
            continue;
        unsigned len = bp_len(dr7, n);
        uint64_t start = c->dr[n] & ~(uint64_t)(len - 1);
        if (addr <= start + len - 1 && start <= addr + size - 1)
            c->priv->pending_db |= (uint8_t)(1u << n);
    }
}

/* kind: 1 = write, 3 = read or write, 2 = I/O (DR7 R/W encodings). */
void debug_data_access(struct cpu *c, uint64_t la, unsigned size,
                       bool write)
{
    match(c, la, size, write ? 1 : 3);
}

void debug_io_access(struct cpu *c, uint16_t port, unsigned size)
{
    if (c->cr4 & CR4_DE)
        match(c, port, size, 2);
}

void debug_after_insn(struct cpu *c, bool tf)
{
    struct cpu_priv *p = c->priv;
    bool step = tf && !p->event_taken;

    if (!p->pending_db && !step)
        return;
    if (p->pending_db)
        c->dr[6] = (c->dr[6] & ~0xfull) | p->pending_db;
    if (step)
        c->dr[6] |= DR6_BS;
    p->pending_db = 0;

    struct cpu_event ev = { .kind = EV_EXCEPTION, .vector = EXC_DB,
                            .rip = c->rip, .next_rip = c->rip };
    p->delivering = EXC_DB;
    cpu_event(c, &ev);
    p->delivering = -1;
}
