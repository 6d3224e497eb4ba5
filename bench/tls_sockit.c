/* SPDX-License-Identifier: MIT */
/*
 * tls_sockit.c - the TLS workloads on sockit's public API (include/sockit.h
 * only): the same work as tls_openssl.c (see there), written as the API's
 * documentation suggests: a context each side, sk_tls_listen on the
 * listener (accepted clients speak TLS), sk_tls_start on the client,
 * sk_send / sk_read for the data, sk_free for close_notify.  The client
 * context resumes sessions by itself (the same host and port).
 */
#include "common.h"

#include <sockit.h>

static void check(int r, const char *what, sk_sock *s)
{
    if (r != SK_OK) {
        const char *msg = "";
        if (s != NULL)
            (void)sk_tls_get(s, SK_TLS_ERROR_MESSAGE, &msg);
        fprintf(stderr, "bench tls_sockit: %s: %s (%s)\n", what,
                sk_strerror(r), msg != NULL ? msg : "");
        exit(2);
    }
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

static sk_tls_ctx *server_ctx(int argc, char **argv)
{
    sk_tls_ctx *c = NULL;
    check(sk_tls_ctx_new(&c, SK_TLS_SERVER), "sk_tls_ctx_new", NULL);
    check(sk_tls_ctx_set_cert_file(c, path(argc, argv, "server.pem"),
                                   path(argc, argv, "server.key")),
          "sk_tls_ctx_set_cert_file", NULL);
    return c;
}

static sk_tls_ctx *client_ctx(int argc, char **argv)
{
    sk_tls_ctx *c = NULL;
    check(sk_tls_ctx_new(&c, SK_TLS_CLIENT), "sk_tls_ctx_new", NULL);
    check(sk_tls_ctx_set_ca_file(c, path(argc, argv, "ca.pem"), NULL),
          "sk_tls_ctx_set_ca_file", NULL);
    return c;
}

/* A TLS listener on 127.0.0.1, port chosen by the system; "PORT <n>". */
static sk_sock *listen_here(sk_tls_ctx *ctx, int backlog)
{
    sk_sock *s = NULL;
    sk_name name;
    check(sk_tcp4(&s), "sk_tcp4", NULL);
    check(sk_setoption(s, SK_OPT_REUSEADDR, 1), "reuseaddr", NULL);
    check(sk_bind(s, "127.0.0.1", 0), "sk_bind", NULL);
    check(sk_listen(s, backlog), "sk_listen", NULL);
    check(sk_tls_listen(s, ctx), "sk_tls_listen", NULL);
    check(sk_getsockname(s, &name), "sk_getsockname", NULL);
    printf("PORT %d\n", name.port);
    fflush(stdout);
    return s;
}

static sk_sock *accept_one(sk_sock *server)
{
    sk_sock *c = NULL;
    check(sk_accept(server, &c, NULL), "sk_accept", NULL);
    check(sk_tls_handshake(c), "sk_tls_handshake", c);
    return c;
}

static sk_sock *connect_tls(sk_tls_ctx *ctx, int port)
{
    sk_sock *c = NULL;
    check(sk_tcp4(&c), "sk_tcp4", NULL);
    check(sk_connect(c, "127.0.0.1", port), "sk_connect", NULL);
    check(sk_tls_start(c, ctx, "localhost"), "sk_tls_start", c);
    return c;
}

/* ---- tls-bulk ----------------------------------------------------------- */
static void bulk_server(int argc, char **argv)
{
    static char buf[BENCH_CHUNK];
    long long total = bench_arg(argc, argv, "bytes", 1LL << 28), got = 0;
    sk_tls_ctx *ctx = server_ctx(argc, argv);
    long long rec = bench_arg(argc, argv, "rec", 16384), unacked = 0;
    int ack = (int)bench_arg(argc, argv, "ack", 0);
    sk_sock *l = listen_here(ctx, 16), *c = accept_one(l);
    while (got < total) {
        size_t n = 0;
        check(sk_read(c, buf, sizeof buf, &n), "sk_read", c);
        got += (long long)n;
        unacked += (long long)n;
        if (ack && unacked >= rec && got < total) { /* ack=1: each record */
            check(sk_send(c, "a", 1, 1, -1, NULL), "sk_send", c);
            unacked -= rec;
        }
    }
    check(sk_send(c, "k", 1, 1, -1, NULL), "sk_send ack", c);
    printf("RESULT received=%lld\n", got);
    sk_free(c);
    sk_free(l);
    sk_tls_ctx_free(ctx);
}

static void bulk_client(int argc, char **argv)
{
    static char buf[BENCH_CHUNK];
    long long total = bench_arg(argc, argv, "bytes", 1LL << 28), sent = 0;
    size_t rec = (size_t)bench_arg(argc, argv, "rec", 16384), n = 0;
    sk_tls_ctx *ctx = client_ctx(argc, argv);
    int ack = (int)bench_arg(argc, argv, "ack", 0);
    sk_sock *c;
    char ack_byte;
    int64_t t0;
    if (rec == 0 || rec > sizeof buf)
        bench_die("rec=%zu", rec);
    memset(buf, 'x', sizeof buf);
    c = connect_tls(ctx, (int)bench_arg(argc, argv, "port", 0));
    t0 = bench_now_ns();
    while (sent < total) {
        size_t want = total - sent < (long long)rec ? (size_t)(total - sent)
                                                    : rec;
        check(sk_send(c, buf, want, 1, -1, NULL), "sk_send", c);
        sent += (long long)want;
        if (ack && sent < total)
            check(sk_read(c, &ack_byte, 1, &n), "sk_read", c);
    }
    check(sk_read(c, &ack_byte, 1, &n), "sk_read ack", c);
    printf("RESULT ns=%lld bytes=%lld\n", (long long)(bench_now_ns() - t0),
           sent);
    sk_free(c);
    sk_tls_ctx_free(ctx);
}

/* ---- tls-handshake ------------------------------------------------------ */
static void hs_server(int argc, char **argv)
{
    long n = (long)bench_arg(argc, argv, "n", 1000), i;
    sk_tls_ctx *ctx = server_ctx(argc, argv);
    sk_sock *l = listen_here(ctx, 128);
    for (i = 0; i < n; i++) {
        sk_sock *c = accept_one(l);
        char b[16];
        size_t got = 0;
        int r;
        check(sk_read(c, b, 1, &got), "sk_read", c);
        check(sk_send(c, "k", 1, 1, -1, NULL), "sk_send", c);
        /* until the client's close_notify (or its end) */
        do
            r = sk_read(c, b, sizeof b, &got);
        while (r == SK_OK);
        sk_free(c);
    }
    printf("RESULT handshakes=%ld\n", n);
    sk_free(l);
    sk_tls_ctx_free(ctx);
}

static void hs_client(int argc, char **argv)
{
    long n = (long)bench_arg(argc, argv, "n", 1000), i;
    int port = (int)bench_arg(argc, argv, "port", 0);
    sk_tls_ctx *ctx = client_ctx(argc, argv);
    int64_t t0 = bench_now_ns();
    for (i = 0; i < n; i++) {
        sk_sock *c = connect_tls(ctx, port);
        char ack;
        size_t got = 0;
        check(sk_send(c, "h", 1, 1, -1, NULL), "sk_send", c);
        check(sk_read(c, &ack, 1, &got), "sk_read", c);
        sk_free(c); /* close_notify */
    }
    printf("RESULT ns=%lld n=%ld\n", (long long)(bench_now_ns() - t0), n);
    sk_tls_ctx_free(ctx);
}

int main(int argc, char **argv)
{
    static const bench_workload w[] = {
        {"tls-bulk", bulk_server, bulk_client},
        {"tls-handshake", hs_server, hs_client},
    };
    bench_side f = bench_pick(argc, argv, w, sizeof w / sizeof w[0]);
    /* backend=NAME (bench/budgets): the synchronous calls wait with poll */
    if (strcmp(bench_sarg(argc, argv, "backend", "poll"), "poll") != 0)
        bench_die("backend=%s: the synchronous calls wait with poll",
                  bench_sarg(argc, argv, "backend", ""));
    if (sk_tls_provider() == NULL)
        bench_die("sockit was built without TLS");
    f(argc, argv);
    fflush(stdout);
    return 0;
}
