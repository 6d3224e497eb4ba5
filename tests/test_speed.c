/* SPDX-License-Identifier: MIT */
/*
 * test_speed.c - the behaviour that sockit's fast paths rely on (issue 6):
 * the line reader (memchr / memcpy runs, CRs dropped wherever they fall,
 * the line limit) against a reference model over a CR-heavy stream whose
 * CRs and LFs straddle the receive buffer's fills; SK_BYTES reading ahead
 * into the room the caller's buffer has; the receive buffer given back
 * when it empties and the heap an accepted client costs (glibc only);
 * sockets the OS blocks on while an object may wait without limit, and
 * that never block once a timeout or non-blocking mode applies.
 */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GLIBC__) &&                                                   \
    (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
#  include <malloc.h>
#  define SPEED_HEAP 1
#else
#  define SPEED_HEAP 0
#endif

#define RBUF 16384 /* the receive buffer's size: fills end at its multiples */
#define STREAM (3 * RBUF + 5000)

/* A stream where CRs are everywhere: runs of them, CR LF pairs, lone CRs
 * inside lines, a line longer than a whole buffer, and CR / LF / CR LF on
 * both sides of every multiple of the buffer's size. */
static void make_stream(unsigned char *p, size_t n)
{
    uint64_t seed = 7;
    size_t i, k;
    sup_fill(&seed, p, n);
    for (i = 0; i < n; i++) {
        unsigned v = p[i] % 16;
        p[i] = v < 3 ? '\r' : v < 5 ? '\n' : (unsigned char)('a' + v);
    }
    /* A 20000-byte line (CRs inside, no LF) across the second fill. */
    for (i = RBUF + 100; i < RBUF + 20100 && i < n; i++)
        if (p[i] == '\n')
            p[i] = 'L';
    /* A run of 300 CRs, and CR LF straddling each fill's end. */
    for (i = 2 * RBUF + 1000; i < 2 * RBUF + 1300; i++)
        p[i] = '\r';
    for (k = 1; k * RBUF + 2 < n; k++) {
        p[k * RBUF - 2] = 'x';
        p[k * RBUF - 1] = '\r';
        p[k * RBUF] = '\n';
        p[k * RBUF + 1] = '\r';
    }
}

/* The model of one SK_LINE call on stream[*pos..n) followed by the peer's
 * close: the bytes it appends (into out) and its code. */
static int model_line(const unsigned char *st, size_t n, size_t *pos,
                      size_t limit, unsigned char *out, size_t *outlen)
{
    size_t x, count = 0;
    for (x = *pos; x < n; x++) {
        if (st[x] == '\n') {
            *pos = x + 1;
            *outlen = count;
            return 0;
        }
        if (st[x] == '\r')
            continue;
        if (count == limit) {
            *pos = x;
            *outlen = count;
            return SK_ETOOLONG;
        }
        out[count++] = st[x];
    }
    *pos = n;
    *outlen = count;
    return SK_ECLOSED;
}

/* Every SK_LINE call over the whole stream, checked against the model. */
static void run_lines(const unsigned char *st, size_t n, size_t limit,
                      int with_prefix)
{
    sk_sock *a = NULL, *b = NULL;
    sk_buf buf = {NULL, 0, 0};
    sup_sender snd;
    unsigned char *want = (unsigned char *)malloc(n + 1);
    size_t pos = 0, calls = 0, wlen = 0;
    int done = 0;

    assert_non_null(want);
    sup_pair(&a, &b);
    if (limit != 0)
        sup_assert_rc(sk_setlinelimit(b, limit), 0);
    else
        sup_assert_rc(sk_getlinelimit(b, &limit), 0);
    sup_sender_start(&snd, a, st, n, 1);
    while (!done && calls <= n + 1) {
        int expect = model_line(st, n, &pos, limit, want, &wlen), rc;
        size_t pre = with_prefix ? calls % 3 : 0;
        buf.len = 0;
        if (pre > 0) {
            sup_assert_rc(sk_buf_reserve(&buf, pre), 0);
            memset(buf.data, 'P', pre);
            buf.len = pre;
        }
        rc = sk_receive(b, &buf, SK_LINE, 0);
        if (rc != expect || buf.len != pre + wlen ||
            (wlen > 0 && memcmp(buf.data + pre, want, wlen) != 0)) {
            print_error("limit %lu, call %lu at %lu: %s with %lu bytes, "
                        "model %s with %lu\n",
                        (unsigned long)limit, (unsigned long)calls,
                        (unsigned long)pos, sk_errname(rc),
                        (unsigned long)(buf.len - pre), sk_errname(expect),
                        (unsigned long)wlen);
            fail();
        }
        calls++;
        done = expect == SK_ECLOSED;
    }
    assert_true(done);
    sup_sender_join(&snd);
    sk_buf_free(&buf);
    free(want);
    sk_free(a);
    sk_free(b);
}

static void t_line_cr_heavy_fills(void **state)
{
    static const size_t limits[] = {0, 1, 2, 7, 64, RBUF - 1, RBUF,
                                    20000};
    unsigned char *st = (unsigned char *)malloc(STREAM);
    size_t i;
    (void)state;
    assert_non_null(st);
    make_stream(st, STREAM);
    for (i = 0; i < sizeof limits / sizeof limits[0]; i++)
        run_lines(st, STREAM, limits[i], i % 2);
    free(st);
}

/* The cases the line reader's quick path takes or must leave alone. */
static void t_line_quick_edges(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    sk_buf buf = {NULL, 0, 0};
    (void)state;

    sup_pair(&a, &b);
    sup_send_str(a, "one\r\nmid\rdle\ncrcr\r\r\nexact\nx\n\r\n");
    /* A prefix is kept; CR LF ends a line. */
    sup_assert_rc(sk_buf_reserve(&buf, 3), 0);
    memcpy(buf.data, "pre", 3);
    buf.len = 3;
    sup_assert_rc(sk_receive(b, &buf, SK_LINE, 0), 0);
    sup_assert_bufstr(&buf, "preone");
    /* A CR inside the line. */
    buf.len = 0;
    sup_assert_rc(sk_receive(b, &buf, SK_LINE, 0), 0);
    sup_assert_bufstr(&buf, "middle");
    /* Two CRs before the LF. */
    buf.len = 0;
    sup_assert_rc(sk_receive(b, &buf, SK_LINE, 0), 0);
    sup_assert_bufstr(&buf, "crcr");
    /* A line that fills the buffer's room exactly. */
    sk_buf_free(&buf);
    buf.data = (char *)malloc(5);
    assert_non_null(buf.data);
    buf.cap = 5;
    sup_assert_rc(sk_receive(b, &buf, SK_LINE, 0), 0);
    sup_assert_bufstr(&buf, "exact");
    /* The limit: a line of exactly the limit, then CR LF alone. */
    sup_assert_rc(sk_setlinelimit(b, 1), 0);
    buf.len = 0;
    sup_assert_rc(sk_receive(b, &buf, SK_LINE, 0), 0);
    sup_assert_bufstr(&buf, "x");
    buf.len = 0;
    sup_assert_rc(sk_receive(b, &buf, SK_LINE, 0), 0);
    assert_int_equal(buf.len, 0);
    sup_expect_nothing(b);
    /* A CR LF line one byte over the limit. */
    sup_send_str(a, "yz\r\n");
    sup_assert_rc(sk_receive(b, &buf, SK_LINE, 0), SK_ETOOLONG);
    sup_assert_bufstr(&buf, "y");
    buf.len = 0;
    sup_assert_rc(sk_receive(b, &buf, SK_LINE, 0), 0);
    sup_assert_bufstr(&buf, "z");
    sup_expect_nothing(b);
    sk_buf_free(&buf);
    sk_free(a);
    sk_free(b);
}

/* SK_BYTES may read more than it needs into the room the caller's buffer
 * has; the rest must come out of the next calls, in order, whatever takes
 * it. */
static void t_bytes_read_ahead(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    sk_buf buf = {NULL, 0, 0};
    char got[16];
    size_t n = 0;
    (void)state;

    sup_pair(&a, &b);
    sup_send_str(a, "0123456789abcdef\nrest");
    sup_assert_rc(sk_buf_reserve(&buf, 4096), 0); /* plenty of room */
    sup_assert_rc(sk_receive(b, &buf, SK_BYTES, 4), 0);
    sup_assert_bufstr(&buf, "0123");
    /* No room to spare: exactly what is asked for. */
    sk_buf_free(&buf);
    buf.data = (char *)malloc(2);
    assert_non_null(buf.data);
    buf.cap = 2;
    sup_assert_rc(sk_receive(b, &buf, SK_BYTES, 2), 0);
    sup_assert_bufstr(&buf, "45");
    sup_assert_rc(sk_read(b, got, 3, &n), 0);
    assert_int_equal(n, 3);
    assert_memory_equal(got, "678", 3);
    buf.len = 0;
    sup_assert_rc(sk_receive(b, &buf, SK_LINE, 0), 0);
    sup_assert_bufstr(&buf, "9abcdef");
    buf.len = 0;
    sup_assert_rc(sk_receive(b, &buf, SK_BYTES, 4), 0);
    sup_assert_bufstr(&buf, "rest");
    sup_expect_nothing(b);

    /* Pipelined messages: each SK_BYTES gets its own, in order. */
    sup_send_str(a, "AAAABBBBCCCCDDDD");
    buf.len = 0;
    sup_assert_rc(sk_receive(b, &buf, SK_BYTES, 4), 0);
    sup_assert_bufstr(&buf, "AAAA");
    buf.len = 0;
    sup_assert_rc(sk_receive(b, &buf, SK_SOME, 4), 0);
    sup_assert_bufstr(&buf, "BBBB");
    buf.len = 0;
    sup_assert_rc(sk_receive(b, &buf, SK_BYTES, 8), 0);
    sup_assert_bufstr(&buf, "CCCCDDDD");
    sup_expect_nothing(b);
    assert_int_equal(sk_dirty(b), 0);
    sk_buf_free(&buf);
    sk_free(a);
    sk_free(b);
}

#if SPEED_HEAP
static size_t heap_in_use(void)
{
    struct mallinfo2 m = mallinfo2();
    return m.uordblks;
}
#endif

#define IDLE_N 64

/* The receive buffer is given back once it is empty: objects that read a
 * line and some bytes and then hold nothing cost no more heap than before;
 * an accepted client costs at most 256 bytes.  Measured with glibc's
 * mallinfo2 (other C libraries: the traffic is still checked). */
static void t_buffer_given_back(void **state)
{
    sk_sock *server = NULL, *peers[IDLE_N], *acc[IDLE_N];
    sk_buf buf = {NULL, 0, 0};
    size_t h0 = 0, h1 = 0, h2 = 0, i;
    int port = 0;
    (void)state;

    sup_listen4(&server, &port, IDLE_N);
    for (i = 0; i < IDLE_N; i++)
        sup_connect4(&peers[i], port);
    sup_assert_rc(sk_buf_reserve(&buf, 64), 0);
#if SPEED_HEAP
    h0 = heap_in_use();
#endif
    for (i = 0; i < IDLE_N; i++)
        sup_assert_rc(sk_accept(server, &acc[i], NULL), 0);
#if SPEED_HEAP
    h1 = heap_in_use();
#endif
    for (i = 0; i < IDLE_N; i++) {
        sup_send_str(peers[i], "hello\nworld");
        buf.len = 0;
        sup_assert_rc(sk_receive(acc[i], &buf, SK_LINE, 0), 0);
        sup_assert_bufstr(&buf, "hello");
        buf.len = 0;
        sup_assert_rc(sk_receive(acc[i], &buf, SK_BYTES, 5), 0);
        sup_assert_bufstr(&buf, "world");
        assert_int_equal(sk_dirty(acc[i]), 0);
    }
#if SPEED_HEAP
    h2 = heap_in_use();
    print_message("heap: %lu bytes per accepted client, %ld per client "
                  "after its traffic\n",
                  (unsigned long)((h1 - h0) / IDLE_N),
                  (long)((long)h2 - (long)h1) / IDLE_N);
    if (h1 > h0) /* 0 under sanitizers and valgrind: their own heaps */
        assert_true((h1 - h0) / IDLE_N <= 256);
    assert_true(h2 <= h1 + 64); /* no buffer kept (a 16 KiB one each) */
#else
    (void)h0;
    (void)h1;
    (void)h2;
    print_message("heap use not measured on this C library\n");
#endif
    for (i = 0; i < IDLE_N; i++) {
        sk_free(acc[i]);
        sk_free(peers[i]);
    }
    sk_buf_free(&buf);
    sk_free(server);
}

/* A receive that must not wait: nothing is there, so it returns at once
 * with want (a socket left blocking at the OS level would hang here). */
static void expect_no_wait(sk_sock *s, int want)
{
    sk_buf buf = {NULL, 0, 0};
    char c;
    size_t got = 1;
    sup_assert_rc(sk_receive(s, &buf, SK_LINE, 0), want);
    assert_int_equal(buf.len, 0);
    sup_assert_rc(sk_read(s, &c, 1, &got), want);
    assert_int_equal(got, 0);
    sk_buf_free(&buf);
}

/* A line from a peer thread, received while the object may wait without
 * limit (usually before the line is there). */
static void expect_line_from_thread(sk_sock *from, sk_sock *to)
{
    static const char line[] = "blocking\r\n";
    sk_buf buf = {NULL, 0, 0};
    sup_sender snd;
    sup_sender_start(&snd, from, line, sizeof line - 1, 0);
    sup_assert_rc(sk_receive(to, &buf, SK_LINE, 0), 0);
    sup_sender_join(&snd);
    sup_assert_bufstr(&buf, "blocking");
    sk_buf_free(&buf);
}

static void t_blocking_follows_timeouts(void **state)
{
    sk_sock *a = NULL, *b = NULL, *server = NULL, *c = NULL, *d = NULL;
    double blk = 0, tot = 0;
    int port = 0;
    (void)state;

    sup_pair(&a, &b);
    /* No timeout, blocking mode: calls wait without limit. */
    sup_assert_rc(sk_settimeout(b, -1, 'b'), 0);
    expect_line_from_thread(a, b);
    /* Each way back to "never wait without limit". */
    sup_assert_rc(sk_settimeout(b, 0, 'b'), 0);
    expect_no_wait(b, SK_ETIMEOUT);
    sup_assert_rc(sk_settimeout(b, -1, 'b'), 0);
    sup_assert_rc(sk_settimeout(b, 0, 't'), 0);
    expect_no_wait(b, SK_ETIMEOUT);
    sup_assert_rc(sk_settimeout(b, -1, 't'), 0);
    sup_assert_rc(sk_setblocking(b, 0), 0);
    expect_no_wait(b, SK_EWOULDBLOCK);
    sup_assert_rc(sk_setblocking(b, 1), 0);
    sup_assert_rc(sk_gettimeout(b, &blk, &tot), 0);
    assert_true(blk < 0 && tot < 0);
    expect_line_from_thread(a, b);
    sk_free(a);
    sk_free(b);

    /* A server without timeouts makes clients without them; the client's
     * own timeout 0 then applies at once. */
    sup_listen4(&server, &port, 4);
    sup_assert_rc(sk_settimeout(server, -1, 'b'), 0);
    sup_connect4(&c, port);
    sup_assert_rc(sk_accept(server, &d, NULL), 0);
    expect_line_from_thread(c, d);
    sup_assert_rc(sk_settimeout(d, 0, 'b'), 0);
    expect_no_wait(d, SK_ETIMEOUT);
    sk_free(d);
    /* A server with timeout 0 does not wait for a client. */
    sup_assert_rc(sk_settimeout(server, 0, 'b'), 0);
    sup_assert_rc(sk_accept(server, &d, NULL), SK_ETIMEOUT);
    assert_null(d);
    sk_free(c);
    sk_free(server);
}

/* Handles moved between objects with sk_setfd take the mode their new
 * object needs. */
static void t_setfd_takes_mode(void **state)
{
    sk_sock *a = NULL, *b = NULL, *c = NULL, *d = NULL;
    sk_fd_t fb, fd;
    (void)state;

    sup_pair(&a, &b);
    sup_pair(&c, &d);
    sup_assert_rc(sk_settimeout(b, -1, 'b'), 0); /* b's handle blocks */
    sup_assert_rc(sk_settimeout(d, 0, 'b'), 0);
    fb = sk_getfd(b);
    fd = sk_getfd(d);
    sup_assert_rc(sk_setfd(b, fd), 0);
    sup_assert_rc(sk_setfd(d, fb), 0);
    expect_no_wait(d, SK_ETIMEOUT); /* b's old handle, now d's */
    expect_line_from_thread(c, b);  /* d's old handle, now b's */
    sk_free(a);
    sk_free(b);
    sk_free(c);
    sk_free(d);
}

/* Connects without a timeout (a blocking connect where the OS has one):
 * one that succeeds, one that is refused, and a dual-stack master whose
 * socket is made after its timeout was set. */
static void t_blocking_connect(void **state)
{
    sk_sock *server = NULL, *c = NULL, *d = NULL, *e = NULL;
    int port = 0;
    (void)state;

    sup_listen4(&server, &port, 4);
    sup_assert_rc(sk_tcp4(&c), 0);
    sup_assert_rc(sk_connect(c, "127.0.0.1", port), 0);
    sup_assert_rc(sk_accept(server, &d, NULL), 0);
    expect_line_from_thread(c, d);
    sk_free(c);
    sk_free(d);

    sup_assert_rc(sk_tcp(&e), 0);
    sup_assert_rc(sk_settimeout(e, 0.5, 'b'), 0);
    sup_assert_rc(sk_connect(e, "127.0.0.1", port), 0);
    sup_assert_rc(sk_accept(server, &d, NULL), 0);
    sup_assert_rc(sk_settimeout(e, 0, 'b'), 0);
    expect_no_wait(e, SK_ETIMEOUT);
    sk_free(e);
    sk_free(d);

    /* The port is free once its server is gone: refused. */
    sk_free(server);
    sup_assert_rc(sk_tcp4(&c), 0);
    sup_assert_rc(sk_connect(c, "127.0.0.1", port), SK_ECONNREFUSED);
    assert_int_equal(sk_role(c), SK_ROLE_MASTER);
    sk_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_line_cr_heavy_fills),
        cmocka_unit_test(t_line_quick_edges),
        cmocka_unit_test(t_bytes_read_ahead),
        cmocka_unit_test(t_buffer_given_back),
        cmocka_unit_test(t_blocking_follows_timeouts),
        cmocka_unit_test(t_setfd_takes_mode),
        cmocka_unit_test(t_blocking_connect),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
