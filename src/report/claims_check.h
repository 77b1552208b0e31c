/* The words of a claims ledger that its readers act on: the verdict and the language of every
 * row must be ones ptc-claims writes, so that no other text reaches a chart or a table. */
#ifndef PTC_REPORT_CLAIMS_CHECK_H
#define PTC_REPORT_CLAIMS_CHECK_H

#include "report/table.h"

#include <stddef.h>

/* 0 when every row's verdict and language is one ptc-claims writes (core/verdicts.h). Else -EINVAL
 * with "path:line: column N (verdict): 'text' is not a verdict ptc-claims writes (...)" in err, on
 * one line (control characters of the text shown as '?'). A table without a language column is
 * checked for verdicts only. */
int ptc_claims_check(const struct ptc_table *t, char *err, size_t err_size);

#endif
