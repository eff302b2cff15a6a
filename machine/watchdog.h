/* The --timeout watchdog: host wall-clock time ends a run. */
#ifndef XENEMU_MACHINE_WATCHDOG_H
#define XENEMU_MACHINE_WATCHDOG_H

#include "xenemu/common.h"

/* After seconds of host time set *stop (a CPU's stop_request) and make
 * watchdog_expired() true.  Returns 0, or -1 when no timer is available. */
int watchdog_start(double seconds, volatile bool *stop);
void watchdog_stop(void);
bool watchdog_expired(void);

#endif
