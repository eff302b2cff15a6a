/*
 * fpbench's workload: a deterministic floating-point and SIMD mix —
 * single and double precision matrix multiplies on SSE vectors, a long
 * double (x87) series loop and an SSE4.2 PCMPISTRI string search.
 * Compiled with -msse4.2 -mno-avx (bench/rules.mk); freestanding, no
 * library calls and no rep-prefixed instructions, so the same object runs
 * as a bare guest kernel and in the host harness that counts its
 * instructions (bench/README.md).  Only correctly rounded operations are
 * used (no x87 transcendental instructions), so every conforming x86
 * implementation produces the same checksum.
 */
#include <stddef.h>
#include <stdint.h>
#include "fpwork.h"

typedef float v4sf __attribute__((vector_size(16)));
typedef double v2df __attribute__((vector_size(16)));

static uint64_t rng_state;

static uint64_t rng(void)
{
    uint64_t x = rng_state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rng_state = x;
    return x * 0x2545f4914f6cdd1dull;
}

static uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v;
    h *= 0x100000001b3ull;
    return h ^ h >> 29;
}

/* --- single precision: C = A * B, then rows scaled by 1/sqrt(norm) ------------ */

#define SN 32
static v4sf sa[SN][SN / 4], sb[SN][SN / 4], sc[SN][SN / 4];

static void sgemm(void)
{
    for (int i = 0; i < SN; i++) {
        v4sf acc[SN / 4];
        for (int j = 0; j < SN / 4; j++)
            acc[j] = (v4sf){ 0 };
        for (int k = 0; k < SN; k++) {
            float aik = sa[i][k / 4][k % 4];
            v4sf a = { aik, aik, aik, aik };
            for (int j = 0; j < SN / 4; j++)
                acc[j] += a * sb[k][j];
        }
        for (int j = 0; j < SN / 4; j++)
            sc[i][j] = acc[j];
    }
}

static uint64_t sgemm_round(uint64_t h)
{
    sgemm();
    for (int i = 0; i < SN; i++) {
        v4sf n = { 0 };
        for (int j = 0; j < SN / 4; j++)
            n += sc[i][j] * sc[i][j];
        float norm = n[0] + n[1] + n[2] + n[3];
        float inv = 1.0f / __builtin_sqrtf(norm + 1.0f);
        v4sf s = { inv, inv, inv, inv };
        for (int j = 0; j < SN / 4; j++) {
            v4sf v = sc[i][j] * s;
            union { v4sf v; uint64_t q[2]; } u = { .v = v };
            h = mix(mix(h, u.q[0]), u.q[1]);
            /* Feed the result back so that rounds differ. */
            sa[i][j] = v * (v4sf){ 3.0f, -2.5f, 1.75f, 0.5f } + sa[i][j] * 0.25f;
        }
    }
    return h;
}

/* --- double precision: C = A * B with a max/min clamp and a conversion -------- */

#define DN 24
static v2df da[DN][DN / 2], db[DN][DN / 2], dc[DN][DN / 2];

static void dgemm(void)
{
    for (int i = 0; i < DN; i++) {
        v2df acc[DN / 2];
        for (int j = 0; j < DN / 2; j++)
            acc[j] = (v2df){ 0 };
        for (int k = 0; k < DN; k++) {
            double aik = da[i][k / 2][k % 2];
            v2df a = { aik, aik };
            for (int j = 0; j < DN / 2; j++)
                acc[j] += a * db[k][j];
        }
        for (int j = 0; j < DN / 2; j++)
            dc[i][j] = acc[j];
    }
}

static uint64_t dgemm_round(uint64_t h)
{
    dgemm();
    for (int i = 0; i < DN; i++) {
        for (int j = 0; j < DN / 2; j++) {
            v2df v = dc[i][j];
            for (int l = 0; l < 2; l++) {
                double x = v[l];
                x = x > 1e6 ? 1e6 : x < -1e6 ? -1e6 : x;
                h = mix(h, (uint64_t)(int64_t)(x * 4096.0));
                union { double d; uint64_t q; } u = { .d = x };
                h = mix(h, u.q);
                da[i][j][l] = x / (1.0 + __builtin_fabs(x)) + da[i][j][l] * 0.5;
            }
        }
    }
    return h;
}

/* --- x87: long double series -------------------------------------------------- */

static uint64_t ld_bits(long double x)
{
    union { long double x; uint64_t q[2]; } u = { .x = x };
    return u.q[0] ^ (u.q[1] & 0xffff) << 48;
}

/* exp(x) and sin(x) by their Taylor series, sum of 1/k^2 and a Newton
 * square root: only +, -, *, / and FSQRT. */
static uint64_t x87_round(uint64_t h, unsigned r)
{
    long double x = (long double)(r % 97) / 37.0L - 1.25L;
    long double term = 1.0L, e = 1.0L, s = 0.0L, st = x;
    for (int k = 1; k < 40; k++) {
        term = term * x / k;
        e += term;
        s += st;
        st = -st * x * x / ((2 * k) * (2 * k + 1));
    }
    long double z = 0.0L;
    for (int k = 1; k <= 200; k++)
        z += 1.0L / ((long double)k * k + x);
    long double y = e, g = 1.0L;
    for (int k = 0; k < 12; k++)
        g = 0.5L * (g + y / g);
    long double q = __builtin_sqrtl(y);
    h = mix(h, ld_bits(e));
    h = mix(h, ld_bits(s));
    h = mix(h, ld_bits(z));
    h = mix(h, ld_bits(g - q));
    return mix(h, (uint64_t)(int64_t)(e * 1e12L));
}

/* --- SSE4.2 string search: PCMPISTRI ------------------------------------------ */

#define TEXT_SIZE 4096
static char text[TEXT_SIZE + 16] __attribute__((aligned(16)));

/* Index of the first byte of text[i..] that is one of set's bytes (equal
 * any, imm 0x00) or -1. */
static long find_any(const char *set16, long i)
{
    for (; i < TEXT_SIZE; i += 16) {
        int idx;
        __asm__("movdqu %1, %%xmm1\n\t"
                "pcmpistri $0x00, %2, %%xmm1"
                : "=c"(idx)
                : "m"(*(const char (*)[16])set16), "m"(*(const char (*)[16])(text + i))
                : "xmm1", "cc");
        if (idx < 16)
            return i + idx;
    }
    return -1;
}

/* Occurrences of needle (at most 16 bytes, NUL-terminated in a 16-byte
 * buffer) in the text: equal ordered (imm 0x0c) finds candidate starts,
 * full and partial matches at the block end, checked byte by byte. */
static unsigned count_substr(const char *needle16, size_t len)
{
    unsigned n = 0;
    long i = 0;
    while (i < TEXT_SIZE) {
        int idx;
        __asm__("movdqu %1, %%xmm2\n\t"
                "pcmpistri $0x0c, %2, %%xmm2"
                : "=c"(idx)
                : "m"(*(const char (*)[16])needle16), "m"(*(const char (*)[16])(text + i))
                : "xmm2", "cc");
        if (idx == 16) {
            i += 16;
            continue;
        }
        size_t k = 0;
        while (k < len && i + idx + (long)k < TEXT_SIZE && text[i + idx + k] == needle16[k])
            k++;
        n += k == len;
        i += idx + 1;
    }
    return n;
}

static uint64_t strings_round(uint64_t h, unsigned r)
{
    static const char sets[4][16] = { "qxz", "0123456789", ".,;:!?", "QWERTY" };
    static const char needles[4][16] = { "the", "abra", "ca", "emulator" };
    const char *set = sets[r % 4];
    long pos = 0;
    unsigned hits = 0;
    while ((pos = find_any(set, pos)) >= 0) {
        hits++;
        h = mix(h, (uint64_t)pos);
        pos++;
    }
    h = mix(h, hits);
    for (int k = 0; k < 4; k++) {
        size_t len = 0;
        while (needles[k][len])
            len++;
        h = mix(h, count_substr(needles[k], len));
    }
    /* Change a few bytes so that rounds differ. */
    for (int k = 0; k < 8; k++)
        text[rng() % TEXT_SIZE] = (char)(' ' + rng() % 95);
    return h;
}

static void init(void)
{
    static const char words[][12] = { "the", "abracadabra", "emulator", "a", "x87",
                                     "SSE", "vector", "QWERTY", "ca", "zero,", "7!" };
    rng_state = 0x9e3779b97f4a7c15ull;
    for (int i = 0; i < SN; i++)
        for (int j = 0; j < SN; j++) {
            sa[i][j / 4][j % 4] = (float)((int64_t)(rng() % 2001) - 1000) / 256.0f;
            sb[i][j / 4][j % 4] = (float)((int64_t)(rng() % 2001) - 1000) / 512.0f;
        }
    for (int i = 0; i < DN; i++)
        for (int j = 0; j < DN; j++) {
            da[i][j / 2][j % 2] = (double)((int64_t)(rng() % 200001) - 100000) / 65536.0;
            db[i][j / 2][j % 2] = (double)((int64_t)(rng() % 200001) - 100000) / 131072.0;
        }
    size_t n = 0;
    while (n < TEXT_SIZE) {
        const char *w = words[rng() % (sizeof words / sizeof words[0])];
        while (*w && n < TEXT_SIZE)
            text[n++] = *w++;
        if (n < TEXT_SIZE)
            text[n++] = ' ';
    }
    for (size_t i = TEXT_SIZE; i < sizeof text; i++)
        text[i] = 0;
}

uint64_t fpwork(unsigned rounds)
{
    uint64_t h = 0xcbf29ce484222325ull;
    init();
    for (unsigned r = 0; r < rounds; r++) {
        h = sgemm_round(h);
        h = dgemm_round(h);
        h = x87_round(h, r);
        h = strings_round(h, r);
    }
    return h;
}
