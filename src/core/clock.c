#include "core/clock.h"

#include <errno.h>
#include <sys/prctl.h>
#include <time.h>

ptc_ns ptc_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (ptc_ns)ts.tv_sec * PTC_NS_PER_S + (ptc_ns)ts.tv_nsec;
}

#if defined(__SANITIZE_THREAD__)
/* TSan builds only. TSan runs a signal's handler at once only inside the calls it counts as
 * blocking, or when an intercepted call returns; it does not intercept clock_nanosleep, so the
 * watchdog's timer signal (runner/watchdog.c) waited for the end of the stuck task's sleep
 * (60 s in tests/smoke_watchdog.sh). nanosleep is such a blocking call: it sleeps here, for
 * what is left until the deadline, again after each signal. */
static int sleep_until(ptc_ns deadline_ns) {
    for (;;) {
        ptc_ns now_ns = ptc_now_ns();
        if (now_ns >= deadline_ns)
            return 0;
        ptc_ns left_ns = deadline_ns - now_ns;
        struct timespec left = {.tv_sec = (time_t)(left_ns / PTC_NS_PER_S),
                                .tv_nsec = (long)(left_ns % PTC_NS_PER_S)};
        if (nanosleep(&left, NULL) != 0 && errno != EINTR)
            return errno;
    }
}
#else
static int sleep_until(ptc_ns deadline_ns) {
    struct timespec deadline = {.tv_sec = (time_t)(deadline_ns / PTC_NS_PER_S),
                                .tv_nsec = (long)(deadline_ns % PTC_NS_PER_S)};
    int rc;
    do {
        rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, NULL);
    } while (rc == EINTR);
    return rc;
}
#endif

int ptc_sleep_ns(ptc_ns duration_ns) {
    /* An absolute deadline, so that a signal in the middle does not stretch the sleep. */
    return -sleep_until(ptc_now_ns() + duration_ns);
}

int ptc_timer_slack_min(void) {
    return prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL) == 0 ? 0 : -errno;
}

void ptc_utc_iso8601(char *buf, unsigned long buf_size) {
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(buf, buf_size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
