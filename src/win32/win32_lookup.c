/* SPDX-License-Identifier: MIT */
/*
 * lookup.c - address lookup on Windows for src/lookup.c: getaddrinfo
 * answers as sk__addr entries with their socket types (Windows answers
 * without a type when none is asked: such an answer stands for both),
 * getnameinfo with NI_NAMEREQD, gethostname.  The caller holds a
 * WSAStartup reference around each call; codes go through the one table.
 */
#include "../plat.h"

#if SK_OS_WIN32

#include "win32_int.h"

#include <stdlib.h>
#include <string.h>

/* Append the answer ai as one entry of type (SK__STREAM/SK__DGRAM) at
 * out[*k]; answers sockit cannot hold are skipped. */
static void sk__winlk_put(const struct addrinfo *ai, int type,
                          sk__lookup_ent *out, size_t *k) {
    sk__lookup_ent *e = &out[*k];
    if ((ai->ai_family != AF_INET && ai->ai_family != AF_INET6) ||
        ai->ai_addr == NULL || ai->ai_addrlen <= 0 ||
        (size_t)ai->ai_addrlen > sizeof e->addr.sa.bytes)
        return;
    memset(e, 0, sizeof *e);
    memcpy(e->addr.sa.bytes, ai->ai_addr, (size_t)ai->ai_addrlen);
    e->addr.len = (unsigned)ai->ai_addrlen;
    e->addr.family = ai->ai_family == AF_INET6 ? SK__AF_INET6 : SK__AF_INET;
    e->type = type;
    (*k)++;
}

int sk__plat_lookup(const char *host, const char *service, int family,
                    int type, int flags, sk__lookup_ent **list,
                    size_t *count, char **canon, int *sys) {
    struct addrinfo hints, *res = NULL, *ai;
    sk__lookup_ent *out;
    size_t n = 0, k = 0, len;
    int rc;

    *list = NULL;
    *count = 0;
    *canon = NULL;
    memset(&hints, 0, sizeof hints);
    if (family == SK__AF_INET)
        hints.ai_family = AF_INET;
    else if (family == SK__AF_INET6)
        hints.ai_family = AF_INET6;
    else
        hints.ai_family = AF_UNSPEC;
    if (type == SK__STREAM)
        hints.ai_socktype = SOCK_STREAM;
    else if (type == SK__DGRAM)
        hints.ai_socktype = SOCK_DGRAM;
    hints.ai_flags = ((flags & SK_LOOKUP_CANONNAME) ? AI_CANONNAME : 0) |
                     ((flags & SK_LOOKUP_PASSIVE) ? AI_PASSIVE : 0) |
                     ((flags & SK_LOOKUP_NUMERICHOST) ? AI_NUMERICHOST : 0) |
                     ((flags & SK__LOOKUP_NUMERICSERV) ? AI_NUMERICSERV : 0);
    rc = getaddrinfo(host, service, &hints, &res);
    if (rc != 0) {
        if (res != NULL)
            freeaddrinfo(res);
        return sk__win_fail(rc, sys);
    }

    for (ai = res; ai != NULL; ai = ai->ai_next)
        n += ai->ai_socktype == 0 ? 2 : 1;
    out = n <= (size_t)-1 / sizeof *out
              ? (sk__lookup_ent *)sk__calloc(n ? n : 1, sizeof *out)
              : NULL;
    if (out == NULL) {
        freeaddrinfo(res);
        return sk__win_fail(WSA_NOT_ENOUGH_MEMORY, sys);
    }
    for (ai = res; ai != NULL; ai = ai->ai_next) {
        if (ai->ai_socktype == SOCK_STREAM) {
            sk__winlk_put(ai, SK__STREAM, out, &k);
        } else if (ai->ai_socktype == SOCK_DGRAM) {
            sk__winlk_put(ai, SK__DGRAM, out, &k);
        } else if (ai->ai_socktype == 0) {
            if (type != SK__DGRAM)
                sk__winlk_put(ai, SK__STREAM, out, &k);
            if (type != SK__STREAM)
                sk__winlk_put(ai, SK__DGRAM, out, &k);
        } /* SOCK_RAW (Wine passes the host's on): not sockit's */
        if ((flags & SK_LOOKUP_CANONNAME) && *canon == NULL &&
            ai->ai_canonname != NULL) {
            len = strlen(ai->ai_canonname) + 1;
            *canon = (char *)sk__malloc(len);
            if (*canon == NULL) {
                freeaddrinfo(res);
                sk__free(out);
                return sk__win_fail(WSA_NOT_ENOUGH_MEMORY, sys);
            }
            memcpy(*canon, ai->ai_canonname, len);
        }
    }
    freeaddrinfo(res);
    if (k == 0) {
        sk__free(out);
        sk__free(*canon);
        *canon = NULL;
        return sk__win_fail(WSAHOST_NOT_FOUND, sys);
    }
    *list = out;
    *count = k;
    return 0;
}

int sk__plat_reverse(const sk__addr *a, char *name, int *sys) {
    int rc;
    name[0] = '\0';
    rc = getnameinfo((const struct sockaddr *)(const void *)a->sa.bytes,
                     (socklen_t)a->len, name, SK_NAMESTRLEN, NULL, 0,
                     NI_NAMEREQD);
    if (rc != 0) {
        name[0] = '\0';
        return sk__win_fail(rc, sys);
    }
    name[SK_NAMESTRLEN - 1] = '\0';
    return 0;
}

int sk__plat_hostname(char *name, int *sys) {
    int err;
    memset(name, 0, SK_NAMESTRLEN);
    /* 256 bytes are always enough on Windows; one byte kept back all the
     * same so that the result is NUL-terminated whatever happens. */
    if (gethostname(name, SK_NAMESTRLEN - 1) == SOCKET_ERROR) {
        err = WSAGetLastError();
        name[0] = '\0';
        if (err == WSAEFAULT) { /* the buffer was too small */
            if (sys != NULL)
                *sys = err;
            return SK_ENORESOURCES;
        }
        return sk__win_fail(err, sys);
    }
    if (name[SK_NAMESTRLEN - 2] != '\0') {
        name[0] = '\0';
        return SK_ENORESOURCES;
    }
    return 0;
}

#endif /* SK_OS_WIN32 */
