/*
 * machine/config: the xl.cfg-syntax parser on good and malformed text, the
 * checks of known keys, unknown-key reporting, the accessors, telling a
 * config from a kernel, and path resolution.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "machine/xlcfg.h"
#include "machine/file.h"
#include "unit.h"

static struct cfg c;
static struct cfg_error err;

static int parse_text(const char *text)
{
    cfg_free(&c);
    CU_ASSERT_FATAL(cfg_init(&c, "dir/guest.cfg") == 0);
    memset(&err, 0, sizeof(err));
    return cfg_parse(&c, text, strlen(text), &err);
}

/* Parses fine but check fails: the message and line of the failure. */
static int check_text(const char *text)
{
    if (parse_text(text) != 0)
        return -2;
    return cfg_check(&c, NULL, NULL, &err);
}

static int cleanup(void)
{
    cfg_free(&c);
    return 0;
}

/* ---- good input -------------------------------------------------------------- */

static void test_scalars(void)
{
    uint64_t v = 0;

    CU_ASSERT_EQUAL_FATAL(parse_text(
        "# a comment\n"
        "name = \"guest one\"   # trailing comment\n"
        "\n"
        "kernel='k.elf'\n"
        "memory = 256\n"
        "vcpus=0x2; maxvcpus = 4\n"
        "\tcmdline = \"\"\r\n"), 0);
    CU_ASSERT_EQUAL(c.n, 6);
    CU_ASSERT_STRING_EQUAL(cfg_get_string(&c, "name"), "guest one");
    CU_ASSERT_STRING_EQUAL(cfg_get_string(&c, "kernel"), "k.elf");
    CU_ASSERT_STRING_EQUAL(cfg_get_string(&c, "cmdline"), "");
    CU_ASSERT_EQUAL(cfg_get_u64(&c, "memory", &v), 1);
    CU_ASSERT_EQUAL(v, 256);
    CU_ASSERT_EQUAL(cfg_get_u64(&c, "vcpus", &v), 1);
    CU_ASSERT_EQUAL(v, 2);
    CU_ASSERT_EQUAL(cfg_get_u64(&c, "maxvcpus", &v), 1);
    CU_ASSERT_EQUAL(v, 4);
    CU_ASSERT_TRUE(cfg_find(&c, "memory")->atom.number);
    CU_ASSERT_FALSE(cfg_find(&c, "name")->atom.number);
    CU_ASSERT_EQUAL(cfg_find(&c, "kernel")->line, 4);
    CU_ASSERT_EQUAL(cfg_find(&c, "maxvcpus")->line, 6);
    CU_ASSERT_PTR_NULL(cfg_find(&c, "ramdisk"));
    CU_ASSERT_EQUAL(cfg_get_u64(&c, "ramdisk", &v), 0);
    CU_ASSERT_EQUAL(cfg_get_u64(&c, "name", &v), -1);
}

static void test_empty(void)
{
    CU_ASSERT_EQUAL(parse_text(""), 0);
    CU_ASSERT_EQUAL(c.n, 0);
    CU_ASSERT_EQUAL(parse_text("\n\n   # only comments\n;;\n"), 0);
    CU_ASSERT_EQUAL(c.n, 0);
    CU_ASSERT_EQUAL(parse_text("name = \"no newline at the end\""), 0);
    CU_ASSERT_STRING_EQUAL(cfg_get_string(&c, "name"), "no newline at the end");
}

static void test_lists(void)
{
    const struct cfg_atom *items;

    CU_ASSERT_EQUAL_FATAL(parse_text(
        "disk = [ 'file:a.img,xvda,w',  # first\n"
        "\n"
        "         \"file:b.img,xvdb,r\", ]\n"
        "vif = []\n"
        "pci = [ 1, 0x10 ]\n"
        "name = \"after\"\n"), 0);
    CU_ASSERT_EQUAL_FATAL(cfg_get_list(&c, "disk", &items), 2);
    CU_ASSERT_STRING_EQUAL(items[0].text, "file:a.img,xvda,w");
    CU_ASSERT_STRING_EQUAL(items[1].text, "file:b.img,xvdb,r");
    CU_ASSERT_EQUAL(items[0].line, 1);
    CU_ASSERT_EQUAL(items[1].line, 3);
    CU_ASSERT_EQUAL(cfg_get_list(&c, "vif", &items), 0);
    CU_ASSERT_PTR_NOT_NULL(cfg_find(&c, "vif"));
    CU_ASSERT_TRUE(cfg_find(&c, "vif")->is_list);
    CU_ASSERT_EQUAL_FATAL(cfg_get_list(&c, "pci", &items), 2);
    CU_ASSERT_TRUE(items[1].number);
    CU_ASSERT_STRING_EQUAL(items[1].text, "0x10");
    CU_ASSERT_EQUAL(cfg_find(&c, "name")->line, 6);
    CU_ASSERT_PTR_NULL(cfg_get_string(&c, "disk"));        /* a list */
    CU_ASSERT_EQUAL(cfg_get_list(&c, "name", &items), 0);  /* not a list */
    CU_ASSERT_EQUAL(cfg_get_list(&c, "absent", &items), 0);
}

static void test_last_assignment_wins(void)
{
    uint64_t v = 0;

    CU_ASSERT_EQUAL_FATAL(parse_text("memory = 64\nmemory = 512\n"), 0);
    CU_ASSERT_EQUAL(cfg_get_u64(&c, "memory", &v), 1);
    CU_ASSERT_EQUAL(v, 512);
    CU_ASSERT_EQUAL(cfg_find(&c, "memory")->line, 2);
}

static void test_append(void)
{
    const struct cfg_atom *items;

    CU_ASSERT_EQUAL_FATAL(parse_text(
        "extra = \"console=hvc0\"\n"
        "extra += \" quiet\"\n"
        "disk = [ \"a\" ]\n"
        "disk += [ \"b\", \"c\" ]\n"
        "root += \"/dev/xvda1\"\n"), 0);
    CU_ASSERT_STRING_EQUAL(cfg_get_string(&c, "extra"), "console=hvc0 quiet");
    CU_ASSERT_EQUAL_FATAL(cfg_get_list(&c, "disk", &items), 3);
    CU_ASSERT_STRING_EQUAL(items[2].text, "c");
    CU_ASSERT_STRING_EQUAL(cfg_get_string(&c, "root"), "/dev/xvda1");
    CU_ASSERT_EQUAL(c.n, 3);

    CU_ASSERT_EQUAL(parse_text("disk = [ \"a\" ]\ndisk += \"b\"\n"), -1);
    CU_ASSERT_EQUAL(err.line, 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "+="));
}

static void test_escapes(void)
{
    CU_ASSERT_EQUAL_FATAL(parse_text(
        "a = \"tab\\there\\nq\\\"s\\'\\\\\"\n"
        "b = '\\x41\\x4a\\101\\7'\n"
        "c = 'it''s'\n"), -1);   /* 'it''s' is two strings: an error */
    CU_ASSERT_EQUAL(err.line, 3);
    CU_ASSERT_EQUAL_FATAL(parse_text(
        "a = \"tab\\there\\nq\\\"s\\'\\\\\"\n"
        "b = '\\x41\\x4a\\101\\7'\n"
        "c = \"it's\" ; d = 'say \"hi\"'\n"), 0);
    CU_ASSERT_STRING_EQUAL(cfg_get_string(&c, "a"), "tab\there\nq\"s'\\");
    CU_ASSERT_STRING_EQUAL(cfg_get_string(&c, "b"), "AJA\a");
    CU_ASSERT_STRING_EQUAL(cfg_get_string(&c, "c"), "it's");
    CU_ASSERT_STRING_EQUAL(cfg_get_string(&c, "d"), "say \"hi\"");
}

/* ---- syntax errors, each with its line ------------------------------------------ */

static void expect_error(const char *text, int line, const char *words)
{
    CU_ASSERT_EQUAL(parse_text(text), -1);
    CU_ASSERT_EQUAL(err.line, line);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, words));
    CU_ASSERT_PTR_NULL(strchr(err.msg, '\n'));
}

static void test_syntax_errors(void)
{
    expect_error("name = \"x\"\nmemory 5\n", 2, "expected '='");
    expect_error("memory = = 5\n", 1, "expected a value");
    expect_error("memory =\n", 1, "found end of line");
    expect_error("memory =", 1, "found end of file");
    expect_error("\n\nname = \"abc\n", 3, "unterminated string");
    expect_error("name = \"abc", 1, "unterminated string");
    expect_error("name = 'abc\"\n", 1, "unterminated string");
    expect_error("name = \"a\" \"b\"\n", 1, "expected the end of the line");
    expect_error("name = \"a\" junk\n", 1, "expected the end of the line");
    expect_error("memory = 12ab\n", 1, "bad number");
    expect_error("memory = 1.5\n", 1, "bad number");
    expect_error("memory = 0x\n", 1, "hex digits");
    expect_error("memory = -5\n", 1, "expected a value");
    expect_error("name = bare\n", 1, "expected a value");
    expect_error("1name = 2\n", 1, "expected a setting");
    expect_error("= 2\n", 1, "expected a setting");
    expect_error("na-me = 2\n", 1, "expected '='");
    expect_error("disk = [ \"a\" \"b\" ]\n", 1, "',' or ']'");
    expect_error("disk = [ \"a\",\n\"b\"\n", 3, "found end of file");
    expect_error("disk = [ , ]\n", 1, "expected a value");
    expect_error("disk = [ [ \"a\" ] ]\n", 1, "expected a value");
    expect_error("disk = ]\n", 1, "expected a value");
    expect_error("a = 1 +\n", 1, "end of the line");
    expect_error("a = \"\\q\"\n", 1, "unknown escape");
    expect_error("a = \"\\", 1, "unterminated string");
    expect_error("a = \"\\x\"\n", 1, "hex digits");
    expect_error("a = \"\\0\"\n", 1, "NUL");
    expect_error("a = \"\\x00\"\n", 1, "NUL");
    expect_error("a = \"\\400\"\n", 1, "octal");
}

static void test_nul_bytes(void)
{
    static const char text[] = "name = \"a\0b\"\n";
    static const char text2[] = "name = \"a\"\n\0\n";

    cfg_free(&c);
    CU_ASSERT_FATAL(cfg_init(&c, NULL) == 0);
    CU_ASSERT_EQUAL(cfg_parse(&c, text, sizeof(text) - 1, &err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "NUL"));
    cfg_free(&c);
    CU_ASSERT_FATAL(cfg_init(&c, NULL) == 0);
    CU_ASSERT_EQUAL(cfg_parse(&c, text2, sizeof(text2) - 1, &err), -1);
    CU_ASSERT_EQUAL(err.line, 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "0x00"));
}

/* ---- known keys ---------------------------------------------------------------- */

static void test_check_good(void)
{
    CU_ASSERT_EQUAL(check_text(
        "name = 'g'\ntype = \"bare\"\nkernel = \"k\"\nmemory = 1\n"
        "maxmem = \"2048\"\nvcpus = 512\non_crash = \"preserve\"\n"
        "on_poweroff = 'destroy'\ndisk = [ ]\nbuilder = \"generic\"\n"), 0);
    CU_ASSERT_EQUAL(check_text("memory = 1048576\n"), 0);
    /* A bad value later overridden is not checked: xl reads the last. */
    CU_ASSERT_EQUAL(check_text("memory = \"lots\"\nmemory = 8\n"), 0);
}

static void expect_bad(const char *text, int line, const char *words)
{
    CU_ASSERT_EQUAL(check_text(text), -1);
    CU_ASSERT_EQUAL(err.line, line);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, words));
    CU_ASSERT_PTR_NULL(strchr(err.msg, '\n'));
}

static void test_check_bad_values(void)
{
    expect_bad("name = 'x'\nmemory = \"lots\"\n", 2, "memory: expected a number");
    expect_bad("memory = 0\n", 1, "out of range");
    expect_bad("memory = 1048577\n", 1, "out of range");
    expect_bad("memory = 99999999999999999999\n", 1, "expected a number");
    expect_bad("memory = [ 5 ]\n", 1, "not a list");
    expect_bad("memory = '08'\n", 1, "expected a number");    /* octal, as xl */
    expect_bad("vcpus = 0\n", 1, "vcpus");
    expect_bad("type = \"xen\"\n", 1, "pv, pvh, hvm, bare");
    expect_bad("\non_crash = \"explode\"\n", 2, "on_crash");
    expect_bad("builder = \"linux\"\n", 1, "builder");
    expect_bad("kernel = \"\"\n", 1, "empty");
    expect_bad("kernel = [ \"a\" ]\n", 1, "not a list");
    expect_bad("disk = \"file:a.img,xvda,w\"\n", 1, "expected a list");
    /* User text in messages stays on one line. */
    expect_bad("type = \"a\\nb\"\n", 1, "a\\x0ab");
}

struct unknown_log {
    unsigned n;
    char keys[4][32];
    int lines[4];
};

static void log_unknown(void *opaque, const struct cfg *cfg,
                        const struct cfg_setting *s)
{
    struct unknown_log *log = opaque;

    CU_ASSERT_PTR_EQUAL(cfg, &c);
    if (log->n < 4) {
        snprintf(log->keys[log->n], sizeof(log->keys[0]), "%s", s->key);
        log->lines[log->n] = s->line;
    }
    log->n++;
}

static void test_unknown_keys(void)
{
    struct unknown_log log = { 0 };

    CU_ASSERT_EQUAL_FATAL(parse_text(
        "frobnicate = 1\nmemory = 16\nzap = [ 'a' ]\nfrobnicate = 2\n"), 0);
    CU_ASSERT_EQUAL(cfg_check(&c, log_unknown, &log, &err), 0);
    CU_ASSERT_EQUAL_FATAL(log.n, 2);       /* frobnicate once, at its last */
    CU_ASSERT_STRING_EQUAL(log.keys[0], "zap");
    CU_ASSERT_EQUAL(log.lines[0], 3);
    CU_ASSERT_STRING_EQUAL(log.keys[1], "frobnicate");
    CU_ASSERT_EQUAL(log.lines[1], 4);
    /* Unknown keys are still readable. */
    CU_ASSERT_STRING_EQUAL(cfg_get_string(&c, "frobnicate"), "2");
}

/* ---- numbers, sniffing, paths --------------------------------------------------- */

static void test_parse_u64(void)
{
    uint64_t v = 0;

    CU_ASSERT_EQUAL(cfg_parse_u64("10", &v), 0);
    CU_ASSERT_EQUAL(v, 10);
    CU_ASSERT_EQUAL(cfg_parse_u64("0x1F", &v), 0);
    CU_ASSERT_EQUAL(v, 31);
    CU_ASSERT_EQUAL(cfg_parse_u64("010", &v), 0);    /* strtoul base 0 */
    CU_ASSERT_EQUAL(v, 8);
    CU_ASSERT_EQUAL(cfg_parse_u64("0", &v), 0);
    CU_ASSERT_EQUAL(v, 0);
    CU_ASSERT_EQUAL(cfg_parse_u64("18446744073709551615", &v), 0);
    CU_ASSERT_EQUAL(v, UINT64_MAX);
    CU_ASSERT_EQUAL(cfg_parse_u64("18446744073709551616", &v), -1);
    CU_ASSERT_EQUAL(cfg_parse_u64("", &v), -1);
    CU_ASSERT_EQUAL(cfg_parse_u64("-1", &v), -1);
    CU_ASSERT_EQUAL(cfg_parse_u64("+1", &v), -1);
    CU_ASSERT_EQUAL(cfg_parse_u64(" 1", &v), -1);
    CU_ASSERT_EQUAL(cfg_parse_u64("1 ", &v), -1);
    CU_ASSERT_EQUAL(cfg_parse_u64("12k", &v), -1);
}

static bool sniff(const char *s)
{
    return cfg_sniff((const uint8_t *)s, strlen(s));
}

static void test_sniff(void)
{
    static const uint8_t elf[] = { 0x7f, 'E', 'L', 'F', 1, 1, 1, 0 };
    static const uint8_t nul[] = { 'a', ' ', '=', ' ', '1', 0, '\n' };

    CU_ASSERT_TRUE(sniff("name = \"x\"\n"));
    CU_ASSERT_TRUE(sniff("# comment\n\n  kernel='k'\n"));
    CU_ASSERT_TRUE(sniff("extra += \"x\""));
    CU_ASSERT_TRUE(sniff("# only a comment\n"));
    CU_ASSERT_FALSE(sniff(""));
    CU_ASSERT_FALSE(sniff("this is not a kernel\n"));
    CU_ASSERT_FALSE(sniff("#!/bin/sh\necho hi\n"));
    CU_ASSERT_FALSE(sniff("[section]\nkey=1\n"));
    CU_ASSERT_FALSE(cfg_sniff(elf, sizeof(elf)));
    CU_ASSERT_FALSE(cfg_sniff(nul, sizeof(nul)));
}

static void test_paths(void)
{
    char *p;

    CU_ASSERT_EQUAL_FATAL(parse_text("kernel = \"k.elf\"\nramdisk = \"/abs/rd\"\n"
                                     "extra = \"x\"\n"), 0);
    CU_ASSERT_STRING_EQUAL(c.dir, "dir");
    p = cfg_get_path(&c, "kernel");
    CU_ASSERT_STRING_EQUAL(p, "dir/k.elf");
    free(p);
    p = cfg_get_path(&c, "ramdisk");
    CU_ASSERT_STRING_EQUAL(p, "/abs/rd");
    free(p);
    CU_ASSERT_PTR_NULL(cfg_get_path(&c, "absent"));

    p = path_dirname("guest.cfg");
    CU_ASSERT_STRING_EQUAL(p, ".");
    free(p);
    p = path_dirname("/guest.cfg");
    CU_ASSERT_STRING_EQUAL(p, "/");
    free(p);
    p = path_dirname("a/b/guest.cfg");
    CU_ASSERT_STRING_EQUAL(p, "a/b");
    free(p);
    p = path_resolve(".", "k");
    CU_ASSERT_STRING_EQUAL(p, "k");
    free(p);
    p = path_resolve("/", "k");
    CU_ASSERT_STRING_EQUAL(p, "//k");
    free(p);
    p = path_resolve(NULL, "k");
    CU_ASSERT_STRING_EQUAL(p, "k");
    free(p);
}

/* cfg_load reads a real file; its kernel is relative to the file. */
static void test_load_file(void)
{
    char path[] = "/tmp/xenemu-test-config-XXXXXX";
    const char text[] = "type = \"bare\"\nkernel = \"k.elf\"\nmemory = 32\n";
    struct cfg *loaded;
    uint64_t v = 0;
    char *k, want[64];
    int fd = mkstemp(path);

    CU_ASSERT_FATAL(fd >= 0);
    CU_ASSERT_FATAL(write(fd, text, sizeof(text) - 1) == (ssize_t)sizeof(text) - 1);
    close(fd);
    loaded = cfg_load(path);
    unlink(path);
    CU_ASSERT_PTR_NOT_NULL_FATAL(loaded);
    CU_ASSERT_STRING_EQUAL(cfg_get_string(loaded, "type"), "bare");
    CU_ASSERT_EQUAL(cfg_get_u64(loaded, "memory", &v), 1);
    CU_ASSERT_EQUAL(v, 32);
    k = cfg_get_path(loaded, "kernel");
    snprintf(want, sizeof(want), "/tmp/k.elf");
    CU_ASSERT_STRING_EQUAL(k, want);
    free(k);
    cfg_destroy(loaded);
}

UNIT_SUITE(config)
{
    CU_pSuite s = CU_add_suite("config", NULL, cleanup);
    UNIT_TEST(s, test_scalars);
    UNIT_TEST(s, test_empty);
    UNIT_TEST(s, test_lists);
    UNIT_TEST(s, test_last_assignment_wins);
    UNIT_TEST(s, test_append);
    UNIT_TEST(s, test_escapes);
    UNIT_TEST(s, test_syntax_errors);
    UNIT_TEST(s, test_nul_bytes);
    UNIT_TEST(s, test_check_good);
    UNIT_TEST(s, test_check_bad_values);
    UNIT_TEST(s, test_unknown_keys);
    UNIT_TEST(s, test_parse_u64);
    UNIT_TEST(s, test_sniff);
    UNIT_TEST(s, test_paths);
    UNIT_TEST(s, test_load_file);
}
