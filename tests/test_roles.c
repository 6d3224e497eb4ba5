/* SPDX-License-Identifier: MIT */
/*
 * test_roles.c - master/client/server transitions, wrong-role errors (which
 * must change nothing) and the closed role.
 */
#include "support.h"

#include <stdlib.h>
#include <string.h>

/* Every client-only call on a non-client returns SK_EWRONGROLE and leaves
 * its out-parameters / buffers as documented. */
static void expect_not_client(sk_sock *s)
{
    ptrdiff_t last = -7;
    char dst[8];
    size_t got = 99;
    sk_name name;
    sk_buf b = {NULL, 0, 0};

    sup_assert_rc(sk_send(s, "abc", 3, 1, -1, &last), SK_EWRONGROLE);
    assert_int_equal(last, 0);
    sup_assert_rc(sk_receive(s, &b, SK_LINE, 0), SK_EWRONGROLE);
    assert_int_equal(b.len, 0);
    sup_assert_rc(sk_read(s, dst, sizeof dst, &got), SK_EWRONGROLE);
    assert_int_equal(got, 0);
    sup_assert_rc(sk_getpeername(s, &name), SK_EWRONGROLE);
    sup_assert_rc(sk_shutdown(s, SK_SHUT_BOTH), SK_EWRONGROLE);
    sup_assert_rc(sk_shutdown(s, SK_SHUT_SEND), SK_EWRONGROLE);
    sk_buf_free(&b);
}

static void master_wrong_role_then_works(sk_sock *m)
{
    sk_sock *srv_client = NULL, *c = NULL;
    sk_name name;

    assert_int_equal(sk_role(m), SK_ROLE_MASTER);
    expect_not_client(m);
    {
        sk_sock *out = NULL;
        sup_assert_rc(sk_accept(m, &out, NULL), SK_EWRONGROLE);
        assert_null(out);
    }
    assert_int_equal(sk_role(m), SK_ROLE_MASTER);

    /* Still a working master. */
    sup_assert_rc(sk_bind(m, "127.0.0.1", 0), 0);
    assert_int_equal(sk_role(m), SK_ROLE_MASTER);
    sup_assert_rc(sk_listen(m, 4), 0);
    assert_int_equal(sk_role(m), SK_ROLE_SERVER);
    sup_assert_rc(sk_getsockname(m, &name), 0);
    sup_connect4(&c, name.port);
    sup_assert_rc(sk_settimeout(m, SUP_SAFETY_TIMEOUT, 'b'), 0);
    sup_assert_rc(sk_accept(m, &srv_client, NULL), 0);
    sup_send_str(c, "hi\n");
    sup_expect_str(srv_client, "hi\n");
    sk_free(c);
    sk_free(srv_client);
}

static void t_master_wrong_role_tcp4(void **state)
{
    sk_sock *m = NULL;
    (void)state;
    sup_assert_rc(sk_tcp4(&m), 0);
    master_wrong_role_then_works(m);
    sk_free(m);
}

static void t_master_wrong_role_dualstack(void **state)
{
    sk_sock *m = NULL;
    (void)state;
    sup_assert_rc(sk_tcp(&m), 0);
    master_wrong_role_then_works(m);
    sk_free(m);
}

static void t_server_wrong_role(void **state)
{
    sk_sock *srv = NULL, *c = NULL, *d = NULL;
    sk_name before, after;
    int port = 0;
    (void)state;

    sup_listen4(&srv, &port, 4);
    sup_assert_rc(sk_getsockname(srv, &before), 0);
    expect_not_client(srv);
    sup_assert_rc(sk_connect(srv, "127.0.0.1", port), SK_EWRONGROLE);
    sup_assert_rc(sk_listen(srv, 4), SK_EWRONGROLE);
    sup_assert_rc(sk_bind(srv, "127.0.0.1", 0), SK_EWRONGROLE);

    /* Nothing changed: same role, same address, still accepting. */
    assert_int_equal(sk_role(srv), SK_ROLE_SERVER);
    sup_assert_rc(sk_getsockname(srv, &after), 0);
    assert_int_equal(after.port, before.port);
    assert_string_equal(after.addr, before.addr);
    sup_connect4(&c, port);
    sup_assert_rc(sk_accept(srv, &d, NULL), 0);
    sup_send_str(d, "server ok\n");
    sup_expect_str(c, "server ok\n");
    sk_free(c);
    sk_free(d);
    sk_free(srv);
}

static void t_client_wrong_role(void **state)
{
    sk_sock *a = NULL, *b = NULL, *out = NULL;
    sk_name before, after;
    (void)state;

    sup_pair(&a, &b);
    sup_assert_rc(sk_getsockname(a, &before), 0);
    sup_assert_rc(sk_accept(a, &out, NULL), SK_EWRONGROLE);
    assert_null(out);
    sup_assert_rc(sk_listen(a, 4), SK_EWRONGROLE);
    sup_assert_rc(sk_bind(a, "127.0.0.1", 0), SK_EWRONGROLE);
    sup_assert_rc(sk_connect(a, "127.0.0.1", before.port), SK_EWRONGROLE);

    assert_int_equal(sk_role(a), SK_ROLE_CLIENT);
    sup_assert_rc(sk_getsockname(a, &after), 0);
    assert_int_equal(after.port, before.port);
    sup_send_str(a, "client ok\n");
    sup_expect_str(b, "client ok\n");
    sup_send_str(b, "and back\n");
    sup_expect_str(a, "and back\n");
    sk_free(a);
    sk_free(b);
}

static void t_bind_twice(void **state)
{
    sk_sock *m = NULL;
    sk_name n1, n2;
    int i;
    (void)state;

    for (i = 0; i < 2; i++) {
        sup_assert_rc(i == 0 ? sk_tcp4(&m) : sk_tcp(&m), 0);
        sup_assert_rc(sk_bind(m, "127.0.0.1", 0), 0);
        sup_assert_rc(sk_getsockname(m, &n1), 0);
        sup_assert_rc(sk_bind(m, "127.0.0.1", 0), SK_EWRONGROLE);
        assert_int_equal(sk_role(m), SK_ROLE_MASTER);
        sup_assert_rc(sk_getsockname(m, &n2), 0);
        assert_int_equal(n1.port, n2.port);
        sup_assert_rc(sk_listen(m, 1), 0);
        assert_int_equal(sk_role(m), SK_ROLE_SERVER);
        sup_assert_rc(sk_getsockname(m, &n2), 0);
        assert_int_equal(n1.port, n2.port);
        sk_free(m);
        m = NULL;
    }
}

static void t_transitions(void **state)
{
    sk_sock *m = NULL, *c = NULL, *d = NULL;
    sk_name name;
    (void)state;

    assert_int_equal(sk_role(NULL), SK_EINVAL);

    sup_assert_rc(sk_tcp4(&m), 0);
    assert_int_equal(sk_role(m), SK_ROLE_MASTER);
    assert_int_equal(sk_syserror(m), 0); /* no failed call yet */
    sup_assert_rc(sk_bind(m, "127.0.0.1", 0), 0);
    assert_int_equal(sk_role(m), SK_ROLE_MASTER);
    sup_assert_rc(sk_listen(m, 2), 0);
    assert_int_equal(sk_role(m), SK_ROLE_SERVER);
    sup_assert_rc(sk_getsockname(m, &name), 0);

    sup_assert_rc(sk_tcp4(&c), 0);
    assert_int_equal(sk_role(c), SK_ROLE_MASTER);
    sup_assert_rc(sk_connect(c, "127.0.0.1", name.port), 0);
    assert_int_equal(sk_role(c), SK_ROLE_CLIENT);
    sup_assert_rc(sk_accept(m, &d, NULL), 0);
    assert_int_equal(sk_role(d), SK_ROLE_CLIENT);
    assert_int_equal(sk_role(m), SK_ROLE_SERVER);

    sup_assert_rc(sk_close(m), 0);
    assert_int_equal(sk_role(m), SK_ROLE_CLOSED);
    sup_assert_rc(sk_close(c), 0);
    assert_int_equal(sk_role(c), SK_ROLE_CLOSED);
    /* The accepted client outlives its server. */
    assert_int_equal(sk_role(d), SK_ROLE_CLIENT);
    sk_free(m);
    sk_free(c);
    sk_free(d);
}

/* sk_listen on a master that was never bound binds it to "*" port 0. */
static void t_listen_unbound(void **state)
{
    sk_sock *m = NULL, *c = NULL, *d = NULL;
    sk_name name;
    int i;
    (void)state;

    for (i = 0; i < 2; i++) {
        sup_assert_rc(i == 0 ? sk_tcp4(&m) : sk_tcp(&m), 0);
        sup_assert_rc(sk_listen(m, -3), 0); /* negative backlog: minimum */
        assert_int_equal(sk_role(m), SK_ROLE_SERVER);
        sup_assert_rc(sk_getsockname(m, &name), 0);
        assert_true(name.port > 0 && name.port <= 65535);
        if (i == 0) {
            assert_string_equal(name.family, "inet");
            assert_string_equal(name.addr, "0.0.0.0");
        }
        sup_assert_rc(sk_settimeout(m, SUP_SAFETY_TIMEOUT, 'b'), 0);
        sup_connect4(&c, name.port);
        sup_assert_rc(sk_accept(m, &d, NULL), 0);
        sup_send_str(c, "x");
        sup_expect_str(d, "x");
        sk_free(c);
        sk_free(d);
        sk_free(m);
    }
}

static void t_close_twice_and_free(void **state)
{
    sk_sock *m = NULL, *a = NULL, *b = NULL;
    sk_buf buf = {NULL, 0, 0};
    (void)state;

    sk_free(NULL); /* no-op */
    sup_assert_rc(sk_close(NULL), SK_EINVAL);

    sup_assert_rc(sk_tcp(&m), 0);
    sup_assert_rc(sk_close(m), 0);
    sup_assert_rc(sk_close(m), 0);
    assert_int_equal(sk_role(m), SK_ROLE_CLOSED);
    sk_free(m);

    /* sk_free closes a live client: its peer reads end-of-stream. */
    sup_pair(&a, &b);
    sup_assert_rc(sk_close(a), 0);
    sup_assert_rc(sk_close(a), 0);
    sk_free(a);
    /* Nothing came before the close: SK_ALL says "closed" (LuaSocket). */
    sup_assert_rc(sk_receive(b, &buf, SK_ALL, 0), SK_ECLOSED);
    assert_int_equal(buf.len, 0);
    sk_free(b);

    sup_pair(&a, &b);
    sk_free(a); /* without sk_close */
    sup_assert_rc(sk_receive(b, &buf, SK_LINE, 0), SK_ECLOSED);
    assert_int_equal(buf.len, 0);
    sk_free(b);
    sk_buf_free(&buf);
}

/* Every call other than sk_close/sk_free/sk_role/sk_dirty/sk_getfd/
 * sk_syserror on a closed object returns SK_ECLOSED. */
static void expect_closed(sk_sock *s)
{
    ptrdiff_t last = -7;
    char dst[8];
    size_t got = 99;
    sk_name name;
    sk_buf b = {NULL, 0, 0};
    sk_sock *out = NULL;
    int v = 0, o;

    assert_int_equal(sk_role(s), SK_ROLE_CLOSED);
    assert_int_equal(sk_dirty(s), 0);
    assert_true(sk_getfd(s) == SK_FD_INVALID);
    sup_assert_rc(sk_close(s), 0);

    sup_assert_rc(sk_bind(s, "127.0.0.1", 0), SK_ECLOSED);
    sup_assert_rc(sk_listen(s, 1), SK_ECLOSED);
    sup_assert_rc(sk_connect(s, "127.0.0.1", 9), SK_ECLOSED);
    sup_assert_rc(sk_accept(s, &out, NULL), SK_ECLOSED);
    assert_null(out);
    sup_assert_rc(sk_send(s, "abc", 3, 1, -1, &last), SK_ECLOSED);
    assert_int_equal(last, 0);
    sup_assert_rc(sk_receive(s, &b, SK_LINE, 0), SK_ECLOSED);
    sup_assert_rc(sk_receive(s, &b, SK_BYTES, 3), SK_ECLOSED);
    sup_assert_rc(sk_receive(s, &b, SK_ALL, 0), SK_ECLOSED);
    sup_assert_rc(sk_receive(s, &b, SK_SOME, 0), SK_ECLOSED);
    assert_int_equal(b.len, 0);
    sup_assert_rc(sk_read(s, dst, sizeof dst, &got), SK_ECLOSED);
    assert_int_equal(got, 0);
    sup_assert_rc(sk_setlinelimit(s, 10), SK_ECLOSED);
    sup_assert_rc(sk_settimeout(s, 1, 'b'), SK_ECLOSED);
    sup_assert_rc(sk_settimeout(s, 1, 't'), SK_ECLOSED);
    for (o = 0; o < SK_OPT_COUNT; o++) {
        sup_assert_rc(sk_setoption(s, o, 1), SK_ECLOSED);
        sup_assert_rc(sk_getoption(s, o, &v), SK_ECLOSED);
        sup_assert_rc(sk_setoptname(s, sk_optionname(o), 1), SK_ECLOSED);
        sup_assert_rc(sk_getoptname(s, sk_optionname(o), &v), SK_ECLOSED);
    }
    sup_assert_rc(sk_getsockname(s, &name), SK_ECLOSED);
    sup_assert_rc(sk_getpeername(s, &name), SK_ECLOSED);
    sup_assert_rc(sk_shutdown(s, SK_SHUT_SEND), SK_ECLOSED);
    sup_assert_rc(sk_setfd(s, SK_FD_INVALID), SK_ECLOSED);
    assert_int_equal(sk_role(s), SK_ROLE_CLOSED);
    sk_buf_free(&b);
}

static void t_closed_calls(void **state)
{
    sk_sock *m = NULL, *m6 = NULL, *srv = NULL, *a = NULL, *b = NULL;
    int port = 0;
    (void)state;

    sup_assert_rc(sk_tcp4(&m), 0);
    sup_assert_rc(sk_tcp(&m6), 0);
    sup_listen4(&srv, &port, 1);
    sup_pair(&a, &b);
    /* b holds buffered bytes when it is closed. */
    sup_send_str(a, "one\ntwo\n");
    sup_expect_str(b, "one\n");
    sup_assert_rc(sk_close(m), 0);
    sup_assert_rc(sk_close(m6), 0);
    sup_assert_rc(sk_close(srv), 0);
    sup_assert_rc(sk_close(a), 0);
    sup_assert_rc(sk_close(b), 0);
    expect_closed(m);
    expect_closed(m6);
    expect_closed(srv);
    expect_closed(a);
    expect_closed(b);
    sk_free(m);
    sk_free(m6);
    sk_free(srv);
    sk_free(a);
    sk_free(b);
}

/* The getters and sk_setstats on a closed object: sk_close's contract says
 * every other call returns SK_ECLOSED (their own comments list only 0 and
 * SK_EINVAL). */
static void t_closed_getters(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    size_t max = 0;
    double blk = 0, tot = 0, age = 0;
    uint64_t rx = 0, tx = 0;
    (void)state;

    sup_pair(&a, &b);
    sup_assert_rc(sk_close(a), 0);
    sup_assert_rc(sk_getlinelimit(a, &max), SK_ECLOSED);
    sup_assert_rc(sk_gettimeout(a, &blk, &tot), SK_ECLOSED);
    sup_assert_rc(sk_getstats(a, &rx, &tx, &age), SK_ECLOSED);
    sup_assert_rc(sk_setstats(a, 0, 0, 0), SK_ECLOSED);
    sk_free(a);
    sk_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_master_wrong_role_tcp4),
        cmocka_unit_test(t_master_wrong_role_dualstack),
        cmocka_unit_test(t_server_wrong_role),
        cmocka_unit_test(t_client_wrong_role),
        cmocka_unit_test(t_bind_twice),
        cmocka_unit_test(t_transitions),
        cmocka_unit_test(t_listen_unbound),
        cmocka_unit_test(t_close_twice_and_free),
        cmocka_unit_test(t_closed_calls),
        cmocka_unit_test(t_closed_getters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
