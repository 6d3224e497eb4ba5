/* SPDX-License-Identifier: MIT */
/*
 * test_threads.c - the thread-safety promise of docs/thread-safety.md: one
 * thread sends (sk_send, sk_sendv, then sk_shutdown(SK_SHUT_SEND)) while
 * another receives (sk_read, sk_receive, sk_receiveline, sk_dirty) on the
 * SAME client object, and both call sk_syserror.  A third thread echoes
 * everything back from the other end, so the receiving thread gets the
 * sender's bytes, checked one by one, and then the end of stream that the
 * sender's shutdown caused.  Run under ThreadSanitizer (ci/test's tsan lane)
 * this is the proof that the two sides share no memory they both write.
 * SOCKIT_TEST_THREADS_KIB sets the size (default 4096 KiB).
 */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PIECE 7000 /* send pieces of up to this (not a buffer multiple) */

struct shared {
    sk_sock *s;                /* the object both threads use */
    const unsigned char *data; /* what the sender sends */
    size_t len;
    int lines;                 /* data is LF-terminated lines */
    /* the sender's results, read after the join */
    int send_rc;
    int shut_rc;
    size_t sent;
};

struct echo {
    sk_sock *s; /* the other end, used by the echo thread alone */
    int rc;     /* 0: echoed to the end and shut down */
    size_t bytes;
};

/* The sending side: pieces of varying size, alternately through sk_send and
 * sk_sendv, then shut the sending side down. */
static void sender(void *arg)
{
    struct shared *sh = (struct shared *)arg;
    size_t off = 0, k = 0;
    int r = 0;

    while (off < sh->len && r == 0) {
        size_t n = 1 + (k * 977) % PIECE;
        if (n > sh->len - off)
            n = sh->len - off;
        if (k % 2 == 0) {
            ptrdiff_t last = 0;
            r = sk_send(sh->s, sh->data + off, n, 1, -1, &last);
            off += (size_t)last;
        } else {
            sk_iovec iov[2];
            size_t half = n / 2, sent = 0;
            iov[0].data = sh->data + off;
            iov[0].len = half;
            iov[1].data = sh->data + off + half;
            iov[1].len = n - half;
            r = sk_sendv(sh->s, iov, 2, &sent);
            off += sent;
        }
        (void)sk_syserror(sh->s); /* any time, from either side */
        k++;
    }
    sh->send_rc = r;
    sh->sent = off;
    sh->shut_rc = sk_shutdown(sh->s, SK_SHUT_SEND);
}

/* The far end: send back whatever arrives, then shut down when the sender's
 * end of stream arrives. */
static void echo(void *arg)
{
    struct echo *e = (struct echo *)arg;
    static char buf[32768];
    int r;

    for (;;) {
        size_t got = 0;
        r = sk_read(e->s, buf, sizeof buf, &got);
        if (r != 0)
            break;
        r = sk_send(e->s, buf, got, 1, -1, NULL);
        if (r != 0)
            break;
        e->bytes += got;
    }
    e->rc = r == SK_ECLOSED ? sk_shutdown(e->s, SK_SHUT_SEND) : r;
}

static unsigned char *make_data(size_t len, int lines)
{
    unsigned char *d = (unsigned char *)malloc(len);
    uint64_t st = 12345;
    size_t i;

    assert_non_null(d);
    sup_fill(&st, d, len);
    if (lines) { /* lines of 0..199 printable bytes, no CR */
        for (i = 0; i < len; i++)
            d[i] = (unsigned char)('a' + d[i] % 26);
        for (i = 0; i < len; i += 1 + (i * 31) % 200)
            d[i] = '\n';
        d[len - 1] = '\n';
    }
    return d;
}

/* The receiving side (this thread), by whole bytes: sk_read, sk_receive
 * (SK_SOME, SK_BYTES) and sk_dirty in turn; every byte compared. */
static void receive_bytes(struct shared *sh)
{
    static unsigned char buf[20000];
    sk_buf b = {NULL, 0, 0};
    size_t at = 0, k = 0;
    int r = 0;

    while (r == 0) {
        size_t got = 0;
        switch (k++ % 3) {
        case 0:
            r = sk_read(sh->s, buf, 1 + (k * 131) % sizeof buf, &got);
            if (got > 0) {
                assert_true(at + got <= sh->len);
                assert_memory_equal(buf, sh->data + at, got);
            }
            break;
        case 1:
        case 2:
            b.len = 0;
            r = sk_receive(sh->s, &b, k % 3 == 1 ? SK_SOME : SK_BYTES,
                           1 + (k * 59) % 3000);
            got = b.len;
            if (got > 0) {
                assert_true(at + got <= sh->len);
                assert_memory_equal(b.data, sh->data + at, got);
            }
            break;
        }
        at += got;
        (void)sk_dirty(sh->s);
        (void)sk_syserror(sh->s);
    }
    sup_assert_rc(r, SK_ECLOSED);
    assert_int_equal(at, sh->len);
    sk_buf_free(&b);
}

/* The receiving side by lines: sk_receive(SK_LINE) and sk_receiveline. */
static void receive_lines(struct shared *sh)
{
    sk_buf b = {NULL, 0, 0};
    size_t at = 0, k = 0;
    int r = 0;

    while (r == 0) {
        const char *line = NULL;
        size_t len = 0;
        if (k++ % 2 == 0) {
            b.len = 0;
            r = sk_receive(sh->s, &b, SK_LINE, 0);
            line = b.data;
            len = b.len;
        } else {
            r = sk_receiveline(sh->s, &line, &len);
        }
        if (r != 0)
            break;
        assert_true(at + len + 1 <= sh->len);
        if (len > 0)
            assert_memory_equal(line, sh->data + at, len);
        assert_int_equal(sh->data[at + len], '\n');
        at += len + 1;
        (void)sk_dirty(sh->s);
    }
    sup_assert_rc(r, SK_ECLOSED);
    assert_int_equal(at, sh->len);
    sk_buf_free(&b);
}

static void run(int lines)
{
    sk_sock *a = NULL, *b = NULL;
    struct shared sh;
    struct echo e;
    sup_thread *ts, *te;
    size_t len = sup_env_size("SOCKIT_TEST_THREADS_KIB", 4096) * 1024;

    memset(&sh, 0, sizeof sh);
    memset(&e, 0, sizeof e);
    sup_pair(&a, &b);
    sh.s = a;
    sh.len = len;
    sh.lines = lines;
    sh.data = make_data(len, lines);
    e.s = b;
    te = sup_thread_start(echo, &e);
    ts = sup_thread_start(sender, &sh);
    if (lines)
        receive_lines(&sh);
    else
        receive_bytes(&sh);
    sup_thread_join(ts);
    sup_thread_join(te);
    sup_assert_rc(sh.send_rc, 0);
    sup_assert_rc(sh.shut_rc, 0);
    assert_int_equal(sh.sent, len);
    sup_assert_rc(e.rc, 0);
    assert_int_equal(e.bytes, len);
    free((void *)sh.data);
    sk_free(a);
    sk_free(b);
}

/* Bytes through sk_read / sk_receive while another thread sends. */
static void test_send_while_receive(void **state)
{
    (void)state;
    run(0);
}

/* Lines (the receive buffer and its line state) while another thread
 * sends and shuts its side down. */
static void test_send_while_receive_lines(void **state)
{
    (void)state;
    run(1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_send_while_receive),
        cmocka_unit_test(test_send_while_receive_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
