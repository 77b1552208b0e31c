#include "core/parse.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int ptc_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out) {
    /* strtoull accepts leading spaces and a minus sign ("-3" wraps to a huge value): refuse both.
     */
    if (s == NULL || !isdigit((unsigned char)s[0]))
        return s != NULL && s[0] == '-' && isdigit((unsigned char)s[1]) ? -ERANGE : -EINVAL;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end != '\0')
        return -EINVAL;
    if (errno == ERANGE || v < min || v > max)
        return -ERANGE;
    *out = v;
    return 0;
}

int ptc_parse_f64(const char *s, double min, double max, double *out) {
    if (s == NULL || !(isdigit((unsigned char)s[0]) || s[0] == '.'))
        return s != NULL && s[0] == '-' ? -ERANGE : -EINVAL;
    /* Decimal only: strtod would also take hex floats, "inf" and "nan". */
    if (s[strspn(s, "0123456789.eE+-")] != '\0')
        return -EINVAL;
    errno = 0;
    char *end;
    double v = strtod(s, &end);
    if (*end != '\0' || !isfinite(v))
        return isfinite(v) ? -EINVAL : -ERANGE;
    /* An underflow to (nearly) zero is still a number in range; only an overflow is not. */
    if (errno == ERANGE && fabs(v) > 1.0)
        return -ERANGE;
    if (v < min || v > max)
        return -ERANGE;
    *out = v;
    return 0;
}

int ptc_split_list(const char *s, char ***out, size_t *n_out) {
    size_t n = 1;
    for (const char *p = s; *p; p++)
        n += *p == ',';
    char **v = calloc(n + 1, sizeof *v);
    if (v == NULL)
        return -ENOMEM;
    const char *start = s;
    for (size_t i = 0; i < n; i++) {
        size_t len = strcspn(start, ",");
        if (len == 0) {
            ptc_strv_free(v);
            return -EINVAL;
        }
        v[i] = strndup(start, len);
        if (v[i] == NULL) {
            ptc_strv_free(v);
            return -ENOMEM;
        }
        start += len + 1;
    }
    *out = v;
    *n_out = n;
    return 0;
}

void ptc_strv_free(char **v) {
    if (v == NULL)
        return;
    for (char **p = v; *p; p++)
        free(*p);
    free(v);
}

int ptc_parse_u64_list(const char *s, uint64_t min, uint64_t max, size_t max_items, uint64_t **out,
                       size_t *n_out) {
    char **items;
    size_t n;
    int rc = ptc_split_list(s, &items, &n);
    if (rc < 0)
        return rc;
    if (n > max_items) {
        ptc_strv_free(items);
        return -E2BIG;
    }
    uint64_t *vals = malloc(n * sizeof *vals);
    if (vals == NULL) {
        ptc_strv_free(items);
        return -ENOMEM;
    }
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = ptc_parse_u64(items[i], min, max, &vals[i]);
    ptc_strv_free(items);
    if (rc < 0) {
        free(vals);
        return rc;
    }
    *out = vals;
    *n_out = n;
    return 0;
}

int ptc_parse_u64_range(const char *s, uint64_t min, uint64_t max, uint64_t *lo, uint64_t *hi) {
    const char *colon = strchr(s, ':');
    if (colon == NULL) {
        int rc = ptc_parse_u64(s, min, max, lo);
        if (rc == 0)
            *hi = *lo;
        return rc;
    }
    char *left = strndup(s, (size_t)(colon - s));
    if (left == NULL)
        return -ENOMEM;
    uint64_t a, b;
    int rc = ptc_parse_u64(left, min, max, &a);
    free(left);
    if (rc == 0)
        rc = ptc_parse_u64(colon + 1, min, max, &b);
    if (rc == 0 && a > b)
        rc = -EDOM;
    if (rc == 0) {
        *lo = a;
        *hi = b;
    }
    return rc;
}

const char *ptc_parse_strerror(int err) {
    switch (err) {
    case -EINVAL:
        return "not a valid non-negative number";
    case -ERANGE:
        return "out of range";
    case -EDOM:
        return "LO is greater than HI";
    case -E2BIG:
        return "too many items";
    case -ENOMEM:
        return "out of memory";
    default:
        return strerror(-err);
    }
}
