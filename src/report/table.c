#include "report/table.h"

#include "core/csv.h"
#include "core/json.h"

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
    size_t last_fields, last_line; /* of the last record read */
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
    l->last_fields = n;
    l->last_line = line;
    if (t->header == NULL) {
        t->header = copy_fields(fields, n);
        t->n_cols = n;
        return t->header ? 0 : -ENOMEM;
    }
    if (n != t->n_cols) {
        /* the first field too many, or the first one missing */
        snprintf(l->err, l->err_size, "%s:%zu: column %zu: %zu fields, the header has %zu", t->path,
                 line, (n > t->n_cols ? t->n_cols : n) + 1, n, t->n_cols);
        return -EINVAL;
    }
    if (t->n_rows == t->rows_cap) {
        size_t cap = t->rows_cap ? 2 * t->rows_cap : 64;
        size_t *row_at = realloc(t->row_at, cap * sizeof *row_at);
        if (row_at != NULL)
            t->row_at = row_at;
        size_t *lines = realloc(t->lines, cap * sizeof *lines);
        if (lines != NULL)
            t->lines = lines;
        if (row_at == NULL || lines == NULL)
            return -ENOMEM;
        t->rows_cap = cap;
    }
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += strlen(fields[i]) + 1;
    if (t->text_len + len > t->text_cap) {
        size_t cap = t->text_cap ? t->text_cap : 4096;
        while (cap < t->text_len + len)
            cap *= 2;
        char *text = realloc(t->text, cap);
        if (text == NULL)
            return -ENOMEM;
        t->text = text;
        t->text_cap = cap;
    }
    t->row_at[t->n_rows] = t->text_len;
    for (size_t i = 0; i < n; i++) {
        size_t flen = strlen(fields[i]) + 1;
        memcpy(t->text + t->text_len, fields[i], flen);
        t->text_len += flen;
    }
    t->lines[t->n_rows] = line;
    t->n_rows++;
    return 0;
}

/* Whether the file's last byte is a newline: every program of ptcbench and hyperfine ends each
 * line with one, so a file without it was cut off, perhaps inside a field or the header. */
static bool ends_in_newline(const char *path) {
    FILE *fp = fopen(path, "r");
    if (fp == NULL)
        return true; /* read a moment ago: gone since, nothing to say of its end */
    int c = '\n';    /* a pipe cannot be looked at from its end: taken as whole */
    if (fseek(fp, -1, SEEK_END) == 0)
        c = fgetc(fp);
    fclose(fp);
    return c == '\n';
}

int ptc_table_load(const char *path, struct ptc_table *t, char *err, size_t err_size) {
    memset(t, 0, sizeof *t);
    t->path = strdup(path);
    if (t->path == NULL)
        return -ENOMEM;
    struct loader l = {.t = t, .err = err, .err_size = err_size};
    err[0] = '\0';
    /* A --json document gives the rows of its samples, as the CSV beside it would */
    int rc = ptc_json_is_path(path) ? ptc_json_read(path, keep, &l, err, err_size)
                                    : ptc_csv_read(path, keep, &l, err, err_size);
    if (rc == 0 && t->header == NULL) {
        snprintf(err, err_size, "%s:1: column 1: empty: no header", path);
        rc = -EINVAL;
    }
    if (rc == 0 && !ends_in_newline(path)) {
        snprintf(err, err_size, "%s:%zu: column %zu: cut off: the %s has no newline at its end",
                 path, l.last_line, l.last_fields, t->n_rows == 0 ? "header" : "last row");
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
    free(t->text);
    free(t->row_at);
    free(t->lines);
    free(t->path);
    memset(t, 0, sizeof *t);
}

const char *ptc_table_cell(const struct ptc_table *t, size_t r, size_t c) {
    const char *p = t->text + t->row_at[r];
    while (c-- > 0)
        p += strlen(p) + 1;
    return p;
}

void ptc_table_row(const struct ptc_table *t, size_t r, const char **cells) {
    const char *p = t->text + t->row_at[r];
    for (size_t c = 0; c < t->n_cols; c++) {
        cells[c] = p;
        p += strlen(p) + 1;
    }
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
    const char *s = ptc_table_cell(t, r, c);
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
    const char *s = ptc_table_cell(t, r, c);
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
