#include "report/claims_check.h"

#include "core/verdicts.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* A word list for the message: "'a', 'b', 'c'". */
static void list_words(const char *const *words, char *buf, size_t size) {
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; words[i] != NULL && used < size; i++) {
        int n = snprintf(buf + used, size - used, "%s'%s'", i == 0 ? "" : ", ", words[i]);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

static int known(const char *const *words, const char *s) {
    for (size_t i = 0; words[i] != NULL; i++)
        if (strcmp(words[i], s) == 0)
            return 1;
    return 0;
}

/* Column col must hold words of the NULL-terminated words only; what is refused is named with
 * its place. */
static int check_column(const struct ptc_table *t, const char *col, const char *what,
                        const char *const *words, char *err, size_t err_size) {
    ssize_t c = ptc_table_col(t, col);
    for (size_t r = 0; c >= 0 && r < t->n_rows; r++) {
        const char *s = ptc_table_cell(t, r, c);
        if (known(words, s))
            continue;
        char shown[128], list[256];
        snprintf(shown, sizeof shown, "%s", s);
        for (char *p = shown; *p; p++)
            if ((unsigned char)*p < 0x20 || *p == 0x7f)
                *p = '?';
        list_words(words, list, sizeof list);
        snprintf(err, err_size, "%s:%zu: column %zd (%s): '%s' is not a %s ptc-claims writes (%s)",
                 t->path, t->lines[r], c + 1, col, shown, what, list);
        return -EINVAL;
    }
    return 0;
}

int ptc_claims_check(const struct ptc_table *t, char *err, size_t err_size) {
    int rc = check_column(t, "verdict", "verdict", ptc_verdict_names, err, err_size);
    return rc < 0 ? rc
                  : check_column(t, "language", "language", ptc_ledger_languages, err, err_size);
}
