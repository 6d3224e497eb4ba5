/* SPDX-License-Identifier: MIT */
/*
 * options.c (POSIX) - enum sk_option to setsockopt level and name, in
 * sockit's value conventions.  An option this OS lacks is SK_EUNSUPPORTED.
 */
#include "posix_int.h"

#if SK_OS_POSIX
#include <string.h>

#if defined(TCP_KEEPIDLE)
#  define SK_TCP_KEEPIDLE TCP_KEEPIDLE
#elif defined(TCP_KEEPALIVE) /* macOS spells it this way */
#  define SK_TCP_KEEPIDLE TCP_KEEPALIVE
#endif

/* Holding back partial segments: Linux's TCP_CORK, the BSDs' (and
 * macOS's) TCP_NOPUSH.  Turning it off pushes what was held on Linux
 * (tcp_push_pending_frames in net/ipv4/tcp.c), FreeBSD and OpenBSD
 * (tcp_ctloutput calls tcp_output when TF_NOPUSH is cleared on an
 * established connection: sys/netinet/tcp_usrreq.c).  xnu's tcp_ctloutput
 * (bsd/netinet/tcp_usrreq.c) only clears TF_NOPUSH, and no other option
 * runs tcp_output there either, so on macOS the held bytes wait for the
 * next send, an incoming segment or the FIN: sockit.h says so at
 * SK_OPT_TCP_CORK, rather than sockit sending anything of its own. */
#if defined(TCP_CORK)
#  define SK_TCP_CORK TCP_CORK
#elif defined(TCP_NOPUSH)
#  define SK_TCP_CORK TCP_NOPUSH
#endif

/* Linger in seconds.  xnu (macOS, iOS) counts SO_LINGER in clock ticks
 * (bsd/kern/uipc_socket.c, sosetoptlock: so_linger = l_linger for SO_LINGER,
 * l_linger * hz for SO_LINGER_SEC), so a linger of 5 would last 50 ms at
 * hz 100; SO_LINGER_SEC takes and reads back seconds.  Elsewhere SO_LINGER
 * is in seconds already (POSIX). */
#if defined(SO_LINGER_SEC)
#  define SK_SO_LINGER SO_LINGER_SEC
#else
#  define SK_SO_LINGER SO_LINGER
#endif

/* level and name for an option, or 0 when this OS lacks it. */
static int lookup(int option, int *level, int *name)
{
    *level = SOL_SOCKET;
    switch (option) {
    case SK_OPT_KEEPALIVE:
        *name = SO_KEEPALIVE;
        return 1;
    case SK_OPT_LINGER:
        *name = SK_SO_LINGER;
        return 1;
    case SK_OPT_REUSEADDR:
        *name = SO_REUSEADDR;
        return 1;
#if defined(SO_REUSEPORT)
    case SK_OPT_REUSEPORT:
        *name = SO_REUSEPORT;
        return 1;
#endif
    case SK_OPT_SNDBUF:
        *name = SO_SNDBUF;
        return 1;
    case SK_OPT_RCVBUF:
        *name = SO_RCVBUF;
        return 1;
    case SK_OPT_IPV6_V6ONLY:
        *level = IPPROTO_IPV6;
        *name = IPV6_V6ONLY;
        return 1;
    default:
        break;
    }
    *level = IPPROTO_TCP;
    switch (option) {
    case SK_OPT_TCP_NODELAY:
        *name = TCP_NODELAY;
        return 1;
#if defined(SK_TCP_KEEPIDLE)
    case SK_OPT_TCP_KEEPIDLE:
        *name = SK_TCP_KEEPIDLE;
        return 1;
#endif
#if defined(TCP_KEEPCNT)
    case SK_OPT_TCP_KEEPCNT:
        *name = TCP_KEEPCNT;
        return 1;
#endif
#if defined(TCP_KEEPINTVL)
    case SK_OPT_TCP_KEEPINTVL:
        *name = TCP_KEEPINTVL;
        return 1;
#endif
#if defined(TCP_DEFER_ACCEPT)
    case SK_OPT_TCP_DEFER_ACCEPT:
        *name = TCP_DEFER_ACCEPT;
        return 1;
#endif
#if defined(TCP_FASTOPEN)
    case SK_OPT_TCP_FASTOPEN:
        *name = TCP_FASTOPEN;
        return 1;
#endif
#if defined(TCP_FASTOPEN_CONNECT)
    case SK_OPT_TCP_FASTOPEN_CONNECT:
        *name = TCP_FASTOPEN_CONNECT;
        return 1;
#endif
#if defined(SK_TCP_CORK)
    case SK_OPT_TCP_CORK:
        *name = SK_TCP_CORK;
        return 1;
#endif
    default:
        return 0;
    }
}

int sk__plat_sockerror(sk_fd_t fd, int *code, int *sys)
{
    int err = 0;
    socklen_t len = sizeof err;
    *code = 0;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
        return sk__posix_fail(sys);
    if (sys != NULL)
        *sys = err;
    if (err != 0)
        *code = sk__posix_err(err);
    return 0;
}

/* An option that does not apply to this socket (IPv6 on IPv4...) is
 * "unsupported" for it, not an invalid argument. */
static int opt_fail(int *sys)
{
    int e = errno;
    if (sys != NULL)
        *sys = e;
    if (e == ENOPROTOOPT || e == EOPNOTSUPP || e == EINVAL)
        return SK_EUNSUPPORTED;
    return sk__posix_err(e);
}

int sk__plat_setopt(sk_fd_t fd, int option, int value, int *sys)
{
    int level, name, r;
    if (sk__posix_dgram_option(option))
        return sk__posix_dgram_setopt(fd, option, value, sys);
    if (!lookup(option, &level, &name))
        return SK_EUNSUPPORTED;
    if (option == SK_OPT_LINGER) {
        struct linger l;
        l.l_onoff = value >= 0;
        l.l_linger = value >= 0 ? value : 0;
        r = setsockopt(fd, level, name, &l, sizeof l);
    } else {
        r = setsockopt(fd, level, name, &value, sizeof value);
    }
    return r == 0 ? 0 : opt_fail(sys);
}

int sk__plat_getopt(sk_fd_t fd, int option, int *value, int *sys)
{
    int level, name, v = 0;
    socklen_t len;
    if (sk__posix_dgram_option(option))
        return sk__posix_dgram_getopt(fd, option, value, sys);
    if (!lookup(option, &level, &name))
        return SK_EUNSUPPORTED;
    if (option == SK_OPT_LINGER) {
        struct linger l;
        memset(&l, 0, sizeof l);
        len = sizeof l;
        if (getsockopt(fd, level, name, &l, &len) != 0)
            return opt_fail(sys);
        *value = l.l_onoff ? l.l_linger : -1;
        return 0;
    }
    len = sizeof v;
    if (getsockopt(fd, level, name, &v, &len) != 0)
        return opt_fail(sys);
    switch (option) {
    case SK_OPT_KEEPALIVE:
    case SK_OPT_REUSEADDR:
    case SK_OPT_REUSEPORT:
    case SK_OPT_TCP_NODELAY:
    case SK_OPT_TCP_FASTOPEN_CONNECT:
    case SK_OPT_TCP_CORK:
    case SK_OPT_IPV6_V6ONLY:
        v = v != 0; /* booleans come back as 0/1 whatever the OS says */
        break;
    default:
        break;
    }
    *value = v;
    return 0;
}
#endif
