/* Leftovers of a killed run: files and folders whose name carries the pid of the process that
 * made them ("<stem><pid>.XXXXXX"), which SIGKILL (the OOM killer) leaves behind because no
 * cleanup runs. A later run removes those whose owner is provably gone. */
#ifndef PTC_CORE_LEFTOVER_H
#define PTC_CORE_LEFTOVER_H

#include <stdbool.h>

/* Removes, in folder dir, each entry named "<stem><pid>.XXXXXX" (pid decimal, XXXXXX six letters
 * or digits, as mkstemp and mkdtemp make them) that belongs to this user, whose pid is not this
 * process and is dead (kill(pid, 0) fails with ESRCH), and that is a regular file (folders false)
 * or a folder (folders true, removed whole without following symbolic links). A live pid, even a
 * reused one, keeps its entry. Says each removal in one line on stderr. Failures are skipped: a
 * leftover that stays harms nothing. Not async-signal-safe. */
void ptc_leftovers_remove(const char *dir, const char *stem, bool folders);

#endif
