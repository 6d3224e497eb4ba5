/* SPDX-License-Identifier: MIT */
/*
 * server.c - sk_server: a listening sk_sock watched by the loop; each
 * connection it accepts is handed to the callback as an sk_conn that is
 * already CONNECTED.  On a loop whose poller accepts by itself (io_uring's
 * multishot accept: plat.h's SK__WAIT_ACCEPT, "completion mode") each
 * connection comes as a descriptor in a completion instead of a readable
 * listener and an accept call; the rest is the same.
 */
#include "sockit_int.h"

#include <stdlib.h>
#include <string.h>

#define SK__SERVER_BURST 64  /* accepts per readiness */
#define SK__SERVER_PAUSE 0.1 /* seconds: out of descriptors or memory */
#define SK__SERVER_HOLD 16   /* descriptors held, room made at listen */

struct sk_server {
    sk_loop *loop;
    sk_sock *s;       /* a dual-stack master, then the listener */
    sk_watch *w;
    sk_timer *pause;  /* accepting resumes when it fires */
    sk_sock *held;    /* accepted, still without a connection (no memory
                         for one): handed over when accepting resumes */
    sk_server_cb cb;
    void *ud;
    sk_server_stats st; /* sk_server_getstats */
    int closed;
    int depth, freed; /* the callback may free the server */
    int ring;         /* completion mode: the poller accepts */
    sk_fd_t *fds;     /* (completion mode) accepted while paused or
                         without memory for their objects, in order:
                         fds[fhead..nfds), handed over after held */
    size_t fhead, nfds, fcap;
};

SK_API int sk_server_new(sk_loop *loop, sk_server **out)
{
    sk_server *srv;
    int r;
    if (out != NULL)
        *out = NULL;
    if (loop == NULL || out == NULL)
        return SK_EINVAL;
    srv = (sk_server *)sk__calloc(1, sizeof *srv);
    if (srv == NULL)
        return SK_ENORESOURCES;
    r = sk_tcp(&srv->s);
    if (r != 0) {
        sk__free(srv);
        return r;
    }
    srv->loop = loop;
    *out = srv;
    return 0;
}

static void server_ready(sk_watch *w, int events, void *ud);
static int server_drain(sk_server *srv);
static void server_completion(sk_server *srv, int events,
                              const sk__pollout *e);

/* The watch's interest while accepting (completion mode: the poller's
 * accept), and while paused (completion mode: still registered, so that
 * what the poller accepted meanwhile still comes). */
static int server_on(const sk_server *srv)
{
    return srv->ring ? SK_READABLE | SK__WAIT_ACCEPT : SK_READABLE;
}

static int server_off(const sk_server *srv)
{
    return srv->ring ? SK__WAIT_ACCEPT : 0;
}

static void server_resume(sk_timer *t, void *ud)
{
    sk_server *srv = (sk_server *)ud;
    (void)t;
    srv->st.paused = 0;
    if (!srv->closed && srv->w != NULL) {
        (void)sk__watch_set(srv->w, server_on(srv));
        if (srv->ring)
            (void)server_drain(srv);
        else if (srv->held != NULL) /* it will not make the listener
                                       readable */
            server_ready(srv->w, SK_READABLE, srv);
    }
}

/* Out of descriptors or memory (counted: a failed accept), or an accept
 * that failed otherwise: accepting pauses instead of spinning on a
 * listener that stays ready, and resumes a little later. */
static void server_pause(sk_server *srv, int counted)
{
    if (counted)
        srv->st.failed++;
    if (sk_timer_start(srv->pause, SK__SERVER_PAUSE, 0, server_resume,
                       srv) == 0 &&
        sk__watch_set(srv->w, server_off(srv)) == 0)
        srv->st.paused = 1;
}

/* Hand cs, just accepted, to the callback as a connection.  0: accept
 * on; 1: stop (no memory for the connection: cs held and accepting
 * paused; or the callback closed or freed the server). */
static int server_hand(sk_server *srv, sk_sock *cs)
{
    sk_conn *c = NULL;
    int r = sk__conn_accepted(srv->loop, cs, &c);
    if (r == SK_ENORESOURCES) {
        srv->held = cs; /* the client keeps its connection */
        server_pause(srv, 1);
        return 1;
    }
    if (r != 0) {
        sk_free(cs);
        return 0;
    }
    srv->st.accepted++;
    srv->depth++;
    srv->cb(srv, c, srv->ud);
    if (--srv->depth == 0 && srv->freed) {
        sk__free(srv);
        return 1;
    }
    return srv->freed || srv->closed;
}

/* The listening watch's callback, in two roles: readiness (ud is the
 * server: accept up to a burst), and on the uring loop the multishot
 * accept's completions (events hold SK__WAIT_ACCEPT; ud is then the
 * wait's entry, plat.h's sk__pollout, and the server is the watch's ud),
 * as the dispatch hands completions to a watch (watch.c). */
static void server_ready(sk_watch *w, int events, void *ud)
{
    sk_server *srv = (sk_server *)ud;
    int k;
    if (events & SK__WAIT_ACCEPT) {
        server_completion((sk_server *)w->ud, events,
                          (const sk__pollout *)ud);
        return;
    }
    for (k = 0; k < SK__SERVER_BURST && !srv->closed; k++) {
        sk_sock *cs = srv->held;
        int r = 0;
        srv->held = NULL;
        if (cs == NULL)
            r = sk_accept(srv->s, &cs, NULL);
        if (r == SK_EWOULDBLOCK)
            return;
        if (r == SK_ENORESOURCES) {
            /* The listener stays readable while the queue is full. */
            server_pause(srv, 1);
            return;
        }
        if (r != 0 || server_hand(srv, cs))
            return;
    }
}

/* ---- completion mode ------------------------------------------------------ */

/* Keep fd (accepted, no object yet) for later, after those kept before:
 * 0, or SK_ENORESOURCES when there is no memory for it (then the
 * connection is closed: room for SK__SERVER_HOLD is made at listen, more
 * only when a burst comes while accepting pauses). */
static int server_hold(sk_server *srv, sk_fd_t fd)
{
    if (srv->fhead > 0 && srv->nfds == srv->fcap) {
        memmove(srv->fds, srv->fds + srv->fhead,
                (srv->nfds - srv->fhead) * sizeof *srv->fds);
        srv->nfds -= srv->fhead;
        srv->fhead = 0;
    }
    if (srv->nfds == srv->fcap) {
        size_t cap = srv->fcap ? srv->fcap * 2 : SK__SERVER_HOLD;
        sk_fd_t *p = cap <= ((size_t)-1) / sizeof *p
                         ? (sk_fd_t *)sk__realloc(srv->fds, cap * sizeof *p)
                         : NULL;
        if (p == NULL) {
            sk__plat_close(fd);
            return SK_ENORESOURCES;
        }
        srv->fds = p;
        srv->fcap = cap;
    }
    srv->fds[srv->nfds++] = fd;
    return 0;
}

/* Hand fd (accepted by the poller) to the callback: 0, or 1 (stop, as
 * server_hand; without memory for its object fd is held). */
static int server_take(sk_server *srv, sk_fd_t fd, int held)
{
    sk_sock *cs = NULL;
    int r = sk__accept_object(srv->s, &cs);
    if (r != 0) {
        if (!held)
            (void)server_hold(srv, fd); /* (else closed: counted here) */
        server_pause(srv, 1);
        return 1;
    }
    if (held) /* (taken off the list only now: kept first on failure) */
        if (++srv->fhead == srv->nfds)
            srv->fhead = srv->nfds = 0;
    r = sk__accept_adopt(srv->s, cs, fd, 1);
    if (r != 0)
        return 0; /* (fd closed with cs) */
    return server_hand(srv, cs);
}

/* Hand over what was held, in order: 0 when it all went, 1 when it
 * stopped (paused again, or the server closed or freed). */
static int server_drain(sk_server *srv)
{
    while (!srv->closed) {
        sk_sock *cs = srv->held;
        if (cs != NULL) {
            srv->held = NULL;
            if (server_hand(srv, cs))
                return 1;
        } else if (srv->fhead < srv->nfds) {
            if (server_take(srv, srv->fds[srv->fhead], 1))
                return 1;
        } else {
            return 0;
        }
    }
    return 1;
}

/* A completion of the poller's accept (completion mode): a descriptor,
 * handed over at once unless others wait before it, or the accept's
 * error (accepting pauses). */
static void server_completion(sk_server *srv, int events,
                              const sk__pollout *e)
{
    sk_fd_t fd = (sk_fd_t)e->n;
    if (events & SK__WAIT_ERROR) {
        /* Accepting ended (the poller accepts again after the pause). */
        int r = srv->loop->poller->io->code((int)e->n);
        if (srv->closed)
            return;
        sk__sys_set(srv->s, (int)e->n);
        if (!srv->st.paused)
            server_pause(srv, r == SK_ENORESOURCES);
        return;
    }
    if (srv->closed) {
        sk__plat_close(fd);
        return;
    }
    if (srv->held == NULL && srv->fhead == srv->nfds && !srv->st.paused) {
        (void)server_take(srv, fd, 0); /* the common case */
        return;
    }
    if (server_hold(srv, fd) != 0) /* after those held before it */
        srv->st.failed++;
    if (!srv->st.paused)
        (void)server_drain(srv);
}

SK_API int sk_server_listen(sk_server *srv, const char *host, int port,
                            int backlog, sk_server_cb cb, void *ud)
{
    int r;
    if (srv == NULL || cb == NULL)
        return SK_EINVAL;
    if (srv->closed)
        return SK_ECLOSED;
    if (srv->w != NULL)
        return SK_EWRONGROLE;
    if (sk__check_host(host) != 0 || port < 0 || port > 65535)
        return SK_EINVAL;
    r = sk_bind(srv->s, host, port);
    if (r == 0)
        r = sk_listen(srv->s, backlog);
    if (r == 0)
        r = sk_setblocking(srv->s, 0);
    if (r == 0)
        r = sk_timer_new(srv->loop, &srv->pause);
    if (r == 0)
        r = sk_watch_new(srv->loop, srv->s, server_ready, srv, &srv->w);
    /* Completion mode where the loop's poller has it (sk_conn's rule);
     * room for a few descriptors accepted while memory is short. */
    srv->ring = srv->loop->poller->io != NULL;
    if (r == 0 && srv->ring && srv->fcap == 0) {
        srv->fds = (sk_fd_t *)sk__malloc(SK__SERVER_HOLD * sizeof *srv->fds);
        if (srv->fds == NULL)
            r = SK_ENORESOURCES;
        else
            srv->fcap = SK__SERVER_HOLD;
    }
    if (r == 0)
        r = sk__watch_set(srv->w, server_on(srv));
    if (r != 0) {
        /* Back to a fresh, socket-less object: listen may be tried
         * again. */
        sk_sock *fresh = NULL;
        sk_watch_free(srv->w);
        srv->w = NULL;
        sk_timer_free(srv->pause);
        srv->pause = NULL;
        if (srv->s->fd != SK_FD_INVALID && sk_tcp(&fresh) == 0) {
            const sk__extra *x = srv->s->extra;
            /* The options stay set (without memory for them, they are
             * lost with the failed socket, as a fresh object has none). */
            if (x != NULL && x->optset != 0 && sk__need_extra(fresh) == 0) {
                fresh->extra->optset = x->optset;
                memcpy(fresh->extra->optval, x->optval,
                       sizeof fresh->extra->optval);
            }
            sk_free(srv->s);
            srv->s = fresh;
        }
        return r;
    }
    srv->cb = cb;
    srv->ud = ud;
    return 0;
}

SK_API int sk_server_sock(sk_server *srv, sk_sock **out)
{
    if (srv == NULL || out == NULL)
        return SK_EINVAL;
    if (srv->closed)
        return SK_ECLOSED;
    *out = srv->s;
    return 0;
}

SK_API int sk_server_close(sk_server *srv)
{
    if (srv == NULL)
        return SK_EINVAL;
    if (srv->closed)
        return 0;
    srv->closed = 1;
    sk_free(srv->held);
    srv->held = NULL;
    while (srv->fhead < srv->nfds)
        sk__plat_close(srv->fds[srv->fhead++]);
    sk__free(srv->fds);
    srv->fds = NULL;
    srv->fhead = srv->nfds = srv->fcap = 0;
    srv->st.paused = 0;
    sk_watch_free(srv->w);
    srv->w = NULL;
    sk_timer_free(srv->pause);
    srv->pause = NULL;
    sk_free(srv->s);
    srv->s = NULL;
    return 0;
}

SK_API int sk_server_getstats(const sk_server *srv, sk_server_stats *out)
{
    if (srv == NULL || out == NULL)
        return SK_EINVAL;
    *out = srv->st;
    return 0;
}

SK_API void sk_server_free(sk_server *srv)
{
    if (srv == NULL || srv->freed)
        return;
    (void)sk_server_close(srv);
    srv->freed = 1;
    if (srv->depth == 0)
        sk__free(srv);
}
