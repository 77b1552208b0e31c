/* Valgrind's client requests where <valgrind/valgrind.h> and <valgrind/memcheck.h> are
 * installed, no-ops elsewhere: one place for the test of their presence. Outside Valgrind each
 * request costs a few instructions and does nothing. */
#ifndef PTC_CORE_VALGRIND_H
#define PTC_CORE_VALGRIND_H

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>) && __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#include <valgrind/valgrind.h>
#define PTC_HAVE_VALGRIND 1
#endif
#endif

#if defined(PTC_HAVE_VALGRIND)
/* Nonzero when this process runs under Valgrind. */
#define PTC_ON_VALGRIND() (RUNNING_ON_VALGRIND != 0)
/* Tells memcheck that the kernel wrote [p, p + bytes) behind its back (io_uring). */
#define PTC_VG_DEFINED(p, bytes) ((void)VALGRIND_MAKE_MEM_DEFINED((p), (bytes)))
#else
#define PTC_ON_VALGRIND()        0
#define PTC_VG_DEFINED(p, bytes) ((void)(p), (void)(bytes))
#endif

#endif
