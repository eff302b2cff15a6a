/*
 * xl-style domain config files (the syntax of xl.cfg(5)):
 *
 *   # comment
 *   name   = "guest"            strings in "double" or 'single' quotes,
 *   memory = 256                with C escapes (\n \t \\ \" \x41 \101 ...)
 *   vcpus  = 0x2                integers, decimal or hex (strtol base 0)
 *   disk   = [ "file:a.img,xvda,w",
 *              "file:b.img,xvdb,r" ]   lists may span lines
 *   extra  += " console=hvc0"   += appends to a string or list
 *
 * Statements end at a newline or ';'.  The last assignment of a key wins.
 * Parsing gives a generic key -> value list; cfg_check() then validates the
 * keys xenemu knows (type, range, choices) and reports the others.
 */
#ifndef XENEMU_MACHINE_CONFIG_H
#define XENEMU_MACHINE_CONFIG_H

#include "xenemu/common.h"

/* Largest "memory"/"maxmem" accepted, in MiB (1 TiB). */
#define CFG_MAX_MEMORY_MIB (1u << 20)

/* A scalar as written: a quoted string or a bare number. */
struct cfg_atom {
    char *text;           /* string contents (escapes applied) or digits */
    bool number;          /* written as a bare number */
    int line;
};

struct cfg_setting {
    char *key;
    int line;             /* line of the key */
    bool is_list;
    struct cfg_atom atom;           /* !is_list */
    struct cfg_atom *items;         /* is_list */
    size_t nr_items;
};

struct cfg {
    char *path;           /* the file as named by the user, for messages */
    char *dir;            /* relative paths in the file are relative to it */
    struct cfg_setting *s;
    size_t n, cap;
};

struct cfg_error {
    int line;             /* 0: not tied to a line */
    char msg[240];
};

/* Called by cfg_check() for a key xenemu does not know. */
typedef void (*cfg_unknown_fn)(void *opaque, const struct cfg *c,
                               const struct cfg_setting *s);

/* Start an empty config for file path (which may be NULL). */
int cfg_init(struct cfg *c, const char *path);
void cfg_free(struct cfg *c);

/* Parse len bytes of text into c.  0, or -1 with *err filled. */
int cfg_parse(struct cfg *c, const char *text, size_t len,
              struct cfg_error *err);

/* Validate every known key's value; call unknown() for the others.
 * 0, or -1 with *err filled (the first bad value). */
int cfg_check(const struct cfg *c, cfg_unknown_fn unknown, void *opaque,
              struct cfg_error *err);

/* Read, parse and check path; problems are reported on stderr as
 * "xenemu: FILE:LINE: problem", unknown keys as warnings.  Returns a
 * config to cfg_destroy(), or NULL after an error. */
struct cfg *cfg_load(const char *path);
void cfg_destroy(struct cfg *c);

/* Accessors: the last setting of key, NULL/0 when absent. */
const struct cfg_setting *cfg_find(const struct cfg *c, const char *key);
/* The text of a scalar key; NULL when absent or a list. */
const char *cfg_get_string(const struct cfg *c, const char *key);
/* 1 and *v when key holds an integer, 0 when absent, -1 when not an
 * integer (or out of range for uint64_t). */
int cfg_get_u64(const struct cfg *c, const char *key, uint64_t *v);
/* A path-valued key resolved against the config's directory; malloc'd,
 * NULL when absent. */
char *cfg_get_path(const struct cfg *c, const char *key);
/* The items of a list key; 0 items when absent or not a list. */
size_t cfg_get_list(const struct cfg *c, const char *key,
                    const struct cfg_atom **items);

/* Does this file start like a config (text, first statement KEY = or
 * KEY +=) rather than like a kernel image? */
bool cfg_sniff(const uint8_t *data, size_t len);

/* Parse an integer the way xl does (strtoul, base 0, the whole text).
 * Returns 0, or -1 when text is not such an integer. */
int cfg_parse_u64(const char *text, uint64_t *v);

#endif
