/*
 * libFuzzer harness for the kernel loader: unpack_kernel (every compression
 * format built in, bzImages) on the input, then xen_kernel_parse and
 * xen_kernel_load on the ELF image it gives.  Any crash, sanitizer report
 * or out-of-range write request is a bug.
 */
#include <stdlib.h>
#include <string.h>
#include "xenplat/kernel-info.h"
#include "xenplat/unpack.h"

#define FUZZ_MAX_OUT ((size_t)16 << 20)

struct sink {
    const struct xen_kernel *k;
    uint32_t sum;
};

/* Checks each write lies in the parsed kernel and reads every source byte
 * (so the sanitizer sees an out-of-bounds source). */
static int sink_write(void *opaque, uint64_t va, const void *src, size_t n)
{
    struct sink *s = opaque;
    const uint8_t *p = src;

    if (va < s->k->virt_kstart || n > s->k->virt_kend - va)
        abort();
    for (size_t i = 0; src && i < n; i++)
        s->sum += p[i];
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *elf;
    size_t len;
    char why[256];
    struct xen_kernel k;

    if (unpack_kernel("fuzz", data, size, FUZZ_MAX_OUT, &elf, &len, why,
                      sizeof(why)) < 0) {
        if (!why[0])
            abort();                    /* every error has a message */
        return 0;
    }
    if (xen_kernel_parse(&k, elf, len, why, sizeof(why)) == 0) {
        struct sink s = { &k, 0 };

        xen_kernel_load(&k, elf, len, sink_write, &s, why, sizeof(why));
    } else if (!why[0]) {
        abort();
    }
    unpack_free(data, elf);
    return 0;
}
