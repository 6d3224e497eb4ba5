/* SPDX-License-Identifier: MIT */
/*
 * sendv.c - sk_sendv: several caller buffers sent in order with gathered
 * sends, resuming after partial sends (inside a buffer or between them)
 * and waiting for room within the call's deadline.
 */
#include "sockit_int.h"

/* Move the cursor (entry *first, *skip bytes into it) k bytes on. */
static void sk__sv_advance(const sk_iovec *iov, size_t *first, size_t *skip,
                           size_t k)
{
    while (k > 0) {
        size_t left = iov[*first].len - *skip;
        if (k < left) {
            *skip += k;
            return;
        }
        k -= left;
        (*first)++;
        *skip = 0;
    }
}

SK_API int sk_sendv(sk_sock *s, const sk_iovec *iov, size_t n, size_t *sent)
{
    size_t i, total = 0, done = 0, first = 0, skip = 0;
    sk__tm tm;
    int r;

    if (sent != NULL)
        *sent = 0;
    r = sk__check_role(s, SK_ROLE_CLIENT);
    if (r != 0)
        return r;
    if (n == 0)
        return 0;
    if (iov == NULL)
        return SK_EINVAL;
    for (i = 0; i < n; i++) {
        if (iov[i].data == NULL && iov[i].len > 0)
            return SK_EINVAL;
        if (iov[i].len > SIZE_MAX - total)
            return SK_EINVAL;
        total += iov[i].len;
    }
    if (total == 0)
        return 0;

    sk__tm_start(&tm, s);
    if (s->tls) { /* TLS: the buffers gathered into records (tls.c) */
        r = sk__tls_sendv(s, iov, n, &done, &tm);
        if (sent != NULL)
            *sent = done;
        return r;
    }
    r = sk__ensure_connected(s, &tm);
    while (r == 0 && done < total) {
        size_t k = 0;
        int sys = 0;
        /* Pass over finished and empty entries: one with bytes left exists
         * while done < total. */
        while (iov[first].len == skip) {
            first++;
            skip = 0;
        }
        r = sk__plat_sendv(s->fd, iov + first, n - first, skip, &k, &sys);
        sk__sys_set(s, sys);
        if (k > total - done)
            k = total - done; /* never trust a count past the end */
        done += k;
        s->nsent += k;
        sk__sv_advance(iov, &first, &skip, k);
        if (r == 0 && k == 0)
            r = SK_ESYSTEM; /* a stream send of nothing: cannot go on */
        else if (r == SK_EWOULDBLOCK)
            r = sk__wait(s, SK__WAIT_WRITE, &tm);
    }
    if (sent != NULL)
        *sent = done;
    return r;
}
