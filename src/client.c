/* SPDX-License-Identifier: MIT */
/*
 * client.c - what a client does: send a slice, read into caller memory,
 * shut down, and tell the names of both ends (sk_receive, receiving by
 * pattern, is with its engine in buffer.c).
 */
#include "sockit_int.h"

#include <string.h>

/* LuaSocket's string.sub rules, on 1-based positions. */
static void slice(size_t len, ptrdiff_t i, ptrdiff_t j, ptrdiff_t *from,
                  ptrdiff_t *to)
{
    ptrdiff_t n = (ptrdiff_t)len;
    if (i < 0)
        i = (i < -n) ? 1 : n + i + 1; /* -n cannot overflow: n >= 0 */
    else if (i == 0)
        i = 1;
    if (j < 0)
        j = (j < -n) ? 0 : n + j + 1;
    else if (j > n)
        j = n;
    *from = i;
    *to = j;
}

/* sk_send but for its common case: the checks, any slice. */
static SK__NOINLINE int send_any(sk_sock *s, const char *data, size_t len,
                                 ptrdiff_t i, ptrdiff_t j, ptrdiff_t *last)
{
    ptrdiff_t from, to;
    size_t sent = 0;
    int r;
    if (s == NULL || s->role != SK_ROLE_CLIENT || (data == NULL && len > 0) ||
        len > (size_t)PTRDIFF_MAX) {
        if (last != NULL)
            *last = (i > 0 ? i : 1) - 1;
        r = sk__check_role(s, SK_ROLE_CLIENT);
        return r != 0 ? r : SK_EINVAL;
    }
    slice(len, i, j, &from, &to);
    if (from > to) {
        if (last != NULL)
            *last = from - 1;
        return 0;
    }
    /* The deadline starts at the first wait, if any (sk__send_all). */
    r = sk__send_all(s, data + (from - 1), (size_t)(to - from + 1), &sent,
                     NULL);
    if (last != NULL)
        *last = from - 1 + (ptrdiff_t)sent;
    return r;
}

/* The whole of data[0..len) after one send that moved k bytes (less than
 * len) or failed (k -1: sk__plat_send_fail says why), or with k 0 before
 * any (a connect to settle, TLS): what sk__send_all does after its first
 * try. */
static SK__NOINLINE int send_more(sk_sock *s, const char *data, size_t len,
                                  ptrdiff_t k, ptrdiff_t *last)
{
    int sys = 0, r = k < 0 ? sk__plat_send_fail(&sys) : 0;
    size_t n = k < 0 ? 0 : (size_t)k, sent = n;
    s->nsent += n;
    sk__sys_set(s, sys);
    if (r == 0 || r == SK_EWOULDBLOCK)
        r = sk__send_rest(s, data, len, n, r, &sent, NULL);
    if (last != NULL)
        *last = (ptrdiff_t)sent;
    return r;
}

/* The common case first, one test of each condition: the whole of data
 * (1, -1) from a plain connected client, sent by one system call;
 * anything else is send_any's (the checks, slices) or send_more's. */
SK_API int sk_send(sk_sock *s, const void *data, size_t len, ptrdiff_t i,
                   ptrdiff_t j, ptrdiff_t *last)
{
    ptrdiff_t k;
    if (i != 1 || j != -1 || s == NULL || data == NULL || len == 0 ||
        len > (size_t)PTRDIFF_MAX || s->role != SK_ROLE_CLIENT)
        return send_any(s, (const char *)data, len, i, j, last);
    if (s->connecting | s->tls) /* (checked: straight to sk__send_rest) */
        return send_more(s, (const char *)data, len, 0, last);
    k = sk__plat_send1(s->fd, data, len);
    if (k < 0 || (size_t)k != len)
        return send_more(s, (const char *)data, len, k, last);
    s->nsent += len;
    if (last != NULL)
        *last = k;
    return 0;
}

SK_API int sk_write(sk_sock *s, const void *data, size_t len, size_t *sent)
{
    size_t done = 0;
    sk__tm tm;
    int r;
    if (sent != NULL)
        *sent = 0;
    r = sk__check_role(s, SK_ROLE_CLIENT);
    if (r != 0)
        return r;
    if (data == NULL && len > 0)
        return SK_EINVAL;
    if (len == 0)
        return 0;
    sk__tm_start(&tm, s);
    r = sk__send_all(s, (const char *)data, len, &done, &tm);
    if (sent != NULL)
        *sent = done;
    return r;
}

SK_API int sk_readn(sk_sock *s, void *dst, size_t n, size_t *got)
{
    char *p = (char *)dst;
    size_t done = 0;
    sk__tm tm;
    int r;
    if (got != NULL)
        *got = 0;
    r = sk__check_role(s, SK_ROLE_CLIENT);
    if (r != 0)
        return r;
    if (got == NULL || (dst == NULL && n > 0))
        return SK_EINVAL;
    if (s->rfirst < s->rlast) {
        done = sk__take(s, p, n);
        sk__rbuf_release(s);
    }
    sk__tm_start(&tm, s);
    while (r == 0 && done < n) {
        size_t k = 0;
        r = sk__recv_some(s, p + done, n - done, &k, &tm);
        done += k;
    }
    *got = done;
    return r;
}

/* sk_read but for its common case: the checks, buffered bytes, a connect
 * to settle, TLS. */
static SK__NOINLINE int read_any(sk_sock *s, void *dst, size_t cap,
                                 size_t *got)
{
    if (s == NULL || s->role != SK_ROLE_CLIENT || dst == NULL || cap == 0 ||
        got == NULL) {
        int r = sk__check_role(s, SK_ROLE_CLIENT);
        if (got != NULL)
            *got = 0;
        return r != 0 ? r : SK_EINVAL;
    }
    if (s->rfirst < s->rlast) {
        *got = sk__take(s, (char *)dst, cap);
        sk__rbuf_release(s);
        return 0;
    }
    /* (sk__recv_some sets *got; the deadline starts at the first wait) */
    return sk__recv_some(s, (char *)dst, cap, got, NULL);
}

/* What sk__recv_some does after a first read that failed (k -1:
 * sk__plat_recv_fail says why) or found the end of the stream (k 0): wait
 * and read again when it would block. */
static SK__NOINLINE int read_more(sk_sock *s, void *dst, size_t cap,
                                  size_t *got, ptrdiff_t k)
{
    int sys = 0, r = k < 0 ? sk__plat_recv_fail(&sys) : SK_ECLOSED;
    *got = 0;
    sk__sys_set(s, sys);
    if (r != SK_EWOULDBLOCK)
        return r;
    return sk__recv_wait(s, (char *)dst, cap, got, r, NULL);
}

/* The common case first, one test of each condition: a plain connected
 * client with nothing buffered, and one read that brings bytes; anything
 * else is read_any's (the checks, the buffer) or read_more's. */
SK_API int sk_read(sk_sock *s, void *dst, size_t cap, size_t *got)
{
    ptrdiff_t k;
    if (s == NULL || dst == NULL || cap == 0 || got == NULL ||
        s->role != SK_ROLE_CLIENT || s->rfirst != s->rlast)
        return read_any(s, dst, cap, got);
    if (s->connecting | s->tls) /* what sk__recv_some does for them */
        return sk__recv_wait(s, (char *)dst, cap, got, 0, NULL);
    k = sk__plat_recv1(s->fd, dst, cap);
    if (k <= 0)
        return read_more(s, dst, cap, got, k);
    *got = (size_t)k;
    s->nrecv += (size_t)k;
    return 0;
}

SK_API int sk_shutdown(sk_sock *s, int how)
{
    int sys = 0, r = sk__check_role(s, SK_ROLE_CLIENT);
    if (r != 0)
        return r;
    if (how < SK_SHUT_RECEIVE || how > SK_SHUT_BOTH)
        return SK_EINVAL;
    if (s->tls && how != SK_SHUT_RECEIVE && !(s->shut & 2)) {
        sk__tm tm; /* TLS's close_notify goes before the stream's end */
        sk__tm_start(&tm, s);
        r = sk__tls_shutdown(s, &tm);
        if (r != 0)
            return r;
    }
    r = sk__plat_shutdown(s->fd, how, &sys);
    sk__sys_set(s, sys);
    /* shut is the sending side's byte: the receive side keeps its state
     * elsewhere (linewait), so that one thread may shut the sending side
     * while another receives. */
    if (r == 0) /* for sk_getstate: bit 1 receiving, bit 2 sending */
        s->shut |= how == SK_SHUT_RECEIVE ? 1 : how == SK_SHUT_SEND ? 2 : 3;
    return r;
}

/* Shared by both name calls: the socket's address of one end. */
static int name_of(const sk_sock *s, sk_name *out, int peer)
{
    sk__addr a;
    int sys = 0, r;
    if (out == NULL)
        return SK_EINVAL;
    memset(out, 0, sizeof *out);
    /* An unbound master has no name on any OS that sockit promises, even
     * where the system would report the any-address. */
    if (s->fd == SK_FD_INVALID ||
        ((s->role == SK_ROLE_MASTER || s->role == SK_ROLE_UNCONNECTED) &&
         !s->bound))
        return SK_ENOTCONN;
    r = peer ? sk__plat_peername(s->fd, &a, &sys)
             : sk__plat_sockname(s->fd, &a, &sys);
    if (r == 0)
        r = sk__plat_addrname(&a, out);
    return r;
}

SK_API int sk_getsockname(const sk_sock *s, sk_name *out)
{
    int r = sk__check(s);
    return r != 0 ? r : name_of(s, out, 0);
}

SK_API int sk_getpeername(const sk_sock *s, sk_name *out)
{
    int r = sk__check(s);
    if (r != 0)
        return r;
    if (s->role == SK_ROLE_UNCONNECTED) { /* a datagram object, no peer */
        if (out != NULL)
            memset(out, 0, sizeof *out);
        return out == NULL ? SK_EINVAL : SK_ENOTCONN;
    }
    if (s->role != SK_ROLE_CLIENT && s->role != SK_ROLE_CONNECTED)
        return SK_EWRONGROLE;
    return name_of(s, out, 1);
}
