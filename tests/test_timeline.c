/* The one timeline format (src/runner/timeline.c): its header, a task's row with its times from
 * the run's start, and "-" as the claim of a run outside the ledger. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

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
    struct ptc_task_result results[2] = {{.worker = 1, .start_ns = 1100, .end_ns = 1500},
                                         {.worker = 0, .start_ns = 1000, .end_ns = 2000}};
    const struct ptc_timeline_run run = {
        .workload = "sleep", .model = "procpool", .workers = 2, .tasks = 2, .rep = 3};
    ptc_timeline_tasks(&w, &run, results, 1000);
    const struct ptc_timeline_run claim = {
        .workload = "deposit", .model = "thread", .workers = 4, .tasks = 4, .claim = "06"};
    ptc_timeline_row(&w, &claim, 2, 2, 5, 9);
    assert_int_equal(ptc_csv_error(&w), 0);
    fclose(fp);
    assert_string_equal(text, "claim,workload,model,workers,tasks,rep,task,worker,start_ns,end_ns\n"
                              "-,sleep,procpool,2,2,3,0,1,100,500\n"
                              "-,sleep,procpool,2,2,3,1,0,0,1000\n"
                              "06,deposit,thread,4,4,0,2,2,5,9\n");
    free(text);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
