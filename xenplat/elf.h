/*
 * A bounds-checked reader for little-endian ELF32/ELF64 files: the file
 * header, program and section headers, section names and note iteration.
 *
 * Every field is read through the le*_load accessors at its offset for the
 * file's class; elf_open() checks that the header tables lie inside the file,
 * and every other range (segment, section, note, string) is checked before
 * use with overflow-safe arithmetic, so corrupt input gives an error message
 * and never an out-of-bounds read.  Nothing here is Xen-specific: the Xen
 * notes are interpreted in kernel-info.c.
 */
#ifndef XENEMU_XENPLAT_ELF_H
#define XENEMU_XENPLAT_ELF_H

#include "xenemu/common.h"

#define ELF_EM_386     3
#define ELF_EM_X86_64  62

#define ELF_PT_LOAD    1
#define ELF_PT_NOTE    4

#define ELF_SHT_SYMTAB 2
#define ELF_SHT_STRTAB 3
#define ELF_SHT_NOTE   7

#define ELF_PF_X       1u
#define ELF_PF_W       2u
#define ELF_PF_R       4u

/* Size of the file header, a program header and a section header. */
#define ELF32_EHDR_SIZE 52u
#define ELF64_EHDR_SIZE 64u
#define ELF32_PHDR_SIZE 32u
#define ELF64_PHDR_SIZE 56u
#define ELF32_SHDR_SIZE 40u
#define ELF64_SHDR_SIZE 64u
#define ELF_NOTE_HDR_SIZE 12u   /* namesz, descsz, type: 4 bytes each */

/* An opened file: the header fields, widened to 64 bits. */
struct elf_image {
    const uint8_t *data;
    size_t len;
    bool is64;                  /* ELFCLASS64 */
    uint16_t type, machine;
    uint16_t ehsize;
    uint64_t entry;
    uint64_t phoff, shoff;
    uint16_t phentsize, phnum;
    uint16_t shentsize, shnum, shstrndx;
};

struct elf_phdr {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

struct elf_shdr {
    uint32_t name, type;
    uint64_t flags, addr, offset, size;
    uint32_t link, info;
    uint64_t addralign, entsize;
};

/* One note; name and desc point into the file (desc has descsz bytes, the
 * name namesz bytes, both inside the note's region). */
struct elf_note {
    uint32_t type;
    uint32_t namesz, descsz;
    const uint8_t *name;
    const uint8_t *desc;
    uint32_t desc_room;         /* descsz plus the padding inside the file */
    uint64_t offset;            /* of the note header in the file */
};

/* Walks the notes of one region [pos, end) of the file. */
struct elf_note_iter {
    const struct elf_image *ei;
    uint64_t pos, end;
};

/* Is [off, off + size) inside the file?  Overflow-safe. */
bool elf_range_ok(const struct elf_image *ei, uint64_t off, uint64_t size);

/*
 * Checks the identification (magic, class, little-endian data) and that the
 * program and section header tables lie inside the file with entries at
 * least as large as the class's headers.  0, or -1 with why set.
 */
int elf_open(struct elf_image *ei, const uint8_t *data, size_t len,
             char *why, size_t why_len);

/* Header i (i < phnum / shnum: the tables were checked by elf_open). */
void elf_get_phdr(const struct elf_image *ei, unsigned i, struct elf_phdr *ph);
void elf_get_shdr(const struct elf_image *ei, unsigned i, struct elf_shdr *sh);

/* The name of a section from the section-name string table, or NULL when
 * there is no such table or the name is not a NUL-terminated string inside
 * it. */
const char *elf_section_name(const struct elf_image *ei,
                             const struct elf_shdr *sh);

/* The first section called name: its index, with *sh filled, or -1. */
int elf_find_section(const struct elf_image *ei, const char *name,
                     struct elf_shdr *sh);

/*
 * Note iteration over the region [offset, offset + size) of the file (a
 * PT_NOTE segment or an SHT_NOTE section).  elf_notes_begin() fails when
 * the region is not inside the file; elf_note_next() returns 1 with *n
 * filled, 0 at the end, or -1 with why set when a note's header, name or
 * descriptor runs past the end of the region.  Names and descriptors are
 * padded to 4 bytes, in ELF64 files too (as Xen's libelf and Linux do).
 */
int elf_notes_begin(struct elf_note_iter *it, const struct elf_image *ei,
                    uint64_t offset, uint64_t size, char *why, size_t why_len);
int elf_note_next(struct elf_note_iter *it, struct elf_note *n,
                  char *why, size_t why_len);

/* Does the note's name read as the C string name (what libelf compares)? */
bool elf_note_named(const struct elf_note *n, const char *name);

/* A numeric descriptor: 1, 2, 4 or 8 bytes little-endian; any other size
 * reads as 0 (libelf's elf_note_numeric). */
uint64_t elf_note_numeric(const struct elf_note *n);

/* Element idx of a descriptor read as an array of 4-byte words; 0 when the
 * size is not a multiple of 4 or idx is past the end. */
uint32_t elf_note_word(const struct elf_note *n, unsigned idx);

#endif
