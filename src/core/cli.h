/* Messages for command lines that getopt_long rejected, the same in every program. */
#ifndef PTC_CORE_CLI_H
#define PTC_CORE_CLI_H

#include <stddef.h>

/* After getopt_long returned '?' (with opterr = 0): writes the one-line reason into buf: an
 * unknown option, a value given to an option that takes none, or a missing value. first_long is
 * the smallest `val` of the program's long options (they are numbered from it). */
void ptc_cli_rejected(char *buf, size_t size, char **argv, int optind, int optopt, int first_long);

/* "<prog>: <message>" on one line of stderr; returns 2, the exit status of bad usage. */
__attribute__((format(printf, 2, 3))) int ptc_cli_usage_error(const char *prog, const char *fmt,
                                                              ...);

/* The same, then exit status 2. */
__attribute__((format(printf, 2, 3), noreturn)) void ptc_cli_die_usage(const char *prog,
                                                                       const char *fmt, ...);

#endif
