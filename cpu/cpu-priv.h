/*
 * Private to cpu/: the decoded-instruction form, the opcode table entry,
 * lazy flags, faults and the memory-access fast paths every instruction
 * family uses.
 */
#ifndef XENEMU_CPU_PRIV_H
#define XENEMU_CPU_PRIV_H

#include "cpu/cpu.h"
#include "xenemu/le.h"

#if defined(__GNUC__) || defined(__clang__)
#define CPU_NOINLINE __attribute__((noinline))
#else
#define CPU_NOINLINE
#endif

struct insn;
typedef void (*insn_fn)(struct cpu *c, const struct insn *i);

/* ---- the opcode table ------------------------------------------------ */

/* Opcode maps. */
enum { MAP_1B, MAP_0F, MAP_0F38, MAP_0F3A, NR_MAPS };

/* Mandatory-prefix selector. */
enum { P_ANY, P_NP, P_66, P_F3, P_F2 };

/* ModRM.mod selector. */
enum { M_ANY, M_MEM, M_REG };

/* opdef.flags */
enum {
    F_MODRM  = 1u << 0,   /* has a ModRM byte */
    F_BYTE   = 1u << 1,   /* 8-bit operand size */
    F_IMM8   = 1u << 2,   /* ib, zero-extended */
    F_IMM8S  = 1u << 3,   /* ib, sign-extended */
    F_IMM16  = 1u << 4,   /* iw */
    F_IMMZ   = 1u << 5,   /* iw or id (id sign-extended for 64-bit opsize) */
    F_IMMV   = 1u << 6,   /* iw, id or iq (MOV r, imm) */
    F_MOFFS  = 1u << 7,   /* address-sized offset (MOV AL, moffs) */
    F_FARPTR = 1u << 8,   /* ptr16:16/32 (far JMP/CALL direct) */
    F_ENTER  = 1u << 9,   /* iw, ib */
    F_I64    = 1u << 10,  /* invalid in 64-bit mode */
    F_O64    = 1u << 11,  /* valid only in 64-bit mode */
    F_D64    = 1u << 12,  /* 64-bit default operand size in 64-bit mode */
    F_F64    = 1u << 13,  /* 64-bit operand size forced in 64-bit mode */
    F_LOCK   = 1u << 14,  /* LOCK allowed (with a memory destination) */
    F_END    = 1u << 15,  /* ends the decoded block (branches, mode changes) */
    F_OPREG  = 1u << 16,  /* register in the opcode's low 3 bits (+REX.B) */
    F_REL    = 1u << 17,  /* relative branch: imm is a displacement */
    F_PRIV   = 1u << 18,  /* CPL 0 only (#GP(0) otherwise) */
    F_NOMEMOK= 1u << 19,  /* informational: no memory operand */
    F_RM8    = 1u << 20,  /* the r/m operand alone is 8-bit (MOVZX r, r/m8) */
    F_BRANCH = 1u << 21,  /* near branch: changes only RIP (and the stack),
                             so its block may chain to the next; without
                             F_END (Jcc) it ends the block only when taken
                             (branch_taken) */
};

/* CPUID feature requirement for an opdef (see cpuid.c). */
enum {
    FEAT_NONE, FEAT_CMOV, FEAT_CX8, FEAT_CX16, FEAT_POPCNT, FEAT_LZCNT,
    FEAT_MOVBE, FEAT_RDTSCP, FEAT_FSGSBASE, FEAT_SYSCALL, FEAT_SEP,
    FEAT_CLFLUSH, FEAT_SSE, FEAT_SSE2,
    FEAT_MMX, FEAT_FXSR, FEAT_SSE3, FEAT_SSSE3, FEAT_SSE41, FEAT_SSE42,
    FEAT_PCLMUL, FEAT_AES, FEAT_XSAVE, FEAT_XSAVEOPT, FEAT_XSAVEC,
    FEAT_NEVER,
};

struct opdef {
    uint8_t map, op;       /* opcode map and byte */
    uint8_t nop;           /* number of consecutive opcodes (1, or 8 for +r) */
    uint8_t pfx;           /* P_* */
    int8_t ext;            /* ModRM.reg /digit, or -1 */
    uint8_t mod;           /* M_* */
    int16_t modrm;         /* exact ModRM byte (0F 01 F8 ...), or -1 */
    uint32_t flags;        /* F_* */
    uint8_t arg;           /* handler parameter (ALU kind, condition...) */
    uint8_t feat;          /* FEAT_* */
    insn_fn fn;
    const char *name;
};

/* Each instruction family exports one table; opcode.c merges them. */
/* A family's decode-time specialisation: the handler for this decoded
 * form (fixed operand size, register or memory operand...), or NULL to
 * keep the opdef's general one. */
typedef insn_fn (*insn_pick)(const struct insn *i, unsigned dmode);

struct optable {
    const struct opdef *defs;
    unsigned n;
    insn_pick pick;
};

extern const struct optable optable_alu, optable_mov, optable_stack,
    optable_branch, optable_shift, optable_muldiv, optable_bit,
    optable_string, optable_misc, optable_system, optable_seg, optable_bcd,
    optable_x87, optable_x87env;
/* MMX/SSE families (simd.h) */
extern const struct optable optable_mmx, optable_sse_int, optable_sse_logic,
    optable_sse_shift, optable_sse_shuf, optable_sse_lane, optable_sse_mov,
    optable_sse_str, optable_sse_crypto, optable_sse_state, optable_xsave,
    optable_crc32, optable_sse_fp, optable_sse_cmp, optable_sse_cvt;

/* Index of the operand sizes pickers specialise (1, 4, 8 -> 0, 1, 2);
 * 3 for the others. */
static inline unsigned fast_size(unsigned opsz)
{
    static const uint8_t idx[9] = { 3, 0, 3, 3, 1, 3, 3, 3, 2 };
    return idx[opsz];
}

#define OPTABLE(name, arr) \
    const struct optable name = { arr, sizeof(arr) / sizeof((arr)[0]), NULL }
#define OPTABLE_PICK(name, arr, pick) \
    const struct optable name = { arr, sizeof(arr) / sizeof((arr)[0]), pick }

/* ---- the decoded instruction ---------------------------------------- */

#define REG_NONE 0xff
#define REG_RIP  0xfe
/* 8-bit registers AH, CH, DH, BH (no REX) are encoded as 16 + (0..3). */
#define REG_HIGH8 16

/* insn.pfx bits */
enum {
    PFX_LOCK = 1u << 0,
    PFX_REP  = 1u << 1,   /* F3 */
    PFX_REPN = 1u << 2,   /* F2 */
    PFX_66   = 1u << 3,
    PFX_67   = 1u << 4,
    PFX_REX  = 1u << 5,
    PFX_REXW = 1u << 6,
};

struct insn {
    insn_fn fn;
    const struct opdef *def;
    uint64_t imm;          /* immediate / moffs / far offset / rel target disp */
    int32_t disp;
    uint16_t imm2;         /* ENTER level, far pointer selector */
    uint8_t len;
    uint8_t opsz;          /* operand size in bytes */
    uint8_t asz;           /* address size in bytes */
    uint8_t reg;           /* ModRM.reg (+REX.R), or opcode register */
    uint8_t rm;            /* register operand when mod == 3 */
    uint8_t mod;           /* ModRM.mod; 3 = register operand */
    uint8_t base, index;   /* memory operand: REG_NONE / REG_RIP / 0..15 */
    uint8_t scale;         /* index shift 0..3 */
    uint8_t seg;           /* effective segment of the memory operand */
    uint8_t pfx;           /* PFX_* */
    uint8_t modrm;         /* raw ModRM byte */
    uint8_t arg;           /* copy of def->arg */
    uint8_t xop;           /* hot form run inline (ops-hot.h), or 0 */
};

/* Decode one instruction from bytes[0..avail) in decode mode dmode
 * (16, 32 or 64-bit default sizes: 0, 1, 2).  Returns its length, 0 when
 * more bytes are needed than avail, and fills *i; an invalid encoding gives
 * a valid length with i->fn = op_ud (or #GP for over-long ones). */
unsigned decode_insn(const uint8_t *bytes, unsigned avail, unsigned dmode,
                     struct insn *i);
void opcode_table_init(void);
bool opcode_has_modrm(unsigned map, unsigned op);
bool opcode_exists(unsigned map, unsigned op);
/* The candidate for the encoding; *pick gets its family's picker. */
const struct opdef *opcode_lookup(unsigned map, unsigned op, unsigned pfx,
                                  unsigned modrm, bool has_modrm, bool is64,
                                  insn_pick *pick);

enum { DMODE_16, DMODE_32, DMODE_64 };

/* ---- lazy flags ------------------------------------------------------ */

/* lf.op: kind << 2 | log2(size) */
enum lf_kind {
    LF_NONE,      /* arithmetic flags are in rflags */
    LF_ADD, LF_ADC, LF_SUB, LF_SBB, LF_LOGIC, LF_INC, LF_DEC, LF_NEG,
    /* Shifts of 32/64-bit operands by a non-zero count (src): AF set,
     * OF as ops-shift.c describes for AMD. */
    LF_SHL, LF_SHR, LF_SAR,
};

static inline unsigned size_log2(unsigned size)
{
    return size == 8 ? 3 : size == 4 ? 2 : size == 2 ? 1 : 0;
}

/* All ones in the low size bytes (size 1..8). */
static inline uint64_t size_mask(unsigned size)
{
    return ~0ull >> (64 - size * 8);
}

static inline uint64_t sign_bit(unsigned size)
{
    return 1ull << (size * 8 - 1);
}

static inline int64_t sext(uint64_t v, unsigned size)
{
    unsigned sh = 64 - size * 8;
    return (int64_t)(v << sh) >> sh;
}

/*
 * The operands and result are recorded sign-extended from size: equality
 * with zero, the sign and both signed and unsigned order of two values
 * survive sign extension, so the common conditions (cond_eval) need no
 * size; everything else masks them back to size.
 */
static inline void lf_set(struct cpu *c, enum lf_kind k, unsigned size,
                          uint64_t res, uint64_t dst, uint64_t src)
{
    c->lf.op = (uint32_t)k << 2 | size_log2(size);
    c->lf.res = (uint64_t)sext(res, size);
    if (k != LF_LOGIC) {            /* LOGIC flags come from res alone */
        c->lf.dst = (uint64_t)sext(dst, size);
        c->lf.src = (uint64_t)sext(src, size);
    }
}

uint32_t flags_compute(const struct cpu *c);      /* the 6 arithmetic flags */
uint32_t flags_szp(uint64_t res, unsigned size);  /* SF ZF PF of a result */
bool flag_cf_slow(const struct cpu *c);
bool cond_eval_slow(struct cpu *c, unsigned cc);
/* Write arithmetic flags eagerly (mask selects which are replaced). */
void flags_set_eager(struct cpu *c, uint32_t flags, uint32_t mask);
extern const uint8_t parity_table[256];

/* CF alone: inline for what compares and INC/DEC (which keep the CF
 * they found in src) leave. */
static XE_ALWAYS_INLINE bool flag_cf(const struct cpu *c)
{
    unsigned kind = c->lf.op >> 2;

    if (kind == LF_SUB)
        return c->lf.dst < c->lf.src;   /* order survives sign extension */
    if (kind == LF_INC || kind == LF_DEC)
        return c->lf.src != 0;
    if (kind == LF_LOGIC)
        return false;
    return flag_cf_slow(c);
}

/* Jcc/SETcc/CMOVcc condition cc (0..15).  Inline so that a constant cc
 * folds to the one test; the lazy kinds most compares leave (SUB, LOGIC)
 * and ZF/SF of any lazy result need no flags at all. */
static XE_ALWAYS_INLINE bool cond_eval(struct cpu *c, unsigned cc)
{
    unsigned kind = c->lf.op >> 2;
    int64_t r = (int64_t)c->lf.res;
    int64_t d = (int64_t)c->lf.dst, s = (int64_t)c->lf.src;
    bool v;

    switch (cc >> 1) {
    case 1:                                           /* B */
        if (kind == LF_SUB) v = (uint64_t)d < (uint64_t)s;
        else if (kind == LF_LOGIC) v = false;
        else return cond_eval_slow(c, cc);
        break;
    case 2:                                           /* Z */
        if (kind == LF_NONE) return cond_eval_slow(c, cc);
        v = r == 0;
        break;
    case 3:                                           /* BE */
        if (kind == LF_SUB) v = (uint64_t)d <= (uint64_t)s;
        else if (kind == LF_LOGIC) v = r == 0;
        else return cond_eval_slow(c, cc);
        break;
    case 4:                                           /* S */
        if (kind == LF_NONE) return cond_eval_slow(c, cc);
        v = r < 0;
        break;
    case 6:                                           /* L */
        if (kind == LF_SUB) v = d < s;
        else if (kind == LF_LOGIC) v = r < 0;
        else return cond_eval_slow(c, cc);
        break;
    case 7:                                           /* LE */
        if (kind == LF_SUB) v = d <= s;
        else if (kind == LF_LOGIC) v = r <= 0;
        else return cond_eval_slow(c, cc);
        break;
    default:                                          /* O, P */
        return cond_eval_slow(c, cc);
    }
    return v != (cc & 1);
}

/* ---- private CPU state ------------------------------------------------ */

struct block;

#define JUMP_CACHE_SIZE 1024

/* A jump-cache entry: the block and its key (block_key), ~0 when empty. */
struct jc_entry {
    uint64_t key;
    struct block *b;
};
#define BLOCK_BRANCHED 2

void seg_update_flat(struct cpu *c, int seg);

struct cpu_priv {
    uint64_t insn_rip;         /* address of the executing instruction */
    /* A block in progress retires its instructions into icount when it
     * ends; until then icount lags and cpu_icount_sync() brings it up to
     * date (the instruction at cur not counted yet). */
    const struct insn *cur;
    const struct insn *run_first;  /* first insn of the run, or NULL */
    uint64_t run_base;             /* icount when the run started */
    /* Leave the block after this instruction: true (1) for the outer run
     * loop, or BLOCK_BRANCHED alone for a conditional branch taken in
     * the middle of a block, which may chain on. */
    uint8_t stop_block;
    uint8_t irq_inhibit;       /* STI / MOV SS shadow */
    struct block_cache *bc;
    struct block *cur_block;
    int delivering;            /* vector being delivered, or -1 */
    struct cpu_event pending;  /* the fault cpu_raise() unwinds with */
    unsigned fault_depth;      /* nested delivery: #DF / triple fault */
    bool triple_fault;
    bool strict_stop;
    bool slow_mem;             /* data breakpoints or a debugger's watch:
                                  no TLB fast path */
    uint16_t seg_flat;         /* bit s: flat readable; bit s+8: writable */
    struct jc_entry jump_cache[JUMP_CACHE_SIZE];  /* blocks by address (block.h) */
    uint8_t pending_db;        /* #DB trap bits to raise after the insn */
    uint64_t dr6_pending;
    /* System architecture (except.c, debug.c, cpuid.c). */
    const struct cpu_model *model;  /* NULL: the default (AMD) */
    bool event_taken;          /* an event was delivered during the insn */
    /* The JIT (jit.h): its code buffer, or NULL when it is off; a block
     * is compiled when it has been entered jit_threshold times. */
    struct jit_state *jit;
    uint32_t jit_threshold;
};

/* Make c->icount exact in the middle of a block: before anything outside
 * cpu/ may look at it (hooks, port and MMIO callbacks) and before the CPU
 * reads it itself (TSC). */
static inline void cpu_icount_sync(struct cpu *c)
{
    const struct cpu_priv *p = c->priv;
    if (p->run_first)
        c->icount = p->run_base + (uint64_t)(p->cur - p->run_first);
}

/* ---- faults ------------------------------------------------------------ */

/* Raise an exception from inside an instruction: unwinds to cpu_run. */
XE_NORETURN void cpu_raise(struct cpu *c, unsigned vector, bool has_error,
                           uint32_t error);
XE_NORETURN void cpu_raise_pf(struct cpu *c, uint64_t la, uint32_t pfec);

static inline XE_NORETURN void raise_ud(struct cpu *c)
{
    cpu_raise(c, EXC_UD, false, 0);
}

static inline XE_NORETURN void raise_gp(struct cpu *c, uint32_t err)
{
    cpu_raise(c, EXC_GP, true, err);
}

void op_ud(struct cpu *c, const struct insn *i);
void op_gp_toolong(struct cpu *c, const struct insn *i);

/* ---- register operands ----------------------------------------------- */

static inline uint64_t reg_read(const struct cpu *c, unsigned r, unsigned size)
{
    if (size == 1 && r >= REG_HIGH8)
        return (c->r[r - REG_HIGH8] >> 8) & 0xff;
    return c->r[r] & size_mask(size);
}

static inline void reg_write(struct cpu *c, unsigned r, unsigned size,
                             uint64_t v)
{
    switch (size) {
    case 1:
        if (r >= REG_HIGH8) {
            r -= REG_HIGH8;
            c->r[r] = (c->r[r] & ~0xff00ull) | (v & 0xff) << 8;
        } else {
            c->r[r] = (c->r[r] & ~0xffull) | (v & 0xff);
        }
        break;
    case 2: c->r[r] = (c->r[r] & ~0xffffull) | (v & 0xffff); break;
    case 4: c->r[r] = (uint32_t)v; break;
    default: c->r[r] = v; break;
    }
}

/* ---- memory ------------------------------------------------------------ */

/* Linear (after segmentation) accesses; acc is ACC_* of mmu.h. */
uint64_t lin_read_slow(struct cpu *c, uint64_t la, unsigned size,
                       unsigned acc);
void lin_write_slow(struct cpu *c, uint64_t la, unsigned size, uint64_t v,
                    unsigned acc);

static inline bool cpu_user_access(const struct cpu *c)
{
    return c->cpl == 3;
}

/*
 * The TLB fast path for an access of kind acc (ACC_USER, ACC_WRITE,
 * ACC_IMPLICIT); everything else goes to the slow path.  acc is a constant
 * at every call site, so each wrapper below compiles to its own fast path.
 * The entry is the one of the access's last byte: its tag can equal the
 * first byte's page only when the access stays within that page.  While
 * data breakpoints are armed the TLB holds no read/write tags
 * (cpu_tlb_fill), so every data access takes the slow path.
 */
static inline struct tlb_entry *lin_fast(struct cpu *c, uint64_t la,
                                         unsigned size, unsigned acc)
{
    int user = (acc & ACC_USER) && !(acc & ACC_IMPLICIT);
    struct tlb_entry *e = tlb_entry_for(&c->tlb, user, la + size - 1);
    uint64_t tag = (acc & ACC_WRITE) ? e->tag_write : e->tag_read;

    if (likely(tag == (la & PAGE_MASK)))
        return e;
    return NULL;
}

/* tlb_fill for the CPU's own walks: no data fast path while data
 * breakpoints are armed. */
void cpu_tlb_fill(struct cpu *c, uint64_t la, unsigned acc,
                  const struct walk_result *r);

static inline uint64_t lin_read_acc(struct cpu *c, uint64_t la, unsigned size,
                                    unsigned acc)
{
    struct tlb_entry *e = lin_fast(c, la, size, acc);
    if (e)
        return le_load(e->host + (la & (PAGE_SIZE - 1)), size);
    return lin_read_slow(c, la, size, acc);
}

static inline void lin_write_acc(struct cpu *c, uint64_t la, unsigned size,
                                 uint64_t v, unsigned acc)
{
    struct tlb_entry *e = lin_fast(c, la, size, acc | ACC_WRITE);
    if (e)
        le_store(e->host + (la & (PAGE_SIZE - 1)), size, v);
    else
        lin_write_slow(c, la, size, v, acc | ACC_WRITE);
}

static inline unsigned cpl_acc(const struct cpu *c)
{
    return cpu_user_access(c) ? ACC_USER : 0;
}

static inline uint64_t lin_read(struct cpu *c, uint64_t la, unsigned size)
{
    return lin_read_acc(c, la, size, cpl_acc(c));
}

/* The read half of a read-modify-write: translated for writing, so a
 * fault reports W in its error code and sets D, as hardware does. */
static inline uint64_t lin_read_rmw(struct cpu *c, uint64_t la, unsigned size)
{
    return lin_read_acc(c, la, size, cpl_acc(c) | ACC_WRITE);
}

static inline void lin_write(struct cpu *c, uint64_t la, unsigned size,
                             uint64_t v)
{
    lin_write_acc(c, la, size, v, cpl_acc(c));
}

/* Segmented access: segment checks (limit, rights) then linear access. */
uint64_t seg_linear_slow(struct cpu *c, unsigned seg, uint64_t ea,
                         unsigned size, bool write);

static inline bool is_canonical48(uint64_t la)
{
    return (uint64_t)((int64_t)(la << 16) >> 16) == la;
}

/* Flat segments (base 0, 4 GiB, writable data or readable code, present)
 * skip the checks; cpu_set_seg() keeps priv->seg_flat up to date. */
static inline uint64_t seg_linear(struct cpu *c, unsigned seg, uint64_t ea,
                                  unsigned size, bool write)
{
    if (c->mode == MODE_LONG64) {
        uint64_t la = seg >= SEG_FS ? ea + c->seg[seg].base : ea;
        if (likely(is_canonical48(la)))
            return la;
    } else if (likely((c->priv->seg_flat >> seg) & 1) &&
               (!write || ((c->priv->seg_flat >> (seg + 8)) & 1))) {
        return ea & 0xffffffffull;
    }
    return seg_linear_slow(c, seg, ea, size, write);
}

static inline uint64_t mem_read(struct cpu *c, unsigned seg, uint64_t ea,
                                unsigned size)
{
    return lin_read(c, seg_linear(c, seg, ea, size, false), size);
}

static inline void mem_write(struct cpu *c, unsigned seg, uint64_t ea,
                             unsigned size, uint64_t v)
{
    lin_write(c, seg_linear(c, seg, ea, size, true), size, v);
}

/* Effective address of the memory operand (address-size wrapped). */
static inline uint64_t insn_ea(const struct cpu *c, const struct insn *i)
{
    uint64_t ea = (uint64_t)(int64_t)i->disp;
    if (i->base == REG_RIP)
        ea += c->rip;              /* rip already points past the insn */
    else if (i->base != REG_NONE)
        ea += c->r[i->base];
    if (i->index != REG_NONE)
        ea += c->r[i->index] << i->scale;
    return ea & size_mask(i->asz);
}

/* The linear address of the memory operand, segment checks done. */
static inline uint64_t insn_la(struct cpu *c, const struct insn *i,
                               unsigned size, bool write)
{
    return seg_linear(c, i->seg, insn_ea(c, i), size, write);
}

/* The r/m operand (register or memory) of size i->opsz or given size. */
static inline uint64_t rm_read(struct cpu *c, const struct insn *i,
                               unsigned size)
{
    if (i->mod == 3)
        return reg_read(c, i->rm, size);
    return mem_read(c, i->seg, insn_ea(c, i), size);
}

static inline void rm_write(struct cpu *c, const struct insn *i,
                            unsigned size, uint64_t v)
{
    if (i->mod == 3)
        reg_write(c, i->rm, size, v);
    else
        mem_write(c, i->seg, insn_ea(c, i), size, v);
}

/* Stack. */
void push(struct cpu *c, unsigned size, uint64_t v);
uint64_t pop(struct cpu *c, unsigned size);
static inline unsigned stack_size(const struct cpu *c)
{
    return c->mode == MODE_LONG64 ? 8 : (c->seg[SEG_SS].attr & SEGA_DB) ? 4 : 2;
}

/* The stack in 64-bit mode (no SS checks, 8-byte rSP): what push/pop
 * do there, inline for the specialised forms. */
static inline void push64(struct cpu *c, uint64_t v)
{
    uint64_t sp = c->r[R_SP] - 8;
    lin_write(c, seg_linear(c, SEG_SS, sp, 8, true), 8, v);
    c->r[R_SP] = sp;
}

static inline uint64_t pop64(struct cpu *c)
{
    uint64_t sp = c->r[R_SP];
    uint64_t v = lin_read(c, seg_linear(c, SEG_SS, sp, 8, false), 8);
    c->r[R_SP] = sp + 8;
    return v;
}

/* A near branch to target in 64-bit mode with a 64-bit operand size. */
static inline void branch64(struct cpu *c, uint64_t target)
{
    if (unlikely(!is_canonical48(target)))
        raise_gp(c, 0);
    c->rip = target;
}

/* A branch that does not end its block (Jcc) was taken. */
static inline void branch_taken(struct cpu *c)
{
    c->priv->stop_block = BLOCK_BRANCHED;
}

/* Instruction pointer helpers. */
static inline uint64_t ip_mask(const struct cpu *c, unsigned opsz)
{
    return c->mode == MODE_LONG64 ? ~0ull : size_mask(opsz);
}
void branch_to(struct cpu *c, uint64_t target, unsigned opsz);

/* ---- system helpers (system.c, seg.c, except.c) ------------------------ */

void paging_ctx_fill(const struct cpu *c, struct paging_ctx *ctx);
void cpu_exception_event(struct cpu *c, unsigned vector, bool has_error,
                         uint32_t error, uint64_t cr2);
void cpu_event(struct cpu *c, const struct cpu_event *ev);
void cpuid_query(struct cpu *c, uint32_t leaf, uint32_t sub, uint32_t out[4]);
bool cpuid_has(unsigned feat);
bool cpu_io_allowed(struct cpu *c, uint16_t port, unsigned size);

/* ---- system architecture (seg.c, far.c, except.c, syscall.c, msr.c,
 *      io.c, debug.c, cpuid.c) -------------------------------------------- */

/* Vendor-specific behaviour, one table per vendor (cpuid.c).  The CPU
 * models AMD; a later issue may flip c->priv->model to another table. */
struct cpu_model {
    const char *vendor;          /* 12-byte CPUID vendor string */
    bool syscall_legacy;         /* SYSCALL/SYSRET outside long mode (AMD) */
    bool sysenter_long;          /* SYSENTER/SYSEXIT in long mode (Intel) */
    bool sysret_gp_noncanonical; /* Intel: #GP(0) at CPL 0 on non-canonical
                                    RCX; AMD: returns, then faults at CPL 3 */
    bool null_sel_clears_base;   /* 64-bit null FS/GS load zeroes the base */
};
extern const struct cpu_model cpu_model_amd, cpu_model_intel;
const struct cpu_model *cpu_model_of(const struct cpu *c);

/* Implicit supervisor accesses (GDT, LDT, IDT, TSS) and accesses at an
 * explicit privilege level (stack switches), by linear address. */
uint64_t sys_read(struct cpu *c, uint64_t la, unsigned size);
void sys_write(struct cpu *c, uint64_t la, unsigned size, uint64_t v);
uint64_t lin_read_pl(struct cpu *c, uint64_t la, unsigned size, unsigned pl);
void lin_write_pl(struct cpu *c, uint64_t la, unsigned size, uint64_t v,
                  unsigned pl);
/* Fault now (#PF) unless la..la+size-1 may be written at privilege pl. */
void lin_probe_write(struct cpu *c, uint64_t la, unsigned size, unsigned pl);

/* A segment or gate descriptor as read from a table (seg.c). */
struct desc {
    uint32_t lo, hi;       /* bytes 0..7 */
    uint32_t hi2, hi3;     /* bytes 8..15 of a 16-byte long-mode descriptor */
    uint64_t la;           /* where it lives */
};

static inline unsigned desc_type(const struct desc *d) { return (d->hi >> 8) & 0xf; }
static inline bool desc_s(const struct desc *d) { return (d->hi >> 12) & 1; }
static inline unsigned desc_dpl(const struct desc *d) { return (d->hi >> 13) & 3; }
static inline bool desc_p(const struct desc *d) { return (d->hi >> 15) & 1; }
static inline bool desc_is_code(const struct desc *d) { return desc_s(d) && (d->hi & 0x800); }
static inline bool desc_is_data(const struct desc *d) { return desc_s(d) && !(d->hi & 0x800); }
static inline bool desc_conforming(const struct desc *d) { return desc_is_code(d) && (d->hi & 0x400); }
static inline uint16_t desc_attr(const struct desc *d) { return (uint16_t)((d->hi >> 8) & 0xf0ff); }
uint64_t desc_base(const struct desc *d, bool wide);   /* wide: 16-byte */
uint32_t desc_limit(const struct desc *d);              /* byte-granular */
/* Gate fields: target selector, offset (64-bit gates use hi2), params. */
static inline uint16_t gate_sel(const struct desc *d) { return (uint16_t)(d->lo >> 16); }
uint64_t gate_offset(const struct desc *d, unsigned gate_bits);

/* Selector error code: index, TI (and EXT). */
static inline uint32_t sel_err(uint16_t sel) { return sel & 0xfffc; }
static inline bool sel_null(uint16_t sel) { return (sel & 0xfffc) == 0; }

/* Read the descriptor sel names (16 bytes when wide).  Returns false when
 * it lies outside its table (or the LDT is unusable). */
bool desc_read(struct cpu *c, uint16_t sel, bool wide, struct desc *d);
/* Same, raising vec(sel_err(sel) | ext) when outside. */
void desc_fetch(struct cpu *c, uint16_t sel, bool wide, struct desc *d,
                unsigned vec, unsigned ext);
void desc_set_accessed(struct cpu *c, struct desc *d);
/* Load a segment register's hidden part from a checked descriptor. */
void seg_load_desc(struct cpu *c, unsigned seg, uint16_t sel,
                   const struct desc *d);
void seg_load_null(struct cpu *c, unsigned seg, uint16_t sel);
/* MOV/POP/LDS... semantics in the current mode, with every check. */
void seg_load(struct cpu *c, unsigned seg, uint16_t sel);
/* Load SS for a privilege change to cpl (far CALL, interrupts, IRET...):
 * checks of the new SS, faulting vec(sel | ext). */
void ss_check(struct cpu *c, uint16_t sel, unsigned cpl, struct desc *d,
              unsigned vec, unsigned ext);
/* Returning to an outer ring: null ES/DS/FS/GS the new CPL may not use. */
void seg_invalidate_outer(struct cpu *c);

/* A stack being built or unwound before it is committed (far.c). */
struct stk {
    uint64_t base, sp, mask;   /* SS base, stack pointer, width mask */
    uint32_t limit;
    uint16_t attr;
    bool flat;                 /* 64-bit mode: no limit checks */
    unsigned pl;               /* privilege of the accesses */
    unsigned vec;              /* fault on a limit violation... */
    uint32_t err;              /* ...with this error code */
};
void stk_current(struct cpu *c, struct stk *s);
void stk_push(struct cpu *c, struct stk *s, unsigned size, uint64_t v);
uint64_t stk_pop(struct cpu *c, struct stk *s, unsigned size);
uint64_t stk_peek(struct cpu *c, const struct stk *s, uint64_t off,
                  unsigned size);
/* Store s->sp into RSP with the stack's width. */
void stk_commit_sp(struct cpu *c, const struct stk *s);

/* Far control transfers (far.c). */
void far_jump(struct cpu *c, uint16_t sel, uint64_t off, unsigned opsz);
void far_call(struct cpu *c, uint16_t sel, uint64_t off, unsigned opsz);
void far_ret(struct cpu *c, unsigned opsz, unsigned imm);
void do_iret(struct cpu *c, unsigned opsz);
uint64_t flags_from_pop(struct cpu *c, uint64_t cur, uint64_t v,
                        unsigned opsz, bool iret);
void tss_stack_legacy(struct cpu *c, unsigned pl, unsigned ext,
                      uint16_t *ss, uint64_t *sp);
uint64_t tss_rsp64(struct cpu *c, unsigned n, bool ist, unsigned ext);

/* Hardware task switches (task.c). */
void task_switch_far(struct cpu *c, uint16_t sel, const struct desc *d,
                     bool call);
void task_return(struct cpu *c);
void task_gate_event(struct cpu *c, const struct desc *gate,
                     const struct cpu_event *ev, unsigned ext);

/* Events (except.c). */
enum { SRC_HW, SRC_SOFT, SRC_ICEBP };
void cpu_event_src(struct cpu *c, const struct cpu_event *ev, unsigned src);
/* Raise a software interrupt (INT n, INT3, INTO, INT1) from its handler. */
void soft_interrupt(struct cpu *c, const struct insn *i, unsigned vector,
                    unsigned src);

/* SYSCALL/SYSENTER entry once their exit was declined (syscall.c). */
void syscall_enter(struct cpu *c);
void sysenter_enter(struct cpu *c);

/* Handlers whose mechanisms live outside ops-system.c (syscall.c, io.c). */
void op_syscall(struct cpu *c, const struct insn *i);
void op_sysret(struct cpu *c, const struct insn *i);
void op_sysenter(struct cpu *c, const struct insn *i);
void op_sysexit(struct cpu *c, const struct insn *i);
void op_in(struct cpu *c, const struct insn *i);
void op_out(struct cpu *c, const struct insn *i);
void op_ins(struct cpu *c, const struct insn *i);
void op_outs(struct cpu *c, const struct insn *i);

/* MSRs (msr.c). */
bool msr_read(struct cpu *c, uint32_t msr, uint64_t *v);
bool msr_write(struct cpu *c, uint32_t msr, uint64_t v);

/* CR4 bits this CPU model accepts (cpuid.c). */
uint64_t cpuid_cr4_valid(void);

/* Debug registers (debug.c). */
void debug_before_insn(struct cpu *c);
void debug_after_insn(struct cpu *c, bool tf);
void debug_data_access(struct cpu *c, uint64_t la, unsigned size,
                       bool write);
void debug_io_access(struct cpu *c, uint16_t port, unsigned size);
void debug_update(struct cpu *c);      /* after a DR7/CR4 change */
void debug_reg_store(struct cpu *c, unsigned n, uint64_t v);
#define DR6_BD (1ull << 13)
#define DR6_BS (1ull << 14)
#define DR7_GD (1ull << 13)

/* The debugger interface (debugger.c; hooks in cpu.h). */
bool dbg_code_page(struct cpu *c, uint64_t la, uint64_t pa);
bool dbg_before_insn(struct cpu *c);       /* true: do not execute */
void dbg_data_access(struct cpu *c, uint64_t la, uint64_t pa, unsigned size,
                     bool write);
void dbg_cr3_written(struct cpu *c, uint64_t old);
void dbg_cpl_changed(struct cpu *c, unsigned old);

/* Block cache (block.c). */
int block_cache_init(struct cpu *c);
void block_cache_destroy(struct cpu *c);
void block_cache_flush(struct cpu *c);
void block_cache_invalidate_pfn(struct cpu *c, uint64_t pfn);

#endif
