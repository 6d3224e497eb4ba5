/* SPDX-License-Identifier: MIT */
/*
 * poll_poll.c (POSIX) - the poll(2) readiness backend, for any POSIX
 * system: an array of pollfd that grows as needed (no limit of its own),
 * each registration remembering its index, so that changes cost O(1)
 * and a wait O(registrations).
 */
#include "posix_int.h"

#if SK_OS_POSIX
#include <stdlib.h>

typedef struct sk__pollb {
    sk__poller base;
    struct pollfd *fds;
    sk__pollreg **regs; /* regs[i] owns fds[i]; regs[i]->slot == i */
    size_t n, cap;
} sk__pollb;

static short sk__pollb_mask(int events)
{
    short m = 0;
    if (events & SK__WAIT_READ)
        m |= POLLIN;
    if (events & SK__WAIT_WRITE)
        m |= POLLOUT;
    return m;
}

/* Room for n registrations (the arrays only grow). */
static int sk__pollb_reserve(sk__poller *base, size_t n)
{
    sk__pollb *p = (sk__pollb *)base;
    size_t cap = p->cap ? p->cap : 64;
    struct pollfd *fds;
    sk__pollreg **regs;
    if (n <= p->cap)
        return 0;
    while (cap < n && cap <= ((size_t)-1) / 2 / sizeof *fds)
        cap *= 2;
    if (cap < n || cap > ((size_t)-1) / sizeof *fds)
        return SK_ENORESOURCES;
    fds = (struct pollfd *)sk__realloc(p->fds, cap * sizeof *fds);
    if (fds == NULL)
        return SK_ENORESOURCES;
    p->fds = fds;
    regs = (sk__pollreg **)sk__realloc(p->regs, cap * sizeof *regs);
    if (regs == NULL)
        return SK_ENORESOURCES; /* fds stays larger: harmless */
    p->regs = regs;
    p->cap = cap;
    return 0;
}

static int sk__pollb_add(sk__poller *base, sk__pollreg *r, int *sys)
{
    sk__pollb *p = (sk__pollb *)base;
    (void)sys;
    if (r->fd < 0)
        return SK_EINVAL;
    if (p->n == p->cap && sk__pollb_reserve(base, p->n + 1) != 0)
        return SK_ENORESOURCES;
    p->fds[p->n].fd = r->fd;
    p->fds[p->n].events = sk__pollb_mask(r->events);
    p->fds[p->n].revents = 0;
    p->regs[p->n] = r;
    r->slot = p->n++;
    return 0;
}

static int sk__pollb_mod(sk__poller *base, sk__pollreg *r, int *sys)
{
    sk__pollb *p = (sk__pollb *)base;
    (void)sys;
    p->fds[r->slot].fd = r->fd;
    p->fds[r->slot].events = sk__pollb_mask(r->events);
    return 0;
}

static void sk__pollb_del(sk__poller *base, sk__pollreg *r, int stale)
{
    sk__pollb *p = (sk__pollb *)base;
    size_t i = r->slot, last = p->n - 1;
    (void)stale; /* nothing in the kernel to forget */
    if (i != last) {
        p->fds[i] = p->fds[last];
        p->regs[i] = p->regs[last];
        p->regs[i]->slot = i;
    }
    p->n--;
}

static int sk__pollb_wait(sk__poller *base, int64_t ms, sk__pollout *out,
                          size_t cap, size_t *n, int *sys)
{
    sk__pollb *p = (sk__pollb *)base;
    size_t i, k = 0;
    int got = poll(p->fds, (nfds_t)p->n, sk__posix_wait_ms(ms));
    *n = 0;
    if (got < 0)
        return sk__posix_fail(sys); /* EINTR: SK_EWOULDBLOCK */
    for (i = 0; i < p->n && got > 0 && k < cap; i++) {
        short e = p->fds[i].revents;
        int ev = 0;
        if (e == 0)
            continue;
        got--;
        if (e & POLLIN)
            ev |= SK__WAIT_READ;
        if (e & POLLOUT)
            ev |= SK__WAIT_WRITE;
        if (e & (POLLERR | POLLHUP | POLLNVAL))
            ev |= SK__WAIT_ERROR;
        out[k].ptr = p->regs[i]->ptr;
        out[k].events = ev;
        k++;
    }
    *n = k;
    return 0;
}

static void sk__pollb_free(sk__poller *base)
{
    sk__pollb *p = (sk__pollb *)base;
    sk__free(p->fds);
    sk__free(p->regs);
    sk__free(p);
}

static const sk__poller_ops sk__pollb_ops = {
    "poll", sk__pollb_add, sk__pollb_mod, sk__pollb_del, sk__pollb_wait,
    sk__pollb_free, sk__pollb_reserve};

int sk__posix_poll_new(sk__poller **out, int *sys)
{
    sk__pollb *p = (sk__pollb *)sk__calloc(1, sizeof *p);
    (void)sys;
    if (p == NULL)
        return SK_ENORESOURCES;
    p->base.ops = &sk__pollb_ops;
    p->base.unique = 1;
    *out = &p->base;
    return 0;
}
#endif
