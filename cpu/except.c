/* Placeholder: event delivery is being written. */
#include "cpu/cpu-priv.h"

void cpu_event(struct cpu *c, const struct cpu_event *ev)
{
    if (c->ring0_exits && c->hooks.exit) {
        c->hooks.exit(c->opaque, c, ev);
        c->priv->stop_block = true;
        return;
    }
    cpu_deliver(c, ev);
}

void cpu_deliver(struct cpu *c, const struct cpu_event *ev)
{
    (void)ev;
    c->priv->triple_fault = true;
}
