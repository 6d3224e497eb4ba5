/* SPDX-License-Identifier: MIT */
/*
 * udpmany.c - datagrams in batches: sk_sendmany gathers runs of datagrams
 * whose destinations need no lookup (the peer, or a host the object
 * remembers: udp.c) into one backend batch (sendmmsg on Linux), and sends
 * the others one by one as sk_sendto would; sk_recvmany waits for one
 * datagram and takes the ones already there, a backend batch at a time.
 * sk_sendmanyaddr / sk_recvmanyaddr: the same with addresses in binary
 * form (sk_addr) beside the datagrams instead of text in them.
 */
#include "sockit_int.h"

#include <string.h>

/* Start tm at the first wait (as the single-datagram calls do). */
static const sk__tm *many_tm(sk_sock *s, sk__tm *tm, int *started)
{
    if (!*started) {
        sk__tm_start(tm, s);
        *started = 1;
    }
    return tm;
}

/* Gather the destinations of d[0..n-1] (n <= SK__BATCH) into to[] (NULL:
 * the peer) while none needs a lookup.  Returns how many were gathered;
 * *r receives the error of the datagram that stopped it (0 when it only
 * needs a lookup, or when all n were gathered).  A datagram that names the
 * same host text (the same pointer) and port as the one before it goes
 * where that one goes. */
SK__ALWAYS_INLINE size_t many_gather(sk_sock *s, const sk_dgram *d,
                                     size_t n, const sk__addr **to, int *r)
{
    size_t m;
    *r = 0;
    for (m = 0; m < n; m++) {
        const sk_dgram *g = &d[m];
        const sk__addr *a = NULL;
        if (g->data == NULL && g->len > 0) {
            *r = SK_EINVAL;
            break;
        }
        if (g->host == NULL) {
            if (s->role != SK_ROLE_CONNECTED) {
                *r = SK_ENOTCONN;
                break;
            }
        } else if (m > 0 && g->host == d[m - 1].host &&
                   g->port == d[m - 1].port && to[m - 1] != NULL) {
            a = to[m - 1];
        } else if (s->role == SK_ROLE_CONNECTED ||
                   (a = sk__udp_known(s, g->host, g->port)) == NULL) {
            break; /* a lookup (or the error it finds) */
        }
        to[m] = a;
    }
    return m;
}

/* Whether a and b are the same destination (the same bytes: an IPv4
 * address compared inline). */
static int many_same(const sk__addr *a, const sk__addr *b)
{
    uint64_t x[2], y[2];
    if (a->len != b->len)
        return 0;
    if (a->len != 16)
        return memcmp(a->sa.bytes, b->sa.bytes, a->len) == 0;
    memcpy(x, a->sa.bytes, 16);
    memcpy(y, b->sa.bytes, 16);
    return x[0] == y[0] && x[1] == y[1];
}

/* many_gather for sk_sendmanyaddr: d[i] goes to a[i] while each can be
 * sent to as it is (sk__udp_addr_direct); a destination the same as the
 * one before it shares its pointer (a run the backend may send as one). */
SK__ALWAYS_INLINE size_t many_gather_addr(sk_sock *s, const sk_dgram *d,
                                          const sk__addr *a, size_t n,
                                          const sk__addr **to, int *r)
{
    size_t m;
    *r = 0;
    for (m = 0; m < n; m++) {
        if (d[m].data == NULL && d[m].len > 0) {
            *r = SK_EINVAL;
            break;
        }
        if (!sk__udp_addr_direct(s, &a[m]))
            break; /* the general path (or the error it finds) */
        to[m] = m > 0 && many_same(&a[m], to[m - 1]) ? to[m - 1] : &a[m];
    }
    return m;
}

/* sk_sendmany (a NULL: the destinations in d) and sk_sendmanyaddr (a[i]:
 * d[i]'s destination) after their checks.  Inline: each call gets its own
 * copy, without the other's tests per datagram. */
SK__ALWAYS_INLINE int many_send(sk_sock *s, const sk_dgram *d,
                                 const sk__addr *a, size_t n, size_t *done)
{
    const sk__addr *to[SK__BATCH];
    sk__tm tm;
    size_t k = 0;
    int started = 0, r = 0;
    while (k < n) {
        size_t left = n - k, m, sent = 0, i;
        if (left > SK__BATCH)
            left = SK__BATCH;
        m = a != NULL ? many_gather_addr(s, d + k, a + k, left, to, &r)
                      : many_gather(s, d + k, left, to, &r);
        if (m == 0) {
            const sk_dgram *g = &d[k];
            if (r != 0)
                break;
            /* A host to look up, an address to check or map: alone, as
             * sk_sendto / sk_sendtoaddr send it. */
            if (a != NULL)
                r = sk__udp_sendtoaddr_any(s, g->data, g->len, &a[k],
                                           started ? &tm : NULL);
            else
                r = sk__udp_sendto_lookup(s, g->data, g->len, g->host,
                                          g->port, started ? &tm : NULL);
            if (r != 0)
                break;
            k++;
            continue;
        }
        r = sk__plat_sendmany(s->fd, d + k, to, m, sk__udp_gso(s), &sent,
                              &s->sys);
        for (i = 0; i < sent; i++)
            s->nsent += d[k + i].len;
        k += sent;
        if (sent > 0) {
            s->bound = 1; /* the system binds a socket that sends */
            r = 0;
            continue;
        }
        if (r != SK_EWOULDBLOCK)
            break;
        r = sk__wait(s, SK__WAIT_WRITE, many_tm(s, &tm, &started));
        if (r != 0)
            break;
    }
    if (done != NULL)
        *done = k;
    return r;
}

SK_API int sk_sendmany(sk_sock *s, const sk_dgram *d, size_t n,
                       size_t *done)
{
    int r = sk__udp_check(s);
    if (done != NULL)
        *done = 0;
    if (r != 0)
        return r;
    if (d == NULL && n > 0)
        return SK_EINVAL;
    return many_send(s, d, NULL, n, done);
}

SK_API int sk_sendmanyaddr(sk_sock *s, const sk_dgram *d, const sk_addr *to,
                           size_t n, size_t *done)
{
    int r = sk__udp_check(s);
    if (done != NULL)
        *done = 0;
    if (r != 0)
        return r;
    if ((d == NULL || to == NULL) && n > 0)
        return SK_EINVAL;
    if (n > 0 && s->role == SK_ROLE_CONNECTED)
        return SK_EISCONN;
    return many_send(s, d, to, n, done);
}

/* How many of d[0..n-1] come before the first with NULL data and a len
 * (n when none has). */
static size_t many_bad(const sk_dgram *d, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (d[i].data == NULL && d[i].len > 0)
            break;
    return i;
}

/* After a full batch, the next asks for at most this many first: most
 * often nothing more is there, and a batch costs the backend a little
 * for every datagram it asks for. */
#define SK__BATCH_PROBE 8

/* sk_recvmany (fa NULL: senders named into d[i].from) and
 * sk_recvmanyaddr (fa[i]: d[i]'s sender) after their checks (n >= 1).
 * Inline, as many_send. */
SK__ALWAYS_INLINE int many_recv(sk_sock *s, sk_dgram *d, sk__addr *fa,
                                 size_t n, size_t *done)
{
    sk__addr from[SK__BATCH];
    sk__tm tm;
    size_t k = 0, i, most = SK__BATCH;
    int started = 0, wait = 1, r;
    i = n < SK__BATCH ? n : SK__BATCH; /* the first batch */
    if (many_bad(d, i) < i)
        return SK_EINVAL;
    if (!sk__udp_bound(s))
        return SK_ENOTCONN;
    /* Batches until n are in or one comes back short (nothing more is
     * there); only the first may wait.  Each batch's datagrams are checked
     * before it: a bad one after the first batch ends the call before it
     * (the next call, which starts there, fails with it). */
    while (k < n) {
        size_t left = n - k, m = left < most ? left : most, got = 0;
        if (k > 0 && (m = many_bad(d + k, m)) == 0)
            break;
        r = sk__plat_recvmany(s->fd, d + k, fa != NULL ? fa + k : from, m,
                              fa != NULL, wait, &got, &s->sys);
        if (r != 0) {
            if (k > 0)
                break; /* what came before is the result; the rest waits */
            if (sk__udp_icmp(r) && s->role == SK_ROLE_UNCONNECTED)
                continue; /* consumed by the system: the next call differs */
            if (r == SK_EWOULDBLOCK)
                r = sk__wait(s, SK__WAIT_READ, many_tm(s, &tm, &started));
            if (r != 0)
                return r;
            continue;
        }
        for (i = 0; i < got; i++) {
            sk_dgram *g = &d[k + i];
            s->nrecv += g->got;
            if (fa == NULL && g->from != NULL)
                sk__udp_name_quick(s, &from[i], g->from);
        }
        k += got;
        if (got < m)
            break;
        most = wait ? SK__BATCH_PROBE : SK__BATCH;
        wait = 0;
    }
    *done = k;
    return 0;
}

SK_API int sk_recvmany(sk_sock *s, sk_dgram *d, size_t n, size_t *done)
{
    int r = sk__udp_check(s);
    if (done != NULL)
        *done = 0;
    if (r != 0)
        return r;
    if (done == NULL || (d == NULL && n > 0))
        return SK_EINVAL;
    return n == 0 ? 0 : many_recv(s, d, NULL, n, done);
}

SK_API int sk_recvmanyaddr(sk_sock *s, sk_dgram *d, sk_addr *from, size_t n,
                           size_t *done)
{
    int r = sk__udp_check(s);
    if (done != NULL)
        *done = 0;
    if (r != 0)
        return r;
    if (done == NULL || ((d == NULL || from == NULL) && n > 0))
        return SK_EINVAL;
    return n == 0 ? 0 : many_recv(s, d, from, n, done);
}
