/*
 * cpu/: the public interface of the emulated x86 CPU.
 *
 * The machine that owns a CPU (bare machine, Xen PV platform) sees only this
 * header.  cpu/ knows nothing of Xen: a PV machine asks for every entry to
 * ring 0 to become an exit (cpu.ring0_exits) and handles it itself.
 */
#ifndef XENEMU_CPU_H
#define XENEMU_CPU_H

#include <setjmp.h>
#include "xenemu/common.h"
#include "mmu/mmu.h"

/* General registers, in encoding order. */
enum {
    R_AX, R_CX, R_DX, R_BX, R_SP, R_BP, R_SI, R_DI,
    R_R8, R_R9, R_R10, R_R11, R_R12, R_R13, R_R14, R_R15,
};

/* Segment registers, in encoding order. */
enum { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_NONE = 7 };

/* RFLAGS bits. */
#define FL_CF   (1u << 0)
#define FL_PF   (1u << 2)
#define FL_AF   (1u << 4)
#define FL_ZF   (1u << 6)
#define FL_SF   (1u << 7)
#define FL_TF   (1u << 8)
#define FL_IF   (1u << 9)
#define FL_DF   (1u << 10)
#define FL_OF   (1u << 11)
#define FL_IOPL (3u << 12)
#define FL_NT   (1u << 14)
#define FL_RF   (1u << 16)
#define FL_VM   (1u << 17)
#define FL_AC   (1u << 18)
#define FL_VIF  (1u << 19)
#define FL_VIP  (1u << 20)
#define FL_ID   (1u << 21)
#define FL_ARITH (FL_CF | FL_PF | FL_AF | FL_ZF | FL_SF | FL_OF)

/* CR0/CR4 bits not already in mmu.h. */
#define CR0_PE (1ull << 0)
#define CR0_MP (1ull << 1)
#define CR0_EM (1ull << 2)
#define CR0_TS (1ull << 3)
#define CR0_ET (1ull << 4)
#define CR0_NE (1ull << 5)
#define CR0_AM (1ull << 18)
#define CR0_NW (1ull << 29)
#define CR0_CD (1ull << 30)
#define CR4_VME  (1ull << 0)
#define CR4_PVI  (1ull << 1)
#define CR4_TSD  (1ull << 2)
#define CR4_DE   (1ull << 3)
#define CR4_MCE  (1ull << 6)
#define CR4_PCE  (1ull << 8)
#define CR4_OSFXSR (1ull << 9)
#define CR4_OSXMMEXCPT (1ull << 10)
#define CR4_UMIP (1ull << 11)
#define CR4_FSGSBASE (1ull << 16)
#define CR4_PCIDE (1ull << 17)
#define CR4_OSXSAVE (1ull << 18)
#define EFER_SCE (1ull << 0)

/* Exception vectors. */
enum {
    EXC_DE = 0, EXC_DB = 1, EXC_NMI = 2, EXC_BP = 3, EXC_OF = 4, EXC_BR = 5,
    EXC_UD = 6, EXC_NM = 7, EXC_DF = 8, EXC_TS = 10, EXC_NP = 11,
    EXC_SS = 12, EXC_GP = 13, EXC_PF = 14, EXC_MF = 16, EXC_AC = 17,
    EXC_MC = 18, EXC_XM = 19,
};

/*
 * A segment register with its hidden part.  attr holds descriptor bits
 * 40..47 in bits 0..7 (type, S, DPL, P) and bits 52..55 in bits 12..15
 * (AVL, L, D/B, G), the layout of VMX access rights.  limit is the
 * byte-granular expanded limit.
 */
struct seg {
    uint16_t sel;
    uint16_t attr;
    uint32_t limit;
    uint64_t base;
};

#define SEGA_TYPE(a) ((a) & 0xf)
#define SEGA_S      (1u << 4)
#define SEGA_DPL(a) (((a) >> 5) & 3)
#define SEGA_P      (1u << 7)
#define SEGA_AVL    (1u << 12)
#define SEGA_L      (1u << 13)
#define SEGA_DB     (1u << 14)
#define SEGA_G      (1u << 15)

struct dtr {
    uint64_t base;
    uint32_t limit;
};

/* Why an instruction would enter ring 0 (or stopped the CPU). */
enum cpu_event_kind {
    EV_EXCEPTION,   /* fault or trap raised by an instruction */
    EV_SOFTINT,     /* INT n, INT3, INTO, INT1 (icebp) */
    EV_INTERRUPT,   /* external interrupt or NMI */
    EV_SYSCALL,     /* SYSCALL */
    EV_SYSENTER,    /* SYSENTER */
};

struct cpu_event {
    enum cpu_event_kind kind;
    uint8_t vector;
    bool has_error;
    uint32_t error;
    uint64_t cr2;          /* #PF: faulting linear address */
    uint64_t rip;          /* faulting/trapping instruction's address */
    uint64_t next_rip;     /* address of the next instruction (traps, INT n,
                              SYSCALL); equals rip for faults */
    uint8_t insn_len;
};

/* Why cpu_run() returned. */
enum cpu_stop {
    STOP_BUDGET,       /* instruction budget used up */
    STOP_HLT,          /* HLT executed (the CPU is halted) */
    STOP_REQUEST,      /* a hook asked to stop (cpu.stop_request) */
    STOP_TRIPLE_FAULT, /* shutdown (bare machine) */
    STOP_STRICT,       /* --strict: unimplemented instruction hit */
    STOP_DEBUG,        /* a debugger hook asked to stop (cpu_debug_stop) */
};

struct cpu;

struct cpu_hooks {
    /* With ring0_exits set: called instead of delivering ev through the
     * IDT/SYSCALL MSRs.  The architectural state is that of the moment of
     * the event (rip = faulting insn for faults).  The handler changes state
     * as it likes; it may set cpu->stop_request. */
    void (*exit)(void *opaque, struct cpu *c, const struct cpu_event *ev);
    /* CPUID; NULL gives the built-in model.  out = {eax, ebx, ecx, edx}. */
    void (*cpuid)(void *opaque, struct cpu *c, uint32_t leaf, uint32_t sub,
                  uint32_t out[4]);
    /* MSRs the CPU does not model itself; return false for #GP. */
    bool (*rdmsr)(void *opaque, struct cpu *c, uint32_t msr, uint64_t *val);
    bool (*wrmsr)(void *opaque, struct cpu *c, uint32_t msr, uint64_t val);
    /* Pending external interrupt: returns its vector, or -1. Called only when
     * cpu->irq_pending is set and the CPU can take it; acknowledges it. */
    int (*ack_irq)(void *opaque, struct cpu *c);
    /* Per-instruction trace hook (NULL when unused: no cost). */
    void (*trace_insn)(void *opaque, struct cpu *c);
    /* Stores on the slow path (every store to a frame that is not RAM, and
     * the first to a page after a TLB flush): called with the linear
     * address, size and value before translation; false drops the store
     * (a machine emulating a write itself: Xen's writable page tables).
     * NULL when unused (no cost on the fast path). */
    bool (*write_filter)(void *opaque, struct cpu *c, uint64_t la,
                         unsigned size, uint64_t val);
};

/*
 * Debugger hooks (monitor/): called with cpu.debug_opaque, and only while
 * the CPU is told to, so that a run without a debugger pays nothing.
 *
 * With debug_active set the run loop runs one block at a time and asks
 * code_page() about each code page (linear la, physical pa, both page
 * aligned) before running code there; for a page it answers true for,
 * and for any instruction run singly (TF, traces), it calls before_insn()
 * first, and an instruction it answers true for is not executed: cpu_run
 * returns STOP_DEBUG with rip at it.  With debug_watch set (after
 * cpu_debug_update) data accesses take the slow path and each one that
 * translates calls data_access() (an access crossing a page calls it once
 * per page); true stops after the instruction.  cr3_write, cpl_change
 * (with the rip of the instruction that changed it) and event (an exception, interrupt, INT n, SYSCALL or SYSENTER, before
 * it is delivered or exits to the machine) are notifications (NULL:
 * none).  Any hook, and a machine's hooks, may call cpu_debug_stop() to
 * end cpu_run after the current instruction.
 */
struct cpu_debug_hooks {
    bool (*code_page)(void *opaque, struct cpu *c, uint64_t la, uint64_t pa);
    bool (*before_insn)(void *opaque, struct cpu *c);
    bool (*data_access)(void *opaque, struct cpu *c, uint64_t la,
                        uint64_t pa, unsigned size, bool write);
    void (*cr3_write)(void *opaque, struct cpu *c, uint64_t old_cr3);
    void (*cpl_change)(void *opaque, struct cpu *c, unsigned old_cpl,
                       uint64_t insn_rip);
    void (*event)(void *opaque, struct cpu *c, const struct cpu_event *ev);
};

/* Lazy arithmetic flags: CF PF AF ZF SF OF are derived on demand from the
 * last flag-setting operation. */
struct lazy_flags {
    uint64_t res, dst, src;
    uint32_t op;        /* enum lf_op (cpu/flags.h) */
};

/*
 * x87, MMX and SSE state.  An x87 register is 80-bit extended precision:
 * se holds the sign (bit 15) and biased exponent, mant the significand with
 * its explicit integer bit (bit 63).  MMX register i aliases st[i].mant of
 * physical register i.  An XMM register is two 64-bit halves, low first;
 * lanes are taken out with shifts, so the layout is the same on every host.
 */
struct x87reg {
    uint64_t mant;
    uint16_t se;
};

struct xmmreg {
    uint64_t q[2];
};

struct fpu {
    struct x87reg st[8];   /* physical R0..R7: ST(i) is R[(TOP + i) & 7] */
    uint16_t fcw;
    uint16_t fsw;          /* TOP in bits 11..13 */
    uint16_t ftw;          /* full tag word, 2 bits per physical register */
    uint16_t fop;          /* last non-control opcode, 11 bits */
    uint64_t fip, fdp;     /* last instruction and data pointers */
    uint16_t fcs, fds;
    uint32_t mxcsr;
    struct xmmreg xmm[16];
};

struct cpu {
    uint64_t r[16];
    uint64_t rip;
    uint64_t rflags;     /* arithmetic bits valid only via cpu_get_rflags() */
    struct lazy_flags lf;

    struct seg seg[6];
    struct seg ldtr, tr;
    struct dtr gdtr, idtr;

    uint64_t cr0, cr2, cr3, cr4, cr8;
    uint64_t efer;
    uint64_t xcr0;
    uint64_t dr[8];
    struct fpu fpu;

    /* MSRs modelled by the CPU. */
    uint64_t star, lstar, cstar, sfmask, kernel_gs_base, tsc_aux;
    uint64_t sysenter_cs, sysenter_esp, sysenter_eip;
    uint64_t pat, apic_base, misc_enable;

    /* Derived mode, recomputed on CR0/EFER/CS changes (cpu_update_mode). */
    uint8_t cpl;
    uint8_t mode;        /* enum cpu_mode */
    bool halted;

    /* Machine interface. */
    struct mem *mem;
    struct tlb tlb;
    struct cpu_hooks hooks;
    void *opaque;
    bool ring0_exits;    /* PV: every entry to ring 0 is an exit */
    bool strict;         /* stop on unimplemented instructions */
    volatile bool stop_request;
    bool irq_pending;    /* machine has an interrupt for ack_irq() */
    bool nmi_pending;
    uint64_t tsc_offset; /* TSC = icount + tsc_offset (virtual clock) */

    /* Debugger interface (struct cpu_debug_hooks). */
    struct cpu_debug_hooks debug;
    void *debug_opaque;
    bool debug_active;   /* check code pages and instructions */
    bool debug_watch;    /* report data accesses (cpu_debug_update) */
    bool debug_stop;     /* a stop was asked for: STOP_DEBUG */

    /* Counters. */
    uint64_t icount;     /* retired instructions, all rings */

    /* Diagnostics for STOP_STRICT and #UD. */
    uint64_t ud_rip;
    uint8_t ud_bytes[16];
    uint8_t ud_len;

    /* Private to cpu/. */
    struct cpu_priv *priv;
    jmp_buf *fault_jmp;
};

enum cpu_mode {
    MODE_REAL,
    MODE_PROT16,     /* protected mode, CS.D = 0 */
    MODE_PROT32,
    MODE_COMPAT16,   /* long mode, CS.L = 0, CS.D = 0 */
    MODE_COMPAT32,
    MODE_LONG64,
};

/* Create/destroy.  The CPU starts in the architectural reset state
 * (real mode, CS:IP = F000:FFF0) over memory m. */
int cpu_init(struct cpu *c, struct mem *m);
void cpu_destroy(struct cpu *c);
void cpu_reset(struct cpu *c);

/* The JIT (x86-64 hosts): a 64-bit-mode block is compiled to host code
 * once entered threshold times; 0 turns it off (the default threshold
 * is CPU_JIT_THRESHOLD where there is a back end, else 0).  A run is the
 * same instruction for instruction either way. */
#define CPU_JIT_THRESHOLD 16
void cpu_set_jit(struct cpu *c, unsigned threshold);
unsigned cpu_jit_threshold(const struct cpu *c);

/* Run until budget instructions have retired or something stops it. */
enum cpu_stop cpu_run(struct cpu *c, uint64_t budget);

/* Full RFLAGS with the lazy flags materialised; set all of RFLAGS. */
uint64_t cpu_get_rflags(struct cpu *c);
void cpu_set_rflags(struct cpu *c, uint64_t v);

/* Control registers and EFER with their architectural side effects
 * (TLB flushes, mode changes).  Return false when the value would #GP. */
bool cpu_set_cr0(struct cpu *c, uint64_t v);
bool cpu_set_cr3(struct cpu *c, uint64_t v);
bool cpu_set_cr4(struct cpu *c, uint64_t v);
bool cpu_set_efer(struct cpu *c, uint64_t v);
/* Load a segment register's hidden part directly (machine set-up, Xen). */
void cpu_set_seg(struct cpu *c, int seg, uint16_t sel, uint64_t base,
                 uint32_t limit, uint16_t attr);
/* Recompute mode and CPL from CR0, EFER and CS. */
void cpu_update_mode(struct cpu *c);

/* FXRSTOR without an instruction, for a machine loading a saved context:
 * the x87 and SSE state (MXCSR and all 16 XMM registers) from a 512-byte
 * FXSAVE image in little-endian byte order, w64 its REX.W layout (64-bit
 * FIP/FDP, no selectors).  False, nothing loaded, when the image's MXCSR
 * has a bit outside cpu_mxcsr_mask() (where FXRSTOR raises #GP). */
bool cpu_fx_load(struct cpu *c, const uint8_t *img, bool w64);
/* The MXCSR bits that may be set (FXSAVE's MXCSR_MASK). */
uint32_t cpu_mxcsr_mask(void);

/* CPUID of the built-in model, ignoring hooks.cpuid (for a machine that
 * filters the model's answer). */
void cpu_cpuid_builtin(struct cpu *c, uint32_t leaf, uint32_t sub,
                       uint32_t out[4]);

/* Load segment register seg from the descriptor tables as MOV Sreg would
 * at the current CPL (for CS: as a return to privilege level sel & 3, which
 * becomes the CPL).  On a fault returns false with *fault filled and the
 * register unchanged.  For machines emulating privileged transfers. */
bool cpu_load_seg(struct cpu *c, int seg, uint16_t sel,
                  struct cpu_event *fault);
/* What a return to an outer privilege level does to DS, ES, FS and GS
 * (IRET, RET far): each holding a data or non-conforming code segment of
 * DPL below the (new) CPL becomes null. */
void cpu_null_outer_segs(struct cpu *c);

/* Deliver an event through the IDT as the hardware would (used by the bare
 * machine for interrupts; by the CPU itself when ring0_exits is off). */
void cpu_deliver(struct cpu *c, const struct cpu_event *ev);

/* Virtual-address access for machines and debuggers: through the current
 * page tables, no A/D side effects with ACC_NOSET; return 0 or -1. */
int cpu_read_virt(struct cpu *c, uint64_t va, void *buf, size_t len,
                  unsigned acc);
int cpu_write_virt(struct cpu *c, uint64_t va, const void *buf, size_t len,
                   unsigned acc);
/* Translate va through the current paging mode; -1 on fault. */
int cpu_translate(struct cpu *c, uint64_t va, unsigned acc, uint64_t *pa);

/* For a machine's exit handler (called inside cpu_run): run exactly the
 * instruction at rip, with any event it raises recorded in *ev instead of
 * handled (no event: ev->vector = 0xff, kind EV_INTERRUPT).  Returns true
 * when the instruction retired.  The state of the event being handled is
 * kept.  (machine-step.c) */
bool cpu_exec_one(struct cpu *c, struct cpu_event *ev);

/* Debugger: end cpu_run with STOP_DEBUG after the current instruction
 * (at once when called outside cpu_run); and apply a change of
 * debug_watch (the memory fast paths go or come back). */
void cpu_debug_stop(struct cpu *c);
void cpu_debug_update(struct cpu *c);

/* Drop every decoded block and TLB entry (e.g. after loading an image). */
void cpu_flush_code(struct cpu *c);

/* Decode one instruction at a host buffer for tests/disassembly hooks:
 * returns its length in bytes (1..15), or 0 if it is invalid (#UD) in mode. */
unsigned cpu_insn_length(const uint8_t *bytes, size_t avail, enum cpu_mode mode);

#endif
