/*
 * The --timeout watchdog.  Only the end of the run depends on host time:
 * the signal handler sets flags that the run loop polls between (and,
 * through stop_request, within) CPU slices; guest state never sees it.
 */
#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include "machine/watchdog.h"

static volatile sig_atomic_t expired;
static volatile bool *stop_flag;

static void on_alarm(int sig)
{
    (void)sig;
    expired = 1;
    if (stop_flag)
        *stop_flag = true;
}

int watchdog_start(double seconds, volatile bool *stop)
{
    struct sigaction sa;
    struct itimerval it;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_alarm;
    sa.sa_flags = SA_RESTART;     /* console writes are not cut short */
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGALRM, &sa, NULL) != 0)
        return -1;
    expired = 0;
    stop_flag = stop;
    memset(&it, 0, sizeof(it));
    it.it_value.tv_sec = (time_t)seconds;
    it.it_value.tv_usec =
        (suseconds_t)((seconds - (double)it.it_value.tv_sec) * 1e6);
    if (it.it_value.tv_sec == 0 && it.it_value.tv_usec == 0)
        it.it_value.tv_usec = 1;
    return setitimer(ITIMER_REAL, &it, NULL);
}

void watchdog_stop(void)
{
    struct itimerval it;

    memset(&it, 0, sizeof(it));
    setitimer(ITIMER_REAL, &it, NULL);
    stop_flag = NULL;
}

bool watchdog_expired(void)
{
    return expired != 0;
}
