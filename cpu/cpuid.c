/* Placeholder: the CPUID model is being written. */
#include "cpu/cpu-priv.h"

bool cpuid_has(unsigned feat)
{
    return feat != FEAT_NEVER;
}

void cpuid_query(struct cpu *c, uint32_t leaf, uint32_t sub, uint32_t out[4])
{
    (void)c; (void)leaf; (void)sub;
    out[0] = out[1] = out[2] = out[3] = 0;
}
