/* SPDX-License-Identifier: MIT */
/*
 * io.c - one-shot socket calls on Windows: bind, listen, starting a
 * non-blocking connect, accept, send, recv and shutdown.  Waiting lives in
 * wait.c.  Winsock reports through WSAGetLastError, never errno.
 */
#include "../plat.h"

#if SK_OS_WIN32

#include "win32_int.h"

#include <limits.h>
#include <string.h>

int sk__plat_bind(sk_fd_t fd, const sk__addr *a, int *sys) {
    if (bind(SK__SOCK(fd), (const struct sockaddr *)a->sa.bytes,
             (int)a->len) == SOCKET_ERROR) {
        if (a->family == SK__AF_UNIX)
            return sk__win_unix_bind_fail(a, WSAGetLastError(), sys);
        return sk__win_fail(WSAGetLastError(), sys);
    }
    return 0;
}

int sk__plat_listen(sk_fd_t fd, int backlog, int *sys) {
    if (backlog < 0)
        backlog = 0;
    if (listen(SK__SOCK(fd), backlog) == SOCKET_ERROR)
        return sk__win_fail(WSAGetLastError(), sys);
    return 0;
}

int sk__plat_connect_start(sk_fd_t fd, const sk__addr *a, int *sys) {
    int err;
    if (a->family == SK__AF_UNIX) {
        err = sk__win_unix_connect_check(a, sys);
        if (err != 0)
            return err;
    }
    if (connect(SK__SOCK(fd), (const struct sockaddr *)a->sa.bytes,
                (int)a->len) == 0)
        return 0;
    err = WSAGetLastError();
    /* A non-blocking connect says WSAEWOULDBLOCK where POSIX says
     * EINPROGRESS; WSAEALREADY means an earlier attempt is still going. */
    if (err == WSAEWOULDBLOCK || err == WSAEINPROGRESS ||
        err == WSAEALREADY)
        return SK_EINPROGRESS; /* not a failure: *sys is left alone */
    return sk__win_fail(err, sys);
}

int sk__plat_accept(sk_fd_t fd, sk_fd_t *out, sk__addr *peer, int *sys) {
    struct sockaddr_storage ss;
    int len = (int)sizeof ss, err;
    u_long on = 1;
    SOCKET s;

    *out = SK_FD_INVALID;
    s = accept(SK__SOCK(fd), (struct sockaddr *)&ss, &len);
    if (s == INVALID_SOCKET) {
        err = WSAGetLastError();
        /* Nothing pending, or the pending client reset before we took it
         * (Windows reports that to accept as a reset, Wine as "not
         * connected"; the dead entry is gone either way, so the caller just
         * waits again). */
        if (err == WSAEWOULDBLOCK || err == WSAECONNRESET ||
            err == WSAECONNABORTED || err == WSAENOTCONN || err == WSAEINTR)
            return SK_EWOULDBLOCK; /* not a failure: *sys is left alone */
        return sk__win_fail(err, sys);
    }
    /* An accepted socket takes most properties from the listener, but the
     * contract is explicit, so both are set here rather than assumed.  The
     * inherit flag is best effort (see socket.c). */
    SetHandleInformation((HANDLE)s, HANDLE_FLAG_INHERIT, 0);
    if (ioctlsocket(s, FIONBIO, &on) == SOCKET_ERROR) {
        err = WSAGetLastError();
        closesocket(s);
        return sk__win_fail(err, sys);
    }
    if (peer != NULL) {
        memset(peer, 0, sizeof *peer);
        if (len > 0 && (size_t)len <= sizeof peer->sa.bytes)
            memcpy(peer->sa.bytes, &ss, (size_t)len);
        peer->len = (unsigned)len;
        peer->family = sk__win_family(ss.ss_family);
        /* A UNIX-domain peer may come back without any address. */
        if (peer->family == SK__AF_UNSPEC)
            (void)sk__win_unix_unnamed(SK__SOCK(fd), peer);
    }
    *out = SK__FD(s);
    return 0;
}

int sk__plat_accept_ex(sk_fd_t fd, int blocking, sk_fd_t *out, sk__addr *peer,
                       int *sys) {
    (void)blocking; /* every socket is non-blocking here (see socket.c) */
    return sk__plat_accept(fd, out, peer, sys);
}

/* A send that meets a reset.  On POSIX, writing to a peer that has closed
 * fails with EPIPE (SK_ECLOSED): the kernel turns the peer's answering RST
 * into EPIPE once our side has seen its FIN, and only the first send after
 * an abortive close says ECONNRESET.  Winsock says WSAECONNRESET or
 * WSAECONNABORTED in all those cases and cannot tell them apart, so send
 * reports "peer gone" (SK_ECLOSED) like POSIX does in the common case; the
 * raw code stays in *sys.  recv keeps SK_ECONNRESET, as POSIX recv does
 * for a reset. */
int sk__win_send_fail(int err, int *sys) {
    /* The ERROR_* pair is how overlapped sends (TransmitFile) say the
     * same; send() itself never returns them. */
    if (err == WSAECONNRESET || err == WSAECONNABORTED ||
        err == WSAENETRESET || err == ERROR_NETNAME_DELETED ||
        err == ERROR_CONNECTION_ABORTED) {
        if (sys != NULL)
            *sys = err;
        return SK_ECLOSED;
    }
    return sk__win_fail(err, sys);
}

int sk__plat_send(sk_fd_t fd, const void *buf, size_t len, size_t *sent,
                  int *sys) {
    int n, err;
    /* send takes an int; a shorter send is a partial send, which the
     * caller handles anyway.  Windows has no SIGPIPE to suppress. */
    int want = len > (size_t)INT_MAX ? INT_MAX : (int)len;

    *sent = 0;
    for (;;) {
        n = send(SK__SOCK(fd), (const char *)buf, want, 0);
        if (n != SOCKET_ERROR) {
            *sent = (size_t)n;
            return 0;
        }
        err = WSAGetLastError();
        if (err != WSAEINTR)
            break;
    }
    if (err == WSAEWOULDBLOCK) {
        if (sys != NULL)
            *sys = err;
        return SK_EWOULDBLOCK;
    }
    return sk__win_send_fail(err, sys);
}

int sk__plat_recv(sk_fd_t fd, void *buf, size_t len, size_t *got, int *sys) {
    int n, err;
    int want = len > (size_t)INT_MAX ? INT_MAX : (int)len;

    *got = 0;
    for (;;) {
        n = recv(SK__SOCK(fd), (char *)buf, want, 0);
        if (n > 0) {
            *got = (size_t)n;
            return 0;
        }
        if (n == 0)
            return SK_ECLOSED; /* orderly end of stream */
        err = WSAGetLastError();
        if (err != WSAEINTR)
            break;
    }
    if (err == WSAEWOULDBLOCK) {
        if (sys != NULL)
            *sys = err;
        return SK_EWOULDBLOCK;
    }
    return sk__win_fail(err, sys);
}

/* The same without out-parameters (plat.h): a signal is SK_EWOULDBLOCK
 * here (the caller waits and tries again) rather than a retry. */
ptrdiff_t sk__plat_send1(sk_fd_t fd, const void *buf, size_t len) {
    int want = len > (size_t)INT_MAX ? INT_MAX : (int)len;
    int n = send(SK__SOCK(fd), (const char *)buf, want, 0);
    return n == SOCKET_ERROR ? -1 : (ptrdiff_t)n;
}

ptrdiff_t sk__plat_recv1(sk_fd_t fd, void *buf, size_t len) {
    int want = len > (size_t)INT_MAX ? INT_MAX : (int)len;
    int n = recv(SK__SOCK(fd), (char *)buf, want, 0);
    return n == SOCKET_ERROR ? -1 : (ptrdiff_t)n;
}

/* A failed send or receive: would-block (or interrupted) as SK_EWOULDBLOCK,
 * anything else through the direction's own mapper. */
static int win_io_fail(int *sys, int (*map)(int, int *)) {
    int err = WSAGetLastError();
    if (err == WSAEWOULDBLOCK || err == WSAEINTR) {
        if (err == WSAEWOULDBLOCK && sys != NULL)
            *sys = err;
        return SK_EWOULDBLOCK;
    }
    return map(err, sys);
}

int sk__plat_send_fail(int *sys) {
    return win_io_fail(sys, sk__win_send_fail);
}

int sk__plat_recv_fail(int *sys) {
    return win_io_fail(sys, sk__win_fail);
}

int sk__plat_shutdown(sk_fd_t fd, int how, int *sys) {
    int sd;
    switch (how) {
    case SK_SHUT_RECEIVE: sd = SD_RECEIVE; break;
    case SK_SHUT_SEND: sd = SD_SEND; break;
    case SK_SHUT_BOTH: sd = SD_BOTH; break;
    default: return sk__win_fail(WSAEINVAL, sys);
    }
    if (shutdown(SK__SOCK(fd), sd) == SOCKET_ERROR)
        return sk__win_fail(WSAGetLastError(), sys);
    return 0;
}

#endif /* SK_OS_WIN32 */
