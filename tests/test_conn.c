/* SPDX-License-Identifier: MIT */
/*
 * test_conn.c - sk_conn and sk_server on an sk_loop: every state sequence
 * of TcpSocket asserted as the exact list of handler calls (connect,
 * refused, host not found, connect timeout, peer closes, disconnect with
 * 8 MiB pending, abort with data pending, bind sync and async), Happy
 * Eyeballs through the resolver hook, the lookup on a worker thread while
 * the loop serves timers, and a server with many clients.
 *
 * Handler calls are recorded as tokens: S<state>, H (host found), C
 * (connected), D (disconnected), E<error>, R (ready_read), W
 * (bytes_written), B<result>,<code> (sk_conn_bind_async's callback), T (a
 * test timer); R and W repeat by the whim of the network, so runs of them
 * are recorded once.  All traffic is on loopback; names never reach a DNS
 * server (numeric hosts, the hook, or "nonexistent..invalid", which the
 * resolver rejects without asking anyone).  Nothing is timed: the loop
 * runs until a condition holds, bounded by a 30 s safety timer.
 */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SAFETY 30.0
#define MIB ((size_t)1 << 20)

/* ---- recording handler calls ---------------------------------------------- */

typedef struct rec {
    char seq[2048];
    sk_conn *c;         /* the connection (NULL once a handler freed it) */
    int abort_on;       /* state whose state_changed aborts (-1: none) */
    int free_on;        /* state whose state_changed frees (-1: none) */
    int free_on_read;   /* ready_read frees the connection */
    size_t written;     /* sum of bytes_written counts */
    size_t last_avail;  /* ready_read's last count */
    size_t max_avail;   /* the largest count seen */
    size_t read_chunk;  /* ready_read reads this much (0: nothing) */
    sk_buf got;         /* what ready_read read */
    int bind_calls;
} rec;

static void rec_init(rec *r)
{
    memset(r, 0, sizeof *r);
    r->abort_on = r->free_on = -1;
}

static void rec_tok(rec *r, const char *tok)
{
    size_t n = strlen(r->seq), t = strlen(tok);
    /* runs of R and of W count once */
    if ((strcmp(tok, "R") == 0 || strcmp(tok, "W") == 0) && n >= t &&
        strcmp(r->seq + n - t, tok) == 0 && (n == t || r->seq[n - t - 1] == ' '))
        return;
    if (n + t + 2 >= sizeof r->seq)
        return;
    if (n > 0)
        r->seq[n++] = ' ';
    memcpy(r->seq + n, tok, t + 1);
}

static void h_state(sk_conn *c, int state, void *ud)
{
    rec *r = (rec *)ud;
    char t[16];
    snprintf(t, sizeof t, "S%d", state);
    rec_tok(r, t);
    assert_int_equal(sk_conn_state(c), state);
    if (state == r->abort_on)
        sup_assert_rc(sk_conn_abort(c), 0);
    if (state == r->free_on) {
        sk_conn_free(c);
        r->c = NULL;
    }
}

static void h_connected(sk_conn *c, void *ud)
{
    rec_tok((rec *)ud, "C");
    assert_int_equal(sk_conn_state(c), SK_CONN_CONNECTED);
    assert_int_equal(sk_conn_valid(c), 1);
}

static void h_disconnected(sk_conn *c, void *ud)
{
    rec_tok((rec *)ud, "D");
    assert_int_equal(sk_conn_state(c), SK_CONN_UNCONNECTED);
}

static void h_error(sk_conn *c, int error, void *ud)
{
    char t[16];
    int e = 99;
    snprintf(t, sizeof t, "E%d", error);
    rec_tok((rec *)ud, t);
    sup_assert_rc(sk_conn_error(c, &e, NULL), 0);
    assert_int_equal(e, error);
}

static void h_host_found(sk_conn *c, void *ud)
{
    rec_tok((rec *)ud, "H");
    assert_int_equal(sk_conn_state(c), SK_CONN_HOST_LOOKUP);
}

static void h_ready_read(sk_conn *c, size_t avail, void *ud)
{
    rec *r = (rec *)ud;
    size_t n = 0;
    rec_tok(r, "R");
    sup_assert_rc(sk_conn_bytes_available(c, &n), 0);
    assert_int_equal(n, avail);
    assert_true(avail > 0);
    r->last_avail = avail;
    if (avail > r->max_avail)
        r->max_avail = avail;
    if (r->free_on_read) {
        sk_conn_free(c);
        r->c = NULL;
        return;
    }
    if (r->read_chunk > 0) {
        size_t want = avail < r->read_chunk ? avail : r->read_chunk, got = 0;
        sup_assert_rc(sk_buf_reserve(&r->got, want), 0);
        sup_assert_rc(sk_conn_read(c, r->got.data + r->got.len, want, &got),
                      0);
        assert_int_equal(got, want);
        r->got.len += got;
    }
}

static void h_bytes_written(sk_conn *c, size_t n, void *ud)
{
    rec *r = (rec *)ud;
    (void)c;
    assert_true(n > 0);
    rec_tok(r, "W");
    r->written += n;
}

static const sk_conn_handlers rec_handlers = {
    h_connected, h_disconnected, h_error, h_state,
    h_host_found, h_ready_read, h_bytes_written};

static sk_conn *rec_conn(sk_loop *loop, rec *r)
{
    sk_conn *c = NULL;
    rec_init(r);
    sup_assert_rc(sk_conn_new(loop, &c), 0);
    sup_assert_rc(sk_conn_sethandlers(c, &rec_handlers, r), 0);
    r->c = c;
    return c;
}

static void rec_done(rec *r)
{
    sk_conn_free(r->c);
    r->c = NULL;
    sk_buf_free(&r->got);
}

#define assert_seq(r, want) assert_string_equal((r)->seq, (want))

/* ---- running the loop until something holds ------------------------------- */

static void safety_fired(sk_timer *t, void *ud)
{
    (void)t;
    *(int *)ud = 1;
}

typedef int (*cond_fn)(void *arg);

/* Run the loop one iteration at a time until cond(arg) holds; fail after
 * the safety time. */
#define run_until(loop, cond, arg) run_until_((loop), (cond), (arg), __LINE__)
static void run_until_(sk_loop *loop, cond_fn cond, void *arg, int line)
{
    sk_timer *safety = NULL;
    int expired = 0;
    unsigned long n = 0;
    sup_assert_rc(sk_timer_new(loop, &safety), 0);
    sup_assert_rc(sk_timer_start(safety, SAFETY, 0, safety_fired, &expired),
                  0);
    while (!cond(arg) && !expired && n++ < 100000000UL)
        sup_assert_rc(sk_loop_run(loop, SK_RUN_ONCE), 0);
    sk_timer_free(safety);
    if (!cond(arg)) {
        print_error("line %d: the loop ran %lu iterations without "
                    "reaching the condition\n", line, n);
        fail();
    }
}

/* Conditions over a rec: its sequence ends with the text in want. */
typedef struct seq_wait {
    rec *r;
    const char *tail;
} seq_wait;

static int seq_ends(void *arg)
{
    seq_wait *w = (seq_wait *)arg;
    size_t n = strlen(w->r->seq), t = strlen(w->tail);
    return n >= t && strcmp(w->r->seq + n - t, w->tail) == 0;
}

#define run_until_seq(loop, r, tail) \
    run_until_seq_((loop), (r), (tail), __LINE__)
static void run_until_seq_(sk_loop *loop, rec *r, const char *tail, int line)
{
    seq_wait w;
    w.r = r;
    w.tail = tail;
    run_until_(loop, seq_ends, &w, line);
}

typedef struct avail_wait {
    sk_conn *c;
    size_t n;
} avail_wait;

static int avail_at_least(void *arg)
{
    avail_wait *w = (avail_wait *)arg;
    size_t n = 0;
    sup_assert_rc(sk_conn_bytes_available(w->c, &n), 0);
    return n >= w->n;
}

typedef struct state_wait {
    sk_conn *c;
    int state;
} state_wait;

static int state_is(void *arg)
{
    state_wait *w = (state_wait *)arg;
    return sk_conn_state(w->c) == w->state;
}

static int flag_set(void *arg)
{
    return *(int *)arg != 0;
}

/* ---- peers: plain sk_socks watched by the same loop ----------------------- */

typedef struct peer {
    sk_sock *s;
    sk_watch *w;
    sk_buf data;      /* kept when keep is set */
    int keep;
    uint64_t hash;
    size_t got;
    int done;         /* end of stream or an error was read */
    int rc;           /* what ended it */
    int close_at_end; /* sk_close the socket then */
    int echo;         /* send back what arrives */
} peer;

static void peer_ready(sk_watch *w, int events, void *ud)
{
    peer *p = (peer *)ud;
    static char tmp[65536];
    int k;
    (void)events;
    for (k = 0; k < 64; k++) {
        size_t got = 0;
        int r = sk_read(p->s, tmp, sizeof tmp, &got);
        if (r == SK_EWOULDBLOCK)
            return;
        if (r != 0) {
            p->done = 1;
            p->rc = r;
            (void)sk_watch_set(w, 0);
            if (p->close_at_end)
                sup_assert_rc(sk_close(p->s), 0);
            return;
        }
        p->hash = sup_hash(p->hash, tmp, got);
        p->got += got;
        if (p->keep) {
            sup_assert_rc(sk_buf_reserve(&p->data, got), 0);
            memcpy(p->data.data + p->data.len, tmp, got);
            p->data.len += got;
        }
    }
}

/* Take the next pending client of srv as a peer, not yet watched. */
static void peer_accept(peer *p, sk_sock *srv)
{
    memset(p, 0, sizeof *p);
    p->hash = SUP_HASH_INIT;
    sup_assert_rc(sk_accept(srv, &p->s, NULL), 0);
    sup_assert_rc(sk_setblocking(p->s, 0), 0);
}

static void peer_watch(peer *p, sk_loop *loop)
{
    sup_assert_rc(sk_watch_new(loop, p->s, peer_ready, p, &p->w), 0);
    sup_assert_rc(sk_watch_set(p->w, SK_READABLE), 0);
}

static void peer_free(peer *p)
{
    sk_watch_free(p->w);
    sk_free(p->s);
    sk_buf_free(&p->data);
    memset(p, 0, sizeof *p);
}

/* ---- listeners -------------------------------------------------------------- */

/* A port with nobody listening on 127.0.0.1 (bound, read back, closed). */
static int closed_port4(void)
{
    sk_sock *s = NULL;
    sk_name n;
    sup_assert_rc(sk_tcp4(&s), 0);
    sup_assert_rc(sk_bind(s, "127.0.0.1", 0), 0);
    sup_assert_rc(sk_getsockname(s, &n), 0);
    sk_free(s);
    return n.port;
}

/* A listener on host ("127.0.0.1" or "::1") whose accept queue is full:
 * backlog 0, filled by connects that are never accepted until one no
 * longer completes.  Returns 0 (with nothing kept) when this system
 * refuses connects beyond the backlog instead of leaving them pending. */
#define MAX_FILL 64
typedef struct full_listener {
    sk_sock *srv;
    sk_sock *fill[MAX_FILL];
    int nfill;
    int port;
} full_listener;

static int full_listen(full_listener *f, const char *host)
{
    sk_name n;
    int k, rc;
    memset(f, 0, sizeof *f);
    sup_assert_rc(strchr(host, ':') ? sk_tcp6(&f->srv) : sk_tcp4(&f->srv), 0);
    sup_assert_rc(sk_bind(f->srv, host, 0), 0);
    sup_assert_rc(sk_listen(f->srv, 0), 0);
    sup_assert_rc(sk_getsockname(f->srv, &n), 0);
    f->port = n.port;
    for (k = 0; k < MAX_FILL; k++) {
        sk_sock *c = NULL;
        sup_assert_rc(strchr(host, ':') ? sk_tcp6(&c) : sk_tcp4(&c), 0);
        sup_assert_rc(sk_settimeout(c, 0.5, 'b'), 0);
        rc = sk_connect(c, host, f->port);
        f->fill[f->nfill++] = c;
        if (rc == SK_ETIMEOUT)
            return 1;
        if (rc == SK_ECONNREFUSED)
            break;
        sup_assert_rc(rc, 0);
    }
    for (k = 0; k < f->nfill; k++)
        sk_free(f->fill[k]);
    sk_free(f->srv);
    memset(f, 0, sizeof *f);
    if (rc == SK_ECONNREFUSED) {
        print_message("this system refuses connects beyond a full backlog "
                      "on %s instead of leaving them pending\n", host);
        return 0;
    }
    print_error("the accept queue on %s never filled\n", host);
    fail();
    return 0;
}

static void full_free(full_listener *f)
{
    int k;
    for (k = 0; k < f->nfill; k++)
        sk_free(f->fill[k]);
    sk_free(f->srv);
    memset(f, 0, sizeof *f);
}

/* ---- the resolver hook ---------------------------------------------------- */

typedef struct hook {
    int rc;                 /* what to return */
    int n;                  /* entries to give */
    char addr[8][SK_ADDRSTRLEN];
    int port[8];
    sup_gate *wait_for;     /* block until open (NULL: don't) */
    sup_gate *returning;    /* opened just before returning */
    int calls;              /* written by the worker: read after a gate */
    char host[256];
} hook;

static int hook_fn(const char *host, int port, sk_addrinfo *out, size_t cap,
                   size_t *count, void *ud)
{
    hook *h = (hook *)ud;
    sup_gate *returning = h->returning;
    int i, rc;
    (void)port;
    h->calls++;
    strncpy(h->host, host, sizeof h->host - 1);
    if (h->wait_for != NULL && !sup_gate_wait(h->wait_for, SAFETY)) {
        rc = SK_ETIMEOUT; /* the test fails on the sequence */
    } else {
        for (i = 0; i < h->n && (size_t)i < cap; i++) {
            memset(&out[i], 0, sizeof out[i]);
            memcpy(out[i].addr, h->addr[i], sizeof out[i].addr);
            out[i].port = h->port[i];
        }
        *count = (size_t)h->n;
        rc = h->rc;
    }
    /* The last touch of h: the test may end once this gate opens. */
    if (returning != NULL)
        sup_gate_open(returning);
    return rc;
}

static void hook_add(hook *h, const char *addr, int port)
{
    strcpy(h->addr[h->n], addr);
    h->port[h->n++] = port;
}

/* ---- tests ----------------------------------------------------------------- */

static void t_tables(void **state)
{
    (void)state;
    assert_int_equal(SK_CONN_UNCONNECTED, 0);
    assert_int_equal(SK_CONN_HOST_LOOKUP, 1);
    assert_int_equal(SK_CONN_CONNECTING, 2);
    assert_int_equal(SK_CONN_CONNECTED, 3);
    assert_int_equal(SK_CONN_BOUND, 4);
    assert_int_equal(SK_CONN_CLOSING, 6);
    assert_int_equal(SK_CONN_ERR_CONNECTION_REFUSED, 0);
    assert_int_equal(SK_CONN_ERR_REMOTE_HOST_CLOSED, 1);
    assert_int_equal(SK_CONN_ERR_HOST_NOT_FOUND, 2);
    assert_int_equal(SK_CONN_ERR_SOCKET_RESOURCE, 4);
    assert_int_equal(SK_CONN_ERR_SOCKET_TIMEOUT, 5);
    assert_int_equal(SK_CONN_ERR_DATAGRAM_TOO_LARGE, 6);
    assert_int_equal(SK_CONN_ERR_NETWORK, 7);
    assert_int_equal(SK_CONN_ERR_UNSUPPORTED_OPERATION, 10);
    assert_int_equal(SK_CONN_ERR_OPERATION_IN_PROGRESS, 11);
    assert_int_equal(SK_CONN_ERR_SSL_HANDSHAKE_FAILED, 13);
    assert_int_equal(SK_CONN_ERR_WRONG_STATE, 19);
    assert_int_equal(SK_CONN_ERR_SSL_INTERNAL, 20);
    assert_int_equal(SK_CONN_ERR_SSL_INVALID_DATA, 21);
    assert_int_equal(SK_CONN_ERR_TEMPORARY, 22);
    assert_int_equal(SK_CONN_ERR_UNKNOWN, -1);
    assert_string_equal(sk_conn_errstr(SK_CONN_ERR_CONNECTION_REFUSED),
                        "connection refused");
    assert_string_equal(sk_conn_errstr(SK_CONN_ERR_REMOTE_HOST_CLOSED),
                        "remote host closed the connection");
    assert_string_equal(sk_conn_errstr(SK_CONN_ERR_UNKNOWN),
                        "unknown error");
    assert_string_equal(sk_conn_errstr(3), "unknown error");
    assert_string_equal(sk_conn_errstr(12345), "unknown error");
    {
#define CHECK_TEXT(name, value, text) assert_string_equal(sk_conn_errstr(value), text);
        SK_CONN_ERRORS(CHECK_TEXT)
#undef CHECK_TEXT
    }
    assert_int_equal(sk_conn_errcode(SK_ECONNREFUSED), 0);
    assert_int_equal(sk_conn_errcode(SK_ECLOSED), 1);
    assert_int_equal(sk_conn_errcode(SK_ECONNRESET), 1);
    assert_int_equal(sk_conn_errcode(SK_EHOSTNOTFOUND), 2);
    assert_int_equal(sk_conn_errcode(SK_ENORESOURCES), 4);
    assert_int_equal(sk_conn_errcode(SK_ETIMEOUT), 5);
    assert_int_equal(sk_conn_errcode(SK_EMSGSIZE), 6);
    assert_int_equal(sk_conn_errcode(SK_ENETUNREACH), 7);
    assert_int_equal(sk_conn_errcode(SK_EHOSTUNREACH), 7);
    assert_int_equal(sk_conn_errcode(SK_EUNSUPPORTED), 10);
    assert_int_equal(sk_conn_errcode(SK_EINPROGRESS), 11);
    assert_int_equal(sk_conn_errcode(SK_EWRONGROLE), 19);
    assert_int_equal(sk_conn_errcode(SK_EWOULDBLOCK), 22);
    assert_int_equal(sk_conn_errcode(SK_ENAMETEMP), 22);
    assert_int_equal(sk_conn_errcode(SK_EADDRINUSE), -1);
    assert_int_equal(sk_conn_errcode(0), -1);
    assert_int_equal(sk_conn_errcode(-12345), -1);
}

static void t_settings(void **state)
{
    sk_loop *loop = NULL;
    sk_conn *c = NULL;
    double v = 0;
    (void)state;
    sup_loop_new(&loop);
    sup_assert_rc(sk_conn_new(loop, &c), 0);
    assert_int_equal(sk_conn_state(c), SK_CONN_UNCONNECTED);
    assert_int_equal(sk_conn_valid(c), 0);
    {
        int e = 9, code = 9;
        sup_assert_rc(sk_conn_error(c, &e, &code), 0);
        assert_int_equal(e, SK_CONN_ERR_UNKNOWN);
        assert_int_equal(code, 0);
    }
    sup_assert_rc(sk_conn_gettimeout(c, 'c', &v), 0);
    assert_true(v == -1);
    sup_assert_rc(sk_conn_gettimeout(c, 'd', &v), 0);
    assert_true(v == 0.25);
    sup_assert_rc(sk_conn_gettimeout(c, 'l', &v), 0);
    assert_true(v == 30);
    sup_assert_rc(sk_conn_settimeout(c, 2.5, 'c'), 0);
    sup_assert_rc(sk_conn_gettimeout(c, 'c', &v), 0);
    assert_true(v == 2.5);
    sup_assert_rc(sk_conn_settimeout(c, -7, 'c'), 0);
    sup_assert_rc(sk_conn_gettimeout(c, 'c', &v), 0);
    assert_true(v == -1);
    sup_assert_rc(sk_conn_settimeout(c, 0, 'd'), 0);
    sup_assert_rc(sk_conn_gettimeout(c, 'd', &v), 0);
    assert_true(v == 0);
    sup_assert_rc(sk_conn_settimeout(c, -1, 'd'), 0); /* no limit */
    sup_assert_rc(sk_conn_gettimeout(c, 'd', &v), 0);
    assert_true(v == -1);
    sup_assert_rc(sk_conn_settimeout(c, 1, 'x'), SK_EINVAL);
    sup_assert_rc(sk_conn_gettimeout(c, 'x', &v), SK_EINVAL);
    sk_conn_free(c);
    sk_loop_free(loop);
}

/* A connected pair: a recorded conn and the server's end as a watched
 * peer. */
typedef struct pair {
    sk_loop *loop;
    sk_sock *srv;
    int port;
    rec r;
    sk_conn *c;
    peer p;
} pair;

/* small: 64 KiB socket buffers on both ends (set before the connection
 * exists, so that they bound TCP's window), for tests that need bytes
 * still queued in the connection after a large write. */
static void pair_open_(pair *x, int small)
{
    sk_name n;
    memset(x, 0, sizeof *x);
    sup_loop_new(&x->loop);
    sup_listen4(&x->srv, &x->port, 16);
    x->c = rec_conn(x->loop, &x->r);
    if (small) {
        sk_sock *cs = NULL;
        sup_assert_rc(sk_setoption(x->srv, SK_OPT_RCVBUF, 65536), 0);
        sup_assert_rc(sk_conn_sock(x->c, &cs), 0);
        sup_assert_rc(sk_setoption(cs, SK_OPT_SNDBUF, 65536), 0);
    }
    sup_assert_rc(sk_conn_connect(x->c, "127.0.0.1", x->port), 0);
    /* HOST_LOOKUP is announced before connect returns; the rest comes
     * from the loop, even for a numeric host. */
    assert_seq(&x->r, "S1");
    assert_int_equal(sk_conn_state(x->c), SK_CONN_HOST_LOOKUP);
    run_until_seq(x->loop, &x->r, "C");
    assert_seq(&x->r, "S1 H S2 S3 C");
    sup_assert_rc(sk_conn_remote(x->c, &n), 0);
    assert_string_equal(n.addr, "127.0.0.1");
    assert_int_equal(n.port, x->port);
    sup_assert_rc(sk_conn_local(x->c, &n), 0);
    assert_string_equal(n.addr, "127.0.0.1");
    assert_true(n.port > 0);
    peer_accept(&x->p, x->srv);
    x->r.seq[0] = '\0';
}

#define pair_open(x) pair_open_((x), 0)
#define pair_open_small(x) pair_open_((x), 1)

static void pair_close(pair *x)
{
    rec_done(&x->r);
    peer_free(&x->p);
    sk_free(x->srv);
    sk_loop_free(x->loop);
}

static void t_connect(void **state)
{
    pair x;
    sk_buf line = {NULL, 0, 0};
    size_t n = 0;
    (void)state;
    pair_open(&x);
    assert_int_equal(sk_conn_valid(x.c), 1);
    /* conn -> peer */
    sup_assert_rc(sk_conn_write(x.c, "hello\n", 6), 0);
    x.p.keep = 1;
    peer_watch(&x.p, x.loop);
    {
        size_t want = 6;
        while (x.p.got < want)
            sup_assert_rc(sk_loop_run(x.loop, SK_RUN_ONCE), 0);
    }
    sup_assert_buf(&x.p.data, "hello\n", 6);
    run_until_seq(x.loop, &x.r, "W");
    assert_int_equal(x.r.written, 6);
    /* peer -> conn: a line and a half */
    sup_send_str(x.p.s, "wor\rld\nmore");
    run_until_seq(x.loop, &x.r, "R");
    sup_assert_rc(sk_conn_read_line(x.c, &line), 0);
    sup_assert_bufstr(&line, "world");
    assert_int_equal(line.data[line.len], '\0'); /* a C string */
    line.len = 0;
    sup_assert_rc(sk_conn_read_line(x.c, &line), SK_EWOULDBLOCK);
    assert_int_equal(line.len, 0);
    sup_assert_rc(sk_conn_bytes_available(x.c, &n), 0);
    assert_int_equal(n, 4);
    sup_send_str(x.p.s, "\n");
    {
        avail_wait w;
        w.c = x.c;
        w.n = 5;
        run_until(x.loop, avail_at_least, &w);
    }
    sup_assert_rc(sk_conn_read_line(x.c, &line), 0);
    sup_assert_bufstr(&line, "more");
    /* disconnect: CLOSING now, the rest from the loop once the peer
     * closes its side after our end of stream */
    x.p.close_at_end = 1;
    sup_assert_rc(sk_conn_disconnect(x.c), 0);
    assert_seq(&x.r, "W R S6");
    assert_int_equal(sk_conn_state(x.c), SK_CONN_CLOSING);
    sup_assert_rc(sk_conn_write(x.c, "x", 1), SK_EWRONGROLE);
    run_until_seq(x.loop, &x.r, "D");
    assert_seq(&x.r, "W R S6 S0 D");
    assert_int_equal(x.p.rc, SK_ECLOSED);
    assert_int_equal(sk_conn_valid(x.c), 0);
    {
        char b[4];
        size_t got = 9;
        sup_assert_rc(sk_conn_read(x.c, b, sizeof b, &got), SK_ECLOSED);
        assert_int_equal(got, 0);
    }
    sk_buf_free(&line);
    pair_close(&x);
}

static void t_refused(void **state)
{
    sk_loop *loop = NULL;
    rec r;
    sk_conn *c;
    int e = 0, code = 0;
    (void)state;
    sup_loop_new(&loop);
    c = rec_conn(loop, &r);
    sup_assert_rc(sk_conn_connect(c, "127.0.0.1", closed_port4()), 0);
    run_until_seq(loop, &r, "S0");
    assert_seq(&r, "S1 H S2 E0 S0");
    sup_assert_rc(sk_conn_error(c, &e, &code), 0);
    assert_int_equal(e, SK_CONN_ERR_CONNECTION_REFUSED);
    assert_int_equal(code, SK_ECONNREFUSED);
    /* reusable */
    sup_assert_rc(sk_conn_connect(c, "127.0.0.1", closed_port4()), 0);
    run_until_seq(loop, &r, "S0");
    assert_seq(&r, "S1 H S2 E0 S0 S1 H S2 E0 S0");
    rec_done(&r);
    sk_loop_free(loop);
}

static void t_host_not_found(void **state)
{
    sk_loop *loop = NULL;
    rec r;
    sk_conn *c;
    hook h;
    int e = 0, code = 0;
    (void)state;
    sup_loop_new(&loop);
    /* the system's resolver, on a worker thread: a name with an empty
     * label is rejected without a query */
    c = rec_conn(loop, &r);
    sup_assert_rc(sk_conn_connect(c, "nonexistent..invalid", 80), 0);
    run_until_seq(loop, &r, "S0");
    assert_seq(&r, "S1 E2 S0");
    sup_assert_rc(sk_conn_error(c, &e, &code), 0);
    assert_int_equal(e, SK_CONN_ERR_HOST_NOT_FOUND);
    assert_int_equal(code, SK_EHOSTNOTFOUND);
    /* the hook says so */
    memset(&h, 0, sizeof h);
    h.rc = SK_EHOSTNOTFOUND;
    sup_assert_rc(sk_conn_setresolver(c, hook_fn, &h), 0);
    r.seq[0] = '\0';
    sup_assert_rc(sk_conn_connect(c, "example.test", 80), 0);
    run_until_seq(loop, &r, "S0");
    assert_seq(&r, "S1 E2 S0");
    assert_string_equal(h.host, "example.test");
    /* the hook answers nothing usable: no entry, a name, garbage */
    h.rc = 0;
    hook_add(&h, "not.numeric", 80);
    hook_add(&h, "", 80);
    hook_add(&h, "1.2.3.4.5", 80);
    r.seq[0] = '\0';
    sup_assert_rc(sk_conn_connect(c, "example.test", 80), 0);
    run_until_seq(loop, &r, "S0");
    assert_seq(&r, "S1 E2 S0");
    /* a temporary failure */
    h.rc = SK_ENAMETEMP;
    r.seq[0] = '\0';
    sup_assert_rc(sk_conn_connect(c, "example.test", 80), 0);
    run_until_seq(loop, &r, "S0");
    assert_seq(&r, "S1 E22 S0");
    assert_int_equal(h.calls, 3);
    rec_done(&r);
    sk_loop_free(loop);
}

static void t_connect_timeout(void **state)
{
    sk_loop *loop = NULL;
    full_listener f;
    rec r;
    sk_conn *c;
    hook h;
    int code = 0;
    (void)state;
    sup_loop_new(&loop);
    c = rec_conn(loop, &r);
    if (full_listen(&f, "127.0.0.1")) {
        sup_assert_rc(sk_conn_settimeout(c, 0.2, 'c'), 0);
        sup_assert_rc(sk_conn_connect(c, "127.0.0.1", f.port), 0);
        run_until_seq(loop, &r, "S0");
        assert_seq(&r, "S1 H S2 E5 S0");
        sup_assert_rc(sk_conn_error(c, NULL, &code), 0);
        assert_int_equal(code, SK_ETIMEOUT);
        full_free(&f);
    }
    /* the timeout covers the lookup too: a hook that does not answer in
     * time; its late answer is dropped */
    memset(&h, 0, sizeof h);
    h.wait_for = sup_gate_new();
    h.returning = sup_gate_new();
    hook_add(&h, "127.0.0.1", closed_port4());
    sup_assert_rc(sk_conn_setresolver(c, hook_fn, &h), 0);
    sup_assert_rc(sk_conn_settimeout(c, 0.05, 'c'), 0);
    r.seq[0] = '\0';
    sup_assert_rc(sk_conn_connect(c, "slow.test", 80), 0);
    run_until_seq(loop, &r, "S0");
    assert_seq(&r, "S1 E5 S0");
    sup_gate_open(h.wait_for);
    assert_true(sup_gate_wait(h.returning, SAFETY));
    {
        int k;
        for (k = 0; k < 10; k++) /* a post, had there been one */
            sup_assert_rc(sk_loop_run(loop, SK_RUN_NOWAIT), 0);
    }
    assert_seq(&r, "S1 E5 S0");
    sup_gate_free(h.wait_for);
    sup_gate_free(h.returning);
    rec_done(&r);
    sk_loop_free(loop);
}

/* A loop freed while the answer of a host lookup is posted but not yet
 * run: sk_loop_free drops the post, and the request goes with it (the
 * asan and valgrind lanes see a leak otherwise).  The connection is freed
 * first (as it must be) just after the hook returned, so the worker has
 * posted by then, or - rarely - sees the cancel and posts nothing; both
 * must leave nothing behind, so a few rounds, nothing timed. */
static void t_loop_freed_with_answer(void **state)
{
    int k;
    (void)state;
    for (k = 0; k < 8; k++) {
        sk_loop *loop = NULL;
        sk_conn *c = NULL;
        hook h;
        memset(&h, 0, sizeof h);
        h.returning = sup_gate_new();
        hook_add(&h, "127.0.0.1", closed_port4());
        sup_loop_new(&loop);
        sup_assert_rc(sk_conn_new(loop, &c), 0);
        sup_assert_rc(sk_conn_setresolver(c, hook_fn, &h), 0);
        sup_assert_rc(sk_conn_connect(c, "answer.test", 80), 0);
        assert_true(sup_gate_wait(h.returning, SAFETY));
        assert_int_equal(sk_conn_state(c), SK_CONN_HOST_LOOKUP);
        sk_conn_free(c);
        sk_loop_free(loop); /* never ran: the answer is dropped */
        assert_int_equal(h.calls, 1);
        sup_gate_free(h.returning);
    }
}

static void t_peer_closes(void **state)
{
    pair x;
    sk_buf all = {NULL, 0, 0};
    int e = 0, code = 0;
    (void)state;
    pair_open(&x);
    sup_send_str(x.p.s, "bye");
    sup_assert_rc(sk_close(x.p.s), 0);
    run_until_seq(x.loop, &x.r, "D");
    /* the error while still CONNECTED (checked by h_error's state), then
     * the close */
    assert_seq(&x.r, "R E1 S0 D");
    sup_assert_rc(sk_conn_error(x.c, &e, &code), 0);
    assert_int_equal(e, SK_CONN_ERR_REMOTE_HOST_CLOSED);
    assert_int_equal(code, SK_ECLOSED);
    /* what arrived stays readable */
    sup_assert_rc(sk_conn_read_all(x.c, &all), 0);
    sup_assert_bufstr(&all, "bye");
    assert_string_equal(all.data, "bye"); /* NUL-terminated */
    sup_assert_rc(sk_conn_read_all(x.c, &all), SK_ECLOSED);
    sk_buf_free(&all);
    pair_close(&x);
}

static void t_peer_resets(void **state)
{
    pair x;
    (void)state;
    pair_open(&x);
    sup_assert_rc(sk_setoption(x.p.s, SK_OPT_LINGER, 0), 0);
    sup_assert_rc(sk_close(x.p.s), 0);
    run_until_seq(x.loop, &x.r, "D");
    assert_seq(&x.r, "E1 S0 D");
    pair_close(&x);
}

/* The peer shuts only its sending side: our pending bytes still go out
 * (through CLOSING) after the error. */
static void t_peer_half_closes(void **state)
{
    pair x;
    char *big;
    size_t len = 4 * MIB, pending = 0;
    uint64_t seed = 7, want;
    (void)state;
    pair_open_small(&x);
    big = (char *)malloc(len);
    assert_non_null(big);
    sup_fill(&seed, big, len);
    want = sup_hash(SUP_HASH_INIT, big, len);
    sup_assert_rc(sk_shutdown(x.p.s, SK_SHUT_SEND), 0);
    sup_assert_rc(sk_conn_write(x.c, big, len), 0);
    sup_assert_rc(sk_conn_bytes_to_write(x.c, &pending), 0);
    assert_true(pending > 0);
    {
        state_wait w;
        w.c = x.c;
        w.state = SK_CONN_CLOSING;
        run_until(x.loop, state_is, &w);
    }
    peer_watch(&x.p, x.loop);
    x.p.close_at_end = 1;
    run_until_seq(x.loop, &x.r, "D");
    assert_seq(&x.r, "E1 S6 W S0 D");
    run_until(x.loop, flag_set, &x.p.done);
    print_message("peer: %lu bytes, then %s\n", (unsigned long)x.p.got,
                  sk_errname(x.p.rc));
    assert_int_equal(x.p.got, len);
    assert_true(x.p.hash == want);
    assert_int_equal(x.r.written, len);
    free(big);
    pair_close(&x);
}

static void t_disconnect_8mib(void **state)
{
    pair x;
    char *big;
    size_t len = 8 * MIB, pending = 0;
    uint64_t seed = 42, want;
    (void)state;
    pair_open_small(&x);
    big = (char *)malloc(len);
    assert_non_null(big);
    sup_fill(&seed, big, len);
    want = sup_hash(SUP_HASH_INIT, big, len);
    sup_assert_rc(sk_conn_write(x.c, big, len), 0);
    free(big); /* the queue has its own copy */
    sup_assert_rc(sk_conn_bytes_to_write(x.c, &pending), 0);
    print_message("%lu of %lu bytes still queued at disconnect\n",
                  (unsigned long)pending, (unsigned long)len);
    assert_true(pending > 0);
    sup_assert_rc(sk_conn_disconnect(x.c), 0);
    assert_seq(&x.r, "S6");
    /* the peer reads everything, then closes its side at our end of
     * stream */
    x.p.close_at_end = 1;
    peer_watch(&x.p, x.loop);
    run_until_seq(x.loop, &x.r, "D");
    assert_seq(&x.r, "S6 W S0 D");
    assert_int_equal(x.p.rc, SK_ECLOSED);
    assert_int_equal(x.p.got, len);
    assert_true(x.p.hash == want);
    assert_int_equal(x.r.written, len);
    sup_assert_rc(sk_conn_bytes_to_write(x.c, &pending), 0);
    assert_int_equal(pending, 0);
    pair_close(&x);
}

static void t_abort_pending(void **state)
{
    pair x;
    char *big;
    size_t len = 8 * MIB, pending = 0;
    uint64_t seed = 9;
    (void)state;
    pair_open_small(&x);
    big = (char *)malloc(len);
    assert_non_null(big);
    sup_fill(&seed, big, len);
    sup_assert_rc(sk_conn_write(x.c, big, len), 0);
    free(big);
    sup_assert_rc(sk_conn_bytes_to_write(x.c, &pending), 0);
    assert_true(pending > 0);
    sup_assert_rc(sk_conn_abort(x.c), 0);
    /* at once, and nothing more afterwards */
    assert_seq(&x.r, "S0 D");
    sup_assert_rc(sk_conn_bytes_to_write(x.c, &pending), 0);
    assert_int_equal(pending, 0);
    peer_watch(&x.p, x.loop);
    run_until(x.loop, flag_set, &x.p.done);
    print_message("the peer read %lu of %lu bytes, then %s\n",
                  (unsigned long)x.p.got, (unsigned long)len,
                  sk_errname(x.p.rc));
    assert_true(x.p.rc == SK_ECONNRESET || x.p.rc == SK_ECLOSED);
    assert_true(x.p.got < len);
    assert_seq(&x.r, "S0 D");
    pair_close(&x);
}

static void bind_cb(sk_conn *c, int result, int error, void *ud)
{
    rec *r = (rec *)ud;
    char t[32];
    snprintf(t, sizeof t, "B%d,%d", result, error);
    rec_tok(r, t);
    r->bind_calls++;
    if (result)
        assert_int_equal(sk_conn_state(c), SK_CONN_BOUND);
}

static void t_bind(void **state)
{
    sk_loop *loop = NULL;
    sk_sock *srv = NULL;
    sk_conn *c, *c2;
    rec r, r2;
    sk_name local, n;
    peer p;
    int port = 0;
    (void)state;
    sup_loop_new(&loop);
    sup_listen4(&srv, &port, 16);
    c = rec_conn(loop, &r);
    sup_assert_rc(sk_conn_local(c, &local), SK_ENOTCONN);
    assert_string_equal(local.addr, "");
    assert_int_equal(local.port, 0);
    sup_assert_rc(sk_conn_bind(c, 0), 0);
    assert_seq(&r, "S4");
    assert_int_equal(sk_conn_state(c), SK_CONN_BOUND);
    sup_assert_rc(sk_conn_local(c, &local), 0);
    assert_true(local.port > 0);
    sup_assert_rc(sk_conn_bind(c, 0), SK_EWRONGROLE);
    /* the port is taken now */
    c2 = rec_conn(loop, &r2);
    sup_assert_rc(sk_conn_bind(c2, local.port), SK_EADDRINUSE);
    assert_seq(&r2, "");
    assert_int_equal(sk_conn_state(c2), SK_CONN_UNCONNECTED);
    rec_done(&r2);
    /* connect from the bound port */
    sup_assert_rc(sk_conn_connect(c, "127.0.0.1", port), 0);
    run_until_seq(loop, &r, "C");
    assert_seq(&r, "S4 S1 H S2 S3 C");
    peer_accept(&p, srv);
    sup_assert_rc(sk_getpeername(p.s, &n), 0);
    assert_int_equal(n.port, local.port);
    sup_assert_rc(sk_conn_local(c, &n), 0);
    assert_int_equal(n.port, local.port);
    peer_free(&p);
    /* BOUND, then abort: UNCONNECTED without disconnected */
    rec_done(&r);
    c = rec_conn(loop, &r);
    sup_assert_rc(sk_conn_bind(c, 0), 0);
    sup_assert_rc(sk_conn_disconnect(c), 0);
    assert_seq(&r, "S4 S0");
    sup_assert_rc(sk_conn_local(c, &n), SK_ENOTCONN);
    rec_done(&r);
    sk_free(srv);
    sk_loop_free(loop);
}

static void t_bind_async(void **state)
{
    sk_loop *loop = NULL;
    sk_conn *c;
    rec r;
    sk_name local;
    char want[64];
    (void)state;
    sup_loop_new(&loop);
    c = rec_conn(loop, &r);
    sup_assert_rc(sk_conn_bind_async(c, 0, bind_cb, &r), 0);
    sup_assert_rc(sk_conn_bind_async(c, 0, bind_cb, &r), SK_EINPROGRESS);
    assert_seq(&r, ""); /* nothing before the loop runs */
    run_until_seq(loop, &r, "B1,0");
    assert_seq(&r, "S4 B1,0");
    sup_assert_rc(sk_conn_local(c, &local), 0);
    assert_true(local.port > 0);
    /* in the wrong state by the time it runs */
    sup_assert_rc(sk_conn_bind_async(c, 0, bind_cb, &r), 0);
    run_until_seq(loop, &r, "B0,-10");
    snprintf(want, sizeof want, "S4 B1,0 B0,%d", SK_EWRONGROLE);
    assert_seq(&r, want);
    /* freed while pending: never called */
    sup_assert_rc(sk_conn_abort(c), 0);
    sup_assert_rc(sk_conn_bind_async(c, 0, bind_cb, &r), 0);
    rec_done(&r);
    {
        int k;
        for (k = 0; k < 5; k++)
            sup_assert_rc(sk_loop_run(loop, SK_RUN_NOWAIT), 0);
    }
    assert_int_equal(r.bind_calls, 2);
    sk_loop_free(loop);
}

/* Connect, stop at CONNECTED: run until C or S0. */
typedef struct he_wait {
    rec *r;
} he_wait;
static int he_settled(void *arg)
{
    he_wait *w = (he_wait *)arg;
    size_t n = strlen(w->r->seq);
    return (n >= 1 && w->r->seq[n - 1] == 'C') ||
           (n >= 2 && strcmp(w->r->seq + n - 2, "S0") == 0);
}

static void he_run(sk_loop *loop, rec *r, sk_conn *c, hook *h)
{
    sk_timer *limit = NULL;
    int fired = 0;
    he_wait w;
    sup_assert_rc(sk_conn_setresolver(c, hook_fn, h), 0);
    sup_assert_rc(sk_conn_settimeout(c, SAFETY - 5, 'c'), 0);
    /* a timer as long as the connect timeout: still pending at the end */
    sup_assert_rc(sk_timer_new(loop, &limit), 0);
    sup_assert_rc(sk_timer_start(limit, SAFETY - 5, 0, safety_fired, &fired),
                  0);
    r->seq[0] = '\0';
    sup_assert_rc(sk_conn_connect(c, "dual.test", 80), 0);
    w.r = r;
    run_until(loop, he_settled, &w);
    sk_timer_free(limit);
    assert_int_equal(fired, 0);
}

static void t_happy_eyeballs(void **state)
{
    sk_loop *loop = NULL;
    sk_sock *ok4 = NULL, *ok4b = NULL, *ok6 = NULL;
    full_listener f4, f6;
    int p4 = 0, p4b = 0, p6 = 0, have6 = sup_ipv6_loopback();
    sk_conn *c;
    rec r;
    hook h;
    sk_name n;
    (void)state;
    sup_loop_new(&loop);
    sup_listen4(&ok4, &p4, 16);
    sup_listen4(&ok4b, &p4b, 16);
    c = rec_conn(loop, &r);

    /* Every address refused: each failure moves on at once; the last
     * failure is reported. */
    memset(&h, 0, sizeof h);
    hook_add(&h, "127.0.0.1", closed_port4());
    hook_add(&h, "127.0.0.1", closed_port4());
    sup_assert_rc(sk_conn_settimeout(c, 30, 'd'), 0); /* no help from it */
    he_run(loop, &r, c, &h);
    assert_seq(&r, "S1 H S2 E0 S0");

    /* A refused address, then one that answers: no waiting for the
     * delay (30 s here) either. */
    memset(&h, 0, sizeof h);
    hook_add(&h, "127.0.0.1", closed_port4());
    hook_add(&h, "127.0.0.1", p4);
    he_run(loop, &r, c, &h);
    assert_seq(&r, "S1 H S2 S3 C");
    sup_assert_rc(sk_conn_remote(c, &n), 0);
    assert_int_equal(n.port, p4);
    sup_assert_rc(sk_conn_abort(c), 0);

    if (!full_listen(&f4, "127.0.0.1")) {
        print_message("Happy Eyeballs against a silent address skipped\n");
    } else {
        /* The first address never answers; the second starts after the
         * delay beside it and wins, long before the connect timeout. */
        sup_assert_rc(sk_conn_settimeout(c, 0.25, 'd'), 0);
        memset(&h, 0, sizeof h);
        hook_add(&h, "127.0.0.1", f4.port);
        hook_add(&h, "127.0.0.1", p4);
        he_run(loop, &r, c, &h);
        assert_seq(&r, "S1 H S2 S3 C");
        sup_assert_rc(sk_conn_remote(c, &n), 0);
        assert_int_equal(n.port, p4);
        sup_assert_rc(sk_conn_abort(c), 0);

        /* Delay 0: every address at once, the answering one wins. */
        sup_assert_rc(sk_conn_settimeout(c, 0, 'd'), 0);
        he_run(loop, &r, c, &h);
        assert_seq(&r, "S1 H S2 S3 C");
        sup_assert_rc(sk_conn_remote(c, &n), 0);
        assert_int_equal(n.port, p4);
        sup_assert_rc(sk_conn_abort(c), 0);
        sup_assert_rc(sk_conn_settimeout(c, 0.25, 'd'), 0);

        if (!have6) {
            print_message("no IPv6 loopback (::1): the family order of "
                          "Happy Eyeballs is not tested\n");
        } else if (!full_listen(&f6, "::1")) {
            print_message("family order skipped (::1 backlog)\n");
        } else {
            sup_assert_rc(sk_tcp6(&ok6), 0);
            sup_assert_rc(sk_bind(ok6, "::1", 0), 0);
            sup_assert_rc(sk_listen(ok6, 16), 0);
            sup_assert_rc(sk_getsockname(ok6, &n), 0);
            p6 = n.port;
            /* IPv4 first (the resolver's first), families alternate:
             * silent v4, v4 that answers, v6 that answers is tried as
             * silent v4, v6, v4: the IPv6 one wins. */
            memset(&h, 0, sizeof h);
            hook_add(&h, "127.0.0.1", f4.port);
            hook_add(&h, "127.0.0.1", p4b);
            hook_add(&h, "::1", p6);
            he_run(loop, &r, c, &h);
            assert_seq(&r, "S1 H S2 S3 C");
            sup_assert_rc(sk_conn_remote(c, &n), 0);
            assert_string_equal(n.addr, "::1");
            assert_int_equal(n.port, p6);
            sup_assert_rc(sk_conn_abort(c), 0);
            /* IPv6 first when the resolver says so: silent v6, v6 that
             * answers, v4 that answers is tried as v6, v4, v6: IPv4
             * wins. */
            memset(&h, 0, sizeof h);
            hook_add(&h, "::1", f6.port);
            hook_add(&h, "::1", p6);
            hook_add(&h, "127.0.0.1", p4b);
            he_run(loop, &r, c, &h);
            assert_seq(&r, "S1 H S2 S3 C");
            sup_assert_rc(sk_conn_remote(c, &n), 0);
            assert_string_equal(n.addr, "127.0.0.1");
            assert_int_equal(n.port, p4b);
            sup_assert_rc(sk_conn_abort(c), 0);
            sk_free(ok6);
            full_free(&f6);
        }
        full_free(&f4);
    }
    rec_done(&r);
    sk_free(ok4);
    sk_free(ok4b);
    sk_loop_free(loop);
}

/* The lookup runs on a worker thread: the hook blocks until a loop timer
 * has fired five times, so the loop must keep running meanwhile. */
typedef struct ticker {
    rec *r;
    int ticks;
    sup_gate *gate;
} ticker;

static void tick(sk_timer *t, void *ud)
{
    ticker *k = (ticker *)ud;
    rec_tok(k->r, "T");
    if (++k->ticks == 5) {
        sup_assert_rc(sk_timer_stop(t), 0);
        sup_gate_open(k->gate);
    }
}

static void t_lookup_on_worker(void **state)
{
    sk_loop *loop = NULL;
    sk_sock *srv = NULL;
    sk_timer *t = NULL;
    sk_conn *c;
    ticker k;
    hook h;
    rec r;
    int port = 0;
    (void)state;
    sup_loop_new(&loop);
    sup_listen4(&srv, &port, 16);
    c = rec_conn(loop, &r);
    memset(&h, 0, sizeof h);
    h.wait_for = sup_gate_new();
    hook_add(&h, "127.0.0.1", port);
    k.r = &r;
    k.ticks = 0;
    k.gate = h.wait_for;
    sup_assert_rc(sk_timer_new(loop, &t), 0);
    sup_assert_rc(sk_timer_start(t, 0.01, 0.01, tick, &k), 0);
    sup_assert_rc(sk_conn_setresolver(c, hook_fn, &h), 0);
    sup_assert_rc(sk_conn_connect(c, "slow.test", 80), 0);
    run_until_seq(loop, &r, "C");
    assert_seq(&r, "S1 T T T T T H S2 S3 C");
    sk_timer_free(t);

    /* Cancelled while the worker is busy: the result is dropped; the
     * connection may even be freed at once. */
    {
        int round, j;
        sup_assert_rc(sk_conn_abort(c), 0);
        for (round = 0; round < 2; round++) {
            sup_gate *g = sup_gate_new(), *ret = sup_gate_new();
            h.wait_for = g;
            h.returning = ret;
            r.seq[0] = '\0';
            sup_assert_rc(sk_conn_connect(c, "slow.test", 80), 0);
            if (round == 0) {
                sup_assert_rc(sk_conn_abort(c), 0);
                assert_seq(&r, "S1 S0");
            } else {
                rec_done(&r); /* freed with the lookup in flight */
            }
            sup_gate_open(g);
            assert_true(sup_gate_wait(ret, SAFETY));
            for (j = 0; j < 10; j++) /* a post, had there been one */
                sup_assert_rc(sk_loop_run(loop, SK_RUN_NOWAIT), 0);
            if (round == 0)
                assert_seq(&r, "S1 S0");
            sup_gate_free(g);
            sup_gate_free(ret);
        }
    }
    sup_gate_free(k.gate);
    sk_free(srv);
    sk_loop_free(loop);
}

/* Take (and drop) the client an aborted connect left in srv's backlog, if
 * it is there: Linux keeps a reset connection queued, Windows (Wine) drops
 * it. */
static void drop_pending(sk_sock *srv)
{
    sk_sock *d = NULL;
    sup_assert_rc(sk_settimeout(srv, 0, 'b'), 0);
    if (sk_accept(srv, &d, NULL) == 0)
        sk_free(d);
    sup_assert_rc(sk_settimeout(srv, SUP_SAFETY_TIMEOUT, 'b'), 0);
}

/* Handlers that change things: abort inside state_changed(CONNECTED),
 * free inside a handler, writing before the connection exists. */
static void t_reentry(void **state)
{
    sk_loop *loop = NULL;
    sk_sock *srv = NULL;
    sk_conn *c;
    rec r;
    peer p;
    int port = 0;
    (void)state;
    sup_loop_new(&loop);
    sup_listen4(&srv, &port, 16);

    c = rec_conn(loop, &r);
    r.abort_on = SK_CONN_CONNECTED;
    sup_assert_rc(sk_conn_connect(c, "127.0.0.1", port), 0);
    run_until_seq(loop, &r, "D");
    assert_seq(&r, "S1 H S2 S3 S0 D"); /* no C: the state moved on */
    rec_done(&r);
    drop_pending(srv);

    c = rec_conn(loop, &r);
    r.free_on = SK_CONN_CONNECTING;
    sup_assert_rc(sk_conn_connect(c, "127.0.0.1", port), 0);
    run_until_seq(loop, &r, "S2");
    assert_null(r.c);
    {
        int k;
        for (k = 0; k < 5; k++)
            sup_assert_rc(sk_loop_run(loop, SK_RUN_NOWAIT), 0);
    }
    assert_seq(&r, "S1 H S2");
    rec_done(&r);
    drop_pending(srv);

    /* written before the connection exists: goes out once connected;
     * freed inside ready_read */
    c = rec_conn(loop, &r);
    sup_assert_rc(sk_conn_write(c, "early", 5), SK_EWRONGROLE);
    sup_assert_rc(sk_conn_connect(c, "127.0.0.1", port), 0);
    sup_assert_rc(sk_conn_write(c, "early\n", 6), 0);
    run_until_seq(loop, &r, "W");
    peer_accept(&p, srv);
    sup_assert_rc(sk_settimeout(p.s, SUP_SAFETY_TIMEOUT, 'b'), 0);
    sup_assert_rc(sk_setblocking(p.s, 1), 0);
    sup_expect_str(p.s, "early\n");
    r.free_on_read = 1;
    sup_send_str(p.s, "x");
    run_until_seq(loop, &r, "R");
    assert_null(r.c);
    assert_seq(&r, "S1 H S2 S3 C W R");
    peer_free(&p);
    rec_done(&r);
    sk_free(srv);
    sk_loop_free(loop);
}

typedef struct limit_wait {
    pair *x;
    size_t len;
} limit_wait;

static int all_arrived(limit_wait *w)
{
    size_t n = 0;
    sup_assert_rc(sk_conn_bytes_available(w->x->c, &n), 0);
    return w->x->r.got.len + n >= w->len;
}

static int arrival_or_all(void *arg)
{
    limit_wait *w = (limit_wait *)arg;
    return strcmp(w->x->r.seq, "R") == 0 || all_arrived(w);
}

/* Lines, limits and the read limit. */
static void t_reading(void **state)
{
    pair x;
    sk_sock *cs = NULL;
    sk_buf line = {NULL, 0, 0};
    char *big;
    size_t len = 300000, i;
    (void)state;
    pair_open(&x);
    sup_assert_rc(sk_conn_sock(x.c, &cs), 0);
    sup_assert_rc(sk_setlinelimit(cs, 4), 0);
    sup_send_str(x.p.s, "abcd\nabcdef\n\r\r\n");
    {
        avail_wait w;
        w.c = x.c;
        w.n = 15;
        run_until(x.loop, avail_at_least, &w);
    }
    sup_assert_rc(sk_conn_read_line(x.c, &line), 0);
    sup_assert_bufstr(&line, "abcd");
    line.len = 0;
    sup_assert_rc(sk_conn_read_line(x.c, &line), SK_ETOOLONG);
    sup_assert_bufstr(&line, "abcd");
    line.len = 0;
    sup_assert_rc(sk_conn_read_line(x.c, &line), 0);
    sup_assert_bufstr(&line, "ef");
    line.len = 0;
    sup_assert_rc(sk_conn_read_line(x.c, &line), 0);
    sup_assert_bufstr(&line, "");
    sup_assert_rc(sk_conn_read_line(x.c, &line), SK_EWOULDBLOCK);
    /* an unterminated last line after the peer closed */
    sup_send_str(x.p.s, "tail");
    sup_assert_rc(sk_close(x.p.s), 0);
    run_until_seq(x.loop, &x.r, "D");
    sup_assert_rc(sk_conn_read_line(x.c, &line), SK_ECLOSED);
    sup_assert_bufstr(&line, "tail");
    sup_assert_rc(sk_conn_read_line(x.c, &line), SK_ECLOSED);
    sk_buf_free(&line);
    pair_close(&x);

    /* the read limit holds the buffer down; reading lets more in */
    pair_open(&x);
    sup_assert_rc(sk_conn_setreadlimit(x.c, 1000), 0);
    x.r.read_chunk = 300;
    big = (char *)malloc(len);
    assert_non_null(big);
    for (i = 0; i < len; i++)
        big[i] = (char)(i * 7);
    x.p.close_at_end = 0;
    {
        sup_sender snd;
        sup_assert_rc(sk_setblocking(x.p.s, 1), 0);
        sup_assert_rc(sk_settimeout(x.p.s, SUP_SAFETY_TIMEOUT, 'b'), 0);
        sup_sender_start(&snd, x.p.s, big, len, 0);
        limit_wait w;
        w.x = &x;
        w.len = len;
        /* ready_read takes 300 bytes of each arrival; once everything has
         * arrived the rest is read here */
        while (!all_arrived(&w)) {
            run_until(x.loop, arrival_or_all, &w);
            assert_true(x.r.max_avail <= 1000);
            x.r.seq[0] = '\0';
        }
        sup_assert_rc(sk_conn_read_all(x.c, &x.r.got), 0);
        sup_sender_join(&snd);
    }
    assert_memory_equal(x.r.got.data, big, len);
    free(big);
    pair_close(&x);
}

/* ---- the common case: a read, ready_read, a write ------------------------- */

/* ready_read of an echo that tells no bytes_written (so that sk_conn_write
 * takes its common case): everything available, straight back; r->written
 * counts it. */
static void cc_echo(sk_conn *c, size_t avail, void *ud)
{
    rec *r = (rec *)ud;
    static char tmp[70000]; /* more than one receive of the loop */
    size_t got = 0, seen = 0;
    int rc;
    assert_true(avail > 0);
    while ((rc = sk_conn_read(c, tmp, sizeof tmp, &got)) == 0) {
        assert_true(got > 0);
        seen += got;
        sup_assert_rc(sk_conn_write(c, tmp, got), 0);
        r->written += got;
    }
    sup_assert_rc(rc, SK_EWOULDBLOCK);
    assert_int_equal(got, 0);
    assert_true(seen >= avail);
}

/* The peer: sends data in pieces of varying size while it can, and hashes
 * what comes back. */
typedef struct pump {
    sk_sock *s;
    const char *data;
    size_t len, sent, back;
    uint64_t hash;
} pump;

static void pump_ready(sk_watch *w, int events, void *ud)
{
    pump *p = (pump *)ud;
    static char tmp[65536];
    int k;
    if ((events & SK_WRITABLE) && p->sent < p->len) {
        size_t n = p->len - p->sent, piece = 1 + (p->sent * 31) % 99991;
        ptrdiff_t last = 0;
        int r = sk_send(p->s, p->data + p->sent, n < piece ? n : piece, 1, -1,
                        &last);
        assert_true(r == 0 || r == SK_ETIMEOUT || r == SK_EWOULDBLOCK);
        p->sent += (size_t)last;
        if (p->sent == p->len)
            sup_assert_rc(sk_watch_set(w, SK_READABLE), 0);
    }
    for (k = 0; k < 16; k++) {
        size_t got = 0;
        int r = sk_read(p->s, tmp, sizeof tmp, &got);
        if (r == SK_EWOULDBLOCK)
            break;
        sup_assert_rc(r, 0);
        p->hash = sup_hash(p->hash, tmp, got);
        p->back += got;
    }
}

static int pump_done(void *arg)
{
    pump *p = (pump *)arg;
    return p->back >= p->len;
}

/* The loop's common case (conn.c's conn_io and sk_conn_write: one read
 * into the spare buffer, ready_read, one send that takes everything) and
 * what it hands over to: reads that fill the buffer, sends that take a
 * part (64 KiB socket buffers), a send that fails.  Every byte comes back
 * in order, counted in the socket's statistics. */
static void t_common_case(void **state)
{
    pair x;
    sk_conn_handlers h = rec_handlers;
    sk_watch *pw = NULL;
    sk_sock *cs = NULL;
    pump p;
    char *big;
    size_t len = 4 * MIB, pending = 1;
    uint64_t seed = 17, want, received = 0, sent = 0;
    (void)state;
    pair_open_small(&x);
    h.ready_read = cc_echo;
    h.bytes_written = NULL;
    sup_assert_rc(sk_conn_sethandlers(x.c, &h, &x.r), 0);
    big = (char *)malloc(len);
    assert_non_null(big);
    sup_fill(&seed, big, len);
    want = sup_hash(SUP_HASH_INIT, big, len);
    memset(&p, 0, sizeof p);
    p.s = x.p.s;
    p.data = big;
    p.len = len;
    p.hash = SUP_HASH_INIT;
    sup_assert_rc(sk_watch_new(x.loop, p.s, pump_ready, &p, &pw), 0);
    sup_assert_rc(sk_watch_set(pw, SK_READABLE | SK_WRITABLE), 0);
    run_until(x.loop, pump_done, &p);
    assert_int_equal(p.back, len);
    assert_true(p.hash == want);
    assert_int_equal(x.r.written, len);
    assert_seq(&x.r, "");
    sup_assert_rc(sk_conn_bytes_to_write(x.c, &pending), 0);
    assert_int_equal(pending, 0);
    sup_assert_rc(sk_conn_sock(x.c, &cs), 0);
    sup_assert_rc(sk_getstats(cs, &received, &sent, NULL), 0);
    assert_true(received == len);
    assert_true(sent == len);
    /* The peer resets; a write (common case: the queue is empty and has
     * room) meets the error or not, and is accepted either way; the loop
     * then reports the reset or the end of the stream and ends it. */
    sk_watch_free(pw);
    sup_assert_rc(sk_setoption(x.p.s, SK_OPT_LINGER, 0), 0);
    sup_assert_rc(sk_close(x.p.s), 0);
    sup_assert_rc(sk_conn_write(x.c, "x", 1), 0);
    run_until_seq(x.loop, &x.r, "D");
    assert_true(x.r.seq[0] == 'E');
    sup_assert_rc(sk_conn_write(x.c, "x", 1), SK_EWRONGROLE);
    free(big);
    pair_close(&x);
}

/* ---- the server ------------------------------------------------------------ */

typedef struct echo_srv {
    sk_conn **conns;
    size_t n, cap;
    int closed;       /* connections that reached disconnected */
} echo_srv;

static void echo_read(sk_conn *c, size_t avail, void *ud)
{
    char buf[4096];
    (void)avail;
    (void)ud;
    for (;;) {
        size_t got = 0;
        if (sk_conn_read(c, buf, sizeof buf, &got) != 0)
            break;
        sup_assert_rc(sk_conn_write(c, buf, got), 0);
    }
}

static void echo_error(sk_conn *c, int error, void *ud)
{
    (void)c;
    (void)ud;
    assert_int_equal(error, SK_CONN_ERR_REMOTE_HOST_CLOSED);
}

static void echo_gone(sk_conn *c, void *ud)
{
    (void)c;
    ((echo_srv *)ud)->closed++;
}

static void on_accept(sk_server *srv, sk_conn *c, void *ud)
{
    echo_srv *e = (echo_srv *)ud;
    sk_conn_handlers h;
    sk_name n;
    (void)srv;
    assert_int_equal(sk_conn_state(c), SK_CONN_CONNECTED);
    assert_int_equal(sk_conn_valid(c), 1);
    sup_assert_rc(sk_conn_remote(c, &n), 0);
    assert_string_equal(n.addr, "127.0.0.1");
    memset(&h, 0, sizeof h);
    h.ready_read = echo_read;
    h.error = echo_error;
    h.disconnected = echo_gone;
    sup_assert_rc(sk_conn_sethandlers(c, &h, e), 0);
    assert_true(e->n < e->cap);
    e->conns[e->n++] = c;
}

typedef struct client {
    sk_conn *c;
    size_t sent, echoed;
    uint64_t hash_sent, hash_back;
    char *data;
    size_t len;
    int connected;
} client;

static void cl_connected(sk_conn *c, void *ud)
{
    client *k = (client *)ud;
    k->connected = 1;
    sup_assert_rc(sk_conn_write(c, k->data, k->len), 0);
}

static void cl_read(sk_conn *c, size_t avail, void *ud)
{
    client *k = (client *)ud;
    char buf[4096];
    (void)avail;
    for (;;) {
        size_t got = 0;
        if (sk_conn_read(c, buf, sizeof buf, &got) != 0)
            break;
        assert_true(k->echoed + got <= k->len);
        assert_memory_equal(buf, k->data + k->echoed, got);
        k->echoed += got;
    }
}

typedef struct all_echoed {
    client *cl;
    size_t n;
} all_echoed;

static int every_echo_back(void *arg)
{
    all_echoed *a = (all_echoed *)arg;
    size_t i;
    for (i = 0; i < a->n; i++)
        if (a->cl[i].echoed < a->cl[i].len)
            return 0;
    return 1;
}

static int every_server_side_closed(void *arg)
{
    echo_srv *e = (echo_srv *)arg;
    return (size_t)e->closed == e->n;
}

static void echo_many(size_t want)
{
    sk_loop *loop = NULL;
    sk_server *srv = NULL;
    sk_sock *ls = NULL;
    sk_name name;
    echo_srv e;
    client *cl;
    all_echoed a;
    size_t i, n = want, cap = sup_fd_capacity();
    uint64_t seed = 1234;
    sk_conn_handlers h;
    if (cap < 2 * n + 64) {
        n = cap > 128 ? (cap - 64) / 2 : 8;
        print_message("descriptor limit %lu: %lu connections instead of "
                      "%lu\n", (unsigned long)cap, (unsigned long)n,
                      (unsigned long)want);
    }
    sup_loop_new(&loop);
    sup_assert_rc(sk_server_new(loop, &srv), 0);
    sup_assert_rc(sk_server_sock(srv, &ls), 0);
    sup_assert_rc(sk_setoption(ls, SK_OPT_REUSEADDR, 1), 0);
    sup_assert_rc(sk_server_listen(srv, "127.0.0.1", 0, 1024, on_accept, &e),
                  0);
    sup_assert_rc(sk_server_listen(srv, "127.0.0.1", 0, 16, on_accept, &e),
                  SK_EWRONGROLE);
    sup_assert_rc(sk_getsockname(ls, &name), 0);
    memset(&e, 0, sizeof e);
    e.cap = n;
    e.conns = (sk_conn **)calloc(n, sizeof *e.conns);
    cl = (client *)calloc(n, sizeof *cl);
    assert_non_null(e.conns);
    assert_non_null(cl);
    memset(&h, 0, sizeof h);
    h.connected = cl_connected;
    h.ready_read = cl_read;
    for (i = 0; i < n; i++) {
        cl[i].len = 1 + (size_t)(i * 7919 % 20000);
        cl[i].data = (char *)malloc(cl[i].len);
        assert_non_null(cl[i].data);
        sup_fill(&seed, cl[i].data, cl[i].len);
        sup_assert_rc(sk_conn_new(loop, &cl[i].c), 0);
        sup_assert_rc(sk_conn_sethandlers(cl[i].c, &h, &cl[i]), 0);
        sup_assert_rc(sk_conn_connect(cl[i].c, "127.0.0.1", name.port), 0);
    }
    a.cl = cl;
    a.n = n;
    run_until(loop, every_echo_back, &a);
    assert_int_equal(e.n, n);
    /* every client leaves: each server-side connection sees the peer's
     * close */
    for (i = 0; i < n; i++)
        sup_assert_rc(sk_conn_disconnect(cl[i].c), 0);
    run_until(loop, every_server_side_closed, &e);
    for (i = 0; i < n; i++) {
        sk_conn_free(cl[i].c);
        free(cl[i].data);
        sk_conn_free(e.conns[i]);
    }
    print_message("%lu connections echoed through one loop (%s)\n",
                  (unsigned long)n, sk_loop_backend(loop));
    sup_assert_rc(sk_server_close(srv), 0);
    sup_assert_rc(sk_server_close(srv), 0);
    sup_assert_rc(sk_server_sock(srv, &ls), SK_ECLOSED);
    sup_assert_rc(sk_server_listen(srv, "127.0.0.1", 0, 16, on_accept, &e),
                  SK_ECLOSED);
    sk_server_free(srv);
    free(cl);
    free(e.conns);
    sk_loop_free(loop);
}

static void t_server_clients(void **state)
{
    (void)state;
    echo_many(8);
}

static void t_server_1000(void **state)
{
    (void)state;
    echo_many(1000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_tables),
        cmocka_unit_test(t_settings),
        cmocka_unit_test(t_connect),
        cmocka_unit_test(t_refused),
        cmocka_unit_test(t_host_not_found),
        cmocka_unit_test(t_connect_timeout),
        cmocka_unit_test(t_peer_closes),
        cmocka_unit_test(t_peer_resets),
        cmocka_unit_test(t_peer_half_closes),
        cmocka_unit_test(t_disconnect_8mib),
        cmocka_unit_test(t_abort_pending),
        cmocka_unit_test(t_bind),
        cmocka_unit_test(t_bind_async),
        cmocka_unit_test(t_happy_eyeballs),
        cmocka_unit_test(t_lookup_on_worker),
        cmocka_unit_test(t_reentry),
        cmocka_unit_test(t_reading),
        cmocka_unit_test(t_common_case),
        cmocka_unit_test(t_server_clients),
        cmocka_unit_test(t_server_1000),
        cmocka_unit_test(t_loop_freed_with_answer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
