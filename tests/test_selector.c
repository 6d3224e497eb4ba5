/* SPDX-License-Identifier: MIT */
/*
 * test_selector.c - sk_selector on every backend this build has: readable,
 * writable and both, buffered bytes, listeners, peer close and refused
 * connects, capacity smaller than what is ready, interest changes and
 * removal, members closed or freed, 1,000+ members, timeouts, one object
 * in two selectors, bad input.
 */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MANY 1002 /* members of the large test: beyond 1,000 and Windows' 64 */

static sk_selector *sel_new(const char *backend)
{
    sk_selector *sel = NULL;
    sup_assert_rc(sk_selector_new_backend(&sel, backend), 0);
    assert_non_null(sel);
    assert_string_equal(sk_selector_backend(sel), backend);
    return sel;
}

/* One wait (safety timeout) that must report exactly s, with events. */
static int wait_only(sk_selector *sel, sk_sock *s)
{
    sk_sock *ready[4] = {NULL, NULL, NULL, NULL};
    int ev[4] = {0, 0, 0, 0};
    size_t n = 0;
    sup_assert_rc(sk_selector_wait(sel, SUP_SAFETY_TIMEOUT, ready, ev, 4, &n),
                  0);
    assert_int_equal(n, 1);
    assert_ptr_equal(ready[0], s);
    assert_int_not_equal(ev[0], 0);
    return ev[0];
}

/* A wait that does not wait must find nothing. */
static void wait_none(sk_selector *sel)
{
    sk_sock *ready[4];
    int ev[4];
    size_t n = 7;
    sup_assert_rc(sk_selector_wait(sel, 0, ready, ev, 4, &n), SK_ETIMEOUT);
    assert_int_equal(n, 0);
}

static double nan_value(void)
{
    volatile double zero = 0.0;
    return zero / zero;
}

static void noop_cb(sk_watch *w, int events, void *ud)
{
    (void)w;
    (void)events;
    (void)ud;
}

/* ---- readable, writable, both ------------------------------------------ */

static void run_readwrite(const char *backend)
{
    sk_selector *sel = sel_new(backend);
    sk_sock *a = NULL, *b = NULL;
    char buf[16];
    size_t got = 0;
    int ev;
    sup_nb_pair(&a, &b);
    sup_assert_rc(sk_selector_add(sel, b, SK_READABLE), 0);
    wait_none(sel); /* nothing sent yet */
    sup_assert_rc(sk_selector_add(sel, a, SK_WRITABLE), 0);
    ev = wait_only(sel, a);
    assert_int_equal(ev, SK_WRITABLE);
    sup_assert_rc(sk_selector_set(sel, a, 0), 0); /* paused */
    wait_none(sel);
    sup_send_str(a, "hi");
    ev = wait_only(sel, b);
    assert_int_equal(ev & (SK_READABLE | SK_WRITABLE), SK_READABLE);
    sup_assert_rc(sk_selector_set(sel, b, SK_READABLE | SK_WRITABLE), 0);
    ev = wait_only(sel, b);
    assert_int_equal(ev & (SK_READABLE | SK_WRITABLE),
                     SK_READABLE | SK_WRITABLE);
    sup_assert_rc(sk_read(b, buf, sizeof buf, &got), 0);
    assert_int_equal(got, 2);
    ev = wait_only(sel, b); /* only writable now */
    assert_int_equal(ev & (SK_READABLE | SK_WRITABLE), SK_WRITABLE);
    sup_assert_rc(sk_selector_set(sel, b, SK_READABLE), 0);
    wait_none(sel);
    sk_selector_free(sel);
    sk_free(a);
    sk_free(b);
}

static void t_readwrite(void **state)
{
    (void)state;
    sup_each_backend(run_readwrite);
}

/* ---- buffered bytes ---------------------------------------------------- */

/* Bytes sockit holds are readable although the system has none left. */
static void run_buffered(const char *backend)
{
    sk_selector *sel = sel_new(backend);
    sk_sock *a = NULL, *b = NULL, *c = NULL, *d = NULL;
    sk_buf line = {NULL, 0, 0};
    int ev;
    sup_nb_pair(&a, &b);
    sup_nb_pair(&c, &d);
    sup_assert_rc(sk_selector_add(sel, b, SK_READABLE), 0);
    sup_assert_rc(sk_selector_add(sel, d, SK_READABLE), 0);
    sup_send_str(a, "one\npartial");
    sup_wait_readable(b);
    sup_assert_rc(sk_receive(b, &line, SK_LINE, 0), 0);
    sup_assert_bufstr(&line, "one");
    assert_int_equal(sk_dirty(b), 1); /* "partial" is held by sockit */
    ev = wait_only(sel, b);
    assert_int_equal(ev, SK_READABLE);
    /* Still buffered: reported again by the next wait, which does not
     * wait (timeout 0), however often it is asked. */
    ev = wait_only(sel, b);
    assert_int_equal(ev, SK_READABLE);
    /* A member the system has ready is not starved by a buffered one. */
    sup_send_str(c, "x");
    sup_wait_readable(d);
    {
        sk_sock *ready[4];
        int evs[4];
        size_t n = 0, i, seen_b = 0, seen_d = 0, round;
        for (round = 0; round < 3; round++) {
            sup_assert_rc(sk_selector_wait(sel, 0, ready, evs, 4, &n), 0);
            for (i = 0; i < n; i++) {
                seen_b += ready[i] == b;
                seen_d += ready[i] == d;
            }
        }
        assert_true(seen_b > 0);
        assert_true(seen_d > 0);
    }
    /* Taking the partial line out leaves b with nothing. */
    line.len = 0;
    sup_assert_rc(sk_receive(b, &line, SK_SOME, 0), 0);
    sup_assert_bufstr(&line, "partial");
    assert_int_equal(sk_dirty(b), 0);
    sup_assert_rc(sk_selector_remove(sel, d), 0);
    wait_none(sel);
    /* Added while holding bytes: readable at once. */
    sup_assert_rc(sk_selector_remove(sel, b), 0);
    sup_send_str(a, "two\nmore");
    sup_wait_readable(b);
    line.len = 0;
    sup_assert_rc(sk_receive(b, &line, SK_LINE, 0), 0);
    sup_assert_bufstr(&line, "two");
    assert_int_equal(sk_dirty(b), 1);
    sup_assert_rc(sk_selector_add(sel, b, SK_READABLE), 0);
    ev = wait_only(sel, b);
    assert_int_equal(ev, SK_READABLE);
    /* Buffered bytes do not make a member writable-only ready. */
    sup_assert_rc(sk_selector_set(sel, b, 0), 0);
    wait_none(sel);
    sk_buf_free(&line);
    sk_selector_free(sel);
    sk_free(a);
    sk_free(b);
    sk_free(c);
    sk_free(d);
}

static void t_buffered(void **state)
{
    (void)state;
    sup_each_backend(run_buffered);
}

/* ---- listeners, peer close, refused connect ---------------------------- */

static void run_events(const char *backend)
{
    sk_selector *sel = sel_new(backend);
    sk_sock *srv = NULL, *c = NULL, *acc = NULL, *a = NULL, *b = NULL;
    char buf[8];
    size_t got = 0;
    int port = 0, ev, r;

    /* A listener is readable while a connection waits. */
    sup_listen4(&srv, &port, 8);
    sup_assert_rc(sk_setblocking(srv, 0), 0);
    sup_assert_rc(sk_selector_add(sel, srv, SK_READABLE), 0);
    wait_none(sel);
    sup_connect4(&c, port);
    ev = wait_only(sel, srv);
    assert_true(ev & SK_READABLE);
    sup_assert_rc(sk_accept(srv, &acc, NULL), 0);
    wait_none(sel);
    sk_free(acc);
    sk_free(c);
    sk_free(srv); /* freed while a member: out of the selector */
    wait_none(sel);

    /* A peer's close. */
    sup_nb_pair(&a, &b);
    sup_assert_rc(sk_selector_add(sel, b, SK_READABLE), 0);
    sup_assert_rc(sk_close(a), 0);
    ev = wait_only(sel, b);
    print_message("%s: peer close gives events %d\n", backend, ev);
    assert_true(ev & SK_READABLE);
    sup_assert_rc(sk_read(b, buf, sizeof buf, &got), SK_ECLOSED);
    sk_free(a);
    sk_free(b);

    /* A refused connect, with writable interest. */
    sup_listen4(&srv, &port, 1);
    sk_free(srv); /* nobody listens on port now */
    sup_assert_rc(sk_tcp4(&c), 0);
    sup_assert_rc(sk_setblocking(c, 0), 0);
    r = sk_connect(c, "127.0.0.1", port);
    if (r == SK_ECONNREFUSED) {
        print_message("%s: the refused connect failed at once\n", backend);
    } else {
        sup_assert_rc(r, SK_EINPROGRESS);
        sup_assert_rc(sk_selector_add(sel, c, SK_WRITABLE), 0);
        ev = wait_only(sel, c);
        print_message("%s: refused connect gives events %d\n", backend, ev);
        assert_true(ev & SK_ERRORED);
        sup_assert_rc(sk_read(c, buf, sizeof buf, &got), SK_ECONNREFUSED);
    }
    sk_free(c);
    sk_selector_free(sel);
}

static void t_events(void **state)
{
    (void)state;
    sup_each_backend(run_events);
}

/* ---- capacity: the rest comes with the next calls ----------------------- */

#define NCAP 8

static size_t index_of(sk_sock *const *v, size_t n, const sk_sock *s)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (v[i] == s)
            return i;
    return n;
}

static void run_capacity(const char *backend)
{
    sk_selector *sel = sel_new(backend);
    sk_sock *a[NCAP], *b[NCAP], *ready[NCAP];
    int ev[NCAP], seen[NCAP];
    size_t i, n, total, k, round;
    char buf[8];
    size_t got;

    for (i = 0; i < NCAP; i++) {
        sup_nb_pair(&a[i], &b[i]);
        sup_assert_rc(sk_selector_add(sel, b[i], SK_READABLE), 0);
        sup_send_str(a[i], "x");
        sup_wait_readable(b[i]);
    }
    /* Twice over: each ready member exactly once per pass, 3 at a time. */
    for (round = 0; round < 2; round++) {
        memset(seen, 0, sizeof seen);
        for (total = 0; total < NCAP; total += n) {
            n = 0;
            sup_assert_rc(sk_selector_wait(sel, 0, ready, ev, 3, &n), 0);
            assert_true(n >= 1 && n <= 3);
            for (i = 0; i < n; i++) {
                k = index_of(b, NCAP, ready[i]);
                assert_true(k < NCAP);
                assert_int_equal(ev[i], SK_READABLE);
                assert_int_equal(seen[k], 0);
                seen[k] = 1;
            }
        }
        assert_int_equal(total, NCAP);
    }
    /* With cap 1: the first handed out; of the queued rest, one removed,
     * one paused, one freed: none of them comes back. */
    n = 0;
    sup_assert_rc(sk_selector_wait(sel, 0, ready, ev, 1, &n), 0);
    assert_int_equal(n, 1);
    k = index_of(b, NCAP, ready[0]);
    assert_true(k < NCAP);
    memset(seen, 0, sizeof seen);
    seen[k] = 1;
    {
        size_t rm = (k + 1) % NCAP, pause = (k + 2) % NCAP,
               gone = (k + 3) % NCAP;
        sup_assert_rc(sk_selector_remove(sel, b[rm]), 0);
        sup_assert_rc(sk_selector_set(sel, b[pause], 0), 0);
        sk_free(b[gone]);
        b[gone] = NULL;
        seen[rm] = seen[pause] = seen[gone] = 1;
        for (total = 0; total < NCAP - 4; total += n) {
            n = 0;
            sup_assert_rc(sk_selector_wait(sel, 0, ready, ev, 1, &n), 0);
            assert_int_equal(n, 1);
            i = index_of(b, NCAP, ready[0]);
            assert_true(i < NCAP);
            assert_int_equal(seen[i], 0);
            seen[i] = 1;
        }
        /* Every one is read out: nothing is ready any more. */
        for (i = 0; i < NCAP; i++)
            if (b[i] != NULL && i != rm && i != pause) {
                got = 0;
                sup_assert_rc(sk_read(b[i], buf, sizeof buf, &got), 0);
            }
        wait_none(sel);
        /* The paused one resumes, the removed one comes back. */
        sup_assert_rc(sk_selector_set(sel, b[pause], SK_READABLE), 0);
        (void)wait_only(sel, b[pause]);
        sup_assert_rc(sk_read(b[pause], buf, sizeof buf, &got), 0);
        sup_assert_rc(sk_selector_add(sel, b[rm], SK_READABLE), 0);
        (void)wait_only(sel, b[rm]);
        sup_assert_rc(sk_read(b[rm], buf, sizeof buf, &got), 0);
        wait_none(sel);
    }
    sk_selector_free(sel);
    for (i = 0; i < NCAP; i++) {
        sk_free(a[i]);
        sk_free(b[i]);
    }
}

static void t_capacity(void **state)
{
    (void)state;
    sup_each_backend(run_capacity);
}

/* ---- membership: closed, freed, two selectors, selector freed ----------- */

static void run_membership(const char *backend)
{
    sk_selector *sel = sel_new(backend), *other = sel_new(backend);
    sk_loop *loop = NULL;
    sk_watch *w = NULL;
    sk_sock *a = NULL, *b = NULL;
    int ev;

    sup_nb_pair(&a, &b);
    sup_assert_rc(sk_selector_add(sel, b, SK_READABLE), 0);
    /* In one selector only, and not watched by a loop besides. */
    sup_assert_rc(sk_selector_add(sel, b, SK_READABLE), SK_EINVAL);
    sup_assert_rc(sk_selector_add(other, b, SK_READABLE), SK_EINVAL);
    sup_assert_rc(sk_selector_set(other, b, SK_READABLE), SK_EINVAL);
    sup_assert_rc(sk_selector_remove(other, b), SK_EINVAL);
    sup_assert_rc(sk_selector_set(sel, a, SK_READABLE), SK_EINVAL);
    sup_assert_rc(sk_selector_remove(sel, a), SK_EINVAL);
    sup_assert_rc(sk_loop_new(&loop), 0);
    sup_assert_rc(sk_watch_new(loop, b, noop_cb, NULL, &w), SK_EINVAL);
    assert_null(w);
    /* A watched object cannot join a selector. */
    sup_assert_rc(sk_watch_new(loop, a, noop_cb, NULL, &w), 0);
    sup_assert_rc(sk_selector_add(sel, a, SK_READABLE), SK_EINVAL);
    sup_assert_rc(sk_selector_set(sel, a, SK_READABLE), SK_EINVAL);
    sk_watch_free(w);
    sup_assert_rc(sk_selector_add(sel, a, SK_WRITABLE), 0);
    sup_assert_rc(sk_selector_remove(sel, a), 0);
    sk_loop_free(loop);

    /* Closed while a member: it leaves; the object says so. */
    sup_send_str(a, "x");
    (void)wait_only(sel, b);
    sup_assert_rc(sk_close(b), 0);
    wait_none(sel);
    sup_assert_rc(sk_selector_set(sel, b, SK_READABLE), SK_ECLOSED);
    sup_assert_rc(sk_selector_remove(sel, b), SK_ECLOSED);
    sup_assert_rc(sk_selector_add(other, b, SK_READABLE), SK_ECLOSED);
    sk_free(b);
    sk_free(a);

    /* Freed selector: its members stay open, usable and free to join. */
    sup_nb_pair(&a, &b);
    sup_assert_rc(sk_selector_add(sel, b, SK_READABLE), 0);
    sup_assert_rc(sk_selector_add(sel, a, SK_WRITABLE), 0);
    sup_send_str(a, "after");
    sup_wait_readable(b);
    sk_selector_free(sel);
    sup_assert_rc(sk_setblocking(b, 1), 0);
    sup_expect_str(b, "after");
    sup_assert_rc(sk_setblocking(b, 0), 0);
    sup_assert_rc(sk_selector_add(other, b, SK_READABLE), 0);
    sup_send_str(a, "y");
    ev = wait_only(other, b);
    assert_int_equal(ev, SK_READABLE);
    sk_free(b); /* freed while a member (and ready) */
    wait_none(other);
    sk_free(a);
    sk_selector_free(other);
}

static void t_membership(void **state)
{
    (void)state;
    sup_each_backend(run_membership);
}

/* ---- 1,000+ members ----------------------------------------------------- */

/* MANY datagram objects (one descriptor each): the three sent to are the
 * only ones readable; every one is writable, each handed out once. */
static void run_many(const char *backend)
{
    sk_selector *sel = sel_new(backend);
    sk_sock **u, **ready, *tx = NULL;
    int *ev, *ports, *seen;
    size_t i, n, total, cap = sup_fd_capacity(), want = MANY, round;
    const size_t pick[3] = {0, MANY / 2, MANY - 1};
    sk_name name;
    char buf[8];
    size_t got;

    if (cap < want + 64) {
        print_message("descriptor limit %lu: %lu members instead of %lu\n",
                      (unsigned long)cap, (unsigned long)(cap - 64),
                      (unsigned long)want);
        skip(); /* (not the case on Linux CI nor under Wine) */
    }
    u = (sk_sock **)calloc(want, sizeof *u);
    ready = (sk_sock **)calloc(want, sizeof *ready);
    ev = (int *)calloc(want, sizeof *ev);
    ports = (int *)calloc(want, sizeof *ports);
    seen = (int *)calloc(want, sizeof *seen);
    assert_true(u && ready && ev && ports && seen);
    for (i = 0; i < want; i++) {
        sup_assert_rc(sk_udp4(&u[i]), 0);
        sup_assert_rc(sk_bind(u[i], "127.0.0.1", 0), 0);
        sup_assert_rc(sk_getsockname(u[i], &name), 0);
        ports[i] = name.port;
        sup_assert_rc(sk_selector_add(sel, u[i], SK_READABLE), 0);
    }
    sup_assert_rc(sk_udp4(&tx), 0);
    wait_none(sel);
    for (i = 0; i < 3; i++)
        sup_assert_rc(sk_sendto(tx, "d", 1, "127.0.0.1", ports[pick[i]]), 0);
    /* Collect until the three were seen (each wait has something). */
    for (total = 0, round = 0; total < 3 && round < 10; round++) {
        n = 0;
        sup_assert_rc(sk_selector_wait(sel, SUP_SAFETY_TIMEOUT, ready, ev,
                                       want, &n),
                      0);
        for (i = 0; i < n; i++) {
            size_t k = index_of(u, want, ready[i]);
            assert_true(k == pick[0] || k == pick[1] || k == pick[2]);
            assert_int_equal(ev[i], SK_READABLE);
            assert_int_equal(seen[k], 0); /* still unread: once per pass */
            seen[k] = 1;
            total++;
            got = 0;
            sup_assert_rc(sk_recvfrom(u[k], buf, sizeof buf, &got, NULL, NULL),
                          0);
        }
    }
    assert_int_equal(total, 3);
    wait_none(sel);
    /* All writable: every member once, 400 at a time. */
    for (i = 0; i < want; i++)
        sup_assert_rc(sk_selector_set(sel, u[i], SK_WRITABLE), 0);
    memset(seen, 0, want * sizeof *seen);
    for (total = 0, round = 0; total < want && round < 100; round++) {
        n = 0;
        sup_assert_rc(sk_selector_wait(sel, SUP_SAFETY_TIMEOUT, ready, ev, 400,
                                       &n),
                      0);
        for (i = 0; i < n; i++) {
            size_t k = index_of(u, want, ready[i]);
            assert_true(k < want);
            assert_int_equal(ev[i], SK_WRITABLE);
            assert_int_equal(seen[k], 0);
            seen[k] = 1;
        }
        total += n;
    }
    assert_int_equal(total, want);
    print_message("%s: %lu members, all writable in %lu waits\n", backend,
                  (unsigned long)want, (unsigned long)round);
    sk_selector_free(sel);
    for (i = 0; i < want; i++)
        sk_free(u[i]);
    sk_free(tx);
    free(u);
    free(ready);
    free(ev);
    free(ports);
    free(seen);
}

static void t_many(void **state)
{
    (void)state;
    sup_each_backend(run_many);
}

/* ---- timeouts and bad input -------------------------------------------- */

static void run_timeout(const char *backend)
{
    sk_selector *sel = sel_new(backend);
    sk_sock *a = NULL, *b = NULL, *ready[2];
    int ev[2];
    size_t n = 5;
    /* Empty: a bounded wait times out, an endless one is refused. */
    sup_assert_rc(sk_selector_wait(sel, 0, ready, ev, 2, &n), SK_ETIMEOUT);
    sup_assert_rc(sk_selector_wait(sel, 0.01, ready, ev, 2, &n), SK_ETIMEOUT);
    sup_assert_rc(sk_selector_wait(sel, -1, ready, ev, 2, &n), SK_EINVAL);
    sup_nb_pair(&a, &b);
    sup_assert_rc(sk_selector_add(sel, b, 0), 0); /* paused: still refused */
    sup_assert_rc(sk_selector_wait(sel, -1, ready, ev, 2, &n), SK_EINVAL);
    sup_assert_rc(sk_selector_set(sel, b, SK_READABLE), 0);
    n = 5;
    sup_assert_rc(sk_selector_wait(sel, 0.02, ready, ev, 2, &n), SK_ETIMEOUT);
    assert_int_equal(n, 0);
    sk_selector_free(sel);
    sk_free(a);
    sk_free(b);
}

static void t_timeout(void **state)
{
    (void)state;
    sup_each_backend(run_timeout);
}

static void t_badinput(void **state)
{
    sk_selector *sel = NULL;
    sk_sock *a = NULL, *b = NULL, *m = NULL, *ready[2];
    int ev[2];
    size_t n = 3;
    (void)state;
    sup_assert_rc(sk_selector_new(NULL), SK_EINVAL);
    sup_assert_rc(sk_selector_new_backend(NULL, "poll"), SK_EINVAL);
    sup_assert_rc(sk_selector_new_backend(&sel, NULL), SK_EINVAL);
    assert_null(sel);
    sup_assert_rc(sk_selector_new_backend(&sel, "bogus"), SK_EINVAL);
    assert_null(sel);
    sup_assert_rc(sk_selector_new_backend(&sel, "EPOLL"), SK_EINVAL);
    assert_null(sel);
    assert_null(sk_selector_backend(NULL));
    sk_selector_free(NULL);
    sup_assert_rc(sk_selector_new(&sel), 0);
    print_message("default backend: %s\n", sk_selector_backend(sel));
    sup_nb_pair(&a, &b);
    sup_assert_rc(sk_selector_add(NULL, a, SK_READABLE), SK_EINVAL);
    sup_assert_rc(sk_selector_add(sel, NULL, SK_READABLE), SK_EINVAL);
    sup_assert_rc(sk_selector_add(sel, a, SK_ERRORED), SK_EINVAL);
    sup_assert_rc(sk_selector_add(sel, a, 8), SK_EINVAL);
    sup_assert_rc(sk_selector_add(sel, a, -1), SK_EINVAL);
    sup_assert_rc(sk_selector_set(sel, a, SK_READABLE), SK_EINVAL);
    sup_assert_rc(sk_selector_add(sel, a, SK_READABLE), 0);
    sup_assert_rc(sk_selector_set(NULL, a, SK_READABLE), SK_EINVAL);
    sup_assert_rc(sk_selector_set(sel, NULL, SK_READABLE), SK_EINVAL);
    sup_assert_rc(sk_selector_set(sel, a, 4), SK_EINVAL);
    sup_assert_rc(sk_selector_set(sel, a, 1 << 20), SK_EINVAL);
    sup_assert_rc(sk_selector_remove(NULL, a), SK_EINVAL);
    sup_assert_rc(sk_selector_remove(sel, NULL), SK_EINVAL);
    sup_assert_rc(sk_selector_wait(NULL, 0, ready, ev, 2, &n), SK_EINVAL);
    assert_int_equal(n, 0);
    sup_assert_rc(sk_selector_wait(sel, 0, NULL, ev, 2, &n), SK_EINVAL);
    sup_assert_rc(sk_selector_wait(sel, 0, ready, NULL, 2, &n), SK_EINVAL);
    sup_assert_rc(sk_selector_wait(sel, 0, ready, ev, 0, &n), SK_EINVAL);
    sup_assert_rc(sk_selector_wait(sel, 0, ready, ev, 2, NULL), SK_EINVAL);
    sup_assert_rc(sk_selector_wait(sel, nan_value(), ready, ev, 2, &n),
                  SK_EINVAL);
    /* A dual-stack master has no socket yet: it can join paused only. */
    sup_assert_rc(sk_tcp(&m), 0);
    sup_assert_rc(sk_selector_add(sel, m, SK_READABLE), SK_EINVAL);
    sup_assert_rc(sk_selector_add(sel, m, 0), 0);
    sup_assert_rc(sk_selector_set(sel, m, SK_WRITABLE), SK_EINVAL);
    sup_assert_rc(sk_selector_remove(sel, m), 0);
    sk_free(m);
    sk_selector_free(sel);
    sk_free(a);
    sk_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_readwrite),  cmocka_unit_test(t_buffered),
        cmocka_unit_test(t_events),     cmocka_unit_test(t_capacity),
        cmocka_unit_test(t_membership), cmocka_unit_test(t_many),
        cmocka_unit_test(t_timeout),    cmocka_unit_test(t_badinput),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
