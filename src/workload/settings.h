/* The workload settings: one descriptor per setting (flag, argument, range, default, CSV column,
 * help), as stress-ng's stressors declare their options. Each is declared once, as one entry of
 * workload/settings.def, which gives both its field in struct ptc_workload_params and its
 * descriptor in settings.c's table. This one table drives ptc-run's long options, its --help, the
 * validation of every value, the run CSV's setting columns and the report's configuration keys;
 * each workload lists, by flag, the settings it reads (ptc_workload.settings). A setting given a
 * comma-separated list is a sweep axis: the grid runs the product of every list
 * (ptc_settings_product).
 *
 * Adding a setting: one entry in workload/settings.def plus its use: its flag in the .settings
 * list of the workloads that read it, and the field read in their file (st->p.field). */
#ifndef PTC_WORKLOAD_SETTINGS_H
#define PTC_WORKLOAD_SETTINGS_H

#include "workload/workload.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ptc_setting_kind {
    PTC_SETTING_U32,      /* whole number in [min, max] into a uint32_t */
    PTC_SETTING_U64,      /* whole number in [min, max] into a uint64_t */
    PTC_SETTING_MS,       /* whole ms in [min, max] into a ptc_ns */
    PTC_SETTING_MS_RANGE, /* "MS" or "LO:HI" whole ms into two ptc_ns (offset, offset_hi) */
    PTC_SETTING_FRACTION, /* a number in [min, max] into a double */
    PTC_SETTING_CHOICE,   /* one of choices[] into an int: its index */
    PTC_SETTING_FLAG,     /* no argument: sets an int to 1 */
    PTC_SETTING_PATH,     /* any text into a const char * (not a list: commas stay) */
};

/* Where a setting's column goes in a run row: after "tasks" (the task's size) or after
 * "timer_slack_ns" (the workload's parameters). */
enum ptc_setting_place { PTC_COLUMN_SIZE, PTC_COLUMN_WORKLOAD, PTC_COLUMN_ANY };

struct ptc_setting {
    const char *flag; /* the long option without "--": "file-kib"; what workloads list */
    const char *arg;  /* the argument in --help: "N", "MS|LO:HI"; NULL for a flag */
    const char *help; /* the rest of its --help line(s); "\n" starts an indented line */
    enum ptc_setting_kind kind;
    size_t offset, offset_hi;   /* of the field(s) in struct ptc_workload_params */
    uint64_t min, max;          /* the range of a number */
    const char *const *choices; /* CHOICE: NULL-terminated */
    const char *deflt;          /* the default as an argument would give it; NULL: none (0) */
    const char *column;         /* in the run CSV and the report's keys; NULL: none */
    enum ptc_setting_place place;
    /* The column's text for a configured workload; NULL: the value as given. */
    void (*format)(const struct ptc_workload_state *st, char *buf, size_t size);
    /* True when the row shows the value; NULL: when the workload lists the setting. */
    bool (*shown)(const struct ptc_workload_state *st);
};

/* A CHOICE setting's choices, NULL-terminated: .choices = PTC_CHOICES("sleep", "net"). */
#define PTC_CHOICES(...) PTC_SETTINGS(__VA_ARGS__)

/* The table, in column order; *n receives its length. */
const struct ptc_setting *ptc_settings_all(size_t *n);
/* The setting with that flag, or NULL. */
const struct ptc_setting *ptc_setting_find(const char *flag);

/* True when the workload lists the setting (or lists it under a NULL .settings: none). */
bool ptc_workload_uses(const struct ptc_workload *wl, const char *flag);

/* Its --help text: the workloads that read it (when not all), the help, the choices, the range
 * and the default: "file: KiB per file, 1..1048576 (default 1024)". */
void ptc_setting_help(const struct ptc_setting *s, char *buf, size_t size);

/* Parses one value of s (not a list) into *p. Returns 0, or a negative errno with a one-line
 * message "--flag: 'text' must be ..." in err. */
int ptc_setting_parse(const struct ptc_setting *s, const char *text, struct ptc_workload_params *p,
                      char *err, size_t err_size);

/* The value of s in p as an argument would give it ("" when unset), into buf. */
void ptc_setting_value(const struct ptc_setting *s, const struct ptc_workload_params *p, char *buf,
                       size_t size);

/* The text of s's column for a configured workload: "" when the row does not show it. */
void ptc_setting_text(const struct ptc_setting *s, const struct ptc_workload_state *st, char *buf,
                      size_t size);

#define PTC_MAX_SETTINGS 32 /* the table's length at most */

/* The values given for each setting: lists of texts, each one checked. */
struct ptc_setting_lists {
    char **items[PTC_MAX_SETTINGS]; /* [index in the table]: NULL-terminated, NULL: not given */
};

/* Takes the argument of --flag: a comma-separated list (a single value for flags and paths),
 * each item checked by ptc_setting_parse. A later --flag replaces an earlier one. Returns 0 or a
 * negative errno with err filled. */
int ptc_setting_lists_set(struct ptc_setting_lists *l, const struct ptc_setting *s, const char *arg,
                          char *err, size_t err_size);
void ptc_setting_lists_free(struct ptc_setting_lists *l);

#define PTC_MAX_COMBINATIONS 100000

/* Every combination of the given values, the defaults for the rest: *out is a new array of *n
 * parameter sets (free()), ordered with the first setting of the table varying slowest. Returns 0,
 * -E2BIG (more than PTC_MAX_COMBINATIONS) or -ENOMEM. */
int ptc_settings_product(const struct ptc_setting_lists *l, struct ptc_workload_params **out,
                         size_t *n);

/* The setting columns of a run row at place (PTC_COLUMN_ANY: all, what makes a configuration
 * for the report), in order, NULL-terminated: into names[] (PTC_MAX_SETTINGS + 1). */
void ptc_setting_columns(enum ptc_setting_place place, const char **names);

#endif
