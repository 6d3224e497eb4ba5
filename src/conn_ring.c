/* SPDX-License-Identifier: MIT */
/*
 * conn_ring.c - a connection's write queue in completion mode: on a loop
 * whose poller has completions (io_uring's, plat.h's sk__poller_io) the
 * queued bytes go out as sends the poller submits with its next wait (one
 * system call per loop iteration for every connection), rather than one
 * send call each.  What is queued so: the writes made while the loop
 * dispatches a wait of several completions (sk_loop.batched), and what
 * the system did not take of any other write, which conn.c offers it at
 * once (a lone send on the ring would cost an io_uring_enter and a
 * completion of its own).  The bytes of a send in flight must stay where
 * they are until its completion: the queue grows into a new block
 * meanwhile, and the old one is held until then.  (Receiving in completion mode and the
 * completions themselves are conn.c's: conn_ring_event.)
 */
#include "sockit_int.h"

#include <string.h>

int sk__conn_ring_send(sk_conn *c)
{
    sk__connq *q = c->q;
    sk__poller *p = c->w.loop->poller;
    size_t len;
    int sys = 0, r;
    if (q == NULL || q->inflight != 0 || q->wfirst == q->wb.len)
        return 0;
    if (p->io == NULL || c->w.reg.ptr == NULL)
        return SK_ENORESOURCES; /* (not registered: sent otherwise) */
    len = q->wb.len - q->wfirst;
    r = p->io->send(p, &c->w.reg, q->wb.data + q->wfirst, len, &sys);
    if (r != 0)
        return r;
    q->inflight = len;
    return 0;
}

int sk__conn_ring_room(sk__connq *q, size_t len)
{
    sk_buf nb;
    int r;
    if (q->wb.cap - q->wb.len >= len)
        return 0;
    /* Without a send in flight, or with its block held already (wb's is
     * then not the kernel's), the block may move. */
    if (q->inflight == 0 || q->held != NULL)
        return sk_buf_reserve(&q->wb, len);
    /* Else a new block, grown by sk_buf_reserve's rule from wb's size (no
     * data: its realloc of NULL is a fresh block), the bytes copied. */
    nb.data = NULL;
    nb.len = q->wb.len;
    nb.cap = q->wb.cap;
    r = sk_buf_reserve(&nb, len);
    if (r != 0)
        return r;
    memcpy(nb.data, q->wb.data, q->wb.len);
    q->held = q->wb.data;
    q->wb = nb;
    return 0;
}

void sk__conn_ring_sent(sk__connq *q)
{
    sk__free(q->held);
    q->held = NULL;
    q->inflight = 0;
}
