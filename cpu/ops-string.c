/* Placeholder table: being written (see cpu/README.md). */
#include "cpu/cpu-priv.h"

static const struct opdef defs[] = {
    { MAP_0F, 0xff, 1, P_ANY, -1, M_ANY, -1, 0, 0, FEAT_NEVER, op_ud, "(none)" },
};
OPTABLE(optable_string, defs);
