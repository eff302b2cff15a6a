/*
 * Expressions in monitor commands: 64-bit unsigned arithmetic over
 * numbers (0x hex, 0b binary, 0o octal, decimal), registers ($rax, $rip,
 * $cr3...), symbols (bare names, also with dots as compilers make them)
 * and the operators of C: unary - ~ +, * / %, + -, << >>, &, ^, |, and
 * parentheses.  Arithmetic wraps; division by zero is an error.
 */
#ifndef XENEMU_MONITOR_EXPR_H
#define XENEMU_MONITOR_EXPR_H

#include "xenemu/common.h"

/* Names an expression may use; either lookup may be NULL (no such name). */
struct expr_env {
    bool (*reg)(void *opaque, const char *name, uint64_t *val);
    bool (*sym)(void *opaque, const char *name, uint64_t *val);
    void *opaque;
};

#define EXPR_MAX_DEPTH 64
#define EXPR_MAX_NAME 128

/* Evaluate all of text: 0 with *val, or -1 with a message in err
 * ("unknown symbol 'foo'", "expected ')' at ...", "division by zero"). */
int expr_eval(const char *text, const struct expr_env *env, uint64_t *val,
              char *err, size_t err_len);

/* Can c start or continue a symbol name? */
bool expr_name_start(int c);
bool expr_name_char(int c);

#endif
