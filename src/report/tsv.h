/* Tab-separated output for gnuplot: a header row of column names, then one row per record;
 * no quoting, so a text field keeps its commas and spaces and gnuplot's strcol() returns it
 * whole (with `set datafile separator "\t"`). A tab, CR or LF inside a field becomes a space;
 * an empty field is a missing number (NaN) or an empty text. */
#ifndef PTC_REPORT_TSV_H
#define PTC_REPORT_TSV_H

#include <stdio.h>

/* A row writer over a stream it does not own; write errors show in ferror(fp). */
struct ptc_tsv {
    FILE *fp;
    int fields_in_row;
};

void ptc_tsv_init(struct ptc_tsv *w, FILE *fp);
void ptc_tsv_str(struct ptc_tsv *w, const char *s);
/* digits: digits after the decimal point; NaN and infinities are an empty field. */
void ptc_tsv_f64(struct ptc_tsv *w, double v, int digits);
/* Every name of a NULL-terminated list, as one (header) row. */
void ptc_tsv_header(struct ptc_tsv *w, const char *const *names);
void ptc_tsv_end_row(struct ptc_tsv *w);

#endif
