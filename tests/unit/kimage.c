/* In-memory Xen PV kernel images for the loader tests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xenemu/le.h"
#include "xenplat/elf.h"
#include "xenplat/kernel-info.h"
#include "kimage.h"

void ki_init(struct kimage *ki, bool is64)
{
    memset(ki, 0, sizeof(*ki));
    ki->is64 = is64;
    ki->machine = is64 ? ELF_EM_X86_64 : ELF_EM_386;
}

void ki_note(struct kimage *ki, const char *name, uint32_t type,
             const void *desc, uint32_t descsz)
{
    uint8_t *p = ki->notes + ki->notes_len;
    uint32_t namesz = (uint32_t)strlen(name) + 1;
    size_t name_pad = (namesz + 3) & ~3u, desc_pad = (descsz + 3) & ~3u;

    if (ki->notes_len + 12 + name_pad + desc_pad > sizeof(ki->notes))
        abort();
    memset(p, 0, 12 + name_pad + desc_pad);
    le32_store(p, namesz);
    le32_store(p + 4, descsz);
    le32_store(p + 8, type);
    memcpy(p + 12, name, namesz);
    if (descsz)
        memcpy(p + 12 + name_pad, desc, descsz);
    ki->notes_len += 12 + name_pad + desc_pad;
}

void ki_note_str(struct kimage *ki, uint32_t type, const char *s)
{
    ki_note(ki, "Xen", type, s, (uint32_t)strlen(s) + 1);
}

void ki_note_num(struct kimage *ki, uint32_t type, uint64_t v, unsigned size)
{
    uint8_t d[8];

    le64_store(d, v);
    ki_note(ki, "Xen", type, d, size);
}

void ki_add_seg(struct kimage *ki, uint64_t paddr, uint64_t filesz,
                uint64_t memsz)
{
    struct ki_seg *s = &ki->seg[ki->nseg++];

    s->type = ELF_PT_LOAD;
    s->flags = ELF_PF_R | ELF_PF_W | ELF_PF_X;
    s->paddr = paddr;
    s->filesz = filesz;
    s->memsz = memsz;
}

static void linux_common(struct kimage *ki, uint64_t vb)
{
    uint8_t sup[4];

    ki->entry = vb + KI_PADDR + 0x10;
    ki_add_seg(ki, KI_PADDR, 0x180, 0x3000);
    ki_note_str(ki, XEN_ELFNOTE_GUEST_OS, "linux");
    ki_note_str(ki, XEN_ELFNOTE_GUEST_VERSION, "2.6");
    ki_note_str(ki, XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    ki_note_num(ki, XEN_ELFNOTE_VIRT_BASE, vb, ki->is64 ? 8 : 4);
    ki_note_num(ki, XEN_ELFNOTE_ENTRY, ki->entry, ki->is64 ? 8 : 4);
    ki_note_num(ki, XEN_ELFNOTE_HYPERCALL_PAGE, vb + KI_PADDR + 0x1000,
                ki->is64 ? 8 : 4);
    ki_note_str(ki, XEN_ELFNOTE_FEATURES,
                "!writable_page_tables|pae_pgdir_above_4gb");
    le32_store(sup, 1u << XENFEAT_writable_page_tables | 1u << XENFEAT_dom0);
    ki_note(ki, "Xen", XEN_ELFNOTE_SUPPORTED_FEATURES, sup, 4);
    ki_note_str(ki, XEN_ELFNOTE_LOADER, "generic");
    ki_note_num(ki, XEN_ELFNOTE_SUSPEND_CANCEL, 1, 4);
}

void ki_linux64(struct kimage *ki)
{
    ki_init(ki, true);
    linux_common(ki, KI_VIRT_BASE64);
    ki_note_num(ki, XEN_ELFNOTE_INIT_P2M, 0x8000000000ull, 8);
}

void ki_linux32(struct kimage *ki)
{
    ki_init(ki, false);
    linux_common(ki, KI_VIRT_BASE32);
    ki_note_str(ki, XEN_ELFNOTE_PAE_MODE, "yes");
    ki_note_num(ki, XEN_ELFNOTE_HV_START_LOW, 0xf5800000, 4);
}

uint8_t ki_seg_byte(unsigned i, uint64_t j)
{
    return (uint8_t)(0x40 + i * 0x11 + j * 7);
}

/* ---- layout ------------------------------------------------------------------ */

struct layout {
    struct kimage *ki;
    size_t pos;
};

static size_t put(struct layout *l, const void *src, size_t n, size_t align)
{
    size_t at = (l->pos + align - 1) & ~(align - 1);

    if (at + n > KI_MAX)
        abort();
    if (src)
        memcpy(l->ki->b + at, src, n);
    l->pos = at + n;
    return at;
}

static void put_word(const struct kimage *ki, uint8_t *p, uint64_t v)
{
    if (ki->is64)
        le64_store(p, v);
    else
        le32_store(p, (uint32_t)v);
}

static void put_phdr(const struct kimage *ki, uint8_t *p, uint32_t type,
                     uint32_t flags, uint64_t off, uint64_t paddr,
                     uint64_t filesz, uint64_t memsz)
{
    le32_store(p, type);
    if (ki->is64) {
        le32_store(p + 4, flags);
        le64_store(p + 8, off);
        le64_store(p + 16, paddr);      /* vaddr: not used by Xen */
        le64_store(p + 24, paddr);
        le64_store(p + 32, filesz);
        le64_store(p + 40, memsz);
        le64_store(p + 48, 4096);
    } else {
        le32_store(p + 4, (uint32_t)off);
        le32_store(p + 8, (uint32_t)paddr);
        le32_store(p + 12, (uint32_t)paddr);
        le32_store(p + 16, (uint32_t)filesz);
        le32_store(p + 20, (uint32_t)memsz);
        le32_store(p + 24, flags);
        le32_store(p + 28, 4096);
    }
}

static void put_shdr(const struct kimage *ki, uint8_t *p, uint32_t name,
                     uint32_t type, uint64_t off, uint64_t size,
                     uint32_t link)
{
    unsigned w = ki->is64 ? 8 : 4;

    le32_store(p, name);
    le32_store(p + 4, type);
    put_word(ki, p + 8 + 2 * w, off);
    put_word(ki, p + 8 + 3 * w, size);
    le32_store(p + 8 + 4 * w, link);
}

struct section {
    const char *name;
    uint32_t type;
    size_t off, size;
    uint32_t link;
};

/* .symtab (a null entry, then ki->syms) and its .strtab. */
static void put_symbols(struct kimage *ki, struct layout *l,
                        struct section *sec, unsigned *nsec)
{
    unsigned esz = ki->is64 ? 24 : 16;
    uint8_t tab[64 * 24] = { 0 };
    char strs[1024] = "";
    size_t slen = 1;

    if (ki->nsyms >= 64)
        abort();
    for (unsigned i = 0; i < ki->nsyms; i++) {
        const struct ki_sym *s = &ki->syms[i];
        uint8_t *p = tab + (i + 1) * esz;
        size_t n = strlen(s->name) + 1;

        if (slen + n > sizeof(strs))
            abort();
        memcpy(strs + slen, s->name, n);
        le32_store(p, (uint32_t)slen);
        slen += n;
        if (ki->is64) {
            p[4] = s->type;
            le16_store(p + 6, s->shndx);
            le64_store(p + 8, s->value);
            le64_store(p + 16, s->size);
        } else {
            le32_store(p + 4, (uint32_t)s->value);
            le32_store(p + 8, (uint32_t)s->size);
            p[12] = s->type;
            le16_store(p + 14, s->shndx);
        }
    }
    sec[*nsec] = (struct section){ ".symtab", ELF_SHT_SYMTAB,
        put(l, tab, (ki->nsyms + 1) * esz, 8), (ki->nsyms + 1) * esz,
        *nsec + 1 };
    (*nsec)++;
    sec[(*nsec)++] = (struct section){ ".strtab", ELF_SHT_STRTAB,
        put(l, strs, slen, 1), slen, 0 };
}

void ki_build(struct kimage *ki)
{
    struct layout l = { ki, 0 };
    unsigned ehsize = ki->is64 ? 64 : 52, phsz = ki->is64 ? 56 : 32,
             shsz = ki->is64 ? 64 : 40, w = ki->is64 ? 8 : 4;
    bool note_ph = ki->notes_len && !ki->notes_in_section;
    unsigned phnum = ki->nseg + note_ph, nsec = 0;
    struct section sec[8];
    char shstr[256];
    size_t shstr_len = 1, phoff, notes_off = 0, shoff;
    uint8_t *h = ki->b;

    memset(ki->b, 0, sizeof(ki->b));
    put(&l, NULL, ehsize, 1);
    phoff = put(&l, NULL, (size_t)phsz * phnum, 8);
    if (ki->notes_len)
        notes_off = put(&l, ki->notes, ki->notes_len, 4);
    for (unsigned i = 0; i < ki->nseg; i++) {
        size_t at = put(&l, NULL, (size_t)ki->seg[i].filesz, 16);

        ki->seg_file_offset[i] = at;
        for (uint64_t j = 0; j < ki->seg[i].filesz; j++)
            ki->b[at + j] = ki_seg_byte(i, j);
    }

    /* Sections: [0] null, .shstrtab, then the optional ones. */
    memset(sec, 0, sizeof(sec));
    sec[nsec++] = (struct section){ "", 0, 0, 0, 0 };
    sec[nsec++] = (struct section){ ".shstrtab", ELF_SHT_STRTAB, 0, 0, 0 };
    if (ki->notes_len && ki->notes_in_section)
        sec[nsec++] = (struct section){ ".note.Xen", ELF_SHT_NOTE, notes_off,
                                        ki->notes_len, 0 };
    if (ki->xen_guest) {
        size_t n = strlen(ki->xen_guest) + 1;

        sec[nsec++] = (struct section){ "__xen_guest", 1,
            put(&l, ki->xen_guest, n, 1), n, 0 };
    }
    if (ki->symtab && ki->syms) {
        put_symbols(ki, &l, sec, &nsec);
    } else if (ki->symtab) {
        static const uint8_t syms[48];
        static const char strs[] = "\0start";

        sec[nsec] = (struct section){ ".symtab", ELF_SHT_SYMTAB,
            put(&l, syms, sizeof(syms), 8), sizeof(syms), nsec + 1 };
        nsec++;
        sec[nsec++] = (struct section){ ".strtab", ELF_SHT_STRTAB,
            put(&l, strs, sizeof(strs), 1), sizeof(strs), 0 };
    }
    shstr[0] = '\0';
    for (unsigned i = 1; i < nsec; i++) {
        size_t n = strlen(sec[i].name) + 1;

        memcpy(shstr + shstr_len, sec[i].name, n);
        shstr_len += n;
    }
    sec[1].off = put(&l, shstr, shstr_len, 1);
    sec[1].size = shstr_len;
    shoff = put(&l, NULL, (size_t)shsz * nsec, 8);
    if (ki->notes_in_section && ki->notes_len)
        sec[2].size = (size_t)((int64_t)sec[2].size + ki->note_size_adjust);
    for (unsigned i = 0, name = 0; i < nsec; i++) {
        put_shdr(ki, ki->b + shoff + (size_t)shsz * i, (uint32_t)name,
                 sec[i].type, sec[i].off, sec[i].size, sec[i].link);
        name += i ? (unsigned)strlen(sec[i].name) + 1 : 1;
    }

    /* Program headers. */
    for (unsigned i = 0; i < ki->nseg; i++) {
        const struct ki_seg *s = &ki->seg[i];

        put_phdr(ki, ki->b + phoff + (size_t)phsz * i, s->type, s->flags,
                 (uint64_t)((int64_t)ki->seg_file_offset[i] + s->offset_adjust),
                 s->paddr, s->filesz, s->memsz);
    }
    if (note_ph)
        put_phdr(ki, ki->b + phoff + (size_t)phsz * ki->nseg, ELF_PT_NOTE,
                 ELF_PF_R, ki->note_phdr_offset_zero ? 0 : notes_off, 0,
                 (uint64_t)((int64_t)ki->notes_len + ki->note_size_adjust),
                 0);

    /* The ELF header. */
    memcpy(h, "\177ELF", 4);
    h[4] = ki->class_byte ? ki->class_byte : (ki->is64 ? 2 : 1);
    h[5] = ki->data_byte ? ki->data_byte : 1;
    h[6] = 1;
    le16_store(h + 16, 2);                      /* ET_EXEC */
    le16_store(h + 18, ki->machine);
    le32_store(h + 20, 1);
    put_word(ki, h + 24, ki->entry);
    put_word(ki, h + 24 + w, phoff);
    put_word(ki, h + 24 + 2 * w, shoff);
    le16_store(h + 28 + 3 * w, (uint16_t)ehsize);
    le16_store(h + 30 + 3 * w, ki->phentsize_override ?
               ki->phentsize_override : (uint16_t)phsz);
    le16_store(h + 32 + 3 * w, (uint16_t)phnum);
    le16_store(h + 34 + 3 * w, (uint16_t)shsz);
    le16_store(h + 36 + 3 * w, (uint16_t)nsec);
    le16_store(h + 38 + 3 * w, 1);              /* .shstrtab */
    ki->len = l.pos;
}

void ki_seed(const char *tag, const void *data, size_t len)
{
    const char *dir = getenv("XENEMU_FUZZ_SEEDS");
    char path[1024];
    FILE *f;

    if (!dir || !*dir)
        return;
    snprintf(path, sizeof(path), "%s/%s", dir, tag);
    f = fopen(path, "wb");
    if (!f)
        return;
    fwrite(data, 1, len, f);
    fclose(f);
}
