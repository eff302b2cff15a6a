/* printf on the console (rt_putc).  No libgcc: 64-bit division by 10 is
 * done by hand so 32-bit kernels link without __udivdi3. */
#include "rt.h"

static int put_str(const char *s)
{
    int n = 0;
    while (*s) {
        rt_putc(*s++);
        n++;
    }
    return n;
}

int puts(const char *s)
{
    int n = put_str(s);
    rt_putc('\n');
    return n + 1;
}

static unsigned divmod10(uint64_t *n)
{
#ifdef __x86_64__
    unsigned r = (unsigned)(*n % 10);
    *n /= 10;
    return r;
#else
    uint64_t q = 0, rem = 0;
    for (int i = 63; i >= 0; i--) {
        rem = rem << 1 | ((*n >> i) & 1);
        if (rem >= 10) {
            rem -= 10;
            q |= 1ull << i;
        }
    }
    *n = q;
    return (unsigned)rem;
#endif
}

struct spec {
    int width;
    char pad;        /* ' ' or '0' */
    int left;        /* '-' */
    int alt;         /* '#' */
};

static int emit(const struct spec *sp, const char *prefix, const char *body,
                int len)
{
    int plen = (int)strlen(prefix), fill = sp->width - plen - len, n = 0;

    if (!sp->left && sp->pad == ' ')
        for (; fill > 0; fill--, n++)
            rt_putc(' ');
    n += put_str(prefix);
    if (!sp->left)
        for (; fill > 0; fill--, n++)
            rt_putc('0');
    for (int i = 0; i < len; i++)
        rt_putc(body[i]);
    n += len;
    for (; fill > 0; fill--, n++)
        rt_putc(' ');
    return n;
}

static int emit_num(const struct spec *sp, uint64_t v, int neg, int base,
                    int upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char buf[24];
    int i = sizeof(buf);

    do {
        if (base == 10) {
            buf[--i] = digits[divmod10(&v)];
        } else {
            buf[--i] = digits[v & 15];
            v >>= 4;
        }
    } while (v);
    return emit(sp, neg ? "-" : sp->alt && base == 16 ? "0x" : "",
                buf + i, (int)sizeof(buf) - i);
}

int vprintf(const char *fmt, va_list ap)
{
    int n = 0;

    for (; *fmt; fmt++) {
        struct spec sp = { 0, ' ', 0, 0 };
        int lng = 0;

        if (*fmt != '%') {
            rt_putc(*fmt);
            n++;
            continue;
        }
        for (fmt++;; fmt++) {
            if (*fmt == '0')
                sp.pad = '0';
            else if (*fmt == '-')
                sp.left = 1;
            else if (*fmt == '#')
                sp.alt = 1;
            else
                break;
        }
        while (*fmt >= '0' && *fmt <= '9')
            sp.width = sp.width * 10 + (*fmt++ - '0');
        while (*fmt == 'l') {
            lng++;
            fmt++;
        }

        uint64_t u;
        int64_t s;
        switch (*fmt) {
        case 'd':
        case 'i':
            s = lng >= 2 ? va_arg(ap, long long)
                : lng ? va_arg(ap, long) : va_arg(ap, int);
            u = s < 0 ? -(uint64_t)s : (uint64_t)s;
            n += emit_num(&sp, u, s < 0, 10, 0);
            break;
        case 'u':
        case 'x':
        case 'X':
            u = lng >= 2 ? va_arg(ap, unsigned long long)
                : lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
            n += emit_num(&sp, u, 0, *fmt == 'u' ? 10 : 16, *fmt == 'X');
            break;
        case 'p':
            sp.alt = 1;
            n += emit_num(&sp, (uintptr_t)va_arg(ap, void *), 0, 16, 0);
            break;
        case 'c': {
            char c = (char)va_arg(ap, int);
            n += emit(&sp, "", &c, 1);
            break;
        }
        case 's': {
            const char *str = va_arg(ap, const char *);
            if (!str)
                str = "(null)";
            n += emit(&sp, "", str, (int)strlen(str));
            break;
        }
        case '%':
            rt_putc('%');
            n++;
            break;
        case '\0':
            return n;
        default:
            rt_putc('%');
            rt_putc(*fmt);
            n += 2;
        }
    }
    return n;
}

int printf(const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vprintf(fmt, ap);
    va_end(ap);
    return n;
}
