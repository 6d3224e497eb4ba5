/* SPDX-License-Identifier: MIT */
/*
 * poll_select.c - the Windows readiness backend: select over sets sized to
 * need (a Windows fd_set is a count and an array that select reads
 * fd_count entries of: never limited to FD_SETSIZE, 64), rebuilt for each
 * wait from the registrations, which remember their index.  select, not
 * WSAPoll (which misses failed connects before Windows 10 2004) nor AFD
 * tricks (which Wine does not run): a failed connect shows up in the
 * except set, watched along with the write set.
 */
#include "../plat.h"

#if SK_OS_WIN32

#include "win32_int.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

typedef struct sk__wsel {
    sk__poller base;
    sk__pollreg **regs; /* regs[i]->slot == i */
    size_t n, cap;
    fd_set *rd, *wr, *ex; /* room for setcap sockets each */
    size_t setcap;
} sk__wsel;

static SOCKET *sk__wsel_arr(fd_set *set) {
    return (SOCKET *)((char *)set + offsetof(fd_set, fd_array));
}

/* Sets with room for n sockets (never smaller than an fd_set). */
static int sk__wsel_reserve(sk__wsel *p, size_t n) {
    size_t bytes, i;
    fd_set **sets[3];
    if (n <= p->setcap && p->rd != NULL)
        return 0;
    /* Grow by doubling (at least 64): one copy per doubling, not one per
     * registration. */
    if (n < 64)
        n = 64;
    if (n < 2 * p->setcap && p->setcap <= (size_t)UINT_MAX / 2)
        n = 2 * p->setcap;
    if (n > (size_t)UINT_MAX ||
        n > ((size_t)-1 - sizeof(fd_set)) / sizeof(SOCKET))
        return SK_ENORESOURCES;
    bytes = offsetof(fd_set, fd_array) + n * sizeof(SOCKET);
    if (bytes < sizeof(fd_set))
        bytes = sizeof(fd_set);
    sets[0] = &p->rd;
    sets[1] = &p->wr;
    sets[2] = &p->ex;
    for (i = 0; i < 3; i++) {
        fd_set *s = (fd_set *)sk__realloc(*sets[i], bytes);
        if (s == NULL)
            return SK_ENORESOURCES; /* the old ones stay, as large as before */
        *sets[i] = s;
    }
    p->setcap = n;
    return 0;
}

/* Room for n registrations: the list and the three sets (ops->reserve). */
static int sk__wsel_room(sk__poller *base, size_t n) {
    sk__wsel *p = (sk__wsel *)base;
    if (n > p->cap) {
        size_t cap = p->cap ? p->cap : 64;
        sk__pollreg **regs;
        while (cap < n && cap <= ((size_t)-1) / 2 / sizeof *regs)
            cap *= 2;
        if (cap < n || cap > ((size_t)-1) / sizeof *regs)
            return SK_ENORESOURCES;
        regs = (sk__pollreg **)sk__realloc(p->regs, cap * sizeof *regs);
        if (regs == NULL)
            return SK_ENORESOURCES;
        p->regs = regs;
        p->cap = cap;
    }
    return sk__wsel_reserve(p, n);
}

static int sk__wsel_add(sk__poller *base, sk__pollreg *r, int *sys) {
    sk__wsel *p = (sk__wsel *)base;
    int type = 0, len = (int)sizeof type;
    /* select fails as a whole on one handle that is not a socket: refuse
     * it here instead. */
    if (getsockopt(SK__SOCK(r->fd), SOL_SOCKET, SO_TYPE, (char *)&type,
                   &len) == SOCKET_ERROR) {
        int err = WSAGetLastError();
        if (sys != NULL)
            *sys = err;
        return err == WSAENOTSOCK ? SK_EINVAL : sk__win_code(err);
    }
    if (sk__wsel_room(base, p->n + 1) != 0)
        return SK_ENORESOURCES;
    p->regs[p->n] = r;
    r->slot = p->n++;
    return 0;
}

static int sk__wsel_mod(sk__poller *base, sk__pollreg *r, int *sys) {
    (void)base;
    (void)r;
    (void)sys;
    return 0; /* the sets are built from r->events at each wait */
}

static void sk__wsel_del(sk__poller *base, sk__pollreg *r, int stale) {
    sk__wsel *p = (sk__wsel *)base;
    size_t i = r->slot, last = p->n - 1;
    (void)stale;
    if (i != last) {
        p->regs[i] = p->regs[last];
        p->regs[i]->slot = i;
    }
    p->n--;
}

static int sk__wsel_cmp(const void *a, const void *b) {
    SOCKET x = *(const SOCKET *)a, y = *(const SOCKET *)b;
    return x < y ? -1 : x > y;
}

static void sk__wsel_sort(fd_set *set) {
    if (set->fd_count > 1)
        qsort(sk__wsel_arr(set), set->fd_count, sizeof(SOCKET),
              sk__wsel_cmp);
}

static int sk__wsel_has(fd_set *set, SOCKET s) {
    return set->fd_count > 0 &&
           bsearch(&s, sk__wsel_arr(set), set->fd_count, sizeof(SOCKET),
                   sk__wsel_cmp) != NULL;
}

/* select failed with WSAENOTSOCK: a handle was closed behind the loop's
 * back.  Report those registrations as errored (as poll's POLLNVAL). */
static size_t sk__wsel_nonsockets(sk__wsel *p, sk__pollout *out,
                                  size_t cap) {
    size_t i, k = 0;
    for (i = 0; i < p->n && k < cap; i++) {
        int type = 0, len = (int)sizeof type;
        if (getsockopt(SK__SOCK(p->regs[i]->fd), SOL_SOCKET, SO_TYPE,
                       (char *)&type, &len) == SOCKET_ERROR &&
            WSAGetLastError() == WSAENOTSOCK) {
            out[k].ptr = p->regs[i]->ptr;
            out[k].events = SK__WAIT_ERROR;
            k++;
        }
    }
    return k;
}

/* Sleep for ms (>= 0), in pieces (Sleep takes a DWORD; INFINITE is one of
 * its values). */
static void sk__wsel_sleep(int64_t ms) {
    while (ms > 0) {
        DWORD part = ms > 0x7fffffff ? (DWORD)0x7fffffff : (DWORD)ms;
        Sleep(part);
        ms -= (int64_t)part;
    }
}

static int sk__wsel_wait(sk__poller *base, int64_t ms, sk__pollout *out,
                         size_t cap, size_t *n, int *sys) {
    sk__wsel *p = (sk__wsel *)base;
    struct timeval tv, *tvp = NULL;
    size_t i, k = 0;
    int got;

    *n = 0;
    if (sk__wsel_reserve(p, p->n) != 0)
        return sk__win_fail(WSAENOBUFS, sys);
    p->rd->fd_count = p->wr->fd_count = p->ex->fd_count = 0;
    for (i = 0; i < p->n; i++) {
        SOCKET s = SK__SOCK(p->regs[i]->fd);
        if (p->regs[i]->events & SK__WAIT_READ)
            sk__wsel_arr(p->rd)[p->rd->fd_count++] = s;
        if (p->regs[i]->events & SK__WAIT_WRITE) {
            sk__wsel_arr(p->wr)[p->wr->fd_count++] = s;
            sk__wsel_arr(p->ex)[p->ex->fd_count++] = s;
        }
    }
    if (p->rd->fd_count == 0 && p->wr->fd_count == 0) {
        /* select fails with WSAEINVAL on empty sets: sleep instead. */
        if (ms < 0)
            return sk__win_fail(WSAEINVAL, sys);
        sk__wsel_sleep(ms);
        return 0;
    }
    if (ms >= 0) {
        int64_t sec = ms / 1000;
        tv.tv_sec = sec > (int64_t)LONG_MAX ? LONG_MAX : (long)sec;
        tv.tv_usec = (long)((ms % 1000) * 1000);
        tvp = &tv;
    }
    got = select(0, p->rd->fd_count ? p->rd : NULL,
                 p->wr->fd_count ? p->wr : NULL,
                 p->ex->fd_count ? p->ex : NULL, tvp);
    if (got == SOCKET_ERROR) {
        int err = WSAGetLastError();
        if (err == WSAENOTSOCK) {
            *n = sk__wsel_nonsockets(p, out, cap);
            if (*n > 0)
                return 0;
        }
        if (err == WSAEINTR) {
            if (sys != NULL)
                *sys = err;
            return SK_EWOULDBLOCK;
        }
        return sk__win_fail(err, sys);
    }
    if (got == 0)
        return 0;
    /* select keeps only the ready sockets, in no documented order. */
    sk__wsel_sort(p->rd);
    sk__wsel_sort(p->wr);
    sk__wsel_sort(p->ex);
    for (i = 0; i < p->n && k < cap; i++) {
        const sk__pollreg *r = p->regs[i];
        SOCKET s = SK__SOCK(r->fd);
        int ev = 0;
        if ((r->events & SK__WAIT_READ) && sk__wsel_has(p->rd, s))
            ev |= SK__WAIT_READ;
        if (r->events & SK__WAIT_WRITE) {
            if (sk__wsel_has(p->wr, s))
                ev |= SK__WAIT_WRITE;
            if (sk__wsel_has(p->ex, s))
                ev |= SK__WAIT_ERROR;
        }
        if (ev != 0) {
            out[k].ptr = r->ptr;
            out[k].events = ev;
            k++;
        }
    }
    *n = k;
    return 0;
}

static void sk__wsel_free(sk__poller *base) {
    sk__wsel *p = (sk__wsel *)base;
    sk__free(p->regs);
    sk__free(p->rd);
    sk__free(p->wr);
    sk__free(p->ex);
    sk__free(p);
}

static const sk__poller_ops sk__wsel_ops = {
    "select", sk__wsel_add, sk__wsel_mod, sk__wsel_del, sk__wsel_wait,
    sk__wsel_free, sk__wsel_room};

int sk__plat_poller_new(const char *name, int ready, sk__poller **out,
                        int *sys) {
    sk__wsel *p;
    (void)ready; /* (one backend: the default for everything) */
    (void)sys;
    *out = NULL;
    if (name != NULL && strcmp(name, "select") != 0)
        return SK_EUNSUPPORTED;
    p = (sk__wsel *)sk__calloc(1, sizeof *p);
    if (p == NULL)
        return SK_ENORESOURCES;
    p->base.ops = &sk__wsel_ops;
    *out = &p->base;
    return 0;
}

#endif /* SK_OS_WIN32 */
