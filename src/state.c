/* SPDX-License-Identifier: MIT */
/*
 * state.c - what an object is now (sk_getstate) and the blocking mode
 * (sk_setblocking).  The mode is a flag: sk__wait and the connect paths
 * read it and return at once instead of waiting.
 */
#include "sockit_int.h"

#include <string.h>

/* A stream client is connected while the OS knows its peer: asked without
 * waiting and without touching SO_ERROR, so a pending connect's outcome is
 * still there for the next send or receive to report. */
static int state_has_peer(const sk_sock *s)
{
    sk__addr a;
    if (s->fd == SK_FD_INVALID)
        return 0;
    return sk__plat_peername(s->fd, &a, NULL) == 0;
}

SK_API int sk_getstate(const sk_sock *s, sk_state *out)
{
    int closed;
    if (s == NULL || out == NULL)
        return SK_EINVAL;
    memset(out, 0, sizeof *out);
    closed = s->role == SK_ROLE_CLOSED;
    out->closed = closed;
    out->blocking = !sk__nonblock(s);
    out->family = s->family;
    out->type = s->type;
    if (s->family == SK__AF_UNIX)
        out->protocol = SK_PROTO_DEFAULT;
    else
        out->protocol = s->type == SK__DGRAM ? SK_PROTO_UDP : SK_PROTO_TCP;
    if (closed)
        return 0;
    switch (s->role) {
    case SK_ROLE_SERVER:
        out->bound = 1;
        out->listening = 1;
        break;
    case SK_ROLE_CLIENT:
        out->bound = 1;
        out->connected = state_has_peer(s);
        break;
    case SK_ROLE_CONNECTED:
        out->bound = 1;
        out->connected = 1;
        break;
    default: /* a master or an unconnected datagram object */
        out->bound = s->bound != 0;
        break;
    }
    out->shut_receive = (s->shut & 1) != 0;
    out->shut_send = (s->shut & 2) != 0;
    return 0;
}

SK_API int sk_setblocking(sk_sock *s, int blocking)
{
    int was, r = sk__check(s);
    if (r != 0)
        return r;
    if (blocking != 0 && blocking != 1)
        return SK_EINVAL;
    was = sk__os_blocking(s, s->family);
    sk__set_nonblock(s, !blocking);
    sk__sync_blocking(s, was);
    return 0;
}
