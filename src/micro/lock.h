/* The tutorials' two lock examples, one copy shared by ptc-lock (micro/lock.c) and the claims
 * ledger (claims/claims_lock.c). Threads are released together through a gate (micro/gate.h).
 *
 * The unlocked read-modify-writes go through relaxed __atomic loads and stores, one for the read
 * and one for the write: each access is atomic, so the race is defined behaviour in C11 and the
 * compiler cannot keep the balance in a register, yet another thread can still write between the
 * read and the write, which is exactly the lost update the tutorials describe. */
#ifndef PTC_MICRO_LOCK_H
#define PTC_MICRO_LOCK_H

#include "core/clock.h"

#include <stdbool.h>
#include <stdint.h>

/* 000: `threads` threads each run new_balance = balance + 1; sleep(pause_ns);
 * balance = new_balance, under one pthread mutex when locked. */
struct ptc_deposits {
    unsigned threads;
    ptc_ns pause_ns;
    bool locked;
    ptc_ns *read_ns, *write_ns; /* NULL, or [threads]: when each deposit read and wrote */
    int64_t balance;            /* out: the final balance (threads when nothing was lost) */
    ptc_ns elapsed_ns;          /* out: from the gate's opening to the last join */
};

/* Runs the deposits of d and fills its outputs. Returns 0 or a negative errno. */
int ptc_deposits_run(struct ptc_deposits *d);

/* 003: two threads run balance = balance + n; balance = balance - n `changes` times each (n = 5
 * and 8), a pthread mutex taken around each pair when locked. Both threads spin until both run,
 * so that they overlap even when starting one takes longer than the other's whole loop. Stores
 * the final balance (0 when nothing was lost) and the ns from the gate's opening to the last
 * join. Returns 0 or a negative errno. */
int ptc_balance_run(bool locked, uint64_t changes, int64_t *balance, ptc_ns *elapsed_ns);

#endif
