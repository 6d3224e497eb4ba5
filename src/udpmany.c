/* SPDX-License-Identifier: MIT */
/*
 * udpmany.c - datagrams in batches: sk_sendmany gathers runs of datagrams
 * whose destinations need no lookup (the peer, or a host the object
 * remembers: udp.c) into one backend batch (sendmmsg on Linux), and sends
 * the others one by one as sk_sendto would; sk_recvmany waits for one
 * datagram and takes the ones already there, a backend batch at a time.
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

/* Gather d[0..n-1] (n <= SK__BATCH) into b while each one's destination
 * needs no lookup; to[] holds the addresses.  Returns how many were
 * gathered; *r receives the error of the datagram that stopped it (0 when
 * it only needs a lookup, or when all n were gathered). */
static size_t many_gather(sk_sock *s, const sk_dgram *d, size_t n,
                          sk__dgram *b, sk__addr *to, int *r)
{
    static const char none = 0; /* a valid pointer for an empty datagram */
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
        } else if (s->role == SK_ROLE_CONNECTED ||
                   !sk__udp_dest(s, g->host, g->port, &a)) {
            break; /* a lookup (or the error it finds) */
        }
        b[m].buf = g->data != NULL ? g->data : (void *)&none;
        b[m].len = g->len;
        b[m].to = NULL;
        if (a != NULL) {
            to[m].family = a->family;
            to[m].len = a->len;
            memcpy(to[m].sa.bytes, a->sa.bytes, a->len);
            b[m].to = &to[m];
        }
    }
    return m;
}

SK_API int sk_sendmany(sk_sock *s, const sk_dgram *d, size_t n,
                       size_t *done)
{
    sk__dgram b[SK__BATCH];
    sk__addr to[SK__BATCH];
    sk__tm tm;
    size_t k = 0;
    int started = 0, r = sk__udp_check(s);
    if (done != NULL)
        *done = 0;
    if (r != 0)
        return r;
    if (d == NULL && n > 0)
        return SK_EINVAL;
    while (k < n) {
        size_t left = n - k, m, sent = 0, i;
        m = many_gather(s, d + k, left < SK__BATCH ? left : SK__BATCH, b, to,
                        &r);
        if (m == 0) {
            const sk_dgram *g = &d[k];
            if (r != 0)
                break;
            /* A host to look up: alone, as sk_sendto sends it. */
            r = sk__udp_sendto_lookup(s, g->data, g->len, g->host, g->port,
                                      started ? &tm : NULL);
            if (r != 0)
                break;
            k++;
            continue;
        }
        r = sk__plat_sendmany(s->fd, b, m, &sent, &s->sys);
        for (i = 0; i < sent; i++)
            s->nsent += b[i].len;
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

SK_API int sk_recvmany(sk_sock *s, sk_dgram *d, size_t n, size_t *done)
{
    sk__dgram b[SK__BATCH];
    sk__addr from[SK__BATCH];
    sk__tm tm;
    size_t k = 0, i;
    int started = 0, wait = 1, r = sk__udp_check(s);
    if (done != NULL)
        *done = 0;
    if (r != 0)
        return r;
    if (done == NULL || (d == NULL && n > 0))
        return SK_EINVAL;
    for (i = 0; i < n; i++)
        if (d[i].data == NULL && d[i].len > 0)
            return SK_EINVAL;
    if (n == 0)
        return 0;
    if (!sk__udp_bound(s))
        return SK_ENOTCONN;
    /* Batches until n are in or one comes back short (nothing more is
     * there); only the first may wait. */
    while (k < n) {
        static char none;
        size_t left = n - k, m = left < SK__BATCH ? left : SK__BATCH, got = 0;
        for (i = 0; i < m; i++) {
            b[i].buf = d[k + i].data != NULL ? d[k + i].data : (void *)&none;
            b[i].len = d[k + i].len;
            b[i].to = NULL;
            b[i].from = d[k + i].from != NULL ? &from[i] : NULL;
        }
        r = sk__plat_recvmany(s->fd, b, m, wait, &got, &s->sys);
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
            g->got = b[i].got;
            g->size = b[i].size;
            g->status = b[i].trunc ? SK_ETRUNCATED : 0;
            s->nrecv += b[i].got;
            if (g->from != NULL)
                sk__udp_name(s, &from[i], g->from);
        }
        k += got;
        wait = 0;
        if (got < m)
            break;
    }
    *done = k;
    return 0;
}
