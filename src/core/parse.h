/* Strict parsing of command-line values: a value is accepted whole or rejected with a reason. */
#ifndef PTC_CORE_PARSE_H
#define PTC_CORE_PARSE_H

#include <stddef.h>
#include <stdint.h>

/* Parses a decimal integer in [min, max]. Rejects empty strings, signs, spaces and trailing text
 * (-EINVAL) and values out of range or overflowing (-ERANGE). Returns 0 and sets *out on success.
 */
int ptc_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);

/* Parses a non-negative decimal number such as "2.5" in [min, max] (-EINVAL, -ERANGE). */
int ptc_parse_f64(const char *s, double min, double max, double *out);

/* Parses "N[,N...]", each in [min, max], at most max_items items, into a new array (*out, owned
 * by the caller, free()). Returns 0, -EINVAL, -ERANGE, -E2BIG (too many items) or -ENOMEM. */
int ptc_parse_u64_list(const char *s, uint64_t min, uint64_t max, size_t max_items, uint64_t **out,
                       size_t *n_out);

/* Parses "N" (lo = hi = N) or "LO:HI" with min <= LO <= HI <= max. Returns 0, -EINVAL, -ERANGE
 * or -EDOM (LO > HI). */
int ptc_parse_u64_range(const char *s, uint64_t min, uint64_t max, uint64_t *lo, uint64_t *hi);

/* Splits "a,b,c" into a new NULL-terminated array of new strings (free with ptc_strv_free).
 * Empty items are rejected (-EINVAL). */
int ptc_split_list(const char *s, char ***out, size_t *n_out);
void ptc_strv_free(char **v);

/* A one-line reason for a parse error code, for messages such as "--tasks: not a number". */
const char *ptc_parse_strerror(int err);

#endif
