/* SPDX-License-Identifier: MIT */
/*
 * unix.c (POSIX) - UNIX-domain addresses: a path, or on Linux an abstract
 * "@name", as a sockaddr_un and back to text; keeping and removing the
 * path of a socket file.
 */
#include "posix_int.h"

#if SK_OS_POSIX
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Linux's abstract namespace: sun_path starts with a NUL byte and the
 * name is the bytes after it, within the address length. */
#if defined(__linux__)
#  define SK_HAVE_ABSTRACT_UNIX 1
#endif

#define SK_SUN_OFF offsetof(struct sockaddr_un, sun_path)
#define SK_SUN_MAX sizeof(((struct sockaddr_un *)0)->sun_path)

/* Compile-time: a sockaddr_un fits an sk__addr. */
typedef char sk__posix_sun_fits[sizeof(struct sockaddr_un) <=
                                        sizeof(((sk__addr *)0)->sa.bytes)
                                    ? 1
                                    : -1];

int sk__plat_unix_addr(const char *path, sk__addr *out, int *sys)
{
    struct sockaddr_un sun;
    size_t n = strlen(path), len;
    (void)sys; /* every failure here is sockit's own check */
    memset(out, 0, sizeof *out);
    memset(&sun, 0, sizeof sun);
    sun.sun_family = AF_UNIX;
    if (path[0] == '@') {
#if defined(SK_HAVE_ABSTRACT_UNIX)
        /* '@' stands for the leading NUL: n bytes in all. */
        if (n < 2 || n > SK_SUN_MAX)
            return SK_EINVAL;
        memcpy(sun.sun_path + 1, path + 1, n - 1);
        len = SK_SUN_OFF + n;
#else
        return SK_EUNSUPPORTED;
#endif
    } else {
        if (n == 0 || n >= SK_SUN_MAX)
            return SK_EINVAL; /* no room for the NUL: never truncated */
        memcpy(sun.sun_path, path, n);
        len = SK_SUN_OFF + n + 1;
    }
    memcpy(out->sa.bytes, &sun, sizeof sun);
    out->len = (unsigned)len;
    out->family = SK__AF_UNIX;
    return 0;
}

int sk__posix_unix_name(const sk__addr *a, sk_name *out)
{
    const char *p = (const char *)a->sa.bytes + SK_SUN_OFF;
    size_t n = a->len > SK_SUN_OFF ? a->len - SK_SUN_OFF : 0, i = 0, k = 0;
    memset(out, 0, sizeof *out);
    strcpy(out->family, "unix");
    if (n > SK_SUN_MAX)
        n = SK_SUN_MAX;
    if (n > 0 && p[0] == '\0') {
#if defined(SK_HAVE_ABSTRACT_UNIX)
        out->addr[k++] = '@';
        i = 1;
#else
        n = 0; /* an unnamed socket, zero-filled (BSD) */
#endif
    }
    /* Text ends at the first NUL within the length (a path's terminator;
     * a byte an abstract name cannot show). */
    for (; i < n && p[i] != '\0' && k + 1 < sizeof out->addr; i++)
        out->addr[k++] = p[i];
    out->addr[k] = '\0';
    return 0;
}

int sk__plat_unix_keep(const char *path, char **out)
{
    size_t n = strlen(path), d = 0;
    char cwd[4096];
    *out = NULL;
    /* Relative: prefix the current directory, so that the file is still
     * found after a chdir.  A directory too deep to read stays relative. */
    if (path[0] != '/' && getcwd(cwd, sizeof cwd) != NULL)
        d = strlen(cwd);
    *out = (char *)sk__malloc(d + 1 + n + 1);
    if (*out == NULL)
        return SK_ENORESOURCES;
    if (d > 0) {
        memcpy(*out, cwd, d);
        (*out)[d++] = '/';
    }
    memcpy(*out + d, path, n + 1);
    return 0;
}

void sk__plat_unix_remove(const char *path)
{
    struct stat st;
    /* Only a socket: whatever has taken the name since is not ours. */
    if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode))
        (void)unlink(path);
}
#endif
