/* SPDX-License-Identifier: MIT */
/*
 * test_stats.c - sk_getstats byte counts after known transfers on both
 * ends, and sk_setstats round trips.
 */
#include "support.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void expect_stats(sk_sock *s, uint64_t rx, uint64_t tx)
{
    uint64_t r = 12345, t = 12345;
    double age = -1;
    sup_assert_rc(sk_getstats(s, &r, &t, &age), 0);
    if (r != rx || t != tx) {
        print_error("stats: received %lu sent %lu; expected %lu %lu\n",
                    (unsigned long)r, (unsigned long)t, (unsigned long)rx,
                    (unsigned long)tx);
        fail();
    }
    assert_true(age >= 0);
}

static void t_stats_counts(void **state)
{
    sk_sock *a = NULL, *b = NULL, *srv = NULL, *m = NULL;
    sk_buf buf = {NULL, 0, 0};
    unsigned char data[3000];
    uint64_t seed = 99;
    int port = 0;
    (void)state;

    sup_assert_rc(sk_tcp4(&m), 0);
    expect_stats(m, 0, 0);
    sk_free(m);

    sup_pair(&a, &b);
    expect_stats(a, 0, 0);
    expect_stats(b, 0, 0);

    sup_fill(&seed, data, sizeof data);
    sup_send_all(a, data, sizeof data);
    sup_expect(b, data, sizeof data);
    expect_stats(a, 0, 3000);
    expect_stats(b, 3000, 0);

    /* Only the slice counts. */
    sup_assert_rc(sk_send(a, data, sizeof data, 11, 20, NULL), 0);
    sup_expect(b, data + 10, 10);
    expect_stats(a, 0, 3010);
    expect_stats(b, 3010, 0);

    /* Lines: the CR and LF received from the OS count too. */
    sup_send_str(b, "one\r\ntwo\n");
    sup_assert_rc(sk_receive(a, &buf, SK_LINE, 0), 0);
    sup_assert_rc(sk_receive(a, &buf, SK_LINE, 0), 0);
    sup_assert_bufstr(&buf, "onetwo");
    expect_stats(b, 3010, 9);
    expect_stats(a, 9, 3010);

    /* The other direction through sk_read. */
    {
        char dst[64];
        size_t got = 0, total = 0;
        int i;
        sup_send_str(b, "0123456789");
        for (i = 0; i < 10 && total < 10; i++) {
            sup_assert_rc(sk_read(a, dst + total, sizeof dst - total, &got),
                          0);
            total += got;
        }
        assert_int_equal(total, 10);
    }
    expect_stats(a, 19, 3010);
    expect_stats(b, 3010, 19);

    /* A server's counters do not move with its clients' traffic. */
    sup_listen4(&srv, &port, 1);
    expect_stats(srv, 0, 0);
    sk_free(srv);
    sk_buf_free(&buf);
    sk_free(a);
    sk_free(b);
}

static void t_setstats(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    uint64_t r = 0, t = 0;
    double age = -1;
    (void)state;

    sup_pair(&a, &b);
    sup_assert_rc(sk_setstats(a, 5, 7, 100), 0);
    sup_assert_rc(sk_getstats(a, &r, &t, &age), 0);
    assert_true(r == 5);
    assert_true(t == 7);
    assert_true(age >= 100);
    /* Counting goes on from the new values. */
    sup_send_str(a, "0123456789");
    sup_expect_str(b, "0123456789");
    sup_send_str(b, "abc");
    sup_expect_str(a, "abc");
    sup_assert_rc(sk_getstats(a, &r, &t, NULL), 0);
    assert_true(r == 8);
    assert_true(t == 17);

    /* Large values survive. */
    sup_assert_rc(sk_setstats(a, UINT64_C(1) << 40, UINT64_C(3) << 33, 0), 0);
    sup_assert_rc(sk_getstats(a, &r, &t, &age), 0);
    assert_true(r == UINT64_C(1) << 40);
    assert_true(t == UINT64_C(3) << 33);
    assert_true(age >= 0);

    /* Every pointer may be NULL. */
    sup_assert_rc(sk_getstats(a, NULL, NULL, NULL), 0);

    /* Bad input changes nothing. */
    sup_assert_rc(sk_setstats(a, 1, 1, -1), SK_EINVAL);
    sup_assert_rc(sk_setstats(a, 1, 1, NAN), SK_EINVAL);
    sup_assert_rc(sk_setstats(NULL, 1, 1, 1), SK_EINVAL);
    sup_assert_rc(sk_getstats(NULL, &r, &t, &age), SK_EINVAL);
    sup_assert_rc(sk_getstats(a, &r, &t, NULL), 0);
    assert_true(r == UINT64_C(1) << 40);
    assert_true(t == UINT64_C(3) << 33);
    sk_free(a);
    sk_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_stats_counts),
        cmocka_unit_test(t_setstats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
