/*
 * Native execution of a case on the host CPU, in a sandbox of fixed
 * mappings: control block, code region (RWX), data region.  The trampoline
 * (native-x86_64.S) loads the input state and jumps to the instruction; a
 * landing stub after it, or at a branch target, jumps back to save the
 * state.  A fault arrives as a signal on an alternate stack and is turned
 * into the exception vector (the kernel's trap number), error code and the
 * register state at the fault.
 *
 * The signal handler also guards the emulated run (emu.c): a host signal
 * inside xenemu, or no progress for a few seconds, ends that case instead of
 * the whole program.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cpu-diff.h"

sigjmp_buf cd_emu_jmp;
volatile int cd_emu_signal;
volatile unsigned long cd_emu_progress;

#if defined(__x86_64__) && defined(__linux__)
#include <cpuid.h>
#include <errno.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <ucontext.h>

void cd_native_enter64(void);
void cd_native_enter32(void);
void cd_native_save(void);
void cd_native_reset_segs(void);
void cd_native_restore_fx(void);
void cd_native_sregs(uint16_t sel[6]);

static uint8_t *ctrl, *code, *data;
static sigjmp_buf native_jmp;
static struct cd_result *native_out;

enum { GUARD_NONE, GUARD_NATIVE, GUARD_EMU };
static volatile sig_atomic_t guard;
static volatile sig_atomic_t alarm_ticks;
static unsigned long seen_progress;

static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }
static uint64_t get64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }

/* gregs index of each GPR in encoding order. */
static const int greg_of[16] = {
    REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP, REG_RSI, REG_RDI,
    REG_R8, REG_R9, REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15,
};

static void on_signal(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    greg_t *gr = uc->uc_mcontext.gregs;

    if (sig == SIGALRM) {
        if (guard == GUARD_EMU && cd_emu_progress == seen_progress &&
            ++alarm_ticks >= 3) {
            guard = GUARD_NONE;
            cd_emu_signal = SIGALRM;
            siglongjmp(cd_emu_jmp, 1);
        }
        if (cd_emu_progress != seen_progress)
            alarm_ticks = 0;
        seen_progress = cd_emu_progress;
        return;
    }
    if (guard == GUARD_EMU) {
        guard = GUARD_NONE;
        cd_emu_signal = sig;
        siglongjmp(cd_emu_jmp, 1);
    }
    if (guard != GUARD_NATIVE) {
        /* A bug in cpu-diff itself: die with the default action. */
        signal(sig, SIG_DFL);
        return;
    }
    guard = GUARD_NONE;
    for (int i = 0; i < 16; i++)
        native_out->s.r[i] = (uint64_t)gr[greg_of[i]];
    native_out->s.rip = (uint64_t)gr[REG_RIP];
    native_out->s.rflags = (uint64_t)gr[REG_EFL];
    native_out->vector = (int)gr[REG_TRAPNO];
    native_out->error = (uint32_t)gr[REG_ERR];
    native_out->cr2 = (uint64_t)si->si_addr;
    if (uc->uc_mcontext.fpregs)       /* FXSAVE layout at the fault */
        memcpy(native_out->s.fx, uc->uc_mcontext.fpregs, FX_SIZE);
    siglongjmp(native_jmp, 1);
}

static void *map_fixed(uint64_t va, size_t len, int prot)
{
    void *p = mmap((void *)(uintptr_t)va, len, prot,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (p == MAP_FAILED || p != (void *)(uintptr_t)va) {
        fprintf(stderr, "cpu-diff: cannot map %#llx: %s\n",
                (unsigned long long)va, p == MAP_FAILED ? strerror(errno) : "moved");
        return NULL;
    }
    return p;
}

int cd_native_init(void)
{
    static uint8_t altstack[1 << 18];
    stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
    struct sigaction sa;
    struct itimerval it = { { 1, 0 }, { 1, 0 } };
    static const int sigs[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGALRM };
    uint32_t far32 = (uint32_t)CD_INSN_ADDR, far64 = (uint32_t)CD_BOUNCE64;
    uint16_t sel32 = SEL_USER32_CS, sel64 = SEL_USER_CS;

    ctrl = map_fixed(CD_CTRL_BASE, 4096, PROT_READ | PROT_WRITE);
    code = map_fixed(CD_CODE_BASE, CD_CODE_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC);
    data = map_fixed(CD_DATA_BASE, CD_DATA_SIZE, PROT_READ | PROT_WRITE);
    if (!ctrl || !code || !data)
        return -1;
    put64(ctrl + CTRL_TARGET, CD_INSN_ADDR);
    put64(ctrl + CTRL_SAVE, (uint64_t)(uintptr_t)cd_native_save);
    memcpy(ctrl + CTRL_FAR32, &far32, 4);
    memcpy(ctrl + CTRL_FAR32 + 4, &sel32, 2);
    memcpy(ctrl + CTRL_FAR64, &far64, 4);
    memcpy(ctrl + CTRL_FAR64 + 4, &sel64, 2);

    if (sigaltstack(&ss, NULL) < 0) {
        perror("cpu-diff: sigaltstack");
        return -1;
    }
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_signal;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    for (unsigned i = 0; i < ARRAY_LEN(sigs); i++)
        sigaction(sigs[i], &sa, NULL);
    setitimer(ITIMER_REAL, &it, NULL);
    return 0;
}

void cd_native_selectors(uint16_t sel[6])
{
    cd_native_sregs(sel);
}

void cd_emu_guard(bool on)
{
    guard = on ? GUARD_EMU : GUARD_NONE;
}

void cd_native_run(const struct cd_case *k, struct cd_result *out)
{
    bool compat = k->f->mode == 32;

    memcpy(code, k->code, CD_CODE_SIZE);
    memcpy(data, k->data, CD_DATA_SIZE);
    memcpy(ctrl + CTRL_IN, k->in.r, sizeof(k->in.r));
    memcpy(ctrl + CTRL_FXIN, k->in.fx, FX_SIZE);
    put64(ctrl + CTRL_INFL, k->in.rflags);
    ctrl[CTRL_LANDING] = 0xff;
    out->status = RES_OK;
    out->vector = -1;
    out->has_error = false;
    out->error = 0;
    out->cr2 = 0;
    native_out = out;

    if (sigsetjmp(native_jmp, 0) == 0) {
        guard = GUARD_NATIVE;
        if (compat)
            cd_native_enter32();
        else
            cd_native_enter64();
        guard = GUARD_NONE;
        for (int i = 0; i < 16; i++)
            out->s.r[i] = get64(ctrl + CTRL_OUT + 8 * i);
        out->s.rflags = get64(ctrl + CTRL_OUTFL);
        memcpy(out->s.fx, ctrl + CTRL_FXOUT, FX_SIZE);
        out->s.rip = ctrl[CTRL_LANDING] < 2 ? k->landing[ctrl[CTRL_LANDING]]
                                            : 0xbad0bad0bad0ull;
    } else {
        cd_native_restore_fx();
        if (compat)
            cd_native_reset_segs();
        /* Vectors that push an error code. */
        out->has_error = out->vector == 8 || (out->vector >= 10 && out->vector <= 14) ||
                         out->vector == 17;
        if (!out->has_error)
            out->error = 0;
    }
    memcpy(out->data, data, CD_DATA_SIZE);
}

bool cd_host_has(uint32_t feature)
{
    unsigned a, b, c, d, c1 = 0, d1 = 0, b7 = 0, c81 = 0;

    if (__get_cpuid(1, &a, &b, &c, &d)) {
        c1 = c;
        d1 = d;
    }
    if (__get_cpuid_count(7, 0, &a, &b, &c, &d))
        b7 = b;
    if (__get_cpuid(0x80000001, &a, &b, &c, &d))
        c81 = c;
    return cd_feature_bits(c1, d1, b7, c81, feature);
}

bool cd_native_supported(void) { return true; }

#else  /* not an x86-64 Linux host */

int cd_native_init(void) { return -1; }
void cd_native_run(const struct cd_case *k, struct cd_result *out)
{
    (void)k;
    memset(out, 0, sizeof(*out));
}
bool cd_host_has(uint32_t feature) { (void)feature; return false; }
void cd_native_selectors(uint16_t sel[6]) { memset(sel, 0, 12); }
void cd_emu_guard(bool on) { (void)on; }
bool cd_native_supported(void) { return false; }

#endif

/* Whether the CPUID words (leaf 1 ECX/EDX, leaf 7 EBX, leaf 0x80000001 ECX)
 * show every feature in the mask. */
bool cd_feature_bits(uint32_t c1, uint32_t d1, uint32_t b7, uint32_t c81,
                     uint32_t feature)
{
    static const struct { uint32_t feat; int word; int bit; } map[] = {
        { FEAT_CX8, 1, 8 }, { FEAT_CMOV, 1, 15 }, { FEAT_CX16, 0, 13 },
        { FEAT_MOVBE, 0, 22 }, { FEAT_POPCNT, 0, 23 }, { FEAT_BMI1, 2, 3 },
        { FEAT_BMI2, 2, 8 }, { FEAT_ADX, 2, 19 }, { FEAT_LZCNT, 3, 5 },
        { FEAT_LAHF, 3, 0 },
    };
    uint32_t w[4] = { c1, d1, b7, c81 };

    for (unsigned i = 0; i < ARRAY_LEN(map); i++)
        if ((feature & map[i].feat) && !(w[map[i].word] >> map[i].bit & 1))
            return false;
    return true;
}
