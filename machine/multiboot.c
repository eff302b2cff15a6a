/* The multiboot v1 loader: header, ELF/a.out-kludge images, boot info. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "xenemu/le.h"
#include "machine/multiboot.h"

#define FOUR_GIB ((uint64_t)1 << 32)

static enum mb_status fail(struct mb_image *mi, enum mb_status st,
                           const char *fmt, ...) XE_PRINTF(3, 4);

static enum mb_status fail(struct mb_image *mi, enum mb_status st,
                           const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(mi->msg, sizeof(mi->msg), fmt, ap);
    va_end(ap);
    return st;
}

typedef unsigned long long ull;     /* for printf */

/* "N MiB" or "N bytes", for messages about the size of RAM. */
static const char *ram_desc(char *buf, size_t size, uint64_t ram_size)
{
    if (ram_size % (1u << 20) == 0)
        snprintf(buf, size, "%llu MiB", (ull)(ram_size >> 20));
    else
        snprintf(buf, size, "%llu bytes", (ull)ram_size);
    return buf;
}

/* ---- the multiboot header --------------------------------------------- */

struct header_scan {
    bool found, bad_checksum;
    uint32_t offset;          /* of the header, or of a bad one */
};

static void find_header(const uint8_t *img, size_t len, struct header_scan *hs)
{
    size_t limit = len < MB_SEARCH_LIMIT ? len : MB_SEARCH_LIMIT;
    size_t off;

    memset(hs, 0, sizeof(*hs));
    for (off = 0; off + 12 <= limit; off += 4) {
        uint32_t flags, sum;

        if (le32_load(img + off) != MB_HEADER_MAGIC)
            continue;
        flags = le32_load(img + off + 4);
        sum = le32_load(img + off + 8);
        if ((uint32_t)(MB_HEADER_MAGIC + flags + sum) == 0) {
            hs->found = true;
            hs->offset = (uint32_t)off;
            return;
        }
        if (!hs->bad_checksum) {
            hs->bad_checksum = true;
            hs->offset = (uint32_t)off;
        }
    }
}

bool multiboot_has_header(const uint8_t *img, size_t len)
{
    struct header_scan hs;

    find_header(img, len, &hs);
    return hs.found || hs.bad_checksum;
}

static bool is_elf(const uint8_t *img, size_t len)
{
    return len >= 4 && memcmp(img, "\177ELF", 4) == 0;
}

/* ---- segments --------------------------------------------------------- */

static bool ranges_overlap(uint64_t a, uint64_t a_end, uint64_t b,
                           uint64_t b_end)
{
    return a < b_end && b < a_end;
}

/* Validate one segment against the file and RAM and add it to the plan. */
static enum mb_status add_segment(struct mb_image *mi, size_t len,
                                  uint64_t ram_size, const struct mb_segment *s)
{
    char buf[32];
    uint64_t end;
    unsigned i;

    if (s->filesz > len || s->offset > len - s->filesz)
        return fail(mi, MB_ERR_TRUNCATED, "truncated: 0x%llx bytes of "
                    "segment data at file offset 0x%llx run past the end "
                    "of the file (0x%llx bytes)", (ull)s->filesz,
                    (ull)s->offset, (ull)len);
    if (s->filesz > s->memsz)
        return fail(mi, MB_ERR_SEGMENT, "segment at 0x%llx: file size 0x%llx "
                    "exceeds memory size 0x%llx", (ull)s->paddr,
                    (ull)s->filesz, (ull)s->memsz);
    if (s->memsz == 0)
        return MB_OK;
    if (s->paddr >= FOUR_GIB || s->memsz > FOUR_GIB - s->paddr)
        return fail(mi, MB_ERR_ABOVE_4G, "segment at 0x%llx (0x%llx bytes) "
                    "does not lie below 4 GiB", (ull)s->paddr, (ull)s->memsz);
    end = s->paddr + s->memsz;
    if (end > ram_size)
        return fail(mi, MB_ERR_NO_RAM, "segment at 0x%llx-0x%llx does not "
                    "fit in guest RAM (%s)", (ull)s->paddr, (ull)end - 1,
                    ram_desc(buf, sizeof(buf), ram_size));
    if (ranges_overlap(s->paddr, end, MB_VGA_START, MB_VGA_END))
        return fail(mi, MB_ERR_VGA_WINDOW, "segment at 0x%llx-0x%llx overlaps "
                    "the VGA memory window (0xa0000-0xbffff), reserved on a PC",
                    (ull)s->paddr, (ull)end - 1);
    for (i = 0; i < mi->nr_segs; i++)
        if (ranges_overlap(s->paddr, end, mi->seg[i].paddr,
                           mi->seg[i].paddr + mi->seg[i].memsz))
            return fail(mi, MB_ERR_SEGMENT, "segments at 0x%llx and 0x%llx "
                        "overlap", (ull)mi->seg[i].paddr, (ull)s->paddr);
    if (mi->nr_segs == MB_MAX_SEGMENTS)
        return fail(mi, MB_ERR_TOO_MANY, "more than %d loadable segments",
                    MB_MAX_SEGMENTS);
    mi->seg[mi->nr_segs++] = *s;
    if (s->paddr < mi->lo)
        mi->lo = s->paddr;
    if (end > mi->hi)
        mi->hi = end;
    return MB_OK;
}

static enum mb_status set_entry(struct mb_image *mi, uint64_t entry,
                                uint64_t ram_size)
{
    if (entry >= FOUR_GIB)
        return fail(mi, MB_ERR_ABOVE_4G, "entry point 0x%llx is not below "
                    "4 GiB", (ull)entry);
    if (entry >= ram_size)
        return fail(mi, MB_ERR_ENTRY, "entry point 0x%llx is outside guest "
                    "RAM", (ull)entry);
    mi->entry = (uint32_t)entry;
    return MB_OK;
}

/* ---- ELF images ------------------------------------------------------- */

enum {
    EI_NIDENT = 16, EI_CLASS = 4, EI_DATA = 5,
    ELFCLASS32 = 1, ELFCLASS64 = 2, ELFDATA2LSB = 1,
    ET_EXEC = 2, ET_DYN = 3, EM_386 = 3, EM_X86_64 = 62, PT_LOAD = 1,
    E_TYPE = 16, E_MACHINE = 18,
};

/* Field offsets and sizes of the two ELF classes. */
struct elf_layout {
    const char *name, *machine_name;
    uint16_t machine;
    unsigned ehdr_size, word;   /* word: size of addresses and offsets */
    unsigned e_entry, e_phoff, e_phentsize, e_phnum;
    unsigned phdr_size, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz;
};

static const struct elf_layout elf_layouts[] = {
    [ELFCLASS32] = { "ELF32", "EM_386", EM_386, 52, 4,
                     24, 28, 42, 44, 32, 4, 8, 12, 16, 20 },
    [ELFCLASS64] = { "ELF64", "EM_X86_64", EM_X86_64, 64, 8,
                     24, 32, 54, 56, 56, 8, 16, 24, 32, 40 },
};

static enum mb_status check_elf_header(const uint8_t *img, size_t len,
                                       struct mb_image *mi,
                                       const struct elf_layout **layout)
{
    const struct elf_layout *l;
    unsigned type, machine;

    if (!is_elf(img, len))
        return fail(mi, MB_ERR_NOT_ELF, "not an ELF file, and its multiboot "
                    "header has no a.out-kludge addresses (flag 16)");
    if (len < EI_NIDENT)
        return fail(mi, MB_ERR_TRUNCATED, "truncated ELF header (%llu bytes)",
                    (ull)len);
    if (img[EI_CLASS] != ELFCLASS32 && img[EI_CLASS] != ELFCLASS64)
        return fail(mi, MB_ERR_ELF_FORMAT, "unknown ELF class %u",
                    img[EI_CLASS]);
    l = &elf_layouts[img[EI_CLASS]];
    if (len < l->ehdr_size)
        return fail(mi, MB_ERR_TRUNCATED, "truncated %s header (%llu bytes)",
                    l->name, (ull)len);
    if (img[EI_DATA] != ELFDATA2LSB)
        return fail(mi, MB_ERR_ELF_FORMAT, "not a little-endian ELF file");
    type = le16_load(img + E_TYPE);
    if (type != ET_EXEC && type != ET_DYN)
        return fail(mi, MB_ERR_ELF_FORMAT, "ELF file of type %u is not an "
                    "executable", type);
    machine = le16_load(img + E_MACHINE);
    if (machine != l->machine)
        return fail(mi, MB_ERR_ELF_MACHINE, "%s file for machine %u, not "
                    "x86 (%s)", l->name, machine, l->machine_name);
    *layout = l;
    return MB_OK;
}

static void read_phdr(const uint8_t *p, const struct elf_layout *l,
                      struct mb_segment *s)
{
    s->offset = le_load(p + l->p_offset, l->word);
    s->vaddr = le_load(p + l->p_vaddr, l->word);
    s->paddr = le_load(p + l->p_paddr, l->word);
    s->filesz = le_load(p + l->p_filesz, l->word);
    s->memsz = le_load(p + l->p_memsz, l->word);
}

/* The entry point is a virtual address; paging is off at entry, so like
 * GRUB translate it through the segment that contains it. */
static uint64_t physical_entry(const struct mb_image *mi, uint64_t entry)
{
    unsigned i;

    for (i = 0; i < mi->nr_segs; i++) {
        const struct mb_segment *s = &mi->seg[i];
        if (entry >= s->vaddr && entry - s->vaddr < s->memsz)
            return s->paddr + (entry - s->vaddr);
    }
    return entry;
}

static enum mb_status parse_elf(const uint8_t *img, size_t len,
                                uint64_t ram_size, struct mb_image *mi)
{
    const struct elf_layout *l = NULL;
    enum mb_status st = check_elf_header(img, len, mi, &l);
    uint64_t phoff, entry;
    unsigned phentsize, phnum, i;

    if (st != MB_OK)
        return st;
    mi->elf64 = l->word == 8;
    entry = le_load(img + l->e_entry, l->word);
    phoff = le_load(img + l->e_phoff, l->word);
    phentsize = le16_load(img + l->e_phentsize);
    phnum = le16_load(img + l->e_phnum);
    if (phnum && phentsize < l->phdr_size)
        return fail(mi, MB_ERR_ELF_FORMAT, "program header size %u is too "
                    "small (%s needs %u)", phentsize, l->name, l->phdr_size);
    if (phoff > len || (uint64_t)phnum * phentsize > len - phoff)
        return fail(mi, MB_ERR_TRUNCATED, "truncated: %u program headers at "
                    "file offset 0x%llx run past the end of the file (0x%llx "
                    "bytes)", phnum, (ull)phoff, (ull)len);
    for (i = 0; i < phnum; i++) {
        const uint8_t *p = img + phoff + (size_t)i * phentsize;
        struct mb_segment s;

        if (le32_load(p) != PT_LOAD)
            continue;
        read_phdr(p, l, &s);
        st = add_segment(mi, len, ram_size, &s);
        if (st != MB_OK)
            return st;
    }
    if (mi->nr_segs == 0)
        return fail(mi, MB_ERR_NO_SEGMENTS, "no loadable segments");
    return set_entry(mi, physical_entry(mi, entry), ram_size);
}

/* ---- a.out-kludge images ---------------------------------------------- */

enum {
    MBH_HEADER_ADDR = 12, MBH_LOAD_ADDR = 16, MBH_LOAD_END_ADDR = 20,
    MBH_BSS_END_ADDR = 24, MBH_ENTRY_ADDR = 28, MBH_KLUDGE_SIZE = 32,
};

/* The header says where it itself goes (header_addr) and what range of the
 * file around it to load: [load_addr, load_end_addr) then bss up to
 * bss_end_addr.  Zero end addresses mean "to the end of the file" and
 * "no bss". */
static enum mb_status parse_kludge(const uint8_t *img, size_t len,
                                   uint64_t ram_size, struct mb_image *mi)
{
    const uint8_t *h = img + mi->header_offset;
    uint32_t header_addr, load_addr, load_end, bss_end;
    struct mb_segment s = { 0 };
    enum mb_status st;

    if (len - mi->header_offset < MBH_KLUDGE_SIZE)
        return fail(mi, MB_ERR_TRUNCATED, "truncated multiboot header");
    header_addr = le32_load(h + MBH_HEADER_ADDR);
    load_addr = le32_load(h + MBH_LOAD_ADDR);
    load_end = le32_load(h + MBH_LOAD_END_ADDR);
    bss_end = le32_load(h + MBH_BSS_END_ADDR);
    mi->kludge = true;
    if (load_addr > header_addr)
        return fail(mi, MB_ERR_KLUDGE, "multiboot load_addr 0x%x is above "
                    "header_addr 0x%x", load_addr, header_addr);
    if (header_addr - load_addr > mi->header_offset)
        return fail(mi, MB_ERR_KLUDGE, "multiboot load_addr 0x%x lies before "
                    "the start of the file", load_addr);
    s.offset = mi->header_offset - (header_addr - load_addr);
    s.paddr = s.vaddr = load_addr;
    if (load_end && load_end < load_addr)
        return fail(mi, MB_ERR_KLUDGE, "multiboot load_end_addr 0x%x is below "
                    "load_addr 0x%x", load_end, load_addr);
    s.filesz = load_end ? (uint64_t)(load_end - load_addr) : len - s.offset;
    s.memsz = s.filesz;
    if (bss_end) {
        if (bss_end < load_addr || bss_end - load_addr < s.filesz)
            return fail(mi, MB_ERR_KLUDGE, "multiboot bss_end_addr 0x%x is "
                        "below the end of the loaded data", bss_end);
        s.memsz = (uint64_t)(bss_end - load_addr);
    }
    st = add_segment(mi, len, ram_size, &s);
    if (st == MB_OK && mi->nr_segs == 0)
        st = fail(mi, MB_ERR_NO_SEGMENTS, "nothing to load");
    if (st != MB_OK)
        return st;
    return set_entry(mi, le32_load(h + MBH_ENTRY_ADDR), ram_size);
}

enum mb_status mb_parse(const uint8_t *img, size_t len, uint64_t ram_size,
                        struct mb_image *mi)
{
    struct header_scan hs;

    memset(mi, 0, sizeof(*mi));
    mi->lo = UINT64_MAX;
    find_header(img, len, &hs);
    if (!hs.found && hs.bad_checksum)
        return fail(mi, MB_ERR_BAD_CHECKSUM, "multiboot header at file "
                    "offset 0x%x has a bad checksum", hs.offset);
    if (!hs.found && is_elf(img, len) && len < EI_NIDENT)
        return fail(mi, MB_ERR_TRUNCATED, "truncated ELF header (%llu bytes)",
                    (ull)len);
    if (!hs.found && is_elf(img, len))
        return fail(mi, MB_ERR_NO_HEADER, "ELF file without a multiboot "
                    "header in its first 8 KiB (not a multiboot kernel)");
    if (!hs.found)
        return fail(mi, MB_ERR_NOT_KERNEL, "not a kernel image (neither ELF "
                    "nor a multiboot header)");
    mi->header_offset = hs.offset;
    mi->header_flags = le32_load(img + hs.offset + 4);
    if (mi->header_flags & MB_FLAG_AOUT_KLUDGE)
        return parse_kludge(img, len, ram_size, mi);
    return parse_elf(img, len, ram_size, mi);
}

/* ---- loading ---------------------------------------------------------- */

static void phys_zero(struct mem *m, uint64_t pa, uint64_t len)
{
    static const uint8_t zeros[PAGE_SIZE];

    while (len) {
        size_t n = len < sizeof(zeros) ? (size_t)len : sizeof(zeros);
        phys_write(m, pa, zeros, n);
        pa += n;
        len -= n;
    }
}

void mb_load(struct mem *m, const uint8_t *img, const struct mb_image *mi)
{
    unsigned i;

    for (i = 0; i < mi->nr_segs; i++) {
        const struct mb_segment *s = &mi->seg[i];
        phys_write(m, s->paddr, img + s->offset, (size_t)s->filesz);
        phys_zero(m, s->paddr + s->filesz, s->memsz - s->filesz);
    }
}

/* ---- the multiboot information ---------------------------------------- */

enum {
    MBI_FLAGS = 0, MBI_MEM_LOWER = 4, MBI_MEM_UPPER = 8, MBI_CMDLINE = 16,
    MBI_MODS_COUNT = 20, MBI_MODS_ADDR = 24, MBI_MMAP_LENGTH = 44,
    MBI_MMAP_ADDR = 48, MBI_BOOT_LOADER_NAME = 64,
    MBI_SIZE = 120,                 /* 116, rounded up to 8 */
    MBI_F_MEM = 1u << 0, MBI_F_CMDLINE = 1u << 2, MBI_F_MODS = 1u << 3,
    MBI_F_MMAP = 1u << 6, MBI_F_LOADER_NAME = 1u << 9,
    /* A memory map entry: size (of the rest, 20), base, length, type. */
    MMAP_SIZE = 0, MMAP_BASE = 4, MMAP_LENGTH = 12, MMAP_TYPE = 20,
    MMAP_ENTRY = 24, MMAP_MAX = 3,
    MMAP_RAM = 1, MMAP_RESERVED = 2,
};

static const char loader_name[] = "xenemu";

/* RAM below the hole, the hole, RAM above it. */
static unsigned build_mmap(uint8_t *map, uint64_t ram_size)
{
    uint64_t low = ram_size < MB_LOW_HOLE_START ? ram_size : MB_LOW_HOLE_START;
    struct { uint64_t base, len; uint32_t type; } e[MMAP_MAX];
    unsigned n = 0, i;

    e[n].base = 0, e[n].len = low, e[n++].type = MMAP_RAM;
    e[n].base = MB_LOW_HOLE_START;
    e[n].len = MB_LOW_HOLE_END - MB_LOW_HOLE_START;
    e[n++].type = MMAP_RESERVED;
    if (ram_size > MB_LOW_HOLE_END) {
        e[n].base = MB_LOW_HOLE_END;
        e[n].len = ram_size - MB_LOW_HOLE_END;
        e[n++].type = MMAP_RAM;
    }
    for (i = 0; i < n; i++) {
        uint8_t *p = map + i * MMAP_ENTRY;
        le32_store(p + MMAP_SIZE, MMAP_ENTRY - 4);
        le64_store(p + MMAP_BASE, e[i].base);
        le64_store(p + MMAP_LENGTH, e[i].len);
        le32_store(p + MMAP_TYPE, e[i].type);
    }
    return n;
}

/* Is [base, base + size) RAM below 4 GiB, clear of the hole and image? */
static bool region_free(const struct mb_image *mi, uint64_t ram_size,
                        uint64_t base, uint64_t size)
{
    uint64_t end = base + size;
    unsigned i;

    if (base > ram_size || size > ram_size - base || end > FOUR_GIB ||
        ranges_overlap(base, end, MB_LOW_HOLE_START, MB_LOW_HOLE_END))
        return false;
    for (i = 0; i < mi->nr_segs; i++)
        if (ranges_overlap(base, end, mi->seg[i].paddr,
                           mi->seg[i].paddr + mi->seg[i].memsz))
            return false;
    return true;
}

enum mb_status mb_write_info(struct mem *m, struct mb_image *mi,
                             const char *cmdline, uint32_t *info_pa)
{
    uint8_t info[MBI_SIZE] = { 0 }, map[MMAP_MAX * MMAP_ENTRY];
    unsigned nr_map = build_mmap(map, m->ram_size);
    size_t cmd_len = strlen(cmdline) + 1;
    uint64_t size = MBI_SIZE + sizeof(map) + sizeof(loader_name) + cmd_len;
    uint64_t candidates[] = {
        (mi->hi + PAGE_SIZE - 1) & PAGE_MASK,   /* after the image */
        0x1000,                                 /* conventional memory */
    };
    uint64_t base = 0, map_pa, name_pa, cmd_pa;
    size_t i;

    for (i = 0; i < ARRAY_SIZE(candidates); i++)
        if (region_free(mi, m->ram_size, candidates[i], size))
            break;
    if (i == ARRAY_SIZE(candidates))
        return fail(mi, MB_ERR_NO_ROOM, "no room in guest RAM for the "
                    "multiboot information (%llu bytes)", (ull)size);
    base = candidates[i];
    map_pa = base + MBI_SIZE;
    name_pa = map_pa + sizeof(map);
    cmd_pa = name_pa + sizeof(loader_name);

    le32_store(info + MBI_FLAGS, MBI_F_MEM | MBI_F_CMDLINE | MBI_F_MODS |
               MBI_F_MMAP | MBI_F_LOADER_NAME);
    le32_store(info + MBI_MEM_LOWER, (uint32_t)(m->ram_size < MB_LOW_HOLE_START
               ? m->ram_size : MB_LOW_HOLE_START) / 1024);
    le32_store(info + MBI_MEM_UPPER, m->ram_size > MB_LOW_HOLE_END ?
               (uint32_t)((m->ram_size - MB_LOW_HOLE_END) / 1024) : 0);
    le32_store(info + MBI_CMDLINE, (uint32_t)cmd_pa);
    le32_store(info + MBI_MODS_COUNT, 0);
    le32_store(info + MBI_MODS_ADDR, 0);
    le32_store(info + MBI_MMAP_LENGTH, nr_map * MMAP_ENTRY);
    le32_store(info + MBI_MMAP_ADDR, (uint32_t)map_pa);
    le32_store(info + MBI_BOOT_LOADER_NAME, (uint32_t)name_pa);

    phys_write(m, base, info, sizeof(info));
    phys_write(m, map_pa, map, sizeof(map));
    phys_write(m, name_pa, loader_name, sizeof(loader_name));
    phys_write(m, cmd_pa, cmdline, cmd_len);
    *info_pa = (uint32_t)base;
    return MB_OK;
}

int multiboot_load(struct mem *m, const char *name, const uint8_t *img,
                   size_t len, const char *cmdline, struct mb_boot *boot)
{
    struct mb_image mi;
    enum mb_status st = mb_parse(img, len, m->ram_size, &mi);

    if (st == MB_OK) {
        /* Bits 0-15 are requirements; xenemu honours 0 (no modules to
         * align) and 1 (memory info).  QEMU boots regardless; so do we. */
        if (mi.header_flags & 0xfffcu)
            xe_warn("%s: multiboot header asks for features xenemu lacks "
                    "(flags 0x%x); booting anyway", name, mi.header_flags);
        mb_load(m, img, &mi);
        st = mb_write_info(m, &mi, cmdline, &boot->info);
    }
    if (st != MB_OK) {
        xe_error("%s: %s", name, mi.msg);
        return -1;
    }
    boot->entry = mi.entry;
    return 0;
}
