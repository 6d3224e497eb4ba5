/* SPDX-License-Identifier: MIT */
/*
 * fuzz_addr.c - libFuzzer target for host, service, address and path
 * strings through every public entry that parses one: sk_bind, sk_connect,
 * sk_setpeername, sk_sendto, sk_joingroup / sk_leavegroup on TCP, UDP and
 * UNIX-domain objects of every family, sk_getaddrinfo and sk_getnameinfo.
 * It runs against the fake backend, whose addresses are parsed and
 * formatted by the POSIX backend's own code with every resolver call made
 * numeric-only (fake_addr.c): IPv6 literals with scope ids and brackets,
 * IPv4 shorthand ("127.1", "0x7f.1"), ports out of range and UNIX paths at
 * the limit all meet the real parsers, and nothing leaves the process.
 *
 * Input format: byte 0 holds flags (bit 0: the host has no IPv6); then
 * commands until the input ends, each an opcode byte, an object byte and
 * operands (see run_command).  Strings are a length byte and that many
 * bytes, except lengths 254 (a host of 250..259 bytes) and 255 (a path of
 * 100..115 bytes around sun_path's 108), filled from the next bytes.
 * Ports are one selector byte: 0, 1, 65535, 65536, -1, INT_MIN, INT_MAX,
 * or a 16-bit value that follows.  Missing bytes read as 0.
 *
 * Invariants (abort on failure): every call returns 0 or a code of the
 * SK_ERRORS table; a port out of range, a NULL, empty or over-long host
 * never succeeds; a UNIX-domain path binds exactly when it fits sun_path
 * with its NUL ("@name": 1..107 name bytes) and reads back unchanged; an
 * address bound or connected to is one that sk_getaddrinfo gives for the
 * same host, with the same port; sk_getaddrinfo's entries are distinct,
 * of the asked family and type, with the service's port, and each
 * address's text parses back to itself; sk_getnameinfo refuses exactly
 * what does not parse as a numeric address, never reports the numeric
 * text as a name, never truncates, and leaves "" on error; sent datagrams
 * are counted by the fake; the fake's own contract checks; no descriptor
 * leaks.  ASan/UBSan report everything else.
 */
#include "fake_plat.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NOBJ 4
#define SUN_PATH_MAX 108 /* Linux's sun_path, with the NUL */

static void check_code(int r)
{
    FAKE_CHECK(fake_known_code(r));
}

/* A NUL-terminated string into out (cap >= 300); embedded NULs cut it. */
static void rdstr(reader *r, char *out, size_t cap)
{
    size_t len = rd8(r), i;
    if (len >= 254) {
        /* At the limits: a host around SK__HOST_MAX (255), or a path
         * around sun_path (108 with its NUL), starting with the next
         * byte ('@', '/', ...) and filled with the one after. */
        unsigned k = rd8(r), first = rd8(r), fill = rd8(r);
        len = len == 254 ? 250 + k % 10 : 100 + k % 16;
        for (i = 0; i < len && i + 1 < cap; i++)
            out[i] = (char)(i == 0 ? (first ? first : '/')
                                   : (fill ? fill : 'a'));
        out[i] = '\0';
        return;
    }
    for (i = 0; i < len && i + 1 < cap; i++)
        out[i] = (char)rd8(r);
    out[i] = '\0';
}

static int rdport(reader *r)
{
    unsigned k = rd8(r);
    switch (k % 10) {
    case 0:
        return 0;
    case 1:
        return 1;
    case 2:
        return 65535;
    case 3:
        return 65536;
    case 4:
        return -1;
    case 5:
        return INT_MIN;
    case 6:
        return INT_MAX;
    default: {
        unsigned v = rd8(r);
        return (int)(v | rd8(r) << 8);
    }
    }
}

static int host_ok(const char *host)
{
    size_t n = strlen(host);
    return n > 0 && n <= 255;
}

static void check_name(const sk_name *n)
{
    FAKE_CHECK(memchr(n->addr, '\0', sizeof n->addr) != NULL);
    FAKE_CHECK(memchr(n->family, '\0', sizeof n->family) != NULL);
    FAKE_CHECK(n->port >= 0 && n->port <= 65535);
    FAKE_CHECK(strcmp(n->family, "inet") == 0 ||
               strcmp(n->family, "inet6") == 0 ||
               strcmp(n->family, "unix") == 0);
}

/* 1 when text is an address sk_getaddrinfo gives for host (numeric). */
static int host_names(const char *host, const sk_name *n)
{
    sk_addrlist l = {NULL, 0, NULL};
    size_t i;
    int found = 0, r;
    r = sk_getaddrinfo(host, NULL, SK_AF_UNSPEC, SK_STREAM,
                       SK_LOOKUP_NUMERICHOST, &l);
    check_code(r);
    for (i = 0; r == 0 && i < l.count; i++)
        if (strcmp(l.items[i].addr, n->addr) == 0)
            found = 1;
    sk_addrlist_free(&l);
    return found;
}

/* The state of s (all zero for NULL). */
static sk_state state_of(const sk_sock *s)
{
    sk_state st;
    memset(&st, 0, sizeof st);
    if (s != NULL)
        FAKE_CHECK(sk_getstate(s, &st) == 0);
    return st;
}

/* What a fresh UNIX-domain bind of path must return. */
static int unix_path_code(const char *path)
{
    size_t n = strlen(path);
    if (n == 0 || n > 255 || strcmp(path, "*") == 0)
        return SK_EINVAL;
    if (path[0] == '@')
        return n >= 2 && n <= SUN_PATH_MAX ? 0 : SK_EINVAL;
    return n < SUN_PATH_MAX ? 0 : SK_EINVAL;
}

static void op_bind(sk_sock *s, reader *r)
{
    char host[320];
    const char *h;
    sk_state st;
    sk_name n;
    int port, rc, role;
    rdstr(r, host, sizeof host);
    port = rdport(r);
    h = (rd8(r) & 1) ? NULL : host;
    st = state_of(s);
    role = s == NULL ? SK_EINVAL : sk_role(s);
    rc = sk_bind(s, h, port);
    check_code(rc);
    if (s == NULL || st.closed || st.bound ||
        (role != SK_ROLE_MASTER && role != SK_ROLE_UNCONNECTED)) {
        FAKE_CHECK(rc != 0);
        return;
    }
    if (h == NULL || !host_ok(h) || port < 0 || port > 65535) {
        FAKE_CHECK(rc == SK_EINVAL);
        return;
    }
    if (st.family == SK_AF_UNIX) {
        /* Not bound, right role: the path alone decides. */
        FAKE_CHECK(rc == (port != 0 ? SK_EINVAL : unix_path_code(h)));
        if (rc != 0)
            return;
        FAKE_CHECK(sk_getsockname(s, &n) == 0);
        check_name(&n);
        FAKE_CHECK(strcmp(n.family, "unix") == 0 && n.port == 0);
        FAKE_CHECK(strcmp(n.addr, h) == 0);
        return;
    }
    if (rc != 0)
        return;
    FAKE_CHECK(sk_getsockname(s, &n) == 0);
    check_name(&n);
    FAKE_CHECK(n.port == port);
    if (strcmp(h, "*") == 0)
        FAKE_CHECK(strcmp(n.addr, "0.0.0.0") == 0 ||
                   strcmp(n.addr, "::") == 0);
    else
        FAKE_CHECK(host_names(h, &n));
}

static void op_connect(sk_sock *s, reader *r)
{
    char host[320];
    sk_state st;
    sk_name n;
    int port, rc;
    fake.connect_mode = (int)(rd8(r) % 6);
    rdstr(r, host, sizeof host);
    port = rdport(r);
    st = state_of(s);
    rc = sk_connect(s, host, port);
    check_code(rc);
    if (rc != 0)
        return;
    FAKE_CHECK(s != NULL && !st.closed);
    FAKE_CHECK(port >= (st.family == SK_AF_UNIX ? 0 : 1) && port <= 65535);
    FAKE_CHECK(host_ok(host));
    if (st.family == SK_AF_UNIX) {
        FAKE_CHECK(port == 0 && unix_path_code(host) == 0);
        FAKE_CHECK(sk_getpeername(s, &n) == 0);
        FAKE_CHECK(strcmp(n.addr, host) == 0);
        return;
    }
    FAKE_CHECK(sk_getpeername(s, &n) == 0);
    check_name(&n);
    FAKE_CHECK(n.port == port);
    FAKE_CHECK(host_names(host, &n));
}

static void op_setpeername(sk_sock *s, reader *r)
{
    char host[320];
    sk_state st;
    sk_name n;
    int port, rc;
    rdstr(r, host, sizeof host);
    port = rdport(r);
    st = state_of(s);
    rc = sk_setpeername(s, host, port);
    check_code(rc);
    if (rc != 0)
        return;
    FAKE_CHECK(s != NULL && !st.closed && host_ok(host));
    if (strcmp(host, "*") == 0) {
        FAKE_CHECK(sk_role(s) == SK_ROLE_UNCONNECTED);
        return;
    }
    FAKE_CHECK(sk_role(s) == SK_ROLE_CONNECTED);
    FAKE_CHECK(sk_getpeername(s, &n) == 0);
    check_name(&n);
    if (st.family == SK_AF_UNIX) {
        FAKE_CHECK(port == 0 && unix_path_code(host) == 0);
        FAKE_CHECK(strcmp(n.addr, host) == 0);
        return;
    }
    FAKE_CHECK(port >= 1 && port <= 65535);
    FAKE_CHECK(n.port == port);
    FAKE_CHECK(host_names(host, &n));
}

static void op_sendto(sk_sock *s, reader *r)
{
    static const char payload[] = "datagram";
    char host[320];
    unsigned long before = fake.datagrams;
    int port, rc, nohost = rd8(r) & 1;
    size_t len = rd8(r) % sizeof payload;
    rdstr(r, host, sizeof host);
    port = rdport(r);
    rc = sk_sendto(s, payload, len, nohost ? NULL : host, port);
    check_code(rc);
    FAKE_CHECK(fake.datagrams == before + (rc == 0));
    if (rc == 0 && !nohost) {
        FAKE_CHECK(host_ok(host) && strcmp(host, "*") != 0);
        FAKE_CHECK(port >= 0 && port <= 65535);
    }
}

static void op_group(sk_sock *s, reader *r)
{
    char group[320];
    int ifindex = (int)(signed char)rd8(r), join = rd8(r) & 1, rc;
    rdstr(r, group, sizeof group);
    rc = join ? sk_joingroup(s, group, ifindex)
              : sk_leavegroup(s, group, ifindex);
    check_code(rc);
    if (rc == 0)
        FAKE_CHECK(ifindex >= 0 && host_ok(group));
}

/* The port a service string names: -1 for a name, -2 for a bad number. */
static long service_port(const char *svc)
{
    long v = 0;
    size_t i;
    if (svc[0] == '\0')
        return -2;
    for (i = 0; svc[i] != '\0'; i++) {
        if (svc[i] < '0' || svc[i] > '9')
            return -1;
        v = v * 10 + (svc[i] - '0');
        if (v > 65535)
            return -2;
    }
    return v;
}

static void op_getaddrinfo(reader *r)
{
    char host[320], svc[320];
    sk_addrlist l;
    unsigned sel = rd8(r);
    static const int families[] = {SK_AF_UNSPEC, SK_AF_INET, SK_AF_INET6,
                                   SK_AF_UNIX, 2, 7};
    int family = families[rd8(r) % 6], type = (int)(rd8(r) % 4);
    int flags = (int)(rd8(r) % 16) | SK_LOOKUP_NUMERICHOST;
    const char *h, *sv;
    long want_port;
    size_t i, j;
    int rc;
    rdstr(r, host, sizeof host);
    rdstr(r, svc, sizeof svc);
    h = (sel & 1) ? NULL : host;
    sv = (sel & 2) ? NULL : svc;
    if (sel & 4)
        flags &= ~SK_LOOKUP_NUMERICHOST; /* still numeric: see fake_addr */
    memset(&l, 0x5a, sizeof l);
    rc = sk_getaddrinfo(h, sv, family, type, flags, &l);
    check_code(rc);
    want_port = sv == NULL ? 0 : service_port(sv);
    if (rc != 0) {
        FAKE_CHECK(l.items == NULL && l.count == 0 && l.canonname == NULL);
        return;
    }
    FAKE_CHECK(h != NULL || sv != NULL);
    FAKE_CHECK(h == NULL || host_ok(h));
    FAKE_CHECK(want_port != -2);
    FAKE_CHECK(family == SK_AF_UNSPEC || family == SK_AF_INET ||
               family == SK_AF_INET6);
    FAKE_CHECK(type == 0 || type == SK_STREAM || type == SK_DGRAM);
    FAKE_CHECK(!(flags & ~7) && (h != NULL || !(flags & 1)));
    FAKE_CHECK(l.count > 0 && l.items != NULL);
    if (flags & SK_LOOKUP_CANONNAME)
        FAKE_CHECK(l.canonname != NULL && l.canonname[0] != '\0');
    else
        FAKE_CHECK(l.canonname == NULL);
    for (i = 0; i < l.count; i++) {
        const sk_addrinfo *e = &l.items[i];
        sk_addrlist again = {NULL, 0, NULL};
        FAKE_CHECK(memchr(e->addr, '\0', sizeof e->addr) != NULL);
        FAKE_CHECK(e->family == SK_AF_INET || e->family == SK_AF_INET6);
        FAKE_CHECK(family == SK_AF_UNSPEC || e->family == family ||
                   (family == SK_AF_INET6 && e->family == SK_AF_INET));
        FAKE_CHECK(e->type == SK_STREAM || e->type == SK_DGRAM);
        FAKE_CHECK(type == 0 || e->type == type);
        if (want_port >= 0)
            FAKE_CHECK(e->port == want_port);
        for (j = 0; j < i; j++)
            FAKE_CHECK(l.items[j].family != e->family ||
                       l.items[j].type != e->type ||
                       l.items[j].port != e->port ||
                       strcmp(l.items[j].addr, e->addr) != 0);
        /* The text is canonical: it parses back to itself. */
        FAKE_CHECK(sk_getaddrinfo(e->addr, NULL, e->family, e->type,
                                  SK_LOOKUP_NUMERICHOST, &again) == 0);
        FAKE_CHECK(again.count == 1);
        FAKE_CHECK(strcmp(again.items[0].addr, e->addr) == 0);
        sk_addrlist_free(&again);
    }
    sk_addrlist_free(&l);
    FAKE_CHECK(l.items == NULL && l.count == 0 && l.canonname == NULL);
}

static void op_getnameinfo(reader *r)
{
    char addr[320], name[400];
    size_t cap = rd8(r) % 8 == 0 ? (size_t)rd8(r) % 40 : 400;
    int null_addr = rd8(r) % 16 == 0, rc, numeric;
    sk_addrlist l = {NULL, 0, NULL};
    rdstr(r, addr, sizeof addr);
    memset(name, 'x', sizeof name);
    rc = sk_getnameinfo(null_addr ? NULL : addr, name, cap);
    check_code(rc);
    if (cap == 0) {
        FAKE_CHECK(rc == SK_EINVAL && name[0] == 'x');
        return;
    }
    if (rc != 0) {
        FAKE_CHECK(name[0] == '\0');
    } else {
        FAKE_CHECK(memchr(name, '\0', cap) != NULL);
        FAKE_CHECK(name[0] != '\0' && strcmp(name, addr) != 0);
    }
    if (null_addr) {
        FAKE_CHECK(rc == SK_EINVAL);
        return;
    }
    numeric = strlen(addr) < SK_ADDRSTRLEN &&
              sk_getaddrinfo(addr, NULL, SK_AF_UNSPEC, SK_STREAM,
                             SK_LOOKUP_NUMERICHOST, &l) == 0;
    /* Refused as an argument exactly when it is no numeric address. */
    FAKE_CHECK((rc == SK_EINVAL) == !numeric);
    if (rc == 0)
        FAKE_CHECK(strcmp(name, l.items[0].addr) != 0);
    sk_addrlist_free(&l);
}

static void op_new(sk_sock **slot, unsigned kind)
{
    int rc;
    sk_free(*slot);
    *slot = NULL;
    switch (kind % 8) {
    case 0:
        rc = sk_tcp4(slot);
        break;
    case 1:
        rc = sk_tcp6(slot);
        break;
    case 2:
        rc = sk_tcp(slot);
        break;
    case 3:
        rc = sk_udp4(slot);
        break;
    case 4:
        rc = sk_udp6(slot);
        break;
    case 5:
        rc = sk_udp(slot);
        break;
    case 6:
        rc = sk_unix(slot);
        break;
    default:
        rc = sk_unixdgram(slot);
        break;
    }
    check_code(rc);
    FAKE_CHECK((rc == 0) == (*slot != NULL));
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
}

static void run_command(sk_sock **objs, reader *r)
{
    unsigned op = rd8(r), which = rd8(r);
    sk_sock *s = (which & 0x80) ? NULL : objs[which % NOBJ];

    switch (op % 11) {
    case 0:
        op_bind(s, r);
        break;
    case 1:
        op_connect(s, r);
        break;
    case 2:
        op_setpeername(s, r);
        break;
    case 3:
        op_sendto(s, r);
        break;
    case 4:
        op_group(s, r);
        break;
    case 5:
    case 6:
        op_getaddrinfo(r);
        break;
    case 7:
        op_getnameinfo(r);
        break;
    case 8:
        op_new(&objs[which % NOBJ], rd8(r));
        break;
    case 9:
        op_names(s);
        break;
    default:
        check_code(sk_close(s));
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sk_sock *objs[NOBJ] = {NULL, NULL, NULL, NULL};
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
        op_new(&objs[i], (unsigned)(i == 3 ? 6 : i * 2 + (flags >> 1 & 1)));
    while (r.n > 0)
        run_command(objs, &r);
    for (i = 0; i < NOBJ; i++)
        sk_free(objs[i]);
    fake_finish();
    return 0;
}
