/*
 * The monitor's parsing: the expression evaluator (monitor/expr.c) and the
 * command line (monitor/cmdline.c: lookup with aliases and prefixes,
 * splitting, x's /FMT).
 */
#include <string.h>
#include "monitor/cmdline.h"
#include "monitor/expr.h"
#include "unit.h"

static bool reg(void *opaque, const char *name, uint64_t *val)
{
    (void)opaque;
    if (strcmp(name, "rsp") == 0) {
        *val = 0x8000;
        return true;
    }
    if (strcmp(name, "rax") == 0) {
        *val = 5;
        return true;
    }
    return false;
}

static bool sym(void *opaque, const char *name, uint64_t *val)
{
    (void)opaque;
    if (strcmp(name, "main") == 0) {
        *val = 0x401000;
        return true;
    }
    if (strcmp(name, "foo.constprop.0") == 0) {
        *val = 0x10;
        return true;
    }
    return false;
}

static const struct expr_env env = { reg, sym, NULL };
static char err[160];

static uint64_t ok(const char *text)
{
    uint64_t v = 0xdeadbeef;

    err[0] = '\0';
    CU_ASSERT_EQUAL_FATAL(expr_eval(text, &env, &v, err, sizeof(err)), 0);
    return v;
}

static void bad(const char *text, const char *message)
{
    uint64_t v = 42;

    CU_ASSERT_EQUAL(expr_eval(text, &env, &v, err, sizeof(err)), -1);
    CU_ASSERT_EQUAL(v, 42);                        /* untouched */
    CU_ASSERT_PTR_NOT_NULL(strstr(err, message));
}

static void test_expr_numbers(void)
{
    CU_ASSERT_EQUAL(ok("0"), 0);
    CU_ASSERT_EQUAL(ok("1234"), 1234);
    CU_ASSERT_EQUAL(ok("0x1F"), 0x1f);
    CU_ASSERT_EQUAL(ok("0b101"), 5);
    CU_ASSERT_EQUAL(ok("0o17"), 15);
    CU_ASSERT_EQUAL(ok("  0xffffffffffffffff  "), UINT64_MAX);
    bad("0x", "not a number");
    bad("12abc", "not a number");
    bad("0b2", "not a number");
    bad("0x10000000000000000", "does not fit");
    bad("", "expected an expression");
    bad("   ", "expected an expression");
}

static void test_expr_operators(void)
{
    CU_ASSERT_EQUAL(ok("1 + 2 * 3"), 7);
    CU_ASSERT_EQUAL(ok("(1 + 2) * 3"), 9);
    CU_ASSERT_EQUAL(ok("10 - 4 - 3"), 3);               /* left-assoc */
    CU_ASSERT_EQUAL(ok("100 / 7 % 5"), 4);
    CU_ASSERT_EQUAL(ok("1 << 4 | 1"), 17);
    CU_ASSERT_EQUAL(ok("0xff & ~0xf ^ 0x1"), 0xf1);
    CU_ASSERT_EQUAL(ok("-1"), UINT64_MAX);
    CU_ASSERT_EQUAL(ok("--5"), 5);
    CU_ASSERT_EQUAL(ok("1 << 64"), 0);                  /* no UB */
    CU_ASSERT_EQUAL(ok("0 - 1 >> 63"), 1);
    bad("1 / 0", "division by zero");
    bad("1 % 0", "division by zero");
    bad("(1 + 2", "expected ')'");
    bad("1 +", "expected a value");
    bad("1 2", "unexpected '2'");
    bad("* 3", "unexpected '* 3'");
}

static void test_expr_names(void)
{
    CU_ASSERT_EQUAL(ok("main"), 0x401000);
    CU_ASSERT_EQUAL(ok("main+0x10"), 0x401010);
    CU_ASSERT_EQUAL(ok("$rsp + 8"), 0x8008);
    CU_ASSERT_EQUAL(ok("$rax*$rax"), 25);
    CU_ASSERT_EQUAL(ok("foo.constprop.0"), 0x10);
    bad("nosuch", "unknown symbol 'nosuch'");
    bad("$nosuch", "unknown register '$nosuch'");
    bad("$", "expected a register name");
    bad("main + nosuch", "unknown symbol 'nosuch'");
}

static void test_expr_depth(void)
{
    char deep[400];

    memset(deep, '(', 200);
    deep[200] = '1';
    memset(deep + 201, ')', 198);
    deep[399] = '\0';
    bad(deep, "nested too deeply");
    memset(deep, '-', 300);
    deep[300] = '1';
    deep[301] = '\0';
    bad(deep, "nested too deeply");
}

/* ---- command lines ---------------------------------------------------------------- */

static const struct cmd_name table[] = {
    { "continue", "c cont" }, { "break", "b" }, { "bt", "backtrace" },
    { "stepi", "si" }, { "step-over", NULL },
};

static int lookup(const char *word)
{
    return cmd_lookup(table, ARRAY_SIZE(table), sizeof(table[0]), word,
                      "command", err, sizeof(err));
}

static void test_cmd_lookup(void)
{
    CU_ASSERT_EQUAL(lookup("continue"), 0);
    CU_ASSERT_EQUAL(lookup("c"), 0);                    /* alias */
    CU_ASSERT_EQUAL(lookup("cont"), 0);
    CU_ASSERT_EQUAL(lookup("conti"), 0);                /* prefix */
    CU_ASSERT_EQUAL(lookup("b"), 1);                    /* alias wins */
    CU_ASSERT_EQUAL(lookup("bt"), 2);                   /* exact wins */
    CU_ASSERT_EQUAL(lookup("backtrace"), 2);
    CU_ASSERT_EQUAL(lookup("br"), 1);
    CU_ASSERT_EQUAL(lookup("stepi"), 3);
    CU_ASSERT_EQUAL(lookup("step"), -2);                /* ambiguous */
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "stepi"));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "step-over"));
    CU_ASSERT_EQUAL(lookup("frob"), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "unknown command 'frob'"));
    CU_ASSERT_EQUAL(lookup(""), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "no command given"));
}

static void test_cmd_split(void)
{
    struct cmd_words w;
    char line[CMD_MAX_LINE + 10];

    CU_ASSERT_EQUAL(cmd_split("  trace  rings on \"my file\"", &w, err,
                              sizeof(err)), 0);
    CU_ASSERT_EQUAL(w.n, 4);
    CU_ASSERT_STRING_EQUAL(w.w[0], "trace");
    CU_ASSERT_STRING_EQUAL(w.w[2], "on");
    CU_ASSERT_STRING_EQUAL(w.w[3], "my file");
    CU_ASSERT_EQUAL(cmd_split("", &w, err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(w.n, 0);
    CU_ASSERT_EQUAL(cmd_split("a \"b", &w, err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "unterminated"));
    CU_ASSERT_EQUAL(cmd_split("1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17",
                              &w, err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "too many"));
    memset(line, 'a', sizeof(line) - 1);
    line[sizeof(line) - 1] = '\0';
    CU_ASSERT_EQUAL(cmd_split(line, &w, err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "too long"));
}

static void test_first_word(void)
{
    char word[16], buf[32];

    CU_ASSERT_STRING_EQUAL(cmd_first_word("  x/8xg $rsp", word, sizeof(word)),
                           "/8xg $rsp");
    CU_ASSERT_STRING_EQUAL(word, "x");
    CU_ASSERT_STRING_EQUAL(cmd_first_word("info  regs all", word,
                                          sizeof(word)), "regs all");
    CU_ASSERT_STRING_EQUAL(word, "info");
    CU_ASSERT_STRING_EQUAL(cmd_first_word("averyveryverylongword rest",
                                          word, sizeof(word)), "rest");
    CU_ASSERT_EQUAL(strlen(word), sizeof(word) - 1);
    strcpy(buf, " \t spaced \n");
    CU_ASSERT_STRING_EQUAL(cmd_trim(buf), "spaced");
}

static void test_xfmt(void)
{
    struct xfmt f = { 1, 'x', 4 };

    CU_ASSERT_EQUAL(xfmt_parse("8xg", &f, err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(f.count, 8);
    CU_ASSERT_EQUAL(f.format, 'x');
    CU_ASSERT_EQUAL(f.unit, 8);
    CU_ASSERT_EQUAL(xfmt_parse("d", &f, err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(f.count, 8);                        /* kept */
    CU_ASSERT_EQUAL(f.format, 'd');
    CU_ASSERT_EQUAL(f.unit, 8);
    CU_ASSERT_EQUAL(xfmt_parse("3", &f, err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(f.count, 3);
    CU_ASSERT_EQUAL(xfmt_parse("16c", &f, err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(f.unit, 1);                         /* chars: bytes */
    CU_ASSERT_EQUAL(xfmt_parse("2hu", &f, err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(f.unit, 2);
    CU_ASSERT_EQUAL(f.format, 'u');
    f = (struct xfmt){ 1, 'x', 4 };
    CU_ASSERT_EQUAL(xfmt_parse("4q", &f, err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "'q'"));
    CU_ASSERT_EQUAL(f.count, 1);                        /* untouched */
    CU_ASSERT_EQUAL(xfmt_parse("0x", &f, err, sizeof(err)), -1);
    CU_ASSERT_EQUAL(xfmt_parse("99999999999999999999x", &f, err,
                               sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "too large"));
}

UNIT_SUITE(monitor_parse)
{
    CU_pSuite s = CU_add_suite("monitor_parse", NULL, NULL);
    UNIT_TEST(s, test_expr_numbers);
    UNIT_TEST(s, test_expr_operators);
    UNIT_TEST(s, test_expr_names);
    UNIT_TEST(s, test_expr_depth);
    UNIT_TEST(s, test_cmd_lookup);
    UNIT_TEST(s, test_cmd_split);
    UNIT_TEST(s, test_first_word);
    UNIT_TEST(s, test_xfmt);
}
