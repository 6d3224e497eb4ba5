/* SPDX-License-Identifier: MIT */
/*
 * test_options.c - every option round-tripped (or SK_EUNSUPPORTED, never
 * silently ignored) by enum and by name, the name table, bad options and
 * values, and options remembered on a dual-stack master before its socket
 * exists.
 */
#include "support.h"

#include <stdlib.h>
#include <string.h>

static const char *const names[SK_OPT_COUNT] = {
    "keepalive", "linger", "reuseaddr", "reuseport", "tcp-nodelay",
    "tcp-keepidle", "tcp-keepcnt", "tcp-keepintvl", "tcp-defer-accept",
    "tcp-fastopen", "tcp-fastopen-connect", "ipv6-v6only", "sndbuf", "rcvbuf",
    "broadcast", "ip-multicast-ttl", "ip-multicast-loop", "ip-multicast-if",
    "tcp-cork", "error"};

static void t_option_names(void **state)
{
    int i;
    (void)state;
    for (i = 0; i < SK_OPT_COUNT; i++) {
        const char *n = sk_optionname(i);
        assert_non_null(n);
        assert_string_equal(n, names[i]);
        assert_int_equal(sk_optionid(n), i);
    }
    assert_null(sk_optionname(-1));
    assert_null(sk_optionname(SK_OPT_COUNT));
    assert_null(sk_optionname(1000));
    sup_assert_rc(sk_optionid("no-such-option"), SK_EINVAL);
    sup_assert_rc(sk_optionid(""), SK_EINVAL);
    sup_assert_rc(sk_optionid("keepalive "), SK_EINVAL);
    sup_assert_rc(sk_optionid(NULL), SK_EINVAL);
}

/* One option on one object: values to set and what each reads back
 * (-2: "at least the value set", for buffer sizes the OS may round). */
struct opt_case {
    int option;
    int values[3];
    int nvalues;
};

#define AT_LEAST (-2)

/* Set by enum, read by name and by enum; then set by name, read by enum.
 * Returns 1 when supported, 0 when SK_EUNSUPPORTED (both ways). */
static int roundtrip(sk_sock *s, const struct opt_case *c)
{
    int k, rc;
    const char *name = sk_optionname(c->option);
    assert_non_null(name);
    for (k = 0; k < c->nvalues; k++) {
        int set = c->values[k], v1 = -99, v2 = -99;
        rc = sk_setoption(s, c->option, set);
        if (c->option == SK_OPT_MULTICAST_IF &&
            sup_emulator_refused(rc, s, name))
            return 1; /* not checked here, but not missing either */
        if (rc == SK_EUNSUPPORTED) {
            int v = 0;
            assert_int_equal(k, 0);
            sup_assert_rc(sk_setoptname(s, name, set), SK_EUNSUPPORTED);
            sup_assert_rc(sk_getoption(s, c->option, &v), SK_EUNSUPPORTED);
            sup_assert_rc(sk_getoptname(s, name, &v), SK_EUNSUPPORTED);
            print_message("option %s: unsupported here\n", name);
            return 0;
        }
        if (rc != 0) {
            print_error("setoption(%s, %d): %s\n", name, set, sk_errname(rc));
            fail();
        }
        sup_assert_rc(sk_getoptname(s, name, &v1), 0);
        sup_assert_rc(sk_getoption(s, c->option, &v2), 0);
        assert_int_equal(v1, v2);
        if (c->option == SK_OPT_SNDBUF || c->option == SK_OPT_RCVBUF) {
            if (v1 < set) {
                print_error("%s set to %d reads back %d\n", name, set, v1);
                fail();
            }
        } else if (v1 != set) {
            print_error("%s set to %d reads back %d\n", name, set, v1);
            fail();
        }
        /* And by name. */
        sup_assert_rc(sk_setoptname(s, name, set), 0);
        sup_assert_rc(sk_getoption(s, c->option, &v2), 0);
        assert_int_equal(v1, v2);
    }
    return 1;
}

static void t_every_option(void **state)
{
    /* Client options on a connected client. */
    static const struct opt_case client_cases[] = {
        {SK_OPT_KEEPALIVE, {1, 0, 1}, 3},
        {SK_OPT_LINGER, {5, -1, 0}, 3},
        {SK_OPT_REUSEADDR, {1, 0, 1}, 3},
        {SK_OPT_REUSEPORT, {1, 0, 1}, 3},
        {SK_OPT_TCP_NODELAY, {1, 0, 1}, 3},
        {SK_OPT_TCP_KEEPIDLE, {30, 7, 60}, 3},
        {SK_OPT_TCP_KEEPCNT, {5, 3, 9}, 3},
        {SK_OPT_TCP_KEEPINTVL, {10, 2, 15}, 3},
        {SK_OPT_SNDBUF, {65536, 32768, 131072}, 3},
        {SK_OPT_RCVBUF, {65536, 32768, 131072}, 3},
        {SK_OPT_TCP_CORK, {1, 0, 1}, 3},
    };
    /* Listener options on a server (defer-accept's seconds round to the
     * SYN-ACK retransmission schedule on Linux: 1 and 3 are exact). */
    static const struct opt_case server_cases[] = {
        {SK_OPT_TCP_DEFER_ACCEPT, {1, 0, 3}, 3},
        {SK_OPT_TCP_FASTOPEN, {5, 16, 1}, 3},
        {SK_OPT_REUSEADDR, {1, 0, 1}, 3},
    };
    static const struct opt_case master_cases[] = {
        {SK_OPT_TCP_FASTOPEN_CONNECT, {1, 0, 1}, 3},
        {SK_OPT_TCP_NODELAY, {1, 0, 1}, 3},
    };
    static const struct opt_case v6_case = {SK_OPT_IPV6_V6ONLY, {0, 1, 0}, 3};
    /* Datagram options on a UDP object. */
    static const struct opt_case udp_cases[] = {
        {SK_OPT_BROADCAST, {1, 0, 1}, 3},
        {SK_OPT_MULTICAST_TTL, {0, 255, 4}, 3},
        {SK_OPT_MULTICAST_LOOP, {0, 1, 0}, 3},
        {SK_OPT_MULTICAST_IF, {0}, 1},
    };
    int seen[SK_OPT_COUNT], supported[SK_OPT_COUNT];
    sk_sock *a = NULL, *b = NULL, *srv = NULL, *m = NULL, *m6 = NULL;
    sk_sock *u = NULL;
    size_t k;
    int port = 0, o, v = -5;
    (void)state;

    memset(seen, 0, sizeof seen);
    memset(supported, 0, sizeof supported);
    sup_pair(&a, &b);
    for (k = 0; k < sizeof client_cases / sizeof client_cases[0]; k++) {
        o = client_cases[k].option;
        seen[o] = 1;
        supported[o] = roundtrip(a, &client_cases[k]);
    }
    sup_listen4(&srv, &port, 1);
    for (k = 0; k < sizeof server_cases / sizeof server_cases[0]; k++) {
        o = server_cases[k].option;
        seen[o] = 1;
        supported[o] |= roundtrip(srv, &server_cases[k]);
    }
    sup_assert_rc(sk_tcp4(&m), 0);
    for (k = 0; k < sizeof master_cases / sizeof master_cases[0]; k++) {
        o = master_cases[k].option;
        seen[o] = 1;
        supported[o] |= roundtrip(m, &master_cases[k]);
    }

    sup_assert_rc(sk_udp4(&u), 0);
    for (k = 0; k < sizeof udp_cases / sizeof udp_cases[0]; k++) {
        o = udp_cases[k].option;
        seen[o] = 1;
        supported[o] |= roundtrip(u, &udp_cases[k]);
    }
    sk_free(u);

    /* error: read-only, 0 on a healthy client (test_api reads a real
     * one). */
    v = -5;
    sup_assert_rc(sk_getoption(a, SK_OPT_ERROR, &v), 0);
    assert_int_equal(v, 0);
    sup_assert_rc(sk_setoption(a, SK_OPT_ERROR, 0), SK_EINVAL);
    seen[SK_OPT_ERROR] = 1;
    supported[SK_OPT_ERROR] = 1;

    /* ipv6-v6only: not an option of an IPv4 socket. */
    sup_assert_rc(sk_setoption(a, SK_OPT_IPV6_V6ONLY, 1), SK_EUNSUPPORTED);
    sup_assert_rc(sk_getoption(a, SK_OPT_IPV6_V6ONLY, &v), SK_EUNSUPPORTED);
    seen[SK_OPT_IPV6_V6ONLY] = 1;
    if (sk_tcp6(&m6) == 0) {
        /* sk_tcp6 turns it on. */
        sup_assert_rc(sk_getoption(m6, SK_OPT_IPV6_V6ONLY, &v), 0);
        assert_int_equal(v, 1);
        supported[SK_OPT_IPV6_V6ONLY] = roundtrip(m6, &v6_case);
        sk_free(m6);
    } else {
        print_message("no IPv6 sockets here: ipv6-v6only not round-tripped\n");
    }

    for (o = 0; o < SK_OPT_COUNT; o++) {
        assert_true(seen[o]);
#ifdef __linux__
        if (!supported[o]) {
            print_error("option %s must be supported on Linux\n", names[o]);
            fail();
        }
#endif
    }
    sk_free(m);
    sk_free(srv);
    sk_free(a);
    sk_free(b);
}

/* tcp-cork on a client: set 1, read 1, send while corked, set 0, read 0,
 * and the corked bytes arrive.  Windows has no such option: there it is
 * SK_EUNSUPPORTED both ways. */
static void t_cork(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    int v = -1, r;
    (void)state;
    sup_pair(&a, &b);
    r = sk_setoption(a, SK_OPT_TCP_CORK, 1);
    if (r == SK_EUNSUPPORTED) {
        sup_assert_rc(sk_getoption(a, SK_OPT_TCP_CORK, &v), SK_EUNSUPPORTED);
        sup_assert_rc(sk_setoptname(a, "tcp-cork", 0), SK_EUNSUPPORTED);
        print_message("tcp-cork: unsupported on this OS\n");
#ifdef __linux__
        fail();
#endif
    } else {
        sup_assert_rc(r, 0);
        sup_assert_rc(sk_getoption(a, SK_OPT_TCP_CORK, &v), 0);
        assert_int_equal(v, 1);
        sup_send_str(a, "corked ");
        sup_assert_rc(sk_setoptname(a, "tcp-cork", 0), 0);
        sup_assert_rc(sk_getoptname(a, "tcp-cork", &v), 0);
        assert_int_equal(v, 0);
        sup_assert_rc(sk_setoption(a, SK_OPT_TCP_CORK, 2), SK_EINVAL);
#ifdef __linux__
        /* Linux sends what was held as soon as the cork comes out (macOS's
         * TCP_NOPUSH may wait for the next write, which follows). */
        sup_expect_str(b, "corked ");
        sup_send_str(a, "bytes\n");
        sup_expect_str(b, "bytes\n");
#else
        sup_send_str(a, "bytes\n");
        sup_expect_str(b, "corked bytes\n");
#endif
    }
    if (r == SK_EUNSUPPORTED) {
        sup_send_str(a, "not corked\n");
        sup_expect_str(b, "not corked\n");
    }
    sk_free(a);
    sk_free(b);
}

/* Options on a client reach the peer's view only through behaviour; here
 * we check that a connected socket keeps them across traffic. */
static void t_options_survive_traffic(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    int v = -1;
    (void)state;
    sup_pair(&a, &b);
    sup_assert_rc(sk_setoption(a, SK_OPT_TCP_NODELAY, 1), 0);
    sup_assert_rc(sk_setoption(a, SK_OPT_KEEPALIVE, 1), 0);
    sup_send_str(a, "ping\n");
    sup_expect_str(b, "ping\n");
    sup_assert_rc(sk_getoption(a, SK_OPT_TCP_NODELAY, &v), 0);
    assert_int_equal(v, 1);
    sup_assert_rc(sk_getoption(a, SK_OPT_KEEPALIVE, &v), 0);
    assert_int_equal(v, 1);
    /* Defaults of the accepted side are untouched. */
    sup_assert_rc(sk_getoption(b, SK_OPT_TCP_NODELAY, &v), 0);
    assert_int_equal(v, 0);
    sk_free(a);
    sk_free(b);
}

static void t_bad_options(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    int v = 1234;
    (void)state;
    sup_pair(&a, &b);
    sup_assert_rc(sk_setoption(a, -1, 1), SK_EINVAL);
    sup_assert_rc(sk_setoption(a, SK_OPT_COUNT, 1), SK_EINVAL);
    sup_assert_rc(sk_getoption(a, -1, &v), SK_EINVAL);
    sup_assert_rc(sk_getoption(a, SK_OPT_COUNT, &v), SK_EINVAL);
    sup_assert_rc(sk_setoptname(a, "no-such-option", 1), SK_EINVAL);
    sup_assert_rc(sk_getoptname(a, "no-such-option", &v), SK_EINVAL);
    sup_assert_rc(sk_setoptname(a, NULL, 1), SK_EINVAL);
    sup_assert_rc(sk_getoptname(a, NULL, &v), SK_EINVAL);
    sup_assert_rc(sk_getoption(a, SK_OPT_KEEPALIVE, NULL), SK_EINVAL);
    sup_assert_rc(sk_getoptname(a, "keepalive", NULL), SK_EINVAL);
    assert_int_equal(v, 1234);
    /* Bad values: linger is -1 or seconds >= 0; sizes are not negative. */
    sup_assert_rc(sk_setoption(a, SK_OPT_LINGER, -2), SK_EINVAL);
    sup_assert_rc(sk_setoption(a, SK_OPT_SNDBUF, -1), SK_EINVAL);
    sup_assert_rc(sk_setoption(a, SK_OPT_RCVBUF, -1), SK_EINVAL);
    sup_assert_rc(sk_setoption(NULL, SK_OPT_KEEPALIVE, 1), SK_EINVAL);
    sup_assert_rc(sk_getoption(NULL, SK_OPT_KEEPALIVE, &v), SK_EINVAL);
    sup_assert_rc(sk_setoptname(NULL, "keepalive", 1), SK_EINVAL);
    sup_assert_rc(sk_getoptname(NULL, "keepalive", &v), SK_EINVAL);
    /* Still a working client. */
    sup_send_str(a, "fine\n");
    sup_expect_str(b, "fine\n");
    sk_free(a);
    sk_free(b);
}

/* Options set on a dual-stack master before bind/connect are remembered
 * and applied to the socket when it is made. */
static void t_dualstack_remembered(void **state)
{
    sk_sock *m = NULL, *srv = NULL, *d = NULL;
    sk_name name;
    int v = -1, port = 0;
    (void)state;

    sup_assert_rc(sk_tcp(&m), 0);
    assert_true(sk_getfd(m) == SK_FD_INVALID);
    /* Never set: nothing to report yet. */
    sup_assert_rc(sk_getoption(m, SK_OPT_TCP_NODELAY, &v), SK_EWRONGROLE);
    sup_assert_rc(sk_getoptname(m, "reuseaddr", &v), SK_EWRONGROLE);
    sup_assert_rc(sk_setoption(m, SK_OPT_TCP_NODELAY, 1), 0);
    sup_assert_rc(sk_setoptname(m, "reuseaddr", 1), 0);
    sup_assert_rc(sk_setoption(m, SK_OPT_KEEPALIVE, 1), 0);
    sup_assert_rc(sk_getoption(m, SK_OPT_TCP_NODELAY, &v), 0);
    assert_int_equal(v, 1);
    sup_assert_rc(sk_getoption(m, SK_OPT_REUSEADDR, &v), 0);
    assert_int_equal(v, 1);
    assert_true(sk_getfd(m) == SK_FD_INVALID);

    sup_assert_rc(sk_bind(m, "*", 0), 0);
    assert_true(sk_getfd(m) != SK_FD_INVALID);
    v = -1;
    sup_assert_rc(sk_getoption(m, SK_OPT_TCP_NODELAY, &v), 0);
    assert_int_equal(v, 1);
    v = -1;
    sup_assert_rc(sk_getoption(m, SK_OPT_REUSEADDR, &v), 0);
    assert_int_equal(v, 1);
    v = -1;
    sup_assert_rc(sk_getoption(m, SK_OPT_KEEPALIVE, &v), 0);
    assert_int_equal(v, 1);
    sk_free(m);

    /* The same on the connect path. */
    sup_listen4(&srv, &port, 2);
    sup_assert_rc(sk_tcp(&m), 0);
    sup_assert_rc(sk_setoption(m, SK_OPT_TCP_NODELAY, 1), 0);
    sup_assert_rc(sk_setoption(m, SK_OPT_LINGER, 3), 0);
    sup_assert_rc(sk_connect(m, "127.0.0.1", port), 0);
    sup_assert_rc(sk_getoption(m, SK_OPT_TCP_NODELAY, &v), 0);
    assert_int_equal(v, 1);
    sup_assert_rc(sk_getoption(m, SK_OPT_LINGER, &v), 0);
    assert_int_equal(v, 3);
    sup_assert_rc(sk_getpeername(m, &name), 0);
    assert_int_equal(name.port, port);
    sup_assert_rc(sk_accept(srv, &d, NULL), 0);
    sk_free(d);
    sk_free(m);
    sk_free(srv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_option_names),
        cmocka_unit_test(t_every_option),
        cmocka_unit_test(t_options_survive_traffic),
        cmocka_unit_test(t_cork),
        cmocka_unit_test(t_bad_options),
        cmocka_unit_test(t_dualstack_remembered),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
