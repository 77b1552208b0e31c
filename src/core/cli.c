#include "core/cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ptc_cli_rejected(char *buf, size_t size, char **argv, int optind, int optopt, int first_long) {
    const char *arg = argv[optind - 1];
    if (optopt > 0 && optopt < first_long && optopt < 256)
        snprintf(buf, size, "unknown option '-%c' (see --help)", optopt);
    else if (optopt >= first_long && strchr(arg, '=') != NULL)
        snprintf(buf, size, "'%s': this option takes no value (see --help)", arg);
    else if (optopt >= first_long)
        snprintf(buf, size, "%s needs a value (see --help)", arg);
    else
        snprintf(buf, size, "unknown option '%s' (see --help)", arg);
}

static void usage_line(const char *prog, const char *fmt, va_list ap) {
    fprintf(stderr, "%s: ", prog);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

int ptc_cli_usage_error(const char *prog, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    usage_line(prog, fmt, ap);
    va_end(ap);
    return 2;
}

void ptc_cli_die_usage(const char *prog, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    usage_line(prog, fmt, ap);
    va_end(ap);
    exit(2);
}
