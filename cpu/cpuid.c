/*
 * The built-in CPUID model: an AMD family 17h CPU ("AuthenticAMD") with
 * the features the emulator implements, and the vendor-behaviour tables.
 * cpuid_has() answers from the same table, so what the decoder accepts is
 * what CPUID advertises.  A machine's hooks.cpuid overrides what the guest
 * reads (not what the decoder accepts).
 */
#include <string.h>
#include "cpu/cpu-priv.h"

/* One switch per floating-point/SIMD feature: each is advertised (and
 * decoded) once its instructions exist.  The x87 is complete: FPU, and
 * FCMOV with CMOV. */
#define CPUID_FPU   1
#define CPUID_MMX   0
#define CPUID_FXSR  0
#define CPUID_SSE   0
#define CPUID_SSE2  0
#define CPUID_SSE3  0
#define CPUID_SSSE3 0
#define CPUID_SSE41 0
#define CPUID_SSE42 0

#define SIGNATURE 0x00800f12u     /* family 17h, model 01h, stepping 2 */
#define MAX_BASIC 0x0du
#define MAX_EXT   0x80000008u

/* Leaf 1 EDX (also mirrored in 0x80000001 EDX on AMD). */
#define D1_FPU   (1u << 0)
#define D1_DE    (1u << 2)
#define D1_PSE   (1u << 3)
#define D1_TSC   (1u << 4)
#define D1_MSR   (1u << 5)
#define D1_PAE   (1u << 6)
#define D1_CX8   (1u << 8)
#define D1_SEP   (1u << 11)
#define D1_PGE   (1u << 13)
#define D1_CMOV  (1u << 15)
#define D1_PAT   (1u << 16)
#define D1_PSE36 (1u << 17)
#define D1_CLFSH (1u << 19)
#define D1_MMX   (1u << 23)
#define D1_FXSR  (1u << 24)
#define D1_SSE   (1u << 25)
#define D1_SSE2  (1u << 26)
/* Leaf 1 ECX. */
#define C1_SSE3   (1u << 0)
#define C1_SSSE3  (1u << 9)
#define C1_CX16   (1u << 13)
#define C1_SSE41  (1u << 19)
#define C1_SSE42  (1u << 20)
#define C1_MOVBE  (1u << 22)
#define C1_POPCNT (1u << 23)
/* Leaf 7 EBX. */
#define B7_FSGSBASE (1u << 0)
#define B7_SMEP     (1u << 7)
#define B7_SMAP     (1u << 20)
/* Leaf 0x80000001 ECX/EDX. */
#define CE_LAHF  (1u << 0)
#define CE_ABM   (1u << 5)
#define DE_SYSCALL (1u << 11)
#define DE_NX    (1u << 20)
#define DE_RDTSCP (1u << 27)
#define DE_LM    (1u << 29)

#define IF_ON(on, bit) ((on) ? (bit) : 0u)

#define LEAF1_EDX (IF_ON(CPUID_FPU, D1_FPU) | D1_DE | D1_PSE | D1_TSC | \
                   D1_MSR | D1_PAE | D1_CX8 | D1_SEP | D1_PGE | D1_CMOV | \
                   D1_PAT | D1_PSE36 | D1_CLFSH | IF_ON(CPUID_MMX, D1_MMX) | \
                   IF_ON(CPUID_FXSR, D1_FXSR) | IF_ON(CPUID_SSE, D1_SSE) | \
                   IF_ON(CPUID_SSE2, D1_SSE2))
#define LEAF1_ECX (C1_CX16 | C1_MOVBE | C1_POPCNT | \
                   IF_ON(CPUID_SSE3, C1_SSE3) | IF_ON(CPUID_SSSE3, C1_SSSE3) | \
                   IF_ON(CPUID_SSE41, C1_SSE41) | IF_ON(CPUID_SSE42, C1_SSE42))
/* The leaf 1 EDX bits AMD repeats in 0x80000001 EDX. */
#define AMD_MIRROR 0x0183f3ffu

struct leaf {
    uint32_t leaf, sub;
    uint32_t r[4];          /* eax, ebx, ecx, edx */
};

/* Vendor and brand strings are filled in by string_leaf(). */
static const struct leaf leaves[] = {
    { 1, 0, { SIGNATURE, 0x00010800, LEAF1_ECX, LEAF1_EDX } },
    { 7, 0, { 0, B7_FSGSBASE | B7_SMEP | B7_SMAP, 0, 0 } },
    { 0x80000001, 0, { SIGNATURE, 0, CE_LAHF | CE_ABM,
                       (LEAF1_EDX & AMD_MIRROR) | DE_SYSCALL | DE_NX |
                       DE_RDTSCP | DE_LM } },
    { 0x80000008, 0, { 0x00003028, 0, 0, 0 } },   /* 40-bit PA, 48-bit VA */
};

/* Leaves whose ECX selects a sub-leaf. */
static bool has_subleaves(uint32_t leaf)
{
    return leaf == 4 || leaf == 7 || leaf == 0xb || leaf == 0xd;
}

static const char brand[48] = "xenemu x86-64 CPU";

/* Pack n little-endian words of s (which holds at least 4 * n bytes). */
static void put_str(uint32_t *r, const char *s, unsigned n)
{
    for (unsigned k = 0; k < n; k++)
        r[k] = (uint32_t)(uint8_t)s[4 * k] |
               (uint32_t)(uint8_t)s[4 * k + 1] << 8 |
               (uint32_t)(uint8_t)s[4 * k + 2] << 16 |
               (uint32_t)(uint8_t)s[4 * k + 3] << 24;
}

/* Leaves 0 and 0x80000000 (vendor) and 0x80000002..4 (brand). */
static bool string_leaf(const struct cpu_model *m, uint32_t leaf,
                        uint32_t out[4])
{
    uint32_t v[4];

    if (leaf == 0 || leaf == 0x80000000) {
        put_str(v, m->vendor, 3);        /* "Auth" "enti" "cAMD" */
        out[0] = leaf ? MAX_EXT : MAX_BASIC;
        out[1] = v[0];
        out[3] = v[1];
        out[2] = v[2];
        return true;
    }
    if (leaf >= 0x80000002 && leaf <= 0x80000004) {
        put_str(out, brand + 16 * (leaf - 0x80000002), 4);
        return true;
    }
    return false;
}

static void builtin(const struct cpu_model *m, uint32_t leaf, uint32_t sub,
                    uint32_t out[4])
{
    memset(out, 0, 4 * sizeof(uint32_t));
    if (!has_subleaves(leaf))
        sub = 0;
    if (string_leaf(m, leaf, out))
        return;
    for (size_t k = 0; k < ARRAY_SIZE(leaves); k++) {
        if (leaves[k].leaf == leaf && leaves[k].sub == sub) {
            memcpy(out, leaves[k].r, sizeof(leaves[k].r));
            return;
        }
    }
    /* Anything else, in range or not, reads as zeros (AMD). */
}

void cpuid_query(struct cpu *c, uint32_t leaf, uint32_t sub, uint32_t out[4])
{
    if (c->hooks.cpuid) {
        cpu_icount_sync(c);
        c->hooks.cpuid(c->opaque, c, leaf, sub, out);
        return;
    }
    builtin(cpu_model_of(c), leaf, sub, out);
}

void cpu_cpuid_builtin(struct cpu *c, uint32_t leaf, uint32_t sub,
                       uint32_t out[4])
{
    builtin(cpu_model_of(c), leaf, sub, out);
}

/* Where each decoder feature lives: leaf, register, bit. */
static const struct {
    uint32_t leaf;
    uint8_t reg;
    uint32_t bit;
} feats[] = {
    [FEAT_CMOV] = { 1, 3, D1_CMOV },
    [FEAT_CX8] = { 1, 3, D1_CX8 },
    [FEAT_CX16] = { 1, 2, C1_CX16 },
    [FEAT_POPCNT] = { 1, 2, C1_POPCNT },
    [FEAT_LZCNT] = { 0x80000001, 2, CE_ABM },
    [FEAT_MOVBE] = { 1, 2, C1_MOVBE },
    [FEAT_RDTSCP] = { 0x80000001, 3, DE_RDTSCP },
    [FEAT_FSGSBASE] = { 7, 1, B7_FSGSBASE },
    [FEAT_SYSCALL] = { 0x80000001, 3, DE_SYSCALL },
    [FEAT_SEP] = { 1, 3, D1_SEP },
    [FEAT_CLFLUSH] = { 1, 3, D1_CLFSH },
    [FEAT_SSE] = { 1, 3, D1_SSE },
    [FEAT_SSE2] = { 1, 3, D1_SSE2 },
};

bool cpuid_has(unsigned feat)
{
    uint32_t out[4];

    if (feat == FEAT_NONE)
        return true;
    if (feat >= ARRAY_SIZE(feats) || !feats[feat].bit)
        return false;
    builtin(&cpu_model_amd, feats[feat].leaf, 0, out);
    return out[feats[feat].reg] & feats[feat].bit;
}

/* CR4 bits of features this model has (others are reserved: #GP). */
uint64_t cpuid_cr4_valid(void)
{
    uint64_t v = CR4_TSD | CR4_DE | CR4_PSE | CR4_PAE | CR4_PGE | CR4_PCE |
                 CR4_FSGSBASE | CR4_SMEP | CR4_SMAP;
    if (CPUID_FXSR)
        v |= CR4_OSFXSR;
    if (CPUID_SSE)
        v |= CR4_OSXMMEXCPT;
    return v;
}

/* ---- vendor behaviour ------------------------------------------------------ */

const struct cpu_model cpu_model_amd = {
    .vendor = "AuthenticAMD",
    .syscall_legacy = true,
    .sysenter_long = false,
    .sysret_gp_noncanonical = false,
    .null_sel_clears_base = false,
};

const struct cpu_model cpu_model_intel = {
    .vendor = "GenuineIntel",
    .syscall_legacy = false,
    .sysenter_long = true,
    .sysret_gp_noncanonical = true,
    .null_sel_clears_base = true,
};

const struct cpu_model *cpu_model_of(const struct cpu *c)
{
    return c->priv->model ? c->priv->model : &cpu_model_amd;
}
