/* SPDX-License-Identifier: MIT */
/*
 * wake.c - what lets other threads reach a loop on Windows: the wake-up
 * channel, two loopback UDP sockets connected to each other (select
 * watches sockets only), non-blocking and not inherited, and a critical
 * section as the mutex.
 */
#include "../plat.h"

#if SK_OS_WIN32

#include "win32_int.h"

#include <stdlib.h>
#include <string.h>

struct sk__waker {
    SOCKET rd; /* watched for reading */
    SOCKET wr; /* sends a byte to rd to signal */
};

static SOCKET sk__wake_socket(void) {
    SOCKET s = WSASocketW(AF_INET, SOCK_DGRAM, IPPROTO_UDP, NULL, 0,
                          WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT);
    u_long on = 1;
    if (s == INVALID_SOCKET && WSAGetLastError() == WSAEINVAL) {
        /* Before Windows 7 SP1: no NO_HANDLE_INHERIT flag. */
        s = WSASocketW(AF_INET, SOCK_DGRAM, IPPROTO_UDP, NULL, 0,
                       WSA_FLAG_OVERLAPPED);
        if (s != INVALID_SOCKET)
            SetHandleInformation((HANDLE)s, HANDLE_FLAG_INHERIT, 0);
    }
    if (s == INVALID_SOCKET)
        return s;
    if (ioctlsocket(s, FIONBIO, &on) == SOCKET_ERROR) {
        closesocket(s);
        return INVALID_SOCKET;
    }
    sk__win_udp_prepare(s); /* no ICMP resets on later receives */
    return s;
}

/* Bind s to 127.0.0.1 on a port the system picks; its address in *a. */
static int sk__wake_bind(SOCKET s, struct sockaddr_in *a) {
    int len = (int)sizeof *a;
    memset(a, 0, sizeof *a);
    a->sin_family = AF_INET;
    a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a->sin_port = 0;
    if (bind(s, (struct sockaddr *)a, (int)sizeof *a) == SOCKET_ERROR ||
        getsockname(s, (struct sockaddr *)a, &len) == SOCKET_ERROR)
        return -1;
    return 0;
}

int sk__plat_waker_new(sk__waker **out, sk_fd_t *fd, int *sys) {
    sk__waker *w = (sk__waker *)sk__malloc(sizeof *w);
    struct sockaddr_in ra, wa;
    int err;
    *out = NULL;
    if (w == NULL)
        return SK_ENORESOURCES;
    w->rd = sk__wake_socket();
    w->wr = w->rd == INVALID_SOCKET ? INVALID_SOCKET : sk__wake_socket();
    /* Each connected to the other: rd takes datagrams from wr only. */
    if (w->wr == INVALID_SOCKET || sk__wake_bind(w->rd, &ra) != 0 ||
        sk__wake_bind(w->wr, &wa) != 0 ||
        connect(w->wr, (struct sockaddr *)&ra, (int)sizeof ra) ==
            SOCKET_ERROR ||
        connect(w->rd, (struct sockaddr *)&wa, (int)sizeof wa) ==
            SOCKET_ERROR) {
        err = WSAGetLastError();
        if (w->rd != INVALID_SOCKET)
            closesocket(w->rd);
        if (w->wr != INVALID_SOCKET)
            closesocket(w->wr);
        sk__free(w);
        return sk__win_fail(err, sys);
    }
    *fd = SK__FD(w->rd);
    *out = w;
    return 0;
}

int sk__plat_waker_signal(sk__waker *w, int *sys) {
    char byte = 1;
    int err;
    if (send(w->wr, &byte, 1, 0) != SOCKET_ERROR)
        return 0;
    err = WSAGetLastError();
    if (err == WSAEWOULDBLOCK || err == WSAENOBUFS)
        return 0; /* full: rd reads as ready already */
    return sk__win_fail(err, sys);
}

void sk__plat_waker_drain(sk__waker *w) {
    char buf[64];
    int i;
    /* A datagram per signal (one, as the loop coalesces them); bounded
     * all the same, so a socket error cannot keep this going. */
    for (i = 0; i < 64; i++)
        if (recv(w->rd, buf, (int)sizeof buf, 0) == SOCKET_ERROR)
            break;
}

void sk__plat_waker_free(sk__waker *w) {
    if (w == NULL)
        return;
    closesocket(w->rd);
    closesocket(w->wr);
    sk__free(w);
}

struct sk__mutex {
    CRITICAL_SECTION cs;
};

int sk__plat_mutex_new(sk__mutex **out) {
    sk__mutex *m = (sk__mutex *)sk__malloc(sizeof *m);
    *out = NULL;
    if (m == NULL)
        return SK_ENORESOURCES;
    InitializeCriticalSection(&m->cs); /* cannot fail since Vista */
    *out = m;
    return 0;
}

void sk__plat_mutex_lock(sk__mutex *m) {
    EnterCriticalSection(&m->cs);
}

void sk__plat_mutex_unlock(sk__mutex *m) {
    LeaveCriticalSection(&m->cs);
}

void sk__plat_mutex_free(sk__mutex *m) {
    if (m == NULL)
        return;
    DeleteCriticalSection(&m->cs);
    sk__free(m);
}

#endif /* SK_OS_WIN32 */
