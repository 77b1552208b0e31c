#include "core/format.h"

#include <math.h>
#include <stdio.h>

char *ptc_fmt_ns(char *buf, size_t size, double ns) {
    static const struct {
        double scale;
        const char *unit;
    } units[] = {{1e9, "s"}, {1e6, "ms"}, {1e3, "us"}, {1, "ns"}};
    if (!isfinite(ns)) {
        snprintf(buf, size, "-");
        return buf;
    }
    size_t i = 0;
    while (i + 1 < sizeof units / sizeof units[0] && fabs(ns) < units[i].scale)
        i++;
    double v = ns / units[i].scale;
    int digits = fabs(v) >= 100 ? 1 : fabs(v) >= 10 ? 2 : 3;
    if (units[i].scale == 1)
        digits = 0;
    /* 999999 ns would print as "1000.0 us": when rounding reaches the next unit, use it. */
    double shown = round(fabs(v) * pow(10, digits)) / pow(10, digits);
    if (i > 0 && shown >= 1000) {
        i--;
        v = ns / units[i].scale;
        digits = 3;
    }
    snprintf(buf, size, "%.*f %s", digits, v, units[i].unit);
    return buf;
}

char *ptc_fmt_median_ci(char *buf, size_t size, const struct ptc_median_ci *ci) {
    char lo[24], hi[24];
    if (ci->lo_rank == 0)
        snprintf(buf, size, "-");
    else if (!ci->supported)
        /* lo_rank + hi_rank = n + 1 for every interval ptc_median_ci makes. */
        snprintf(buf, size, "n = %zu too small for a %.4g %% CI", ci->lo_rank + ci->hi_rank - 1,
                 100 * ci->level);
    else
        snprintf(buf, size, "%s - %s (%.1f %%)", ptc_fmt_ns(lo, sizeof lo, ci->lo),
                 ptc_fmt_ns(hi, sizeof hi, ci->hi), 100 * ci->coverage);
    return buf;
}
