#include "report/md.h"

#include <stdbool.h>
#include <string.h>

/* What c becomes: "\|", " " or itself (in one[], a string of one character). */
static const char *escape(char c, char one[2]) {
    if (c == '|')
        return "\\|";
    if (c == '\n' || c == '\r')
        return " ";
    one[0] = c;
    one[1] = '\0';
    return one;
}

char *ptc_md_esc(char *buf, size_t size, const char *s) {
    static const char cut[] = "...";
    char one[2];
    size_t need = 0;
    for (const char *p = s; *p; p++)
        need += strlen(escape(*p, one));
    if (size == 0)
        return buf;
    bool cutting = need >= size;
    size_t room = !cutting ? need : size > sizeof cut ? size - sizeof cut : 0, n = 0;
    for (; *s; s++) {
        const char *e = escape(*s, one);
        size_t len = strlen(e);
        if (n + len > room)
            break;
        memcpy(buf + n, e, len);
        n += len;
    }
    /* A continuation byte next means a character was cut in two: drop its first bytes too
     * (they were copied as they were: only ASCII is escaped). */
    while (cutting && n > 0 && ((unsigned char)*s & 0xC0) == 0x80) {
        s--;
        n--;
    }
    if (cutting && n + sizeof cut <= size) {
        memcpy(buf + n, cut, sizeof cut);
        return buf;
    }
    buf[n] = '\0';
    return buf;
}

void ptc_md_put(FILE *md, const char *s) {
    char one[2];
    for (; *s; s++)
        fputs(escape(*s, one), md);
}
