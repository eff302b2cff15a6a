/* Diagnostics: one line each on stderr, after whatever the guest printed. */
#include <stdarg.h>
#include <stdio.h>
#include "xenemu/common.h"

static void log_line(const char *prefix, const char *fmt, va_list ap)
{
    fflush(stdout);     /* keep guest console output and diagnostics in order */
    fputs(prefix, stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    fflush(stderr);
}

void xe_error(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    log_line("xenemu: ", fmt, ap);
    va_end(ap);
}

void xe_warn(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    log_line("xenemu: warning: ", fmt, ap);
    va_end(ap);
}
