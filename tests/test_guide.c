/* SPDX-License-Identifier: MIT */
/*
 * test_guide.c - the code of docs/guide.md, run.  Every C block of the
 * guide names the file it comes from and appears there verbatim
 * (ci/check-guide.sh, lint lane); the blocks that are not whole examples
 * (examples/many/) live here, each in a test that checks what the guide
 * says it does.
 */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>

/* The roles: master, server, client. */
static void t_roles(void **state)
{
    sk_sock *server = NULL, *client = NULL, *conn = NULL;
    sk_name name;
    int r;
    (void)state;

    if ((r = sk_tcp4(&server)) == SK_OK &&                /* a master */
        (r = sk_bind(server, "127.0.0.1", 0)) == SK_OK && /* 0: any port */
        (r = sk_listen(server, 16)) == SK_OK &&           /* a server */
        (r = sk_getsockname(server, &name)) == SK_OK &&   /* its port */
        (r = sk_tcp4(&client)) == SK_OK &&
        (r = sk_connect(client, "127.0.0.1", name.port)) == SK_OK &&
        (r = sk_accept(server, &conn, NULL)) == SK_OK)    /* a client */
        printf("%d %d %d\n", sk_role(server), sk_role(client), sk_role(conn));

    sup_assert_rc(r, 0);
    assert_int_equal(sk_role(server), SK_ROLE_SERVER);
    assert_int_equal(sk_role(client), SK_ROLE_CLIENT);
    assert_int_equal(sk_role(conn), SK_ROLE_CLIENT);
    sup_assert_rc(sk_close(conn), 0);
    assert_int_equal(sk_role(conn), SK_ROLE_CLOSED);
    sup_assert_rc(sk_send(conn, "x", 1, 1, -1, NULL), SK_ECLOSED);
    sk_free(conn);
    sk_free(client);
    sk_free(server);
}

/* Patterns and the prefix. */
static void t_receive(void **state)
{
    sk_sock *c = NULL, *peer = NULL;
    int r;
    (void)state;
    sup_pair(&c, &peer);
    sup_send_str(peer, "HELLO\r\n1234more data");
    sup_assert_rc(sk_shutdown(peer, SK_SHUT_SEND), 0);

    sk_buf b = SK_BUF_INIT;
    r = sk_receive(c, &b, SK_LINE, 0);  /* b.data: "HELLO", a C string */
    sk_buf_reset(&b);                   /* empty b, keep its memory */
    r = sk_receive(c, &b, SK_BYTES, 4); /* b: "1234" */
    r = sk_receive(c, &b, SK_ALL, 0);   /* b: "1234more data": a prefix */

    sup_assert_rc(r, 0);
    sup_assert_bufstr(&b, "1234more data");
    sk_buf_free(&b);
    sk_free(c);
    sk_free(peer);
}

/* Nothing lost: a partial line stays in the buffer on a timeout. */
static void t_partial(void **state)
{
    sk_sock *c = NULL, *peer = NULL;
    int r;
    (void)state;
    sup_pair(&c, &peer);
    sup_send_str(peer, "par");
    sup_wait_readable(c);
    sup_assert_rc(sk_settimeout(c, 0, 'b'), 0);

    sk_buf b = {NULL, 0, 0};
    r = sk_receive(c, &b, SK_LINE, 0);
    if (r == SK_ETIMEOUT || r == SK_ECLOSED) /* b holds what did arrive */
        printf("%lu bytes so far\n", (unsigned long)b.len);

    sup_assert_rc(r, SK_ETIMEOUT);
    sup_assert_bufstr(&b, "par");
    sup_assert_rc(sk_settimeout(c, SUP_SAFETY_TIMEOUT, 'b'), 0);
    sup_send_str(peer, "tial\n");
    sup_assert_rc(sk_receive(c, &b, SK_LINE, 0), 0);
    sup_assert_bufstr(&b, "partial");
    sk_buf_free(&b);
    sk_free(c);
    sk_free(peer);
}

/* The timeouts, set and read back. */
static void t_timeouts(void **state)
{
    sk_sock *c = NULL;
    double block = 0, total = 0;
    (void)state;
    sup_assert_rc(sk_tcp(&c), 0);
    sk_settimeout(c, 2.0, 'b');  /* no single wait longer than 2 s */
    sk_settimeout(c, 10.0, 't'); /* no call longer than 10 s in all */
    sup_assert_rc(sk_gettimeout(c, &block, &total), 0);
    assert_true(block == 2.0 && total == 10.0);
    sk_free(c);
}

struct reader {
    sk_sock *s;
    size_t len;
    int rc;
    sk_buf got;
};

static void reader_main(void *arg)
{
    struct reader *rd = (struct reader *)arg;
    rd->rc = sk_receive(rd->s, &rd->got, SK_BYTES, rd->len);
}

/* Sending: where a send stopped, and resuming there. */
static void t_send_resume(void **state)
{
    sk_sock *c = NULL, *peer = NULL;
    struct reader rd;
    sup_thread *th;
    size_t len = sup_env_size("SOCKIT_TEST_BULK_MIB", 64) << 18; /* 1/4 */
    char *data = (char *)malloc(len);
    uint64_t seed = 42;
    ptrdiff_t last = 0;
    int r;
    (void)state;
    assert_non_null(data);
    sup_fill(&seed, data, len);
    sup_pair(&c, &peer);
    rd.s = peer;
    rd.len = len;
    rd.rc = 1;
    rd.got.data = NULL;
    rd.got.len = rd.got.cap = 0;

    th = sup_thread_start(reader_main, &rd); /* the peer reads it all */

    sk_settimeout(c, 0, 'b');                /* try once, never wait */
    r = sk_send(c, data, len, 1, -1, &last); /* SK_ETIMEOUT: 1..last sent */
    sk_settimeout(c, -1, 'b');               /* wait as long as it takes */
    if (r == SK_ETIMEOUT)
        r = sk_send(c, data, len, last + 1, -1, &last); /* the rest */

    sup_thread_join(th);
    sup_assert_rc(r, 0);
    assert_int_equal((size_t)last, len);
    sup_assert_rc(rd.rc, 0);
    sup_assert_buf(&rd.got, data, len);
    sk_buf_free(&rd.got);
    free(data);
    sk_free(c);
    sk_free(peer);
}

/* Errors: the code, its name, its words, and the OS's code. */
static void t_errors(void **state)
{
    sk_sock *server = NULL, *c = NULL;
    const char *want = "connect: connection refused (SK_ECONNREFUSED, "
                       "OS code ";
    char msg[128] = "";
    int port, r;
    (void)state;
    sup_listen4(&server, &port, 1);
    sk_free(server); /* nobody listens on port now */
    sup_assert_rc(sk_tcp4(&c), 0);

    r = sk_connect(c, "127.0.0.1", port);
    if (r != SK_OK)
        snprintf(msg, sizeof msg, "connect: %s (%s, OS code %d)",
                 sk_strerror(r), sk_errname(r), sk_syserror(c));

    sup_assert_rc(r, SK_ECONNREFUSED);
    assert_int_equal(strncmp(msg, want, strlen(want)), 0);
    assert_int_not_equal(sk_syserror(c), 0);
    assert_int_equal(sk_role(c), SK_ROLE_MASTER); /* unchanged */
    sk_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_roles),
        cmocka_unit_test(t_receive),
        cmocka_unit_test(t_partial),
        cmocka_unit_test(t_timeouts),
        cmocka_unit_test(t_send_resume),
        cmocka_unit_test(t_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
