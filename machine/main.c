/* xenemu's command line. */
#include <errno.h>
#include <stdarg.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "machine/xlcfg.h"
#include "machine/machine.h"

#include "config.h"          /* the generated build configuration */


#define MAX_TIMEOUT (366.0 * 24 * 3600)

enum { OPT_CMDLINE = 256, OPT_TIMEOUT, OPT_MAX_INSNS, OPT_STRICT, OPT_CLOCK,
       OPT_INPUT, OPT_RECORD_INPUT, OPT_XENSTORE_DUMP,
       OPT_MACHINE, OPT_RAMDISK };

static const struct option long_options[] = {
    { "help",      no_argument,       NULL, 'h' },
    { "version",   no_argument,       NULL, 'V' },
    { "machine",   required_argument, NULL, OPT_MACHINE },
    { "kernel",    required_argument, NULL, 'k' },
    { "cmdline",   required_argument, NULL, OPT_CMDLINE },
    { "ramdisk",   required_argument, NULL, OPT_RAMDISK },
    { "memory",    required_argument, NULL, 'm' },
    { "timeout",   required_argument, NULL, OPT_TIMEOUT },
    { "max-insns", required_argument, NULL, OPT_MAX_INSNS },
    { "strict",    no_argument,       NULL, OPT_STRICT },
    { "clock",     required_argument, NULL, OPT_CLOCK },
    { "input",     required_argument, NULL, OPT_INPUT },
    { "record-input", required_argument, NULL, OPT_RECORD_INPUT },
    { "xenstore-dump", no_argument,   NULL, OPT_XENSTORE_DUMP },
    { NULL, 0, NULL, 0 },
};

/* The exit statuses of include/xenemu/common.h. */
static const struct { int status; const char *meaning; } exit_statuses[] = {
    { XE_EXIT_POWEROFF,  "guest powered off cleanly" },
    { XE_EXIT_BAD_INPUT, "bad command line, kernel image, config..." },
    { XE_EXIT_CRASH,     "guest crashed (or triple-faulted)" },
    { XE_EXIT_REBOOT,    "guest asked for a reboot (with on_reboot=destroy)" },
    { XE_EXIT_TIMEOUT,   "--timeout / instruction limit reached" },
    { XE_EXIT_STRICT,    "--strict: guest executed something unimplemented" },
    { XE_EXIT_INTERNAL,  "emulator-internal error (a bug in xenemu)" },
};

static void usage(void)
{
    size_t i;

    printf(
"Usage: xenemu [OPTION]... [CONFIG.cfg | KERNEL]\n"
"Run an x86 guest kernel on an emulated CPU.\n"
"\n"
"A CONFIG file uses xl.cfg syntax (type, kernel, cmdline/extra, memory...);\n"
"any other file is a kernel image.  With neither, xenemu boots its demo\n"
"guest (demo.elf from $XENEMU_ROMDIR, the build tree or the data directory).\n"
"Options override the config file's settings.\n"
"\n"
"  -h, --help             show this help and exit\n"
"  -V, --version          show the version and exit\n"
"      --machine=TYPE     bare: a multiboot kernel with a debug console on\n"
"                           port 0xE9 and isa-debug-exit on port 0xF4\n"
"                           (iosize 4), like QEMU's; the default\n"
"                         pv: the Xen PV platform: a 64-bit or 32-bit PAE\n"
"                           Xen PV kernel, as xl create would start it\n"
"                           (the default for a config without type)\n"
"  -k, --kernel=FILE      the kernel: bare: multiboot ELF32, ELF64 below\n"
"                           4 GiB, or an a.out-kludge image; pv: a Xen PV\n"
"                           ELF kernel\n"
"      --ramdisk=FILE     pv: the initial ramdisk (module 0)\n"
"      --cmdline=TEXT     the kernel command line\n"
"  -m, --memory=MIB       guest RAM in MiB (default %d)\n"
"      --timeout=SECONDS  end the run after SECONDS of host time\n"
"      --max-insns=N      end the run after N instructions (deterministic)\n"
"      --strict           end the run at the first instruction xenemu does\n"
"                           not implement, naming its address and bytes,\n"
"                           or (PV) the first hypercall it does not implement\n"
"      --clock=MODE       guest time: virtual (default; deterministic) or\n"
"                           host\n"
"      --input=FILE       PV input: replay the events of FILE (lines\n"
"                           \"ICOUNT HEXBYTES\" of console input or\n"
"                           \"ICOUNT !shutdown poweroff|reboot\"); without\n"
"                           it a terminal on stdin is read (Ctrl-] ends\n"
"                           the run)\n"
"      --record-input=FILE  log the input events to FILE\n"
"      --xenstore-dump    pv: at the end, print the whole XenStore\n"
"                           (path = \"value\" (permissions)) after the\n"
"                           console output\n"
"\n"
"Exit status:\n", MACHINE_DEFAULT_MEMORY_MIB);
    for (i = 0; i < ARRAY_SIZE(exit_statuses); i++)
        printf("  %3d  %s\n", exit_statuses[i].status,
               exit_statuses[i].meaning);
    printf(
"  odd  the bare machine's isa-debug-exit: writing V to port 0xF4 exits\n"
"       with status (V << 1) | 1, as under QEMU\n"
"\n"
"A CPU halted with interrupts disabled ends the run as a poweroff.  The bare\n"
"machine has no interrupt source yet, so there any halt is a poweroff.\n"
"On the pv machine SIGINT or SIGTERM asks the guest to power off (its\n"
"XenStore control/shutdown, as xl shutdown); a second one ends xenemu.\n");
}

static int usage_error(const char *fmt, ...) XE_PRINTF(1, 2);

/* An error line; returns -1. */
static int usage_error(const char *fmt, ...)
{
    char msg[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    xe_error("%s", msg);
    return -1;
}

/* A decimal count in [min, max]. */
static int parse_count(const char *opt, const char *arg, uint64_t min,
                       uint64_t max, uint64_t *v)
{
    char *end;

    errno = 0;
    *v = strtoull(arg, &end, 10);
    if (arg[0] < '0' || arg[0] > '9' || *end || errno || *v < min || *v > max) {
        return usage_error("%s: '%s' is not a number from %llu to %llu", opt,
                           arg, (unsigned long long)min,
                           (unsigned long long)max);
    }
    return 0;
}

static int parse_timeout(const char *arg, double *v)
{
    char *end;

    errno = 0;
    *v = strtod(arg, &end);
    if (end == arg || *end || errno || !isfinite(*v) || *v <= 0 ||
        *v > MAX_TIMEOUT) {
        return usage_error("--timeout: '%s' is not a number of seconds "
                           "(more than 0, at most a year)", arg);
    }
    return 0;
}

static int parse_clock(const char *arg, enum clock_mode *mode)
{
    if (strcmp(arg, "virtual") == 0)
        *mode = CLOCK_VIRTUAL;
    else if (strcmp(arg, "host") == 0)
        *mode = CLOCK_HOST;
    else
        return usage_error("--clock: '%s' is neither virtual nor host", arg);
    return 0;
}

/* One option into a; 0, 1 for "exit 0 now", or -1 after an error line. */
static int parse_option(int opt, char **argv, struct machine_args *a)
{
    const char *arg = optarg;

    switch (opt) {
    case 'h':
        usage();
        return 1;
    case 'V':
        printf("xenemu " XENEMU_VERSION "\n");
        return 1;
    case OPT_MACHINE: a->machine = arg; return 0;
    case 'k': a->kernel = arg; return 0;
    case OPT_CMDLINE: a->cmdline = arg; return 0;
    case OPT_RAMDISK: a->ramdisk = arg; return 0;
    case OPT_STRICT: a->limits.strict = true; return 0;
    case 'm':
        return parse_count("--memory", arg, 1, CFG_MAX_MEMORY_MIB,
                           &a->memory_mib);
    case OPT_MAX_INSNS:
        return parse_count("--max-insns", arg, 1, UINT64_MAX,
                           &a->limits.max_insns);
    case OPT_TIMEOUT:
        return parse_timeout(arg, &a->limits.timeout);
    case OPT_CLOCK:
        return parse_clock(arg, &a->limits.clock);
    case OPT_INPUT: a->limits.input_replay = arg; return 0;
    case OPT_RECORD_INPUT: a->limits.input_record = arg; return 0;
    case OPT_XENSTORE_DUMP: a->xenstore_dump = true; return 0;
    case ':':
        return usage_error("%s: missing argument (see --help)",
                           argv[optind - 1]);
    default:
        if (strncmp(argv[optind - 1], "--", 2) == 0)
            return usage_error("unknown option '%s' (see --help)",
                               argv[optind - 1]);
        return usage_error("unknown option '-%c' (see --help)", optopt);
    }
}

int main(int argc, char **argv)
{
    struct machine_args a = { 0 };
    int opt, r;

    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":hVk:m:", long_options,
                              NULL)) != -1) {
        r = parse_option(opt, argv, &a);
        if (r)
            return r > 0 ? XE_EXIT_POWEROFF : XE_EXIT_BAD_INPUT;
    }
    if (optind < argc)
        a.positional = argv[optind++];
    if (optind < argc) {
        usage_error("unexpected argument '%s' after '%s' (see --help)",
                    argv[optind], a.positional);
        return XE_EXIT_BAD_INPUT;
    }
    return machine_main(&a);
}
