/* The microbenchmarks' and the claims' CSVs as Markdown tables, for ptc-report --md. */
#ifndef PTC_REPORT_TABLES_MD_H
#define PTC_REPORT_TABLES_MD_H

#include "report/table.h"

#include <stdio.h>

/* A section named after t's path: one row per figure (host, benchmark, mechanism, variant,
 * placement, n, metric, median with its unit, min - max). */
void ptc_md_micro(FILE *md, const struct ptc_table *t);

/* A section named after t's path: one row per claim (host, id, language, verdict, measured). */
void ptc_md_claims(FILE *md, const struct ptc_table *t);

#endif
