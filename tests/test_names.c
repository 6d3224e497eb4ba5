/* SPDX-License-Identifier: MIT */
/*
 * test_names.c - sk_getsockname / sk_getpeername (address, port, family)
 * and sk_shutdown of each direction.
 */
#include "support.h"

#include <stdlib.h>
#include <string.h>

static void t_names_of_a_connection(void **state)
{
    sk_sock *srv = NULL, *c = NULL, *d = NULL;
    sk_name s, cl, cp, dl, dp, acc;
    int port = 0;
    (void)state;

    sup_listen4(&srv, &port, 2);
    sup_assert_rc(sk_getsockname(srv, &s), 0);
    assert_string_equal(s.addr, "127.0.0.1");
    assert_string_equal(s.family, "inet");
    assert_int_equal(s.port, port);

    sup_connect4(&c, port);
    memset(&acc, 0x55, sizeof acc);
    sup_assert_rc(sk_accept(srv, &d, &acc), 0);
    sup_assert_rc(sk_getsockname(c, &cl), 0);
    sup_assert_rc(sk_getpeername(c, &cp), 0);
    sup_assert_rc(sk_getsockname(d, &dl), 0);
    sup_assert_rc(sk_getpeername(d, &dp), 0);

    assert_string_equal(cl.addr, "127.0.0.1");
    assert_string_equal(cl.family, "inet");
    assert_true(cl.port > 0 && cl.port <= 65535);
    assert_true(cl.port != port);
    /* Each end's peer is the other's local address. */
    assert_string_equal(cp.addr, "127.0.0.1");
    assert_string_equal(cp.family, "inet");
    assert_int_equal(cp.port, port);
    assert_string_equal(dl.addr, "127.0.0.1");
    assert_int_equal(dl.port, port);
    assert_string_equal(dp.addr, cl.addr);
    assert_int_equal(dp.port, cl.port);
    assert_string_equal(dp.family, "inet");
    /* accept's peer argument is the same as getpeername. */
    assert_string_equal(acc.addr, dp.addr);
    assert_int_equal(acc.port, dp.port);
    assert_string_equal(acc.family, dp.family);

    sk_free(c);
    sk_free(d);
    sk_free(srv);
}

static void t_name_errors(void **state)
{
    sk_sock *m = NULL, *d = NULL, *srv = NULL, *a = NULL, *b = NULL;
    sk_name n;
    int port = 0;
    (void)state;

    sup_assert_rc(sk_tcp4(&m), 0);
    /* Not bound yet. */
    sup_assert_rc(sk_getsockname(m, &n), SK_ENOTCONN);
    sup_assert_rc(sk_getpeername(m, &n), SK_EWRONGROLE);
    sup_assert_rc(sk_bind(m, "127.0.0.1", 0), 0);
    sup_assert_rc(sk_getsockname(m, &n), 0);
    assert_string_equal(n.addr, "127.0.0.1");
    assert_true(n.port > 0);
    sup_assert_rc(sk_getpeername(m, &n), SK_EWRONGROLE);
    sk_free(m);

    sup_assert_rc(sk_tcp(&d), 0);
    sup_assert_rc(sk_getsockname(d, &n), SK_ENOTCONN);
    sk_free(d);

    sup_listen4(&srv, &port, 1);
    sup_assert_rc(sk_getpeername(srv, &n), SK_EWRONGROLE);
    sup_assert_rc(sk_getsockname(srv, NULL), SK_EINVAL);
    sup_assert_rc(sk_getsockname(NULL, &n), SK_EINVAL);
    sup_assert_rc(sk_getpeername(NULL, &n), SK_EINVAL);
    sk_free(srv);

    sup_pair(&a, &b);
    sup_assert_rc(sk_getpeername(a, NULL), SK_EINVAL);
    sup_assert_rc(sk_close(a), 0);
    sup_assert_rc(sk_getsockname(a, &n), SK_ECLOSED);
    sup_assert_rc(sk_getpeername(a, &n), SK_ECLOSED);
    sk_free(a);
    sk_free(b);
}

/* Shutting down sending: the peer reads end-of-stream with the partial data;
 * the shutting side can still receive, and keeps its buffered bytes. */
static void t_shutdown_send(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    sk_buf buf = {NULL, 0, 0};
    ptrdiff_t last = -1;
    (void)state;

    sup_pair(&a, &b);
    sup_send_str(b, "first\nsecond\n");
    sup_assert_rc(sk_receive(a, &buf, SK_LINE, 0), 0);
    sup_assert_bufstr(&buf, "first");
    assert_int_equal(sk_dirty(a), 1); /* "second\n" is buffered */

    sup_send_str(a, "abc");
    sup_assert_rc(sk_shutdown(a, SK_SHUT_SEND), 0);
    assert_int_equal(sk_role(a), SK_ROLE_CLIENT);
    assert_int_equal(sk_dirty(a), 1);

    buf.len = 0;
    sup_assert_rc(sk_receive(b, &buf, SK_LINE, 0), SK_ECLOSED);
    sup_assert_bufstr(&buf, "abc");

    /* The shutting side still receives: buffered, then new bytes. */
    buf.len = 0;
    sup_assert_rc(sk_receive(a, &buf, SK_LINE, 0), 0);
    sup_assert_bufstr(&buf, "second");
    sup_send_str(b, "reply\n");
    buf.len = 0;
    sup_assert_rc(sk_receive(a, &buf, SK_LINE, 0), 0);
    sup_assert_bufstr(&buf, "reply");
    /* But it can no longer send. */
    sup_assert_rc(sk_send(a, "x", 1, 1, -1, &last), SK_ECLOSED);
    assert_int_equal(last, 0);
    /* Shutting down again is harmless. */
    sup_assert_rc(sk_shutdown(a, SK_SHUT_SEND), 0);
    sk_buf_free(&buf);
    sk_free(a);
    sk_free(b);
}

static void t_shutdown_receive(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    sk_buf buf = {NULL, 0, 0};
    (void)state;

    sup_pair(&a, &b);
    sup_assert_rc(sk_shutdown(a, SK_SHUT_RECEIVE), 0);
    assert_int_equal(sk_role(a), SK_ROLE_CLIENT);
    /* Receiving is over for a ... */
    sup_assert_rc(sk_receive(a, &buf, SK_LINE, 0), SK_ECLOSED);
    assert_int_equal(buf.len, 0);
    /* ... while it can still send. */
    sup_send_str(a, "still sending\n");
    sup_assert_rc(sk_receive(b, &buf, SK_LINE, 0), 0);
    sup_assert_bufstr(&buf, "still sending");
    sk_buf_free(&buf);
    sk_free(a);
    sk_free(b);
}

static void t_shutdown_both(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    sk_buf buf = {NULL, 0, 0};
    ptrdiff_t last = -1;
    (void)state;

    sup_pair(&a, &b);
    sup_send_str(a, "bye");
    sup_assert_rc(sk_shutdown(a, SK_SHUT_BOTH), 0);
    sup_assert_rc(sk_send(a, "x", 1, 1, -1, &last), SK_ECLOSED);
    assert_int_equal(last, 0);
    sup_assert_rc(sk_receive(a, &buf, SK_SOME, 0), SK_ECLOSED);
    assert_int_equal(buf.len, 0);
    sup_assert_rc(sk_receive(b, &buf, SK_BYTES, 10), SK_ECLOSED);
    sup_assert_bufstr(&buf, "bye");
    assert_int_equal(sk_role(a), SK_ROLE_CLIENT);
    sk_buf_free(&buf);
    sk_free(a);
    sk_free(b);
}

static void t_shutdown_errors(void **state)
{
    sk_sock *a = NULL, *b = NULL, *m = NULL, *srv = NULL;
    int port = 0;
    (void)state;

    sup_pair(&a, &b);
    sup_assert_rc(sk_shutdown(a, 3), SK_EINVAL);
    sup_assert_rc(sk_shutdown(a, -1), SK_EINVAL);
    sup_assert_rc(sk_shutdown(NULL, SK_SHUT_SEND), SK_EINVAL);
    /* Nothing was shut down by the bad calls. */
    sup_send_str(a, "ok\n");
    sup_expect_str(b, "ok\n");
    sup_send_str(b, "ok\n");
    sup_expect_str(a, "ok\n");

    sup_assert_rc(sk_tcp4(&m), 0);
    sup_assert_rc(sk_shutdown(m, SK_SHUT_BOTH), SK_EWRONGROLE);
    sup_listen4(&srv, &port, 1);
    sup_assert_rc(sk_shutdown(srv, SK_SHUT_RECEIVE), SK_EWRONGROLE);
    sup_assert_rc(sk_close(a), 0);
    sup_assert_rc(sk_shutdown(a, SK_SHUT_SEND), SK_ECLOSED);
    sk_free(m);
    sk_free(srv);
    sk_free(a);
    sk_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_names_of_a_connection),
        cmocka_unit_test(t_name_errors),
        cmocka_unit_test(t_shutdown_send),
        cmocka_unit_test(t_shutdown_receive),
        cmocka_unit_test(t_shutdown_both),
        cmocka_unit_test(t_shutdown_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
