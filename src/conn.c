/* SPDX-License-Identifier: MIT */
/*
 * conn.c - sk_conn, TcpSocket on an sk_loop: life and settings, the
 * handlers and the state changes, the read buffer (an sk_buf filled by
 * sockit's receive engine), the write queue, disconnect and abort.  The
 * connection's sk_sock object (sk_conn_sock) carries options, line limit
 * and statistics; connecting and binding are in conn_connect.c.
 */
#include "sockit_int.h"

#include <stdlib.h>
#include <string.h>

#define SK__CONN_ROUND ((size_t)1 << 18) /* bytes read per readiness */
#define SK__CONN_CHUNK ((size_t)65536)   /* room offered to each read */
#define SK__CONN_POOL 1024       /* spare queues a loop keeps, at most */
#define SK__CONN_POOLED 4096     /* ... each with at most this much room */

/* ---- lifetime, handlers, states ----------------------------------------- */

static const sk_conn_handlers conn_no_handlers; /* every one NULL */
static const sk__conn_cfg conn_cfg_defaults = {NULL, NULL, -1, 0.25, 30,
                                                NULL, 0, NULL};

const sk__conn_cfg *sk__conn_cfg_of(const sk_conn *c)
{
    return c->cfg != NULL ? c->cfg : &conn_cfg_defaults;
}

/* c lets go of its handler set: the set goes with its last connection. */
static void conn_h_release(sk_conn *c)
{
    sk__hset **pp, *hs;
    if (c->h == &conn_no_handlers)
        return;
    for (pp = &c->w.loop->hsets; (hs = *pp) != NULL; pp = &hs->next) {
        if (&hs->h == c->h) {
            if (--hs->refs == 0) {
                *pp = hs->next;
                sk__free(hs);
            }
            break;
        }
    }
    c->h = &conn_no_handlers;
    c->bw = 0;
}

static void conn_q_free(sk__connq *q)
{
    sk__free(q->held);
    sk_buf_free(&q->rb);
    sk_buf_free(&q->wb);
    sk__free(q);
}

static void conn_destroy(sk_conn *c)
{
    if (c->q != NULL)
        conn_q_free(c->q);
    sk__free(c->cfg);
    sk__watch_embed_free(&c->w); /* the block (at the dispatch's end) */
}

/* c's queues, made when it has none (the loop's spare first), or NULL
 * when there is no memory. */
static sk__connq *conn_q_need(sk_conn *c)
{
    sk__connq *q = c->q;
    if (q == NULL) {
        sk_loop *loop = c->w.loop;
        q = loop->conn_spare;
        if (q != NULL) {
            loop->conn_spare = NULL;
        } else if ((q = loop->conn_pool) != NULL) {
            loop->conn_pool = q->next;
            loop->npool--;
        } else if ((q = (sk__connq *)sk__calloc(1, sizeof *q)) == NULL) {
            return NULL;
        }
        c->q = q;
    }
    return q;
}

/* When c's queues hold nothing (no byte unread, queued or unreported),
 * hand them to the loop as the spare that the next connection to read or
 * queue starts with, their buffers kept (one spare per loop: the one with
 * the larger read buffer stays), so that an idle connection holds no
 * queues and a busy one allocates none per round trip.  c->q is not
 * NULL. */
static SK__NOINLINE void conn_q_spare(sk_loop *loop, sk__connq *q)
{
    if (loop->conn_spare->rb.cap < q->rb.cap) {
        sk__connq *t = loop->conn_spare;
        loop->conn_spare = q;
        q = t;
    }
    /* The other one joins the loop's pool while it is small and the pool
     * short (completion mode: each connection holds its queues until its
     * send's completion, so that many are in use at once), else goes. */
    if (q->rb.cap + q->wb.cap <= SK__CONN_POOLED &&
        loop->npool < SK__CONN_POOL) {
        q->next = loop->conn_pool;
        loop->conn_pool = q;
        loop->npool++;
        return;
    }
    conn_q_free(q);
}

/* conn_q_idle once the read buffer was emptied (q is c->q).  Nothing is
 * queued exactly when wb.len is 0 (wfirst is then 0 too: whoever empties
 * the write queue sets both). */
SK__INLINE void conn_q_drained(sk_conn *c, sk__connq *q)
{
    q->rb.len = q->rfirst = 0;
    if ((q->wb.len | q->unreported) != 0)
        return;
    c->q = NULL;
    if (c->w.loop->conn_spare == NULL)
        c->w.loop->conn_spare = q;
    else
        conn_q_spare(c->w.loop, q);
}

static void conn_q_idle(sk_conn *c)
{
    sk__connq *q = c->q;
    if (q->rfirst == q->rb.len)
        conn_q_drained(c, q);
}

/* Bytes unread, bytes queued (not sent yet). */
SK__INLINE size_t conn_avail(const sk_conn *c)
{
    return c->q != NULL ? c->q->rb.len - c->q->rfirst : 0;
}

SK__INLINE size_t conn_queued(const sk_conn *c)
{
    return c->q != NULL ? c->q->wb.len - c->q->wfirst : 0;
}

void sk__conn_q_clear(sk_conn *c, int unread)
{
    if (c->q != NULL) {
        if (unread)
            c->q->rb.len = c->q->rfirst = 0;
        c->q->wb.len = c->q->wfirst = 0;
        c->q->unreported = 0;
        /* (a send in flight: its registration is gone, which cancelled
         * it or let it go at once: the callers drop the socket first) */
        sk__conn_ring_sent(c->q);
        conn_q_idle(c);
    }
}

void sk__conn_hold(sk_conn *c)
{
    c->depth++;
}

int sk__conn_release(sk_conn *c)
{
    c->depth--;
    if (!c->freed)
        return 0;
    if (c->depth == 0)
        conn_destroy(c);
    return 1;
}

/* After a handler: stop when c was freed or its state changed. */
static int conn_after(sk_conn *c, uint16_t epoch)
{
    if (sk__conn_release(c))
        return 1;
    return c->epoch != epoch;
}

void sk__conn_record(sk_conn *c, int code)
{
    c->code = (int8_t)code;
}

int sk__conn_set_state(sk_conn *c, int state)
{
    uint16_t epoch = ++c->epoch;
    c->state = (unsigned char)state;
    if (c->h->state_changed == NULL)
        return 0;
    sk__conn_hold(c);
    c->h->state_changed(c, state, c->w.ud);
    return conn_after(c, epoch);
}

int sk__conn_emit_error(sk_conn *c, int code)
{
    uint16_t epoch = c->epoch;
    sk__conn_record(c, code);
    if (c->h->error == NULL)
        return 0;
    sk__conn_hold(c);
    c->h->error(c, sk_conn_errcode(code), c->w.ud);
    return conn_after(c, epoch);
}

int sk__conn_emit_simple(sk_conn *c, void (*fn)(sk_conn *c, void *ud))
{
    uint16_t epoch = c->epoch;
    if (fn == NULL)
        return 0;
    sk__conn_hold(c);
    fn(c, c->w.ud);
    return conn_after(c, epoch);
}

static int conn_emit_count(sk_conn *c,
                           void (*fn)(sk_conn *c, size_t n, void *ud),
                           size_t n)
{
    uint16_t epoch = c->epoch;
    if (fn == NULL)
        return 0;
    sk__conn_hold(c);
    fn(c, n, c->w.ud);
    return conn_after(c, epoch);
}

int sk__conn_timer(sk_conn *c, sk_timer **t, double after, sk_timer_cb cb)
{
    if (*t == NULL) {
        int r = sk_timer_new(c->w.loop, t);
        if (r != 0)
            return r;
    }
    return sk_timer_start(*t, after, 0, cb, c);
}

static void conn_timer_stop(sk_timer *t)
{
    if (t != NULL)
        (void)sk_timer_stop(t);
}

static void conn_io(sk_watch *w, int events, void *ud);

static sk_conn *conn_alloc(sk_loop *loop, sk_sock *s)
{
    sk_conn *c = (sk_conn *)sk__calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    sk__watch_embed_init(&c->w, loop, s, conn_io);
    c->h = &conn_no_handlers;
    c->state = SK_CONN_UNCONNECTED;
    (void)sk_setblocking(s, 0);
    return c;
}

SK_API int sk_conn_new(sk_loop *loop, sk_conn **out)
{
    sk_sock *s = NULL;
    int r;
    if (out != NULL)
        *out = NULL;
    if (loop == NULL || out == NULL)
        return SK_EINVAL;
    r = sk_tcp(&s); /* socket-less until a bind or an attempt */
    if (r != 0)
        return r;
    *out = conn_alloc(loop, s);
    if (*out == NULL) {
        sk_free(s);
        return SK_ENORESOURCES;
    }
    return 0;
}

void sk__conn_drop_socket(sk_conn *c, int abortive)
{
    sk_sock *s = c->w.sock;
    sk__watch_embed_stop(&c->w);
    c->interest = 0;
    if (s->extra != NULL) { /* TLS: close_notify unless aborting */
        if (abortive)
            s->shut |= 2;
        sk__tls_drop(s);
    }
    if (s->fd != SK_FD_INVALID) {
        if (abortive) /* linger 0: the peer sees a reset */
            (void)sk__plat_setopt(s->fd, SK_OPT_LINGER, 0, NULL);
        sk__plat_close(s->fd);
    }
    /* A socket-less dual-stack master again, options kept. */
    s->fd = SK_FD_INVALID;
    s->role = SK_ROLE_MASTER;
    s->family = SK__AF_UNSPEC;
    s->dual = 1;
    s->bound = 0;
    s->connecting = 0;
    s->shut = s->linewait = 0;
    s->rfirst = s->rlast = 0;
    c->eof = c->eof_done = c->shut = 0;
    c->rerr = 0;
}

SK_API void sk_conn_free(sk_conn *c)
{
    int live;
    if (c == NULL || c->freed)
        return;
    live = c->state == SK_CONN_CONNECTED || c->state == SK_CONN_CLOSING;
    c->freed = 1;
    sk__conn_stop_connect(c);
    sk__conn_cx_free(c);
    if (c->cfg != NULL) {
        sk_timer_free(c->cfg->tm_close);
        c->cfg->tm_close = NULL;
    }
    sk__conn_drop_socket(c, live);
    sk_free(c->w.sock);
    c->w.sock = NULL;
    conn_h_release(c); /* no handler runs from now on */
    if (c->depth == 0)
        conn_destroy(c);
}

SK_API int sk_conn_sethandlers(sk_conn *c, const sk_conn_handlers *h,
                               void *ud)
{
    sk__hset *hs = NULL;
    if (c == NULL)
        return SK_EINVAL;
    if (h != NULL && memcmp(h, &conn_no_handlers, sizeof *h) != 0) {
        /* The loop's copy of this set, made when it has none yet. */
        for (hs = c->w.loop->hsets; hs != NULL; hs = hs->next)
            if (memcmp(&hs->h, h, sizeof *h) == 0)
                break;
        if (hs == NULL) {
            hs = (sk__hset *)sk__malloc(sizeof *hs);
            if (hs == NULL)
                return SK_ENORESOURCES;
            hs->h = *h;
            hs->refs = 0;
            hs->next = c->w.loop->hsets;
            c->w.loop->hsets = hs;
        }
        hs->refs++; /* before the old set goes: it may be this one */
    }
    conn_h_release(c);
    if (hs != NULL)
        c->h = &hs->h;
    c->bw = c->h->bytes_written != NULL ? 1u : 0u;
    c->w.ud = ud;
    return 0;
}

sk__conn_cfg *sk__conn_cfg_need(sk_conn *c)
{
    if (c->cfg == NULL) {
        c->cfg = (sk__conn_cfg *)sk__malloc(sizeof *c->cfg);
        if (c->cfg != NULL)
            *c->cfg = conn_cfg_defaults;
    }
    return c->cfg;
}

SK_API int sk_conn_setresolver(sk_conn *c, sk_conn_resolver fn, void *ud)
{
    sk__conn_cfg *cfg;
    if (c == NULL)
        return SK_EINVAL;
    if (fn == NULL && c->cfg == NULL)
        return 0; /* the system's already */
    cfg = sk__conn_cfg_need(c);
    if (cfg == NULL)
        return SK_ENORESOURCES;
    cfg->resolver = fn;
    cfg->resolver_ud = fn != NULL ? ud : NULL;
    return 0;
}

SK_API int sk_conn_settimeout(sk_conn *c, double seconds, char mode)
{
    int64_t ms = -1;
    double *t;
    if (c == NULL || sk__timeout_ms(seconds, &ms) != 0)
        return SK_EINVAL;
    if (ms < 0)
        seconds = -1; /* negative or +inf: no limit */
    if (mode != 'c' && mode != 'd' && mode != 'l')
        return SK_EINVAL;
    if (c->cfg == NULL) {
        const sk__conn_cfg *d = &conn_cfg_defaults;
        if (seconds == (mode == 'c' ? d->t_connect
                        : mode == 'd' ? d->t_delay
                                      : d->t_linger))
            return mode == 'c' ? sk__conn_accept_limit(c) : 0;
        if (sk__conn_cfg_need(c) == NULL)
            return SK_ENORESOURCES;
    }
    t = mode == 'c' ? &c->cfg->t_connect
        : mode == 'd' ? &c->cfg->t_delay
                      : &c->cfg->t_linger;
    *t = seconds;
    /* 'c': (0 unless accepted and ENCRYPTING) */
    return mode == 'c' ? sk__conn_accept_limit(c) : 0;
}

SK_API int sk_conn_gettimeout(const sk_conn *c, char mode, double *seconds)
{
    if (c == NULL || seconds == NULL)
        return SK_EINVAL;
    switch (mode) {
    case 'c':
        *seconds = sk__conn_cfg_of(c)->t_connect;
        return 0;
    case 'd':
        *seconds = sk__conn_cfg_of(c)->t_delay;
        return 0;
    case 'l':
        *seconds = sk__conn_cfg_of(c)->t_linger;
        return 0;
    default:
        return SK_EINVAL;
    }
}

/* ---- I/O on the loop ------------------------------------------------------ */

/* Whether bytes may still arrive. */
static int conn_may_receive(const sk_conn *c)
{
    switch (c->state) {
    case SK_CONN_HOST_LOOKUP:
    case SK_CONN_CONNECTING:
        return 1;
    case SK_CONN_CONNECTED:
    case SK_CONN_CLOSING:
        return !c->eof && !c->rerr;
    default:
        return 0;
    }
}

/* Set the watch's interest from what the connection needs now.  Callers
 * skip it where nothing it looks at changed (a read without a read limit,
 * a write that went out whole with nothing queued). */
static int conn_ring(const sk_conn *c);

static void conn_update(sk_conn *c)
{
    sk_watch *w = SK__CONN_W(c);
    int want = 0;
    if (w == NULL)
        return;
    if (c->state == SK_CONN_CONNECTED || c->state == SK_CONN_CLOSING) {
        int inflight = c->q != NULL && c->q->inflight != 0;
        if (!c->eof && !c->rerr &&
            (!c->limited || conn_avail(c) < c->cfg->readlimit))
            want |= SK_READABLE;
        /* Writable also stands for "come back next iteration": to report
         * bytes_written, to handle an error or end of stream seen while a
         * handler changed things, to end the flush of CLOSING.  (A send
         * in flight comes back by its completion.) */
        if ((conn_queued(c) != 0 && !inflight) ||
            (c->q != NULL && c->q->unreported) || c->rerr ||
            (c->eof && !c->eof_done) ||
            (c->state == SK_CONN_CLOSING && !c->shut && !inflight))
            want |= SK_WRITABLE;
        if (conn_ring(c))
            want |= SK__WAIT_RECV; /* completion mode */
        else if (want == 0 && inflight)
            want = SK_WRITABLE; /* (registered until its completion) */
    } else if (c->state == SK_CONN_ENCRYPTING) {
        want = sk__tls_want(c->w.sock); /* what the handshake waits for */
    }
    if (want != (int)(c->interest | (w->events & SK__WAIT_RECV)) &&
        sk__watch_set(w, want) == 0)
        c->interest = (unsigned)want & 3u;
}

/* The connection is over: close its socket (gracefully), then
 * state_changed(UNCONNECTED) and, when it was established, disconnected. */
static int conn_finish(sk_conn *c, int abortive)
{
    int was = c->state;
    if (c->cfg != NULL)
        conn_timer_stop(c->cfg->tm_close);
    /* The socket before the queues: in completion mode, removing its
     * registration submits a send still queued for the next wait before
     * it cancels it (plat.h, sk__poller_io), and that send reads the
     * queue's bytes (wb's, or the held block's) as it goes. */
    sk__conn_drop_socket(c, abortive);
    sk__conn_q_clear(c, 0);
    if (sk__conn_set_state(c, SK_CONN_UNCONNECTED))
        return 1;
    if (was == SK_CONN_CONNECTED || was == SK_CONN_CLOSING)
        return sk__conn_emit_simple(c, c->h->disconnected);
    return 0;
}

/* A reset, or a send that failed: report it, then the connection ends. */
static int conn_broken(sk_conn *c, int code)
{
    c->rerr = 0;
    if (sk__conn_emit_error(c, code))
        return 1;
    return conn_finish(c, 0);
}

/* The peer's end of stream was read. */
static int conn_peer_closed(sk_conn *c)
{
    c->eof_done = 1;
    if (c->state == SK_CONN_CONNECTED) {
        /* TcpSocket: the error while still CONNECTED, then the close. */
        if (sk__conn_emit_error(c, SK_ECLOSED))
            return 1;
        if (conn_queued(c) != 0) {
            /* The peer may only have shut its sending side: flush. */
            if (sk__conn_set_state(c, SK_CONN_CLOSING))
                return 1;
            conn_update(c);
            return 0;
        }
        return conn_finish(c, 0);
    }
    if (c->state == SK_CONN_CLOSING && c->shut)
        return conn_finish(c, 0); /* flushed: this is what we waited for */
    return 0;                     /* still flushing; its end closes */
}

static void conn_compact(sk_buf *b, size_t *first)
{
    if (*first == 0)
        return;
    if (*first == b->len) {
        b->len = *first = 0;
    } else if (*first >= b->len / 2) {
        memmove(b->data, b->data + *first, b->len - *first);
        b->len -= *first;
        *first = 0;
    }
}

/* Whether the connection's socket is a plain established stream that the
 * loop writes with the system's calls directly (as sk_send does, without
 * its slicing and timeouts: the socket is non-blocking): no TLS, no
 * connect to settle. */
SK__INLINE int conn_plain_send(const sk_sock *s)
{
    return !(s->connecting | s->tls) && s->role == SK_ROLE_CLIENT;
}

/* ... and reads so (as sk_read does): nothing buffered in the object
 * either (never, unless its user read from it: kept correct). */
SK__INLINE int conn_plain(const sk_sock *s)
{
    return conn_plain_send(s) && s->rfirst == s->rlast;
}

/* Whether c reads and writes in completion mode (conn_ring.c): its loop's
 * poller has completions, its socket is plain, no read limit (which the
 * poller's receives would overrun).  TLS and everything else stay with
 * readiness. */
static int conn_ring(const sk_conn *c)
{
    return c->w.loop->poller->io != NULL && !c->limited &&
           conn_plain(c->w.sock);
}

/* One read of the connection's socket into dst (room > 0), counted in the
 * object's statistics. */
static int conn_recv(sk_conn *c, char *dst, size_t room, size_t *n)
{
    sk_sock *s = c->w.sock;
    ptrdiff_t k;
    int sys = 0, r;
    if (!conn_plain(s))
        return sk_read(s, dst, room, n); /* TLS */
    k = sk__plat_recv1(s->fd, dst, room);
    if (k > 0) {
        *n = (size_t)k;
        s->nrecv += (size_t)k;
        return 0;
    }
    *n = 0;
    r = k == 0 ? SK_ECLOSED : sk__plat_recv_fail(&sys);
    sk__sys_set(s, sys);
    return r;
}

/* One send of the connection's socket (len > 0), counted in the
 * statistics.  One call: when it takes less, the rest waits for
 * writability anyway. */
static int conn_send(sk_conn *c, const char *p, size_t len, size_t *n)
{
    sk_sock *s = c->w.sock;
    ptrdiff_t k;
    int sys = 0, r;
    if (!conn_plain_send(s)) {
        ptrdiff_t last = 0; /* TLS: through its records */
        r = sk_send(s, p, len, 1, -1, &last);
        *n = (size_t)last;
        return r;
    }
    k = sk__plat_send1(s->fd, p, len);
    if (k >= 0) {
        *n = (size_t)k;
        s->nsent += (size_t)k;
        return 0;
    }
    *n = 0;
    r = sk__plat_send_fail(&sys);
    sk__sys_set(s, sys);
    return r;
}

/* Make the read buffer ready for the reads of one readiness: the queues
 * made if needed (the loop's spare first); empty, it starts over; else
 * what was taken from its front goes.  Returns 0 or SK_ENORESOURCES. */
static int conn_rb_prepare(sk_conn *c)
{
    sk__connq *q = conn_q_need(c);
    if (q == NULL)
        return SK_ENORESOURCES;
    if (q->rfirst == q->rb.len)
        q->rb.len = q->rfirst = 0;
    else
        conn_compact(&q->rb, &q->rfirst);
    return 0;
}

/* Read what the socket has (within a round and the read limit) into the
 * read buffer (c->q made), got bytes of this readiness being there
 * already.  Returns the last read's code; *got: the bytes of this
 * readiness. */
static int conn_fill(sk_conn *c, size_t *got)
{
    sk__connq *q = c->q;
    int r = 0;
    while (*got < SK__CONN_ROUND) {
        size_t room, len0 = q->rb.len, n;
        if (c->limited) {
            if (conn_avail(c) >= c->cfg->readlimit)
                break;
        }
        if (q->rb.cap - q->rb.len < SK__CONN_CHUNK) {
            r = sk_buf_reserve(&q->rb, SK__CONN_CHUNK);
            if (r != 0)
                break;
        }
        room = q->rb.cap - q->rb.len;
        if (c->limited && room > c->cfg->readlimit - conn_avail(c))
            room = c->cfg->readlimit - conn_avail(c);
        n = 0;
        r = conn_recv(c, q->rb.data + len0, room, &n);
        q->rb.len = len0 + n;
        *got += n;
        if (r != 0 || n < room)
            break; /* the system had no more for now */
    }
    return r;
}

/* After the reads of one readiness (the last one's code r, got bytes in
 * all): record the end of stream or an error, then tell ready_read. */
static int conn_read_end(sk_conn *c, int r, size_t got)
{
    if (r == SK_ECLOSED)
        c->eof = 1;
    else if (r != 0 && r != SK_EWOULDBLOCK)
        c->rerr = (int8_t)r;
    if (got > 0)
        return conn_emit_count(c, c->h->ready_read, conn_avail(c));
    if (c->q != NULL)
        conn_q_idle(c);
    return 0;
}

/* CLOSING waited for the peer's close long enough. */
static void conn_linger(sk_timer *t, void *ud)
{
    sk_conn *c = (sk_conn *)ud;
    (void)t;
    if (c->state == SK_CONN_CLOSING)
        (void)conn_finish(c, 0);
}

/* Send what is queued; report progress; end the flush of CLOSING. */
static int conn_on_write(sk_conn *c)
{
    sk__connq *q = c->q;
    size_t n = 0;
    int r = 0;
    if (q != NULL) {
        if (q->wfirst < q->wb.len && q->inflight == 0 &&
            (!(c->w.events & SK__WAIT_RECV) || sk__conn_ring_send(c) != 0)) {
            size_t last = 0;
            r = conn_send(c, q->wb.data + q->wfirst, q->wb.len - q->wfirst,
                          &last);
            q->wfirst += last;
            q->unreported += last;
            if (q->wfirst == q->wb.len) {
                q->wb.len = q->wfirst = 0;
                if (q->wb.cap > SK__CONN_CHUNK) /* a large queue drained: */
                    sk_buf_free(&q->wb); /* not kept while idle */
            }
        }
        n = q->unreported;
        q->unreported = 0;
        conn_q_idle(c); /* (q may be gone) */
    }
    if (n != 0 && conn_emit_count(c, c->h->bytes_written, n))
        return 1;
    if (r != 0 && r != SK_EWOULDBLOCK)
        return conn_broken(c, r);
    if (c->state == SK_CONN_CLOSING && !c->shut && conn_queued(c) == 0) {
        /* Every byte is with the system: the peer reads our end of stream
         * after them.  Then wait for its close (bytes it still sends are
         * delivered), within the linger time. */
        (void)sk_shutdown(c->w.sock, SK_SHUT_SEND);
        c->shut = 1;
        if (c->eof)
            return conn_finish(c, 0);
        double linger = sk__conn_cfg_of(c)->t_linger;
        if (linger >= 0 &&
            (sk__conn_cfg_need(c) == NULL ||
             sk__conn_timer(c, &c->cfg->tm_close, linger, conn_linger) != 0))
            return conn_finish(c, 0);
    }
    return 0;
}

/* A client's connect is over (ENCRYPTING ended, or never began): its
 * connect-time block goes, with the connect timeout that covered the
 * handshake (conn_connect.c's conn_win kept it). */
static void conn_connect_over(sk_conn *c)
{
    if (SK__CX(c) != NULL) {
        sk__conn_stop_connect(c);
        sk__conn_cx_done(c);
    }
}

/* ENCRYPTING: one more step of the TLS handshake; when it is done, the
 * connection is CONNECTED (connected handler); when it failed, the error
 * handler hears why and the connection ends. */
static int conn_handshake(sk_conn *c)
{
    int r = sk_tls_handshake(c->w.sock);
    if (r == SK_EWOULDBLOCK) {
        conn_update(c);
        return 0;
    }
    conn_connect_over(c);
    if (r != 0) {
        if (sk__conn_emit_error(c, r))
            return 1;
        return conn_finish(c, 0);
    }
    if (sk__conn_set_state(c, SK_CONN_CONNECTED))
        return 1;
    conn_update(c);
    return sk__conn_emit_simple(c, c->h->connected);
}

/* After the reads (if any) of one readiness: an error or the end of the
 * stream to handle, writing, then the interest. */
static void conn_io_rest(sk_conn *c, int events)
{
    if (c->rerr) {
        conn_broken(c, c->rerr);
        return;
    }
    if (c->eof && !c->eof_done) {
        if (conn_peer_closed(c))
            return;
    }
    if (events & (SK_WRITABLE | SK_ERRORED)) {
        if (conn_on_write(c))
            return;
    }
    if (c->interest == SK_READABLE && c->state == SK_CONN_CONNECTED &&
        (c->q == NULL || (c->q->wfirst == c->q->wb.len &&
                          c->q->unreported == 0)) &&
        !c->eof && !c->rerr && !c->limited)
        return; /* reading on, and nothing else to do */
    conn_update(c);
}

/* conn_io but for its common case: the handshake, reading within a limit
 * or after unread bytes, errors, the end of the stream, writing. */
static SK__NOINLINE void conn_io_any(sk_conn *c, int events)
{
    if (c->state != SK_CONN_CONNECTED && c->state != SK_CONN_CLOSING) {
        if (c->state == SK_CONN_ENCRYPTING) /* TLS: the handshake's turn */
            (void)conn_handshake(c);
        return;
    }
    if ((events & (SK_READABLE | SK_ERRORED)) &&
        (c->interest & SK_READABLE) &&
        ((events & SK_READABLE) || !(c->w.events & SK__WAIT_RECV))) {
        /* (in completion mode the receive says what went wrong) */
        size_t got = 0;
        int r = conn_rb_prepare(c);
        if (r == 0)
            r = conn_fill(c, &got);
        if (conn_read_end(c, r, got))
            return;
    }
    conn_io_rest(c, events);
}

/* conn_io's first read brought nothing (k 0: the end of the stream; k -1:
 * sk__plat_recv_fail says why) or filled the buffer (k: its size, more
 * may wait): go on as conn_io_any does after such a read. */
static SK__NOINLINE void conn_io_odd(sk_conn *c, int events, ptrdiff_t k)
{
    size_t got = 0;
    int r;
    if (k > 0) {
        c->q->rb.len = got = (size_t)k;
        c->w.sock->nrecv += (size_t)k;
        r = conn_fill(c, &got);
    } else {
        int sys = 0;
        r = k == 0 ? SK_ECLOSED : sk__plat_recv_fail(&sys);
        sk__sys_set(c->w.sock, sys);
    }
    if (conn_read_end(c, r, got))
        return;
    conn_io_rest(c, events);
}

/* A completion (plat.h's sk__poller_io) of c's in completion mode: bytes
 * received (copied into the read buffer: the poller takes its buffer back
 * at its next wait), the end of the stream or a receive's error; a send
 * that is over (the rest of the queue goes next).  Then on as after a
 * readiness.  A connection that ended meanwhile lets them go. */
static SK__NOINLINE void conn_ring_event(sk_conn *c, int events,
                                         const sk__pollout *e)
{
    sk__poller *p = c->w.loop->poller;
    size_t got = 0;
    int r = 0;
    if (c->state != SK_CONN_CONNECTED && c->state != SK_CONN_CLOSING)
        return;
    if (events & SK__WAIT_SENT) {
        sk__connq *q = c->q;
        if (q == NULL || q->inflight == 0)
            return; /* (its queue was dropped) */
        sk__conn_ring_sent(q);
        if (events & SK__WAIT_ERROR) {
            sk__sys_set(c->w.sock, (int)e->n);
            (void)conn_broken(c, p->io->code((int)e->n));
            return;
        }
        q->wfirst += e->n;
        q->unreported += e->n;
        c->w.sock->nsent += e->n;
        if (q->wfirst == q->wb.len) {
            q->wb.len = q->wfirst = 0;
            if (q->wb.cap > SK__CONN_CHUNK) /* a large queue drained: */
                sk_buf_free(&q->wb);        /* not kept while idle */
        }
        /* the rest, bytes_written, the end of CLOSING's flush */
        if (conn_on_write(c))
            return;
        if (c->state != SK_CONN_CONNECTED ||
            (conn_queued(c) != 0 && c->q->inflight == 0))
            conn_update(c); /* (else the interest stands) */
        return;
    }
    if (events & SK__WAIT_ERROR) {
        sk__sys_set(c->w.sock, (int)e->n);
        r = p->io->code((int)e->n);
    } else if (e->n == 0) {
        r = SK_ECLOSED;
    } else {
        r = conn_rb_prepare(c);
        if (r == 0 && c->q->rb.cap - c->q->rb.len < e->n) /* (no room) */
            r = sk_buf_reserve(&c->q->rb, e->n);
        if (r == 0) {
            memcpy(c->q->rb.data + c->q->rb.len, p->io->data(p, e), e->n);
            c->q->rb.len += e->n;
            c->w.sock->nrecv += e->n;
            got = e->n;
        }
    }
    if (conn_read_end(c, r, got))
        return;
    if (r == 0 && !c->rerr && !c->eof && c->state == SK_CONN_CONNECTED)
        return; /* receiving on; what the handler did set its interest */
    conn_io_rest(c, 0);
}

/* The watch's callback.  The common case first, one test of each
 * condition: only readable, CONNECTED, nothing unread and no read limit,
 * a plain socket; one read into the (spare) buffer that brings bytes
 * without filling it; ready_read.  Nothing else then needs doing: the
 * interest (reading) stands, and whatever the handler did set its own. */
static void conn_io(sk_watch *w, int events, void *ud)
{
    sk_conn *c = (sk_conn *)(void *)w; /* (its first member) */
    sk_sock *s = c->w.sock;
    sk__connq *q;
    ptrdiff_t k;
    if (events != SK_READABLE || c->state != SK_CONN_CONNECTED ||
        c->q != NULL || c->limited || !conn_plain(s)) {
        if (events & SK__WAIT_IO)
            conn_ring_event(c, events, (const sk__pollout *)ud);
        else
            conn_io_any(c, events);
        return;
    }
    q = c->w.loop->conn_spare;
    if (q == NULL || q->rb.data == NULL) {
        /* the first read: conn_rb_prepare and conn_fill make them */
        conn_io_any(c, events);
        return;
    }
    c->q = q; /* take the loop's spare (it holds nothing) */
    c->w.loop->conn_spare = NULL;
    k = sk__plat_recv1(s->fd, q->rb.data, q->rb.cap);
    if (k <= 0 || (size_t)k == q->rb.cap) {
        conn_io_odd(c, events, k);
        return;
    }
    q->rb.len = (size_t)k;
    s->nrecv += (size_t)k;
    if (c->h->ready_read != NULL) { /* conn_emit_count, nothing after it */
        c->depth++;
        c->h->ready_read(c, (size_t)k, c->w.ud);
        if (--c->depth == 0 && c->freed)
            conn_destroy(c);
    }
}

int sk__conn_established(sk_conn *c)
{
    int r = sk__watch_embed_start(&c->w);
    c->interest = 0;
    if (r != 0) {
        conn_connect_over(c);
        sk__conn_drop_socket(c, 0);
        sk__conn_q_clear(c, 0);
        if (sk__conn_emit_error(c, r))
            return 1;
        sk__conn_q_clear(c, 0); /* written by the error handler */
        return sk__conn_set_state(c, SK_CONN_UNCONNECTED);
    }
    c->eof = c->eof_done = c->shut = 0;
    c->rerr = 0;
    if (c->w.sock->extra != NULL && c->w.sock->extra->conntls != NULL) {
        r = sk_tls_start(c->w.sock, c->w.sock->extra->conntls,
                         c->w.sock->extra->conntlshost);
        if (r == SK_EWOULDBLOCK) { /* the usual case: on the loop */
            if (sk__conn_set_state(c, SK_CONN_ENCRYPTING))
                return 1;
            conn_update(c);
            return 0;
        }
        conn_connect_over(c);
        if (r != 0) {
            if (sk__conn_emit_error(c, r))
                return 1;
            return conn_finish(c, 0);
        }
    }
    if (sk__conn_set_state(c, SK_CONN_CONNECTED))
        return 1;
    conn_update(c);
    return sk__conn_emit_simple(c, c->h->connected);
}

int sk__conn_accepted(sk_loop *loop, sk_sock *s, sk_conn **out)
{
    sk_conn *c = conn_alloc(loop, s);
    int r;
    *out = NULL;
    if (c == NULL)
        return SK_ENORESOURCES;
    r = sk__watch_embed_start(&c->w);
    if (r != 0) {
        sk__free(c);
        return r;
    }
    /* A TLS listener's client: the handshake first (see sk_conn_settls) */
    c->state = (unsigned char)(s->tls ? SK_CONN_ENCRYPTING
                                      : SK_CONN_CONNECTED);
    conn_update(c);
    *out = c;
    return 0;
}

/* ---- the public calls ----------------------------------------------------- */

SK_API int sk_conn_disconnect(sk_conn *c)
{
    if (c == NULL)
        return SK_EINVAL;
    switch (c->state) {
    case SK_CONN_CONNECTED:
        /* The flush, the shutdown and the close follow from the loop. */
        if (sk__conn_set_state(c, SK_CONN_CLOSING))
            return 0;
        conn_update(c);
        return 0;
    case SK_CONN_HOST_LOOKUP:
    case SK_CONN_CONNECTING:
    case SK_CONN_ENCRYPTING:
    case SK_CONN_BOUND:
        return sk_conn_abort(c);
    default:
        return 0;
    }
}

SK_API int sk_conn_abort(sk_conn *c)
{
    int was;
    if (c == NULL)
        return SK_EINVAL;
    was = c->state;
    if (was == SK_CONN_UNCONNECTED)
        return 0;
    sk__conn_stop_connect(c);
    sk__conn_cx_done(c);
    (void)conn_finish(c, was == SK_CONN_CONNECTED || was == SK_CONN_CLOSING);
    return 0;
}

/* Whether c's writes queue for the loop's next wait: c is in completion
 * mode and the loop dispatches a wait of several completions (else they
 * are offered to the system at once). */
SK__INLINE int conn_ring_batched(const sk_conn *c)
{
    return (c->w.events & SK__WAIT_RECV) && c->w.loop->batched;
}

/* In completion mode, what a write queued after offering its bytes to
 * the system goes as a send on the ring (the socket had no room: the
 * send completes once it has). */
static void conn_ring_rest(sk_conn *c)
{
    if ((c->w.events & SK__WAIT_RECV) && c->state == SK_CONN_CONNECTED &&
        !c->rerr)
        (void)sk__conn_ring_send(c);
}

/* sk_conn_write but for its common case: the checks, a queue, TLS,
 * bytes_written to tell. */
static SK__NOINLINE int conn_write_any(sk_conn *c, const char *p, size_t len)
{
    sk__connq *q;
    int r;
    if (c == NULL || (p == NULL && len > 0))
        return SK_EINVAL;
    if (c->state != SK_CONN_CONNECTED && c->state != SK_CONN_HOST_LOOKUP &&
        c->state != SK_CONN_CONNECTING && c->state != SK_CONN_ENCRYPTING)
        return SK_EWRONGROLE;
    if (len == 0)
        return 0;
    /* Room first: when there is none, nothing at all is sent. */
    q = conn_q_need(c);
    if (q == NULL)
        return SK_ENORESOURCES;
    if (q->wfirst != 0 && q->inflight == 0)
        conn_compact(&q->wb, &q->wfirst);
    if (q->wb.cap - q->wb.len < len) {
        r = sk__conn_ring_room(q, len); /* (sk_buf_reserve, unless a send
                                           is in flight) */
        if (r != 0) {
            conn_q_idle(c);
            return r;
        }
    }
    if (conn_ring_batched(c)) {
        /* Completion mode amid a batch of completions: queued, and sent
         * with the loop's next wait (unless a send is in flight: then
         * after it), together with the other connections' sends.  (Any
         * other time the bytes are offered to the system now, as below:
         * a lone send on the ring would cost its own io_uring_enter and
         * completion, and leave the bytes waiting for the next wait.) */
        memcpy(q->wb.data + q->wb.len, p, len);
        q->wb.len += len;
        if (c->state == SK_CONN_CONNECTED && !c->rerr &&
            sk__conn_ring_send(c) == 0)
            return 0; /* its completion comes back: the interest stands */
        conn_update(c); /* (else writable: sent from there) */
        return 0;
    }
    if (c->state == SK_CONN_CONNECTED && q->wfirst == q->wb.len &&
        !c->rerr && !c->eof) {
        /* Nothing queued: offer the bytes to the system now.  Whatever
         * goes wrong is met again by the queue's next send, from the
         * loop. */
        size_t last = 0;
        (void)conn_send(c, p, len, &last);
        p += last;
        len -= last;
        if (c->h->bytes_written != NULL)
            q->unreported += last;
        if (len == 0 && q->unreported == 0) {
            conn_q_idle(c);
            return 0; /* all gone, nothing to tell: the interest stands */
        }
    }
    if (len > 0) {
        memcpy(q->wb.data + q->wb.len, p, len);
        q->wb.len += len;
    }
    conn_ring_rest(c);
    conn_update(c);
    return 0;
}

/* The rest of sk_conn_write's common case after a send that moved k bytes
 * (fewer than len) or failed (k -1: sk__plat_send_fail says why; whatever
 * went wrong is met again by the queue's next send, from the loop): queue
 * what is left in the loop's spare queues, which c takes (they were
 * empty, with room for all of it). */
static SK__NOINLINE int conn_write_rest(sk_conn *c, const char *p,
                                        size_t len, ptrdiff_t k)
{
    sk__connq *q = c->q = c->w.loop->conn_spare; /* (sk_conn_write saw it) */
    c->w.loop->conn_spare = NULL;
    if (k < 0) {
        int sys = 0;
        (void)sk__plat_send_fail(&sys);
        sk__sys_set(c->w.sock, sys);
        k = 0;
    }
    c->w.sock->nsent += (size_t)k;
    memcpy(q->wb.data, p + k, len - (size_t)k);
    q->wb.len = len - (size_t)k;
    conn_ring_rest(c);
    conn_update(c);
    return 0;
}

/* The common case first, one test of each condition: CONNECTED, no
 * queues (nothing unread, queued or unreported) and room in the loop's
 * spare to queue what the system may not take, no bytes_written to tell, no
 * error or end of stream pending, a plain socket; one send that takes it
 * all.  Else conn_write_any (the checks, a queue, TLS) or conn_write_rest
 * (a part left). */
SK_API int sk_conn_write(sk_conn *c, const void *data, size_t len)
{
    const sk__connq *q;
    sk_sock *s;
    ptrdiff_t k;
    if (c == NULL || data == NULL || c->state != SK_CONN_CONNECTED ||
        c->q != NULL || c->bw || c->eof || c->rerr != 0 ||
        conn_ring_batched(c))
        return conn_write_any(c, (const char *)data, len);
    q = c->w.loop->conn_spare; /* (it holds nothing) */
    if (q == NULL || len - 1 >= q->wb.cap /* len 0 too */ ||
        !conn_plain_send(c->w.sock))
        return conn_write_any(c, (const char *)data, len);
    s = c->w.sock;
    k = sk__plat_send1(s->fd, data, len);
    if (k != (ptrdiff_t)len)
        return conn_write_rest(c, (const char *)data, len, k);
    s->nsent += len;
    return 0;
}

/* sk_conn_read but for its common case: the checks, nothing to read. */
static SK__NOINLINE int conn_read_any(sk_conn *c, void *dst, size_t cap,
                                      size_t *got)
{
    if (got != NULL)
        *got = 0;
    if (c == NULL || dst == NULL || cap == 0 || got == NULL)
        return SK_EINVAL;
    return conn_may_receive(c) ? SK_EWOULDBLOCK : SK_ECLOSED;
}

/* The common case first: the checks, then bytes to copy. */
SK_API int sk_conn_read(sk_conn *c, void *dst, size_t cap, size_t *got)
{
    sk__connq *q;
    size_t n;
    if (c == NULL || dst == NULL || cap == 0 || got == NULL ||
        (q = c->q) == NULL || q->rb.len == q->rfirst)
        return conn_read_any(c, dst, cap, got);
    n = q->rb.len - q->rfirst;
    if (n > cap)
        n = cap;
    memcpy(dst, q->rb.data + q->rfirst, n);
    q->rfirst += n;
    *got = n;
    if (q->rfirst == q->rb.len)
        conn_q_drained(c, q);
    if (c->limited)
        conn_update(c); /* reading may go on below the read limit */
    return 0;
}

static int conn_bad_buf(const sk_buf *b)
{
    return b == NULL || b->len > b->cap || (b->data == NULL && b->cap > 0);
}

static int conn_read_line(sk_conn *c, sk_buf *line)
{
    sk__connq *q = c->q;
    const char *p, *lf;
    size_t avail, max, count = 0, used = 0;
    int r;
    avail = conn_avail(c);
    if (avail == 0)
        return conn_may_receive(c) ? SK_EWOULDBLOCK : SK_ECLOSED;
    p = q->rb.data + q->rfirst; /* (q is there: bytes are) */
    max = c->w.sock->linemax;
    lf = (const char *)memchr(p, '\n', avail);
    if (lf == NULL && conn_may_receive(c)) {
        /* Incomplete: wait, unless the line is over the limit already. */
        if (sk__line_kept(p, avail, (const char *)memchr(p, '\r', avail)) <=
            max)
            return SK_EWOULDBLOCK;
    }
    /* Room first, the NUL's byte included: no failure after the take. */
    r = sk_buf_reserve(line, (lf != NULL ? (size_t)(lf - p) : avail) + 1);
    if (r != 0)
        return r;
    r = sk__line_take(p, lf != NULL ? (size_t)(lf - p) + 1 : avail, line,
                      &count, max, &used);
    q->rfirst += used;
    if (q->rfirst == q->rb.len)
        conn_q_drained(c, q);
    conn_update(c);
    if (r == 1)
        return 0;
    if (r == 0)
        return SK_ECLOSED; /* the last, unterminated line */
    return r;
}

/* Both leave the buffer NUL-terminated, as sk_receive does. */
SK_API int sk_conn_read_line(sk_conn *c, sk_buf *line)
{
    if (c == NULL || conn_bad_buf(line))
        return SK_EINVAL;
    return sk__buf_nul(line, conn_read_line(c, line));
}

static int conn_read_all(sk_conn *c, sk_buf *out)
{
    size_t n;
    int r;
    n = conn_avail(c);
    if (n == 0)
        return conn_may_receive(c) ? SK_EWOULDBLOCK : SK_ECLOSED;
    r = sk_buf_reserve(out, n + 1); /* and the NUL */
    if (r != 0)
        return r;
    memcpy(out->data + out->len, c->q->rb.data + c->q->rfirst, n);
    out->len += n;
    c->q->rfirst = c->q->rb.len;
    conn_q_idle(c);
    conn_update(c);
    return 0;
}

SK_API int sk_conn_read_all(sk_conn *c, sk_buf *out)
{
    if (c == NULL || conn_bad_buf(out))
        return SK_EINVAL;
    return sk__buf_nul(out, conn_read_all(c, out));
}

SK_API int sk_conn_setreadlimit(sk_conn *c, size_t max)
{
    if (c == NULL)
        return SK_EINVAL;
    if (max != 0 && sk__conn_cfg_need(c) == NULL)
        return SK_ENORESOURCES;
    if (c->cfg != NULL)
        c->cfg->readlimit = max;
    c->limited = max != 0 ? 1u : 0u;
    conn_update(c);
    return 0;
}

SK_API int sk_conn_state(const sk_conn *c)
{
    return c == NULL ? SK_EINVAL : c->state;
}

SK_API int sk_conn_error(const sk_conn *c, int *error, int *code)
{
    if (c == NULL)
        return SK_EINVAL;
    if (error != NULL)
        *error = sk_conn_errcode(c->code);
    if (code != NULL)
        *code = c->code;
    return 0;
}

SK_API int sk_conn_valid(const sk_conn *c)
{
    return c != NULL && c->state == SK_CONN_CONNECTED;
}

SK_API int sk_conn_bytes_available(const sk_conn *c, size_t *n)
{
    if (c == NULL || n == NULL)
        return SK_EINVAL;
    *n = conn_avail(c);
    return 0;
}

SK_API int sk_conn_bytes_to_write(const sk_conn *c, size_t *n)
{
    if (c == NULL || n == NULL)
        return SK_EINVAL;
    *n = conn_queued(c);
    return 0;
}

SK_API int sk_conn_local(const sk_conn *c, sk_name *out)
{
    if (c == NULL || out == NULL)
        return SK_EINVAL;
    if (c->state == SK_CONN_BOUND || c->state == SK_CONN_CONNECTED ||
        c->state == SK_CONN_ENCRYPTING || c->state == SK_CONN_CLOSING)
        return sk_getsockname(c->w.sock, out);
    memset(out, 0, sizeof *out);
    return SK_ENOTCONN;
}

SK_API int sk_conn_remote(const sk_conn *c, sk_name *out)
{
    if (c == NULL || out == NULL)
        return SK_EINVAL;
    if (c->state == SK_CONN_CONNECTED || c->state == SK_CONN_ENCRYPTING ||
        c->state == SK_CONN_CLOSING)
        return sk_getpeername(c->w.sock, out);
    memset(out, 0, sizeof *out);
    return SK_ENOTCONN;
}

SK_API int sk_conn_sock(sk_conn *c, sk_sock **out)
{
    if (c == NULL || out == NULL)
        return SK_EINVAL;
    *out = c->w.sock;
    return 0;
}

SK_API int sk_conn_settls(sk_conn *c, sk_tls_ctx *ctx, const char *host)
{
    char *copy = NULL;
    sk__extra *x;
    int r;
    if (c == NULL)
        return SK_EINVAL;
    if (c->state != SK_CONN_UNCONNECTED && c->state != SK_CONN_BOUND)
        return SK_EWRONGROLE;
    if (ctx == NULL && c->w.sock->extra == NULL)
        return 0;
    r = sk__need_extra(c->w.sock);
    if (r != 0)
        return r;
    x = c->w.sock->extra;
    if (ctx != NULL) {
        r = sk__tls_ctx_take(ctx, host);
        if (r != 0)
            return r;
        if (host != NULL) {
            size_t n = strlen(host) + 1;
            copy = (char *)sk__malloc(n);
            if (copy == NULL) {
                sk__tls_ctx_release(ctx);
                return SK_ENORESOURCES;
            }
            memcpy(copy, host, n);
        }
    }
    if (x->conntls != NULL)
        sk__tls_ctx_release(x->conntls);
    sk__free(x->conntlshost);
    x->conntls = ctx;
    x->conntlshost = copy;
    return 0;
}
