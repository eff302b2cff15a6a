/*
 * The built-in xenstored: the standard tree libxl leaves, each request's
 * replies and errors, permissions as xenstored decides them, paths, and
 * dom0's privileged requests.  Domains talk through xs-harness pipes;
 * every test ends with the store's consistency check.
 */
#include <stdlib.h>
#include <string.h>
#include "unit.h"
#include "xs-harness.h"

#define D1 "/local/domain/1"

/* ---- the tree --------------------------------------------------------------------- */

static void test_initial_tree(void)
{
    struct xs_store *s = xs_store_new();
    char buf[64], *dump;
    size_t len;
    FILE *f = open_memstream(&dump, &len);

    CU_ASSERT_FATAL(s && f);
    xs_dump(s, f);
    fclose(f);
    CU_ASSERT_STRING_EQUAL(dump, "/ = \"\" (n0)\n/tool = \"\" (n0)\n"
                                 "/tool/xenstored = \"\" (n0)\n");
    free(dump);
    CU_ASSERT_EQUAL(xs_tool_read(s, 0, "/tool/xenstored", buf, 64), 0);
    CU_ASSERT_EQUAL(xs_tool_read(s, 0, "/local", buf, 64), XS_ENOENT);
    /* "/", /tool, /tool/xenstored and the two special nodes. */
    CU_ASSERT_EQUAL(xs_domain_acc(s, 0, XS_ACC_NODES), 5);
    CU_ASSERT_EQUAL(xs_check(s, buf, sizeof(buf)), 0);
    xs_store_free(s);
}

/* Lines of the dump that must be there, with libxl's permissions. */
static const char *const tree_lines[] = {
    "/local/domain/0/name = \"Domain-0\" (n0)",
    "/local/domain/0/domid = \"0\" (n0)",
    "/local/domain/0/backend/console/1/0 = \"\" (n0,r1)",
    "/local/domain/0/backend/console/1/0/protocol = \"vt100\" (n0,r1)",
    "/local/domain/1 = \"\" (n0,r1)",
    "/local/domain/1/vm = \"/vm/",
    "/local/domain/1/name = \"one\" (n0,r1)",
    "/local/domain/1/domid = \"1\" (n0,r1)",
    "/local/domain/1/cpu/0/availability = \"online\" (n0,r1)",
    "/local/domain/1/cpu/1/availability = \"online\" (n0,r1)",
    "/local/domain/1/memory/static-max = \"262144\" (n0,r1)",
    "/local/domain/1/memory/target = \"131072\" (n0,r1)",
    "/local/domain/1/memory/videoram = \"0\" (n0,r1)",
    "/local/domain/1/device = \"\" (n0,r1)",
    "/local/domain/1/device/suspend/event-channel = \"\" (n1)",
    "/local/domain/1/control = \"\" (n0,r1)",
    "/local/domain/1/control/shutdown = \"\" (n1)",
    "/local/domain/1/control/feature-poweroff = \"\" (n1)",
    "/local/domain/1/control/feature-reboot = \"\" (n1)",
    "/local/domain/1/control/feature-suspend = \"\" (n1)",
    "/local/domain/1/control/sysrq = \"\" (n1)",
    "/local/domain/1/control/platform-feature-multiprocessor-suspend = "
    "\"1\" (n0,r1)",
    "/local/domain/1/control/platform-feature-xs_reset_watches = \"1\" "
    "(n0,r1)",
    "/local/domain/1/data = \"\" (n1)",
    "/local/domain/1/drivers = \"\" (n1)",
    "/local/domain/1/feature = \"\" (n1)",
    "/local/domain/1/attr = \"\" (n1)",
    "/local/domain/1/error = \"\" (n1)",
    "/local/domain/1/store/port = \"1\" (n0,r1)",
    "/local/domain/1/store/ring-ref = \"4661\" (n0,r1)",
    "/local/domain/1/console/backend = "
    "\"/local/domain/0/backend/console/1/0\" (n0,r1)",
    "/local/domain/1/console/backend-id = \"0\" (n1,r0)",
    "/local/domain/1/console/limit = \"1048576\" (n0,r1)",
    "/local/domain/1/console/type = \"xenconsoled\" (n0,r1)",
    "/local/domain/1/console/output = \"pty\" (n0,r1)",
    "/local/domain/1/console/port = \"2\" (n0,r1)",
    "/local/domain/1/console/ring-ref = \"4662\" (n0,r1)",
    "/image/ostype = \"linux\" (n0,r1)",
    "/image/kernel = \"/k/vmlinuz\" (n0,r1)",
    "/image/cmdline = \"console=hvc0\" (n0,r1)",
    "/start_time = \"946684800.12\" (n0,r1)",
    "/name = \"one\" (n0,r1)",
    "/libxl/1/type = \"pv\" (n0)",
};

static void test_toolstack_tree(void)
{
    char *dump, uuid[37], want[128], vm[128];
    size_t len, i;
    FILE *f;

    xt_setup(false);
    f = open_memstream(&dump, &len);
    xs_dump(xt_s, f);
    fclose(f);
    for (i = 0; i < ARRAY_SIZE(tree_lines); i++) {
        if (!strstr(dump, tree_lines[i]))
            fprintf(stderr, "\nmissing: %s\n", tree_lines[i]);
        CU_ASSERT_PTR_NOT_NULL(strstr(dump, tree_lines[i]));
    }
    /* The UUID is derived from the name and domid: stable, version 8. */
    xs_uuid_derive("one", 1, uuid);
    CU_ASSERT(xs_uuid_valid(uuid));
    CU_ASSERT_EQUAL(uuid[14], '8');
    snprintf(want, sizeof(want), "/vm/%s/uuid = \"%s\"", uuid, uuid);
    CU_ASSERT_PTR_NOT_NULL(strstr(dump, want));
    snprintf(vm, sizeof(vm), "/vm/%s", uuid);
    CU_ASSERT(xt_is(xt_read(&xt_p1, 0, "vm"), XS_READ, vm, strlen(vm)));
    xs_uuid_derive("one", 2, want);
    CU_ASSERT(strcmp(want, uuid) != 0);
    CU_ASSERT(!xs_uuid_valid("69d1edbe-f837-8812-8d41-40d3f834641"));
    CU_ASSERT(!xs_uuid_valid("69d1edbe-f837-8812-8d41_40d3f8346418"));
    free(dump);
    /* Domain 1 owns what libxl gave it. */
    CU_ASSERT_EQUAL(xs_domain_acc(xt_s, 1, XS_ACC_NODES), 12);
    xt_teardown();
}

/* libxl__build_post: cpu/N/availability "online" for the vCPUs up at
 * boot, "offline" for the rest up to maxvcpus (Linux watches them). */
static void test_vcpu_availability(void)
{
    struct xs_guest g = {
        .domid = 4, .name = "smp", .vcpus = 2, .max_vcpus = 4, .kernel = "k",
    };
    static const char *const want[] = { "online", "online", "offline",
                                        "offline" };
    char path[64], buf[64];
    unsigned i;

    xt_setup(false);
    CU_ASSERT_EQUAL(xs_toolstack_domain(xt_s, &g), 0);
    for (i = 0; i < 4; i++) {
        snprintf(path, sizeof(path), "/local/domain/4/cpu/%u/availability", i);
        CU_ASSERT_EQUAL(xs_tool_read(xt_s, 0, path, buf, 64), 0);
        CU_ASSERT_STRING_EQUAL(buf, want[i]);
    }
    CU_ASSERT_EQUAL(xs_tool_read(xt_s, 0, "/local/domain/4/cpu/4/"
                                 "availability", buf, 64), XS_ENOENT);
    xt_teardown();
}

static void test_uuid_from_config(void)
{
    struct xs_guest g = {
        .domid = 3, .name = "x", .uuid = "00112233-4455-6677-8899-aabbccddeeff",
        .vcpus = 1, .kernel = "k",
    };
    char buf[64];

    xt_setup(false);
    CU_ASSERT_EQUAL(xs_toolstack_domain(xt_s, &g), 0);
    CU_ASSERT_EQUAL(xs_tool_read(xt_s, 0, "/local/domain/3/vm", buf, 64), 0);
    CU_ASSERT_STRING_EQUAL(buf, "/vm/00112233-4455-6677-8899-aabbccddeeff");
    /* No ramdisk, no cmdline: no image/ramdisk, no image/cmdline. */
    CU_ASSERT_EQUAL(xs_tool_read(xt_s, 0, "/vm/00112233-4455-6677-8899-"
                                 "aabbccddeeff/image/cmdline", buf, 64),
                    XS_ENOENT);
    g.uuid = "not-a-uuid";
    CU_ASSERT_EQUAL(xs_toolstack_domain(xt_s, &g), XS_EINVAL);
    xt_teardown();
}

/* ---- reading and writing ------------------------------------------------------------ */

static void test_read_write(void)
{
    xt_setup(false);
    CU_ASSERT(xt_is(xt_read(&xt_p1, 0, "domid"), XS_READ, "1", 1));
    CU_ASSERT(xt_is(xt_read(&xt_p1, 0, D1 "/name"), XS_READ, "one", 3));
    CU_ASSERT(xt_is_ok(xt_write(&xt_p1, 0, "data/x", "hello"), XS_WRITE));
    CU_ASSERT(xt_is(xt_read(&xt_p1, 0, D1 "/data/x"), XS_READ, "hello", 5));
    /* Values are bytes: NULs included, no terminator added. */
    CU_ASSERT(xt_is_ok(xt_req(&xt_p1, XS_WRITE, 0, P("data/x\0a\0b\0")),
                       XS_WRITE));
    CU_ASSERT(xt_is(xt_read(&xt_p1, 0, "data/x"), XS_READ, "a\0b\0", 4));
    CU_ASSERT(xt_is_ok(xt_req(&xt_p1, XS_WRITE, 0, P("data/empty\0")),
                       XS_WRITE));
    CU_ASSERT(xt_is(xt_read(&xt_p1, 0, "data/empty"), XS_READ, "", 0));
    /* WRITE creates missing parents, empty, owned by the writer. */
    CU_ASSERT(xt_is_ok(xt_write(&xt_p1, 0, "data/a/b/c", "deep"), XS_WRITE));
    CU_ASSERT(xt_is(xt_read(&xt_p1, 0, "data/a/b"), XS_READ, "", 0));
    CU_ASSERT(xt_is(xt_one(&xt_p1, XS_GET_PERMS, 0, "data/a/b"),
                    XS_GET_PERMS, "n1", 3));
    CU_ASSERT(xt_is_error(xt_read(&xt_p1, 0, "data/nothing"), "ENOENT"));
    /* req_id and tx_id come back as sent. */
    CU_ASSERT_EQUAL(xt_read(&xt_p1, 0, "domid")->h.req_id,
                    xt_p1.next_req);
    xt_teardown();
}

static void test_directory(void)
{
    struct xt_msg *m;

    xt_setup(false);
    xt_write(&xt_p1, 0, "data/zz", "1");
    xt_write(&xt_p1, 0, "data/aa", "2");
    xt_write(&xt_p1, 0, "data/mm", "3");
    /* Creation order, each name NUL-terminated. */
    CU_ASSERT(xt_is(xt_one(&xt_p1, XS_DIRECTORY, 0, "data"), XS_DIRECTORY,
                    P("zz\0aa\0mm\0")));
    m = xt_one(&xt_p1, XS_DIRECTORY, 0, "data/zz");
    CU_ASSERT(xt_is(m, XS_DIRECTORY, "", 0));
    CU_ASSERT(xt_is_error(xt_one(&xt_p1, XS_DIRECTORY, 0, "data/none"),
                          "ENOENT"));
    /* Removing one keeps the others' order. */
    xt_one(&xt_p1, XS_RM, 0, "data/aa");
    CU_ASSERT(xt_is(xt_one(&xt_p1, XS_DIRECTORY, 0, "data"), XS_DIRECTORY,
                    P("zz\0mm\0")));
    xt_teardown();
}

static void test_directory_part(void)
{
    char name[64], off[16], gen[32];
    struct xt_msg *m;
    size_t total = 0, glen;
    unsigned i, parts = 0;
    int pos = 0;

    xt_setup(false);
    xt_write(&xt_p1, 0, "data/b", "");
    xt_write(&xt_p1, 0, "data/cc", "");
    m = xt_two(&xt_p1, XS_DIRECTORY_PART, 0, "data", "0");
    CU_ASSERT_EQUAL(m->h.type, XS_DIRECTORY_PART);
    glen = strlen((char *)m->data) + 1;
    snprintf(gen, sizeof(gen), "%.31s", (char *)m->data);
    /* gen| b| cc| then the empty string that ends the list. */
    CU_ASSERT_EQUAL(m->h.len, glen + 6);
    CU_ASSERT_EQUAL(memcmp(m->data + glen, "b\0cc\0\0", 6), 0);
    m = xt_two(&xt_p1, XS_DIRECTORY_PART, 0, "data", "2");
    CU_ASSERT_EQUAL(memcmp(m->data + glen, "cc\0\0", 4), 0);
    m = xt_two(&xt_p1, XS_DIRECTORY_PART, 0, "data", "99");
    CU_ASSERT_EQUAL(m->h.len, glen + 1);
    CU_ASSERT_STRING_EQUAL((char *)m->data, gen);
    /* A change gives the node a new generation. */
    xt_write(&xt_p1, 0, "data/d", "");
    m = xt_two(&xt_p1, XS_DIRECTORY_PART, 0, "data", "0");
    CU_ASSERT(strcmp((char *)m->data, gen) != 0);
    CU_ASSERT_EQUAL(xt_req(&xt_p1, XS_DIRECTORY_PART, 0, P("data\0"))->h.type,
                    XS_ERROR);
    /* A list too long for one reply (DIRECTORY says E2BIG) comes in
     * parts; the toolstack makes it, a domU would hit its node quota. */
    for (i = 0; i < 300; i++) {
        snprintf(name, sizeof(name), D1 "/attr/child-with-long-name-%04u", i);
        CU_ASSERT_EQUAL_FATAL(xs_tool_write(xt_s, 0, name, ""), 0);
    }
    CU_ASSERT(xt_is_error(xt_one(&xt_p1, XS_DIRECTORY, 0, "attr"), "E2BIG"));
    do {
        snprintf(off, sizeof(off), "%d", pos);
        m = xt_two(&xt_p1, XS_DIRECTORY_PART, 0, "attr", off);
        CU_ASSERT_EQUAL_FATAL(m->h.type, XS_DIRECTORY_PART);
        CU_ASSERT(m->h.len <= XS_PAYLOAD_MAX);
        glen = strlen((char *)m->data) + 1;
        pos += (int)(m->h.len - glen);
        total += m->h.len - glen;
        parts++;
        /* The last part ends with an empty name. */
    } while (parts < 100 && (m->data[m->h.len - 1] != 0 ||
                             m->data[m->h.len - 2] != 0));
    CU_ASSERT(parts >= 2);
    CU_ASSERT_EQUAL(total, 300 * (strlen("child-with-long-name-0000") + 1)
                           + 1);
    xt_teardown();
}

static void test_mkdir(void)
{
    xt_setup(false);
    CU_ASSERT(xt_is_ok(xt_one(&xt_p1, XS_MKDIR, 0, "data/p/q"), XS_MKDIR));
    CU_ASSERT(xt_is(xt_read(&xt_p1, 0, "data/p"), XS_READ, "", 0));
    CU_ASSERT(xt_is(xt_read(&xt_p1, 0, "data/p/q"), XS_READ, "", 0));
    /* An existing node keeps its value. */
    xt_write(&xt_p1, 0, "data/p", "kept");
    CU_ASSERT(xt_is_ok(xt_one(&xt_p1, XS_MKDIR, 0, "data/p"), XS_MKDIR));
    CU_ASSERT(xt_is(xt_read(&xt_p1, 0, "data/p"), XS_READ, "kept", 4));
    /* An existing node it may not write: EACCES all the same. */
    CU_ASSERT(xt_is_error(xt_one(&xt_p1, XS_MKDIR, 0, "name"), "EACCES"));
    CU_ASSERT(xt_is_error(xt_one(&xt_p1, XS_MKDIR, 0, "newdir"), "EACCES"));
    xt_teardown();
}

static void test_rm(void)
{
    char buf[16];

    xt_setup(false);
    xt_write(&xt_p1, 0, "data/t/a/b", "1");
    xt_write(&xt_p1, 0, "data/t/c", "2");
    CU_ASSERT_EQUAL(xs_domain_acc(xt_s, 1, XS_ACC_NODES), 12 + 4);
    CU_ASSERT(xt_is_ok(xt_one(&xt_p1, XS_RM, 0, "data/t"), XS_RM));
    CU_ASSERT(xt_is_error(xt_read(&xt_p1, 0, "data/t/a/b"), "ENOENT"));
    CU_ASSERT(xt_is(xt_one(&xt_p1, XS_DIRECTORY, 0, "data"), XS_DIRECTORY,
                    "", 0));
    CU_ASSERT_EQUAL(xs_domain_acc(xt_s, 1, XS_ACC_NODES), 12);
    /* Missing but the parent exists: fine; parent missing: ENOENT. */
    CU_ASSERT(xt_is_ok(xt_one(&xt_p1, XS_RM, 0, "data/t"), XS_RM));
    CU_ASSERT(xt_is_error(xt_one(&xt_p1, XS_RM, 0, "data/t/x"), "ENOENT"));
    /* Permission on the node itself decides, not on its parent. */
    CU_ASSERT(xt_is_error(xt_one(&xt_p1, XS_RM, 0, "name"), "EACCES"));
    CU_ASSERT(xt_is_error(xt_one(&xt_p1, XS_RM, 0, "/"), "EACCES"));
    CU_ASSERT(xt_is_ok(xt_one(&xt_p1, XS_RM, 0, "control/sysrq"), XS_RM));
    CU_ASSERT_EQUAL(xs_tool_rm(xt_s, 0, "/"), XS_EINVAL);
    CU_ASSERT_EQUAL(xs_tool_read(xt_s, 0, D1 "/control/sysrq", buf, 16),
                    XS_ENOENT);
    xt_teardown();
}

static void test_get_domain_path(void)
{
    xt_setup(false);
    CU_ASSERT(xt_is(xt_one(&xt_p1, XS_GET_DOMAIN_PATH, 0, "1"),
                    XS_GET_DOMAIN_PATH, P("/local/domain/1\0")));
    CU_ASSERT(xt_is(xt_one(&xt_p1, XS_GET_DOMAIN_PATH, 0, "42"),
                    XS_GET_DOMAIN_PATH, P("/local/domain/42\0")));
    /* atoi: junk is 0, as xenstored. */
    CU_ASSERT(xt_is(xt_one(&xt_p1, XS_GET_DOMAIN_PATH, 0, "x"),
                    XS_GET_DOMAIN_PATH, P("/local/domain/0\0")));
    CU_ASSERT(xt_is_error(xt_req(&xt_p1, XS_GET_DOMAIN_PATH, 0, P("1")),
                          "EINVAL"));
    xt_teardown();
}

/* ---- permissions -------------------------------------------------------------------- */

static void test_get_perms(void)
{
    xt_setup(false);
    CU_ASSERT(xt_is(xt_one(&xt_p1, XS_GET_PERMS, 0, ""), XS_ERROR,
                    P("EINVAL\0")));
    CU_ASSERT(xt_is(xt_one(&xt_p1, XS_GET_PERMS, 0, D1), XS_GET_PERMS,
                    P("n0\0r1\0")));
    CU_ASSERT(xt_is(xt_one(&xt_p1, XS_GET_PERMS, 0, "console/backend-id"),
                    XS_GET_PERMS, P("n1\0r0\0")));
    /* Special nodes have permissions too (dom0's, unreadable). */
    CU_ASSERT(xt_is_error(xt_one(&xt_p1, XS_GET_PERMS, 0, "@releaseDomain"),
                          "EACCES"));
    CU_ASSERT(xt_is_error(xt_one(&xt_p1, XS_GET_PERMS, 0, "/local/domain/0"),
                          "EACCES"));
    xt_teardown();
}

static void test_set_perms(void)
{
    xt_setup(true);
    xt_write(&xt_p1, 0, "data/s", "secret");
    CU_ASSERT(xt_is_error(xt_read(&xt_p2, 0, D1 "/data/s"), "EACCES"));
    CU_ASSERT(xt_is_ok(xt_req(&xt_p1, XS_SET_PERMS, 0,
                              P("data/s\0n1\0r2\0")), XS_SET_PERMS));
    CU_ASSERT(xt_is(xt_one(&xt_p1, XS_GET_PERMS, 0, "data/s"), XS_GET_PERMS,
                    P("n1\0r2\0")));
    CU_ASSERT(xt_is(xt_read(&xt_p2, 0, D1 "/data/s"), XS_READ, "secret", 6));
    CU_ASSERT(xt_is_error(xt_write(&xt_p2, 0, D1 "/data/s", "x"), "EACCES"));
    /* Write-only and both. */
    xt_req(&xt_p1, XS_SET_PERMS, 0, P("data/s\0n1\0w2\0"));
    CU_ASSERT(xt_is_error(xt_read(&xt_p2, 0, D1 "/data/s"), "EACCES"));
    CU_ASSERT(xt_is_ok(xt_write(&xt_p2, 0, D1 "/data/s", "w"), XS_WRITE));
    xt_req(&xt_p1, XS_SET_PERMS, 0, P("data/s\0b1\0"));
    CU_ASSERT(xt_is(xt_read(&xt_p2, 0, D1 "/data/s"), XS_READ, "w", 1));
    /* Only the owner, and a domU may not give the node away. */
    CU_ASSERT(xt_is_error(xt_req(&xt_p2, XS_SET_PERMS, 0,
                                 P(D1 "/data/s\0b2\0")), "EACCES"));
    CU_ASSERT(xt_is_error(xt_req(&xt_p1, XS_SET_PERMS, 0,
                                 P("data/s\0n2\0")), "EPERM"));
    CU_ASSERT(xt_is_error(xt_req(&xt_p1, XS_SET_PERMS, 0,
                                 P("name\0n1\0")), "EACCES"));
    /* Malformed permissions. */
    CU_ASSERT(xt_is_error(xt_req(&xt_p1, XS_SET_PERMS, 0, P("data/s\0")),
                          "EINVAL"));
    CU_ASSERT(xt_is_error(xt_req(&xt_p1, XS_SET_PERMS, 0, P("data/s\0x1\0")),
                          "EINVAL"));
    CU_ASSERT(xt_is_error(xt_req(&xt_p1, XS_SET_PERMS, 0, P("data/s\0r\0")),
                          "EINVAL"));
    CU_ASSERT(xt_is_error(xt_req(&xt_p1, XS_SET_PERMS, 0, P("data/s\0r1x\0")),
                          "EINVAL"));
    CU_ASSERT(xt_is_error(xt_req(&xt_p1, XS_SET_PERMS, 0, P("data/s\0n1")),
                          "EINVAL"));
    /* strtol base 0: hex and octal domids. */
    CU_ASSERT(xt_is_ok(xt_req(&xt_p1, XS_SET_PERMS, 0,
                              P("data/s\0n0x1\0r02\0")), XS_SET_PERMS));
    CU_ASSERT(xt_is(xt_one(&xt_p1, XS_GET_PERMS, 0, "data/s"), XS_GET_PERMS,
                    P("n1\0r2\0")));
    /* A domain that does not exist: kept, shown, ignored; as owner: no. */
    CU_ASSERT(xt_is_ok(xt_req(&xt_p1, XS_SET_PERMS, 0,
                              P("data/s\0n1\0b9\0")), XS_SET_PERMS));
    CU_ASSERT(xt_is(xt_one(&xt_p1, XS_GET_PERMS, 0, "data/s"), XS_GET_PERMS,
                    P("n1\0b9\0")));
    CU_ASSERT(xt_is_error(xt_req(&xt_p1, XS_SET_PERMS, 0,
                                 P("data/s\0n9\0")), "ENOENT"));
    /* node-permissions quota (5). */
    CU_ASSERT(xt_is_ok(xt_req(&xt_p1, XS_SET_PERMS, 0,
                              P("data/s\0n1\0r2\0r3\0r4\0r5\0")),
                       XS_SET_PERMS));
    CU_ASSERT(xt_is_error(xt_req(&xt_p1, XS_SET_PERMS, 0,
                                 P("data/s\0n1\0r2\0r3\0r4\0r5\0r6\0")),
                          "ENOSPC"));
    /* dom0 may give nodes away; node counts follow the owner. */
    CU_ASSERT_EQUAL(xs_tool_set_perms(xt_s, 0, D1 "/data/s", "n2"), 0);
    CU_ASSERT_EQUAL(xs_domain_acc(xt_s, 2, XS_ACC_NODES), 12 + 1);
    CU_ASSERT(xt_is_ok(xt_write(&xt_p2, 0, D1 "/data/s", "mine"), XS_WRITE));
    xt_teardown();
}

static void test_permission_rules(void)
{
    char buf[64];

    xt_setup(true);
    /* Reading others' and dom0's nodes. */
    CU_ASSERT(xt_is_error(xt_read(&xt_p1, 0, "/local/domain/0/name"),
                          "EACCES"));
    CU_ASSERT(xt_is_error(xt_read(&xt_p1, 0, "/local/domain/2/name"),
                          "EACCES"));
    CU_ASSERT(xt_is_error(xt_one(&xt_p1, XS_DIRECTORY, 0, "/local/domain"),
                          "EACCES"));
    /* A missing node says ENOENT only if its nearest parent is readable
     * (writable, for a write). */
    CU_ASSERT(xt_is_error(xt_read(&xt_p1, 0, D1 "/nothing/here"), "ENOENT"));
    CU_ASSERT(xt_is_error(xt_read(&xt_p1, 0, "/local/domain/0/nothing"),
                          "EACCES"));
    CU_ASSERT(xt_is_error(xt_read(&xt_p1, 0, "/nothing"), "EACCES"));
    CU_ASSERT(xt_is_error(xt_write(&xt_p1, 0, "newnode", "x"), "EACCES"));
    CU_ASSERT(xt_is_error(xt_write(&xt_p1, 0, "name", "x"), "EACCES"));
    CU_ASSERT(xt_is_error(xt_write(&xt_p1, 0, "/local/domain/2/data/x", "x"),
                          "EACCES"));
    /* The guest-writable nodes libxl made. */
    CU_ASSERT(xt_is_ok(xt_write(&xt_p1, 0, "control/feature-poweroff", "1"),
                       XS_WRITE));
    CU_ASSERT(xt_is_ok(xt_write(&xt_p1, 0, "console/backend-id", "0"),
                       XS_WRITE));
    CU_ASSERT(xt_is_error(xt_write(&xt_p1, 0, "console/ring-ref", "0"),
                          "EACCES"));
    /* A node readable by a domain whose parent is not. */
    CU_ASSERT_EQUAL(xs_tool_write(xt_s, 0, "/local/domain/0/shared", "s"), 0);
    CU_ASSERT_EQUAL(xs_tool_set_perms(xt_s, 0, "/local/domain/0/shared",
                                      "n0 r2"), 0);
    CU_ASSERT(xt_is(xt_read(&xt_p2, 0, "/local/domain/0/shared"), XS_READ,
                    "s", 1));
    CU_ASSERT(xt_is_error(xt_read(&xt_p1, 0, "/local/domain/0/shared"),
                          "EACCES"));
    /* The first entry is everyone else's access. */
    CU_ASSERT_EQUAL(xs_tool_set_perms(xt_s, 0, "/local/domain/0/shared",
                                      "r0 n2"), 0);
    CU_ASSERT(xt_is(xt_read(&xt_p1, 0, "/local/domain/0/shared"), XS_READ,
                    "s", 1));
    CU_ASSERT(xt_is_error(xt_read(&xt_p2, 0, "/local/domain/0/shared"),
                          "EACCES"));
    /* dom0 may do anything. */
    CU_ASSERT_EQUAL(xs_tool_read(xt_s, 0, "/local/domain/2/data", buf, 64),
                    0);
    CU_ASSERT_EQUAL(xs_tool_write(xt_s, 0, "/local/domain/2/data/x", "0"), 0);
    xt_teardown();
}

static void test_target(void)
{
    size_t n = 0;

    xt_setup(true);
    CU_ASSERT(xt_is_error(xt_write(&xt_p2, 0, D1 "/data/t", "x"), "EACCES"));
    /* SET_TARGET: 2 acts as 1 on 1's nodes. */
    CU_ASSERT_EQUAL(xs_call(xt_s, 0, XS_SET_TARGET, "2\0001", 4, NULL, &n),
                    0);
    CU_ASSERT(xt_is_ok(xt_write(&xt_p2, 0, D1 "/data/t", "x"), XS_WRITE));
    CU_ASSERT_EQUAL(xs_call(xt_s, 0, XS_SET_TARGET, "2\0009", 4, NULL, &n),
                    XS_ENOENT);
    CU_ASSERT_EQUAL(xs_call(xt_s, 0, XS_SET_TARGET, "2", 2, NULL, &n),
                    XS_EINVAL);
    xt_teardown();
}

/* ---- paths ------------------------------------------------------------------------ */

static void test_paths(void)
{
    static const char *const bad[] = {
        "data/a b", "data/a!", "data/\xc3\xa4", "data/", "data//x", "",
        "/local/domain/1/data/", "@foo", "data/a.b", "data/a:b",
    };
    char path[XS_PAYLOAD_MAX];
    size_t i;

    xt_setup(false);
    for (i = 0; i < ARRAY_SIZE(bad); i++)
        CU_ASSERT(xt_is_error(xt_read(&xt_p1, 0, bad[i]), "EINVAL"));
    CU_ASSERT(xt_is_ok(xt_write(&xt_p1, 0, "data/A-Z_a@z-09", "ok"),
                       XS_WRITE));
    /* path-max (2048) counts from after /local/domain/N/. */
    for (i = 0; i < sizeof(path); i++)
        path[i] = i % 50 == 0 ? '/' : 'a';
    memcpy(path, "data/", 5);
    path[2048] = 0;
    CU_ASSERT(xt_is_ok(xt_write(&xt_p1, 0, path, ""), XS_WRITE));
    path[2048] = 'a';
    path[2049] = 0;
    CU_ASSERT(xt_is_error(xt_write(&xt_p1, 0, path, ""), "EINVAL"));
    memmove(path + 16, path, 2048);
    memcpy(path, D1 "/", 16);
    path[16 + 2048] = 0;
    CU_ASSERT(xt_is(xt_read(&xt_p1, 0, path), XS_READ, "", 0));
    path[16 + 2048] = 'a';
    path[16 + 2049] = 0;
    CU_ASSERT(xt_is_error(xt_read(&xt_p1, 0, path), "EINVAL"));
    /* dom0 has no such limit. */
    CU_ASSERT_EQUAL(xs_tool_write(xt_s, 0, path, "long"), 0);
    xt_teardown();
}

static void test_path_helpers(void)
{
    char *p;

    p = xs_path_parent("/a/b/c");
    CU_ASSERT_STRING_EQUAL(p, "/a/b");
    free(p);
    p = xs_path_parent("/a");
    CU_ASSERT_STRING_EQUAL(p, "/");
    free(p);
    p = xs_path_parent("@releaseDomain");
    CU_ASSERT_STRING_EQUAL(p, "/");
    free(p);
    CU_ASSERT_STRING_EQUAL(xs_path_basename("/a/bc"), "bc");
    CU_ASSERT(xs_path_is_child("/a/b", "/a"));
    CU_ASSERT(xs_path_is_child("/a", "/a"));
    CU_ASSERT(xs_path_is_child("/x", "/"));
    CU_ASSERT(!xs_path_is_child("/ab", "/a"));
    CU_ASSERT(!xs_path_is_child("/a", "/a/b"));
}

/* ---- requests a domU may not make, or that do not exist ------------------------------- */

static void test_bad_types(void)
{
    static const uint32_t nosys[] = { XS_WATCH_EVENT, XS_ERROR, 20, 23, 99,
                                      0xffff, 0xffffffff };
    static const uint32_t priv[] = { XS_CONTROL, XS_INTRODUCE, XS_RELEASE,
                                     XS_IS_DOMAIN_INTRODUCED, XS_RESUME,
                                     XS_SET_TARGET };
    size_t i;

    xt_setup(false);
    for (i = 0; i < ARRAY_SIZE(nosys); i++)
        CU_ASSERT(xt_is_error(xt_req(&xt_p1, nosys[i], 0, P("x\0")),
                              "ENOSYS"));
    for (i = 0; i < ARRAY_SIZE(priv); i++)
        CU_ASSERT(xt_is_error(xt_req(&xt_p1, priv[i], 0, P("1\0")),
                              "EACCES"));
    /* xenstored checks the type before the transaction. */
    CU_ASSERT(xt_is_error(xt_req(&xt_p1, 99, 77, P("x\0")), "ENOSYS"));
    CU_ASSERT(xt_is_error(xt_req(&xt_p1, XS_CONTROL, 77, P("help\0")),
                          "EACCES"));
    CU_ASSERT(xt_is_error(xt_req(&xt_p1, XS_READ, 77, P("domid\0")),
                          "ENOENT"));
    xt_teardown();
}

static void test_malformed_payloads(void)
{
    xt_setup(false);
    /* One string, exactly one NUL, at the end. */
    CU_ASSERT(xt_is_error(xt_req(&xt_p1, XS_READ, 0, P("domid")), "EINVAL"));
    CU_ASSERT(xt_is_error(xt_req(&xt_p1, XS_READ, 0, P("domid\0\0")),
                          "EINVAL"));
    CU_ASSERT(xt_is_error(xt_req(&xt_p1, XS_READ, 0, NULL, 0), "EINVAL"));
    CU_ASSERT(xt_is_error(xt_req(&xt_p1, XS_DIRECTORY, 0, P("data\0x")),
                          "EINVAL"));
    CU_ASSERT(xt_is_error(xt_req(&xt_p1, XS_MKDIR, 0, P("data/x")),
                          "EINVAL"));
    CU_ASSERT(xt_is_error(xt_req(&xt_p1, XS_RM, 0, P("")), "EINVAL"));
    CU_ASSERT(xt_is_error(xt_req(&xt_p1, XS_WRITE, 0, P("data/x")),
                          "EINVAL"));
    CU_ASSERT(xt_is_error(xt_req(&xt_p1, XS_WATCH, 0, P("data\0")),
                          "EINVAL"));
    CU_ASSERT(xt_is_error(xt_req(&xt_p1, XS_WATCH, 0, P("data\0t\0x\0")),
                          "EINVAL"));
    CU_ASSERT(xt_is_error(xt_req(&xt_p1, XS_UNWATCH, 0, P("data")),
                          "EINVAL"));
    CU_ASSERT(xt_is_error(xt_req(&xt_p1, XS_TRANSACTION_END, 0, P("T")),
                          "EINVAL"));
    CU_ASSERT(xt_is_error(xt_req(&xt_p1, XS_DIRECTORY_PART, 0,
                                 P("data\0" "0\0" "0\0")), "EINVAL"));
    /* Nothing happened to the store. */
    CU_ASSERT(xt_is(xt_one(&xt_p1, XS_DIRECTORY, 0, "data"), XS_DIRECTORY,
                    "", 0));
    xt_teardown();
}

/* ---- dom0's requests ------------------------------------------------------------------ */

static void test_privileged(void)
{
    char out[512];
    size_t n = sizeof(out);

    xt_setup(true);
    CU_ASSERT_EQUAL(xs_call(xt_s, 0, XS_IS_DOMAIN_INTRODUCED, "1", 2, out,
                            &n), 0);
    CU_ASSERT(n == 2 && strcmp(out, "T") == 0);
    n = sizeof(out);
    xs_call(xt_s, 0, XS_IS_DOMAIN_INTRODUCED, "5", 2, out, &n);
    CU_ASSERT_STRING_EQUAL(out, "F");
    n = sizeof(out);
    xs_call(xt_s, 0, XS_IS_DOMAIN_INTRODUCED, "32752", 6, out, &n);
    CU_ASSERT_STRING_EQUAL(out, "T");
    CU_ASSERT_EQUAL(xs_call(xt_s, 0, XS_IS_DOMAIN_INTRODUCED, "1", 1, out,
                            &n), XS_EINVAL);
    /* RELEASE: not dom0, not unknown; it removes the domain's nodes. */
    CU_ASSERT_EQUAL(xs_call(xt_s, 0, XS_RELEASE, "0", 2, NULL, NULL),
                    XS_EINVAL);
    CU_ASSERT_EQUAL(xs_call(xt_s, 0, XS_RELEASE, "7", 2, NULL, NULL),
                    XS_ENOENT);
    CU_ASSERT_EQUAL(xs_call(xt_s, 0, XS_RESUME, "2", 2, NULL, NULL), 0);
    CU_ASSERT_EQUAL(xs_call(xt_s, 0, XS_RELEASE, "2", 2, NULL, NULL), 0);
    n = sizeof(out);
    xs_call(xt_s, 0, XS_IS_DOMAIN_INTRODUCED, "2", 2, out, &n);
    CU_ASSERT_STRING_EQUAL(out, "F");
    CU_ASSERT_EQUAL(xs_tool_read(xt_s, 0, "/local/domain/2/data", out, 64),
                    XS_ENOENT);
    CU_ASSERT_EQUAL(xs_tool_read(xt_s, 0, "/local/domain/2/name", out, 64),
                    0);
    CU_ASSERT_EQUAL(xs_domain_acc(xt_s, 2, XS_ACC_NODES), 0);
    CU_ASSERT_EQUAL(xs_call(xt_s, 0, XS_RESUME, "2", 2, NULL, NULL),
                    XS_ENOENT);
    /* INTRODUCE of a connected domain resets its connection. */
    xt_one(&xt_p1, XS_WATCH, 0, "data");
    CU_ASSERT_EQUAL(xs_call(xt_s, 0, XS_INTRODUCE, "1\0" "1234\0" "0", 9,
                            NULL, NULL), XS_EINVAL);
    CU_ASSERT_EQUAL(xs_call(xt_s, 0, XS_INTRODUCE, "1\0" "1234\0" "1", 9,
                            NULL, NULL), 0);
    CU_ASSERT_EQUAL(xt_p1.resets, 1);
    CU_ASSERT_EQUAL(xs_domain_acc(xt_s, 1, XS_ACC_WATCHES), 0);
    CU_ASSERT_EQUAL(xs_call(xt_s, 0, XS_INTRODUCE, "5\0" "1\0" "1", 6,
                            NULL, NULL), XS_EINVAL);
    xt_teardown();
}

static void test_control(void)
{
    char out[2048];
    size_t n = sizeof(out) - 1;

    xt_setup(false);
    CU_ASSERT_EQUAL(xs_call(xt_s, 0, XS_CONTROL, "help", 5, out, &n), 0);
    out[n] = 0;
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "quota"));
    n = sizeof(out) - 1;
    CU_ASSERT_EQUAL(xs_call(xt_s, 0, XS_CONTROL, "quota", 6, out, &n), 0);
    out[n] = 0;
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "nodes            :     1000"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "watches          :      128"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "outstanding      :       20"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "transactions     :       10"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "node-size        :     2048"));
    n = sizeof(out) - 1;
    CU_ASSERT_EQUAL(xs_call(xt_s, 0, XS_CONTROL, "quota\0" "1", 8, out, &n),
                    0);
    out[n] = 0;
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "Domain 1:\nnodes            :"
                                       "       12"));
    CU_ASSERT_EQUAL(xs_call(xt_s, 0, XS_CONTROL, "quota\0" "77", 9, out, &n),
                    XS_ENOENT);
    CU_ASSERT_EQUAL(xs_call(xt_s, 0, XS_CONTROL, "quota\0set\0nodes\0" "3",
                            18, NULL, NULL), 0);
    CU_ASSERT_EQUAL(xt_s->quota[XS_Q_NODES], 3u);
    CU_ASSERT_EQUAL(xs_call(xt_s, 0, XS_CONTROL, "quota\0set\0nodes\0" "0",
                            18, NULL, NULL), XS_EINVAL);
    CU_ASSERT_EQUAL(xs_call(xt_s, 0, XS_CONTROL, "quota\0set\0bogus\0" "3",
                            18, NULL, NULL), XS_EINVAL);
    CU_ASSERT_EQUAL(xs_call(xt_s, 0, XS_CONTROL, "check", 6, NULL, NULL), 0);
    CU_ASSERT_EQUAL(xs_call(xt_s, 0, XS_CONTROL, "check\0x", 8, NULL, NULL),
                    XS_EINVAL);
    CU_ASSERT_EQUAL(xs_call(xt_s, 0, XS_CONTROL, "log\0on", 7, NULL, NULL),
                    XS_EINVAL);
    CU_ASSERT_EQUAL(xs_call(xt_s, 0, XS_CONTROL, "help", 4, NULL, NULL),
                    XS_EINVAL);
    xt_teardown();
}

UNIT_SUITE(xenstore)
{
    CU_pSuite s = CU_add_suite("xenstore", NULL, NULL);
    UNIT_TEST(s, test_initial_tree);
    UNIT_TEST(s, test_toolstack_tree);
    UNIT_TEST(s, test_uuid_from_config);
    UNIT_TEST(s, test_vcpu_availability);
    UNIT_TEST(s, test_read_write);
    UNIT_TEST(s, test_directory);
    UNIT_TEST(s, test_directory_part);
    UNIT_TEST(s, test_mkdir);
    UNIT_TEST(s, test_rm);
    UNIT_TEST(s, test_get_domain_path);
    UNIT_TEST(s, test_get_perms);
    UNIT_TEST(s, test_set_perms);
    UNIT_TEST(s, test_permission_rules);
    UNIT_TEST(s, test_target);
    UNIT_TEST(s, test_paths);
    UNIT_TEST(s, test_path_helpers);
    UNIT_TEST(s, test_bad_types);
    UNIT_TEST(s, test_malformed_payloads);
    UNIT_TEST(s, test_privileged);
    UNIT_TEST(s, test_control);
}
