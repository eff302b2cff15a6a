/*
 * From the command line to a running platform: tell a config file from a
 * kernel image, merge the command line over the config, find the demo
 * guest, pick the platform.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "machine/bare.h"
#include "machine/multiboot.h"
#include "machine/pv.h"
#include "machine/xlcfg.h"
#include "machine/file.h"
#include "machine/machine.h"
#include "xenplat/evtchn.h"
#include "xenplat/sched-credit.h"

#include "config.h"          /* the generated build configuration */


#define DEMO_NAME "demo.elf"

static const struct platform {
    const char *type;
    const char *name;
    int (*run)(const struct boot_spec *spec);   /* NULL: not yet */
} platforms[] = {
    { "bare", "the bare machine", bare_run },
    { "pv",   "the Xen PV platform", pv_run },
    { "pvh",  "the Xen PVH platform", NULL },
    { "hvm",  "the HVM platform", NULL },
};

static const struct platform *find_platform(const char *type)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(platforms); i++)
        if (strcmp(platforms[i].type, type) == 0)
            return &platforms[i];
    return NULL;
}

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);

    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* 1: a config file, 0: a kernel image, -1: unreadable (reported). */
static int is_config_file(const char *path)
{
    const char *why;
    uint8_t *data;
    size_t len;
    bool config;

    if (has_suffix(path, ".cfg"))
        return 1;
    if (file_read_all(path, &data, &len, &why)) {
        xe_error("%s: %s", path, why);
        return -1;
    }
    config = cfg_sniff(data, len);
    free(data);
    return config;
}

/* demo.elf in $XENEMU_ROMDIR, the build tree's roms/, the data directory. */
static char *find_demo(void)
{
    const char *dirs[] = {
        getenv("XENEMU_ROMDIR"),
        XENEMU_BUILD_ROMDIR,
#ifdef XENEMU_DATADIR
        XENEMU_DATADIR,
#endif
    };
    char looked[512] = "";
    size_t i, o = 0;

    for (i = 0; i < ARRAY_SIZE(dirs); i++) {
        char *path;

        if (!dirs[i] || !dirs[i][0])
            continue;
        path = path_resolve(dirs[i], DEMO_NAME);
        if (path && access(path, R_OK) == 0)
            return path;
        free(path);
        if (o < sizeof(looked))
            o += (size_t)snprintf(looked + o, sizeof(looked) - o, "%s%s",
                                  o ? ", " : "", dirs[i]);
    }
    xe_error("no kernel or config given, and the demo guest %s is not "
             "installed (looked in: %s); see xenemu --help", DEMO_NAME, looked);
    return NULL;
}

/* xl: cmdline, or else "root=ROOT EXTRA". */
static char *config_cmdline(const struct cfg *c)
{
    const char *cmdline = cfg_get_string(c, "cmdline");
    const char *root = cfg_get_string(c, "root");
    const char *extra = cfg_get_string(c, "extra");
    size_t n;
    char *s;

    if (cmdline || (!root && !extra))
        return strdup(cmdline ? cmdline : "");
    n = (root ? strlen(root) + 6 : 0) + (extra ? strlen(extra) : 0) + 1;
    s = malloc(n);
    if (s)
        snprintf(s, n, "%s%s%s%s", root ? "root=" : "", root ? root : "",
                 root && extra ? " " : "", extra ? extra : "");
    return s;
}

static const char *config_type(const struct cfg *c)
{
    const char *type = cfg_get_string(c, "type");
    const char *builder = cfg_get_string(c, "builder");

    if (type)
        return type;
    return builder && strcmp(builder, "hvm") == 0 ? "hvm" : "pv";  /* xl */
}

static const char *const action_names[] = {
    [ACTION_DESTROY] = "destroy", [ACTION_RESTART] = "restart",
    [ACTION_RENAME_RESTART] = "rename-restart",
    [ACTION_PRESERVE] = "preserve",
    [ACTION_COREDUMP_DESTROY] = "coredump-destroy",
    [ACTION_COREDUMP_RESTART] = "coredump-restart",
    [ACTION_SOFT_RESET] = "soft-reset",
};

/* xl's defaults: poweroff destroy, reboot restart, crash destroy,
 * watchdog destroy, soft_reset soft-reset. */
static void resolve_actions(const struct cfg *c, struct boot_spec *spec)
{
    static const struct {
        const char *key;
        unsigned reason;
        enum domain_action def;
    } keys[] = {
        { "on_poweroff", 0, ACTION_DESTROY },
        { "on_reboot", 1, ACTION_RESTART },
        { "on_crash", 3, ACTION_DESTROY },
        { "on_watchdog", 4, ACTION_DESTROY },
        { "on_soft_reset", 5, ACTION_SOFT_RESET },
    };
    size_t i, k;

    spec->on_shutdown[2] = ACTION_DESTROY;        /* suspend: never here */
    for (i = 0; i < ARRAY_SIZE(keys); i++) {
        const char *v = c ? cfg_get_string(c, keys[i].key) : NULL;
        spec->on_shutdown[keys[i].reason] = keys[i].def;
        for (k = 0; v && k < ARRAY_SIZE(action_names); k++)
            if (strcmp(v, action_names[k]) == 0)
                spec->on_shutdown[keys[i].reason] = (enum domain_action)k;
    }
}

/* vcpus, maxvcpus, and the scheduler's settings (cpu_weight, cap,
 * cpus): libxl's defaults are one vCPU, weight 256, no cap, any pCPU. */
static int resolve_vcpus(const struct cfg *c, struct boot_spec *spec)
{
    uint64_t n;
    const char *cpus = c ? cfg_get_string(c, "cpus") : NULL;

    spec->vcpus = 1;
    if (c && cfg_get_u64(c, "vcpus", &n) == 1)
        spec->vcpus = (unsigned)n;
    spec->maxvcpus = spec->vcpus;
    if (c && cfg_get_u64(c, "maxvcpus", &n) == 1)
        spec->maxvcpus = (unsigned)n;
    if (spec->maxvcpus < spec->vcpus) {
        xe_error("%s: maxvcpus = %u is less than vcpus = %u", c->path,
                 spec->maxvcpus, spec->vcpus);
        return -1;
    }
    if (spec->maxvcpus > XE_MAX_VCPUS) {
        xe_error("%s: %u vCPUs: xenemu runs at most %u per domain",
                 c->path, spec->maxvcpus, XE_MAX_VCPUS);
        return -1;
    }
    spec->cpu_weight = CSCHED_DEFAULT_WEIGHT;
    if (c && cfg_get_u64(c, "cpu_weight", &n) == 1)
        spec->cpu_weight = (unsigned)n;
    spec->cap = 0;
    if (c && cfg_get_u64(c, "cap", &n) == 1)
        spec->cap = (unsigned)n;
    spec->affinity = ~0ull;
    if (cpus && csched_parse_cpus(cpus, &spec->affinity)) {
        xe_error("%s: cpus = \"%s\" is not a list of pCPUs (such as "
                 "\"0-1,3\", each below 64)", c->path, cpus);
        return -1;
    }
    return 0;
}

/* event_channels: the domain's highest event-channel port (libxl's
 * default 1023), capped at INT_MAX as Xen's domain_create caps
 * max_evtchn_port. */
static void resolve_event_channels(const struct cfg *c, struct boot_spec *spec)
{
    uint64_t n;

    spec->event_channels = EVTCHN_DEFAULT_MAX_PORT;
    if (c && cfg_get_u64(c, "event_channels", &n) == 1)
        spec->event_channels = n > 0x7fffffff ? 0x7fffffffu : (unsigned)n;
}

/* Fill spec from the command line over the config; 0 or -1 (reported). */
static int resolve(const struct machine_args *a, const struct cfg *c,
                   struct boot_spec *spec)
{
    uint64_t mib = 0;

    if (a->memory_mib)
        spec->memory_mib = a->memory_mib;
    else if (c && cfg_get_u64(c, "memory", &mib) == 1)
        spec->memory_mib = mib;
    else
        spec->memory_mib = MACHINE_DEFAULT_MEMORY_MIB;
    if (a->kernel || c) {
        spec->kernel = a->kernel ? strdup(a->kernel)
                                 : cfg_get_path(c, "kernel");
        if (!spec->kernel && !a->kernel && !cfg_find(c, "kernel")) {
            xe_error("%s: no kernel = \"FILE\" setting and no --kernel",
                     c->path);
            return -1;
        }
    } else if (!(spec->kernel = find_demo())) {
        return -1;
    }
    spec->cmdline = a->cmdline ? strdup(a->cmdline)
                    : c ? config_cmdline(c) : strdup("");
    if (a->ramdisk)
        spec->ramdisk = strdup(a->ramdisk);
    else if (c && cfg_find(c, "ramdisk"))
        spec->ramdisk = cfg_get_path(c, "ramdisk");
    spec->maxmem_mib = spec->memory_mib;
    if (c && cfg_get_u64(c, "maxmem", &mib) == 1 && mib > spec->memory_mib)
        spec->maxmem_mib = mib;
    if (resolve_vcpus(c, spec))
        return -1;
    spec->name = strdup(c && cfg_get_string(c, "name")
                        ? cfg_get_string(c, "name") : "guest");
    resolve_actions(c, spec);
    resolve_event_channels(c, spec);
    if (!spec->kernel || !spec->cmdline || !spec->name) {
        xe_error("out of memory");
        return -1;
    }
    return 0;
}

/* A compressed image or a bzImage: only PV kernels come that way. */
static bool is_wrapped_kernel(const uint8_t *d, size_t len)
{
    static const struct { const char *magic; size_t off, n; } magics[] = {
        { "\x1f\x8b", 0, 2 },               /* gzip */
        { "\xfd" "7zXZ", 0, 6 },             /* xz */
        { "\x28\xb5\x2f\xfd", 0, 4 },       /* zstd */
        { "BZh", 0, 3 },                     /* bzip2 */
        { "\x02\x21\x4c\x18", 0, 4 },       /* lz4 legacy */
        { "\x04\x22\x4d\x18", 0, 4 },       /* lz4 frame */
        { "HdrS", 0x202, 4 },                /* Linux bzImage */
    };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(magics); i++)
        if (len >= magics[i].off + magics[i].n &&
            memcmp(d + magics[i].off, magics[i].magic, magics[i].n) == 0)
            return true;
    return false;
}

/* An ELF image with a "Xen" note (namesz 4, name "Xen\0") or the legacy
 * __xen_guest section. */
static bool has_xen_notes(const uint8_t *d, size_t len)
{
    size_t i;

    if (len < 4 || memcmp(d, "\177ELF", 4) != 0)
        return false;
    for (i = 12; i + 4 <= len; i += 4)
        if (memcmp(d + i, "Xen", 4) == 0 && d[i - 12] == 4 &&
            d[i - 11] == 0 && d[i - 10] == 0 && d[i - 9] == 0)
            return true;
    for (i = 0; i + 12 <= len; i++)
        if (memcmp(d + i, "__xen_guest", 12) == 0)
            return true;
    return false;
}

/* A kernel without a config: Xen PV if it looks like one (Xen notes, or a
 * compressed/bzImage wrapper), else the bare machine, whose loader says
 * what is wrong with a file that is neither.  Unreadable files are left to
 * the platform to report. */
static const char *sniff_kernel_type(const char *path)
{
    const char *why;
    uint8_t *data;
    size_t len;
    bool pv;

    if (file_read_all(path, &data, &len, &why))
        return "bare";
    pv = !multiboot_has_header(data, len) &&
         (has_xen_notes(data, len) || is_wrapped_kernel(data, len));
    free(data);
    return pv ? "pv" : "bare";
}

/* The platform to run: --machine, else the config's type, else what the
 * kernel image looks like. */
static const struct platform *choose_platform(const struct machine_args *a,
                                              const struct cfg *c,
                                              const char *kernel)
{
    const char *type = a->machine ? a->machine : c ? config_type(c)
                       : sniff_kernel_type(kernel);
    const struct platform *p = find_platform(type);

    if (!p)
        xe_error("--machine: unknown machine '%s' (bare or pv)", type);
    else if (!p->run && a->machine)
        xe_error("%s is not implemented yet", p->name);
    else if (!p->run)
        xe_error("%s: type = \"%s\": %s is not implemented yet", c->path,
                 type, p->name);
    return p && p->run ? p : NULL;
}

static void spec_free(struct boot_spec *spec)
{
    free(spec->kernel);
    free(spec->ramdisk);
    free(spec->cmdline);
    free(spec->name);
}

/* One domain per config (c[0..n-1]; n is 1 with a kernel or nothing):
 * the first config picks the platform, which must be pv for several. */
static int run(const struct machine_args *a, struct cfg *const *c,
               unsigned n)
{
    const struct platform *p = NULL;
    struct boot_spec *spec = calloc(n, sizeof(*spec));
    int status = XE_EXIT_BAD_INPUT;
    unsigned i;

    if (!spec) {
        xe_error("out of memory");
        return XE_EXIT_INTERNAL;
    }
    for (i = 0; i < n; i++) {
        if (resolve(a, c[i], &spec[i]))
            goto out;
        spec[i].limits = a->limits;
        spec[i].xenstore_dump = a->xenstore_dump;
        spec[i].cfg = c[i];
        spec[i].pcpus = a->pcpus;
        spec[i].next = i + 1 < n ? &spec[i + 1] : NULL;
    }
    if (!(p = choose_platform(a, c[0], spec[0].kernel)))
        goto out;
    for (i = 1; i < n; i++) {
        const struct platform *q = choose_platform(a, c[i], spec[i].kernel);
        if (!q)
            goto out;
        if (q != p || strcmp(p->type, "pv") != 0) {
            xe_error("%s: several domains run only on the Xen PV platform "
                     "(this one is %s, the first %s)", c[i]->path, q->name,
                     p->name);
            goto out;
        }
    }
    for (i = 0; i < n; i++)
        spec[i].type = p->type;
    status = p->run(&spec[0]);
out:
    for (i = 0; i < n; i++)
        spec_free(&spec[i]);
    free(spec);
    return status;
}

/* xenemu a.cfg b.cfg ...: every argument a config, no per-domain
 * options on the command line. */
static int run_several(const struct machine_args *a, struct cfg *first)
{
    unsigned n = a->nr_more_configs + 1, i;
    struct cfg **c = calloc(n, sizeof(*c));
    int status = XE_EXIT_BAD_INPUT;

    if (!c) {
        cfg_destroy(first);
        xe_error("out of memory");
        return XE_EXIT_INTERNAL;
    }
    c[0] = first;
    if (!first) {
        xe_error("%s: not a config file: with several domains every "
                 "argument is a config", a->positional);
        goto out;
    }
    if (a->kernel || a->cmdline || a->ramdisk || a->memory_mib) {
        xe_error("--kernel, --cmdline, --ramdisk and --memory name one "
                 "domain: with several configs, set them in the configs");
        goto out;
    }
    for (i = 1; i < n; i++) {
        const char *path = a->more_configs[i - 1];
        int is_config = is_config_file(path);
        if (is_config < 0)
            goto out;
        if (!is_config) {
            xe_error("%s: not a config file: with several domains every "
                     "argument is a config", path);
            goto out;
        }
        if (!(c[i] = cfg_load(path)))
            goto out;
    }
    status = run(a, c, n);
out:
    for (i = 0; i < n; i++)
        cfg_destroy(c[i]);
    free(c);
    return status;
}

int machine_main(const struct machine_args *args)
{
    struct machine_args a = *args;
    const char *config = NULL;
    struct cfg *c = NULL;
    int status;

    if (a.positional) {
        int is_config = is_config_file(a.positional);
        if (is_config < 0)
            return XE_EXIT_BAD_INPUT;
        if (!is_config && a.kernel) {
            xe_error("%s: a kernel image, but --kernel %s was given too",
                     a.positional, a.kernel);
            return XE_EXIT_BAD_INPUT;
        }
        if (is_config)
            config = a.positional;
        else
            a.kernel = a.positional;
    }
    if (config && !(c = cfg_load(config)))
        return XE_EXIT_BAD_INPUT;
    if (!a.nr_more_configs) {
        status = run(&a, &c, 1);
        cfg_destroy(c);
        return status;
    }
    return run_several(&a, c);
}
