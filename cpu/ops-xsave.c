/*
 * The XSAVE feature set for the state components the model has, x87 (0)
 * and SSE (1), both in the legacy region: XSAVE, XSAVEOPT, XSAVEC (the
 * compacted format), XRSTOR (standard and compacted forms), XGETBV (XCR0
 * and, with ECX = 1, XINUSE) and XSETBV.
 *
 * XINUSE is exact: a component is in use unless it holds its initial
 * configuration (SDM vol. 1 13.6), so the init optimisation is
 * deterministic.  XSAVEOPT uses the init optimisation only, never the
 * "modified" one (which the SDM leaves optional).
 */
#include <string.h>
#include "cpu/simd.h"

#define XS_X87   (1ull << 0)
#define XS_SSE   (1ull << 1)
#define XS_AVX   (1ull << 2)
#define XS_SUPPORTED (XS_X87 | XS_SSE)
#define XCOMP_COMPACT (1ull << 63)
#define XS_HEADER 512             /* XSTATE_BV, XCOMP_BV, reserved */
#define XS_AREA   576

static void xsave_avail(struct cpu *c)
{
    if (!(c->cr4 & CR4_OSXSAVE))
        raise_ud(c);
    if (c->cr0 & CR0_TS)
        cpu_raise(c, EXC_NM, false, 0);
}

static bool x87_is_init(const struct fpu *f)
{
    if (f->fcw != 0x037f || f->fsw || f->ftw != 0xffff || f->fop ||
        f->fip || f->fdp || f->fcs || f->fds)
        return false;
    for (unsigned k = 0; k < 8; k++)
        if (f->st[k].mant || f->st[k].se)
            return false;
    return true;
}

/* SSE state is initial when the XMM registers of the mode are zero
 * (MXCSR does not count). */
static bool sse_is_init(const struct cpu *c)
{
    for (unsigned k = 0; k < simd_nxmm(c); k++)
        if (c->fpu.xmm[k].q[0] | c->fpu.xmm[k].q[1])
            return false;
    return true;
}

static uint64_t xinuse(const struct cpu *c)
{
    return (x87_is_init(&c->fpu) ? 0 : XS_X87) |
           (sse_is_init(c) ? 0 : XS_SSE);
}

/* The x87 component's initial configuration: FNINIT's state with the
 * registers zeroed. */
static void x87_init_state(struct cpu *c)
{
    x87_init(c);
    memset(c->fpu.st, 0, sizeof(c->fpu.st));
}

static uint64_t edx_eax(const struct cpu *c)
{
    return (uint32_t)c->r[R_AX] | (uint64_t)(uint32_t)c->r[R_DX] << 32;
}

/* ---- XSAVE, XSAVEOPT, XSAVEC --------------------------------------------- */

enum { XSAVE, XSAVEOPT, XSAVEC };

static void op_xsave(struct cpu *c, const struct insn *i)
{
    uint64_t rfbm = c->xcr0 & edx_eax(c), inuse, save, bv;
    bool w64 = i->pfx & PFX_REXW, compact = i->arg == XSAVEC;
    unsigned hdr_len = compact ? 16 : 8, nx = simd_nxmm(c);
    uint8_t img[XS_AREA];
    uint64_t la;

    xsave_avail(c);
    la = simd_la(c, i, XS_AREA, true, 64);
    inuse = xinuse(c);
    save = i->arg == XSAVE ? rfbm : rfbm & inuse;
    if (compact && (rfbm & XS_SSE) && c->fpu.mxcsr != MXCSR_RESET)
        save |= XS_SSE;                  /* XSAVEC: MXCSR makes SSE in use */
    /* As on AMD, the whole area must be writable whatever is saved (its
     * first byte checked first, then its last). */
    simd_probe(c, la, XS_AREA, true, false);
    memset(img, 0, sizeof(img));
    if (compact) {
        bv = save;
        le64_store(img + XS_HEADER + 8, rfbm | XCOMP_COMPACT);
    } else {
        bv = lin_read(c, simd_la_add(c, la, XS_HEADER), 8);
        bv = (bv & ~rfbm) | (rfbm & inuse);
    }
    le64_store(img + XS_HEADER, bv);

    if (save & XS_X87) {
        fx_put_x87(c, img, w64);
        simd_area_write(c, la, img, 0, FX_MXCSR);
        simd_area_write(c, la, img, FX_ST, FX_XMM - FX_ST);
    }
    /* Standard form: MXCSR goes with RFBM[1] (or [2]) whatever XINUSE;
     * compacted: with the rest of the SSE state. */
    if (compact ? (save & XS_SSE) : (rfbm & (XS_SSE | XS_AVX))) {
        fx_put_mxcsr(c, img);
        simd_area_write(c, la, img, FX_MXCSR, 8);
    }
    if (save & XS_SSE) {
        fx_put_xmm(c, img, nx);
        simd_area_write(c, la, img, FX_XMM, 16 * nx);
    }
    simd_area_write(c, la, img, XS_HEADER, hdr_len);
}

/* ---- XRSTOR -------------------------------------------------------------- */

/* The header a form accepts (SDM vol. 1 13.8.1): standard form, XSTATE_BV
 * within XCR0 and bytes 8..23 zero; compacted form, XCOMP_BV within XCR0,
 * XSTATE_BV within XCOMP_BV and bytes 16..63 zero. */
static bool xrstor_header_ok(const uint8_t *hdr, uint64_t xcr0)
{
    uint64_t bv = le64_load(hdr), comp = le64_load(hdr + 8);
    bool compact = comp & XCOMP_COMPACT;
    unsigned from = compact ? 16 : 8, to = compact ? 64 : 24;

    if (compact && ((comp & ~XCOMP_COMPACT & ~xcr0) ||
                    (bv & ~(comp & ~XCOMP_COMPACT))))
        return false;
    if (!compact && (bv & ~xcr0))
        return false;
    for (unsigned k = from; k < to; k++)
        if (hdr[k])
            return false;
    return true;
}

static void op_xrstor(struct cpu *c, const struct insn *i)
{
    uint64_t rfbm = c->xcr0 & edx_eax(c), bv;
    bool w64 = i->pfx & PFX_REXW, compact, load_mxcsr;
    unsigned nx = simd_nxmm(c);
    uint8_t img[XS_AREA];
    uint32_t mxcsr = MXCSR_RESET;

    xsave_avail(c);
    /* As on AMD, the whole area is read, in order, whatever is loaded. */
    simd_area_read(c, simd_la(c, i, XS_AREA, false, 64), img, 0, XS_AREA);
    if (!xrstor_header_ok(img + XS_HEADER, c->xcr0))
        raise_gp(c, 0);
    bv = le64_load(img + XS_HEADER);
    compact = le64_load(img + XS_HEADER + 8) & XCOMP_COMPACT;

    /* The standard form loads MXCSR with RFBM[1] (or [2]) whatever
     * XSTATE_BV; the compacted form only with the SSE state, else it
     * gets its reset value. */
    load_mxcsr = compact ? (rfbm & bv & XS_SSE)
                         : (rfbm & (XS_SSE | XS_AVX));
    if (load_mxcsr) {
        mxcsr = le32_load(img + FX_MXCSR);
        if (mxcsr & ~MXCSR_MASK)
            raise_gp(c, 0);
    }

    if (rfbm & XS_X87) {
        if (bv & XS_X87)
            fx_get_x87(c, img, w64);
        else
            x87_init_state(c);
    }
    if (rfbm & XS_SSE) {
        if (bv & XS_SSE)
            fx_get_xmm(c, img, nx);
        else
            memset(c->fpu.xmm, 0, nx * sizeof(c->fpu.xmm[0]));
        if (compact)
            c->fpu.mxcsr = mxcsr;
    }
    if (!compact && load_mxcsr)
        c->fpu.mxcsr = mxcsr;
}

/* ---- XGETBV / XSETBV ----------------------------------------------------- */

static void op_xgetbv(struct cpu *c, const struct insn *i)
{
    uint64_t v;

    (void)i;
    if (!(c->cr4 & CR4_OSXSAVE))
        raise_ud(c);
    switch ((uint32_t)c->r[R_CX]) {
    case 0: v = c->xcr0; break;
    case 1: v = c->xcr0 & xinuse(c); break;
    default: raise_gp(c, 0);
    }
    c->r[R_AX] = (uint32_t)v;
    c->r[R_DX] = (uint32_t)(v >> 32);
}

/* XCR0: x87 always on, only supported components, AVX only with SSE. */
static void op_xsetbv(struct cpu *c, const struct insn *i)
{
    uint64_t v = edx_eax(c);

    (void)i;
    if (!(c->cr4 & CR4_OSXSAVE))
        raise_ud(c);
    if (c->cpl != 0 || (uint32_t)c->r[R_CX] != 0 || !(v & XS_X87) ||
        (v & ~XS_SUPPORTED))
        raise_gp(c, 0);
    c->xcr0 = v;
}

#define ROW(op, ext, arg, feat, fn, nm)                                     \
    SIMD_ROW(MAP_0F, op, P_NP, ext, M_MEM, 0, arg, feat, fn, nm)

static const struct opdef defs[] = {
    ROW(0xae, 4, XSAVE, FEAT_XSAVE, op_xsave, "xsave"),
    ROW(0xae, 5, 0, FEAT_XSAVE, op_xrstor, "xrstor"),
    ROW(0xae, 6, XSAVEOPT, FEAT_XSAVEOPT, op_xsave, "xsaveopt"),
    ROW(0xc7, 4, XSAVEC, FEAT_XSAVEC, op_xsave, "xsavec"),
    { MAP_0F, 0x01, 1, P_NP, -1, M_REG, 0xd0, F_MODRM, 0, FEAT_XSAVE,
      op_xgetbv, "xgetbv" },
    { MAP_0F, 0x01, 1, P_NP, -1, M_REG, 0xd1, F_MODRM | F_PRIV, 0,
      FEAT_XSAVE, op_xsetbv, "xsetbv" },
};
OPTABLE(optable_xsave, defs);
