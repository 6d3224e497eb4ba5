/* SPDX-License-Identifier: MIT */
/*
 * io.c - the transfer loops: try the non-blocking call, and when it would
 * block, wait for readiness within the call's deadline and try again.
 * Every byte that crosses the OS boundary is counted in the stats here.
 * The loops themselves (sk__send_all, sk__recv_some) are inline in
 * sockit_int.h; waiting, settling a pending connect and the receive buffer
 * are here.
 */
#include "sockit_int.h"

#include <stdlib.h>
#include <string.h>

/* Wait for events within tm.  SK_EWOULDBLOCK from the backend (a signal)
 * just means "wait again with the time that is left".  In non-blocking
 * mode nothing waits: SK_EWOULDBLOCK goes back to the caller at once. */
int sk__wait(sk_sock *s, int events, const sk__tm *tm)
{
    if (sk__nonblock(s))
        return SK_EWOULDBLOCK;
    for (;;) {
        int64_t ms = sk__tm_left(tm);
        int sys = 0;
        int r = sk__plat_wait(s->fd, events, ms, &sys);
        sk__sys_set(s, sys);
        if (r != SK_EWOULDBLOCK)
            return r;
    }
}

/* A client whose connect timed out (or was started in non-blocking mode)
 * may still be connecting: finish (or fail) that first, within this call's
 * deadline; in non-blocking mode only look, and say SK_EWOULDBLOCK while it
 * is pending. */
int sk__ensure_connected(sk_sock *s, const sk__tm *tm)
{
    int r;
    if (!s->connecting)
        return 0;
    do {
        int sys = 0;
        r = sk__plat_wait_connect(s->fd,
                                  sk__nonblock(s) ? 0 : sk__tm_left(tm),
                                  &sys);
        sk__sys_set(s, sys);
    } while (r == SK_EWOULDBLOCK);
    if (r == SK_ETIMEOUT)
        return sk__nonblock(s) ? SK_EWOULDBLOCK : r;
    s->connecting = 0; /* settled: connected, or failed for good */
    return r;
}

int sk__send_rest(sk_sock *s, const char *data, size_t len, size_t done,
                  int r, size_t *sent, const sk__tm *tm)
{
    sk__tm own;
    if (tm == NULL) {
        sk__tm_start(&own, s);
        tm = &own;
    }
    if (s->tls) /* the stream layer (tls.c): nothing was sent yet */
        return sk__tls_send(s, data, len, sent, tm);
    if (r == 0)
        r = sk__ensure_connected(s, tm);
    for (;;) {
        size_t n = 0;
        if (r == SK_EWOULDBLOCK)
            r = sk__wait(s, SK__WAIT_WRITE, tm);
        if (r != 0 || done >= len)
            break;
        int sys = 0;
        r = sk__plat_send(s->fd, data + done, len - done, &n, &sys);
        sk__sys_set(s, sys);
        done += n;
        s->nsent += n;
    }
    *sent = done;
    return r;
}

int sk__recv_wait(sk_sock *s, char *dst, size_t cap, size_t *got, int r,
                  const sk__tm *tm)
{
    sk__tm own;
    if (tm == NULL) {
        sk__tm_start(&own, s);
        tm = &own;
    }
    *got = 0;
    if (s->tls) /* the stream layer (tls.c): nothing was read yet */
        return sk__tls_recv(s, dst, cap, got, tm);
    if (r == 0)
        r = sk__ensure_connected(s, tm);
    for (;;) {
        if (r == SK_EWOULDBLOCK)
            r = sk__wait(s, SK__WAIT_READ, tm);
        if (r != 0)
            return r;
        int sys = 0;
        r = sk__plat_recv(s->fd, dst, cap, got, &sys);
        sk__sys_set(s, sys);
        if (r == 0) {
            s->nrecv += *got;
            return 0;
        }
    }
}

/* The receive buffer, made on first use and given back as soon as it is
 * empty at the end of a call (sk__rbuf_release): an idle object holds no
 * buffer.  rscan belongs to the line reader (buffer.c). */
static int rbuf_make(sk_sock *s)
{
    if (s->rbuf == NULL) {
        s->rbuf = (char *)sk__malloc(SK__RBUF_SIZE);
        if (s->rbuf == NULL)
            return SK_ENORESOURCES;
    }
    s->rfirst = s->rlast = s->rscan = 0;
    s->linewait = 0;
    return 0;
}

/* Refill the (empty) receive buffer with one read. */
int sk__fill(sk_sock *s, const sk__tm *tm)
{
    size_t got = 0;
    int r = rbuf_make(s);
    if (r != 0)
        return r;
    r = sk__recv_some(s, s->rbuf, SK__RBUF_SIZE, &got, tm);
    s->rlast = (uint16_t)got; /* at most SK__RBUF_SIZE */
    if (got > 0)
        sk__notify(s, SK__NOTE_FILLED, SK_FD_INVALID); /* readable now */
    return r;
}

int sk__stash(sk_sock *s, const char *p, size_t n)
{
    int r = rbuf_make(s);
    if (r != 0)
        return r;
    memcpy(s->rbuf, p, n);
    s->rlast = (uint16_t)n;
    sk__notify(s, SK__NOTE_FILLED, SK_FD_INVALID); /* readable now */
    return 0;
}

void sk__rbuf_free(sk_sock *s)
{
    sk__free(s->rbuf);
    s->rbuf = NULL;
    s->rfirst = s->rlast = s->rscan = 0;
    s->linewait = 0;
}

/* For sk_receiveline (lines.c), whose lines are views into the buffer: a
 * partial line moves to the front and the read goes after it. */
int sk__fill_more(sk_sock *s, const sk__tm *tm)
{
    size_t got = 0, keep = (size_t)(s->rlast - s->rfirst);
    int r;
    if (s->rbuf == NULL || keep == 0)
        return sk__fill(s, tm);
    if (s->rfirst > 0) {
        memmove(s->rbuf, s->rbuf + s->rfirst, keep);
        /* rscan keeps its meaning relative to the moved bytes */
        s->rscan = (uint16_t)(s->rscan > s->rfirst ? s->rscan - s->rfirst
                                                    : 0);
        s->rfirst = 0;
        s->rlast = (uint16_t)keep;
    }
    s->linewait = 0;
    r = sk__recv_some(s, s->rbuf + keep, SK__RBUF_SIZE - keep, &got, tm);
    s->rlast = (uint16_t)(keep + got); /* at most SK__RBUF_SIZE */
    if (got > 0)
        sk__notify(s, SK__NOTE_FILLED, SK_FD_INVALID); /* readable now */
    return r;
}
