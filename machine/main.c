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
#include "xenplat/sched-credit.h"
#include "monitor/gdbstub.h"
#include "monitor/monitor.h"

#include "config.h"          /* the generated build configuration */


#define MAX_TIMEOUT (366.0 * 24 * 3600)

enum { OPT_CMDLINE = 256, OPT_TIMEOUT, OPT_MAX_INSNS, OPT_STRICT, OPT_CLOCK,
       OPT_INPUT, OPT_RECORD_INPUT, OPT_XENSTORE_DUMP,
       OPT_MACHINE, OPT_RAMDISK, OPT_MONITOR_SCRIPT, OPT_TRACE, OPT_TRACE_FILE,
       OPT_TRACE_HASH, OPT_PCPUS, OPT_GDB, OPT_JIT };

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
    { "jit",       required_argument, NULL, OPT_JIT },
    { "clock",     required_argument, NULL, OPT_CLOCK },
    { "input",     required_argument, NULL, OPT_INPUT },
    { "record-input", required_argument, NULL, OPT_RECORD_INPUT },
    { "xenstore-dump", no_argument,   NULL, OPT_XENSTORE_DUMP },
    { "pcpus",     required_argument, NULL, OPT_PCPUS },
    { "paused",    no_argument,       NULL, 'S' },
    { "monitor-script", required_argument, NULL, OPT_MONITOR_SCRIPT },
    { "trace",     required_argument, NULL, OPT_TRACE },
    { "trace-file", required_argument, NULL, OPT_TRACE_FILE },
    { "trace-hash", no_argument,      NULL, OPT_TRACE_HASH },
    { "gdb",       required_argument, NULL, OPT_GDB },
    { NULL, 0, NULL, 0 },
};

/* The debugger's options (monitor/). */
struct debug_args {
    struct monitor_options mon;
    unsigned trace;             /* bit per enum trace_kind */
    const char *trace_file;
    bool trace_hash;
    const char *gdb;            /* --gdb SPEC */
};

/* The exit statuses of include/xenemu/common.h. */
static const struct { int status; const char *meaning; } exit_statuses[] = {
    { XE_EXIT_POWEROFF,  "guest powered off cleanly" },
    { XE_EXIT_BAD_INPUT, "bad command line, kernel image, config..." },
    { XE_EXIT_CRASH,     "guest crashed (or triple-faulted)" },
    { XE_EXIT_REBOOT,    "guest asked for a reboot (with on_reboot=destroy)" },
    { XE_EXIT_TIMEOUT,   "run ended early: --timeout, instruction limit, "
                         "console escape or the monitor's quit" },
    { XE_EXIT_STRICT,    "--strict: guest executed something unimplemented" },
    { XE_EXIT_INTERNAL,  "emulator-internal error (a bug in xenemu)" },
};

static void usage(void)
{
    size_t i;

    printf(
"Usage: xenemu [OPTION]... [CONFIG.cfg... | KERNEL]\n"
"Run an x86 guest kernel on an emulated CPU.\n"
"\n"
"A CONFIG file uses xl.cfg syntax (type, kernel, cmdline/extra, memory...);\n"
"any other file is a kernel image.  With neither, xenemu boots its demo\n"
"guest (demo.elf from $XENEMU_ROMDIR, the build tree or the data directory).\n"
"Several configs run several PV domains (domids 1, 2, ...) side by side:\n"
"each line of their consoles starts with the domain's name, the first one\n"
"reads the terminal, and the run ends when every domain has ended, with\n"
"the status of the first.\n"
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
"      --jit=WHEN         on (default where there is a JIT back end:\n"
"                           x86-64 hosts), off (interpret only), or N: compile\n"
"                           a block once it has run N times; the run is the\n"
"                           same either way, only faster\n"
"      --clock=MODE       guest time: virtual (default; deterministic) or\n"
"                           host\n"
"      --input=FILE       PV input: replay the events of FILE (lines\n"
"                           \"ICOUNT HEXBYTES\" of console input or\n"
"                           \"ICOUNT !shutdown poweroff|reboot\"); without\n"
"                           it a terminal on stdin is read (Ctrl-] ends\n"
"                           the run)\n"
"      --record-input=FILE  log the input events to FILE\n"
"      --pcpus=N          pv: simulated physical CPUs the credit scheduler\n"
"                           shares among the vCPUs (default: one per\n"
"                           vCPU; at most 64)\n"
"      --xenstore-dump    pv: at the end, print the whole XenStore\n"
"                           (path = \"value\" (permissions)) after the\n"
"                           console output\n"
"\n"
"Debugging (the monitor: type 'help' in it):\n"
"  -S, --paused           enter the monitor before the first instruction\n"
"      --monitor-script=FILE  run the monitor commands in FILE at the start\n"
"                           (then a terminal's, if standard input is one)\n"
"      --trace=KINDS      trace instructions, rings, hypercalls, events or\n"
"                           all (a comma-separated list), each record\n"
"                           stamped with the instruction count\n"
"      --trace-file=FILE  write the traces to FILE (default: standard error)\n"
"      --trace-hash       at the end, print a hash of the instruction\n"
"                           stream, hypercalls and events (the same on\n"
"                           every run and host)\n"
"      --gdb=SPEC         a gdbstub on tcp::PORT (127.0.0.1), tcp:HOST:PORT\n"
"                           or unix:PATH; the guest waits for the client\n"
"                           before its first instruction; while a client\n"
"                           is attached it takes the stops, not the\n"
"                           monitor; kill ends the run (status 8), detach\n"
"                           or a lost connection lets the guest go on\n"
"With -S and standard input not a terminal, monitor commands are read\n"
"from it.  On the console: Ctrl-A c enters the monitor, Ctrl-A x or Ctrl-]\n"
"ends the run, Ctrl-A Ctrl-A sends Ctrl-A.\n"
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

/* --jit=on|off|N (machine.h run_limits.jit). */
static int parse_jit(const char *arg, int *jit)
{
    uint64_t n;

    if (strcmp(arg, "on") == 0) {
        *jit = 0;
        return 0;
    }
    if (strcmp(arg, "off") == 0) {
        *jit = -1;
        return 0;
    }
    if (arg[0] < '0' || arg[0] > '9')
        return usage_error("--jit: '%s' is not on, off or a count", arg);
    if (parse_count("--jit", arg, 1, 1000000, &n))
        return -1;
    *jit = (int)n;
    return 0;
}

/* --trace=KINDS: a comma-separated list of trace kinds or "all". */
static int parse_trace(const char *arg, unsigned *kinds)
{
    char buf[128], *save = NULL, *k;

    if (strlen(arg) >= sizeof(buf))
        return usage_error("--trace: '%s' is too long", arg);
    strcpy(buf, arg);
    for (k = strtok_r(buf, ",", &save); k; k = strtok_r(NULL, ",", &save)) {
        int kind = trace_kind_parse(k);
        if (strcmp(k, "all") == 0)
            *kinds |= (1u << NR_TRACE_KINDS) - 1;
        else if (kind < 0)
            return usage_error("--trace: unknown kind '%s' (instructions, "
                               "rings, hypercalls, events, all)", k);
        else
            *kinds |= 1u << kind;
    }
    if (!*kinds)
        return usage_error("--trace: no kind given");
    return 0;
}

static int parse_debug_option(int opt, struct debug_args *g)
{
    switch (opt) {
    case 'S': g->mon.paused = true; return 0;
    case OPT_MONITOR_SCRIPT: g->mon.script = optarg; return 0;
    case OPT_TRACE: return parse_trace(optarg, &g->trace);
    case OPT_TRACE_FILE: g->trace_file = optarg; return 0;
    case OPT_TRACE_HASH: g->trace_hash = true; return 0;
    case OPT_GDB: g->gdb = optarg; return 0;
    default: return 1;
    }
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
    case OPT_JIT: return parse_jit(arg, &a->limits.jit);
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
    case OPT_PCPUS: {
        uint64_t n;
        if (parse_count("--pcpus", arg, 1, CSCHED_MAX_PCPUS, &n))
            return -1;
        a->pcpus = (unsigned)n;
        return 0;
    }
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

/* The debugger, its gdbstub (first: it takes the stops while a client is
 * attached) and its monitor for the run; NULL after an error line. */
static struct dbg *debugger(const struct debug_args *g, struct monitor **mon,
                            struct gdbstub **gdb)
{
    struct dbg *d = dbg_create();
    char why[256];

    if (!d) {
        xe_error("out of memory");
        return NULL;
    }
    for (unsigned k = 0; k < NR_TRACE_KINDS; k++)
        if ((g->trace >> k & 1) &&
            dbg_trace(d, (enum trace_kind)k, true, g->trace_file, why,
                      sizeof(why))) {
            xe_error("--trace-file=%s", why);
            dbg_destroy(d);
            return NULL;
        }
    dbg_trace_hash(d, g->trace_hash);
    if (g->gdb && !(*gdb = gdbstub_create(d, g->gdb))) {
        dbg_destroy(d);
        return NULL;
    }
    *mon = monitor_create(d, &g->mon);
    if (!*mon) {
        gdbstub_destroy(*gdb);
        dbg_destroy(d);
        return NULL;
    }
    return d;
}

static int run(struct machine_args *a, const struct debug_args *g)
{
    struct monitor *mon = NULL;
    struct gdbstub *gdb = NULL;
    struct dbg *d = debugger(g, &mon, &gdb);
    int status;

    if (!d)
        return XE_EXIT_BAD_INPUT;
    a->limits.dbg = d;
    status = machine_main(a);
    fflush(stdout);
    if (g->trace_hash)
        fprintf(stderr, "xenemu: trace hash %016llx (%llu instructions)\n",
                (unsigned long long)d->hash,
                (unsigned long long)d->hash_insns);
    monitor_destroy(mon);
    gdbstub_destroy(gdb);
    dbg_destroy(d);
    return status;
}

int main(int argc, char **argv)
{
    struct machine_args a = { 0 };
    struct debug_args g = { 0 };
    int opt, r;

    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":hVSk:m:", long_options,
                              NULL)) != -1) {
        r = parse_debug_option(opt, &g);
        if (r <= 0) {
            if (r < 0)
                return XE_EXIT_BAD_INPUT;
            continue;
        }
        r = parse_option(opt, argv, &a);
        if (r)
            return r > 0 ? XE_EXIT_POWEROFF : XE_EXIT_BAD_INPUT;
    }
    if (optind < argc)
        a.positional = argv[optind++];
    a.more_configs = (const char **)&argv[optind];
    a.nr_more_configs = (unsigned)(argc - optind);
    if (g.trace_file && !g.trace) {
        usage_error("--trace-file: no --trace to write there");
        return XE_EXIT_BAD_INPUT;
    }
    return run(&a, &g);
}
