/* SPDX-License-Identifier: MIT */
/*
 * test_bulk.c - a large transfer each way at once (64 MiB by default;
 * SOCKIT_TEST_BULK_MIB shrinks it, e.g. for valgrind), checked by byte
 * count and checksum.  One thread drives both ends with timeout 0,
 * waiting in sk_select whenever neither end can make progress.  One end
 * reads with sk_read, the other with sk_receive(SK_SOME).
 */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK (64 * 1024)

struct end {
    sk_sock *s;
    int use_read;             /* sk_read, else sk_receive(SK_SOME) */
    uint64_t seed;
    unsigned char *chunk;     /* the chunk being sent */
    size_t chunk_len;
    ptrdiff_t chunk_last;     /* *last within the chunk */
    size_t sent;              /* bytes of completed chunks */
    uint64_t hash_sent;
    size_t received;
    uint64_t hash_received;
    unsigned char *rbuf;
    sk_buf buf;
};

static void end_init(struct end *e, sk_sock *s, int use_read, uint64_t seed)
{
    memset(e, 0, sizeof *e);
    e->s = s;
    e->use_read = use_read;
    e->seed = seed;
    e->chunk = (unsigned char *)malloc(CHUNK);
    e->rbuf = (unsigned char *)malloc(CHUNK);
    assert_non_null(e->chunk);
    assert_non_null(e->rbuf);
    e->hash_sent = SUP_HASH_INIT;
    e->hash_received = SUP_HASH_INIT;
    sup_assert_rc(sk_settimeout(s, 0, 'b'), 0);
}

static void end_free(struct end *e)
{
    free(e->chunk);
    free(e->rbuf);
    sk_buf_free(&e->buf);
}

/* One non-blocking send step; returns the bytes it moved. */
static size_t send_step(struct end *e, size_t total)
{
    ptrdiff_t before;
    int rc;
    if (e->sent >= total)
        return 0;
    if (e->chunk_len == 0) {
        size_t n = total - e->sent < CHUNK ? total - e->sent : CHUNK;
        sup_fill(&e->seed, e->chunk, n);
        e->hash_sent = sup_hash(e->hash_sent, e->chunk, n);
        e->chunk_len = n;
        e->chunk_last = 0;
    }
    before = e->chunk_last;
    rc = sk_send(e->s, e->chunk, e->chunk_len, e->chunk_last + 1, -1,
                 &e->chunk_last);
    if (rc != 0 && rc != SK_ETIMEOUT) {
        print_error("bulk send: %s after %lu bytes\n", sk_errname(rc),
                    (unsigned long)(e->sent + (size_t)before));
        fail();
    }
    assert_true(e->chunk_last >= before &&
                e->chunk_last <= (ptrdiff_t)e->chunk_len);
    if (rc == 0)
        assert_int_equal(e->chunk_last, (ptrdiff_t)e->chunk_len);
    if (e->chunk_last == (ptrdiff_t)e->chunk_len) {
        e->sent += e->chunk_len;
        e->chunk_len = 0;
    }
    return (size_t)(e->chunk_last - before);
}

/* Non-blocking receive steps until nothing is available (bounded). */
static size_t recv_steps(struct end *e)
{
    size_t moved = 0;
    int k, rc;
    for (k = 0; k < 64; k++) {
        size_t got = 0;
        if (e->use_read) {
            rc = sk_read(e->s, e->rbuf, CHUNK, &got);
            if (rc == 0)
                e->hash_received = sup_hash(e->hash_received, e->rbuf, got);
        } else {
            e->buf.len = 0;
            rc = sk_receive(e->s, &e->buf, SK_SOME, CHUNK);
            got = e->buf.len;
            if (rc == 0) {
                assert_true(got > 0 && got <= CHUNK);
                e->hash_received =
                    sup_hash(e->hash_received, e->buf.data, got);
            } else {
                assert_int_equal(got, 0);
            }
        }
        if (rc == SK_ETIMEOUT)
            break;
        if (rc != 0) {
            print_error("bulk receive: %s after %lu bytes\n", sk_errname(rc),
                        (unsigned long)e->received);
            fail();
        }
        e->received += got;
        moved += got;
    }
    return moved;
}

static void t_bulk_both_ways(void **state)
{
    size_t mib = sup_env_size("SOCKIT_TEST_BULK_MIB", 64);
    size_t total = mib * 1024 * 1024;
    sk_sock *a = NULL, *b = NULL;
    struct end ea, eb;
    unsigned long iter, max_iter;
    uint64_t rx = 0, tx = 0;
    sk_buf tail = {NULL, 0, 0};
    (void)state;

    print_message("bulk transfer: %lu MiB each way\n", (unsigned long)mib);
    sup_pair(&a, &b);
    end_init(&ea, a, 1, UINT64_C(0xa11ce));
    end_init(&eb, b, 0, UINT64_C(0xb0b));

    /* Every iteration either moves bytes or waits in sk_select until one
     * end can; the bound is far above what any working library needs. */
    max_iter = (unsigned long)(total / 16) + 100000;
    for (iter = 0; iter < max_iter; iter++) {
        size_t moved = 0;
        if (ea.received == total && eb.received == total &&
            ea.sent == total && eb.sent == total)
            break;
        moved += send_step(&ea, total);
        moved += send_step(&eb, total);
        moved += recv_steps(&ea);
        moved += recv_steps(&eb);
        assert_true(ea.received <= total && eb.received <= total);
        if (moved == 0) {
            sk_sock *rset[2], *wset[2], *rout[2], *wout[2];
            size_t nw = 0, nr = 0, nro = 0, nwo = 0;
            rset[nr++] = a;
            rset[nr++] = b;
            if (ea.sent < total)
                wset[nw++] = a;
            if (eb.sent < total)
                wset[nw++] = b;
            sup_assert_rc(sk_select(rset, nr, wset, nw, SUP_SAFETY_TIMEOUT,
                                    rout, &nro, wout, &nwo),
                          0);
            assert_true(nro + nwo > 0);
        }
    }
    if (iter == max_iter) {
        print_error("bulk transfer did not finish in %lu steps: a sent %lu "
                    "received %lu, b sent %lu received %lu\n", max_iter,
                    (unsigned long)ea.sent, (unsigned long)ea.received,
                    (unsigned long)eb.sent, (unsigned long)eb.received);
        fail();
    }
    assert_int_equal(ea.received, total);
    assert_int_equal(eb.received, total);
    assert_true(eb.hash_received == ea.hash_sent);
    assert_true(ea.hash_received == eb.hash_sent);

    sup_assert_rc(sk_getstats(a, &rx, &tx, NULL), 0);
    assert_true(rx == (uint64_t)total && tx == (uint64_t)total);
    sup_assert_rc(sk_getstats(b, &rx, &tx, NULL), 0);
    assert_true(rx == (uint64_t)total && tx == (uint64_t)total);

    /* Exactly total bytes: after a shutdown the next read is the end. */
    sup_assert_rc(sk_shutdown(a, SK_SHUT_SEND), 0);
    sup_assert_rc(sk_settimeout(b, SUP_SAFETY_TIMEOUT, 'b'), 0);
    sup_assert_rc(sk_receive(b, &tail, SK_SOME, 0), SK_ECLOSED);
    assert_int_equal(tail.len, 0);
    sk_buf_free(&tail);

    end_free(&ea);
    end_free(&eb);
    sk_free(a);
    sk_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_bulk_both_ways),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
