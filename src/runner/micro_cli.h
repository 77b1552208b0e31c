/* The command line every microbenchmark program shares:
 *   --out FILE  --repeat R  --n N[,N...]  --only NAME[,NAME...]  --quiet  --help
 *   and the coroutine options of coro/config.h (--coro-switch, --poller, --stack-kib,
 * --coro-guard). Bad input ends the program with a one-line message and exit status 2. */
#ifndef PTC_RUNNER_MICRO_CLI_H
#define PTC_RUNNER_MICRO_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ptc_micro_cli {
    const char *program;
    const char *usage;             /* what the program measures and its own notes, for --help */
    const char *only_help;         /* the names --only accepts, for --help and errors */
    const char *const *only_names; /* NULL-terminated; --only must name some of these */
    uint64_t default_repeat;
    const uint64_t *default_n; /* the default --n list */
    size_t n_default_n;
    uint64_t max_n;
};

struct ptc_micro_opts {
    const char *out;
    uint64_t repeat;
    uint64_t *n; /* owned; free() */
    size_t n_n;
    char **only; /* NULL: everything; else NULL-terminated names (ptc_strv_free) */
    bool quiet;
};

void ptc_micro_parse(const struct ptc_micro_cli *cli, int argc, char **argv,
                     struct ptc_micro_opts *o);
/* True when --only was not given or names `name`. */
bool ptc_micro_selected(const struct ptc_micro_opts *o, const char *name);
void ptc_micro_opts_free(struct ptc_micro_opts *o);

#endif
