/*
 * Command lines: finding a command in a table (exact names, aliases and
 * unambiguous prefixes, as gdb and Bochs accept them), splitting the rest
 * into words, and the /FMT suffix of x, xp and watch.  Pure functions over
 * strings; the command table itself is the monitor's (commands.c).
 */
#ifndef XENEMU_MONITOR_CMDLINE_H
#define XENEMU_MONITOR_CMDLINE_H

#include "xenemu/common.h"

/* A table entry: name, space-separated aliases (may be NULL). */
struct cmd_name {
    const char *name;
    const char *aliases;
};

/* The entry whose name or alias is word, or whose name word is an
 * unambiguous prefix of: its index, -1 when none matches (err: "unknown
 * command 'foo'"), -2 when several do (err lists them).  names[i] is at
 * (const char *)base + i * stride, so any table of structs whose first
 * member is a struct cmd_name works. */
int cmd_lookup(const void *base, size_t n, size_t stride, const char *word,
               const char *what, char *err, size_t err_len);

#define CMD_MAX_WORDS 16
#define CMD_MAX_LINE 1024

/* A line split at blanks; "..." quotes a word with blanks. */
struct cmd_words {
    int n;
    char *w[CMD_MAX_WORDS];
    char buf[CMD_MAX_LINE];
};

/* 0, or -1 with err (too long, too many words, unterminated quote). */
int cmd_split(const char *line, struct cmd_words *out, char *err,
              size_t err_len);

/* The first word of line (into word, at most size - 1 characters, up to
 * a blank or '/') and where the rest starts (blanks skipped). */
const char *cmd_first_word(const char *line, char *word, size_t size);
/* Leading and trailing blanks off s, in place. */
char *cmd_trim(char *s);

/* x/NFU: count, format letter, unit size in bytes. */
struct xfmt {
    uint64_t count;
    char format;        /* x d u o t c a s i */
    unsigned unit;      /* 1, 2, 4, 8 */
};

/* Parse the part after '/' ("8xg", "i", "4", ...), keeping what is not
 * given from *f (the last format used).  0, or -1 with err. */
int xfmt_parse(const char *s, struct xfmt *f, char *err, size_t err_len);

#endif
