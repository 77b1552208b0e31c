#include "core/json.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The rows of one part: the header's names, then the fields of the row being written. */
struct part {
    struct ptc_json_doc *doc;
    enum ptc_json_part which;
    json_t *names; /* array of strings: the header, once its row has ended */
    bool header_done;
    json_t *row; /* array: the fields of the current row */
    struct ptc_csv_sink sink;
};

struct ptc_json_doc {
    json_t *root;
    json_t *machine;        /* borrowed from root */
    json_t *configurations; /* borrowed from root */
    json_t *key;            /* array of the key columns' names */
    struct part parts[PTC_JSON_N_PARTS];
    int error;          /* 0 or -ENOMEM, the first row that could not be kept */
    size_t key_leading; /* the next header's first columns to add to key */
};

/* A string as JSON needs it, valid UTF-8: bytes that are not become '?' (a host name or a note
 * in another encoding), so that the value is kept rather than the document refused. */
static json_t *text(const char *s) {
    json_t *v = json_string(s);
    if (v != NULL)
        return v;
    char *copy = strdup(s);
    if (copy == NULL)
        return NULL;
    for (char *p = copy; *p != '\0'; p++)
        if ((unsigned char)*p >= 0x80)
            *p = '?';
    v = json_string(copy);
    free(copy);
    return v;
}

static void append(struct part *p, json_t *v) {
    if (v == NULL || json_array_append_new(p->row, v) < 0)
        p->doc->error = -ENOMEM;
}

static void on_str(void *arg, const char *s) {
    append(arg, text(s));
}

static void on_u64(void *arg, uint64_t v) {
    append(arg, v <= (uint64_t)INT64_MAX ? json_integer((json_int_t)v) : json_real((double)v));
}

static void on_i64(void *arg, int64_t v) {
    append(arg, json_integer((json_int_t)v));
}

/* Rounded as the CSV writes it, so that a reader of either file gets the same double; the
 * column's decimals noted once in "decimals", so that the reader writes the CSV's text again. */
static void on_f64(void *arg, double v, int digits) {
    struct part *p = arg;
    json_t *name = p->header_done ? json_array_get(p->names, json_array_size(p->row)) : NULL;
    if (name != NULL) {
        static const char *const parts[] = {"samples", "summary"};
        json_t *decimals =
            json_object_get(json_object_get(p->doc->root, "decimals"), parts[p->which]);
        const char *n = json_string_value(name);
        if (json_object_get(decimals, n) == NULL &&
            json_object_set_new(decimals, n, json_integer(digits)) < 0)
            p->doc->error = -ENOMEM;
    }
    if (!isfinite(v)) {
        append(arg, json_null());
        return;
    }
    char buf[512];
    snprintf(buf, sizeof buf, "%.*f", digits, v);
    append(arg, json_real(strtod(buf, NULL)));
}

/* Whether name is one of the document's key columns. */
static bool is_key(const struct ptc_json_doc *doc, const char *name) {
    size_t i;
    json_t *k;
    json_array_foreach(doc->key, i, k) if (strcmp(json_string_value(k), name) == 0) return true;
    return false;
}

/* Whether every field of sub is in full with an equal value. */
static bool subset(json_t *sub, json_t *full) {
    const char *name;
    json_t *v;
    json_object_foreach(sub, name, v) {
        json_t *w = json_object_get(full, name);
        if (w == NULL || !json_equal(v, w))
            return false;
    }
    return true;
}

/* The configuration a row of part belongs to: for a sample the one with exactly its key, for a
 * summary the first without a summary whose key agrees on the columns the summary has. Made at
 * the end of the list when none is. */
static json_t *configuration_of(struct ptc_json_doc *doc, enum ptc_json_part which,
                                json_t *config) {
    size_t i;
    json_t *c;
    json_array_foreach(doc->configurations, i, c) {
        json_t *have = json_object_get(c, "configuration");
        if (which == PTC_JSON_SAMPLES
                ? json_equal(have, config)
                : json_object_get(c, "summary") == NULL && subset(config, have))
            return c;
    }
    c = json_pack("{s:O,s:[]}", "configuration", config, "samples");
    if (c == NULL || json_array_append_new(doc->configurations, c) < 0)
        return NULL;
    return c;
}

/* Sorts a finished row's fields into its configuration and its sample (or summary). */
static int keep_row(struct part *p) {
    struct ptc_json_doc *doc = p->doc;
    json_t *config = json_object(), *rest = json_object();
    int rc = config != NULL && rest != NULL ? 0 : -ENOMEM;
    size_t i;
    json_t *v;
    json_array_foreach(p->row, i, v) {
        json_t *name = json_array_get(p->names, i);
        if (rc < 0 || name == NULL)
            break;
        const char *n = json_string_value(name);
        json_t *mine = json_object_get(doc->machine, n);
        json_t *into = is_key(doc, n) || (mine != NULL && !json_equal(mine, v)) ? config : rest;
        if (mine != NULL && into == rest)
            continue; /* the document's machine says it once */
        if (json_object_set(into, n, v) < 0)
            rc = -ENOMEM;
    }
    json_t *c = rc == 0 ? configuration_of(doc, p->which, config) : NULL;
    if (c == NULL)
        rc = -ENOMEM;
    else if (p->which == PTC_JSON_SAMPLES)
        rc = json_array_append(json_object_get(c, "samples"), rest) < 0 ? -ENOMEM : 0;
    else
        rc = json_object_set(c, "summary", rest) < 0 ? -ENOMEM : 0;
    json_decref(config);
    json_decref(rest);
    return rc;
}

static void on_end_row(void *arg) {
    struct part *p = arg;
    int rc = 0;
    if (!p->header_done) {
        /* The header: its names, which the document also lists in columns (the CSV's order) */
        p->header_done = true;
        if (json_array_extend(p->names, p->row) < 0)
            rc = -ENOMEM;
        for (size_t k = 0; rc == 0 && k < p->doc->key_leading && k < json_array_size(p->row); k++)
            if (json_array_append(p->doc->key, json_array_get(p->row, k)) < 0)
                rc = -ENOMEM;
        p->doc->key_leading = 0;
        static const char *const names[] = {"samples", "summary"};
        json_t *columns = json_object_get(p->doc->root, "columns");
        if (rc == 0 && json_object_set(columns, names[p->which], p->names) < 0)
            rc = -ENOMEM;
    } else {
        rc = keep_row(p);
    }
    if (rc < 0)
        p->doc->error = rc;
    json_array_clear(p->row);
}

static int part_init(struct part *p, struct ptc_json_doc *doc, enum ptc_json_part which) {
    *p = (struct part){.doc = doc,
                       .which = which,
                       .names = json_array(),
                       .row = json_array(),
                       .sink = {.str = on_str,
                                .u64 = on_u64,
                                .i64 = on_i64,
                                .f64 = on_f64,
                                .end_row = on_end_row,
                                .arg = p}};
    return p->names != NULL && p->row != NULL ? 0 : -ENOMEM;
}

static void part_free(struct part *p) {
    json_decref(p->names);
    json_decref(p->row);
}

/* The machine's fields, written through a sink as every CSV row writes them, by column name. */
static int machine_object(json_t *into, const struct ptc_machine *m) {
    struct {
        json_t *row;
        struct ptc_json_doc doc;
    } tmp = {.row = json_array()};
    struct part p = {.doc = &tmp.doc, .row = tmp.row};
    p.sink = (struct ptc_csv_sink){
        .str = on_str, .u64 = on_u64, .i64 = on_i64, .f64 = on_f64, .end_row = NULL, .arg = &p};
    if (tmp.row == NULL)
        return -ENOMEM;
    struct ptc_csv_writer w;
    ptc_csv_writer_init(&w, NULL);
    ptc_csv_writer_sink(&w, &p.sink);
    ptc_machine_csv_fields(&w, m);
    ptc_machine_power_fields(&w, m);
    const char *const *lists[] = {ptc_machine_columns, ptc_machine_power_columns};
    size_t i = 0;
    int rc = tmp.doc.error;
    for (size_t l = 0; l < 2; l++)
        for (const char *const *c = lists[l]; rc == 0 && *c != NULL; c++, i++)
            if (json_object_set(into, *c, json_array_get(tmp.row, i)) < 0)
                rc = -ENOMEM;
    json_decref(tmp.row);
    return rc;
}

struct ptc_json_doc *ptc_json_doc_new(const char *program, const struct ptc_machine *m,
                                      const char *const *key) {
    struct ptc_json_doc *doc = calloc(1, sizeof *doc);
    if (doc == NULL)
        return NULL;
    doc->root = json_pack("{s:i,s:s,s:{},s:{},s:{s:{},s:{}},s:[]}", "schema_version",
                          PTC_JSON_SCHEMA_VERSION, "program", program, "machine", "columns",
                          "decimals", "samples", "summary", "configurations");
    doc->key = json_array();
    int rc = doc->root != NULL && doc->key != NULL ? 0 : -ENOMEM;
    for (size_t k = 0; rc == 0 && k < PTC_JSON_N_PARTS; k++)
        rc = part_init(&doc->parts[k], doc, (enum ptc_json_part)k);
    for (const char *const *k = key; rc == 0 && *k != NULL; k++)
        rc = json_array_append_new(doc->key, json_string(*k)) < 0 ? -ENOMEM : 0;
    if (rc == 0) {
        doc->machine = json_object_get(doc->root, "machine");
        doc->configurations = json_object_get(doc->root, "configurations");
        rc = machine_object(doc->machine, m);
    }
    if (rc < 0) {
        ptc_json_doc_free(doc);
        return NULL;
    }
    return doc;
}

void ptc_json_doc_key_leading(struct ptc_json_doc *doc, size_t n) {
    doc->key_leading = n;
}

void ptc_json_doc_attach(struct ptc_json_doc *doc, enum ptc_json_part part,
                         struct ptc_csv_writer *w) {
    ptc_csv_writer_sink(w, &doc->parts[part].sink);
}

int ptc_json_doc_write(const struct ptc_json_doc *doc, struct ptc_outfile *of) {
    if (doc->error < 0)
        return doc->error;
    if (json_dumpf(doc->root, of->fp, JSON_INDENT(1) | JSON_REAL_PRECISION(17)) < 0 ||
        fputc('\n', of->fp) == EOF)
        return -EIO;
    return 0;
}

void ptc_json_doc_free(struct ptc_json_doc *doc) {
    if (doc == NULL)
        return;
    for (size_t k = 0; k < PTC_JSON_N_PARTS; k++)
        part_free(&doc->parts[k]);
    json_decref(doc->key);
    json_decref(doc->root);
    free(doc);
}

int ptc_json_out_open(struct ptc_json_out *o, const char *path, const char *program,
                      const struct ptc_machine *m, const char *const *key) {
    memset(o, 0, sizeof *o);
    if (path == NULL)
        return 0;
    int rc = ptc_outfile_open(&o->of, path);
    if (rc < 0)
        return rc;
    if ((o->doc = ptc_json_doc_new(program, m, key)) == NULL) {
        ptc_outfile_abort(&o->of);
        return -ENOMEM;
    }
    return 0;
}

void ptc_json_out_attach(struct ptc_json_out *o, enum ptc_json_part part,
                         struct ptc_csv_writer *w) {
    if (o->doc != NULL)
        ptc_json_doc_attach(o->doc, part, w);
}

int ptc_json_out_commit(struct ptc_json_out *o) {
    if (o->doc == NULL)
        return 0;
    int rc = ptc_json_doc_write(o->doc, &o->of);
    if (rc < 0)
        ptc_outfile_abort(&o->of);
    else
        rc = ptc_outfile_commit(&o->of);
    ptc_json_doc_free(o->doc);
    o->doc = NULL;
    return rc;
}

void ptc_json_out_abort(struct ptc_json_out *o) {
    ptc_outfile_abort(&o->of);
    ptc_json_doc_free(o->doc);
    o->doc = NULL;
}

int ptc_json_is_path(const char *path) {
    size_t len = strlen(path);
    return len >= 5 && strcmp(path + len - 5, ".json") == 0;
}
