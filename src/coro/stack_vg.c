#include "coro/stack_vg.h"

#include "core/valgrind.h"

#include <stdlib.h>
#include <string.h>

void ptc_stack_vg_add(struct ptc_stack_vg *v, void *lo, size_t bytes) {
#if defined(PTC_HAVE_VALGRIND)
    if (!PTC_ON_VALGRIND())
        return;
    if (v->n == v->cap) {
        size_t cap = v->cap ? 2 * v->cap : 64;
        void **grown_lo = realloc(v->lo, cap * sizeof *grown_lo);
        if (grown_lo != NULL)
            v->lo = grown_lo;
        unsigned *grown_ids = realloc(v->ids, cap * sizeof *grown_ids);
        if (grown_ids != NULL)
            v->ids = grown_ids;
        if (grown_lo == NULL || grown_ids == NULL)
            return;
        v->cap = cap;
    }
    v->lo[v->n] = lo;
    v->ids[v->n++] = VALGRIND_STACK_REGISTER(lo, (char *)lo + bytes);
#else
    (void)v, (void)lo, (void)bytes;
#endif
}

void ptc_stack_vg_remove(struct ptc_stack_vg *v, void *lo) {
#if defined(PTC_HAVE_VALGRIND)
    for (size_t i = 0; i < v->n; i++)
        if (v->lo[i] == lo) {
            VALGRIND_STACK_DEREGISTER(v->ids[i]);
            v->lo[i] = v->lo[--v->n];
            v->ids[i] = v->ids[v->n];
            return;
        }
#else
    (void)v, (void)lo;
#endif
}

void ptc_stack_vg_fini(struct ptc_stack_vg *v) {
#if defined(PTC_HAVE_VALGRIND)
    for (size_t i = 0; i < v->n; i++)
        VALGRIND_STACK_DEREGISTER(v->ids[i]);
#endif
    free(v->lo);
    free(v->ids);
    memset(v, 0, sizeof *v);
}
