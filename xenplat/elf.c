/* Bounds-checked little-endian ELF32/ELF64 reader. */
#include <string.h>
#include "xenemu/le.h"
#include "xenplat/elf.h"
#include "xenplat/why.h"

typedef unsigned long long ull;     /* for printf */

/* Field offsets of the headers, [0] for ELF32 and [1] for ELF64. */
enum { E_TYPE = 16, E_MACHINE = 18 };
static const uint8_t e_entry[2] = { 24, 24 }, e_phoff[2] = { 28, 32 },
    e_shoff[2] = { 32, 40 }, e_ehsize[2] = { 40, 52 },
    e_phentsize[2] = { 42, 54 }, e_phnum[2] = { 44, 56 },
    e_shentsize[2] = { 46, 58 }, e_shnum[2] = { 48, 60 },
    e_shstrndx[2] = { 50, 62 };

bool elf_range_ok(const struct elf_image *ei, uint64_t off, uint64_t size)
{
    return off <= ei->len && size <= ei->len - off;
}

/* A word of the file's class: 4 bytes in ELF32, 8 in ELF64. */
static uint64_t load_word(const struct elf_image *ei, const uint8_t *p)
{
    return ei->is64 ? le64_load(p) : le32_load(p);
}

static int check_table(const struct elf_image *ei, const char *what,
                       uint64_t off, unsigned entsize, unsigned num,
                       unsigned minsize, char *why, size_t why_len)
{
    if (num == 0)
        return 0;
    if (entsize < minsize)
        return why_set(why, why_len, "ELF %s header entry size %u is smaller "
                       "than %u bytes", what, entsize, minsize);
    if (!elf_range_ok(ei, off, (uint64_t)entsize * num))
        return why_set(why, why_len, "ELF %s header table (%u entries of %u "
                       "bytes at offset %#llx) extends past the end of the "
                       "file (%zu bytes)", what, num, entsize, (ull)off,
                       ei->len);
    return 0;
}

int elf_open(struct elf_image *ei, const uint8_t *data, size_t len,
             char *why, size_t why_len)
{
    const uint8_t *h = data;
    unsigned c;

    memset(ei, 0, sizeof(*ei));
    ei->data = data;
    ei->len = len;
    if (len < 4 || memcmp(data, "\177ELF", 4) != 0)
        return why_set(why, why_len, "not an ELF image");
    if (len < ELF32_EHDR_SIZE)
        return why_set(why, why_len, "ELF header truncated (%zu bytes)", len);
    if (h[4] != 1 && h[4] != 2)
        return why_set(why, why_len, "unknown ELF class %u", h[4]);
    if (h[5] != 1)
        return why_set(why, why_len, "ELF data encoding %u is not "
                       "little-endian", h[5]);
    ei->is64 = h[4] == 2;
    c = ei->is64;
    if (ei->is64 && len < ELF64_EHDR_SIZE)
        return why_set(why, why_len, "ELF64 header truncated (%zu bytes)", len);
    ei->type = le16_load(h + E_TYPE);
    ei->machine = le16_load(h + E_MACHINE);
    ei->entry = load_word(ei, h + e_entry[c]);
    ei->phoff = load_word(ei, h + e_phoff[c]);
    ei->shoff = load_word(ei, h + e_shoff[c]);
    ei->ehsize = le16_load(h + e_ehsize[c]);
    ei->phentsize = le16_load(h + e_phentsize[c]);
    ei->phnum = le16_load(h + e_phnum[c]);
    ei->shentsize = le16_load(h + e_shentsize[c]);
    ei->shnum = le16_load(h + e_shnum[c]);
    ei->shstrndx = le16_load(h + e_shstrndx[c]);
    if (check_table(ei, "program", ei->phoff, ei->phentsize, ei->phnum,
                    ei->is64 ? ELF64_PHDR_SIZE : ELF32_PHDR_SIZE,
                    why, why_len) < 0)
        return -1;
    return check_table(ei, "section", ei->shoff, ei->shentsize, ei->shnum,
                       ei->is64 ? ELF64_SHDR_SIZE : ELF32_SHDR_SIZE,
                       why, why_len);
}

void elf_get_phdr(const struct elf_image *ei, unsigned i, struct elf_phdr *ph)
{
    const uint8_t *p = ei->data + ei->phoff + (uint64_t)ei->phentsize * i;

    ph->type = le32_load(p);
    if (ei->is64) {
        ph->flags = le32_load(p + 4);
        ph->offset = le64_load(p + 8);
        ph->vaddr = le64_load(p + 16);
        ph->paddr = le64_load(p + 24);
        ph->filesz = le64_load(p + 32);
        ph->memsz = le64_load(p + 40);
        ph->align = le64_load(p + 48);
    } else {
        ph->offset = le32_load(p + 4);
        ph->vaddr = le32_load(p + 8);
        ph->paddr = le32_load(p + 12);
        ph->filesz = le32_load(p + 16);
        ph->memsz = le32_load(p + 20);
        ph->flags = le32_load(p + 24);
        ph->align = le32_load(p + 28);
    }
}

void elf_get_shdr(const struct elf_image *ei, unsigned i, struct elf_shdr *sh)
{
    const uint8_t *p = ei->data + ei->shoff + (uint64_t)ei->shentsize * i;
    unsigned w = ei->is64 ? 8 : 4;      /* class word size */

    sh->name = le32_load(p);
    sh->type = le32_load(p + 4);
    sh->flags = load_word(ei, p + 8);
    sh->addr = load_word(ei, p + 8 + w);
    sh->offset = load_word(ei, p + 8 + 2 * w);
    sh->size = load_word(ei, p + 8 + 3 * w);
    sh->link = le32_load(p + 8 + 4 * w);
    sh->info = le32_load(p + 12 + 4 * w);
    sh->addralign = load_word(ei, p + 16 + 4 * w);
    sh->entsize = load_word(ei, p + 16 + 5 * w);
}

const char *elf_section_name(const struct elf_image *ei,
                             const struct elf_shdr *sh)
{
    struct elf_shdr strtab;
    uint64_t end;
    const uint8_t *s;

    if (ei->shstrndx >= ei->shnum)
        return NULL;
    elf_get_shdr(ei, ei->shstrndx, &strtab);
    if (!elf_range_ok(ei, strtab.offset, strtab.size) ||
        sh->name >= strtab.size)
        return NULL;
    s = ei->data + strtab.offset + sh->name;
    end = strtab.size - sh->name;
    if (!memchr(s, '\0', end))
        return NULL;
    return (const char *)s;
}

int elf_find_section(const struct elf_image *ei, const char *name,
                     struct elf_shdr *sh)
{
    for (unsigned i = 0; i < ei->shnum; i++) {
        const char *n;

        elf_get_shdr(ei, i, sh);
        n = elf_section_name(ei, sh);
        if (n && strcmp(n, name) == 0)
            return (int)i;
    }
    return -1;
}

int elf_notes_begin(struct elf_note_iter *it, const struct elf_image *ei,
                    uint64_t offset, uint64_t size, char *why, size_t why_len)
{
    it->ei = ei;
    it->pos = offset;
    it->end = offset;
    if (!elf_range_ok(ei, offset, size))
        return why_set(why, why_len, "notes at offset %#llx (%#llx bytes) "
                       "extend past the end of the file (%zu bytes)",
                       (ull)offset, (ull)size, ei->len);
    it->end = offset + size;
    return 0;
}

static uint64_t pad4(uint64_t v) { return (v + 3) & ~(uint64_t)3; }

int elf_note_next(struct elf_note_iter *it, struct elf_note *n,
                  char *why, size_t why_len)
{
    const uint8_t *p;
    uint64_t left, name_off, desc_off;

    if (it->pos >= it->end)
        return 0;
    left = it->end - it->pos;
    if (left < ELF_NOTE_HDR_SIZE)
        return why_set(why, why_len, "truncated note header at offset %#llx",
                       (ull)it->pos);
    p = it->ei->data + it->pos;
    n->offset = it->pos;
    n->namesz = le32_load(p);
    n->descsz = le32_load(p + 4);
    n->type = le32_load(p + 8);
    name_off = ELF_NOTE_HDR_SIZE;
    desc_off = name_off + pad4(n->namesz);
    if (name_off + n->namesz > left || desc_off + n->descsz > left)
        return why_set(why, why_len, "note at offset %#llx (type %u, name "
                       "size %u, descriptor size %u) extends past the end "
                       "of its segment or section", (ull)it->pos, n->type,
                       n->namesz, n->descsz);
    n->name = p + name_off;
    n->desc = p + desc_off;
    n->desc_room = n->descsz;
    if (n->desc_room < pad4(n->descsz) &&
        it->pos + desc_off + pad4(n->descsz) <= it->ei->len)
        n->desc_room = (uint32_t)pad4(n->descsz);
    /* The last note's descriptor padding may lie past the region's end. */
    it->pos += desc_off + pad4(n->descsz);
    if (it->pos > it->end)
        it->pos = it->end;
    return 1;
}

bool elf_note_named(const struct elf_note *n, const char *name)
{
    size_t len = strlen(name);

    return n->namesz > len && memcmp(n->name, name, len + 1) == 0;
}

uint64_t elf_note_numeric(const struct elf_note *n)
{
    switch (n->descsz) {
    case 1: case 2: case 4: case 8:
        return le_load(n->desc, n->descsz);
    default:
        return 0;
    }
}

uint32_t elf_note_word(const struct elf_note *n, unsigned idx)
{
    if (n->descsz % 4 != 0 || idx >= n->descsz / 4)
        return 0;
    return le32_load(n->desc + 4 * (size_t)idx);
}
