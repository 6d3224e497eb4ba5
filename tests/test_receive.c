/* SPDX-License-Identifier: MIT */
/*
 * test_receive.c - every receive pattern (SK_ALL, SK_LINE, SK_BYTES,
 * SK_SOME), prefixes, partial results on close and on timeout, the line
 * limit, sk_read and sk_dirty.
 */
#include "support.h"

#include <stdlib.h>
#include <string.h>

static void t_all_until_close(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    sk_buf buf = {NULL, 0, 0};
    (void)state;

    sup_pair(&a, &b);
    sup_send_str(a, "hello\r\n");
    sup_send_str(a, "world\r");
    sup_assert_rc(sk_close(a), 0);
    sup_assert_rc(sk_receive(b, &buf, SK_ALL, 0), 0);
    /* No end-of-line translation. */
    sup_assert_bufstr(&buf, "hello\r\nworld\r");
    sk_buf_free(&buf);
    sk_free(a);
    sk_free(b);
}

static void t_all_nothing_before_close(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    sk_buf buf = {NULL, 0, 0};
    (void)state;

    /* LuaSocket's "*a": a close with no byte at all is "closed", and the
     * prefix stays as it was. */
    sup_pair(&a, &b);
    sup_assert_rc(sk_close(a), 0);
    sup_assert_rc(sk_buf_reserve(&buf, 3), 0);
    memcpy(buf.data, "pre", 3);
    buf.len = 3;
    sup_assert_rc(sk_receive(b, &buf, SK_ALL, 0), SK_ECLOSED);
    sup_assert_bufstr(&buf, "pre");
    sk_buf_free(&buf);
    sk_free(a);
    sk_free(b);
}

static void t_all_large_threaded(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    sk_buf buf = {NULL, 0, 0};
    sup_sender snd;
    const size_t len = 3 * 1024 * 1024 + 17;
    unsigned char *data = (unsigned char *)malloc(len);
    uint64_t seed = 42;
    (void)state;

    assert_non_null(data);
    sup_fill(&seed, data, len);
    sup_pair(&a, &b);
    sup_sender_start(&snd, a, data, len, 1);
    sup_assert_rc(sk_receive(b, &buf, SK_ALL, 0), 0);
    sup_sender_join(&snd);
    sup_assert_buf(&buf, data, len);
    sk_buf_free(&buf);
    free(data);
    sk_free(a);
    sk_free(b);
}

static void t_line_strips_lf_and_every_cr(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    sk_buf buf = {NULL, 0, 0};
    (void)state;

    sup_pair(&a, &b);
    sup_send_str(a, "a\rb\r\n");
    sup_assert_rc(sk_receive(b, &buf, SK_LINE, 0), 0);
    sup_assert_bufstr(&buf, "ab");
    buf.len = 0;

    sup_send_str(a, "\rx\ry\r\rz\n");
    sup_assert_rc(sk_receive(b, &buf, SK_LINE, 0), 0);
    sup_assert_bufstr(&buf, "xyz");
    buf.len = 0;

    sup_send_str(a, "\r\r\n");
    sup_assert_rc(sk_receive(b, &buf, SK_LINE, 0), 0);
    assert_int_equal(buf.len, 0);

    /* Bytes other than CR and LF are kept, NUL included. */
    sup_send_all(a, "n\0l\tz\n", 6);
    sup_assert_rc(sk_receive(b, &buf, SK_LINE, 0), 0);
    sup_assert_buf(&buf, "n\0l\tz", 5);
    sup_expect_nothing(b);
    sk_buf_free(&buf);
    sk_free(a);
    sk_free(b);
}

static void t_line_empty_lines(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    sk_buf buf = {NULL, 0, 0};
    int i;
    (void)state;

    sup_pair(&a, &b);
    sup_send_str(a, "\n\n\r\nlast\n");
    for (i = 0; i < 3; i++) {
        buf.len = 0;
        sup_assert_rc(sk_receive(b, &buf, SK_LINE, 0), 0);
        assert_int_equal(buf.len, 0);
    }
    buf.len = 0;
    sup_assert_rc(sk_receive(b, &buf, SK_LINE, 0), 0);
    sup_assert_bufstr(&buf, "last");
    sup_expect_nothing(b);
    sk_buf_free(&buf);
    sk_free(a);
    sk_free(b);
}

static void t_line_several_in_one_segment(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    sk_buf buf = {NULL, 0, 0};
    static const char *const want[] = {"one", "two", "", "three", "4"};
    size_t i;
    (void)state;

    sup_pair(&a, &b);
    sup_send_str(a, "one\ntwo\r\n\nthree\n4\n");
    for (i = 0; i < sizeof want / sizeof want[0]; i++) {
        buf.len = 0;
        sup_assert_rc(sk_receive(b, &buf, SK_LINE, 0), 0);
        sup_assert_bufstr(&buf, want[i]);
    }
    sup_expect_nothing(b);
    sk_buf_free(&buf);
    sk_free(a);
    sk_free(b);
}

/* A line far longer than any single read, under the default limit. */
static void t_line_long_threaded(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    sk_buf buf = {NULL, 0, 0};
    sup_sender snd;
    const size_t len = 600000;
    char *data = (char *)malloc(len + 1);
    size_t i, max = 0;
    (void)state;

    assert_non_null(data);
    for (i = 0; i < len; i++)
        data[i] = (char)('a' + (i * 7) % 26);
    data[len] = '\n';
    sup_pair(&a, &b);
    sup_assert_rc(sk_getlinelimit(b, &max), 0);
    assert_int_equal(max, 1024 * 1024); /* the documented default */
    sup_sender_start(&snd, a, data, len + 1, 0);
    sup_assert_rc(sk_receive(b, &buf, SK_LINE, 0), 0);
    sup_sender_join(&snd);
    sup_assert_buf(&buf, data, len);
    sup_expect_nothing(b);
    sk_buf_free(&buf);
    free(data);
    sk_free(a);
    sk_free(b);
}

static void t_bytes(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    sk_buf buf = {NULL, 0, 0};
    (void)state;

    sup_pair(&a, &b);
    sup_send_str(a, "0123456789");
    sup_assert_rc(sk_receive(b, &buf, SK_BYTES, 4), 0);
    sup_assert_bufstr(&buf, "0123");
    /* n 0: returns 0 at once, nothing appended. */
    sup_assert_rc(sk_receive(b, &buf, SK_BYTES, 0), 0);
    sup_assert_bufstr(&buf, "0123");
    sup_assert_rc(sk_receive(b, &buf, SK_BYTES, 6), 0);
    sup_assert_bufstr(&buf, "0123456789");
    sup_expect_nothing(b);
    sk_buf_free(&buf);
    sk_free(a);
    sk_free(b);
}

static void t_some(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    sk_buf buf = {NULL, 0, 0};
    size_t before;
    int i;
    (void)state;

    sup_pair(&a, &b);
    sup_send_str(a, "abcdef");
    /* n 0 = no limit: at least one byte per call, all six in the end. */
    for (i = 0; i < 6 && buf.len < 6; i++) {
        before = buf.len;
        sup_assert_rc(sk_receive(b, &buf, SK_SOME, 0), 0);
        assert_true(buf.len > before);
    }
    sup_assert_bufstr(&buf, "abcdef");

    /* At most n, served from the buffer without waiting. */
    sup_send_str(a, "xy\nrest");
    buf.len = 0;
    sup_assert_rc(sk_receive(b, &buf, SK_LINE, 0), 0);
    sup_assert_bufstr(&buf, "xy");
    buf.len = 0;
    memcpy(buf.data, "P", 1);
    buf.len = 1;
    sup_assert_rc(sk_receive(b, &buf, SK_SOME, 2), 0);
    assert_true(buf.len == 2 || buf.len == 3);
    assert_memory_equal(buf.data, "Pre", buf.len);
    for (i = 0; i < 4 && buf.len < 5; i++) {
        before = buf.len;
        sup_assert_rc(sk_receive(b, &buf, SK_SOME, 3), 0);
        assert_true(buf.len > before && buf.len <= before + 3);
    }
    sup_assert_bufstr(&buf, "Prest");
    sup_expect_nothing(b);
    sk_buf_free(&buf);
    sk_free(a);
    sk_free(b);
}

/* Whatever the buffer holds is a prefix and is kept, for every pattern; a
 * caller's own malloc'd block is grown with realloc. */
static void t_prefix_kept(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    sk_buf buf;
    (void)state;

    buf.data = (char *)malloc(4);
    assert_non_null(buf.data);
    memcpy(buf.data, "PRE:", 4);
    buf.len = 4;
    buf.cap = 4;

    sup_pair(&a, &b);
    sup_send_str(a, "line\r\nabcSOME");
    sup_assert_rc(sk_receive(b, &buf, SK_LINE, 0), 0);
    sup_assert_bufstr(&buf, "PRE:line");
    sup_assert_rc(sk_receive(b, &buf, SK_BYTES, 3), 0);
    sup_assert_bufstr(&buf, "PRE:lineabc");
    sup_assert_rc(sk_receive(b, &buf, SK_BYTES, 4), 0);
    sup_assert_bufstr(&buf, "PRE:lineabcSOME");
    sup_send_str(a, "+");
    sup_assert_rc(sk_receive(b, &buf, SK_SOME, 0), 0);
    sup_assert_bufstr(&buf, "PRE:lineabcSOME+");
    sup_send_str(a, "tail");
    sup_assert_rc(sk_shutdown(a, SK_SHUT_SEND), 0);
    sup_assert_rc(sk_receive(b, &buf, SK_ALL, 0), 0);
    sup_assert_bufstr(&buf, "PRE:lineabcSOME+tail");
    free(buf.data);
    sk_free(a);
    sk_free(b);
}

/* Peer sends "abc" then closes: each pattern's partial result. */
static void t_partial_on_close(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    sk_buf buf = {NULL, 0, 0};
    char dst[16];
    size_t got = 99, total = 0;
    int pattern, i;
    (void)state;

    buf.data = (char *)malloc(8);
    assert_non_null(buf.data);
    buf.cap = 8;
    for (pattern = SK_ALL; pattern <= SK_SOME; pattern++) {
        sup_pair(&a, &b);
        sup_send_str(a, "abc");
        sup_assert_rc(sk_close(a), 0);
        buf.data[0] = '>';
        buf.len = 1;
        sup_assert_rc(sk_receive(b, &buf, SK_BYTES, 0), 0); /* no-op */
        sup_assert_bufstr(&buf, ">");
        switch (pattern) {
        case SK_ALL:
            sup_assert_rc(sk_receive(b, &buf, SK_ALL, 0), 0);
            sup_assert_bufstr(&buf, ">abc");
            break;
        case SK_LINE:
            sup_assert_rc(sk_receive(b, &buf, SK_LINE, 0), SK_ECLOSED);
            sup_assert_bufstr(&buf, ">abc");
            break;
        case SK_BYTES:
            sup_assert_rc(sk_receive(b, &buf, SK_BYTES, 10), SK_ECLOSED);
            sup_assert_bufstr(&buf, ">abc");
            break;
        default:
            for (i = 0; i < 3 && buf.len < 4; i++)
                sup_assert_rc(sk_receive(b, &buf, SK_SOME, 10), 0);
            sup_assert_bufstr(&buf, ">abc");
            sup_assert_rc(sk_receive(b, &buf, SK_SOME, 10), SK_ECLOSED);
            sup_assert_bufstr(&buf, ">abc");
            break;
        }
        /* Once closed, every pattern keeps saying so. */
        sup_assert_rc(sk_receive(b, &buf, SK_LINE, 0), SK_ECLOSED);
        sup_assert_rc(sk_receive(b, &buf, SK_BYTES, 1), SK_ECLOSED);
        sup_assert_bufstr(&buf, ">abc");
        sk_free(a);
        sk_free(b);
    }

    /* sk_read: the bytes, then SK_ECLOSED with *got 0. */
    sup_pair(&a, &b);
    sup_send_str(a, "abc");
    sup_assert_rc(sk_close(a), 0);
    for (i = 0; i < 3 && total < 3; i++) {
        sup_assert_rc(sk_read(b, dst + total, sizeof dst - total, &got), 0);
        assert_true(got > 0 && got <= 3 - total);
        total += got;
    }
    assert_int_equal(total, 3);
    assert_memory_equal(dst, "abc", 3);
    got = 99;
    sup_assert_rc(sk_read(b, dst, sizeof dst, &got), SK_ECLOSED);
    assert_int_equal(got, 0);
    sk_free(a);
    sk_free(b);
    sk_buf_free(&buf);
}

/* Nothing more coming within the timeout: SK_ETIMEOUT with the partial
 * bytes appended; when the rest arrives, a second call completes. */
static void t_partial_on_timeout(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    sk_buf buf = {NULL, 0, 0};
    char dst[4];
    size_t got = 99;
    (void)state;

    sup_pair(&a, &b);
    sup_assert_rc(sk_settimeout(b, 0.05, 'b'), 0);

    /* SK_LINE */
    sup_send_str(a, "abc");
    sup_wait_readable(b);
    sup_assert_rc(sk_receive(b, &buf, SK_LINE, 0), SK_ETIMEOUT);
    sup_assert_bufstr(&buf, "abc");
    sup_send_str(a, "def\n");
    sup_assert_rc(sk_receive(b, &buf, SK_LINE, 0), 0);
    sup_assert_bufstr(&buf, "abcdef");

    /* SK_BYTES */
    buf.len = 0;
    sup_send_str(a, "ABC");
    sup_wait_readable(b);
    sup_assert_rc(sk_receive(b, &buf, SK_BYTES, 10), SK_ETIMEOUT);
    sup_assert_bufstr(&buf, "ABC");
    sup_send_str(a, "DEFGHIJK");
    sup_assert_rc(sk_receive(b, &buf, SK_BYTES, 7), 0);
    sup_assert_bufstr(&buf, "ABCDEFGHIJ");
    buf.len = 0;
    sup_assert_rc(sk_receive(b, &buf, SK_BYTES, 1), 0);
    sup_assert_bufstr(&buf, "K");

    /* SK_SOME and sk_read with nothing at all: nothing appended. */
    buf.len = 0;
    sup_assert_rc(sk_receive(b, &buf, SK_SOME, 0), SK_ETIMEOUT);
    assert_int_equal(buf.len, 0);
    sup_assert_rc(sk_read(b, dst, sizeof dst, &got), SK_ETIMEOUT);
    assert_int_equal(got, 0);

    /* SK_ALL: times out with what came, completes at close. */
    sup_send_str(a, "xyz");
    sup_wait_readable(b);
    sup_assert_rc(sk_receive(b, &buf, SK_ALL, 0), SK_ETIMEOUT);
    sup_assert_bufstr(&buf, "xyz");
    sup_send_str(a, "123");
    sup_assert_rc(sk_close(a), 0);
    sup_assert_rc(sk_receive(b, &buf, SK_ALL, 0), 0);
    sup_assert_bufstr(&buf, "xyz123");

    sk_buf_free(&buf);
    sk_free(a);
    sk_free(b);
}

static void t_line_limit(void **state)
{
    static const char line40[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcd";
    sk_sock *a = NULL, *b = NULL;
    sk_buf buf = {NULL, 0, 0};
    size_t max = 0;
    (void)state;

    assert_int_equal(strlen(line40), 40);
    sup_pair(&a, &b);
    sup_assert_rc(sk_setlinelimit(b, 16), 0);
    sup_assert_rc(sk_getlinelimit(b, &max), 0);
    assert_int_equal(max, 16);
    sup_assert_rc(sk_setlinelimit(b, 0), SK_EINVAL); /* minimum 1 */
    sup_assert_rc(sk_getlinelimit(b, &max), 0);
    assert_int_equal(max, 16);

    sup_send_str(a, line40);
    sup_send_str(a, "\nexactly-16-bytes\nnext\n");

    /* The limit's worth appended after the prefix, then the rest. */
    buf.data = (char *)malloc(2);
    assert_non_null(buf.data);
    memcpy(buf.data, "pp", 2);
    buf.len = 2;
    buf.cap = 2;
    sup_assert_rc(sk_receive(b, &buf, SK_LINE, 0), SK_ETOOLONG);
    sup_assert_buf(&buf, "ppABCDEFGHIJKLMNOP", 18);
    buf.len = 0;
    sup_assert_rc(sk_receive(b, &buf, SK_LINE, 0), SK_ETOOLONG);
    sup_assert_bufstr(&buf, "QRSTUVWXYZ012345");
    buf.len = 0;
    sup_assert_rc(sk_receive(b, &buf, SK_LINE, 0), 0);
    sup_assert_bufstr(&buf, "6789abcd");
    /* A line of exactly the limit is not too long. */
    buf.len = 0;
    sup_assert_rc(sk_receive(b, &buf, SK_LINE, 0), 0);
    sup_assert_bufstr(&buf, "exactly-16-bytes");
    buf.len = 0;
    sup_assert_rc(sk_receive(b, &buf, SK_LINE, 0), 0);
    sup_assert_bufstr(&buf, "next");

    /* Raising the limit again lets a long line through. */
    sup_assert_rc(sk_setlinelimit(b, 100), 0);
    sup_send_str(a, line40);
    sup_send_str(a, "\n");
    buf.len = 0;
    sup_assert_rc(sk_receive(b, &buf, SK_LINE, 0), 0);
    sup_assert_bufstr(&buf, line40);
    sup_expect_nothing(b);
    sk_buf_free(&buf);
    sk_free(a);
    sk_free(b);
}

/* Accepted clients inherit the server's line limit and timeouts. */
static void t_accept_inherits(void **state)
{
    sk_sock *srv = NULL, *c = NULL, *d = NULL;
    size_t max = 0;
    double blk = 0, tot = 0;
    int port = 0;
    (void)state;

    sup_listen4(&srv, &port, 2);
    sup_assert_rc(sk_setlinelimit(srv, 123), 0);
    sup_assert_rc(sk_settimeout(srv, 7.25, 't'), 0);
    sup_assert_rc(sk_settimeout(srv, 2.5, 'b'), 0);
    sup_connect4(&c, port);
    sup_assert_rc(sk_accept(srv, &d, NULL), 0);
    sup_assert_rc(sk_getlinelimit(d, &max), 0);
    assert_int_equal(max, 123);
    sup_assert_rc(sk_gettimeout(d, &blk, &tot), 0);
    assert_true(blk == 2.5);
    assert_true(tot == 7.25);
    sk_free(c);
    sk_free(d);
    sk_free(srv);
}

static void t_read(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    sk_buf buf = {NULL, 0, 0};
    char dst[100];
    size_t got = 0, total = 0;
    int i;
    (void)state;

    sup_pair(&a, &b);
    sup_send_str(a, "hello");
    for (i = 0; i < 5 && total < 5; i++) {
        got = 99;
        sup_assert_rc(sk_read(b, dst + total, sizeof dst - total, &got), 0);
        assert_true(got >= 1 && got <= 5 - total);
        total += got;
    }
    assert_int_equal(total, 5);
    assert_memory_equal(dst, "hello", 5);

    /* Buffered bytes come first, at most cap of them. */
    sup_send_str(a, "ab\ncdef");
    sup_assert_rc(sk_receive(b, &buf, SK_LINE, 0), 0);
    sup_assert_bufstr(&buf, "ab");
    assert_int_equal(sk_dirty(b), 1);
    sup_assert_rc(sk_read(b, dst, 2, &got), 0);
    assert_int_equal(got, 2);
    assert_memory_equal(dst, "cd", 2);
    assert_int_equal(sk_dirty(b), 1);
    sup_assert_rc(sk_read(b, dst, sizeof dst, &got), 0);
    assert_int_equal(got, 2);
    assert_memory_equal(dst, "ef", 2);
    assert_int_equal(sk_dirty(b), 0);

    /* cap 0 is invalid; *got is 0 on error. */
    got = 99;
    sup_assert_rc(sk_read(b, dst, 0, &got), SK_EINVAL);
    assert_int_equal(got, 0);
    sup_expect_nothing(b);
    sk_buf_free(&buf);
    sk_free(a);
    sk_free(b);
}

static void t_dirty(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    sk_buf buf = {NULL, 0, 0};
    (void)state;

    assert_int_equal(sk_dirty(NULL), 0);
    sup_pair(&a, &b);
    assert_int_equal(sk_dirty(b), 0);
    sup_send_str(a, "abc\ndef");
    sup_assert_rc(sk_receive(b, &buf, SK_LINE, 0), 0);
    sup_assert_bufstr(&buf, "abc");
    assert_int_equal(sk_dirty(b), 1);
    buf.len = 0;
    sup_assert_rc(sk_receive(b, &buf, SK_BYTES, 3), 0);
    sup_assert_bufstr(&buf, "def");
    assert_int_equal(sk_dirty(b), 0);
    assert_int_equal(sk_dirty(a), 0);
    sk_buf_free(&buf);
    sk_free(a);
    sk_free(b);
}

static void t_bad_pattern_and_buf_free(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    sk_buf buf = {NULL, 0, 0};
    (void)state;

    sup_pair(&a, &b);
    sup_send_str(a, "data\n");
    sup_assert_rc(sk_receive(b, &buf, 4, 0), SK_EINVAL);
    sup_assert_rc(sk_receive(b, &buf, -1, 0), SK_EINVAL);
    assert_int_equal(buf.len, 0);
    /* The data is still there afterwards. */
    sup_assert_rc(sk_receive(b, &buf, SK_LINE, 0), 0);
    sup_assert_bufstr(&buf, "data");
    assert_non_null(buf.data);
    sk_buf_free(&buf);
    assert_null(buf.data);
    assert_int_equal(buf.len, 0);
    assert_int_equal(buf.cap, 0);
    sk_buf_free(&buf); /* twice is fine */
    sk_buf_free(NULL);
    sk_free(a);
    sk_free(b);
}

/* sk_buf_reserve: room for more bytes after len, contents kept; on
 * failure the buffer is left as it was. */
static void t_buf_reserve(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    sk_buf buf = {NULL, 0, 0};
    char *data;
    size_t cap;
    (void)state;

    sup_assert_rc(sk_buf_reserve(NULL, 1), SK_EINVAL);
    sup_assert_rc(sk_buf_reserve(&buf, 10), 0);
    assert_non_null(buf.data);
    assert_true(buf.cap >= 10);
    assert_int_equal(buf.len, 0);
    memcpy(buf.data, "abc", 3);
    buf.len = 3;
    sup_assert_rc(sk_buf_reserve(&buf, 100), 0);
    assert_true(buf.cap >= 103);
    sup_assert_bufstr(&buf, "abc");

    /* Sizes that cannot exist or would overflow. */
    data = buf.data;
    cap = buf.cap;
    sup_assert_rc(sk_buf_reserve(&buf, (size_t)-1), SK_ENORESOURCES);
    sup_assert_rc(sk_buf_reserve(&buf, (size_t)-1 - 2), SK_ENORESOURCES);
    assert_ptr_equal(buf.data, data);
    assert_int_equal(buf.cap, cap);
    sup_assert_bufstr(&buf, "abc");

    /* A reserved buffer is a prefix like any other. */
    sup_pair(&a, &b);
    sup_send_str(a, "def\n");
    sup_assert_rc(sk_receive(b, &buf, SK_LINE, 0), 0);
    sup_assert_bufstr(&buf, "abcdef");
    sk_buf_free(&buf);
    sk_free(a);
    sk_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_all_until_close),
        cmocka_unit_test(t_all_nothing_before_close),
        cmocka_unit_test(t_all_large_threaded),
        cmocka_unit_test(t_line_strips_lf_and_every_cr),
        cmocka_unit_test(t_line_empty_lines),
        cmocka_unit_test(t_line_several_in_one_segment),
        cmocka_unit_test(t_line_long_threaded),
        cmocka_unit_test(t_bytes),
        cmocka_unit_test(t_some),
        cmocka_unit_test(t_prefix_kept),
        cmocka_unit_test(t_partial_on_close),
        cmocka_unit_test(t_partial_on_timeout),
        cmocka_unit_test(t_line_limit),
        cmocka_unit_test(t_accept_inherits),
        cmocka_unit_test(t_read),
        cmocka_unit_test(t_dirty),
        cmocka_unit_test(t_bad_pattern_and_buf_free),
        cmocka_unit_test(t_buf_reserve),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
