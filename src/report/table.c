#include "report/table.h"

#include "core/csv.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct loader {
    struct ptc_table *t;
    char *err;
    size_t err_size;
};

static char **copy_fields(char **fields, size_t n) {
    char **v = calloc(n ? n : 1, sizeof *v);
    for (size_t i = 0; v != NULL && i < n; i++)
        if ((v[i] = strdup(fields[i])) == NULL)
            return NULL; /* the caller frees what it can: this is the out-of-memory path */
    return v;
}

static int keep(void *arg, char **fields, size_t n, size_t line) {
    struct loader *l = arg;
    struct ptc_table *t = l->t;
    if (t->header == NULL) {
        t->header = copy_fields(fields, n);
        t->n_cols = n;
        return t->header ? 0 : -ENOMEM;
    }
    if (n != t->n_cols) {
        snprintf(l->err, l->err_size, "%s:%zu: %zu fields, the header has %zu", t->path, line, n,
                 t->n_cols);
        return -EINVAL;
    }
    char ***rows = realloc(t->rows, (t->n_rows + 1) * sizeof *rows);
    size_t *lines = realloc(t->lines, (t->n_rows + 1) * sizeof *lines);
    if (rows != NULL)
        t->rows = rows;
    if (lines != NULL)
        t->lines = lines;
    if (rows == NULL || lines == NULL)
        return -ENOMEM;
    t->rows[t->n_rows] = copy_fields(fields, n);
    t->lines[t->n_rows] = line;
    if (t->rows[t->n_rows] == NULL)
        return -ENOMEM;
    t->n_rows++;
    return 0;
}

int ptc_table_load(const char *path, struct ptc_table *t, char *err, size_t err_size) {
    memset(t, 0, sizeof *t);
    t->path = strdup(path);
    if (t->path == NULL)
        return -ENOMEM;
    struct loader l = {.t = t, .err = err, .err_size = err_size};
    err[0] = '\0';
    int rc = ptc_csv_read(path, keep, &l, err, err_size);
    if (rc == 0 && t->header == NULL) {
        snprintf(err, err_size, "%s: empty: no header", path);
        rc = -EINVAL;
    }
    if (rc < 0 && err[0] == '\0')
        snprintf(err, err_size, "%s: %s", path, strerror(-rc));
    if (rc < 0)
        ptc_table_free(t);
    return rc < 0 ? rc : 0;
}

static void free_fields(char **v, size_t n) {
    if (v == NULL)
        return;
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void ptc_table_free(struct ptc_table *t) {
    free_fields(t->header, t->n_cols);
    for (size_t r = 0; r < t->n_rows; r++)
        free_fields(t->rows[r], t->n_cols);
    free(t->rows);
    free(t->lines);
    free(t->path);
    memset(t, 0, sizeof *t);
}

ssize_t ptc_table_col(const struct ptc_table *t, const char *name) {
    for (size_t i = 0; i < t->n_cols; i++)
        if (strcmp(t->header[i], name) == 0)
            return (ssize_t)i;
    return -1;
}

/* The end of a run of decimal digits from s. */
static const char *digits_end(const char *s) {
    while (*s >= '0' && *s <= '9')
        s++;
    return s;
}

/* Whether s is the whole of "-?(D+(.D*)?|.D+)([eE][-+]?D+)?": what strtod would also take with
 * spaces, a '+', hexadecimal, inf and nan left out. */
static bool is_decimal(const char *s) {
    if (*s == '-')
        s++;
    const char *int_end = digits_end(s);
    const char *p = int_end;
    bool digits = int_end > s;
    if (*p == '.') {
        const char *frac_end = digits_end(p + 1);
        digits = digits || frac_end > p + 1;
        p = frac_end;
    }
    if (!digits)
        return false;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '-' || *p == '+')
            p++;
        const char *exp_end = digits_end(p);
        if (exp_end == p)
            return false;
        p = exp_end;
    }
    return *p == '\0';
}

int ptc_table_count(const struct ptc_table *t, size_t r, size_t c, uint64_t min, uint64_t *out,
                    char *err, size_t err_size) {
    const char *s = t->rows[r][c];
    const char *end = digits_end(s);
    errno = 0;
    unsigned long long v = end > s && *end == '\0' ? strtoull(s, NULL, 10) : 0;
    if (end == s || *end != '\0' || errno == ERANGE || v < min) {
        snprintf(err, err_size, "%s:%zu: column %zu (%s): '%s' is not a whole number from %llu",
                 t->path, t->lines[r], c + 1, t->header[c], s, (unsigned long long)min);
        return -EINVAL;
    }
    *out = v;
    return 0;
}

int ptc_table_number(const struct ptc_table *t, size_t r, size_t c, double *out, char *err,
                     size_t err_size) {
    const char *s = t->rows[r][c];
    if (*s == '\0') {
        *out = NAN;
        return 0;
    }
    errno = 0;
    double v = is_decimal(s) ? strtod(s, NULL) : NAN;
    if (errno == ERANGE || !isfinite(v)) {
        snprintf(err, err_size, "%s:%zu: column %zu (%s): '%s' is not a number", t->path,
                 t->lines[r], c + 1, t->header[c], s);
        return -EINVAL;
    }
    *out = v;
    return 0;
}
