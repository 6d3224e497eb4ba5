/* SPDX-License-Identifier: MIT */
/*
 * echo_selector.c - many clients with sk_selector: the set is kept between
 * waits (members are added once), and on epoll and kqueue a wait costs
 * what is ready, not what is watched.  See many.h for the usage.
 */
#include "many.h"

int main(int argc, char **argv)
{
    sk_selector *sel = NULL;
    sk_sock *server = NULL, *ready[64];
    int events[64], count, served = 0, paused = 0, r;
    size_t n, i;

    if ((r = many_listen(argc, argv, &server, &count)) != SK_OK ||
        (r = sk_selector_new(&sel)) != SK_OK ||
        (r = sk_selector_add(sel, server, SK_READABLE)) != SK_OK) {
        fprintf(stderr, "echo_selector: %s\n", sk_strerror(r));
        sk_selector_free(sel);
        sk_free(server);
        return 1;
    }
    while (count == 0 || served < count) {
        r = sk_selector_wait(sel, paused ? 0.1 : -1, ready, events, 64, &n);
        if (paused) { /* a paused server listens again after one wait */
            sk_selector_set(sel, server, SK_READABLE);
            paused = 0;
        }
        if (r == SK_ETIMEOUT)
            continue;
        if (r != SK_OK)
            break;
        for (i = 0; i < n; i++) {
            if (ready[i] == server) {
                sk_sock *c = NULL;
                r = sk_accept(server, &c, NULL);
                if (r == SK_OK && sk_selector_add(sel, c, SK_READABLE) != SK_OK)
                    sk_free(c);
                else if (r != SK_OK && r != SK_EWOULDBLOCK) {
                    sk_selector_set(sel, server, 0); /* out of descriptors */
                    paused = 1;
                }
            } else if (many_echo(ready[i]) != SK_OK) {
                sk_free(ready[i]); /* which also takes it out of sel */
                served++;
            }
        }
        r = SK_OK;
    }
    sk_selector_free(sel);
    sk_free(server);
    if (r != SK_OK)
        fprintf(stderr, "echo_selector: %s\n", sk_strerror(r));
    return r == SK_OK ? 0 : 1;
}
