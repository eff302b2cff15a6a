/*
 * Node permissions as strings (docs/misc/xenstore.txt GET_PERMS/SET_PERMS):
 * a letter, n (none), r (read), w (write) or b (both), then a domid.  The
 * first entry names the owner and what every domain not listed gets; the
 * others grant a listed domain its own access.  Who gets what is
 * xs_perm_for (node.c).
 */
#include <stdio.h>
#include <string.h>
#include "xenplat/xenstore/store.h"

static const struct { char letter; uint8_t perms; } letters[] = {
    { 'n', XS_PERM_NONE }, { 'r', XS_PERM_READ }, { 'w', XS_PERM_WRITE },
    { 'b', XS_PERM_READ | XS_PERM_WRITE },
};

/* xenstored takes the domid with strtol(p, &end, 0): optional blanks and
 * sign, then decimal, 0x-hex or 0-octal digits; the value is truncated to
 * 32 bits.  A 64-bit long saturates on overflow. */
static bool parse_domid(const char *p, uint32_t *domid)
{
    uint64_t v = 0, limit;
    bool neg = false, any = false, big = false;
    unsigned base = 10;

    while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
        p++;
    if (*p == '+' || *p == '-')
        neg = *p++ == '-';
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
        xe_hex_digit(p[2]) >= 0) {
        base = 16;
        p += 2;
    } else if (p[0] == '0') {
        base = 8;
    }
    limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (;; p++) {
        int d = xe_hex_digit(*p);
        if (d < 0 || (unsigned)d >= base)
            break;
        any = true;
        if (v > (limit - (unsigned)d) / base)
            big = true;
        else
            v = v * base + (unsigned)d;
    }
    if (big)
        v = limit;
    *domid = (uint32_t)(neg ? 0 - v : v);
    return any && *p == '\0';
}

int xs_perms_parse(const char *strings, size_t len, unsigned num,
                   struct xs_perm *out)
{
    const char *p = strings, *end = strings + len;
    unsigned i, k;

    for (i = 0; i < num; i++) {
        size_t n = p < end ? strnlen(p, (size_t)(end - p)) : 0;
        if (p >= end || p + n == end)
            return XS_EINVAL;           /* no NUL-terminated string left */
        for (k = 0; k < ARRAY_SIZE(letters) && letters[k].letter != *p; k++)
            ;
        if (k == ARRAY_SIZE(letters) || !parse_domid(p + 1, &out[i].domid))
            return XS_EINVAL;
        out[i].perms = letters[k].perms;
        p += n + 1;
    }
    return 0;
}

size_t xs_perm_format(const struct xs_perm *p, char *buf, size_t size)
{
    unsigned k;
    int n;

    for (k = 0; k < ARRAY_SIZE(letters); k++)
        if (letters[k].perms == (p->perms & (XS_PERM_READ | XS_PERM_WRITE)))
            break;
    /* xenstored prints the domid as a signed int. */
    n = snprintf(buf, size, "%c%d", letters[k].letter, (int32_t)p->domid);
    return n < 0 ? 0 : (size_t)n;
}
