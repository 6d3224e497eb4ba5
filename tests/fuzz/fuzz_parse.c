/* SPDX-License-Identifier: MIT */
/*
 * fuzz_parse.c - libFuzzer target for sockit's argument checking and
 * parsing: host strings and ports for sk_bind / sk_connect, option names
 * and ids and values, timeouts (any double: NaN, infinities, denormals),
 * sk_strerror / sk_errname on any int, sk_send slices with any i and j,
 * line limits, statistics, shutdown, select, on objects of every role
 * (and NULL).  It runs against the scripted fake backend (fake_plat.c),
 * whose resolver parses numeric addresses only: no network, no DNS.
 *
 * Input format: byte 0 holds flags (bit 0: the host has no IPv6); then
 * commands until the input ends, each an opcode byte followed by its
 * operands: strings as a length byte and that many bytes (255: a 300-byte
 * string), ints as 4 bytes and ptrdiff_t values as 8 bytes little-endian,
 * doubles as 8 raw bytes (see run_command).  Missing bytes read as 0.
 *
 * Invariants (abort on failure): every call returns 0 or a code of the
 * SK_ERRORS table (or its documented non-error value); names and messages
 * are never NULL and agree with the table; option ids and names round-trip;
 * addresses come back NUL-terminated with a port in 0..65535; sk_send's
 * *last is the slice start plus what the fake accepted; and the fake's own
 * contract checks (valid descriptors, ports, options; no double close, no
 * leaked descriptor).  ASan/UBSan report everything else.
 */
#include "fake_plat.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NOBJ 3


static uint64_t rd64(reader *r)
{
    uint64_t v = 0;
    int i;
    for (i = 0; i < 8; i++)
        v |= (uint64_t)rd8(r) << (8 * i);
    return v;
}

static int rdint(reader *r)
{
    uint32_t v = 0;
    int i;
    for (i = 0; i < 4; i++)
        v |= (uint32_t)rd8(r) << (8 * i);
    return (int)(int32_t)v; /* two's complement on every target */
}

static double rddouble(reader *r)
{
    uint64_t v = rd64(r);
    double d;
    memcpy(&d, &v, sizeof d);
    return d;
}

/* A NUL-terminated string: embedded NULs cut it short, as for a caller. */
static void rdstr(reader *r, char *out, size_t cap)
{
    size_t len = rd8(r), i;
    if (len == 255) { /* over-long: one byte repeated */
        unsigned c = rd8(r);
        len = 300;
        for (i = 0; i < len && i + 1 < cap; i++)
            out[i] = (char)(c ? c : '1');
        out[i] = '\0';
        return;
    }
    for (i = 0; i < len && i + 1 < cap; i++)
        out[i] = (char)rd8(r);
    out[i] = '\0';
}

static void check_code(int r)
{
    FAKE_CHECK(fake_known_code(r));
}

static void check_name(const sk_name *n)
{
    FAKE_CHECK(memchr(n->addr, '\0', sizeof n->addr) != NULL);
    FAKE_CHECK(memchr(n->family, '\0', sizeof n->family) != NULL);
    FAKE_CHECK(n->port >= 0 && n->port <= 65535);
}

static void check_errtext(int code)
{
    const char *msg = sk_strerror(code), *name = sk_errname(code);
    int known = fake_known_code(code);
    FAKE_CHECK(msg != NULL && name != NULL);
    FAKE_CHECK(known == (strcmp(msg, "unknown error") != 0));
    FAKE_CHECK(known == (strcmp(name, "SK_EUNKNOWN") != 0));
    FAKE_CHECK(strlen(msg) < 64 && strlen(name) < 32);
}

static void check_optionid(const char *name)
{
    int id = sk_optionid(name);
    FAKE_CHECK(id == SK_EINVAL || (id >= 0 && id < SK_OPT_COUNT));
    if (id >= 0)
        FAKE_CHECK(strcmp(sk_optionname(id), name) == 0);
}

static void op_send(sk_sock *s, reader *r)
{
    static const char src[64] = "0123456789abcdefghijklmnopqrstuvwxyz"
                                "ABCDEFGHIJKLMNOPQRSTUVWXYZ+/";
    size_t len = rd8(r) % 65; /* the source is 64 bytes */
    ptrdiff_t i = (ptrdiff_t)(int64_t)rd64(r), j = (ptrdiff_t)(int64_t)rd64(r);
    ptrdiff_t last = 12345, from;
    uint64_t acc0 = fake.accepted;
    int rc;
    unsigned null_data = rd8(r) & 1;

    rc = sk_send(s, null_data ? NULL : src, len, i, j, &last);
    check_code(rc);
    /* The slice start, computed without overflow. */
    if (i < 0)
        from = i < -(ptrdiff_t)len ? 1 : (ptrdiff_t)len + i + 1;
    else
        from = i == 0 ? 1 : i;
    if (rc == 0 || fake.accepted != acc0)
        FAKE_CHECK(last == from - 1 + (ptrdiff_t)(fake.accepted - acc0));
    else
        FAKE_CHECK(last == from - 1 || last == (i > 0 ? i : 1) - 1);
}

static void op_names(sk_sock *s)
{
    sk_name n;
    int rc = sk_getsockname(s, &n);
    check_code(rc);
    if (rc == 0)
        check_name(&n);
    rc = sk_getpeername(s, &n);
    check_code(rc);
    if (rc == 0)
        check_name(&n);
    check_code(sk_getsockname(s, NULL));
}

static void op_new(sk_sock **slot, unsigned kind)
{
    int rc;
    sk_free(*slot);
    *slot = NULL;
    switch (kind % 3) {
    case 0:
        rc = sk_tcp4(slot);
        break;
    case 1:
        rc = sk_tcp6(slot);
        break;
    default:
        rc = sk_tcp(slot);
        break;
    }
    check_code(rc);
    FAKE_CHECK((rc == 0) == (*slot != NULL));
}

static void run_command(sk_sock **objs, reader *r)
{
    char str[512];
    unsigned op = rd8(r), which = rd8(r);
    sk_sock *s = (which & 0x80) ? NULL : objs[which % NOBJ];
    int rc, v = 0;

    switch (op % 20) {
    case 0: /* bind: host, port */
        rdstr(r, str, sizeof str);
        check_code(sk_bind(s, str, rdint(r)));
        break;
    case 1: /* connect: mode, host, port */
        fake.connect_mode = (int)(rd8(r) % 6);
        rdstr(r, str, sizeof str);
        check_code(sk_connect(s, str, rdint(r)));
        break;
    case 2:
        rdstr(r, str, sizeof str);
        check_optionid(str);
        check_optionid(NULL);
        break;
    case 3:
        rdstr(r, str, sizeof str);
        check_optionid(str);
        check_code(sk_setoptname(s, str, rdint(r)));
        break;
    case 4:
        rdstr(r, str, sizeof str);
        check_code(sk_getoptname(s, str, &v));
        check_code(sk_getoptname(s, str, NULL));
        break;
    case 5: {
        int id = rdint(r), val = rdint(r);
        if (which & 0x40)
            id %= SK_OPT_COUNT + 2;
        check_code(sk_setoption(s, id, val));
        break;
    }
    case 6: {
        int id = rdint(r);
        if (which & 0x40)
            id %= SK_OPT_COUNT + 2;
        check_code(sk_getoption(s, id, &v));
        FAKE_CHECK((sk_optionname(id) == NULL) ==
                   (id < 0 || id >= SK_OPT_COUNT));
        break;
    }
    case 7: { /* timeouts: any double, any mode */
        double secs = rddouble(r), b = 0, t = 0;
        char mode = (char)rd8(r);
        rc = sk_settimeout(s, secs, mode);
        check_code(rc);
        if (s != NULL && rc == 0)
            FAKE_CHECK(secs == secs && (mode == 'b' || mode == 't'));
        if (secs != secs && s != NULL && sk_role(s) != SK_ROLE_CLOSED)
            FAKE_CHECK(rc == SK_EINVAL);
        rc = sk_gettimeout(s, &b, &t);
        check_code(rc);
        if (rc == 0)
            FAKE_CHECK(b == b && t == t && b >= -1 && t >= -1);
        break;
    }
    case 8: {
        int code = rdint(r);
        check_errtext(code);
        check_errtext(code % 32);
        break;
    }
    case 9:
        op_send(s, r);
        break;
    case 10:
        op_names(s);
        break;
    case 11:
        check_code(sk_listen(s, rdint(r)));
        break;
    case 12: {
        sk_sock *c = (sk_sock *)&c; /* must come back NULL */
        sk_name peer;
        rc = sk_accept(s, &c, (which & 0x40) ? NULL : &peer);
        check_code(rc);
        FAKE_CHECK(rc == 0 ? c != NULL : c == NULL);
        sk_free(c);
        break;
    }
    case 13: {
        double age = rddouble(r);
        uint64_t rx = 0, tx = 0;
        rc = sk_setstats(s, rd64(r), rd64(r), age);
        check_code(rc);
        rc = sk_getstats(s, &rx, &tx, &age);
        check_code(rc);
        if (rc == 0)
            FAKE_CHECK(age == age);
        break;
    }
    case 14:
        op_new(&objs[which % NOBJ], rd8(r));
        break;
    case 15:
        rc = sk_close(s);
        FAKE_CHECK(rc == (s == NULL ? SK_EINVAL : 0));
        break;
    case 16:
        check_code(sk_shutdown(s, rdint(r)));
        break;
    case 17: {
        size_t lim = (size_t)rd64(r);
        rc = sk_setlinelimit(s, lim);
        check_code(rc);
        rc = sk_getlinelimit(s, &lim);
        check_code(rc);
        FAKE_CHECK(rc != 0 || lim > 0);
        break;
    }
    case 18: { /* select over the objects (and NULL entries) */
        sk_sock *set[NOBJ + 1], *rd[NOBJ + 1], *wr[NOBJ + 1];
        size_t nr = 99, nw = 99, k;
        double timeout = rddouble(r);
        for (k = 0; k < NOBJ; k++)
            set[k] = objs[k];
        set[NOBJ] = NULL;
        rc = sk_select(set, (which & 1) ? NOBJ + 1 : 0, set,
                       (which & 2) ? NOBJ + 1 : 0, timeout, rd, &nr, wr, &nw);
        check_code(rc);
        FAKE_CHECK(nr <= NOBJ + 1 && nw <= NOBJ + 1);
        FAKE_CHECK(rc != 0 || nr + nw > 0);
        break;
    }
    default: { /* receive and read with any pattern and size */
        sk_buf b = {NULL, 0, 0};
        char dst[16];
        size_t got = 99;
        int pattern = rdint(r);
        size_t n = (size_t)rd64(r);
        if (which & 0x40)
            pattern %= 5;
        rc = sk_receive(s, &b, pattern, n);
        check_code(rc);
        FAKE_CHECK(b.len <= b.cap);
        sk_buf_free(&b);
        rc = sk_read(s, dst, n % (sizeof dst + 1), &got);
        check_code(rc);
        FAKE_CHECK(got <= sizeof dst && (rc == 0 || got == 0));
        rc = sk_role(s);
        FAKE_CHECK(s == NULL ? rc == SK_EINVAL
                             : rc >= SK_ROLE_MASTER && rc <= SK_ROLE_CLOSED);
        FAKE_CHECK(sk_dirty(s) == 0 || sk_dirty(s) == 1);
        break;
    }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sk_sock *objs[NOBJ] = {NULL, NULL, NULL};
    reader r;
    unsigned flags;
    int i;

    r.p = data;
    r.n = size;
    fake_reset();
    fake.recv_end = SK_ETIMEOUT; /* nothing ever arrives; nothing hangs */
    flags = rd8(&r);
    fake.has_ipv6 = !(flags & 1);
    for (i = 0; i < NOBJ; i++)
        op_new(&objs[i], (unsigned)i);
    while (r.n > 0)
        run_command(objs, &r);
    for (i = 0; i < NOBJ; i++)
        sk_free(objs[i]);
    fake_finish();
    return 0;
}
