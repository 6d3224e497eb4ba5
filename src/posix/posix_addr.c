/* SPDX-License-Identifier: MIT */
/*
 * addr.c (POSIX) - resolution with getaddrinfo and numeric formatting,
 * IPv4-mapped IPv6 addresses shown as IPv4.
 */
#include "posix_int.h"

#if SK_OS_POSIX
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A numeric host of a family the filter allows (inet_pton's strict forms:
 * a dotted quad without leading zeros, IPv6 text without a zone) is the
 * one address getaddrinfo would give, without asking it: 1 when done (or
 * out of memory: *r), 0 when host is something else. */
static int sk__posix_numeric(const char *host, int port, int family,
                             sk__addr **list, size_t *count, int *r)
{
    struct sockaddr_in sin;
    struct sockaddr_in6 sin6;
    sk__addr *a;
    memset(&sin, 0, sizeof sin);
    memset(&sin6, 0, sizeof sin6);
    if (family != SK__AF_INET6 &&
        inet_pton(AF_INET, host, &sin.sin_addr) == 1) {
        sin.sin_family = AF_INET;
        sin.sin_port = htons((unsigned short)port);
#if defined(SIN6_LEN) /* BSD-style sockaddrs carry their length */
        sin.sin_len = sizeof sin;
#endif
        family = SK__AF_INET;
    } else if (family != SK__AF_INET &&
               inet_pton(AF_INET6, host, &sin6.sin6_addr) == 1) {
        sin6.sin6_family = AF_INET6;
        sin6.sin6_port = htons((unsigned short)port);
#if defined(SIN6_LEN)
        sin6.sin6_len = sizeof sin6;
#endif
        family = SK__AF_INET6;
    } else {
        return 0;
    }
    a = (sk__addr *)sk__malloc(sizeof *a); /* calloc skips glibc's cache */
    *r = a == NULL ? SK_ENORESOURCES : 0;
    if (a == NULL)
        return 1;
    memset(a, 0, sizeof *a);
    a->family = family;
    if (family == SK__AF_INET) {
        memcpy(a->sa.bytes, &sin, sizeof sin);
        a->len = (unsigned)sizeof sin;
    } else {
        memcpy(a->sa.bytes, &sin6, sizeof sin6);
        a->len = (unsigned)sizeof sin6;
    }
    *list = a;
    *count = 1;
    return 1;
}

int sk__plat_resolve(const char *host, int port, int family, int passive,
                     sk__addr **list, size_t *count, int *sys)
{
    struct addrinfo hints, *res = NULL, *ai;
    char service[8];
    size_t n = 0;
    int r;
    *list = NULL;
    *count = 0;
    if (host != NULL &&
        sk__posix_numeric(host, port, family, list, count, &r))
        return r;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = family == SK__AF_INET    ? AF_INET
                    : family == SK__AF_INET6   ? AF_INET6
                                               : AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    hints.ai_flags = AI_NUMERICSERV | (passive ? AI_PASSIVE : 0);
    snprintf(service, sizeof service, "%d", port);
    r = getaddrinfo(host, service, &hints, &res);
    if (r != 0) {
        if (sys != NULL)
            *sys = r;
        return sk__posix_eai(r);
    }
    for (ai = res; ai != NULL; ai = ai->ai_next)
        n++;
    *list = (sk__addr *)sk__calloc(n ? n : 1, sizeof **list);
    if (*list == NULL) {
        freeaddrinfo(res);
        return SK_ENORESOURCES;
    }
    n = 0;
    for (ai = res; ai != NULL; ai = ai->ai_next) {
        sk__addr *a = &(*list)[n];
        if ((ai->ai_family != AF_INET && ai->ai_family != AF_INET6) ||
            ai->ai_addrlen > sizeof a->sa.bytes)
            continue;
        memcpy(a->sa.bytes, ai->ai_addr, ai->ai_addrlen);
        a->len = (unsigned)ai->ai_addrlen;
        a->family = ai->ai_family == AF_INET6 ? SK__AF_INET6 : SK__AF_INET;
        n++;
    }
    freeaddrinfo(res);
    *count = n;
    if (n == 0) {
        sk__free(*list);
        *list = NULL;
        return SK_EHOSTNOTFOUND;
    }
    return 0;
}

/* sk__addr_ip (addr.c) reads the address bytes of a native sockaddr at the
 * offsets plat.h names; this system's layout must agree. */
typedef char sk__posix_in4_at[offsetof(struct sockaddr_in, sin_addr) ==
                               SK__SA_IN4_AT ? 1 : -1];
typedef char sk__posix_in6_at[offsetof(struct sockaddr_in6, sin6_addr) ==
                               SK__SA_IN6_AT ? 1 : -1];

int sk__plat_addrname(const sk__addr *a, sk_name *out)
{
    memset(out, 0, sizeof *out);
    if (a->family == SK__AF_INET) {
        struct sockaddr_in sin;
        memcpy(&sin, a->sa.bytes, sizeof sin);
        if (inet_ntop(AF_INET, &sin.sin_addr, out->addr, sizeof out->addr) ==
            NULL)
            return SK_EINVAL;
        out->port = ntohs(sin.sin_port);
        strcpy(out->family, "inet");
        return 0;
    }
    if (a->family == SK__AF_INET6) {
        struct sockaddr_in6 sin6;
        memcpy(&sin6, a->sa.bytes, sizeof sin6);
        out->port = ntohs(sin6.sin6_port);
        if (IN6_IS_ADDR_V4MAPPED(&sin6.sin6_addr)) {
            if (inet_ntop(AF_INET, &sin6.sin6_addr.s6_addr[12], out->addr,
                          sizeof out->addr) == NULL)
                return SK_EINVAL;
            strcpy(out->family, "inet");
            return 0;
        }
        if (inet_ntop(AF_INET6, &sin6.sin6_addr, out->addr,
                      sizeof out->addr) == NULL)
            return SK_EINVAL;
        strcpy(out->family, "inet6");
        return 0;
    }
    if (a->family == SK__AF_UNIX)
        return sk__posix_unix_name(a, out);
    return SK_EINVAL;
}
#endif
