/* SPDX-License-Identifier: MIT */
/*
 * test_loop.c - the event loop (sk_loop, sk_timer, sk_watch) on every
 * backend this system has (uring, epoll and poll on Linux, select on
 * Windows and Wine): timers (one-shot, repeating, order, stop / restart,
 * freed from callbacks), watches (readable, writable, paused, buffered bytes first,
 * freed from callbacks, errors and hang-ups as each system reports them,
 * closed objects), posts and wakes from another thread, stop, the run
 * modes, and an echo of 1,000 concurrent loopback connections driven
 * entirely by the loop.  Every run is bounded by a guard timer that fails
 * the test; nothing sleeps to synchronise.
 */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GUARD_S 30.0 /* a test still running after this has failed */


/* ---- helpers ----------------------------------------------------------- */

static void guard_fired(sk_timer *t, void *ud)
{
    (void)t;
    fail_msg("guard timer: %s did not finish within %g s", (const char *)ud,
             GUARD_S);
}

/* A timer that fails the test when it fires; free it at the end. */
static sk_timer *guard_start(sk_loop *loop, const char *what)
{
    sk_timer *t = NULL;
    sup_assert_rc(sk_timer_new(loop, &t), 0);
    sup_assert_rc(sk_timer_start(t, GUARD_S, 0, guard_fired, (void *)what),
                  0);
    return t;
}

static sk_loop *loop_new(const char *backend)
{
    sk_loop *loop = NULL;
    sup_assert_rc(sk_loop_new_backend(&loop, backend), 0);
    assert_non_null(loop);
    assert_string_equal(sk_loop_backend(loop), backend);
    return loop;
}

/* ---- backends ---------------------------------------------------------- */

#if defined(__linux__)
/* 1 when this kernel gives a uring loop (by name; the default too where
 * the kernel is new enough: sup_loop_default), 0 when it refuses
 * io_uring or the build has none. */
static int uring_here(void)
{
    sk_loop *loop = NULL;
    int r = sk_loop_new_backend(&loop, "uring");
    sk_loop_free(loop);
    if (r != 0)
        print_message("uring: %s here\n", sk_errname(r));
    return r == 0;
}
#endif

static void t_backends(void **state)
{
    sk_loop *loop = NULL;
    size_t i;
    (void)state;
    sup_assert_rc(sk_loop_new(&loop), 0);
#if defined(_WIN32)
    assert_string_equal(sk_loop_backend(loop), "select");
#elif defined(__linux__)
    /* uring where the kernel has all its completions need, else epoll */
    assert_string_equal(sk_loop_backend(loop), sup_loop_default());
#endif
    print_message("default backend: %s\n", sk_loop_backend(loop));
    /* Nothing to wait for: every mode returns at once. */
    sup_assert_rc(sk_loop_run(loop, SK_RUN_DEFAULT), 0);
    sup_assert_rc(sk_loop_run(loop, SK_RUN_NOWAIT), 0);
    sup_assert_rc(sk_loop_run(loop, 3), SK_EINVAL);
    sup_assert_rc(sk_loop_run(loop, -1), SK_EINVAL);
    sk_loop_free(loop);

    for (i = 0; i < SUP_NBACKENDS; i++) {
        int r = sk_loop_new_backend(&loop, sup_backends[i]);
        print_message("backend %s: %s\n", sup_backends[i], sk_errname(r));
#if defined(_WIN32)
        sup_assert_rc(r, strcmp(sup_backends[i], "select") == 0
                             ? 0 : SK_EUNSUPPORTED);
#elif defined(__linux__)
        if (strcmp(sup_backends[i], "uring") == 0)
            sup_assert_rc(r, uring_here() ? 0 : SK_EUNSUPPORTED);
        else
            sup_assert_rc(r, strcmp(sup_backends[i], "epoll") == 0 ||
                                     strcmp(sup_backends[i], "poll") == 0
                                 ? 0 : SK_EUNSUPPORTED);
#endif
        if (r == 0)
            sk_loop_free(loop);
        else
            assert_null(loop);
    }
    loop = (sk_loop *)&loop; /* overwritten on failure */
    sup_assert_rc(sk_loop_new_backend(&loop, "EPOLL"), SK_EINVAL);
    assert_null(loop);
    sup_assert_rc(sk_loop_new_backend(&loop, ""), SK_EINVAL);
    sup_assert_rc(sk_loop_new_backend(&loop, NULL), SK_EINVAL);
}

/* ---- timers ------------------------------------------------------------ */

typedef struct tstate {
    sk_loop *loop;
    int count;
    int limit;           /* repeat: stop after this many */
    double at[16];       /* sk_loop_now at each firing */
    char order[16];
    size_t norder;
    char name;
    struct tstate *other; /* a timer to free, or NULL */
    sk_timer *self;
    sk_timer *victim;
} tstate;

static void on_oneshot(sk_timer *t, void *ud)
{
    tstate *s = (tstate *)ud;
    (void)t;
    if (s->count < 16)
        s->at[s->count] = sk_loop_now(s->loop);
    s->count++;
}

static void run_timer_oneshot(const char *backend)
{
    sk_loop *loop = loop_new(backend);
    sk_timer *t = NULL;
    tstate s;
    double start;
    memset(&s, 0, sizeof s);
    s.loop = loop;
    sup_assert_rc(sk_timer_new(loop, &t), 0);
    start = sk_loop_now(loop);
    sup_assert_rc(sk_timer_start(t, 0.02, 0, on_oneshot, &s), 0);
    /* The only thing alive: DEFAULT runs until it has fired, then returns
     * because nothing is left. */
    sup_assert_rc(sk_loop_run(loop, SK_RUN_DEFAULT), 0);
    assert_int_equal(s.count, 1);
    assert_true(s.at[0] - start >= 0.02); /* never early */
    sup_assert_rc(sk_loop_run(loop, SK_RUN_DEFAULT), 0);
    assert_int_equal(s.count, 1);
    /* Restart after it fired. */
    sup_assert_rc(sk_timer_start(t, 0, 0, on_oneshot, &s), 0);
    sup_assert_rc(sk_loop_run(loop, SK_RUN_DEFAULT), 0);
    assert_int_equal(s.count, 2);
    sk_timer_free(t);
    sk_loop_free(loop);
}

static void t_timer_oneshot(void **state)
{
    (void)state;
    sup_each_backend(run_timer_oneshot);
}

static void on_repeat(sk_timer *t, void *ud)
{
    tstate *s = (tstate *)ud;
    if (s->count < 16)
        s->at[s->count] = sk_loop_now(s->loop);
    s->count++;
    if (s->count == s->limit)
        sup_assert_rc(sk_timer_stop(t), 0);
}

static void run_timer_repeat(const char *backend)
{
    sk_loop *loop = loop_new(backend);
    sk_timer *t = NULL, *guard = guard_start(loop, "repeat");
    tstate s;
    double start;
    int i;
    memset(&s, 0, sizeof s);
    s.loop = loop;
    s.limit = 5;
    sup_assert_rc(sk_timer_new(loop, &t), 0);
    start = sk_loop_now(loop);
    sup_assert_rc(sk_timer_start(t, 0.01, 0.005, on_repeat, &s), 0);
    /* The guard keeps DEFAULT alive: run ONCE until the repeats are done
     * (each iteration fires it at most once). */
    for (i = 0; i < 100000 && s.count < s.limit; i++)
        sup_assert_rc(sk_loop_run(loop, SK_RUN_ONCE), 0);
    assert_int_equal(s.count, 5);
    /* Deadline n is the first plus n - 1 periods: none fired early. */
    for (i = 0; i < 5; i++)
        assert_true(s.at[i] - start >= 0.01 + 0.005 * i - 1e-6);
    /* Stopped from its callback: nothing more, even after a wait. */
    sk_timer_free(guard);
    sup_assert_rc(sk_loop_run(loop, SK_RUN_DEFAULT), 0);
    assert_int_equal(s.count, 5);
    sk_timer_free(t);
    sk_loop_free(loop);
}

static void t_timer_repeat(void **state)
{
    (void)state;
    sup_each_backend(run_timer_repeat);
}

static void on_order(sk_timer *t, void *ud)
{
    tstate *s = (tstate *)ud;
    tstate *shared = s->other;
    (void)t;
    shared->order[shared->norder++] = s->name;
}

static void run_timer_order(const char *backend)
{
    sk_loop *loop = loop_new(backend);
    static const double after[5] = {0.03, 0.01, 0.02, 0.01, 0};
    sk_timer *t[5];
    tstate s[5], shared;
    int i;
    memset(&shared, 0, sizeof shared);
    for (i = 0; i < 5; i++) {
        memset(&s[i], 0, sizeof s[i]);
        s[i].name = (char)('a' + i);
        s[i].other = &shared;
        sup_assert_rc(sk_timer_new(loop, &t[i]), 0);
    }
    for (i = 0; i < 5; i++)
        sup_assert_rc(sk_timer_start(t[i], after[i], 0, on_order, &s[i]), 0);
    sup_assert_rc(sk_loop_run(loop, SK_RUN_DEFAULT), 0);
    /* Deadline order; b and d have the same delay: start order. */
    assert_int_equal(shared.norder, 5);
    assert_memory_equal(shared.order, "ebdca", 5);
    for (i = 0; i < 5; i++)
        sk_timer_free(t[i]);
    sk_loop_free(loop);
}

static void t_timer_order(void **state)
{
    (void)state;
    sup_each_backend(run_timer_order);
}

static void on_never(sk_timer *t, void *ud)
{
    (void)t;
    (void)ud;
    fail_msg("a stopped or freed timer fired");
}

static void run_timer_stop_restart(const char *backend)
{
    sk_loop *loop = loop_new(backend);
    sk_timer *a = NULL, *b = NULL, *guard = guard_start(loop, "restart");
    tstate s;
    memset(&s, 0, sizeof s);
    s.loop = loop;
    sup_assert_rc(sk_timer_new(loop, &a), 0);
    sup_assert_rc(sk_timer_new(loop, &b), 0);
    sup_assert_rc(sk_timer_stop(a), 0); /* never started: fine */
    /* Started then stopped: never fires. */
    sup_assert_rc(sk_timer_start(b, 0, 0, on_never, NULL), 0);
    sup_assert_rc(sk_timer_stop(b), 0);
    sup_assert_rc(sk_timer_stop(b), 0);
    /* A far deadline restarted to a near one, with another callback: the
     * new values count, the old callback never runs. */
    sup_assert_rc(sk_timer_start(a, 1000, 0, on_never, NULL), 0);
    sup_assert_rc(sk_timer_start(a, 0.001, 0, on_oneshot, &s), 0);
    while (s.count == 0)
        sup_assert_rc(sk_loop_run(loop, SK_RUN_ONCE), 0);
    assert_int_equal(s.count, 1);
    /* A stopped repeating timer restarted as a one-shot. */
    sup_assert_rc(sk_timer_start(b, 0, 0.001, on_never, NULL), 0);
    sup_assert_rc(sk_timer_start(b, 0, 0, on_oneshot, &s), 0);
    while (s.count == 1)
        sup_assert_rc(sk_loop_run(loop, SK_RUN_ONCE), 0);
    assert_int_equal(s.count, 2);
    sk_timer_free(guard);
    sup_assert_rc(sk_loop_run(loop, SK_RUN_DEFAULT), 0);
    assert_int_equal(s.count, 2);
    sk_timer_free(a);
    sk_timer_free(b);
    sk_loop_free(loop);
}

static void t_timer_stop_restart(void **state)
{
    (void)state;
    sup_each_backend(run_timer_stop_restart);
}

/* Frees itself (a repeating timer, which would fire again). */
static void on_free_self(sk_timer *t, void *ud)
{
    tstate *s = (tstate *)ud;
    s->count++;
    sk_timer_free(t);
}

/* Frees another timer due in the same iteration. */
static void on_free_other(sk_timer *t, void *ud)
{
    tstate *s = (tstate *)ud;
    (void)t;
    s->count++;
    sk_timer_free(s->victim);
    s->victim = NULL;
}

/* Restarts itself with 0: must wait for the next iteration. */
static void on_restart_zero(sk_timer *t, void *ud)
{
    tstate *s = (tstate *)ud;
    s->count++;
    if (s->count < 3)
        sup_assert_rc(sk_timer_start(t, 0, 0, on_restart_zero, s), 0);
}

static void run_timer_free_in_callback(const char *backend)
{
    sk_loop *loop = loop_new(backend);
    sk_timer *self = NULL, *killer = NULL, *victim = NULL, *z = NULL;
    tstate s1, s2, s3;
    memset(&s1, 0, sizeof s1);
    memset(&s2, 0, sizeof s2);
    memset(&s3, 0, sizeof s3);
    sup_assert_rc(sk_timer_new(loop, &self), 0);
    sup_assert_rc(sk_timer_new(loop, &killer), 0);
    sup_assert_rc(sk_timer_new(loop, &victim), 0);
    sup_assert_rc(sk_timer_new(loop, &z), 0);
    sup_assert_rc(sk_timer_start(self, 0, 0.001, on_free_self, &s1), 0);
    /* killer and victim are both due at once; killer was started first. */
    sup_assert_rc(sk_timer_start(killer, 0, 0, on_free_other, &s2), 0);
    sup_assert_rc(sk_timer_start(victim, 0, 0, on_never, NULL), 0);
    s2.victim = victim;
    sup_assert_rc(sk_timer_start(z, 0, 0, on_restart_zero, &s3), 0);
    sup_assert_rc(sk_loop_run(loop, SK_RUN_NOWAIT), 0);
    assert_int_equal(s1.count, 1);
    assert_int_equal(s2.count, 1);
    assert_null(s2.victim);
    assert_int_equal(s3.count, 1); /* the restart waits an iteration */
    sup_assert_rc(sk_loop_run(loop, SK_RUN_DEFAULT), 0);
    assert_int_equal(s1.count, 1);
    assert_int_equal(s3.count, 3);
    sk_timer_free(killer);
    sk_timer_free(z);
    sk_loop_free(loop);
}

static void t_timer_free_in_callback(void **state)
{
    (void)state;
    sup_each_backend(run_timer_free_in_callback);
}

/* ---- watches ----------------------------------------------------------- */

typedef struct wstate {
    sk_loop *loop;
    sk_sock *s;
    sk_watch *w;
    int calls;
    int events[8];
    char got[64];
    size_t ngot;
    int read_lines;     /* read one SK_LINE per callback */
    int stop;           /* sk_loop_stop after each callback */
    struct wstate *other;
    int free_other;
    int free_self;
} wstate;

static void on_watch(sk_watch *w, int events, void *ud)
{
    wstate *x = (wstate *)ud;
    assert_ptr_equal(w, x->w);
    assert_int_not_equal(events, 0);
    if (x->calls < 8)
        x->events[x->calls] = events;
    x->calls++;
    if (x->read_lines && (events & SK_READABLE)) {
        sk_buf b = {NULL, 0, 0};
        int r = sk_receive(x->s, &b, SK_LINE, 0);
        if (r == 0) {
            assert_true(x->ngot + b.len + 1 < sizeof x->got);
            memcpy(x->got + x->ngot, b.data, b.len);
            x->ngot += b.len;
            x->got[x->ngot++] = '|';
        } else {
            sup_assert_rc(r, SK_EWOULDBLOCK);
        }
        sk_buf_free(&b);
    } else if (events & SK_READABLE) {
        size_t got = 0;
        int r = sk_read(x->s, x->got + x->ngot, sizeof x->got - x->ngot,
                        &got);
        if (r == 0)
            x->ngot += got;
    }
    if (x->free_other && x->other != NULL && x->other->w != NULL) {
        sk_watch_free(x->other->w);
        x->other->w = NULL;
    }
    if (x->free_self) {
        sk_watch_free(w);
        x->w = NULL;
    }
    if (x->stop)
        sup_assert_rc(sk_loop_stop(x->loop), 0);
}

static void run_watch_readable(const char *backend)
{
    sk_loop *loop = loop_new(backend);
    sk_sock *a = NULL, *b = NULL;
    sk_timer *guard = guard_start(loop, "readable");
    wstate x;
    memset(&x, 0, sizeof x);
    sup_nb_pair(&a, &b);
    x.loop = loop;
    x.s = b;
    x.stop = 1;
    sup_assert_rc(sk_watch_new(loop, b, on_watch, &x, &x.w), 0);
    sup_assert_rc(sk_watch_set(x.w, SK_READABLE), 0);
    /* Nothing to read: no callback. */
    sup_assert_rc(sk_loop_run(loop, SK_RUN_NOWAIT), 0);
    assert_int_equal(x.calls, 0);
    sup_send_str(a, "hello");
    while (x.ngot < 5)
        sup_assert_rc(sk_loop_run(loop, SK_RUN_DEFAULT), 0);
    assert_memory_equal(x.got, "hello", 5);
    assert_int_equal(x.events[0], SK_READABLE);
    sk_watch_free(x.w);
    sk_timer_free(guard);
    sk_free(a);
    sk_free(b);
    sk_loop_free(loop);
}

static void t_watch_readable(void **state)
{
    (void)state;
    sup_each_backend(run_watch_readable);
}

static void run_watch_writable(const char *backend)
{
    sk_loop *loop = loop_new(backend);
    sk_sock *a = NULL, *b = NULL;
    sk_timer *guard = guard_start(loop, "writable");
    wstate x;
    memset(&x, 0, sizeof x);
    sup_nb_pair(&a, &b);
    x.loop = loop;
    x.s = a;
    x.stop = 1;
    sup_assert_rc(sk_watch_new(loop, a, on_watch, &x, &x.w), 0);
    sup_assert_rc(sk_watch_set(x.w, SK_READABLE | SK_WRITABLE), 0);
    sup_assert_rc(sk_loop_run(loop, SK_RUN_DEFAULT), 0);
    assert_int_equal(x.calls, 1);
    assert_int_equal(x.events[0], SK_WRITABLE);
    sk_watch_free(x.w);
    sk_timer_free(guard);
    sk_free(a);
    sk_free(b);
    sk_loop_free(loop);
}

static void t_watch_writable(void **state)
{
    (void)state;
    sup_each_backend(run_watch_writable);
}

static void run_watch_paused(const char *backend)
{
    sk_loop *loop = loop_new(backend);
    sk_sock *a = NULL, *b = NULL;
    sk_timer *guard;
    wstate x;
    int i;
    memset(&x, 0, sizeof x);
    sup_nb_pair(&a, &b);
    x.loop = loop;
    x.s = b;
    x.stop = 1;
    sup_assert_rc(sk_watch_new(loop, b, on_watch, &x, &x.w), 0);
    /* No interest yet, then paused: neither keeps DEFAULT running. */
    sup_assert_rc(sk_loop_run(loop, SK_RUN_DEFAULT), 0);
    sup_assert_rc(sk_watch_set(x.w, SK_READABLE), 0);
    sup_assert_rc(sk_watch_set(x.w, 0), 0);
    sup_assert_rc(sk_watch_set(x.w, 0), 0);
    sup_assert_rc(sk_loop_run(loop, SK_RUN_DEFAULT), 0);
    sup_send_str(a, "xy");
    sup_wait_readable(b); /* the bytes are there */
    for (i = 0; i < 3; i++)
        sup_assert_rc(sk_loop_run(loop, SK_RUN_NOWAIT), 0);
    assert_int_equal(x.calls, 0);
    guard = guard_start(loop, "paused");
    sup_assert_rc(sk_watch_set(x.w, SK_READABLE), 0);
    sup_assert_rc(sk_loop_run(loop, SK_RUN_DEFAULT), 0);
    assert_int_equal(x.calls, 1);
    assert_int_equal(x.events[0], SK_READABLE);
    assert_int_equal(x.ngot, 2);
    /* Paused from inside a callback: readiness already seen in the same
     * iteration is dropped. */
    sk_timer_free(guard);
    sk_watch_free(x.w);
    sk_free(a);
    sk_free(b);
    sk_loop_free(loop);
}

static void t_watch_paused(void **state)
{
    (void)state;
    sup_each_backend(run_watch_paused);
}

/* Bytes that sockit buffered (sk_dirty) are readable with nothing new
 * from the OS: set up before the watch, and left by a callback. */
static void run_watch_dirty_first(const char *backend)
{
    sk_loop *loop = loop_new(backend);
    sk_sock *a = NULL, *b = NULL;
    sk_buf line = {NULL, 0, 0};
    wstate x;
    int i;
    memset(&x, 0, sizeof x);
    sup_nb_pair(&a, &b);
    x.loop = loop;
    x.s = b;
    x.read_lines = 1;
    sup_send_str(a, "one\ntwo\n");
    sup_wait_readable(b);
    sup_assert_rc(sk_setblocking(b, 1), 0);
    sup_assert_rc(sk_receive(b, &line, SK_LINE, 0), 0);
    sup_assert_bufstr(&line, "one");
    sk_buf_free(&line);
    sup_assert_rc(sk_setblocking(b, 0), 0);
    assert_int_equal(sk_dirty(b), 1);
    sup_assert_rc(sk_watch_new(loop, b, on_watch, &x, &x.w), 0);
    sup_assert_rc(sk_watch_set(x.w, SK_READABLE), 0);
    sup_assert_rc(sk_loop_run(loop, SK_RUN_NOWAIT), 0);
    assert_int_equal(x.calls, 1);
    assert_int_equal(x.events[0], SK_READABLE);
    assert_int_equal(sk_dirty(b), 0);
    sup_assert_rc(sk_loop_run(loop, SK_RUN_NOWAIT), 0);
    assert_int_equal(x.calls, 1);

    /* Three lines in one segment; the callback reads one line each time,
     * so the second and third come from the buffer, not the OS. */
    sup_send_str(a, "3\n4\n5\n");
    sup_wait_readable(b);
    for (i = 0; i < 10 && x.calls < 4; i++)
        sup_assert_rc(sk_loop_run(loop, SK_RUN_NOWAIT), 0);
    assert_int_equal(x.calls, 4);
    x.got[x.ngot] = '\0';
    assert_string_equal(x.got, "two|3|4|5|");
    assert_int_equal(sk_dirty(b), 0);
    sup_assert_rc(sk_loop_run(loop, SK_RUN_NOWAIT), 0);
    assert_int_equal(x.calls, 4);
    /* Buffered bytes but no readable interest: nothing. */
    sup_send_str(a, "6\n7\n");
    sup_wait_readable(b);
    sup_assert_rc(sk_setblocking(b, 1), 0);
    sup_assert_rc(sk_receive(b, &line, SK_LINE, 0), 0);
    sup_assert_rc(sk_setblocking(b, 0), 0);
    sk_buf_free(&line);
    assert_int_equal(sk_dirty(b), 1);
    sup_assert_rc(sk_watch_set(x.w, SK_WRITABLE), 0);
    x.calls = 0;
    sup_assert_rc(sk_loop_run(loop, SK_RUN_NOWAIT), 0);
    assert_int_equal(x.calls, 1);
    assert_int_equal(x.events[0], SK_WRITABLE);
    sk_watch_free(x.w);
    sk_free(a);
    sk_free(b);
    sk_loop_free(loop);
}

static void t_watch_dirty_first(void **state)
{
    (void)state;
    sup_each_backend(run_watch_dirty_first);
}

/* More watches holding buffered bytes than one wait's array holds (epoll
 * and uring hand back at most 1,024 entries, and the loop's array holds no
 * more): each is called once, in the same iteration (the dispatch gathers
 * them into the array in rounds). */
#if !defined(_WIN32)
#define MANY_DIRTY 1100
static sk_sock *many_a[MANY_DIRTY], *many_b[MANY_DIRTY];
static sk_watch *many_w[MANY_DIRTY];
static int many_calls[MANY_DIRTY];

static void on_many(sk_watch *w, int events, void *ud)
{
    int *calls = (int *)ud;
    (void)w;
    assert_int_equal(events, SK_READABLE);
    (*calls)++;
}

static void run_watch_many_dirty(const char *backend)
{
    sk_loop *loop;
    sk_buf line = {NULL, 0, 0};
    int i, total = 0;
    if (sup_fd_capacity() < 2 * MANY_DIRTY + 64) {
        print_message("%s: skipped: fewer than %d descriptors allowed\n",
                      backend, 2 * MANY_DIRTY + 64);
        return;
    }
    loop = loop_new(backend);
    for (i = 0; i < MANY_DIRTY; i++) {
        sup_nb_pair(&many_a[i], &many_b[i]);
        sup_send_str(many_a[i], "x\ny\n");
    }
    for (i = 0; i < MANY_DIRTY; i++) {
        sup_wait_readable(many_b[i]);
        sup_assert_rc(sk_setblocking(many_b[i], 1), 0);
        sup_assert_rc(sk_receive(many_b[i], &line, SK_LINE, 0), 0);
        sup_assert_rc(sk_setblocking(many_b[i], 0), 0);
        line.len = 0;
        assert_int_equal(sk_dirty(many_b[i]), 1); /* "y" is buffered */
        many_calls[i] = 0;
        sup_assert_rc(sk_watch_new(loop, many_b[i], on_many, &many_calls[i],
                                   &many_w[i]),
                      0);
        sup_assert_rc(sk_watch_set(many_w[i], SK_READABLE), 0);
    }
    sup_assert_rc(sk_loop_run(loop, SK_RUN_NOWAIT), 0);
    for (i = 0; i < MANY_DIRTY; i++) {
        assert_int_equal(many_calls[i], 1);
        total += many_calls[i];
    }
    print_message("%s: %d watches with buffered bytes, %d callbacks in one "
                  "iteration\n",
                  backend, MANY_DIRTY, total);
    for (i = 0; i < MANY_DIRTY; i++) {
        sk_watch_free(many_w[i]);
        sk_free(many_a[i]);
        sk_free(many_b[i]);
    }
    sk_buf_free(&line);
    sk_loop_free(loop);
}
#endif

static void t_watch_many_dirty(void **state)
{
    (void)state;
#if defined(_WIN32)
    print_message("skipped: Windows' select backend holds an entry per "
                  "socket in its wait's array (no rounds to test), and "
                  "2,200 sockets under Wine take minutes\n");
    skip();
#else
    sup_each_backend(run_watch_many_dirty);
#endif
}

/* Two watches ready in one iteration: whichever runs first frees the
 * other, which then gets no callback; a watch frees itself and its
 * object is watched again from the same callback. */
static void on_free_rewatch(sk_watch *w, int events, void *ud)
{
    wstate *x = (wstate *)ud;
    (void)events;
    x->calls++;
    sk_watch_free(w);
    x->w = NULL;
    sup_assert_rc(sk_watch_new(x->loop, x->s, on_watch, x, &x->w), 0);
}

static void run_watch_free_in_callback(const char *backend)
{
    sk_loop *loop = loop_new(backend);
    sk_sock *a1 = NULL, *b1 = NULL, *a2 = NULL, *b2 = NULL;
    sk_timer *guard = guard_start(loop, "free in callback");
    wstate x1, x2;
    memset(&x1, 0, sizeof x1);
    memset(&x2, 0, sizeof x2);
    sup_nb_pair(&a1, &b1);
    sup_nb_pair(&a2, &b2);
    x1.loop = x2.loop = loop;
    x1.s = b1;
    x2.s = b2;
    x1.other = &x2;
    x2.other = &x1;
    x1.free_other = x2.free_other = 1;
    sup_assert_rc(sk_watch_new(loop, b1, on_watch, &x1, &x1.w), 0);
    sup_assert_rc(sk_watch_new(loop, b2, on_watch, &x2, &x2.w), 0);
    sup_assert_rc(sk_watch_set(x1.w, SK_READABLE), 0);
    sup_assert_rc(sk_watch_set(x2.w, SK_READABLE), 0);
    sup_send_str(a1, "1");
    sup_send_str(a2, "2");
    sup_wait_readable(b1);
    sup_wait_readable(b2);
    sup_assert_rc(sk_loop_run(loop, SK_RUN_NOWAIT), 0);
    assert_int_equal(x1.calls + x2.calls, 1);
    assert_true((x1.w == NULL) != (x2.w == NULL));
    if (x1.w != NULL)
        sk_watch_free(x1.w);
    if (x2.w != NULL)
        sk_watch_free(x2.w);

    /* Free itself, then watch the same object again from the callback. */
    memset(&x1, 0, sizeof x1);
    x1.loop = loop;
    x1.s = b1;
    x1.stop = 1;
    sup_send_str(a1, "r");
    sup_wait_readable(b1);
    sup_assert_rc(sk_watch_new(loop, b1, on_free_rewatch, &x1, &x1.w), 0);
    /* One watch per object. */
    {
        sk_watch *w2 = (sk_watch *)&x2;
        sup_assert_rc(sk_watch_new(loop, b1, on_watch, &x2, &w2),
                      SK_EINVAL);
        assert_null(w2);
    }
    sup_assert_rc(sk_watch_set(x1.w, SK_READABLE), 0);
    sup_assert_rc(sk_loop_run(loop, SK_RUN_NOWAIT), 0);
    assert_int_equal(x1.calls, 1);
    assert_non_null(x1.w);
    sup_assert_rc(sk_watch_set(x1.w, SK_READABLE), 0);
    sup_assert_rc(sk_loop_run(loop, SK_RUN_DEFAULT), 0); /* on_watch stops */
    assert_int_equal(x1.calls, 2);
    assert_true(x1.ngot >= 1); /* "1" too, if x2's callback ran first */
    assert_int_equal(x1.got[x1.ngot - 1], 'r');
    sk_watch_free(x1.w);
    sk_timer_free(guard);
    sk_free(a1);
    sk_free(b1);
    sk_free(a2);
    sk_free(b2);
    sk_loop_free(loop);
}

static void t_watch_free_in_callback(void **state)
{
    (void)state;
    sup_each_backend(run_watch_free_in_callback);
}

/* Run until x has a callback (guarded). */
static void run_until_called(sk_loop *loop, wstate *x, const char *what)
{
    sk_timer *guard = guard_start(loop, what);
    x->stop = 1;
    while (x->calls == 0)
        sup_assert_rc(sk_loop_run(loop, SK_RUN_DEFAULT), 0);
    sk_timer_free(guard);
}

static int is_select(const char *backend)
{
    return strcmp(backend, "select") == 0;
}

static void run_watch_errored(const char *backend)
{
    sk_loop *loop = loop_new(backend);
    sk_sock *a = NULL, *b = NULL, *srv = NULL, *c = NULL;
    char buf[8];
    size_t got = 0;
    wstate x;
    int port = 0, r;

    /* A reset peer (linger 0 then close). */
    memset(&x, 0, sizeof x);
    sup_nb_pair(&a, &b);
    x.loop = loop;
    x.s = NULL; /* do not read in the callback */
    sup_assert_rc(sk_watch_new(loop, b, on_watch, &x, &x.w), 0);
    sup_assert_rc(sk_watch_set(x.w, SK_READABLE), 0);
    sup_assert_rc(sk_setoption(a, SK_OPT_LINGER, 0), 0);
    sk_free(a);
    run_until_called(loop, &x, "reset");
    print_message("%s: reset peer gives events %d\n", backend, x.events[0]);
    if (is_select(backend))
        assert_int_equal(x.events[0], SK_READABLE); /* no hang-up bit */
    else
        assert_int_equal(x.events[0], SK_READABLE | SK_ERRORED);
    r = sk_read(b, buf, sizeof buf, &got);
#if defined(_WIN32)
    if (r == SK_ECLOSED) /* Wine reports the reset as a clean close */
        print_message("%s: the reset reads as SK_ECLOSED\n", backend);
    else
#endif
        sup_assert_rc(r, SK_ECONNRESET);
    sk_watch_free(x.w);
    sk_free(b);

    /* The peer's orderly close: readable (end of stream), no error. */
    memset(&x, 0, sizeof x);
    sup_nb_pair(&a, &b);
    x.loop = loop;
    sup_assert_rc(sk_watch_new(loop, b, on_watch, &x, &x.w), 0);
    sup_assert_rc(sk_watch_set(x.w, SK_READABLE), 0);
    sk_free(a);
    run_until_called(loop, &x, "close");
    assert_int_equal(x.events[0], SK_READABLE);
    sup_assert_rc(sk_read(b, buf, sizeof buf, &got), SK_ECLOSED);
    /* Both directions closed: a hang-up where the system reports one. */
    sup_assert_rc(sk_shutdown(b, SK_SHUT_SEND), 0);
    x.calls = 0;
    run_until_called(loop, &x, "hang-up");
    print_message("%s: hang-up gives events %d\n", backend, x.events[0]);
    /* kqueue's read filter says end of stream (EV_EOF) and no error. */
    if (is_select(backend) || strcmp(backend, "kqueue") == 0)
        assert_int_equal(x.events[0], SK_READABLE);
    else
        assert_int_equal(x.events[0], SK_READABLE | SK_ERRORED);
    sk_watch_free(x.w);
    sk_free(b);

    /* A refused connect, watched for writing. */
    sup_listen4(&srv, &port, 1);
    sk_free(srv); /* nobody listens on port now */
    sup_assert_rc(sk_tcp4(&c), 0);
    sup_assert_rc(sk_setblocking(c, 0), 0);
    r = sk_connect(c, "127.0.0.1", port);
    if (r == SK_ECONNREFUSED) {
        print_message("%s: the refused connect failed at once\n", backend);
    } else {
        sup_assert_rc(r, SK_EINPROGRESS);
        memset(&x, 0, sizeof x);
        x.loop = loop;
        sup_assert_rc(sk_watch_new(loop, c, on_watch, &x, &x.w), 0);
        sup_assert_rc(sk_watch_set(x.w, SK_WRITABLE), 0);
        run_until_called(loop, &x, "refused");
        print_message("%s: refused connect gives events %d\n", backend,
                      x.events[0]);
        assert_true(x.events[0] & SK_ERRORED);
        sup_assert_rc(sk_read(c, buf, sizeof buf, &got), SK_ECONNREFUSED);
        sk_watch_free(x.w);
    }
    sk_free(c);
    sk_loop_free(loop);
}

static void t_watch_errored(void **state)
{
    (void)state;
    sup_each_backend(run_watch_errored);
}

/* A watched object that is closed or freed leaves the loop; sk_setfd
 * moves the watch; sk_loop_free leaves the objects usable. */
static void run_watch_closed(const char *backend)
{
    sk_loop *loop = loop_new(backend);
    sk_sock *a = NULL, *b = NULL;
    sk_watch *w = NULL;
    sk_fd_t fd;
    wstate x;
    int i;
    memset(&x, 0, sizeof x);
    sup_nb_pair(&a, &b);
    x.loop = loop;
    sup_assert_rc(sk_watch_new(loop, b, on_watch, &x, &x.w), 0);
    sup_assert_rc(sk_watch_set(x.w, SK_READABLE), 0);
    sup_send_str(a, "z");
    sup_wait_readable(b);
    sup_assert_rc(sk_close(b), 0);
    for (i = 0; i < 3; i++)
        sup_assert_rc(sk_loop_run(loop, SK_RUN_NOWAIT), 0);
    assert_int_equal(x.calls, 0);
    sup_assert_rc(sk_watch_set(x.w, SK_READABLE), SK_ECLOSED);
    sup_assert_rc(sk_watch_set(x.w, 0), 0);
    sup_assert_rc(sk_loop_run(loop, SK_RUN_DEFAULT), 0); /* nothing alive */
    sk_free(b);
    sk_free(a);
    sk_watch_free(x.w);
    sup_assert_rc(sk_watch_new(loop, b = NULL, on_watch, &x, &w), SK_EINVAL);

    /* Freed while watched: the watch stays valid until freed. */
    sup_nb_pair(&b, &x.s);
    sup_assert_rc(sk_watch_new(loop, b, on_watch, &x, &x.w), 0);
    sup_assert_rc(sk_watch_set(x.w, SK_READABLE | SK_WRITABLE), 0);
    sk_free(b);
    sup_assert_rc(sk_loop_run(loop, SK_RUN_NOWAIT), 0);
    assert_int_equal(x.calls, 0);
    sk_watch_free(x.w);
    sk_free(x.s);

    /* sk_setfd: a and d swap their handles; the watch follows a. */
    {
        sk_sock *c = NULL, *d = NULL;
        sk_fd_t old;
        memset(&x, 0, sizeof x);
        x.loop = loop;
        sup_nb_pair(&a, &b);
        sup_nb_pair(&c, &d);
        x.s = a;
        sup_assert_rc(sk_watch_new(loop, a, on_watch, &x, &x.w), 0);
        sup_assert_rc(sk_watch_set(x.w, SK_READABLE), 0);
        fd = sk_getfd(d);
        old = sk_getfd(a);
        sup_assert_rc(sk_setfd(d, SK_FD_INVALID), 0);
        sup_assert_rc(sk_setfd(a, fd), 0);   /* a: c's peer now */
        sup_assert_rc(sk_setfd(d, old), 0);  /* d: b's peer now */
        sup_send_str(b, "old");
        sup_wait_readable(d);
        for (i = 0; i < 3; i++)
            sup_assert_rc(sk_loop_run(loop, SK_RUN_NOWAIT), 0);
        assert_int_equal(x.calls, 0);
        sup_send_str(c, "new");
        run_until_called(loop, &x, "setfd");
        assert_int_equal(x.events[0], SK_READABLE);
        assert_int_equal(x.ngot, 3);
        assert_memory_equal(x.got, "new", 3);
        sk_watch_free(x.w);
        sk_free(a);
        sk_free(b);
        sk_free(c);
        sk_free(d);
    }

    /* A failed sk_connect replaces a master's socket: the watch follows.
     * A fresh unconnected socket is writable and hung up to epoll and
     * poll; select (Windows) reports nothing for it. */
    if (!is_select(backend)) {
        sk_sock *m = NULL, *l = NULL;
        int port = 0;
        sup_listen4(&l, &port, 1);
        sk_free(l); /* nobody listens on port now */
        sup_assert_rc(sk_tcp4(&m), 0);
        memset(&x, 0, sizeof x);
        x.loop = loop;
        sup_assert_rc(sk_watch_new(loop, m, on_watch, &x, &x.w), 0);
        sup_assert_rc(sk_watch_set(x.w, SK_WRITABLE), 0);
        sup_assert_rc(sk_connect(m, "127.0.0.1", port), SK_ECONNREFUSED);
        assert_int_equal(sk_role(m), SK_ROLE_MASTER);
        run_until_called(loop, &x, "replaced socket");
        print_message("%s: a master's fresh socket gives events %d\n",
                      backend, x.events[0]);
        assert_true(x.events[0] & SK_WRITABLE);
        sk_watch_free(x.w);
        sk_free(m);
    }

    /* sk_loop_free with live watches and timers (one of three others freed
     * first: the loop's list loses a middle member). */
    memset(&x, 0, sizeof x);
    sup_nb_pair(&a, &b);
    sup_assert_rc(sk_watch_new(loop, b, on_watch, &x, &w), 0);
    sup_assert_rc(sk_watch_set(w, SK_READABLE), 0);
    {
        sk_sock *o[3];
        sk_watch *ow[3];
        int k;
        for (k = 0; k < 3; k++) {
            sup_assert_rc(sk_tcp4(&o[k]), 0);
            sup_assert_rc(sk_watch_new(loop, o[k], on_watch, &x, &ow[k]), 0);
        }
        sk_watch_free(ow[1]);
        (void)guard_start(loop, "never run");
        sk_loop_free(loop);
        for (k = 0; k < 3; k++) /* their objects stay usable */
            sup_assert_rc(sk_close(o[k]), 0);
        for (k = 0; k < 3; k++)
            sk_free(o[k]);
    }
    sup_send_str(a, "after");
    sup_assert_rc(sk_setblocking(b, 1), 0);
    sup_expect_str(b, "after");
    loop = loop_new(backend); /* and b can be watched by another loop */
    sup_assert_rc(sk_watch_new(loop, b, on_watch, &x, &w), 0);
    sk_loop_free(loop);
    sk_free(a);
    sk_free(b);
}

static void t_watch_closed(void **state)
{
    (void)state;
    sup_each_backend(run_watch_closed);
}

/* ---- posts, wakes, stop, modes ----------------------------------------- */

#define NPOSTS 1000

typedef struct pstate {
    sk_loop *loop;
    uintptr_t loop_thread;
    int seen[NPOSTS];
    int nseen;
    int wrong_thread;
    int stop_after;
} pstate;

typedef struct post_arg {
    pstate *ps;
    int index;
} post_arg;

static post_arg post_args[NPOSTS];

static void on_post(void *ud)
{
    post_arg *pa = (post_arg *)ud;
    pstate *ps = pa->ps;
    if (sup_thread_self() != ps->loop_thread)
        ps->wrong_thread++;
    if (ps->nseen < NPOSTS)
        ps->seen[ps->nseen] = pa->index;
    ps->nseen++;
    if (ps->nseen == ps->stop_after)
        sup_assert_rc(sk_loop_stop(ps->loop), 0);
}

static int poster_rc;

static void poster_main(void *arg)
{
    pstate *ps = (pstate *)arg;
    int i;
    for (i = 0; i < NPOSTS; i++) {
        int r = sk_loop_post(ps->loop, on_post, &post_args[i]);
        if (r != 0 && poster_rc == 0)
            poster_rc = r;
    }
}

static void run_post_thread(const char *backend)
{
    sk_loop *loop = loop_new(backend);
    sk_timer *guard = guard_start(loop, "posts");
    static pstate ps;
    sup_thread *th;
    int i;
    memset(&ps, 0, sizeof ps);
    ps.loop = loop;
    ps.loop_thread = sup_thread_self();
    ps.stop_after = NPOSTS;
    poster_rc = 0;
    for (i = 0; i < NPOSTS; i++) {
        post_args[i].ps = &ps;
        post_args[i].index = i;
    }
    th = sup_thread_start(poster_main, &ps);
    /* The guard keeps DEFAULT waiting; the last post stops it. */
    sup_assert_rc(sk_loop_run(loop, SK_RUN_DEFAULT), 0);
    sup_thread_join(th);
    sup_assert_rc(poster_rc, 0);
    assert_int_equal(ps.nseen, NPOSTS);
    assert_int_equal(ps.wrong_thread, 0);
    for (i = 0; i < NPOSTS; i++)
        assert_int_equal(ps.seen[i], i);
    sk_timer_free(guard);
    sk_loop_free(loop);
}

static void t_post_thread(void **state)
{
    (void)state;
    sup_each_backend(run_post_thread);
}

static void one_post_main(void *arg)
{
    pstate *ps = (pstate *)arg;
    poster_rc = sk_loop_post(ps->loop, on_post, &post_args[0]);
}

/* No timer, no watch: only a post can end the wait (if the wake-up were
 * lost this test would hang until ctest's time limit). */
static void run_post_wakes_idle(const char *backend)
{
    sk_loop *loop = loop_new(backend);
    static pstate ps;
    sup_thread *th;
    int i;
    memset(&ps, 0, sizeof ps);
    ps.loop = loop;
    ps.loop_thread = sup_thread_self();
    post_args[0].ps = &ps;
    post_args[0].index = 7;
    poster_rc = 1;
    th = sup_thread_start(one_post_main, &ps);
    for (i = 0; i < 100 && ps.nseen == 0; i++)
        sup_assert_rc(sk_loop_run(loop, SK_RUN_ONCE), 0);
    sup_thread_join(th);
    sup_assert_rc(poster_rc, 0);
    assert_int_equal(ps.nseen, 1);
    assert_int_equal(ps.seen[0], 7);
    assert_int_equal(ps.wrong_thread, 0);
    /* Posted from the loop's own thread, before running. */
    sup_assert_rc(sk_loop_post(loop, on_post, &post_args[0]), 0);
    sup_assert_rc(sk_loop_run(loop, SK_RUN_DEFAULT), 0); /* runs it */
    assert_int_equal(ps.nseen, 2);
    sup_assert_rc(sk_loop_run(loop, SK_RUN_DEFAULT), 0);
    assert_int_equal(ps.nseen, 2);
    sk_loop_free(loop);
}

static void t_post_wakes_idle(void **state)
{
    (void)state;
    sup_each_backend(run_post_wakes_idle);
}

static int waker_rc;

static void waker_main(void *arg)
{
    waker_rc = sk_loop_wake((sk_loop *)arg);
}

static void run_wake(const char *backend)
{
    sk_loop *loop = loop_new(backend);
    sup_thread *th;
    /* From another thread: a waiting ONCE returns (or, when the wake came
     * first, does not wait). */
    waker_rc = 1;
    th = sup_thread_start(waker_main, loop);
    sup_assert_rc(sk_loop_run(loop, SK_RUN_ONCE), 0);
    sup_thread_join(th);
    sup_assert_rc(waker_rc, 0);
    /* Coalesced: three wakes end one wait. */
    sup_assert_rc(sk_loop_wake(loop), 0);
    sup_assert_rc(sk_loop_wake(loop), 0);
    sup_assert_rc(sk_loop_wake(loop), 0);
    sup_assert_rc(sk_loop_run(loop, SK_RUN_ONCE), 0);
    sup_assert_rc(sk_loop_run(loop, SK_RUN_DEFAULT), 0); /* nothing left */
    sk_loop_free(loop);
}

static void t_wake(void **state)
{
    (void)state;
    sup_each_backend(run_wake);
}

static void on_stop(sk_timer *t, void *ud)
{
    tstate *s = (tstate *)ud;
    (void)t;
    s->count++;
    sup_assert_rc(sk_loop_stop(s->loop), 0);
}

static void on_reenter(sk_timer *t, void *ud)
{
    tstate *s = (tstate *)ud;
    (void)t;
    s->count++;
    sup_assert_rc(sk_loop_run(s->loop, SK_RUN_NOWAIT), SK_EINVAL);
}

static void run_stop_and_modes(const char *backend)
{
    sk_loop *loop = loop_new(backend);
    sk_timer *t = NULL, *guard = guard_start(loop, "stop");
    tstate s;
    memset(&s, 0, sizeof s);
    s.loop = loop;
    sup_assert_rc(sk_timer_new(loop, &t), 0);
    /* A repeating timer that stops the loop: DEFAULT returns after that
     * iteration, with the timer still started. */
    sup_assert_rc(sk_timer_start(t, 0.001, 0.001, on_stop, &s), 0);
    sup_assert_rc(sk_loop_run(loop, SK_RUN_DEFAULT), 0);
    assert_int_equal(s.count, 1);
    sup_assert_rc(sk_loop_run(loop, SK_RUN_DEFAULT), 0);
    assert_int_equal(s.count, 2);
    sup_assert_rc(sk_timer_stop(t), 0);
    /* Stopped before running: one iteration that does not wait (the
     * guard is 30 s away). */
    sup_assert_rc(sk_loop_stop(loop), 0);
    sup_assert_rc(sk_loop_run(loop, SK_RUN_DEFAULT), 0);
    assert_int_equal(s.count, 2);
    /* NOWAIT runs a due timer, and never waits for one that is not. */
    sup_assert_rc(sk_timer_start(t, 0, 0, on_oneshot, &s), 0);
    sup_assert_rc(sk_loop_run(loop, SK_RUN_NOWAIT), 0);
    assert_int_equal(s.count, 3);
    sup_assert_rc(sk_timer_start(t, 1000, 0, on_never, NULL), 0);
    sup_assert_rc(sk_loop_run(loop, SK_RUN_NOWAIT), 0);
    /* ONCE waits for the timer. */
    sup_assert_rc(sk_timer_start(t, 0.005, 0, on_oneshot, &s), 0);
    while (s.count == 3)
        sup_assert_rc(sk_loop_run(loop, SK_RUN_ONCE), 0);
    assert_int_equal(s.count, 4);
    /* Not from a callback of its own. */
    sup_assert_rc(sk_timer_start(t, 0, 0, on_reenter, &s), 0);
    sup_assert_rc(sk_loop_run(loop, SK_RUN_NOWAIT), 0);
    assert_int_equal(s.count, 5);
    /* sk_loop_now is monotonic. */
    {
        double n1 = sk_loop_now(loop), n2;
        sup_assert_rc(sk_loop_run(loop, SK_RUN_NOWAIT), 0);
        n2 = sk_loop_now(loop);
        assert_true(n2 >= n1);
    }
    sk_timer_free(t);
    sk_timer_free(guard);
    sk_loop_free(loop);
}

static void t_stop_and_modes(void **state)
{
    (void)state;
    sup_each_backend(run_stop_and_modes);
}

/* ---- echo: 1,000 concurrent connections through the loop --------------- */

#define ECHO_CONNS 1000
#define ECHO_MAX 8192

typedef struct econn {
    struct echo *e;
    sk_sock *s;
    sk_watch *w;
    int client;          /* 1: a client, 0: the server's side */
    int connected;
    /* client: payload, sent and echoed counts */
    unsigned char *data;
    size_t len, sent, echoed;
    /* server side: bytes read but not written back yet */
    unsigned char buf[4096];
    size_t have, off;
} econn;

typedef struct echo {
    sk_loop *loop;
    sk_sock *srv;
    sk_watch *srvw;
    econn *clients;
    size_t n;
    size_t accepted, done_clients, done_servers;
    uint64_t bytes;
    int failed;
    char why[160];
} echo;

static void echo_fail(echo *e, const char *why)
{
    if (!e->failed) {
        e->failed = 1;
        snprintf(e->why, sizeof e->why, "%s", why);
    }
    sk_loop_stop(e->loop);
}

static void echo_check_done(echo *e)
{
    if (e->done_clients == e->n && e->done_servers == e->n)
        sk_loop_stop(e->loop);
}

static void econn_close(econn *c)
{
    sk_watch_free(c->w);
    c->w = NULL;
    sk_free(c->s);
    c->s = NULL;
}

static void on_server_conn(sk_watch *w, int events, void *ud)
{
    econn *c = (econn *)ud;
    echo *e = c->e;
    int r;
    (void)w;
    (void)events;
    for (;;) {
        if (c->have > c->off) { /* write back first */
            ptrdiff_t last = 0;
            r = sk_send(c->s, c->buf + c->off, c->have - c->off, 1, -1,
                        &last);
            c->off += (size_t)last;
            if (r == SK_EWOULDBLOCK) {
                if (sk_watch_set(c->w, SK_WRITABLE) != 0)
                    echo_fail(e, "server: watch for writing");
                return;
            }
            if (r != 0) {
                echo_fail(e, "server: send failed");
                return;
            }
            c->have = c->off = 0;
        }
        r = sk_read(c->s, c->buf, sizeof c->buf, &c->have);
        if (r == SK_EWOULDBLOCK) {
            if (sk_watch_set(c->w, SK_READABLE) != 0)
                echo_fail(e, "server: watch for reading");
            return;
        }
        if (r == SK_ECLOSED) { /* the client has all its bytes back */
            econn_close(c);
            free(c);
            e->done_servers++;
            echo_check_done(e);
            return;
        }
        if (r != 0) {
            echo_fail(e, "server: read failed");
            return;
        }
        c->off = 0;
    }
}

static void on_accept(sk_watch *w, int events, void *ud)
{
    echo *e = (echo *)ud;
    (void)w;
    (void)events;
    for (;;) {
        sk_sock *s = NULL;
        econn *c;
        int r = sk_accept(e->srv, &s, NULL);
        if (r == SK_EWOULDBLOCK)
            return;
        if (r != 0) {
            echo_fail(e, "accept failed");
            return;
        }
        c = (econn *)calloc(1, sizeof *c);
        if (c == NULL) {
            sk_free(s);
            echo_fail(e, "no memory");
            return;
        }
        c->e = e;
        c->s = s;
        e->accepted++;
        if (sk_watch_new(e->loop, s, on_server_conn, c, &c->w) != 0 ||
            sk_watch_set(c->w, SK_READABLE) != 0) {
            echo_fail(e, "server: watch");
            return;
        }
    }
}

static void on_client(sk_watch *w, int events, void *ud)
{
    econn *c = (econn *)ud;
    echo *e = c->e;
    unsigned char buf[4096];
    int r;
    (void)w;
    if (events & SK_ERRORED && !(events & (SK_READABLE | SK_WRITABLE))) {
        echo_fail(e, "client: error event");
        return;
    }
    while (c->sent < c->len) {
        ptrdiff_t last = 0;
        r = sk_send(c->s, c->data + c->sent, c->len - c->sent, 1, -1, &last);
        c->sent += (size_t)last;
        if (r == SK_EWOULDBLOCK)
            break;
        if (r != 0) {
            echo_fail(e, "client: send failed");
            return;
        }
    }
    for (;;) {
        size_t got = 0;
        r = sk_read(c->s, buf, sizeof buf, &got);
        if (r == SK_EWOULDBLOCK)
            break;
        if (r != 0) {
            echo_fail(e, "client: read failed (early close or reset)");
            return;
        }
        if (c->echoed + got > c->len ||
            memcmp(buf, c->data + c->echoed, got) != 0) {
            echo_fail(e, "client: the echo differs from what was sent");
            return;
        }
        c->echoed += got;
        e->bytes += got;
    }
    if (c->echoed == c->len) {
        econn_close(c); /* the server then reads end of stream */
        e->done_clients++;
        echo_check_done(e);
        return;
    }
    if (sk_watch_set(c->w, c->sent < c->len ? SK_READABLE | SK_WRITABLE
                                            : SK_READABLE) != 0)
        echo_fail(e, "client: watch");
}

static void run_echo(const char *backend)
{
    sk_loop *loop = loop_new(backend);
    size_t cap = sup_fd_capacity(), n = ECHO_CONNS, i;
    sk_timer *guard;
    echo e;
    int port = 0;
    uint64_t seed = 0x5eed;
    double t0, t1;

    /* Two sockets a connection, and some to spare. */
    if (cap < 2 * n + 100) {
        n = cap > 200 ? (cap - 100) / 2 : 50;
        print_message("descriptor limit %lu: %lu connections instead of "
                      "%d\n", (unsigned long)cap, (unsigned long)n,
                      ECHO_CONNS);
    }
    memset(&e, 0, sizeof e);
    e.loop = loop;
    e.n = n;
    e.clients = (econn *)calloc(n, sizeof *e.clients);
    assert_non_null(e.clients);
    sup_listen4(&e.srv, &port, (int)n);
    sup_assert_rc(sk_setblocking(e.srv, 0), 0);
    sup_assert_rc(sk_watch_new(loop, e.srv, on_accept, &e, &e.srvw), 0);
    sup_assert_rc(sk_watch_set(e.srvw, SK_READABLE), 0);
    for (i = 0; i < n; i++) {
        econn *c = &e.clients[i];
        int r;
        c->e = &e;
        c->client = 1;
        c->len = 1 + (i * 7919) % ECHO_MAX;
        c->data = (unsigned char *)malloc(c->len);
        assert_non_null(c->data);
        sup_fill(&seed, c->data, c->len);
        sup_assert_rc(sk_tcp4(&c->s), 0);
        sup_assert_rc(sk_setblocking(c->s, 0), 0);
        r = sk_connect(c->s, "127.0.0.1", port);
        if (r != 0)
            sup_assert_rc(r, SK_EINPROGRESS);
        sup_assert_rc(sk_watch_new(loop, c->s, on_client, c, &c->w), 0);
        sup_assert_rc(sk_watch_set(c->w, SK_READABLE | SK_WRITABLE), 0);
    }
    guard = guard_start(loop, "echo");
    t0 = sk_loop_now(loop);
    while (!e.failed && (e.done_clients < n || e.done_servers < n))
        sup_assert_rc(sk_loop_run(loop, SK_RUN_DEFAULT), 0);
    t1 = sk_loop_now(loop);
    if (e.failed)
        fail_msg("echo over %s: %s", backend, e.why);
    print_message("echo over %s: %lu connections, %llu bytes echoed and "
                  "checked, %.3f s\n", backend, (unsigned long)n,
                  (unsigned long long)e.bytes, t1 - t0);
    assert_int_equal(e.accepted, n);
    sk_timer_free(guard);
    sk_watch_free(e.srvw);
    sk_free(e.srv);
    for (i = 0; i < n; i++) {
        assert_null(e.clients[i].s);
        assert_int_equal(e.clients[i].echoed, e.clients[i].len);
        free(e.clients[i].data);
    }
    free(e.clients);
    /* Everything was freed: nothing keeps the loop alive. */
    sup_assert_rc(sk_loop_run(loop, SK_RUN_DEFAULT), 0);
    sk_loop_free(loop);
}

static void t_echo_1000(void **state)
{
    (void)state;
    sup_each_backend(run_echo);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_backends),
        cmocka_unit_test(t_timer_oneshot),
        cmocka_unit_test(t_timer_repeat),
        cmocka_unit_test(t_timer_order),
        cmocka_unit_test(t_timer_stop_restart),
        cmocka_unit_test(t_timer_free_in_callback),
        cmocka_unit_test(t_watch_readable),
        cmocka_unit_test(t_watch_writable),
        cmocka_unit_test(t_watch_paused),
        cmocka_unit_test(t_watch_dirty_first),
        cmocka_unit_test(t_watch_many_dirty),
        cmocka_unit_test(t_watch_free_in_callback),
        cmocka_unit_test(t_watch_errored),
        cmocka_unit_test(t_watch_closed),
        cmocka_unit_test(t_post_thread),
        cmocka_unit_test(t_post_wakes_idle),
        cmocka_unit_test(t_wake),
        cmocka_unit_test(t_stop_and_modes),
        cmocka_unit_test(t_echo_1000),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
