/* Figures of this process from /proc. */
#ifndef PTC_CORE_PROCFS_H
#define PTC_CORE_PROCFS_H

#include <stdint.h>

/* One field of a /proc file in kB, such as "VmRSS:" of /proc/self/status or "KernelStack:" of
 * /proc/meminfo (field with its colon). -1 when the file or the field is missing. */
long ptc_proc_kib(const char *path, const char *field);

/* This process's peak resident set (VmHWM), in KiB; 0 when unreadable. */
uint64_t ptc_peak_rss_kib(void);

#endif
