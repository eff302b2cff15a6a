/* Command-line parsing (see cmdline.h). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "monitor/cmdline.h"

static const struct cmd_name *entry(const void *base, size_t stride,
                                    size_t i)
{
    return (const struct cmd_name *)((const char *)base + i * stride);
}

/* Is word one of the space-separated aliases? */
static bool is_alias(const char *aliases, const char *word)
{
    size_t n = strlen(word);

    while (aliases && *aliases) {
        size_t len = strcspn(aliases, " ");
        if (len == n && strncmp(aliases, word, n) == 0)
            return true;
        aliases += len;
        while (*aliases == ' ')
            aliases++;
    }
    return false;
}

int cmd_lookup(const void *base, size_t n, size_t stride, const char *word,
               const char *what, char *err, size_t err_len)
{
    size_t len = strlen(word), i, used;
    int found = -1, matches = 0;

    if (len == 0) {
        snprintf(err, err_len, "no %s given", what);
        return -1;
    }
    for (i = 0; i < n; i++) {
        const struct cmd_name *c = entry(base, stride, i);
        if (strcmp(c->name, word) == 0 || is_alias(c->aliases, word))
            return (int)i;
    }
    for (i = 0; i < n; i++)
        if (strncmp(entry(base, stride, i)->name, word, len) == 0) {
            found = (int)i;
            matches++;
        }
    if (matches == 1)
        return found;
    if (matches == 0) {
        snprintf(err, err_len, "unknown %s '%s' (try help)", what, word);
        return -1;
    }
    used = (size_t)snprintf(err, err_len, "ambiguous %s '%s':", what, word);
    for (i = 0; i < n && used < err_len; i++)
        if (strncmp(entry(base, stride, i)->name, word, len) == 0)
            used += (size_t)snprintf(err + used, err_len - used, " %s",
                                     entry(base, stride, i)->name);
    return -2;
}

int cmd_split(const char *line, struct cmd_words *out, char *err,
              size_t err_len)
{
    char *d = out->buf, *end = out->buf + sizeof(out->buf) - 1;
    const char *s = line;

    out->n = 0;
    if (strlen(line) >= sizeof(out->buf)) {
        snprintf(err, err_len, "line too long (more than %d characters)",
                 CMD_MAX_LINE - 1);
        return -1;
    }
    for (;;) {
        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s)
            return 0;
        if (out->n == CMD_MAX_WORDS) {
            snprintf(err, err_len, "too many words (at most %d)",
                     CMD_MAX_WORDS);
            return -1;
        }
        out->w[out->n++] = d;
        if (*s == '"') {
            const char *q = strchr(s + 1, '"');
            if (!q) {
                snprintf(err, err_len, "unterminated quote");
                return -1;
            }
            memcpy(d, s + 1, (size_t)(q - s - 1));
            d += q - s - 1;
            s = q + 1;
        } else {
            while (*s && *s != ' ' && *s != '\t' && d < end)
                *d++ = *s++;
        }
        *d++ = '\0';
    }
}

const char *cmd_first_word(const char *line, char *word, size_t size)
{
    size_t n = 0;

    while (*line == ' ' || *line == '\t')
        line++;
    while (*line && *line != ' ' && *line != '\t' && *line != '/') {
        if (n + 1 < size)
            word[n++] = *line;
        line++;
    }
    word[n] = '\0';
    while (*line == ' ' || *line == '\t')
        line++;
    return line;
}

char *cmd_trim(char *s)
{
    size_t n;

    while (*s == ' ' || *s == '\t')
        s++;
    n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' ||
                 s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

int xfmt_parse(const char *s, struct xfmt *f, char *err, size_t err_len)
{
    struct xfmt r = *f;
    bool unit_given = false;

    if (isdigit((unsigned char)*s)) {
        r.count = 0;
        while (isdigit((unsigned char)*s)) {
            if (r.count > 100000) {
                snprintf(err, err_len, "count too large (at most 100000)");
                return -1;
            }
            r.count = r.count * 10 + (uint64_t)(*s++ - '0');
        }
        if (r.count == 0) {
            snprintf(err, err_len, "count must be at least 1");
            return -1;
        }
    }
    for (; *s; s++) {
        if (strchr("xduotcasi", *s)) {
            r.format = *s;
        } else if (strchr("bhwg", *s)) {
            r.unit = *s == 'b' ? 1 : *s == 'h' ? 2 : *s == 'w' ? 4 : 8;
            unit_given = true;
        } else {
            snprintf(err, err_len, "unknown format letter '%c' (formats "
                     "x d u o t c a s i, units b h w g)", *s);
            return -1;
        }
    }
    if (r.format == 'c' && !unit_given)
        r.unit = 1;
    *f = r;
    return 0;
}
