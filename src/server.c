/* SPDX-License-Identifier: MIT */
/*
 * server.c - sk_server: a listening sk_sock watched by the loop; each
 * connection it accepts is handed to the callback as an sk_conn that is
 * already CONNECTED.
 */
#include "sockit_int.h"

#include <stdlib.h>
#include <string.h>

#define SK__SERVER_BURST 64  /* accepts per readiness */
#define SK__SERVER_PAUSE 0.1 /* seconds: out of descriptors or memory */

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

static void server_resume(sk_timer *t, void *ud)
{
    sk_server *srv = (sk_server *)ud;
    (void)t;
    srv->st.paused = 0;
    if (!srv->closed && srv->w != NULL) {
        (void)sk_watch_set(srv->w, SK_READABLE);
        if (srv->held != NULL) /* it will not make the listener readable */
            server_ready(srv->w, SK_READABLE, srv);
    }
}

static void server_ready(sk_watch *w, int events, void *ud)
{
    sk_server *srv = (sk_server *)ud;
    int k;
    (void)w;
    (void)events;
    for (k = 0; k < SK__SERVER_BURST && !srv->closed; k++) {
        sk_sock *cs = srv->held;
        sk_conn *c = NULL;
        int r = 0;
        srv->held = NULL;
        if (cs == NULL)
            r = sk_accept(srv->s, &cs, NULL);
        if (r == SK_EWOULDBLOCK)
            return;
        if (r == 0) {
            r = sk__conn_accepted(srv->loop, cs, &c);
            if (r == SK_ENORESOURCES)
                srv->held = cs; /* the client keeps its connection */
            else if (r != 0)
                sk_free(cs);
        }
        if (r == SK_ENORESOURCES) {
            /* The listener stays readable while the queue is full: pause
             * instead of spinning, and try again a little later. */
            srv->st.failed++;
            if (sk_timer_start(srv->pause, SK__SERVER_PAUSE, 0,
                               server_resume, srv) == 0 &&
                sk_watch_set(srv->w, 0) == 0)
                srv->st.paused = 1;
            return;
        }
        if (r != 0)
            return;
        srv->st.accepted++;
        srv->depth++;
        srv->cb(srv, c, srv->ud);
        if (--srv->depth == 0 && srv->freed) {
            sk__free(srv);
            return;
        }
        if (srv->freed)
            return;
    }
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
    if (r == 0)
        r = sk_watch_set(srv->w, SK_READABLE);
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
