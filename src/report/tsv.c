#include "report/tsv.h"

#include <math.h>

void ptc_tsv_init(struct ptc_tsv *w, FILE *fp) {
    w->fp = fp;
    w->fields_in_row = 0;
}

static void separate(struct ptc_tsv *w) {
    if (w->fields_in_row++ > 0)
        fputc('\t', w->fp);
}

void ptc_tsv_str(struct ptc_tsv *w, const char *s) {
    separate(w);
    for (; *s; s++)
        fputc(*s == '\t' || *s == '\r' || *s == '\n' ? ' ' : *s, w->fp);
}

void ptc_tsv_f64(struct ptc_tsv *w, double v, int digits) {
    separate(w);
    if (isfinite(v))
        fprintf(w->fp, "%.*f", digits, v);
}

void ptc_tsv_header(struct ptc_tsv *w, const char *const *names) {
    for (; *names != NULL; names++)
        ptc_tsv_str(w, *names);
    ptc_tsv_end_row(w);
}

void ptc_tsv_end_row(struct ptc_tsv *w) {
    fputc('\n', w->fp);
    w->fields_in_row = 0;
}
