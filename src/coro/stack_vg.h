/* The coroutine stacks told to Valgrind: memcheck takes a jump of the stack pointer between two
 * unregistered stacks for a huge frame ("client switching stacks?") and then reports every read
 * of the new stack as invalid. Registered stacks make each switch a change of stack. Outside
 * Valgrind (and in builds without <valgrind/valgrind.h>) nothing is recorded: the cost is one
 * RUNNING_ON_VALGRIND test per stack created, nothing per switch. Not thread-safe: one per pool. */
#ifndef PTC_CORO_STACK_VG_H
#define PTC_CORO_STACK_VG_H
#include <stddef.h>

struct ptc_stack_vg_entry {
    void *lo;    /* a registered stack */
    unsigned id; /* Valgrind's id of it */
};

struct ptc_stack_vg {
    struct ptc_stack_vg_entry *stack; /* [n] */
    size_t n, cap;
};

/* Registers the stack [lo, lo + bytes) when running under Valgrind. Out of memory: not
 * registered (Valgrind then warns on its switches), never an error. */
void ptc_stack_vg_add(struct ptc_stack_vg *v, void *lo, size_t bytes);
/* Deregisters the stack at lo (before it is unmapped), if it was registered. */
void ptc_stack_vg_remove(struct ptc_stack_vg *v, void *lo);
/* Deregisters every stack and frees the record. */
void ptc_stack_vg_fini(struct ptc_stack_vg *v);

#endif
