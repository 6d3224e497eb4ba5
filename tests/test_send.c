/* SPDX-License-Identifier: MIT */
/*
 * test_send.c - sk_send's string.sub slices and *last, sending after
 * shutdown and to a vanished peer (never SIGPIPE), and a send that times out
 * and is resumed at *last + 1 without loss or duplication.
 */
#include "support.h"

#include <stdlib.h>
#include <string.h>

struct slice_case {
    ptrdiff_t i, j;
    const char *sent; /* the bytes the peer must see */
    ptrdiff_t last;
};

static void t_send_slices(void **state)
{
    static const char data[] = "0123456789";
    static const struct slice_case cases[] = {
        {1, -1, "0123456789", 10},
        {2, 4, "123", 4},
        {-3, -1, "789", 10},
        {-1, -1, "9", 10},
        {-10, -10, "0", 1},
        {-100, 2, "01", 2},   /* i below 1 means 1 */
        {0, 1, "0", 1},
        {3, 100, "23456789", 10}, /* j past len means len */
        {5, 5, "4", 5},
        {-4, 8, "67", 8},
        /* empty slices: nothing sent, *last is i - 1 */
        {5, 4, "", 4},
        {11, -1, "", 10},     /* i past len */
        {20, 30, "", 19},
        {1, 0, "", 0},
        {-3, -4, "", 7},      /* i = -3 is position 8 */
        {3, -100, "", 2},
    };
    sk_sock *a = NULL, *b = NULL;
    size_t k;
    (void)state;

    sup_pair(&a, &b);
    for (k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        ptrdiff_t last = -12345;
        size_t n = strlen(cases[k].sent);
        int rc = sk_send(a, data, 10, cases[k].i, cases[k].j, &last);
        if (rc != 0 || last != cases[k].last) {
            print_error("slice (%ld, %ld): rc %s, last %ld; expected 0, %ld\n",
                        (long)cases[k].i, (long)cases[k].j, sk_errname(rc),
                        (long)last, (long)cases[k].last);
            fail();
        }
        if (n > 0)
            sup_expect(b, cases[k].sent, n);
    }
    /* Nothing extra went out. */
    sup_expect_nothing(b);
    sk_free(a);
    sk_free(b);
}

static void t_send_misc(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    ptrdiff_t last = -1;
    unsigned char big[5000];
    uint64_t seed = 7;
    (void)state;

    sup_pair(&a, &b);
    /* NULL data is fine for an empty buffer, not for a non-empty one. */
    sup_assert_rc(sk_send(a, NULL, 0, 1, -1, &last), 0);
    assert_int_equal(last, 0);
    last = -1;
    sup_assert_rc(sk_send(a, NULL, 5, 1, -1, &last), SK_EINVAL);
    /* last may be NULL. */
    sup_assert_rc(sk_send(a, "xy", 2, 1, -1, NULL), 0);
    sup_expect_str(b, "xy");
    /* A slice from the middle of a bigger buffer. */
    sup_fill(&seed, big, sizeof big);
    sup_assert_rc(sk_send(a, big, sizeof big, 1001, 2000, &last), 0);
    assert_int_equal(last, 2000);
    sup_expect(b, big + 1000, 1000);
    sup_assert_rc(sk_send(a, big, sizeof big, -1000, -1, &last), 0);
    assert_int_equal(last, 5000);
    sup_expect(b, big + 4000, 1000);
    sup_expect_nothing(b);
    sk_free(a);
    sk_free(b);
}

static void t_send_after_shutdown(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    ptrdiff_t last = -1;
    sk_buf buf = {NULL, 0, 0};
    (void)state;

    sup_pair(&a, &b);
    sup_assert_rc(sk_shutdown(a, SK_SHUT_SEND), 0);
    sup_assert_rc(sk_send(a, "hello", 5, 1, -1, &last), SK_ECLOSED);
    assert_int_equal(last, 0);
    sup_assert_rc(sk_send(a, "hello", 5, 3, 5, &last), SK_ECLOSED);
    assert_int_equal(last, 2);
    sup_assert_rc(sk_receive(b, &buf, SK_LINE, 0), SK_ECLOSED);
    assert_int_equal(buf.len, 0);
    sk_buf_free(&buf);
    sk_free(a);
    sk_free(b);
}

/* The peer is gone: sends fail with SK_ECLOSED or SK_ECONNRESET, and the
 * process is not killed by SIGPIPE. */
static void t_send_to_closed_peer(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    char chunk[1024];
    ptrdiff_t last = -1;
    int i, rc = 0;
    (void)state;

    memset(chunk, 'z', sizeof chunk);
    sup_pair(&a, &b);
    sk_free(b);
    for (i = 0; i < 1000; i++) {
        rc = sk_send(a, chunk, sizeof chunk, 1, -1, &last);
        if (rc != 0)
            break;
        assert_int_equal(last, (ptrdiff_t)sizeof chunk);
    }
    if (rc != SK_ECLOSED && rc != SK_ECONNRESET) {
        print_error("send to a closed peer: %s after %d sends, expected "
                    "SK_ECLOSED or SK_ECONNRESET\n", sk_errname(rc), i);
        fail();
    }
    assert_true(last >= 0 && last <= (ptrdiff_t)sizeof chunk);
    /* It keeps failing, still without a signal. */
    rc = sk_send(a, chunk, sizeof chunk, 1, -1, &last);
    assert_true(rc == SK_ECLOSED || rc == SK_ECONNRESET);
    assert_int_equal(sk_role(a), SK_ROLE_CLIENT);
    sk_free(a);
}

struct drain {
    sk_sock *s;
    size_t want;
    int rc;
    size_t got;
    uint64_t hash;
};

static void drain_main(void *arg)
{
    struct drain *d = (struct drain *)arg;
    sk_buf buf = {NULL, 0, 0};
    d->rc = sk_receive(d->s, &buf, SK_BYTES, d->want);
    d->got = buf.len;
    d->hash = sup_hash(SUP_HASH_INIT, buf.data, buf.len);
    sk_buf_free(&buf);
}

/* A send to a peer that does not read, with small buffers, times out with
 * *last short of the end; resuming at *last + 1 delivers everything exactly
 * once. */
static void send_timeout_resume(char mode, double seconds)
{
    const size_t len = 4u * 1024 * 1024;
    unsigned char *data = (unsigned char *)malloc(len);
    uint64_t seed = 0x5eed, sent = 0;
    sk_sock *a = NULL, *b = NULL;
    ptrdiff_t last = -1;
    struct drain d;
    sup_thread *t;
    int rc, i;

    assert_non_null(data);
    sup_fill(&seed, data, len);
    sup_pair(&a, &b);
    /* Bounded buffers (a locked receive buffer also stops the OS from
     * auto-tuning it up to tens of MiB), so that at most ~1 MiB can be in
     * flight.  Not tiny: a receive window far below the loopback MSS makes
     * Linux crawl on zero-window probes once the peer does read. */
    sup_assert_rc(sk_setoption(a, SK_OPT_SNDBUF, 65536), 0);
    sup_assert_rc(sk_setoption(b, SK_OPT_RCVBUF, 262144), 0);
    sup_assert_rc(sk_setstats(a, 0, 0, 0), 0);
    if (mode == 't')
        sup_assert_rc(sk_settimeout(a, -1, 'b'), 0);
    sup_assert_rc(sk_settimeout(a, seconds, mode), 0);

    sup_assert_rc(sk_send(a, data, len, 1, -1, &last), SK_ETIMEOUT);
    assert_true(last >= 0 && last < (ptrdiff_t)len);

    /* Now the peer reads, and the sender resumes at *last + 1. */
    d.s = b;
    d.want = len;
    d.rc = 1;
    d.got = 0;
    d.hash = 0;
    t = sup_thread_start(drain_main, &d);
    sup_assert_rc(sk_settimeout(a, -1, 't'), 0);
    sup_assert_rc(sk_settimeout(a, SUP_SAFETY_TIMEOUT, 'b'), 0);
    rc = SK_ETIMEOUT;
    for (i = 0; i < 100 && rc != 0; i++) {
        ptrdiff_t from = last + 1;
        rc = sk_send(a, data, len, from, -1, &last);
        assert_true(last >= from - 1 && last <= (ptrdiff_t)len);
        if (rc != 0)
            sup_assert_rc(rc, SK_ETIMEOUT);
    }
    sup_assert_rc(rc, 0);
    assert_int_equal(last, (ptrdiff_t)len);
    sup_thread_join(t);
    sup_assert_rc(d.rc, 0);
    assert_int_equal(d.got, len);
    assert_true(d.hash == sup_hash(SUP_HASH_INIT, data, len));
    sup_expect_nothing(b);
    sup_assert_rc(sk_getstats(a, NULL, &sent, NULL), 0);
    assert_true(sent == (uint64_t)len);
    free(data);
    sk_free(a);
    sk_free(b);
}

static void t_send_timeout_total(void **state)
{
    (void)state;
    send_timeout_resume('t', 0.2);
}

static void t_send_timeout_block(void **state)
{
    (void)state;
    send_timeout_resume('b', 0.1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_send_slices),
        cmocka_unit_test(t_send_misc),
        cmocka_unit_test(t_send_after_shutdown),
        cmocka_unit_test(t_send_to_closed_peer),
        cmocka_unit_test(t_send_timeout_total),
        cmocka_unit_test(t_send_timeout_block),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
