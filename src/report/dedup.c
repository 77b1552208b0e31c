#include "report/dedup.h"

#include "core/hash.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

struct identity {
    dev_t dev;
    ino_t ino;
    off_t size;
    uint64_t hash;
    bool known; /* false when the file could not be read: never a duplicate */
};

static bool content_hash(int fd, uint64_t *out) {
    struct ptc_hash h;
    ptc_hash_init(&h);
    char buf[1 << 16];
    ssize_t got;
    while ((got = read(fd, buf, sizeof buf)) != 0) {
        if (got < 0)
            return false;
        ptc_hash_update(&h, buf, (size_t)got);
    }
    *out = ptc_hash_digest(&h);
    return true;
}

static struct identity identify(const char *path) {
    struct identity id = {0};
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return id;
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && content_hash(fd, &id.hash)) {
        id.dev = st.st_dev;
        id.ino = st.st_ino;
        id.size = st.st_size;
        id.known = true;
    }
    close(fd);
    return id;
}

static bool same(const struct identity *a, const struct identity *b) {
    if (!a->known || !b->known)
        return false;
    return (a->dev == b->dev && a->ino == b->ino) || (a->size == b->size && a->hash == b->hash);
}

size_t ptc_inputs_dedup(char **paths, size_t n, const char *prog, FILE *notes) {
    struct identity *ids = calloc(n ? n : 1, sizeof *ids);
    if (ids == NULL)
        return n; /* duplicates then count twice, as before; nothing is lost */
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        struct identity id = identify(paths[i]);
        size_t j = 0;
        while (j < kept && !same(&ids[j], &id))
            j++;
        if (j < kept) {
            fprintf(notes, "%s: %s: the same file as %s, read once\n", prog, paths[i], paths[j]);
            continue;
        }
        ids[kept] = id;
        paths[kept++] = paths[i];
    }
    free(ids);
    return kept;
}
