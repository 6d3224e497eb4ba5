/* SPDX-License-Identifier: MIT */
/*
 * loadgen.c - the client side shared by every implementation where the
 * workload measures a server: the lines writer, the fan-in clients and the
 * idle connections.  Plain system calls (epoll for fan-in), so the client
 * costs the same whichever server it talks to.
 *
 *   loadgen lines port=P n=LINES        send LINES lines, then close
 *   loadgen fanin port=P clients=C rt=R [active=K]
 *                                       C connections, R round trips of
 *                                       64 bytes each, all at once (only
 *                                       the first K with active=K)
 *   loadgen idle port=P clients=C       C connections, "hello\n" on each,
 *                                       then wait for the server to close
 *   loadgen sink bytes=N                a server: receive N bytes (64 KiB
 *                                       receives), ack with one byte
 */
#include "rawnet.h"

#include <sys/epoll.h>

/* The receiving end of sendfile: 64 KiB receives until bytes=N arrived,
 * then a one-byte ack. */
static void sink(int argc, char **argv)
{
    raw_sink(argc, argv, 1LL << 28, "sink");
}

static void lines(int argc, char **argv)
{
    unsigned long n = (unsigned long)bench_arg(argc, argv, "n", 2000000), i;
    char *all = (char *)malloc((size_t)n * 52 + 1), *p = all;
    size_t len, off = 0;
    int c;
    if (all == NULL)
        bench_die("malloc");
    for (i = 0; i < n; i++) /* made before connecting: not timed */
        p += bench_make_line(p, i);
    len = (size_t)(p - all);
    c = raw_connect((int)bench_arg(argc, argv, "port", 0));
    while (off < len) {
        size_t k = len - off < BENCH_CHUNK ? len - off : BENCH_CHUNK;
        raw_send_all(c, all + off, k);
        off += k;
    }
    close(c);
    printf("RESULT sent_lines=%lu\n", n);
    free(all);
}

/* Connect the clients in batches of 256: connect (and send a one-byte
 * hello on) every client of a batch, then wait for every echo, so the
 * server has accepted the batch before the next one comes (its backlog
 * never overflows) and sees many ready sockets at a time. */
static int *connect_all(int port, long clients)
{
    int *fds = (int *)malloc(sizeof *fds * (size_t)clients);
    long i, j;
    if (fds == NULL)
        bench_die("malloc");
    for (i = 0; i < clients; i += 256) {
        long end = i + 256 < clients ? i + 256 : clients;
        char b;
        for (j = i; j < end; j++) {
            fds[j] = raw_connect(port);
            raw_nodelay(fds[j]);
            raw_send_all(fds[j], "h", 1);
        }
        for (j = i; j < end; j++)
            if (!raw_recv_all(fds[j], &b, 1))
                bench_die("no hello echo from client %ld", j);
    }
    return fds;
}

static void fanin(int argc, char **argv)
{
    long clients = (long)bench_arg(argc, argv, "clients", 1000), i;
    long rt = (long)bench_arg(argc, argv, "rt", 100), live;
    /* active=K: only the first K clients make round trips, the others stay
     * connected and idle until the end (the cost of watching many). */
    long active = (long)bench_arg(argc, argv, "active", clients);
    int *fds = connect_all((int)bench_arg(argc, argv, "port", 0), clients);
    int *left = (int *)malloc(sizeof *left * (size_t)clients);
    int *have = (int *)calloc((size_t)clients, sizeof *have);
    struct epoll_event ev, evs[512];
    char msg[BENCH_MSG];
    int ep = epoll_create1(EPOLL_CLOEXEC);
    int64_t t0;
    if (left == NULL || have == NULL || ep < 0)
        bench_die("setup");
    memset(msg, 'f', sizeof msg);
    for (i = 0; i < clients; i++) {
        fcntl(fds[i], F_SETFL, O_NONBLOCK);
        ev.events = EPOLLIN;
        ev.data.u64 = (uint64_t)i;
        epoll_ctl(ep, EPOLL_CTL_ADD, fds[i], &ev);
        left[i] = (int)rt;
    }
    if (active > clients || active < 1)
        active = clients;
    t0 = bench_now_ns();
    for (i = 0; i < active; i++)
        if (send(fds[i], msg, sizeof msg, MSG_NOSIGNAL) != sizeof msg)
            bench_die("first send");
    live = active;
    while (live > 0) {
        int k = epoll_wait(ep, evs, 512, 60000), j;
        if (k == 0)
            bench_die("fan-in stalled (%ld clients unfinished)", live);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            bench_die("epoll_wait");
        for (j = 0; j < k; j++) {
            long c = (long)evs[j].data.u64;
            char buf[BENCH_MSG];
            ssize_t n = recv(fds[c], buf, (size_t)(BENCH_MSG - have[c]), 0);
            if (n <= 0) {
                if (n < 0 && errno == EAGAIN)
                    continue;
                bench_die("server closed client %ld", c);
            }
            have[c] += (int)n;
            if (have[c] < BENCH_MSG)
                continue;
            have[c] = 0;
            if (--left[c] > 0) {
                if (send(fds[c], msg, sizeof msg, MSG_NOSIGNAL) != sizeof msg)
                    bench_die("send");
            } else {
                close(fds[c]); /* done: the server sees it go */
                live--;
            }
        }
    }
    printf("RESULT ns=%lld rt=%lld\n", (long long)(bench_now_ns() - t0),
           (long long)active * rt);
    for (i = active; i < clients; i++)
        close(fds[i]);
    close(ep);
    free(fds);
    free(left);
    free(have);
}

static void idle(int argc, char **argv)
{
    long clients = (long)bench_arg(argc, argv, "clients", 10000), i;
    int port = (int)bench_arg(argc, argv, "port", 0);
    int *fds = (int *)malloc(sizeof *fds * (size_t)clients);
    if (fds == NULL)
        bench_die("malloc");
    for (i = 0; i < clients; i++) {
        fds[i] = raw_connect(port);
        raw_send_all(fds[i], "hello\n", 6);
    }
    /* The server measures, then closes everything (or exits). */
    for (i = 0; i < clients; i++) {
        char b;
        (void)recv(fds[i], &b, 1, 0);
        close(fds[i]);
    }
    printf("RESULT opened=%ld\n", clients);
    free(fds);
}

int main(int argc, char **argv)
{
    bench_raise_nofile();
    if (argc >= 2 && strcmp(argv[1], "lines") == 0)
        lines(argc + 1, argv - 1);
    else if (argc >= 2 && strcmp(argv[1], "fanin") == 0)
        fanin(argc + 1, argv - 1);
    else if (argc >= 2 && strcmp(argv[1], "sink") == 0)
        sink(argc + 1, argv - 1);
    else if (argc >= 2 && strcmp(argv[1], "idle") == 0)
        idle(argc + 1, argv - 1);
    else
        bench_die("usage: loadgen lines|fanin|idle|sink key=value...");
    fflush(stdout);
    return 0;
}
