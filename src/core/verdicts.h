/* The words of a claims ledger's rows as claims.csv spells them, shared by ptc-claims, which
 * writes them, and ptc-report, which refuses any other (report/claims_check.h). */
#ifndef PTC_CORE_VERDICTS_H
#define PTC_CORE_VERDICTS_H

/* The verdicts, in the order of enum ptc_verdict (claims/claim.h), then NULL. */
extern const char *const ptc_verdict_names[];

/* The languages of the rows: the C claims, then the Python reference's; then NULL. */
extern const char *const ptc_ledger_languages[];

#endif
