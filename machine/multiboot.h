/*
 * The multiboot (version 1) loader of the bare machine: finds the multiboot
 * header, loads an ELF32/ELF64 image's PT_LOAD segments at their physical
 * addresses (or the a.out-kludge range), and writes the multiboot
 * information structure into guest RAM.
 *
 * Parsing is pure (file bytes in, a validated load plan out) so that every
 * rejection path can be tested without a CPU; every field is read through
 * the little-endian accessors with bounds checks.
 */
#ifndef XENEMU_MACHINE_MULTIBOOT_H
#define XENEMU_MACHINE_MULTIBOOT_H

#include "xenemu/common.h"
#include "mmu/mmu.h"

#define MB_HEADER_MAGIC   0x1BADB002u
#define MB_BOOT_MAGIC     0x2BADB002u   /* in EAX at entry */
#define MB_SEARCH_LIMIT   8192u         /* the header lies in the first 8 KiB */
#define MB_FLAG_AOUT_KLUDGE (1u << 16)
#define MB_MAX_SEGMENTS   32

/* The PC's legacy hole (VGA memory, option ROMs, BIOS) is reserved in the
 * memory map and the multiboot information never goes there.  Like QEMU,
 * images may load into its ROM part (ld puts the ELF headers of a kernel
 * linked at 1 MiB just below it), but not into the VGA window, which is
 * not RAM on a PC. */
#define MB_LOW_HOLE_START 0xA0000u
#define MB_LOW_HOLE_END   0x100000u
#define MB_VGA_START      0xA0000u
#define MB_VGA_END        0xC0000u

enum mb_status {
    MB_OK,
    MB_ERR_NOT_KERNEL,      /* neither ELF nor a multiboot header */
    MB_ERR_NO_HEADER,       /* ELF without a multiboot header */
    MB_ERR_BAD_CHECKSUM,    /* only a header with a bad checksum */
    MB_ERR_NOT_ELF,         /* header without a.out kludge, file not ELF */
    MB_ERR_TRUNCATED,       /* ELF headers or data past the end of file */
    MB_ERR_ELF_FORMAT,      /* class, byte order, type or phentsize */
    MB_ERR_ELF_MACHINE,     /* not EM_386 (ELF32) / EM_X86_64 (ELF64) */
    MB_ERR_KLUDGE,          /* inconsistent a.out-kludge addresses */
    MB_ERR_SEGMENT,         /* filesz > memsz, overlapping segments */
    MB_ERR_TOO_MANY,        /* more than MB_MAX_SEGMENTS */
    MB_ERR_NO_SEGMENTS,     /* nothing to load */
    MB_ERR_ABOVE_4G,        /* segment or entry not below 4 GiB */
    MB_ERR_NO_RAM,          /* segment outside guest RAM */
    MB_ERR_VGA_WINDOW,      /* segment in the VGA window 0xA0000-0xBFFFF */
    MB_ERR_ENTRY,           /* entry point outside guest RAM */
    MB_ERR_NO_ROOM,         /* no room for the multiboot information */
};

struct mb_segment {
    uint64_t offset, filesz;   /* bytes in the file */
    uint64_t paddr, memsz;     /* where they go; memsz - filesz zeroed */
    uint64_t vaddr;            /* ELF only: to translate the entry point */
};

/* A validated load plan. */
struct mb_image {
    uint32_t header_offset;
    uint32_t header_flags;
    bool kludge;               /* loaded with the a.out-kludge fields */
    bool elf64;
    uint32_t entry;            /* physical */
    uint64_t lo, hi;           /* physical extent [lo, hi) of the image */
    unsigned nr_segs;
    struct mb_segment seg[MB_MAX_SEGMENTS];
    char msg[200];             /* on error: the problem, for the error line */
};

/* Find the header, validate the image against ram_size bytes of RAM. */
enum mb_status mb_parse(const uint8_t *img, size_t len, uint64_t ram_size,
                        struct mb_image *mi);

/* Copy a parsed image into guest RAM (zeroing the bss parts). */
void mb_load(struct mem *m, const uint8_t *img, const struct mb_image *mi);

/* Write the multiboot information (memory sizes and map, cmdline, loader
 * name, no modules) into RAM where it overlaps neither the image nor the
 * low hole; *info_pa gets its address. */
enum mb_status mb_write_info(struct mem *m, struct mb_image *mi,
                             const char *cmdline, uint32_t *info_pa);

/* What the CPU needs at entry. */
struct mb_boot {
    uint32_t entry;
    uint32_t info;             /* EBX */
};

/* All of the above for the file called name: returns 0, or -1 after one
 * "xenemu: NAME: problem" line on stderr. */
/* Does img carry a multiboot header (even one with a bad checksum)? */
bool multiboot_has_header(const uint8_t *img, size_t len);

int multiboot_load(struct mem *m, const char *name, const uint8_t *img,
                   size_t len, const char *cmdline, struct mb_boot *boot);

#endif
