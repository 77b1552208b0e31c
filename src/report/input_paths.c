#include "report/input_paths.h"

#include "report/dedup.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Appends path (owned from here, freed on failure) to p->owned. */
static int add(struct ptc_input_paths *p, size_t *cap, char *path) {
    if (path != NULL && p->n_owned == *cap) {
        size_t grown_cap = *cap ? 2 * *cap : 16;
        char **grown = realloc(p->owned, grown_cap * sizeof *grown);
        if (grown == NULL)
            free(path), path = NULL;
        else
            p->owned = grown, *cap = grown_cap;
    }
    if (path == NULL)
        return -ENOMEM;
    p->owned[p->n_owned++] = path;
    return 0;
}

/* The regular *.csv files of folder dir, in name order, appended to p->owned. */
static int add_folder(struct ptc_input_paths *p, size_t *cap, const char *dir, char *msg,
                      size_t msg_size) {
    DIR *d = opendir(dir);
    if (d == NULL) {
        snprintf(msg, msg_size, "%s: cannot read the folder: %s", dir, strerror(errno));
        return -EINVAL;
    }
    size_t first = p->n_owned;
    struct dirent *e;
    int rc = 0;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".csv") != 0)
            continue;
        char *path = malloc(strlen(dir) + len + 2);
        struct stat st;
        if (path != NULL)
            sprintf(path, "%s/%s", dir, e->d_name);
        if (path != NULL && (stat(path, &st) != 0 || !S_ISREG(st.st_mode))) {
            free(path);
            continue;
        }
        rc = add(p, cap, path);
    }
    closedir(d);
    if (rc == 0 && p->n_owned > first) /* an empty folder: no list to sort (owned may be NULL) */
        qsort(p->owned + first, p->n_owned - first, sizeof *p->owned, by_name);
    return rc;
}

int ptc_input_paths_get(struct ptc_input_paths *p, char *const *args, size_t n, const char *prog,
                        FILE *notes, char *msg, size_t msg_size) {
    memset(p, 0, sizeof *p);
    size_t cap = 0;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        struct stat st;
        if (stat(args[i], &st) == 0 && S_ISDIR(st.st_mode))
            rc = add_folder(p, &cap, args[i], msg, msg_size);
        else
            rc = add(p, &cap, strdup(args[i]));
    }
    /* dedup drops pointers from the list it is given: a copy, so that owned stays whole */
    if (rc == 0 && (p->path = malloc((p->n_owned ? p->n_owned : 1) * sizeof *p->path)) == NULL)
        rc = -ENOMEM;
    if (rc == -ENOMEM)
        snprintf(msg, msg_size, "out of memory");
    if (rc < 0)
        return rc;
    if (p->n_owned > 0)
        memcpy(p->path, p->owned, p->n_owned * sizeof *p->path);
    p->n = ptc_inputs_dedup(p->path, p->n_owned, prog, notes);
    return 0;
}

void ptc_input_paths_free(struct ptc_input_paths *p) {
    for (size_t i = 0; i < p->n_owned; i++)
        free(p->owned[i]);
    free(p->owned);
    free(p->path);
    memset(p, 0, sizeof *p);
}
