/* console_io: the Xen console, which is xenemu's standard output. */
#include <stdio.h>
#include "xenplat/guest.h"
#include "xenplat/hypercall.h"

enum { CONSOLEIO_write = 0, CONSOLEIO_read = 1 };

#define CHUNK 128

/* Xen's console is shared: with several domains each line starts with
 * the domain's prefix (struct domain console_prefix). */
static void console_write(struct domain *d, const uint8_t *p, size_t n)
{
    size_t i;

    if (!d->console_prefix[0]) {
        fwrite(p, 1, n, stdout);
        return;
    }
    for (i = 0; i < n; i++) {
        if (!d->console_midline)
            fputs(d->console_prefix, stdout);
        d->console_midline = p[i] != '\n';
        fputc(p[i], stdout);
    }
}

long do_console_io(struct vcpu *v, const uint64_t *a)
{
    uint64_t count = a[1], buf = a[2];
    uint8_t tmp[CHUNK];

    switch (a[0]) {
    case CONSOLEIO_write:
        /* Stock Xen lets only debug builds' domUs write here; xenemu lets
         * every domain, as test kernels print this way. */
        while (count) {
            size_t n = count < CHUNK ? (size_t)count : CHUNK;
            if (copy_from_guest(v, buf, tmp, n))
                return -XEN_EFAULT;
            console_write(v->d, tmp, n);
            buf += n;
            count -= n;
        }
        return 0;
    case CONSOLEIO_read:
        /* Reading the Xen console is the hardware domain's privilege. */
        return -XEN_EPERM;
    default:
        return -XEN_ENOSYS;
    }
}
