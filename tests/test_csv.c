/* core/csv, report/table and core/outfile: what the writer writes, the reader (libcsv, strict)
 * reads back field for field; malformed files and numbers are errors that name the file and line;
 * output files appear whole on commit and leave nothing behind otherwise, and a program's outputs
 * are checked against each other and its inputs before any work. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/csv.h"
#include "core/outfile.h"
#include "ptc_test.h"
#include "report/table.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

/* ---- a reader callback that keeps every record ---- */

#define MAX_ROWS   16
#define MAX_FIELDS 32

struct rows {
    size_t n;
    size_t n_fields[MAX_ROWS];
    size_t line[MAX_ROWS];
    char *field[MAX_ROWS][MAX_FIELDS];
    size_t stop_at; /* return stop_value at this record (1-based); 0: never */
    int stop_value;
};

static int keep_row(void *arg, char **fields, size_t n_fields, size_t line) {
    struct rows *r = arg;
    assert_true(r->n < MAX_ROWS);
    assert_true(n_fields <= MAX_FIELDS);
    r->n_fields[r->n] = n_fields;
    r->line[r->n] = line;
    for (size_t i = 0; i < n_fields; i++) {
        r->field[r->n][i] = strdup(fields[i]);
        assert_non_null(r->field[r->n][i]);
    }
    r->n++;
    return r->stop_at != 0 && r->n == r->stop_at ? r->stop_value : 0;
}

static void rows_free(struct rows *r) {
    for (size_t i = 0; i < r->n; i++)
        for (size_t j = 0; j < r->n_fields[i]; j++)
            free(r->field[i][j]);
    memset(r, 0, sizeof *r);
}

/* ---- fixtures: a scratch directory per test ---- */

struct fixture {
    char *dir;
    char path[4096];
};

static int setup_dir(void **state) {
    struct fixture *f = calloc(1, sizeof *f);
    if (f == NULL || (f->dir = ptc_test_mkdtemp()) == NULL)
        return -1;
    snprintf(f->path, sizeof f->path, "%s/data.csv", f->dir);
    *state = f;
    return 0;
}

static int teardown_dir(void **state) {
    struct fixture *f = *state;
    ptc_test_rmdir(f->dir);
    free(f);
    return 0;
}

static void write_file(const char *path, const char *content) {
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    assert_int_equal(fputs(content, fp) >= 0, 1);
    assert_int_equal(fclose(fp), 0);
}

/* ---- writer -> reader round trip ---- */

static const char *const row1[] = {"plain", "a,b", "say \"hi\"", "", "x", NULL};
static const char *const row2[] = {"line1\nline2", "cr\rhere", " lead", "trail ", " both ",
                                   "\"",           ",",        "\r\n",  "",       NULL};
static const char *const row3[] = {"\n", "a\"\"b", "\"quoted\"", "caf\xc3\xa9", "semi;colon", NULL};

static size_t strv_len(const char *const *v) {
    size_t n = 0;
    while (v[n] != NULL)
        n++;
    return n;
}

static void expect_row(const struct rows *r, size_t i, const char *const *want, size_t line) {
    size_t n = strv_len(want);
    assert_int_equal(r->n_fields[i], n);
    for (size_t j = 0; j < n; j++)
        if (strcmp(r->field[i][j], want[j]) != 0)
            fail_msg("row %zu field %zu: read \"%s\", wrote \"%s\"", i, j, r->field[i][j], want[j]);
    assert_int_equal(r->line[i], line);
}

static void test_round_trip(void **state) {
    struct fixture *f = *state;
    FILE *fp = fopen(f->path, "w");
    assert_non_null(fp);
    struct ptc_csv_writer w;
    ptc_csv_writer_init(&w, fp);
    ptc_csv_header(&w, row1);                  /* line 1 */
    for (const char *const *s = row2; *s; s++) /* lines 2-4: two LFs inside fields */
        ptc_csv_str(&w, *s);
    ptc_csv_end_row(&w);
    for (const char *const *s = row3; *s; s++) /* lines 5-6 */
        ptc_csv_str(&w, *s);
    ptc_csv_end_row(&w);
    ptc_csv_u64(&w, UINT64_MAX); /* line 7 */
    ptc_csv_u64(&w, 0);
    ptc_csv_i64(&w, -42);
    ptc_csv_i64(&w, INT64_MIN);
    ptc_csv_i64(&w, INT64_MAX);
    ptc_csv_f64(&w, 3.14159265, 3);
    ptc_csv_f64(&w, -0.125, 3);
    ptc_csv_f64(&w, 1234.5678, 2);
    ptc_csv_f64(&w, 7.0, 0);
    ptc_csv_f64(&w, NAN, 4);
    ptc_csv_f64(&w, INFINITY, 4);
    ptc_csv_f64(&w, -INFINITY, 4);
    ptc_csv_str(&w, NULL); /* NULL is written as an empty field */
    ptc_csv_str(&w, "end");
    ptc_csv_end_row(&w);
    assert_int_equal(ptc_csv_error(&w), 0);
    assert_int_equal(fclose(fp), 0);

    struct rows r = {0};
    char err[512] = "";
    assert_int_equal(ptc_csv_read(f->path, keep_row, &r, err, sizeof err), 0);
    assert_int_equal(r.n, 4);
    expect_row(&r, 0, row1, 1);
    expect_row(&r, 1, row2, 4);
    expect_row(&r, 2, row3, 6);
    static const char *const row4[] = {"18446744073709551615",
                                       "0",
                                       "-42",
                                       "-9223372036854775808",
                                       "9223372036854775807",
                                       "3.142",
                                       "-0.125",
                                       "1234.57",
                                       "7",
                                       "",
                                       "",
                                       "",
                                       "",
                                       "end",
                                       NULL};
    expect_row(&r, 3, row4, 7);
    rows_free(&r);

    /* Plain text and numbers are written bare (gnuplot reads them), the rest quoted. */
    char *text = ptc_test_slurp(f->path);
    assert_non_null(text);
    const char *first_line = "plain,\"a,b\",\"say \"\"hi\"\"\",,x\n";
    assert_true(strncmp(text, first_line, strlen(first_line)) == 0);
    assert_non_null(strstr(text, "\n18446744073709551615,0,-42,-9223372036854775808,"
                                 "9223372036854775807,3.142,-0.125,1234.57,7,,,,,end\n"));
    assert_non_null(strstr(text, "\" lead\",\"trail \",\" both \""));
    free(text);
}

static void test_read_last_record_without_newline(void **state) {
    struct fixture *f = *state;
    write_file(f->path, "a,b\n\nc,\"d\ne\"");
    struct rows r = {0};
    char err[512] = "";
    assert_int_equal(ptc_csv_read(f->path, keep_row, &r, err, sizeof err), 0);
    assert_int_equal(r.n, 2);
    static const char *const first[] = {"a", "b", NULL}, *const second[] = {"c", "d\ne", NULL};
    expect_row(&r, 0, first, 1);
    expect_row(&r, 1, second, 4);
    rows_free(&r);
}

static void test_read_empty_file(void **state) {
    struct fixture *f = *state;
    write_file(f->path, "");
    struct rows r = {0};
    char err[512] = "";
    assert_int_equal(ptc_csv_read(f->path, keep_row, &r, err, sizeof err), 0);
    assert_int_equal(r.n, 0);
}

/* err must read "<path>:<line>: reason". */
static void expect_error_at(const char *err, const char *path, size_t line) {
    char prefix[4200];
    snprintf(prefix, sizeof prefix, "%s:%zu: ", path, line);
    if (strncmp(err, prefix, strlen(prefix)) != 0 || strlen(err) == strlen(prefix))
        fail_msg("error message \"%s\" does not start with \"%s\" and a reason", err, prefix);
}

static void test_read_stray_quote(void **state) {
    struct fixture *f = *state;
    write_file(f->path, "ok,row\nstill,ok\na,b\"c,d\nnever,read\n");
    struct rows r = {0};
    char err[512] = "";
    int rc = ptc_csv_read(f->path, keep_row, &r, err, sizeof err);
    assert_true(rc < 0);
    assert_int_equal(rc, -EINVAL);
    expect_error_at(err, f->path, 3);
    assert_int_equal(r.n, 2); /* the records before the error were delivered, none after */
    rows_free(&r);
}

static void test_read_text_after_closing_quote(void **state) {
    struct fixture *f = *state;
    write_file(f->path, "\"a\"b,c\n");
    struct rows r = {0};
    char err[512] = "";
    assert_int_equal(ptc_csv_read(f->path, keep_row, &r, err, sizeof err), -EINVAL);
    expect_error_at(err, f->path, 1);
    rows_free(&r);
}

static void test_read_unterminated_quote(void **state) {
    struct fixture *f = *state;
    write_file(f->path, "x,y\n\"abc,def\nmore\n");
    struct rows r = {0};
    char err[512] = "";
    int rc = ptc_csv_read(f->path, keep_row, &r, err, sizeof err);
    assert_int_equal(rc, -EINVAL);
    expect_error_at(err, f->path, 3);
    assert_int_equal(r.n, 1);
    rows_free(&r);
}

static void test_read_missing_file(void **state) {
    struct fixture *f = *state;
    struct rows r = {0};
    char err[512] = "";
    assert_int_equal(ptc_csv_read(f->path, keep_row, &r, err, sizeof err), -ENOENT);
    assert_non_null(strstr(err, f->path));
    assert_int_equal(r.n, 0);
}

static void test_read_callback_stops(void **state) {
    struct fixture *f = *state;
    write_file(f->path, "1\n2\n3\n4\n5\n");
    struct rows r = {.stop_at = 2, .stop_value = 42};
    char err[512] = "";
    assert_int_equal(ptc_csv_read(f->path, keep_row, &r, err, sizeof err), 42);
    assert_int_equal(r.n, 2);
    rows_free(&r);

    r = (struct rows){.stop_at = 1, .stop_value = -ECANCELED};
    assert_int_equal(ptc_csv_read(f->path, keep_row, &r, err, sizeof err), -ECANCELED);
    assert_int_equal(r.n, 1);
    rows_free(&r);

    /* The last record (delivered by csv_fini, no trailing newline) can stop too. */
    write_file(f->path, "1\n2");
    r = (struct rows){.stop_at = 2, .stop_value = 7};
    assert_int_equal(ptc_csv_read(f->path, keep_row, &r, err, sizeof err), 7);
    assert_int_equal(r.n, 2);
    rows_free(&r);
}

static void test_writer_error_is_sticky(void **state) {
    FILE *fp = fopen("/dev/full", "w");
    if (fp == NULL)
        skip();
    setvbuf(fp, NULL, _IONBF, 0); /* every write reaches the device and fails */
    struct ptc_csv_writer w;
    ptc_csv_writer_init(&w, fp);
    ptc_csv_str(&w, "a");
    ptc_csv_u64(&w, 1);
    ptc_csv_end_row(&w);
    assert_int_equal(ptc_csv_error(&w), -ENOSPC);
    ptc_csv_str(&w, "more");
    assert_int_equal(ptc_csv_error(&w), -ENOSPC);
    fclose(fp);
}

static void read_back(const char *path, struct rows *r) {
    char err[512] = "";
    int rc = ptc_csv_read(path, keep_row, r, err, sizeof err);
    if (rc != 0)
        fail_msg("ptc_csv_read: %d: %s", rc, err);
}

/* Regression: libcsv trims tabs (as spaces) around unquoted fields, so a field with a tab at an
 * edge must be quoted to read back whole. */
static void test_regression_edge_tabs(void **state) {
    struct fixture *f = *state;
    FILE *fp = fopen(f->path, "w");
    assert_non_null(fp);
    struct ptc_csv_writer w;
    ptc_csv_writer_init(&w, fp);
    ptc_csv_str(&w, "\ttab");
    ptc_csv_str(&w, "tab\t");
    ptc_csv_end_row(&w);
    assert_int_equal(fclose(fp), 0);
    struct rows r = {0};
    read_back(f->path, &r);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.n_fields[0], 2);
    assert_string_equal(r.field[0][0], "\ttab");
    assert_string_equal(r.field[0][1], "tab\t");
    rows_free(&r);
}

/* Regression: a row of one empty field (an empty string, NULL or a NaN) must not be written as an
 * empty line, which libcsv skips. */
static void test_regression_single_empty_field_row(void **state) {
    struct fixture *f = *state;
    FILE *fp = fopen(f->path, "w");
    assert_non_null(fp);
    struct ptc_csv_writer w;
    ptc_csv_writer_init(&w, fp);
    ptc_csv_str(&w, "first");
    ptc_csv_end_row(&w);
    ptc_csv_f64(&w, NAN, 3);
    ptc_csv_end_row(&w);
    ptc_csv_str(&w, "last");
    ptc_csv_end_row(&w);
    assert_int_equal(fclose(fp), 0);
    struct rows r = {0};
    read_back(f->path, &r);
    assert_int_equal(r.n, 3);
    assert_int_equal(r.n_fields[1], 1);
    assert_string_equal(r.field[1][0], "");
    rows_free(&r);
}

/* ---- outfile ---- */

static void test_outfile_commit(void **state) {
    struct fixture *f = *state;
    struct ptc_outfile of;
    assert_int_equal(ptc_outfile_open(&of, f->path), 0);
    assert_non_null(of.fp);
    /* Until the commit only the temporary file exists, beside the target. */
    assert_int_equal(ptc_test_count_entries(f->dir), 1);
    assert_int_equal(ptc_test_count_matching(f->dir, "data.csv.tmp."), 1);
    assert_int_equal(access(f->path, F_OK), -1);
    assert_true(fputs("a,b\n1,2\n", of.fp) >= 0);
    assert_int_equal(ptc_outfile_commit(&of), 0);
    assert_null(of.fp);
    assert_null(of.path);
    assert_null(of.tmp_path);
    char *text = ptc_test_slurp(f->path);
    assert_non_null(text);
    assert_string_equal(text, "a,b\n1,2\n");
    free(text);
    assert_int_equal(ptc_test_count_entries(f->dir), 1);
    assert_int_equal(ptc_test_count_matching(f->dir, ".tmp."), 0);
}

static void test_outfile_commit_replaces(void **state) {
    struct fixture *f = *state;
    write_file(f->path, "old content that is longer\n");
    struct ptc_outfile of;
    assert_int_equal(ptc_outfile_open(&of, f->path), 0);
    char *text = ptc_test_slurp(f->path); /* the old file is untouched until the commit */
    assert_string_equal(text, "old content that is longer\n");
    free(text);
    fputs("new\n", of.fp);
    assert_int_equal(ptc_outfile_commit(&of), 0);
    text = ptc_test_slurp(f->path);
    assert_string_equal(text, "new\n");
    free(text);
    assert_int_equal(ptc_test_count_entries(f->dir), 1);
}

static void test_outfile_abort(void **state) {
    struct fixture *f = *state;
    struct ptc_outfile of;
    assert_int_equal(ptc_outfile_open(&of, f->path), 0);
    fputs("never seen\n", of.fp);
    ptc_outfile_abort(&of);
    assert_int_equal(ptc_test_count_entries(f->dir), 0);
    ptc_outfile_abort(&of); /* a finished outfile ... */
    struct ptc_outfile zero = {0};
    ptc_outfile_abort(&zero); /* ... and a zeroed one are safe */
    assert_int_equal(ptc_test_count_entries(f->dir), 0);
}

static void test_outfile_missing_dir(void **state) {
    struct ptc_outfile of;
    memset(&of, 0x5a, sizeof of);
    int rc = ptc_outfile_open(&of, "/nonexistent/dir/x.csv");
    assert_true(rc < 0);
    assert_int_equal(rc, -ENOENT);
    assert_null(of.fp);
    assert_null(of.path);
    assert_null(of.tmp_path);
    assert_int_equal(access("/nonexistent", F_OK), -1);
    ptc_outfile_abort(&of);
}

static void test_outfile_commit_fails_cleanly(void **state) {
    struct fixture *f = *state;
    struct ptc_outfile of;
    /* A directory as the target is refused at open, before any work is done. */
    assert_int_equal(mkdir(f->path, 0755), 0);
    assert_int_equal(ptc_outfile_open(&of, f->path), -EISDIR);
    assert_null(of.fp);
    assert_int_equal(rmdir(f->path), 0);
    /* The target becomes a directory while the run goes on: the rename fails at commit and the
     * temporary file must go. */
    assert_int_equal(ptc_outfile_open(&of, f->path), 0);
    assert_int_equal(mkdir(f->path, 0755), 0);
    fputs("x\n", of.fp);
    int rc = ptc_outfile_commit(&of);
    assert_true(rc < 0);
    assert_int_equal(ptc_test_count_entries(f->dir), 1); /* the directory only */
    assert_int_equal(ptc_test_count_matching(f->dir, ".tmp."), 0);
    assert_null(of.fp);
    assert_null(of.tmp_path);
}

static void test_outfile_limit(void **state) {
    struct fixture *f = *state;
    struct ptc_outfile of[17];
    char path[4200];
    for (int i = 0; i < 16; i++) {
        snprintf(path, sizeof path, "%s/f%d.csv", f->dir, i);
        assert_int_equal(ptc_outfile_open(&of[i], path), 0);
    }
    snprintf(path, sizeof path, "%s/f16.csv", f->dir);
    int rc = ptc_outfile_open(&of[16], path);
    assert_int_equal(rc, -EMFILE);
    assert_int_equal(ptc_test_count_entries(f->dir), 16); /* the failed one left nothing */
    ptc_outfile_abort(&of[3]);
    assert_int_equal(ptc_outfile_open(&of[16], path), 0); /* the freed slot is reusable */
    for (int i = 0; i < 17; i++)
        if (i != 3)
            assert_int_equal(ptc_outfile_commit(&of[i]), 0);
    assert_int_equal(ptc_test_count_entries(f->dir), 16);
    assert_int_equal(ptc_test_count_matching(f->dir, ".tmp."), 0);
}

static void test_outfile_stdout(void **state) {
    struct ptc_outfile of;
    assert_int_equal(ptc_outfile_open(&of, "-"), 0);
    assert_ptr_equal(of.fp, stdout);
    assert_null(of.tmp_path);
    assert_int_equal(ptc_outfile_commit(&of), 0);
    assert_int_equal(ptc_outfile_open(&of, "-"), 0);
    ptc_outfile_abort(&of);
    assert_true(fputs("", stdout) >= 0); /* stdout was not closed */
}

/* A child opens an outfile, installs the handlers and is killed by sig: the temporary file must
 * be gone and the child must have died of that very signal. */
static void check_signal_cleanup(const char *dir, int sig) {
    char path[4200];
    snprintf(path, sizeof path, "%s/sig%d.csv", dir, sig);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        ptc_outfile_cleanup_on_signals();
        struct ptc_outfile of;
        if (ptc_outfile_open(&of, path) < 0)
            _exit(3);
        fputs("partial\n", of.fp);
        fflush(of.fp);
        raise(sig);
        _exit(4); /* not reached */
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (!WIFSIGNALED(status) || WTERMSIG(status) != sig)
        fail_msg("child status %#x, expected death by signal %d", status, sig);
    assert_int_equal(ptc_test_count_entries(dir), 0);
}

static void test_outfile_signal_cleanup(void **state) {
    struct fixture *f = *state;
    check_signal_cleanup(f->dir, SIGINT);
    check_signal_cleanup(f->dir, SIGTERM);
    check_signal_cleanup(f->dir, SIGHUP);
}

/* A NUL byte would cut the field short ("42\0" read as 42): an error naming line and column. */
static void test_read_nul_byte(void **state) {
    struct fixture *f = *state;
    static const char content[] = "a,b\n1,2\n3,42\0\n";
    FILE *fp = fopen(f->path, "w");
    assert_non_null(fp);
    assert_int_equal(fwrite(content, 1, sizeof content - 1, fp), sizeof content - 1);
    assert_int_equal(fclose(fp), 0);
    struct rows r = {0};
    char err[512] = "";
    assert_int_equal(ptc_csv_read(f->path, keep_row, &r, err, sizeof err), -EINVAL);
    expect_error_at(err, f->path, 3);
    assert_non_null(strstr(err, "column 2"));
    assert_non_null(strstr(err, "NUL"));
    assert_int_equal(r.n, 2);
    rows_free(&r);
}

/* ---- report/table: numbers and counts as ptcbench writes them, nothing else ---- */

static void test_table_numbers(void **state) {
    struct fixture *f = *state;
    static const char *const bad[] = {"0x10", " 42", "42 ", "+5",    "inf", "nan",   "1e",
                                      ".",    "-",   "1,5", "1e400", "--1", "0x1p3", "4 2"};
    static const char *const good[] = {"42", "-1.5", "1e3", "5.", ".5", "2.5E-3", "0"};
    static const double good_value[] = {42, -1.5, 1000, 5, 0.5, 0.0025, 0};
    char content[1024] = "x\n";
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        snprintf(content + strlen(content), sizeof content - strlen(content), "\"%s\"\n", bad[i]);
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        snprintf(content + strlen(content), sizeof content - strlen(content), "%s\n", good[i]);
    write_file(f->path, content);
    struct ptc_table t;
    char err[512] = "";
    assert_int_equal(ptc_table_load(f->path, &t, err, sizeof err), 0);
    size_t r = 0;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++, r++) {
        double v;
        err[0] = '\0';
        if (ptc_table_number(&t, r, 0, &v, err, sizeof err) != -EINVAL)
            fail_msg("'%s' was read as the number %g", bad[i], v);
        expect_error_at(err, f->path, r + 2);
        assert_non_null(strstr(err, "column 1 (x)"));
    }
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++, r++) {
        double v = -99;
        if (ptc_table_number(&t, r, 0, &v, err, sizeof err) != 0)
            fail_msg("'%s' was refused: %s", good[i], err);
        assert_float_equal(v, good_value[i], 1e-12);
    }
    ptc_table_free(&t);
}

static void test_table_counts(void **state) {
    struct fixture *f = *state;
    write_file(f->path, "tasks\n0\n1\n1.0\n\"\"\n-1\n\" 3\"\n18446744073709551616\n8\n");
    struct ptc_table t;
    char err[512] = "";
    assert_int_equal(ptc_table_load(f->path, &t, err, sizeof err), 0);
    uint64_t v = 0;
    assert_int_equal(ptc_table_count(&t, 0, 0, 1, &v, err, sizeof err), -EINVAL);
    expect_error_at(err, f->path, 2);
    assert_non_null(strstr(err, "column 1 (tasks)"));
    assert_int_equal(ptc_table_count(&t, 1, 0, 1, &v, err, sizeof err), 0);
    assert_int_equal(v, 1);
    for (size_t r = 2; r <= 6; r++)
        assert_int_equal(ptc_table_count(&t, r, 0, 1, &v, err, sizeof err), -EINVAL);
    assert_int_equal(ptc_table_count(&t, 7, 0, 1, &v, err, sizeof err), 0);
    assert_int_equal(v, 8);
    ptc_table_free(&t);
}

/* Every broken file is an error naming its line and column: cut off inside the header, a header
 * or a last row without its newline, an empty file, a row of too few or too many fields, a NUL. */
static void test_table_broken(void **state) {
    struct fixture *f = *state;
    static const struct {
        const char *content;
        size_t len; /* 0: strlen */
        size_t line;
        const char *where, *why;
    } cases[] = {
        {"host,workl", 0, 1, "column 2", "cut off: the header"},
        {"a,b,c", 0, 1, "column 3", "cut off: the header"},
        {"a,b\n1,2\n3,4", 0, 3, "column 2", "cut off: the last row"},
        {"", 0, 1, "column 1", "empty"},
        {"a,b,c\n1,2\n", 0, 2, "column 3", "2 fields, the header has 3"},
        {"a,b\n1,2,3\n", 0, 2, "column 3", "3 fields, the header has 2"},
        {"a,b\n1,2\0\n", 9, 2, "column 2", "NUL"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len = cases[i].len ? cases[i].len : strlen(cases[i].content);
        FILE *fp = fopen(f->path, "w");
        assert_non_null(fp);
        assert_int_equal(fwrite(cases[i].content, 1, len, fp), len);
        assert_int_equal(fclose(fp), 0);
        struct ptc_table t;
        char err[512] = "";
        if (ptc_table_load(f->path, &t, err, sizeof err) != -EINVAL)
            fail_msg("case %zu was read", i);
        expect_error_at(err, f->path, cases[i].line);
        if (strstr(err, cases[i].where) == NULL || strstr(err, cases[i].why) == NULL)
            fail_msg("case %zu: \"%s\" lacks \"%s\" or \"%s\"", i, err, cases[i].where,
                     cases[i].why);
    }
}

/* ---- the outputs of a program, checked before any work ---- */

static void test_outputs_check(void **state) {
    struct fixture *f = *state;
    char a[4200], a2[4200], b[4200], err[512];
    snprintf(a, sizeof a, "%s/a.csv", f->dir);
    snprintf(a2, sizeof a2, "%s/./a.csv", f->dir);
    snprintf(b, sizeof b, "%s/b.csv", f->dir);
    struct ptc_output ok[] = {{"--out", a}, {"--summary", b}, {"--timeline", NULL}};
    assert_int_equal(ptc_outputs_check(ok, 3, NULL, 0, err, sizeof err), 0);
    struct ptc_output empty[] = {{"--out", a}, {"--md", ""}};
    assert_int_equal(ptc_outputs_check(empty, 2, NULL, 0, err, sizeof err), -EINVAL);
    assert_non_null(strstr(err, "--md"));
    struct ptc_output same[] = {{"--out", a}, {"--summary", a2}};
    assert_int_equal(ptc_outputs_check(same, 2, NULL, 0, err, sizeof err), -EINVAL);
    assert_non_null(strstr(err, "--summary"));
    assert_non_null(strstr(err, "--out"));
    struct ptc_output stdouts[] = {{"--md", "-"}, {"--csv", a}, {"--findings", "-"}};
    assert_int_equal(ptc_outputs_check(stdouts, 3, NULL, 0, err, sizeof err), -EINVAL);
    assert_non_null(strstr(err, "stdout"));
    struct ptc_output devices[] = {{"--out", "/dev/null"}, {"--summary", "/dev/null"}};
    assert_int_equal(ptc_outputs_check(devices, 2, NULL, 0, err, sizeof err), 0);
    /* An output over an input, also through a link: refused. */
    write_file(b, "x\n1\n");
    char link[4200];
    snprintf(link, sizeof link, "%s/link.csv", f->dir);
    assert_int_equal(symlink(b, link), 0);
    const char *const inputs[] = {b};
    struct ptc_output over[] = {{"--csv", link}};
    assert_int_equal(ptc_outputs_check(over, 1, inputs, 1, err, sizeof err), -EINVAL);
    assert_non_null(strstr(err, "--csv"));
    assert_int_equal(ptc_outputs_check(ok, 1, inputs, 1, err, sizeof err), 0);
    unlink(link);
    unlink(b);
}

/* A full device: the commit names ENOSPC, not EIO. */
static void test_outfile_full_device(void **state) {
    (void)state;
    if (access("/dev/full", W_OK) != 0)
        skip();
    struct ptc_outfile of;
    assert_int_equal(ptc_outfile_open(&of, "/dev/full"), 0);
    for (int i = 0; i < 10000; i++)
        fputs("a row that does not fit\n", of.fp);
    assert_int_equal(ptc_outfile_commit(&of), -ENOSPC);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup_dir, teardown_dir)

int main(void) {
    const struct CMUnitTest tests[] = {
        T(test_round_trip),
        T(test_read_last_record_without_newline),
        T(test_read_empty_file),
        T(test_read_stray_quote),
        T(test_read_text_after_closing_quote),
        T(test_read_unterminated_quote),
        T(test_read_missing_file),
        T(test_read_callback_stops),
        cmocka_unit_test(test_writer_error_is_sticky),
        T(test_regression_edge_tabs),
        T(test_regression_single_empty_field_row),
        T(test_outfile_commit),
        T(test_outfile_commit_replaces),
        T(test_outfile_abort),
        cmocka_unit_test(test_outfile_missing_dir),
        T(test_outfile_commit_fails_cleanly),
        T(test_outfile_limit),
        cmocka_unit_test(test_outfile_stdout),
        T(test_outfile_signal_cleanup),
        T(test_read_nul_byte),
        T(test_table_numbers),
        T(test_table_counts),
        T(test_table_broken),
        T(test_outputs_check),
        cmocka_unit_test(test_outfile_full_device),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
