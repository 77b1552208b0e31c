/* Shared-stack coroutines (libaco's copy stack): every coroutine of a scheduler runs on one
 * stack; a suspended coroutine keeps only the part it used, copied out when another needs the
 * stack and back when it runs again. A sleeping coroutine then costs what it really holds (its
 * record and a few hundred bytes of frames) instead of a page of a stack of its own; each switch
 * between two coroutines costs the copies and goes through the scheduler's loop (the copies
 * cannot run on the stack they overwrite).
 *
 * What a shared-stack coroutine must not do: hand out the address of one of its locals to
 * anything that uses it while the coroutine is suspended (another coroutine, the poller): that
 * address holds another coroutine's frames by then. ptcbench's sleep, cpu and mixed-with-sleep
 * tasks and ptc-mem's coroutines keep nothing there; asynchronous I/O does (io_uring writes into
 * the reader's buffer), so the coroutine exec refuses I/O on a shared-stack scheduler.
 *
 * Below the stack, a guard page: a coroutine that goes past the end of the stack ends the program
 * with one line naming the stack's size (coro/overflow.h), not with memory overwritten. */
#ifndef PTC_CORO_SHARED_H
#define PTC_CORO_SHARED_H

#include <stddef.h>
#include <stdint.h>

struct ptc_coro;

struct ptc_shared_stack {
    char *lo; /* the usable stack: [lo, lo + bytes) */
    size_t bytes;
    char *map; /* the mapping: a guard page, then the stack */
    size_t map_bytes;
    struct ptc_coro *owner; /* whose frames are on the stack now; NULL: nobody's */
    struct ptc_coro **free; /* finished coroutines' records, for reuse */
    size_t n_free, free_cap;
    size_t records;        /* records made */
    uint64_t copied_bytes; /* out and in, since init */
};

/* A stack of `bytes` (rounded up to pages) with its guard page. Returns 0, -EINVAL (size), or
 * -ENOMEM. */
int ptc_shared_init(struct ptc_shared_stack *ss, size_t bytes);
/* Unmaps the stack and frees every record and saved frame, suspended coroutines' included. */
void ptc_shared_fini(struct ptc_shared_stack *ss);

/* A zeroed coroutine record (reused or new), or NULL when out of memory. */
struct ptc_coro *ptc_shared_record(struct ptc_shared_stack *ss);
/* Makes n records ready (reserve, outside a timed region). Returns 0 or -ENOMEM. */
int ptc_shared_reserve(struct ptc_shared_stack *ss, size_t n);
/* Gives back a finished coroutine's record (its saved frames kept for the next one). */
void ptc_shared_release(struct ptc_shared_stack *ss, struct ptc_coro *c);

/* Puts c's frames on the stack, first copying out those of the coroutine there now (which has
 * switched away): call from the scheduler's loop, on its own stack, before switching to c.
 * Returns 1 when c is fresh and its context must be made on the stack (nothing was copied in). */
int ptc_shared_enter(struct ptc_shared_stack *ss, struct ptc_coro *c);

#endif
