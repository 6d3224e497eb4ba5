/* SPDX-License-Identifier: MIT */
/*
 * io_posix.c - skcat's copy loop for POSIX systems (empty on Windows).
 *
 * stdin is not a sockit object, so one poll(2) set holds fd 0 and the
 * socket's native handle (sk_getfd).  The socket is read with sk_read; bytes
 * sockit has already buffered (sk_dirty) are drained before any wait, since
 * poll cannot see them.
 */
#if !defined(_WIN32)

#define _POSIX_C_SOURCE 200809L

#include "skcat_io.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#define SKCAT_BUFSIZE 65536

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* write_all: the whole buffer to fd; -1 on error. */
static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);

        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* poll_ms: milliseconds until the sooner of the deadlines (< 0 = none);
 * -1 when there is none. */
static int poll_ms(double t, const double *deadlines, int n)
{
    double best = -1.0;
    int k;

    for (k = 0; k < n; k++) {
        if (deadlines[k] < 0.0)
            continue;
        if (best < 0.0 || deadlines[k] < best)
            best = deadlines[k];
    }
    if (best < 0.0)
        return -1;
    best -= t;
    if (best <= 0.0)
        return 0;
    return best > 1e6 ? 1000000000 : (int)(best * 1000.0) + 1;
}

int skcat_pump(sk_sock *c, const struct skcat_opts *o)
{
    static char inbuf[SKCAT_BUFSIZE], outbuf[SKCAT_BUFSIZE];
    struct pollfd fds[2];
    int stdin_open = 1, tty = isatty(2), rc = -1, r;
    double start = now(), last = start, quit_at = -1.0, next_tick;
    double deadlines[3];
    uint64_t to_sock = 0, from_sock = 0;
    int shown = 0;

    /* A vanished stdout reader is an error reported by write, not a
     * signal; sockit's own sends never raise SIGPIPE. */
    signal(SIGPIPE, SIG_IGN);
    next_tick = start + 1.0;
    while (rc < 0) {
        double t;
        int nfds = 0, sock_ready = 0, in_ready = 0;

        if (sk_dirty(c)) {
            sock_ready = 1; /* buffered bytes: no waiting */
        } else {
            fds[0].fd = sk_getfd(c);
            fds[0].events = POLLIN;
            fds[0].revents = 0;
            nfds = 1;
            if (stdin_open) {
                fds[1].fd = 0;
                fds[1].events = POLLIN;
                fds[1].revents = 0;
                nfds = 2;
            }
            t = now();
            deadlines[0] = o->idle >= 0.0 ? last + o->idle : -1.0;
            deadlines[1] = quit_at;
            deadlines[2] = tty ? next_tick : -1.0;
            r = poll(fds, (nfds_t)nfds, poll_ms(t, deadlines, 3));
            if (r < 0 && errno != EINTR) {
                perror("skcat: poll");
                rc = 1;
                break;
            }
            if (r > 0) {
                sock_ready = fds[0].revents != 0;
                in_ready = nfds == 2 && fds[1].revents != 0;
            }
        }
        t = now();
        if (sock_ready) {
            size_t got = 0;

            /* Non-blocking for this read: over TLS a readable socket
             * may hold no data yet (a session ticket, a partial record),
             * and a blocking read would then wait with stdin unread. */
            (void)sk_setblocking(c, 0);
            r = sk_read(c, outbuf, sizeof outbuf, &got);
            (void)sk_setblocking(c, 1);
            if (r == SK_EWOULDBLOCK)
                r = SK_ETIMEOUT; /* nothing yet: poll again */
            if (r == SK_OK) {
                if (write_all(1, outbuf, got) != 0) {
                    perror("skcat: write to stdout");
                    rc = 1;
                    break;
                }
                from_sock += got;
                last = t;
            } else if (r == SK_ECLOSED) {
                rc = 0; /* the peer closed: everything is written */
            } else if (r != SK_ETIMEOUT) {
                fprintf(stderr, "skcat: receive: %s\n", sk_strerror(r));
                rc = 1;
            }
        }
        if (rc < 0 && in_ready) {
            ssize_t n = read(0, inbuf, sizeof inbuf);

            if (n < 0 && errno == EINTR) {
                /* try again on the next round */
            } else if (n > 0) {
                r = sk_send(c, inbuf, (size_t)n, 1, -1, NULL);
                if (r != SK_OK) {
                    fprintf(stderr, "skcat: send: %s\n", sk_strerror(r));
                    rc = 1;
                }
                to_sock += (uint64_t)n;
                last = now();
            } else {
                /* end of stdin (or an error reading it): half-close */
                if (n < 0)
                    perror("skcat: read stdin");
                stdin_open = 0;
                r = sk_shutdown(c, SK_SHUT_SEND);
                if (r != SK_OK && r != SK_ENOTCONN) {
                    fprintf(stderr, "skcat: shutdown: %s\n", sk_strerror(r));
                    rc = 1;
                } else if (o->quit >= 0.0) {
                    quit_at = now() + o->quit;
                }
            }
        }
        if (rc >= 0)
            break;
        t = now();
        if (quit_at >= 0.0 && t >= quit_at) {
            rc = 0;
        } else if (o->idle >= 0.0 && t - last >= o->idle) {
            fprintf(stderr, "skcat: timeout: no data for %g s\n", o->idle);
            rc = 1;
        }
        if (tty && t >= next_tick) {
            skcat_progress(to_sock, from_sock, t - start, 0);
            shown = 1;
            next_tick = t + 1.0;
        }
    }
    if (shown)
        skcat_progress(to_sock, from_sock, now() - start, 1);
    return rc;
}

#else
/* ISO C forbids an empty translation unit. */
typedef int skcat_io_posix_unused;
#endif
