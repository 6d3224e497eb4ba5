/* SPDX-License-Identifier: MIT */
/*
 * selector.c - sk_selector: sk_select's readiness for a set of objects kept
 * between calls, so that a wait costs what is ready, not what is watched.
 * A selector is a hidden sk_loop with one watch per member; the watches'
 * callback only queues the member, and sk_selector_wait hands the queue
 * out (up to the caller's capacity per call, the rest on later calls).
 */
#include "sockit_int.h"

#include <stdlib.h>

/* One member: its place in the queue of members seen ready and not yet
 * handed out.  It lives in its watch's block, right after the watch (the
 * watch's ud points here; sk__watch_make): one allocation per member, of
 * 120 bytes on 64-bit POSIX (a 128-byte block).  The readiness gathered
 * while it is queued is in its watch's revents (the hidden loop never
 * dispatches, so nothing else uses it there): not 0 exactly while the
 * member is queued. */
typedef struct sk__selmem {
    struct sk__selmem *qprev, *qnext;
} sk__selmem;

/* A member's watch and selector, and the readiness it gathered. */
#define SK__SEL_WATCH(m) ((sk_watch *)(void *)(m) - 1)
#define SK__SEL_OF(m) (SK__SEL_WATCH(m)->loop->selector)
#define SK__SEL_REVENTS(m) (SK__SEL_WATCH(m)->revents)

struct sk_selector {
    sk_loop *loop;
    sk__selmem *qhead, *qtail; /* ready, in the order seen */
    int polled;                /* the last refill asked the system (1 at
                                  first: buffered bytes go first) */
    sk__pollout *evs;
    size_t evcap;
};

static void sk__sel_unqueue(sk__selmem *m)
{
    sk_selector *sel = SK__SEL_OF(m);
    if (SK__SEL_REVENTS(m) == 0)
        return; /* not queued */
    if (m->qprev != NULL)
        m->qprev->qnext = m->qnext;
    else
        sel->qhead = m->qnext;
    if (m->qnext != NULL)
        m->qnext->qprev = m->qprev;
    else
        sel->qtail = m->qprev;
    m->qprev = m->qnext = NULL;
    SK__SEL_REVENTS(m) = 0;
}

void sk__selector_ready(sk_watch *w, int events, void *ud)
{
    sk__selmem *m = (sk__selmem *)ud;
    sk_selector *sel = w->loop->selector;
    if (events == 0)
        return;
    if (w->revents == 0) { /* not queued yet */
        m->qnext = NULL;
        m->qprev = sel->qtail;
        if (sel->qtail != NULL)
            sel->qtail->qnext = m;
        else
            sel->qhead = m;
        sel->qtail = m;
    }
    w->revents = (unsigned char)(w->revents | events);
}

/* Drop m and its watch (the object itself is not touched). */
static void sk__sel_drop(sk__selmem *m)
{
    sk__sel_unqueue(m);
    sk_watch_free(SK__SEL_WATCH(m)); /* m with it */
}

void sk__selector_closing(sk_watch *w)
{
    sk__sel_drop((sk__selmem *)w->ud);
}

static int sk__sel_new(sk_selector **out, const char *backend)
{
    sk_selector *sel;
    int r;
    if (out == NULL)
        return SK_EINVAL;
    *out = NULL;
    sel = (sk_selector *)sk__calloc(1, sizeof *sel);
    if (sel == NULL)
        return SK_ENORESOURCES;
    r = backend == NULL ? sk__loop_new_ready(&sel->loop)
                        : sk_loop_new_backend(&sel->loop, backend);
    if (r != 0) {
        sk__free(sel);
        return r;
    }
    /* the wait's array, so that no wait finds none */
    if (sk__pollout_reserve(&sel->evs, &sel->evcap, 0, NULL) != 0) {
        sk_selector_free(sel);
        return SK_ENORESOURCES;
    }
    sel->polled = 1;
    sel->loop->selector = sel;
    *out = sel;
    return 0;
}

SK_API int sk_selector_new(sk_selector **out)
{
    return sk__sel_new(out, NULL);
}

SK_API int sk_selector_new_backend(sk_selector **out, const char *backend)
{
    if (out != NULL)
        *out = NULL;
    if (backend == NULL)
        return SK_EINVAL;
    return sk__sel_new(out, backend);
}

SK_API void sk_selector_free(sk_selector *sel)
{
    if (sel == NULL)
        return;
    sk_loop_free(sel->loop); /* the watches and their members with it */
    sk__free(sel->evs);
    sk__free(sel);
}

SK_API const char *sk_selector_backend(const sk_selector *sel)
{
    return sel == NULL ? NULL : sk_loop_backend(sel->loop);
}

/* s's member of sel, or NULL when s is not in sel. */
static sk__selmem *sk__sel_member(const sk_selector *sel, const sk_sock *s)
{
    sk_watch *w = sk__watch_of(s);
    if (w == NULL || w->loop != sel->loop || w->cb != sk__selector_ready)
        return NULL;
    return (sk__selmem *)w->ud;
}

/* The checks sk_selector_add and sk_selector_set share. */
static int sk__sel_args(const sk_selector *sel, const sk_sock *s, int events)
{
    if (sel == NULL || s == NULL ||
        (events & ~(SK_READABLE | SK_WRITABLE)) != 0)
        return SK_EINVAL;
    return s->role == SK_ROLE_CLOSED ? SK_ECLOSED : 0;
}

SK_API int sk_selector_add(sk_selector *sel, sk_sock *s, int events)
{
    sk_watch *w = NULL;
    int r = sk__sel_args(sel, s, events);
    if (r != 0)
        return r;
    if (s->note != NULL)
        return SK_EINVAL; /* in a selector or watched by a loop already */
    r = sk__watch_make(sel->loop, s, sk__selector_ready, NULL,
                       sizeof(sk__selmem), &w);
    if (r != 0)
        return r;
    w->ud = (sk__selmem *)(void *)(w + 1);
    if (events != 0)
        r = sk_watch_set(w, events);
    if (r != 0)
        sk_watch_free(w);
    return r;
}

SK_API int sk_selector_set(sk_selector *sel, sk_sock *s, int events)
{
    sk__selmem *m;
    int r = sk__sel_args(sel, s, events);
    if (r != 0)
        return r;
    m = sk__sel_member(sel, s);
    if (m == NULL)
        return SK_EINVAL;
    r = sk_watch_set(SK__SEL_WATCH(m), events);
    if (r != 0)
        return r;
    if (SK__SEL_REVENTS(m) != 0) { /* queued: only what is still wanted */
        int keep = SK__SEL_REVENTS(m) & (events | SK_ERRORED);
        if (events == 0 || keep == 0)
            sk__sel_unqueue(m);
        else
            SK__SEL_REVENTS(m) = (unsigned char)keep;
    }
    return 0;
}

SK_API int sk_selector_remove(sk_selector *sel, sk_sock *s)
{
    sk__selmem *m;
    if (sel == NULL || s == NULL)
        return SK_EINVAL;
    if (s->role == SK_ROLE_CLOSED)
        return SK_ECLOSED; /* taken out when it was closed */
    m = sk__sel_member(sel, s);
    if (m == NULL)
        return SK_EINVAL;
    sk__sel_drop(m);
    return 0;
}

/* Queue the members of n poller entries, then (when dirty) those holding
 * buffered bytes: what sk__watches_dispatch does for a loop, without its
 * ready list and one call per watch (each entry is queued directly).
 * The member SK__SEL_AHEAD entries on is fetched ahead (its watch's hot
 * fields and its queue links: one 64-byte span; issue 17, fan-in at
 * 10,000 clients, where every member is out of the cache by its turn). */
#define SK__SEL_AHEAD 8
static void sk__sel_collect(sk_selector *sel, const sk__pollout *evs,
                            size_t n, int dirty)
{
    sk_loop *loop = sel->loop;
    sk_watch *w;
    size_t i;
    for (i = 0; i < n; i++) {
        int ev;
        if (i + SK__SEL_AHEAD < n) { /* (see sk__sel_collect's comment) */
            w = (sk_watch *)evs[i + SK__SEL_AHEAD].ptr;
            SK__PREFETCH(SK__WCH_HOT(w));
            SK__PREFETCH(SK__WCH_HOT(w) + 63);
        }
        if (evs[i].ptr == (void *)&loop->wake_watch)
            continue; /* the loop's waker: never signalled here */
        w = (sk_watch *)evs[i].ptr;
        ev = evs[i].events & (w->events | SK_ERRORED);
        if (ev != 0 && w->events != 0)
            sk__selector_ready(w, ev, w->ud);
    }
    if (!dirty)
        return;
    for (w = loop->dirty; w != NULL; w = w->dnext) {
        sk_sock *s = w->sock;
        if ((w->events & SK_READABLE) && s != NULL && sk__buffered(s))
            sk__selector_ready(w, SK_READABLE, w->ud); /* sk_dirty */
    }
}

/* Fill the (empty) queue: members with buffered bytes, then what the
 * system reports within ms.  Buffered bytes alone refill the queue without
 * a system call only every other time, so that members the system has
 * ready are not starved by members that stay buffered. */
static int sk__sel_fill(sk_selector *sel, int64_t ms)
{
    sk_loop *loop = sel->loop;
    sk__poller *p = loop->poller;
    sk__tm tm;
    int dirty = loop->dirty != NULL && sk__watches_dirty_ready(loop);

    if (dirty && sel->polled) {
        sel->polled = 0;
        sk__sel_collect(sel, NULL, 0, 1);
        if (sel->qhead != NULL)
            return 0;
    }
    if (dirty)
        ms = 0;
    else if (loop->nlive == 0 && ms < 0)
        return SK_EINVAL; /* nothing could ever end this wait */
    sk__tm_start_ms(&tm, ms);
    for (;;) {
        size_t n = 0;
        int sys = 0, r;
        (void)sk__pollout_reserve(&sel->evs, &sel->evcap, sel->loop->nlive,
                                  p);
        r = p->ops->wait(p, ms, sel->evs, sel->evcap, &n, &sys);
        if (r == SK_EWOULDBLOCK)
            n = 0; /* a signal: wait again for what is left */
        else if (r != 0)
            return r;
        sel->polled = 1;
        sk__sel_collect(sel, sel->evs, n, dirty);
        if (sel->qhead != NULL)
            return 0;
        if (ms == 0)
            return SK_ETIMEOUT;
        if (ms > 0) { /* nothing yet, or interrupted: wait for what is left */
            ms = sk__tm_left(&tm);
            if (ms == 0)
                return SK_ETIMEOUT;
        }
    }
}

SK_API int sk_selector_wait(sk_selector *sel, double timeout, sk_sock **ready,
                            int *events, size_t cap, size_t *n)
{
    size_t k = 0;
    int64_t ms = -1;
    int r;
    if (n != NULL)
        *n = 0;
    if (sel == NULL || ready == NULL || events == NULL || cap == 0 ||
        n == NULL)
        return SK_EINVAL;
    r = sk__timeout_ms(timeout, &ms);
    if (r != 0)
        return r;
    if (sel->qhead == NULL) {
        r = sk__sel_fill(sel, ms);
        if (r != 0)
            return r;
    }
    while (k < cap && sel->qhead != NULL) {
        sk__selmem *m = sel->qhead;
        sk_watch *w = SK__SEL_WATCH(m);
        int ev = w->revents & (w->events | SK_ERRORED);
        sk__sel_unqueue(m);
        if (ev == 0)
            continue;
        ready[k] = w->sock;
        if (w->sock != NULL) { /* what the caller's transfer reads first */
            SK__PREFETCH(w->sock);
            SK__PREFETCH((const char *)w->sock + 39);
        }
        events[k] = ev;
        k++;
    }
    *n = k;
    return k > 0 ? 0 : SK_ETIMEOUT;
}
