/* Human-readable numbers with units, for terminal tables and progress lines. */
#ifndef PTC_CORE_FORMAT_H
#define PTC_CORE_FORMAT_H

#include "core/stats.h"

#include <stddef.h>

/* Writes a duration given in ns with a unit picked to keep 3-4 significant digits: "812 ns",
 * "13.2 us", "50.26 ms", "6.003 s". Returns buf. */
char *ptc_fmt_ns(char *buf, size_t size, double ns);

/* An interval of the median for people: "100.9 ms - 102.3 ms (96.9 %)" with its exact coverage,
 * or "n = 3 too small for a 95 % CI" when ci->supported is false (never the min-max as a CI).
 * Returns buf. */
char *ptc_fmt_median_ci(char *buf, size_t size, const struct ptc_median_ci *ci);

#endif
