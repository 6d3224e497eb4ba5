/* SPDX-License-Identifier: MIT */
/*
 * addr.c - addresses on Windows: resolving host and port with getaddrinfo
 * (numeric hosts never reach a resolver), numeric text for an address
 * (IPv4-mapped IPv6 shown as IPv4), and a socket's own, peer and family.
 */
#include "../plat.h"

#if SK_OS_WIN32

#include "win32_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Copy a native sockaddr of len bytes into *a. */
static int sk__win_addr_set(sk__addr *a, const void *sa, size_t len) {
    int af;
    if (len < sizeof(short) || len > sizeof a->sa.bytes)
        return SK_EINVAL;
    af = ((const struct sockaddr *)sa)->sa_family;
    if (sk__win_family(af) == SK__AF_UNSPEC)
        return SK_EFAMILY;
    memset(a, 0, sizeof *a);
    memcpy(a->sa.bytes, sa, len);
    a->len = (unsigned)len;
    a->family = sk__win_family(af);
    return 0;
}

/* One getaddrinfo call; returns its (WSA) code, 0 on success. */
static int sk__win_gai(const char *host, const char *serv, int af,
                       int flags, struct addrinfo **res) {
    struct addrinfo hints;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = af;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    hints.ai_flags = flags;
    *res = NULL;
    return getaddrinfo(host, serv, &hints, res);
}

int sk__plat_resolve(const char *host, int port, int family, int passive,
                     sk__addr **list, size_t *count, int *sys) {
    struct addrinfo *res = NULL, *ai;
    char serv[16];
    size_t n = 0, k = 0;
    int af, flags, rc;
    sk__addr *out;

    *list = NULL;
    *count = 0;
    if (family == SK__AF_UNSPEC)
        af = AF_UNSPEC;
    else if (family == SK__AF_INET)
        af = AF_INET;
    else if (family == SK__AF_INET6)
        af = AF_INET6;
    else
        return sk__win_fail(WSAEAFNOSUPPORT, sys);
    if (port < 0 || port > 65535)
        return sk__win_fail(WSAEINVAL, sys);
    sprintf(serv, "%d", port);

    /* The service is always numeric; so is the host when the first call,
     * which forbids any lookup, succeeds.  Only a real name goes on to the
     * resolver (and may block: the timeouts do not cover it). */
    flags = AI_NUMERICSERV | (passive ? AI_PASSIVE : 0);
    if (host == NULL) {
        rc = sk__win_gai(NULL, serv, af, flags, &res);
    } else {
        rc = sk__win_gai(host, serv, af, flags | AI_NUMERICHOST, &res);
        if (rc == EAI_NONAME)
            rc = sk__win_gai(host, serv, af, flags, &res);
    }
    if (rc != 0) {
        if (res != NULL)
            freeaddrinfo(res);
        return sk__win_fail(rc, sys);
    }

    for (ai = res; ai != NULL; ai = ai->ai_next)
        n++;
    out = (sk__addr *)sk__malloc((n ? n : 1) * sizeof *out);
    if (out == NULL) {
        freeaddrinfo(res);
        return sk__win_fail(WSA_NOT_ENOUGH_MEMORY, sys);
    }
    for (ai = res; ai != NULL; ai = ai->ai_next) {
        if (ai->ai_addr == NULL || ai->ai_addrlen <= 0)
            continue;
        if (sk__win_addr_set(&out[k], ai->ai_addr, (size_t)ai->ai_addrlen))
            continue; /* a family sockit does not use */
        k++;
    }
    freeaddrinfo(res);
    if (k == 0) {
        sk__free(out);
        return sk__win_fail(WSAHOST_NOT_FOUND, sys);
    }
    *list = out;
    *count = k;
    return 0;
}

/* sk__addr_ip (addr.c) reads the address bytes of a native sockaddr at the
 * offsets plat.h names; this system's layout must agree. */
typedef char sk__win_in4_at[offsetof(struct sockaddr_in, sin_addr) ==
                               SK__SA_IN4_AT ? 1 : -1];
typedef char sk__win_in6_at[offsetof(struct sockaddr_in6, sin6_addr) ==
                               SK__SA_IN6_AT ? 1 : -1];

int sk__plat_addrname(const sk__addr *a, sk_name *out) {
    const struct sockaddr_in *in4;
    const struct sockaddr_in6 *in6;
    struct in_addr v4;

    memset(out, 0, sizeof *out);
    if (a == NULL)
        return SK_EINVAL;
    if (a->family == SK__AF_INET && a->len >= sizeof *in4) {
        in4 = (const struct sockaddr_in *)(const void *)a->sa.bytes;
        if (inet_ntop(AF_INET, (void *)&in4->sin_addr, out->addr,
                      sizeof out->addr) == NULL)
            return SK_EINVAL;
        out->port = ntohs(in4->sin_port);
        strcpy(out->family, "inet");
        return 0;
    }
    if (a->family == SK__AF_INET6 && a->len >= sizeof *in6) {
        in6 = (const struct sockaddr_in6 *)(const void *)a->sa.bytes;
        out->port = ntohs(in6->sin6_port);
        if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
            /* A dual-stack socket sees IPv4 peers as ::ffff:a.b.c.d; they
             * are IPv4 peers and are named so. */
            memcpy(&v4, &in6->sin6_addr.s6_addr[12], sizeof v4);
            if (inet_ntop(AF_INET, (void *)&v4, out->addr,
                          sizeof out->addr) == NULL)
                return SK_EINVAL;
            strcpy(out->family, "inet");
            return 0;
        }
        if (inet_ntop(AF_INET6, (void *)&in6->sin6_addr, out->addr,
                      sizeof out->addr) == NULL)
            return SK_EINVAL;
        strcpy(out->family, "inet6");
        return 0;
    }
    if (a->family == SK__AF_UNIX)
        return sk__win_unix_name(a, out);
    return SK_EINVAL;
}

int sk__plat_sockname(sk_fd_t fd, sk__addr *a, int *sys) {
    struct sockaddr_storage ss;
    int len = (int)sizeof ss, err;
    memset(&ss, 0, sizeof ss);
    if (getsockname(SK__SOCK(fd), (struct sockaddr *)&ss, &len) ==
        SOCKET_ERROR) {
        err = WSAGetLastError();
        /* Windows fails on a socket that is not bound yet, where POSIX
         * reports the any address: "not bound" is SK_ENOTCONN; but a
         * UNIX-domain client that never bound is unnamed, as on POSIX. */
        if (err == WSAEINVAL && sk__win_unix_unnamed(SK__SOCK(fd), a))
            return 0;
        if (err == WSAEINVAL) {
            if (sys != NULL)
                *sys = err;
            return SK_ENOTCONN;
        }
        return sk__win_fail(err, sys);
    }
    return sk__win_addr_set(a, &ss, (size_t)len);
}

int sk__plat_peername(sk_fd_t fd, sk__addr *a, int *sys) {
    struct sockaddr_storage ss;
    int len = (int)sizeof ss;
    memset(&ss, 0, sizeof ss);
    if (getpeername(SK__SOCK(fd), (struct sockaddr *)&ss, &len) ==
        SOCKET_ERROR)
        return sk__win_fail(WSAGetLastError(), sys); /* WSAENOTCONN */
    return sk__win_addr_set(a, &ss, (size_t)len);
}

int sk__plat_family(sk_fd_t fd, int *family, int *sys) {
    WSAPROTOCOL_INFOW info;
    struct sockaddr_storage ss;
    int len = (int)sizeof info;
    /* The protocol info knows the family of an unbound socket too, where
     * getsockname would fail on Windows; getsockname is the fallback for
     * providers that do not answer. */
    if (getsockopt(SK__SOCK(fd), SOL_SOCKET, SO_PROTOCOL_INFOW,
                   (char *)&info, &len) == 0) {
        *family = sk__win_family(info.iAddressFamily);
        if (*family != SK__AF_UNSPEC)
            return 0;
        return sk__win_fail(WSAEAFNOSUPPORT, sys);
    }
    len = (int)sizeof ss;
    memset(&ss, 0, sizeof ss);
    if (getsockname(SK__SOCK(fd), (struct sockaddr *)&ss, &len) ==
        SOCKET_ERROR)
        return sk__win_fail(WSAGetLastError(), sys);
    *family = sk__win_family(ss.ss_family);
    if (*family == SK__AF_UNSPEC)
        return sk__win_fail(WSAEAFNOSUPPORT, sys);
    return 0;
}

#endif /* SK_OS_WIN32 */
