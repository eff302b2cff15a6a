/*
 * Floating-point test vectors: one operation of the softfloat library with
 * its operands, control word and the result and flags real x86 hardware
 * gave (tests/fpvec/gen.c produced them on an x86-64 host).  fpvec_check()
 * runs one through cpu/softfloat and says what differs, so the same
 * vectors prove every host bit-identical to the hardware.
 */
#ifndef XENEMU_FPVEC_H
#define XENEMU_FPVEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FPVEC_OPS(X) \
    X(FADD) X(FSUB) X(FMUL) X(FDIV) X(FSQRT) X(FPREM) X(FPREM1) \
    X(FSCALE) X(FXTRACT) X(FRNDINT) X(FCOM) X(FUCOM) \
    X(FST32) X(FST64) X(FLD32) X(FLD64) \
    X(FIST16) X(FIST32) X(FIST64) X(FISTT16) X(FISTT32) X(FISTT64) \
    X(FSIN) X(FCOS) X(FPTAN) X(FPATAN) X(F2XM1) X(FYL2X) X(FYL2XP1) \
    X(ADDSS) X(SUBSS) X(MULSS) X(DIVSS) X(SQRTSS) X(MINSS) X(MAXSS) \
    X(ADDSD) X(SUBSD) X(MULSD) X(DIVSD) X(SQRTSD) X(MINSD) X(MAXSD) \
    X(CVTSS2SD) X(CVTSD2SS) X(CVTSS2SI) X(CVTTSS2SI) X(CVTSS2SI64) \
    X(CVTTSS2SI64) X(CVTSD2SI) X(CVTTSD2SI) X(CVTSD2SI64) X(CVTTSD2SI64) \
    X(CVTSI2SS) X(CVTSI2SD) X(COMISS) X(UCOMISS) X(COMISD) X(UCOMISD) \
    X(ROUNDSS) X(ROUNDSD) X(CMPSS) X(CMPSD) X(RCPSS) X(RSQRTSS)

#define FPVEC_ENUM(n) V_##n,
enum fpvec_op { FPVEC_OPS(FPVEC_ENUM) V_NOPS };
#undef FPVEC_ENUM

/* First SSE operation: below it ctl is an FCW, from it an MXCSR (with
 * ROUNDSS/SD's and CMPSS/SD's immediate in bits 24..27). */
#define V_FIRST_SSE V_ADDSS

/* flags: x87: the FSW (exceptions, C0..C3; TOP masked off); SSE: MXCSR
 * bits 0..5, EFLAGS ZF/PF/CF of a COMIS in bits 8..10.  FPV_FAULT: the
 * SSE operation raised #XM (no result); FPV_NOSTORE: an x87 store wrote
 * nothing. */
#define FPV_FAULT   (1u << 16)
#define FPV_NOSTORE (1u << 17)

struct fpvec {
    uint8_t op;
    uint32_t ctl;
    uint16_t ae, be, re, r2e;
    uint64_t am, bm, rm, r2m;
    uint32_t flags;
};

extern const char *const fpvec_names[V_NOPS];

/* Run v through softfloat; false with a description in why (size n) when
 * the result or the flags differ. */
bool fpvec_check(const struct fpvec *v, char *why, size_t n);

#endif
