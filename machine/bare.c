/* The bare machine: multiboot boot, debug console, isa-debug-exit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cpu/cpu.h"
#include "machine/bare.h"
#include "machine/file.h"
#include "machine/multiboot.h"
#include "machine/strict.h"
#include "machine/watchdog.h"
#include "monitor/dbg.h"

/* Instructions per cpu_run() call: between slices the console is flushed
 * and the limits are checked. */
#define BARE_SLICE 1000000u

#define BARE_BOOT_STACK 0x7c00u

struct bare {
    struct mem mem;
    struct cpu cpu;
    bool cpu_ready;
    bool exit_requested;     /* isa-debug-exit was written */
    int exit_status;
};

typedef unsigned long long ull;     /* for printf */

/* ---- I/O ports --------------------------------------------------------- */

int bare_debug_exit_status(uint32_t val)
{
    return (int)((((uint64_t)val << 1) | 1) & 0xff);
}

static uint32_t debugcon_read(struct bare *b, unsigned size)
{
    (void)b;
    (void)size;
    return BARE_DEBUGCON_PORT;         /* readback value, as QEMU and Bochs */
}

static void debugcon_write(struct bare *b, unsigned size, uint32_t val)
{
    (void)size;
    if (b->exit_requested)
        return;
    putchar((int)(val & 0xff));
    if ((val & 0xff) == '\n')
        fflush(stdout);
}

static uint32_t debug_exit_read(struct bare *b, unsigned size)
{
    (void)b;
    (void)size;
    return 0;
}

static void debug_exit_write(struct bare *b, unsigned size, uint32_t val)
{
    (void)size;
    if (b->exit_requested)
        return;
    b->exit_requested = true;
    b->exit_status = bare_debug_exit_status(val);
    b->cpu.stop_request = true;
}

static const struct bare_port {
    uint16_t base, len;
    uint32_t (*read)(struct bare *b, unsigned size);
    void (*write)(struct bare *b, unsigned size, uint32_t val);
} bare_ports[] = {
    { BARE_DEBUGCON_PORT, 1, debugcon_read, debugcon_write },
    { BARE_DEBUG_EXIT_PORT, BARE_DEBUG_EXIT_SIZE, debug_exit_read,
      debug_exit_write },
};

static const struct bare_port *find_port(uint16_t port)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(bare_ports); i++)
        if (port >= bare_ports[i].base &&
            port - bare_ports[i].base < bare_ports[i].len)
            return &bare_ports[i];
    return NULL;
}

static uint32_t bare_pio_read(void *opaque, uint16_t port, unsigned size)
{
    const struct bare_port *p = find_port(port);

    return p ? p->read(opaque, size) : 0xffffffffu;
}

static void bare_pio_write(void *opaque, uint16_t port, unsigned size,
                           uint32_t val)
{
    const struct bare_port *p = find_port(port);

    if (p)
        p->write(opaque, size, val);
}

/* ---- boot --------------------------------------------------------------- */

/* Like QEMU, the multiboot command line starts with the kernel's name. */
static char *multiboot_cmdline(const struct boot_spec *spec)
{
    size_t n = strlen(spec->kernel) + 1 + strlen(spec->cmdline) + 1;
    char *s = malloc(n);

    if (s)
        snprintf(s, n, "%s %s", spec->kernel, spec->cmdline);
    return s;
}

static int load_kernel(struct bare *b, const struct boot_spec *spec,
                       struct mb_boot *boot)
{
    const char *why;
    uint8_t *img;
    size_t len;
    char *cmdline;
    int r;

    if (file_read_all(spec->kernel, &img, &len, &why)) {
        xe_error("%s: %s", spec->kernel, why);
        return -1;
    }
    cmdline = multiboot_cmdline(spec);
    if (!cmdline) {
        xe_error("out of memory");
        free(img);
        return -1;
    }
    r = multiboot_load(&b->mem, spec->kernel, img, len, cmdline, boot);
    free(cmdline);
    free(img);
    return r;
}

/* The state the multiboot specification promises at the entry point. */
static void multiboot_cpu_state(struct cpu *c, const struct mb_boot *boot)
{
    const uint16_t flat = SEGA_P | SEGA_S | SEGA_DB | SEGA_G;
    int s;

    cpu_set_cr0(c, CR0_PE | CR0_ET);
    cpu_set_seg(c, SEG_CS, 0x08, 0, 0xffffffffu, flat | 0xb); /* code RX, A */
    for (s = 0; s < 6; s++)
        if (s != SEG_CS)
            cpu_set_seg(c, s, 0x10, 0, 0xffffffffu, flat | 0x3); /* RW, A */
    c->gdtr.base = 0;         /* the OS loads its own GDT and IDT */
    c->gdtr.limit = 0;
    c->idtr.base = 0;
    c->idtr.limit = 0;
    cpu_set_rflags(c, 0x2);
    c->r[R_AX] = MB_BOOT_MAGIC;
    c->r[R_BX] = boot->info;
    /* ESP is undefined at entry; like the PC boot path under QEMU, leave a
     * usable stack in conventional memory for kernels that call before
     * setting up their own. */
    c->r[R_SP] = BARE_BOOT_STACK;
    c->rip = boot->entry;
    cpu_update_mode(c);
    cpu_flush_code(c);
}

/* ---- the run loop ------------------------------------------------------ */

/*
 * A halted CPU wakes only for an interrupt.  The bare machine has no
 * interrupt source yet; a PIT/PIC would go here: advance the virtual clock
 * to the next timer deadline, raise the IRQ and return true.  Until then a
 * halt, with interrupts enabled or not, powers the machine off.
 */
static bool wake_from_hlt(struct bare *b)
{
    (void)b;
    return false;
}

static int bare_loop(struct bare *b, const struct run_limits *lim)
{
    struct cpu *c = &b->cpu;
    struct dbg *dbg = lim->dbg;
    const uint64_t start = c->icount;

    for (;;) {
        uint64_t budget = BARE_SLICE, done = c->icount - start;
        enum cpu_stop why;

        if (dbg_pending(dbg) && dbg_poll(dbg) == DBG_QUIT)
            return XE_EXIT_TIMEOUT;
        if (lim->max_insns && done >= lim->max_insns) {
            xe_error("instruction limit reached (%llu instructions) at "
                     "rip=0x%llx", (ull)lim->max_insns, (ull)c->rip);
            return XE_EXIT_TIMEOUT;
        }
        if (lim->max_insns && budget > lim->max_insns - done)
            budget = lim->max_insns - done;
        if (dbg)
            budget = dbg_budget(dbg, c, budget);
        why = cpu_run(c, budget);
        if (dbg)
            dbg_ran(dbg, c);
        fflush(stdout);
        if (b->exit_requested)
            return b->exit_status;
        if (watchdog_expired()) {
            xe_error("timeout: %g s of host time elapsed at rip=0x%llx",
                     lim->timeout, (ull)c->rip);
            return XE_EXIT_TIMEOUT;
        }
        switch (why) {
        case STOP_BUDGET:
        case STOP_REQUEST:
        case STOP_DEBUG:
            break;
        case STOP_HLT:
            if (!wake_from_hlt(b))
                return XE_EXIT_POWEROFF;
            break;
        case STOP_TRIPLE_FAULT:
            xe_error("guest triple fault at rip=0x%llx: the CPU shut down",
                     (ull)c->rip);
            return XE_EXIT_CRASH;
        case STOP_STRICT:
            return strict_stop_report(c);
        }
    }
}

/* The debugger sees the CPU, and the kernel's symbols if it has any. */
static void attach_debugger(struct bare *b, const struct boot_spec *spec)
{
    struct dbg *dbg = spec->limits.dbg;
    uint8_t *img;
    size_t len;
    const char *why;

    if (!dbg)
        return;
    dbg_machine_begin(dbg, "bare", NULL);
    dbg_add_vcpu(dbg, &b->cpu, NULL, "cpu0");
    if (file_read_all(spec->kernel, &img, &len, &why) == 0) {
        dbg_kernel_symbols(dbg, spec->kernel, img, len);
        free(img);
    }
}

static void bare_destroy(struct bare *b)
{
    if (b->cpu_ready)
        cpu_destroy(&b->cpu);
    mem_destroy(&b->mem);
    free(b);
}

int bare_run(const struct boot_spec *spec)
{
    struct bare *b = calloc(1, sizeof(*b));
    struct mb_boot boot;
    int status;

    if (!b) {
        xe_error("out of memory");
        return XE_EXIT_INTERNAL;
    }
    if (mem_init(&b->mem, spec->memory_mib << 20)) {
        xe_error("cannot allocate %llu MiB of guest memory",
                 (ull)spec->memory_mib);
        free(b);
        return XE_EXIT_BAD_INPUT;
    }
    b->mem.pio_read = bare_pio_read;
    b->mem.pio_write = bare_pio_write;
    b->mem.pio_opaque = b;
    if (load_kernel(b, spec, &boot)) {
        bare_destroy(b);
        return XE_EXIT_BAD_INPUT;
    }
    if (cpu_init(&b->cpu, &b->mem)) {
        xe_error("out of memory creating the CPU");
        bare_destroy(b);
        return XE_EXIT_INTERNAL;
    }
    b->cpu_ready = true;
    b->cpu.strict = spec->limits.strict;
    if (spec->limits.jit)
        cpu_set_jit(&b->cpu, spec->limits.jit > 0 ? (unsigned)spec->limits.jit
                                                  : 0);
    multiboot_cpu_state(&b->cpu, &boot);
    attach_debugger(b, spec);
    if (spec->limits.timeout > 0 &&
        watchdog_start(spec->limits.timeout, &b->cpu.stop_request))
        xe_warn("--timeout: no host timer available; running without it");
    status = bare_loop(b, &spec->limits);
    watchdog_stop();
    fflush(stdout);
    if (spec->limits.dbg) {
        dbg_ended(spec->limits.dbg, status, "the bare machine's run ended");
        dbg_machine_end(spec->limits.dbg);
    }
    bare_destroy(b);
    return status;
}
