/*
 * xenplat/elf and xenplat/kernel-info: the ELF reader, the Xen notes and
 * the legacy __xen_guest string, every check Xen makes on a PV domU kernel
 * and every rejection of corrupt input, and segment loading.  Images are
 * built in memory by kimage.c.
 */
#include <stdlib.h>
#include <string.h>

#include "xenemu/le.h"
#include "xenplat/elf.h"
#include "xenplat/kernel-info.h"
#include "kimage.h"
#include "unit.h"

static struct kimage ki;
static struct xen_kernel xk;
static char why[256];

static int parse(void)
{
    ki_build(&ki);
    why[0] = '\0';
    return xen_kernel_parse(&xk, ki.b, ki.len, why, sizeof(why));
}

/* Parsing fails with a message containing frag. */
#define CHECK_REJECT(frag) do {                                           \
        CU_ASSERT_EQUAL(parse(), -1);                                     \
        CU_ASSERT_PTR_NOT_NULL(strstr(why, (frag)));                      \
        if (!strstr(why, (frag)))                                         \
            fprintf(stderr, "\n  expected \"%s\" in \"%s\"\n", (frag), why); \
    } while (0)

#define CHECK_ACCEPT() do {                                               \
        CU_ASSERT_EQUAL(parse(), 0);                                      \
        if (why[0])                                                       \
            fprintf(stderr, "\n  unexpected error: %s\n", why);           \
    } while (0)

/* ---- valid kernels ----------------------------------------------------------- */

static void test_linux64(void)
{
    ki_linux64(&ki);
    CHECK_ACCEPT();
    ki_seed("linux64.elf", ki.b, ki.len);
    CU_ASSERT_TRUE(xk.is_64);
    CU_ASSERT_TRUE(xk.elf64);
    CU_ASSERT_FALSE(xk.legacy);
    CU_ASSERT_STRING_EQUAL(xk.guest_type, "xen-3.0-x86_64");
    CU_ASSERT_EQUAL(xk.virt_base, KI_VIRT_BASE64);
    CU_ASSERT_EQUAL(xk.paddr_offset, 0);
    CU_ASSERT_EQUAL(xk.virt_offset, KI_VIRT_BASE64);
    CU_ASSERT_EQUAL(xk.virt_kstart, KI_VIRT_BASE64 + KI_PADDR);
    CU_ASSERT_EQUAL(xk.virt_kend, KI_VIRT_BASE64 + KI_PADDR + 0x3000);
    CU_ASSERT_EQUAL(xk.virt_entry, KI_VIRT_BASE64 + KI_PADDR + 0x10);
    CU_ASSERT_TRUE(xk.has_hypercall_page);
    CU_ASSERT_EQUAL(xk.hypercall_page, KI_VIRT_BASE64 + KI_PADDR + 0x1000);
    CU_ASSERT_EQUAL(xk.init_p2m, 0x8000000000ull);
    CU_ASSERT_EQUAL(xk.hv_start_low, XEN_UNSET_ADDR);
    CU_ASSERT_EQUAL(xk.suspend_cancel, 1);
    CU_ASSERT_FALSE(xk.mod_start_pfn);
    CU_ASSERT_STRING_EQUAL(xk.guest_os, "linux");
    CU_ASSERT_TRUE(xen_feature_test(xk.f_required,
                                    XENFEAT_writable_page_tables));
    CU_ASSERT_STRING_EQUAL(xk.loader, "generic");
    CU_ASSERT_STRING_EQUAL(xk.xen_version, "xen-3.0");
    CU_ASSERT_STRING_EQUAL(xk.guest_version, "2.6");
    CU_ASSERT_EQUAL(xk.f_required[0], 1u << XENFEAT_writable_page_tables);
    CU_ASSERT_EQUAL(xk.f_supported[0], 1u << XENFEAT_writable_page_tables |
                    1u << XENFEAT_pae_pgdir_above_4gb | 1u << XENFEAT_dom0);
    CU_ASSERT_EQUAL(xk.pae, XEN_PAE_NO);
}

static void test_linux32_pae(void)
{
    ki_linux32(&ki);
    CHECK_ACCEPT();
    ki_seed("linux32.elf", ki.b, ki.len);
    CU_ASSERT_FALSE(xk.is_64);
    CU_ASSERT_FALSE(xk.elf64);
    CU_ASSERT_STRING_EQUAL(xk.guest_type, "xen-3.0-x86_32p");
    CU_ASSERT_EQUAL(xk.pae, XEN_PAE_EXTCR3);
    CU_ASSERT_EQUAL(xk.virt_base, KI_VIRT_BASE32);
    CU_ASSERT_EQUAL(xk.virt_kstart, KI_VIRT_BASE32 + KI_PADDR);
    CU_ASSERT_EQUAL(xk.hv_start_low, 0xf5800000u);
    CU_ASSERT_EQUAL(xk.init_p2m, XEN_UNSET_ADDR);

    ki_note_str(&ki, XEN_ELFNOTE_PAE_MODE, "bimodal");
    CHECK_ACCEPT();
    CU_ASSERT_EQUAL(xk.pae, XEN_PAE_BIMODAL);
    CU_ASSERT_STRING_EQUAL(xk.guest_type, "xen-3.0-x86_32p");
}

static void test_linux32_no_pae(void)
{
    ki_init(&ki, false);
    ki_add_seg(&ki, 0x100000, 0x10, 0x1000);
    ki.entry = 0x100000;
    ki_note_str(&ki, XEN_ELFNOTE_GUEST_OS, "linux");
    ki_note_str(&ki, XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    CHECK_REJECT("without PAE");
    ki_note_str(&ki, XEN_ELFNOTE_PAE_MODE, "no");
    CHECK_REJECT("xen-3.0-x86_32");
    ki_note_str(&ki, XEN_ELFNOTE_PAE_MODE, "yes");
    CHECK_ACCEPT();
    /* With no VIRT_BASE and ENTRY the defaults are 0 and e_entry. */
    CU_ASSERT_EQUAL(xk.virt_base, 0);
    CU_ASSERT_EQUAL(xk.virt_entry, 0x100000);
    CU_ASSERT_FALSE(xk.has_hypercall_page);
    CU_ASSERT_EQUAL(xk.hypercall_page, XEN_UNSET_ADDR);
}

static void test_legacy_guest_info(void)
{
    ki_init(&ki, false);
    ki_add_seg(&ki, 0xc0100000, 0x40, 0x2000);
    ki.entry = 0xc0100000;
    ki.xen_guest = "GUEST_OS=linux,GUEST_VER=2.6,XEN_VER=xen-3.0,"
                   "VIRT_BASE=0xC0000000,HYPERCALL_PAGE=0x101,"
                   "PAE=yes[extended-cr3],LOADER=generic";
    CHECK_ACCEPT();
    ki_seed("legacy32.elf", ki.b, ki.len);
    CU_ASSERT_TRUE(xk.legacy);
    /* ELF_PADDR_OFFSET defaults to VIRT_BASE in the legacy string. */
    CU_ASSERT_EQUAL(xk.paddr_offset, 0xc0000000);
    CU_ASSERT_EQUAL(xk.virt_offset, 0);
    CU_ASSERT_EQUAL(xk.virt_kstart, 0xc0100000);
    CU_ASSERT_EQUAL(xk.hypercall_page, 0xc0000000 + (0x101 << 12));
    CU_ASSERT_EQUAL(xk.pae, XEN_PAE_EXTCR3);
    CU_ASSERT_STRING_EQUAL(xk.guest_version, "2.6");

    ki.xen_guest = "GUEST_OS=linux,XEN_VER=xen-3.0,VIRT_BASE=0xC0000000,"
                   "ELF_PADDR_OFFSET=0,VIRT_ENTRY=0xC0100004,PAE=yes,"
                   "FEATURES=writable_page_tables,BSD_SYMTAB";
    ki.seg[0].paddr = 0x100000;
    CHECK_ACCEPT();
    CU_ASSERT_EQUAL(xk.pae, XEN_PAE_YES);
    CU_ASSERT_EQUAL(xk.paddr_offset, 0);
    CU_ASSERT_EQUAL(xk.virt_kstart, 0xc0100000);
    CU_ASSERT_EQUAL(xk.virt_entry, 0xc0100004);
    CU_ASSERT_TRUE(xk.bsd_symtab);         /* no symtab: nothing to load */
    CU_ASSERT_EQUAL(xk.f_supported[0], 1u << XENFEAT_writable_page_tables);

    /* A page number without VIRT_BASE stays relative to 0. */
    ki.xen_guest = "GUEST_OS=linux,XEN_VER=xen-3.0,HYPERCALL_PAGE=0x100,"
                   "PAE=yes";
    ki.entry = 0x100000;
    CHECK_ACCEPT();
    CU_ASSERT_EQUAL(xk.hypercall_page, 0x100000);

    ki.xen_guest = "GUEST_OS=linux,XEN_VER=xen-3.0,ELF_PADDR_OFFSET=0,PAE=yes";
    CHECK_REJECT("ELF_PADDR_OFFSET set, VIRT_BASE unset");
    ki.xen_guest = "GUEST_OS=netbsd,XEN_VER=xen-3.0,PAE=yes";
    CHECK_REJECT("generic loader or Linux");
    ki.xen_guest = "GUEST_OS=linux,XEN_VER=xen-3.0,PAE=yes,FEATURES=!bogus";
    CHECK_REJECT("requires a feature");
    /* Over-long keys and values are split where libelf splits them. */
    ki.xen_guest = "GUEST_OS=linux,XEN_VER=xen-3.0,PAE=yes,"
                   "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAVIRT_BASE=0x1000";
    ki.seg[0].paddr = 0x100000;
    ki.entry = 0x100000;
    CHECK_ACCEPT();
    CU_ASSERT_EQUAL(xk.virt_base, 0x1000);
}

/* Notes in an SHT_NOTE section, used when no PT_NOTE has Xen notes; a
 * PT_NOTE whose p_offset is 0 is skipped. */
static void test_note_section(void)
{
    ki_linux64(&ki);
    ki.notes_in_section = true;
    CHECK_ACCEPT();
    CU_ASSERT_EQUAL(xk.virt_base, KI_VIRT_BASE64);

    ki_linux64(&ki);
    ki.note_phdr_offset_zero = true;
    CHECK_REJECT("not a Xen PV kernel");
}

static void test_note_numeric_sizes(void)
{
    static const struct { unsigned size; uint64_t expect; } cases[] = {
        { 1, 0x88 }, { 2, 0x7788 }, { 4, 0x55667788 },
        { 8, 0x1122334455667788ull }, { 3, 0 }, { 0, 0 }, { 16, 0 },
    };

    for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
        uint8_t d[16];

        memset(d, 0, sizeof(d));
        le64_store(d, 0x1122334455667788ull);
        ki_linux64(&ki);
        ki_note(&ki, "Xen", XEN_ELFNOTE_HV_START_LOW, d, cases[i].size);
        CHECK_ACCEPT();
        CU_ASSERT_EQUAL(xk.hv_start_low, cases[i].expect);
    }
    /* A numeric note of a size Xen reads as 0 is still "set" to 0. */
    ki_linux64(&ki);
    ki_note(&ki, "Xen", XEN_ELFNOTE_INIT_P2M, "abc", 3);
    CHECK_ACCEPT();
    CU_ASSERT_EQUAL(xk.init_p2m, 0);
    /* MOD_START_PFN is a flag; PHYS32_ENTRY is 32 bits. */
    ki_note_num(&ki, XEN_ELFNOTE_MOD_START_PFN, 0x100, 2);
    ki_note_num(&ki, XEN_ELFNOTE_PHYS32_ENTRY, 0x123456789ull, 8);
    CHECK_ACCEPT();
    CU_ASSERT_TRUE(xk.mod_start_pfn);
    CU_ASSERT_EQUAL(xk.phys32_entry, 0x23456789);
}

static void test_notes_other_names_ignored(void)
{
    ki_linux64(&ki);
    /* A "GNU" note and a "Xenx" note of Xen's types change nothing. */
    ki_note(&ki, "GNU", XEN_ELFNOTE_XEN_VERSION, "xen-2.0", 8);
    ki_note(&ki, "Xenx", XEN_ELFNOTE_XEN_VERSION, "xen-2.0", 8);
    /* Unknown Xen note types are ignored. */
    ki_note_num(&ki, 200, 5, 4);
    ki_note_num(&ki, XEN_ELFNOTE_INFO, 5, 4);
    CHECK_ACCEPT();
    CU_ASSERT_STRING_EQUAL(xk.xen_version, "xen-3.0");
}

static void test_strings_truncated_like_libelf(void)
{
    ki_linux64(&ki);
    ki_note_str(&ki, XEN_ELFNOTE_GUEST_VERSION, "0123456789abcdefghij");
    ki_note_str(&ki, XEN_ELFNOTE_XEN_VERSION, "xen-3.0-and-a-long-tail");
    CHECK_ACCEPT();
    CU_ASSERT_STRING_EQUAL(xk.guest_version, "0123456789abcde");
    CU_ASSERT_STRING_EQUAL(xk.xen_version, "xen-3.0-and-a-l");
}

/* ---- features ----------------------------------------------------------------- */

static void test_feature_strings(void)
{
    uint32_t sup[1], req[1];
    char longname[100];

    sup[0] = req[0] = 0;
    CU_ASSERT_EQUAL(xen_parse_features("writable_page_tables|!dom0||"
                                       "hvm_callback_vector|unknown",
                                       sup, req), 0);
    CU_ASSERT_EQUAL(sup[0], 1u << 0 | 1u << 11 | 1u << 8);
    CU_ASSERT_EQUAL(req[0], 1u << 11);
    CU_ASSERT_EQUAL(xen_parse_features("!nope", sup, req), -1);
    CU_ASSERT_EQUAL(xen_parse_features("!", sup, req), -1);
    CU_ASSERT_EQUAL(xen_parse_features("!nope", sup, NULL), 0);
    /* A name is cut after 63 characters and the rest is another name. */
    memset(longname, 'x', 63);
    strcpy(longname + 63, "dom0");
    sup[0] = req[0] = 0;
    CU_ASSERT_EQUAL(xen_parse_features(longname, sup, req), 0);
    CU_ASSERT_EQUAL(sup[0], 1u << XENFEAT_dom0);
    CU_ASSERT_TRUE(xen_feature_test(sup, XENFEAT_dom0));
    CU_ASSERT_FALSE(xen_feature_test(sup, XENFEAT_writable_page_tables));
    CU_ASSERT_FALSE(xen_feature_test(sup, 40));
}

static void test_feature_checks(void)
{
    uint8_t words[8];

    ki_linux64(&ki);
    ki_note_str(&ki, XEN_ELFNOTE_FEATURES, "!frobnicate");
    CHECK_REJECT("requires a feature Xen does not know");

    ki_linux64(&ki);
    ki_note_str(&ki, XEN_ELFNOTE_FEATURES, "frobnicate|supervisor_mode_kernel");
    CHECK_ACCEPT();
    CU_ASSERT_TRUE(xen_feature_test(xk.f_supported,
                                    XENFEAT_supervisor_mode_kernel));

    ki_linux64(&ki);
    ki_note_str(&ki, XEN_ELFNOTE_FEATURES, "!dom0");
    CHECK_REJECT("dom0");

    ki_linux64(&ki);
    ki_note_str(&ki, XEN_ELFNOTE_FEATURES, "auto_translated_physmap");
    CHECK_ACCEPT();
    ki_note_str(&ki, XEN_ELFNOTE_FEATURES, "!auto_translated_physmap");
    CHECK_REJECT("auto_translated_physmap");

    /* SUPPORTED_FEATURES: word 0 ORed in, only for sizes that are a
     * multiple of 4. */
    ki_linux64(&ki);
    le32_store(words, 1u << XENFEAT_hvm_callback_vector);
    le32_store(words + 4, 0xffffffff);
    ki_note(&ki, "Xen", XEN_ELFNOTE_SUPPORTED_FEATURES, words, 8);
    ki_note(&ki, "Xen", XEN_ELFNOTE_SUPPORTED_FEATURES, words + 4, 3);
    CHECK_ACCEPT();
    CU_ASSERT_TRUE(xen_feature_test(xk.f_supported,
                                    XENFEAT_hvm_callback_vector));
    CU_ASSERT_FALSE(xen_feature_test(xk.f_supported, 31));
}

/* ---- Xen's checks --------------------------------------------------------------- */

static void test_not_xen_kernels(void)
{
    ki_init(&ki, true);
    ki_add_seg(&ki, 0x100000, 0x10, 0x10);
    ki.entry = 0x100000;
    CHECK_REJECT("not a Xen PV kernel");
    ki_note(&ki, "GNU", 3, "abcd", 4);
    CHECK_REJECT("not a Xen PV kernel");

    ki_linux64(&ki);
    ki.machine = 40;                    /* EM_ARM */
    CHECK_REJECT("not x86");
}

static void test_version_and_loader(void)
{
    ki_linux64(&ki);
    ki_note_str(&ki, XEN_ELFNOTE_XEN_VERSION, "xen-2.0");
    CHECK_REJECT("does not start with \"xen-3.0\"");
    ki_note_str(&ki, XEN_ELFNOTE_XEN_VERSION, "");
    CHECK_REJECT("xen-3.0");

    /* Either LOADER=generic* or GUEST_OS=linux* will do. */
    ki_linux64(&ki);
    ki_note_str(&ki, XEN_ELFNOTE_GUEST_OS, "Mini-OS");
    CHECK_ACCEPT();
    ki_note_str(&ki, XEN_ELFNOTE_LOADER, "elfloader");
    CHECK_REJECT("generic loader or Linux");
    ki_note_str(&ki, XEN_ELFNOTE_GUEST_OS, "linux-xtf");
    CHECK_ACCEPT();
}

static void test_address_checks(void)
{
    ki_linux64(&ki);
    ki_note_num(&ki, XEN_ELFNOTE_ENTRY, KI_VIRT_BASE64 + KI_PADDR + 0x3001, 8);
    CHECK_REJECT("out of bounds");
    ki_note_num(&ki, XEN_ELFNOTE_ENTRY, KI_VIRT_BASE64 + KI_PADDR + 0x3000, 8);
    CHECK_ACCEPT();                     /* entry == kend is allowed */
    ki_note_num(&ki, XEN_ELFNOTE_ENTRY, KI_VIRT_BASE64 + KI_PADDR - 1, 8);
    CHECK_REJECT("out of bounds");

    /* VIRT_BASE above the kernel's start. */
    ki_linux64(&ki);
    ki_note_num(&ki, XEN_ELFNOTE_VIRT_BASE, KI_VIRT_BASE64 + KI_PADDR + 1, 8);
    ki_note_num(&ki, XEN_ELFNOTE_PADDR_OFFSET, KI_PADDR + 1, 8);
    CHECK_REJECT("out of bounds");

    /* PADDR_OFFSET: VA = p_paddr + VIRT_BASE - PADDR_OFFSET. */
    ki_linux64(&ki);
    ki_note_num(&ki, XEN_ELFNOTE_PADDR_OFFSET, 0x100000, 8);
    ki_note_num(&ki, XEN_ELFNOTE_ENTRY, KI_VIRT_BASE64 + 0x100000, 8);
    ki_note_num(&ki, XEN_ELFNOTE_INIT_P2M, XEN_UNSET_ADDR, 8);
    CHECK_ACCEPT();
    CU_ASSERT_EQUAL(xk.virt_kstart, KI_VIRT_BASE64 + 0x100000);
    CU_ASSERT_EQUAL(xk.virt_offset, KI_VIRT_BASE64 - 0x100000);

    ki_init(&ki, true);
    ki_add_seg(&ki, 0x100000, 0x10, 0x1000);
    ki.entry = 0x100000;
    ki_note_str(&ki, XEN_ELFNOTE_GUEST_OS, "linux");
    ki_note_str(&ki, XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    ki_note_num(&ki, XEN_ELFNOTE_PADDR_OFFSET, 0, 8);
    CHECK_REJECT("ELF_PADDR_OFFSET set, VIRT_BASE unset");

    /* INIT_P2M inside the kernel; at its end is fine. */
    ki_linux64(&ki);
    ki_note_num(&ki, XEN_ELFNOTE_INIT_P2M, KI_VIRT_BASE64 + KI_PADDR + 0x2fff,
                8);
    CHECK_REJECT("INIT_P2M");
    ki_note_num(&ki, XEN_ELFNOTE_INIT_P2M, KI_VIRT_BASE64 + KI_PADDR + 0x3000,
                8);
    CHECK_ACCEPT();
}

static void test_bsd_symtab(void)
{
    ki_linux64(&ki);
    ki_note_str(&ki, XEN_ELFNOTE_BSD_SYMTAB, "yes");
    CHECK_ACCEPT();
    CU_ASSERT_TRUE(xk.bsd_symtab);
    ki.symtab = true;
    CHECK_REJECT("BSD_SYMTAB");
    ki_linux64(&ki);
    ki.symtab = true;
    CHECK_ACCEPT();
    CU_ASSERT_FALSE(xk.bsd_symtab);
}

/* ---- corrupt input -------------------------------------------------------------- */

static void test_header_rejections(void)
{
    ki_linux64(&ki);
    ki.data_byte = 2;
    CHECK_REJECT("little-endian");
    ki_linux64(&ki);
    ki.class_byte = 3;
    CHECK_REJECT("class");
    ki_linux64(&ki);
    ki.phentsize_override = 40;
    CHECK_REJECT("entry size 40");

    ki_linux64(&ki);
    ki_build(&ki);
    le64_store(ki.b + 32, ki.len - 10);             /* e_phoff */
    CU_ASSERT_EQUAL(xen_kernel_parse(&xk, ki.b, ki.len, why, sizeof(why)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "program header table"));
    le64_store(ki.b + 32, UINT64_MAX - 8);
    CU_ASSERT_EQUAL(xen_kernel_parse(&xk, ki.b, ki.len, why, sizeof(why)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "program header table"));
    ki_build(&ki);
    le16_store(ki.b + 60, 0xffff);                  /* e_shnum */
    CU_ASSERT_EQUAL(xen_kernel_parse(&xk, ki.b, ki.len, why, sizeof(why)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "section header table"));

    CU_ASSERT_EQUAL(xen_kernel_parse(&xk, (const uint8_t *)"MZ\0\0", 4, why,
                                     sizeof(why)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "not an ELF image"));
}

static void test_segment_rejections(void)
{
    ki_linux64(&ki);
    ki.seg[0].memsz = 0x100;
    CHECK_REJECT("exceeds memory size");

    ki_linux64(&ki);
    ki.seg[0].offset_adjust = KI_MAX;
    CHECK_REJECT("past the end of the file");

    ki_linux64(&ki);
    ki.seg[0].paddr = UINT64_MAX - 0x100;
    CHECK_REJECT("wraps");

    /* Only PT_LOAD with some of R/W/X loads (libelf's rule). */
    ki_linux64(&ki);
    ki.seg[0].flags = 0;
    CHECK_REJECT("no loadable");
    ki.seg[0].flags = ELF_PF_R;
    CHECK_ACCEPT();

    /* Segments that overlap many times over. */
    ki_linux64(&ki);
    for (unsigned i = 1; i < KI_MAX_SEGS; i++)
        ki_add_seg(&ki, KI_PADDR, 0x10, 0x3000);
    CHECK_REJECT("more than twice");
    ki.nseg = 2;
    CHECK_ACCEPT();                     /* twice is still allowed */

    /* A huge segment parses (the builder checks memory); its span is
     * reported. */
    ki_linux64(&ki);
    ki.seg[0].memsz = 1ull << 30;
    CHECK_ACCEPT();
    CU_ASSERT_EQUAL(xk.virt_kend - xk.virt_kstart, 1ull << 30);
    /* One whose end wraps past 2^64 once moved to virt_base. */
    ki.seg[0].memsz = 1ull << 40;
    CHECK_REJECT("out of bounds");
}

static void test_note_rejections(void)
{
    ki_linux64(&ki);
    ki.note_size_adjust = 2;
    CHECK_REJECT("truncated note header");
    ki.note_size_adjust = -2;
    CHECK_REJECT("extends past the end of its segment");
    ki.note_size_adjust = KI_MAX;
    CHECK_REJECT("past the end of the file");
    ki.notes_in_section = true;
    ki.note_size_adjust = -2;
    CHECK_REJECT("extends past the end of its segment or section");

    /* A note whose sizes run past the region. */
    ki_linux64(&ki);
    ki_build(&ki);
    {
        struct elf_image ei;
        struct elf_phdr ph;

        CU_ASSERT_EQUAL(elf_open(&ei, ki.b, ki.len, why, sizeof(why)), 0);
        elf_get_phdr(&ei, 1, &ph);
        CU_ASSERT_EQUAL(ph.type, ELF_PT_NOTE);
        le32_store(ki.b + ph.offset + 4, 0xfffffffd);     /* descsz */
        CU_ASSERT_EQUAL(xen_kernel_parse(&xk, ki.b, ki.len, why,
                                         sizeof(why)), -1);
        CU_ASSERT_PTR_NOT_NULL(strstr(why, "extends past the end"));
        le32_store(ki.b + ph.offset + 4, 6);
        le32_store(ki.b + ph.offset, 0xffffffff);         /* namesz */
        CU_ASSERT_EQUAL(xen_kernel_parse(&xk, ki.b, ki.len, why,
                                         sizeof(why)), -1);
        CU_ASSERT_PTR_NOT_NULL(strstr(why, "extends past the end"));
    }

    /* A string note without its NUL, even in the padding. */
    ki_linux64(&ki);
    ki_note(&ki, "Xen", XEN_ELFNOTE_GUEST_OS, "linu", 4);
    CHECK_REJECT("not NUL-terminated");
    /* Debian's Linux 6.1: FEATURES' descsz leaves the NUL to the padding. */
    ki_linux64(&ki);
    ki_note(&ki, "Xen", XEN_ELFNOTE_GUEST_OS, "linux", 5);
    ki_note(&ki, "Xen", XEN_ELFNOTE_FEATURES, "!writable_page_tables", 21);
    CHECK_ACCEPT();
    CU_ASSERT_STRING_EQUAL(xk.guest_os, "linux");

    /* __xen_guest outside the file. */
    ki_init(&ki, false);
    ki_add_seg(&ki, 0x100000, 0x10, 0x1000);
    ki.xen_guest = "GUEST_OS=linux";
    ki_build(&ki);
    {
        struct elf_image ei;
        struct elf_shdr sh;
        int idx;

        CU_ASSERT_EQUAL(elf_open(&ei, ki.b, ki.len, why, sizeof(why)), 0);
        idx = elf_find_section(&ei, "__xen_guest", &sh);
        CU_ASSERT_TRUE(idx > 0);
        le32_store(ki.b + ei.shoff + (size_t)ei.shentsize * (unsigned)idx + 20,
                   0x100000);           /* sh_size */
        CU_ASSERT_EQUAL(xen_kernel_parse(&xk, ki.b, ki.len, why,
                                         sizeof(why)), -1);
        CU_ASSERT_PTR_NOT_NULL(strstr(why, "__xen_guest section"));
    }
}

/* Every strict prefix of a valid image is refused, never read past. */
static void test_truncations(void)
{
    for (int pass = 0; pass < 3; pass++) {
        if (pass == 0)
            ki_linux64(&ki);
        else if (pass == 1)
            ki_linux32(&ki);
        else
            test_legacy_guest_info();
        ki_build(&ki);
        for (size_t n = 0; n < ki.len; n++) {
            uint8_t *copy = malloc(n ? n : 1);

            memcpy(copy, ki.b, n);
            why[0] = '\0';
            CU_ASSERT_EQUAL(xen_kernel_parse(&xk, copy, n, why, sizeof(why)),
                            -1);
            CU_ASSERT_TRUE(why[0] != '\0');
            free(copy);
        }
    }
}

/* ---- the reader ------------------------------------------------------------------ */

static void test_elf_reader(void)
{
    struct elf_image ei;
    struct elf_shdr sh;
    struct elf_note_iter it;
    struct elf_note n;
    unsigned count = 0;

    ki_linux32(&ki);
    ki.notes_in_section = true;
    ki_build(&ki);
    CU_ASSERT_EQUAL(elf_open(&ei, ki.b, ki.len, why, sizeof(why)), 0);
    CU_ASSERT_FALSE(ei.is64);
    CU_ASSERT_EQUAL(ei.machine, ELF_EM_386);
    CU_ASSERT_EQUAL(ei.entry, KI_VIRT_BASE32 + KI_PADDR + 0x10);
    CU_ASSERT_EQUAL(ei.phnum, 1);
    CU_ASSERT_EQUAL(elf_find_section(&ei, ".note.Xen", &sh), 2);
    CU_ASSERT_EQUAL(sh.type, ELF_SHT_NOTE);
    CU_ASSERT_STRING_EQUAL(elf_section_name(&ei, &sh), ".note.Xen");
    CU_ASSERT_EQUAL(elf_find_section(&ei, "__xen_guest", &sh), -1);
    CU_ASSERT_EQUAL(elf_notes_begin(&it, &ei, ki.len, 1, why, sizeof(why)),
                    -1);
    CU_ASSERT_EQUAL(elf_notes_begin(&it, &ei, 1, UINT64_MAX, why,
                                    sizeof(why)), -1);
    elf_find_section(&ei, ".note.Xen", &sh);
    CU_ASSERT_EQUAL(elf_notes_begin(&it, &ei, sh.offset, sh.size, why,
                                    sizeof(why)), 0);
    while (elf_note_next(&it, &n, why, sizeof(why)) > 0) {
        CU_ASSERT_TRUE(elf_note_named(&n, "Xen"));
        CU_ASSERT_FALSE(elf_note_named(&n, "Xe"));
        if (n.type == XEN_ELFNOTE_GUEST_OS)
            CU_ASSERT_STRING_EQUAL((const char *)n.desc, "linux");
        count++;
    }
    CU_ASSERT_EQUAL(count, 12);

    /* A section name past its string table is no name. */
    sh.name = 0x10000;
    CU_ASSERT_PTR_NULL(elf_section_name(&ei, &sh));
}

/* ---- loading ----------------------------------------------------------------------- */

struct guest {
    uint64_t base;
    uint8_t mem[0x8000];
    unsigned calls;
};

static int guest_write(void *opaque, uint64_t va, const void *src, size_t n)
{
    struct guest *g = opaque;

    g->calls++;
    if (va < g->base || va - g->base > sizeof(g->mem) ||
        n > sizeof(g->mem) - (va - g->base))
        return -1;
    if (src)
        memcpy(g->mem + (va - g->base), src, n);
    else
        memset(g->mem + (va - g->base), 0, n);
    return 0;
}

static void test_load(void)
{
    static struct guest g;
    uint64_t kstart;
    bool ok = true;

    ki_linux64(&ki);
    ki_add_seg(&ki, KI_PADDR + 0x4000, 0x20, 0x20);
    ki_add_seg(&ki, KI_PADDR + 0x5000, 0, 0x800);   /* all bss */
    ki.seg[2].flags = 0;                            /* not loadable */
    ki_add_seg(&ki, KI_PADDR + 0x6000, 0x10, 0x10);
    CHECK_ACCEPT();
    kstart = xk.virt_kstart;
    CU_ASSERT_EQUAL(xk.virt_kend - kstart, 0x6010);
    g.base = kstart;
    g.calls = 0;
    memset(g.mem, 0xcc, sizeof(g.mem));
    CU_ASSERT_EQUAL(xen_kernel_load(&xk, ki.b, ki.len, guest_write, &g, why,
                                    sizeof(why)), 0);
    CU_ASSERT_EQUAL(g.calls, 4);
    for (uint64_t j = 0; j < 0x3000; j++)
        ok = ok && g.mem[j] == (j < 0x180 ? ki_seg_byte(0, j) : 0);
    for (uint64_t j = 0; j < 0x20; j++)
        ok = ok && g.mem[0x4000 + j] == ki_seg_byte(1, j);
    for (uint64_t j = 0; j < 0x10; j++)
        ok = ok && g.mem[0x6000 + j] == ki_seg_byte(3, j);
    ok = ok && g.mem[0x3000] == 0xcc && g.mem[0x5000] == 0xcc;
    CU_ASSERT_TRUE(ok);

    /* The callback refusing: the segment is named. */
    g.base = kstart + 0x1000;
    CU_ASSERT_EQUAL(xen_kernel_load(&xk, ki.b, ki.len, guest_write, &g, why,
                                    sizeof(why)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "segment 0"));

    /* Bytes that do not match the parse. */
    ki.seg[3].paddr = KI_PADDR + 0x7000;
    ki_build(&ki);
    g.base = kstart;
    CU_ASSERT_EQUAL(xen_kernel_load(&xk, ki.b, ki.len, guest_write, &g, why,
                                    sizeof(why)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "outside the parsed kernel"));
}

static void test_load_32(void)
{
    static struct guest g;

    ki_linux32(&ki);
    CHECK_ACCEPT();
    g.base = xk.virt_kstart;
    memset(g.mem, 0xcc, sizeof(g.mem));
    CU_ASSERT_EQUAL(xen_kernel_load(&xk, ki.b, ki.len, guest_write, &g, why,
                                    sizeof(why)), 0);
    CU_ASSERT_EQUAL(g.mem[0], ki_seg_byte(0, 0));
    CU_ASSERT_EQUAL(g.mem[0x17f], ki_seg_byte(0, 0x17f));
    CU_ASSERT_EQUAL(g.mem[0x180], 0);
    CU_ASSERT_EQUAL(g.mem[0x2fff], 0);
    CU_ASSERT_EQUAL(g.mem[0x3000], 0xcc);
}

UNIT_SUITE(xen_kernel)
{
    CU_pSuite s = CU_add_suite("xen_kernel", NULL, NULL);

    UNIT_TEST(s, test_linux64);
    UNIT_TEST(s, test_linux32_pae);
    UNIT_TEST(s, test_linux32_no_pae);
    UNIT_TEST(s, test_legacy_guest_info);
    UNIT_TEST(s, test_note_section);
    UNIT_TEST(s, test_note_numeric_sizes);
    UNIT_TEST(s, test_notes_other_names_ignored);
    UNIT_TEST(s, test_strings_truncated_like_libelf);
    UNIT_TEST(s, test_feature_strings);
    UNIT_TEST(s, test_feature_checks);
    UNIT_TEST(s, test_not_xen_kernels);
    UNIT_TEST(s, test_version_and_loader);
    UNIT_TEST(s, test_address_checks);
    UNIT_TEST(s, test_bsd_symtab);
    UNIT_TEST(s, test_header_rejections);
    UNIT_TEST(s, test_segment_rejections);
    UNIT_TEST(s, test_note_rejections);
    UNIT_TEST(s, test_truncations);
    UNIT_TEST(s, test_elf_reader);
    UNIT_TEST(s, test_load);
    UNIT_TEST(s, test_load_32);
}
