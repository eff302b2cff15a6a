/*
 * The little-endian accessors: the byte order they produce and consume is
 * fixed, whatever the host's.  Run on a big-endian host (make check-cross),
 * this is what shows guest memory is laid out the same there.
 */
#include <string.h>

#include "xenemu/le.h"
#include "unit.h"

static const uint8_t bytes[8] = { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef };

static void test_load_byte_order(void)
{
    CU_ASSERT_EQUAL(le8_load(bytes), 0x01);
    CU_ASSERT_EQUAL(le16_load(bytes), 0x2301);
    CU_ASSERT_EQUAL(le32_load(bytes), 0x67452301u);
    CU_ASSERT_EQUAL(le64_load(bytes), 0xefcdab8967452301ull);
}

static void test_store_byte_order(void)
{
    uint8_t buf[8];

    memset(buf, 0, sizeof(buf));
    le16_store(buf, 0x2301);
    CU_ASSERT_EQUAL(memcmp(buf, bytes, 2), 0);
    le32_store(buf, 0x67452301u);
    CU_ASSERT_EQUAL(memcmp(buf, bytes, 4), 0);
    le64_store(buf, 0xefcdab8967452301ull);
    CU_ASSERT_EQUAL(memcmp(buf, bytes, 8), 0);
}

/* Loads and stores at every misalignment, touching nothing around them. */
static void test_unaligned_round_trip(void)
{
    static const unsigned sizes[] = { 1, 2, 4, 8 };
    const uint64_t value = 0x8877665544332211ull;

    for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        unsigned size = sizes[i];
        uint64_t mask = size == 8 ? ~0ull : (1ull << (size * 8)) - 1;
        for (unsigned off = 0; off < 8; off++) {
            uint8_t buf[24];
            memset(buf, 0xa5, sizeof(buf));
            le_store(buf + 8 + off, size, value);
            CU_ASSERT_EQUAL(le_load(buf + 8 + off, size), value & mask);
            for (unsigned b = 0; b < size; b++)
                CU_ASSERT_EQUAL(buf[8 + off + b], (uint8_t)(value >> (8 * b)));
            for (unsigned b = 0; b < sizeof(buf); b++) {
                if (b < 8 + off || b >= 8 + off + size)
                    CU_ASSERT_EQUAL(buf[b], 0xa5);
            }
        }
    }
}

/* le_load zero-extends; le_store keeps only the low bytes. */
static void test_sized_access_widths(void)
{
    uint8_t buf[8];

    memset(buf, 0xff, sizeof(buf));
    CU_ASSERT_EQUAL(le_load(buf, 1), 0xffu);
    CU_ASSERT_EQUAL(le_load(buf, 2), 0xffffu);
    CU_ASSERT_EQUAL(le_load(buf, 4), 0xffffffffu);
    CU_ASSERT_EQUAL(le_load(buf, 8), ~0ull);

    memset(buf, 0, sizeof(buf));
    le_store(buf, 2, 0x1234567890abcdefull);
    CU_ASSERT_EQUAL(buf[0], 0xef);
    CU_ASSERT_EQUAL(buf[1], 0xcd);
    CU_ASSERT_EQUAL(buf[2], 0);
    le_store(buf, 4, 0x1234567890abcdefull);
    CU_ASSERT_EQUAL(le64_load(buf), 0x90abcdefull);
}

/* A value stored little-endian reads back byte-swapped through the host's
 * native order exactly when the host is big-endian. */
static void test_host_order_independent(void)
{
    uint8_t buf[4];
    uint32_t native;

    le32_store(buf, 0x11223344u);
    memcpy(&native, buf, sizeof(native));
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    CU_ASSERT_EQUAL(native, 0x44332211u);
#else
    CU_ASSERT_EQUAL(native, 0x11223344u);
#endif
    CU_ASSERT_EQUAL(buf[0], 0x44);
    CU_ASSERT_EQUAL(buf[3], 0x11);
}

UNIT_SUITE(le)
{
    CU_pSuite s = CU_add_suite("le", NULL, NULL);
    UNIT_TEST(s, test_load_byte_order);
    UNIT_TEST(s, test_store_byte_order);
    UNIT_TEST(s, test_unaligned_round_trip);
    UNIT_TEST(s, test_sized_access_widths);
    UNIT_TEST(s, test_host_order_independent);
}
