/* SPDX-License-Identifier: MIT */
/*
 * fake_addr.c - the fake backend's addresses: the real POSIX backend's
 * parsing and formatting (src/posix/posix_addr.c, posix_lookup.c,
 * posix_unix.c and posix_errors.c, compiled in here), so that the fuzz
 * targets reach the code that turns host, service and path strings into
 * addresses and back, with the system's own getaddrinfo and inet_pton.
 * What must not leave the process is cut off:
 *   - getaddrinfo always gets AI_NUMERICHOST: a name is EAI_NONAME, never
 *     a hosts-file or DNS query (a service name still reads the services
 *     file; a scope id such as "%lo" still asks the kernel for the index);
 *   - getnameinfo never asks anyone: fake_getnameinfo makes up an answer
 *     from the address bytes (a name, no name, a temporary failure, the
 *     numeric text itself, a name of 300 bytes);
 *   - the host name is the fake's ("fakehost"), and socket files are never
 *     kept or removed (fake_plat.c).
 * The wrappers keep the fake's contract checks on the calls the shared
 * code makes (started, families, types, ports).
 */
#include "../../src/posix/posix_int.h" /* feature macros, then netdb.h */

#include "fake_plat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int fake_getaddrinfo(const char *node, const char *service,
                     const struct addrinfo *hints, struct addrinfo **res);
int fake_getnameinfo(const struct sockaddr *sa, socklen_t salen, char *host,
                     socklen_t hostlen, char *serv, socklen_t servlen,
                     int flags);
/* The real backend's, renamed: the fake's own wrap them or replace them. */
int real_posix_resolve(const char *host, int port, int family, int passive,
                       sk__addr **list, size_t *count, int *sys);
int real_posix_lookup(const char *host, const char *service, int family,
                      int type, int flags, sk__lookup_ent **list,
                      size_t *count, char **canon, int *sys);
int real_posix_reverse(const sk__addr *a, char *name, int *sys);
int real_posix_hostname(char *name, int *sys);
int real_posix_unix_keep(const char *path, char **out);
void real_posix_unix_remove(const char *path);

#define getaddrinfo fake_getaddrinfo
#define getnameinfo fake_getnameinfo
#define sk__plat_resolve real_posix_resolve
#define sk__plat_lookup real_posix_lookup
#define sk__plat_reverse real_posix_reverse
#define sk__plat_hostname real_posix_hostname
#define sk__plat_unix_keep real_posix_unix_keep
#define sk__plat_unix_remove real_posix_unix_remove
#include "../../src/posix/posix_errors.c"
#include "../../src/posix/posix_addr.c"
#include "../../src/posix/posix_lookup.c"
#include "../../src/posix/posix_unix.c"
#undef getaddrinfo
#undef getnameinfo
#undef sk__plat_resolve
#undef sk__plat_lookup
#undef sk__plat_reverse
#undef sk__plat_hostname
#undef sk__plat_unix_keep
#undef sk__plat_unix_remove

int fake_getaddrinfo(const char *node, const char *service,
                     const struct addrinfo *hints, struct addrinfo **res)
{
    struct addrinfo h;
    memset(&h, 0, sizeof h);
    if (hints != NULL)
        h = *hints;
    h.ai_flags |= AI_NUMERICHOST; /* no resolver, ever */
    return getaddrinfo(node, service, &h, res);
}

int fake_getnameinfo(const struct sockaddr *sa, socklen_t salen, char *host,
                     socklen_t hostlen, char *serv, socklen_t servlen,
                     int flags)
{
    const unsigned char *b = (const unsigned char *)(const void *)sa;
    unsigned h = 2166136261u;
    socklen_t i;
    int r;
    FAKE_CHECK(sa != NULL && host != NULL && hostlen > 0);
    FAKE_CHECK(serv == NULL && servlen == 0);
    FAKE_CHECK(flags == NI_NAMEREQD);
    for (i = 0; i < salen; i++)
        h = (h ^ b[i]) * 16777619u;
    switch (h % 6) {
    case 0:
        return EAI_NONAME;
    case 1:
        return EAI_AGAIN;
    case 2: /* the numeric text: sockit must not call it a name */
        r = getnameinfo(sa, salen, host, hostlen, NULL, 0, NI_NUMERICHOST);
        return r;
    case 3: /* a long name */
        FAKE_CHECK(hostlen > 300);
        memset(host, 'n', 300);
        memcpy(host + 296, ".net", 5);
        return 0;
    default:
        (void)snprintf(host, (size_t)hostlen, "h%08x.example", h);
        return 0;
    }
}

int sk__plat_resolve(const char *host, int port, int family, int passive,
                     sk__addr **list, size_t *count, int *sys)
{
    FAKE_CHECK(list != NULL && count != NULL);
    FAKE_CHECK(port >= 0 && port <= 65535);
    FAKE_CHECK(family == SK__AF_UNSPEC || family == SK__AF_INET ||
               family == SK__AF_INET6);
    FAKE_CHECK(host != NULL || passive);
    FAKE_CHECK(host == NULL || (host[0] != '\0' && strlen(host) <= 255));
    return real_posix_resolve(host, port, family, passive, list, count,
                              sys);
}

int sk__plat_lookup(const char *host, const char *service, int family,
                    int type, int flags, sk__lookup_ent **list,
                    size_t *count, char **canon, int *sys)
{
    FAKE_CHECK(list != NULL && count != NULL && canon != NULL);
    FAKE_CHECK(fake.started > 0);
    FAKE_CHECK(host != NULL || service != NULL);
    FAKE_CHECK(family == SK__AF_UNSPEC || family == SK__AF_INET ||
               family == SK__AF_INET6);
    FAKE_CHECK(type == 0 || type == SK__STREAM || type == SK__DGRAM);
    if (service != NULL && (flags & SK__LOOKUP_NUMERICSERV)) {
        /* canonical decimal, 0..65535 */
        size_t i, n = strlen(service);
        FAKE_CHECK(n >= 1 && n <= 5 && (service[0] != '0' || n == 1));
        for (i = 0; i < n; i++)
            FAKE_CHECK(service[i] >= '0' && service[i] <= '9');
        FAKE_CHECK(atol(service) <= 65535);
    }
    return real_posix_lookup(host, service, family, type, flags, list,
                             count, canon, sys);
}

int sk__plat_reverse(const sk__addr *a, char *name, int *sys)
{
    FAKE_CHECK(a != NULL && name != NULL);
    FAKE_CHECK(fake.started > 0);
    FAKE_CHECK(a->family == SK__AF_INET || a->family == SK__AF_INET6);
    return real_posix_reverse(a, name, sys);
}

int sk__plat_hostname(char *name, int *sys)
{
    FAKE_CHECK(name != NULL);
    FAKE_CHECK(fake.started > 0);
    (void)sys;
    strcpy(name, "fakehost");
    return 0;
}

/* Socket files: a copy of the path, and nothing is ever removed (a fuzzer
 * must not unlink whatever a path happens to name on the machine). */
int sk__plat_unix_keep(const char *path, char **out)
{
    size_t n;
    FAKE_CHECK(path != NULL && out != NULL && path[0] != '\0');
    FAKE_CHECK(path[0] != '@'); /* abstract names have no file */
    n = strlen(path) + 1;
    *out = (char *)malloc(n);
    if (*out == NULL)
        return SK_ENORESOURCES;
    memcpy(*out, path, n);
    return 0;
}

void sk__plat_unix_remove(const char *path)
{
    FAKE_CHECK(path != NULL && path[0] != '\0');
    fake.unix_removed++;
}

int sk__plat_v4mapped(const sk__addr *in, sk__addr *out)
{
    struct sockaddr_in sin;
    struct sockaddr_in6 sin6;
    FAKE_CHECK(in != NULL && out != NULL);
    if (in->family != SK__AF_INET || in->len < sizeof sin)
        return SK_EINVAL;
    memcpy(&sin, in->sa.bytes, sizeof sin);
    memset(&sin6, 0, sizeof sin6);
    sin6.sin6_family = AF_INET6;
    sin6.sin6_port = sin.sin_port;
    sin6.sin6_addr.s6_addr[10] = 0xff;
    sin6.sin6_addr.s6_addr[11] = 0xff;
    memcpy(&sin6.sin6_addr.s6_addr[12], &sin.sin_addr, 4);
    memset(out, 0, sizeof *out);
    memcpy(out->sa.bytes, &sin6, sizeof sin6);
    out->len = (unsigned)sizeof sin6;
    out->family = SK__AF_INET6;
    return 0;
}

void fake_make_addr(sk__addr *a, int family, const unsigned char *ip,
                    int port)
{
    memset(a, 0, sizeof *a);
    a->family = family;
    if (family == SK__AF_INET) {
        struct sockaddr_in sin;
        memset(&sin, 0, sizeof sin);
        sin.sin_family = AF_INET;
        sin.sin_port = htons((unsigned short)port);
        memcpy(&sin.sin_addr, ip, 4);
        memcpy(a->sa.bytes, &sin, sizeof sin);
        a->len = (unsigned)sizeof sin;
    } else if (family == SK__AF_INET6) {
        struct sockaddr_in6 sin6;
        memset(&sin6, 0, sizeof sin6);
        sin6.sin6_family = AF_INET6;
        sin6.sin6_port = htons((unsigned short)port);
        memcpy(&sin6.sin6_addr, ip, 16);
        memcpy(a->sa.bytes, &sin6, sizeof sin6);
        a->len = (unsigned)sizeof sin6;
    } else {
        /* an unnamed UNIX-domain socket: the family alone */
        struct sockaddr_un sun;
        memset(&sun, 0, sizeof sun);
        sun.sun_family = AF_UNIX;
        memcpy(a->sa.bytes, &sun, sizeof sun);
        a->len = (unsigned)offsetof(struct sockaddr_un, sun_path);
    }
}
