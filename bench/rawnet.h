/* SPDX-License-Identifier: MIT */
/*
 * rawnet.h - plain BSD-socket helpers for raw.c (the hand-written
 * reference) and loadgen.c (the shared client side).  127.0.0.1 only.
 */
#ifndef BENCH_RAWNET_H
#define BENCH_RAWNET_H

#include "common.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

/* A listening socket on 127.0.0.1, port chosen by the system; prints
 * "PORT <n>" and flushes. */
static inline int raw_listen(int backlog)
{
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    int one = 1;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        bench_die("socket");
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0)
        bench_die("bind");
    if (listen(fd, backlog) != 0)
        bench_die("listen");
    if (getsockname(fd, (struct sockaddr *)&a, &len) != 0)
        bench_die("getsockname");
    printf("PORT %d\n", ntohs(a.sin_port));
    fflush(stdout);
    return fd;
}

static inline void raw_addr(struct sockaddr_in *a, int port)
{
    memset(a, 0, sizeof *a);
    a->sin_family = AF_INET;
    a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a->sin_port = htons((unsigned short)port);
}

/* A blocking connected socket to 127.0.0.1:port. */
static inline int raw_connect(int port)
{
    struct sockaddr_in a;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        bench_die("socket");
    raw_addr(&a, port);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0)
        bench_die("connect");
    return fd;
}

static inline void raw_nodelay(int fd)
{
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

/* Send all of len bytes on a blocking socket. */
static inline void raw_send_all(int fd, const char *p, size_t len)
{
    while (len > 0) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            bench_die("send");
        }
        p += n;
        len -= (size_t)n;
    }
}

/* Receive exactly len bytes on a blocking socket; 0 on end of stream
 * before the first byte, 1 when done. */
static inline int raw_recv_all(int fd, char *p, size_t len)
{
    size_t got = 0;
    while (got < len) {
        ssize_t n = recv(fd, p + got, len - got, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            bench_die("recv");
        }
        if (n == 0) {
            if (got == 0)
                return 0;
            bench_die("short message");
        }
        got += (size_t)n;
    }
    return 1;
}

/* The receiving end of bulk (raw.c) and sendfile (loadgen.c): accept one
 * connection, receive BENCH_CHUNK at a time until bytes=N (default dflt)
 * arrived, then a one-byte ack and the RESULT line. */
static inline void raw_sink(int argc, char **argv, long long dflt,
                            const char *what)
{
    static char buf[BENCH_CHUNK];
    long long total = bench_arg(argc, argv, "bytes", dflt), got = 0;
    int l = raw_listen(16), c = accept(l, NULL, NULL);
    if (c < 0)
        bench_die("accept");
    while (got < total) {
        ssize_t n = recv(c, buf, sizeof buf, 0);
        if (n <= 0)
            bench_die("%s recv", what);
        got += n;
    }
    raw_send_all(c, "k", 1);
    printf("RESULT received=%lld\n", got);
    close(c);
    close(l);
}

#endif
