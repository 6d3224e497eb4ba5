/* SPDX-License-Identifier: MIT */
/*
 * test_hostile_load.c - hostile clients against two line-echo servers
 * built on sockit, on loopback: one on sk_server / sk_conn (its loop), one
 * on sk_selector.  Each server runs on the test's thread; the clients run
 * on threads of their own, all at once:
 *   - connections opened and abandoned (closed at once);
 *   - connections reset right after the connect (linger 0);
 *   - slowloris clients: one byte at a time, never a line end, a bounded
 *     count of bytes (a short fixed pacing delay between them: pacing
 *     only, nothing waits on it);
 *   - clients that never read while the server writes (they send until the
 *     server's backpressure stops them: TCP's buffers fill and their sends
 *     stall, then they close without reading);
 *   - a line without end, longer than the server's line limit;
 *   - a large burst of lines, read back whole and compared;
 *   - beside them, a well-behaved client doing round trips.
 * Asserted: the server stays up and ends with no connection; its
 * descriptors come back to the baseline (Linux: /proc/self/fd; elsewhere
 * skipped with a message); RSS stays within RSS_BOUND of the baseline
 * (not in sanitizer or valgrind builds: decided at build time,
 * SOCKIT_TEST_NO_RSS); the well-behaved client completes every round trip
 * (each within the safety timeout, never a timing measure); the burst comes
 * back byte for byte; the no-reader clients stall before NOREAD_MAX (the
 * server's write queue and read buffer stay within their bounds: counted);
 * every line without end is refused (counted).
 * Then the same servers with RLIMIT_NOFILE exhausted (POSIX, not under
 * valgrind, whose descriptor limit is its own): clients wait
 * in the backlog while every accept fails; the sk_server pauses accepting
 * (sk_server_getstats: at most one failed accept per loop iteration, and
 * paused), the selector server likewise by its own rule; once descriptors
 * are back every waiting client is served.  Nothing measures CPU time.
 * Scale: SOCKIT_HOSTILE_SCALE (percent, default 100; valgrind 10).
 */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- scale and bounds ---------------------------------------------------- */

#define LINE_LIMIT 8192           /* the servers' line limit */
#define READ_LIMIT (64 * 1024)    /* sk_conn_setreadlimit */
#define QUEUE_HIGH (256 * 1024)   /* the servers stop reading above this */
#define NOREAD_MAX ((size_t)64 << 20) /* no TCP buffers hold this much */
#define RSS_BOUND ((size_t)96 << 20)  /* growth allowed during a run */
#define DEADLINE 90.0             /* seconds: only so that a bug cannot hang */
#define MAXCL 1024

typedef struct scale {
    int abandon, reset, slow, slow_bytes, noread, longline, good;
    size_t burst;
} scale;

static scale g_sc;

static void scale_init(void)
{
    size_t pct = sup_env_size("SOCKIT_HOSTILE_SCALE",
                              sup_under_valgrind() ? 10 : 100);
    if (pct > 1000)
        pct = 1000;
    g_sc.abandon = (int)(200 * pct / 100) + 1;
    g_sc.reset = (int)(200 * pct / 100) + 1;
    g_sc.slow = (int)(16 * pct / 100) + 1;
    g_sc.slow_bytes = 40;
    g_sc.noread = 2;
    g_sc.longline = 4;
    g_sc.good = (int)(300 * pct / 100) + 1;
    g_sc.burst = ((size_t)4 << 20) * pct / 100 + 1000;
}

/* ---- the clients (threads; no CMocka assertions: they record) ---------- */

typedef struct attack {
    int port;
    sup_gate *done;
    sk_loop *wake;        /* the server's loop, woken when done (or NULL) */
    sup_thread *thread;
    /* results */
    int ok;               /* what the client counts as success */
    int failed;           /* calls that failed unexpectedly */
    size_t bytes;         /* bytes sent (no-reader) */
    int stalled;          /* a no-reader's sends stopped */
    int last_rc;          /* a line-without-end client's end */
    char what[64];        /* the first unexpected failure */
} attack;

/* The client is done: open its gate, then wake the server's loop, whose
 * driver may be waiting with nothing else left to happen (the connection
 * can be gone before the gate opens; without the wake-up the driver would
 * then wait for an event that never comes). */
static void finish(attack *a)
{
    sup_gate_open(a->done);
    if (a->wake != NULL)
        (void)sk_loop_wake(a->wake);
}

static void note(attack *a, const char *what, int rc)
{
    a->failed++;
    if (a->what[0] == '\0')
        (void)snprintf(a->what, sizeof a->what, "%s: %s", what,
                       sk_errname(rc));
}

static sk_sock *dial(attack *a)
{
    sk_sock *s = NULL;
    int rc = sk_tcp4(&s);
    if (rc != 0) {
        note(a, "sk_tcp4", rc);
        return NULL;
    }
    (void)sk_settimeout(s, SUP_SAFETY_TIMEOUT, 'b');
    rc = sk_connect(s, "127.0.0.1", a->port);
    if (rc != 0) {
        note(a, "sk_connect", rc);
        sk_free(s);
        return NULL;
    }
    return s;
}

/* A pause between two steps of a slow client: pacing, not a wait for
 * anything (sk_select with nothing to watch sleeps its timeout). */
static void pace(double seconds)
{
    size_t n = 0, m = 0;
    (void)sk_select(NULL, 0, NULL, 0, seconds, NULL, &n, NULL, &m);
}

static void t_abandon(void *arg)
{
    attack *a = (attack *)arg;
    int i;
    for (i = 0; i < g_sc.abandon; i++) {
        sk_sock *s = dial(a);
        if (s != NULL) {
            a->ok++;
            sk_free(s); /* opened and abandoned */
        }
    }
    finish(a);
}

static void t_reset(void *arg)
{
    attack *a = (attack *)arg;
    int i, rc;
    for (i = 0; i < g_sc.reset; i++) {
        sk_sock *s = dial(a);
        if (s == NULL)
            continue;
        rc = sk_setoption(s, SK_OPT_LINGER, 0); /* close sends a reset */
        if (rc != 0)
            note(a, "linger 0", rc);
        else
            a->ok++;
        sk_free(s);
    }
    finish(a);
}

static void t_slowloris(void *arg)
{
    attack *a = (attack *)arg;
    sk_sock *cl[64];
    int i, b, n = g_sc.slow < 64 ? g_sc.slow : 64, rc;
    for (i = 0; i < n; i++)
        cl[i] = dial(a);
    for (b = 0; b < g_sc.slow_bytes; b++) {
        for (i = 0; i < n; i++) {
            if (cl[i] == NULL)
                continue;
            rc = sk_send(cl[i], "x", 1, 1, -1, NULL); /* never a LF */
            if (rc != 0)
                note(a, "slow send", rc);
            else
                a->ok++;
        }
        pace(0.005);
    }
    for (i = 0; i < n; i++)
        sk_free(cl[i]);
    finish(a);
}

static void t_noread(void *arg)
{
    attack *a = (attack *)arg;
    char line[1024];
    sk_sock *s = dial(a);
    int waits = 0, rc;
    if (s == NULL) {
        finish(a);
        return;
    }
    memset(line, 'n', sizeof line - 1);
    line[sizeof line - 1] = '\n';
    (void)sk_setblocking(s, 0);
    while (a->bytes < NOREAD_MAX) {
        ptrdiff_t last = 0;
        rc = sk_send(s, line, sizeof line, 1, -1, &last);
        a->bytes += (size_t)last;
        if (rc == 0) {
            waits = 0;
            continue;
        }
        if (rc != SK_EWOULDBLOCK) {
            note(a, "noread send", rc);
            break;
        }
        {
            /* Full: wait for room; two long waits without any mean the
             * server stopped taking bytes (its backpressure). */
            sk_sock *set[1], *w[1];
            size_t nr = 0, nw = 0;
            set[0] = s;
            rc = sk_select(NULL, 0, set, 1, 0.25, NULL, &nr, w, &nw);
            if (rc == SK_ETIMEOUT && ++waits == 2) {
                a->stalled = 1;
                break;
            }
            if (rc != 0 && rc != SK_ETIMEOUT) {
                note(a, "noread select", rc);
                break;
            }
        }
    }
    if (a->stalled)
        a->ok = 1;
    sk_free(s); /* unread bytes: the server sees a reset */
    finish(a);
}

static void t_longline(void *arg)
{
    attack *a = (attack *)arg;
    /* Three times the line limit: over it, and small enough for the send
     * buffers, so that the send never waits (under Wine a reset that came
     * while a send waited was seen by neither the send nor the receive
     * after it until the safety timeout). */
    size_t blen = 3 * LINE_LIMIT;
    char *blob = (char *)malloc(blen);
    int i, rc;
    if (blob == NULL) {
        note(a, "malloc", SK_ENORESOURCES);
        finish(a);
        return;
    }
    memset(blob, 'y', blen);
    for (i = 0; i < g_sc.longline; i++) {
        sk_sock *s = dial(a);
        sk_buf b = {NULL, 0, 0};
        int k;
        if (s == NULL)
            continue;
        (void)sk_send(s, blob, blen, 1, -1, NULL); /* may be cut short */
        /* The server must end the connection: read to the end. */
        rc = 0;
        for (k = 0; k < 100000 && rc == 0; k++) {
            b.len = 0;
            rc = sk_receive(s, &b, SK_SOME, 65536);
        }
        a->last_rc = rc;
        if (rc == SK_ECLOSED || rc == SK_ECONNRESET)
            a->ok++;
        else
            note(a, "longline end", rc);
        sk_buf_free(&b);
        sk_free(s);
    }
    free(blob);
    finish(a);
}

/* Lines of printable bytes, 1..200 long, each ending in LF. */
static void make_lines(char *p, size_t n, uint64_t seed)
{
    size_t i = 0;
    uint64_t st = seed;
    while (i < n) {
        unsigned char r[1];
        size_t len, k;
        sup_fill(&st, r, 1);
        len = 1 + r[0] % 200;
        for (k = 0; k < len && i < n - 1; k++, i++) {
            sup_fill(&st, r, 1);
            p[i] = (char)(' ' + r[0] % 94);
        }
        p[i++] = '\n';
    }
}

/* Sends the burst and reads the echo at the same time (one thread, both
 * directions non-blocking: a client that only sent would be a no-reader). */
static void t_burst(void *arg)
{
    attack *a = (attack *)arg;
    size_t n = g_sc.burst, got = 0, sent = 0;
    char *data = (char *)malloc(n);
    sk_sock *s = dial(a);
    uint64_t hs, hr = SUP_HASH_INIT;
    sk_buf b = {NULL, 0, 0};
    int rc = 0, rounds;
    if (s == NULL || data == NULL) {
        free(data);
        sk_free(s);
        finish(a);
        return;
    }
    make_lines(data, n, 7);
    hs = sup_hash(SUP_HASH_INIT, data, n);
    (void)sk_setblocking(s, 0);
    for (rounds = 0; got < n && rounds < 10000000; rounds++) {
        sk_sock *rset[1], *wset[1], *rd[1], *wr[1];
        size_t nr = 0, nw = 0;
        if (sent < n) {
            ptrdiff_t last = 0;
            rc = sk_send(s, data, n, (ptrdiff_t)sent + 1, -1, &last);
            sent = (size_t)last;
            if (rc != 0 && rc != SK_EWOULDBLOCK)
                break;
        }
        b.len = 0;
        rc = sk_receive(s, &b, SK_SOME, 65536);
        hr = sup_hash(hr, b.data, b.len);
        got += b.len;
        if (rc != 0 && rc != SK_EWOULDBLOCK)
            break;
        if (rc == 0 || got == n)
            continue;
        rset[0] = wset[0] = s;
        rc = sk_select(rset, 1, wset, sent < n ? 1 : 0, SUP_SAFETY_TIMEOUT,
                       rd, &nr, wr, &nw);
        if (rc != 0)
            break;
    }
    if (got == n && hr == hs)
        a->ok = 1;
    else
        note(a, "burst", rc);
    if (!a->ok)
        (void)snprintf(a->what, sizeof a->what, "burst: %lu of %lu (%s)",
                       (unsigned long)got, (unsigned long)n, sk_errname(rc));
    sk_buf_free(&b);
    sk_free(s);
    free(data);
    finish(a);
}

static void t_good(void *arg)
{
    attack *a = (attack *)arg;
    sk_sock *s = dial(a);
    int i, rc;
    if (s == NULL) {
        finish(a);
        return;
    }
    for (i = 0; i < g_sc.good; i++) {
        char msg[64];
        sk_buf b = {NULL, 0, 0};
        int len = snprintf(msg, sizeof msg, "round trip %d\n", i);
        rc = sk_send(s, msg, (size_t)len, 1, -1, NULL);
        if (rc == 0)
            rc = sk_receive(s, &b, SK_LINE, 0);
        if (rc == 0 && b.len == (size_t)len - 1 &&
            memcmp(b.data, msg, b.len) == 0)
            a->ok++;
        else
            note(a, "round trip", rc);
        sk_buf_free(&b);
        if (rc != 0)
            break;
    }
    sk_free(s);
    finish(a);
}

/* ---- server 1: sk_server and sk_conn on an sk_loop ----------------------- */

typedef struct lsrv {
    sk_loop *loop;
    sk_server *srv;
    int port;
    long live, accepted, too_long;
    size_t max_queue, max_avail;
} lsrv;

/* Echo whole lines while the write queue is below QUEUE_HIGH; above it the
 * bytes wait in the read buffer (bounded by the read limit) and TCP slows
 * the client down.  bytes_written resumes. */
static void l_pump(sk_conn *c, lsrv *L)
{
    sk_buf line = {NULL, 0, 0};
    for (;;) {
        size_t q = 0, av = 0;
        int r;
        (void)sk_conn_bytes_to_write(c, &q);
        (void)sk_conn_bytes_available(c, &av);
        if (q > L->max_queue)
            L->max_queue = q;
        if (av > L->max_avail)
            L->max_avail = av;
        if (q >= QUEUE_HIGH)
            break;
        line.len = 0;
        r = sk_conn_read_line(c, &line);
        if (r == 0 || (r == SK_ECLOSED && line.len > 0)) {
            if (sk_buf_reserve(&line, 1) == 0) {
                line.data[line.len++] = '\n';
                (void)sk_conn_write(c, line.data, line.len);
            }
            if (r == 0)
                continue;
            break;
        }
        if (r == SK_ETOOLONG) {
            L->too_long++;
            sk_buf_free(&line);
            (void)sk_conn_abort(c); /* c is freed in disconnected */
            return;
        }
        break; /* SK_EWOULDBLOCK: no whole line yet; SK_ECLOSED */
    }
    sk_buf_free(&line);
}

static void l_ready(sk_conn *c, size_t available, void *ud)
{
    lsrv *L = (lsrv *)ud;
    if (available > L->max_avail)
        L->max_avail = available;
    l_pump(c, L);
}

static void l_written(sk_conn *c, size_t n, void *ud)
{
    (void)n;
    l_pump(c, (lsrv *)ud);
}

static void l_gone(sk_conn *c, void *ud)
{
    lsrv *L = (lsrv *)ud;
    L->live--;
    sk_conn_free(c);
}

static void l_accept(sk_server *srv, sk_conn *c, void *ud)
{
    static const sk_conn_handlers h = {NULL, l_gone, NULL, NULL,
                                       NULL, l_ready, l_written};
    lsrv *L = (lsrv *)ud;
    sk_sock *s = NULL;
    (void)srv;
    L->live++;
    L->accepted++;
    (void)sk_conn_sethandlers(c, &h, L);
    (void)sk_conn_setreadlimit(c, READ_LIMIT);
    if (sk_conn_sock(c, &s) == 0)
        (void)sk_setlinelimit(s, LINE_LIMIT);
}

static void l_start(lsrv *L)
{
    sk_sock *s = NULL;
    sk_name n;
    memset(L, 0, sizeof *L);
    sup_loop_new(&L->loop);
    sup_assert_rc(sk_server_new(L->loop, &L->srv), 0);
    sup_assert_rc(sk_server_listen(L->srv, "127.0.0.1", 0, 128, l_accept, L),
                  0);
    sup_assert_rc(sk_server_sock(L->srv, &s), 0);
    sup_assert_rc(sk_getsockname(s, &n), 0);
    L->port = n.port;
}

static void l_step(lsrv *L)
{
    sup_assert_rc(sk_loop_run(L->loop, SK_RUN_ONCE), 0);
}

static void l_stop(lsrv *L)
{
    sk_server_free(L->srv);
    sk_loop_free(L->loop);
}

/* ---- server 2: sk_selector ------------------------------------------------ */

typedef struct scl {
    sk_sock *s;
    sk_buf out;     /* echoed bytes not yet sent */
    size_t ofirst;
    int eof;        /* the client closed: flush, then close */
    int events;     /* the interest set */
} scl;

typedef struct ssrv {
    sk_selector *sel;
    sk_loop *clock; /* only for sk_loop_now */
    sk_sock *lis;
    int port;
    scl *cl[MAXCL];
    long live, accepted, too_long, failed, waits;
    int paused, was_paused;
    size_t max_queue;
} ssrv;

static void s_close(ssrv *S, int i)
{
    sk_buf_free(&S->cl[i]->out);
    sk_free(S->cl[i]->s); /* leaves the selector */
    free(S->cl[i]);
    S->cl[i] = NULL;
    S->live--;
}

static void s_interest(ssrv *S, scl *c)
{
    int want = 0;
    size_t q = c->out.len - c->ofirst;
    if (!c->eof && q < QUEUE_HIGH)
        want |= SK_READABLE;
    if (q > 0)
        want |= SK_WRITABLE;
    if (want != c->events && sk_selector_set(S->sel, c->s, want) == 0)
        c->events = want;
}

static void s_accept(ssrv *S)
{
    int k;
    for (k = 0; k < 64; k++) {
        sk_sock *s = NULL;
        int i, r = sk_accept(S->lis, &s, NULL);
        if (r == SK_EWOULDBLOCK)
            return;
        if (r == SK_ENORESOURCES) {
            /* Out of descriptors: the listener stays readable.  Pause it
             * until the next wait is over instead of spinning. */
            S->failed++;
            (void)sk_selector_set(S->sel, S->lis, 0);
            S->paused = S->was_paused = 1;
            return;
        }
        if (r != 0)
            return;
        for (i = 0; i < MAXCL && S->cl[i] != NULL; i++)
            ;
        if (i == MAXCL) {
            sk_free(s);
            continue;
        }
        S->cl[i] = (scl *)calloc(1, sizeof *S->cl[i]);
        if (S->cl[i] == NULL) {
            sk_free(s);
            continue;
        }
        S->cl[i]->s = s;
        (void)sk_setblocking(s, 0);
        (void)sk_setlinelimit(s, LINE_LIMIT);
        S->cl[i]->events = SK_READABLE;
        if (sk_selector_add(S->sel, s, SK_READABLE) != 0) {
            free(S->cl[i]);
            S->cl[i] = NULL;
            sk_free(s);
            continue;
        }
        S->live++;
        S->accepted++;
    }
}

/* Read lines while the queue allows, send what is queued.  Returns 0 when
 * the client was closed. */
static int s_io(ssrv *S, int i, int events)
{
    scl *c = S->cl[i];
    if (events & (SK_READABLE | SK_ERRORED)) {
        while (!c->eof && c->out.len - c->ofirst < QUEUE_HIGH) {
            const char *line = NULL;
            size_t len = 0;
            int r = sk_receiveline(c->s, &line, &len);
            if (r == 0 || (r == SK_ECLOSED && line != NULL)) {
                if (c->ofirst > 0 && c->ofirst == c->out.len)
                    c->out.len = c->ofirst = 0;
                if (sk_buf_reserve(&c->out, len + 1) == 0) {
                    memcpy(c->out.data + c->out.len, line, len);
                    c->out.len += len;
                    c->out.data[c->out.len++] = '\n';
                }
                if (r == 0)
                    continue;
            }
            if (r == SK_EWOULDBLOCK)
                break;
            if (r == SK_ETOOLONG) {
                S->too_long++;
                (void)sk_setoption(c->s, SK_OPT_LINGER, 0);
                s_close(S, i);
                return 0;
            }
            if (r == SK_ECLOSED) {
                c->eof = 1;
                break;
            }
            s_close(S, i); /* reset, or another error */
            return 0;
        }
        if (c->out.len - c->ofirst > S->max_queue)
            S->max_queue = c->out.len - c->ofirst;
    }
    if (c->out.len > c->ofirst) {
        ptrdiff_t last = 0;
        int r = sk_send(c->s, c->out.data + c->ofirst,
                        c->out.len - c->ofirst, 1, -1, &last);
        c->ofirst += (size_t)last;
        if (c->ofirst == c->out.len)
            c->out.len = c->ofirst = 0;
        if (r != 0 && r != SK_EWOULDBLOCK) {
            s_close(S, i);
            return 0;
        }
    }
    if (c->eof && c->out.len == c->ofirst) {
        s_close(S, i);
        return 0;
    }
    s_interest(S, c);
    return 1;
}

static void s_start(ssrv *S)
{
    sk_name n;
    memset(S, 0, sizeof *S);
    sup_selector_new(&S->sel);
    sup_loop_new(&S->clock);
    sup_assert_rc(sk_tcp4(&S->lis), 0);
    sup_assert_rc(sk_bind(S->lis, "127.0.0.1", 0), 0);
    sup_assert_rc(sk_listen(S->lis, 128), 0);
    sup_assert_rc(sk_setblocking(S->lis, 0), 0);
    sup_assert_rc(sk_getsockname(S->lis, &n), 0);
    S->port = n.port;
    sup_assert_rc(sk_selector_add(S->sel, S->lis, SK_READABLE), 0);
}

static void s_step(ssrv *S)
{
    sk_sock *ready[64];
    int events[64];
    size_t n = 0, k;
    int r, i;
    r = sk_selector_wait(S->sel, S->paused ? 0.1 : 0.05, ready, events, 64,
                         &n);
    S->waits++;
    if (S->paused) { /* a wait is over: accept again */
        S->paused = 0;
        (void)sk_selector_set(S->sel, S->lis, SK_READABLE);
    }
    if (r == SK_ETIMEOUT)
        return;
    sup_assert_rc(r, 0);
    for (k = 0; k < n; k++) {
        if (ready[k] == S->lis) {
            if (!S->paused)
                s_accept(S);
            continue;
        }
        for (i = 0; i < MAXCL; i++)
            if (S->cl[i] != NULL && S->cl[i]->s == ready[k])
                break;
        if (i < MAXCL)
            (void)s_io(S, i, events[k]);
    }
}

static void s_stop(ssrv *S)
{
    int i;
    for (i = 0; i < MAXCL; i++)
        if (S->cl[i] != NULL)
            s_close(S, i);
    sk_free(S->lis);
    sk_selector_free(S->sel);
    sk_loop_free(S->clock);
}

/* ---- one run: both kinds of server through the same driver -------------- */

typedef struct server {
    int kind; /* 0 sk_server, 1 sk_selector */
    lsrv l;
    ssrv s;
} server;

static void srv_start(server *v)
{
    if (v->kind == 0)
        l_start(&v->l);
    else
        s_start(&v->s);
}

static void srv_step(server *v)
{
    if (v->kind == 0)
        l_step(&v->l);
    else
        s_step(&v->s);
}

static double srv_now(server *v)
{
    if (v->kind == 0)
        return sk_loop_now(v->l.loop);
    (void)sk_loop_run(v->s.clock, SK_RUN_NOWAIT); /* reads the clock */
    return sk_loop_now(v->s.clock);
}

static long srv_live(server *v)
{
    return v->kind == 0 ? v->l.live : v->s.live;
}

static int srv_port(server *v)
{
    return v->kind == 0 ? v->l.port : v->s.port;
}

static void srv_stop(server *v)
{
    if (v->kind == 0)
        l_stop(&v->l);
    else
        s_stop(&v->s);
}

static const char *srv_name(const server *v)
{
    return v->kind == 0 ? "sk_server" : "sk_selector";
}

#if defined(__linux__)
#  define FDS_COUNTED 1
#else
#  define FDS_COUNTED 0
#endif

#if defined(SOCKIT_TEST_NO_RSS)
#  define RSS_CHECKED 0
#else
#  define RSS_CHECKED 1
#endif

enum { A_ABANDON, A_RESET, A_SLOW, A_NOREAD1, A_NOREAD2, A_LONG, A_BURST,
       A_GOOD, A_COUNT };

static void hostile_run(int kind)
{
    static const sup_thread_fn fns[A_COUNT] = {
        t_abandon, t_reset, t_slowloris, t_noread, t_noread, t_longline,
        t_burst, t_good};
    static const char *const names[A_COUNT] = {
        "abandon", "reset", "slowloris", "noread", "noread", "longline",
        "burst", "good"};
    server v;
    attack at[A_COUNT];
    size_t fds0, fds1, rss0, rss_max = 0;
    double t0;
    long steps = 0;
    int i, all;

    scale_init();
    memset(&v, 0, sizeof v);
    v.kind = kind;
    srv_start(&v);
    fds0 = sup_open_fds();
    rss0 = sup_rss_bytes();
    t0 = srv_now(&v);
    memset(at, 0, sizeof at);
    for (i = 0; i < A_COUNT; i++) {
        at[i].port = srv_port(&v);
        at[i].done = sup_gate_new();
        at[i].wake = kind == 0 ? v.l.loop : NULL; /* the selector's waits
                                                      are bounded */
        at[i].thread = sup_thread_start(fns[i], &at[i]);
    }
    /* Serve until every client is done (their gates), then until every
     * connection is gone; bounded in time only against a hang. */
    do {
        srv_step(&v);
        if ((++steps & 255) == 0) {
            size_t rss = sup_rss_bytes();
            if (rss > rss_max)
                rss_max = rss;
        }
        for (all = 1, i = 0; i < A_COUNT && all; i++)
            all = sup_gate_wait(at[i].done, 0);
        assert_true(srv_now(&v) - t0 < DEADLINE);
    } while (!all || srv_live(&v) > 0);
    for (i = 0; i < A_COUNT; i++) {
        sup_thread_join(at[i].thread);
        sup_gate_free(at[i].done);
    }
    {
        size_t rss = sup_rss_bytes();
        if (rss > rss_max)
            rss_max = rss;
    }
    fds1 = sup_open_fds();

    print_message("%s: %ld server steps, %.2f s\n", srv_name(&v), steps,
                  srv_now(&v) - t0);
    for (i = 0; i < A_COUNT; i++) {
        print_message("  %-9s ok %d failed %d %s", names[i], at[i].ok,
                      at[i].failed, at[i].what);
        if (i == A_NOREAD1 || i == A_NOREAD2)
            print_message(" (%s after %lu KiB)",
                          at[i].stalled ? "stalled" : "never stalled",
                          (unsigned long)(at[i].bytes / 1024));
        print_message("\n");
    }
    print_message("  accepted %ld, lines refused %ld, max write queue %lu, "
                  "max read buffer %lu\n",
                  kind == 0 ? v.l.accepted : v.s.accepted,
                  kind == 0 ? v.l.too_long : v.s.too_long,
                  (unsigned long)(kind == 0 ? v.l.max_queue : v.s.max_queue),
                  (unsigned long)v.l.max_avail);
    print_message("  fds before %lu after %lu; RSS before %lu KiB, max %lu "
                  "KiB (bound +%lu KiB)\n",
                  (unsigned long)fds0, (unsigned long)fds1,
                  (unsigned long)(rss0 / 1024), (unsigned long)(rss_max / 1024),
                  (unsigned long)(RSS_BOUND / 1024));

    /* The well-behaved client got every round trip, the burst came back. */
    assert_int_equal(at[A_GOOD].ok, g_sc.good);
    assert_int_equal(at[A_GOOD].failed, 0);
    assert_int_equal(at[A_BURST].ok, 1);
    /* Attackers got their connections; the server refused every line
     * without end; the no-readers were stopped by backpressure. */
    assert_int_equal(at[A_ABANDON].ok, g_sc.abandon);
    assert_int_equal(at[A_RESET].ok, g_sc.reset);
    assert_int_equal(at[A_SLOW].failed, 0);
    assert_int_equal(at[A_LONG].ok, g_sc.longline);
    assert_int_equal(kind == 0 ? v.l.too_long : v.s.too_long, g_sc.longline);
    assert_true(at[A_NOREAD1].stalled && at[A_NOREAD2].stalled);
    assert_true(at[A_NOREAD1].bytes < NOREAD_MAX);
    if (kind == 0) {
        assert_true(v.l.max_avail <= READ_LIMIT);
        assert_true(v.l.max_queue < QUEUE_HIGH + LINE_LIMIT + 2);
    } else {
        assert_true(v.s.max_queue < QUEUE_HIGH + LINE_LIMIT + 2);
    }
    /* Nothing left: connections and descriptors back to the baseline. */
    assert_int_equal(srv_live(&v), 0);
    if (FDS_COUNTED)
        assert_int_equal(fds1, fds0);
    else
        print_message("  descriptors not compared: /proc/self/fd is "
                      "Linux's\n");
    if (!RSS_CHECKED || sup_under_valgrind())
        print_message("  RSS not bounded: sanitizer or valgrind build\n");
    else if (rss0 == 0)
        print_message("  RSS not bounded: not readable on this system\n");
    else
        assert_true(rss_max <= rss0 + RSS_BOUND);
    srv_stop(&v);
}

static void t_hostile_server(void **state)
{
    (void)state;
    hostile_run(0);
}

static void t_hostile_selector(void **state)
{
    (void)state;
    hostile_run(1);
}

/* ---- descriptors exhausted ------------------------------------------------ */

#define NFULL 8 /* clients waiting in the backlog */

static void exhausted_run(int kind)
{
    server v;
    sk_sock *cl[NFULL], **fill;
    size_t room, fds0;
    int nfill = 0;
    long fails, iters = 0;
    double t0;
    int i, paused_seen = 0;

    if (sup_under_valgrind()) {
        /* valgrind keeps descriptors of its own at the top of the limit
         * and refuses numbers past a lowered one even after it is raised
         * again ("invalid file descriptor"): nothing to learn there. */
        print_message("valgrind emulates the descriptor limit: skipped\n");
        skip();
    }
    memset(&v, 0, sizeof v);
    v.kind = kind;
    srv_start(&v);
    fds0 = sup_open_fds();
    /* Clients that connect (the backlog takes them) but are not accepted
     * yet: then no descriptor is left for the server's accepts. */
    for (i = 0; i < NFULL; i++) {
        sup_assert_rc(sk_tcp4(&cl[i]), 0);
        (void)sk_settimeout(cl[i], SUP_SAFETY_TIMEOUT, 'b');
        sup_assert_rc(sk_connect(cl[i], "127.0.0.1", srv_port(&v)), 0);
    }
    room = sup_fd_limit_lower(1);
    if (room == 0) {
        for (i = 0; i < NFULL; i++)
            sk_free(cl[i]);
        srv_stop(&v);
        print_message("no descriptor limit to lower (Windows): skipped\n");
        skip();
    }
    /* The free numbers below the new limit (holes left by closed
     * descriptors, and the one of headroom) are taken too. */
    fill = (sk_sock **)calloc(room + 1, sizeof *fill);
    assert_non_null(fill);
    while ((size_t)nfill <= room && sk_tcp4(&fill[nfill]) == 0)
        nfill++;
    assert_true(nfill >= 1 && (size_t)nfill <= room); /* then none left */
    /* Iterations with every accept failing: the server pauses. */
    for (iters = 0; iters < 12; iters++) {
        srv_step(&v);
        if (kind == 0) {
            sk_server_stats st;
            sup_assert_rc(sk_server_getstats(v.l.srv, &st), 0);
            paused_seen |= st.paused;
            assert_int_equal((long)st.accepted, 0);
        } else {
            paused_seen |= v.s.paused;
        }
    }
    if (kind == 0) {
        sk_server_stats st;
        sup_assert_rc(sk_server_getstats(v.l.srv, &st), 0);
        fails = (long)st.failed;
    } else {
        fails = v.s.failed;
    }
    for (i = 0; i < nfill; i++)
        sk_free(fill[i]);
    free(fill);
    sup_fd_limit_restore();
    print_message("%s, descriptors exhausted (%d taken to fill): %ld "
                  "iterations, %ld failed accepts, paused %s\n",
                  srv_name(&v), nfill, iters, fails,
                  paused_seen ? "yes" : "no");
    /* Countable, not timed: at most one failed accept per iteration (a
     * server that spun would fail its whole burst each time), and the
     * listener was paused. */
    assert_true(fails >= 1);
    assert_true(fails <= iters);
    assert_true(paused_seen);
    /* Descriptors back: every waiting client is served. */
    t0 = srv_now(&v);
    for (i = 0; i < NFULL; i++) {
        sk_buf b = {NULL, 0, 0};
        sup_assert_rc(sk_send(cl[i], "ping\n", 5, 1, -1, NULL), 0);
        while (!sk_dirty(cl[i])) {
            sk_sock *set[1], *rd[1];
            size_t nr = 0, nw = 0;
            set[0] = cl[i];
            srv_step(&v);
            if (sk_select(set, 1, NULL, 0, 0, rd, &nr, NULL, &nw) == 0)
                break;
            assert_true(srv_now(&v) - t0 < DEADLINE);
        }
        sup_assert_rc(sk_receive(cl[i], &b, SK_LINE, 0), 0);
        sup_assert_bufstr(&b, "ping");
        sk_buf_free(&b);
    }
    for (i = 0; i < NFULL; i++)
        sk_free(cl[i]);
    while (srv_live(&v) > 0) {
        srv_step(&v);
        assert_true(srv_now(&v) - t0 < DEADLINE);
    }
    if (kind == 0) {
        sk_server_stats st;
        sup_assert_rc(sk_server_getstats(v.l.srv, &st), 0);
        assert_int_equal((long)st.accepted, NFULL);
    } else {
        assert_int_equal(v.s.accepted, NFULL);
    }
    if (FDS_COUNTED)
        assert_int_equal(sup_open_fds(), fds0);
    srv_stop(&v);
}

static void t_exhausted_server(void **state)
{
    (void)state;
    exhausted_run(0);
}

static void t_exhausted_selector(void **state)
{
    (void)state;
    exhausted_run(1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_hostile_server),
        cmocka_unit_test(t_hostile_selector),
        cmocka_unit_test(t_exhausted_server),
        cmocka_unit_test(t_exhausted_selector),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
