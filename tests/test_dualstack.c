/* SPDX-License-Identifier: MIT */
/*
 * test_dualstack.c - sk_sock (dual-stack), sk_tcp4 and sk_tcp6 together:
 * IPv4 and IPv6 clients on a dual-stack server, v6only servers refusing IPv4,
 * and the families reported in names.  IPv6 tests skip only when the host
 * has no ::1.
 */
#include "support.h"

#include <stdlib.h>
#include <string.h>

static void require_ipv6(void)
{
    if (!sup_ipv6_loopback()) {
        print_message("this host has no IPv6 loopback (::1): skipped\n");
        skip();
    }
}

static void dual_server(sk_sock **srv, int *port)
{
    sk_name name;
    sup_assert_rc(sk_tcp(srv), 0);
    sup_assert_rc(sk_bind(*srv, "*", 0), 0);
    sup_assert_rc(sk_listen(*srv, 4), 0);
    sup_assert_rc(sk_settimeout(*srv, SUP_SAFETY_TIMEOUT, 'b'), 0);
    sup_assert_rc(sk_getsockname(*srv, &name), 0);
    assert_true(name.port > 0);
    *port = name.port;
}

static void exchange(sk_sock *c, sk_sock *d)
{
    sup_send_str(c, "up\n");
    sup_expect_str(d, "up\n");
    sup_send_str(d, "down\n");
    sup_expect_str(c, "down\n");
}

static void expect_name(const sk_name *n, const char *addr, int port,
                        const char *family)
{
    if (strcmp(n->addr, addr) != 0 || n->port != port ||
        strcmp(n->family, family) != 0) {
        print_error("name %s port %d family %s; expected %s %d %s\n",
                    n->addr, n->port, n->family, addr, port, family);
        fail();
    }
}

static void t_v4_client_dualstack_server(void **state)
{
    sk_sock *srv = NULL, *c = NULL, *d = NULL;
    sk_name peer, n, local;
    int port = 0;
    (void)state;

    dual_server(&srv, &port);
    sup_connect4(&c, port);
    memset(&peer, 0, sizeof peer);
    sup_assert_rc(sk_accept(srv, &d, &peer), 0);
    sup_assert_rc(sk_getsockname(c, &local), 0);
    expect_name(&local, "127.0.0.1", local.port, "inet");
    /* The IPv4 client is shown as IPv4, never as ::ffff:127.0.0.1. */
    expect_name(&peer, "127.0.0.1", local.port, "inet");
    sup_assert_rc(sk_getpeername(d, &n), 0);
    expect_name(&n, "127.0.0.1", local.port, "inet");
    sup_assert_rc(sk_getsockname(d, &n), 0);
    expect_name(&n, "127.0.0.1", port, "inet");
    sup_assert_rc(sk_getpeername(c, &n), 0);
    expect_name(&n, "127.0.0.1", port, "inet");
    if (sup_ipv6_loopback()) {
        /* One IPv6 socket with v6only off. */
        int v = -1;
        sup_assert_rc(sk_getsockname(srv, &n), 0);
        expect_name(&n, "::", port, "inet6");
        sup_assert_rc(sk_getoption(srv, SK_OPT_IPV6_V6ONLY, &v), 0);
        assert_int_equal(v, 0);
    }
    exchange(c, d);
    sk_free(c);
    sk_free(d);
    sk_free(srv);
}

/* A client made by ctor connects to srv on "::1", is accepted, and both
 * ends see "::1" names and exchange data. */
static void v6_session(sk_sock *srv, int port, int (*ctor)(sk_sock **))
{
    sk_sock *c = NULL, *d = NULL;
    sk_name peer, n, local;

    sup_assert_rc(ctor(&c), 0);
    sup_assert_rc(sk_settimeout(c, SUP_SAFETY_TIMEOUT, 'b'), 0);
    sup_assert_rc(sk_connect(c, "::1", port), 0);
    sup_assert_rc(sk_accept(srv, &d, &peer), 0);
    sup_assert_rc(sk_getsockname(c, &local), 0);
    expect_name(&local, "::1", local.port, "inet6");
    expect_name(&peer, "::1", local.port, "inet6");
    sup_assert_rc(sk_getpeername(d, &n), 0);
    expect_name(&n, "::1", local.port, "inet6");
    sup_assert_rc(sk_getpeername(c, &n), 0);
    expect_name(&n, "::1", port, "inet6");
    exchange(c, d);
    sk_free(c);
    sk_free(d);
}

static void t_v6_client_dualstack_server(void **state)
{
    sk_sock *srv = NULL;
    int port = 0;
    (void)state;

    require_ipv6();
    dual_server(&srv, &port);
    v6_session(srv, port, sk_tcp6);
    sk_free(srv);
}

static void t_v6_client_v6_server(void **state)
{
    sk_sock *srv = NULL;
    sk_name n;
    int port = 0, v = -1;
    (void)state;

    require_ipv6();
    sup_assert_rc(sk_tcp6(&srv), 0);
    sup_assert_rc(sk_bind(srv, "::1", 0), 0);
    sup_assert_rc(sk_listen(srv, 4), 0);
    sup_assert_rc(sk_settimeout(srv, SUP_SAFETY_TIMEOUT, 'b'), 0);
    sup_assert_rc(sk_getsockname(srv, &n), 0);
    port = n.port;
    expect_name(&n, "::1", port, "inet6");
    sup_assert_rc(sk_getoption(srv, SK_OPT_IPV6_V6ONLY, &v), 0);
    assert_int_equal(v, 1);

    /* An sk_tcp6 client, then a dual-stack one, to "::1". */
    v6_session(srv, port, sk_tcp6);
    v6_session(srv, port, sk_tcp);
    sk_free(srv);
}

/* An sk_tcp6 server on "*" is v6only: IPv4 clients are refused on its
 * port while IPv6 ones get through. */
static void t_v4_refused_by_v6_server(void **state)
{
    sk_sock *srv = NULL, *c = NULL, *d = NULL;
    sk_name n;
    int port = 0;
    (void)state;

    require_ipv6();
    sup_assert_rc(sk_tcp6(&srv), 0);
    sup_assert_rc(sk_bind(srv, "*", 0), 0);
    sup_assert_rc(sk_listen(srv, 4), 0);
    sup_assert_rc(sk_settimeout(srv, SUP_SAFETY_TIMEOUT, 'b'), 0);
    sup_assert_rc(sk_getsockname(srv, &n), 0);
    expect_name(&n, "::", n.port, "inet6");
    port = n.port;

    sup_assert_rc(sk_tcp4(&c), 0);
    sup_assert_rc(sk_settimeout(c, SUP_SAFETY_TIMEOUT, 'b'), 0);
    sup_assert_rc(sk_connect(c, "127.0.0.1", port), SK_ECONNREFUSED);
    assert_int_equal(sk_role(c), SK_ROLE_MASTER);
    sk_free(c);

    sup_assert_rc(sk_tcp6(&c), 0);
    sup_assert_rc(sk_settimeout(c, SUP_SAFETY_TIMEOUT, 'b'), 0);
    sup_assert_rc(sk_connect(c, "::1", port), 0);
    sup_assert_rc(sk_accept(srv, &d, NULL), 0);
    exchange(c, d);
    sk_free(c);
    sk_free(d);
    sk_free(srv);
}

/* A dual-stack client tries every resolved address: "localhost" reaches an
 * IPv4-only listener whatever order the resolver gives. */
static void t_dualstack_client(void **state)
{
    sk_sock *srv = NULL, *c = NULL, *d = NULL;
    sk_name n;
    int port = 0;
    (void)state;

    sup_listen4(&srv, &port, 4);
    sup_assert_rc(sk_tcp(&c), 0);
    assert_true(sk_getfd(c) == SK_FD_INVALID);
    sup_assert_rc(sk_settimeout(c, SUP_SAFETY_TIMEOUT, 'b'), 0);
    sup_assert_rc(sk_connect(c, "127.0.0.1", port), 0);
    assert_true(sk_getfd(c) != SK_FD_INVALID);
    sup_assert_rc(sk_getpeername(c, &n), 0);
    expect_name(&n, "127.0.0.1", port, "inet");
    sup_assert_rc(sk_accept(srv, &d, NULL), 0);
    exchange(c, d);
    sk_free(c);
    sk_free(d);

    sup_assert_rc(sk_tcp(&c), 0);
    sup_assert_rc(sk_settimeout(c, SUP_SAFETY_TIMEOUT, 'b'), 0);
    sup_assert_rc(sk_connect(c, "localhost", port), 0);
    sup_assert_rc(sk_getpeername(c, &n), 0);
    expect_name(&n, "127.0.0.1", port, "inet");
    sup_assert_rc(sk_accept(srv, &d, NULL), 0);
    exchange(c, d);
    sk_free(c);
    sk_free(d);
    sk_free(srv);
}

/* sk_sock binding a numeric address makes a socket of that family. */
static void t_dualstack_bind_numeric(void **state)
{
    sk_sock *m = NULL;
    sk_name n;
    (void)state;

    sup_assert_rc(sk_tcp(&m), 0);
    sup_assert_rc(sk_getsockname(m, &n), SK_ENOTCONN); /* no socket yet */
    sup_assert_rc(sk_bind(m, "127.0.0.1", 0), 0);
    sup_assert_rc(sk_getsockname(m, &n), 0);
    expect_name(&n, "127.0.0.1", n.port, "inet");
    assert_true(n.port > 0);
    sk_free(m);

    if (sup_ipv6_loopback()) {
        sup_assert_rc(sk_tcp(&m), 0);
        sup_assert_rc(sk_bind(m, "::1", 0), 0);
        sup_assert_rc(sk_getsockname(m, &n), 0);
        expect_name(&n, "::1", n.port, "inet6");
        assert_true(n.port > 0);
        sk_free(m);
    } else {
        print_message("no IPv6 loopback: \"::1\" bind not checked\n");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_v4_client_dualstack_server),
        cmocka_unit_test(t_v6_client_dualstack_server),
        cmocka_unit_test(t_v6_client_v6_server),
        cmocka_unit_test(t_v4_refused_by_v6_server),
        cmocka_unit_test(t_dualstack_client),
        cmocka_unit_test(t_dualstack_bind_numeric),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
