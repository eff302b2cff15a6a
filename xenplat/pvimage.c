/*
 * Interim kernel-image reader: plain ELF64/ELF32 with the numeric Xen ELF
 * notes the builder needs.  Replaced by the full loader (xenplat/elf*,
 * unpack) — compressed images, __xen_guest, feature checks.
 */
#include <stdlib.h>
#include <string.h>
#include "xenemu/le.h"
#include "xenplat/pvimage.h"

typedef unsigned long long ull;

struct elf {
    const uint8_t *p;
    size_t len;
    bool is64;
    uint64_t phoff;
    unsigned phentsize, phnum;
};

static bool in_file(const struct elf *e, uint64_t off, uint64_t n)
{
    return off <= e->len && n <= e->len - off;
}

static int phdr(const struct elf *e, unsigned i, uint32_t *type,
                uint64_t *off, uint64_t *paddr, uint64_t *filesz,
                uint64_t *memsz)
{
    uint64_t o = e->phoff + (uint64_t)i * e->phentsize;
    const uint8_t *h;

    if (!in_file(e, o, e->is64 ? 56 : 32))
        return -1;
    h = e->p + o;
    *type = le32_load(h);
    if (e->is64) {
        *off = le64_load(h + 8);
        *paddr = le64_load(h + 24);
        *filesz = le64_load(h + 32);
        *memsz = le64_load(h + 40);
    } else {
        *off = le32_load(h + 4);
        *paddr = le32_load(h + 12);
        *filesz = le32_load(h + 16);
        *memsz = le32_load(h + 20);
    }
    return 0;
}

static uint64_t note_num(const uint8_t *d, uint32_t n)
{
    switch (n) {
    case 1: case 2: case 4: case 8:
        return le_load(d, n);
    default:
        return 0;
    }
}

static void scan_notes(const struct elf *e, uint64_t off, uint64_t size,
                       struct pv_kernel *k, uint64_t *paddr_offset,
                       bool *have_base, bool *have_entry, bool *any)
{
    uint64_t pos = off, end = off + size;

    while (pos + 12 <= end && in_file(e, pos, 12)) {
        uint32_t nsz = le32_load(e->p + pos), dsz = le32_load(e->p + pos + 4);
        uint32_t type = le32_load(e->p + pos + 8);
        uint64_t name = pos + 12, desc = name + ((nsz + 3ull) & ~3ull);
        uint64_t next = desc + ((dsz + 3ull) & ~3ull);

        if (next > end || !in_file(e, desc, dsz))
            return;
        if (nsz == 4 && memcmp(e->p + name, "Xen", 4) == 0) {
            uint64_t v = note_num(e->p + desc, dsz);
            *any = true;
            switch (type) {
            case 1: k->virt_entry = v; *have_entry = true; break;
            case 2: k->hypercall_page = v; k->has_hypercall_page = true; break;
            case 3: k->virt_base = v; *have_base = true; break;
            case 4: *paddr_offset = v; break;
            case 16: k->mod_start_pfn = v != 0; break;
            default: break;
            }
        }
        pos = next;
    }
}

static int load(const struct pv_kernel *k,
                int (*write)(void *opaque, uint64_t va, const void *src,
                             size_t n),
                void *opaque)
{
    const struct elf *e = k->image;
    unsigned i;

    for (i = 0; i < e->phnum; i++) {
        uint32_t type;
        uint64_t off, paddr, filesz, memsz;
        phdr(e, i, &type, &off, &paddr, &filesz, &memsz);
        if (type != 1)
            continue;
        if (write(opaque, paddr + k->virt_offset, e->p + off, filesz) ||
            write(opaque, paddr + k->virt_offset + filesz, NULL,
                  memsz - filesz))
            return -1;
    }
    return 0;
}

int pv_image_parse(const char *name, const uint8_t *p, size_t len,
                   uint64_t max_size, struct pv_kernel *k)
{
    struct elf *e = calloc(1, sizeof(*e));
    uint64_t paddr_offset = 0, lo = ~0ull, hi = 0, entry;
    bool have_base = false, have_entry = false, any = false;
    unsigned i;

    memset(k, 0, sizeof(*k));
    if (!e) {
        xe_error("out of memory");
        return -1;
    }
    k->image = e;
    e->p = p;
    e->len = len;
    if (len < 52 || memcmp(p, "\177ELF", 4) || p[5] != 1 ||
        (p[4] != 1 && p[4] != 2)) {
        xe_error("%s: not a little-endian ELF kernel image", name);
        goto bad;
    }
    e->is64 = p[4] == 2;
    if (e->is64 ? len < 64 || le16_load(p + 18) != 62
                : le16_load(p + 18) != 3) {
        xe_error("%s: not an x86 ELF kernel (machine %u)", name,
                 le16_load(p + 18));
        goto bad;
    }
    entry = e->is64 ? le64_load(p + 24) : le32_load(p + 24);
    e->phoff = e->is64 ? le64_load(p + 32) : le32_load(p + 28);
    e->phentsize = le16_load(p + (e->is64 ? 54 : 42));
    e->phnum = le16_load(p + (e->is64 ? 56 : 44));
    if (e->phentsize < (e->is64 ? 56u : 32u) ||
        !in_file(e, e->phoff, (uint64_t)e->phnum * e->phentsize)) {
        xe_error("%s: program headers are truncated", name);
        goto bad;
    }
    k->is64 = e->is64;
    for (i = 0; i < e->phnum; i++) {
        uint32_t type;
        uint64_t off, paddr, filesz, memsz;
        phdr(e, i, &type, &off, &paddr, &filesz, &memsz);
        if (type == 4 && off)
            scan_notes(e, off, filesz, k, &paddr_offset, &have_base,
                       &have_entry, &any);
        if (type != 1)
            continue;
        if (filesz > memsz || !in_file(e, off, filesz) ||
            paddr + memsz < paddr || memsz > max_size) {
            xe_error("%s: a loadable segment is truncated or too large",
                     name);
            goto bad;
        }
        if (paddr < lo)
            lo = paddr;
        if (paddr + memsz > hi)
            hi = paddr + memsz;
    }
    if (!any) {
        xe_error("%s: no Xen ELF notes: not a Xen PV kernel", name);
        goto bad;
    }
    if (lo > hi) {
        xe_error("%s: no loadable segments", name);
        goto bad;
    }
    k->virt_offset = k->virt_base - paddr_offset;
    k->virt_kstart = lo + k->virt_offset;
    k->virt_kend = hi + k->virt_offset;
    if (!have_entry)
        k->virt_entry = entry;
    if (k->virt_base > k->virt_kstart || k->virt_entry < k->virt_kstart ||
        k->virt_entry > k->virt_kend || k->virt_kend - k->virt_base > max_size) {
        xe_error("%s: ELF addresses are inconsistent (virt_base 0x%llx, "
                 "kernel 0x%llx-0x%llx, entry 0x%llx)", name,
                 (ull)k->virt_base, (ull)k->virt_kstart, (ull)k->virt_kend,
                 (ull)k->virt_entry);
        goto bad;
    }
    (void)have_base;
    k->load = load;
    k->image_len = len;
    return 0;
bad:
    pv_image_free(k);
    return -1;
}

void pv_image_free(struct pv_kernel *k)
{
    free((void *)k->image);
    k->image = NULL;
}
