/* SPDX-License-Identifier: MIT */
/*
 * lookup.c (POSIX) - address lookup for src/lookup.c: getaddrinfo answers
 * as sk__addr entries with their socket types, getnameinfo with
 * NI_NAMEREQD, gethostname.  Resolver codes go through sk__posix_eai.
 */
#include "posix_int.h"

#if SK_OS_POSIX
#include <stdlib.h>
#include <string.h>

/* Append the answer ai as one entry of type (SK__STREAM/SK__DGRAM) at
 * out[*k]; answers sockit cannot hold are skipped. */
static void posix_lookup_put(const struct addrinfo *ai, int type,
                             sk__lookup_ent *out, size_t *k)
{
    sk__lookup_ent *e = &out[*k];
    if ((ai->ai_family != AF_INET && ai->ai_family != AF_INET6) ||
        ai->ai_addr == NULL || ai->ai_addrlen > sizeof e->addr.sa.bytes)
        return;
    memset(e, 0, sizeof *e);
    memcpy(e->addr.sa.bytes, ai->ai_addr, ai->ai_addrlen);
    e->addr.len = (unsigned)ai->ai_addrlen;
    e->addr.family = ai->ai_family == AF_INET6 ? SK__AF_INET6 : SK__AF_INET;
    e->type = type;
    (*k)++;
}

int sk__plat_lookup(const char *host, const char *service, int family,
                    int type, int flags, sk__lookup_ent **list,
                    size_t *count, char **canon, int *sys)
{
    struct addrinfo hints, *res = NULL, *ai;
    sk__lookup_ent *out;
    size_t n = 0, k = 0;
    int r;

    *list = NULL;
    *count = 0;
    *canon = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = family == SK__AF_INET    ? AF_INET
                    : family == SK__AF_INET6   ? AF_INET6
                                               : AF_UNSPEC;
    hints.ai_socktype = type == SK__STREAM  ? SOCK_STREAM
                      : type == SK__DGRAM   ? SOCK_DGRAM
                                            : 0;
    hints.ai_flags = ((flags & SK_LOOKUP_CANONNAME) ? AI_CANONNAME : 0) |
                     ((flags & SK_LOOKUP_PASSIVE) ? AI_PASSIVE : 0) |
                     ((flags & SK_LOOKUP_NUMERICHOST) ? AI_NUMERICHOST : 0) |
                     ((flags & SK__LOOKUP_NUMERICSERV) ? AI_NUMERICSERV : 0);
    r = getaddrinfo(host, service, &hints, &res);
    if (r != 0) {
        if (sys != NULL)
            *sys = r;
        return sk__posix_eai(r);
    }
    /* An answer without a type (not glibc's way, but allowed) counts for
     * both. */
    for (ai = res; ai != NULL; ai = ai->ai_next)
        n += ai->ai_socktype == 0 ? 2 : 1;
    out = n <= (size_t)-1 / sizeof *out
              ? (sk__lookup_ent *)sk__calloc(n ? n : 1, sizeof *out)
              : NULL;
    if (out == NULL) {
        freeaddrinfo(res);
        return SK_ENORESOURCES;
    }
    for (ai = res; ai != NULL; ai = ai->ai_next) {
        if (ai->ai_socktype == SOCK_STREAM) {
            posix_lookup_put(ai, SK__STREAM, out, &k);
        } else if (ai->ai_socktype == SOCK_DGRAM) {
            posix_lookup_put(ai, SK__DGRAM, out, &k);
        } else if (ai->ai_socktype == 0) {
            if (type != SK__DGRAM)
                posix_lookup_put(ai, SK__STREAM, out, &k);
            if (type != SK__STREAM)
                posix_lookup_put(ai, SK__DGRAM, out, &k);
        } /* SOCK_RAW and others: not sockit's */
        if ((flags & SK_LOOKUP_CANONNAME) && *canon == NULL &&
            ai->ai_canonname != NULL) {
            size_t len = strlen(ai->ai_canonname) + 1;
            *canon = (char *)sk__malloc(len);
            if (*canon == NULL) {
                freeaddrinfo(res);
                sk__free(out);
                return SK_ENORESOURCES;
            }
            memcpy(*canon, ai->ai_canonname, len);
        }
    }
    freeaddrinfo(res);
    if (k == 0) {
        sk__free(out);
        sk__free(*canon);
        *canon = NULL;
        return SK_EHOSTNOTFOUND;
    }
    *list = out;
    *count = k;
    return 0;
}

int sk__plat_reverse(const sk__addr *a, char *name, int *sys)
{
    int r;
    name[0] = '\0';
    r = getnameinfo((const struct sockaddr *)(const void *)a->sa.bytes,
                    (socklen_t)a->len, name, SK_NAMESTRLEN, NULL, 0,
                    NI_NAMEREQD);
    if (r != 0) {
        name[0] = '\0';
        if (sys != NULL)
            *sys = r;
#if defined(EAI_OVERFLOW)
        if (r == EAI_OVERFLOW)
            return SK_ENORESOURCES;
#endif
        return sk__posix_eai(r);
    }
    name[SK_NAMESTRLEN - 1] = '\0';
    return 0;
}

int sk__plat_hostname(char *name, int *sys)
{
    memset(name, 0, SK_NAMESTRLEN);
    /* One byte kept back: a name that fills the rest may have been cut
     * without its NUL (POSIX allows that), and is reported as too long. */
    if (gethostname(name, SK_NAMESTRLEN - 1) != 0) {
        int e = errno;
        name[0] = '\0';
        if (sys != NULL)
            *sys = e;
        return e == ENAMETOOLONG ? SK_ENORESOURCES : sk__posix_err(e);
    }
    if (name[SK_NAMESTRLEN - 2] != '\0') {
        name[0] = '\0';
        return SK_ENORESOURCES;
    }
    return 0;
}
#endif
