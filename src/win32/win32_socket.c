/* SPDX-License-Identifier: MIT */
/*
 * socket.c - socket lifetime on Windows: WSAStartup/WSACleanup per call
 * (Winsock counts them itself), creating non-blocking, non-inherited TCP
 * sockets, closing them, and probing for IPv6.
 */
#include "../plat.h"

#if SK_OS_WIN32

#include "win32_int.h"

int sk__plat_startup(int *sys) {
    WSADATA wsa;
    int rc = WSAStartup(MAKEWORD(2, 2), &wsa);
    /* WSAStartup returns its error instead of setting WSAGetLastError.  A
     * failure is reported to the caller, never turned into an abort. */
    if (rc != 0)
        return sk__win_fail(rc, sys);
    if (LOBYTE(wsa.wVersion) != 2 || HIBYTE(wsa.wVersion) != 2) {
        WSACleanup();
        return sk__win_fail(WSAVERNOTSUPPORTED, sys);
    }
    return 0;
}

void sk__plat_cleanup(void) {
    WSACleanup();
}

/* Make s non-blocking; 0 or the WSA code. */
static int sk__win_nonblock(SOCKET s) {
    u_long on = 1;
    if (ioctlsocket(s, FIONBIO, &on) == SOCKET_ERROR)
        return WSAGetLastError();
    return 0;
}

int sk__plat_socket(int family, int type, sk_fd_t *fd, int *sys) {
    int af, err, st, proto;
    SOCKET s;

    *fd = SK_FD_INVALID;
    if (family == SK__AF_INET)
        af = AF_INET;
    else if (family == SK__AF_INET6)
        af = AF_INET6;
    else if (family == SK__AF_UNIX)
        af = AF_UNIX;
    else
        return sk__win_fail(WSAEAFNOSUPPORT, sys);
    if (type == SK__STREAM) {
        st = SOCK_STREAM;
        proto = IPPROTO_TCP;
    } else if (type == SK__DGRAM) {
        st = SOCK_DGRAM;
        proto = IPPROTO_UDP;
    } else {
        return sk__win_fail(WSAESOCKTNOSUPPORT, sys);
    }
    if (af == AF_UNIX) {
        /* Windows has UNIX-domain streams only (10 1803 on), protocol 0. */
        if (st != SOCK_STREAM)
            return sk__win_fail(WSAESOCKTNOSUPPORT, sys);
        proto = 0;
    }

    /* WSA_FLAG_OVERLAPPED is what socket() would give; NO_HANDLE_INHERIT
     * keeps the socket out of child processes without a race.  Windows
     * before 7 SP1 rejects that flag with WSAEINVAL: retry without it and
     * clear the inherit flag on the handle instead. */
    s = WSASocketW(af, st, proto, NULL, 0,
                   WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT);
    if (s == INVALID_SOCKET && WSAGetLastError() == WSAEINVAL) {
        s = WSASocketW(af, st, proto, NULL, 0, WSA_FLAG_OVERLAPPED);
        /* Best effort: with a non-IFS layered provider the handle may not
         * be a kernel handle, and the socket is still usable. */
        if (s != INVALID_SOCKET)
            SetHandleInformation((HANDLE)s, HANDLE_FLAG_INHERIT, 0);
    }
    if (s == INVALID_SOCKET) {
        err = WSAGetLastError();
        /* A host without an IPv6 stack refuses the family (or, with some
         * providers, the protocol): both mean "family not available". */
        if (err == WSAEAFNOSUPPORT || err == WSAEPFNOSUPPORT ||
            err == WSAEPROTONOSUPPORT || err == WSAESOCKTNOSUPPORT) {
            if (sys != NULL)
                *sys = err;
            return SK_EFAMILY;
        }
        return sk__win_fail(err, sys);
    }

    err = sk__win_nonblock(s);
    if (err != 0) {
        closesocket(s);
        return sk__win_fail(err, sys);
    }
    /* IPV6_V6ONLY is left alone: the shared code sets it explicitly,
     * because Windows defaults it on and Linux off. */
    if (type == SK__DGRAM)
        sk__win_udp_prepare(s); /* no ICMP resets on later receives */
    *fd = SK__FD(s);
    return 0;
}

/* Windows keeps every socket non-blocking: its waits go through select,
 * and WSAEventSelect (sendfile) would make a socket non-blocking anyway.
 * The shared code waits on SK_EWOULDBLOCK, so blocking is only a hint. */
int sk__plat_socket_ex(int family, int type, int blocking, sk_fd_t *fd,
                       int *sys) {
    (void)blocking;
    return sk__plat_socket(family, type, fd, sys);
}

int sk__plat_set_blocking(sk_fd_t fd, int blocking, int mine, int *sys) {
    (void)fd;
    (void)blocking;
    (void)mine;
    (void)sys;
    return 0;
}

int sk__win_family(int af) {
    return af == AF_INET6 ? SK__AF_INET6
         : af == AF_INET  ? SK__AF_INET
         : af == AF_UNIX  ? SK__AF_UNIX
                          : SK__AF_UNSPEC;
}

void sk__plat_close(sk_fd_t fd) {
    if (fd != SK_FD_INVALID)
        closesocket(SK__SOCK(fd));
}

int sk__plat_has_ipv6(void) {
    WSADATA wsa;
    SOCKET s;
    int ok = 0;
    /* Its own startup/cleanup pair, so the probe works whenever it is
     * called; the answer is not cached (no process-wide state). */
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
        return 0;
    s = WSASocketW(AF_INET6, SOCK_STREAM, IPPROTO_TCP, NULL, 0,
                   WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT);
    if (s == INVALID_SOCKET && WSAGetLastError() == WSAEINVAL)
        s = WSASocketW(AF_INET6, SOCK_STREAM, IPPROTO_TCP, NULL, 0,
                       WSA_FLAG_OVERLAPPED);
    if (s != INVALID_SOCKET) {
        ok = 1;
        closesocket(s);
    }
    WSACleanup();
    return ok;
}

#endif /* SK_OS_WIN32 */
