/* SPDX-License-Identifier: MIT */
/*
 * test_select.c - sk_select over more sockets than FD_SETSIZE, buffered
 * clients, writable clients, servers with pending connections, timeouts,
 * NULL and closed entries, and far more entries than the descriptor limit.
 */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#  define WANT_SOCKETS 200   /* Windows' FD_SETSIZE is 64 */
#else
#  define WANT_SOCKETS 1002  /* beyond 1024 descriptors in all */
#endif

static int contains(sk_sock *const *v, size_t n, const sk_sock *s)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (v[i] == s)
            return 1;
    return 0;
}

/* Exactly one socket of many gets data; select returns exactly that one. */
static void t_select_many(void **state)
{
    size_t cap = sup_fd_capacity(), want = WANT_SOCKETS, n, npairs, i, k;
    sk_sock **all, **ready, *srv = NULL;
    size_t nr = 0, nw = 0;
    int port = 0;
    (void)state;

    /* Each socket costs one descriptor; keep some for everything else. */
    if (cap < want + 64) {
        size_t fit = cap > 96 ? (cap - 64) & ~(size_t)1 : 32;
        print_message("descriptor limit %lu: using %lu sockets instead of "
                      "%lu\n", (unsigned long)cap, (unsigned long)fit,
                      (unsigned long)want);
        want = fit;
    }
    npairs = want / 2;
    n = npairs * 2;
    all = (sk_sock **)calloc(n, sizeof *all);
    ready = (sk_sock **)calloc(n, sizeof *ready);
    assert_non_null(all);
    assert_non_null(ready);

    sup_listen4(&srv, &port, 64);
    for (i = 0; i < npairs; i++) {
        sup_connect4(&all[2 * i], port);
        sup_assert_rc(sk_accept(srv, &all[2 * i + 1], NULL), 0);
    }
    sk_free(srv);

    /* Nothing readable yet. */
    sup_assert_rc(sk_select(all, n, NULL, 0, 0, ready, &nr, NULL, &nw),
                  SK_ETIMEOUT);
    assert_int_equal(nr, 0);

    {
        const size_t chosen[3] = {n - 1, 0, (n * 2) / 3};
        for (k = 0; k < 3; k++) {
            sk_sock *target = all[chosen[k]];
            sk_sock *peer = all[chosen[k] ^ 1];
            memset(ready, 0, n * sizeof *ready);
            sup_send_str(peer, "!");
            sup_assert_rc(sk_select(all, n, NULL, 0, SUP_SAFETY_TIMEOUT, ready,
                                    &nr, NULL, &nw),
                          0);
            if (nr != 1 || ready[0] != target) {
                print_error("round %lu: %lu readable, expected only socket "
                            "%lu of %lu\n", (unsigned long)k,
                            (unsigned long)nr, (unsigned long)chosen[k],
                            (unsigned long)n);
                fail();
            }
            assert_int_equal(nw, 0);
            sup_expect_str(target, "!");
        }
    }

    /* All of them are writable. */
    sup_assert_rc(sk_select(NULL, 0, all, n, SUP_SAFETY_TIMEOUT, NULL, &nr,
                            ready, &nw),
                  0);
    assert_int_equal(nw, n);
    assert_int_equal(nr, 0);
    for (i = 0; i < n; i += 97)
        assert_true(contains(ready, nw, all[i]));

    for (i = 0; i < n; i++)
        sk_free(all[i]);
    free(all);
    free(ready);
}

static void t_select_writable(void **state)
{
    sk_sock *a = NULL, *b = NULL, *w[2], *r[2];
    size_t nr = 9, nw = 9;
    (void)state;

    sup_pair(&a, &b);
    w[0] = a;
    w[1] = b;
    sup_assert_rc(sk_select(NULL, 0, w, 2, SUP_SAFETY_TIMEOUT, NULL, &nr, r,
                            &nw),
                  0);
    assert_int_equal(nr, 0);
    assert_int_equal(nw, 2);
    assert_true(contains(r, 2, a));
    assert_true(contains(r, 2, b));
    sk_free(a);
    sk_free(b);
}

/* The same object in both sets: readable and writable at once. */
static void t_select_both_sets(void **state)
{
    sk_sock *a = NULL, *b = NULL, *rd[1], *wr[1];
    size_t nr = 9, nw = 9;
    (void)state;

    sup_pair(&a, &b);
    sup_send_str(b, "x");
    sup_wait_readable(a);
    sup_assert_rc(sk_select(&a, 1, &a, 1, SUP_SAFETY_TIMEOUT, rd, &nr, wr,
                            &nw),
                  0);
    assert_int_equal(nr, 1);
    assert_int_equal(nw, 1);
    assert_ptr_equal(rd[0], a);
    assert_ptr_equal(wr[0], a);
    sk_free(a);
    sk_free(b);
}

static void t_select_server_pending(void **state)
{
    sk_sock *srv = NULL, *c = NULL, *d = NULL, *r[1];
    size_t nr = 9, nw = 9;
    int port = 0;
    (void)state;

    sup_listen4(&srv, &port, 4);
    sup_assert_rc(sk_select(&srv, 1, NULL, 0, 0, r, &nr, NULL, &nw),
                  SK_ETIMEOUT);
    assert_int_equal(nr, 0);
    sup_connect4(&c, port);
    sup_assert_rc(sk_select(&srv, 1, NULL, 0, SUP_SAFETY_TIMEOUT, r, &nr, NULL,
                            &nw),
                  0);
    assert_int_equal(nr, 1);
    assert_ptr_equal(r[0], srv);
    sup_assert_rc(sk_settimeout(srv, 0, 'b'), 0);
    sup_assert_rc(sk_accept(srv, &d, NULL), 0);
    sk_free(c);
    sk_free(d);
    sk_free(srv);
}

static void t_select_timeout(void **state)
{
    sk_sock *a = NULL, *b = NULL, *set[2], *r[2], *w[1];
    size_t nr = 9, nw = 9;
    (void)state;

    sup_pair(&a, &b);
    set[0] = a;
    set[1] = b;
    sup_assert_rc(sk_select(set, 2, NULL, 0, 0.05, r, &nr, w, &nw),
                  SK_ETIMEOUT);
    assert_int_equal(nr, 0);
    assert_int_equal(nw, 0);
    nr = nw = 9;
    sup_assert_rc(sk_select(set, 2, NULL, 0, 0, r, &nr, NULL, &nw),
                  SK_ETIMEOUT);
    assert_int_equal(nr, 0);
    assert_int_equal(nw, 0);
    /* Nothing to wait on at all: a plain timeout. */
    nr = nw = 9;
    sup_assert_rc(sk_select(NULL, 0, NULL, 0, 0.05, NULL, &nr, NULL, &nw),
                  SK_ETIMEOUT);
    assert_int_equal(nr, 0);
    assert_int_equal(nw, 0);
    sk_free(a);
    sk_free(b);
}

static void t_select_skips_null_and_closed(void **state)
{
    sk_sock *a = NULL, *b = NULL, *c = NULL, *d = NULL;
    sk_sock *set[5], *r[5], *w[2], *wo[2];
    size_t nr = 9, nw = 9;
    (void)state;

    sup_pair(&a, &b);
    sup_pair(&c, &d);
    sup_send_str(d, "to c");
    sup_assert_rc(sk_close(c), 0); /* closed with data waiting */
    set[0] = NULL;
    set[1] = c;
    set[2] = b;
    set[3] = NULL;
    set[4] = a;
    sup_send_str(a, "to b");
    sup_assert_rc(sk_select(set, 5, NULL, 0, SUP_SAFETY_TIMEOUT, r, &nr, NULL,
                            &nw),
                  0);
    assert_int_equal(nr, 1);
    assert_ptr_equal(r[0], b);

    /* Only NULL and closed entries: nothing can be ready. */
    w[0] = NULL;
    w[1] = c;
    sup_assert_rc(sk_select(set, 2, w, 2, 0.05, r, &nr, wo, &nw), SK_ETIMEOUT);
    assert_int_equal(nr, 0);
    assert_int_equal(nw, 0);
    sk_free(a);
    sk_free(b);
    sk_free(c);
    sk_free(d);
}

/* End-of-stream counts as readable. */
static void t_select_eof(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    sk_buf buf = {NULL, 0, 0};
    (void)state;

    sup_pair(&a, &b);
    sup_assert_rc(sk_close(a), 0);
    sup_wait_readable(b);
    sup_assert_rc(sk_receive(b, &buf, SK_SOME, 0), SK_ECLOSED);
    assert_int_equal(buf.len, 0);
    sk_buf_free(&buf);
    sk_free(a);
    sk_free(b);
}

static void t_select_bad_input(void **state)
{
    sk_sock *a = NULL, *b = NULL, *r[1];
    size_t nr = 0, nw = 0;
    (void)state;

    sup_pair(&a, &b);
    sup_assert_rc(sk_select(NULL, 1, NULL, 0, 0, r, &nr, NULL, &nw),
                  SK_EINVAL);
    sup_assert_rc(sk_select(&a, 1, NULL, 0, 0, NULL, &nr, NULL, &nw),
                  SK_EINVAL);
    sup_assert_rc(sk_select(NULL, 0, NULL, 1, 0, NULL, &nr, r, &nw),
                  SK_EINVAL);
    sup_assert_rc(sk_select(NULL, 0, &a, 1, 0, NULL, &nr, NULL, &nw),
                  SK_EINVAL);
    sup_assert_rc(sk_select(&a, 1, NULL, 0, 0, r, NULL, NULL, &nw),
                  SK_EINVAL);
    sup_assert_rc(sk_select(NULL, 0, &a, 1, 0, NULL, &nr, r, NULL),
                  SK_EINVAL);
    sk_free(a);
    sk_free(b);
}

/* A client with buffered bytes is readable at once, even with no time
 * limit: the bytes are in sockit's buffer, not in the OS. */
static void t_select_buffered(void **state)
{
    sk_sock *a = NULL, *b = NULL, *r[1];
    sk_buf buf = {NULL, 0, 0};
    size_t nr = 9, nw = 9;
    (void)state;

    sup_pair(&a, &b);
    sup_send_str(a, "l1\nl2\n");
    sup_assert_rc(sk_receive(b, &buf, SK_LINE, 0), 0);
    sup_assert_bufstr(&buf, "l1");
    assert_int_equal(sk_dirty(b), 1);
    sup_assert_rc(sk_select(&b, 1, NULL, 0, -1, r, &nr, NULL, &nw), 0);
    assert_int_equal(nr, 1);
    assert_ptr_equal(r[0], b);
    buf.len = 0;
    sup_assert_rc(sk_receive(b, &buf, SK_LINE, 0), 0);
    sup_assert_bufstr(&buf, "l2");
    sk_buf_free(&buf);
    sk_free(a);
    sk_free(b);
}

/* Far more entries than the descriptor limit (issue 13): with
 * RLIMIT_NOFILE lowered to a few dozen (POSIX), a few clients listed again
 * and again in both sets among NULL and closed entries, as a LuaSocket
 * server loop lists its clients.  The system must be handed one entry per
 * distinct object (poll() refuses more entries than the limit); every
 * listed occurrence is still reported, in the callers' order. */
#define LIMIT_PAIRS 6
#define LIMIT_ENTRIES 4096
static sk_sock *limit_pick(size_t i, sk_sock **a, sk_sock **b, sk_sock *cl)
{
    size_t k = (i / 5) % LIMIT_PAIRS;
    switch (i % 5) {
    case 0: return NULL;
    case 1: return cl;
    case 2: return b[k];
    case 3: return a[k];
    default: return b[(k + 1) % LIMIT_PAIRS];
    }
}

static void t_select_past_fd_limit(void **state)
{
    sk_sock *a[LIMIT_PAIRS], *b[LIMIT_PAIRS], *cl = NULL, *cl_peer = NULL;
    sk_sock **recvt, **sendt, **r, **w;
    size_t i, k, nr = 0, nw = 0, want_r = 0, want_w = 0, room;
    int rc;
    (void)state;

    for (i = 0; i < LIMIT_PAIRS; i++)
        sup_pair(&a[i], &b[i]);
    sup_pair(&cl, &cl_peer);
    sup_assert_rc(sk_close(cl), 0);
    recvt = (sk_sock **)calloc(LIMIT_ENTRIES, sizeof *recvt);
    sendt = (sk_sock **)calloc(LIMIT_ENTRIES, sizeof *sendt);
    r = (sk_sock **)calloc(LIMIT_ENTRIES, sizeof *r);
    w = (sk_sock **)calloc(LIMIT_ENTRIES, sizeof *w);
    assert_true(recvt != NULL && sendt != NULL && r != NULL && w != NULL);
    for (i = 0; i < LIMIT_ENTRIES; i++) {
        recvt[i] = limit_pick(i, a, b, cl);
        sendt[i] = limit_pick(i + 2, a, b, cl);
        want_r += recvt[i] == b[0];
        want_w += sendt[i] != NULL && sendt[i] != cl;
    }
    sup_send_str(a[0], "x");
    sup_wait_readable(b[0]);

    room = sup_fd_limit_lower(4);
    if (room == 0)
        print_message("descriptor limit not lowered (%s): the entries "
                      "are checked without it\n",
#if defined(_WIN32)
                      "Windows has none; its select sets are sized to need"
#else
                      "setrlimit refused"
#endif
        );
    rc = sk_select(recvt, LIMIT_ENTRIES, sendt, LIMIT_ENTRIES,
                   SUP_SAFETY_TIMEOUT, r, &nr, w, &nw);
    sup_fd_limit_restore();
    sup_assert_rc(rc, 0);
    assert_int_equal(nr, want_r);
    assert_int_equal(nw, want_w);
    for (i = 0; i < nr; i++)
        assert_ptr_equal(r[i], b[0]);
    /* writable[] keeps sendt's order */
    for (i = 0, k = 0; i < LIMIT_ENTRIES; i++)
        if (sendt[i] != NULL && sendt[i] != cl)
            assert_ptr_equal(w[k++], sendt[i]);
    free(recvt);
    free(sendt);
    free(r);
    free(w);
    for (i = 0; i < LIMIT_PAIRS; i++) {
        sk_free(a[i]);
        sk_free(b[i]);
    }
    sk_free(cl);
    sk_free(cl_peer);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_select_many),
        cmocka_unit_test(t_select_writable),
        cmocka_unit_test(t_select_both_sets),
        cmocka_unit_test(t_select_server_pending),
        cmocka_unit_test(t_select_timeout),
        cmocka_unit_test(t_select_skips_null_and_closed),
        cmocka_unit_test(t_select_eof),
        cmocka_unit_test(t_select_bad_input),
        /* last: a library that ignores its buffer would block forever */
        cmocka_unit_test(t_select_buffered),
        cmocka_unit_test(t_select_past_fd_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
