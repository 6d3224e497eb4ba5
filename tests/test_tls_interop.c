/* SPDX-License-Identifier: MIT */
/*
 * test_tls_interop.c - sockit's TLS against other implementations over
 * loopback: a sockit client against `openssl s_server` (a 1 MiB file over
 * -WWW with its checksum, TLS 1.3 and 1.2, IPv4 and IPv6, a minimum
 * version the server cannot meet), a sockit server against `openssl
 * s_client` (SNI and ALPN seen by the server) and against curl (1 MiB over
 * https with its checksum, IPv4 and IPv6).  POSIX only (the peers run as
 * child processes through popen/system); skipped, saying why, where TLS
 * is not built or a peer program is missing.
 */
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#  define _POSIX_C_SOURCE 200809L /* popen, pclose (C99 has neither) */
#endif
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if !defined(_WIN32)

#include <sys/stat.h>
#include <sys/wait.h>

static char certdir[1024];
static char workdir[1100];

#define FILE_SIZE ((size_t)1 << 20)

static const char *cert(const char *name)
{
    static char paths[4][1200];
    static int next;
    char *p = paths[next++ % 4];
    snprintf(p, sizeof paths[0], "%s/%s", certdir, name);
    return p;
}

static int have(const char *cmd)
{
    char line[256];
    snprintf(line, sizeof line, "command -v %s >/dev/null 2>&1", cmd);
    return system(line) == 0;
}

static void ready(const char *peer)
{
    const char *d = getenv("SOCKIT_TEST_CERTS");
    if (sk_tls_provider() == NULL) {
        print_message("sockit built without TLS: skipped\n");
        skip();
    }
    if (d == NULL || d[0] == '\0') {
        print_message("SOCKIT_TEST_CERTS not set: skipped\n");
        skip();
    }
    if (!have(peer)) {
        print_message("no %s program: skipped\n", peer);
        skip();
    }
    snprintf(certdir, sizeof certdir, "%s", d);
}

/* A directory with file.bin (1 MiB of a known stream); returns its hash. */
static uint64_t make_file(void)
{
    char path[1200];
    uint64_t seed = 1234, h = SUP_HASH_INIT;
    char *buf = (char *)malloc(FILE_SIZE);
    FILE *f;
    assert_non_null(buf);
    sup_tempdir(workdir, sizeof workdir);
    snprintf(path, sizeof path, "%s/file.bin", workdir);
    sup_fill(&seed, buf, FILE_SIZE);
    h = sup_hash(h, buf, FILE_SIZE);
    f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(buf, 1, FILE_SIZE, f), FILE_SIZE);
    assert_int_equal(fclose(f), 0);
    free(buf);
    return h;
}

static void remove_work(void)
{
    char cmd[1300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", workdir);
    assert_int_equal(system(cmd), 0);
}

/* ---- sockit client against openssl s_server ---------------------------- */

/* Start s_server on host (127.0.0.1 or ::1) with extra options, serving
 * workdir; *port from its ACCEPT line. */
static FILE *s_server(const char *host, const char *opts, int *port)
{
    char cmd[4096], line[512];
    FILE *p;
    snprintf(cmd, sizeof cmd,
             "cd '%s' && exec openssl s_server -accept '%s%s%s:0' -cert '%s' "
             "-key '%s' -naccept 1 -WWW %s 2>&1 </dev/null",
             workdir, strchr(host, ':') ? "[" : "", host,
             strchr(host, ':') ? "]" : "", cert("server.pem"),
             cert("server.key"), opts);
    p = popen(cmd, "r");
    assert_non_null(p);
    *port = 0;
    while (fgets(line, sizeof line, p) != NULL) {
        char *colon;
        if (strncmp(line, "ACCEPT", 6) != 0)
            continue;
        colon = strrchr(line, ':');
        if (colon != NULL)
            *port = atoi(colon + 1);
        break;
    }
    assert_true(*port > 0);
    return p;
}

/* GET /file.bin from an s_server; returns the body's hash, *version the
 * negotiated version's name. */
static int get_file(const char *host, int port, int minver, uint64_t *hash,
                    char *version, size_t vcap)
{
    static const char req[] = "GET /file.bin HTTP/1.0\r\n\r\n";
    sk_tls_ctx *cc = NULL;
    sk_sock *s = NULL;
    sk_buf b = {NULL, 0, 0};
    const char *v = NULL, *body;
    int r;
    sup_assert_rc(sk_tls_ctx_new(&cc, SK_TLS_CLIENT), 0);
    sup_assert_rc(sk_tls_ctx_set_ca_file(cc, cert("ca.pem"), NULL), 0);
    if (minver != 0)
        sup_assert_rc(sk_tls_ctx_set_min_version(cc, minver), 0);
    sup_assert_rc(strchr(host, ':') ? sk_tcp6(&s) : sk_tcp4(&s), 0);
    sup_assert_rc(sk_settimeout(s, SUP_SAFETY_TIMEOUT, 'b'), 0);
    sup_assert_rc(sk_connect(s, host, port), 0);
    r = sk_tls_start(s, cc, strchr(host, ':') ? host : "localhost");
    if (r == 0) {
        sup_assert_rc(sk_tls_get(s, SK_TLS_VERSION, &v), 0);
        snprintf(version, vcap, "%s", v);
        sup_send_all(s, req, sizeof req - 1);
        r = sk_receive(s, &b, SK_ALL, 0);
        if (r == 0 || r == SK_ETLSNOCLOSE) {
            /* the body follows the header's blank line */
            body = NULL;
            if (b.len >= 4) {
                size_t i;
                for (i = 0; i + 4 <= b.len; i++)
                    if (memcmp(b.data + i, "\r\n\r\n", 4) == 0) {
                        body = b.data + i + 4;
                        break;
                    }
            }
            assert_non_null(body);
            assert_int_equal((size_t)(b.data + b.len - body), FILE_SIZE);
            *hash = sup_hash(SUP_HASH_INIT, body, FILE_SIZE);
            if (r == SK_ETLSNOCLOSE)
                print_message("s_server closed without close_notify\n");
            r = 0;
        }
    } else {
        sup_assert_rc(sk_tls_get(s, SK_TLS_ERROR_MESSAGE, &v), 0);
        print_message("handshake: %s (%s)\n", sk_errname(r), v);
    }
    sk_buf_free(&b);
    sk_free(s);
    sk_tls_ctx_free(cc);
    return r;
}

static void client_vs_s_server(const char *host, const char *opts,
                               const char *want_version)
{
    uint64_t want = make_file(), got = 0;
    char version[32] = "";
    int port, status;
    FILE *p = s_server(host, opts, &port);
    sup_assert_rc(get_file(host, port, 0, &got, version, sizeof version), 0);
    assert_true(got == want);
    assert_string_equal(version, want_version);
    status = pclose(p);
    (void)status; /* s_server's status after -naccept 1 is its own */
    remove_work();
    print_message("sockit client <- s_server (%s, %s): 1 MiB, checksum "
                  "equal\n",
                  host, version);
}

static void t_client_s_server_tls13(void **state)
{
    (void)state;
    ready("openssl");
    client_vs_s_server("127.0.0.1", "", "TLSv1.3");
}

static void t_client_s_server_tls12(void **state)
{
    (void)state;
    ready("openssl");
    client_vs_s_server("127.0.0.1", "-tls1_2", "TLSv1.2");
}

static void t_client_s_server_ipv6(void **state)
{
    (void)state;
    ready("openssl");
    if (!sup_ipv6_loopback()) {
        print_message("no IPv6 loopback: skipped\n");
        skip();
    }
    client_vs_s_server("::1", "", "TLSv1.3");
}

static void t_client_min_version(void **state)
{
    uint64_t got = 0;
    char version[32] = "";
    int port;
    FILE *p;
    (void)state;
    ready("openssl");
    (void)make_file();
    p = s_server("127.0.0.1", "-tls1_2", &port);
    sup_assert_rc(get_file("127.0.0.1", port, SK_TLS_1_3, &got, version,
                           sizeof version),
                  SK_ETLSHANDSHAKE);
    (void)pclose(p);
    remove_work();
}

/* ---- sockit server against openssl s_client and curl ------------------- */

typedef struct peer_run {
    char cmd[4096];
    int status;
    sup_thread *t;
} peer_run;

static void peer_main(void *arg)
{
    peer_run *x = (peer_run *)arg;
    x->status = system(x->cmd);
}

static sk_sock *tls_listener(const char *host, const char *alpn, int *port)
{
    sk_tls_ctx *sc = NULL;
    sk_sock *l = NULL;
    sk_name n;
    sup_assert_rc(sk_tls_ctx_new(&sc, SK_TLS_SERVER), 0);
    sup_assert_rc(sk_tls_ctx_set_cert_file(sc, cert("server.pem"),
                                           cert("server.key")),
                  0);
    if (alpn != NULL)
        sup_assert_rc(sk_tls_ctx_set_alpn(sc, alpn), 0);
    sup_assert_rc(strchr(host, ':') ? sk_tcp6(&l) : sk_tcp4(&l), 0);
    sup_assert_rc(sk_settimeout(l, SUP_SAFETY_TIMEOUT, 'b'), 0);
    sup_assert_rc(sk_bind(l, host, 0), 0);
    sup_assert_rc(sk_listen(l, 4), 0);
    sup_assert_rc(sk_tls_listen(l, sc), 0);
    sk_tls_ctx_free(sc); /* the listener keeps it */
    sup_assert_rc(sk_getsockname(l, &n), 0);
    *port = n.port;
    return l;
}

static void t_server_s_client(void **state)
{
    char in[1200], out[1200], buf[64];
    sk_sock *l, *c = NULL;
    const char *line = NULL, *v = NULL;
    size_t len = 0;
    peer_run x;
    FILE *f;
    int port;
    (void)state;
    ready("openssl");
    sup_tempdir(workdir, sizeof workdir);
    snprintf(in, sizeof in, "%s/in", workdir);
    snprintf(out, sizeof out, "%s/out", workdir);
    f = fopen(in, "w");
    assert_non_null(f);
    fputs("ping\n", f);
    fclose(f);
    l = tls_listener("127.0.0.1", "x-other,http/1.1", &port);
    snprintf(x.cmd, sizeof x.cmd,
             "openssl s_client -connect 127.0.0.1:%d -CAfile '%s' "
             "-servername localhost -verify_return_error -alpn http/1.1 "
             "-quiet <'%s' >'%s' 2>'%s.err'",
             port, cert("ca.pem"), in, out, out);
    x.t = sup_thread_start(peer_main, &x);
    sup_assert_rc(sk_accept(l, &c, NULL), 0);
    sup_assert_rc(sk_settimeout(c, SUP_SAFETY_TIMEOUT, 'b'), 0);
    sup_assert_rc(sk_receiveline(c, &line, &len), 0);
    assert_int_equal(len, 4);
    assert_memory_equal(line, "ping", 4);
    sup_assert_rc(sk_tls_get(c, SK_TLS_SERVER_NAME, &v), 0);
    assert_string_equal(v, "localhost");
    sup_assert_rc(sk_tls_get(c, SK_TLS_ALPN, &v), 0);
    assert_string_equal(v, "http/1.1");
    sup_assert_rc(sk_tls_get(c, SK_TLS_PEER_SUBJECT, &v), 0);
    assert_string_equal(v, ""); /* no client certificate */
    sup_send_str(c, "pong\n");
    sk_free(c); /* close_notify: s_client ends */
    sup_thread_join(x.t);
    assert_true(WIFEXITED(x.status));
    f = fopen(out, "r");
    assert_non_null(f);
    memset(buf, 0, sizeof buf);
    assert_non_null(fgets(buf, sizeof buf, f));
    fclose(f);
    print_message("s_client -> sockit server: got \"%.*s\" back, exit %d\n",
                  (int)strcspn(buf, "\n"), buf, WEXITSTATUS(x.status));
    assert_string_equal(buf, "pong\n");
    sk_free(l);
    remove_work();
}

/* A one-request HTTPS server: read the request, answer 1 MiB. */
static void serve_file(sk_sock *l, uint64_t *hash)
{
    sk_sock *c = NULL;
    const char *line = NULL;
    size_t len = 0;
    uint64_t seed = 1234;
    char *body = (char *)malloc(FILE_SIZE), head[128];
    int r;
    assert_non_null(body);
    sup_fill(&seed, body, FILE_SIZE);
    *hash = sup_hash(SUP_HASH_INIT, body, FILE_SIZE);
    sup_assert_rc(sk_accept(l, &c, NULL), 0);
    sup_assert_rc(sk_settimeout(c, SUP_SAFETY_TIMEOUT, 'b'), 0);
    do {
        sup_assert_rc(sk_receiveline(c, &line, &len), 0);
    } while (len > 0);
    snprintf(head, sizeof head,
             "HTTP/1.1 200 OK\r\nContent-Length: %lu\r\n"
             "Connection: close\r\n\r\n",
             (unsigned long)FILE_SIZE);
    sup_send_str(c, head);
    sup_send_all(c, body, FILE_SIZE);
    /* close_notify; curl may have read the whole body and gone already */
    r = sk_shutdown(c, SK_SHUT_SEND);
    assert_true(r == 0 || r == SK_ENOTCONN || r == SK_ECLOSED ||
                r == SK_ECONNRESET);
    sk_free(c);
    free(body);
}

static uint64_t hash_file(const char *path)
{
    uint64_t h = SUP_HASH_INIT;
    size_t total = 0, n;
    char buf[65536];
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        h = sup_hash(h, buf, n);
        total += n;
    }
    fclose(f);
    assert_int_equal(total, FILE_SIZE);
    return h;
}

static void server_curl(const char *host)
{
    char out[1200];
    uint64_t want = 0;
    peer_run x;
    sk_sock *l;
    int port;
    sup_tempdir(workdir, sizeof workdir);
    snprintf(out, sizeof out, "%s/out", workdir);
    l = tls_listener(host, NULL, &port);
    snprintf(x.cmd, sizeof x.cmd,
             "curl -sS --max-time 30 --cacert '%s' -o '%s' "
             "'https://%s%s%s:%d/file.bin'",
             cert("ca.pem"), out,
             strchr(host, ':') ? "[" : "",
             strchr(host, ':') ? host : "localhost",
             strchr(host, ':') ? "]" : "", port);
    x.t = sup_thread_start(peer_main, &x);
    serve_file(l, &want);
    sup_thread_join(x.t);
    assert_true(WIFEXITED(x.status) && WEXITSTATUS(x.status) == 0);
    assert_true(hash_file(out) == want);
    print_message("curl -> sockit server (%s): 1 MiB, checksum equal\n",
                  host);
    sk_free(l);
    remove_work();
}

static void t_server_curl(void **state)
{
    (void)state;
    ready("curl");
    server_curl("127.0.0.1");
}

static void t_server_curl_ipv6(void **state)
{
    (void)state;
    ready("curl");
    if (!sup_ipv6_loopback()) {
        print_message("no IPv6 loopback: skipped\n");
        skip();
    }
    server_curl("::1");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_client_s_server_tls13),
        cmocka_unit_test(t_client_s_server_tls12),
        cmocka_unit_test(t_client_s_server_ipv6),
        cmocka_unit_test(t_client_min_version),
        cmocka_unit_test(t_server_s_client),
        cmocka_unit_test(t_server_curl),
        cmocka_unit_test(t_server_curl_ipv6),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

#else /* Windows */

static void t_posix_only(void **state)
{
    (void)state;
    print_message("the interop peers run as POSIX child processes: "
                  "skipped on Windows\n");
    skip();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_posix_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

#endif
