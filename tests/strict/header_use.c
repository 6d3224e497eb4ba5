/* SPDX-License-Identifier: MIT */
/*
 * header_use.c - the public header as a C89 program and as a C++11 program
 * (ci/test's strict lane compiles this one file both ways, -pedantic
 * -Werror, and links and runs each against the library): a call from each
 * group of functions, checked, over loopback only.  Exit 0 when every call
 * did what it should, 1 with a message naming the first that did not.
 */
#include <sockit.h>

#include <stdio.h>
#include <string.h>

static int fails = 0;

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "header_use: %s failed\n", what);
        fails++;
    }
}

static void on_timer(sk_timer *t, void *ud)
{
    (void)t;
    *(int *)ud += 1;
}

int main(void)
{
    sk_sock *srv = NULL, *cli = NULL, *acc = NULL, *udp = NULL, *ready[2];
    sk_sock *list[1];
    sk_name name;
    sk_buf buf = {NULL, 0, 0};
    sk_addrlist al;
    sk_loop *loop = NULL;
    sk_timer *timer = NULL;
    sk_selector *sel = NULL;
    sk_conn *conn = NULL;
    sk_server *server = NULL;
    sk_state st;
    const char *line = NULL;
    size_t len = 0, nr = 0, nw = 0, n = 0;
    ptrdiff_t last = 0;
    double block = 0, total = 0;
    int v = 0, events[2], fired = 0;

    /* errors */
    check(sk_strerror(SK_ETIMEOUT) != NULL && sk_errname(SK_ECLOSED) != NULL, "errors");
    /* objects, server and client roles */
    check(sk_tcp4(&srv) == 0 && sk_bind(srv, "127.0.0.1", 0) == 0, "tcp4/bind");
    check(sk_listen(srv, 8) == 0 && sk_getsockname(srv, &name) == 0, "listen/name");
    check(sk_tcp(&cli) == 0 && sk_connect(cli, "127.0.0.1", name.port) == 0, "connect");
    check(sk_accept(srv, &acc, NULL) == 0 && sk_role(acc) == SK_ROLE_CLIENT, "accept");
    /* timeouts and options */
    check(sk_settimeout(acc, 5, 'b') == 0 && sk_gettimeout(acc, &block, &total) == 0,
          "timeouts");
    check(sk_setoption(cli, sk_optionid("tcp-nodelay"), 1) == 0 &&
              sk_getoption(cli, sk_optionid("tcp-nodelay"), &v) == 0 && v == 1,
          "options");
    /* sending and receiving */
    check(sk_send(cli, "ab\nline\n", 8, 1, -1, &last) == 0 && last == 8, "send");
    check(sk_receive(acc, &buf, SK_BYTES, 3) == 0 && buf.len == 3, "receive");
    check(sk_receiveline(acc, &line, &len) == 0 && len == 4 && memcmp(line, "line", 4) == 0,
          "receiveline");
    check(sk_dirty(acc) == 0, "dirty");
    /* TLS: this archive is built without a provider (a plain Makefile's) */
    {
        sk_tls_ctx *tc = NULL;
        check(sk_tls_provider() == NULL &&
                  sk_tls_ctx_new(&tc, SK_TLS_CLIENT) == SK_EUNSUPPORTED &&
                  tc == NULL && sk_tls_handshake(acc) == SK_EWRONGROLE,
              "tls");
    }
    /* select and selector */
    list[0] = cli;
    check(sk_select(NULL, 0, list, 1, 1, ready, &nr, ready + 1, &nw) == 0 && nw == 1,
          "select");
    check(sk_selector_new(&sel) == 0 && sk_selector_add(sel, cli, SK_WRITABLE) == 0 &&
              sk_selector_wait(sel, 1, ready, events, 2, &n) == 0 && n == 1,
          "selector");
    sk_selector_free(sel);
    /* state, stats, shutdown */
    check(sk_getstate(cli, &st) == 0 && sk_shutdown(cli, SK_SHUT_SEND) == 0, "state");
    /* datagrams */
    check(sk_udp4(&udp) == 0 && sk_setpeername(udp, "127.0.0.1", name.port) == 0, "udp");
    /* address lookup */
    check(sk_getaddrinfo("127.0.0.1", "80", SK_AF_INET, SK_STREAM, 0, &al) == 0, "lookup");
    sk_addrlist_free(&al);
    /* loop and timers */
    check(sk_loop_new(&loop) == 0 && sk_timer_new(loop, &timer) == 0 &&
              sk_timer_start(timer, 0, 0, on_timer, &fired) == 0 &&
              sk_loop_run(loop, SK_RUN_DEFAULT) == 0 && fired == 1,
          "loop/timer");
    /* connections and servers (created, not run) */
    check(sk_conn_new(loop, &conn) == 0 && sk_conn_state(conn) == SK_CONN_UNCONNECTED,
          "conn");
    check(sk_server_new(loop, &server) == 0, "server");
    sk_server_free(server);
    sk_conn_free(conn);
    sk_timer_free(timer);
    sk_loop_free(loop);
    sk_buf_free(&buf);
    sk_free(udp);
    sk_free(acc);
    sk_free(cli);
    sk_free(srv);
    if (fails == 0)
        printf("header_use: every group ok\n");
    return fails ? 1 : 0;
}
