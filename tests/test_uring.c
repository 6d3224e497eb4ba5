/* SPDX-License-Identifier: MIT */
/*
 * test_uring.c - what is particular to the io_uring backend ("uring"), on
 * the test build of the library (sockit_hooked, whose hook can make the
 * ring's setup fail): the fallback to epoll when the kernel refuses
 * io_uring (as seccomp, kernel.io_uring_disabled or an old kernel do), for
 * loops and selectors; and that a socket whose poll request is in the
 * kernel (it holds the file) is really closed when sockit closes it, or
 * when the loop is freed before the socket is; and that a selector armed
 * by one thread can be waited on by another.  The behaviours every
 * backend shares are checked on uring by test_loop, test_selector,
 * test_conn and test_alloc (sup_each_backend).  Linux only; on a machine
 * without io_uring the checks that need a ring say so and skip.
 */
#include "support.h"

#include "plat.h" /* sk__test_uring_refuse (SOCKIT_TEST_HOOKS) */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#if defined(__linux__)

/* 1 when this kernel and build give a uring loop. */
static int uring_here(void)
{
    sk_loop *loop = NULL;
    int r = sk_loop_new_backend(&loop, "uring");
    sk_loop_free(loop);
    if (r != 0)
        print_message("uring: %s on this machine\n", sk_errname(r));
    return r == 0;
}

static void fired(sk_timer *t, void *ud)
{
    (void)t;
    ++*(int *)ud;
}

/* A loop that works: a timer fires, a watch sees a readable socket (and
 * pauses, so that the loop then waits for the timer). */
static void watch_cb(sk_watch *w, int events, void *ud)
{
    *(int *)ud |= events;
    sup_assert_rc(sk_watch_set(w, 0), 0);
}

static void loop_works(sk_loop *loop)
{
    sk_timer *t = NULL;
    sk_watch *w = NULL;
    sk_sock *a = NULL, *b = NULL;
    int n = 0, ev = 0, i;
    sup_assert_rc(sk_timer_new(loop, &t), 0);
    sup_assert_rc(sk_timer_start(t, 0.001, 0, fired, &n), 0);
    sup_nb_pair(&a, &b);
    sup_assert_rc(sk_watch_new(loop, b, watch_cb, &ev, &w), 0);
    sup_assert_rc(sk_watch_set(w, SK_READABLE), 0);
    sup_assert_rc(sk_send(a, "x", 1, 1, -1, NULL), 0);
    for (i = 0; i < 1000 && (n == 0 || ev == 0); i++)
        sup_assert_rc(sk_loop_run(loop, SK_RUN_ONCE), 0);
    assert_int_equal(n, 1);
    assert_int_equal(ev, SK_READABLE);
    sk_watch_free(w);
    sk_timer_free(t);
    sk_free(a);
    sk_free(b);
}

/* The defaults (sk_loop_new, sk_selector_new) are epoll; the loop works
 * when work is set. */
static void defaults_epoll(int work)
{
    sk_loop *loop = NULL;
    sk_selector *sel = NULL;
    sup_assert_rc(sk_loop_new(&loop), 0);
    assert_string_equal(sk_loop_backend(loop), "epoll");
    if (work)
        loop_works(loop);
    sk_loop_free(loop);
    sup_assert_rc(sk_selector_new(&sel), 0);
    assert_string_equal(sk_selector_backend(sel), "epoll");
    sk_selector_free(sel);
}

/* ---- the fallback ------------------------------------------------------- */

static void t_fallback(void **state)
{
    /* errno of the refused setup; -1: a ring without a needed feature */
    static const int refusals[] = {EPERM, ENOSYS, EACCES, EINVAL, -1};
    static const char *const why[] = {
        "EPERM (seccomp, io_uring_disabled=2)", "ENOSYS (kernel without it)",
        "EACCES", "EINVAL (flags this kernel lacks)", "a missing feature"};
    size_t i;
    (void)state;
    for (i = 0; i < sizeof refusals / sizeof refusals[0]; i++) {
        sk_loop *loop = NULL;
        print_message("setup refused: %s\n", why[i]);
        sk__test_uring_refuse(refusals[i]);
        loop = (sk_loop *)&loop; /* must be overwritten */
        sup_assert_rc(sk_loop_new_backend(&loop, "uring"), SK_EUNSUPPORTED);
        assert_null(loop);
        defaults_epoll(1);
    }
    /* A kernel without deferred task work (before 6.1): "uring" by name
     * works (every completion interrupts the loop's thread); the default
     * is epoll. */
    sk__test_uring_refuse(-2);
    if (uring_here()) {
        sk_loop *loop = NULL;
        sup_assert_rc(sk_loop_new_backend(&loop, "uring"), 0);
        loop_works(loop);
        sk_loop_free(loop);
        defaults_epoll(0);
    }
    sk__test_uring_refuse(0);
    if (uring_here()) {
        sk_loop *loop = NULL;
        /* uring by name; the default is epoll all the same (io_uring is
         * not faster for readiness: bench/RESULTS.md) */
        sup_assert_rc(sk_loop_new_backend(&loop, "uring"), 0);
        assert_string_equal(sk_loop_backend(loop), "uring");
        loop_works(loop);
        sk_loop_free(loop);
        defaults_epoll(0);
    }
}

/* ---- a poll request holds its file ------------------------------------- */

/* a watched for reading on a uring loop, its poll request armed. */
static sk_loop *armed_loop(sk_sock *a, sk_watch **w, int *ev)
{
    sk_loop *loop = NULL;
    sup_assert_rc(sk_loop_new_backend(&loop, "uring"), 0);
    sup_assert_rc(sk_watch_new(loop, a, watch_cb, ev, w), 0);
    sup_assert_rc(sk_watch_set(*w, SK_READABLE), 0);
    sup_assert_rc(sk_loop_run(loop, SK_RUN_NOWAIT), 0); /* arms it */
    assert_int_equal(*ev, 0);
    return loop;
}

/* The peer sees the close at once (b's receive would time out if the
 * ring still held a's socket). */
static void peer_sees_close(sk_sock *b)
{
    sk_buf buf = {NULL, 0, 0};
    sup_assert_rc(sk_receive(b, &buf, SK_ALL, 0), SK_ECLOSED);
    assert_int_equal(buf.len, 0);
    sk_buf_free(&buf);
}

static void t_close_while_armed(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    sk_watch *w = NULL;
    sk_loop *loop;
    int ev = 0;
    (void)state;
    sk__test_uring_refuse(0); /* (a failed t_fallback may have left it) */
    if (!uring_here())
        skip();
    sup_pair(&a, &b);
    loop = armed_loop(a, &w, &ev);
    sup_assert_rc(sk_close(a), 0); /* the watch lets go (no loop turn) */
    peer_sees_close(b);
    sk_watch_free(w);
    sk_loop_free(loop);
    sk_free(a);
    sk_free(b);
}

static void t_watch_free_while_armed(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    sk_watch *w = NULL;
    sk_loop *loop;
    int ev = 0;
    (void)state;
    sk__test_uring_refuse(0); /* (a failed t_fallback may have left it) */
    if (!uring_here())
        skip();
    sup_pair(&a, &b);
    loop = armed_loop(a, &w, &ev);
    sk_watch_free(w);
    sup_assert_rc(sk_close(a), 0);
    peer_sees_close(b);
    sk_loop_free(loop);
    sk_free(a);
    sk_free(b);
}

static void t_loop_free_while_armed(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    sk_watch *w = NULL;
    sk_loop *loop;
    int ev = 0;
    (void)state;
    sk__test_uring_refuse(0); /* (a failed t_fallback may have left it) */
    if (!uring_here())
        skip();
    sup_pair(&a, &b);
    loop = armed_loop(a, &w, &ev);
    sk_loop_free(loop); /* the watch goes with it; a stays open */
    sup_assert_rc(sk_send(a, "y", 1, 1, -1, NULL), 0);
    sup_assert_rc(sk_close(a), 0);
    {
        sk_buf buf = {NULL, 0, 0};
        sup_assert_rc(sk_receive(b, &buf, SK_ALL, 0), 0);
        sup_assert_bufstr(&buf, "y");
        sk_buf_free(&buf);
    }
    sk_free(a);
    sk_free(b);
}

/* A listening socket closed while its poll request is armed: its port is
 * free again at once (bind to it succeeds). */
static void t_listener_port_freed(void **state)
{
    sk_sock *srv = NULL, *again = NULL;
    sk_watch *w = NULL;
    sk_loop *loop;
    sk_name name;
    int ev = 0;
    (void)state;
    sk__test_uring_refuse(0); /* (a failed t_fallback may have left it) */
    if (!uring_here())
        skip();
    sup_assert_rc(sk_tcp4(&srv), 0);
    sup_assert_rc(sk_bind(srv, "127.0.0.1", 0), 0);
    sup_assert_rc(sk_listen(srv, 8), 0);
    sup_assert_rc(sk_getsockname(srv, &name), 0);
    loop = armed_loop(srv, &w, &ev);
    sup_assert_rc(sk_close(srv), 0);
    sup_assert_rc(sk_tcp4(&again), 0);
    sup_assert_rc(sk_bind(again, "127.0.0.1", name.port), 0);
    sup_assert_rc(sk_listen(again, 8), 0);
    sk_watch_free(w);
    sk_loop_free(loop);
    sk_free(srv);
    sk_free(again);
}

/* ---- a selector handed to another thread --------------------------------- */

/* Requests armed by one thread complete through that thread (the kernel
 * runs their last step as its task work): the arming thread, asleep in
 * something else (here: joining), must still be woken for it, or a
 * selector handed over to another thread would wait forever. */
typedef struct handover {
    sk_selector *sel;
    sk_sock *a, *b;
    int rc;
    size_t n;
    sk_sock *ready;
} handover;

static void handover_run(void *arg)
{
    handover *h = (handover *)arg;
    int ev = 0;
    /* The wake-up of b's request happens here; its task work is the
     * main thread's, which is asleep in sup_thread_join. */
    sup_assert_rc(sk_send(h->a, "x", 1, 1, -1, NULL), 0);
    h->rc = sk_selector_wait(h->sel, 10.0, &h->ready, &ev, 1, &h->n);
}

static void t_selector_handover(void **state)
{
    handover h;
    int ev = 0;
    size_t n = 0;
    sk_sock *ready = NULL;
    (void)state;
    sk__test_uring_refuse(0);
    if (!uring_here())
        skip();
    memset(&h, 0, sizeof h);
    sup_pair(&h.a, &h.b);
    sup_assert_rc(sk_selector_new_backend(&h.sel, "uring"), 0);
    sup_assert_rc(sk_selector_add(h.sel, h.b, SK_READABLE), 0);
    /* Armed by this thread: */
    sup_assert_rc(sk_selector_wait(h.sel, 0, &ready, &ev, 1, &n),
                  SK_ETIMEOUT);
    sup_thread_join(sup_thread_start(handover_run, &h));
    sup_assert_rc(h.rc, 0);
    assert_int_equal(h.n, 1);
    assert_ptr_equal(h.ready, h.b);
    sk_selector_free(h.sel);
    sk_free(h.a);
    sk_free(h.b);
}

/* ---- a loop run by another thread ----------------------------------------- */

/* A loop made and armed on one thread, run on another (and then on the
 * first again): the ring serves one thread (its completions' last step
 * waits for that thread to wait), so each thread that runs the loop gets
 * a ring of its own, every watch armed again there.  A socket closed
 * after that is closed for real (the old rings' requests let go of it). */
typedef struct runner {
    sk_loop *loop;
    int *ev;
    int mode; /* SK_RUN_ONCE until *ev is set, or one SK_RUN_NOWAIT */
    int rc;
} runner;

static void runner_run(void *arg)
{
    runner *r = (runner *)arg;
    int i;
    for (i = 0; i < 1000 && *r->ev == 0 && r->rc == 0; i++) {
        r->rc = sk_loop_run(r->loop, r->mode);
        if (r->mode == SK_RUN_NOWAIT)
            break;
    }
}

static void t_loop_other_thread(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    sk_watch *w = NULL;
    sk_timer *guard = NULL;
    sk_loop *loop;
    runner r;
    int ev = 0, ticks = 0, i;
    (void)state;
    sk__test_uring_refuse(0); /* (a failed t_fallback may have left it) */
    if (!uring_here())
        skip();
    sup_pair(&a, &b);
    sup_assert_rc(sk_loop_new_backend(&loop, "uring"), 0);
    /* (a timer, so that no turn of the loop waits without end) */
    sup_assert_rc(sk_timer_new(loop, &guard), 0);
    sup_assert_rc(sk_timer_start(guard, 10.0, 10.0, fired, &ticks), 0);
    sup_assert_rc(sk_watch_new(loop, b, watch_cb, &ev, &w), 0);
    sup_assert_rc(sk_watch_set(w, SK_READABLE), 0);
    sup_assert_rc(sk_loop_run(loop, SK_RUN_NOWAIT), 0); /* armed here */
    assert_int_equal(ev, 0);
    sup_assert_rc(sk_send(a, "x", 1, 1, -1, NULL), 0);
    memset(&r, 0, sizeof r);
    r.loop = loop;
    r.ev = &ev;
    r.mode = SK_RUN_ONCE;
    sup_thread_join(sup_thread_start(runner_run, &r));
    sup_assert_rc(r.rc, 0);
    assert_int_equal(ev, SK_READABLE);
    /* back on this thread: b is still readable (level-triggered) */
    ev = 0;
    sup_assert_rc(sk_watch_set(w, SK_READABLE), 0);
    for (i = 0; i < 1000 && ev == 0; i++)
        sup_assert_rc(sk_loop_run(loop, SK_RUN_ONCE), 0);
    assert_int_equal(ev, SK_READABLE);
    /* armed by this thread's ring, handed to another, then closed here */
    sup_assert_rc(sk_watch_set(w, 0), 0);
    sk_watch_free(w);
    w = NULL;
    sup_assert_rc(sk_watch_new(loop, a, watch_cb, &ev, &w), 0);
    sup_assert_rc(sk_watch_set(w, SK_READABLE), 0);
    ev = 0;
    r.rc = 0;
    r.mode = SK_RUN_NOWAIT;
    sup_assert_rc(sk_loop_run(loop, SK_RUN_NOWAIT), 0);
    {
        sk_buf buf = {NULL, 0, 0}; /* (b's "x" read, so that b's close
                                      is a FIN) */
        sup_assert_rc(sk_receive(b, &buf, SK_BYTES, 1), 0);
        sk_buf_free(&buf);
    }
    sup_thread_join(sup_thread_start(runner_run, &r)); /* its own ring */
    sup_assert_rc(r.rc, 0);
    sup_assert_rc(sk_close(a), 0);
    peer_sees_close(b);
    sk_watch_free(w);
    sk_timer_free(guard);
    sk_loop_free(loop);
    sk_free(a);
    sk_free(b);
}

/* ---- more ready than one wait reports ------------------------------------ */

/* 1,100 readable members: a wait reports at most 1,024 (the loop's array
 * holds no more); the rest, taken from the ring all the same, are
 * reported by the next wait, each member at most once per wait; what
 * stays readable is reported again (level-triggered); once read, none. */
#define MANY 1100
static sk_sock *many_a[MANY], *many_b[MANY], *many_ready[MANY];
static int many_ev[MANY], many_seen[MANY], many_round[MANY];

static size_t many_index(const sk_sock *s)
{
    size_t i;
    for (i = 0; i < MANY; i++)
        if (many_b[i] == s)
            return i;
    fail_msg("a socket that is not a member was reported");
    return 0;
}

static void t_more_ready_than_a_wait(void **state)
{
    sk_selector *sel = NULL;
    sk_buf buf = {NULL, 0, 0};
    size_t i, j, n = 0, total = 0;
    int round;
    (void)state;
    sk__test_uring_refuse(0); /* (a failed t_fallback may have left it) */
    if (!uring_here())
        skip();
    if (sup_fd_capacity() < 2 * MANY + 64) {
        print_message("skipped: fewer than %d descriptors allowed\n",
                      2 * MANY + 64);
        skip();
    }
    sup_assert_rc(sk_selector_new_backend(&sel, "uring"), 0);
    for (i = 0; i < MANY; i++) {
        sup_nb_pair(&many_a[i], &many_b[i]);
        sup_send_str(many_a[i], "x");
        sup_wait_readable(many_b[i]);
        sup_assert_rc(sk_selector_add(sel, many_b[i], SK_READABLE), 0);
        many_seen[i] = 0;
        many_round[i] = -1;
    }
    for (round = 0; round < 3; round++) {
        sup_assert_rc(sk_selector_wait(sel, 10.0, many_ready, many_ev, MANY,
                                       &n),
                      0);
        assert_true(n > 0 && n <= 1024);
        for (j = 0; j < n; j++) {
            i = many_index(many_ready[j]);
            assert_int_equal(many_ev[j], SK_READABLE);
            assert_int_not_equal(many_round[i], round); /* once a wait */
            many_round[i] = round;
            many_seen[i]++;
        }
        total += n;
        if (round == 1)
            for (i = 0; i < MANY; i++)
                assert_true(many_seen[i] >= 1); /* none left behind */
    }
    print_message("%d readable members: %d reported over 3 waits\n", MANY,
                  (int)total);
    for (i = 0; i < MANY; i++) {
        sup_assert_rc(sk_receive(many_b[i], &buf, SK_BYTES, 1), 0);
        buf.len = 0;
    }
    /* (what an earlier wait took from the ring is reported once more, at
     * most: a level-triggered wait may say so; then nothing) */
    for (round = 0; round < 3; round++) {
        int rc = sk_selector_wait(sel, 0, many_ready, many_ev, MANY, &n);
        if (rc == SK_ETIMEOUT)
            break;
        sup_assert_rc(rc, 0);
    }
    assert_true(round < 3);
    for (i = 0; i < MANY; i++) {
        sup_assert_rc(sk_selector_remove(sel, many_b[i]), 0);
        sk_free(many_a[i]);
        sk_free(many_b[i]);
    }
    sk_buf_free(&buf);
    sk_selector_free(sel);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_fallback),
        cmocka_unit_test(t_selector_handover),
        cmocka_unit_test(t_loop_other_thread),
        cmocka_unit_test(t_more_ready_than_a_wait),
        cmocka_unit_test(t_close_while_armed),
        cmocka_unit_test(t_watch_free_while_armed),
        cmocka_unit_test(t_loop_free_while_armed),
        cmocka_unit_test(t_listener_port_freed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

#else /* not Linux */

static void t_not_here(void **state)
{
    (void)state;
    print_message("skipped: io_uring is Linux's; this system has none\n");
    skip();
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(t_not_here)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
#endif
