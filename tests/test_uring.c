/* SPDX-License-Identifier: MIT */
/*
 * test_uring.c - what is particular to the io_uring backend ("uring"), on
 * the test build of the library (sockit_hooked, whose hook can make the
 * ring's setup fail): the default loop on io_uring where the kernel has
 * what it needs, the fallback to epoll when the kernel refuses io_uring
 * (as seccomp, kernel.io_uring_disabled or an old kernel do), for loops
 * and selectors; quiet sends (the wait that submits them sleeps on, but
 * holds nothing back); and that a socket whose poll request is in the
 * kernel (it holds the file) is really closed when sockit closes it, or
 * when the loop is freed before the socket is; and that a selector armed
 * by one thread can be waited on by another; completion mode's receives
 * and sends (sk_conn) and multishot accepts (sk_server: bursts, a server
 * gone with connections pending, a hand-over, descriptors exhausted).  The behaviours every
 * backend shares are checked on uring by test_loop, test_selector,
 * test_conn and test_alloc (sup_each_backend).  Linux only; on a machine
 * without io_uring the checks that need a ring say so and skip.
 */
#include "support.h"

#include "plat.h" /* sk__test_uring_refuse (SOCKIT_TEST_HOOKS) */
#include "sockit_int.h" /* a connection's watch: in completion mode? */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
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

/* io_uring allowed again (a test before may have refused it: a failed
 * t_fallback leaves it so), and whether this machine gives a loop one
 * (uring_here). */
static int uring_ready(void)
{
    sk__test_uring_refuse(0);
    return uring_here();
}

/* A uring poller of its own (io_uring allowed again first), or NULL when
 * this machine gives none (uring_here says why) or, with io, none with
 * completions (what names the test in the message): the caller skips. */
static sk__poller *uring_poller(int io, const char *what)
{
    sk__poller *p = NULL;
    int sys = 0;
    if (!uring_ready())
        return NULL;
    sup_assert_rc(sk__plat_poller_new("uring", 0, &p, &sys), 0);
    if (io && p->io == NULL) {
        print_message("%s: no completions on this kernel\n", what);
        p->ops->free(p);
        return NULL;
    }
    return p;
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

/* The defaults (sk_loop_new, sk_selector_new) are epoll (io_uring refused
 * or incomplete: the fallback, silent); the loop works when work is set. */
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
        sk_selector *sel = NULL;
        /* uring by name; the default loop too where the kernel has the
         * incremental buffer rings (6.12); the default selector is epoll
         * (io_uring is not faster for readiness: bench/RESULTS.md) */
        sup_assert_rc(sk_loop_new_backend(&loop, "uring"), 0);
        assert_string_equal(sk_loop_backend(loop), "uring");
        loop_works(loop);
        sk_loop_free(loop);
        sup_assert_rc(sk_loop_new(&loop), 0);
        print_message("default loop: %s\n", sk_loop_backend(loop));
        assert_string_equal(sk_loop_backend(loop), sup_loop_default());
        loop_works(loop);
        sk_loop_free(loop);
        sup_assert_rc(sk_selector_new(&sel), 0);
        assert_string_equal(sk_selector_backend(sel), "epoll");
        sk_selector_free(sel);
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
    if (!uring_ready())
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
    if (!uring_ready())
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
    if (!uring_ready())
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
    if (!uring_ready())
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
    if (!uring_ready())
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
    if (!uring_ready())
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
    if (!uring_ready())
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

/* ---- completion mode (sk_conn on a uring loop) ------------------------- */

/* A connection on a uring loop and its peer, a plain blocking socket; the
 * connection's handlers count what it reads (and echo it, with echo) and
 * what bytes_written tells. */
typedef struct ring_pair {
    sk_loop *loop;
    sk_sock *srv, *p;
    sk_conn *c;
    int connected, disconnected, error, echo;
    size_t got, written, echoed;
    uint64_t hash;
} ring_pair;

static void rp_connected(sk_conn *c, void *ud)
{
    (void)c;
    ((ring_pair *)ud)->connected = 1;
}

static void rp_disconnected(sk_conn *c, void *ud)
{
    (void)c;
    ((ring_pair *)ud)->disconnected = 1;
}

static void rp_error(sk_conn *c, int error, void *ud)
{
    (void)c;
    ((ring_pair *)ud)->error = error;
}

static void rp_read(sk_conn *c, size_t available, void *ud)
{
    ring_pair *x = (ring_pair *)ud;
    char buf[4096];
    size_t n = 0;
    (void)available;
    while (sk_conn_read(c, buf, sizeof buf, &n) == 0) {
        x->hash = sup_hash(x->hash, buf, n);
        x->got += n;
        if (x->echo) {
            sup_assert_rc(sk_conn_write(c, buf, n), 0);
            x->echoed += n;
        }
    }
}

static void rp_written(sk_conn *c, size_t count, void *ud)
{
    (void)c;
    ((ring_pair *)ud)->written += count;
}

/* Whether c reads and writes in completion mode. */
static int in_ring_mode(sk_conn *c)
{
    return (((sk_watch *)(void *)c)->events & SK__WAIT_RECV) != 0;
}

/* Run x's loop once (a bounded number of times in all: the callers'
 * loops stop at SUP_SAFETY_TIMEOUT's worth of turns). */
static void rp_turn(ring_pair *x)
{
    sup_assert_rc(sk_loop_run(x->loop, SK_RUN_ONCE), 0);
}

#define RP_TURNS 2000000L
#define RP_NONE (-100) /* error: none heard */

static void rp_open(ring_pair *x, int sndbuf)
{
    static const sk_conn_handlers h = {rp_connected, rp_disconnected,
                                       rp_error, NULL, NULL, rp_read,
                                       rp_written};
    int port = 0;
    long i;
    memset(x, 0, sizeof *x);
    x->hash = SUP_HASH_INIT;
    x->error = RP_NONE;
    sup_assert_rc(sk_loop_new_backend(&x->loop, "uring"), 0);
    sup_listen4(&x->srv, &port, 4);
    sup_assert_rc(sk_conn_new(x->loop, &x->c), 0);
    sup_assert_rc(sk_conn_sethandlers(x->c, &h, x), 0);
    if (sndbuf > 0) {
        sk_sock *cs = NULL;
        sup_assert_rc(sk_conn_sock(x->c, &cs), 0);
        sup_assert_rc(sk_setoption(cs, SK_OPT_SNDBUF, sndbuf), 0);
        sup_assert_rc(sk_setoption(x->srv, SK_OPT_RCVBUF, sndbuf), 0);
    }
    sup_assert_rc(sk_conn_connect(x->c, "127.0.0.1", port), 0);
    for (i = 0; i < RP_TURNS && !x->connected; i++)
        rp_turn(x);
    assert_true(x->connected);
    sup_assert_rc(sk_accept(x->srv, &x->p, NULL), 0);
    sup_assert_rc(sk_settimeout(x->p, SUP_SAFETY_TIMEOUT, 'b'), 0);
    assert_true(in_ring_mode(x->c));
}

static void rp_close(ring_pair *x)
{
    sk_conn_free(x->c);
    sk_free(x->p);
    sk_free(x->srv);
    sk_loop_free(x->loop);
}

/* A peer that reads want bytes on a thread of its own. */
typedef struct ring_reader {
    sk_sock *s;
    size_t want, got;
    uint64_t hash;
    int rc;
} ring_reader;

static void reader_run(void *arg)
{
    ring_reader *r = (ring_reader *)arg;
    static char buf[65536];
    r->hash = SUP_HASH_INIT;
    while (r->got < r->want) {
        size_t n = 0, cap = r->want - r->got;
        r->rc = sk_read(r->s, buf, cap < sizeof buf ? cap : sizeof buf, &n);
        if (r->rc != 0)
            break;
        r->hash = sup_hash(r->hash, buf, n);
        r->got += n;
    }
}

/* Messages of many sizes, echoed through the connection: nothing lost,
 * nothing out of order, with the receive buffers as the kernel has them,
 * with two tiny ones (the kernel runs out of them all the time: the
 * receive is armed again once they are back), and with single-shot
 * receives (no IORING_CQE_F_MORE: armed again after each). */
static void echo_many(unsigned nbuf, unsigned bsize, int oneshot)
{
    ring_pair x;
    ring_reader rd;
    sup_sender snd;
    sup_thread *t;
    size_t len = 0;
    uint64_t seed = 11, want;
    unsigned char *data;
    long i;
    int k;
    print_message("echo: %s\n", nbuf == 0   ? "the default buffers"
                                : oneshot ? "single-shot receives"
                                          : "two 64-byte buffers");
    sk__test_uring_bufs(nbuf, bsize, oneshot);
    rp_open(&x, 0);
    sk__test_uring_bufs(0, 0, 0);
    x.echo = 1;
    /* 3,000 messages of 1 to 700 bytes, sent back to back */
    data = (unsigned char *)malloc(3000 * 700);
    assert_non_null(data);
    sup_fill(&seed, data, 3000 * 700);
    for (k = 0; k < 3000; k++)
        len += 1 + (size_t)data[k] * 699 / 255;
    want = sup_hash(SUP_HASH_INIT, data, len);
    rd.s = x.p;
    rd.want = len;
    rd.got = 0;
    rd.rc = 0;
    t = sup_thread_start(reader_run, &rd);
    sup_sender_start(&snd, x.p, data, len, 0);
    for (i = 0; i < RP_TURNS && x.echoed < len && x.error == RP_NONE; i++)
        rp_turn(&x);
    assert_int_equal(x.error, RP_NONE);
    assert_int_equal(x.echoed, len);
    assert_true(x.hash == want);
    /* the echo's last bytes go out with the next turns */
    for (i = 0; i < RP_TURNS && x.written < len; i++)
        rp_turn(&x);
    assert_int_equal(x.written, len);
    sup_thread_join(t);
    sup_sender_join(&snd);
    sup_assert_rc(rd.rc, 0);
    assert_int_equal(rd.got, len);
    assert_true(rd.hash == want);
    assert_true(in_ring_mode(x.c));
    free(data);
    rp_close(&x);
}

static void t_ring_echo(void **state)
{
    (void)state;
    if (!uring_ready())
        skip();
    echo_many(0, 0, 0);
    echo_many(2, 64, 0);
    echo_many(4, 512, 1);
}

/* One large write to a peer that reads slowly (small socket buffers):
 * the system takes it in parts, each send goes on from where the last
 * ended, and bytes_written tells every byte once. */
static void t_ring_large_write(void **state)
{
    ring_pair x;
    ring_reader rd;
    sup_thread *t;
    size_t len = 8u << 20;
    uint64_t seed = 5, want;
    char *big;
    long i;
    (void)state;
    if (!uring_ready())
        skip();
    rp_open(&x, 65536);
    big = (char *)malloc(len);
    assert_non_null(big);
    sup_fill(&seed, big, len);
    want = sup_hash(SUP_HASH_INIT, big, len);
    /* in two writes, the second while the first's send is in flight (the
     * queue grows elsewhere; the bytes in flight stay put) */
    sup_assert_rc(sk_conn_write(x.c, big, len / 2), 0);
    rp_turn(&x);
    sup_assert_rc(sk_conn_write(x.c, big + len / 2, len - len / 2), 0);
    memset(big, 0, len / 2); /* (the connection has its own copy) */
    rd.s = x.p;
    rd.want = len;
    rd.got = 0;
    rd.rc = 0;
    t = sup_thread_start(reader_run, &rd);
    for (i = 0; i < RP_TURNS && x.written < len && x.error == RP_NONE; i++)
        rp_turn(&x);
    sup_thread_join(t);
    assert_int_equal(x.error, RP_NONE);
    assert_int_equal(x.written, len);
    sup_assert_rc(rd.rc, 0);
    assert_int_equal(rd.got, len);
    assert_true(rd.hash == want);
    free(big);
    rp_close(&x);
}

/* Close, abort and free with a receive and a send in flight: their late
 * completions reach nothing (ASan would see it), the peer sees the end. */
static void t_ring_close_in_flight(void **state)
{
    size_t len = 4u << 20;
    char *big;
    int how;
    (void)state;
    if (!uring_ready())
        skip();
    big = (char *)calloc(1, len);
    assert_non_null(big);
    for (how = 0; how < 3; how++) {
        ring_pair x;
        sk_buf buf = {NULL, 0, 0};
        int i, rc;
        rp_open(&x, 65536);
        sup_assert_rc(sk_conn_write(x.c, big, len), 0);
        sup_send_str(x.p, "in flight");
        /* the bytes the socket took went at once, the rest as a send on
         * the ring with the first wait: in the kernel, waiting for room,
         * once the peer's bytes are read */
        for (i = 0; i < (int)RP_TURNS && x.got < 9; i++)
            rp_turn(&x);
        assert_int_equal(x.got, 9);
        assert_true(x.c->q != NULL && x.c->q->inflight != 0);
        if (how == 0) {
            sup_assert_rc(sk_conn_abort(x.c), 0);
            assert_int_equal(sk_conn_state(x.c), SK_CONN_UNCONNECTED);
        } else if (how == 1) {
            sk_conn_free(x.c); /* a live connection: reset */
            x.c = NULL;
        } else {
            sup_assert_rc(sk_conn_disconnect(x.c), 0); /* flushes */
        }
        (void)sk_send(x.p, "late", 4, 1, -1, NULL); /* (reset, maybe) */
        for (i = 0; i < 5; i++)
            sup_assert_rc(sk_loop_run(x.loop, SK_RUN_NOWAIT), 0);
        if (how == 2) {
            /* the flush goes on: the peer reads it all, then the end */
            ring_reader rd;
            rd.s = x.p;
            rd.want = len;
            rd.got = 0;
            rd.rc = 0;
            {
                sup_thread *t = sup_thread_start(reader_run, &rd);
                long k;
                for (k = 0; k < RP_TURNS && x.written < len; k++)
                    rp_turn(&x);
                sup_thread_join(t);
            }
            sup_assert_rc(rd.rc, 0);
            assert_int_equal(rd.got, len);
        }
        /* the peer sees the end: the close or the reset, at once or
         * after what was sent */
        do {
            buf.len = 0;
            rc = sk_receive(x.p, &buf, SK_BYTES, 65536);
            if (how == 2 && rc == 0)
                (void)sk_loop_run(x.loop, SK_RUN_NOWAIT);
        } while (rc == 0);
        assert_true(rc == SK_ECLOSED || rc == SK_ECONNRESET);
        sk_buf_free(&buf);
        rp_close(&x);
    }
    free(big);
}

/* A write in completion mode goes to the system at once (as on epoll),
 * unless the loop is dispatching a batch of completions: then it waits
 * for the loop's next wait, with the other connections' sends.  Bytes
 * written that way and at once arrive in order. */
static void t_ring_write_at_once(void **state)
{
    ring_pair x;
    sk_buf buf = {NULL, 0, 0};
    long i;
    (void)state;
    if (!uring_ready())
        skip();
    rp_open(&x, 0);
    assert_true(in_ring_mode(x.c));
    sup_assert_rc(sk_conn_write(x.c, "first ", 6), 0);
    assert_true(x.c->q == NULL || /* (bytes_written to tell) */
                (x.c->q->inflight == 0 && x.c->q->wb.len == 0));
    sup_assert_rc(sk_receive(x.p, &buf, SK_BYTES, 6), 0); /* (no turn) */
    assert_memory_equal(buf.data, "first ", 6);
    x.loop->batched = 1; /* as in a handler amid a batch of completions */
    sup_assert_rc(sk_conn_write(x.c, "second ", 7), 0);
    assert_true(x.c->q != NULL && x.c->q->inflight == 7);
    x.loop->batched = 0;
    sup_assert_rc(sk_conn_write(x.c, "third", 5), 0); /* behind it */
    assert_int_equal(x.c->q->wb.len - x.c->q->wfirst, 12);
    for (i = 0; i < RP_TURNS && x.c->q != NULL &&
                x.c->q->wb.len != x.c->q->wfirst;
         i++)
        rp_turn(&x);
    buf.len = 0;
    sup_assert_rc(sk_receive(x.p, &buf, SK_BYTES, 12), 0);
    assert_memory_equal(buf.data, "second third", 12);
    for (i = 0; i < RP_TURNS && x.written < 18; i++)
        rp_turn(&x);
    assert_int_equal(x.written, 18); /* bytes_written told them all */
    assert_int_equal(sk_conn_state(x.c), SK_CONN_CONNECTED);
    sk_buf_free(&buf);
    rp_close(&x);
}

/* An abort while a send is queued for the next wait and the queue grew
 * into a new block meanwhile (the send's bytes stay in the old one): the
 * removal of the registration submits the send before it cancels it, so
 * the bytes it names must still be the connection's then.  The peer gets
 * the bytes written, or none, then the reset; never other bytes (a block
 * freed first would send what the allocator wrote over it). */
static void t_ring_abort_queued_send(void **state)
{
    ring_pair x;
    char a[200], b[1000], buf[4096];
    size_t got = 0, i;
    int rc = 0, turns, odd = 0;
    (void)state;
    if (!uring_ready())
        skip();
    rp_open(&x, 0);
    memset(a, 'a', sizeof a);
    memset(b, 'b', sizeof b);
    x.loop->batched = 1; /* as in a handler amid a batch of completions */
    sup_assert_rc(sk_conn_write(x.c, a, sizeof a), 0); /* queued */
    assert_true(x.c->q != NULL && x.c->q->inflight == sizeof a);
    sup_assert_rc(sk_conn_write(x.c, b, sizeof b), 0); /* a new block */
    assert_non_null(x.c->q->held);
    x.loop->batched = 0;
    sup_assert_rc(sk_conn_abort(x.c), 0);
    for (turns = 0; turns < 100; turns++) {
        size_t n = 0;
        rc = sk_read(x.p, buf, sizeof buf, &n);
        if (rc != 0)
            break;
        for (i = 0; i < n; i++)
            odd += buf[i] != 'a';
        got += n;
    }
    print_message("abort: the peer read %lu bytes (%d not written)\n",
                  (unsigned long)got, odd);
    assert_int_equal(odd, 0);
    assert_true(got == 0 || got == sizeof a);
    assert_true(rc == SK_ECONNRESET || rc == SK_ECLOSED);
    rp_close(&x);
}

/* The bytes the poller receives next for its one registration, want of
 * them, checked against data (a bounded number of waits: each returns as
 * soon as something completes); where the first of them was in the
 * poller's buffers. */
static const char *rewind_recv(sk__poller *p, const char *data, size_t want)
{
    sk__pollout out[8];
    const char *first = NULL;
    size_t got = 0, n = 0, i;
    int turn, sys = 0;
    for (turn = 0; turn < 100 && got < want; turn++) {
        sup_assert_rc(p->ops->wait(p, 1000, out, 8, &n, &sys), 0);
        for (i = 0; i < n; i++) {
            const char *d;
            if (!(out[i].events & SK__WAIT_RECV) ||
                (out[i].events & SK__WAIT_ERROR) || out[i].n == 0)
                continue;
            d = p->io->data(p, &out[i]);
            assert_true(got + out[i].n <= want);
            assert_memory_equal(d, data + got, out[i].n);
            if (first == NULL)
                first = d;
            got += out[i].n;
        }
    }
    assert_int_equal(got, want);
    return first;
}

/* Issue 18 (idle memory): bytes that trickle in, each reported and copied
 * before the next arrive, do not walk the whole buffer area: once a page
 * of the buffer in use is used, it starts over (a quiet loop then touches
 * a page or two of the area).  With incremental buffers the second
 * receive would otherwise start where the first ended. */
static void t_ring_rewind(void **state)
{
    sk__poller *p = NULL;
    sk__pollreg reg;
    sk_sock *a = NULL, *b = NULL;
    static char big[5000];
    const char *d1, *d2;
    uint64_t seed = 7;
    int sys = 0, tag = 0;
    (void)state;
    p = uring_poller(1, "rewind");
    if (p == NULL)
        skip();
    sup_pair(&a, &b);
    reg.fd = sk_getfd(a);
    reg.events = SK__WAIT_READ | SK__WAIT_RECV;
    reg.ptr = &tag;
    sup_assert_rc(p->ops->add(p, &reg, &sys), 0);
    sup_fill(&seed, big, sizeof big);
    sup_send_all(b, big, sizeof big);
    d1 = rewind_recv(p, big, sizeof big);
    sup_send_str(b, "defg");
    d2 = rewind_recv(p, "defg", 4);
    print_message("rewind: the second receive at %+ld bytes from the first\n",
                  (long)(d2 - d1));
    assert_true(d2 != d1 + sizeof big); /* (incremental: at d1 again) */
    p->ops->del(p, &reg, 0);
    p->ops->free(p);
    sk_free(a);
    sk_free(b);
}

/* Issue 18 (idle memory): the poller's to-do list grows by use, and when
 * it cannot grow, a registration queued meanwhile is found by a scan of
 * the slots at the next wait: it is armed all the same and reports what
 * is ready.  (The 65th registration's queueing fails: the list's first
 * growth, from its 64 entries.) */
#define SCAN_N 70
static void t_uring_todo_scan(void **state)
{
    sk__poller *p = NULL;
    sk__pollreg reg[SCAN_N];
    sk_sock *a[SCAN_N], *b[SCAN_N];
    int seen[SCAN_N], tag[SCAN_N];
    int sys = 0, i, turn, nseen = 0;
    (void)state;
    p = uring_poller(0, "scan");
    if (p == NULL)
        skip();
    sup_assert_rc(p->ops->reserve(p, SCAN_N), 0);
    for (i = 0; i < SCAN_N; i++) {
        sup_pair(&a[i], &b[i]);
        seen[i] = 0;
        tag[i] = i;
        reg[i].fd = sk_getfd(a[i]);
        reg[i].events = SK__WAIT_READ;
        reg[i].ptr = &tag[i];
    }
    sk__test_alloc_fail_at(1); /* the list's first growth */
    for (i = 0; i < SCAN_N; i++)
        sup_assert_rc(p->ops->add(p, &reg[i], &sys), 0);
    assert_true(sk__test_alloc_failed());
    sk__test_alloc_fail_at(0);
    for (i = 0; i < SCAN_N; i++)
        sup_send_str(b[i], "x");
    /* (level-triggered: what was reported is reported again, so that no
     * wait sleeps once the first have come) */
    for (turn = 0; turn < 50 && nseen < SCAN_N; turn++) {
        sk__pollout out[2 * SCAN_N];
        size_t n = 0, k;
        sup_assert_rc(p->ops->wait(p, 1000, out, 2 * SCAN_N, &n, &sys), 0);
        for (k = 0; k < n; k++) {
            int t = *(const int *)out[k].ptr;
            if ((out[k].events & SK__WAIT_READ) && !seen[t]) {
                seen[t] = 1;
                nseen++;
            }
        }
    }
    assert_int_equal(nseen, SCAN_N);
    for (i = 0; i < SCAN_N; i++) {
        p->ops->del(p, &reg[i], 0);
        sk_free(a[i]);
        sk_free(b[i]);
    }
    p->ops->free(p);
}

/* A registration that leaves completion mode for reading and writing
 * (a read limit, say) while its receive is still in the kernel: the poll
 * request armed then leaves reading to that receive, and once the
 * receive's last completion came, reading must be polled again, not wait
 * for writability (here never: the peer does not read). */
static void t_ring_leave_recv(void **state)
{
    sk__poller *p = NULL;
    sk__pollreg reg;
    sk__pollout out[8];
    sk_sock *a = NULL, *b = NULL;
    static char fill[65536];
    size_t n = 0, i, k = 0;
    int sys = 0, tag = 0, turn, got = 0;
    (void)state;
    p = uring_poller(1, "leave");
    if (p == NULL)
        skip();
    sup_nb_pair(&a, &b);
    /* a's sending side full: never writable while b does not read */
    for (i = 0; i < 4096; i++)
        if (sk_send(a, fill, sizeof fill, 1, -1, NULL) != 0)
            break;
    reg.fd = sk_getfd(a);
    reg.events = SK__WAIT_READ | SK__WAIT_RECV;
    reg.ptr = &tag;
    sup_assert_rc(p->ops->add(p, &reg, &sys), 0);
    sup_assert_rc(p->ops->wait(p, 0, out, 8, &n, &sys), 0); /* armed */
    reg.events = SK__WAIT_READ | SK__WAIT_WRITE;
    sup_assert_rc(p->ops->mod(p, &reg, &sys), 0); /* the receive goes */
    sup_assert_rc(p->ops->wait(p, 0, out, 8, &n, &sys), 0);
    sup_assert_rc(p->ops->wait(p, 0, out, 8, &n, &sys), 0);
    sup_assert_rc(sk_send(b, "x", 1, 1, -1, NULL), 0);
    for (turn = 0; turn < 5 && !got; turn++) {
        sup_assert_rc(p->ops->wait(p, 1000, out, 8, &n, &sys), 0);
        for (k = 0; k < n; k++)
            got |= (out[k].events & SK__WAIT_READ) != 0;
    }
    assert_true(got);
    p->ops->del(p, &reg, 0);
    p->ops->free(p);
    sk_free(a);
    sk_free(b);
}

/* A loop handed to another thread (its ring is replaced: the buffer ring
 * registered again, the receive armed again) while bytes arrive. */
typedef struct ring_run {
    ring_pair *x;
    size_t until;
} ring_run;

static void run_until_got(void *arg)
{
    ring_run *r = (ring_run *)arg;
    long i;
    for (i = 0; i < RP_TURNS && r->x->got < r->until && r->x->error == RP_NONE; i++)
        rp_turn(r->x);
}

static void t_ring_handover(void **state)
{
    ring_pair x;
    ring_run r;
    sup_thread *t;
    int round;
    (void)state;
    if (!uring_ready())
        skip();
    rp_open(&x, 0);
    x.echo = 1;
    r.x = &x;
    r.until = 0;
    for (round = 0; round < 4; round++) {
        r.until += 6;
        t = sup_thread_start(run_until_got, &r);
        sup_send_str(x.p, "hello\n");
        sup_thread_join(t);
        assert_int_equal(x.error, RP_NONE);
        assert_int_equal(x.got, r.until);
        sup_expect_str(x.p, "hello\n"); /* echoed (the sends too) */
        /* and back on this thread */
        r.until += 4;
        sup_send_str(x.p, "bye\n");
        run_until_got(&r);
        assert_int_equal(x.got, r.until);
        sup_expect_str(x.p, "bye\n");
    }
    assert_true(in_ring_mode(x.c));
    rp_close(&x);
}

/* The peer sends, then closes: every byte arrives, then the error and the
 * disconnection, as on readiness. */
static void t_ring_peer_closes(void **state)
{
    ring_pair x;
    size_t len = 300000;
    uint64_t seed = 3, want;
    char *data;
    long i;
    (void)state;
    if (!uring_ready())
        skip();
    rp_open(&x, 0);
    data = (char *)malloc(len);
    assert_non_null(data);
    sup_fill(&seed, data, len);
    want = sup_hash(SUP_HASH_INIT, data, len);
    {
        sup_sender snd;
        sup_sender_start(&snd, x.p, data, len, 1); /* then shut */
        for (i = 0; i < RP_TURNS && !x.disconnected; i++)
            rp_turn(&x);
        sup_sender_join(&snd);
    }
    assert_int_equal(x.got, len);
    assert_true(x.hash == want);
    assert_int_equal(x.error, SK_CONN_ERR_REMOTE_HOST_CLOSED);
    assert_true(x.disconnected);
    assert_int_equal(sk_conn_state(x.c), SK_CONN_UNCONNECTED);
    free(data);
    rp_close(&x);
}

/* ---- multishot accept (sk_server on a uring loop) ------------------------ */

/* A line-echo sk_server on a uring loop, its connections kept to be freed
 * at the end; clients are plain blocking sockets of the test's thread. */
#define ACC_MAX 400
typedef struct acc_rig {
    sk_loop *loop;
    sk_server *srv;
    sk_timer *guard;
    int port, guard_fired, free_in_cb;
    long accepted;
    size_t echoed;
    sk_conn *conns[ACC_MAX];
} acc_rig;

static void acc_read(sk_conn *c, size_t available, void *ud)
{
    acc_rig *g = (acc_rig *)ud;
    char buf[512];
    size_t n = 0;
    (void)available;
    while (sk_conn_read(c, buf, sizeof buf, &n) == 0) {
        sup_assert_rc(sk_conn_write(c, buf, n), 0);
        g->echoed += n;
    }
}

static void acc_cb(sk_server *srv, sk_conn *c, void *ud)
{
    static const sk_conn_handlers h = {NULL, NULL, NULL, NULL,
                                       NULL, acc_read, NULL};
    acc_rig *g = (acc_rig *)ud;
    if (g->free_in_cb) {
        /* the rest of the burst (in this wait's entries, in the ring)
         * reaches a server that is gone */
        g->accepted++;
        sk_conn_free(c);
        sk_server_free(srv);
        g->srv = NULL;
        return;
    }
    assert_true(g->accepted < ACC_MAX);
    sup_assert_rc(sk_conn_sethandlers(c, &h, g), 0);
    g->conns[g->accepted++] = c;
}

static void acc_guard(sk_timer *t, void *ud)
{
    (void)t;
    ((acc_rig *)ud)->guard_fired = 1;
}

/* Whether the server accepts in completion mode (its listener's watch
 * asks the poller to accept). */
static int acc_ring_mode(sk_server *srv)
{
    sk_sock *ls = NULL;
    sk_watch *w;
    sup_assert_rc(sk_server_sock(srv, &ls), 0);
    w = sk__watch_of(ls);
    return w != NULL && (w->events & SK__WAIT_ACCEPT) != 0;
}

static void acc_open(acc_rig *g, int backlog)
{
    sk_sock *ls = NULL;
    memset(g, 0, sizeof *g);
    sup_assert_rc(sk_loop_new_backend(&g->loop, "uring"), 0);
    sup_assert_rc(sk_timer_new(g->loop, &g->guard), 0);
    sup_assert_rc(sk_timer_start(g->guard, SUP_SAFETY_TIMEOUT, 0, acc_guard,
                                 g),
                  0);
    sup_assert_rc(sk_server_new(g->loop, &g->srv), 0);
    sup_assert_rc(sk_server_listen(g->srv, "127.0.0.1", 0, backlog, acc_cb,
                                   g),
                  0);
    sup_assert_rc(sk_server_sock(g->srv, &ls), 0);
    g->port = sup_port(ls);
    assert_true(acc_ring_mode(g->srv));
}

static void acc_close(acc_rig *g)
{
    long i;
    for (i = 0; i < g->accepted && !g->free_in_cb; i++)
        sk_conn_free(g->conns[i]);
    sk_server_free(g->srv);
    sk_timer_free(g->guard);
    sk_loop_free(g->loop);
}

/* Run g's loop until accepted reaches n and echoed bytes (bounded by the
 * guard timer). */
static void acc_run(acc_rig *g, long n, size_t bytes)
{
    long i;
    for (i = 0; i < 1000000L && !g->guard_fired &&
                (g->accepted < n || g->echoed < bytes);
         i++)
        sup_assert_rc(sk_loop_run(g->loop, SK_RUN_ONCE), 0);
    assert_false(g->guard_fired);
    assert_int_equal(g->accepted, n);
    assert_int_equal(g->echoed, bytes);
}

static void acc_connect(sk_sock **cl, int n, int port)
{
    int i;
    for (i = 0; i < n; i++)
        sup_connect4(&cl[i], port);
}

static size_t acc_send_lines(sk_sock **cl, int n)
{
    size_t bytes = 0;
    int i;
    for (i = 0; i < n; i++) {
        char line[32];
        snprintf(line, sizeof line, "client %d\n", i);
        sup_send_str(cl[i], line);
        bytes += strlen(line);
    }
    return bytes;
}

static void acc_expect_lines(sk_sock **cl, int n)
{
    int i;
    for (i = 0; i < n; i++) {
        char line[32];
        snprintf(line, sizeof line, "client %d\n", i);
        sup_expect_str(cl[i], line);
    }
}

static void acc_free_clients(sk_sock **cl, int n)
{
    int i;
    for (i = 0; i < n; i++)
        sk_free(cl[i]);
}

/* Many connections at once: all accepted (one multishot accept, several
 * completions a wait), each line echoed; the server's counts say so; no
 * descriptor is left behind.  With single-shot accepts (the test hook:
 * no IORING_CQE_F_MORE, so the poller arms the accept again after each)
 * the same. */
#define ACC_BURST 300
static sk_sock *acc_cl[ACC_BURST];

static void accept_burst(int oneshot)
{
    acc_rig g;
    sk_server_stats st;
    size_t fds0, bytes;
    print_message("burst of %d: %s accepts\n", ACC_BURST,
                  oneshot ? "single-shot" : "multishot");
    fds0 = sup_open_fds();
    if (oneshot)
        sk__test_uring_bufs(256, 4096, 1);
    acc_open(&g, ACC_BURST + 16);
    sk__test_uring_bufs(0, 0, 0);
    sup_assert_rc(sk_loop_run(g.loop, SK_RUN_NOWAIT), 0); /* armed */
    acc_connect(acc_cl, ACC_BURST, g.port); /* (in the backlog) */
    bytes = acc_send_lines(acc_cl, ACC_BURST);
    acc_run(&g, ACC_BURST, bytes);
    acc_expect_lines(acc_cl, ACC_BURST);
    sup_assert_rc(sk_server_getstats(g.srv, &st), 0);
    assert_int_equal((long)st.accepted, ACC_BURST);
    assert_int_equal((long)st.failed, 0);
    assert_int_equal(st.paused, 0);
    assert_true(acc_ring_mode(g.srv));
    /* and one more, later, on the same accept */
    {
        sk_sock *one = NULL;
        sup_connect4(&one, g.port);
        sup_send_str(one, "late\n");
        acc_run(&g, ACC_BURST + 1, bytes + 5);
        sup_expect_str(one, "late\n");
        sk_free(one);
    }
    acc_close(&g);
    acc_free_clients(acc_cl, ACC_BURST);
    assert_int_equal(sup_open_fds(), fds0);
}

static void t_accept_burst(void **state)
{
    (void)state;
    if (!uring_ready())
        skip();
    if (sup_fd_capacity() < 2 * ACC_BURST + 64) {
        print_message("skipped: fewer than %d descriptors allowed\n",
                      2 * ACC_BURST + 64);
        skip();
    }
    accept_burst(0);
    accept_burst(1);
}

/* A server closed or freed with connections pending: in its backlog (not
 * accepted yet), accepted by the kernel and waiting in the ring, or in
 * the wait's entries still to be dispatched (the callback frees the
 * server at the first of a burst larger than one wait reports).  Every
 * descriptor is closed (none left open), the clients see their end. */
static void accept_gone(int how)
{
    static const char *const what[] = {
        "freed before any accept", "closed, then the loop freed at once",
        "freed in its callback, the loop run on",
        "freed in its callback, the loop freed at once"};
    acc_rig g;
    size_t fds0;
    int i;
    print_message("server %s\n", what[how]);
    fds0 = sup_open_fds();
    acc_open(&g, ACC_BURST + 16);
    sup_assert_rc(sk_loop_run(g.loop, SK_RUN_NOWAIT), 0); /* armed */
    acc_connect(acc_cl, 150, g.port);
    if (how == 0) {
        sk_server_free(g.srv);
        g.srv = NULL;
        for (i = 0; i < 3; i++)
            sup_assert_rc(sk_loop_run(g.loop, SK_RUN_NOWAIT), 0);
    } else if (how == 1) {
        sup_assert_rc(sk_server_close(g.srv), 0);
    } else {
        g.free_in_cb = 1;
        for (i = 0; i < 1000 && g.accepted == 0 && !g.guard_fired; i++)
            sup_assert_rc(sk_loop_run(g.loop, SK_RUN_ONCE), 0);
        assert_int_equal(g.accepted, 1);
        assert_null(g.srv);
        if (how == 2)
            for (i = 0; i < 3; i++)
                sup_assert_rc(sk_loop_run(g.loop, SK_RUN_NOWAIT), 0);
    }
    acc_close(&g);
    /* each client sees the end: a reset or a close, never a hang */
    for (i = 0; i < 150; i++) {
        sk_buf b = {NULL, 0, 0};
        int rc = sk_receive(acc_cl[i], &b, SK_ALL, 0);
        assert_true(rc == SK_ECLOSED || rc == SK_ECONNRESET);
        sk_buf_free(&b);
    }
    acc_free_clients(acc_cl, 150);
    assert_int_equal(sup_open_fds(), fds0);
}

static void t_accept_server_gone(void **state)
{
    int how;
    (void)state;
    if (!uring_ready())
        skip();
    if (sup_fd_capacity() < 2 * ACC_BURST + 64)
        skip();
    for (how = 0; how < 4; how++)
        accept_gone(how);
}

/* The server's loop run by another thread (its ring replaced, the accept
 * armed again there) while clients connect, then back on this one. */
typedef struct acc_runner {
    acc_rig *g;
    long n;
    size_t bytes;
} acc_runner;

static void acc_runner_run(void *arg)
{
    acc_runner *r = (acc_runner *)arg;
    long i;
    for (i = 0; i < 1000000L && !r->g->guard_fired &&
                (r->g->accepted < r->n || r->g->echoed < r->bytes);
         i++)
        if (sk_loop_run(r->g->loop, SK_RUN_ONCE) != 0)
            break;
}

static void t_accept_handover(void **state)
{
    acc_rig g;
    acc_runner r;
    sup_thread *t;
    size_t fds0, bytes;
    int round;
    (void)state;
    if (!uring_ready())
        skip();
    fds0 = sup_open_fds();
    acc_open(&g, 64);
    sup_assert_rc(sk_loop_run(g.loop, SK_RUN_NOWAIT), 0); /* armed here */
    r.g = &g;
    r.n = 0;
    r.bytes = 0;
    for (round = 0; round < 3; round++) {
        /* connected while the accept is armed by the other ring */
        acc_connect(acc_cl + 10 * round, 5, g.port);
        bytes = acc_send_lines(acc_cl + 10 * round, 5);
        r.n += 5;
        r.bytes += bytes;
        t = sup_thread_start(acc_runner_run, &r);
        sup_thread_join(t);
        assert_false(g.guard_fired);
        assert_int_equal(g.accepted, r.n);
        assert_int_equal(g.echoed, r.bytes);
        acc_expect_lines(acc_cl + 10 * round, 5);
        /* and back on this thread */
        acc_connect(acc_cl + 10 * round + 5, 5, g.port);
        r.bytes += acc_send_lines(acc_cl + 10 * round + 5, 5);
        r.n += 5;
        acc_run(&g, r.n, r.bytes);
        acc_expect_lines(acc_cl + 10 * round + 5, 5);
    }
    assert_true(acc_ring_mode(g.srv));
    acc_close(&g);
    acc_free_clients(acc_cl, 30);
    assert_int_equal(sup_open_fds(), fds0);
}

/* Out of descriptors: the accept fails (EMFILE), the server counts it
 * and pauses (one failure per pause, no spinning); with descriptors back
 * it accepts again and every waiting client is served. */
#define ACC_FULL 8
static void t_accept_emfile(void **state)
{
    acc_rig g;
    sk_server_stats st;
    sk_sock **fill;
    size_t room, fds0, bytes;
    int nfill = 0, i, paused = 0;
    (void)state;
    if (!uring_ready())
        skip();
    if (sup_under_valgrind())
        skip();
    fds0 = sup_open_fds();
    acc_open(&g, 16); /* (not armed yet: the limit counts from the arming) */
    acc_connect(acc_cl, ACC_FULL, g.port);
    bytes = acc_send_lines(acc_cl, ACC_FULL);
    room = sup_fd_limit_lower(1);
    if (room == 0) {
        acc_close(&g);
        acc_free_clients(acc_cl, ACC_FULL);
        skip();
    }
    fill = (sk_sock **)calloc(room + 1, sizeof *fill);
    assert_non_null(fill);
    while ((size_t)nfill <= room && sk_tcp4(&fill[nfill]) == 0)
        nfill++;
    for (i = 0; i < 12; i++) {
        sup_assert_rc(sk_loop_run(g.loop, SK_RUN_ONCE), 0);
        sup_assert_rc(sk_server_getstats(g.srv, &st), 0);
        paused |= st.paused;
        assert_int_equal((long)st.accepted, 0);
    }
    for (i = 0; i < nfill; i++)
        sk_free(fill[i]);
    free(fill);
    sup_fd_limit_restore();
    sup_assert_rc(sk_server_getstats(g.srv, &st), 0);
    print_message("descriptors exhausted: %ld failed accepts in 12 "
                  "iterations, paused %s\n",
                  (long)st.failed, paused ? "yes" : "no");
    assert_true(st.failed >= 1 && st.failed <= 12);
    assert_true(paused);
    acc_run(&g, ACC_FULL, bytes);
    acc_expect_lines(acc_cl, ACC_FULL);
    assert_true(acc_ring_mode(g.srv));
    acc_close(&g);
    acc_free_clients(acc_cl, ACC_FULL);
    assert_int_equal(sup_open_fds(), fds0);
}

/* No memory for the first connection's object (the test hook fails the
 * first allocation after the burst came): the server counts the failure,
 * holds that descriptor and those that come after it (more than the 16 it
 * reserved: the list grows), pauses, and when accepting resumes hands them
 * all over in order; every client is served. */
#define ACC_HELD 40
static void t_accept_no_memory(void **state)
{
    acc_rig g;
    sk_server_stats st;
    size_t fds0, bytes;
    (void)state;
    if (!uring_ready())
        skip();
    fds0 = sup_open_fds();
    acc_open(&g, ACC_HELD + 16);
    sup_assert_rc(sk_loop_run(g.loop, SK_RUN_NOWAIT), 0); /* armed */
    acc_connect(acc_cl, ACC_HELD, g.port);
    bytes = acc_send_lines(acc_cl, ACC_HELD);
    sk__test_alloc_fail_at(1);
    sup_assert_rc(sk_loop_run(g.loop, SK_RUN_NOWAIT), 0);
    assert_true(sk__test_alloc_failed());
    sk__test_alloc_fail_at(0);
    sup_assert_rc(sk_server_getstats(g.srv, &st), 0);
    assert_int_equal((long)st.failed, 1);
    assert_int_equal(st.paused, 1);
    assert_int_equal(g.accepted, 0);
    acc_run(&g, ACC_HELD, bytes); /* (after the pause) */
    acc_expect_lines(acc_cl, ACC_HELD);
    sup_assert_rc(sk_server_getstats(g.srv, &st), 0);
    assert_int_equal((long)st.accepted, ACC_HELD);
    assert_int_equal((long)st.failed, 1);
    acc_close(&g);
    acc_free_clients(acc_cl, ACC_HELD);
    assert_int_equal(sup_open_fds(), fds0);
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
        cmocka_unit_test(t_ring_echo),
        cmocka_unit_test(t_ring_large_write),
        cmocka_unit_test(t_ring_close_in_flight),
        cmocka_unit_test(t_ring_write_at_once),
        cmocka_unit_test(t_ring_abort_queued_send),
        cmocka_unit_test(t_ring_rewind),
        cmocka_unit_test(t_uring_todo_scan),
        cmocka_unit_test(t_ring_leave_recv),
        cmocka_unit_test(t_ring_handover),
        cmocka_unit_test(t_ring_peer_closes),
        cmocka_unit_test(t_accept_burst),
        cmocka_unit_test(t_accept_server_gone),
        cmocka_unit_test(t_accept_handover),
        cmocka_unit_test(t_accept_emfile),
        cmocka_unit_test(t_accept_no_memory),
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
