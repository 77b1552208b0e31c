#include "report/tables_md.h"

#include "report/md.h"

static const char *cell(const struct ptc_table *t, size_t r, const char *name) {
    ssize_t c = ptc_table_col(t, name);
    return c >= 0 ? ptc_table_cell(t, r, (size_t)c) : "";
}

/* "\n### <path>\n\n" then the table's head. */
static void section(FILE *md, const struct ptc_table *t, const char *head) {
    fputs("\n### ", md);
    ptc_md_put(md, t->path);
    fprintf(md, "\n\n%s", head);
}

/* "| a | b | " for row r's fields of the n columns named: the row's first cells, escaped. */
static void cells(FILE *md, const struct ptc_table *t, size_t r, const char *const *cols,
                  size_t n) {
    fputs("| ", md);
    for (size_t i = 0; i < n; i++) {
        ptc_md_put(md, cell(t, r, cols[i]));
        fputs(" | ", md);
    }
}

void ptc_md_micro(FILE *md, const struct ptc_table *t) {
    section(md, t,
            "| host | benchmark | mechanism | variant | placement | n | metric | median | min - "
            "max |\n|---|---|---|---|---|---|---|---|---|\n");
    /* placement: where the two sides ran (same-cpu, cross-cpu, unpinned), "" when not placed
     * or in a CSV from before the column */
    static const char *const cols[] = {"host",      "benchmark", "mechanism", "variant",
                                       "placement", "n",         "metric"};
    for (size_t r = 0; r < t->n_rows; r++) {
        cells(md, t, r, cols, sizeof cols / sizeof cols[0]);
        ptc_md_put(md, cell(t, r, "value"));
        fputc(' ', md);
        ptc_md_put(md, cell(t, r, "unit"));
        fputs(" | ", md);
        ptc_md_put(md, cell(t, r, "min"));
        fputs(" - ", md);
        ptc_md_put(md, cell(t, r, "max"));
        fputs(" |\n", md);
    }
}

void ptc_md_claims(FILE *md, const struct ptc_table *t) {
    section(md, t, "| host | id | language | verdict | measured |\n|---|---|---|---|---|\n");
    /* Whole, so that no UTF-8 sequence is cut. */
    static const char *const cols[] = {"host", "id", "language", "verdict", "measured"};
    for (size_t r = 0; r < t->n_rows; r++) {
        cells(md, t, r, cols, sizeof cols / sizeof cols[0]);
        fputc('\n', md);
    }
}
