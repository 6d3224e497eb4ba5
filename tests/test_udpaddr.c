/* SPDX-License-Identifier: MIT */
/*
 * test_udpaddr.c - datagram addresses in binary form (sk_recvfromaddr,
 * sk_sendtoaddr, sk_toaddr, sk_addrname) over loopback: IPv4, IPv6, a
 * dual-stack object (IPv4-mapped senders and destinations), UNIX-domain
 * datagrams (POSIX), truncation, empty datagrams, timeouts and errors; the
 * batch calls (sk_recvmanyaddr, sk_sendmanyaddr: senders answered, runs to
 * one address, errors part-way); and
 * what the text calls remember between datagrams (the last sender named,
 * the last destination looked up): a sender that changes, the same text
 * with another port, IPv4 and IPv6 senders in turn, and what a new peer,
 * a dropped peer, a new socket or a close must make them forget.
 */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ------------------------------------------------------------ */

static void assert_name(const sk_name *n, const char *addr, int port,
                        const char *family)
{
    assert_string_equal(n->addr, addr);
    assert_int_equal(n->port, port);
    assert_string_equal(n->family, family);
}

/* The text of a binary address, checked. */
static void assert_addr(const sk_addr *a, const char *addr, int port,
                        const char *family)
{
    sk_name n;
    memset(&n, 0x55, sizeof n);
    sup_assert_rc(sk_addrname(a, &n), 0);
    assert_name(&n, addr, port, family);
}

/* Receive one datagram on s with sk_recvfromaddr: its bytes must be want;
 * the sender goes to *from. */
static void recv_addr(sk_sock *s, const char *want, sk_addr *from)
{
    char buf[256];
    size_t got = 999, size = 999;
    memset(from, 0x55, sizeof *from);
    sup_assert_rc(sk_recvfromaddr(s, buf, sizeof buf, &got, &size, from),
                  0);
    assert_int_equal(got, strlen(want));
    assert_int_equal(size, strlen(want));
    assert_memory_equal(buf, want, got);
}

/* Receive one datagram on s with sk_recvfrom: its bytes must be want and
 * its sender addr:port (family). */
static void recv_name(sk_sock *s, const char *want, const char *addr,
                      int port, const char *family)
{
    char buf[256];
    size_t got = 999;
    sk_name n;
    memset(&n, 0x55, sizeof n);
    sup_assert_rc(sk_recvfrom(s, buf, sizeof buf, &got, NULL, &n), 0);
    assert_int_equal(got, strlen(want));
    assert_memory_equal(buf, want, got);
    assert_name(&n, addr, port, family);
}

static void send_str(sk_sock *s, const char *str, const char *host, int port)
{
    sup_assert_rc(sk_sendto(s, str, strlen(str), host, port), 0);
}

static void send_addr(sk_sock *s, const char *str, const sk_addr *to)
{
    sup_assert_rc(sk_sendtoaddr(s, str, strlen(str), to), 0);
}

/* b (port pb) names a (port pa) at addr by text once (sk_toaddr: *to),
 * then sends to it by address; a answers the sender it was given (*from).
 * Both addresses are checked to be addr's, of family. */
static void exchange(sk_sock *a, int pa, sk_sock *b, int pb, const char *addr,
                     const char *family, sk_addr *to, sk_addr *from)
{
    sup_assert_rc(sk_toaddr(b, addr, pa, to), 0);
    assert_addr(to, addr, pa, family);
    send_addr(b, "hello", to);
    recv_addr(a, "hello", from);
    assert_addr(from, addr, pb, family);
    send_addr(a, "back", from);
    recv_name(b, "back", addr, pa, family);
}

/* ---- the binary calls ---------------------------------------------------- */

static void t_roundtrip_v4(void **state)
{
    sk_sock *a, *b;
    sk_addr from, to, copy;
    char buf[16];
    size_t got = 9;
    int pa = 0, pb = 0;
    uint64_t rx = 0, tx = 0;
    (void)state;
    a = sup_udp_bound(sk_udp4, "127.0.0.1", &pa);
    b = sup_udp_bound(sk_udp4, "127.0.0.1", &pb);
    exchange(a, pa, b, pb, "127.0.0.1", "inet", &to, &from);
    /* a copy of the sender works as well */
    copy = from;
    send_addr(a, "again", &copy);
    recv_name(b, "again", "127.0.0.1", pa, "inet");
    /* the text and binary calls mix */
    send_str(b, "text", "127.0.0.1", pa);
    recv_addr(a, "text", &from);
    assert_addr(&from, "127.0.0.1", pb, "inet");
    send_addr(b, "bin", &to);
    recv_name(a, "bin", "127.0.0.1", pb, "inet");
    /* from NULL: the datagram without its sender */
    send_addr(b, "anon", &to);
    sup_assert_rc(sk_recvfromaddr(a, buf, sizeof buf, &got, NULL, NULL), 0);
    assert_int_equal(got, 4);
    assert_memory_equal(buf, "anon", 4);
    /* an empty datagram each way */
    sup_assert_rc(sk_sendtoaddr(b, NULL, 0, &to), 0);
    got = 9;
    sup_assert_rc(sk_recvfromaddr(a, buf, sizeof buf, &got, NULL, &from),
                  0);
    assert_int_equal(got, 0);
    assert_addr(&from, "127.0.0.1", pb, "inet");
    /* statistics count the binary calls too */
    sup_assert_rc(sk_getstats(a, &rx, &tx, NULL), 0);
    assert_int_equal(rx, 5 + 4 + 3 + 4);
    assert_int_equal(tx, 4 + 5);
    sk_free(a);
    sk_free(b);
}

static void t_roundtrip_v6(void **state)
{
    sk_sock *a, *b;
    sk_addr from, to;
    int pa = 0, pb = 0;
    (void)state;
    if (!sup_ipv6_loopback()) {
        print_message("no ::1 here: IPv6 round trip skipped\n");
        return;
    }
    a = sup_udp_bound(sk_udp6, "::1", &pa);
    b = sup_udp_bound(sk_udp6, "::1", &pb);
    exchange(a, pa, b, pb, "::1", "inet6", &to, &from);
    /* an IPv6 address on an IPv4 object, an IPv4 one on IPv6-only */
    {
        sk_sock *c = sup_udp_bound(sk_udp4, "127.0.0.1", NULL);
        sk_addr v4;
        sup_assert_rc(sk_sendtoaddr(c, "x", 1, &from), SK_EFAMILY);
        sup_assert_rc(sk_toaddr(c, "127.0.0.1", pa, &v4), 0);
        sup_assert_rc(sk_sendtoaddr(a, "x", 1, &v4), SK_EFAMILY);
        sk_free(c);
    }
    sk_free(a);
    sk_free(b);
}

/* A dual-stack object: IPv4 senders come as IPv4-mapped addresses (shown
 * as IPv4), IPv4 addresses from an IPv4 object are mapped on the way out,
 * and sk_toaddr gives a socketless object its socket. */
static void t_dualstack(void **state)
{
    sk_sock *d, *s4, *s6 = NULL, *lazy = NULL;
    sk_addr from, to4, to6;
    int pd = 0, p4 = 0, p6 = 0, v6 = sup_ipv6_loopback();
    (void)state;
    if (!v6)
        print_message("no ::1 here: the IPv6 half is skipped\n");
    d = sup_udp_bound(sk_udp, "*", &pd);
    s4 = sup_udp_bound(sk_udp4, "127.0.0.1", &p4);
    sup_assert_rc(sk_toaddr(s4, "127.0.0.1", pd, &to4), 0);
    send_addr(s4, "from4", &to4);
    recv_addr(d, "from4", &from);
    assert_addr(&from, "127.0.0.1", p4, "inet");
    send_addr(d, "to4", &from);
    recv_name(s4, "to4", "127.0.0.1", pd, "inet");
    /* s4's own IPv4 address of itself, given to d: mapped on the way */
    sup_assert_rc(sk_toaddr(s4, "127.0.0.1", p4, &to4), 0);
    send_addr(d, "mapped", &to4);
    recv_name(s4, "mapped", "127.0.0.1", pd, "inet");
    /* the same in a batch: an address to map between two direct ones */
    {
        sk_dgram out[3];
        sk_addr to[3];
        size_t done = 0;
        send_str(s4, "x", "127.0.0.1", pd);
        recv_addr(d, "x", &to[0]); /* s4, IPv4-mapped */
        to[1] = to4;               /* s4 again, IPv4 */
        to[2] = to[0];
        memset(out, 0, sizeof out);
        out[0].data = (void *)"m0";
        out[1].data = (void *)"m1";
        out[2].data = (void *)"m2";
        out[0].len = out[1].len = out[2].len = 2;
        sup_assert_rc(sk_sendmanyaddr(d, out, to, 3, &done), 0);
        assert_int_equal(done, 3);
        recv_name(s4, "m0", "127.0.0.1", pd, "inet");
        recv_name(s4, "m1", "127.0.0.1", pd, "inet");
        recv_name(s4, "m2", "127.0.0.1", pd, "inet");
    }
    if (v6) {
        s6 = sup_udp_bound(sk_udp6, "::1", &p6);
        sup_assert_rc(sk_toaddr(s6, "::1", pd, &to6), 0);
        send_addr(s6, "from6", &to6);
        recv_addr(d, "from6", &from);
        assert_addr(&from, "::1", p6, "inet6");
        send_addr(d, "to6", &from);
        recv_name(s6, "to6", "::1", pd, "inet6");
    }
    /* no socket yet: sk_toaddr makes it, the address reaches s4 */
    sup_assert_rc(sk_udp(&lazy), 0);
    sup_assert_rc(sk_settimeout(lazy, SUP_SAFETY_TIMEOUT, 'b'), 0);
    assert_true(sk_getfd(lazy) == SK_FD_INVALID);
    sup_assert_rc(sk_toaddr(lazy, "127.0.0.1", p4, &to4), 0);
    assert_true(sk_getfd(lazy) != SK_FD_INVALID);
    assert_addr(&to4, "127.0.0.1", p4, "inet");
    send_addr(lazy, "lazy", &to4);
    recv_name(s4, "lazy", "127.0.0.1", sup_port(lazy), "inet");
    sk_free(lazy);
    /* no socket yet and an address from elsewhere: sk_sendtoaddr makes it */
    sup_assert_rc(sk_udp(&lazy), 0);
    sup_assert_rc(sk_toaddr(s4, "127.0.0.1", p4, &to4), 0);
    send_addr(lazy, "lazy2", &to4);
    assert_true(sk_getfd(lazy) != SK_FD_INVALID);
    recv_name(s4, "lazy2", "127.0.0.1", sup_port(lazy), "inet");
    sk_free(lazy);
    if (s6 != NULL)
        sk_free(s6);
    sk_free(d);
    sk_free(s4);
}

static void t_truncation_timeout(void **state)
{
    sk_sock *a, *b;
    sk_addr from, to;
    char big[100], buf[10];
    size_t got = 0, size = 0, i;
    int pa = 0, pb = 0;
    (void)state;
    for (i = 0; i < sizeof big; i++)
        big[i] = (char)('a' + i % 26);
    a = sup_udp_bound(sk_udp4, "127.0.0.1", &pa);
    b = sup_udp_bound(sk_udp4, "127.0.0.1", &pb);
    sup_assert_rc(sk_toaddr(b, "127.0.0.1", pa, &to), 0);
    sup_assert_rc(sk_sendtoaddr(b, big, sizeof big, &to), 0);
    send_addr(b, "next", &to);
    sup_assert_rc(sk_recvfromaddr(a, buf, sizeof buf, &got, &size, &from),
                  SK_ETRUNCATED);
    assert_int_equal(got, sizeof buf);
    assert_memory_equal(buf, big, sizeof buf);
    assert_true(size == sizeof big || size == 0); /* 0: not told */
    assert_addr(&from, "127.0.0.1", pb, "inet");
    recv_addr(a, "next", &from);
    /* cap 0, buf NULL: a datagram taken, none of its bytes kept */
    send_addr(b, "gone", &to);
    sup_assert_rc(sk_recvfromaddr(a, NULL, 0, &got, NULL, &from),
                  SK_ETRUNCATED);
    assert_int_equal(got, 0);
    assert_addr(&from, "127.0.0.1", pb, "inet");
    /* nothing there: the timeout, the sender zeroed */
    sup_assert_rc(sk_settimeout(a, 0, 'b'), 0);
    got = 5;
    memset(&from, 0x55, sizeof from);
    sup_assert_rc(sk_recvfromaddr(a, buf, sizeof buf, &got, &size, &from),
                  SK_ETIMEOUT);
    assert_int_equal(got, 0);
    assert_int_equal(size, 0);
    sup_assert_rc(sk_addrname(&from, NULL), SK_EINVAL);
    {
        sk_name n;
        sup_assert_rc(sk_addrname(&from, &n), SK_EINVAL);
        assert_string_equal(n.addr, "");
        assert_int_equal(n.port, 0);
    }
    sk_free(a);
    sk_free(b);
}

static void t_errors(void **state)
{
    sk_sock *a, *c, *t = NULL, *fresh = NULL;
    sk_addr to, zero, bad;
    sk_name n;
    char buf[8];
    size_t got = 3;
    int pa = 0;
    (void)state;
    a = sup_udp_bound(sk_udp4, "127.0.0.1", &pa);
    c = sup_udp_bound(sk_udp4, "127.0.0.1", NULL);
    sup_assert_rc(sk_toaddr(c, "127.0.0.1", pa, &to), 0);
    memset(&zero, 0, sizeof zero);
    sup_assert_rc(sk_sendtoaddr(c, "x", 1, &zero), SK_EINVAL);
    sup_assert_rc(sk_sendtoaddr(c, "x", 1, NULL), SK_EINVAL);
    sup_assert_rc(sk_sendtoaddr(c, NULL, 1, &to), SK_EINVAL);
    memset(&bad, 0xff, sizeof bad);
    sup_assert_rc(sk_sendtoaddr(c, "x", 1, &bad), SK_EINVAL);
    sup_assert_rc(sk_addrname(&bad, &n), SK_EINVAL);
    sup_assert_rc(sk_addrname(&zero, &n), SK_EINVAL);
    sup_assert_rc(sk_addrname(NULL, &n), SK_EINVAL);
    /* a family that the native struct does not say */
    bad = to;
    bad.family = SK_AF_INET6;
    sup_assert_rc(sk_addrname(&bad, &n), SK_EINVAL);
    /* too large for the system: nothing sent */
    {
        static char huge[70000];
        sup_assert_rc(sk_sendtoaddr(c, huge, sizeof huge, &to), SK_EMSGSIZE);
    }
    /* an object with a peer refuses an address */
    sup_assert_rc(sk_setpeername(c, "127.0.0.1", pa), 0);
    sup_assert_rc(sk_sendtoaddr(c, "x", 1, &to), SK_EISCONN);
    sup_assert_rc(sk_setpeername(c, "*", 0), 0);
    send_addr(c, "ok", &to);
    recv_name(a, "ok", "127.0.0.1", sup_port(c), "inet");
    /* wrong roles, closed, not bound */
    sup_assert_rc(sk_tcp4(&t), 0);
    sup_assert_rc(sk_sendtoaddr(t, "x", 1, &to), SK_EWRONGROLE);
    sup_assert_rc(sk_recvfromaddr(t, buf, sizeof buf, &got, NULL, &to),
                  SK_EWRONGROLE);
    sup_assert_rc(sk_toaddr(t, "127.0.0.1", pa, &to), SK_EWRONGROLE);
    sk_free(t);
    sup_assert_rc(sk_toaddr(c, "127.0.0.1", pa, &to), 0);
    sup_assert_rc(sk_udp(&fresh), 0);
    got = 3;
    sup_assert_rc(sk_recvfromaddr(fresh, buf, sizeof buf, &got, NULL, &zero),
                  SK_ENOTCONN);
    assert_int_equal(got, 0);
    sk_free(fresh);
    sup_assert_rc(sk_close(c), 0);
    sup_assert_rc(sk_sendtoaddr(c, "x", 1, &to), SK_ECLOSED);
    sup_assert_rc(sk_recvfromaddr(c, buf, sizeof buf, &got, NULL, &zero),
                  SK_ECLOSED);
    sup_assert_rc(sk_toaddr(c, "127.0.0.1", pa, &zero), SK_ECLOSED);
    sk_free(c);
    /* sk_toaddr: bad hosts and ports; *out zeroed */
    memset(&bad, 0x55, sizeof bad);
    sup_assert_rc(sk_toaddr(a, "*", pa, &bad), SK_EINVAL);
    sup_assert_rc(sk_addrname(&bad, &n), SK_EINVAL);
    sup_assert_rc(sk_toaddr(a, "127.0.0.1", 0, &bad), SK_EINVAL);
    sup_assert_rc(sk_toaddr(a, "", pa, &bad), SK_EINVAL);
    sup_assert_rc(sk_toaddr(a, NULL, pa, &bad), SK_EINVAL);
    sup_assert_rc(sk_toaddr(a, "127.0.0.1", pa, NULL), SK_EINVAL);
    sup_assert_rc(sk_toaddr(a, "nonexistent..invalid", pa, &bad),
                  SK_EHOSTNOTFOUND);
    /* a name is looked up */
    sup_assert_rc(sk_toaddr(a, "localhost", pa, &bad), 0);
    assert_addr(&bad, "127.0.0.1", pa, "inet");
    sk_free(a);
}

#if !defined(_WIN32)
/* UNIX-domain datagrams: the path comes and goes as an address too. */
static void t_unix(void **state)
{
    char dir[200], p1[300], p2[300];
    sk_sock *a = NULL, *b = NULL;
    sk_addr from, to;
    (void)state;
    sup_tempdir(dir, sizeof dir);
    snprintf(p1, sizeof p1, "%s/a", dir);
    snprintf(p2, sizeof p2, "%s/b", dir);
    sup_assert_rc(sk_unixdgram(&a), 0);
    sup_assert_rc(sk_unixdgram(&b), 0);
    sup_assert_rc(sk_settimeout(a, SUP_SAFETY_TIMEOUT, 'b'), 0);
    sup_assert_rc(sk_settimeout(b, SUP_SAFETY_TIMEOUT, 'b'), 0);
    sup_assert_rc(sk_bind(a, p1, 0), 0);
    sup_assert_rc(sk_bind(b, p2, 0), 0);
    sup_assert_rc(sk_toaddr(b, p1, 0, &to), 0);
    assert_addr(&to, p1, 0, "unix");
    send_addr(b, "hi", &to);
    recv_addr(a, "hi", &from);
    assert_addr(&from, p2, 0, "unix");
    send_addr(a, "yo", &from);
    recv_name(b, "yo", p1, 0, "unix");
    sup_assert_rc(sk_toaddr(b, p1, 1, &to), SK_EINVAL);
    /* an IP address on a UNIX-domain object */
    {
        sk_sock *u = sup_udp_bound(sk_udp4, "127.0.0.1", NULL);
        sk_addr ip;
        sup_assert_rc(sk_toaddr(u, "127.0.0.1", 9, &ip), 0);
        sup_assert_rc(sk_sendtoaddr(a, "x", 1, &ip), SK_EFAMILY);
        sup_assert_rc(sk_sendtoaddr(u, "x", 1, &from), SK_EFAMILY);
        sk_free(u);
    }
    sk_free(a);
    sk_free(b);
    remove(p1);
    remove(p2);
    remove(dir);
}
#endif

/* ---- batches ------------------------------------------------------------- */

/* Receive want datagrams on s with sk_recvmanyaddr into d / from (at most
 * 8 calls: they are all on their way already). */
static void recv_many_addr(sk_sock *s, sk_dgram *d, sk_addr *from,
                           size_t want)
{
    size_t k = 0, done = 0;
    int calls = 0;
    while (k < want) {
        assert_true(++calls <= 8);
        done = 99;
        sup_assert_rc(sk_recvmanyaddr(s, d + k, from + k, want - k, &done),
                      0);
        assert_true(done >= 1 && done <= want - k);
        k += done;
    }
}

static void t_batch(void **state)
{
    char buf[8][32];
    sk_dgram d[8], out[8];
    sk_addr from[8], to[12];
    sk_sock *a, *b, *c;
    size_t i, done = 0;
    int pa = 0, pb = 0, pc = 0;
    (void)state;
    a = sup_udp_bound(sk_udp4, "127.0.0.1", &pa);
    b = sup_udp_bound(sk_udp4, "127.0.0.1", &pb);
    c = sup_udp_bound(sk_udp4, "127.0.0.1", &pc);
    memset(d, 0, sizeof d);
    for (i = 0; i < 8; i++) {
        d[i].data = buf[i];
        d[i].len = sizeof buf[i];
    }
    /* three from b, two from c (each sender in order) */
    send_str(b, "b0", "127.0.0.1", pa);
    send_str(b, "b1", "127.0.0.1", pa);
    send_str(c, "c0", "127.0.0.1", pa);
    send_str(b, "b2", "127.0.0.1", pa);
    send_str(c, "c1", "127.0.0.1", pa);
    recv_many_addr(a, d, from, 5);
    {
        int nb = 0, nc = 0;
        for (i = 0; i < 5; i++) {
            sk_name n;
            sup_assert_rc(sk_addrname(&from[i], &n), 0);
            assert_string_equal(n.addr, "127.0.0.1");
            assert_int_equal(d[i].got, 2);
            assert_int_equal(d[i].status, 0);
            if (n.port == pb) {
                assert_true(((char *)d[i].data)[0] == 'b');
                assert_int_equal(((char *)d[i].data)[1], '0' + nb++);
            } else {
                assert_int_equal(n.port, pc);
                assert_true(((char *)d[i].data)[0] == 'c');
                assert_int_equal(((char *)d[i].data)[1], '0' + nc++);
            }
        }
        assert_int_equal(nb, 3);
        assert_int_equal(nc, 2);
    }
    /* each echoed to its sender in one call */
    memset(out, 0, sizeof out);
    for (i = 0; i < 5; i++) {
        out[i].data = d[i].data;
        out[i].len = d[i].got;
    }
    sup_assert_rc(sk_sendmanyaddr(a, out, from, 5, &done), 0);
    assert_int_equal(done, 5);
    recv_name(b, "b0", "127.0.0.1", pa, "inet");
    recv_name(b, "b1", "127.0.0.1", pa, "inet");
    recv_name(b, "b2", "127.0.0.1", pa, "inet");
    recv_name(c, "c0", "127.0.0.1", pa, "inet");
    recv_name(c, "c1", "127.0.0.1", pa, "inet");
    /* a run: 12 datagrams of one length to equal addresses (separate
     * copies) arrive as 12 (one message the system cuts, where it can) */
    {
        static const char msg[12][4] = {"r00", "r01", "r02", "r03", "r04",
                                        "r05", "r06", "r07", "r08", "r09",
                                        "r10", "r11"};
        sk_dgram run[12];
        memset(run, 0, sizeof run);
        sup_assert_rc(sk_toaddr(a, "127.0.0.1", pb, &to[0]), 0);
        for (i = 0; i < 12; i++) {
            to[i] = to[0];
            run[i].data = (void *)msg[i];
            run[i].len = 3;
        }
        sup_assert_rc(sk_sendmanyaddr(a, run, to, 12, &done), 0);
        assert_int_equal(done, 12);
        for (i = 0; i < 12; i++) {
            char want[4];
            memcpy(want, msg[i], 4);
            recv_name(b, want, "127.0.0.1", pa, "inet");
        }
    }
    /* errors: *done counts what went before the bad one */
    sup_assert_rc(sk_sendmanyaddr(a, out, from, 0, &done), 0);
    assert_int_equal(done, 0);
    sup_assert_rc(sk_sendmanyaddr(a, NULL, from, 1, &done), SK_EINVAL);
    sup_assert_rc(sk_sendmanyaddr(a, out, NULL, 1, &done), SK_EINVAL);
    from[1].len = 0;
    done = 99;
    sup_assert_rc(sk_sendmanyaddr(a, out, from, 3, &done), SK_EINVAL);
    assert_int_equal(done, 1);
    {
        sk_name n;
        char want[3] = {0, 0, 0};
        sup_assert_rc(sk_addrname(&from[0], &n), 0);
        memcpy(want, out[0].data, 2);
        recv_name(n.port == pb ? b : c, want, "127.0.0.1", pa, "inet");
    }
    sup_assert_rc(sk_recvmanyaddr(a, d, NULL, 1, &done), SK_EINVAL);
    sup_assert_rc(sk_recvmanyaddr(a, d, from, 1, NULL), SK_EINVAL);
    sup_assert_rc(sk_recvmanyaddr(a, NULL, from, 1, &done), SK_EINVAL);
    sup_assert_rc(sk_recvmanyaddr(a, NULL, NULL, 0, &done), 0);
    assert_int_equal(done, 0);
    sup_assert_rc(sk_settimeout(a, 0, 'b'), 0);
    sup_assert_rc(sk_recvmanyaddr(a, d, from, 8, &done), SK_ETIMEOUT);
    assert_int_equal(done, 0);
    sup_assert_rc(sk_setpeername(b, "127.0.0.1", pa), 0);
    sup_assert_rc(sk_sendmanyaddr(b, out, from, 1, &done), SK_EISCONN);
    assert_int_equal(done, 0);
    sk_free(a);
    sk_free(b);
    sk_free(c);
}

/* ---- what the text calls remember --------------------------------------- */

/* The last sender named: senders that change between datagrams, the same
 * address with another port, and back. */
static void t_sender_changes(void **state)
{
    sk_sock *a, *b, *c;
    int pa = 0, pb = 0, pc = 0, i;
    (void)state;
    a = sup_udp_bound(sk_udp4, "127.0.0.1", &pa);
    b = sup_udp_bound(sk_udp4, "127.0.0.1", &pb);
    c = sup_udp_bound(sk_udp4, "127.0.0.1", &pc);
    for (i = 0; i < 3; i++) {
        send_str(b, "b", "127.0.0.1", pa);
        recv_name(a, "b", "127.0.0.1", pb, "inet");
        send_str(b, "b2", "127.0.0.1", pa);
        recv_name(a, "b2", "127.0.0.1", pb, "inet");
        send_str(c, "c", "127.0.0.1", pa);
        recv_name(a, "c", "127.0.0.1", pc, "inet");
    }
    /* another address of the same host: another sender (POSIX: Wine
     * sends from 127.0.0.1 whatever 127.x address the socket has) */
#if !defined(_WIN32)
    {
        sk_sock *d = sup_udp_bound(sk_udp4, "127.0.0.2", NULL);
        int pd = sup_port(d);
        send_str(d, "d", "127.0.0.1", pa);
        recv_name(a, "d", "127.0.0.2", pd, "inet");
        send_str(b, "b", "127.0.0.1", pa);
        recv_name(a, "b", "127.0.0.1", pb, "inet");
        sk_free(d);
    }
#endif
    sk_free(a);
    sk_free(b);
    sk_free(c);
}

/* The last destination looked up: the same text with another port goes
 * to that port; another text to its address; IPv4 and IPv6 senders in
 * turn on a dual-stack object, answered by their names. */
static void t_dest_changes(void **state)
{
    sk_sock *a, *b, *c, *d, *s6 = NULL;
    int pa = 0, pb = 0, pc = 0, pd = 0, p6 = 0, i;
    char host[16];
    (void)state;
    a = sup_udp_bound(sk_udp4, "127.0.0.1", &pa);
    b = sup_udp_bound(sk_udp4, "127.0.0.1", &pb);
    c = sup_udp_bound(sk_udp4, "127.0.0.1", &pc);
    for (i = 0; i < 3; i++) {
        send_str(a, "b", "127.0.0.1", pb);
        recv_name(b, "b", "127.0.0.1", pa, "inet");
        send_str(a, "c", "127.0.0.1", pc);
        recv_name(c, "c", "127.0.0.1", pa, "inet");
    }
    /* the same buffer, its text changed in place between two sends */
    strcpy(host, "127.0.0.1");
    send_str(a, "one", host, pb);
    recv_name(b, "one", "127.0.0.1", pa, "inet");
    strcpy(host, "127.0.0.2");
    {
        sk_sock *e = sup_udp_bound(sk_udp4, "127.0.0.2", NULL);
        int pe = sup_port(e);
        send_str(a, "two", host, pe);
        recv_name(e, "two", "127.0.0.1", pa, "inet");
        sk_free(e);
    }
    /* a dual-stack object answering IPv4 and IPv6 senders in turn */
    d = sup_udp_bound(sk_udp, "*", &pd);
    if (sup_ipv6_loopback())
        s6 = sup_udp_bound(sk_udp6, "::1", &p6);
    for (i = 0; i < 3; i++) {
        char buf[32];
        size_t got = 0;
        sk_name n;
        send_str(b, "v4", "127.0.0.1", pd);
        sup_assert_rc(sk_recvfrom(d, buf, sizeof buf, &got, NULL, &n), 0);
        assert_name(&n, "127.0.0.1", pb, "inet");
        sup_assert_rc(sk_sendto(d, "r4", 2, n.addr, n.port), 0);
        recv_name(b, "r4", "127.0.0.1", pd, "inet");
        if (s6 == NULL)
            continue;
        send_str(s6, "v6", "::1", pd);
        sup_assert_rc(sk_recvfrom(d, buf, sizeof buf, &got, NULL, &n), 0);
        assert_name(&n, "::1", p6, "inet6");
        sup_assert_rc(sk_sendto(d, "r6", 2, n.addr, n.port), 0);
        recv_name(s6, "r6", "::1", pd, "inet6");
    }
    if (s6 != NULL)
        sk_free(s6);
    sk_free(d);
    sk_free(a);
    sk_free(b);
    sk_free(c);
}

/* What the object remembers goes with its peer changes and its socket. */
static void t_forget(void **state)
{
    sk_sock *a, *b, *c, *x = NULL;
    int pa = 0, pb = 0, pc = 0;
    sk_fd_t fd;
    (void)state;
    a = sup_udp_bound(sk_udp4, "127.0.0.1", &pa);
    b = sup_udp_bound(sk_udp4, "127.0.0.1", &pb);
    c = sup_udp_bound(sk_udp4, "127.0.0.1", &pc);
    send_str(a, "1", "127.0.0.1", pb); /* remembered */
    recv_name(b, "1", "127.0.0.1", pa, "inet");
    send_str(b, "s", "127.0.0.1", pa); /* a's last sender: b */
    recv_name(a, "s", "127.0.0.1", pb, "inet");
    /* a peer, then none: the remembered destination still goes to b */
    sup_assert_rc(sk_setpeername(a, "127.0.0.1", pc), 0);
    sup_assert_rc(sk_sendto(a, "x", 1, "127.0.0.1", pb), SK_EISCONN);
    sup_assert_rc(sk_sendto(a, "p", 1, NULL, 0), 0);
    recv_name(c, "p", "127.0.0.1", pa, "inet");
    sup_assert_rc(sk_setpeername(a, "*", 0), 0);
    send_str(a, "2", "127.0.0.1", pb);
    recv_name(b, "2", "127.0.0.1", pa, "inet");
    send_str(c, "s", "127.0.0.1", pa);
    recv_name(a, "s", "127.0.0.1", pc, "inet");
    /* a new socket under the object (sk_setfd): nothing remembered may
     * reach the old one's destination through the new one wrongly */
    sup_assert_rc(sk_udp4(&x), 0);
    sup_assert_rc(sk_bind(x, "127.0.0.1", 0), 0);
    fd = sk_getfd(x);
    sup_assert_rc(sk_setfd(x, sk_getfd(a)), 0); /* (swapped: x closes it) */
    sup_assert_rc(sk_setfd(a, fd), 0);
    sk_free(x);
    sup_assert_rc(sk_settimeout(a, SUP_SAFETY_TIMEOUT, 'b'), 0);
    pa = sup_port(a);
    send_str(a, "3", "127.0.0.1", pb);
    recv_name(b, "3", "127.0.0.1", pa, "inet");
    send_str(b, "s", "127.0.0.1", pa);
    recv_name(a, "s", "127.0.0.1", pb, "inet");
    /* closed: nothing remembered is used */
    sup_assert_rc(sk_close(a), 0);
    sup_assert_rc(sk_sendto(a, "x", 1, "127.0.0.1", pb), SK_ECLOSED);
    {
        char buf[4];
        size_t got = 7;
        sk_name n;
        sup_assert_rc(sk_recvfrom(a, buf, sizeof buf, &got, NULL, &n),
                      SK_ECLOSED);
        assert_int_equal(got, 0);
        assert_string_equal(n.addr, "");
    }
    sk_free(a);
    sk_free(b);
    sk_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_roundtrip_v4),
        cmocka_unit_test(t_roundtrip_v6),
        cmocka_unit_test(t_dualstack),
        cmocka_unit_test(t_truncation_timeout),
        cmocka_unit_test(t_errors),
#if !defined(_WIN32)
        cmocka_unit_test(t_unix),
#endif
        cmocka_unit_test(t_batch),
        cmocka_unit_test(t_sender_changes),
        cmocka_unit_test(t_dest_changes),
        cmocka_unit_test(t_forget),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
