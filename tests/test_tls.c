/* SPDX-License-Identifier: MIT */
/*
 * test_tls.c - TLS between sockit objects over loopback: the handshake and
 * its queries, IPv4 and IPv6, every verification failure as its own code,
 * client certificates, session resumption, 64 MiB with a checksum, lines
 * across record boundaries, sk_dirty / sk_select on decrypted bytes,
 * STARTTLS with bytes read ahead, non-blocking handshakes, and the broken
 * peers (silent, garbage, truncated record, alert, no close_notify).  The
 * certificates come from tests/tls/make-certs.sh (directory in
 * SOCKIT_TEST_CERTS); a build without TLS skips every test, saying so.
 */
#include "relay.h"
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(_WIN32)
#  include <winsock2.h>
#else
#  include <sys/socket.h>
#  include <sys/types.h>
#  ifndef MSG_NOSIGNAL
#    define MSG_NOSIGNAL 0 /* macOS: the test ignores SIGPIPE nowhere; sends are short */
#  endif
#endif

static char certdir[1024];

/* The path of a certificate file in certdir (a few at a time: rotating). */
static const char *cert(const char *name)
{
    static char paths[4][1200];
    static int next;
    char *p = paths[next++ % 4];
    snprintf(p, sizeof paths[0], "%s%s%s", certdir, SUP_SEP, name);
    return p;
}

/* Skips the test unless TLS is built and the certificates are there. */
static int tls_ready(void)
{
    const char *d = getenv("SOCKIT_TEST_CERTS");
    if (sk_tls_provider() == NULL) {
        print_message("sockit built without TLS (SOCKIT_TLS=OFF or no "
                      "provider): skipped\n");
        skip();
    }
    if (d == NULL || d[0] == '\0') {
        print_message("SOCKIT_TEST_CERTS not set: skipped\n");
        skip();
    }
    snprintf(certdir, sizeof certdir, "%s", d);
    return 1;
}

/* As tls_ready, for a test that needs a sockit TLS server: skipped under
 * Wine, whose SChannel has no server side. */
static int tls_server_ready(void)
{
    const char *wine = sup_wine();
    tls_ready();
    if (wine != NULL) {
        print_message("skipped under Wine %s: its SChannel has no server "
                      "side (AcceptSecurityContext answers "
                      "SEC_E_UNSUPPORTED_FUNCTION); Windows runs it\n",
                      wine);
        skip();
    }
    return 1;
}

/* The certificate files for a context test: EC with PKCS#8 keys, or under
 * Wine (which loads neither) RSA with PKCS#1 ones. */
static const char *pick(const char *ec, const char *rsa)
{
    return cert(sup_wine() != NULL ? rsa : ec);
}

static sk_tls_ctx *server_ctx(const char *name)
{
    sk_tls_ctx *c = NULL;
    char pem[64], key[64];
    snprintf(pem, sizeof pem, "%s.pem", name);
    snprintf(key, sizeof key, "%s.key", name);
    sup_assert_rc(sk_tls_ctx_new(&c, SK_TLS_SERVER), 0);
    sup_assert_rc(sk_tls_ctx_set_cert_file(c, cert(pem), cert(key)), 0);
    return c;
}

static sk_tls_ctx *client_ctx(void)
{
    sk_tls_ctx *c = NULL;
    sup_assert_rc(sk_tls_ctx_new(&c, SK_TLS_CLIENT), 0);
    sup_assert_rc(sk_tls_ctx_set_ca_file(c, cert("ca.pem"), NULL), 0);
    return c;
}

/* ---- a server thread: accept one client and run a script on it --------- */

typedef struct srv srv;
typedef void (*srv_fn)(srv *x, sk_sock *c);
struct srv {
    sk_sock *listener;
    int port;
    srv_fn fn;
    int rc;        /* the script's (or accept's) result */
    int hs;        /* the handshake's result */
    char subject[256];
    uint64_t hash;
    size_t count;
    void *arg;
    sup_thread *t;
};

static void srv_main(void *arg)
{
    srv *x = (srv *)arg;
    sk_sock *c = NULL;
    x->rc = sk_accept(x->listener, &c, NULL);
    if (x->rc == 0) {
        (void)sk_settimeout(c, SUP_SAFETY_TIMEOUT, 'b');
        x->fn(x, c);
        sk_free(c);
    }
}

/* Listen on host (IPv4 "127.0.0.1" or IPv6 "::1") with ctx (NULL: plain)
 * and start the thread. */
static void srv_start(srv *x, const char *host, sk_tls_ctx *ctx, srv_fn fn)
{
    sk_name n;
    memset(x, 0, sizeof *x);
    x->fn = fn;
    x->hs = 1;
    if (strchr(host, ':') != NULL)
        sup_assert_rc(sk_tcp6(&x->listener), 0);
    else
        sup_assert_rc(sk_tcp4(&x->listener), 0);
    sup_assert_rc(sk_settimeout(x->listener, SUP_SAFETY_TIMEOUT, 'b'), 0);
    sup_assert_rc(sk_bind(x->listener, host, 0), 0);
    sup_assert_rc(sk_listen(x->listener, 8), 0);
    if (ctx != NULL)
        sup_assert_rc(sk_tls_listen(x->listener, ctx), 0);
    sup_assert_rc(sk_getsockname(x->listener, &n), 0);
    x->port = n.port;
    x->t = sup_thread_start(srv_main, x);
}

static void srv_join(srv *x)
{
    sup_thread_join(x->t);
    sk_free(x->listener);
}

static sk_sock *connect_to(const char *host, int port)
{
    sk_sock *s = NULL;
    if (strchr(host, ':') != NULL)
        sup_assert_rc(sk_tcp6(&s), 0);
    else
        sup_assert_rc(sk_tcp4(&s), 0);
    sup_assert_rc(sk_settimeout(s, SUP_SAFETY_TIMEOUT, 'b'), 0);
    sup_assert_rc(sk_connect(s, host, port), 0);
    return s;
}

/* The echo script: the handshake, then each line back until the end. */
static void srv_echo(srv *x, sk_sock *c)
{
    const char *v = NULL;
    x->hs = sk_tls_handshake(c);
    if (x->hs != 0)
        return;
    if (sk_tls_get(c, SK_TLS_PEER_SUBJECT, &v) == 0)
        snprintf(x->subject, sizeof x->subject, "%s", v);
    for (;;) {
        const char *line;
        size_t len, last = 0;
        ptrdiff_t l = 0;
        int r = sk_receiveline(c, &line, &len);
        if (r != 0) {
            x->rc = r;
            return;
        }
        (void)last;
        r = sk_send(c, line, len, 1, -1, &l);
        if (r == 0)
            r = sk_send(c, "\n", 1, 1, -1, &l);
        if (r != 0) {
            x->rc = r;
            return;
        }
    }
}

/* ---- tests ------------------------------------------------------------- */

static void t_provider(void **state)
{
    (void)state;
    tls_ready();
    print_message("TLS provider: %s\n", sk_tls_provider());
    assert_non_null(sk_tls_provider());
}

/* A handshake and an echo over host (IPv4 or IPv6), with its queries. */
static void roundtrip(const char *host)
{
    sk_tls_ctx *sc = server_ctx("server"), *cc = client_ctx();
    sk_sock *s;
    srv x;
    sk_buf b = {NULL, 0, 0};
    const char *v = NULL;
    uint64_t rx = 0, tx = 0;
    sup_assert_rc(sk_tls_ctx_set_alpn(sc, "http/1.1"), 0);
    sup_assert_rc(sk_tls_ctx_set_alpn(cc, "h2,http/1.1"), 0);
    srv_start(&x, host, sc, srv_echo);
    s = connect_to(host, x.port);
    sup_assert_rc(sk_tls_get(s, SK_TLS_VERSION, &v), SK_EWRONGROLE);
    sup_assert_rc(sk_tls_start(s, cc, strcmp(host, "127.0.0.1") == 0
                                          ? "localhost" : host), 0);
    sup_assert_rc(sk_tls_handshake(s), 0); /* done: 0 at once */
    sup_assert_rc(sk_tls_get(s, SK_TLS_VERSION, &v), 0);
    if (strncmp(sk_tls_provider(), "SChannel", 8) == 0 &&
        strcmp(v, "TLSv1.2") == 0) /* Windows before 11 / Server 2022 */
        print_message("SChannel negotiated TLS 1.2\n");
    else
        assert_string_equal(v, "TLSv1.3");
    sup_assert_rc(sk_tls_get(s, SK_TLS_CIPHER, &v), 0);
    assert_true(strlen(v) > 0);
    sup_assert_rc(sk_tls_get(s, SK_TLS_ALPN, &v), 0);
    assert_string_equal(v, "http/1.1");
    sup_assert_rc(sk_tls_get(s, SK_TLS_PEER_SUBJECT, &v), 0);
    assert_string_equal(v, "CN=localhost");
    sup_assert_rc(sk_tls_get(s, SK_TLS_PEER_ISSUER, &v), 0);
    assert_string_equal(v, "CN=sockit test CA");
    sup_assert_rc(sk_tls_get(s, SK_TLS_PEER_FINGERPRINT, &v), 0);
    assert_int_equal(strlen(v), 95);
    sup_assert_rc(sk_tls_get(s, SK_TLS_VERIFY_MESSAGE, &v), 0);
    assert_string_equal(v, "ok");
    sup_assert_rc(sk_tls_get(s, SK_TLS_ERROR_MESSAGE, &v), 0);
    assert_string_equal(v, "");
    sup_assert_rc(sk_tls_verified(s), 0);
    sup_assert_rc(sk_tls_resumed(s), 0);
    sup_assert_rc(sk_tls_start(s, cc, "localhost"), SK_EINVAL);
    sup_send_str(s, "hello\nsecond line\n");
    sup_assert_rc(sk_receive(s, &b, SK_LINE, 0), 0);
    sup_assert_bufstr(&b, "hello");
    b.len = 0;
    sup_assert_rc(sk_receive(s, &b, SK_LINE, 0), 0);
    sup_assert_bufstr(&b, "second line");
    sup_assert_rc(sk_getstats(s, &rx, &tx, NULL), 0);
    assert_int_equal(tx, 18); /* decrypted bytes, as the caller sees them */
    assert_int_equal(rx, 18);
    sup_assert_rc(sk_shutdown(s, SK_SHUT_SEND), 0); /* close_notify */
    sk_free(s);
    srv_join(&x);
    sup_assert_rc(x.hs, 0);
    sup_assert_rc(x.rc, SK_ECLOSED); /* a clean end: close_notify came */
    sk_buf_free(&b);
    sk_tls_ctx_free(sc);
    sk_tls_ctx_free(cc);
}

static void t_roundtrip_ipv4(void **state)
{
    (void)state;
    tls_server_ready();
    roundtrip("127.0.0.1");
}

static void t_roundtrip_ipv6(void **state)
{
    (void)state;
    tls_server_ready();
    if (!sup_ipv6_loopback()) {
        print_message("no IPv6 loopback: skipped\n");
        skip();
    }
    roundtrip("::1");
}

static void t_ip_host(void **state)
{
    (void)state;
    tls_server_ready();
    roundtrip("127.0.0.1"); /* name check by "localhost" above */
    {
        sk_tls_ctx *sc = server_ctx("server"), *cc = client_ctx();
        sk_sock *s;
        srv x;
        srv_start(&x, "127.0.0.1", sc, srv_echo);
        s = connect_to("127.0.0.1", x.port);
        sup_assert_rc(sk_tls_start(s, cc, "127.0.0.1"), 0); /* IP SAN */
        sk_free(s);
        srv_join(&x);
        sk_tls_ctx_free(sc);
        sk_tls_ctx_free(cc);
    }
}

/* A client of cc verifying a server that presents certificate name. */
static int verify_against(const char *name, const char *host,
                          char *msg, size_t cap)
{
    sk_tls_ctx *sc = server_ctx(name), *cc = client_ctx();
    const char *v = NULL;
    sk_sock *s;
    srv x;
    int r;
    srv_start(&x, "127.0.0.1", sc, srv_echo);
    s = connect_to("127.0.0.1", x.port);
    r = sk_tls_start(s, cc, host);
    sup_assert_rc(sk_tls_get(s, SK_TLS_ERROR_MESSAGE, &v), 0);
    snprintf(msg, cap, "%s", v);
    if (r != 0) { /* sticky: the same code again */
        sk_buf b = {NULL, 0, 0};
        sup_assert_rc(sk_receive(s, &b, SK_SOME, 10), r);
        sup_assert_rc(sk_tls_handshake(s), r);
        sk_buf_free(&b);
    }
    sk_free(s);
    srv_join(&x);
    assert_true(x.hs != 0 || r == 0);
    sk_tls_ctx_free(sc);
    sk_tls_ctx_free(cc);
    return r;
}

static void t_verify_failures(void **state)
{
    static const struct {
        const char *cert, *host;
        int want;
    } rows[] = {
        {"server", "localhost", 0},
        {"expired", "localhost", SK_ETLSEXPIRED},
        {"other", "localhost", SK_ETLSHOSTNAME},
        {"server", "example.com", SK_ETLSHOSTNAME},
        {"server", "127.0.0.2", SK_ETLSHOSTNAME},
        {"self", "localhost", SK_ETLSSELFSIGNED},
        {"rogue", "localhost", SK_ETLSUNTRUSTED},
    };
    size_t i;
    (void)state;
    tls_server_ready();
    for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char msg[256];
        int r = verify_against(rows[i].cert, rows[i].host, msg, sizeof msg);
        print_message("%s as %s: %s (%s)\n", rows[i].cert, rows[i].host,
                      sk_errname(r), msg);
        sup_assert_rc(r, rows[i].want);
        if (r != 0)
            assert_true(strlen(msg) > 0);
    }
}

/* VERIFY_NONE completes and still reports what verification found. */
static void t_verify_none(void **state)
{
    sk_tls_ctx *sc, *cc = NULL;
    sk_sock *s;
    srv x;
    (void)state;
    tls_server_ready();
    sc = server_ctx("self");
    sup_assert_rc(sk_tls_ctx_new(&cc, SK_TLS_CLIENT), 0);
    sup_assert_rc(sk_tls_ctx_set_verify(cc, SK_TLS_VERIFY_NONE), 0);
    srv_start(&x, "127.0.0.1", sc, srv_echo);
    s = connect_to("127.0.0.1", x.port);
    sup_assert_rc(sk_tls_start(s, cc, NULL), 0);
    sup_assert_rc(sk_tls_verified(s), SK_ETLSSELFSIGNED);
    sup_send_str(s, "x\n");
    sup_expect_str(s, "x\n");
    sk_free(s);
    srv_join(&x);
    sk_tls_ctx_free(sc);
    sk_tls_ctx_free(cc);
}

static void t_client_certificates(void **state)
{
    sk_tls_ctx *sc, *cc, *cc2;
    sk_sock *s;
    srv x;
    sk_buf b = {NULL, 0, 0};
    int r;
    (void)state;
    tls_server_ready();
    sc = server_ctx("server");
    sup_assert_rc(sk_tls_ctx_set_ca_file(sc, cert("ca.pem"), NULL), 0);
    sup_assert_rc(sk_tls_ctx_set_verify(sc, SK_TLS_VERIFY_PEER), 0);
    /* without a client certificate: the server refuses */
    cc = client_ctx();
    srv_start(&x, "127.0.0.1", sc, srv_echo);
    s = connect_to("127.0.0.1", x.port);
    r = sk_tls_start(s, cc, "localhost");
    if (r == 0) /* TLS 1.3: the client learns it at its first read */
        r = sk_receive(s, &b, SK_SOME, 10);
    assert_true(r == SK_ETLSHANDSHAKE || r == SK_ETLSPROTOCOL ||
                r == SK_ECONNRESET);
    sk_free(s);
    srv_join(&x);
    sup_assert_rc(x.hs, SK_ETLSCERT);
    /* with one (from memory this time) */
    cc2 = client_ctx();
    {
        FILE *f = fopen(cert("client.pem"), "rb");
        char pem[4096], key[4096];
        size_t np, nk;
        assert_non_null(f);
        np = fread(pem, 1, sizeof pem, f);
        fclose(f);
        f = fopen(cert("client.key"), "rb");
        assert_non_null(f);
        nk = fread(key, 1, sizeof key, f);
        fclose(f);
        sup_assert_rc(sk_tls_ctx_set_cert_pem(cc2, pem, np, key, nk), 0);
        sup_assert_rc(sk_tls_ctx_set_cert_pem(cc2, pem, np, NULL, 0),
                      SK_ETLSBADCERT); /* no key in that text */
        sup_assert_rc(sk_tls_ctx_set_cert_pem(cc2, pem, np, key, nk), 0);
    }
    srv_start(&x, "127.0.0.1", sc, srv_echo);
    s = connect_to("127.0.0.1", x.port);
    sup_assert_rc(sk_tls_start(s, cc2, "localhost"), 0);
    sup_send_str(s, "with a certificate\n");
    sup_expect_str(s, "with a certificate\n");
    sk_free(s);
    srv_join(&x);
    sup_assert_rc(x.hs, 0);
    assert_string_equal(x.subject, "CN=sockit-client");
    sk_buf_free(&b);
    sk_tls_ctx_free(sc);
    sk_tls_ctx_free(cc);
    sk_tls_ctx_free(cc2);
}

static void t_resumption(void **state)
{
    sk_tls_ctx *sc, *cc;
    int i;
    (void)state;
    tls_server_ready();
    sc = server_ctx("server");
    cc = client_ctx();
    for (i = 0; i < 2; i++) {
        sk_sock *s;
        srv x;
        srv_start(&x, "127.0.0.1", sc, srv_echo);
        s = connect_to("127.0.0.1", x.port);
        sup_assert_rc(sk_tls_start(s, cc, "localhost"), 0);
        sup_send_str(s, "ticket\n"); /* reading takes the ticket in */
        sup_expect_str(s, "ticket\n");
        /* a new listener has a new port: the key is host and port, so
         * resume against the first listener's port instead */
        sup_assert_rc(sk_tls_resumed(s), 0);
        sk_free(s);
        srv_join(&x);
    }
    {   /* two connections to one listener: the second resumes */
        sk_sock *l = NULL, *s, *c = NULL;
        sk_name n;
        sup_assert_rc(sk_tcp4(&l), 0);
        sup_assert_rc(sk_bind(l, "127.0.0.1", 0), 0);
        sup_assert_rc(sk_listen(l, 8), 0);
        sup_assert_rc(sk_tls_listen(l, sc), 0);
        sup_assert_rc(sk_getsockname(l, &n), 0);
        for (i = 0; i < 2; i++) {
            sk_sock *cs = NULL;
            s = connect_to("127.0.0.1", n.port);
            sup_assert_rc(sk_setblocking(s, 0), 0);
            sup_assert_rc(sk_accept(l, &c, NULL), 0);
            sup_assert_rc(sk_setblocking(c, 0), 0);
            /* both sides step by step on this thread */
            {
                int rs = SK_EWOULDBLOCK, rc = SK_EWOULDBLOCK, k;
                rs = sk_tls_start(s, cc, "localhost");
                for (k = 0; k < 1000 && (rs != 0 || rc != 0); k++) {
                    if (rc == SK_EWOULDBLOCK)
                        rc = sk_tls_handshake(c);
                    if (rs == SK_EWOULDBLOCK)
                        rs = sk_tls_handshake(s);
                    if ((rs != 0 && rs != SK_EWOULDBLOCK) ||
                        (rc != 0 && rc != SK_EWOULDBLOCK))
                        break;
                }
                sup_assert_rc(rs, 0);
                sup_assert_rc(rc, 0);
            }
            sup_assert_rc(sk_setblocking(s, 1), 0);
            sup_assert_rc(sk_setblocking(c, 1), 0);
            sup_assert_rc(sk_settimeout(c, SUP_SAFETY_TIMEOUT, 'b'), 0);
            sup_send_str(c, "t\n");
            sup_expect_str(s, "t\n"); /* the ticket comes with it */
            sup_assert_rc(sk_tls_resumed(s), i);
            sup_assert_rc(sk_tls_resumed(c), i);
            cs = c;
            sk_free(s);
            sk_free(cs);
        }
        sk_free(l);
    }
    sk_tls_ctx_free(sc);
    sk_tls_ctx_free(cc);
}

/* 64 MiB (SOCKIT_TEST_BULK_MIB) each way at once, with checksums. */
static void srv_bulk(srv *x, sk_sock *c)
{
    size_t total = x->count, done = 0;
    uint64_t seed = 99, h = SUP_HASH_INIT;
    char *buf = (char *)malloc(65536);
    sk_buf b = {NULL, 0, 0};
    x->hs = sk_tls_handshake(c);
    x->rc = x->hs;
    while (x->rc == 0 && done < total) {
        size_t n = total - done < 65536 ? total - done : 65536;
        ptrdiff_t l = 0;
        sup_fill(&seed, buf, n);
        x->rc = sk_send(c, buf, n, 1, -1, &l);
        done += n;
    }
    if (x->rc == 0)
        x->rc = sk_receive(c, &b, SK_ALL, 0);
    x->hash = sup_hash(h, b.data, b.len);
    x->count = b.len;
    sk_buf_free(&b);
    free(buf);
}

static void t_bulk(void **state)
{
    size_t mib = sup_env_size("SOCKIT_TEST_BULK_MIB", 64);
    size_t total = mib << 20, got = 0, sent = 0;
    sk_tls_ctx *sc, *cc;
    uint64_t seed = 99, hs = SUP_HASH_INIT, hr = SUP_HASH_INIT, h2 = 0;
    uint64_t seed2 = 7, rx = 0, tx = 0;
    char *want, *in;
    sk_sock *s;
    srv x;
    (void)state;
    tls_server_ready();
    sc = server_ctx("server");
    cc = client_ctx();
    want = (char *)malloc(65536);
    in = (char *)malloc(65536);
    assert_non_null(want);
    assert_non_null(in);
    srv_start(&x, "127.0.0.1", sc, srv_bulk);
    x.count = total;
    s = connect_to("127.0.0.1", x.port);
    sup_assert_rc(sk_tls_start(s, cc, "localhost"), 0);
    /* receive everything first, then send: the server sends first */
    while (got < total) {
        size_t n = 0;
        sup_assert_rc(sk_read(s, in, 65536, &n), 0);
        hr = sup_hash(hr, in, n);
        got += n;
    }
    while (sent < total) {
        size_t n = total - sent < 65536 ? total - sent : 65536;
        sup_fill(&seed2, want, n);
        h2 = sup_hash(h2 == 0 ? SUP_HASH_INIT : h2, want, n);
        sup_send_all(s, want, n);
        sent += n;
    }
    sup_assert_rc(sk_getstats(s, &rx, &tx, NULL), 0);
    assert_true(rx == total && tx == total);
    sup_assert_rc(sk_shutdown(s, SK_SHUT_SEND), 0);
    sk_free(s);
    srv_join(&x);
    sup_assert_rc(x.rc, 0);
    /* what the server sent: its stream regenerated here */
    for (got = 0; got < total;) {
        size_t n = total - got < 65536 ? total - got : 65536;
        sup_fill(&seed, want, n);
        hs = sup_hash(hs, want, n);
        got += n;
    }
    assert_true(hr == hs);
    assert_int_equal(x.count, total);
    assert_true(x.hash == h2);
    print_message("%lu MiB each way over TLS, checksums equal\n",
                  (unsigned long)mib);
    free(want);
    free(in);
    sk_tls_ctx_free(sc);
    sk_tls_ctx_free(cc);
}

/* Lines cut across records: each sk_send is a record of its own. */
static void srv_pieces(srv *x, sk_sock *c)
{
    static const char *const pieces[] = {"fir", "st\r", "\nsec", "ond\nth",
                                         "ird\n", "\n", "last"};
    size_t i;
    x->hs = sk_tls_handshake(c);
    x->rc = x->hs;
    for (i = 0; x->rc == 0 && i < sizeof pieces / sizeof pieces[0]; i++) {
        ptrdiff_t l = 0;
        x->rc = sk_send(c, pieces[i], strlen(pieces[i]), 1, -1, &l);
        /* wait for the client's go, so that every piece is its own read */
        if (x->rc == 0) {
            sk_buf b = {NULL, 0, 0};
            x->rc = sk_receive(c, &b, SK_BYTES, 1);
            sk_buf_free(&b);
        }
    }
}

static void lines_across_records(int views)
{
    static const char *const want[] = {"first", "second", "third", ""};
    sk_tls_ctx *sc = server_ctx("server"), *cc = client_ctx();
    sk_sock *s;
    srv x;
    sk_buf b = {NULL, 0, 0};
    size_t i, acks = 0;
    srv_start(&x, "127.0.0.1", sc, srv_pieces);
    s = connect_to("127.0.0.1", x.port);
    sup_assert_rc(sk_tls_start(s, cc, "localhost"), 0);
    /* let every piece arrive before the lines are read */
    for (acks = 0; acks < 7; acks++)
        sup_send_str(s, "k");
    for (i = 0; i < 4; i++) {
        if (views) {
            const char *line = NULL;
            size_t len = 0;
            sup_assert_rc(sk_receiveline(s, &line, &len), 0);
            assert_int_equal(len, strlen(want[i]));
            assert_memory_equal(line, want[i], len);
        } else {
            b.len = 0;
            sup_assert_rc(sk_receive(s, &b, SK_LINE, 0), 0);
            sup_assert_bufstr(&b, want[i]);
        }
    }
    if (views) {
        const char *line = NULL;
        size_t len = 0;
        sup_assert_rc(sk_receiveline(s, &line, &len), SK_ECLOSED);
        assert_int_equal(len, 4);
        assert_memory_equal(line, "last", 4);
    } else {
        b.len = 0;
        sup_assert_rc(sk_receive(s, &b, SK_LINE, 0), SK_ECLOSED);
        sup_assert_bufstr(&b, "last");
    }
    sk_free(s);
    srv_join(&x);
    sup_assert_rc(x.rc, 0);
    sk_buf_free(&b);
    sk_tls_ctx_free(sc);
    sk_tls_ctx_free(cc);
}

static void t_lines_across_records(void **state)
{
    (void)state;
    tls_server_ready();
    lines_across_records(0);
    lines_across_records(1);
}

/* Decrypted bytes held by TLS are buffered: sk_dirty, sk_select. */
static void srv_one_record(srv *x, sk_sock *c)
{
    char rec[100];
    ptrdiff_t l = 0;
    sk_buf b = {NULL, 0, 0};
    memset(rec, 'r', sizeof rec);
    x->hs = sk_tls_handshake(c);
    x->rc = x->hs;
    if (x->rc == 0)
        x->rc = sk_send(c, rec, sizeof rec, 1, -1, &l);
    if (x->rc == 0) /* until the client closes */
        x->rc = sk_receive(c, &b, SK_ALL, 0);
    sk_buf_free(&b);
}

static void t_dirty_and_select(void **state)
{
    sk_tls_ctx *sc, *cc;
    sk_sock *s, *rd[1], *ready[1];
    char buf[10];
    size_t n = 0, nready = 0, nw = 0, total = 0;
    srv x;
    (void)state;
    tls_server_ready();
    sc = server_ctx("server");
    cc = client_ctx();
    srv_start(&x, "127.0.0.1", sc, srv_one_record);
    s = connect_to("127.0.0.1", x.port);
    sup_assert_rc(sk_tls_start(s, cc, "localhost"), 0);
    sup_assert_rc(sk_dirty(s), 0);
    sup_assert_rc(sk_read(s, buf, sizeof buf, &n), 0);
    assert_int_equal(n, 10);
    total = n;
    /* 90 decrypted bytes wait inside TLS: nothing in the socket */
    sup_assert_rc(sk_dirty(s), 1);
    rd[0] = s;
    sup_assert_rc(sk_select(rd, 1, NULL, 0, 0.0, ready, &nready, NULL, &nw),
                  0);
    assert_int_equal(nready, 1);
    while (total < 100) {
        sup_assert_rc(sk_read(s, buf, sizeof buf, &n), 0);
        total += n;
    }
    sup_assert_rc(sk_dirty(s), 0);
    sk_free(s);
    srv_join(&x);
    sk_tls_ctx_free(sc);
    sk_tls_ctx_free(cc);
}

/* STARTTLS: a plain line, then TLS at once; the ClientHello may come in
 * the same read as the line (bytes read ahead belong to TLS). */
static void srv_starttls(srv *x, sk_sock *c)
{
    const char *line = NULL;
    size_t len = 0;
    x->rc = sk_receiveline(c, &line, &len);
    if (x->rc == 0 && (len != 8 || memcmp(line, "STARTTLS", 8) != 0))
        x->rc = SK_EINVAL;
    if (x->rc == 0)
        x->hs = x->rc = sk_tls_start(c, (sk_tls_ctx *)x->arg, NULL);
    if (x->rc == 0)
        x->rc = sk_receiveline(c, &line, &len);
    if (x->rc == 0) {
        ptrdiff_t l = 0;
        x->rc = sk_send(c, "secret ok\n", 10, 1, -1, &l);
    }
}

static void t_starttls(void **state)
{
    sk_tls_ctx *sc, *cc;
    sk_sock *s;
    srv x;
    (void)state;
    tls_server_ready();
    sc = server_ctx("server");
    cc = client_ctx();
    srv_start(&x, "127.0.0.1", NULL, srv_starttls);
    x.arg = sc;
    s = connect_to("127.0.0.1", x.port);
    sup_send_str(s, "STARTTLS\n");
    sup_assert_rc(sk_tls_start(s, cc, "localhost"), 0);
    sup_send_str(s, "secret\n");
    sup_expect_str(s, "secret ok\n");
    sk_free(s);
    srv_join(&x);
    sup_assert_rc(x.rc, 0);
    sk_tls_ctx_free(sc);
    sk_tls_ctx_free(cc);
}

/* Non-blocking: SK_EWOULDBLOCK until the handshake is done, driven by
 * sk_select. */
static void t_nonblocking_handshake(void **state)
{
    sk_tls_ctx *sc, *cc;
    sk_sock *s, *rd[1], *ready[1];
    const char *v = NULL;
    int r, k;
    srv x;
    (void)state;
    tls_server_ready();
    sc = server_ctx("server");
    cc = client_ctx();
    srv_start(&x, "127.0.0.1", sc, srv_echo);
    s = connect_to("127.0.0.1", x.port);
    sup_assert_rc(sk_setblocking(s, 0), 0);
    r = sk_tls_start(s, cc, "localhost");
    /* the server thread may have answered the ClientHello already */
    assert_true(r == SK_EWOULDBLOCK || r == 0);
    if (r == SK_EWOULDBLOCK) {
        sup_assert_rc(sk_tls_get(s, SK_TLS_VERSION, &v), SK_EINPROGRESS);
        sup_assert_rc(sk_tls_verified(s), SK_EINPROGRESS);
        sup_assert_rc(sk_tls_resumed(s), SK_EINPROGRESS);
    }
    for (k = 0; k < 100 && r == SK_EWOULDBLOCK; k++) {
        size_t nready = 0, nw = 0;
        rd[0] = s;
        sup_assert_rc(sk_select(rd, 1, NULL, 0, SUP_SAFETY_TIMEOUT, ready,
                                &nready, NULL, &nw),
                      0);
        r = sk_tls_handshake(s);
    }
    sup_assert_rc(r, 0);
    sup_assert_rc(sk_setblocking(s, 1), 0);
    sup_send_str(s, "nb\n");
    sup_expect_str(s, "nb\n");
    sk_free(s);
    srv_join(&x);
    sk_tls_ctx_free(sc);
    sk_tls_ctx_free(cc);
}

/* sk_sendv gathers small buffers into records: the bytes that cross a
 * relay toward the server (records and their overhead) are the same as
 * for one sk_send of everything, and fewer than for one sk_send per
 * buffer (each its own record: the control that shows the measure can
 * tell).  The server checks every byte. */
static void srv_sink(srv *x, sk_sock *c)
{
    sk_buf b = {NULL, 0, 0};
    ptrdiff_t l = 0;
    x->hs = x->rc = sk_tls_handshake(c);
    if (x->rc == 0)
        x->rc = sk_receive(c, &b, SK_BYTES, x->count);
    if (x->rc == 0 && (b.len != x->count ||
                       sup_hash(SUP_HASH_INIT, b.data, b.len) != x->hash))
        x->rc = SK_EINVAL; /* not the bytes sent */
    if (x->rc == 0)
        x->rc = sk_send(c, "ok", 2, 1, -1, &l);
    sk_buf_free(&b);
}

enum { SV_ONE_SEND, SV_SENDV, SV_SEND_EACH };

/* The bytes that crossed toward the server for the handshake and the
 * buffers of sizes[] sent as how says. */
static uint64_t sendv_wire(int how, const size_t *sizes, size_t n)
{
    sk_tls_ctx *sc = server_ctx("server"), *cc = client_ctx();
    sk_iovec iov[80];
    uint64_t seed = 5, to_server = 0;
    size_t i, total = 0, sent = 0;
    char *data;
    sup_relay *relay;
    sk_sock *s;
    srv x;
    int port = 0;
    assert_true(n <= 80);
    for (i = 0; i < n; i++)
        total += sizes[i];
    data = (char *)malloc(total);
    assert_non_null(data);
    sup_fill(&seed, data, total);
    srv_start(&x, "127.0.0.1", sc, srv_sink);
    x.count = total;
    x.hash = sup_hash(SUP_HASH_INIT, data, total);
    relay = sup_relay_start(x.port, SUP_FAULT_NONE, 0, &port);
    s = connect_to("127.0.0.1", port);
    sup_assert_rc(sk_tls_start(s, cc, "localhost"), 0);
    for (i = 0, total = 0; i < n; i++) {
        iov[i].data = data + total;
        iov[i].len = sizes[i];
        total += sizes[i];
    }
    if (how == SV_ONE_SEND) {
        sup_send_all(s, data, total);
    } else if (how == SV_SENDV) {
        sup_assert_rc(sk_sendv(s, iov, n, &sent), 0);
        assert_int_equal(sent, total);
    } else {
        for (i = 0; i < n; i++)
            sup_send_all(s, iov[i].data, iov[i].len);
    }
    /* the server read every byte before it answers: all crossed */
    sup_expect_str(s, "ok");
    sup_relay_stop(relay, NULL, &to_server);
    sk_free(s);
    srv_join(&x);
    sup_assert_rc(x.rc, 0);
    free(data);
    sk_tls_ctx_free(sc);
    sk_tls_ctx_free(cc);
    return to_server;
}

static void t_sendv_records(void **state)
{
    /* ten small buffers (one record), then 70 of 300 bytes and a large
     * one between them (21,000 + 40,000 bytes: four records, not 71) */
    static const size_t small[] = {1, 7, 64, 100, 3, 0, 512, 9, 2, 30};
    size_t mixed[71];
    uint64_t one, v, each;
    size_t i;
    (void)state;
    tls_server_ready();
    one = sendv_wire(SV_ONE_SEND, small, 10);
    v = sendv_wire(SV_SENDV, small, 10);
    each = sendv_wire(SV_SEND_EACH, small, 10);
    print_message("10 small buffers: one sk_send %lu bytes on the wire, "
                  "sk_sendv %lu, a send each %lu\n", (unsigned long)one,
                  (unsigned long)v, (unsigned long)each);
    assert_true(v == one);
    assert_true(each > one); /* 9 more records: the measure can tell */
    assert_true((each - one) % 8 == 0); /* (one buffer is empty) */
    for (i = 0; i < 71; i++)
        mixed[i] = i == 35 ? 40000 : 300;
    one = sendv_wire(SV_ONE_SEND, mixed, 71);
    v = sendv_wire(SV_SENDV, mixed, 71);
    print_message("70 x 300 + 40,000 bytes: one sk_send %lu, sk_sendv %lu\n",
                  (unsigned long)one, (unsigned long)v);
    assert_true(v == one);
}

/* ---- broken peers ------------------------------------------------------ */

/* A plain server that accepts and says nothing until the client goes. */
static void srv_silent(srv *x, sk_sock *c)
{
    sk_buf b = {NULL, 0, 0};
    x->rc = sk_receive(c, &b, SK_ALL, 0);
    sk_buf_free(&b);
}

static void t_silent_peer_times_out(void **state)
{
    sk_tls_ctx *cc;
    sk_sock *s;
    srv x;
    (void)state;
    tls_ready();
    cc = client_ctx();
    srv_start(&x, "127.0.0.1", NULL, srv_silent);
    s = connect_to("127.0.0.1", x.port);
    sup_assert_rc(sk_settimeout(s, 0.2, 'b'), 0);
    sup_assert_rc(sk_tls_start(s, cc, "localhost"), SK_ETIMEOUT);
    sup_assert_rc(sk_settimeout(s, 0.1, 't'), 0);
    sup_assert_rc(sk_tls_handshake(s), SK_ETIMEOUT); /* still waiting */
    sk_free(s);
    srv_join(&x);
    sk_tls_ctx_free(cc);
}

/* A plain server that answers garbage to the ClientHello. */
static void srv_garbage(srv *x, sk_sock *c)
{
    sk_buf b = {NULL, 0, 0};
    ptrdiff_t l = 0;
    static const char junk[] = "HTTP/1.0 400 Bad Request\r\n\r\nnot TLS";
    x->rc = sk_receive(c, &b, SK_SOME, 4096);
    if (x->rc == 0)
        x->rc = sk_send(c, junk, sizeof junk - 1, 1, -1, &l);
    sk_buf_free(&b);
}

static void t_garbage_server_hello(void **state)
{
    sk_tls_ctx *cc;
    sk_sock *s;
    srv x;
    const char *v = NULL;
    (void)state;
    tls_ready();
    cc = client_ctx();
    srv_start(&x, "127.0.0.1", NULL, srv_garbage);
    s = connect_to("127.0.0.1", x.port);
    sup_assert_rc(sk_tls_start(s, cc, "localhost"), SK_ETLSHANDSHAKE);
    sup_assert_rc(sk_tls_get(s, SK_TLS_ERROR_MESSAGE, &v), 0);
    print_message("garbage answer: %s\n", v);
    assert_true(strlen(v) > 0);
    sk_free(s);
    srv_join(&x);
    sk_tls_ctx_free(cc);
}

/* After the handshake, raw bytes on the TLS client's socket (the system's
 * calls on its handle), then the raw end of the stream. */
static int raw_send_shut(sk_fd_t fd, const char *p, size_t len)
{
#if defined(_WIN32)
    while (len > 0) {
        int n = send((SOCKET)fd, p, len > 65536 ? 65536 : (int)len, 0);
        if (n <= 0)
            return SK_ESYSTEM;
        p += n;
        len -= (size_t)n;
    }
    return shutdown((SOCKET)fd, SD_BOTH) == 0 ? 0 : SK_ESYSTEM;
#else
    while (len > 0) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        if (n <= 0)
            return SK_ESYSTEM;
        p += n;
        len -= (size_t)n;
    }
    return shutdown(fd, SHUT_RDWR) == 0 ? 0 : SK_ESYSTEM;
#endif
}

typedef struct raw_after {
    const char *bytes;
    size_t len;
    int notify; /* 1: close cleanly instead */
} raw_after;

static void srv_raw_after(srv *x, sk_sock *c)
{
    raw_after *ra = (raw_after *)x->arg;
    ptrdiff_t l = 0;
    x->hs = x->rc = sk_tls_handshake(c);
    if (x->rc == 0)
        x->rc = sk_send(c, "data\n", 5, 1, -1, &l);
    if (x->rc != 0 || ra->notify)
        return; /* sk_free(c) sends close_notify */
    x->rc = raw_send_shut(sk_getfd(c), ra->bytes, ra->len);
}

static int after_raw(const char *bytes, size_t len, int notify,
                     sk_buf *got)
{
    sk_tls_ctx *sc = server_ctx("server"), *cc = client_ctx();
    raw_after ra;
    sk_sock *s;
    srv x;
    int r;
    ra.bytes = bytes;
    ra.len = len;
    ra.notify = notify;
    srv_start(&x, "127.0.0.1", sc, srv_raw_after);
    x.arg = &ra;
    s = connect_to("127.0.0.1", x.port);
    sup_assert_rc(sk_tls_start(s, cc, "localhost"), 0);
    r = sk_receive(s, got, SK_ALL, 0);
    if (r != 0) {
        const char *v = NULL;
        sk_buf more = {NULL, 0, 0};
        sup_assert_rc(sk_tls_get(s, SK_TLS_ERROR_MESSAGE, &v), 0);
        print_message("%s: %s\n", sk_errname(r), v);
        sup_assert_rc(sk_receive(s, &more, SK_SOME, 1), r); /* sticky */
        sk_buf_free(&more);
    }
    sk_free(s);
    srv_join(&x);
    sup_assert_rc(x.rc, 0);
    sk_tls_ctx_free(sc);
    sk_tls_ctx_free(cc);
    return r;
}

static void t_broken_streams(void **state)
{
    /* a record header promising 64 bytes, 10 of them, then the end */
    static const char truncated[] = "\x17\x03\x03\x00\x40" "0123456789";
    /* a record of 16 bytes that do not decrypt */
    static const char garbage[] = "\x17\x03\x03\x00\x10" "0123456789abcdef";
    /* a fatal alert in the clear (internal_error) */
    static const char alert[] = "\x15\x03\x03\x00\x02\x02\x50";
    sk_buf b = {NULL, 0, 0};
    (void)state;
    tls_server_ready();
    /* the clean end: close_notify, data and 0 */
    sup_assert_rc(after_raw(NULL, 0, 1, &b), 0);
    sup_assert_bufstr(&b, "data\n");
    b.len = 0;
    /* the end without close_notify: never a clean end */
    sup_assert_rc(after_raw(NULL, 0, 0, &b), SK_ETLSNOCLOSE);
    sup_assert_bufstr(&b, "data\n"); /* what came first is kept */
    b.len = 0;
    sup_assert_rc(after_raw(truncated, sizeof truncated - 1, 0, &b),
                  SK_ETLSNOCLOSE);
    b.len = 0;
    sup_assert_rc(after_raw(garbage, sizeof garbage - 1, 0, &b),
                  SK_ETLSPROTOCOL);
    b.len = 0;
    sup_assert_rc(after_raw(alert, sizeof alert - 1, 0, &b),
                  SK_ETLSPROTOCOL);
    sk_buf_free(&b);
}


/* ---- the event API: sk_conn and sk_server over TLS --------------------- */

typedef struct ev {
    sk_loop *loop;
    sk_conn *client;
    sk_conn *accepted;
    int states[16];
    int nstates;
    int connected;    /* the client's connected handler ran */
    int error, code;  /* the client's error handler */
    int done;         /* the echo came back, or the client failed */
    sk_buf got;
} ev;

static void ev_srv_read(sk_conn *c, size_t avail, void *ud)
{
    char buf[256];
    size_t n = 0;
    (void)avail;
    (void)ud;
    while (sk_conn_read(c, buf, sizeof buf, &n) == 0 && n > 0)
        (void)sk_conn_write(c, buf, n);
}

static void ev_srv_gone(sk_conn *c, void *ud)
{
    ev *e = (ev *)ud;
    (void)c;
    sk_conn_free(e->accepted);
    e->accepted = NULL;
}

static void ev_srv_error(sk_conn *c, int error, void *ud)
{
    (void)c;
    (void)error;
    (void)ud;
}

static void ev_accept(sk_server *server, sk_conn *conn, void *ud)
{
    ev *e = (ev *)ud;
    sk_conn_handlers h;
    (void)server;
    memset(&h, 0, sizeof h);
    h.ready_read = ev_srv_read;
    h.disconnected = ev_srv_gone;
    h.error = ev_srv_error;
    assert_int_equal(sk_conn_state(conn), SK_CONN_ENCRYPTING);
    e->accepted = conn;
    sup_assert_rc(sk_conn_sethandlers(conn, &h, e), 0);
}

static void ev_state(sk_conn *c, int state, void *ud)
{
    ev *e = (ev *)ud;
    (void)c;
    if (e->nstates < 16)
        e->states[e->nstates++] = state;
}

static void ev_connected(sk_conn *c, void *ud)
{
    ev *e = (ev *)ud;
    e->connected = 1;
    sup_assert_rc(sk_conn_write(c, "over tls\n", 9), 0);
}

static void ev_read(sk_conn *c, size_t avail, void *ud)
{
    ev *e = (ev *)ud;
    (void)avail;
    if (sk_conn_read_line(c, &e->got) == 0) {
        e->done = 1;
        (void)sk_conn_disconnect(c);
    }
}

static void ev_error(sk_conn *c, int error, void *ud)
{
    ev *e = (ev *)ud;
    e->error = error;
    (void)sk_conn_error(c, NULL, &e->code);
    e->done = 1;
}

/* A client connection with ctx to a TLS server of certificate name, both
 * on host (127.0.0.1 or ::1). */
static void event_run_on(const char *host, const char *name, ev *e)
{
    sk_tls_ctx *sc = server_ctx(name), *cc = client_ctx();
    sk_server *server = NULL;
    sk_sock *ss = NULL;
    sk_conn_handlers h;
    sk_name n;
    int k;
    memset(e, 0, sizeof *e);
    sup_assert_rc(sk_loop_new(&e->loop), 0);
    sup_assert_rc(sk_server_new(e->loop, &server), 0);
    sup_assert_rc(sk_server_sock(server, &ss), 0);
    sup_assert_rc(sk_tls_listen(ss, sc), 0);
    sup_assert_rc(sk_server_listen(server, host, 0, 8, ev_accept, e), 0);
    sup_assert_rc(sk_getsockname(ss, &n), 0);
    sup_assert_rc(sk_conn_new(e->loop, &e->client), 0);
    sup_assert_rc(sk_conn_settls(e->client, sc, "localhost"), SK_EINVAL);
    sup_assert_rc(sk_conn_settls(e->client, cc, NULL), SK_EINVAL);
    sup_assert_rc(sk_conn_settls(e->client, cc, "localhost"), 0);
    memset(&h, 0, sizeof h);
    h.state_changed = ev_state;
    h.connected = ev_connected;
    h.ready_read = ev_read;
    h.error = ev_error;
    sup_assert_rc(sk_conn_sethandlers(e->client, &h, e), 0);
    sup_assert_rc(sk_conn_connect(e->client, host, n.port), 0);
    for (k = 0; k < 100000 && (!e->done ||
                               sk_conn_state(e->client) != SK_CONN_UNCONNECTED);
         k++)
        sup_assert_rc(sk_loop_run(e->loop, SK_RUN_ONCE), 0);
    assert_true(e->done);
    sk_conn_free(e->client);
    sk_conn_free(e->accepted);
    sk_server_free(server);
    sk_loop_free(e->loop);
    sk_buf_free(&e->got);
    sk_tls_ctx_free(sc);
    sk_tls_ctx_free(cc);
}

static void event_run(const char *name, ev *e)
{
    event_run_on("127.0.0.1", name, e);
}

static void t_event_api(void **state)
{
    ev e;
    int i, saw_encrypting = 0, saw_connected = 0;
    (void)state;
    tls_server_ready();
    event_run("server", &e);
    assert_true(e.connected);
    assert_int_equal(e.error, 0);
    for (i = 0; i < e.nstates; i++) {
        if (e.states[i] == SK_CONN_ENCRYPTING)
            saw_encrypting = 1;
        if (e.states[i] == SK_CONN_CONNECTED && saw_encrypting)
            saw_connected = 1;
    }
    assert_true(saw_encrypting && saw_connected);
    if (sup_ipv6_loopback()) { /* the same over IPv6 */
        event_run_on("::1", "server", &e);
        assert_true(e.connected);
        assert_int_equal(e.error, 0); /* done: the echo came back */
    } else {
        print_message("no IPv6 loopback: the IPv6 run skipped\n");
    }
    /* a failed verification: error 13 with the reason's code */
    event_run("other", &e);
    assert_false(e.connected);
    assert_int_equal(e.error, SK_CONN_ERR_SSL_HANDSHAKE_FAILED);
    sup_assert_rc(e.code, SK_ETLSHOSTNAME);
    assert_int_equal(sk_conn_errcode(SK_ETLSNOCLOSE),
                     SK_CONN_ERR_SSL_INTERNAL);
    assert_int_equal(sk_conn_errcode(SK_ETLSBADCERT),
                     SK_CONN_ERR_SSL_INVALID_DATA);
}

/* The connect timeout covers the handshake: a plain server that accepts
 * and never answers the ClientHello ends the client at the timeout, in
 * ENCRYPTING, with SOCKET_TIMEOUT. */
static void ev_silent_accept(sk_server *server, sk_conn *conn, void *ud)
{
    ev *e = (ev *)ud;
    (void)server;
    assert_int_equal(sk_conn_state(conn), SK_CONN_CONNECTED); /* plain */
    e->accepted = conn; /* held, never read: the ClientHello waits */
}

static void ev_safety(sk_timer *t, void *ud)
{
    ev *e = (ev *)ud;
    (void)t;
    e->done = 2; /* gave up: the connect timeout never fired */
}

static void t_event_silent_server_times_out(void **state)
{
    sk_tls_ctx *cc;
    sk_server *server = NULL;
    sk_sock *ss = NULL;
    sk_timer *safety = NULL;
    sk_conn_handlers h;
    sk_name n;
    ev e;
    int k, i, saw_encrypting = 0;
    (void)state;
    tls_ready();
    cc = client_ctx();
    memset(&e, 0, sizeof e);
    sup_assert_rc(sk_loop_new(&e.loop), 0);
    sup_assert_rc(sk_server_new(e.loop, &server), 0);
    sup_assert_rc(sk_server_listen(server, "127.0.0.1", 0, 8,
                                   ev_silent_accept, &e),
                  0);
    sup_assert_rc(sk_server_sock(server, &ss), 0);
    sup_assert_rc(sk_getsockname(ss, &n), 0);
    sup_assert_rc(sk_conn_new(e.loop, &e.client), 0);
    sup_assert_rc(sk_conn_settls(e.client, cc, "localhost"), 0);
    sup_assert_rc(sk_conn_settimeout(e.client, 0.3, 'c'), 0);
    memset(&h, 0, sizeof h);
    h.state_changed = ev_state;
    h.connected = ev_connected;
    h.error = ev_error;
    sup_assert_rc(sk_conn_sethandlers(e.client, &h, &e), 0);
    sup_assert_rc(sk_timer_new(e.loop, &safety), 0);
    sup_assert_rc(sk_timer_start(safety, SUP_SAFETY_TIMEOUT, 0, ev_safety,
                                 &e),
                  0);
    sup_assert_rc(sk_conn_connect(e.client, "127.0.0.1", n.port), 0);
    for (k = 0; k < 100000 && (!e.done || sk_conn_state(e.client) !=
                                              SK_CONN_UNCONNECTED);
         k++) {
        sup_assert_rc(sk_loop_run(e.loop, SK_RUN_ONCE), 0);
        if (e.done == 2)
            break;
    }
    assert_int_equal(e.done, 1); /* the error handler, not the safety */
    assert_false(e.connected);
    assert_non_null(e.accepted); /* TCP was accepted: the TLS part hung */
    assert_int_equal(e.error, SK_CONN_ERR_SOCKET_TIMEOUT);
    sup_assert_rc(e.code, SK_ETIMEOUT);
    assert_int_equal(sk_conn_state(e.client), SK_CONN_UNCONNECTED);
    for (i = 0; i < e.nstates; i++)
        if (e.states[i] == SK_CONN_ENCRYPTING)
            saw_encrypting = 1;
    assert_true(saw_encrypting);
    assert_int_equal(e.states[e.nstates - 1], SK_CONN_UNCONNECTED);
    /* the connection is reusable: the same again ends the same way */
    e.done = 0;
    e.error = 0;
    e.nstates = 0;
    sk_conn_free(e.accepted);
    e.accepted = NULL;
    sup_assert_rc(sk_conn_connect(e.client, "127.0.0.1", n.port), 0);
    for (k = 0; k < 100000 && (!e.done || sk_conn_state(e.client) !=
                                              SK_CONN_UNCONNECTED);
         k++) {
        sup_assert_rc(sk_loop_run(e.loop, SK_RUN_ONCE), 0);
        if (e.done == 2)
            break;
    }
    assert_int_equal(e.done, 1);
    assert_int_equal(e.error, SK_CONN_ERR_SOCKET_TIMEOUT);
    sk_timer_free(safety);
    sk_conn_free(e.client);
    sk_conn_free(e.accepted);
    sk_server_free(server);
    sk_loop_free(e.loop);
    sk_tls_ctx_free(cc);
}

/* The server side: 'c' set in the accept callback bounds the handshake of
 * a TLS listener's connection; a client that connects and never sends a
 * ClientHello ends there with SOCKET_TIMEOUT (not held forever). */
static void ev_limit_error(sk_conn *c, int error, void *ud)
{
    ev *e = (ev *)ud;
    e->error = error;
    (void)sk_conn_error(c, NULL, &e->code);
    e->done = 1;
}

static void ev_limit_accept(sk_server *server, sk_conn *conn, void *ud)
{
    ev *e = (ev *)ud;
    sk_conn_handlers h;
    (void)server;
    memset(&h, 0, sizeof h);
    h.state_changed = ev_state;
    h.error = ev_limit_error;
    assert_int_equal(sk_conn_state(conn), SK_CONN_ENCRYPTING);
    e->accepted = conn;
    sup_assert_rc(sk_conn_sethandlers(conn, &h, e), 0);
    sup_assert_rc(sk_conn_settimeout(conn, 0.3, 'c'), 0);
}

static void t_event_server_handshake_limit(void **state)
{
    sk_tls_ctx *sc;
    sk_server *server = NULL;
    sk_sock *ss = NULL, *silent = NULL;
    sk_timer *safety = NULL;
    sk_name n;
    char byte;
    size_t got = 0;
    ev e;
    int k, r;
    (void)state;
    tls_server_ready();
    sc = server_ctx("server");
    memset(&e, 0, sizeof e);
    sup_assert_rc(sk_loop_new(&e.loop), 0);
    sup_assert_rc(sk_server_new(e.loop, &server), 0);
    sup_assert_rc(sk_server_sock(server, &ss), 0);
    sup_assert_rc(sk_tls_listen(ss, sc), 0);
    sup_assert_rc(sk_server_listen(server, "127.0.0.1", 0, 8,
                                   ev_limit_accept, &e),
                  0);
    sup_assert_rc(sk_getsockname(ss, &n), 0);
    silent = connect_to("127.0.0.1", n.port); /* and never a ClientHello */
    sup_assert_rc(sk_timer_new(e.loop, &safety), 0);
    sup_assert_rc(sk_timer_start(safety, SUP_SAFETY_TIMEOUT, 0, ev_safety,
                                 &e),
                  0);
    for (k = 0; k < 100000 && !e.done; k++)
        sup_assert_rc(sk_loop_run(e.loop, SK_RUN_ONCE), 0);
    assert_int_equal(e.done, 1); /* the error handler, not the safety */
    assert_non_null(e.accepted);
    assert_int_equal(e.error, SK_CONN_ERR_SOCKET_TIMEOUT);
    sup_assert_rc(e.code, SK_ETIMEOUT);
    assert_int_equal(sk_conn_state(e.accepted), SK_CONN_UNCONNECTED);
    assert_int_equal(e.states[e.nstates - 1], SK_CONN_UNCONNECTED);
    /* the silent client sees the end of the connection */
    r = sk_read(silent, &byte, 1, &got);
    assert_true(r == SK_ECLOSED || r == SK_ECONNRESET);
    sk_free(silent);
    sk_timer_free(safety);
    sk_conn_free(e.accepted);
    sk_server_free(server);
    sk_loop_free(e.loop);
    sk_tls_ctx_free(sc);
}

/* Contexts: bad settings are refused, files and memory both load. */
static void t_context_settings(void **state)
{
    sk_tls_ctx *c = NULL, *sv = NULL;
    sk_sock *l = NULL;
    (void)state;
    tls_ready();
    sup_assert_rc(sk_tls_ctx_new(&c, SK_TLS_CLIENT), 0);
    sup_assert_rc(sk_tls_ctx_set_verify(c, SK_TLS_VERIFY_OPTIONAL),
                  SK_EINVAL);
    sup_assert_rc(sk_tls_ctx_set_ca_file(c, cert("missing.pem"), NULL),
                  SK_ETLSBADCERT);
    sup_assert_rc(sk_tls_ctx_set_ca_pem(c, "not PEM", 7), SK_ETLSBADCERT);
    sup_assert_rc(sk_tls_ctx_set_cert_file(c, pick("server.pem", "rsa.pem"),
                                           pick("client.key",
                                                "client-rsa.key")),
                  SK_ETLSBADCERT); /* key of another certificate */
    sup_assert_rc(sk_tls_ctx_set_cert_file(c, pick("bundle.pem",
                                                   "rsa-bundle.pem"),
                                           NULL),
                  0);
    sup_assert_rc(sk_tls_ctx_set_alpn(c, "h2,,x"), SK_EINVAL);
    sup_assert_rc(sk_tls_ctx_set_alpn(c, ""), SK_EINVAL);
    sup_assert_rc(sk_tls_ctx_set_alpn(c, NULL), 0);
    sup_assert_rc(sk_tls_ctx_set_min_version(c, 11), SK_EINVAL);
    sup_assert_rc(sk_tls_ctx_set_min_version(c, SK_TLS_1_3), 0);
    /* a server context needs a certificate; a listener a server one */
    sup_assert_rc(sk_tls_ctx_new(&sv, SK_TLS_SERVER), 0);
    sup_assert_rc(sk_tcp4(&l), 0);
    sup_assert_rc(sk_tls_listen(l, sv), SK_ETLSBADCERT);
    sup_assert_rc(sk_tls_listen(l, c), SK_EINVAL);
    sup_assert_rc(sk_tls_ctx_set_cert_file(sv, pick("server.pem", "rsa.pem"),
                                           pick("server.key", "rsa.key")),
                  0);
    sup_assert_rc(sk_tls_listen(l, sv), 0);
    sup_assert_rc(sk_tls_listen(l, NULL), 0);
    sup_assert_rc(sk_tls_listen(l, sv), 0);
    /* the context lives on in the listener after its free */
    sk_tls_ctx_free(sv);
    sk_free(l);
    sk_tls_ctx_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_provider),
        cmocka_unit_test(t_context_settings),
        cmocka_unit_test(t_roundtrip_ipv4),
        cmocka_unit_test(t_roundtrip_ipv6),
        cmocka_unit_test(t_ip_host),
        cmocka_unit_test(t_verify_failures),
        cmocka_unit_test(t_verify_none),
        cmocka_unit_test(t_client_certificates),
        cmocka_unit_test(t_resumption),
        cmocka_unit_test(t_bulk),
        cmocka_unit_test(t_lines_across_records),
        cmocka_unit_test(t_dirty_and_select),
        cmocka_unit_test(t_starttls),
        cmocka_unit_test(t_nonblocking_handshake),
        cmocka_unit_test(t_sendv_records),
        cmocka_unit_test(t_silent_peer_times_out),
        cmocka_unit_test(t_garbage_server_hello),
        cmocka_unit_test(t_broken_streams),
        cmocka_unit_test(t_event_api),
        cmocka_unit_test(t_event_silent_server_times_out),
        cmocka_unit_test(t_event_server_handshake_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
