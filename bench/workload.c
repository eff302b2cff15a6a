/*
 * intbench's workload: a deterministic, CPU-bound integer mix (CRC32,
 * quicksort, hashing, string operations and a bytecode interpreter).
 * Freestanding and self-contained (no library calls, no rep-prefixed
 * instructions), so the same object runs as a bare guest kernel and in a
 * host harness that counts its instructions (see bench/README.md).
 */
#include <stddef.h>
#include <stdint.h>
#include "workload.h"

/* --- deterministic PRNG (xorshift64*) --------------------------------------- */

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

/* --- CRC32 (IEEE, reflected, table-driven) ------------------------------------ */

static uint32_t crc_table[256];

static void crc32_init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
}

static uint32_t crc32(const uint8_t *p, size_t n)
{
    uint32_t c = 0xffffffffu;
    while (n--)
        c = crc_table[(c ^ *p++) & 0xff] ^ (c >> 8);
    return ~c;
}

/* --- quicksort -------------------------------------------------------------------- */

static void quicksort(int32_t *a, long lo, long hi)
{
    while (lo < hi) {
        int32_t pivot = a[lo + (hi - lo) / 2];
        long i = lo, j = hi;
        while (i <= j) {
            while (a[i] < pivot)
                i++;
            while (a[j] > pivot)
                j--;
            if (i <= j) {
                int32_t t = a[i];
                a[i++] = a[j];
                a[j--] = t;
            }
        }
        /* Recurse into the smaller half, loop on the larger one. */
        if (j - lo < hi - i) {
            quicksort(a, lo, j);
            lo = i;
        } else {
            quicksort(a, i, hi);
            hi = j;
        }
    }
}

/* --- hashing ------------------------------------------------------------------------ */

static uint64_t fnv1a(const uint8_t *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    while (n--)
        h = (h ^ *p++) * 0x100000001b3ull;
    return h;
}

static uint64_t rotl(uint64_t x, int r)
{
    return x << r | x >> (64 - r);
}

/* A multiply-rotate hash over 64-bit words (n a multiple of 4) in the
 * style of xxHash64. */
static uint64_t mixhash(const uint64_t *w, size_t n, uint64_t seed)
{
    const uint64_t p1 = 0x9e3779b185ebca87ull, p2 = 0xc2b2ae3d27d4eb4full;
    uint64_t acc[4] = { seed + p1 + p2, seed + p2, seed, seed - p1 };

    for (size_t i = 0; i < n; i += 4)
        for (int k = 0; k < 4; k++)
            acc[k] = rotl(acc[k] + w[i + k] * p2, 31) * p1;
    uint64_t h = rotl(acc[0], 1) + rotl(acc[1], 7) + rotl(acc[2], 12) +
                 rotl(acc[3], 18) + n;
    h ^= h >> 33;
    h *= p2;
    h ^= h >> 29;
    return h;
}

/* --- string operations ---------------------------------------------------------------- */

static size_t str_len(const char *s)
{
    const char *p = s;
    while (*p)
        p++;
    return (size_t)(p - s);
}

static int mem_cmp(const uint8_t *a, const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return a[i] - b[i];
    return 0;
}

static void copy_bytes(uint8_t *d, const uint8_t *s, size_t n)
{
    while (n--)
        *d++ = *s++;
}

/* --- a small stack-machine interpreter ----------------------------------------------- */

enum op {
    OP_PUSH, OP_LOAD, OP_STORE, OP_ADD, OP_SUB, OP_MUL, OP_XOR, OP_SHR,
    OP_AND, OP_DUP, OP_JNZ, OP_HALT,
};

/*
 * for (i = n; i; i--) acc = (acc * 31 + (i ^ (acc >> 3))) & 0xffffff;
 * vars: 0 = i, 1 = acc.
 */
static const int32_t vm_program[] = {
    /* 0 */ OP_LOAD, 1, OP_PUSH, 31, OP_MUL,
    /* 5 */ OP_LOAD, 0, OP_LOAD, 1, OP_PUSH, 3, OP_SHR, OP_XOR, OP_ADD,
    /* 14 */ OP_PUSH, 0xffffff, OP_AND, OP_STORE, 1,
    /* 19 */ OP_LOAD, 0, OP_PUSH, 1, OP_SUB, OP_DUP, OP_STORE, 0,
    /* 27 */ OP_JNZ, 0,
    /* 29 */ OP_HALT,
};

static int64_t vm_run(const int32_t *code, int64_t n, int64_t acc)
{
    int64_t stack[16], vars[2] = { n, acc };
    int sp = 0, pc = 0;

    for (;;) {
        int32_t op = code[pc++];
        switch (op) {
        case OP_PUSH: stack[sp++] = code[pc++]; break;
        case OP_LOAD: stack[sp++] = vars[code[pc++]]; break;
        case OP_STORE: vars[code[pc++]] = stack[--sp]; break;
        case OP_ADD: sp--; stack[sp - 1] += stack[sp]; break;
        case OP_SUB: sp--; stack[sp - 1] -= stack[sp]; break;
        case OP_MUL: sp--; stack[sp - 1] *= stack[sp]; break;
        case OP_XOR: sp--; stack[sp - 1] ^= stack[sp]; break;
        case OP_SHR: sp--; stack[sp - 1] >>= stack[sp]; break;
        case OP_AND: sp--; stack[sp - 1] &= stack[sp]; break;
        case OP_DUP: stack[sp] = stack[sp - 1]; sp++; break;
        case OP_JNZ: {
            int32_t target = code[pc++];
            if (stack[--sp])
                pc = target;
            break;
        }
        case OP_HALT: return vars[1];
        default: return -1;
        }
    }
}

/* --- the mix ----------------------------------------------------------------------------- */

#define BUF_SIZE 16384
#define SORT_N 4096
#define NSTR 64

static uint64_t buf_words[BUF_SIZE / 8];   /* read as words and as bytes */
#define buf ((uint8_t *)buf_words)
static uint8_t copy[BUF_SIZE];
static int32_t sortbuf[SORT_N];
static char strs[NSTR][64];

static uint64_t fold(uint64_t sum, uint64_t v)
{
    return rotl(sum ^ v, 13) * 0x9e3779b97f4a7c15ull;
}

static uint64_t round_once(uint64_t sum)
{
    /* Refresh a part of the buffer so no two rounds do identical work. */
    for (int i = 0; i < 64; i++)
        buf[rng() % BUF_SIZE] = (uint8_t)rng();

    sum = fold(sum, crc32(buf, BUF_SIZE));
    sum = fold(sum, fnv1a(buf, BUF_SIZE / 2));
    sum = fold(sum, mixhash(buf_words, BUF_SIZE / 8, sum));

    for (int i = 0; i < SORT_N; i++)
        sortbuf[i] = (int32_t)(rng() >> 33) - (1 << 30);
    quicksort(sortbuf, 0, SORT_N - 1);
    sum = fold(sum, (uint64_t)(uint32_t)sortbuf[0] << 32 |
                    (uint32_t)sortbuf[SORT_N - 1]);
    sum = fold(sum, (uint64_t)(uint32_t)sortbuf[SORT_N / 2]);

    for (int i = 0; i < NSTR; i++) {
        int len = 8 + (int)(rng() % 48);
        for (int k = 0; k < len; k++)
            strs[i][k] = (char)('a' + rng() % 4);
        strs[i][len] = 0;
    }
    uint64_t s = 0;
    for (int i = 0; i < NSTR; i++)
        for (int k = 0; k < NSTR; k += 8)
            s = s * 3 + str_len(strs[i]) +
                (uint64_t)(mem_cmp((const uint8_t *)strs[i],
                                   (const uint8_t *)strs[k], 8) + 256);
    copy_bytes(copy, buf, BUF_SIZE);
    copy_bytes(copy + 1, copy, BUF_SIZE - 1);
    s += (uint64_t)(mem_cmp(copy, buf, BUF_SIZE) + 256);
    sum = fold(sum, s);

    sum = fold(sum, (uint64_t)vm_run(vm_program, 3000, (int64_t)(sum & 0xffff)));
    return sum;
}

uint64_t workload(unsigned rounds)
{
    uint64_t sum = 0;

    rng_state = 0x853c49e6748fea9bull;
    crc32_init();
    for (size_t i = 0; i < BUF_SIZE; i++)
        buf[i] = (uint8_t)rng();
    for (unsigned r = 0; r < rounds; r++)
        sum = round_once(sum);
    return sum;
}
