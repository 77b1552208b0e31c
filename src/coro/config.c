#include "coro/config.h"

#include "core/parse.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static struct ptc_sched_opts config = {
    .ctx = 0,
    .poller = "auto",
    /* No guard pages by default: each one splits a mapping in two, and a process with thousands
     * of mappings forks slowly (the kernel duplicates its whole mapping tree, DONTFORK ones
     * included): 2,000 forks after a coro run of 2,000 guarded stacks took 11 s, not 0.9 s,
     * which would charge the coroutine runtime's memory layout to the fork model. Go runs
     * without guard pages too. --coro-guard on|auto turns them on. */
    .stack = {.stack_bytes = PTC_STACK_DEFAULT_BYTES, .guard = PTC_GUARD_OFF},
};

struct ptc_sched_opts *ptc_coro_config(void) {
    return &config;
}

static uint32_t mn_threads; /* 0: one per online CPU */

int ptc_coro_config_check(char *err, size_t err_size) {
    if (!config.stack.shared)
        return 0;
#if defined(__SANITIZE_ADDRESS__)
    snprintf(err, err_size,
             "--stack-mode shared: not in an AddressSanitizer build (its shadow of "
             "the stack would describe the frames copied off it)");
    return -EINVAL;
#else
    if (config.ctx != NULL && strcmp(config.ctx->name, "fcontext") != 0) {
        snprintf(err, err_size, "--stack-mode shared: needs --coro-switch fcontext, not %s",
                 config.ctx->name);
        return -EINVAL;
    }
    return 0;
#endif
}

uint32_t ptc_coro_mn_threads(void) {
    if (mn_threads > 0)
        return mn_threads;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    return cpus < 1 ? 1 : cpus > (long)PTC_MN_MAX_THREADS ? PTC_MN_MAX_THREADS : (uint32_t)cpus;
}

int ptc_coro_option(const char *name, const char *value, char *err, size_t err_size) {
    char valid[128];
    if (strcmp(name, "coro-switch") == 0) {
        const struct ptc_ctx_ops *ops = ptc_ctx_find(value);
        ptc_ctx_names(valid, sizeof valid);
        if (ops == NULL) {
            snprintf(err, err_size, "--coro-switch: unknown switch '%s' (valid: %s)", value, valid);
            return -EINVAL;
        }
        config.ctx = ops;
        return 0;
    }
    if (strcmp(name, "poller") == 0) {
        ptc_poller_names(valid, sizeof valid);
        if (strcmp(value, "auto") != 0 && ptc_poller_find(value) == NULL) {
            snprintf(err, err_size, "--poller: unknown poller '%s' (valid: auto, %s)", value,
                     valid);
            return -EINVAL;
        }
        config.poller = value;
        return 0;
    }
    if (strcmp(name, "stack-kib") == 0) {
        uint64_t kib;
        int rc = ptc_parse_u64(value, 8, 65536, &kib);
        if (rc < 0) {
            snprintf(err, err_size, "--stack-kib: '%s' must be a whole number from 8 to 65536 (%s)",
                     value, ptc_parse_strerror(rc));
            return -EINVAL;
        }
        config.stack.stack_bytes = (size_t)kib * 1024;
        return 0;
    }
    if (strcmp(name, "coro-guard") == 0) {
        static const char *const names[] = {
            [PTC_GUARD_OFF] = "off", [PTC_GUARD_ON] = "on", [PTC_GUARD_AUTO] = "auto"};
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
            if (strcmp(value, names[i]) == 0) {
                config.stack.guard = (enum ptc_stack_guard)i;
                return 0;
            }
        }
        snprintf(err, err_size, "--coro-guard: '%s' must be on, off or auto", value);
        return -EINVAL;
    }
    if (strcmp(name, "stack-mode") == 0) {
        if (strcmp(value, "private") != 0 && strcmp(value, "shared") != 0) {
            snprintf(err, err_size, "--stack-mode: '%s' must be private or shared", value);
            return -EINVAL;
        }
        config.stack.shared = strcmp(value, "shared") == 0;
        return 0;
    }
    if (strcmp(name, "mn-threads") == 0) {
        uint64_t n;
        int rc = ptc_parse_u64(value, 1, PTC_MN_MAX_THREADS, &n);
        if (rc < 0) {
            snprintf(err, err_size, "--mn-threads: '%s' must be a whole number from 1 to %u (%s)",
                     value, PTC_MN_MAX_THREADS, ptc_parse_strerror(rc));
            return -EINVAL;
        }
        mn_threads = (uint32_t)n;
        return 0;
    }
    snprintf(err, err_size, "unknown coroutine option '%s'", name);
    return -EINVAL;
}
