/*
 * Building small Xen PV kernel images in memory for the loader tests
 * (test-elf.c, test-unpack.c), byte by byte with the le*_store accessors.
 *
 * Layout: ELF header | program headers (the PT_LOADs, then a PT_NOTE when
 * the notes are not in a section) | notes | segment bytes | .shstrtab |
 * __xen_guest | .symtab/.strtab | section headers.
 */
#ifndef XENEMU_TESTS_KIMAGE_H
#define XENEMU_TESTS_KIMAGE_H

#include "xenemu/common.h"

#define KI_MAX 16384
#define KI_MAX_SEGS 4

struct ki_seg {
    uint32_t type, flags;
    uint64_t paddr, filesz, memsz;
    int64_t offset_adjust;      /* added to the real file offset */
};

/* A symbol for the .symtab (type: STT_NOTYPE 0, OBJECT 1, FUNC 2, SECTION
 * 3, FILE 4; shndx 0 makes it undefined). */
struct ki_sym {
    const char *name;
    uint64_t value, size;
    uint8_t type;
    uint16_t shndx;
};

struct kimage {
    bool is64;
    uint8_t class_byte, data_byte;      /* 0: from is64 / little-endian */
    uint16_t machine;
    uint64_t entry;
    unsigned nseg;
    struct ki_seg seg[KI_MAX_SEGS];
    uint8_t notes[2048];
    size_t notes_len;
    bool notes_in_section;      /* SHT_NOTE section instead of PT_NOTE */
    bool note_phdr_offset_zero; /* the PT_NOTE's p_offset reads 0 */
    int64_t note_size_adjust;   /* added to the PT_NOTE/section size */
    const char *xen_guest;      /* adds a __xen_guest section */
    bool symtab;                /* adds .symtab linked to .strtab */
    const struct ki_sym *syms;  /* its symbols (NULL: a placeholder) */
    unsigned nsyms;
    uint16_t phentsize_override;

    /* Output of ki_build. */
    uint8_t b[KI_MAX];
    size_t len;
    size_t seg_file_offset[KI_MAX_SEGS];
};

/* Start a description with no segments and no notes. */
void ki_init(struct kimage *ki, bool is64);

/* The usual 64-bit / 32-bit PAE Linux-like kernel: one RWX segment, the
 * Xen notes of a Linux PV kernel. */
#define KI_VIRT_BASE64 0xffffffff80000000ull
#define KI_VIRT_BASE32 0xc0000000ull
#define KI_PADDR 0x200000ull
void ki_linux64(struct kimage *ki);
void ki_linux32(struct kimage *ki);

/* Append a note (name "Xen" unless given). */
void ki_note(struct kimage *ki, const char *name, uint32_t type,
             const void *desc, uint32_t descsz);
void ki_note_str(struct kimage *ki, uint32_t type, const char *s);
void ki_note_num(struct kimage *ki, uint32_t type, uint64_t v, unsigned size);

void ki_add_seg(struct kimage *ki, uint64_t paddr, uint64_t filesz,
                uint64_t memsz);

/* Lay the image out in ki->b / ki->len. */
void ki_build(struct kimage *ki);

/* The byte segment i's file data holds at offset j. */
uint8_t ki_seg_byte(unsigned i, uint64_t j);

/* With XENEMU_FUZZ_SEEDS set to a directory, write data there as a fuzzing
 * seed called tag. */
void ki_seed(const char *tag, const void *data, size_t len);

#endif
