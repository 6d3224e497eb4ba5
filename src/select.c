/* SPDX-License-Identifier: MIT */
/*
 * select.c - sk_select: readiness across many objects with no size limit.
 * A client holding buffered bytes is readable at once, whatever the OS
 * says, so a select loop never stalls on data sockit already has.  The
 * system is handed only what it must watch: NULL and closed entries never
 * reach it (entries with no events are left out by the backend), and when
 * the list is still longer than the system takes (poll() refuses more
 * entries than the descriptor limit) each distinct object goes once, both
 * directions merged.
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

/* ---- the merged list: when the plain one is refused -------------------- */

typedef struct sk__selref {
    sk_fd_t fd;
    size_t at; /* its entry in the plain list */
    size_t m;  /* its entry in the merged list */
} sk__selref;

static int by_fd(const void *a, const void *b)
{
    const sk__selref *x = (const sk__selref *)a, *y = (const sk__selref *)b;
    if (x->fd != y->fd)
        return x->fd < y->fd ? -1 : 1;
    return x->at < y->at ? -1 : x->at > y->at;
}

/* Poll the live entries of ents[0..n) (live of them) as one entry per
 * distinct descriptor, both directions merged, then spread the results
 * back over ents.  Returns as sk__plat_poll. */
static int poll_merged(sk__pollent *ents, size_t n, size_t live, int64_t ms,
                       size_t *ready, int *sys)
{
    sk__selref *refs;
    sk__pollent *m;
    size_t i, k = 0, nm = 0, got = 0;
    int r;
    *ready = 0;
    if (live > SIZE_MAX / (sizeof *refs + sizeof *m))
        return SK_ENORESOURCES;
    refs = (sk__selref *)sk__malloc((live ? live : 1) * sizeof *refs);
    m = (sk__pollent *)sk__malloc((live ? live : 1) * sizeof *m);
    if (refs == NULL || m == NULL) {
        sk__free(refs);
        sk__free(m);
        return SK_ENORESOURCES;
    }
    for (i = 0; i < n && k < live; i++) {
        if (ents[i].events == 0)
            continue;
        refs[k].fd = ents[i].fd;
        refs[k].at = i;
        k++;
    }
    qsort(refs, k, sizeof *refs, by_fd);
    for (i = 0; i < k; i++) {
        if (i == 0 || refs[i].fd != refs[i - 1].fd) {
            m[nm].fd = refs[i].fd;
            m[nm].events = 0;
            m[nm].revents = 0;
            nm++;
        }
        refs[i].m = nm - 1;
        m[nm - 1].events |= ents[refs[i].at].events;
    }
    r = sk__plat_poll(m, nm, ms, &got, sys);
    if (r == 0 && got > 0) {
        for (i = 0; i < k; i++) {
            sk__pollent *e = &ents[refs[i].at];
            e->revents = m[refs[i].m].revents & (e->events | SK__WAIT_ERROR);
            if (e->revents != 0)
                (*ready)++;
        }
    }
    sk__free(refs);
    sk__free(m);
    return r;
}

SK_API int sk_select(sk_sock *const *recvt, size_t nrecv,
                     sk_sock *const *sendt, size_t nsend, double timeout,
                     sk_sock **readable, size_t *nreadable,
                     sk_sock **writable, size_t *nwritable)
{
    sk__pollent stack[SK__SELECT_STACK], *ents = stack;
    size_t i, n = nrecv + nsend, ready = 0, nr = 0, nw = 0, live,
              buffered = 0;
    int64_t ms = -1;
    sk__tm tm;
    int sys = 0, r, merged = 0;

    if (nreadable != NULL)
        *nreadable = 0;
    if (nwritable != NULL)
        *nwritable = 0;
    /* An empty set needs neither its arrays nor its count pointer. */
    if ((nrecv && (recvt == NULL || readable == NULL || nreadable == NULL)) ||
        (nsend && (sendt == NULL || writable == NULL || nwritable == NULL)))
        return SK_EINVAL;
    r = sk__timeout_ms(timeout, &ms);
    if (r != 0)
        return r;
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
        r = merged ? poll_merged(ents, n, live, ms, &ready, &sys)
                   : sk__plat_poll(ents, n, ms, &ready, &sys);
        if (r == SK_EINVAL && !merged && live > 1) {
            /* More entries than the system takes (POSIX: above the
             * descriptor limit): each distinct object once. */
            merged = 1;
            continue;
        }
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
