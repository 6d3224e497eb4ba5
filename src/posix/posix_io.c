/* SPDX-License-Identifier: MIT */
/*
 * io.c (POSIX) - one non-blocking send or receive, and waiting with poll(2)
 * (no FD_SETSIZE limit).  EINTR is retried here for transfers and reported
 * as SK_EWOULDBLOCK from waits, so callers recompute their deadline.
 */
#include "posix_int.h"

#if SK_OS_POSIX
#include <limits.h>
#include <stdlib.h>

/* poll takes an int timeout: a longer wait (up to 1e12 ms, see
 * sk__timeout_ms) is made of pieces of INT_MAX ms (24.8 days); a piece
 * that ends with nothing ready says SK_EWOULDBLOCK ("call again with the
 * time that is left"), never SK_ETIMEOUT, so no timeout is cut short. */
#define poll_cut(ms) ((ms) > (int64_t)INT_MAX)

/* One system call each, and nothing kept across it but the out-parameter:
 * the common case (bytes moved) costs the call and two tests.  EINTR is
 * SK_EWOULDBLOCK (sk__posix_err): every caller then waits for readiness,
 * or looks again on the next one, and tries again. */
int sk__plat_send(sk_fd_t fd, const void *buf, size_t len, size_t *sent,
                  int *sys)
{
    ssize_t n = send(fd, buf, len <= (size_t)SSIZE_MAX ? len : (size_t)SSIZE_MAX,
                     SK_SEND_FLAGS);
    if (n >= 0) {
        *sent = (size_t)n;
        return 0;
    }
    *sent = 0;
    return sk__posix_fail(sys);
}

int sk__plat_recv(sk_fd_t fd, void *buf, size_t len, size_t *got, int *sys)
{
    ssize_t n = recv(fd, buf, len <= (size_t)SSIZE_MAX ? len : (size_t)SSIZE_MAX, 0);
    if (n > 0) {
        *got = (size_t)n;
        return 0;
    }
    *got = 0;
    return n == 0 ? SK_ECLOSED : sk__posix_fail(sys);
}

/* The same without out-parameters: a jump to the C library's call, and
 * errno read by the caller's next call when it failed. */
ptrdiff_t sk__plat_send1(sk_fd_t fd, const void *buf, size_t len)
{
    return send(fd, buf, len <= (size_t)SSIZE_MAX ? len : (size_t)SSIZE_MAX,
                SK_SEND_FLAGS);
}

ptrdiff_t sk__plat_recv1(sk_fd_t fd, void *buf, size_t len)
{
    return recv(fd, buf, len <= (size_t)SSIZE_MAX ? len : (size_t)SSIZE_MAX,
                0);
}

int sk__plat_send_fail(int *sys)
{
    return sk__posix_fail(sys);
}

int sk__plat_recv_fail(int *sys)
{
    return sk__posix_fail(sys);
}

static short to_poll(int events)
{
    short ev = 0;
    if (events & SK__WAIT_READ)
        ev |= POLLIN;
    if (events & SK__WAIT_WRITE)
        ev |= POLLOUT;
    return ev;
}

static int from_poll(short rev)
{
    int r = 0;
    if (rev & (POLLIN | POLLHUP))
        r |= SK__WAIT_READ;
    if (rev & POLLOUT)
        r |= SK__WAIT_WRITE;
    if (rev & (POLLERR | POLLHUP | POLLNVAL))
        r |= SK__WAIT_ERROR;
    return r;
}

int sk__posix_wait(int fd, int events, int64_t ms, int *revents, int *sys)
{
    struct pollfd p;
    int r;
    p.fd = fd;
    p.events = to_poll(events);
    p.revents = 0;
    r = poll(&p, 1, sk__posix_wait_ms(ms));
    *revents = from_poll(p.revents);
    if (r > 0)
        return 0;
    if (r == 0)
        return poll_cut(ms) ? SK_EWOULDBLOCK : SK_ETIMEOUT;
    return sk__posix_fail(sys); /* EINTR maps to SK_EWOULDBLOCK */
}

int sk__plat_wait(sk_fd_t fd, int events, int64_t ms, int *sys)
{
    int revents;
    return sk__posix_wait(fd, events, ms, &revents, sys);
}

/* Up to this many entries sk__plat_poll needs no heap (1 KiB of stack). */
#define SK__POLL_STACK 128

int sk__plat_poll(sk__pollent *ents, size_t n, int64_t ms, size_t *ready,
                  int *sys)
{
    struct pollfd stack[SK__POLL_STACK], *p = stack;
    size_t i, j, c, count = 0;
    int r;
    *ready = 0;
    if (n > (size_t)((nfds_t)-1) || n > SIZE_MAX / sizeof *p)
        return SK_ENORESOURCES;
    if (n > SK__POLL_STACK) {
        p = (struct pollfd *)sk__malloc(n * sizeof *p);
        if (p == NULL)
            return SK_ENORESOURCES;
    }
    /* Entries without events are left out (poll would count each against
     * the descriptor limit): p holds the others, in order. */
    for (i = 0, c = 0; i < n; i++) {
        ents[i].revents = 0;
        if (ents[i].events == 0)
            continue;
        p[c].fd = ents[i].fd;
        p[c].events = to_poll(ents[i].events);
        p[c].revents = 0;
        c++;
    }
    r = poll(p, (nfds_t)c, sk__posix_wait_ms(ms));
    if (r < 0) {
        r = sk__posix_fail(sys); /* EINVAL: c above RLIMIT_NOFILE */
    } else if (r == 0 && poll_cut(ms)) {
        r = SK_EWOULDBLOCK;
    } else {
        /* Only r entries have revents: stop looking once all are seen. */
        for (i = 0, j = 0; i < n && count < (size_t)r; i++) {
            if (ents[i].events == 0)
                continue;
            if (p[j].revents) {
                ents[i].revents = from_poll(p[j].revents);
                if (ents[i].revents)
                    count++;
            }
            j++;
        }
        r = 0;
    }
    if (p != stack)
        sk__free(p);
    *ready = count;
    return r;
}
#endif
