/* Decoder: instruction lengths and validity per mode (cpu_insn_length). */
#include "tests/unit/unit.h"
#include "cpu/cpu.h"

struct len_case {
    enum cpu_mode mode;
    uint8_t bytes[15];
    unsigned n, len;       /* len 0: invalid in that mode */
};

static const struct len_case cases[] = {
    { MODE_LONG64, { 0x48, 0x63, 0xc1 }, 3, 3 },             /* movsxd rax, ecx */
    { MODE_PROT32, { 0x63, 0xc8 }, 2, 2 },                   /* arpl ax, cx */
    { MODE_LONG64, { 0x40, 0xc3 }, 2, 2 },                   /* rex ret */
    { MODE_PROT32, { 0x40 }, 1, 1 },                         /* inc eax */
    { MODE_LONG64, { 0x60 }, 1, 0 },                         /* pusha: invalid */
    { MODE_PROT32, { 0x60 }, 1, 1 },
    { MODE_LONG64, { 0x48, 0x8b, 0x05, 1, 2, 3, 4 }, 7, 7 }, /* mov rax, [rip+d32] */
    { MODE_PROT16, { 0x8b, 0x46, 0x02 }, 3, 3 },             /* mov ax, [bp+2] */
    { MODE_PROT16, { 0x67, 0x8b, 0x44, 0x24, 0x08 }, 5, 5 }, /* a32 sib disp8 */
    { MODE_LONG64, { 0x48, 0xb8, 1, 2, 3, 4, 5, 6, 7, 8 }, 10, 10 }, /* mov rax, imm64 */
    { MODE_PROT32, { 0x66, 0x68, 0x34, 0x12 }, 4, 4 },       /* push imm16 */
    { MODE_LONG64, { 0xc8, 0x10, 0x00, 0x01 }, 4, 4 },       /* enter */
    { MODE_LONG64, { 0xf0, 0x01, 0xc0 }, 3, 0 },             /* lock on a register */
    { MODE_LONG64, { 0x0f, 0x0b }, 2, 2 },                   /* ud2: defined, raises #UD */
    { MODE_LONG64, { 0x0f, 0x04 }, 2, 0 },                   /* no such opcode */
    /* 15 bytes is the limit: 14 prefixes + nop decodes, 15 + nop does not. */
    { MODE_LONG64, { 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
                     0x66, 0x66, 0x66, 0x66, 0x66, 0x90 }, 15, 15 },
};

static void test_lengths(void)
{
    for (unsigned k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        const struct len_case *c = &cases[k];
        CU_ASSERT_EQUAL_FATAL(cpu_insn_length(c->bytes, c->n, c->mode), c->len);
    }
}

static void test_too_long(void)
{
    uint8_t b[16];
    for (unsigned k = 0; k < 15; k++)
        b[k] = 0x66;
    b[15] = 0x90;
    CU_ASSERT_EQUAL(cpu_insn_length(b, sizeof(b), MODE_LONG64), 0);
}

UNIT_SUITE(cpu_decode)
{
    CU_pSuite s = CU_add_suite("cpu_decode", NULL, NULL);
    UNIT_TEST(s, test_lengths);
    UNIT_TEST(s, test_too_long);
}
