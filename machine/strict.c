/* --strict: the line that ends a run at an unimplemented instruction. */
#include <stdio.h>
#include "machine/strict.h"

int strict_stop_report(const struct cpu *c)
{
    char bytes[16 * 3 + 1] = "";
    unsigned i, n = c->ud_len < 16 ? c->ud_len : 16;
    size_t o = 0;

    for (i = 0; i < n; i++)
        o += (size_t)snprintf(bytes + o, sizeof(bytes) - o, "%s%02x",
                              i ? " " : "", c->ud_bytes[i]);
    xe_error("--strict: unimplemented instruction at 0x%llx: %s",
             (unsigned long long)c->ud_rip, n ? bytes : "(no bytes)");
    return XE_EXIT_STRICT;
}
