/* The one timeline format (src/runner/timeline.c): its header, a task's row with its times from
 * the run's start and the machine's columns, and "-" as the claim of a run outside the ledger. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/machine.h"
#include "runner/timeline.h"

#include <stdio.h>
#include <stdlib.h>

static void test_rows(void **state) {
    char *text = NULL;
    size_t size = 0;
    FILE *fp = open_memstream(&text, &size);
    assert_non_null(fp);
    struct ptc_csv_writer w;
    ptc_csv_writer_init(&w, fp);
    ptc_timeline_header(&w);
    const struct ptc_machine m = {.host = "h,1",
                                  .cpu_model = "CPU X",
                                  .cpus = 8,
                                  .kernel = "6.1",
                                  .compiler = "gcc 12",
                                  .git_rev = "abc"};
    struct ptc_task_result results[2] = {{.worker = 1, .start_ns = 1100, .end_ns = 1500},
                                         {.worker = 0, .start_ns = 1000, .end_ns = 2000}};
    const struct ptc_timeline_run run = {.workload = "sleep",
                                         .model = "procpool",
                                         .workers = 2,
                                         .tasks = 2,
                                         .rep = 3,
                                         .machine = &m};
    ptc_timeline_tasks(&w, &run, results, 1000);
    const struct ptc_timeline_run claim = {.workload = "deposit",
                                           .model = "thread",
                                           .workers = 4,
                                           .tasks = 4,
                                           .claim = "06",
                                           .machine = &m};
    ptc_timeline_row(&w, &claim, 2, 2, 5, 9);
    assert_int_equal(ptc_csv_error(&w), 0);
    fclose(fp);
    assert_string_equal(text, "claim,workload,model,workers,tasks,rep,task,worker,start_ns,end_ns,"
                              "host,cpu_model,cpus,kernel,compiler,git_rev\n"
                              "-,sleep,procpool,2,2,3,0,1,100,500,\"h,1\",CPU X,8,6.1,gcc 12,abc\n"
                              "-,sleep,procpool,2,2,3,1,0,0,1000,\"h,1\",CPU X,8,6.1,gcc 12,abc\n"
                              "06,deposit,thread,4,4,0,2,2,5,9,\"h,1\",CPU X,8,6.1,gcc 12,abc\n");
    free(text);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
