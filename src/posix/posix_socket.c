/* SPDX-License-Identifier: MIT */
/*
 * socket.c (POSIX) - socket life and connection set-up: create with
 * close-on-exec, non-blocking and no-SIGPIPE set; bind, listen, connect,
 * accept, shutdown, close, and the names of both ends.
 */
#include "posix_int.h"

#if SK_OS_POSIX
#include <string.h>

int sk__plat_startup(int *sys)
{
    (void)sys; /* nothing to start on POSIX */
    return 0;
}

void sk__plat_cleanup(void)
{
}

static int native_family(int family)
{
    return family == SK__AF_INET6 ? AF_INET6
         : family == SK__AF_UNIX  ? AF_UNIX
                                  : AF_INET;
}

int sk__posix_family(int af)
{
    return af == AF_INET6 ? SK__AF_INET6
         : af == AF_INET  ? SK__AF_INET
         : af == AF_UNIX  ? SK__AF_UNIX
                          : SK__AF_UNSPEC;
}

int sk__posix_prepare(int fd, int flags_done, int blocking, int *sys)
{
    int fl;
#if defined(SO_NOSIGPIPE)
    int one = 1;
    if (setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof one) != 0)
        return sk__posix_fail(sys);
#endif
    if (flags_done)
        return 0; /* SOCK_CLOEXEC / SOCK_NONBLOCK said it already */
    fl = fcntl(fd, F_GETFD);
    if (fl < 0 || fcntl(fd, F_SETFD, fl | FD_CLOEXEC) != 0)
        return sk__posix_fail(sys);
    return sk__plat_set_blocking(fd, blocking, 0, sys);
}

int sk__plat_set_blocking(sk_fd_t fd, int blocking, int mine, int *sys)
{
    /* A socket sockit made has no status flag but O_NONBLOCK (and the
     * access mode, which F_SETFL ignores). */
    int fl = mine ? (blocking ? O_NONBLOCK : 0) : fcntl(fd, F_GETFL), want;
    if (fl < 0)
        return sk__posix_fail(sys);
    want = blocking ? fl & ~O_NONBLOCK : fl | O_NONBLOCK;
    if (want != fl && fcntl(fd, F_SETFL, want) != 0)
        return sk__posix_fail(sys);
    return 0;
}

int sk__plat_socket_ex(int family, int type, int blocking, sk_fd_t *fd,
                       int *sys)
{
    int s, r, st, proto;
    *fd = SK_FD_INVALID;
    if (family != SK__AF_INET && family != SK__AF_INET6 &&
        family != SK__AF_UNIX)
        return SK_EFAMILY;
    if (type == SK__STREAM) {
        st = SOCK_STREAM;
        proto = IPPROTO_TCP;
    } else if (type == SK__DGRAM) {
        st = SOCK_DGRAM;
        proto = IPPROTO_UDP;
    } else {
        return SK_EUNSUPPORTED;
    }
    if (family == SK__AF_UNIX)
        proto = 0; /* the family's only protocol */
#if defined(SK_HAVE_SOCK_FLAGS)
    s = socket(native_family(family),
               st | SOCK_CLOEXEC | (blocking ? 0 : SOCK_NONBLOCK), proto);
    if (s < 0)
        return sk__posix_fail(sys);
#  if defined(SO_NOSIGPIPE)
    r = sk__posix_prepare(s, 1, blocking, sys);
#  else
    r = 0; /* the flags did everything */
#  endif
#else
    s = socket(native_family(family), st, proto);
    if (s < 0)
        return sk__posix_fail(sys);
    r = sk__posix_prepare(s, 0, blocking, sys);
#endif
    if (r != 0) {
        close(s);
        return r;
    }
    *fd = s;
    return 0;
}

int sk__plat_socket(int family, int type, sk_fd_t *fd, int *sys)
{
    return sk__plat_socket_ex(family, type, 0, fd, sys);
}

void sk__plat_close(sk_fd_t fd)
{
    if (fd >= 0)
        (void)close(fd); /* not retried on EINTR: the fd is gone anyway */
}

int sk__plat_bind(sk_fd_t fd, const sk__addr *a, int *sys)
{
    if (bind(fd, (const struct sockaddr *)a->sa.bytes,
             (socklen_t)a->len) != 0)
        return sk__posix_fail(sys);
    return 0;
}

int sk__plat_listen(sk_fd_t fd, int backlog, int *sys)
{
    if (listen(fd, backlog) != 0)
        return sk__posix_fail(sys);
    return 0;
}

int sk__plat_connect_start(sk_fd_t fd, const sk__addr *a, int *sys)
{
    int r = connect(fd, (const struct sockaddr *)a->sa.bytes,
                    (socklen_t)a->len);
    if (r == 0)
        return 0;
    if (errno == EINPROGRESS || errno == EINTR)
        return SK_EINPROGRESS; /* an interrupted connect goes on */
    if (errno == EAGAIN && a->family == SK__AF_UNIX) {
        /* Linux: the server's backlog is full.  Nothing is in progress
         * and nothing will say when to retry: refuse, as BSD and Windows
         * do in the same case. */
        if (sys != NULL)
            *sys = errno;
        return SK_ECONNREFUSED;
    }
    return sk__posix_fail(sys);
}

int sk__plat_wait_connect(sk_fd_t fd, int64_t ms, int *sys)
{
    int err = 0, r, revents = 0;
    socklen_t len = sizeof err;
    r = sk__posix_wait(fd, SK__WAIT_WRITE, ms, &revents, sys);
    if (r != 0)
        return r;
#if defined(SK_POLL_SHOWS_CONNECT_ERRORS)
    if (!(revents & SK__WAIT_ERROR))
        return 0; /* writable, no error: connected */
#endif
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
        return sk__posix_fail(sys);
    if (err != 0) {
        if (sys != NULL)
            *sys = err;
        return sk__posix_err(err);
    }
    return 0;
}

int sk__plat_accept_ex(sk_fd_t fd, int blocking, sk_fd_t *out, sk__addr *peer,
                       int *sys)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    int c, r;
    *out = SK_FD_INVALID;
#if defined(SK_HAVE_ACCEPT4) && defined(SK_HAVE_SOCK_FLAGS)
    c = accept4(fd, (struct sockaddr *)&ss, &len,
                SOCK_CLOEXEC | (blocking ? 0 : SOCK_NONBLOCK));
#else
    c = accept(fd, (struct sockaddr *)&ss, &len);
#endif
    if (c < 0) {
        int e = errno;
        /* Nothing pending, a signal, or a client that left before we
         * took it: all mean "wait again". */
        if (e == EAGAIN || e == EWOULDBLOCK || e == EINTR ||
            e == ECONNABORTED || e == EPROTO)
            return SK_EWOULDBLOCK;
        return sk__posix_fail(sys);
    }
#if defined(SK_HAVE_ACCEPT4) && defined(SK_HAVE_SOCK_FLAGS)
#  if defined(SO_NOSIGPIPE)
    r = sk__posix_prepare(c, 1, blocking, sys);
#  else
    r = 0; /* the flags did everything */
#  endif
#else
    /* accept(2) on BSD passes the listener's O_NONBLOCK on: set both. */
    r = sk__posix_prepare(c, 0, blocking, sys);
#endif
    if (r != 0) {
        close(c);
        return r;
    }
    if (peer != NULL) {
        memset(peer, 0, sizeof *peer);
        memcpy(peer->sa.bytes, &ss, len <= sizeof ss ? len : sizeof ss);
        peer->len = (unsigned)len;
        peer->family = sk__posix_family(ss.ss_family);
    }
    *out = c;
    return 0;
}

int sk__plat_accept(sk_fd_t fd, sk_fd_t *out, sk__addr *peer, int *sys)
{
    return sk__plat_accept_ex(fd, 0, out, peer, sys);
}

int sk__plat_shutdown(sk_fd_t fd, int how, int *sys)
{
    int h = how == SK_SHUT_RECEIVE ? SHUT_RD
          : how == SK_SHUT_SEND    ? SHUT_WR
                                   : SHUT_RDWR;
    if (shutdown(fd, h) != 0)
        return sk__posix_fail(sys);
    return 0;
}

static int sk__posix_name_of(int fd, sk__addr *a, int peer, int *sys)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    int r = peer ? getpeername(fd, (struct sockaddr *)&ss, &len)
                 : getsockname(fd, (struct sockaddr *)&ss, &len);
    if (r != 0)
        return sk__posix_fail(sys);
    memset(a, 0, sizeof *a);
    memcpy(a->sa.bytes, &ss, len <= sizeof ss ? len : sizeof ss);
    a->len = (unsigned)len;
    a->family = sk__posix_family(ss.ss_family);
    return 0;
}

int sk__plat_sockname(sk_fd_t fd, sk__addr *a, int *sys)
{
    return sk__posix_name_of(fd, a, 0, sys);
}

int sk__plat_peername(sk_fd_t fd, sk__addr *a, int *sys)
{
    return sk__posix_name_of(fd, a, 1, sys);
}

int sk__plat_family(sk_fd_t fd, int *family, int *sys)
{
    sk__addr a;
    int r;
    a.family = SK__AF_UNSPEC;
    r = sk__posix_name_of(fd, &a, 0, sys);
    if (r == 0)
        *family = a.family;
    return r;
}

int sk__plat_has_ipv6(void)
{
    int s = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
    if (s < 0)
        return 0;
    close(s);
    return 1;
}
#endif
