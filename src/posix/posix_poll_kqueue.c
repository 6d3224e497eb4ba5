/* SPDX-License-Identifier: MIT */
/*
 * poll_kqueue.c (macOS, the BSDs) - the kqueue readiness backend: one
 * kqueue descriptor (close-on-exec), a read and a write filter per
 * registration as its interest asks, level-triggered (no EV_CLEAR), the
 * watch's pointer as udata.  The filters a registration has in the kernel
 * are kept in its slot (bit SK__WAIT_READ / SK__WAIT_WRITE).
 */
#include "posix_int.h"

#if SK_OS_POSIX && defined(SK_HAVE_KQUEUE)
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/event.h>
#include <sys/time.h>
#if defined(__NetBSD__)
#  include <sys/param.h> /* __NetBSD_Version__ */
#endif

/* udata is a void * everywhere but in NetBSD before 10 (an intptr_t). */
#if defined(__NetBSD__) && defined(__NetBSD_Version__) && \
    __NetBSD_Version__ < 1000000000
#  define SK__KQ_UDATA(p) ((intptr_t)(p))
#else
#  define SK__KQ_UDATA(p) ((void *)(p))
#endif

typedef struct sk__kq {
    sk__poller base;
    int kq;
    struct kevent *evs;
    size_t cap;
} sk__kq;

/* Apply n changes; 0 or the error of the first one that failed. */
static int sk__kq_apply(sk__kq *p, struct kevent *ch, int n, int *sys)
{
    if (n == 0)
        return 0;
    for (;;) {
        if (kevent(p->kq, ch, n, NULL, 0, NULL) != -1)
            return 0;
        if (errno != EINTR)
            break;
    }
    /* Not a descriptor kqueue can watch (EBADF, EINVAL). */
    if (errno == EBADF || errno == EINVAL || errno == ENOTSUP) {
        if (sys != NULL)
            *sys = errno;
        return SK_EINVAL;
    }
    return sk__posix_fail(sys);
}

/* Delete the filters in bits, ignoring errors (ENOENT: not there). */
static void sk__kq_delete(sk__kq *p, sk__pollreg *r, int bits)
{
    struct kevent ch;
    if (bits & SK__WAIT_READ) {
        EV_SET(&ch, r->fd, EVFILT_READ, EV_DELETE, 0, 0, SK__KQ_UDATA(NULL));
        (void)kevent(p->kq, &ch, 1, NULL, 0, NULL);
    }
    if (bits & SK__WAIT_WRITE) {
        EV_SET(&ch, r->fd, EVFILT_WRITE, EV_DELETE, 0, 0,
               SK__KQ_UDATA(NULL));
        (void)kevent(p->kq, &ch, 1, NULL, 0, NULL);
    }
}

/* Bring r's filters in the kernel from r->slot to r->events.  EV_ADD of a
 * filter that is there already only updates it, so every wanted filter is
 * added again: that also re-registers a descriptor the kernel forgot
 * because it was closed and its number came back. */
static int sk__kq_sync(sk__kq *p, sk__pollreg *r, int *sys)
{
    struct kevent ch[2];
    int n = 0, rc;
    if (r->events & SK__WAIT_READ) {
        EV_SET(&ch[n], r->fd, EVFILT_READ, EV_ADD | EV_ENABLE, 0, 0,
               SK__KQ_UDATA(r->ptr));
        n++;
    }
    if (r->events & SK__WAIT_WRITE) {
        EV_SET(&ch[n], r->fd, EVFILT_WRITE, EV_ADD | EV_ENABLE, 0, 0,
               SK__KQ_UDATA(r->ptr));
        n++;
    }
    rc = sk__kq_apply(p, ch, n, sys);
    if (rc != 0) {
        /* A half-made change (the read filter went in, the write filter
         * did not) is taken back: r has what it had before, or nothing. */
        sk__kq_delete(p, r, r->events & ~(int)r->slot);
        return rc;
    }
    sk__kq_delete(p, r, (int)r->slot & ~r->events);
    r->slot = (size_t)r->events;
    return 0;
}

static int sk__kq_add(sk__poller *base, sk__pollreg *r, int *sys)
{
    r->slot = 0;
    return sk__kq_sync((sk__kq *)base, r, sys);
}

static int sk__kq_mod(sk__poller *base, sk__pollreg *r, int *sys)
{
    return sk__kq_sync((sk__kq *)base, r, sys);
}

static void sk__kq_del(sk__poller *base, sk__pollreg *r, int stale)
{
    /* A closed descriptor's filters went with it; its number may be
     * someone else's now. */
    if (!stale)
        sk__kq_delete((sk__kq *)base, r, (int)r->slot);
    r->slot = 0;
}

static int sk__kq_wait(sk__poller *base, int64_t ms, sk__pollout *out,
                       size_t cap, size_t *n, int *sys)
{
    sk__kq *p = (sk__kq *)base;
    struct timespec ts, *tsp = NULL;
    int i, got;
    *n = 0;
    if (cap > p->cap) {
        struct kevent *evs =
            (struct kevent *)sk__realloc(p->evs, cap * sizeof *evs);
        if (evs != NULL) { /* else: fewer this time, the rest next time */
            p->evs = evs;
            p->cap = cap;
        }
    }
    if (cap > p->cap)
        cap = p->cap;
    if (cap > (size_t)INT_MAX)
        cap = (size_t)INT_MAX;
    if (ms >= 0) {
        ts.tv_sec = (time_t)(ms / 1000);
        ts.tv_nsec = (long)(ms % 1000) * 1000000L;
        tsp = &ts;
    }
    got = kevent(p->kq, NULL, 0, p->evs, (int)cap, tsp);
    if (got < 0)
        return sk__posix_fail(sys); /* EINTR: SK_EWOULDBLOCK */
    for (i = 0; i < got; i++) {
        const struct kevent *e = &p->evs[i];
        int ev = 0;
        if (e->flags & EV_ERROR) {
            ev = SK__WAIT_ERROR;
        } else if (e->filter == EVFILT_READ) {
            /* EV_EOF alone is the peer's end of stream: readable (the
             * read returns it); with fflags it carries a socket error. */
            ev = SK__WAIT_READ;
            if ((e->flags & EV_EOF) && e->fflags != 0)
                ev |= SK__WAIT_ERROR;
        } else if (e->filter == EVFILT_WRITE) {
            /* EV_EOF: the write side is gone (a reset, a refused
             * connect: fflags has the error). */
            ev = SK__WAIT_WRITE;
            if (e->flags & EV_EOF)
                ev |= SK__WAIT_ERROR;
        }
        out[i].ptr = (void *)e->udata;
        out[i].events = ev;
    }
    *n = (size_t)got;
    return 0;
}

static void sk__kq_free(sk__poller *base)
{
    sk__kq *p = (sk__kq *)base;
    close(p->kq);
    sk__free(p->evs);
    sk__free(p);
}

static const sk__poller_ops sk__kq_ops = {
    "kqueue", sk__kq_add, sk__kq_mod, sk__kq_del, sk__kq_wait, sk__kq_free,
    NULL /* add needs no memory of ours */};

int sk__posix_kqueue_new(sk__poller **out, int *sys)
{
    sk__kq *p = (sk__kq *)sk__calloc(1, sizeof *p);
    int fl, r;
    if (p == NULL)
        return SK_ENORESOURCES;
    p->cap = 64;
    p->evs = (struct kevent *)sk__malloc(p->cap * sizeof *p->evs);
    if (p->evs == NULL) {
        sk__free(p);
        return SK_ENORESOURCES;
    }
    /* kqueue descriptors are not inherited by fork; close-on-exec too
     * (kqueue1 with O_CLOEXEC is not everywhere: fcntl it). */
    p->kq = kqueue();
    if (p->kq < 0) {
        r = sk__posix_fail(sys);
        sk__free(p->evs);
        sk__free(p);
        return r;
    }
    fl = fcntl(p->kq, F_GETFD);
    if (fl < 0 || fcntl(p->kq, F_SETFD, fl | FD_CLOEXEC) != 0) {
        r = sk__posix_fail(sys);
        close(p->kq);
        sk__free(p->evs);
        sk__free(p);
        return r;
    }
    p->base.ops = &sk__kq_ops;
    *out = &p->base;
    return 0;
}
#endif
