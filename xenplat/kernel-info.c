/* Xen PV kernel notes, checks and segment loading (libelf's domain info). */
#include <stdlib.h>
#include <string.h>
#include "xenplat/elf.h"
#include "xenplat/kernel-info.h"
#include "xenplat/why.h"

typedef unsigned long long ull;     /* for printf */

#define XEN_PAGE_SIZE 4096u
#define XEN_SUPPORTED_VERSION "xen-3.0"

/* What one parse has found so far. */
struct parse {
    struct xen_kernel *k;
    const struct elf_image *ei;
    unsigned xen_notes;         /* "Xen" notes seen */
    bool have_guest_info;       /* __xen_guest was used */
    uint64_t pstart, pend;      /* physical extent of the PT_LOAD segments */
    char *why;
    size_t why_len;
};

/* ---- features ---------------------------------------------------------- */

static const char *const feature_names[] = {
    [XENFEAT_writable_page_tables] = "writable_page_tables",
    [XENFEAT_writable_descriptor_tables] = "writable_descriptor_tables",
    [XENFEAT_auto_translated_physmap] = "auto_translated_physmap",
    [XENFEAT_supervisor_mode_kernel] = "supervisor_mode_kernel",
    [XENFEAT_pae_pgdir_above_4gb] = "pae_pgdir_above_4gb",
    [XENFEAT_hvm_callback_vector] = "hvm_callback_vector",
    [XENFEAT_dom0] = "dom0",
};

/* libelf reads each name into a 64-byte buffer: longer ones are split. */
#define FEATURE_NAME_MAX 63

bool xen_feature_test(const uint32_t *map, unsigned f)
{
    return f < 32 * XENFEAT_NR_SUBMAPS && (map[f / 32] >> (f % 32)) & 1;
}

static void feature_set(uint32_t *map, unsigned f)
{
    map[f / 32] |= 1u << (f % 32);
}

static int feature_lookup(const char *name)
{
    for (unsigned i = 0; i < ARRAY_SIZE(feature_names); i++) {
        if (feature_names[i] && strcmp(name, feature_names[i]) == 0)
            return (int)i;
    }
    return -1;
}

int xen_parse_features(const char *s, uint32_t *supported, uint32_t *required)
{
    while (*s) {
        char name[FEATURE_NAME_MAX + 1];
        size_t len = 0;
        bool req;
        int f;

        while (len < FEATURE_NAME_MAX && *s && *s != '|')
            name[len++] = *s++;
        if (len < FEATURE_NAME_MAX && *s == '|')
            s++;
        name[len] = '\0';
        req = name[0] == '!';
        f = feature_lookup(name + req);
        if (f >= 0) {
            feature_set(supported, (unsigned)f);
            if (req && required)
                feature_set(required, (unsigned)f);
        } else if (req && required) {
            return -1;
        }
    }
    return 0;
}

/* ---- the Xen notes ------------------------------------------------------- */

enum note_kind { NOTE_NONE, NOTE_NUM, NOTE_STR, NOTE_WORDS };

static const struct {
    const char *name;
    enum note_kind kind;
} note_table[] = {
    [XEN_ELFNOTE_ENTRY] = { "ENTRY", NOTE_NUM },
    [XEN_ELFNOTE_HYPERCALL_PAGE] = { "HYPERCALL_PAGE", NOTE_NUM },
    [XEN_ELFNOTE_VIRT_BASE] = { "VIRT_BASE", NOTE_NUM },
    [XEN_ELFNOTE_PADDR_OFFSET] = { "PADDR_OFFSET", NOTE_NUM },
    [XEN_ELFNOTE_XEN_VERSION] = { "XEN_VERSION", NOTE_STR },
    [XEN_ELFNOTE_GUEST_OS] = { "GUEST_OS", NOTE_STR },
    [XEN_ELFNOTE_GUEST_VERSION] = { "GUEST_VERSION", NOTE_STR },
    [XEN_ELFNOTE_LOADER] = { "LOADER", NOTE_STR },
    [XEN_ELFNOTE_PAE_MODE] = { "PAE_MODE", NOTE_STR },
    [XEN_ELFNOTE_FEATURES] = { "FEATURES", NOTE_STR },
    [XEN_ELFNOTE_BSD_SYMTAB] = { "BSD_SYMTAB", NOTE_STR },
    [XEN_ELFNOTE_HV_START_LOW] = { "HV_START_LOW", NOTE_NUM },
    [XEN_ELFNOTE_L1_MFN_VALID] = { "L1_MFN_VALID", NOTE_NUM },
    [XEN_ELFNOTE_SUSPEND_CANCEL] = { "SUSPEND_CANCEL", NOTE_NUM },
    [XEN_ELFNOTE_INIT_P2M] = { "INIT_P2M", NOTE_NUM },
    [XEN_ELFNOTE_MOD_START_PFN] = { "MOD_START_PFN", NOTE_NUM },
    [XEN_ELFNOTE_SUPPORTED_FEATURES] = { "SUPPORTED_FEATURES", NOTE_WORDS },
    [XEN_ELFNOTE_PHYS32_ENTRY] = { "PHYS32_ENTRY", NOTE_NUM },
};

static void copy_str(char dst[XEN_KERNEL_STR_MAX], const char *src)
{
    size_t n = strlen(src);

    if (n > XEN_KERNEL_STR_MAX - 1)
        n = XEN_KERNEL_STR_MAX - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static int bad_features(struct parse *ps, const char *s)
{
    return why_set(ps->why, ps->why_len, "FEATURES \"%.80s\" requires a "
                   "feature Xen does not know", s);
}

/* One string-valued note or key. */
static int apply_string(struct parse *ps, unsigned type, const char *s)
{
    struct xen_kernel *k = ps->k;

    switch (type) {
    case XEN_ELFNOTE_LOADER: copy_str(k->loader, s); break;
    case XEN_ELFNOTE_GUEST_OS: copy_str(k->guest_os, s); break;
    case XEN_ELFNOTE_GUEST_VERSION: copy_str(k->guest_version, s); break;
    case XEN_ELFNOTE_XEN_VERSION: copy_str(k->xen_version, s); break;
    case XEN_ELFNOTE_PAE_MODE:
        if (strcmp(s, "yes") == 0)
            k->pae = XEN_PAE_EXTCR3;
        if (strstr(s, "bimodal"))
            k->pae = XEN_PAE_BIMODAL;
        break;
    case XEN_ELFNOTE_BSD_SYMTAB:
        if (strcmp(s, "yes") == 0)
            k->bsd_symtab = true;
        break;
    case XEN_ELFNOTE_FEATURES:
        if (xen_parse_features(s, k->f_supported, k->f_required) < 0)
            return bad_features(ps, s);
        break;
    }
    return 0;
}

static void apply_number(struct xen_kernel *k, unsigned type, uint64_t v)
{
    switch (type) {
    case XEN_ELFNOTE_ENTRY: k->virt_entry = v; break;
    case XEN_ELFNOTE_HYPERCALL_PAGE: k->hypercall_page = v; break;
    case XEN_ELFNOTE_VIRT_BASE: k->virt_base = v; break;
    case XEN_ELFNOTE_PADDR_OFFSET: k->paddr_offset = v; break;
    case XEN_ELFNOTE_HV_START_LOW: k->hv_start_low = v; break;
    case XEN_ELFNOTE_L1_MFN_VALID: k->l1_mfn_valid = v; break;
    case XEN_ELFNOTE_SUSPEND_CANCEL: k->suspend_cancel = v; break;
    case XEN_ELFNOTE_INIT_P2M: k->init_p2m = v; break;
    case XEN_ELFNOTE_MOD_START_PFN: k->mod_start_pfn = v != 0; break;
    case XEN_ELFNOTE_PHYS32_ENTRY: k->phys32_entry = (uint32_t)v; break;
    }
}

static int parse_xen_note(struct parse *ps, const struct elf_note *n)
{
    unsigned type = n->type;
    const char *name;

    if (type >= ARRAY_SIZE(note_table) || note_table[type].kind == NOTE_NONE)
        return 0;                       /* unknown notes are ignored */
    name = note_table[type].name;
    switch (note_table[type].kind) {
    case NOTE_STR:
        /* Linux's FEATURES note leaves its NUL to the padding. */
        if (!memchr(n->desc, '\0', n->desc_room))
            return why_set(ps->why, ps->why_len, "Xen note %s at offset "
                           "%#llx: string is not NUL-terminated", name,
                           (ull)n->offset);
        return apply_string(ps, type, (const char *)n->desc);
    case NOTE_WORDS:
        for (unsigned i = 0; i < XENFEAT_NR_SUBMAPS; i++)
            ps->k->f_supported[i] |= elf_note_word(n, i);
        return 0;
    default:
        apply_number(ps->k, type, elf_note_numeric(n));
        return 0;
    }
}

/* The notes of one region; counts the Xen ones in ps->xen_notes. */
static int parse_note_region(struct parse *ps, uint64_t off, uint64_t size)
{
    struct elf_note_iter it;
    struct elf_note n;
    int r;

    if (elf_notes_begin(&it, ps->ei, off, size, ps->why, ps->why_len) < 0)
        return -1;
    while ((r = elf_note_next(&it, &n, ps->why, ps->why_len)) > 0) {
        if (!elf_note_named(&n, "Xen"))
            continue;
        if (parse_xen_note(ps, &n) < 0)
            return -1;
        ps->xen_notes++;
    }
    return r;
}

/* PT_NOTE segments (those with p_offset 0 are skipped: some binutils got
 * it wrong); only when they hold no Xen note, every SHT_NOTE section. */
static int parse_notes(struct parse *ps)
{
    const struct elf_image *ei = ps->ei;

    for (unsigned i = 0; i < ei->phnum; i++) {
        struct elf_phdr ph;

        elf_get_phdr(ei, i, &ph);
        if (ph.type == ELF_PT_NOTE && ph.offset != 0 &&
            parse_note_region(ps, ph.offset, ph.filesz) < 0)
            return -1;
    }
    if (ps->xen_notes)
        return 0;
    for (unsigned i = 1; i < ei->shnum; i++) {
        struct elf_shdr sh;

        elf_get_shdr(ei, i, &sh);
        if (sh.type == ELF_SHT_NOTE &&
            parse_note_region(ps, sh.offset, sh.size) < 0)
            return -1;
    }
    return 0;
}

/* ---- the legacy __xen_guest string -------------------------------------- */

#define GUEST_INFO_NAME_MAX 31
#define GUEST_INFO_VALUE_MAX 127

/* The string's bytes; reading past the section reads NUL. */
struct guest_info {
    const uint8_t *p;
    size_t len, pos;
};

static int gi_peek(const struct guest_info *gi)
{
    return gi->pos < gi->len ? gi->p[gi->pos] : 0;
}

/* Copies up to max characters until NUL or ','; a ',' is consumed, and
 * '=' too when stop_at_eq (then *saw_eq is set). */
static void gi_token(struct guest_info *gi, char *out, size_t max,
                     bool stop_at_eq, bool *saw_eq)
{
    size_t n = 0;
    int c;

    while (n < max && (c = gi_peek(gi)) != 0) {
        gi->pos++;
        if (c == ',')
            break;
        if (c == '=' && stop_at_eq) {
            *saw_eq = true;
            break;
        }
        out[n++] = (char)c;
    }
    out[n] = '\0';
}

static uint64_t gi_number(const char *v)
{
    return strtoull(v, NULL, 0);
}

static int apply_guest_key(struct parse *ps, const char *key, const char *v)
{
    static const struct {
        const char *key;
        unsigned type;
    } strings[] = {
        { "LOADER", XEN_ELFNOTE_LOADER }, { "GUEST_OS", XEN_ELFNOTE_GUEST_OS },
        { "GUEST_VER", XEN_ELFNOTE_GUEST_VERSION },
        { "XEN_VER", XEN_ELFNOTE_XEN_VERSION },
    }, numbers[] = {
        { "VIRT_BASE", XEN_ELFNOTE_VIRT_BASE },
        { "VIRT_ENTRY", XEN_ELFNOTE_ENTRY },
        { "ELF_PADDR_OFFSET", XEN_ELFNOTE_PADDR_OFFSET },
    };
    struct xen_kernel *k = ps->k;

    for (unsigned i = 0; i < ARRAY_SIZE(strings); i++) {
        if (strcmp(key, strings[i].key) == 0)
            return apply_string(ps, strings[i].type, v);
    }
    for (unsigned i = 0; i < ARRAY_SIZE(numbers); i++) {
        if (strcmp(key, numbers[i].key) == 0)
            apply_number(k, numbers[i].type, gi_number(v));
    }
    if (strcmp(key, "PAE") == 0) {
        if (strcmp(v, "yes[extended-cr3]") == 0)
            k->pae = XEN_PAE_EXTCR3;
        else if (strncmp(v, "yes", 3) == 0)
            k->pae = XEN_PAE_YES;
    } else if (strcmp(key, "BSD_SYMTAB") == 0) {
        k->bsd_symtab = true;
    } else if (strcmp(key, "HYPERCALL_PAGE") == 0) {
        k->hypercall_page = gi_number(v) << 12;     /* a page number */
    } else if (strcmp(key, "FEATURES") == 0) {
        if (xen_parse_features(v, k->f_supported, k->f_required) < 0)
            return bad_features(ps, v);
    }
    return 0;
}

static int parse_guest_info(struct parse *ps, const struct elf_shdr *sh)
{
    struct guest_info gi;
    struct xen_kernel *k = ps->k;

    if (!elf_range_ok(ps->ei, sh->offset, sh->size))
        return why_set(ps->why, ps->why_len, "__xen_guest section (offset "
                       "%#llx, %#llx bytes) extends past the end of the file",
                       (ull)sh->offset, (ull)sh->size);
    gi.p = ps->ei->data + sh->offset;
    gi.len = (size_t)sh->size;
    gi.pos = 0;
    while (gi_peek(&gi)) {
        char key[GUEST_INFO_NAME_MAX + 1], value[GUEST_INFO_VALUE_MAX + 1];
        bool eq = false;

        gi_token(&gi, key, GUEST_INFO_NAME_MAX, true, &eq);
        value[0] = '\0';
        if (eq)
            gi_token(&gi, value, GUEST_INFO_VALUE_MAX, false, &eq);
        if (apply_guest_key(ps, key, value) < 0)
            return -1;
    }
    if (k->virt_base != XEN_UNSET_ADDR && k->hypercall_page != XEN_UNSET_ADDR)
        k->hypercall_page += k->virt_base;
    ps->have_guest_info = true;
    k->legacy = true;
    return 0;
}

/* ---- segments ------------------------------------------------------------ */

static bool loadable(const struct elf_phdr *ph)
{
    return ph->type == ELF_PT_LOAD &&
           (ph->flags & (ELF_PF_R | ELF_PF_W | ELF_PF_X)) != 0;
}

static int check_segment(const struct elf_image *ei, unsigned i,
                         const struct elf_phdr *ph, char *why, size_t why_len)
{
    if (ph->filesz > ph->memsz)
        return why_set(why, why_len, "PT_LOAD segment %u: file size %#llx "
                       "exceeds memory size %#llx", i, (ull)ph->filesz,
                       (ull)ph->memsz);
    if (!elf_range_ok(ei, ph->offset, ph->filesz))
        return why_set(why, why_len, "PT_LOAD segment %u (offset %#llx, "
                       "%#llx bytes) extends past the end of the file",
                       i, (ull)ph->offset, (ull)ph->filesz);
    if (ph->paddr + ph->memsz < ph->paddr)
        return why_set(why, why_len, "PT_LOAD segment %u at %#llx "
                       "(%#llx bytes) wraps around the address space", i,
                       (ull)ph->paddr, (ull)ph->memsz);
    return 0;
}

/* The physical extent of the loadable segments (libelf's pstart/pend),
 * and libelf's limit on how much loading may write in all. */
static int scan_segments(struct parse *ps)
{
    const struct elf_image *ei = ps->ei;
    uint64_t total = 0, span;
    unsigned count = 0;

    ps->pstart = UINT64_MAX;
    ps->pend = 0;
    for (unsigned i = 0; i < ei->phnum; i++) {
        struct elf_phdr ph;

        elf_get_phdr(ei, i, &ph);
        if (!loadable(&ph))
            continue;
        if (check_segment(ei, i, &ph, ps->why, ps->why_len) < 0)
            return -1;
        if (ph.paddr < ps->pstart)
            ps->pstart = ph.paddr;
        if (ph.paddr + ph.memsz > ps->pend)
            ps->pend = ph.paddr + ph.memsz;
        total = total + ph.memsz < total ? UINT64_MAX : total + ph.memsz;
        count++;
    }
    if (count == 0)
        return why_set(ps->why, ps->why_len, "no loadable (PT_LOAD) segments");
    span = ps->pend - ps->pstart;
    span = span > UINT64_MAX - (XEN_PAGE_SIZE - 1) ? UINT64_MAX :
           (span + XEN_PAGE_SIZE - 1) & ~(uint64_t)(XEN_PAGE_SIZE - 1);
    if (total / 2 > span)
        return why_set(ps->why, ps->why_len, "PT_LOAD segments total %#llx "
                       "bytes, more than twice the %#llx bytes they span",
                       (ull)total, (ull)span);
    return 0;
}

/* ---- checks (elf_xen_note_check, elf_xen_addr_calc_check) ------------------ */

static int check_machine(struct parse *ps)
{
    uint16_t m = ps->ei->machine;

    if (m != ELF_EM_386 && m != ELF_EM_X86_64)
        return why_set(ps->why, ps->why_len, "ELF machine %u is not x86 "
                       "(EM_386 or EM_X86_64)", m);
    return 0;
}

static int check_notes(struct parse *ps)
{
    const struct xen_kernel *k = ps->k;

    if (!ps->xen_notes && !ps->have_guest_info)
        return why_set(ps->why, ps->why_len, "not a Xen PV kernel: no Xen "
                       "ELF notes and no __xen_guest section");
    if (strncmp(k->loader, "generic", 7) != 0 &&
        strncmp(k->guest_os, "linux", 5) != 0)
        return why_set(ps->why, ps->why_len, "Xen only loads kernels built "
                       "for the generic loader or Linux (LOADER \"%s\", "
                       "GUEST_OS \"%s\")", k->loader, k->guest_os);
    if (strncmp(k->xen_version, XEN_SUPPORTED_VERSION, 7) != 0)
        return why_set(ps->why, ps->why_len, "XEN_VERSION \"%s\" does not "
                       "start with \"" XEN_SUPPORTED_VERSION "\": Xen only "
                       "loads kernels built for Xen 3.0", k->xen_version);
    return 0;
}

static int calc_addresses(struct parse *ps)
{
    struct xen_kernel *k = ps->k;

    if (k->paddr_offset != XEN_UNSET_ADDR && k->virt_base == XEN_UNSET_ADDR)
        return why_set(ps->why, ps->why_len,
                       "ELF_PADDR_OFFSET set, VIRT_BASE unset");
    if (k->virt_base == XEN_UNSET_ADDR)
        k->virt_base = 0;
    /* The legacy string's default keeps old kernels whose p_paddr equal
     * their virtual addresses working; with notes the default is 0. */
    if (k->paddr_offset == XEN_UNSET_ADDR)
        k->paddr_offset = ps->have_guest_info ? k->virt_base : 0;
    k->virt_offset = k->virt_base - k->paddr_offset;
    k->virt_kstart = ps->pstart + k->virt_offset;
    k->virt_kend = ps->pend + k->virt_offset;
    if (k->virt_entry == XEN_UNSET_ADDR)
        k->virt_entry = ps->ei->entry;
    if (k->virt_kstart > k->virt_kend || k->virt_entry < k->virt_kstart ||
        k->virt_entry > k->virt_kend || k->virt_base > k->virt_kstart)
        return why_set(ps->why, ps->why_len, "ELF start or entry out of "
                       "bounds: need VIRT_BASE %#llx <= kernel start %#llx "
                       "<= entry %#llx <= kernel end %#llx",
                       (ull)k->virt_base, (ull)k->virt_kstart,
                       (ull)k->virt_entry, (ull)k->virt_kend);
    if (k->init_p2m != XEN_UNSET_ADDR && k->init_p2m >= k->virt_kstart &&
        k->init_p2m < k->virt_kend)
        return why_set(ps->why, ps->why_len, "INIT_P2M %#llx lies inside "
                       "the kernel [%#llx, %#llx)", (ull)k->init_p2m,
                       (ull)k->virt_kstart, (ull)k->virt_kend);
    k->has_hypercall_page = k->hypercall_page != XEN_UNSET_ADDR;
    return 0;
}

/* Would libelf load a symbol table for BSD_SYMTAB?  (elf_init's search:
 * the first SHT_SYMTAB section, when its link names a string table.) */
static bool has_bsd_symtab(const struct elf_image *ei)
{
    for (unsigned i = 1; i < ei->shnum; i++) {
        struct elf_shdr sh, str;

        elf_get_shdr(ei, i, &sh);
        if (sh.type != ELF_SHT_SYMTAB)
            continue;
        if (sh.link == 0 || sh.link >= ei->shnum)
            return false;
        elf_get_shdr(ei, sh.link, &str);
        return str.type == ELF_SHT_STRTAB;
    }
    return false;
}

/* The toolstack's checks for a PV domU on 64-bit Xen. */
static int check_domu(struct parse *ps)
{
    struct xen_kernel *k = ps->k;

    if (k->bsd_symtab && has_bsd_symtab(ps->ei))
        return why_set(ps->why, ps->why_len, "BSD_SYMTAB: loading the "
                       "symbol table after the kernel is not supported");
    if (xen_feature_test(k->f_required, XENFEAT_dom0))
        return why_set(ps->why, ps->why_len, "kernel requires the dom0 "
                       "feature: it cannot run as an unprivileged domU");
    if (ps->ei->machine == ELF_EM_X86_64) {
        k->is_64 = true;
        k->guest_type = "xen-3.0-x86_64";
    } else if (k->pae != XEN_PAE_NO) {
        k->guest_type = "xen-3.0-x86_32p";
    } else {
        return why_set(ps->why, ps->why_len, "32-bit kernel without PAE "
                       "(no PAE_MODE): guest type xen-3.0-x86_32 is not "
                       "supported by 64-bit Xen");
    }
    for (unsigned i = 0; i < XENFEAT_NR_SUBMAPS; i++) {
        if ((k->f_required[i] & k->f_supported[i]) != k->f_required[i])
            return why_set(ps->why, ps->why_len, "kernel requires features "
                           "it does not support");
    }
    if (xen_feature_test(k->f_required, XENFEAT_auto_translated_physmap))
        return why_set(ps->why, ps->why_len, "kernel requires "
                       "auto_translated_physmap: PV guests with an "
                       "auto-translated physmap are not supported");
    return 0;
}

static void kernel_init(struct xen_kernel *k, const struct elf_image *ei)
{
    memset(k, 0, sizeof(*k));
    k->elf64 = ei->is64;
    k->virt_base = XEN_UNSET_ADDR;
    k->paddr_offset = XEN_UNSET_ADDR;
    k->virt_entry = XEN_UNSET_ADDR;
    k->hypercall_page = XEN_UNSET_ADDR;
    k->init_p2m = XEN_UNSET_ADDR;
    k->hv_start_low = XEN_UNSET_ADDR;
    k->phys32_entry = XEN_UNSET_ADDR;
}

int xen_kernel_parse(struct xen_kernel *k, const uint8_t *elf, size_t len,
                     char *why, size_t why_len)
{
    struct elf_image ei;
    struct parse ps = { .k = k, .ei = &ei, .why = why, .why_len = why_len };
    struct elf_shdr sh;

    if (elf_open(&ei, elf, len, why, why_len) < 0)
        return -1;
    kernel_init(k, &ei);
    if (check_machine(&ps) < 0 || scan_segments(&ps) < 0 ||
        parse_notes(&ps) < 0)
        return -1;
    if (!ps.xen_notes && elf_find_section(&ei, "__xen_guest", &sh) >= 0 &&
        parse_guest_info(&ps, &sh) < 0)
        return -1;
    if (check_notes(&ps) < 0 || calc_addresses(&ps) < 0)
        return -1;
    return check_domu(&ps);
}

/* ---- loading --------------------------------------------------------------- */

int xen_kernel_load(const struct xen_kernel *k, const uint8_t *elf,
                    size_t len, xen_kernel_write_fn write, void *opaque,
                    char *why, size_t why_len)
{
    struct elf_image ei;

    if (elf_open(&ei, elf, len, why, why_len) < 0)
        return -1;
    for (unsigned i = 0; i < ei.phnum; i++) {
        struct elf_phdr ph;
        uint64_t va, zero;

        elf_get_phdr(&ei, i, &ph);
        if (!loadable(&ph))
            continue;
        if (check_segment(&ei, i, &ph, why, why_len) < 0)
            return -1;
        va = ph.paddr + k->virt_offset;
        zero = ph.memsz - ph.filesz;
        if (va < k->virt_kstart || va - k->virt_kstart > k->virt_kend -
            k->virt_kstart || ph.memsz > k->virt_kend - va)
            return why_set(why, why_len, "PT_LOAD segment %u lies outside "
                           "the parsed kernel: not the same image?", i);
        if (zero > SIZE_MAX ||
            (ph.filesz && write(opaque, va, elf + ph.offset,
                                (size_t)ph.filesz) < 0) ||
            (zero && write(opaque, va + ph.filesz, NULL, (size_t)zero) < 0))
            return why_set(why, why_len, "PT_LOAD segment %u [%#llx, %#llx) "
                           "does not fit in guest memory", i, (ull)va,
                           (ull)(va + ph.memsz));
    }
    return 0;
}
