/*
 * xenplat/unpack: plain ELF, each compression format xenemu was built with
 * (compressed here with the same library), synthetic bzImages, nesting,
 * decompression bombs and corrupt data.  A format that was not configured
 * must give an error naming its configure option.
 */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#ifdef CONFIG_LZMA
#include <lzma.h>
#endif
#ifdef CONFIG_ZSTD
#include <zstd.h>
#endif
#ifdef CONFIG_BZIP2
#include <bzlib.h>
#endif
#ifdef CONFIG_LZ4
#include <lz4.h>
#include <lz4frame.h>
#endif

#include "xenemu/le.h"
#include "xenplat/unpack.h"
#include "xenplat/kernel-info.h"
#include "kimage.h"
#include "unit.h"

#define MiB ((size_t)1 << 20)

static struct kimage ki;
static char why[256];

/* A buffer of compressed bytes. */
struct blob {
    uint8_t *p;
    size_t len;
};

static void blob_free(struct blob *b)
{
    free(b->p);
    b->p = NULL;
    b->len = 0;
}

static const uint8_t *elf_image(size_t *len)
{
    ki_linux64(&ki);
    ki_build(&ki);
    *len = ki.len;
    return ki.b;
}

/* Unpack and expect exactly want/want_len. */
static void check_unpacks_to(const uint8_t *in, size_t len, size_t max_out,
                             const uint8_t *want, size_t want_len)
{
    uint8_t *out = NULL;
    size_t out_len = 0;
    int r;

    why[0] = '\0';
    r = unpack_kernel("k", in, len, max_out, &out, &out_len, why, sizeof(why));
    CU_ASSERT_EQUAL(r, 0);
    if (r != 0) {
        fprintf(stderr, "\n  unpack failed: %s\n", why);
        return;
    }
    CU_ASSERT_EQUAL(out_len, want_len);
    CU_ASSERT_TRUE(out_len == want_len && memcmp(out, want, want_len) == 0);
    unpack_free(in, out);
}

static void check_refused(const uint8_t *in, size_t len, size_t max_out,
                          const char *frag)
{
    uint8_t *out = NULL;
    size_t out_len = 0;

    why[0] = '\0';
    CU_ASSERT_EQUAL(unpack_kernel("k", in, len, max_out, &out, &out_len, why,
                                  sizeof(why)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, frag));
    if (!strstr(why, frag))
        fprintf(stderr, "\n  expected \"%s\" in \"%s\"\n", frag, why);
}

/* ---- compressing --------------------------------------------------------------- */

static struct blob gzip(const uint8_t *in, size_t len)
{
    struct blob b;
    z_stream zs;

    memset(&zs, 0, sizeof(zs));
    CU_ASSERT_EQUAL_FATAL(deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 8,
                                       Z_DEFAULT_STRATEGY), Z_OK);
    b.len = deflateBound(&zs, (uLong)len) + 32;
    b.p = malloc(b.len);
    zs.next_in = (Bytef *)(uintptr_t)in;
    zs.avail_in = (uInt)len;
    zs.next_out = b.p;
    zs.avail_out = (uInt)b.len;
    CU_ASSERT_EQUAL(deflate(&zs, Z_FINISH), Z_STREAM_END);
    b.len = zs.total_out;
    deflateEnd(&zs);
    return b;
}

#ifdef CONFIG_LZMA
static struct blob xz(const uint8_t *in, size_t len)
{
    struct blob b;
    size_t pos = 0;

    b.len = lzma_stream_buffer_bound(len);
    b.p = malloc(b.len);
    CU_ASSERT_EQUAL(lzma_easy_buffer_encode(6, LZMA_CHECK_CRC32, NULL, in, len,
                                            b.p, &pos, b.len), LZMA_OK);
    b.len = pos;
    return b;
}

static struct blob lzma_alone(const uint8_t *in, size_t len)
{
    struct blob b;
    lzma_stream s = LZMA_STREAM_INIT;
    lzma_options_lzma opt;

    lzma_lzma_preset(&opt, 6);
    CU_ASSERT_EQUAL_FATAL(lzma_alone_encoder(&s, &opt), LZMA_OK);
    b.len = len + len / 2 + 4096;
    b.p = malloc(b.len);
    s.next_in = in;
    s.avail_in = len;
    s.next_out = b.p;
    s.avail_out = b.len;
    CU_ASSERT_EQUAL(lzma_code(&s, LZMA_FINISH), LZMA_STREAM_END);
    b.len = s.total_out;
    lzma_end(&s);
    return b;
}
#endif

#ifdef CONFIG_ZSTD
static struct blob zstd(const uint8_t *in, size_t len)
{
    struct blob b;

    b.len = ZSTD_compressBound(len);
    b.p = malloc(b.len);
    b.len = ZSTD_compress(b.p, b.len, in, len, 3);
    CU_ASSERT_FALSE(ZSTD_isError(b.len));
    return b;
}
#endif

#ifdef CONFIG_BZIP2
static struct blob bzip2(const uint8_t *in, size_t len)
{
    struct blob b;
    unsigned n = (unsigned)(len + len / 100 + 600);

    b.p = malloc(n);
    CU_ASSERT_EQUAL(BZ2_bzBuffToBuffCompress((char *)b.p, &n,
                                             (char *)(uintptr_t)in,
                                             (unsigned)len, 9, 0, 0), BZ_OK);
    b.len = n;
    return b;
}
#endif

#ifdef CONFIG_LZ4
/* Linux's lz4 legacy format: magic, then (size, block) pairs of at most
 * 8 MiB of input each. */
static struct blob lz4_legacy(const uint8_t *in, size_t len)
{
    struct blob b;
    size_t block = 8 * MiB;

    b.p = malloc(4 + (len / block + 1) * (4 + (size_t)LZ4_compressBound(
                                               (int)block)));
    le32_store(b.p, 0x184C2102);
    b.len = 4;
    for (size_t pos = 0; pos < len; pos += block) {
        size_t n = len - pos < block ? len - pos : block;
        int c = LZ4_compress_default((const char *)in + pos,
                                     (char *)b.p + b.len + 4, (int)n,
                                     LZ4_compressBound((int)n));

        CU_ASSERT_TRUE(c > 0);
        le32_store(b.p + b.len, (uint32_t)c);
        b.len += 4 + (size_t)c;
    }
    return b;
}

static struct blob lz4_frame(const uint8_t *in, size_t len)
{
    struct blob b;

    b.len = LZ4F_compressFrameBound(len, NULL);
    b.p = malloc(b.len);
    b.len = LZ4F_compressFrame(b.p, b.len, in, len, NULL);
    CU_ASSERT_FALSE(LZ4F_isError(b.len));
    return b;
}
#endif

typedef struct blob (*compress_fn)(const uint8_t *in, size_t len);

struct codec {
    const char *format;         /* as unpack_format_available names it */
    const char *magic;          /* to fake data when not configured */
    size_t magic_len;
    const char *option;
    compress_fn compress;       /* NULL when not configured */
};

static const struct codec codecs[] = {
    { "gzip", "\037\213", 2, "", gzip },
#ifdef CONFIG_LZMA
    { "xz", "\3757zXZ\0", 6, "--enable-lzma", xz },
    { "lzma", "\135\0", 2, "--enable-lzma", lzma_alone },
#else
    { "xz", "\3757zXZ\0", 6, "--enable-lzma", NULL },
    { "lzma", "\135\0", 2, "--enable-lzma", NULL },
#endif
#ifdef CONFIG_ZSTD
    { "zstd", "\x28\xb5\x2f\xfd", 4, "--enable-zstd", zstd },
#else
    { "zstd", "\x28\xb5\x2f\xfd", 4, "--enable-zstd", NULL },
#endif
#ifdef CONFIG_BZIP2
    { "bzip2", "BZh", 3, "--enable-bzip2", bzip2 },
#else
    { "bzip2", "BZh", 3, "--enable-bzip2", NULL },
#endif
#ifdef CONFIG_LZ4
    { "lz4", "\x02\x21\x4c\x18", 4, "--enable-lz4", lz4_legacy },
    { "lz4", "\x04\x22\x4d\x18", 4, "--enable-lz4", lz4_frame },
#else
    { "lz4", "\x02\x21\x4c\x18", 4, "--enable-lz4", NULL },
    { "lz4", "\x04\x22\x4d\x18", 4, "--enable-lz4", NULL },
#endif
};

/* Linux's build appends the decompressed size to a bzImage payload
 * (gzip's trailer already is that size). */
static struct blob payload(const struct codec *c, const uint8_t *in,
                           size_t len)
{
    struct blob b = c->compress(in, len);

    if (c->compress != gzip) {
        b.p = realloc(b.p, b.len + 4);
        le32_store(b.p + b.len, (uint32_t)len);
        b.len += 4;
    }
    return b;
}

/* ---- bzImages ------------------------------------------------------------------ */

#define SETUP_SECTS 3
#define PAYLOAD_GAP 0x40        /* payload_offset past the setup code */

static struct blob bzimage(const uint8_t *pl, size_t pl_len, uint16_t version)
{
    struct blob b;
    size_t off = (SETUP_SECTS + 1) * 512 + PAYLOAD_GAP;

    b.len = off + pl_len + 16;
    b.p = calloc(1, b.len);
    b.p[0x1f1] = SETUP_SECTS;
    le16_store(b.p + 0x1fe, 0xaa55);
    memcpy(b.p + 0x202, "HdrS", 4);
    le16_store(b.p + 0x206, version);
    le32_store(b.p + 0x248, PAYLOAD_GAP);
    le32_store(b.p + 0x24c, (uint32_t)pl_len);
    memcpy(b.p + off, pl, pl_len);
    return b;
}

/* ---- tests ------------------------------------------------------------------------ */

static void test_plain_elf(void)
{
    size_t len;
    const uint8_t *elf = elf_image(&len);
    uint8_t *out;
    size_t out_len;

    CU_ASSERT_EQUAL(unpack_kernel(NULL, elf, len, 0, &out, &out_len, why,
                                  sizeof(why)), 0);
    CU_ASSERT_PTR_EQUAL(out, elf);      /* passed through, nothing to free */
    CU_ASSERT_EQUAL(out_len, len);
    unpack_free(elf, out);
}

static void test_not_a_kernel(void)
{
    static const uint8_t junk[600] = "MZ this is not a kernel";

    check_refused(junk, sizeof(junk), MiB, "not an ELF image, a bzImage");
    check_refused(junk, 0, MiB, "not an ELF image");
    check_refused((const uint8_t *)"\211LZO\0\r\n\032\n", 9, MiB,
                  "LZO-compressed kernels are not supported");
}

/* Each format: round trip, a compressed bzImage payload, truncation; or,
 * when not built in, an error naming the configure option. */
static void test_formats(void)
{
    size_t len;
    const uint8_t *elf = elf_image(&len);

    for (size_t i = 0; i < ARRAY_SIZE(codecs); i++) {
        const struct codec *c = &codecs[i];
        struct blob b, pl, bz;
        char tag[64];

        CU_ASSERT_EQUAL(unpack_format_available(c->format), c->compress != NULL);
        if (!c->compress) {
            uint8_t fake[64];

            memset(fake, 0, sizeof(fake));
            memcpy(fake, c->magic, c->magic_len);
            check_refused(fake, sizeof(fake), MiB, c->option);
            check_refused(fake, sizeof(fake), MiB, c->format);
            continue;
        }
        b = c->compress(elf, len);
        check_unpacks_to(b.p, b.len, MiB, elf, len);
        snprintf(tag, sizeof(tag), "linux64.%s.%zu", c->format, i);
        ki_seed(tag, b.p, b.len);

        /* Trailing bytes after the stream are ignored. */
        b.p = realloc(b.p, b.len + 4);
        le32_store(b.p + b.len, (uint32_t)len);
        check_unpacks_to(b.p, b.len + 4, MiB, elf, len);

        /* Truncated data is refused. */
        check_refused(b.p, b.len / 2, MiB, c->format);
        blob_free(&b);

        pl = payload(c, elf, len);
        bz = bzimage(pl.p, pl.len, 0x20f);
        check_unpacks_to(bz.p, bz.len, MiB, elf, len);
        snprintf(tag, sizeof(tag), "bzimage.%s.%zu", c->format, i);
        ki_seed(tag, bz.p, bz.len);
        blob_free(&bz);
        blob_free(&pl);
    }
}

static void test_bzimage_checks(void)
{
    size_t len;
    const uint8_t *elf = elf_image(&len);
    struct blob pl = payload(&codecs[0], elf, len), bz;
    size_t off = (SETUP_SECTS + 1) * 512 + PAYLOAD_GAP;

    bz = bzimage(pl.p, pl.len, 0x207);
    check_refused(bz.p, bz.len, MiB, "older than 2.08");
    blob_free(&bz);

    bz = bzimage(pl.p, pl.len, 0x208);
    check_unpacks_to(bz.p, bz.len, MiB, elf, len);
    check_refused(bz.p, 0x240, MiB, "setup header truncated");
    check_refused(bz.p, off + pl.len - 1, MiB, "extends past the end");
    le32_store(bz.p + 0x248, 0xfffffff0);
    check_refused(bz.p, bz.len, MiB, "extends past the end");
    le32_store(bz.p + 0x248, PAYLOAD_GAP);

    /* The decompressed size must be within the limit. */
    check_refused(bz.p, bz.len, len - 1, "more than the limit");
    blob_free(&bz);
    blob_free(&pl);

    /* And exact (gzip checks its own trailer; the others rely on the
     * size Linux appends). */
    for (size_t i = 1; i < ARRAY_SIZE(codecs); i++) {
        if (!codecs[i].compress)
            continue;
        pl = payload(&codecs[i], elf, len);
        bz = bzimage(pl.p, pl.len, 0x20f);
        le32_store(bz.p + off + pl.len - 4, (uint32_t)len - 1);
        check_refused(bz.p, bz.len, MiB, "more than the");
        le32_store(bz.p + off + pl.len - 4, (uint32_t)len + 1);
        check_refused(bz.p, bz.len, MiB, "size field gives");
        blob_free(&bz);
        blob_free(&pl);
    }

    /* Xen takes only compressed payloads, which must hold an ELF image. */
    bz = bzimage(elf, len, 0x20f);
    check_refused(bz.p, bz.len, MiB, "not compressed in a known format");
    blob_free(&bz);
    {
        static const uint8_t text[100] = "no ELF here";

        pl = gzip(text, sizeof(text));
        bz = bzimage(pl.p, pl.len, 0x20f);
        check_refused(bz.p, bz.len, MiB, "payload is not an ELF image");
        blob_free(&bz);
        blob_free(&pl);
    }
}

/* A compressed bzImage, and compressed data that is not a kernel. */
static void test_nesting(void)
{
    size_t len;
    const uint8_t *elf = elf_image(&len);
    struct blob pl = payload(&codecs[0], elf, len), bz, outer, twice;
    static const uint8_t text[100] = "no ELF here";

    bz = bzimage(pl.p, pl.len, 0x20f);
    outer = gzip(bz.p, bz.len);
    check_unpacks_to(outer.p, outer.len, MiB, elf, len);
    twice = gzip(outer.p, outer.len);
    check_unpacks_to(twice.p, twice.len, MiB, elf, len);
    blob_free(&twice);
    blob_free(&outer);
    outer = gzip(text, sizeof(text));
    check_refused(outer.p, outer.len, MiB,
                  "gzip-compressed data is not an ELF image");
    blob_free(&outer);

    /* Endless nesting stops. */
    outer = gzip(elf, len);
    for (int i = 0; i < 4; i++) {
        twice = gzip(outer.p, outer.len);
        blob_free(&outer);
        outer = twice;
    }
    check_refused(outer.p, outer.len, MiB, "nested");
    blob_free(&outer);
    blob_free(&bz);
    blob_free(&pl);
}

/* 16 MiB of zeros in a few KiB: refused at the limit, whatever the
 * format says about its size. */
static void test_bomb(void)
{
    size_t big = 16 * MiB;
    uint8_t *zeros = calloc(1, big);
    struct blob b;

    memcpy(zeros, "\177ELF", 4);
    for (size_t i = 0; i < ARRAY_SIZE(codecs); i++) {
        const struct codec *c = &codecs[i];

        if (!c->compress)
            continue;
        b = c->compress(zeros, big);
        CU_ASSERT_TRUE(b.len < big / 64);
        check_refused(b.p, b.len, MiB, "more than the limit");
        check_unpacks_to(b.p, b.len, big, zeros, big);
        blob_free(&b);
    }
    free(zeros);
}

static void test_corrupt(void)
{
    size_t len;
    const uint8_t *elf = elf_image(&len);

    for (size_t i = 0; i < ARRAY_SIZE(codecs); i++) {
        const struct codec *c = &codecs[i];
        struct blob b;

        if (!c->compress)
            continue;
        b = c->compress(elf, len);
        /* Flip bytes in the middle of the stream. */
        for (size_t j = b.len / 3; j < b.len / 3 + 8 && j < b.len; j++)
            b.p[j] ^= 0x5a;
        why[0] = '\0';
        {
            uint8_t *out = NULL;
            size_t out_len;
            int r = unpack_kernel("k", b.p, b.len, MiB, &out, &out_len, why,
                                  sizeof(why));

            /* Either refused, or (no checksum caught it) not the image. */
            if (r == 0) {
                CU_ASSERT_TRUE(out_len != len || memcmp(out, elf, len) != 0);
                unpack_free(b.p, out);
            } else {
                CU_ASSERT_TRUE(why[0] != '\0');
            }
        }
        blob_free(&b);
    }
}

UNIT_SUITE(unpack)
{
    CU_pSuite s = CU_add_suite("unpack", NULL, NULL);

    UNIT_TEST(s, test_plain_elf);
    UNIT_TEST(s, test_not_a_kernel);
    UNIT_TEST(s, test_formats);
    UNIT_TEST(s, test_bzimage_checks);
    UNIT_TEST(s, test_nesting);
    UNIT_TEST(s, test_bomb);
    UNIT_TEST(s, test_corrupt);
}
