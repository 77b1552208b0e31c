/* Human-readable numbers with units, for terminal tables and progress lines. */
#ifndef PTC_CORE_FORMAT_H
#define PTC_CORE_FORMAT_H

#include <stddef.h>

/* Writes a duration given in ns with a unit picked to keep 3-4 significant digits: "812 ns",
 * "13.2 us", "50.26 ms", "6.003 s". Returns buf. */
char *ptc_fmt_ns(char *buf, size_t size, double ns);

#endif
