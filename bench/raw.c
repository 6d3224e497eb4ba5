/* SPDX-License-Identifier: MIT */
/*
 * raw.c - the reference: every workload written by hand on the system
 * calls (blocking send/recv for one connection, epoll for fan-in).  This is
 * the physical limit the other implementations are measured against.
 * Usage: see common.h.
 */
#include "rawnet.h"

#include <sys/epoll.h>

/* ---- bulk: 64 KiB sends, 64 KiB receives ------------------------------- */
static void bulk_server(int argc, char **argv)
{
    raw_sink(argc, argv, 1LL << 30, "bulk");
}

static void bulk_client(int argc, char **argv)
{
    static char buf[BENCH_CHUNK];
    long long total = bench_arg(argc, argv, "bytes", 1LL << 30), sent = 0;
    int64_t t0;
    int c;
    char ack;
    memset(buf, 'x', sizeof buf);
    c = raw_connect((int)bench_arg(argc, argv, "port", 0));
    t0 = bench_now_ns();
    while (sent < total) {
        size_t want = total - sent < BENCH_CHUNK ? (size_t)(total - sent)
                                                 : BENCH_CHUNK;
        raw_send_all(c, buf, want);
        sent += (long long)want;
    }
    if (!raw_recv_all(c, &ack, 1))
        bench_die("no ack");
    printf("RESULT ns=%lld bytes=%lld\n", (long long)(bench_now_ns() - t0),
           sent);
    close(c);
}

/* ---- sendfile: the baseline, read + send in 64 KiB steps -------------- */
static void sendfile_client(int argc, char **argv)
{
    static char buf[BENCH_CHUNK];
    long long sent = 0;
    int f = open(bench_sarg(argc, argv, "file", ""), O_RDONLY | O_CLOEXEC);
    int64_t t0;
    int c;
    char ack;
    if (f < 0)
        bench_die("open");
    c = raw_connect((int)bench_arg(argc, argv, "port", 0));
    t0 = bench_now_ns();
    for (;;) {
        ssize_t n = read(f, buf, sizeof buf);
        if (n < 0)
            bench_die("read");
        if (n == 0)
            break;
        raw_send_all(c, buf, (size_t)n);
        sent += n;
    }
    if (!raw_recv_all(c, &ack, 1))
        bench_die("no ack");
    printf("RESULT ns=%lld bytes=%lld\n", (long long)(bench_now_ns() - t0),
           sent);
    close(c);
    close(f);
}

/* ---- lines: a memchr reader over an 8 KiB buffer, no copies ----------- */
static void lines_server(int argc, char **argv)
{
    static char buf[BENCH_LINE_BUF];
    size_t have = 0, off = 0;
    unsigned long long lines = 0, bytes = 0;
    int l = raw_listen(16), c = accept(l, NULL, NULL);
    int64_t t0 = bench_now_ns();
    (void)argc;
    (void)argv;
    if (c < 0)
        bench_die("accept");
    for (;;) {
        char *p = buf + off, *lf = memchr(p, '\n', have - off);
        if (lf != NULL) { /* a line [p, lf) */
            size_t len = (size_t)(lf - p);
            if (len > 0 && p[len - 1] == '\r')
                len--;
            lines++;
            bytes += len;
            off = (size_t)(lf - buf) + 1;
            continue;
        }
        /* Keep the partial line at the front, read more after it. */
        memmove(buf, buf + off, have - off);
        have -= off;
        off = 0;
        if (have == sizeof buf)
            bench_die("line too long");
        {
            ssize_t n = recv(c, buf + have, sizeof buf - have, 0);
            if (n < 0)
                bench_die("recv");
            if (n == 0)
                break;
            have += (size_t)n;
        }
    }
    printf("RESULT ns=%lld lines=%llu bytes=%llu\n",
           (long long)(bench_now_ns() - t0), lines, bytes);
    close(c);
    close(l);
}

/* ---- pingpong: 64 bytes each way, TCP_NODELAY ------------------------- */
static void pingpong_server(int argc, char **argv)
{
    char msg[BENCH_MSG];
    int l = raw_listen(16), c = accept(l, NULL, NULL);
    (void)argc;
    (void)argv;
    if (c < 0)
        bench_die("accept");
    raw_nodelay(c);
    while (raw_recv_all(c, msg, sizeof msg))
        raw_send_all(c, msg, sizeof msg);
    printf("RESULT served=1\n");
    close(c);
    close(l);
}

static void pingpong_client(int argc, char **argv)
{
    long n = (long)bench_arg(argc, argv, "n", 100000), i;
    int lat_on = (int)bench_arg(argc, argv, "lat", 1);
    int64_t *lat = (int64_t *)malloc(sizeof *lat * (size_t)(n / BENCH_LAT_EVERY + 1));
    size_t nlat = 0;
    char msg[BENCH_MSG];
    int64_t t0;
    int c = raw_connect((int)bench_arg(argc, argv, "port", 0));
    memset(msg, 'p', sizeof msg);
    raw_nodelay(c);
    t0 = bench_now_ns();
    for (i = 0; i < n; i++) {
        int64_t s = (lat_on && i % BENCH_LAT_EVERY == 0) ? bench_now_ns() : 0;
        raw_send_all(c, msg, sizeof msg);
        if (!raw_recv_all(c, msg, sizeof msg))
            bench_die("closed");
        if (s)
            lat[nlat++] = bench_now_ns() - s;
    }
    printf("RESULT ns=%lld n=%ld", (long long)(bench_now_ns() - t0), n);
    bench_print_lat(lat, nlat);
    printf("\n");
    free(lat);
    close(c);
}

/* ---- connrate: connect / accept / close, one at a time ---------------- */
static void connrate_server(int argc, char **argv)
{
    long n = (long)bench_arg(argc, argv, "n", 20000), i;
    int l = raw_listen(128);
    for (i = 0; i < n; i++) {
        int c = accept4(l, NULL, NULL, SOCK_CLOEXEC);
        if (c < 0)
            bench_die("accept");
        close(c);
    }
    printf("RESULT accepted=%ld\n", n);
    close(l);
}

static void connrate_client(int argc, char **argv)
{
    long n = (long)bench_arg(argc, argv, "n", 20000), i;
    int port = (int)bench_arg(argc, argv, "port", 0);
    int64_t t0 = bench_now_ns();
    for (i = 0; i < n; i++) {
        char b;
        int c = raw_connect(port);
        if (recv(c, &b, 1, 0) != 0) /* the server's close */
            bench_die("expected end of stream");
        close(c);
    }
    printf("RESULT ns=%lld n=%ld\n", (long long)(bench_now_ns() - t0), n);
}

/* ---- fanin: an epoll echo server until every client has gone ----------- */
static void fanin_server(int argc, char **argv)
{
    static char buf[4096];
    struct epoll_event ev, evs[256];
    long clients = (long)bench_arg(argc, argv, "clients", 1000), gone = 0;
    int l = raw_listen(4096), ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0)
        bench_die("epoll_create1");
    fcntl(l, F_SETFL, O_NONBLOCK);
    ev.events = EPOLLIN;
    ev.data.fd = l;
    epoll_ctl(ep, EPOLL_CTL_ADD, l, &ev);
    while (gone < clients) {
        int k = epoll_wait(ep, evs, 256, -1), i;
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            bench_die("epoll_wait");
        for (i = 0; i < k; i++) {
            int fd = evs[i].data.fd;
            if (fd == l) {
                int c;
                while ((c = accept4(l, NULL, NULL,
                                    SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
                    ev.events = EPOLLIN;
                    ev.data.fd = c;
                    epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev);
                }
                continue;
            }
            {
                ssize_t n = recv(fd, buf, sizeof buf, 0);
                if (n > 0) {
                    /* Replies are tiny: the send buffer always has room. */
                    if (send(fd, buf, (size_t)n, MSG_NOSIGNAL) != n)
                        bench_die("echo send");
                } else if (n == 0 || errno != EAGAIN) {
                    close(fd); /* also leaves the epoll set */
                    gone++;
                }
            }
        }
    }
    printf("RESULT rss=%lld hwm=%lld\n", bench_rss(), bench_hwm());
    close(ep);
    close(l);
}

/* ---- idle: accept, read one line, keep the connection (watch=1: each in
 * an epoll set, as a server waiting for them would keep them) ----------- */
static void idle_server(int argc, char **argv)
{
    long clients = (long)bench_arg(argc, argv, "clients", 10000), i;
    int *fds = (int *)malloc(sizeof *fds * (size_t)clients);
    int l = raw_listen(4096);
    int ep = bench_arg(argc, argv, "watch", 0) ? epoll_create1(EPOLL_CLOEXEC) : -1;
    long long before = bench_rss(), after, heap0 = bench_heap();
    for (i = 0; i < clients; i++) {
        char line[128];
        size_t have = 0;
        int c = accept4(l, NULL, NULL, SOCK_CLOEXEC);
        if (c < 0)
            bench_die("accept");
        while (have == 0 || line[have - 1] != '\n') {
            ssize_t n = recv(c, line + have, sizeof line - have, 0);
            if (n <= 0)
                bench_die("idle recv");
            have += (size_t)n;
        }
        fds[i] = c;
        if (ep >= 0) {
            struct epoll_event ev;
            ev.events = EPOLLIN;
            ev.data.u64 = (uint64_t)i;
            if (epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev) != 0)
                bench_die("epoll_ctl");
        }
    }
    after = bench_rss();
    printf("RESULT conns=%ld rss_before=%lld rss_after=%lld "
           "bytes_per_conn=%.1f heap_per_conn=%.1f\n",
           clients, before, after, (double)(after - before) / clients,
           (double)(bench_heap() - heap0) / clients);
    fflush(stdout);
    for (i = 0; i < clients; i++)
        close(fds[i]);
    free(fds);
    close(l);
}

/* ---- udp: 64-byte datagrams echoed; the server answers with sendto to
 * recvfrom's sender; the client connect()s to it and uses send / recv
 * (conn=1, the default), or names it in every sendto and takes the sender
 * from recvfrom (conn=0).  An empty datagram ends. ---------------------- */
static int udp_bound(struct sockaddr_in *a)
{
    socklen_t len = sizeof *a;
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    raw_addr(a, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)a, sizeof *a) != 0 ||
        getsockname(fd, (struct sockaddr *)a, &len) != 0)
        bench_die("udp socket");
    printf("PORT %d\n", ntohs(a->sin_port));
    fflush(stdout);
    return fd;
}

static void udp_server(int argc, char **argv)
{
    char buf[2048];
    struct sockaddr_in a;
    unsigned long long n = 0;
    int fd = udp_bound(&a);
    (void)argc;
    (void)argv;
    for (;;) {
        struct sockaddr_in from;
        socklen_t flen = sizeof from;
        ssize_t got = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen);
        if (got < 0)
            bench_die("recvfrom");
        if (got == 0)
            break;
        if (sendto(fd, buf, (size_t)got, 0, (struct sockaddr *)&from, flen) != got)
            bench_die("sendto");
        n++;
    }
    printf("RESULT served=%llu\n", n);
    close(fd);
}

static void udp_client(int argc, char **argv)
{
    long n = (long)bench_arg(argc, argv, "n", 100000), i;
    int conn = (int)bench_arg(argc, argv, "conn", 1);
    char out[BENCH_MSG], in[2048];
    struct sockaddr_in a;
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    int64_t t0;
    memset(out, 'u', sizeof out);
    raw_addr(&a, (int)bench_arg(argc, argv, "port", 0));
    if (fd < 0 || (conn && connect(fd, (struct sockaddr *)&a, sizeof a) != 0))
        bench_die("udp connect");
    t0 = bench_now_ns();
    for (i = 0; i < n; i++) {
        if (conn) {
            if (send(fd, out, sizeof out, 0) != (ssize_t)sizeof out)
                bench_die("send");
            if (recv(fd, in, sizeof in, 0) != (ssize_t)sizeof out)
                bench_die("recv");
        } else {
            struct sockaddr_in from;
            socklen_t flen = sizeof from;
            if (sendto(fd, out, sizeof out, 0, (struct sockaddr *)&a, sizeof a) !=
                (ssize_t)sizeof out)
                bench_die("sendto");
            if (recvfrom(fd, in, sizeof in, 0, (struct sockaddr *)&from, &flen) !=
                (ssize_t)sizeof out)
                bench_die("recvfrom");
        }
    }
    printf("RESULT ns=%lld n=%ld\n", (long long)(bench_now_ns() - t0), n);
    if (sendto(fd, out, 0, 0, (struct sockaddr *)&a, sizeof a) != 0)
        bench_die("send (end)");
    close(fd);
}

/* ---- udpbulk: datagrams of size bytes one way, a 1-byte ack from the
 * server after every win of them (the client waits for it: nothing is
 * lost to a full receive buffer); an empty datagram ends ---------------- */
static void udpbulk_server(int argc, char **argv)
{
    static char buf[65536];
    long win = (long)bench_arg(argc, argv, "win", 8), k = 0;
    unsigned long long bytes = 0;
    struct sockaddr_in a;
    int fd = udp_bound(&a);
    for (;;) {
        struct sockaddr_in from;
        socklen_t flen = sizeof from;
        ssize_t got = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen);
        if (got < 0)
            bench_die("recvfrom");
        if (got == 0)
            break;
        bytes += (unsigned long long)got;
        if (++k == win) {
            k = 0;
            if (sendto(fd, "k", 1, 0, (struct sockaddr *)&from, flen) != 1)
                bench_die("sendto ack");
        }
    }
    printf("RESULT received=%llu\n", bytes);
    close(fd);
}

static void udpbulk_client(int argc, char **argv)
{
    static char out[65536];
    long long total = bench_arg(argc, argv, "bytes", 256LL << 20), sent = 0;
    long size = (long)bench_arg(argc, argv, "size", 8192);
    long win = (long)bench_arg(argc, argv, "win", 8), k = 0;
    struct sockaddr_in a;
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    char ack;
    int64_t t0;
    memset(out, 'b', sizeof out);
    raw_addr(&a, (int)bench_arg(argc, argv, "port", 0));
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0)
        bench_die("udp connect");
    t0 = bench_now_ns();
    while (sent < total) {
        if (send(fd, out, (size_t)size, 0) != size)
            bench_die("send");
        sent += size;
        if (++k == win) {
            k = 0;
            if (recv(fd, &ack, 1, 0) != 1)
                bench_die("recv ack");
        }
    }
    printf("RESULT ns=%lld bytes=%lld\n", (long long)(bench_now_ns() - t0), sent);
    if (send(fd, out, 0, 0) != 0)
        bench_die("send (end)");
    close(fd);
}

/* ---- udpbatch: win 64-byte datagrams in flight, echoed; the raw
 * baseline sends and receives them one system call each (the batch calls
 * are sockit's) ------------------------------------------------------------ */
static void udpbatch_client(int argc, char **argv)
{
    long n = (long)bench_arg(argc, argv, "n", 640000), i, k;
    long win = (long)bench_arg(argc, argv, "win", 64);
    char out[BENCH_MSG], in[2048];
    struct sockaddr_in a;
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    int64_t t0;
    memset(out, 'u', sizeof out);
    raw_addr(&a, (int)bench_arg(argc, argv, "port", 0));
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0)
        bench_die("udp connect");
    t0 = bench_now_ns();
    for (i = 0; i < n; i += win) {
        for (k = 0; k < win; k++)
            if (send(fd, out, sizeof out, 0) != (ssize_t)sizeof out)
                bench_die("send");
        for (k = 0; k < win; k++)
            if (recv(fd, in, sizeof in, 0) != (ssize_t)sizeof out)
                bench_die("recv");
    }
    printf("RESULT ns=%lld n=%ld\n", (long long)(bench_now_ns() - t0), i);
    if (send(fd, out, 0, 0) != 0)
        bench_die("send (end)");
    close(fd);
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
        {"udpbatch", udp_server, udpbatch_client},
    };
    bench_side f = bench_pick(argc, argv, w, sizeof w / sizeof w[0]);
    f(argc, argv);
    fflush(stdout);
    return 0;
}
