#include "core/verdicts.h"

#include <stddef.h>

const char *const ptc_verdict_names[] = {
    "reproduced", "refuted", "not applicable here", "not judged at this scale", NULL,
};

const char *const ptc_ledger_languages[] = {"C", "Python", NULL};
