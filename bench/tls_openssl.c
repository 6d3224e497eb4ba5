/* SPDX-License-Identifier: MIT */
/*
 * tls_openssl.c - the TLS workloads written directly on OpenSSL: blocking
 * BSD sockets (rawnet.h), SSL_set_fd, SSL_connect / SSL_accept,
 * SSL_read / SSL_write, SSL_shutdown: the reference sockit's TLS layer is
 * measured against (the "raw" column of tls-bulk and tls-handshake).
 * Both programs (this one and tls_sockit.c) do the same work:
 *
 *   tls-bulk       the client sends bytes=N in writes of rec=16384 bytes
 *                  (one TLS record each), the server reads 64 KiB at a
 *                  time and answers a one-byte ack at the end (ack=1: also
 *                  one after each record, which the client waits for: a
 *                  receiver whose path is the same for every record, for
 *                  bench/budgets)
 *   tls-handshake  n=N times: connect, handshake, one byte each way (the
 *                  client's read takes the session tickets in), the
 *                  client closes with close_notify; the client keeps the
 *                  last session and resumes it, as sockit's client does
 *
 * The client verifies the server (CA certs=DIR/ca.pem, host name
 * "localhost"), the server presents DIR/server.pem and DIR/server.key
 * (tests/tls/make-certs.sh makes them).  TLS 1.2 minimum, OpenSSL's
 * defaults otherwise, on both programs alike.
 */
#include "rawnet.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

static void die_ssl(const char *what)
{
    fprintf(stderr, "bench tls_openssl: %s failed\n", what);
    ERR_print_errors_fp(stderr);
    exit(2);
}

static const char *path(int argc, char **argv, const char *file)
{
    static char p[4][1024];
    static int next;
    char *d = p[next++ % 4];
    snprintf(d, sizeof p[0], "%s/%s", bench_sarg(argc, argv, "certs", "."),
             file);
    return d;
}

static SSL_CTX *server_ctx(int argc, char **argv)
{
    SSL_CTX *c = SSL_CTX_new(TLS_server_method());
    if (c == NULL || SSL_CTX_set_min_proto_version(c, TLS1_2_VERSION) != 1 ||
        SSL_CTX_use_certificate_chain_file(c, path(argc, argv,
                                                   "server.pem")) != 1 ||
        SSL_CTX_use_PrivateKey_file(c, path(argc, argv, "server.key"),
                                    SSL_FILETYPE_PEM) != 1)
        die_ssl("server context");
    SSL_CTX_set_mode(c, SSL_MODE_ENABLE_PARTIAL_WRITE |
                            SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    return c;
}

static SSL_SESSION *last_session; /* the client's, to resume */

static int keep_session(SSL *ssl, SSL_SESSION *sess)
{
    (void)ssl;
    if (last_session != NULL)
        SSL_SESSION_free(last_session);
    last_session = sess;
    return 1; /* the reference is ours */
}

static SSL_CTX *client_ctx(int argc, char **argv)
{
    SSL_CTX *c = SSL_CTX_new(TLS_client_method());
    if (c == NULL || SSL_CTX_set_min_proto_version(c, TLS1_2_VERSION) != 1 ||
        SSL_CTX_load_verify_locations(c, path(argc, argv, "ca.pem"),
                                      NULL) != 1)
        die_ssl("client context");
    SSL_CTX_set_mode(c, SSL_MODE_ENABLE_PARTIAL_WRITE |
                            SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    SSL_CTX_set_verify(c, SSL_VERIFY_PEER, NULL);
    SSL_CTX_set_session_cache_mode(c, SSL_SESS_CACHE_CLIENT |
                                          SSL_SESS_CACHE_NO_INTERNAL_STORE);
    SSL_CTX_sess_set_new_cb(c, keep_session);
    return c;
}

static SSL *tls_server(SSL_CTX *ctx, int fd)
{
    SSL *s = SSL_new(ctx);
    if (s == NULL || SSL_set_fd(s, fd) != 1 || SSL_accept(s) != 1)
        die_ssl("SSL_accept");
    return s;
}

static SSL *tls_client(SSL_CTX *ctx, int fd)
{
    SSL *s = SSL_new(ctx);
    if (s == NULL || SSL_set_fd(s, fd) != 1 ||
        SSL_set_tlsext_host_name(s, "localhost") != 1 ||
        SSL_set1_host(s, "localhost") != 1)
        die_ssl("SSL_new");
    if (last_session != NULL)
        (void)SSL_set_session(s, last_session);
    if (SSL_connect(s) != 1)
        die_ssl("SSL_connect");
    return s;
}

static void write_all(SSL *s, const char *p, size_t len)
{
    while (len > 0) {
        size_t n = 0;
        if (SSL_write_ex(s, p, len, &n) != 1)
            die_ssl("SSL_write");
        p += n;
        len -= n;
    }
}

/* ---- tls-bulk ----------------------------------------------------------- */
static void bulk_server(int argc, char **argv)
{
    static char buf[BENCH_CHUNK];
    long long total = bench_arg(argc, argv, "bytes", 1LL << 28), got = 0;
    long long rec = bench_arg(argc, argv, "rec", 16384), unacked = 0;
    int ack = (int)bench_arg(argc, argv, "ack", 0);
    SSL_CTX *ctx = server_ctx(argc, argv);
    int l = raw_listen(16), fd = accept(l, NULL, NULL);
    SSL *s;
    if (fd < 0)
        bench_die("accept");
    s = tls_server(ctx, fd);
    while (got < total) {
        size_t n = 0;
        if (SSL_read_ex(s, buf, sizeof buf, &n) != 1)
            die_ssl("SSL_read");
        got += (long long)n;
        unacked += (long long)n;
        if (ack && unacked >= rec && got < total) { /* ack=1: each record */
            write_all(s, "a", 1);
            unacked -= rec;
        }
    }
    write_all(s, "k", 1);
    printf("RESULT received=%lld\n", got);
    (void)SSL_shutdown(s);
    SSL_free(s);
    close(fd);
    close(l);
    SSL_CTX_free(ctx);
}

static void bulk_client(int argc, char **argv)
{
    static char buf[BENCH_CHUNK];
    long long total = bench_arg(argc, argv, "bytes", 1LL << 28), sent = 0;
    size_t rec = (size_t)bench_arg(argc, argv, "rec", 16384), n = 0;
    int ack = (int)bench_arg(argc, argv, "ack", 0);
    SSL_CTX *ctx = client_ctx(argc, argv);
    int fd;
    SSL *s;
    char ack_byte;
    int64_t t0;
    if (rec == 0 || rec > sizeof buf)
        bench_die("rec=%zu", rec);
    memset(buf, 'x', sizeof buf);
    fd = raw_connect((int)bench_arg(argc, argv, "port", 0));
    s = tls_client(ctx, fd);
    t0 = bench_now_ns();
    while (sent < total) {
        size_t want = total - sent < (long long)rec ? (size_t)(total - sent)
                                                    : rec;
        write_all(s, buf, want);
        sent += (long long)want;
        if (ack && sent < total && SSL_read_ex(s, &ack_byte, 1, &n) != 1)
            die_ssl("SSL_read");
    }
    if (SSL_read_ex(s, &ack_byte, 1, &n) != 1)
        die_ssl("SSL_read ack");
    printf("RESULT ns=%lld bytes=%lld\n", (long long)(bench_now_ns() - t0),
           sent);
    (void)SSL_shutdown(s);
    SSL_free(s);
    close(fd);
    SSL_CTX_free(ctx);
}

/* ---- tls-handshake ------------------------------------------------------ */
static void hs_server(int argc, char **argv)
{
    long n = (long)bench_arg(argc, argv, "n", 1000), i;
    SSL_CTX *ctx = server_ctx(argc, argv);
    int l = raw_listen(128);
    for (i = 0; i < n; i++) {
        int fd = accept(l, NULL, NULL);
        char b[16];
        size_t got = 0;
        SSL *s;
        if (fd < 0)
            bench_die("accept");
        s = tls_server(ctx, fd);
        if (SSL_read_ex(s, b, 1, &got) != 1)
            die_ssl("SSL_read");
        write_all(s, "k", 1);
        /* until the client's close_notify (or its end) */
        while (SSL_read_ex(s, b, sizeof b, &got) == 1)
            ;
        ERR_clear_error();
        (void)SSL_shutdown(s);
        SSL_free(s);
        close(fd);
    }
    printf("RESULT handshakes=%ld\n", n);
    close(l);
    SSL_CTX_free(ctx);
}

static void hs_client(int argc, char **argv)
{
    long n = (long)bench_arg(argc, argv, "n", 1000), i;
    int port = (int)bench_arg(argc, argv, "port", 0);
    SSL_CTX *ctx = client_ctx(argc, argv);
    int64_t t0 = bench_now_ns();
    for (i = 0; i < n; i++) {
        int fd = raw_connect(port);
        SSL *s = tls_client(ctx, fd);
        char ack;
        size_t got = 0;
        write_all(s, "h", 1);
        if (SSL_read_ex(s, &ack, 1, &got) != 1)
            die_ssl("SSL_read");
        (void)SSL_shutdown(s);
        SSL_free(s);
        close(fd);
    }
    printf("RESULT ns=%lld n=%ld\n", (long long)(bench_now_ns() - t0), n);
    if (last_session != NULL)
        SSL_SESSION_free(last_session);
    SSL_CTX_free(ctx);
}

int main(int argc, char **argv)
{
    static const bench_workload w[] = {
        {"tls-bulk", bulk_server, bulk_client},
        {"tls-handshake", hs_server, hs_client},
    };
    bench_side f = bench_pick(argc, argv, w, sizeof w / sizeof w[0]);
    f(argc, argv);
    fflush(stdout);
    return 0;
}
