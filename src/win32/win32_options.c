/* SPDX-License-Identifier: MIT */
/*
 * options.c - sk__plat_setopt / sk__plat_getopt on Windows: each enum
 * sk_option mapped to its Winsock level and name, values converted to and
 * from sockit's conventions (booleans 0/1, linger -1 = off, seconds).
 */
#include "../plat.h"

#if SK_OS_WIN32

#include "win32_int.h"

/* The keepalive tunables arrived in Windows 10 1709 (TCP_KEEPIDLE is the
 * older TCP_KEEPALIVE number); MinGW's headers lack them.  On older systems
 * the call fails with WSAENOPROTOOPT, reported as SK_EUNSUPPORTED. */
#ifndef TCP_KEEPIDLE
#  define TCP_KEEPIDLE 3
#endif
#ifndef TCP_KEEPCNT
#  define TCP_KEEPCNT 16
#endif
#ifndef TCP_KEEPINTVL
#  define TCP_KEEPINTVL 17
#endif
/* Windows 10 1607: a boolean on listening (and ConnectEx) sockets. */
#ifndef TCP_FASTOPEN
#  define TCP_FASTOPEN 15
#endif

enum { SK__W_BOOL, SK__W_INT, SK__W_LINGER };

/* IPV6_V6ONLY belongs to IPv6 sockets.  What Winsock says for it on an
 * IPv4 socket varies (Wine even accepts it and does nothing), so the
 * family is checked here: 0 when s is IPv6, else the SK_E* code. */
static int sk__win_need_ipv6(sk_fd_t fd, int *sys) {
    int family = 0, rc = sk__plat_family(fd, &family, sys);
    if (rc != 0)
        return rc;
    return family == SK__AF_INET6 ? 0 : SK_EUNSUPPORTED;
}

/* Level, name and value kind of an option, or 0 when Windows has no such
 * option at all. */
static int sk__win_optmap(int option, int *level, int *name, int *kind) {
    *kind = SK__W_INT;
    switch (option) {
    case SK_OPT_KEEPALIVE:
        *level = SOL_SOCKET; *name = SO_KEEPALIVE; *kind = SK__W_BOOL;
        return 1;
    case SK_OPT_LINGER:
        *level = SOL_SOCKET; *name = SO_LINGER; *kind = SK__W_LINGER;
        return 1;
    case SK_OPT_TCP_NODELAY:
        *level = IPPROTO_TCP; *name = TCP_NODELAY; *kind = SK__W_BOOL;
        return 1;
    case SK_OPT_TCP_KEEPIDLE:
        *level = IPPROTO_TCP; *name = TCP_KEEPIDLE;
        return 1;
    case SK_OPT_TCP_KEEPCNT:
        *level = IPPROTO_TCP; *name = TCP_KEEPCNT;
        return 1;
    case SK_OPT_TCP_KEEPINTVL:
        *level = IPPROTO_TCP; *name = TCP_KEEPINTVL;
        return 1;
    case SK_OPT_TCP_FASTOPEN:
        *level = IPPROTO_TCP; *name = TCP_FASTOPEN; *kind = SK__W_BOOL;
        return 1;
    case SK_OPT_IPV6_V6ONLY:
        *level = IPPROTO_IPV6; *name = IPV6_V6ONLY; *kind = SK__W_BOOL;
        return 1;
    case SK_OPT_SNDBUF:
        *level = SOL_SOCKET; *name = SO_SNDBUF;
        return 1;
    case SK_OPT_RCVBUF:
        *level = SOL_SOCKET; *name = SO_RCVBUF;
        return 1;
    default:
        return 0;
    }
}

/* An option the OS refuses by name or value is one this Windows (or this
 * socket's family: IPV6_V6ONLY on an IPv4 socket) does not have.  Only
 * for options whose values sockit validated already, so WSAEINVAL cannot
 * be the caller's fault. */
static int sk__win_optfail(int option, int err, int *sys) {
    if (err == WSAENOPROTOOPT ||
        (err == WSAEINVAL &&
         (option == SK_OPT_TCP_KEEPIDLE || option == SK_OPT_TCP_KEEPCNT ||
          option == SK_OPT_TCP_KEEPINTVL || option == SK_OPT_TCP_FASTOPEN ||
          option == SK_OPT_IPV6_V6ONLY))) {
        if (sys != NULL)
            *sys = err;
        return SK_EUNSUPPORTED;
    }
    return sk__win_fail(err, sys);
}

/* Options answered without the OS: SK__EREMEMBERED for reuseaddr (Winsock's
 * SO_REUSEADDR lets another socket steal a live port; what POSIX reuseaddr
 * gives, rebinding over TIME_WAIT, Windows allows anyway, so nothing is set
 * and the shared code answers from what it remembers), SK_EUNSUPPORTED for
 * options with no Windows equivalent (client-side TCP_FASTOPEN works only
 * through ConnectEx, which sockit does not use; no TCP_CORK / TCP_NOPUSH),
 * else 0. */
static int no_os_call(int option) {
    switch (option) {
    case SK_OPT_REUSEADDR:
        return SK__EREMEMBERED;
    case SK_OPT_REUSEPORT:
    case SK_OPT_TCP_DEFER_ACCEPT:
    case SK_OPT_TCP_FASTOPEN_CONNECT:
    case SK_OPT_TCP_CORK:
        return SK_EUNSUPPORTED;
    default:
        return 0;
    }
}

int sk__plat_setopt(sk_fd_t fd, int option, int value, int *sys) {
    int level, name, kind, rc;
    SOCKET s = SK__SOCK(fd);

    if (sk__win_dgram_option(option))
        return sk__win_dgram_setopt(fd, option, value, sys);
    rc = no_os_call(option);
    if (rc == SK__EREMEMBERED)
        return value == 0 || value == 1 ? 0 : sk__win_fail(WSAEINVAL, sys);
    if (rc != 0)
        return rc;
    if (!sk__win_optmap(option, &level, &name, &kind))
        return sk__win_fail(WSAEINVAL, sys);
    if (option == SK_OPT_IPV6_V6ONLY) {
        rc = sk__win_need_ipv6(fd, sys);
        if (rc != 0)
            return rc;
    }

    if (kind == SK__W_LINGER) {
        struct linger lg;
        /* l_linger is a u_short: more seconds cannot be expressed. */
        if (value < -1 || value > 65535)
            return sk__win_fail(WSAEINVAL, sys);
        lg.l_onoff = (u_short)(value >= 0);
        lg.l_linger = (u_short)(value >= 0 ? value : 0);
        rc = setsockopt(s, level, name, (const char *)&lg, (int)sizeof lg);
    } else {
        /* Winsock's BOOL options take a DWORD-sized int, like the counts. */
        DWORD v;
        if (value < 0)
            return sk__win_fail(WSAEINVAL, sys);
        v = (DWORD)(kind == SK__W_BOOL ? value != 0 : value);
        rc = setsockopt(s, level, name, (const char *)&v, (int)sizeof v);
    }
    if (rc == SOCKET_ERROR)
        return sk__win_optfail(option, WSAGetLastError(), sys);
    return 0;
}

int sk__plat_sockerror(sk_fd_t fd, int *code, int *sys) {
    int err = 0, len = (int)sizeof err;
    *code = 0;
    if (getsockopt(SK__SOCK(fd), SOL_SOCKET, SO_ERROR, (char *)&err, &len) ==
        SOCKET_ERROR)
        return sk__win_fail(WSAGetLastError(), sys);
    if (sys != NULL)
        *sys = err;
    if (err != 0)
        *code = sk__win_code(err);
    return 0;
}

int sk__plat_getopt(sk_fd_t fd, int option, int *value, int *sys) {
    int level, name, kind, len, rc;
    SOCKET s = SK__SOCK(fd);

    if (sk__win_dgram_option(option))
        return sk__win_dgram_getopt(fd, option, value, sys);
    rc = no_os_call(option);
    if (rc != 0)
        return rc;
    if (!sk__win_optmap(option, &level, &name, &kind))
        return sk__win_fail(WSAEINVAL, sys);
    if (option == SK_OPT_IPV6_V6ONLY) {
        rc = sk__win_need_ipv6(fd, sys);
        if (rc != 0)
            return rc;
    }

    if (kind == SK__W_LINGER) {
        struct linger lg;
        lg.l_onoff = 0;
        lg.l_linger = 0;
        len = (int)sizeof lg;
        if (getsockopt(s, level, name, (char *)&lg, &len) == SOCKET_ERROR)
            return sk__win_optfail(option, WSAGetLastError(), sys);
        *value = lg.l_onoff ? (int)lg.l_linger : -1;
        return 0;
    } else {
        /* Zeroed first: for some BOOL options (TCP_NODELAY among them)
         * Windows writes a single byte and sets len to 1. */
        DWORD v = 0;
        len = (int)sizeof v;
        if (getsockopt(s, level, name, (char *)&v, &len) == SOCKET_ERROR)
            return sk__win_optfail(option, WSAGetLastError(), sys);
        if (len == 1)
            v = (DWORD)((const unsigned char *)&v)[0];
        if (kind == SK__W_BOOL) {
            /* The OS keeps only "on" for fastopen; the queue length that
             * was asked for is what the shared code remembers. */
            if (option == SK_OPT_TCP_FASTOPEN && v != 0)
                return SK__EREMEMBERED;
            *value = v != 0;
        } else {
            *value = v > (DWORD)0x7fffffff ? 0x7fffffff : (int)v;
        }
        return 0;
    }
}

#endif /* SK_OS_WIN32 */
