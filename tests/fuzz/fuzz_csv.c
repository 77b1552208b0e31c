/* libFuzzer target: ptc-report's reading of one input CSV (the strict parser, the table, the
 * number checks of each kind) and the aggregation and Markdown of its runs, on arbitrary bytes.
 * Built only by a clang build with -DPTC_FUZZ=ON (scripts/fuzz). */
#include "report/findings.h"
#include "report/hosts.h"
#include "report/inputs.h"
#include "report/runs.h"

#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static FILE *sink;
    static const char *const settings[] = {"task_ms", "file_kib", NULL};
    if (sink == NULL && (sink = fopen("/dev/null", "w")) == NULL)
        return 0;
    int fd = memfd_create("fuzz.csv", 0);
    if (fd < 0)
        return 0;
    char path[64], err[512];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    if (write(fd, data, size) == (ssize_t)size) {
        struct ptc_table t = {0};
        char *paths[] = {path};
        size_t n_read;
        if (ptc_inputs_load(paths, 1, 1u << PTC_INPUT_TIMELINE, &t, &n_read, "fuzz", sink, err,
                            sizeof err) == 0) {
            struct ptc_run_groups gs;
            if (ptc_run_groups_build(&t, 1, settings, &gs, err, sizeof err) == 0) {
                struct ptc_csv_writer w;
                ptc_csv_writer_init(&w, sink);
                ptc_run_groups_csv(&gs, &w);
                ptc_run_groups_md(&gs, sink);
                ptc_run_groups_hosts_md(&gs, sink);
                ptc_findings_runs(&gs, sink);
                ptc_run_groups_free(&gs);
            }
        }
        ptc_table_free(&t);
    }
    close(fd);
    return 0;
}
