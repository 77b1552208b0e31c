#include "core/machine.h"

#include "core/csv.h"

#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#ifndef PTC_GIT_REV
#define PTC_GIT_REV "unknown"
#endif

const char *const ptc_machine_columns[] = {"host",     "cpu_model", "cpus", "kernel",
                                           "compiler", "git_rev",   NULL};

static void read_cpu_model(char *out, size_t size) {
    snprintf(out, size, "unknown");
    FILE *fp = fopen("/proc/cpuinfo", "r");
    if (fp == NULL)
        return;
    char line[512];
    while (fgets(line, sizeof line, fp) != NULL) {
        if (strncmp(line, "model name", 10) != 0)
            continue;
        char *colon = strchr(line, ':');
        if (colon == NULL)
            break;
        colon += strspn(colon + 1, " \t") + 1;
        colon[strcspn(colon, "\n")] = '\0';
        snprintf(out, size, "%s", colon);
        break;
    }
    fclose(fp);
}

const char *const ptc_machine_power_columns[] = {"governor", "idle_driver", "smt", NULL};

/* The first line of a sysfs file into out, or fallback when it cannot be read. */
static void read_sysfs(const char *path, char *out, size_t size, const char *fallback) {
    snprintf(out, size, "%s", fallback);
    FILE *fp = fopen(path, "r");
    if (fp == NULL)
        return;
    char line[128];
    if (fgets(line, sizeof line, fp) != NULL && line[0] != '\n') {
        size_t n = strcspn(line, "\n");
        n = n < size ? n : size - 1;
        memcpy(out, line, n);
        out[n] = '\0';
    }
    fclose(fp);
}

/* Why: a fixed frequency, an idle driver that halts (every cross-CPU wake-up pays a VM exit) and
 * SMT siblings sharing a core each change what a parallel run can reach. */
static void read_power(struct ptc_machine *m) {
    read_sysfs("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", m->governor,
               sizeof m->governor, "none");
    read_sysfs("/sys/devices/system/cpu/cpuidle/current_driver", m->idle_driver,
               sizeof m->idle_driver, "none");
    char smt[8];
    read_sysfs("/sys/devices/system/cpu/smt/active", smt, sizeof smt, "");
    snprintf(m->smt, sizeof m->smt, "%s",
             strcmp(smt, "1") == 0   ? "on"
             : strcmp(smt, "0") == 0 ? "off"
                                     : "unknown");
}

void ptc_machine_read(struct ptc_machine *m) {
    memset(m, 0, sizeof *m);
    if (gethostname(m->host, sizeof m->host - 1) != 0)
        snprintf(m->host, sizeof m->host, "unknown");
    read_cpu_model(m->cpu_model, sizeof m->cpu_model);
    m->cpus = sysconf(_SC_NPROCESSORS_ONLN);
    struct utsname u;
    snprintf(m->kernel, sizeof m->kernel, "%s", uname(&u) == 0 ? u.release : "unknown");
#if defined(__clang__)
    snprintf(m->compiler, sizeof m->compiler, "clang %s", __clang_version__);
#elif defined(__GNUC__)
    snprintf(m->compiler, sizeof m->compiler, "gcc %s", __VERSION__);
#else
    snprintf(m->compiler, sizeof m->compiler, "unknown");
#endif
    snprintf(m->git_rev, sizeof m->git_rev, "%s", PTC_GIT_REV);
    read_power(m);
}

void ptc_machine_csv_fields(struct ptc_csv_writer *w, const struct ptc_machine *m) {
    ptc_csv_str(w, m->host);
    ptc_csv_str(w, m->cpu_model);
    ptc_csv_i64(w, m->cpus);
    ptc_csv_str(w, m->kernel);
    ptc_csv_str(w, m->compiler);
    ptc_csv_str(w, m->git_rev);
}

void ptc_machine_power_fields(struct ptc_csv_writer *w, const struct ptc_machine *m) {
    ptc_csv_str(w, m->governor);
    ptc_csv_str(w, m->idle_driver);
    ptc_csv_str(w, m->smt);
}
