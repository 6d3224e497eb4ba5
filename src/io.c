/*
 * io.c - the transfer loops: try the non-blocking call, and when it would
 * block, wait for readiness within the call's deadline and try again.
 * Every byte that crosses the OS boundary is counted in the stats here.
 */
#include "sockit_int.h"

#include <stdlib.h>

/* Wait for events within tm.  SK_EWOULDBLOCK from the backend (a signal)
 * just means "wait again with the time that is left".  In non-blocking
 * mode nothing waits: SK_EWOULDBLOCK goes back to the caller at once. */
int sk__wait(sk_sock *s, int events, const sk__tm *tm)
{
    if (s->nonblock)
        return SK_EWOULDBLOCK;
    for (;;) {
        int64_t ms = sk__tm_left(tm);
        int r = sk__plat_wait(s->fd, events, ms, &s->sys);
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
        r = sk__plat_wait_connect(s->fd, s->nonblock ? 0 : sk__tm_left(tm),
                                  &s->sys);
    } while (r == SK_EWOULDBLOCK);
    if (r == SK_ETIMEOUT)
        return s->nonblock ? SK_EWOULDBLOCK : r;
    s->connecting = 0; /* settled: connected, or failed for good */
    return r;
}

int sk__send_all(sk_sock *s, const char *data, size_t len, size_t *sent,
                 const sk__tm *tm)
{
    size_t done = 0;
    int r = sk__ensure_connected(s, tm);
    while (r == 0 && done < len) {
        size_t n = 0;
        r = sk__plat_send(s->fd, data + done, len - done, &n, &s->sys);
        done += n;
        s->nsent += n;
        if (r == SK_EWOULDBLOCK) {
            r = sk__wait(s, SK__WAIT_WRITE, tm);
        }
    }
    *sent = done;
    return r;
}

/* One successful read of at least one byte straight into dst, waiting as
 * needed. */
int sk__recv_some(sk_sock *s, char *dst, size_t cap, size_t *got,
                  const sk__tm *tm)
{
    int r = sk__ensure_connected(s, tm);
    *got = 0;
    while (r == 0) {
        r = sk__plat_recv(s->fd, dst, cap, got, &s->sys);
        if (r == 0) {
            s->nrecv += *got;
            return 0;
        }
        if (r == SK_EWOULDBLOCK)
            r = sk__wait(s, SK__WAIT_READ, tm);
    }
    return r;
}

/* Refill the (empty) receive buffer with one read. */
int sk__fill(sk_sock *s, const sk__tm *tm)
{
    size_t got = 0;
    int r;
    if (s->rbuf == NULL) {
        s->rbuf = (char *)malloc(SK__RBUF_SIZE);
        if (s->rbuf == NULL)
            return SK_ENORESOURCES;
    }
    s->rfirst = s->rlast = 0;
    r = sk__recv_some(s, s->rbuf, SK__RBUF_SIZE, &got, tm);
    s->rlast = got;
    if (got > 0 && s->watch != NULL)
        sk__watch_filled(s); /* buffered bytes are readable at once */
    return r;
}
