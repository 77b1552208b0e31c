#include "core/clock.h"

#include <errno.h>
#include <sys/prctl.h>
#include <time.h>

ptc_ns ptc_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (ptc_ns)ts.tv_sec * PTC_NS_PER_S + (ptc_ns)ts.tv_nsec;
}

int ptc_sleep_ns(ptc_ns duration_ns) {
    /* An absolute deadline, so that a signal in the middle does not stretch the sleep. */
    struct timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    ptc_ns total = (ptc_ns)deadline.tv_nsec + duration_ns;
    deadline.tv_sec += (time_t)(total / PTC_NS_PER_S);
    deadline.tv_nsec = (long)(total % PTC_NS_PER_S);
    int rc;
    do {
        rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, NULL);
    } while (rc == EINTR);
    return -rc;
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
