/*
 * The MMX/SSE forms (FO_FPU: the x87/SSE state goes in random and is
 * compared out): every non-floating-point MMX, SSE..SSE4.2, AES-NI and
 * PCLMULQDQ instruction, CRC32, the MXCSR and FXSAVE/XSAVE state
 * instructions, and encodings that must be #UD.  Templates use the syntax
 * of forms.c; the encodings come from the SDM opcode tables.
 */
#include <stdio.h>
#include "cpu-diff.h"

#define FPU   FO_FPU
#define MMX   (FO_FPU | FO_MMX | FO_SIMD)
#define XMM   (FO_FPU | FO_SIMD)
#define XMMA  (FO_FPU | FO_SIMD | FO_ALIGN16)

static void add(const char *group, const char *name, const char *enc,
                const char *rm, unsigned kind, unsigned immk, uint32_t flags,
                uint32_t feature)
{
    cd_form_add(group, name, enc, rm, kind, immk, flags, feature);
}

/* One operation in its MMX form (no prefix, m64) and XMM form (66, m128
 * aligned); fmm 0 = MMX only, ~0u = no MMX form. */
struct mx {
    const char *name, *op;           /* opcode bytes after 0F */
    uint32_t fmm, fx;
    unsigned kind, imm;              /* immediate: 0 none, 1 ib */
};

#define NO_MMX (~0u)

static void mx_pair(const char *group, const struct mx *o)
{
    char name[64], enc[64];
    const char *ib = o->imm ? " ib" : "";

    if (o->fmm != NO_MMX) {
        snprintf(name, sizeof(name), "%s mm,mm/m64", o->name);
        snprintf(enc, sizeof(enc), "0F %s /r%s m8", o->op, ib);
        add(group, name, enc, "rm", o->kind, 0, MMX, o->fmm);
    }
    snprintf(name, sizeof(name), "%s xmm,xmm/m128", o->name);
    snprintf(enc, sizeof(enc), "66 0F %s /r%s m16", o->op, ib);
    add(group, name, enc, "rm", o->kind, 0, XMMA, o->fx);
}

static const struct mx int_ops[] = {
    { "paddb", "FC", 0, 0, 0, 0 }, { "paddw", "FD", 0, 0, 0, 0 }, { "paddd", "FE", 0, 0, 0, 0 },
    { "paddq", "D4", 0, 0, 0, 0 }, { "psubb", "F8", 0, 0, 0, 0 }, { "psubw", "F9", 0, 0, 0, 0 },
    { "psubd", "FA", 0, 0, 0, 0 }, { "psubq", "FB", 0, 0, 0, 0 },
    { "paddsb", "EC", 0, 0, 0, 0 }, { "paddsw", "ED", 0, 0, 0, 0 },
    { "paddusb", "DC", 0, 0, 0, 0 }, { "paddusw", "DD", 0, 0, 0, 0 },
    { "psubsb", "E8", 0, 0, 0, 0 }, { "psubsw", "E9", 0, 0, 0, 0 },
    { "psubusb", "D8", 0, 0, 0, 0 }, { "psubusw", "D9", 0, 0, 0, 0 },
    { "pmullw", "D5", 0, 0, 0, 0 }, { "pmulhw", "E5", 0, 0, 0, 0 },
    { "pmulhuw", "E4", 0, 0, 0, 0 }, { "pmuludq", "F4", 0, 0, 0, 0 },
    { "pmaddwd", "F5", 0, 0, 0, 0 }, { "pavgb", "E0", 0, 0, 0, 0 }, { "pavgw", "E3", 0, 0, 0, 0 },
    { "psadbw", "F6", 0, 0, 0, 0 }, { "pminub", "DA", 0, 0, 0, 0 }, { "pmaxub", "DE", 0, 0, 0, 0 },
    { "pminsw", "EA", 0, 0, 0, 0 }, { "pmaxsw", "EE", 0, 0, 0, 0 },
    { "phaddw", "38 01", FEAT_SSSE3, FEAT_SSSE3, 0, 0 },
    { "phaddd", "38 02", FEAT_SSSE3, FEAT_SSSE3, 0, 0 },
    { "phaddsw", "38 03", FEAT_SSSE3, FEAT_SSSE3, 0, 0 },
    { "pmaddubsw", "38 04", FEAT_SSSE3, FEAT_SSSE3, 0, 0 },
    { "phsubw", "38 05", FEAT_SSSE3, FEAT_SSSE3, 0, 0 },
    { "phsubd", "38 06", FEAT_SSSE3, FEAT_SSSE3, 0, 0 },
    { "phsubsw", "38 07", FEAT_SSSE3, FEAT_SSSE3, 0, 0 },
    { "psignb", "38 08", FEAT_SSSE3, FEAT_SSSE3, 0, 0 },
    { "psignw", "38 09", FEAT_SSSE3, FEAT_SSSE3, 0, 0 },
    { "psignd", "38 0A", FEAT_SSSE3, FEAT_SSSE3, 0, 0 },
    { "pmulhrsw", "38 0B", FEAT_SSSE3, FEAT_SSSE3, 0, 0 },
    { "pabsb", "38 1C", FEAT_SSSE3, FEAT_SSSE3, 0, 0 },
    { "pabsw", "38 1D", FEAT_SSSE3, FEAT_SSSE3, 0, 0 },
    { "pabsd", "38 1E", FEAT_SSSE3, FEAT_SSSE3, 0, 0 },
    { "pmuldq", "38 28", NO_MMX, FEAT_SSE41, 0, 0 },
    { "pminsb", "38 38", NO_MMX, FEAT_SSE41, 0, 0 },
    { "pminsd", "38 39", NO_MMX, FEAT_SSE41, 0, 0 },
    { "pminuw", "38 3A", NO_MMX, FEAT_SSE41, 0, 0 },
    { "pminud", "38 3B", NO_MMX, FEAT_SSE41, 0, 0 },
    { "pmaxsb", "38 3C", NO_MMX, FEAT_SSE41, 0, 0 },
    { "pmaxsd", "38 3D", NO_MMX, FEAT_SSE41, 0, 0 },
    { "pmaxuw", "38 3E", NO_MMX, FEAT_SSE41, 0, 0 },
    { "pmaxud", "38 3F", NO_MMX, FEAT_SSE41, 0, 0 },
    { "pmulld", "38 40", NO_MMX, FEAT_SSE41, 0, 0 },
    { "phminposuw", "38 41", NO_MMX, FEAT_SSE41, 0, 0 },
    { "mpsadbw", "3A 42", NO_MMX, FEAT_SSE41, 0, 1 },
    { "pand", "DB", 0, 0, 0, 0 }, { "pandn", "DF", 0, 0, 0, 0 }, { "por", "EB", 0, 0, 0, 0 },
    { "pxor", "EF", 0, 0, 0, 0 },
    { "pcmpeqb", "74", 0, 0, 0, 0 }, { "pcmpeqw", "75", 0, 0, 0, 0 },
    { "pcmpeqd", "76", 0, 0, 0, 0 }, { "pcmpgtb", "64", 0, 0, 0, 0 },
    { "pcmpgtw", "65", 0, 0, 0, 0 }, { "pcmpgtd", "66", 0, 0, 0, 0 },
    { "pcmpeqq", "38 29", NO_MMX, FEAT_SSE41, 0, 0 },
    { "pcmpgtq", "38 37", NO_MMX, FEAT_SSE42, 0, 0 },
    { "ptest", "38 17", NO_MMX, FEAT_SSE41, 0, 0 },
    { "psrlw", "D1", 0, 0, K_VSHIFT, 0 }, { "psrld", "D2", 0, 0, K_VSHIFT, 0 },
    { "psrlq", "D3", 0, 0, K_VSHIFT, 0 }, { "psraw", "E1", 0, 0, K_VSHIFT, 0 },
    { "psrad", "E2", 0, 0, K_VSHIFT, 0 }, { "psllw", "F1", 0, 0, K_VSHIFT, 0 },
    { "pslld", "F2", 0, 0, K_VSHIFT, 0 }, { "psllq", "F3", 0, 0, K_VSHIFT, 0 },
};

static const struct mx shuf_ops[] = {
    { "packsswb", "63", 0, 0, 0, 0 }, { "packssdw", "6B", 0, 0, 0, 0 },
    { "packuswb", "67", 0, 0, 0, 0 }, { "packusdw", "38 2B", NO_MMX, FEAT_SSE41, 0, 0 },
    { "punpcklbw", "60", 0, 0, 0, 0 }, { "punpcklwd", "61", 0, 0, 0, 0 },
    { "punpckldq", "62", 0, 0, 0, 0 }, { "punpckhbw", "68", 0, 0, 0, 0 },
    { "punpckhwd", "69", 0, 0, 0, 0 }, { "punpckhdq", "6A", 0, 0, 0, 0 },
    { "punpcklqdq", "6C", NO_MMX, 0, 0, 0 }, { "punpckhqdq", "6D", NO_MMX, 0, 0, 0 },
    { "pshufb", "38 00", FEAT_SSSE3, FEAT_SSSE3, 0, 0 },
    { "palignr", "3A 0F", FEAT_SSSE3, FEAT_SSSE3, 0, 1 },
    { "pshufd", "70", NO_MMX, 0, 0, 1 },
    { "pblendvb", "38 10", NO_MMX, FEAT_SSE41, 0, 0 },
    { "blendvps", "38 14", NO_MMX, FEAT_SSE41, 0, 0 },
    { "blendvpd", "38 15", NO_MMX, FEAT_SSE41, 0, 0 },
    { "blendps", "3A 0C", NO_MMX, FEAT_SSE41, 0, 1 },
    { "blendpd", "3A 0D", NO_MMX, FEAT_SSE41, 0, 1 },
    { "pblendw", "3A 0E", NO_MMX, FEAT_SSE41, 0, 1 },
    { "aesenc", "38 DC", NO_MMX, FEAT_AES, 0, 0 }, { "aesenclast", "38 DD", NO_MMX, FEAT_AES, 0, 0 },
    { "aesdec", "38 DE", NO_MMX, FEAT_AES, 0, 0 }, { "aesdeclast", "38 DF", NO_MMX, FEAT_AES, 0, 0 },
    { "aesimc", "38 DB", NO_MMX, FEAT_AES, 0, 0 },
    { "aeskeygenassist", "3A DF", NO_MMX, FEAT_AES, 0, 1 },
    { "pclmulqdq", "3A 44", NO_MMX, FEAT_PCLMUL, 0, 1 },
};

/* XMM-only forms with any template: name, encoding, r/m, kind, flags. */
struct xf {
    const char *name, *enc, *rm;
    unsigned kind;
    uint32_t flags, feat;
};

static const struct xf shuf_more[] = {
    { "pshufw mm,mm/m64,imm8", "0F 70 /r ib m8", "rm", 0, MMX, 0 },
    { "pshuflw xmm,xmm/m128,imm8", "F2 0F 70 /r ib m16", "rm", 0, XMMA, 0 },
    { "pshufhw xmm,xmm/m128,imm8", "F3 0F 70 /r ib m16", "rm", 0, XMMA, 0 },
    { "shufps xmm,xmm/m128,imm8", "0F C6 /r ib m16", "rm", 0, XMMA, 0 },
    { "shufpd xmm,xmm/m128,imm8", "66 0F C6 /r ib m16", "rm", 0, XMMA, 0 },
    { "unpcklps xmm,xmm/m128", "0F 14 /r m16", "rm", 0, XMMA, 0 },
    { "unpcklpd xmm,xmm/m128", "66 0F 14 /r m16", "rm", 0, XMMA, 0 },
    { "unpckhps xmm,xmm/m128", "0F 15 /r m16", "rm", 0, XMMA, 0 },
    { "unpckhpd xmm,xmm/m128", "66 0F 15 /r m16", "rm", 0, XMMA, 0 },
    { "andps xmm,xmm/m128", "0F 54 /r m16", "rm", 0, XMMA, 0 },
    { "andpd xmm,xmm/m128", "66 0F 54 /r m16", "rm", 0, XMMA, 0 },
    { "andnps xmm,xmm/m128", "0F 55 /r m16", "rm", 0, XMMA, 0 },
    { "andnpd xmm,xmm/m128", "66 0F 55 /r m16", "rm", 0, XMMA, 0 },
    { "orps xmm,xmm/m128", "0F 56 /r m16", "rm", 0, XMMA, 0 },
    { "orpd xmm,xmm/m128", "66 0F 56 /r m16", "rm", 0, XMMA, 0 },
    { "xorps xmm,xmm/m128", "0F 57 /r m16", "rm", 0, XMMA, 0 },
    { "xorpd xmm,xmm/m128", "66 0F 57 /r m16", "rm", 0, XMMA, 0 },
    { "insertps xmm,xmm/m32,imm8", "66 0F 3A 21 /r ib m4", "rm", 0, XMM, FEAT_SSE41 },
    { "pmovsxbw xmm,xmm/m64", "66 0F 38 20 /r m8", "rm", 0, XMM, FEAT_SSE41 },
    { "pmovsxbd xmm,xmm/m32", "66 0F 38 21 /r m4", "rm", 0, XMM, FEAT_SSE41 },
    { "pmovsxbq xmm,xmm/m16", "66 0F 38 22 /r m2", "rm", 0, XMM, FEAT_SSE41 },
    { "pmovsxwd xmm,xmm/m64", "66 0F 38 23 /r m8", "rm", 0, XMM, FEAT_SSE41 },
    { "pmovsxwq xmm,xmm/m32", "66 0F 38 24 /r m4", "rm", 0, XMM, FEAT_SSE41 },
    { "pmovsxdq xmm,xmm/m64", "66 0F 38 25 /r m8", "rm", 0, XMM, FEAT_SSE41 },
    { "pmovzxbw xmm,xmm/m64", "66 0F 38 30 /r m8", "rm", 0, XMM, FEAT_SSE41 },
    { "pmovzxbd xmm,xmm/m32", "66 0F 38 31 /r m4", "rm", 0, XMM, FEAT_SSE41 },
    { "pmovzxbq xmm,xmm/m16", "66 0F 38 32 /r m2", "rm", 0, XMM, FEAT_SSE41 },
    { "pmovzxwd xmm,xmm/m64", "66 0F 38 33 /r m8", "rm", 0, XMM, FEAT_SSE41 },
    { "pmovzxwq xmm,xmm/m32", "66 0F 38 34 /r m4", "rm", 0, XMM, FEAT_SSE41 },
    { "pmovzxdq xmm,xmm/m64", "66 0F 38 35 /r m8", "rm", 0, XMM, FEAT_SSE41 },
};

/* Shifts by an immediate (register operand only). */
static const struct { const char *name, *op; unsigned ext; bool mmx; } shift_imm[] = {
    { "psrlw", "71", 2, true }, { "psraw", "71", 4, true }, { "psllw", "71", 6, true },
    { "psrld", "72", 2, true }, { "psrad", "72", 4, true }, { "pslld", "72", 6, true },
    { "psrlq", "73", 2, true }, { "psllq", "73", 6, true },
    { "psrldq", "73", 3, false }, { "pslldq", "73", 7, false },
};

static const struct xf moves[] = {
    { "movups xmm,xmm/m128", "0F 10 /r m16", "rm", 0, XMM, 0 },
    { "movupd xmm,xmm/m128", "66 0F 10 /r m16", "rm", 0, XMM, 0 },
    { "movss xmm,xmm/m32", "F3 0F 10 /r m4", "rm", 0, XMM, 0 },
    { "movsd xmm,xmm/m64", "F2 0F 10 /r m8", "rm", 0, XMM, 0 },
    { "movups xmm/m128,xmm", "0F 11 /r m16", "rm", 0, XMM, 0 },
    { "movupd xmm/m128,xmm", "66 0F 11 /r m16", "rm", 0, XMM, 0 },
    { "movss xmm/m32,xmm", "F3 0F 11 /r m4", "rm", 0, XMM, 0 },
    { "movsd xmm/m64,xmm", "F2 0F 11 /r m8", "rm", 0, XMM, 0 },
    { "movlps xmm,m64", "0F 12 /r m8", "m", 0, XMM, 0 },
    { "movhlps xmm,xmm", "0F 12 /r", "r", 0, XMM, 0 },
    { "movlpd xmm,m64", "66 0F 12 /r m8", "m", 0, XMM, 0 },
    { "movddup xmm,xmm/m64", "F2 0F 12 /r m8", "rm", 0, XMM, FEAT_SSE3 },
    { "movsldup xmm,xmm/m128", "F3 0F 12 /r m16", "rm", 0, XMMA, FEAT_SSE3 },
    { "movlps m64,xmm", "0F 13 /r m8", "m", 0, XMM, 0 },
    { "movlpd m64,xmm", "66 0F 13 /r m8", "m", 0, XMM, 0 },
    { "movhps xmm,m64", "0F 16 /r m8", "m", 0, XMM, 0 },
    { "movlhps xmm,xmm", "0F 16 /r", "r", 0, XMM, 0 },
    { "movhpd xmm,m64", "66 0F 16 /r m8", "m", 0, XMM, 0 },
    { "movshdup xmm,xmm/m128", "F3 0F 16 /r m16", "rm", 0, XMMA, FEAT_SSE3 },
    { "movhps m64,xmm", "0F 17 /r m8", "m", 0, XMM, 0 },
    { "movhpd m64,xmm", "66 0F 17 /r m8", "m", 0, XMM, 0 },
    { "movaps xmm,xmm/m128", "0F 28 /r m16", "rm", 0, XMMA, 0 },
    { "movapd xmm,xmm/m128", "66 0F 28 /r m16", "rm", 0, XMMA, 0 },
    { "movaps xmm/m128,xmm", "0F 29 /r m16", "rm", 0, XMMA, 0 },
    { "movapd xmm/m128,xmm", "66 0F 29 /r m16", "rm", 0, XMMA, 0 },
    { "movntps m128,xmm", "0F 2B /r m16", "m", 0, XMMA, 0 },
    { "movntpd m128,xmm", "66 0F 2B /r m16", "m", 0, XMMA, 0 },
    { "movdqa xmm,xmm/m128", "66 0F 6F /r m16", "rm", 0, XMMA, 0 },
    { "movdqu xmm,xmm/m128", "F3 0F 6F /r m16", "rm", 0, XMM, 0 },
    { "movdqa xmm/m128,xmm", "66 0F 7F /r m16", "rm", 0, XMMA, 0 },
    { "movdqu xmm/m128,xmm", "F3 0F 7F /r m16", "rm", 0, XMM, 0 },
    { "movntdq m128,xmm", "66 0F E7 /r m16", "m", 0, XMMA, 0 },
    { "lddqu xmm,m128", "F2 0F F0 /r m16", "m", 0, XMM, FEAT_SSE3 },
    { "movntdqa xmm,m128", "66 0F 38 2A /r m16", "m", 0, XMMA, FEAT_SSE41 },
    { "movd xmm,r/m32", "66 0F 6E /r m4", "rm", 0, FPU, 0 },
    { "movq xmm,r/m64", "66 W 0F 6E /r m8", "rm", 0, FPU, 0 },
    { "movd r/m32,xmm", "66 0F 7E /r m4", "rm", 0, FPU, 0 },
    { "movq r/m64,xmm", "66 W 0F 7E /r m8", "rm", 0, FPU, 0 },
    { "movq xmm,xmm/m64", "F3 0F 7E /r m8", "rm", 0, XMM, 0 },
    { "movq xmm/m64,xmm", "66 0F D6 /r m8", "rm", 0, XMM, 0 },
    { "maskmovdqu xmm,xmm", "66 0F F7 /r", "r", K_MASKMOV, XMM, 0 },
    { "movmskps r32,xmm", "0F 50 /r", "r", 0, XMM, 0 },
    { "movmskpd r32,xmm", "66 0F 50 /r", "r", 0, XMM, 0 },
    { "pmovmskb r32,xmm", "66 0F D7 /r", "r", 0, XMM, 0 },
    { "pextrw r32,xmm,imm8", "66 0F C5 /r ib", "r", 0, XMM, 0 },
    { "pextrb r/m8,xmm,imm8", "66 0F 3A 14 /r ib m1", "rm", 0, XMM, FEAT_SSE41 },
    { "pextrw r/m16,xmm,imm8", "66 0F 3A 15 /r ib m2", "rm", 0, XMM, FEAT_SSE41 },
    { "pextrd r/m32,xmm,imm8", "66 0F 3A 16 /r ib m4", "rm", 0, XMM, FEAT_SSE41 },
    { "pextrq r/m64,xmm,imm8", "66 W 0F 3A 16 /r ib m8", "rm", 0, XMM, FEAT_SSE41 },
    { "extractps r/m32,xmm,imm8", "66 0F 3A 17 /r ib m4", "rm", 0, XMM, FEAT_SSE41 },
    { "pinsrw xmm,r/m16,imm8", "66 0F C4 /r ib m2", "rm", 0, XMM, 0 },
    { "pinsrb xmm,r/m8,imm8", "66 0F 3A 20 /r ib m1", "rm", 0, XMM, FEAT_SSE41 },
    { "pinsrd xmm,r/m32,imm8", "66 0F 3A 22 /r ib m4", "rm", 0, XMM, FEAT_SSE41 },
    { "pinsrq xmm,r/m64,imm8", "66 W 0F 3A 22 /r ib m8", "rm", 0, XMM, FEAT_SSE41 },
};

static const struct xf mmx_moves[] = {
    { "emms", "0F 77", "", 0, FO_FPU, 0 },
    { "movd mm,r/m32", "0F 6E /r m4", "rm", 0, FO_FPU | FO_MMX, 0 },
    { "movq mm,r/m64", "W 0F 6E /r m8", "rm", 0, FO_FPU | FO_MMX, 0 },
    { "movd r/m32,mm", "0F 7E /r m4", "rm", 0, FO_FPU | FO_MMX, 0 },
    { "movq r/m64,mm", "W 0F 7E /r m8", "rm", 0, FO_FPU | FO_MMX, 0 },
    { "movq mm,mm/m64", "0F 6F /r m8", "rm", 0, MMX, 0 },
    { "movq mm/m64,mm", "0F 7F /r m8", "rm", 0, MMX, 0 },
    { "movntq m64,mm", "0F E7 /r m8", "m", 0, MMX, 0 },
    { "movq2dq xmm,mm", "F3 0F D6 /r", "r", 0, FO_FPU, 0 },
    { "movdq2q mm,xmm", "F2 0F D6 /r", "r", 0, FO_FPU, 0 },
    { "maskmovq mm,mm", "0F F7 /r", "r", K_MASKMOV, MMX, 0 },
    { "pmovmskb r32,mm", "0F D7 /r", "r", 0, MMX, 0 },
    { "pextrw r32,mm,imm8", "0F C5 /r ib", "r", 0, MMX, 0 },
    { "pinsrw mm,r/m16,imm8", "0F C4 /r ib m2", "rm", 0, MMX, 0 },
};

static const struct xf misc[] = {
    { "pcmpestrm xmm,xmm/m128,imm8", "66 0F 3A 60 /r ib m16", "rm", K_PCMPSTR, FPU, FEAT_SSE42 },
    { "pcmpestri xmm,xmm/m128,imm8", "66 0F 3A 61 /r ib m16", "rm", K_PCMPSTR, FPU, FEAT_SSE42 },
    { "pcmpistrm xmm,xmm/m128,imm8", "66 0F 3A 62 /r ib m16", "rm", K_PCMPSTR, FPU, FEAT_SSE42 },
    { "pcmpistri xmm,xmm/m128,imm8", "66 0F 3A 63 /r ib m16", "rm", K_PCMPSTR, FPU, FEAT_SSE42 },
    { "pcmpestrm (W)", "66 W 0F 3A 60 /r ib m16", "rm", K_PCMPSTR, FPU, FEAT_SSE42 },
    { "pcmpestri (W)", "66 W 0F 3A 61 /r ib m16", "rm", K_PCMPSTR, FPU, FEAT_SSE42 },
    { "crc32 r32,r/m8", "F2 0F 38 F0 /r m1", "rm", 0, 0, FEAT_SSE42 },
    { "crc32 r64,r/m8", "F2 W 0F 38 F0 /r m1", "rm", 0, 0, FEAT_SSE42 },
    { "crc32 r32,r/m16", "66 F2 0F 38 F1 /r m2", "rm", 0, 0, FEAT_SSE42 },
    { "crc32 r32,r/m32", "F2 0F 38 F1 /r m4", "rm", 0, 0, FEAT_SSE42 },
    { "crc32 r64,r/m64", "F2 W 0F 38 F1 /r m8", "rm", 0, 0, FEAT_SSE42 },
    { "clflush m8", "0F AE /7 m1", "m", 0, 0, 0 },
    { "movnti m32,r32", "0F C3 /r m4", "m", 0, 0, 0 },
    { "movnti m64,r64", "W 0F C3 /r m8", "m", 0, 0, 0 },
    { "movnti 66 (invalid)", "66 0F C3 /r m2", "m", 0, FO_UD | FO_NOACCESS, 0 },
    { "prefetchnta m8", "0F 18 /0 m1", "m", 0, FO_NOACCESS, 0 },
};

static const struct xf state[] = {
    { "ldmxcsr m32", "0F AE /2 m4", "m", K_MXCSR, FPU, 0 },
    { "stmxcsr m32", "0F AE /3 m4", "m", 0, FPU, 0 },
    { "fxsave m512", "0F AE /0 m512", "m", 0, FPU | FO_ALIGN16, 0 },
    { "fxsave64 m512", "W 0F AE /0 m512", "m", 0, FPU | FO_ALIGN16, 0 },
    { "fxrstor m512", "0F AE /1 m512", "m", K_FXRSTOR, FPU | FO_ALIGN16, 0 },
    { "fxrstor64 m512", "W 0F AE /1 m512", "m", K_FXRSTOR, FPU | FO_ALIGN16, 0 },
    { "xsave m", "0F AE /4 m576", "m", K_XSAVE, FPU | FO_ALIGN64, FEAT_XSAVE },
    { "xsave64 m", "W 0F AE /4 m576", "m", K_XSAVE, FPU | FO_ALIGN64, FEAT_XSAVE },
    { "xsaveopt m", "0F AE /6 m576", "m", K_XSAVE, FPU | FO_ALIGN64, FEAT_XSAVE },
    { "xsavec m", "0F C7 /4 m576", "m", K_XSAVE, FPU | FO_ALIGN64, FEAT_XSAVE },
    { "xrstor m", "0F AE /5 m576", "m", K_XRSTOR, FPU | FO_ALIGN64, FEAT_XSAVE },
    { "xrstor64 m", "W 0F AE /5 m576", "m", K_XRSTOR, FPU | FO_ALIGN64, FEAT_XSAVE },
    { "xsetbv (CPL 3)", "0F 01 =D1", "", 0, FPU, FEAT_XSAVE },
};

/* Encodings the host rejects (#UD): wrong mandatory prefixes, register
 * forms of memory-only instructions and the reverse, LOCK. */
static const struct xf invalid[] = {
    { "F3 paddb mm", "F3 0F FC /r", "r", 0, FPU | FO_UD, 0 },
    { "F2 pand mm", "F2 0F DB /r", "r", 0, FPU | FO_UD, 0 },
    { "66 emms", "66 0F 77", "", 0, FPU | FO_UD, 0 },
    { "F3 pshufb", "F3 0F 38 00 /r", "r", 0, FPU | FO_UD, FEAT_SSSE3 },
    { "movlpd reg", "66 0F 12 /r", "r", 0, FPU | FO_UD, 0 },
    { "movlps store reg", "0F 13 /r", "r", 0, FPU | FO_UD, 0 },
    { "movntdq reg", "66 0F E7 /r", "r", 0, FPU | FO_UD, 0 },
    { "lddqu reg", "F2 0F F0 /r", "r", 0, FPU | FO_UD, FEAT_SSE3 },
    { "maskmovdqu mem", "66 0F F7 /r m16", "m", 0, FPU | FO_UD, 0 },
    { "pmovmskb mem", "66 0F D7 /r m16", "m", 0, FPU | FO_UD, 0 },
    { "psrlw imm mem", "66 0F 71 /2 ib m16", "m", 0, FPU | FO_UD | FO_NOACCESS, 0 },
    { "psrldq mm", "0F 73 /3 ib", "r", 0, FPU | FO_UD, 0 },
    { "0F 71 /0", "0F 71 /0 ib", "r", 0, FPU | FO_UD, 0 },
    { "movq2dq mem", "F3 0F D6 /r m8", "m", 0, FPU | FO_UD | FO_NOACCESS, 0 },
    { "ptest no 66", "0F 38 17 /r", "r", 0, FPU | FO_UD, 0 },
    { "lock paddb", "F0 66 0F FC /r m16", "m", 0, FPU | FO_UD | FO_NOACCESS, 0 },
    { "fxsave reg", "0F AE /0", "r", 0, FPU | FO_UD, 0 },
    { "xsavec reg", "0F C7 /4", "r", 0, FPU | FO_UD, FEAT_XSAVE },
};


/* Floating point (FO_FPU without FO_SIMD: float lanes from fpstate.c,
 * random MXCSR with every rounding mode, DAZ/FTZ, masked and unmasked). */
#define FP    (FO_FPU | FO_ALIGN16)

/* An operation in its PS, PD, SS and SD forms (0F op). */
static const struct { const char *name, *op; bool scalar, imm; uint32_t feat; } fp4[] = {
    { "add", "58", true, false, 0 }, { "mul", "59", true, false, 0 },
    { "sub", "5C", true, false, 0 }, { "min", "5D", true, false, 0 },
    { "div", "5E", true, false, 0 }, { "max", "5F", true, false, 0 },
    { "sqrt", "51", true, false, 0 }, { "cmp", "C2", true, true, 0 },
};

static const struct xf fp_more[] = {
    { "rsqrtps xmm,xmm/m128", "0F 52 /r m16", "rm", 0, FP, 0 },
    { "rsqrtss xmm,xmm/m32", "F3 0F 52 /r m4", "rm", 0, FP, 0 },
    { "rcpps xmm,xmm/m128", "0F 53 /r m16", "rm", 0, FP, 0 },
    { "rcpss xmm,xmm/m32", "F3 0F 53 /r m4", "rm", 0, FP, 0 },
    { "addsubpd xmm,xmm/m128", "66 0F D0 /r m16", "rm", 0, FP, FEAT_SSE3 },
    { "addsubps xmm,xmm/m128", "F2 0F D0 /r m16", "rm", 0, FP, FEAT_SSE3 },
    { "haddpd xmm,xmm/m128", "66 0F 7C /r m16", "rm", 0, FP, FEAT_SSE3 },
    { "haddps xmm,xmm/m128", "F2 0F 7C /r m16", "rm", 0, FP, FEAT_SSE3 },
    { "hsubpd xmm,xmm/m128", "66 0F 7D /r m16", "rm", 0, FP, FEAT_SSE3 },
    { "hsubps xmm,xmm/m128", "F2 0F 7D /r m16", "rm", 0, FP, FEAT_SSE3 },
    { "dpps xmm,xmm/m128,imm8", "66 0F 3A 40 /r ib m16", "rm", 0, FP, FEAT_SSE41 },
    { "dppd xmm,xmm/m128,imm8", "66 0F 3A 41 /r ib m16", "rm", 0, FP, FEAT_SSE41 },
    { "roundps xmm,xmm/m128,imm8", "66 0F 3A 08 /r ib m16", "rm", 0, FP, FEAT_SSE41 },
    { "roundpd xmm,xmm/m128,imm8", "66 0F 3A 09 /r ib m16", "rm", 0, FP, FEAT_SSE41 },
    { "roundss xmm,xmm/m32,imm8", "66 0F 3A 0A /r ib m4", "rm", 0, FP, FEAT_SSE41 },
    { "roundsd xmm,xmm/m64,imm8", "66 0F 3A 0B /r ib m8", "rm", 0, FP, FEAT_SSE41 },
    { "ucomiss xmm,xmm/m32", "0F 2E /r m4", "rm", 0, FP, 0 },
    { "ucomisd xmm,xmm/m64", "66 0F 2E /r m8", "rm", 0, FP, 0 },
    { "comiss xmm,xmm/m32", "0F 2F /r m4", "rm", 0, FP, 0 },
    { "comisd xmm,xmm/m64", "66 0F 2F /r m8", "rm", 0, FP, 0 },
};

static const struct xf fp_cvt[] = {
    { "cvtps2pd xmm,xmm/m64", "0F 5A /r m8", "rm", 0, FP, 0 },
    { "cvtpd2ps xmm,xmm/m128", "66 0F 5A /r m16", "rm", 0, FP, 0 },
    { "cvtss2sd xmm,xmm/m32", "F3 0F 5A /r m4", "rm", 0, FP, 0 },
    { "cvtsd2ss xmm,xmm/m64", "F2 0F 5A /r m8", "rm", 0, FP, 0 },
    { "cvtdq2ps xmm,xmm/m128", "0F 5B /r m16", "rm", 0, FP | FO_SIMD, 0 },
    { "cvtps2dq xmm,xmm/m128", "66 0F 5B /r m16", "rm", 0, FP, 0 },
    { "cvttps2dq xmm,xmm/m128", "F3 0F 5B /r m16", "rm", 0, FP, 0 },
    { "cvttpd2dq xmm,xmm/m128", "66 0F E6 /r m16", "rm", 0, FP, 0 },
    { "cvtdq2pd xmm,xmm/m64", "F3 0F E6 /r m8", "rm", 0, FP | FO_SIMD, 0 },
    { "cvtpd2dq xmm,xmm/m128", "F2 0F E6 /r m16", "rm", 0, FP, 0 },
    { "cvtpi2ps xmm,mm/m64", "0F 2A /r m8", "rm", 0, FO_FPU, 0 },
    { "cvtpi2pd xmm,mm/m64", "66 0F 2A /r m8", "rm", 0, FO_FPU, 0 },
    { "cvtsi2ss xmm,r/m32", "F3 0F 2A /r m4", "rm", 0, FO_FPU, 0 },
    { "cvtsi2ss xmm,r/m64", "F3 W 0F 2A /r m8", "rm", 0, FO_FPU, 0 },
    { "cvtsi2sd xmm,r/m32", "F2 0F 2A /r m4", "rm", 0, FO_FPU, 0 },
    { "cvtsi2sd xmm,r/m64", "F2 W 0F 2A /r m8", "rm", 0, FO_FPU, 0 },
    { "cvttps2pi mm,xmm/m64", "0F 2C /r m8", "rm", 0, FO_FPU, 0 },
    { "cvttpd2pi mm,xmm/m128", "66 0F 2C /r m16", "rm", 0, FP, 0 },
    { "cvttss2si r32,xmm/m32", "F3 0F 2C /r m4", "rm", 0, FO_FPU, 0 },
    { "cvttss2si r64,xmm/m32", "F3 W 0F 2C /r m4", "rm", 0, FO_FPU, 0 },
    { "cvttsd2si r32,xmm/m64", "F2 0F 2C /r m8", "rm", 0, FO_FPU, 0 },
    { "cvttsd2si r64,xmm/m64", "F2 W 0F 2C /r m8", "rm", 0, FO_FPU, 0 },
    { "cvtps2pi mm,xmm/m64", "0F 2D /r m8", "rm", 0, FO_FPU, 0 },
    { "cvtpd2pi mm,xmm/m128", "66 0F 2D /r m16", "rm", 0, FP, 0 },
    { "cvtss2si r32,xmm/m32", "F3 0F 2D /r m4", "rm", 0, FO_FPU, 0 },
    { "cvtss2si r64,xmm/m32", "F3 W 0F 2D /r m4", "rm", 0, FO_FPU, 0 },
    { "cvtsd2si r32,xmm/m64", "F2 0F 2D /r m8", "rm", 0, FO_FPU, 0 },
    { "cvtsd2si r64,xmm/m64", "F2 W 0F 2D /r m8", "rm", 0, FO_FPU, 0 },
};

static void add_fp4(void)
{
    static const struct { const char *pfx, *sfx, *m; uint32_t feat; } shape[] = {
        { "", "ps", "m16", 0 }, { "66 ", "pd", "m16", 0 },
        { "F3 ", "ss", "m4", 0 }, { "F2 ", "sd", "m8", 0 },
    };
    char name[64], enc[64];

    for (unsigned i = 0; i < ARRAY_LEN(fp4); i++)
        for (unsigned j = 0; j < 4; j++) {
            snprintf(name, sizeof(name), "%s%s xmm,xmm/%s%s", fp4[i].name,
                     shape[j].sfx, j < 2 ? "m128" : j == 2 ? "m32" : "m64",
                     fp4[i].imm ? ",imm8" : "");
            snprintf(enc, sizeof(enc), "%s0F %s /r%s %s", shape[j].pfx,
                     fp4[i].op, fp4[i].imm ? " ib" : "", shape[j].m);
            add("sse-fp", name, enc, "rm", 0, IMM_RAND, FP, fp4[i].feat);
        }
}

static void add_xf(const char *group, const struct xf *t, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        add(group, t[i].name, t[i].enc, t[i].rm, t[i].kind,
            IMM_RAND, t[i].flags, t[i].feat);
}

void cd_simd_forms(void)
{
    char name[64], enc[64];

    for (unsigned i = 0; i < ARRAY_LEN(int_ops); i++)
        mx_pair("sse-int", &int_ops[i]);
    for (unsigned i = 0; i < ARRAY_LEN(shift_imm); i++) {
        if (shift_imm[i].mmx) {
            snprintf(name, sizeof(name), "%s mm,imm8", shift_imm[i].name);
            snprintf(enc, sizeof(enc), "0F %s /%u ib", shift_imm[i].op,
                     shift_imm[i].ext);
            add("sse-int", name, enc, "r", 0, IMM_SHIFT, MMX, 0);
        }
        snprintf(name, sizeof(name), "%s xmm,imm8", shift_imm[i].name);
        snprintf(enc, sizeof(enc), "66 0F %s /%u ib", shift_imm[i].op,
                 shift_imm[i].ext);
        add("sse-int", name, enc, "r", 0, IMM_SHIFT, XMM, 0);
    }
    for (unsigned i = 0; i < ARRAY_LEN(shuf_ops); i++)
        mx_pair("sse-shuf", &shuf_ops[i]);
    add_xf("sse-shuf", shuf_more, ARRAY_LEN(shuf_more));
    add_xf("sse-move", moves, ARRAY_LEN(moves));
    add_xf("mmx", mmx_moves, ARRAY_LEN(mmx_moves));
    add_xf("sse-misc", misc, ARRAY_LEN(misc));
    add_xf("sse-state", state, ARRAY_LEN(state));
    add_fp4();
    add_xf("sse-fp", fp_more, ARRAY_LEN(fp_more));
    add_xf("sse-cvt", fp_cvt, ARRAY_LEN(fp_cvt));
    add_xf("invalid", invalid, ARRAY_LEN(invalid));
}
