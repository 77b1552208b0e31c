/* The reader of core/json.h: a document back into the rows of its samples. */
#include "core/json.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A field's value as the CSV would hold it, into buf: a number with the column's decimals when
 * the document notes them (decimals: a JSON integer, or NULL); NULL when the value is neither a
 * string, a number nor null. */
static const char *field_text(const json_t *v, const json_t *decimals, char *buf, size_t size) {
    if (json_is_number(v) && json_is_integer(decimals) && json_integer_value(decimals) >= 0 &&
        json_integer_value(decimals) <= 17) {
        snprintf(buf, size, "%.*f", (int)json_integer_value(decimals), json_number_value(v));
        return buf;
    }
    if (v == NULL || json_is_null(v))
        return "";
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_integer(v)) {
        snprintf(buf, size, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return buf;
    }
    if (json_is_real(v)) {
        /* The shortest form that reads back as the same double: "0.9876", not 0.98760000000000003
         */
        double d = json_real_value(v);
        for (int digits = 15; digits <= 17; digits++) {
            snprintf(buf, size, "%.*g", digits, d);
            if (strtod(buf, NULL) == d)
                break;
        }
        return buf;
    }
    return NULL;
}

/* Checks the document's frame: ours (program, machine, columns.samples as strings,
 * configurations with their samples as objects) and of a schema_version this reader knows. */
static int check_frame(const char *path, json_t *root, char *err, size_t err_size) {
    json_t *version = json_object_get(root, "schema_version");
    if (!json_is_object(root) || !json_is_integer(version)) {
        snprintf(err, err_size, "%s: not a ptcbench JSON document (no schema_version)", path);
        return -EINVAL;
    }
    if (json_integer_value(version) != PTC_JSON_SCHEMA_VERSION) {
        snprintf(err, err_size,
                 "%s: schema_version %" JSON_INTEGER_FORMAT ", this ptc-report reads %d", path,
                 json_integer_value(version), PTC_JSON_SCHEMA_VERSION);
        return -EINVAL;
    }
    json_t *columns = json_object_get(json_object_get(root, "columns"), "samples");
    json_t *configs = json_object_get(root, "configurations");
    size_t i;
    json_t *v;
    if (!json_is_array(columns) || !json_is_array(configs) ||
        !json_is_object(json_object_get(root, "machine"))) {
        snprintf(err, err_size,
                 "%s: no samples to read: columns.samples, configurations or machine missing "
                 "(a document of summaries only, such as ptc-report's, is not an input)",
                 path);
        return -EINVAL;
    }
    json_array_foreach(columns, i, v) if (!json_is_string(v)) {
        snprintf(err, err_size, "%s: columns.samples[%zu] is not a string", path, i);
        return -EINVAL;
    }
    json_array_foreach(configs, i, v) {
        json_t *samples = json_object_get(v, "samples");
        if (!json_is_object(json_object_get(v, "configuration")) || !json_is_array(samples)) {
            snprintf(err, err_size,
                     "%s: configurations[%zu] has no configuration object or samples array", path,
                     i);
            return -EINVAL;
        }
        size_t j;
        json_t *s;
        json_array_foreach(samples, j, s) if (!json_is_object(s)) {
            snprintf(err, err_size, "%s: configurations[%zu].samples[%zu] is not an object", path,
                     i, j);
            return -EINVAL;
        }
    }
    return 0;
}

/* Hands fn one sample's row: each column from the sample, its configuration or the machine. */
static int sample_row(const char *path, json_t *const where[3], json_t *columns, json_t *decimals,
                      char **fields, char *bufs, size_t line, ptc_csv_row_fn fn, void *arg,
                      char *err, size_t err_size) {
    size_t c;
    json_t *name;
    json_array_foreach(columns, c, name) {
        const json_t *v = NULL;
        for (size_t k = 0; k < 3 && v == NULL; k++)
            v = json_object_get(where[k], json_string_value(name));
        const char *t =
            field_text(v, json_object_get(decimals, json_string_value(name)), bufs + 64 * c, 64);
        if (t == NULL) {
            snprintf(err, err_size, "%s: sample %zu: %s is not a string, a number or null", path,
                     line - 1, json_string_value(name));
            return -EINVAL;
        }
        fields[c] = (char *)t;
    }
    return fn(arg, fields, json_array_size(columns), line);
}

int ptc_json_read(const char *path, ptc_csv_row_fn fn, void *arg, char *err, size_t err_size) {
    json_error_t jerr;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL) {
        if (json_error_code(&jerr) == json_error_cannot_open_file)
            snprintf(err, err_size, "%s: %s", path, strerror(errno ? errno : ENOENT));
        else
            snprintf(err, err_size, "%s:%d: column %d: %s", path, jerr.line, jerr.column,
                     jerr.text);
        return -EINVAL;
    }
    int rc = check_frame(path, root, err, err_size);
    json_t *columns = json_object_get(json_object_get(root, "columns"), "samples");
    size_t n = json_array_size(columns);
    char **fields = calloc(n ? n : 1, sizeof *fields);
    char *bufs = calloc(n ? n : 1, 64);
    if (rc == 0 && (fields == NULL || bufs == NULL))
        rc = -ENOMEM;
    for (size_t c = 0; rc == 0 && c < n; c++)
        fields[c] = (char *)json_string_value(json_array_get(columns, c));
    if (rc == 0)
        rc = fn(arg, fields, n, 1);
    json_t *decimals = json_object_get(json_object_get(root, "decimals"), "samples");
    size_t line = 2, i;
    json_t *config;
    json_array_foreach(json_object_get(root, "configurations"), i, config) {
        json_t *where[3] = {NULL, json_object_get(config, "configuration"),
                            json_object_get(root, "machine")};
        size_t j;
        json_array_foreach(json_object_get(config, "samples"), j, where[0]) {
            if (rc != 0)
                break;
            rc = sample_row(path, where, columns, decimals, fields, bufs, line++, fn, arg, err,
                            err_size);
        }
    }
    free(fields);
    free(bufs);
    json_decref(root);
    return rc;
}
