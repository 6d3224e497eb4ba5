/* SPDX-License-Identifier: MIT */
/*
 * chat_server.c - a line chat server for many clients on one thread, built
 * on sk_select and sockit's public API.
 *
 *   chat_server [-n COUNT] [-t SECONDS] [HOST [PORT]]
 *
 * Binds HOST ("*" by default: dual-stack) and PORT (0: any free port),
 * prints "listening on ADDR PORT", then relays every line a client sends
 * to all the other clients as "[PORT] text", PORT being the sender's port.
 * -n COUNT: exit once COUNT clients have come and gone (for tests).
 * -t SECONDS: exit after at most SECONDS of run time.
 * Exit status: 0 when COUNT clients were served (or, without -n, when the
 * time ran out); 1 on errors or when the time ran out first.  At exit it
 * prints "accept attempts A, failed F, rounds R" (for tests, see below).
 *
 * Out of descriptors: a failed sk_accept leaves the connection in the
 * listener's queue, so the listener stays readable; calling sk_accept
 * again at once would spin.  Instead the listener is left out of the
 * select set for a moment (as sk_server pauses its listener): until a
 * client leaves (a descriptor is free again), a wait of ACCEPT_PAUSE
 * passes with nothing else to do, or PAUSE_ROUNDS rounds went by.
 */
#include <sockit.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_CLIENTS 64
#define MAX_LINE 4096 /* longer lines get their sender dropped */
#define ACCEPT_PAUSE 0.25 /* seconds without accepting after a failure */
#define PAUSE_ROUNDS 50   /* ... or at most this many select rounds */

struct client {
    sk_sock *s;
    sk_buf in; /* the line being assembled: may hold a partial line */
    int port;  /* the peer's port, the sender's name in the chat */
    int dead;  /* drop at the end of this round */
};

static struct client clients[MAX_CLIENTS];
static size_t nclients;
static unsigned long accept_attempts, accept_failures, rounds;

/* Mark a client for removal; the caller's loop sweeps it out later, so
 * that dropping never shifts the array under a loop running over it. */
static void drop(struct client *c, const char *why)
{
    if (!c->dead) {
        c->dead = 1;
        printf("leave %d (%s)\n", c->port, why);
        fflush(stdout);
    }
}

/* Send "[PORT] text\n" to every client but the sender.  Clients keep a
 * timeout of 0, so a send tries once: one whose socket buffer is full
 * (SK_ETIMEOUT: it does not read) is dropped rather than block the room. */
static void broadcast(const struct client *from)
{
    char head[16];
    size_t i;
    int hl = sprintf(head, "[%d] ", from->port);
    for (i = 0; i < nclients; i++) {
        struct client *to = &clients[i];
        int r;
        if (to == from || to->dead)
            continue;
        r = sk_send(to->s, head, (size_t)hl, 1, -1, NULL);
        if (r == SK_OK)
            r = sk_send(to->s, from->in.data, from->in.len, 1, -1, NULL);
        if (r == SK_OK)
            r = sk_send(to->s, "\n", 1, 1, -1, NULL);
        if (r != SK_OK)
            drop(to, sk_strerror(r));
    }
}

/* The client is readable: take one line.  sk_select reports a client that
 * still holds buffered bytes as readable at once, so one line per round is
 * enough and keeps the clients taking turns. */
static void on_readable(struct client *c)
{
    int r = sk_receive(c->s, &c->in, SK_LINE, 0);
    if (r == SK_OK) {
        broadcast(c);
        c->in.len = 0; /* sk_receive appends: start the next line empty */
    } else if (r == SK_ETIMEOUT) {
        /* Only part of a line so far: it stays in c->in, and the next
         * sk_receive appends the rest to it. */
    } else {
        /* SK_ECLOSED (a partial last line is discarded), SK_ETOOLONG,
         * SK_ECONNRESET, ... */
        drop(c, r == SK_ECLOSED ? "closed" : sk_strerror(r));
    }
}

/* Free the dead clients and close the gaps; returns how many left. */
static int sweep(void)
{
    size_t i, j = 0;
    int gone = 0;
    for (i = 0; i < nclients; i++) {
        if (clients[i].dead) {
            sk_buf_free(&clients[i].in);
            sk_free(clients[i].s);
            gone++;
        } else {
            clients[j++] = clients[i];
        }
    }
    nclients = j;
    return gone;
}

/* Accept one client.  Returns 0, or -1 when accepting failed for a reason
 * that retrying at once would not cure (the caller pauses the listener). */
static int on_accept(sk_sock *server)
{
    sk_sock *s = NULL;
    sk_name peer;
    /* The server's timeout is 0: a client that vanished gives SK_ETIMEOUT
     * instead of blocking.  Clients inherit the timeout and line limit. */
    int r = sk_accept(server, &s, &peer);
    accept_attempts++;
    if (r == SK_ETIMEOUT || r == SK_EWOULDBLOCK)
        return 0; /* the client left the queue before we took it */
    if (r != SK_OK) {
        /* SK_ENORESOURCES: out of descriptors (EMFILE, ENFILE) or memory;
         * the connection stays queued and the listener readable. */
        accept_failures++;
        if (accept_failures == 1 || accept_failures % 100 == 0) {
            printf("accept failed: %s (pausing)\n", sk_strerror(r));
            fflush(stdout);
        }
        return -1;
    }
    if (nclients == MAX_CLIENTS) {
        (void)sk_send(s, "server full\n", 12, 1, -1, NULL); /* best effort */
        sk_free(s);
        return 0;
    }
    clients[nclients].s = s;
    clients[nclients].in.data = NULL;
    clients[nclients].in.len = clients[nclients].in.cap = 0;
    clients[nclients].port = peer.port;
    clients[nclients].dead = 0;
    nclients++;
    printf("join %s %d\n", peer.addr, peer.port);
    fflush(stdout);
    return 0;
}

int main(int argc, char **argv)
{
    const char *host = "*";
    int port = 0, count = -1, argi = 1, r, served = 0, status = 1;
    double limit = -1; /* seconds, -1: none */
    time_t start = time(NULL);
    sk_sock *server = NULL;
    sk_name name;
    size_t i;
    unsigned long paused = 0; /* rounds left out of the set, 0: watching */

    for (; argi + 1 < argc && argv[argi][0] == '-' && argv[argi][1];
         argi += 2) {
        if (strcmp(argv[argi], "-n") == 0)
            count = atoi(argv[argi + 1]);
        else if (strcmp(argv[argi], "-t") == 0)
            limit = atof(argv[argi + 1]);
        else
            break;
    }
    if (argi < argc && argv[argi][0] == '-' && argv[argi][1]) {
        fprintf(stderr, "usage: chat_server [-n COUNT] [-t SECONDS] "
                        "[HOST [PORT]]\n");
        return 2;
    }
    if (argi < argc)
        host = argv[argi++];
    if (argi < argc)
        port = atoi(argv[argi++]);

    if ((r = sk_tcp(&server)) != SK_OK ||
        (r = sk_setoption(server, SK_OPT_REUSEADDR, 1)) != SK_OK ||
        (r = sk_bind(server, host, port)) != SK_OK ||
        (r = sk_listen(server, 16)) != SK_OK ||
        (r = sk_settimeout(server, 0, 'b')) != SK_OK ||
        (r = sk_setlinelimit(server, MAX_LINE)) != SK_OK ||
        (r = sk_getsockname(server, &name)) != SK_OK) {
        fprintf(stderr, "chat_server: %s\n", sk_strerror(r));
        sk_free(server);
        return 1;
    }
    printf("listening on %s %d\n", name.addr, name.port);
    fflush(stdout);

    for (;;) {
        /* The server first (unless paused), then the clients: one array
         * for sk_select. */
        sk_sock *recvt[MAX_CLIENTS + 1], *ready[MAX_CLIENTS + 1];
        size_t nready = 0, nwritable = 0, n = 0; /* both counts required */
        double wait = -1;
        int gone;
        if (limit >= 0) {
            wait = limit - difftime(time(NULL), start);
            if (wait <= 0) {
                fprintf(stderr, "chat_server: time limit reached\n");
                status = count < 0 ? 0 : 1;
                break;
            }
        }
        if (paused && (wait < 0 || wait > ACCEPT_PAUSE))
            wait = ACCEPT_PAUSE; /* the pause ends when nothing happens */
        if (!paused)
            recvt[n++] = server;
        for (i = 0; i < nclients; i++)
            recvt[n++] = clients[i].s;
        rounds++;
        r = sk_select(recvt, n, NULL, 0, wait, ready, &nready, NULL,
                      &nwritable);
        if (r == SK_ETIMEOUT) {
            paused = 0; /* a quiet ACCEPT_PAUSE: try the listener again */
            continue;   /* the time check above ends the loop */
        }
        if (r != SK_OK) {
            fprintf(stderr, "chat_server: select: %s\n", sk_strerror(r));
            break;
        }
        for (i = 0; i < nready; i++) {
            size_t k;
            if (ready[i] == server) {
                if (on_accept(server) != 0)
                    paused = PAUSE_ROUNDS;
                continue;
            }
            for (k = 0; k < nclients; k++)
                if (clients[k].s == ready[i] && !clients[k].dead)
                    on_readable(&clients[k]);
        }
        gone = sweep();
        served += gone;
        if (paused && (gone > 0 || --paused == 0))
            paused = 0; /* descriptors were freed, or the pause is over */
        if (count >= 0 && served >= count) {
            status = 0;
            break;
        }
    }
    for (i = 0; i < nclients; i++)
        clients[i].dead = 1;
    sweep();
    sk_free(server);
    printf("accept attempts %lu, failed %lu, rounds %lu\n", accept_attempts,
           accept_failures, rounds);
    return status;
}
