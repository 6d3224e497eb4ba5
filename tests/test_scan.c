/* SPDX-License-Identifier: MIT */
/*
 * test_scan.c - the line readers' LF search (src/scan.h) alone, both of
 * its forms (sixteen bytes a step where SSE2 is there, eight in a
 * uint64_t everywhere), against a byte loop: every start, every LF
 * position and none, in buffers of every size from the smallest each
 * allows, with the neighbour bytes that trip a careless word-at-a-time
 * search (a borrow from the LF's byte, 0x8a, 0x00, 0xff) and LFs before
 * the start.  Each buffer is a block of its exact size, so that ASan and
 * valgrind see any read past its end.  Run on big-endian s390x too.
 */
#include "support.h"

#include "scan.h"

#include <stdlib.h>
#include <string.h>

/* The first LF of b[i..n), or SK__LF_NONE. */
static size_t slow_index(const char *b, size_t i, size_t n)
{
    for (; i < n; i++)
        if (b[i] == '\n')
            return i;
    return SK__LF_NONE;
}

/* Every start i and LF position (or none) in a block of n bytes filled
 * with fill (index -> byte), both forms (the SIMD one from
 * SK__LF_REACH bytes on). */
static void check_size(size_t n, unsigned char (*fill)(size_t))
{
    char *b = (char *)malloc(n);
    size_t i, j, k;
    assert_non_null(b);
    for (j = 0; j <= n; j++) {      /* j == n: no LF at all */
        for (k = 0; k < n; k++) {
            b[k] = (char)fill(k);
            if (b[k] == '\n')
                b[k] = 'x';
        }
        if (j < n)
            b[j] = '\n';
        for (i = 0; i <= n; i++) {
            char keep = i > 0 ? b[i - 1] : 0;
            size_t want;
            if (i > 0)
                b[i - 1] = '\n'; /* an LF just before the start */
            want = slow_index(b, i, n);
            if (n >= 8)
                assert_int_equal(sk__lf_index_swar(b, i, n), want);
            if (n >= SK__LF_REACH)
                assert_int_equal(sk__lf_index(b, i, n), want);
            if (i > 0)
                b[i - 1] = keep;
        }
    }
    free(b);
}

static unsigned char fill_plain(size_t k)
{
    return (unsigned char)('a' + k % 26);
}

/* Bytes one above or below LF, LF with the top bit, NUL, 0xff, CR. */
static unsigned char fill_tricky(size_t k)
{
    static const unsigned char t[] = {0x0b, 0x09, 0x8a, 0x00, 0xff,
                                      0x0d, 0x01, 0x80, 0x0b, 0x7f, 0x0b};
    return t[k % sizeof t];
}

static unsigned char fill_eleven(size_t k)
{
    (void)k;
    return 0x0b; /* a borrow from an LF's byte turns 0x0b into a hit */
}

static void t_every_position(void **state)
{
    size_t n;
    (void)state;
    for (n = 8; n <= 72; n++) {
        check_size(n, fill_plain);
        check_size(n, fill_tricky);
        check_size(n, fill_eleven);
    }
}

/* Several LFs: the first after the start is the answer, in every form. */
static void t_first_of_many(void **state)
{
    char b[64];
    size_t i;
    (void)state;
    memset(b, '\n', sizeof b);
    for (i = 0; i <= sizeof b; i++) {
        size_t want = i < sizeof b ? i : SK__LF_NONE;
        assert_int_equal(sk__lf_index_swar(b, i, sizeof b), want);
        assert_int_equal(sk__lf_index(b, i, sizeof b), want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_every_position),
        cmocka_unit_test(t_first_of_many),
    };
    print_message("LF search: %s\n",
                  SK__SCAN_SSE2 ? "SSE2 and SWAR" : "SWAR only");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
