/*
 * The unit-test runner: registers every suite of tests/unit/test-*.c (the
 * build lists their UNIT_SUITE lines in suites.gen.h) and runs them with
 * CUnit's basic interface.
 *
 *   run-unit [-v] [-l] [SUITE...]
 *
 * -v prints every test, -l lists the suites; SUITE arguments restrict the
 * run to the suites of those names.  After CUnit's own summary comes one line
 * "N passed, N failed" counting tests (a suite whose setup failed counts as
 * one failure); the exit status is 0 only when nothing failed.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <CUnit/Basic.h>

#include "unit.h"
#include "tests/unit/suites.gen.h"

static void usage(FILE *out)
{
    fprintf(out, "usage: run-unit [-v] [-l] [SUITE...]\n");
}

static CU_pSuite find_suite(const char *name)
{
    for (CU_pSuite s = CU_get_registry()->pSuite; s; s = s->pNext) {
        if (strcmp(s->pName, name) == 0)
            return s;
    }
    return NULL;
}

static void list_suites(void)
{
    for (CU_pSuite s = CU_get_registry()->pSuite; s; s = s->pNext)
        printf("%s (%u tests)\n", s->pName, s->uiNumberOfTests);
}

/* Leaves active only the named suites; false if a name is unknown. */
static bool select_suites(char **names, int count)
{
    for (int i = 0; i < count; i++) {
        if (!find_suite(names[i])) {
            fprintf(stderr, "run-unit: no suite named '%s' (run-unit -l lists them)\n",
                    names[i]);
            return false;
        }
    }
    for (CU_pSuite s = CU_get_registry()->pSuite; s; s = s->pNext) {
        bool wanted = false;
        for (int i = 0; i < count; i++)
            wanted = wanted || strcmp(s->pName, names[i]) == 0;
        CU_set_suite_active(s, wanted ? CU_TRUE : CU_FALSE);
    }
    CU_set_fail_on_inactive(CU_FALSE);
    return true;
}

int main(int argc, char **argv)
{
    CU_BasicRunMode mode = CU_BRM_NORMAL;
    bool list = false;
    int first = 1;

    for (; first < argc && argv[first][0] == '-'; first++) {
        if (strcmp(argv[first], "-v") == 0) {
            mode = CU_BRM_VERBOSE;
        } else if (strcmp(argv[first], "-l") == 0) {
            list = true;
        } else if (strcmp(argv[first], "-h") == 0 || strcmp(argv[first], "--help") == 0) {
            usage(stdout);
            return 0;
        } else {
            usage(stderr);
            return 2;
        }
    }

    if (CU_initialize_registry() != CUE_SUCCESS) {
        fprintf(stderr, "run-unit: %s\n", CU_get_error_msg());
        return 1;
    }
    for (size_t i = 0; unit_suites[i]; i++)
        unit_suites[i]();
    if (CU_get_error() != CUE_SUCCESS) {
        fprintf(stderr, "run-unit: registering the tests failed: %s\n", CU_get_error_msg());
        CU_cleanup_registry();
        return 1;
    }
    if (list) {
        list_suites();
        CU_cleanup_registry();
        return 0;
    }
    if (first < argc && !select_suites(argv + first, argc - first)) {
        CU_cleanup_registry();
        return 2;
    }

    CU_basic_set_mode(mode);
    CU_ErrorCode err = CU_basic_run_tests();
    const CU_RunSummary *sum = CU_get_run_summary();
    unsigned failed = sum->nTestsFailed + sum->nSuitesFailed;
    unsigned passed = sum->nTestsRun - sum->nTestsFailed;
    if (err != CUE_SUCCESS && failed == 0)
        failed = 1;
    printf("\n%u passed, %u failed\n", passed, failed);
    CU_cleanup_registry();
    return failed ? 1 : 0;
}
