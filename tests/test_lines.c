/* SPDX-License-Identifier: MIT */
/*
 * test_lines.c - sk_receiveline: lines as views into the receive buffer.
 * CRs, empty lines, lines split across reads, timeouts mid-line (every
 * byte handed out once), the peer's close mid-line, the line limit and
 * the buffer's bound, mixing with sk_receive / sk_read, dirty and select,
 * stats, and UNIX-domain streams.
 */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The next line by either call: the view (sk_receiveline) or SK_LINE into
 * buf (emptied first), its bytes and length in *line / *len either way. */
static int line_either(sk_sock *b, int view, sk_buf *buf, const char **line,
                       size_t *len)
{
    int r;
    if (view)
        return sk_receiveline(b, line, len);
    buf->len = 0;
    r = sk_receive(b, buf, SK_LINE, 0);
    *line = buf->data;
    *len = buf->len;
    return r;
}

/* Expect the next line to be want (return 0), NUL-terminated. */
static void expect_view(sk_sock *s, const char *want)
{
    const char *line = NULL;
    size_t len = 99;
    sup_assert_rc(sk_receiveline(s, &line, &len), 0);
    assert_non_null(line);
    assert_int_equal(len, strlen(want));
    assert_memory_equal(line, want, len);
    assert_int_equal(line[len], '\0');
}

/* Expect code with *line NULL and *len 0. */
static void expect_none(sk_sock *s, int code)
{
    const char *line = "junk";
    size_t len = 99;
    sup_assert_rc(sk_receiveline(s, &line, &len), code);
    assert_null(line);
    assert_int_equal(len, 0);
}

/* A receiveline that must wait finds nothing whole: with timeout 0 it
 * times out, handing out nothing. */
static void expect_timeout_now(sk_sock *s)
{
    sup_assert_rc(sk_settimeout(s, 0, 'b'), 0);
    expect_none(s, SK_ETIMEOUT);
    sup_assert_rc(sk_settimeout(s, SUP_SAFETY_TIMEOUT, 'b'), 0);
}

/* Nothing readable on s right now by sk_select (timeout 0). */
static void expect_not_selected(sk_sock *s)
{
    sk_sock *rd[1];
    size_t nrd = 9, nwr = 9;
    sup_assert_rc(sk_select(&s, 1, NULL, 0, 0, rd, &nrd, NULL, &nwr),
                  SK_ETIMEOUT);
    assert_int_equal(nrd, 0);
}

static void expect_selected(sk_sock *s)
{
    sk_sock *rd[1];
    size_t nrd = 0, nwr = 9;
    sup_assert_rc(sk_select(&s, 1, NULL, 0, 0, rd, &nrd, NULL, &nwr), 0);
    assert_int_equal(nrd, 1);
    assert_ptr_equal(rd[0], s);
}

static void t_crs_and_empty_lines(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    (void)state;
    sup_pair(&a, &b);
    sup_send_str(a, "one\ntwo\r\n\n\r\nin\rside\r\n\r\rx\r\r\n"
                    "a\rb\nend\n");
    expect_view(b, "one");
    expect_view(b, "two");
    expect_view(b, "");
    expect_view(b, "");
    expect_view(b, "inside");
    expect_view(b, "x");
    expect_view(b, "ab");
    expect_view(b, "end");
    assert_int_equal(sk_dirty(b), 0);
    sk_free(a);
    sk_free(b);
}

/* The same bytes give the same lines as SK_LINE, CRs and all. */
static void t_same_as_sk_line(void **state)
{
    static const char text[] = "\r\r\n\rabc\r\ndef\r\r\r\n\n\rz\n";
    sk_sock *a = NULL, *b = NULL, *c = NULL, *d = NULL;
    sk_buf buf = {NULL, 0, 0};
    int i;
    (void)state;
    sup_pair(&a, &b);
    sup_pair(&c, &d);
    sup_send_str(a, text);
    sup_send_str(c, text);
    for (i = 0; i < 5; i++) { /* the five lines of text */
        const char *line = NULL;
        size_t len = 0;
        buf.len = 0;
        sup_assert_rc(sk_receive(d, &buf, SK_LINE, 0), 0);
        sup_assert_rc(sk_receiveline(b, &line, &len), 0);
        assert_int_equal(len, buf.len);
        if (len > 0)
            assert_memory_equal(line, buf.data, len);
    }
    assert_int_equal(sk_dirty(b), 0);
    assert_int_equal(sk_dirty(d), 0);
    sk_buf_free(&buf);
    sk_free(a);
    sk_free(b);
    sk_free(c);
    sk_free(d);
}

/* A line in pieces: each wait times out with nothing handed out and the
 * pieces kept; the buffered start does not make the object dirty or
 * selectable until more arrives; then the whole line, every byte once. */
static void t_split_and_timeout(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    uint64_t rx = 0;
    (void)state;
    sup_pair(&a, &b);
    sup_send_str(a, "first\nhel");
    sup_wait_readable(b);
    expect_view(b, "first");
    /* "hel" may be buffered already: either way no whole line. */
    expect_timeout_now(b);
    assert_int_equal(sk_dirty(b), 0);
    expect_not_selected(b);
    sup_send_str(a, "lo\r");
    sup_wait_readable(b);
    expect_timeout_now(b);
    assert_int_equal(sk_dirty(b), 0);
    sup_send_str(a, "\nwor");
    sup_wait_readable(b);
    expect_view(b, "hello");
    expect_timeout_now(b);
    sup_send_str(a, "ld\n");
    expect_view(b, "world");
    sup_assert_rc(sk_getstats(b, &rx, NULL, NULL), 0);
    assert_int_equal(rx, 6 + 3 + 3 + 4 + 3);
    sk_free(a);
    sk_free(b);
}

/* Non-blocking mode: SK_EWOULDBLOCK, nothing lost. */
static void t_nonblocking(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    (void)state;
    sup_pair(&a, &b);
    sup_assert_rc(sk_setblocking(b, 0), 0);
    expect_none(b, SK_EWOULDBLOCK);
    sup_send_str(a, "par");
    sup_wait_readable(b);
    expect_none(b, SK_EWOULDBLOCK);
    sup_send_str(a, "tial\n");
    sup_wait_readable(b);
    expect_view(b, "partial");
    expect_none(b, SK_EWOULDBLOCK);
    sk_free(a);
    sk_free(b);
}

/* The peer closes mid-line: that line with SK_ECLOSED, then SK_ECLOSED. */
static void t_closed_mid_line(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    const char *line = NULL;
    size_t len = 0;
    (void)state;
    sup_pair(&a, &b);
    sup_send_str(a, "whole\nla\rst");
    sup_assert_rc(sk_close(a), 0);
    expect_view(b, "whole");
    sup_assert_rc(sk_receiveline(b, &line, &len), SK_ECLOSED);
    assert_non_null(line);
    assert_int_equal(len, 4);
    assert_memory_equal(line, "last", 4);
    assert_int_equal(line[4], '\0');
    expect_none(b, SK_ECLOSED);
    expect_none(b, SK_ECLOSED);
    sk_free(a);
    sk_free(b);

    /* Only CRs before the close: an empty last line, not NULL. */
    sup_pair(&a, &b);
    sup_send_str(a, "\r\r");
    sup_assert_rc(sk_close(a), 0);
    line = NULL;
    len = 9;
    sup_assert_rc(sk_receiveline(b, &line, &len), SK_ECLOSED);
    assert_non_null(line);
    assert_int_equal(len, 0);
    assert_int_equal(line[0], '\0');
    expect_none(b, SK_ECLOSED);
    sk_free(a);
    sk_free(b);

    /* A clean end: no last line. */
    sup_pair(&a, &b);
    sup_send_str(a, "x\n");
    sup_assert_rc(sk_close(a), 0);
    expect_view(b, "x");
    expect_none(b, SK_ECLOSED);
    sk_free(a);
    sk_free(b);
}

/* Over the line limit: SK_ETOOLONG with the limit's worth as the view,
 * the rest for the next call, as SK_LINE. */
static void t_line_limit(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    const char *line = NULL;
    size_t len = 0;
    (void)state;
    sup_pair(&a, &b);
    sup_assert_rc(sk_setlinelimit(b, 4), 0);
    sup_send_str(a, "abcdefg\nhi\na\rb\rcdef\nabcd\r\n");
    sup_assert_rc(sk_receiveline(b, &line, &len), SK_ETOOLONG);
    assert_int_equal(len, 4);
    assert_memory_equal(line, "abcd", 4);
    expect_view(b, "efg");
    expect_view(b, "hi");
    sup_assert_rc(sk_receiveline(b, &line, &len), SK_ETOOLONG);
    assert_int_equal(len, 4);
    assert_memory_equal(line, "abcd", 4);
    expect_view(b, "ef");
    expect_view(b, "abcd"); /* exactly the limit */
    sk_free(a);
    sk_free(b);

    /* Over the limit before the LF has arrived. */
    sup_pair(&a, &b);
    sup_assert_rc(sk_setlinelimit(b, 3), 0);
    sup_send_str(a, "12345");
    sup_wait_readable(b);
    sup_assert_rc(sk_receiveline(b, &line, &len), SK_ETOOLONG);
    assert_int_equal(len, 3);
    assert_memory_equal(line, "123", 3);
    expect_timeout_now(b);
    sup_send_str(a, "\n");
    expect_view(b, "45");
    sk_free(a);
    sk_free(b);
}

/* A line whose bytes fill the whole receive buffer: SK_ETOOLONG with the
 * part that fit, then the rest; together they are the line. */
static void t_buffer_bound(void **state)
{
    const size_t n = 40000;
    char *data = (char *)malloc(n + 1);
    sk_sock *a = NULL, *b = NULL;
    sup_sender snd;
    size_t have = 0, i, chunks = 0;
    int r = SK_ETOOLONG;
    (void)state;
    assert_non_null(data);
    for (i = 0; i < n; i++)
        data[i] = (char)('a' + i % 26);
    data[n] = '\n';
    sup_pair(&a, &b);
    sup_sender_start(&snd, a, data, n + 1, 0);
    for (i = 0; i < 16 && r == SK_ETOOLONG; i++) { /* bounded */
        const char *line = NULL;
        size_t len = 0;
        r = sk_receiveline(b, &line, &len);
        assert_true(r == 0 || r == SK_ETOOLONG);
        assert_true(have + len <= n);
        assert_memory_equal(line, data + have, len);
        if (r == SK_ETOOLONG)
            assert_true(len > 0);
        have += len;
        chunks++;
    }
    sup_sender_join(&snd);
    sup_assert_rc(r, 0);
    assert_int_equal(have, n);
    print_message("a %u-byte line came in %u views\n", (unsigned)n,
                  (unsigned)chunks);
    assert_true(chunks >= 3); /* at most 16 KiB a view */
    free(data);
    sk_free(a);
    sk_free(b);
}

/* Mixed with sk_receive and sk_read: the stream's order, CRs kept for
 * the byte calls. */
static void t_mixing(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    sk_buf buf = {NULL, 0, 0};
    char raw[16];
    size_t got = 0;
    (void)state;
    sup_pair(&a, &b);
    sup_send_str(a, "l1\nl2\r\nrest-bytes\nl4\n");
    expect_view(b, "l1");
    sup_assert_rc(sk_receive(b, &buf, SK_LINE, 0), 0);
    sup_assert_bufstr(&buf, "l2");
    sup_assert_rc(sk_read(b, raw, 4, &got), 0);
    assert_int_equal(got, 4);
    assert_memory_equal(raw, "rest", 4);
    expect_view(b, "-bytes");
    buf.len = 0;
    sup_assert_rc(sk_receive(b, &buf, SK_LINE, 0), 0);
    sup_assert_bufstr(&buf, "l4");

    /* A partial line left by a timeout goes to the byte calls intact. */
    sup_send_str(a, "a\rc");
    sup_wait_readable(b);
    expect_timeout_now(b);
    sup_assert_rc(sk_read(b, raw, sizeof raw, &got), 0);
    assert_int_equal(got, 3);
    assert_memory_equal(raw, "a\rc", 3);
    sup_send_str(a, "xy\r");
    sup_wait_readable(b);
    expect_timeout_now(b);
    buf.len = 0;
    sup_send_str(a, "z\n");
    sup_assert_rc(sk_receive(b, &buf, SK_LINE, 0), 0);
    sup_assert_bufstr(&buf, "xyz");
    sup_send_str(a, "q\n");
    buf.len = 0;
    sup_assert_rc(sk_receive(b, &buf, SK_BYTES, 2), 0);
    sup_assert_bufstr(&buf, "q\n");
    sk_buf_free(&buf);
    sk_free(a);
    sk_free(b);
}

/* A view stays valid (and unchanged) until the next call on the object,
 * even when it was the last buffered line; calls that do not receive
 * leave it alone. */
static void t_view_lifetime(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    const char *l1 = NULL, *l2 = NULL;
    size_t n1 = 0, n2 = 0;
    uint64_t rx = 0;
    (void)state;
    sup_pair(&a, &b);
    sup_send_str(a, "alpha\nbeta\n");
    sup_assert_rc(sk_receiveline(b, &l1, &n1), 0);
    assert_int_equal(sk_dirty(b), 1);
    expect_selected(b); /* "beta" is buffered */
    sup_assert_rc(sk_getstats(b, &rx, NULL, NULL), 0);
    assert_int_equal(rx, 11);
    assert_int_equal(n1, 5);
    assert_string_equal(l1, "alpha");
    sup_assert_rc(sk_receiveline(b, &l2, &n2), 0);
    assert_int_equal(sk_dirty(b), 0);
    /* the last buffered line: the buffer is kept for it */
    sup_send_str(a, "more\n");
    sup_wait_readable(b);
    assert_string_equal(l2, "beta");
    assert_int_equal(n2, 4);
    expect_view(b, "more");
    sk_free(a);
    sk_free(b);
}

/* The calls it shares its errors with. */
static void t_errors(void **state)
{
    sk_sock *m = NULL, *a = NULL, *b = NULL;
    const char *line = "junk";
    size_t len = 5;
    (void)state;
    sup_assert_rc(sk_tcp4(&m), 0);
    expect_none(m, SK_EWRONGROLE);
    sup_assert_rc(sk_close(m), 0);
    expect_none(m, SK_ECLOSED);
    sk_free(m);
    expect_none(NULL, SK_EINVAL);
    sup_pair(&a, &b);
    sup_assert_rc(sk_receiveline(b, NULL, &len), SK_EINVAL);
    assert_int_equal(len, 0);
    sup_assert_rc(sk_receiveline(b, &line, NULL), SK_EINVAL);
    assert_null(line);
    sup_send_str(a, "ok\n");
    expect_view(b, "ok");
    sk_free(a);
    sk_free(b);
}

/* Many lines through several buffer fills, written in odd-sized pieces
 * by a peer thread: every line once, in order. */
static void t_many_lines(void **state)
{
    const unsigned count = 5000;
    size_t cap = (size_t)count * 16, n = 0;
    char *data = (char *)malloc(cap);
    sk_sock *a = NULL, *b = NULL;
    sup_sender snd;
    unsigned i;
    (void)state;
    assert_non_null(data);
    for (i = 0; i < count; i++) {
        int k = i % 3 ? snprintf(data + n, cap - n, "%u\n", i)
                      : snprintf(data + n, cap - n, "%u\r\n", i);
        assert_true(k > 0 && (size_t)k < cap - n);
        n += (size_t)k;
    }
    sup_pair(&a, &b);
    sup_sender_start(&snd, a, data, n, 1);
    for (i = 0; i < count; i++) {
        const char *line = NULL;
        size_t len = 0;
        char want[16];
        snprintf(want, sizeof want, "%u", i);
        sup_assert_rc(sk_receiveline(b, &line, &len), 0);
        assert_int_equal(len, strlen(want));
        assert_string_equal(line, want);
    }
    expect_none(b, SK_ECLOSED);
    sup_sender_join(&snd);
    free(data);
    sk_free(a);
    sk_free(b);
}

/* ---- the LF search at every offset (scan.h) ----------------------------
 * Lines of 0..40 bytes after a first line of 0..17 bytes, so that LFs land
 * at every offset of a sixteen-byte step and of the buffer, with bytes
 * that trip a careless word-at-a-time search (0x0b, 0x8a, 0x00, 0xff next
 * to the LF), CR LF ends and CRs inside; read by sk_receiveline and by
 * SK_LINE, with and without a line limit, against a model of the rule:
 * every CR dropped, a line over the limit handed out in pieces of the
 * limit (SK_ETOOLONG) and its rest. */

#define SCAN_TEXT_MAX 4096

/* The test text for first-line length k; returns its length. */
static size_t scan_text(char *t, size_t k)
{
    static const unsigned char pal[] = {'a', 0x0b, 0x8a, 0x00, 0xff,
                                        0x09, 'z', 0x7f, 0x80, 0x0d};
    size_t n = 0, len, j;
    for (j = 0; j < k; j++)
        t[n++] = (char)('0' + j % 10);
    if (k > 0)
        t[n++] = '\n';
    for (len = 0; len <= 40; len++) {
        for (j = 0; j < len; j++) {
            unsigned char c = pal[(len * 7 + j) % sizeof pal];
            if (c == 0x0d && len % 7 != 3)
                c = 0x0b; /* CRs inside some lines only */
            t[n++] = (char)c;
        }
        if (len % 5 == 1)
            t[n++] = '\r';
        t[n++] = '\n';
    }
    assert_true(n <= SCAN_TEXT_MAX);
    return n;
}

/* The next answer of the model for text t (n bytes) from *at on, with line
 * limit lim (0: none) and *carry kept bytes of the current line handed out
 * already: its code, its bytes (CRs dropped) in out, their count in *olen.
 * Returns SK_ECLOSED at the end. */
static int scan_model(const char *t, size_t n, size_t *at, size_t lim,
                      char *out, size_t *olen)
{
    size_t i = *at, k = 0;
    *olen = 0;
    if (i >= n)
        return SK_ECLOSED;
    for (; i < n && t[i] != '\n'; i++) {
        if (t[i] == '\r')
            continue;
        if (lim > 0 && k == lim) { /* a byte over the limit: stop before */
            *at = i;
            *olen = k;
            return SK_ETOOLONG;
        }
        out[k++] = t[i];
    }
    assert_true(i < n); /* every test line ends in LF */
    *at = i + 1;
    *olen = k;
    return 0;
}

/* Read every line of t (n bytes, then the peer's close) from b, by
 * sk_receiveline (view) or SK_LINE, checking each against the model. */
static void scan_read_all(sk_sock *b, const char *t, size_t n, size_t lim,
                          int view)
{
    static char want[SCAN_TEXT_MAX];
    sk_buf buf = {NULL, 0, 0};
    size_t at = 0, wlen = 0, calls;
    for (calls = 0; calls < 2 * SCAN_TEXT_MAX; calls++) { /* bounded */
        int w = scan_model(t, n, &at, lim, want, &wlen), r;
        const char *got;
        size_t glen;
        got = NULL;
        glen = 99;
        r = line_either(b, view, &buf, &got, &glen);
        sup_assert_rc(r, w);
        assert_int_equal(glen, wlen);
        if (wlen > 0)
            assert_memory_equal(got, want, wlen);
        if (w == SK_ECLOSED)
            break;
        if (w == 0 || !view) /* (an SK_ETOOLONG view has no NUL) */
            assert_int_equal(got[glen], '\0');
    }
    assert_true(calls < 2 * SCAN_TEXT_MAX);
    sk_buf_free(&buf);
}

static void t_lf_offsets(void **state)
{
    static char text[SCAN_TEXT_MAX];
    size_t k, n;
    int view, lim;
    (void)state;
    for (k = 0; k <= 17; k++) {
        n = scan_text(text, k);
        for (view = 0; view <= 1; view++) {
            for (lim = 0; lim <= 20; lim += 20) {
                sk_sock *a = NULL, *b = NULL;
                sup_pair(&a, &b);
                if (lim > 0)
                    sup_assert_rc(sk_setlinelimit(b, (size_t)lim), 0);
                sup_send_all(a, text, n);
                sup_assert_rc(sk_close(a), 0);
                sup_wait_readable(b);
                scan_read_all(b, text, n, (size_t)lim, view);
                sk_free(a);
                sk_free(b);
            }
        }
    }
}

/* A full receive buffer's worth of 64-byte lines (16 KiB, the last LF its
 * last byte when one read takes it all) and then a line longer than the
 * buffer: every line whole, the long one in pieces, by both readers. */
static void t_lf_buffer_end(void **state)
{
    const size_t full = 16384, lines = full / 64, longer = 20000;
    size_t n = full + longer + 1, i;
    char *t = (char *)malloc(n);
    int view;
    (void)state;
    assert_non_null(t);
    for (i = 0; i < full; i++)
        t[i] = (i % 64 == 63) ? '\n' : (char)('a' + (i / 64) % 26);
    for (i = full; i < n - 1; i++)
        t[i] = (char)('A' + i % 26);
    t[n - 1] = '\n';
    for (view = 0; view <= 1; view++) {
        sk_sock *a = NULL, *b = NULL;
        sk_buf buf = {NULL, 0, 0};
        sup_sender snd;
        size_t have = 0, calls;
        int r = SK_ETOOLONG;
        sup_pair(&a, &b);
        sup_sender_start(&snd, a, t, n, 0);
        for (i = 0; i < lines; i++) {
            const char *line = NULL;
            size_t len = 0;
            sup_assert_rc(line_either(b, view, &buf, &line, &len), 0);
            assert_int_equal(len, 63);
            assert_memory_equal(line, t + i * 64, 63);
        }
        /* The long line: SK_LINE takes it whole; the view comes in pieces
         * of at most the buffer, which together are the line. */
        for (calls = 0; calls < 16 && r == SK_ETOOLONG; calls++) {
            const char *line = NULL;
            size_t len = 0;
            r = line_either(b, view, &buf, &line, &len);
            assert_true(r == 0 || r == SK_ETOOLONG);
            assert_true(have + len <= longer);
            assert_memory_equal(line, t + full + have, len);
            have += len;
        }
        sup_assert_rc(r, 0);
        assert_int_equal(have, longer);
        sup_sender_join(&snd);
        sk_buf_free(&buf);
        sk_free(a);
        sk_free(b);
    }
    free(t);
}

/* UNIX-domain stream clients read lines the same way. */
static void t_unix(void **state)
{
    char dir[512], path[600];
    sk_sock *srv = NULL, *cli = NULL, *acc = NULL;
    int r;
    (void)state;
    r = sk_unix(&srv);
    if (r == SK_EUNSUPPORTED) {
        print_message("sk_unix: SK_EUNSUPPORTED (no AF_UNIX here): "
                      "UNIX part skipped\n");
        return;
    }
    sup_assert_rc(r, 0);
    sup_tempdir(dir, sizeof dir);
    r = snprintf(path, sizeof path, "%s" SUP_SEP "lines.sock", dir);
    assert_true(r > 0 && (size_t)r < sizeof path);
    sup_assert_rc(sk_settimeout(srv, SUP_SAFETY_TIMEOUT, 'b'), 0);
    sup_assert_rc(sk_bind(srv, path, 0), 0);
    sup_assert_rc(sk_listen(srv, 4), 0);
    sup_assert_rc(sk_unix(&cli), 0);
    sup_assert_rc(sk_settimeout(cli, SUP_SAFETY_TIMEOUT, 'b'), 0);
    sup_assert_rc(sk_connect(cli, path, 0), 0);
    sup_assert_rc(sk_accept(srv, &acc, NULL), 0);
    sup_assert_rc(sk_settimeout(acc, SUP_SAFETY_TIMEOUT, 'b'), 0);
    sup_send_str(cli, "unix\r\nli");
    expect_view(acc, "unix");
    expect_timeout_now(acc);
    sup_send_str(cli, "ne\n");
    expect_view(acc, "line");
    sup_assert_rc(sk_close(cli), 0);
    expect_none(acc, SK_ECLOSED);
    sk_free(acc);
    sk_free(cli);
    sk_free(srv);
    sup_rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_crs_and_empty_lines),
        cmocka_unit_test(t_same_as_sk_line),
        cmocka_unit_test(t_split_and_timeout),
        cmocka_unit_test(t_nonblocking),
        cmocka_unit_test(t_closed_mid_line),
        cmocka_unit_test(t_line_limit),
        cmocka_unit_test(t_buffer_bound),
        cmocka_unit_test(t_mixing),
        cmocka_unit_test(t_view_lifetime),
        cmocka_unit_test(t_errors),
        cmocka_unit_test(t_many_lines),
        cmocka_unit_test(t_lf_offsets),
        cmocka_unit_test(t_lf_buffer_end),
        cmocka_unit_test(t_unix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
