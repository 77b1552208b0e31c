/* A CSV file in memory, checked: every row as wide as the header, numbers parsed with a message
 * that names the file, the line and the column when they are not numbers. */
#ifndef PTC_REPORT_TABLE_H
#define PTC_REPORT_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct ptc_table {
    char *path;
    char **header; /* [n_cols] */
    size_t n_cols;
    /* Every row's fields, each NUL-terminated, row after row: one copy of the file's text and
     * no pointer per field, so that a million rows of 51 columns fit in about the file's size.
     * Read them with ptc_table_cell or ptc_table_row. */
    char *text;
    size_t text_len, text_cap;
    size_t *row_at; /* [n_rows] where row r's first field starts in text */
    size_t *lines;  /* [n_rows] the line each row ends on */
    size_t n_rows, rows_cap;
};

/* Reads path with libcsv's strict parser, or a path ending in ".json" with ptc_json_read
 * (core/json.h): the rows of its samples. A row of another width than the header, or a
 * malformed or truncated file, is -EINVAL with "path:line: reason" in err. */
int ptc_table_load(const char *path, struct ptc_table *t, char *err, size_t err_size);
void ptc_table_free(struct ptc_table *t);

/* Row r's field in column c (c < n_cols): O(c), a walk over the fields before it. */
const char *ptc_table_cell(const struct ptc_table *t, size_t r, size_t c);
/* Every field of row r into cells[n_cols], in one walk. */
void ptc_table_row(const struct ptc_table *t, size_t r, const char **cells);
/* The index of the column called name, or -1. */
ssize_t ptc_table_col(const struct ptc_table *t, const char *name);

/* Row r's field in column c as a number; empty fields are NaN. A number is written as ptcbench
 * and hyperfine write one: an optional '-', decimal digits with an optional '.', an optional
 * exponent; no spaces, no '+', no hexadecimal, no inf or nan. Anything else: -EINVAL with
 * "path:line: column N (name): 'text' is not a number" in err. */
int ptc_table_number(const struct ptc_table *t, size_t r, size_t c, double *out, char *err,
                     size_t err_size);

/* Row r's field in column c as a whole number of at least min (a count: tasks, workers).
 * Anything else, empty included: -EINVAL with "path:line: column N (name): 'text' is not a
 * whole number from min" in err. */
int ptc_table_count(const struct ptc_table *t, size_t r, size_t c, uint64_t min, uint64_t *out,
                    char *err, size_t err_size);

#endif
