/*
 * The execution loop: find or decode the block at CS:RIP, run its
 * instructions through their handlers (call-threaded: each decoded
 * instruction carries its handler), take interrupts at block boundaries,
 * and turn faults raised deep inside an instruction into exceptions.
 */
#include <string.h>
#include "cpu/cpu-priv.h"
#include "cpu/block.h"
#include "cpu/ops-hot.h"
#include "cpu/jit.h"

static unsigned decode_mode(const struct cpu *c)
{
    switch (c->mode) {
    case MODE_LONG64: return DMODE_64;
    case MODE_PROT32: case MODE_COMPAT32: return DMODE_32;
    default: return DMODE_16;
    }
}

/* ---- faults ------------------------------------------------------------ */

XE_NORETURN void cpu_raise(struct cpu *c, unsigned vector, bool has_error,
                           uint32_t error)
{
    struct cpu_priv *p = c->priv;

    p->pending = (struct cpu_event){
        .kind = EV_EXCEPTION, .vector = (uint8_t)vector,
        .has_error = has_error, .error = error,
        .rip = p->insn_rip, .next_rip = p->insn_rip,
    };
    c->rip = p->insn_rip;
    longjmp(*c->fault_jmp, 1);
}

XE_NORETURN void cpu_raise_pf(struct cpu *c, uint64_t la, uint32_t pfec)
{
    struct cpu_priv *p = c->priv;

    p->pending = (struct cpu_event){
        .kind = EV_EXCEPTION, .vector = EXC_PF, .has_error = true,
        .error = pfec, .cr2 = la, .rip = p->insn_rip,
        .next_rip = p->insn_rip,
    };
    c->rip = p->insn_rip;
    longjmp(*c->fault_jmp, 1);
}

static void record_ud(struct cpu *c)
{
    uint64_t la = c->seg[SEG_CS].base + c->priv->insn_rip;
    c->ud_rip = c->priv->insn_rip;
    c->ud_len = 0;
    for (unsigned k = 0; k < 15; k++) {
        uint64_t pa;
        if (cpu_translate(c, la + k, ACC_NOSET, &pa) < 0)
            break;
        c->ud_bytes[k] = (uint8_t)phys_load(c->mem, pa, 1);
        c->ud_len = (uint8_t)(k + 1);
    }
}

void op_ud(struct cpu *c, const struct insn *i)
{
    (void)i;
    if (c->strict) {
        record_ud(c);
        c->priv->strict_stop = true;
        c->rip = c->priv->insn_rip;
        longjmp(*c->fault_jmp, 2);
    }
    raise_ud(c);
}

void op_gp_toolong(struct cpu *c, const struct insn *i)
{
    (void)i;
    raise_gp(c, 0);
}

/* Exception classes for double-fault detection (SDM vol. 3 table 6-5). */
static int exc_class(unsigned v)
{
    if (v == EXC_PF)
        return 2;
    if (v == EXC_DE || v == EXC_TS || v == EXC_NP || v == EXC_SS ||
        v == EXC_GP)
        return 1;
    return 0;
}

/* Entered (via longjmp) for every fault; may be re-entered by a fault
 * raised while delivering the previous one. */
static void handle_fault(struct cpu *c)
{
    struct cpu_priv *p = c->priv;
    struct cpu_event ev = p->pending;

    if (p->delivering >= 0) {
        int first = exc_class((unsigned)p->delivering);
        int second = exc_class(ev.vector);
        if (p->delivering == EXC_DF) {
            p->triple_fault = true;
            p->delivering = -1;
            return;
        }
        if ((first == 1 && second == 1) ||
            (first == 2 && second != 0)) {
            ev = (struct cpu_event){
                .kind = EV_EXCEPTION, .vector = EXC_DF, .has_error = true,
                .error = 0, .rip = ev.rip, .next_rip = ev.rip,
            };
        }
    }
    if (ev.vector == EXC_PF && ev.kind == EV_EXCEPTION)
        c->cr2 = ev.cr2;
    p->delivering = ev.vector;
    cpu_event(c, &ev);
    p->delivering = -1;
}

/* ---- fetch and decode -------------------------------------------------- */

/* Translate CS:rip for an instruction fetch, filling the TLB; faults. */
static uint64_t fetch_translate(struct cpu *c, uint64_t la, uint8_t **host)
{
    int user = cpu_user_access(c);
    struct tlb_entry *e = tlb_entry_for(&c->tlb, user, la);
    if (e->tag_exec == (la & PAGE_MASK)) {
        *host = e->host;
        return e->pa | (la & (PAGE_SIZE - 1));
    }
    struct paging_ctx ctx;
    struct walk_result r;
    unsigned acc = ACC_EXEC | (user ? ACC_USER : 0);
    paging_ctx_fill(c, &ctx);
    if (pt_walk(c->mem, &ctx, la, acc, &r) < 0)
        cpu_raise_pf(c, la, r.pfec);
    cpu_tlb_fill(c, la, acc, &r);
    *host = mem_ram_ptr(c->mem, r.pa & PAGE_MASK);
    return r.pa;
}

static uint64_t code_linear(struct cpu *c, uint64_t rip)
{
    if (c->mode == MODE_LONG64)
        return rip;
    return (c->seg[SEG_CS].base + rip) & 0xffffffffull;
}

/* Fetch up to len bytes at la (may cross one page) into buf. */
static void fetch_bytes(struct cpu *c, uint64_t la, uint8_t *buf,
                        unsigned len)
{
    for (unsigned k = 0; k < len; k++) {
        uint8_t *host;
        uint64_t pa = fetch_translate(c, la + k, &host);
        buf[k] = host ? host[pa & (PAGE_SIZE - 1)]
                      : (uint8_t)phys_load(c->mem, pa, 1);
    }
}

static void check_cs_limit(struct cpu *c, uint64_t rip, unsigned len)
{
    if (c->mode == MODE_LONG64)
        return;
    if (rip + len - 1 > c->seg[SEG_CS].limit)
        raise_gp(c, 0);
}

/* Decode the one instruction at rip outside the block cache (it crosses
 * a page, or a cached block would run past the CS limit) into *i. */
static void decode_uncached(struct cpu *c, unsigned dmode, struct insn *i)
{
    uint8_t buf[15];
    uint64_t la = code_linear(c, c->rip);
    unsigned first = PAGE_SIZE - (unsigned)(la & (PAGE_SIZE - 1));

    if (first > sizeof(buf))
        first = sizeof(buf);
    fetch_bytes(c, la, buf, first);
    /* Fetch the second page only as far as the decoder needs it. */
    for (unsigned have = first; ; have++) {
        unsigned len = decode_insn(buf, have, dmode, i);
        if (len)
            break;
        fetch_bytes(c, la + have, buf + have, 1);
    }
    check_cs_limit(c, c->rip, i->len);
}

static struct block *build_block(struct cpu *c, uint64_t pa, uint8_t *host,
                                 unsigned dmode)
{
    struct insn insns[BLOCK_MAX_INSNS];
    unsigned n = 0, off = (unsigned)(pa & (PAGE_SIZE - 1));
    uint64_t rip = c->rip;
    uint8_t tmp[PAGE_SIZE];
    const uint8_t *code = host;
    bool chain = true;

    if (!code) {            /* not RAM: fetch through MMIO (rare) */
        phys_read(c->mem, pa & PAGE_MASK, tmp, PAGE_SIZE);
        code = tmp;
    }
    while (n < BLOCK_MAX_INSNS && off < PAGE_SIZE) {
        struct insn *i = &insns[n];
        unsigned len = decode_insn(code + off, PAGE_SIZE - off, dmode, i);
        if (!len)
            break;               /* crosses the page: decoded separately */
        if (c->mode != MODE_LONG64 &&
            rip + len - 1 > c->seg[SEG_CS].limit) {
            if (n == 0)
                raise_gp(c, 0);
            break;
        }
        n++;
        off += len;
        rip += len;
        if (i->xop == XOP_JMP64 && ((rip + i->imm) ^ c->rip) < PAGE_SIZE) {
            /* A direct jump within the page: the block goes on at its
             * target (64-bit mode only, where no CS limit applies). */
            rip += i->imm;
            off = (unsigned)(rip & (PAGE_SIZE - 1));
            hot_follow_jump(i);
            continue;
        }
        if (!i->def || (i->def->flags & F_END)) {
            chain = i->def && (i->def->flags & F_BRANCH);
            break;
        }
    }
    if (n == 0)
        return NULL;
    return block_insert(c, pa, dmode, insns, n,
                        (unsigned)(rip - c->rip), chain);
}

/* ---- the run loop ------------------------------------------------------ */

/* A block's instructions through their handlers, with the trace hook
 * before each when there is one (then icount is exact: no run_first). */
static void exec_insns(struct cpu *c, const struct insn *i, unsigned n)
{
    struct cpu_priv *p = c->priv;
    const struct insn *end = i + n;

    for (; i < end; i++) {
        if (unlikely(c->hooks.trace_insn))
            c->hooks.trace_insn(c->opaque, c);
        p->insn_rip = c->rip;
        c->rip += i->len;
        i->fn(c, i);
        c->icount++;
        if (unlikely(p->stop_block)) {
            p->stop_block = 0;
            break;
        }
    }
}

static bool take_interrupt(struct cpu *c)
{
    struct cpu_priv *p = c->priv;

    if (p->irq_inhibit) {
        return false;
    }
    if (c->nmi_pending) {
        c->nmi_pending = false;
        c->halted = false;
        struct cpu_event ev = { .kind = EV_INTERRUPT, .vector = EXC_NMI,
                                .rip = c->rip, .next_rip = c->rip };
        cpu_event(c, &ev);
        return true;
    }
    if (c->irq_pending && (c->rflags & FL_IF) && c->hooks.ack_irq) {
        int v = c->hooks.ack_irq(c->opaque, c);
        if (v < 0)
            return false;
        c->halted = false;
        struct cpu_event ev = { .kind = EV_INTERRUPT, .vector = (uint8_t)v,
                                .rip = c->rip, .next_rip = c->rip };
        cpu_event(c, &ev);
        return true;
    }
    return false;
}

/* One instruction with the debug hooks around it (debug.c: breakpoints,
 * TF single step, RF) and the end of an interrupt shadow. */
static void exec_single(struct cpu *c, const struct insn *i)
{
    struct cpu_priv *p = c->priv;
    uint8_t inhibit = p->irq_inhibit;
    bool tf = c->rflags & FL_TF;

    if (unlikely(c->debug_active) && dbg_before_insn(c))
        return;
    debug_before_insn(c);
    exec_insns(c, i, 1);
    if (inhibit)
        p->irq_inhibit = 0;
    debug_after_insn(c, tf);
}

/* The cached block at rip would run past the CS limit (CS was reloaded
 * since it was decoded)? */
static bool block_past_limit(const struct cpu *c, const struct block *b)
{
    return c->mode != MODE_LONG64 &&
           c->rip + b->bytes - 1 > c->seg[SEG_CS].limit;
}

/* Where the code at CS:rip is, translated for a fetch (may fault). */
struct fetch_at {
    uint64_t la, pa;
    uint8_t *host;
};

static void fetch_at(struct cpu *c, struct fetch_at *f)
{
    c->priv->insn_rip = c->rip;    /* a fetch fault belongs to this rip */
    f->la = code_linear(c, c->rip);
    f->pa = fetch_translate(c, f->la, &f->host);
}

/* Decode and run the one instruction at rip outside the cache. */
static void run_uncached(struct cpu *c, unsigned dmode)
{
    struct insn i;

    decode_uncached(c, dmode, &i);
    c->priv->cur_block = NULL;
    exec_single(c, &i);
}

/* Run one instruction with the debug and interrupt-shadow rules, or
 * fewer than a block's worth when the budget ends inside it. */
static void run_step(struct cpu *c, uint64_t left, bool single)
{
    struct cpu_priv *p = c->priv;
    unsigned dmode = decode_mode(c);
    struct fetch_at f;
    struct block *b;

    fetch_at(c, &f);
    if (unlikely(c->debug_active) && !single)
        single = dbg_code_page(c, f.la, f.pa);
    b = block_lookup(c, f.pa, dmode);
    if (!b)
        b = build_block(c, f.pa, f.host, dmode);
    if (!b || block_past_limit(c, b)) {
        run_uncached(c, dmode);
        return;
    }
    p->cur_block = b;
    if (single)
        exec_single(c, b->insns);
    else
        exec_insns(c, b->insns, b->n < left ? b->n : (unsigned)left);
    p->cur_block = NULL;
}

/* An event the run loop must look at before the next block. */
static bool attention(const struct cpu *c)
{
    return c->nmi_pending || c->stop_request ||
           (c->irq_pending && (c->rflags & FL_IF));
}

#if defined(__GNUC__) && !defined(XE_NO_COMPUTED_GOTO)
#define XE_COMPUTED_GOTO 1
#endif

/* The first block to run at CS:rip, or NULL when the instruction there
 * must run outside the cache (run_uncached). */
static struct block *first_block(struct cpu *c, unsigned dmode,
                                 struct fetch_at *f)
{
    struct block *b;

    fetch_at(c, f);
    b = block_lookup(c, f->pa, dmode);
    if (!b)
        b = build_block(c, f->pa, f->host, dmode);
    if (b && block_past_limit(c, b))
        return NULL;
    return b;
}

/*
 * Run blocks back to back while nothing needs the outer loop.
 *
 * Within a block: threaded dispatch on each instruction's xop.  Hot forms
 * (ops-hot.h) run inline; register-only ones need no bookkeeping at all,
 * the others record where a fault would belong.  Everything else calls
 * its handler.  Instructions retire into icount when the block ends
 * (cpu_icount_sync before that).
 *
 * Between blocks: a block that ends in a plain branch (or runs off its
 * end) goes straight on to its successor.  While the code stays in one
 * page the successor's address needs no translation: anything that could
 * change the mode, the translation or the interrupt state ends its block
 * with stop_block or is not a plain branch, so the chain stops there.
 */
/* A 64-bit block the interpreter should leave to compiled code: it has
 * some, or has been entered often enough to get some. */
static inline bool jit_wanted(struct cpu_priv *p, struct block *b)
{
    return b->jit_entry || b->hits + 1 >= p->jit_threshold;
}

/* Count an entry into b; true when b has compiled code to run. */
static inline bool jit_ready(struct cpu *c, struct block *b)
{
    if (b->jit_entry)
        return true;
    return ++b->hits >= c->priv->jit_threshold && jit_compile(c, b);
}

#if defined(__GNUC__) && !defined(__clang__)
/* Keep one dispatch jump per form: merged tails would share one indirect
 * branch, which predicts worse. */
#define DISPATCH_ATTR __attribute__((optimize("no-crossjumping")))
#else
#define DISPATCH_ATTR
#endif

static DISPATCH_ATTR void run_blocks(struct cpu *c, uint64_t icount_end)
{
    struct cpu_priv *p = c->priv;
    unsigned dmode = decode_mode(c);
    struct fetch_at f;
    struct block *b = first_block(c, dmode, &f);
    uint64_t page_rip, page_pa, base;
    uint64_t rip;       /* c->rip, kept here while hot forms run: stored
                           before anything that may fault, call out or
                           leave the run, reloaded after a handler */
    const struct insn *i, *end;
    bool branched, may_chain;

    if (!b) {
        run_uncached(c, dmode);
        return;
    }
    page_rip = c->rip - (f.la & (PAGE_SIZE - 1));   /* rip at page start */
    page_pa = f.pa & PAGE_MASK;

/* Before an instruction that may fault or call out. */
#define AT_INSN()                                                           \
    do {                                                                    \
        p->cur = i;                                                         \
        p->insn_rip = rip;                                                  \
        rip += i->len;                                                      \
        c->rip = rip;                                                       \
    } while (0)
#define LEAVE_IF_STOPPED()                                                  \
    do {                                                                    \
        if (unlikely(p->stop_block)) {                                      \
            i++;                                                            \
            goto done;                                                      \
        }                                                                   \
    } while (0)
#define BODY_REG(body) rip += i->len; { body; }
#define BODY_MEM(body) AT_INSN(); { body; } LEAVE_IF_STOPPED();
#define BODY_BR(body) AT_INSN(); { body; } rip = c->rip; LEAVE_IF_STOPPED();
/* A taken REL branch leaves the block; only a non-canonical target needs
 * the instruction's address (for the #GP).  To a target in the same code
 * page whose block the jump cache holds it enters that block right here,
 * doing what done: and enter: would (nothing can have set stop_block in
 * a block that reached a REL branch): each branch form then has its own
 * dispatch jump into its successor, which predicts far better than the
 * one shared by enter:. */
#define BODY_REL(cond)                                                      \
    rip += i->len;                                                          \
    if (cond) {                                                             \
        uint64_t target = rip + i->imm;                                     \
        if (unlikely(!is_canonical48(target))) {                            \
            p->cur = i;                                                     \
            p->insn_rip = rip - i->len;                                     \
            raise_gp(c, 0);                                                 \
        }                                                                   \
        rip = target;                                                       \
        c->rip = target;                                                    \
        i++;                                                                \
        branched = true;                                                    \
        CHAIN_REL(target);                                                  \
        goto done;                                                          \
    }
#define CHAIN_REL(target)                                                   \
    do {                                                                    \
        uint64_t off_ = (target) - page_rip;                                \
        const struct jc_entry *e_;                                          \
        if (off_ >= PAGE_SIZE)                                              \
            break;                                                          \
        e_ = &p->jump_cache[jc_slot(page_pa | off_)];                       \
        if (e_->key != block_key(page_pa | off_, DMODE_64))                 \
            break;                                                          \
        c->icount = base + (uint64_t)(i - b->insns);                        \
        if (attention(c) || icount_end - c->icount < BLOCK_MAX_INSNS)       \
            break;                                                          \
        if (unlikely(p->jit_threshold) && jit_wanted(p, e_->b))             \
            break;                                                          \
        b = e_->b;                                                          \
        i = b->insns;                                                       \
        end = i + b->n;                                                     \
        base = c->icount;                                                   \
        p->cur_block = b;                                                   \
        p->run_first = i;                                                   \
        p->run_base = base;                                                 \
        DISPATCH();                                                         \
    } while (0)

#define HOT_RIP rip
#ifdef XE_COMPUTED_GOTO
#define HOT_LABEL(name, kind, body) [XOP_##name] = &&x_##name,
    static const void *const labels[NR_XOPS] = {
        [XOP_CALL] = &&x_CALL, HOT_FORMS(HOT_LABEL)
    };
#undef HOT_LABEL
#define XCASE(name) x_##name:
#define DISPATCH() goto *labels[i->xop]
#else
#define XCASE(name) case XOP_##name:
#define DISPATCH() goto dispatch
#endif
#define XNEXT()                                                             \
    do {                                                                    \
        if (++i == end) {                                                   \
            c->rip = rip;                                                   \
            goto done;                                                      \
        }                                                                   \
        DISPATCH();                                                         \
    } while (0)
/* XNEXT for the forms that end blocks (branches, handlers): a block
 * that ends in a near branch goes straight on to a same-page successor
 * as a taken REL branch does. */
#define XNEXT_CHAIN()                                                       \
    do {                                                                    \
        if (++i == end) {                                                   \
            c->rip = rip;                                                   \
            if (b->chain && dmode == DMODE_64)                              \
                CHAIN_REL(rip);                                             \
            goto done;                                                      \
        }                                                                   \
        DISPATCH();                                                         \
    } while (0)

enter:
#ifdef CONFIG_JIT
    if (unlikely(p->jit_threshold) && dmode == DMODE_64 &&
        jit_ready(c, b)) {
        may_chain = ((jit_entry_fn)b->jit_entry)(c, icount_end);
        p->run_first = NULL;
        p->cur_block = NULL;
        /* Compiled code may have chained into other pages: make the
         * next lookup translate the fetch again. */
        page_rip = c->rip + PAGE_SIZE;
        goto next;
    }
#endif
    rip = c->rip;
    branched = false;
    i = b->insns;
    end = i + b->n;
    base = c->icount;
    p->cur_block = b;
    p->run_first = i;
    p->run_base = base;
#ifdef XE_COMPUTED_GOTO
    DISPATCH();
#else
dispatch:
    switch (i->xop) {
#endif

    XCASE(CALL)
        AT_INSN();
        i->fn(c, i);
        rip = c->rip;
        LEAVE_IF_STOPPED();
        XNEXT_CHAIN();
#define NEXT_REG XNEXT
#define NEXT_MEM XNEXT
#define NEXT_BR XNEXT_CHAIN
#define NEXT_REL XNEXT
#define HOT_CASE(name, kind, body) XCASE(name) BODY_##kind(body) NEXT_##kind();
    HOT_FORMS(HOT_CASE)
#undef HOT_CASE

#ifndef XE_COMPUTED_GOTO
    }
#endif
done:
    c->icount = base + (i == end ? b->n : (uint64_t)(i - b->insns));
    p->run_first = NULL;
    p->cur_block = NULL;
    may_chain = branched || b->chain;
#ifdef CONFIG_JIT
next:
#endif
    if (p->stop_block) {
        bool took = p->stop_block == BLOCK_BRANCHED;
        p->stop_block = 0;
        if (!took)
            return;
    } else if (!may_chain) {
        return;
    }
    if (attention(c) || icount_end - c->icount < BLOCK_MAX_INSNS)
        return;
    uint64_t off = c->rip - page_rip;
    if (off < PAGE_SIZE) {
        b = block_lookup(c, page_pa | off, dmode);
    } else {
        fetch_at(c, &f);
        page_rip = c->rip - (f.la & (PAGE_SIZE - 1));
        page_pa = f.pa & PAGE_MASK;
        b = block_lookup(c, f.pa, dmode);
    }
    if (b && (dmode == DMODE_64 || !block_past_limit(c, b)))
        goto enter;
#undef AT_INSN
#undef LEAVE_IF_STOPPED
#undef BODY_REG
#undef BODY_MEM
#undef BODY_BR
#undef BODY_REL
#undef CHAIN_REL
#undef HOT_RIP
#undef XCASE
#undef DISPATCH
#undef XNEXT
#undef XNEXT_CHAIN
#undef NEXT_REG
#undef NEXT_MEM
#undef NEXT_BR
#undef NEXT_REL
}

/* Run until something stops the CPU; returns why.  Kept out of cpu_run
 * so that its setjmp does not pin this loop's state to memory. */
static CPU_NOINLINE enum cpu_stop run_loop(struct cpu *c, uint64_t end)
{
    struct cpu_priv *p = c->priv;

    for (;;) {
        if (jit_reset_due(c)) {
            /* The code buffer is full: no block runs here, so every
             * block (and its code) can go. */
            block_cache_flush(c);
            p->stop_block = 0;
            block_cache_reap(c);
            jit_reset(c);
        }
        block_cache_reap(c);
        if (p->strict_stop) {
            p->strict_stop = false;
            return STOP_STRICT;
        }
        if (p->triple_fault) {
            p->triple_fault = false;
            return STOP_TRIPLE_FAULT;
        }
        if (c->debug_stop) {
            c->debug_stop = false;
            p->stop_block = 0;
            return STOP_DEBUG;
        }
        if (c->stop_request)
            return STOP_REQUEST;
        if (c->icount >= end)
            return STOP_BUDGET;
        if ((c->irq_pending || c->nmi_pending) && take_interrupt(c))
            continue;
        if (c->halted)
            return STOP_HLT;
        bool single = (c->rflags & (FL_TF | FL_RF)) || (c->dr[7] & 0xff) ||
                      p->irq_inhibit;
        /* A trace runs block by block too, its hook before each
         * instruction (exec_insns), so interrupts come between blocks
         * as they do without it. */
        if (single || c->debug_active || c->hooks.trace_insn ||
            end - c->icount < BLOCK_MAX_INSNS)
            run_step(c, end - c->icount, single);
        else
            run_blocks(c, end);
    }
}

enum cpu_stop cpu_run(struct cpu *c, uint64_t budget)
{
    struct cpu_priv *p = c->priv;
    jmp_buf jb, *outer = c->fault_jmp;
    const uint64_t end = c->icount + budget;
    enum cpu_stop why;

    c->fault_jmp = &jb;
    c->stop_request = false;
    if (setjmp(jb)) {
        cpu_icount_sync(c);          /* the faulting insn did not retire */
        p->run_first = NULL;
        p->cur_block = NULL;
        p->stop_block = 0;
        if (!p->strict_stop)
            handle_fault(c);
    }
    why = run_loop(c, end);
    c->fault_jmp = outer;
    return why;
}
