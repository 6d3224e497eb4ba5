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

/* ---- lifetime, handlers, states ----------------------------------------- */

static void conn_destroy(sk_conn *c)
{
    sk_buf_free(&c->rb);
    sk_buf_free(&c->wb);
    sk__free(c);
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
static int conn_after(sk_conn *c, unsigned epoch)
{
    if (sk__conn_release(c))
        return 1;
    return c->epoch != epoch;
}

void sk__conn_record(sk_conn *c, int code)
{
    c->code = code;
    c->error = sk_conn_errcode(code);
}

int sk__conn_set_state(sk_conn *c, int state)
{
    unsigned epoch = ++c->epoch;
    c->state = state;
    if (c->h.state_changed == NULL)
        return 0;
    sk__conn_hold(c);
    c->h.state_changed(c, state, c->ud);
    return conn_after(c, epoch);
}

int sk__conn_emit_error(sk_conn *c, int code)
{
    unsigned epoch = c->epoch;
    sk__conn_record(c, code);
    if (c->h.error == NULL)
        return 0;
    sk__conn_hold(c);
    c->h.error(c, c->error, c->ud);
    return conn_after(c, epoch);
}

int sk__conn_emit_simple(sk_conn *c, void (*fn)(sk_conn *c, void *ud))
{
    unsigned epoch = c->epoch;
    if (fn == NULL)
        return 0;
    sk__conn_hold(c);
    fn(c, c->ud);
    return conn_after(c, epoch);
}

static int conn_emit_count(sk_conn *c,
                           void (*fn)(sk_conn *c, size_t n, void *ud),
                           size_t n)
{
    unsigned epoch = c->epoch;
    if (fn == NULL)
        return 0;
    sk__conn_hold(c);
    fn(c, n, c->ud);
    return conn_after(c, epoch);
}

int sk__conn_timer(sk_conn *c, sk_timer **t, double after, sk_timer_cb cb)
{
    if (*t == NULL) {
        int r = sk_timer_new(c->loop, t);
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

static sk_conn *conn_alloc(sk_loop *loop, sk_sock *s)
{
    sk_conn *c = (sk_conn *)sk__calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    c->loop = loop;
    c->s = s;
    c->state = SK_CONN_UNCONNECTED;
    c->error = SK_CONN_ERR_UNKNOWN;
    c->t_connect = -1;
    c->t_delay = 0.25;
    c->t_linger = 30;
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
    sk_sock *s = c->s;
    if (c->w != NULL) {
        sk_watch_free(c->w);
        c->w = NULL;
    }
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
    c->eof = c->eof_done = c->rerr = 0;
    c->shut = 0;
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
    sk_timer_free(c->tm_close);
    c->tm_close = NULL;
    sk__conn_drop_socket(c, live);
    sk_free(c->s);
    c->s = NULL;
    if (c->depth == 0)
        conn_destroy(c);
}

SK_API int sk_conn_sethandlers(sk_conn *c, const sk_conn_handlers *h,
                               void *ud)
{
    if (c == NULL)
        return SK_EINVAL;
    if (h != NULL)
        c->h = *h;
    else
        memset(&c->h, 0, sizeof c->h);
    c->ud = ud;
    return 0;
}

SK_API int sk_conn_setresolver(sk_conn *c, sk_conn_resolver fn, void *ud)
{
    if (c == NULL)
        return SK_EINVAL;
    c->resolver = fn;
    c->resolver_ud = fn != NULL ? ud : NULL;
    return 0;
}

SK_API int sk_conn_settimeout(sk_conn *c, double seconds, char mode)
{
    int64_t ms = -1;
    if (c == NULL || sk__timeout_ms(seconds, &ms) != 0)
        return SK_EINVAL;
    if (ms < 0)
        seconds = -1; /* negative or +inf: no limit */
    switch (mode) {
    case 'c':
        c->t_connect = seconds;
        return sk__conn_accept_limit(c); /* (0 unless accepted, ENCRYPTING) */
    case 'd':
        c->t_delay = seconds;
        return 0;
    case 'l':
        c->t_linger = seconds;
        return 0;
    default:
        return SK_EINVAL;
    }
}

SK_API int sk_conn_gettimeout(const sk_conn *c, char mode, double *seconds)
{
    if (c == NULL || seconds == NULL)
        return SK_EINVAL;
    switch (mode) {
    case 'c':
        *seconds = c->t_connect;
        return 0;
    case 'd':
        *seconds = c->t_delay;
        return 0;
    case 'l':
        *seconds = c->t_linger;
        return 0;
    default:
        return SK_EINVAL;
    }
}

/* ---- I/O on the loop ------------------------------------------------------ */

static size_t conn_avail(const sk_conn *c)
{
    return c->rb.len - c->rfirst;
}

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
static void conn_update(sk_conn *c)
{
    int want = 0;
    if (c->w == NULL)
        return;
    if (c->state == SK_CONN_CONNECTED || c->state == SK_CONN_CLOSING) {
        if (!c->eof && !c->rerr &&
            (c->readlimit == 0 || conn_avail(c) < c->readlimit))
            want |= SK_READABLE;
        /* Writable also stands for "come back next iteration": to report
         * bytes_written, to handle an error or end of stream seen while a
         * handler changed things, to end the flush of CLOSING. */
        if (c->wfirst < c->wb.len || c->unreported != 0 || c->rerr ||
            (c->eof && !c->eof_done) ||
            (c->state == SK_CONN_CLOSING && !c->shut))
            want |= SK_WRITABLE;
    } else if (c->state == SK_CONN_ENCRYPTING) {
        want = sk__tls_want(c->s); /* what the handshake waits for */
    }
    if (want != c->interest && sk_watch_set(c->w, want) == 0)
        c->interest = want;
}

/* The connection is over: close its socket (gracefully), then
 * state_changed(UNCONNECTED) and, when it was established, disconnected. */
static int conn_finish(sk_conn *c, int abortive)
{
    int was = c->state;
    conn_timer_stop(c->tm_close);
    c->wb.len = c->wfirst = 0;
    c->unreported = 0;
    sk__conn_drop_socket(c, abortive);
    if (sk__conn_set_state(c, SK_CONN_UNCONNECTED))
        return 1;
    if (was == SK_CONN_CONNECTED || was == SK_CONN_CLOSING)
        return sk__conn_emit_simple(c, c->h.disconnected);
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
        if (c->wfirst < c->wb.len) {
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

/* The read buffer holds nothing: hand its memory to the loop as the spare
 * that the next read of any of its connections starts with, so that a
 * connection with nothing unread holds no buffer and a busy one allocates
 * none per read (one spare per loop: a second idle buffer is freed). */
SK__INLINE void conn_rb_idle(sk_conn *c)
{
    sk_buf *spare = &c->loop->conn_spare;
    c->rb.len = c->rfirst = 0;
    if (c->rb.data == NULL)
        return;
    if (spare->data == NULL) {
        *spare = c->rb;
    } else if (spare->cap < c->rb.cap) {
        sk_buf_free(spare);
        *spare = c->rb;
    } else {
        sk_buf_free(&c->rb);
    }
    c->rb.data = NULL;
    c->rb.cap = 0;
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

/* One read of the connection's socket into dst (room > 0), counted in the
 * object's statistics. */
static int conn_recv(sk_conn *c, char *dst, size_t room, size_t *n)
{
    sk_sock *s = c->s;
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
    sk_sock *s = c->s;
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

/* Make the read buffer ready for the reads of one readiness: empty, it
 * starts over (with the loop's spare when it has no memory); else what
 * was taken from its front goes. */
static void conn_rb_prepare(sk_conn *c)
{
    if (c->rfirst == c->rb.len) {
        sk_buf *spare = &c->loop->conn_spare;
        c->rb.len = c->rfirst = 0;
        if (c->rb.data == NULL && spare->data != NULL) {
            c->rb = *spare; /* take the loop's spare */
            spare->data = NULL;
            spare->len = spare->cap = 0;
        }
    } else {
        conn_compact(&c->rb, &c->rfirst);
    }
}

/* Read what the socket has (within a round and the read limit) into the
 * read buffer, got bytes of this readiness being there already.  Returns
 * the last read's code; *got: the bytes of this readiness. */
static int conn_fill(sk_conn *c, size_t *got)
{
    int r = 0;
    while (*got < SK__CONN_ROUND) {
        size_t room, len0 = c->rb.len, n;
        if (c->readlimit != 0) {
            if (conn_avail(c) >= c->readlimit)
                break;
        }
        if (c->rb.cap - c->rb.len < SK__CONN_CHUNK) {
            r = sk_buf_reserve(&c->rb, SK__CONN_CHUNK);
            if (r != 0)
                break;
        }
        room = c->rb.cap - c->rb.len;
        if (c->readlimit != 0 && room > c->readlimit - conn_avail(c))
            room = c->readlimit - conn_avail(c);
        n = 0;
        r = conn_recv(c, c->rb.data + len0, room, &n);
        c->rb.len = len0 + n;
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
        c->rerr = r;
    if (got > 0)
        return conn_emit_count(c, c->h.ready_read, conn_avail(c));
    if (c->rfirst == c->rb.len)
        conn_rb_idle(c);
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
    int r = 0;
    if (c->wfirst < c->wb.len) {
        size_t last = 0;
        r = conn_send(c, c->wb.data + c->wfirst, c->wb.len - c->wfirst,
                      &last);
        c->wfirst += last;
        c->unreported += last;
        if (c->wfirst == c->wb.len)
            c->wb.len = c->wfirst = 0;
    }
    if (c->unreported != 0) {
        size_t n = c->unreported;
        c->unreported = 0;
        if (conn_emit_count(c, c->h.bytes_written, n))
            return 1;
    }
    if (r != 0 && r != SK_EWOULDBLOCK)
        return conn_broken(c, r);
    if (c->state == SK_CONN_CLOSING && !c->shut && c->wfirst == c->wb.len) {
        /* Every byte is with the system: the peer reads our end of stream
         * after them.  Then wait for its close (bytes it still sends are
         * delivered), within the linger time. */
        (void)sk_shutdown(c->s, SK_SHUT_SEND);
        c->shut = 1;
        if (c->eof)
            return conn_finish(c, 0);
        if (c->t_linger >= 0 &&
            sk__conn_timer(c, &c->tm_close, c->t_linger, conn_linger) != 0)
            return conn_finish(c, 0);
    }
    return 0;
}

/* A client's connect is over (ENCRYPTING ended, or never began): its
 * connect-time block goes, with the connect timeout that covered the
 * handshake (conn_connect.c's conn_win kept it). */
static void conn_connect_over(sk_conn *c)
{
    if (c->cx != NULL) {
        sk__conn_stop_connect(c);
        sk__conn_cx_done(c);
    }
}

/* ENCRYPTING: one more step of the TLS handshake; when it is done, the
 * connection is CONNECTED (connected handler); when it failed, the error
 * handler hears why and the connection ends. */
static int conn_handshake(sk_conn *c)
{
    int r = sk_tls_handshake(c->s);
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
    return sk__conn_emit_simple(c, c->h.connected);
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
        c->wfirst == c->wb.len && c->unreported == 0 && !c->eof &&
        !c->rerr && c->readlimit == 0)
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
        (c->interest & SK_READABLE)) {
        size_t got = 0;
        int r;
        conn_rb_prepare(c);
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
        c->rb.len = got = (size_t)k;
        c->s->nrecv += (size_t)k;
        r = conn_fill(c, &got);
    } else {
        int sys = 0;
        r = k == 0 ? SK_ECLOSED : sk__plat_recv_fail(&sys);
        sk__sys_set(c->s, sys);
    }
    if (conn_read_end(c, r, got))
        return;
    conn_io_rest(c, events);
}

/* The watch's callback.  The common case first, one test of each
 * condition: only readable, CONNECTED, nothing unread and no read limit,
 * a plain socket; one read into the (spare) buffer that brings bytes
 * without filling it; ready_read.  Nothing else then needs doing: the
 * interest (reading) stands, and whatever the handler did set its own. */
static void conn_io(sk_watch *w, int events, void *ud)
{
    sk_conn *c = (sk_conn *)ud;
    sk_sock *s = c->s;
    ptrdiff_t k;
    (void)w;
    if (events != SK_READABLE || c->state != SK_CONN_CONNECTED ||
        c->rb.len != 0 || c->readlimit != 0 || !conn_plain(s)) {
        conn_io_any(c, events);
        return;
    }
    if (c->rb.data == NULL) {
        sk_buf *spare = &c->loop->conn_spare;
        if (spare->data == NULL) { /* the first read: conn_fill's reserve */
            conn_io_any(c, events);
            return;
        }
        c->rb = *spare; /* take the loop's spare (it holds nothing) */
        spare->data = NULL;
        spare->cap = 0;
    }
    k = sk__plat_recv1(s->fd, c->rb.data, c->rb.cap);
    if (k <= 0 || (size_t)k == c->rb.cap) {
        conn_io_odd(c, events, k);
        return;
    }
    c->rb.len = (size_t)k;
    s->nrecv += (size_t)k;
    if (c->h.ready_read != NULL) { /* conn_emit_count, nothing after it */
        c->depth++;
        c->h.ready_read(c, (size_t)k, c->ud);
        if (--c->depth == 0 && c->freed)
            conn_destroy(c);
    }
}

int sk__conn_established(sk_conn *c)
{
    int r = sk_watch_new(c->loop, c->s, conn_io, c, &c->w);
    c->interest = 0;
    if (r != 0) {
        conn_connect_over(c);
        c->w = NULL;
        sk__conn_drop_socket(c, 0);
        c->wb.len = c->wfirst = 0;
        if (sk__conn_emit_error(c, r))
            return 1;
        c->wb.len = c->wfirst = 0; /* written by the error handler */
        c->unreported = 0;
        return sk__conn_set_state(c, SK_CONN_UNCONNECTED);
    }
    c->eof = c->eof_done = c->rerr = c->shut = 0;
    if (c->s->extra != NULL && c->s->extra->conntls != NULL) {
        r = sk_tls_start(c->s, c->s->extra->conntls,
                         c->s->extra->conntlshost);
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
    return sk__conn_emit_simple(c, c->h.connected);
}

int sk__conn_accepted(sk_loop *loop, sk_sock *s, sk_conn **out)
{
    sk_conn *c = conn_alloc(loop, s);
    int r;
    *out = NULL;
    if (c == NULL)
        return SK_ENORESOURCES;
    r = sk_watch_new(loop, s, conn_io, c, &c->w);
    if (r != 0) {
        sk__free(c);
        return r;
    }
    /* A TLS listener's client: the handshake first (see sk_conn_settls) */
    c->state = s->tls ? SK_CONN_ENCRYPTING : SK_CONN_CONNECTED;
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

/* sk_conn_write but for its common case: the checks, a queue, TLS,
 * bytes_written to tell. */
static SK__NOINLINE int conn_write_any(sk_conn *c, const char *p, size_t len)
{
    int r;
    if (c == NULL || (p == NULL && len > 0))
        return SK_EINVAL;
    if (c->state != SK_CONN_CONNECTED && c->state != SK_CONN_HOST_LOOKUP &&
        c->state != SK_CONN_CONNECTING && c->state != SK_CONN_ENCRYPTING)
        return SK_EWRONGROLE;
    if (len == 0)
        return 0;
    if (c->wfirst != 0)
        conn_compact(&c->wb, &c->wfirst);
    /* Room first: when there is none, nothing at all is sent. */
    if (c->wb.cap - c->wb.len < len) {
        r = sk_buf_reserve(&c->wb, len);
        if (r != 0)
            return r;
    }
    if (c->state == SK_CONN_CONNECTED && c->wfirst == c->wb.len &&
        !c->rerr && !c->eof) {
        /* Nothing queued: offer the bytes to the system now.  Whatever
         * goes wrong is met again by the queue's next send, from the
         * loop. */
        size_t last = 0;
        (void)conn_send(c, p, len, &last);
        p += last;
        len -= last;
        if (c->h.bytes_written != NULL)
            c->unreported += last;
        if (len == 0 && c->unreported == 0)
            return 0; /* all gone, nothing to tell: the interest stands */
    }
    if (len > 0) {
        memcpy(c->wb.data + c->wb.len, p, len);
        c->wb.len += len;
    }
    conn_update(c);
    return 0;
}

/* The rest of sk_conn_write's common case after a send that moved k bytes
 * (fewer than len) or failed (k -1: sk__plat_send_fail says why; whatever
 * went wrong is met again by the queue's next send, from the loop): queue
 * what is left (the queue was empty, with room for all of it). */
static SK__NOINLINE int conn_write_rest(sk_conn *c, const char *p,
                                        size_t len, ptrdiff_t k)
{
    if (k < 0) {
        int sys = 0;
        (void)sk__plat_send_fail(&sys);
        sk__sys_set(c->s, sys);
        k = 0;
    }
    c->s->nsent += (size_t)k;
    memcpy(c->wb.data, p + k, len - (size_t)k);
    c->wb.len = len - (size_t)k;
    conn_update(c);
    return 0;
}

/* The common case first, one test of each condition: CONNECTED, nothing
 * queued and room to queue what the system may not take, no bytes_written
 * to tell, no error or end of stream pending, a plain socket; one send
 * that takes it all.  Else conn_write_any (the checks, a queue, TLS) or
 * conn_write_rest (a part left). */
SK_API int sk_conn_write(sk_conn *c, const void *data, size_t len)
{
    sk_sock *s;
    ptrdiff_t k;
    if (c == NULL || data == NULL || c->state != SK_CONN_CONNECTED ||
        c->wb.len != 0 || len - 1 >= c->wb.cap /* len 0 too */ ||
        c->h.bytes_written != NULL || (c->rerr | c->eof) ||
        !conn_plain_send(c->s))
        return conn_write_any(c, (const char *)data, len);
    s = c->s;
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
    size_t n;
    if (c == NULL || dst == NULL || cap == 0 || got == NULL ||
        c->rb.len == c->rfirst)
        return conn_read_any(c, dst, cap, got);
    n = c->rb.len - c->rfirst;
    if (n > cap)
        n = cap;
    memcpy(dst, c->rb.data + c->rfirst, n);
    c->rfirst += n;
    *got = n;
    if (c->rfirst == c->rb.len)
        conn_rb_idle(c);
    if (c->readlimit != 0)
        conn_update(c); /* reading may go on below the read limit */
    return 0;
}

static int conn_bad_buf(const sk_buf *b)
{
    return b == NULL || b->len > b->cap || (b->data == NULL && b->cap > 0);
}

static int conn_read_line(sk_conn *c, sk_buf *line)
{
    const char *p, *lf;
    size_t avail, max, count = 0, used = 0;
    int r;
    avail = conn_avail(c);
    if (avail == 0)
        return conn_may_receive(c) ? SK_EWOULDBLOCK : SK_ECLOSED;
    p = c->rb.data + c->rfirst;
    max = c->s->linemax;
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
    c->rfirst += used;
    if (c->rfirst == c->rb.len)
        conn_rb_idle(c);
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
    memcpy(out->data + out->len, c->rb.data + c->rfirst, n);
    out->len += n;
    conn_rb_idle(c);
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
    c->readlimit = max;
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
        *error = c->error;
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
    *n = c->wb.len - c->wfirst;
    return 0;
}

SK_API int sk_conn_local(const sk_conn *c, sk_name *out)
{
    if (c == NULL || out == NULL)
        return SK_EINVAL;
    if (c->state == SK_CONN_BOUND || c->state == SK_CONN_CONNECTED ||
        c->state == SK_CONN_ENCRYPTING || c->state == SK_CONN_CLOSING)
        return sk_getsockname(c->s, out);
    memset(out, 0, sizeof *out);
    return SK_ENOTCONN;
}

SK_API int sk_conn_remote(const sk_conn *c, sk_name *out)
{
    if (c == NULL || out == NULL)
        return SK_EINVAL;
    if (c->state == SK_CONN_CONNECTED || c->state == SK_CONN_ENCRYPTING ||
        c->state == SK_CONN_CLOSING)
        return sk_getpeername(c->s, out);
    memset(out, 0, sizeof *out);
    return SK_ENOTCONN;
}

SK_API int sk_conn_sock(sk_conn *c, sk_sock **out)
{
    if (c == NULL || out == NULL)
        return SK_EINVAL;
    *out = c->s;
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
    if (ctx == NULL && c->s->extra == NULL)
        return 0;
    r = sk__need_extra(c->s);
    if (r != 0)
        return r;
    x = c->s->extra;
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
