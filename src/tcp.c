/* SPDX-License-Identifier: MIT */
/*
 * tcp.c - the TCP objects' life: constructors, close and free, and the
 * role changes bind, listen, connect and accept.  Each public call checks
 * its arguments and role, then drives the backend through plat.h.
 */
#include "sockit_int.h"

#include <stdlib.h>
#include <string.h>

int sk__check_host(const char *host)
{
    size_t i;
    if (host == NULL || host[0] == '\0')
        return SK_EINVAL;
    for (i = 0; host[i] != '\0'; i++)
        if (i >= SK__HOST_MAX)
            return SK_EINVAL;
    return 0;
}

int sk__make_socket(sk_sock *s, int family, sk_fd_t *fd)
{
    int r = sk__plat_socket_ex(family, s->type, sk__os_blocking(s, family),
                               fd, &s->sys);
    if (r != 0)
        return r;
    if (family == SK__AF_INET6) {
        /* The OS defaults differ (on for Windows, a sysctl on Linux): say
         * it every time.  sk_tcp6 is IPv6-only; dual-stack is not. */
        int sys = 0;
        r = sk__plat_setopt(*fd, SK_OPT_IPV6_V6ONLY, s->dual ? 0 : 1, &sys);
        if (r == SK_EUNSUPPORTED && s->dual) {
            /* OpenBSD has no IPv4-mapped addresses: its ip6_ctloutput
             * (sys/netinet6/ip6_output.c, IPV6_V6ONLY) answers EINVAL to
             * turning v6only off, and getsockopt always reads 1.  Keep the
             * IPv6-only socket rather than fail: the rule documented at
             * sk_tcp and sk_udp in sockit.h. */
            s->dual = (unsigned char)(s->dual | SK__DUAL_V6ONLY);
            r = 0;
        } else if (r != 0) {
            s->sys = sys;
        }
    }
    if (r == 0)
        r = sk__opt_apply_all(s, *fd, family);
    if (r != 0) {
        sk__plat_close(*fd);
        *fd = SK_FD_INVALID;
    }
    return r;
}

/* Replace s's socket by a fresh one of the constructor's family (or none,
 * for a dual-stack master): a master is reusable after a failed connect. */
static int reset_socket(sk_sock *s)
{
    sk_fd_t fd = SK_FD_INVALID;
    int r = 0;
    sk__notify(s, SK__NOTE_SETFD, SK_FD_INVALID); /* before it goes */
    if (s->fd != SK_FD_INVALID)
        sk__plat_close(s->fd);
    s->fd = SK_FD_INVALID;
    sk__peer_forget(s);
    if (!s->dual) {
        r = sk__make_socket(s, s->family, &fd);
        if (fd != SK_FD_INVALID)
            sk__notify(s, SK__NOTE_SETFD, fd); /* a watch follows it */
        s->fd = fd;
    } else {
        s->family = SK__AF_UNSPEC; /* no socket, no family yet */
    }
    return r;
}

/* Allocate an object (and start the socket layer for it); with_socket
 * also makes its socket. */
static int object_new(sk_sock **out, int family, int type, int dual,
                      int with_socket)
{
    sk_sock *s;
    int r;
    if (out == NULL)
        return SK_EINVAL;
    *out = NULL;
    /* malloc and memset, not calloc: glibc's calloc bypasses its
     * per-thread cache, and objects come and go with connections. */
    s = (sk_sock *)sk__malloc(sizeof *s);
    if (s == NULL)
        return SK_ENORESOURCES;
    memset(s, 0, sizeof *s);
    s->fd = SK_FD_INVALID;
    s->role = type == SK__DGRAM ? SK_ROLE_UNCONNECTED : SK_ROLE_MASTER;
    s->family = (unsigned char)family;
    s->type = (unsigned char)type;
    s->dual = (unsigned char)dual;
    s->block_ms = s->total_ms = -1;
    s->linemax = SK__LINE_LIMIT;
    s->birth_us = sk__plat_now_us();
    r = sk__plat_startup(&s->sys);
    if (r != 0) {
        sk__free(s);
        return r;
    }
    s->life |= SK__LIFE_STARTED;
    if (with_socket) {
        r = sk__make_socket(s, family, &s->fd);
        if (r != 0) {
            sk_free(s);
            return r;
        }
    }
    *out = s;
    return 0;
}

int sk__new(sk_sock **out, int family, int type, int dual)
{
    return object_new(out, family, type, dual, !dual);
}

SK_API int sk_tcp4(sk_sock **out)
{
    return sk__new(out, SK__AF_INET, SK__STREAM, 0);
}

SK_API int sk_tcp6(sk_sock **out)
{
    return sk__new(out, SK__AF_INET6, SK__STREAM, 0);
}

SK_API int sk_tcp(sk_sock **out)
{
    return sk__new(out, SK__AF_UNSPEC, SK__STREAM, 1);
}

SK_API int sk_close(sk_sock *s)
{
    if (s == NULL)
        return SK_EINVAL;
    sk__notify(s, SK__NOTE_CLOSING, SK_FD_INVALID); /* socket still open */
    if (s->extra != NULL) {
        sk__tls_drop(s); /* close_notify while the socket is open */
        if (s->extra->conntls != NULL)
            sk__tls_ctx_release(s->extra->conntls);
        sk__free(s->extra->conntlshost);
        sk__free(s->extra->udp);
    }
    if (s->fd != SK_FD_INVALID)
        sk__plat_close(s->fd);
    s->fd = SK_FD_INVALID;
    sk__peer_forget(s);
    sk__unix_close(s); /* the path it bound, now that nothing listens */
    sk__free(s->extra);    /* options and path: nothing asks for them now */
    s->extra = NULL;
    if (s->role != SK_ROLE_CLOSED) { /* keep the role for sk_lastrole */
        unsigned keep = s->life & ~SK__LIFE_ROLE_MASK;
        s->life = (unsigned char)(keep | ((unsigned)s->role
                                          << SK__LIFE_ROLE_SHIFT));
    }
    s->role = SK_ROLE_CLOSED;
    s->connecting = 0;
    sk__rbuf_free(s);
    return 0;
}

SK_API void sk_free(sk_sock *s)
{
    if (s == NULL)
        return;
    sk_close(s);
    if (s->life & SK__LIFE_STARTED)
        sk__plat_cleanup();
    sk__free(s);
}

SK_API int sk_role(const sk_sock *s)
{
    return s == NULL ? SK_EINVAL : s->role;
}

SK_API int sk_lastrole(const sk_sock *s)
{
    if (s == NULL)
        return SK_EINVAL;
    return s->role == SK_ROLE_CLOSED
               ? (int)((s->life & SK__LIFE_ROLE_MASK) >> SK__LIFE_ROLE_SHIFT)
               : s->role;
}

SK_API int sk_setuserdata(sk_sock *s, void *data)
{
    if (s == NULL)
        return SK_EINVAL;
    s->data = data;
    return 0;
}

SK_API void *sk_getuserdata(const sk_sock *s)
{
    return s == NULL ? NULL : s->data;
}

SK_API int sk_syserror(const sk_sock *s)
{
    return s == NULL ? 0 : SK__SYS_LOAD(&s->sys);
}

int sk__want_family(const sk_sock *s)
{
    return s->dual ? SK__AF_UNSPEC : s->family;
}

SK_API int sk_bind(sk_sock *s, const char *host, int port)
{
    sk__addr *list = NULL;
    size_t count = 0, i;
    char *keep = NULL;
    int any, family, r = sk__check(s);
    if (r != 0)
        return r;
    /* A stream master, or a datagram object without a fixed peer. */
    if (s->role != SK_ROLE_MASTER && s->role != SK_ROLE_UNCONNECTED)
        return SK_EWRONGROLE;
    if ((r = sk__check_host(host)) != 0 || port < 0 || port > 65535)
        return r ? r : SK_EINVAL;
    if (s->bound)
        return SK_EWRONGROLE;
    any = strcmp(host, "*") == 0;
    /* A socket that exists fixes the family; a dual-stack master without
     * one takes IPv6 for "*" (v6only off), else what the name gives. */
    family = s->fd != SK_FD_INVALID ? s->family : sk__want_family(s);
    if (any && family == SK__AF_UNSPEC)
        family = sk__plat_has_ipv6() ? SK__AF_INET6 : SK__AF_INET;
    r = sk__addrs_for(s, any ? NULL : host, port, family, 1, &list, &count);
    if (r == 0)
        r = sk__unix_bind_begin(s, host, &keep);
    if (r != 0) {
        sk__free(list);
        return r;
    }
    r = SK_EHOSTNOTFOUND;
    for (i = 0; i < count && !s->bound; i++) {
        sk_fd_t fd = s->fd;
        if (fd == SK_FD_INVALID) {
            r = sk__make_socket(s, list[i].family, &fd);
            if (r != 0)
                continue;
        }
        r = sk__plat_bind(fd, &list[i], &s->sys);
        if (r == 0) {
            s->fd = fd;
            s->family = (unsigned char)list[i].family;
            s->bound = 1;
        } else if (fd != s->fd) {
            sk__plat_close(fd); /* made for this address only */
        }
    }
    sk__free(list);
    sk__unix_bind_end(s, keep, r);
    return r;
}

SK_API int sk_listen(sk_sock *s, int backlog)
{
    int r = sk__check_role(s, SK_ROLE_MASTER);
    if (r != 0)
        return r;
    if (!s->bound) {
        r = sk_bind(s, "*", 0);
        if (r != 0)
            return r;
    }
    r = sk__plat_listen(s->fd, backlog < 0 ? 0 : backlog, &s->sys);
    if (r == 0)
        s->role = SK_ROLE_SERVER;
    return r;
}

/* One connect attempt on fd within the call's deadline; in non-blocking
 * mode SK_EINPROGRESS as soon as it is under way. */
static int try_connect(sk_sock *s, sk_fd_t fd, const sk__addr *a,
                       const sk__tm *tm)
{
    int r = sk__plat_connect_start(fd, a, &s->sys);
    if (sk__nonblock(s) && (r == SK_EINPROGRESS || r == SK_EWOULDBLOCK))
        return SK_EINPROGRESS;
    while (r == SK_EINPROGRESS || r == SK_EWOULDBLOCK)
        r = sk__plat_wait_connect(fd, sk__tm_left(tm), &s->sys);
    return r;
}

SK_API int sk_connect(sk_sock *s, const char *host, int port)
{
    sk__addr *list = NULL;
    size_t count = 0, i;
    sk__tm tm;
    int r = sk__check_role(s, SK_ROLE_MASTER);
    if (r != 0)
        return r;
    /* UNIX-domain paths take port 0 (sk__addrs_for checks it). */
    /* "*" names no one to connect to (glibc's resolver would take it for
     * the loopback address, Windows' for a name). */
    if ((r = sk__check_host(host)) != 0 || strcmp(host, "*") == 0 ||
        port < (s->family == SK__AF_UNIX ? 0 : 1) || port > 65535)
        return r ? r : SK_EINVAL;
    /* One deadline for every address: the sooner of block and total. */
    sk__tm_start(&tm, s);
    if (tm.block_ms >= 0 && (tm.total_ms < 0 || tm.block_ms < tm.total_ms)) {
        tm.total_ms = tm.block_ms;
        tm.start_us = sk__plat_now_us();
    }
    tm.block_ms = -1;
    r = sk__addrs_for(s, host, port,
                      s->bound ? s->family : sk__want_family(s), 0, &list,
                      &count);
    if (r != 0)
        return r;
    r = SK_EHOSTNOTFOUND;
    for (i = 0; i < count; i++) {
        sk_fd_t fd = s->fd;
        if (fd == SK_FD_INVALID || s->family != list[i].family) {
            if (s->bound)
                continue; /* a bound socket keeps its family */
            r = sk__make_socket(s, list[i].family, &fd);
            if (r != 0)
                continue;
            sk__notify(s, SK__NOTE_SETFD, fd); /* a watch follows it */
            if (s->fd != SK_FD_INVALID)
                sk__plat_close(s->fd);
            s->fd = fd;
            s->family = (unsigned char)list[i].family;
        }
        r = try_connect(s, fd, &list[i], &tm);
        if (r == 0 || r == SK_ETIMEOUT || r == SK_EINPROGRESS) {
            /* On timeout the connection may still complete (LuaSocket
             * makes the object a client here too); in non-blocking mode
             * it is left pending on purpose. */
            s->role = SK_ROLE_CLIENT;
            s->connecting = (r != 0);
            sk__peer_forget(s); /* a new peer */
            break;
        }
        /* A failed socket is not reused: its state is unspecified. */
        sk__notify(s, SK__NOTE_SETFD, SK_FD_INVALID);
        sk__plat_close(fd);
        s->fd = SK_FD_INVALID;
        if (s->bound)
            break; /* its local address went with it */
        if (i + 1 < count && sk__tm_expired(&tm)) {
            r = SK_ETIMEOUT; /* addresses left, but no time */
            break;
        }
    }
    sk__free(list);
    if (r != 0 && s->role == SK_ROLE_MASTER && s->fd == SK_FD_INVALID) {
        /* Leave a usable master: unbound, with a fresh socket unless it
         * is dual-stack.  Keep the raw code of the real failure. */
        int keep = s->sys;
        s->bound = 0;
        (void)reset_socket(s);
        s->sys = keep;
    }
    return r;
}

/* c takes fd, accepted from listener s, and s's timeouts, mode, line
 * limit and TLS (sk_accept's clients; sk__accept_adopt's, each with its
 * own copy: nonblocking folded in).  0, or an error: c freed, fd with it. */
SK__ALWAYS_INLINE int tcp_accept_adopt(sk_sock *s, sk_sock *c, sk_fd_t fd,
                                       int nonblocking)
{
    int r;
    c->fd = fd;
    c->role = SK_ROLE_CLIENT;
    c->bound = 1;
    c->block_ms = s->block_ms;
    c->total_ms = s->total_ms;
    sk__set_nonblock(c, sk__nonblock(s));
    c->linemax = s->linemax;
    /* (a descriptor accepted without waiting, for a listener whose
     * clients the OS blocks on: made so, as sk_accept would have) */
    if (nonblocking && sk__os_blocking(c, c->family) &&
        (r = sk__plat_set_blocking(fd, 1, 1, &c->sys)) != 0) {
        sk_free(c);
        return r;
    }
    if (s->extra != NULL && s->extra->tlslisten != NULL) {
        r = sk__tls_accepted(s, c); /* a TLS listener's client */
        if (r != 0) {
            sk_free(c);
            return r;
        }
    }
    return 0;
}

SK_API int sk_accept(sk_sock *s, sk_sock **client, sk_name *peer)
{
    sk__tm tm;
    sk__addr a;
    sk_fd_t fd;
    sk_sock *c = NULL;
    int r;
    if (client != NULL)
        *client = NULL;
    r = sk__check_role(s, SK_ROLE_SERVER); /* the object first */
    if (r != 0)
        return r;
    if (client == NULL)
        return SK_EINVAL;
    /* The object first: a connection taken from the system is never
     * dropped for want of memory (it stays queued for the next try). */
    r = object_new(&c, s->family, s->type, 0, 0); /* the listener's */
    if (r != 0)
        return r;
    sk__tm_start(&tm, s);
    for (;;) {
        /* The client inherits s's timeouts and mode, so the same kind of
         * socket (and s's own waits here only without limit). */
        r = sk__plat_accept_ex(s->fd, sk__os_blocking(s, s->family), &fd, &a,
                               &s->sys);
        if (r == 0)
            break;
        if (r == SK_EWOULDBLOCK)
            r = sk__wait(s, SK__WAIT_READ, &tm);
        if (r != 0) {
            sk_free(c);
            return r;
        }
    }
    r = tcp_accept_adopt(s, c, fd, 0);
    if (r != 0)
        return r;
    if (peer != NULL && sk__plat_addrname(&a, peer) != 0)
        memset(peer, 0, sizeof *peer);
    *client = c;
    return 0;
}

int sk__accept_object(const sk_sock *s, sk_sock **out)
{
    return object_new(out, s->family, s->type, 0, 0); /* the listener's */
}

int sk__accept_adopt(sk_sock *s, sk_sock *c, sk_fd_t fd, int nonblocking)
{
    return tcp_accept_adopt(s, c, fd, nonblocking);
}
