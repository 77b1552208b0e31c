#include "workload/settings.h"

#include "core/parse.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TASK_MS 86400000ULL /* a day */
#define MAX_ITEMS   64          /* values in one list */
#define P(field)    offsetof(struct ptc_workload_params, field)

/* The per-task iteration counts the workload derived: one number when all tasks share it, else
 * "LO:HI", "" when it counts none. */
static void format_iterations(const struct ptc_workload_state *st, char *buf, size_t size) {
    uint64_t lo = UINT64_MAX, hi = 0;
    for (uint32_t i = 0; i < st->p.tasks; i++) {
        lo = st->task_iters[i] < lo ? st->task_iters[i] : lo;
        hi = st->task_iters[i] > hi ? st->task_iters[i] : hi;
    }
    if (hi == 0)
        buf[0] = '\0';
    else if (lo == hi)
        snprintf(buf, size, "%" PRIu64, lo);
    else
        snprintf(buf, size, "%" PRIu64 ":%" PRIu64, lo, hi);
}

static bool always(const struct ptc_workload_state *st) {
    (void)st;
    return true;
}

/* The net workload's latency, and mixed's wait when it waits with a request (its setup sets the
 * latency to the waiting part of the task). */
static bool net_latency_shown(const struct ptc_workload_state *st) {
    return ptc_workload_uses(st->wl, "net-latency-ms") ||
           (ptc_workload_uses(st->wl, "mixed-wait") && st->p.mixed_wait_net);
}

/* One descriptor per entry of settings.def, its offsets taken from the field(s) it names. */
static const struct ptc_setting settings[] = {
#define PTC_SETTING(field, KIND, ...) {.kind = PTC_SETTING_##KIND, .offset = P(field), __VA_ARGS__},
#define PTC_SETTING_RANGE(field_lo, field_hi, KIND, ...)                                           \
    {.kind = PTC_SETTING_##KIND, .offset = P(field_lo), .offset_hi = P(field_hi), __VA_ARGS__},
#include "workload/settings.def"
};
#define N_SETTINGS (sizeof settings / sizeof settings[0])
_Static_assert(N_SETTINGS <= PTC_MAX_SETTINGS, "PTC_MAX_SETTINGS holds every setting");

const struct ptc_setting *ptc_settings_all(size_t *n) {
    *n = N_SETTINGS;
    return settings;
}

const struct ptc_setting *ptc_setting_find(const char *flag) {
    for (size_t i = 0; i < N_SETTINGS; i++)
        if (strcmp(settings[i].flag, flag) == 0)
            return &settings[i];
    return NULL;
}

bool ptc_workload_uses(const struct ptc_workload *wl, const char *flag) {
    for (const char *const *s = wl->settings; s != NULL && *s != NULL; s++)
        if (strcmp(*s, flag) == 0)
            return true;
    return false;
}

static void *field(struct ptc_workload_params *p, size_t offset) {
    return (char *)p + offset;
}

static const void *cfield(const struct ptc_workload_params *p, size_t offset) {
    return (const char *)p + offset;
}

static int choice_index(const struct ptc_setting *s, const char *text) {
    for (int i = 0; s->choices[i] != NULL; i++)
        if (strcmp(s->choices[i], text) == 0)
            return i;
    return -1;
}

static int parse_choice(const struct ptc_setting *s, const char *text,
                        struct ptc_workload_params *p, char *err, size_t err_size) {
    int i = choice_index(s, text);
    if (i >= 0) {
        *(int *)field(p, s->offset) = i;
        return 0;
    }
    int n = snprintf(err, err_size, "--%s: '%s' must be", s->flag, text);
    for (int k = 0; s->choices[k] != NULL && n >= 0 && (size_t)n < err_size; k++)
        n += snprintf(err + n, err_size - (size_t)n, "%s%s", k == 0 ? " " : " or ", s->choices[k]);
    return -EINVAL;
}

int ptc_setting_parse(const struct ptc_setting *s, const char *text, struct ptc_workload_params *p,
                      char *err, size_t err_size) {
    uint64_t v, hi;
    double f;
    int rc = 0;
    switch (s->kind) {
    case PTC_SETTING_U32:
    case PTC_SETTING_U64:
    case PTC_SETTING_MS:
        rc = ptc_parse_u64(text, s->min, s->max, &v);
        if (rc < 0)
            break;
        if (s->kind == PTC_SETTING_U32)
            *(uint32_t *)field(p, s->offset) = (uint32_t)v;
        else
            *(uint64_t *)field(p, s->offset) = s->kind == PTC_SETTING_MS ? v * PTC_NS_PER_MS : v;
        return 0;
    case PTC_SETTING_MS_RANGE:
        rc = ptc_parse_u64_range(text, s->min, s->max, &v, &hi);
        if (rc < 0) {
            snprintf(err, err_size,
                     "--%s: '%s' must be MS or LO:HI, whole ms from %" PRIu64 " to %" PRIu64
                     " (%s)",
                     s->flag, text, s->min, s->max, ptc_parse_strerror(rc));
            return rc;
        }
        *(ptc_ns *)field(p, s->offset) = v * PTC_NS_PER_MS;
        *(ptc_ns *)field(p, s->offset_hi) = hi * PTC_NS_PER_MS;
        return 0;
    case PTC_SETTING_FRACTION:
        rc = ptc_parse_f64(text, (double)s->min, (double)s->max, &f);
        if (rc < 0) {
            snprintf(err, err_size,
                     "--%s: '%s' must be a number from %" PRIu64 " to %" PRIu64 " (%s)", s->flag,
                     text, s->min, s->max, ptc_parse_strerror(rc));
            return rc;
        }
        *(double *)field(p, s->offset) = f;
        return 0;
    case PTC_SETTING_CHOICE:
        return parse_choice(s, text, p, err, err_size);
    case PTC_SETTING_FLAG:
        *(int *)field(p, s->offset) = 1;
        return 0;
    case PTC_SETTING_PATH:
        *(const char **)field(p, s->offset) = text;
        return 0;
    }
    snprintf(err, err_size,
             "--%s: '%s' must be a whole number from %" PRIu64 " to %" PRIu64 " (%s)", s->flag,
             text, s->min, s->max, ptc_parse_strerror(rc));
    return rc;
}

void ptc_setting_value(const struct ptc_setting *s, const struct ptc_workload_params *p, char *buf,
                       size_t size) {
    const void *f = cfield(p, s->offset);
    buf[0] = '\0';
    switch (s->kind) {
    case PTC_SETTING_U32:
        snprintf(buf, size, "%" PRIu32, *(const uint32_t *)f);
        break;
    case PTC_SETTING_U64:
        snprintf(buf, size, "%" PRIu64, *(const uint64_t *)f);
        break;
    case PTC_SETTING_MS:
        snprintf(buf, size, "%" PRIu64, (uint64_t)(*(const ptc_ns *)f / PTC_NS_PER_MS));
        break;
    case PTC_SETTING_MS_RANGE: {
        uint64_t lo_ms = *(const ptc_ns *)f / PTC_NS_PER_MS,
                 hi_ms = *(const ptc_ns *)cfield(p, s->offset_hi) / PTC_NS_PER_MS;
        if (hi_ms == 0)
            break;
        if (lo_ms == hi_ms)
            snprintf(buf, size, "%" PRIu64, lo_ms);
        else
            snprintf(buf, size, "%" PRIu64 ":%" PRIu64, lo_ms, hi_ms);
        break;
    }
    case PTC_SETTING_FRACTION:
        snprintf(buf, size, "%.3f", *(const double *)f);
        break;
    case PTC_SETTING_CHOICE:
        snprintf(buf, size, "%s", s->choices[*(const int *)f]);
        break;
    case PTC_SETTING_FLAG:
        snprintf(buf, size, "%d", *(const int *)f);
        break;
    case PTC_SETTING_PATH:
        snprintf(buf, size, "%s", *(const char *const *)f ? *(const char *const *)f : "");
        break;
    }
}

void ptc_setting_text(const struct ptc_setting *s, const struct ptc_workload_state *st, char *buf,
                      size_t size) {
    bool shown = s->shown != NULL ? s->shown(st) : ptc_workload_uses(st->wl, s->flag);
    if (!shown)
        buf[0] = '\0';
    else if (s->format != NULL)
        s->format(st, buf, size);
    else
        ptc_setting_value(s, &st->p, buf, size);
}

int ptc_setting_lists_set(struct ptc_setting_lists *l, const struct ptc_setting *s, const char *arg,
                          char *err, size_t err_size) {
    size_t i = (size_t)(s - settings), n = 1;
    char **items = NULL;
    int rc;
    if (s->kind == PTC_SETTING_FLAG || s->kind == PTC_SETTING_PATH) {
        items = calloc(2, sizeof *items);
        if (items != NULL && (items[0] = strdup(arg != NULL ? arg : "1")) == NULL) {
            free(items);
            items = NULL;
        }
        rc = items != NULL ? 0 : -ENOMEM;
    } else {
        rc = ptc_split_list(arg, &items, &n);
        if (rc == 0 && n > MAX_ITEMS)
            rc = -E2BIG;
    }
    if (rc < 0) {
        snprintf(err, err_size, "--%s: '%s' is not a comma-separated list of values (%s)", s->flag,
                 arg, ptc_parse_strerror(rc));
        ptc_strv_free(items);
        return rc;
    }
    struct ptc_workload_params scratch = {0};
    for (size_t k = 0; k < n; k++) {
        rc = ptc_setting_parse(s, items[k], &scratch, err, err_size);
        if (rc < 0) {
            ptc_strv_free(items);
            return rc;
        }
    }
    ptc_strv_free(l->items[i]);
    l->items[i] = items;
    return 0;
}

void ptc_setting_lists_free(struct ptc_setting_lists *l) {
    for (size_t i = 0; i < N_SETTINGS; i++)
        ptc_strv_free(l->items[i]);
    memset(l, 0, sizeof *l);
}

static size_t count(char *const *items) {
    size_t n = 0;
    while (items != NULL && items[n] != NULL)
        n++;
    return n;
}

int ptc_settings_product(const struct ptc_setting_lists *l, struct ptc_workload_params **out,
                         size_t *n) {
    struct ptc_workload_params base = {0};
    char err[256];
    size_t total = 1, pick[N_SETTINGS] = {0};
    for (size_t i = 0; i < N_SETTINGS; i++) {
        if (settings[i].deflt != NULL)
            ptc_setting_parse(&settings[i], settings[i].deflt, &base, err, sizeof err);
        total *= l->items[i] != NULL ? count(l->items[i]) : 1;
        if (total > PTC_MAX_COMBINATIONS)
            return -E2BIG;
    }
    *out = calloc(total, sizeof **out);
    if (*out == NULL)
        return -ENOMEM;
    for (size_t k = 0; k < total; k++) {
        struct ptc_workload_params *p = &(*out)[k];
        *p = base;
        for (size_t i = 0; i < N_SETTINGS; i++)
            if (l->items[i] != NULL)
                ptc_setting_parse(&settings[i], l->items[i][pick[i]], p, err, sizeof err);
        /* The next combination: the last setting varies fastest. */
        for (size_t i = N_SETTINGS; i-- > 0;) {
            if (l->items[i] == NULL)
                continue;
            if (++pick[i] < count(l->items[i]))
                break;
            pick[i] = 0;
        }
    }
    *n = total;
    return 0;
}

void ptc_setting_columns(enum ptc_setting_place place, const char **names) {
    size_t n = 0;
    for (size_t i = 0; i < N_SETTINGS; i++)
        if (settings[i].column != NULL && (place == PTC_COLUMN_ANY || settings[i].place == place))
            names[n++] = settings[i].column;
    names[n] = NULL;
}

/* "file, net: " for a setting the file and net workloads read; "" for one all or none read. */
static int users(const struct ptc_setting *set, char *buf, size_t size) {
    size_t n, k = 0;
    int len = 0;
    const struct ptc_workload *const *wls = ptc_workload_all(&n);
    for (size_t i = 0; i < n && len >= 0 && (size_t)len < size; i++)
        if (ptc_workload_uses(wls[i], set->flag))
            len += snprintf(buf + len, size - (size_t)len, "%s%s", k++ ? ", " : "", wls[i]->name);
    if (k == n || k == 0)
        return snprintf(buf, size, "%s", "");
    return len >= 0 && (size_t)len < size ? len + snprintf(buf + len, size - (size_t)len, ": ")
                                          : len;
}

void ptc_setting_help(const struct ptc_setting *s, char *buf, size_t size) {
    int n = users(s, buf, size);
#define MORE(...)                                                                                  \
    if (n >= 0 && (size_t)n < size)                                                                \
    n += snprintf(buf + n, size - (size_t)n, __VA_ARGS__)
    MORE("%s", s->help);
    if (s->kind == PTC_SETTING_CHOICE)
        for (size_t k = 0; s->choices[k] != NULL; k++)
            MORE("%s%s", k ? ", " : ": ", s->choices[k]);
    bool number = s->kind == PTC_SETTING_U32 || s->kind == PTC_SETTING_U64 ||
                  s->kind == PTC_SETTING_MS || s->kind == PTC_SETTING_FRACTION;
    if (number)
        MORE(", %" PRIu64 "..%" PRIu64, s->min, s->max);
    if (s->deflt != NULL)
        MORE("%s(default %s)", number ? " " : s->kind == PTC_SETTING_CHOICE ? " " : ", ", s->deflt);
#undef MORE
}
