/* SPDX-License-Identifier: MIT */
/*
 * echo_select.c - many clients with sk_select: every wait is handed the
 * whole set (the server and each client).  Simple, no state between calls;
 * each wait costs a pass over every object.  See many.h for the usage.
 */
#include "many.h"

#define MAXC 1000 /* this example's array; sk_select itself has no limit */

int main(int argc, char **argv)
{
    sk_sock *socks[MAXC + 1]; /* socks[0] is the server, then the clients */
    sk_sock *ready[MAXC + 1];
    size_t n = 1, nready, nw, i, j;
    int count, served = 0, paused = 0, r;

    socks[0] = NULL;
    if ((r = many_listen(argc, argv, &socks[0], &count)) != SK_OK) {
        fprintf(stderr, "echo_select: %s\n", sk_strerror(r));
        sk_free(socks[0]);
        return 1;
    }
    while (count == 0 || served < count) {
        /* A paused server (or a full array) sits out a wait of <= 0.1 s. */
        size_t first = paused || n > MAXC ? 1 : 0;
        r = sk_select(socks + first, n - first, NULL, 0, first ? 0.1 : -1,
                      ready, &nready, NULL, &nw);
        paused = 0;
        if (r == SK_ETIMEOUT)
            continue;
        if (r != SK_OK)
            break;
        for (i = 0; i < nready; i++) {
            if (ready[i] == socks[0]) {
                r = sk_accept(socks[0], &socks[n], NULL);
                if (r == SK_OK)
                    n++;
                else if (r != SK_EWOULDBLOCK)
                    paused = 1; /* out of descriptors: never spin on it */
            } else if (many_echo(ready[i]) != SK_OK) {
                for (j = 1; socks[j] != ready[i]; j++)
                    ;
                sk_free(socks[j]);
                socks[j] = socks[--n];
                served++;
            }
        }
        r = SK_OK;
    }
    for (i = 0; i < n; i++)
        sk_free(socks[i]);
    if (r != SK_OK)
        fprintf(stderr, "echo_select: %s\n", sk_strerror(r));
    return r == SK_OK ? 0 : 1;
}
