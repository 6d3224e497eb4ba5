/* SPDX-License-Identifier: MIT */
/*
 * relay.c - the fault-injecting TCP relay of relay.h.  Public sockit API
 * only (sk_select, sk_read, sk_send, options, shutdown); the thread comes
 * from support.c.  Every wait is bounded by the safety timeout and the
 * forwarding loop by a round count.
 */
#include "relay.h"

#include "support.h"

#include <stdio.h>
#include <stdlib.h>

#define RELAY_CHUNK 4096
#define RELAY_MAX_ROUNDS 1000000L

struct sup_relay {
    sk_sock *listener; /* where the client connects */
    sk_sock *ctl;      /* the relay's end of the control connection */
    sk_sock *ctl_test; /* the test's end */
    sk_sock *c;        /* client-facing connection */
    sk_sock *u;        /* upstream connection */
    int upstream_port;
    int fault;
    size_t n;
    uint64_t to_client; /* bytes sent to the client */
    uint64_t to_server; /* bytes sent to the server */
    int err;            /* first unexpected failure (SK_E*), 0 if none */
    int err_line;
    sup_thread *thread;
};

static void relay_fail(sup_relay *r, int rc, int line)
{
    if (r->err == 0) {
        r->err = rc != 0 ? rc : SK_ESYSTEM;
        r->err_line = line;
    }
}
#define RELAY_FAIL(r, rc) relay_fail((r), (rc), __LINE__)

static int gone(int rc)
{
    return rc == SK_ECLOSED || rc == SK_ECONNRESET;
}

/* Tell the test that the fault is in place. */
static void notify(sup_relay *r)
{
    const char what = 'F';
    ptrdiff_t last = 0;
    int rc = sk_send(r->ctl, &what, 1, 1, 1, &last);
    if (rc != 0)
        RELAY_FAIL(r, rc);
}

/* Send len bytes to dst, one send per byte when trickling; add what was
 * sent to *count.  Returns sk_send's result. */
static int forward(sup_relay *r, sk_sock *dst, const char *buf, size_t len,
                   uint64_t *count)
{
    ptrdiff_t last = 0;
    int rc;
    if (r->fault == SUP_FAULT_TRICKLE) {
        size_t k;
        for (k = 1; k <= len; k++) {
            rc = sk_send(dst, buf, len, (ptrdiff_t)k, (ptrdiff_t)k, &last);
            *count += (uint64_t)(last - (ptrdiff_t)(k - 1));
            if (rc != 0)
                return rc;
        }
        return 0;
    }
    rc = sk_send(dst, buf, len, 1, -1, &last);
    *count += (uint64_t)last;
    return rc;
}

static int in_set(sk_sock *const *set, size_t n, const sk_sock *s)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (set[i] == s)
            return 1;
    return 0;
}

/* Wait (within the safety timeout) for anything on the control
 * connection: the test's "stop". */
static void wait_stop(sup_relay *r)
{
    sk_sock *ready[1] = {NULL};
    size_t nr = 0, nw = 0;
    int rc = sk_select(&r->ctl, 1, NULL, 0, SUP_SAFETY_TIMEOUT, ready, &nr,
                       NULL, &nw);
    if (rc != 0)
        RELAY_FAIL(r, rc);
}

static void pump(sup_relay *r)
{
    char buf[RELAY_CHUNK];
    int c_open = 1; /* still reading from the client */
    int u_open = 1; /* still reading from the server */
    int faulted = 0;
    int threshold = r->fault == SUP_FAULT_RESET ||
                    r->fault == SUP_FAULT_HALFCLOSE ||
                    r->fault == SUP_FAULT_STALL;
    long rounds;
    int rc;

    for (rounds = 0; rounds < RELAY_MAX_ROUNDS; rounds++) {
        sk_sock *set[3], *ready[3];
        size_t ns = 0, nr = 0, nw = 0, i;

        /* Armed once the client's first bytes crossed: its connect has
         * completed by then, and the test orders events by its request. */
        if (threshold && !faulted && r->to_server > 0 &&
            r->to_client >= r->n) {
            faulted = 1;
            switch (r->fault) {
            case SUP_FAULT_RESET:
                rc = sk_setoption(r->c, SK_OPT_LINGER, 0);
                if (rc != 0)
                    RELAY_FAIL(r, rc);
                (void)sk_close(r->c); /* linger 0: an RST */
                (void)sk_close(r->u);
                notify(r);
                return;
            case SUP_FAULT_HALFCLOSE:
                rc = sk_shutdown(r->c, SK_SHUT_SEND);
                if (rc != 0) {
                    RELAY_FAIL(r, rc);
                    return;
                }
                u_open = 0;
                notify(r);
                break;
            default: /* SUP_FAULT_STALL */
                notify(r);
                wait_stop(r);
                return;
            }
        }
        if (!c_open && !u_open)
            return; /* both directions ended */

        set[ns++] = r->ctl;
        if (c_open)
            set[ns++] = r->c;
        if (u_open)
            set[ns++] = r->u;
        rc = sk_select(set, ns, NULL, 0, SUP_SAFETY_TIMEOUT, ready, &nr,
                       NULL, &nw);
        if (rc != 0) {
            RELAY_FAIL(r, rc);
            return;
        }
        if (in_set(ready, nr, r->ctl))
            return; /* stop */
        for (i = 0; i < nr; i++) {
            size_t got = 0;
            if (ready[i] == r->c) {
                rc = sk_read(r->c, buf, sizeof buf, &got);
                if (rc == 0) {
                    rc = forward(r, r->u, buf, got, &r->to_server);
                    if (gone(rc))
                        c_open = 0; /* the server left */
                    else if (rc != 0) {
                        RELAY_FAIL(r, rc);
                        return;
                    }
                } else if (gone(rc)) {
                    c_open = 0;
                    (void)sk_shutdown(r->u, SK_SHUT_SEND);
                } else {
                    RELAY_FAIL(r, rc);
                    return;
                }
            } else if (ready[i] == r->u) {
                size_t cap = sizeof buf;
                if (threshold && !faulted && r->n - r->to_client < cap)
                    cap = (size_t)(r->n - r->to_client); /* > 0 here */
                rc = sk_read(r->u, buf, cap, &got);
                if (rc == 0) {
                    rc = forward(r, r->c, buf, got, &r->to_client);
                    if (gone(rc))
                        u_open = 0; /* the client left */
                    else if (rc != 0) {
                        RELAY_FAIL(r, rc);
                        return;
                    }
                } else if (gone(rc)) {
                    u_open = 0;
                    (void)sk_shutdown(r->c, SK_SHUT_SEND);
                } else {
                    RELAY_FAIL(r, rc);
                    return;
                }
            }
        }
    }
    RELAY_FAIL(r, SK_ETIMEOUT); /* too many rounds */
}

static void relay_main(void *arg)
{
    sup_relay *r = (sup_relay *)arg;
    sk_sock *set[2], *ready[2];
    size_t nr = 0, nw = 0;
    int rc;

    /* A client, or the test's stop. */
    set[0] = r->ctl;
    set[1] = r->listener;
    rc = sk_select(set, 2, NULL, 0, SUP_SAFETY_TIMEOUT, ready, &nr, NULL,
                   &nw);
    if (rc != 0) {
        RELAY_FAIL(r, rc);
        return;
    }
    if (in_set(ready, nr, r->ctl))
        return;
    rc = sk_accept(r->listener, &r->c, NULL);
    if (rc != 0) {
        RELAY_FAIL(r, rc);
        return;
    }
    if (r->fault == SUP_FAULT_CLOSE_AT_ACCEPT) {
        (void)sk_close(r->c);
        notify(r);
        return;
    }
    /* No Nagle delay anywhere: what the relay sends leaves at once (and
     * each byte on its own when trickling). */
    rc = sk_setoption(r->c, SK_OPT_TCP_NODELAY, 1);
    if (rc == 0)
        rc = sk_tcp4(&r->u);
    if (rc == 0)
        rc = sk_settimeout(r->u, SUP_SAFETY_TIMEOUT, 'b');
    if (rc == 0)
        rc = sk_setoption(r->u, SK_OPT_TCP_NODELAY, 1);
    if (rc == 0)
        rc = sk_connect(r->u, "127.0.0.1", r->upstream_port);
    if (rc != 0) {
        RELAY_FAIL(r, rc);
        return;
    }
    pump(r);
}

sup_relay *sup_relay_start(int upstream_port, int fault, size_t n, int *port)
{
    sup_relay *r = (sup_relay *)calloc(1, sizeof *r);
    assert_non_null(r);
    assert_true(fault >= SUP_FAULT_NONE && fault <= SUP_FAULT_CLOSE_AT_ACCEPT);
    r->upstream_port = upstream_port;
    r->fault = fault;
    r->n = n;
    sup_pair(&r->ctl_test, &r->ctl);
    sup_listen4(&r->listener, port, 4);
    r->thread = sup_thread_start(relay_main, r);
    return r;
}

void sup_relay_wait_fault(sup_relay *r)
{
    assert_true(r->fault != SUP_FAULT_NONE && r->fault != SUP_FAULT_TRICKLE);
    sup_expect(r->ctl_test, "F", 1);
}

void sup_relay_stop(sup_relay *r, uint64_t *to_client, uint64_t *to_server)
{
    const char what = 'S';
    ptrdiff_t last = 0;
    int err, line;
    /* The relay may have ended already; its end of the control connection
     * stays open until the frees below, so this send cannot fail. */
    sup_assert_rc(sk_send(r->ctl_test, &what, 1, 1, 1, &last), 0);
    sup_thread_join(r->thread);
    r->thread = NULL;
    err = r->err;
    line = r->err_line;
    if (to_client != NULL)
        *to_client = r->to_client;
    if (to_server != NULL)
        *to_server = r->to_server;
    sk_free(r->c);
    sk_free(r->u);
    sk_free(r->listener);
    sk_free(r->ctl);
    sk_free(r->ctl_test);
    free(r);
    if (err != 0)
        print_error("relay failed at relay.c:%d\n", line);
    sup_assert_rc(err, 0);
}
