/* Monotonic time in nanoseconds: the one clock every measurement in ptcbench uses. */
#ifndef PTC_CORE_CLOCK_H
#define PTC_CORE_CLOCK_H

#include <stdint.h>
#include <sys/time.h>

/* A duration or a point on CLOCK_MONOTONIC, in nanoseconds. */
typedef uint64_t ptc_ns;

#define PTC_NS_PER_US 1000ULL
#define PTC_NS_PER_MS 1000000ULL
#define PTC_NS_PER_S  1000000000ULL

/* A deadline that never comes (timers, pollers). */
#define PTC_DEADLINE_NONE UINT64_MAX

/* A struct timeval (getrusage, wait4) in nanoseconds. */
static inline ptc_ns ptc_timeval_ns(struct timeval tv) {
    return (ptc_ns)tv.tv_sec * PTC_NS_PER_S + (ptc_ns)tv.tv_usec * PTC_NS_PER_US;
}

/* seconds (>= 0) in whole nanoseconds, rounded down. */
static inline ptc_ns ptc_seconds_ns(double seconds) {
    return (ptc_ns)(seconds * 1e9);
}

/* Current CLOCK_MONOTONIC time. Thread-safe, async-signal-safe; the same clock in every process,
 * so times taken in forked children compare directly with the parent's. */
ptc_ns ptc_now_ns(void);

/* Sleeps for at least duration_ns, resuming after signals. Returns 0 or a negative errno. */
int ptc_sleep_ns(ptc_ns duration_ns);

/* Sets this thread's timer slack to 1 ns (inherited by threads and processes it creates), so a
 * 1 ms sleep overshoots by microseconds, not by the default 50 us slack. Returns 0 or -errno. */
int ptc_timer_slack_min(void);

/* Current UTC wall-clock time as "YYYY-MM-DDTHH:MM:SSZ" into buf (at least 21 bytes). */
void ptc_utc_iso8601(char *buf, unsigned long buf_size);

#endif
