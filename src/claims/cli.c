#include "claims/ledger.h"

#include "core/cli.h"
#include "core/outfile.h"
#include "core/parse.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROG   "ptc-claims"
#define PYTHON PTC_PYTHON

#define usage_error(...) ptc_cli_usage_error(PROG, __VA_ARGS__)

/* --help. */
static void usage(void) {
    char ids[256];
    ptc_claim_ids(ids, sizeof ids);
    printf(
        "usage: " PROG " [--time-scale S] [--untimed-scale U] [--only ID[,ID...]] [--out DIR]\n"
        "                  [--json FILE] [--seed N] [--python] [--list] [--quiet]\n"
        "Puts the claims of the Python concurrency tutorials to the test and writes the\n"
        "ledger: DIR/claims.csv, DIR/claims.md and DIR/claims-timeline.csv.\n\n"
        "  --time-scale S   multiply every tutorial sleep by S, 0.001..10 (default 1: the\n"
        "                   real 1-10 s durations; 0.05 runs in seconds). Below 1, fixed\n"
        "                   overheads may leave timing claims 'not judged at this scale'\n"
        "  --untimed-scale U  the scale of the claims judged on orders, counts or ratios\n"
        "                   rather than durations (default: S); the time_scale column and\n"
        "                   --list say which claim ran at which\n"
        "  --only ID,...    run only these claims (ids: %s)\n"
        "  --out DIR        where the ledger goes (default .; created if missing)\n"
        "  --json FILE      claims.csv's rows as one JSON document (docs/json-schema.json)\n"
        "  --seed N         seed of the random task durations (default 1)\n"
        "  --python         also run the Python reference (scripts/python/claims.py with\n"
        "                   " PYTHON ": multiprocessing, threading, gevent) and put its\n"
        "                   figures beside the C ones (PTC_PYTHON_SCRIPT overrides the path)\n"
        "  --list           list the claims and exit\n"
        "  --quiet          no table on stdout\n"
        "Exit status: 0 every scenario ran (whatever the verdicts), 1 a scenario could not run\n"
        "(or, with --python, the Python reference could not: the ledger says why), 2 bad usage.\n",
        ids);
}

/* --list. */
static void list(void) {
    size_t n;
    const struct ptc_claim *const *all = ptc_claims_all(&n);
    for (size_t i = 0; i < n; i++)
        printf("%s  [%s]%s %s\n      %s\n", all[i]->id, all[i]->seed,
               all[i]->timing ? " (timing)" : "", all[i]->claim, all[i]->original);
}

void ptc_claims_opts_init(struct ptc_claims_opts *o, const char *python_script) {
    *o = (struct ptc_claims_opts){.time_scale = 1.0,
                                  .untimed_scale = -1.0,
                                  .out = ".",
                                  .seed = 1,
                                  .python_script = python_script};
}

int ptc_claims_parse(struct ptc_claims_opts *o, int argc, char **argv) {
    enum {
        O_SCALE = 256,
        O_ONLY,
        O_OUT,
        O_JSON,
        O_SEED,
        O_LIST,
        O_QUIET,
        O_HELP,
        O_PYTHON,
        O_UNTIMED
    };
    static const struct option longopts[] = {{"time-scale", required_argument, 0, O_SCALE},
                                             {"only", required_argument, 0, O_ONLY},
                                             {"out", required_argument, 0, O_OUT},
                                             {"json", required_argument, 0, O_JSON},
                                             {"seed", required_argument, 0, O_SEED},
                                             {"list", no_argument, 0, O_LIST},
                                             {"quiet", no_argument, 0, O_QUIET},
                                             {"help", no_argument, 0, O_HELP},
                                             {"python", no_argument, 0, O_PYTHON},
                                             {"untimed-scale", required_argument, 0, O_UNTIMED},
                                             {0, 0, 0, 0}};
    int c, rc;
    size_t n;
    char ids[256], msg[256];
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case O_SCALE:
            rc = ptc_parse_f64(optarg, 0.001, 10.0, &o->time_scale);
            if (rc < 0)
                return usage_error("--time-scale: '%s' must be a number from 0.001 to 10 (%s)",
                                   optarg, ptc_parse_strerror(rc));
            break;
        case O_UNTIMED:
            rc = ptc_parse_f64(optarg, 0.001, 10.0, &o->untimed_scale);
            if (rc < 0)
                return usage_error("--untimed-scale: '%s' must be a number from 0.001 to 10 (%s)",
                                   optarg, ptc_parse_strerror(rc));
            break;
        case O_ONLY:
            ptc_strv_free(o->only);
            ptc_claim_ids(ids, sizeof ids);
            if (ptc_split_list(optarg, &o->only, &n) < 0)
                return usage_error("--only: '%s' is not a comma-separated list of claim ids",
                                   optarg);
            for (size_t i = 0; i < n; i++)
                if (ptc_claim_find(o->only[i]) == NULL)
                    return usage_error("--only: unknown claim '%s' (ids: %s)", o->only[i], ids);
            break;
        case O_OUT:
            o->out = optarg;
            break;
        case O_JSON:
            o->json = optarg;
            break;
        case O_SEED:
            rc = ptc_parse_u64(optarg, 0, UINT64_MAX, &o->seed);
            if (rc < 0)
                return usage_error("--seed: '%s' must be a whole number (%s)", optarg,
                                   ptc_parse_strerror(rc));
            break;
        case O_LIST:
            list();
            return 0;
        case O_QUIET:
            o->quiet = true;
            break;
        case O_PYTHON:
            o->python = true;
            break;
        case O_HELP:
            usage();
            return 0;
        default:
            ptc_cli_rejected(msg, sizeof msg, argv, optind, optopt, O_SCALE);
            return usage_error("%s", msg);
        }
    }
    if (optind < argc)
        return usage_error("unexpected argument '%s' (see --help)", argv[optind]);
    if (o->json != NULL && strcmp(o->json, "-") == 0 && !o->quiet)
        return usage_error("--json -: the claims table goes to stdout too; add --quiet");
    const struct ptc_output outs[] = {{"--out", o->out}, {"--json", o->json}};
    if (ptc_outputs_check(outs, 2, NULL, 0, msg, sizeof msg) < 0)
        return usage_error("%s", msg);
    return -1;
}

/* The time scale claim c runs at: --time-scale for the timing claims, else --untimed-scale. */
double ptc_claims_scale(const struct ptc_claims_opts *o, const struct ptc_claim *c) {
    return c->timing || o->untimed_scale < 0 ? o->time_scale : o->untimed_scale;
}

void ptc_claims_opts_free(struct ptc_claims_opts *o) {
    ptc_strv_free(o->only);
    o->only = NULL;
}
