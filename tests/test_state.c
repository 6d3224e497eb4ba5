/* SPDX-License-Identifier: MIT */
/*
 * test_state.c - sk_getstate across an object's life (fresh, bound,
 * listening, connecting, connected, accepted, shut down, closed) and for
 * each constructor; non-blocking mode (sk_setblocking): receive, send,
 * accept and connect return SK_EWOULDBLOCK / SK_EINPROGRESS at once with
 * partial progress kept, timeouts come back in blocking mode, accepted
 * clients inherit the mode; options by nixio's level and name.
 */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ----------------------------------------------------------- */

/* Expected state; -1 in a field means "either" (not checked). */
static sk_state st(int bound, int connected, int listening, int closed,
                   int shut_receive, int shut_send, int blocking, int family,
                   int type, int protocol)
{
    sk_state s;
    s.bound = bound;
    s.connected = connected;
    s.listening = listening;
    s.closed = closed;
    s.shut_receive = shut_receive;
    s.shut_send = shut_send;
    s.blocking = blocking;
    s.family = family;
    s.type = type;
    s.protocol = protocol;
    return s;
}

#define expect_state(s, want, what)                                         \
    expect_state_((s), (want), (what), __LINE__)

static void expect_state_(const sk_sock *s, sk_state want, const char *what,
                          int line)
{
    sk_state got;
    static const char *const names[] = {
        "bound", "connected", "listening", "closed", "shut_receive",
        "shut_send", "blocking", "family", "type", "protocol"};
    int g[10], w[10], k, bad = 0;
    memset(&got, 0x5a, sizeof got);
    sup_assert_rc(sk_getstate(s, &got), 0);
    g[0] = got.bound, w[0] = want.bound;
    g[1] = got.connected, w[1] = want.connected;
    g[2] = got.listening, w[2] = want.listening;
    g[3] = got.closed, w[3] = want.closed;
    g[4] = got.shut_receive, w[4] = want.shut_receive;
    g[5] = got.shut_send, w[5] = want.shut_send;
    g[6] = got.blocking, w[6] = want.blocking;
    g[7] = got.family, w[7] = want.family;
    g[8] = got.type, w[8] = want.type;
    g[9] = got.protocol, w[9] = want.protocol;
    for (k = 0; k < 10; k++) {
        if (w[k] != -1 && g[k] != w[k]) {
            print_error("line %d, %s: %s is %d, expected %d\n", line, what,
                        names[k], g[k], w[k]);
            bad++;
        }
    }
    if (bad)
        fail();
}

/* Timeouts are kept in milliseconds and read back as seconds: compare
 * them within a microsecond, never with ==.  Where doubles are evaluated in
 * extended precision (x87: FLT_EVAL_METHOD 2, i386 and 32-bit MinGW) a
 * literal such as 0.05 is a long double, and the double read back differs
 * from it in its last bits although both are right. */
static int same_seconds(double got, double want)
{
    double d = got - want;
    return d < 1e-6 && d > -1e-6;
}

static int family_of(const sk_name *n)
{
    if (strcmp(n->family, "inet6") == 0)
        return SK_AF_INET6;
    if (strcmp(n->family, "inet") == 0)
        return SK_AF_INET;
    return SK_AF_UNIX;
}

/* A port with no listener: bind a listener, note its port, close it. */
static int free_port(void)
{
    sk_sock *srv = NULL;
    int port = 0;
    sup_listen4(&srv, &port, 1);
    sk_free(srv);
    return port;
}

/* Wait (sk_select, safety timeout) until s can be written. */
static void wait_writable(sk_sock *s)
{
    sk_sock *ready[1];
    size_t nr = 9, nw = 9;
    sup_assert_rc(sk_select(NULL, 0, &s, 1, SUP_SAFETY_TIMEOUT, NULL, &nr,
                            ready, &nw),
                  0);
    assert_int_equal(nw, 1);
    assert_ptr_equal(ready[0], s);
}

/* Wait (sk_select, safety timeout) until a server has a client pending. */
static void wait_acceptable(sk_sock *srv)
{
    sk_sock *ready[1];
    size_t nr = 9, nw = 9;
    sup_assert_rc(sk_select(&srv, 1, NULL, 0, SUP_SAFETY_TIMEOUT, ready, &nr,
                            NULL, &nw),
                  0);
    assert_int_equal(nr, 1);
}


/* ---- state ------------------------------------------------------------- */

static void t_state_args(void **state)
{
    sk_sock *s = NULL;
    sk_state out;
    (void)state;
    sup_assert_rc(sk_getstate(NULL, &out), SK_EINVAL);
    sup_assert_rc(sk_tcp4(&s), 0);
    sup_assert_rc(sk_getstate(s, NULL), SK_EINVAL);
    sup_assert_rc(sk_setblocking(NULL, 0), SK_EINVAL);
    sup_assert_rc(sk_setblocking(s, 2), SK_EINVAL);
    sup_assert_rc(sk_setblocking(s, -1), SK_EINVAL);
    expect_state(s, st(0, 0, 0, 0, 0, 0, 1, SK_AF_INET, SK_STREAM,
                       SK_PROTO_TCP), "after bad setblocking");
    sup_assert_rc(sk_setblocking(s, 0), 0);
    sup_assert_rc(sk_setblocking(s, 0), 0); /* idempotent */
    expect_state(s, st(0, 0, 0, 0, 0, 0, 0, SK_AF_INET, SK_STREAM,
                       SK_PROTO_TCP), "non-blocking master");
    sup_assert_rc(sk_setblocking(s, 1), 0);
    expect_state(s, st(0, 0, 0, 0, 0, 0, 1, SK_AF_INET, SK_STREAM,
                       SK_PROTO_TCP), "blocking again");
    sup_assert_rc(sk_close(s), 0);
    sup_assert_rc(sk_setblocking(s, 0), SK_ECLOSED);
    expect_state(s, st(0, 0, 0, 1, 0, 0, 1, SK_AF_INET, SK_STREAM,
                       SK_PROTO_TCP), "closed");
    sk_free(s);
    assert_int_equal(SK_PROTO_TCP, 6);
    assert_int_equal(SK_PROTO_UDP, 17);
    assert_int_equal(SK_PROTO_DEFAULT, 0);
}

/* Family, type and protocol for each constructor, fresh and closed. */
static void t_state_constructors(void **state)
{
    sk_sock *s = NULL;
    int rc;
    (void)state;

    sup_assert_rc(sk_tcp4(&s), 0);
    expect_state(s, st(0, 0, 0, 0, 0, 0, 1, SK_AF_INET, SK_STREAM,
                       SK_PROTO_TCP), "fresh tcp4");
    sk_free(s);

    sup_assert_rc(sk_tcp(&s), 0);
    expect_state(s, st(0, 0, 0, 0, 0, 0, 1, SK_AF_UNSPEC, SK_STREAM,
                       SK_PROTO_TCP), "fresh dual-stack master");
    sup_assert_rc(sk_setblocking(s, 0), 0);
    sup_assert_rc(sk_close(s), 0);
    expect_state(s, st(0, 0, 0, 1, 0, 0, 0, SK_AF_UNSPEC, SK_STREAM,
                       SK_PROTO_TCP), "closed dual-stack master");
    sk_free(s);

    s = NULL;
    rc = sk_tcp6(&s);
    if (rc == SK_EFAMILY) {
        print_message("no IPv6 sockets here: sk_tcp6's state not checked\n");
        return;
    }
    sup_assert_rc(rc, 0);
    expect_state(s, st(0, 0, 0, 0, 0, 0, 1, SK_AF_INET6, SK_STREAM,
                       SK_PROTO_TCP), "fresh tcp6");
    sup_assert_rc(sk_close(s), 0);
    expect_state(s, st(0, 0, 0, 1, 0, 0, 1, SK_AF_INET6, SK_STREAM,
                       SK_PROTO_TCP), "closed tcp6");
    sk_free(s);
}

/* Master -> bound -> server; client -> shut down -> closed; accepted. */
static void t_state_life(void **state)
{
    sk_sock *m = NULL, *srv = NULL, *c = NULL, *d = NULL, *e = NULL;
    sk_buf buf = {NULL, 0, 0};
    int port = 0;
    sk_name n;
    (void)state;

    sup_assert_rc(sk_tcp4(&m), 0);
    sup_assert_rc(sk_bind(m, "127.0.0.1", 0), 0);
    expect_state(m, st(1, 0, 0, 0, 0, 0, 1, SK_AF_INET, SK_STREAM,
                       SK_PROTO_TCP), "bound master");
    sup_assert_rc(sk_listen(m, 4), 0);
    expect_state(m, st(1, 0, 1, 0, 0, 0, 1, SK_AF_INET, SK_STREAM,
                       SK_PROTO_TCP), "server");
    sup_assert_rc(sk_getsockname(m, &n), 0);
    port = n.port;
    srv = m;
    m = NULL;

    sup_connect4(&c, port);
    expect_state(c, st(1, 1, 0, 0, 0, 0, 1, SK_AF_INET, SK_STREAM,
                       SK_PROTO_TCP), "connected client");
    sup_assert_rc(sk_accept(srv, &d, NULL), 0);
    expect_state(d, st(1, 1, 0, 0, 0, 0, 1, SK_AF_INET, SK_STREAM,
                       SK_PROTO_TCP), "accepted client");

    /* Shutting down sending: the peer reads end-of-stream. */
    sup_assert_rc(sk_shutdown(c, SK_SHUT_SEND), 0);
    expect_state(c, st(1, 1, 0, 0, 0, 1, 1, SK_AF_INET, SK_STREAM,
                       SK_PROTO_TCP), "after shutdown(send)");
    sup_assert_rc(sk_receive(d, &buf, SK_ALL, 0), SK_ECLOSED);
    assert_int_equal(buf.len, 0);
    expect_state(d, st(1, 1, 0, 0, 0, 0, 1, SK_AF_INET, SK_STREAM,
                       SK_PROTO_TCP), "peer of a shut-down sender");
    /* A rejected shutdown records nothing. */
    sup_assert_rc(sk_shutdown(d, 7), SK_EINVAL);
    expect_state(d, st(1, 1, 0, 0, 0, 0, 1, SK_AF_INET, SK_STREAM,
                       SK_PROTO_TCP), "after a bad shutdown");
    sup_assert_rc(sk_shutdown(d, SK_SHUT_RECEIVE), 0);
    expect_state(d, st(1, 1, 0, 0, 1, 0, 1, SK_AF_INET, SK_STREAM,
                       SK_PROTO_TCP), "after shutdown(receive)");
    /* It can still send. */
    sup_send_str(d, "still\n");
    sup_expect_str(c, "still\n");
    /* ... and c shuts receiving too: both bits, still connected while the
     * peer is there. */
    sup_assert_rc(sk_shutdown(c, SK_SHUT_RECEIVE), 0);
    expect_state(c, st(1, 1, 0, 0, 1, 1, 1, SK_AF_INET, SK_STREAM,
                       SK_PROTO_TCP), "after shutdown(send), (receive)");

    sup_connect4(&e, port);
    sup_assert_rc(sk_shutdown(e, SK_SHUT_BOTH), 0);
    expect_state(e, st(1, -1, 0, 0, 1, 1, 1, SK_AF_INET, SK_STREAM,
                       SK_PROTO_TCP), "after shutdown(both)");
    sk_free(e);
    sup_assert_rc(sk_accept(srv, &e, NULL), 0);
    sk_free(e);

    /* Closed: only closed, and what the object was. */
    sup_assert_rc(sk_setblocking(c, 0), 0);
    sup_assert_rc(sk_close(c), 0);
    expect_state(c, st(0, 0, 0, 1, 0, 0, 0, SK_AF_INET, SK_STREAM,
                       SK_PROTO_TCP), "closed client");
    sup_assert_rc(sk_close(srv), 0);
    expect_state(srv, st(0, 0, 0, 1, 0, 0, 1, SK_AF_INET, SK_STREAM,
                         SK_PROTO_TCP), "closed server");
    sk_buf_free(&buf);
    sk_free(c);
    sk_free(d);
    sk_free(srv);
}

/* A dual-stack master: no family until it has a socket, the socket's
 * family afterwards, none again after a failed connect. */
static void t_state_dualstack(void **state)
{
    sk_sock *m = NULL, *srv = NULL, *d = NULL;
    sk_name n;
    int port;
    (void)state;

    sup_assert_rc(sk_tcp(&m), 0);
    sup_assert_rc(sk_bind(m, "*", 0), 0);
    sup_assert_rc(sk_getsockname(m, &n), 0);
    expect_state(m, st(1, 0, 0, 0, 0, 0, 1, family_of(&n), SK_STREAM,
                       SK_PROTO_TCP), "dual-stack master bound to *");
    print_message("dual-stack \"*\" made an %s socket\n", n.family);
    sk_free(m);

    port = free_port();
    sup_assert_rc(sk_tcp(&m), 0);
    sup_assert_rc(sk_settimeout(m, SUP_SAFETY_TIMEOUT, 'b'), 0);
    sup_assert_rc(sk_connect(m, "127.0.0.1", port), SK_ECONNREFUSED);
    expect_state(m, st(0, 0, 0, 0, 0, 0, 1, SK_AF_UNSPEC, SK_STREAM,
                       SK_PROTO_TCP), "dual-stack master after a refusal");
    sup_listen4(&srv, &port, 1);
    sup_assert_rc(sk_connect(m, "127.0.0.1", port), 0);
    expect_state(m, st(1, 1, 0, 0, 0, 0, 1, SK_AF_INET, SK_STREAM,
                       SK_PROTO_TCP), "dual-stack client over IPv4");
    sup_assert_rc(sk_accept(srv, &d, NULL), 0);
    sk_free(d);
    sk_free(m);
    sk_free(srv);
}

/* A connect that cannot finish (full backlog): the connecting client,
 * blocking after a timeout and non-blocking; data flows once it settles. */
static void t_state_connecting(void **state)
{
    sk_sock *srv = NULL, *fill[SUP_FILL_MAX], *c = NULL, *nb = NULL, *d = NULL;
    sk_sock *ready[1];
    sk_buf buf = {NULL, 0, 0};
    size_t nr = 9, nw = 9, got = 7;
    ptrdiff_t last = -1;
    char tmp[8];
    int port = 0, nfill = 0, k;
    (void)state;

    sup_listen4(&srv, &port, 0);
    sup_fill_backlog(port, fill, &nfill);
    /* Only our two clients stay pending. */
    sk_free(fill[--nfill]);

    sup_assert_rc(sk_tcp4(&c), 0);
    sup_assert_rc(sk_settimeout(c, 0.1, 'b'), 0);
    sup_assert_rc(sk_connect(c, "127.0.0.1", port), SK_ETIMEOUT);
    assert_int_equal(sk_role(c), SK_ROLE_CLIENT);
    expect_state(c, st(1, 0, 0, 0, 0, 0, 1, SK_AF_INET, SK_STREAM,
                       SK_PROTO_TCP), "client after a connect timeout");

    sup_assert_rc(sk_tcp4(&nb), 0);
    sup_assert_rc(sk_settimeout(nb, SUP_SAFETY_TIMEOUT, 'b'), 0);
    sup_assert_rc(sk_setblocking(nb, 0), 0);
    sup_assert_rc(sk_connect(nb, "127.0.0.1", port), SK_EINPROGRESS);
    assert_int_equal(sk_role(nb), SK_ROLE_CLIENT);
    expect_state(nb, st(1, 0, 0, 0, 0, 0, 0, SK_AF_INET, SK_STREAM,
                        SK_PROTO_TCP), "non-blocking connect, pending");
    /* While pending: every transfer says "would block" at once. */
    sup_assert_rc(sk_send(nb, "late\n", 5, 1, -1, &last), SK_EWOULDBLOCK);
    assert_int_equal(last, 0);
    sup_assert_rc(sk_receive(nb, &buf, SK_SOME, 0), SK_EWOULDBLOCK);
    assert_int_equal(buf.len, 0);
    sup_assert_rc(sk_read(nb, tmp, sizeof tmp, &got), SK_EWOULDBLOCK);
    assert_int_equal(got, 0);
    sup_assert_rc(sk_connect(nb, "127.0.0.1", port), SK_EWRONGROLE);
    sup_assert_rc(sk_select(NULL, 0, &nb, 1, 0, NULL, &nr, ready, &nw),
                  SK_ETIMEOUT);
    expect_state(nb, st(1, 0, 0, 0, 0, 0, 0, SK_AF_INET, SK_STREAM,
                        SK_PROTO_TCP), "still pending");

    /* Make room: drop the blocking one, accept (and drop) the queue. */
    sk_free(c);
    for (k = 0; k < nfill; k++) {
        sup_assert_rc(sk_accept(srv, &d, NULL), 0);
        sk_free(d);
        sk_free(fill[k]);
    }
    wait_writable(nb);
    expect_state(nb, st(1, 1, 0, 0, 0, 0, 0, SK_AF_INET, SK_STREAM,
                        SK_PROTO_TCP), "non-blocking connect, settled");
    sup_assert_rc(sk_send(nb, "late\n", 5, 1, -1, &last), 0);
    assert_int_equal(last, 5);
    /* The client that timed out may have been queued too: skip it. */
    for (k = 0; k < 2; k++) {
        sup_assert_rc(sk_accept(srv, &d, NULL), 0);
        sup_assert_rc(sk_settimeout(d, SUP_SAFETY_TIMEOUT, 'b'), 0);
        buf.len = 0;
        if (sk_receive(d, &buf, SK_LINE, 0) == 0)
            break;
        sk_free(d);
        d = NULL;
    }
    assert_non_null(d);
    sup_assert_bufstr(&buf, "late");
    sup_send_str(d, "back");
    sup_wait_readable(nb);
    buf.len = 0;
    sup_assert_rc(sk_receive(nb, &buf, SK_BYTES, 4), 0);
    sup_assert_bufstr(&buf, "back");
    sk_buf_free(&buf);
    sk_free(d);
    sk_free(nb);
    sk_free(srv);
}

/* ---- non-blocking mode ------------------------------------------------- */

static void t_nonblock_receive(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    sk_buf buf = {NULL, 0, 0};
    char tmp[16];
    size_t got = 99;
    (void)state;
    sup_pair(&a, &b);
    sup_assert_rc(sk_setblocking(b, 0), 0);

    /* Nothing there: SK_EWOULDBLOCK at once (the 30 s safety timeout
     * would give SK_ETIMEOUT), the prefix untouched, for every pattern. */
    sup_assert_rc(sk_buf_reserve(&buf, 3), 0);
    memcpy(buf.data, "pre", 3);
    buf.len = 3;
    sup_assert_rc(sk_receive(b, &buf, SK_SOME, 0), SK_EWOULDBLOCK);
    sup_assert_bufstr(&buf, "pre");
    sup_assert_rc(sk_receive(b, &buf, SK_LINE, 0), SK_EWOULDBLOCK);
    sup_assert_rc(sk_receive(b, &buf, SK_BYTES, 10), SK_EWOULDBLOCK);
    sup_assert_rc(sk_receive(b, &buf, SK_ALL, 0), SK_EWOULDBLOCK);
    sup_assert_bufstr(&buf, "pre");
    sup_assert_rc(sk_read(b, tmp, sizeof tmp, &got), SK_EWOULDBLOCK);
    assert_int_equal(got, 0);

    /* 4 of 10 bytes there: they are appended, then SK_EWOULDBLOCK. */
    buf.len = 0;
    sup_send_str(a, "abcd");
    sup_wait_readable(b);
    sup_assert_rc(sk_receive(b, &buf, SK_BYTES, 10), SK_EWOULDBLOCK);
    sup_assert_bufstr(&buf, "abcd");
    assert_int_equal(sk_dirty(b), 0);
    sup_send_str(a, "efghij");
    sup_wait_readable(b);
    sup_assert_rc(sk_receive(b, &buf, SK_BYTES, 6), 0);
    sup_assert_bufstr(&buf, "abcdefghij");

    /* A line in two pieces. */
    buf.len = 0;
    sup_send_str(a, "par");
    sup_wait_readable(b);
    sup_assert_rc(sk_receive(b, &buf, SK_LINE, 0), SK_EWOULDBLOCK);
    sup_assert_bufstr(&buf, "par");
    sup_send_str(a, "tial\nnext");
    sup_wait_readable(b);
    sup_assert_rc(sk_receive(b, &buf, SK_LINE, 0), 0);
    sup_assert_bufstr(&buf, "partial");
    /* "next" is buffered: SK_SOME and sk_read take it without the OS. */
    buf.len = 0;
    sup_assert_rc(sk_receive(b, &buf, SK_SOME, 2), 0);
    sup_assert_bufstr(&buf, "ne");
    sup_assert_rc(sk_read(b, tmp, sizeof tmp, &got), 0);
    assert_int_equal(got, 2);
    assert_memory_equal(tmp, "xt", 2);
    sup_assert_rc(sk_read(b, tmp, sizeof tmp, &got), SK_EWOULDBLOCK);

    /* The end of the stream is still reported as such. */
    sup_send_str(a, "bye");
    sup_assert_rc(sk_close(a), 0);
    buf.len = 0;
    sup_wait_readable(b);
    sup_assert_rc(sk_receive(b, &buf, SK_ALL, 0), 0);
    sup_assert_bufstr(&buf, "bye");
    sup_assert_rc(sk_receive(b, &buf, SK_SOME, 0), SK_ECLOSED);
    sk_buf_free(&buf);
    sk_free(a);
    sk_free(b);
}

/* Send more than the socket buffers hold while the peer does not read:
 * SK_EWOULDBLOCK with *last at the progress; resuming from *last + 1 each
 * time the peer has read gets every byte through exactly once. */
static void t_nonblock_send(void **state)
{
    enum { TOTAL = 256 * 1024 };
    sk_sock *a = NULL, *b = NULL;
    sk_buf buf = {NULL, 0, 0};
    char *data = (char *)malloc(TOTAL);
    uint64_t seed = 0x5eed5eedu, hsent, hrecv = SUP_HASH_INIT;
    ptrdiff_t pos = 0, last = -1;
    size_t received = 0, iter, blocked = 0;
    int r;
    (void)state;
    assert_non_null(data);
    sup_fill(&seed, data, TOTAL);
    hsent = sup_hash(SUP_HASH_INIT, data, TOTAL);
    sup_pair(&a, &b);
    sup_assert_rc(sk_setoption(a, SK_OPT_SNDBUF, 8192), 0);
    sup_assert_rc(sk_setoption(b, SK_OPT_RCVBUF, 8192), 0);
    sup_assert_rc(sk_setblocking(a, 0), 0);

    r = sk_send(a, data, TOTAL, 1, -1, &last);
    sup_assert_rc(r, SK_EWOULDBLOCK);
    if (last <= 0 || last >= TOTAL) {
        print_error("first non-blocking send: *last %ld of %d\n", (long)last,
                    (int)TOTAL);
        fail();
    }
    pos = last;
    blocked = 1;
    /* Nothing more fits right now: no progress, *last says so. */
    sup_assert_rc(sk_send(a, data, TOTAL, pos + 1, -1, &last), SK_EWOULDBLOCK);
    assert_true(last >= pos);
    pos = last;

    for (iter = 0; received < TOTAL && iter < TOTAL; iter++) {
        /* The peer reads what has arrived (blocking: something has, or is
         * on its way from a's full send buffer). */
        buf.len = 0;
        sup_assert_rc(sk_receive(b, &buf, SK_SOME, 0), 0);
        hrecv = sup_hash(hrecv, buf.data, buf.len);
        received += buf.len;
        if (pos < TOTAL) {
            r = sk_send(a, data, TOTAL, pos + 1, -1, &last);
            if (r != 0 && r != SK_EWOULDBLOCK)
                sup_assert_rc(r, SK_EWOULDBLOCK);
            assert_true(last >= pos && last <= TOTAL);
            if (r == 0)
                assert_int_equal(last, TOTAL);
            else
                blocked++;
            pos = last;
        }
    }
    assert_int_equal(pos, TOTAL);
    assert_int_equal(received, TOTAL);
    assert_true(hrecv == hsent);
    print_message("%lu sends said \"would block\" on the way\n",
                  (unsigned long)blocked);
    /* Nothing extra arrived: every byte exactly once. */
    sup_expect_nothing(b);
    sk_buf_free(&buf);
    free(data);
    sk_free(a);
    sk_free(b);
}

static void t_nonblock_accept(void **state)
{
    sk_sock *srv = NULL, *c = NULL, *d = NULL, *c2 = NULL, *d2 = NULL;
    sk_buf buf = {NULL, 0, 0};
    double blk = 0, tot = 0;
    int port = 0;
    (void)state;
    sup_listen4(&srv, &port, 4);
    sup_assert_rc(sk_settimeout(srv, SUP_SAFETY_TIMEOUT, 'b'), 0);
    sup_assert_rc(sk_settimeout(srv, 20, 't'), 0);
    sup_assert_rc(sk_setblocking(srv, 0), 0);
    sup_assert_rc(sk_accept(srv, &d, NULL), SK_EWOULDBLOCK);
    assert_null(d);
    expect_state(srv, st(1, 0, 1, 0, 0, 0, 0, SK_AF_INET, SK_STREAM,
                         SK_PROTO_TCP), "non-blocking server");

    sup_connect4(&c, port);
    wait_acceptable(srv);
    sup_assert_rc(sk_accept(srv, &d, NULL), 0);
    assert_non_null(d);
    /* The accepted client inherits the mode and the timeouts. */
    expect_state(d, st(1, 1, 0, 0, 0, 0, 0, SK_AF_INET, SK_STREAM,
                       SK_PROTO_TCP), "accepted from a non-blocking server");
    sup_assert_rc(sk_gettimeout(d, &blk, &tot), 0);
    assert_true(blk == SUP_SAFETY_TIMEOUT && tot == 20);
    sup_assert_rc(sk_receive(d, &buf, SK_SOME, 0), SK_EWOULDBLOCK);
    sup_send_str(c, "hi");
    sup_wait_readable(d);
    sup_assert_rc(sk_receive(d, &buf, SK_SOME, 0), 0);
    sup_assert_bufstr(&buf, "hi");
    sup_assert_rc(sk_accept(srv, &d2, NULL), SK_EWOULDBLOCK);

    /* Blocking again: accepted clients are blocking. */
    sup_assert_rc(sk_setblocking(srv, 1), 0);
    sup_connect4(&c2, port);
    sup_assert_rc(sk_accept(srv, &d2, NULL), 0);
    expect_state(d2, st(1, 1, 0, 0, 0, 0, 1, SK_AF_INET, SK_STREAM,
                        SK_PROTO_TCP), "accepted from a blocking server");
    sk_buf_free(&buf);
    sk_free(c);
    sk_free(d);
    sk_free(c2);
    sk_free(d2);
    sk_free(srv);
}

/* connect in non-blocking mode to a listening server: 0 or
 * SK_EINPROGRESS, then writable, then data flows.  Both an IPv4 and a
 * dual-stack master. */
static void t_nonblock_connect(void **state)
{
    sk_sock *srv = NULL, *c = NULL, *d = NULL;
    sk_buf buf = {NULL, 0, 0};
    int port = 0, k, r;
    (void)state;
    sup_listen4(&srv, &port, 4);
    for (k = 0; k < 2; k++) {
        sup_assert_rc(k == 0 ? sk_tcp4(&c) : sk_tcp(&c), 0);
        sup_assert_rc(sk_settimeout(c, SUP_SAFETY_TIMEOUT, 'b'), 0);
        sup_assert_rc(sk_setblocking(c, 0), 0);
        r = sk_connect(c, "127.0.0.1", port);
        if (r != 0 && r != SK_EINPROGRESS)
            sup_assert_rc(r, SK_EINPROGRESS);
        print_message("non-blocking connect (%s): %s\n",
                      k == 0 ? "tcp4" : "dual-stack", sk_errname(r));
        assert_int_equal(sk_role(c), SK_ROLE_CLIENT);
        wait_writable(c);
        expect_state(c, st(1, 1, 0, 0, 0, 0, 0, SK_AF_INET, SK_STREAM,
                           SK_PROTO_TCP), "non-blocking client, settled");
        sup_assert_rc(sk_send(c, "hello\n", 6, 1, -1, NULL), 0);
        sup_assert_rc(sk_accept(srv, &d, NULL), 0);
        sup_assert_rc(sk_settimeout(d, SUP_SAFETY_TIMEOUT, 'b'), 0);
        sup_expect_str(d, "hello\n");
        sup_send_str(d, "world\n");
        sup_wait_readable(c);
        buf.len = 0;
        sup_assert_rc(sk_receive(c, &buf, SK_LINE, 0), 0);
        sup_assert_bufstr(&buf, "world");
        sk_free(d);
        sk_free(c);
        d = c = NULL;
    }
    sk_buf_free(&buf);
    sk_free(srv);
}

/* A non-blocking connect that is refused: at once, or by the first
 * transfer after it settled. */
static void t_nonblock_connect_refused(void **state)
{
    sk_sock *c = NULL;
    int port = free_port(), r;
    ptrdiff_t last = -1;
    (void)state;
    sup_assert_rc(sk_tcp(&c), 0);
    sup_assert_rc(sk_settimeout(c, SUP_SAFETY_TIMEOUT, 'b'), 0);
    sup_assert_rc(sk_setblocking(c, 0), 0);
    r = sk_connect(c, "127.0.0.1", port);
    print_message("non-blocking connect to a closed port: %s\n",
                  sk_errname(r));
    if (r == SK_ECONNREFUSED) {
        expect_state(c, st(0, 0, 0, 0, 0, 0, 0, SK_AF_UNSPEC, SK_STREAM,
                           SK_PROTO_TCP), "refused at once");
    } else {
        sup_assert_rc(r, SK_EINPROGRESS);
        wait_writable(c); /* a failed connect counts as ready */
        expect_state(c, st(1, 0, 0, 0, 0, 0, 0, SK_AF_INET, SK_STREAM,
                           SK_PROTO_TCP), "refused, not yet reported");
        sup_assert_rc(sk_send(c, "x", 1, 1, -1, &last), SK_ECONNREFUSED);
        assert_int_equal(last, 0);
        expect_state(c, st(1, 0, 0, 0, 0, 0, 0, SK_AF_INET, SK_STREAM,
                           SK_PROTO_TCP), "refused, reported");
    }
    sk_free(c);
}

/* The timeouts survive non-blocking mode and apply again after it. */
static void t_nonblock_keeps_timeouts(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    sk_buf buf = {NULL, 0, 0};
    double blk = 0, tot = 0;
    (void)state;
    sup_pair(&a, &b);
    sup_assert_rc(sk_settimeout(b, 0.05, 'b'), 0);
    sup_assert_rc(sk_setblocking(b, 0), 0);
    sup_assert_rc(sk_receive(b, &buf, SK_SOME, 0), SK_EWOULDBLOCK);
    /* Changing a timeout does not change the mode. */
    sup_assert_rc(sk_settimeout(b, 0.07, 't'), 0);
    sup_assert_rc(sk_receive(b, &buf, SK_SOME, 0), SK_EWOULDBLOCK);
    sup_assert_rc(sk_gettimeout(b, &blk, &tot), 0);
    assert_true(same_seconds(blk, 0.05) && same_seconds(tot, 0.07));
    sup_assert_rc(sk_setblocking(b, 1), 0);
    sup_assert_rc(sk_receive(b, &buf, SK_SOME, 0), SK_ETIMEOUT);
    assert_int_equal(buf.len, 0);
    sup_assert_rc(sk_settimeout(b, -1, 't'), 0);
    sup_assert_rc(sk_settimeout(b, 0, 'b'), 0);
    sup_assert_rc(sk_receive(b, &buf, SK_SOME, 0), SK_ETIMEOUT);
    sup_assert_rc(sk_setblocking(b, 0), 0);
    sup_assert_rc(sk_receive(b, &buf, SK_SOME, 0), SK_EWOULDBLOCK);
    sup_assert_rc(sk_setblocking(b, 1), 0);
    sup_assert_rc(sk_settimeout(b, SUP_SAFETY_TIMEOUT, 'b'), 0);
    sup_send_str(a, "ok");
    sup_assert_rc(sk_receive(b, &buf, SK_BYTES, 2), 0);
    sup_assert_bufstr(&buf, "ok");
    sk_buf_free(&buf);
    sk_free(a);
    sk_free(b);
}

/* ---- options by nixio level and name ----------------------------------- */

/* The rows the contract lists, with the LuaSocket name each must mean and
 * two values to set (the second read back must differ from the first
 * where the option keeps what it is given, which proves that the nixio
 * pair moved that very option). */
static const struct nixio_row {
    const char *level, *name, *luaname;
    int v1, v2;
} nixio_rows[] = {
    {"socket", "keepalive", "keepalive", 1, 0},
    {"socket", "reuseaddr", "reuseaddr", 1, 0},
    {"socket", "reuseport", "reuseport", 1, 0},
    {"socket", "sndbuf", "sndbuf", 32768, 131072},
    {"socket", "rcvbuf", "rcvbuf", 131072, 32768},
    {"socket", "linger", "linger", 5, -1},
    {"socket", "broadcast", "broadcast", 1, 0},
    {"tcp", "nodelay", "tcp-nodelay", 1, 0},
    {"tcp", "cork", "tcp-cork", 1, 0},
    {"tcp", "keepidle", "tcp-keepidle", 30, 7},
    {"tcp", "keepcnt", "tcp-keepcnt", 5, 3},
    {"tcp", "keepintvl", "tcp-keepintvl", 10, 2},
    {"tcp", "defer_accept", "tcp-defer-accept", 1, 3},
    {"tcp", "fastopen", "tcp-fastopen", 5, 16},
    {"tcp", "fastopen_connect", "tcp-fastopen-connect", 1, 0},
    {"ip", "multicast_ttl", "ip-multicast-ttl", 3, 7},
    {"ip", "multicast_loop", "ip-multicast-loop", 0, 1},
    {"ip", "multicast_if", "ip-multicast-if", 0, 0},
    {"ipv6", "v6only", "ipv6-v6only", 0, 1},
    {"ipv6", "multicast_hops", "ip-multicast-ttl", 3, 7},
    {"ipv6", "multicast_loop", "ip-multicast-loop", 0, 1},
    {"ipv6", "multicast_if", "ip-multicast-if", 0, 0},
};
#define NIXIO_ROWS (sizeof nixio_rows / sizeof nixio_rows[0])

/* Set through the LuaSocket name and read it back: the reference. */
static int lua_set_get(sk_sock *s, const struct nixio_row *w, int v,
                       int *back)
{
    int r = sk_setoptname(s, w->luaname, v);
    if (r == 0) {
        int g = sk_getoptname(s, w->luaname, back);
        if (g != 0) {
            print_error("%s set to %d, then reading it: %s\n", w->luaname,
                        v, sk_errname(g));
            fail();
        }
    }
    return r;
}

/* One row on one object: the nixio pair gives what the LuaSocket name
 * gives, result codes included.  Returns 1 when the option worked. */
static int nixio_roundtrip(sk_sock *s, const char *obj,
                           const struct nixio_row *w)
{
    int l1 = -99, l2 = -99, n = -98, x = -97, rl, rn, gl, gn;
    const int vals[2] = {w->v1, w->v2};
    int k;

    rl = lua_set_get(s, w, w->v2, &l2);
    rn = sk_setsockopt(s, w->level, w->name, w->v2);
    if (rl != rn) {
        print_error("%s %s/%s: setsockopt %s, setoptname(%s) %s\n", obj,
                    w->level, w->name, sk_errname(rn), w->luaname,
                    sk_errname(rl));
        fail();
    }
    if (rl == rn && strncmp(obj, "UDP", 3) == 0 &&
        strcmp(w->luaname, "ip-multicast-if") == 0 &&
        sup_emulator_refused(rl, s, w->luaname))
        return 1; /* not checked here, but not missing either */
    if (rl != 0) {
        gl = sk_getoptname(s, w->luaname, &x);
        gn = sk_getsockopt(s, w->level, w->name, &n);
        assert_int_equal(gl, gn);
        print_message("%s %s/%s (%s): %s both ways\n", obj, w->level,
                      w->name, w->luaname, sk_errname(rl));
        return 0;
    }
    sup_assert_rc(lua_set_get(s, w, w->v1, &l1), 0);
    /* Now the option holds v1; the nixio pair must move it to v2 and back
     * to v1, read the same both ways. */
    for (k = 1; k >= 0; k--) {
        int want = k ? l2 : l1;
        sup_assert_rc(sk_setsockopt(s, w->level, w->name, vals[k]), 0);
        sup_assert_rc(sk_getoptname(s, w->luaname, &x), 0);
        sup_assert_rc(sk_getsockopt(s, w->level, w->name, &n), 0);
        if (x != want || n != want) {
            print_error("%s %s/%s set to %d: reads %d (nixio), %d (%s), "
                        "expected %d\n", obj, w->level, w->name, vals[k], n,
                        x, w->luaname, want);
            fail();
        }
    }
    return 1;
}

static void t_nixio_names(void **state)
{
    sk_sock *a = NULL, *b = NULL, *srv = NULL, *m6 = NULL, *u4 = NULL;
    sk_sock *u6 = NULL;
    int port = 0, ok[NIXIO_ROWS];
    size_t i;
    (void)state;
    memset(ok, 0, sizeof ok);
    sup_pair(&a, &b);
    sup_listen4(&srv, &port, 1);
    if (sk_tcp6(&m6) != 0) {
        m6 = NULL;
        print_message("no IPv6 sockets here: the IPv6 master is left out\n");
    }
    /* The datagram options (broadcast, multicast) live on UDP objects. */
    sup_assert_rc(sk_udp4(&u4), 0);
    if (m6 != NULL)
        sup_assert_rc(sk_udp6(&u6), 0);
    for (i = 0; i < NIXIO_ROWS; i++) {
        ok[i] |= nixio_roundtrip(a, "client", &nixio_rows[i]);
        ok[i] |= nixio_roundtrip(srv, "server", &nixio_rows[i]);
        if (m6 != NULL)
            ok[i] |= nixio_roundtrip(m6, "IPv6 master", &nixio_rows[i]);
        ok[i] |= nixio_roundtrip(u4, "UDP", &nixio_rows[i]);
        if (u6 != NULL)
            ok[i] |= nixio_roundtrip(u6, "UDP IPv6", &nixio_rows[i]);
#ifdef __linux__
        /* Every option this build knows works on Linux somewhere. */
        if (sk_optionid(nixio_rows[i].luaname) >= 0 && !ok[i] &&
            (m6 != NULL || strcmp(nixio_rows[i].level, "ipv6") != 0)) {
            print_error("%s/%s must work on Linux\n", nixio_rows[i].level,
                        nixio_rows[i].name);
            fail();
        }
#endif
    }
    /* Still a working connection. */
    sup_send_str(a, "fine\n");
    sup_expect_str(b, "fine\n");
    sk_free(u6);
    sk_free(u4);
    sk_free(m6);
    sk_free(srv);
    sk_free(a);
    sk_free(b);
}

static void t_nixio_bad(void **state)
{
    static const char *const bad[][2] = {
        {"socket", "nodelay"}, {"tcp", "keepalive"}, {"ip", "v6only"},
        {"ipv6", "multicast_ttl"}, {"ip", "multicast_hops"},
        {"TCP", "nodelay"}, {"tcp", "NODELAY"}, {"udp", "cork"},
        {"", ""}, {"socket", ""}, {"", "keepalive"},
        {"socket", "keepalive "}, {"socket", "tcp-nodelay"},
        {"tcp", "tcp-nodelay"}, {"socket", "priority"},
        {"ip", "error"}, {"ip", "add_membership"}};
    sk_sock *a = NULL, *b = NULL;
    int v = 1234;
    size_t i;
    (void)state;
    sup_pair(&a, &b);
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int r1 = sk_setsockopt(a, bad[i][0], bad[i][1], 1);
        int r2 = sk_getsockopt(a, bad[i][0], bad[i][1], &v);
        if (r1 != SK_EINVAL || r2 != SK_EINVAL) {
            print_error("\"%s\"/\"%s\": set %s, get %s\n", bad[i][0],
                        bad[i][1], sk_errname(r1), sk_errname(r2));
            fail();
        }
    }
    assert_int_equal(v, 1234);
    /* "socket"/"error" (read-only): the pending error, none here. */
    sup_assert_rc(sk_setsockopt(a, "socket", "error", 0), SK_EINVAL);
    sup_assert_rc(sk_getsockopt(a, "socket", "error", &v), 0);
    assert_int_equal(v, 0);
    v = 1234;
    sup_assert_rc(sk_setsockopt(a, NULL, "keepalive", 1), SK_EINVAL);
    sup_assert_rc(sk_setsockopt(a, "socket", NULL, 1), SK_EINVAL);
    sup_assert_rc(sk_getsockopt(a, NULL, "keepalive", &v), SK_EINVAL);
    sup_assert_rc(sk_getsockopt(a, "socket", NULL, &v), SK_EINVAL);
    sup_assert_rc(sk_getsockopt(a, "socket", "keepalive", NULL), SK_EINVAL);
    sup_assert_rc(sk_setsockopt(NULL, "socket", "keepalive", 1), SK_EINVAL);
    sup_assert_rc(sk_getsockopt(NULL, "socket", "keepalive", &v), SK_EINVAL);
    /* Values are checked as sk_setoption checks them. */
    sup_assert_rc(sk_setsockopt(a, "socket", "keepalive", 2), SK_EINVAL);
    sup_assert_rc(sk_setsockopt(a, "socket", "linger", -2), SK_EINVAL);
    sup_assert_rc(sk_setsockopt(a, "tcp", "keepcnt", -1), SK_EINVAL);
    assert_int_equal(v, 1234);
    sup_assert_rc(sk_close(b), 0);
    sup_assert_rc(sk_setsockopt(b, "socket", "keepalive", 1), SK_ECLOSED);
    sup_assert_rc(sk_getsockopt(b, "socket", "keepalive", &v), SK_ECLOSED);
    sk_free(a);
    sk_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_state_args),
        cmocka_unit_test(t_state_constructors),
        cmocka_unit_test(t_state_life),
        cmocka_unit_test(t_state_dualstack),
        cmocka_unit_test(t_state_connecting),
        cmocka_unit_test(t_nonblock_receive),
        cmocka_unit_test(t_nonblock_send),
        cmocka_unit_test(t_nonblock_accept),
        cmocka_unit_test(t_nonblock_connect),
        cmocka_unit_test(t_nonblock_connect_refused),
        cmocka_unit_test(t_nonblock_keeps_timeouts),
        cmocka_unit_test(t_nixio_names),
        cmocka_unit_test(t_nixio_bad),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
