/* The command line every microbenchmark program shares:
 *   --out FILE  --json FILE  --repeat R  --n N[,N...]  --only NAME[,NAME...]  --quiet  --help
 *   --placement P[,P...] where the program asks for it (ptc_micro_cli.placement)
 *   and the coroutine options of coro/config.h (--coro-switch, --poller, --stack-kib,
 * --coro-guard). Bad input gets a one-line message and exit status 2, returned to the program
 * (nothing here calls exit). */
#ifndef PTC_RUNNER_MICRO_CLI_H
#define PTC_RUNNER_MICRO_CLI_H

#include "core/affinity.h"
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
    bool placement; /* accepts --placement (core/affinity.h): its units have two sides to place */
};

struct ptc_micro_opts {
    const char *out;
    const char *json; /* --json FILE: the rows as one document (core/json.h) */
    uint64_t repeat;
    uint64_t *n; /* owned; free() */
    size_t n_n;
    bool n_given; /* --n was given: n is the user's list, not the default */
    char **only;  /* NULL: everything; else NULL-terminated names (ptc_strv_free) */
    bool quiet;
    unsigned placements; /* PTC_PLACE_MASK bits; PTC_PLACEMENT_DEFAULT unless --placement */
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
/* The placements to run a unit in, into out (room for PTC_PLACE_COUNT): those of --placement
 * when it has two sides to place (placed), else one, whose value does not matter. Returns how
 * many. */
size_t ptc_micro_placements(const struct ptc_micro_opts *o, bool placed,
                            enum ptc_placement out[PTC_PLACE_COUNT]);

/* True when --only was not given or names `name`. */
bool ptc_micro_selected(const struct ptc_micro_opts *o, const char *name);
void ptc_micro_opts_free(struct ptc_micro_opts *o);

#endif
