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

SK_API int sk_send(sk_sock *s, const void *data, size_t len, ptrdiff_t i,
                   ptrdiff_t j, ptrdiff_t *last)
{
    ptrdiff_t from, to;
    size_t sent = 0;
    int r;
    /* One test for the common case: a client, and data that can be sent. */
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
    r = sk__send_all(s, (const char *)data + (from - 1),
                     (size_t)(to - from + 1), &sent, NULL);
    if (last != NULL)
        *last = from - 1 + (ptrdiff_t)sent;
    return r;
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

SK_API int sk_read(sk_sock *s, void *dst, size_t cap, size_t *got)
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

SK_API int sk_shutdown(sk_sock *s, int how)
{
    int sys = 0, r = sk__check_role(s, SK_ROLE_CLIENT);
    if (r != 0)
        return r;
    if (how < SK_SHUT_RECEIVE || how > SK_SHUT_BOTH)
        return SK_EINVAL;
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
