/* CSV in and out. The only module that includes <csv.h> (libcsv); everything else goes through
 * these functions. Not thread-safe per writer or reader; separate instances are independent. */
#ifndef PTC_CORE_CSV_H
#define PTC_CORE_CSV_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* A second reader of every field a writer writes, with its type (core/json.h keeps the rows of a
 * document this way): one call per field in order, then end_row. arg is the sink's own. */
struct ptc_csv_sink {
    void (*str)(void *arg, const char *s);
    void (*u64)(void *arg, uint64_t v);
    void (*i64)(void *arg, int64_t v);
    void (*f64)(void *arg, double v, int digits); /* NaN and infinities as they come */
    void (*end_row)(void *arg);
    void *arg;
};

/* A row writer over a stream it does not own (NULL: rows go only to the sink). Errors are
 * sticky: check ptc_csv_error at the end. */
struct ptc_csv_writer {
    FILE *fp;
    int fields_in_row;
    int error;                       /* 0 or a negative errno, the first write error */
    const struct ptc_csv_sink *sink; /* NULL, or where every field also goes (not owned) */
};

void ptc_csv_writer_init(struct ptc_csv_writer *w, FILE *fp);
/* Sends every field written from now on to sink as well (NULL: to none). */
void ptc_csv_writer_sink(struct ptc_csv_writer *w, const struct ptc_csv_sink *sink);

/* Appends one field to the current row. Strings are quoted by libcsv when they hold a comma,
 * quote, CR, LF or edge spaces or tabs (and an empty first field); plain text and numbers are
 * written bare, so gnuplot reads them. */
void ptc_csv_str(struct ptc_csv_writer *w, const char *s);
void ptc_csv_u64(struct ptc_csv_writer *w, uint64_t v);
void ptc_csv_i64(struct ptc_csv_writer *w, int64_t v);
/* digits: digits after the decimal point; NaN and infinities are written as an empty field. */
void ptc_csv_f64(struct ptc_csv_writer *w, double v, int digits);
/* Writes every name in a NULL-terminated list as one header row. */
void ptc_csv_header(struct ptc_csv_writer *w, const char *const *names);
void ptc_csv_end_row(struct ptc_csv_writer *w);
/* 0, or the first negative errno a write returned. */
int ptc_csv_error(const struct ptc_csv_writer *w);

/* One parsed record: fields[i] is NUL-terminated, owned by the reader, valid during the callback.
 * line is the 1-based line on which the record ends. Return 0 to go on, non-zero to stop
 * (ptc_csv_read then returns that value). */
typedef int (*ptc_csv_row_fn)(void *arg, char **fields, size_t n_fields, size_t line);

/* Parses the file at path strictly (a stray quote or an unterminated quoted field is an error).
 * On error fills err with "path:line: reason" and returns a negative errno (-EINVAL for bad CSV)
 * or the callback's non-zero value. */
int ptc_csv_read(const char *path, ptc_csv_row_fn fn, void *arg, char *err, size_t err_size);

#endif
