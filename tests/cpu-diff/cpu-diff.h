/*
 * cpu-diff: differential test of xenemu's CPU against the host CPU.
 *
 * A form is one encoding of one instruction at one operand size with either
 * a register or a memory r/m operand.  A case is one form with a generated
 * instruction (registers, addressing mode, immediates chosen at random) and
 * an input state.  Each case runs once on the host (native.c) and once in
 * xenemu (emu.c); the two results must agree.
 *
 * Both runs see the same virtual addresses: the instruction at CD_INSN_ADDR
 * in a code region, memory operands in a data region, a control block for
 * the native trampoline.  Guest and host are the same architecture here, so
 * plain host structs are fine for the state: nothing of it is guest memory.
 */
#ifndef CPU_DIFF_H
#define CPU_DIFF_H

#include <setjmp.h>
#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---- fixed virtual layout (host and guest) ------------------------------- */

#define CD_CTRL_BASE  0x0f000000ull   /* native trampoline control block */
#define CD_CODE_BASE  0x10000000ull
#define CD_CODE_SIZE  0x2000u
#define CD_BOUNCE64   CD_CODE_BASE     /* 64-bit "jmp *[save]" for compat */
#define CD_INSN_ADDR  (CD_CODE_BASE + 0x800)
#define CD_DATA_BASE  0x20000000ull
#define CD_DATA_SIZE  0x2000u
#define CD_DATA_END   (CD_DATA_BASE + CD_DATA_SIZE)

/* Control block offsets (native.c, native-x86_64.S). */
#define CTRL_IN       0x000   /* 16 GPRs */
#define CTRL_INFL     0x080
#define CTRL_OUT      0x088   /* 16 GPRs */
#define CTRL_OUTFL    0x108
#define CTRL_LANDING  0x110   /* byte: id of the landing stub reached */
#define CTRL_HOSTRSP  0x118
#define CTRL_TARGET   0x120   /* 64-bit entry: address of the instruction */
#define CTRL_SAVE     0x128   /* address of cd_native_save */
#define CTRL_FAR32    0x130   /* m16:32 -> 0x23:instruction */
#define CTRL_FAR64    0x138   /* m16:32 -> 0x33:CD_BOUNCE64 */
#define CTRL_FXIN     0x200   /* FXSAVE image loaded before the instruction */
#define CTRL_FXOUT    0x400   /* FXSAVE image saved after it */
#define CTRL_FXHOST   0x600   /* the host's own x87/SSE state meanwhile */

#define STUB_LEN 16           /* room for one landing stub */

/* Linux x86-64 user selectors: the emulated CPU uses the same ones. */
#define SEL_USER32_CS 0x23
#define SEL_USER_DS   0x2b
#define SEL_USER_CS   0x33

/* RFLAGS bits (cpu/cpu.h has the same; this header stands alone). */
enum {
    CF = 1u << 0, PF = 1u << 2, AF = 1u << 4, ZF = 1u << 6, SF = 1u << 7,
    TF = 1u << 8, IF = 1u << 9, DF = 1u << 10, OF = 1u << 11,
    ARITH = CF | PF | AF | ZF | SF | OF,
};
/* Compared RFLAGS bits: everything a user program can see or change except
 * RF (set in fault frames by some hosts) and the VM-only bits. */
#define FLAGS_CMP (ARITH | TF | IF | DF | (3u << 12) | (1u << 14) | \
                   (1u << 18) | (1u << 21) | 2u)

enum { RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13,
       R14, R15 };

/* ---- forms ---------------------------------------------------------------- */

/* Kind of input set-up a form needs beyond random registers and data. */
enum cd_kind {
    K_PLAIN,
    K_SHIFT,      /* count in CL or imm8: edge counts */
    K_SHIFTX,     /* SARX/SHLX/SHRX: count in vvvv register */
    K_BEXTR,      /* BEXTR: start/length in vvvv register */
    K_BZHI,       /* BZHI: index in vvvv register */
    K_DIV, K_IDIV,
    K_STRING,     /* RSI/RDI into data, small RCX */
    K_STACK,      /* RSP into data */
    K_POPF,       /* RSP into data, popped image without TF/AC */
    K_ENTER,      /* RSP/RBP into data, imm16/imm8 */
    K_LEAVE,      /* RBP into data */
    K_PUSHA,      /* compat: ESP into data */
    K_JCC,        /* relative branch, landing stub at the target */
    K_LOOP,       /* LOOPcc/JrCXZ: edge RCX */
    K_CALL, K_RET, K_JMPIND, K_CALLIND,
    K_CMPXCHG,    /* accumulator equal to the destination half the time */
    K_CX8, K_CX16,
    K_BITOFS,     /* BT* r/m, reg: bit offset within reach of the data */
    K_XLAT,       /* RBX into data */
    K_MOFFS,      /* moffs address into data */
    K_BOUND,      /* compat BOUND: index near the bounds */
    K_MULX,       /* MULX: RDX implicit */
};

/* Immediate flavours. */
enum cd_imm { IMM_RAND, IMM_SHIFT, IMM_BIT, IMM_AAM };

/* Form flags. */
enum {
    FO_LOCK     = 1u << 0,   /* LOCK allowed with a memory operand */
    FO_NOACCESS = 1u << 1,   /* memory operand is never accessed (LEA, NOP) */
    FO_UD       = 1u << 2,   /* must raise #UD */
    FO_RESUNDEF = 1u << 3,   /* result itself undefined for some inputs */
    FO_NOA32    = 1u << 4,   /* no random address-size prefix */
    FO_SREG     = 1u << 5,   /* ModRM.reg is a segment register (0..5) */
    FO_ANYREG   = 1u << 6,   /* ModRM.reg ignored by the CPU: randomise it */
    FO_BYTEREG  = 1u << 7,   /* r/m register operand is a byte register */
    FO_BYTEREGR = 1u << 8,   /* ModRM.reg operand is a byte register */
    FO_VEXL1    = 1u << 9,   /* VEX.L = 1 (invalid) */
    FO_NORIP    = 1u << 10,  /* the host misreports RIP after the event */
    FO_FPU      = 1u << 11,  /* uses x87/MMX/SSE state: random FXSAVE image
                                in, the image compared out */
    FO_FPULP    = 1u << 20,  /* x87 registers within one ulp, FSW's PE and
                                C1 not compared (transcendentals) */
};

/* CPUID features a form needs (host and emulated model). */
enum {
    FEAT_CX8 = 1u << 0, FEAT_CX16 = 1u << 1, FEAT_MOVBE = 1u << 2,
    FEAT_POPCNT = 1u << 3, FEAT_LZCNT = 1u << 4, FEAT_BMI1 = 1u << 5,
    FEAT_BMI2 = 1u << 6, FEAT_ADX = 1u << 7, FEAT_LAHF = 1u << 8,
    FEAT_CMOV = 1u << 9,
};

struct cd_form {
    char name[64];
    const char *group;
    uint8_t mode;           /* 64: long mode, 32: compatibility mode */
    uint8_t opsize;         /* 8/16/32/64, 0 when the form has none */
    uint16_t msize;         /* bytes accessed by a memory operand */
    bool mem;               /* r/m is memory (else register), if modrm */
    uint8_t kind;           /* enum cd_kind */
    uint8_t immk;           /* enum cd_imm */
    uint16_t undef;         /* arithmetic flags the SDM calls undefined */
    uint32_t flags;         /* F_* */
    uint32_t feature;       /* FEAT_* */
    /* Encoding, parsed from the template. */
    uint8_t pfx[4], npfx;   /* mandatory legacy prefixes */
    uint8_t op[4], nop;
    bool rexw;              /* REX.W (or VEX.W) */
    bool opreg;             /* register in the low 3 bits of the last opcode */
    int8_t modrm;           /* -1 none, 8 "/r", 0..7 digit */
    uint8_t fixed_modrm;    /* literal ModRM byte follows (0 = none) */
    bool has_fixed_modrm;
    uint8_t imm[2], nimm;   /* immediate sizes in bytes */
    uint8_t rel;            /* branch displacement size, 0 none */
    bool moffs;
    /* VEX */
    bool vex;
    uint8_t vex_pp, vex_map;
    bool vex_vvvv;          /* vvvv names a register (else 1111b) */
};

extern struct cd_form *cd_forms;
extern unsigned cd_nforms;
void cd_forms_build(void);
const char *const *cd_groups(void);  /* NULL-terminated, table order */

/* ---- states and results --------------------------------------------------- */

/*
 * x87/MMX/SSE state as the 64-bit FXSAVE image (FXSAVE with REX.W): FCW,
 * FSW, abridged tag byte, FOP, FIP, FDP, MXCSR, ST0..ST7 in stack order (16
 * bytes each, 10 used), XMM0..XMM15.  Both sides load and save this image.
 */
#define FX_SIZE   512
#define FX_FCW    0
#define FX_FSW    2
#define FX_FTW    4
#define FX_FOP    6
#define FX_FIP    8
#define FX_FDP    16
#define FX_MXCSR  24
#define FX_MXMASK 28
#define FX_ST(i)  (32 + 16 * (i))
#define FX_XMM(i) (160 + 16 * (i))

struct cd_state {
    uint64_t r[16];
    uint64_t rip;
    uint64_t rflags;
    uint8_t fx[FX_SIZE];
};

enum cd_status {
    RES_OK,          /* ran (possibly into an exception) */
    RES_UNIMPL,      /* emulator: unimplemented instruction (strict stop) */
    RES_HANG,        /* emulator: did not finish */
    RES_CRASH,       /* emulator: host signal inside the emulator */
    RES_SETUP,       /* emulator: could not set up the CPU state */
};

struct cd_result {
    enum cd_status status;
    struct cd_state s;
    int vector;               /* -1: no exception */
    bool has_error;
    uint32_t error;
    uint64_t cr2;
    uint8_t data[CD_DATA_SIZE];
};

struct cd_case {
    const struct cd_form *f;
    uint64_t seed;
    uint8_t insn[16];
    unsigned len;
    uint8_t code[CD_CODE_SIZE];      /* image of the code region */
    uint64_t target;                 /* branch target, 0 if none */
    uint64_t landing[2];             /* stubs: fall-through, target (0: none) */
    struct cd_state in;
    uint8_t data[CD_DATA_SIZE];
    /* Operands chosen by the encoder, for set-up and printing. */
    int reg, rm, vreg;               /* -1 when absent */
    int base, index;                 /* memory operand, -1 when absent */
    bool rex;                        /* any REX byte present */
    bool a32;                        /* address-size override */
    uint64_t ea;                     /* intended effective address */
    unsigned imm_off[2];             /* offsets of the immediates */
    unsigned rel_off;
    unsigned moffs_off;
};

/* gen.c */
void cd_case_make(struct cd_case *k, const struct cd_form *f, uint64_t seed);
uint64_t cd_mix(uint64_t a, uint64_t b);

/* fpstate.c: x87/SSE inputs and their comparison. */
void cd_fx_default(uint8_t fx[FX_SIZE]);          /* FNINIT, MXCSR 1F80h */
void cd_fx_random(uint8_t fx[FX_SIZE], uint64_t seed);
/* A special or random value of a float format (4: binary32, 8: binary64,
 * 10: x87 extended) written little-endian to out. */
void cd_fp_value(uint8_t *out, unsigned size, uint64_t seed);
/* Names of the FXSAVE fields that differ ("fsw st3 xmm7 ..."); empty when
 * they agree.  FOP/FIP/FDP compare only when the host saved an unmasked
 * exception (FSW.ES), the only time the AMD host stores them. */
bool cd_fx_differ(const uint8_t *host, const uint8_t *emu, char *what,
                  size_t len, bool ulp);
void cd_fx_print(const char *tag, const uint8_t *fx);

/* native.c */
bool cd_native_supported(void);      /* x86-64 Linux host */
int cd_native_init(void);
void cd_native_run(const struct cd_case *k, struct cd_result *out);
void cd_native_selectors(uint16_t sel[6]);   /* ES CS SS DS FS GS */
bool cd_host_has(uint32_t feature);
bool cd_feature_bits(uint32_t c1, uint32_t d1, uint32_t b7, uint32_t c81,
                     uint32_t feature);
/* Guarding the emulated run: a host signal inside xenemu, or a case that
 * makes no progress for ~3 s, long-jumps to cd_emu_jmp with cd_emu_signal
 * set (SIGALRM for the hang). */
extern sigjmp_buf cd_emu_jmp;
extern volatile int cd_emu_signal;
extern volatile unsigned long cd_emu_progress;
void cd_emu_guard(bool on);

/* emu.c */
int cd_emu_init(void);
/* strict: stop on what xenemu does not implement (RES_UNIMPL) instead of
 * raising #UD; xenemu cannot tell that apart from an invalid encoding. */
void cd_emu_run(const struct cd_case *k, struct cd_result *out, bool strict);
uint32_t cd_emu_features(bool *known);

#endif
