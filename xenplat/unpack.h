/*
 * Finding the ELF image in a kernel file, as Xen's toolstack does
 * (xg_dom_core.c xc_dom_try_gunzip, xg_dom_bzimageloader.c):
 *
 *  - an ELF file passes through unchanged;
 *  - a compressed file (gzip, xz, lzma, zstd, bzip2, lz4 legacy or frame) is
 *    decompressed, bounded by max_out bytes (a decompression bomb is
 *    refused), trailing bytes after the compressed stream are ignored;
 *  - a Linux bzImage (boot protocol >= 2.08) gives its payload at
 *    (setup_sects + 1) * 512 + payload_offset, payload_length bytes, which
 *    must be compressed (Xen does not take an uncompressed payload); as in
 *    Xen its last 4 bytes are the decompressed size (except for gzip, whose
 *    own trailer holds it), and the payload must decompress to exactly
 *    that many bytes;
 *  - layers nest: a compressed bzImage works too.
 *
 * xz/lzma need liblzma (configure --enable-lzma), zstd libzstd, bzip2
 * libbz2, lz4 liblz4; a kernel in a format that was not built in gets an
 * error naming the format and the configure option.  LZO is not supported.
 */
#ifndef XENEMU_XENPLAT_UNPACK_H
#define XENEMU_XENPLAT_UNPACK_H

#include "xenemu/common.h"

/*
 * Unpack the kernel file name (for messages: the caller prefixes them with
 * the file name itself, so name is only kept for the caller's convenience
 * and may be NULL) of len bytes at data.  On success returns 0 with the ELF
 * image in *out / *out_len: *out == data when the file already was an ELF
 * image, otherwise a malloc'd buffer the caller frees (unpack_free does
 * the right thing).  Returns -1 with why set on error.
 */
int unpack_kernel(const char *name, const uint8_t *data, size_t len,
                  size_t max_out, uint8_t **out, size_t *out_len,
                  char *why, size_t why_len);

/* Free what unpack_kernel returned for data (nothing when out == data). */
void unpack_free(const uint8_t *data, uint8_t *out);

/* Is this a compression format xenemu was built to decompress?  For tests:
 * "gzip", "xz", "lzma", "zstd", "bzip2", "lz4". */
bool unpack_format_available(const char *format);

#endif
