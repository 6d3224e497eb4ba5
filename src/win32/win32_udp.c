/* SPDX-License-Identifier: MIT */
/*
 * udp.c - datagrams on Windows: ICMP resets turned off on every datagram
 * socket, one sendto / recvfrom (WSAEMSGSIZE is a truncated datagram),
 * dropping a peer, multicast membership, IPv4-mapped addresses, and the
 * datagram options (broadcast, multicast TTL, loop and interface).
 */
#include "../plat.h"

#if SK_OS_WIN32

#include "win32_int.h"

#include <mstcpip.h>
#include <limits.h>
#include <string.h>

/* Windows XP / 7 numbers; older MinGW headers lack one or both. */
#ifndef SIO_UDP_CONNRESET
#  define SIO_UDP_CONNRESET _WSAIOW(IOC_VENDOR, 12)
#endif
#ifndef SIO_UDP_NETRESET
#  define SIO_UDP_NETRESET _WSAIOW(IOC_VENDOR, 15)
#endif

void sk__win_udp_prepare(SOCKET s) {
    BOOL off = FALSE;
    DWORD bytes = 0;
    /* Without this an ICMP port unreachable (or TTL expired) that one
     * sendto met fails a later recvfrom with WSAECONNRESET (WSAENETRESET),
     * even on a socket without a peer.  Best effort: a provider without
     * the ioctl still gives a usable socket, and sk_recvfrom skips those
     * errors on objects without a peer anyway. */
    (void)WSAIoctl(s, SIO_UDP_CONNRESET, &off, (DWORD)sizeof off, NULL, 0,
                   &bytes, NULL, NULL);
    (void)WSAIoctl(s, SIO_UDP_NETRESET, &off, (DWORD)sizeof off, NULL, 0,
                   &bytes, NULL, NULL);
}

/* The datagram meaning of the reset codes: an earlier datagram met a
 * closed port (reset) or ran out of TTL (net reset). */
static int sk__win_dgram_fail(int err, int *sys) {
    if (err == WSAECONNRESET || err == WSAENETRESET) {
        if (sys != NULL)
            *sys = err;
        return err == WSAECONNRESET ? SK_ECONNREFUSED : SK_EHOSTUNREACH;
    }
    if (err == WSAEWOULDBLOCK) {
        if (sys != NULL)
            *sys = err;
        return SK_EWOULDBLOCK;
    }
    return sk__win_fail(err, sys);
}

int sk__plat_sendto(sk_fd_t fd, const void *buf, size_t len,
                    const sk__addr *to, size_t *sent, int *sys) {
    int n, err;
    *sent = 0;
    if (len > (size_t)INT_MAX) /* never cut a datagram */
        return sk__win_fail(WSAEMSGSIZE, sys);
    for (;;) {
        if (to != NULL)
            n = sendto(SK__SOCK(fd), (const char *)buf, (int)len, 0,
                       (const struct sockaddr *)to->sa.bytes, (int)to->len);
        else
            n = send(SK__SOCK(fd), (const char *)buf, (int)len, 0);
        if (n != SOCKET_ERROR) {
            *sent = (size_t)n;
            return 0;
        }
        err = WSAGetLastError();
        if (err != WSAEINTR)
            break;
    }
    return sk__win_dgram_fail(err, sys);
}

/* Copy a sender of len bytes into *from (family SK__AF_UNSPEC when it is
 * none sockit knows). */
static void sk__win_from(sk__addr *from, const struct sockaddr_storage *ss,
                         int len) {
    memset(from, 0, sizeof *from);
    if (len <= 0 || (size_t)len > sizeof from->sa.bytes)
        return;
    memcpy(from->sa.bytes, ss, (size_t)len);
    from->len = (unsigned)len;
    from->family = ss->ss_family == AF_INET6 ? SK__AF_INET6
                 : ss->ss_family == AF_INET  ? SK__AF_INET
                                             : SK__AF_UNSPEC;
}

int sk__plat_recvfrom(sk_fd_t fd, void *buf, size_t len, size_t *got,
                      size_t *size, sk__addr *from, int *sys) {
    struct sockaddr_storage ss;
    int n, err, sl;
    int want = len > (size_t)INT_MAX ? INT_MAX : (int)len;
    char none;

    *got = 0;
    *size = 0; /* Winsock never tells a truncated datagram's length */
    for (;;) {
        memset(&ss, 0, sizeof ss);
        sl = (int)sizeof ss;
        n = recvfrom(SK__SOCK(fd), want > 0 ? (char *)buf : &none, want, 0,
                     (struct sockaddr *)&ss, &sl);
        if (n != SOCKET_ERROR) {
            *got = (size_t)n;
            *size = (size_t)n;
            if (from != NULL)
                sk__win_from(from, &ss, sl);
            return 0;
        }
        err = WSAGetLastError();
        if (err != WSAEINTR)
            break;
    }
    if (err == WSAEMSGSIZE) {
        /* The buffer holds the datagram's first bytes; the rest is gone. */
        *got = (size_t)want;
        if (from != NULL)
            sk__win_from(from, &ss, sl);
        if (sys != NULL)
            *sys = err;
        return SK_ETRUNCATED;
    }
    return sk__win_dgram_fail(err, sys);
}

ptrdiff_t sk__plat_sendto1(sk_fd_t fd, const void *buf, size_t len,
                           const sk__addr *to) {
    int n; /* (len <= SK__DGRAM1_MAX fits an int) */
    if (to == NULL)
        n = send(SK__SOCK(fd), (const char *)buf, (int)len, 0);
    else
        n = sendto(SK__SOCK(fd), (const char *)buf, (int)len, 0,
                   (const struct sockaddr *)to->sa.bytes, (int)to->len);
    return n == SOCKET_ERROR ? -1 : (ptrdiff_t)n;
}

ptrdiff_t sk__plat_recvfrom1(sk_fd_t fd, void *buf, size_t len,
                             sk__addr *from) {
    int n, sl = (int)sizeof from->sa.bytes;
    if (from == NULL)
        n = recv(SK__SOCK(fd), (char *)buf, (int)len, 0);
    else
        n = recvfrom(SK__SOCK(fd), (char *)buf, (int)len, 0,
                     (struct sockaddr *)from->sa.bytes, &sl);
    if (n == SOCKET_ERROR) {
        if (WSAGetLastError() != WSAEMSGSIZE)
            return -1;
        n = -2; /* cut: buf holds the first len bytes, the rest is gone */
    }
    if (from != NULL)
        from->len = sl > 0 ? (unsigned)sl : 0;
    return n == -2 ? SK__DGRAM_CUT : (ptrdiff_t)n;
}

void sk__plat_from_family(sk__addr *from) {
    /* as sk__win_from, without the copy */
    int af = ((const struct sockaddr *)from->sa.bytes)->sa_family;
    if (from->len < sizeof(u_short) || from->len > sizeof from->sa.bytes)
        from->len = 0;
    from->family = from->len == 0 ? SK__AF_UNSPEC
                 : af == AF_INET6 ? SK__AF_INET6
                 : af == AF_INET  ? SK__AF_INET
                                  : SK__AF_UNSPEC;
}

ptrdiff_t sk__plat_recvfroma(sk_fd_t fd, void *buf, size_t len,
                             sk__addr *from) {
    ptrdiff_t n = sk__plat_recvfrom1(fd, buf, len, from);
    if (n >= 0)
        sk__plat_from_family(from);
    return n;
}

int sk__plat_dgram_fail(int *sys) {
    int err = WSAGetLastError();
    if (err == WSAEINTR)
        return SK_EWOULDBLOCK;
    return sk__win_dgram_fail(err, sys);
}

/* Winsock has no batch call for datagrams: one system call each
 * (udpeach.c); after the first, only what is there (a zero-time select
 * says so). */
int sk__plat_dgram_ready(sk_fd_t fd) {
    fd_set rs;
    struct timeval tv;
    FD_ZERO(&rs);
    FD_SET(SK__SOCK(fd), &rs);
    tv.tv_sec = 0;
    tv.tv_usec = 0;
    return select(0, &rs, NULL, NULL, &tv) > 0;
}

int sk__plat_sendmany(sk_fd_t fd, const sk_dgram *d,
                      const sk__addr *const *to, size_t n, int *gso,
                      size_t *done, int *sys) {
    if (gso != NULL)
        *gso = -1; /* (no segmentation offload used here) */
    return sk__udp_sendeach(fd, d, to, n, done, sys);
}

int sk__plat_recvmany(sk_fd_t fd, sk_dgram *d, sk__addr *from, size_t n,
                      int all, int wait, size_t *done, int *sys) {
    return sk__udp_recveach(fd, d, from, n, all, wait, done, sys);
}

int sk__plat_disconnect(sk_fd_t fd, int *sys) {
    struct sockaddr_storage ss;
    int family = 0, rc;
    /* "If the address member of the structure is all zeroes, the socket
     * will be disconnected": the any address of the socket's own family,
     * port 0. */
    rc = sk__plat_family(fd, &family, sys);
    if (rc != 0)
        return rc;
    memset(&ss, 0, sizeof ss);
    ss.ss_family = (ADDRESS_FAMILY)(family == SK__AF_INET6 ? AF_INET6
                                                            : AF_INET);
    if (connect(SK__SOCK(fd), (const struct sockaddr *)&ss,
                family == SK__AF_INET6 ? (int)sizeof(struct sockaddr_in6)
                                       : (int)sizeof(struct sockaddr_in)) ==
        SOCKET_ERROR)
        return sk__win_fail(WSAGetLastError(), sys);
    return 0;
}

int sk__plat_v4mapped(const sk__addr *in, sk__addr *out) {
    struct sockaddr_in sin;
    struct sockaddr_in6 sin6;
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

/* An IPv4 interface index as Winsock takes it in an address field:
 * 0.0.0.idx, "an address whose first octet is 0" (indices below 2^24). */
static int sk__win_if4(int ifindex, IN_ADDR *a) {
    if (ifindex < 0 || ifindex > 0xffffff)
        return SK_EINVAL;
    a->s_addr = htonl((u_long)ifindex);
    return 0;
}

/* The per-family options (IP_ADD_MEMBERSHIP with ip_mreq, the interface as
 * 0.0.0.idx; IPV6_ADD_MEMBERSHIP with ipv6_mreq): every Windows and Wine
 * has them. */
static int sk__win_membership_old(SOCKET s, int join, const sk__addr *group,
                                  int ifindex) {
    if (group->family == SK__AF_INET) {
        struct sockaddr_in sin;
        struct ip_mreq m;
        memset(&m, 0, sizeof m);
        if (sk__win_if4(ifindex, &m.imr_interface) != 0) {
            WSASetLastError(WSAEINVAL);
            return SOCKET_ERROR;
        }
        memcpy(&sin, group->sa.bytes, sizeof sin);
        m.imr_multiaddr = sin.sin_addr;
        return setsockopt(s, IPPROTO_IP,
                          join ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP,
                          (const char *)&m, (int)sizeof m);
    } else {
        struct sockaddr_in6 sin6;
        struct ipv6_mreq m;
        memset(&m, 0, sizeof m);
        memcpy(&sin6, group->sa.bytes, sizeof sin6);
        m.ipv6mr_multiaddr = sin6.sin6_addr;
        m.ipv6mr_interface = (ULONG)ifindex;
        return setsockopt(s, IPPROTO_IPV6,
                          join ? IPV6_ADD_MEMBERSHIP : IPV6_DROP_MEMBERSHIP,
                          (const char *)&m, (int)sizeof m);
    }
}

int sk__plat_membership(sk_fd_t fd, int join, const sk__addr *group,
                        int ifindex, int *sys) {
    SOCKET s = SK__SOCK(fd);
    int level, err;
    if ((group->family != SK__AF_INET && group->family != SK__AF_INET6) ||
        ifindex < 0)
        return sk__win_fail(WSAEINVAL, sys);
    level = group->family == SK__AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP;
#if defined(MCAST_JOIN_GROUP) && defined(MCAST_LEAVE_GROUP)
    {
        /* The protocol-independent call first (Vista and later). */
        GROUP_REQ gr;
        memset(&gr, 0, sizeof gr);
        gr.gr_interface = (ULONG)ifindex;
        if (group->len > sizeof gr.gr_group)
            return sk__win_fail(WSAEINVAL, sys);
        memcpy(&gr.gr_group, group->sa.bytes, group->len);
        if (setsockopt(s, level, join ? MCAST_JOIN_GROUP : MCAST_LEAVE_GROUP,
                       (const char *)&gr, (int)sizeof gr) == 0)
            return 0;
        err = WSAGetLastError();
        /* A stack that lacks it (Wine) says so by name: fall back. */
        if (err != WSAENOPROTOOPT && err != WSAEOPNOTSUPP)
            return sk__win_fail(err, sys);
    }
#else
    (void)level;
#endif
    if (sk__win_membership_old(s, join, group, ifindex) == 0)
        return 0;
    err = WSAGetLastError();
    return sk__win_fail(err, sys);
}

/* The IN_ADDR of an SK__AF_INET address. */
static IN_ADDR sk__win_in4(const sk__addr *a) {
    struct sockaddr_in sin;
    memcpy(&sin, a->sa.bytes, sizeof sin);
    return sin.sin_addr;
}

int sk__plat_membership4(sk_fd_t fd, int join, const sk__addr *group,
                         const sk__addr *ifaddr, int *sys) {
    struct ip_mreq m;
    if (group->family != SK__AF_INET || ifaddr->family != SK__AF_INET)
        return sk__win_fail(WSAEINVAL, sys);
    memset(&m, 0, sizeof m);
    m.imr_multiaddr = sk__win_in4(group);
    m.imr_interface = sk__win_in4(ifaddr);
    if (setsockopt(SK__SOCK(fd), IPPROTO_IP,
                   join ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP,
                   (const char *)&m, (int)sizeof m) != 0)
        return sk__win_fail(WSAGetLastError(), sys);
    return 0;
}

int sk__plat_mcastif4(sk_fd_t fd, const sk__addr *ifaddr, int *sys) {
    IN_ADDR a;
    int err;
    if (ifaddr->family != SK__AF_INET)
        return sk__win_fail(WSAEINVAL, sys);
    a = sk__win_in4(ifaddr);
    if (setsockopt(SK__SOCK(fd), IPPROTO_IP, IP_MULTICAST_IF,
                   (const char *)&a, (int)sizeof a) == 0)
        return 0;
    err = WSAGetLastError();
    if (sys != NULL)
        *sys = err;
    if (err == WSAENOPROTOOPT || err == WSAEOPNOTSUPP)
        return SK_EUNSUPPORTED;
    if (err == WSAEINVAL || err == WSAEADDRNOTAVAIL)
        return SK_EADDRNOTAVAIL; /* not an address of this host */
    return sk__win_code(err);
}

/* ---- options ----------------------------------------------------------- */

int sk__win_dgram_option(int option) {
    return option == SK_OPT_BROADCAST || option == SK_OPT_MULTICAST_TTL ||
           option == SK_OPT_MULTICAST_LOOP || option == SK_OPT_MULTICAST_IF;
}

/* An option refused for this socket is unsupported (sockit checked the
 * value already); an interface that is not there is not available. */
static int sk__win_dgram_optfail(int err, int *sys) {
    if (err == WSAENOPROTOOPT || err == WSAEINVAL || err == WSAEOPNOTSUPP) {
        if (sys != NULL)
            *sys = err;
        return SK_EUNSUPPORTED;
    }
    return sk__win_fail(err, sys);
}

/* Level and name of a multicast option for an IPv4 (v4 1) or IPv6
 * socket. */
static void sk__win_mopt(int option, int v4, int *level, int *name) {
    *level = v4 ? IPPROTO_IP : IPPROTO_IPV6;
    switch (option) {
    case SK_OPT_MULTICAST_TTL:
        *name = v4 ? IP_MULTICAST_TTL : IPV6_MULTICAST_HOPS;
        break;
    case SK_OPT_MULTICAST_LOOP:
        *name = v4 ? IP_MULTICAST_LOOP : IPV6_MULTICAST_LOOP;
        break;
    default: /* SK_OPT_MULTICAST_IF */
        *name = v4 ? IP_MULTICAST_IF : IPV6_MULTICAST_IF;
        break;
    }
}

/* One setting for an IPv4 (v4 1) or IPv6 socket; the WSA code or 0. */
static int sk__win_mset(SOCKET s, int v4, int option, int value) {
    int level, name;
    DWORD v = (DWORD)value;
    sk__win_mopt(option, v4, &level, &name);
    if (v4 && option == SK_OPT_MULTICAST_IF) {
        IN_ADDR a;
        if (sk__win_if4(value, &a) != 0)
            return WSAEINVAL;
        v = (DWORD)a.s_addr; /* an IN_ADDR in a DWORD, as documented */
    }
    if (setsockopt(s, level, name, (const char *)&v, (int)sizeof v) ==
        SOCKET_ERROR)
        return WSAGetLastError();
    return 0;
}

int sk__win_dgram_setopt(sk_fd_t fd, int option, int value, int *sys) {
    SOCKET s = SK__SOCK(fd);
    int family = 0, rc;
    if (option == SK_OPT_BROADCAST) {
        DWORD v = (DWORD)(value != 0);
        if (setsockopt(s, SOL_SOCKET, SO_BROADCAST, (const char *)&v,
                       (int)sizeof v) == SOCKET_ERROR)
            return sk__win_dgram_optfail(WSAGetLastError(), sys);
        return 0;
    }
    rc = sk__plat_family(fd, &family, sys);
    if (rc != 0)
        return rc;
    if (option == SK_OPT_MULTICAST_IF && family == SK__AF_INET &&
        value > 0xffffff)
        return SK_EINVAL; /* no 0.0.0.idx for it */
    rc = sk__win_mset(s, family == SK__AF_INET, option, value);
    if (rc == WSAEINVAL && option == SK_OPT_MULTICAST_IF) {
        /* The value is valid: the OS knows no such interface (Wine takes
         * no 0.0.0.idx, only an interface's address). */
        if (sys != NULL)
            *sys = rc;
        return SK_EADDRNOTAVAIL;
    }
    if (rc != 0)
        return sk__win_dgram_optfail(rc, sys);
    /* A dual-stack IPv6 socket sends to IPv4 too, which follows the IPv4
     * setting: made as well where Windows allows (best effort; the IPv6
     * one is what is read back). */
    if (family == SK__AF_INET6)
        (void)sk__win_mset(s, 1, option, value);
    return 0;
}

int sk__win_dgram_getopt(sk_fd_t fd, int option, int *value, int *sys) {
    SOCKET s = SK__SOCK(fd);
    int family = 0, level, name, len, rc;
    DWORD v = 0;
    if (option == SK_OPT_BROADCAST) {
        level = SOL_SOCKET;
        name = SO_BROADCAST;
    } else {
        rc = sk__plat_family(fd, &family, sys);
        if (rc != 0)
            return rc;
        sk__win_mopt(option, family == SK__AF_INET, &level, &name);
    }
    len = (int)sizeof v;
    if (getsockopt(s, level, name, (char *)&v, &len) == SOCKET_ERROR)
        return sk__win_dgram_optfail(WSAGetLastError(), sys);
    if (len == 1) /* some answer in a byte */
        v = (DWORD)((const unsigned char *)&v)[0];
    if (option == SK_OPT_MULTICAST_IF && family == SK__AF_INET) {
        /* 0.0.0.idx reads back as the index; an address (an interface
         * chosen by address elsewhere) has no index to show. */
        u_long h = ntohl((u_long)v);
        if (h > 0xffffff)
            return SK__EREMEMBERED;
        *value = (int)h;
        return 0;
    }
    if (option == SK_OPT_BROADCAST || option == SK_OPT_MULTICAST_LOOP)
        *value = v != 0;
    else
        *value = v > (DWORD)0x7fffffff ? 0x7fffffff : (int)v;
    return 0;
}

#endif /* SK_OS_WIN32 */
