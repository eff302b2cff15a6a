/*
 * The console keys of the input layer (machine/input.c): Ctrl-] and
 * Ctrl-A x end the run, Ctrl-A c enters the monitor, Ctrl-A Ctrl-A sends
 * one Ctrl-A, anything else after Ctrl-A goes to the guest with it, and
 * the prefix carries over from one read to the next.
 */
#include <string.h>
#include "machine/input.h"
#include "unit.h"

static struct input in;
static uint8_t out[64];

static size_t keys(const char *typed)
{
    return input_console_keys(&in, (const uint8_t *)typed, strlen(typed),
                              out);
}

static void test_plain_and_escape(void)
{
    memset(&in, 0, sizeof(in));
    CU_ASSERT_EQUAL(keys("ls\r"), 3);
    CU_ASSERT_EQUAL(memcmp(out, "ls\r", 3), 0);
    CU_ASSERT_FALSE(in.escape);
    CU_ASSERT_EQUAL(keys("ab\x1d" "cd"), 2);            /* Ctrl-] */
    CU_ASSERT_EQUAL(memcmp(out, "ab", 2), 0);
    CU_ASSERT_TRUE(in.escape);
}

static void test_prefix(void)
{
    memset(&in, 0, sizeof(in));
    CU_ASSERT_EQUAL(keys("x\x01" "cy"), 1);             /* Ctrl-A c */
    CU_ASSERT_EQUAL(out[0], 'x');
    CU_ASSERT_TRUE(in.monitor_request);
    CU_ASSERT_FALSE(in.escape);

    memset(&in, 0, sizeof(in));
    CU_ASSERT_EQUAL(keys("\x01\x01" "a"), 2);           /* Ctrl-A Ctrl-A */
    CU_ASSERT_EQUAL(out[0], 0x01);
    CU_ASSERT_EQUAL(out[1], 'a');
    CU_ASSERT_EQUAL(keys("\x01" "b"), 2);               /* sent with b */
    CU_ASSERT_EQUAL(memcmp(out, "\x01" "b", 2), 0);
    CU_ASSERT_EQUAL(keys("\x01"), 0);                   /* across reads */
    CU_ASSERT_TRUE(in.prefix);
    CU_ASSERT_EQUAL(keys("x"), 0);                      /* Ctrl-A x */
    CU_ASSERT_TRUE(in.escape);
    CU_ASSERT_FALSE(in.monitor_request);
}

UNIT_SUITE(input)
{
    CU_pSuite s = CU_add_suite("input", NULL, NULL);
    UNIT_TEST(s, test_plain_and_escape);
    UNIT_TEST(s, test_prefix);
}
