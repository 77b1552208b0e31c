#include "report/inputs.h"

#include <errno.h>

enum ptc_input_kind ptc_input_kind(const struct ptc_table *t) {
    const struct ptc_kind *k = ptc_kind_of(t);
    return k != NULL ? k->input : PTC_INPUT_RUNS;
}

int ptc_inputs_load(char *const *paths, size_t n, unsigned also_read, struct ptc_table *t,
                    size_t *n_read, const char *prog, FILE *notes, char *msg, size_t msg_size) {
    *n_read = 0;
    for (size_t i = 0; i < n; i++) {
        struct ptc_table *ti = &t[*n_read];
        int rc = ptc_table_load(paths[i], ti, msg, msg_size);
        if (rc < 0)
            return rc;
        const struct ptc_kind *k = ptc_kind_of(ti);
        if (k == NULL)
            return ptc_kind_unknown(ti, msg, msg_size);
        if (!k->read && (k->input == PTC_INPUT_NONE || !(also_read & 1u << k->input))) {
            fprintf(notes, "%s: %s: skipped: %s\n", prog, paths[i], k->name);
            ptc_table_free(ti);
            continue;
        }
        if (k->check != NULL && (rc = k->check(ti, msg, msg_size)) < 0)
            return rc;
        (*n_read)++;
    }
    if (*n_read == 0) {
        snprintf(msg, msg_size, "no input to read: %s",
                 n > 0 ? "every file was skipped" : "no CSV");
        return -EINVAL;
    }
    return 0;
}
