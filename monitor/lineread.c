/*
 * Where the monitor's command lines come from: a script file first, then
 * a terminal through GNU readline (prompt, editing, history kept in
 * ~/.xenemu_history, completion of commands, info topics, trace kinds,
 * registers and symbols), or standard input read line by line.  Without
 * readline (configure --disable-readline) a terminal is read plainly.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "monitor/mon.h"
#ifdef CONFIG_READLINE
#include <readline/history.h>
#include <readline/readline.h>
#endif

#define PROMPT "(xenemu) "
#define HISTORY_LINES 1000

struct lineread {
    FILE *script;
    char *script_name;
    unsigned line;
    bool use_stdin, tty;
    char *buf;
    size_t cap;
    char where[256];
    struct monitor *m;
    char *history;                  /* the history file, NULL: none */
};

bool lineread_has_script(const struct lineread *lr)
{
    return lr->script != NULL;
}

/* ---- completion ---------------------------------------------------------------- */

#ifdef CONFIG_READLINE
static struct monitor *completing;

static const char *const trace_words[] = {
    "instructions", "rings", "hypercalls", "events", "all", "on", "off",
};
static const char *const reg_words[] = {
    "$rax", "$rbx", "$rcx", "$rdx", "$rsi", "$rdi", "$rbp", "$rsp", "$r8",
    "$r9", "$r10", "$r11", "$r12", "$r13", "$r14", "$r15", "$rip", "$pc",
    "$rflags", "$cr0", "$cr2", "$cr3", "$cr4", "$efer", "$fs_base",
    "$gs_base", "$eax", "$ebx", "$ecx", "$edx", "$esi", "$edi", "$ebp",
    "$esp", "$eip",
};

enum { CPL_COMMANDS, CPL_INFO, CPL_TRACE, CPL_SYMBOLS };
static int completion_kind;

static char *table_generator(const char *text, int state)
{
    static size_t i;
    size_t len = strlen(text);

    if (!state)
        i = 0;
    for (;;) {
        const char *name;
        switch (completion_kind) {
        case CPL_COMMANDS:
            if (i >= mon_ncommands)
                return NULL;
            name = mon_commands[i++].n.name;
            break;
        case CPL_INFO:
            if (i >= mon_ninfo_commands)
                return NULL;
            name = mon_info_commands[i++].n.name;
            break;
        default:
            if (i >= ARRAY_SIZE(trace_words))
                return NULL;
            name = trace_words[i++];
            break;
        }
        if (strncmp(name, text, len) == 0)
            return strdup(name);
    }
}

static char *symbol_generator(const char *text, int state)
{
    static size_t i;
    static const char *last;
    const struct symtab *t = &completing->d->syms;

    if (!state) {
        i = 0;
        last = NULL;
    }
    if (text[0] == '$') {
        while (i < ARRAY_SIZE(reg_words))
            if (strncmp(reg_words[i++], text, strlen(text)) == 0)
                return strdup(reg_words[i - 1]);
        return NULL;
    }
    for (;;) {
        const char *name = symtab_complete(t, text, i++);
        if (!name)
            return NULL;
        if (!last || strcmp(last, name) != 0) {
            last = name;
            return strdup(name);
        }
    }
}

static char **complete(const char *text, int start, int end)
{
    char first[32];
    const char *rest = cmd_first_word(rl_line_buffer, first, sizeof(first));
    size_t first_end = strspn(rl_line_buffer, " \t") + strlen(first);

    (void)end;
    rl_attempted_completion_over = 1;
    if ((size_t)start <= first_end) {
        completion_kind = CPL_COMMANDS;
        return rl_completion_matches(text, table_generator);
    }
    if (strcmp(first, "info") == 0 && strchr(rest, ' ') == NULL) {
        completion_kind = CPL_INFO;
        return rl_completion_matches(text, table_generator);
    }
    if (strcmp(first, "trace") == 0) {
        completion_kind = CPL_TRACE;
        return rl_completion_matches(text, table_generator);
    }
    completion_kind = CPL_SYMBOLS;
    return rl_completion_matches(text, symbol_generator);
}

static void history_open(struct lineread *lr)
{
    const char *home = getenv("HOME");

    rl_readline_name = "xenemu";
    rl_attempted_completion_function = complete;
    rl_basic_word_break_characters = " \t\n()+-*/%&|^~<>,=";
    completing = lr->m;
    stifle_history(HISTORY_LINES);
    if (home && *home) {
        size_t n = strlen(home) + sizeof("/.xenemu_history");
        lr->history = malloc(n);
        if (lr->history) {
            snprintf(lr->history, n, "%s/.xenemu_history", home);
            read_history(lr->history);
        }
    }
}

static void history_close(struct lineread *lr)
{
    if (lr->history) {
        write_history(lr->history);
        free(lr->history);
        lr->history = NULL;
    }
}

static char *terminal_line(struct lineread *lr)
{
    char *line = readline(PROMPT);

    if (!line)
        return NULL;
    if (*line)
        add_history(line);
    free(lr->buf);
    lr->buf = line;
    lr->cap = strlen(line) + 1;
    return line;
}
#else
static void history_open(struct lineread *lr)
{
    (void)lr;
}

static void history_close(struct lineread *lr)
{
    (void)lr;
}

static char *stream_line(struct lineread *lr, FILE *f);

static char *terminal_line(struct lineread *lr)
{
    fputs(PROMPT, stdout);
    fflush(stdout);
    return stream_line(lr, stdin);
}
#endif

/* ---- sources --------------------------------------------------------------------- */

struct lineread *lineread_create(const char *script, bool use_stdin,
                                 struct monitor *m)
{
    struct lineread *lr = calloc(1, sizeof(*lr));

    if (!lr) {
        xe_error("out of memory");
        return NULL;
    }
    lr->m = m;
    lr->use_stdin = use_stdin;
    lr->tty = isatty(STDIN_FILENO);
    if (script) {
        lr->script_name = strdup(script);
        lr->script = fopen(script, "r");
        if (!lr->script || !lr->script_name) {
            xe_error("%s: cannot open the monitor script", script);
            lineread_destroy(lr);
            return NULL;
        }
    }
    if (lr->tty && use_stdin)
        history_open(lr);
    return lr;
}

void lineread_destroy(struct lineread *lr)
{
    if (!lr)
        return;
    history_close(lr);
    if (lr->script)
        fclose(lr->script);
    free(lr->script_name);
    free(lr->buf);
    free(lr);
}

static char *stream_line(struct lineread *lr, FILE *f)
{
    ssize_t n = getline(&lr->buf, &lr->cap, f);

    if (n < 0)
        return NULL;
    while (n > 0 && (lr->buf[n - 1] == '\n' || lr->buf[n - 1] == '\r'))
        lr->buf[--n] = '\0';
    return lr->buf;
}

char *lineread_next(struct lineread *lr, const char **where, bool *echo)
{
    char *line;

    if (lr->script) {
        line = stream_line(lr, lr->script);
        if (line) {
            lr->line++;
            snprintf(lr->where, sizeof(lr->where), "%s:%u: ",
                     lr->script_name, lr->line);
            *where = lr->where;
            *echo = true;
            return line;
        }
        fclose(lr->script);
        lr->script = NULL;
    }
    *where = "";
    if (!lr->use_stdin)
        return NULL;
    if (lr->tty) {
        *echo = false;
        return terminal_line(lr);
    }
    *echo = true;
    return stream_line(lr, stdin);
}
