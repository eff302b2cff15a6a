/* Small definitions shared by every module. */
#ifndef XENEMU_COMMON_H
#define XENEMU_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__) || defined(__clang__)
#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define XE_NORETURN __attribute__((noreturn))
#define XE_ALWAYS_INLINE inline __attribute__((always_inline))
#define XE_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define likely(x)   (x)
#define unlikely(x) (x)
#define XE_NORETURN
#define XE_ALWAYS_INLINE inline
#define XE_PRINTF(a, b)
#endif

/*
 * xenemu's exit status (documented in README.md and `xenemu --help`).
 * xenemu's own codes are even; odd codes come only from the bare machine's
 * isa-debug-exit device, whose status is (value << 1) | 1 exactly as QEMU's,
 * so one image gives the same status under both.
 */
enum xe_exit_status {
    XE_EXIT_POWEROFF  = 0,   /* guest powered off cleanly */
    XE_EXIT_BAD_INPUT = 2,   /* bad command line, kernel image, config... */
    XE_EXIT_CRASH     = 4,   /* guest crashed (or triple-faulted) */
    XE_EXIT_REBOOT    = 6,   /* guest asked for a reboot (on_reboot=destroy) */
    XE_EXIT_TIMEOUT   = 8,   /* --timeout / instruction limit reached */
    XE_EXIT_STRICT    = 10,  /* --strict: guest executed something unimplemented */
    XE_EXIT_INTERNAL  = 12,  /* emulator-internal error (a bug in xenemu) */
};

/* The value of a hexadecimal digit character, or -1. */
static inline int xe_hex_digit(int ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* One clear error line on stderr: "xenemu: <what>: <problem>". */
void xe_error(const char *fmt, ...) XE_PRINTF(1, 2);
void xe_warn(const char *fmt, ...) XE_PRINTF(1, 2);

#endif
