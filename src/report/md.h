/* Text from a CSV (a host name, a model, a claim's measurement) made safe for Markdown: in a
 * table cell a '|' would end the cell and a line break the row; in a list item a line break would
 * end the item. */
#ifndef PTC_REPORT_MD_H
#define PTC_REPORT_MD_H

#include <stddef.h>
#include <stdio.h>

/* Room for one escaped key (host, workload, model, W) with its escapes. */
#define PTC_MD_KEY_MAX 256

/* Writes s into buf with each '|' as "\|" and each line break (\n, \r) as a space; a longer s is
 * cut on a UTF-8 character boundary and ends in "...". Returns buf. */
char *ptc_md_esc(char *buf, size_t size, const char *s);

/* Writes s to md escaped the same way, whole. */
void ptc_md_put(FILE *md, const char *s);

#endif
