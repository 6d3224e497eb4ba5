/* SPDX-License-Identifier: MIT */
/*
 * loop.c - the event loop: its life, one iteration (wait, watch callbacks,
 * posted functions, timers), stop, and the only thread-safe part, the post
 * queue and wake-up channel (a mutex and a descriptor the poller watches).
 * The backends are behind plat.h (sk__plat_poller_new and friends).
 */
#include "sockit_int.h"

#include <stdlib.h>
#include <string.h>

static void sk__lp_woken(sk_watch *w, int events, void *ud);

static int sk__lp_new(sk_loop **out, const char *backend, int ready)
{
    sk_loop *loop;
    sk_fd_t wfd = SK_FD_INVALID;
    int r, sys = 0;
    if (out == NULL)
        return SK_EINVAL;
    *out = NULL;
    loop = (sk_loop *)sk__calloc(1, sizeof *loop);
    if (loop == NULL)
        return SK_ENORESOURCES;
    r = sk__plat_startup(&sys);
    if (r != 0) {
        sk__free(loop);
        return r;
    }
    loop->started = 1;
    r = sk__plat_poller_new(backend, ready, &loop->poller, &sys);
    if (r == 0)
        r = sk__plat_mutex_new(&loop->mu);
    if (r == 0)
        r = sk__plat_waker_new(&loop->waker, &wfd, &sys);
    if (r == 0) {
        loop->wake_watch.cb = sk__lp_woken;
        loop->wake_watch.ud = loop;
        loop->wake_watch.events = SK_READABLE;
        loop->wake_watch.loop = loop;
        loop->wake_reg.fd = wfd;
        loop->wake_reg.events = SK__WAIT_READ;
        loop->wake_reg.ptr = &loop->wake_watch;
        r = loop->poller->ops->add(loop->poller, &loop->wake_reg, &sys);
    }
    if (r == 0) /* the wait's array, so that no wait finds none */
        r = sk__pollout_reserve(&loop->evs, &loop->evcap, 0, NULL);
    if (r != 0) {
        sk_loop_free(loop);
        return r;
    }
    loop->now_us = sk__plat_now_us();
    *out = loop;
    return 0;
}

SK_API int sk_loop_new(sk_loop **out)
{
    return sk__lp_new(out, NULL, 0);
}

int sk__loop_new_ready(sk_loop **out)
{
    return sk__lp_new(out, NULL, 1);
}

SK_API int sk_loop_new_backend(sk_loop **out, const char *backend)
{
    if (out != NULL)
        *out = NULL;
    static const char *const names[] = {"uring", "epoll", "kqueue", "poll",
                                       "select"};
    size_t i;
    if (backend == NULL)
        return SK_EINVAL;
    for (i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(backend, names[i]) == 0)
            return sk__lp_new(out, backend, 0); /* SK_EUNSUPPORTED if
                                                   not here */
    return SK_EINVAL;
}

SK_API void sk_loop_free(sk_loop *loop)
{
    sk__post *p;
    if (loop == NULL)
        return;
    sk__watches_release(loop);
    sk__timers_release(loop);
    if (loop->poller != NULL)
        loop->poller->ops->free(loop->poller);
    if (loop->waker != NULL)
        sk__plat_waker_free(loop->waker);
    if (loop->mu != NULL)
        sk__plat_mutex_free(loop->mu);
    while ((p = loop->post_head) != NULL) { /* never run: dropped */
        loop->post_head = p->next;
        if (p->drop != NULL)
            p->drop(p->ud);
        sk__free(p);
    }
    sk__free(loop->evs);
    if (loop->conn_spare != NULL) { /* (sk__connq: its buffers, then it) */
        sk_buf_free(&loop->conn_spare->rb);
        sk_buf_free(&loop->conn_spare->wb);
        sk__free(loop->conn_spare);
    }
    while (loop->conn_pool != NULL) {
        sk__connq *q = loop->conn_pool;
        loop->conn_pool = q->next;
        sk_buf_free(&q->rb);
        sk_buf_free(&q->wb);
        sk__free(q);
    }
    while (loop->hsets != NULL) { /* (left by connections not freed) */
        sk__hset *hs = loop->hsets;
        loop->hsets = hs->next;
        sk__free(hs);
    }
    if (loop->started)
        sk__plat_cleanup();
    sk__free(loop);
}

SK_API const char *sk_loop_backend(const sk_loop *loop)
{
    return loop == NULL ? NULL : loop->poller->ops->name;
}

SK_API double sk_loop_now(const sk_loop *loop)
{
    return loop == NULL ? 0.0 : (double)loop->now_us / 1e6;
}

SK_API int sk_loop_stop(sk_loop *loop)
{
    if (loop == NULL)
        return SK_EINVAL;
    loop->stop = 1;
    return 0;
}

/* ---- the thread-safe part ---------------------------------------------- */

/* Signal the channel unless it is signalled already (mu held). */
static int sk__lp_signal(sk_loop *loop)
{
    int r = 0, sys = 0;
    if (!loop->wake_pending) {
        r = sk__plat_waker_signal(loop->waker, &sys);
        if (r == 0)
            loop->wake_pending = 1;
    }
    return r;
}

SK_API int sk_loop_wake(sk_loop *loop)
{
    int r;
    if (loop == NULL)
        return SK_EINVAL;
    sk__plat_mutex_lock(loop->mu);
    r = sk__lp_signal(loop);
    sk__plat_mutex_unlock(loop->mu);
    return r == 0 ? 0 : SK_ESYSTEM;
}

int sk__loop_post_drop(sk_loop *loop, sk_post_cb fn, sk_post_cb drop,
                       void *ud)
{
    sk__post *p;
    if (loop == NULL || fn == NULL)
        return SK_EINVAL;
    p = (sk__post *)sk__malloc(sizeof *p);
    if (p == NULL)
        return SK_ENORESOURCES;
    return sk__loop_post_entry(loop, p, fn, drop, ud);
}

int sk__loop_post_entry(sk_loop *loop, sk__post *p, sk_post_cb fn,
                        sk_post_cb drop, void *ud)
{
    int r;
    p->fn = fn;
    p->drop = drop;
    p->ud = ud;
    p->next = NULL;
    sk__plat_mutex_lock(loop->mu);
    if (loop->post_tail != NULL)
        loop->post_tail->next = p;
    else
        loop->post_head = p;
    loop->post_tail = p;
    r = sk__lp_signal(loop);
    sk__plat_mutex_unlock(loop->mu);
    return r == 0 ? 0 : SK_ESYSTEM;
}

SK_API int sk_loop_post(sk_loop *loop, sk_post_cb fn, void *ud)
{
    return sk__loop_post_drop(loop, fn, NULL, ud);
}

/* The channel was seen signalled: empty it, then take the queue.  In this
 * order a post made after the drain signals again, so none is stranded. */
static sk__post *sk__lp_take_posts(sk_loop *loop)
{
    sk__post *list;
    sk__plat_waker_drain(loop->waker);
    sk__plat_mutex_lock(loop->mu);
    loop->wake_pending = 0;
    list = loop->post_head;
    loop->post_head = loop->post_tail = NULL;
    sk__plat_mutex_unlock(loop->mu);
    return list;
}

/* The waker's watch (loop->wake_watch) was found readable: take the posts
 * (once per iteration), to run when the watches' callbacks are over. */
static void sk__lp_woken(sk_watch *w, int events, void *ud)
{
    sk_loop *loop = (sk_loop *)ud;
    (void)w;
    (void)events;
    if (loop->taken == NULL)
        loop->taken = sk__lp_take_posts(loop);
}

static int sk__lp_posts_queued(sk_loop *loop)
{
    int queued;
    sk__plat_mutex_lock(loop->mu);
    queued = loop->post_head != NULL || loop->wake_pending;
    sk__plat_mutex_unlock(loop->mu);
    return queued;
}

/* ---- running ------------------------------------------------------------ */

/* Room in *evs (capacity *evcap) for what one wait of poller (NULL: none
 * yet) can report for nlive registrations plus the waker: an entry per
 * registration, two where a wait reports reading and writing apart
 * (kqueue), never more than the poller's most.  When memory is short the
 * old array is kept: what does not fit is reported by the next wait. */
int sk__pollout_reserve(sk__pollout **evs, size_t *evcap, size_t nlive,
                        const sk__poller *poller)
{
    size_t want, cap;
    sk__pollout *p;
    if (*evcap >= 2 * nlive + 2)
        return 0; /* the common case: room for what any backend reports */
    want = (poller != NULL && poller->unique ? 1 : 2) * nlive + 2;
    if (poller != NULL && poller->most != 0 && want > poller->most)
        want = poller->most;
    if (want < 64)
        want = 64;
    if (*evcap >= want)
        return 0;
    cap = *evcap ? *evcap : 64;
    while (cap < want && cap <= ((size_t)-1) / 2 / sizeof *p)
        cap *= 2;
    if (cap <= ((size_t)-1) / sizeof *p) {
        p = (sk__pollout *)sk__realloc(*evs, cap * sizeof *p);
        if (p != NULL) {
            *evs = p;
            *evcap = cap;
        }
    }
    return *evcap > 0 ? 0 : SK_ENORESOURCES;
}

/* Milliseconds until the first timer (rounded up: a timer never fires
 * early), -1 when none is started. */
static int64_t sk__lp_timeout(sk_loop *loop)
{
    int64_t due = sk__timers_next(loop), now;
    if (due < 0)
        return -1;
    now = sk__plat_now_us();
    return due <= now ? 0 : (due - now + 999) / 1000;
}

/* One iteration.  *alive receives 0 when SK_RUN_DEFAULT has nothing left
 * to wait for (then nothing was done). */
static int sk__lp_iterate(sk_loop *loop, int mode, int *alive)
{
    sk__post *posts;
    size_t n = 0;
    int64_t ms;
    int r, sys = 0, dirty = sk__watches_dirty_ready(loop);

    *alive = 1;
    if (mode == SK_RUN_DEFAULT && loop->nlive == 0 && loop->nheap == 0 &&
        !sk__lp_posts_queued(loop)) {
        *alive = 0;
        return 0;
    }
    if (mode == SK_RUN_NOWAIT || loop->stop || dirty)
        ms = 0;
    else
        ms = sk__lp_timeout(loop);

    (void)sk__pollout_reserve(&loop->evs, &loop->evcap, loop->nlive,
                              loop->poller);
    r = loop->poller->ops->wait(loop->poller, ms, loop->evs, loop->evcap, &n,
                                &sys);
    loop->now_us = sk__plat_now_us();
    if (r == SK_EWOULDBLOCK) {
        n = 0; /* a signal: go on as if nothing were ready */
    } else if (r != 0) {
        return r;
    }
    /* (the waker's entry, if any, calls sk__lp_woken) */
    sk__watches_dispatch(loop, n);
    posts = loop->taken;
    loop->taken = NULL;
    while (posts != NULL) {
        sk__post *p = posts;
        posts = p->next;
        p->fn(p->ud);
        sk__free(p);
    }
    if (loop->nheap > 0) /* (no clock reading when no timer is started) */
        sk__timers_run(loop, sk__plat_now_us());
    return 0;
}

SK_API int sk_loop_run(sk_loop *loop, int mode)
{
    int r = 0, alive = 1;
    if (loop == NULL || loop->running ||
        (mode != SK_RUN_DEFAULT && mode != SK_RUN_ONCE &&
         mode != SK_RUN_NOWAIT))
        return SK_EINVAL;
    loop->running = 1;
    for (;;) {
        r = sk__lp_iterate(loop, mode, &alive);
        if (r != 0 || !alive || loop->stop || mode != SK_RUN_DEFAULT)
            break;
    }
    loop->stop = 0;
    loop->running = 0;
    if (loop->poller->io != NULL) /* (completion mode: plat.h) */
        loop->poller->io->flush(loop->poller);
    return r;
}
