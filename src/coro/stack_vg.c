#include "coro/stack_vg.h"

#include "core/grow.h"
#include "core/valgrind.h"

#include <stdlib.h>
#include <string.h>

void ptc_stack_vg_add(struct ptc_stack_vg *v, void *lo, size_t bytes) {
#if defined(PTC_HAVE_VALGRIND)
    if (!PTC_ON_VALGRIND())
        return;
    struct ptc_stack_vg_entry *stack = ptc_grow(v->stack, v->n, &v->cap, sizeof *stack, 64);
    if (stack == NULL)
        return;
    v->stack = stack;
    unsigned id = VALGRIND_STACK_REGISTER(lo, (char *)lo + bytes);
    stack[v->n++] = (struct ptc_stack_vg_entry){lo, id};
#else
    (void)v, (void)lo, (void)bytes;
#endif
}

void ptc_stack_vg_remove(struct ptc_stack_vg *v, void *lo) {
#if defined(PTC_HAVE_VALGRIND)
    for (size_t i = 0; i < v->n; i++)
        if (v->stack[i].lo == lo) {
            VALGRIND_STACK_DEREGISTER(v->stack[i].id);
            v->stack[i] = v->stack[--v->n];
            return;
        }
#else
    (void)v, (void)lo;
#endif
}

void ptc_stack_vg_fini(struct ptc_stack_vg *v) {
#if defined(PTC_HAVE_VALGRIND)
    for (size_t i = 0; i < v->n; i++)
        VALGRIND_STACK_DEREGISTER(v->stack[i].id);
#endif
    free(v->stack);
    memset(v, 0, sizeof *v);
}
