/*
 * MXCSR and the FXSAVE image: LDMXCSR, STMXCSR, FXSAVE, FXRSTOR (32-bit
 * and REX.W 64-bit layouts), and the legacy-region helpers XSAVE and
 * XRSTOR share (simd.h).
 *
 * As on AMD: with CR4.OSFXSR clear, FXSAVE/FXRSTOR leave MXCSR and the
 * XMM registers out; FXSAVE and XSAVE store the x87 error pointers (FOP,
 * FIP, FDP and their selectors) only while an exception is pending
 * (FSW.ES), zeros otherwise (measured on an AMD EPYC host).
 */
#include <string.h>
#include "cpu/simd.h"

/* The abridged tag word: bit i set when physical register i is not
 * empty. */
static uint8_t abridged_tags(uint16_t ftw)
{
    uint8_t t = 0;

    for (unsigned k = 0; k < 8; k++)
        if (((ftw >> (2 * k)) & 3) != TAG_EMPTY)
            t |= (uint8_t)(1u << k);
    return t;
}

void fx_put_x87(const struct cpu *c, uint8_t *img, bool w64)
{
    const struct fpu *f = &c->fpu;
    unsigned top = x87_top(c);
    bool ptrs = f->fsw & FSW_ES;

    le16_store(img + 0, f->fcw);
    le16_store(img + 2, f->fsw);
    img[4] = abridged_tags(f->ftw);
    img[5] = 0;
    le16_store(img + 6, ptrs ? f->fop & 0x7ff : 0);
    if (w64) {
        le64_store(img + 8, ptrs ? f->fip : 0);
        le64_store(img + 16, ptrs ? f->fdp : 0);
    } else {
        le32_store(img + 8, ptrs ? (uint32_t)f->fip : 0);
        le32_store(img + 12, ptrs ? f->fcs : 0);
        le32_store(img + 16, ptrs ? (uint32_t)f->fdp : 0);
        le32_store(img + 20, ptrs ? f->fds : 0);
    }
    for (unsigned k = 0; k < 8; k++) {
        const struct x87reg *r = &f->st[(top + k) & 7];
        uint8_t *p = img + FX_ST + 16 * k;
        le64_store(p, r->mant);
        le16_store(p + 8, r->se);
        memset(p + 10, 0, 6);
    }
}

void fx_get_x87(struct cpu *c, const uint8_t *img, bool w64)
{
    struct fpu *f = &c->fpu;
    uint8_t tags = img[4];
    unsigned top;

    f->fcw = le16_load(img + 0);
    f->fsw = le16_load(img + 2);
    f->fop = le16_load(img + 6) & 0x7ff;
    if (w64) {
        f->fip = le64_load(img + 8);
        f->fdp = le64_load(img + 16);
        f->fcs = f->fds = 0;
    } else {
        f->fip = le32_load(img + 8);
        f->fcs = le16_load(img + 12);
        f->fdp = le32_load(img + 16);
        f->fds = le16_load(img + 20);
    }
    top = x87_top(c);
    for (unsigned k = 0; k < 8; k++) {
        struct x87reg *r = &f->st[(top + k) & 7];
        const uint8_t *p = img + FX_ST + 16 * k;
        r->mant = le64_load(p);
        r->se = le16_load(p + 8);
    }
    f->ftw = 0;
    for (unsigned k = 0; k < 8; k++) {
        unsigned t = ((tags >> k) & 1)
                     ? x87_tag_of(fx80_make(f->st[k].se, f->st[k].mant))
                     : TAG_EMPTY;
        f->ftw |= (uint16_t)(t << (2 * k));
    }
}

void fx_put_mxcsr(const struct cpu *c, uint8_t *img)
{
    le32_store(img + FX_MXCSR, c->fpu.mxcsr);
    le32_store(img + FX_MXCSR + 4, MXCSR_MASK);
}

void fx_put_xmm(const struct cpu *c, uint8_t *img, unsigned n)
{
    for (unsigned k = 0; k < n; k++) {
        le64_store(img + FX_XMM + 16 * k, c->fpu.xmm[k].q[0]);
        le64_store(img + FX_XMM + 16 * k + 8, c->fpu.xmm[k].q[1]);
    }
}

void fx_get_xmm(struct cpu *c, const uint8_t *img, unsigned n)
{
    for (unsigned k = 0; k < n; k++) {
        c->fpu.xmm[k].q[0] = le64_load(img + FX_XMM + 16 * k);
        c->fpu.xmm[k].q[1] = le64_load(img + FX_XMM + 16 * k + 8);
    }
}

void simd_area_read(struct cpu *c, uint64_t la, uint8_t *img, unsigned off,
                    unsigned len)
{
    for (unsigned k = off; k < off + len; k += 8)
        le64_store(img + k, lin_read(c, simd_la_add(c, la, k), 8));
}

void simd_area_write(struct cpu *c, uint64_t la, const uint8_t *img,
                     unsigned off, unsigned len)
{
    for (unsigned k = off; k < off + len; k += 8)
        lin_write(c, simd_la_add(c, la, k), 8, le64_load(img + k));
}

bool cpu_fx_load(struct cpu *c, const uint8_t *img, bool w64)
{
    uint32_t mxcsr = le32_load(img + FX_MXCSR);

    if (mxcsr & ~MXCSR_MASK)
        return false;
    fx_get_x87(c, img, w64);
    c->fpu.mxcsr = mxcsr;
    fx_get_xmm(c, img, 16);
    return true;
}

uint32_t cpu_mxcsr_mask(void)
{
    return MXCSR_MASK;
}

/* ---- LDMXCSR / STMXCSR --------------------------------------------------- */

static void op_ldmxcsr(struct cpu *c, const struct insn *i)
{
    uint32_t v;

    simd_avail_sse(c);
    v = (uint32_t)lin_read(c, simd_la(c, i, 4, false, 0), 4);
    if (v & ~MXCSR_MASK)
        raise_gp(c, 0);
    c->fpu.mxcsr = v;
}

static void op_stmxcsr(struct cpu *c, const struct insn *i)
{
    simd_avail_sse(c);
    lin_write(c, simd_la(c, i, 4, true, 0), 4, c->fpu.mxcsr);
}

/* ---- FXSAVE / FXRSTOR ---------------------------------------------------- */

/* Like a non-waiting x87 instruction: CR0.EM or CR0.TS -> #NM. */
static void fx_avail(struct cpu *c)
{
    x87_check(c, false);
}

/* The bytes FXSAVE writes: the x87 part, and with CR4.OSFXSR MXCSR and
 * the XMM registers of the mode.  Like AMD, FXSAVE and FXRSTOR fault on
 * any page of the 512-byte area, used or not. */
static void op_fxsave(struct cpu *c, const struct insn *i)
{
    bool w64 = i->pfx & PFX_REXW;
    uint8_t img[FX_SIZE];
    uint64_t la;

    fx_avail(c);
    la = simd_la(c, i, FX_SIZE, true, 16);
    simd_probe(c, la, FX_SIZE, true, true);
    memset(img, 0, sizeof(img));
    fx_put_x87(c, img, w64);
    simd_area_write(c, la, img, 0, FX_MXCSR);
    simd_area_write(c, la, img, FX_ST, FX_XMM - FX_ST);
    if (c->cr4 & CR4_OSFXSR) {
        fx_put_mxcsr(c, img);
        fx_put_xmm(c, img, simd_nxmm(c));
        simd_area_write(c, la, img, FX_MXCSR, 8);
        simd_area_write(c, la, img, FX_XMM, 16 * simd_nxmm(c));
    }
}

static void op_fxrstor(struct cpu *c, const struct insn *i)
{
    bool w64 = i->pfx & PFX_REXW, sse = c->cr4 & CR4_OSFXSR;
    uint8_t img[FX_SIZE];
    uint32_t mxcsr;
    uint64_t la;

    fx_avail(c);
    la = simd_la(c, i, FX_SIZE, false, 16);
    simd_probe(c, la, FX_SIZE, false, true);
    simd_area_read(c, la, img, 0, FX_SIZE);
    mxcsr = le32_load(img + FX_MXCSR);
    if (sse && (mxcsr & ~MXCSR_MASK))
        raise_gp(c, 0);
    fx_get_x87(c, img, w64);
    if (sse) {
        c->fpu.mxcsr = mxcsr;
        fx_get_xmm(c, img, simd_nxmm(c));
    }
}

#define ROW(ext, arg, feat, fn, nm)                                         \
    SIMD_ROW(MAP_0F, 0xae, P_NP, ext, M_MEM, 0, arg, feat, fn, nm)

static const struct opdef defs[] = {
    ROW(0, 0, FEAT_FXSR, op_fxsave, "fxsave"),
    ROW(1, 0, FEAT_FXSR, op_fxrstor, "fxrstor"),
    ROW(2, 0, FEAT_SSE, op_ldmxcsr, "ldmxcsr"),
    ROW(3, 0, FEAT_SSE, op_stmxcsr, "stmxcsr"),
};
OPTABLE(optable_sse_state, defs);
