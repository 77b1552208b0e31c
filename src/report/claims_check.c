#include "report/claims_check.h"

#include "claims/claim.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* The languages of claims.csv: the C rows and the Python reference's (claims/ledger.c). */
static const char *const languages[] = {"C", "Python", NULL};

static const char *verdict_at(size_t i) {
    return i < PTC_N_VERDICTS ? ptc_verdict_name((enum ptc_verdict)i) : NULL;
}

static const char *language_at(size_t i) {
    return languages[i];
}

/* A word list for the message: "'a', 'b', 'c'". */
static void list_words(const char *(*at)(size_t), char *buf, size_t size) {
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; at(i) != NULL && used < size; i++) {
        int n = snprintf(buf + used, size - used, "%s'%s'", i == 0 ? "" : ", ", at(i));
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

static int known(const char *(*at)(size_t), const char *s) {
    for (size_t i = 0; at(i) != NULL; i++)
        if (strcmp(at(i), s) == 0)
            return 1;
    return 0;
}

/* Column col must hold words of at() only; what is refused is named with its place. */
static int check_column(const struct ptc_table *t, const char *col, const char *what,
                        const char *(*at)(size_t), char *err, size_t err_size) {
    ssize_t c = ptc_table_col(t, col);
    for (size_t r = 0; c >= 0 && r < t->n_rows; r++) {
        const char *s = t->rows[r][c];
        if (known(at, s))
            continue;
        char shown[128], words[256];
        snprintf(shown, sizeof shown, "%s", s);
        for (char *p = shown; *p; p++)
            if ((unsigned char)*p < 0x20 || *p == 0x7f)
                *p = '?';
        list_words(at, words, sizeof words);
        snprintf(err, err_size, "%s:%zu: column %zd (%s): '%s' is not a %s ptc-claims writes (%s)",
                 t->path, t->lines[r], c + 1, col, shown, what, words);
        return -EINVAL;
    }
    return 0;
}

int ptc_claims_check(const struct ptc_table *t, char *err, size_t err_size) {
    int rc = check_column(t, "verdict", "verdict", verdict_at, err, err_size);
    return rc < 0 ? rc : check_column(t, "language", "language", language_at, err, err_size);
}
