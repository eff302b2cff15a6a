/*
 * machine/multiboot: the multiboot header search, ELF32/ELF64 and a.out-kludge
 * parsing with every rejection path, loading into RAM and the multiboot
 * information structure.  Images are built in memory.
 */
#include <stdlib.h>
#include <string.h>

#include "machine/multiboot.h"
#include "mmu/mmu.h"
#include "xenemu/le.h"
#include "unit.h"

#define MiB (1u << 20)
#define RAM (4 * MiB)
#define LOAD 0x100000u

/* ---- building images ----------------------------------------------------- */

struct img {
    uint8_t b[16384];
    size_t len;
};

static struct img im;
static struct mb_image mi;

/* ELF32 layout: ehdr (52), phdrs (32 each), multiboot header, code. */
enum {
    E32_ENTRY = 24, E32_PHOFF = 28, E32_PHENTSIZE = 42, E32_PHNUM = 44,
    P32_TYPE = 0, P32_OFFSET = 4, P32_VADDR = 8, P32_PADDR = 12,
    P32_FILESZ = 16, P32_MEMSZ = 20,
    E64_ENTRY = 24, E64_PHOFF = 32, P64_OFFSET = 8, P64_VADDR = 16,
    P64_PADDR = 24, P64_FILESZ = 32, P64_MEMSZ = 40,
};

static const uint8_t code[] = { 0xfa, 0xf4 };     /* cli; hlt */

static void put_header(uint8_t *p, uint32_t flags)
{
    le32_store(p, MB_HEADER_MAGIC);
    le32_store(p + 4, flags);
    le32_store(p + 8, (uint32_t)-(MB_HEADER_MAGIC + flags));
}

static uint8_t *phdr32(unsigned i) { return im.b + 52 + 32 * i; }
static uint8_t *phdr64(unsigned i) { return im.b + 64 + 56 * i; }

/* A good ELF32 kernel: one segment, the whole file, loaded at LOAD; the
 * multiboot header right after the program header, then code (the entry). */
static void make_elf32(void)
{
    uint8_t *ph = phdr32(0);

    memset(&im, 0, sizeof(im));
    memcpy(im.b, "\177ELF\1\1\1", 7);
    le16_store(im.b + 16, 2);                 /* ET_EXEC */
    le16_store(im.b + 18, 3);                 /* EM_386 */
    le32_store(im.b + 20, 1);
    le32_store(im.b + E32_ENTRY, LOAD + 96);
    le32_store(im.b + E32_PHOFF, 52);
    le16_store(im.b + 40, 52);
    le16_store(im.b + E32_PHENTSIZE, 32);
    le16_store(im.b + E32_PHNUM, 1);
    put_header(im.b + 84, 3);
    memcpy(im.b + 96, code, sizeof(code));
    im.len = 96 + sizeof(code);
    le32_store(ph + P32_TYPE, 1);
    le32_store(ph + P32_OFFSET, 0);
    le32_store(ph + P32_VADDR, LOAD);
    le32_store(ph + P32_PADDR, LOAD);
    le32_store(ph + P32_FILESZ, (uint32_t)im.len);
    le32_store(ph + P32_MEMSZ, (uint32_t)im.len);
}

/* The same for ELF64: header at 120, code at 132. */
static void make_elf64(void)
{
    uint8_t *ph = phdr64(0);

    memset(&im, 0, sizeof(im));
    memcpy(im.b, "\177ELF\2\1\1", 7);
    le16_store(im.b + 16, 2);
    le16_store(im.b + 18, 62);                /* EM_X86_64 */
    le32_store(im.b + 20, 1);
    le64_store(im.b + E64_ENTRY, LOAD + 132);
    le64_store(im.b + E64_PHOFF, 64);
    le16_store(im.b + 52, 64);
    le16_store(im.b + 54, 56);
    le16_store(im.b + 56, 1);
    put_header(im.b + 120, 3);
    memcpy(im.b + 132, code, sizeof(code));
    im.len = 132 + sizeof(code);
    le32_store(ph, 1);
    le64_store(ph + P64_OFFSET, 0);
    le64_store(ph + P64_VADDR, LOAD);
    le64_store(ph + P64_PADDR, LOAD);
    le64_store(ph + P64_FILESZ, im.len);
    le64_store(ph + P64_MEMSZ, im.len);
}

/* A raw a.out-kludge image: header at offset 0 describing itself as loaded
 * at LOAD, the whole file, 0x1000 bytes of bss in all, entry at code. */
static void make_kludge(void)
{
    memset(&im, 0, sizeof(im));
    put_header(im.b, MB_FLAG_AOUT_KLUDGE | 3);
    le32_store(im.b + 12, LOAD);              /* header_addr */
    le32_store(im.b + 16, LOAD);              /* load_addr */
    le32_store(im.b + 20, 0);                 /* load_end_addr: whole file */
    le32_store(im.b + 24, LOAD + 0x1000);     /* bss_end_addr */
    le32_store(im.b + 28, LOAD + 32);         /* entry_addr */
    memcpy(im.b + 32, code, sizeof(code));
    im.len = 32 + sizeof(code);
}

static enum mb_status parse(uint64_t ram)
{
    return mb_parse(im.b, im.len, ram, &mi);
}

/* ---- the header ------------------------------------------------------------ */

static void test_good_elf32(void)
{
    make_elf32();
    CU_ASSERT_EQUAL_FATAL(parse(RAM), MB_OK);
    CU_ASSERT_EQUAL(mi.entry, LOAD + 96);
    CU_ASSERT_EQUAL(mi.header_offset, 84);
    CU_ASSERT_EQUAL(mi.header_flags, 3);
    CU_ASSERT_FALSE(mi.kludge);
    CU_ASSERT_FALSE(mi.elf64);
    CU_ASSERT_EQUAL(mi.nr_segs, 1);
    CU_ASSERT_EQUAL(mi.seg[0].paddr, LOAD);
    CU_ASSERT_EQUAL(mi.seg[0].filesz, im.len);
    CU_ASSERT_EQUAL(mi.lo, LOAD);
    CU_ASSERT_EQUAL(mi.hi, LOAD + im.len);
}

static void test_not_a_kernel(void)
{
    memset(&im, 0, sizeof(im));
    memcpy(im.b, "just some text\n", 15);
    im.len = 15;
    CU_ASSERT_EQUAL(parse(RAM), MB_ERR_NOT_KERNEL);
    CU_ASSERT_PTR_NOT_NULL(strstr(mi.msg, "not a kernel"));
    im.len = 0;
    CU_ASSERT_EQUAL(parse(RAM), MB_ERR_NOT_KERNEL);
    im.len = 3;                               /* shorter than a header */
    CU_ASSERT_EQUAL(parse(RAM), MB_ERR_NOT_KERNEL);
}

static void test_elf_without_header(void)
{
    make_elf32();
    memset(im.b + 84, 0, 12);
    CU_ASSERT_EQUAL(parse(RAM), MB_ERR_NO_HEADER);
}

static void test_bad_checksum(void)
{
    make_elf32();
    le32_store(im.b + 92, le32_load(im.b + 92) + 1);
    CU_ASSERT_EQUAL(parse(RAM), MB_ERR_BAD_CHECKSUM);
    CU_ASSERT_PTR_NOT_NULL(strstr(mi.msg, "0x54"));
}

/* A bad header followed by a good one: the good one counts. */
static void test_bad_then_good_header(void)
{
    make_elf32();
    memmove(im.b + 100, im.b + 84, 14);
    put_header(im.b + 100, 3);
    put_header(im.b + 84, 3);
    le32_store(im.b + 92, 0);                 /* break the first */
    im.len = 116;
    le32_store(phdr32(0) + P32_FILESZ, (uint32_t)im.len);
    le32_store(phdr32(0) + P32_MEMSZ, (uint32_t)im.len);
    CU_ASSERT_EQUAL(parse(RAM), MB_OK);
    CU_ASSERT_EQUAL(mi.header_offset, 100);
}

/* The header must lie, 4-byte aligned, within the first 8 KiB. */
static void test_header_search_limits(void)
{
    make_elf32();
    memset(im.b + 84, 0, 12);
    im.len = 8192 + 64;
    le32_store(phdr32(0) + P32_FILESZ, (uint32_t)im.len);
    le32_store(phdr32(0) + P32_MEMSZ, (uint32_t)im.len);

    put_header(im.b + 8192 - 12, 3);          /* last place that fits */
    CU_ASSERT_EQUAL(parse(RAM), MB_OK);
    CU_ASSERT_EQUAL(mi.header_offset, 8192 - 12);

    memset(im.b + 8192 - 12, 0, 12);
    put_header(im.b + 8192 - 8, 3);           /* straddles 8 KiB */
    CU_ASSERT_EQUAL(parse(RAM), MB_ERR_NO_HEADER);

    memset(im.b + 8192 - 8, 0, 12);
    put_header(im.b + 8192, 3);               /* beyond */
    CU_ASSERT_EQUAL(parse(RAM), MB_ERR_NO_HEADER);

    memset(im.b + 8192, 0, 12);
    put_header(im.b + 202, 3);                /* not 4-byte aligned */
    CU_ASSERT_EQUAL(parse(RAM), MB_ERR_NO_HEADER);
}

static void test_header_in_non_elf(void)
{
    make_elf32();
    im.b[1] = 'X';                            /* no longer ELF */
    CU_ASSERT_EQUAL(parse(RAM), MB_ERR_NOT_ELF);
}

/* ---- ELF headers ---------------------------------------------------------- */

static void test_truncated_elf_header(void)
{
    make_elf32();
    im.len = 10;                              /* ELF magic, no header */
    CU_ASSERT_EQUAL(parse(RAM), MB_ERR_TRUNCATED);

    /* A header shorter than 52 bytes with a multiboot header inside it. */
    make_elf32();
    put_header(im.b + 36, 3);
    im.len = 48;
    CU_ASSERT_EQUAL(parse(RAM), MB_ERR_TRUNCATED);
    CU_ASSERT_PTR_NOT_NULL(strstr(mi.msg, "ELF32 header"));
}

static void test_elf_format(void)
{
    make_elf32();
    im.b[4] = 3;                              /* class */
    CU_ASSERT_EQUAL(parse(RAM), MB_ERR_ELF_FORMAT);
    make_elf32();
    im.b[4] = 0;
    CU_ASSERT_EQUAL(parse(RAM), MB_ERR_ELF_FORMAT);
    make_elf32();
    im.b[5] = 2;                              /* big-endian */
    CU_ASSERT_EQUAL(parse(RAM), MB_ERR_ELF_FORMAT);
    make_elf32();
    le16_store(im.b + 16, 1);                 /* ET_REL */
    CU_ASSERT_EQUAL(parse(RAM), MB_ERR_ELF_FORMAT);
    make_elf32();
    le16_store(im.b + 16, 3);                 /* ET_DYN is accepted */
    CU_ASSERT_EQUAL(parse(RAM), MB_OK);
    make_elf32();
    le16_store(im.b + E32_PHENTSIZE, 16);
    CU_ASSERT_EQUAL(parse(RAM), MB_ERR_ELF_FORMAT);
}

static void test_elf_machine(void)
{
    make_elf32();
    le16_store(im.b + 18, 62);                /* x32 is not supported */
    CU_ASSERT_EQUAL(parse(RAM), MB_ERR_ELF_MACHINE);
    make_elf32();
    le16_store(im.b + 18, 40);                /* ARM */
    CU_ASSERT_EQUAL(parse(RAM), MB_ERR_ELF_MACHINE);
    CU_ASSERT_PTR_NOT_NULL(strstr(mi.msg, "40"));
    make_elf64();
    le16_store(im.b + 18, 3);
    CU_ASSERT_EQUAL(parse(RAM), MB_ERR_ELF_MACHINE);
}

static void test_program_headers_truncated(void)
{
    make_elf32();
    le32_store(im.b + E32_PHOFF, (uint32_t)im.len);
    CU_ASSERT_EQUAL(parse(RAM), MB_ERR_TRUNCATED);
    make_elf32();
    le32_store(im.b + E32_PHOFF, 0xfffffff0u);
    CU_ASSERT_EQUAL(parse(RAM), MB_ERR_TRUNCATED);
    make_elf32();
    le16_store(im.b + E32_PHNUM, 0xffff);
    CU_ASSERT_EQUAL(parse(RAM), MB_ERR_TRUNCATED);
    make_elf64();
    le64_store(im.b + E64_PHOFF, ~0ull - 8);  /* offset + size overflows */
    CU_ASSERT_EQUAL(parse(RAM), MB_ERR_TRUNCATED);
}

/* ---- segments ----------------------------------------------------------------- */

static void test_segment_data_truncated(void)
{
    make_elf32();
    le32_store(phdr32(0) + P32_FILESZ, (uint32_t)im.len + 1);
    le32_store(phdr32(0) + P32_MEMSZ, (uint32_t)im.len + 1);
    CU_ASSERT_EQUAL(parse(RAM), MB_ERR_TRUNCATED);
    make_elf32();
    le32_store(phdr32(0) + P32_OFFSET, 0xffffffffu);
    CU_ASSERT_EQUAL(parse(RAM), MB_ERR_TRUNCATED);
    make_elf64();
    le64_store(phdr64(0) + P64_OFFSET, ~0ull);  /* offset + filesz wraps */
    CU_ASSERT_EQUAL(parse(RAM), MB_ERR_TRUNCATED);
}

static void test_filesz_above_memsz(void)
{
    make_elf32();
    le32_store(phdr32(0) + P32_MEMSZ, (uint32_t)im.len - 1);
    CU_ASSERT_EQUAL(parse(RAM), MB_ERR_SEGMENT);
}

static void test_no_loadable_segments(void)
{
    make_elf32();
    le32_store(phdr32(0) + P32_TYPE, 4);      /* PT_NOTE */
    CU_ASSERT_EQUAL(parse(RAM), MB_ERR_NO_SEGMENTS);
    make_elf32();
    le32_store(phdr32(0) + P32_FILESZ, 0);
    le32_store(phdr32(0) + P32_MEMSZ, 0);     /* empty PT_LOAD: skipped */
    CU_ASSERT_EQUAL(parse(RAM), MB_ERR_NO_SEGMENTS);
    make_elf32();
    le16_store(im.b + E32_PHNUM, 0);
    CU_ASSERT_EQUAL(parse(RAM), MB_ERR_NO_SEGMENTS);
}

static void test_segment_outside_ram(void)
{
    make_elf32();
    CU_ASSERT_EQUAL(parse(MiB), MB_ERR_NO_RAM);          /* RAM ends at LOAD */
    CU_ASSERT_PTR_NOT_NULL(strstr(mi.msg, "1 MiB"));
    make_elf32();
    le32_store(phdr32(0) + P32_MEMSZ, RAM - LOAD);       /* exactly fits */
    CU_ASSERT_EQUAL(parse(RAM), MB_OK);
    le32_store(phdr32(0) + P32_MEMSZ, RAM - LOAD + 1);
    CU_ASSERT_EQUAL(parse(RAM), MB_ERR_NO_RAM);
    make_elf32();
    le32_store(phdr32(0) + P32_PADDR, 0xfffff000u);      /* wraps at 4 GiB */
    le32_store(phdr32(0) + P32_MEMSZ, 0x2000);
    CU_ASSERT_EQUAL(parse(RAM), MB_ERR_ABOVE_4G);
}

static void test_elf64_below_4g(void)
{
    make_elf64();
    CU_ASSERT_EQUAL_FATAL(parse(RAM), MB_OK);
    CU_ASSERT_TRUE(mi.elf64);
    CU_ASSERT_EQUAL(mi.entry, LOAD + 132);

    make_elf64();
    le64_store(phdr64(0) + P64_PADDR, 1ull << 32);
    CU_ASSERT_EQUAL(parse(8ull << 32), MB_ERR_ABOVE_4G);
    make_elf64();
    le64_store(phdr64(0) + P64_PADDR, ~0ull - 0xfff);    /* wraps at 2^64 */
    CU_ASSERT_EQUAL(parse(RAM), MB_ERR_ABOVE_4G);
    make_elf64();
    le64_store(im.b + E64_ENTRY, 1ull << 32);            /* in no segment */
    CU_ASSERT_EQUAL(parse(RAM), MB_ERR_ABOVE_4G);
}

/* Entry and segments given as virtual addresses above the physical ones,
 * as in a higher-half kernel: the entry is translated like GRUB does. */
static void test_entry_translation(void)
{
    make_elf64();
    le64_store(phdr64(0) + P64_VADDR, 0xffffffff80000000ull + LOAD);
    le64_store(im.b + E64_ENTRY, 0xffffffff80000000ull + LOAD + 132);
    CU_ASSERT_EQUAL_FATAL(parse(RAM), MB_OK);
    CU_ASSERT_EQUAL(mi.entry, LOAD + 132);

    make_elf32();
    le32_store(phdr32(0) + P32_VADDR, 0xc0000000u + LOAD);
    le32_store(im.b + E32_ENTRY, 0xc0000000u + LOAD + 96);
    CU_ASSERT_EQUAL_FATAL(parse(RAM), MB_OK);
    CU_ASSERT_EQUAL(mi.entry, LOAD + 96);
}

static void test_entry_outside_ram(void)
{
    make_elf32();
    le32_store(im.b + E32_ENTRY, RAM);
    CU_ASSERT_EQUAL(parse(RAM), MB_ERR_ENTRY);
    le32_store(im.b + E32_ENTRY, RAM - 1);    /* outside the image: allowed */
    CU_ASSERT_EQUAL(parse(RAM), MB_OK);
}

static void test_vga_window(void)
{
    make_elf32();
    le32_store(im.b + E32_ENTRY, 0x10000);
    le32_store(phdr32(0) + P32_PADDR, 0xb8000);
    CU_ASSERT_EQUAL(parse(RAM), MB_ERR_VGA_WINDOW);
    le32_store(phdr32(0) + P32_PADDR, 0xa0000 - 16);     /* runs into it */
    CU_ASSERT_EQUAL(parse(RAM), MB_ERR_VGA_WINDOW);
    le32_store(phdr32(0) + P32_PADDR, 0xc0000 - 16);     /* runs out of it */
    CU_ASSERT_EQUAL(parse(RAM), MB_ERR_VGA_WINDOW);
    le32_store(phdr32(0) + P32_PADDR, 0xa0000 - (uint32_t)im.len);
    CU_ASSERT_EQUAL(parse(RAM), MB_OK);                  /* just below it */
    le32_store(phdr32(0) + P32_PADDR, 0xc0000);          /* just above it */
    CU_ASSERT_EQUAL(parse(RAM), MB_OK);
    le32_store(phdr32(0) + P32_PADDR, 0x10000);          /* low memory */
    CU_ASSERT_EQUAL(parse(RAM), MB_OK);
}

/* Two PT_LOADs: one code segment, one more of memsz/paddr given. */
static void make_two_segments(uint32_t paddr2, uint32_t memsz2)
{
    uint8_t *ph;

    make_elf32();
    /* Move the multiboot header and code down by 32 to make room. */
    memmove(im.b + 116, im.b + 84, 14);
    memset(im.b + 84, 0, 32);
    im.len = 116 + 14;
    le16_store(im.b + E32_PHNUM, 2);
    le32_store(im.b + E32_ENTRY, LOAD + 128);
    le32_store(phdr32(0) + P32_FILESZ, (uint32_t)im.len);
    le32_store(phdr32(0) + P32_MEMSZ, (uint32_t)im.len);
    ph = phdr32(1);
    le32_store(ph + P32_TYPE, 1);
    le32_store(ph + P32_OFFSET, 0);
    le32_store(ph + P32_VADDR, paddr2);
    le32_store(ph + P32_PADDR, paddr2);
    le32_store(ph + P32_FILESZ, 0);
    le32_store(ph + P32_MEMSZ, memsz2);
}

static void test_overlapping_segments(void)
{
    make_two_segments(LOAD + 0x1000, 0x1000);
    CU_ASSERT_EQUAL_FATAL(parse(RAM), MB_OK);
    CU_ASSERT_EQUAL(mi.nr_segs, 2);
    CU_ASSERT_EQUAL(mi.hi, LOAD + 0x2000);
    make_two_segments(LOAD + 0x10, 0x1000);
    CU_ASSERT_EQUAL(parse(RAM), MB_ERR_SEGMENT);
    make_two_segments(LOAD + 129, 0x10);                 /* by one byte */
    CU_ASSERT_EQUAL(parse(RAM), MB_ERR_SEGMENT);
    make_two_segments(LOAD + 130, 0x10);                 /* touching */
    CU_ASSERT_EQUAL(parse(RAM), MB_OK);
}

static void test_too_many_segments(void)
{
    unsigned i, n = MB_MAX_SEGMENTS + 1;

    make_elf32();
    /* n program headers from 52, then the multiboot header and code. */
    im.len = 52 + 32 * n + 14;
    put_header(im.b + 52 + 32 * n, 3);
    memcpy(im.b + 52 + 32 * n + 12, code, sizeof(code));
    le16_store(im.b + E32_PHNUM, (uint16_t)n);
    le32_store(im.b + E32_ENTRY, LOAD);
    for (i = 0; i < n; i++) {
        uint8_t *ph = phdr32(i);
        le32_store(ph + P32_TYPE, 1);
        le32_store(ph + P32_OFFSET, 0);
        le32_store(ph + P32_VADDR, LOAD + i * 0x1000);
        le32_store(ph + P32_PADDR, LOAD + i * 0x1000);
        le32_store(ph + P32_FILESZ, 16);
        le32_store(ph + P32_MEMSZ, 0x1000);
    }
    CU_ASSERT_EQUAL(parse(RAM), MB_ERR_TOO_MANY);
    le16_store(im.b + E32_PHNUM, MB_MAX_SEGMENTS);
    CU_ASSERT_EQUAL(parse(RAM), MB_OK);
    CU_ASSERT_EQUAL(mi.nr_segs, MB_MAX_SEGMENTS);
}

/* ---- a.out kludge -------------------------------------------------------------- */

static void test_kludge_good(void)
{
    make_kludge();
    CU_ASSERT_EQUAL_FATAL(parse(RAM), MB_OK);
    CU_ASSERT_TRUE(mi.kludge);
    CU_ASSERT_EQUAL(mi.entry, LOAD + 32);
    CU_ASSERT_EQUAL_FATAL(mi.nr_segs, 1);
    CU_ASSERT_EQUAL(mi.seg[0].offset, 0);
    CU_ASSERT_EQUAL(mi.seg[0].paddr, LOAD);
    CU_ASSERT_EQUAL(mi.seg[0].filesz, im.len);
    CU_ASSERT_EQUAL(mi.seg[0].memsz, 0x1000);

    /* The header 16 bytes into the loaded range, load_end given. */
    make_kludge();
    memmove(im.b + 16, im.b, 34);
    memset(im.b, 0x90, 16);
    im.len += 16;
    le32_store(im.b + 16 + 12, LOAD + 16);
    le32_store(im.b + 16 + 20, LOAD + 40);    /* load_end: 40 bytes */
    le32_store(im.b + 16 + 24, 0);            /* no bss */
    CU_ASSERT_EQUAL_FATAL(parse(RAM), MB_OK);
    CU_ASSERT_EQUAL(mi.seg[0].offset, 0);
    CU_ASSERT_EQUAL(mi.seg[0].filesz, 40);
    CU_ASSERT_EQUAL(mi.seg[0].memsz, 40);
}

/* With flag 16 the kludge addresses win even in an ELF file. */
static void test_kludge_in_elf(void)
{
    make_elf32();
    memset(im.b + 84, 0, 14);
    put_header(im.b + 84, MB_FLAG_AOUT_KLUDGE);
    le32_store(im.b + 96, 0x200000 + 84);     /* header_addr */
    le32_store(im.b + 100, 0x200000);         /* load_addr */
    le32_store(im.b + 104, 0);
    le32_store(im.b + 108, 0);
    le32_store(im.b + 112, 0x200000 + 116);   /* entry */
    im.len = 120;
    CU_ASSERT_EQUAL_FATAL(parse(RAM), MB_OK);
    CU_ASSERT_TRUE(mi.kludge);
    CU_ASSERT_EQUAL(mi.seg[0].paddr, 0x200000);
    CU_ASSERT_EQUAL(mi.entry, 0x200000 + 116);
}

static void test_kludge_rejections(void)
{
    make_kludge();
    im.len = 20;                              /* fields cut off */
    CU_ASSERT_EQUAL(parse(RAM), MB_ERR_TRUNCATED);

    make_kludge();
    le32_store(im.b + 16, LOAD + 4);          /* load_addr > header_addr */
    CU_ASSERT_EQUAL(parse(RAM), MB_ERR_KLUDGE);

    make_kludge();
    le32_store(im.b + 16, LOAD - 4);          /* before the file start */
    le32_store(im.b + 24, 0);
    CU_ASSERT_EQUAL(parse(RAM), MB_ERR_KLUDGE);
    CU_ASSERT_PTR_NOT_NULL(strstr(mi.msg, "before the start"));

    make_kludge();
    le32_store(im.b + 20, LOAD - 1);          /* load_end < load_addr */
    CU_ASSERT_EQUAL(parse(RAM), MB_ERR_KLUDGE);

    make_kludge();
    le32_store(im.b + 20, LOAD + 0x100);      /* load_end past the file */
    CU_ASSERT_EQUAL(parse(RAM), MB_ERR_TRUNCATED);

    make_kludge();
    le32_store(im.b + 24, LOAD + 8);          /* bss_end inside the data */
    CU_ASSERT_EQUAL(parse(RAM), MB_ERR_KLUDGE);

    make_kludge();
    le32_store(im.b + 28, RAM + 4);           /* entry outside RAM */
    CU_ASSERT_EQUAL(parse(RAM), MB_ERR_ENTRY);

    make_kludge();
    le32_store(im.b + 24, LOAD + RAM);        /* bss beyond RAM */
    CU_ASSERT_EQUAL(parse(RAM), MB_ERR_NO_RAM);

    make_kludge();                            /* into the VGA window */
    le32_store(im.b + 12, 0xa0000);
    le32_store(im.b + 16, 0xa0000);
    le32_store(im.b + 24, 0);
    le32_store(im.b + 28, 0xa0000 + 32);
    CU_ASSERT_EQUAL(parse(RAM), MB_ERR_VGA_WINDOW);
}

/* Random corruption of good images: never a crash, and whatever is accepted
 * lies within the file and RAM, and outside the VGA window. */
static void test_corrupted_images(void)
{
    uint32_t seed = 12345;
    unsigned round, k;

    for (round = 0; round < 3000; round++) {
        switch (round % 3) {
        case 0: make_elf32(); break;
        case 1: make_elf64(); break;
        default: make_kludge(); break;
        }
        for (k = 0; k < 1 + round % 4; k++) {
            seed = seed * 1103515245u + 12345u;
            im.b[(seed >> 8) % 140] ^= (uint8_t)(1u << ((seed >> 4) % 8));
        }
        seed = seed * 1103515245u + 12345u;
        if (seed % 5 == 0)
            im.len = (seed >> 8) % (im.len + 1);
        if (parse(RAM) != MB_OK)
            continue;
        CU_ASSERT(mi.nr_segs >= 1 && mi.nr_segs <= MB_MAX_SEGMENTS);
        CU_ASSERT(mi.entry < RAM);
        for (k = 0; k < mi.nr_segs; k++) {
            const struct mb_segment *s = &mi.seg[k];
            CU_ASSERT(s->offset + s->filesz <= im.len);
            CU_ASSERT(s->filesz <= s->memsz);
            CU_ASSERT(s->paddr + s->memsz <= RAM);
            CU_ASSERT(s->paddr + s->memsz <= MB_VGA_START ||
                      s->paddr >= MB_VGA_END);
        }
    }
}

/* ---- loading and the multiboot information ------------------------------------ */

static struct mem m;

static int cleanup(void)
{
    mem_destroy(&m);
    return 0;
}

static void fresh_mem(uint64_t size)
{
    static uint8_t junk[4096];

    mem_destroy(&m);
    CU_ASSERT_FATAL(mem_init(&m, size) == 0);
    memset(junk, 0xaa, sizeof(junk));
    for (uint64_t pa = 0; pa < size; pa += sizeof(junk))
        phys_write(&m, pa, junk, sizeof(junk));
}

static uint32_t ld32(uint64_t pa) { return (uint32_t)phys_load(&m, pa, 4); }

static void test_load_segments(void)
{
    uint8_t buf[64];

    make_kludge();
    CU_ASSERT_EQUAL_FATAL(parse(RAM), MB_OK);
    fresh_mem(RAM);
    mb_load(&m, im.b, &mi);
    CU_ASSERT_EQUAL(phys_read(&m, LOAD, buf, im.len), 0);
    CU_ASSERT_EQUAL(memcmp(buf, im.b, im.len), 0);
    CU_ASSERT_EQUAL(phys_load(&m, LOAD + im.len, 1), 0);          /* bss */
    CU_ASSERT_EQUAL(phys_load(&m, LOAD + 0xff8, 8), 0);
    CU_ASSERT_EQUAL(phys_load(&m, LOAD + 0x1000, 1), 0xaa);       /* beyond */
    CU_ASSERT_EQUAL(phys_load(&m, LOAD - 1, 1), 0xaa);
}

static void test_info_structure(void)
{
    const char *cmdline = "kernel.elf console=e9 x=1";
    uint32_t info = 0, map, flags;
    char text[64];

    make_elf32();
    CU_ASSERT_EQUAL_FATAL(parse(RAM), MB_OK);
    fresh_mem(RAM);
    mb_load(&m, im.b, &mi);
    CU_ASSERT_EQUAL_FATAL(mb_write_info(&m, &mi, cmdline, &info), MB_OK);
    CU_ASSERT_EQUAL(info, LOAD + 0x1000);     /* the page after the image */

    flags = ld32(info);
    CU_ASSERT_EQUAL(flags, (1u << 0) | (1u << 2) | (1u << 3) | (1u << 6) |
                           (1u << 9));
    CU_ASSERT_EQUAL(ld32(info + 4), 640);                       /* mem_lower */
    CU_ASSERT_EQUAL(ld32(info + 8), (RAM - MiB) / 1024);        /* mem_upper */
    CU_ASSERT_EQUAL(ld32(info + 20), 0);                        /* mods_count */

    CU_ASSERT_EQUAL(phys_read(&m, ld32(info + 16), text, strlen(cmdline) + 1), 0);
    CU_ASSERT_STRING_EQUAL(text, cmdline);
    CU_ASSERT_EQUAL(phys_read(&m, ld32(info + 64), text, 7), 0);
    CU_ASSERT_STRING_EQUAL(text, "xenemu");

    CU_ASSERT_EQUAL(ld32(info + 44), 3 * 24);                   /* mmap_length */
    map = ld32(info + 48);
    CU_ASSERT_EQUAL(ld32(map), 20);
    CU_ASSERT_EQUAL(phys_load(&m, map + 4, 8), 0);
    CU_ASSERT_EQUAL(phys_load(&m, map + 12, 8), 0xa0000);
    CU_ASSERT_EQUAL(ld32(map + 20), 1);
    CU_ASSERT_EQUAL(ld32(map + 24), 20);
    CU_ASSERT_EQUAL(phys_load(&m, map + 28, 8), 0xa0000);
    CU_ASSERT_EQUAL(phys_load(&m, map + 36, 8), 0x60000);
    CU_ASSERT_EQUAL(ld32(map + 44), 2);
    CU_ASSERT_EQUAL(phys_load(&m, map + 52, 8), MiB);
    CU_ASSERT_EQUAL(phys_load(&m, map + 60, 8), RAM - MiB);
    CU_ASSERT_EQUAL(ld32(map + 68), 1);

    /* None of it overlaps the image. */
    CU_ASSERT(info >= mi.hi);
}

/* 1 MiB of RAM: no RAM above the hole, mem_upper 0, two map entries. */
static void test_info_small_ram(void)
{
    uint32_t info = 0;

    make_elf32();
    le32_store(phdr32(0) + P32_PADDR, 0x10000);
    le32_store(im.b + E32_ENTRY, 0x10000 + 96);
    CU_ASSERT_EQUAL_FATAL(parse(MiB), MB_OK);
    fresh_mem(MiB);
    mb_load(&m, im.b, &mi);
    CU_ASSERT_EQUAL_FATAL(mb_write_info(&m, &mi, "", &info), MB_OK);
    CU_ASSERT_EQUAL(info, 0x11000);
    CU_ASSERT_EQUAL(ld32(info + 4), 640);
    CU_ASSERT_EQUAL(ld32(info + 8), 0);
    CU_ASSERT_EQUAL(ld32(info + 44), 2 * 24);
}

/* An image that fills RAM to the end: the information goes low. */
static void test_info_placement(void)
{
    uint32_t info = 0;

    make_elf32();
    le32_store(phdr32(0) + P32_MEMSZ, RAM - LOAD);
    CU_ASSERT_EQUAL_FATAL(parse(RAM), MB_OK);
    fresh_mem(RAM);
    CU_ASSERT_EQUAL_FATAL(mb_write_info(&m, &mi, "x", &info), MB_OK);
    CU_ASSERT_EQUAL(info, 0x1000);

    /* ... unless the low page is taken too. */
    make_two_segments(0x1000, 0x1000);
    le32_store(phdr32(0) + P32_MEMSZ, RAM - LOAD);
    CU_ASSERT_EQUAL_FATAL(parse(RAM), MB_OK);
    CU_ASSERT_EQUAL(mb_write_info(&m, &mi, "x", &info), MB_ERR_NO_ROOM);
}

/* `ld -Ttext=0x100000` maps the ELF headers just below 1 MiB, in the ROM
 * area: QEMU boots that, so do we, and the information still goes above. */
static void test_rom_area_allowed(void)
{
    uint32_t info = 0;

    make_elf32();
    le32_store(phdr32(0) + P32_PADDR, 0xff000);
    le32_store(phdr32(0) + P32_VADDR, 0xff000);
    le32_store(im.b + E32_ENTRY, 0xff000 + 96);
    CU_ASSERT_EQUAL_FATAL(parse(RAM), MB_OK);
    CU_ASSERT_EQUAL(mi.entry, 0xff000 + 96);
    fresh_mem(RAM);
    mb_load(&m, im.b, &mi);
    CU_ASSERT_EQUAL(phys_load(&m, 0xff000 + 96, 2), 0xf4fa);
    CU_ASSERT_EQUAL_FATAL(mb_write_info(&m, &mi, "", &info), MB_OK);
    CU_ASSERT_EQUAL(info, 0x100000);
}

UNIT_SUITE(loader)
{
    CU_pSuite s = CU_add_suite("loader", NULL, cleanup);
    UNIT_TEST(s, test_good_elf32);
    UNIT_TEST(s, test_not_a_kernel);
    UNIT_TEST(s, test_elf_without_header);
    UNIT_TEST(s, test_bad_checksum);
    UNIT_TEST(s, test_bad_then_good_header);
    UNIT_TEST(s, test_header_search_limits);
    UNIT_TEST(s, test_header_in_non_elf);
    UNIT_TEST(s, test_truncated_elf_header);
    UNIT_TEST(s, test_elf_format);
    UNIT_TEST(s, test_elf_machine);
    UNIT_TEST(s, test_program_headers_truncated);
    UNIT_TEST(s, test_segment_data_truncated);
    UNIT_TEST(s, test_filesz_above_memsz);
    UNIT_TEST(s, test_no_loadable_segments);
    UNIT_TEST(s, test_segment_outside_ram);
    UNIT_TEST(s, test_elf64_below_4g);
    UNIT_TEST(s, test_entry_translation);
    UNIT_TEST(s, test_entry_outside_ram);
    UNIT_TEST(s, test_vga_window);
    UNIT_TEST(s, test_rom_area_allowed);
    UNIT_TEST(s, test_overlapping_segments);
    UNIT_TEST(s, test_too_many_segments);
    UNIT_TEST(s, test_kludge_good);
    UNIT_TEST(s, test_kludge_in_elf);
    UNIT_TEST(s, test_kludge_rejections);
    UNIT_TEST(s, test_corrupted_images);
    UNIT_TEST(s, test_load_segments);
    UNIT_TEST(s, test_info_structure);
    UNIT_TEST(s, test_info_small_ram);
    UNIT_TEST(s, test_info_placement);
}
