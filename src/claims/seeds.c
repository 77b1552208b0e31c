#include "claims/seeds.h"

#include "core/registry.h"

#include <stdio.h>
#include <string.h>

/* From the files' front matter (title:, date:) or first heading; 003 and 004 have no title line,
 * and only 001 and 002 a full date. */
static const struct ptc_seed s000 = {"000", "Python笔记（三）线程和进程", "no date"},
                             s001 = {"001", "自学Python-线程和进程", "2017-01-13"},
                             s002 = {"002", "Python入门系列(5)：进程、线程和协程", "2017-08-17"},
                             s003 = {"003", "untitled notes opening 1.多进程（multiprocessing）",
                                     "7.23, no year"},
                             s004 = {"004", "untitled notes opening I. 进程", "no date"};
static const struct ptc_seed *const seeds[] = {&s000, &s001, &s002, &s003, &s004};
#define N_SEEDS (sizeof seeds / sizeof seeds[0])

const struct ptc_seed *ptc_seed_find(const char *id) {
    return ptc_registry_find((const void *const *)seeds, N_SEEDS, id);
}

char *ptc_seed_names(const char *list, char *buf, size_t size) {
    size_t len = 0;
    buf[0] = '\0';
    for (const char *p = list; *p != '\0';) {
        size_t n = strcspn(p, ", ");
        char id[16];
        snprintf(id, sizeof id, "%.*s", (int)(n < sizeof id ? n : sizeof id - 1), p);
        const struct ptc_seed *s = ptc_seed_find(id);
        int w = s != NULL ? snprintf(buf + len, size - len, "%s%s (%s, %s)", len ? "; " : "",
                                     s->title, s->id, s->date)
                          : snprintf(buf + len, size - len, "%s%s", len ? "; " : "", id);
        if (w < 0 || (size_t)w >= size - len)
            break;
        len += (size_t)w;
        p += n + strspn(p + n, ", ");
    }
    return buf;
}
