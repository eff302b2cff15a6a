/*
 * What the command line and a config file resolve to, and what every
 * platform (the bare machine now, the Xen PV platform later) is started
 * with.
 */
#ifndef XENEMU_MACHINE_MACHINE_H
#define XENEMU_MACHINE_MACHINE_H

#include "xenemu/common.h"

struct cfg;
struct dbg;

#define MACHINE_DEFAULT_MEMORY_MIB 128
/* vCPUs a domain may have (xenplat's MAX_VIRT_CPUS). */
#define XE_MAX_VCPUS 128

enum clock_mode { CLOCK_VIRTUAL, CLOCK_HOST };

/* How a run is bounded; the same for every platform. */
struct run_limits {
    uint64_t max_insns;     /* retired instructions; 0: no limit */
    double timeout;         /* host seconds; 0: none */
    bool strict;            /* unimplemented instruction ends the run */
    int jit;                /* --jit: 0 the default, -1 off, N > 0 the
                               threshold (cpu_set_jit) */
    enum clock_mode clock;
    const char *input_replay;   /* --input: console input events to replay */
    const char *input_record;   /* --record-input: where to log them */
    struct dbg *dbg;            /* the debugger (monitor/dbg.h); NULL: none */
};

/* The command line, as given (NULL/0: not given). */
struct machine_args {
    const char *machine;    /* --machine */
    const char *kernel;     /* --kernel */
    const char *cmdline;    /* --cmdline */
    const char *ramdisk;    /* --ramdisk */
    const char *positional; /* CONFIG.cfg or KERNEL */
    const char **more_configs;  /* further CONFIG.cfg: more domains */
    unsigned nr_more_configs;
    unsigned pcpus;         /* --pcpus; 0: one per vCPU */
    uint64_t memory_mib;    /* --memory */
    bool xenstore_dump;     /* --xenstore-dump */
    struct run_limits limits;
};

/* What xl does when a domain shuts down (xl.cfg on_poweroff & co.). */
enum domain_action {
    ACTION_DESTROY, ACTION_RESTART, ACTION_RENAME_RESTART, ACTION_PRESERVE,
    ACTION_COREDUMP_DESTROY, ACTION_COREDUMP_RESTART, ACTION_SOFT_RESET,
};

/* What a platform boots. */
struct boot_spec {
    const char *type;       /* "bare", "pv", ... */
    char *kernel;           /* path */
    char *ramdisk;          /* path, NULL: none */
    char *cmdline;          /* never NULL */
    char *name;             /* the domain's name */
    uint64_t memory_mib;
    uint64_t maxmem_mib;    /* >= memory_mib */
    unsigned vcpus;         /* online at boot */
    unsigned maxvcpus;      /* >= vcpus */
    unsigned cpu_weight;    /* the credit scheduler's weight */
    unsigned cap;           /* % of one pCPU; 0: none */
    uint64_t affinity;      /* pCPUs it may run on (cpus =) */
    unsigned pcpus;         /* simulated pCPUs; 0: one per vCPU */
    unsigned event_channels;    /* the highest event-channel port */
    /* The next domain of the run (xenemu a.cfg b.cfg): NULL for one. */
    const struct boot_spec *next;
    /* Indexed by the shutdown reason: poweroff, reboot, suspend, crash,
     * watchdog, soft_reset. */
    enum domain_action on_shutdown[6];
    struct run_limits limits;
    bool xenstore_dump;     /* print the store at the end (pv) */
    const struct cfg *cfg;  /* the domain config; NULL without one */
};

/* Resolve args (config file, demo guest) and run: returns the exit status
 * (enum xe_exit_status, or an odd isa-debug-exit status). */
int machine_main(const struct machine_args *args);

#endif
