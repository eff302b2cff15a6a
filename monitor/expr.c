/* Expressions (see expr.h): recursive descent, one level per precedence. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "monitor/expr.h"

struct parser {
    const char *s, *start;
    const struct expr_env *env;
    unsigned depth;
    char *err;
    size_t err_len;
    bool failed;
};

static void fail(struct parser *p, const char *fmt, const char *arg)
{
    if (p->failed)
        return;
    p->failed = true;
    snprintf(p->err, p->err_len, fmt, arg);
}

static void skip_space(struct parser *p)
{
    while (*p->s == ' ' || *p->s == '\t')
        p->s++;
}

bool expr_name_start(int c)
{
    return isalpha(c) || c == '_' || c == '.';
}

bool expr_name_char(int c)
{
    return isalnum(c) || c == '_' || c == '.' || c == '$' || c == '@';
}

static uint64_t expr(struct parser *p);

static int digit_value(int c)
{
    int v = xe_hex_digit(c);
    return v;
}

static uint64_t number(struct parser *p)
{
    unsigned base = 10;
    uint64_t v = 0;
    bool any = false, overflow = false;
    const char *at = p->s;

    if (p->s[0] == '0' && (p->s[1] == 'x' || p->s[1] == 'X'))
        base = 16, p->s += 2;
    else if (p->s[0] == '0' && (p->s[1] == 'b' || p->s[1] == 'B'))
        base = 2, p->s += 2;
    else if (p->s[0] == '0' && (p->s[1] == 'o' || p->s[1] == 'O'))
        base = 8, p->s += 2;
    for (;;) {
        int d = digit_value((unsigned char)*p->s);
        if (d < 0 || (unsigned)d >= base)
            break;
        if (v > (UINT64_MAX - (unsigned)d) / base)
            overflow = true;
        v = v * base + (unsigned)d;
        any = true;
        p->s++;
    }
    if (!any || expr_name_char((unsigned char)*p->s)) {
        char tok[32];
        size_t n = 0;
        while (at[n] && !isspace((unsigned char)at[n]) && n < sizeof(tok) - 1)
            n++;
        memcpy(tok, at, n);
        tok[n] = '\0';
        fail(p, "'%s' is not a number", tok);
        return 0;
    }
    if (overflow)
        fail(p, "number '%.24s' does not fit in 64 bits", at);
    return v;
}

static void read_name(struct parser *p, char *name)
{
    size_t n = 0;

    while (expr_name_char((unsigned char)*p->s)) {
        if (n < EXPR_MAX_NAME - 1)
            name[n++] = *p->s;
        p->s++;
    }
    name[n] = '\0';
}

static uint64_t reg_or_sym(struct parser *p)
{
    char name[EXPR_MAX_NAME];
    uint64_t v = 0;
    bool is_reg = *p->s == '$';

    if (is_reg)
        p->s++;
    read_name(p, name);
    if (is_reg) {
        if (!name[0])
            fail(p, "%sexpected a register name after '$'", "");
        else if (!p->env->reg || !p->env->reg(p->env->opaque, name, &v))
            fail(p, "unknown register '$%s'", name);
    } else if (!p->env->sym || !p->env->sym(p->env->opaque, name, &v)) {
        fail(p, "unknown symbol '%s'", name);
    }
    return v;
}

static uint64_t primary(struct parser *p)
{
    uint64_t v;

    skip_space(p);
    if (*p->s == '(') {
        p->s++;
        v = expr(p);
        skip_space(p);
        if (*p->s != ')')
            fail(p, "expected ')' at '%.24s'", *p->s ? p->s : "the end");
        else
            p->s++;
        return v;
    }
    if (isdigit((unsigned char)*p->s))
        return number(p);
    if (*p->s == '$' || expr_name_start((unsigned char)*p->s))
        return reg_or_sym(p);
    fail(p, *p->s ? "unexpected '%.24s'" : "%sexpected a value at the end",
         p->s);
    return 0;
}

static uint64_t unary(struct parser *p)
{
    uint64_t v;

    skip_space(p);
    if (++p->depth > EXPR_MAX_DEPTH) {
        fail(p, "%sexpression nested too deeply", "");
        return 0;
    }
    switch (*p->s) {
    case '-': p->s++; v = 0 - unary(p); break;
    case '~': p->s++; v = ~unary(p); break;
    case '+': p->s++; v = unary(p); break;
    default: v = primary(p); break;
    }
    p->depth--;
    return v;
}

/* A binary operator at p->s of this level: its length, 0 if none. */
static unsigned binop(const char *s, int level, char *op)
{
    static const char *const levels[] = {
        "|", "^", "&", "<<>>", "+-", "*/%",
    };
    const char *ops = levels[level];

    if (level == 3) {
        if ((s[0] == '<' && s[1] == '<') || (s[0] == '>' && s[1] == '>')) {
            *op = s[0];
            return 2;
        }
        return 0;
    }
    if (s[0] && strchr(ops, s[0])) {
        *op = s[0];
        return 1;
    }
    return 0;
}

static uint64_t apply(struct parser *p, char op, uint64_t a, uint64_t b)
{
    switch (op) {
    case '|': return a | b;
    case '^': return a ^ b;
    case '&': return a & b;
    case '<': return b >= 64 ? 0 : a << b;
    case '>': return b >= 64 ? 0 : a >> b;
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    default:
        if (b == 0) {
            fail(p, "%sdivision by zero", "");
            return 0;
        }
        return op == '/' ? a / b : a % b;
    }
}

static uint64_t level(struct parser *p, int lv)
{
    uint64_t v = lv == 5 ? unary(p) : level(p, lv + 1);
    char op;
    unsigned n;

    for (;;) {
        skip_space(p);
        if (p->failed || !(n = binop(p->s, lv, &op)))
            return v;
        p->s += n;
        uint64_t rhs = lv == 5 ? unary(p) : level(p, lv + 1);
        v = apply(p, op, v, rhs);
    }
}

static uint64_t expr(struct parser *p)
{
    if (++p->depth > EXPR_MAX_DEPTH) {
        fail(p, "%sexpression nested too deeply", "");
        return 0;
    }
    uint64_t v = level(p, 0);
    p->depth--;
    return v;
}

int expr_eval(const char *text, const struct expr_env *env, uint64_t *val,
              char *err, size_t err_len)
{
    struct parser p = { .s = text, .start = text, .env = env, .err = err,
                        .err_len = err_len };
    uint64_t v;

    skip_space(&p);
    if (!*p.s) {
        snprintf(err, err_len, "expected an expression");
        return -1;
    }
    v = expr(&p);
    skip_space(&p);
    if (!p.failed && *p.s)
        fail(&p, "unexpected '%.24s'", p.s);
    if (p.failed)
        return -1;
    *val = v;
    return 0;
}
