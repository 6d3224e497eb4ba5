/* SPDX-License-Identifier: MIT */
/*
 * select.c - sk_select: readiness across many objects with no size limit.
 * A client holding buffered bytes is readable at once, whatever the OS
 * says, so a select loop never stalls on data sockit already has.
 */
#include "sockit_int.h"

#include <stdlib.h>

/* Up to this many entries sk_select needs no heap (1.5 KiB of stack). */
#define SK__SELECT_STACK 128

static int usable(const sk_sock *s)
{
    return s != NULL && s->role != SK_ROLE_CLOSED && s->fd != SK_FD_INVALID;
}

/* Fill ents[0..n) for the objects of t: events as asked for the usable
 * ones, none for the rest.  Returns how many are usable; *buffered (when
 * not NULL) counts those holding received bytes. */
static size_t fill_ents(sk__pollent *ents, sk_sock *const *t, size_t n,
                        int want, size_t *buffered)
{
    size_t i, live = 0;
    for (i = 0; i < n; i++) {
        const sk_sock *o = t[i];
        if (usable(o)) {
            ents[i].fd = o->fd;
            ents[i].events = want;
            live++;
            if (buffered != NULL && sk__buffered(o)) /* sk_dirty */
                (*buffered)++;
        } else {
            ents[i].fd = SK_FD_INVALID;
            ents[i].events = 0;
        }
        ents[i].revents = 0;
    }
    return live;
}

SK_API int sk_select(sk_sock *const *recvt, size_t nrecv,
                     sk_sock *const *sendt, size_t nsend, double timeout,
                     sk_sock **readable, size_t *nreadable,
                     sk_sock **writable, size_t *nwritable)
{
    sk__pollent stack[SK__SELECT_STACK], *ents = stack;
    size_t i, n = nrecv + nsend, ready = 0, nr = 0, nw = 0, live,
              buffered = 0;
    int64_t ms = sk__seconds_to_ms(timeout);
    sk__tm tm;
    int sys = 0, r;

    if (nreadable != NULL)
        *nreadable = 0;
    if (nwritable != NULL)
        *nwritable = 0;
    /* An empty set needs neither its arrays nor its count pointer. */
    if ((nrecv && (recvt == NULL || readable == NULL || nreadable == NULL)) ||
        (nsend && (sendt == NULL || writable == NULL || nwritable == NULL)) ||
        timeout != timeout)
        return SK_EINVAL;
    if (nsend > SIZE_MAX / sizeof *ents - 1 ||
        nrecv > SIZE_MAX / sizeof *ents - 1 - nsend)
        return SK_ENORESOURCES;
    if (n > SK__SELECT_STACK) {
        ents = (sk__pollent *)sk__malloc(n * sizeof *ents);
        if (ents == NULL)
            return SK_ENORESOURCES;
    }
    live = fill_ents(ents, recvt, nrecv, SK__WAIT_READ, &buffered);
    live += fill_ents(ents + nrecv, sendt, nsend, SK__WAIT_WRITE, NULL);
    if (live == 0 && ms < 0) { /* nothing could ever wake this call */
        r = SK_EINVAL;
        goto out;
    }
    if (buffered > 0)
        ms = 0; /* something is ready already: just look at the rest */
    sk__tm_start_ms(&tm, ms);
    for (;;) {
        r = sk__plat_poll(ents, n, ms, &ready, &sys);
        if (r != SK_EWOULDBLOCK)
            break;
        if (ms > 0) /* interrupted: wait only for what is left */
            ms = sk__tm_left(&tm);
    }
    if (r != 0)
        goto out;
    /* Ready entries, and readers with buffered bytes (looked for only when
     * there are some). */
    for (i = 0; i < nrecv && (ready > 0 || buffered > 0); i++) {
        if (ents[i].revents != 0) {
            readable[nr++] = recvt[i];
            ready--;
        } else if (buffered > 0 && usable(recvt[i]) && sk_dirty(recvt[i])) {
            readable[nr++] = recvt[i];
            buffered--;
        }
    }
    for (i = 0; i < nsend && ready > 0; i++) {
        if (ents[nrecv + i].revents != 0) {
            writable[nw++] = sendt[i];
            ready--;
        }
    }
    if (nreadable != NULL)
        *nreadable = nr;
    if (nwritable != NULL)
        *nwritable = nw;
    r = (nr + nw) ? 0 : SK_ETIMEOUT;
out:
    if (ents != stack)
        sk__free(ents);
    return r;
}
