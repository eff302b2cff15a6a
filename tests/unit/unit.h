/*
 * Conventions for CUnit unit tests.  Each tests/unit/test-*.c ends with
 *
 *   UNIT_SUITE(mmu)
 *   {
 *       CU_pSuite s = CU_add_suite("mmu", NULL, NULL);
 *       UNIT_TEST(s, test_walk_4level);
 *       ...
 *   }
 *
 * The build collects every UNIT_SUITE(name) line into suites.gen.h and the
 * runner (tests/unit/main.c) registers them all.
 */
#ifndef XENEMU_UNIT_H
#define XENEMU_UNIT_H

#include <CUnit/CUnit.h>

#define UNIT_SUITE(name) void unit_suite_##name(void)
#define UNIT_TEST(suite, fn) CU_add_test((suite), #fn, (fn))

#endif
