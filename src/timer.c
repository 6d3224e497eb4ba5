/* SPDX-License-Identifier: MIT */
/*
 * timer.c - a loop's timers: a binary min-heap ordered by deadline, then
 * by start order, with each timer knowing its index so that stop and
 * restart cost O(log n).  Deadlines are microseconds on the monotonic
 * clock (sk__plat_now_us); repeating timers keep their phase.
 */
#include "sockit_int.h"

#include <stdlib.h>

static int sk__tmr_before(const sk_timer *a, const sk_timer *b)
{
    return a->due_us < b->due_us ||
           (a->due_us == b->due_us && a->seq < b->seq);
}

static void sk__tmr_put(sk_loop *loop, size_t i, sk_timer *t)
{
    loop->heap[i] = t;
    t->heap = i;
}

static void sk__tmr_up(sk_loop *loop, size_t i)
{
    sk_timer *t = loop->heap[i];
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!sk__tmr_before(t, loop->heap[parent]))
            break;
        sk__tmr_put(loop, i, loop->heap[parent]);
        i = parent;
    }
    sk__tmr_put(loop, i, t);
}

static void sk__tmr_down(sk_loop *loop, size_t i)
{
    sk_timer *t = loop->heap[i];
    size_t n = loop->nheap;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && sk__tmr_before(loop->heap[c + 1], loop->heap[c]))
            c++;
        if (!sk__tmr_before(loop->heap[c], t))
            break;
        sk__tmr_put(loop, i, loop->heap[c]);
        i = c;
    }
    sk__tmr_put(loop, i, t);
}

/* Take a started timer out of the heap. */
static void sk__tmr_remove(sk_timer *t)
{
    sk_loop *loop = t->loop;
    size_t i = t->heap;
    sk_timer *last;
    if (i == SK__NOHEAP)
        return;
    t->heap = SK__NOHEAP;
    last = loop->heap[--loop->nheap];
    if (last == t)
        return;
    sk__tmr_put(loop, i, last);
    if (i > 0 && sk__tmr_before(last, loop->heap[(i - 1) / 2]))
        sk__tmr_up(loop, i);
    else
        sk__tmr_down(loop, i);
}

/* Put a timer whose due_us is set into the heap (room is reserved by
 * sk_timer_new, so this cannot fail). */
static void sk__tmr_insert(sk_timer *t)
{
    sk_loop *loop = t->loop;
    t->seq = loop->seq++;
    loop->heap[loop->nheap] = t;
    t->heap = loop->nheap++;
    sk__tmr_up(loop, t->heap);
}

SK_API int sk_timer_new(sk_loop *loop, sk_timer **out)
{
    sk_timer *t;
    if (out != NULL)
        *out = NULL;
    if (loop == NULL || out == NULL)
        return SK_EINVAL;
    /* Every timer may be started at once: reserve its heap slot now, so
     * that starting (possibly from a callback) never needs memory. */
    if (loop->ntimers + 1 > loop->heapcap) {
        size_t cap = loop->heapcap ? loop->heapcap * 2 : 16;
        sk_timer **h;
        if (cap > ((size_t)-1) / sizeof *h)
            return SK_ENORESOURCES;
        h = (sk_timer **)sk__realloc(loop->heap, cap * sizeof *h);
        if (h == NULL)
            return SK_ENORESOURCES;
        loop->heap = h;
        loop->heapcap = cap;
    }
    t = (sk_timer *)sk__calloc(1, sizeof *t);
    if (t == NULL)
        return SK_ENORESOURCES;
    t->loop = loop;
    t->heap = SK__NOHEAP;
    t->next = loop->timers;
    if (t->next != NULL)
        t->next->prev = t;
    loop->timers = t;
    loop->ntimers++;
    *out = t;
    return 0;
}

/* after or repeat under the API's timeout rule (sk__timeout_ms): *us -1
 * for no limit, else microseconds.  Returns 0 or SK_EINVAL. */
static int sk__tmr_us(double s, int64_t *us)
{
    int64_t ms;
    int r = sk__timeout_ms(s, &ms); /* NaN, finite > 1e9 s: SK_EINVAL */
    if (r != 0)
        return r;
    *us = ms < 0 ? -1 : (int64_t)(s * 1e6 + 0.5);
    return 0;
}

SK_API int sk_timer_start(sk_timer *t, double after, double repeat,
                          sk_timer_cb cb, void *ud)
{
    int64_t after_us = -1, repeat_us = -1;
    if (t == NULL || cb == NULL || sk__tmr_us(after, &after_us) != 0 ||
        sk__tmr_us(repeat, &repeat_us) != 0)
        return SK_EINVAL;
    sk__tmr_remove(t);
    t->cb = cb;
    t->ud = ud;
    if (after_us < 0) /* no limit: it would never fire; left stopped */
        return 0;
    if (repeat_us < 0) /* a period without limit: no repeat */
        repeat_us = 0;
    else if (repeat > 0 && repeat_us == 0)
        repeat_us = 1; /* a period shorter than the clock's unit */
    t->repeat_us = repeat_us;
    t->due_us = sk__plat_now_us() + after_us;
    sk__tmr_insert(t);
    return 0;
}

SK_API int sk_timer_stop(sk_timer *t)
{
    if (t == NULL)
        return SK_EINVAL;
    sk__tmr_remove(t);
    return 0;
}

static void sk__tmr_unlink(sk_timer *t)
{
    if (t->prev != NULL)
        t->prev->next = t->next;
    else
        t->loop->timers = t->next;
    if (t->next != NULL)
        t->next->prev = t->prev;
    t->loop->ntimers--;
}

SK_API void sk_timer_free(sk_timer *t)
{
    if (t == NULL)
        return;
    /* Safe from any callback: the run loop never touches a timer after
     * calling its callback, and a stopped timer is nowhere else. */
    sk__tmr_remove(t);
    sk__tmr_unlink(t);
    sk__free(t);
}

int64_t sk__timers_next(const sk_loop *loop)
{
    return loop->nheap > 0 ? loop->heap[0]->due_us : -1;
}

void sk__timers_run(sk_loop *loop, int64_t now_us)
{
    /* Timers started (or restarted) by these callbacks get a sequence
     * number from limit on and wait for the next iteration, so a callback
     * that restarts its timer with 0 cannot keep this loop going. */
    uint64_t limit = loop->seq;
    while (loop->nheap > 0) {
        sk_timer *t = loop->heap[0];
        if (t->due_us > now_us || t->seq >= limit)
            break;
        sk__tmr_remove(t);
        if (t->repeat_us > 0) {
            /* The next deadline in phase with the first that is after
             * now: late callbacks do not push the later ones back, and
             * periods missed entirely are skipped, not run in a burst. */
            int64_t periods = (now_us - t->due_us) / t->repeat_us + 1;
            t->due_us += periods * t->repeat_us;
            sk__tmr_insert(t);
        }
        /* Nothing touches t after this call: the callback may free it. */
        t->cb(t, t->ud);
    }
}

void sk__timers_release(sk_loop *loop)
{
    while (loop->timers != NULL) {
        sk_timer *t = loop->timers;
        loop->timers = t->next;
        sk__free(t);
    }
    sk__free(loop->heap);
    loop->heap = NULL;
    loop->nheap = loop->heapcap = loop->ntimers = 0;
}
