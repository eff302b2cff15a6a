/*
 * Symbol tables for the monitor: the function and object symbols of ELF
 * files (the kernel image, loaded automatically when it has a .symtab,
 * and whatever `symbols FILE` adds), looked up by name (expressions,
 * completion) and by address (stop lines, disassembly, backtraces).
 */
#ifndef XENEMU_MONITOR_SYMBOLS_H
#define XENEMU_MONITOR_SYMBOLS_H

#include "xenemu/common.h"

struct sym {
    uint64_t addr, size;
    const char *name;
    bool func;
    bool abs;                   /* a constant (SHN_ABS): not an address */
};

struct symtab {
    struct sym *by_addr;        /* sorted by address */
    struct sym **by_name;       /* sorted by name */
    size_t n;
    char **blobs;               /* the name strings, one blob per file */
    size_t nblobs;
};

void symtab_init(struct symtab *t);
void symtab_free(struct symtab *t);

/* Add the symbols of an ELF image (file bytes).  The number added (0 when
 * it has no symbol table), or -1 with why set. */
long symtab_add_elf(struct symtab *t, const uint8_t *data, size_t len,
                    char *why, size_t why_len);

bool symtab_lookup(const struct symtab *t, const char *name, uint64_t *addr);
/* The symbol addr is in (or, for one without a size, the nearest below
 * within 64 KiB), with *off the offset into it; NULL if none. */
const struct sym *symtab_find(const struct symtab *t, uint64_t addr,
                              uint64_t *off);
/* "name" or "name+0x12" for addr into buf; "" when no symbol covers it. */
const char *symtab_describe(const struct symtab *t, uint64_t addr, char *buf,
                            size_t len);
/* The i-th name starting with prefix (for completion), NULL after the
 * last. */
const char *symtab_complete(const struct symtab *t, const char *prefix,
                            size_t i);

#endif
