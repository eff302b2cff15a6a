/* Kernel files: ELF, compressed ELF, Linux bzImage. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#define ZLIB_CONST
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
#include "xenplat/why.h"

/* ---- output buffer ------------------------------------------------------- */

/* Grows up to limit + 1 bytes: holding limit + 1 means "too large". */
struct outbuf {
    uint8_t *p;
    size_t len, cap, limit;
};

#define OUTBUF_FIRST ((size_t)1 << 20)

/* Room for more output: the number of free bytes, 0 when the limit has
 * been passed, or -1 when out of memory. */
static long long ob_space(struct outbuf *ob)
{
    size_t max = ob->limit + 1, cap;
    uint8_t *p;

    if (ob->len < ob->cap)
        return (long long)(ob->cap - ob->len);
    if (ob->cap >= max)
        return 0;
    cap = ob->cap ? ob->cap : OUTBUF_FIRST;
    if (ob->cap && cap <= max / 2)
        cap *= 2;
    else if (ob->cap)
        cap = max;
    if (cap > max)
        cap = max;
    p = realloc(ob->p, cap);
    if (!p)
        return -1;
    ob->p = p;
    ob->cap = cap;
    return (long long)(cap - ob->len);
}

/* Decoders return 0 at the end of the stream, DEC_TOO_BIG when the output
 * passes ob->limit, or -1 with why set. */
#define DEC_TOO_BIG (-2)

typedef int (*decode_fn)(const uint8_t *in, size_t len, struct outbuf *ob,
                         char *why, size_t why_len);

static int no_memory(char *why, size_t why_len)
{
    return why_set(why, why_len, "out of memory while decompressing");
}

/* The next output window, or DEC_TOO_BIG / -1. */
static int ob_window(struct outbuf *ob, size_t max, uint8_t **p, size_t *n,
                     char *why, size_t why_len)
{
    long long space = ob_space(ob);

    /* -1 spelled out (not no_memory's value): lets the compiler see that
     * a positive result always comes with *p and *n set. */
    if (space < 0) {
        no_memory(why, why_len);
        return -1;
    }
    if (space == 0)
        return DEC_TOO_BIG;
    *p = ob->p + ob->len;
    *n = (unsigned long long)space < max ? (size_t)space : max;
    return 1;
}

/* ---- gzip (zlib) ------------------------------------------------------------- */

static int decode_gzip(const uint8_t *in, size_t len, struct outbuf *ob,
                       char *why, size_t why_len)
{
    z_stream zs;
    int r, st = 0;

    memset(&zs, 0, sizeof(zs));
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
        return no_memory(why, why_len);
    for (;;) {
        uint8_t *out;
        size_t n, chunk = len > UINT_MAX ? UINT_MAX : len;

        st = ob_window(ob, UINT_MAX, &out, &n, why, why_len);
        if (st <= 0)
            break;
        if (zs.avail_in == 0) {
            zs.next_in = in;
            zs.avail_in = (uInt)chunk;
            in += chunk;
            len -= chunk;
        }
        zs.next_out = out;
        zs.avail_out = (uInt)n;
        r = inflate(&zs, Z_NO_FLUSH);
        ob->len += n - zs.avail_out;
        if (r == Z_STREAM_END) {
            st = 0;
            break;
        }
        if (r == Z_BUF_ERROR && zs.avail_in == 0 && len == 0) {
            st = why_set(why, why_len, "gzip data is truncated");
            break;
        }
        if (r != Z_OK && r != Z_BUF_ERROR) {
            st = why_set(why, why_len, "gzip data is corrupt (%s)",
                         zs.msg ? zs.msg : "zlib error");
            break;
        }
    }
    inflateEnd(&zs);
    return st;
}

/* ---- xz and lzma (liblzma) ------------------------------------------------------ */

#ifdef CONFIG_LZMA
/* Xen's decoder memory limit. */
#define LZMA_MEMLIMIT ((uint64_t)256 << 20)

static const char *lzma_problem(lzma_ret r)
{
    switch (r) {
    case LZMA_MEM_ERROR: return "out of memory";
    case LZMA_MEMLIMIT_ERROR: return "needs more than 256 MiB to decode";
    case LZMA_FORMAT_ERROR: return "format not recognized";
    case LZMA_OPTIONS_ERROR: return "unsupported compression options";
    case LZMA_DATA_ERROR: return "data is corrupt";
    case LZMA_BUF_ERROR: return "data is truncated";
    default: return "liblzma error";
    }
}

static int decode_lzma_stream(lzma_stream *s, const char *what,
                              const uint8_t *in, size_t len,
                              struct outbuf *ob, char *why, size_t why_len)
{
    lzma_ret r;
    int st;

    s->next_in = in;
    s->avail_in = len;
    for (;;) {
        uint8_t *out;
        size_t n;

        st = ob_window(ob, SIZE_MAX, &out, &n, why, why_len);
        if (st <= 0)
            break;
        s->next_out = out;
        s->avail_out = n;
        r = lzma_code(s, LZMA_FINISH);
        ob->len += n - s->avail_out;
        if (r == LZMA_STREAM_END) {
            st = 0;
            break;
        }
        if (r != LZMA_OK) {
            st = why_set(why, why_len, "%s data: %s", what, lzma_problem(r));
            break;
        }
    }
    lzma_end(s);
    return st;
}

static int decode_xz(const uint8_t *in, size_t len, struct outbuf *ob,
                     char *why, size_t why_len)
{
    lzma_stream s = LZMA_STREAM_INIT;

    if (lzma_stream_decoder(&s, LZMA_MEMLIMIT, 0) != LZMA_OK)
        return no_memory(why, why_len);
    return decode_lzma_stream(&s, "xz", in, len, ob, why, why_len);
}

static int decode_lzma(const uint8_t *in, size_t len, struct outbuf *ob,
                       char *why, size_t why_len)
{
    lzma_stream s = LZMA_STREAM_INIT;

    if (lzma_alone_decoder(&s, LZMA_MEMLIMIT) != LZMA_OK)
        return no_memory(why, why_len);
    return decode_lzma_stream(&s, "lzma", in, len, ob, why, why_len);
}
#else
#define decode_xz NULL
#define decode_lzma NULL
#endif

/* ---- zstd (libzstd) -------------------------------------------------------------- */

#ifdef CONFIG_ZSTD
static int decode_zstd(const uint8_t *in, size_t len, struct outbuf *ob,
                       char *why, size_t why_len)
{
    ZSTD_DStream *ds = ZSTD_createDStream();
    ZSTD_inBuffer ib = { in, len, 0 };
    int st;

    if (!ds)
        return no_memory(why, why_len);
    ZSTD_initDStream(ds);
    for (;;) {
        ZSTD_outBuffer obuf;
        uint8_t *out;
        size_t n, r;

        st = ob_window(ob, SIZE_MAX, &out, &n, why, why_len);
        if (st <= 0)
            break;
        obuf.dst = out;
        obuf.size = n;
        obuf.pos = 0;
        r = ZSTD_decompressStream(ds, &obuf, &ib);
        ob->len += obuf.pos;
        if (ZSTD_isError(r)) {
            st = why_set(why, why_len, "zstd data is corrupt (%s)",
                         ZSTD_getErrorName(r));
            break;
        }
        if (r == 0) {
            st = 0;
            break;
        }
        if (ib.pos == ib.size && obuf.pos < obuf.size) {
            st = why_set(why, why_len, "zstd data is truncated");
            break;
        }
    }
    ZSTD_freeDStream(ds);
    return st;
}
#else
#define decode_zstd NULL
#endif

/* ---- bzip2 (libbz2) ------------------------------------------------------------- */

#ifdef CONFIG_BZIP2
static int decode_bzip2(const uint8_t *in, size_t len, struct outbuf *ob,
                        char *why, size_t why_len)
{
    bz_stream bs;
    int r, st;

    memset(&bs, 0, sizeof(bs));
    if (BZ2_bzDecompressInit(&bs, 0, 0) != BZ_OK)
        return no_memory(why, why_len);
    for (;;) {
        uint8_t *out;
        size_t n, chunk = len > UINT_MAX ? UINT_MAX : len;

        st = ob_window(ob, UINT_MAX, &out, &n, why, why_len);
        if (st <= 0)
            break;
        if (bs.avail_in == 0) {
            bs.next_in = (char *)(uintptr_t)in;    /* bzlib never writes it */
            bs.avail_in = (unsigned)chunk;
            in += chunk;
            len -= chunk;
        }
        bs.next_out = (char *)out;
        bs.avail_out = (unsigned)n;
        r = BZ2_bzDecompress(&bs);
        ob->len += n - bs.avail_out;
        if (r == BZ_STREAM_END) {
            st = 0;
            break;
        }
        if (r != BZ_OK) {
            st = why_set(why, why_len, "bzip2 data is corrupt (error %d)", r);
            break;
        }
        /* bzlib stops short of filling the output only to ask for input */
        if (bs.avail_in == 0 && len == 0 && bs.avail_out != 0) {
            st = why_set(why, why_len, "bzip2 data is truncated");
            break;
        }
    }
    BZ2_bzDecompressEnd(&bs);
    return st;
}
#else
#define decode_bzip2 NULL
#endif

/* ---- lz4 (liblz4) ------------------------------------------------------------------ */

#ifdef CONFIG_LZ4
#define LZ4_LEGACY_MAGIC 0x184C2102u
#define LZ4_LEGACY_BLOCK ((size_t)8 << 20)

static int ob_append(struct outbuf *ob, const uint8_t *src, size_t n,
                     char *why, size_t why_len)
{
    while (n) {
        uint8_t *out;
        size_t room;
        int st = ob_window(ob, n, &out, &room, why, why_len);

        if (st <= 0)
            return st;
        memcpy(out, src, room);
        ob->len += room;
        src += room;
        n -= room;
    }
    return 1;
}

/* The legacy format Linux uses: a magic, then blocks of a 4-byte size and
 * that many compressed bytes (each at most 8 MiB when decompressed); the
 * magic may repeat.  A last lone 4-byte word is the size Linux's build
 * appends. */
static int decode_lz4_legacy(const uint8_t *in, size_t len, struct outbuf *ob,
                             char *why, size_t why_len)
{
    uint8_t *block = malloc(LZ4_LEGACY_BLOCK);
    size_t pos = 4;
    int st = 0;

    if (!block)
        return no_memory(why, why_len);
    while (pos < len) {
        uint32_t csize;
        int n;

        if (len - pos < 4) {
            st = why_set(why, why_len, "lz4 data is truncated");
            break;
        }
        csize = le32_load(in + pos);
        pos += 4;
        if (csize == LZ4_LEGACY_MAGIC)
            continue;
        if (pos == len && ob->len)
            break;                      /* the appended size */
        if (csize > len - pos || csize > (uint32_t)LZ4_compressBound(
                                              (int)LZ4_LEGACY_BLOCK)) {
            st = why_set(why, why_len, "lz4 block of %u bytes at offset %zu "
                         "is truncated or too large", csize, pos - 4);
            break;
        }
        n = LZ4_decompress_safe((const char *)in + pos, (char *)block,
                                (int)csize, (int)LZ4_LEGACY_BLOCK);
        if (n < 0) {
            st = why_set(why, why_len, "lz4 data is corrupt (block at "
                         "offset %zu)", pos - 4);
            break;
        }
        pos += csize;
        st = ob_append(ob, block, (size_t)n, why, why_len);
        if (st <= 0)
            break;
        st = 0;
    }
    free(block);
    return st;
}

static int decode_lz4_frame(const uint8_t *in, size_t len, struct outbuf *ob,
                            char *why, size_t why_len)
{
    LZ4F_dctx *dctx;
    int st;

    if (LZ4F_isError(LZ4F_createDecompressionContext(&dctx, LZ4F_VERSION)))
        return no_memory(why, why_len);
    for (;;) {
        uint8_t *out;
        size_t n, in_n = len, r;

        st = ob_window(ob, SIZE_MAX, &out, &n, why, why_len);
        if (st <= 0)
            break;
        r = LZ4F_decompress(dctx, out, &n, in, &in_n, NULL);
        ob->len += n;
        in += in_n;
        len -= in_n;
        if (LZ4F_isError(r)) {
            st = why_set(why, why_len, "lz4 data is corrupt (%s)",
                         LZ4F_getErrorName(r));
            break;
        }
        if (r == 0) {
            st = 0;
            break;
        }
        if (len == 0 && n == 0) {
            st = why_set(why, why_len, "lz4 data is truncated");
            break;
        }
    }
    LZ4F_freeDecompressionContext(dctx);
    return st;
}
#else
#define decode_lz4_legacy NULL
#define decode_lz4_frame NULL
#endif

/* ---- formats ---------------------------------------------------------------------- */

struct format {
    const char *name;
    const char *magic;
    size_t magic_len;
    decode_fn decode;           /* NULL: not built in */
    const char *option;         /* what would build it in; NULL: unsupported */
};

static const struct format formats[] = {
    { "gzip", "\037\213", 2, decode_gzip, "" },
    { "bzip2", "BZh", 3, decode_bzip2, "--enable-bzip2 (libbz2)" },
    { "xz", "\3757zXZ\0", 6, decode_xz, "--enable-lzma (liblzma)" },
    { "zstd", "\x28\xb5\x2f\xfd", 4, decode_zstd, "--enable-zstd (libzstd)" },
    { "lzma", "\135\000", 2, decode_lzma, "--enable-lzma (liblzma)" },
    { "LZO", "\x89LZO", 4, NULL, NULL },
    { "lz4", "\x02\x21\x4c\x18", 4, decode_lz4_legacy,
      "--enable-lz4 (liblz4)" },
    { "lz4", "\x04\x22\x4d\x18", 4, decode_lz4_frame,
      "--enable-lz4 (liblz4)" },
};

static const struct format *find_format(const uint8_t *p, size_t len)
{
    for (size_t i = 0; i < ARRAY_SIZE(formats); i++) {
        const struct format *f = &formats[i];

        if (len >= f->magic_len && memcmp(p, f->magic, f->magic_len) == 0)
            return f;
    }
    return NULL;
}

bool unpack_format_available(const char *format)
{
    for (size_t i = 0; i < ARRAY_SIZE(formats); i++) {
        if (strcmp(formats[i].name, format) == 0)
            return formats[i].decode != NULL;
    }
    return false;
}

/* Decompress in[0, len) in format f into a fresh buffer of at most limit
 * bytes.  0, DEC_TOO_BIG or -1 (why set). */
static int decompress(const struct format *f, const uint8_t *in, size_t len,
                      size_t limit, uint8_t **out, size_t *out_len,
                      char *why, size_t why_len)
{
    struct outbuf ob = { NULL, 0, 0, limit < SIZE_MAX ? limit : SIZE_MAX - 1 };
    int st;

    if (!f->decode && !f->option)
        return why_set(why, why_len, "%s-compressed kernels are not "
                       "supported", f->name);
    if (!f->decode)
        return why_set(why, why_len, "%s-compressed kernel, but xenemu was "
                       "built without %s support (configure %s)", f->name,
                       f->name, f->option);
    st = f->decode(in, len, &ob, why, why_len);
    if (st == 0 && ob.len > limit)
        st = DEC_TOO_BIG;
    if (st < 0) {
        free(ob.p);
        return st;
    }
    *out = ob.p;
    *out_len = ob.len;
    return 0;
}

/* ---- bzImage ---------------------------------------------------------------------- */

/* The Linux boot protocol's setup header (Documentation/x86/boot.rst). */
enum {
    BZ_SETUP_SECTS = 0x1f1, BZ_HEADER = 0x202, BZ_VERSION = 0x206,
    BZ_PAYLOAD_OFFSET = 0x248, BZ_PAYLOAD_LENGTH = 0x24c, BZ_HDR_END = 0x250,
};
#define BZ_MIN_VERSION 0x208            /* payload fields: protocol 2.08 */

static bool is_bzimage(const uint8_t *p, size_t len)
{
    return len >= BZ_HEADER + 4 && memcmp(p + BZ_HEADER, "HdrS", 4) == 0;
}

static bool is_elf(const uint8_t *p, size_t len)
{
    return len >= 4 && memcmp(p, "\177ELF", 4) == 0;
}

/* The payload of a bzImage, decompressed. */
static int unpack_bzimage(const uint8_t *p, size_t len, size_t max_out,
                          uint8_t **out, size_t *out_len,
                          char *why, size_t why_len)
{
    const struct format *f;
    uint64_t off, plen;
    uint32_t expect;
    size_t in_len;
    unsigned version;
    int st;

    if (len < BZ_HDR_END)
        return why_set(why, why_len, "bzImage setup header truncated");
    version = le16_load(p + BZ_VERSION);
    if (version < BZ_MIN_VERSION)
        return why_set(why, why_len, "bzImage boot protocol %u.%02u is older "
                       "than 2.08 (no payload to extract)", version >> 8,
                       version & 0xff);
    off = ((uint64_t)p[BZ_SETUP_SECTS] + 1) * 512 +
          le32_load(p + BZ_PAYLOAD_OFFSET);
    plen = le32_load(p + BZ_PAYLOAD_LENGTH);
    if (off >= len || plen > len - off)
        return why_set(why, why_len, "bzImage payload (offset %#llx, %#llx "
                       "bytes) extends past the end of the file",
                       (unsigned long long)off, (unsigned long long)plen);
    p += off;
    f = find_format(p, (size_t)plen);
    if (!f)
        return why_set(why, why_len, "bzImage payload is not compressed in a "
                       "known format");
    if (plen < f->magic_len + 4)
        return why_set(why, why_len, "bzImage %s payload is too short",
                       f->name);
    /* The decompressed size, appended by Linux's build (gzip's own). */
    expect = le32_load(p + plen - 4);
    in_len = f->decode == decode_gzip ? (size_t)plen : (size_t)plen - 4;
    if (expect > max_out)
        return why_set(why, why_len, "bzImage payload would decompress to "
                       "%u bytes, more than the limit of %zu", expect,
                       max_out);
    st = decompress(f, p, in_len, expect, out, out_len, why, why_len);
    if (st == DEC_TOO_BIG)
        return why_set(why, why_len, "bzImage %s payload decompresses to "
                       "more than the %u bytes its size field gives",
                       f->name, expect);
    if (st < 0)
        return -1;
    if (*out_len != expect) {
        free(*out);
        return why_set(why, why_len, "bzImage %s payload decompressed to %zu "
                       "bytes, but its size field gives %u", f->name,
                       *out_len, expect);
    }
    if (!is_elf(*out, *out_len)) {
        free(*out);
        return why_set(why, why_len, "bzImage payload is not an ELF image");
    }
    return 0;
}

/* ---- the layers ---------------------------------------------------------------------- */

#define UNPACK_MAX_LAYERS 4

int unpack_kernel(const char *name, const uint8_t *data, size_t len,
                  size_t max_out, uint8_t **out, size_t *out_len,
                  char *why, size_t why_len)
{
    const uint8_t *cur = data;
    uint8_t *owned = NULL, *next;
    size_t cur_len = len, next_len;
    const char *layer = NULL;           /* what cur was unpacked from */

    (void)name;                         /* the caller names the file */
    for (unsigned depth = 0; depth < UNPACK_MAX_LAYERS; depth++) {
        const struct format *f;
        int st;

        if (is_elf(cur, cur_len)) {
            *out = (uint8_t *)(uintptr_t)cur;
            *out_len = cur_len;
            return 0;
        }
        if (is_bzimage(cur, cur_len)) {
            st = unpack_bzimage(cur, cur_len, max_out, &next, &next_len,
                                why, why_len);
        } else if ((f = find_format(cur, cur_len)) != NULL) {
            st = decompress(f, cur, cur_len, max_out, &next, &next_len,
                            why, why_len);
            if (st == DEC_TOO_BIG)
                st = why_set(why, why_len, "%s data decompresses to more "
                             "than the limit of %zu bytes", f->name, max_out);
            layer = f->name;
        } else if (layer) {
            st = why_set(why, why_len, "%s-compressed data is not an ELF "
                         "image or a bzImage", layer);
        } else {
            st = why_set(why, why_len, "not an ELF image, a bzImage or a "
                         "compressed kernel");
        }
        free(owned);
        if (st < 0)
            return -1;
        owned = next;
        cur = next;
        cur_len = next_len;
    }
    free(owned);
    return why_set(why, why_len, "more than %d nested compression layers",
                   UNPACK_MAX_LAYERS);
}

void unpack_free(const uint8_t *data, uint8_t *out)
{
    if (out != data)
        free(out);
}
