/* A start gate for threads: every thread is created before any of them starts, so that
 * short races overlap instead of running one after another as their threads come up. Used by the
 * tutorial lock scenarios (micro/lock.h), ptc-lock's increments and claim 09. */
#ifndef PTC_MICRO_GATE_H
#define PTC_MICRO_GATE_H

#include "core/clock.h"

#include <stddef.h>

struct ptc_gate {
    unsigned arrived;
    int state; /* 0 closed, 1 open, -1 aborted */
};

void ptc_gate_init(struct ptc_gate *g);

/* In each thread, first: waits for the opening. Returns 1 when opened, -1 when aborted (the
 * thread must then return at once). */
int ptc_gate_pass(struct ptc_gate *g);

/* Starts n threads running fn(args + i * arg_size) (arg_size 0: all share args), each of which
 * calls ptc_gate_pass(g) first; opens the gate when all are waiting, joins them, and stores in
 * *elapsed the ns from the opening to the last join. Threads get 256 KiB stacks. Returns 0 or a
 * negative errno (every thread created has then been joined). */
int ptc_run_gated(unsigned n, void *(*fn)(void *), void *args, size_t arg_size, struct ptc_gate *g,
                  ptc_ns *elapsed);

#endif
