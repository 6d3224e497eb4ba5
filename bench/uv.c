/* SPDX-License-Identifier: MIT */
/*
 * uv.c - every workload on libuv (Debian's libuv1-dev), written the way
 * libuv programs usually are: one loop, uv_read_start with a 64 KiB
 * buffer from alloc_cb (one static buffer: every read_cb consumes its data
 * at once), uv_try_write with uv_write as the fallback.  Usage: see
 * common.h.
 */
#include "common.h"

#include <fcntl.h>
#include <unistd.h>
#include <uv.h>

static uv_loop_t *loop;
static char rbuf[BENCH_CHUNK];

static void uv_check(int r, const char *what)
{
    if (r < 0) {
        fprintf(stderr, "bench uv: %s: %s\n", what, uv_strerror(r));
        exit(2);
    }
}

static void alloc_cb(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    (void)h;
    (void)suggested;
    *buf = uv_buf_init(rbuf, sizeof rbuf);
}

static void free_cb(uv_handle_t *h) { free(h); }

/* A written copy for when uv_try_write could not take everything. */
typedef struct wcopy {
    uv_write_t req;
    char data[1];
} wcopy;

static void wcopy_done(uv_write_t *req, int status)
{
    uv_check(status, "uv_write");
    free(req);
}

/* Write all of len bytes: uv_try_write, the rest queued with uv_write. */
static void write_all(uv_stream_t *s, const char *p, size_t len)
{
    uv_buf_t b = uv_buf_init((char *)p, (unsigned)len);
    int n = uv_try_write(s, &b, 1);
    wcopy *w;
    if (n == (int)len)
        return;
    if (n < 0 && n != UV_EAGAIN)
        uv_check(n, "uv_try_write");
    if (n < 0)
        n = 0;
    w = (wcopy *)malloc(sizeof *w + len - (size_t)n);
    if (w == NULL)
        bench_die("malloc");
    memcpy(w->data, p + n, len - (size_t)n);
    b = uv_buf_init(w->data, (unsigned)(len - (size_t)n));
    uv_check(uv_write(&w->req, s, &b, 1, wcopy_done), "uv_write");
}

static uv_tcp_t server;

/* Listen on 127.0.0.1, port 0; prints "PORT <n>". */
static void listen_here(int backlog, uv_connection_cb cb)
{
    struct sockaddr_in a;
    struct sockaddr_storage ss;
    int len = sizeof ss;
    uv_check(uv_ip4_addr("127.0.0.1", 0, &a), "uv_ip4_addr");
    uv_check(uv_tcp_init(loop, &server), "uv_tcp_init");
    uv_check(uv_tcp_bind(&server, (const struct sockaddr *)&a, 0), "bind");
    uv_check(uv_listen((uv_stream_t *)&server, backlog, cb), "uv_listen");
    uv_check(uv_tcp_getsockname(&server, (struct sockaddr *)&ss, &len),
             "getsockname");
    printf("PORT %d\n", ntohs(((struct sockaddr_in *)&ss)->sin_port));
    fflush(stdout);
}

/* Accept one client into a new malloc'd handle. */
static uv_tcp_t *accept_here(uv_stream_t *srv, int status)
{
    uv_tcp_t *c = (uv_tcp_t *)malloc(sizeof *c);
    uv_check(status, "connection");
    if (c == NULL)
        bench_die("malloc");
    uv_check(uv_tcp_init(loop, c), "uv_tcp_init");
    uv_check(uv_accept(srv, (uv_stream_t *)c), "uv_accept");
    return c;
}

static struct sockaddr_in peer_addr;
static uv_connect_t conn_req;

static void connect_here(int argc, char **argv, uv_tcp_t *c, uv_connect_cb cb)
{
    uv_check(uv_ip4_addr("127.0.0.1", (int)bench_arg(argc, argv, "port", 0),
                         &peer_addr), "uv_ip4_addr");
    uv_check(uv_tcp_init(loop, c), "uv_tcp_init");
    uv_check(uv_tcp_connect(&conn_req, c, (const struct sockaddr *)&peer_addr,
                            cb), "uv_tcp_connect");
}

/* ---- bulk -------------------------------------------------------------- */
static long long bulk_total, bulk_done;
static int64_t t0;
static uv_tcp_t one; /* the single connection of bulk, lines, pingpong */

static void bulk_read(uv_stream_t *s, ssize_t n, const uv_buf_t *b)
{
    (void)b;
    if (n < 0)
        uv_check((int)n, "bulk read");
    bulk_done += n;
    if (bulk_done >= bulk_total) {
        uv_read_stop(s);
        write_all(s, "k", 1);
        uv_close((uv_handle_t *)s, NULL);
        uv_close((uv_handle_t *)&server, NULL);
    }
}

static void bulk_conn(uv_stream_t *srv, int status)
{
    uv_tcp_t *c = accept_here(srv, status);
    uv_check(uv_read_start((uv_stream_t *)c, alloc_cb, bulk_read), "read");
}

static void bulk_server(int argc, char **argv)
{
    bulk_total = bench_arg(argc, argv, "bytes", 1LL << 30);
    listen_here(16, bulk_conn);
    uv_run(loop, UV_RUN_DEFAULT);
    printf("RESULT received=%lld\n", bulk_done);
}

static char sbuf[BENCH_CHUNK];
static uv_write_t wreq[2];
static long long bulk_queued;

static void bulk_ack(uv_stream_t *s, ssize_t n, const uv_buf_t *b)
{
    (void)b;
    if (n <= 0)
        uv_check(n < 0 ? (int)n : UV_EOF, "ack");
    printf("RESULT ns=%lld bytes=%lld\n", (long long)(bench_now_ns() - t0),
           bulk_total);
    uv_close((uv_handle_t *)s, NULL);
}

static void bulk_wrote(uv_write_t *req, int status);

/* Keep two 64 KiB writes in flight until every byte is queued. */
static void bulk_queue(uv_write_t *req)
{
    size_t want;
    uv_buf_t b;
    if (bulk_queued >= bulk_total)
        return;
    want = bulk_total - bulk_queued < BENCH_CHUNK
               ? (size_t)(bulk_total - bulk_queued) : BENCH_CHUNK;
    b = uv_buf_init(sbuf, (unsigned)want);
    bulk_queued += (long long)want;
    uv_check(uv_write(req, (uv_stream_t *)&one, &b, 1, bulk_wrote), "write");
}

static void bulk_wrote(uv_write_t *req, int status)
{
    uv_check(status, "bulk write");
    bulk_done += BENCH_CHUNK;
    bulk_queue(req);
    if (bulk_done == bulk_total) /* the last write is done */
        uv_check(uv_read_start((uv_stream_t *)&one, alloc_cb, bulk_ack),
                 "read ack");
}

static void bulk_connected(uv_connect_t *req, int status)
{
    (void)req;
    uv_check(status, "connect");
    t0 = bench_now_ns();
    bulk_queue(&wreq[0]);
    bulk_queue(&wreq[1]);
}

static void bulk_client(int argc, char **argv)
{
    bulk_total = bench_arg(argc, argv, "bytes", 1LL << 30);
    /* Whole chunks only: the harness sends multiples of 64 KiB. */
    bulk_total -= bulk_total % BENCH_CHUNK;
    memset(sbuf, 'x', sizeof sbuf);
    connect_here(argc, argv, &one, bulk_connected);
    uv_run(loop, UV_RUN_DEFAULT);
}

/* ---- sendfile: uv_fs_sendfile in a loop ------------------------------- */
/* uv_fs_sendfile runs sendfile(2) on the thread pool and may send less
 * than asked; the socket is put in blocking mode for the transfer
 * (uv_stream_set_blocking), as the pool thread cannot wait for room. */
static uv_fs_t sf_req;
static int sf_file;
static uv_os_fd_t sf_sock;
static long long sf_size;

static void sf_step(uv_fs_t *req)
{
    long long r = (long long)req->result;
    uv_fs_req_cleanup(req);
    if (r < 0)
        uv_check((int)r, "uv_fs_sendfile");
    bulk_done += r;
    if (bulk_done < sf_size) {
        uv_check(uv_fs_sendfile(loop, &sf_req, sf_sock, sf_file, bulk_done,
                                (size_t)(sf_size - bulk_done), sf_step),
                 "uv_fs_sendfile");
        return;
    }
    uv_check(uv_stream_set_blocking((uv_stream_t *)&one, 0), "blocking");
    bulk_total = bulk_done;
    uv_check(uv_read_start((uv_stream_t *)&one, alloc_cb, bulk_ack), "read");
}

static void sf_connected(uv_connect_t *req, int status)
{
    (void)req;
    uv_check(status, "connect");
    uv_check(uv_fileno((uv_handle_t *)&one, &sf_sock), "uv_fileno");
    uv_check(uv_stream_set_blocking((uv_stream_t *)&one, 1), "blocking");
    t0 = bench_now_ns();
    uv_check(uv_fs_sendfile(loop, &sf_req, sf_sock, sf_file, 0,
                            (size_t)sf_size, sf_step), "uv_fs_sendfile");
}

static void sendfile_client(int argc, char **argv)
{
    sf_file = open(bench_sarg(argc, argv, "file", ""), O_RDONLY | O_CLOEXEC);
    if (sf_file < 0)
        bench_die("open");
    sf_size = (long long)lseek(sf_file, 0, SEEK_END);
    connect_here(argc, argv, &one, sf_connected);
    uv_run(loop, UV_RUN_DEFAULT);
    close(sf_file);
}

/* ---- lines: split each read at LF; a partial line is carried over ------- */
static unsigned long long nlines, nbytes;
static char *carry;
static size_t carry_len, carry_cap;

static void line_seen(size_t len) { nlines++; nbytes += len; }

static void lines_read(uv_stream_t *s, ssize_t n, const uv_buf_t *b)
{
    const char *p = b->base, *end = b->base + (n > 0 ? n : 0);
    if (n == UV_EOF) {
        printf("RESULT ns=%lld lines=%llu bytes=%llu\n",
               (long long)(bench_now_ns() - t0), nlines, nbytes);
        uv_close((uv_handle_t *)s, NULL);
        uv_close((uv_handle_t *)&server, NULL);
        return;
    }
    if (n < 0)
        uv_check((int)n, "lines read");
    while (p < end) {
        const char *lf = (const char *)memchr(p, '\n', (size_t)(end - p));
        if (lf == NULL) { /* keep the start of a line for the next read */
            size_t k = (size_t)(end - p);
            if (carry_len + k > carry_cap) {
                carry_cap = (carry_len + k) * 2;
                carry = (char *)realloc(carry, carry_cap);
                if (carry == NULL)
                    bench_die("realloc");
            }
            memcpy(carry + carry_len, p, k);
            carry_len += k;
            break;
        }
        if (carry_len > 0) { /* the rest of the carried line */
            size_t k = (size_t)(lf - p);
            if (carry_len + k > carry_cap) {
                carry_cap = (carry_len + k) * 2;
                carry = (char *)realloc(carry, carry_cap);
                if (carry == NULL)
                    bench_die("realloc");
            }
            memcpy(carry + carry_len, p, k);
            line_seen(carry_len + k);
            carry_len = 0;
        } else {
            line_seen((size_t)(lf - p));
        }
        p = lf + 1;
    }
}

static void lines_conn(uv_stream_t *srv, int status)
{
    uv_check(status, "connection");
    uv_check(uv_tcp_init(loop, &one), "uv_tcp_init");
    uv_check(uv_accept(srv, (uv_stream_t *)&one), "uv_accept");
    t0 = bench_now_ns();
    uv_check(uv_read_start((uv_stream_t *)&one, alloc_cb, lines_read),
             "read");
}

static void lines_server(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    listen_here(16, lines_conn);
    uv_run(loop, UV_RUN_DEFAULT);
    free(carry);
}

/* ---- pingpong ---------------------------------------------------------- */
static char msg[BENCH_MSG];
static size_t have;
static long pp_n, pp_i;
static int lat_on;
static int64_t *lat, lat_t;
static size_t nlat;

static void pp_server_read(uv_stream_t *s, ssize_t n, const uv_buf_t *b)
{
    const char *p = b->base;
    if (n == UV_EOF) {
        uv_close((uv_handle_t *)s, NULL);
        uv_close((uv_handle_t *)&server, NULL);
        return;
    }
    if (n < 0)
        uv_check((int)n, "read");
    while (n > 0) { /* echo whole 64-byte messages */
        size_t k = BENCH_MSG - have < (size_t)n ? BENCH_MSG - have : (size_t)n;
        memcpy(msg + have, p, k);
        have += k;
        p += k;
        n -= (ssize_t)k;
        if (have == BENCH_MSG) {
            write_all(s, msg, BENCH_MSG);
            have = 0;
        }
    }
}

static void pp_conn(uv_stream_t *srv, int status)
{
    uv_check(status, "connection");
    uv_check(uv_tcp_init(loop, &one), "uv_tcp_init");
    uv_check(uv_accept(srv, (uv_stream_t *)&one), "uv_accept");
    uv_check(uv_tcp_nodelay(&one, 1), "nodelay");
    uv_check(uv_read_start((uv_stream_t *)&one, alloc_cb, pp_server_read),
             "read");
}

static void pingpong_server(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    listen_here(16, pp_conn);
    uv_run(loop, UV_RUN_DEFAULT);
    printf("RESULT served=1\n");
}

static void pp_send(uv_stream_t *s)
{
    lat_t = (lat_on && pp_i % BENCH_LAT_EVERY == 0) ? bench_now_ns() : 0;
    memset(msg, 'p', sizeof msg);
    write_all(s, msg, BENCH_MSG);
}

static void pp_client_read(uv_stream_t *s, ssize_t n, const uv_buf_t *b)
{
    (void)b;
    if (n < 0)
        uv_check((int)n, "read");
    have += (size_t)n;
    if (have < BENCH_MSG)
        return;
    have = 0;
    if (lat_t)
        lat[nlat++] = bench_now_ns() - lat_t;
    if (++pp_i < pp_n) {
        pp_send(s);
        return;
    }
    printf("RESULT ns=%lld n=%ld", (long long)(bench_now_ns() - t0), pp_n);
    bench_print_lat(lat, nlat);
    printf("\n");
    uv_close((uv_handle_t *)s, NULL);
}

static void pp_connected(uv_connect_t *req, int status)
{
    (void)req;
    uv_check(status, "connect");
    uv_check(uv_tcp_nodelay(&one, 1), "nodelay");
    uv_check(uv_read_start((uv_stream_t *)&one, alloc_cb, pp_client_read),
             "read");
    t0 = bench_now_ns();
    pp_send((uv_stream_t *)&one);
}

static void pingpong_client(int argc, char **argv)
{
    pp_n = (long)bench_arg(argc, argv, "n", 100000);
    lat_on = (int)bench_arg(argc, argv, "lat", 1);
    lat = (int64_t *)malloc(sizeof *lat * (size_t)(pp_n / BENCH_LAT_EVERY + 1));
    connect_here(argc, argv, &one, pp_connected);
    uv_run(loop, UV_RUN_DEFAULT);
    free(lat);
}

/* ---- connrate ---------------------------------------------------------- */
static long cr_n, cr_i;

static void cr_conn(uv_stream_t *srv, int status)
{
    uv_tcp_t *c = accept_here(srv, status);
    uv_close((uv_handle_t *)c, free_cb);
    if (++cr_i == cr_n)
        uv_close((uv_handle_t *)&server, NULL);
}

static void connrate_server(int argc, char **argv)
{
    cr_n = (long)bench_arg(argc, argv, "n", 20000);
    listen_here(128, cr_conn);
    uv_run(loop, UV_RUN_DEFAULT);
    printf("RESULT accepted=%ld\n", cr_i);
}

static void cr_next(void);

static void cr_closed(uv_handle_t *h)
{
    (void)h;
    if (++cr_i < cr_n)
        cr_next();
    else
        printf("RESULT ns=%lld n=%ld\n", (long long)(bench_now_ns() - t0),
               cr_n);
}

static void cr_read(uv_stream_t *s, ssize_t n, const uv_buf_t *b)
{
    (void)b;
    if (n != UV_EOF)
        bench_die("expected end of stream, got %ld", (long)n);
    uv_close((uv_handle_t *)s, cr_closed);
}

static void cr_connected(uv_connect_t *req, int status)
{
    (void)req;
    uv_check(status, "connect");
    uv_check(uv_read_start((uv_stream_t *)&one, alloc_cb, cr_read), "read");
}

static void cr_next(void)
{
    uv_check(uv_tcp_init(loop, &one), "uv_tcp_init");
    uv_check(uv_tcp_connect(&conn_req, &one,
                            (const struct sockaddr *)&peer_addr,
                            cr_connected), "uv_tcp_connect");
}

static void connrate_client(int argc, char **argv)
{
    cr_n = (long)bench_arg(argc, argv, "n", 20000);
    uv_check(uv_ip4_addr("127.0.0.1", (int)bench_arg(argc, argv, "port", 0),
                         &peer_addr), "uv_ip4_addr");
    t0 = bench_now_ns();
    cr_next();
    uv_run(loop, UV_RUN_DEFAULT);
}

/* ---- fanin: the usual libuv echo server -------------------------------- */
static long fan_clients, fan_gone;

static void fan_read(uv_stream_t *s, ssize_t n, const uv_buf_t *b)
{
    if (n > 0) {
        write_all(s, b->base, (size_t)n);
        return;
    }
    if (n == 0)
        return;
    uv_close((uv_handle_t *)s, free_cb);
    if (++fan_gone == fan_clients) {
        printf("RESULT rss=%lld hwm=%lld\n", bench_rss(), bench_hwm());
        uv_close((uv_handle_t *)&server, NULL);
    }
}

static void fan_conn(uv_stream_t *srv, int status)
{
    uv_tcp_t *c = accept_here(srv, status);
    uv_check(uv_read_start((uv_stream_t *)c, alloc_cb, fan_read), "read");
}

static void fanin_server(int argc, char **argv)
{
    fan_clients = (long)bench_arg(argc, argv, "clients", 1000);
    listen_here(4096, fan_conn);
    uv_run(loop, UV_RUN_DEFAULT);
}

/* ---- idle: accept, read one line, keep reading (idle) ------------------ */
static long idle_clients, idle_done;
static long long idle_before, idle_heap0;

static void idle_read(uv_stream_t *s, ssize_t n, const uv_buf_t *b)
{
    (void)s;
    if (n < 0)
        uv_check((int)n, "idle read");
    if (n > 0 && b->base[n - 1] == '\n' && ++idle_done == idle_clients) {
        long long after = bench_rss();
        printf("RESULT conns=%ld rss_before=%lld rss_after=%lld "
               "bytes_per_conn=%.1f heap_per_conn=%.1f\n",
               idle_clients, idle_before, after,
               (double)(after - idle_before) / idle_clients,
               (double)(bench_heap() - idle_heap0) / idle_clients);
        fflush(stdout);
        exit(0); /* closes every connection */
    }
}

static void idle_conn(uv_stream_t *srv, int status)
{
    uv_tcp_t *c = accept_here(srv, status);
    uv_check(uv_read_start((uv_stream_t *)c, alloc_cb, idle_read), "read");
}

static void idle_server(int argc, char **argv)
{
    idle_clients = (long)bench_arg(argc, argv, "clients", 10000);
    listen_here(4096, idle_conn);
    idle_before = bench_rss();
    idle_heap0 = bench_heap();
    uv_run(loop, UV_RUN_DEFAULT);
}

/* ---- udp: 64-byte datagrams echoed; the server answers each sender with
 * uv_udp_try_send; the client uv_udp_connect()s (conn=1) or names the
 * server in every send (conn=0) and sends the next datagram from its
 * recv_cb.  An empty datagram ends.  udpbulk: size-byte datagrams, an ack
 * every win. -------------------------------------------------------------- */
static uv_udp_t udp;
static struct sockaddr_in udp_peer;
static long udp_n, udp_i, udp_win, udp_k;
static int udp_conn;
static long long udp_total, udp_sent;
static char udp_out[65536];
static size_t udp_size;

static void udp_bind_here(void)
{
    struct sockaddr_in a;
    struct sockaddr_storage ss;
    int len = sizeof ss;
    uv_check(uv_ip4_addr("127.0.0.1", 0, &a), "uv_ip4_addr");
    uv_check(uv_udp_init(loop, &udp), "uv_udp_init");
    uv_check(uv_udp_bind(&udp, (const struct sockaddr *)&a, 0), "bind");
    uv_check(uv_udp_getsockname(&udp, (struct sockaddr *)&ss, &len),
             "getsockname");
    printf("PORT %d\n", ntohs(((struct sockaddr_in *)&ss)->sin_port));
    fflush(stdout);
}

static void udp_send1(const char *p, size_t len, const struct sockaddr *to)
{
    uv_buf_t b = uv_buf_init((char *)p, (unsigned)len);
    int r = uv_udp_try_send(&udp, &b, 1, to);
    if (r != (int)len)
        uv_check(r < 0 ? r : UV_EIO, "uv_udp_try_send");
}

static void udp_server_recv(uv_udp_t *h, ssize_t n, const uv_buf_t *b,
                            const struct sockaddr *from, unsigned flags)
{
    (void)flags;
    if (n < 0)
        uv_check((int)n, "udp recv");
    if (from == NULL)
        return; /* nothing more to read for now */
    if (n == 0) {
        printf("RESULT served=%ld\n", udp_i);
        uv_close((uv_handle_t *)h, NULL);
        return;
    }
    if (udp_win > 0) { /* udpbulk: count, ack every win */
        udp_sent += n;
        if (++udp_k == udp_win) {
            udp_k = 0;
            udp_send1("k", 1, from);
        }
        return;
    }
    udp_send1(b->base, (size_t)n, from);
    udp_i++;
}

static void udp_server(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    udp_bind_here();
    uv_check(uv_udp_recv_start(&udp, alloc_cb, udp_server_recv), "recv_start");
    uv_run(loop, UV_RUN_DEFAULT);
}

static void udpbulk_server(int argc, char **argv)
{
    udp_win = (long)bench_arg(argc, argv, "win", 8);
    udp_bind_here();
    uv_check(uv_udp_recv_start(&udp, alloc_cb, udp_server_recv), "recv_start");
    uv_run(loop, UV_RUN_DEFAULT);
    printf("RESULT received=%lld\n", udp_sent);
}

static const struct sockaddr *udp_to(void)
{
    return udp_conn ? NULL : (const struct sockaddr *)&udp_peer;
}

static void udp_client_recv(uv_udp_t *h, ssize_t n, const uv_buf_t *b,
                            const struct sockaddr *from, unsigned flags)
{
    (void)b;
    (void)flags;
    if (n < 0)
        uv_check((int)n, "udp recv");
    if (from == NULL && n == 0)
        return;
    if (n != BENCH_MSG)
        bench_die("echo of %ld bytes", (long)n);
    if (++udp_i < udp_n) {
        udp_send1(udp_out, BENCH_MSG, udp_to());
        return;
    }
    printf("RESULT ns=%lld n=%ld\n", (long long)(bench_now_ns() - t0), udp_n);
    udp_send1(udp_out, 0, udp_to());
    uv_close((uv_handle_t *)h, NULL);
}

static void udp_client_init(int argc, char **argv)
{
    uv_check(uv_ip4_addr("127.0.0.1", (int)bench_arg(argc, argv, "port", 0),
                         &udp_peer), "uv_ip4_addr");
    uv_check(uv_udp_init(loop, &udp), "uv_udp_init");
    if (udp_conn)
        uv_check(uv_udp_connect(&udp, (const struct sockaddr *)&udp_peer),
                 "uv_udp_connect");
}

static void udp_client(int argc, char **argv)
{
    udp_n = (long)bench_arg(argc, argv, "n", 100000);
    udp_conn = (int)bench_arg(argc, argv, "conn", 1);
    memset(udp_out, 'u', BENCH_MSG);
    udp_client_init(argc, argv);
    t0 = bench_now_ns();
    udp_send1(udp_out, BENCH_MSG, udp_to()); /* binds the socket */
    uv_check(uv_udp_recv_start(&udp, alloc_cb, udp_client_recv), "recv_start");
    uv_run(loop, UV_RUN_DEFAULT);
}

static void udpbulk_window(void)
{
    for (udp_k = 0; udp_k < udp_win && udp_sent < udp_total; udp_k++) {
        udp_send1(udp_out, udp_size, NULL);
        udp_sent += (long long)udp_size;
    }
}

static void udpbulk_client_recv(uv_udp_t *h, ssize_t n, const uv_buf_t *b,
                                const struct sockaddr *from, unsigned flags)
{
    (void)b;
    (void)flags;
    if (n < 0)
        uv_check((int)n, "udp recv");
    if (from == NULL && n == 0)
        return;
    if (udp_sent < udp_total) {
        udpbulk_window();
        return;
    }
    printf("RESULT ns=%lld bytes=%lld\n", (long long)(bench_now_ns() - t0),
           udp_sent);
    udp_send1(udp_out, 0, NULL);
    uv_close((uv_handle_t *)h, NULL);
}

static void udpbulk_client(int argc, char **argv)
{
    udp_total = bench_arg(argc, argv, "bytes", 256LL << 20);
    udp_size = (size_t)bench_arg(argc, argv, "size", 8192);
    udp_win = (long)bench_arg(argc, argv, "win", 8);
    udp_conn = 1;
    memset(udp_out, 'b', sizeof udp_out);
    udp_client_init(argc, argv);
    t0 = bench_now_ns();
    udpbulk_window();
    uv_check(uv_udp_recv_start(&udp, alloc_cb, udpbulk_client_recv), "recv_start");
    uv_run(loop, UV_RUN_DEFAULT);
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
    };
    bench_side f = bench_pick(argc, argv, w, sizeof w / sizeof w[0]);
    loop = uv_default_loop();
    f(argc, argv);
    fflush(stdout);
    return 0;
}
