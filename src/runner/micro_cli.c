#include "runner/micro_cli.h"

#include "core/affinity.h"
#include "core/cli.h"
#include "core/outfile.h"
#include "core/parse.h"
#include "coro/config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "a, b, c": the names --only takes, for --help and for errors. */
static void only_names(const struct ptc_micro_cli *cli, char *buf, size_t size) {
    buf[0] = '\0';
    for (const char *const *k = cli->only_names; *k != NULL; k++)
        snprintf(buf + strlen(buf), size - strlen(buf), "%s%s", k == cli->only_names ? "" : ", ",
                 *k);
}

static void usage(const struct ptc_micro_cli *cli) {
    char names[512];
    only_names(cli, names, sizeof names);
    printf(
        "usage: %s [--out FILE] [--json FILE] [--repeat R] [--n N[,N...]] [--only "
        "NAME[,NAME...]] [--quiet]%s\n"
        "%s\n"
        "  --out FILE        CSV, one row per metric (machine columns, benchmark, mechanism,\n"
        "                    variant, n, metric, unit, value = median, samples, min, max,\n"
        "                    note, placement, cpus_seen)\n"
        "  --json FILE       the same rows as one JSON document (docs/json-schema.json)\n"
        "  --repeat R        samples per figure (default %llu); the value is their median\n"
        "  --n N[,N...]      size(s) of each sample, 1..%llu\n"
        "  --only NAME,...   run only these: %s\n"
        "  --quiet           no table (on stdout, or on stderr when --out is -)\n"
        "%s"
        "  --stack-kib N, --coro-guard off|on|auto, --poller P, --mn-threads N: coroutine runtime\n"
        "                    settings (--mn-threads: the M:N variants' threads, default the CPUs)\n"
        "Exit status: 0 ok, 1 a measurement failed, 2 bad usage.\n",
        cli->program, cli->placement ? " [--placement P[,P...]]" : "", cli->usage,
        (unsigned long long)cli->default_repeat, (unsigned long long)cli->max_n, names,
        cli->placement
            ? "  --placement P,... where the two sides run: same-cpu (both pinned to one CPU),\n"
              "                    cross-cpu (pinned, one CPU each), unpinned (the scheduler\n"
              "                    decides; each side's CPUs are recorded); default\n"
              "                    same-cpu,cross-cpu. One row per placement, in `placement`.\n"
            : "");
}

int ptc_micro_parse(const struct ptc_micro_cli *cli, int argc, char **argv,
                    struct ptc_micro_opts *o) {
    enum { O_OUT = 256, O_JSON, O_REPEAT, O_N, O_ONLY, O_QUIET, O_HELP, O_CORO, O_PLACEMENT };
    static const struct option longopts[] = {{"out", required_argument, 0, O_OUT},
                                             {"json", required_argument, 0, O_JSON},
                                             {"repeat", required_argument, 0, O_REPEAT},
                                             {"n", required_argument, 0, O_N},
                                             {"only", required_argument, 0, O_ONLY},
                                             {"quiet", no_argument, 0, O_QUIET},
                                             {"help", no_argument, 0, O_HELP},
                                             {"poller", required_argument, 0, O_CORO},
                                             {"stack-kib", required_argument, 0, O_CORO},
                                             {"coro-guard", required_argument, 0, O_CORO},
                                             {"mn-threads", required_argument, 0, O_CORO},
                                             {"stack-mode", required_argument, 0, O_CORO},
                                             {"placement", required_argument, 0, O_PLACEMENT},
                                             {0, 0, 0, 0}};
    memset(o, 0, sizeof *o);
    o->repeat = cli->default_repeat;
    o->placements = PTC_PLACEMENT_DEFAULT;
    int c, idx = 0, rc, st = -1;
    char err[256], msg[256];
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, &idx)) != -1) {
        switch (c) {
        case O_OUT:
            o->out = optarg;
            break;
        case O_JSON:
            o->json = optarg;
            break;
        case O_REPEAT:
            rc = ptc_parse_u64(optarg, 1, 100000, &o->repeat);
            if (rc < 0) {
                st = ptc_cli_usage_error(
                    cli->program, "--repeat: '%s' must be a whole number from 1 to 100000 (%s)",
                    optarg, ptc_parse_strerror(rc));
                goto out;
            }
            break;
        case O_N:
            free(o->n);
            o->n = NULL;
            o->n_given = true;
            rc = ptc_parse_u64_list(optarg, 1, cli->max_n, 64, &o->n, &o->n_n);
            if (rc < 0) {
                st = ptc_cli_usage_error(
                    cli->program, "--n: '%s': each item must be a whole number from 1 to %llu (%s)",
                    optarg, (unsigned long long)cli->max_n, ptc_parse_strerror(rc));
                goto out;
            }
            break;
        case O_ONLY: {
            size_t n;
            ptc_strv_free(o->only);
            o->only = NULL;
            if (ptc_split_list(optarg, &o->only, &n) < 0) {
                st = ptc_cli_usage_error(cli->program, "--only: '%s' is not a comma-separated list",
                                         optarg);
                goto out;
            }
            for (size_t i = 0; i < n; i++) {
                const char *const *k = cli->only_names;
                while (*k != NULL && strcmp(*k, o->only[i]) != 0)
                    k++;
                if (*k == NULL) {
                    char valid[512];
                    only_names(cli, valid, sizeof valid);
                    {
                        st = ptc_cli_usage_error(cli->program,
                                                 "--only: unknown name '%s' (valid: %s)",
                                                 o->only[i], valid);
                        goto out;
                    }
                }
            }
            break;
        }
        case O_QUIET:
            o->quiet = true;
            break;
        case O_HELP:
            usage(cli);
            st = 0;
            goto out;
        case O_PLACEMENT: {
            char valid[128];
            ptc_placement_names(valid, sizeof valid);
            if (!cli->placement) {
                st = ptc_cli_usage_error(cli->program,
                                         "--placement: this program has no two sides to place");
                goto out;
            }
            if (ptc_placement_parse(optarg, &o->placements) < 0) {
                st = ptc_cli_usage_error(cli->program,
                                         "--placement: '%s' must be a comma-separated list of: %s",
                                         optarg, valid);
                goto out;
            }
            break;
        }
        case O_CORO:
            if (ptc_coro_option(longopts[idx].name, optarg, err, sizeof err) < 0) {
                st = ptc_cli_usage_error(cli->program, "%s", err);
                goto out;
            }
            break;
        default:
            ptc_cli_rejected(msg, sizeof msg, argv, optind, optopt, O_OUT);
            {
                st = ptc_cli_usage_error(cli->program, "%s", msg);
                goto out;
            }
        }
    }
    if (optind < argc) {
        st = ptc_cli_usage_error(cli->program, "unexpected argument '%s' (see --help)",
                                 argv[optind]);
        goto out;
    }
    if (ptc_coro_config_check(err, sizeof err) < 0) {
        st = ptc_cli_usage_error(cli->program, "%s", err);
        goto out;
    }
    if (o->n == NULL) {
        o->n = malloc(cli->n_default_n * sizeof *o->n);
        if (o->n == NULL) {
            st = ptc_cli_usage_error(cli->program, "out of memory");
            goto out;
        }
        memcpy(o->n, cli->default_n, cli->n_default_n * sizeof *o->n);
        o->n_n = cli->n_default_n;
    }
out:
    if (st >= 0)
        ptc_micro_opts_free(o);
    return st;
}

int ptc_micro_start(const struct ptc_micro_cli *cli, int argc, char **argv,
                    struct ptc_micro_opts *o, struct ptc_micro_out *out) {
    int st = ptc_micro_parse(cli, argc, argv, o);
    if (st >= 0)
        return st;
    const struct ptc_output outs[] = {{"--out", o->out}, {"--json", o->json}};
    char msg[512];
    if (ptc_outputs_check(outs, 2, NULL, 0, msg, sizeof msg) < 0) {
        ptc_micro_opts_free(o);
        return ptc_cli_usage_error(cli->program, "%s", msg);
    }
    ptc_outfile_cleanup_on_signals();
    bool json_failed;
    int rc = ptc_micro_open(out, cli->program, o->out, o->json, o->quiet, &json_failed);
    if (rc < 0) {
        fprintf(stderr, "%s: %s: cannot write '%s': %s\n", cli->program,
                json_failed ? "--json" : "--out", json_failed ? o->json : o->out, strerror(-rc));
        ptc_micro_opts_free(o);
        return 2;
    }
    return -1;
}

int ptc_micro_finish(struct ptc_micro_opts *o, struct ptc_micro_out *out, int failed) {
    bool json_failed;
    int rc = ptc_micro_commit(out, &json_failed);
    if (rc < 0) {
        fprintf(stderr, "%s: %s: writing '%s' failed: %s\n", out->program,
                json_failed ? "--json" : "--out", json_failed ? o->json : o->out, strerror(-rc));
        failed = 1;
    }
    ptc_micro_opts_free(o);
    return failed ? 1 : 0;
}

size_t ptc_micro_placements(const struct ptc_micro_opts *o, bool placed,
                            enum ptc_placement out[PTC_PLACE_COUNT]) {
    size_t n = 0;
    for (int p = 0; p < PTC_PLACE_COUNT; p++)
        if (!placed || (o->placements & PTC_PLACE_MASK(p)))
            out[n++] = p;
    return placed ? n : 1;
}

bool ptc_micro_selected(const struct ptc_micro_opts *o, const char *name) {
    if (o->only == NULL)
        return true;
    for (char **p = o->only; *p != NULL; p++)
        if (strcmp(*p, name) == 0)
            return true;
    return false;
}

void ptc_micro_opts_free(struct ptc_micro_opts *o) {
    free(o->n);
    ptc_strv_free(o->only);
    memset(o, 0, sizeof *o);
}
