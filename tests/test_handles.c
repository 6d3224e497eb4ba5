/* SPDX-License-Identifier: MIT */
/*
 * test_handles.c - sk_getfd / sk_setfd: when a handle exists, and swapping
 * handles between two objects (and back) without any other change.
 */
#include "support.h"

#include <stdlib.h>
#include <string.h>

static void t_getfd(void **state)
{
    sk_sock *m = NULL, *d = NULL, *a = NULL, *b = NULL;
    (void)state;

    assert_true(sk_getfd(NULL) == SK_FD_INVALID);
    sup_assert_rc(sk_tcp4(&m), 0);
    assert_true(sk_getfd(m) != SK_FD_INVALID);
    sup_assert_rc(sk_close(m), 0);
    assert_true(sk_getfd(m) == SK_FD_INVALID);
    sk_free(m);

    /* A dual-stack master has no socket before bind/connect. */
    sup_assert_rc(sk_tcp(&d), 0);
    assert_true(sk_getfd(d) == SK_FD_INVALID);
    sup_assert_rc(sk_bind(d, "127.0.0.1", 0), 0);
    assert_true(sk_getfd(d) != SK_FD_INVALID);
    sk_free(d);

    sup_pair(&a, &b);
    assert_true(sk_getfd(a) != SK_FD_INVALID);
    assert_true(sk_getfd(b) != SK_FD_INVALID);
    assert_true(sk_getfd(a) != sk_getfd(b));
    sup_assert_rc(sk_close(a), 0);
    assert_true(sk_getfd(a) == SK_FD_INVALID);
    sk_free(a);
    sk_free(b);
}

/* Swap the handles of two clients: each object now talks over the other's
 * connection; swap back and each talks over its own again. */
static void t_setfd_swap(void **state)
{
    sk_sock *a1 = NULL, *b1 = NULL, *a2 = NULL, *b2 = NULL;
    sk_fd_t f1, f2;
    (void)state;

    sup_pair(&a1, &b1);
    sup_pair(&a2, &b2);
    f1 = sk_getfd(a1);
    f2 = sk_getfd(a2);
    sup_assert_rc(sk_setfd(a1, f2), 0);
    sup_assert_rc(sk_setfd(a2, f1), 0);
    assert_true(sk_getfd(a1) == f2);
    assert_true(sk_getfd(a2) == f1);
    assert_int_equal(sk_role(a1), SK_ROLE_CLIENT);
    assert_int_equal(sk_role(a2), SK_ROLE_CLIENT);

    sup_send_str(a1, "via a1\n");
    sup_send_str(a2, "via a2\n");
    sup_expect_str(b2, "via a1\n");
    sup_expect_str(b1, "via a2\n");
    sup_send_str(b1, "to b1's peer\n");
    sup_expect_str(a2, "to b1's peer\n");

    sup_assert_rc(sk_setfd(a1, f1), 0);
    sup_assert_rc(sk_setfd(a2, f2), 0);
    sup_send_str(a1, "home\n");
    sup_expect_str(b1, "home\n");
    sup_send_str(a2, "home too\n");
    sup_expect_str(b2, "home too\n");
    sup_expect_nothing(b1);
    sup_expect_nothing(b2);

    sk_free(a1);
    sk_free(b1);
    sk_free(a2);
    sk_free(b2);
}

/* Detach with SK_FD_INVALID (the object no longer owns the handle), then
 * attach it again. */
static void t_setfd_detach(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    sk_fd_t f;
    (void)state;

    sup_pair(&a, &b);
    f = sk_getfd(a);
    sup_assert_rc(sk_setfd(a, SK_FD_INVALID), 0);
    assert_true(sk_getfd(a) == SK_FD_INVALID);
    assert_int_equal(sk_role(a), SK_ROLE_CLIENT);
    sup_assert_rc(sk_setfd(a, f), 0);
    assert_true(sk_getfd(a) == f);
    sup_send_str(a, "back\n");
    sup_expect_str(b, "back\n");

    sup_assert_rc(sk_setfd(NULL, f), SK_EINVAL);
    sup_assert_rc(sk_close(b), 0);
    sup_assert_rc(sk_setfd(b, f), SK_ECLOSED);
    sk_free(a);
    sk_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_getfd),
        cmocka_unit_test(t_setfd_swap),
        cmocka_unit_test(t_setfd_detach),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
