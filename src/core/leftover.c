#include "core/leftover.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Deeper than anything ptcbench makes (its folders hold plain files); a deeper tree is left. */
#define MAX_DEPTH 8

/* The pid in "<stem><pid>.XXXXXX", 0 when name has another form. */
static pid_t owner(const char *name, const char *stem) {
    size_t n = strlen(stem);
    if (strncmp(name, stem, n) != 0 || !isdigit((unsigned char)name[n]))
        return 0;
    char *end;
    errno = 0;
    long pid = strtol(name + n, &end, 10);
    if (errno != 0 || pid <= 0 || pid > INT_MAX || *end != '.' || strlen(end + 1) != 6)
        return 0;
    for (const char *c = end + 1; *c != '\0'; c++)
        if (!isalnum((unsigned char)*c))
            return 0;
    return (pid_t)pid;
}

static bool dead(pid_t pid) {
    return pid != getpid() && kill(pid, 0) != 0 && errno == ESRCH;
}

/* Removes dirfd/name and, when it is a folder, everything in it; symbolic links are removed, never
 * followed (O_NOFOLLOW). Returns 0 or -1. */
static int remove_tree(int dirfd, const char *name, int depth) {
    if (unlinkat(dirfd, name, 0) == 0)
        return 0;
    if ((errno != EISDIR && errno != EPERM) || depth >= MAX_DEPTH)
        return -1;
    int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (d == NULL) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            remove_tree(fd, e->d_name, depth + 1);
    closedir(d);
    return unlinkat(dirfd, name, AT_REMOVEDIR);
}

void ptc_leftovers_remove(const char *dir, const char *stem, bool folders) {
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    int fd = dirfd(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        pid_t pid = owner(e->d_name, stem);
        struct stat st;
        if (pid == 0 || !dead(pid) || fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
            st.st_uid != geteuid() || !(folders ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode)))
            continue;
        int rc = folders ? remove_tree(fd, e->d_name, 0) : unlinkat(fd, e->d_name, 0);
        if (rc == 0)
            fprintf(stderr, "%s: removed leftover %s/%s of a killed run (pid %ld)\n",
                    program_invocation_short_name, dir, e->d_name, (long)pid);
    }
    closedir(d);
}
