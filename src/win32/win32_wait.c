/* SPDX-License-Identifier: MIT */
/*
 * wait.c - readiness on Windows with select: one socket (sk__plat_wait),
 * a connect in progress (sk__plat_wait_connect) and any number of sockets
 * (sk__plat_poll).  select, not WSAPoll: WSAPoll misses failed connects
 * before Windows 10 2004, and Wine runs select faithfully.  A failed
 * connect shows up only in the except set.
 */
#include "../plat.h"

#if SK_OS_WIN32

#include "win32_int.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* ms (>= 0) as a select timeout.  tv_sec is a 32-bit long on Windows;
 * clamping it to LONG_MAX seconds (68 years) loses nothing. */
static void sk__win_timeval(int64_t ms, struct timeval *tv) {
    int64_t sec = ms / 1000;
    if (sec > (int64_t)LONG_MAX) {
        tv->tv_sec = LONG_MAX;
        tv->tv_usec = 0;
        return;
    }
    tv->tv_sec = (long)sec;
    tv->tv_usec = (long)((ms % 1000) * 1000);
}

/* select with ms -1 meaning no limit.  Returns select's result; on
 * SOCKET_ERROR the caller reads WSAGetLastError. */
static int sk__win_select(fd_set *rd, fd_set *wr, fd_set *ex, int64_t ms) {
    struct timeval tv;
    if (ms < 0)
        return select(0, rd, wr, ex, NULL);
    sk__win_timeval(ms, &tv);
    return select(0, rd, wr, ex, &tv);
}

/* Sleep for ms (>= 0), in pieces: Sleep takes a DWORD and INFINITE is one
 * of its values. */
static void sk__win_sleep(int64_t ms) {
    while (ms > 0) {
        DWORD part = ms > 0x7fffffff ? (DWORD)0x7fffffff : (DWORD)ms;
        Sleep(part);
        ms -= (int64_t)part;
    }
}

/* A select failure as the contract wants it: WSAEINTR (a cancelled
 * blocking call) is "interrupted, call again". */
static int sk__win_select_fail(int *sys) {
    int err = WSAGetLastError();
    if (err == WSAEINTR) {
        if (sys != NULL)
            *sys = err;
        return SK_EWOULDBLOCK;
    }
    return sk__win_fail(err, sys);
}

int sk__plat_wait(sk_fd_t fd, int events, int64_t ms, int *sys) {
    fd_set rd, wr, ex;
    SOCKET s = SK__SOCK(fd);
    int n;

    FD_ZERO(&rd);
    FD_ZERO(&wr);
    FD_ZERO(&ex);
    if (events & SK__WAIT_READ)
        FD_SET(s, &rd);
    /* A connecting socket that fails is never writable, only "excepted":
     * watch both so that the failure wakes us and the next call sees it. */
    if (events & SK__WAIT_WRITE) {
        FD_SET(s, &wr);
        FD_SET(s, &ex);
    }
    if (rd.fd_count == 0 && wr.fd_count == 0)
        return sk__win_fail(WSAEINVAL, sys);

    n = sk__win_select(rd.fd_count ? &rd : NULL, wr.fd_count ? &wr : NULL,
                       ex.fd_count ? &ex : NULL, ms);
    if (n == SOCKET_ERROR)
        return sk__win_select_fail(sys);
    if (n == 0)
        return SK_ETIMEOUT;
    return 0;
}

/* SO_ERROR of s into *err; 0 or the WSA code of getsockopt itself. */
static int sk__win_so_error(SOCKET s, int *err) {
    int len = (int)sizeof *err;
    *err = 0;
    if (getsockopt(s, SOL_SOCKET, SO_ERROR, (char *)err, &len) ==
        SOCKET_ERROR)
        return WSAGetLastError();
    return 0;
}

int sk__plat_wait_connect(sk_fd_t fd, int64_t ms, int *sys) {
    fd_set wr, ex;
    SOCKET s = SK__SOCK(fd);
    struct sockaddr_storage ss;
    int n, err, rc, tries, len;

    FD_ZERO(&wr);
    FD_ZERO(&ex);
    FD_SET(s, &wr);
    FD_SET(s, &ex);
    n = sk__win_select(NULL, &wr, &ex, ms);
    if (n == SOCKET_ERROR)
        return sk__win_select_fail(sys);
    if (n == 0)
        return SK_ETIMEOUT;

    if (FD_ISSET(s, &ex)) {
        /* The connect failed.  Winsock can flag the except set a moment
         * before it records the reason in SO_ERROR: read it again (no
         * sleeping, only yielding) until the reason is there. */
        for (tries = 0; tries < 1000; tries++) {
            rc = sk__win_so_error(s, &err);
            if (rc != 0)
                return sk__win_fail(rc, sys);
            if (err != 0)
                return sk__win_fail(err, sys);
            SwitchToThread();
        }
        /* Still no reason (reading SO_ERROR clears it, so another reader
         * may have taken it).  A socket with a peer is connected after
         * all; otherwise the attempt failed, and it is reported as the
         * commonest cause rather than as success. */
        len = (int)sizeof ss;
        if (getpeername(s, (struct sockaddr *)&ss, &len) == 0)
            return 0;
        return sk__win_fail(WSAECONNREFUSED, sys);
    }

    /* Writable: connected.  SO_ERROR is still checked, so a failure that
     * raced the write report is not mistaken for success. */
    rc = sk__win_so_error(s, &err);
    if (rc != 0)
        return sk__win_fail(rc, sys);
    if (err != 0)
        return sk__win_fail(err, sys);
    return 0;
}

/* ---- sk__plat_poll ------------------------------------------------------ */

/* A Windows fd_set is a u_int count followed by an array of SOCKETs whose
 * declared size (FD_SETSIZE, 64) is only a default: select reads fd_count
 * entries.  So sets are allocated as large as needed (never smaller than an
 * fd_set) and filled through a pointer to the array, since FD_SET stops at
 * FD_SETSIZE. */
static fd_set *sk__win_fdset_new(size_t n) {
    size_t bytes = offsetof(fd_set, fd_array) + n * sizeof(SOCKET);
    fd_set *set = (fd_set *)sk__malloc(bytes < sizeof(fd_set) ? sizeof(fd_set)
                                                          : bytes);
    if (set != NULL)
        set->fd_count = 0;
    return set;
}

static SOCKET *sk__win_fdarr(fd_set *set) {
    return (SOCKET *)((char *)set + offsetof(fd_set, fd_array));
}

static void sk__win_fdadd(fd_set *set, SOCKET s) {
    sk__win_fdarr(set)[set->fd_count++] = s;
}

static int sk__win_sockcmp(const void *a, const void *b) {
    SOCKET x = *(const SOCKET *)a, y = *(const SOCKET *)b;
    return x < y ? -1 : x > y;
}

/* Sort a set and drop duplicates (the same socket may be asked for by
 * several entries).  Results are then found with bsearch, so mapping them
 * back to n entries costs n log n, not n squared. */
static void sk__win_fdset_sort(fd_set *set) {
    SOCKET *arr = sk__win_fdarr(set);
    u_int i, k;
    if (set->fd_count < 2)
        return;
    qsort(arr, set->fd_count, sizeof(SOCKET), sk__win_sockcmp);
    for (i = 1, k = 1; i < set->fd_count; i++)
        if (arr[i] != arr[k - 1])
            arr[k++] = arr[i];
    set->fd_count = k;
}

static int sk__win_fdset_has(fd_set *set, SOCKET s) {
    return set->fd_count > 0 &&
           bsearch(&s, sk__win_fdarr(set), set->fd_count, sizeof(SOCKET),
                   sk__win_sockcmp) != NULL;
}

/* Mark the entries whose handle is not a socket as SK__WAIT_ERROR; the
 * count of such entries goes to *ready and is returned. */
static size_t sk__win_flag_nonsockets(sk__pollent *ents, size_t n,
                                      size_t *ready) {
    size_t i, count = 0;
    for (i = 0; i < n; i++) {
        int type = 0, len = (int)sizeof type;
        if (ents[i].events == 0)
            continue;
        if (getsockopt(SK__SOCK(ents[i].fd), SOL_SOCKET, SO_TYPE,
                       (char *)&type, &len) == SOCKET_ERROR &&
            WSAGetLastError() == WSAENOTSOCK) {
            ents[i].revents = SK__WAIT_ERROR;
            count++;
        }
    }
    *ready = count;
    return count;
}

int sk__plat_poll(sk__pollent *ents, size_t n, int64_t ms, size_t *ready,
                  int *sys) {
    fd_set *rd = NULL, *wr = NULL, *ex = NULL;
    size_t i, count = 0, nrd = 0, nwr = 0;
    int rc, r;

    *ready = 0;
    for (i = 0; i < n; i++) {
        ents[i].revents = 0;
        nrd += (ents[i].events & SK__WAIT_READ) != 0;
        nwr += (ents[i].events & SK__WAIT_WRITE) != 0;
    }
    /* fd_count is a u_int, and the allocation size must not wrap. */
    if (n > (size_t)UINT_MAX ||
        n > ((size_t)-1 - sizeof(fd_set)) / sizeof(SOCKET))
        return sk__win_fail(WSAENOBUFS, sys);

    /* Each set as large as what asks for it, no larger. */
    rd = sk__win_fdset_new(nrd);
    wr = sk__win_fdset_new(nwr);
    ex = sk__win_fdset_new(nwr);
    if (rd == NULL || wr == NULL || ex == NULL) {
        rc = sk__win_fail(WSA_NOT_ENOUGH_MEMORY, sys);
        goto out;
    }
    for (i = 0; i < n; i++) {
        SOCKET s = SK__SOCK(ents[i].fd);
        if (ents[i].events & SK__WAIT_READ)
            sk__win_fdadd(rd, s);
        /* The except set too: a failed connect is reported only there. */
        if (ents[i].events & SK__WAIT_WRITE) {
            sk__win_fdadd(wr, s);
            sk__win_fdadd(ex, s);
        }
    }
    sk__win_fdset_sort(rd);
    sk__win_fdset_sort(wr);
    sk__win_fdset_sort(ex);

    if (rd->fd_count == 0 && wr->fd_count == 0) {
        /* select fails with WSAEINVAL when every set is empty, where POSIX
         * poll simply waits: wait the same way, or refuse to wait forever
         * for nothing. */
        if (ms < 0) {
            rc = sk__win_fail(WSAEINVAL, sys);
            goto out;
        }
        sk__win_sleep(ms);
        rc = 0;
        goto out;
    }

    r = sk__win_select(rd->fd_count ? rd : NULL, wr->fd_count ? wr : NULL,
                       ex->fd_count ? ex : NULL, ms);
    if (r == SOCKET_ERROR) {
        /* One handle that is not a socket (closed behind sockit's back)
         * fails the whole select, where POSIX poll flags just that entry
         * (POLLNVAL) as ready.  Do the same: the next call on it reports
         * the error. */
        if (WSAGetLastError() == WSAENOTSOCK &&
            sk__win_flag_nonsockets(ents, n, ready)) {
            rc = 0;
            goto out;
        }
        rc = sk__win_select_fail(sys);
        goto out;
    }
    rc = 0;
    if (r == 0)
        goto out;

    /* select leaves only the ready sockets in each set; the order it
     * keeps them in is not documented, so sort again. */
    sk__win_fdset_sort(rd);
    sk__win_fdset_sort(wr);
    sk__win_fdset_sort(ex);
    for (i = 0; i < n; i++) {
        SOCKET s = SK__SOCK(ents[i].fd);
        int ev = 0;
        if ((ents[i].events & SK__WAIT_READ) && sk__win_fdset_has(rd, s))
            ev |= SK__WAIT_READ;
        if (ents[i].events & SK__WAIT_WRITE) {
            if (sk__win_fdset_has(wr, s))
                ev |= SK__WAIT_WRITE;
            if (sk__win_fdset_has(ex, s))
                ev |= SK__WAIT_ERROR;
        }
        ents[i].revents = ev;
        if (ev != 0)
            count++;
    }
    *ready = count;

out:
    sk__free(rd);
    sk__free(wr);
    sk__free(ex);
    return rc;
}

#endif /* SK_OS_WIN32 */
