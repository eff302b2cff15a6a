/* Symbol tables (see symbols.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xenemu/le.h"
#include "monitor/symbols.h"
#include "xenplat/elf.h"

#define STT_NOTYPE 0
#define STT_OBJECT 1
#define STT_FUNC   2
#define SHN_UNDEF  0
#define SHN_ABS    0xfff1
#define NEAR_LIMIT 0x10000

void symtab_init(struct symtab *t)
{
    memset(t, 0, sizeof(*t));
}

void symtab_free(struct symtab *t)
{
    for (size_t i = 0; i < t->nblobs; i++)
        free(t->blobs[i]);
    free(t->blobs);
    free(t->by_addr);
    free(t->by_name);
    symtab_init(t);
}

/* One symbol-table entry, whatever the class. */
struct elf_sym {
    uint32_t name;
    uint8_t type;
    uint16_t shndx;
    uint64_t value, size;
};

static void read_sym(const struct elf_image *ei, const uint8_t *p,
                     struct elf_sym *s)
{
    s->name = le32_load(p);
    if (ei->is64) {
        s->type = p[4] & 0xf;
        s->shndx = le16_load(p + 6);
        s->value = le64_load(p + 8);
        s->size = le64_load(p + 16);
    } else {
        s->value = le32_load(p + 4);
        s->size = le32_load(p + 8);
        s->type = p[12] & 0xf;
        s->shndx = le16_load(p + 14);
    }
}

static bool wanted(const struct elf_sym *s)
{
    return (s->type == STT_FUNC || s->type == STT_OBJECT ||
            s->type == STT_NOTYPE) &&
           s->shndx != SHN_UNDEF && s->name != 0;
}

static int by_addr_cmp(const void *a, const void *b)
{
    const struct sym *x = a, *y = b;

    if (x->addr != y->addr)
        return x->addr < y->addr ? -1 : 1;
    if (x->func != y->func)             /* functions first */
        return x->func ? -1 : 1;
    if ((x->size != 0) != (y->size != 0))
        return x->size ? -1 : 1;
    return strcmp(x->name, y->name);
}

static int by_name_cmp(const void *a, const void *b)
{
    const struct sym *const *x = a, *const *y = b;
    int r = strcmp((*x)->name, (*y)->name);

    if (r)
        return r;
    return (*x)->addr < (*y)->addr ? -1 : (*x)->addr > (*y)->addr;
}

static int reindex(struct symtab *t)
{
    struct sym **names = realloc(t->by_name, (t->n ? t->n : 1) *
                                 sizeof(*names));

    if (!names)
        return -1;
    t->by_name = names;
    qsort(t->by_addr, t->n, sizeof(*t->by_addr), by_addr_cmp);
    for (size_t i = 0; i < t->n; i++)
        names[i] = &t->by_addr[i];
    qsort(names, t->n, sizeof(*names), by_name_cmp);
    return 0;
}

/* Copy the string table (NUL-terminated at its end) into a blob. */
static char *copy_strtab(const struct elf_image *ei, const struct elf_shdr *s)
{
    char *blob = malloc(s->size + 1);

    if (!blob)
        return NULL;
    memcpy(blob, ei->data + s->offset, s->size);
    blob[s->size] = '\0';
    return blob;
}

static int grow(struct symtab *t, size_t more)
{
    struct sym *v = realloc(t->by_addr, (t->n + more + 1) * sizeof(*v));
    char **b = realloc(t->blobs, (t->nblobs + 1) * sizeof(*b));

    if (v)
        t->by_addr = v;
    if (b)
        t->blobs = b;
    return v && b ? 0 : -1;
}

long symtab_add_elf(struct symtab *t, const uint8_t *data, size_t len,
                    char *why, size_t why_len)
{
    struct elf_image ei;
    struct elf_shdr sh, st;
    unsigned esize, i;
    uint64_t count, k;
    size_t before = t->n;
    char *names;

    if (elf_open(&ei, data, len, why, why_len))
        return -1;
    for (i = 0; i < ei.shnum; i++) {
        elf_get_shdr(&ei, i, &sh);
        if (sh.type == ELF_SHT_SYMTAB)
            break;
    }
    if (i == ei.shnum)
        return 0;
    esize = ei.is64 ? 24 : 16;
    if (sh.link >= ei.shnum || !elf_range_ok(&ei, sh.offset, sh.size)) {
        snprintf(why, why_len, "the symbol table is outside the file");
        return -1;
    }
    elf_get_shdr(&ei, sh.link, &st);
    if (st.type != ELF_SHT_STRTAB || !elf_range_ok(&ei, st.offset, st.size)) {
        snprintf(why, why_len, "the symbol table's string table is bad");
        return -1;
    }
    count = sh.size / esize;
    if (grow(t, count) || !(names = copy_strtab(&ei, &st))) {
        snprintf(why, why_len, "out of memory");
        return -1;
    }
    t->blobs[t->nblobs++] = names;
    for (k = 0; k < count; k++) {
        struct elf_sym s;
        read_sym(&ei, data + sh.offset + k * esize, &s);
        if (!wanted(&s) || s.name >= st.size || !names[s.name])
            continue;
        t->by_addr[t->n++] = (struct sym){
            .addr = s.value, .size = s.size, .name = names + s.name,
            .func = s.type == STT_FUNC, .abs = s.shndx == SHN_ABS,
        };
    }
    if (reindex(t)) {
        snprintf(why, why_len, "out of memory");
        return -1;
    }
    return (long)(t->n - before);
}

/* First index in by_name whose name is >= key. */
static size_t name_lower_bound(const struct symtab *t, const char *key)
{
    size_t lo = 0, hi = t->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(t->by_name[mid]->name, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

bool symtab_lookup(const struct symtab *t, const char *name, uint64_t *addr)
{
    size_t i = name_lower_bound(t, name);

    if (i < t->n && strcmp(t->by_name[i]->name, name) == 0) {
        *addr = t->by_name[i]->addr;
        return true;
    }
    return false;
}

const struct sym *symtab_find(const struct symtab *t, uint64_t addr,
                              uint64_t *off)
{
    size_t lo = 0, hi = t->n;

    /* The last symbol at or below addr... */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->by_addr[mid].addr <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    /* ...skipping constants (SHN_ABS), and the others at its address
     * (functions sort first). */
    while (lo > 0 && t->by_addr[lo - 1].abs)
        lo--;
    if (lo == 0)
        return NULL;
    size_t first = lo - 1;
    while (first > 0 && t->by_addr[first - 1].addr == t->by_addr[lo - 1].addr)
        first--;
    for (size_t j = first; j < lo; j++) {
        const struct sym *c = &t->by_addr[j];
        if (c->abs)
            continue;
        if (c->size ? addr - c->addr < c->size : addr - c->addr < NEAR_LIMIT) {
            *off = addr - c->addr;
            return c;
        }
    }
    return NULL;
}

const char *symtab_describe(const struct symtab *t, uint64_t addr, char *buf,
                            size_t len)
{
    uint64_t off;
    const struct sym *s = symtab_find(t, addr, &off);

    if (!s)
        snprintf(buf, len, "%s", "");
    else if (off)
        snprintf(buf, len, "%s+0x%llx", s->name, (unsigned long long)off);
    else
        snprintf(buf, len, "%s", s->name);
    return buf;
}

const char *symtab_complete(const struct symtab *t, const char *prefix,
                            size_t i)
{
    size_t at = name_lower_bound(t, prefix) + i;

    if (at >= t->n || strncmp(t->by_name[at]->name, prefix,
                              strlen(prefix)) != 0)
        return NULL;
    return t->by_name[at]->name;
}
