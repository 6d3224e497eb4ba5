/* SPDX-License-Identifier: MIT */
/*
 * object.c - per-object settings and accounting that every role has:
 * timeouts, the line limit, dirty, the native handle and the statistics.
 */
#include "sockit_int.h"

void sk__sync_blocking(sk_sock *s, int was)
{
    int now = sk__os_blocking(s, s->family);
    /* A failure leaves a socket that does not block, which every call
     * handles (by waiting in poll): nothing to report. */
    if (now != was && s->fd != SK_FD_INVALID)
        (void)sk__plat_set_blocking(s->fd, now, !(s->life & SK__LIFE_ADOPTED), NULL);
}

SK_API int sk_settimeout(sk_sock *s, double seconds, char mode)
{
    int64_t ms = -1;
    int was, r = sk__check(s);
    if (r != 0)
        return r;
    if (mode != 'b' && mode != 't')
        return SK_EINVAL;
    r = sk__timeout_ms(seconds, &ms);
    if (r != 0)
        return r;
    was = sk__os_blocking(s, s->family);
    if (mode == 'b')
        s->block_ms = ms;
    else
        s->total_ms = ms;
    sk__sync_blocking(s, was);
    return 0;
}

SK_API int sk_gettimeout(const sk_sock *s, double *block, double *total)
{
    int r = sk__check(s);
    if (r != 0)
        return r;
    if (block != NULL)
        *block = s->block_ms < 0 ? -1.0 : (double)s->block_ms / 1000.0;
    if (total != NULL)
        *total = s->total_ms < 0 ? -1.0 : (double)s->total_ms / 1000.0;
    return 0;
}

SK_API int sk_setlinelimit(sk_sock *s, size_t max)
{
    int r = sk__check(s);
    if (r != 0)
        return r;
    if (max == 0)
        return SK_EINVAL;
    s->linemax = max;
    return 0;
}

SK_API int sk_getlinelimit(const sk_sock *s, size_t *max)
{
    int r = sk__check(s);
    if (r != 0)
        return r;
    if (max == NULL)
        return SK_EINVAL;
    *max = s->linemax;
    return 0;
}

SK_API int sk_dirty(const sk_sock *s)
{
    return s != NULL && sk__buffered(s);
}

SK_API sk_fd_t sk_getfd(const sk_sock *s)
{
    return s == NULL ? SK_FD_INVALID : s->fd;
}

SK_API int sk_setfd(sk_sock *s, sk_fd_t fd)
{
    int family = SK__AF_UNSPEC, r = sk__check(s);
    if (r != 0)
        return r;
    sk__notify(s, SK__NOTE_SETFD, fd); /* a watch moves to the new handle */
    sk__udp_forget(s); /* what it named was for the old socket */
    sk__peer_forget(s); /* and where its peer is */
    s->fd = fd;
    /* Learn the family of a socket made elsewhere, so that bind and
     * connect pick matching addresses; and make it block only if the
     * object may wait without limit (sockit's timeouts wait in poll). */
    if (fd != SK_FD_INVALID) {
        family = s->family;
        (void)sk__plat_family(fd, &family, NULL);
        s->family = (unsigned char)family;
        s->life |= SK__LIFE_ADOPTED;
        (void)sk__plat_set_blocking(fd, sk__os_blocking(s, s->family), 0,
                                    NULL);
    }
    return 0;
}

SK_API int sk_getstats(const sk_sock *s, uint64_t *received, uint64_t *sent,
                       double *age)
{
    int r = sk__check(s);
    if (r != 0)
        return r;
    if (received != NULL)
        *received = s->nrecv;
    if (sent != NULL)
        *sent = s->nsent;
    if (age != NULL)
        *age = (double)(sk__plat_now_us() - s->birth_us) / 1e6;
    return 0;
}

SK_API int sk_setstats(sk_sock *s, uint64_t received, uint64_t sent,
                       double age)
{
    int r = sk__check(s);
    if (r != 0)
        return r;
    if (!(age >= 0) || age > 1e12)
        return SK_EINVAL;
    s->nrecv = received;
    s->nsent = sent;
    s->birth_us = sk__plat_now_us() - (int64_t)(age * 1e6);
    return 0;
}
