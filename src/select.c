/*
 * select.c - sk_select: readiness across many objects with no size limit.
 * A client holding buffered bytes is readable at once, whatever the OS
 * says, so a select loop never stalls on data sockit already has.
 */
#include "sockit_int.h"

#include <stdlib.h>

static int usable(const sk_sock *s)
{
    return s != NULL && s->role != SK_ROLE_CLOSED && s->fd != SK_FD_INVALID;
}

static int any_usable(const sk__pollent *ents, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (ents[i].events != 0)
            return 1;
    return 0;
}

SK_API int sk_select(sk_sock *const *recvt, size_t nrecv,
                     sk_sock *const *sendt, size_t nsend, double timeout,
                     sk_sock **readable, size_t *nreadable,
                     sk_sock **writable, size_t *nwritable)
{
    sk__pollent *ents;
    size_t i, n = 0, ready = 0, nr = 0, nw = 0;
    int64_t ms = sk__seconds_to_ms(timeout), start_us = sk__plat_now_us();
    int sys = 0, r, buffered = 0;

    if (nreadable != NULL)
        *nreadable = 0;
    if (nwritable != NULL)
        *nwritable = 0;
    if ((nrecv && (recvt == NULL || readable == NULL)) ||
        (nsend && (sendt == NULL || writable == NULL)) ||
        nreadable == NULL || nwritable == NULL || timeout != timeout)
        return SK_EINVAL;
    if (nsend > SIZE_MAX / sizeof *ents - 1 ||
        nrecv > SIZE_MAX / sizeof *ents - 1 - nsend)
        return SK_ENORESOURCES;
    ents = (sk__pollent *)malloc((nrecv + nsend + 1) * sizeof *ents);
    if (ents == NULL)
        return SK_ENORESOURCES;

    for (i = 0; i < nrecv; i++) {
        ents[n].fd = usable(recvt[i]) ? recvt[i]->fd : SK_FD_INVALID;
        ents[n].events = usable(recvt[i]) ? SK__WAIT_READ : 0;
        ents[n].revents = 0;
        if (usable(recvt[i]) && sk_dirty(recvt[i]))
            buffered = 1;
        n++;
    }
    for (i = 0; i < nsend; i++) {
        ents[n].fd = usable(sendt[i]) ? sendt[i]->fd : SK_FD_INVALID;
        ents[n].events = usable(sendt[i]) ? SK__WAIT_WRITE : 0;
        ents[n].revents = 0;
        n++;
    }
    if (n == 0 || !any_usable(ents, n)) {
        if (ms < 0) { /* nothing could ever wake this call */
            free(ents);
            return SK_EINVAL;
        }
    }
    if (buffered)
        ms = 0; /* something is ready already: just look at the rest */
    for (;;) {
        r = sk__plat_poll(ents, n, ms, &ready, &sys);
        if (r != SK_EWOULDBLOCK)
            break;
        if (ms > 0) { /* interrupted: wait only for what is left */
            int64_t spent = (sk__plat_now_us() - start_us) / 1000;
            ms = spent >= ms ? 0 : ms - spent;
            start_us = sk__plat_now_us();
        }
    }
    if (r != 0) {
        free(ents);
        return r;
    }
    for (i = 0; i < nrecv; i++)
        if (ents[i].revents != 0 || (usable(recvt[i]) && sk_dirty(recvt[i])))
            readable[nr++] = recvt[i];
    for (i = 0; i < nsend; i++)
        if (ents[nrecv + i].revents != 0)
            writable[nw++] = sendt[i];
    free(ents);
    *nreadable = nr;
    *nwritable = nw;
    return (nr + nw) ? 0 : SK_ETIMEOUT;
}
