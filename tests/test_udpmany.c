/* SPDX-License-Identifier: MIT */
/*
 * test_udpmany.c - datagrams in batches (sk_sendmany, sk_recvmany) and
 * what a datagram object remembers between calls (the last numeric
 * destination, the last sender's name): batches to a peer and to named
 * hosts, order and contents kept, senders named right when they alternate,
 * batches larger than one system call takes, runs of one length (which
 * Linux sends as one message the system cuts), truncation per datagram,
 * hosts that need a lookup inside a batch, every error with its *done,
 * timeouts and non-blocking mode.  Loopback only (127.0.0.1, ::1).
 */
#include "support.h"

#include <stdio.h>
#include <string.h>

#define MANY 150 /* more than one backend batch (64) takes */

/* A UDP object of ctor bound to host port 0, with the safety timeout. */
static sk_sock *bound(int (*ctor)(sk_sock **), const char *host)
{
    return sup_udp_bound(ctor, host, NULL);
}

/* Datagram i's text: "dgram <i>" padded to i % 40 + 10 bytes. */
static size_t dgram_text(char *dst, size_t i)
{
    size_t len = i % 40 + 10, k;
    int n = snprintf(dst, 64, "dgram %u ", (unsigned)i);
    for (k = (size_t)n; k < len; k++)
        dst[k] = (char)('a' + (k + i) % 26);
    return len;
}

/* Receive want datagrams on s with sk_recvmany (as many calls as it takes,
 * each bounded by the safety timeout) and check that they are datagrams
 * first..first+want-1 in order, from (addr, port) when addr is not NULL. */
static void expect_many(sk_sock *s, size_t first, size_t want,
                        const char *addr, int port)
{
    static char buf[MANY][64];
    static sk_name from[MANY];
    sk_dgram d[MANY];
    size_t k = 0, i, done = 0, calls = 0;
    assert_true(want <= MANY);
    while (k < want) {
        memset(d, 0, sizeof d);
        for (i = 0; i < want - k; i++) {
            d[i].data = buf[i];
            d[i].len = sizeof buf[i];
            d[i].from = &from[i];
        }
        sup_assert_rc(sk_recvmany(s, d, want - k, &done), 0);
        assert_true(done >= 1 && done <= want - k);
        for (i = 0; i < done; i++) {
            char text[64];
            size_t len = dgram_text(text, first + k + i);
            assert_int_equal(d[i].status, 0);
            assert_int_equal(d[i].got, len);
            assert_int_equal(d[i].size, len);
            assert_memory_equal(buf[i], text, len);
            if (addr != NULL) {
                assert_string_equal(from[i].addr, addr);
                assert_int_equal(from[i].port, port);
            }
        }
        /* the datagram after the last one received is untouched */
        if (done < want - k)
            assert_int_equal(d[done].got, 0);
        k += done;
        assert_true(++calls <= want); /* bounded */
    }
}

/* Send datagrams first..first+n-1 with sk_sendmany to host:port (host
 * NULL: the peer). */
static void send_many(sk_sock *s, size_t first, size_t n, const char *host,
                      int port)
{
    static char buf[MANY][64];
    sk_dgram d[MANY];
    size_t i, done = 999;
    assert_true(n <= MANY);
    memset(d, 0, sizeof d);
    for (i = 0; i < n; i++) {
        d[i].len = dgram_text(buf[i], first + i);
        d[i].data = buf[i];
        d[i].host = host;
        d[i].port = port;
    }
    sup_assert_rc(sk_sendmany(s, d, n, &done), 0);
    assert_int_equal(done, n);
}

/* ---- batches ------------------------------------------------------------ */

static void t_peer_batch(void **state)
{
    sk_sock *a = bound(sk_udp4, "127.0.0.1"), *b = bound(sk_udp4, "127.0.0.1");
    (void)state;
    sup_assert_rc(sk_setpeername(a, "127.0.0.1", sup_port(b)), 0);
    send_many(a, 0, MANY, NULL, 0);
    expect_many(b, 0, MANY, "127.0.0.1", sup_port(a));
    sk_free(a);
    sk_free(b);
}

static void t_host_batch(void **state)
{
    sk_sock *a = bound(sk_udp4, "127.0.0.1"), *b = bound(sk_udp4, "127.0.0.1");
    (void)state;
    send_many(a, 0, 70, "127.0.0.1", sup_port(b));
    expect_many(b, 0, 70, "127.0.0.1", sup_port(a));
    /* and back, to the sender a named */
    send_many(b, 100, 5, "127.0.0.1", sup_port(a));
    expect_many(a, 100, 5, "127.0.0.1", sup_port(b));
    sk_free(a);
    sk_free(b);
}

static void t_ipv6_batch(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    (void)state;
    if (sk_udp6(&a) != 0 || sk_bind(a, "::1", 0) != 0) {
        sk_free(a);
        skip(); /* no IPv6 loopback here */
    }
    sup_assert_rc(sk_settimeout(a, SUP_SAFETY_TIMEOUT, 'b'), 0);
    b = bound(sk_udp6, "::1");
    send_many(a, 0, 40, "::1", sup_port(b));
    expect_many(b, 0, 40, "::1", sup_port(a));
    sk_free(a);
    sk_free(b);
}

/* Runs of datagrams of one length to one destination (which Linux sends
 * as one message the system cuts: UDP GSO), broken by a shorter one, an
 * empty one, a longer one and a change of destination: every datagram
 * arrives alone, whole and in order, on IPv4 and IPv6, to a peer and to a
 * host. */
static void equal_runs(int (*ctor)(sk_sock **), const char *host, int peer)
{
    static char out[MANY][200], in[MANY][256];
    static sk_name from[MANY];
    sk_dgram d[MANY], r[MANY];
    sk_sock *a = bound(ctor, host), *b = bound(ctor, host);
    sk_sock *c = bound(ctor, host);
    size_t i, done = 0, k, calls, nb = 0, nc = 0;
    if (peer)
        sup_assert_rc(sk_setpeername(a, host, sup_port(b)), 0);
    memset(d, 0, sizeof d);
    for (i = 0; i < MANY; i++) {
        /* 100 bytes but for i 70 (30), 71 (empty), 72 (200); the ten from
         * 120 on go to c (a host object only) */
        size_t len = i == 70 ? 30 : i == 71 ? 0 : i == 72 ? 200 : 100;
        memset(out[i], 'a' + (int)(i % 26), len);
        if (len >= 2) { /* and its number first */
            out[i][0] = (char)(i & 0xff);
            out[i][1] = (char)(i >> 8);
        }
        d[i].data = out[i];
        d[i].len = len;
        d[i].host = peer ? NULL : host;
        d[i].port = peer ? 0 : sup_port(!peer && i >= 120 && i < 130 ? c : b);
    }
    sup_assert_rc(sk_sendmany(a, d, MANY, &done), 0);
    assert_int_equal(done, MANY);
    for (k = 0, calls = 0; k < MANY; calls++) {
        int to_c = !peer && k >= 120 && k < 130;
        size_t want = to_c ? 130 - k : (!peer && k < 120 ? 120 - k : MANY - k);
        assert_true(calls < 2 * MANY); /* bounded */
        memset(r, 0, sizeof r);
        for (i = 0; i < want; i++) {
            r[i].data = in[i];
            r[i].len = sizeof in[i];
            r[i].from = &from[i];
        }
        sup_assert_rc(sk_recvmany(to_c ? c : b, r, want, &done), 0);
        assert_true(done >= 1 && done <= want);
        for (i = 0; i < done; i++) {
            assert_int_equal(r[i].status, 0);
            assert_int_equal(r[i].got, d[k + i].len);
            assert_int_equal(r[i].size, d[k + i].len);
            assert_memory_equal(in[i], out[k + i], d[k + i].len);
            assert_int_equal(from[i].port, sup_port(a));
        }
        if (to_c)
            nc += done;
        else
            nb += done;
        k += done;
    }
    assert_int_equal(nb, peer ? MANY : MANY - 10);
    assert_int_equal(nc, peer ? 0 : 10);
    sk_free(a);
    sk_free(b);
    sk_free(c);
}

static void t_equal_runs(void **state)
{
    sk_sock *t = NULL;
    (void)state;
    equal_runs(sk_udp4, "127.0.0.1", 1);
    equal_runs(sk_udp4, "127.0.0.1", 0);
    if (sk_udp6(&t) != 0 || sk_bind(t, "::1", 0) != 0) {
        sk_free(t);
        skip(); /* no IPv6 loopback here */
    }
    sk_free(t);
    equal_runs(sk_udp6, "::1", 1);
    equal_runs(sk_udp6, "::1", 0);
}

/* Destinations that alternate (two receivers), some numeric and some
 * needing a lookup ("localhost"): each lands where it was sent, in order. */
static void t_mixed_destinations(void **state)
{
    sk_sock *a = bound(sk_udp4, "127.0.0.1");
    sk_sock *b = bound(sk_udp4, "127.0.0.1"), *c = bound(sk_udp4, "127.0.0.1");
    static char buf[20][64];
    sk_dgram d[20];
    size_t i, done = 0, nb = 0, nc = 0;
    int pb = sup_port(b), pc = sup_port(c);
    (void)state;
    memset(d, 0, sizeof d);
    for (i = 0; i < 20; i++) {
        d[i].len = dgram_text(buf[i], i);
        d[i].data = buf[i];
        d[i].host = i % 5 == 4 ? "localhost" : "127.0.0.1";
        d[i].port = i % 2 ? pc : pb;
    }
    sup_assert_rc(sk_sendmany(a, d, 20, &done), 0);
    assert_int_equal(done, 20);
    /* b got the even ones, c the odd ones, each in order */
    for (i = 0; i < 20; i++) {
        char in[64], text[64];
        size_t got = 0, len = dgram_text(text, i);
        sk_name from;
        sup_assert_rc(sk_recvfrom(i % 2 ? c : b, in, sizeof in, &got, NULL,
                                  &from),
                      0);
        assert_int_equal(got, len);
        assert_memory_equal(in, text, len);
        assert_string_equal(from.addr, "127.0.0.1");
        assert_int_equal(from.port, sup_port(a));
        if (i % 2)
            nc++;
        else
            nb++;
    }
    assert_int_equal(nb, 10);
    assert_int_equal(nc, 10);
    sk_free(a);
    sk_free(b);
    sk_free(c);
}

/* Two senders alternating: each datagram names its own sender (the name
 * remembered for one sender is never given for the other). */
static void t_senders_alternate(void **state)
{
    sk_sock *r = bound(sk_udp4, "127.0.0.1");
    sk_sock *x = bound(sk_udp4, "127.0.0.1"), *y = bound(sk_udp4, "127.0.0.1");
    int i;
    (void)state;
    for (i = 0; i < 6; i++) {
        sk_sock *w = i % 2 ? y : x;
        char in[8];
        size_t got = 0;
        sk_name from;
        sup_assert_rc(sk_sendto(w, "hi", 2, "127.0.0.1", sup_port(r)), 0);
        sup_assert_rc(sk_recvfrom(r, in, sizeof in, &got, NULL, &from), 0);
        assert_int_equal(got, 2);
        assert_int_equal(from.port, sup_port(w));
        assert_string_equal(from.family, "inet");
    }
    /* the same with sk_recvmany, both in one batch */
    sup_assert_rc(sk_sendto(x, "x", 1, "127.0.0.1", sup_port(r)), 0);
    sup_assert_rc(sk_sendto(y, "y", 1, "127.0.0.1", sup_port(r)), 0);
    {
        char b0[4], b1[4];
        sk_name f0, f1;
        sk_dgram d[2];
        size_t done = 0, k = 0;
        memset(d, 0, sizeof d);
        d[0].data = b0;
        d[0].len = sizeof b0;
        d[0].from = &f0;
        d[1].data = b1;
        d[1].len = sizeof b1;
        d[1].from = &f1;
        while (k < 2) {
            sup_assert_rc(sk_recvmany(r, d + k, 2 - k, &done), 0);
            k += done;
        }
        assert_int_equal(f0.port, b0[0] == 'x' ? sup_port(x) : sup_port(y));
        assert_int_equal(f1.port, b1[0] == 'x' ? sup_port(x) : sup_port(y));
        assert_true(f0.port != f1.port);
    }
    sk_free(r);
    sk_free(x);
    sk_free(y);
}

static void t_truncation(void **state)
{
    sk_sock *a = bound(sk_udp4, "127.0.0.1"), *b = bound(sk_udp4, "127.0.0.1");
    char small[4], big[64];
    sk_dgram d[2];
    size_t done = 0, k = 0;
    (void)state;
    sup_assert_rc(sk_sendto(a, "0123456789", 10, "127.0.0.1", sup_port(b)), 0);
    sup_assert_rc(sk_sendto(a, "abc", 3, "127.0.0.1", sup_port(b)), 0);
    memset(d, 0, sizeof d);
    d[0].data = small;
    d[0].len = sizeof small;
    d[1].data = big;
    d[1].len = sizeof big;
    while (k < 2) {
        sup_assert_rc(sk_recvmany(b, d + k, 2 - k, &done), 0);
        k += done;
    }
    assert_int_equal(d[0].status, SK_ETRUNCATED);
    assert_int_equal(d[0].got, 4);
    assert_memory_equal(small, "0123", 4);
#if defined(__linux__)
    assert_int_equal(d[0].size, 10);
#endif
    assert_int_equal(d[1].status, 0);
    assert_int_equal(d[1].got, 3);
    assert_memory_equal(big, "abc", 3);
    sk_free(a);
    sk_free(b);
}

/* Empty datagrams and zero-room receives are datagrams like any other. */
static void t_empty(void **state)
{
    sk_sock *a = bound(sk_udp4, "127.0.0.1"), *b = bound(sk_udp4, "127.0.0.1");
    sk_dgram d[2];
    char x[4];
    size_t done = 0, k = 0;
    (void)state;
    memset(d, 0, sizeof d);
    d[0].host = "127.0.0.1"; /* data NULL, len 0: an empty datagram */
    d[0].port = sup_port(b);
    d[1].data = "z";
    d[1].len = 1;
    d[1].host = "127.0.0.1";
    d[1].port = sup_port(b);
    sup_assert_rc(sk_sendmany(a, d, 2, &done), 0);
    assert_int_equal(done, 2);
    memset(d, 0, sizeof d);
    d[0].data = x;
    d[0].len = sizeof x;
    d[1].data = NULL; /* no room: the datagram is taken, its byte dropped */
    d[1].len = 0;
    while (k < 2) {
        sup_assert_rc(sk_recvmany(b, d + k, 2 - k, &done), 0);
        k += done;
    }
    assert_int_equal(d[0].got, 0);
    assert_int_equal(d[0].status, 0);
    assert_int_equal(d[1].got, 0);
    assert_int_equal(d[1].status, SK_ETRUNCATED);
    sk_free(a);
    sk_free(b);
}

/* ---- errors and *done --------------------------------------------------- */

static void t_errors(void **state)
{
    sk_sock *a = bound(sk_udp4, "127.0.0.1"), *b = bound(sk_udp4, "127.0.0.1");
    sk_sock *t = NULL;
    sk_dgram d[4];
    char buf[8];
    size_t done = 99;
    int pb = sup_port(b);
    (void)state;
    /* NULL object, NULL array */
    sup_assert_rc(sk_sendmany(NULL, d, 1, &done), SK_EINVAL);
    assert_int_equal(done, 0);
    sup_assert_rc(sk_sendmany(a, NULL, 1, NULL), SK_EINVAL);
    sup_assert_rc(sk_sendmany(a, NULL, 0, &done), 0);
    assert_int_equal(done, 0);
    done = 99;
    sup_assert_rc(sk_recvmany(NULL, d, 1, &done), SK_EINVAL);
    assert_int_equal(done, 0);
    sup_assert_rc(sk_recvmany(a, NULL, 1, &done), SK_EINVAL);
    sup_assert_rc(sk_recvmany(a, d, 1, NULL), SK_EINVAL);
    sup_assert_rc(sk_recvmany(a, d, 0, &done), 0);
    assert_int_equal(done, 0);
    /* a bad datagram in the middle: the ones before it are sent */
    memset(d, 0, sizeof d);
    d[0].data = "ok";
    d[0].len = 2;
    d[0].host = "127.0.0.1";
    d[0].port = pb;
    d[1] = d[0];
    d[2] = d[0];
    d[2].data = NULL; /* NULL data, len 2 */
    d[3] = d[0];
    sup_assert_rc(sk_sendmany(a, d, 4, &done), SK_EINVAL);
    assert_int_equal(done, 2);
    d[2] = d[0];
    d[2].port = 0;
    sup_assert_rc(sk_sendmany(a, d + 2, 2, &done), SK_EINVAL);
    assert_int_equal(done, 0);
    d[2].port = 70000;
    sup_assert_rc(sk_sendmany(a, d + 2, 2, &done), SK_EINVAL);
    d[2].port = pb;
    d[2].host = "*";
    sup_assert_rc(sk_sendmany(a, d + 2, 2, &done), SK_EINVAL);
    d[2].host = "";
    sup_assert_rc(sk_sendmany(a, d + 2, 2, &done), SK_EINVAL);
    d[2].host = NULL; /* no peer */
    sup_assert_rc(sk_sendmany(a, d + 1, 3, &done), SK_ENOTCONN);
    assert_int_equal(done, 1);
    d[2].host = "nonexistent..invalid";
    sup_assert_rc(sk_sendmany(a, d + 2, 2, &done), SK_EHOSTNOTFOUND);
    assert_int_equal(done, 0);
    /* a host given to an object with a peer */
    sup_assert_rc(sk_setpeername(a, "127.0.0.1", pb), 0);
    sup_assert_rc(sk_sendmany(a, d, 2, &done), SK_EISCONN);
    assert_int_equal(done, 0);
    /* b received the 2 + 1 good ones */
    memset(d, 0, sizeof d);
    {
        size_t k = 0;
        sk_dgram r[4];
        static char rb[4][8];
        int i;
        memset(r, 0, sizeof r);
        for (i = 0; i < 4; i++) {
            r[i].data = rb[i];
            r[i].len = sizeof rb[i];
        }
        while (k < 3) {
            sup_assert_rc(sk_recvmany(b, r, 4, &done), 0);
            k += done;
        }
        assert_int_equal(k, 3);
    }
    /* recvmany: NULL data with room */
    d[0].data = NULL;
    d[0].len = 4;
    sup_assert_rc(sk_recvmany(b, d, 1, &done), SK_EINVAL);
    /* not bound */
    sup_assert_rc(sk_udp4(&t), 0);
    d[0].data = buf;
    d[0].len = sizeof buf;
    sup_assert_rc(sk_recvmany(t, d, 1, &done), SK_ENOTCONN);
    /* wrong role, closed */
    sup_assert_rc(sk_close(t), 0);
    sup_assert_rc(sk_recvmany(t, d, 1, &done), SK_ECLOSED);
    sup_assert_rc(sk_sendmany(t, d, 1, &done), SK_ECLOSED);
    sk_free(t);
    t = NULL;
    sup_assert_rc(sk_tcp4(&t), 0);
    sup_assert_rc(sk_recvmany(t, d, 1, &done), SK_EWRONGROLE);
    sup_assert_rc(sk_sendmany(t, d, 1, &done), SK_EWRONGROLE);
    sk_free(t);
    sk_free(a);
    sk_free(b);
}

/* Nothing there: a timeout, and in non-blocking mode SK_EWOULDBLOCK. */
static void t_timeout_nonblocking(void **state)
{
    sk_sock *b = bound(sk_udp4, "127.0.0.1");
    sk_dgram d[1];
    char buf[8];
    size_t done = 9;
    (void)state;
    memset(d, 0, sizeof d);
    d[0].data = buf;
    d[0].len = sizeof buf;
    sup_assert_rc(sk_settimeout(b, 0.05, 'b'), 0);
    sup_assert_rc(sk_recvmany(b, d, 1, &done), SK_ETIMEOUT);
    assert_int_equal(done, 0);
    sup_assert_rc(sk_setblocking(b, 0), 0);
    sup_assert_rc(sk_recvmany(b, d, 1, &done), SK_EWOULDBLOCK);
    assert_int_equal(done, 0);
    sk_free(b);
}

/* A destination remembered for one socket is not used for another: after
 * sk_setfd gives the object a new socket, datagrams still arrive. */
static void t_remembered_and_setfd(void **state)
{
    sk_sock *a = bound(sk_udp4, "127.0.0.1"), *b = bound(sk_udp4, "127.0.0.1");
    sk_sock *other = bound(sk_udp4, "127.0.0.1");
    sk_fd_t fd;
    int pb = sup_port(b);
    (void)state;
    send_many(a, 0, 3, "127.0.0.1", pb);
    expect_many(b, 0, 3, "127.0.0.1", sup_port(a));
    /* swap a's socket for other's */
    fd = sk_getfd(other);
    sup_assert_rc(sk_setfd(other, SK_FD_INVALID), 0);
    sk_free(other);
    {
        sk_fd_t old = sk_getfd(a);
        sup_assert_rc(sk_setfd(a, fd), 0);
        sup_assert_rc(sk_setfd(a, old), 0); /* and back: still right */
        sup_assert_rc(sk_setfd(a, fd), 0);
        /* old is closed by hand: a no longer owns it */
        {
            sk_sock *tmp = NULL;
            sup_assert_rc(sk_udp4(&tmp), 0);
            sup_assert_rc(sk_setfd(tmp, old), 0);
            sk_free(tmp);
        }
    }
    send_many(a, 3, 3, "127.0.0.1", pb);
    expect_many(b, 3, 3, "127.0.0.1", sup_port(a));
    sk_free(a);
    sk_free(b);
}

/* The statistics count every datagram's bytes. */
static void t_stats(void **state)
{
    sk_sock *a = bound(sk_udp4, "127.0.0.1"), *b = bound(sk_udp4, "127.0.0.1");
    uint64_t sent = 0, received = 0;
    size_t i, total = 0;
    char text[64];
    (void)state;
    send_many(a, 0, 10, "127.0.0.1", sup_port(b));
    expect_many(b, 0, 10, NULL, 0);
    for (i = 0; i < 10; i++)
        total += dgram_text(text, i);
    sup_assert_rc(sk_getstats(a, NULL, &sent, NULL), 0);
    sup_assert_rc(sk_getstats(b, &received, NULL, NULL), 0);
    assert_int_equal(sent, total);
    assert_int_equal(received, total);
    sk_free(a);
    sk_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_peer_batch),
        cmocka_unit_test(t_host_batch),
        cmocka_unit_test(t_ipv6_batch),
        cmocka_unit_test(t_equal_runs),
        cmocka_unit_test(t_mixed_destinations),
        cmocka_unit_test(t_senders_alternate),
        cmocka_unit_test(t_truncation),
        cmocka_unit_test(t_empty),
        cmocka_unit_test(t_errors),
        cmocka_unit_test(t_timeout_nonblocking),
        cmocka_unit_test(t_remembered_and_setfd),
        cmocka_unit_test(t_stats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
