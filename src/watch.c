/* SPDX-License-Identifier: MIT */
/*
 * watch.c - a loop's watches: one sk_sock each, registered with the
 * loop's poller while it has interest.  Dispatch gathers the poller's
 * entries and the objects holding buffered bytes into one ready list,
 * then calls each watch once; watches freed meanwhile are kept (dead)
 * until the dispatch ends, so no callback reaches freed memory.  A
 * connection's watch is embedded in the connection's block
 * (sk__watch_embed_*): started and stopped in place, freed with it.
 */
#include "sockit_int.h"

#include <stddef.h>
#include <stdlib.h>

/* The public readiness bits are the backends' (SK__WAIT_*). */
typedef char sk__wch_same_bits[(SK_READABLE == SK__WAIT_READ &&
                                 SK_WRITABLE == SK__WAIT_WRITE &&
                                 SK_ERRORED == SK__WAIT_ERROR) ? 1 : -1];

/* A watch of its own (sk_watch_new, a selector's member) has its links in
 * the loop's list of such watches (loop->watches, which sk_loop_free
 * frees) just before it in its block; an embedded watch has none, as its
 * owner frees it before the loop (issue 17: 16 bytes per connection). */
typedef struct sk__wlinks {
    sk_watch *prev, *next;
} sk__wlinks;
#define SK__WCH_LINKS(w) ((sk__wlinks *)(void *)(w) - 1)

/* The block a watch's memory is: its links' for a watch of its own. */
#define SK__WCH_BLOCK(w)                                                    \
    (((w)->dead & SK__WCH_EMBEDDED) ? (void *)(w) : (void *)SK__WCH_LINKS(w))

/* The watch around its note (sk__note is a member of sk_watch). */
#define SK__WCH_OF_NOTE(n)                                                  \
    ((sk_watch *)(void *)((char *)(n) - offsetof(sk_watch, note)))

static void sk__wch_note(sk__note *note, sk_sock *s, int what, sk_fd_t fd);
static void sk__wch_attach(sk_loop *loop, sk_sock *s, sk_watch *w);

sk_watch *sk__watch_of(const sk_sock *s)
{
    if (s->note == NULL || s->note->fn != sk__wch_note)
        return NULL;
    return SK__WCH_OF_NOTE(s->note);
}

static void sk__wch_dirty_add(sk_watch *w)
{
    sk_loop *loop = w->loop;
    if (w->on_dirty)
        return;
    w->on_dirty = 1;
    w->dprev = NULL;
    w->dnext = loop->dirty;
    if (w->dnext != NULL)
        w->dnext->dprev = w;
    loop->dirty = w;
}

static void sk__wch_dirty_del(sk_watch *w)
{
    if (!w->on_dirty)
        return;
    w->on_dirty = 0;
    if (w->dprev != NULL)
        w->dprev->dnext = w->dnext;
    else
        w->loop->dirty = w->dnext;
    if (w->dnext != NULL)
        w->dnext->dprev = w->dprev;
    w->dprev = w->dnext = NULL;
}

/* Take w out of the poller.  The registration is stale when the object's
 * socket is no longer the registered one (sk_connect or sk_bind replaced
 * it, closing the old one): its number may belong to someone else now. */
static void sk__wch_unregister(sk_watch *w)
{
    sk__poller *p = w->loop->poller;
    int stale;
    if (w->reg.ptr == NULL)
        return; /* not registered */
    stale = w->sock == NULL || w->sock->fd != w->reg.fd;
    p->ops->del(p, &w->reg, stale);
    w->reg.ptr = NULL;
    w->loop->nlive--;
}

/* Register fd with events (non-zero) for w, replacing its registration. */
static int sk__wch_register(sk_watch *w, sk_fd_t fd, int events, int *sys)
{
    sk__poller *p = w->loop->poller;
    int r;
    if (w->reg.ptr != NULL && w->reg.fd == fd && w->reg.events == events)
        return 0; /* nothing changes: no system call */
    if (w->reg.ptr != NULL && w->reg.fd != fd)
        sk__wch_unregister(w);
    w->reg.fd = fd;
    w->reg.events = events;
    if (w->reg.ptr != NULL)
        return p->ops->mod(p, &w->reg, sys);
    w->reg.ptr = w;
    r = p->ops->add(p, &w->reg, sys);
    if (r == 0)
        w->loop->nlive++;
    else
        w->reg.ptr = NULL; /* not registered after all */
    return r;
}

/* Whether s may take a watch of loop: SK_ECLOSED (closed), SK_EINVAL
 * (watched already: one watch per object), SK_ENORESOURCES (no room in
 * the poller for one more watch and the waker: made here, so that
 * registering it later never needs memory), else 0. */
static int sk__wch_admit(sk_loop *loop, const sk_sock *s)
{
    if (s->role == SK_ROLE_CLOSED)
        return SK_ECLOSED;
    if (s->note != NULL)
        return SK_EINVAL;
    if (loop->poller->ops->reserve != NULL &&
        loop->poller->ops->reserve(loop->poller, loop->nwatch + 2) != 0)
        return SK_ENORESOURCES;
    return 0;
}

SK_API int sk_watch_new(sk_loop *loop, sk_sock *s, sk_watch_cb cb, void *ud,
                        sk_watch **out)
{
    return sk__watch_make(loop, s, cb, ud, 0, out);
}

int sk__watch_make(sk_loop *loop, sk_sock *s, sk_watch_cb cb, void *ud,
                   size_t extra, sk_watch **out)
{
    sk__wlinks *links;
    sk_watch *w;
    int r;
    if (out != NULL)
        *out = NULL;
    if (loop == NULL || s == NULL || cb == NULL || out == NULL)
        return SK_EINVAL;
    if ((r = sk__wch_admit(loop, s)) != 0)
        return r;
    links = (sk__wlinks *)sk__calloc(1, sizeof *links + sizeof *w + extra);
    if (links == NULL)
        return SK_ENORESOURCES;
    w = (sk_watch *)(void *)(links + 1);
    w->cb = cb;
    w->ud = ud;
    sk__wch_attach(loop, s, w);
    *out = w;
    return 0;
}

/* w (cb and ud set) joins loop's watches, watching s (no interest yet). */
static void sk__wch_attach(sk_loop *loop, sk_sock *s, sk_watch *w)
{
    loop->nwatch++;
    w->loop = loop;
    w->sock = s;
    w->reg.fd = SK_FD_INVALID;
    w->note.fn = sk__wch_note;
    if (!(w->dead & SK__WCH_EMBEDDED)) {
        sk__wlinks *l = SK__WCH_LINKS(w);
        l->prev = NULL;
        l->next = loop->watches;
        if (l->next != NULL)
            SK__WCH_LINKS(l->next)->prev = w;
        loop->watches = w;
    }
    s->note = &w->note;
}

/* w leaves its loop's watches and its object (no callback from now on). */
static void sk__wch_detach(sk_watch *w)
{
    sk_loop *loop = w->loop;
    sk__wch_unregister(w);
    sk__wch_dirty_del(w);
    if (w->sock != NULL && w->sock->note == &w->note)
        w->sock->note = NULL;
    w->events = 0;
    if (!(w->dead & SK__WCH_EMBEDDED)) {
        sk__wlinks *l = SK__WCH_LINKS(w);
        if (l->prev != NULL)
            SK__WCH_LINKS(l->prev)->next = l->next;
        else
            loop->watches = l->next;
        if (l->next != NULL)
            SK__WCH_LINKS(l->next)->prev = l->prev;
        l->prev = l->next = NULL;
    }
    loop->nwatch--;
}

/* ---- embedded watches (sockit_int.h: sk__watch_embed_init) ------------ */

void sk__watch_embed_init(sk_watch *w, sk_loop *loop, sk_sock *s,
                          sk_watch_cb cb)
{
    w->cb = cb;
    w->loop = loop;
    w->sock = s;
    w->reg.fd = SK_FD_INVALID;
    w->note.fn = sk__wch_note;
    w->dead = SK__WCH_EMBEDDED;
}

int sk__watch_embed_start(sk_watch *w)
{
    sk_loop *loop = w->loop;
    sk_sock *s = w->sock;
    int r;
    if (w->dead & SK__WCH_STARTED)
        return 0;
    if (s == NULL)
        return SK_ECLOSED;
    if ((r = sk__wch_admit(loop, s)) != 0)
        return r;
    sk__wch_attach(loop, s, w);
    w->dead = (unsigned char)(w->dead | SK__WCH_STARTED);
    return 0;
}

void sk__watch_embed_stop(sk_watch *w)
{
    if (!(w->dead & SK__WCH_STARTED))
        return;
    sk__wch_detach(w);
    w->dead = (unsigned char)(w->dead & ~SK__WCH_STARTED);
}

void sk__watch_embed_free(sk_watch *w)
{
    sk_loop *loop = w->loop;
    sk__watch_embed_stop(w);
    if (loop->dispatching) {
        /* It may be in the wait's entries: the block stays until the
         * dispatch is over (as a freed watch does). */
        w->dead = (unsigned char)(w->dead | SK__WCH_DEAD);
        w->dnext = loop->graveyard; /* (off the dirty list: detached) */
        loop->graveyard = w;
        return;
    }
    sk__free(w); /* the block it starts */
}

SK_API int sk_watch_set(sk_watch *w, int events)
{
    if (w == NULL || (events & ~(SK_READABLE | SK_WRITABLE)) != 0)
        return SK_EINVAL;
    return sk__watch_set(w, events);
}

int sk__watch_set(sk_watch *w, int events)
{
    int r, sys = 0;
    if (w->sock == NULL) /* closed: nothing to watch any more */
        return events == 0 ? 0 : SK_ECLOSED;
    if (events == 0) {
        sk__wch_unregister(w);
        w->events = 0;
        return 0;
    }
    if (w->sock->fd == SK_FD_INVALID)
        return SK_EINVAL; /* no socket yet (a dual-stack master) */
    r = sk__wch_register(w, w->sock->fd, events, &sys);
    if (r != 0) {
        if (w->reg.ptr == NULL)
            w->events = 0;
        w->sock->sys = sys;
        return r;
    }
    w->events = (unsigned char)events;
    if (events & SK_READABLE)
        sk__wch_dirty_add(w); /* looked at before the next wait */
    return 0;
}

SK_API void sk_watch_free(sk_watch *w)
{
    sk_loop *loop;
    if (w == NULL || (w->dead & SK__WCH_DEAD))
        return;
    if (w->dead & SK__WCH_EMBEDDED) { /* its block's owner frees it */
        sk__watch_embed_stop(w);
        return;
    }
    loop = w->loop;
    sk__wch_detach(w);
    w->sock = NULL;
    if (loop->dispatching) {
        /* It may be on the ready list: keep the memory until the
         * dispatch is over, marked so that it gets no callback. */
        w->dead = SK__WCH_DEAD;
        w->dnext = loop->graveyard; /* (off the dirty list: detached) */
        loop->graveyard = w;
        return;
    }
    sk__free(SK__WCH_LINKS(w)); /* the block its links start */
}

/* ---- the object's note (see sk__note in sockit_int.h) ----------------- */

static void sk__wch_closing(sk_watch *w, sk_sock *s)
{
    sk__wch_unregister(w); /* while the socket is still open */
    sk__wch_dirty_del(w);
    w->events = 0;
    if (!(w->dead & SK__WCH_EMBEDDED)) /* (its owner's object stays) */
        w->sock = NULL;
    s->note = NULL;
    if (w->cb == sk__selector_ready)
        sk__selector_closing(w); /* a selector member: dropped and freed */
}

static void sk__wch_setfd(sk_watch *w, sk_fd_t fd)
{
    int sys = 0;
    sk__wch_unregister(w); /* the old handle is still open */
    if (fd != SK_FD_INVALID && w->events != 0 &&
        sk__wch_register(w, fd, w->events, &sys) != 0)
        w->events = 0; /* refused: the watch is paused */
}

static void sk__wch_note(sk__note *note, sk_sock *s, int what, sk_fd_t fd)
{
    sk_watch *w = SK__WCH_OF_NOTE(note);
    switch (what) {
    case SK__NOTE_FILLED: /* buffered bytes are readable at once */
        sk__wch_dirty_add(w);
        break;
    case SK__NOTE_SETFD:
        sk__wch_setfd(w, fd);
        break;
    default: /* SK__NOTE_CLOSING */
        sk__wch_closing(w, s);
        break;
    }
}

/* ---- for loop.c -------------------------------------------------------- */

int sk__watches_dirty_ready(sk_loop *loop)
{
    sk_watch *w = loop->dirty, *next;
    int found = 0;
    for (; w != NULL; w = next) {
        next = w->dnext;
        if (w->sock != NULL && sk_dirty(w->sock)) {
            if (w->events & SK_READABLE)
                found = 1;
        } else {
            sk__wch_dirty_del(w);
        }
    }
    return found;
}

/* Call w for ev (the poller's, with READABLE added when it holds buffered
 * bytes), unless a callback freed, closed or paused it meanwhile. */
SK__INLINE void sk__wch_call(sk_watch *w, int ev, unsigned seq)
{
    if (w->events == 0)
        return; /* freed (dead: sk_watch_free zeroes events), closed or
                 * paused by a callback */
    if (w->on_dirty && w->sock != NULL && sk_dirty(w->sock))
        ev |= SK_READABLE;
    w->seen = seq;
    ev &= w->events | SK_ERRORED;
    if (ev != 0)
        w->cb(w, ev, w->ud);
}

/* A completion for a watch freed during the dispatch: a connection
 * accepted for it is closed (nobody takes it); the rest is let go. */
static SK__NOINLINE void sk__wch_io_dropped(const sk__pollout *e)
{
    if ((e->events & (SK__WAIT_ACCEPT | SK__WAIT_ERROR)) == SK__WAIT_ACCEPT)
        sk__plat_close((sk_fd_t)e->n);
}

void sk__watches_dispatch(sk_loop *loop, size_t n)
{
    sk__pollout *evs = loop->evs;
    sk_watch *w;
    size_t i, m;
    unsigned seq = ++loop->dispatch_seq;

    loop->dispatching = 1;
    if (loop->poller->unique && loop->poller->io == NULL) {
        /* Each watch comes at most once: call it straight from the
         * poller's entry (its memory is touched once). */
        for (i = 0; i < n; i++) {
            /* Fetch ahead while this callback's system calls run (issue
             * 17: with 10,000 busy connections every block is out of the
             * cache by its turn): the hot span of the watch two entries
             * on, and the object of the next one, whose watch was
             * fetched one entry ago.  Every entry's watch is valid memory
             * until the dispatch ends (see sk_watch_free).  (In the loop
             * itself: GCC drops a function that only prefetches.) */
            if (i + 2 < n) {
                w = (sk_watch *)evs[i + 2].ptr;
                SK__PREFETCH(SK__WCH_HOT(w));
                SK__PREFETCH(SK__WCH_HOT(w) + 63);
            }
            if (i + 1 < n) {
                const sk_sock *s = ((sk_watch *)evs[i + 1].ptr)->sock;
                if (s != NULL) { /* its first 40 bytes: see sk_sock */
                    SK__PREFETCH(s);
                    SK__PREFETCH((const char *)s + 39);
                }
            }
            sk__wch_call((sk_watch *)evs[i].ptr, evs[i].events, seq);
        }
    } else if (loop->poller->unique) {
        loop->batched = n > 1;
        /* ... and the completions of watches in completion mode (the
         * connections': conn.c), which may come several times: each is
         * handed to the watch's callback (with the entry as its last
         * argument) unless the watch was freed meanwhile, whatever its
         * interest now (the bytes they carry must not be lost); a
         * connection accepted for a watch freed meanwhile (a server's)
         * is closed: nobody takes it. */
        for (i = 0; i < n; i++) {
            w = (sk_watch *)evs[i].ptr;
            if (!(evs[i].events & SK__WAIT_IO))
                sk__wch_call(w, evs[i].events, seq);
            else if (!(w->dead & SK__WCH_DEAD))
                w->cb(w, evs[i].events, &evs[i]);
            else
                sk__wch_io_dropped(&evs[i]);
        }
    } else {
        /* A watch may come in several entries (kqueue: one per filter):
         * its readiness is gathered first, and it is called at its first
         * entry with all of it. */
        for (i = 0; i < n; i++) {
            w = (sk_watch *)evs[i].ptr;
            w->revents = (unsigned char)(w->revents | evs[i].events);
        }
        for (i = 0; i < n; i++) {
            int ev;
            w = (sk_watch *)evs[i].ptr;
            ev = w->revents;
            w->revents = 0;
            if (ev != 0)
                sk__wch_call(w, ev, seq);
        }
    }
    /* Then the watches holding buffered bytes that were not called yet,
     * gathered into the wait's array (the poller's entries are done with),
     * as many as it holds at a time, in the dirty list's order: the watch
     * keeps no link of its own for this (issue 17: memory per watch). */
    do {
        m = 0;
        for (w = loop->dirty; w != NULL && m < loop->evcap; w = w->dnext) {
            if ((w->events & SK_READABLE) && w->sock != NULL &&
                w->seen != seq && sk_dirty(w->sock)) {
                w->seen = seq; /* gathered: once per dispatch */
                loop->evs[m].ptr = w;
                loop->evs[m].events = SK_READABLE;
                m++;
            }
        }
        for (i = 0; i < m; i++) {
            w = (sk_watch *)loop->evs[i].ptr;
            if (!(w->dead & SK__WCH_DEAD) && (w->events & SK_READABLE))
                w->cb(w, SK_READABLE, w->ud);
        }
    } while (m == loop->evcap && m > 0); /* (the array was full: more) */
    loop->dispatching = 0;
    loop->batched = 0;
    while (loop->graveyard != NULL) {
        w = loop->graveyard;
        loop->graveyard = w->dnext;
        sk__free(SK__WCH_BLOCK(w));
    }
}

void sk__watches_release(sk_loop *loop)
{
    /* (The embedded watches are not on this list: their owners, the
     * connections, are freed before the loop.) */
    while (loop->watches != NULL) {
        sk_watch *w = loop->watches;
        loop->watches = SK__WCH_LINKS(w)->next;
        if (w->sock != NULL && w->sock->note == &w->note)
            w->sock->note = NULL; /* the object stays usable */
        sk__free(SK__WCH_LINKS(w));
    }
    loop->dirty = NULL;
    loop->nlive = 0;
}
