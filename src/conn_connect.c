/* SPDX-License-Identifier: MIT */
/*
 * conn_connect.c - sk_conn_connect and sk_conn_bind: the host lookup (off
 * the loop's thread, conn_lookup.c), Happy Eyeballs over the addresses
 * found (RFC 8305: families interleaved, a new attempt after the delay or
 * at once when one fails, the first to connect wins), the connect
 * timeout, and binding, also from the loop (sk_conn_bind_async).
 */
#include "sockit_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- attempts ------------------------------------------------------------- */

static void attempt_close(sk_conn *c, sk__attempt *at)
{
    if (at->s == NULL)
        return;
    if (at->w != NULL)
        sk_watch_free(at->w);
    at->w = NULL;
    if (at->s == c->w.sock) {
        /* a bound connection's own socket: its next attempt makes a new
         * one on the same local address */
        if (c->w.sock->fd != SK_FD_INVALID)
            sk__plat_close(c->w.sock->fd);
        c->w.sock->fd = SK_FD_INVALID;
        c->w.sock->role = SK_ROLE_MASTER;
        c->w.sock->connecting = 0;
    } else {
        sk_free(at->s);
    }
    at->s = NULL;
    SK__CX(c)->natt--;
}

/* Cancel the lookup, the attempts and their timers; the connect timeout
 * runs on (it also covers a TLS handshake: conn_win). */
static void conn_stop_attempts(sk_conn *c)
{
    sk__conn_cx *x = SK__CX(c);
    size_t i;
    if (x == NULL)
        return;
    if (x->lookup != NULL) {
        sk__lookup_cancel(x->lookup); /* the worker's answer is dropped */
        x->lookup = NULL;
    }
    if (x->att != NULL) {
        for (i = 0; i < x->naddrs; i++)
            attempt_close(c, &x->att[i]);
        sk__free(x->att);
        x->att = NULL;
    }
    x->natt = 0;
    sk__free(x->addrs);
    x->addrs = NULL;
    x->naddrs = x->next = 0;
    if (x->tm_next != NULL)
        (void)sk_timer_stop(x->tm_next);
    if (x->tm_defer != NULL)
        (void)sk_timer_stop(x->tm_defer);
}

void sk__conn_stop_connect(sk_conn *c)
{
    if (SK__CX(c) == NULL)
        return;
    conn_stop_attempts(c);
    if (SK__CX(c)->tm_limit != NULL)
        (void)sk_timer_stop(SK__CX(c)->tm_limit);
}

int sk__conn_cx_need(sk_conn *c)
{
    sk__conn_cx *x;
    if (SK__CX(c) != NULL)
        return 0;
    if (sk__conn_cfg_need(c) == NULL)
        return SK_ENORESOURCES;
    x = (sk__conn_cx *)sk__calloc(1, sizeof *x);
    if (x == NULL)
        return SK_ENORESOURCES;
    x->last_fail = SK_EHOSTNOTFOUND;
    c->cfg->cx = x;
    return 0;
}

void sk__conn_cx_free(sk_conn *c)
{
    sk__conn_cx *x = SK__CX(c);
    if (x == NULL)
        return;
    sk__conn_stop_connect(c);
    sk_timer_free(x->tm_next);
    sk_timer_free(x->tm_limit);
    sk_timer_free(x->tm_defer);
    sk_timer_free(x->tm_bind);
    sk__free(x);
    c->cfg->cx = NULL;
}

void sk__conn_cx_done(sk_conn *c)
{
    if (SK__CX(c) != NULL && SK__CX(c)->bind_cb == NULL) /* (a bind still due) */
        sk__conn_cx_free(c);
}

/* The connect failed with code: report it in the state it happened in,
 * then UNCONNECTED. */
static void conn_fail(sk_conn *c, int code)
{
    sk__conn_stop_connect(c);
    sk__conn_cx_done(c);
    sk__conn_drop_socket(c, 0); /* a bound connection's socket too */
    sk__conn_q_clear(c, 0);
    if (sk__conn_emit_error(c, code))
        return;
    /* What the error handler wrote (the state still allowed it) goes the
     * same way: nothing stays queued on an UNCONNECTED connection. */
    sk__conn_q_clear(c, 0);
    (void)sk__conn_set_state(c, SK_CONN_UNCONNECTED);
}

/* Attempt at won: it becomes the connection, the others are closed. */
static void conn_win(sk_conn *c, sk__attempt *at)
{
    sk_sock *s = at->s, *cs = c->w.sock;
    if (at->w != NULL)
        sk_watch_free(at->w);
    at->w = NULL;
    at->s = NULL;
    SK__CX(c)->natt--;
    if (cs->extra != NULL && cs->extra->conntls != NULL) {
        /* TLS: the connect timeout covers the handshake too; the block
         * goes when ENCRYPTING ends (sk__conn_connect_over) */
        conn_stop_attempts(c);
    } else {
        sk__conn_stop_connect(c);
        sk__conn_cx_done(c);
    }
    if (s != cs) {
        /* the attempt's socket moves into the connection's object */
        if (cs->fd != SK_FD_INVALID)
            sk__plat_close(cs->fd);
        cs->fd = s->fd;
        cs->family = s->family;
        s->fd = SK_FD_INVALID;
        sk_free(s);
    }
    cs->dual = 0;
    cs->role = SK_ROLE_CLIENT;
    cs->connecting = 0;
    cs->bound = 1;
    cs->shut = cs->linewait = 0;
    cs->rfirst = cs->rlast = 0;
    (void)sk__conn_established(c);
}

static void attempt_ready(sk_watch *w, int events, void *ud);
static void conn_next_due(sk_timer *t, void *ud);

/* Start the attempt on address i.  Returns 0 (under way), 1 (connected
 * at once) or the failure. */
static int attempt_start(sk_conn *c, size_t i)
{
    sk__attempt *at = &SK__CX(c)->att[i];
    const sk__addr *a = &SK__CX(c)->addrs[i];
    sk__addr dst = *a;
    sk_sock *s;
    sk_fd_t fd = SK_FD_INVALID;
    int r;
    if (SK__CX(c)->bound) {
        s = c->w.sock;
        if (s->family == SK__AF_INET6 && a->family == SK__AF_INET)
            r = sk__plat_v4mapped(a, &dst);
        else
            r = s->family == a->family ? 0 : SK_EFAMILY;
        if (r == 0 && s->fd == SK_FD_INVALID) {
            /* after a failed attempt: a new socket, the same address */
            r = sk__make_socket(s, s->family, &fd);
            if (r == 0) {
                r = sk__plat_bind(fd, &SK__CX(c)->local, &s->sys);
                if (r != 0)
                    sk__plat_close(fd);
                else
                    s->fd = fd;
            }
        }
        if (r != 0)
            return r;
    } else {
        r = sk__new(&s, a->family, SK__STREAM, 1); /* no socket yet */
        if (r != 0)
            return r;
        /* the connection's remembered options go on every attempt */
        r = sk__make_socket(c->w.sock, a->family, &fd);
        if (r != 0) {
            sk_free(s);
            return r;
        }
        s->fd = fd;
        s->family = (unsigned char)a->family;
        s->dual = 0;
        sk__set_nonblock(s, 1);
    }
    r = sk__plat_connect_start(s->fd, &dst, &s->sys);
    if (r == 0 || r == SK_EINPROGRESS || r == SK_EWOULDBLOCK) {
        at->c = c;
        at->s = s;
        at->w = NULL;
        s->role = SK_ROLE_CLIENT;
        s->connecting = r != 0;
        SK__CX(c)->natt++;
        if (r == 0)
            return 1;
        r = sk_watch_new(c->w.loop, s, attempt_ready, at, &at->w);
        if (r == 0)
            r = sk_watch_set(at->w, SK_WRITABLE);
        if (r != 0)
            attempt_close(c, at);
        return r;
    }
    if (s == c->w.sock) {
        sk__plat_close(s->fd); /* a failed socket is not reused */
        s->fd = SK_FD_INVALID;
    } else {
        sk_free(s);
    }
    return r;
}

/* Keep what an attempt failed with, for the report when none succeeds:
 * the latest failure, except that running out of resources here outranks
 * what the network said about another address (the address that would
 * have answered may be the one we could not try). */
static void attempt_failed(sk_conn *c, int r)
{
    if (SK__CX(c)->last_fail != SK_ENORESOURCES)
        SK__CX(c)->last_fail = r;
}

/* Start the next address (and the timer for the one after), passing over
 * those that fail at once; when none is left and nothing is under way,
 * the connect has failed. */
static void conn_next(sk_conn *c)
{
    while (SK__CX(c)->next < SK__CX(c)->naddrs) {
        size_t i = SK__CX(c)->next++;
        int r = attempt_start(c, i);
        if (r == 1) {
            conn_win(c, &SK__CX(c)->att[i]);
            return;
        }
        if (r == 0) {
            /* A bound connection has one local port: one at a time. */
            if (!SK__CX(c)->bound && SK__CX(c)->next < SK__CX(c)->naddrs)
                (void)sk__conn_timer(c, &SK__CX(c)->tm_next,
                                     sk__conn_cfg_of(c)->t_delay,
                                     conn_next_due);
            return;
        }
        attempt_failed(c, r);
    }
    if (SK__CX(c)->natt == 0)
        conn_fail(c, SK__CX(c)->last_fail);
}

/* The Happy Eyeballs delay ran out: start the next address beside. */
static void conn_next_due(sk_timer *t, void *ud)
{
    (void)t;
    conn_next((sk_conn *)ud);
}

/* An attempt's socket is writable (or errored): its connect settled. */
static void attempt_ready(sk_watch *w, int events, void *ud)
{
    sk__attempt *at = (sk__attempt *)ud;
    sk_conn *c = at->c;
    int r;
    (void)w;
    (void)events;
    r = sk__plat_wait_connect(at->s->fd, 0, &at->s->sys);
    if (r == SK_ETIMEOUT || r == SK_EWOULDBLOCK)
        return; /* not settled after all: wait on */
    if (r == 0) {
        conn_win(c, at);
        return;
    }
    attempt_failed(c, r); /* this address failed: the next one, at once */
    attempt_close(c, at);
    conn_next(c);
}

/* ---- the lookup's answer -------------------------------------------------- */

static int addr_same(const sk__addr *a, const sk__addr *b)
{
    return a->family == b->family && a->len == b->len &&
           memcmp(a->sa.bytes, b->sa.bytes, a->len) == 0;
}

/* RFC 8305 section 4: no duplicates; the families alternate, starting
 * with the family of the first address (the resolver's preference), each
 * family in resolver order. */
static sk__addr *conn_order(const sk__addr *in, size_t n, size_t *out_n)
{
    sk__addr *out = (sk__addr *)sk__calloc(n ? n : 1, sizeof *out);
    size_t *idx = (size_t *)sk__calloc(n ? 2 * n : 1, sizeof *idx);
    size_t *pref, *rest; /* the two families */
    size_t np = 0, nr = 0, i, j, k = 0;
    if (out == NULL || idx == NULL) {
        sk__free(out);
        sk__free(idx);
        return NULL;
    }
    pref = idx; /* only now: no arithmetic on a failed allocation */
    rest = idx + n;
    for (i = 0; i < n; i++) {
        for (j = 0; j < i; j++)
            if (addr_same(&in[i], &in[j]))
                break;
        if (j < i)
            continue; /* a duplicate: tried once */
        if (in[i].family == in[0].family)
            pref[np++] = i;
        else
            rest[nr++] = i;
    }
    for (i = 0; i < np || i < nr; i++) {
        if (i < np)
            out[k++] = in[pref[i]];
        if (i < nr)
            out[k++] = in[rest[i]];
    }
    sk__free(idx);
    *out_n = k;
    return out;
}

/* The host's addresses (or the lookup's failure), on the loop's thread. */
static void conn_resolved(sk_conn *c, int rc, sk__addr *list, size_t count)
{
    sk__addr *ordered = NULL;
    size_t n = 0;
    if (c->state != SK_CONN_HOST_LOOKUP) {
        sk__free(list);
        return;
    }
    if (rc == 0) {
        ordered = conn_order(list, count, &n);
        if (ordered == NULL)
            rc = SK_ENORESOURCES;
    }
    sk__free(list);
    if (rc == 0) {
        SK__CX(c)->att = (sk__attempt *)sk__calloc(n, sizeof *SK__CX(c)->att);
        if (SK__CX(c)->att == NULL) {
            sk__free(ordered);
            rc = SK_ENORESOURCES;
        }
    }
    if (rc != 0) {
        conn_fail(c, rc);
        return;
    }
    SK__CX(c)->addrs = ordered;
    SK__CX(c)->naddrs = n;
    SK__CX(c)->next = 0;
    SK__CX(c)->natt = 0;
    SK__CX(c)->last_fail = SK_EHOSTNOTFOUND;
    if (sk__conn_emit_simple(c, c->h->host_found))
        return;
    if (sk__conn_set_state(c, SK_CONN_CONNECTING))
        return;
    conn_next(c);
}

static void conn_lookup_done(void *ud, int rc, sk__addr *list, size_t count)
{
    sk_conn *c = (sk_conn *)ud;
    SK__CX(c)->lookup = NULL;
    conn_resolved(c, rc, list, count);
}

/* A numeric host's addresses, handed over from the loop. */
static void conn_numeric_due(sk_timer *t, void *ud)
{
    sk_conn *c = (sk_conn *)ud;
    sk__addr *list = SK__CX(c)->addrs;
    size_t count = SK__CX(c)->naddrs;
    (void)t;
    SK__CX(c)->addrs = NULL;
    SK__CX(c)->naddrs = 0;
    conn_resolved(c, 0, list, count);
}

static void conn_timed_out(sk_timer *t, void *ud)
{
    sk_conn *c = (sk_conn *)ud;
    (void)t;
    if (c->state == SK_CONN_HOST_LOOKUP || c->state == SK_CONN_CONNECTING ||
        c->state == SK_CONN_ENCRYPTING)
        conn_fail(c, SK_ETIMEOUT);
}

int sk__conn_accept_limit(sk_conn *c)
{
    double limit = sk__conn_cfg_of(c)->t_connect;
    int r;
    if (c->state != SK_CONN_ENCRYPTING || (SK__CX(c) != NULL && !SK__CX(c)->accepted))
        return 0; /* (a connect's handshake: its limit started with it) */
    if (limit < 0) {
        sk__conn_stop_connect(c);
        sk__conn_cx_done(c);
        return 0;
    }
    r = sk__conn_cx_need(c);
    if (r == 0) {
        SK__CX(c)->accepted = 1;
        r = sk__conn_timer(c, &SK__CX(c)->tm_limit, limit, conn_timed_out);
    }
    if (r != 0)
        sk__conn_cx_done(c);
    return r;
}

/* sk_conn_connect after its checks, with SK__CX(c) made. */
static int conn_connect(sk_conn *c, const char *host, int port)
{
    sk__conn_cx *x = SK__CX(c);
    const sk__conn_cfg *cfg = sk__conn_cfg_of(c);
    sk__addr *list = NULL;
    size_t count = 0;
    int r;
    x->bound = c->state == SK_CONN_BOUND;
    x->last_fail = SK_EHOSTNOTFOUND;
    if (x->bound) {
        r = sk__plat_sockname(c->w.sock->fd, &x->local, &c->w.sock->sys);
        if (r != 0)
            return r;
    }
    /* Numeric hosts need no thread; their addresses come from the loop
     * all the same.  Everything else goes to a worker. */
    r = cfg->resolver == NULL ? sk__lookup_numeric(host, port, &list, &count)
                              : SK_EHOSTNOTFOUND;
    if (r == 0) {
        r = sk__conn_timer(c, &x->tm_defer, 0, conn_numeric_due);
        if (r != 0) {
            sk__free(list);
            return r;
        }
        x->addrs = list;
        x->naddrs = count;
    } else {
        r = sk__lookup_start(c->w.loop, host, port, cfg->resolver,
                             cfg->resolver_ud, conn_lookup_done, c,
                             &x->lookup);
        if (r != 0)
            return r;
    }
    if (cfg->t_connect >= 0) {
        r = sk__conn_timer(c, &x->tm_limit, cfg->t_connect, conn_timed_out);
        if (r != 0) {
            sk__conn_stop_connect(c);
            return r;
        }
    }
    return 0;
}

SK_API int sk_conn_connect(sk_conn *c, const char *host, int port)
{
    int r;
    if (c == NULL || sk__check_host(host) != 0 || strcmp(host, "*") == 0 ||
        port < 1 || port > 65535)
        return SK_EINVAL; /* "*" names no one (see sk_connect) */
    if (c->state != SK_CONN_UNCONNECTED && c->state != SK_CONN_BOUND) {
        sk__conn_record(c, SK_EWRONGROLE);
        return SK_EWRONGROLE;
    }
    r = sk__conn_cx_need(c);
    if (r == 0)
        r = conn_connect(c, host, port);
    if (r != 0) {
        sk__conn_cx_done(c); /* nothing under way */
        return r;
    }
    sk__conn_q_clear(c, 1); /* a new connection, a new stream */
    (void)sk__conn_set_state(c, SK_CONN_HOST_LOOKUP);
    return 0;
}

/* ---- binding -------------------------------------------------------------- */

int sk__conn_bind(sk_conn *c, int port)
{
    int r;
    if (c->state != SK_CONN_UNCONNECTED) {
        sk__conn_record(c, SK_EWRONGROLE);
        return SK_EWRONGROLE;
    }
    /* "*" on the socket-less dual-stack object: IPv6 with v6only off
     * where the host has IPv6, else IPv4. */
    r = sk_bind(c->w.sock, "*", port);
    if (r != 0) {
        sk__conn_record(c, r);
        sk__conn_drop_socket(c, 0);
        return r;
    }
    (void)sk__conn_set_state(c, SK_CONN_BOUND);
    return 0;
}

SK_API int sk_conn_bind(sk_conn *c, int port)
{
    if (c == NULL || port < 0 || port > 65535)
        return SK_EINVAL;
    return sk__conn_bind(c, port);
}

static void conn_bind_due(sk_timer *t, void *ud)
{
    sk_conn *c = (sk_conn *)ud;
    sk_conn_bind_cb cb = SK__CX(c)->bind_cb;
    void *cbud = SK__CX(c)->bind_ud;
    int r;
    (void)t;
    SK__CX(c)->bind_cb = NULL;
    SK__CX(c)->bind_ud = NULL;
    sk__conn_hold(c);
    r = sk__conn_bind(c, SK__CX(c)->bind_port);
    if (!c->freed)
        cb(c, r == 0, r, cbud);
    /* the block goes unless a connect (started in cb) needs it */
    if (!c->freed && c->state != SK_CONN_HOST_LOOKUP &&
        c->state != SK_CONN_CONNECTING)
        sk__conn_cx_done(c);
    (void)sk__conn_release(c);
}

SK_API int sk_conn_bind_async(sk_conn *c, int port, sk_conn_bind_cb cb,
                              void *ud)
{
    int r;
    if (c == NULL || cb == NULL || port < 0 || port > 65535)
        return SK_EINVAL;
    if (SK__CX(c) != NULL && SK__CX(c)->bind_cb != NULL)
        return SK_EINPROGRESS;
    r = sk__conn_cx_need(c);
    if (r == 0)
        r = sk__conn_timer(c, &SK__CX(c)->tm_bind, 0, conn_bind_due);
    if (r != 0) {
        sk__conn_cx_done(c);
        return r;
    }
    SK__CX(c)->bind_port = port;
    SK__CX(c)->bind_cb = cb;
    SK__CX(c)->bind_ud = ud;
    return 0;
}
