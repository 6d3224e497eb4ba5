/* SPDX-License-Identifier: MIT */
/*
 * echo_server.c - a line echo server on sockit's public API.
 *
 *   echo_server [HOST [PORT [COUNT]]]
 *
 * Binds HOST ("*" by default: dual-stack) and PORT (0: any free port),
 * prints "listening on ADDR PORT" and serves COUNT clients (default 1) one
 * after the other, sending every line back until the client closes.
 */
#include <sockit.h>

#include <stdio.h>
#include <stdlib.h>

static int serve(sk_sock *client)
{
    sk_buf line = {NULL, 0, 0};
    int r;
    for (;;) {
        line.len = 0;
        r = sk_receive(client, &line, SK_LINE, 0);
        if (r == SK_ECLOSED && line.len > 0) {
            /* A last line without its LF: still the client's bytes, so
             * echo them as they came (nothing received is dropped). */
            r = sk_send(client, line.data, line.len, 1, -1, NULL);
            if (r == SK_OK)
                r = SK_ECLOSED;
        }
        if (r != SK_OK)
            break;
        /* Put the LF back that the line pattern stripped, and echo.  A
         * send returns only when every byte went out, or fails. */
        if ((r = sk_buf_reserve(&line, 1)) != SK_OK)
            break;
        line.data[line.len++] = '\n';
        r = sk_send(client, line.data, line.len, 1, -1, NULL);
        if (r != SK_OK)
            break;
    }
    sk_buf_free(&line);
    return r == SK_ECLOSED ? 0 : r; /* the client hanging up is normal */
}

int main(int argc, char **argv)
{
    const char *host = argc > 1 ? argv[1] : "*";
    int port = argc > 2 ? atoi(argv[2]) : 0;
    int count = argc > 3 ? atoi(argv[3]) : 1;
    sk_sock *server = NULL;
    sk_name name;
    int r, i, status = 0;

    if ((r = sk_tcp(&server)) != SK_OK ||
        (r = sk_setoption(server, SK_OPT_REUSEADDR, 1)) != SK_OK ||
        (r = sk_bind(server, host, port)) != SK_OK ||
        (r = sk_listen(server, 16)) != SK_OK ||
        (r = sk_getsockname(server, &name)) != SK_OK) {
        fprintf(stderr, "echo_server: %s\n", sk_strerror(r));
        sk_free(server);
        return 1;
    }
    printf("listening on %s %d\n", name.addr, name.port);
    fflush(stdout);
    for (i = 0; i < count; i++) {
        sk_sock *client = NULL;
        sk_name peer;
        r = sk_accept(server, &client, &peer);
        if (r != SK_OK) {
            fprintf(stderr, "echo_server: accept: %s\n", sk_strerror(r));
            break;
        }
        printf("client %s %d (%s)\n", peer.addr, peer.port, peer.family);
        fflush(stdout);
        r = serve(client);
        sk_free(client);
        if (r != SK_OK) {
            fprintf(stderr, "echo_server: %s\n", sk_strerror(r));
            status = 1;
        }
    }
    sk_free(server);
    return r == SK_OK && status == 0 ? 0 : 1;
}
