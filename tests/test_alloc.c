/* SPDX-License-Identifier: MIT */
/*
 * test_alloc.c - every allocation failure (SQLite's discipline).  Built
 * against sockit_hooked, the test build of the library whose allocations go
 * through src/alloc.c: each scenario below runs with the Nth allocation
 * failing, for N = 1, 2, ... until a run needs no failure.  Every call must
 * succeed or return SK_ENORESOURCES; the scenario then cleans up, and the
 * sanitizers (asan lane: LSan) or valgrind check that nothing leaked.
 */
#include "support.h"
#include "plat.h" /* sk__test_alloc_* (SOCKIT_TEST_HOOKS) */

#include <stdio.h>
#include <string.h>

/* Upper bound on the allocations of one scenario: the sweep fails when a
 * scenario still allocates past it (an unbounded retry, say). */
#define SWEEP_MAX 2000

/* A scenario: 0 when it ran to the end, SK_ENORESOURCES when a call
 * reported the injected failure (it has then cleaned up).  Any other
 * outcome is a CMocka failure inside the scenario. */
typedef int (*scenario)(void);

/* OK(expr): run a library call that must return 0, or SK_ENORESOURCES
 * while an injected failure has happened (then leave through `out`). */
#define OK(expr)                                                            \
    do {                                                                    \
        int ok_rc_ = (expr);                                                \
        if (ok_rc_ == SK_ENORESOURCES && sk__test_alloc_failed()) {         \
            rc = SK_ENORESOURCES;                                           \
            goto out;                                                       \
        }                                                                   \
        sup_assert_rc(ok_rc_, 0);                                           \
    } while (0)

/* sweep: run fn with the 1st, 2nd, ... allocation failing until a run
 * completes without reaching the armed allocation; returns that N - 1,
 * the count of failure points tried. */
static unsigned long sweep(const char *name, scenario fn)
{
    unsigned long n;
    for (n = 1; n <= SWEEP_MAX; n++) {
        int rc;
        sk__test_alloc_fail_at(n);
        rc = fn();
        if (!sk__test_alloc_failed()) {
            sk__test_alloc_fail_at(0);
            sup_assert_rc(rc, 0);
            print_message("%s: %lu allocation failure points\n", name,
                          n - 1);
            return n - 1;
        }
        sk__test_alloc_fail_at(0);
        if (rc != 0 && rc != SK_ENORESOURCES)
            fail_msg("%s: N=%lu returned %s", name, n, sk_errname(rc));
    }
    fail_msg("%s: still allocating after %d failure points", name,
             SWEEP_MAX);
    return 0;
}

/* ---- the hook itself ---------------------------------------------------- */

static void t_hook(void **state)
{
    sk_sock *s = NULL;
    (void)state;
    sk__test_alloc_fail_at(1);
    sup_assert_rc(sk_tcp4(&s), SK_ENORESOURCES);
    assert_null(s);
    assert_int_equal(sk__test_alloc_failed(), 1);
    assert_int_equal(sk__test_alloc_count(), 1);
    sk__test_alloc_fail_at(0);
    sup_assert_rc(sk_tcp4(&s), 0);
    assert_int_equal(sk__test_alloc_count(), 0); /* not armed: not counted */
    sk_free(s);
}

/* ---- scenarios ---------------------------------------------------------- */

/* TCP: listen, connect, accept, a line each way. */
static int sc_tcp(void)
{
    int rc = 0, port = 0;
    sk_sock *srv = NULL, *cli = NULL, *acc = NULL;
    sk_name nm;
    sk_buf b = {0};

    OK(sk_tcp4(&srv));
    OK(sk_bind(srv, "127.0.0.1", 0));
    OK(sk_listen(srv, 8));
    OK(sk_getsockname(srv, &nm));
    port = nm.port;
    OK(sk_tcp4(&cli));
    OK(sk_settimeout(cli, SUP_SAFETY_TIMEOUT, 'b'));
    OK(sk_connect(cli, "127.0.0.1", port));
    OK(sk_settimeout(srv, SUP_SAFETY_TIMEOUT, 'b'));
    OK(sk_accept(srv, &acc, NULL));
    OK(sk_settimeout(acc, SUP_SAFETY_TIMEOUT, 'b'));
    OK(sk_send(cli, "hello\n", 6, 1, -1, NULL));
    OK(sk_receive(acc, &b, SK_LINE, 0));
    sup_assert_bufstr(&b, "hello");
out:
    sk_buf_free(&b);
    sk_free(acc);
    sk_free(cli);
    sk_free(srv);
    return rc;
}

static void t_tcp(void **state)
{
    (void)state;
    sweep("tcp", sc_tcp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_hook),
        cmocka_unit_test(t_tcp),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
