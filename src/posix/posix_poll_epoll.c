/* SPDX-License-Identifier: MIT */
/*
 * poll_epoll.c (Linux) - the epoll readiness backend: one epoll descriptor
 * (close-on-exec), level-triggered, registrations keyed by descriptor with
 * the watch's pointer as data.
 */
#include "posix_int.h"

#if SK_OS_POSIX && defined(SK_HAVE_EPOLL)
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

typedef struct sk__epoll {
    sk__poller base;
    int epfd;
    struct epoll_event *evs;
    size_t cap;
} sk__epoll;

static uint32_t sk__epoll_mask(int events)
{
    uint32_t m = 0;
    if (events & SK__WAIT_READ)
        m |= EPOLLIN;
    if (events & SK__WAIT_WRITE)
        m |= EPOLLOUT;
    return m;
}

static int sk__epoll_ctl(sk__epoll *p, int op, sk__pollreg *r, int *sys)
{
    struct epoll_event ev;
    memset(&ev, 0, sizeof ev);
    ev.events = sk__epoll_mask(r->events);
    ev.data.ptr = r->ptr;
    if (epoll_ctl(p->epfd, op, r->fd, &ev) == 0)
        return 0;
    /* Registered twice, or not a pollable descriptor (a regular file). */
    if (errno == EEXIST || errno == EPERM) {
        if (sys != NULL)
            *sys = errno;
        return SK_EINVAL;
    }
    return sk__posix_fail(sys);
}

static int sk__epoll_add(sk__poller *base, sk__pollreg *r, int *sys)
{
    return sk__epoll_ctl((sk__epoll *)base, EPOLL_CTL_ADD, r, sys);
}

static int sk__epoll_mod(sk__poller *base, sk__pollreg *r, int *sys)
{
    sk__epoll *p = (sk__epoll *)base;
    int rc = sk__epoll_ctl(p, EPOLL_CTL_MOD, r, sys);
    /* The kernel dropped the registration when the descriptor was closed,
     * and the number came back for a new socket: register that. */
    if (rc != 0 && errno == ENOENT)
        rc = sk__epoll_ctl(p, EPOLL_CTL_ADD, r, sys);
    return rc;
}

static void sk__epoll_del(sk__poller *base, sk__pollreg *r, int stale)
{
    sk__epoll *p = (sk__epoll *)base;
    struct epoll_event ev; /* kernels before 2.6.9 want one */
    if (stale)
        return; /* closed: the kernel forgot it; the number is not ours */
    memset(&ev, 0, sizeof ev);
    (void)epoll_ctl(p->epfd, EPOLL_CTL_DEL, r->fd, &ev);
}

/* What a wait reports, SK__WAIT_* from the low bits of the epoll events
 * (an error or hang-up is SK__WAIT_ERROR), one load per entry. */
#define SK__EPOLL_LOW 0x1f
typedef char sk__epoll_low_bits[((EPOLLIN | EPOLLPRI | EPOLLOUT | EPOLLERR |
                                  EPOLLHUP) == SK__EPOLL_LOW) ? 1 : -1];
#define SK__EPOLL_R(e)                                                      \
    (((e) & EPOLLIN ? SK__WAIT_READ : 0) |                                  \
     ((e) & EPOLLOUT ? SK__WAIT_WRITE : 0) |                                \
     ((e) & (EPOLLERR | EPOLLHUP) ? SK__WAIT_ERROR : 0))
#define SK__EPOLL_R4(e)                                                     \
    SK__EPOLL_R(e), SK__EPOLL_R((e) + 1), SK__EPOLL_R((e) + 2),             \
        SK__EPOLL_R((e) + 3)
static const unsigned char sk__epoll_bits[SK__EPOLL_LOW + 1] = {
    SK__EPOLL_R4(0),  SK__EPOLL_R4(4),  SK__EPOLL_R4(8),  SK__EPOLL_R4(12),
    SK__EPOLL_R4(16), SK__EPOLL_R4(20), SK__EPOLL_R4(24), SK__EPOLL_R4(28)};

/* The most entries one wait takes: the kernel keeps the rest (its ready
 * list is served round-robin, so nobody starves) for the next wait, and
 * the entries of one wait - with the objects they lead to - stay in the
 * cache while they are dispatched (libuv takes 1024 too). */
#define SK__EPOLL_BATCH ((size_t)1024)

static int sk__epoll_wait(sk__poller *base, int64_t ms, sk__pollout *out,
                          size_t cap, size_t *n, int *sys)
{
    sk__epoll *p = (sk__epoll *)base;
    int i, got;
    *n = 0;
    if (cap > SK__EPOLL_BATCH)
        cap = SK__EPOLL_BATCH;
    if (cap > p->cap) {
        struct epoll_event *evs = (struct epoll_event *)sk__realloc(
            p->evs, cap * sizeof *evs);
        if (evs != NULL) { /* else: fewer this time, the rest next time */
            p->evs = evs;
            p->cap = cap;
        }
    }
    if (cap > p->cap)
        cap = p->cap;
    if (cap > (size_t)INT_MAX)
        cap = (size_t)INT_MAX;
    got = epoll_wait(p->epfd, p->evs, (int)cap, sk__posix_wait_ms(ms));
    if (got < 0)
        return sk__posix_fail(sys); /* EINTR: SK_EWOULDBLOCK */
    for (i = 0; i < got; i++) {
        out[i].ptr = p->evs[i].data.ptr;
        out[i].events = sk__epoll_bits[p->evs[i].events & SK__EPOLL_LOW];
    }
    *n = (size_t)got;
    return 0;
}

static void sk__epoll_free(sk__poller *base)
{
    sk__epoll *p = (sk__epoll *)base;
    close(p->epfd);
    sk__free(p->evs);
    sk__free(p);
}

static const sk__poller_ops sk__epoll_ops = {
    "epoll", sk__epoll_add, sk__epoll_mod, sk__epoll_del, sk__epoll_wait,
    sk__epoll_free, NULL /* add needs no memory of ours */};

int sk__posix_epoll_new(sk__poller **out, int *sys)
{
    sk__epoll *p = (sk__epoll *)sk__calloc(1, sizeof *p);
    if (p == NULL)
        return SK_ENORESOURCES;
    p->cap = 64;
    p->evs = (struct epoll_event *)sk__malloc(p->cap * sizeof *p->evs);
    if (p->evs == NULL) {
        sk__free(p);
        return SK_ENORESOURCES;
    }
    p->epfd = epoll_create1(EPOLL_CLOEXEC);
    if (p->epfd < 0) {
        int r = sk__posix_fail(sys);
        sk__free(p->evs);
        sk__free(p);
        return r;
    }
    p->base.ops = &sk__epoll_ops;
    p->base.unique = 1;
    p->base.most = SK__EPOLL_BATCH;
    *out = &p->base;
    return 0;
}
#endif
