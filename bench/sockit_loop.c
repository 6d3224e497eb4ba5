/* SPDX-License-Identifier: MIT */
/*
 * sockit_loop.c - the workloads on sockit's event loop (issue 5): sk_loop
 * with the event-driven connections of include/sockit.h, written the way
 * the API's documentation suggests: sk_server_listen hands each accepted
 * connection over CONNECTED, ready_read takes the bytes with sk_conn_read,
 * sk_conn_write sends (at once when nothing is queued; bytes_written is
 * left NULL); the client is sk_conn_connect with connected and ready_read.
 * Workloads: pingpong (both ends), fanin (the server), idle (the server:
 * what an accepted, idle connection costs), probe (makes the loop and
 * exits: 0 when the backend asked for is here).  Usage: see common.h;
 * backend=NAME runs the loop on that backend (sk_loop_new_backend: the
 * instruction budgets name theirs).
 */
#include "common.h"

#include <sockit.h>

static sk_loop *loop;
static sk_server *server;

static void check(int r, const char *what)
{
    if (r != SK_OK) {
        fprintf(stderr, "bench sockit-loop: %s: %s\n", what, sk_strerror(r));
        exit(2);
    }
}

static void nodelay(sk_conn *c)
{
    sk_sock *s = NULL;
    check(sk_conn_sock(c, &s), "sk_conn_sock");
    check(sk_setoption(s, SK_OPT_TCP_NODELAY, 1), "tcp-nodelay");
}

/* A server on 127.0.0.1, port chosen by the system; prints "PORT <n>". */
static void listen_here(int backlog, sk_server_cb cb)
{
    sk_sock *s = NULL;
    sk_name name;
    check(sk_server_new(loop, &server), "sk_server_new");
    check(sk_server_listen(server, "127.0.0.1", 0, backlog, cb, NULL),
          "sk_server_listen");
    check(sk_server_sock(server, &s), "sk_server_sock");
    check(sk_getsockname(s, &name), "sk_getsockname");
    printf("PORT %d\n", name.port);
    fflush(stdout);
}

/* ---- echo: what pingpong's server and fanin's server do ----------------- */
static long echo_clients = 1, echo_gone;

static void echo_read(sk_conn *c, size_t available, void *ud)
{
    static char buf[4096];
    (void)ud;
    while (available > 0) { /* what the read buffer holds, in steps */
        size_t got = 0;
        check(sk_conn_read(c, buf, sizeof buf, &got), "sk_conn_read");
        check(sk_conn_write(c, buf, got), "sk_conn_write");
        available -= got;
    }
}

/* The peer closed (after its last round trip): free the connection; the
 * last one closes the server, and the loop then has nothing left. */
static void echo_gone_cb(sk_conn *c, void *ud)
{
    (void)ud;
    sk_conn_free(c);
    if (++echo_gone == echo_clients) {
        printf("RESULT rss=%lld hwm=%lld\n", bench_rss(), bench_hwm());
        sk_server_free(server);
        server = NULL;
    }
}

static void echo_accept(sk_server *srv, sk_conn *c, void *ud)
{
    sk_conn_handlers h;
    (void)srv;
    (void)ud;
    memset(&h, 0, sizeof h);
    h.ready_read = echo_read;
    h.disconnected = echo_gone_cb;
    check(sk_conn_sethandlers(c, &h, NULL), "sk_conn_sethandlers");
    nodelay(c);
}

static void echo_server(int argc, char **argv, long clients, int backlog)
{
    (void)argc;
    (void)argv;
    echo_clients = clients;
    listen_here(backlog, echo_accept);
    check(sk_loop_run(loop, SK_RUN_DEFAULT), "sk_loop_run");
}

/* ---- pingpong ---------------------------------------------------------- */
static void pingpong_server(int argc, char **argv)
{
    echo_server(argc, argv, 1, 16);
    printf("RESULT served=1\n");
}

static char out[BENCH_MSG];
static size_t have;
static long pp_n, pp_i;
static int lat_on;
static int64_t *lat, lat_t, t0;
static size_t nlat;

static void pp_send(sk_conn *c)
{
    lat_t = (lat_on && pp_i % BENCH_LAT_EVERY == 0) ? bench_now_ns() : 0;
    check(sk_conn_write(c, out, sizeof out), "sk_conn_write");
}

static void pp_connected(sk_conn *c, void *ud)
{
    (void)ud;
    t0 = bench_now_ns();
    pp_send(c);
}

static void pp_read(sk_conn *c, size_t available, void *ud)
{
    static char in[4096];
    (void)ud;
    while (available > 0) {
        size_t got = 0;
        check(sk_conn_read(c, in, sizeof in, &got), "sk_conn_read");
        have += got;
        available -= got;
    }
    if (have < BENCH_MSG)
        return;
    have -= BENCH_MSG;
    if (lat_t)
        lat[nlat++] = bench_now_ns() - lat_t;
    if (++pp_i < pp_n) {
        pp_send(c);
        return;
    }
    printf("RESULT ns=%lld n=%ld", (long long)(bench_now_ns() - t0), pp_n);
    bench_print_lat(lat, nlat);
    printf("\n");
    check(sk_conn_disconnect(c), "sk_conn_disconnect");
}

static void pp_error(sk_conn *c, int error, void *ud)
{
    (void)ud;
    if (error != SK_CONN_ERR_REMOTE_HOST_CLOSED || pp_i < pp_n) {
        int code = 0;
        (void)sk_conn_error(c, NULL, &code);
        fprintf(stderr, "bench sockit-loop: connection: %s (%s)\n",
                sk_conn_errstr(error), sk_strerror(code));
        exit(2);
    }
}

static void pingpong_client(int argc, char **argv)
{
    sk_conn *c = NULL;
    sk_conn_handlers h;
    pp_n = (long)bench_arg(argc, argv, "n", 100000);
    lat_on = (int)bench_arg(argc, argv, "lat", 1);
    lat = (int64_t *)malloc(sizeof *lat * (size_t)(pp_n / BENCH_LAT_EVERY + 1));
    if (lat == NULL)
        bench_die("malloc");
    memset(out, 'p', sizeof out);
    memset(&h, 0, sizeof h);
    h.connected = pp_connected;
    h.ready_read = pp_read;
    h.error = pp_error;
    check(sk_conn_new(loop, &c), "sk_conn_new");
    check(sk_conn_sethandlers(c, &h, NULL), "sk_conn_sethandlers");
    nodelay(c); /* remembered for the connection's socket */
    check(sk_conn_connect(c, "127.0.0.1", (int)bench_arg(argc, argv, "port", 0)),
          "sk_conn_connect");
    check(sk_loop_run(loop, SK_RUN_DEFAULT), "sk_loop_run");
    if (pp_i < pp_n)
        bench_die("the loop ended after %ld round trips", pp_i);
    sk_conn_free(c);
    free(lat);
}

/* ---- fanin: the echo server over every client ---------------------------- */
static void fanin_server(int argc, char **argv)
{
    echo_server(argc, argv, (long)bench_arg(argc, argv, "clients", 1000),
                4096);
}

/* ---- idle: accept, read one line, keep the connection -------------------- */
static long idle_n, idle_seen;
static sk_conn **idle_conns;
static long long idle_rss0, idle_heap0;
static sk_buf idle_line;

static void idle_read(sk_conn *c, size_t available, void *ud)
{
    (void)available;
    (void)ud;
    idle_line.len = 0;
    if (sk_conn_read_line(c, &idle_line) != 0)
        return; /* the line is not complete yet */
    if (++idle_seen == idle_n) {
        long long after = bench_rss();
        printf("RESULT conns=%ld rss_before=%lld rss_after=%lld "
               "bytes_per_conn=%.1f heap_per_conn=%.1f\n",
               idle_n, idle_rss0, after,
               (double)(after - idle_rss0) / idle_n,
               (double)(bench_heap() - idle_heap0) / idle_n);
        fflush(stdout);
        check(sk_loop_stop(loop), "sk_loop_stop");
    }
}

static void idle_accept(sk_server *srv, sk_conn *c, void *ud)
{
    static long n;
    sk_conn_handlers h;
    (void)srv;
    (void)ud;
    memset(&h, 0, sizeof h);
    h.ready_read = idle_read;
    check(sk_conn_sethandlers(c, &h, NULL), "sk_conn_sethandlers");
    if (n < idle_n)
        idle_conns[n++] = c;
}

static void idle_server(int argc, char **argv)
{
    long i;
    idle_n = (long)bench_arg(argc, argv, "clients", 10000);
    idle_conns = (sk_conn **)calloc((size_t)idle_n, sizeof *idle_conns);
    if (idle_conns == NULL)
        bench_die("calloc");
    listen_here(4096, idle_accept);
    idle_rss0 = bench_rss();
    idle_heap0 = bench_heap();
    check(sk_loop_run(loop, SK_RUN_DEFAULT), "sk_loop_run");
    for (i = 0; i < idle_n; i++)
        sk_conn_free(idle_conns[i]);
    sk_server_free(server);
    free(idle_conns);
    sk_buf_free(&idle_line);
}

static void probe(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("RESULT backend=%s\n", sk_loop_backend(loop));
}

int main(int argc, char **argv)
{
    static const bench_workload w[] = {
        {"pingpong", pingpong_server, pingpong_client},
        {"fanin", fanin_server, NULL},
        {"idle", idle_server, NULL},
        {"probe", probe, NULL},
    };
    bench_side f = bench_pick(argc, argv, w, sizeof w / sizeof w[0]);
    const char *backend = bench_sarg(argc, argv, "backend", NULL);
    if (backend != NULL)
        check(sk_loop_new_backend(&loop, backend), "sk_loop_new_backend");
    else
        check(sk_loop_new(&loop), "sk_loop_new");
    f(argc, argv);
    fflush(stdout);
    sk_loop_free(loop);
    return 0;
}
