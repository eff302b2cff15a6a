/* xl-style config files: the parser, the known keys, the accessors. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "machine/xlcfg.h"
#include "machine/file.h"

/* ---- errors ----------------------------------------------------------- */

static int set_error(struct cfg_error *err, int line, const char *fmt, ...)
    XE_PRINTF(3, 4);

static int set_error(struct cfg_error *err, int line, const char *fmt, ...)
{
    va_list ap;

    err->line = line;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    return -1;
}

/* User text for a message: printable, on one line, not too long. */
static const char *show(char *buf, size_t size, const char *s)
{
    size_t o = 0;

    for (; *s && o + 8 < size; s++) {
        unsigned char ch = (unsigned char)*s;
        if (o > 48) {
            o += (size_t)snprintf(buf + o, size - o, "...");
            break;
        }
        if (ch >= 0x20 && ch < 0x7f && ch != '\\')
            buf[o++] = (char)ch;
        else
            o += (size_t)snprintf(buf + o, size - o, "\\x%02x", ch);
    }
    buf[o] = 0;
    return buf;
}

/* ---- growing strings -------------------------------------------------- */

struct sbuf {
    char *p;
    size_t n, cap;
};

static int sbuf_put(struct sbuf *b, char ch)
{
    if (b->n + 1 >= b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 32;
        char *p = realloc(b->p, cap);
        if (!p)
            return -1;
        b->p = p;
        b->cap = cap;
    }
    b->p[b->n++] = ch;
    b->p[b->n] = 0;
    return 0;
}

/* ---- lexer ------------------------------------------------------------ */

struct lexer {
    const char *p, *end;
    int line;
    struct cfg_error *err;
};

static int peek(const struct lexer *lx)
{
    return lx->p < lx->end ? (unsigned char)*lx->p : -1;
}

static bool is_ident_start(int ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_';
}

static bool is_ident_char(int ch)
{
    return is_ident_start(ch) || (ch >= '0' && ch <= '9');
}

static bool is_digit(int ch) { return ch >= '0' && ch <= '9'; }

/* Spaces and a comment up to (not including) the end of the line. */
static void skip_blank(struct lexer *lx)
{
    while (lx->p < lx->end) {
        char ch = *lx->p;
        if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\f' || ch == '\v') {
            lx->p++;
        } else if (ch == '#') {
            while (lx->p < lx->end && *lx->p != '\n')
                lx->p++;
        } else {
            break;
        }
    }
}

/* Blanks, comments and newlines (inside a list). */
static void skip_blank_lines(struct lexer *lx)
{
    for (;;) {
        skip_blank(lx);
        if (peek(lx) != '\n')
            return;
        lx->p++;
        lx->line++;
    }
}

/* What the lexer found instead of what it expected. */
static const char *found(const struct lexer *lx, char *buf, size_t size)
{
    int ch = peek(lx);

    if (ch < 0)
        return "end of file";
    if (ch == '\n')
        return "end of line";
    if (ch > 0x20 && ch < 0x7f)
        snprintf(buf, size, "'%c'", ch);
    else
        snprintf(buf, size, "byte 0x%02x", ch);
    return buf;
}

static int unexpected(struct lexer *lx, const char *expected)
{
    char buf[16];

    return set_error(lx->err, lx->line, "expected %s, found %s", expected,
                     found(lx, buf, sizeof(buf)));
}

static int oom(struct lexer *lx)
{
    return set_error(lx->err, lx->line, "out of memory");
}

/* Simple one-character escapes, after the backslash. */
static const struct { char name, value; } simple_escapes[] = {
    { 'a', '\a' }, { 'b', '\b' }, { 'f', '\f' }, { 'n', '\n' },
    { 'r', '\r' }, { 't', '\t' }, { 'v', '\v' },
    { '\\', '\\' }, { '"', '"' }, { '\'', '\'' },
};

/* An escape sequence after the backslash: \x41 (1-2 hex digits),
 * \101 (1-3 octal digits) or one of simple_escapes. */
static int lex_escape(struct lexer *lx, struct sbuf *b)
{
    int ch = peek(lx), value = -1;
    size_t i;

    if (ch == 'x') {
        lx->p++;
        for (i = 0; i < 2 && xe_hex_digit(peek(lx)) >= 0; i++, lx->p++)
            value = (value < 0 ? 0 : value * 16) + xe_hex_digit(peek(lx));
        if (value < 0)
            return set_error(lx->err, lx->line, "\\x needs hex digits");
    } else if (ch >= '0' && ch <= '7') {
        for (i = 0, value = 0; i < 3 && peek(lx) >= '0' && peek(lx) <= '7';
             i++, lx->p++)
            value = value * 8 + (peek(lx) - '0');
        if (value > 0xff)
            return set_error(lx->err, lx->line, "octal escape above \\377");
    } else {
        for (i = 0; i < ARRAY_SIZE(simple_escapes); i++)
            if (simple_escapes[i].name == ch)
                value = (unsigned char)simple_escapes[i].value;
        if (value < 0 && (ch < 0 || ch == '\n'))
            return set_error(lx->err, lx->line, "unterminated string");
        if (value < 0) {
            char buf[16];
            return set_error(lx->err, lx->line, "unknown escape in string: "
                             "\\ followed by %s", found(lx, buf, sizeof(buf)));
        }
        lx->p++;
    }
    if (value == 0)
        return set_error(lx->err, lx->line, "NUL character in string");
    return sbuf_put(b, (char)value) ? oom(lx) : 0;
}

/* A string in double or single quotes. */
static int lex_string(struct lexer *lx, struct cfg_atom *a)
{
    char quote = *lx->p++;
    struct sbuf b = { 0 };

    for (;;) {
        int ch = peek(lx), bad;

        if (ch < 0 || ch == '\n') {
            free(b.p);
            return set_error(lx->err, lx->line, "unterminated string");
        }
        lx->p++;
        if (ch == quote)
            break;
        if (ch == '\\')
            bad = lex_escape(lx, &b);
        else if (ch == 0)
            bad = set_error(lx->err, lx->line, "NUL byte in string");
        else
            bad = sbuf_put(&b, (char)ch) ? oom(lx) : 0;
        if (bad) {
            free(b.p);
            return -1;
        }
    }
    if (!b.p && !(b.p = calloc(1, 1)))
        return oom(lx);
    a->text = b.p;
    a->number = false;
    a->line = lx->line;
    return 0;
}

/* A bare number: decimal digits or 0x and hex digits, kept as text. */
static int lex_number(struct lexer *lx, struct cfg_atom *a)
{
    const char *start = lx->p;
    size_t n;

    if (peek(lx) == '0' && lx->p + 1 < lx->end &&
        (lx->p[1] == 'x' || lx->p[1] == 'X')) {
        lx->p += 2;
        if (xe_hex_digit(peek(lx)) < 0)
            return set_error(lx->err, lx->line, "0x needs hex digits");
        while (xe_hex_digit(peek(lx)) >= 0)
            lx->p++;
    } else {
        while (is_digit(peek(lx)))
            lx->p++;
    }
    if (is_ident_char(peek(lx)) || peek(lx) == '.') {
        char buf[16];
        return set_error(lx->err, lx->line, "bad number: %s after the digits",
                         found(lx, buf, sizeof(buf)));
    }
    n = (size_t)(lx->p - start);
    a->text = malloc(n + 1);
    if (!a->text)
        return oom(lx);
    memcpy(a->text, start, n);
    a->text[n] = 0;
    a->number = true;
    a->line = lx->line;
    return 0;
}

static int lex_atom(struct lexer *lx, struct cfg_atom *a)
{
    int ch = peek(lx);

    if (ch == '"' || ch == '\'')
        return lex_string(lx, a);
    if (is_digit(ch))
        return lex_number(lx, a);
    return unexpected(lx, "a value (\"string\", number or [list])");
}

/* ---- settings --------------------------------------------------------- */

static void atom_free(struct cfg_atom *a)
{
    free(a->text);
    a->text = NULL;
}

static void setting_free(struct cfg_setting *s)
{
    size_t i;

    free(s->key);
    atom_free(&s->atom);
    for (i = 0; i < s->nr_items; i++)
        atom_free(&s->items[i]);
    free(s->items);
    memset(s, 0, sizeof(*s));
}

static int list_push(struct cfg_setting *s, struct cfg_atom *a)
{
    struct cfg_atom *items;

    items = realloc(s->items, (s->nr_items + 1) * sizeof(*items));
    if (!items)
        return -1;
    s->items = items;
    s->items[s->nr_items++] = *a;
    return 0;
}

/* '[' item, item, ... ']' with newlines and a trailing comma allowed. */
static int lex_list(struct lexer *lx, struct cfg_setting *s)
{
    lx->p++;
    s->is_list = true;
    for (;;) {
        struct cfg_atom a = { 0 };

        skip_blank_lines(lx);
        if (peek(lx) == ']')
            break;
        if (lex_atom(lx, &a))
            return -1;
        if (list_push(s, &a)) {
            atom_free(&a);
            return oom(lx);
        }
        skip_blank_lines(lx);
        if (peek(lx) == ',') {
            lx->p++;
            continue;
        }
        if (peek(lx) != ']')
            return unexpected(lx, "',' or ']' in the list");
    }
    lx->p++;
    return 0;
}

static int lex_value(struct lexer *lx, struct cfg_setting *s)
{
    return peek(lx) == '[' ? lex_list(lx, s) : lex_atom(lx, &s->atom);
}

static struct cfg_setting *last_setting(const struct cfg *c, const char *key)
{
    size_t i;

    for (i = c->n; i-- > 0;)
        if (strcmp(c->s[i].key, key) == 0)
            return &c->s[i];
    return NULL;
}

static int cfg_add(struct cfg *c, struct cfg_setting *s)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        struct cfg_setting *n = realloc(c->s, cap * sizeof(*n));
        if (!n)
            return -1;
        c->s = n;
        c->cap = cap;
    }
    c->s[c->n++] = *s;
    return 0;
}

/* KEY += VALUE: a string gets VALUE appended, a list VALUE's items (which
 * move from s to old). */
static int append_setting(struct lexer *lx, struct cfg_setting *old,
                          struct cfg_setting *s)
{
    size_t i;

    if (old->is_list != s->is_list)
        return set_error(lx->err, lx->line,
                         "%s: += of a %s to a %s", s->key,
                         s->is_list ? "list" : "string",
                         old->is_list ? "list" : "string");
    if (s->is_list) {
        for (i = 0; i < s->nr_items; i++) {
            if (list_push(old, &s->items[i]))
                return oom(lx);
            s->items[i].text = NULL;
        }
    } else {
        size_t a = strlen(old->atom.text), b = strlen(s->atom.text);
        char *t = realloc(old->atom.text, a + b + 1);
        if (!t)
            return oom(lx);
        memcpy(t + a, s->atom.text, b + 1);
        old->atom.text = t;
        old->atom.number = false;
    }
    return 0;
}

static int lex_key(struct lexer *lx, struct cfg_setting *s)
{
    const char *start = lx->p;
    size_t n;

    while (is_ident_char(peek(lx)))
        lx->p++;
    n = (size_t)(lx->p - start);
    s->key = malloc(n + 1);
    if (!s->key)
        return oom(lx);
    memcpy(s->key, start, n);
    s->key[n] = 0;
    s->line = lx->line;
    return 0;
}

/* KEY = VALUE or KEY += VALUE, up to (not including) the statement's end. */
static int lex_setting(struct lexer *lx, struct cfg *c)
{
    struct cfg_setting s = { 0 }, *old;
    bool append = false;

    if (lex_key(lx, &s))
        goto fail;
    skip_blank(lx);
    if (peek(lx) == '+' && lx->p + 1 < lx->end && lx->p[1] == '=') {
        append = true;
        lx->p++;
    }
    if (peek(lx) != '=') {
        unexpected(lx, "'=' after the key");
        goto fail;
    }
    lx->p++;
    skip_blank(lx);
    if (lex_value(lx, &s))
        goto fail;
    old = append ? last_setting(c, s.key) : NULL;
    if (old) {
        int r = append_setting(lx, old, &s);
        setting_free(&s);
        return r;
    }
    if (cfg_add(c, &s) == 0)
        return 0;
    oom(lx);
fail:
    setting_free(&s);
    return -1;
}

int cfg_parse(struct cfg *c, const char *text, size_t len,
              struct cfg_error *err)
{
    struct lexer lx = { text, text + len, 1, err };

    for (;;) {
        int ch;

        skip_blank(&lx);
        ch = peek(&lx);
        if (ch < 0)
            return 0;
        if (ch == '\n' || ch == ';') {
            lx.line += ch == '\n';
            lx.p++;
            continue;
        }
        if (!is_ident_start(ch))
            return unexpected(&lx, "a setting (KEY = VALUE)");
        if (lex_setting(&lx, c))
            return -1;
        skip_blank(&lx);
        ch = peek(&lx);
        if (ch >= 0 && ch != '\n' && ch != ';')
            return unexpected(&lx, "the end of the line after the value");
    }
}

bool cfg_sniff(const uint8_t *data, size_t len)
{
    struct lexer lx = { (const char *)data, (const char *)data + len, 1, NULL };
    size_t i, n = len < 4096 ? len : 4096;

    for (i = 0; i < n; i++)
        if (data[i] == 0)
            return false;
    skip_blank_lines(&lx);
    if (peek(&lx) < 0)
        return len > 0;         /* only comments: an empty config */
    if (!is_ident_start(peek(&lx)))
        return false;
    while (is_ident_char(peek(&lx)))
        lx.p++;
    skip_blank(&lx);
    if (peek(&lx) == '+')
        lx.p++;
    return peek(&lx) == '=';
}

/* ---- known keys ------------------------------------------------------- */

enum key_type { K_STRING, K_PATH, K_INT, K_LIST };

struct known_key {
    const char *name;
    enum key_type type;
    uint64_t min, max;            /* K_INT */
    const char *unit;             /* K_INT, for messages */
    const char *const *choices;   /* K_STRING: NULL-terminated, or NULL */
};

static const char *const machine_types[] = {
    "pv", "pvh", "hvm", "bare", NULL
};
static const char *const builders[] = { "generic", "hvm", NULL };
static const char *const actions[] = {
    "destroy", "restart", "rename-restart", "preserve",
    "coredump-destroy", "coredump-restart", "soft-reset", NULL
};

static const struct known_key known_keys[] = {
    { "name",          K_STRING, 0, 0, NULL, NULL },
    { "type",          K_STRING, 0, 0, NULL, machine_types },
    { "builder",       K_STRING, 0, 0, NULL, builders },
    { "uuid",          K_STRING, 0, 0, NULL, NULL },
    { "kernel",        K_PATH,   0, 0, NULL, NULL },
    { "ramdisk",       K_PATH,   0, 0, NULL, NULL },
    { "cmdline",       K_STRING, 0, 0, NULL, NULL },
    { "extra",         K_STRING, 0, 0, NULL, NULL },
    { "root",          K_STRING, 0, 0, NULL, NULL },
    { "memory",        K_INT, 1, CFG_MAX_MEMORY_MIB, "MiB", NULL },
    { "maxmem",        K_INT, 1, CFG_MAX_MEMORY_MIB, "MiB", NULL },
    { "vcpus",         K_INT, 1, 512, "vCPUs", NULL },
    { "maxvcpus",      K_INT, 1, 512, "vCPUs", NULL },
    { "cpus",          K_STRING, 0, 0, NULL, NULL },
    { "cpu_weight",    K_INT, 1, 65535, "", NULL },
    { "cap",           K_INT, 0, 6400, "%", NULL },
    { "event_channels", K_INT, 0, 4294967295u, "ports", NULL },
    { "on_poweroff",   K_STRING, 0, 0, NULL, actions },
    { "on_reboot",     K_STRING, 0, 0, NULL, actions },
    { "on_crash",      K_STRING, 0, 0, NULL, actions },
    { "on_watchdog",   K_STRING, 0, 0, NULL, actions },
    { "on_soft_reset", K_STRING, 0, 0, NULL, actions },
    { "disk",          K_LIST, 0, 0, NULL, NULL },
    { "vif",           K_LIST, 0, 0, NULL, NULL },
    { "vfb",           K_LIST, 0, 0, NULL, NULL },
    { "vkb",           K_LIST, 0, 0, NULL, NULL },
    { "channel",       K_LIST, 0, 0, NULL, NULL },
    { "pci",           K_LIST, 0, 0, NULL, NULL },
};

static const struct known_key *known_key(const char *name)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(known_keys); i++)
        if (strcmp(known_keys[i].name, name) == 0)
            return &known_keys[i];
    return NULL;
}

static int check_choice(const struct known_key *k, const struct cfg_setting *s,
                        struct cfg_error *err)
{
    char list[160] = "", buf[80];
    size_t i, o = 0;

    for (i = 0; k->choices[i]; i++)
        if (strcmp(k->choices[i], s->atom.text) == 0)
            return 0;
    for (i = 0; k->choices[i] && o < sizeof(list); i++)
        o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s",
                              i ? ", " : "", k->choices[i]);
    return set_error(err, s->atom.line, "%s: \"%s\" is not one of: %s",
                     s->key, show(buf, sizeof(buf), s->atom.text), list);
}

static int check_setting(const struct known_key *k, const struct cfg_setting *s,
                         struct cfg_error *err)
{
    char buf[80];
    uint64_t v;

    if (k->type == K_LIST && !s->is_list)
        return set_error(err, s->line, "%s: expected a list [ ... ]", s->key);
    if (k->type == K_LIST)
        return 0;
    if (s->is_list)
        return set_error(err, s->line, "%s: expected a %s, not a list",
                         s->key, k->type == K_INT ? "number" : "string");
    switch (k->type) {
    case K_PATH:
        if (!s->atom.text[0])
            return set_error(err, s->line, "%s: empty path", s->key);
        return 0;
    case K_INT:
        if (cfg_parse_u64(s->atom.text, &v))
            return set_error(err, s->line, "%s: expected a number (%s), "
                             "found \"%s\"", s->key, k->unit,
                             show(buf, sizeof(buf), s->atom.text));
        if (v < k->min || v > k->max)
            return set_error(err, s->line, "%s: %s is out of range "
                             "(%llu..%llu %s)", s->key,
                             show(buf, sizeof(buf), s->atom.text),
                             (unsigned long long)k->min,
                             (unsigned long long)k->max, k->unit);
        return 0;
    default:
        return k->choices ? check_choice(k, s, err) : 0;
    }
}

int cfg_check(const struct cfg *c, cfg_unknown_fn unknown, void *opaque,
              struct cfg_error *err)
{
    size_t i;

    for (i = 0; i < c->n; i++) {
        const struct cfg_setting *s = &c->s[i];
        const struct known_key *k;

        if (last_setting(c, s->key) != s)
            continue;           /* overridden by a later assignment */
        k = known_key(s->key);
        if (!k) {
            if (unknown)
                unknown(opaque, c, s);
        } else if (check_setting(k, s, err)) {
            return -1;
        }
    }
    return 0;
}

/* ---- life cycle and loading ------------------------------------------- */

int cfg_init(struct cfg *c, const char *path)
{
    memset(c, 0, sizeof(*c));
    if (!path)
        return 0;
    c->path = strdup(path);
    c->dir = path_dirname(path);
    if (!c->path || !c->dir) {
        cfg_free(c);
        return -1;
    }
    return 0;
}

void cfg_free(struct cfg *c)
{
    size_t i;

    for (i = 0; i < c->n; i++)
        setting_free(&c->s[i]);
    free(c->s);
    free(c->path);
    free(c->dir);
    memset(c, 0, sizeof(*c));
}

static void warn_unknown(void *opaque, const struct cfg *c,
                         const struct cfg_setting *s)
{
    (void)opaque;
    xe_warn("%s:%d: unknown setting '%s' ignored", c->path, s->line, s->key);
}

struct cfg *cfg_load(const char *path)
{
    struct cfg *c = malloc(sizeof(*c));
    struct cfg_error err = { 0, "" };
    const char *why;
    uint8_t *text;
    size_t len;

    if (!c || cfg_init(c, path)) {
        free(c);
        xe_error("%s: out of memory", path);
        return NULL;
    }
    if (file_read_all(path, &text, &len, &why)) {
        xe_error("%s: %s", path, why);
        cfg_destroy(c);
        return NULL;
    }
    if (cfg_parse(c, (const char *)text, len, &err) ||
        cfg_check(c, warn_unknown, NULL, &err)) {
        if (err.line)
            xe_error("%s:%d: %s", path, err.line, err.msg);
        else
            xe_error("%s: %s", path, err.msg);
        free(text);
        cfg_destroy(c);
        return NULL;
    }
    free(text);
    return c;
}

void cfg_destroy(struct cfg *c)
{
    if (c) {
        cfg_free(c);
        free(c);
    }
}

/* ---- accessors -------------------------------------------------------- */

int cfg_parse_u64(const char *text, uint64_t *v)
{
    char *end;
    unsigned long long n;

    if (!is_digit((unsigned char)text[0]))
        return -1;              /* no sign, no blanks */
    errno = 0;
    n = strtoull(text, &end, 0);
    if (errno || *end)
        return -1;
    *v = n;
    return 0;
}

const struct cfg_setting *cfg_find(const struct cfg *c, const char *key)
{
    return c ? last_setting(c, key) : NULL;
}

const char *cfg_get_string(const struct cfg *c, const char *key)
{
    const struct cfg_setting *s = cfg_find(c, key);

    return s && !s->is_list ? s->atom.text : NULL;
}

int cfg_get_u64(const struct cfg *c, const char *key, uint64_t *v)
{
    const char *text = cfg_get_string(c, key);

    if (!text)
        return cfg_find(c, key) ? -1 : 0;
    return cfg_parse_u64(text, v) ? -1 : 1;
}

char *cfg_get_path(const struct cfg *c, const char *key)
{
    const char *text = cfg_get_string(c, key);

    return text ? path_resolve(c->dir, text) : NULL;
}

size_t cfg_get_list(const struct cfg *c, const char *key,
                    const struct cfg_atom **items)
{
    const struct cfg_setting *s = cfg_find(c, key);

    if (!s || !s->is_list) {
        *items = NULL;
        return 0;
    }
    *items = s->items;
    return s->nr_items;
}
