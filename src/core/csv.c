#include "core/csv.h"

#include <csv.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

void ptc_csv_writer_init(struct ptc_csv_writer *w, FILE *fp) {
    *w = (struct ptc_csv_writer){.fp = fp};
}

void ptc_csv_writer_sink(struct ptc_csv_writer *w, const struct ptc_csv_sink *sink) {
    w->sink = sink;
}

static void note_error(struct ptc_csv_writer *w, int rc) {
    if (rc < 0 && w->error == 0)
        w->error = errno ? -errno : -EIO;
}

/* Counts the field; false when the writer has no stream (its rows go only to the sink). */
static bool separator(struct ptc_csv_writer *w) {
    if (w->fields_in_row++ > 0 && w->fp != NULL)
        note_error(w, fputc(',', w->fp) == EOF ? -1 : 0);
    return w->fp != NULL;
}

/* libcsv trims spaces and tabs around unquoted fields and skips empty lines: quote what it would
 * otherwise change, and a row's first field when empty (a one-field row would vanish). */
static int needs_quotes(const struct ptc_csv_writer *w, const char *s) {
    size_t len = strlen(s);
    if (len == 0)
        return w->fields_in_row == 1;
    if (strchr(" \t", s[0]) != NULL || strchr(" \t", s[len - 1]) != NULL)
        return 1;
    return strpbrk(s, ",\"\r\n") != NULL;
}

void ptc_csv_str(struct ptc_csv_writer *w, const char *s) {
    if (s == NULL)
        s = "";
    if (w->sink != NULL)
        w->sink->str(w->sink->arg, s);
    if (!separator(w))
        return;
    if (needs_quotes(w, s))
        note_error(w, csv_fwrite(w->fp, s, strlen(s)) == 0 ? 0 : -1);
    else
        note_error(w, fputs(s, w->fp) == EOF ? -1 : 0);
}

void ptc_csv_u64(struct ptc_csv_writer *w, uint64_t v) {
    if (w->sink != NULL)
        w->sink->u64(w->sink->arg, v);
    if (!separator(w))
        return;
    note_error(w, fprintf(w->fp, "%" PRIu64, v));
}

void ptc_csv_i64(struct ptc_csv_writer *w, int64_t v) {
    if (w->sink != NULL)
        w->sink->i64(w->sink->arg, v);
    if (!separator(w))
        return;
    note_error(w, fprintf(w->fp, "%" PRId64, v));
}

void ptc_csv_f64(struct ptc_csv_writer *w, double v, int digits) {
    if (w->sink != NULL)
        w->sink->f64(w->sink->arg, v, digits);
    if (!separator(w))
        return;
    if (isfinite(v))
        note_error(w, fprintf(w->fp, "%.*f", digits, v));
    else if (w->fields_in_row == 1)
        note_error(w, fputs("\"\"", w->fp) == EOF ? -1 : 0);
}

void ptc_csv_header(struct ptc_csv_writer *w, const char *const *names) {
    for (; *names != NULL; names++)
        ptc_csv_str(w, *names);
    ptc_csv_end_row(w);
}

void ptc_csv_end_row(struct ptc_csv_writer *w) {
    if (w->sink != NULL)
        w->sink->end_row(w->sink->arg);
    if (w->fp != NULL)
        note_error(w, fputc('\n', w->fp) == EOF ? -1 : 0);
    w->fields_in_row = 0;
}

int ptc_csv_error(const struct ptc_csv_writer *w) {
    return w->error;
}

/* Reader: libcsv calls field_cb per field and record_cb per record; we collect the fields of
 * the current record and hand them to the user's callback. */
struct reader {
    char **fields;
    size_t n, cap;
    size_t line;
    ptc_csv_row_fn fn;
    void *arg;
    int stop;       /* the callback's non-zero value, -ENOMEM, or -EINVAL for a NUL byte */
    size_t nul_col; /* 1 + the field holding a NUL byte (it would cut the field short), or 0 */
};

static void field_cb(void *data, size_t len, void *opaque) {
    struct reader *r = opaque;
    if (r->stop)
        return;
    if (len > 0 && memchr(data, '\0', len) != NULL) {
        r->nul_col = r->n + 1;
        r->stop = -EINVAL;
        return;
    }
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 32;
        char **grown = realloc(r->fields, cap * sizeof *grown);
        if (grown == NULL) {
            r->stop = -ENOMEM;
            return;
        }
        r->fields = grown;
        r->cap = cap;
    }
    char *copy = malloc(len + 1);
    if (copy == NULL) {
        r->stop = -ENOMEM;
        return;
    }
    if (len > 0)
        memcpy(copy, data, len);
    copy[len] = '\0';
    r->fields[r->n++] = copy;
}

static void clear_fields(struct reader *r) {
    for (size_t i = 0; i < r->n; i++)
        free(r->fields[i]);
    r->n = 0;
}

static void record_cb(int term, void *opaque) {
    struct reader *r = opaque;
    if (!r->stop)
        r->stop = r->fn(r->arg, r->fields, r->n, r->line);
    clear_fields(r);
}

int ptc_csv_read(const char *path, ptc_csv_row_fn fn, void *arg, char *err, size_t err_size) {
    FILE *fp = fopen(path, "r");
    if (fp == NULL) {
        int e = errno;
        snprintf(err, err_size, "%s: %s", path, strerror(e));
        return -e;
    }
    struct csv_parser p;
    struct reader r = {.fn = fn, .arg = arg};
    int rc = 0;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        fclose(fp);
        snprintf(err, err_size, "%s: cannot initialise the CSV parser", path);
        return -ENOMEM;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    /* Feed a line at a time so that every record callback knows the line it ends on. */
    while (rc == 0 && (len = getline(&line, &cap, fp)) > 0) {
        r.line++;
        if (csv_parse(&p, line, (size_t)len, field_cb, record_cb, &r) != (size_t)len) {
            snprintf(err, err_size, "%s:%zu: %s", path, r.line, csv_strerror(csv_error(&p)));
            rc = -EINVAL;
        } else if (r.stop) {
            rc = r.stop;
        }
    }
    if (rc == 0 && ferror(fp)) {
        snprintf(err, err_size, "%s: read error", path);
        rc = -EIO;
    }
    if (rc == 0 && csv_fini(&p, field_cb, record_cb, &r) != 0) {
        snprintf(err, err_size, "%s:%zu: %s", path, r.line, csv_strerror(csv_error(&p)));
        rc = -EINVAL;
    }
    if (rc == 0 && r.stop)
        rc = r.stop;
    if (rc == -ENOMEM)
        snprintf(err, err_size, "%s: out of memory", path);
    if (r.nul_col > 0)
        snprintf(err, err_size, "%s:%zu: column %zu: a NUL byte in the field", path, r.line,
                 r.nul_col);
    clear_fields(&r);
    free(r.fields);
    free(line);
    csv_free(&p);
    fclose(fp);
    return rc;
}
