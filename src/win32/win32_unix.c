/* SPDX-License-Identifier: MIT */
/*
 * unix.c - UNIX-domain addresses on Windows (10 1803 on; <afunix.h>): a
 * path as a sockaddr_un and back to text, keeping and removing a socket
 * file, and the path checks that give bind and connect POSIX's codes.
 * Windows has no abstract names and no UNIX-domain datagrams.
 */
#include "../plat.h"

#if SK_OS_WIN32

#include "win32_int.h"

#include <afunix.h>

#include <stdlib.h>
#include <string.h>

#define SK_WSUN_OFF offsetof(SOCKADDR_UN, sun_path)
#define SK_WSUN_MAX sizeof(((SOCKADDR_UN *)0)->sun_path)

/* Compile-time: a SOCKADDR_UN fits an sk__addr. */
typedef char sk__win_sun_fits[sizeof(SOCKADDR_UN) <=
                                      sizeof(((sk__addr *)0)->sa.bytes)
                                  ? 1
                                  : -1];

int sk__plat_unix_addr(const char *path, sk__addr *out, int *sys) {
    SOCKADDR_UN sun;
    size_t n = strlen(path);
    memset(out, 0, sizeof *out);
    if (path[0] == '@')
        return sk__win_fail(WSAEOPNOTSUPP, sys); /* no abstract names */
    if (n == 0 || n >= SK_WSUN_MAX)
        return SK_EINVAL; /* no room for the NUL: never truncated */
    memset(&sun, 0, sizeof sun);
    sun.sun_family = AF_UNIX;
    memcpy(sun.sun_path, path, n);
    memcpy(out->sa.bytes, &sun, sizeof sun);
    out->len = (unsigned)(SK_WSUN_OFF + n + 1);
    out->family = SK__AF_UNIX;
    return 0;
}

int sk__win_unix_name(const sk__addr *a, sk_name *out) {
    const char *p = (const char *)a->sa.bytes + SK_WSUN_OFF;
    size_t n = a->len > SK_WSUN_OFF ? a->len - SK_WSUN_OFF : 0, k = 0;
    memset(out, 0, sizeof *out);
    strcpy(out->family, "unix");
    if (n > SK_WSUN_MAX)
        n = SK_WSUN_MAX;
    /* The path ends at its NUL or at the length; a leading NUL is an
     * unnamed socket. */
    for (; k < n && p[k] != '\0' && k + 1 < sizeof out->addr; k++)
        out->addr[k] = p[k];
    out->addr[k] = '\0';
    return 0;
}

int sk__win_unix_unnamed(SOCKET s, sk__addr *a) {
    int family = 0;
    if (sk__plat_family(SK__FD(s), &family, NULL) != 0 ||
        family != SK__AF_UNIX)
        return 0;
    memset(a, 0, sizeof *a);
    ((SOCKADDR_UN *)(void *)a->sa.bytes)->sun_family = AF_UNIX;
    a->len = (unsigned)SK_WSUN_OFF;
    a->family = SK__AF_UNIX;
    return 1;
}

/* The path inside a UNIX address, NUL-terminated into buf. */
static void sk__win_unix_path(const sk__addr *a, char *buf, size_t cap) {
    size_t n = a->len > SK_WSUN_OFF ? a->len - SK_WSUN_OFF : 0;
    if (n >= cap)
        n = cap - 1;
    memcpy(buf, a->sa.bytes + SK_WSUN_OFF, n);
    buf[n] = '\0';
}

/* 0 when path names something, else GetLastError's "not found" code. */
static DWORD sk__win_unix_missing(const char *path) {
    DWORD e;
    if (GetFileAttributesA(path) != INVALID_FILE_ATTRIBUTES)
        return 0;
    e = GetLastError();
    return e == ERROR_FILE_NOT_FOUND || e == ERROR_PATH_NOT_FOUND ? e : 0;
}

int sk__win_unix_bind_fail(const sk__addr *a, int err, int *sys) {
    char path[SK_WSUN_MAX + 1];
    size_t end;
    DWORD e;
    if (err == WSAEADDRINUSE)
        return sk__win_fail(err, sys);
    /* A directory that is not there, whatever Winsock calls it: cut the
     * path after its last separator and look. */
    sk__win_unix_path(a, path, sizeof path);
    end = strlen(path);
    while (end > 0 && path[end - 1] != '\\' && path[end - 1] != '/')
        end--;
    if (end == 0)
        return sk__win_fail(err, sys); /* in the current directory */
    path[end] = '\0';
    e = sk__win_unix_missing(path);
    return sk__win_fail(e != 0 ? (int)ERROR_PATH_NOT_FOUND : err, sys);
}

int sk__win_unix_connect_check(const sk__addr *a, int *sys) {
    char path[SK_WSUN_MAX + 1];
    DWORD e;
    sk__win_unix_path(a, path, sizeof path);
    e = sk__win_unix_missing(path);
    return e != 0 ? sk__win_fail((int)e, sys) : 0;
}

int sk__plat_unix_keep(const char *path, char **out) {
    DWORD need;
    size_t n = strlen(path);
    *out = NULL;
    /* The full path, so that the file is still found after the working
     * directory changes; the path as given when that cannot be had. */
    need = GetFullPathNameA(path, 0, NULL, NULL);
    if (need > 0) {
        *out = (char *)sk__malloc((size_t)need);
        if (*out == NULL)
            return SK_ENORESOURCES;
        if (GetFullPathNameA(path, need, *out, NULL) < need)
            return 0;
        sk__free(*out);
    }
    *out = (char *)sk__malloc(n + 1);
    if (*out == NULL)
        return SK_ENORESOURCES;
    memcpy(*out, path, n + 1);
    return 0;
}

void sk__plat_unix_remove(const char *path) {
    (void)DeleteFileA(path);
}

#endif /* SK_OS_WIN32 */
