#include "coro/overflow.h"

#include "core/signals.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

struct watched {
    _Atomic(uintptr_t) lo; /* 0: a free entry */
    size_t bytes, stack_bytes;
};

static struct watched watched[PTC_OVERFLOW_MAX_WATCHED];

#define ALT_STACK_BYTES (64 * 1024)
static __thread void *alt_stack;

static void on_segv(int sig, siginfo_t *si, void *uc) {
    (void)uc;
    uintptr_t a = (uintptr_t)si->si_addr;
    for (size_t i = 0; i < PTC_OVERFLOW_MAX_WATCHED; i++) {
        uintptr_t lo = atomic_load_explicit(&watched[i].lo, memory_order_acquire);
        if (lo != 0 && a >= lo && a < lo + watched[i].bytes) {
            /* One write(2), digits by hand: stdio is not for signal handlers */
            static const char head[] =
                "coroutine stack overflow: a coroutine went past the end of its ";
            static const char tail[] = " KiB stack (raise --stack-kib)\n";
            char line[sizeof head + 24 + sizeof tail], kib[24], *d = kib + sizeof kib;
            size_t k = watched[i].stack_bytes / 1024, n = sizeof head - 1;
            do
                *--d = (char)('0' + k % 10);
            while ((k /= 10) > 0);
            memcpy(line, head, n);
            memcpy(line + n, d, (size_t)(kib + sizeof kib - d));
            n += (size_t)(kib + sizeof kib - d);
            memcpy(line + n, tail, sizeof tail - 1);
            n += sizeof tail - 1;
            if (write(2, line, n) < 0)
                n = 0;
            ptc_cleanup_exit(1);
        }
    }
    /* Not a coroutine stack's guard: what SIGSEGV does by default. */
    signal(sig, SIG_DFL);
    raise(sig);
}

void ptc_overflow_watch(void *guard, size_t guard_bytes, size_t stack_bytes) {
    /* Installed with every stack watched, not once: a test harness (cmocka) puts its own back
     * between tests. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, NULL);
    for (size_t i = 0; i < PTC_OVERFLOW_MAX_WATCHED; i++) {
        uintptr_t free_entry = 0;
        if (atomic_load_explicit(&watched[i].lo, memory_order_relaxed) != 0)
            continue;
        watched[i].bytes = guard_bytes;
        watched[i].stack_bytes = stack_bytes;
        if (atomic_compare_exchange_strong(&watched[i].lo, &free_entry, (uintptr_t)guard))
            return;
    }
}

void ptc_overflow_unwatch(void *guard) {
    for (size_t i = 0; i < PTC_OVERFLOW_MAX_WATCHED; i++)
        if (atomic_load_explicit(&watched[i].lo, memory_order_relaxed) == (uintptr_t)guard)
            atomic_store_explicit(&watched[i].lo, 0, memory_order_release);
}

static pthread_key_t alt_key;
static pthread_once_t alt_once = PTHREAD_ONCE_INIT;

/* At the end of a thread that was given a signal stack. */
static void alt_stack_end(void *p) {
    stack_t st = {.ss_flags = SS_DISABLE};
    sigaltstack(&st, NULL);
    munmap(p, ALT_STACK_BYTES);
    alt_stack = NULL;
}

static void alt_key_make(void) {
    pthread_key_create(&alt_key, alt_stack_end);
}

void ptc_overflow_thread(void) {
    stack_t old;
    if (alt_stack != NULL || (sigaltstack(NULL, &old) == 0 && !(old.ss_flags & SS_DISABLE)))
        return;
    void *p =
        mmap(NULL, ALT_STACK_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return;
    stack_t st = {.ss_sp = p, .ss_size = ALT_STACK_BYTES, .ss_flags = 0};
    if (sigaltstack(&st, NULL) != 0) {
        munmap(p, ALT_STACK_BYTES);
        return;
    }
    alt_stack = p;
    pthread_once(&alt_once, alt_key_make);
    pthread_setspecific(alt_key, p); /* unmapped when the thread ends */
}
