#include "report/tables_md.h"

static const char *cell(const struct ptc_table *t, size_t r, const char *name) {
    ssize_t c = ptc_table_col(t, name);
    return c >= 0 ? ptc_table_cell(t, r, (size_t)c) : "";
}

void ptc_md_micro(FILE *md, const struct ptc_table *t) {
    fprintf(md,
            "\n### %s\n\n| host | benchmark | mechanism | variant | placement | n | metric | "
            "median | min - max |\n|---|---|---|---|---|---|---|---|---|\n",
            t->path);
    /* placement: where the two sides ran (same-cpu, cross-cpu, unpinned), "" when not placed
     * or in a CSV from before the column */
    for (size_t r = 0; r < t->n_rows; r++)
        fprintf(md, "| %s | %s | %s | %s | %s | %s | %s | %s %s | %s - %s |\n", cell(t, r, "host"),
                cell(t, r, "benchmark"), cell(t, r, "mechanism"), cell(t, r, "variant"),
                cell(t, r, "placement"), cell(t, r, "n"), cell(t, r, "metric"), cell(t, r, "value"),
                cell(t, r, "unit"), cell(t, r, "min"), cell(t, r, "max"));
}

void ptc_md_claims(FILE *md, const struct ptc_table *t) {
    fprintf(md,
            "\n### %s\n\n| host | id | language | verdict | measured |\n|---|---|---|---|---|\n",
            t->path);
    for (size_t r = 0; r < t->n_rows; r++) {
        fprintf(md, "| %s | %s | %s | %s | ", cell(t, r, "host"), cell(t, r, "id"),
                cell(t, r, "language"), cell(t, r, "verdict"));
        /* Whole, so that no UTF-8 sequence is cut; a '|' would end the table cell. */
        for (const char *p = cell(t, r, "measured"); *p; p++)
            fputc(*p == '|' ? '/' : *p, md);
        fprintf(md, " |\n");
    }
}
