/* SPDX-License-Identifier: MIT */
/*
 * main.c - the program every consumer in ci/consumers/ builds: a loopback
 * round trip through sockit's public API only.  An IPv4 server on
 * 127.0.0.1 (port chosen by the system), a client connects, the server
 * accepts, one line goes each way and is checked.  Every object has a
 * 10 s total timeout.  Exit 0 on success; on any error the failing step and
 * sk_strerror's message are printed and the exit status is 1.
 */
#include <sockit.h>

#include <stdio.h>
#include <string.h>

static int fail(const char *what, int r)
{
    fprintf(stderr, "consumer: %s: %s (%s)\n", what, sk_strerror(r),
            sk_errname(r));
    return 1;
}

static int expect_line(sk_sock *s, sk_buf *buf, const char *want,
                       const char *what)
{
    int r;
    buf->len = 0;
    if ((r = sk_receive(s, buf, SK_LINE, 0)) != SK_OK)
        return fail(what, r);
    if (buf->len != strlen(want) || memcmp(buf->data, want, buf->len) != 0) {
        fprintf(stderr, "consumer: %s: got \"%.*s\", want \"%s\"\n", what,
                (int)buf->len, buf->data, want);
        return 1;
    }
    return 0;
}

static int run(sk_sock **server, sk_sock **client, sk_sock **peer,
               sk_buf *buf)
{
    static const char ping[] = "ping from client\n";
    static const char pong[] = "pong from server\n";
    sk_name name;
    int r;

    if ((r = sk_tcp4(server)) != SK_OK) return fail("sk_tcp4 (server)", r);
    if ((r = sk_settimeout(*server, 10.0, 't')) != SK_OK)
        return fail("sk_settimeout (server)", r);
    if ((r = sk_bind(*server, "127.0.0.1", 0)) != SK_OK)
        return fail("sk_bind", r);
    if ((r = sk_listen(*server, 8)) != SK_OK) return fail("sk_listen", r);
    if ((r = sk_getsockname(*server, &name)) != SK_OK)
        return fail("sk_getsockname", r);

    if ((r = sk_tcp4(client)) != SK_OK) return fail("sk_tcp4 (client)", r);
    if ((r = sk_settimeout(*client, 10.0, 't')) != SK_OK)
        return fail("sk_settimeout (client)", r);
    if ((r = sk_connect(*client, "127.0.0.1", name.port)) != SK_OK)
        return fail("sk_connect", r);
    if ((r = sk_accept(*server, peer, NULL)) != SK_OK)
        return fail("sk_accept", r);
    if ((r = sk_settimeout(*peer, 10.0, 't')) != SK_OK)
        return fail("sk_settimeout (accepted)", r);

    if ((r = sk_send(*client, ping, strlen(ping), 1, -1, NULL)) != SK_OK)
        return fail("sk_send (client)", r);
    if (expect_line(*peer, buf, "ping from client", "sk_receive (server)"))
        return 1;
    if ((r = sk_send(*peer, pong, strlen(pong), 1, -1, NULL)) != SK_OK)
        return fail("sk_send (server)", r);
    if (expect_line(*client, buf, "pong from server", "sk_receive (client)"))
        return 1;
    printf("consumer: sockit %s round trip over 127.0.0.1:%d ok\n",
           SOCKIT_VERSION, name.port);
    return 0;
}

int main(void)
{
    sk_sock *server = NULL, *client = NULL, *peer = NULL;
    sk_buf buf = {NULL, 0, 0};
    int rc = run(&server, &client, &peer, &buf);
    sk_buf_free(&buf);
    sk_free(peer);
    sk_free(client);
    sk_free(server);
    return rc;
}
