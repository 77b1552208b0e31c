/* Several machines side by side: the configurations that ran on more than one host, with each
 * host's median and its ratio to the first host's. */
#ifndef PTC_REPORT_HOSTS_H
#define PTC_REPORT_HOSTS_H

#include "report/runs.h"

#include <stdio.h>

/* A Markdown section comparing the hosts, written only when gs holds more than one host.
 * Returns 0 or -ENOMEM (nothing written). */
int ptc_run_groups_hosts_md(const struct ptc_run_groups *gs, FILE *md);

#endif
