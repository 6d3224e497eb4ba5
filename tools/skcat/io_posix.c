/* SPDX-License-Identifier: MIT */
/*
 * io_posix.c - skcat's copy loops for POSIX systems (empty on Windows).
 *
 * stdin is not a sockit object, so one poll(2) set holds fd 0 and the
 * socket's native handle (sk_getfd).  The stream loop runs the object in
 * non-blocking mode: it never blocks in a send while the peer waits for it
 * to receive, and the two directions end separately (netcat's rule): the
 * peer's end of stream stops only the receiving; stdin's end shuts down
 * only the sending side.  Bytes sockit has already buffered (sk_dirty) are
 * drained before any wait, since poll cannot see them.  Bytes read from
 * stdin but not yet sent stay here for the next client of -k.
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
#define SKCAT_DGRAM_MAX 65507 /* the largest UDP payload over IPv4 */

/* stdin, shared by every client of -k: once ended it stays ended. */
static struct {
    int ended;                  /* end of stdin (or a read error) seen */
    int failed;                 /* reading it failed */
    char buf[SKCAT_BUFSIZE];    /* read but not yet sent: buf[off..len) */
    size_t off, len;
} in;

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

/* poll_ms: milliseconds until the soonest of the deadlines (< 0 = none);
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

/* read_stdin: one read into the empty buffer, at most cap bytes; marks the
 * end (or a failure) of stdin. */
static void read_stdin(size_t cap)
{
    ssize_t n = read(0, in.buf, cap);

    if (n > 0) {
        in.off = 0;
        in.len = (size_t)n;
    } else if (n == 0) {
        in.ended = 1;
    } else if (errno != EINTR && errno != EAGAIN) {
        perror("skcat: read stdin");
        in.ended = in.failed = 1;
    }
}

/* The per-call bookkeeping both loops share. */
struct run {
    const struct skcat_opts *o;
    double start, last, quit_at, next_tick;
    uint64_t to_sock, from_sock;
    int tty, shown;
};

static void run_init(struct run *u, const struct skcat_opts *o)
{
    u->o = o;
    u->start = u->last = now();
    u->quit_at = -1.0;
    u->next_tick = u->start + 1.0;
    u->to_sock = u->from_sock = 0;
    u->tty = isatty(2);
    u->shown = 0;
    /* A vanished stdout reader is an error reported by write, not a
     * signal; sockit's own sends never raise SIGPIPE. */
    signal(SIGPIPE, SIG_IGN);
}

/* run_wait: poll fds within the -w, -q and progress deadlines (at once
 * when busy).  Returns poll's result, -1 after reporting an error. */
static int run_wait(struct run *u, struct pollfd *fds, nfds_t n, int busy)
{
    double d[3];
    int r;

    d[0] = u->o->idle >= 0.0 ? u->last + u->o->idle : -1.0;
    d[1] = u->quit_at;
    d[2] = u->tty ? u->next_tick : -1.0;
    r = poll(fds, n, busy ? 0 : poll_ms(now(), d, 3));
    if (r < 0 && errno != EINTR) {
        perror("skcat: poll");
        return -1;
    }
    return r < 0 ? 0 : r;
}

/* run_clock: the -q and -w deadlines and the progress line.  Returns 0
 * (the -q wait is over), 1 (-w: idle too long, reported) or -1 (go on). */
static int run_clock(struct run *u)
{
    double t = now();

    if (u->tty && t >= u->next_tick) {
        skcat_progress(u->to_sock, u->from_sock, t - u->start, 0);
        u->shown = 1;
        u->next_tick = t + 1.0;
    }
    if (u->quit_at >= 0.0 && t >= u->quit_at)
        return 0;
    if (u->o->idle >= 0.0 && t - u->last >= u->o->idle) {
        fprintf(stderr, "skcat: timeout: no data for %g s\n", u->o->idle);
        return 1;
    }
    return -1;
}

static void run_end(struct run *u)
{
    if (u->shown)
        skcat_progress(u->to_sock, u->from_sock, now() - u->start, 1);
}

/* unsent: report the stdin bytes that could not be handed to the peer. */
static void unsent(const char *what, int r)
{
    fprintf(stderr, "skcat: %s: %s (%llu bytes read from stdin not sent%s)\n",
            what, sk_strerror(r), (unsigned long long)(in.len - in.off),
            in.ended ? "" : ", and the rest of stdin");
}

int skcat_pump(sk_sock *c, const struct skcat_opts *o)
{
    static char outbuf[SKCAT_BUFSIZE];
    struct run u;
    int peer_done = 0, shut = 0, rc = -1, r;

    run_init(&u, o);
    r = sk_setblocking(c, 0);
    if (r != SK_OK) {
        fprintf(stderr, "skcat: %s\n", sk_strerror(r));
        return 1;
    }
    while (rc < 0) {
        struct pollfd fds[2];
        int busy = 0, sock_ev = 0;
        nfds_t n = 1;

        /* stdin over and everything sent: shut the sending side, once */
        if (in.ended && in.off == in.len && !shut) {
            shut = 1;
            r = sk_shutdown(c, SK_SHUT_SEND);
            if (r != SK_OK && r != SK_ENOTCONN) {
                fprintf(stderr, "skcat: shutdown: %s\n", sk_strerror(r));
                rc = 1;
                break;
            }
            if (o->quit >= 0.0)
                u.quit_at = now() + o->quit;
        }
        if (shut && peer_done) {
            rc = in.failed ? 1 : 0; /* both directions are done */
            break;
        }
        if (!peer_done) {
            sock_ev |= POLLIN;
            busy = sk_dirty(c);
        }
        if (in.off < in.len)
            sock_ev |= POLLOUT;
        /* An fd of -1 is left out: a socket we want nothing from would
         * otherwise report POLLHUP over and over. */
        fds[0].fd = sock_ev ? sk_getfd(c) : -1;
        fds[0].events = (short)sock_ev;
        fds[0].revents = 0;
        fds[1].fd = (!in.ended && in.off == in.len) ? 0 : -1;
        fds[1].events = POLLIN;
        fds[1].revents = 0;
        if (fds[1].fd == 0)
            n = 2;
        if (run_wait(&u, fds, n, busy) < 0) {
            rc = 1;
            break;
        }
        /* receiving: the peer's bytes to stdout until its end of stream */
        if (!peer_done && (busy || fds[0].revents != 0)) {
            size_t got = 0;

            r = sk_read(c, outbuf, sizeof outbuf, &got);
            if (r == SK_OK) {
                if (write_all(1, outbuf, got) != 0) {
                    perror("skcat: write to stdout");
                    rc = 1;
                    break;
                }
                u.from_sock += got;
                u.last = now();
            } else if (r == SK_ECLOSED) {
                peer_done = 1; /* only this direction is over */
            } else if (r != SK_EWOULDBLOCK && r != SK_ETIMEOUT) {
                fprintf(stderr, "skcat: receive: %s\n", sk_strerror(r));
                rc = 1;
                break;
            }
        }
        /* sending: stdin's bytes, as far as there is room */
        if (in.off < in.len && (fds[0].revents & (POLLOUT | POLLERR | POLLHUP))) {
            ptrdiff_t last = 0;

            r = sk_send(c, in.buf + in.off, in.len - in.off, 1, -1, &last);
            in.off += (size_t)last;
            u.to_sock += (uint64_t)last;
            if (last > 0)
                u.last = now();
            if (r != SK_OK && r != SK_EWOULDBLOCK && r != SK_ETIMEOUT) {
                unsent("send", r);
                rc = 1;
                break;
            }
        }
        if (n == 2 && fds[1].revents != 0) {
            read_stdin(sizeof in.buf);
            if (in.off < in.len)
                u.last = now();
        }
        rc = run_clock(&u);
    }
    if (rc == 0 && in.failed)
        rc = 1;
    run_end(&u);
    (void)sk_setblocking(c, 1);
    return rc;
}

int skcat_pump_dgram(sk_sock *c, const struct skcat_opts *o)
{
    static char outbuf[SKCAT_BUFSIZE];
    struct run u;
    int rc = -1, r;

    run_init(&u, o);
    if (in.ended && o->quit >= 0.0)
        u.quit_at = now() + o->quit;
    while (rc < 0) {
        struct pollfd fds[2];
        nfds_t n = 1;

        fds[0].fd = sk_getfd(c);
        fds[0].events = POLLIN;
        fds[0].revents = 0;
        fds[1].fd = 0;
        fds[1].events = POLLIN;
        fds[1].revents = 0;
        if (!in.ended)
            n = 2;
        if (run_wait(&u, fds, n, 0) < 0) {
            rc = 1;
            break;
        }
        if (fds[0].revents != 0) {
            size_t got = 0;

            r = sk_recvfrom(c, outbuf, sizeof outbuf, &got, NULL, NULL);
            if (r == SK_OK || r == SK_ETRUNCATED) {
                if (write_all(1, outbuf, got) != 0) {
                    perror("skcat: write to stdout");
                    rc = 1;
                    break;
                }
                u.from_sock += got;
                u.last = now();
            } else if (r != SK_ETIMEOUT && r != SK_EWOULDBLOCK) {
                fprintf(stderr, "skcat: receive: %s\n", sk_strerror(r));
                rc = 1;
                break;
            }
        }
        if (n == 2 && fds[1].revents != 0) {
            /* one read of stdin, one datagram */
            read_stdin(SKCAT_DGRAM_MAX);
            if (in.off < in.len) {
                r = sk_sendto(c, in.buf, in.len, NULL, 0);
                if (r != SK_OK) {
                    unsent("send", r);
                    rc = 1;
                    break;
                }
                u.to_sock += in.len;
                in.off = in.len = 0;
                u.last = now();
            }
            if (in.ended && o->quit >= 0.0)
                u.quit_at = now() + o->quit;
        }
        rc = run_clock(&u);
    }
    if (rc == 0 && in.failed)
        rc = 1;
    run_end(&u);
    return rc;
}

#else
/* ISO C forbids an empty translation unit. */
typedef int skcat_io_posix_unused;
#endif
