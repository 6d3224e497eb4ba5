/* SPDX-License-Identifier: MIT */
/*
 * fuzz_receive.c - libFuzzer target for sockit's receive engine (and
 * sk_send's partial progress), run against the scripted fake backend
 * (fake_plat.c) so that the real src/buffer.c, src/io.c, src/client.c ...
 * execute with no network at all.
 *
 * Input format (every byte string is valid; missing bytes read as 0):
 *   byte 0      flags: bits 0-1 how the stream ends (0,3 SK_ECLOSED,
 *               1 SK_ECONNRESET, 2 SK_ETIMEOUT); bits 2-4 connect mode
 *               (FAKE_CONN_*, modulo 6); bits 5-6 the object (0 sk_tcp4 to
 *               127.0.0.1, 1 sk_tcp6 to ::1, 2 sk_tcp to ::1, 3 sk_tcp to
 *               127.0.0.1); bit 7: start with line limit 1 + (bits 0-2)
 *   byte 1      number of operations (mod 32, plus 1)
 *   8 bytes     per operation: code, then parameters (see run_op)
 *   the rest    receive-script records until the input ends:
 *               k&7 in 0..3: 1+next byte literal data bytes follow;
 *               k&7 == 4: repeated data, length 1 + 16-bit value times
 *               (1 + (k>>3 & 3)), cycling over the next 1 + (k>>5) bytes;
 *               5 FAKE_BLOCK, 6 FAKE_INTR, 7 FAKE_STALL.
 *
 * Every call is checked against a reference model of the stream: P, the
 * bytes handed out so far, and what the fake delivered (D) and still holds
 * before its next stall (A).  Each receive must append exactly what the
 * pattern's definition predicts from stream[P..D+A), keep the prefix,
 * lose nothing on errors, and leave sk_dirty == (D > P) (except for the
 * bytes of a line sk_receiveline waits to complete); getstats must
 * equal the fake's counts; sk_send's *last must equal the slice start plus
 * what the fake accepted.  Any mismatch aborts (FAKE_CHECK).
 */
#include "fake_plat.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_STREAM ((size_t)1 << 20)
#define MAX_EVENTS 2048
#define MAX_OPS 32
#define SEND_SRC 70000


static unsigned char g_stream[MAX_STREAM];
static fake_ev g_ev[MAX_EVENTS];
static unsigned char g_send_src[SEND_SRC];
static unsigned char g_capture[SEND_SRC];

/* The reference model. */
static struct {
    sk_sock *s;
    uint64_t p;     /* stream bytes handed out */
    size_t limit;   /* line limit */
    int client;     /* sk_connect made it a client */
    int closed;     /* sk_close was called */
    uint64_t wait_d; /* fake.delivered when sk_receiveline last failed
                        with bytes buffered: those are not dirty until
                        more are delivered (0: none) */
} m;

static void check_invariants(void)
{
    uint64_t rx = 0, tx = 0;
    double age = -1;
    int r = sk_getstats(m.s, &rx, &tx, &age);
    if (m.closed) {
        FAKE_CHECK(r == SK_ECLOSED);
        FAKE_CHECK(sk_dirty(m.s) == 0);
        FAKE_CHECK(sk_role(m.s) == SK_ROLE_CLOSED);
        return;
    }
    FAKE_CHECK(r == 0);
    FAKE_CHECK(rx == fake.delivered);
    FAKE_CHECK(tx == fake.accepted);
    FAKE_CHECK(age >= 0);
    FAKE_CHECK(fake.delivered >= m.p);
    FAKE_CHECK(sk_dirty(m.s) ==
               (fake.delivered > m.p && fake.delivered != m.wait_d));
    FAKE_CHECK(sk_role(m.s) ==
               (m.client ? SK_ROLE_CLIENT : SK_ROLE_MASTER));
}

/* The error every call on the object gives before it looks at its
 * arguments, or 0. */
static int gate(void)
{
    if (m.closed)
        return SK_ECLOSED;
    if (!m.client)
        return SK_EWRONGROLE;
    return 0;
}

static const char prefix_pattern[] = "PREFIX-0123456789-prefix\n\r";

static char prefix_byte(size_t i)
{
    return prefix_pattern[i % (sizeof prefix_pattern - 1)];
}

/* Appended bytes `got` (at out) against the model's line scan of
 * stream[p..e), given the barrier code there.  Returns the expected code
 * and advances m.p. */
static int check_line(const char *out, size_t got, uint64_t e, int code)
{
    size_t count = 0;
    uint64_t x;
    for (x = m.p; x < e; x++) {
        unsigned char c = g_stream[x];
        if (c == '\n') {
            FAKE_CHECK(got == count);
            m.p = x + 1;
            return 0;
        }
        if (c == '\r')
            continue;
        if (count == m.limit) {
            FAKE_CHECK(got == count);
            m.p = x;
            return SK_ETOOLONG;
        }
        FAKE_CHECK(count < got && (unsigned char)out[count] == c);
        count++;
    }
    FAKE_CHECK(got == count);
    m.p = e;
    return code;
}

static void op_receive(int pattern, size_t n, unsigned mode, size_t plen)
{
    sk_buf b = {NULL, 0, 0};
    size_t prefix = 0, got, i;
    int bad_buf = 0, r, expect, code;
    uint64_t d0 = fake.delivered, avail, e, buffered;
    unsigned long ok0 = fake.recv_ok;
    char *before = NULL;
    int pending = fake.connect_timeouts_left > 0;

    switch (mode & 3) {
    case 0: /* fresh, empty */
        break;
    case 1: /* a prefix, room to spare */
    case 2: /* a prefix filling the allocation exactly */
        prefix = plen;
        if ((mode & 3) == 1) {
            FAKE_CHECK(sk_buf_reserve(&b, prefix) == 0);
        } else {
            b.data = (char *)malloc(prefix ? prefix : 1);
            FAKE_CHECK(b.data != NULL);
            b.cap = prefix;
        }
        for (i = 0; i < prefix; i++)
            b.data[i] = prefix_byte(i);
        b.len = prefix;
        break;
    default: /* invalid: len > cap, or NULL data with a capacity */
        bad_buf = 1;
        if (mode & 4) {
            b.cap = 3;
        } else {
            b.data = (char *)malloc(4);
            FAKE_CHECK(b.data != NULL);
            b.cap = 4;
            b.len = 5;
        }
        break;
    }
    before = (char *)malloc(sizeof b);
    FAKE_CHECK(before != NULL);
    memcpy(before, &b, sizeof b);

    avail = fake_recv_avail(&code);
    e = d0 + avail;
    buffered = d0 - m.p;
    r = sk_receive(m.s, &b, pattern, n);
    FAKE_CHECK(fake_known_code(r));

    if (bad_buf) {
        FAKE_CHECK(memcmp(before, &b, sizeof b) == 0);
        expect = gate() ? gate() : SK_EINVAL;
        FAKE_CHECK(r == expect);
        FAKE_CHECK(fake.delivered == d0);
        free(b.data);
        free(before);
        return;
    }
    free(before);
    /* The prefix is intact, whatever happened. */
    FAKE_CHECK(b.len >= prefix && b.len <= b.cap);
    FAKE_CHECK(b.len == 0 || b.data != NULL);
    for (i = 0; i < prefix; i++)
        FAKE_CHECK(b.data[i] == prefix_byte(i));
    got = b.len - prefix;

    if (gate() || pattern < SK_ALL || pattern > SK_SOME ||
        (pattern == SK_BYTES && n == 0)) {
        expect = gate() ? gate()
                 : (pattern == SK_BYTES && n == 0) ? 0 : SK_EINVAL;
        FAKE_CHECK(r == expect && got == 0 && fake.delivered == d0);
    } else if (pending) {
        /* The connect that timed out is still pending: this call waits
         * for it (and times out) before any read. */
        FAKE_CHECK(r == SK_ETIMEOUT && got == 0 && fake.delivered == d0);
    } else {
        const char *out = b.data != NULL ? b.data + prefix : NULL;
        switch (pattern) {
        case SK_BYTES:
        case SK_ALL: {
            uint64_t want = pattern == SK_ALL ? e - m.p : (uint64_t)n;
            if (want <= e - m.p) {
                FAKE_CHECK(got == want);
                expect = pattern == SK_ALL ? code : 0;
            } else {
                FAKE_CHECK(got == e - m.p);
                expect = code;
            }
            if (pattern == SK_ALL && code == SK_ECLOSED && got > 0)
                expect = 0;
            FAKE_CHECK(got == 0 || memcmp(out, g_stream + m.p, got) == 0);
            m.p += got;
            break;
        }
        case SK_LINE:
            for (i = 0; i < got; i++)
                FAKE_CHECK(out[i] != '\n' && out[i] != '\r');
            FAKE_CHECK(got <= m.limit);
            expect = check_line(out, got, e, code);
            break;
        default: { /* SK_SOME */
            size_t max = n ? n : SIZE_MAX;
            if (buffered > 0) {
                FAKE_CHECK(fake.recv_ok == ok0);
                FAKE_CHECK(got == (buffered < max ? buffered : max));
                expect = 0;
            } else if (avail == 0) {
                FAKE_CHECK(got == 0);
                expect = code;
            } else {
                FAKE_CHECK(fake.recv_ok == ok0 + 1);
                FAKE_CHECK(got == fake.delivered - d0);
                FAKE_CHECK(got >= 1 && got <= max);
                expect = 0;
            }
            FAKE_CHECK(got == 0 || memcmp(out, g_stream + m.p, got) == 0);
            m.p += got;
            break;
        }
        }
        FAKE_CHECK(r == expect);
    }
    sk_buf_free(&b);
    FAKE_CHECK(b.data == NULL && b.len == 0 && b.cap == 0);
}

#define RBUF_SIZE 16384 /* the receive buffer: the longest view */

/* sk_receiveline against the model: the line of stream[p..e) as SK_LINE
 * finds it, within the first RBUF_SIZE bytes (the view's bound: then
 * SK_ETOOLONG with what those bytes keep); on the end code nothing is
 * taken, except on SK_ECLOSED (the rest is the last line). */
static void op_receiveline(void)
{
    static char want[RBUF_SIZE];
    const char *line = "junk";
    size_t len = 12345, count = 0;
    uint64_t d0 = fake.delivered, avail, e, x;
    int code, r, expect, pending = fake.connect_timeouts_left > 0;
    avail = fake_recv_avail(&code);
    e = d0 + avail;
    r = sk_receiveline(m.s, &line, &len);
    FAKE_CHECK(fake_known_code(r));
    if (gate() || pending) {
        FAKE_CHECK(r == (gate() ? gate() : SK_ETIMEOUT));
        FAKE_CHECK(line == NULL && len == 0 && fake.delivered == d0);
        return;
    }
    expect = -99;
    for (x = m.p; x < e && x - m.p < RBUF_SIZE; x++) {
        unsigned char c = g_stream[x];
        if (c == '\n') {
            expect = 0;
            break;
        }
        if (c == '\r')
            continue;
        if (count == m.limit) {
            expect = SK_ETOOLONG;
            break;
        }
        want[count++] = (char)c;
    }
    if (expect == -99 && x - m.p == RBUF_SIZE)
        expect = SK_ETOOLONG; /* the buffer's bound */
    if (expect == -99 && code == SK_ECLOSED && e > m.p)
        expect = SK_ECLOSED; /* the last, unterminated line */
    if (expect == -99) { /* nothing taken, the bytes stay */
        FAKE_CHECK(r == code && line == NULL && len == 0);
        if (fake.delivered > m.p)
            m.wait_d = fake.delivered;
        return;
    }
    FAKE_CHECK(r == expect && line != NULL && len == count);
    FAKE_CHECK(count == 0 || memcmp(line, want, count) == 0);
    if (r != SK_ETOOLONG)
        FAKE_CHECK(line[len] == '\0');
    m.p = expect == 0 ? x + 1 : x;
}

static void op_read(size_t cap)
{
    char *dst = (char *)malloc(cap ? cap : 1);
    size_t got = 12345;
    uint64_t d0 = fake.delivered, avail, buffered = d0 - m.p;
    unsigned long ok0 = fake.recv_ok;
    int code, r, pending = fake.connect_timeouts_left > 0;
    FAKE_CHECK(dst != NULL);
    avail = fake_recv_avail(&code);
    r = sk_read(m.s, dst, cap, &got);
    FAKE_CHECK(fake_known_code(r));
    if (gate() || cap == 0) {
        FAKE_CHECK(r == (gate() ? gate() : SK_EINVAL) && got == 0);
    } else if (pending) {
        FAKE_CHECK(r == SK_ETIMEOUT && got == 0);
    } else if (buffered > 0) {
        FAKE_CHECK(r == 0 && fake.recv_ok == ok0);
        FAKE_CHECK(got == (buffered < cap ? buffered : cap));
    } else if (avail == 0) {
        FAKE_CHECK(r == code && got == 0);
    } else {
        FAKE_CHECK(r == 0 && fake.recv_ok == ok0 + 1);
        FAKE_CHECK(got == fake.delivered - d0 && got >= 1 && got <= cap);
    }
    FAKE_CHECK(got == 0 || memcmp(dst, g_stream + m.p, got) == 0);
    m.p += got;
    free(dst);
}

/* LuaSocket's string.sub, written independently of src/client.c. */
static void model_slice(long long len, long long i, long long j,
                        long long *from, long long *to)
{
    if (i < 0)
        i = len + i + 1 < 1 ? 1 : len + i + 1;
    else if (i == 0)
        i = 1;
    if (j < 0)
        j = len + j + 1 < 0 ? 0 : len + j + 1;
    else if (j > len)
        j = len;
    *from = i;
    *to = j;
}

static void op_send(const unsigned char *a)
{
    static const int ends[4] = {SK_ECLOSED, SK_ECONNRESET, SK_ETIMEOUT,
                                SK_ECLOSED};
    size_t len = (size_t)(a[0] | a[1] << 8) % SEND_SRC;
    long long i = (signed char)a[2], j = (signed char)a[3];
    long long from, to, want;
    uint64_t room, acc0 = fake.accepted;
    ptrdiff_t last = -777;
    int r, expect, pending = fake.connect_timeouts_left > 0;
    unsigned every = a[5] & 7;

    if (a[6] & 1)
        i *= 1000;
    if (a[6] & 2)
        j *= 1000;
    if (a[6] & 4)
        j = -1;
    fake.send_step = a[4] == 255 ? (size_t)-1 : (size_t)a[4] * 61 + 1;
    fake.send_block_every = every < 2 ? 0 : every;
    fake.send_limit = (a[5] >> 3) == 31 ? (uint64_t)-1
                      : fake.accepted + (uint64_t)(a[5] >> 3) * 997;
    fake.send_end = ends[a[6] >> 6];
    fake.capture_len = 0;

    r = sk_send(m.s, g_send_src, len, (ptrdiff_t)i, (ptrdiff_t)j, &last);
    FAKE_CHECK(fake_known_code(r));
    model_slice((long long)len, i, j, &from, &to);
    want = from <= to ? to - from + 1 : 0;
    if (gate()) {
        FAKE_CHECK(r == gate() && last == (i > 0 ? i : 1) - 1);
        FAKE_CHECK(fake.accepted == acc0);
        return;
    }
    if (want == 0) {
        FAKE_CHECK(r == 0 && last == from - 1 && fake.accepted == acc0);
        return;
    }
    if (pending) {
        FAKE_CHECK(r == SK_ETIMEOUT && last == from - 1);
        FAKE_CHECK(fake.accepted == acc0);
        return;
    }
    room = fake.send_limit - acc0;
    if ((uint64_t)want <= room) {
        expect = 0;
    } else {
        want = (long long)room;
        expect = fake.send_end;
    }
    FAKE_CHECK(r == expect);
    FAKE_CHECK(fake.accepted - acc0 == (uint64_t)want);
    FAKE_CHECK(last == from - 1 + want);
    FAKE_CHECK(fake.capture_len == (size_t)want);
    FAKE_CHECK(want == 0 ||
               memcmp(g_capture, g_send_src + from - 1, (size_t)want) == 0);
}

static void run_op(const unsigned char *a)
{
    size_t n = (size_t)(a[1] | a[2] << 8);
    switch (a[0] % 12) {
    case 0:
        op_receive(SK_ALL, n, a[3], a[4]);
        break;
    case 1:
        if ((a[5] & 3) == 3)
            op_receiveline();
        else
            op_receive(SK_LINE, n, a[3], a[4]);
        break;
    case 2: /* up to ~1 MiB: crosses the buffer and direct-read sizes */
        op_receive(SK_BYTES, (a[5] & 1) ? n * 16 + a[6] : n, a[3], a[4]);
        break;
    case 3:
        op_receive(SK_SOME, (a[5] & 1) ? n : n % 64, a[3], a[4]);
        break;
    case 4:
        op_read((a[5] & 1) ? n : n % 64);
        break;
    case 5: { /* small limits mostly */
        size_t v = (a[3] & 1) ? n : (size_t)(a[1] % 16);
        int r = sk_setlinelimit(m.s, v);
        FAKE_CHECK(r == (m.closed ? SK_ECLOSED : v == 0 ? SK_EINVAL : 0));
        if (r == 0)
            m.limit = v;
        break;
    }
    case 6: {
        size_t v = 0;
        int r;
        if (a[3] & 1) {
            op_receiveline();
            break;
        }
        r = sk_getlinelimit(m.s, &v);
        FAKE_CHECK(r == (m.closed ? SK_ECLOSED : 0));
        FAKE_CHECK(r != 0 || v == m.limit);
        break;
    }
    case 7: {
        static const char modes[4] = {'b', 't', 'b', 'x'};
        double secs = (signed char)a[1] / 8.0;
        char mode = modes[a[2] & 3];
        int r = sk_settimeout(m.s, secs, mode);
        FAKE_CHECK(r == (m.closed ? SK_ECLOSED : mode == 'x' ? SK_EINVAL : 0));
        break;
    }
    case 8:
    case 9:
        op_send(a + 1);
        break;
    case 10:
        if ((a[1] & 7) == 0) { /* rarely: close in the middle */
            FAKE_CHECK(sk_close(m.s) == 0);
            m.closed = 1;
        }
        break;
    default: /* a pattern that does not exist */
        op_receive((a[1] & 1) ? 4 + a[2] : -1 - (int)a[2], n, a[3], a[4]);
        break;
    }
    check_invariants();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const int ends[4] = {SK_ECLOSED, SK_ECONNRESET, SK_ETIMEOUT,
                                SK_ECLOSED};
    static const char *const hosts[4] = {"127.0.0.1", "::1", "::1",
                                         "127.0.0.1"};
    reader rd;
    unsigned char ops[MAX_OPS][8];
    unsigned flags, nops, i, k, kind;
    size_t total = 0, nev = 0;
    int r, expect, family;

    rd.p = data;
    rd.n = size;
    flags = rd8(&rd);
    nops = rd8(&rd) % MAX_OPS + 1;
    for (i = 0; i < nops; i++)
        for (k = 0; k < 8; k++)
            ops[i][k] = (unsigned char)rd8(&rd);
    while (rd.n > 0 && nev < MAX_EVENTS && total < MAX_STREAM) {
        size_t len, x, plen;
        unsigned char pat[8];
        k = rd8(&rd);
        kind = k & 7;
        if (kind <= 3) {
            len = 1 + rd8(&rd);
            if (len > rd.n)
                len = rd.n;
            if (len > MAX_STREAM - total)
                len = MAX_STREAM - total;
            if (len == 0)
                break;
            memcpy(g_stream + total, rd.p, len);
            rd.p += len;
            rd.n -= len;
        } else if (kind == 4) {
            len = 1 + (size_t)(rd8(&rd) | rd8(&rd) << 8) * (1 + (k >> 3 & 3));
            plen = 1 + (k >> 5);
            for (x = 0; x < plen; x++)
                pat[x] = (unsigned char)rd8(&rd);
            if (len > MAX_STREAM - total)
                len = MAX_STREAM - total;
            for (x = 0; x < len; x++)
                g_stream[total + x] = pat[x % plen];
        } else {
            g_ev[nev].kind = kind == 5 ? FAKE_BLOCK
                             : kind == 6 ? FAKE_INTR : FAKE_STALL;
            g_ev[nev].off = g_ev[nev].len = 0;
            nev++;
            continue;
        }
        g_ev[nev].kind = FAKE_DATA;
        g_ev[nev].off = total;
        g_ev[nev].len = len;
        nev++;
        total += len;
    }

    fake_reset();
    fake.stream = g_stream;
    fake.ev = g_ev;
    fake.nev = nev;
    fake.recv_end = ends[flags & 3];
    fake.connect_mode = (int)(flags >> 2 & 7) % 6;
    fake.capture = g_capture;
    fake.capture_cap = sizeof g_capture;
    if (g_send_src[1] == 0)
        for (i = 0; i < SEND_SRC; i++)
            g_send_src[i] = (unsigned char)(i * 7 + 1 + i / 251);

    memset(&m, 0, sizeof m);
    family = (int)(flags >> 5 & 3);
    r = family == 0 ? sk_tcp4(&m.s) : family == 1 ? sk_tcp6(&m.s)
                                                  : sk_tcp(&m.s);
    FAKE_CHECK(r == 0 && m.s != NULL);
    /* The documented default: 1 MiB. */
    FAKE_CHECK(sk_getlinelimit(m.s, &m.limit) == 0);
    FAKE_CHECK(m.limit == (size_t)1 << 20);
    if (flags & 0x80) {
        m.limit = 1 + (size_t)(flags & 7);
        FAKE_CHECK(sk_setlinelimit(m.s, m.limit) == 0);
    }
    r = sk_connect(m.s, hosts[family], 8080);
    switch (fake.connect_mode) {
    case FAKE_CONN_NOW:
    case FAKE_CONN_PROGRESS:
        expect = 0;
        break;
    case FAKE_CONN_LATE:
    case FAKE_CONN_LATER:
        expect = SK_ETIMEOUT;
        break;
    case FAKE_CONN_REFUSED:
        expect = SK_ECONNREFUSED;
        break;
    default:
        expect = SK_ENETUNREACH;
        break;
    }
    FAKE_CHECK(r == expect);
    m.client = (r == 0 || r == SK_ETIMEOUT);
    check_invariants();

    for (i = 0; i < nops; i++)
        run_op(ops[i]);

    sk_free(m.s);
    fake_finish();
    return 0;
}
