/*
 * "why" buffers: the loaders report a problem by formatting one message into
 * a caller's buffer (the caller prints it after the file name), and return
 * -1.  Shared by elf.c, kernel-info.c and unpack.c.
 */
#ifndef XENEMU_XENPLAT_WHY_H
#define XENEMU_XENPLAT_WHY_H

#include <stdarg.h>
#include <stdio.h>
#include "xenemu/common.h"

static inline int why_set(char *why, size_t why_len, const char *fmt, ...)
    XE_PRINTF(3, 4);

static inline int why_set(char *why, size_t why_len, const char *fmt, ...)
{
    va_list ap;

    if (why && why_len) {
        va_start(ap, fmt);
        vsnprintf(why, why_len, fmt, ap);
        va_end(ap);
    }
    return -1;
}

#endif
