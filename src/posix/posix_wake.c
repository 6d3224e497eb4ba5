/* SPDX-License-Identifier: MIT */
/*
 * wake.c (POSIX) - what lets other threads reach a loop: the wake-up
 * channel (an eventfd on Linux, else a pipe; non-blocking, close-on-exec)
 * and a pthread mutex.
 */
#include "posix_int.h"

#if SK_OS_POSIX
#include <pthread.h>
#include <stdlib.h>
#if defined(SK_HAVE_EVENTFD)
#  include <sys/eventfd.h>
#endif

struct sk__waker {
    int rfd; /* watched for reading */
    int wfd; /* written to signal; rfd itself for an eventfd */
};

/* One of three ways to open the channel, by capability (the names differ
 * so that an amalgamation holds all three). */
#if defined(SK_HAVE_EVENTFD)
#  define SK__WAKE_OPEN sk__wake_open_eventfd
static int sk__wake_open_eventfd(int *rfd, int *wfd, int *sys)
{
    int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (fd < 0)
        return sk__posix_fail(sys);
    *rfd = *wfd = fd;
    return 0;
}
#elif defined(SK_HAVE_PIPE2)
#  define SK__WAKE_OPEN sk__wake_open_pipe2
static int sk__wake_open_pipe2(int *rfd, int *wfd, int *sys)
{
    int p[2];
    if (pipe2(p, O_CLOEXEC | O_NONBLOCK) != 0)
        return sk__posix_fail(sys);
    *rfd = p[0];
    *wfd = p[1];
    return 0;
}
#else
static int sk__wake_flags(int fd)
{
    int fl = fcntl(fd, F_GETFD);
    if (fl < 0 || fcntl(fd, F_SETFD, fl | FD_CLOEXEC) != 0)
        return -1;
    fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) != 0)
        return -1;
    return 0;
}

#  define SK__WAKE_OPEN sk__wake_open_pipe
static int sk__wake_open_pipe(int *rfd, int *wfd, int *sys)
{
    int p[2], r;
    if (pipe(p) != 0)
        return sk__posix_fail(sys);
    if (sk__wake_flags(p[0]) != 0 || sk__wake_flags(p[1]) != 0) {
        r = sk__posix_fail(sys);
        close(p[0]);
        close(p[1]);
        return r;
    }
    *rfd = p[0];
    *wfd = p[1];
    return 0;
}
#endif

int sk__plat_waker_new(sk__waker **out, sk_fd_t *fd, int *sys)
{
    sk__waker *w = (sk__waker *)sk__malloc(sizeof *w);
    int r;
    *out = NULL;
    if (w == NULL)
        return SK_ENORESOURCES;
    r = SK__WAKE_OPEN(&w->rfd, &w->wfd, sys);
    if (r != 0) {
        sk__free(w);
        return r;
    }
    *fd = w->rfd;
    *out = w;
    return 0;
}

int sk__plat_waker_signal(sk__waker *w, int *sys)
{
    /* 8 bytes for an eventfd (a counter), one of them for a pipe. */
    uint64_t one = 1;
    size_t len = w->rfd == w->wfd ? sizeof one : 1;
    unsigned char byte = 1;
    const void *p = w->rfd == w->wfd ? (const void *)&one
                                     : (const void *)&byte;
    for (;;) {
        ssize_t n = write(w->wfd, p, len);
        if (n >= 0)
            return 0;
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return 0; /* full: it reads as ready already */
        if (errno != EINTR)
            return sk__posix_fail(sys);
    }
}

void sk__plat_waker_drain(sk__waker *w)
{
    unsigned char buf[64];
    int i;
    /* An eventfd empties with one read; a pipe holds a byte per signal
     * (one, as the loop coalesces them).  Bounded all the same. */
    for (i = 0; i < 64; i++) {
        ssize_t n = read(w->rfd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < (ssize_t)sizeof buf)
            break;
    }
}

void sk__plat_waker_free(sk__waker *w)
{
    if (w == NULL)
        return;
    close(w->rfd);
    if (w->wfd != w->rfd)
        close(w->wfd);
    sk__free(w);
}

struct sk__mutex {
    pthread_mutex_t m;
};

int sk__plat_mutex_new(sk__mutex **out)
{
    sk__mutex *m = (sk__mutex *)sk__malloc(sizeof *m);
    *out = NULL;
    if (m == NULL)
        return SK_ENORESOURCES;
    if (pthread_mutex_init(&m->m, NULL) != 0) {
        sk__free(m);
        return SK_ENORESOURCES;
    }
    *out = m;
    return 0;
}

void sk__plat_mutex_lock(sk__mutex *m)
{
    (void)pthread_mutex_lock(&m->m);
}

void sk__plat_mutex_unlock(sk__mutex *m)
{
    (void)pthread_mutex_unlock(&m->m);
}

void sk__plat_mutex_free(sk__mutex *m)
{
    if (m == NULL)
        return;
    (void)pthread_mutex_destroy(&m->m);
    sk__free(m);
}
#endif
