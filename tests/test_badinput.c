/* SPDX-License-Identifier: MIT */
/*
 * test_badinput.c - NULL objects, buffers and out-pointers for every
 * function, bad ports and hosts: each gives its documented error and leaves
 * the object working.
 */
#include "support.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void t_null_objects(void **state)
{
    sk_buf buf = {NULL, 0, 0};
    char dst[4];
    size_t got = 99, max = 0;
    ptrdiff_t last = -1;
    double d = 0;
    uint64_t u = 0;
    int v = 0;
    sk_name n;
    sk_sock *out = NULL;
    size_t nr = 0, nw = 0;
    (void)state;

    sup_assert_rc(sk_tcp4(NULL), SK_EINVAL);
    sup_assert_rc(sk_tcp6(NULL), SK_EINVAL);
    sup_assert_rc(sk_tcp(NULL), SK_EINVAL);
    sup_assert_rc(sk_close(NULL), SK_EINVAL);
    sk_free(NULL);
    sup_assert_rc(sk_role(NULL), SK_EINVAL);
    assert_int_equal(sk_syserror(NULL), 0);
    sup_assert_rc(sk_bind(NULL, "127.0.0.1", 0), SK_EINVAL);
    sup_assert_rc(sk_listen(NULL, 1), SK_EINVAL);
    sup_assert_rc(sk_connect(NULL, "127.0.0.1", 80), SK_EINVAL);
    sup_assert_rc(sk_accept(NULL, &out, NULL), SK_EINVAL);
    assert_null(out);
    sup_assert_rc(sk_send(NULL, "x", 1, 1, -1, &last), SK_EINVAL);
    sup_assert_rc(sk_receive(NULL, &buf, SK_LINE, 0), SK_EINVAL);
    sup_assert_rc(sk_read(NULL, dst, sizeof dst, &got), SK_EINVAL);
    assert_int_equal(got, 0);
    sk_buf_free(NULL);
    sup_assert_rc(sk_buf_reserve(NULL, 1), SK_EINVAL);
    sup_assert_rc(sk_setlinelimit(NULL, 10), SK_EINVAL);
    sup_assert_rc(sk_getlinelimit(NULL, &max), SK_EINVAL);
    assert_int_equal(sk_dirty(NULL), 0);
    sup_assert_rc(sk_settimeout(NULL, 1, 'b'), SK_EINVAL);
    sup_assert_rc(sk_gettimeout(NULL, &d, &d), SK_EINVAL);
    sup_assert_rc(sk_optionid(NULL), SK_EINVAL);
    sup_assert_rc(sk_setoption(NULL, SK_OPT_KEEPALIVE, 1), SK_EINVAL);
    sup_assert_rc(sk_getoption(NULL, SK_OPT_KEEPALIVE, &v), SK_EINVAL);
    sup_assert_rc(sk_setoptname(NULL, "keepalive", 1), SK_EINVAL);
    sup_assert_rc(sk_getoptname(NULL, "keepalive", &v), SK_EINVAL);
    sup_assert_rc(sk_getsockname(NULL, &n), SK_EINVAL);
    sup_assert_rc(sk_getpeername(NULL, &n), SK_EINVAL);
    sup_assert_rc(sk_shutdown(NULL, SK_SHUT_BOTH), SK_EINVAL);
    assert_true(sk_getfd(NULL) == SK_FD_INVALID);
    sup_assert_rc(sk_setfd(NULL, SK_FD_INVALID), SK_EINVAL);
    sup_assert_rc(sk_getstats(NULL, &u, &u, &d), SK_EINVAL);
    sup_assert_rc(sk_setstats(NULL, 0, 0, 0), SK_EINVAL);
    sup_assert_rc(sk_select(NULL, 1, NULL, 0, 0, &out, &nr, NULL, &nw),
                  SK_EINVAL);
}

/* NULL buffers and out-pointers on live objects; afterwards the objects
 * still work. */
static void t_null_arguments(void **state)
{
    sk_sock *a = NULL, *b = NULL, *srv = NULL, *c = NULL;
    char dst[4];
    size_t got = 99;
    ptrdiff_t last = -1;
    int port = 0;
    (void)state;

    sup_pair(&a, &b);
    sup_assert_rc(sk_send(a, NULL, 3, 1, -1, &last), SK_EINVAL);
    sup_assert_rc(sk_receive(b, NULL, SK_LINE, 0), SK_EINVAL);
    sup_assert_rc(sk_receive(b, NULL, SK_BYTES, 3), SK_EINVAL);
    sup_assert_rc(sk_read(b, NULL, 4, &got), SK_EINVAL);
    assert_int_equal(got, 0);
    sup_assert_rc(sk_read(b, dst, sizeof dst, NULL), SK_EINVAL);
    got = 99;
    sup_assert_rc(sk_read(b, dst, 0, &got), SK_EINVAL);
    assert_int_equal(got, 0);
    sup_assert_rc(sk_getlinelimit(b, NULL), SK_EINVAL);
    sup_assert_rc(sk_getsockname(b, NULL), SK_EINVAL);
    sup_assert_rc(sk_getpeername(b, NULL), SK_EINVAL);
    sup_assert_rc(sk_getoption(b, SK_OPT_TCP_NODELAY, NULL), SK_EINVAL);
    sup_assert_rc(sk_getoptname(b, "tcp-nodelay", NULL), SK_EINVAL);
    sup_assert_rc(sk_setoptname(b, NULL, 1), SK_EINVAL);
    sup_assert_rc(sk_setlinelimit(b, 0), SK_EINVAL);
    sup_assert_rc(sk_settimeout(b, NAN, 'b'), SK_EINVAL);
    sup_assert_rc(sk_settimeout(b, 1, 'q'), SK_EINVAL);
    sup_assert_rc(sk_setstats(b, 0, 0, -0.5), SK_EINVAL);
    sup_assert_rc(sk_receive(b, &(sk_buf){NULL, 0, 0}, 17, 0), SK_EINVAL);
    sup_send_str(a, "still fine\n");
    sup_expect_str(b, "still fine\n");

    sup_listen4(&srv, &port, 1);
    sup_assert_rc(sk_accept(srv, NULL, NULL), SK_EINVAL);
    sup_connect4(&c, port);
    {
        sk_sock *d = NULL;
        sup_assert_rc(sk_accept(srv, &d, NULL), 0);
        sk_free(d);
    }
    sk_free(c);
    sk_free(srv);
    sk_free(a);
    sk_free(b);
}

static void t_bad_ports_and_hosts(void **state)
{
    sk_sock *m = NULL, *srv = NULL, *d = NULL;
    char longhost[300];
    static const int bad_ports[] = {-1, 65536, -65536, 100000};
    size_t i;
    int port = 0;
    (void)state;

    memset(longhost, 'a', sizeof longhost);
    longhost[256] = '\0'; /* 256 bytes: over the 255 limit */

    sup_assert_rc(sk_tcp4(&m), 0);
    for (i = 0; i < sizeof bad_ports / sizeof bad_ports[0]; i++) {
        sup_assert_rc(sk_bind(m, "127.0.0.1", bad_ports[i]), SK_EINVAL);
        sup_assert_rc(sk_connect(m, "127.0.0.1", bad_ports[i]), SK_EINVAL);
    }
    sup_assert_rc(sk_connect(m, "127.0.0.1", 0), SK_EINVAL);
    sup_assert_rc(sk_bind(m, NULL, 0), SK_EINVAL);
    sup_assert_rc(sk_bind(m, "", 0), SK_EINVAL);
    sup_assert_rc(sk_bind(m, longhost, 0), SK_EINVAL);
    sup_assert_rc(sk_connect(m, NULL, 80), SK_EINVAL);
    sup_assert_rc(sk_connect(m, "", 80), SK_EINVAL);
    sup_assert_rc(sk_connect(m, longhost, 80), SK_EINVAL);
    assert_int_equal(sk_role(m), SK_ROLE_MASTER);

    /* Still a fresh master: it connects. */
    sup_listen4(&srv, &port, 1);
    sup_assert_rc(sk_settimeout(m, SUP_SAFETY_TIMEOUT, 'b'), 0);
    sup_assert_rc(sk_connect(m, "127.0.0.1", port), 0);
    sup_assert_rc(sk_accept(srv, &d, NULL), 0);
    sup_send_str(m, "ok\n");
    sup_expect_str(d, "ok\n");
    sk_free(d);
    sk_free(srv);
    sk_free(m);

    /* The same on a dual-stack master, which then still binds. */
    sup_assert_rc(sk_tcp(&m), 0);
    sup_assert_rc(sk_bind(m, "127.0.0.1", 65536), SK_EINVAL);
    sup_assert_rc(sk_bind(m, longhost, 0), SK_EINVAL);
    sup_assert_rc(sk_connect(m, "127.0.0.1", 0), SK_EINVAL);
    sup_assert_rc(sk_connect(m, "", 1), SK_EINVAL);
    assert_true(sk_getfd(m) == SK_FD_INVALID);
    sup_assert_rc(sk_bind(m, "127.0.0.1", 0), 0);
    sk_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_null_objects),
        cmocka_unit_test(t_null_arguments),
        cmocka_unit_test(t_bad_ports_and_hosts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
