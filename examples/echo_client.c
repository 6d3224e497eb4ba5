/* SPDX-License-Identifier: MIT */
/*
 * echo_client.c - send lines to an echo server and print what comes back.
 *
 *   echo_client HOST PORT [LINE...]
 *
 * Connects (trying every address of HOST) with a 5 second timeout, sends
 * each LINE and reads its echo with the line pattern.
 */
#include <sockit.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    sk_sock *c = NULL;
    sk_buf reply = {NULL, 0, 0};
    sk_name local, peer;
    int r, i;

    if (argc < 3) {
        fprintf(stderr, "usage: echo_client HOST PORT [LINE...]\n");
        return 2;
    }
    if ((r = sk_tcp(&c)) != SK_OK ||
        (r = sk_settimeout(c, 5.0, 't')) != SK_OK ||
        (r = sk_connect(c, argv[1], atoi(argv[2]))) != SK_OK) {
        fprintf(stderr, "echo_client: connect: %s\n", sk_strerror(r));
        sk_free(c);
        return 1;
    }
    if (sk_getsockname(c, &local) == SK_OK &&
        sk_getpeername(c, &peer) == SK_OK)
        printf("connected %s %d -> %s %d (%s)\n", local.addr, local.port,
               peer.addr, peer.port, peer.family);
    for (i = 3; i < argc && r == SK_OK; i++) {
        r = sk_send(c, argv[i], strlen(argv[i]), 1, -1, NULL);
        if (r == SK_OK)
            r = sk_send(c, "\n", 1, 1, -1, NULL);
        reply.len = 0;
        if (r == SK_OK)
            r = sk_receive(c, &reply, SK_LINE, 0);
        if (r == SK_OK)
            printf("echo: %.*s\n", (int)reply.len, reply.data);
        else if (reply.len > 0) /* what did arrive is kept: show it */
            printf("echo (incomplete): %.*s\n", (int)reply.len, reply.data);
    }
    if (r != SK_OK)
        fprintf(stderr, "echo_client: %s\n", sk_strerror(r));
    sk_buf_free(&reply);
    sk_free(c);
    return r == SK_OK ? 0 : 1;
}
