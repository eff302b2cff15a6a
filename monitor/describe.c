/* Plain-word descriptions (see describe.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "monitor/describe.h"
#include "xenplat/domain.h"

typedef unsigned long long ull;

static const char *const exc_names[32] = {
    "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", NULL,
    "#TS", "#NP", "#SS", "#GP", "#PF", NULL, "#MF", "#AC", "#MC", "#XM",
    "#VE", "#CP",
};

const char *mon_exc_name(unsigned vector)
{
    return vector < 32 && exc_names[vector] ? exc_names[vector] : "";
}

int mon_exc_parse(const char *s)
{
    char name[8];
    size_t n = 0;
    char *end;
    long v;

    if (isdigit((unsigned char)*s)) {
        v = strtol(s, &end, 0);
        return *end || v < 0 || v > 255 ? -1 : (int)v;
    }
    if (*s != '#')
        name[n++] = '#';
    for (; *s && n < sizeof(name) - 1; s++)
        name[n++] = (char)toupper((unsigned char)*s);
    if (*s)
        return -1;
    name[n] = '\0';
    for (unsigned i = 0; i < 32; i++)
        if (exc_names[i] && strcmp(exc_names[i], name) == 0)
            return (int)i;
    return -1;
}

void mon_event_text(const struct cpu_event *ev, char *buf, size_t len)
{
    switch (ev->kind) {
    case EV_EXCEPTION:
        if (ev->vector == EXC_PF)
            snprintf(buf, len, "exception 14 #PF (error 0x%x, cr2 0x%llx)",
                     ev->error, (ull)ev->cr2);
        else if (ev->has_error)
            snprintf(buf, len, "exception %u %s (error 0x%x)", ev->vector,
                     mon_exc_name(ev->vector), ev->error);
        else
            snprintf(buf, len, "exception %u %s", ev->vector,
                     mon_exc_name(ev->vector));
        break;
    case EV_SOFTINT:
        snprintf(buf, len, "int 0x%x", ev->vector);
        break;
    case EV_INTERRUPT:
        if (ev->vector == EXC_NMI)
            snprintf(buf, len, "NMI");
        else
            snprintf(buf, len, "interrupt 0x%x", ev->vector);
        break;
    case EV_SYSCALL:
        snprintf(buf, len, "syscall");
        break;
    case EV_SYSENTER:
        snprintf(buf, len, "sysenter");
        break;
    }
}

const char *mon_virq_name(unsigned virq)
{
    static const char *const names[NR_VIRQS] = {
        [VIRQ_TIMER] = "timer", [VIRQ_DEBUG] = "debug",
        [VIRQ_CONSOLE] = "console", [VIRQ_DOM_EXC] = "dom_exc",
        [VIRQ_TBUF] = "tbuf", [VIRQ_DEBUGGER] = "debugger",
        [VIRQ_XENOPROF] = "xenoprof", [VIRQ_CON_RING] = "con_ring",
        [VIRQ_PCPU_STATE] = "pcpu_state", [VIRQ_MEM_EVENT] = "mem_event",
        [VIRQ_ARGO] = "argo", [VIRQ_ENOMEM] = "enomem",
        [VIRQ_XENPMU] = "xenpmu",
    };
    return virq < NR_VIRQS ? names[virq] : NULL;
}

void mon_evtchn_binding(struct domain *d, unsigned port, char *buf,
                        size_t len)
{
    const struct evtchn *ch;
    const char *name;

    if (!evtchn_port_valid(d, port)) {
        snprintf(buf, len, "not a valid port");
        return;
    }
    ch = &d->evtchn.port[port];
    switch (ch->state) {
    case ECS_FREE:
        snprintf(buf, len, "closed");
        break;
    case ECS_UNBOUND:
        snprintf(buf, len, "unbound, for dom%u", ch->remote_dom);
        break;
    case ECS_INTERDOMAIN:
        snprintf(buf, len, "interdomain to dom%u port %u%s", ch->remote_dom,
                 ch->remote_port, ch->backend ? " (xenemu backend)" : "");
        break;
    case ECS_PIRQ:
        snprintf(buf, len, "pirq");
        break;
    case ECS_VIRQ:
        name = mon_virq_name(ch->virq);
        snprintf(buf, len, "virq %u%s%s", ch->virq, name ? " " : "",
                 name ? name : "");
        break;
    case ECS_IPI:
        snprintf(buf, len, "ipi");
        break;
    default:
        snprintf(buf, len, "reserved");
        break;
    }
}
