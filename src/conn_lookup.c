/* SPDX-License-Identifier: MIT */
/*
 * conn_lookup.c - host lookups for sk_conn_connect that never block the
 * loop: a worker thread asks the system's resolver (or the connection's
 * hook) and posts the answer to the loop's thread; numeric hosts are
 * parsed at once, without a resolver.  The request is shared by the
 * connection and the worker and freed by whichever lets go last.  The
 * post's queue entry is made with the request, so the answer (a failure
 * included) always reaches the connection.
 */
#include "sockit_int.h"

#include <stdlib.h>
#include <string.h>

struct sk__lookup {
    sk__mutex *mu;
    int refs;       /* under mu: the connection's, the worker's */
    int cancelled;  /* under mu: the connection let go */
    int started;    /* an sk__plat_startup held for the worker */
    sk_loop *loop;
    char host[SK__HOST_MAX + 1];
    int port;
    sk_conn_resolver fn;
    void *fnud;
    sk__lookup_done done; /* loop thread only */
    void *ud;
    int rc;         /* the worker's answer, read after the post */
    sk__addr *list;
    size_t count;
    sk__post *post; /* the answer's queue entry, until posted */
};

static void lookup_destroy(sk__lookup *l)
{
    sk__free(l->post);
    sk__free(l->list);
    if (l->started)
        sk__plat_cleanup();
    if (l->mu != NULL)
        sk__plat_mutex_free(l->mu);
    sk__free(l);
}

/* Drop one reference (the caller holds none of mu); frees at the last. */
static void lookup_unref(sk__lookup *l, int cancel)
{
    int last;
    sk__plat_mutex_lock(l->mu);
    if (cancel)
        l->cancelled = 1;
    last = --l->refs == 0;
    sk__plat_mutex_unlock(l->mu);
    if (last)
        lookup_destroy(l);
}

/* The addresses of host and port through sk__plat_lookup with flags (and
 * a numeric port), in a malloc'd *list. */
static int lookup_parse(const char *host, int port, int flags,
                        sk__addr **list, size_t *count)
{
    sk__lookup_ent *ents = NULL;
    char *canon = NULL;
    char svc[8];
    size_t n = 0, i, k;
    int r, sys = 0, p = port;
    *list = NULL;
    *count = 0;
    /* the port as canonical decimal (1..65535) */
    for (k = 0; p > 0 || k == 0; p /= 10)
        k++;
    svc[k] = '\0';
    for (p = port; k > 0; p /= 10)
        svc[--k] = (char)('0' + p % 10);
    r = sk__plat_lookup(host, svc, SK__AF_UNSPEC, SK__STREAM,
                        flags | SK__LOOKUP_NUMERICSERV, &ents, &n, &canon,
                        &sys);
    sk__free(canon);
    if (r != 0)
        return r;
    *list = (sk__addr *)sk__calloc(n, sizeof **list);
    if (*list == NULL) {
        sk__free(ents);
        return SK_ENORESOURCES;
    }
    for (i = 0; i < n; i++)
        (*list)[i] = ents[i].addr;
    sk__free(ents);
    *count = n;
    return 0;
}

int sk__lookup_numeric(const char *host, int port, sk__addr **list,
                       size_t *count)
{
    return lookup_parse(host, port, SK_LOOKUP_NUMERICHOST, list, count);
}

/* The hook's answer, each entry parsed as a numeric address (never sent
 * to a resolver); entries that do not parse are skipped. */
static int lookup_hook(sk__lookup *l)
{
    sk_addrinfo *out;
    size_t n = 0, i;
    int r;
    out = (sk_addrinfo *)sk__calloc(SK_CONN_RESOLVE_MAX, sizeof *out);
    if (out == NULL)
        return SK_ENORESOURCES;
    r = l->fn(l->host, l->port, out, SK_CONN_RESOLVE_MAX, &n, l->fnud);
    if (r > 0 || r < SK_ERROR_MIN)
        r = SK_EHOSTNOTFOUND;
    if (r == 0) {
        l->list = (sk__addr *)sk__calloc(SK_CONN_RESOLVE_MAX, sizeof *l->list);
        if (l->list == NULL)
            r = SK_ENORESOURCES;
    }
    if (n > SK_CONN_RESOLVE_MAX)
        n = SK_CONN_RESOLVE_MAX;
    for (i = 0; r == 0 && i < n; i++) {
        sk__addr *one = NULL;
        size_t cnt = 0;
        int pr;
        int port = out[i].port >= 1 && out[i].port <= 65535 ? out[i].port
                                                             : l->port;
        out[i].addr[SK_ADDRSTRLEN - 1] = '\0';
        if (out[i].addr[0] == '\0')
            continue;
        pr = lookup_parse(out[i].addr, port, SK_LOOKUP_NUMERICHOST, &one,
                          &cnt);
        if (pr == 0)
            l->list[l->count++] = one[0];
        else if (pr == SK_ENORESOURCES)
            r = pr; /* not a bad entry: no memory to read it */
        sk__free(one);
    }
    sk__free(out);
    if (r == 0 && l->count == 0)
        r = SK_EHOSTNOTFOUND;
    return r;
}

/* On the loop's thread: hand the answer over, unless cancelled. */
static void lookup_deliver(void *arg)
{
    sk__lookup *l = (sk__lookup *)arg;
    sk__lookup_done done;
    sk__addr *list;
    size_t count;
    int cancelled, rc, last;
    void *ud;
    sk__plat_mutex_lock(l->mu);
    cancelled = l->cancelled;
    l->refs--;              /* the worker's, carried by the post */
    if (!cancelled) {
        l->cancelled = 1;   /* and the connection's: it is answered */
        l->refs--;
    }
    last = l->refs == 0;
    sk__plat_mutex_unlock(l->mu);
    if (cancelled) {
        if (last)
            lookup_destroy(l);
        return;
    }
    done = l->done;
    ud = l->ud;
    rc = l->rc;
    list = l->list;
    count = l->count;
    l->list = NULL;
    lookup_destroy(l); /* both references are gone */
    done(ud, rc, list, count);
}

/* The loop was freed before lookup_deliver ran: the worker's reference,
 * carried by the post, goes (the connection, freed before its loop, has
 * let go of its own already). */
static void lookup_drop(void *arg)
{
    lookup_unref((sk__lookup *)arg, 1);
}

static void lookup_worker(void *arg)
{
    sk__lookup *l = (sk__lookup *)arg;
    int posted = 0, last = 0;
    if (l->fn != NULL)
        l->rc = lookup_hook(l);
    else
        l->rc = sk__plat_resolve(l->host, l->port, SK__AF_UNSPEC, 0,
                                 &l->list, &l->count, NULL);
    if (l->rc != 0) {
        sk__free(l->list);
        l->list = NULL;
        l->count = 0;
    }
    sk__plat_mutex_lock(l->mu);
    /* Posting under the lock: a cancel comes either before (nothing is
     * posted) or after (the posted call sees it).  The entry was made
     * with the request: posting needs no memory and cannot fail (a failed
     * wake-up signal still leaves the post queued). */
    if (!l->cancelled) {
        sk__post *p = l->post;
        l->post = NULL; /* the loop's now */
        (void)sk__loop_post_entry(l->loop, p, lookup_deliver, lookup_drop, l);
        posted = 1;
    }
    if (!posted)
        last = --l->refs == 0;
    sk__plat_mutex_unlock(l->mu);
    if (last)
        lookup_destroy(l);
}

/* Run the worker on a thread of its own; in the test build, when asked
 * (sk__test_lookup_inline), right here, so that a test's allocations and
 * hook calls happen in a fixed order on one thread. */
static int lookup_spawn(sk__lookup *l, int *sys)
{
#if defined(SOCKIT_TEST_HOOKS)
    if (sk__test_lookup_inlined()) {
        lookup_worker(l);
        return 0;
    }
#endif
    return sk__plat_thread_start(lookup_worker, l, sys);
}

int sk__lookup_start(sk_loop *loop, const char *host, int port,
                     sk_conn_resolver fn, void *fnud, sk__lookup_done done,
                     void *ud, sk__lookup **out)
{
    sk__lookup *l;
    int r, sys = 0;
    *out = NULL;
    l = (sk__lookup *)sk__calloc(1, sizeof *l);
    if (l == NULL)
        return SK_ENORESOURCES;
    l->post = (sk__post *)sk__malloc(sizeof *l->post);
    if (l->post == NULL) {
        sk__free(l);
        return SK_ENORESOURCES;
    }
    r = sk__plat_mutex_new(&l->mu);
    if (r == 0)
        r = sk__plat_startup(&sys);
    if (r != 0) {
        lookup_destroy(l);
        return r;
    }
    l->started = 1;
    l->refs = 2;
    l->loop = loop;
    memcpy(l->host, host, strlen(host) + 1); /* checked: <= 255 bytes */
    l->port = port;
    l->fn = fn;
    l->fnud = fnud;
    l->done = done;
    l->ud = ud;
    r = lookup_spawn(l, &sys);
    if (r != 0) {
        lookup_destroy(l);
        return r;
    }
    *out = l;
    return 0;
}

void sk__lookup_cancel(sk__lookup *l)
{
    if (l != NULL)
        lookup_unref(l, 1);
}
