/* SPDX-License-Identifier: MIT */
/*
 * bench_sockit.c - every workload on sockit's public API (include/sockit.h only),
 * written the way the API's documentation suggests: sk_read for bulk data,
 * sk_receiveline (a view, no copy) for lines, sk_receive(SK_BYTES) for
 * fixed messages, sk_selector for fan-in (its O(ready) readiness set; key
 * select=1 runs the stateless sk_select server instead).  Usage: see
 * common.h.  Keys of the instruction-budget runs (bench/budgets):
 * backend=NAME the selector's backend (the synchronous calls wait with
 * poll(2): any other name is refused for them), recv=read the pingpong
 * client on sk_read, recv=receive the lines reader on sk_receive(SK_LINE).
 */
#include "common.h"

#include <sockit.h>

#include <fcntl.h>
#include <unistd.h>

static void check(int r, const char *what)
{
    if (r != SK_OK) {
        fprintf(stderr, "bench sockit: %s: %s\n", what, sk_strerror(r));
        exit(2);
    }
}

/* A server on 127.0.0.1, port chosen by the system; prints "PORT <n>". */
/* The backend=NAME key: sockit's synchronous calls wait with poll(2), so
 * only "poll" (or no key) names what they use; the selector takes any
 * name sk_selector_new_backend knows. */
static void sync_backend(int argc, char **argv)
{
    const char *b = bench_sarg(argc, argv, "backend", "poll");
    if (strcmp(b, "poll") != 0)
        bench_die("backend=%s: the synchronous calls wait with poll", b);
}

static sk_sock *listen_here(int backlog)
{
    sk_sock *s = NULL;
    sk_name name;
    check(sk_tcp4(&s), "sk_tcp4");
    check(sk_setoption(s, SK_OPT_REUSEADDR, 1), "reuseaddr");
    check(sk_bind(s, "127.0.0.1", 0), "sk_bind");
    check(sk_listen(s, backlog), "sk_listen");
    check(sk_getsockname(s, &name), "sk_getsockname");
    printf("PORT %d\n", name.port);
    fflush(stdout);
    return s;
}

static sk_sock *accept_one(sk_sock *server)
{
    sk_sock *c = NULL;
    check(sk_accept(server, &c, NULL), "sk_accept");
    return c;
}

static sk_sock *connect_port(int port)
{
    sk_sock *c = NULL;
    check(sk_tcp4(&c), "sk_tcp4");
    check(sk_connect(c, "127.0.0.1", port), "sk_connect");
    return c;
}

static sk_sock *connect_here(int argc, char **argv)
{
    return connect_port((int)bench_arg(argc, argv, "port", 0));
}

/* ---- bulk -------------------------------------------------------------- */
static void bulk_server(int argc, char **argv)
{
    static char buf[BENCH_CHUNK];
    long long total = bench_arg(argc, argv, "bytes", 1LL << 30), got = 0;
    sk_sock *l = listen_here(16), *c = accept_one(l);
    while (got < total) {
        size_t n = 0;
        check(sk_read(c, buf, sizeof buf, &n), "sk_read");
        got += (long long)n;
    }
    check(sk_send(c, "k", 1, 1, -1, NULL), "sk_send ack");
    printf("RESULT received=%lld\n", got);
    sk_free(c);
    sk_free(l);
}

static void bulk_client(int argc, char **argv)
{
    static char buf[BENCH_CHUNK];
    long long total = bench_arg(argc, argv, "bytes", 1LL << 30), sent = 0;
    sk_sock *c;
    char ack;
    size_t n = 0;
    int64_t t0;
    memset(buf, 'x', sizeof buf);
    c = connect_here(argc, argv);
    t0 = bench_now_ns();
    while (sent < total) {
        size_t want = total - sent < BENCH_CHUNK ? (size_t)(total - sent)
                                                 : BENCH_CHUNK;
        check(sk_send(c, buf, want, 1, -1, NULL), "sk_send");
        sent += (long long)want;
    }
    check(sk_read(c, &ack, 1, &n), "sk_read ack");
    printf("RESULT ns=%lld bytes=%lld\n", (long long)(bench_now_ns() - t0),
           sent);
    sk_free(c);
}

/* ---- sendfile: sk_sendfile of the whole file --------------------------- */
static void sendfile_client(int argc, char **argv)
{
    int f = open(bench_sarg(argc, argv, "file", ""), O_RDONLY | O_CLOEXEC);
    uint64_t sent = 0;
    sk_sock *c;
    char ack;
    size_t n = 0;
    int64_t t0;
    if (f < 0)
        bench_die("open");
    c = connect_here(argc, argv);
    t0 = bench_now_ns();
    check(sk_sendfile(c, f, 0, -1, &sent), "sk_sendfile");
    check(sk_read(c, &ack, 1, &n), "sk_read ack");
    printf("RESULT ns=%lld bytes=%llu\n", (long long)(bench_now_ns() - t0),
           (unsigned long long)sent);
    sk_free(c);
    close(f);
}

/* ---- lines ------------------------------------------------------------- */
static void lines_server(int argc, char **argv)
{
    sk_sock *l = listen_here(16), *c = accept_one(l);
    const char *line;
    size_t len;
    unsigned long long lines = 0, bytes = 0;
    int64_t t0 = bench_now_ns();
    int r;
    sk_buf b = {NULL, 0, 0};
    if (strcmp(bench_sarg(argc, argv, "recv", "line"), "receive") == 0) {
        for (;;) { /* sk_receive(SK_LINE): a copy into b */
            b.len = 0;
            r = sk_receive(c, &b, SK_LINE, 0);
            if (r != SK_OK)
                break;
            lines++;
            bytes += b.len;
        }
    } else {
        for (;;) {
            r = sk_receiveline(c, &line, &len);
            if (r != SK_OK)
                break;
            lines++;
            bytes += len;
        }
    }
    sk_buf_free(&b);
    if (r != SK_ECLOSED)
        check(r, "sk_receiveline / sk_receive");
    printf("RESULT ns=%lld lines=%llu bytes=%llu\n",
           (long long)(bench_now_ns() - t0), lines, bytes);
    sk_free(c);
    sk_free(l);
}

/* ---- pingpong ---------------------------------------------------------- */
static void pingpong_server(int argc, char **argv)
{
    sk_sock *l = listen_here(16), *c = accept_one(l);
    sk_buf msg = {NULL, 0, 0};
    int r;
    (void)argc;
    (void)argv;
    check(sk_setoption(c, SK_OPT_TCP_NODELAY, 1), "tcp-nodelay");
    for (;;) {
        msg.len = 0;
        r = sk_receive(c, &msg, SK_BYTES, BENCH_MSG);
        if (r != SK_OK)
            break;
        check(sk_send(c, msg.data, msg.len, 1, -1, NULL), "sk_send");
    }
    if (r != SK_ECLOSED)
        check(r, "sk_receive");
    printf("RESULT served=1\n");
    sk_buf_free(&msg);
    sk_free(c);
    sk_free(l);
}

static void pingpong_client(int argc, char **argv)
{
    long n = (long)bench_arg(argc, argv, "n", 100000), i;
    int lat_on = (int)bench_arg(argc, argv, "lat", 1);
    int64_t *lat = (int64_t *)malloc(sizeof *lat * (size_t)(n / BENCH_LAT_EVERY + 1));
    size_t nlat = 0;
    char out[BENCH_MSG];
    sk_buf msg = {NULL, 0, 0};
    sk_sock *c = connect_here(argc, argv);
    int use_read = strcmp(bench_sarg(argc, argv, "recv", "receive"), "read") == 0;
    char in[BENCH_MSG];
    int64_t t0;
    memset(out, 'p', sizeof out);
    check(sk_setoption(c, SK_OPT_TCP_NODELAY, 1), "tcp-nodelay");
    t0 = bench_now_ns();
    for (i = 0; i < n; i++) {
        int64_t s = (lat_on && i % BENCH_LAT_EVERY == 0) ? bench_now_ns() : 0;
        check(sk_send(c, out, sizeof out, 1, -1, NULL), "sk_send");
        if (use_read) { /* sk_read until the 64 bytes are in */
            size_t have = 0, got = 0;
            while (have < sizeof in) {
                check(sk_read(c, in + have, sizeof in - have, &got), "sk_read");
                have += got;
            }
        } else {
            msg.len = 0;
            check(sk_receive(c, &msg, SK_BYTES, BENCH_MSG), "sk_receive");
        }
        if (s)
            lat[nlat++] = bench_now_ns() - s;
    }
    printf("RESULT ns=%lld n=%ld", (long long)(bench_now_ns() - t0), n);
    bench_print_lat(lat, nlat);
    printf("\n");
    free(lat);
    sk_buf_free(&msg);
    sk_free(c);
}

/* ---- connrate ---------------------------------------------------------- */
static void connrate_server(int argc, char **argv)
{
    long n = (long)bench_arg(argc, argv, "n", 20000), i;
    sk_sock *l = listen_here(128);
    for (i = 0; i < n; i++)
        sk_free(accept_one(l));
    printf("RESULT accepted=%ld\n", n);
    sk_free(l);
}

static void connrate_client(int argc, char **argv)
{
    long n = (long)bench_arg(argc, argv, "n", 20000), i;
    /* (the port read once: parsing the arguments per connection made the
     * count depend on where argv lies, through strncmp's alignment) */
    int port = (int)bench_arg(argc, argv, "port", 0);
    int64_t t0 = bench_now_ns();
    for (i = 0; i < n; i++) {
        sk_sock *c = connect_port(port);
        char b;
        size_t got = 0;
        if (sk_read(c, &b, 1, &got) != SK_ECLOSED) /* the server's close */
            bench_die("expected end of stream");
        sk_free(c);
    }
    printf("RESULT ns=%lld n=%ld\n", (long long)(bench_now_ns() - t0), n);
}

/* ---- udp: 64-byte datagrams echoed; the server answers whoever sent
 * (sk_recvfrom's sender, sk_sendto to it); the client has a peer
 * (sk_setpeername, sk_sendto host NULL, sk_recvfrom without a sender:
 * conn=1, the default) or names the server in every sk_sendto and takes
 * the sender from sk_recvfrom (conn=0).  addr=1: the binary calls instead
 * (sk_recvfromaddr, sk_sendtoaddr; the client's sk_toaddr once).  An empty
 * datagram ends. ---------------------------------------------------------- */
static sk_sock *udp_here(void)
{
    sk_sock *s = NULL;
    sk_name me;
    check(sk_udp4(&s), "sk_udp4");
    check(sk_bind(s, "127.0.0.1", 0), "sk_bind");
    check(sk_getsockname(s, &me), "sk_getsockname");
    printf("PORT %d\n", me.port);
    fflush(stdout);
    return s;
}

/* udp_server with addr=1: the binary calls. */
static void udp_server_addr(sk_sock *s)
{
    char buf[2048];
    sk_addr from;
    unsigned long long n = 0;
    for (;;) {
        size_t got = 0;
        check(sk_recvfromaddr(s, buf, sizeof buf, &got, NULL, &from),
              "sk_recvfromaddr");
        if (got == 0)
            break;
        check(sk_sendtoaddr(s, buf, got, &from), "sk_sendtoaddr");
        n++;
    }
    printf("RESULT served=%llu\n", n);
    sk_free(s);
}

static void udp_server(int argc, char **argv)
{
    char buf[2048];
    sk_sock *s = udp_here();
    sk_name from;
    unsigned long long n = 0;
    if (bench_arg(argc, argv, "addr", 0)) {
        udp_server_addr(s);
        return;
    }
    for (;;) {
        size_t got = 0;
        check(sk_recvfrom(s, buf, sizeof buf, &got, NULL, &from), "sk_recvfrom");
        if (got == 0) /* the client's empty datagram: the end */
            break;
        check(sk_sendto(s, buf, got, from.addr, from.port), "sk_sendto");
        n++;
    }
    printf("RESULT served=%llu\n", n);
    sk_free(s);
}

/* udp_client with conn=0 addr=1: the server named once (sk_toaddr), then
 * the binary calls. */
static void udp_client_addr(long n, int port)
{
    char out[BENCH_MSG], in[2048];
    sk_sock *c = NULL;
    sk_addr to, from;
    int64_t t0;
    long i;
    memset(out, 'u', sizeof out);
    check(sk_udp4(&c), "sk_udp4");
    check(sk_toaddr(c, "127.0.0.1", port, &to), "sk_toaddr");
    t0 = bench_now_ns();
    for (i = 0; i < n; i++) {
        size_t got = 0;
        check(sk_sendtoaddr(c, out, sizeof out, &to), "sk_sendtoaddr");
        check(sk_recvfromaddr(c, in, sizeof in, &got, NULL, &from),
              "sk_recvfromaddr");
        if (got != sizeof out)
            bench_die("echo of %zu bytes", got);
    }
    printf("RESULT ns=%lld n=%ld\n", (long long)(bench_now_ns() - t0), n);
    check(sk_sendtoaddr(c, out, 0, &to), "sk_sendtoaddr (end)");
    sk_free(c);
}

static void udp_client(int argc, char **argv)
{
    long n = (long)bench_arg(argc, argv, "n", 100000), i;
    int conn = (int)bench_arg(argc, argv, "conn", 1);
    int port = (int)bench_arg(argc, argv, "port", 0);
    char out[BENCH_MSG], in[2048];
    sk_sock *c = NULL;
    sk_name from;
    int64_t t0;
    if (!conn && bench_arg(argc, argv, "addr", 0)) {
        udp_client_addr(n, port);
        return;
    }
    memset(out, 'u', sizeof out);
    check(sk_udp4(&c), "sk_udp4");
    if (conn)
        check(sk_setpeername(c, "127.0.0.1", port), "sk_setpeername");
    t0 = bench_now_ns();
    for (i = 0; i < n; i++) {
        size_t got = 0;
        if (conn) {
            check(sk_sendto(c, out, sizeof out, NULL, 0), "sk_sendto");
            check(sk_recvfrom(c, in, sizeof in, &got, NULL, NULL), "sk_recvfrom");
        } else {
            check(sk_sendto(c, out, sizeof out, "127.0.0.1", port), "sk_sendto");
            check(sk_recvfrom(c, in, sizeof in, &got, NULL, &from), "sk_recvfrom");
        }
        if (got != sizeof out)
            bench_die("echo of %zu bytes", got);
    }
    printf("RESULT ns=%lld n=%ld\n", (long long)(bench_now_ns() - t0), n);
    check(sk_sendto(c, out, 0, conn ? NULL : "127.0.0.1", port), "sk_sendto (end)");
    sk_free(c);
}

/* ---- udpbulk: datagrams of size bytes one way (sk_sendto to the peer),
 * a 1-byte ack from the server after every win of them ------------------- */
static void udpbulk_server(int argc, char **argv)
{
    static char buf[65536];
    long win = (long)bench_arg(argc, argv, "win", 8), k = 0;
    unsigned long long bytes = 0;
    sk_sock *s = udp_here();
    sk_name from;
    for (;;) {
        size_t got = 0;
        check(sk_recvfrom(s, buf, sizeof buf, &got, NULL, &from), "sk_recvfrom");
        if (got == 0)
            break;
        bytes += got;
        if (++k == win) {
            k = 0;
            check(sk_sendto(s, "k", 1, from.addr, from.port), "sk_sendto ack");
        }
    }
    printf("RESULT received=%llu\n", bytes);
    sk_free(s);
}

static void udpbulk_client(int argc, char **argv)
{
    static char out[65536];
    long long total = bench_arg(argc, argv, "bytes", 256LL << 20), sent = 0;
    long size = (long)bench_arg(argc, argv, "size", 8192);
    long win = (long)bench_arg(argc, argv, "win", 8), k = 0;
    sk_sock *c = NULL;
    char ack;
    int64_t t0;
    memset(out, 'b', sizeof out);
    check(sk_udp4(&c), "sk_udp4");
    check(sk_setpeername(c, "127.0.0.1", (int)bench_arg(argc, argv, "port", 0)),
          "sk_setpeername");
    t0 = bench_now_ns();
    while (sent < total) {
        check(sk_sendto(c, out, (size_t)size, NULL, 0), "sk_sendto");
        sent += size;
        if (++k == win) {
            size_t got = 0;
            k = 0;
            check(sk_recvfrom(c, &ack, 1, &got, NULL, NULL), "sk_recvfrom ack");
        }
    }
    printf("RESULT ns=%lld bytes=%lld\n", (long long)(bench_now_ns() - t0), sent);
    check(sk_sendto(c, out, 0, NULL, 0), "sk_sendto (end)");
    sk_free(c);
}

/* ---- udpbatch: win 64-byte datagrams in flight, echoed, with the batch
 * calls: the client sk_sendmany to its peer then sk_recvmany until the
 * win are back; the server sk_recvmany (senders named) and sk_sendmany
 * of what came back to each sender (addr=1: sk_recvmanyaddr and
 * sk_sendmanyaddr, the senders in binary form) ---------------------------- */
#define BATCH_MAX 256

/* The echoes of the got datagrams in[] in out[] (the same buffers), up to
 * the client's empty datagram, the end (*end set then); their count.
 * from[]: the senders by name, out[k] going back to from[k]'s; NULL: the
 * caller sends them back by address. */
static size_t udpbatch_echoes(const sk_dgram *in, size_t got, sk_dgram *out,
                              const sk_name *from, int *end)
{
    size_t k;
    for (k = 0; k < got; k++) {
        if (in[k].got == 0) { /* the client's empty datagram: the end */
            *end = 1;
            break;
        }
        memset(&out[k], 0, sizeof out[k]);
        out[k].data = in[k].data;
        out[k].len = in[k].got;
        if (from != NULL) {
            out[k].host = from[k].addr;
            out[k].port = from[k].port;
        }
    }
    return k;
}

static void udpbatch_server_addr(sk_sock *s, char (*buf)[2048])
{
    static sk_addr fa[BATCH_MAX];
    sk_dgram in[BATCH_MAX], out[BATCH_MAX];
    unsigned long long n = 0;
    size_t i, got, sent;
    int end = 0;
    for (i = 0; i < BATCH_MAX; i++) {
        memset(&in[i], 0, sizeof in[i]);
        in[i].data = buf[i];
        in[i].len = 2048;
    }
    while (!end) {
        size_t k;
        check(sk_recvmanyaddr(s, in, fa, BATCH_MAX, &got), "sk_recvmanyaddr");
        k = udpbatch_echoes(in, got, out, NULL, &end); /* out[k] to fa[k] */
        check(sk_sendmanyaddr(s, out, fa, k, &sent), "sk_sendmanyaddr");
        n += k;
    }
    printf("RESULT served=%llu\n", n);
    sk_free(s);
}

static void udpbatch_server(int argc, char **argv)
{
    static char buf[BATCH_MAX][2048];
    static sk_name from[BATCH_MAX];
    sk_dgram in[BATCH_MAX], out[BATCH_MAX];
    sk_sock *s = udp_here();
    unsigned long long n = 0;
    size_t i, got, sent;
    int end = 0;
    if (bench_arg(argc, argv, "addr", 0)) {
        udpbatch_server_addr(s, buf);
        return;
    }
    for (i = 0; i < BATCH_MAX; i++) {
        memset(&in[i], 0, sizeof in[i]);
        in[i].data = buf[i];
        in[i].len = sizeof buf[i];
        in[i].from = &from[i];
    }
    while (!end) {
        size_t k;
        check(sk_recvmany(s, in, BATCH_MAX, &got), "sk_recvmany");
        k = udpbatch_echoes(in, got, out, from, &end);
        check(sk_sendmany(s, out, k, &sent), "sk_sendmany");
        n += k;
    }
    printf("RESULT served=%llu\n", n);
    sk_free(s);
}

static void udpbatch_client(int argc, char **argv)
{
    long n = (long)bench_arg(argc, argv, "n", 640000), i;
    long win = (long)bench_arg(argc, argv, "win", 64);
    static char inb[BATCH_MAX][2048];
    char msg[BENCH_MSG];
    sk_dgram out[BATCH_MAX], in[BATCH_MAX];
    sk_sock *c = NULL;
    size_t k, got, sent;
    int64_t t0;
    if (win < 1 || win > BATCH_MAX)
        bench_die("win=%ld", win);
    memset(msg, 'u', sizeof msg);
    for (k = 0; k < BATCH_MAX; k++) {
        memset(&out[k], 0, sizeof out[k]);
        out[k].data = msg;
        out[k].len = sizeof msg;
        memset(&in[k], 0, sizeof in[k]);
        in[k].data = inb[k];
        in[k].len = sizeof inb[k];
    }
    check(sk_udp4(&c), "sk_udp4");
    check(sk_setpeername(c, "127.0.0.1", (int)bench_arg(argc, argv, "port", 0)),
          "sk_setpeername");
    t0 = bench_now_ns();
    for (i = 0; i < n; i += win) {
        check(sk_sendmany(c, out, (size_t)win, &sent), "sk_sendmany");
        for (k = 0; k < (size_t)win; k += got)
            check(sk_recvmany(c, in, (size_t)win - k, &got), "sk_recvmany");
    }
    printf("RESULT ns=%lld n=%ld\n", (long long)(bench_now_ns() - t0), i);
    check(sk_sendto(c, msg, 0, NULL, 0), "sk_sendto (end)");
    sk_free(c);
}

/* ---- fanin: a selector holding the server and every client ------------- */

/* One ready client of a fan-in server: echo what can be read.  1 when the
 * client is gone (end of stream or an error), 0 otherwise. */
static int fanin_echo(sk_sock *c)
{
    static char buf[4096];
    size_t got = 0;
    int r = sk_read(c, buf, sizeof buf, &got);
    if (r == SK_OK)
        check(sk_send(c, buf, got, 1, -1, NULL), "sk_send");
    return r != SK_OK && r != SK_EWOULDBLOCK;
}

static void fanin_selector_server(long clients, const char *backend)
{
    long accepted = 0, gone = 0;
    size_t cap = (size_t)clients + 1, nr = 0, i;
    sk_sock **ready = (sk_sock **)malloc(sizeof *ready * cap);
    int *ev = (int *)malloc(sizeof *ev * cap);
    sk_sock *l = listen_here(4096);
    sk_selector *sel = NULL;
    unsigned long long selects = 0, readies = 0;
    if (ready == NULL || ev == NULL)
        bench_die("malloc");
    check(sk_setblocking(l, 0), "sk_setblocking"); /* clients inherit it */
    if (backend != NULL)
        check(sk_selector_new_backend(&sel, backend), "sk_selector_new_backend");
    else
        check(sk_selector_new(&sel), "sk_selector_new");
    check(sk_selector_add(sel, l, SK_READABLE), "sk_selector_add");
    while (gone < clients) {
        int r = sk_selector_wait(sel, -1.0, ready, ev, cap, &nr);
        check(r, "sk_selector_wait");
        selects++;
        readies += nr;
        for (i = 0; i < nr; i++) {
            sk_sock *c = ready[i];
            if (c == l) {
                sk_sock *nc = NULL;
                while (accepted < clients && sk_accept(l, &nc, NULL) == SK_OK) {
                    check(sk_selector_add(sel, nc, SK_READABLE),
                          "sk_selector_add");
                    accepted++;
                }
                continue;
            }
            if (fanin_echo(c)) {
                sk_free(c); /* and out of the selector */
                gone++;
            }
        }
    }
    printf("RESULT rss=%lld hwm=%lld selects=%llu ready=%llu\n", bench_rss(),
           bench_hwm(), selects, readies);
    sk_selector_free(sel);
    free(ready);
    free(ev);
    sk_free(l);
}

/* ---- fanin (select=1): sk_select over the server and every client ------- */
static void fanin_select_server(long clients)
{
    long gone = 0;
    size_t cap = (size_t)clients + 1, n = 1, nr = 0, nw = 0, i;
    sk_sock **set = (sk_sock **)malloc(sizeof *set * cap);
    sk_sock **ready = (sk_sock **)malloc(sizeof *ready * cap);
    sk_sock *l = listen_here(4096);
    unsigned long long selects = 0, readies = 0;
    if (set == NULL || ready == NULL)
        bench_die("malloc");
    check(sk_setblocking(l, 0), "sk_setblocking"); /* clients inherit it */
    set[0] = l;
    while (gone < clients) {
        int closed = 0;
        int r = sk_select(set, n, NULL, 0, -1.0, ready, &nr, NULL, &nw);
        check(r, "sk_select");
        selects++;
        readies += nr;
        for (i = 0; i < nr; i++) {
            sk_sock *c = ready[i];
            if (c == l) {
                sk_sock *nc = NULL;
                while (n < cap && sk_accept(l, &nc, NULL) == SK_OK)
                    set[n++] = nc;
                continue;
            }
            if (fanin_echo(c)) {
                sk_close(c); /* freed and dropped from the set below */
                closed = 1;
                gone++;
            }
        }
        if (closed) {
            size_t k = 1;
            for (i = 1; i < n; i++) {
                if (sk_role(set[i]) == SK_ROLE_CLOSED)
                    sk_free(set[i]);
                else
                    set[k++] = set[i];
            }
            n = k;
        }
    }
    printf("RESULT rss=%lld hwm=%lld selects=%llu ready=%llu\n", bench_rss(),
           bench_hwm(), selects, readies);
    free(set);
    free(ready);
    sk_free(l);
}

static void fanin_server(int argc, char **argv)
{
    long clients = (long)bench_arg(argc, argv, "clients", 1000);
    if (bench_arg(argc, argv, "select", 0)) {
        sync_backend(argc, argv); /* sk_select is poll(2) */
        fanin_select_server(clients);
    } else {
        fanin_selector_server(clients, bench_sarg(argc, argv, "backend", NULL));
    }
}

/* ---- idle: accept, read one line, keep the object (watch=1: each in an
 * sk_selector of the backend named, epoll by default) -------------------- */
static void idle_server(int argc, char **argv)
{
    long clients = (long)bench_arg(argc, argv, "clients", 10000), i;
    sk_sock **keep = (sk_sock **)malloc(sizeof *keep * (size_t)clients);
    sk_sock *l = listen_here(4096);
    sk_buf line = {NULL, 0, 0};
    sk_selector *sel = NULL;
    long long before, after, heap0;
    if (keep == NULL)
        bench_die("malloc");
    if (bench_arg(argc, argv, "watch", 0)) /* each kept in a selector */
        check(sk_selector_new_backend(&sel, bench_sarg(argc, argv, "backend", "epoll")),
              "sk_selector_new_backend");
    before = bench_rss();
    heap0 = bench_heap();
    for (i = 0; i < clients; i++) {
        keep[i] = accept_one(l);
        line.len = 0;
        check(sk_receive(keep[i], &line, SK_LINE, 0), "sk_receive hello");
        if (sel != NULL)
            check(sk_selector_add(sel, keep[i], SK_READABLE), "sk_selector_add");
    }
    if (sel != NULL) { /* one wait, as a server would make: its array too */
        sk_sock *r1[1];
        int e1[1];
        size_t n1 = 0;
        int r = sk_selector_wait(sel, 0, r1, e1, 1, &n1);
        if (r != SK_ETIMEOUT)
            check(r, "sk_selector_wait");
    }
    after = bench_rss();
    printf("RESULT conns=%ld rss_before=%lld rss_after=%lld "
           "bytes_per_conn=%.1f heap_per_conn=%.1f\n",
           clients, before, after, (double)(after - before) / clients,
           (double)(bench_heap() - heap0) / clients);
    fflush(stdout);
    for (i = 0; i < clients; i++)
        sk_free(keep[i]);
    sk_selector_free(sel);
    free(keep);
    sk_buf_free(&line);
    sk_free(l);
}

int main(int argc, char **argv)
{
    static const bench_workload w[] = {
        {"bulk", bulk_server, bulk_client},
        {"sendfile", NULL, sendfile_client},
        {"lines", lines_server, NULL},
        {"pingpong", pingpong_server, pingpong_client},
        {"connrate", connrate_server, connrate_client},
        {"fanin", fanin_server, NULL},
        {"idle", idle_server, NULL},
        {"udp", udp_server, udp_client},
        {"udpbulk", udpbulk_server, udpbulk_client},
        {"udpbatch", udpbatch_server, udpbatch_client},
    };
    bench_side f = bench_pick(argc, argv, w, sizeof w / sizeof w[0]);
    if (strcmp(argv[2], "fanin") != 0) /* (fanin: its server checks) */
        sync_backend(argc, argv);
    f(argc, argv);
    fflush(stdout);
    return 0;
}
