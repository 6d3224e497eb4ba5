/* SPDX-License-Identifier: MIT */
/*
 * many.h - what the four echo servers of examples/many/ share: the
 * listening socket and the echo of each whole line a client has sent.
 * Each server (echo_select.c, echo_selector.c, echo_loop.c, echo_conn.c)
 * shows one of sockit's ways to serve many connections at once; the guide
 * (docs/guide.md, "Many connections: which API") compares them.
 *
 *   echo_X [PORT [COUNT]]
 *
 * Listens on 127.0.0.1 PORT (0, the default: any free port), prints
 * "listening on ADDR PORT", echoes every line back to its client, and
 * exits 0 once COUNT clients (0, the default: never stop) have come and
 * gone.
 */
#ifndef MANY_H
#define MANY_H

#include <sockit.h>

#include <stdio.h>
#include <stdlib.h>

/* Read [PORT [COUNT]], make a non-blocking server on 127.0.0.1 PORT and
 * print its address.  Returns SK_OK or the error (*server may then be set:
 * sk_free it). */
static int many_listen(int argc, char **argv, sk_sock **server, int *count)
{
    int port = argc > 1 ? atoi(argv[1]) : 0;
    sk_name name;
    int r;
    *count = argc > 2 ? atoi(argv[2]) : 0;
    if ((r = sk_tcp4(server)) == SK_OK &&
        (r = sk_bind(*server, "127.0.0.1", port)) == SK_OK &&
        (r = sk_listen(*server, 128)) == SK_OK &&
        (r = sk_setblocking(*server, 0)) == SK_OK && /* clients inherit it */
        (r = sk_getsockname(*server, &name)) == SK_OK) {
        printf("listening on %s %d\n", name.addr, name.port);
        fflush(stdout);
    }
    return r;
}

/* Echo every whole line client c has sent (c is in non-blocking mode:
 * nothing here waits).  Returns SK_OK while c stays, or why to drop it:
 * SK_ECLOSED (it left), SK_ECONNRESET, SK_ETOOLONG, or SK_EWOULDBLOCK from
 * sending (a client that does not read its echoes: a real server would
 * queue them, as sk_conn_write does). */
static int many_echo(sk_sock *c)
{
    sk_iovec iov[2];
    const char *line;
    size_t len;
    int r;
    while ((r = sk_receiveline(c, &line, &len)) == SK_OK) {
        iov[0].data = line; /* a view into c's buffer: no copy */
        iov[0].len = len;
        iov[1].data = "\n";
        iov[1].len = 1;
        if ((r = sk_sendv(c, iov, 2, NULL)) != SK_OK)
            return r;
    }
    return r == SK_EWOULDBLOCK ? SK_OK : r; /* no whole line yet */
}

#endif
