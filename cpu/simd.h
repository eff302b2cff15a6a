/*
 * Private to cpu/: the plumbing every MMX/SSE family (ops-mmx.c,
 * ops-sse-*.c) shares.  Availability checks in their architectural order,
 * the MMX state transition, MMX and XMM register access, memory operands
 * of 1 to 16 bytes with the legacy-SSE alignment rule, vector lanes, and
 * the generic "destination = f(destination, source)" instruction whose
 * operation comes from a family's table (struct vop).
 *
 * A vector value is a struct xmmreg (two 64-bit halves, low first; an MMX
 * value uses q[0] only).  Lanes are taken out with shifts, so everything
 * is the same on little- and big-endian hosts.
 */
#ifndef XENEMU_CPU_SIMD_H
#define XENEMU_CPU_SIMD_H

#include "cpu/cpu-priv.h"
#include "cpu/x87.h"

#define FSW_TOP  (7u << FSW_TOP_SHIFT)
#define MXCSR_RESET 0x1f80u
#define MXCSR_MM   (1u << 17)      /* AMD misaligned SSE mode (MisAlignSse) */
/* The MXCSR bits that may be set: flags, DAZ, masks, RC, FZ and MM; FXSAVE
 * stores this as MXCSR_MASK. */
#define MXCSR_MASK (0xffffu | MXCSR_MM)

/* ---- availability -------------------------------------------------------- */

/* SSE-class instructions (XMM registers, MXCSR): CR0.EM or CR4.OSFXSR clear
 * -> #UD, CR0.TS -> #NM. */
void simd_avail_sse(struct cpu *c);
/* MMX-class instructions (MMX registers, EMMS): CR0.EM -> #UD, CR0.TS ->
 * #NM.  A pending x87 exception (#MF) comes later, in mmx_commit. */
void simd_avail_mmx(struct cpu *c);
/* Instructions on both register files (MOVQ2DQ, MOVDQ2Q): the SSE checks,
 * then #MF. */
void simd_avail_mix(struct cpu *c);
/* #MF when an unmasked x87 exception is pending (CR0.NE set). */
void simd_x87_pending(struct cpu *c);

/* An MMX instruction (not EMMS) that has done every access that can fault
 * commits: a pending x87 exception is #MF now (after memory faults, as on
 * AMD), else TOP = 0 and every tag becomes valid.  A store checks its
 * destination before committing. */
static inline void mmx_commit(struct cpu *c)
{
    simd_x87_pending(c);
    c->fpu.fsw &= (uint16_t)~FSW_TOP;
    c->fpu.ftw = 0;
}

/* ---- registers ----------------------------------------------------------- */

/* MMX register n (ModRM fields: REX extensions are ignored). */
static inline uint64_t mmx_get(const struct cpu *c, unsigned n)
{
    return c->fpu.st[n & 7].mant;
}

/* Writing an MMX register sets bits 64..79 of the x87 register to ones. */
static inline void mmx_set(struct cpu *c, unsigned n, uint64_t v)
{
    c->fpu.st[n & 7].mant = v;
    c->fpu.st[n & 7].se = 0xffff;
}

static inline struct xmmreg *xmm(struct cpu *c, unsigned n)
{
    return &c->fpu.xmm[n & 15];
}

/* ---- lanes --------------------------------------------------------------- */

/* Lane k of width bits (8, 16, 32, 64) of v, zero-extended. */
static inline uint64_t lane(const struct xmmreg *v, unsigned bits, unsigned k)
{
    unsigned b = k * bits;
    uint64_t x = v->q[b >> 6] >> (b & 63);
    return bits == 64 ? x : x & ((1ull << bits) - 1);
}

static inline int64_t lane_s(const struct xmmreg *v, unsigned bits,
                             unsigned k)
{
    return sext(lane(v, bits, k), bits / 8);
}

static inline void lane_set(struct xmmreg *v, unsigned bits, unsigned k,
                            uint64_t x)
{
    unsigned b = k * bits;
    uint64_t m = bits == 64 ? ~0ull : (1ull << bits) - 1;
    v->q[b >> 6] = (v->q[b >> 6] & ~(m << (b & 63))) | (x & m) << (b & 63);
}

/* Saturation of a signed value to a signed or unsigned lane of bits. */
static inline uint64_t sat_s(int64_t x, unsigned bits)
{
    int64_t hi = (int64_t)((1ull << (bits - 1)) - 1), lo = -hi - 1;
    return (uint64_t)(x > hi ? hi : x < lo ? lo : x);
}

static inline uint64_t sat_u(int64_t x, unsigned bits)
{
    int64_t hi = (int64_t)((1ull << bits) - 1);
    return (uint64_t)(x > hi ? hi : x < 0 ? 0 : x);
}

/* ---- memory operands ----------------------------------------------------- */

/* The linear address of the instruction's memory operand for a size-byte
 * access, segment checks done; #GP(0) unless it is a multiple of align
 * (0 or 1: any).  Legacy SSE 16-byte operands pass align 16. */
uint64_t simd_la(struct cpu *c, const struct insn *i, unsigned size,
                 bool write, unsigned align);
/* la + off in the linear address space of the mode (32 bits wide outside
 * 64-bit mode). */
static inline uint64_t simd_la_add(const struct cpu *c, uint64_t la,
                                   unsigned off)
{
    la += off;
    return c->mode == MODE_LONG64 ? la : la & 0xffffffffull;
}

/* size (1, 2, 4, 8, 16) bytes at la into *v, zero-extended. */
void simd_load(struct cpu *c, uint64_t la, unsigned size, struct xmmreg *v);
/* The low size bytes of *v to la; both pages are checked before anything
 * is written. */
void simd_store(struct cpu *c, uint64_t la, unsigned size,
                const struct xmmreg *v);

/* The alignment rule of a memory operand: none; legacy SSE (a multiple of
 * its size, unless AMD's misaligned SSE mode MXCSR.MM is on); always (the
 * explicitly aligned moves MOVAPS/MOVAPD/MOVDQA and MOVNT*, as measured
 * on AMD). */
enum { ALIGN_NONE, ALIGN_SSE, ALIGN_ALWAYS };

/* The r/m operand of an XMM instruction: register rm whole, or size bytes
 * of memory zero-extended, aligned by rule align. */
void xmm_rm_read(struct cpu *c, const struct insn *i, unsigned size,
                 unsigned align, struct xmmreg *v);
/* Store to the r/m operand: the low size bytes to memory, or the whole
 * register rm. */
void xmm_rm_write(struct cpu *c, const struct insn *i, unsigned size,
                  unsigned align, const struct xmmreg *v);
/* The r/m operand of an MMX instruction: register rm, or size bytes. */
uint64_t mmx_rm_read(struct cpu *c, const struct insn *i, unsigned size);

/* A general-register or memory operand of size bytes (PINSR*, PEXTR*,
 * MOVD...): rm_read/rm_write without the operand-size rules. */
uint64_t simd_gpr_rm_read(struct cpu *c, const struct insn *i, unsigned size);
void simd_gpr_rm_write(struct cpu *c, const struct insn *i, unsigned size,
                       uint64_t v);

/* Fault now unless all size bytes at la (up to two pages) may be read or
 * written, checking (and reporting in a #PF) the last byte before the
 * first when last_first: the order in which AMD touches the FXSAVE and
 * XSAVE areas differs by instruction. */
void simd_probe(struct cpu *c, uint64_t la, unsigned size, bool write,
                bool last_first);

/* The linear address of a size-byte store to the memory operand, checked
 * for writing (so that nothing can fault once the instruction commits). */
uint64_t simd_store_la(struct cpu *c, const struct insn *i, unsigned size);

/* MASKMOVQ/MASKMOVDQU store the n bytes of data whose mask byte has its
 * top bit set to DS:rDI (segment override allowed).  As on AMD all n
 * bytes are checked for writing, whatever the mask (maskmov_la), before
 * any is stored (maskmov_store). */
uint64_t maskmov_la(struct cpu *c, const struct insn *i, unsigned n);
void maskmov_store(struct cpu *c, uint64_t la, const struct xmmreg *data,
                   const struct xmmreg *mask, unsigned n);

/* ---- "dst = f(dst, src)" instructions ------------------------------------ */

/* The operation: d (the ModRM.reg register, read) becomes the result; s is
 * the r/m operand; nq = 1 for MMX, 2 for XMM; imm = the imm8 or 0. */
typedef void (*vec_fn)(struct cpu *c, struct xmmreg *d,
                       const struct xmmreg *s, unsigned nq, unsigned imm);

/* An operation and the shape of its memory operand. */
struct vop {
    vec_fn fn;
    uint8_t mm_size;    /* MMX form: bytes read (0: 8) */
    uint8_t xmm_size;   /* XMM form: bytes read (0: 16, aligned) */
    bool unaligned;     /* a 16-byte XMM operand need not be aligned */
};

/* A vop whose memory operand is the whole register: 8 bytes, or 16
 * aligned. */
#define VOP(fn) { fn, 0, 0, false }

/* Run op on MMX registers (MMX checks and state transition) or on XMM
 * registers (SSE checks).  A family's handler is one line: its table
 * indexed by i->arg. */
void simd_op_mmx(struct cpu *c, const struct insn *i, const struct vop *op);
void simd_op_xmm(struct cpu *c, const struct insn *i, const struct vop *op);

/* ---- the FXSAVE/XSAVE legacy region (ops-sse-state.c) -------------------- */

/* The 512-byte image, built in a host buffer at its guest offsets. */
#define FX_SIZE      512
#define FX_MXCSR     24           /* MXCSR, then MXCSR_MASK */
#define FX_ST        32           /* ST0..ST7, 16 bytes each */
#define FX_XMM       160          /* XMM0..XMM15, 16 bytes each */

/* XMM registers a save area covers: 16 in 64-bit mode, 8 elsewhere. */
static inline unsigned simd_nxmm(const struct cpu *c)
{
    return c->mode == MODE_LONG64 ? 16 : 8;
}

/* The x87 part (bytes 0..23 and 32..159); w64: the REX.W layout with
 * 64-bit FIP/FDP and no selectors. */
void fx_put_x87(const struct cpu *c, uint8_t *img, bool w64);
void fx_get_x87(struct cpu *c, const uint8_t *img, bool w64);
/* MXCSR and MXCSR_MASK; the first n XMM registers. */
void fx_put_mxcsr(const struct cpu *c, uint8_t *img);
void fx_put_xmm(const struct cpu *c, uint8_t *img, unsigned n);
void fx_get_xmm(struct cpu *c, const uint8_t *img, unsigned n);
/* Copy bytes off..off+len-1 (multiples of 8) between the image and the
 * guest area at la (in 8-byte accesses). */
void simd_area_read(struct cpu *c, uint64_t la, uint8_t *img, unsigned off,
                    unsigned len);
void simd_area_write(struct cpu *c, uint64_t la, const uint8_t *img,
                     unsigned off, unsigned len);

/* ---- table rows ---------------------------------------------------------- */

/* A ModRM row of map 0F/0F38/0F3A for a mandatory-prefix form. */
#define SIMD_ROW(map, op, pfx, ext, mod, fl, arg, feat, fn, nm) \
    { map, op, 1, pfx, ext, mod, -1, F_MODRM | (fl), arg, feat, fn, nm }

#endif
