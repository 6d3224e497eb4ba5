/* SPDX-License-Identifier: MIT */
/*
 * select.c - sk_select: readiness across many objects with no size limit.
 * A client holding buffered bytes is readable at once, whatever the OS
 * says, so a select loop never stalls on data sockit already has.
 */
#include "sockit_int.h"

#include <stdlib.h>

/* Up to this many entries sk_select needs no heap (2.5 KiB of stack). */
#define SK__SELECT_STACK 64

/* One usable entry of recvt or sendt. */
typedef struct sk__selref {
    sk_fd_t fd;
    size_t at;  /* index in recvt, or nrecv + index in sendt */
    size_t ent; /* its entry in the list handed to sk__plat_poll */
} sk__selref;

static int usable(const sk_sock *s)
{
    return s != NULL && s->role != SK_ROLE_CLOSED && s->fd != SK_FD_INVALID;
}

static int by_fd(const void *a, const void *b)
{
    const sk__selref *x = (const sk__selref *)a, *y = (const sk__selref *)b;
    if (x->fd != y->fd)
        return x->fd < y->fd ? -1 : 1;
    return x->at < y->at ? -1 : x->at > y->at;
}

static int by_at(const void *a, const void *b)
{
    const sk__selref *x = (const sk__selref *)a, *y = (const sk__selref *)b;
    return x->at < y->at ? -1 : x->at > y->at;
}

/* Append a ref for each usable object of t (positions from base on).
 * Returns the new count; *buffered (when not NULL) counts the objects
 * holding received bytes. */
static size_t add_refs(sk__selref *refs, size_t k, sk_sock *const *t,
                       size_t n, size_t base, size_t *buffered)
{
    size_t i;
    for (i = 0; i < n; i++) {
        const sk_sock *o = t[i];
        if (!usable(o))
            continue;
        refs[k].fd = o->fd;
        refs[k].at = base + i;
        refs[k].ent = 0;
        k++;
        if (buffered != NULL && sk__buffered(o)) /* sk_dirty */
            (*buffered)++;
    }
    return k;
}

/* The poll list: one entry per distinct descriptor, its directions merged
 * (poll() refuses more entries than the descriptor limit, and a server
 * loop lists each client in both sets).  Returns the count of entries. */
static size_t merge_refs(sk__selref *refs, size_t k, size_t nrecv,
                         sk__pollent *ents)
{
    size_t i, m = 0;
    qsort(refs, k, sizeof *refs, by_fd);
    for (i = 0; i < k; i++) {
        if (i == 0 || refs[i].fd != refs[i - 1].fd) {
            ents[m].fd = refs[i].fd;
            ents[m].events = 0;
            ents[m].revents = 0;
            m++;
        }
        refs[i].ent = m - 1;
        ents[m - 1].events |=
            refs[i].at < nrecv ? SK__WAIT_READ : SK__WAIT_WRITE;
    }
    return m;
}

SK_API int sk_select(sk_sock *const *recvt, size_t nrecv,
                     sk_sock *const *sendt, size_t nsend, double timeout,
                     sk_sock **readable, size_t *nreadable,
                     sk_sock **writable, size_t *nwritable)
{
    sk__selref stack_refs[SK__SELECT_STACK], *refs = stack_refs;
    sk__pollent stack_ents[SK__SELECT_STACK], *ents = stack_ents;
    size_t i, n, k, m, ready = 0, nr = 0, nw = 0, buffered = 0;
    int64_t ms;
    sk__tm tm;
    int sys = 0, r;

    if (nreadable != NULL)
        *nreadable = 0;
    if (nwritable != NULL)
        *nwritable = 0;
    if ((nrecv && (recvt == NULL || readable == NULL)) ||
        (nsend && (sendt == NULL || writable == NULL)) ||
        nreadable == NULL || nwritable == NULL)
        return SK_EINVAL;
    r = sk__timeout_ms(timeout, &ms);
    if (r != 0)
        return r;
    if (nrecv > SIZE_MAX - nsend)
        return SK_ENORESOURCES;
    /* Only usable objects take room. */
    for (i = 0, n = 0; i < nrecv; i++)
        n += usable(recvt[i]) != 0;
    for (i = 0; i < nsend; i++)
        n += usable(sendt[i]) != 0;
    if (n > SK__SELECT_STACK) {
        if (n > SIZE_MAX / (sizeof *refs + sizeof *ents))
            return SK_ENORESOURCES;
        refs = (sk__selref *)sk__malloc(n * sizeof *refs);
        ents = (sk__pollent *)sk__malloc(n * sizeof *ents);
        if (refs == NULL || ents == NULL) {
            r = SK_ENORESOURCES;
            goto out;
        }
    }
    k = add_refs(refs, 0, recvt, nrecv, 0, &buffered);
    k = add_refs(refs, k, sendt, nsend, nrecv, NULL);
    if (k == 0 && ms < 0) { /* nothing could ever wake this call */
        r = SK_EINVAL;
        goto out;
    }
    m = merge_refs(refs, k, nrecv, ents);
    if (buffered > 0)
        ms = 0; /* something is ready already: just look at the rest */
    sk__tm_start_ms(&tm, ms);
    for (;;) {
        r = sk__plat_poll(ents, m, ms, &ready, &sys);
        if (r != SK_EWOULDBLOCK)
            break;
        if (ms > 0) /* interrupted: wait only for what is left */
            ms = sk__tm_left(&tm);
    }
    if (r != 0)
        goto out;
    /* Back to the callers' order: ready entries, and readers with buffered
     * bytes. */
    if (ready > 0 || buffered > 0) {
        qsort(refs, k, sizeof *refs, by_at);
        for (i = 0; i < k; i++) {
            int ev = ents[refs[i].ent].revents;
            if (refs[i].at < nrecv) {
                sk_sock *o = recvt[refs[i].at];
                if ((ev & (SK__WAIT_READ | SK__WAIT_ERROR)) ||
                    (buffered > 0 && sk_dirty(o)))
                    readable[nr++] = o;
            } else if (ev & (SK__WAIT_WRITE | SK__WAIT_ERROR)) {
                writable[nw++] = sendt[refs[i].at - nrecv];
            }
        }
    }
    *nreadable = nr;
    *nwritable = nw;
    r = (nr + nw) ? 0 : SK_ETIMEOUT;
out:
    if (refs != stack_refs)
        sk__free(refs);
    if (ents != stack_ents)
        sk__free(ents);
    return r;
}
