#include "core/affinity.h"

#include "core/parse.h"
#include "core/registry.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

static const char *const names[PTC_PLACE_COUNT] = {"same-cpu", "cross-cpu", "unpinned"};
/* The names as a registry (core/registry.h): each entry points at a name. */
static const void *const registry[PTC_PLACE_COUNT] = {&names[0], &names[1], &names[2]};

const char *ptc_placement_name(enum ptc_placement p) {
    return (unsigned)p < PTC_PLACE_COUNT ? names[p] : NULL;
}

void ptc_placement_names(char *buf, size_t size) {
    ptc_registry_names(registry, PTC_PLACE_COUNT, buf, size);
}

int ptc_placement_parse(const char *list, unsigned *mask) {
    char **items;
    size_t n;
    int rc = ptc_split_list(list, &items, &n);
    if (rc < 0)
        return rc == -ENOMEM ? rc : -EINVAL;
    unsigned m = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        const char *const *found = ptc_registry_find(registry, PTC_PLACE_COUNT, items[i]);
        if (found == NULL)
            rc = -EINVAL;
        else
            m |= PTC_PLACE_MASK(found - names);
    }
    ptc_strv_free(items);
    if (rc == 0)
        *mask = m;
    return rc;
}

/* Pins the calling thread to one CPU. Returns 0 or -errno. */
static int pin_to(int cpu) {
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    return sched_setaffinity(0, sizeof one, &one) == 0 ? 0 : -errno;
}

int ptc_place_partner(const struct ptc_place *pl) {
    if (pl == NULL || pl->cpu[1] < 0 || pl->cpu[1] == pl->cpu[0])
        return 0;
    return pin_to(pl->cpu[1]);
}

void ptc_place_note(const struct ptc_place *pl, int side) {
    if (pl == NULL || pl->seen == NULL)
        return;
    int cpu = sched_getcpu();
    if (cpu < 0)
        return;
    __atomic_fetch_or(&pl->seen->mask[side], 1ULL << (cpu < 63 ? cpu : 63), __ATOMIC_RELAXED);
}

/* "0,1" for the bits of mask, appended at buf + *used. */
static void append_cpus(char *buf, size_t size, size_t *used, uint64_t mask) {
    if (mask == 0 && *used + 1 < size) {
        buf[(*used)++] = '-'; /* that side noted nothing */
        buf[*used] = '\0';
    }
    const char *sep = "";
    for (int c = 0; c < 64 && *used < size; c++) {
        if (!(mask & (1ULL << c)))
            continue;
        int w = snprintf(buf + *used, size - *used, "%s%d%s", sep, c, c == 63 ? "+" : "");
        if (w < 0)
            return;
        *used += (size_t)w;
        sep = ",";
    }
}

static void append_seen(char *buf, size_t size, const struct ptc_cpu_seen *seen) {
    if (buf == NULL || size == 0)
        return;
    size_t used = strlen(buf);
    if (used > 0 && used + 1 < size)
        buf[used++] = ' ', buf[used] = '\0';
    append_cpus(buf, size, &used, seen->mask[0]);
    if (used + 1 < size)
        buf[used++] = '/', buf[used] = '\0';
    append_cpus(buf, size, &used, seen->mask[1]);
}

int64_t ptc_place_run(enum ptc_placement p, ptc_placed_fn fn, void *arg, char *cpus_seen,
                      size_t cpus_size) {
    cpu_set_t saved;
    if (sched_getaffinity(0, sizeof saved, &saved) != 0)
        return -errno;
    /* The first two CPUs this thread may use: not CPU 0 and 1 by number, which a cpuset or
     * taskset may have taken away. */
    struct ptc_place pl = {.placement = p, .cpu = {-1, -1}};
    int found = 0;
    for (int c = 0; c < CPU_SETSIZE && found < 2; c++)
        if (CPU_ISSET(c, &saved))
            pl.cpu[found++] = c;
    if (p == PTC_PLACE_CROSS_CPU && found < 2)
        return PTC_PLACE_SKIPPED;
    if (p == PTC_PLACE_SAME_CPU)
        pl.cpu[1] = pl.cpu[0];
    if (p == PTC_PLACE_UNPINNED)
        pl.cpu[0] = pl.cpu[1] = -1;
    /* Shared, not private: a forked side 1 records its CPUs here too. */
    pl.seen =
        mmap(NULL, sizeof *pl.seen, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (pl.seen == MAP_FAILED)
        return -errno;
    int64_t rc = pl.cpu[0] >= 0 ? pin_to(pl.cpu[0]) : 0;
    if (rc == 0)
        rc = fn(&pl, arg);
    if (pl.cpu[0] >= 0)
        sched_setaffinity(0, sizeof saved, &saved);
    if (rc >= 0)
        append_seen(cpus_seen, cpus_size, pl.seen);
    munmap(pl.seen, sizeof *pl.seen);
    return rc;
}
