/* The command line every microbenchmark program shares:
 *   --out FILE  --repeat R  --n N[,N...]  --only NAME[,NAME...]  --quiet  --help
 *   and the coroutine options of coro/config.h (--coro-switch, --poller, --stack-kib,
 * --coro-guard). Bad input gets a one-line message and exit status 2, returned to the program
 * (nothing here calls exit). */
#ifndef PTC_RUNNER_MICRO_CLI_H
#define PTC_RUNNER_MICRO_CLI_H

#include "runner/micro.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ptc_micro_cli {
    const char *program;
    const char *usage; /* what the program measures and its own notes, for --help */
    const char *const
        *only_names; /* for --help and errors; NULL-terminated; --only must name some of these */
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

/* Parses the command line into *o. Returns -1 to go on, or the status the program must exit
 * with at once: 0 after --help, 2 after a one-line error on stderr (then *o is freed). */
int ptc_micro_parse(const struct ptc_micro_cli *cli, int argc, char **argv,
                    struct ptc_micro_opts *o);

/* ptc_micro_parse, then the cleanup of temporary files on fatal signals, then the CSV opened
 * (ptc_micro_open). Returns -1 to go on, or the exit status as ptc_micro_parse does (2 also for
 * an unwritable --out). */
int ptc_micro_start(const struct ptc_micro_cli *cli, int argc, char **argv,
                    struct ptc_micro_opts *o, struct ptc_micro_out *out);

/* Renames the CSV into place and frees *o. Returns the exit status: 1 when `failed` or the write
 * failed, else 0. */
int ptc_micro_finish(struct ptc_micro_opts *o, struct ptc_micro_out *out, int failed);
/* True when --only was not given or names `name`. */
bool ptc_micro_selected(const struct ptc_micro_opts *o, const char *name);
void ptc_micro_opts_free(struct ptc_micro_opts *o);

#endif
