#include "claims/ledger.h"

#include "core/csv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define PYTHON PTC_PYTHON

static int keep_py_row(void *arg, char **fields, size_t n_fields, size_t line) {
    struct ptc_py_rows *p = arg;
    if (line == 1 || n_fields != 8 || p->n == PTC_PY_MAX)
        return 0; /* the header, or a row of another shape */
    for (size_t i = 0; i < 8; i++)
        p->row[p->n].f[i] = strdup(fields[i]);
    p->n++;
    return 0;
}

const struct ptc_py_row *ptc_py_find(const struct ptc_py_rows *p, const char *id) {
    for (size_t i = 0; i < p->n; i++)
        if (p->row[i].f[0] != NULL && strcmp(p->row[i].f[0], id) == 0)
            return &p->row[i];
    return NULL;
}

void ptc_py_free(struct ptc_py_rows *p) {
    for (size_t i = 0; i < p->n; i++)
        for (size_t k = 0; k < 8; k++)
            free(p->row[i].f[k]);
    p->n = 0;
}

/* Runs the Python reference into path; returns 0, or a negative errno and a reason in why. */
static int run_python(const struct ptc_claims_opts *o, const char *path, char *why,
                      size_t why_size) {
    const char *script = getenv("PTC_PYTHON_SCRIPT");
    if (script == NULL)
        script = o->python_script;
    if (access(PYTHON, X_OK) != 0) {
        snprintf(why, why_size, PYTHON " is not installed (Debian's python3 and python3-gevent)");
        return -ENOENT;
    }
    if (access(script, R_OK) != 0) {
        snprintf(why, why_size, "the Python reference %.400s is missing", script);
        return -ENOENT;
    }
    char scale[32], untimed[32], seed[32], only[256] = "", timed[256] = "";
    snprintf(scale, sizeof scale, "%g", o->time_scale);
    snprintf(untimed, sizeof untimed, "%g",
             o->untimed_scale < 0 ? o->time_scale : o->untimed_scale);
    /* The registry says which claims are timing claims; the Python side takes it from here. */
    size_t n;
    const struct ptc_claim *const *all = ptc_claims_all(&n);
    for (size_t i = 0; i < n; i++)
        if (all[i]->timing)
            snprintf(timed + strlen(timed), sizeof timed - strlen(timed), "%s%s", *timed ? "," : "",
                     all[i]->id);
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)o->seed);
    for (char **p = o->only; p != NULL && *p != NULL; p++)
        snprintf(only + strlen(only), sizeof only - strlen(only), "%s%s", *only ? "," : "", *p);
    /* --progress: a line on stderr per claim as it finishes, the Python run being long; under
     * --quiet the argument list ends before it. */
    char *progress = o->quiet ? NULL : "--progress";
    char *argv[] = {PYTHON,    (char *)script, "--time-scale", scale, "--untimed-scale", untimed,
                    "--timed", timed,          "--seed",       seed,  "--only",          only,
                    "--out",   (char *)path,   progress,       NULL};
    if (!o->quiet)
        fprintf(stderr, "ptc-claims: the Python reference runs first, a line per claim:\n");
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        execv(PYTHON, argv);
        _exit(127);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid) {
        snprintf(why, why_size, "cannot run " PYTHON ": %s", strerror(errno));
        return -errno;
    }
    if (WIFSIGNALED(status)) {
        const char *sig = sigabbrev_np(WTERMSIG(status));
        snprintf(why, why_size, "the Python reference was killed by SIG%s",
                 sig != NULL ? sig : "(unknown)");
        return -ECHILD;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        snprintf(why, why_size, "the Python reference failed (exit status %d; its error is above)",
                 WEXITSTATUS(status));
        return -ECHILD;
    }
    return 0;
}

int ptc_py_run(const struct ptc_claims_opts *o, const char *path, struct ptc_py_rows *py, char *why,
               size_t why_size) {
    char err[512];
    int rc = run_python(o, path, why, why_size);
    if (rc == 0 && ptc_csv_read(path, keep_py_row, py, err, sizeof err) < 0) {
        snprintf(why, why_size, "the Python reference's CSV: %.400s", err);
        rc = -EINVAL;
    }
    return rc;
}
